//! The site read from disk, in the terms the conversion needs: languages, pages with their diptych key and
//! language, and the files beside them.

use std::collections::BTreeMap;
use std::path::Path;

use super::report::{Group, Note};
use crate::site::content::{display, is_ignored_name, name_and_lang};

/// A Zola or Hugo site, read.
#[derive(Debug, Default)]
pub struct SourceSite {
    pub base_url: String,
    pub default_language: String,
    /// Whether the default language is published under its own prefix (`/en/`) or at the root.
    pub default_language_prefix: bool,
    /// Default language first.
    pub languages: Vec<SourceLanguage>,
    /// Free-form configuration (Zola `[extra]`, Hugo `[params]`), carried to `site.toml`'s `[extra]`.
    pub extra: toml::Table,
    pub pages: Vec<SourcePage>,
    pub assets: Vec<SourceAsset>,
    pub notes: Vec<Note>,
}

#[derive(Debug, Default, Clone)]
pub struct SourceLanguage {
    pub code: String,
    pub name: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
}

/// A Markdown file of the source.
#[derive(Debug)]
pub struct SourcePage {
    /// Its path in the source folder, for the report: `content/blog/a.fr.md`.
    pub display: String,
    /// Its diptych key: `blog/a.md`, `blog/_index.md`; a bundle `blog/b/index.md` is `blog/b.md`.
    pub key: String,
    pub lang: String,
    pub text: String,
    /// The folder of a page bundle (`blog/b`), whose files it may link to by name.
    pub bundle: Option<String>,
}

/// A file of `content/` that is not a page: published from `static/<static_rel>`.
#[derive(Debug)]
pub struct SourceAsset {
    pub display: String,
    pub bytes: Vec<u8>,
    pub static_rel: String,
}

/// How the files of one content folder get their language.
pub struct LanguageRule<'a> {
    /// Every file is in this language (Hugo's `contentDir` per language).
    pub fixed: Option<&'a str>,
    pub default: &'a str,
    pub known: &'a [String],
}

impl LanguageRule<'_> {
    /// The language of `name.xx.md`, and the name without a language suffix.
    fn of<'n>(&self, file_name: &'n str) -> (&'n str, String) {
        let (name, suffix) = name_and_lang(file_name);
        match (self.fixed, suffix) {
            (_, Some(code)) if self.known.iter().any(|k| k == code) => (name, code.to_string()),
            (Some(fixed), _) => (name, fixed.to_string()),
            (None, _) => (name, self.default.to_string()),
        }
    }
}

/// Reads every page and file below `root/dir` (`dir` as the source names it, such as `content.en`).
pub fn read_content(root: &Path, dir: &str, rule: &LanguageRule, site: &mut SourceSite) {
    let base = root.join(dir);
    let walker = walkdir::WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    let mut files = Vec::new();
    for item in walker {
        match item {
            Ok(entry) if entry.file_type().is_file() => {
                files.push(display(entry.path().strip_prefix(&base).unwrap_or(entry.path())));
            }
            Ok(_) => {}
            Err(e) => site.notes.push(Note::new(Group::Error, dir, format!("cannot read: {e}"))),
        }
    }
    let bundles = bundle_dirs(&files);
    for rel in files {
        let shown = if dir.is_empty() { rel.clone() } else { format!("{dir}/{rel}") };
        let bytes = match std::fs::read(base.join(&rel)) {
            Ok(bytes) => bytes,
            Err(e) => {
                site.notes.push(Note::new(
                    Group::Error,
                    shown,
                    format!("cannot read: {}", crate::fsutil::io_reason(&e)),
                ));
                continue;
            }
        };
        if !rel.ends_with(".md") {
            site.notes.push(Note::new(Group::Asset, &shown, format!("published as static/{rel}")));
            site.assets.push(SourceAsset { display: shown, bytes, static_rel: rel });
            continue;
        }
        let text = match crate::fsutil::normalize(bytes, &shown) {
            Ok(text) => text,
            Err(problem) => {
                site.notes.push(Note::new(Group::Error, shown, problem.message));
                continue;
            }
        };
        let (folder, file_name) = rel.rsplit_once('/').map_or(("", rel.as_str()), |(d, f)| (d, f));
        let (name, lang) = rule.of(file_name);
        let (key, bundle) = page_key(folder, name, &bundles);
        site.pages.push(SourcePage { display: shown, key, lang, text, bundle });
    }
}

/// Folders with an `index.md` (a leaf bundle) or `_index.md` (a branch bundle): their files belong to the page.
fn bundle_dirs(files: &[String]) -> BTreeMap<String, ()> {
    files
        .iter()
        .filter_map(|f| {
            let (folder, file) = f.rsplit_once('/').map_or(("", f.as_str()), |(d, f)| (d, f));
            let (name, _) = name_and_lang(file);
            (file.ends_with(".md") && (name == "index" || name == "_index")).then(|| (folder.to_string(), ()))
        })
        .collect()
}

/// The diptych key of `folder/name.md`: a leaf bundle's `index` is the page named after its folder.
fn page_key(folder: &str, name: &str, bundles: &BTreeMap<String, ()>) -> (String, Option<String>) {
    let joined = |n: &str| if folder.is_empty() { format!("{n}.md") } else { format!("{folder}/{n}.md") };
    match name {
        "index" if folder.is_empty() => ("_index.md".to_string(), None),
        "index" => (format!("{folder}.md"), Some(folder.to_string())),
        "_index" => (joined("_index"), bundles.contains_key(folder).then(|| folder.to_string())),
        _ => (joined(name), None),
    }
}

/// `English`, `Français`: a language's name in itself, for codes a site does not name.
pub fn native_name(code: &str) -> String {
    english_and_native(code).map_or_else(|| code.to_string(), |(_, native)| native.to_string())
}

/// `French`: a language's name in English.
pub fn english_name(code: &str) -> String {
    english_and_native(code).map_or_else(|| code.to_string(), |(english, _)| english.to_string())
}

fn english_and_native(code: &str) -> Option<(&'static str, &'static str)> {
    const NAMES: &[(&str, &str, &str)] = &[
        ("ar", "Arabic", "العربية"),
        ("de", "German", "Deutsch"),
        ("en", "English", "English"),
        ("es", "Spanish", "Español"),
        ("fr", "French", "Français"),
        ("he", "Hebrew", "עברית"),
        ("it", "Italian", "Italiano"),
        ("ja", "Japanese", "日本語"),
        ("ko", "Korean", "한국어"),
        ("nl", "Dutch", "Nederlands"),
        ("pt", "Portuguese", "Português"),
        ("ru", "Russian", "Русский"),
        ("zh", "Chinese", "中文"),
    ];
    let primary = code.split('-').next().unwrap_or(code);
    NAMES.iter().find(|(c, _, _)| *c == primary).map(|(_, e, n)| (*e, *n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaf_bundles_become_pages_named_after_their_folder() {
        let bundles = bundle_dirs(&["blog/b/index.md".to_string(), "blog/b/x.js".to_string()]);
        assert_eq!(page_key("blog/b", "index", &bundles), ("blog/b.md".to_string(), Some("blog/b".to_string())));
        assert_eq!(page_key("blog", "_index", &bundles), ("blog/_index.md".to_string(), None));
        assert_eq!(page_key("", "index", &bundles), ("_index.md".to_string(), None));
    }

    #[test]
    fn language_from_suffix_or_folder() {
        let known = ["en".to_string(), "fr".to_string()];
        let rule = LanguageRule { fixed: None, default: "en", known: &known };
        assert_eq!(rule.of("a.fr.md"), ("a", "fr".to_string()));
        assert_eq!(rule.of("a.en.md"), ("a", "en".to_string()));
        assert_eq!(rule.of("v1.2.md"), ("v1.2", "en".to_string()));
        let rule = LanguageRule { fixed: Some("fr"), default: "en", known: &known };
        assert_eq!(rule.of("a.md"), ("a", "fr".to_string()));
    }
}
