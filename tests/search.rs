//! The search index: ranking, analysis, filters, and that it stays an exact
//! mirror of SQLite through updates, deletions, crashes and rebuilds.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::http::{Reply, Request, TestServer};
use serde_json::Value;
use tricorder::index::{SearchIndex, duplicates};
use tricorder::store::Store;

struct Entry<'a> {
    guid: &'a str,
    title: &'a str,
    body: &'a str,
    date: &'a str,
}

fn rss(entries: &[Entry]) -> String {
    let mut s = String::from(
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://t.example/</link>"#,
    );
    for e in entries {
        s.push_str(&format!(
            "<item><guid>{}</guid><title>{}</title><link>https://t.example/{}</link><pubDate>{}</pubDate><description>{}</description></item>",
            e.guid, e.title, e.guid, e.date, e.body
        ));
    }
    s + "</channel></rss>"
}

fn tricorder(cfg: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("tricorder");
    c.arg("--config").arg(cfg).env_remove("RUST_LOG");
    c.timeout(Duration::from_secs(120));
    c
}

fn config(dir: &Path, feeds: &[(String, &str)]) -> PathBuf {
    let mut s = String::from("data_dir = \"state\"\n");
    for (url, name) in feeds {
        s.push_str(&format!(
            "[[feeds]]\nurl = \"{url}\"\nname = \"{name}\"\ntags = [\"{}\"]\n",
            name.to_lowercase()
        ));
    }
    let p = dir.join("tricorder.toml");
    std::fs::write(&p, s).unwrap();
    p
}

fn search(cfg: &Path, args: &[&str]) -> Vec<Value> {
    let out = tricorder(cfg)
        .arg("search")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "search {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn titles(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["title"].as_str().unwrap().to_owned())
        .collect()
}

/// Two feeds with items chosen to test ranking and analysis.
fn corpus() -> TestServer {
    TestServer::start(|req: &Request| match req.path_only() {
        "/a" => Reply::ok(rss(&[
            Entry {
                guid: "a1",
                title: "Retail media networks grow up",
                body: "Budgets move to retail media.",
                date: "Mon, 02 Nov 2026 10:00:00 GMT",
            },
            Entry {
                guid: "a2",
                title: "Quarterly notes",
                body: "A long piece that mentions retail media once, among many other things such as email and search.",
                date: "Mon, 09 Nov 2026 10:00:00 GMT",
            },
            Entry {
                guid: "a3",
                title: "What marketers want",
                body: "Survey of B2B teams.",
                date: "Tue, 10 Nov 2026 10:00:00 GMT",
            },
        ])),
        "/b" => Reply::ok(rss(&[
            Entry {
                guid: "b1",
                title: "The media retail mix",
                body: "Retail outlets buy media.",
                date: "Wed, 11 Nov 2026 10:00:00 GMT",
            },
            Entry {
                guid: "b2",
                title: "A marketer's diary",
                body: "Daily life in a caf&#233; with a laptop.",
                date: "Thu, 12 Nov 2026 10:00:00 GMT",
            },
        ])),
        _ => Reply::status(404),
    })
}

fn polled(server: &TestServer) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(
        dir.path(),
        &[(server.url("/a"), "Alpha"), (server.url("/b"), "Beta")],
    );
    tricorder(&cfg).args(["poll", "--all"]).assert().success();
    (dir, cfg)
}

#[test]
fn title_match_ranks_above_body_mention() {
    let server = corpus();
    let (_d, cfg) = polled(&server);
    let hits = search(&cfg, &["retail", "media"]);
    let t = titles(&hits);
    assert_eq!(t[0], "Retail media networks grow up", "{t:?}");
    let notes = t.iter().position(|x| x == "Quarterly notes").unwrap();
    assert!(notes > 0);
    // JSON shape scripts rely on.
    for key in [
        "id",
        "title",
        "url",
        "feed",
        "published",
        "score",
        "snippet",
    ] {
        assert!(!hits[0][key].is_null(), "missing {key}: {:#}", hits[0]);
    }
    assert_eq!(hits[0]["feed"], "Alpha");
    assert!(
        hits[0]["published"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-02T10:00:00")
    );
    assert!(hits[0]["score"].as_f64().unwrap() > hits[1]["score"].as_f64().unwrap());
}

#[test]
fn stemming_folding_phrases_and_boolean_syntax() {
    let server = corpus();
    let (_d, cfg) = polled(&server);
    let t = titles(&search(&cfg, &["marketer"]));
    assert!(
        t.contains(&"What marketers want".to_owned())
            && t.contains(&"A marketer's diary".to_owned()),
        "{t:?}"
    );
    assert_eq!(titles(&search(&cfg, &["cafe"])), vec!["A marketer's diary"]);
    // The phrase matches adjacent words only: "media retail" is not "retail media".
    let phrase = titles(&search(&cfg, &["\"retail media\""]));
    assert!(
        !phrase.contains(&"The media retail mix".to_owned()),
        "{phrase:?}"
    );
    assert_eq!(phrase.len(), 2, "{phrase:?}");
    // Words are ANDed by default; OR and NOT work; title: restricts the field.
    assert_eq!(search(&cfg, &["retail", "survey"]).len(), 0);
    assert_eq!(search(&cfg, &["retail", "OR", "survey"]).len(), 4);
    assert_eq!(search(&cfg, &["retail", "NOT", "budgets"]).len(), 2);
    assert_eq!(
        titles(&search(&cfg, &["title:notes"])),
        vec!["Quarterly notes"]
    );
    assert_eq!(search(&cfg, &["feed:beta", "media"]).len(), 1);
}

#[test]
fn date_feed_and_tag_filters() {
    let server = corpus();
    let (_d, cfg) = polled(&server);
    let t = titles(&search(
        &cfg,
        &["media", "--since", "2026-11-05", "--until", "2026-11-10"],
    ));
    assert_eq!(t, vec!["Quarterly notes"]);
    let t = titles(&search(&cfg, &["media", "--feed", "Beta"]));
    assert_eq!(t, vec!["The media retail mix"]);
    let t = titles(&search(&cfg, &["media", "--tag", "alpha"]));
    assert_eq!(t.len(), 2);
    let by_date = titles(&search(&cfg, &["media", "--sort", "date"]));
    assert_eq!(by_date[0], "The media retail mix");
    assert_eq!(search(&cfg, &["media", "--limit", "1"]).len(), 1);
}

#[test]
fn bad_queries_and_empty_results_explain_themselves() {
    let server = corpus();
    let (_d, cfg) = polled(&server);
    let out = tricorder(&cfg)
        .args(["search", "(retail AND"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad query") && err.contains("at character"),
        "{err}"
    );
    let out = tricorder(&cfg)
        .args(["search", "nosuchfield:x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nosuchfield"));
    let out = tricorder(&cfg)
        .args(["search", "media", "--since", "last tuesday"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = tricorder(&cfg)
        .args(["search", "zeppelin"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("No items match") && text.contains("fewer words"),
        "{text}"
    );
    let out = tricorder(&cfg).args(["search", "retail"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("result") && text.contains(" ms"), "{text}");
    assert!(
        !text.contains('\x1b'),
        "no escape codes when not a terminal"
    );
}

fn assert_mirror(data_dir: &Path) -> Vec<i64> {
    let store = Store::open(data_dir).unwrap();
    let index = SearchIndex::open(data_dir, &store).unwrap();
    let in_index = index.all_ids().unwrap();
    assert!(
        duplicates(&in_index).is_empty(),
        "duplicated in index: {:?}",
        duplicates(&in_index)
    );
    let in_db = store.all_item_ids().unwrap();
    assert_eq!(in_index, in_db, "index and database disagree");
    assert_eq!(index.mark().unwrap(), store.current_rev().unwrap());
    in_db
}

#[test]
fn updates_deletions_and_reindex_keep_the_index_an_exact_mirror() {
    let version = Arc::new(AtomicUsize::new(1));
    let v = version.clone();
    let server = TestServer::start(move |req: &Request| {
        let e1 = if v.load(Ordering::SeqCst) == 1 {
            "Original headline"
        } else {
            "Corrected headline"
        };
        match req.path_only() {
            "/a" => Reply::ok(rss(&[
                Entry {
                    guid: "1",
                    title: e1,
                    body: "x",
                    date: "Mon, 02 Nov 2026 10:00:00 GMT",
                },
                Entry {
                    guid: "2",
                    title: "Second",
                    body: "y",
                    date: "Mon, 02 Nov 2026 11:00:00 GMT",
                },
            ])),
            _ => Reply::ok(rss(&[Entry {
                guid: "3",
                title: "Other feed headline",
                body: "z",
                date: "Mon, 02 Nov 2026 12:00:00 GMT",
            }])),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(
        dir.path(),
        &[(server.url("/a"), "A"), (server.url("/b"), "B")],
    );
    let state = dir.path().join("state");
    tricorder(&cfg).args(["poll", "--all"]).assert().success();
    assert_eq!(assert_mirror(&state).len(), 3);

    version.store(2, Ordering::SeqCst);
    tricorder(&cfg).args(["poll", "--all"]).assert().success();
    assert_eq!(assert_mirror(&state).len(), 3);
    assert_eq!(titles(&search(&cfg, &["headline"])).len(), 2);
    assert!(search(&cfg, &["original"]).is_empty());
    assert_eq!(
        titles(&search(&cfg, &["corrected"])),
        vec!["Corrected headline"]
    );

    tricorder(&cfg)
        .args(["feeds", "remove"])
        .arg(server.url("/b"))
        .assert()
        .success();
    assert_eq!(assert_mirror(&state).len(), 2);
    assert!(search(&cfg, &["other"]).is_empty());

    let out = tricorder(&cfg).arg("reindex").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Reindexed 2 items"));
    assert_eq!(assert_mirror(&state).len(), 2);
    assert!(!state.join("index.new").exists() && !state.join("index.old").exists());
}

#[test]
fn index_heals_after_a_crash_between_the_two_commits() {
    let server = corpus();
    let (dir, cfg) = polled(&server);
    let state = dir.path().join("state");
    let before = assert_mirror(&state);

    // A poll whose SQLite transaction committed but whose process died before
    // the index commit: write to the store directly, and leave an index
    // writer's work uncommitted.
    {
        let mut store = Store::open(&state).unwrap();
        let feed = store.feeds().unwrap()[0].id;
        let item = tricorder::parse::Item {
            guid: "late".into(),
            url: Some("https://t.example/late".into()),
            title: "Zeppelin marketing returns".into(),
            author: None,
            published: Some("2026-11-13T00:00:00Z".parse().unwrap()),
            categories: vec![],
            body: "Airships as billboards.".into(),
        };
        let success = tricorder::store::FetchSuccess {
            http_status: 200,
            items: Some(vec![item.into()]),
            ..Default::default()
        };
        store
            .record_success(feed, &success, 1_800_000_000, |_| 0)
            .unwrap();
        let index = SearchIndex::open(&state, &store).unwrap();
        let mut w = index.writer(1, 15_000_000).unwrap();
        w.add_raw(tantivy::doc!(index.fields.id => 999_i64))
            .unwrap();
        drop(w); // never committed
    }
    assert!(
        search(&cfg, &["zeppelin"]).is_empty(),
        "search shows the last committed index"
    );
    // The next writing command heals first.
    tricorder(&cfg)
        .args(["poll", "--feed"])
        .arg(server.url("/a"))
        .assert()
        .success();
    let after = assert_mirror(&state);
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(
        titles(&search(&cfg, &["zeppelin"])),
        vec!["Zeppelin marketing returns"]
    );
}

#[test]
fn kill_minus_nine_during_poll_leaves_a_consistent_state() {
    // Many feeds that answer slowly, so that kills land in the middle of a round.
    let server = TestServer::start(|req: &Request| {
        let n: usize = req
            .path_only()
            .trim_start_matches("/f")
            .parse()
            .unwrap_or(0);
        std::thread::sleep(Duration::from_millis(5 * (n % 7) as u64));
        let items: Vec<(String, String)> = (0..20)
            .map(|i| {
                (
                    format!("{n}-{i}"),
                    format!("Feed {n} story {i} about retail media"),
                )
            })
            .collect();
        let entries: Vec<Entry> = items
            .iter()
            .map(|(g, t)| Entry {
                guid: g,
                title: t,
                body: "Body text.",
                date: "Mon, 02 Nov 2026 10:00:00 GMT",
            })
            .collect();
        Reply::ok(rss(&entries))
    });
    let dir = tempfile::tempdir().unwrap();
    let feeds: Vec<(String, &str)> = (0..60)
        .map(|i| (server.url(&format!("/f{i}")), "F"))
        .collect();
    let cfg = config(dir.path(), &feeds);
    let state = dir.path().join("state");
    let mut rng = 12345u64;
    for round in 0..10 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tricorder"))
            .arg("--config")
            .arg(&cfg)
            .args(["poll", "--all"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(Duration::from_millis(rng % 400));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if round % 3 == 2 {
            // Restart and let it finish: it must heal, not duplicate.
            tricorder(&cfg).args(["poll", "--all"]).assert().success();
            assert_mirror(&state);
        }
    }
    tricorder(&cfg).args(["poll", "--all"]).assert().success();
    let ids = assert_mirror(&state);
    assert_eq!(ids.len(), 60 * 20);
    let store = Store::open(&state).unwrap();
    assert_eq!(store.quick_check().unwrap(), "ok");
}

#[test]
fn search_works_while_another_process_writes() {
    let slow = Arc::new(AtomicUsize::new(0));
    let s2 = slow.clone();
    let server = TestServer::start(move |req: &Request| {
        if req.path_only() == "/slow" {
            s2.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_secs(3));
        }
        let guid = req.path_only().trim_start_matches('/').to_owned();
        Reply::ok(rss(&[Entry {
            guid: &guid,
            title: &format!("Story from {guid}"),
            body: "b",
            date: "Mon, 02 Nov 2026 10:00:00 GMT",
        }]))
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), &[(server.url("/fast"), "Fast")]);
    tricorder(&cfg).args(["poll", "--all"]).assert().success();

    let cfg = config(
        dir.path(),
        &[(server.url("/fast"), "Fast"), (server.url("/slow"), "Slow")],
    );
    let mut writer = std::process::Command::new(env!("CARGO_BIN_EXE_tricorder"))
        .arg("--config")
        .arg(&cfg)
        .args(["poll", "--all"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    while slow.load(Ordering::SeqCst) == 0 {
        std::thread::sleep(Duration::from_millis(20));
    }
    // The writer holds the data folder: reading still works...
    assert_eq!(titles(&search(&cfg, &["story"])), vec!["Story from fast"]);
    // ...and writing commands are refused with a clear message.
    let out = tricorder(&cfg).args(["poll"]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("another tricorder process") && err.contains("pid"),
        "{err}"
    );
    assert!(writer.wait().unwrap().success());
    // After its commit, the new item is found.
    assert_eq!(search(&cfg, &["story"]).len(), 2);
}

#[test]
fn reindex_recomputes_phrases_only_when_the_extractor_changed() {
    let server = corpus();
    let (dir, cfg) = polled(&server);
    let state = dir.path().join("state");
    let db = state.join("tricorder.db");
    let items = assert_mirror(&state).len();
    let phrases = || -> Vec<String> {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let mut stmt = conn
            .prepare("SELECT phrases FROM items ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let at_ingest = phrases();
    assert!(
        at_ingest.iter().any(|p| p.contains("retail media")),
        "{at_ingest:?}"
    );
    let reindex = |args: &[&str]| {
        let out = tricorder(&cfg).arg("reindex").args(args).output().unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).contains("Recomputed the phrases and questions")
    };

    // Current extractions: only the index is rebuilt.
    assert!(!reindex(&[]));
    assert_eq!(assert_mirror(&state).len(), items);

    // A store from a build whose extractor differed (no version mark, other
    // phrases): recomputed, and then marked current.
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute("UPDATE items SET phrases = '[]'", []).unwrap();
        conn.execute("DELETE FROM meta WHERE key = 'extracted_with'", [])
            .unwrap();
    }
    assert!(reindex(&[]));
    assert_eq!(phrases(), at_ingest);
    assert!(!reindex(&[]));
    assert!(reindex(&["--reextract"]));
    assert_eq!(phrases(), at_ingest);
    assert_eq!(assert_mirror(&state).len(), items);
}

#[test]
fn an_index_from_another_release_is_rebuilt_by_the_next_writer() {
    let server = corpus();
    let (dir, cfg) = polled(&server);
    let state = dir.path().join("state");
    let index_dir = state.join("index");
    let items = assert_mirror(&state).len();
    let retail = titles(&search(&cfg, &["retail"]));
    assert!(!retail.is_empty());
    std::fs::remove_dir_all(&index_dir).unwrap();
    std::fs::create_dir_all(&index_dir).unwrap();
    {
        // Another schema, with a document and a commit.
        let mut b = tantivy::schema::Schema::builder();
        let f = b.add_text_field("title", tantivy::schema::TEXT);
        let index = tantivy::Index::create_in_dir(&index_dir, b.build()).unwrap();
        let mut w: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        w.add_document(tantivy::doc!(f => "old")).unwrap();
        w.commit().unwrap();
    }
    tricorder(&cfg).args(["poll", "--all"]).assert().success();
    assert_eq!(assert_mirror(&state).len(), items);
    assert_eq!(titles(&search(&cfg, &["retail"])), retail);
}
