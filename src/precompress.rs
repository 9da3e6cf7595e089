//! Precompressed copies of the text files of a built site, `.br` and `.gz` beside each, for hosts that serve
//! them as they are (nginx's `gzip_static` and `brotli_static`, a bucket with `Content-Encoding` set).

use std::collections::HashSet;
use std::io::Write;

use rayon::prelude::*;

use crate::render::OutFile;

/// The kinds of file worth compressing: the others (images, PDFs, fonts) are compressed already.
const TEXT_EXTENSIONS: &[&str] = &["html", "css", "js", "json", "xml", "svg", "txt", "vcf"];

/// `files` with a `.br` and a `.gz` beside each text file, sorted by path. A copy no smaller than its
/// original is left out (the host then serves the original), and so is one whose name the site uses already.
pub fn add(mut files: Vec<OutFile>) -> Vec<OutFile> {
    let taken: HashSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let copies: Vec<OutFile> = files
        .par_iter()
        .filter(|f| is_text(&f.path))
        .flat_map_iter(|f| [("br", brotli(&f.bytes)), ("gz", gzip(&f.bytes))].map(|(ext, bytes)| (f, ext, bytes)))
        .filter(|(f, _, bytes)| bytes.len() < f.bytes.len())
        .map(|(f, ext, bytes)| OutFile { path: format!("{}.{ext}", f.path), bytes })
        .filter(|copy| !taken.contains(&copy.path))
        .collect();
    files.extend(copies);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn is_text(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(_, ext)| TEXT_EXTENSIONS.contains(&ext))
}

/// gzip at the best level, with no file name and a zero time in the header, so that two builds of the same
/// site write the same bytes.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::GzBuilder::new().mtime(0).write(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    encoder.write_all(bytes).and_then(|()| encoder.finish()).unwrap_or_default()
}

/// Brotli at the best quality: the build pays once, every reader gains.
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    let mut out = Vec::new();
    match brotli::BrotliCompress(&mut &bytes[..], &mut out, &params) {
        Ok(_) => out,
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn file(path: &str, text: &str) -> OutFile {
        OutFile { path: path.into(), bytes: text.repeat(40).into_bytes() }
    }

    #[test]
    fn text_files_get_copies_that_decompress_to_the_original() {
        let files = add(vec![file("en/index.html", "<p>Hello, 你好</p>\n"), file("logo.png", "PNG")]);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["en/index.html", "en/index.html.br", "en/index.html.gz", "logo.png"]);
        let original = &files[0].bytes;
        let mut gunzipped = Vec::new();
        flate2::read::GzDecoder::new(&files[2].bytes[..]).read_to_end(&mut gunzipped).unwrap();
        assert_eq!(&gunzipped, original);
        let mut unbrotlied = Vec::new();
        brotli::BrotliDecompress(&mut &files[1].bytes[..], &mut unbrotlied).unwrap();
        assert_eq!(&unbrotlied, original);
    }

    #[test]
    fn copies_are_deterministic_and_never_replace_a_site_file() {
        assert_eq!(gzip(b"same bytes"), gzip(b"same bytes"));
        assert_eq!(&gzip(b"x")[4..8], &[0, 0, 0, 0], "the gzip header carries no time");
        let files = add(vec![file("a.css", "body{}"), file("a.css.gz", "mine"), file("tiny.txt", "")]);
        let gz = files.iter().find(|f| f.path == "a.css.gz").unwrap();
        assert_eq!(gz.bytes, "mine".repeat(40).into_bytes());
        assert!(!files.iter().any(|f| f.path.starts_with("tiny.txt.")), "an empty file gains nothing");
    }
}
