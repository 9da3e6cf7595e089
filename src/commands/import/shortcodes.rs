//! Hugo and Zola shortcodes: `ref`/`relref` become `@/` links, `button` a link, `details` a bold line; the rest
//! are removed with their inner text kept, and each is reported. Escaped shortcodes become the text they show.

use super::links::PageIndex;
use super::report::Group;

/// A shortcode found in the body, as its name, its arguments and whether it closes a pair.
#[derive(Debug, PartialEq)]
struct Call {
    name: String,
    closing: bool,
    /// Positional arguments and `key=value` arguments, quotes removed; positional ones have an empty key.
    args: Vec<(String, String)>,
}

impl Call {
    fn arg(&self, key: &str) -> Option<&str> {
        self.args.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    fn first(&self) -> Option<&str> {
        self.arg("")
    }
}

/// Hugo `name "a" key="b"` or Zola `name(key="b")`; `/name` closes.
fn parse_call(inner: &str) -> Option<Call> {
    let inner = inner.trim();
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, inner),
    };
    let name_end =
        inner.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '.')).unwrap_or(inner.len());
    let name = &inner[..name_end];
    if name.is_empty() {
        return None;
    }
    let mut rest = inner[name_end..].trim();
    if let Some(zola_args) = rest.strip_prefix('(') {
        rest = zola_args.strip_suffix(')').unwrap_or(zola_args);
    }
    Some(Call { name: name.to_string(), closing, args: parse_args(rest) })
}

/// `"a" key="b c" n=1, k='x'` → [("", "a"), ("key", "b c"), ("n", "1"), ("k", "x")].
fn parse_args(mut rest: &str) -> Vec<(String, String)> {
    let mut args = Vec::new();
    loop {
        rest = rest.trim_start_matches([' ', ',', '\n', '\t']);
        if rest.is_empty() {
            return args;
        }
        let key_end = rest.find(['=', ' ', '"', '\'', '\n', ',']).unwrap_or(rest.len());
        let (key, after) =
            if rest[key_end..].starts_with('=') { (&rest[..key_end], &rest[key_end + 1..]) } else { ("", rest) };
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '\'' | '`')) => {
                let close = after[1..].find(q).map_or(after.len(), |i| i + 1);
                (&after[1..close], after.get(close + 1..).unwrap_or(""))
            }
            _ => {
                let end = after.find([' ', ',', '\n']).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        args.push((key.to_string(), value.to_string()));
        rest = next;
    }
}

/// Byte ranges of fenced code blocks (fence lines included), where shortcodes are text.
fn fenced_ranges(body: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        match open {
            Some((start, marker)) if trimmed.starts_with(marker) => {
                ranges.push((start, offset + line.len()));
                open = None;
            }
            None if indent < 4 && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) => {
                open = Some((offset, &trimmed[..3]));
            }
            _ => {}
        }
        offset += line.len();
    }
    if let Some((start, _)) = open {
        ranges.push((start, body.len()));
    }
    ranges
}

/// The delimiters of shortcodes: Hugo's `{{< >}}` and `{{% %}}`, Zola's `{{ }}` and `{% %}`.
const DELIMITERS: &[(&str, &str)] = &[("{{<", ">}}"), ("{{%", "%}}"), ("{{", "}}"), ("{%", "%}")];

/// Converts the shortcodes of a body. Returns the new body and notes with their line in the body (from 0).
pub fn convert(body: &str, index: &PageIndex, key: &str) -> (String, Vec<(usize, Group, String)>) {
    let fences = fenced_ranges(body);
    let in_fence = |at: usize| fences.iter().any(|&(s, e)| s <= at && at < e);
    let line_of = |at: usize| body[..at].matches('\n').count();
    let mut out = String::with_capacity(body.len());
    let mut notes = Vec::new();
    let mut pos = 0;
    while let Some(found) = body[pos..].find(['{']) {
        let at = pos + found;
        out.push_str(&body[pos..at]);
        pos = at;
        let Some(&(open, close)) = DELIMITERS.iter().find(|(o, _)| body[at..].starts_with(o)) else {
            out.push('{');
            pos += 1;
            continue;
        };
        let after_open = &body[at + open.len()..];
        // `{{</* x */>}}` is Hugo's (and `{{/* x() */}}` Zola's) way to show a shortcode as text.
        if let Some(escaped) = after_open.strip_prefix("/*")
            && let Some(end) = escaped.find(&format!("*/{close}"))
        {
            out.push_str(&format!("{open}{}{close}", &escaped[..end]));
            pos = at + open.len() + 2 + end + 2 + close.len();
            continue;
        }
        let Some(end) = after_open.find(close) else {
            out.push_str(open);
            pos += open.len();
            continue;
        };
        let inner = &after_open[..end];
        let next = at + open.len() + end + close.len();
        let zola_plain = open == "{{" || open == "{%";
        let call = parse_call(inner).filter(|c| !zola_plain || inner.contains('(') || c.closing || c.name == "end");
        match call {
            Some(call) if !in_fence(at) => {
                let (text, skip_to, note) = replace(&call, &body[next..], index, key);
                out.push_str(&text);
                if let Some(message) = note {
                    notes.push((
                        line_of(at),
                        if call.name.ends_with("ref") { Group::Link } else { Group::Shortcode },
                        message,
                    ));
                }
                pos = next + skip_to;
            }
            _ => {
                out.push_str(&body[at..next]);
                pos = next;
            }
        }
    }
    out.push_str(&body[pos..]);
    (out, notes)
}

/// What replaces a shortcode, how much of `rest` (the text after it) it also consumes, and its note.
fn replace(call: &Call, rest: &str, index: &PageIndex, key: &str) -> (String, usize, Option<String>) {
    let name = call.name.as_str();
    if call.closing || name == "end" {
        return (String::new(), 0, None);
    }
    match name {
        "ref" | "relref" => {
            let target = call.arg("path").or_else(|| call.first()).unwrap_or("");
            let (path, anchor) = target.split_once('#').map_or((target, ""), |(p, a)| (p, a));
            match index.resolve(path, key) {
                Some(found) if anchor.is_empty() => (format!("@/{found}"), 0, None),
                Some(found) => (format!("@/{found}#{anchor}"), 0, None),
                None => (
                    "#".to_string(),
                    0,
                    Some(format!("`{name} \"{target}\"` names no imported page; the link now points nowhere (`#`)")),
                ),
            }
        }
        "button" => {
            let target = call.arg("href").or_else(|| call.arg("relref")).unwrap_or("#");
            let target = match index.resolve(target, key).filter(|_| !target.contains("://")) {
                Some(found) => format!("@/{found}"),
                None => target.to_string(),
            };
            let (inner, consumed) = until_closing(rest, "button");
            (format!("[{}]({target})", inner.trim()), consumed, Some("`button` became a plain link".to_string()))
        }
        "details" => {
            let title = call.arg("title").or_else(|| call.first()).unwrap_or("Details");
            (
                format!("**{title}**"),
                0,
                Some(format!("`details \"{title}\"` became a bold line; its text is always shown")),
            )
        }
        _ => (String::new(), 0, Some(format!("`{name}` removed"))),
    }
}

/// The text up to the closing shortcode `/name` in `rest`, and how many bytes the pair's end takes.
fn until_closing(rest: &str, name: &str) -> (String, usize) {
    for (open, close) in &DELIMITERS[..2] {
        let mut search = 0;
        while let Some(i) = rest[search..].find(open) {
            let start = search + i;
            let Some(end) = rest[start..].find(close) else { break };
            let inner = &rest[start + open.len()..start + end];
            if parse_call(inner).is_some_and(|c| c.closing && c.name == name) {
                return (rest[..start].to_string(), start + end + close.len());
            }
            search = start + end;
        }
    }
    (String::new(), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> (String, Vec<(usize, Group, String)>) {
        let index = PageIndex::new(["_index.md", "docs/intro.md", "docs/_index.md"]);
        convert(body, &index, "docs/other.md")
    }

    #[test]
    fn refs_become_diptych_links() {
        let (out, notes) =
            run("[a]({{< ref \"intro\" >}}) [b]({{< relref \"/docs/intro.md#x\" >}}) [c]({{% ref \"nope\" %}})\n");
        assert_eq!(out, "[a](@/docs/intro.md) [b](@/docs/intro.md#x) [c](#)\n");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].1, Group::Link);
    }

    #[test]
    fn paired_shortcodes_keep_their_text_and_are_reported_by_line() {
        let (out, notes) =
            run("Intro\n{{% hint warning %}}\n**Careful**\n{{% /hint %}}\n{{< asciinema\n  cast=\"a.cast\" >}}\n");
        assert_eq!(out, "Intro\n\n**Careful**\n\n\n");
        assert_eq!(notes.iter().map(|n| n.0).collect::<Vec<_>>(), [1, 4]);
    }

    #[test]
    fn button_becomes_a_link_and_details_a_bold_line() {
        let (out, _) = run(
            "{{<button href=\"/docs/intro\">}}Explore{{</button>}}\n{{% details \"Why?\" %}}\nBecause\n{{% /details %}}\n",
        );
        assert_eq!(out, "[Explore](@/docs/intro.md)\n**Why?**\nBecause\n\n");
    }

    #[test]
    fn escaped_shortcodes_and_code_blocks_stay_text() {
        let (out, notes) = run("`{{</* hint */>}}`\n```\n{{< hint >}}\n```\n{{ not a call }}\n");
        assert_eq!(out, "`{{< hint >}}`\n```\n{{< hint >}}\n```\n{{ not a call }}\n");
        assert!(notes.is_empty());
    }

    #[test]
    fn zola_shortcodes_are_removed() {
        let (out, notes) = run("{{ youtube(id=\"x\") }}\n{% quote(author=\"A\") %}\nText\n{% end %}\n");
        assert_eq!(out, "\n\nText\n\n");
        assert_eq!(notes.len(), 2);
    }
}
