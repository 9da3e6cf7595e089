//! The output folder as watch keeps it: which job makes which file and its bytes, and what is on disk. While
//! the site has errors nothing is written; the first good rebuild writes every file that differs from the
//! disk and removes the files no job makes any more. Before each write it looks at the disk again, so a
//! folder changed under it (deleted, files removed, altered or added) is repaired, not trusted.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::fsutil::{fingerprint, io_reason};
use crate::publish::{self, MARKER, MARKER_TEXT};
use crate::render::Job;
use crate::render::OutFile;

pub struct OutputFolder {
    dir: PathBuf,
    /// Path → what makes it.
    claims: HashMap<String, Claim>,
    /// Job → the paths it made.
    made: HashMap<Job, Vec<String>>,
    /// Path → the file on disk, as last written or seen.
    on_disk: HashMap<String, OnDisk>,
    /// Paths that no job may make any more: removed at the next flush unless a job makes them again.
    released: HashSet<String>,
    /// Paths that two jobs make, an error.
    shared: HashSet<String>,
}

/// The jobs that make a path (one, unless two pages claim one URL, which is an error) and the bytes the last
/// of them made, kept so that a file deleted from the disk can be written again without rendering.
struct Claim {
    jobs: Vec<Job>,
    bytes: Vec<u8>,
    print: u64,
}

/// A file on disk: its fingerprint, and the size and time that tell whether it changed since.
#[derive(Clone, Copy, PartialEq, Eq)]
struct OnDisk {
    print: u64,
    len: u64,
    modified: Option<SystemTime>,
}

impl OnDisk {
    fn unchanged(&self, meta: &std::fs::Metadata) -> bool {
        self.len == meta.len() && self.modified == meta.modified().ok()
    }
}

/// What a flush changed on disk.
#[derive(Debug, Default)]
pub struct Flushed {
    pub written: usize,
    pub removed: usize,
}

/// Failures listed in a failed flush; the rest are counted.
const FAILURES_SHOWN: usize = 20;

impl OutputFolder {
    /// Reads what is in `dir` already, so that files which do not change are not written again.
    pub fn open(dir: &Path) -> io::Result<OutputFolder> {
        let mut out = OutputFolder {
            dir: dir.to_path_buf(),
            claims: HashMap::new(),
            made: HashMap::new(),
            released: HashSet::new(),
            shared: HashSet::new(),
            on_disk: HashMap::new(),
        };
        out.survey().map_err(io::Error::other)?;
        Ok(out)
    }

    /// The other jobs that make a file `job` made: when `job` changes, they must render again to say what
    /// the file holds.
    pub fn sharing_files_with(&self, job: &Job) -> Vec<Job> {
        let Some(paths) = self.made.get(job) else { return Vec::new() };
        paths
            .iter()
            .filter_map(|p| self.claims.get(p))
            .flat_map(|claim| claim.jobs.iter())
            .filter(|j| *j != job)
            .cloned()
            .collect()
    }

    /// Takes the files `job` rendered, in place of those it made before. Returns the paths that no job makes
    /// any more.
    pub fn record(&mut self, job: &Job, files: Vec<OutFile>) -> Vec<String> {
        let mut released = self.forget(job);
        let mut paths = Vec::with_capacity(files.len());
        for file in files {
            let print = fingerprint(&file.bytes);
            let claim = self.claims.entry(file.path.clone()).or_insert_with(|| Claim {
                jobs: Vec::new(),
                bytes: Vec::new(),
                print,
            });
            claim.jobs.push(job.clone());
            claim.print = print;
            claim.bytes = file.bytes;
            if claim.jobs.len() > 1 {
                self.shared.insert(file.path.clone());
            }
            paths.push(file.path);
        }
        released.retain(|p| !self.claims.contains_key(p));
        self.made.insert(job.clone(), paths);
        released
    }

    /// Drops what `job` made: a file no other job makes goes at the next flush. Returns those files.
    pub fn forget(&mut self, job: &Job) -> Vec<String> {
        let mut released = Vec::new();
        for path in self.made.remove(job).unwrap_or_default() {
            if let Some(claim) = self.claims.get_mut(&path) {
                claim.jobs.retain(|j| j != job);
                if claim.jobs.len() < 2 {
                    self.shared.remove(&path);
                }
                if claim.jobs.is_empty() {
                    self.claims.remove(&path);
                    self.released.insert(path.clone());
                    released.push(path);
                }
            }
        }
        released
    }

    /// The bytes a job made for `path` last, whether written yet or not.
    pub fn bytes(&self, path: &str) -> Option<Vec<u8>> {
        self.bytes_of(path).map(<[u8]>::to_vec)
    }

    /// `bytes`, borrowed: indexing a large site for search reads every page.
    pub fn bytes_of(&self, path: &str) -> Option<&[u8]> {
        self.claims.get(path).map(|claim| claim.bytes.as_slice())
    }

    /// Every path some job makes.
    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.claims.keys()
    }

    /// Whether two jobs make `path`, which is an error.
    pub fn is_shared(&self, path: &str) -> bool {
        self.shared.contains(path)
    }

    /// Every path that two jobs make.
    pub fn shared(&self) -> impl Iterator<Item = &String> {
        self.shared.iter()
    }

    /// Brings the disk to what the jobs made: looks at the disk again, removes the files no job makes (and
    /// any added by hand), then writes the marker and every file that is missing or differs. Every write is
    /// tried; those that fail are listed in the error and tried again at the next flush.
    pub fn flush(&mut self) -> io::Result<Flushed> {
        self.survey().map_err(io::Error::other)?;
        let mut failures = Vec::new();
        // Removed first: something added by hand (a symbolic link, say) must not be written through.
        let mut gone: Vec<String> = self
            .released
            .iter()
            .filter(|p| !self.claims.contains_key(*p) && self.on_disk.contains_key(*p))
            .cloned()
            .collect();
        gone.sort();
        let mut removed = 0;
        for path in gone {
            match publish::remove_file(&self.dir, &path) {
                Ok(()) => {
                    self.on_disk.remove(&path);
                    self.released.remove(&path);
                    removed += 1;
                }
                Err(e) => failures.push(format!("{path}: cannot remove: {}", io_reason(&e))),
            }
        }
        self.released.retain(|p| !self.claims.contains_key(p) && self.on_disk.contains_key(p));
        // Before the files, so that a folder rewritten from nothing is recognisably diptych's at every moment.
        if !publish::is_owned(&self.dir)
            && let Err(e) = publish::write_file(&self.dir, MARKER, MARKER_TEXT.as_bytes())
        {
            failures.push(format!("{MARKER}: {}", io_reason(&e)));
        }
        let stale: Vec<(&String, &Claim)> = self
            .claims
            .iter()
            .filter(|(path, claim)| self.on_disk.get(*path).is_none_or(|d| d.print != claim.print))
            .collect();
        let results: Vec<(String, io::Result<OnDisk>)> = stale
            .par_iter()
            .map(|(path, claim)| {
                let written = publish::write_file(&self.dir, path, &claim.bytes)
                    .and_then(|()| std::fs::symlink_metadata(self.dir.join(path)))
                    .map(|meta| OnDisk { print: claim.print, len: meta.len(), modified: meta.modified().ok() });
                ((*path).clone(), written)
            })
            .collect();
        let mut written = 0;
        for (path, result) in results {
            match result {
                Ok(disk) => {
                    self.on_disk.insert(path, disk);
                    written += 1;
                }
                Err(e) => {
                    self.on_disk.remove(&path);
                    failures.push(format!("{path}: {}", io_reason(&e)));
                }
            }
        }
        if failures.is_empty() {
            Ok(Flushed { written, removed })
        } else {
            Err(io::Error::other(failed(failures, written, removed)))
        }
    }

    /// Compares the disk with what was written or seen before: a file gone is forgotten (and so written
    /// again), a changed one is read again, and one nobody wrote is read and released, so that the flush
    /// removes it unless a job makes it. Fails, touching nothing, if a folder without the marker holds files
    /// diptych did not write: it is not diptych's folder any more.
    fn survey(&mut self) -> Result<(), String> {
        let found = list(&self.dir)?;
        self.on_disk.retain(|path, _| found.contains_key(path));
        let unseen: Vec<(&String, &PathBuf)> = found
            .iter()
            .filter(|(rel, (_, meta))| !self.on_disk.get(*rel).is_some_and(|d| d.unchanged(meta)))
            .map(|(rel, (path, _))| (rel, path))
            .collect();
        let foreign: Vec<&String> =
            unseen.iter().map(|(rel, _)| *rel).filter(|r| !self.on_disk.contains_key(*r)).collect();
        if let Some(first) = foreign.first()
            && !publish::is_owned(&self.dir)
        {
            let more = if foreign.len() > 1 { format!(" and {} more", foreign.len() - 1) } else { String::new() };
            return Err(format!(
                "{} holds files diptych did not write ({first}{more}) and no {MARKER} file, so it is left as it \
                 is\n  help: move those files away, or delete the folder, then save a file to rebuild",
                self.dir.display()
            ));
        }
        let read: Vec<(String, OnDisk)> = unseen
            .par_iter()
            .filter_map(|(rel, path)| {
                let meta = std::fs::symlink_metadata(path).ok()?;
                // A symbolic link is never diptych's; its fingerprint only has to differ from every file's.
                let bytes = if meta.is_file() { std::fs::read(path).ok()? } else { Vec::new() };
                let print = if meta.is_file() { fingerprint(&bytes) } else { !fingerprint(&bytes) };
                Some(((*rel).clone(), OnDisk { print, len: meta.len(), modified: meta.modified().ok() }))
            })
            .collect();
        for (rel, disk) in read {
            if !self.on_disk.contains_key(&rel) && !self.claims.contains_key(&rel) {
                self.released.insert(rel.clone());
            }
            self.on_disk.insert(rel, disk);
        }
        Ok(())
    }

    /// Forgets every job, before a rebuild that renders them all again.
    pub fn forget_all(&mut self) {
        self.claims.clear();
        self.made.clear();
        self.shared.clear();
        self.released = self.on_disk.keys().cloned().collect();
    }
}

/// Every file and symbolic link below `dir` but the marker: relative path → its path and metadata. A missing
/// folder is empty.
fn list(dir: &Path) -> Result<HashMap<String, (PathBuf, std::fs::Metadata)>, String> {
    if !dir.is_dir() {
        return Ok(HashMap::new());
    }
    // A page is a folder of its own, so a large site is tens of thousands of folders to read: the top
    // folders (one per language, `static/`, …) are read side by side.
    let top: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    };
    let parts: Vec<Result<Vec<Listed>, String>> = top.par_iter().map(|path| list_below(dir, path)).collect();
    let mut found = HashMap::new();
    for part in parts {
        for (rel, path, meta) in part? {
            found.insert(rel, (path, meta));
        }
    }
    Ok(found)
}

/// A file found on disk: its path relative to the output folder, its path, and what `stat` says of it.
type Listed = (String, PathBuf, std::fs::Metadata);

/// The files at and below `path`, one of the entries of the output folder `dir`.
fn list_below(dir: &Path, path: &Path) -> Result<Vec<Listed>, String> {
    let mut found = Vec::new();
    for item in walkdir::WalkDir::new(path) {
        let item = match item {
            Ok(item) => item,
            // Gone while listing: a file removed under us is simply not there.
            Err(e) if e.io_error().is_some_and(|e| e.kind() == io::ErrorKind::NotFound) => continue,
            Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
        };
        if item.file_type().is_dir() {
            continue;
        }
        let rel = crate::site::content::display(item.path().strip_prefix(dir).unwrap_or(item.path()));
        if rel == MARKER {
            continue;
        }
        if let Ok(meta) = item.path().symlink_metadata() {
            found.push((rel, item.path().to_path_buf(), meta));
        }
    }
    Ok(found)
}

/// The text of a flush that failed in part: each failure, and what was done anyway.
fn failed(failures: Vec<String>, written: usize, removed: usize) -> String {
    let count = failures.len();
    let mut text = format!(
        "{count} change{} failed ({written} file{} written, {removed} removed):",
        if count == 1 { "" } else { "s" },
        if written == 1 { "" } else { "s" }
    );
    for failure in failures.iter().take(FAILURES_SHOWN) {
        text.push_str(&format!("\n  {failure}"));
    }
    if count > FAILURES_SHOWN {
        text.push_str(&format!("\n  and {} more", count - FAILURES_SHOWN));
    }
    text.push_str("\n  help: fix what stops these writes; the next rebuild tries them again");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(key: &str) -> Job {
        Job::Page { key: key.into(), lang: "en".into() }
    }

    fn file(path: &str, text: &str) -> OutFile {
        OutFile { path: path.into(), bytes: text.as_bytes().to_vec() }
    }

    #[test]
    fn writes_only_what_differs_and_removes_what_no_job_makes() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(MARKER), MARKER_TEXT).unwrap();
        std::fs::create_dir_all(tmp.path().join("en/old")).unwrap();
        std::fs::write(tmp.path().join("en/old/index.html"), "old").unwrap();
        std::fs::write(tmp.path().join("index.html"), "same").unwrap();
        let mut out = OutputFolder::open(tmp.path()).unwrap();
        out.record(&page("_index.md"), vec![file("index.html", "same")]);
        out.record(&page("a.md"), vec![file("en/a/index.html", "a")]);
        let flushed = out.flush().unwrap();
        assert_eq!((flushed.written, flushed.removed), (1, 1));
        assert!(!tmp.path().join("en/old").exists());
        out.record(&page("a.md"), vec![file("en/b/index.html", "a")]);
        assert_eq!(out.flush().unwrap().removed, 1, "a page that moved leaves its old file");
        assert!(tmp.path().join("en/b/index.html").is_file() && !tmp.path().join("en/a").exists());
    }

    #[test]
    fn a_shared_file_stays_while_one_job_still_makes_it() {
        let tmp = tempfile::tempdir().unwrap();
        let mut out = OutputFolder::open(tmp.path()).unwrap();
        out.record(&page("a.md"), vec![file("en/x/index.html", "a")]);
        out.record(&page("b.md"), vec![file("en/x/index.html", "b")]);
        assert_eq!(out.sharing_files_with(&page("b.md")), vec![page("a.md")]);
        out.forget(&page("b.md"));
        out.record(&page("a.md"), vec![file("en/x/index.html", "a")]);
        out.flush().unwrap();
        assert_eq!(std::fs::read_to_string(tmp.path().join("en/x/index.html")).unwrap(), "a");
    }

    #[test]
    fn repairs_a_folder_changed_under_it() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("dist");
        let mut out = OutputFolder::open(&dir).unwrap();
        out.record(&page("a.md"), vec![file("en/a/index.html", "a"), file("en/b/index.html", "b")]);
        out.flush().unwrap();
        assert!(dir.join(MARKER).is_file(), "the marker is written with the first files");
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(out.flush().unwrap().written, 2, "a deleted folder is written again whole");
        std::fs::write(dir.join("en/a/index.html"), "altered").unwrap();
        std::fs::write(dir.join("added.html"), "mine").unwrap();
        let flushed = out.flush().unwrap();
        assert_eq!((flushed.written, flushed.removed), (1, 1));
        assert_eq!(std::fs::read_to_string(dir.join("en/a/index.html")).unwrap(), "a");
        assert!(!dir.join("added.html").exists(), "a file added to diptych's folder goes, as a build would do");
    }

    #[test]
    fn a_failed_write_does_not_stop_the_others_and_is_tried_again() {
        let tmp = tempfile::tempdir().unwrap();
        let mut out = OutputFolder::open(tmp.path()).unwrap();
        std::fs::create_dir_all(tmp.path().join("en/a/index.html")).unwrap();
        out.record(&page("a.md"), vec![file("en/a/index.html", "a"), file("en/b/index.html", "b")]);
        let error = out.flush().unwrap_err().to_string();
        assert!(error.starts_with("1 change failed (1 file written, 0 removed):\n  en/a/index.html: "), "{error}");
        assert_eq!(std::fs::read_to_string(tmp.path().join("en/b/index.html")).unwrap(), "b");
        std::fs::remove_dir(tmp.path().join("en/a/index.html")).unwrap();
        assert_eq!(out.flush().unwrap().written, 1, "the failed write is tried again");
    }

    #[test]
    fn leaves_a_folder_that_is_no_longer_its_own() {
        let tmp = tempfile::tempdir().unwrap();
        let mut out = OutputFolder::open(tmp.path()).unwrap();
        out.record(&page("a.md"), vec![file("en/a/index.html", "a")]);
        out.flush().unwrap();
        std::fs::remove_file(tmp.path().join(MARKER)).unwrap();
        std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
        assert!(out.flush().unwrap_err().to_string().contains("holds files diptych did not write (notes.txt)"));
        assert_eq!(std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(), "mine");
    }
}
