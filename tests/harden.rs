//! Hardening, black-box: the real binary against hostile feeds, careless
//! configs and damaged data folders (issue 14). Feeds come from a real HTTP
//! server on 127.0.0.1 or from real local files, FIFOs and devices.

mod common;

use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use common::http::{Reply, TestServer};
use serde_json::Value;

/// A secret that a local file holds; it must never appear in any output.
const SECRET: &str = "smtp_password=hunter2-Zq8";

fn tricorder(config: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("tricorder");
    cmd.arg("--config").arg(config).env_remove("RUST_LOG");
    // A FIFO or /dev/zero read without limits would hang or grow forever:
    // the timeout turns that into a failure.
    cmd.timeout(Duration::from_secs(120));
    cmd
}

fn run(cfg: &Path, args: &[&str]) -> Output {
    tricorder(cfg).args(args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn ok(cfg: &Path, args: &[&str]) -> String {
    let o = run(cfg, args);
    assert!(o.status.success(), "{args:?} failed: {}", text(&o));
    text(&o)
}

fn write_config(dir: &Path, body: &str) -> PathBuf {
    let path = dir.join("tricorder.toml");
    std::fs::write(&path, format!("data_dir = \"state\"\n{body}")).unwrap();
    path
}

fn feeds_block(urls: &[String]) -> String {
    urls.iter()
        .map(|u| format!("[[feeds]]\nurl = \"{u}\"\n"))
        .collect()
}

fn rss(items: &[(&str, &str)]) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test feed</title><link>https://t.example/</link>"#,
    );
    for (guid, title) in items {
        s.push_str(&format!(
            "<item><guid>{guid}</guid><title>{title}</title><link>https://t.example/{guid}</link>\
             <pubDate>Mon, 16 Nov 2026 10:00:00 GMT</pubDate><description>Body of {title}</description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

fn status_json(cfg: &Path) -> Value {
    serde_json::from_str(&String::from_utf8(run(cfg, &["status", "--json"]).stdout).unwrap())
        .unwrap()
}

// ---- 1. local files -------------------------------------------------------------

#[test]
fn feeds_add_and_import_refuse_local_files_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), "");
    let secret = dir.path().join("passwords.txt");
    std::fs::write(&secret, format!("{SECRET}\n")).unwrap();
    let secret_url = url::Url::from_file_path(&secret).unwrap().to_string();

    for target in [secret.to_str().unwrap(), &secret_url] {
        let o = run(&cfg, &["feeds", "add", target]);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(text(&o).contains("--allow-local"), "{}", text(&o));
    }
    let listed = ok(&cfg, &["feeds", "list", "--json"]);
    assert!(!listed.contains("passwords"), "{listed}");

    // An OPML file from someone else: its local entries are skipped, the rest added.
    let opml = dir.path().join("shared.opml");
    std::fs::write(
        &opml,
        format!(
            r#"<?xml version="1.0"?><opml version="2.0"><head/><body>
            <outline text="Real" xmlUrl="https://news.example/feed"/>
            <outline text="Env" xmlUrl="file:///proc/self/environ"/>
            <outline text="Pw" xmlUrl="{secret_url}"/>
            <outline text="Path" xmlUrl="passwords.txt"/></body></opml>"#
        ),
    )
    .unwrap();
    let out = ok(&cfg, &["feeds", "import", opml.to_str().unwrap()]);
    assert!(out.contains("1 added"), "{out}");
    assert!(out.contains("3 skipped"), "{out}");
    let listed = ok(&cfg, &["feeds", "list", "--json"]);
    assert!(listed.contains("news.example"), "{listed}");
    assert!(
        !listed.contains("passwords") && !listed.contains("environ"),
        "{listed}"
    );

    // Asked for, a local feed is accepted.
    ok(&cfg, &["feeds", "add", "--allow-local", &secret_url]);
    assert!(ok(&cfg, &["feeds", "list", "--json"]).contains("passwords"));

    // Importing something that is not OPML says what it is, not what it holds.
    let o = run(&cfg, &["feeds", "import", secret.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(text(&o).contains("text that is not XML"), "{}", text(&o));
    assert!(!text(&o).contains("hunter2"), "{}", text(&o));
}

#[test]
fn only_regular_files_are_read_bounded_and_never_quoted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("secret.txt"), format!("root:x:0:0\n{SECRET}\n")).unwrap();
    std::fs::write(d.join("empty.xml"), "").unwrap();
    std::fs::write(
        d.join("image.png"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-hunter2",
    )
    .unwrap();
    std::fs::write(
        d.join("page.html"),
        format!(
            "<!DOCTYPE html><html><head><title>Login</title></head><body>{SECRET}</body></html>"
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("tags.xml"),
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><hunter2>x</other></channel></rss>",
    )
    .unwrap();
    std::fs::write(d.join("big.xml"), rss(&[("b", &"x".repeat(300_000))])).unwrap();
    std::fs::write(d.join("good.xml"), rss(&[("g", "Good news")])).unwrap();
    let fifo = d.join("pipe.xml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let urls: Vec<String> = [
        "secret.txt",
        "empty.xml",
        "image.png",
        "page.html",
        "tags.xml",
        "big.xml",
        "good.xml",
        "pipe.xml",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(
        [
            "file:///dev/zero",
            "file:///proc/self/environ",
            "file:///dev/stdin",
        ]
        .iter()
        .map(|s| s.to_string()),
    )
    .collect();
    let cfg = write_config(
        d,
        &format!(
            "{}[poll]\nmax_body = \"200KiB\"\ntimeout = \"5s\"\n",
            feeds_block(&urls)
        ),
    );
    let poll = ok(&cfg, &["poll", "--all", "--json"]);
    let summary: Value = serde_json::from_str(&poll).unwrap();
    assert_eq!(summary["fetched"], 1, "{summary:#}");
    assert_eq!(summary["failed"], 10, "{summary:#}");

    let status = status_json(&cfg);
    let error_of = |name: &str| -> String {
        status["feeds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["url"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("no {name} in {status:#}"))["last_error"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert!(error_of("secret.txt").contains("text that is not XML"));
    assert!(error_of("empty.xml").contains("empty"));
    assert!(error_of("image.png").contains("a PNG image"));
    assert!(error_of("page.html").contains("an HTML page titled \"Login\""));
    assert!(error_of("tags.xml").contains("not well-formed"));
    assert!(error_of("big.xml").contains("max_body"));
    assert!(error_of("pipe.xml").contains("FIFO"));
    assert!(error_of("/dev/zero").contains("/dev"));
    assert!(error_of("/proc/self/environ").contains("/proc"));
    assert!(!error_of("/dev/stdin").is_empty());

    let mut everything = poll;
    for args in [
        &["feeds", "list"][..],
        &["feeds", "list", "--json"],
        &["status"],
        &["status", "--json"],
        &["digest", "--preview"],
        &["digest", "--preview", "--format", "html"],
    ] {
        everything.push_str(&ok(&cfg, args));
    }
    assert!(!everything.contains("hunter2"), "{everything}");
    assert!(!everything.contains("root:x"), "{everything}");
}

// ---- 2. panics, limits and exit codes -------------------------------------------------

/// Runs tricorder with stdout a pipe whose reading end is already closed.
fn with_closed_stdout(cfg: &Path, args: &[&str]) -> Output {
    let mut fds = [0; 2];
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: fresh descriptors from pipe(2), each owned once.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(read);
    std::process::Command::new(env!("CARGO_BIN_EXE_tricorder"))
        .arg("--config")
        .arg(cfg)
        .args(args)
        .env_remove("RUST_LOG")
        .stdout(std::process::Stdio::from(write))
        .output()
        .unwrap()
}

#[test]
fn a_closed_pipe_ends_quietly_with_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let items: Vec<(String, String)> = (0..40)
        .map(|i| (format!("g{i}"), format!("Brand story number {i}")))
        .collect();
    let refs: Vec<(&str, &str)> = items
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    std::fs::write(dir.path().join("f.xml"), rss(&refs)).unwrap();
    let cfg = write_config(dir.path(), &feeds_block(&["f.xml".into()]));
    ok(&cfg, &["poll", "--all"]);
    for args in [
        &["status", "--json"][..],
        &["status"],
        &["feeds", "list"],
        &["search", "brand", "--limit", "40"],
        &["search", "brand", "--json"],
        &["digest", "--preview"],
    ] {
        let o = with_closed_stdout(&cfg, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o));
        assert!(o.stderr.is_empty(), "{args:?}: {}", text(&o));
    }
}

#[test]
fn values_out_of_bounds_are_usage_errors_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), "");
    for args in [
        &["trends", "--window", "99999999d"][..],
        &["trends", "--baseline", "99999999d"],
        &["questions", "--since", "99999999d"],
        &["search", "x", "--limit", "99999999999999999"],
        &["trends", "--limit", "0"],
    ] {
        let o = run(&cfg, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(!text(&o).contains("panicked"), "{}", text(&o));
    }
    for (body, line, key) in [
        ("[analysis]\nwindow = \"99999999d\"\n", 3, "window"),
        (
            "[analysis]\nquestions_since = \"99999999d\"\n",
            3,
            "questions_since",
        ),
        ("[poll]\nconcurrency = 99999999999\n", 3, "concurrency"),
        ("[poll]\nper_host = 100000\n", 3, "per_host"),
        ("[poll]\nmin_interval = \"0s\"\n", 3, "min_interval"),
        ("[poll]\ntimeout = \"400d\"\n", 3, "timeout"),
        ("[poll]\nmax_body = \"900PiB\"\n", 3, "max_body"),
        ("[digest]\nretry = \"0s\"\n", 3, "retry"),
    ] {
        let cfg = write_config(dir.path(), body);
        let o = run(&cfg, &["status"]);
        assert_eq!(o.status.code(), Some(2), "{body}: {}", text(&o));
        let err = text(&o);
        assert!(err.contains(&format!("line {line}")), "{body}: {err}");
        assert!(err.contains(key), "{body}: {err}");
        // Refused before anything was written.
        assert!(!dir.path().join("state/tricorder.db").exists(), "{body}");
    }
}

// ---- 3. terminal escapes ------------------------------------------------------------

#[test]
fn control_characters_from_feeds_never_reach_the_terminal() {
    // Window title, clipboard write (OSC 52), screen clear, an 8-bit CSI
    // and a right-to-left override, in a JSON Feed (where they are legal).
    let evil =
        "Brand \u{1b}]0;pwned\u{7}news\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\u{9b}31m \u{202e}gnp.exe";
    let feed = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": format!("Feed {evil}"),
        "items": [{
            "id": "1",
            "url": "https://e.example/1",
            "title": format!("Title {evil}"),
            "content_text": format!("Brand body {evil} more brand text"),
            "authors": [{"name": evil}],
            "tags": [evil],
            "date_published": "2026-11-16T10:00:00Z",
        }],
    });
    let server = TestServer::start(move |_| Reply::ok(feed.to_string()));
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), &feeds_block(&[server.url("/feed.json")]));
    let mut all = ok(&cfg, &["poll", "--all"]);
    ok(
        &cfg,
        &["feeds", "add", "https://other.example/feed", "--name", evil],
    );
    for args in [
        &["feeds", "list"][..],
        &["feeds", "list", "--json"],
        &["status"],
        &["status", "--json"],
        &["search", "brand"],
        &["search", "brand", "--json"],
        &["digest", "--preview"],
    ] {
        all.push_str(&ok(&cfg, args));
    }
    assert!(all.contains("pwned"), "the title's text is kept: {all}");
    for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(!all.contains(bad), "{bad:?} reached the output: {all:?}");
    }
}

// ---- 5. an index that knows its database -------------------------------------------

fn search_titles(cfg: &Path, query: &str) -> Vec<String> {
    let out = ok(cfg, &["search", query, "--json", "--limit", "50"]);
    let v: Value = serde_json::from_str(
        out.lines()
            .skip_while(|l| !l.starts_with('['))
            .collect::<Vec<_>>()
            .join("\n")
            .as_str(),
    )
    .unwrap();
    let mut t: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_owned())
        .collect();
    t.sort();
    t
}

#[test]
fn an_index_kept_without_its_database_is_rebuilt_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("a.xml"),
        rss(&[("a1", "Alpha brand one"), ("a2", "Alpha brand two")]),
    )
    .unwrap();
    std::fs::write(d.join("b.xml"), rss(&[("b1", "Beta brand one")])).unwrap();
    let cfg_a = write_config(d, &feeds_block(&["a.xml".into()]));
    ok(&cfg_a, &["poll", "--all"]);
    assert_eq!(search_titles(&cfg_a, "brand").len(), 2);

    // The database goes; the index stays; another feed fills a new database.
    for f in ["tricorder.db", "tricorder.db-wal", "tricorder.db-shm"] {
        let _ = std::fs::remove_file(d.join("state").join(f));
    }
    let cfg_b = write_config(d, &feeds_block(&["b.xml".into()]));
    // A reader before any writer: says what is wrong and what to run.
    let o = run(&cfg_b, &["search", "brand"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("another database"), "{}", text(&o));
    assert!(text(&o).contains("tricorder reindex"), "{}", text(&o));
    assert!(ok(&cfg_b, &["status"]).contains("UNUSABLE"));

    let polled = tricorder(&cfg_b)
        .args(["-v", "poll", "--all"])
        .output()
        .unwrap();
    assert!(polled.status.success(), "{}", text(&polled));
    assert!(
        text(&polled).contains("rebuilding it from the database"),
        "the writer logs why: {}",
        text(&polled)
    );
    assert_eq!(search_titles(&cfg_b, "brand"), vec!["Beta brand one"]);
    let health = &status_json(&cfg_b)["index"];
    assert_eq!(health["state"], "usable", "{health:#}");
    assert_eq!(health["documents"], 1);
    assert_eq!(health["items"], 1);
    assert_eq!(health["lag"], 0);
}

#[test]
fn a_damaged_index_is_reported_to_readers_and_rebuilt_by_the_next_writer() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.xml"), rss(&[("a1", "Alpha brand one")])).unwrap();
    let cfg = write_config(d, &feeds_block(&["a.xml".into()]));
    ok(&cfg, &["poll", "--all"]);
    let index = d.join("state/index");

    let lose_a_segment = || {
        let seg = std::fs::read_dir(&index)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "idx"))
            .expect("a segment file");
        std::fs::remove_file(seg).unwrap();
    };
    let break_meta = || std::fs::write(index.join("meta.json"), "{ not json").unwrap();
    for damage in [&lose_a_segment as &dyn Fn(), &break_meta] {
        damage();
        for args in [
            &["search", "brand"][..],
            &["trends"],
            &["digest", "--preview"],
        ] {
            let o = run(&cfg, args);
            assert_eq!(o.status.code(), Some(1), "{args:?}: {}", text(&o));
            let err = text(&o);
            assert!(err.contains("tricorder reindex"), "{args:?}: {err}");
            assert!(!err.contains("FileDoesNotExist"), "{args:?}: {err}");
        }
        let status = ok(&cfg, &["status"]);
        assert!(status.contains("UNUSABLE"), "{status}");
        // Ingest never stops because of the derived index.
        ok(&cfg, &["poll", "--all"]);
        assert_eq!(search_titles(&cfg, "brand"), vec!["Alpha brand one"]);
        assert!(ok(&cfg, &["status"]).contains("1 documents for 1 items, up to date"));
    }
}

// ---- 6. clear errors ------------------------------------------------------------------

#[test]
fn a_broken_data_folder_names_the_file_and_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("not-a-folder"), "x").unwrap();
    let path = d.join("t.toml");
    std::fs::write(&path, "log_level = \"info\"\ndata_dir = \"not-a-folder\"\n").unwrap();
    let o = run(&path, &["status"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("line 2"), "{}", text(&o));
    assert!(text(&o).contains("is a file, not a folder"), "{}", text(&o));

    std::fs::write(d.join("a.xml"), rss(&[("a1", "Alpha brand one")])).unwrap();
    let cfg = write_config(d, &feeds_block(&["a.xml".into()]));
    ok(&cfg, &["poll", "--all"]);
    let db = d.join("state/tricorder.db");
    std::fs::write(
        &db,
        "this is not a database, it is a text file ".repeat(200),
    )
    .unwrap();
    for args in [&["status"][..], &["poll", "--all"], &["search", "brand"]] {
        let o = run(&cfg, args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", text(&o));
        let err = text(&o);
        assert!(err.contains(db.to_str().unwrap()), "{args:?}: {err}");
        assert!(err.contains("backup"), "{args:?}: {err}");
    }

    let cfg = write_config(d, "[digest]\ntemplates = \"my-templates\"\n");
    let o = run(&cfg, &["digest", "--preview"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("my-templates does not exist"),
        "{}",
        text(&o)
    );
}

// ---- 7. bounded fields ---------------------------------------------------------------

#[test]
fn huge_titles_are_capped_before_they_are_stored_or_mailed() {
    let title = "Brand ".repeat(1_000_000);
    let body = "word ".repeat(200_000);
    let feed = format!(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title><item><guid>1</guid><title>{title}</title><author>{title}</author><description>{body}</description><pubDate>Mon, 16 Nov 2026 10:00:00 GMT</pubDate></item></channel></rss>"#
    );
    let server = TestServer::start(move |_| Reply::ok(feed.clone()));
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(
        dir.path(),
        &format!(
            "{}[poll]\nmax_body = \"20MiB\"\n",
            feeds_block(&[server.url("/feed.xml")])
        ),
    );
    ok(&cfg, &["poll", "--all"]);
    let store = tricorder::store::Store::open(&dir.path().join("state")).unwrap();
    let feed_row = &store.feeds().unwrap()[0];
    assert!(feed_row.title.as_ref().unwrap().chars().count() <= 1_001);
    let items = store.items_of_feed(feed_row.id).unwrap();
    assert!(
        items[0].title.chars().count() <= 1_001,
        "{}",
        items[0].title.len()
    );
    assert!(items[0].body.len() <= tricorder::clean::MAX_BODY_BYTES);
    let digest = ok(&cfg, &["digest", "--preview", "--format", "html"]);
    assert!(digest.len() < 1_000_000, "digest of {} bytes", digest.len());
}

/// A read-only mount (root ignores permission bits, so a mount is the only
/// honest way to make a folder unwritable here). Needs `unshare -m`, i.e.
/// root or user namespaces; where neither is allowed it says so and checks
/// nothing.
#[test]
fn reading_commands_work_from_a_read_only_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a.xml"), rss(&[("a1", "Alpha brand one")])).unwrap();
    let cfg = write_config(d, &feeds_block(&["a.xml".into()]));
    ok(&cfg, &["poll", "--all"]);
    let probe = std::process::Command::new("unshare")
        .args(["-m", "true"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: `unshare -m` is not available here");
        return;
    }
    std::fs::create_dir(d.join("ro")).unwrap();
    let ro_cfg = d.join("ro.toml");
    std::fs::write(&ro_cfg, "data_dir = \"ro\"\n").unwrap();
    let bin = env!("CARGO_BIN_EXE_tricorder");
    let script = format!(
        "set -e; cd '{dir}'; mount --bind state ro; mount -o remount,bind,ro ro; \
         echo STATUS; '{bin}' --config ro.toml status; \
         echo SEARCH; '{bin}' --config ro.toml search brand; \
         echo POLL; '{bin}' --config ro.toml poll --all || echo \"poll exit $?\"",
        dir = d.display()
    );
    let o = std::process::Command::new("unshare")
        .args(["-m", "sh", "-c", &script])
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("1 documents for 1 items"), "{out}");
    assert!(out.contains("Alpha brand one"), "{out}");
    assert!(out.contains("poll exit 1"), "{out}");
    assert!(out.contains("cannot be written"), "{out}");
}

#[test]
fn a_config_that_is_a_device_or_a_fifo_is_refused_not_read_forever() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("config.fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    for cfg in [Path::new("/dev/zero"), fifo.as_path()] {
        let o = run(cfg, &["status"]);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(text(&o).contains("not a regular file"), "{}", text(&o));
    }
    let cfg = write_config(dir.path(), "feeds_opml = \"/dev/zero\"\n");
    let o = run(&cfg, &["status"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("line 2"), "{}", text(&o));
}
