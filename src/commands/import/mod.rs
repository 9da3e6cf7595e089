//! `diptych import zola|hugo|plain SRC --output DEST`: writes a diptych site from a Zola or Hugo site (or a
//! folder of Markdown), and reports everything it could not carry. The source folder is only read.

mod config_file;
mod convert;
mod front_matter;
mod hugo;
mod links;
mod plain;
pub mod report;
mod shortcodes;
mod site_files;
mod source;
mod zola;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::Failure;
use report::{Group, Note, Report};
use source::SourceSite;

/// The generator the source was written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Generator {
    Zola,
    Hugo,
    /// A folder of Markdown files, with or without front matter.
    Plain,
}

impl std::str::FromStr for Generator {
    type Err = String;

    fn from_str(s: &str) -> Result<Generator, String> {
        match s {
            "zola" => Ok(Generator::Zola),
            "hugo" => Ok(Generator::Hugo),
            "plain" => Ok(Generator::Plain),
            other => Err(format!("`{other}` is not zola, hugo or plain")),
        }
    }
}

pub struct ImportOptions {
    pub generator: Generator,
    pub source: PathBuf,
    /// Must not exist, or be empty; never inside the source.
    pub output: PathBuf,
}

/// Reads the source, converts it in memory, and writes it to the output only if nothing failed: a report with
/// errors (`Report::has_errors`) means nothing was written.
pub fn run(options: &ImportOptions) -> Result<Report, Failure> {
    check_paths(&options.source, &options.output)?;
    let site = match options.generator {
        Generator::Zola => zola::read(&options.source),
        Generator::Hugo => hugo::read(&options.source),
        Generator::Plain => plain::read(&options.source),
    }
    .map_err(Failure::Usage)?;
    let (files, report) = plan(site);
    if !report.has_errors() {
        write_all(&options.output, &files)?;
    }
    Ok(report)
}

/// The output files (path in the new site → bytes) and the report.
fn plan(mut site: SourceSite) -> (BTreeMap<String, Vec<u8>>, Report) {
    let mut notes = std::mem::take(&mut site.notes);
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut report = Report { files_in: site.pages.len(), ..Report::default() };
    let live_keys = published_keys(&site);
    let index = links::PageIndex::new(live_keys.iter().map(String::as_str));
    let bundle_assets = bundle_assets(&site);
    let ctx = convert::Context {
        index: &index,
        default_language: &site.default_language,
        default_language_prefix: site.default_language_prefix,
        bundle_assets: &bundle_assets,
    };
    let mut home_titles = BTreeMap::new();
    for page in &site.pages {
        let Some(out) = convert::page(page, &ctx, &mut notes) else { continue };
        if files.contains_key(&out.path) {
            notes.push(Note::new(Group::Error, &page.display, format!("another file also becomes {}", out.path)));
            continue;
        }
        if page.key == "_index.md" {
            home_titles.insert(page.lang.clone(), out.title.clone());
        }
        *report.pages_out.entry(page.lang.clone()).or_default() += 1;
        files.insert(out.path, out.text.into_bytes());
    }
    if !live_keys.contains("_index.md") {
        let title = site.languages.first().and_then(|l| l.title.clone()).unwrap_or_else(|| "Home".to_string());
        let text = format!("+++\ntitle = {}\n+++\n", toml::Value::String(title));
        notes.push(Note::new(Group::Title, "content/_index.md", "the source has no home page: one was added"));
        *report.pages_out.entry(site.default_language.clone()).or_default() += 1;
        files.insert("content/_index.md".to_string(), text.into_bytes());
    }
    for asset in std::mem::take(&mut site.assets) {
        report.files_in += 1;
        let path = format!("static/{}", asset.static_rel);
        if files.contains_key(&path) {
            notes.push(Note::new(Group::Asset, &asset.display, format!("not copied: {path} comes from another file")));
            continue;
        }
        report.assets_out += 1;
        files.insert(path, asset.bytes);
    }
    files.insert("site.toml".to_string(), site_files::site_toml(&site, &home_titles, &mut notes).into_bytes());
    for (path, text) in site_files::i18n_files(&site, &mut notes) {
        files.insert(path, text.into_bytes());
    }
    report.notes = notes;
    (files, report)
}

/// The keys of pages with at least one version that is not a draft, so links to drafts are not kept.
fn published_keys(site: &SourceSite) -> BTreeSet<String> {
    site.pages
        .iter()
        .filter(|p| {
            front_matter::parse(&p.text)
                .map_or(true, |parsed| !matches!(parsed.table.get("draft"), Some(toml::Value::Boolean(true))))
        })
        .map(|p| p.key.clone())
        .collect()
}

/// Each bundle folder's files: name → path under `static/`.
fn bundle_assets(site: &SourceSite) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut map: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for asset in &site.assets {
        let (folder, name) = asset.static_rel.rsplit_once('/').unwrap_or(("", &asset.static_rel));
        map.entry(folder.to_string()).or_default().insert(name.to_string(), asset.static_rel.clone());
    }
    map
}

/// The source must be a folder; the output must be empty or absent, and outside the source.
fn check_paths(source: &Path, output: &Path) -> Result<(), Failure> {
    let usage = |m: String| Failure::Usage(m);
    let source_abs = source
        .canonicalize()
        .map_err(|e| usage(format!("cannot read {}: {}", source.display(), crate::fsutil::io_reason(&e))))?;
    if !source_abs.is_dir() {
        return Err(usage(format!("{} is not a folder", source.display())));
    }
    if output.exists() {
        let empty = std::fs::read_dir(output).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            return Err(usage(format!(
                "{} already exists and is not empty\n  help: choose a new folder for the imported site",
                output.display()
            )));
        }
    }
    if absolute(output).starts_with(&source_abs) {
        return Err(usage(format!(
            "{} is inside the source folder {}\n  help: import never writes into the source; choose a folder outside it",
            output.display(),
            source.display()
        )));
    }
    Ok(())
}

/// `path` made absolute through its nearest existing ancestor, so symbolic links compare as the source does.
fn absolute(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut current = path.to_path_buf();
    loop {
        if let Ok(found) = current.canonicalize() {
            return rest.iter().rev().fold(found, |acc, part: &std::ffi::OsString| acc.join(part));
        }
        match (current.file_name().map(|n| n.to_os_string()), current.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                current = if parent.as_os_str().is_empty() { PathBuf::from(".") } else { parent.to_path_buf() };
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Writes every file into a folder beside the output, then moves it into place: a failure leaves no half site.
fn write_all(output: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<(), Failure> {
    let io = |path: &Path, e: std::io::Error| {
        Failure::Usage(format!("cannot write {}: {}", path.display(), crate::fsutil::io_reason(&e)))
    };
    let name = output.file_name().map_or_else(|| "import".into(), |n| n.to_string_lossy().to_string());
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| io(&parent, e))?;
    let staging = parent.join(format!(".{name}.import-{}", std::process::id()));
    let result = (|| {
        for (rel, bytes) in files {
            let target = staging.join(rel);
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
            }
            std::fs::write(&target, bytes).map_err(|e| io(&target, e))?;
        }
        if output.exists() {
            std::fs::remove_dir(output).map_err(|e| io(output, e))?;
        }
        std::fs::rename(&staging, output).map_err(|e| io(output, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}
