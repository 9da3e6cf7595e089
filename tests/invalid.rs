//! The corpus of invalid sites: every folder in `tests/invalid/` is a site with problems, and its `expected`
//! file holds exactly what `diptych check --format short` prints for it. For each case: no panic, exit code 1,
//! every problem in one run, the same problems as JSON, and a `build` that leaves an existing dist/ untouched.
//!
//! A case may have an `args` file (more options for `check`, e.g. `--strict` where the case is about
//! warnings) and a `setup` file, for what git cannot hold, one action a line:
//!   `symlink LINK TARGET`      creates a symbolic link
//!   `repeat FILE COUNT TEXT`   inserts COUNT lines of TEXT before the last line of FILE
//!
//! Each case is its own trial: `cargo test invalid::unknown_keys` runs one. To rewrite the expected files after a
//! deliberate change of messages: `DIPTYCH_BLESS=1 cargo test --test invalid`, then read the diff.

mod common;

use std::path::Path;

use common::{Site, diptych, tree};
use libtest_mimic::{Arguments, Failed, Trial};

/// Freshness is measured against a fixed day, so that the expected output does not age.
const TODAY: &str = "2026-11-27";

/// One trial per case, named `invalid::<folder with - as _>`, so `cargo test invalid::unknown_keys` runs one case
/// and a failure names its case.
fn main() {
    let args = Arguments::from_args();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid");
    let cases = cases(&dir);
    let count = cases.len();
    let mut trials = vec![Trial::test("invalid::the_corpus_has_at_least_40_cases", move || {
        if count >= 40 { Ok(()) } else { Err(format!("the corpus has {count} cases").into()) }
    })];
    trials.extend(cases.into_iter().map(|case| {
        let dir = dir.clone();
        Trial::test(format!("invalid::{}", case.replace('-', "_")), move || run_case(&dir, &case).map_err(Failed::from))
    }));
    libtest_mimic::run(&args, trials).exit();
}

/// The case folders, by name, sorted.
fn cases(dir: &Path) -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(dir)
        .expect("tests/invalid exists")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

fn run_case(dir: &Path, case: &str) -> Result<(), String> {
    let site = Site::fixture(&format!("invalid/{case}"));
    for file in ["expected", "args", "setup"] {
        let _ = std::fs::remove_file(site.path(file));
    }
    let setup = std::fs::read_to_string(dir.join(case).join("setup")).unwrap_or_default();
    for line in setup.lines().filter(|l| !l.trim().is_empty()) {
        apply(&site, line);
    }
    let extra = std::fs::read_to_string(dir.join(case).join("args")).unwrap_or_default();
    let extra: Vec<&str> = extra.split_whitespace().collect();
    let root = site.root();
    let check = |format: &str| {
        let mut args = vec!["check", "--root", root.to_str().unwrap(), "--today", TODAY, "--format", format];
        args.extend(&extra);
        diptych(&args)
    };

    let short = check("short");
    if short.code != 1 || !short.stderr.is_empty() {
        return Err(format!(
            "exit code {} (expected 1)\nstdout:\n{}stderr:\n{}",
            short.code, short.stdout, short.stderr
        ));
    }
    let expected_path = dir.join(case).join("expected");
    if std::env::var_os("DIPTYCH_BLESS").is_some() {
        std::fs::write(&expected_path, &short.stdout).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    if short.stdout != expected {
        return Err(format!("check printed\n{}\nbut {} expects\n{}", short.stdout, expected_path.display(), expected));
    }

    let json = check("json");
    let objects: Vec<serde_json::Value> =
        json.stdout.lines().map(|l| serde_json::from_str(l).expect("each line is a JSON object")).collect();
    let problems = short.stdout.lines().filter(|l| !l.starts_with("  help: ") && !l.starts_with("check: ")).count();
    if json.code != 1 || objects.len() != problems {
        return Err(format!("JSON gave {} objects for {problems} problems:\n{}", objects.len(), json.stdout));
    }
    if site.dist().exists() {
        return Err("check wrote dist/".into());
    }
    keeps_dist(&site, !extra.contains(&"--strict"))
}

/// A build over an existing dist/ must leave it as it was, where the site has errors. Where the case is about
/// warnings (checked with --strict), the build succeeds, as builds with warnings do.
fn keeps_dist(site: &Site, has_errors: bool) -> Result<(), String> {
    // The marker makes it a folder diptych wrote; another is never replaced (issue 10).
    site.write("dist/.diptych-output", "written by diptych\n");
    site.write("dist/index.html", "<p>the previous build</p>\n");
    site.write("dist/en/index.html", "<p>the previous English home</p>\n");
    let before = tree(&site.dist());
    let build = site.build(&[]);
    match (has_errors, build.code) {
        (true, 1) if tree(&site.dist()) == before => Ok(()),
        (true, 1) => Err("build changed dist/".into()),
        (false, 0) => Ok(()),
        (_, code) => Err(format!("build exited with {code}\n{}", build.stderr)),
    }
}

fn apply(site: &Site, line: &str) {
    let words: Vec<&str> = line.splitn(4, ' ').collect();
    match words.as_slice() {
        ["symlink", link, target] => {
            std::os::unix::fs::symlink(target, site.path(link)).expect("a symbolic link");
        }
        ["repeat", file, count, text] => {
            let path = site.path(file);
            let original = std::fs::read_to_string(&path).unwrap();
            let body = original.trim_end_matches('\n');
            let (head, last) = body.rsplit_once('\n').unwrap();
            let filler = format!("{text}\n").repeat(count.parse().unwrap());
            std::fs::write(&path, format!("{head}\n{filler}{last}\n")).unwrap();
        }
        _ => panic!("unknown setup action: {line}"),
    }
}
