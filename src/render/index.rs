//! What a render may know about other pages: each entry's URL and summary in every language and each
//! section's sorted children, made once per site state and shared by every render. Every read of an entry
//! is recorded (see `reads`), and two indexes can be compared to find the entries whose data changed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use super::offices::OfficeIndex;
use super::reads::{self, Aspects};
use crate::site::Site;
use crate::site::config::Config;
use crate::site::content::{Content, Entry};
use crate::site::date::Date;
use crate::urls::site_path;

/// A page in a listing or a link: what templates get for other pages.
#[derive(Serialize)]
struct Summary<'a> {
    key: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    url: String,
    kind: &'static str,
    is_section: bool,
    weight: Option<i64>,
    date: Option<Date>,
    reviewed: Option<Date>,
    summary: Option<&'a str>,
    /// True where the text is in another language than the listing's.
    fallback: bool,
    lang: &'a str,
    lang_tag: &'a str,
}

pub(super) struct Index {
    pub(super) config: Config,
    keys: Vec<String>,
    by_key: HashMap<String, usize>,
    /// Language → entry → its summary in that language, and its URL.
    summaries: HashMap<String, Vec<Value>>,
    urls: HashMap<String, Vec<String>>,
    /// Language → section entry → its pages and subsections, sorted.
    children: HashMap<String, HashMap<usize, (Value, Value)>>,
    /// The same lists as entries, to compare two indexes quickly.
    child_order: HashMap<String, HashMap<usize, Vec<usize>>>,
    /// Language → entry → its place among its section's pages, for the previous and next page.
    positions: HashMap<String, Vec<Option<usize>>>,
    pub(super) assets: BTreeMap<String, String>,
    pub(super) strings: BTreeMap<String, BTreeMap<String, String>>,
    pub(super) offices: OfficeIndex,
}

impl Index {
    pub(super) fn build(site: &Site) -> Index {
        let config = &site.config;
        let content = &site.content;
        let mut summaries = HashMap::new();
        let mut urls = HashMap::new();
        let mut children = HashMap::new();
        let mut child_order = HashMap::new();
        let mut positions = HashMap::new();
        for lang in &config.languages {
            let lang_urls: Vec<String> =
                content.entries.iter().map(|e| config.url(&site_path(config, &lang.code, e))).collect();
            let lang_summaries: Vec<Value> = content
                .entries
                .par_iter()
                .enumerate()
                .map(|(i, e)| Value::from_serializable(&summary(config, content, e, &lang.code, lang_urls[i].clone())))
                .collect();
            let order: HashMap<usize, (Vec<usize>, Vec<usize>)> = content
                .entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.is_section)
                .map(|(i, _)| {
                    (i, (content.sorted_children(i, &lang.code, false), content.sorted_children(i, &lang.code, true)))
                })
                .collect();
            let mut place = vec![None; content.entries.len()];
            for (pages, _) in order.values() {
                for (at, &page) in pages.iter().enumerate() {
                    place[page] = Some(at);
                }
            }
            positions.insert(lang.code.clone(), place);
            let list = |items: &[usize]| {
                let values: Vec<Value> = items.iter().map(|&c| lang_summaries[c].clone()).collect();
                Value::from(values.as_slice())
            };
            let sections = order.iter().map(|(&i, (pages, subs))| (i, (list(pages), list(subs)))).collect();
            // A marker between pages and subsections, so moving a child from one to the other is a change.
            let flat = order.into_iter().map(|(i, (pages, subs))| (i, [pages, vec![usize::MAX], subs].concat()));
            child_order.insert(lang.code.clone(), flat.collect());
            summaries.insert(lang.code.clone(), lang_summaries);
            urls.insert(lang.code.clone(), lang_urls);
            children.insert(lang.code.clone(), sections);
        }
        let assets = site.theme.assets.iter().map(|(name, path)| (name.clone(), config.url(path))).collect();
        Index {
            config: config.clone(),
            keys: content.entries.iter().map(|e| e.key.clone()).collect(),
            by_key: content.by_key.clone(),
            summaries,
            urls,
            children,
            child_order,
            positions,
            assets,
            strings: site.theme.strings.clone(),
            offices: OfficeIndex::build(site),
        }
    }

    /// The entry of a key, recording the lookup even when it finds nothing.
    pub(super) fn entry(&self, key: &str) -> Option<usize> {
        reads::entry(key, Aspects::EXISTS);
        self.by_key.get(key).copied()
    }

    pub(super) fn url(&self, lang: &str, entry: usize) -> Option<&str> {
        reads::entry(&self.keys[entry], Aspects::URL);
        self.urls.get(lang).map(|u| u[entry].as_str())
    }

    /// Every language's URL of every entry, for views that pick `entry`'s.
    pub(super) fn urls_of(&self, entry: usize) -> &HashMap<String, Vec<String>> {
        reads::entry(&self.keys[entry], Aspects::URL);
        &self.urls
    }

    pub(super) fn summary(&self, lang: &str, entry: usize) -> Option<&Value> {
        reads::entry(&self.keys[entry], Aspects::SUMMARY);
        self.summaries.get(lang).map(|s| &s[entry])
    }

    /// A section's pages and subsections in `lang`; none for a page.
    pub(super) fn children(&self, lang: &str, entry: usize) -> Option<&(Value, Value)> {
        reads::entry(&self.keys[entry], Aspects::CHILDREN);
        self.children.get(lang).and_then(|c| c.get(&entry))
    }

    /// The pages before and after `entry` in its section's order, in `lang`.
    pub(super) fn neighbours(&self, lang: &str, section: usize, entry: usize) -> (Option<&Value>, Option<&Value>) {
        reads::entry(&self.keys[section], Aspects::CHILDREN);
        let (Some(Some(at)), Some(order)) = (
            self.positions.get(lang).and_then(|p| p.get(entry)),
            self.child_order.get(lang).and_then(|c| c.get(&section)),
        ) else {
            return (None, None);
        };
        let sibling = |i: Option<usize>| {
            i.and_then(|i| order.get(i)).filter(|&&c| c != usize::MAX).and_then(|&c| self.summary(lang, c))
        };
        (sibling(at.checked_sub(1)), sibling(Some(at + 1)))
    }

    /// The entries whose URL, summary or children differ between `self` and `old` (all of it for entries
    /// that only one has), and what differs. An entry's URL and summary come from its own docs and its place
    /// in the site, so only the entries in `touched`, whose docs or place changed, are compared; a section's
    /// children differ when their order does or one of them changed.
    pub(super) fn changes_since(&self, old: &Index, touched: &BTreeSet<String>) -> BTreeMap<String, Aspects> {
        let mut changed = BTreeMap::new();
        for key in touched {
            let differs = match (self.by_key.get(key), old.by_key.get(key)) {
                (Some(&new), Some(&was)) => self.own_changes(old, new, was),
                (None, None) => Aspects::default(),
                _ => Aspects::ALL,
            };
            if differs != Aspects::default() {
                changed.insert(key.clone(), differs);
            }
        }
        let mut sections = Vec::new();
        for (lang, orders) in &self.child_order {
            for (&section, order) in orders {
                let key = &self.keys[section];
                let before = old.by_key.get(key).and_then(|was| old.child_order.get(lang)?.get(was));
                let same_order = before.is_some_and(|b| {
                    b.len() == order.len()
                        && b.iter().zip(order).all(|(&o, &n)| {
                            (o == usize::MAX && n == usize::MAX)
                                || (o != usize::MAX && n != usize::MAX && old.keys[o] == self.keys[n])
                        })
                });
                let child_changed = order
                    .iter()
                    .filter(|&&c| c != usize::MAX)
                    .any(|&c| changed.get(&self.keys[c]).is_some_and(|a: &Aspects| a.meets(Aspects::SUMMARY)));
                if !same_order || child_changed {
                    sections.push(key.clone());
                }
            }
        }
        for key in sections {
            changed.entry(key).or_default().add(Aspects::CHILDREN);
        }
        changed
    }

    /// What differs in an entry's own URL and summary, in any language.
    fn own_changes(&self, old: &Index, new: usize, was: usize) -> Aspects {
        let mut differs = Aspects::default();
        for (lang, urls) in &self.urls {
            if old.urls.get(lang).is_none_or(|o| o[was] != urls[new]) {
                differs.add(Aspects::URL);
            }
        }
        for (lang, list) in &self.summaries {
            if old.summaries.get(lang).is_none_or(|o| o[was] != list[new]) {
                differs.add(Aspects::SUMMARY);
            }
        }
        differs
    }
}

fn summary<'a>(config: &'a Config, content: &'a Content, entry: &'a Entry, lang: &str, url: String) -> Summary<'a> {
    let (doc_index, fallback) = entry.doc_for(lang);
    let doc = &content.docs[doc_index];
    let text_lang = config.language(&doc.lang).map_or(("", ""), |l| (l.code.as_str(), l.lang_tag.as_str()));
    Summary {
        key: &entry.key,
        title: doc.title(),
        description: doc.front.description.as_deref(),
        url,
        kind: if entry.is_section { "section" } else { entry.kind.name() },
        is_section: entry.is_section,
        weight: doc.front.weight,
        date: doc.front.date,
        reviewed: doc.front.reviewed.as_ref().map(|r| *r.get_ref()),
        summary: doc.front.category.as_ref().and_then(|c| c.get_ref().summary.as_deref()),
        fallback,
        lang: text_lang.0,
        lang_tag: text_lang.1,
    }
}
