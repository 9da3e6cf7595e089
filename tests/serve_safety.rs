//! `serve` under attack and misuse, through the real binary on loopback: slow clients (slowloris), keep-alive,
//! requests for other host names (DNS rebinding), `--bind 0.0.0.0`, and an output folder deleted under it.

mod common;

use std::io::{BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{Running, Site, get_closing, read_response, save, send, start_serve};

fn serve(site: &Site) -> (Running, String) {
    start_serve(&["--root", site.root().to_str().unwrap()])
}

/// Opens `count` connections that send a request head one header line every second and never finish it.
fn slow_clients(address: &str, count: usize) -> std::thread::JoinHandle<Vec<TcpStream>> {
    let mut clients: Vec<TcpStream> = (0..count).filter_map(|_| TcpStream::connect(address).ok()).collect();
    for client in &mut clients {
        let _ = client.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n");
    }
    std::thread::spawn(move || {
        for line in 0..6 {
            std::thread::sleep(Duration::from_secs(1));
            for client in &mut clients {
                let _ = write!(client, "X-Slow-{line}: still sending\r\n");
            }
        }
        clients
    })
}

/// More slow connections than the server holds, sending a header line every second: a normal request is
/// still answered, and a request that takes too long is cut off.
#[test]
fn slow_clients_do_not_lock_out_a_normal_request() {
    let site = Site::fixture("bilingual");
    let (_serve, address) = serve(&site);
    let slow = slow_clients(&address, 600);
    std::thread::sleep(Duration::from_secs(2));
    let page = get_closing(&address, "/en/");
    assert_eq!(page.status, 200, "{}", page.head);
    drop(slow.join().unwrap());

    // One slow client alone: its request has a deadline, however steadily it sends.
    let mut client = TcpStream::connect(&address).unwrap();
    client.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    client.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n").unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    loop {
        assert!(started.elapsed() < common::PATIENCE, "a request that never ends is never cut off");
        let _ = client.write_all(b"X-Slow: still sending\r\n");
        let mut buf = [0; 512];
        match client.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 408 Request Timeout"), "{answer}");
    assert_eq!(get_closing(&address, "/en/").status, 200, "still answering");
}

#[test]
fn keeps_the_connection_for_further_requests() {
    let site = Site::fixture("bilingual");
    let (_serve, address) = serve(&site);
    for connection in ["", "Connection: keep-alive\r\n"] {
        let stream = TcpStream::connect(&address).unwrap();
        stream.set_read_timeout(Some(common::PATIENCE)).unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        for path in ["/en/", "/zh/cards/lost/", "/en/missing/"] {
            write!(&stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\n{connection}\r\n").unwrap();
            let response = read_response(&mut reader);
            assert_eq!(response.status, if path.contains("missing") { 404 } else { 200 }, "{path}");
            assert_eq!(response.header("Connection"), Some("keep-alive"));
            assert!(response.body.contains("</html>"));
        }
        write!(&stream, "GET /en/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
        assert_eq!(read_response(&mut reader).header("Connection"), Some("close"));
        assert_eq!(reader.read(&mut [0; 1]).unwrap(), 0, "closed when asked");
    }
    // Two requests sent at once are both answered, in order.
    let stream = TcpStream::connect(&address).unwrap();
    stream.set_read_timeout(Some(common::PATIENCE)).unwrap();
    write!(&stream, "GET /en/ HTTP/1.1\r\nHost: localhost\r\n\r\nGET /zh/ HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut reader = BufReader::new(stream);
    assert!(read_response(&mut reader).body.contains("<html lang=\"en\""));
    assert!(read_response(&mut reader).body.contains("<html lang=\"zh-Hans\""));
}

#[test]
fn answers_only_requests_for_its_own_host_names() {
    let site = Site::fixture("bilingual");
    let (_serve, address) = serve(&site);
    let port = address.rsplit(':').next().unwrap();
    let request =
        |host: &str| send(&address, &format!("GET /en/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
    for host in ["localhost", &format!("localhost:{port}"), &format!("127.0.0.1:{port}"), "[::1]", "127.0.0.1"] {
        assert_eq!(request(host).status, 200, "{host}");
    }
    for host in ["evil.example", &format!("evil.example:{port}"), "127.0.0.1.nip.io", "192.168.1.5", "[::2]:80"] {
        let response = request(host);
        assert_eq!(response.status, 403, "{host}");
        assert_eq!(response.header("Content-Type"), Some("text/plain; charset=utf-8"));
        assert!(
            response.body.starts_with("refused: this preview answers only requests for localhost"),
            "{}",
            response.body
        );
        assert!(!response.body.contains("<html"), "nothing of the site is sent");
    }
    let events = send(&address, "GET /__diptych/events HTTP/1.1\r\nHost: evil.example\r\n\r\n");
    assert_eq!(events.status, 403, "the reload stream is refused too");
}

#[test]
fn bound_to_every_address_it_warns_prints_a_working_url_and_accepts_any_name() {
    let site = Site::fixture("bilingual");
    let mut serve =
        Running::start(&["serve", "--root", site.root().to_str().unwrap(), "--port", "0", "--bind", "0.0.0.0"]);
    let warning = serve.wait_for("the warning", |l| l.starts_with("warning: "));
    assert!(
        warning
            .starts_with("warning: --bind 0.0.0.0 makes the preview reachable from every network this machine is on"),
        "{warning}"
    );
    let line = serve.wait_for("the URL", |l| l.starts_with("serving "));
    assert!(line.starts_with("serving http://127.0.0.1:"), "{line}");
    let address = line.trim_start_matches("serving http://").split('/').next().unwrap().to_string();
    serve.next_round();
    let response = send(&address, "GET /en/ HTTP/1.1\r\nHost: laptop.local:8000\r\nConnection: close\r\n\r\n");
    assert_eq!(response.status, 200, "bound on purpose: any name is answered");
}

#[test]
fn every_page_is_served_again_after_the_output_is_deleted() {
    let site = Site::fixture("bilingual");
    let (mut running, address) = serve(&site);
    let pages: Vec<String> = common::tree(&site.dist()).into_keys().filter(|p| p.ends_with("index.html")).collect();
    assert!(pages.len() >= 8);
    std::fs::remove_dir_all(site.dist()).unwrap();
    save(&site.path("content/cards/lost.md"), "+++\ntitle = \"Lost card\"\n+++\nAfter rm -rf.\n");
    assert!(running.next_round().starts_with("rebuilt"));
    for page in &pages {
        let path = format!("/{}", page.trim_end_matches("index.html"));
        assert_eq!(get_closing(&address, &path).status, 200, "{path}");
    }
    assert_eq!(running.interrupt(), 0);
    let (_again, address) = serve(&site);
    assert_eq!(get_closing(&address, "/en/cards/lost/").status, 200, "a restart takes its own folder back");
}
