//! `diptych check`, `status` and `mark-translated` through the real binary, on the site `diptych new` writes.
//! (The invalid sites, each with its exact output, are in tests/invalid.rs.)

mod common;

use common::{Run, Site, diptych};

const TODAY: &str = "2026-11-27";

/// A fresh copy of the starter site, which must pass `check --strict` as it is.
fn new_site() -> Site {
    let site = Site::empty();
    diptych(&["new", site.root().to_str().unwrap()]).assert_ok();
    site
}

fn check(site: &Site, extra: &[&str]) -> Run {
    let root = site.root();
    let mut args = vec!["check", "--root", root.to_str().unwrap(), "--today", TODAY];
    args.extend_from_slice(extra);
    diptych(&args)
}

fn mark(site: &Site, files: &[&str]) -> Run {
    let root = site.root();
    let mut args = vec!["mark-translated", "--root", root.to_str().unwrap()];
    args.extend_from_slice(files);
    diptych(&args)
}

fn read(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.path(rel)).unwrap()
}

/// Breaks the link at the end of the Chinese service page, after a run of Chinese characters.
fn break_chinese_link(site: &Site) {
    let page = read(site, "content/services/register.zh.md").replace("(@/services/_index.md)", "(@/services/index.md)");
    site.write("content/services/register.zh.md", &page);
}

#[test]
fn the_starter_site_passes_strict_check_and_nothing_is_written() {
    let site = new_site();
    let run = check(&site, &["--strict"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "check: no problems (3 pages in en, 3 in zh)\n", "")
    );
    assert!(!site.dist().exists());
}

#[test]
fn human_output_is_shaped_like_rustc_with_the_caret_under_wide_characters() {
    let site = new_site();
    break_chinese_link(&site);
    let run = check(&site, &[]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "error: the link `@/services/index.md` points to no page\n  \
         --> content/services/register.zh.md:20:10\n   \
         |\n\
         20 | 返回[全部事项](@/services/index.md)。\n   \
         | \u{3000}\u{3000} \u{3000}\u{3000}\u{3000}\u{3000}  ^\n   \
         = help: there is no content/services/index.md; did you mean @/services/_index.md?\n\
         \n\
         check: 1 error (3 pages in en, 3 in zh)\n"
    );
}

#[test]
fn json_gives_one_object_per_problem_with_its_position() {
    let site = new_site();
    break_chinese_link(&site);
    site.write("content/services/tax.md", "+++\ntitle = \"Tax\"\nreviewed = 2026-01-01\n+++\nNo sources.\n");
    let run = check(&site, &["--format", "json"]);
    assert_eq!(run.code, 1);
    let objects: Vec<serde_json::Value> = run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let summary: Vec<(&str, &str, &str, u64, u64)> = objects
        .iter()
        .map(|o| {
            (
                o["severity"].as_str().unwrap(),
                o["code"].as_str().unwrap(),
                o["path"].as_str().unwrap(),
                o["line"].as_u64().unwrap(),
                o["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("error", "broken-link", "content/services/register.zh.md", 20, 10),
            ("warning", "untranslated", "content/services/tax.md", 0, 0),
            ("warning", "no-sources", "content/services/tax.md", 0, 0),
        ]
    );
    assert_eq!(objects[2]["message"], "this page cites no sources");
    assert!(objects[2]["help"].as_str().unwrap().starts_with("add a [[sources]] table"));
}

#[test]
fn warnings_pass_unless_strict() {
    let site = new_site();
    std::fs::remove_file(site.path("content/services/register.zh.md")).unwrap();
    let run = check(&site, &["--format", "short"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        run.stdout,
        "content/services/register.md: warning: no zh translation: the zh page shows the en text\n  \
         help: translate it into content/services/register.zh.md\n\
         check: 1 warning (3 pages in en, 3 in zh)\n"
    );
    let strict = check(&site, &["--format", "short", "--strict"]);
    assert_eq!(strict.code, 1);
    assert!(strict.stdout.starts_with("content/services/register.md: error: no zh translation"), "{}", strict.stdout);
}

#[test]
fn usage_errors_exit_with_2() {
    let empty = Site::empty();
    let run = diptych(&["check", "--root", empty.tmp.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not a diptych site: it has no site.toml"), "{}", run.stderr);
    let site = new_site();
    assert_eq!(check(&site, &["--format", "xml"]).code, 2);
    let root = site.root();
    let bad_day = diptych(&["check", "--root", root.to_str().unwrap(), "--today", "2026-02-30"]);
    assert_eq!(bad_day.code, 2);
    assert!(bad_day.stderr.contains("February 2026 has 28 days"), "{}", bad_day.stderr);
}

#[test]
fn a_changed_original_makes_its_translation_outdated_until_it_is_marked_again() {
    let site = new_site();
    let original = read(&site, "content/services/register.md");
    site.write("content/services/register.md", &original.replace("- Your passport", "- Your passport and visa"));
    let run = check(&site, &["--format", "short"]);
    assert_eq!(
        run.stdout,
        "content/services/register.zh.md:12:15: warning: the text of content/services/register.md has changed since this translation was marked up to date\n  \
         help: `diptych diff content/services/register.zh.md` shows what changed; bring the translation up to date, then run `diptych mark-translated content/services/register.zh.md`\n\
         check: 1 warning (3 pages in en, 3 in zh)\n"
    );

    let before = read(&site, "content/services/register.zh.md");
    let marked = mark(&site, &["content/services/register.zh.md"]);
    marked.assert_ok();
    let after = read(&site, "content/services/register.zh.md");
    let changed: Vec<(&str, &str)> = before.lines().zip(after.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(changed.len(), 1, "only the hash changes: {changed:?}");
    assert!(marked.stdout.contains(changed[0].1.trim_start_matches("source_hash = ")), "{}", marked.stdout);
    assert_eq!(check(&site, &["--strict"]).code, 0);

    let again = mark(&site, &["content/services/register.zh.md"]);
    assert_eq!(
        again.stdout,
        "content/services/register.zh.md is already marked up to date with content/services/register.md\n"
    );
}

#[test]
fn mark_translated_adds_the_mark_to_a_translation_without_one() {
    let site = new_site();
    site.write("content/services/pay.md", "+++\ntitle = \"Pay\"\n+++\nPay here.\n");
    site.write("content/services/pay.zh.md", "+++\r\ntitle = \"缴费\"  # 标题\r\n+++\r\n在此缴费。\r\n");
    let run = mark(&site, &["content/services/pay.zh.md"]);
    run.assert_ok();
    let hash = run.stdout.split('"').nth(1).unwrap();
    assert_eq!(
        read(&site, "content/services/pay.zh.md"),
        format!(
            "+++\r\ntitle = \"缴费\"  # 标题\r\n\r\n[translation]\r\nsource_hash = \"{hash}\"\r\n+++\r\n在此缴费。\r\n"
        )
    );
}

#[test]
fn mark_translated_refuses_what_it_cannot_mark_and_goes_on_with_the_rest() {
    let site = new_site();
    let broken = "+++\ntitle = \"办事\nx\n+++\n";
    site.write("content/services/broken.md", "+++\ntitle = \"Broken\"\n+++\n");
    site.write("content/services/broken.zh.md", broken);
    let run = mark(
        &site,
        &[
            "content/services/register.md",
            "content/services/broken.zh.md",
            "content/services/register.zh.md",
            "content/nowhere.zh.md",
        ],
    );
    assert_eq!(run.code, 2, "the worst failure decides the exit code");
    assert_eq!(
        read(&site, "content/services/broken.zh.md"),
        broken,
        "a file whose front matter does not parse is left alone"
    );
    assert_eq!(
        run.stdout,
        "content/services/register.zh.md is already marked up to date with content/services/register.md\n"
    );
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert!(lines[0].starts_with("error: content/services/register.md is not a translation"), "{}", run.stderr);
    assert!(lines[1].starts_with("content/services/broken.zh.md:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("not marked: 1 error, 0 warnings; content/services/broken.zh.md was not changed"));
    assert!(run.stderr.contains("error: cannot read content/nowhere.zh.md"), "{}", run.stderr);
}

#[test]
fn status_counts_translations_per_section_and_language() {
    let site = new_site();
    std::fs::remove_file(site.path("content/services/register.zh.md")).unwrap();
    let home = read(&site, "content/_index.md");
    site.write("content/_index.md", &home.replace("plain words", "simple words"));
    let root = site.root();
    let run = diptych(&["status", "--root", root.to_str().unwrap()]);
    run.assert_ok();
    assert_eq!(
        run.stdout,
        "translations of the en pages\n\
         \n\
         section    language  pages  up to date  outdated  unmarked  missing\n\
         /          zh            1           0         1         0        0\n\
         services/  zh            2           1         0         0        1\n\
         all        zh            3           1         1         0        1\n\
         \n\
         `diptych check` lists each outdated, unmarked and missing translation with its file.\n"
    );
}

#[test]
fn formatting_comments_weight_and_reviewed_do_not_make_a_translation_outdated() {
    let site = new_site();
    let original = read(&site, "content/services/register.md");
    let reformatted = original
        .replacen("+++\n", "+++\n# a comment\n", 1)
        .replace("weight = 1", "weight = 7")
        .replace("\n\n", "\n\n\n  \n");
    let reformatted = reformatted.replace("reviewed = 2026-01-01", "reviewed = 2026-11-01");
    assert_ne!(reformatted, original);
    site.write("content/services/register.md", &reformatted);
    let run = check(&site, &["--strict"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "check: no problems (3 pages in en, 3 in zh)\n"));
}

#[test]
fn diff_shows_what_changed_in_the_original_without_git() {
    let site = new_site();
    mark(&site, &["content/services/register.zh.md"]).assert_ok();
    assert!(site.path(".diptych/translated/content/services/register.zh.md.txt").is_file());
    let original = read(&site, "content/services/register.md");
    site.write("content/services/register.md", &original.replace("- Your passport", "- Your passport and visa"));
    let root = site.root();
    let run = diptych(&["diff", "--root", root.to_str().unwrap(), "content/services/register.zh.md"]);
    run.assert_ok();
    assert!(run.stdout.contains("\n-- Your passport\n+- Your passport and visa\n"), "{}", run.stdout);
    assert!(run.stdout.starts_with("what changed in content/services/register.md since"), "{}", run.stdout);
}

#[test]
fn diff_reads_the_original_from_git_through_the_recorded_blob() {
    let site = new_site();
    let root = site.root();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(&root)
            .output();
        out.is_ok_and(|o| o.status.success())
    };
    if !git(&["init", "-q"]) {
        eprintln!("git is not installed: skipped");
        return;
    }
    assert!(git(&["add", "."]) && git(&["commit", "-q", "-m", "start"]));
    let marked = mark(&site, &["content/services/register.zh.md"]);
    marked.assert_ok();
    assert!(marked.stdout.contains("git keeps the original's text"), "{}", marked.stdout);
    assert!(read(&site, "content/services/register.zh.md").contains("source_blob = \""));
    assert!(!site.path(".diptych").exists(), "git has the original: no copy is kept");
    let original = read(&site, "content/services/register.md");
    site.write("content/services/register.md", &original.replace("- Your passport", "- Your passport and visa"));
    let run = diptych(&["diff", "--root", root.to_str().unwrap(), "content/services/register.zh.md"]);
    run.assert_ok();
    assert!(run.stdout.contains("\n-- Your passport\n+- Your passport and visa\n"), "{}", run.stdout);
}

#[test]
fn a_third_language_written_right_to_left_builds_and_passes_strict_check() {
    let site = Site::fixture("trilingual");
    let run = check(&site, &["--strict"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "check: no problems (3 pages in ar, 3 in en, 3 in zh)\n"));
    site.build(&[]).assert_ok();
    let arabic = site.out("ar/cards/renewal/index.html");
    assert!(arabic.starts_with("<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\">"), "{}", &arabic[..80]);
    assert!(arabic.contains(">العربية</a>") && arabic.contains(">中文</a>"), "each language named by its own name");
    assert!(site.out("zh/cards/renewal/index.html").contains("<html lang=\"zh-Hans\">"));
}

#[test]
fn missing_theme_strings_are_listed_in_one_problem_that_says_where_the_full_list_is() {
    let site = Site::fixture("trilingual");
    let strings = read(&site, "i18n/ar.toml");
    let kept: String = strings
        .lines()
        .filter(|l| !l.starts_with("office_") && !l.starts_with("day_"))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write("i18n/ar.toml", &kept);
    let run = check(&site, &["--format", "short"]);
    let problems: Vec<&str> = run.stdout.lines().filter(|l| l.contains("error:")).collect();
    assert_eq!(problems.len(), 1, "{}", run.stdout);
    assert!(
        problems[0].starts_with("i18n/ar.toml: error: 49 theme strings are missing in `ar`: day_fri, "),
        "{}",
        problems[0]
    );
    assert!(
        run.stdout.contains("`diptych theme strings en` prints every string of the built-in theme"),
        "{}",
        run.stdout
    );
    let printed = diptych(&["theme", "strings", "en"]);
    printed.assert_ok();
    assert!(printed.stdout.contains("\nskip_to_content = \"Skip to content\"\n"), "{}", printed.stdout);
}
