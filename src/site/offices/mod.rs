//! The office directory's data: offices (`content/offices/*.toml`) and the public-holiday calendar
//! (`content/holidays/*.toml`), parsed, validated and resolved. Facts every language shares are written once;
//! text fields are a table of languages.

pub mod hours;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diag::Code;
use crate::diag::from_toml;
use crate::diag::suggest::quote_list;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceText};
use crate::site::config::Config;
use crate::site::content::{self, display};
use crate::site::date::Date;
use crate::site::frontmatter::{self, Source};
use crate::site::url_field;
use hours::{Calendar, Holiday, Session, Week};

/// Text in each language: `{ en = "…", zh = "…" }`.
pub type Texts = BTreeMap<String, String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OfficeFile {
    id: Spanned<String>,
    /// Order in the directory (lower first).
    weight: Option<i64>,
    name: Spanned<Texts>,
    district: Spanned<Texts>,
    address: Option<Spanned<Texts>>,
    #[serde(default)]
    phones: Vec<Spanned<String>>,
    #[serde(default)]
    hours: Vec<Spanned<HoursRow>>,
    closes_on_public_holidays: Option<bool>,
    #[serde(default)]
    services: Vec<Spanned<String>>,
    metro: Option<Spanned<Texts>>,
    coordinates: Option<Spanned<Coordinates>>,
    note: Option<Spanned<Texts>>,
    #[serde(default)]
    sources: Vec<Source>,
    /// When an editor last checked these facts against their sources.
    reviewed: Option<Date>,
    #[serde(default)]
    unconfirmed: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HoursRow {
    days: Spanned<String>,
    open: Spanned<String>,
    close: Spanned<String>,
}

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
}

impl Offices {
    pub fn get(&self, id: &str) -> Option<&Office> {
        self.offices.iter().find(|o| o.id == id)
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
        let Some(source) = read_source(root, rel, &path, &mut problems) else { continue };
        match rel.iter().next().and_then(|c| c.to_str()) {
            Some("offices") => {
                if let Some(office) = parse_office(&source, config, &offices.services, &mut problems, &mut offices.gaps)
                {
                    offices.offices.push(office);
                }
            }
            Some("holidays") => holiday_files.push(source),
            _ => problems.push(
                Diagnostic::warning(Code::UnusedFile, Location::file(path), "this data file is not used")
                    .with_help("office data goes in content/offices/, holiday calendars in content/holidays/"),
            ),
        }
    }
    check_duplicate_ids(&offices.offices, &mut problems);
    offices.offices.sort_by(|a, b| (a.weight.unwrap_or(i64::MAX), &a.id).cmp(&(b.weight.unwrap_or(i64::MAX), &b.id)));
    let (calendar, sources) = parse_calendar(&holiday_files, config, &mut problems);
    offices.calendar = calendar;
    offices.calendar_sources = sources;
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

fn read_source(root: &Path, rel: &Path, path: &str, problems: &mut Diagnostics) -> Option<SourceText> {
    let bytes = match crate::fsutil::read(&root.join("content").join(rel), path) {
        Ok(bytes) => bytes,
        Err(d) => {
            problems.push(d);
            return None;
        }
    };
    match frontmatter::normalize(bytes) {
        Ok(text) => Some(SourceText::new(path, text)),
        Err(at) => {
            problems.push(
                Diagnostic::error(
                    Code::InvalidUtf8,
                    Location::file(path),
                    format!("the file is not valid UTF-8 (from byte {at})"),
                )
                .with_help("save the file as UTF-8"),
            );
            None
        }
    }
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

fn parse_office(
    source: &SourceText,
    config: &Config,
    services: &[Service],
    problems: &mut Diagnostics,
    gaps: &mut Vec<Diagnostic>,
) -> Option<Office> {
    let mut raw: OfficeFile = match from_toml::parse(source, 0, &source.text) {
        Ok(raw) => raw,
        Err(d) => {
            problems.push(d);
            return None;
        }
    };
    problems.extend(url_field::check_sources(&mut raw.sources, source, 0));
    let at = |span: std::ops::Range<usize>| source.locate(span.start);
    let id = raw.id.get_ref().clone();
    let id_is_usable = match content::check_url_path(&id)
        .and_then(|()| if id.contains('/') { Err("it contains `/`") } else { Ok(()) })
    {
        Ok(()) => true,
        Err(why) => {
            problems.push(
                Diagnostic::error(
                    Code::BadId,
                    at(raw.id.span()),
                    format!("office id `{id}` cannot be part of a URL: {why}"),
                )
                .with_help("use lowercase letters, digits and `-`"),
            );
            false
        }
    };
    let declared = declared_unconfirmed(&raw.unconfirmed, config, source, problems);
    let mut unconfirmed: BTreeSet<String> = declared.iter().cloned().collect();

    let texts: [(&str, Option<&Spanned<Texts>>); 5] = [
        ("name", Some(&raw.name)),
        ("district", Some(&raw.district)),
        ("address", raw.address.as_ref()),
        ("metro", raw.metro.as_ref()),
        ("note", raw.note.as_ref()),
    ];
    for (field, value) in texts {
        check_texts(field, value, config, source, &declared, &mut unconfirmed, problems);
    }
    let mut phones = Vec::new();
    for phone in &raw.phones {
        match parse_phone(phone.get_ref()) {
            Ok(p) => phones.push(p),
            Err(why) => problems.push(
                Diagnostic::error(Code::BadPhone, at(phone.span()), why)
                    .with_help("write the number with its area code, e.g. 021-28951900, or +86 21 2895 1900"),
            ),
        }
    }
    let sessions = parse_sessions(&raw.hours, source, problems);
    let week = match Week::new(&sessions) {
        Ok(week) => week,
        Err((first, second, day)) => {
            let row = &raw.hours[second];
            let other = &raw.hours[first];
            problems.push(
                Diagnostic::error(
                    Code::BadHours,
                    at(row.span()),
                    format!(
                        "on {} this session ({}–{}) overlaps the one on line {} ({}–{})",
                        hours::DAY_NAMES[day],
                        row.get_ref().open.get_ref(),
                        row.get_ref().close.get_ref(),
                        source.locate(other.span().start).line,
                        other.get_ref().open.get_ref(),
                        other.get_ref().close.get_ref()
                    ),
                )
                .with_help("make the sessions of a day follow each other, e.g. 09:00–11:30 and 13:30–17:00"),
            );
            Week::default()
        }
    };
    for service in &raw.services {
        if !services.iter().any(|s| &s.id == service.get_ref()) {
            let known: Vec<String> = services.iter().map(|s| s.id.clone()).collect();
            let help = crate::diag::suggest::did_you_mean(service.get_ref(), &known).unwrap_or_else(|| {
                if known.is_empty() {
                    "define the services offices offer with [[offices.services]] in site.toml".to_string()
                } else {
                    format!(
                        "the services are {}; add new ones to [[offices.services]] in site.toml",
                        quote_list(&known)
                    )
                }
            });
            problems.push(
                Diagnostic::error(
                    Code::UnknownService,
                    at(service.span()),
                    format!("unknown service `{}`", service.get_ref()),
                )
                .with_help(help),
            );
        }
    }
    if let Some(c) = &raw.coordinates {
        let c_ref = c.get_ref();
        if !(-90.0..=90.0).contains(&c_ref.lat) || !(-180.0..=180.0).contains(&c_ref.lon) {
            problems.push(
                Diagnostic::error(Code::BadCoordinates, at(c.span()), "coordinates out of range")
                    .with_help("lat is between -90 and 90, lon between -180 and 180"),
            );
        }
    }
    let empty = [
        ("address", raw.address.as_ref().is_none_or(|a| a.get_ref().values().all(|v| v.trim().is_empty()))),
        ("phones", raw.phones.is_empty()),
        ("hours", raw.hours.is_empty()),
        ("services", raw.services.is_empty()),
        ("closes_on_public_holidays", raw.closes_on_public_holidays.is_none() && !raw.hours.is_empty()),
    ];
    for (field, is_empty) in empty {
        if !is_empty {
            continue;
        }
        unconfirmed.insert(field.to_string());
        if !declared.iter().any(|d| d == field) {
            problems.push(
                Diagnostic::warning(
                    Code::MissingFact,
                    Location::file(&source.path),
                    format!("office `{id}` has no {}", field.replace('_', " ")),
                )
                .with_help(format!(
                    "add it, or list \"{field}\" in `unconfirmed` so the page says it is not yet confirmed"
                )),
            );
        }
    }
    if let Some(first) = raw.unconfirmed.first()
        && !declared.is_empty()
    {
        gaps.push(
            Diagnostic::warning(Code::Unconfirmed, at(first.span()), format!("office `{id}`: not yet confirmed: {}", declared.join(", ")))
                .with_help("the pages show these as not yet confirmed; confirm them with an official source and remove them from `unconfirmed`"),
        );
    }
    // An office with an error in one field is still an office: the pages that name it resolve, so its one
    // mistake is reported once rather than again on every page that shows its card. The build stops anyway.
    // Only an id that cannot be a URL leaves it out, as it could have no page.
    if !id_is_usable {
        return None;
    }
    Some(Office {
        id,
        file: source.path.clone(),
        weight: raw.weight,
        name: raw.name.into_inner(),
        district: raw.district.into_inner(),
        address: raw.address.map(Spanned::into_inner).unwrap_or_default(),
        phones,
        sessions,
        week,
        closes_on_public_holidays: raw.closes_on_public_holidays,
        services: raw.services.into_iter().map(Spanned::into_inner).collect(),
        metro: raw.metro.map(Spanned::into_inner).unwrap_or_default(),
        coordinates: raw.coordinates.map(Spanned::into_inner),
        note: raw.note.map(Spanned::into_inner).unwrap_or_default(),
        sources: raw.sources,
        reviewed: raw.reviewed,
        unconfirmed,
    })
}

/// The names in `unconfirmed`, checked against the fields an office has.
fn declared_unconfirmed(
    names: &[Spanned<String>],
    config: &Config,
    source: &SourceText,
    problems: &mut Diagnostics,
) -> Vec<String> {
    let mut allowed: Vec<String> = FIELDS.iter().map(|f| f.to_string()).collect();
    for field in TEXT_FIELDS {
        allowed.extend(config.languages.iter().map(|l| format!("{field}.{}", l.code)));
    }
    let mut declared = Vec::new();
    for name in names {
        if allowed.contains(name.get_ref()) {
            declared.push(name.get_ref().clone());
        } else {
            let help = crate::diag::suggest::did_you_mean(name.get_ref(), &allowed).unwrap_or_else(|| {
                format!(
                    "name one of {}, or a text field with a language such as `address.zh`",
                    quote_list(&allowed[..FIELDS.len()])
                )
            });
            problems.push(
                Diagnostic::error(
                    Code::UnknownFieldName,
                    source.locate(name.span().start),
                    format!("`unconfirmed` names `{}`, which is not a field of an office", name.get_ref()),
                )
                .with_help(help),
            );
        }
    }
    declared
}

/// A text field must be in every language; a missing one is a warning unless declared unconfirmed.
fn check_texts(
    field: &str,
    value: Option<&Spanned<Texts>>,
    config: &Config,
    source: &SourceText,
    declared: &[String],
    unconfirmed: &mut BTreeSet<String>,
    problems: &mut Diagnostics,
) {
    let Some(value) = value else { return };
    let at = source.locate(value.span().start);
    for key in value.get_ref().keys() {
        if !config.has_language(key) {
            problems.push(
                Diagnostic::error(
                    Code::UnknownLanguage,
                    at.clone(),
                    format!("`{field}` has text in `{key}`, which is not a language of the site"),
                )
                .with_help(format!(
                    "the site's languages are {}",
                    quote_list(&config.languages.iter().map(|l| l.code.clone()).collect::<Vec<_>>())
                )),
            );
        }
    }
    if value.get_ref().values().all(|v| v.trim().is_empty()) && field != "name" {
        return;
    }
    for lang in &config.languages {
        if text(value.get_ref(), &lang.code).is_some() {
            continue;
        }
        let qualified = format!("{field}.{}", lang.code);
        unconfirmed.insert(qualified.clone());
        if field != "note" && !declared.contains(&qualified) && !declared.iter().any(|d| d == field) {
            problems.push(
                Diagnostic::warning(Code::MissingText, at.clone(), format!("`{field}` has no {} text", lang.name))
                    .with_help(format!("add `{} = \"…\"`, or list \"{qualified}\" in `unconfirmed`; the page shows it as not yet confirmed", lang.code)),
            );
        }
    }
}

fn parse_sessions(rows: &[Spanned<HoursRow>], source: &SourceText, problems: &mut Diagnostics) -> Vec<Session> {
    let mut sessions = Vec::new();
    for row in rows {
        let r = row.get_ref();
        let days = hours::parse_days(r.days.get_ref())
            .map_err(|why| problems.push(Diagnostic::error(Code::BadHours, source.locate(r.days.span().start), why)));
        let open = hours::parse_time(r.open.get_ref())
            .map_err(|why| problems.push(Diagnostic::error(Code::BadTime, source.locate(r.open.span().start), why)));
        let close = hours::parse_time(r.close.get_ref())
            .map_err(|why| problems.push(Diagnostic::error(Code::BadTime, source.locate(r.close.span().start), why)));
        let (Ok(days), Ok(open), Ok(close)) = (days, open, close) else { continue };
        if close <= open {
            problems.push(
                Diagnostic::error(
                    Code::BadHours,
                    source.locate(r.close.span().start),
                    format!("the session closes ({}) before it opens ({})", r.close.get_ref(), r.open.get_ref()),
                )
                .with_help("a session that runs past midnight is two sessions, one on each day"),
            );
            continue;
        }
        sessions.push(Session { days, open, close });
    }
    sessions
}

/// Accepts numbers with an area or country code (`021-28951900`, `+86 21 2895 1900`), mobile numbers and
/// short service numbers (`12367`).
pub fn parse_phone(text: &str) -> Result<Phone, String> {
    let display = text.trim().to_string();
    if let Some(bad) = display.chars().find(|c| !(c.is_ascii_digit() || " -+().".contains(*c))) {
        return Err(format!("`{display}` is not a phone number: it contains `{bad}`"));
    }
    if display.rfind('+').is_some_and(|i| i > 0) {
        return Err(format!("`{display}` is not a phone number: `+` can only come first"));
    }
    let digits: String = display.chars().filter(char::is_ascii_digit).collect();
    let tel = if display.starts_with('+') {
        (8..=15).contains(&digits.len()).then(|| format!("+{digits}"))
    } else if digits.starts_with('0') && (10..=12).contains(&digits.len()) {
        Some(format!("+86{}", &digits[1..]))
    } else if digits.starts_with('1') && digits.len() == 11 {
        Some(format!("+86{digits}"))
    } else if digits.starts_with('1') && (3..=5).contains(&digits.len()) {
        Some(digits.clone())
    } else {
        None
    };
    tel.map(|tel| Phone { display, tel }).ok_or_else(|| {
        format!(
            "`{}` is not a phone number: it has {} digits, without an area code, country code or service-number form",
            text.trim(),
            digits.len()
        )
    })
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayFile {
    year: Spanned<i32>,
    #[serde(default)]
    sources: Vec<Source>,
    holidays: Vec<Spanned<HolidayRow>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayRow {
    name: Texts,
    from: Spanned<Date>,
    to: Spanned<Date>,
    #[serde(default)]
    makeup_workdays: Vec<Spanned<Date>>,
}

/// Reads the holiday files into one calendar, checking each date against its year and the others.
fn parse_calendar(files: &[SourceText], config: &Config, problems: &mut Diagnostics) -> (Calendar, Vec<HolidaySource>) {
    let mut calendar = Calendar::default();
    let mut sources = Vec::new();
    let mut years: BTreeMap<i32, String> = BTreeMap::new();
    for source in files {
        let raw: HolidayFile = match from_toml::parse(source, 0, &source.text) {
            Ok(raw) => raw,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        let year = *raw.year.get_ref();
        if let Some(other) = years.insert(year, source.path.clone()) {
            problems.push(
                Diagnostic::error(
                    Code::DuplicateYear,
                    source.locate(raw.year.span().start),
                    format!("{other} is also the calendar of {year}"),
                )
                .with_help("keep one file per year"),
            );
            continue;
        }
        let mut holidays: Vec<Holiday> = Vec::new();
        for row in &raw.holidays {
            if let Some(holiday) = check_holiday(row, year, &holidays, config, source, problems) {
                holidays.push(holiday);
            }
        }
        calendar.holidays.extend(holidays);
        let mut raw = raw;
        problems.extend(url_field::check_sources(&mut raw.sources, source, 0));
        sources.push(HolidaySource { year, sources: raw.sources });
    }
    if let (Some(&first), Some(&last)) = (years.keys().next(), years.keys().next_back()) {
        match (first..=last).find(|y| !years.contains_key(y)) {
            Some(missing) => problems.push(
                Diagnostic::error(
                    Code::CalendarGap,
                    Location::file("content/holidays/"),
                    format!("the holiday calendar has {first} and {last} but not {missing}"),
                )
                .with_help(format!("add content/holidays/{missing}.toml from the State Council's notice")),
            ),
            None => {
                calendar.span = Some((Date { year: first, month: 1, day: 1 }, Date { year: last, month: 12, day: 31 }))
            }
        }
    }
    calendar.holidays.sort_by_key(|h| h.from);
    (calendar, sources)
}

fn check_holiday(
    row: &Spanned<HolidayRow>,
    year: i32,
    earlier: &[Holiday],
    config: &Config,
    source: &SourceText,
    problems: &mut Diagnostics,
) -> Option<Holiday> {
    let r = row.get_ref();
    let (from, to) = (*r.from.get_ref(), *r.to.get_ref());
    let before = problems.count(crate::diag::Severity::Error);
    let located = |span: std::ops::Range<usize>| source.locate(span.start);
    for (date, span) in [(from, r.from.span()), (to, r.to.span())] {
        if date.year != year {
            problems.push(
                Diagnostic::error(
                    Code::BadDate,
                    located(span),
                    format!("{date} is not in {year}, the year of this calendar"),
                )
                .with_help("put it in the calendar of its own year"),
            );
        }
    }
    if to < from {
        problems.push(
            Diagnostic::error(
                Code::BadDate,
                located(r.to.span()),
                format!("the holiday ends ({to}) before it starts ({from})"),
            )
            .with_help("swap `from` and `to`"),
        );
    }
    if let Some(other) = earlier.iter().find(|h| h.from <= to && from <= h.to) {
        let name = other.name.values().next().cloned().unwrap_or_default();
        problems.push(Diagnostic::error(
            Code::BadDate,
            located(r.from.span()),
            format!("this holiday overlaps {name} ({} to {})", other.from, other.to),
        ));
    }
    for day in &r.makeup_workdays {
        let date = *day.get_ref();
        if date.weekday() < 5 {
            problems.push(
                Diagnostic::error(
                    Code::BadDate,
                    located(day.span()),
                    format!(
                        "{date} is a {}; a make-up working day is a Saturday or Sunday",
                        crate::site::date::WEEKDAYS[date.weekday() as usize]
                    ),
                )
                .with_help("check the date against the State Council's notice"),
            );
        } else if from <= date && date <= to {
            problems.push(Diagnostic::error(
                Code::BadDate,
                located(day.span()),
                format!("{date} is both a day off and a make-up working day"),
            ));
        }
    }
    for lang in &config.languages {
        if text(&r.name, &lang.code).is_none() {
            problems.push(
                Diagnostic::warning(
                    Code::MissingText,
                    located(row.span()),
                    format!("the holiday has no {} name", lang.name),
                )
                .with_help(format!("add `{} = \"…\"` to its name", lang.code)),
            );
        }
    }
    (problems.count(crate::diag::Severity::Error) == before).then(|| Holiday {
        name: r.name.clone(),
        from,
        to,
        makeup_workdays: r.makeup_workdays.iter().map(|d| *d.get_ref()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers() {
        assert_eq!(parse_phone("021-28951900").unwrap().tel, "+862128951900");
        assert_eq!(parse_phone("+86 21 2895 1900").unwrap().tel, "+862128951900");
        assert_eq!(parse_phone("12367").unwrap().tel, "12367");
        assert_eq!(parse_phone("13912345678").unwrap().tel, "+8613912345678");
        assert!(parse_phone("28951900").unwrap_err().contains("8 digits"));
        assert!(parse_phone("call us").unwrap_err().contains("contains `c`"));
        assert!(parse_phone("021+123").is_err());
    }
}
