//! The little of HTTP/1.1 a preview server needs: read a request's head, write a response, and keep the
//! connection open for the next request when the client wants to.

use std::io::{self, BufRead, Read, Write};

/// The largest request head read; a browser's is far smaller.
const MAX_HEAD: u64 = 16 * 1024;

#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path and query, as sent: `/guide/en/?x=1`.
    pub target: String,
    /// The `Host` header, if any, as sent: `localhost:8000`.
    pub host: Option<String>,
    pub connection: Connection,
}

/// What the client said of the connection after this request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    /// `Connection: close`, or an HTTP/1.0 request that did not ask to keep it.
    Close,
    /// HTTP/1.1 without a word: kept open, as HTTP/1.1 says.
    Default,
    /// `Connection: keep-alive`, as browsers send.
    KeepAlive,
}

/// Reads a request's head; none if the client sent no valid request line or a head too large.
pub fn read_request(reader: &mut impl BufRead) -> io::Result<Option<Request>> {
    let mut head = reader.take(MAX_HEAD);
    let mut line = String::new();
    head.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next()) else {
        return Ok(None);
    };
    let http_1_0 = version == "HTTP/1.0";
    if !version.starts_with("HTTP/1.") {
        return Ok(None);
    }
    let mut request = Request {
        method: method.to_string(),
        target: target.to_string(),
        host: None,
        connection: if http_1_0 { Connection::Close } else { Connection::Default },
    };
    loop {
        let mut header = String::new();
        if head.read_line(&mut header)? == 0 || !header.ends_with('\n') {
            // The connection ended, or the head is larger than any browser's.
            return Ok(None);
        }
        let header = header.trim_end();
        if header.is_empty() {
            return Ok(Some(request));
        }
        let Some((name, value)) = header.split_once(':') else { continue };
        let value = value.trim();
        if name.eq_ignore_ascii_case("host") {
            request.host = Some(value.to_string());
        } else if name.eq_ignore_ascii_case("connection") {
            let says = |word: &str| value.split(',').any(|v| v.trim().eq_ignore_ascii_case(word));
            if says("close") {
                request.connection = Connection::Close;
            } else if says("keep-alive") {
                request.connection = Connection::KeepAlive;
            }
        }
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response { status, headers: vec![("Content-Type", content_type.to_string())], body }
    }

    pub fn text(status: u16, text: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", text.as_bytes().to_vec())
    }

    pub fn redirect(location: &str) -> Response {
        let mut response = Response::text(301, &format!("moved to {location}\n"));
        response.headers.push(("Location", location.to_string()));
        response
    }

    /// Writes the response; the body is left out for a HEAD request. `keep` says whether the connection
    /// stays open for another request.
    pub fn write(&self, mut stream: impl Write, head_only: bool, keep: bool) -> io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        // A preview must never be cached: the next request may see a rebuilt file.
        head.push_str(&format!(
            "Content-Length: {}\r\nCache-Control: no-store\r\nConnection: {}\r\n\r\n",
            self.body.len(),
            if keep { "keep-alive" } else { "close" }
        ));
        stream.write_all(head.as_bytes())?;
        if !head_only {
            stream.write_all(&self.body)?;
        }
        stream.flush()
    }
}

/// The head of a response whose body is streamed until the connection closes (server-sent events).
pub fn write_stream_head(mut stream: impl Write, content_type: &str) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes())?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        408 => "Request Timeout",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_request_line_and_skips_the_headers() {
        let raw = b"GET /guide/en/?q=1 HTTP/1.1\r\nHost: x:80\r\nAccept: */*\r\n\r\nGET /next";
        let mut reader = &raw[..];
        let request = read_request(&mut reader).unwrap().unwrap();
        let expected = Request {
            method: "GET".into(),
            target: "/guide/en/?q=1".into(),
            host: Some("x:80".into()),
            connection: Connection::Default,
        };
        assert_eq!(request, expected);
        assert_eq!(reader, b"GET /next", "the next request is left to read");
        assert_eq!(read_request(&mut &b"garbage\r\n\r\n"[..]).unwrap(), None);
        assert_eq!(read_request(&mut &b""[..]).unwrap(), None);
        assert_eq!(read_request(&mut &b"GET / HTTP/1.1\r\nHost: x\r\n"[..]).unwrap(), None, "cut off");
    }

    #[test]
    fn reads_whether_to_keep_the_connection() {
        let connection = |raw: &[u8]| read_request(&mut &raw[..]).unwrap().unwrap().connection;
        assert_eq!(connection(b"GET / HTTP/1.0\r\n\r\n"), Connection::Close);
        assert_eq!(connection(b"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"), Connection::KeepAlive);
        assert_eq!(connection(b"GET / HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\n\r\n"), Connection::KeepAlive);
        assert_eq!(connection(b"GET / HTTP/1.1\r\nconnection: close\r\n\r\n"), Connection::Close);
    }

    #[test]
    fn a_head_response_has_the_length_but_no_body() {
        let mut out = Vec::new();
        Response::text(404, "missing").write(&mut out, true, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"), "{text}");
        assert!(text.contains("Content-Length: 7\r\n") && text.ends_with("\r\n\r\n"), "{text}");
    }
}
