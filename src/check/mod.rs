//! The checks of a site beyond loading it: its rendered output (links, two files at one path), its
//! translations and its freshness, and the report `diptych check` prints (see `pipeline::check`).

pub mod freshness;
pub mod links;
pub mod translations;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::str::FromStr;

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Location, Severity};
use crate::render;
use crate::site::Site;
use crate::site::date::Date;
use links::Mode;

#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub root: PathBuf,
    pub base_url: Option<String>,
    /// Warnings count as errors.
    pub strict: bool,
    /// The day freshness is measured against.
    pub today: Date,
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

/// What only `check` reports, besides the problems loading and rendering find: links that break below a
/// sub-path, translations, freshness, and the facts the office data declares not yet confirmed.
pub fn site_problems(site: &Site, today: Date) -> Diagnostics {
    let mut problems = sub_path_probe(site);
    problems.extend(translations::check(site));
    problems.extend(freshness::check(site, today));
    problems.extend(site.offices.gaps.iter().cloned());
    problems
}

/// What is wrong in the rendered output: links, and two files published at one path. `build` refuses to
/// publish on these errors too.
pub fn output_problems(site: &Site, output: &render::Output) -> Diagnostics {
    let mut problems = links::check(site, output, Mode::AsConfigured);
    problems.extend(collisions(site, output));
    problems
}

/// The report of `problems`, sorted, with warnings made errors if `strict`.
pub fn report(mut problems: Diagnostics, strict: bool, pages: BTreeMap<String, usize>) -> CheckReport {
    if strict {
        problems.make_strict();
    }
    CheckReport { problems: problems.into_sorted(), pages }
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

/// A file in the site's static/ published at the path of a file diptych writes: the two would race for
/// it. (Two pages or two offices at one path are reported where they are read, with both files named.)
fn collisions(site: &Site, output: &render::Output) -> Diagnostics {
    output
        .files
        .windows(2)
        .filter(|pair| pair[0].path == pair[1].path)
        .filter_map(|pair| collision(site, &pair[0].path))
        .collect()
}

/// The problem with a path two outputs are published at, when one is the site's own static file.
pub fn collision(site: &Site, path: &str) -> Option<Diagnostic> {
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
