//! The built-in default theme over a small site: what it must show, and ids that must not clash.

mod common;

use common::Site;

/// The fixture, built; every test reads its own pages of it.
fn built() -> Site {
    let site = Site::fixture("theme_blocks");
    site.build(&[]).assert_ok();
    site
}

/// The HTML between `<section … aria-labelledby="{id}">` and its `</section>`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("aria-labelledby=\"{id}\"")).unwrap_or_else(|| panic!("no section {id} in\n{html}"));
    let end = html[start..].find("</section>").map_or(html.len(), |e| start + e);
    &html[start..end]
}

#[test]
fn unconfirmed_documents_show_the_notice_even_with_no_entries() {
    let site = built();
    let worker = site.out("en/cards/worker/index.html");
    assert!(section(&worker, "category-documents").contains("class=\"unconfirmed\""), "{worker}");
    let renew = site.out("en/renew/index.html");
    assert!(section(&renew, "expiry").contains("class=\"unconfirmed\""), "{renew}");
}

#[test]
fn theme_ids_do_not_clash_with_content_headings() {
    let site = built();
    let worker = site.out("en/cards/worker/index.html");
    assert_eq!(worker.matches("id=\"documents\"").count(), 1, "{worker}");
    assert_eq!(worker.matches("id=\"category-documents\"").count(), 1, "{worker}");
}

#[test]
fn rule_documents_are_listed_once_before_the_cases() {
    let site = built();
    let renew = site.out("en/renew/index.html");
    assert_eq!(renew.matches("Application form").count(), 1, "{renew}");
    let shared = renew.find("id=\"rule-documents\"").expect("a block for every case");
    assert!(shared < renew.find("id=\"expiry\"").unwrap(), "{renew}");
    assert!(section(&renew, "lost").contains("Statement of loss"), "{renew}");
}

#[test]
fn pages_show_last_reviewed_and_sources_with_their_kind() {
    let site = built();
    let worker = site.out("en/cards/worker/index.html");
    assert!(worker.contains("Last reviewed: <time datetime=\"2026-11-01\">1 November 2026</time>"), "{worker}");
    assert!(worker.contains("<span class=\"kind kind-press\">Press</span>"), "{worker}");
    let investor = site.out("en/cards/investor/index.html");
    assert!(investor.contains("This page does not list its sources yet."), "{investor}");
}

#[test]
fn category_pages_lead_back_to_the_list_and_on_to_the_next() {
    let site = built();
    let worker = site.out("en/cards/worker/index.html");
    let pager = &worker[worker.find("class=\"pager\"").expect("a pager")..];
    assert!(pager.contains("href=\"/en/cards/\""), "{pager}");
    assert!(pager.contains("href=\"/en/cards/investor/\" rel=\"next\""), "{pager}");
    assert!(!pager.contains("rel=\"prev\""), "{pager}");
}
