//! The office directory's data: offices (`content/offices/*.toml`, see `parse`) and the public-holiday
//! calendar (`content/holidays/*.toml`, see `holidays`), parsed, validated and resolved. Facts every language
//! shares are written once; text fields are a table of languages.

pub mod holidays;
pub mod hours;
pub mod parse;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceText};
use crate::fsutil;
use crate::site::config::Config;
use crate::site::content::display;
use crate::site::date::Date;
use crate::site::frontmatter::Source;
use hours::{Calendar, Session, Week};
pub use parse::parse_phone;

/// Text in each language: `{ en = "…", zh = "…" }`.
pub type Texts = BTreeMap<String, String>;

#[derive(Clone, Copy, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

/// A phone number as written, and as a `tel:` URI.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Phone {
    pub display: String,
    pub tel: String,
}

/// Fields an office's `unconfirmed` may name; the text fields also per language (`address.zh`).
pub const FIELDS: &[&str] = &[
    "name",
    "district",
    "address",
    "phones",
    "hours",
    "closes_on_public_holidays",
    "opens_on_makeup_workdays",
    "services",
    "metro",
    "coordinates",
];
const TEXT_FIELDS: &[&str] = &["name", "district", "address", "metro"];

#[derive(Clone, Debug)]
pub struct Office {
    pub id: String,
    /// The data file, for diagnostics: `content/offices/huangpu.toml`.
    pub file: String,
    pub weight: Option<i64>,
    pub name: Texts,
    pub district: Texts,
    pub address: Texts,
    pub phones: Vec<Phone>,
    pub sessions: Vec<Session>,
    pub week: Week,
    pub closes_on_public_holidays: Option<bool>,
    /// Whether it opens on make-up working days: `None` when not known.
    pub opens_on_makeup_workdays: Option<bool>,
    pub services: Vec<String>,
    pub metro: Texts,
    pub coordinates: Option<Coordinates>,
    pub note: Texts,
    pub sources: Vec<Source>,
    pub reviewed: Option<Date>,
    /// Fields not yet confirmed: declared in the data, or empty. `address.zh` for one language.
    pub unconfirmed: BTreeSet<String>,
}

impl Office {
    /// Whether the data gives any way to reach the office: an address, a phone or hours. One without gets no
    /// page, vCard or JSON-LD of its own, only a line in the directory (issue 12: sixteen empty pages).
    pub fn contact_confirmed(&self) -> bool {
        self.address.values().any(|a| !a.trim().is_empty()) || !self.phones.is_empty() || !self.week.is_empty()
    }

    /// Whether `field` (or `field.lang`) is not yet confirmed.
    pub fn is_unconfirmed(&self, field: &str, lang: Option<&str>) -> bool {
        self.unconfirmed.contains(field) || lang.is_some_and(|l| self.unconfirmed.contains(&format!("{field}.{l}")))
    }
}

#[derive(Clone, Debug)]
pub struct Service {
    pub id: String,
    pub name: Texts,
}

#[derive(Clone, Debug, Default)]
pub struct HolidaySource {
    pub year: i32,
    pub sources: Vec<Source>,
}

#[derive(Clone, Debug, Default)]
pub struct Offices {
    /// In directory order: by weight, then id.
    pub offices: Vec<Office>,
    pub calendar: Calendar,
    pub calendar_sources: Vec<HolidaySource>,
    pub services: Vec<Service>,
    /// The service the directory highlights (for the Shanghai guide, permanent-residence applications).
    pub highlight: Option<String>,
    /// Facts the data declares not yet confirmed: `check` lists them, the pages say so.
    pub gaps: Vec<Diagnostic>,
    /// The ids of office files that could not be read: known but broken, so that a page naming one adds no
    /// second problem to the file's own (issue 11).
    pub broken: BTreeSet<String>,
}

impl Offices {
    pub fn get(&self, id: &str) -> Option<&Office> {
        self.offices.iter().find(|o| o.id == id)
    }

    /// Whether `id` names an office whose file has errors of its own.
    pub fn is_broken(&self, id: &str) -> bool {
        self.broken.contains(id)
    }

    pub fn is_empty(&self) -> bool {
        self.offices.is_empty()
    }
}
/// Reads the office and holiday files among `data` (paths relative to `content/`).
pub fn load(root: &Path, config: &Config, data: &[PathBuf]) -> (Offices, Diagnostics) {
    let mut problems = Diagnostics::default();
    let services = services(config, &mut problems);
    let mut offices = Offices { services, highlight: config.offices.highlight_service.clone(), ..Offices::default() };
    let mut holiday_files = Vec::new();
    for rel in data {
        let path = display(Path::new("content").join(rel));
        let source = match fsutil::read_text(&root.join("content").join(rel), &path) {
            Ok(text) => SourceText::new(path, text),
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        match rel.iter().next().and_then(|c| c.to_str()) {
            Some("offices") => {
                let parsed = parse::parse(&source, config, &offices.services);
                problems.extend(parsed.problems);
                offices.gaps.extend(parsed.gap);
                if parsed.office.is_none() {
                    offices.broken.extend(parse::declared_id(&source.text));
                }
                offices.offices.extend(parsed.office);
            }
            Some("holidays") => holiday_files.push(source),
            _ => problems.push(
                Diagnostic::warning(Code::UnusedFile, Location::file(source.path), "this data file is not used")
                    .with_help("office data goes in content/offices/, holiday calendars in content/holidays/"),
            ),
        }
    }
    check_duplicate_ids(&offices.offices, &mut problems);
    offices.offices.sort_by(|a, b| (a.weight.unwrap_or(i64::MAX), &a.id).cmp(&(b.weight.unwrap_or(i64::MAX), &b.id)));
    let calendar = holidays::parse(&holiday_files, config);
    problems.extend(calendar.problems);
    offices.calendar = calendar.calendar;
    offices.calendar_sources = calendar.sources;
    if let Some(highlight) = &offices.highlight
        && !offices.services.iter().any(|s| &s.id == highlight)
    {
        problems.push(
            Diagnostic::error(
                Code::BadConfig,
                Location::file("site.toml"),
                format!("highlight_service `{highlight}` is not one of [[offices.services]]"),
            )
            .with_help("add it to [[offices.services]] or fix the id"),
        );
    }
    (offices, problems)
}

fn services(config: &Config, problems: &mut Diagnostics) -> Vec<Service> {
    let mut list: Vec<Service> = Vec::new();
    for service in &config.offices.services {
        if list.iter().any(|s| s.id == service.id) {
            problems.push(Diagnostic::error(
                Code::BadConfig,
                Location::file("site.toml"),
                format!("service `{}` is defined twice in [[offices.services]]", service.id),
            ));
        }
        for lang in &config.languages {
            if service.name.get(&lang.code).is_none_or(|n| n.trim().is_empty()) {
                problems.push(
                    Diagnostic::error(
                        Code::BadConfig,
                        Location::file("site.toml"),
                        format!("service `{}` has no name in `{}`", service.id, lang.code),
                    )
                    .with_help(format!("add `{} = \"…\"` to its name table", lang.code)),
                );
            }
        }
        list.push(Service { id: service.id.clone(), name: service.name.clone() });
    }
    list
}

/// The text of `texts` in `lang`, if it is there and not blank.
pub fn text<'t>(texts: &'t Texts, lang: &str) -> Option<&'t str> {
    texts.get(lang).map(String::as_str).filter(|t| !t.trim().is_empty())
}

fn check_duplicate_ids(offices: &[Office], problems: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for office in offices {
        if let Some(first) = seen.insert(&office.id, &office.file) {
            problems.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    Location::file(&office.file),
                    format!("office id `{}` is also used by {first}", office.id),
                )
                .with_help("give each office its own id"),
            );
        }
    }
}
