//! The same items give the same answers, whatever order the feeds arrived
//! in, whatever the data folder, and however many index segments there are.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::feeds;

fn tricorder(cfg: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("tricorder");
    c.arg("--config").arg(cfg).env_remove("RUST_LOG");
    c.timeout(Duration::from_secs(300));
    c
}

fn stdout(cfg: &Path, args: &[&str]) -> String {
    let out = tricorder(cfg).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Everything a user reads about the period, as text.
fn answers(cfg: &Path, as_of: &str) -> Vec<(String, String)> {
    let cfg_dir = cfg.parent().unwrap().to_string_lossy().into_owned();
    [
        vec!["trends", "--json"],
        vec!["stories", "--json"],
        vec!["questions", "--json"],
        vec!["topic", "TikTok Shop", "--since", "60d", "--json"],
        vec!["topics", "--since", "60d", "--json"],
        vec!["digest", "--preview", "--format", "text"],
    ]
    .into_iter()
    .map(|mut args| {
        args.extend(["--as-of", as_of]);
        // The digest's footer names the config file, which is where the
        // data folder is: the only line that may differ.
        let out = stdout(cfg, &args).replace(&cfg_dir, "<config dir>");
        (args.join(" "), out)
    })
    .collect()
}

fn check(corpus: &Path, as_of: &str) {
    let files = feeds::feed_files(corpus);
    let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    let server = feeds::serve(files);

    // A: every feed at once, listed in name order.
    let a = tempfile::tempdir().unwrap();
    let cfg_a = feeds::config(a.path(), &server, &names, "");
    tricorder(&cfg_a).args(["poll", "--all"]).assert().success();

    // B: listed in reverse, polled one at a time and then in two rounds,
    // so that rows are numbered differently and the index has several
    // segments.
    let b = tempfile::tempdir().unwrap();
    let mut reversed = names.clone();
    reversed.reverse();
    let cfg_b = feeds::config(b.path(), &server, &reversed, "[poll]\nconcurrency = 1\n");
    let half = reversed.len() / 2;
    for n in &reversed[..half] {
        tricorder(&cfg_b)
            .args(["poll", "--feed", &server.url(&format!("/{n}"))])
            .assert()
            .success();
    }
    tricorder(&cfg_b).args(["poll", "--all"]).assert().success();
    let segments = |d: &Path| {
        std::fs::read_dir(d.join("state/index"))
            .map(|r| {
                r.filter_map(Result::ok)
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".idx"))
                    .count()
            })
            .unwrap_or(0)
    };
    assert!(
        segments(b.path()) > 1,
        "B should have several index segments"
    );

    let (ra, rb) = (answers(&cfg_a, as_of), answers(&cfg_b, as_of));
    for ((cmd, x), (_, y)) in ra.iter().zip(&rb) {
        assert!(!x.trim().is_empty(), "{cmd} printed nothing");
        if x != y {
            let line = x
                .lines()
                .zip(y.lines())
                .position(|(p, q)| p != q)
                .unwrap_or(0);
            panic!(
                "`{cmd}` differs between poll orders, first at line {}:\n  A: {}\n  B: {}",
                line + 1,
                x.lines().nth(line).unwrap_or(""),
                y.lines().nth(line).unwrap_or("")
            );
        }
    }
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn the_demo_feeds_give_the_same_answers_in_any_poll_order() {
    check(&repo("data/demo"), "2026-11-16");
}
