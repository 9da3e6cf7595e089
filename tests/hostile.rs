//! Content text is escaped wherever it lands. `tests/fixtures/hostile` puts a string that would run script if
//! it were not (`</script><!--<script>…`, an `<img onerror>`, U+2028, `]]>`) in every text field; the site
//! passes `check`, and its build must carry the string as text: no element or handler from it in any page, valid
//! JSON in JSON-LD and offices.json that gives the string back, escaped vCard lines, a plain sitemap.

mod common;

use common::{Site, tree};
use diptych::render::sanitize;

/// The hostile string as the fixture's TOML decodes it.
const HOSTILE: &str = "</script><!--<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1;document.title='pwned'\">&lt;b&gt;\u{2028}]]>";

/// The script elements the default theme writes itself.
const THEME_SCRIPTS: &[&str] = &[
    "<script type=\"application/ld+json\">",
    "<script type=\"application/json\" id=\"office-schedule\">",
    "<script src=\"/static/office-hours.",
];

fn built() -> (Site, Vec<(String, String)>) {
    let site = Site::fixture("hostile");
    site.build(&[]).assert_ok();
    let files = tree(&site.dist()).into_iter().map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap())).collect();
    (site, files)
}

#[test]
fn content_text_is_never_markup_in_pages() {
    let (_site, files) = built();
    let pages: Vec<&(String, String)> = files.iter().filter(|(p, _)| p.ends_with(".html")).collect();
    assert!(pages.len() >= 5, "{:?}", files.iter().map(|f| &f.0).collect::<Vec<_>>());
    for (path, html) in pages {
        // The same tokenizer that judges content, over the whole page: what it finds must be the theme's.
        for found in sanitize::judge(html) {
            let at = &html[found.at..];
            let theirs = matches!(found.what.as_str(), "a <meta> element" | "a <link> element" | "a <title> element")
                || (found.what == "a <script> element" && THEME_SCRIPTS.iter().any(|s| at.starts_with(s)));
            assert!(theirs, "{path}: {} at {}", found.what, &at[..at.len().min(120)]);
        }
        let title = html.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or("");
        assert!(!title.contains('<'), "{path}: <title>{title}");
    }
}

#[test]
fn json_ld_is_valid_and_gives_the_text_back() {
    let (site, _) = built();
    let html = site.out("en/offices/centre/index.html");
    let json = html.split("<script type=\"application/ld+json\">").nth(1).unwrap().split("</script>").next().unwrap();
    assert!(!json.contains(['<', '>', '&', '\u{2028}']), "{json}");
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(value["name"], format!("Centre {HOSTILE}"), "{value}");
    let schedule = html.split("id=\"office-schedule\">").nth(1).unwrap().split("</script>").next().unwrap();
    serde_json::from_str::<serde_json::Value>(schedule).unwrap();
}

#[test]
fn offices_json_gives_the_text_back() {
    let (site, _) = built();
    let value: serde_json::Value = serde_json::from_str(&site.out("offices.json")).unwrap();
    let text = value.to_string();
    assert!(text.contains(&serde_json::to_string(&format!("Centre {HOSTILE}")).unwrap()[1..]), "{text}");
}

#[test]
fn vcard_lines_escape_text_values() {
    let (site, _) = built();
    let vcard = site.out("offices/centre.vcf");
    let unfolded = vcard.replace("\r\n ", "");
    assert!(unfolded.lines().all(|l| !l.contains('\r') || l.ends_with('\r')), "a bare CR splits a line");
    let adr = unfolded.lines().find(|l| l.starts_with("ADR")).unwrap();
    assert!(adr.contains("Address\\; with\\, vCard \\\\ specials\\n</script>"), "{adr}");
    for line in unfolded.lines() {
        let (name, _) = line.split_once(':').unwrap();
        assert!(!name.contains('<'), "a value leaked into the property name: {line}");
    }
}

#[test]
fn sitemap_holds_no_content_text() {
    let (site, _) = built();
    let xml = site.out("sitemap.xml");
    assert!(!xml.contains("script"), "{xml}");
}
