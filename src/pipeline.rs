//! The steps every command runs, in order: `load` reads the folder into a `Site`, `render` renders every page
//! in memory and checks the output, `check` adds what only `diptych check` reports, and `build` publishes the
//! output whole, only if nothing failed. `build`, `check`, `status` and `watch` all load through `load`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::check::{self, CheckOptions, CheckReport};
use crate::diag::{Diagnostic, Diagnostics, Failure};
use crate::site::date::Date;
use crate::site::{self, LoadOptions, Site, content, offices, theme};
use crate::{fsutil, publish, render};

#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Default: `<root>/dist`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    /// Publish drafts too, marked as drafts.
    pub drafts: bool,
    /// The day the holiday calendar's horizon is measured against: default, today in the site's time zone.
    pub today: Option<Date>,
}

impl BuildOptions {
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions { base_url: self.base_url.clone(), drafts: self.drafts }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("dist"))
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Warnings (a successful build has no errors).
    pub problems: Vec<Diagnostic>,
    pub pages: BTreeMap<String, usize>,
    pub fallbacks: BTreeMap<String, usize>,
    pub files: usize,
    pub elapsed: Duration,
    pub output: PathBuf,
}

impl BuildReport {
    /// `built 26 pages in en, 26 in zh (1 untranslated) · 2 warnings · 0.14 s → dist`
    pub fn summary_line(&self) -> String {
        let warnings = self.problems.len();
        format!(
            "built {} · {} warning{} · {:.2} s → {}",
            pages_summary(&self.pages, &self.fallbacks),
            warnings,
            if warnings == 1 { "" } else { "s" },
            self.elapsed.as_secs_f64(),
            self.output.display()
        )
    }
}

/// `26 pages in en, 26 in zh (1 untranslated)`
pub fn pages_summary(pages: &BTreeMap<String, usize>, fallbacks: &BTreeMap<String, usize>) -> String {
    let per_lang: Vec<String> = pages
        .iter()
        .enumerate()
        .map(|(i, (lang, n))| {
            let fallback = fallbacks.get(lang).copied().unwrap_or(0);
            let untranslated = if fallback > 0 { format!(" ({fallback} untranslated)") } else { String::new() };
            if i == 0 { format!("{n} pages in {lang}{untranslated}") } else { format!("{n} in {lang}{untranslated}") }
        })
        .collect();
    per_lang.join(", ")
}

/// A loaded site, with what loading it found.
pub struct Loaded {
    pub site: Site,
    /// The page files of `content/`, relative to it, drafts included.
    pub pages: Vec<PathBuf>,
    pub problems: LoadProblems,
}

/// Problems found loading a site, by where they come from, so that `watch` can replace one kind.
#[derive(Default)]
pub struct LoadProblems {
    pub theme: Diagnostics,
    pub discovery: Diagnostics,
    /// Page file (relative to `content/`) → why it could not be read.
    pub parsing: BTreeMap<PathBuf, Vec<Diagnostic>>,
    pub pairing: Diagnostics,
    pub offices: Diagnostics,
    pub office_links: Diagnostics,
}

impl LoadProblems {
    pub fn all(&self) -> Diagnostics {
        let mut all = Diagnostics::default();
        for part in [&self.theme, &self.discovery, &self.pairing, &self.offices, &self.office_links] {
            all.extend(part.iter().cloned());
        }
        all.extend(self.parsing.values().flatten().cloned());
        all
    }
}

/// Reads the site at `root`: `site.toml` (without which nothing else can be read: a `Failure`), then the
/// theme, the pages, the office data, and the links between them. The site holds what could be read.
pub fn load(root: &Path, options: &LoadOptions) -> Result<Loaded, Failure> {
    let config = site::load_config(root, options)?;
    let (theme, theme_problems) = theme::load(root, &config);
    let mut problems = LoadProblems { theme: theme_problems, ..LoadProblems::default() };
    let found = content::discover(root, &mut problems.discovery);
    let mut docs = Vec::new();
    for (rel, read) in content::read_docs(root, &config, found.pages.iter()) {
        match read {
            Ok(doc) => docs.extend(doc),
            Err(ds) => {
                problems.parsing.insert(rel, ds);
            }
        }
    }
    let content = content::pair(docs, problems.parsing.keys(), found.data, &config, &mut problems.pairing);
    let (offices, office_problems) = offices::load(root, &config, &content.data.toml);
    problems.offices = office_problems;
    site::check_office_links(&content, &offices, &config, &mut problems.office_links);
    let site = Site { root: root.to_path_buf(), config, content, theme, offices };
    Ok(Loaded { site, pages: found.pages, problems })
}

/// Renders every page in memory and checks the output (links, two files at one path): the output and what is
/// wrong in it. `build` refuses to publish on these errors too.
pub fn render(site: &Site) -> (render::Output, Diagnostics) {
    let mut output = render::render_site(site);
    let mut problems = std::mem::take(&mut output.problems);
    problems.extend(check::output_problems(site, &output));
    (output, problems)
}

/// Renders a loaded site and finds every problem `build`, `watch` and `check` share: loading, rendering,
/// and the site-level checks (translations, freshness), measured against `today`.
pub fn render_and_check(loaded: &Loaded, today: Date) -> (render::Output, Diagnostics) {
    let mut problems = loaded.problems.all();
    // The site-level checks read only the loaded site: they run beside rendering.
    let ((output, render_problems), site_problems) =
        rayon::join(|| render(&loaded.site), || check::site_problems(&loaded.site, today));
    problems.extend(render_problems);
    problems.extend(site_problems);
    (output, problems)
}

/// Loads and renders the site without writing anything. Errors fail; warnings come back with the output.
pub fn render_in_memory(root: &Path, base_url: Option<&str>) -> Result<(render::Output, Vec<Diagnostic>), Failure> {
    render_with(root, &LoadOptions { base_url: base_url.map(str::to_string), drafts: false })
}

fn render_with(root: &Path, options: &LoadOptions) -> Result<(render::Output, Vec<Diagnostic>), Failure> {
    load_and_render(root, options, None).map(|(_, output, warnings)| (output, warnings))
}

/// `render_with`, also giving the loaded site.
fn load_and_render(
    root: &Path,
    options: &LoadOptions,
    today: Option<Date>,
) -> Result<(Site, render::Output, Vec<Diagnostic>), Failure> {
    let loaded = load(root, options)?;
    let today = today.unwrap_or_else(|| Date::today(loaded.site.config.time_zone));
    let (output, problems) = render_and_check(&loaded, today);
    let has_errors = problems.has_errors();
    // One page cannot bury the rest: at most a few problems of one kind per file (see `check::capped`).
    let sorted = check::capped(problems.into_sorted());
    if has_errors {
        return Err(Failure::Content(sorted));
    }
    // Indexed only once the pages are known good: a failed build makes no index.
    let mut output = output;
    render::search::add_index(&loaded.site, &mut output.files);
    Ok((loaded.site, output, sorted))
}

/// Loads, renders and, if nothing failed, publishes the site.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Failure> {
    let started = Instant::now();
    let out_dir = options.output_dir();
    may_replace(&out_dir, &options.root)?;
    let (site, mut output, problems) = load_and_render(&options.root, &options.load_options(), options.today)?;
    if site.config.build.precompress {
        output.files = crate::precompress::add(output.files);
    }
    publish::publish(&out_dir, &output.files)
        .map_err(|e| Failure::Usage(format!("cannot write {}: {}", out_dir.display(), fsutil::io_reason(&e))))?;
    Ok(BuildReport {
        problems,
        pages: output.pages,
        fallbacks: output.fallbacks,
        files: output.files.len(),
        elapsed: started.elapsed(),
        output: out_dir,
    })
}

/// Fails if `out_dir` is a folder diptych must not replace, such as the site itself.
pub fn may_replace(out_dir: &Path, root: &Path) -> Result<(), Failure> {
    if let Some(refusal) = publish::refusal(out_dir, root) {
        return Err(Failure::Usage(refusal.message()));
    }
    // A build killed between the two renames of the fallback swap leaves the output aside: put it back.
    publish::recover(out_dir);
    Ok(())
}

/// Loads, renders and checks the site in memory. Problems in the site are in the report; only a folder that
/// is not a site, or a bad option, is a `Failure`.
pub fn check(options: &CheckOptions) -> Result<CheckReport, Failure> {
    let load_options = LoadOptions { base_url: options.base_url.clone(), drafts: false };
    let loaded = match load(&options.root, &load_options) {
        Ok(loaded) => loaded,
        Err(Failure::Content(problems)) => {
            return Ok(check::report(problems.into_iter().collect(), options.strict, &options.allow, BTreeMap::new()));
        }
        Err(usage) => return Err(usage),
    };
    let today = options.today.unwrap_or_else(|| Date::today(loaded.site.config.time_zone));
    let (mut output, mut problems) = render_and_check(&loaded, today);
    // Only the counts are needed from here on: the rendered site goes before the probe renders it again.
    let pages = std::mem::take(&mut output.pages);
    drop(output);
    problems.extend(check::extra_problems(&loaded.site));
    let mut allowed = loaded.site.config.check.allowed();
    allowed.extend(options.allow.iter().copied());
    Ok(check::report(problems, options.strict, &allowed, pages))
}
