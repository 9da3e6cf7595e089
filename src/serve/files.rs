//! Maps a request path to a file of the output folder as a static host would, under `base_url`'s path, and
//! refuses every way out of the folder: `..` (also percent-encoded), backslashes, and symbolic links.

use std::path::{Path, PathBuf};

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    /// A folder asked for without its trailing slash: where to send the browser.
    Redirect(String),
    NotFound,
    /// A path that tries to leave the output folder, or that is not a valid path at all.
    Refused,
}

/// Resolves `target` (the request's path, with any query) in `out_dir`, which is served at `base_path`.
pub fn resolve(out_dir: &Path, base_path: &str, target: &str) -> Target {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    // A broken escape or a path that is not UTF-8 is refused, not guessed at.
    let Some(decoded) = crate::urls::decode(path) else { return Target::Refused };
    if !decoded.starts_with('/') || decoded.contains(['\\', '\0']) || decoded.split('/').any(|s| s == ".." || s == ".")
    {
        return Target::Refused;
    }
    let Some(rest) = decoded.strip_prefix(base_path) else {
        return if format!("{decoded}/") == base_path {
            Target::Redirect(base_path.to_string())
        } else {
            Target::NotFound
        };
    };
    // Hidden files are never part of a built site; a rebuild's temporary files are.
    if rest.split('/').any(|s| s.starts_with('.')) {
        return Target::NotFound;
    }
    let Ok(root) = std::fs::canonicalize(out_dir) else { return Target::NotFound };
    let Ok(found) = std::fs::canonicalize(root.join(rest)) else { return Target::NotFound };
    if !found.starts_with(&root) {
        return Target::Refused;
    }
    if !found.is_dir() {
        return Target::File(found);
    }
    if !decoded.ends_with('/') {
        return Target::Redirect(format!("{path}/"));
    }
    match std::fs::canonicalize(found.join("index.html")) {
        Ok(index) if index.starts_with(&root) => Target::File(index),
        Ok(_) => Target::Refused,
        Err(_) => Target::NotFound,
    }
}

/// The site's own 404 page for a missing path: the one of the language the path is in
/// (`/guide/zh/…` → `zh/404.html`), else the one at the root.
pub fn not_found_page(out_dir: &Path, base_path: &str, target: &str) -> Option<PathBuf> {
    let decoded = crate::urls::decode(target.split(['?', '#']).next().unwrap_or_default()).unwrap_or_default();
    let first = decoded.strip_prefix(base_path).and_then(|rest| rest.split('/').next()).unwrap_or_default();
    let language = (!first.is_empty() && !first.starts_with('.')).then(|| out_dir.join(first).join("404.html"));
    language.into_iter().chain([out_dir.join("404.html")]).find(|page| page.is_file())
}

/// The `Content-Type` of a file, from its extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "vcf" => "text/vcard; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "webmanifest" => "application/manifest+json",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("dist");
        for file in ["index.html", "404.html", "en/index.html", "en/404.html", "en/a/index.html", "offices/x.vcf"] {
            std::fs::create_dir_all(out.join(file).parent().unwrap()).unwrap();
            std::fs::write(out.join(file), file).unwrap();
        }
        std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
        (tmp, out)
    }

    #[test]
    fn serves_files_and_folders_under_the_base_path() {
        let (_tmp, out) = site();
        let canon = std::fs::canonicalize(&out).unwrap();
        assert_eq!(resolve(&out, "/guide/", "/guide/"), Target::File(canon.join("index.html")));
        assert_eq!(resolve(&out, "/guide/", "/guide/en/a/?x=1"), Target::File(canon.join("en/a/index.html")));
        assert_eq!(resolve(&out, "/guide/", "/guide/en/a"), Target::Redirect("/guide/en/a/".into()));
        assert_eq!(resolve(&out, "/guide/", "/guide"), Target::Redirect("/guide/".into()));
        assert_eq!(resolve(&out, "/guide/", "/en/a/"), Target::NotFound, "outside the base path");
        assert_eq!(resolve(&out, "/", "/offices/x.vcf"), Target::File(canon.join("offices/x.vcf")));
        assert_eq!(resolve(&out, "/", "/nothing/"), Target::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn refuses_paths_out_of_the_folder() {
        let (tmp, out) = site();
        for path in [
            "/../secret.txt",
            "/en/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/en/..%2f..%2fsecret.txt",
            "/..\\secret.txt",
            "/%5c..%5csecret.txt",
            "/a%00b",
            "/%zz",
            "/%c0%ae%c0%ae/secret.txt",
        ] {
            assert_eq!(resolve(&out, "/", path), Target::Refused, "{path}");
        }
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), out.join("link.txt")).unwrap();
        std::os::unix::fs::symlink(tmp.path(), out.join("up")).unwrap();
        assert_eq!(resolve(&out, "/", "/link.txt"), Target::Refused);
        assert_eq!(resolve(&out, "/", "/up/secret.txt"), Target::Refused);
        assert_eq!(resolve(&out, "/", "/%252e%252e/secret.txt"), Target::NotFound, "decoded once, as hosts do");
    }

    #[test]
    fn the_404_page_is_the_languages_own() {
        let (_tmp, out) = site();
        assert_eq!(not_found_page(&out, "/", "/en/missing/"), Some(out.join("en/404.html")));
        assert_eq!(not_found_page(&out, "/", "/fr/missing/"), Some(out.join("404.html")));
        assert_eq!(not_found_page(&out, "/guide/", "/elsewhere"), Some(out.join("404.html")));
    }

    #[test]
    fn content_types_of_what_a_site_publishes() {
        for (name, kind) in [
            ("a.html", "text/html; charset=utf-8"),
            ("x.vcf", "text/vcard; charset=utf-8"),
            ("offices.json", "application/json"),
            ("sitemap.xml", "application/xml"),
            ("style.1a2b.css", "text/css; charset=utf-8"),
        ] {
            assert_eq!(content_type(Path::new(name)), kind);
        }
    }
}
