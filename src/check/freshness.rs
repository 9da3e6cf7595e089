//! Freshness: pages whose facts were not reviewed recently, or that cite no sources.

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::site::Site;
use crate::site::content::Doc;
use crate::site::date::Date;

/// A warning for every page (in every language) reviewed more than `[check] review_max_age_months` before
/// `today`, reviewed in the future, or never; and for every page that is not a section and cites no source.
pub fn check(site: &Site, today: Date) -> Diagnostics {
    let max_months = site.config.check.review_max_age_months;
    let mut problems = Diagnostics::default();
    for doc in &site.content.docs {
        problems.extend(review(doc, today, max_months));
        if !doc.is_section && doc.front.sources.is_empty() {
            problems.push(
                Diagnostic::warning(Code::NoSources, Location::file(&doc.source.path), "this page cites no sources")
                    .with_help(
                        "add a [[sources]] table with the `title` and `url` of the official page the facts come from",
                    ),
            );
        }
    }
    problems
}

fn review(doc: &Doc, today: Date, max_months: u32) -> Option<Diagnostic> {
    let Some(reviewed) = &doc.front.reviewed else {
        return Some(
            Diagnostic::warning(
                Code::NotReviewed,
                Location::file(&doc.source.path),
                "this page has no `reviewed` date",
            )
            .with_help("check the facts against the sources, then add `reviewed = YYYY-MM-DD` with that day's date"),
        );
    };
    let date = *reviewed.get_ref();
    let at = doc.front_location(reviewed.span().start);
    if date > today {
        return Some(
            Diagnostic::warning(
                Code::FutureReview,
                at,
                format!("`reviewed = {date}` is in the future (today is {today})"),
            )
            .with_help("write the day the facts were checked"),
        );
    }
    let due = add_months(date, max_months);
    (due < today).then(|| {
        Diagnostic::warning(
            Code::Stale,
            at,
            format!("last reviewed on {date}, more than {max_months} months ago (review was due on {due})"),
        )
        .with_help(format!(
            "check the facts against the sources and set `reviewed = {today}`; the period is `review_max_age_months` under [check] in site.toml"
        ))
    })
}

/// The same day `months` months later, or the month's last day where it has fewer days.
fn add_months(date: Date, months: u32) -> Date {
    let index = date.year as i64 * 12 + i64::from(date.month - 1) + i64::from(months);
    let (year, month) = ((index.div_euclid(12)) as i32, (index.rem_euclid(12) + 1) as u32);
    (1..=date.day).rev().find_map(|day| Date::new(year, month, day).ok()).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn adds_months_clamping_to_the_end_of_the_month() {
        assert_eq!(add_months(d("2025-11-27"), 12), d("2026-11-27"));
        assert_eq!(add_months(d("2025-08-31"), 6), d("2026-02-28"));
        assert_eq!(add_months(d("2024-02-29"), 12), d("2025-02-28"));
        assert_eq!(add_months(d("2025-12-15"), 1), d("2026-01-15"));
    }
}
