//! The site's URL scheme, once: where each page, office page and vCard is published, how relative links join,
//! which schemes a link may use, and the one percent codec.
//!
//! A site path is relative to the base URL and has no leading slash: `en/categories/working-staff/` (empty for
//! the home page at the root). `Config::url` and `Config::permalink` make it root-relative or absolute.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::site::config::Config;
use crate::site::content::Entry;

/// The key of the home page.
pub const HOME: &str = "_index.md";

/// The site path of a page: `en/categories/working-staff/` (`` for the home page at the root).
pub fn site_path(config: &Config, lang: &str, entry: &Entry) -> String {
    format!("{}{}", config.language_prefix(lang), entry.paths.get(lang).map_or("", String::as_str))
}

/// The file a site path is written to.
pub fn file_for(site_path: &str) -> String {
    format!("{site_path}index.html")
}

/// The file an alias (`/en/old/`, `/en/old`, `/old.html`: a path below the base URL) is written to.
pub fn alias_file(alias: &str) -> String {
    let path = alias.trim_start_matches('/');
    if path.ends_with(".html") { path.to_string() } else { file_for(&format!("{}/", path.trim_end_matches('/'))) }
}

/// Where office pages are: `en/offices/<id>/`.
pub fn office_path(config: &Config, lang: &str, id: &str) -> String {
    format!("{}offices/{id}/", config.language_prefix(lang))
}

/// Where an office's vCard is: `offices/<id>.vcf`, one for every language.
pub fn vcard_path(id: &str) -> String {
    format!("offices/{id}.vcf")
}

/// Where a language's Atom feed is: `en/atom.xml`, or `atom.xml` for a default language at the root (the
/// name Zola gives it, so a site that moves keeps its subscribers).
pub fn feed_path(config: &Config, lang: &str) -> String {
    format!("{}atom.xml", config.language_prefix(lang))
}

/// Whether `url` starts with a scheme (`mailto:`, `https:`), as opposed to a path that may hold a colon later.
pub fn has_scheme(url: &str) -> bool {
    let end = url.find([':', '/']).unwrap_or(0);
    end > 0 && url[end..].starts_with(':') && url[..end].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// `/guide/en/renewal/` + `../fees/` → `/guide/en/fees/`. Going above the root stays at the root's parent,
/// which no base path matches.
pub fn join(dir_url: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = dir_url.split('/').filter(|p| !p.is_empty()).collect();
    let mut escaped = false;
    let segments: Vec<&str> = relative.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." => {}
            ".." => escaped |= parts.pop().is_none(),
            "" if i + 1 < segments.len() => {}
            other => parts.push(other),
        }
    }
    let trailing =
        if relative.ends_with('/') || relative.ends_with("/.") || relative.ends_with("..") { "/" } else { "" };
    let joined = format!("/{}{trailing}", parts.join("/"));
    if escaped { format!("/..{joined}") } else { joined.replace("//", "/") }
}

/// What `encode` escapes: everything but RFC 3986's unreserved characters (letters, digits, `-_.~`), so the
/// text is safe in any part of a URL, a query value included.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes everything but RFC 3986's unreserved characters, as UTF-8 with upper-case hex.
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, QUERY_VALUE).to_string()
}

/// Decodes `%XX` escapes. The contract: `Some` only when every `%` starts an escape of two hex digits and the
/// bytes decoded are UTF-8; `None` otherwise, and the caller decides. The link checker keeps such a link as
/// written (it is compared as text, never opened); the preview server refuses the request, since a path it
/// cannot read exactly is one it must not guess at.
pub fn decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_string());
    }
    let bytes = text.as_bytes();
    let broken = bytes.iter().enumerate().any(|(i, &b)| {
        b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if broken {
        return None;
    }
    percent_decode_str(text).decode_utf8().ok().map(|s| s.into_owned())
}

/// `decode`, or the text as it is where it cannot be decoded: for comparing links, never for opening files.
pub fn decode_or_keep(text: &str) -> String {
    decode(text).unwrap_or_else(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_links_like_a_browser() {
        assert_eq!(join("/guide/en/renewal/", "../fees/"), "/guide/en/fees/");
        assert_eq!(join("/guide/en/renewal/", "form.pdf"), "/guide/en/renewal/form.pdf");
        assert_eq!(join("/guide/en/renewal/", "./"), "/guide/en/renewal/");
        assert_eq!(join("/en/", "../../../x"), "/../x");
        assert_eq!(join("/en/a/", ".."), "/en/");
    }

    #[test]
    fn tells_schemes_from_paths() {
        assert!(has_scheme("mailto:a@b.c") && has_scheme("tel:+86") && has_scheme("https://x"));
        assert!(!has_scheme("a/b:c") && !has_scheme("renewal/") && !has_scheme(":x"));
    }

    #[test]
    fn encodes_all_but_unreserved_characters() {
        assert_eq!(encode("No. 8-9 ~a_b/中"), "No.%208-9%20~a_b%2F%E4%B8%AD");
    }

    #[test]
    fn decodes_only_what_is_exactly_readable() {
        assert_eq!(decode("#%E7%94%B3%E8%AF%B7").as_deref(), Some("#申请"));
        assert_eq!(decode("/a%2f").as_deref(), Some("/a/"));
        assert_eq!(decode("a%2"), None, "a broken escape");
        assert_eq!(decode("100%"), None, "a bare percent sign");
        assert_eq!(decode("%FF"), None, "not UTF-8");
        assert_eq!(decode_or_keep("100%"), "100%");
        assert_eq!(decode_or_keep("a%20b"), "a b");
    }
}
