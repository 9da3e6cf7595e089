//! Renders a content page in one language: its Markdown with links resolved and shortcodes expanded, the
//! view its template gets, and the template.

use serde::Serialize;
use tera::{Context, Value};

use super::offices::DIRECTORY_KEY;
use super::{Facts, Rendered, Renderer, empty_list};
use crate::diag::Code;
use crate::diag::{Diagnostic, Location};
use crate::render::OutFile;
use crate::render::markdown::{self, ArgValue, Heading, ShortcodeCall};
use crate::render::views::{self, CategoryView, RuleView};
use crate::site::config::Language;
use crate::site::content::{Doc, Entry};
use crate::site::date::Date;
use crate::site::frontmatter::Source;
use crate::urls::{file_for, site_path};

#[derive(Serialize)]
struct PageView<'a> {
    key: String,
    kind: &'static str,
    is_section: bool,
    is_home: bool,
    title: &'a str,
    description: Option<&'a str>,
    url: String,
    permalink: String,
    content: String,
    toc: Vec<Heading>,
    date: Option<Date>,
    updated: Option<Date>,
    reviewed: Option<Date>,
    weight: Option<i64>,
    sources: &'a [Source],
    extra: &'a toml::Table,
    category: Option<CategoryView>,
    rule: Option<RuleView>,
    pages: Value,
    subsections: Value,
    /// The pages before and after this one in its section's order (none for sections).
    prev: Option<Value>,
    next: Option<Value>,
    /// True where the page is shown in another language than the site's (not yet translated).
    fallback: bool,
    /// True for a draft published by `--drafts`: the theme marks it and keeps it out of search engines.
    draft: bool,
    text_lang: String,
    text_lang_tag: String,
    text_lang_name: String,
}

impl Renderer<'_> {
    pub(super) fn page(&self, entry_index: usize, lang: &Language, common: &Context, mut facts: Facts) -> Rendered {
        let site = self.site;
        // Whatever changes about the page itself shows on it: `entry` and `doc_for` record all of it.
        let entry = site.entry(entry_index);
        let (doc, fallback) = site.doc_for(entry, &lang.code);
        let problems = &mut facts.problems;
        // A version that exists but could not be read has its own error: it is not missing.
        if fallback && !entry.unreadable.contains(&lang.code) {
            problems.push(
                Diagnostic::warning(
                    Code::Untranslated,
                    Location::file(&doc.source.path),
                    format!("no {} translation: the {} page shows the {} text", lang.code, lang.code, doc.lang),
                )
                .with_help(format!(
                    "translate it into {}",
                    translation_path(doc, &lang.code, &site.config.default_language)
                )),
            );
        }
        let link_ctx = LinkContext { renderer: self, lang, common };
        let mut rendered = markdown::render(&doc.source, doc.body_start, &link_ctx);
        problems.append(&mut rendered.problems);
        let path = site_path(site.config, &lang.code, entry);
        let mut ctx = common.clone();
        let html = std::mem::take(&mut rendered.html);
        let headings = std::mem::take(&mut rendered.headings);
        let mut view = self.page_view(entry_index, doc, lang, fallback, html, headings, &link_ctx, &mut rendered);
        // A draft original makes the page a draft in every language (published only with `--drafts`).
        view.draft |= site.doc_for(entry, &site.config.default_language).0.front.draft;
        problems.append(&mut rendered.problems);
        ctx.insert("page", &view);
        let urls = self.index.urls_of(entry_index);
        ctx.insert("alternates", &views::alternates(site.config, entry_index, entry, &lang.code, urls));
        ctx.insert("x_default", &views::x_default(site.config, entry_index, entry_index == site.home(), urls));
        ctx.insert("canonical", &self.canonical(entry, doc, &lang.code, fallback));
        ctx.insert("breadcrumbs", &self.breadcrumbs(entry_index, &lang.code));
        if entry.key == DIRECTORY_KEY && !site.offices().is_empty() {
            self.directory_context(&lang.code, &mut ctx);
        }
        let mut template = self.template_for(entry, entry_index);
        let original = site.doc_for(entry, &site.config.default_language).0;
        let finder = original.front.finder.as_ref().map(|f| {
            let start_url = self.index.url(&lang.code, entry_index).unwrap_or_default();
            let texts = doc.front.finder.as_ref().unwrap_or(f).get_ref();
            let steps = self.finder_steps(f.get_ref(), texts, lang, start_url, &link_ctx);
            steps.insert(0, &mut ctx);
            if entry.template.is_none() {
                template = "finder.html".into();
            }
            steps
        });
        let files = match self.tera.render(&template, &ctx) {
            Ok(html) => {
                facts.content_range = html.find(&view.content).map(|start| start..start + view.content.len());
                let mut files = vec![OutFile { path: file_for(&path), bytes: html.into_bytes() }];
                if let Some(steps) = &finder {
                    files.extend(self.finder_files(steps, &ctx, &template, &path, &mut facts.problems));
                }
                files
            }
            Err(err) => {
                facts.problems.push(self.template_problem(&err, &template, doc));
                Vec::new()
            }
        };
        facts.fallback = fallback;
        facts.anchor_links = rendered.anchor_links;
        facts.links_to = rendered.links_to;
        Rendered { files, facts }
    }

    fn template_problem(&self, err: &tera::Error, template: &str, doc: &Doc) -> Diagnostic {
        if matches!(err.kind(), tera::ErrorKind::TemplateNotFound(_)) {
            let at = doc
                .front
                .template
                .as_ref()
                .map_or_else(|| doc.source.locate(0), |t| doc.front_location(t.span().start));
            return Diagnostic::error(Code::TemplateError, at, format!("there is no template `{template}`"))
                .with_help("add it to the theme's templates/ folder or the site's templates/, or fix the name");
        }
        self.sources.diagnostic(err, Some(&doc.source.path))
    }

    fn template_for(&self, entry: &Entry, entry_index: usize) -> String {
        if let Some(t) = &entry.template {
            return t.clone();
        }
        if entry_index == self.site.home() {
            return "index.html".into();
        }
        if entry.key == DIRECTORY_KEY && !self.site.offices().is_empty() {
            return "offices.html".into();
        }
        if entry.is_section {
            return "section.html".into();
        }
        format!("{}.html", entry.kind.name())
    }

    /// A fallback page's canonical is the original it shows.
    fn canonical(&self, entry: &Entry, doc: &Doc, lang: &str, fallback: bool) -> String {
        let config = &self.site.config;
        let shown_in = if fallback { doc.lang.as_str() } else { lang };
        config.permalink(&site_path(config, shown_in, entry))
    }

    fn breadcrumbs(&self, entry_index: usize, lang: &str) -> Vec<Value> {
        self.site.ancestors(entry_index).into_iter().filter_map(|i| self.index.summary(lang, i).cloned()).collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn page_view<'d>(
        &self,
        entry_index: usize,
        doc: &'d Doc,
        lang: &Language,
        fallback: bool,
        html: String,
        headings: Vec<Heading>,
        link_ctx: &LinkContext,
        front: &mut markdown::Rendered,
    ) -> PageView<'d> {
        let site = self.site;
        let entry = site.entry(entry_index);
        let text_lang = site.config.language(&doc.lang).cloned().unwrap_or_else(|| lang.clone());
        let url = self.index.url(&lang.code, entry_index).unwrap_or_default().to_string();
        let (pages, subsections) =
            self.index.children(&lang.code, entry_index).cloned().unwrap_or_else(|| (empty_list(), empty_list()));
        let (prev, next) = match entry.parent {
            Some(section) if !entry.is_section => self.index.neighbours(&lang.code, section, entry_index),
            _ => (None, None),
        };
        // Links in front matter are located where they are written, which takes parsing the front matter again
        // for its strings' positions: done once per page, and only if a link needs locating.
        let toml_end = crate::site::frontmatter::split(&doc.source.text).map_or(doc.front_start, |s| s.front_end);
        let strings = std::cell::OnceCell::new();
        let locate = |text: &str, inner: usize| {
            let strings = strings.get_or_init(|| {
                views::FrontStrings::parse(&doc.source.text[doc.front_start..toml_end], doc.front_start)
            });
            doc.source.locate(strings.offset(text, inner))
        };
        let mut inline = |text: &str| views::inline_markdown(text, link_ctx, &locate, front);
        // An unknown office id is reported where it is written (site::load); the page lists the others.
        let category = doc.front.category.as_ref().map(|c| {
            let mut view = views::category_view(c.get_ref(), &doc.lang, lang, &mut inline);
            view.offices.retain(|id| site.office(id).is_some());
            view
        });
        let rule = doc.front.rule.as_ref().map(|r| views::rule_view(r.get_ref(), &doc.lang, lang, &mut inline));
        PageView {
            key: entry.key.clone(),
            kind: if entry.is_section { "section" } else { entry.kind.name() },
            is_section: entry.is_section,
            is_home: entry_index == site.home(),
            title: doc.title(),
            description: doc.front.description.as_deref(),
            permalink: site.config.permalink(&site_path(site.config, &lang.code, entry)),
            url,
            content: html,
            toc: headings.into_iter().filter(|h| (2..=3).contains(&h.level)).collect(),
            date: doc.front.date,
            updated: doc.front.updated,
            reviewed: doc.front.reviewed.as_ref().map(|r| *r.get_ref()),
            weight: doc.front.weight,
            sources: &doc.front.sources,
            extra: &doc.front.extra,
            category,
            rule,
            pages,
            subsections,
            prev: prev.cloned(),
            next: next.cloned(),
            fallback,
            draft: doc.front.draft,
            text_lang: text_lang.code,
            text_lang_tag: text_lang.lang_tag,
            text_lang_name: text_lang.name,
        }
    }
}

/// The file a page's version in `lang` is read from: the default language's has no suffix (issue 11: a help
/// must never name a file that would itself be an error).
fn translation_path(doc: &Doc, lang: &str, default_language: &str) -> String {
    let base = doc.source.path.trim_end_matches(".md");
    let base = match base.rsplit_once('.') {
        Some((stem, suffix)) if crate::site::config::is_language_code(suffix) && !stem.ends_with('/') => stem,
        _ => base,
    };
    if lang == default_language { format!("{base}.md") } else { format!("{base}.{lang}.md") }
}

/// Resolves `@/` links and renders shortcodes for one page in one language.
pub(super) struct LinkContext<'r, 'a> {
    renderer: &'r Renderer<'a>,
    lang: &'r Language,
    common: &'r Context,
}

impl markdown::Links for LinkContext<'_, '_> {
    fn base_path(&self) -> &str {
        &self.renderer.site.config.base_path
    }

    fn is_draft(&self, key: &str) -> bool {
        self.renderer.site.entries().withdrawn.iter().any(|d| d.key == key)
    }

    fn office_url(&self, key: &str) -> Option<String> {
        self.renderer.index.offices.url_for_file(key, &self.lang.code)
    }

    fn page_url(&self, key: &str, lang: Option<&str>) -> Option<String> {
        let index = self.renderer.index;
        let entry = index.entry(key)?;
        index.url(lang.unwrap_or(&self.lang.code), entry).map(str::to_string)
    }

    fn keys(&self) -> Vec<String> {
        let site = self.renderer.site;
        let pages = site.entries().entries.iter().map(|e| e.key.clone());
        let offices = site.offices().offices.iter().map(|o| o.file.trim_start_matches("content/").to_string());
        pages.chain(offices).collect()
    }

    fn allow_unsafe_html(&self) -> bool {
        self.renderer.site.config.markdown.allow_unsafe_html
    }
}

impl markdown::Context for LinkContext<'_, '_> {
    fn render_shortcode(&self, call: &ShortcodeCall, at: &Location) -> Result<String, Diagnostic> {
        let tera = self.renderer.tera;
        let name = format!("shortcodes/{}.html", call.name);
        if !tera.get_template_names().any(|n| n == name) {
            let known: Vec<String> = tera
                .get_template_names()
                .filter_map(|n| n.strip_prefix("shortcodes/").and_then(|n| n.strip_suffix(".html")))
                .map(str::to_string)
                .collect();
            return Err(Diagnostic::error(Code::Shortcode, at.clone(), format!("unknown shortcode `{}`", call.name))
                .with_help(format!("the theme's shortcodes are {}", crate::diag::suggest::quote_list(&known))));
        }
        let mut ctx = self.common.clone();
        for (key, value) in &call.args {
            ctx.insert(key.clone(), value);
        }
        // An office whose file has errors of its own is known: naming it is not a second problem.
        let names_broken_office = call.args.iter().any(
            |(key, value)| matches!(value, ArgValue::Str(id) if key == "id" && self.renderer.site.office_is_broken(id)),
        );
        if names_broken_office {
            return Ok(String::new());
        }
        tera.render(&name, &ctx).map_err(|err| {
            let inner = self.renderer.sources.diagnostic(&err, None);
            Diagnostic::error(Code::Shortcode, at.clone(), format!("shortcode `{}`: {}", call.name, inner.message))
                .with_help(format!("the error is at {}:{}:{}", inner.path, inner.line, inner.column))
        })
    }

    fn heading_anchor_label(&self) -> Option<String> {
        let site = self.renderer.site;
        let label = site.theme.strings.get(&self.lang.code).and_then(|t| t.get("heading_anchor"));
        site.config.markdown.heading_anchors.then(|| label.map_or("Link to this section", String::as_str).to_string())
    }
}
