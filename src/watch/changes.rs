//! Sorts the paths a file watcher reports into what they change (the configuration, the theme, pages,
//! office data), and gathers a burst of reports into one batch.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::site::content;

/// The folders of a site whose files go into the output, besides `content/`.
pub const THEME_FOLDERS: [&str; 4] = ["themes", "templates", "i18n", "static"];

/// What a batch of file events changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Start over: read everything again (site.toml changed, or the watcher lost events).
    pub everything: bool,
    /// A template, theme string or static file.
    pub theme: bool,
    /// Files or folders came or went in `content/`, or something there is not a page or data file.
    pub rescan: bool,
    /// Pages (`.md`), relative to `content/`.
    pub pages: BTreeSet<PathBuf>,
    /// Office or holiday data (`.toml`), relative to `content/`.
    pub data: BTreeSet<PathBuf>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// Adds what a change to `path` means for the site at `root`; paths outside it, in the output folder,
    /// in `.git` or named like an editor's temporary file change nothing.
    pub fn add(&mut self, root: &Path, output: &Path, path: &Path) {
        if path.starts_with(output) {
            return;
        }
        let Ok(rel) = path.strip_prefix(root) else { return };
        let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().to_string()).collect();
        if parts.iter().any(|p| content::is_ignored_name(p)) {
            return;
        }
        match parts.first().map(String::as_str) {
            Some(crate::site::config::FILE_NAME) if parts.len() == 1 => self.everything = true,
            Some("content") if parts.len() == 1 => self.rescan = true,
            Some("content") => {
                let in_content = rel.strip_prefix("content").unwrap_or(rel).to_path_buf();
                match in_content.extension().and_then(|e| e.to_str()) {
                    Some("md") => {
                        self.pages.insert(in_content);
                    }
                    Some("toml") => {
                        self.data.insert(in_content);
                    }
                    _ => self.rescan = true,
                }
            }
            Some(folder) if THEME_FOLDERS.contains(&folder) => self.theme = true,
            _ => {}
        }
    }
}

/// A burst of file events, gathered until it is over.
///
/// A burst is over once nothing happened for `QUIET`, or `LONGEST` after it began. While git holds its index
/// lock (a checkout, a merge, a rebase writes many files under it) the burst goes on until the lock is gone,
/// so a checkout of fifty files is one rebuild however slowly git writes them; a lock left by a crashed git
/// stops counting once nothing happened for `GIT_PATIENCE`.
#[derive(Debug, Default)]
pub struct Burst {
    paths: BTreeSet<PathBuf>,
    lost_events: bool,
    first: Option<Instant>,
    last: Option<Instant>,
}

const QUIET: Duration = Duration::from_millis(20);
const LONGEST: Duration = Duration::from_millis(500);
const GIT_PATIENCE: Duration = Duration::from_secs(2);

impl Burst {
    pub fn add(&mut self, now: Instant, paths: impl IntoIterator<Item = PathBuf>) {
        self.paths.extend(paths);
        self.first.get_or_insert(now);
        self.last = Some(now);
    }

    /// The watcher lost events: the next rebuild reads everything again.
    pub fn lost_events(&mut self, now: Instant) {
        self.lost_events = true;
        self.add(now, []);
    }

    /// When to look again whether the burst is over; none while nothing happened.
    pub fn deadline(&self) -> Option<Instant> {
        self.last.map(|last| last + QUIET)
    }

    /// Whether the burst is over at `now`, with git busy or not.
    pub fn is_over(&self, now: Instant, git_busy: bool) -> bool {
        let (Some(first), Some(last)) = (self.first, self.last) else { return false };
        let quiet = now.duration_since(last);
        if git_busy {
            return quiet >= GIT_PATIENCE;
        }
        quiet >= QUIET || now.duration_since(first) >= LONGEST
    }

    /// The changes of the burst, which starts a new one.
    pub fn take(&mut self, root: &Path, output: &Path) -> Changes {
        let burst = std::mem::take(self);
        let mut changes = Changes { everything: burst.lost_events, ..Changes::default() };
        for path in &burst.paths {
            changes.add(root, output, path);
        }
        changes
    }
}

/// The index lock git holds while it changes the work tree of the repository `root` is in, if it is in one.
pub fn git_index_lock(root: &Path) -> Option<PathBuf> {
    let root = std::fs::canonicalize(root).ok()?;
    for dir in root.ancestors() {
        let dot_git = dir.join(".git");
        if dot_git.is_dir() {
            return Some(dot_git.join("index.lock"));
        }
        // A work tree made by `git worktree add` has a `.git` file naming its own git folder.
        if let Ok(text) = std::fs::read_to_string(&dot_git) {
            let git_dir = text.strip_prefix("gitdir:")?.trim();
            return Some(dir.join(git_dir).join("index.lock"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(paths: &[&str]) -> Changes {
        let mut changes = Changes::default();
        for path in paths {
            changes.add(Path::new("/site"), Path::new("/site/dist"), &Path::new("/site").join(path));
        }
        changes
    }

    #[test]
    fn sorts_paths_by_what_they_change() {
        let c = changes(&["content/a/b.zh.md", "content/offices/x.toml", "templates/page.html"]);
        assert_eq!(c.pages.iter().collect::<Vec<_>>(), [Path::new("a/b.zh.md")]);
        assert_eq!(c.data.iter().collect::<Vec<_>>(), [Path::new("offices/x.toml")]);
        assert!(c.theme && !c.rescan && !c.everything);
        assert!(changes(&["site.toml"]).everything);
        assert!(changes(&["content/new-folder"]).rescan);
        assert!(changes(&["content"]).rescan);
        assert!(changes(&["static/logo.svg"]).theme);
    }

    #[test]
    fn ignores_output_git_and_editor_files() {
        for path in ["dist/en/index.html", ".git/index", "content/.a.md.swp", "content/a.md~", "content/#a.md#"] {
            assert!(changes(&[path]).is_empty(), "{path}");
        }
        assert!(changes(&["README.md", "content/4913"]).is_empty());
    }

    #[test]
    fn a_burst_ends_after_a_quiet_spell_or_at_the_latest_half_a_second() {
        let t0 = Instant::now();
        let mut burst = Burst::default();
        assert!(!burst.is_over(t0, false) && burst.deadline().is_none());
        burst.add(t0, [PathBuf::from("/site/content/a.md")]);
        assert!(!burst.is_over(t0 + Duration::from_millis(5), false));
        assert!(burst.is_over(t0 + QUIET, false));
        for ms in (0..=LONGEST.as_millis() as u64).step_by(10) {
            burst.add(t0 + Duration::from_millis(ms), []);
        }
        assert!(burst.is_over(t0 + LONGEST, false), "a burst that never pauses still ends");
    }

    #[test]
    fn a_burst_lasts_while_git_holds_its_lock() {
        let t0 = Instant::now();
        let mut burst = Burst::default();
        burst.add(t0, [PathBuf::from("/site/content/a.md")]);
        assert!(!burst.is_over(t0 + Duration::from_secs(1), true));
        assert!(burst.is_over(t0 + GIT_PATIENCE, true), "a stale lock does not hold rebuilds back for good");
        let c = burst.take(Path::new("/site"), Path::new("/site/dist"));
        assert_eq!(c.pages.len(), 1);
        assert!(burst.deadline().is_none(), "taking the changes starts a new burst");
    }

    #[test]
    fn finds_the_index_lock_of_a_work_tree() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("repo/.git")).unwrap();
        std::fs::create_dir_all(tmp.path().join("repo/site")).unwrap();
        let lock = git_index_lock(&tmp.path().join("repo/site")).unwrap();
        assert!(lock.ends_with("repo/.git/index.lock"), "{}", lock.display());
        std::fs::create_dir_all(tmp.path().join("wt")).unwrap();
        std::fs::write(tmp.path().join("wt/.git"), "gitdir: /elsewhere/worktrees/wt\n").unwrap();
        assert_eq!(git_index_lock(&tmp.path().join("wt")).unwrap(), Path::new("/elsewhere/worktrees/wt/index.lock"));
    }
}
