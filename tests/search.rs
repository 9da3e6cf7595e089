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
    serde_json::from_str(&site.out(&format!("search-index/{lang}/index.json"))).unwrap()
}

/// Every term of the index of `lang`.
fn terms(site: &Site, lang: &str) -> Vec<String> {
    let entry = entry(site, lang);
    let mut terms = Vec::new();
    for chunk in entry["words"].as_array().unwrap() {
        let file = site.out(&format!("search-index/{lang}/w/{}.json", chunk[1].as_str().unwrap()));
        let postings: Vec<(String, Vec<u32>)> = serde_json::from_str(&file).unwrap();
        terms.extend(postings.into_iter().map(|(t, _)| t));
    }
    terms
}

#[test]
fn writes_one_index_per_language_with_untranslated_pages_only_in_their_own() {
    let site = searchable();
    site.build(&[]).assert_ok();
    let en = entry(&site, "en");
    let zh = entry(&site, "zh");
    assert_eq!(en["pages"], 2, "{en}");
    assert_eq!(zh["pages"], 1, "the untranslated page is not in the Chinese index: {zh}");
    let files = tree(&site.dist());
    assert!(files.keys().any(|p| p.starts_with("search-index/zh/w/") && p.ends_with(".json")));
    assert!(files.keys().any(|p| p.starts_with("search-index/en/p/") && p.ends_with(".json")));
    for lang in ["en", "zh"] {
        let page = site.out(&format!("{lang}/search/index.html"));
        assert!(page.contains(&format!("data-index=\"/search-index/{lang}/index.json\"")), "{page}");
        assert!(page.contains("<noscript>"));
        let home = site.out(&format!("{lang}/index.html"));
        assert!(home.contains(&format!("action=\"/{lang}/search/\"")), "{home}");
        assert!(!home.contains("search-index"), "only the search page loads the search code");
    }
}

#[test]
fn index_files_are_removed_when_search_is_turned_off() {
    let site = searchable();
    site.build(&[]).assert_ok();
    assert!(site.dist().join("search-index/en").is_dir());
    let config = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write("site.toml", &config.replace("enabled = true", "enabled = false"));
    site.build(&[]).assert_ok();
    let files = tree(&site.dist());
    assert!(!files.keys().any(|p| p.starts_with("search-index/") || p.contains("/search/")), "{:?}", files.keys());
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
    assert!(page.contains("data-index=\"/guide/search-index/zh/index.json\""), "{page}");
    let home = site.out("en/index.html");
    assert!(home.contains("action=\"/guide/en/search/\""), "{home}");
}

#[test]
fn only_the_content_of_a_page_is_indexed_not_its_header_menu_or_footer() {
    let site = searchable();
    site.write(
        "content/only-english.md",
        "+++\ntitle = \"Only English\"\n+++\n\nMarigold applications, and café hours.\n",
    );
    site.build(&[]).assert_ok();
    let en = terms(&site, "en");
    assert!(en.iter().any(|t| t == "marigold"), "{en:?}");
    assert!(en.iter().any(|t| t == "cafe"), "accents are folded: {en:?}");
    let page = site.out("en/only-english/index.html");
    assert!(page.contains("Skip to content") && page.contains("Menu") && page.contains("Follow changes"), "{page}");
    for chrome in ["skip", "menu", "follow"] {
        assert!(!en.iter().any(|t| t == chrome), "{chrome} is indexed: {en:?}");
    }
    let zh = terms(&site, "zh");
    assert!(!zh.iter().any(|t| t == "marigold"), "an untranslated page is not in the Chinese index");
}

#[test]
fn hosts_may_cache_the_hashed_index_files_for_good_but_not_the_entry() {
    let site = searchable();
    site.build(&[]).assert_ok();
    let headers = site.out("_headers");
    for lang in ["en", "zh"] {
        for hashed in ["w", "p"] {
            let rule =
                format!("/search-index/{lang}/{hashed}/*\n  Cache-Control: public, max-age=31536000, immutable\n");
            assert!(headers.contains(&rule), "{headers}");
        }
        let entry = format!("/search-index/{lang}/index.json\n  Cache-Control: public, max-age=300\n");
        assert!(headers.contains(&entry), "{headers}");
    }
}
