//! The structs templates see: made for them from the model, so a template cannot reach into internals.

use std::collections::{BTreeMap, HashMap};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diag::Location;
use crate::render::markdown;
use crate::site::config::{Config, Language};
use crate::site::content::Entry;
use crate::site::date::{Date, MONTHS};
use crate::site::frontmatter::{Category, DocumentItem, Rule};

#[derive(Serialize)]
pub struct ConfigView<'a> {
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub default_language: &'a str,
    pub extra: &'a toml::Table,
    /// The direction of the page's language: `ltr` or `rtl`.
    pub dir: &'a str,
}

pub fn config_view<'a>(config: &'a Config, lang: &'a Language) -> ConfigView<'a> {
    ConfigView {
        base_url: &config.base_url,
        base_path: &config.base_path,
        title: &lang.title,
        description: &lang.description,
        default_language: &config.default_language,
        extra: &config.extra,
        dir: &lang.dir,
    }
}

#[derive(Serialize)]
pub struct LanguageView<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub lang_tag: &'a str,
    pub title: &'a str,
    pub url: String,
    pub current: bool,
}

pub fn languages_view<'a>(config: &'a Config, current: &str) -> Vec<LanguageView<'a>> {
    config
        .languages
        .iter()
        .map(|l| LanguageView {
            code: &l.code,
            name: &l.name,
            lang_tag: &l.lang_tag,
            title: &l.title,
            url: config.url(&config.language_prefix(&l.code)),
            current: l.code == current,
        })
        .collect()
}

/// The same page in each language, for the switcher and `hreflang` links.
#[derive(Serialize)]
pub struct Alternate<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub lang_tag: &'a str,
    pub url: String,
    pub permalink: String,
    pub current: bool,
    /// True where that language shows this page untranslated.
    pub fallback: bool,
}

pub fn alternates<'a>(
    config: &'a Config,
    index: usize,
    entry: &Entry,
    current: &str,
    urls: &HashMap<String, Vec<String>>,
) -> Vec<Alternate<'a>> {
    config
        .languages
        .iter()
        .map(|l| {
            let url = urls[&l.code][index].clone();
            Alternate {
                code: &l.code,
                name: &l.name,
                lang_tag: &l.lang_tag,
                permalink: absolute(config, &url),
                url,
                current: l.code == current,
                fallback: !entry.versions.contains_key(&l.code),
            }
        })
        .collect()
}

/// The language homes, for pages that belong to no language (the chooser, the root 404).
pub fn root_alternates<'a>(config: &'a Config, urls: &HashMap<String, Vec<String>>, home: usize) -> Vec<Alternate<'a>> {
    config
        .languages
        .iter()
        .map(|l| {
            let url = urls[&l.code][home].clone();
            Alternate {
                code: &l.code,
                name: &l.name,
                lang_tag: &l.lang_tag,
                permalink: absolute(config, &url),
                url,
                current: false,
                fallback: false,
            }
        })
        .collect()
}

/// The `x-default` of a page: the language chooser for the home page when every language has a prefix,
/// otherwise the page in the default language.
pub fn x_default(config: &Config, index: usize, is_home: bool, urls: &HashMap<String, Vec<String>>) -> String {
    if config.default_language_prefix && is_home {
        return config.base_url.clone();
    }
    absolute(config, &urls[&config.default_language][index])
}

/// A root-relative URL made absolute with `base_url`'s scheme and host.
fn absolute(config: &Config, url: &str) -> String {
    let origin = config.base_url.strip_suffix(&config.base_path).unwrap_or(&config.base_url);
    format!("{origin}{url}")
}

#[derive(Serialize)]
pub struct ChooserItem<'a> {
    pub language: &'a Language,
    pub url: String,
    /// Its Atom feed, when `[feeds]` is enabled.
    pub feed_url: Option<String>,
    /// The theme's strings in that language, so each choice speaks its own language.
    pub t: BTreeMap<String, String>,
}

/// A date as the language writes it: `date_format` with `{year}`, `{month}`, `{month_name}`, `{day}`;
/// `month_names` is a comma-separated list. ISO 8601 where the theme gives no format.
pub fn format_date(date: Date, strings: Option<&BTreeMap<String, String>>) -> String {
    let Some(format) = strings.and_then(|s| s.get("date_format")) else { return date.to_string() };
    let names: Vec<String> = strings
        .and_then(|s| s.get("month_names"))
        .map(|n| n.split(',').map(|m| m.trim().to_string()).collect())
        .filter(|v: &Vec<String>| v.len() == 12)
        .unwrap_or_else(|| MONTHS.iter().map(|m| m.to_string()).collect());
    format
        .replace("{year}", &date.year.to_string())
        .replace("{month_name}", &names[date.month as usize - 1])
        .replace("{month}", &date.month.to_string())
        .replace("{day}", &date.day.to_string())
}

/// Inline Markdown from front matter (a condition, a fee) as HTML, its links through the one link rewriter
/// (`markdown::resolve_link`), raw HTML shown as text. `locate` says where byte `i` of `text` is written in the
/// file; problems, linked keys and anchors go to `out`.
pub fn inline_markdown(
    text: &str,
    links: &dyn markdown::Links,
    locate: &dyn Fn(&str, usize) -> Location,
    out: &mut markdown::Rendered,
) -> String {
    let events =
        Parser::new_ext(text, markdown::options()).into_offset_iter().filter_map(|(event, range)| match event {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => None,
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let at = text[range.clone()].find(dest_url.as_ref()).map_or(range.start, |i| range.start + i);
                let link = markdown::resolve_link(&dest_url, links, &mut || locate(text, at));
                let dest_url = out.absorb(dest_url, link);
                Some(Event::Start(Tag::Link { link_type, dest_url, title, id }))
            }
            Event::Html(html) | Event::InlineHtml(html) => Some(Event::Text(html)),
            other => Some(other),
        });
    let mut html = String::with_capacity(text.len() + 16);
    pulldown_cmark::html::push_html(&mut html, events);
    html.trim_end().to_string()
}

/// The string values of a page's front matter and where each is written, to locate a link inside one.
pub struct FrontStrings<'t> {
    /// The TOML text and where it starts in the file.
    toml: &'t str,
    start: usize,
    /// Each string value: its literal's byte range in `toml` (quotes included), and its value.
    values: Vec<(std::ops::Range<usize>, String)>,
}

impl<'t> FrontStrings<'t> {
    /// `toml` is the front matter, which starts at byte `start` of its file.
    pub fn parse(toml: &'t str, start: usize) -> FrontStrings<'t> {
        let mut values = Vec::new();
        if let Ok(table) = toml::de::DeTable::parse(toml) {
            collect_strings(table.get_ref().values(), &mut values);
        }
        FrontStrings { toml, start, values }
    }

    /// The file offset of byte `inner` of the string value `text`: where it is written, escapes counted; the
    /// first such value where the same text is written twice. The front matter's start if no value is `text`.
    pub fn offset(&self, text: &str, inner: usize) -> usize {
        match self.values.iter().find(|(_, value)| value == text) {
            Some((range, _)) => self.start + range.start + raw_offset(&self.toml[range.clone()], inner),
            None => self.start,
        }
    }
}

fn collect_strings<'a, 'i: 'a>(
    values: impl Iterator<Item = &'a toml::Spanned<toml::de::DeValue<'i>>>,
    out: &mut Vec<(std::ops::Range<usize>, String)>,
) {
    for value in values {
        match value.get_ref() {
            toml::de::DeValue::String(s) => out.push((value.span(), s.to_string())),
            toml::de::DeValue::Array(items) => collect_strings(items.iter(), out),
            toml::de::DeValue::Table(table) => collect_strings(table.values(), out),
            _ => {}
        }
    }
}

/// The byte offset in `raw`, a TOML string as written (quotes included), of byte `inner` of its value.
fn raw_offset(raw: &str, inner: usize) -> usize {
    let (open, basic) = match raw.as_bytes() {
        [b'"', b'"', b'"', ..] => (3, true),
        [b'\'', b'\'', b'\'', ..] => (3, false),
        [b'"', ..] => (1, true),
        [b'\'', ..] => (1, false),
        _ => (0, false),
    };
    let bytes = raw.as_bytes();
    let mut pos = open;
    // A line break right after the opening quotes of a multi-line string is not part of its value.
    if open == 3 && bytes.get(pos) == Some(&b'\n') {
        pos += 1;
    }
    if !basic {
        return (pos + inner).min(raw.len());
    }
    let mut decoded = 0;
    while decoded < inner && pos < raw.len() {
        if bytes[pos] != b'\\' {
            let len = raw[pos..].chars().next().map_or(1, char::len_utf8);
            decoded += len;
            pos += len;
            continue;
        }
        let hex = |digits: usize| {
            raw.get(pos + 2..pos + 2 + digits)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32)
                .map_or(1, char::len_utf8)
        };
        match bytes.get(pos + 1) {
            Some(b'x') => (decoded, pos) = (decoded + hex(2), pos + 4),
            Some(b'u') => (decoded, pos) = (decoded + hex(4), pos + 6),
            Some(b'U') => (decoded, pos) = (decoded + hex(8), pos + 10),
            // A backslash at the end of a line drops the line break and the spaces after it.
            Some(c) if c.is_ascii_whitespace() => {
                pos += 1;
                while bytes.get(pos).is_some_and(u8::is_ascii_whitespace) {
                    pos += 1;
                }
            }
            _ => (decoded, pos) = (decoded + 1, pos + 2),
        }
    }
    pos.min(raw.len())
}

#[derive(Serialize)]
pub struct DocumentView {
    pub name: String,
    /// The Chinese name to ask for, given on pages that are not in Chinese.
    pub zh: Option<String>,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct CategoryView {
    pub summary: Option<String>,
    pub conditions: Vec<String>,
    pub documents: Vec<DocumentView>,
    pub family: Option<String>,
    pub processing_time: Option<String>,
    pub fee: Option<String>,
    pub offices: Vec<String>,
    /// Names of the fields shown as not yet confirmed.
    pub unconfirmed: Vec<String>,
}

#[derive(Serialize)]
pub struct RuleCaseView {
    pub id: String,
    pub title: String,
    pub deadline: Option<String>,
    pub documents: Vec<DocumentView>,
    pub fee: Option<String>,
    pub processing_time: Option<String>,
    pub note: Option<String>,
    pub unconfirmed: Vec<String>,
}

#[derive(Serialize)]
pub struct RuleView {
    pub documents: Vec<DocumentView>,
    pub cases: Vec<RuleCaseView>,
}

fn documents(
    items: &[DocumentItem],
    text_lang: &str,
    page_lang: &Language,
    inline: &mut dyn FnMut(&str) -> String,
) -> Vec<DocumentView> {
    let chinese_page = page_lang.code.starts_with("zh") && text_lang.starts_with("zh");
    items
        .iter()
        .map(|d| DocumentView {
            name: d.name.clone(),
            zh: d.zh.clone().filter(|_| !chinese_page),
            note: d.note.as_deref().map(&mut *inline),
        })
        .collect()
}

pub fn category_view(
    c: &Category,
    text_lang: &str,
    page_lang: &Language,
    inline: &mut dyn FnMut(&str) -> String,
) -> CategoryView {
    CategoryView {
        summary: c.summary.as_deref().map(&mut *inline),
        conditions: c.conditions.iter().map(|t| inline(t)).collect(),
        documents: documents(&c.documents, text_lang, page_lang, inline),
        family: c.family.as_deref().map(&mut *inline),
        processing_time: c.processing_time.as_deref().map(&mut *inline),
        fee: c.fee.as_deref().map(&mut *inline),
        offices: c.offices.iter().map(|o| o.get_ref().clone()).collect(),
        unconfirmed: c.unconfirmed.iter().map(|u| u.get_ref().clone()).collect(),
    }
}

pub fn rule_view(r: &Rule, text_lang: &str, page_lang: &Language, inline: &mut dyn FnMut(&str) -> String) -> RuleView {
    RuleView {
        documents: documents(&r.documents, text_lang, page_lang, inline),
        cases: r
            .cases
            .iter()
            .map(|c| RuleCaseView {
                id: c.id.get_ref().clone(),
                title: c.title.clone(),
                deadline: c.deadline.as_deref().map(&mut *inline),
                documents: documents(&c.documents, text_lang, page_lang, inline),
                fee: c.fee.as_deref().map(&mut *inline),
                processing_time: c.processing_time.as_deref().map(&mut *inline),
                note: c.note.as_deref().map(&mut *inline),
                unconfirmed: c.unconfirmed.iter().map(|u| u.get_ref().clone()).collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates_per_language() {
        let date = Date::new(2026, 11, 27).unwrap();
        let en: BTreeMap<String, String> =
            [("date_format".to_string(), "{day} {month_name} {year}".to_string())].into();
        let zh: BTreeMap<String, String> = [("date_format".to_string(), "{year}年{month}月{day}日".to_string())].into();
        assert_eq!(format_date(date, Some(&en)), "27 November 2026");
        assert_eq!(format_date(date, Some(&zh)), "2026年11月27日");
        assert_eq!(format_date(date, None), "2026-11-27");
    }

    struct OnlyA;

    impl markdown::Links for OnlyA {
        fn office_url(&self, _: &str) -> Option<String> {
            None
        }
        fn page_url(&self, key: &str, _: Option<&str>) -> Option<String> {
            (key == "a.md").then(|| "/en/a/".to_string())
        }
        fn keys(&self) -> Vec<String> {
            vec!["a.md".into()]
        }
        fn allow_unsafe_html(&self) -> bool {
            false
        }
    }

    /// Each text of a front matter as `FrontStrings` locates it, rendered as `page_view` renders it.
    fn inline_in(front: &str, text: &str) -> (String, markdown::Rendered) {
        let file = format!("+++\n{front}+++\n");
        let source = crate::diag::SourceText::new("content/p.md", file.clone());
        let strings = FrontStrings::parse(&file[4..file.len() - 4], 4);
        let locate = |text: &str, inner: usize| source.locate(strings.offset(text, inner));
        let mut out = markdown::Rendered::default();
        let html = inline_markdown(text, &OnlyA, &locate, &mut out);
        (html, out)
    }

    #[test]
    fn front_matter_links_go_through_the_one_rewriter_and_are_located_in_the_file() {
        let front =
            "title = \"t\"\n[category]\nconditions = [\"See [x](@/nope.md)\", \"[Apply](JavaScript:alert(1))\"]\n";
        let (html, out) = inline_in(front, "See [x](@/nope.md)");
        assert_eq!(html, "See <a href=\"#\">x</a>");
        let p = &out.problems[0];
        assert_eq!((p.code, p.line, p.column), (crate::diag::Code::BrokenLink, 4, 24));
        assert_eq!(p.help.as_deref(), Some("there is no content/nope.md; check the path, which starts from content/"));
        let (html, out) = inline_in(front, "[Apply](JavaScript:alert(1))");
        assert_eq!(html, "<a href=\"#\">Apply</a>", "not published as a link");
        let p = &out.problems[0];
        assert_eq!((p.code, p.line, p.column), (crate::diag::Code::UnsafeHtml, 4, 46));
        let front = "fee = \"\\u00e9 [Apply](<java\\tscript:x>) [a](@/a.md#fees)\"\n";
        let (html, out) = inline_in(front, "\u{e9} [Apply](<java\tscript:x>) [a](@/a.md#fees)");
        assert_eq!(html, "\u{e9} <a href=\"#\">Apply</a> <a href=\"/en/a/#fees\">a</a>");
        let p = &out.problems[0];
        assert_eq!((p.code, p.line, p.column), (crate::diag::Code::UnsafeHtml, 2, 24), "escapes are counted");
        assert_eq!((out.anchor_links[0].anchor.as_str(), out.anchor_links[0].at.column), ("fees", 45));
        assert_eq!(out.links_to, ["a.md"]);
    }

    #[test]
    fn locates_a_byte_of_a_front_matter_string_where_it_is_written() {
        let toml = "a = \"x\"\n[c]\nlist = [\n  \"See [x](@/nope.md)\",\n  'raw [y](@/y.md)',\n  \"\\u00e9\\t[z](@/z.md)\",\n]\nm = \"\"\"\n\\\n   [w](@/w.md)\"\"\"\n";
        let strings = FrontStrings::parse(toml, 100);
        let at = |text: &str, needle: &str| strings.offset(text, text.find(needle).unwrap()) - 100;
        assert_eq!(at("See [x](@/nope.md)", "@/"), toml.find("@/nope").unwrap());
        assert_eq!(at("raw [y](@/y.md)", "@/"), toml.find("@/y.md").unwrap());
        assert_eq!(at("\u{e9}\t[z](@/z.md)", "@/"), toml.find("@/z.md").unwrap(), "escapes are counted");
        assert_eq!(at("[w](@/w.md)", "@/"), toml.find("@/w.md").unwrap(), "a line-ending backslash is counted");
        assert_eq!(strings.offset("not there", 3), 100);
    }
}
