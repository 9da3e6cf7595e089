//! Renders the pages that are not content: the 404 page of each language, and at the root the language
//! chooser and its 404 page.

use serde::Serialize;
use tera::{Context, Value};

use super::Renderer;
use crate::diag::Diagnostic;
use crate::render::OutFile;
use crate::render::markdown::Heading;
use crate::render::views;
use crate::site::config::Language;
use crate::site::date::Date;
use crate::site::frontmatter::Source;
use crate::urls::feed_path;

/// The `page` of pages that are not content: a 404, the chooser, an office.
#[derive(Serialize, Default)]
pub(super) struct PlainPage {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) is_home: bool,
    pub(super) fallback: bool,
    pub(super) description: Option<String>,
    pub(super) toc: Vec<Heading>,
    pub(super) reviewed: Option<Date>,
    pub(super) sources: Vec<Source>,
}

impl Renderer<'_> {
    pub(super) fn not_found(
        &self,
        lang: &Language,
        common: &Context,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<OutFile> {
        let path = format!("{}404.html", self.site.config.language_prefix(&lang.code));
        let mut ctx = common.clone();
        ctx.insert("alternates", &self.root_alternates());
        self.render_plain("404.html", &path, &ctx, problems)
    }

    pub(super) fn root_page(
        &self,
        template: &str,
        path: &str,
        common: &Context,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<OutFile> {
        let mut ctx = common.clone();
        ctx.insert("root", &true);
        ctx.insert("alternates", &self.root_alternates());
        let home = self.site.home();
        let config = self.site.config;
        let chooser: Vec<Value> = self
            .site
            .config
            .languages
            .iter()
            .map(|l| {
                let strings = self.site.theme.strings.get(&l.code).cloned().unwrap_or_default();
                Value::from_serializable(&views::ChooserItem {
                    language: l,
                    url: self.index.url(&l.code, home).unwrap_or_default().to_string(),
                    feed_url: config.feeds.enabled.then(|| config.url(&feed_path(config, &l.code))),
                    t: strings,
                })
            })
            .collect();
        ctx.insert_value("chooser", Value::from(chooser.as_slice()));
        self.render_plain(template, path, &ctx, problems)
    }

    fn root_alternates(&self) -> Vec<views::Alternate<'_>> {
        let home = self.site.home();
        views::root_alternates(self.site.config, self.index.urls_of(home), home)
    }

    /// Renders a page that is not content (a 404, the chooser): it gets a bare `page` and no breadcrumbs.
    fn render_plain(
        &self,
        template: &str,
        path: &str,
        ctx: &Context,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<OutFile> {
        let config = &self.site.config;
        let mut ctx = ctx.clone();
        ctx.insert(
            "x_default",
            &if config.default_language_prefix { config.base_url.clone() } else { config.permalink("") },
        );
        let title = theme_string(&ctx, "not_found_title");
        self.render_page_not_content(template, title, path, path.to_string(), ctx, problems)
    }

    /// Renders `template` as a page that is not content, at site path `path`, written as `file`: `page` is a
    /// `PlainPage` titled `title`, with no breadcrumbs and its own canonical URL. `ctx` holds the rest.
    pub(super) fn render_page_not_content(
        &self,
        template: &str,
        title: String,
        path: &str,
        file: String,
        mut ctx: Context,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<OutFile> {
        let config = &self.site.config;
        ctx.insert("page", &PlainPage { title, url: config.url(path), ..PlainPage::default() });
        ctx.insert("breadcrumbs", &Vec::<Value>::new());
        ctx.insert("canonical", &config.permalink(path));
        match self.tera.render(template, &ctx) {
            Ok(html) => Some(OutFile { path: file, bytes: html.into_bytes() }),
            Err(err) => {
                problems.push(self.sources.diagnostic(&err, Some(path)));
                None
            }
        }
    }
}

/// The theme string `key` in the context's language, or nothing.
pub(super) fn theme_string(ctx: &Context, key: &str) -> String {
    ctx.get("t").and_then(|t| t.get_from_path(key)).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}
