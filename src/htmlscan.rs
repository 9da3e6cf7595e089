//! HTML text at its simplest: escaping it, and reading what link checking needs from rendered HTML (element
//! ids, link targets with their positions). A scanner, not a parser: it reads what diptych itself writes.

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
        if html[start..].starts_with("<!--") {
            i = html[start..].find("-->").map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let end = tag_end(bytes, start);
        let tag = &html[start..end];
        let mut in_tag: Vec<(usize, &'n str, usize, &'h str)> = Vec::new();
        for &name in names {
            let mut j = 0;
            while let Some(pos) = tag[j..].find(name) {
                let at = j + pos;
                let before = tag.as_bytes().get(at.wrapping_sub(1)).copied().unwrap_or(b' ');
                let after = &tag[at + name.len()..];
                j = at + name.len();
                if !before.is_ascii_whitespace() {
                    continue;
                }
                let Some(rest) = after.trim_start().strip_prefix('=') else { continue };
                let rest = rest.trim_start();
                let value_start = start + (tag.len() - rest.len());
                let value = match rest.as_bytes().first() {
                    Some(q @ (b'"' | b'\'')) => rest[1..].find(*q as char).map(|e| (value_start + 1, &rest[1..1 + e])),
                    _ => Some((
                        value_start,
                        rest.split(|c: char| c.is_ascii_whitespace() || c == '>').next().unwrap_or(""),
                    )),
                };
                in_tag.extend(value.map(|(at, value)| (start, name, at, value)));
            }
        }
        in_tag.sort_by_key(|&(_, _, at, _)| at);
        out.extend(in_tag);
        let lower_tag = tag.get(..7).unwrap_or(tag).to_ascii_lowercase();
        i = if lower_tag.starts_with("<script") || lower_tag.starts_with("<style") {
            let close = if lower_tag.starts_with("<script") { "</script" } else { "</style" };
            html[end..].find(close).map_or(html.len(), |e| end + e)
        } else {
            end
        };
    }
    out
}

/// The index just past the `>` that closes the tag starting at `start`, skipping quoted values.
fn tag_end(bytes: &[u8], start: usize) -> usize {
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
