//! diptych's own search index: what a page says, cut into terms, and written as static files a browser loads
//! a few at a time. Nothing here knows about the site: it takes a language's pages (URL and HTML) and gives
//! back the files of its bundle.
//!
//! Terms: text is lowercased and folded to its compatibility decomposition without marks (`Café` → `cafe`,
//! full-width `ＡＢＣ１２` → `abc12`), then cut into words at anything that is not a letter or a number. A run
//! of Chinese or Japanese characters, written without spaces, is indexed as each character and each pair of
//! neighbours (`学林路` → `学`, `林`, `路`, `学林`, `林路`), so a query finds any word in it without a
//! dictionary, as Lucene's CJK analyser does. `static/search/search.js` cuts a query the same way.
//!
//! A bundle is `index.json`, which lists the word chunks by their first term and the page groups, and those
//! chunks and groups under `w/` and `p/`, named by a hash of their content so a host can cache them forever:
//!
//! ```text
//! index.json   {"version":1,"pages":N,"group":G,"words":[[first term, chunk hash], …],"groups":[hash, …]}
//! w/HASH.json  [[term, [page, score, page, score, …]], …]          terms in UTF-16 order, pages ascending
//! p/HASH.json  [{"url":…,"title":…,"text":…}, …]                   pages G·k to G·k+G−1
//! ```
//!
//! A score is a term's BM25 weight in a page (title words count five times), times 100, rounded; the browser
//! multiplies it by the term's rarity, known from the length of its page list.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::OutFile;
use crate::fsutil;
use crate::html::{decode_into, tag_end};

/// The attribute a template puts on the element whose text is a page's content.
pub const BODY_MARK: &str = "data-search-body";

/// The attribute that leaves an element inside the content out of the index.
pub const IGNORE_MARK: &str = "data-search-ignore";

/// The file a bundle is opened by.
pub const ENTRY_FILE: &str = "index.json";

/// Pages per file of `p/`: a result list loads a few files, not one per page nor the whole site.
const GROUP: usize = 8;

/// A chunk of `w/` ends once it holds about this many bytes.
const CHUNK_BYTES: usize = 24 * 1024;

/// The text kept of a page for its excerpt, in characters.
const TEXT_CHARS: usize = 3_000;

/// How much more a word in a page's title counts than one in its text.
const TITLE_WEIGHT: u32 = 5;

/// Words longer than this are not words a reader types (hashes, long numbers).
const LONGEST_WORD: usize = 40;

/// BM25's saturation and length normalisation.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// A page as the index sees it.
#[derive(Debug, Default, PartialEq)]
pub struct Document {
    pub url: String,
    pub title: String,
    pub text: String,
}

/// The text of a page's content: the element marked with [`BODY_MARK`], without `nav`, `script`, `style`,
/// `template` or anything marked [`IGNORE_MARK`], and its title, the first `h1` inside it (else `<title>`).
/// None where no element is marked.
pub fn extract(url: &str, html: &str) -> Option<Document> {
    let mark = html.find(BODY_MARK)?;
    let open = html[..mark].rfind('<')?;
    if html[open..mark].contains('>') {
        return None;
    }
    let root = tag_name(&html[open + 1..]);
    let mut text = String::with_capacity(html.len() / 2);
    let mut title = String::new();
    let mut in_title = false;
    let mut title_done = false;
    let mut depth = 0usize;
    // The element being left out, and how deep in elements of its name we are.
    let mut skipping: Option<(String, usize)> = None;
    let bytes = html.as_bytes();
    let mut at = open;
    while let Some(lt) = html[at..].find('<').map(|p| at + p) {
        if at < lt && skipping.is_none() && depth > 0 {
            let piece = &html[at..lt];
            decode_into(piece, &mut text);
            if in_title {
                decode_into(piece, &mut title);
            }
        }
        if html[lt..].starts_with("<!--") {
            at = html[lt..].find("-->").map_or(html.len(), |p| lt + p + 3);
            continue;
        }
        let end = tag_end(bytes, lt);
        let tag = &html[lt..end];
        at = end;
        let closing = tag.starts_with("</");
        let name = tag_name(&tag[if closing { 2 } else { 1 }..]);
        if name.is_empty() {
            // A `<` that starts no tag is text.
            if skipping.is_none() && depth > 0 {
                text.push('<');
            }
            at = lt + 1;
            continue;
        }
        if name.eq_ignore_ascii_case(&root) {
            if closing {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            } else {
                depth += 1;
            }
        }
        if !INLINE.iter().any(|n| name.eq_ignore_ascii_case(n)) {
            text.push(' ');
        }
        let void = VOID.iter().any(|n| name.eq_ignore_ascii_case(n)) || tag.ends_with("/>");
        match &mut skipping {
            Some((skipped, level)) if skipped.eq_ignore_ascii_case(&name) && !void => {
                if closing {
                    *level -= 1;
                    if *level == 0 {
                        skipping = None;
                    }
                } else {
                    *level += 1;
                }
            }
            Some(_) => {}
            None if !closing
                && !void
                && (LEFT_OUT.iter().any(|n| name.eq_ignore_ascii_case(n)) || tag.contains(IGNORE_MARK)) =>
            {
                skipping = Some((name.to_ascii_lowercase(), 1));
            }
            None if name.eq_ignore_ascii_case("h1") && !title_done => {
                if closing {
                    in_title = false;
                    title_done = !title.trim().is_empty();
                } else {
                    in_title = true;
                }
            }
            None => {}
        }
        // Raw text elements hold no tags: jump to their end.
        if !closing && (name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style")) {
            let close = format!("</{}", name.to_ascii_lowercase());
            at = find_ignore_case(html, at, &close).unwrap_or(html.len());
        }
    }
    let mut title = collapse(&title);
    if title.is_empty() {
        title = page_title(html).unwrap_or_else(|| url.to_string());
    }
    let mut text = collapse(&text);
    if let Some(rest) = text.strip_prefix(title.as_str()) {
        text = rest.trim_start().to_string();
    }
    Some(Document { url: url.to_string(), title, text })
}

/// Elements whose text runs on with the text around them: no space is put where they start or end.
const INLINE: [&str; 22] = [
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "small",
    "span", "strong", "sub", "sup", "u",
];

/// Elements that have no end tag.
const VOID: [&str; 12] = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"];

/// Elements whose text is never a page's content.
const LEFT_OUT: [&str; 7] = ["nav", "script", "style", "template", "noscript", "svg", "button"];

fn page_title(html: &str) -> Option<String> {
    let start = find_ignore_case(html, 0, "<title")?;
    let open_end = tag_end(html.as_bytes(), start);
    let close = find_ignore_case(html, open_end, "</title")?;
    let mut title = String::new();
    decode_into(&html[open_end..close], &mut title);
    let title = collapse(&title);
    (!title.is_empty()).then_some(title)
}

fn find_ignore_case(html: &str, from: usize, needle: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let n = needle.as_bytes();
    (from..bytes.len().saturating_sub(n.len() - 1)).find(|&i| bytes[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// The name a tag starts with (`div` in `div class=…>`): empty where the text starts no tag.
fn tag_name(rest: &str) -> String {
    let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) { name } else { String::new() }
}

/// Runs of white space become one space; no space at either end.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether `c` belongs to a script written without spaces between words: Han, Hiragana, Katakana.
pub fn is_unspaced(c: char) -> bool {
    matches!(u32::from(c),
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// `text` as terms are cut from it: lower case, compatibility decomposition, no combining marks.
pub fn fold(text: &str) -> String {
    text.to_lowercase().nfkd().filter(|c| !is_combining_mark(*c)).collect()
}

/// Calls `found` with every term of `folded` (see [`fold`]), in order, as the browser cuts a query: words,
/// and in a run of Chinese or Japanese each pair of neighbours, and the run's last character (a lone
/// character is a run of one). A query of one such character matches the terms it starts. Each term is a
/// slice of `folded`.
pub fn terms<'t>(folded: &'t str, mut found: impl FnMut(&'t str)) {
    // Where the current word or run started, and the start of the run's previous character.
    let mut word: Option<usize> = None;
    let mut run: Option<usize> = None;
    let end_word = |word: &mut Option<usize>, at: usize, found: &mut dyn FnMut(&'t str)| {
        if let Some(start) = word.take() {
            let w = &folded[start..at];
            if w.len() <= LONGEST_WORD || w.chars().count() <= LONGEST_WORD {
                found(w);
            }
        }
    };
    let end_run = |run: &mut Option<usize>, at: usize, found: &mut dyn FnMut(&'t str)| {
        if let Some(last) = run.take() {
            found(&folded[last..at]);
        }
    };
    for (at, c) in folded.char_indices() {
        if is_unspaced(c) {
            end_word(&mut word, at, &mut found);
            if let Some(last) = run {
                found(&folded[last..at + c.len_utf8()]);
            }
            run = Some(at);
        } else if c.is_alphanumeric() {
            end_run(&mut run, at, &mut found);
            word.get_or_insert(at);
        } else {
            end_word(&mut word, at, &mut found);
            end_run(&mut run, at, &mut found);
        }
    }
    end_word(&mut word, folded.len(), &mut found);
    end_run(&mut run, folded.len(), &mut found);
}

/// FNV-1a (`fsutil::fingerprint`) for the term maps: terms are short, and SipHash's resistance to attack buys
/// nothing here.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(fsutil::FINGERPRINT_START)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fsutil::fingerprint_on(self.0, bytes);
    }
}

type FnvMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// A page's distinct terms, as (start, end) in its folded text, each with how much it counts, and how many
/// terms its text holds.
struct Counted {
    folded: String,
    weights: Vec<(u32, u32, u32)>,
    length: u32,
}

impl Counted {
    fn terms(&self) -> impl Iterator<Item = (&str, u32)> {
        self.weights.iter().map(|&(start, end, w)| (&self.folded[start as usize..end as usize], w))
    }
}

fn count(doc: &Document) -> Counted {
    // The title and the text, folded into one string: the title's terms count TITLE_WEIGHT each.
    let mut folded = fold(&doc.title);
    let title_end = folded.len();
    folded.push(' ');
    folded.push_str(&fold(&doc.text));
    let mut weights: FnvMap<&str, u32> = FnvMap::default();
    let mut length = 0u32;
    terms(&folded, |t| {
        let title = (t.as_ptr() as usize - folded.as_ptr() as usize) < title_end;
        length += u32::from(!title);
        *weights.entry(t).or_default() += if title { TITLE_WEIGHT } else { 1 };
    });
    let base = folded.as_ptr() as usize;
    let weights: Vec<(u32, u32, u32)> = weights
        .into_iter()
        .map(|(t, w)| {
            let start = t.as_ptr() as usize - base;
            (start as u32, (start + t.len()) as u32, w)
        })
        .collect();
    Counted { folded, weights, length }
}

#[derive(Serialize)]
struct Entry<'a> {
    version: u32,
    pages: usize,
    group: usize,
    words: Vec<(&'a str, String)>,
    groups: Vec<String>,
}

#[derive(Serialize)]
struct Stored<'a> {
    url: &'a str,
    title: &'a str,
    text: &'a str,
}

/// The files of a bundle, under `dir` (`search-index/en/`), from its pages. The same pages in the same order
/// give byte-identical files.
pub fn bundle(dir: &str, docs: &[Document]) -> Vec<OutFile> {
    let counted: Vec<Counted> = docs.par_iter().map(count).collect();
    let average = (counted.iter().map(|c| f64::from(c.length)).sum::<f64>() / counted.len().max(1) as f64).max(1.0);
    // Each term's pages, as (page, score) pairs with the page given as its distance from the one before.
    let mut postings: FnvMap<&str, (u32, Vec<u32>)> = FnvMap::default();
    for (page, c) in counted.iter().enumerate() {
        let page = page as u32;
        let norm = K1 * (1.0 - B + B * f64::from(c.length) / average);
        for (term, w) in c.terms() {
            let w = f64::from(w);
            let score = (100.0 * w * (K1 + 1.0) / (w + norm)).round().max(1.0) as u32;
            let (last, list) = postings.entry(term).or_insert((0, Vec::new()));
            list.push(page - *last);
            list.push(score);
            *last = page;
        }
    }
    let mut sorted: Vec<(&str, Vec<u32>)> = postings.into_iter().map(|(t, (_, list))| (t, list)).collect();
    // The browser compares strings by UTF-16 code units: sort the same way, so its binary search agrees.
    sorted.par_sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
    // Chunks end where they pass CHUNK_BYTES: [start, end) ranges of `sorted`.
    let mut ranges = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, (term, list)) in sorted.iter().enumerate() {
        size += term.len() + 6 * list.len() + 8;
        if size >= CHUNK_BYTES || i + 1 == sorted.len() {
            ranges.push(start..i + 1);
            (start, size) = (i + 1, 0);
        }
    }
    let chunks: Vec<(&str, String, Vec<u8>)> = ranges
        .into_par_iter()
        .map(|range| {
            let first = sorted[range.start].0;
            let bytes = serde_json::to_vec(&sorted[range]).unwrap_or_default();
            (first, hash(&bytes), bytes)
        })
        .collect();
    let mut files = Vec::new();
    let mut words = Vec::new();
    for (first, hash, bytes) in chunks {
        files.push(OutFile { path: format!("{dir}w/{hash}.json"), bytes });
        words.push((first, hash));
    }
    let mut groups = Vec::new();
    for group in docs.chunks(GROUP) {
        let stored: Vec<Stored> =
            group.iter().map(|d| Stored { url: &d.url, title: &d.title, text: cut(&d.text, TEXT_CHARS) }).collect();
        let bytes = serde_json::to_vec(&stored).unwrap_or_default();
        let hash = hash(&bytes);
        groups.push(hash.clone());
        files.push(OutFile { path: format!("{dir}p/{hash}.json"), bytes });
    }
    let entry = Entry { version: 1, pages: docs.len(), group: GROUP, words, groups };
    files.push(OutFile { path: format!("{dir}{ENTRY_FILE}"), bytes: serde_json::to_vec(&entry).unwrap_or_default() });
    files
}

fn hash(bytes: &[u8]) -> String {
    format!("{:016x}", fsutil::fingerprint(bytes))
}

/// At most `chars` characters of `text`, cut at a character boundary.
fn cut(text: &str, chars: usize) -> &str {
    text.char_indices().nth(chars).map_or(text, |(i, _)| &text[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        terms(&fold(text), |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn words_are_folded_and_chinese_is_cut_into_pairs_and_each_run_s_last_character() {
        assert_eq!(all_terms("Café, ＡＢＣ１２ lost-card"), ["cafe", "abc12", "lost", "card"]);
        assert_eq!(all_terms("学林路 515号"), ["学林", "林路", "路", "515", "号"]);
    }

    #[test]
    fn only_the_marked_content_is_extracted_without_navigation() {
        let html = "<html><head><title>T — Site</title></head><body><header>Menu</header>\
            <main id=\"main\" data-search-body><nav>Home › Visas</nav><h1>Couples <em>reunion</em></h1>\
            <p>Your spouse&#39;s <a href=\"/x\">passport</a>&amp;<br>card</p><script>var x = '<p>';</script>\
            <div data-search-ignore><p>hidden</p></div><!-- <p>comment</p> --><p>学林路</p></main>\
            <footer>Footer</footer></body></html>";
        let doc = extract("/en/x/", html).unwrap();
        assert_eq!(doc.title, "Couples reunion");
        assert_eq!(doc.text, "Your spouse's passport& card 学林路");
    }

    #[test]
    fn cut_off_or_broken_html_never_panics() {
        let html = "<title>学 &amp</title><main data-search-body><h1>T&#x;</h1><p a='>'>配偶 &#99999999; <</p>\
            <nav><nav></nav><div data-search-ignore><br/></div><script>x</script ><!-- x</main>";
        let cuts = html.char_indices().map(|(i, _)| i).chain([html.len()]);
        for end in cuts {
            let _ = extract("/x/", &html[..end]);
            terms(&fold(&html[..end]), |_| {});
        }
    }

    #[test]
    fn a_page_without_the_mark_is_not_extracted() {
        assert_eq!(extract("/en/", "<main><h1>x</h1></main>"), None);
    }

    #[test]
    fn a_page_without_an_h1_takes_its_title_from_the_title_element() {
        let doc = extract("/en/x/", "<title>A &amp; B</title><div data-search-body>text</div>").unwrap();
        assert_eq!(doc.title, "A & B");
        assert_eq!(doc.text, "text");
    }

    #[test]
    fn a_bundle_lists_its_chunks_and_groups_by_content_hash() {
        let docs: Vec<Document> = (0..10)
            .map(|i| Document { url: format!("/en/{i}/"), title: format!("Page {i}"), text: "spouse card".into() })
            .collect();
        let files = bundle("search-index/en/", &docs);
        let entry = files.iter().find(|f| f.path == "search-index/en/index.json").unwrap();
        let entry: serde_json::Value = serde_json::from_slice(&entry.bytes).unwrap();
        assert_eq!(entry["pages"], 10);
        assert_eq!(entry["groups"].as_array().unwrap().len(), 2);
        for hash in entry["groups"].as_array().unwrap() {
            let path = format!("search-index/en/p/{}.json", hash.as_str().unwrap());
            assert!(files.iter().any(|f| f.path == path), "{path}");
        }
        let chunk = files.iter().find(|f| f.path.starts_with("search-index/en/w/")).unwrap();
        let chunk: Vec<(String, Vec<u32>)> = serde_json::from_slice(&chunk.bytes).unwrap();
        let spouse = chunk.iter().find(|(t, _)| t == "spouse").unwrap();
        assert_eq!(spouse.1.len(), 20, "ten pages, each with its score");
        assert_eq!(spouse.1.iter().step_by(2).copied().collect::<Vec<u32>>(), [0, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
        assert_eq!(bundle("search-index/en/", &docs), files, "byte-identical");
    }
}
