//! The site configuration, `site.toml`: parsed, validated, and resolved into URLs and languages.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diag::Code;
use crate::diag::from_toml;
use crate::diag::{Diagnostic, Diagnostics, SourceText};
use crate::site::date::{TIME_ZONE_FORMS, TimeZone};

pub const FILE_NAME: &str = "site.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    base_url: Spanned<String>,
    default_language: Spanned<String>,
    #[serde(default = "yes")]
    default_language_prefix: bool,
    #[serde(default = "default_theme")]
    theme: Spanned<String>,
    /// The zone whose date is "today" (freshness, the holiday calendar's horizon): default UTC.
    time_zone: Option<Spanned<String>>,
    languages: Spanned<BTreeMap<String, Spanned<RawLanguage>>>,
    #[serde(default)]
    check: CheckConfig,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default)]
    build: BuildConfig,
    #[serde(default)]
    feeds: FeedsConfig,
    #[serde(default)]
    offices: OfficesConfig,
    #[serde(default)]
    search: SearchConfig,
    #[serde(default)]
    extra: toml::Table,
}

fn yes() -> bool {
    true
}

fn default_theme() -> Spanned<String> {
    Spanned::new(0..0, "default".to_string())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    name: String,
    title: String,
    #[serde(default)]
    description: String,
    lang_tag: Option<String>,
    /// `rtl` or `ltr`; by default `rtl` for the right-to-left languages (`ar`, `he`, `fa`, `ur`, …).
    dir: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// `check` warns about pages whose `reviewed` date is older than this.
    #[serde(default = "twelve")]
    pub review_max_age_months: u32,
    /// Codes of warnings accepted on purpose: `check --strict` keeps them warnings (see `Diagnostics::make_strict`).
    #[serde(default, skip_serializing)]
    pub allow: Vec<Spanned<String>>,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig { review_max_age_months: twelve(), allow: Vec::new() }
    }
}

impl CheckConfig {
    /// The codes `allow` names (each checked by `Config::parse`).
    pub fn allowed(&self) -> Vec<Code> {
        self.allow.iter().filter_map(|name| Code::from_name(name.get_ref())).collect()
    }
}

fn twelve() -> u32 {
    12
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Raw HTML with scripts, event handlers or iframes is an error unless this is true.
    #[serde(default)]
    pub allow_unsafe_html: bool,
    /// Headings h2–h6 get a link to themselves (`<a class="heading-anchor">`).
    #[serde(default = "yes")]
    pub heading_anchors: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig { allow_unsafe_html: false, heading_anchors: true }
    }
}

/// `[build]`: what `build` writes besides the pages.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildConfig {
    /// Writes `.br` and `.gz` beside every text file, for hosts that serve them as they are.
    #[serde(default)]
    pub precompress: bool,
}

/// `[search]`: a search index and page per language. A site without the table has no search; a `[search]`
/// table turns it on unless it says `enabled = false`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
}

/// `[feeds]`: the Atom feed of each language, of the pages added or reviewed most recently.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedsConfig {
    /// Writes `atom.xml` in each language's folder, and links it from every page (the default).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// How many pages each feed lists, the most recent first.
    #[serde(default = "thirty")]
    pub limit: Spanned<usize>,
    /// The feed's author; without it, the site's title in the feed's language.
    pub author: Option<String>,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig { enabled: true, limit: thirty(), author: None }
    }
}

fn thirty() -> Spanned<usize> {
    Spanned::new(0..0, 30)
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficesConfig {
    /// A map link for an office; `{query}` becomes its URL-encoded address in the place's own language,
    /// `{lat}` and `{lon}` its coordinates where it has them. Nothing third-party is embedded.
    #[serde(default = "default_map_url")]
    pub map_url: String,
    /// The language of the place, whose address is shown large to show a driver (default `zh`).
    pub local_language: Option<String>,
    /// The services offices may offer, with their names in every language.
    #[serde(default)]
    pub services: Vec<ServiceConfig>,
    /// The service the directory marks on each office that offers it.
    pub highlight_service: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceConfig {
    pub id: String,
    pub name: BTreeMap<String, String>,
}

impl Default for OfficesConfig {
    fn default() -> Self {
        OfficesConfig {
            map_url: default_map_url(),
            local_language: None,
            services: Vec::new(),
            highlight_service: None,
        }
    }
}

fn default_map_url() -> String {
    "https://uri.amap.com/search?keyword={query}".to_string()
}

#[derive(Clone, Debug, Serialize)]
pub struct Language {
    pub code: String,
    pub name: String,
    pub title: String,
    pub description: String,
    /// The BCP 47 tag for `lang` and `hreflang`.
    pub lang_tag: String,
    /// The direction of the language's script: `ltr` or `rtl`.
    pub dir: String,
}

/// The languages written right to left, by the primary subtag of their code.
const RIGHT_TO_LEFT: &[&str] = &["ar", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"];

/// `rtl` for a right-to-left language, from its code; otherwise `ltr`.
fn default_dir(code: &str) -> &'static str {
    let primary = code.split('-').next().unwrap_or(code);
    if RIGHT_TO_LEFT.contains(&primary) { "rtl" } else { "ltr" }
}

#[derive(Clone, Debug)]
pub struct Config {
    /// Absolute, always ending in `/`: `https://example.org/guide/`.
    pub base_url: String,
    /// The path part of `base_url`, always starting and ending in `/`: `/guide/`.
    pub base_path: String,
    pub default_language: String,
    pub default_language_prefix: bool,
    pub theme: String,
    /// The site's time zone: what "today" means for its readers.
    pub time_zone: TimeZone,
    /// Default language first, then the others by code.
    pub languages: Vec<Language>,
    pub check: CheckConfig,
    pub markdown: MarkdownConfig,
    pub build: BuildConfig,
    pub feeds: FeedsConfig,
    pub offices: OfficesConfig,
    pub search: SearchConfig,
    pub extra: toml::Table,
    /// Publish drafts, marked as drafts (`--drafts`): not from site.toml, for a preview only.
    pub drafts: bool,
}

impl Config {
    /// Parses `site.toml`. Every problem found is returned, not just the first.
    pub fn parse(source: &SourceText) -> Result<Config, Diagnostics> {
        let raw: RawConfig = from_toml::parse(source, 0, &source.text).map_err(|d| Diagnostics::from_iter([d]))?;
        let mut problems = Diagnostics::default();
        let (base_url, base_path) = match normalize_base_url(raw.base_url.get_ref()) {
            Ok(pair) => pair,
            Err(msg) => {
                problems.push(
                    Diagnostic::error(Code::BadConfig, source.locate(raw.base_url.span().start), msg).with_help(
                        "write an absolute URL such as \"https://example.org/\" or \"https://example.org/guide/\"",
                    ),
                );
                (String::new(), "/".to_string())
            }
        };
        let time_zone = time_zone(raw.time_zone.as_ref(), source, &mut problems);
        let mut languages = Vec::new();
        for (code, lang) in raw.languages.get_ref() {
            if !is_language_code(code) {
                problems.push(
                    Diagnostic::error(
                        Code::BadConfig,
                        source.locate(lang.span().start),
                        format!("`{code}` is not a language code"),
                    )
                    .with_help("use a lowercase code such as `en`, `zh` or `pt-br`"),
                );
            }
            let lang_ref = lang.get_ref();
            let dir = match &lang_ref.dir {
                Some(d) if matches!(d.get_ref().as_str(), "ltr" | "rtl") => d.get_ref().clone(),
                Some(d) => {
                    problems.push(
                        Diagnostic::error(
                            Code::BadConfig,
                            source.locate(d.span().start),
                            format!("`dir = \"{}\"` is not a direction", d.get_ref()),
                        )
                        .with_help("write dir = \"rtl\" for a language written right to left, or leave it out"),
                    );
                    default_dir(code).to_string()
                }
                None => default_dir(code).to_string(),
            };
            languages.push(Language {
                dir,
                code: code.clone(),
                name: lang_ref.name.clone(),
                title: lang_ref.title.clone(),
                description: lang_ref.description.clone(),
                lang_tag: lang_ref.lang_tag.clone().unwrap_or_else(|| code.clone()),
            });
        }
        let default_language = raw.default_language.get_ref().clone();
        if languages.is_empty() {
            problems.push(
                Diagnostic::error(
                    Code::BadConfig,
                    source.locate(raw.languages.span().start),
                    "no languages are configured",
                )
                .with_help("add a table such as [languages.en] with name and title"),
            );
        } else if !languages.iter().any(|l| l.code == default_language) {
            let known: Vec<String> = languages.iter().map(|l| l.code.clone()).collect();
            problems.push(
                Diagnostic::error(
                    Code::BadConfig,
                    source.locate(raw.default_language.span().start),
                    format!("default_language `{default_language}` is not one of the configured languages"),
                )
                .with_help(format!("configured: {}", crate::diag::suggest::quote_list(&known))),
            );
        }
        for name in &raw.check.allow {
            if let Err(why) = Code::parse_name(name.get_ref()) {
                problems.push(
                    Diagnostic::error(Code::BadConfig, source.locate(name.span().start), why)
                        .with_help("`allow` lists the codes of warnings to accept, such as \"unconfirmed\""),
                );
            }
        }
        if *raw.feeds.limit.get_ref() == 0 {
            problems.push(
                Diagnostic::error(Code::BadConfig, source.locate(raw.feeds.limit.span().start), "a feed of 0 pages")
                    .with_help("write how many pages each feed lists, such as 30; `enabled = false` writes no feed"),
            );
        }
        if problems.has_errors() {
            return Err(problems);
        }
        languages.sort_by_key(|l| (l.code != default_language, l.code.clone()));
        Ok(Config {
            base_url,
            base_path,
            default_language,
            default_language_prefix: raw.default_language_prefix,
            theme: raw.theme.into_inner(),
            time_zone,
            languages,
            check: raw.check,
            markdown: raw.markdown,
            build: raw.build,
            feeds: raw.feeds,
            offices: raw.offices,
            search: raw.search,
            extra: raw.extra,
            drafts: false,
        })
    }

    /// Replaces `base_url` (the `--base-url` option).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let (base_url, base_path) = normalize_base_url(url)?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }

    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    pub fn has_language(&self, code: &str) -> bool {
        self.language(code).is_some()
    }

    /// The site-relative path prefix of a language: `en/`, or `` for the default language at the root.
    pub fn language_prefix(&self, lang: &str) -> String {
        if lang == self.default_language && !self.default_language_prefix { String::new() } else { format!("{lang}/") }
    }

    /// The root-relative URL of a site path: `/guide/` + `en/renewal/`.
    pub fn url(&self, site_path: &str) -> String {
        format!("{}{}", self.base_path, site_path)
    }

    /// The absolute URL of a site path.
    pub fn permalink(&self, site_path: &str) -> String {
        format!("{}{}", self.base_url, site_path)
    }
}

/// The `time_zone` of site.toml, UTC when absent; a problem when it is not one diptych can read.
fn time_zone(raw: Option<&Spanned<String>>, source: &SourceText, problems: &mut Diagnostics) -> TimeZone {
    let Some(raw) = raw else { return TimeZone::UTC };
    TimeZone::parse(raw.get_ref()).unwrap_or_else(|msg| {
        problems.push(
            Diagnostic::error(Code::BadConfig, source.locate(raw.span().start), msg)
                .with_help(format!("write {TIME_ZONE_FORMS}")),
        );
        TimeZone::UTC
    })
}

fn normalize_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url `{url}` must start with https:// or http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() || host.contains(['?', '#', ' ']) {
        return Err(format!("base_url `{url}` has no valid host"));
    }
    if path.contains(['?', '#', ' ']) || path.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err(format!("base_url `{url}` must be a plain path, without `..`, queries or fragments"));
    }
    let path = path.trim_matches('/');
    let base_path = if path.is_empty() { "/".to_string() } else { format!("/{path}/") };
    let scheme = if url.starts_with("https://") { "https://" } else { "http://" };
    Ok((format!("{scheme}{host}{base_path}"), base_path))
}

/// `en`, `zh`, `pt-br`, `zh-hant`: what a file suffix and a `[languages.X]` table may be called.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostics> {
        Config::parse(&SourceText::new("site.toml", text.to_string()))
    }

    const MINIMAL: &str = "base_url = \"https://example.org/guide\"\ndefault_language = \"en\"\n\
        [languages.zh]\nname = \"中文\"\ntitle = \"指南\"\nlang_tag = \"zh-Hans\"\n\
        [languages.en]\nname = \"English\"\ntitle = \"Guide\"\n";

    #[test]
    fn normalizes_sub_path_and_orders_default_language_first() {
        let config = parse(MINIMAL).unwrap();
        assert_eq!(config.base_url, "https://example.org/guide/");
        assert_eq!(config.base_path, "/guide/");
        assert_eq!(config.languages.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), ["en", "zh"]);
        assert_eq!(config.languages[1].lang_tag, "zh-Hans");
        assert_eq!(config.url(&config.language_prefix("en")), "/guide/en/");
    }

    #[test]
    fn default_language_can_live_at_the_root() {
        let config = parse(
            &MINIMAL.replace("default_language = \"en\"", "default_language = \"en\"\ndefault_language_prefix = false"),
        )
        .unwrap();
        assert_eq!(config.language_prefix("en"), "");
        assert_eq!(config.language_prefix("zh"), "zh/");
    }

    #[test]
    fn reports_every_problem() {
        let text = MINIMAL
            .replace("https://example.org/guide", "example.org")
            .replace("default_language = \"en\"", "default_language = \"fr\"");
        let problems = parse(&text).unwrap_err().into_sorted();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].message.contains("must start with https://"));
        assert!(problems[1].message.contains("`fr` is not one of"));
        assert_eq!(problems[1].line, 2);
    }

    #[test]
    fn reads_the_time_zone() {
        let config = parse(&format!("time_zone = \"Asia/Shanghai\"\n{MINIMAL}")).unwrap();
        assert_eq!(config.time_zone.offset_minutes, 480);
        assert_eq!(parse(MINIMAL).unwrap().time_zone, TimeZone::UTC);
        let problems = parse(&format!("time_zone = \"Europe/Paris\"\n{MINIMAL}")).unwrap_err().into_sorted();
        assert_eq!((problems[0].line, problems[0].column), (1, 13));
        assert!(problems[0].help.as_deref().unwrap_or("").contains("\"+08:00\""), "{problems:?}");
    }

    #[test]
    fn language_codes() {
        assert!(is_language_code("zh") && is_language_code("pt-br") && is_language_code("zh-hant"));
        assert!(
            !is_language_code("EN") && !is_language_code("e") && !is_language_code("draft1") && !is_language_code("v2")
        );
    }
}
