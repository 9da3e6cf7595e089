//! Site search: the search page of each language, and one index per language built from the pages as
//! rendered (`search_index`), written with them in the same publish.
//!
//! Each language gets its own bundle under `search-index/<lang>/`, so a reader only ever gets results in the
//! language of the search page. A page is indexed where its template marks its content with
//! `data-search-body`; the default theme leaves that mark off a page shown untranslated, so it is found only
//! in its own language. See `docs/search.md`.

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use super::OutFile;
use super::Renderer;
use super::search_index::{self, Document};
use super::special::theme_string;
use super::views::Alternate;
use crate::diag::Diagnostic;
use crate::site::Site;
use crate::site::config::{Config, Language};
use crate::urls;

/// The folder the search bundles are written in, at the root of the output.
pub const BUNDLE_DIR: &str = "search-index/";

/// A rendered page: its output path and its HTML.
type Page<'a> = (&'a str, &'a [u8]);

/// The site path of the search page of `lang`: `en/search/`.
pub fn site_path(config: &Config, lang: &str) -> String {
    format!("{}search/", config.language_prefix(lang))
}

/// The URL of the search page of `lang`, for the search box; none where the site has no search.
pub fn url(config: &Config, lang: &str) -> Option<String> {
    config.search.enabled.then(|| config.url(&site_path(config, lang)))
}

/// The output folder of the search bundle of `lang`: `search-index/en/`.
pub fn bundle_path(lang: &str) -> String {
    format!("{BUNDLE_DIR}{lang}/")
}

/// Where a theme keeps the files only search uses (`static/search/search.js`): shipped only with search on.
const STATIC_DIR: &str = "static/search/";

/// Whether the theme's static file published at `out_path` ships: all do, but those of `static/search/` only
/// where the site has search, so a site without it ships no search code.
pub fn ships(config: &Config, out_path: &str) -> bool {
    config.search.enabled || !out_path.starts_with(STATIC_DIR)
}

/// Whether output `path` is one search makes: the search page of a language, or a file of the bundles.
pub fn is_reserved(config: &Config, path: &str) -> bool {
    config.search.enabled
        && (path.starts_with(BUNDLE_DIR)
            || config.languages.iter().any(|l| path == urls::file_for(&site_path(config, &l.code))))
}

/// One line of the page list the search page shows without JavaScript.
#[derive(Serialize)]
struct Listed {
    title: String,
    url: String,
    /// 0 for the home page's children, 1 for theirs, …
    depth: usize,
    lang_tag: Option<String>,
}

impl Renderer<'_> {
    /// The search page of `lang`: a form, the place results appear, and every page of the language for a
    /// reader without JavaScript.
    pub(super) fn search_page(
        &self,
        lang: &Language,
        common: &Context,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<OutFile> {
        let config = &self.site.config;
        let path = site_path(config, &lang.code);
        let mut ctx = common.clone();
        ctx.insert("alternates", &self.search_alternates(&lang.code));
        ctx.insert("x_default", &config.permalink(&site_path(config, &config.default_language)));
        ctx.insert("pages", &self.page_list(&lang.code));
        ctx.insert(
            "search_index_url",
            &config.url(&format!("{}{}", bundle_path(&lang.code), search_index::ENTRY_FILE)),
        );
        let title = theme_string(common, "search_title");
        self.render_page_not_content("search.html", title, &path, urls::file_for(&path), ctx, problems)
    }

    /// Each language's search page, as `alternates` are on every other page.
    fn search_alternates<'a>(&'a self, current: &str) -> Vec<Alternate<'a>> {
        let config = &self.site.config;
        config
            .languages
            .iter()
            .map(|l| Alternate {
                code: &l.code,
                name: &l.name,
                lang_tag: &l.lang_tag,
                url: config.url(&site_path(config, &l.code)),
                permalink: config.permalink(&site_path(config, &l.code)),
                current: l.code == current,
                fallback: false,
            })
            .collect()
    }

    /// Every page published in `lang`, depth first in the order of the menus, then the offices.
    fn page_list(&self, lang: &str) -> Vec<Listed> {
        let content = self.site.entries();
        let offices = self.site.offices();
        let mut listed = Vec::new();
        let mut stack: Vec<(usize, usize)> = children(content, content.home(), lang).map(|i| (i, 0)).rev().collect();
        while let Some((entry, depth)) = stack.pop() {
            if let Some(summary) = self.index.summary(lang, entry) {
                listed.push(listed_from(summary, depth));
            }
            stack.extend(children(content, entry, lang).map(|i| (i, depth + 1)).rev());
        }
        let config = &self.site.config;
        let views = self.index.offices.views.get(lang).map(Vec::as_slice).unwrap_or_default();
        // An office whose contact facts are not confirmed has no page of its own (the directory lists it).
        for (office, view) in offices.offices.iter().zip(views).filter(|(office, _)| office.contact_confirmed()) {
            listed.push(Listed {
                title: view.get_from_path("name.text").and_then(|v| v.as_str()).unwrap_or(&office.id).to_string(),
                url: config.url(&urls::office_path(config, lang, &office.id)),
                depth: 0,
                lang_tag: None,
            });
        }
        listed
    }
}

/// A section's subsections, then its pages, as the menu orders them.
fn children<'a>(
    content: &'a crate::site::content::Content,
    entry: usize,
    lang: &'a str,
) -> impl DoubleEndedIterator<Item = usize> + 'a {
    [true, false].into_iter().flat_map(move |subsections| content.sorted_children(entry, lang, subsections))
}

fn listed_from(summary: &Value, depth: usize) -> Listed {
    let text = |key: &str| summary.get_from_path(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let fallback = summary.get_from_path("fallback").and_then(|v| v.as_bool()).unwrap_or(false);
    Listed { title: text("title"), url: text("url"), depth, lang_tag: fallback.then(|| text("lang_tag")) }
}

/// Whether the page at output `path` may be indexed: a page of `lang`, not a 404, the language chooser or a
/// search page. (It is indexed where its template marked its content: see `search_index::extract`.)
fn indexable(config: &Config, lang: &str, path: &str) -> bool {
    let prefix = config.language_prefix(lang);
    let Some(rest) = path.strip_prefix(prefix.as_str()) else { return false };
    let other_language = config.languages.iter().any(|l| {
        l.code != lang && {
            let p = config.language_prefix(&l.code);
            !p.is_empty() && path.starts_with(p.as_str())
        }
    });
    rest.ends_with("index.html")
        && !(rest == "index.html" && prefix.is_empty() && config.default_language_prefix)
        && !other_language
        && path != urls::file_for(&site_path(config, lang))
        && !path.starts_with(BUNDLE_DIR)
}

/// The search bundles of every language, built from the rendered pages: `pages` holds output paths and
/// their bytes. Empty where the site has no search. Pages are taken in the order of their paths, so the same
/// pages give byte-identical bundles.
pub fn index<'a>(site: &Site, pages: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Vec<OutFile> {
    let config = &site.config;
    if !config.search.enabled {
        return Vec::new();
    }
    let mut pages: Vec<Page> = pages.into_iter().filter(|(p, _)| p.ends_with(".html")).collect();
    pages.sort_by(|a, b| a.0.cmp(b.0));
    let mut files: Vec<OutFile> = config
        .languages
        .par_iter()
        .flat_map_iter(|lang| {
            let docs: Vec<Document> = pages
                .par_iter()
                .filter(|(p, _)| indexable(config, &lang.code, p))
                .filter_map(|(path, html)| {
                    let url = config.url(path.strip_suffix("index.html").unwrap_or(path));
                    search_index::extract(&url, &crate::html::text_of(html))
                })
                .collect();
            search_index::bundle(&bundle_path(&lang.code), &docs)
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Adds the search bundles to a rendered site's files, keeping them sorted by path.
pub fn add_index(site: &Site, files: &mut Vec<OutFile>) {
    let bundles = index(site, files.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())));
    files.extend(bundles);
    files.sort_by(|a, b| a.path.cmp(&b.path));
}
