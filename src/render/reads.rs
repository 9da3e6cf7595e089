//! Records what one render reads about other pages and the offices, so a rebuild can tell which outputs a
//! change reaches, and is the only way a render reaches the site's data.
//!
//! A page depends on other pages through the index: their URLs (links, alternates), summaries (breadcrumbs,
//! listings, `get_page`) and children (`get_section`). Templates call those functions freely, so the
//! dependencies cannot be listed ahead of time: they are recorded as they happen. Tera's functions are
//! registered once and shared by every render on every thread, and one render runs from start to end on one
//! thread, so the recorder lives in a thread-local that `record` installs for exactly one render. Nothing a
//! render does may hand work to other threads (no rayon inside a page), or those reads would be lost.
//!
//! The rule: **a render job never holds `&Site`.** It reads content and office data only through `SiteData`
//! (and the index's accessors), each of which records what it returns before returning it, so a new output (a
//! feed, a search index) cannot forget to record a read: there is nothing else to read through. Only the
//! configuration and the theme are plain fields, because a change to either renders everything again.
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use crate::site::Site;
use crate::site::config::Config;
use crate::site::content::{Content, Doc, Entry};
use crate::site::offices::{Office, Offices};
use crate::site::theme::Theme;

/// Which of an entry's data a render read, as a set of bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Aspects(u8);

impl Aspects {
    /// Whether the entry exists: a page that links to a missing page must render again when it appears.
    pub const EXISTS: Aspects = Aspects(1);
    pub const URL: Aspects = Aspects(2);
    pub const SUMMARY: Aspects = Aspects(4);
    pub const CHILDREN: Aspects = Aspects(8);
    /// Its docs and its place in the site: what its own page shows. `watch` re-renders a reader of it when
    /// its files change.
    pub const TEXT: Aspects = Aspects(16);
    pub const ALL: Aspects = Aspects(31);

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

/// The site's data as a render job sees it: every accessor records what it returns (see the module's rule).
#[derive(Clone, Copy)]
pub struct SiteData<'a> {
    /// Not recorded: a change to the configuration or the theme renders every job again.
    pub config: &'a Config,
    pub theme: &'a Theme,
    site: &'a Site,
}

impl<'a> SiteData<'a> {
    pub fn new(site: &'a Site) -> SiteData<'a> {
        SiteData { config: &site.config, theme: &site.theme, site }
    }

    /// The entry of a key, recording the lookup even when it finds nothing.
    pub fn find(&self, key: &str) -> Option<usize> {
        entry(key, Aspects::EXISTS);
        self.site.content.by_key.get(key).copied()
    }

    /// An entry, all of which is read: for the job that renders its page.
    pub fn entry(&self, index: usize) -> &'a Entry {
        let found = &self.site.content.entries[index];
        entry(&found.key, Aspects::ALL);
        found
    }

    /// The doc `entry` shows in `lang`, and whether it is in another language (not yet translated).
    pub fn doc_for(&self, found: &Entry, lang: &str) -> (&'a Doc, bool) {
        entry(&found.key, Aspects::ALL);
        let (doc, fallback) = found.doc_for(lang);
        (&self.site.content.docs[doc], fallback)
    }

    /// The home page's entry.
    pub fn home(&self) -> usize {
        let home = self.site.content.home();
        entry(&self.site.content.entries[home].key, Aspects::EXISTS);
        home
    }

    /// The sections above an entry, nearest first; their data is read through the index.
    pub fn ancestors(&self, index: usize) -> Vec<usize> {
        let chain = self.site.content.ancestors(index);
        for &section in &chain {
            entry(&self.site.content.entries[section].key, Aspects::EXISTS);
        }
        chain
    }

    /// An office by id, recording the lookup even when it finds nothing.
    pub fn office(&self, id: &str) -> Option<&'a Office> {
        office(id);
        self.site.offices.get(id)
    }

    /// Whether `id` names an office whose file has errors of its own (recorded as a lookup of `id`).
    pub fn office_is_broken(&self, id: &str) -> bool {
        office(id);
        self.site.offices.is_broken(id)
    }

    /// All the office data: the offices, the calendar, the services.
    pub fn offices(&self) -> &'a Offices {
        all_offices();
        &self.site.offices
    }

    /// Every entry and its docs (the sitemap).
    pub fn entries(&self) -> &'a Content {
        all_entries();
        &self.site.content
    }
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

    fn guide() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/guide");
        crate::pipeline::load(&root, &Default::default()).expect("the guide fixture loads").site
    }

    #[test]
    fn site_data_records_what_it_returns() {
        let site = guide();
        let data = SiteData::new(&site);
        let ((), reads) = record(|| {
            let renewal = data.find("renewal.md").expect("a page of the guide");
            let (doc, _) = data.doc_for(data.entry(renewal), "en");
            assert!(!doc.title().is_empty());
            assert!(data.find("missing.md").is_none());
            assert!(data.office("pudong").is_some());
            assert!(data.office("atlantis").is_none());
            assert!(!data.config.languages.is_empty() && !data.theme.strings.is_empty());
        });
        assert_eq!(reads.entries.keys().collect::<Vec<_>>(), ["missing.md", "renewal.md"]);
        assert_eq!(reads.entries["renewal.md"], Aspects::ALL);
        assert_eq!(reads.entries["missing.md"], Aspects::EXISTS, "a missing page is read too: it may appear");
        assert_eq!(reads.offices.iter().collect::<Vec<_>>(), ["atlantis", "pudong"]);
        assert!(!reads.all_offices && !reads.all_entries, "config and theme are not recorded");

        let (count, reads) = record(|| data.offices().offices.len());
        assert!(count > 0 && reads.all_offices && !reads.all_entries);
        let (count, reads) = record(|| data.entries().entries.len());
        assert!(count > 0 && reads.all_entries && !reads.all_offices && reads.entries.is_empty());
    }

    #[test]
    fn the_index_records_what_it_returns() {
        let site = guide();
        let index = super::super::index::Index::build(&site);
        let ((), reads) = record(|| {
            let renewal = index.entry("renewal.md").expect("a page of the guide");
            assert!(index.summary("en", renewal).is_some());
            assert!(index.offices.get("en", "pudong").is_ok());
        });
        assert_eq!(reads.entries["renewal.md"], {
            let mut read = Aspects::EXISTS;
            read.add(Aspects::SUMMARY);
            read
        });
        assert_eq!(reads.offices.iter().collect::<Vec<_>>(), ["pudong"]);
        let (views, reads) = record(|| index.offices.views("en").len());
        assert!(views > 0 && reads.all_offices);
    }
}
