//! The checks of a site beyond loading it: its rendered output (links, two files at one path), its
//! translations and its freshness, and the report `diptych check` prints (see `pipeline::check`).

pub mod aliases;
pub mod calendar;
pub mod freshness;
pub mod links;
pub mod plain;
pub mod translations;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::str::FromStr;

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Location, Severity};
use crate::render;
use crate::site::date::Date;
use crate::site::{self, Site};
use crate::urls::{file_for, office_path, site_path, vcard_path};
use links::Mode;

#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub root: PathBuf,
    pub base_url: Option<String>,
    /// Warnings count as errors, except those `allow` names (with `[check] allow` of site.toml).
    pub strict: bool,
    /// Codes of warnings accepted on purpose (`--allow`).
    pub allow: Vec<Code>,
    /// The day freshness and the calendar's horizon are measured against: default, today in the site's time zone.
    pub today: Option<Date>,
}

/// What `check` found.
#[derive(Debug)]
pub struct CheckReport {
    /// Sorted by file and position.
    pub problems: Vec<Diagnostic>,
    /// Language → pages published in it; empty where site.toml did not load.
    pub pages: BTreeMap<String, usize>,
}

/// How `check` prints its problems.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Like rustc: message, `--> path:line:col`, the source line with a caret, help.
    Human,
    /// One `path:line:col: severity: message` line each, with an indented help line.
    Short,
    /// One JSON object per line, per problem.
    Json,
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "human" => Ok(Format::Human),
            "short" => Ok(Format::Short),
            "json" => Ok(Format::Json),
            other => Err(format!("unknown format `{other}`: use human, short or json")),
        }
    }
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.severity == Severity::Error).count()
    }

    /// `check: 2 errors, 1 warning (27 pages in en, 27 in zh)`
    pub fn summary_line(&self) -> String {
        let errors = self.errors();
        let warnings = self.problems.len() - errors;
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let found = match (errors, warnings) {
            (0, 0) => "no problems".to_string(),
            (e, 0) => plural(e, "error"),
            (0, w) => plural(w, "warning"),
            (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
        };
        let pages: Vec<String> = self
            .pages
            .iter()
            .enumerate()
            .map(
                |(i, (lang, n))| {
                    if i == 0 { format!("{} in {lang}", plural(*n, "page")) } else { format!("{n} in {lang}") }
                },
            )
            .collect();
        if pages.is_empty() { format!("check: {found}") } else { format!("check: {found} ({})", pages.join(", ")) }
    }

    /// The whole report in `format`: the problems, then (except in JSON) the summary line.
    pub fn render(&self, format: Format) -> String {
        let mut out = String::new();
        for problem in &self.problems {
            match format {
                Format::Human => {
                    out.push_str(&problem.render_long());
                    out.push('\n');
                }
                Format::Short => {
                    out.push_str(&problem.render_short());
                    out.push('\n');
                }
                Format::Json => {
                    out.push_str(&serde_json::to_string(problem).unwrap_or_default());
                    out.push('\n');
                }
            }
        }
        if format != Format::Json {
            out.push_str(&self.summary_line());
            out.push('\n');
        }
        out
    }
}

/// What the site as a whole shows besides the problems loading and rendering find: pages without front matter,
/// translations, freshness, and the facts the office data declares not yet confirmed. Every command reports
/// these (issue 11: `build` and the preview must not say `0 warnings` where `check` finds some).
pub fn site_problems(site: &Site, today: Date) -> Diagnostics {
    site_problems_with(site, today, &translations::Memo::default())
}

/// `site_problems`, reading each text's numbers and mark through `memo`, which `watch` keeps across rounds.
pub fn site_problems_with(site: &Site, today: Date, memo: &translations::Memo) -> Diagnostics {
    let mut problems = plain::check(site);
    problems.extend(translations::check(site, memo));
    problems.extend(freshness::check(site, today));
    problems.extend(calendar::ending(&site.offices, today));
    problems.extend(site.offices.gaps.iter().cloned());
    problems
}

/// What only `check` reports, as it needs a second render: links that break below a sub-path.
pub fn extra_problems(site: &Site) -> Diagnostics {
    sub_path_probe(site)
}

/// What is wrong in the rendered output: links, and two files published at one path. `build` refuses to
/// publish on these errors too.
pub fn output_problems(site: &Site, output: &render::Output) -> Diagnostics {
    let mut problems = links::check(site, output, Mode::AsConfigured);
    problems.extend(collisions(site, output));
    problems
}

/// The report of `problems`, sorted, with warnings made errors if `strict`, except the `allowed` ones.
pub fn report(
    mut problems: Diagnostics,
    strict: bool,
    allowed: &[Code],
    pages: BTreeMap<String, usize>,
) -> CheckReport {
    if strict {
        problems.make_strict(allowed);
    }
    CheckReport { problems: capped(problems.into_sorted()), pages }
}

/// How many problems of one kind one file reports before the rest are counted in one line.
pub const MAX_PER_FILE: usize = 50;

/// `sorted` with at most `MAX_PER_FILE` problems of one code and severity per file, the rest replaced by one
/// "and N more like this" where the first of them is: 4,000 broken links in a page are one mistake repeated,
/// and a report of 4,000 lines hides the others (issue 10).
pub fn capped(sorted: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen: std::collections::HashMap<(String, Code, Severity), usize> = std::collections::HashMap::new();
    for d in &sorted {
        *seen.entry((d.path.clone(), d.code, d.severity)).or_default() += 1;
    }
    let mut kept: std::collections::HashMap<(String, Code, Severity), usize> = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(sorted.len().min(seen.len() * (MAX_PER_FILE + 1)));
    for d in sorted {
        let key = (d.path.clone(), d.code, d.severity);
        let n = kept.entry(key.clone()).or_default();
        *n += 1;
        if *n <= MAX_PER_FILE {
            out.push(d);
        } else if *n == MAX_PER_FILE + 1 {
            let more = seen[&key] - MAX_PER_FILE;
            out.push(Diagnostic {
                message: format!("and {more} more like this (`{}`) in this file", d.code.name()),
                help: Some("fix the ones above, then check again to see the rest".into()),
                ..d
            });
        }
    }
    out
}

/// A site served at the root of its host renders again below a sub-path, to find the links that only work at
/// the root: a template or a page that writes `/static/…` or `/en/…` instead of building the link. They are
/// warnings, as the site works where it is configured to be.
fn sub_path_probe(site: &Site) -> Diagnostics {
    let config = &site.config;
    if config.base_path != "/" {
        return Diagnostics::default();
    }
    let mut probe_config = config.clone();
    let origin = config.base_url.trim_end_matches('/');
    if probe_config.set_base_url(&format!("{origin}/sub-path-check/")).is_err() {
        return Diagnostics::default();
    }
    let probe = Site {
        root: site.root.clone(),
        config: probe_config,
        content: site.content.clone(),
        theme: site.theme.clone(),
        offices: site.offices.clone(),
    };
    let output = render::render_site(&probe);
    links::check(&probe, &output, Mode::SubPathProbe)
        .into_iter()
        .filter(|d| d.code == Code::OutsideBase)
        .map(|mut d| {
            d.severity = Severity::Warning;
            d
        })
        .collect()
}

/// Two outputs at one path, or one whose path another needs as a folder: only one could be published, and
/// `build` would fail writing the second. A file in the site's static/ is named first; two pages at one path
/// in one language are reported where they are read, with both files named, and in two languages here.
fn collisions(site: &Site, output: &render::Output) -> Diagnostics {
    let files = &output.files;
    let origins = origins(site);
    let alias_paths = aliases::paths(site);
    let mut problems = aliases::check(site, output, &origins);
    problems.extend(
        files
            .windows(2)
            .filter(|pair| pair[0].path == pair[1].path && !alias_paths.contains(&pair[0].path))
            .filter_map(|pair| collision(site, &pair[0].path).or_else(|| two_pages(site, &origins, &pair[0].path))),
    );
    // The search bundles are made after this check, so a page inside their folder collides with nothing yet.
    let in_bundles = |path: &&String| path.starts_with(render::search::BUNDLE_DIR);
    problems.extend(origins.keys().filter(in_bundles).filter_map(|path| reserved_for_search(site, &origins, path)));
    // Each folder the output needs, with one file in it.
    let mut folders: HashMap<&str, &str> = HashMap::new();
    for file in files {
        let mut path = file.path.as_str();
        while let Some((dir, _)) = path.rsplit_once('/') {
            folders.entry(dir).or_insert(&file.path);
            path = dir;
        }
    }
    for file in files.iter().filter(|f| folders.contains_key(f.path.as_str())) {
        problems.push(file_and_folder(site, &origins, &file.path, folders[file.path.as_str()]));
    }
    problems.extend(
        site.theme.static_files.iter().filter_map(|f| Some((f, site::content::unsafe_name_char(&f.out_path)?))).map(
            |(f, bad)| {
                Diagnostic::error(
                    Code::UnsafePath,
                    Location::file(format!("static/{}", f.out_path)),
                    format!("the file name has {bad}, which a URL cannot carry as it is"),
                )
                .with_help("rename the file with letters, digits, `-` and `_`")
            },
        ),
    );
    problems
}

/// Output path → the content files (pages and office data, with their language) published there.
fn origins(site: &Site) -> HashMap<String, Vec<(String, String)>> {
    let config = &site.config;
    let mut origins: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for lang in &config.languages {
        for entry in &site.content.entries {
            let doc = &site.content.docs[entry.doc_for(&lang.code).0];
            let path = file_for(&site_path(config, &lang.code, entry));
            origins.entry(path).or_default().push((doc.source.path.clone(), lang.code.clone()));
        }
        for office in &site.offices.offices {
            let path = file_for(&office_path(config, &lang.code, &office.id));
            origins.entry(path).or_default().push((office.file.clone(), lang.code.clone()));
        }
    }
    for office in &site.offices.offices {
        origins.entry(vcard_path(&office.id)).or_default().push((office.file.clone(), String::new()));
    }
    origins
}

/// Two pages of different languages at one path: `content/zh/renewal.md` in English and `renewal.zh.md`, both
/// at /zh/renewal/ when the default language has no prefix.
fn two_pages(site: &Site, origins: &HashMap<String, Vec<(String, String)>>, path: &str) -> Option<Diagnostic> {
    let found = origins.get(path)?;
    let (first, first_lang) = found.first()?;
    let (second, _) = found.iter().find(|(file, lang)| file != first && lang != first_lang)?;
    let (earlier, later) = if first < second { (first, second) } else { (second, first) };
    let url = site.config.url(path.trim_end_matches("index.html"));
    Some(
        Diagnostic::error(
            Code::DuplicateUrl,
            Location::file(later),
            format!("this page and {earlier} are both published at {url}"),
        )
        .with_help("give one of them another `slug`, or rename the file"),
    )
}

/// A content page at a path search makes: the search page of a language, or inside `search-index/`.
fn reserved_for_search(
    site: &Site,
    origins: &HashMap<String, Vec<(String, String)>>,
    path: &str,
) -> Option<Diagnostic> {
    if !render::search::is_reserved(&site.config, path) {
        return None;
    }
    let (file, _) = origins.get(path)?.first()?;
    let url = site.config.url(path.trim_end_matches("index.html"));
    Some(
        Diagnostic::error(
            Code::DuplicateUrl,
            Location::file(file),
            format!("this page is published at {url}, where diptych writes the site's search"),
        )
        .with_help("give the page another `slug`, or turn search off with `[search] enabled = false` in site.toml"),
    )
}

/// `file` is written as a file, and `inside` below it as if it were a folder. The one blamed is the site's own
/// static file if either is, else the content file whose name or slug made the odd path.
fn file_and_folder(
    site: &Site,
    origins: &HashMap<String, Vec<(String, String)>>,
    file: &str,
    inside: &str,
) -> Diagnostic {
    let config = &site.config;
    let is_static = |p: &str| site.root.join("static").join(p).is_file();
    let page_url = |p: &str| config.url(p.strip_suffix("index.html").unwrap_or(p));
    let source = |p: &str| origins.get(p).and_then(|o| o.first()).map(|(f, _)| f.clone());
    let help = "rename the file or give the page another `slug`: one path cannot be both a file and a folder";
    let (blamed, message) = if is_static(file) {
        (
            format!("static/{file}"),
            format!("static/{file} is published at {}, which diptych needs as a folder", config.url(file)),
        )
    } else if let Some(inner) = if is_static(inside) { Some(format!("static/{inside}")) } else { source(inside) } {
        (
            inner,
            format!(
                "this is published at {}, inside {}, where diptych writes a file",
                page_url(inside),
                config.url(file)
            ),
        )
    } else {
        let blamed = source(file).unwrap_or_else(|| file.to_string());
        (
            blamed,
            format!(
                "this is published at {}, which diptych needs as a folder for {}",
                page_url(file),
                page_url(inside)
            ),
        )
    };
    Diagnostic::error(Code::DuplicateUrl, Location::file(blamed), message).with_help(help)
}

/// The problem with a path two outputs are published at, when one is the site's own static file or one is
/// made by search.
pub fn collision(site: &Site, path: &str) -> Option<Diagnostic> {
    if render::search::is_reserved(&site.config, path) {
        return reserved_for_search(site, &origins(site), path);
    }
    let static_file = format!("static/{path}");
    if !site.root.join(&static_file).is_file() {
        return None;
    }
    let url = site.config.url(path);
    Some(
        Diagnostic::error(
            Code::DuplicateUrl,
            Location::file(&static_file),
            format!("{static_file} is published at {url}, where diptych also writes a page or file"),
        )
        .with_help("rename the file, or move it into a folder; only one of the two could be published"),
    )
}
