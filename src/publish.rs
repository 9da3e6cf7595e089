//! Publishes a built site: writes it into a staging folder beside the output, then swaps it in whole.
//! A failed build never touches the output folder, and files of earlier builds never linger. A rebuild
//! instead changes single files in place, each atomically.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// One file of the built site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutFile {
    /// Relative to the output folder, `/`-separated: `en/renewal/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Why the output folder may not be replaced.
pub fn refuse_reason(out_dir: &Path, site_root: &Path) -> Option<String> {
    let out = absolute(out_dir);
    let root = absolute(site_root);
    if root.starts_with(&out) {
        return Some(format!("the output folder {} contains the site itself", out_dir.display()));
    }
    for inside in ["content", "themes", "static", "templates", "i18n"] {
        if out.starts_with(root.join(inside)) {
            return Some(format!("the output folder {} is inside the site's {inside}/ folder", out_dir.display()));
        }
    }
    if out.is_dir()
        && !out.join("index.html").is_file()
        && std::fs::read_dir(&out).map(|mut d| d.next().is_some()).unwrap_or(false)
    {
        return Some(format!(
            "{} is not empty and does not look like a built site (it has no index.html)",
            out_dir.display()
        ));
    }
    None
}

fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| {
        let base = std::env::current_dir().unwrap_or_default().join(path);
        let mut clean = PathBuf::new();
        for part in base.components() {
            match part {
                std::path::Component::ParentDir => {
                    clean.pop();
                }
                std::path::Component::CurDir => {}
                other => clean.push(other),
            }
        }
        clean
    })
}

/// Writes `files` to `out_dir`, replacing what was there only once every file is written.
pub fn publish(out_dir: &Path, files: &[OutFile]) -> io::Result<()> {
    let name = out_dir.file_name().map_or_else(|| "dist".into(), |n| n.to_string_lossy().to_string());
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    remove_stale(&parent, &name);
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.staging-{pid}"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    if let Err(e) = write_tree(&staging, files) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    swap_in(&staging, out_dir, &parent.join(format!(".{name}.old-{pid}")))
}

/// Writes every file below `dir`, creating folders first and then files in parallel.
pub fn write_tree(dir: &Path, files: &[OutFile]) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let folders: BTreeSet<&str> = files.iter().filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d)).collect();
    for folder in folders {
        std::fs::create_dir_all(dir.join(folder))?;
    }
    files.par_iter().try_for_each(|f| std::fs::write(dir.join(&f.path), &f.bytes))
}

/// Replaces `out_dir/rel` with `bytes` atomically: a reader sees the old file or the new one, never a part.
pub fn write_file(out_dir: &Path, rel: &str, bytes: &[u8]) -> io::Result<()> {
    let path = out_dir.join(rel);
    let parent = path.parent().unwrap_or(out_dir);
    std::fs::create_dir_all(parent)?;
    let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().to_string());
    let temp = parent.join(format!(".{name}.diptych-{}.tmp", std::process::id()));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, &path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// Removes `out_dir/rel`, and the folders above it that it leaves empty.
pub fn remove_file(out_dir: &Path, rel: &str) -> io::Result<()> {
    let path = out_dir.join(rel);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut dir = path.parent();
    while let Some(d) = dir.filter(|d| *d != out_dir && d.starts_with(out_dir)) {
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

fn swap_in(staging: &Path, out_dir: &Path, old: &Path) -> io::Result<()> {
    if !out_dir.exists() {
        return std::fs::rename(staging, out_dir);
    }
    if old.exists() {
        std::fs::remove_dir_all(old)?;
    }
    std::fs::rename(out_dir, old)?;
    if let Err(e) = std::fs::rename(staging, out_dir) {
        let _ = std::fs::rename(old, out_dir);
        let _ = std::fs::remove_dir_all(staging);
        return Err(e);
    }
    std::fs::remove_dir_all(old)
}

/// Removes staging and old folders left by builds that were killed, whose process is gone.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().to_string();
        let Some(rest) = file_name.strip_prefix(&format!(".{name}.")) else { continue };
        let pid =
            rest.strip_prefix("staging-").or_else(|| rest.strip_prefix("old-")).and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid
            && pid != std::process::id()
            && !Path::new(&format!("/proc/{pid}")).exists()
            && Path::new("/proc/self").exists()
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutFile {
        OutFile { path: path.into(), bytes: text.as_bytes().to_vec() }
    }

    #[test]
    fn replaces_the_whole_folder() {
        let tmp = std::env::temp_dir().join(format!("diptych-publish-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        let out = tmp.join("dist");
        publish(&out, &[file("index.html", "1"), file("en/old/index.html", "old")]).unwrap();
        publish(&out, &[file("index.html", "2"), file("en/new/index.html", "new")]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "2");
        assert!(!out.join("en/old").exists(), "files of an earlier build linger");
        let leftovers: Vec<_> = std::fs::read_dir(&tmp).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("dist")]);
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn single_files_change_in_place_and_empty_folders_go() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("dist");
        write_file(&out, "en/a/index.html", b"1").unwrap();
        write_file(&out, "en/a/index.html", b"2").unwrap();
        write_file(&out, "en/b/index.html", b"b").unwrap();
        assert_eq!(std::fs::read(out.join("en/a/index.html")).unwrap(), b"2");
        remove_file(&out, "en/a/index.html").unwrap();
        remove_file(&out, "en/gone/index.html").unwrap();
        assert!(!out.join("en/a").exists(), "an emptied folder goes");
        assert!(out.join("en/b/index.html").is_file());
        let names: Vec<_> = std::fs::read_dir(out.join("en")).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("b")], "no temporary file is left");
    }

    #[test]
    fn refuses_to_replace_the_site_or_a_foreign_folder() {
        let tmp = std::env::temp_dir().join(format!("diptych-refuse-{}", std::process::id()));
        std::fs::create_dir_all(tmp.join("site/content")).unwrap();
        std::fs::create_dir_all(tmp.join("home")).unwrap();
        std::fs::write(tmp.join("home/notes.txt"), "mine").unwrap();
        let site = tmp.join("site");
        assert!(refuse_reason(&site, &site).is_some());
        assert!(refuse_reason(&tmp, &site).is_some());
        assert!(refuse_reason(&site.join("content/out"), &site).is_some());
        assert!(refuse_reason(&tmp.join("home"), &site).is_some());
        assert!(refuse_reason(&site.join("dist"), &site).is_none());
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}
