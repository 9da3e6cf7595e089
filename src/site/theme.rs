//! Loads a theme (from `themes/<name>/` or the built-in default) with the site's own overrides:
//! templates, theme strings per language, and static files with content-hashed names.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceText};
use crate::fsutil;
use crate::site::config::Config;
use crate::site::content;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));
}

/// The built-in default theme's files, relative to the theme folder.
pub fn embedded_files() -> &'static [(&'static str, &'static [u8])] {
    embedded::FILES
}

#[derive(Clone, Debug)]
pub struct Template {
    /// The name templates use to refer to it: `page.html`, `shortcodes/office.html`.
    pub name: String,
    /// Where it comes from, for diagnostics: `themes/default/templates/page.html`.
    pub path: String,
    pub source: String,
}

/// A file to publish: where it goes in the output, and its bytes.
#[derive(Clone, Debug)]
pub struct StaticFile {
    pub out_path: String,
    pub bytes: Vec<u8>,
}

#[derive(Clone, Debug, Default)]
pub struct Theme {
    pub templates: Vec<Template>,
    pub static_files: Vec<StaticFile>,
    /// Theme CSS and JS by name (`style.css`) → their hashed output path (`static/style.1a2b3c4d.css`).
    pub assets: BTreeMap<String, String>,
    /// Language → key → string, the theme's and the site's merged.
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
}

/// One file of the theme as found on disk or in the binary.
struct RawFile {
    rel: String,
    path: String,
    bytes: Vec<u8>,
}

/// Loads the configured theme and the site's overrides (`templates/`, `i18n/`, `static/` at the site root).
pub fn load(root: &Path, config: &Config) -> (Theme, Diagnostics) {
    let mut problems = Diagnostics::default();
    let theme_dir = root.join("themes").join(&config.theme);
    let theme_files = if theme_dir.is_dir() {
        read_tree(root, &theme_dir, &mut problems)
    } else if config.theme == "default" {
        embedded_files()
            .iter()
            .map(|(rel, bytes)| RawFile {
                rel: rel.to_string(),
                path: format!("<built-in theme>/{rel}"),
                bytes: bytes.to_vec(),
            })
            .collect()
    } else {
        problems.push(
            Diagnostic::error(
                Code::NoTheme,
                Location::file("site.toml"),
                format!("there is no theme `{}`", config.theme),
            )
            .with_help(format!("create themes/{}/, or remove `theme` to use the built-in default theme", config.theme)),
        );
        Vec::new()
    };
    let site_templates = read_tree(root, &root.join("templates"), &mut problems);
    let site_i18n = read_tree(root, &root.join("i18n"), &mut problems);
    let site_static = read_tree(root, &root.join("static"), &mut problems);

    let mut theme = Theme::default();
    let mut templates: BTreeMap<String, Template> = BTreeMap::new();
    let mut i18n_files: Vec<(String, RawFile)> = Vec::new();
    for file in theme_files {
        if let Some(name) = file.rel.strip_prefix("templates/").map(str::to_string) {
            add_template(&mut templates, &name, file, &mut problems);
        } else if let Some(name) = file.rel.strip_prefix("i18n/") {
            i18n_files.push((name.to_string(), file));
        } else if let Some(name) = file.rel.strip_prefix("static/") {
            let out_path = hashed_name(name, &file.bytes);
            if out_path != format!("static/{name}") {
                theme.assets.insert(name.to_string(), out_path.clone());
            }
            theme.static_files.push(StaticFile { out_path, bytes: file.bytes });
        }
    }
    for file in site_templates {
        let name = file.rel.clone();
        add_template(&mut templates, &name, file, &mut problems);
    }
    theme.templates = templates.into_values().collect();
    i18n_files.extend(site_i18n.into_iter().map(|f| (f.rel.clone(), f)));
    theme.strings = load_strings(&i18n_files, config, &mut problems);
    for file in site_static {
        theme.static_files.retain(|s| s.out_path != file.rel);
        theme.static_files.push(StaticFile { out_path: file.rel, bytes: file.bytes });
    }
    (theme, problems)
}

fn add_template(templates: &mut BTreeMap<String, Template>, name: &str, file: RawFile, problems: &mut Diagnostics) {
    match fsutil::decode(file.bytes, &file.path) {
        Ok(source) => {
            templates.insert(name.to_string(), Template { name: name.to_string(), path: file.path, source });
        }
        Err(d) => problems.push(d),
    }
}

/// Every file below `dir` (none if it does not exist), skipping editor files, sorted.
fn read_tree(root: &Path, dir: &Path, problems: &mut Diagnostics) -> Vec<RawFile> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !content::is_ignored_name(&e.file_name().to_string_lossy()));
    for item in walker {
        let entry = match item {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map(|p| content::display(p.strip_prefix(root).unwrap_or(p))).unwrap_or_default();
                problems.push(Diagnostic::error(Code::Unreadable, Location::file(path), format!("cannot read: {err}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = content::display(entry.path().strip_prefix(root).unwrap_or(entry.path()));
        let rel = content::display(entry.path().strip_prefix(dir).unwrap_or(entry.path()));
        match fsutil::read(entry.path(), &path) {
            Ok(bytes) => files.push(RawFile { rel, path, bytes }),
            Err(d) => problems.push(d),
        }
    }
    files
}

/// `style.css` → `static/style.1a2b3c4d.css`, so a host can cache it forever; other files keep their name.
fn hashed_name(name: &str, bytes: &[u8]) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext @ ("css" | "js"))) => {
            format!("static/{stem}.{:08x}.{ext}", (fsutil::fingerprint(bytes) >> 32) as u32)
        }
        _ => format!("static/{name}"),
    }
}

/// Theme strings a language may leave out: `language_name_zh` names Chinese in the language of the file,
/// and where it is missing a template shows the language's own name.
const OPTIONAL_PREFIX: &str = "language_name_";

/// The built-in theme's strings file for `lang`, for `diptych theme strings`.
pub fn built_in_strings(lang: &str) -> Result<String, crate::diag::Failure> {
    let name = format!("i18n/{lang}.toml");
    match embedded_files().iter().find(|(rel, _)| *rel == name) {
        Some((_, bytes)) => Ok(String::from_utf8_lossy(bytes).into_owned()),
        None => {
            let have: Vec<&str> = embedded_files()
                .iter()
                .filter_map(|(rel, _)| rel.strip_prefix("i18n/")?.strip_suffix(".toml"))
                .collect();
            Err(crate::diag::Failure::Usage(format!(
                "the built-in theme has no strings in `{lang}`; it has them in {}: print one, then translate it",
                have.join(" and ")
            )))
        }
    }
}

/// Reads `i18n/<lang>.toml` files (theme first, site overrides after) and checks that every language has
/// every string.
fn load_strings(
    files: &[(String, RawFile)],
    config: &Config,
    problems: &mut Diagnostics,
) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut strings: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut origin: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut files_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, file) in files {
        let Some(lang) = name.strip_suffix(".toml") else { continue };
        if !config.has_language(lang) {
            continue;
        }
        let text = match fsutil::decode(file.bytes.clone(), &file.path) {
            Ok(text) => text,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        let source = SourceText::new(file.path.clone(), text);
        match crate::diag::from_toml::parse::<BTreeMap<String, String>>(&source, 0, &source.text) {
            Ok(map) => {
                for (key, value) in map {
                    origin.insert((lang.to_string(), key.clone()), file.path.clone());
                    strings.entry(lang.to_string()).or_default().insert(key, value);
                }
                files_of.entry(lang.to_string()).or_default().push(file.path.clone());
            }
            Err(d) => problems.push(d),
        }
    }
    // `language_name_<code>` keys are optional: a language is named by its own `name` in site.toml.
    let all_keys: std::collections::BTreeSet<&String> =
        strings.values().flat_map(|m| m.keys()).filter(|k| !k.starts_with(OPTIONAL_PREFIX)).collect();
    let full_list = if config.theme == "default" {
        format!("`diptych theme strings {}` prints every string of the built-in theme", config.default_language)
    } else {
        format!("themes/{}/i18n/{}.toml has every string of the theme", config.theme, config.default_language)
    };
    for lang in &config.languages {
        let Some(have) = strings.get(&lang.code) else {
            problems.push(
                Diagnostic::error(
                    Code::MissingString,
                    Location::file(format!("i18n/{}.toml", lang.code)),
                    format!("the theme has no strings for language `{}`", lang.code),
                )
                .with_help(format!("create i18n/{}.toml with a translation of every string: {full_list}", lang.code)),
            );
            continue;
        };
        let missing: Vec<&str> = all_keys.iter().filter(|k| !have.contains_key(**k)).map(|k| k.as_str()).collect();
        if missing.is_empty() {
            continue;
        }
        let file = files_of[&lang.code].last().cloned().unwrap_or_default();
        // The built-in theme's files cannot be edited; a site adds strings in its own i18n/.
        let file = if file.starts_with("<built-in theme>/") { format!("i18n/{}.toml", lang.code) } else { file };
        let (count, list) = (missing.len(), missing.join(", "));
        let message = if count == 1 {
            format!("theme string `{list}` is missing in `{}`", lang.code)
        } else {
            format!("{count} theme strings are missing in `{}`: {list}", lang.code)
        };
        let example = missing[0];
        let help = match strings.iter().find_map(|(l, m)| m.get(example).map(|v| (l, v))) {
            Some((other, value)) => format!(
                "add a line `key = \"…\"` for each, such as `{example} = \"…\"` (in `{other}` it is {value:?}, {}); {full_list}",
                origin[&(other.clone(), example.to_string())]
            ),
            None => format!("add a line `key = \"…\"` for each; {full_list}"),
        };
        problems.push(Diagnostic::error(Code::MissingString, Location::file(file), message).with_help(help));
    }
    strings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_css_and_js_get_hashed_names() {
        let css = hashed_name("style.css", b"body{}");
        assert!(
            css.starts_with("static/style.") && css.ends_with(".css") && css.len() == "static/style.12345678.css".len(),
            "{css}"
        );
        assert_eq!(hashed_name("logo.svg", b"<svg/>"), "static/logo.svg");
        assert_ne!(hashed_name("a.js", b"1"), hashed_name("a.js", b"2"));
    }

    #[test]
    fn built_in_theme_has_templates_and_strings_for_en_and_zh() {
        let names: Vec<&str> = embedded_files().iter().map(|(n, _)| *n).collect();
        for needed in ["templates/base.html", "templates/page.html", "i18n/en.toml", "i18n/zh.toml"] {
            assert!(names.contains(&needed), "{needed} in {names:?}");
        }
    }
}
