//! A theme written from `docs/themes.md` alone builds, and the document names every template the engine asks
//! for and nothing the fixture theme does not use: so the reference cannot drift from the code.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::Site;

const DOC: &str = include_str!("../docs/themes.md");
const THEME: &str = "tests/fixtures/custom_theme/themes/plain";

/// The first cell of every table row: `| \`page.title\` | … |` → `page.title`.
fn documented_names() -> Vec<String> {
    DOC.lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`').map(|(name, _)| name.to_string()))
        .collect()
}

/// Every file of the fixture theme, as one text.
fn theme_text() -> String {
    let mut text = String::new();
    for path in common::edits::files_below(Path::new(THEME)) {
        text.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
        text.push('\n');
    }
    text
}

#[test]
fn the_fixture_theme_uses_every_documented_name() {
    let theme = theme_text();
    let names = documented_names();
    assert!(names.len() > 150, "the tables of docs/themes.md were not found: {}", names.len());
    let missing: Vec<&String> =
        names.iter().filter(|name| !name.ends_with(".html") && !theme.contains(name.as_str())).collect();
    assert!(missing.is_empty(), "documented in docs/themes.md but not used by {THEME}: {missing:?}");
    for template in names.iter().filter(|name| name.ends_with(".html")) {
        let path = Path::new(THEME).join("templates").join(template.replace("NAME", "office"));
        assert!(path.is_file(), "{THEME} has no {template}, which docs/themes.md lists");
    }
}

/// Template names the engine asks for: the string literals naming a template in src/render/, and one per
/// page kind (`page.html`, `category.html`, `rule.html`).
fn requested_templates() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir("src/render").unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or(&text);
        for literal in code.split('"').skip(1).step_by(2) {
            let template = literal.len() > ".html".len()
                && literal.ends_with(".html")
                && literal.chars().all(|c| c.is_ascii_alphanumeric() || "_-./".contains(c))
                && !literal.contains('/');
            if template {
                names.insert(literal.to_string());
            }
            if literal == "shortcodes/{}.html" {
                names.insert("shortcodes/NAME.html".to_string());
            }
        }
    }
    let kinds = std::fs::read_to_string("src/site/frontmatter.rs").unwrap();
    for line in kinds.lines().filter(|l| l.trim_start().starts_with("Kind::") && l.contains("=> \"")) {
        let kind = line.split('"').nth(1).unwrap();
        names.insert(format!("{kind}.html"));
    }
    names
}

#[test]
fn every_template_the_engine_asks_for_is_documented() {
    let documented: BTreeSet<String> = documented_names().into_iter().filter(|n| n.ends_with(".html")).collect();
    let requested = requested_templates();
    assert!(requested.len() >= 9, "{requested:?}");
    let undocumented: Vec<&String> = requested.difference(&documented).collect();
    assert!(undocumented.is_empty(), "the engine asks for templates docs/themes.md does not list: {undocumented:?}");
}

#[test]
fn the_theme_written_from_the_reference_builds_and_shows_its_variables() {
    let site = Site::fixture("custom_theme");
    site.build(&[]).assert_ok();
    for (file, template) in [
        ("index.html", "chooser"),
        ("404.html", "404"),
        ("en/index.html", "index"),
        ("en/card/index.html", "page"),
        ("en/apply/index.html", "category"),
        ("en/renew/index.html", "rule"),
        ("en/offices/index.html", "offices"),
        ("en/offices/centre/index.html", "office"),
        ("zh/404.html", "404"),
        ("en/search/index.html", "search"),
    ] {
        assert!(site.out(file).contains(&format!("<body data-template=\"{template}\">")), "{file}");
    }
    let card = site.out("en/card/index.html");
    for shown in [
        "<p class=\"facts\">/en/card/ https://example.org/en/card/ 2026-01-02 2026-03-04 1 new</p>",
        "<p class=\"reviewed\">1 Nov 2026</p>",
        "<li class=\"level-3\"><a href=\"#fees\">Fees</a></li>",
        "aria-label=\"Link here: Who can apply\"",
        "<a href=\"tel:+862112345678\">021-12345678</a>",
        "<p class=\"site\">en English Guide A guide en https://example.org/ / en Example</p>",
    ] {
        assert!(card.contains(shown), "{shown} not in\n{card}");
    }
    assert!(site.out("zh/offices/centre/index.html").contains("<th>周一</th>"));
    assert!(site.out("en/renew/index.html").contains("<section id=\"expiry\"><h2>Your card expires</h2>"));
    let chooser = site.out("index.html");
    assert!(chooser.contains("<a href=\"/zh/\">指南</a>  进入</li>"), "{chooser}");
}
