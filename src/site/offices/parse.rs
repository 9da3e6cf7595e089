//! One office file, `content/offices/<id>.toml`: parsed, each fact checked, and resolved into an `Office`.

use std::collections::BTreeSet;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::hours::{self, Session, Week};
use super::{Coordinates, FIELDS, Office, Phone, Service, TEXT_FIELDS, Texts, text};
use crate::diag::from_toml;
use crate::diag::suggest::{did_you_mean, quote_list};
use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceText};
use crate::site::config::Config;
use crate::site::content;
use crate::site::date::Date;
use crate::site::frontmatter::Source;
use crate::site::url_field;

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
    /// Whether it opens on make-up working days (weekend days worked in place of a holiday): absent = unknown.
    opens_on_makeup_workdays: Option<bool>,
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

/// What one office file gave.
pub struct Parsed {
    /// None if the file does not parse, or its id cannot be part of a URL.
    pub office: Option<Office>,
    pub problems: Diagnostics,
    /// The facts the file declares not yet confirmed, as one warning (see `Offices::gaps`).
    pub gap: Option<Diagnostic>,
}

/// The `id` a file that does not parse as an office still declares, if it is valid TOML with a text `id`.
pub fn declared_id(text: &str) -> Option<String> {
    let table: toml::Table = toml::from_str(text).ok()?;
    table.get("id")?.as_str().map(str::to_string)
}

/// Parses and checks one office file against the site's languages and services.
pub fn parse(source: &SourceText, config: &Config, services: &[Service]) -> Parsed {
    let mut raw: OfficeFile = match from_toml::parse(source, 0, &source.text) {
        Ok(raw) => raw,
        Err(d) => return Parsed { office: None, problems: Diagnostics::from_iter([d]), gap: None },
    };
    let mut checker = Checker { source, config, problems: Diagnostics::default() };
    checker.problems.extend(url_field::check_sources(&mut raw.sources, source, 0));
    let id = raw.id.get_ref().clone();
    let id_is_usable = checker.check_id(&raw.id);
    let declared = checker.declared_unconfirmed(&raw.unconfirmed);
    let mut unconfirmed: BTreeSet<String> = declared.iter().cloned().collect();
    unconfirmed.extend(checker.check_all_texts(&raw, &declared));
    let phones = checker.phones(&raw.phones);
    let (sessions, week) = checker.hours(&raw.hours);
    checker.check_services(&raw.services, services);
    checker.check_coordinates(raw.coordinates.as_ref());
    unconfirmed.extend(checker.missing_facts(&raw, &id, &declared));
    let gap = gap(&raw.unconfirmed, &declared, &id, source);
    // An office with an error in one field is still an office: the pages that name it resolve, so its one
    // mistake is reported once rather than again on every page that shows its card. The build stops anyway.
    // Only an id that cannot be a URL leaves it out, as it could have no page.
    let office = id_is_usable.then(|| Office {
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
        opens_on_makeup_workdays: raw.opens_on_makeup_workdays,
        services: raw.services.into_iter().map(Spanned::into_inner).collect(),
        metro: raw.metro.map(Spanned::into_inner).unwrap_or_default(),
        coordinates: raw.coordinates.map(Spanned::into_inner),
        note: raw.note.map(Spanned::into_inner).unwrap_or_default(),
        sources: raw.sources,
        reviewed: raw.reviewed,
        unconfirmed,
    });
    Parsed { office, problems: checker.problems, gap }
}

/// The warning that lists what an office declares not yet confirmed, at its `unconfirmed` key.
fn gap(names: &[Spanned<String>], declared: &[String], id: &str, source: &SourceText) -> Option<Diagnostic> {
    let first = names.first().filter(|_| !declared.is_empty())?;
    Some(
        Diagnostic::warning(Code::Unconfirmed, source.locate(first.span().start), format!("office `{id}`: not yet confirmed: {}", declared.join(", ")))
            .with_help("the pages show these as not yet confirmed; confirm them with an official source and remove them from `unconfirmed`"),
    )
}

/// Checks the facts of one office file, collecting what is wrong.
struct Checker<'a> {
    source: &'a SourceText,
    config: &'a Config,
    problems: Diagnostics,
}

impl Checker<'_> {
    fn at(&self, span: Range<usize>) -> Location {
        self.source.locate(span.start)
    }

    /// Whether the id can be part of a URL (`/offices/<id>/`).
    fn check_id(&mut self, id: &Spanned<String>) -> bool {
        let why = match content::check_url_path(id.get_ref()) {
            Err(why) => why,
            Ok(()) if id.get_ref().contains('/') => "it contains `/`",
            Ok(()) => return true,
        };
        self.problems.push(
            Diagnostic::error(
                Code::BadId,
                self.at(id.span()),
                format!("office id `{}` cannot be part of a URL: {why}", id.get_ref()),
            )
            .with_help("use lowercase letters, digits and `-`"),
        );
        false
    }

    /// The names in `unconfirmed`, checked against the fields an office has.
    fn declared_unconfirmed(&mut self, names: &[Spanned<String>]) -> Vec<String> {
        let mut allowed: Vec<String> = FIELDS.iter().map(|f| f.to_string()).collect();
        for field in TEXT_FIELDS {
            allowed.extend(self.config.languages.iter().map(|l| format!("{field}.{}", l.code)));
        }
        let mut declared = Vec::new();
        for name in names {
            if allowed.contains(name.get_ref()) {
                declared.push(name.get_ref().clone());
                continue;
            }
            let help = did_you_mean(name.get_ref(), &allowed).unwrap_or_else(|| {
                format!(
                    "name one of {}, or a text field with a language such as `address.zh`",
                    quote_list(&allowed[..FIELDS.len()])
                )
            });
            self.problems.push(
                Diagnostic::error(
                    Code::UnknownFieldName,
                    self.at(name.span()),
                    format!("`unconfirmed` names `{}`, which is not a field of an office", name.get_ref()),
                )
                .with_help(help),
            );
        }
        declared
    }

    /// A text field must be in every language; a missing one is a warning unless declared unconfirmed.
    /// Returns the languages it is missing in, as `field.lang`.
    fn check_texts(&mut self, field: &str, value: Option<&Spanned<Texts>>, declared: &[String]) -> Vec<String> {
        let Some(value) = value else { return Vec::new() };
        let at = self.at(value.span());
        self.check_text_languages(field, value.get_ref(), &at);
        if value.get_ref().values().all(|v| v.trim().is_empty()) && field != "name" {
            return Vec::new();
        }
        let mut missing = Vec::new();
        for lang in &self.config.languages {
            if text(value.get_ref(), &lang.code).is_some() {
                continue;
            }
            let qualified = format!("{field}.{}", lang.code);
            if field != "note" && !declared.contains(&qualified) && !declared.iter().any(|d| d == field) {
                self.problems.push(
                    Diagnostic::warning(Code::MissingText, at.clone(), format!("`{field}` has no {} text", lang.name))
                        .with_help(format!("add `{} = \"…\"`, or list \"{qualified}\" in `unconfirmed`; the page shows it as not yet confirmed", lang.code)),
                );
            }
            missing.push(qualified);
        }
        missing
    }

    /// Every language a text field has text in is a language of the site.
    fn check_text_languages(&mut self, field: &str, texts: &Texts, at: &Location) {
        for key in texts.keys().filter(|key| !self.config.has_language(key)) {
            self.problems.push(
                Diagnostic::error(
                    Code::UnknownLanguage,
                    at.clone(),
                    format!("`{field}` has text in `{key}`, which is not a language of the site"),
                )
                .with_help(format!(
                    "the site's languages are {}",
                    quote_list(&self.config.languages.iter().map(|l| l.code.clone()).collect::<Vec<_>>())
                )),
            );
        }
    }

    /// The rows of `hours` that parse, each opening before it closes.
    fn sessions(&mut self, rows: &[Spanned<HoursRow>]) -> Vec<Session> {
        let mut sessions = Vec::new();
        for row in rows {
            let r = row.get_ref();
            let days = hours::parse_days(r.days.get_ref())
                .map_err(|why| self.problems.push(Diagnostic::error(Code::BadHours, self.at(r.days.span()), why)));
            let open = hours::parse_time(r.open.get_ref())
                .map_err(|why| self.problems.push(Diagnostic::error(Code::BadTime, self.at(r.open.span()), why)));
            let close = hours::parse_time(r.close.get_ref())
                .map_err(|why| self.problems.push(Diagnostic::error(Code::BadTime, self.at(r.close.span()), why)));
            let (Ok(days), Ok(open), Ok(close)) = (days, open, close) else { continue };
            if close <= open {
                self.problems.push(
                    Diagnostic::error(
                        Code::BadHours,
                        self.at(r.close.span()),
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

    /// Every text field checked; returns the texts missing in a language (`address.zh`).
    fn check_all_texts(&mut self, raw: &OfficeFile, declared: &[String]) -> Vec<String> {
        let texts: [(&str, Option<&Spanned<Texts>>); 5] = [
            ("name", Some(&raw.name)),
            ("district", Some(&raw.district)),
            ("address", raw.address.as_ref()),
            ("metro", raw.metro.as_ref()),
            ("note", raw.note.as_ref()),
        ];
        texts.into_iter().flat_map(|(field, value)| self.check_texts(field, value, declared)).collect()
    }

    fn phones(&mut self, phones: &[Spanned<String>]) -> Vec<Phone> {
        let mut parsed = Vec::new();
        for phone in phones {
            match parse_phone(phone.get_ref()) {
                Ok(p) => parsed.push(p),
                Err(why) => self.problems.push(
                    Diagnostic::error(Code::BadPhone, self.at(phone.span()), why)
                        .with_help("write the number with its area code, e.g. 021-28951900, or +86 21 2895 1900"),
                ),
            }
        }
        parsed
    }

    /// The opening sessions, and the week they make (empty if two sessions overlap).
    fn hours(&mut self, rows: &[Spanned<HoursRow>]) -> (Vec<Session>, Week) {
        let sessions = self.sessions(rows);
        let week = match Week::new(&sessions) {
            Ok(week) => week,
            Err((first, second, day)) => {
                let (row, other) = (&rows[second], &rows[first]);
                self.problems.push(
                    Diagnostic::error(
                        Code::BadHours,
                        self.at(row.span()),
                        format!(
                            "on {} this session ({}–{}) overlaps the one on line {} ({}–{})",
                            hours::DAY_NAMES[day],
                            row.get_ref().open.get_ref(),
                            row.get_ref().close.get_ref(),
                            self.at(other.span()).line,
                            other.get_ref().open.get_ref(),
                            other.get_ref().close.get_ref()
                        ),
                    )
                    .with_help("make the sessions of a day follow each other, e.g. 09:00–11:30 and 13:30–17:00"),
                );
                Week::default()
            }
        };
        (sessions, week)
    }

    /// Every service named is one of site.toml's `[[offices.services]]`.
    fn check_services(&mut self, named: &[Spanned<String>], services: &[Service]) {
        let known: Vec<String> = services.iter().map(|s| s.id.clone()).collect();
        for service in named.iter().filter(|s| !known.contains(s.get_ref())) {
            let help = did_you_mean(service.get_ref(), &known).unwrap_or_else(|| {
                if known.is_empty() {
                    "define the services offices offer with [[offices.services]] in site.toml".to_string()
                } else {
                    format!(
                        "the services are {}; add new ones to [[offices.services]] in site.toml",
                        quote_list(&known)
                    )
                }
            });
            self.problems.push(
                Diagnostic::error(
                    Code::UnknownService,
                    self.at(service.span()),
                    format!("unknown service `{}`", service.get_ref()),
                )
                .with_help(help),
            );
        }
    }

    fn check_coordinates(&mut self, coordinates: Option<&Spanned<Coordinates>>) {
        let Some(c) = coordinates else { return };
        let Coordinates { lat, lon } = *c.get_ref();
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            self.problems.push(
                Diagnostic::error(Code::BadCoordinates, self.at(c.span()), "coordinates out of range")
                    .with_help("lat is between -90 and 90, lon between -180 and 180"),
            );
        }
    }

    /// The facts the office has no value for: each is unconfirmed, and a warning unless declared so.
    fn missing_facts(&mut self, raw: &OfficeFile, id: &str, declared: &[String]) -> Vec<String> {
        let empty = [
            ("address", raw.address.as_ref().is_none_or(|a| a.get_ref().values().all(|v| v.trim().is_empty()))),
            ("phones", raw.phones.is_empty()),
            ("hours", raw.hours.is_empty()),
            ("services", raw.services.is_empty()),
            ("closes_on_public_holidays", raw.closes_on_public_holidays.is_none() && !raw.hours.is_empty()),
        ];
        let missing: Vec<String> = empty.iter().filter(|(_, is_empty)| *is_empty).map(|(f, _)| f.to_string()).collect();
        for field in missing.iter().filter(|f| !declared.contains(f)) {
            self.problems.push(
                Diagnostic::warning(
                    Code::MissingFact,
                    Location::file(&self.source.path),
                    format!("office `{id}` has no {}", field.replace('_', " ")),
                )
                .with_help(format!(
                    "add it, or list \"{field}\" in `unconfirmed` so the page says it is not yet confirmed"
                )),
            );
        }
        missing
    }
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
