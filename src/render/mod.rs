//! Renders a loaded site in every language with the theme's templates, into output files: the whole site for
//! `build`, or any set of its outputs for a rebuild, with the same functions.
//!
//! The unit of work is a `Job` (a page in one language, an office page, the sitemap, …). Rendering a job gives
//! its files and `Facts`: its problems, and what it read about other pages, so a rebuild can tell which jobs a
//! change reaches.
//!
//! A job renders in a `Renderer`, which holds no `&Site`: only `reads::SiteData` and the index, whose accessors
//! record each read as they answer it. A new kind of output reads the site through them, so `watch` knows when
//! to render it again without the output having to say so.

pub mod aliases;
pub mod feed;
mod finder;
mod functions;
pub mod headers;
mod index;
pub mod markdown;
pub mod office_export;
pub mod office_views;
mod offices;
mod pages;
pub mod reads;
pub mod sanitize;
pub mod search;
pub mod search_index;
pub mod sitemap;
mod special;
mod stand_in;
pub mod standalone;
pub mod templates;
pub mod views;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics};
use crate::render::markdown::AnchorLink;
use crate::site::Site;
use crate::site::config::Language;
use crate::urls::{HOME, feed_path};
use index::Index;
pub use reads::{Aspects, Reads, SiteData};
use templates::Sources;

/// One file of the built site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutFile {
    /// Relative to the output folder, `/`-separated: `en/renewal/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What rendering the whole site produced: the files, the problems, and counts for the summary line.
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

/// One piece of the output, rendered on its own.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Job {
    /// A content page (an entry) in one language.
    Page { key: String, lang: String },
    /// `/<lang>/offices/<id>/`.
    Office { id: String, lang: String },
    /// `/<lang>/404.html`.
    NotFound { lang: String },
    /// The language chooser at the root, when every language has a prefix.
    Chooser,
    /// `/404.html`, when every language has a prefix.
    RootNotFound,
    /// `/<lang>/search/`, where the site has search.
    Search { lang: String },
    /// The search bundles (`search-index/`): made by `search::index` from the other jobs' pages once they have
    /// rendered, so rendering this job alone makes nothing.
    SearchIndex,
    /// `/<lang>/atom.xml`, when `[feeds]` is enabled.
    Feed { lang: String },
    /// `sitemap.xml`, `robots.txt` and `_headers`.
    Sitemap,
    /// `offices.json` and the vCards.
    OfficeData,
    /// The redirect pages at pages' old URLs, and `_redirects`.
    Aliases,
    /// The theme's and the site's static files.
    Static,
}

impl Job {
    /// Whether the job renders a page with the site's navigation on it.
    pub fn shows_navigation(&self) -> bool {
        !matches!(
            self,
            Job::Feed { .. } | Job::Sitemap | Job::OfficeData | Job::Aliases | Job::Static | Job::SearchIndex
        )
    }
}

/// What rendering one job found out, besides its files.
#[derive(Clone, Debug)]
pub struct Facts {
    pub job: Job,
    pub problems: Vec<Diagnostic>,
    pub reads: Reads,
    /// A content page shown in another language than its own.
    pub fallback: bool,
    /// `@/page.md#anchor` links, checked once the pages they point into have rendered.
    pub anchor_links: Vec<AnchorLink>,
    /// Keys of the pages a content page links to.
    pub links_to: Vec<String>,
    /// Where a content page's rendered Markdown lies in its HTML.
    pub content_range: Option<std::ops::Range<usize>>,
}

impl Facts {
    fn new(job: &Job) -> Facts {
        Facts {
            job: job.clone(),
            problems: Vec::new(),
            reads: Reads::default(),
            fallback: false,
            anchor_links: Vec::new(),
            links_to: Vec::new(),
            content_range: None,
        }
    }
}

/// One rendered job.
#[derive(Debug)]
pub struct Rendered {
    pub files: Vec<OutFile>,
    pub facts: Facts,
}

/// Every job of a site, in a stable order. None without a home page (content reports it).
pub fn jobs(site: &Site) -> Vec<Job> {
    if !site.content.by_key.contains_key(HOME) {
        return Vec::new();
    }
    let mut jobs = Vec::new();
    for lang in &site.config.languages {
        let code = &lang.code;
        jobs.extend(site.content.entries.iter().map(|e| Job::Page { key: e.key.clone(), lang: code.clone() }));
        jobs.extend(
            site.offices
                .offices
                .iter()
                .filter(|o| o.contact_confirmed())
                .map(|o| Job::Office { id: o.id.clone(), lang: code.clone() }),
        );
        jobs.push(Job::NotFound { lang: code.clone() });
        if site.config.search.enabled {
            jobs.push(Job::Search { lang: code.clone() });
        }
        if site.config.feeds.enabled {
            jobs.push(Job::Feed { lang: code.clone() });
        }
    }
    if site.config.default_language_prefix {
        jobs.extend([Job::Chooser, Job::RootNotFound]);
    }
    jobs.extend([Job::Sitemap, Job::OfficeData, Job::Aliases, Job::Static]);
    jobs
}

/// The compiled templates and the index they read: everything rendering needs besides the site itself.
pub struct Engine {
    index: Arc<Index>,
    tera: Tera,
    sources: Sources,
    /// Language → the values every page's context starts from.
    commons: HashMap<String, Context>,
    /// Language → the navigation shown on every page.
    nav: HashMap<String, Value>,
}

/// What differs between two engines over the same theme: which jobs must render again.
#[derive(Debug, Default)]
pub struct IndexChanges {
    /// Entries whose URL, summary or children changed (all of it for those that came or went).
    pub entries: BTreeMap<String, Aspects>,
    /// Offices whose view changed (or that came or went).
    pub offices: BTreeSet<String>,
    /// The navigation on every page changed.
    pub nav: bool,
}

impl Engine {
    /// Indexes the site and compiles its templates. The site must have a home page.
    pub fn new(site: &Site) -> Result<Engine, Diagnostics> {
        let index = Arc::new(Index::build(site));
        let tera = templates::compile(&site.theme.templates, |t| functions::register(t, &index))?;
        let mut commons = HashMap::new();
        let mut nav = HashMap::new();
        for lang in &site.config.languages {
            let (ctx, lang_nav) = common_context(site, &index, lang);
            commons.insert(lang.code.clone(), ctx);
            nav.insert(lang.code.clone(), lang_nav);
        }
        Ok(Engine { index, tera, sources: Sources::new(&site.theme.templates), commons, nav })
    }

    /// What changed from `old`, an engine of an earlier state of the same site with the same theme, where
    /// only the entries in `touched` changed their docs or their place in the site.
    pub fn changes_since(&self, old: &Engine, touched: &BTreeSet<String>) -> IndexChanges {
        IndexChanges {
            entries: self.index.changes_since(&old.index, touched),
            offices: self.index.offices.changes_since(&old.index.offices),
            nav: self.nav != old.nav,
        }
    }

    /// Renders `jobs` in parallel, in their order.
    pub fn render(&self, site: &Site, jobs: &[Job]) -> Vec<Rendered> {
        let renderer =
            Renderer { site: SiteData::new(site), tera: &self.tera, sources: &self.sources, index: &self.index };
        jobs.par_iter()
            .map(|job| {
                let (mut rendered, reads) = reads::record(|| renderer.job(job, &self.commons));
                rendered.facts.reads = reads;
                rendered
            })
            .collect()
    }
}

/// Per-language values every page's context starts from, and the navigation among them.
fn common_context(site: &Site, index: &Index, lang: &Language) -> (Context, Value) {
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
    ctx.insert("search_url", &search::url(config, &lang.code));
    if config.feeds.enabled {
        ctx.insert("feed_url", &config.url(&feed_path(config, &lang.code)));
    }
    let home = site.content.home();
    let items: Vec<Value> = [true, false]
        .into_iter()
        .flat_map(|subsections| site.content.sorted_children(home, &lang.code, subsections))
        .filter_map(|i| index.summary(&lang.code, i).cloned())
        .collect();
    let nav = Value::from(items.as_slice());
    ctx.insert_value("nav", nav.clone());
    (ctx, nav)
}

/// Renders the whole site.
pub fn render_site(site: &Site) -> Output {
    if !site.content.by_key.contains_key(HOME) {
        return Output::default();
    }
    let engine = match Engine::new(site) {
        Ok(engine) => engine,
        Err(problems) => return render_with_stand_ins(site, problems),
    };
    let rendered = engine.render(site, &jobs(site));
    let facts: Vec<&Facts> = rendered.iter().map(|r| &r.facts).collect();
    let targets = anchor_targets(facts.iter().copied());
    let ids: HashMap<(String, String), Vec<String>> =
        rendered.iter().filter_map(|r| anchor_ids(r, &targets).map(|ids| (target_of(&r.facts.job), ids))).collect();
    let anchors = check_anchors(facts.iter().copied(), &ids);
    let mut out = Output { problems: problems(facts.iter().copied(), anchors), ..Output::default() };
    (out.pages, out.fallbacks) = counts(facts.iter().copied());
    out.links = links(site, facts.iter().copied());
    out.content_ranges =
        rendered.iter().filter_map(|r| Some((r.files.first()?.path.clone(), r.facts.content_range.clone()?))).collect();
    out.files = rendered.into_iter().flat_map(|r| r.files).collect();
    out.files.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The output of `site` with its broken templates stood in for, with the template problems first found.
fn render_with_stand_ins(site: &Site, problems: Diagnostics) -> Output {
    let original: Vec<Diagnostic> = problems.iter().cloned().collect();
    let Some(stood_in) = stand_in::with_stand_ins(site, &original) else {
        return Output { problems, ..Output::default() };
    };
    let mut output = match Engine::new(&stood_in) {
        Ok(_) => render_site(&stood_in),
        Err(_) => Output::default(),
    };
    let mut all = problems;
    all.extend(std::mem::take(&mut output.problems).into_iter().filter(|d| !stand_in::is_artifact(d, &original)));
    output.problems = all;
    output
}

/// Every problem the jobs found and the anchor problems, a template error once with a count of the pages
/// it hit.
pub fn problems<'a>(facts: impl IntoIterator<Item = &'a Facts>, anchors: Vec<Diagnostic>) -> Diagnostics {
    let mut problems: Diagnostics = facts.into_iter().flat_map(|f| f.problems.iter().cloned()).collect();
    problems.extend(anchors);
    dedupe_template_errors(&mut problems);
    problems
}

/// Language → pages published in it, and language → pages shown there untranslated.
pub fn counts<'a>(facts: impl IntoIterator<Item = &'a Facts>) -> (BTreeMap<String, usize>, BTreeMap<String, usize>) {
    let mut pages: BTreeMap<&str, usize> = BTreeMap::new();
    let mut fallbacks: BTreeMap<&str, usize> = BTreeMap::new();
    for f in facts {
        if let Job::Page { lang, .. } | Job::Office { lang, .. } = &f.job {
            *pages.entry(lang).or_default() += 1;
            if f.fallback {
                *fallbacks.entry(lang).or_default() += 1;
            }
        }
    }
    let owned = |map: BTreeMap<&str, usize>| map.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    (owned(pages), owned(fallbacks))
}

/// Key → keys it links to, from the pages in the default language.
fn links<'a>(site: &Site, facts: impl IntoIterator<Item = &'a Facts>) -> BTreeMap<String, Vec<String>> {
    facts
        .into_iter()
        .filter_map(|f| match &f.job {
            Job::Page { key, lang } if *lang == site.config.default_language => Some((key.clone(), f.links_to.clone())),
            _ => None,
        })
        .collect()
}

/// The `(key, lang)` of the pages that `#anchor` links point into.
pub fn anchor_targets<'a>(facts: impl IntoIterator<Item = &'a Facts>) -> HashSet<(String, String)> {
    let mut targets = HashSet::new();
    for f in facts {
        if let Job::Page { lang, .. } = &f.job {
            targets.extend(f.anchor_links.iter().map(|l| (l.key.clone(), lang.clone())));
        }
    }
    targets
}

/// The `(key, lang)` a page job renders; `("", "")` for other jobs, which no anchor points into.
pub fn target_of(job: &Job) -> (String, String) {
    match job {
        Job::Page { key, lang } => (key.clone(), lang.clone()),
        _ => (String::new(), String::new()),
    }
}

/// The element ids of a rendered page, if an anchor link points into it.
pub fn anchor_ids(rendered: &Rendered, targets: &HashSet<(String, String)>) -> Option<Vec<String>> {
    if !matches!(rendered.facts.job, Job::Page { .. }) || !targets.contains(&target_of(&rendered.facts.job)) {
        return None;
    }
    let html = rendered.files.first()?;
    Some(crate::html::ids(&crate::html::text_of(&html.bytes)))
}

/// Checks `@/page.md#anchor` links against the ids in the target page as rendered (templates' ids too).
/// `ids` has every target that rendered.
pub fn check_anchors<'a>(
    facts: impl IntoIterator<Item = &'a Facts>,
    ids: &HashMap<(String, String), Vec<String>>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for f in facts {
        let Job::Page { lang, .. } = &f.job else { continue };
        for link in &f.anchor_links {
            let Some(found) = ids.get(&(link.key.clone(), lang.clone())) else { continue };
            if !found.contains(&link.anchor) {
                let d = Diagnostic::error(
                    Code::BrokenAnchor,
                    link.at.clone(),
                    format!("`{}` has no heading or element with id `{}`", link.key, link.anchor),
                );
                let suggestions: Vec<String> = found.iter().filter(|id| !id.is_empty()).cloned().collect();
                problems.push(match crate::diag::suggest::closest(&link.anchor, &suggestions) {
                    Some(best) => d.with_help(format!("did you mean `#{best}`?")),
                    None => d.with_help("give the heading an explicit id: `## Heading {#id}`"),
                });
            }
        }
    }
    problems
}

/// A template error repeats on every page that uses the template: keep one, and say how many pages hit it.
/// The one kept is the first by message, so the result does not depend on the order jobs rendered in.
fn dedupe_template_errors(problems: &mut Diagnostics) {
    let mut seen: BTreeMap<(String, usize, usize, String), (Diagnostic, usize)> = BTreeMap::new();
    let mut rest = Diagnostics::default();
    for d in std::mem::take(problems) {
        if d.code != Code::TemplateError {
            rest.push(d);
            continue;
        }
        let base = d.message.split(" (while rendering ").next().unwrap_or(&d.message).to_string();
        seen.entry((d.path.clone(), d.line, d.column, base))
            .and_modify(|(kept, n)| {
                *n += 1;
                if d.message < kept.message {
                    *kept = d.clone();
                }
            })
            .or_insert((d, 1));
    }
    for (_, (mut d, n)) in seen {
        if n > 1 {
            d.message = d.message.trim_end_matches(')').to_string() + &format!(", and {} other pages)", n - 1);
        }
        rest.push(d);
    }
    *problems = rest;
}

/// Renders jobs against one site state and index. It reaches the site only through `SiteData`, which records
/// every read (see `reads`).
struct Renderer<'a> {
    site: SiteData<'a>,
    tera: &'a Tera,
    sources: &'a Sources,
    index: &'a Index,
}

impl Renderer<'_> {
    fn job(&self, job: &Job, commons: &HashMap<String, Context>) -> Rendered {
        let site = self.site;
        let mut facts = Facts::new(job);
        let common = |lang: &str| &commons[lang];
        let language = |code: &str| site.config.language(code).expect("jobs are made for the site's languages");
        let files = match job {
            Job::Page { key, lang } => {
                let entry = site.find(key).expect("jobs are made for the entries");
                return self.page(entry, language(lang), common(lang), facts);
            }
            Job::Office { id, lang } => {
                let index =
                    site.offices().offices.iter().position(|o| o.id == *id).expect("jobs are made for the offices");
                self.office_page(index, language(lang), common(lang), &mut facts.problems).into_iter().collect()
            }
            Job::NotFound { lang } => {
                self.not_found(language(lang), common(lang), &mut facts.problems).into_iter().collect()
            }
            Job::Search { lang } => {
                self.search_page(language(lang), common(lang), &mut facts.problems).into_iter().collect()
            }
            Job::SearchIndex => Vec::new(),
            Job::Chooser => self
                .root_page("chooser.html", "index.html", common(&site.config.default_language), &mut facts.problems)
                .into_iter()
                .collect(),
            Job::RootNotFound => self
                .root_page("404.html", "404.html", common(&site.config.default_language), &mut facts.problems)
                .into_iter()
                .collect(),
            Job::Feed { lang } => vec![OutFile {
                path: feed_path(site.config, lang),
                bytes: feed::feed(site.config, site.entries(), language(lang)).into_bytes(),
            }],
            Job::Sitemap => {
                let mut files = vec![OutFile {
                    path: "sitemap.xml".into(),
                    bytes: crate::render::sitemap::sitemap(site.config, site.entries()).into_bytes(),
                }];
                // A site's own static/robots.txt replaces the generated one (issue 11).
                if !site.theme.static_files.iter().any(|f| f.out_path == "robots.txt") {
                    files.push(OutFile {
                        path: "robots.txt".into(),
                        bytes: crate::render::sitemap::robots(site.config).into_bytes(),
                    });
                }
                files.extend(headers::file(site.config, site.theme));
                files
            }
            Job::OfficeData => offices::exports(site.offices(), site.config),
            Job::Aliases => {
                let own = site.theme.static_files.iter().any(|f| f.out_path == aliases::REDIRECTS_FILE);
                aliases::render(site.config, site.entries(), own)
            }
            Job::Static => site
                .theme
                .static_files
                .iter()
                .filter(|file| search::ships(site.config, &file.out_path))
                .map(|file| OutFile { path: file.out_path.clone(), bytes: file.bytes.clone() })
                .collect(),
        };
        Rendered { files, facts }
    }
}

fn empty_list() -> Value {
    let empty: &[Value] = &[];
    Value::from(empty)
}
