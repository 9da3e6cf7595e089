//! Turns one source page into a diptych page: front matter mapped, a title where it had none, shortcodes and
//! links rewritten.

use std::collections::BTreeMap;

use super::front_matter::{self, key_line};
use super::links::{self, LinkContext, PageIndex};
use super::report::{Group, Note};
use super::shortcodes;
use super::source::SourcePage;
use crate::site::frontmatter::title_from_key;

/// What a page converts against.
pub struct Context<'a> {
    pub index: &'a PageIndex,
    pub default_language: &'a str,
    pub default_language_prefix: bool,
    /// Each bundle folder's files: name → path under `static/`.
    pub bundle_assets: &'a BTreeMap<String, BTreeMap<String, String>>,
}

/// A page ready to write.
#[derive(Debug)]
pub struct Converted {
    /// `content/blog/a.fr.md`.
    pub path: String,
    pub text: String,
    pub title: String,
}

/// Converts `page`, adding what it could not carry to `notes`. `None` for a draft or a page that cannot be read.
pub fn page(page: &SourcePage, ctx: &Context, notes: &mut Vec<Note>) -> Option<Converted> {
    let at = |line: usize| (page.display.as_str(), line);
    let parsed = match front_matter::parse(&page.text) {
        Ok(parsed) => parsed,
        Err((line, message)) => {
            notes.push(Note::at_line(Group::Error, page.display.as_str(), line, message));
            return None;
        }
    };
    let is_section = page.key.ends_with("_index.md");
    let mapped = front_matter::map(parsed.table, is_section);
    for (key, group, message) in &mapped.notes {
        let (file, line) = at(parsed.front_line + key_line(&parsed.front_text, key) - 1);
        notes.push(Note::at_line(*group, file, line, message.clone()));
    }
    if mapped.draft {
        let (file, line) = at(parsed.front_line + key_line(&parsed.front_text, "draft") - 1);
        notes.push(Note::at_line(Group::Draft, file, line, "a draft: not imported"));
        return None;
    }
    let mut front = mapped.front;
    let (body, shortcode_notes) = shortcodes::convert(&parsed.body, ctx.index, &page.key);
    let no_assets = BTreeMap::new();
    let assets = page.bundle.as_ref().and_then(|b| ctx.bundle_assets.get(b)).unwrap_or(&no_assets);
    let depth = url_depth(page, &front, ctx);
    let link_ctx = LinkContext { index: ctx.index, key: &page.key, assets, depth };
    let (body, link_notes) = links::rewrite(&body, &link_ctx);
    for (line, group, message) in shortcode_notes.into_iter().chain(link_notes) {
        notes.push(Note::at_line(group, page.display.as_str(), parsed.body_line + line, message));
    }
    let title = match front.get("title").and_then(|t| t.as_str()).filter(|t| !t.trim().is_empty()) {
        Some(title) => title.to_string(),
        None => {
            let (title, from) = match first_heading(&body) {
                Some(heading) => (heading, "its first heading"),
                None => (title_from_key(&page.key), "the file name"),
            };
            notes.push(Note::new(Group::Title, page.display.as_str(), format!("title {title:?} from {from}")));
            front.insert("title".to_string(), toml::Value::String(title.clone()));
            title
        }
    };
    let text = format!("+++\n{}+++\n{body}", front_matter::to_text(&front));
    Some(Converted { path: output_path(&page.key, &page.lang, ctx.default_language), text, title })
}

/// `blog/a.md` in `fr` → `content/blog/a.fr.md`; the default language has no suffix.
pub fn output_path(key: &str, lang: &str, default_language: &str) -> String {
    let stem = key.strip_suffix(".md").unwrap_or(key);
    if lang == default_language { format!("content/{stem}.md") } else { format!("content/{stem}.{lang}.md") }
}

/// How many folders deep the page is published: `/fr/blog/a/` is 3.
fn url_depth(page: &SourcePage, front: &toml::Table, ctx: &Context) -> usize {
    let prefix = usize::from(page.lang != ctx.default_language || ctx.default_language_prefix);
    let folders = |p: &str| p.split('/').filter(|s| !s.is_empty()).count();
    let path = match front.get("path").and_then(|p| p.as_str()) {
        Some(path) => folders(path),
        None if page.key.ends_with("_index.md") => folders(page.key.trim_end_matches("_index.md")),
        None => folders(page.key.trim_end_matches(".md")),
    };
    prefix + path
}

/// The text of the first ATX heading outside code, without `{#id}` or closing `#`s.
pub fn first_heading(body: &str) -> Option<String> {
    let mut in_fence = false;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence || !trimmed.starts_with('#') {
            continue;
        }
        let text = trimmed.trim_start_matches('#');
        if !text.starts_with(' ') {
            continue;
        }
        let text = match text.rfind(" {") {
            Some(i) if text.trim_end().ends_with('}') => &text[..i],
            _ => text,
        };
        let text = text.trim().trim_end_matches('#').trim();
        if !text.is_empty() {
            return Some(text.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_heading_or_file_name() {
        assert_eq!(first_heading("```\n# not\n```\n\n# Hugo Book {anchor=false}\n").as_deref(), Some("Hugo Book"));
        assert_eq!(first_heading("#tag\n## Setup ##\n").as_deref(), Some("Setup"));
    }

    #[test]
    fn page_without_front_matter_gets_one() {
        let index = PageIndex::new(["a.md"]);
        let bundles = BTreeMap::new();
        let ctx =
            Context { index: &index, default_language: "en", default_language_prefix: false, bundle_assets: &bundles };
        let source = SourcePage {
            display: "notes/a.md".into(),
            key: "a.md".into(),
            lang: "fr".into(),
            text: "# Bonjour\n\nTexte.\n".into(),
            bundle: None,
        };
        let mut notes = Vec::new();
        let out = page(&source, &ctx, &mut notes).unwrap();
        assert_eq!(out.path, "content/a.fr.md");
        assert_eq!(out.text, "+++\ntitle = \"Bonjour\"\n+++\n# Bonjour\n\nTexte.\n");
        assert_eq!(notes[0].group, Group::Title);
    }
}
