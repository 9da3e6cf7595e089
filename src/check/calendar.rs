//! The holiday calendar's horizon: a warning when it ends within `HORIZON_DAYS` of today, as "open now" and
//! the office pages can say nothing about holidays beyond it.

use crate::diag::{Code, Diagnostic, Location};
use crate::site::date::Date;
use crate::site::offices::Offices;

/// How far ahead the calendar must reach: the State Council publishes next year's holidays in November or
/// December, so sixty days leaves time to add it.
pub const HORIZON_DAYS: i64 = 60;

/// A `calendar-ending` warning if the site has offices and a calendar that ends within `HORIZON_DAYS` of
/// `today` (or has ended).
pub fn ending(offices: &Offices, today: Date) -> Option<Diagnostic> {
    let (_, last) = offices.calendar.span?;
    if offices.is_empty() {
        return None;
    }
    let left = last.days_since_epoch() - today.days_since_epoch();
    if left > HORIZON_DAYS {
        return None;
    }
    let next = last.year + 1;
    let message = if left < 0 {
        format!("the holiday calendar ended on {last}, {} days ago (today is {today})", -left)
    } else {
        format!("the holiday calendar runs until {last}, {left} days from today ({today})")
    };
    Some(Diagnostic::warning(Code::CalendarEnding, Location::file("content/holidays/"), message).with_help(format!(
        "add content/holidays/{next}.toml from the State Council's notice on {next}'s public holidays when it is \
         published; until then the office pages say nothing about opening beyond {last}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::offices::hours::Calendar;

    /// Offices of which only the calendar matters: it runs to the end of 2026.
    fn offices(with_offices: bool) -> Offices {
        let span = Some((Date::new(2025, 1, 1).unwrap(), Date::new(2026, 12, 31).unwrap()));
        let mut offices = Offices { calendar: Calendar { holidays: Vec::new(), span }, ..Offices::default() };
        if !with_offices {
            return offices;
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/offices");
        let Ok(loaded) = crate::pipeline::load(&root, &Default::default()) else { panic!("the offices fixture loads") };
        offices.offices = loaded.site.offices.offices;
        offices
    }

    #[test]
    fn warns_within_sixty_days_of_the_end() {
        let offices = offices(true);
        let last = Date::new(2026, 12, 31).unwrap();
        assert!(ending(&offices, last.add_days(-HORIZON_DAYS - 1)).is_none());
        let soon = ending(&offices, last.add_days(-HORIZON_DAYS)).expect("sixty days before the end");
        assert_eq!(soon.code, Code::CalendarEnding);
        assert!(soon.message.contains("runs until 2026-12-31, 60 days from today"), "{}", soon.message);
        let past = ending(&offices, last.add_days(2)).expect("after the end");
        assert!(past.message.contains("2 days ago"), "{}", past.message);
        assert!(past.help.unwrap().contains("content/holidays/2027.toml"));
    }

    #[test]
    fn a_site_without_offices_needs_no_calendar() {
        assert!(ending(&offices(false), Date::new(2026, 12, 30).unwrap()).is_none());
    }
}
