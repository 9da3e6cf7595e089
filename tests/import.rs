//! `diptych import` on real Zola and Hugo sites (read from `../shared/peers/`, never copied here) and on a
//! plain Markdown folder: the result builds, passes `check`, keeps every page in every language, and the
//! source is left as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn diptych(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_diptych")).args(args).output().expect("the binary runs")
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// The peer sites, or `None` in a clone of this repository alone (`.ci/run` fails if that happens there).
fn peers() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/peers");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: ../shared/peers not found");
        None
    }
}

/// Every file below `dir` with its bytes, to see that nothing changed.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walk(dir).into_iter().map(|p| (p.clone(), std::fs::read(&p).expect("readable"))).collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable folder").flatten() {
            let path = entry.path();
            if path.is_dir() { stack.push(path) } else { files.push(path) }
        }
    }
    files.sort();
    files
}

/// `.md` files per language below `dir`: by `name.xx.md` suffix, or all in `fixed`.
fn count_pages(dir: &Path, default: &str, known: &[&str], fixed: Option<&str>, counts: &mut BTreeMap<String, usize>) {
    for file in walk(dir) {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".md") else { continue };
        let suffix = stem.rsplit_once('.').map(|(_, s)| s).filter(|s| known.contains(s));
        let lang = suffix.or(fixed).unwrap_or(default);
        *counts.entry(lang.to_string()).or_default() += 1;
    }
}

/// The imported site has as many pages in each language as the source's content folders (`None`: languages by
/// file suffix; `Some(lang)`: a folder of one language). English is the default language of both peers.
fn assert_same_pages_per_language(source_dirs: &[(PathBuf, Option<&str>)], site: &Path, known: &[&str]) {
    let mut expected = BTreeMap::new();
    for (dir, fixed) in source_dirs {
        count_pages(dir, "en", known, *fixed, &mut expected);
    }
    let mut got = BTreeMap::new();
    count_pages(&site.join("content"), "en", known, None, &mut got);
    println!("pages per language: source {expected:?}, imported {got:?}");
    assert_eq!(got, expected);
}

/// Imports `source`, then builds and checks the result; returns the imported site's folder.
fn import_builds_and_checks(generator: &str, source: &Path, work: &Path) -> PathBuf {
    let before = snapshot(source);
    let site = work.join("site");
    let out = diptych(&["import", generator, source.to_str().unwrap(), "--output", site.to_str().unwrap()]);
    println!("{}", text(&out));
    assert!(out.status.success(), "import failed:\n{}", text(&out));
    assert_eq!(snapshot(source), before, "the source folder changed");
    let dist = work.join("dist");
    let build = diptych(&["build", "--root", site.to_str().unwrap(), "--output", dist.to_str().unwrap()]);
    assert!(build.status.success(), "build failed:\n{}", text(&build));
    let check = diptych(&["check", "--root", site.to_str().unwrap(), "--format", "short"]);
    assert!(check.status.success(), "check failed:\n{}", text(&check));
    site
}

#[test]
fn zola_i18n_site_imports_with_every_page_in_every_language() {
    let Some(peers) = peers() else { return };
    let source = peers.join("zola-test_site_i18n");
    let work = tempfile::tempdir().unwrap();
    let site = import_builds_and_checks("zola", &source, work.path());
    assert_same_pages_per_language(&[(source.join("content"), None)], &site, &["en", "fr", "it"]);
    // The page bundle is a page beside its folder, and its file is published from static/.
    assert!(site.join("content/blog/with-assets.fr.md").is_file());
    assert!(site.join("static/blog/with-assets/some.js").is_file());
    assert!(site.join("i18n/fr.toml").is_file() && site.join("i18n/it.toml").is_file());
}

#[test]
fn hugo_book_site_imports_with_every_page_in_every_language() {
    let Some(peers) = peers() else { return };
    let source = peers.join("hugo-book-exampleSite");
    let work = tempfile::tempdir().unwrap();
    let site = import_builds_and_checks("hugo", &source, work.path());
    let known = ["en", "zh", "he"];
    let dirs: Vec<(PathBuf, Option<&str>)> =
        known.iter().map(|l| (source.join(format!("content.{l}")), Some(*l))).collect();
    assert_same_pages_per_language(&dirs, &site, &known);
    let home = std::fs::read_to_string(site.join("content/_index.md")).unwrap();
    assert!(home.contains("[Explore](@/docs/getting-started/introduction.md)"), "{home}");
    assert!(!home.contains("{{<"), "{home}");
}

#[test]
fn import_reports_as_json() {
    let Some(peers) = peers() else { return };
    let work = tempfile::tempdir().unwrap();
    let site = work.path().join("site");
    let source = peers.join("zola-test_site_i18n");
    let out =
        diptych(&["import", "zola", source.to_str().unwrap(), "--output", site.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(report["pages_out"]["fr"], 7);
    let taxonomy = report["notes"].as_array().unwrap().iter().find(|n| n["group"] == "taxonomy").unwrap();
    assert_eq!(taxonomy["file"], "config.toml");
}

#[test]
fn plain_markdown_folder_without_front_matter_builds() {
    let work = tempfile::tempdir().unwrap();
    let notes = work.path().join("notes");
    std::fs::create_dir_all(notes.join("guides")).unwrap();
    std::fs::write(notes.join("welcome.md"), "# Welcome\n\nSee [the guide](guides/first-steps.md).\n").unwrap();
    std::fs::write(notes.join("guides/first-steps.md"), "Just text, no heading.\n").unwrap();
    let site = import_builds_and_checks("plain", &notes, work.path());
    let page = std::fs::read_to_string(site.join("content/guides/first-steps.md")).unwrap();
    assert!(page.starts_with("+++\ntitle = \"First steps\"\n+++\n"), "{page}");
    let welcome = std::fs::read_to_string(site.join("content/welcome.md")).unwrap();
    assert!(welcome.contains("[the guide](@/guides/first-steps.md)"), "{welcome}");
    assert!(site.join("content/_index.md").is_file(), "a home page is added");
}

#[test]
fn refuses_a_non_empty_destination_and_one_inside_the_source() {
    let work = tempfile::tempdir().unwrap();
    let notes = work.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(notes.join("a.md"), "# A\n").unwrap();
    let out = diptych(&["import", "plain", notes.to_str().unwrap(), "--output", notes.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let inside = notes.join("site");
    let out = diptych(&["import", "plain", notes.to_str().unwrap(), "--output", inside.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("inside the source folder"), "{}", text(&out));
    assert!(!inside.exists());
}

#[test]
fn broken_front_matter_is_reported_with_its_line_and_nothing_is_written() {
    let work = tempfile::tempdir().unwrap();
    let notes = work.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(notes.join("a.md"), "---\ntitle: [unclosed\n---\nText\n").unwrap();
    let site = work.path().join("site");
    let out = diptych(&["import", "plain", notes.to_str().unwrap(), "--output", site.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("a.md:"), "{}", text(&out));
    assert!(!site.exists());
}
