//! The public-holiday calendar: `content/holidays/<year>.toml`, one file a year, read into one calendar and
//! checked date by date against its year and the other holidays.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::hours::{Calendar, Holiday};
use super::{HolidaySource, Texts, text};
use crate::diag::from_toml;
use crate::diag::{Code, Diagnostic, Diagnostics, Location, Severity, SourceText};
use crate::site::config::Config;
use crate::site::date::{self, Date};
use crate::site::frontmatter::Source;
use crate::site::url_field;

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

/// The calendar the holiday files make, where each year's sources came from, and what is wrong in them.
pub struct Parsed {
    pub calendar: Calendar,
    pub sources: Vec<HolidaySource>,
    pub problems: Diagnostics,
}

/// Reads the holiday files into one calendar, checking each date against its year and the others.
pub fn parse(files: &[SourceText], config: &Config) -> Parsed {
    let mut parsed = Parsed { calendar: Calendar::default(), sources: Vec::new(), problems: Diagnostics::default() };
    let mut years: BTreeMap<i32, String> = BTreeMap::new();
    for source in files {
        let raw: HolidayFile = match from_toml::parse(source, 0, &source.text) {
            Ok(raw) => raw,
            Err(d) => {
                parsed.problems.push(d);
                continue;
            }
        };
        let year = *raw.year.get_ref();
        if let Some(other) = years.insert(year, source.path.clone()) {
            parsed.problems.push(
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
            let (holiday, problems) = check_holiday(row, year, &holidays, config, source);
            parsed.problems.extend(problems);
            holidays.extend(holiday);
        }
        parsed.calendar.holidays.extend(holidays);
        let mut raw = raw;
        parsed.problems.extend(url_field::check_sources(&mut raw.sources, source, 0));
        parsed.sources.push(HolidaySource { year, sources: raw.sources });
    }
    match years_span(&years) {
        Ok(span) => parsed.calendar.span = span,
        Err(gap) => parsed.problems.push(gap),
    }
    parsed.calendar.holidays.sort_by_key(|h| h.from);
    parsed
}

/// The days the calendar covers, from the first of January of its first year to the end of its last; an
/// error if a year in between has no file.
fn years_span(years: &BTreeMap<i32, String>) -> Result<Option<(Date, Date)>, Diagnostic> {
    let (Some(&first), Some(&last)) = (years.keys().next(), years.keys().next_back()) else { return Ok(None) };
    match (first..=last).find(|y| !years.contains_key(y)) {
        Some(missing) => Err(Diagnostic::error(
            Code::CalendarGap,
            Location::file("content/holidays/"),
            format!("the holiday calendar has {first} and {last} but not {missing}"),
        )
        .with_help(format!("add content/holidays/{missing}.toml from the State Council's notice"))),
        None => Ok(Some((Date { year: first, month: 1, day: 1 }, Date { year: last, month: 12, day: 31 }))),
    }
}

/// One holiday checked against its year and the `earlier` holidays of that year: the holiday unless it has an
/// error, and its problems.
fn check_holiday(
    row: &Spanned<HolidayRow>,
    year: i32,
    earlier: &[Holiday],
    config: &Config,
    source: &SourceText,
) -> (Option<Holiday>, Diagnostics) {
    let r = row.get_ref();
    let (from, to) = (*r.from.get_ref(), *r.to.get_ref());
    let located = |span: std::ops::Range<usize>| source.locate(span.start);
    let mut problems = check_range(r, year, earlier, &located);
    problems.extend(check_makeup_days(r, &located));
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
    let holiday = (problems.count(Severity::Error) == 0).then(|| Holiday {
        name: r.name.clone(),
        from,
        to,
        makeup_workdays: r.makeup_workdays.iter().map(|d| *d.get_ref()).collect(),
    });
    (holiday, problems)
}

/// Both dates in the calendar's year, in order, and not overlapping an earlier holiday.
fn check_range(
    r: &HolidayRow,
    year: i32,
    earlier: &[Holiday],
    located: &impl Fn(std::ops::Range<usize>) -> Location,
) -> Diagnostics {
    let mut problems = Diagnostics::default();
    let (from, to) = (*r.from.get_ref(), *r.to.get_ref());
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
    problems
}

/// Make-up working days fall on a weekend and outside the holiday.
fn check_makeup_days(r: &HolidayRow, located: &impl Fn(std::ops::Range<usize>) -> Location) -> Diagnostics {
    let mut problems = Diagnostics::default();
    let (from, to) = (*r.from.get_ref(), *r.to.get_ref());
    for day in &r.makeup_workdays {
        let date = *day.get_ref();
        if date.weekday() < 5 {
            problems.push(
                Diagnostic::error(
                    Code::BadDate,
                    located(day.span()),
                    format!(
                        "{date} is a {}; a make-up working day is a Saturday or Sunday",
                        date::WEEKDAYS[date.weekday() as usize]
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
    problems
}
