//! HTML text at its simplest: escaping it, and reading what link checking needs from rendered HTML (element
//! ids, link targets with their positions). A scanner, not a parser: it reads what diptych itself writes.

/// Rendered bytes as text: borrowed where they are UTF-8, as diptych's output always is (checking that is
/// much faster than the lossy conversion's walk), with U+FFFD for any bytes that are not.
pub fn text_of(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    std::str::from_utf8(bytes).map_or_else(|_| String::from_utf8_lossy(bytes), std::borrow::Cow::Borrowed)
}

/// The values of every `id` attribute, in order.
pub fn ids(html: &str) -> Vec<String> {
    attribute_values(html, "id").into_iter().map(|(_, v)| unescape(v)).collect()
}

/// The values of every `href` and `src` attribute, with their byte offsets.
pub fn links(html: &str) -> Vec<(usize, String)> {
    let mut found: Vec<(usize, String)> = attribute_values(html, "href")
        .into_iter()
        .chain(attribute_values(html, "src"))
        .map(|(at, v)| (at, unescape(v)))
        .collect();
    found.sort();
    found
}

/// A link in rendered HTML, with what its tag says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Byte offset of the value in the HTML.
    pub offset: usize,
    /// The `href` or `src` value, unescaped.
    pub url: String,
    /// The tag's name, lowercase: `a`, `link`, `img`.
    pub tag: String,
    /// The `rel` value, lowercase (empty where there is none).
    pub rel: String,
    /// The tag says which language it leads to (`hreflang` or `lang`), as a language switcher does.
    pub names_language: bool,
}

/// Every `href` and `src` with its tag's name, `rel`, and whether it names a language, in order.
pub fn link_tags(html: &str) -> Vec<Link> {
    /// A tag's start, its name, and its attributes as (value offset, name, value).
    type Tag<'h> = (usize, &'h str, Vec<(usize, &'static str, &'h str)>);
    let attrs = ["href", "src", "rel", "hreflang", "lang"];
    let mut by_tag: Vec<Tag> = Vec::new();
    for (tag_start, name, at, value) in attribute_values_in_tags(html, &attrs) {
        match by_tag.last_mut() {
            Some((start, _, found)) if *start == tag_start => found.push((at, name, value)),
            _ => by_tag.push((tag_start, name_of_tag(&html[tag_start..]), vec![(at, name, value)])),
        }
    }
    let mut links = Vec::new();
    for (_, tag, found) in by_tag {
        let rel = found.iter().find(|(_, n, _)| *n == "rel").map_or(String::new(), |(_, _, v)| v.to_ascii_lowercase());
        let names_language = found.iter().any(|(_, n, _)| *n == "hreflang" || *n == "lang");
        for (offset, name, value) in &found {
            if *name == "href" || *name == "src" {
                links.push(Link {
                    offset: *offset,
                    url: unescape(value),
                    tag: tag.to_ascii_lowercase(),
                    rel: rel.clone(),
                    names_language,
                });
            }
        }
    }
    links
}

fn name_of_tag(tag: &str) -> &str {
    let rest = tag.strip_prefix('<').unwrap_or(tag);
    let end = rest.find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
    &rest[..end]
}

/// `name="value"` (or single-quoted) occurrences inside tags, outside comments, scripts and styles.
fn attribute_values<'h>(html: &'h str, name: &str) -> Vec<(usize, &'h str)> {
    attribute_values_in_tags(html, &[name]).into_iter().map(|(_, _, at, value)| (at, value)).collect()
}

/// The values of the attributes `names` in every tag: (tag start, attribute name, value offset, value),
/// in the order they appear.
fn attribute_values_in_tags<'h, 'n>(html: &'h str, names: &[&'n str]) -> Vec<(usize, &'n str, usize, &'h str)> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(rel) = html[i..].find('<') {
        let start = i + rel;
        if bytes[start..].starts_with(b"<!--") {
            i = html[start..].find("-->").map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let end = tag_end(bytes, start);
        if bytes.get(start + 1) == Some(&b'/') {
            // An end tag has no attributes, and half the tags of a page are end tags.
            i = end;
            continue;
        }
        let tag_name = name_of_tag(&html[start..end]);
        attributes(html, start + 1 + tag_name.len(), end, |attr, value_at, value| {
            if let Some(&name) = names.iter().find(|n| n.eq_ignore_ascii_case(attr)) {
                out.push((start, name, value_at, value));
            }
        });
        i = if tag_name.eq_ignore_ascii_case("script") || tag_name.eq_ignore_ascii_case("style") {
            let close = if tag_name.eq_ignore_ascii_case("script") { "</script" } else { "</style" };
            html[end..].find(close).map_or(html.len(), |e| end + e)
        } else {
            end
        };
    }
    out
}

/// Calls `found` with each attribute that has a value between `from` and `end` (a tag's text after its name),
/// in one pass: (name, value offset, value).
fn attributes<'h>(html: &'h str, from: usize, end: usize, mut found: impl FnMut(&'h str, usize, &'h str)) {
    let bytes = html.as_bytes();
    let skip_space = |mut k: usize| {
        while k < end && bytes[k].is_ascii_whitespace() {
            k += 1;
        }
        k
    };
    let mut k = from;
    while k < end {
        while k < end && (bytes[k].is_ascii_whitespace() || bytes[k] == b'/') {
            k += 1;
        }
        if k >= end || bytes[k] == b'>' {
            break;
        }
        let name_start = k;
        while k < end && !bytes[k].is_ascii_whitespace() && !matches!(bytes[k], b'=' | b'>' | b'/') {
            k += 1;
        }
        let name = &html[name_start..k];
        k = skip_space(k);
        if k >= end || bytes[k] != b'=' {
            continue;
        }
        k = skip_space(k + 1);
        let (value_start, value_end, next) = match bytes.get(k) {
            Some(&quote @ (b'"' | b'\'')) => {
                let close = bytes[k + 1..end].iter().position(|&b| b == quote).map_or(end, |p| k + 1 + p);
                (k + 1, close, close + 1)
            }
            _ => {
                let mut e = k;
                while e < end && !bytes[e].is_ascii_whitespace() && bytes[e] != b'>' {
                    e += 1;
                }
                (k, e, e)
            }
        };
        found(name, value_start, &html[value_start..value_end]);
        k = next;
    }
}

/// The index just past the `>` that closes the tag starting at `start`, skipping quoted values.
pub fn tag_end(bytes: &[u8], start: usize) -> usize {
    let mut quote = None;
    for (k, &b) in bytes.iter().enumerate().skip(start + 1) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return k + 1,
            _ => {}
        }
    }
    bytes.len()
}

/// Escapes text for HTML element content or a quoted attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Undoes the entity escapes an attribute value may carry.
pub fn unescape(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Appends element text with its character references decoded: numeric ones, and the named ones diptych
/// and Markdown write. (`unescape` is the narrower undoing of `escape`, for attribute values.)
pub fn decode_into(piece: &str, out: &mut String) {
    let mut rest = piece;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..].find(';').map(|p| p + 1).filter(|&p| p <= 32);
        let decoded = end.and_then(|semi| {
            let name = &rest[1..semi];
            let c = if let Some(num) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
            } else if let Some(num) = name.strip_prefix('#') {
                num.parse().ok().and_then(char::from_u32)
            } else {
                named_reference(name)
            };
            c.map(|c| (c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

fn named_reference(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "middot" => '·',
        "times" => '×',
        "copy" => '©',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids_but_not_in_comments_or_text() {
        let html = "<h2 id=\"fees\">id=\"no\"</h2><!-- <p id=\"hidden\"> --><div data-id=\"x\" id='b&amp;c'>";
        assert_eq!(ids(html), ["fees", "b&c"]);
    }

    #[test]
    fn finds_links_with_offsets() {
        let html = "<a href=\"/en/a/\">x</a> <img src=/x.png alt=\"\"><script>var s = '<a href=\"no\">';</script>";
        let found = links(html);
        assert_eq!(found.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>(), ["/en/a/", "/x.png"]);
        assert_eq!(&html[found[0].0..found[0].0 + 6], "/en/a/");
    }

    #[test]
    fn link_tags_say_what_the_tag_says_about_the_link() {
        let html =
            "<link rel=\"Canonical\" href=\"/en/\"><a href=\"/zh/\" hreflang=\"zh-Hans\">中文</a><img src=x.png>";
        let found = link_tags(html);
        let summary: Vec<(&str, &str, &str, bool)> =
            found.iter().map(|l| (l.tag.as_str(), l.url.as_str(), l.rel.as_str(), l.names_language)).collect();
        assert_eq!(
            summary,
            [("link", "/en/", "canonical", false), ("a", "/zh/", "", true), ("img", "x.png", "", false)]
        );
        assert_eq!(&html[found[1].offset..found[1].offset + 4], "/zh/");
    }
}
