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

/// `name="value"` (or single-quoted) occurrences inside tags, outside comments, scripts and styles.
fn attribute_values<'h>(html: &'h str, name: &str) -> Vec<(usize, &'h str)> {
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
                _ => {
                    Some((value_start, rest.split(|c: char| c.is_ascii_whitespace() || c == '>').next().unwrap_or("")))
                }
            };
            out.extend(value);
        }
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
}
