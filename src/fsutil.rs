//! File-system helpers that name the path in every error, and a stable content fingerprint.

use std::path::Path;

use crate::diag::{Diagnostic, Location};

/// Reads a file; an error names `display` and says why.
pub fn read(path: &Path, display: &str) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(path).map_err(|e| {
        Diagnostic::error("unreadable", Location::file(display), format!("cannot read: {}", io_reason(&e)))
            .with_help("check that the file exists and that its permissions let you read it")
    })
}

/// Bytes as UTF-8 text, without a byte-order mark.
pub fn utf8(bytes: Vec<u8>, display: &str) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text)),
        Err(e) => Err(Diagnostic::error(
            "invalid-utf8",
            Location::file(display),
            format!("the file is not valid UTF-8 (from byte {})", e.utf8_error().valid_up_to()),
        )
        .with_help("save the file as UTF-8")),
    }
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
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
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
    fn read_error_names_the_file() {
        let d = read(Path::new("/nonexistent/x.md"), "content/x.md").unwrap_err();
        assert_eq!(
            d.render_short().lines().next().unwrap(),
            "content/x.md: error: cannot read: No such file or directory"
        );
    }
}
