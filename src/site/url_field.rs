//! Which URLs content may publish as links: `http:`, `https:`, `mailto:`, `tel:`, and URLs without a scheme
//! (site-relative paths and `#fragments`). Judged the way a browser reads the URL, so `java\tscript:` or a
//! leading control character cannot pass as a harmless path.

use crate::diag::{Code, Diagnostic, Location, SourceText};
use crate::site::frontmatter::Source;

/// The schemes a link from content may use.
pub const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// The scheme a browser would read in `url` (already free of HTML character references), lowercase, or `None`
/// for a URL without one. Browsers drop leading and trailing C0 controls and spaces, and every tab and newline
/// anywhere, before they look for the scheme (WHATWG URL, "basic URL parser").
pub fn scheme(url: &str) -> Option<String> {
    let cleaned: String =
        url.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let mut chars = cleaned.char_indices();
    match chars.next() {
        Some((_, c)) if c.is_ascii_alphabetic() => {}
        _ => return None,
    }
    for (i, c) in chars {
        match c {
            ':' => return Some(cleaned[..i].to_ascii_lowercase()),
            c if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => {}
            _ => return None,
        }
    }
    None
}

/// The scheme that makes `url` unsafe to publish, if it has one that is not allowed.
pub fn unsafe_scheme(url: &str) -> Option<String> {
    scheme(url).filter(|s| !SAFE_SCHEMES.contains(&s.as_str()))
}

/// The problem with a URL field's value, at `at`, if its scheme is not allowed. `field` names the key
/// (`[[sources]] url`).
pub fn check(url: &str, field: &str, at: Location) -> Option<Diagnostic> {
    let scheme = unsafe_scheme(url)?;
    Some(
        Diagnostic::error(
            Code::UnsafeUrl,
            at,
            format!("{field} is a `{scheme}:` URL, which is not published as a link"),
        )
        .with_help("use an http:, https:, mailto: or tel: address, or a path on the site starting with /"),
    )
}

/// Checks the `url` of each `[[sources]]` entry, parsed from TOML that starts at byte `base` of `source`. A URL
/// that is refused is replaced by `#`, so that it is never published as a link, even by a caller that goes on
/// after errors.
pub fn check_sources(sources: &mut [Source], source: &SourceText, base: usize) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for s in sources {
        let at = source.locate(base + s.url.span().start);
        if let Some(problem) = check(s.url.get_ref(), "the source's `url`", at) {
            problems.push(problem);
            *s.url.get_mut() = "#".to_string();
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_scheme_as_a_browser_does() {
        assert_eq!(scheme("https://example.org/"), Some("https".into()));
        assert_eq!(scheme(" \u{1}JaVa\tScRiPt\n:alert(1)"), Some("javascript".into()));
        assert_eq!(scheme("/en/page/"), None);
        assert_eq!(scheme("#top"), None);
        assert_eq!(scheme("page/a:b"), None);
        assert_eq!(scheme("ｊavascript:x"), None);
    }

    #[test]
    fn allows_only_web_mail_and_phone_schemes() {
        for ok in ["https://a.gov", "http://a", "mailto:a@b.c", "tel:+8621", "/x", "x.html", "//cdn.example/x", "#a"] {
            assert_eq!(unsafe_scheme(ok), None, "{ok}");
        }
        for bad in ["javascript:x", "data:text/html,x", "vbscript:x", "file:///etc", " javascript:x"] {
            assert!(unsafe_scheme(bad).is_some(), "{bad}");
        }
    }
}
