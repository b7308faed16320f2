//! Feed discovery, end to end: the real binary's `feeds add` and `feeds
//! import` given web pages served over HTTP on 127.0.0.1.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::http::{Reply, Request, TestServer};
use serde_json::Value;

fn tricorder(config: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("tricorder");
    cmd.arg("--config").arg(config).env_remove("RUST_LOG");
    cmd.timeout(Duration::from_secs(120));
    cmd
}

fn config(dir: &Path) -> PathBuf {
    let path = dir.join("tricorder.toml");
    std::fs::write(&path, "data_dir = \"state\"\n[poll]\ntimeout = \"5s\"\n").unwrap();
    path
}

fn rss(title: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title><link>https://t.example/</link><item><guid>1</guid><title>One</title></item></channel></rss>"#
    )
}

fn atom(title: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title><id>urn:x</id><updated>2026-11-16T00:00:00Z</updated></feed>"#
    )
}

fn json_feed(title: &str) -> String {
    format!(
        r#"{{"version":"https://jsonfeed.org/version/1.1","title":"{title}","items":[{{"id":"1","content_text":"hi"}}]}}"#
    )
}

fn page(head: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>Trade Mag</title>{head}</head><body><h1>News</h1><a href=\"/feed\">our feed</a></body></html>"
    )
}

fn html(body: String) -> Reply {
    Reply::ok(body).with_header("Content-Type", "text/html; charset=utf-8")
}

fn feed_urls(cfg: &Path) -> Vec<String> {
    let out = tricorder(cfg)
        .args(["feeds", "list", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|f| f["url"].as_str().unwrap().to_owned())
        .collect()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_page_advertising_one_feed_adds_that_feed() {
    let server = TestServer::start(|req: &Request| match req.path_only() {
        "/news/" => html(page(
            r#"<link rel="stylesheet" href="/s.css"><link rel="alternate" type="application/rss+xml" title="Mag news" href="feed.xml">"#,
        )),
        "/news/feed.xml" => Reply::ok(rss("Mag news")),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let out = tricorder(&cfg)
        .args(["feeds", "add", &server.url("/news/")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let feed = server.url("/news/feed.xml");
    assert!(stdout(&out).contains(&feed), "{}", stdout(&out));
    assert!(stdout(&out).contains("web page"), "{}", stdout(&out));
    assert_eq!(feed_urls(&cfg), vec![feed]);
    // The advertised feed worked, so the common paths were never needed.
    assert_eq!(server.hits("/feed"), 0);
}

#[test]
fn a_page_advertising_several_lists_them_and_adds_none_unless_first() {
    let server = TestServer::start(|req: &Request| match req.path_only() {
        "/" => html(page(
            r#"<link rel="alternate" type="application/rss+xml" title="All posts" href="/rss.xml">
               <link rel="alternate" type="application/atom+xml" title="Podcasts" href="/podcast.atom">
               <link rel="alternate" type="application/feed+json" href="https://127.0.0.1:1/never.json">
               <link rel="alternate" type="application/feed+json" title="JSON" href="/feed.json">"#,
        )),
        "/rss.xml" => Reply::ok(rss("All posts")),
        "/podcast.atom" => Reply::ok(atom("Podcasts")),
        "/feed.json" => Reply::ok(json_feed("JSON")),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let out = tricorder(&cfg)
        .args(["feeds", "add", &server.url("/")])
        .output()
        .unwrap();
    assert!(!out.status.success(), "adding none is not a success");
    let listing = stdout(&out);
    for (title, kind, path) in [
        ("All posts", "RSS", "/rss.xml"),
        ("Podcasts", "Atom", "/podcast.atom"),
        ("JSON", "JSON Feed", "/feed.json"),
    ] {
        let line = listing
            .lines()
            .find(|l| l.contains(&server.url(path)))
            .unwrap_or_else(|| panic!("{path} not listed:\n{listing}"));
        assert!(line.contains(title) && line.contains(kind), "{line}");
    }
    // The link that does not answer is not offered.
    assert!(!listing.contains("never.json"), "{listing}");
    assert!(stderr(&out).contains("--first"), "{}", stderr(&out));
    assert!(feed_urls(&cfg).is_empty());

    let out = tricorder(&cfg)
        .args(["feeds", "add", "--first", &server.url("/")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(feed_urls(&cfg), vec![server.url("/rss.xml")]);
}

#[test]
fn a_page_without_links_falls_back_to_common_paths() {
    // The advertised link is broken; /rss is a page; /rss.xml is the feed.
    let server = TestServer::start(|req: &Request| match req.path_only() {
        "/blog" => html(page(
            r#"<link rel="alternate" type="application/rss+xml" href="/gone.xml">"#,
        )),
        "/rss" => html(page("")),
        "/rss.xml" => Reply::ok(rss("Blog")),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let out = tricorder(&cfg)
        .args(["feeds", "add", &server.url("/blog")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(feed_urls(&cfg), vec![server.url("/rss.xml")]);
    assert_eq!(server.hits("/feed"), 1, "common paths are tried in order");
    assert_eq!(server.hits("/atom.xml"), 0, "and not past the first feed");
}

#[test]
fn a_page_with_no_feed_says_what_was_tried() {
    let server = TestServer::start(|req: &Request| match req.path_only() {
        "/" => html(page("")),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let out = tricorder(&cfg)
        .args(["feeds", "add", &server.url("/")])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("no feed found"), "{err}");
    for path in [
        "/feed",
        "/rss",
        "/rss.xml",
        "/atom.xml",
        "/index.xml",
        "/feed.json",
    ] {
        assert!(
            err.lines()
                .any(|l| l.contains(&server.url(path)) && l.contains("404")),
            "{path} missing:\n{err}"
        );
    }
    assert!(feed_urls(&cfg).is_empty());
}

#[test]
fn a_feed_url_is_added_as_given() {
    let server = TestServer::start(|req: &Request| match req.path_only() {
        "/feed.json" => Reply::ok(json_feed("J")),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let out = tricorder(&cfg)
        .args(["feeds", "add", &server.url("/feed.json")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(feed_urls(&cfg), vec![server.url("/feed.json")]);
    assert_eq!(server.total_hits(), 1);
}

#[test]
fn import_finds_the_feed_of_an_entry_that_is_a_page() {
    let server = TestServer::start(|req: &Request| match req.path_only() {
        "/site/" => html(page(
            r#"<link rel="alternate" type="application/atom+xml" href="atom.xml">"#,
        )),
        "/site/atom.xml" => Reply::ok(atom("Site")),
        "/direct.xml" => Reply::ok(rss("Direct")),
        "/empty/" => html(page("")),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let opml = dir.path().join("feeds.opml");
    std::fs::write(
        &opml,
        format!(
            r#"<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
            <outline text="Site" type="rss" xmlUrl="{}"/>
            <outline text="Direct" type="rss" xmlUrl="{}"/>
            <outline text="Empty" type="rss" xmlUrl="{}"/>
            </body></opml>"#,
            server.url("/site/"),
            server.url("/direct.xml"),
            server.url("/empty/")
        ),
    )
    .unwrap();
    let out = tricorder(&cfg)
        .args(["feeds", "import"])
        .arg(&opml)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let mut urls = feed_urls(&cfg);
    urls.sort();
    let mut want = vec![server.url("/direct.xml"), server.url("/site/atom.xml")];
    want.sort();
    assert_eq!(urls, want);
    assert!(
        stderr(&out).contains(&server.url("/empty/")),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("2 added"), "{}", stdout(&out));
}
