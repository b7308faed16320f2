//! Ingest, end to end: the real `tricorder` binary polls feeds served by a
//! real HTTP server on 127.0.0.1 into a real SQLite file.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::http::{Reply, Request, TestServer};
use serde_json::Value;
use tricorder::store::Store;

// ---- helpers ------------------------------------------------------------------

fn tricorder(config: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("tricorder");
    cmd.arg("--config").arg(config).env_remove("RUST_LOG");
    cmd.timeout(Duration::from_secs(120));
    cmd
}

/// Writes a config polling `urls` into `dir/state`; `poll` is extra [poll] lines.
fn config(dir: &Path, urls: &[String], poll: &str) -> PathBuf {
    let mut s = String::from("data_dir = \"state\"\n");
    for u in urls {
        s.push_str(&format!("[[feeds]]\nurl = \"{u}\"\n"));
    }
    s.push_str("[poll]\n");
    s.push_str(poll);
    let path = dir.join("tricorder.toml");
    std::fs::write(&path, s).unwrap();
    path
}

fn poll_json(cfg: &Path, args: &[&str]) -> Value {
    let out = tricorder(cfg)
        .arg("poll")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "poll failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn status_json(cfg: &Path) -> Value {
    let out = tricorder(cfg).args(["status", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn feed_status<'a>(status: &'a Value, url: &str) -> &'a Value {
    status["feeds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["url"] == url)
        .unwrap_or_else(|| panic!("no feed {url} in {status:#}"))
}

fn rss(items: &[(&str, &str)]) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test feed</title><link>https://t.example/</link>"#,
    );
    for (guid, title) in items {
        s.push_str(&format!(
            "<item><guid>{guid}</guid><title>{title}</title><link>https://t.example/{guid}</link>\
             <pubDate>Mon, 16 Nov 2026 10:00:00 GMT</pubDate><description>&lt;p&gt;Body of {title}&lt;/p&gt;</description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

fn titles(data_dir: &Path) -> Vec<String> {
    let store = Store::open(data_dir).unwrap();
    let mut t: Vec<String> = store
        .feeds()
        .unwrap()
        .iter()
        .flat_map(|f| store.items_of_feed(f.id).unwrap())
        .map(|i| i.title)
        .collect();
    t.sort();
    t
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/feeds")
            .join(name),
    )
    .unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

// ---- conditional GET ---------------------------------------------------------------

#[test]
fn conditional_get_round_trip_keeps_validators_byte_exact() {
    const ETAG: &str = "W/\"v1; weird=\\\"quoted\\\"\"";
    const LM: &str = "Mon, 16 Nov 2026 10:00:00 GMT";
    let server = TestServer::start(|req: &Request| {
        if req.header("If-None-Match") == Some(ETAG) {
            return Reply::status(304);
        }
        Reply::ok(rss(&[("a", "Alpha"), ("b", "Beta")]))
            .with_header("ETag", ETAG)
            .with_header("Last-Modified", LM)
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &[server.url("/feed.xml")], "");

    let first = poll_json(&cfg, &["--all"]);
    assert_eq!(first["fetched"], 1);
    assert_eq!(first["new_items"], 2);

    let second = poll_json(&cfg, &["--all"]);
    assert_eq!(second["not_modified"], 1, "{second:#}");
    assert_eq!(second["new_items"], 0);

    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].header("If-None-Match"), None);
    assert_eq!(reqs[1].header("If-None-Match"), Some(ETAG));
    assert_eq!(reqs[1].header("If-Modified-Since"), Some(LM));
    assert!(
        reqs[0]
            .header("User-Agent")
            .unwrap()
            .starts_with("tricorder/")
    );
    assert_eq!(titles(&dir.path().join("state")), vec!["Alpha", "Beta"]);
}

#[test]
fn due_feeds_only_unless_all() {
    let server = TestServer::start(|_: &Request| Reply::ok(rss(&[("a", "Alpha")])));
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &[server.url("/f.xml")], "");
    assert_eq!(poll_json(&cfg, &[])["fetched"], 1);
    // Just polled: not due again for a while.
    assert_eq!(poll_json(&cfg, &[])["feeds"], 0);
    assert_eq!(server.hits("/f.xml"), 1);
    let status = status_json(&cfg);
    let f = feed_status(&status, &server.url("/f.xml"));
    assert_eq!(f["items"], 1);
    assert!(f["last_error"].is_null());
    assert!(f["next_poll"].as_str().unwrap() > f["last_success"].as_str().unwrap());
}

// ---- redirects ---------------------------------------------------------------------

#[test]
fn permanent_redirect_updates_the_url_temporary_does_not() {
    let server = TestServer::start(|req: &Request| match req.path_only() {
        "/old301" => Reply::redirect(301, "/mid308"),
        "/mid308" => Reply::redirect(308, "/new"),
        "/old302" => Reply::redirect(302, "/new"),
        "/mixed" => Reply::redirect(301, "/old302"),
        "/new" => Reply::ok(rss(&[("a", "Alpha")])),
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let urls = vec![
        server.url("/old301"),
        server.url("/old302"),
        server.url("/mixed"),
    ];
    let cfg = config(dir.path(), &urls, "");
    let s = poll_json(&cfg, &["--all"]);
    assert_eq!(s["fetched"], 3, "{s:#}");

    let feeds: Value = serde_json::from_slice(
        &tricorder(&cfg)
            .args(["feeds", "list", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let fetch_url = |u: &str| {
        feeds
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["url"] == u)
            .unwrap()["fetch_url"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(fetch_url(&urls[0]), server.url("/new"));
    assert_eq!(fetch_url(&urls[1]), urls[1]);
    // A chain with one temporary hop is not a move.
    assert_eq!(fetch_url(&urls[2]), urls[2]);

    // The next poll goes straight to the new address.
    poll_json(&cfg, &["--all"]);
    assert_eq!(server.hits("/old301"), 1);
    // Both the 302 feed and the mixed chain go through /old302, every time.
    assert_eq!(server.hits("/old302"), 4);
}

#[test]
fn redirect_loops_and_chains_fail_clearly() {
    let server = TestServer::start(|req: &Request| match req.path_only() {
        "/a" => Reply::redirect(302, "/b"),
        "/b" => Reply::redirect(302, "/a"),
        p if p.starts_with("/hop") => {
            let n: u32 = p[4..].parse().unwrap();
            Reply::redirect(302, &format!("/hop{}", n + 1))
        }
        _ => Reply::status(404),
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &[server.url("/a"), server.url("/hop0")], "");
    let s = poll_json(&cfg, &["--all"]);
    assert_eq!(s["failed"], 2);
    let status = status_json(&cfg);
    let a = feed_status(&status, &server.url("/a"))["last_error"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(a.contains("redirect loop"), "{a}");
    let hops = feed_status(&status, &server.url("/hop0"))["last_error"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(hops.contains("too many redirects"), "{hops}");
    assert!(server.hits("/hop5") <= 1 && server.hits("/hop6") == 0);
}

// ---- errors, back-off, recovery ---------------------------------------------------------

#[test]
fn failing_feeds_back_off_and_recover() {
    let mode = Arc::new(AtomicUsize::new(404));
    let m = mode.clone();
    let server =
        TestServer::start(
            move |req: &Request| match (req.path_only(), m.load(Ordering::SeqCst)) {
                ("/good", _) => Reply::ok(rss(&[("g", "Good")])),
                (_, 200) => Reply::ok(rss(&[("x", "Back again")])),
                (_, code) => Reply::status(code as u16),
            },
        );
    let dir = tempfile::tempdir().unwrap();
    let flaky = server.url("/flaky");
    let cfg = config(
        dir.path(),
        &[flaky.clone(), server.url("/good")],
        "min_interval = \"10m\"\n",
    );

    let s = poll_json(&cfg, &["--all"]);
    assert_eq!(
        (s["failed"].as_u64(), s["fetched"].as_u64()),
        (Some(1), Some(1))
    );
    let st = status_json(&cfg);
    let f = feed_status(&st, &flaky);
    assert!(f["last_error"].as_str().unwrap().contains("404"), "{f:#}");
    assert_eq!(f["error_count"], 1);
    // Backed off: not due on a plain `poll`.
    assert_eq!(poll_json(&cfg, &[])["feeds"], 0);

    mode.store(500, Ordering::SeqCst);
    poll_json(&cfg, &["--all"]);
    let st = status_json(&cfg);
    let f = feed_status(&st, &flaky);
    assert_eq!(f["error_count"], 2);
    assert!(f["last_error"].as_str().unwrap().contains("500"));

    mode.store(200, Ordering::SeqCst);
    let s = poll_json(&cfg, &["--all"]);
    assert_eq!(s["failed"], 0, "{s:#}");
    let st = status_json(&cfg);
    let f = feed_status(&st, &flaky);
    assert!(f["last_error"].is_null());
    assert_eq!(f["error_count"], 0);
    assert_eq!(f["items"], 1);
}

#[test]
fn retry_after_is_honoured_for_the_host() {
    let server = TestServer::start(|req: &Request| match req.path_only() {
        "/busy" => Reply::status(429).with_header("Retry-After", "3600"),
        _ => Reply::ok(rss(&[("a", "Alpha")])),
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &[server.url("/busy")], "");
    let s = poll_json(&cfg, &["--all"]);
    assert_eq!(s["failed"], 1);
    let err = s["reports"][0]["outcome"]["reason"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(err.contains("429") && err.contains("1h"), "{err}");

    // A second feed on the same host, added later, waits too: so does the first.
    let cfg = config(dir.path(), &[server.url("/busy"), server.url("/other")], "");
    let s = poll_json(&cfg, &["--all"]);
    assert_eq!(s["deferred"], 2, "{s:#}");
    assert_eq!(server.hits("/busy"), 1);
    assert_eq!(server.hits("/other"), 0);
    let st = status_json(&cfg);
    let next = feed_status(&st, &server.url("/busy"))["next_poll"]
        .as_str()
        .unwrap()
        .to_owned();
    let in_50_min = (chrono::Utc::now() + chrono::Duration::minutes(50)).to_rfc3339();
    assert!(
        next > in_50_min,
        "next poll {next} should be about an hour away"
    );
}

// ---- hostile servers ---------------------------------------------------------------

#[test]
fn trickling_and_hanging_servers_time_out() {
    let server = TestServer::start(|req: &Request| match req.path_only() {
        "/trickle" => Reply::Trickle {
            headers: vec![],
            chunk: b"<".to_vec(),
            every: Duration::from_millis(200),
        },
        "/hang" => Reply::Hang,
        _ => Reply::ok(rss(&[("a", "Fine")])),
    });
    let dir = tempfile::tempdir().unwrap();
    let urls = vec![
        server.url("/trickle"),
        server.url("/hang"),
        server.url("/fine"),
    ];
    let cfg = config(dir.path(), &urls, "timeout = \"2s\"\n");
    let s = poll_json(&cfg, &["--all"]);
    assert_eq!(s["failed"], 2, "{s:#}");
    assert_eq!(s["fetched"], 1);
    let st = status_json(&cfg);
    for u in &urls[..2] {
        let e = feed_status(&st, u)["last_error"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(e.contains("timed out after 2s"), "{u}: {e}");
    }
}

/// Runs `tricorder --config cfg ARGS` and returns its stdout and its own
/// peak RSS in MiB (wait4 reports the rusage of exactly this child).
// The child is reaped by wait4 (for its rusage), not by Child::wait.
#[allow(clippy::zombie_processes)]
fn run_measured(cfg: &Path, args: &[&str]) -> (Vec<u8>, u64) {
    use std::io::Read;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tricorder"))
        .arg("--config")
        .arg(cfg)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut out = Vec::new();
    child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
    let mut status = 0;
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    assert_eq!(r, pid);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "tricorder failed"
    );
    (out, ru.ru_maxrss as u64 / 1024)
}

#[test]
fn oversized_bodies_and_gzip_bombs_are_cut_off() {
    use std::io::Write;
    // 256 MiB of zeros compresses to about 256 KiB.
    let bomb = {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..256 {
            gz.write_all(&zeros).unwrap();
        }
        gz.finish().unwrap()
    };
    let server = TestServer::start(move |req: &Request| match req.path_only() {
        "/huge" => Reply::Huge {
            headers: vec![],
            fill: b"<rss>".to_vec(),
            len: 2 << 30,
        },
        "/endless" => Reply::Trickle {
            headers: vec![],
            chunk: vec![b'x'; 64 * 1024],
            every: Duration::from_millis(1),
        },
        "/bomb" => Reply::ok(bomb.clone()).with_header("Content-Encoding", "gzip"),
        _ => Reply::ok(rss(&[("a", "Fine")])),
    });
    let dir = tempfile::tempdir().unwrap();
    let urls = vec![
        server.url("/huge"),
        server.url("/endless"),
        server.url("/bomb"),
        server.url("/fine"),
    ];
    let cfg = config(
        dir.path(),
        &urls,
        "max_body = \"2MiB\"\ntimeout = \"60s\"\n",
    );
    let (out, peak) = run_measured(&cfg, &["poll", "--all", "--json"]);
    let s: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(s["failed"], 3, "{s:#}");
    assert_eq!(s["fetched"], 1);
    let st = status_json(&cfg);
    for u in &urls[..3] {
        let e = feed_status(&st, u)["last_error"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(e.contains("larger than the 2.0 MiB limit"), "{u}: {e}");
    }
    assert!(peak < 150, "tricorder used {peak} MiB: a body was buffered");
}

// ---- parsing the awkward feeds -----------------------------------------------------------

#[test]
fn encodings_are_decoded_right() {
    let server = TestServer::start(|req: &Request| {
        let name = req.path_only().trim_start_matches('/');
        let reply = Reply::ok(fixture(name));
        match name {
            // HTTP says UTF-8 but the prolog (and the bytes) say windows-1252:
            // the document wins.
            "windows1252.xml" => {
                reply.with_header("Content-Type", "application/rss+xml; charset=utf-8")
            }
            "utf8_mislabelled.xml" => {
                reply.with_header("Content-Type", "text/xml; charset=ISO-8859-1")
            }
            _ => reply.with_header("Content-Type", "application/xml"),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "windows1252.xml",
        "utf8_mislabelled.xml",
        "latin1_nodecl.xml",
        "utf16_bom.xml",
    ];
    let urls: Vec<String> = names.iter().map(|n| server.url(&format!("/{n}"))).collect();
    let cfg = config(dir.path(), &urls, "");
    let s = poll_json(&cfg, &["--all"]);
    assert_eq!(s["failed"], 0, "{s:#}");
    let all = titles(&dir.path().join("state")).join("\n");
    for expected in [
        "Café marketing in Zürich: ¿qué pasa?",
        "Brand naïveté — the “smart” way",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
    }
    assert!(
        all.contains('€') && all.contains('“') && all.contains('–'),
        "{all}"
    );
    assert!(
        !all.contains('\u{fffd}') && !all.contains("Ã"),
        "mojibake in:\n{all}"
    );
}

#[test]
fn feed_rs_gaps_are_repaired_and_broken_feeds_fail_alone() {
    let names = [
        "atom03.xml",
        "rss090.xml",
        "rss094.xml",
        "rss_noversion.xml",
        "bare_ampersand.xml",
        "html_entities.xml",
        "relative_links.xml",
        "no_guid.xml",
        "json_feed.json",
        "rss2_full.xml",
        "malformed.xml",
    ];
    let server = TestServer::start(|req: &Request| {
        Reply::ok(fixture(req.path_only().trim_start_matches('/')))
    });
    let dir = tempfile::tempdir().unwrap();
    let urls: Vec<String> = names.iter().map(|n| server.url(&format!("/{n}"))).collect();
    let cfg = config(dir.path(), &urls, "");
    let s = poll_json(&cfg, &["--all"]);
    assert_eq!(s["failed"], 1, "{s:#}");
    let st = status_json(&cfg);
    for (name, url) in names.iter().zip(&urls) {
        let f = feed_status(&st, url);
        if *name == "malformed.xml" {
            let e = f["last_error"].as_str().unwrap();
            assert!(e.contains("malformed feed"), "{e}");
            assert_eq!(f["items"], 0);
        } else {
            assert!(f["last_error"].is_null(), "{name}: {f:#}");
            assert!(
                f["items"].as_i64().unwrap() >= 2,
                "{name} stored too few items: {f:#}"
            );
        }
    }

    let store = Store::open(&dir.path().join("state")).unwrap();
    let items: Vec<_> = store
        .feeds()
        .unwrap()
        .iter()
        .flat_map(|f| store.items_of_feed(f.id).unwrap())
        .collect();
    for i in &items {
        assert!(
            !i.title.contains("&nbsp;") && !i.title.contains("&amp;"),
            "undecoded: {:?}",
            i.title
        );
        assert!(
            !i.body.contains("alert(1)") && !i.body.contains("<p>"),
            "markup left: {:?}",
            i.body
        );
        if let Some(u) = &i.url {
            assert!(u.starts_with("http"), "relative link left: {u}");
        }
    }
    let titles: Vec<&str> = items.iter().map(|i| i.title.as_str()).collect();
    assert!(
        titles.iter().any(|t| t.contains("Sales & Marketing")),
        "{titles:?}"
    );
    let urls: Vec<&str> = items.iter().filter_map(|i| i.url.as_deref()).collect();
    assert!(
        urls.contains(&"https://news.example/blog/posts/one.html"),
        "{urls:?}"
    );
}

// ---- items across polls ----------------------------------------------------------------

#[test]
fn items_are_deduplicated_and_updated_in_place() {
    let version = Arc::new(AtomicUsize::new(1));
    let v = version.clone();
    let server = TestServer::start(move |_: &Request| match v.load(Ordering::SeqCst) {
        1 => Reply::ok(rss(&[("a", "Alpha"), ("b", "Beta")])),
        _ => Reply::ok(rss(&[
            ("a", "Alpha"),
            ("b", "Beta, corrected"),
            ("c", "Gamma"),
        ])),
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &[server.url("/f")], "");
    let s = poll_json(&cfg, &["--all"]);
    assert_eq!(s["new_items"], 2);
    let s = poll_json(&cfg, &["--all"]);
    assert_eq!(
        (s["new_items"].as_u64(), s["updated_items"].as_u64()),
        (Some(0), Some(0))
    );
    let ids_before: Vec<i64> = {
        let store = Store::open(&dir.path().join("state")).unwrap();
        let mut ids: Vec<i64> = store
            .items_of_feed(1)
            .unwrap()
            .iter()
            .map(|i| i.id)
            .collect();
        ids.sort();
        ids
    };
    version.store(2, Ordering::SeqCst);
    let s = poll_json(&cfg, &["--all"]);
    assert_eq!(
        (s["new_items"].as_u64(), s["updated_items"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        titles(&dir.path().join("state")),
        vec!["Alpha", "Beta, corrected", "Gamma"]
    );
    let store = Store::open(&dir.path().join("state")).unwrap();
    let mut ids: Vec<i64> = store
        .items_of_feed(1)
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    ids.sort();
    // Updated in place (same ids), the new one gets a higher id.
    assert_eq!(&ids[..2], &ids_before[..]);
    assert!(ids[2] > ids_before[1]);
}

// ---- feeds CLI and OPML ---------------------------------------------------------------

#[test]
fn opml_export_import_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &[], "");
    let add = |args: &[&str]| {
        tricorder(&cfg)
            .args(["feeds", "add"])
            .args(args)
            .assert()
            .success();
    };
    add(&[
        "https://a.example/feed.xml",
        "--name",
        "A & Co \"news\"",
        "--tag",
        "seo",
        "--tag",
        "news",
    ]);
    add(&["https://b.example/rss?x=1&y=2"]);
    add(&[
        "https://c.example/atom",
        "--name",
        "Ç'est ça",
        "--tag",
        "social",
    ]);
    let opml_path = dir.path().join("out.opml");
    tricorder(&cfg)
        .args(["feeds", "export", "--output"])
        .arg(&opml_path)
        .assert()
        .success();

    let other = tempfile::tempdir().unwrap();
    let cfg2 = config(other.path(), &[], "");
    let out = tricorder(&cfg2)
        .args(["feeds", "import"])
        .arg(&opml_path)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("3 added"));

    let list = |c: &Path| -> Value {
        serde_json::from_slice(
            &tricorder(c)
                .args(["feeds", "list", "--json"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap()
    };
    let strip = |v: Value| -> Vec<(Value, Value, Value)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|f| (f["url"].clone(), f["name"].clone(), f["tags"].clone()))
            .collect()
    };
    assert_eq!(strip(list(&cfg)), strip(list(&cfg2)));

    // Remove works and says what it removed.
    tricorder(&cfg2)
        .args(["feeds", "remove", "https://c.example/atom"])
        .assert()
        .success();
    assert_eq!(list(&cfg2).as_array().unwrap().len(), 2);
    tricorder(&cfg2)
        .args(["feeds", "remove", "https://nope.example/"])
        .assert()
        .failure();
}

#[test]
fn config_errors_name_file_line_and_key_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "data_dir = \"state\"\n[poll]\ninterval = \"1h\"\nconcurrenccy = 4\n",
            4,
            "concurrenccy",
        ),
        (
            "data_dir = \"state\"\n[poll]\ntimeout = \"30 parsecs\"\n",
            3,
            "timeout",
        ),
        (
            "data_dir = \"state\"\n[[feeds]]\nname = \"x\"\nurl = \"htp:/nowhere\"\n",
            4,
            "feeds[0].url",
        ),
        (
            "data_dir = \"state\"\n[poll]\nmax_body = \"big\"\n",
            3,
            "max_body",
        ),
    ];
    for (text, line, key) in cases {
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, text).unwrap();
        let out = tricorder(&path).args(["poll", "--all"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{text}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("bad.toml"), "{err}");
        assert!(err.contains(&format!("line {line}")), "{err}");
        assert!(err.contains(key), "{err}");
        assert!(!dir.path().join("state").exists(), "something was written");
    }
}

#[test]
fn file_urls_and_relative_paths_are_read_from_disk() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("local.xml"), rss(&[("l", "Local news")])).unwrap();
    let abs = url::Url::from_file_path(dir.path().join("local.xml"))
        .unwrap()
        .to_string();
    std::fs::write(dir.path().join("other.xml"), rss(&[("o", "Other news")])).unwrap();
    let cfg = config(dir.path(), &[abs, "other.xml".into()], "");
    let s = poll_json(&cfg, &["--all"]);
    assert_eq!(s["fetched"], 2, "{s:#}");
    // Unchanged files are not parsed again.
    let s = poll_json(&cfg, &["--all"]);
    assert_eq!(s["not_modified"], 2, "{s:#}");
    assert_eq!(
        titles(&dir.path().join("state")),
        vec!["Local news", "Other news"]
    );
}

#[test]
fn demo_runs_on_a_fresh_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("tricorder");
    cmd.current_dir(root)
        .arg("demo")
        .timeout(Duration::from_secs(300));
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 failed"), "{stdout}");
    let store = Store::open(&root.join("data/state/demo")).unwrap();
    let feeds = store.feeds().unwrap();
    assert!(feeds.len() >= 12);
    assert!(store.item_count().unwrap() > 300);
    assert_eq!(feeds.iter().filter(|f| f.last_error.is_some()).count(), 1);
}
