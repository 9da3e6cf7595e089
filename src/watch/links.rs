//! The link check of the output (`linkcheck`), kept up to date page by page: a page is checked again when it
//! renders again, when a page it links to comes, goes or changes its ids, and while it has problems.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;

use super::output::OutputFolder;
use crate::check::links::{self, Mode, Published};
use crate::diag::{Diagnostic, Diagnostics};
use crate::html;
use crate::site::Site;

#[derive(Default)]
pub struct Links {
    published: Published,
    /// HTML output path → the problems of its links, for the pages that have some.
    problems: BTreeMap<String, Vec<Diagnostic>>,
    /// A path as links name it (`en/renewal/`, `en/renewal/index.html`) → the pages linking to it, and those
    /// that name an id there.
    linked_from: HashMap<String, HashSet<String>>,
    linked_with_id: HashMap<String, HashSet<String>>,
    /// Page → what it links to, to forget when it changes.
    targets: HashMap<String, Vec<(String, bool)>>,
    /// Page → where its rendered Markdown lies in it.
    content: HashMap<String, Option<Range<usize>>>,
    /// Pages to check at the next `check`.
    stale: BTreeSet<String>,
}

impl Links {
    /// The links of `site` before any of its pages rendered.
    pub fn new(site: &Site) -> Links {
        let mut links = Links::default();
        links.index_site(site);
        links
    }

    /// Takes the site's pages and languages again (front matter or offices changed).
    pub fn index_site(&mut self, site: &Site) {
        self.published.index_site(site);
    }

    /// A file rendered: it is checked, and so are the pages whose links to it may read otherwise now.
    pub fn rendered(&mut self, path: &str, bytes: &[u8], content: Option<Range<usize>>) {
        let is_new = !self.published.contains(path);
        let ids_changed = self.published.add_file(path, bytes);
        if is_new {
            self.stale_linkers(path, false);
        } else if ids_changed {
            self.stale_linkers(path, true);
        }
        if path.ends_with(".html") {
            self.content.insert(path.to_string(), content);
            self.stale.insert(path.to_string());
        }
    }

    /// A file no job makes any more.
    pub fn removed(&mut self, path: &str) {
        self.published.remove_file(path);
        self.stale_linkers(path, false);
        self.forget_page(path);
    }

    /// Marks the pages that link to `path` for checking: all of them, or those that name an id there.
    fn stale_linkers(&mut self, path: &str, with_id_only: bool) {
        let from = if with_id_only { &self.linked_with_id } else { &self.linked_from };
        let names = [Some(path), path.strip_suffix("index.html"), path.strip_suffix("/index.html")];
        let linkers: Vec<String> = names.into_iter().flatten().filter_map(|n| from.get(n)).flatten().cloned().collect();
        self.stale.extend(linkers);
    }

    fn forget_page(&mut self, page: &str) {
        for (target, _) in self.targets.remove(page).unwrap_or_default() {
            for map in [&mut self.linked_from, &mut self.linked_with_id] {
                if let Some(pages) = map.get_mut(&target) {
                    pages.remove(page);
                }
            }
        }
        self.problems.remove(page);
        self.content.remove(page);
    }

    /// Checks the stale pages, and the pages that have problems (their hints name other pages); returns every
    /// problem of the output, as `build` finds them.
    pub fn check(&mut self, site: &Site, output: &OutputFolder) -> Diagnostics {
        let mut pages = std::mem::take(&mut self.stale);
        pages.extend(self.problems.keys().cloned());
        for page in pages {
            let content = self.content.get(&page).cloned().flatten();
            let bytes = if output.is_shared(&page) { None } else { output.bytes(&page) };
            let Some(bytes) = bytes else {
                // Gone, or published twice: the collision is the problem, as in a clean build.
                self.problems.remove(&page);
                continue;
            };
            let links = html::link_tags(&html::text_of(&bytes));
            let problems = links::check_page(site, &self.published, &page, &links, content.clone(), Mode::AsConfigured);
            let targets = links::link_targets(site, &page, &links);
            self.forget_page(&page);
            self.content.insert(page.clone(), content);
            for (target, names_id) in &targets {
                self.linked_from.entry(target.clone()).or_default().insert(page.clone());
                if *names_id {
                    self.linked_with_id.entry(target.clone()).or_default().insert(page.clone());
                }
            }
            self.targets.insert(page.clone(), targets);
            if !problems.is_empty() {
                self.problems.insert(page, problems);
            }
        }
        let mut all =
            links::merge(self.problems.iter().flat_map(|(page, ps)| ps.iter().map(|p| (p.clone(), page.as_str()))));
        all.extend(output.shared().filter_map(|path| crate::check::collision(site, path)));
        all
    }
}
