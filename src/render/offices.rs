//! Renders the office directory and one page per office in each language, and writes `offices.json` and
//! the vCards.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use tera::{Context, Value};

use super::special::PlainPage;
use super::{Renderer, reads};
use crate::diag::Diagnostic;
use crate::render::OutFile;
use crate::render::office_export;
use crate::render::office_views;
use crate::render::views::Alternate;
use crate::site::Site;
use crate::site::config::{Config, Language};
use crate::site::offices::{Offices, text};
use crate::urls::{file_for, office_path, vcard_path};

/// The content page that introduces the directory; its template becomes `offices.html`.
pub(super) const DIRECTORY_KEY: &str = "offices/_index.md";

/// Every office's view in every language, made once and shared by the directory, the office pages,
/// category pages and shortcodes.
pub(super) struct OfficeIndex {
    pub(super) views: HashMap<String, Vec<Value>>,
    urls: HashMap<String, Vec<String>>,
    by_id: HashMap<String, usize>,
    /// `offices/x.toml` (the file, as an `@/` link names it) → office.
    by_file: HashMap<String, usize>,
}

impl OfficeIndex {
    pub(super) fn build(site: &Site) -> OfficeIndex {
        let offices = &site.offices;
        let mut views = HashMap::new();
        let mut urls = HashMap::new();
        for lang in &site.config.languages {
            let strings = site.theme.strings.get(&lang.code).cloned().unwrap_or_default();
            let list: Vec<office_views::OfficeView> = offices
                .offices
                .iter()
                .map(|o| office_views::office_view(o, offices, &site.config, lang, &strings))
                .collect();
            urls.insert(lang.code.clone(), list.iter().map(|v| v.url.clone()).collect());
            views.insert(lang.code.clone(), list.iter().map(Value::from_serializable).collect());
        }
        let by_id = offices.offices.iter().enumerate().map(|(i, o)| (o.id.clone(), i)).collect();
        let by_file = offices
            .offices
            .iter()
            .enumerate()
            .map(|(i, o)| (o.file.trim_start_matches("content/").to_string(), i))
            .collect();
        OfficeIndex { views, urls, by_id, by_file }
    }

    /// Every office's view in `lang`, in directory order.
    pub(super) fn views(&self, lang: &str) -> &[Value] {
        reads::all_offices();
        &self.views[lang]
    }

    pub(super) fn get(&self, lang: &str, id: &str) -> Result<Value, tera::Error> {
        reads::office(id);
        let index = self.by_id.get(id).ok_or_else(|| {
            // The message lists every office.
            reads::all_offices();
            let mut known: Vec<&String> = self.by_id.keys().collect();
            known.sort();
            let known: Vec<String> = known.into_iter().map(|k| format!("`{k}`")).collect();
            if known.is_empty() {
                return tera::Error::message(format!(
                    "there is no office with id `{id}`, and no office at all in content/offices/"
                ));
            }
            tera::Error::message(format!("there is no office with id `{id}`; the offices are {}", known.join(", ")))
        })?;
        // `lang` comes from the template's context, which a template or a shortcode argument can rebind.
        self.views.get(lang).and_then(|views| views.get(*index)).cloned().ok_or_else(|| {
            let mut known: Vec<&String> = self.views.keys().collect();
            known.sort();
            let known: Vec<String> = known.into_iter().map(|k| format!("`{k}`")).collect();
            tera::Error::message(format!("no language `{lang}`; the site's languages are {}", known.join(", ")))
        })
    }

    /// The URL of the office whose data file `key` names. A lookup of a data file is recorded even when it
    /// finds nothing, since the file may appear; a page (`.md`) is never an office.
    pub(super) fn url_for_file(&self, key: &str, lang: &str) -> Option<String> {
        if !key.ends_with(".toml") {
            return None;
        }
        reads::all_offices();
        // An office without contact facts has no page to link to.
        self.by_file.get(key).map(|&i| self.urls[lang][i].clone()).filter(|url| !url.is_empty())
    }

    /// The ids of the offices whose view differs in some language between `self` and `old`, or that only
    /// one of them has.
    pub(super) fn changes_since(&self, old: &OfficeIndex) -> BTreeSet<String> {
        let mut changed: BTreeSet<String> =
            old.by_id.keys().filter(|id| !self.by_id.contains_key(*id)).cloned().collect();
        for (id, &new) in &self.by_id {
            let same = old.by_id.get(id).is_some_and(|&was| {
                self.views.iter().all(|(lang, views)| old.views.get(lang).is_some_and(|o| o[was] == views[new]))
            });
            if !same {
                changed.insert(id.clone());
            }
        }
        changed
    }
}

#[derive(Serialize)]
struct District {
    name: String,
    offices: Vec<Value>,
}

#[derive(Serialize)]
struct ServiceGroup<'a> {
    id: &'a str,
    name: &'a str,
    highlighted: bool,
    offices: Vec<Value>,
}

impl Renderer<'_> {
    /// What `offices.html` needs beyond the directory's own page: the offices grouped by district and by service.
    pub(super) fn directory_context(&self, lang: &str, ctx: &mut Context) {
        let offices = self.site.offices();
        let views = self.index.offices.views(lang);
        let mut districts: Vec<(String, District)> = Vec::new();
        let (listed, unconfirmed): (Vec<_>, Vec<_>) =
            offices.offices.iter().zip(views).partition(|(office, _)| office.contact_confirmed());
        for (office, view) in listed.iter().copied() {
            let key: String = office.district.values().cloned().collect::<Vec<_>>().join("/");
            let name = text(&office.district, lang)
                .or_else(|| office.district.values().next().map(String::as_str))
                .unwrap_or("");
            match districts.iter_mut().find(|(k, _)| *k == key) {
                Some((_, district)) => district.offices.push(view.clone()),
                None => districts.push((key, District { name: name.to_string(), offices: vec![view.clone()] })),
            }
        }
        let services: Vec<ServiceGroup> = offices
            .services
            .iter()
            .map(|s| ServiceGroup {
                id: &s.id,
                name: text(&s.name, lang).unwrap_or(&s.id),
                highlighted: offices.highlight.as_ref() == Some(&s.id),
                offices: listed.iter().filter(|(o, _)| o.services.contains(&s.id)).map(|(_, v)| (*v).clone()).collect(),
            })
            .collect();
        ctx.insert_value("offices", Value::from(views));
        ctx.insert("districts", &districts.into_iter().map(|(_, d)| d).collect::<Vec<_>>());
        ctx.insert("services", &services);
        let unconfirmed: Vec<&Value> = unconfirmed.into_iter().map(|(_, v)| v).collect();
        ctx.insert("offices_without_contact", &unconfirmed);
        if let Some(language) = self.site.config.language(lang) {
            ctx.insert("holidays", &office_views::holiday_views(offices, language));
        }
    }

    /// `/<lang>/offices/<id>/`.
    pub(super) fn office_page(
        &self,
        index: usize,
        lang: &Language,
        common: &Context,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<OutFile> {
        // The page shows the holiday calendar and the office's raw data besides its view: `offices()` records it.
        let site = self.site;
        let config = site.config;
        let office = &site.offices().offices[index];
        let path = office_path(config, &lang.code, &office.id);
        let view = &self.index.offices.views(&lang.code)[index];
        let title = view.get_from_path("name.text").and_then(|v| v.as_str()).unwrap_or(&office.id).to_string();
        let mut ctx = common.clone();
        ctx.insert(
            "page",
            &PlainPage {
                title,
                url: config.url(&path),
                reviewed: office.reviewed,
                sources: office.sources.clone(),
                ..PlainPage::default()
            },
        );
        ctx.insert_value("office", view.clone());
        ctx.insert("holidays", &office_views::holiday_views(site.offices(), lang));
        ctx.insert(
            "calendar_sources",
            &site.offices().calendar_sources.iter().flat_map(|s| s.sources.clone()).collect::<Vec<_>>(),
        );
        let crumbs: Vec<Value> = [Some(site.home()), self.index.entry(DIRECTORY_KEY)]
            .into_iter()
            .flatten()
            .filter_map(|e| self.index.summary(&lang.code, e).cloned())
            .collect();
        ctx.insert("breadcrumbs", &crumbs);
        let alternates: Vec<Alternate> = config
            .languages
            .iter()
            .map(|l| {
                let other = office_path(config, &l.code, &office.id);
                Alternate {
                    code: &l.code,
                    name: &l.name,
                    lang_tag: &l.lang_tag,
                    url: config.url(&other),
                    permalink: config.permalink(&other),
                    current: l.code == lang.code,
                    fallback: false,
                }
            })
            .collect();
        ctx.insert("alternates", &alternates);
        ctx.insert("canonical", &config.permalink(&path));
        ctx.insert("x_default", &config.permalink(&office_path(config, &config.default_language, &office.id)));
        match self.tera.render("office.html", &ctx) {
            Ok(html) => Some(OutFile { path: file_for(&path), bytes: html.into_bytes() }),
            Err(err) => {
                problems.push(self.sources.diagnostic(&err, Some(&office.file)));
                None
            }
        }
    }
}

/// `offices.json` and one vCard per office, when the site has offices.
pub(super) fn exports(offices: &Offices, config: &Config) -> Vec<OutFile> {
    if offices.is_empty() {
        return Vec::new();
    }
    let mut files =
        vec![OutFile { path: "offices.json".into(), bytes: office_export::offices_json(offices, config).into_bytes() }];
    for office in offices.offices.iter().filter(|o| o.contact_confirmed()) {
        files.push(OutFile { path: vcard_path(&office.id), bytes: office_export::vcard(office, config).into_bytes() });
    }
    files
}
