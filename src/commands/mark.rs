//! `diptych mark-translated`: records in a translation's front matter that it is up to date with its
//! original (see `check::translations`), changing nothing else in the file.

use std::path::{Path, PathBuf};

use toml::Spanned;

use super::git;
use crate::check::translations::text;
use crate::diag::{Code, Diagnostic, Failure, SourceText};
use crate::fsutil;
use crate::site::config::Config;
use crate::site::content;
use crate::site::frontmatter::{self, FrontMatter};
use crate::site::{self, LoadOptions};

/// Records in `file`'s front matter that it is up to date with its original, changing nothing else in the
/// file, and keeps what `diptych diff` needs to show later what changed. Returns what it did, in one line.
pub fn mark(root: &Path, file: &Path) -> Result<String, Failure> {
    let config = site::load_config(root, &LoadOptions::default())?;
    let target = Target::find(root, file, &config)?;
    let original_bytes = fsutil::read(&root.join(&target.original), &target.original)?;
    let original = fsutil::normalize(original_bytes.clone(), &target.original)?;
    let translatable = translatable_text(&target.original, &original)?;
    let mark = Mark {
        hash: text::fingerprint(&translatable),
        blob: git::in_repository(root).then(|| git::blob_id(&original_bytes)),
    };
    let kept = keep_for_diff(root, &target.path, &mark, &translatable)?;
    // The translation is edited as it is on disk, byte-order mark and line endings included.
    let raw = fsutil::utf8(fsutil::read(&root.join(&target.path), &target.path)?, &target.path)?;
    match edit(&target.path, &raw, &mark)? {
        None => Ok(format!("{} is already marked up to date with {}", target.path, target.original)),
        Some(edited) => {
            std::fs::write(root.join(&target.path), edited)
                .map_err(|e| Failure::Usage(format!("cannot write {}: {}", target.path, fsutil::io_reason(&e))))?;
            Ok(format!(
                "marked {} up to date with {} (source_hash = \"{}\"); {kept}",
                target.path, target.original, mark.hash
            ))
        }
    }
}

/// What a mark records: the fingerprint of the original's translatable text and, in a git repository, the
/// original's blob id.
struct Mark {
    hash: String,
    blob: Option<String>,
}

/// Where `diptych diff` finds the original's translatable text as it was when `translation` was marked,
/// where git cannot give it back: a folder meant to be committed with the site.
pub fn kept_copy(translation: &str) -> String {
    format!(".diptych/translated/{translation}.txt")
}

/// Keeps the original's translatable text for `diptych diff`: git has it when the blob is in the repository;
/// otherwise a copy goes to `kept_copy`. Says which, for the command's one line.
fn keep_for_diff(root: &Path, translation: &str, mark: &Mark, translatable: &str) -> Result<String, Failure> {
    let copy = kept_copy(translation);
    let in_git = mark.blob.as_deref().is_some_and(|b| git::read_blob(root, b).is_some());
    let write_error = |e: std::io::Error| Failure::Usage(format!("cannot write {copy}: {}", fsutil::io_reason(&e)));
    if in_git {
        if root.join(&copy).is_file() {
            std::fs::remove_file(root.join(&copy)).map_err(write_error)?;
        }
        return Ok("git keeps the original's text for `diptych diff`".to_string());
    }
    if let Some(dir) = root.join(&copy).parent() {
        std::fs::create_dir_all(dir).map_err(write_error)?;
    }
    std::fs::write(root.join(&copy), translatable).map_err(write_error)?;
    Ok(format!("kept the original's text for `diptych diff` in {copy}: commit it with the translation"))
}

/// The translatable text of the page at `path` (`content/a/b.md`) whose normalized text is `text` (see
/// `check::translations::text`), read as `build` reads it: plain Markdown too, its title from its heading or name.
pub fn translatable_text(path: &str, text: &str) -> Result<String, Failure> {
    let key = content::key_of(Path::new(path.strip_prefix("content/").unwrap_or(path)));
    let is_section = key == "_index.md" || key.ends_with("/_index.md");
    let page = frontmatter::parse_page(&SourceText::new(path, text.to_string()), &key, is_section)
        .map_err(Failure::Content)?;
    Ok(text::translatable(&page.front, &text[page.body_start..]))
}

/// A translation named on the command line, and its original; both relative to the site root.
pub struct Target {
    pub path: String,
    pub original: String,
}

impl Target {
    pub fn find(root: &Path, file: &Path, config: &Config) -> Result<Target, Failure> {
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

/// The file's new text with `mark` set, or `None` if it already is. The front matter must parse, so that
/// the mark is put where TOML reads it; the result is parsed again before it is returned.
fn edit(path: &str, raw: &str, mark: &Mark) -> Result<Option<String>, Failure> {
    let front = parse_front(path, raw)?;
    let (text, split) = normalized(path, raw)?;
    let at = |offset: usize| split.front_start + offset;
    let quoted = |v: &str| format!("\"{v}\"");
    // (start, end, replacement) in the normalized text, applied from the last to the first.
    let mut changes: Vec<(usize, usize, String)> = Vec::new();
    match &front.translation {
        Some(old) => {
            let old = old.get_ref();
            let hash = old.source_hash.span();
            if *old.source_hash.get_ref() != mark.hash {
                changes.push((at(hash.start), at(hash.end), quoted(&mark.hash)));
            }
            match (&old.source_blob, &mark.blob) {
                (Some(b), Some(blob)) if b.get_ref() != blob => {
                    changes.push((at(b.span().start), at(b.span().end), quoted(blob)))
                }
                (None, Some(blob)) => {
                    // Beside the hash, written the way the hash's key is (`source_hash` or `translation.source_hash`).
                    let line_start = text[..at(hash.start)].rfind('\n').map_or(0, |i| i + 1);
                    let line = &text[line_start..at(hash.start)];
                    let prefix = line.find("source_hash").map_or("", |i| &line[..i]);
                    changes.push((at(hash.end), at(hash.end), format!("\n{prefix}source_blob = {}", quoted(blob))));
                }
                _ => {}
            }
        }
        None => {
            let blank = if text[..split.front_end].ends_with("\n\n") || split.front_end == split.front_start {
                ""
            } else {
                "\n"
            };
            let blob = mark.blob.as_deref().map(|b| format!("source_blob = {}\n", quoted(b))).unwrap_or_default();
            let table = format!("{blank}[translation]\nsource_hash = {}\n{blob}", quoted(&mark.hash));
            changes.push((split.front_end, split.front_end, table));
        }
    }
    if changes.is_empty() {
        return Ok(None);
    }
    changes.sort_by_key(|c| std::cmp::Reverse(c.0));
    let newline = if raw.contains("\r\n") { "\r\n" } else { "\n" };
    let mut edited = raw.to_string();
    for (start, end, replacement) in changes {
        edited.replace_range(raw_offset(raw, start)..raw_offset(raw, end), &replacement.replace('\n', newline));
    }
    let reread = parse_front(path, &edited)?;
    match reread.translation.map(Spanned::into_inner) {
        Some(m)
            if *m.source_hash.get_ref() == mark.hash
                && (mark.blob.is_none() || m.source_blob.as_ref().map(|b| b.get_ref()) == mark.blob.as_ref()) =>
        {
            Ok(Some(edited))
        }
        _ => Err(Failure::Usage(format!(
            "cannot place the mark in {path}; add it to the front matter by hand:\n[translation]\nsource_hash = \"{}\"",
            mark.hash
        ))),
    }
}

fn normalized(path: &str, raw: &str) -> Result<(String, frontmatter::Split), Failure> {
    let text = fsutil::normalize(raw.as_bytes().to_vec(), path)?;
    let split = frontmatter::split(&text).map_err(|e| {
        let source = SourceText::new(path, text.clone());
        Failure::Content(vec![
            Diagnostic::error(Code::FrontMatter, source.locate(e.offset), e.message).with_help(e.help),
        ])
    })?;
    Ok((text, split))
}

/// The front matter of the page at `path` whose text (as on disk) is `raw`.
pub fn front_of(path: &str, raw: &str) -> Result<FrontMatter, Failure> {
    parse_front(path, raw)
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

    fn plain() -> Mark {
        Mark { hash: HASH.to_string(), blob: None }
    }

    fn edited(raw: &str) -> String {
        edit("content/a.zh.md", raw, &plain()).unwrap().expect("an edit")
    }

    #[test]
    fn reports_a_translation_that_is_not_utf8_at_its_bad_byte() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let config = "base_url = \"https://example.org/\"\ndefault_language = \"en\"\n\n[languages.en]\nname = \"English\"\ntitle = \"T\"\n\n[languages.zh]\nname = \"中文\"\ntitle = \"T\"\n";
        std::fs::write(root.join("site.toml"), config).unwrap();
        std::fs::create_dir(root.join("content")).unwrap();
        std::fs::write(root.join("content/a.md"), "+++\ntitle = \"A\"\n+++\n").unwrap();
        std::fs::write(root.join("content/a.zh.md"), b"+++\ntitle = \"\xB0\xA1\"\n+++\n").unwrap();
        let Err(Failure::Content(problems)) = mark(root, Path::new("content/a.zh.md")) else {
            panic!("expected an error")
        };
        assert_eq!(
            problems[0].render_short(),
            "content/a.zh.md:2:10: error: the file is not valid UTF-8 here (byte 0xB0)\n  help: save the file as UTF-8 (it may have been saved as Latin-1 or GBK)"
        );
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
        assert_eq!(edit("content/a.zh.md", &edited(raw), &plain()).unwrap(), None, "a second run changes nothing");
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
    fn records_the_blob_beside_the_hash_written_the_same_way() {
        let mark = Mark { hash: HASH.to_string(), blob: Some("ab".repeat(20)) };
        let dotted = "+++\ntitle = \"A\"\ntranslation.source_hash = \"f8dbde44a434c738\"\n+++\n";
        let blob = "ab".repeat(20);
        assert_eq!(
            edit("content/a.zh.md", dotted, &mark).unwrap().unwrap(),
            format!(
                "+++\ntitle = \"A\"\ntranslation.source_hash = \"{HASH}\"\ntranslation.source_blob = \"{blob}\"\n+++\n"
            )
        );
        let fresh = edit("content/a.zh.md", "+++\ntitle = \"A\"\n+++\n", &mark).unwrap().unwrap();
        assert_eq!(
            fresh,
            format!("+++\ntitle = \"A\"\n\n[translation]\nsource_hash = \"{HASH}\"\nsource_blob = \"{blob}\"\n+++\n")
        );
        assert_eq!(edit("content/a.zh.md", &fresh, &mark).unwrap(), None, "a second run changes nothing");
    }

    #[test]
    fn refuses_a_file_whose_front_matter_does_not_parse() {
        let Err(Failure::Content(problems)) = edit("content/a.zh.md", "+++\ntitle = \"A\"\nx\n+++\n", &plain()) else {
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
