//! `diptych watch`: keeps the output folder up to date while the site's files change, rebuilding only what a
//! change reaches, and keeps watching through errors, leaving the last good output in place.

mod changes;
mod links;
mod output;
mod state;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Instant;

use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};

pub use changes::{Burst, Changes};
pub use output::Flushed;
pub use state::{Round, State};

use crate::diag::{Diagnostic, Failure, Severity};
use crate::fsutil;
use crate::pipeline::{self, BuildOptions};

/// What the watch loop waits for: file events, or the request to stop.
pub enum Signal {
    Files(notify::Result<notify::Event>),
    Stop,
}

/// The channel the watch loop listens on. `stopper` gives a function that ends the loop, for Ctrl-C.
pub struct Signals {
    tx: Sender<Signal>,
    rx: Receiver<Signal>,
}

impl Default for Signals {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel();
        Signals { tx, rx }
    }
}

impl Signals {
    pub fn stopper(&self) -> impl Fn() + Send + 'static {
        let tx = self.tx.clone();
        move || {
            let _ = tx.send(Signal::Stop);
        }
    }
}

/// Builds the site, then rebuilds it after every burst of changes until a stop signal, calling `on_round`
/// after each build. Fails only when the folder is not a site, or the output or the watcher cannot be set up.
pub fn watch(
    options: &BuildOptions,
    signals: Signals,
    mut on_round: impl FnMut(&State, &Round),
) -> Result<(), Failure> {
    let root = std::fs::canonicalize(&options.root)
        .map_err(|e| Failure::Usage(format!("cannot read {}: {}", options.root.display(), fsutil::io_reason(&e))))?;
    let out = absolute(&options.output_dir());
    let mut watcher = FolderWatcher::start(&root, signals.tx.clone())?;
    let load = options.load_options();
    let (mut state, round) = State::start(&root, &out, load)?;
    on_round(&state, &round);
    let git_lock = changes::git_index_lock(&root);
    let git_busy = || git_lock.as_ref().is_some_and(|lock| lock.exists());
    let mut burst = Burst::default();
    loop {
        let signal = match burst.deadline() {
            Some(deadline) => signals.rx.recv_timeout(deadline.saturating_duration_since(Instant::now())),
            None => signals.rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match signal {
            Ok(Signal::Stop) | Err(RecvTimeoutError::Disconnected) => return Ok(()),
            Ok(Signal::Files(Ok(event))) if event.need_rescan() => burst.lost_events(Instant::now()),
            // Reading a file is an event too, and every rebuild reads the theme.
            Ok(Signal::Files(Ok(event))) if event.kind.is_access() => {}
            Ok(Signal::Files(Ok(event))) => {
                watcher.follow_new_folders(&event.paths);
                burst.add(Instant::now(), event.paths);
            }
            Ok(Signal::Files(Err(_))) => burst.lost_events(Instant::now()),
            Err(RecvTimeoutError::Timeout) => {}
        }
        if burst.is_over(Instant::now(), git_busy()) {
            let changes = burst.take(&root, &out);
            if !changes.is_empty() {
                let round = state.apply(&changes);
                on_round(&state, &round);
            }
        }
    }
}

/// The notify watcher over the folders of a site that go into its output.
struct FolderWatcher {
    root: PathBuf,
    inner: RecommendedWatcher,
}

impl FolderWatcher {
    fn start(root: &Path, tx: Sender<Signal>) -> Result<FolderWatcher, Failure> {
        let inner = notify::recommended_watcher(move |event| {
            let _ = tx.send(Signal::Files(event));
        })
        .map_err(watch_failure)?;
        let mut watcher = FolderWatcher { root: root.to_path_buf(), inner };
        // The root itself without its subfolders: site.toml, and folders that appear later. The output
        // folder, usually `dist/` at the root, is never watched.
        watcher.inner.watch(root, RecursiveMode::NonRecursive).map_err(watch_failure)?;
        for name in std::iter::once("content").chain(changes::THEME_FOLDERS) {
            let folder = root.join(name);
            if folder.is_dir() {
                watcher.inner.watch(&folder, RecursiveMode::Recursive).map_err(watch_failure)?;
            }
        }
        Ok(watcher)
    }

    /// Watches a site folder that was just created (or moved in), such as a new `templates/`.
    fn follow_new_folders(&mut self, paths: &[PathBuf]) {
        for path in paths {
            let name = path.strip_prefix(&self.root).ok().and_then(|r| r.to_str());
            if name.is_some_and(|n| n == "content" || changes::THEME_FOLDERS.contains(&n)) && path.is_dir() {
                let _ = self.inner.watch(path, RecursiveMode::Recursive);
            }
        }
    }
}

fn watch_failure(err: notify::Error) -> Failure {
    let help = match err.kind {
        notify::ErrorKind::MaxFilesWatch => {
            "\n  help: raise the limit of watched folders: sysctl fs.inotify.max_user_watches=524288"
        }
        _ => "",
    };
    Failure::Usage(format!("cannot watch the site's files: {err}{help}"))
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(path) }
}

/// Turns rounds into what the terminal shows: every error each time, a warning only the first time it appears.
#[derive(Default)]
pub struct Reporter {
    /// A fingerprint of each warning of the last round: a large site can have tens of thousands, and a copy
    /// of each every round cost more than the round's rendering.
    warnings: HashSet<u64>,
    rounds: usize,
}

/// A warning's fingerprint, the same for the same warning in every round.
fn fingerprint(problem: &Diagnostic) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(problem)
}

/// What to print after a round.
pub struct Report {
    /// The problems to show, one `path:line:col: …` text each.
    pub problems: Vec<String>,
    /// One line: what was built, or why nothing was written.
    pub summary: String,
    pub failed: bool,
}

impl Reporter {
    pub fn report(&mut self, round: &Round, output: &Path) -> Report {
        self.rounds += 1;
        let warnings: HashSet<u64> =
            round.problems.iter().filter(|p| p.severity == Severity::Warning).map(fingerprint).collect();
        let problems = round
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error || !self.warnings.contains(&fingerprint(p)))
            .map(Diagnostic::render_short)
            .collect();
        let warning_count = warnings.len();
        self.warnings = warnings;
        let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let errors = round.errors();
        let summary = if errors > 0 {
            format!(
                "build failed: {}, {}; the output was not changed, watching for the fix",
                plural(errors, "error"),
                plural(warning_count, "warning")
            )
        } else if let Some(reason) = &round.write_error {
            format!("error: cannot write {}: {reason}", output.display())
        } else {
            let flushed = round.flushed.as_ref();
            format!(
                "{} {} · {} rendered, {} written, {} removed · {} · {} ms",
                if self.rounds == 1 { "built" } else { "rebuilt" },
                pipeline::pages_summary(&round.pages, &round.fallbacks),
                round.rendered,
                plural(flushed.map_or(0, |f| f.written), "file"),
                flushed.map_or(0, |f| f.removed),
                plural(warning_count, "warning"),
                round.elapsed.as_millis()
            )
        };
        Report { problems, summary, failed: errors > 0 || round.write_error.is_some() }
    }
}
