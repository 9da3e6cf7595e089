//! Reads `content/`: finds the files, parses each page, and pairs every page with its translations.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceText};
use crate::site::config::{self, Config};
use crate::site::frontmatter::{self, FrontMatter, Kind, SortBy, TitleFrom};

/// One Markdown file: a page or a section in one language.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Path `content/a/b.zh.md` and the file's normalized text.
    pub source: SourceText,
    /// The page's name in every language: `a/b.md`, `a/_index.md`.
    pub key: String,
    pub lang: String,
    pub is_section: bool,
    pub front: FrontMatter,
    /// Byte offsets of the front matter's TOML and of the body in `source.text`.
    pub front_start: usize,
    pub body_start: usize,
    /// Its front matter, or for plain Markdown where its title was found.
    pub title_from: TitleFrom,
    /// Unique to this reading of the file (a clone keeps it, with the same text): lets `watch` keep what a
    /// check found in a text that a round did not change.
    pub revision: u64,
}

/// The revision of the next Doc read.
static NEXT_REVISION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Doc {
    /// The location of a span found in the front matter's TOML.
    pub fn front_location(&self, toml_offset: usize) -> Location {
        self.source.locate(self.front_start + toml_offset)
    }

    pub fn body(&self) -> &str {
        &self.source.text[self.body_start..]
    }

    pub fn title(&self) -> &str {
        self.front.title()
    }
}

/// A page or section across its languages.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub is_section: bool,
    /// The nearest section above this entry (none for the home page).
    pub parent: Option<usize>,
    /// Language → index into `Site::docs`.
    pub versions: BTreeMap<String, usize>,
    /// The doc shown in a language the entry is missing from: the default language's, or the first there is.
    pub original: usize,
    pub kind: Kind,
    pub template: Option<String>,
    /// Language → path below the language's root: `` for home, `a/b/` for a page.
    pub paths: BTreeMap<String, String>,
    /// Sections: their pages and subsections (unsorted; see `Site::sorted_children`).
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
    /// Languages whose file of this entry exists but could not be read: not "missing", as its own error says
    /// what is wrong (issue 11: one typo, one problem).
    pub unreadable: BTreeSet<String>,
}

impl Entry {
    /// The doc to show in `lang`, and whether it is a fallback from another language.
    pub fn doc_for(&self, lang: &str) -> (usize, bool) {
        match self.versions.get(lang) {
            Some(&doc) => (doc, false),
            None => (self.original, true),
        }
    }
}

/// Files found in `content/` that are not pages: data for generated pages.
#[derive(Debug, Clone, Default)]
pub struct DataFiles {
    /// Relative to `content/`, sorted.
    pub toml: Vec<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Content {
    pub docs: Vec<Doc>,
    /// Drafts, and the translations of draft originals: read, but not published (see `without_drafts`).
    pub withdrawn: Vec<Doc>,
    pub entries: Vec<Entry>,
    pub by_key: HashMap<String, usize>,
    pub data: DataFiles,
}

impl Content {
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.by_key.get(key).map(|&i| &self.entries[i])
    }

    pub fn home(&self) -> usize {
        self.by_key["_index.md"]
    }

    /// The pages (then subsections) of a section, in the section's order for `lang`.
    pub fn sorted_children(&self, section: usize, lang: &str, subsections: bool) -> Vec<usize> {
        let entry = &self.entries[section];
        let list = if subsections { &entry.subsections } else { &entry.pages };
        let sort_by = self.docs[entry.doc_for(lang).0].front.sort_by.as_ref().map_or(SortBy::Weight, |s| *s.get_ref());
        let mut children = list.clone();
        let doc = |i: usize| &self.docs[self.entries[i].doc_for(lang).0];
        match sort_by {
            SortBy::Weight => {
                children.sort_by_key(|&i| (doc(i).front.weight.unwrap_or(i64::MAX), self.entries[i].key.clone()))
            }
            SortBy::Title => children.sort_by(|&a, &b| {
                doc(a).title().cmp(doc(b).title()).then_with(|| self.entries[a].key.cmp(&self.entries[b].key))
            }),
            SortBy::Date => children.sort_by(|&a, &b| {
                doc(b).front.date.cmp(&doc(a).front.date).then_with(|| self.entries[a].key.cmp(&self.entries[b].key))
            }),
            SortBy::None => children.sort_by(|&a, &b| self.entries[a].key.cmp(&self.entries[b].key)),
        }
        children
    }

    /// The sections from the home page down to `entry`'s parent.
    pub fn ancestors(&self, entry: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut cur = self.entries[entry].parent;
        while let Some(p) = cur {
            chain.push(p);
            cur = self.entries[p].parent;
        }
        chain.reverse();
        chain
    }
}

/// What reading one page file gave: its doc (drafts included, see `pair`), or why it could not be read.
pub type ReadDoc = Result<Option<Doc>, Vec<Diagnostic>>;

/// Reads the page files `files` (relative to `content/`) in parallel, each with what reading it gave.
pub fn read_docs<'a>(
    root: &Path,
    config: &Config,
    files: impl Iterator<Item = &'a PathBuf>,
) -> Vec<(PathBuf, ReadDoc)> {
    let files: Vec<&PathBuf> = files.collect();
    files.into_par_iter().map(|rel| (rel.clone(), read_doc(root, rel, config))).collect()
}

/// The files of `content/`, relative to it: pages and data, each sorted.
pub struct Discovered {
    pub pages: Vec<PathBuf>,
    pub data: DataFiles,
}

/// Editor swap, backup and lock files, and hidden files, which are never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// Lists `content/`'s pages and data files, warning about files that are neither.
pub fn discover(root: &Path, problems: &mut Diagnostics) -> Discovered {
    let content_dir = root.join("content");
    let mut pages = Vec::new();
    let mut data = DataFiles::default();
    if !content_dir.is_dir() {
        problems.push(
            Diagnostic::error(Code::NoContent, Location::file("content/"), "there is no content/ folder")
                .with_help("create content/_index.md for the home page"),
        );
        return Discovered { pages, data };
    }
    let walker = walkdir::WalkDir::new(&content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for item in walker {
        match item {
            Ok(entry) if entry.file_type().is_file() => {
                let rel = entry.path().strip_prefix(&content_dir).unwrap_or(entry.path()).to_path_buf();
                match rel.extension().and_then(|e| e.to_str()) {
                    Some("md") => pages.push(rel),
                    Some("toml") => data.toml.push(rel),
                    _ => problems.push(
                        Diagnostic::warning(
                            Code::UnusedFile,
                            Location::file(display(Path::new("content").join(&rel))),
                            "this file is not used",
                        )
                        .with_help(
                            "content/ holds .md pages and .toml data; put files to publish as they are in static/",
                        ),
                    ),
                }
            }
            Ok(_) => {}
            Err(err) => problems.push(walk_error(root, &err)),
        }
    }
    Discovered { pages, data }
}

fn walk_error(root: &Path, err: &walkdir::Error) -> Diagnostic {
    let path = err.path().map(|p| display(p.strip_prefix(root).unwrap_or(p))).unwrap_or_else(|| "content/".to_string());
    if let Some(ancestor) = err.loop_ancestor() {
        let target = display(ancestor.strip_prefix(root).unwrap_or(ancestor));
        return Diagnostic::error(
            Code::SymlinkLoop,
            Location::file(path),
            format!("this symbolic link loops back to {target}"),
        )
        .with_help("remove the link, or point it outside its own folder");
    }
    if let Some(link) = err.path().filter(|p| p.is_symlink() && !p.exists())
        && let Ok(target) = std::fs::read_link(link)
    {
        return Diagnostic::error(
            Code::Unreadable,
            Location::file(path),
            format!("this symbolic link points to {}, which does not exist", display(&target)),
        )
        .with_help("remove the link, or restore the file it points to");
    }
    let reason = err.io_error().map_or_else(|| err.to_string(), crate::fsutil::io_reason);
    Diagnostic::error(Code::Unreadable, Location::file(path), format!("cannot read: {reason}"))
        .with_help("check the file's permissions")
}

/// `content/a/b.zh.md` displayed with forward slashes.
pub fn display(path: impl AsRef<Path>) -> String {
    path.as_ref().to_string_lossy().replace('\\', "/")
}

/// Splits `b.zh.md` into (`b`, Some(`zh`)).
pub fn name_and_lang(file_name: &str) -> (&str, Option<&str>) {
    let stem = file_name.strip_suffix(".md").unwrap_or(file_name);
    match stem.rsplit_once('.') {
        Some((name, suffix)) if config::is_language_code(suffix) => (name, Some(suffix)),
        _ => (stem, None),
    }
}

/// `tax.zh-CN` read as a page named `tax.zh-CN` in the default language, where the editor meant Chinese: a
/// suffix that is one of the site's languages or `lang_tag`s written another way is an error, not a silent
/// English page (issue 11). diptych does not map a `lang_tag` to its language: the suffix is the code.
fn mistaken_language_suffix(stem: &str, config: &Config, path: &str) -> Option<Diagnostic> {
    let (base, suffix) = stem.rsplit_once('.')?;
    let lower = suffix.to_ascii_lowercase();
    let first = lower.split('-').next().unwrap_or("");
    let meant = config
        .languages
        .iter()
        .find(|l| l.lang_tag.eq_ignore_ascii_case(suffix) || l.code == lower)
        .or_else(|| config.languages.iter().find(|l| l.code == first))?;
    let file =
        if meant.code == config.default_language { format!("{base}.md") } else { format!("{base}.{}.md", meant.code) };
    let known: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    Some(
        Diagnostic::error(Code::UnknownLanguage, Location::file(path), format!("unknown language suffix `.{suffix}`"))
            .with_help(format!(
                "a file's language suffix is one of the site's language codes, {}: rename the file to {file}",
                crate::diag::suggest::quote_list(&known)
            )),
    )
}

/// Reads and parses the page `content/<rel>`. A draft is read too: `pair` withdraws it.
pub fn read_doc(root: &Path, rel: &Path, config: &Config) -> ReadDoc {
    let path = display(Path::new("content").join(rel));
    if let Some(bad) = unsafe_name_char(&rel.to_string_lossy()) {
        // Refused here, once: published, its URL would not lead back to it, and every link to it would break.
        return Err(vec![
            Diagnostic::error(
                Code::UnsafePath,
                Location::file(&path),
                format!("the file name has {bad}, which a URL cannot carry as it is"),
            )
            .with_help("rename the file with letters, digits, `-` and `_`"),
        ]);
    }
    let file_name = rel.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let (name, suffix) = name_and_lang(&file_name);
    if suffix.is_none()
        && let Some(problem) = mistaken_language_suffix(name, config, &path)
    {
        return Err(vec![problem]);
    }
    let lang = match suffix {
        None => config.default_language.clone(),
        Some(code) if code == config.default_language => {
            return Err(vec![
                Diagnostic::error(
                    Code::LanguageSuffix,
                    Location::file(path),
                    format!("`.{code}` is the default language, which has no suffix"),
                )
                .with_help(format!("rename the file to {name}.md")),
            ]);
        }
        Some(code) if config.has_language(code) => code.to_string(),
        Some(code) => {
            let known: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
            return Err(vec![
                Diagnostic::error(
                    Code::UnknownLanguage,
                    Location::file(path),
                    format!("unknown language suffix `.{code}`"),
                )
                .with_help(format!(
                    "the site's languages are {}; add [languages.{code}] to site.toml or rename the file",
                    crate::diag::suggest::quote_list(&known)
                )),
            ]);
        }
    };
    let text = crate::fsutil::read_text(&root.join("content").join(rel), &path).map_err(|d| vec![d])?;
    let source = SourceText::new(path, text);
    let is_section = name == "_index";
    let key = key_of(rel);
    let page = frontmatter::parse_page(&source, &key, is_section)?;
    Ok(Some(Doc {
        source,
        key,
        lang,
        is_section,
        front: page.front,
        front_start: page.front_start,
        body_start: page.body_start,
        title_from: page.title_from,
        revision: NEXT_REVISION.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
    }))
}

/// The folder part of a key: `a` for `a/b.md` and for `a/_index.md`.
fn key_dir(key: &str) -> &str {
    key.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The key and language of the page file `rel` (relative to `content/`): `a/b.md` and `zh` for `a/b.zh.md`.
pub fn key_and_lang(rel: &Path, config: &Config) -> (String, String) {
    let file_name = rel.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let (_, suffix) = name_and_lang(&file_name);
    (key_of(rel), suffix.unwrap_or(&config.default_language).to_string())
}

/// The key of the page file `rel` (relative to `content/`): `a/b.md` for `a/b.zh.md`.
pub fn key_of(rel: &Path) -> String {
    let file_name = rel.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let (name, _) = name_and_lang(&file_name);
    let dir = rel.parent().map(display).unwrap_or_default();
    if dir.is_empty() { format!("{name}.md") } else { format!("{dir}/{name}.md") }
}

/// Withdraws drafts: a draft original takes its page away in every language (its translations are not shown
/// in its place, issue 11); a draft translation leaves its language to the original. `config.drafts` keeps
/// them all, for a preview.
fn without_drafts(docs: Vec<Doc>, config: &Config) -> (Vec<Doc>, Vec<Doc>) {
    if config.drafts {
        return (docs, Vec::new());
    }
    let withdrawn: BTreeSet<String> =
        docs.iter().filter(|d| d.front.draft && d.lang == config.default_language).map(|d| d.key.clone()).collect();
    docs.into_iter().partition(|d| !d.front.draft && !withdrawn.contains(&d.key))
}

/// Pairs parsed docs into entries, links the tree of sections, and resolves kinds and URL paths. `unreadable`
/// are the page files (relative to `content/`) that could not be read: their pages are not reported missing.
pub fn pair<'a>(
    docs: Vec<Doc>,
    unreadable: impl IntoIterator<Item = &'a PathBuf>,
    data: DataFiles,
    config: &Config,
    problems: &mut Diagnostics,
) -> Content {
    let (docs, withdrawn) = without_drafts(docs, config);
    let mut broken: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for rel in unreadable {
        let (key, lang) = key_and_lang(rel, config);
        broken.entry(key).or_default().insert(lang);
    }
    let mut groups: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for (i, doc) in docs.iter().enumerate() {
        groups.entry(doc.key.clone()).or_default().insert(doc.lang.clone(), i);
    }
    let mut entries = Vec::with_capacity(groups.len());
    let mut by_key = HashMap::with_capacity(groups.len());
    for (key, versions) in groups {
        let original = versions
            .get(&config.default_language)
            .or_else(|| config.languages.iter().find_map(|l| versions.get(&l.code)))
            .copied()
            .unwrap_or_else(|| *versions.values().next().expect("a group has at least one doc"));
        let unreadable = broken.remove(&key).unwrap_or_default();
        if !versions.contains_key(&config.default_language) && !unreadable.contains(&config.default_language) {
            let doc = &docs[original];
            problems.push(
                Diagnostic::warning(
                    Code::NoOriginal,
                    Location::file(&doc.source.path),
                    format!("there is no {} original of this page", config.default_language),
                )
                .with_help(format!(
                    "add {}: where a language is missing, readers see this {} text",
                    original_path(doc),
                    doc.lang
                )),
            );
        }
        by_key.insert(key.clone(), entries.len());
        entries.push(Entry {
            is_section: docs[original].is_section,
            key,
            parent: None,
            versions,
            original,
            kind: Kind::Page,
            template: None,
            paths: BTreeMap::new(),
            pages: Vec::new(),
            subsections: Vec::new(),
            unreadable,
        });
    }
    let mut content = Content { docs, withdrawn, entries, by_key, data };
    if !content.by_key.contains_key("_index.md") {
        problems.push(
            Diagnostic::error(Code::NoHome, Location::file("content/_index.md"), "the home page is missing")
                .with_help("create content/_index.md with front matter `title = \"…\"`"),
        );
        return content;
    }
    link_tree(&mut content);
    resolve_kinds(&mut content, problems);
    resolve_paths(&mut content, config, problems);
    crate::site::finder::check(&content, problems);
    content
}

fn original_path(doc: &Doc) -> String {
    let (name, _) = name_and_lang(doc.source.path.rsplit('/').next().unwrap_or(""));
    match doc.source.path.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{name}.md"),
        None => format!("{name}.md"),
    }
}

/// Sets each entry's parent (the nearest section above it) and each section's children.
fn link_tree(content: &mut Content) {
    let sections: HashMap<String, usize> = content
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.is_section)
        .map(|(i, e)| (key_dir(&e.key).to_string(), i))
        .collect();
    for i in 0..content.entries.len() {
        let entry = &content.entries[i];
        let mut dir = key_dir(&entry.key).to_string();
        if entry.is_section {
            if dir.is_empty() {
                continue;
            }
            dir = parent_dir(&dir).to_string();
        }
        let parent = loop {
            if let Some(&s) = sections.get(&dir) {
                break s;
            }
            dir = parent_dir(&dir).to_string();
        };
        content.entries[i].parent = Some(parent);
        if content.entries[i].is_section {
            content.entries[parent].subsections.push(i);
        } else {
            content.entries[parent].pages.push(i);
        }
    }
}

fn parent_dir(dir: &str) -> &str {
    dir.rsplit_once('/').map_or("", |(parent, _)| parent)
}

/// A page's kind and template: its own, else the nearest section's `page_kind` / `page_template`.
fn resolve_kinds(content: &mut Content, problems: &mut Diagnostics) {
    for i in 0..content.entries.len() {
        let entry = &content.entries[i];
        let front = &content.docs[entry.original].front;
        let mut kind = front.kind.as_ref().map(|k| *k.get_ref());
        let mut template = front.template.as_ref().map(|t| t.get_ref().clone());
        if !entry.is_section {
            for section in content.ancestors(i).into_iter().rev() {
                let sfront = &content.docs[content.entries[section].original].front;
                kind = kind.or_else(|| sfront.page_kind.as_ref().map(|k| *k.get_ref()));
                template = template.or_else(|| sfront.page_template.as_ref().map(|t| t.get_ref().clone()));
            }
        }
        let kind = kind.unwrap_or_default();
        for &doc in content.entries[i].versions.values() {
            check_kind_table(&content.docs[doc], kind, problems);
            check_kind_fields(&content.docs[doc], problems);
        }
        content.entries[i].kind = kind;
        content.entries[i].template = template;
    }
}

fn check_kind_table(doc: &Doc, kind: Kind, problems: &mut Diagnostics) {
    let front = &doc.front;
    let tables = [
        (Kind::Category, "category", front.category.as_ref().map(|t| t.span().start)),
        (Kind::Rule, "rule", front.rule.as_ref().map(|t| t.span().start)),
    ];
    for (table_kind, name, span) in tables {
        match span {
            Some(start) if table_kind != kind => problems.push(
                Diagnostic::error(
                    Code::KindMismatch,
                    doc.front_location(start),
                    format!("a [{name}] table on a page of kind `{}`", kind.name()),
                )
                .with_help(format!("set `kind = \"{name}\"`, or `page_kind = \"{name}\"` in the section's _index.md")),
            ),
            None if table_kind == kind => problems.push(
                Diagnostic::error(
                    Code::MissingKey,
                    doc.source.locate(0),
                    format!("a page of kind `{name}` needs a [{name}] table"),
                )
                .with_help(format!("add the [{name}] table to the front matter (see docs/content-format.md)")),
            ),
            _ => {}
        }
    }
}

/// `unconfirmed` must name fields of the table, and rule cases need distinct ids that work as anchors.
fn check_kind_fields(doc: &Doc, problems: &mut Diagnostics) {
    let check_unconfirmed = |names: &[toml::Spanned<String>], allowed: &[&str], problems: &mut Diagnostics| {
        for name in names {
            if !allowed.contains(&name.get_ref().as_str()) {
                let allowed: Vec<String> = allowed.iter().map(|a| a.to_string()).collect();
                let help = crate::diag::suggest::did_you_mean(name.get_ref(), &allowed)
                    .unwrap_or_else(|| format!("name one of {}", crate::diag::suggest::quote_list(&allowed)));
                problems.push(
                    Diagnostic::error(
                        Code::UnknownFieldName,
                        doc.front_location(name.span().start),
                        format!("`unconfirmed` names `{}`, which is not a field here", name.get_ref()),
                    )
                    .with_help(help),
                );
            }
        }
    };
    if let Some(category) = &doc.front.category {
        check_unconfirmed(&category.get_ref().unconfirmed, frontmatter::CATEGORY_FIELDS, problems);
    }
    if let Some(rule) = &doc.front.rule {
        let mut seen: Vec<&str> = Vec::new();
        for case in &rule.get_ref().cases {
            check_unconfirmed(&case.unconfirmed, frontmatter::RULE_CASE_FIELDS, problems);
            let id = case.id.get_ref();
            let at = doc.front_location(case.id.span().start);
            if id.is_empty() || !id.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
                problems.push(
                    Diagnostic::error(Code::BadId, at, format!("case id `{id}` cannot be used as an anchor"))
                        .with_help("use letters, digits, `-` and `_`"),
                );
            } else if seen.contains(&id.as_str()) {
                problems.push(
                    Diagnostic::error(Code::DuplicateId, at, format!("two cases have the id `{id}`"))
                        .with_help("give each case its own id"),
                );
            }
            seen.push(id);
        }
    }
}

fn resolve_paths(content: &mut Content, config: &Config, problems: &mut Diagnostics) {
    for i in 0..content.entries.len() {
        let entry = &content.entries[i];
        let mut paths = BTreeMap::new();
        let original_path = doc_path(&content.docs[entry.original], problems);
        for lang in &config.languages {
            let path = match entry.versions.get(&lang.code) {
                Some(&d) if d != entry.original => doc_path(&content.docs[d], problems),
                _ => original_path.clone(),
            };
            paths.insert(lang.code.clone(), path);
        }
        content.entries[i].paths = paths;
    }
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (i, entry) in content.entries.iter().enumerate() {
        for (lang, path) in &entry.paths {
            let (doc, _) = entry.doc_for(lang);
            if let Some(&other) = seen.get(&(lang.clone(), path.clone())) {
                let other_doc = &content.docs[content.entries[other].doc_for(lang).0];
                problems.push(
                    Diagnostic::error(
                        Code::DuplicateUrl,
                        Location::file(&content.docs[doc].source.path),
                        format!(
                            "this page and {} are both published at /{}{path}",
                            other_doc.source.path,
                            config.language_prefix(lang)
                        ),
                    )
                    .with_help("give one of them another `slug`, or rename the file"),
                );
            } else {
                seen.insert((lang.clone(), path.clone()), i);
            }
        }
    }
}

/// The path of a doc below its language root, from its folder and its `slug` or `path`.
fn doc_path(doc: &Doc, problems: &mut Diagnostics) -> String {
    let dir = key_dir(&doc.key);
    if doc.is_section {
        return if dir.is_empty() { String::new() } else { format!("{dir}/") };
    }
    if let Some(path) = &doc.front.path {
        let value = path.get_ref().trim_matches('/');
        return match check_url_path(value) {
            Ok(()) => format!("{value}/"),
            Err(why) => {
                problems.push(path_error(doc, path.span().start, "path", value, why));
                fallback_path(doc)
            }
        };
    }
    let slug = match &doc.front.slug {
        Some(slug) => match check_url_path(slug.get_ref()).and_then(|()| no_slash(slug.get_ref())) {
            Ok(()) => slug.get_ref().clone(),
            Err(why) => {
                problems.push(path_error(doc, slug.span().start, "slug", slug.get_ref(), why));
                return fallback_path(doc);
            }
        },
        None => name_and_lang(doc.key.rsplit('/').next().unwrap_or("")).0.to_string(),
    };
    if dir.is_empty() { format!("{slug}/") } else { format!("{dir}/{slug}/") }
}

fn fallback_path(doc: &Doc) -> String {
    format!("{}/", doc.key.trim_end_matches(".md"))
}

fn no_slash(slug: &str) -> Result<(), &'static str> {
    if slug.contains('/') { Err("a slug is one part of a URL and cannot contain `/`") } else { Ok(()) }
}

fn path_error(doc: &Doc, span_start: usize, key: &str, value: &str, why: &str) -> Diagnostic {
    Diagnostic::error(
        Code::UnsafePath,
        doc.front_location(span_start),
        format!("`{key} = \"{value}\"` is refused: {why}"),
    )
    .with_help("use letters, digits, `-` and `_`, with `/` between parts")
}

/// The first character of a file's path (below content/ or static/) that a URL cannot carry as it is, named.
pub fn unsafe_name_char(rel: &str) -> Option<String> {
    let c = rel.chars().find(|&c| c.is_control() || matches!(c, '\\' | '#' | '?' | '%'))?;
    Some(match c {
        '\t' => "a tab".to_string(),
        '\n' | '\r' => "a line break".to_string(),
        c if c.is_control() => format!("a control character (U+{:04X})", u32::from(c)),
        c => format!("`{c}`"),
    })
}

/// A URL path must stay inside the output folder and be a plain folder name on every system.
pub fn check_url_path(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("it is empty");
    }
    for part in path.split('/') {
        if part.is_empty() {
            return Err("it has an empty part (`//`)");
        }
        if part == "." || part == ".." {
            return Err("`.` and `..` would leave the page's folder");
        }
        if part.starts_with('.') {
            return Err("a part starting with `.` is hidden on most hosts");
        }
        if part
            .chars()
            .any(|c| c.is_control() || matches!(c, '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '#' | '%' | ' '))
        {
            return Err("it contains a character that is not allowed in a URL path");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_suffix_only_when_it_looks_like_a_code() {
        assert_eq!(name_and_lang("renewal.zh.md"), ("renewal", Some("zh")));
        assert_eq!(name_and_lang("_index.md"), ("_index", None));
        assert_eq!(name_and_lang("v1.2.md"), ("v1.2", None));
        assert_eq!(name_and_lang("faq.pt-br.md"), ("faq", Some("pt-br")));
    }

    #[test]
    fn url_paths_cannot_escape() {
        assert!(check_url_path("a/b-c").is_ok());
        assert!(check_url_path("申请").is_ok());
        for bad in ["../x", "a/../../b", "a//b", ".hidden", "a\\b", "c:", "a b"] {
            assert!(check_url_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn editor_files_are_ignored() {
        for name in [".x.md.swp", "x.md~", "#x.md#", ".#x.md", "4913"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("x.md"));
    }
}
