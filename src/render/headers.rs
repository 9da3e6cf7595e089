//! `_headers`, the caching rules Netlify and Cloudflare Pages read from the output folder (other hosts publish
//! it as a plain file nobody links to): a year for theme files whose names carry their content hash, minutes
//! for pages.

use std::fmt::Write;

use crate::render::OutFile;
use crate::site::config::Config;
use crate::site::theme::Theme;

pub const FILE_NAME: &str = "_headers";

/// A hashed asset's name changes with its bytes, so a cached copy can never be stale.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Pages keep their URL when they change: a short cache lets a correction reach readers within minutes.
const SHORT: &str = "public, max-age=300";

/// The generated `_headers`, or none when the site publishes its own from `static/_headers`.
pub fn file(config: &Config, theme: &Theme) -> Option<OutFile> {
    let own = theme.static_files.iter().any(|f| f.out_path == FILE_NAME);
    (!own).then(|| OutFile { path: FILE_NAME.into(), bytes: text(config, theme).into_bytes() })
}

/// Rules never overlap: both hosts join the values of every rule a path matches, which would mix the
/// two caching policies. So pages are matched by language folder, and a default language published at the
/// root (`default_language_prefix = false`) keeps the host's own policy for its pages.
fn text(config: &Config, theme: &Theme) -> String {
    let mut out = String::from(
        "# Written by diptych for Netlify and Cloudflare Pages. A site's own static/_headers replaces it.\n",
    );
    for hashed in theme.assets.values() {
        rule(&mut out, &config.url(hashed), IMMUTABLE);
    }
    if config.search.enabled {
        // A search index's chunks are named by their content; its entry keeps its name, so it is a page's.
        for lang in &config.languages {
            let bundle = crate::render::search::bundle_path(&lang.code);
            for hashed in ["w/*", "p/*"] {
                rule(&mut out, &config.url(&format!("{bundle}{hashed}")), IMMUTABLE);
            }
            rule(&mut out, &config.url(&format!("{bundle}{}", crate::render::search_index::ENTRY_FILE)), SHORT);
        }
    }
    if config.default_language_prefix {
        for root_page in ["", "index.html", "404.html"] {
            rule(&mut out, &config.url(root_page), SHORT);
        }
    }
    for lang in &config.languages {
        let prefix = config.language_prefix(&lang.code);
        if !prefix.is_empty() {
            rule(&mut out, &format!("{}*", config.url(&prefix)), SHORT);
        }
    }
    out
}

fn rule(out: &mut String, path: &str, cache_control: &str) {
    let _ = writeln!(out, "{path}\n  Cache-Control: {cache_control}");
}
