//! Whether each translation is up to date with its original (`commands::mark` records that one is).
//!
//! A translation records the version of the original it translates in its front matter:
//!
//! ```toml
//! [translation]
//! source_hash = "v2-5b1e6f0c8d2a4e7b"   # written by `diptych mark-translated`
//! source_blob = "…"                      # the original's git blob id, for `diptych diff`
//! ```
//!
//! The hash is the fingerprint of the original's translatable text (see `text`): formatting, comments,
//! `weight` or `reviewed` do not change it. When that text changes, the hash no longer matches and `check`
//! reports the translation as outdated; `diptych diff` shows what changed. A bare 16-digit hash is the
//! whole-file mark of an older diptych, which cannot be compared and is reported as such. A translation without the mark is outdated when
//! its original was `reviewed` later than it was, and otherwise reported as unmarked.

pub mod numbers;
pub mod text;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::site::Site;
use crate::site::config::Config;
use crate::site::content::{Content, Doc, Entry};
use crate::site::date::Date;
use rayon::prelude::*;

/// How a translation stands against its original.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Missing,
    UpToDate,
    /// Marked, but the original's text has changed since.
    Changed,
    /// Not marked, and the original was reviewed after the translation.
    ReviewedLater {
        original: Date,
        translation: Date,
    },
    /// Not marked: nothing says which version of the original it translates.
    Unmarked,
    /// Marked by an older diptych, whose whole-file hash cannot be compared.
    OldMark,
}

/// The mark of an original: the fingerprint of its translatable text.
pub fn source_hash(original: &Doc) -> String {
    text::fingerprint(&text::translatable(&original.front, original.body()))
}

/// The state of `entry` in `lang`, or `None` where there is nothing to compare: `lang` is the default
/// language, or the entry has no original in it.
pub fn state(config: &Config, content: &Content, entry: &Entry, lang: &str) -> Option<State> {
    if lang == config.default_language {
        return None;
    }
    let original = &content.docs[*entry.versions.get(&config.default_language)?];
    let Some(&translation) = entry.versions.get(lang) else { return Some(State::Missing) };
    Some(compare(original, &content.docs[translation]))
}

fn compare(original: &Doc, translation: &Doc) -> State {
    compare_with(original, translation, || source_hash(original))
}

/// `compare`, with the original's mark made by `original_hash` only where the translation has a mark.
fn compare_with(original: &Doc, translation: &Doc, original_hash: impl FnOnce() -> String) -> State {
    if let Some(mark) = &translation.front.translation {
        let hash = mark.get_ref().source_hash.get_ref();
        return if !hash.starts_with(text::MARK_PREFIX) {
            State::OldMark
        } else if *hash == original_hash() {
            State::UpToDate
        } else {
            State::Changed
        };
    }
    match (&original.front.reviewed, &translation.front.reviewed) {
        (Some(o), Some(t)) if o.get_ref() > t.get_ref() => {
            State::ReviewedLater { original: *o.get_ref(), translation: *t.get_ref() }
        }
        _ => State::Unmarked,
    }
}

/// What the translation checks read from one text: its mark and its numbers. Kept by `Memo`.
struct Read {
    hash: String,
    numbers: Vec<numbers::Found>,
}

fn read(doc: &Doc) -> Read {
    let translatable = text::translatable(&doc.front, doc.body());
    Read { hash: text::fingerprint(&translatable), numbers: numbers::numbers(&translatable) }
}

/// What the checks read from each text, by the Doc's revision: `watch` keeps one across rounds, so a round
/// reads again only the texts that changed instead of every text of the site.
/// `Memo::default()` keeps nothing: a single pass (`build`, `check`) reads each text once anyway.
#[derive(Default)]
pub struct Memo {
    keeps: bool,
    read: Mutex<HashMap<u64, Arc<Read>>>,
    /// (original, translation) revisions → what comparing their numbers found.
    compared: Mutex<HashMap<(u64, u64), Option<Diagnostic>>>,
}

impl Memo {
    /// A memo that keeps what it read, for `watch`.
    pub fn kept() -> Self {
        Memo { keeps: true, read: Default::default(), compared: Default::default() }
    }

    fn get(&self, doc: &Doc) -> Arc<Read> {
        if !self.keeps {
            return Arc::new(read(doc));
        }
        let known = self.read.lock().ok().and_then(|m| m.get(&doc.revision).cloned());
        known.unwrap_or_else(|| {
            let read = Arc::new(read(doc));
            if let Ok(mut m) = self.read.lock() {
                m.insert(doc.revision, read.clone());
            }
            read
        })
    }

    /// Forgets the texts `content` no longer has.
    pub fn keep_only(&self, content: &Content) {
        let current: HashSet<u64> = content.docs.iter().map(|d| d.revision).collect();
        if let Ok(mut m) = self.read.lock() {
            m.retain(|revision, _| current.contains(revision));
        }
        if let Ok(mut m) = self.compared.lock() {
            m.retain(|(a, b), _| current.contains(a) && current.contains(b));
        }
    }

    /// The numbers warning of `translation` against `original`.
    fn numbers_differ(&self, original: &Doc, translation: &Doc, ours: &Read) -> Option<Diagnostic> {
        let key = (original.revision, translation.revision);
        if self.keeps
            && let Some(known) = self.compared.lock().ok().and_then(|m| m.get(&key).cloned())
        {
            return known;
        }
        let found = numbers::check(original, translation, &ours.numbers, &self.get(translation).numbers);
        if self.keeps
            && let Ok(mut m) = self.compared.lock()
        {
            m.insert(key, found.clone());
        }
        found
    }
}

/// A warning for every translation that is outdated or unmarked, or whose numbers differ from its original's.
/// (Missing ones are reported by rendering.)
pub fn check(site: &Site, memo: &Memo) -> Diagnostics {
    let config = &site.config;
    let content = &site.content;
    // Reading every number of every text is a fair share of a large site's build: pages side by side.
    let found: Vec<Diagnostic> = content
        .entries
        .par_iter()
        .flat_map_iter(|entry| {
            let mut found = Vec::new();
            // Only an original with a translation has anything to compare.
            if !entry.versions.contains_key(&config.default_language) || entry.versions.len() < 2 {
                return found;
            }
            let original = &content.docs[entry.original];
            let ours = memo.get(original);
            for (lang, &doc) in &entry.versions {
                if *lang == config.default_language {
                    continue;
                }
                let translation = &content.docs[doc];
                let state = compare_with(original, translation, || ours.hash.clone());
                found.extend(diagnostic(state, original, translation));
                found.extend(memo.numbers_differ(original, translation, &ours));
            }
            found
        })
        .collect();
    let mut problems = Diagnostics::default();
    problems.extend(found);
    problems
}

fn diagnostic(state: State, original: &Doc, translation: &Doc) -> Option<Diagnostic> {
    let from = &original.source.path;
    let path = &translation.source.path;
    let command = format!("diptych mark-translated {path}");
    let front = &translation.front;
    let d = match state {
        State::Missing | State::UpToDate => return None,
        State::Changed => Diagnostic::warning(
            Code::OutdatedTranslation,
            mark_location(translation),
            format!("the text of {from} has changed since this translation was marked up to date"),
        )
        .with_help(format!(
            "`diptych diff {path}` shows what changed; bring the translation up to date, then run `{command}`"
        )),
        State::OldMark => Diagnostic::warning(
            Code::OutdatedTranslation,
            mark_location(translation),
            "this translation was marked with an older diptych, whose mark cannot be compared",
        )
        .with_help(format!("check the translation against {from}, then run `{command}` again")),
        State::ReviewedLater { original: o, translation: t } => {
            let at = front
                .reviewed
                .as_ref()
                .map_or_else(|| Location::file(path), |r| translation.front_location(r.span().start));
            Diagnostic::warning(
                Code::OutdatedTranslation,
                at,
                format!("{from} was reviewed on {o}, after this translation ({t})"),
            )
            .with_help(format!("check the translation against {from}, then run `{command}`"))
        }
        State::Unmarked => Diagnostic::warning(
            Code::UnmarkedTranslation,
            Location::file(path),
            format!("this translation does not record which version of {from} it translates"),
        )
        .with_help(format!(
            "once it says what {from} says, run `{command}`; check then reports it whenever {from} changes"
        )),
    };
    Some(d)
}

fn mark_location(translation: &Doc) -> Location {
    translation.front.translation.as_ref().map_or_else(
        || Location::file(&translation.source.path),
        |m| translation.front_location(m.get_ref().source_hash.span().start),
    )
}
