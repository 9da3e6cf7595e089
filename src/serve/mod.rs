//! `diptych serve`: watches the site like `watch`, and serves the output folder over HTTP as a static host
//! would, under `base_url`'s path, with live reload after every rebuild and an overlay listing the errors
//! while the build has any.

mod conn;
mod files;
mod host;
mod http;
mod live;

use std::io::{self, BufRead, BufReader, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use conn::{Slots, Timed};
use files::Target;
use host::Hosts;
pub use host::network_warning;
use http::{Connection, Response};
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

/// Connections held at once (a page waiting for reloads holds one). When all are taken, the one waiting
/// longest for its request makes room; if every one is busy, a new connection is told to come back.
const MAX_CONNECTIONS: usize = 512;
/// How long a connection has to send a whole request head, from its first byte; and to send that first byte.
const REQUEST_DEADLINE: Duration = Duration::from_secs(10);
/// How long a connection stays open for another request, when the client asked to keep it (browsers do).
const KEEP_ALIVE_IDLE: Duration = Duration::from_secs(15);
/// The same when the client did not say: HTTP/1.1 keeps the connection, but a simple client may wait for the
/// server to close it before it reads the answer, so it is not kept waiting long.
const DEFAULT_IDLE: Duration = Duration::from_secs(2);
/// How long one write to a client that does not read may take.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
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
            let server = Server {
                out_dir: out_dir.clone(),
                live: Arc::clone(&live),
                slots: Slots::new(MAX_CONNECTIONS),
                hosts: Hosts::for_bind(options.bind),
                address,
            };
            std::thread::spawn(move || server.accept(listener));
            on_listening(&host::url(address, &live.status().base_path));
        }
    })
}

struct Server {
    out_dir: PathBuf,
    live: Arc<Live>,
    slots: Slots,
    hosts: Hosts,
    address: SocketAddr,
}

impl Server {
    fn accept(self, listener: TcpListener) {
        let server = Arc::new(self);
        for stream in listener.incoming().flatten() {
            let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
            let Some(id) = server.slots.admit(&stream) else {
                let _ = Response::text(503, "too many connections; try again\n").write(&stream, false, false);
                continue;
            };
            let server = Arc::clone(&server);
            std::thread::spawn(move || {
                let _ = server.handle(&stream, id);
                server.slots.leave(id);
            });
        }
    }

    /// Answers requests on one connection until it closes, runs out of time, or the client is done.
    fn handle(&self, stream: &TcpStream, id: u64) -> io::Result<()> {
        let mut reader = BufReader::new(Timed::new(stream, REQUEST_DEADLINE));
        loop {
            match reader.fill_buf() {
                Ok([]) => return Ok(()),
                Ok(_) => {}
                Err(e) if conn::timed_out(&e) => return Ok(()),
                Err(e) => return Err(e),
            }
            reader.get_mut().deadline = Instant::now() + REQUEST_DEADLINE;
            let request = match http::read_request(&mut reader) {
                Ok(Some(request)) => request,
                Ok(None) => return Response::text(400, "bad request\n").write(stream, false, false),
                Err(e) if conn::timed_out(&e) => {
                    let text = "the request took too long to arrive; send it again\n";
                    return Response::text(408, text).write(stream, false, false);
                }
                Err(e) => return Err(e),
            };
            self.slots.waiting(id, false);
            let keep = request.connection != Connection::Close;
            if request.target == live::EVENTS && request.method == "GET" && self.hosts.allows(request.host.as_deref()) {
                return self.events(stream);
            }
            self.answer(&request).write(stream, request.method == "HEAD", keep)?;
            if !keep {
                return Ok(());
            }
            self.slots.waiting(id, true);
            let idle = if request.connection == Connection::KeepAlive { KEEP_ALIVE_IDLE } else { DEFAULT_IDLE };
            reader.get_mut().deadline = Instant::now() + idle;
        }
    }

    fn answer(&self, request: &http::Request) -> Response {
        if !self.hosts.allows(request.host.as_deref()) {
            return Response::text(403, &self.wrong_host(request.host.as_deref().unwrap_or_default()));
        }
        if request.method != "GET" && request.method != "HEAD" {
            let mut response = Response::text(405, "only GET and HEAD\n");
            response.headers.push(("Allow", "GET, HEAD".into()));
            return response;
        }
        self.respond(&request.target)
    }

    fn wrong_host(&self, host: &str) -> String {
        format!(
            "refused: this preview answers only requests for localhost, 127.0.0.1 or [::1], not for {host:?}, so \
             that no other web site can read it through its own name (DNS rebinding).\nOpen {} instead, or \
             start diptych serve with --bind 0.0.0.0 to let other names and machines reach it.\n",
            host::url(self.address, "/")
        )
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
    fn events(&self, mut stream: &TcpStream) -> io::Result<()> {
        let builds = self.live.subscribe();
        http::write_stream_head(stream, "text/event-stream")?;
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
