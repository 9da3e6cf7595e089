//! One truth about problems (issue 11): `build`, `watch` and `check` report the same problems; drafts are
//! withdrawn in every language; static files have one link form; `check --strict` accepts warnings by name.

mod common;

use std::collections::BTreeSet;

use common::{Running, Site, diptych, save};

/// The `path:line:col: warning: …` lines of an output.
fn warnings(text: &str) -> BTreeSet<String> {
    text.lines().filter(|l| l.contains(": warning: ")).map(str::to_string).collect()
}

#[test]
fn build_and_check_report_the_same_problems() {
    let site = Site::fixture("bilingual");
    let root = site.root();
    let build = site.build(&["--today", "2026-11-27"]);
    build.assert_ok();
    let check = diptych(&["check", "--root", root.to_str().unwrap(), "--format", "short", "--today", "2026-11-27"]);
    let (built, checked) = (warnings(&build.stderr), warnings(&check.stdout));
    assert!(!checked.is_empty(), "the fixture has warnings:\n{}", check.stdout);
    assert_eq!(built, checked, "build:\n{}\ncheck:\n{}", build.stderr, check.stdout);
    let count = format!("{} warnings", checked.len());
    assert!(build.stdout.contains(&count), "the summary counts them: {}", build.stdout);
}

#[test]
fn a_watch_round_reports_a_translation_made_outdated() {
    let site = Site::fixture("bilingual");
    let root = site.root();
    let root = root.to_str().unwrap();
    diptych(&["mark-translated", "--root", root, "content/cards/lost.zh.md"]).assert_ok();
    let mut watch = Running::start(&["watch", "--root", root]);
    assert!(watch.next_round().starts_with("built"));
    save(&site.path("content/cards/lost.md"), "+++\ntitle = \"Lost card\"\nweight = 1\n+++\nCall the police first.\n");
    let line = watch.wait_for("the outdated translation", |l| l.contains("has changed since this translation"));
    assert!(line.starts_with("content/cards/lost.zh.md:"), "{line}");
    assert!(watch.next_round().starts_with("rebuilt"));
}

/// The count of warnings a round's summary line gives.
fn warnings_in(summary: &str) -> usize {
    let before = &summary[..summary.find(" warning").unwrap_or_else(|| panic!("no count: {summary}"))];
    before.rsplit(' ').next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("no count: {summary}"))
}

#[test]
fn a_watch_round_reads_the_numbers_of_each_edited_text_again() {
    let site = Site::fixture("bilingual");
    let root = site.root();
    let root = root.to_str().unwrap();
    let mut watch = Running::start(&["watch", "--root", root]);
    assert!(watch.next_round().starts_with("built"));
    let original =
        "+++\ntitle = \"Lost card\"\nweight = 1\n+++\nThe fee is 1,500 yuan. See [renewal](@/cards/renewal.md).\n";
    save(&site.path("content/cards/lost.md"), original);
    let line = watch.wait_for("the numbers warning", |l| l.contains("numbers differ"));
    assert!(line.starts_with("content/cards/lost.zh.md:") && line.contains("1,500"), "{line}");
    let differing = watch.next_round();
    let translation = "+++\ntitle = \"证件遗失\"\nweight = 1\n+++\n费用为1,500元。参见[换证](@/cards/renewal.md)。\n";
    save(&site.path("content/cards/lost.zh.md"), translation);
    let agreeing = watch.next_round();
    assert_eq!(warnings_in(&agreeing) + 1, warnings_in(&differing), "{differing}\n{agreeing}");
}

const DRAFT: &str = "+++\ntitle = \"Lost card\"\ndraft = true\n+++\nNot yet.\n";

#[test]
fn a_draft_original_is_withdrawn_in_every_language() {
    let site = Site::fixture("bilingual");
    site.write("content/cards/lost.md", DRAFT);
    // Nothing else links to the page: the Chinese page linking it would be a broken link.
    site.write("content/cards/lost.zh.md", "+++\ntitle = \"证件遗失\"\n+++\n遗失。\n");
    site.build(&[]).assert_ok();
    assert!(!site.dist().join("en/cards/lost").exists(), "the translation does not take its place");
    assert!(!site.dist().join("zh/cards/lost").exists());
    assert!(!site.out("en/cards/index.html").contains("lost/"), "listings skip it");
    assert!(!site.out("sitemap.xml").contains("cards/lost/"));
}

#[test]
fn drafts_flag_publishes_drafts_marked_as_such() {
    let site = Site::fixture("bilingual");
    site.write("content/cards/lost.md", DRAFT);
    site.build(&["--drafts"]).assert_ok();
    let page = site.out("en/cards/lost/index.html");
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"), "{page}");
    assert!(page.contains("class=\"notice notice-draft\""), "{page}");
    assert!(site.out("zh/cards/lost/index.html").contains("草稿"), "the notice is in the page's language");
    assert!(!site.out("sitemap.xml").contains("cards/lost/"));
}

#[test]
fn a_link_to_a_draft_is_an_error() {
    let site = Site::fixture("bilingual");
    site.write("content/cards/lost.md", DRAFT);
    site.write("content/cards/renewal.md", "+++\ntitle = \"Renewal\"\n+++\nLost it? See [lost](@/cards/lost.md).\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("content/cards/renewal.md:4:"), "{}", run.stderr);
}

#[test]
fn root_relative_static_links_work_below_a_sub_path() {
    let site = Site::fixture("sub_path");
    site.write("static/robots.txt", "User-agent: *\nDisallow: /guide/drafts/\n");
    site.write(
        "content/cards/lost.md",
        "+++\ntitle = \"Lost card\"\n+++\n[Manual](/manual.txt), [again](@/static/manual.txt).\n",
    );
    site.build(&[]).assert_ok();
    let page = site.out("en/cards/lost/index.html");
    assert!(page.contains("<a href=\"/guide/manual.txt\">Manual</a>"), "{page}");
    assert!(page.contains("<a href=\"/guide/manual.txt\">again</a>"), "{page}");
    assert_eq!(site.out("robots.txt"), "User-agent: *\nDisallow: /guide/drafts/\n", "the site's robots.txt wins");
}

#[test]
fn strict_keeps_allowed_warnings_as_warnings() {
    let site = Site::fixture("bilingual");
    let root = site.root();
    let root = root.to_str().unwrap();
    let strict = diptych(&["check", "--root", root, "--strict", "--format", "short"]);
    assert_eq!(strict.code, 1, "{}", strict.stdout);
    let codes = ["not-reviewed", "no-sources", "unmarked-translation", "untranslated"];
    let mut args = vec!["check", "--root", root, "--strict", "--format", "short"];
    for code in &codes {
        args.extend(["--allow", code]);
    }
    let allowed = diptych(&args);
    assert_eq!(allowed.code, 0, "{}", allowed.stdout);
    assert!(allowed.stdout.contains("allowed: `no-sources`"), "{}", allowed.stdout);
    let unknown = diptych(&["check", "--root", root, "--allow", "no-source"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("did you mean `no-sources`?"), "{}", unknown.stderr);
}

#[test]
fn explain_prints_the_index_entry_of_a_code() {
    let run = diptych(&["explain", "outdated-translation"]);
    run.assert_ok();
    assert!(run.stdout.starts_with("## `outdated-translation`"), "{}", run.stdout);
}
