//! The little of HTTP/1.1 a preview server needs: read a request's head, write a response and close.

use std::io::{self, BufRead, BufReader, Read, Write};

/// The largest request head read; a browser's is far smaller.
const MAX_HEAD: u64 = 16 * 1024;

#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path and query, as sent: `/guide/en/?x=1`.
    pub target: String,
}

/// Reads a request's head; none if the client sent no valid request line.
pub fn read_request(stream: impl Read) -> io::Result<Option<Request>> {
    let mut reader = BufReader::new(stream.take(MAX_HEAD));
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next()) else {
        return Ok(None);
    };
    if !version.starts_with("HTTP/1.") {
        return Ok(None);
    }
    let request = Request { method: method.to_string(), target: target.to_string() };
    // The headers are not needed; read them so the client is not cut off while still sending.
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim_end().is_empty() {
            return Ok(Some(request));
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

    /// Writes the response; the body is left out for a HEAD request.
    pub fn write(&self, mut stream: impl Write, head_only: bool) -> io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        // A preview must never be cached: the next request may see a rebuilt file.
        head.push_str(&format!(
            "Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
            self.body.len()
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
        let raw = b"GET /guide/en/?q=1 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n";
        let request = read_request(&raw[..]).unwrap().unwrap();
        assert_eq!(request, Request { method: "GET".into(), target: "/guide/en/?q=1".into() });
        assert_eq!(read_request(&b"garbage\r\n\r\n"[..]).unwrap(), None);
        assert_eq!(read_request(&b""[..]).unwrap(), None);
    }

    #[test]
    fn a_head_response_has_the_length_but_no_body() {
        let mut out = Vec::new();
        Response::text(404, "missing").write(&mut out, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"), "{text}");
        assert!(text.contains("Content-Length: 7\r\n") && text.ends_with("\r\n\r\n"), "{text}");
    }
}
