//! Renders a page's Markdown body to HTML: resolves `@/` links, gives headings ids, expands shortcodes,
//! and refuses unsafe raw HTML.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diag::Code;
use crate::diag::{Diagnostic, Location, SourceText};
use crate::render::sanitize;
use crate::site::url_field;

/// A heading of the page, for its table of contents and for checking `#anchor` links.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link to a heading on another page, checked once every page has rendered.
#[derive(Clone, Debug)]
pub struct AnchorLink {
    pub key: String,
    pub anchor: String,
    pub at: Location,
}

/// What links written in content can lead to, as the page being rendered (or checked) sees them.
pub trait Links {
    /// The URL of the office whose data file `key` is (`offices/x.toml`), in the reader's language.
    fn office_url(&self, key: &str) -> Option<String>;
    /// The URL of the page `key` (`a/b.md`) in `lang`, else in the reader's language; none where there is no
    /// such page or no such language.
    fn page_url(&self, key: &str, lang: Option<&str>) -> Option<String>;
    /// Every key an `@/` link can name, for suggesting one near a broken link.
    fn keys(&self) -> Vec<String>;
    fn allow_unsafe_html(&self) -> bool;
    /// The path the site is served below (`/`, `/guide/`): a root-relative link in content starts there.
    fn base_path(&self) -> &str {
        "/"
    }
    /// Whether `key` is a draft, read but not published.
    fn is_draft(&self, _key: &str) -> bool {
        false
    }
}

/// The page-independent services rendering needs: resolving links and rendering shortcodes.
pub trait Context: Links {
    fn render_shortcode(&self, call: &ShortcodeCall, at: &Location) -> Result<String, Diagnostic>;
    /// The words before the heading text in the accessible name of a heading's anchor link ("Link to this
    /// section"), or `None` for headings without anchor links.
    fn heading_anchor_label(&self) -> Option<String> {
        None
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ShortcodeCall {
    pub name: String,
    pub args: Vec<(String, ArgValue)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ArgValue {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub anchor_links: Vec<AnchorLink>,
    /// Keys of the pages this one links to, for rebuilding linkers when a page changes.
    pub links_to: Vec<String>,
    pub problems: Vec<Diagnostic>,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_TASKLISTS
}

/// Renders the body of `source`, which starts at byte `body_start`.
pub fn render(source: &SourceText, body_start: usize, ctx: &dyn Context) -> Rendered {
    let mut out = Rendered::default();
    let body = &source.text[body_start..];
    let (text, shortcodes) = extract_shortcodes(body, body_start, source, ctx, &mut out.problems);
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<(Option<CowStr>, Vec<CowStr>, Vec<Event>)> = None;
    let mut used_ids = UsedIds::default();
    let mut raw = RawHtml::default();
    let anchor_label = ctx.heading_anchor_label();
    for (event, range) in Parser::new_ext(&text, options()).into_offset_iter() {
        let offset = body_start + range.start;
        let event = match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                // Located only when a problem needs it, and from the end of the link's source: a page of nested
                // links would otherwise be read once per link.
                let raw_link = &text[range.clone()];
                let mut locate = || source.locate(dest_in_link(raw_link, &dest_url).map_or(offset, |i| offset + i));
                let link = resolve_link(&dest_url, ctx, &mut locate);
                let dest_url = out.absorb(dest_url, link);
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::Html(html) | Event::InlineHtml(html) if is_shortcode_placeholder(&html) => {
                let index = placeholder_index(&html);
                Event::Html(CowStr::from(shortcodes.get(index).cloned().unwrap_or_default()))
            }
            Event::Html(html) => {
                raw.push(&html, offset);
                Event::Html(html)
            }
            Event::InlineHtml(html) => {
                raw.push(&html, offset);
                raw.judge(source, ctx, &mut out.problems);
                Event::InlineHtml(html)
            }
            Event::End(TagEnd::HtmlBlock) => {
                raw.judge(source, ctx, &mut out.problems);
                Event::End(TagEnd::HtmlBlock)
            }
            other => other,
        };
        match (&mut heading, event) {
            (None, Event::Start(Tag::Heading { id, classes, .. })) => heading = Some((id, classes, Vec::new())),
            (Some(_), Event::End(TagEnd::Heading(level))) => {
                let (explicit, classes, inner) = heading.take().unwrap_or_default();
                let text = heading_text(&inner);
                let id = unique_id(explicit.map_or_else(|| slugify(&text), |i| i.to_string()), &mut used_ids);
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id.clone())),
                    classes,
                    attrs: Vec::new(),
                }));
                events.extend(inner);
                if let Some(label) = anchor_label.as_deref().filter(|_| level != HeadingLevel::H1) {
                    events.push(Event::InlineHtml(CowStr::from(anchor_link(&id, label, &text))));
                }
                events.push(Event::End(TagEnd::Heading(level)));
                out.headings.push(Heading { level: heading_level(level), id, text });
            }
            (Some((_, _, inner)), event) => inner.push(event),
            (None, event) => events.push(event),
        }
    }
    out.html.reserve(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out
}

/// The ids given so far on a page, and for each repeated base the next suffix to try.
#[derive(Default)]
struct UsedIds {
    ids: HashSet<String>,
    next: HashMap<String, usize>,
}

/// Repeated ids get `-1`, `-2`, … so every anchor on a page is unique. Each call costs about the same however
/// many headings came before: a page of thousands of equal headings once took minutes (found while fuzzing
/// check; the input is tests/fuzz-regressions/many-equal-headings.md).
fn unique_id(base: String, used: &mut UsedIds) -> String {
    if used.ids.insert(base.clone()) {
        return base;
    }
    let k = used.next.entry(base.clone()).or_insert(1);
    loop {
        let candidate = format!("{base}-{k}");
        *k += 1;
        if used.ids.insert(candidate.clone()) {
            return candidate;
        }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn heading_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// A heading's own link, after its text: themes show it on hover and focus. Its accessible name repeats the
/// heading, since a list of a page's links read out alone would otherwise be a row of "#".
fn anchor_link(id: &str, label: &str, text: &str) -> String {
    format!(
        " <a class=\"heading-anchor\" href=\"#{}\" aria-label=\"{}: {}\">#</a>",
        crate::html::escape(id),
        crate::html::escape(label),
        crate::html::escape(text)
    )
}

/// An id from heading text, as Zola makes it for Latin script so that links moved from a Zola site keep
/// working: lowercase, accents folded (`Búsqueda` → `busqueda`, `Straße` → `strasse`), other runs become
/// `-`. Letters of other scripts are kept as they are (`申请条件`), where Zola would transliterate them to
/// ASCII: the guide's Chinese pages link to Chinese ids, and a transliteration of Chinese reads as noise.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if !c.is_alphanumeric() {
            // A combining accent written apart from its letter (`e` + U+0301) is folded away too.
            gap |= !(unicode_normalization::char::is_combining_mark(c) && ends_in_latin(&out));
            continue;
        }
        if gap && !out.is_empty() {
            out.push('-');
        }
        gap = false;
        fold_latin(c, &mut out);
    }
    if out.is_empty() { "section".to_string() } else { out }
}

fn ends_in_latin(slug: &str) -> bool {
    slug.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Pushes `c` lowercased, with a Latin letter folded to ASCII: its accents dropped, and the letters that do
/// not decompose spelled as `deunicode` (and so Zola) spells them.
fn fold_latin(c: char, out: &mut String) {
    let latin = matches!(c, '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}');
    if !latin {
        out.extend(c.to_lowercase());
        return;
    }
    let spelled = match c {
        'ß' | 'ẞ' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'ł' | 'Ł' => "l",
        'þ' | 'Þ' => "th",
        'ı' => "i",
        _ => "",
    };
    if !spelled.is_empty() {
        out.push_str(spelled);
        return;
    }
    let start = out.len();
    unicode_normalization::char::decompose_canonical(c, |d| {
        if !unicode_normalization::char::is_combining_mark(d) {
            out.extend(d.to_lowercase());
        }
    });
    if out.len() == start {
        out.extend(c.to_lowercase());
    }
}

/// A link destination written in content (a Markdown body or inline Markdown in front matter), resolved.
#[derive(Debug, Default)]
pub struct ResolvedLink {
    /// What to publish instead of the destination as written: the URL of an `@/` link, or `#` for a link that
    /// is refused or leads nowhere. `None`: publish it as written.
    pub dest: Option<String>,
    pub problems: Vec<Diagnostic>,
    /// The key an `@/` link leads to, without a language suffix (`a/b.md`, `offices/x.toml`).
    pub key: Option<String>,
    /// Its `#anchor`, to check once the target has rendered.
    pub anchor: Option<AnchorLink>,
}

/// The one link rewriter: refuses a scheme that runs a script, resolves `@/key.md#anchor` in the reader's
/// language, warns about a link pinned to one language, and reports a link that leads nowhere with the key
/// it most likely meant. `locate` says where the destination is written; it is called only when needed.
/// Entities are already decoded: pulldown-cmark decodes them in link destinations, so `&#106;avascript:` is
/// seen as `javascript:`.
pub fn resolve_link(dest: &str, links: &dyn Links, locate: &mut dyn FnMut() -> Location) -> ResolvedLink {
    let mut out = ResolvedLink::default();
    // One rule for every URL from content, here and in raw HTML and URL fields: see `url_field`.
    if let Some(scheme) = url_field::unsafe_scheme(dest)
        && !links.allow_unsafe_html()
    {
        let what = match scheme.as_str() {
            "data" => "a `data:` link can carry a page that runs a script".to_string(),
            "javascript" | "vbscript" => format!("a `{scheme}:` link runs a script"),
            other => format!(
                "a `{other}:` link is not allowed: links from content use http:, https:, mailto: or tel:, or a path"
            ),
        };
        out.problems.push(
            Diagnostic::error(Code::UnsafeHtml, locate(), what)
                .with_help("link to a page instead, or set `allow_unsafe_html = true` under [markdown] in site.toml"),
        );
        out.dest = Some("#".into());
        return out;
    }
    if let Some(url) = below_base(dest, links.base_path()) {
        out.dest = Some(url);
        return out;
    }
    let Some(target) = dest.strip_prefix("@/") else { return out };
    let (key, anchor) = match target.split_once('#') {
        Some((key, anchor)) => (key, Some(anchor)),
        None => (target, None),
    };
    let base = strip_language(key);
    let url = if let Some(url) = links.office_url(key) {
        url
    } else if base == key {
        match links.page_url(key, None) {
            Some(url) => url,
            None => return broken(out, target, key, links, locate),
        }
    } else {
        let named = key.trim_end_matches(".md").rsplit('.').next().unwrap_or("");
        match links.page_url(&base, Some(named)) {
            Some(url) => {
                out.problems.push(
                    Diagnostic::warning(
                        Code::LinkLanguage,
                        locate(),
                        format!("this link always goes to the {named} page, whatever the reader's language"),
                    )
                    .with_help(format!("write @/{base} to link to the page in the reader's language")),
                );
                url
            }
            None => return broken(out, target, key, links, locate),
        }
    };
    out.key = Some(base.to_string());
    out.dest = Some(match anchor {
        Some(anchor) => {
            out.anchor = Some(AnchorLink { key: base.to_string(), anchor: anchor.to_string(), at: locate() });
            format!("{url}#{anchor}")
        }
        None => url,
    });
    out
}

/// The key most likely meant by `key`: among the files of its folder when it has any, compared by name without
/// the extension (so `gone.md` is not "close" to `page.md`, nor `offices/gone.toml` to `offices/_index.md`).
fn closest_key<'k>(key: &str, keys: &'k [String]) -> Option<&'k String> {
    fn stem(k: &str) -> &str {
        k.strip_suffix(".md").or_else(|| k.strip_suffix(".toml")).unwrap_or(k)
    }
    fn split(k: &str) -> (&str, &str) {
        stem(k).rsplit_once('/').unwrap_or(("", stem(k)))
    }
    let (dir, name) = split(key);
    let in_dir: Vec<&'k String> = keys.iter().filter(|k| split(k).0 == dir).collect();
    if in_dir.is_empty() {
        // No page in that folder: the folder itself may be mistyped.
        let stems: Vec<String> = keys.iter().map(|k| stem(k).to_string()).collect();
        let best = crate::diag::suggest::closest(stem(key), &stems)?;
        return stems.iter().position(|s| s == best).map(|i| &keys[i]);
    }
    let names: Vec<String> = in_dir.iter().map(|k| split(k).1.to_string()).collect();
    let best = crate::diag::suggest::closest(name, &names)?;
    names.iter().position(|n| n == best).map(|i| in_dir[i])
}

/// A root-relative link written in content (`/form.pdf`, or `@/static/form.pdf`) below the site's base path,
/// so that one link works in every language and when the site is served below a sub-path (issue 11). A link
/// that already starts with the base path is left as it is.
fn below_base(dest: &str, base_path: &str) -> Option<String> {
    let rest = match dest.strip_prefix("@/static/") {
        Some(rest) => rest,
        None if dest.starts_with("//") => return None,
        None if base_path != "/" && dest.starts_with(base_path) => return None,
        None => dest.strip_prefix('/')?,
    };
    Some(format!("{base_path}{rest}"))
}

fn broken(
    mut out: ResolvedLink,
    target: &str,
    key: &str,
    links: &dyn Links,
    locate: &mut dyn FnMut() -> Location,
) -> ResolvedLink {
    if links.is_draft(key) {
        out.problems.push(
            Diagnostic::error(
                Code::LinkToDraft,
                locate(),
                format!("the link `@/{target}` points to a draft, which is not published"),
            )
            .with_help(format!("publish content/{key} (remove `draft = true`), or remove the link until it is")),
        );
        out.dest = Some("#".into());
        return out;
    }
    let keys = links.keys();
    let help = match closest_key(key, &keys) {
        Some(best) => format!("there is no content/{key}; did you mean @/{best}?"),
        None => format!("there is no content/{key}; check the path, which starts from content/"),
    };
    out.problems.push(
        Diagnostic::error(Code::BrokenLink, locate(), format!("the link `@/{target}` points to no page"))
            .with_help(help),
    );
    out.dest = Some("#".into());
    out
}

impl Rendered {
    /// Takes a resolved link's problems, target and anchor; returns what to publish.
    pub fn absorb<'a>(&mut self, written: CowStr<'a>, link: ResolvedLink) -> CowStr<'a> {
        self.problems.extend(link.problems);
        self.links_to.extend(link.key);
        self.anchor_links.extend(link.anchor);
        link.dest.map_or(written, CowStr::from)
    }
}

/// Where `dest` is written in `raw`, the source of a link: after its text, so near the end. Only the end is
/// searched, so that a page of nested links (each one's source holding all the others) is read in linear
/// time; a title longer than that leaves the link located at its start.
pub fn dest_in_link(raw: &str, dest: &str) -> Option<usize> {
    let mut from = raw.len().saturating_sub(dest.len() + 1024);
    while !raw.is_char_boundary(from) {
        from -= 1;
    }
    raw[from..].rfind(dest).map(|i| from + i)
}

/// `a/b.zh.md` → `a/b.md`; keys without a language suffix are returned as they are.
pub fn strip_language(key: &str) -> std::borrow::Cow<'_, str> {
    if let Some(stem) = key.strip_suffix(".md")
        && let Some((name, suffix)) = stem.rsplit_once('.')
        && crate::site::config::is_language_code(suffix)
        && !name.ends_with('/')
    {
        return format!("{name}.md").into();
    }
    key.into()
}

/// The raw HTML of one block (or one inline tag), which pulldown-cmark hands over in pieces (a block's
/// lines), judged whole so that a tag opened in one piece and closed in another is read as a browser reads it.
#[derive(Default)]
struct RawHtml {
    html: String,
    /// For each piece: where it starts in `html`, and where in the source file.
    pieces: Vec<(usize, usize)>,
}

impl RawHtml {
    fn push(&mut self, html: &str, source_offset: usize) {
        self.pieces.push((self.html.len(), source_offset));
        self.html.push_str(html);
    }

    /// Reports every unsafe construct, located in the source file, and starts over.
    fn judge(&mut self, source: &SourceText, ctx: &dyn Context, problems: &mut Vec<Diagnostic>) {
        if !ctx.allow_unsafe_html() {
            for found in sanitize::judge(&self.html) {
                let piece = self.pieces.partition_point(|(start, _)| *start <= found.at).saturating_sub(1);
                let (start, offset) = self.pieces.get(piece).copied().unwrap_or_default();
                problems.push(
                    Diagnostic::error(
                        Code::UnsafeHtml,
                        source.locate(offset + found.at - start),
                        format!("raw HTML with {} is not allowed", found.what),
                    )
                    .with_help(if found.is_url { UNSAFE_URL_HELP } else { UNSAFE_HTML_HELP }),
                );
            }
        }
        self.html.clear();
        self.pieces.clear();
    }
}

const UNSAFE_HTML_HELP: &str = "remove it; only if every editor of the site is trusted, set `allow_unsafe_html = true` under [markdown] in site.toml";
const UNSAFE_URL_HELP: &str = "link with an http:, https:, mailto: or tel: address, or a path on the site";

const PLACEHOLDER_START: &str = "<!--diptych:";

fn is_shortcode_placeholder(html: &str) -> bool {
    html.trim_start().starts_with(PLACEHOLDER_START)
}

fn placeholder_index(html: &str) -> usize {
    html.trim_start()[PLACEHOLDER_START.len()..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX)
}

/// Replaces each shortcode line (`{{ name(key="value") }}` alone on a line, outside fenced and indented code)
/// by a placeholder comment, and renders the shortcodes. The placeholder keeps the line's length where it can,
/// so positions later in the file stay right. A shortcode that is unclosed or sits inside a line of text is
/// an error, never published as text (issue 11).
fn extract_shortcodes(
    body: &str,
    body_start: usize,
    source: &SourceText,
    ctx: &dyn Context,
    problems: &mut Vec<Diagnostic>,
) -> (String, Vec<String>) {
    if !body.contains("{{") {
        return (body.to_string(), Vec::new());
    }
    let mut text = String::with_capacity(body.len());
    let mut rendered = Vec::new();
    let mut fence: Option<&str> = None;
    let mut offset = 0;
    // An indented code block starts after a blank line (or a heading) and goes on while lines are indented.
    let mut after_blank = true;
    let mut in_indented_code = false;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim();
        let line_offset = body_start + offset;
        offset += line.len();
        let indent = line.len() - line.trim_start().len();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            text.push_str(line);
            continue;
        }
        let was_after_blank = std::mem::replace(&mut after_blank, trimmed.is_empty());
        in_indented_code = !trimmed.is_empty() && indent >= 4 && (was_after_blank || in_indented_code)
            || trimmed.is_empty() && in_indented_code;
        if in_indented_code {
            text.push_str(line);
            continue;
        }
        if indent < 4 && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            fence = Some(&trimmed[..3]);
            text.push_str(line);
            continue;
        }
        if !trimmed.starts_with("{{") {
            if let Some(column) = inline_shortcode(line) {
                problems.push(
                    Diagnostic::error(
                        Code::Shortcode,
                        source.locate(line_offset + column),
                        "a shortcode inside a line of text is not expanded",
                    )
                    .with_help("put the shortcode alone on its own line, or write it in `code` to show it as text"),
                );
            }
            text.push_str(line);
            continue;
        }
        let at = source.locate(line_offset + indent);
        if !trimmed.ends_with("}}") {
            problems.push(
                Diagnostic::error(Code::Shortcode, at, "this shortcode is not closed")
                    .with_help("end the line with `}}`: a shortcode is {{ name(key=\"value\") }} alone on its line"),
            );
            text.push_str(line);
            continue;
        }
        let html = match parse_shortcode(&trimmed[2..trimmed.len() - 2]) {
            Ok(call) => ctx.render_shortcode(&call, &at).unwrap_or_else(|d| {
                problems.push(d);
                String::new()
            }),
            Err(why) => {
                problems.push(malformed(at, trimmed, &why));
                String::new()
            }
        };
        let mut placeholder = format!("{}{}", &line[..indent], PLACEHOLDER_START);
        placeholder.push_str(&rendered.len().to_string());
        let content_len = line.trim_end().len();
        while placeholder.len() + 3 < content_len {
            placeholder.push(' ');
        }
        placeholder.push_str("-->");
        placeholder.push_str(&line[line.trim_end().len()..]);
        if !placeholder.ends_with('\n') {
            placeholder.push('\n');
        }
        text.push_str(&placeholder);
        rendered.push(html);
    }
    (text, rendered)
}

fn malformed(at: Location, shortcode: &str, why: &str) -> Diagnostic {
    let curly = shortcode.chars().find(|c| matches!(c, '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}'));
    let help = match curly {
        Some(q) => format!(
            "`{q}` is a curly quote, as a word processor or smart punctuation writes it: type straight quotes, {{{{ name(key=\"value\") }}}}"
        ),
        None => "write a shortcode as {{ name(key=\"value\") }} alone on its line".to_string(),
    };
    Diagnostic::error(Code::Shortcode, at, format!("malformed shortcode: {why}")).with_help(help)
}

/// The byte column of a shortcode (`{{ name(`) written inside a line of text, outside `code` spans.
fn inline_shortcode(line: &str) -> Option<usize> {
    let mut in_code = false;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => in_code = !in_code,
            b'{' if !in_code && bytes.get(i + 1) == Some(&b'{') => {
                let rest = line[i + 2..].trim_start();
                let name_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
                if name_len > 0 && rest[name_len..].trim_start().starts_with('(') {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Parses `name(key="value", n=1, flag=true)`.
pub fn parse_shortcode(inner: &str) -> Result<ShortcodeCall, String> {
    let inner = inner.trim();
    let open = inner.find('(').ok_or("expected `(` after the name")?;
    let name = inner[..open].trim();
    if name.is_empty()
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        || name.starts_with(|c: char| c.is_ascii_digit())
    {
        return Err(format!("`{name}` is not a shortcode name"));
    }
    let args_text = inner[open + 1..].strip_suffix(')').ok_or("expected `)` at the end")?;
    let mut args = Vec::new();
    let mut rest = args_text.trim();
    while !rest.is_empty() {
        let eq = rest.find('=').ok_or_else(|| format!("expected `key=value`, found `{rest}`"))?;
        let key = rest[..eq].trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{key}` is not an argument name"));
        }
        let (value, after) = parse_arg_value(rest[eq + 1..].trim_start())?;
        if args.iter().any(|(k, _)| k == key) {
            return Err(format!("the argument `{key}` is given twice"));
        }
        args.push((key.to_string(), value));
        rest = after.trim_start();
        if let Some(r) = rest.strip_prefix(',') {
            rest = r.trim_start();
        } else if !rest.is_empty() {
            return Err(format!("expected `,` between arguments, found `{rest}`"));
        }
    }
    Ok(ShortcodeCall { name: name.to_string(), args })
}

fn parse_arg_value(text: &str) -> Result<(ArgValue, &str), String> {
    if let Some(quote) = text.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let mut value = String::new();
        let mut chars = text[1..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => value.extend(chars.next().map(|(_, c)| c)),
                c if c == quote => return Ok((ArgValue::Str(value), &text[1 + i + 1..])),
                c => value.push(c),
            }
        }
        return Err("a string argument is not closed".to_string());
    }
    let end = text.find([',', ' ']).unwrap_or(text.len());
    let word = &text[..end];
    let value = match word {
        "true" => ArgValue::Bool(true),
        "false" => ArgValue::Bool(false),
        _ => match word.parse::<i64>() {
            Ok(n) => ArgValue::Int(n),
            Err(_) => ArgValue::Float(word.parse().map_err(|_| format!("`{word}` is not a value; quote strings"))?),
        },
    };
    Ok((value, &text[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;

    impl Links for Fake {
        fn office_url(&self, _: &str) -> Option<String> {
            None
        }
        fn page_url(&self, key: &str, lang: Option<&str>) -> Option<String> {
            (key == "a.md").then(|| format!("/{}/a/", lang.unwrap_or("en")))
        }
        fn keys(&self) -> Vec<String> {
            vec!["a.md".into()]
        }
        fn allow_unsafe_html(&self) -> bool {
            false
        }
    }

    impl Context for Fake {
        fn render_shortcode(&self, call: &ShortcodeCall, at: &Location) -> Result<String, Diagnostic> {
            match call.name.as_str() {
                "office" => Ok(format!("<div class=\"office\">{:?}</div>", call.args[0].1)),
                other => Err(Diagnostic::error(Code::Shortcode, at.clone(), format!("unknown shortcode `{other}`"))),
            }
        }
    }

    fn render_body(body: &str) -> Rendered {
        let text = format!("+++\ntitle = \"t\"\n+++\n{body}");
        let start = crate::site::frontmatter::split(&text).unwrap().body_start;
        let source = SourceText::new("content/p.md", text);
        render(&source, start, &Fake)
    }

    #[test]
    fn resolves_internal_links_and_keeps_anchors() {
        let r = render_body("See [a](@/a.md#fees).\n");
        assert_eq!(r.html, "<p>See <a href=\"/en/a/#fees\">a</a>.</p>\n");
        assert_eq!(r.anchor_links[0].anchor, "fees");
        assert!(r.problems.is_empty());
    }

    #[test]
    fn broken_link_is_located_at_the_target() {
        let r = render_body("Line one.\n\nSee [b](@/b.md).\n");
        assert_eq!(r.problems.len(), 1);
        let p = &r.problems[0];
        assert_eq!((p.line, p.column, p.code), (6, 9, Code::BrokenLink));
    }

    #[test]
    fn script_links_are_refused_however_they_are_written() {
        let bodies = [
            "[x](javascript:alert(1))",
            "[x](JavaScript:alert(1))",
            "[x](<  javascript:alert(1)>)",
            "[x](<java\tscript:alert(1)>)",
            "[x](java&#9;script:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](&#x6A;avascript&colon;alert(1))",
            "[x](vbscript:msgbox)",
            "[x](data:text/html,hi)",
        ];
        for body in bodies {
            let r = render_body(&format!("\n{body}\n"));
            assert_eq!(r.html, "<p><a href=\"#\">x</a></p>\n", "{body}");
            let found: Vec<(Code, usize, usize)> = r.problems.iter().map(|p| (p.code, p.line, p.column)).collect();
            assert_eq!(found.len(), 1, "{body}: {found:?}");
            assert_eq!((found[0].0, found[0].1), (Code::UnsafeHtml, 5), "{body}");
        }
        let r = render_body("[x](javascript:alert(1))\n");
        assert_eq!(r.problems[0].column, 5, "located at the destination");
    }

    #[test]
    fn pinned_and_broken_links_say_what_to_write() {
        let r = render_body("[a](@/a.zh.md) [b](@/b.md)\n");
        assert_eq!(r.html, "<p><a href=\"/zh/a/\">a</a> <a href=\"#\">b</a></p>\n");
        let found: Vec<(Code, usize)> = r.problems.iter().map(|p| (p.code, p.column)).collect();
        assert_eq!(found, [(Code::LinkLanguage, 5), (Code::BrokenLink, 20)]);
        assert_eq!(r.problems[1].help.as_deref(), Some("there is no content/b.md; did you mean @/a.md?"));
        assert_eq!(r.links_to, ["a.md"]);
    }

    #[test]
    fn headings_get_ids_from_text_or_attributes() {
        let r = render_body("## Who can apply\n\n## 申请条件\n\n## Fees {#fee}\n\n## Who can apply\n");
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["who-can-apply", "申请条件", "fee", "who-can-apply-1"]);
        assert!(r.html.contains("<h2 id=\"fee\">Fees</h2>"), "{}", r.html);
        let r = render_body("## a-1\n\n## a\n\n## a\n\n## a-1\n");
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a-1", "a", "a-2", "a-1-1"], "a suffix never repeats an id given before");
    }

    #[test]
    fn heading_ids_fold_latin_accents_as_zola_does() {
        assert_eq!(slugify("Búsqueda avanzada"), "busqueda-avanzada");
        assert_eq!(slugify("Straße & Æther, Łódź"), "strasse-aether-lodz");
        assert_eq!(slugify("Tiếng Việt"), "tieng-viet");
        assert_eq!(slugify("Cafe\u{301} crème"), "cafe-creme", "a separate combining accent is folded too");
        assert_eq!(slugify("申请条件 (2026)"), "申请条件-2026", "other scripts are kept");
        assert_eq!(slugify("Ελληνικά"), "ελληνικά");
        assert_eq!(slugify("?!"), "section");
    }

    struct Anchored;

    impl Links for Anchored {
        fn office_url(&self, key: &str) -> Option<String> {
            Fake.office_url(key)
        }
        fn page_url(&self, key: &str, lang: Option<&str>) -> Option<String> {
            Fake.page_url(key, lang)
        }
        fn keys(&self) -> Vec<String> {
            Fake.keys()
        }
        fn allow_unsafe_html(&self) -> bool {
            false
        }
    }

    impl Context for Anchored {
        fn render_shortcode(&self, call: &ShortcodeCall, at: &Location) -> Result<String, Diagnostic> {
            Fake.render_shortcode(call, at)
        }
        fn heading_anchor_label(&self) -> Option<String> {
            Some("Link to this section".into())
        }
    }

    #[test]
    fn headings_below_the_title_get_accessible_anchor_links() {
        let text = "+++\ntitle = \"t\"\n+++\n# Title\n\n## Fees & times {#fees}\n\n### Über\n";
        let start = crate::site::frontmatter::split(text).unwrap().body_start;
        let r = render(&SourceText::new("content/p.md", text.to_string()), start, &Anchored);
        assert!(r.html.contains("<h1 id=\"title\">Title</h1>"), "{}", r.html);
        let fees = "<h2 id=\"fees\">Fees &amp; times <a class=\"heading-anchor\" href=\"#fees\" \
                    aria-label=\"Link to this section: Fees &amp; times\">#</a></h2>";
        assert!(r.html.contains(fees), "{}", r.html);
        assert!(r.html.contains("<h3 id=\"uber\">Über <a class=\"heading-anchor\" href=\"#uber\""), "{}", r.html);
        assert_eq!(r.headings[1].text, "Fees & times", "the table of contents does not show the anchor");
    }

    #[test]
    fn unsafe_raw_html_is_an_error() {
        let r = render_body("Hi <img src=x onerror=\"alert(1)\">\n\n<script>alert(1)</script>\n");
        let codes: Vec<(Code, usize)> = r.problems.iter().map(|p| (p.code, p.line)).collect();
        assert_eq!(codes, [(Code::UnsafeHtml, 4), (Code::UnsafeHtml, 6)]);
    }

    #[test]
    fn raw_html_split_over_lines_is_judged_whole_and_located() {
        let r = render_body("<div\n  class=\"a\"\n  data-x=1 href=\"java&#x73;cript:x\">\n</div>\n");
        let at: Vec<(usize, usize)> = r.problems.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(at, [(6, 18)], "{:?}", r.problems);
        let r = render_body("> <noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">\n");
        assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
        assert_eq!((r.problems[0].line, r.problems[0].column), (4, 3));
    }

    #[test]
    fn root_relative_links_start_at_the_base_path() {
        assert_eq!(below_base("/form.pdf", "/guide/").as_deref(), Some("/guide/form.pdf"));
        assert_eq!(below_base("@/static/form.pdf", "/guide/").as_deref(), Some("/guide/form.pdf"));
        assert_eq!(below_base("/guide/form.pdf", "/guide/"), None, "already below the base path");
        assert_eq!(below_base("/form.pdf", "/").as_deref(), Some("/form.pdf"));
        assert_eq!(below_base("//cdn.example.org/x.js", "/"), None);
        assert_eq!(below_base("form.pdf", "/"), None);
    }

    #[test]
    fn shortcodes_in_indented_code_are_text() {
        let r = render_body("Before.\n\n    {{ nope(id=\"x\") }}\n\nAfter.\n");
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        assert!(r.html.contains("<pre><code>{{ nope(id=\"x\") }}"), "{}", r.html);
    }

    #[test]
    fn unclosed_inline_and_curly_shortcodes_are_errors() {
        let r = render_body(
            "\n{{ office(id=\"a\") \n\nSee {{ office(id=\"x\") }} here, not `{{ office() }}`.\n\n{{ office(id=\u{201c}x\u{201d}) }}\n",
        );
        let found: Vec<(usize, usize, &str)> =
            r.problems.iter().map(|p| (p.line, p.column, p.message.as_str())).collect();
        assert_eq!(found[0], (5, 1, "this shortcode is not closed"));
        assert_eq!(found[1], (7, 5, "a shortcode inside a line of text is not expanded"));
        assert!(found[2].2.starts_with("malformed shortcode"), "{found:?}");
        assert!(r.problems[2].help.as_deref().unwrap().contains("curly quote"), "{:?}", r.problems[2]);
        assert_eq!(found.len(), 3, "{found:?}");
    }

    #[test]
    fn shortcodes_render_outside_code_fences_only() {
        let r = render_body("Before.\n{{ office(id=\"center\") }}\n\n```\n{{ office(id=\"x\") }}\n```\n");
        assert!(r.html.contains("<div class=\"office\">Str(\"center\")</div>"), "{}", r.html);
        assert!(r.html.contains("<code>{{ office(id=\"x\") }}"), "{}", r.html);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
    }

    #[test]
    fn shortcode_errors_are_located() {
        let r = render_body("\n{{ nope(id=\"x\") }}\n{{ office(id=) }}\n");
        let found: Vec<(usize, &str)> = r.problems.iter().map(|p| (p.line, p.message.as_str())).collect();
        assert_eq!(found[0], (5, "unknown shortcode `nope`"));
        assert_eq!(found[1].0, 6);
        assert!(found[1].1.starts_with("malformed shortcode"), "{}", found[1].1);
    }

    #[test]
    fn parses_shortcode_arguments() {
        let call = parse_shortcode(" office(id=\"a\\\"b\", n=2, big=true, r=1.5) ").unwrap();
        assert_eq!(call.name, "office");
        assert_eq!(call.args[0], ("id".into(), ArgValue::Str("a\"b".into())));
        assert_eq!(call.args[1].1, ArgValue::Int(2));
        assert_eq!(call.args[2].1, ArgValue::Bool(true));
        assert!(parse_shortcode("office(id=\"a\"").is_err());
        assert!(parse_shortcode("office(id=a b)").is_err());
    }

    #[test]
    fn language_suffix_is_stripped_from_keys() {
        assert_eq!(strip_language("a/b.zh.md"), "a/b.md");
        assert_eq!(strip_language("a/_index.zh.md"), "a/_index.md");
        assert_eq!(strip_language("a/b.md"), "a/b.md");
    }
}
