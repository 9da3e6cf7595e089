//! What an import could not carry, grouped, with `file:line` where there is one; rendered for people or as JSON.

use std::collections::BTreeMap;

use serde::Serialize;

/// Kinds of things an import reports, in the order the report lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// The source cannot be read or parsed: nothing is written.
    Error,
    Config,
    Draft,
    Alias,
    Taxonomy,
    Template,
    Shortcode,
    Link,
    FrontMatter,
    Extra,
    Title,
    Asset,
    ThemeStrings,
}

impl Group {
    /// The heading of the group in the report: what happened and what to do.
    fn heading(self) -> &'static str {
        match self {
            Group::Error => "errors (nothing was written)",
            Group::Config => "configuration not carried",
            Group::Draft => "drafts not imported (diptych publishes every page it is given)",
            Group::Alias => "aliases not carried (diptych has no redirects yet): old URLs will not lead to the page",
            Group::Taxonomy => "taxonomies not carried (diptych has none): the terms are kept in [extra]",
            Group::Template => "templates and layouts not carried: the page uses the default theme",
            Group::Shortcode => "shortcodes with no diptych counterpart: removed, their inner text kept",
            Group::Link => "links that could not be rewritten",
            Group::FrontMatter => "front matter not carried",
            Group::Extra => "front matter kept in [extra] (templates can read it, the default theme does not)",
            Group::Title => "pages without a title: one was added",
            Group::Asset => "files moved to static/ (content/ holds only pages in diptych)",
            Group::ThemeStrings => "theme strings to translate",
        }
    }
}

/// One thing the import reports.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Note {
    pub group: Group,
    /// A path in the source (`content/a.md`, `config.toml`), or in the output for generated files.
    pub file: String,
    /// From 1, where the note has one.
    pub line: Option<usize>,
    pub message: String,
}

impl Note {
    pub fn new(group: Group, file: impl Into<String>, message: impl Into<String>) -> Note {
        Note { group, file: file.into(), line: None, message: message.into() }
    }

    /// At `path:line`, the line counted from 1.
    pub fn at_line(group: Group, path: &str, line: usize, message: impl Into<String>) -> Note {
        Note { line: Some(line), ..Note::new(group, path, message) }
    }

    /// `file:line`, or `file`.
    pub fn at(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.file),
            None => self.file.clone(),
        }
    }
}

/// How the report is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Format, String> {
        match s {
            "human" => Ok(Format::Human),
            "json" => Ok(Format::Json),
            other => Err(format!("`{other}` is not human or json")),
        }
    }
}

/// The outcome of an import.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// Source files read: pages and the files beside them.
    pub files_in: usize,
    /// Pages written, per language code.
    pub pages_out: BTreeMap<String, usize>,
    /// Files copied into `static/`.
    pub assets_out: usize,
    pub notes: Vec<Note>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.notes.iter().any(|n| n.group == Group::Error)
    }

    /// Problems: every note but the informational ones (titles added, files moved to `static/`).
    pub fn problems(&self) -> usize {
        self.notes.iter().filter(|n| !matches!(n.group, Group::Title | Group::Asset)).count()
    }

    pub fn summary_line(&self) -> String {
        let pages: usize = self.pages_out.values().sum();
        let per_lang: Vec<String> = self.pages_out.iter().map(|(l, n)| format!("{l} {n}")).collect();
        format!(
            "import: {} files in, {pages} pages out ({}), {} file{} to static/, {} problem{} reported",
            self.files_in,
            per_lang.join(", "),
            self.assets_out,
            if self.assets_out == 1 { "" } else { "s" },
            self.problems(),
            if self.problems() == 1 { "" } else { "s" }
        )
    }

    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Human => self.render_human(),
            Format::Json => self.render_json(),
        }
    }

    /// Groups with their notes in order, then the summary line.
    pub fn render_human(&self) -> String {
        let mut notes = self.notes.clone();
        notes.sort();
        notes.dedup();
        let mut out = String::new();
        let mut current = None;
        for note in &notes {
            if current != Some(note.group) {
                let count = notes.iter().filter(|n| n.group == note.group).count();
                out.push_str(&format!("\n{} ({count}):\n", note.group.heading()));
                current = Some(note.group);
            }
            out.push_str(&format!("  {}: {}\n", note.at(), note.message));
        }
        out.push('\n');
        out.push_str(&self.summary_line());
        out.push('\n');
        out
    }

    /// One JSON object: `files_in`, `pages_out`, `assets_out`, `notes` (each `group`, `at`, `message`).
    pub fn render_json(&self) -> String {
        let mut sorted = Report {
            files_in: self.files_in,
            pages_out: self.pages_out.clone(),
            assets_out: self.assets_out,
            notes: self.notes.clone(),
        };
        sorted.notes.sort();
        sorted.notes.dedup();
        serde_json::to_string_pretty(&sorted).unwrap_or_default() + "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_notes_and_counts_problems() {
        let mut report = Report { files_in: 3, ..Report::default() };
        report.pages_out.insert("en".into(), 2);
        report.notes.push(Note::at_line(Group::Shortcode, "content/a.md", 4, "`hint` removed"));
        report.notes.push(Note::new(Group::Title, "content/b.md", "title \"B\" from the file name"));
        let text = report.render_human();
        assert!(text.contains("shortcodes with no diptych counterpart"), "{text}");
        assert!(text.contains("  content/a.md:4: `hint` removed\n"), "{text}");
        assert!(text.ends_with("import: 3 files in, 2 pages out (en 2), 0 files to static/, 1 problem reported\n"));
    }
}
