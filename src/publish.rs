//! Publishes a built site: writes it into a staging folder beside the output, then swaps it in whole.
//! A failed build never touches the output folder, and files of earlier builds never linger. A rebuild
//! instead changes single files in place, each atomically.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::OutFile;
use rayon::prelude::*;

/// The file diptych writes into every output folder it makes. Only a folder holding it (or an empty or
/// missing one) is ever replaced or changed, so a mistyped `--output` cannot delete anyone's files.
pub const MARKER: &str = ".diptych-output";

/// What the marker says to a person who finds it.
pub const MARKER_TEXT: &str = "This folder was written by diptych, which replaces it whole on every build: \
files added here by hand are deleted. diptych changes a folder only if it holds this file.\n";

/// Why an output folder may not be written, and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub reason: String,
    pub help: String,
}

impl Refusal {
    fn new(reason: String, help: &str) -> Refusal {
        Refusal { reason, help: help.to_string() }
    }

    /// `refusing to write the output folder: …` with its hint, for the terminal.
    pub fn message(&self) -> String {
        format!("refusing to write the output folder: {}\n  help: {}", self.reason, self.help)
    }
}

/// Why the output folder may not be replaced, without the hint.
pub fn refuse_reason(out_dir: &Path, site_root: &Path) -> Option<String> {
    refusal(out_dir, site_root).map(|r| r.reason)
}

/// Why the output folder may not be replaced: it is a file or a link, it holds the site or is inside it, or
/// it is a folder diptych did not write. Looks only; touches nothing.
pub fn refusal(out_dir: &Path, site_root: &Path) -> Option<Refusal> {
    if let Some(refusal) = not_a_folder(out_dir) {
        return Some(refusal);
    }
    let out = absolute(out_dir);
    let root = absolute(site_root);
    if root.starts_with(&out) {
        let reason = format!("the output folder {} contains the site itself", out_dir.display());
        return Some(Refusal::new(reason, "choose another --output, outside the site's folder or as its dist/"));
    }
    for inside in ["content", "themes", "static", "templates", "i18n"] {
        if out.starts_with(root.join(inside)) {
            let reason = format!("the output folder {} is inside the site's {inside}/ folder", out_dir.display());
            return Some(Refusal::new(reason, "choose another --output, outside the site's own folders"));
        }
    }
    not_owned(out_dir)
}

/// A path that exists but is not a folder, a symbolic link, or a path that cannot become a folder.
fn not_a_folder(out_dir: &Path) -> Option<Refusal> {
    let shown = out_dir.display();
    match std::fs::symlink_metadata(out_dir) {
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = std::fs::canonicalize(out_dir);
            let reason = match &target {
                Ok(t) if t.is_dir() => format!("{shown} is a symbolic link (to {}), not a folder", t.display()),
                Ok(t) => format!("{shown} is a symbolic link to a file ({}), not a folder", t.display()),
                Err(_) => format!("{shown} is a symbolic link that leads nowhere"),
            };
            let help = match target {
                Ok(t) if t.is_dir() => format!(
                    "diptych replaces its output folder whole, which would replace the link; give the folder it \
                     points to: --output {}",
                    t.display()
                ),
                _ => "choose a folder for --output; diptych creates it if it does not exist".to_string(),
            };
            Some(Refusal { reason, help })
        }
        Ok(meta) if !meta.is_dir() => Some(Refusal::new(
            format!("{shown} is a file, not a folder"),
            "choose a folder for --output; diptych creates it if it does not exist",
        )),
        Ok(_) => None,
        Err(_) => {
            // A missing folder is made, with its parents: each parent that exists must be a folder.
            let absolute = absolute(out_dir);
            let blocking = absolute.ancestors().skip(1).find(|a| a.exists() || a.symlink_metadata().is_ok())?;
            (!blocking.is_dir()).then(|| {
                Refusal::new(
                    format!("{shown} cannot be made: {} is a file, not a folder", blocking.display()),
                    "choose an --output whose parent folders are folders",
                )
            })
        }
    }
}

/// A folder that holds something and no marker: diptych did not write it, so it is not diptych's to delete.
fn not_owned(out_dir: &Path) -> Option<Refusal> {
    let mut entries = match std::fs::read_dir(out_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
        Err(e) => {
            return Some(Refusal::new(
                format!("cannot read the output folder {}: {}", out_dir.display(), crate::fsutil::io_reason(&e)),
                "check its permissions, or choose another --output",
            ));
        }
    };
    if entries.next().is_none() || is_owned(out_dir) {
        return None;
    }
    let reason = format!(
        "{} is not empty, and diptych did not write it: it has no {MARKER} file, which diptych puts in every \
         output folder",
        out_dir.display()
    );
    let help = if out_dir.join("index.html").exists() {
        "if it is the output of an older diptych, delete the folder yourself and build again; otherwise choose \
         another --output"
    } else {
        "choose another --output, or empty the folder first"
    };
    Some(Refusal::new(reason, help))
}

/// The path made absolute and, where it exists, with its links resolved.
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

/// Whether diptych wrote `dir`: it holds the marker, as a file.
pub fn is_owned(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// Writes `files` to `out_dir`, replacing what was there only once every file is written.
pub fn publish(out_dir: &Path, files: &[OutFile]) -> io::Result<()> {
    let (parent, name) = beside(out_dir);
    std::fs::create_dir_all(&parent)?;
    remove_stale(&parent, &name);
    // Checked again here, right before anything is replaced, in case the folder changed since the build began.
    if let Some(refusal) = not_a_folder(out_dir).or_else(|| not_owned(out_dir)) {
        return Err(io::Error::other(refusal.reason));
    }
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.staging-{pid}"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    // The marker goes first, so that even a staging folder left by a killed build is recognisably diptych's.
    let written = std::fs::create_dir_all(&staging)
        .and_then(|()| std::fs::write(staging.join(MARKER), MARKER_TEXT))
        .and_then(|()| write_tree(&staging, files));
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    swap_in(&staging, out_dir, &parent.join(format!(".{name}.old-{pid}")))
}

/// The folder the output folder is in, and its name: staging and old folders are made beside it.
fn beside(out_dir: &Path) -> (PathBuf, String) {
    let name = out_dir.file_name().map_or_else(|| "dist".into(), |n| n.to_string_lossy().to_string());
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    (parent, name)
}

/// Puts back an output folder that a build killed in the middle of its swap left beside its place as
/// `.NAME.old-PID` (only where the one-step exchange is missing). Does nothing if the output folder exists.
pub fn recover(out_dir: &Path) {
    if out_dir.symlink_metadata().is_ok() {
        return;
    }
    let (parent, name) = beside(out_dir);
    let mut olds: Vec<(std::time::SystemTime, PathBuf)> = leftovers(&parent, &name)
        .into_iter()
        .filter(|(kind, path)| *kind == Leftover::Old && is_owned(path))
        .filter_map(|(_, path)| Some((path.metadata().and_then(|m| m.modified()).ok()?, path)))
        .collect();
    olds.sort();
    if let Some((_, newest)) = olds.pop() {
        let _ = std::fs::rename(newest, out_dir);
    }
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

/// Puts `staging` in the place of `out_dir`. Where the system can, both trade places in one step, so the output
/// folder exists at every moment; elsewhere two renames do it, and `recover` mends a kill between them.
fn swap_in(staging: &Path, out_dir: &Path, old: &Path) -> io::Result<()> {
    if out_dir.symlink_metadata().is_err() {
        return std::fs::rename(staging, out_dir);
    }
    match exchange(staging, out_dir) {
        // `staging` holds the previous output now. Should removing it fail, the next build removes it, and
        // this build still succeeded.
        Ok(()) => {
            let _ = std::fs::remove_dir_all(staging);
            return Ok(());
        }
        Err(e) if !exchange_unsupported(&e) => {
            let _ = std::fs::remove_dir_all(staging);
            return Err(e);
        }
        Err(_) => {}
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

/// Swaps two paths atomically: `renameat2(RENAME_EXCHANGE)`, Linux 3.15 and later.
#[cfg(target_os = "linux")]
pub fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // The raw system call, because glibc wraps renameat2 only since 2.28 and musl not everywhere.
    // SAFETY: both paths are NUL-terminated strings that live until the call returns.
    let done = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

#[cfg(not(target_os = "linux"))]
pub fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// The kernel or the file system has no exchange (an old kernel, some network file systems).
fn exchange_unsupported(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)) {
        return true;
    }
    e.kind() == io::ErrorKind::Unsupported
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leftover {
    Staging,
    Old,
}

/// The staging and old folders beside the output, named as `publish` names them (`.dist.staging-123`,
/// `.dist.old-123`), whose build is no longer running. Anything else, even a similar name, is not diptych's.
fn leftovers(parent: &Path, name: &str) -> Vec<(Leftover, PathBuf)> {
    // Without /proc there is no telling whether a build is still running, so nothing counts as left over.
    if !Path::new("/proc/self").exists() {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(parent) else { return Vec::new() };
    let prefix = format!(".{name}.");
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().to_string();
        let Some(rest) = file_name.strip_prefix(&prefix) else { continue };
        let (kind, pid) = if let Some(pid) = rest.strip_prefix("staging-") {
            (Leftover::Staging, pid)
        } else if let Some(pid) = rest.strip_prefix("old-") {
            (Leftover::Old, pid)
        } else {
            continue;
        };
        let is_folder = entry.file_type().is_ok_and(|t| t.is_dir());
        let pid_gone = !pid.is_empty()
            && pid.bytes().all(|b| b.is_ascii_digit())
            && pid.parse::<u32>().is_ok_and(|p| p != std::process::id())
            && !Path::new(&format!("/proc/{pid}")).exists();
        if is_folder && pid_gone {
            found.push((kind, entry.path()));
        }
    }
    found
}

/// Removes staging and old folders left by builds that were killed.
fn remove_stale(parent: &Path, name: &str) {
    for (_, path) in leftovers(parent, name) {
        let _ = std::fs::remove_dir_all(path);
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
