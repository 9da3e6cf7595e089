//! Shared helpers for integration tests: copy a fixture site, run the real binary, read trees of files.
#![allow(dead_code)]

pub mod edits;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fixture site copied into a temporary folder, so tests can build and edit it freely.
pub struct Site {
    pub tmp: tempfile::TempDir,
}

impl Site {
    /// Copies `tests/fixtures/<name>` (or any folder below `tests/`, e.g. `invalid/x`).
    pub fn fixture(name: &str) -> Site {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(if name.contains('/') {
            name.to_string()
        } else {
            format!("fixtures/{name}")
        });
        assert!(from.is_dir(), "no fixture at {}", from.display());
        let tmp = tempfile::tempdir().expect("a temporary folder");
        copy_dir(&from, &tmp.path().join("site"));
        Site { tmp }
    }

    pub fn empty() -> Site {
        Site { tmp: tempfile::tempdir().expect("a temporary folder") }
    }

    pub fn root(&self) -> PathBuf {
        self.tmp.path().join("site")
    }

    pub fn dist(&self) -> PathBuf {
        self.root().join("dist")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A file of the built site, as text.
    pub fn out(&self, rel: &str) -> String {
        let path = self.dist().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub fn build(&self, extra: &[&str]) -> Run {
        let root = self.root();
        let mut args = vec!["build", "--root", root.to_str().unwrap()];
        args.extend_from_slice(extra);
        diptych(&args)
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert_eq!(self.code, 0, "exit code\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }
}

/// Runs the real `diptych` binary.
pub fn diptych(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_diptych")).args(args).output().expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file below `dir`, relative path → bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    collect(dir, dir, &mut files);
    files
}

fn collect(base: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let rel = path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
            files.insert(rel, std::fs::read(&path).unwrap());
        }
    }
}

/// The `href` values of `<a>` and `<link>` elements in a page.
pub fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"").skip(1).map(|rest| rest.split('"').next().unwrap().to_string()).collect()
}
