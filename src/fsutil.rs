//! File-system helpers that name the path in every error, and a stable content fingerprint.

use std::path::Path;

use crate::diag::Code;
use crate::diag::{Diagnostic, Location};

/// Reads a file; an error names `display` and says why.
pub fn read(path: &Path, display: &str) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(path).map_err(|e| {
        Diagnostic::error(Code::Unreadable, Location::file(display), format!("cannot read: {}", io_reason(&e)))
            .with_help("check that the file exists and that its permissions let you read it")
    })
}

/// Reads a source file (a page, `site.toml`, office or holiday data) as every step reads text: UTF-8 without
/// a byte-order mark, with `\n` line endings. Line and column numbers stay those of the file on disk.
pub fn read_text(path: &Path, display: &str) -> Result<String, Diagnostic> {
    normalize(read(path, display)?, display)
}

/// A source file's bytes as the text `read_text` gives.
pub fn normalize(bytes: Vec<u8>, display: &str) -> Result<String, Diagnostic> {
    let text = decode(bytes, display)?;
    Ok(if text.contains('\r') { text.replace("\r\n", "\n") } else { text })
}

/// Bytes as UTF-8 text without a byte-order mark, line endings kept (templates and theme strings are
/// published as written).
pub fn decode(bytes: Vec<u8>, display: &str) -> Result<String, Diagnostic> {
    let text = utf8(bytes, display)?;
    Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text))
}

/// Bytes as UTF-8 text exactly as they are: the one place invalid UTF-8 is reported, at its first bad byte.
pub fn utf8(bytes: Vec<u8>, display: &str) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| invalid_utf8(display, e.as_bytes(), e.utf8_error().valid_up_to()))
}

/// A file that is not UTF-8, located at its first invalid byte (`valid_up_to`) by line and column.
fn invalid_utf8(display: &str, bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    let valid = &bytes[..valid_up_to.min(bytes.len())];
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
    let prefix = std::str::from_utf8(&valid[line_start..]).unwrap_or("");
    let rest = &bytes[line_start..];
    let line_text = String::from_utf8_lossy(&rest[..rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())]);
    let byte = bytes.get(valid_up_to).map_or(String::new(), |b| format!(" (byte 0x{b:02X})"));
    let at = Location {
        path: display.to_string(),
        line,
        column: prefix.chars().count() + 1,
        source_line: Some(line_text.trim_end_matches('\r').to_string()),
    };
    Diagnostic::error(Code::InvalidUtf8, at, format!("the file is not valid UTF-8 here{byte}"))
        .with_help("save the file as UTF-8 (it may have been saved as Latin-1 or GBK)")
}

/// An I/O error's reason without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// FNV-1a, 64 bits: stable across Rust versions and platforms, unlike `DefaultHasher`. It names cached
/// assets and marks translations up to date, which needs stability, not resistance to attack.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    fingerprint_on(FINGERPRINT_START, bytes)
}

/// The fingerprint of nothing, where `fingerprint_on` starts.
pub const FINGERPRINT_START: u64 = 0xcbf2_9ce4_8422_2325;

/// The fingerprint of what `hash` is the fingerprint of, followed by `bytes`.
pub fn fingerprint_on(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_fnv1a() {
        assert_eq!(fingerprint(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fingerprint(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn invalid_utf8_is_located_at_the_first_bad_byte() {
        let d = invalid_utf8("a.md", b"+++\ntitle = \"Caf\xe9\"\n", 16);
        assert_eq!((d.line, d.column), (2, 13));
        assert_eq!(d.message, "the file is not valid UTF-8 here (byte 0xE9)");
        assert_eq!(d.source_line.as_deref(), Some("title = \"Caf\u{fffd}\""));
    }

    #[test]
    fn normalize_drops_the_bom_and_crlf_and_locates_bad_bytes() {
        let text = normalize(b"\xEF\xBB\xBF+++\r\ntitle = \"A\"\r\n+++\r\nx\r\n".to_vec(), "a.md").unwrap();
        assert_eq!(text, "+++\ntitle = \"A\"\n+++\nx\n");
        let d = normalize(b"a\r\nb\xFFc".to_vec(), "a.md").unwrap_err();
        assert_eq!((d.line, d.column), (2, 2));
        assert_eq!(decode(b"x\r\n".to_vec(), "t.html").unwrap(), "x\r\n", "templates keep their line endings");
    }

    #[test]
    fn read_error_names_the_file() {
        let d = read(Path::new("/nonexistent/x.md"), "content/x.md").unwrap_err();
        assert_eq!(
            d.render_short().lines().next().unwrap(),
            "content/x.md: error: cannot read: No such file or directory"
        );
    }
}
