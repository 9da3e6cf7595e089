//! Search: one index per language written with the pages, none when search is off or the build fails.

mod common;

use common::{Site, tree};

/// The `fallback` fixture (one page only in English) with search turned on.
fn searchable() -> Site {
    let site = Site::fixture("fallback");
    let config = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write("site.toml", &format!("{config}\n[search]\nenabled = true\n"));
    site
}

fn entry(site: &Site, lang: &str) -> serde_json::Value {
    serde_json::from_str(&site.out(&format!("pagefind/{lang}/pagefind-entry.json"))).unwrap()
}

#[test]
fn writes_one_index_per_language_with_untranslated_pages_only_in_their_own() {
    let site = searchable();
    site.build(&[]).assert_ok();
    let en = entry(&site, "en");
    let zh = entry(&site, "zh");
    assert_eq!(en["languages"].as_object().unwrap().keys().collect::<Vec<_>>(), ["en"]);
    assert_eq!(zh["languages"].as_object().unwrap().keys().collect::<Vec<_>>(), ["zh"]);
    assert_eq!(en["languages"]["en"]["page_count"], 2, "{en}");
    assert_eq!(zh["languages"]["zh"]["page_count"], 1, "the untranslated page is not in the Chinese index: {zh}");
    let files = tree(&site.dist());
    assert!(files.keys().any(|p| p.starts_with("pagefind/zh/index/") && p.ends_with(".pf_index")));
    assert!(files.contains_key("pagefind/en/pagefind.js"));
    assert!(!files.keys().any(|p| p.contains("pagefind-ui")), "the ready-made UI is not shipped");
    for lang in ["en", "zh"] {
        let page = site.out(&format!("{lang}/search/index.html"));
        assert!(page.contains(&format!("data-pagefind=\"/pagefind/{lang}/pagefind.js\"")), "{page}");
        assert!(page.contains("<noscript>"));
        let home = site.out(&format!("{lang}/index.html"));
        assert!(home.contains(&format!("action=\"/{lang}/search/\"")), "{home}");
        assert!(!home.contains("pagefind.js"), "only the search page loads the search code");
    }
}

#[test]
fn index_files_are_removed_when_search_is_turned_off() {
    let site = searchable();
    site.build(&[]).assert_ok();
    assert!(site.dist().join("pagefind/en").is_dir());
    let config = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write("site.toml", &config.replace("enabled = true", "enabled = false"));
    site.build(&[]).assert_ok();
    let files = tree(&site.dist());
    assert!(!files.keys().any(|p| p.starts_with("pagefind/") || p.contains("/search/")), "{:?}", files.keys());
    assert!(!site.out("en/index.html").contains("role=\"search\""));
    assert!(!files.keys().any(|p| p.contains("search.")), "no search code or style ships: {:?}", files.keys());
}

#[test]
fn only_the_search_page_loads_the_search_code_and_style() {
    let site = searchable();
    site.build(&[]).assert_ok();
    let files = tree(&site.dist());
    assert!(files.keys().any(|p| p.starts_with("static/search/search.") && p.ends_with(".js")));
    for lang in ["en", "zh"] {
        let search = site.out(&format!("{lang}/search/index.html"));
        assert!(search.contains("/static/search/search.") && search.contains(".css\""), "{search}");
        let home = site.out(&format!("{lang}/index.html"));
        assert!(!home.contains("static/search/"), "{home}");
    }
}

#[test]
fn a_link_to_the_search_page_is_not_broken() {
    let site = searchable();
    site.write("content/only-english.md", "+++\ntitle = \"Only English\"\n+++\n\n[Search](/en/search/)\n");
    site.build(&[]).assert_ok();
}

#[test]
fn a_failed_build_writes_no_index() {
    let site = searchable();
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ nope | nosuchfilter }}{% endblock content %}\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!site.dist().exists(), "a failed build wrote {:?}", tree(&site.dist()).keys());
}

#[test]
fn two_builds_give_byte_identical_indexes() {
    let site = searchable();
    let first = site.tmp.path().join("first");
    let second = site.tmp.path().join("second");
    site.build(&["--output", first.to_str().unwrap()]).assert_ok();
    site.build(&["--output", second.to_str().unwrap()]).assert_ok();
    assert_eq!(tree(&first), tree(&second));
}

#[test]
fn works_below_a_sub_path() {
    let site = searchable();
    site.build(&["--base-url", "https://example.org/guide/"]).assert_ok();
    let page = site.out("zh/search/index.html");
    assert!(page.contains("data-pagefind=\"/guide/pagefind/zh/pagefind.js\""), "{page}");
    let home = site.out("en/index.html");
    assert!(home.contains("action=\"/guide/en/search/\""), "{home}");
}
