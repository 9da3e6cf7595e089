//! The user's files around the output folder: an output path that is a file, a folder diptych did not write,
//! the marker that says it did, the swap that never leaves the output missing, recovery after a killed build,
//! and watch repairing an output folder changed under it.

mod common;

use std::path::Path;

use common::{Running, Site, diptych, save, tree};

const MARKER: &str = ".diptych-output";

/// Every file below the temporary folder (the site, its output and what is beside them).
fn everything(site: &Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    tree(site.tmp.path())
}

fn build_to(site: &Site, output: &Path) -> common::Run {
    site.build(&["--output", output.to_str().unwrap()])
}

/// `build`, `watch` and `serve` with this output all exit 2 with the message, and touch nothing.
#[track_caller]
fn refused_by_every_command(site: &Site, output: &Path, message: &str) {
    let before = everything(site);
    let root = site.root();
    let (root, output) = (root.to_str().unwrap(), output.to_str().unwrap());
    for command in [vec!["build"], vec!["watch"], vec!["serve", "--port", "0"]] {
        let mut args = command.clone();
        args.extend(["--root", root, "--output", output]);
        let run = diptych(&args);
        assert_eq!(run.code, 2, "{command:?} {output}\n{}", run.stderr);
        assert!(run.stderr.contains("refusing to write the output folder: "), "{}", run.stderr);
        assert!(run.stderr.contains(message), "{command:?}: {}", run.stderr);
        assert!(run.stderr.contains("\n  help: "), "{}", run.stderr);
        assert!(everything(site) == before, "{command:?} {output}: something was changed");
    }
}

#[test]
fn an_output_that_is_a_file_is_refused_before_anything_is_touched() {
    let site = Site::fixture("bilingual");
    let file = site.tmp.path().join("notes.txt");
    std::fs::write(&file, "my notes\n").unwrap();
    refused_by_every_command(&site, &file, "notes.txt is a file, not a folder");
    refused_by_every_command(&site, &site.path("site.toml"), "site.toml is a file, not a folder");
    refused_by_every_command(&site, &file.join("dist"), "notes.txt is a file, not a folder");
    refused_by_every_command(&site, &site.path("site.toml/dist"), "site.toml is a file, not a folder");
    #[cfg(unix)]
    {
        let link = site.tmp.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        refused_by_every_command(&site, &link, "is a symbolic link to a file");
        let folder = site.tmp.path().join("real");
        std::fs::create_dir(&folder).unwrap();
        let to_folder = site.tmp.path().join("to-folder");
        std::os::unix::fs::symlink(&folder, &to_folder).unwrap();
        refused_by_every_command(&site, &to_folder, "is a symbolic link (to ");
    }
}

#[test]
fn a_folder_diptych_did_not_write_is_refused_and_kept() {
    let site = Site::fixture("bilingual");
    let mine = site.tmp.path().join("mine");
    std::fs::create_dir_all(mine.join(".ssh")).unwrap();
    std::fs::write(mine.join(".ssh/id_ed25519"), "secret key").unwrap();
    refused_by_every_command(&site, &mine, "is not empty, and diptych did not write it");

    let page_and_more = site.tmp.path().join("page-and-more");
    std::fs::create_dir_all(&page_and_more).unwrap();
    std::fs::write(page_and_more.join("index.html"), "<p>my page</p>").unwrap();
    std::fs::write(page_and_more.join("keep.txt"), "keep me").unwrap();
    refused_by_every_command(&site, &page_and_more, "it has no .diptych-output file");

    // What an older diptych wrote has no marker either: not adopted, and the hint says what to do.
    let older = site.tmp.path().join("older");
    std::fs::create_dir_all(older.join("en")).unwrap();
    std::fs::write(older.join("index.html"), "<p>old build</p>").unwrap();
    std::fs::write(older.join("en/index.html"), "<p>old build</p>").unwrap();
    refused_by_every_command(&site, &older, "delete the folder yourself and build again");
}

#[test]
fn a_missing_or_empty_folder_is_fine_and_every_build_marks_its_output() {
    let site = Site::fixture("bilingual");
    let empty = site.tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    build_to(&site, &empty).assert_ok();
    assert!(empty.join(MARKER).is_file());
    let deep = site.tmp.path().join("a/b/c");
    build_to(&site, &deep).assert_ok();
    let marker = std::fs::read_to_string(deep.join(MARKER)).unwrap();
    assert!(marker.starts_with("This folder was written by diptych"), "{marker}");
    build_to(&site, &deep).assert_ok();
    site.build(&[]).assert_ok();
    assert!(!site.out("sitemap.xml").contains(MARKER), "the marker is no page");
}

#[test]
fn watch_and_serve_mark_their_output_too() {
    let site = Site::fixture("bilingual");
    let mut watch = Running::start(&["watch", "--root", site.root().to_str().unwrap()]);
    assert!(watch.next_round().starts_with("built"));
    assert!(site.dist().join(MARKER).is_file());
    watch.interrupt();

    let served = site.tmp.path().join("served");
    let (_serve, address) =
        common::start_serve(&["--root", site.root().to_str().unwrap(), "--output", served.to_str().unwrap()]);
    assert!(served.join(MARKER).is_file());
    assert_eq!(common::get_closing(&address, &format!("/{MARKER}")).status, 404, "not served as a page");
}

/// The new output takes the old one's place in one step: a reader never finds the folder missing.
#[test]
fn the_output_folder_never_goes_missing_during_a_build() {
    let site = Site::fixture("bilingual");
    site.build(&[]).assert_ok();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let (stop, index) = (stop.clone(), site.dist().join("index.html"));
        std::thread::spawn(move || {
            let mut missing = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                missing += usize::from(!index.exists());
            }
            missing
        })
    };
    for i in 0..8 {
        save(&site.path("content/cards/lost.md"), &format!("+++\ntitle = \"Lost card\"\n+++\nVersion {i}.\n"));
        site.build(&[]).assert_ok();
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(watcher.join().unwrap(), 0, "the output folder was missing while a build replaced it");
    assert!(site.out("en/cards/lost/index.html").contains("Version 7."));
    let beside: Vec<String> =
        std::fs::read_dir(site.root()).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into()).collect();
    assert!(!beside.iter().any(|n| n.starts_with(".dist.")), "nothing left beside the output: {beside:?}");
}

/// A build killed between the two renames of the fallback swap leaves only `.dist.old-PID`: the next build,
/// even a failing one, puts it back.
#[test]
fn the_next_build_recovers_an_output_left_aside_by_a_killed_build() {
    let site = Site::fixture("bilingual");
    site.build(&[]).assert_ok();
    let before = tree(&site.dist());
    // No process has this id: pids stop at 2^22.
    let aside = site.path(".dist.old-4000000000");
    std::fs::rename(site.dist(), &aside).unwrap();
    site.write("content/cards/lost.md", "+++\ntitel = \"Lost card\"\n+++\n");
    assert_eq!(site.build(&[]).code, 1);
    assert_eq!(tree(&site.dist()), before, "the last good output is back");
    assert!(!aside.exists());

    std::fs::rename(site.dist(), &aside).unwrap();
    site.write("content/cards/lost.md", "+++\ntitle = \"Lost card\"\n+++\nFixed.\n");
    site.build(&[]).assert_ok();
    assert!(site.out("en/cards/lost/index.html").contains("Fixed."));
    assert!(!aside.exists(), "what was set aside is removed once replaced");
}

#[test]
fn only_folders_diptych_named_are_cleaned_up_beside_the_output() {
    let site = Site::fixture("bilingual");
    site.build(&[]).assert_ok();
    for name in [
        ".dist.staging-4000000000",
        ".dist.old-4000000001",
        ".dist.old-12ab",
        ".dist.old-",
        ".dist.old-+4000000002",
        ".dist.backup",
        ".dist2.old-4000000003",
    ] {
        std::fs::create_dir_all(site.path(name)).unwrap();
        std::fs::write(site.path(name).join("file.txt"), name).unwrap();
    }
    std::fs::write(site.path(".dist.staging-4000000004"), "a file, not a folder").unwrap();
    site.build(&[]).assert_ok();
    assert!(!site.path(".dist.staging-4000000000").exists() && !site.path(".dist.old-4000000001").exists());
    for kept in [".dist.old-12ab", ".dist.old-", ".dist.old-+4000000002", ".dist.backup", ".dist2.old-4000000003"] {
        assert!(site.path(kept).join("file.txt").is_file(), "{kept} was removed");
    }
    assert!(site.path(".dist.staging-4000000004").is_file());
}

fn watch(site: &Site) -> Running {
    Running::start(&["watch", "--root", site.root().to_str().unwrap()])
}

/// The pages of a clean build (its HTML files, relative to the output).
fn pages(site: &Site) -> Vec<String> {
    let clean = site.tmp.path().join("clean");
    build_to(site, &clean).assert_ok();
    tree(&clean).into_keys().filter(|p| p.ends_with(".html")).collect()
}

#[test]
fn watch_rewrites_an_output_deleted_or_changed_under_it() {
    let site = Site::fixture("bilingual");
    let mut watch = watch(&site);
    assert!(watch.next_round().starts_with("built"));
    std::fs::remove_dir_all(site.dist()).unwrap();
    save(&site.path("content/cards/lost.md"), "+++\ntitle = \"Lost card\"\n+++\nAfter rm -rf.\n");
    assert!(watch.next_round().starts_with("rebuilt"));
    for page in pages(&site) {
        assert!(site.dist().join(&page).is_file(), "{page} is missing after the rebuild");
    }
    assert!(site.dist().join(MARKER).is_file());

    std::fs::remove_file(site.dist().join("zh/index.html")).unwrap();
    std::fs::write(site.dist().join("en/index.html"), "altered").unwrap();
    std::fs::write(site.dist().join("stray.html"), "added").unwrap();
    save(&site.path("content/cards/lost.md"), "+++\ntitle = \"Lost card\"\n+++\nAgain.\n");
    assert!(watch.next_round().starts_with("rebuilt"));
    let clean = site.tmp.path().join("clean");
    build_to(&site, &clean).assert_ok();
    assert!(tree(&site.dist()) == tree(&clean), "the output is a clean build's again");
    watch.interrupt();

    // A restart takes the folder it wrote back, even after damage.
    std::fs::remove_file(site.dist().join("zh/index.html")).unwrap();
    let mut again = self::watch(&site);
    assert!(again.next_round().starts_with("built"), "{}", again.seen.join("\n"));
    assert!(site.dist().join("zh/index.html").is_file());
}

#[test]
fn a_failed_write_is_reported_the_others_land_and_it_is_tried_again() {
    let site = Site::fixture("bilingual");
    let mut watch = watch(&site);
    assert!(watch.next_round().starts_with("built"));
    // A folder where a page must go: even root cannot write a file there.
    let lost = site.dist().join("en/cards/lost/index.html");
    std::fs::remove_file(&lost).unwrap();
    std::fs::create_dir(&lost).unwrap();
    std::fs::remove_file(site.dist().join("zh/index.html")).unwrap();
    save(&site.path("content/cards/lost.md"), "+++\ntitle = \"Lost card\"\n+++\nBlocked.\n");
    let error = watch.wait_for("the failed write", |l| l.starts_with("error: cannot write "));
    assert!(error.contains(": 1 change failed (") && !error.contains("(0 files written"), "{error}");
    watch.wait_for("the failed file", |l| l.starts_with("  en/cards/lost/index.html: "));
    assert!(site.dist().join("zh/index.html").is_file(), "the other write landed");
    assert!(!watch.seen.iter().any(|l| l.starts_with("rebuilt")), "no success reported:\n{}", watch.seen.join("\n"));

    std::fs::remove_dir(&lost).unwrap();
    save(&site.path("content/cards/lost.md"), "+++\ntitle = \"Lost card\"\n+++\nUnblocked.\n");
    assert!(watch.next_round().starts_with("rebuilt"), "{}", watch.seen.join("\n"));
    assert!(site.out("en/cards/lost/index.html").contains("Unblocked."));
}
