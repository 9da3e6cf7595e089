//! Whether each translation is up to date with its original, and `mark-translated`, which records that one is.
//!
//! A translation records the version of the original it translates in its front matter:
//!
//! ```toml
//! [translation]
//! source_hash = "5b1e6f0c8d2a4e7b"   # written by `diptych mark-translated`
//! ```
//!
//! The hash is the fingerprint of the original file's text. When the original changes, the hash no longer
//! matches and `check` reports the translation as outdated. A translation without the mark is outdated when
//! its original was `reviewed` later than it was, and otherwise reported as unmarked.

use std::path::{Path, PathBuf};

use crate::Failure;
use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceText};
use crate::fsutil;
use crate::site::config::Config;
use crate::site::content::{self, Content, Doc, Entry};
use crate::site::date::Date;
use crate::site::frontmatter::{self, FrontMatter};
use crate::site::{self, LoadError, LoadOptions, Site};

/// How a translation stands against its original.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Missing,
    UpToDate,
    /// Marked, but the original's text has changed since.
    Changed,
    /// Not marked, and the original was reviewed after the translation.
    ReviewedLater {
        original: Date,
        translation: Date,
    },
    /// Not marked: nothing says which version of the original it translates.
    Unmarked,
}

/// The mark of an original's text: its fingerprint as 16 hex digits.
pub fn source_hash(text: &str) -> String {
    format!("{:016x}", fsutil::fingerprint(text.as_bytes()))
}

/// The state of `entry` in `lang`, or `None` where there is nothing to compare: `lang` is the default
/// language, or the entry has no original in it.
pub fn state(config: &Config, content: &Content, entry: &Entry, lang: &str) -> Option<State> {
    if lang == config.default_language {
        return None;
    }
    let original = &content.docs[*entry.versions.get(&config.default_language)?];
    let Some(&translation) = entry.versions.get(lang) else { return Some(State::Missing) };
    Some(compare(original, &content.docs[translation]))
}

fn compare(original: &Doc, translation: &Doc) -> State {
    if let Some(mark) = &translation.front.translation {
        return if *mark.get_ref().source_hash.get_ref() == source_hash(&original.source.text) {
            State::UpToDate
        } else {
            State::Changed
        };
    }
    match (&original.front.reviewed, &translation.front.reviewed) {
        (Some(o), Some(t)) if o.get_ref() > t.get_ref() => {
            State::ReviewedLater { original: *o.get_ref(), translation: *t.get_ref() }
        }
        _ => State::Unmarked,
    }
}

/// A warning for every translation that is outdated or unmarked. (Missing ones are reported by rendering.)
pub fn check(site: &Site) -> Diagnostics {
    let config = &site.config;
    let content = &site.content;
    let mut problems = Diagnostics::default();
    for entry in &content.entries {
        for (lang, &doc) in &entry.versions {
            let Some(state) = state(config, content, entry, lang) else { continue };
            let original = &content.docs[entry.original];
            problems.extend(diagnostic(state, original, &content.docs[doc]));
        }
    }
    problems
}

fn diagnostic(state: State, original: &Doc, translation: &Doc) -> Option<Diagnostic> {
    let from = &original.source.path;
    let path = &translation.source.path;
    let command = format!("diptych mark-translated {path}");
    let front = &translation.front;
    let d = match state {
        State::Missing | State::UpToDate => return None,
        State::Changed => {
            let at = front.translation.as_ref().map_or_else(
                || Location::file(path),
                |m| translation.front_location(m.get_ref().source_hash.span().start),
            );
            Diagnostic::warning(
                Code::OutdatedTranslation,
                at,
                format!("{from} has changed since this translation was marked up to date"),
            )
            .with_help(format!(
                "bring the translation up to date (`git log -p {from}` shows what changed), then run `{command}`"
            ))
        }
        State::ReviewedLater { original: o, translation: t } => {
            let at = front
                .reviewed
                .as_ref()
                .map_or_else(|| Location::file(path), |r| translation.front_location(r.span().start));
            Diagnostic::warning(
                Code::OutdatedTranslation,
                at,
                format!("{from} was reviewed on {o}, after this translation ({t})"),
            )
            .with_help(format!("check the translation against {from}, then run `{command}`"))
        }
        State::Unmarked => Diagnostic::warning(
            Code::UnmarkedTranslation,
            Location::file(path),
            format!("this translation does not record which version of {from} it translates"),
        )
        .with_help(format!(
            "once it says what {from} says, run `{command}`; check then reports it whenever {from} changes"
        )),
    };
    Some(d)
}

/// Records in `file`'s front matter that it is up to date with its original, changing nothing else in the
/// file. Returns what it did, in one line.
pub fn mark(root: &Path, file: &Path) -> Result<String, Failure> {
    let config = site::load_config(root, &LoadOptions::default()).map_err(|e| match e {
        LoadError::Usage(msg) => Failure::Usage(msg),
        LoadError::Config(ds) => Failure::Content(ds.into_sorted()),
    })?;
    let target = Target::find(root, file, &config)?;
    let original_bytes = fsutil::read(&root.join(&target.original), &target.original).map_err(content_failure)?;
    let original_text =
        frontmatter::normalize(original_bytes).map_err(|_| Failure::Content(vec![invalid_utf8(&target.original)]))?;
    let hash = source_hash(&original_text);
    let raw = fsutil::read(&root.join(&target.path), &target.path).map_err(content_failure)?;
    let raw = String::from_utf8(raw).map_err(|_| Failure::Content(vec![invalid_utf8(&target.path)]))?;
    match edit(&target.path, &raw, &hash)? {
        None => Ok(format!("{} is already marked up to date with {}", target.path, target.original)),
        Some(edited) => {
            std::fs::write(root.join(&target.path), edited)
                .map_err(|e| Failure::Usage(format!("cannot write {}: {}", target.path, fsutil::io_reason(&e))))?;
            Ok(format!("marked {} up to date with {} (source_hash = \"{hash}\")", target.path, target.original))
        }
    }
}

fn content_failure(d: Diagnostic) -> Failure {
    Failure::Content(vec![d])
}

fn invalid_utf8(path: &str) -> Diagnostic {
    Diagnostic::error(Code::InvalidUtf8, Location::file(path), "the file is not valid UTF-8")
        .with_help("save the file as UTF-8")
}

/// A translation named on the command line, and its original; both relative to the site root.
struct Target {
    path: String,
    original: String,
}

impl Target {
    fn find(root: &Path, file: &Path, config: &Config) -> Result<Target, Failure> {
        let given = if file.exists() { file.to_path_buf() } else { root.join(file) };
        let absolute = |p: &Path| std::fs::canonicalize(p);
        let content_dir = absolute(&root.join("content")).map_err(|e| {
            Failure::Usage(format!("cannot read {}/content: {}", root.display(), fsutil::io_reason(&e)))
        })?;
        let full = absolute(&given)
            .map_err(|e| Failure::Usage(format!("cannot read {}: {}", file.display(), fsutil::io_reason(&e))))?;
        let rel: PathBuf = full
            .strip_prefix(&content_dir)
            .map_err(|_| Failure::Usage(format!("{} is not in the site's content/ folder", file.display())))?
            .to_path_buf();
        let path = content::display(Path::new("content").join(&rel));
        let file_name = rel.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let (name, suffix) = content::name_and_lang(&file_name);
        let lang = match suffix {
            Some(code)
                if file_name.ends_with(".md") && config.has_language(code) && code != config.default_language =>
            {
                code
            }
            _ => {
                return Err(Failure::Usage(format!(
                    "{path} is not a translation: a translation is named like page.{}.md, beside its original page.md",
                    config
                        .languages
                        .iter()
                        .map(|l| l.code.as_str())
                        .find(|c| *c != config.default_language)
                        .unwrap_or("zh")
                )));
            }
        };
        let original = match rel.parent().map(content::display).filter(|d| !d.is_empty()) {
            Some(dir) => format!("content/{dir}/{name}.md"),
            None => format!("content/{name}.md"),
        };
        if !root.join(&original).is_file() {
            return Err(Failure::Usage(format!(
                "{path} is a {lang} translation, but its original {original} does not exist"
            )));
        }
        Ok(Target { path, original })
    }
}

/// The file's new text with the mark set to `hash`, or `None` if it already is. The front matter must parse,
/// so that the mark is put where TOML reads it; the result is parsed again before it is returned.
fn edit(path: &str, raw: &str, hash: &str) -> Result<Option<String>, Failure> {
    let front = parse_front(path, raw)?;
    let (text, split) = normalized(path, raw)?;
    let (start, end, replacement) = match &front.translation {
        Some(mark) if mark.get_ref().source_hash.get_ref() == hash => return Ok(None),
        Some(mark) => {
            let span = mark.get_ref().source_hash.span();
            (split.front_start + span.start, split.front_start + span.end, format!("\"{hash}\""))
        }
        None => {
            let blank = if text[..split.front_end].ends_with("\n\n") || split.front_end == split.front_start {
                ""
            } else {
                "\n"
            };
            (split.front_end, split.front_end, format!("{blank}[translation]\nsource_hash = \"{hash}\"\n"))
        }
    };
    let newline = if raw.contains("\r\n") { "\r\n" } else { "\n" };
    let mut edited = String::with_capacity(raw.len() + 64);
    edited.push_str(&raw[..raw_offset(raw, start)]);
    edited.push_str(&replacement.replace('\n', newline));
    edited.push_str(&raw[raw_offset(raw, end)..]);
    let reread = parse_front(path, &edited)?;
    match reread.translation {
        Some(mark) if mark.get_ref().source_hash.get_ref() == hash => Ok(Some(edited)),
        _ => Err(Failure::Usage(format!(
            "cannot place the mark in {path}; add it to the front matter by hand:\n[translation]\nsource_hash = \"{hash}\""
        ))),
    }
}

fn normalized(path: &str, raw: &str) -> Result<(String, frontmatter::Split), Failure> {
    let text =
        frontmatter::normalize(raw.as_bytes().to_vec()).map_err(|_| Failure::Content(vec![invalid_utf8(path)]))?;
    let split = frontmatter::split(&text).map_err(|e| {
        let source = SourceText::new(path, text.clone());
        Failure::Content(vec![
            Diagnostic::error(Code::FrontMatter, source.locate(e.offset), e.message).with_help(e.help),
        ])
    })?;
    Ok((text, split))
}

fn parse_front(path: &str, raw: &str) -> Result<FrontMatter, Failure> {
    let (text, split) = normalized(path, raw)?;
    let is_section = path.rsplit('/').next().is_some_and(|n| n.starts_with("_index."));
    FrontMatter::parse(&SourceText::new(path, text), split, is_section).map_err(Failure::Content)
}

/// The offset in the file as it is on disk of `offset` in its normalized text (no BOM, `\n` line endings).
fn raw_offset(raw: &str, offset: usize) -> usize {
    let bom = if raw.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let bytes = raw.as_bytes();
    let (mut r, mut n) = (bom, 0);
    while n < offset && r < bytes.len() {
        if bytes[r] == b'\r' && bytes.get(r + 1) == Some(&b'\n') {
            r += 1;
        }
        r += 1;
        n += 1;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "0123456789abcdef";

    fn edited(raw: &str) -> String {
        edit("content/a.zh.md", raw, HASH).unwrap().expect("an edit")
    }

    #[test]
    fn adds_the_mark_at_the_end_of_the_front_matter_keeping_everything_else() {
        let raw = "+++\ntitle = \"换证\"   # 标题\nweight = 2\n+++\n\n正文\n";
        assert_eq!(
            edited(raw),
            "+++\ntitle = \"换证\"   # 标题\nweight = 2\n\n[translation]\nsource_hash = \"0123456789abcdef\"\n+++\n\n正文\n"
        );
    }

    #[test]
    fn replaces_only_the_hash_of_an_existing_mark() {
        let raw = "+++\ntitle = \"A\"\n\n[translation]\nsource_hash = \"ffffffffffffffff\"  # old\n\n[extra]\nx = 1\n+++\nBody\n";
        assert_eq!(edited(raw), raw.replace("ffffffffffffffff", HASH));
        assert_eq!(edit("content/a.zh.md", &edited(raw), HASH).unwrap(), None, "a second run changes nothing");
    }

    #[test]
    fn keeps_crlf_line_endings_and_the_bom() {
        let raw = "\u{feff}+++\r\ntitle = \"A\"\r\n+++\r\nBody\r\n";
        assert_eq!(
            edited(raw),
            "\u{feff}+++\r\ntitle = \"A\"\r\n\r\n[translation]\r\nsource_hash = \"0123456789abcdef\"\r\n+++\r\nBody\r\n"
        );
        let marked = "\u{feff}+++\r\ntitle = \"A\"\r\ntranslation.source_hash = \"x\"\r\n+++\r\nBody\r\n";
        assert_eq!(edited(marked), marked.replace("\"x\"", "\"0123456789abcdef\""));
    }

    #[test]
    fn refuses_a_file_whose_front_matter_does_not_parse() {
        let Err(Failure::Content(problems)) = edit("content/a.zh.md", "+++\ntitle = \"A\"\nx\n+++\n", HASH) else {
            panic!("expected the parse error")
        };
        assert_eq!((problems[0].line, problems[0].code), (3, Code::InvalidToml), "{problems:?}");
    }

    #[test]
    fn maps_normalized_offsets_to_the_file_on_disk() {
        let raw = "\u{feff}a\r\nb\nc";
        assert_eq!(raw_offset(raw, 0), 3);
        assert_eq!(raw_offset(raw, 2), 6, "after `a\\n` in the normalized text is after `a\\r\\n` on disk");
        assert_eq!(raw_offset(raw, 4), 8);
    }
}
