//! Opening hours: weekly sessions, the public-holiday calendar, and their expansion into dated opening
//! intervals, which is what "open now" looks up.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::site::date::Date;

/// Minutes after midnight, 0..=1440.
pub type Minute = u16;

/// `09:00` → 540. Only `HH:MM` with 00–23 and 00–59 (and `24:00` as a closing time) are times.
pub fn parse_time(text: &str) -> Result<Minute, String> {
    let bad = || format!("`{text}` is not a time; write it as HH:MM on a 24-hour clock, e.g. 09:00 or 17:30");
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 24 || m > 59 || (h == 24 && m != 0) {
        return Err(format!("`{text}` is not a time of day: hours run from 00 to 23 and minutes from 00 to 59"));
    }
    Ok(h * 60 + m)
}

pub fn format_time(minute: Minute) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

pub const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// `mon-fri`, `sat`, `mon,wed,fri` or `mon-wed,sat` → a set of weekdays (0 = Monday).
pub fn parse_days(text: &str) -> Result<[bool; 7], String> {
    let day = |name: &str| {
        let name = name.trim().to_ascii_lowercase();
        DAY_NAMES
            .iter()
            .position(|d| name == *d)
            .or_else(|| FULL_DAY_NAMES.iter().position(|d| name == *d))
            .ok_or_else(|| format!("`{name}` is not a day; use mon, tue, wed, thu, fri, sat or sun"))
    };
    let mut days = [false; 7];
    for part in text.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a)?, day(b)?);
                if b < a {
                    return Err(format!("`{}` runs backwards; write the earlier day first", part.trim()));
                }
                days[a..=b].iter_mut().for_each(|d| *d = true);
            }
            None => days[day(part)?] = true,
        }
    }
    Ok(days)
}

const FULL_DAY_NAMES: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// One opening session on given weekdays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub days: [bool; 7],
    pub open: Minute,
    pub close: Minute,
}

/// The weekly pattern: for each weekday, its sessions in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Week(pub [Vec<(Minute, Minute)>; 7]);

impl Week {
    /// Builds the week, refusing sessions that overlap on a day. The error names the two sessions' indexes.
    pub fn new(sessions: &[Session]) -> Result<Week, (usize, usize, usize)> {
        let mut week: [Vec<(Minute, Minute, usize)>; 7] = Default::default();
        for (i, s) in sessions.iter().enumerate() {
            for (d, on) in s.days.iter().enumerate() {
                if *on {
                    if let Some(&(_, _, j)) = week[d].iter().find(|(o, c, _)| s.open < *c && *o < s.close) {
                        return Err((j, i, d));
                    }
                    week[d].push((s.open, s.close, i));
                }
            }
        }
        Ok(Week(week.map(|mut day| {
            day.sort();
            day.into_iter().map(|(o, c, _)| (o, c)).collect()
        })))
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Vec::is_empty)
    }

    /// The hours a make-up working day takes: those of the first weekday (Monday to Friday) the office is open.
    pub fn makeup_day(&self) -> &[(Minute, Minute)] {
        self.0[..5].iter().find(|d| !d.is_empty()).map_or(&[], Vec::as_slice)
    }
}

/// A public holiday as the State Council's notice gives it: days off, and weekend days worked instead (调休).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holiday {
    pub name: BTreeMap<String, String>,
    pub from: Date,
    pub to: Date,
    pub makeup_workdays: Vec<Date>,
}

/// Every holiday of the calendar's years, and the first and last day it covers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    pub holidays: Vec<Holiday>,
    /// The years the calendar covers, without gaps: `(first day, last day)`.
    pub span: Option<(Date, Date)>,
}

impl Calendar {
    fn is_day_off(&self, date: Date) -> bool {
        self.holidays.iter().any(|h| h.from <= date && date <= h.to)
    }

    fn is_makeup_workday(&self, date: Date) -> bool {
        self.holidays.iter().any(|h| h.makeup_workdays.contains(&date))
    }
}

/// The sessions of one date. On a make-up working day (a weekend day worked in place of a holiday) an office
/// that `opens_on_makeup` keeps the hours of a weekday; otherwise its weekend hours.
pub fn day_sessions<'w>(
    week: &'w Week,
    calendar: &Calendar,
    follows_calendar: bool,
    opens_on_makeup: bool,
    date: Date,
) -> &'w [(Minute, Minute)] {
    if follows_calendar {
        if calendar.is_day_off(date) {
            return &[];
        }
        if opens_on_makeup && calendar.is_makeup_workday(date) && week.0[date.weekday() as usize].is_empty() {
            return week.makeup_day();
        }
    }
    &week.0[date.weekday() as usize]
}

/// Dated opening intervals for every day the calendar covers, as compact data for the browser: the distinct
/// day patterns, and for each day the index of its pattern (one character, `0`–`9` then `a`–`z`), `?` for a
/// holiday or make-up day of an office not known to follow the calendar, or `!` for a make-up working day of an
/// office not known to open on one. Dates the calendar does not cover have no entry: the browser says so
/// rather than guess (issue 12: "open now" said "open" on 1 January 2027, a holiday beyond the calendar).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Schedule {
    pub from: String,
    pub patterns: Vec<Vec<(Minute, Minute)>>,
    pub days: String,
    /// Pattern index for each weekday, Monday first: for an office that ignores the calendar, every date.
    pub weekly: Vec<usize>,
    /// Whether the office closes on public holidays: `None` when not known.
    pub follows_holidays: Option<bool>,
}

pub const UNKNOWN_DAY: char = '?';
pub const UNKNOWN_MAKEUP_DAY: char = '!';

/// What an office's data says about its days: its week, whether it closes on public holidays and whether it
/// opens on make-up working days (each `None` when not known).
#[derive(Clone, Copy, Debug)]
pub struct Openings<'a> {
    pub week: &'a Week,
    pub follows_holidays: Option<bool>,
    pub opens_on_makeup: Option<bool>,
}

pub fn schedule(office: Openings, calendar: &Calendar) -> Option<Schedule> {
    let Openings { week, follows_holidays, opens_on_makeup } = office;
    if week.is_empty() {
        return None;
    }
    let mut patterns: Vec<Vec<(Minute, Minute)>> = vec![Vec::new()];
    let index_of = |sessions: &[(Minute, Minute)], patterns: &mut Vec<Vec<(Minute, Minute)>>| {
        patterns.iter().position(|p| p == sessions).unwrap_or_else(|| {
            patterns.push(sessions.to_vec());
            patterns.len() - 1
        })
    };
    let weekly: Vec<usize> = week.0.iter().map(|d| index_of(d, &mut patterns)).collect();
    let (from, days) = match calendar.span {
        Some((first, last)) => {
            let mut days = String::new();
            let mut date = first;
            while date <= last {
                let makeup = calendar.is_makeup_workday(date) && week.0[date.weekday() as usize].is_empty();
                let special = calendar.is_day_off(date) || calendar.is_makeup_workday(date);
                let code = match follows_holidays {
                    None if special => UNKNOWN_DAY,
                    Some(true) if makeup && opens_on_makeup.is_none() => UNKNOWN_MAKEUP_DAY,
                    follows => {
                        let sessions =
                            day_sessions(week, calendar, follows == Some(true), opens_on_makeup == Some(true), date);
                        char::from_digit(index_of(sessions, &mut patterns) as u32, 36).unwrap_or('0')
                    }
                };
                days.push(code);
                date = date.add_days(1);
            }
            (first.to_string(), days)
        }
        None => (String::new(), String::new()),
    };
    Some(Schedule { from, patterns, days, weekly, follows_holidays })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    /// The Immigration Service Center: Monday to Friday, 09:00–11:30 and 13:30–17:00, closed on holidays.
    fn center() -> Week {
        let days = parse_days("mon-fri").unwrap();
        Week::new(&[Session { days, open: 540, close: 690 }, Session { days, open: 810, close: 1020 }]).unwrap()
    }

    /// Spring Festival 2026: 15–23 February off; Saturday 14 and Saturday 28 February worked.
    fn spring_festival_2026() -> Calendar {
        Calendar {
            holidays: vec![
                Holiday {
                    name: BTreeMap::new(),
                    from: d("2026-02-15"),
                    to: d("2026-02-23"),
                    makeup_workdays: vec![d("2026-02-14"), d("2026-02-28")],
                },
                Holiday {
                    name: BTreeMap::new(),
                    from: d("2026-10-01"),
                    to: d("2026-10-07"),
                    makeup_workdays: vec![d("2026-09-20"), d("2026-10-10")],
                },
            ],
            span: Some((d("2026-01-01"), d("2026-12-31"))),
        }
    }

    fn openings(week: &Week, follows: Option<bool>, makeup: Option<bool>) -> Openings<'_> {
        Openings { week, follows_holidays: follows, opens_on_makeup: makeup }
    }

    /// Is the office open at `date` `time`, by the dated intervals the browser receives? (It opens on make-up
    /// working days.)
    fn open_at(date: &str, time: &str) -> bool {
        let s = schedule(openings(&center(), Some(true), Some(true)), &spring_festival_2026()).unwrap();
        let index = (d(date).days_since_epoch() - d(&s.from).days_since_epoch()) as usize;
        let pattern = s.days.chars().nth(index).and_then(|c| c.to_digit(36)).unwrap() as usize;
        let minute = parse_time(time).unwrap();
        s.patterns[pattern].iter().any(|&(o, c)| o <= minute && minute < c)
    }

    #[test]
    fn a_make_up_saturday_opens_like_a_weekday() {
        assert_eq!(d("2026-02-14").weekday(), 5);
        assert!(open_at("2026-02-14", "09:00"));
        assert!(open_at("2026-02-14", "16:59"));
        assert!(!open_at("2026-02-21", "10:00"), "an ordinary Saturday is closed");
    }

    #[test]
    fn a_make_up_saturday_of_an_office_not_known_to_open_then_is_unknown() {
        let week = center();
        let unknown = schedule(openings(&week, Some(true), None), &spring_festival_2026()).unwrap();
        let at = |s: &Schedule, date: &str| {
            s.days.chars().nth((d(date).days_since_epoch() - d(&s.from).days_since_epoch()) as usize).unwrap()
        };
        assert_eq!(at(&unknown, "2026-02-14"), UNKNOWN_MAKEUP_DAY);
        assert_eq!(at(&unknown, "2026-02-21"), '0', "an ordinary Saturday is closed");
        let closed = schedule(openings(&week, Some(true), Some(false)), &spring_festival_2026()).unwrap();
        assert_eq!(at(&closed, "2026-02-14"), '0', "an office that does not open on make-up days is closed");
    }

    #[test]
    fn the_first_day_of_a_holiday_is_closed() {
        assert_eq!(d("2026-10-01").weekday(), 3, "a Thursday");
        assert!(!open_at("2026-10-01", "10:00"));
        assert!(open_at("2026-09-30", "10:00"), "the day before is an ordinary Wednesday");
        assert!(open_at("2026-10-10", "10:00"), "the make-up Saturday after it");
        assert!(open_at("2026-09-20", "14:00"), "the make-up Sunday before it");
    }

    #[test]
    fn the_lunch_break_is_closed() {
        assert!(open_at("2026-03-02", "11:29"));
        assert!(!open_at("2026-03-02", "11:30"));
        assert!(!open_at("2026-03-02", "12:15"));
        assert!(open_at("2026-03-02", "13:30"));
    }

    #[test]
    fn seventeen_hundred_exactly_is_closed() {
        assert!(open_at("2026-03-02", "16:59"));
        assert!(!open_at("2026-03-02", "17:00"));
    }

    #[test]
    fn offices_that_ignore_the_calendar_keep_their_weekly_hours() {
        let week = center();
        assert_eq!(
            day_sessions(&week, &spring_festival_2026(), false, true, d("2026-10-01")),
            &[(540, 690), (810, 1020)]
        );
        assert!(day_sessions(&week, &spring_festival_2026(), false, true, d("2026-02-14")).is_empty());
    }

    #[test]
    fn holidays_of_an_office_not_known_to_follow_the_calendar_are_unknown_days() {
        let s = schedule(openings(&center(), None, None), &spring_festival_2026()).unwrap();
        let at = |date: &str| {
            s.days.chars().nth((d(date).days_since_epoch() - d(&s.from).days_since_epoch()) as usize).unwrap()
        };
        assert_eq!(at("2026-10-01"), UNKNOWN_DAY);
        assert_eq!(at("2026-10-10"), UNKNOWN_DAY, "a make-up Saturday");
        assert_eq!(at("2026-03-02"), '1', "an ordinary Monday is known");
        let open = schedule(openings(&center(), Some(false), None), &spring_festival_2026()).unwrap();
        assert_eq!(open.days.chars().nth(273), Some('1'), "an office open on holidays opens on 1 October");
    }

    #[test]
    fn schedule_is_compact() {
        let s = schedule(openings(&center(), Some(true), Some(true)), &spring_festival_2026()).unwrap();
        assert_eq!(s.patterns, vec![vec![], vec![(540, 690), (810, 1020)]]);
        assert_eq!(s.days.len(), 365);
        assert_eq!(s.weekly, vec![1, 1, 1, 1, 1, 0, 0]);
        assert_eq!(&s.days[..7], "1100111", "1–7 January 2026: Thursday, Friday, weekend, Monday…");
    }

    #[test]
    fn times_and_days_are_validated() {
        assert_eq!(parse_time("09:00"), Ok(540));
        assert_eq!(parse_time("24:00"), Ok(1440));
        assert!(parse_time("25:00").unwrap_err().contains("not a time of day"));
        assert!(parse_time("9:00").is_err());
        assert!(parse_time("09:60").is_err());
        assert_eq!(parse_days("Mon-Fri").unwrap(), [true, true, true, true, true, false, false]);
        assert_eq!(parse_days("sat,sun").unwrap(), [false, false, false, false, false, true, true]);
        assert!(parse_days("fri-mon").is_err());
        assert!(parse_days("someday").is_err());
    }

    #[test]
    fn overlapping_sessions_are_refused() {
        let days = parse_days("mon").unwrap();
        let err =
            Week::new(&[Session { days, open: 540, close: 720 }, Session { days, open: 700, close: 900 }]).unwrap_err();
        assert_eq!(err, (0, 1, 0));
        let touching = Week::new(&[Session { days, open: 540, close: 690 }, Session { days, open: 690, close: 900 }]);
        assert!(touching.is_ok(), "a session may start when another ends");
    }
}
