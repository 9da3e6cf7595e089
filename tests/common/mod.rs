//! Shared helpers for integration tests: copy a fixture site, run the real binary, read trees of files.
#![allow(dead_code)]

pub mod edits;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fixture site copied into a temporary folder, so tests can build and edit it freely.
pub struct Site {
    pub tmp: tempfile::TempDir,
}

impl Site {
    /// Copies `tests/fixtures/<name>` (or any folder below `tests/`, e.g. `invalid/x`).
    pub fn fixture(name: &str) -> Site {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(if name.contains('/') {
            name.to_string()
        } else {
            format!("fixtures/{name}")
        });
        assert!(from.is_dir(), "no fixture at {}", from.display());
        let tmp = tempfile::tempdir().expect("a temporary folder");
        copy_dir(&from, &tmp.path().join("site"));
        Site { tmp }
    }

    /// The pinned copy of the guide (`tests/fixtures/guide`), with the repository's `themes/` beside it, as the
    /// shipped site has them.
    pub fn guide() -> Site {
        let site = Site::fixture("guide");
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("themes"), &site.path("themes"));
        site
    }

    pub fn empty() -> Site {
        Site { tmp: tempfile::tempdir().expect("a temporary folder") }
    }

    pub fn root(&self) -> PathBuf {
        self.tmp.path().join("site")
    }

    pub fn dist(&self) -> PathBuf {
        self.root().join("dist")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A file of the built site, as text.
    pub fn out(&self, rel: &str) -> String {
        let path = self.dist().join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub fn build(&self, extra: &[&str]) -> Run {
        let root = self.root();
        let mut args = vec!["build", "--root", root.to_str().unwrap()];
        args.extend_from_slice(extra);
        // A fixed day, well before the fixtures' holiday calendars end, so that the output does not depend on
        // the day the tests run (`calendar-ending`).
        if !extra.contains(&"--today") {
            args.extend(["--today", "2026-06-01"]);
        }
        diptych(&args)
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert_eq!(self.code, 0, "exit code\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }
}

/// Runs the real `diptych` binary.
pub fn diptych(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_diptych")).args(args).output().expect("the binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file below `dir`, relative path → bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    collect(dir, dir, &mut files);
    files
}

fn collect(base: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let rel = path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
            files.insert(rel, std::fs::read(&path).unwrap());
        }
    }
}

/// The `href` values of `<a>` and `<link>` elements in a page.
pub fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"").skip(1).map(|rest| rest.split('"').next().unwrap().to_string()).collect()
}

/// Saves a file the way careful editors do: written beside it under a temporary name, then renamed over it,
/// so a watcher sees the whole new text at once.
pub fn save(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let temp = path.with_file_name(format!(".{}.saving", path.file_name().unwrap().to_string_lossy()));
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, path).unwrap();
}

/// How long to wait for what a running command should do: generous, for a loaded machine.
pub const PATIENCE: std::time::Duration = std::time::Duration::from_secs(90);

/// The real binary running in the background (`watch`, `serve`), its output read as it comes.
pub struct Running {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    /// Every line so far, stdout and stderr interleaved as they arrived.
    pub seen: Vec<String>,
    /// Lines before this index were already returned as round summaries.
    consumed: usize,
}

impl Running {
    pub fn start(args: &[&str]) -> Running {
        use std::io::BufRead;
        use std::process::Stdio;
        let mut child = Command::new(env!("CARGO_BIN_EXE_diptych"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let (tx, lines) = std::sync::mpsc::channel();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx2.send(line);
            }
        });
        Running { child, lines, seen: Vec::new(), consumed: 0 }
    }

    /// Waits for a line (from now on, or already seen after the last round) for which `matches` holds.
    pub fn wait_for(&mut self, what: &str, matches: impl Fn(&str) -> bool) -> String {
        let deadline = std::time::Instant::now() + PATIENCE;
        let mut from = self.consumed;
        loop {
            if let Some(i) = self.seen[from..].iter().position(|l| matches(l)) {
                return self.seen[from + i].clone();
            }
            from = self.seen.len();
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => panic!("no {what} within {PATIENCE:?}; the output so far:\n{}", self.seen.join("\n")),
            }
        }
    }

    /// Waits for the summary line of the next build: `built …`, `rebuilt …` or `build failed: …`.
    pub fn next_round(&mut self) -> String {
        let is_summary =
            |l: &str| l.starts_with("built ") || l.starts_with("rebuilt ") || l.starts_with("build failed:");
        let line = self.wait_for("build", is_summary);
        let at = self.seen[self.consumed..].iter().position(|l| *l == line).unwrap() + self.consumed;
        self.consumed = at + 1;
        line
    }

    /// How many build summaries were read so far.
    pub fn rounds_so_far(&self) -> usize {
        self.seen
            .iter()
            .filter(|l| l.starts_with("built ") || l.starts_with("rebuilt ") || l.starts_with("build failed:"))
            .count()
    }

    /// Sends Ctrl-C (SIGINT) and waits for the process to end; returns its exit code.
    pub fn interrupt(&mut self) -> i32 {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-INT", &pid]).status().expect("kill runs");
        let deadline = std::time::Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                while let Ok(line) = self.lines.recv_timeout(std::time::Duration::from_secs(5)) {
                    self.seen.push(line);
                }
                return status.code().unwrap_or(-1);
            }
            assert!(std::time::Instant::now() < deadline, "still running after Ctrl-C:\n{}", self.seen.join("\n"));
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response as the server sent it.
pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// Sends `GET path` as it is (no normalising, unlike a browser or curl) and reads the whole response.
pub fn get(address: &str, path: &str) -> Response {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).expect("the server accepts connections");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Response { status, head: head.to_string(), body: body.to_string() }
}

/// Reads one response from a connection that may stay open: the head, then `Content-Length` bytes of body.
pub fn read_response(reader: &mut impl std::io::BufRead) -> Response {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).expect("a response") == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut response = Response { status, head: head.trim_end().to_string(), body: String::new() };
    let length = response.header("Content-Length").and_then(|l| l.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("the whole body");
    response.body = String::from_utf8_lossy(&body).into_owned();
    response
}

/// Sends `raw` as it is on a new connection and reads one response.
pub fn send(address: &str, raw: &str) -> Response {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(address).expect("the server accepts connections");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    read_response(&mut std::io::BufReader::new(stream))
}

/// `GET path`, asking the server to close the connection after it (an HTTP/1.1 server keeps it otherwise).
pub fn get_closing(address: &str, path: &str) -> Response {
    send(address, &format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"))
}

/// Starts `diptych serve ARGS --port 0`; returns it, once it answers, and the `host:port` of the URL it prints.
pub fn start_serve(args: &[&str]) -> (Running, String) {
    let mut all = vec!["serve", "--port", "0"];
    all.extend_from_slice(args);
    let mut serve = Running::start(&all);
    let line = serve.wait_for("the URL", |l| l.starts_with("serving http://"));
    let address = line.trim_start_matches("serving http://").split('/').next().unwrap().to_string();
    serve.next_round();
    (serve, address)
}
