//! The site as last built, kept in memory, and how a batch of changed files updates it: only the files that
//! changed are read again, and only the jobs a change reaches render again, with the functions `build` uses,
//! so the output is the same as a clean build's.
//!
//! A change to a page's body re-renders that page in every language. A change to front matter, or a page that
//! comes or goes, pairs the pages again and rebuilds the index; then every job that read an entry whose URL,
//! summary or children changed renders again (each job's reads are recorded, see `render::reads`), and every
//! job if the navigation changed. Office data re-renders what read offices; the theme, everything; and
//! `site.toml` starts over. The links of the output are checked again page by page (see `links`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::changes::Changes;
use super::links::Links;
use super::output::{Flushed, OutputFolder};
use crate::diag::{Code, Diagnostic, Diagnostics, Failure, Location, Severity};
use crate::pipeline::{self, LoadProblems, Loaded};
use crate::render::{self, Engine, Facts, IndexChanges, Job, Rendered};
use crate::site::config;
use crate::site::content::{self, Content, Doc, ReadDoc};
use crate::site::date::Date;
use crate::site::{self, LoadOptions, Site};
use crate::site::{offices, theme};
use crate::{check, fsutil};

/// What one rebuild did.
#[derive(Debug)]
pub struct Round {
    /// Every problem the site has now, sorted.
    pub problems: Vec<Diagnostic>,
    /// Jobs rendered (a page in one language is one job).
    pub rendered: usize,
    /// What was written, or none when the site has errors and the output was left as it was.
    pub flushed: Option<Flushed>,
    /// Why the output could not be written.
    pub write_error: Option<String>,
    pub pages: BTreeMap<String, usize>,
    pub fallbacks: BTreeMap<String, usize>,
    pub elapsed: Duration,
}

impl Round {
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.severity == Severity::Error).count()
    }
}

pub struct State {
    root: PathBuf,
    options: LoadOptions,
    /// None while `site.toml` cannot be read.
    model: Option<Model>,
    /// Why `site.toml` cannot be read.
    config_problems: Vec<Diagnostic>,
    output: OutputFolder,
}

impl State {
    /// Loads and renders the site at `root` for the output folder `out_dir`. Content errors do not stop it;
    /// a folder that is not a site, or an output folder it may not replace, does.
    pub fn start(root: &Path, out_dir: &Path, options: LoadOptions) -> Result<(State, Round), Failure> {
        pipeline::may_replace(out_dir, root)?;
        let output = OutputFolder::open(out_dir)
            .map_err(|e| Failure::Usage(format!("cannot read {}: {}", out_dir.display(), fsutil::io_reason(&e))))?;
        if let Err(Failure::Usage(message)) = site::load_config(root, &options) {
            return Err(Failure::Usage(message));
        }
        let mut state = State { root: root.to_path_buf(), options, model: None, config_problems: Vec::new(), output };
        let round = state.apply(&Changes { everything: true, ..Changes::default() });
        Ok((state, round))
    }

    /// The path part of the site's `base_url`, while `site.toml` can be read.
    pub fn base_path(&self) -> Option<&str> {
        self.model.as_ref().map(|m| m.site.config.base_path.as_str())
    }

    /// Brings the site up to date with `changes`, and writes the output if the site has no errors.
    pub fn apply(&mut self, changes: &Changes) -> Round {
        let started = Instant::now();
        let dirty = match self.model.as_mut() {
            Some(model) if !changes.everything => model.update(&self.root, changes, &mut self.output),
            _ => self.reload(),
        };
        let rendered = match self.model.as_mut() {
            Some(model) => model.render(dirty, &mut self.output),
            None => 0,
        };
        let problems = self.problems();
        let (pages, fallbacks) = self.model.as_ref().map(|m| render::counts(m.facts.values())).unwrap_or_default();
        let mut round =
            Round { problems, rendered, flushed: None, write_error: None, pages, fallbacks, elapsed: Duration::ZERO };
        if round.errors() == 0 {
            self.flush(&mut round);
            // The pages first, then the search index made from them: an edit shows without waiting for the
            // whole site to be indexed again.
            if rendered > 0 && round.write_error.is_none() && self.refresh_search() {
                self.flush(&mut round);
            }
        }
        round.elapsed = started.elapsed();
        round
    }

    /// Reads the whole site again; every job is dirty.
    fn reload(&mut self) -> Vec<Job> {
        self.output.forget_all();
        self.model = None;
        self.config_problems.clear();
        match Model::load(&self.root, &self.options) {
            Ok(model) => {
                let jobs = render::jobs(&model.site);
                self.model = Some(model);
                jobs
            }
            Err(Failure::Content(problems)) => {
                self.config_problems = problems;
                Vec::new()
            }
            Err(Failure::Usage(message)) => {
                let first = message.lines().next().unwrap_or_default().to_string();
                self.config_problems =
                    vec![Diagnostic::error(Code::NoConfig, Location::file(config::FILE_NAME), first)];
                Vec::new()
            }
        }
    }

    /// Writes what the jobs made, adding to the round's counts.
    fn flush(&mut self, round: &mut Round) {
        match self.output.flush() {
            Ok(flushed) => {
                let before = round.flushed.take().unwrap_or_default();
                round.flushed = Some(Flushed {
                    written: before.written + flushed.written,
                    removed: before.removed + flushed.removed,
                });
            }
            Err(e) => round.write_error = Some(fsutil::io_reason(&e)),
        }
    }

    /// Indexes the pages as they are now for search: the new bundles replace the last ones. False where the
    /// site has no search.
    fn refresh_search(&mut self) -> bool {
        let Some(model) = &self.model else { return false };
        if !model.site.config.search.enabled {
            return false;
        }
        let output = &self.output;
        let pages =
            output.paths().filter(|p| p.ends_with(".html")).filter_map(|p| Some((p.as_str(), output.bytes_of(p)?)));
        let bundles = render::search::index(&model.site, pages);
        self.output.record(&Job::SearchIndex, bundles);
        true
    }

    fn problems(&self) -> Vec<Diagnostic> {
        let Some(model) = &self.model else { return self.config_problems.clone() };
        let mut all = model.load_problems();
        let anchors = render::check_anchors(model.notable_facts(), &model.ids);
        all.extend(render::problems(model.notable_facts(), anchors));
        all.extend(model.link_problems.iter().cloned());
        // The same site-level checks as `build` and `check`, every round: what they read of each text is kept,
        // so a round reads again only the texts that changed.
        model.read.keep_only(&model.site.content);
        all.extend(check::site_problems_with(&model.site, Date::today(model.site.config.time_zone), &model.read));
        all.into_sorted()
    }
}

struct Model {
    site: Site,
    /// None while the templates do not compile, or the site has no home page.
    engine: Option<Engine>,
    problems: LoadProblems,
    /// Why the templates do not compile.
    template_problems: Diagnostics,
    /// The page files of `content/`, relative to it.
    pages: BTreeSet<PathBuf>,
    /// Page file → its doc in `site.content.docs`.
    doc_at: HashMap<PathBuf, usize>,
    /// Entry key → what its pages read of it besides the text of its docs (see `signature`).
    signatures: HashMap<String, u64>,
    facts: HashMap<Job, Facts>,
    /// The jobs whose facts have problems or anchor links.
    notable: HashSet<Job>,
    /// Element ids of the pages that `#anchor` links point into.
    ids: HashMap<(String, String), Vec<String>>,
    /// The link check of the output, and what it found.
    links: Links,
    link_problems: Diagnostics,
    /// What the translation checks read from each text, kept so a round reads only the texts that changed.
    read: check::translations::Memo,
}

/// A page file read again: its doc (none for a draft), or why it could not be read.
type Parsed = (PathBuf, ReadDoc);

/// Which jobs a change reaches.
enum Reach {
    Everything,
    Some {
        /// Entries whose own docs or place in the site changed: their pages in every language.
        own: BTreeSet<String>,
        index: IndexChanges,
        /// The office data changed.
        offices: bool,
        /// Front matter changed somewhere: the sitemap.
        entries: bool,
    },
}

impl Model {
    fn load(root: &Path, options: &LoadOptions) -> Result<Model, Failure> {
        let Loaded { site, pages, problems } = pipeline::load(root, options)?;
        let mut model = Model {
            links: Links::new(&site),
            site,
            engine: None,
            problems,
            template_problems: Diagnostics::default(),
            pages: pages.into_iter().collect(),
            doc_at: HashMap::new(),
            signatures: HashMap::new(),
            facts: HashMap::new(),
            notable: HashSet::new(),
            ids: HashMap::new(),
            link_problems: Diagnostics::default(),
            read: check::translations::Memo::kept(),
        };
        model.after_pairing();
        model.new_engine();
        Ok(model)
    }

    /// Updates the model for `changes` and returns the jobs that must render again.
    fn update(&mut self, root: &Path, changes: &Changes, output: &mut OutputFolder) -> Vec<Job> {
        let mut everything = false;
        if changes.theme {
            let (theme, problems) = theme::load(root, &self.site.config);
            self.site.theme = theme;
            self.problems.theme = problems;
            everything = true;
        }
        let (to_parse, removed, data_changed) = self.files_to_read(root, changes);
        let parsed = content::read_docs(root, &self.site.config, to_parse.iter());
        if !everything && removed.is_empty() && !data_changed && parsed.iter().all(|(rel, p)| self.is_body_edit(rel, p))
        {
            return self.replace_bodies(parsed);
        }
        let mut own = self.repair(parsed, &removed);
        if data_changed {
            let (offices, problems) = offices::load(root, &self.site.config, &self.site.content.data.toml);
            self.site.offices = offices;
            self.problems.offices = problems;
        }
        let old_signatures = self.after_pairing();
        own.extend(self.signatures.iter().filter(|(k, s)| old_signatures.get(*k) != Some(s)).map(|(k, _)| k.clone()));
        own.extend(old_signatures.into_keys().filter(|k| !self.signatures.contains_key(k)));
        let old_engine = self.new_engine();
        let reach = match (&self.engine, old_engine) {
            (Some(new), Some(old)) if !everything => {
                let index = new.changes_since(&old, &own);
                Reach::Some { own, index, offices: data_changed, entries: true }
            }
            _ => Reach::Everything,
        };
        self.dirty_jobs(&reach, output)
    }

    /// The page files to read again, the page files that are gone, and whether the office data changed.
    fn files_to_read(&mut self, root: &Path, changes: &Changes) -> (BTreeSet<PathBuf>, Vec<PathBuf>, bool) {
        let content_dir = root.join("content");
        let is_file = |rel: &PathBuf| content_dir.join(rel).is_file();
        let known_page = |rel: &PathBuf| self.pages.contains(rel) && is_file(rel);
        let known_data = |rel: &PathBuf| self.site.content.data.toml.contains(rel) && is_file(rel);
        if !changes.rescan && changes.pages.iter().all(known_page) && changes.data.iter().all(known_data) {
            return (changes.pages.clone(), Vec::new(), !changes.data.is_empty());
        }
        // Something came or went: list the folder again rather than trust the events to say what.
        let mut discovery = Diagnostics::default();
        let found = content::discover(root, &mut discovery);
        self.problems.discovery = discovery;
        let pages: BTreeSet<PathBuf> = found.pages.into_iter().collect();
        let removed: Vec<PathBuf> = self.pages.difference(&pages).cloned().collect();
        let mut to_parse: BTreeSet<PathBuf> = pages.difference(&self.pages).cloned().collect();
        to_parse.extend(changes.pages.iter().filter(|p| pages.contains(*p)).cloned());
        let data_changed = !changes.data.is_empty() || found.data.toml != self.site.content.data.toml;
        self.site.content.data = found.data;
        self.pages = pages;
        (to_parse, removed, data_changed)
    }

    /// Whether a page read again changed only below its front matter.
    fn is_body_edit(&self, rel: &Path, parsed: &ReadDoc) -> bool {
        let (Some(&at), Ok(Some(new))) = (self.doc_at.get(rel), parsed) else { return false };
        let old = &self.site.content.docs[at];
        old.source.text[..old.body_start] == new.source.text[..new.body_start]
    }

    /// Puts docs whose front matter did not change in place of the old ones: the index stays as it is.
    fn replace_bodies(&mut self, parsed: Vec<Parsed>) -> Vec<Job> {
        let mut jobs = Vec::new();
        for (rel, doc) in parsed {
            let (Ok(Some(doc)), Some(&at)) = (doc, self.doc_at.get(&rel)) else { continue };
            jobs.extend(
                self.site.config.languages.iter().map(|l| Job::Page { key: doc.key.clone(), lang: l.code.clone() }),
            );
            self.site.content.docs[at] = doc;
        }
        jobs
    }

    /// Replaces the docs of the files read again, drops those of removed files, and pairs them all again.
    /// Returns the keys of the entries whose docs changed.
    fn repair(&mut self, parsed: Vec<Parsed>, removed: &[PathBuf]) -> BTreeSet<String> {
        let mut own = BTreeSet::new();
        let mut dropped = HashSet::new();
        let docs = &self.site.content.docs;
        for rel in removed.iter().chain(parsed.iter().map(|(rel, _)| rel)) {
            if let Some(&at) = self.doc_at.get(rel) {
                own.insert(docs[at].key.clone());
                dropped.insert(at);
            }
            self.problems.parsing.remove(rel);
        }
        let reread: HashSet<String> = removed
            .iter()
            .chain(parsed.iter().map(|(rel, _)| rel))
            .map(|rel| content::display(Path::new("content").join(rel)))
            .collect();
        let mut docs: Vec<Doc> = std::mem::take(&mut self.site.content.docs)
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !dropped.contains(i))
            .map(|(_, doc)| doc)
            .collect();
        // Withdrawn drafts come back into the pairing: a draft original made public again brings its
        // translations with it.
        let withdrawn = std::mem::take(&mut self.site.content.withdrawn);
        for doc in withdrawn.into_iter().filter(|d| !reread.contains(&d.source.path)) {
            own.insert(doc.key.clone());
            docs.push(doc);
        }
        for (rel, result) in parsed {
            match result {
                Ok(Some(doc)) => {
                    own.insert(doc.key.clone());
                    docs.push(doc);
                }
                Ok(None) => {}
                Err(ds) => {
                    self.problems.parsing.insert(rel, ds);
                }
            }
        }
        let data = std::mem::take(&mut self.site.content.data);
        self.problems.pairing = Diagnostics::default();
        self.site.content =
            content::pair(docs, self.problems.parsing.keys(), data, &self.site.config, &mut self.problems.pairing);
        own
    }

    /// Brings what is derived from the paired content up to date; returns the old signatures.
    fn after_pairing(&mut self) -> HashMap<String, u64> {
        let content = &self.site.content;
        self.doc_at = content
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| (PathBuf::from(d.source.path.trim_start_matches("content/")), i))
            .collect();
        let signatures = (0..content.entries.len()).map(|i| (content.entries[i].key.clone(), signature(content, i)));
        self.links.index_site(&self.site);
        self.problems.office_links = Diagnostics::default();
        site::check_office_links(content, &self.site.offices, &self.site.config, &mut self.problems.office_links);
        std::mem::replace(&mut self.signatures, signatures.collect())
    }

    /// Indexes the site and compiles the templates again; returns the engine it replaces.
    fn new_engine(&mut self) -> Option<Engine> {
        self.template_problems = Diagnostics::default();
        let new = if self.site.content.by_key.contains_key(crate::urls::HOME) {
            match Engine::new(&self.site) {
                Ok(engine) => Some(engine),
                Err(problems) => {
                    self.template_problems = problems;
                    None
                }
            }
        } else {
            None
        };
        std::mem::replace(&mut self.engine, new)
    }

    /// The jobs `reach` reaches, and the new ones; the jobs that are gone are forgotten with their files.
    fn dirty_jobs(&mut self, reach: &Reach, output: &mut OutputFolder) -> Vec<Job> {
        let jobs = render::jobs(&self.site);
        let current: HashSet<&Job> = jobs.iter().collect();
        let gone: Vec<Job> = self.facts.keys().filter(|job| !current.contains(job)).cloned().collect();
        for job in &gone {
            self.facts.remove(job);
            self.notable.remove(job);
            for path in output.forget(job) {
                self.links.removed(&path);
            }
        }
        self.ids.retain(|(key, _), _| self.site.content.by_key.contains_key(key));
        let facts = &self.facts;
        jobs.into_iter().filter(|job| facts.get(job).is_none_or(|f| reaches(reach, job, f))).collect()
    }

    /// Renders `dirty` (and the jobs that share a file with one), then the pages anchors point into whose ids
    /// are not known. Returns how many jobs rendered.
    fn render(&mut self, dirty: Vec<Job>, output: &mut OutputFolder) -> usize {
        let Some(engine) = &self.engine else {
            self.facts.clear();
            self.notable.clear();
            self.ids.clear();
            output.forget_all();
            self.links = Links::new(&self.site);
            self.link_problems = Diagnostics::default();
            return 0;
        };
        let mut jobs: Vec<Job> = dirty.iter().flat_map(|j| output.sharing_files_with(j)).collect();
        jobs.extend(dirty);
        jobs.sort();
        jobs.dedup();
        let rendered = engine.render(&self.site, &jobs);
        let mut count = rendered.len();
        for r in &rendered {
            let notable = !r.facts.problems.is_empty() || !r.facts.anchor_links.is_empty();
            if notable {
                self.notable.insert(r.facts.job.clone());
            } else {
                self.notable.remove(&r.facts.job);
            }
            self.facts.insert(r.facts.job.clone(), r.facts.clone());
        }
        let targets = render::anchor_targets(self.notable_facts());
        take_files(rendered, &targets, &mut self.ids, &mut self.links, output);
        let unknown: Vec<Job> = targets
            .iter()
            .filter(|t| !self.ids.contains_key(*t))
            .map(|(key, lang)| Job::Page { key: key.clone(), lang: lang.clone() })
            .filter(|job| self.facts.contains_key(job))
            .collect();
        if !unknown.is_empty() {
            let rendered = engine.render(&self.site, &unknown);
            count += rendered.len();
            take_files(rendered, &targets, &mut self.ids, &mut self.links, output);
        }
        self.link_problems = self.links.check(&self.site, output);
        count
    }

    /// The facts of the jobs that found problems or have anchor links: few, even on a large site.
    fn notable_facts(&self) -> impl Iterator<Item = &Facts> {
        self.notable.iter().filter_map(|job| self.facts.get(job))
    }

    fn load_problems(&self) -> Diagnostics {
        let mut all = self.problems.all();
        all.extend(self.template_problems.iter().cloned());
        all
    }
}

/// Records rendered files in the output folder and for the link check, and keeps the ids of the pages anchors
/// point into.
fn take_files(
    rendered: Vec<Rendered>,
    targets: &HashSet<(String, String)>,
    ids: &mut HashMap<(String, String), Vec<String>>,
    links: &mut Links,
    output: &mut OutputFolder,
) {
    for r in rendered {
        match render::anchor_ids(&r, targets) {
            Some(found) => ids.insert(render::target_of(&r.facts.job), found),
            None => ids.remove(&render::target_of(&r.facts.job)),
        };
        for (i, file) in r.files.iter().enumerate() {
            let content = if i == 0 { r.facts.content_range.clone() } else { None };
            links.rendered(&file.path, &file.bytes, content);
        }
        for path in output.record(&r.facts.job, r.files) {
            links.removed(&path);
        }
    }
}

fn reaches(reach: &Reach, job: &Job, facts: &Facts) -> bool {
    let Reach::Some { own, index, offices, entries } = reach else { return true };
    (index.nav && job.shows_navigation())
        || matches!(job, Job::Page { key, .. } if own.contains(key))
        || facts.reads.entries.iter().any(|(k, read)| index.entries.get(k).is_some_and(|c| c.meets(*read)))
        || facts.reads.entries.iter().any(|(k, read)| read.meets(render::Aspects::TEXT) && own.contains(k))
        || (facts.reads.all_offices && *offices)
        || facts.reads.offices.iter().any(|id| index.offices.contains(id))
        || (facts.reads.all_entries && *entries)
}

/// What the pages of an entry read of the content besides their docs' text and the index: the entry's kind,
/// template, URL paths, which file is each version, and the sections above it. When it changes, the entry's
/// pages render again.
fn signature(content: &Content, entry: usize) -> u64 {
    let e = &content.entries[entry];
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (&e.key, e.is_section, e.kind, &e.template, &e.paths).hash(&mut hasher);
    for (lang, &doc) in &e.versions {
        (lang, &content.docs[doc].source.path).hash(&mut hasher);
    }
    content.docs[e.original].source.path.hash(&mut hasher);
    for ancestor in content.ancestors(entry) {
        content.entries[ancestor].key.hash(&mut hasher);
    }
    hasher.finish()
}
