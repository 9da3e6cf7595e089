//! Checks every link in the rendered HTML against the rendered site: that it stays below the base URL, leads
//! to a page or file that exists, to an id that exists there, and to a page in the reader's language.
//! A problem is located where the link was written: the page's Markdown, else the template that holds it.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};
use rayon::prelude::*;

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Location, Severity, SourceText};
use crate::html::{self, Link};
use crate::render::OutFile;
use crate::render::Output;
use crate::render::markdown;
use crate::site::Site;
use crate::site::config::Config;
use crate::site::content::Doc;
use crate::urls::{self, file_for, office_path, site_path};

/// How the site is being checked: as configured, or under a made-up sub-path to find links that would
/// break there (a host that serves the site below a folder, a preview built with `--base-url`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    AsConfigured,
    SubPathProbe,
}

/// Checks the links of every HTML file in `files`, the rendered `site`.
pub fn check(site: &Site, output: &Output, mode: Mode) -> Diagnostics {
    let files = &output.files;
    // The probe only looks for links outside the base path: no link's target is looked up, so the ids of
    // every page, which the full check needs for `#id` links, are not read.
    let published = match mode {
        Mode::AsConfigured => Published::new(site, files),
        Mode::SubPathProbe => Published::without_ids(site, files),
    };
    // A file published twice is reported as such; which of the two is checked here would be a guess.
    let twice: HashSet<&str> =
        files.windows(2).filter(|p| p[0].path == p[1].path).map(|p| p[0].path.as_str()).collect();
    let found: Vec<(Diagnostic, &str)> = files
        .par_iter()
        .filter(|f| f.path.ends_with(".html") && !twice.contains(f.path.as_str()))
        .flat_map_iter(|file| {
            let links = html::link_tags(&html::text_of(&file.bytes));
            let content = output.content_ranges.get(&file.path).cloned();
            check_page(site, &published, &file.path, &links, content, mode).into_iter().map(|d| (d, file.path.as_str()))
        })
        .collect();
    merge(found)
}

/// The problems of the links of one HTML page, `links` as `html::link_tags` finds them. A problem that
/// several pages share is merged by `merge`.
pub fn check_page(
    site: &Site,
    published: &Published,
    path: &str,
    links: &[Link],
    content: Option<Range<usize>>,
    mode: Mode,
) -> Vec<Diagnostic> {
    let mut page = Page::new(site, published, path);
    page.links = links.to_vec();
    page.content = content;
    let mut problems: Vec<Diagnostic> = Vec::new();
    // A set, not `problems.contains`: thousands of broken links on one page took minutes (issue 10).
    let mut seen: HashSet<Diagnostic> = HashSet::new();
    for link in &page.links {
        if let Some(problem) = page.check(link, mode)
            && seen.insert(problem.clone())
        {
            problems.push(problem);
        }
    }
    problems
}

/// The output paths the links of a page lead to (as written, before resolving: `en/renewal/`), and whether
/// each names an `#id` there.
pub fn link_targets(site: &Site, path: &str, links: &[Link]) -> Vec<(String, bool)> {
    let published = Published::default();
    let page = Page::new(site, &published, path);
    links
        .iter()
        .filter_map(|link| match page.target(&link.url) {
            Target::Site { path, fragment } => Some((path, fragment.is_some_and(|f| !f.is_empty()))),
            _ => None,
        })
        .collect()
}

/// Problems found on several pages, once each, saying on which: `(in en/a/index.html and 2 other pages)`.
/// `found` comes in the order of the pages' paths.
pub fn merge<'a>(found: impl IntoIterator<Item = (Diagnostic, &'a str)>) -> Diagnostics {
    let mut pages_of: HashMap<Diagnostic, Vec<&str>> = HashMap::new();
    for (problem, path) in found {
        let pages = pages_of.entry(problem).or_default();
        if !pages.contains(&path) {
            pages.push(path);
        }
    }
    pages_of
        .into_iter()
        .map(|(mut d, pages)| {
            if let [first, _, ..] = pages.as_slice() {
                let others = pages.len() - 1;
                d.message =
                    format!("{} (in {first} and {others} other page{})", d.message, if others == 1 { "" } else { "s" });
            }
            d
        })
        .collect()
}

/// What the rendered site holds: its files, the ids in its HTML, the page and language of each file, and the
/// links each page's source writes. A rebuild keeps one up to date file by file.
#[derive(Default)]
pub struct Published {
    files: HashSet<String>,
    /// Output path → the content page and the language it is published in. Pages that failed to render
    /// are listed too, so that a link to them is not reported as broken on top of the render error.
    pages: HashMap<String, (usize, String)>,
    /// Output path → language, for content pages, office pages and each language's 404 page.
    languages: HashMap<String, String>,
    /// Output path → the data file a generated page is made from (an office's TOML).
    generated_from: HashMap<String, String>,
    ids: HashMap<String, HashSet<String>>,
}

impl Published {
    pub fn new(site: &Site, files: &[OutFile]) -> Self {
        let mut published = Published::without_ids(site, files);
        published.ids = files
            .par_iter()
            .filter(|f| f.path.ends_with(".html"))
            .map(|f| (f.path.clone(), ids_of(&f.bytes)))
            .collect();
        published
    }

    /// The site's pages and the files, but not the ids in them.
    fn without_ids(site: &Site, files: &[OutFile]) -> Self {
        let mut published = Published::default();
        published.index_site(site);
        published.files = files.iter().map(|f| f.path.clone()).collect();
        published
    }

    /// Takes the site's pages, languages and offices, which a rebuild changes when front matter does.
    pub fn index_site(&mut self, site: &Site) {
        let config = &site.config;
        self.pages.clear();
        self.languages.clear();
        self.generated_from.clear();
        for (i, entry) in site.content.entries.iter().enumerate() {
            for lang in &config.languages {
                let path = file_for(&site_path(config, &lang.code, entry));
                self.languages.insert(path.clone(), lang.code.clone());
                self.pages.insert(path, (i, lang.code.clone()));
            }
        }
        for lang in &config.languages {
            self.languages.insert(format!("{}404.html", config.language_prefix(&lang.code)), lang.code.clone());
            for office in &site.offices.offices {
                let path = file_for(&office_path(config, &lang.code, &office.id));
                self.languages.insert(path.clone(), lang.code.clone());
                self.generated_from.insert(path, office.file.clone());
            }
        }
    }

    /// Adds or replaces a published file; returns whether the ids in it changed.
    pub fn add_file(&mut self, path: &str, bytes: &[u8]) -> bool {
        self.files.insert(path.to_string());
        if !path.ends_with(".html") {
            return false;
        }
        let ids = ids_of(bytes);
        self.ids.insert(path.to_string(), ids.clone()).is_none_or(|old| old != ids)
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains(path)
    }

    pub fn remove_file(&mut self, path: &str) {
        self.files.remove(path);
        self.ids.remove(path);
    }

    /// The output file a site path is served from, if there is one.
    fn resolve(&self, path: &str) -> Option<String> {
        let exists = |p: &str| self.files.contains(p) || self.pages.contains_key(p);
        if path.is_empty() || path.ends_with('/') {
            let index = format!("{path}index.html");
            return exists(&index).then_some(index);
        }
        if exists(path) {
            return Some(path.to_string());
        }
        let index = format!("{path}/index.html");
        exists(&index).then_some(index)
    }

    /// The site path of every published page, for suggesting one near a broken link.
    fn page_paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self.pages.keys().map(|p| p.trim_end_matches("index.html").to_string()).collect();
        paths.extend(self.files.iter().filter(|p| !p.ends_with("index.html")).cloned());
        paths.sort();
        paths
    }
}

fn ids_of(bytes: &[u8]) -> HashSet<String> {
    html::ids(&html::text_of(bytes)).into_iter().collect()
}

/// A link as written in a page's source: Markdown, raw HTML in it, or inline Markdown in the front matter.
#[derive(Clone, Debug)]
struct Written {
    dest: String,
    /// Byte offset in the doc's text.
    offset: usize,
    in_front_matter: bool,
}

fn written_links(doc: &Doc) -> Vec<Written> {
    let mut out = Vec::new();
    let body = doc.body();
    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        let at = doc.body_start + range.start;
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let offset = markdown::dest_in_link(&body[range.clone()], &dest_url).map_or(at, |i| at + i);
                out.push(Written { dest: dest_url.to_string(), offset, in_front_matter: false });
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                out.extend(html::link_tags(&html).into_iter().map(|l| Written {
                    dest: l.url,
                    offset: at + l.offset,
                    in_front_matter: false,
                }));
            }
            _ => {}
        }
    }
    let front = &doc.source.text[doc.front_start..doc.body_start];
    let mut from = 0;
    while let Some(i) = front[from..].find("](") {
        let start = from + i + 2;
        let end = front[start..].find([')', '"', '\n']).map_or(front.len(), |e| start + e);
        out.push(Written {
            dest: front[start..end].to_string(),
            offset: doc.front_start + start,
            in_front_matter: true,
        });
        from = end;
    }
    out
}

/// One HTML file being checked.
struct Page<'p, 'a> {
    site: &'a Site,
    published: &'p Published,
    config: &'a Config,
    path: &'p str,
    /// The directory URL relative links start from: `/guide/en/renewal/`.
    dir_url: String,
    lang: Option<&'p str>,
    /// The doc shown, for content pages.
    doc: Option<usize>,
    /// Every link in the page's HTML, in order.
    links: Vec<Link>,
    /// Where the page's rendered Markdown lies in its HTML; the rest is the templates'.
    content: Option<Range<usize>>,
    /// The links written in the page's source, read once, when the first link with a problem needs locating.
    written: OnceCell<WrittenIndex>,
}

/// The links written in a doc, by the decoded URL they render to on the page, and for each link of the
/// page's HTML (by offset) how many links to its URL come before it in its region (content or templates).
/// Built once per page, so that locating each of thousands of links costs about the same.
struct WrittenIndex {
    written: Vec<Written>,
    by_url: HashMap<(String, Place), Vec<usize>>,
    occurrence: HashMap<usize, usize>,
}

/// Where a written link may be for a link of the HTML.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Place {
    Anywhere,
    Body,
    FrontMatter,
}

/// Where a link leads.
enum Target {
    /// Outside the site, or nothing to check (`mailto:`, `#`).
    Elsewhere,
    /// An id on this page.
    Here(String),
    /// A path below the base URL (decoded, without the base path), and an id there.
    Site { path: String, fragment: Option<String> },
    /// A path on the site's host that is not below the base URL.
    OutsideBase,
}

/// Where a link was written, and what rendering has checked of it already.
enum Origin {
    Written {
        at: Location,
        /// An `@/` link: rendering reports it if it leads nowhere, or to another language.
        at_link: bool,
        /// Rendering checked its `#id` too: an `@/` link to a page.
        anchor_checked: bool,
    },
    Template(Location),
    /// Neither in the page's source nor, literally, in a template: the HTML around it.
    Unknown(Location),
}

impl<'p, 'a> Page<'p, 'a> {
    fn new(site: &'a Site, published: &'p Published, path: &'p str) -> Self {
        let config = &site.config;
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        let dir_url = if dir.is_empty() { config.base_path.clone() } else { format!("{}{dir}/", config.base_path) };
        let doc = published.pages.get(path).map(|(entry, lang)| site.content.entries[*entry].doc_for(lang).0);
        let lang = published.languages.get(path).map(String::as_str);
        Page {
            site,
            published,
            config,
            path,
            dir_url,
            lang,
            doc,
            links: Vec::new(),
            content: None,
            written: OnceCell::new(),
        }
    }

    fn check(&self, link: &Link, mode: Mode) -> Option<Diagnostic> {
        if link.rel.split_whitespace().any(|r| r == "external") {
            return None;
        }
        match self.target(&link.url) {
            Target::Elsewhere => None,
            Target::OutsideBase => self.outside_base(link, mode),
            // The probe reports only links that leave the base path; the check as configured does the rest.
            _ if mode == Mode::SubPathProbe => None,
            Target::Here(id) => self.missing_id(link, self.path, &id),
            Target::Site { path, fragment } => {
                let Some(file) = self.published.resolve(&path) else { return self.broken(link, &path) };
                if let Some(id) = fragment.filter(|f| !f.is_empty())
                    && let Some(problem) = self.missing_id(link, &file, &id)
                {
                    return Some(problem);
                }
                self.wrong_language(link, &file)
            }
        }
    }

    fn target(&self, url: &str) -> Target {
        let url = url.trim();
        if url.is_empty() || url == "#" {
            return Target::Elsewhere;
        }
        if let Some(id) = url.strip_prefix('#') {
            return Target::Here(urls::decode_or_keep(id));
        }
        let (rest, fragment) = match url.split_once('#') {
            Some((rest, fragment)) => (rest, Some(urls::decode_or_keep(fragment))),
            None => (url, None),
        };
        let rest = rest.split('?').next().unwrap_or(rest);
        let origin = self.config.base_url.strip_suffix(&self.config.base_path).unwrap_or(&self.config.base_url);
        let host = origin.split_once("://").map_or(origin, |(_, h)| h);
        // An absolute URL on the site's host but outside its base path is another site on the same host.
        let absolute = |path: &str| -> Option<String> {
            let path = format!("/{}", path.trim_start_matches('/'));
            (path.starts_with(self.config.base_path.as_str()) || format!("{path}/") == self.config.base_path)
                .then_some(path)
        };
        let path = if let Some(after) = rest.strip_prefix(origin) {
            match absolute(after) {
                Some(path) if after.is_empty() || after.starts_with('/') => path,
                _ => return Target::Elsewhere,
            }
        } else if let Some(after) = rest.strip_prefix("//") {
            match after.strip_prefix(host).and_then(absolute) {
                Some(path) => path,
                None => return Target::Elsewhere,
            }
        } else if rest.starts_with('/') {
            rest.to_string()
        } else if urls::has_scheme(rest) {
            return Target::Elsewhere;
        } else {
            urls::join(&self.dir_url, rest)
        };
        let path = urls::decode_or_keep(&path);
        let base = &self.config.base_path;
        match path.strip_prefix(base.as_str()) {
            Some(below) => Target::Site { path: below.to_string(), fragment },
            None if format!("{path}/") == *base => Target::Site { path: String::new(), fragment },
            None => Target::OutsideBase,
        }
    }

    fn outside_base(&self, link: &Link, mode: Mode) -> Option<Diagnostic> {
        let base = &self.config.base_path;
        let (message, help) = match mode {
            Mode::AsConfigured => (
                format!("the link `{}` leaves the site, which is served below {base}", link.url),
                format!("every link to the site must start with {base}"),
            ),
            Mode::SubPathProbe => (
                format!(
                    "the link `{}` breaks when the site is served below a sub-path (checked with base_url {})",
                    link.url.replacen(base.as_str(), "/", 1),
                    self.config.base_url
                ),
                String::new(),
            ),
        };
        let help = match self.origin(link) {
            Origin::Written { .. } => "link a page with @/page.md, and a file with a path relative to the page".into(),
            _ if help.is_empty() => {
                "build the link from `config.base_path`, `url_for` or `asset` instead of writing `/`".into()
            }
            _ => format!("{help}; build it from `config.base_path`, `url_for` or `asset`"),
        };
        Some(self.located(link, Code::OutsideBase, message).with_help(help))
    }

    fn broken(&self, link: &Link, path: &str) -> Option<Diagnostic> {
        if let Origin::Written { at_link: true, .. } = self.origin(link) {
            return None;
        }
        let message = format!("the link `{}` points to no page or file", link.url);
        let candidates = self.published.page_paths();
        let (dir, file_name) = split_last(path);
        let siblings: Vec<String> =
            candidates.iter().filter(|c| split_last(c).0 == dir).map(|c| split_last(c).1.to_string()).collect();
        let near = crate::diag::suggest::closest(file_name, &siblings)
            .and_then(|name| candidates.iter().find(|c| split_last(c) == (dir, name)));
        let same_name = candidates.iter().find(|c| split_last(c).1 == file_name && !file_name.is_empty());
        let help = match near.or(same_name) {
            Some(best) => format!("did you mean {}?", self.config.url(best)),
            None if file_name.contains('.') => format!(
                "no file is published at {}; the site's static/ folder is published at the site's root (static/{file_name} at {})",
                self.config.url(path),
                self.config.url(file_name)
            ),
            None => "link a page with @/page.md (its path from content/), which is checked and follows the reader's language"
                .into(),
        };
        Some(self.located(link, Code::BrokenLink, message).with_help(help))
    }

    fn missing_id(&self, link: &Link, file: &str, id: &str) -> Option<Diagnostic> {
        let ids = self.published.ids.get(file)?;
        if ids.contains(id) {
            return None;
        }
        if let Origin::Written { anchor_checked: true, .. } = self.origin(link) {
            return None;
        }
        let page = if file == self.path {
            "this page".to_string()
        } else {
            format!("`{}`", link.url.split('#').next().unwrap_or(&link.url))
        };
        let candidates: Vec<String> = ids.iter().cloned().collect();
        let help = match crate::diag::suggest::closest(id, &candidates) {
            Some(best) => format!("did you mean `#{best}`?"),
            None => "give the heading an explicit id: `## Heading {#id}`".into(),
        };
        Some(
            self.located(link, Code::BrokenAnchor, format!("{page} has no heading or element with id `{id}`"))
                .with_help(help),
        )
    }

    fn wrong_language(&self, link: &Link, file: &str) -> Option<Diagnostic> {
        let (own, target) = (self.lang?, self.published.languages.get(file)?);
        if own == target
            || link.names_language
            || link.rel.split_whitespace().any(|r| r == "canonical" || r == "alternate")
        {
            return None;
        }
        let origin = self.origin(link);
        if let Origin::Written { at_link: true, .. } = origin {
            return None;
        }
        let key = self.published.pages.get(file).map(|(entry, _)| self.site.content.entries[*entry].key.as_str());
        let help = match (&origin, key) {
            (Origin::Written { .. }, Some(key)) => {
                format!("write @/{key} to link to the page in the reader's language")
            }
            _ => format!(
                "link the page in the page's own language (`url_for(key=…)`), or add hreflang=\"…\" if switching to {target} is the point"
            ),
        };
        let message = format!("on the {own} page, this link always goes to the {target} page `{}`", link.url);
        Some(self.located_as(Severity::Warning, link, Code::LinkLanguage, message).with_help(help))
    }

    fn located(&self, link: &Link, code: Code, message: String) -> Diagnostic {
        self.located_as(Severity::Error, link, code, message)
    }

    fn located_as(&self, severity: Severity, link: &Link, code: Code, mut message: String) -> Diagnostic {
        let at = match self.origin(link) {
            Origin::Written { at, .. } | Origin::Template(at) => at,
            Origin::Unknown(at) => {
                message.push_str(", in the HTML the templates write for this page");
                at
            }
        };
        match severity {
            Severity::Error => Diagnostic::error(code, at, message),
            Severity::Warning => Diagnostic::warning(code, at, message),
        }
    }

    /// A link in the page's rendered Markdown is the n-th link written to its URL in the body, where it is the
    /// n-th there; a link elsewhere is one written in the front matter (a category's conditions), else the
    /// templates'.
    fn origin(&self, link: &Link) -> Origin {
        if let Some(doc_index) = self.doc {
            let doc = &self.site.content.docs[doc_index];
            let wanted = urls::decode_or_keep(&link.url);
            let in_content = self.content.as_ref().is_none_or(|r| r.contains(&link.offset));
            // Read from the source only now, as only a link with a problem needs to be located.
            let index = self.written.get_or_init(|| self.index_written(doc));
            let occurrence = index.occurrence.get(&link.offset).copied().unwrap_or(0);
            // Without a content range every written link can match; with one, those of the link's region.
            let place = match self.content {
                None => Place::Anywhere,
                Some(_) if in_content => Place::Body,
                Some(_) => Place::FrontMatter,
            };
            let candidates = index.by_url.get(&(wanted, place)).map_or(&[][..], Vec::as_slice);
            let nth = if in_content { occurrence } else { 0 };
            let written = candidates.get(nth).map(|&i| &index.written[i]);
            if let Some(written) = written {
                let at_link = written.dest.starts_with("@/");
                let to_data = written.dest.split('#').next().is_some_and(|d| d.ends_with(".toml"));
                return Origin::Written {
                    at: doc.source.locate(written.offset),
                    at_link,
                    anchor_checked: at_link && !to_data,
                };
            }
        }
        if let Some(at) = self.in_templates(&link.url) {
            return Origin::Template(at);
        }
        Origin::Unknown(self.whole_page())
    }

    fn index_written(&self, doc: &Doc) -> WrittenIndex {
        let written = written_links(doc);
        let mut by_url: HashMap<(String, Place), Vec<usize>> = HashMap::new();
        for (i, w) in written.iter().enumerate() {
            let url = if w.dest.starts_with("@/") { self.at_link_url(&w.dest) } else { Some(w.dest.clone()) };
            if let Some(url) = url {
                let url = urls::decode_or_keep(&url);
                let place = if w.in_front_matter { Place::FrontMatter } else { Place::Body };
                by_url.entry((url.clone(), place)).or_default().push(i);
                by_url.entry((url, Place::Anywhere)).or_default().push(i);
            }
        }
        let mut counts: HashMap<(&str, bool), usize> = HashMap::new();
        let mut occurrence = HashMap::new();
        for l in &self.links {
            let in_content = self.content.as_ref().is_none_or(|r| r.contains(&l.offset));
            let n = counts.entry((l.url.as_str(), in_content)).or_default();
            occurrence.insert(l.offset, *n);
            *n += 1;
        }
        WrittenIndex { written, by_url, occurrence }
    }

    /// The URL an `@/` link renders to on this page: what `render` made of it, by the same function.
    fn at_link_url(&self, dest: &str) -> Option<String> {
        let links = SiteLinks { site: self.site, lang: self.lang? };
        let resolved = markdown::resolve_link(dest, &links, &mut || Location::file(""));
        resolved.key.and(resolved.dest)
    }

    /// The first template that writes the link literally: the whole URL, or its path below the base URL.
    fn in_templates(&self, url: &str) -> Option<Location> {
        let below_base = url.strip_prefix(self.config.base_path.as_str()).unwrap_or(url);
        let fragment = url.find('#').map_or("", |i| &url[i..]);
        let candidates = [url, below_base, fragment];
        let templates = &self.site.theme.templates;
        for candidate in candidates.iter().filter(|c| c.chars().any(char::is_alphanumeric)) {
            for template in templates {
                if let Some(offset) = find_attribute_value(&template.source, candidate) {
                    return Some(SourceText::new(template.path.clone(), template.source.clone()).locate(offset));
                }
            }
        }
        None
    }

    fn whole_page(&self) -> Location {
        if let Some(doc) = self.doc {
            return Location::file(&self.site.content.docs[doc].source.path);
        }
        if let Some(file) = self.published.generated_from.get(self.path) {
            return Location::file(file);
        }
        let template = match self.path {
            "index.html" if self.config.default_language_prefix => "chooser.html",
            p if p.ends_with("404.html") => "404.html",
            other => return Location::file(other),
        };
        let templates = &self.site.theme.templates;
        Location::file(templates.iter().find(|t| t.name == template).map_or(template, |t| t.path.as_str()))
    }
}

/// What `@/` links lead to from a page of the rendered site, in its language, for `markdown::resolve_link`.
struct SiteLinks<'a> {
    site: &'a Site,
    lang: &'a str,
}

impl markdown::Links for SiteLinks<'_> {
    fn base_path(&self) -> &str {
        &self.site.config.base_path
    }

    fn office_url(&self, key: &str) -> Option<String> {
        let config = &self.site.config;
        let office = self.site.offices.offices.iter().find(|o| o.file.strip_prefix("content/") == Some(key))?;
        Some(config.url(&office_path(config, self.lang, &office.id)))
    }

    fn page_url(&self, key: &str, lang: Option<&str>) -> Option<String> {
        let (config, content) = (&self.site.config, &self.site.content);
        let lang = config.language(lang.unwrap_or(self.lang))?;
        let entry = &content.entries[*content.by_key.get(key)?];
        Some(config.url(&site_path(config, &lang.code, entry)))
    }

    /// Rendering has reported the broken ones already; the check only needs the URLs.
    fn keys(&self) -> Vec<String> {
        Vec::new()
    }

    fn allow_unsafe_html(&self) -> bool {
        self.site.config.markdown.allow_unsafe_html
    }
}

/// `en/renewal/` → (`en/`, `renewal`); `static/a.pdf` → (`static/`, `a.pdf`).
fn split_last(path: &str) -> (&str, &str) {
    let trimmed = path.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(i) => (&path[..=i], &trimmed[i + 1..]),
        None => ("", trimmed),
    }
}

/// Where `value` starts an attribute value in a template: after `"`, `'`, `=` or a closing `}}`.
fn find_attribute_value(source: &str, value: &str) -> Option<usize> {
    source.match_indices(value).map(|(i, _)| i).find(|&i| {
        let before = source[..i].trim_end_matches(' ');
        before.ends_with(['"', '\'', '=']) || before.ends_with("}}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_literal_link_in_a_template_only_as_an_attribute_value() {
        let source = "<p>see /en/about/</p>\n<a href=\"{{ config.base_path }}en/about/\">";
        assert_eq!(find_attribute_value(source, "en/about/"), source.rfind("en/about/"));
        assert_eq!(find_attribute_value("text /x.png", "/x.png"), None);
    }
}
