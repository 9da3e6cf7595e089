//! The output folder as watch keeps it: which job makes which file, what is on disk, and what is rendered
//! but not written yet. While the site has errors nothing is written; the first good rebuild writes every
//! file that differs from the disk and removes the files no job makes any more.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::fsutil::fingerprint;
use crate::publish::{self, OutFile};
use crate::render::Job;

pub struct OutputFolder {
    dir: PathBuf,
    /// Path → the jobs that make it (one, unless two pages claim one URL, which is an error) and the
    /// fingerprint of the bytes the last of them made.
    claims: HashMap<String, (Vec<Job>, u64)>,
    /// Job → the paths it made.
    made: HashMap<Job, Vec<String>>,
    /// Path → fingerprint of the file on disk.
    on_disk: HashMap<String, u64>,
    /// Bytes that differ from the disk, not written yet.
    unwritten: HashMap<String, Vec<u8>>,
    /// Paths that no job may make any more: removed at the next flush unless a job makes them again.
    released: HashSet<String>,
    /// Paths that two jobs make, an error.
    shared: HashSet<String>,
}

/// What a flush changed on disk.
#[derive(Debug, Default)]
pub struct Flushed {
    pub written: usize,
    pub removed: usize,
}

impl OutputFolder {
    /// Reads what is in `dir` already, so that files which do not change are not written again.
    pub fn open(dir: &Path) -> io::Result<OutputFolder> {
        let mut files = Vec::new();
        if dir.is_dir() {
            for item in walkdir::WalkDir::new(dir) {
                let item = item.map_err(io::Error::other)?;
                if item.file_type().is_file() {
                    let rel = crate::site::content::display(item.path().strip_prefix(dir).unwrap_or(item.path()));
                    files.push((rel, item.path().to_path_buf()));
                }
            }
        }
        let on_disk: HashMap<String, u64> = files
            .par_iter()
            .map(|(rel, path)| std::fs::read(path).map(|bytes| (rel.clone(), fingerprint(&bytes))))
            .collect::<io::Result<_>>()?;
        Ok(OutputFolder {
            dir: dir.to_path_buf(),
            claims: HashMap::new(),
            made: HashMap::new(),
            released: on_disk.keys().cloned().collect(),
            shared: HashSet::new(),
            on_disk,
            unwritten: HashMap::new(),
        })
    }

    /// The other jobs that make a file `job` made: when `job` changes, they must render again to say what
    /// the file holds.
    pub fn sharing_files_with(&self, job: &Job) -> Vec<Job> {
        let Some(paths) = self.made.get(job) else { return Vec::new() };
        paths
            .iter()
            .filter_map(|p| self.claims.get(p))
            .flat_map(|(jobs, _)| jobs.iter())
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
            let claim = self.claims.entry(file.path.clone()).or_insert_with(|| (Vec::new(), print));
            claim.0.push(job.clone());
            claim.1 = print;
            if claim.0.len() > 1 {
                self.shared.insert(file.path.clone());
            }
            if self.on_disk.get(&file.path) == Some(&print) {
                self.unwritten.remove(&file.path);
            } else {
                self.unwritten.insert(file.path.clone(), file.bytes);
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
            if let Some((jobs, _)) = self.claims.get_mut(&path) {
                jobs.retain(|j| j != job);
                if jobs.len() < 2 {
                    self.shared.remove(&path);
                }
                if jobs.is_empty() {
                    self.claims.remove(&path);
                    self.unwritten.remove(&path);
                    self.released.insert(path.clone());
                    released.push(path);
                }
            }
        }
        released
    }

    /// The bytes a job made for `path` last, whether written yet or not.
    pub fn bytes(&self, path: &str) -> Option<Vec<u8>> {
        if !self.claims.contains_key(path) {
            return None;
        }
        self.unwritten.get(path).cloned().or_else(|| std::fs::read(self.dir.join(path)).ok())
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

    /// Writes every file that differs from the disk and removes the files no job makes.
    pub fn flush(&mut self) -> io::Result<Flushed> {
        let writes: Vec<(String, Vec<u8>)> = self.unwritten.drain().collect();
        writes.par_iter().try_for_each(|(path, bytes)| publish::write_file(&self.dir, path, bytes))?;
        for (path, bytes) in &writes {
            self.on_disk.insert(path.clone(), fingerprint(bytes));
        }
        let mut gone: Vec<String> =
            self.released.drain().filter(|p| !self.claims.contains_key(p) && self.on_disk.contains_key(p)).collect();
        gone.sort();
        for path in &gone {
            publish::remove_file(&self.dir, path)?;
            self.on_disk.remove(path);
        }
        Ok(Flushed { written: writes.len(), removed: gone.len() })
    }

    /// Forgets every job, before a rebuild that renders them all again.
    pub fn forget_all(&mut self) {
        self.claims.clear();
        self.made.clear();
        self.unwritten.clear();
        self.shared.clear();
        self.released = self.on_disk.keys().cloned().collect();
    }
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
}
