//! Reads a Hugo site: `hugo.toml`/`hugo.yaml`/`config.*` (languages with their `contentDir`, base URL,
//! titles) and the content folders, one per language or one with `name.lang.md` files.

use std::path::Path;

use super::config_file::{ConfigFile, read_static};
use super::report::{Group, Note};
use super::source::{LanguageRule, SourceLanguage, SourceSite, read_content};

const CONFIG_NAMES: &[&str] = &["hugo.toml", "hugo.yaml", "hugo.yml", "config.toml", "config.yaml", "config.yml"];

/// Top-level keys diptych reads (lowercase); every other one is reported.
const CARRIED: &[&str] = &[
    "baseurl",
    "title",
    "defaultcontentlanguage",
    "defaultcontentlanguageinsubdir",
    "languages",
    "params",
    "contentdir",
];

/// Per-language keys diptych reads (lowercase).
const LANGUAGE_KEYS: &[&str] = &["label", "languagename", "title", "contentdir", "weight", "params"];

pub fn read(root: &Path) -> Result<SourceSite, String> {
    let config = ConfigFile::find(root, CONFIG_NAMES)?;
    let params = config.get("params").and_then(|v| v.as_table()).cloned().unwrap_or_default();
    let mut site = SourceSite {
        base_url: config.string("baseURL").unwrap_or_default(),
        default_language: config.string("defaultContentLanguage").unwrap_or_else(|| "en".to_string()),
        default_language_prefix: config
            .get("defaultContentLanguageInSubdir")
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        extra: params.clone(),
        notes: config.notes.clone(),
        ..SourceSite::default()
    };
    let title = config.string("title");
    let description = params.get("description").and_then(|v| v.as_str()).map(str::to_string);
    let content_dir = config.string("contentDir").unwrap_or_else(|| "content".to_string());
    let mut languages: Vec<(i64, SourceLanguage, String)> = Vec::new();
    if let Some(table) = config.get("languages").and_then(|v| v.as_table()) {
        for (code, value) in table {
            let lang = value.as_table().cloned().unwrap_or_default();
            let get = |k: &str| {
                lang.iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(k))
                    .and_then(|(_, v)| v.as_str())
                    .map(str::to_string)
            };
            let weight = lang.iter().find(|(k, _)| k.eq_ignore_ascii_case("weight")).and_then(|(_, v)| v.as_integer());
            let lang_description =
                lang.get("params").and_then(|p| p.get("description")).and_then(|v| v.as_str()).map(str::to_string);
            languages.push((
                weight.unwrap_or(0),
                SourceLanguage {
                    code: code.to_lowercase(),
                    name: get("label").or_else(|| get("languageName")),
                    title: get("title").or_else(|| title.clone()),
                    description: lang_description.or_else(|| description.clone()),
                },
                get("contentDir").unwrap_or_else(|| content_dir.clone()),
            ));
            for key in lang.keys().filter(|k| !LANGUAGE_KEYS.contains(&k.to_lowercase().as_str())) {
                site.notes.push(config.note(
                    Group::Config,
                    &format!("languages.{code}"),
                    key,
                    format!("`languages.{code}.{key}` not carried"),
                ));
            }
        }
    }
    if languages.is_empty() {
        let default = SourceLanguage {
            code: site.default_language.clone(),
            title: title.clone(),
            description: description.clone(),
            ..SourceLanguage::default()
        };
        languages.push((0, default, content_dir.clone()));
    }
    let default_language = site.default_language.clone();
    languages.sort_by_key(|(weight, lang, _)| (lang.code != default_language, *weight, lang.code.clone()));
    if languages.first().is_none_or(|(_, l, _)| l.code != default_language) {
        return Err(format!(
            "defaultContentLanguage `{default_language}` is not one of the languages in {}",
            config.name
        ));
    }
    for key in config.table.keys().filter(|k| !CARRIED.contains(&k.to_lowercase().as_str())) {
        let group = match key.to_lowercase().as_str() {
            "taxonomies" => Group::Taxonomy,
            "theme" => Group::Template,
            _ => Group::Config,
        };
        site.notes.push(config.note(group, "", key, format!("`{key}` not carried")));
    }
    for folder in ["layouts", "themes", "assets", "i18n", "data", "archetypes", "config"] {
        if root.join(folder).is_dir() {
            site.notes.push(Note::new(
                if folder == "layouts" || folder == "themes" { Group::Template } else { Group::Config },
                format!("{folder}/"),
                "not carried: diptych's default theme does not read it",
            ));
        }
    }
    site.languages = languages.iter().map(|(_, l, _)| l.clone()).collect();
    let known: Vec<String> = site.languages.iter().map(|l| l.code.clone()).collect();
    let shared_dir_langs = languages.iter().filter(|(_, _, dir)| *dir == content_dir).count();
    let mut read_dirs = Vec::new();
    for (_, lang, dir) in &languages {
        if read_dirs.contains(dir) {
            continue;
        }
        read_dirs.push(dir.clone());
        if !root.join(dir).is_dir() {
            site.notes.push(Note::new(
                Group::Config,
                format!("{dir}/"),
                format!("the content folder of `{}` is missing", lang.code),
            ));
            continue;
        }
        // A folder shared by several languages tells them apart by `name.lang.md`; a language's own folder
        // holds only that language.
        let shared = *dir == content_dir && shared_dir_langs > 1;
        let fixed = if shared { None } else { Some(lang.code.as_str()) };
        let rule = LanguageRule { fixed, default: &default_language, known: &known };
        read_content(root, dir, &rule, &mut site);
    }
    read_static(root, "static", &mut site);
    Ok(site)
}
