//! `diptych serve` through the real binary: pages under base_url's path, content types, the site's 404,
//! refused traversal, live reload events, the error overlay, many parallel requests, and Ctrl-C.

mod common;

use std::io::{BufRead, BufReader, Write};

use common::{Running, Site, get_closing as get, save, tree};

/// Starts `serve` on a free port; returns it and the `host:port` it listens on, once it answers.
fn serve(site: &Site) -> (Running, String, String) {
    let mut serve = Running::start(&["serve", "--root", site.root().to_str().unwrap(), "--port", "0"]);
    let line = serve.wait_for("the URL", |l| l.starts_with("serving http://"));
    let url = line.trim_start_matches("serving ").split(' ').next().unwrap().to_string();
    let address = url.trim_start_matches("http://").split('/').next().unwrap().to_string();
    serve.next_round();
    (serve, address, url)
}

#[test]
fn serves_the_site_under_its_base_path_as_production_would() {
    let site = Site::fixture("sub_path");
    let (_serve, address, url) = serve(&site);
    assert!(url.ends_with("/guide/"), "{url}");
    let page = get(&address, "/guide/en/cards/renewal/");
    assert_eq!(page.status, 200);
    assert_eq!(page.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert!(page.body.contains("<a href=\"/guide/zh/cards/huanzheng/\""), "{}", page.body);
    let redirect = get(&address, "/guide/en/cards");
    assert_eq!((redirect.status, redirect.header("Location")), (301, Some("/guide/en/cards/")));
    assert_eq!(get(&address, "/guide/sitemap.xml").header("Content-Type"), Some("application/xml"));
    assert_eq!(get(&address, "/guide/manual.txt").header("Content-Type"), Some("text/plain; charset=utf-8"));
    let missing = get(&address, "/guide/zh/nothing/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html lang=\"zh-Hans\">"), "the site's own 404 page, in the path's language");
    assert_eq!(get(&address, "/en/cards/renewal/").status, 404, "outside the base path");
    let head = get(&address, "/__diptych/live.js");
    assert_eq!(head.header("Content-Type"), Some("text/javascript; charset=utf-8"));
}

#[test]
fn sends_office_data_with_its_content_types() {
    let site = Site::fixture("offices");
    let (_serve, address, _) = serve(&site);
    let vcard = get(&address, "/offices/centre.vcf");
    assert_eq!((vcard.status, vcard.header("Content-Type")), (200, Some("text/vcard; charset=utf-8")));
    assert!(vcard.body.starts_with("BEGIN:VCARD"));
    assert_eq!(get(&address, "/offices.json").header("Content-Type"), Some("application/json"));
}

#[cfg(unix)]
#[test]
fn refuses_paths_that_lead_out_of_the_output() {
    let site = Site::fixture("bilingual");
    std::fs::write(site.tmp.path().join("secret.txt"), "the secret").unwrap();
    let (_serve, address, _) = serve(&site);
    std::os::unix::fs::symlink(site.tmp.path().join("secret.txt"), site.dist().join("linked.txt")).unwrap();
    for path in [
        "/../../secret.txt",
        "/en/../../../secret.txt",
        "/%2e%2e/%2e%2e/secret.txt",
        "/en/..%2F..%2F..%2Fsecret.txt",
        "/..%5c..%5csecret.txt",
        "/linked.txt",
    ] {
        let response = get(&address, path);
        assert_eq!(response.status, 403, "{path}");
        assert!(!response.body.contains("the secret"), "{path}");
    }
}

#[test]
fn reloads_after_every_rebuild_and_shows_errors_until_fixed() {
    let site = Site::fixture("bilingual");
    let (mut serve, address, _) = serve(&site);
    let mut events = std::net::TcpStream::connect(&address).unwrap();
    events.set_read_timeout(Some(common::PATIENCE)).unwrap();
    write!(events, "GET /__diptych/events HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
    let mut events = BufReader::new(events);
    let mut next_event = || {
        let mut name = String::new();
        loop {
            let mut line = String::new();
            assert!(events.read_line(&mut line).unwrap() > 0, "the event stream ended");
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.trim().to_string();
            } else if let Some(data) = line.strip_prefix("data: ") {
                return (name.clone(), data.trim().to_string());
            }
        }
    };
    let (hello, first) = next_event();
    assert_eq!(hello, "hello");
    let page = get(&address, "/en/cards/lost/");
    assert!(page.body.contains(&format!("<script src=\"/__diptych/live.js\" data-generation=\"{first}\" defer>")));
    assert!(!page.body.contains("diptych-overlay"));
    assert!(!std::fs::read_to_string(site.dist().join("en/cards/lost/index.html")).unwrap().contains("__diptych"));

    let lost = site.path("content/cards/lost.md");
    save(&lost, "+++\ntitel = \"Lost card\"\n+++\n");
    serve.next_round();
    let (reload, second) = next_event();
    assert_eq!(reload, "reload");
    assert_ne!(second, first);
    let page = get(&address, "/zh/cards/huanzheng/").body;
    assert!(page.contains("<div id=\"diptych-overlay\""), "every page shows the errors: {page}");
    assert!(page.contains("<li><code>content/cards/lost.md:2:1</code> unknown key `titel`"), "{page}");
    assert!(page.contains("data-dismiss>Dismiss</button>"));
    assert!(page.contains("<h1>换证</h1>"), "the last good page stays beneath");

    save(&lost, "+++\ntitle = \"Lost card\"\n+++\nFixed.\n");
    serve.next_round();
    assert_eq!(next_event().0, "reload");
    let page = get(&address, "/en/cards/lost/").body;
    assert!(!page.contains("diptych-overlay") && page.contains("Fixed."), "{page}");
}

#[test]
fn answers_many_parallel_requests() {
    let site = Site::fixture("bilingual");
    let (_serve, address, _) = serve(&site);
    let clients: Vec<_> = (0..32)
        .map(|i| {
            let address = address.clone();
            std::thread::spawn(move || {
                (0..20).all(|j| {
                    let path = if (i + j) % 2 == 0 { "/en/cards/renewal/" } else { "/zh/missing/" };
                    let status = get(&address, path).status;
                    status == 200 || status == 404
                })
            })
        })
        .collect();
    assert!(clients.into_iter().all(|c| c.join().unwrap()));
    assert_eq!(get(&address, "/en/").status, 200, "still answering");
}

#[test]
fn ctrl_c_stops_the_server_and_keeps_the_output() {
    let site = Site::fixture("bilingual");
    let (mut serve, _, _) = serve(&site);
    let before = tree(&site.dist());
    assert_eq!(serve.interrupt(), 0, "{}", serve.seen.join("\n"));
    assert_eq!(tree(&site.dist()), before);
}
