//! Records what one render reads about other pages and the offices, so a rebuild can tell which outputs a
//! change reaches.
//!
//! A page depends on other pages through the index: their URLs (links, alternates), summaries (breadcrumbs,
//! listings, `get_page`) and children (`get_section`). Templates call those functions freely, so the
//! dependencies cannot be listed ahead of time: they are recorded as they happen. Tera's functions are
//! registered once and shared by every render on every thread, and one render runs from start to end on one
//! thread, so the recorder lives in a thread-local that `record` installs for exactly one render. Nothing a
//! render does may hand work to other threads (no rayon inside a page), or those reads would be lost.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// Which of an entry's data a render read, as a set of bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Aspects(u8);

impl Aspects {
    /// Whether the entry exists: a page that links to a missing page must render again when it appears.
    pub const EXISTS: Aspects = Aspects(1);
    pub const URL: Aspects = Aspects(2);
    pub const SUMMARY: Aspects = Aspects(4);
    pub const CHILDREN: Aspects = Aspects(8);
    pub const ALL: Aspects = Aspects(15);

    pub fn add(&mut self, other: Aspects) {
        self.0 |= other.0;
    }

    pub fn meets(self, other: Aspects) -> bool {
        self.0 & other.0 != 0
    }
}

/// What one render read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reads {
    /// Entry key → what was read of it.
    pub entries: BTreeMap<String, Aspects>,
    /// Offices whose view was read, or that were looked up by id.
    pub offices: BTreeSet<String>,
    /// All the office data: the list of offices, the calendar, the raw data.
    pub all_offices: bool,
    /// The list of all entries and their front matter (the sitemap).
    pub all_entries: bool,
}

thread_local! {
    static CURRENT: RefCell<Option<Reads>> = const { RefCell::new(None) };
}

/// Runs `render` and returns what it read. Recordings nest: an inner one does not leak into the outer.
pub fn record<T>(render: impl FnOnce() -> T) -> (T, Reads) {
    let outer = CURRENT.with(|c| c.replace(Some(Reads::default())));
    let value = render();
    let reads = CURRENT.with(|c| c.replace(outer)).unwrap_or_default();
    (value, reads)
}

pub(super) fn entry(key: &str, aspects: Aspects) {
    with(|r| match r.entries.get_mut(key) {
        Some(read) => read.add(aspects),
        None => {
            r.entries.insert(key.to_string(), aspects);
        }
    });
}

pub(super) fn office(id: &str) {
    with(|r| {
        if !r.offices.contains(id) {
            r.offices.insert(id.to_string());
        }
    });
}

pub(super) fn all_offices() {
    with(|r| r.all_offices = true);
}

pub(super) fn all_entries() {
    with(|r| r.all_entries = true);
}

fn with(note: impl FnOnce(&mut Reads)) {
    CURRENT.with(|c| {
        if let Some(reads) = c.borrow_mut().as_mut() {
            note(reads);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_only_inside_a_recording_and_nests() {
        entry("outside.md", Aspects::URL);
        let ((), outer) = record(|| {
            entry("a.md", Aspects::URL);
            let ((), inner) = record(|| {
                entry("b.md", Aspects::SUMMARY);
                all_offices();
            });
            assert_eq!(inner.entries.keys().collect::<Vec<_>>(), ["b.md"]);
            entry("a.md", Aspects::CHILDREN);
        });
        assert_eq!(outer.entries.keys().collect::<Vec<_>>(), ["a.md"]);
        assert!(outer.entries["a.md"].meets(Aspects::CHILDREN) && !outer.entries["a.md"].meets(Aspects::SUMMARY));
        assert!(!outer.all_offices, "the inner recording's reads stay in it");
    }
}
