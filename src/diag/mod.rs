//! Diagnostics: problems found in a site, each located at `file:line:column`, collected rather than thrown.

mod code;
mod failure;
pub mod from_toml;
pub mod index;
pub mod suggest;

use std::fmt::Write as _;

use serde::Serialize;
use unicode_width::UnicodeWidthChar as _;

pub use code::Code;
pub use failure::Failure;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem. `line` and `column` are 1-based; 0 means the problem concerns the whole file.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable name for the kind of problem, for tools (`unknown-key`, `broken-link`, …).
    pub code: Code,
    /// The file, relative to the site root where it is inside it.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
    /// The text of the line, to underline in human output.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, at: Location, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, at, message)
    }

    pub fn warning(code: Code, at: Location, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, at, message)
    }

    fn new(severity: Severity, code: Code, at: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            path: at.path,
            line: at.line,
            column: at.column,
            message: message.into(),
            help: None,
            source_line: at.source_line,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    fn position(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.path.clone(),
            (line, 0) => format!("{}:{line}", self.path),
            (line, column) => format!("{}:{line}:{column}", self.path),
        }
    }

    /// `path:line:col: error: message`, then an indented `help:` line: the compact form `build` prints.
    pub fn render_short(&self) -> String {
        let mut out = format!("{}: {}: {}", self.position(), self.severity.label(), self.message);
        if let Some(help) = &self.help {
            let _ = write!(out, "\n  help: {help}");
        }
        out
    }

    /// The form rustc prints: message, location, the source line with a caret, and help.
    pub fn render_long(&self) -> String {
        let mut out = format!("{}: {}\n", self.severity.label(), self.message);
        let gutter = " ".repeat(self.line.max(1).to_string().len());
        let _ = writeln!(out, "{gutter}--> {}", self.position());
        if let (Some(text), true) = (&self.source_line, self.line > 0) {
            let caret_pad = caret_padding(text, self.column);
            let _ = writeln!(out, "{gutter} |");
            let _ = writeln!(out, "{} | {}", self.line, text);
            let _ = writeln!(out, "{gutter} | {caret_pad}^");
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{gutter} = help: {help}");
        }
        out
    }
}

/// What goes before the caret so that it stands under `column` (counted in characters) of `line`: a tab for
/// a tab, an ideographic space for a character a terminal shows two columns wide (Han, full-width punctuation,
/// emoji, by `unicode-width`), nothing for a combining mark, a space for the rest.
fn caret_padding(line: &str, column: usize) -> String {
    line.chars()
        .take(column.saturating_sub(1))
        .filter_map(|c| match (c, c.width().unwrap_or(1)) {
            ('\t', _) => Some('\t'),
            (_, 0) => None,
            (_, 1) => Some(' '),
            _ => Some('\u{3000}'),
        })
        .collect()
}

/// Where a diagnostic points.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub source_line: Option<String>,
}

impl Location {
    /// The file as a whole.
    pub fn file(path: impl Into<String>) -> Self {
        Location { path: path.into(), ..Default::default() }
    }
}

/// Byte offsets to lines and columns in one text. Columns count characters, from 1.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineIndex { starts }
    }

    /// The 1-based line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }

    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else { return "" };
        let end = self.starts.get(line).map_or(text.len(), |&e| e - 1);
        text.get(start..end).unwrap_or("").trim_end_matches('\r')
    }
}

/// A source file's text with its display path, able to locate byte offsets.
#[derive(Clone, Debug)]
pub struct SourceText {
    pub path: String,
    pub text: String,
    index: LineIndex,
}

impl SourceText {
    pub fn new(path: impl Into<String>, text: String) -> Self {
        let index = LineIndex::new(&text);
        SourceText { path: path.into(), text, index }
    }

    pub fn locate(&self, offset: usize) -> Location {
        let (line, column) = self.index.line_col(&self.text, offset);
        Location {
            path: self.path.clone(),
            line,
            column,
            source_line: Some(self.index.line_text(&self.text, line).to_string()),
        }
    }

    /// The location of line `line` (1-based), column `column`.
    pub fn at_line(&self, line: usize, column: usize) -> Location {
        Location {
            path: self.path.clone(),
            line,
            column,
            source_line: Some(self.index.line_text(&self.text, line).to_string()),
        }
    }
}

/// All the problems of a run.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file and position, without repeats, so every run prints the same list.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Turns every warning into an error (`--strict`), except those whose code is `allowed` (`[check] allow` in
    /// site.toml, `--allow`): accepted on purpose, they stay warnings and are still printed, marked as allowed.
    pub fn make_strict(&mut self, allowed: &[Code]) {
        for d in &mut self.items {
            if d.severity != Severity::Warning {
                continue;
            }
            if allowed.contains(&d.code) {
                let mark = format!("allowed: `{}` is accepted by `[check] allow` or `--allow`", d.code.name());
                d.help = Some(match d.help.take() {
                    Some(help) => format!("{help}\n  {mark}"),
                    None => mark,
                });
            } else {
                d.severity = Severity::Error;
            }
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics { items: iter.into_iter().collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "标题\nab签c\n";
        let index = LineIndex::new(text);
        let offset = text.find('c').unwrap();
        assert_eq!(index.line_col(text, offset), (2, 4));
        assert_eq!(index.line_text(text, 2), "ab签c");
    }

    #[test]
    fn offset_at_end_of_text_is_on_last_line() {
        let text = "a\nb";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 3), (2, 2));
        assert_eq!(index.line_col(text, 99), (2, 2));
    }

    #[test]
    fn long_form_points_a_caret_under_the_column() {
        let source = SourceText::new("content/a.md", "+++\ntitel = 1\n+++\n".to_string());
        let d = Diagnostic::error(Code::UnknownKey, source.at_line(2, 1), "unknown field `titel`")
            .with_help("did you mean `title`?");
        let text = d.render_long();
        assert!(text.contains("--> content/a.md:2:1"), "{text}");
        assert!(text.contains("2 | titel = 1\n  | ^"), "{text}");
        assert!(text.contains("= help: did you mean `title`?"), "{text}");
    }

    #[test]
    fn caret_stands_under_cjk_full_width_punctuation_and_emoji() {
        let line = "a中文＝🙂b";
        assert_eq!(caret_padding(line, 7), " \u{3000}\u{3000}\u{3000}\u{3000} ");
        assert_eq!(caret_padding("\te\u{301}x", 4), "\t ", "a combining accent takes no column");
        let source = SourceText::new("content/a.md", "title = \"中文＝🙂\" x\n".to_string());
        let d = Diagnostic::error(Code::UnknownKey, source.at_line(1, 16), "bad");
        let pad = format!("{}{}{}", " ".repeat(9), "\u{3000}".repeat(4), "  ");
        assert!(d.render_long().contains(&format!("\n  | {pad}^\n")), "{}", d.render_long());
    }

    #[test]
    fn short_form_is_path_line_col() {
        let d = Diagnostic::error(
            Code::UnknownKey,
            Location { path: "a.md".into(), line: 3, column: 7, source_line: None },
            "bad",
        );
        assert_eq!(d.render_short(), "a.md:3:7: error: bad");
    }
}
