//! `diptych serve`: watches the site like `watch`, and serves the output folder over HTTP as a static host
//! would, under `base_url`'s path, with live reload after every rebuild and an overlay listing the errors
//! while the build has any.

mod files;
mod http;
mod live;

use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use files::Target;
use http::Response;
use live::Live;

use crate::watch::{self, Round, Signals, State};
use crate::{BuildOptions, Failure};

#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The site and its output folder. A `base_url` other than site.toml's would serve what production does not.
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
}

/// Connections served at once (a page waiting for reloads holds one); more are told to come back.
const MAX_CONNECTIONS: usize = 256;
/// How long a connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How often a waiting page hears that the server is still there.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// Serves the site until a stop signal. `on_round` sees every build, and `on_listening` the URL once the first
/// build is done and the server answers.
pub fn serve(
    options: &ServeOptions,
    signals: Signals,
    mut on_listening: impl FnMut(&str),
    mut on_round: impl FnMut(&State, &Round),
) -> Result<(), Failure> {
    let listener = TcpListener::bind(SocketAddr::new(options.bind, options.port)).map_err(|e| {
        Failure::Usage(format!(
            "cannot listen on {}:{}: {}\n  help: choose another --port",
            options.bind,
            options.port,
            crate::fsutil::io_reason(&e)
        ))
    })?;
    let address = listener.local_addr().map_err(|e| Failure::Usage(format!("cannot listen: {e}")))?;
    let out_dir = options.build.output_dir();
    let live = Arc::new(Live::new());
    // Requests that come during the first build wait in the listener's queue.
    let mut waiting = Some(listener);
    watch::watch(&options.build, signals, |state, round| {
        live.update(state.base_path(), &round.problems);
        on_round(state, round);
        if let Some(listener) = waiting.take() {
            let server = Server { out_dir: out_dir.clone(), live: Arc::clone(&live), open: Arc::default() };
            std::thread::spawn(move || server.accept(listener));
            on_listening(&url(address, &live.status().base_path));
        }
    })
}

/// The URL to open: a server bound to every address is reached on this machine through localhost.
fn url(address: SocketAddr, base_path: &str) -> String {
    let host = match address.ip() {
        ip if ip.is_unspecified() => "localhost".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    format!("http://{host}:{}{base_path}", address.port())
}

struct Server {
    out_dir: PathBuf,
    live: Arc<Live>,
    open: Arc<AtomicUsize>,
}

impl Server {
    fn accept(self, listener: TcpListener) {
        let server = Arc::new(self);
        for stream in listener.incoming().flatten() {
            let open = server.open.fetch_add(1, Ordering::SeqCst);
            let server = Arc::clone(&server);
            std::thread::spawn(move || {
                if open < MAX_CONNECTIONS {
                    let _ = server.handle(stream);
                } else {
                    let _ = Response::text(503, "too many connections; try again\n").write(&stream, false);
                }
                server.open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    }

    fn handle(&self, stream: TcpStream) -> io::Result<()> {
        stream.set_read_timeout(Some(READ_TIMEOUT))?;
        let Some(request) = http::read_request(&stream)? else {
            return Response::text(400, "bad request\n").write(&stream, false);
        };
        let head_only = request.method == "HEAD";
        if request.method != "GET" && !head_only {
            let mut response = Response::text(405, "only GET and HEAD\n");
            response.headers.push(("Allow", "GET, HEAD".into()));
            return response.write(&stream, false);
        }
        if request.target == live::EVENTS && !head_only {
            return self.events(stream);
        }
        self.respond(&request.target).write(&stream, head_only)
    }

    fn respond(&self, target: &str) -> Response {
        let status = self.live.status();
        match target.split('?').next().unwrap_or_default() {
            live::SCRIPT => return Response::new(200, "text/javascript; charset=utf-8", live::SCRIPT_SOURCE.into()),
            live::STYLE => return Response::new(200, "text/css; charset=utf-8", live::STYLE_SOURCE.into()),
            path if path.starts_with(live::PREFIX) => return Response::text(404, "not found\n"),
            _ => {}
        }
        match files::resolve(&self.out_dir, &status.base_path, target) {
            Target::File(path) => match std::fs::read(&path) {
                Ok(bytes) => self.page(200, &path, bytes, &status),
                Err(_) => self.not_found(target, &status),
            },
            Target::Redirect(location) => Response::redirect(&location),
            Target::NotFound => self.not_found(target, &status),
            Target::Refused => Response::text(403, "refused: the path leads out of the site\n"),
        }
    }

    /// A file as it is, but a page gets the reload script (and the error overlay).
    fn page(&self, code: u16, path: &Path, bytes: Vec<u8>, status: &live::Status) -> Response {
        let kind = files::content_type(path);
        let body = if kind.starts_with("text/html") { live::inject(&bytes, status) } else { bytes };
        Response::new(code, kind, body)
    }

    /// The site's own 404 page, with the status 404.
    fn not_found(&self, target: &str, status: &live::Status) -> Response {
        let page = files::not_found_page(&self.out_dir, &status.base_path, target);
        match page.and_then(|p| std::fs::read(&p).ok().map(|bytes| (p, bytes))) {
            Some((path, bytes)) => self.page(404, &path, bytes, status),
            None => self.page(404, Path::new("404.html"), b"<p>Not found.</p>\n".to_vec(), status),
        }
    }

    /// Server-sent events: the current build on connecting, then every new one, until the page goes.
    fn events(&self, mut stream: TcpStream) -> io::Result<()> {
        let builds = self.live.subscribe();
        http::write_stream_head(&stream, "text/event-stream")?;
        let hello = format!("retry: 1000\n{}", live::event("hello", &self.live.status().generation));
        stream.write_all(hello.as_bytes())?;
        stream.flush()?;
        loop {
            let message = match builds.recv_timeout(KEEPALIVE) {
                Ok(generation) => live::event("reload", &generation),
                Err(RecvTimeoutError::Timeout) => ": still here\n\n".to_string(),
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            };
            stream.write_all(message.as_bytes())?;
            stream.flush()?;
        }
    }
}
