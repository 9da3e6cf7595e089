//! Live reload: which build the server shows, the pages' connections waiting for the next one (server-sent
//! events), and what is added to every served page: the reload script and, while the build has errors, an
//! overlay listing them; while it has only warnings, a collapsed count that opens to their list. Nothing of
//! this is ever written to the output folder.

use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, Sender};

use crate::diag::{Diagnostic, Severity};
use crate::html::escape;

/// Where the server answers for itself, outside any site's paths.
pub const PREFIX: &str = "/__diptych/";
pub const EVENTS: &str = "/__diptych/events";
pub const SCRIPT: &str = "/__diptych/live.js";
pub const STYLE: &str = "/__diptych/live.css";

pub const SCRIPT_SOURCE: &str = include_str!("live.js");
pub const STYLE_SOURCE: &str = include_str!("live.css");

/// What the server shows now.
#[derive(Clone, Debug)]
pub struct Status {
    /// Names the build shown: changes after every rebuild, and differs between two runs of the server, so a
    /// page left open across a restart reloads too.
    pub generation: String,
    pub base_path: String,
    /// The errors of the current build; the output folder holds the last good one.
    pub errors: Vec<Diagnostic>,
    /// The warnings of the current build: the same ones `build` and `check` report.
    pub warnings: Vec<Diagnostic>,
}

/// The status shared by the watch loop and the connections, and the pages waiting for the next build.
pub struct Live {
    status: Mutex<Status>,
    waiting: Mutex<Vec<Sender<String>>>,
    started: u128,
    rounds: Mutex<u64>,
}

impl Live {
    pub fn new() -> Live {
        let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis());
        let status = Status {
            generation: format!("{started}-0"),
            base_path: "/".into(),
            errors: Vec::new(),
            warnings: Vec::new(),
        };
        Live { status: Mutex::new(status), waiting: Mutex::new(Vec::new()), started, rounds: Mutex::new(0) }
    }

    pub fn status(&self) -> Status {
        self.status.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Takes the result of a build, and tells every waiting page.
    pub fn update(&self, base_path: Option<&str>, problems: &[Diagnostic]) {
        let mut rounds = self.rounds.lock().unwrap_or_else(|e| e.into_inner());
        *rounds += 1;
        let generation = format!("{}-{rounds}", self.started);
        {
            let mut status = self.status.lock().unwrap_or_else(|e| e.into_inner());
            status.generation = generation.clone();
            if let Some(base_path) = base_path {
                status.base_path = base_path.to_string();
            }
            let (errors, warnings) = problems.iter().cloned().partition(|p| p.severity == Severity::Error);
            status.errors = errors;
            status.warnings = warnings;
        }
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        waiting.retain(|page| page.send(generation.clone()).is_ok());
    }

    /// A channel that receives the generation of every build from now on.
    pub fn subscribe(&self) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        self.waiting.lock().unwrap_or_else(|e| e.into_inner()).push(tx);
        rx
    }
}

/// One server-sent event.
pub fn event(name: &str, data: &str) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

/// Adds the reload script, and the overlay if there are errors (else the warnings, collapsed), before the
/// page's `</body>`.
pub fn inject(html: &[u8], status: &Status) -> Vec<u8> {
    let mut snippet = String::new();
    if !status.errors.is_empty() {
        snippet.push_str(&overlay(&status.errors));
    } else if !status.warnings.is_empty() {
        snippet.push_str(&warnings(&status.warnings));
    }
    let _ = writeln!(snippet, "<script src=\"{SCRIPT}\" data-generation=\"{}\" defer></script>", status.generation);
    let at = find_last_ignoring_case(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn overlay(errors: &[Diagnostic]) -> String {
    let mut html = format!(
        "<link rel=\"stylesheet\" href=\"{STYLE}\">\n<div id=\"diptych-overlay\" role=\"alertdialog\" aria-labelledby=\"diptych-overlay-title\">\n<p id=\"diptych-overlay-title\"><strong>The site has {} error{}.</strong> This is the last good build; it will reload when the errors are fixed.</p>\n<ol>\n",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    );
    list_items(&mut html, errors);
    html.push_str("</ol>\n<button type=\"button\" data-dismiss>Dismiss</button>\n</div>\n");
    html
}

/// A small closed box in a corner, `3 warnings`, that opens to their list: visible, but not in the way.
fn warnings(warnings: &[Diagnostic]) -> String {
    let mut html = format!(
        "<link rel=\"stylesheet\" href=\"{STYLE}\">\n<details id=\"diptych-warnings\">\n<summary>{} warning{}</summary>\n<ol>\n",
        warnings.len(),
        if warnings.len() == 1 { "" } else { "s" }
    );
    list_items(&mut html, warnings);
    html.push_str("</ol>\n</details>\n");
    html
}

fn list_items(html: &mut String, problems: &[Diagnostic]) {
    for problem in problems {
        let position = match (problem.line, problem.column) {
            (0, _) => problem.path.clone(),
            (line, 0) => format!("{}:{line}", problem.path),
            (line, column) => format!("{}:{line}:{column}", problem.path),
        };
        let _ = write!(html, "<li><code>{}</code> {}", escape(&position), escape(&problem.message));
        if let Some(help) = &problem.help {
            let _ = write!(html, "<br><small>help: {}</small>", escape(help));
        }
        html.push_str("</li>\n");
    }
}

fn find_last_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;

    fn status(errors: Vec<Diagnostic>) -> Status {
        Status { generation: "7-3".into(), base_path: "/".into(), errors, warnings: Vec::new() }
    }

    #[test]
    fn warnings_show_as_a_collapsed_count() {
        let at = Location { path: "content/a.zh.md".into(), line: 0, column: 0, source_line: None };
        let warning = Diagnostic::warning(crate::diag::Code::OutdatedTranslation, at, "this translation is outdated");
        let only_warnings = Status { warnings: vec![warning.clone()], ..status(Vec::new()) };
        let page = String::from_utf8(inject(b"<body></body>", &only_warnings)).unwrap();
        assert!(page.contains("<details id=\"diptych-warnings\">\n<summary>1 warning</summary>"), "{page}");
        assert!(page.contains("<li><code>content/a.zh.md</code> this translation is outdated</li>"), "{page}");
        let both = Status { warnings: vec![warning.clone()], ..status(vec![warning]) };
        let page = String::from_utf8(inject(b"<body></body>", &both)).unwrap();
        assert!(!page.contains("diptych-warnings"), "errors take the place of the warnings: {page}");
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let page = inject(b"<html><body><p>x</p></BODY></html>", &status(Vec::new()));
        let page = String::from_utf8(page).unwrap();
        assert_eq!(
            page,
            "<html><body><p>x</p><script src=\"/__diptych/live.js\" data-generation=\"7-3\" defer></script>\n</BODY></html>"
        );
    }

    #[test]
    fn the_overlay_lists_each_error_with_its_position() {
        let at = Location { path: "content/a.md".into(), line: 3, column: 7, source_line: None };
        let error = Diagnostic::error(crate::diag::Code::UnknownKey, at, "unknown field `titel`")
            .with_help("did you mean `title`?");
        let page = String::from_utf8(inject(b"<body></body>", &status(vec![error]))).unwrap();
        assert!(page.contains("<li><code>content/a.md:3:7</code> unknown field `titel`<br><small>help: did you mean `title`?</small></li>"), "{page}");
        assert!(page.contains("<button type=\"button\" data-dismiss>Dismiss</button>"));
        assert!(page.contains("The site has 1 error."));
    }

    #[test]
    fn waiting_pages_hear_of_every_build() {
        let live = Live::new();
        let page = live.subscribe();
        live.update(Some("/guide/"), &[]);
        let generation = page.try_recv().unwrap();
        assert_eq!(live.status().generation, generation);
        assert_eq!(live.status().base_path, "/guide/");
        drop(page);
        live.update(None, &[]);
        assert!(live.waiting.lock().unwrap().is_empty(), "a closed page is forgotten");
    }
}
