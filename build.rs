//! Embeds `themes/default` in the binary, so a site without a `themes/` folder still builds.
//! Cheap and local: it lists the theme's files, declares each as a rerun trigger, and writes an index of
//! `include_bytes!` calls. Nothing else in the repository (content/, dist/) is read.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let theme = root.join("themes").join("default");
    println!("cargo:rerun-if-changed=build.rs");
    let mut files = Vec::new();
    collect(&theme, &mut files);
    files.sort();
    let mut index =
        String::from("/// The files of `themes/default`, relative to it.\npub static FILES: &[(&str, &[u8])] = &[\n");
    for file in &files {
        let rel = file.strip_prefix(&theme).expect("inside the theme").to_string_lossy().replace('\\', "/");
        let _ = writeln!(index, "    ({rel:?}, include_bytes!({:?})),", file.to_string_lossy());
    }
    index.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_theme.rs");
    std::fs::write(out, index).expect("OUT_DIR is writable");
}

/// Every file below `dir`, and a rerun trigger for each file and folder (a new file changes its folder).
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
            continue;
        }
        if path.is_dir() {
            collect(&path, files);
        } else {
            println!("cargo:rerun-if-changed={}", path.display());
            files.push(path);
        }
    }
}
