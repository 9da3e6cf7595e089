//! Reads a Zola site: `config.toml` (languages, base URL, titles) and `content/` with `name.lang.md` files.

use std::path::Path;

use super::config_file::{ConfigFile, read_static};
use super::report::{Group, Note};
use super::source::{LanguageRule, SourceLanguage, SourceSite, read_content};

/// Keys of Zola's `config.toml` that diptych reads; every other one is reported.
const CARRIED: &[&str] = &["base_url", "default_language", "title", "description", "languages", "extra"];

pub fn read(root: &Path) -> Result<SourceSite, String> {
    let config = ConfigFile::find(root, &["config.toml", "zola.toml"])?;
    let table = &config.table;
    let mut site = SourceSite {
        base_url: config.string("base_url").unwrap_or_default(),
        default_language: config.string("default_language").unwrap_or_else(|| "en".to_string()),
        default_language_prefix: false,
        extra: table.get("extra").and_then(|v| v.as_table()).cloned().unwrap_or_default(),
        notes: config.notes.clone(),
        ..SourceSite::default()
    };
    let mut default = SourceLanguage {
        code: site.default_language.clone(),
        title: config.string("title"),
        description: config.string("description"),
        ..SourceLanguage::default()
    };
    let mut others = Vec::new();
    if let Some(languages) = table.get("languages").and_then(|v| v.as_table()) {
        for (code, value) in languages {
            let lang = value.as_table().cloned().unwrap_or_default();
            let get = |k: &str| lang.get(k).and_then(|v| v.as_str()).map(str::to_string);
            let language = SourceLanguage {
                code: code.clone(),
                name: None,
                title: get("title").or_else(|| default.title.clone()),
                description: get("description").or_else(|| default.description.clone()),
            };
            for key in lang.keys().filter(|k| !["title", "description"].contains(&k.as_str())) {
                let group = if key == "taxonomies" { Group::Taxonomy } else { Group::Config };
                site.notes.push(config.note(
                    group,
                    &format!("languages.{code}"),
                    key,
                    format!("`languages.{code}.{key}` not carried"),
                ));
            }
            if *code == site.default_language {
                default.title = language.title.or(default.title);
                default.description = language.description.or(default.description);
            } else {
                others.push(language);
            }
        }
    }
    site.languages = std::iter::once(default).chain(others).collect();
    for key in table.keys().filter(|k| !CARRIED.contains(&k.as_str())) {
        let group = if key == "taxonomies" { Group::Taxonomy } else { Group::Config };
        site.notes.push(config.note(group, "", key, format!("`{key}` not carried")));
    }
    for folder in ["templates", "themes", "sass"] {
        if root.join(folder).is_dir() {
            site.notes.push(Note::new(
                Group::Template,
                format!("{folder}/"),
                "not carried: the imported site uses diptych's default theme",
            ));
        }
    }
    if !root.join("content").is_dir() {
        return Err(format!("{} has no content/ folder: is it a Zola site?", root.display()));
    }
    let known: Vec<String> = site.languages.iter().map(|l| l.code.clone()).collect();
    let default_language = site.default_language.clone();
    let rule = LanguageRule { fixed: None, default: &default_language, known: &known };
    read_content(root, "content", &rule, &mut site);
    read_static(root, "static", &mut site);
    Ok(site)
}
