//! Aliases: a redirect page at each old URL of a page, in the language of the file that lists it, and
//! `_redirects` for hosts that read one. Collisions are in `tests/invalid/alias-collisions`.

mod common;

use common::Site;

#[test]
fn writes_a_redirect_page_at_each_alias_in_its_language() {
    let site = Site::fixture("aliases");
    site.build(&[]).assert_ok();
    let en = site.out("en/old/index.html");
    assert!(en.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{en}");
    assert!(en.contains("<meta http-equiv=\"refresh\" content=\"0; url=/en/merged/\">"));
    assert!(en.contains("<link rel=\"canonical\" href=\"https://example.org/en/merged/\">"));
    assert!(en.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(en.contains("<a href=\"/en/merged/\">Merged</a>"), "a visible link");
    assert!(site.out("en/older.html").contains("url=/en/merged/"), "an alias may be an .html file");
    let zh = site.out("zh/old/index.html");
    assert!(zh.contains("<html lang=\"zh-Hans\">") && zh.contains("url=/zh/merged/"), "{zh}");
    assert_eq!(
        site.out("_redirects"),
        "/en/old/ /en/merged/ 301\n/en/older.html /en/merged/ 301\n/zh/old/ /zh/merged/ 301\n"
    );
    assert!(!site.out("sitemap.xml").contains("/old/"), "aliases are not in the sitemap");
}

#[test]
fn aliases_follow_the_base_url_sub_path() {
    let site = Site::fixture("aliases");
    site.build(&["--base-url", "https://example.org/guide/"]).assert_ok();
    let en = site.out("en/old/index.html");
    assert!(en.contains("url=/guide/en/merged/") && en.contains("href=\"https://example.org/guide/en/merged/\""));
    assert!(site.out("_redirects").starts_with("/guide/en/old/ /guide/en/merged/ 301\n"));
}

#[test]
fn a_site_redirects_file_replaces_the_generated_one() {
    let site = Site::fixture("aliases");
    site.write("static/_redirects", "/elsewhere/ /en/ 302\n");
    site.build(&[]).assert_ok();
    assert_eq!(site.out("_redirects"), "/elsewhere/ /en/ 302\n");
    assert!(site.out("en/old/index.html").contains("url=/en/merged/"), "the redirect pages are still written");
}
