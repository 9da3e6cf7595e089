//! `diptych diff`: what changed in a translation's original since the translation was marked up to date,
//! as a unified diff of the original's translatable text (see `check::translations::text`).

use std::fmt::Write as _;
use std::path::Path;

use super::git;
use super::mark::{self, Target};
use crate::diag::Failure;
use crate::fsutil;
use crate::site::{self, LoadOptions};

/// The diff for translation `file`, ready to print.
pub fn run(root: &Path, file: &Path) -> Result<String, Failure> {
    let config = site::load_config(root, &LoadOptions::default())?;
    let target = Target::find(root, file, &config)?;
    let original = fsutil::read_text(&root.join(&target.original), &target.original)?;
    let now = mark::translatable_text(&target.original, &original)?;
    let translation = fsutil::read_text(&root.join(&target.path), &target.path)?;
    let then = then_text(root, &target, &translation)?;
    if then == now {
        return Ok(format!(
            "nothing a translator translates has changed in {} since {} was marked up to date\n",
            target.original, target.path
        ));
    }
    let mut out = format!(
        "what changed in {} since {} was marked up to date\n(- was there then, + is there now)\n\n",
        target.original, target.path
    );
    let _ = writeln!(out, "--- {} (when marked)\n+++ {} (now)", target.original, target.original);
    out.push_str(&unified(&then, &now, 3));
    Ok(out)
}

/// The original's translatable text when the translation was marked: from the copy `mark-translated`
/// kept, or from git through the recorded blob id.
fn then_text(root: &Path, target: &Target, translation: &str) -> Result<String, Failure> {
    let copy = mark::kept_copy(&target.path);
    if root.join(&copy).is_file() {
        return Ok(fsutil::read_text(&root.join(&copy), &copy)?);
    }
    let front = mark::front_of(&target.path, translation)?;
    let Some(m) = front.translation.map(toml::Spanned::into_inner) else {
        return Err(Failure::Usage(format!(
            "{} is not marked up to date with any version of {}: there is nothing to compare with; \
             once it says what {} says, run `diptych mark-translated {}`",
            target.path, target.original, target.original, target.path
        )));
    };
    let Some(blob) = m.source_blob.map(toml::Spanned::into_inner) else {
        return Err(Failure::Usage(format!(
            "{} was marked without a record of the original's text (by an older diptych, or outside git and \
             without {copy}); compare it with {} by hand, then run `diptych mark-translated {}` so that \
             the next change can be shown",
            target.path, target.original, target.path
        )));
    };
    let Some(bytes) = git::read_blob(root, &blob) else {
        return Err(Failure::Usage(format!(
            "git does not have the version of {} that {} was marked against (blob {blob}): git is not \
             installed, or the original was not committed when it was marked; compare by hand, then run \
             `diptych mark-translated {}` after committing the original",
            target.original, target.path, target.path
        )));
    };
    let text = fsutil::normalize(bytes, &target.original)?;
    mark::translatable_text(&target.original, &text)
}

/// A unified diff of two texts by line, with `context` unchanged lines around each change.
pub fn unified(old: &str, new: &str, context: usize) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = line_ops(&a, &b);
    let mut out = String::new();
    let changed: Vec<usize> = (0..ops.len()).filter(|&i| ops[i].0 != ' ').collect();
    let mut i = 0;
    while i < changed.len() {
        let start = changed[i].saturating_sub(context);
        let mut end = (changed[i] + context + 1).min(ops.len());
        while i + 1 < changed.len() && changed[i + 1] <= end + context {
            i += 1;
            end = (changed[i] + context + 1).min(ops.len());
        }
        let (old_at, new_at) = ops[..start].iter().fold((0, 0), |(o, n), op| advance(o, n, op.0));
        let (old_len, new_len) = ops[start..end].iter().fold((0, 0), |(o, n), op| advance(o, n, op.0));
        let _ = writeln!(out, "@@ -{} +{} @@", range(old_at, old_len), range(new_at, new_len));
        for (kind, line) in &ops[start..end] {
            let _ = writeln!(out, "{kind}{line}");
        }
        i += 1;
    }
    out
}

fn advance(old: usize, new: usize, kind: char) -> (usize, usize) {
    match kind {
        '-' => (old + 1, new),
        '+' => (old, new + 1),
        _ => (old + 1, new + 1),
    }
}

/// `start,len` as unified diffs write it: 1-based, and the line before for an empty range.
fn range(at: usize, len: usize) -> String {
    match len {
        0 => format!("{at},0"),
        1 => format!("{}", at + 1),
        n => format!("{},{n}", at + 1),
    }
}

/// The lines of both texts in order, each marked `' '` (in both), `'-'` (only in `a`) or `'+'` (only in `b`),
/// from a longest common subsequence. Pages are short; the table is quadratic only in the changed middle.
fn line_ops<'t>(a: &[&'t str], b: &[&'t str]) -> Vec<(char, &'t str)> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    // lcs[i][j]: the longest common subsequence of ma[i..] and mb[j..].
    let mut lcs = vec![vec![0u32; mb.len() + 1]; ma.len() + 1];
    for i in (0..ma.len()).rev() {
        for j in (0..mb.len()).rev() {
            lcs[i][j] = if ma[i] == mb[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut ops: Vec<(char, &str)> = a[..prefix].iter().map(|l| (' ', *l)).collect();
    let (mut i, mut j) = (0, 0);
    while i < ma.len() || j < mb.len() {
        if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
            ops.push((' ', ma[i]));
            (i, j) = (i + 1, j + 1);
        } else if j == mb.len() || (i < ma.len() && lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', ma[i]));
            i += 1;
        } else {
            ops.push(('+', mb[j]));
            j += 1;
        }
    }
    ops.extend(a[a.len() - suffix..].iter().map(|l| (' ', *l)));
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_a_changed_line_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assert_eq!(unified(old, new, 1), "@@ -4,3 +4,3 @@\n d\n-e\n+E\n f\n");
    }

    #[test]
    fn shows_additions_and_removals_at_the_ends() {
        assert_eq!(unified("a\n", "a\nb\n", 3), "@@ -1 +1,2 @@\n a\n+b\n");
        assert_eq!(unified("a\nb\n", "b\n", 0), "@@ -1 +0,0 @@\n-a\n");
        assert_eq!(unified("x\n", "x\n", 3), "");
    }
}
