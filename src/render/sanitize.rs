//! Judges raw HTML from content the way a browser tokenizes it: tags, attributes and comments are read by the
//! rules of the HTML standard, character references are decoded, and only then are elements, event handlers
//! and URLs judged. A pattern match on the raw text cannot do this: `java&#x73;cript:` and markup hidden in an
//! attribute inside `<noscript>` passed it (issue 10).
//!
//! It refuses rather than strips, so an editor learns what will not be published. Elements that make a browser
//! read their content by other rules (`<script>`, `<style>`, `<noscript>`, `<textarea>`, `<svg>`, …) are refused
//! outright: with them gone, what this tokenizer reads is what a browser reads.

use crate::site::url_field;

/// A construct in raw HTML that could run script, at a byte offset in the HTML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsafe {
    pub at: usize,
    /// What it is, to finish "raw HTML with … is not allowed".
    pub what: String,
    /// It is a URL with a scheme that is not allowed (rather than an element or attribute to remove).
    pub is_url: bool,
}

impl Unsafe {
    fn new(at: usize, what: String) -> Unsafe {
        let is_url = what.contains(" URL in ");
        Unsafe { at, what, is_url }
    }
}

/// Elements refused outright: they run or load code, change where links lead, or switch the tokenizer to
/// rules of their own (raw text, RCDATA, foreign content), so markup inside them is not read as it looks.
const REFUSED_ELEMENTS: &[&str] = &[
    "applet",
    "base",
    "embed",
    "frame",
    "frameset",
    "iframe",
    "link",
    "math",
    "meta",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "plaintext",
    "portal",
    "script",
    "style",
    "svg",
    "textarea",
    "title",
    "xmp",
];

/// Attributes whose value is a URL (or, for `srcset`, `ping` and `archive`, a list of URLs).
const URL_ATTRIBUTES: &[&str] = &[
    "action",
    "archive",
    "background",
    "cite",
    "codebase",
    "data",
    "dynsrc",
    "formaction",
    "href",
    "icon",
    "imagesrcset",
    "longdesc",
    "lowsrc",
    "manifest",
    "ping",
    "poster",
    "profile",
    "src",
    "srcset",
    "usemap",
    "xlink:href",
];

/// Every unsafe construct in `html`, in order. `html` is judged as a whole: a fragment that leaves a tag,
/// an attribute or a comment open is itself refused, as whatever follows it on the page would be read
/// inside it.
pub fn judge(html: &str) -> Vec<Unsafe> {
    let mut found = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = memchr(b'<', bytes, i) {
        i = lt + 1;
        let next = bytes.get(i).copied();
        match next {
            Some(b'!') if html[i..].starts_with("!--") => match comment_end(html, i + 3) {
                Some(end) => i = end,
                None => return unclosed(found, lt, "a comment"),
            },
            Some(b'!' | b'?') => match memchr(b'>', bytes, i) {
                Some(end) => i = end + 1,
                None => return unclosed(found, lt, "a markup declaration"),
            },
            Some(b'/') if bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {
                match tag(html, i + 1, &mut Vec::new()) {
                    Some(end) => i = end,
                    None => return unclosed(found, lt, "a tag"),
                }
            }
            Some(b'/') if bytes.get(i + 1) != Some(&b'>') => match memchr(b'>', bytes, i) {
                Some(end) => i = end + 1,
                None => return unclosed(found, lt, "a tag"),
            },
            Some(c) if c.is_ascii_alphabetic() => match tag(html, i, &mut found) {
                Some(end) => i = end,
                None => return unclosed(found, lt, "a tag"),
            },
            _ => {}
        }
    }
    found
}

fn unclosed(mut found: Vec<Unsafe>, at: usize, what: &str) -> Vec<Unsafe> {
    found.push(Unsafe::new(at, format!("{what} that is not closed")));
    found
}

fn memchr(needle: u8, bytes: &[u8], from: usize) -> Option<usize> {
    bytes.get(from..)?.iter().position(|&b| b == needle).map(|p| from + p)
}

/// Where a comment whose text starts at `from` ends (just past it): `<!-->` and `<!--->` end at once,
/// others at the first `-->` or `--!>`.
fn comment_end(html: &str, from: usize) -> Option<usize> {
    let rest = &html[from..];
    if rest.starts_with('>') {
        return Some(from + 1);
    }
    if rest.starts_with("->") {
        return Some(from + 2);
    }
    let close = rest.find("-->").map(|p| p + 3);
    let bang = rest.find("--!>").map(|p| p + 4);
    match (close, bang) {
        (Some(a), Some(b)) => Some(from + a.min(b)),
        (a, b) => a.or(b).map(|p| from + p),
    }
}

/// Reads the tag whose name starts at `start` (a start tag, or an end tag when `found` is a scratch list),
/// judges it, and returns where it ends (just past its `>`), or `None` if it is not closed.
fn tag(html: &str, start: usize, found: &mut Vec<Unsafe>) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut i = start;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name = html[start..i].to_ascii_lowercase();
    if REFUSED_ELEMENTS.contains(&name.as_str()) {
        found.push(Unsafe::new(start - 1, format!("{} <{name}> element", article(&name))));
    }
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        match bytes.get(i) {
            None => return None,
            Some(b'>') => return Some(i + 1),
            Some(_) => {}
        }
        let name_start = i;
        // The first character of a name may be `=`; after it, a name runs to a space, `/`, `>` or `=`.
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attr = html[name_start..i].to_ascii_lowercase();
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let mut value = None;
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            let (raw_start, raw_end, next) = match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = memchr(q, bytes, i + 1)?;
                    (i + 1, end, end + 1)
                }
                _ => {
                    let mut end = i;
                    while end < bytes.len() && !is_space(bytes[end]) && bytes[end] != b'>' {
                        end += 1;
                    }
                    (i, end, end)
                }
            };
            value = Some((raw_start, &html[raw_start..raw_end]));
            i = next;
        }
        judge_attribute(&attr, name_start, value, found);
    }
}

fn judge_attribute(attr: &str, at: usize, value: Option<(usize, &str)>, found: &mut Vec<Unsafe>) {
    if attr.starts_with("on") && attr.len() > 2 {
        found.push(Unsafe::new(at, format!("an event handler attribute (`{attr}`)")));
        return;
    }
    let Some((value_at, raw)) = value else { return };
    let decoded = decode(raw);
    let urls: Vec<&str> = match attr {
        "srcset" | "imagesrcset" => decoded.split(',').map(|c| c.split_whitespace().next().unwrap_or("")).collect(),
        "ping" | "archive" => decoded.split_whitespace().collect(),
        a if URL_ATTRIBUTES.contains(&a) => vec![decoded.as_str()],
        "style" => return judge_style(&decoded, value_at, found),
        _ => return,
    };
    for url in urls {
        if let Some(scheme) = url_field::unsafe_scheme(url) {
            found.push(Unsafe::new(value_at, format!("a `{scheme}:` URL in `{attr}`")));
        }
    }
}

/// A `style` attribute may load a URL (`url(…)`, `image-set(…)`) or, in old browsers, run script
/// (`expression(…)`, `-moz-binding`). CSS escapes (`\6a`) could hide either, so a style with a backslash is
/// refused rather than decoded.
fn judge_style(style: &str, at: usize, found: &mut Vec<Unsafe>) {
    let lower = style.to_ascii_lowercase();
    if lower.contains('\\') {
        found.push(Unsafe::new(at, "a CSS escape (`\\`) in `style`".into()));
        return;
    }
    for word in ["expression(", "-moz-binding", "behavior:", "behaviour:"] {
        if lower.contains(word) {
            found.push(Unsafe::new(at, format!("`{}` in `style`", word.trim_end_matches(['(', ':']))));
            return;
        }
    }
    for (open, _) in lower.match_indices("url(").chain(lower.match_indices("image-set(")) {
        let inner = lower[open..].split_once('(').map_or("", |(_, rest)| rest);
        let inner = inner.trim_start().trim_start_matches(['"', '\'']);
        let end = inner.find(['"', '\'', ')']).unwrap_or(inner.len());
        if let Some(scheme) = url_field::unsafe_scheme(&inner[..end]) {
            found.push(Unsafe::new(at, format!("a `{scheme}:` URL in `style`")));
        }
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
}

fn article(name: &str) -> &'static str {
    if name.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

/// Named character references that decode to ASCII: the only ones that can spell a scheme. Any other
/// reference decodes to a character that cannot be part of one, as does a `&` left as it is.
const ASCII_ENTITIES: &[(&str, &str)] = &[
    ("AMP", "&"),
    ("DiacriticalGrave", "`"),
    ("GT", ">"),
    ("Hat", "^"),
    ("LT", "<"),
    ("NewLine", "\n"),
    ("QUOT", "\""),
    ("Tab", "\t"),
    ("UnderBar", "_"),
    ("VerticalLine", "|"),
    ("amp", "&"),
    ("apos", "'"),
    ("ast", "*"),
    ("bsol", "\\"),
    ("colon", ":"),
    ("comma", ","),
    ("commat", "@"),
    ("dollar", "$"),
    ("equals", "="),
    ("excl", "!"),
    ("fjlig", "fj"),
    ("grave", "`"),
    ("gt", ">"),
    ("lbrace", "{"),
    ("lbrack", "["),
    ("lcub", "{"),
    ("lowbar", "_"),
    ("lpar", "("),
    ("lsqb", "["),
    ("lt", "<"),
    ("midast", "*"),
    ("num", "#"),
    ("percnt", "%"),
    ("period", "."),
    ("plus", "+"),
    ("quest", "?"),
    ("quot", "\""),
    ("rbrace", "}"),
    ("rbrack", "]"),
    ("rcub", "}"),
    ("rpar", ")"),
    ("rsqb", "]"),
    ("semi", ";"),
    ("sol", "/"),
    ("verbar", "|"),
    ("vert", "|"),
];

/// The references a browser decodes in an attribute even without `;`, among those that decode to ASCII.
const LEGACY: &[&str] = &["AMP", "GT", "LT", "QUOT", "amp", "gt", "lt", "quot"];

/// An attribute value with its character references decoded as a browser decodes them, as far as the
/// scheme of a URL can tell: numeric references always (`;` optional), named ones to ASCII exactly.
pub fn decode(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let (text, used) = reference(rest).unwrap_or(("&".into(), 1));
        out.push_str(&text);
        rest = &rest[used..];
    }
    out.push_str(rest);
    out
}

/// The text a reference at the start of `s` (which starts with `&`) decodes to, and its length.
fn reference(s: &str) -> Option<(String, usize)> {
    let body = &s[1..];
    if let Some(num) = body.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex.bytes().take_while(u8::is_ascii_hexdigit).count(), 16, 3),
            None => (num.bytes().take_while(u8::is_ascii_digit).count(), 10, 2),
        };
        if digits == 0 {
            return None;
        }
        let text = &s[skip..skip + digits];
        let value = text
            .chars()
            .try_fold(0u32, |v, d| v.checked_mul(radix)?.checked_add(d.to_digit(radix)?))
            .unwrap_or(u32::MAX);
        let c = if value == 0 { '\u{fffd}' } else { char::from_u32(value).unwrap_or('\u{fffd}') };
        let semi = usize::from(s[skip + digits..].starts_with(';'));
        return Some((c.to_string(), skip + digits + semi));
    }
    let len = body.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let name = &body[..len];
    let (_, text) = ASCII_ENTITIES.iter().find(|(n, _)| *n == name)?;
    if body[len..].starts_with(';') {
        return Some((text.to_string(), len + 2));
    }
    // Without `;`, only legacy names decode, and in an attribute not before `=`.
    let after = body[len..].bytes().next();
    (LEGACY.contains(&name) && after != Some(b'=')).then(|| (text.to_string(), len + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whats(html: &str) -> Vec<String> {
        judge(html).into_iter().map(|u| u.what).collect()
    }

    #[test]
    fn allows_ordinary_markup() {
        for ok in [
            "<div class=\"note\"><p>Hi <b>there</b></p></div>",
            "<a href=\"https://example.gov/a?b=1&amp;c=2\">x</a>",
            "<a href=\"/en/page/#top\" title=\"javascript: is text here\">x</a>",
            "<img src=\"/static/a.png\" srcset=\"/a.png 1x, https://b.gov/a.png 2x\" alt=\"\">",
            "<p title='<script>'>not a tag</p><!-- <script> in a comment -->",
            "<span style=\"color: red; background: url('/static/bg.png')\">x</span>",
            "<a href=\"mailto:a@b.gov\">m</a> <a href=\"tel:+86-21-1234\">t</a>",
            "<template><p>kept</p></template><details><summary>s</summary>d</details>",
        ] {
            assert_eq!(whats(ok), Vec::<String>::new(), "{ok}");
        }
    }

    #[test]
    fn refuses_encoded_and_disguised_schemes() {
        for bad in [
            "<a href=\"java&#x73;cript:alert(1)\">x</a>",
            "<a href=\"java&#115cript:alert(1)\">x</a>",
            "<a href=\"javascript&colon;alert(1)\">x</a>",
            "<a href=\"java&Tab;script:alert(1)\">x</a>",
            "<a href=\"&#1;javascript:alert(1)\">x</a>",
            "<a href=\" JAVASCRIPT:alert(1)\">x</a>",
            "<a href=javascript:alert(1)>x</a>",
            "<form action=\"java&#0000115;cript:alert(1)\"><button>go</button></form>",
            "<button formaction=\"javascript:alert(1)\">x</button>",
            "<img src=\"/a.png\" srcset=\"/a.png 1x, javascript:alert(1) 2x\">",
            "<video poster=\"data:text/html,x\"></video>",
            "<a xlink:href=\"javascript:alert(1)\">x</a>",
            "<a href=\"vbscript:x\">x</a>",
        ] {
            assert_eq!(judge(bad).len(), 1, "{bad}: {:?}", judge(bad));
            assert!(judge(bad)[0].what.contains("URL in"), "{bad}");
        }
    }

    #[test]
    fn refuses_script_carrying_elements_and_handlers() {
        assert_eq!(whats("<ScRiPt>x</script>"), ["a <script> element"]);
        assert_eq!(whats("<img/src/onerror=alert(1)>"), ["an event handler attribute (`onerror`)"]);
        assert_eq!(whats("<svg onload=alert(1)>"), ["a <svg> element", "an event handler attribute (`onload`)"]);
        assert_eq!(whats("<meta http-equiv=refresh content=\"0;url=javascript:x\">"), ["a <meta> element"]);
        assert_eq!(whats("<base href=\"https://evil.example/\">"), ["a <base> element"]);
        assert_eq!(whats("<math><mi xlink:href=x>"), ["a <math> element"]);
    }

    #[test]
    fn finds_markup_browsers_parse_where_it_hides() {
        // Inside <noscript> a browser with script reads `</noscript>` in the attribute as the end.
        assert!(
            whats("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>")
                .contains(&"a <noscript> element".to_string())
        );
        // `<!-->` is a whole comment: what follows is markup.
        assert_eq!(whats("<!--><img src=x onerror=alert(1)>-->"), ["an event handler attribute (`onerror`)"]);
        assert_eq!(whats("<!-- a --!><img src=x onerror=alert(1)>"), ["an event handler attribute (`onerror`)"]);
        // A bogus comment ends at the first `>`.
        assert_eq!(whats("<!x title=\"><img src=x onerror=alert(1)>\">"), ["an event handler attribute (`onerror`)"]);
        assert_eq!(whats("<?x><img src=x onerror=alert(1)>"), ["an event handler attribute (`onerror`)"]);
        assert!(whats("<?x <img src=x onerror=alert(1)>").is_empty(), "a bogus comment to the first >");
        assert_eq!(whats("<style><p title=\"</style><img src onerror=x>\">")[0], "a <style> element");
    }

    #[test]
    fn refuses_style_urls_and_escapes() {
        assert_eq!(whats("<p style=\"background:url(javascript:alert(1))\">"), ["a `javascript:` URL in `style`"]);
        assert_eq!(whats("<p style=\"background:URL( 'java&#x73;cript:x' )\">"), ["a `javascript:` URL in `style`"]);
        assert_eq!(whats("<p style=\"background:url(j\\61vascript:x)\">"), ["a CSS escape (`\\`) in `style`"]);
        assert_eq!(whats("<p style=\"width:expression(alert(1))\">"), ["`expression` in `style`"]);
    }

    #[test]
    fn refuses_what_does_not_close() {
        assert_eq!(whats("<div title=\"x"), ["a tag that is not closed"]);
        assert_eq!(whats("<!-- open"), ["a comment that is not closed"]);
        assert_eq!(judge("ok <div class=x").first().map(|u| u.at), Some(3));
    }

    #[test]
    fn locates_each_problem() {
        let html = "<p>a</p>\n<a href=\"javascript:x\" onclick=y>";
        let found = judge(html);
        assert_eq!(found.iter().map(|u| u.at).collect::<Vec<_>>(), [18, 32]);
    }

    #[test]
    fn decodes_references_as_a_browser() {
        assert_eq!(decode("a&amp;b&ampc&lt=&#x3A;&#58&fjlig;&nbsp;&unknown;"), "a&b&ampc&lt=::fj&nbsp;&unknown;");
        assert_eq!(decode("&#0;&#x110000;&#xD800;"), "\u{fffd}\u{fffd}\u{fffd}");
    }
}
