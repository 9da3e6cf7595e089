//! Renders every page of a loaded site in every language with the theme's templates, into output files.

mod offices;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Kwargs, State, Tera, Value};

use crate::config::{Config, Language};
use crate::content::{Content, Doc, Entry};
use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::frontmatter::Source;
use crate::markdown::{self, AnchorLink, Heading, Resolved, ShortcodeCall};
use crate::publish::OutFile;
use crate::site::Site;
use crate::templates::{self, Sources};
use crate::views::{self, CategoryView, RuleView};

/// What rendering produced: the files, the problems, and counts for the summary line.
#[derive(Debug, Default)]
pub struct Output {
    pub files: Vec<OutFile>,
    pub problems: Diagnostics,
    /// Language → pages published in it (translated or not).
    pub pages: BTreeMap<String, usize>,
    /// Language → pages shown there in another language.
    pub fallbacks: BTreeMap<String, usize>,
    /// Key → keys of the pages it links to.
    pub links: BTreeMap<String, Vec<String>>,
    /// Output path → where the page's rendered Markdown lies in its HTML, so that a link found in the HTML can
    /// be traced to the Markdown or to the template.
    pub content_ranges: BTreeMap<String, std::ops::Range<usize>>,
}

/// The site path of a page: `en/categories/working-staff/` (`` for the home page at the root).
pub fn site_path(config: &Config, lang: &str, entry: &Entry) -> String {
    format!("{}{}", config.language_prefix(lang), entry.paths.get(lang).map_or("", String::as_str))
}

/// The file a site path is written to.
pub fn file_for(site_path: &str) -> String {
    format!("{site_path}index.html")
}

/// A page in a listing or a link: what templates get for other pages.
#[derive(Serialize)]
struct Summary<'a> {
    key: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    url: String,
    kind: &'static str,
    is_section: bool,
    weight: Option<i64>,
    date: Option<Date>,
    reviewed: Option<Date>,
    summary: Option<&'a str>,
    /// True where the text is in another language than the listing's.
    fallback: bool,
    lang: &'a str,
    lang_tag: &'a str,
}

/// A section with its children, as `get_section` returns it.
#[derive(Serialize)]
struct SectionView<'a> {
    #[serde(flatten)]
    summary: &'a Value,
    pages: Value,
    subsections: Value,
}

/// What every template function needs to know about the site, shared across threads.
struct Index {
    config: Config,
    by_key: HashMap<String, usize>,
    /// Language → entry → its summary in that language, and its URL.
    summaries: HashMap<String, Vec<Value>>,
    urls: HashMap<String, Vec<String>>,
    /// Language → section entry → its pages and subsections, sorted.
    children: HashMap<String, HashMap<usize, (Value, Value)>>,
    assets: BTreeMap<String, String>,
    strings: BTreeMap<String, BTreeMap<String, String>>,
    offices: offices::OfficeIndex,
}

impl Index {
    fn build(site: &Site) -> Index {
        let config = &site.config;
        let content = &site.content;
        let mut summaries = HashMap::new();
        let mut urls = HashMap::new();
        let mut children = HashMap::new();
        for lang in &config.languages {
            let lang_urls: Vec<String> =
                content.entries.iter().map(|e| config.url(&site_path(config, &lang.code, e))).collect();
            let lang_summaries: Vec<Value> = content
                .entries
                .par_iter()
                .enumerate()
                .map(|(i, e)| Value::from_serializable(&summary(config, content, e, &lang.code, lang_urls[i].clone())))
                .collect();
            let sections: HashMap<usize, (Value, Value)> = content
                .entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.is_section)
                .map(|(i, _)| {
                    let list = |subsections| {
                        let items: Vec<Value> = content
                            .sorted_children(i, &lang.code, subsections)
                            .into_iter()
                            .map(|c| lang_summaries[c].clone())
                            .collect();
                        Value::from(items.as_slice())
                    };
                    (i, (list(false), list(true)))
                })
                .collect();
            summaries.insert(lang.code.clone(), lang_summaries);
            urls.insert(lang.code.clone(), lang_urls);
            children.insert(lang.code.clone(), sections);
        }
        let assets = site.theme.assets.iter().map(|(name, path)| (name.clone(), config.url(path))).collect();
        Index {
            config: config.clone(),
            by_key: content.by_key.clone(),
            summaries,
            urls,
            children,
            assets,
            strings: site.theme.strings.clone(),
            offices: offices::OfficeIndex::build(site),
        }
    }

    fn entry(&self, key: &str) -> Result<usize, tera::Error> {
        self.by_key
            .get(key)
            .copied()
            .ok_or_else(|| tera::Error::message(format!("there is no page `{key}` in content/")))
    }
}

fn summary<'a>(config: &'a Config, content: &'a Content, entry: &'a Entry, lang: &str, url: String) -> Summary<'a> {
    let (doc_index, fallback) = entry.doc_for(lang);
    let doc = &content.docs[doc_index];
    let text_lang = config.language(&doc.lang).map_or(("", ""), |l| (l.code.as_str(), l.lang_tag.as_str()));
    Summary {
        key: &entry.key,
        title: doc.title(),
        description: doc.front.description.as_deref(),
        url,
        kind: if entry.is_section { "section" } else { entry.kind.name() },
        is_section: entry.is_section,
        weight: doc.front.weight,
        date: doc.front.date,
        reviewed: doc.front.reviewed.as_ref().map(|r| *r.get_ref()),
        summary: doc.front.category.as_ref().and_then(|c| c.get_ref().summary.as_deref()),
        fallback,
        lang: text_lang.0,
        lang_tag: text_lang.1,
    }
}

fn current_lang(state: &State) -> Result<String, tera::Error> {
    state.get::<String>("lang")?.ok_or_else(|| tera::Error::message("`lang` is not set in this template's context"))
}

/// Filters and functions the theme's templates can call.
fn register(tera: &mut Tera, index: &Arc<Index>) {
    let ix = Arc::clone(index);
    tera.register_function("url_for", move |kwargs: Kwargs, state: &State| -> Result<String, tera::Error> {
        let key: String = kwargs.must_get("key")?;
        let lang = kwargs.get::<String>("lang")?.map_or_else(|| current_lang(state), Ok)?;
        let entry = ix.entry(&key)?;
        ix.urls
            .get(&lang)
            .map(|u| u[entry].clone())
            .ok_or_else(|| tera::Error::message(format!("no language `{lang}`")))
    });
    let ix = Arc::clone(index);
    tera.register_function("get_section", move |kwargs: Kwargs, state: &State| -> Result<Value, tera::Error> {
        let key: String = kwargs.must_get("key")?;
        let lang = current_lang(state)?;
        let entry = ix.entry(&key)?;
        let (pages, subsections) = ix.children[&lang]
            .get(&entry)
            .cloned()
            .ok_or_else(|| tera::Error::message(format!("`{key}` is a page, not a section (_index.md)")))?;
        Ok(Value::from_serializable(&SectionView { summary: &ix.summaries[&lang][entry], pages, subsections }))
    });
    let ix = Arc::clone(index);
    tera.register_function("get_page", move |kwargs: Kwargs, state: &State| -> Result<Value, tera::Error> {
        let key: String = kwargs.must_get("key")?;
        let entry = ix.entry(&key)?;
        Ok(ix.summaries[&current_lang(state)?][entry].clone())
    });
    let ix = Arc::clone(index);
    tera.register_function("asset", move |kwargs: Kwargs, _: &State| -> Result<String, tera::Error> {
        let name: String = kwargs.must_get("name")?;
        ix.assets
            .get(&name)
            .cloned()
            .or_else(|| Some(ix.config.url(&format!("static/{name}"))))
            .ok_or_else(|| tera::Error::message("unreachable"))
    });
    let ix = Arc::clone(index);
    tera.register_function("get_office", move |kwargs: Kwargs, state: &State| -> Result<Value, tera::Error> {
        let id: String = kwargs.must_get("id")?;
        ix.offices.get(&current_lang(state)?, &id)
    });
    let ix = Arc::clone(index);
    tera.register_filter("date", move |value: &str, _: Kwargs, state: &State| -> Result<String, tera::Error> {
        let date = Date::parse(value).map_err(tera::Error::message)?;
        let strings = ix.strings.get(&current_lang(state)?);
        Ok(views::format_date(date, strings))
    });
}

/// Per-language values every page's context starts from.
fn common_context(site: &Site, index: &Index, lang: &Language) -> Context {
    let config = &site.config;
    let mut ctx = Context::new();
    ctx.insert("lang", &lang.code);
    ctx.insert("lang_tag", &lang.lang_tag);
    ctx.insert("language", lang);
    ctx.insert("config", &views::config_view(config, lang));
    ctx.insert("languages", &views::languages_view(config, &lang.code));
    ctx.insert("t", &site.theme.strings.get(&lang.code).cloned().unwrap_or_default());
    ctx.insert("assets", &index.assets);
    ctx.insert("home_url", &config.url(&config.language_prefix(&lang.code)));
    let home = site.content.home();
    let nav: Vec<Value> = [true, false]
        .into_iter()
        .flat_map(|subsections| site.content.sorted_children(home, &lang.code, subsections))
        .map(|i| index.summaries[&lang.code][i].clone())
        .collect();
    ctx.insert_value("nav", Value::from(nav.as_slice()));
    ctx
}

/// Renders the whole site.
pub fn render_site(site: &Site) -> Output {
    let mut out = Output::default();
    if !site.content.by_key.contains_key("_index.md") {
        return out;
    }
    let index = Arc::new(Index::build(site));
    let sources = Sources::new(&site.theme.templates);
    let tera = match templates::compile(&site.theme.templates, |t| register(t, &index)) {
        Ok(tera) => tera,
        Err(problems) => {
            out.problems = problems;
            return out;
        }
    };
    let renderer = Renderer { site, tera: &tera, sources: &sources, index: &index };
    let jobs: Vec<(usize, &Language)> =
        site.config.languages.iter().flat_map(|lang| (0..site.content.entries.len()).map(move |i| (i, lang))).collect();
    let commons: HashMap<String, Context> =
        site.config.languages.iter().map(|l| (l.code.clone(), common_context(site, &index, l))).collect();
    let pages: Vec<PageOutput> =
        jobs.par_iter().map(|&(entry, lang)| renderer.page(entry, lang, &commons[&lang.code])).collect();
    for lang in &site.config.languages {
        for office in 0..site.offices.offices.len() {
            let page = renderer.office_page(office, lang, &commons[&lang.code], &mut out.problems);
            *out.pages.entry(lang.code.clone()).or_default() += usize::from(page.is_some());
            out.files.extend(page);
        }
    }
    out.files.extend(offices::exports(site));
    for lang in &site.config.languages {
        out.files.extend(renderer.not_found(lang, &commons[&lang.code], &mut out.problems));
    }
    if site.config.default_language_prefix {
        out.files.extend(renderer.root_page(
            "chooser.html",
            "index.html",
            &commons[&site.config.default_language],
            &mut out.problems,
        ));
        out.files.extend(renderer.root_page(
            "404.html",
            "404.html",
            &commons[&site.config.default_language],
            &mut out.problems,
        ));
    }
    check_anchors(site, &pages, &mut out.problems);
    for page in pages {
        *out.pages.entry(page.lang.clone()).or_default() += 1;
        if page.fallback {
            *out.fallbacks.entry(page.lang.clone()).or_default() += 1;
        }
        out.problems.extend(page.problems);
        if page.lang == site.config.default_language {
            out.links.insert(site.content.entries[page.entry].key.clone(), page.links_to);
        }
        if let Some(file) = page.file {
            if let Some(range) = page.content_range {
                out.content_ranges.insert(file.path.clone(), range);
            }
            out.files.push(file);
        }
    }
    out.files.push(OutFile { path: "sitemap.xml".into(), bytes: crate::sitemap::sitemap(site).into_bytes() });
    out.files.push(OutFile { path: "robots.txt".into(), bytes: crate::sitemap::robots(&site.config).into_bytes() });
    for file in &site.theme.static_files {
        out.files.push(OutFile { path: file.out_path.clone(), bytes: file.bytes.clone() });
    }
    dedupe_template_errors(&mut out.problems);
    out.files.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// One rendered page and what was learned rendering it.
struct PageOutput {
    entry: usize,
    lang: String,
    fallback: bool,
    file: Option<OutFile>,
    /// Where the rendered Markdown lies in the file.
    content_range: Option<std::ops::Range<usize>>,
    anchor_links: Vec<AnchorLink>,
    links_to: Vec<String>,
    problems: Vec<Diagnostic>,
}

struct Renderer<'a> {
    site: &'a Site,
    tera: &'a Tera,
    sources: &'a Sources,
    index: &'a Index,
}

impl Renderer<'_> {
    fn page(&self, entry_index: usize, lang: &Language, common: &Context) -> PageOutput {
        let site = self.site;
        let content = &site.content;
        let entry = &content.entries[entry_index];
        let (doc_index, fallback) = entry.doc_for(&lang.code);
        let doc = &content.docs[doc_index];
        let mut problems = Vec::new();
        if fallback {
            problems.push(
                Diagnostic::warning(
                    "untranslated",
                    Location::file(&doc.source.path),
                    format!("no {} translation: the {} page shows the {} text", lang.code, lang.code, doc.lang),
                )
                .with_help(format!("translate it into {}", translation_path(doc, &lang.code))),
            );
        }
        let link_ctx = LinkContext { renderer: self, lang, doc, common };
        let rendered = markdown::render(&doc.source, doc.body_start, &link_ctx);
        problems.extend(rendered.problems);
        let path = site_path(&site.config, &lang.code, entry);
        let mut ctx = common.clone();
        let view = self.page_view(
            entry_index,
            doc,
            lang,
            fallback,
            rendered.html,
            rendered.headings,
            &link_ctx,
            &mut problems,
        );
        ctx.insert("page", &view);
        ctx.insert("alternates", &views::alternates(&site.config, content, entry, &lang.code, &self.index.urls));
        ctx.insert("x_default", &views::x_default(&site.config, content, entry, &self.index.urls));
        ctx.insert("canonical", &self.canonical(entry, doc, &lang.code, fallback));
        ctx.insert("breadcrumbs", &self.breadcrumbs(entry_index, &lang.code));
        if entry.key == offices::DIRECTORY_KEY && !site.offices.is_empty() {
            self.directory_context(&lang.code, &mut ctx);
        }
        let template = self.template_for(entry, entry_index);
        let mut content_range = None;
        let file = match self.tera.render(&template, &ctx) {
            Ok(html) => {
                content_range = html.find(&view.content).map(|start| start..start + view.content.len());
                Some(OutFile { path: file_for(&path), bytes: html.into_bytes() })
            }
            Err(err) => {
                problems.push(self.template_problem(&err, &template, doc));
                None
            }
        };
        PageOutput {
            entry: entry_index,
            lang: lang.code.clone(),
            fallback,
            file,
            content_range,
            anchor_links: rendered.anchor_links,
            links_to: rendered.links_to,
            problems,
        }
    }

    fn template_problem(&self, err: &tera::Error, template: &str, doc: &Doc) -> Diagnostic {
        if matches!(err.kind(), tera::ErrorKind::TemplateNotFound(_)) {
            let at = doc
                .front
                .template
                .as_ref()
                .map_or_else(|| doc.source.locate(0), |t| doc.front_location(t.span().start));
            return Diagnostic::error("template-error", at, format!("there is no template `{template}`"))
                .with_help("add it to the theme's templates/ folder or the site's templates/, or fix the name");
        }
        self.sources.diagnostic(err, Some(&doc.source.path))
    }

    fn template_for(&self, entry: &Entry, entry_index: usize) -> String {
        if let Some(t) = &entry.template {
            return t.clone();
        }
        if entry_index == self.site.content.home() {
            return "index.html".into();
        }
        if entry.key == offices::DIRECTORY_KEY && !self.site.offices.is_empty() {
            return "offices.html".into();
        }
        if entry.is_section {
            return "section.html".into();
        }
        format!("{}.html", entry.kind.name())
    }

    /// A fallback page's canonical is the original it shows.
    fn canonical(&self, entry: &Entry, doc: &Doc, lang: &str, fallback: bool) -> String {
        let config = &self.site.config;
        let shown_in = if fallback { doc.lang.as_str() } else { lang };
        config.permalink(&site_path(config, shown_in, entry))
    }

    fn breadcrumbs(&self, entry_index: usize, lang: &str) -> Vec<Value> {
        self.site.content.ancestors(entry_index).into_iter().map(|i| self.index.summaries[lang][i].clone()).collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn page_view<'d>(
        &self,
        entry_index: usize,
        doc: &'d Doc,
        lang: &Language,
        fallback: bool,
        html: String,
        headings: Vec<Heading>,
        link_ctx: &LinkContext,
        problems: &mut Vec<Diagnostic>,
    ) -> PageView<'d> {
        let site = self.site;
        let entry = &site.content.entries[entry_index];
        let text_lang = site.config.language(&doc.lang).cloned().unwrap_or_else(|| lang.clone());
        let url = self.index.urls[&lang.code][entry_index].clone();
        let (pages, subsections) =
            self.index.children[&lang.code].get(&entry_index).cloned().unwrap_or_else(|| (empty_list(), empty_list()));
        let mut inline = |text: &str| views::inline_markdown(text, &doc.source, doc.front_start, link_ctx, problems);
        // An unknown office id is reported where it is written (site::load); the page lists the others.
        let category = doc.front.category.as_ref().map(|c| {
            let mut view = views::category_view(c.get_ref(), &doc.lang, lang, &mut inline);
            view.offices.retain(|id| site.offices.get(id).is_some());
            view
        });
        let rule = doc.front.rule.as_ref().map(|r| views::rule_view(r.get_ref(), &doc.lang, lang, &mut inline));
        PageView {
            key: entry.key.clone(),
            kind: if entry.is_section { "section" } else { entry.kind.name() },
            is_section: entry.is_section,
            is_home: entry_index == site.content.home(),
            title: doc.title(),
            description: doc.front.description.as_deref(),
            permalink: site.config.permalink(&site_path(&site.config, &lang.code, entry)),
            url,
            content: html,
            toc: headings.into_iter().filter(|h| (2..=3).contains(&h.level)).collect(),
            date: doc.front.date,
            updated: doc.front.updated,
            reviewed: doc.front.reviewed.as_ref().map(|r| *r.get_ref()),
            weight: doc.front.weight,
            sources: &doc.front.sources,
            extra: &doc.front.extra,
            category,
            rule,
            pages,
            subsections,
            fallback,
            text_lang: text_lang.code,
            text_lang_tag: text_lang.lang_tag,
            text_lang_name: text_lang.name,
        }
    }

    fn not_found(&self, lang: &Language, common: &Context, problems: &mut Diagnostics) -> Option<OutFile> {
        let path = format!("{}404.html", self.site.config.language_prefix(&lang.code));
        let mut ctx = common.clone();
        ctx.insert(
            "alternates",
            &views::root_alternates(&self.site.config, &self.index.urls, self.site.content.home()),
        );
        self.render_plain("404.html", &path, &ctx, problems)
    }

    fn root_page(&self, template: &str, path: &str, common: &Context, problems: &mut Diagnostics) -> Option<OutFile> {
        let mut ctx = common.clone();
        ctx.insert("root", &true);
        ctx.insert(
            "alternates",
            &views::root_alternates(&self.site.config, &self.index.urls, self.site.content.home()),
        );
        let chooser: Vec<Value> = self
            .site
            .config
            .languages
            .iter()
            .map(|l| {
                let strings = self.site.theme.strings.get(&l.code).cloned().unwrap_or_default();
                Value::from_serializable(&views::ChooserItem {
                    language: l,
                    url: self.index.urls[&l.code][self.site.content.home()].clone(),
                    t: strings,
                })
            })
            .collect();
        ctx.insert_value("chooser", Value::from(chooser.as_slice()));
        self.render_plain(template, path, &ctx, problems)
    }

    /// Renders a page that is not content (a 404, the chooser): it gets a bare `page` and no breadcrumbs.
    fn render_plain(&self, template: &str, path: &str, ctx: &Context, problems: &mut Diagnostics) -> Option<OutFile> {
        let config = &self.site.config;
        let mut ctx = ctx.clone();
        let title = ctx
            .get("t")
            .and_then(|t| t.get_from_path("not_found_title"))
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        ctx.insert("page", &PlainPage { title, url: config.url(path), ..PlainPage::default() });
        ctx.insert("breadcrumbs", &Vec::<Value>::new());
        ctx.insert(
            "x_default",
            &if config.default_language_prefix { config.base_url.clone() } else { config.permalink("") },
        );
        ctx.insert("canonical", &config.permalink(path));
        match self.tera.render(template, &ctx) {
            Ok(html) => Some(OutFile { path: path.to_string(), bytes: html.into_bytes() }),
            Err(err) => {
                problems.push(self.sources.diagnostic(&err, Some(path)));
                None
            }
        }
    }
}

fn translation_path(doc: &Doc, lang: &str) -> String {
    let base = doc.source.path.trim_end_matches(".md");
    let base = match base.rsplit_once('.') {
        Some((stem, suffix)) if crate::config::is_language_code(suffix) && !stem.ends_with('/') => stem,
        _ => base,
    };
    format!("{base}.{lang}.md")
}

#[derive(Serialize)]
struct PageView<'a> {
    key: String,
    kind: &'static str,
    is_section: bool,
    is_home: bool,
    title: &'a str,
    description: Option<&'a str>,
    url: String,
    permalink: String,
    content: String,
    toc: Vec<Heading>,
    date: Option<Date>,
    updated: Option<Date>,
    reviewed: Option<Date>,
    weight: Option<i64>,
    sources: &'a [Source],
    extra: &'a toml::Table,
    category: Option<CategoryView>,
    rule: Option<RuleView>,
    pages: Value,
    subsections: Value,
    /// True where the page is shown in another language than the site's (not yet translated).
    fallback: bool,
    text_lang: String,
    text_lang_tag: String,
    text_lang_name: String,
}

/// The `page` of pages that are not content: a 404, the chooser, an office.
#[derive(Serialize, Default)]
struct PlainPage {
    title: String,
    url: String,
    is_home: bool,
    fallback: bool,
    description: Option<String>,
    toc: Vec<Heading>,
    reviewed: Option<Date>,
    sources: Vec<Source>,
}

/// Resolves `@/` links and renders shortcodes for one page in one language.
pub struct LinkContext<'r, 'a> {
    renderer: &'r Renderer<'a>,
    lang: &'r Language,
    doc: &'r Doc,
    common: &'r Context,
}

impl markdown::Context for LinkContext<'_, '_> {
    fn resolve(&self, key: &str, at: &Location) -> Resolved {
        let site = self.renderer.site;
        if let Some(url) = self.renderer.index.offices.url_for_file(key, &self.lang.code) {
            return Resolved::Url(url);
        }
        let base = markdown::strip_language(key);
        let Some(&entry) = site.content.by_key.get(base.as_ref()) else { return Resolved::Missing };
        if base != key {
            let named = key.trim_end_matches(".md").rsplit('.').next().unwrap_or("");
            if let Some(urls) = self.renderer.index.urls.get(named) {
                let warning = Diagnostic::warning(
                    "link-language",
                    at.clone(),
                    format!("this link always goes to the {named} page, whatever the reader's language"),
                )
                .with_help(format!("write @/{base} to link to the page in the reader's language"));
                return Resolved::UrlWithWarning(urls[entry].clone(), warning);
            }
            return Resolved::Missing;
        }
        Resolved::Url(self.renderer.index.urls[&self.lang.code][entry].clone())
    }

    fn render_shortcode(&self, call: &ShortcodeCall, at: &Location) -> Result<String, Diagnostic> {
        let name = format!("shortcodes/{}.html", call.name);
        if !self.renderer.tera.get_template_names().any(|n| n == name) {
            let known: Vec<String> = self
                .renderer
                .tera
                .get_template_names()
                .filter_map(|n| n.strip_prefix("shortcodes/").and_then(|n| n.strip_suffix(".html")))
                .map(str::to_string)
                .collect();
            return Err(Diagnostic::error("shortcode", at.clone(), format!("unknown shortcode `{}`", call.name))
                .with_help(format!("the theme's shortcodes are {}", crate::toml_diag::quote_list(&known))));
        }
        let mut ctx = self.common.clone();
        for (key, value) in &call.args {
            ctx.insert(key.clone(), value);
        }
        self.renderer.tera.render(&name, &ctx).map_err(|err| {
            let inner = self.renderer.sources.diagnostic(&err, None);
            Diagnostic::error("shortcode", at.clone(), format!("shortcode `{}`: {}", call.name, inner.message))
                .with_help(format!("the error is at {}:{}:{}", inner.path, inner.line, inner.column))
        })
    }

    fn allow_unsafe_html(&self) -> bool {
        self.renderer.site.config.markdown.allow_unsafe_html
    }
}

impl LinkContext<'_, '_> {
    pub fn doc_path(&self) -> &str {
        &self.doc.source.path
    }
}

/// Checks `@/page.md#anchor` links against the ids in the target page as rendered (templates' ids too).
fn check_anchors(site: &Site, pages: &[PageOutput], problems: &mut Diagnostics) {
    let needed: std::collections::HashSet<(&str, &str)> =
        pages.iter().flat_map(|p| p.anchor_links.iter().map(move |l| (l.key.as_str(), p.lang.as_str()))).collect();
    if needed.is_empty() {
        return;
    }
    let mut ids: HashMap<(&str, &str), Vec<String>> = HashMap::new();
    for page in pages {
        let key = site.content.entries[page.entry].key.as_str();
        if needed.contains(&(key, page.lang.as_str()))
            && let Some(file) = &page.file
        {
            ids.insert((key, page.lang.as_str()), crate::htmlscan::ids(&String::from_utf8_lossy(&file.bytes)));
        }
    }
    for page in pages {
        for link in &page.anchor_links {
            let Some(found) = ids.get(&(link.key.as_str(), page.lang.as_str())) else { continue };
            if !found.contains(&link.anchor) {
                let mut d = Diagnostic::error(
                    "broken-anchor",
                    link.at.clone(),
                    format!("`{}` has no heading or element with id `{}`", link.key, link.anchor),
                );
                let suggestions: Vec<String> = found.iter().filter(|id| !id.is_empty()).cloned().collect();
                d = match crate::toml_diag::closest(&link.anchor, &suggestions) {
                    Some(best) => d.with_help(format!("did you mean `#{best}`?")),
                    None => d.with_help("give the heading an explicit id: `## Heading {#id}`"),
                };
                problems.push(d);
            }
        }
    }
}

/// A template error repeats on every page that uses the template: keep one, and say how many pages hit it.
fn dedupe_template_errors(problems: &mut Diagnostics) {
    let mut seen: BTreeMap<(String, usize, usize, String), (Diagnostic, usize)> = BTreeMap::new();
    let mut rest = Diagnostics::default();
    for d in std::mem::take(problems) {
        if d.code != "template-error" {
            rest.push(d);
            continue;
        }
        let base = d.message.split(" (while rendering ").next().unwrap_or(&d.message).to_string();
        seen.entry((d.path.clone(), d.line, d.column, base)).and_modify(|(_, n)| *n += 1).or_insert((d, 1));
    }
    for (_, (mut d, n)) in seen {
        if n > 1 {
            d.message = d.message.trim_end_matches(')').to_string() + &format!(", and {} other pages)", n - 1);
        }
        rest.push(d);
    }
    *problems = rest;
}

fn empty_list() -> Value {
    let empty: &[Value] = &[];
    Value::from(empty)
}
