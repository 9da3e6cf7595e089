//! The Atom feed of each language, read with a real XML parser as a feed reader would: the elements RFC 4287
//! requires, the pages each language lists (its own, newest first by their last review, no drafts, no pages
//! shown untranslated), text that stays text, and the links to it from every page. `tests/fixtures/feeds` is a
//! small bilingual site below a sub-path in Shanghai's time; `.ci/run` also validates the shipped site's feeds
//! against the RELAX NG schema `tests/atom.rng`.

mod common;

use common::Site;
use roxmltree::{Document, Node};

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The site built, and each feed's text: English, then Chinese.
fn built(site: &Site, extra: &[&str]) -> (String, String) {
    site.build(extra).assert_ok();
    (site.out("en/atom.xml"), site.out("zh/atom.xml"))
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name((ATOM, name)))
}

fn text_of(node: Node, name: &str) -> String {
    child(node, name).and_then(|n| n.text()).unwrap_or_default().to_string()
}

fn entries<'a, 'i>(feed: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    feed.children().filter(|n| n.has_tag_name((ATOM, "entry"))).collect()
}

fn alternate(node: Node) -> Option<String> {
    node.children()
        .find(|n| n.has_tag_name((ATOM, "link")) && n.attribute("rel").unwrap_or("alternate") == "alternate")
        .and_then(|n| n.attribute("href"))
        .map(str::to_string)
}

/// What RFC 4287 requires of a feed and its entries (section 4.1): an id, a title and an updated date each, an
/// author on the feed or on every entry, an alternate link on every entry that has no content.
fn assert_is_atom(xml: &str) {
    let doc = Document::parse(xml).unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"));
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")), "{xml}");
    for name in ["id", "title", "updated"] {
        assert_eq!(feed.children().filter(|n| n.has_tag_name((ATOM, name))).count(), 1, "feed {name}: {xml}");
    }
    let feed_author = child(feed, "author").is_some_and(|a| child(a, "name").is_some());
    let self_link = feed.children().find(|n| n.has_tag_name((ATOM, "link")) && n.attribute("rel") == Some("self"));
    assert!(self_link.is_some(), "a feed links to itself: {xml}");
    for entry in entries(feed) {
        for name in ["id", "title", "updated"] {
            assert_eq!(entry.children().filter(|n| n.has_tag_name((ATOM, name))).count(), 1, "entry {name}: {xml}");
        }
        assert!(feed_author || child(entry, "author").is_some(), "no author for {entry:?}");
        assert!(child(entry, "content").is_some() || alternate(entry).is_some(), "no link for {entry:?}");
    }
}

#[test]
fn each_language_has_a_valid_feed_of_its_own_pages_newest_first() {
    let site = Site::fixture("feeds");
    let (en, zh) = built(&site, &[]);
    assert_is_atom(&en);
    assert_is_atom(&zh);

    let doc = Document::parse(&en).unwrap();
    let feed = doc.root_element();
    assert_eq!(text_of(feed, "title"), "Rules & notices");
    assert_eq!(text_of(feed, "id"), "https://example.org/guide/en/atom.xml");
    assert_eq!(text_of(feed, "updated"), "2026-06-01T00:00:00+08:00", "the newest entry's, in Shanghai's time");
    assert_eq!(alternate(feed).as_deref(), Some("https://example.org/guide/en/"));
    assert_eq!(text_of(child(feed, "author").unwrap(), "name"), "The guide's editors");
    assert_eq!(feed.attribute(("http://www.w3.org/XML/1998/namespace", "lang")), Some("en"));
    let titles: Vec<String> = entries(feed).iter().map(|e| text_of(*e, "title")).collect();
    assert_eq!(
        titles[..4],
        ["An old rule, checked again", "A new rule", "Only in English so far", "Rules"],
        "newest first; the home page, the draft and the page without a date are left out"
    );
    assert_eq!(titles.len(), 5, "{titles:?}");

    let doc = Document::parse(&zh).unwrap();
    let feed = doc.root_element();
    assert_eq!(text_of(feed, "title"), "规则与通知");
    assert_eq!(feed.attribute(("http://www.w3.org/XML/1998/namespace", "lang")), Some("zh-Hans"));
    let titles: Vec<String> = entries(feed).iter().map(|e| text_of(*e, "title")).collect();
    assert_eq!(titles, ["新规定", "规则", "旧规定，已重新核对"], "pages shown untranslated are not new in Chinese");
    assert_eq!(
        child(feed, "author").map(|a| text_of(a, "name")).as_deref(),
        Some("The guide's editors"),
        "one author for every language"
    );
}

#[test]
fn a_new_review_counts_as_an_update_with_links_and_summaries() {
    let site = Site::fixture("feeds");
    let (en, _) = built(&site, &[]);
    let doc = Document::parse(&en).unwrap();
    let entries = entries(doc.root_element());
    let reviewed = entries[0];
    assert_eq!(text_of(reviewed, "updated"), "2026-06-01T00:00:00+08:00", "reviewed after it was updated");
    assert_eq!(text_of(reviewed, "published"), "2025-01-01T00:00:00+08:00", "its `date`");
    let url = "https://example.org/guide/en/rules/re-reviewed/";
    assert_eq!((alternate(reviewed).as_deref(), text_of(reviewed, "id").as_str()), (Some(url), url));
    assert!(child(reviewed, "summary").is_none(), "no description, no summary");
    assert_eq!(text_of(entries[1], "summary"), "Fees & forms from May.");
}

#[test]
fn hostile_text_stays_text() {
    let site = Site::fixture("feeds");
    let (en, _) = built(&site, &[]);
    let doc = Document::parse(&en).unwrap();
    let hostile = entries(doc.root_element()).into_iter().find(|e| alternate(*e).unwrap().contains("hostile")).unwrap();
    // U+0001 cannot be in XML at all: it is left out, and the rest comes back as it was written.
    assert_eq!(text_of(hostile, "title"), "Fees <script>alert(1)</script> & forms ]]> end");
    assert_eq!(text_of(hostile, "summary"), "<b>bold</b> & ]]> \"quoted\"");
    assert!(!en.contains("<script") && !en.contains("<b>") && !en.contains("]]>"), "{en}");
}

#[test]
fn the_hostile_fixture_gives_its_text_back_in_the_feed() {
    let site = Site::fixture("hostile");
    site.build(&[]).assert_ok();
    let xml = site.out("en/atom.xml");
    assert_is_atom(&xml);
    let doc = Document::parse(&xml).unwrap();
    let feed = doc.root_element();
    let hostile = "</script><!--<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1;document.title='pwned'\">&lt;b&gt;\u{2028}]]>";
    assert_eq!(text_of(feed, "title"), format!("Guide {hostile}"));
    let entry = entries(feed).into_iter().find(|e| alternate(*e).unwrap().ends_with("/en/page/")).expect("the page");
    assert_eq!(text_of(entry, "title"), format!("Page {hostile}"));
    assert_eq!(text_of(entry, "summary"), format!("Description {hostile}"));
}

#[test]
fn every_page_links_the_feed_of_its_language() {
    let site = Site::fixture("feeds");
    built(&site, &[]);
    for (page, feed) in [
        ("en/rules/new-rule/index.html", "/guide/en/atom.xml"),
        ("zh/rules/new-rule/index.html", "/guide/zh/atom.xml"),
        ("zh/rules/untranslated/index.html", "/guide/zh/atom.xml"),
        ("en/404.html", "/guide/en/atom.xml"),
    ] {
        let html = site.out(page);
        let head = html.split("</head>").next().unwrap();
        assert!(
            head.contains(&format!("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"{feed}\"")),
            "{page}"
        );
        let footer = html.split("<footer").nth(1).unwrap();
        assert!(footer.contains(&format!("<a href=\"{feed}\" type=\"application/atom+xml\">")), "{page}");
    }
    let chooser = site.out("index.html");
    for feed in ["/guide/en/atom.xml", "/guide/zh/atom.xml"] {
        assert!(chooser.contains(&format!("href=\"{feed}\"")), "the language chooser links every feed");
    }
}

#[test]
fn drafts_stay_out_of_the_feed_of_a_preview() {
    let site = Site::fixture("feeds");
    let (en, _) = built(&site, &["--drafts"]);
    assert!(site.out("en/rules/draft/index.html").contains("Not published yet"));
    assert!(!en.contains("Not published yet"), "{en}");
}

#[test]
fn site_toml_sets_the_length_or_turns_feeds_off() {
    let site = Site::fixture("feeds");
    let config = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write("site.toml", &config.replace("[feeds]\n", "[feeds]\nlimit = 2\n"));
    let (en, _) = built(&site, &[]);
    assert_eq!(entries(Document::parse(&en).unwrap().root_element()).len(), 2);

    site.write("site.toml", &config.replace("[feeds]\n", "[feeds]\nenabled = false\n"));
    site.build(&[]).assert_ok();
    assert!(!site.dist().join("en/atom.xml").exists() && !site.dist().join("zh/atom.xml").exists());
    assert!(!site.out("en/rules/new-rule/index.html").contains("atom"), "no link to a feed that is not there");

    site.write("site.toml", &config.replace("[feeds]\n", "[feeds]\nlimit = 0\n"));
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("a feed of 0 pages"), "{}", run.stderr);
}

#[test]
fn a_default_language_at_the_root_has_its_feed_at_the_root() {
    let site = Site::fixture("feeds");
    let config = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write(
        "site.toml",
        &config.replace("default_language = \"en\"\n", "default_language = \"en\"\ndefault_language_prefix = false\n"),
    );
    site.build(&[]).assert_ok();
    let en = site.out("atom.xml");
    assert_is_atom(&en);
    assert!(en.contains("<id>https://example.org/guide/atom.xml</id>"), "{en}");
    assert!(en.contains("href=\"https://example.org/guide/rules/new-rule/\""), "{en}");
    assert!(site.out("rules/new-rule/index.html").contains("href=\"/guide/atom.xml\""));
}
