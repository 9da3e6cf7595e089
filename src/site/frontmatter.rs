//! Splits a Markdown file into TOML front matter and body, and types the front matter by content kind. A file
//! without front matter is plain Markdown: its title comes from its leading `# heading` or its file name.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diag::Code;
use crate::diag::from_toml;
use crate::diag::{Diagnostic, SourceText};
use crate::site::date::Date;
use crate::site::url_field;

/// Where the front matter and the body lie in a file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Byte range of the TOML between the `+++` lines.
    pub front_start: usize,
    pub front_end: usize,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
}

/// A problem splitting a file: the byte offset it concerns, a message and a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitError {
    pub offset: usize,
    pub message: &'static str,
    pub help: &'static str,
}

/// Finds the `+++` fences. `text` has no BOM and uses `\n` line endings.
pub fn split(text: &str) -> Result<Split, SplitError> {
    if text.trim().is_empty() {
        return Err(SplitError {
            offset: 0,
            message: "the file is empty",
            help: "a page starts with front matter: a line `+++`, then `title = \"…\"`, then a line `+++`",
        });
    }
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() == "---" {
        return Err(SplitError {
            offset: 0,
            message: "YAML front matter (`---`) is not supported",
            help: "write the front matter as TOML between two `+++` lines",
        });
    }
    if first_line.trim_end() != "+++" {
        if let Some(offset) = front_matter_fences(text).next() {
            return Err(SplitError {
                offset,
                message: "the front matter does not start on the file's first line",
                help: "move it to the top: nothing may come before the first line `+++`",
            });
        }
        return Err(SplitError {
            offset: 0,
            message: "the file does not start with front matter",
            help: "start the file with a line `+++`, then `title = \"…\"`, then a line `+++`",
        });
    }
    let front_start = first_line.len() + 1;
    let mut pos = front_start.min(text.len());
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == "+++" {
            let body_start = (end + 1).min(text.len());
            return Ok(Split { front_start, front_end: pos, body_start });
        }
        pos = end + 1;
    }
    Err(SplitError {
        offset: 0,
        message: "the front matter is not closed",
        help: "add a line `+++` after the last TOML line of the front matter",
    })
}

/// The byte offsets of the lines `+++` outside fenced code blocks.
fn front_matter_fences(text: &str) -> impl Iterator<Item = usize> + '_ {
    let mut in_code = false;
    let mut offset = 0;
    text.split_inclusive('\n').filter_map(move |line| {
        let at = offset;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
        }
        (!in_code && trimmed == "+++").then_some(at)
    })
}

/// Where a page's title comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TitleFrom {
    #[default]
    FrontMatter,
    /// A file without front matter that opens with a level-1 heading: the heading is the title, and the body
    /// starts after it, so that the page does not show it twice.
    Heading,
    /// A file without front matter and without a leading `# heading`.
    FileName,
}

/// A page file read: its front matter (for plain Markdown, one with only a title), where the TOML and the body
/// start in its text, and where its title comes from.
#[derive(Debug)]
pub struct Page {
    pub front: FrontMatter,
    pub front_start: usize,
    pub body_start: usize,
    pub title_from: TitleFrom,
}

/// Reads a page file's normalized text. A file with no line `+++` at all (outside code blocks) is plain Markdown,
/// as Zola and Hugo sites and note folders often have (issue 15): it gets its title from a leading level-1
/// heading, ATX or Setext, else from `key`'s file name (`getting-started.md` → "Getting started"). A file with a
/// `+++` line elsewhere, or YAML front matter, or nothing in it, is an error, as its author meant something else.
pub fn parse_page(source: &SourceText, key: &str, is_section: bool) -> Result<Page, Vec<Diagnostic>> {
    let text = &source.text;
    let plain = !text.trim().is_empty()
        && text.lines().next().is_none_or(|first| first.trim_end() != "---")
        && front_matter_fences(text).next().is_none();
    if plain {
        let (title, body_start, title_from) = match leading_heading(text) {
            Some((title, end)) => (title, end, TitleFrom::Heading),
            None => (title_from_key(key), 0, TitleFrom::FileName),
        };
        let front = FrontMatter { title: Some(Spanned::new(0..0, title)), ..FrontMatter::default() };
        return Ok(Page { front, front_start: 0, body_start, title_from });
    }
    let split = split(text).map_err(|e| {
        vec![Diagnostic::error(Code::FrontMatter, source.locate(e.offset), e.message).with_help(e.help)]
    })?;
    let front = FrontMatter::parse(source, split, is_section)?;
    Ok(Page { front, front_start: split.front_start, body_start: split.body_start, title_from: TitleFrom::FrontMatter })
}

/// The text of the level-1 heading the Markdown opens with, and the offset just after it. Read with the
/// options that change a heading's text as rendering has them (`{#id}` attributes, smart punctuation).
fn leading_heading(text: &str) -> Option<(String, usize)> {
    let options = Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_SMART_PUNCTUATION;
    let mut events = Parser::new_ext(text, options).into_offset_iter();
    let (Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }), range) = events.next()? else { return None };
    let mut title = String::new();
    for (event, _) in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => title.push_str(&t),
            Event::SoftBreak | Event::HardBreak => title.push(' '),
            _ => {}
        }
    }
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some((title, range.end))
}

/// `docs/getting-started.md` → "Getting started"; a section is named after its folder, the home page "Home".
pub fn title_from_key(key: &str) -> String {
    let stem = key.strip_suffix(".md").unwrap_or(key);
    let stem = stem.strip_suffix("/_index").unwrap_or(stem);
    let name = stem.rsplit('/').next().unwrap_or(stem);
    if name == "_index" || name.is_empty() {
        return "Home".to_string();
    }
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars.next().map_or(String::new(), |first| first.to_uppercase().chain(chars).collect())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Page,
    Category,
    Rule,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Page => "page",
            Kind::Category => "category",
            Kind::Rule => "rule",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    #[default]
    Weight,
    Title,
    Date,
    None,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub url: Spanned<String>,
    /// Who published it, so readers can weigh it.
    pub kind: Option<SourceKind>,
    pub date: Option<Date>,
    pub note: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A government site.
    Official,
    /// State or major media.
    Press,
    /// A consultancy, blog or repost: corroboration only.
    ThirdParty,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentItem {
    pub name: String,
    /// The Chinese name to ask for, shown on pages in other languages.
    pub zh: Option<String>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub summary: Option<String>,
    pub conditions: Vec<String>,
    #[serde(default)]
    pub documents: Vec<DocumentItem>,
    pub family: Option<String>,
    pub processing_time: Option<String>,
    pub fee: Option<String>,
    #[serde(default)]
    pub offices: Vec<Spanned<String>>,
    #[serde(default)]
    pub unconfirmed: Vec<Spanned<String>>,
}

pub const CATEGORY_FIELDS: &[&str] = &["conditions", "documents", "processing_time", "fee", "offices", "family"];

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Documents every case needs, listed once.
    #[serde(default)]
    pub documents: Vec<DocumentItem>,
    pub cases: Vec<RuleCase>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleCase {
    pub id: Spanned<String>,
    pub title: String,
    pub deadline: Option<String>,
    #[serde(default)]
    pub documents: Vec<DocumentItem>,
    pub fee: Option<String>,
    pub processing_time: Option<String>,
    pub note: Option<String>,
    #[serde(default)]
    pub unconfirmed: Vec<Spanned<String>>,
}

pub const RULE_CASE_FIELDS: &[&str] = &["deadline", "documents", "fee", "processing_time"];

/// Marks a translation as up to date with a version of its original.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationMark {
    /// The fingerprint of the original's translatable text when the translation was last brought up to date.
    pub source_hash: Spanned<String>,
    /// The git blob id of the original file then, so that `diptych diff` can show what changed since.
    pub source_blob: Option<Spanned<String>>,
}

/// The front matter of a page or a section (`_index.md`). Kind-specific data lives in its own table.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<Spanned<String>>,
    pub description: Option<String>,
    pub weight: Option<i64>,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub reviewed: Option<Spanned<Date>>,
    pub slug: Option<Spanned<String>>,
    pub path: Option<Spanned<String>>,
    /// Old URLs of this page, below the base URL (`/en/categories/old-name/`): each gets a redirect page.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    #[serde(default)]
    pub draft: bool,
    pub template: Option<Spanned<String>>,
    pub kind: Option<Spanned<Kind>>,
    pub sort_by: Option<Spanned<SortBy>>,
    pub page_kind: Option<Spanned<Kind>>,
    pub page_template: Option<Spanned<String>>,
    #[serde(default)]
    pub sources: Vec<Source>,
    pub category: Option<Spanned<Category>>,
    pub rule: Option<Spanned<Rule>>,
    pub translation: Option<Spanned<TranslationMark>>,
    /// A decision guide (see `site::finder`).
    pub finder: Option<Spanned<crate::site::finder::Finder>>,
    #[serde(default)]
    pub extra: toml::Table,
}

impl FrontMatter {
    /// Parses the front matter found by `split` in `source`, and checks what types alone cannot:
    /// keys that belong only to sections or only to pages, and kind tables that match the kind.
    pub fn parse(source: &SourceText, split: Split, is_section: bool) -> Result<FrontMatter, Vec<Diagnostic>> {
        let toml_text = &source.text[split.front_start..split.front_end];
        let mut front: FrontMatter = from_toml::parse(source, split.front_start, toml_text).map_err(|d| vec![d])?;
        let mut problems = url_field::check_sources(&mut front.sources, source, split.front_start);
        problems.extend(front.aliases.iter().filter_map(|alias| {
            let message = alias_problem(alias.get_ref())?;
            Some(
                Diagnostic::error(Code::BadAlias, source.locate(split.front_start + alias.span().start), message)
                    .with_help("write the old URL's path below the base URL, as `/en/old-page/`"),
            )
        }));
        if front.title.as_ref().is_none_or(|t| t.get_ref().trim().is_empty()) {
            problems.push(
                Diagnostic::error(Code::MissingKey, source.locate(0), "the page has no title")
                    .with_help("add `title = \"…\"` to the front matter"),
            );
        }
        let misplaced: &[(&str, Option<usize>)] = if is_section {
            &[
                ("slug", front.slug.as_ref().map(|s| s.span().start)),
                ("path", front.path.as_ref().map(|s| s.span().start)),
            ]
        } else {
            &[
                ("sort_by", front.sort_by.as_ref().map(|s| s.span().start)),
                ("page_kind", front.page_kind.as_ref().map(|s| s.span().start)),
                ("page_template", front.page_template.as_ref().map(|s| s.span().start)),
            ]
        };
        for (key, span) in misplaced {
            if let Some(start) = span {
                let (message, help) = if is_section {
                    (
                        format!("`{key}` does not apply to a section"),
                        "a section's URL is its folder's name; rename the folder instead",
                    )
                } else {
                    (format!("`{key}` applies only to sections"), "move it to the `_index.md` of the folder")
                };
                problems.push(
                    Diagnostic::error(Code::MisplacedKey, source.locate(split.front_start + start), message)
                        .with_help(help),
                );
            }
        }
        if problems.is_empty() { Ok(front) } else { Err(problems) }
    }

    pub fn title(&self) -> &str {
        self.title.as_ref().map_or("", |t| t.get_ref())
    }
}

/// What is wrong with an alias, if anything: it must be a plain path from the base URL, to a folder or an
/// `.html` file, that no output file name could refuse.
fn alias_problem(alias: &str) -> Option<String> {
    if !alias.starts_with('/') {
        return Some(format!("the alias `{alias}` does not start with `/`"));
    }
    if alias.trim_matches('/').is_empty() {
        return Some("the alias `/` is the home page itself".to_string());
    }
    if alias.split('/').any(|seg| seg == ".." || seg == ".") {
        return Some(format!("the alias `{alias}` has a `.` or `..` segment"));
    }
    if alias.contains("//") {
        return Some(format!("the alias `{alias}` has an empty segment (`//`)"));
    }
    let bad = |c: char| c.is_control() || c.is_whitespace() || "?#%\\\"'<>`:*|".contains(c);
    alias
        .chars()
        .find(|&c| bad(c))
        .map(|c| format!("the alias `{alias}` has `{}`, which a path cannot carry", c.escape_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_fences() {
        let text = "+++\ntitle = \"A\"\n+++\nBody\n";
        let s = split(text).unwrap();
        assert_eq!(&text[s.front_start..s.front_end], "title = \"A\"\n");
        assert_eq!(&text[s.body_start..], "Body\n");
    }

    #[test]
    fn closing_fence_at_end_of_file_without_newline() {
        let text = "+++\ntitle = \"A\"\n+++";
        let s = split(text).unwrap();
        assert_eq!(&text[s.body_start..], "");
    }

    #[test]
    fn explains_what_is_wrong() {
        assert_eq!(split("").unwrap_err().message, "the file is empty");
        assert_eq!(split("---\ntitle: a\n---\n").unwrap_err().message, "YAML front matter (`---`) is not supported");
        assert_eq!(split("# Hello\n").unwrap_err().message, "the file does not start with front matter");
        let late = split("Intro.\n+++\ntitle = \"a\"\n+++\n").unwrap_err();
        assert_eq!((late.offset, late.message), (7, "the front matter does not start on the file's first line"));
        assert_eq!(split("+++\ntitle = \"a\"\n").unwrap_err().message, "the front matter is not closed");
    }

    fn page(text: &str, key: &str) -> Result<Page, Vec<Diagnostic>> {
        parse_page(&SourceText::new(format!("content/{key}"), text.to_string()), key, false)
    }

    #[test]
    fn plain_markdown_takes_its_title_from_a_leading_heading_or_its_file_name() {
        let atx = "\n# The *new* rules {#rules}\n\nText.\n";
        let read = page(atx, "a.md").unwrap();
        assert_eq!((read.front.title(), read.title_from), ("The new rules", TitleFrom::Heading));
        assert_eq!(&atx[read.body_start..], "\nText.\n", "the heading is not shown twice");
        let setext = "Don't panic\n===========\nText.\n";
        let read = page(setext, "a.md").unwrap();
        assert_eq!((read.front.title(), &setext[read.body_start..]), ("Don’t panic", "Text.\n"));
        for (text, key, title) in [
            ("Intro.\n\n# Later\n", "docs/getting-started.md", "Getting started"),
            ("## Setup\n", "docs/_index.md", "Docs"),
            ("```\n+++\n```\n", "_index.md", "Home"),
            ("#\n", "a_b.md", "A b"),
        ] {
            let read = page(text, key).unwrap();
            assert_eq!(
                (read.front.title(), read.title_from, read.body_start),
                (title, TitleFrom::FileName, 0),
                "{text}"
            );
        }
        for refused in ["", "  \n", "---\ntitle: a\n---\n", "Intro.\n+++\ntitle = \"a\"\n+++\n"] {
            assert!(page(refused, "a.md").is_err(), "{refused:?}");
        }
        assert_eq!(page("+++\ntitle = \"A\"\n+++\n# B\n", "a.md").unwrap().title_from, TitleFrom::FrontMatter);
    }

    fn parse(text: &str, is_section: bool) -> Result<FrontMatter, Vec<Diagnostic>> {
        let source = SourceText::new("content/a.md", text.to_string());
        FrontMatter::parse(&source, split(text).unwrap(), is_section)
    }

    #[test]
    fn section_keys_on_a_page_are_misplaced() {
        let problems = parse("+++\ntitle = \"A\"\nsort_by = \"weight\"\n+++\n", false).unwrap_err();
        assert_eq!(problems[0].message, "`sort_by` applies only to sections");
        assert_eq!((problems[0].line, problems[0].column), (3, 11));
    }

    #[test]
    fn aliases_are_plain_paths_from_the_base_url() {
        let front = parse("+++\ntitle = \"A\"\naliases = [\"/en/old/\", \"/old.html\"]\n+++\n", false).unwrap();
        assert_eq!(front.aliases.len(), 2);
        let problems =
            parse("+++\ntitle = \"A\"\naliases = [\"en/old/\", \"/a/../b/\", \"/\", \"/a b/\"]\n+++\n", false)
                .unwrap_err();
        let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert!(messages[0].contains("does not start with `/`"));
        assert_eq!((problems[0].line, problems[0].column), (3, 12));
    }

    #[test]
    fn impossible_date_is_located() {
        let problems = parse("+++\ntitle = \"A\"\nreviewed = 2026-02-30\n+++\n", false).unwrap_err();
        assert_eq!(problems[0].line, 3, "{problems:?}");
        assert!(problems[0].message.contains("invalid date"), "{}", problems[0].message);
    }

    #[test]
    fn typed_category_table() {
        let front = parse(
            "+++\ntitle = \"W\"\n[category]\nconditions = [\"a\"]\noffices = [\"x\"]\n[[category.documents]]\nname = \"Passport\"\nzh = \"护照\"\n+++\n",
            false,
        )
        .unwrap();
        let category = front.category.unwrap().into_inner();
        assert_eq!(category.documents[0].zh.as_deref(), Some("护照"));
        assert_eq!(category.offices[0].get_ref(), "x");
    }
}
