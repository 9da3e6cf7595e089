//! Translation coverage for `diptych status`: per section and language, how many pages are translated and
//! up to date, outdated, unmarked or missing.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::check::translations::{self, State};
use crate::diag::{Failure, Severity};
use crate::pipeline;
use crate::site::{LoadOptions, Site};

/// One section in one language. `up_to_date + outdated + unmarked + missing == pages`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// The section's folder below content/, with a trailing `/`; `/` for the home section.
    pub section: String,
    pub lang: String,
    /// Pages (and the section's own page) with an original in the default language.
    pub pages: usize,
    pub up_to_date: usize,
    pub outdated: usize,
    pub unmarked: usize,
    pub missing: usize,
}

/// The coverage of every section in every language but the default one, sections in path order.
pub fn coverage(site: &Site) -> Vec<Row> {
    let content = &site.content;
    let mut rows: BTreeMap<(String, String), Row> = BTreeMap::new();
    for entry in &content.entries {
        let section = match (entry.is_section, entry.parent) {
            (true, _) | (false, None) => entry.key.as_str(),
            (false, Some(parent)) => content.entries[parent].key.as_str(),
        };
        let section = match section.strip_suffix("_index.md") {
            Some("") | None => "/".to_string(),
            Some(dir) => dir.to_string(),
        };
        for lang in &site.config.languages {
            let Some(state) = translations::state(&site.config, content, entry, &lang.code) else { continue };
            let row = rows.entry((section.clone(), lang.code.clone())).or_insert_with(|| Row {
                section: section.clone(),
                lang: lang.code.clone(),
                ..Row::default()
            });
            row.pages += 1;
            match state {
                State::UpToDate => row.up_to_date += 1,
                State::Changed | State::ReviewedLater { .. } | State::OldMark => row.outdated += 1,
                State::Unmarked => row.unmarked += 1,
                State::Missing => row.missing += 1,
            }
        }
    }
    rows.into_values().collect()
}

/// The table `diptych status` prints, with a total per language.
pub fn table(site: &Site, rows: &[Row]) -> String {
    let default = &site.config.default_language;
    if site.config.languages.len() < 2 {
        return format!("the site has one language ({default}): there is nothing to translate\n");
    }
    let mut totals: BTreeMap<&str, Row> = BTreeMap::new();
    for row in rows {
        let total = totals.entry(&row.lang).or_insert_with(|| Row {
            section: "all".into(),
            lang: row.lang.clone(),
            ..Row::default()
        });
        total.pages += row.pages;
        total.up_to_date += row.up_to_date;
        total.outdated += row.outdated;
        total.unmarked += row.unmarked;
        total.missing += row.missing;
    }
    let width = rows.iter().map(|r| r.section.chars().count()).max().unwrap_or(0).max("section".len());
    let mut out = format!("translations of the {default} pages\n\n");
    let _ = writeln!(out, "{:<width$}  language  pages  up to date  outdated  unmarked  missing", "section");
    for row in rows.iter().chain(totals.values()) {
        let _ = writeln!(
            out,
            "{:<width$}  {:<8}  {:>5}  {:>10}  {:>8}  {:>8}  {:>7}",
            row.section, row.lang, row.pages, row.up_to_date, row.outdated, row.unmarked, row.missing
        );
    }
    let (outdated, unmarked, missing): (usize, usize, usize) =
        totals.values().fold((0, 0, 0), |(o, u, m), r| (o + r.outdated, u + r.unmarked, m + r.missing));
    if outdated + unmarked + missing > 0 {
        out.push_str("\n`diptych check` lists each outdated, unmarked and missing translation with its file.\n");
    }
    out
}

/// Loads the site and returns the coverage table, with a note where the site has errors that may hide pages.
pub fn run(root: &std::path::Path) -> Result<String, Failure> {
    let loaded = pipeline::load(root, &LoadOptions::default())?;
    let mut out = table(&loaded.site, &coverage(&loaded.site));
    let errors = loaded.problems.all().count(Severity::Error);
    if errors > 0 {
        let _ = writeln!(
            out,
            "\nnote: the site has {errors} error{}, which may leave pages out of this table; `diptych check` lists them",
            if errors == 1 { "" } else { "s" }
        );
    }
    Ok(out)
}
