//! `diptych watch` through the real binary on temporary sites: edit, break, fix, rename, delete, a git
//! checkout, editor files, Ctrl-C, and a random run compared with a clean build.

mod common;

use common::edits::Editor;
use common::{Running, Site, save, tree};

fn watch(site: &Site) -> Running {
    Running::start(&["watch", "--root", site.root().to_str().unwrap()])
}

#[test]
fn rebuilds_edits_keeps_the_last_good_output_through_errors_and_recovers() {
    let site = Site::fixture("bilingual");
    let mut watch = watch(&site);
    assert!(watch.next_round().starts_with("built 4 pages in en, 4 in zh"));
    let lost = site.path("content/cards/lost.md");
    save(&lost, "+++\ntitle = \"Lost card\"\nweight = 1\n+++\nReport it to the police first.\n");
    let round = watch.next_round();
    assert!(round.starts_with("rebuilt") && round.contains(" 2 rendered, 1 file written"), "{round}");
    assert!(site.out("en/cards/lost/index.html").contains("Report it to the police first."));

    let before = tree(&site.dist());
    save(&lost, "+++\ntitel = \"Lost card\"\n+++\nBroken.\n");
    watch.wait_for("the error", |l| l == "content/cards/lost.md:2:1: error: unknown key `titel`");
    assert_eq!(
        watch.next_round(),
        "build failed: 1 error, 11 warnings; the output was not changed, watching for the fix"
    );
    assert_eq!(tree(&site.dist()), before, "a failed build leaves the output as it was");

    save(&lost, "+++\ntitle = \"Lost card\"\n+++\nFixed.\n");
    assert!(watch.next_round().starts_with("rebuilt"));
    assert!(site.out("en/cards/lost/index.html").contains("Fixed."));

    std::fs::rename(&lost, site.path("content/cards/stolen.md")).unwrap();
    assert!(watch.next_round().starts_with("rebuilt"));
    assert!(site.dist().join("en/cards/stolen/index.html").is_file());
    assert!(
        site.out("en/cards/lost/index.html").contains("证件遗失"),
        "lost.zh.md is still there: the English page shows it untranslated"
    );
    std::fs::remove_file(site.path("content/cards/lost.zh.md")).unwrap();
    assert!(watch.next_round().starts_with("rebuilt"));
    assert!(!site.dist().join("en/cards/lost").exists() && !site.dist().join("zh/cards/lost").exists());
    assert_eq!(watch.rounds_so_far(), 6, "one build per change:\n{}", watch.seen.join("\n"));
}

#[test]
fn starts_even_when_the_first_build_fails() {
    let site = Site::fixture("bilingual");
    site.write("content/cards/lost.md", "+++\ntitle = \"Lost card\"\n+++\nSee [nothing](@/cards/nothing.md).\n");
    let mut watch = watch(&site);
    assert!(watch.next_round().starts_with("build failed: 1 error"));
    assert!(!site.dist().exists(), "nothing is written while the site has errors");
    save(&site.path("content/cards/lost.md"), "+++\ntitle = \"Lost card\"\n+++\nSee [renewal](@/cards/renewal.md).\n");
    assert!(watch.next_round().starts_with("rebuilt 4 pages in en, 4 in zh"));
    assert!(site.out("en/cards/lost/index.html").contains("href=\"/en/cards/renewal/\""));
}

#[test]
fn a_git_checkout_is_one_rebuild() {
    let site = Site::fixture("bilingual");
    std::fs::create_dir_all(site.path(".git")).unwrap();
    let mut watch = watch(&site);
    watch.next_round();
    // git holds its index lock while it writes the work tree, however long that takes.
    let lock = site.path(".git/index.lock");
    std::fs::write(&lock, "").unwrap();
    for i in 0..50 {
        save(&site.path(&format!("content/cards/form-{i}.md")), &format!("+++\ntitle = \"Form {i}\"\n+++\n"));
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
    std::fs::remove_file(&lock).unwrap();
    let round = watch.next_round();
    assert!(round.starts_with("rebuilt 54 pages in en"), "all fifty files in one rebuild: {round}");
}

#[test]
fn editor_files_the_output_and_git_change_nothing() {
    let site = Site::fixture("bilingual");
    let mut watch = watch(&site);
    watch.next_round();
    std::fs::write(site.path("content/cards/.lost.md.swp"), "swap").unwrap();
    std::fs::write(site.path("content/cards/lost.md~"), "+++\nbroken").unwrap();
    std::fs::write(site.path("content/4913"), "").unwrap();
    std::fs::create_dir_all(site.path(".git")).unwrap();
    std::fs::write(site.path(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(site.dist().join("stray.html"), "").unwrap();
    save(&site.path("content/cards/lost.md"), "+++\ntitle = \"Lost card\"\n+++\nAfter the noise.\n");
    assert!(watch.next_round().starts_with("rebuilt"));
    assert_eq!(watch.rounds_so_far(), 2, "only the real edit rebuilt:\n{}", watch.seen.join("\n"));
}

#[test]
fn ctrl_c_stops_cleanly_and_keeps_the_output() {
    let site = Site::fixture("bilingual");
    let mut watch = watch(&site);
    watch.next_round();
    let before = tree(&site.dist());
    assert_eq!(watch.interrupt(), 0, "{}", watch.seen.join("\n"));
    assert_eq!(tree(&site.dist()), before);
    assert_eq!(watch.seen.last().map(String::as_str), Some("stopped"));
}

#[test]
fn refuses_an_output_folder_it_may_not_replace() {
    let site = Site::fixture("bilingual");
    let run = common::diptych(&[
        "watch",
        "--root",
        site.root().to_str().unwrap(),
        "--output",
        site.path("content/out").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("inside the site's content/ folder"), "{}", run.stderr);
}

/// Random edits of the guide fixture land on a running watch as fast as they come; once they stop (and the
/// site is made good again by undoing the latest), the output is a clean build's, byte for byte.
#[test]
fn random_edits_end_in_the_output_of_a_clean_build() {
    let site = Site::guide();
    let mut watch = watch(&site);
    assert!(watch.next_round().starts_with("built"));
    let mut editor = Editor::new(&site.root(), 7);
    for _ in 0..40 {
        editor.step(false);
        if editor.rng.chance(30) {
            std::thread::sleep(std::time::Duration::from_millis(editor.rng.below(60) as u64));
        }
    }
    while diptych::render_in_memory(&site.root(), None).is_err() {
        editor.undo().expect("undoing every step gives back the guide fixture, which builds");
    }
    // Events are handled in order: once this last edit shows, every earlier one was taken in.
    save(&site.path("content/last-edit.md"), "+++\ntitle = \"The last edit\"\n+++\n");
    let last = site.dist().join("en/last-edit/index.html");
    watch.wait_for("the last edit", |_| last.is_file());
    let clean = site.tmp.path().join("clean");
    common::diptych(&["build", "--root", site.root().to_str().unwrap(), "--output", clean.to_str().unwrap()])
        .assert_ok();
    assert!(tree(&site.dist()) == tree(&clean), "the output differs from a clean build's:\n{}", watch.seen.join("\n"));
}
