//! The holiday calendar's horizon: a warning when it ends within `HORIZON_DAYS` of today, as "open now" and
//! the office pages can say nothing about holidays beyond it.

use crate::diag::{Code, Diagnostic, Location};
use crate::site::Site;
use crate::site::date::Date;

/// How far ahead the calendar must reach: the State Council publishes next year's holidays in November or
/// December, so sixty days leaves time to add it.
pub const HORIZON_DAYS: i64 = 60;

/// A `calendar-ending` warning if the site has offices and a calendar that ends within `HORIZON_DAYS` of
/// `today` (or has ended).
pub fn ending(site: &Site, today: Date) -> Option<Diagnostic> {
    let (_, last) = site.offices.calendar.span?;
    if site.offices.is_empty() {
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

    fn guide() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/guide");
        crate::pipeline::load(&root, &Default::default()).ok().expect("the guide fixture loads").site
    }

    #[test]
    fn warns_within_sixty_days_of_the_end() {
        let site = guide();
        let (_, last) = site.offices.calendar.span.expect("the guide has a calendar");
        assert!(ending(&site, last.add_days(-HORIZON_DAYS - 1)).is_none());
        let soon = ending(&site, last.add_days(-HORIZON_DAYS)).expect("sixty days before the end");
        assert_eq!(soon.code, Code::CalendarEnding);
        assert!(soon.message.contains(&format!("runs until {last}, 60 days from today")), "{}", soon.message);
        let past = ending(&site, last.add_days(2)).expect("after the end");
        assert!(past.message.contains("2 days ago"), "{}", past.message);
        assert!(past.help.unwrap().contains(&format!("content/holidays/{}.toml", last.year + 1)));
    }
}
