//! The text a translator translates in a page: what its fingerprint covers and what `diptych diff` compares.
//!
//! It is the title, the description, the translatable fields of the typed front matter (a category's
//! summary, conditions, documents, family, processing time and fee; a rule's documents and cases; each
//! source's title and note) and the Markdown body, one labelled block each. It leaves out what a translator
//! does not translate — `weight`, `date`, `reviewed`, `draft`, URLs, office ids, TOML comments and
//! formatting — and normalises whitespace: trailing spaces are dropped and runs of blank lines count as one,
//! so reformatting the original does not mark its translations outdated.

use std::fmt::Write as _;

use crate::fsutil;
use crate::site::frontmatter::{Category, DocumentItem, FrontMatter, Rule};

/// The translatable text of a page with front matter `front` and Markdown `body`, normalised.
pub fn translatable(front: &FrontMatter, body: &str) -> String {
    let mut out = String::new();
    field(&mut out, "title", front.title());
    field(&mut out, "description", front.description.as_deref().unwrap_or(""));
    if let Some(category) = &front.category {
        category_fields(&mut out, category.get_ref());
    }
    if let Some(rule) = &front.rule {
        rule_fields(&mut out, rule.get_ref());
    }
    for (i, source) in front.sources.iter().enumerate() {
        field(&mut out, &format!("sources[{}].title", i + 1), &source.title);
        field(&mut out, &format!("sources[{}].note", i + 1), source.note.as_deref().unwrap_or(""));
    }
    field(&mut out, "body", body);
    out
}

/// The fingerprint of a translatable text, as a translation's mark records it: `v2-` and 16 hex digits.
pub fn fingerprint(translatable: &str) -> String {
    format!("{MARK_PREFIX}{:016x}", fsutil::fingerprint(translatable.as_bytes()))
}

/// What sets a mark of this diptych apart from the whole-file hash of earlier versions (16 bare hex digits).
pub const MARK_PREFIX: &str = "v2-";

fn category_fields(out: &mut String, c: &Category) {
    field(out, "category.summary", c.summary.as_deref().unwrap_or(""));
    for (i, condition) in c.conditions.iter().enumerate() {
        field(out, &format!("category.conditions[{}]", i + 1), condition);
    }
    documents(out, "category.documents", &c.documents);
    field(out, "category.family", c.family.as_deref().unwrap_or(""));
    field(out, "category.processing_time", c.processing_time.as_deref().unwrap_or(""));
    field(out, "category.fee", c.fee.as_deref().unwrap_or(""));
}

fn rule_fields(out: &mut String, r: &Rule) {
    documents(out, "rule.documents", &r.documents);
    for (i, case) in r.cases.iter().enumerate() {
        let at = format!("rule.cases[{}]", i + 1);
        field(out, &format!("{at}.title"), &case.title);
        field(out, &format!("{at}.deadline"), case.deadline.as_deref().unwrap_or(""));
        documents(out, &format!("{at}.documents"), &case.documents);
        field(out, &format!("{at}.fee"), case.fee.as_deref().unwrap_or(""));
        field(out, &format!("{at}.processing_time"), case.processing_time.as_deref().unwrap_or(""));
        field(out, &format!("{at}.note"), case.note.as_deref().unwrap_or(""));
    }
}

fn documents(out: &mut String, at: &str, items: &[DocumentItem]) {
    for (i, d) in items.iter().enumerate() {
        field(out, &format!("{at}[{}].name", i + 1), &d.name);
        field(out, &format!("{at}[{}].zh", i + 1), d.zh.as_deref().unwrap_or(""));
        field(out, &format!("{at}[{}].note", i + 1), d.note.as_deref().unwrap_or(""));
    }
}

/// `== label ==` and the value normalised, or nothing for an empty value.
fn field(out: &mut String, label: &str, value: &str) {
    let value = normalize(value);
    if !value.is_empty() {
        let _ = write!(out, "== {label} ==\n{value}\n");
    }
}

/// Drops trailing whitespace on every line and blank lines at either end, and keeps one blank line of a run.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = false;
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() {
            blank_run = !out.is_empty();
            continue;
        }
        if blank_run {
            out.push('\n');
            blank_run = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceText;
    use crate::site::frontmatter;

    fn text_of(file: &str) -> String {
        let split = frontmatter::split(file).unwrap();
        let front = FrontMatter::parse(&SourceText::new("content/a.md", file.to_string()), split, false).unwrap();
        translatable(&front, &file[split.body_start..])
    }

    #[test]
    fn formatting_comments_weight_and_dates_do_not_change_the_fingerprint() {
        let before = text_of("+++\ntitle = \"A\"\nweight = 1\n+++\nOne.\n\nTwo.\n");
        let after = text_of(
            "+++\n# a comment\ntitle   =   \"A\"  \nweight = 2\nreviewed = 2026-01-01\n\n[[sources]]\ntitle = \"S\"\nurl = \"https://example.org/\"\n+++\n\nOne.   \n\n\n\nTwo.\n\n",
        );
        assert_eq!(fingerprint(&before), fingerprint(&after.replace("== sources[1].title ==\nS\n\n", "")));
        assert!(after.contains("== sources[1].title ==\nS\n"), "a source's title is translated: {after}");
    }

    #[test]
    fn a_changed_word_or_field_changes_the_fingerprint() {
        let base = text_of("+++\ntitle = \"A\"\n[category]\nconditions = [\"x\"]\nfee = \"100 yuan\"\n+++\nBody\n");
        let fee = text_of("+++\ntitle = \"A\"\n[category]\nconditions = [\"x\"]\nfee = \"200 yuan\"\n+++\nBody\n");
        let body = text_of("+++\ntitle = \"A\"\n[category]\nconditions = [\"x\"]\nfee = \"100 yuan\"\n+++\nBody!\n");
        assert_ne!(fingerprint(&base), fingerprint(&fee));
        assert_ne!(fingerprint(&base), fingerprint(&body));
        assert!(base.contains("== category.fee ==\n100 yuan\n"), "{base}");
    }

    #[test]
    fn normalizes_blank_runs_and_trailing_space() {
        assert_eq!(normalize("\n\na  \n\n\n\nb\t\n\n"), "a\n\nb\n");
    }
}
