//! `diptych build` over small fixture sites, one behaviour each, through the real binary.

mod common;

use common::{Site, diptych, hrefs, tree};

#[test]
fn pairs_translations_and_switches_to_the_exact_counterpart() {
    let site = Site::fixture("bilingual");
    site.build(&[]).assert_ok();
    let en = site.out("en/cards/renewal/index.html");
    let zh = site.out("zh/cards/huanzheng/index.html");
    assert!(en.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{en}");
    assert!(zh.contains("<html lang=\"zh-Hans\">"));
    assert!(en.contains("<a href=\"/zh/cards/huanzheng/\" lang=\"zh-Hans\" hreflang=\"zh-Hans\">中文</a>"), "{en}");
    assert!(zh.contains("<a href=\"/en/cards/renewal/\" lang=\"en\" hreflang=\"en\">English</a>"), "{zh}");
    assert!(zh.contains("<h1>换证</h1>"));
    // A link written once resolves into each reader's language, anchor kept.
    assert!(site.out("zh/index.html").contains("<a href=\"/zh/cards/huanzheng/#fees\">换证</a>"));
    assert!(site.out("en/index.html").contains("<a href=\"/en/cards/renewal/#fees\">renewal</a>"));
}

#[test]
fn every_page_has_hreflang_for_each_language_and_x_default() {
    let site = Site::fixture("bilingual");
    site.build(&[]).assert_ok();
    let en = site.out("en/cards/renewal/index.html");
    for link in [
        "<link rel=\"canonical\" href=\"https://example.org/en/cards/renewal/\">",
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/en/cards/renewal/\">",
        "<link rel=\"alternate\" hreflang=\"zh-Hans\" href=\"https://example.org/zh/cards/huanzheng/\">",
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/en/cards/renewal/\">",
    ] {
        assert!(en.contains(link), "missing {link} in\n{en}");
    }
    // The root is a language chooser that needs no script, and the home pages' x-default.
    let root = site.out("index.html");
    assert!(
        root.contains("<a href=\"/en/\" hreflang=\"en\">") && root.contains("<a href=\"/zh/\" hreflang=\"zh-Hans\">")
    );
    assert!(!root.contains("<script"));
    assert!(site.out("zh/index.html").contains("hreflang=\"x-default\" href=\"https://example.org/\""));
    let sitemap = site.out("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/zh/cards/huanzheng/</loc>\n    <lastmod>2026-11-01</lastmod>\n    <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/en/cards/renewal/\"/>"), "{sitemap}");
    assert_eq!(site.out("robots.txt"), "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n");
    for page in ["404.html", "en/404.html", "zh/404.html"] {
        assert!(site.dist().join(page).is_file(), "{page}");
    }
}

#[test]
fn falls_back_to_english_with_notice_and_warning() {
    let site = Site::fixture("fallback");
    let run = site.build(&[]);
    run.assert_ok();
    // Every warning `check` would give is printed too (freshness, unmarked translations): issue 11.
    assert!(
        run.stderr.contains(
            "content/only-english.md: warning: no zh translation: the zh page shows the en text\n  help: translate it into content/only-english.zh.md\n"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("2 pages in en, 2 in zh (1 untranslated) · 6 warnings"), "{}", run.stdout);
    let zh = site.out("zh/only-english/index.html");
    assert!(zh.contains("<html lang=\"zh-Hans\">"), "the chrome is in the reader's language");
    assert!(zh.contains("<p class=\"notice\" role=\"note\">本页尚未译成中文，以下为英文原文。</p>"), "{zh}");
    assert!(zh.contains("<article lang=\"en\">\n<h1>Only in English</h1>"), "{zh}");
    assert!(zh.contains("<link rel=\"canonical\" href=\"https://example.org/en/only-english/\">"));
    // Links in the fallback text stay in the reader's language; the switcher never leads to a 404.
    assert!(zh.contains("<a href=\"/zh/\">home page</a>"), "{zh}");
    assert!(site.out("en/only-english/index.html").contains("<a href=\"/zh/only-english/\" lang=\"zh-Hans\""));
    assert!(!site.out("sitemap.xml").contains("/zh/only-english/"), "untranslated pages are not canonical");
}

#[test]
fn all_links_carry_the_base_url_sub_path() {
    let site = Site::fixture("sub_path");
    site.build(&[]).assert_ok();
    for (path, bytes) in tree(&site.dist()) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for href in hrefs(&html) {
            let ok =
                href.starts_with("/guide/") || href.starts_with("https://example.org/guide/") || href.starts_with('#');
            assert!(ok, "{path}: {href} leaves the sub-path");
        }
        assert!(!html.contains("src=\"/static"), "{path}");
    }
    assert!(site.out("sitemap.xml").contains("<loc>https://example.org/guide/en/cards/renewal/</loc>"));
    assert!(site.out("robots.txt").contains("Sitemap: https://example.org/guide/sitemap.xml"));
    assert_eq!(site.out("manual.txt"), "User manual\n", "the site's static/ is copied to the root");
}

#[test]
fn base_url_option_overrides_the_config_for_one_build() {
    let site = Site::fixture("bilingual");
    site.build(&["--base-url", "https://preview.example.net/pr-7"]).assert_ok();
    let en = site.out("en/cards/renewal/index.html");
    assert!(
        en.contains("<link rel=\"canonical\" href=\"https://preview.example.net/pr-7/en/cards/renewal/\">"),
        "{en}"
    );
    assert!(en.contains("<a href=\"/pr-7/zh/cards/huanzheng/\""));
    let bad = site.build(&["--base-url", "preview"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.starts_with("error: --base-url: base_url `preview` must start with https:// or http://"),
        "{}",
        bad.stderr
    );
}

#[test]
fn default_language_can_be_served_at_the_root() {
    let site = Site::fixture("root_default");
    site.build(&[]).assert_ok();
    assert!(site.out("index.html").contains("<html lang=\"en\">"));
    assert!(site.out("cards/renewal/index.html").contains("<a href=\"/zh/cards/huanzheng/\""));
    assert!(site.out("zh/cards/huanzheng/index.html").contains("<a href=\"/cards/renewal/\" lang=\"en\""));
    assert!(!site.dist().join("en").exists());
}

#[test]
fn theme_assets_get_content_hashed_names() {
    let site = Site::fixture("bilingual");
    site.build(&[]).assert_ok();
    let files = tree(&site.dist());
    let css: Vec<&String> = files.keys().filter(|p| p.starts_with("static/style.") && p.ends_with(".css")).collect();
    assert_eq!(css.len(), 1, "{css:?}");
    assert_ne!(css[0], "static/style.css");
    assert!(site.out("en/index.html").contains(&format!("href=\"/{}\"", css[0])));
}

#[test]
fn keeps_dist_on_template_error() {
    let site = Site::fixture("bilingual");
    site.build(&[]).assert_ok();
    let before = tree(&site.dist());
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ page.title | nosuchfilter }}{% endblock content %}\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("templates/page.html:2:"), "{}", run.stderr);
    assert!(
        run.stderr.ends_with("build failed: 1 error, 16 warnings; the output folder was not changed\n"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&site.dist()), before, "dist/ changed after a failed build");
    let siblings: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!siblings.iter().any(|n| n.starts_with(".dist")), "staging folder left behind: {siblings:?}");
}

#[test]
fn keeps_dist_on_rendering_error() {
    let site = Site::fixture("bilingual");
    site.build(&[]).assert_ok();
    let before = tree(&site.dist());
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ page.no_such_field.deeper }}{% endblock content %}\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("templates/page.html:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("(while rendering content/cards/lost.md, and 3 other pages)"), "{}", run.stderr);
    assert_eq!(tree(&site.dist()), before);
}

#[test]
fn files_of_earlier_builds_never_linger() {
    let site = Site::fixture("bilingual");
    site.build(&[]).assert_ok();
    std::fs::remove_file(site.path("content/cards/lost.md")).unwrap();
    std::fs::remove_file(site.path("content/cards/lost.zh.md")).unwrap();
    site.build(&[]).assert_ok();
    assert!(!site.dist().join("en/cards/lost").exists());
}

#[test]
fn two_builds_are_byte_identical() {
    let site = Site::fixture("bilingual");
    let first = site.tmp.path().join("first");
    let second = site.tmp.path().join("second");
    site.build(&["--output", first.to_str().unwrap()]).assert_ok();
    site.build(&["--output", second.to_str().unwrap()]).assert_ok();
    let (a, b) = (tree(&first), tree(&second));
    assert!(a.len() > 10);
    assert_eq!(a, b);
}

#[test]
fn unknown_front_matter_key_is_an_error_with_every_problem_listed() {
    let site = Site::fixture("unknown_key");
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.contains(": warning: ") && !l.contains("reviewed") && !l.contains("mark-translated"))
        .collect();
    assert_eq!(
        errors.join("\n"),
        "content/lost.md:3:10: error: expected a whole number, found the text \"first\"\n\
         content/renewal.md:3:1: error: unknown key `descripton`\n  help: did you mean `description`? Free-form data goes under [extra]\n\
         build failed: 2 errors, 3 warnings; the output folder was not changed"
    );
    assert!(!site.dist().exists(), "a failed first build writes nothing");
}

#[test]
fn new_scaffold_builds_cleanly() {
    let tmp = Site::empty();
    let dir = tmp.tmp.path().join("mysite");
    let created = diptych(&["new", dir.to_str().unwrap()]);
    created.assert_ok();
    let run = diptych(&["build", "--root", dir.to_str().unwrap()]);
    run.assert_ok();
    assert_eq!(run.stderr, "", "the scaffold builds without warnings");
    assert!(run.stdout.starts_with("built 3 pages in en, 3 in zh · 0 warnings"), "{}", run.stdout);
    assert!(!dir.join("themes").exists(), "the built-in theme needs no themes/ folder");
    let again = diptych(&["new", dir.to_str().unwrap()]);
    assert_eq!(again.code, 2, "new refuses a folder that is not empty");
}

#[test]
fn refuses_to_overwrite_a_folder_that_is_not_a_built_site() {
    let site = Site::fixture("bilingual");
    let precious = site.tmp.path().join("precious");
    std::fs::create_dir_all(&precious).unwrap();
    std::fs::write(precious.join("thesis.txt"), "years of work").unwrap();
    let run = site.build(&["--output", precious.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not empty, and diptych did not write it"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(precious.join("thesis.txt")).unwrap(), "years of work");
}

#[test]
fn usage_errors_exit_with_2() {
    let site = Site::empty();
    let run = diptych(&["build", "--root", site.tmp.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not a diptych site: it has no site.toml"), "{}", run.stderr);
    assert_eq!(diptych(&["build", "--no-such-flag"]).code, 2);
    assert!(diptych(&["build", "--help"]).stdout.contains("--base-url"));
}
