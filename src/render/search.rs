//! Site search: the search page of each language, and one Pagefind index per language built from the pages
//! as rendered, written with them in the same publish.
//!
//! Each language gets its own bundle under `pagefind/<lang>/` (the index, Pagefind's `pagefind.js` and its
//! WebAssembly), indexed with that language forced, so Chinese is segmented as Chinese and a reader only
//! ever gets results in the language of the search page. A page is indexed where its template marks its
//! content with `data-pagefind-body`; the default theme leaves that mark off a page shown untranslated, so
//! it is found only in its own language. See `docs/search.md`.

use std::path::Path;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use serde::Serialize;
use tera::{Context, Value};

use super::OutFile;
use super::Renderer;
use super::special::theme_string;
use super::views::Alternate;
use crate::diag::Diagnostic;
use crate::site::Site;
use crate::site::config::{Config, Language};
use crate::urls;

/// The folder the search bundles are written in, at the root of the output.
pub const BUNDLE_DIR: &str = "pagefind/";

/// A rendered page: its output path and its HTML.
type Page<'a> = (&'a str, &'a [u8]);

/// The mark a template puts on the element whose text is a page's content.
const BODY_MARK: &str = "data-pagefind-body";

/// Navigation inside the content (breadcrumbs, the pager) is never indexed: it names other pages.
const EXCLUDED: &str = "nav";

/// The site path of the search page of `lang`: `en/search/`.
pub fn site_path(config: &Config, lang: &str) -> String {
    format!("{}search/", config.language_prefix(lang))
}

/// The URL of the search page of `lang`, for the search box; none where the site has no search.
pub fn url(config: &Config, lang: &str) -> Option<String> {
    config.search.enabled.then(|| config.url(&site_path(config, lang)))
}

/// The output folder of the search bundle of `lang`: `pagefind/en/`.
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
        ctx.insert("pagefind_url", &config.url(&format!("{}pagefind.js", bundle_path(&lang.code))));
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

/// Whether the page at output `path` may be indexed: a page of `lang` (not a 404, the language chooser or
/// a search page) whose template marked its content.
fn indexable(config: &Config, lang: &str, path: &str, html: &[u8]) -> bool {
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
        && memchr_str(html, BODY_MARK.as_bytes())
}

fn memchr_str(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The search bundles of every language, built from the rendered pages: `pages` holds output paths and
/// their bytes. Empty where the site has no search. Every input is sorted first, so the same pages give
/// byte-identical bundles.
pub fn index<'a>(site: &Site, pages: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Result<Vec<OutFile>, String> {
    let config = &site.config;
    if !config.search.enabled {
        return Ok(Vec::new());
    }
    let mut pages: Vec<Page> = pages.into_iter().filter(|(p, _)| p.ends_with(".html")).collect();
    pages.sort_by(|a, b| a.0.cmp(b.0));
    let per_language: Vec<(&Language, Vec<Page>)> = config
        .languages
        .iter()
        .map(|l| (l, pages.iter().copied().filter(|(p, html)| indexable(config, &l.code, p, html)).collect()))
        .collect();
    // Each language is its own index: build them side by side.
    let bundles: Vec<Result<Vec<OutFile>, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> =
            per_language.iter().map(|(lang, pages)| scope.spawn(move || bundle(config, lang, pages))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err("the indexer stopped".to_string()))).collect()
    });
    let mut files = Vec::new();
    for bundle in bundles {
        files.extend(bundle?);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Adds the search bundles to a rendered site's files, keeping them sorted by path.
pub fn add_index(site: &Site, files: &mut Vec<OutFile>) -> Result<(), String> {
    let bundles = index(site, files.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())))?;
    files.extend(bundles);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(())
}

/// The bundle of one language, from its pages.
fn bundle(config: &Config, lang: &Language, pages: &[(&str, &[u8])]) -> Result<Vec<OutFile>, String> {
    // Pagefind panics where the current folder cannot be read (it was deleted): say so instead.
    std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("cannot start the search indexer: {e}"))?;
    let synthetic = runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .force_language(pagefind_language(lang))
            .exclude_selectors(vec![EXCLUDED.to_string()])
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
        for (path, html) in pages {
            let url = config.url(path.strip_suffix("index.html").unwrap_or(path));
            index
                .add_html_file(None, Some(url), String::from_utf8_lossy(html).into_owned())
                .await
                .map_err(|e| format!("cannot index {path}: {e}"))?;
        }
        index.get_files().await.map_err(|e| e.to_string())
    })?;
    // Pagefind names its files below a folder it makes up from the current folder; the entry file is at the
    // top of the bundle, so its folder is the one to strip, wherever that is.
    let root = synthetic
        .iter()
        .find(|f| f.filename.file_name().is_some_and(|n| n == ENTRY_FILE))
        .and_then(|f| f.filename.parent())
        .map(Path::to_path_buf)
        .ok_or_else(|| format!("the search index of `{}` has no {ENTRY_FILE}", lang.code))?;
    let dir = bundle_path(&lang.code);
    Ok(synthetic
        .into_iter()
        .filter_map(|file| {
            let rel = relative(&file.filename, &root)?;
            wanted(&rel).then(|| OutFile { path: format!("{dir}{rel}"), bytes: file.contents })
        })
        .collect())
}

/// The file at the top of a bundle that names its languages and their index files.
const ENTRY_FILE: &str = "pagefind-entry.json";

/// Pagefind's language for a site language: the primary subtag of its tag (`zh` for `zh-Hans`), which picks
/// the word segmentation and the stemmer.
fn pagefind_language(lang: &Language) -> String {
    lang.lang_tag.split('-').next().unwrap_or(&lang.code).to_lowercase()
}

/// A bundle file's path inside the bundle (whose top is `root`), `/`-separated.
fn relative(filename: &Path, root: &Path) -> Option<String> {
    let rel = filename.strip_prefix(root).unwrap_or(filename);
    let parts: Vec<&str> = rel.components().filter_map(|c| c.as_os_str().to_str()).collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Whether a bundle file is one the search page uses: the index and Pagefind's search API, not its
/// ready-made interfaces, which diptych's own small page replaces.
fn wanted(rel: &str) -> bool {
    !(rel.starts_with("pagefind-ui")
        || rel.starts_with("pagefind-modular-ui")
        || rel.starts_with("pagefind-component-ui")
        || rel.starts_with("pagefind-highlight")
        || rel.starts_with("playground/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_of_a_tag_is_its_primary_subtag() {
        let lang = Language {
            code: "zh".into(),
            name: "中文".into(),
            title: String::new(),
            description: String::new(),
            lang_tag: "zh-Hans".into(),
            dir: "ltr".into(),
        };
        assert_eq!(pagefind_language(&lang), "zh");
    }

    #[test]
    fn only_the_api_and_the_index_are_kept() {
        assert!(wanted("pagefind.js") && wanted("pagefind-entry.json") && wanted("index/en_1.pf_index"));
        assert!(!wanted("pagefind-ui.js") && !wanted("pagefind-component-ui.css"));
    }
}
