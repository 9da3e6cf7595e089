//! The imported site's own files: `site.toml`, and `i18n/<lang>.toml` for languages the default theme lacks.

use std::collections::BTreeMap;

use super::report::{Group, Note};
use super::source::{SourceSite, english_name, native_name};

/// `site.toml` for the imported site. `home_titles` are the home page titles per language, used where the
/// source names no site title.
pub fn site_toml(site: &SourceSite, home_titles: &BTreeMap<String, String>, notes: &mut Vec<Note>) -> String {
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let base_url = if site.base_url.starts_with("http://") || site.base_url.starts_with("https://") {
        site.base_url.clone()
    } else {
        notes.push(Note::new(
            Group::Config,
            "site.toml",
            format!("base URL {:?} is not absolute; https://example.org/ was written: set yours", site.base_url),
        ));
        "https://example.org/".to_string()
    };
    let mut out = String::from("# Written by `diptych import`; see docs/content-format.md for every key.\n");
    out.push_str(&format!("base_url = {}\n", quote(&base_url)));
    out.push_str(&format!("default_language = {}\n", quote(&site.default_language)));
    out.push_str(&format!("default_language_prefix = {}\n", site.default_language_prefix));
    for lang in &site.languages {
        let title = lang.title.clone().or_else(|| home_titles.get(&lang.code).cloned()).unwrap_or_else(|| {
            home_titles.get(&site.default_language).cloned().unwrap_or_else(|| "Imported site".to_string())
        });
        if lang.title.is_none() {
            notes.push(Note::new(
                Group::Config,
                "site.toml",
                format!("the source names no title for `{}`; its home page's title {title:?} was used", lang.code),
            ));
        }
        let name = lang.name.clone().unwrap_or_else(|| native_name(&lang.code));
        out.push_str(&format!("\n[languages.{}]\nname = {}\ntitle = {}\n", lang.code, quote(&name), quote(&title)));
        if let Some(description) = &lang.description {
            out.push_str(&format!("description = {}\n", quote(description)));
        }
    }
    if !site.extra.is_empty() {
        let mut wrapper = toml::Table::new();
        wrapper.insert("extra".to_string(), toml::Value::Table(site.extra.clone()));
        out.push('\n');
        out.push_str(&toml::to_string(&wrapper).unwrap_or_default());
    }
    out
}

/// The default theme's strings in `lang`, if it has them.
fn theme_strings(lang: &str) -> Option<&'static str> {
    let name = format!("i18n/{lang}.toml");
    crate::site::theme::embedded_files()
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, bytes)| std::str::from_utf8(bytes).ok())
}

/// `i18n/<lang>.toml` files: a copy of the English strings for a language the theme lacks, and the
/// `language_name_<code>` strings every language needs for every other one.
pub fn i18n_files(site: &SourceSite, notes: &mut Vec<Note>) -> Vec<(String, String)> {
    let english = theme_strings("en").unwrap_or("");
    let mut files = Vec::new();
    for lang in &site.languages {
        let path = format!("i18n/{}.toml", lang.code);
        let own = theme_strings(&lang.code);
        let mut text = match own {
            Some(_) => format!("# Strings the default theme lacks for `{}`, added by `diptych import`.\n", lang.code),
            None => {
                notes.push(Note::new(
                    Group::ThemeStrings,
                    &path,
                    format!(
                        "the default theme has no `{}` strings: this file holds its English ones, to translate",
                        lang.code
                    ),
                ));
                let body = english.split_once('\n').map_or(english, |(_, rest)| rest);
                format!(
                    "# The default theme's English strings, copied by `diptych import`: translate them into {}.\n{body}",
                    english_name(&lang.code)
                )
            }
        };
        let have = own.unwrap_or(english);
        let mut added = Vec::new();
        for other in &site.languages {
            let key = format!("language_name_{}", other.code);
            if have.lines().any(|l| l.starts_with(&format!("{key} "))) {
                continue;
            }
            let name = if lang.code == "en" { english_name(&other.code) } else { native_name(&other.code) };
            text.push_str(&format!("{key} = {}\n", toml::Value::String(name)));
            added.push(key);
        }
        if own.is_some() && added.is_empty() {
            continue;
        }
        if own.is_some() {
            notes.push(Note::new(Group::ThemeStrings, &path, format!("added {}: check the names", added.join(", "))));
        }
        files.push((path, text));
    }
    files
}
