//! diptych: a static-site generator for multilingual public-service information sites.
//!
//! The build is a chain of steps over plain data: `site::load` reads the folder, `render::render_site`
//! renders every page in memory, and `publish::publish` swaps the result into the output folder only
//! when nothing failed.

// A `Diagnostic` is the error type throughout: it is large, but errors are rare and collected, not hot.
#![allow(clippy::result_large_err)]

pub mod check;
pub mod commands;
pub mod diag;
pub mod fsutil;
pub mod html;
pub mod precompress;
pub mod publish;
pub mod render;
pub mod serve;
pub mod site;
pub mod watch;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diag::{Diagnostic, Diagnostics};

/// How a command failed, which decides its exit code.
#[derive(Debug)]
pub enum Failure {
    /// Wrong options, not a site, or an I/O error writing the output: exit code 2.
    Usage(String),
    /// The site has errors: exit code 1. Nothing was written.
    Content(Vec<Diagnostic>),
}

impl Failure {
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Content(_) => 1,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Default: `<root>/dist`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
}

impl BuildOptions {
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

/// Loads, renders and, if nothing failed, publishes the site.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Failure> {
    let started = Instant::now();
    let out_dir = options.output_dir();
    if let Some(reason) = publish::refuse_reason(&out_dir, &options.root) {
        return Err(Failure::Usage(format!(
            "refusing to replace the output folder: {reason}\n  help: choose another --output"
        )));
    }
    let (site, mut output, problems) = load_and_render(&options.root, options.base_url.as_deref())?;
    if site.config.build.precompress {
        output.files = precompress::add(output.files);
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

/// Loads and renders the site without writing anything. Errors fail; warnings come back with the output.
pub fn render_in_memory(root: &Path, base_url: Option<&str>) -> Result<(render::Output, Vec<Diagnostic>), Failure> {
    load_and_render(root, base_url).map(|(_, output, warnings)| (output, warnings))
}

/// `render_in_memory`, also giving the loaded site.
fn load_and_render(
    root: &Path,
    base_url: Option<&str>,
) -> Result<(site::Site, render::Output, Vec<Diagnostic>), Failure> {
    let load_options = site::LoadOptions { base_url: base_url.map(str::to_string) };
    let (site, mut problems) = site::load(root, &load_options).map_err(|e| match e {
        site::LoadError::Usage(msg) => Failure::Usage(msg),
        site::LoadError::Config(ds) => Failure::Content(ds.into_sorted()),
    })?;
    let mut output = render::render_site(&site);
    problems.extend(std::mem::take(&mut output.problems));
    problems.extend(check::output_problems(&site, &output));
    finish(problems).map(|warnings| (site, output, warnings))
}

/// Fails with every problem if any is an error; otherwise returns the warnings, sorted.
fn finish(problems: Diagnostics) -> Result<Vec<Diagnostic>, Failure> {
    if problems.has_errors() { Err(Failure::Content(problems.into_sorted())) } else { Ok(problems.into_sorted()) }
}
