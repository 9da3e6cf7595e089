//! The structs templates see: made for them from the model, so a template cannot reach into internals.

use std::collections::{BTreeMap, HashMap};

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diag::Code;
use crate::diag::{Diagnostic, SourceText};
use crate::render::markdown::{self, Resolved};
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
}

pub fn config_view<'a>(config: &'a Config, lang: &'a Language) -> ConfigView<'a> {
    ConfigView {
        base_url: &config.base_url,
        base_path: &config.base_path,
        title: &lang.title,
        description: &lang.description,
        default_language: &config.default_language,
        extra: &config.extra,
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

/// Inline Markdown from front matter (a condition, a fee) as HTML, with `@/` links resolved.
pub fn inline_markdown(
    text: &str,
    source: &SourceText,
    front_start: usize,
    ctx: &dyn markdown::Context,
    problems: &mut Vec<Diagnostic>,
) -> String {
    let at = source.locate(front_start);
    let events = Parser::new_ext(text, markdown::options()).filter_map(|event| match event {
        Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => None,
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if dest_url.starts_with("@/") => {
            let (key, anchor) = dest_url[2..].split_once('#').map_or((&dest_url[2..], None), |(k, a)| (k, Some(a)));
            let url = match ctx.resolve(key, &at) {
                Resolved::Url(url) => url,
                Resolved::UrlWithWarning(url, warning) => {
                    problems.push(warning);
                    url
                }
                Resolved::Missing => {
                    problems.push(Diagnostic::error(
                        Code::BrokenLink,
                        at.clone(),
                        format!("the link `{dest_url}` in the front matter points to no page"),
                    ));
                    "#".to_string()
                }
            };
            let dest = anchor.map_or(url.clone(), |a| format!("{url}#{a}"));
            Some(Event::Start(Tag::Link { link_type, dest_url: CowStr::from(dest), title, id }))
        }
        Event::Html(html) | Event::InlineHtml(html) => Some(Event::Text(html)),
        other => Some(other),
    });
    let mut html = String::with_capacity(text.len() + 16);
    pulldown_cmark::html::push_html(&mut html, events);
    html.trim_end().to_string()
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
}
