//! What `build` writes for hosts besides the pages: precompressed copies and the `_headers` caching rules.

mod common;

use std::io::Read;

use common::{Site, diptych, tree};

fn with_precompress(site: &Site) {
    let config = std::fs::read_to_string(site.path("site.toml")).unwrap();
    site.write("site.toml", &format!("{config}\n[build]\nprecompress = true\n"));
}

#[test]
fn precompressed_copies_decompress_to_the_originals_byte_for_byte() {
    let site = Site::fixture("bilingual");
    with_precompress(&site);
    site.build(&[]).assert_ok();
    let files = tree(&site.dist());
    let mut checked = 0;
    for (path, bytes) in &files {
        if let Some(original) = path.strip_suffix(".gz") {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut out).unwrap();
            assert_eq!(&out, &files[original], "{path}");
            checked += 1;
        } else if let Some(original) = path.strip_suffix(".br") {
            let mut out = Vec::new();
            brotli::BrotliDecompress(&mut &bytes[..], &mut out).unwrap();
            assert_eq!(&out, &files[original], "{path}");
            checked += 1;
        }
    }
    for text in ["en/index.html", "zh/cards/huanzheng/index.html", "sitemap.xml"] {
        assert!(files.contains_key(&format!("{text}.br")) && files.contains_key(&format!("{text}.gz")), "{text}");
    }
    assert!(checked > 20, "only {checked} copies");
    let css = files.keys().find(|p| p.starts_with("static/style.") && p.ends_with(".css")).unwrap();
    assert!(files.contains_key(&format!("{css}.gz")), "theme CSS is compressed too");
}

#[test]
fn precompressing_is_off_by_default_and_two_builds_are_identical() {
    let site = Site::fixture("bilingual");
    site.build(&[]).assert_ok();
    assert!(!tree(&site.dist()).keys().any(|p| p.ends_with(".gz") || p.ends_with(".br")));
    with_precompress(&site);
    site.build(&[]).assert_ok();
    let first = tree(&site.dist());
    site.build(&[]).assert_ok();
    assert!(first == tree(&site.dist()), "a second build wrote other bytes");
}

#[test]
fn headers_cache_hashed_assets_for_a_year_and_pages_briefly() {
    let site = Site::fixture("bilingual");
    site.build(&[]).assert_ok();
    let headers = site.out("_headers");
    let css = tree(&site.dist()).into_keys().find(|p| p.starts_with("static/style.") && p.ends_with(".css"));
    let immutable = format!("/{}\n  Cache-Control: public, max-age=31536000, immutable\n", css.unwrap());
    assert!(headers.contains(&immutable), "{headers}");
    assert!(headers.contains("\n/zh/*\n  Cache-Control: public, max-age=300\n"), "{headers}");
}

#[test]
fn a_site_headers_file_replaces_the_generated_one() {
    let site = Site::fixture("bilingual");
    site.write("static/_headers", "/*\n  X-Frame-Options: DENY\n");
    let root = site.root();
    let check = diptych(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(!format!("{}{}", check.stdout, check.stderr).contains("_headers"), "{}", check.stderr);
    site.build(&[]).assert_ok();
    assert_eq!(site.out("_headers"), "/*\n  X-Frame-Options: DENY\n");
}
