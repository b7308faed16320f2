//! The judged measure of issue 13, part 1, rerunnable: poll a labelled
//! corpus over real HTTP into a fresh data folder, run `questions --since
//! 7d` as a user would, and score the ranked list against the corpus's
//! hand labels (`[[question]]` in its `truth.toml`): precision@10,
//! precision@20, precision over the whole list and recall of the usable
//! questions published in the window.
//!
//! `news-week` was partly tuned on; `trade-press` is held out (no rule was
//! written from it). The floors sit well below the measured values so that
//! a regression fails and load or poll order cannot.
//!
//! Run with `--nocapture` to see the numbers and every question listed.
//! Another corpus can be scored by pointing `TRICORDER_QUESTIONS_CORPUS` at
//! a folder of feed files and `TRICORDER_QUESTIONS_TRUTH` at a TOML file
//! with `as_of` and `[[question]]` labels (`text`, `usable`, optionally
//! `guid`), and run `cargo test --test questions_ranked -- --ignored
//! --nocapture`; that run prints the numbers and asserts no floors.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::feeds;
use serde::Deserialize;
use serde_json::Value;
use tricorder::analyse::questions::normalise;

#[derive(Deserialize)]
struct Truth {
    as_of: String,
    #[serde(default)]
    question: Vec<Labelled>,
}

#[derive(Deserialize)]
struct Labelled {
    #[serde(default)]
    guid: Option<String>,
    text: String,
    usable: bool,
}

struct Scores {
    at10: f64,
    at20: f64,
    precision: f64,
    recall: f64,
    listed: usize,
    usable_in_window: usize,
}

fn tricorder(cfg: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("tricorder");
    c.arg("--config").arg(cfg).env_remove("RUST_LOG");
    c.timeout(Duration::from_secs(300));
    c
}

/// Publication time of every RSS item in the folder, by guid: the labels
/// cover the baseline weeks too, and recall counts only the window.
fn published_by_guid(files: &[(String, Vec<u8>)]) -> HashMap<String, i64> {
    let mut out = HashMap::new();
    for (name, body) in files {
        let text = String::from_utf8_lossy(body);
        for item in text.split("<item>").skip(1) {
            let inner = |tag: &str| {
                let open = item.find(&format!("<{tag}"))?;
                let start = open + item[open..].find('>')? + 1;
                let end = start + item[start..].find(&format!("</{tag}>"))?;
                Some(item[start..end].trim().to_owned())
            };
            let (Some(guid), Some(date)) = (inner("guid"), inner("pubDate")) else {
                continue;
            };
            let when = chrono::DateTime::parse_from_rfc2822(&date)
                .unwrap_or_else(|e| panic!("{name}: guid {guid}: pubDate {date:?}: {e}"));
            out.insert(guid, when.timestamp());
        }
    }
    out
}

/// Does a listed question stand for this labelled sentence? The list shows
/// repaired questions (a label or caption cut, a quote unwrapped), so a
/// listed question inside the labelled text counts.
fn same(listed: &str, label: &str) -> bool {
    let (l, t) = (normalise(listed), normalise(label));
    !l.is_empty() && (l == t || format!(" {t} ").contains(&format!(" {l} ")))
}

/// The order the issue asks for: questions attached to a trending topic
/// first, then those asked by more feeds, then the more recent.
fn assert_ranked(questions: &Value) {
    let keys: Vec<(bool, usize, i64)> = questions
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let sources = q["sources"].as_array().unwrap();
            let feeds: std::collections::HashSet<&str> = sources
                .iter()
                .map(|s| s["feed"].as_str().unwrap())
                .collect();
            let latest = sources
                .iter()
                .map(|s| {
                    chrono::DateTime::parse_from_rfc3339(s["published"].as_str().unwrap())
                        .unwrap()
                        .timestamp()
                })
                .max()
                .unwrap();
            (q["topic"].is_null(), feeds.len(), latest)
        })
        .collect();
    for (i, w) in keys.windows(2).enumerate() {
        let ((a_none, a_feeds, a_t), (b_none, b_feeds, b_t)) = (w[0], w[1]);
        let in_order = (a_none, std::cmp::Reverse(a_feeds), std::cmp::Reverse(a_t))
            <= (b_none, std::cmp::Reverse(b_feeds), std::cmp::Reverse(b_t));
        assert!(
            in_order,
            "questions {} and {} out of order: {:#} then {:#}",
            i + 1,
            i + 2,
            questions[i],
            questions[i + 1]
        );
    }
}

fn score(dir: &Path, truth_path: &Path) -> Scores {
    let text = std::fs::read_to_string(truth_path)
        .unwrap_or_else(|e| panic!("{}: {e}", truth_path.display()));
    let truth: Truth =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", truth_path.display()));
    let files = feeds::feed_files(dir);
    let published = published_by_guid(&files);
    let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    let server = feeds::serve(files);
    let tmp = tempfile::tempdir().unwrap();
    let cfg: PathBuf = feeds::config(tmp.path(), &server, &names, "");
    tricorder(&cfg).args(["poll", "--all"]).assert().success();
    let out = tricorder(&cfg)
        .args([
            "questions",
            "--since",
            "7d",
            "--as-of",
            &truth.as_of,
            "--limit",
            "10000",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_ranked(&v["questions"]);
    let listed: Vec<(String, Option<String>, usize)> = v["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["question"].as_str().unwrap().to_owned(),
                q["topic"].as_str().map(str::to_owned),
                q["sources"].as_array().map_or(0, Vec::len),
            )
        })
        .collect();
    // A listed question nobody labelled counts as not usable.
    let good: Vec<bool> = listed
        .iter()
        .map(|(q, ..)| {
            truth
                .question
                .iter()
                .filter(|l| same(q, &l.text))
                .any(|l| l.usable)
        })
        .collect();
    for (i, ((q, topic, n), ok)) in listed.iter().zip(&good).enumerate() {
        let labelled = truth.question.iter().any(|l| same(q, &l.text));
        eprintln!(
            "  {:>3}. {} {q}  [{}; {n} source(s)]{}",
            i + 1,
            if *ok { "+" } else { "-" },
            topic.as_deref().unwrap_or("no topic"),
            if labelled { "" } else { "  (unlabelled)" }
        );
    }
    let as_of = chrono::DateTime::parse_from_rfc3339(&truth.as_of)
        .unwrap_or_else(|e| panic!("as_of {:?}: {e}", truth.as_of))
        .timestamp();
    let in_window = |l: &Labelled| {
        l.guid
            .as_ref()
            .and_then(|g| published.get(g))
            .is_none_or(|&t| t <= as_of && t > as_of - 7 * 86_400)
    };
    let usable: Vec<&Labelled> = truth
        .question
        .iter()
        .filter(|l| l.usable && in_window(l))
        .collect();
    let found = usable
        .iter()
        .filter(|l| listed.iter().any(|(q, ..)| same(q, &l.text)))
        .count();
    for l in usable
        .iter()
        .filter(|l| !listed.iter().any(|(q, ..)| same(q, &l.text)))
    {
        eprintln!("  missed: {}", l.text);
    }
    let at = |k: usize| {
        let k = k.min(good.len()).max(1);
        good.iter().take(k).filter(|g| **g).count() as f64 / k as f64
    };
    Scores {
        at10: at(10),
        at20: at(20),
        precision: at(good.len()),
        recall: found as f64 / usable.len().max(1) as f64,
        listed: listed.len(),
        usable_in_window: usable.len(),
    }
}

fn report(name: &str, s: &Scores) {
    eprintln!(
        "{name}: P@10 {:.2}  P@20 {:.2}  P {:.2} ({} listed)  recall {:.2} of {} usable",
        s.at10, s.at20, s.precision, s.listed, s.recall, s.usable_in_window
    );
}

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/corpora")
        .join(name)
}

#[test]
fn news_week_questions_rank_usable_ones_first() {
    let dir = corpus("news-week");
    let s = score(&dir, &dir.join("truth.toml"));
    report("news-week (partly tuned)", &s);
    assert!(s.at10 >= 0.6, "P@10 {:.2}", s.at10);
    assert!(s.at20 >= 0.6, "P@20 {:.2}", s.at20);
    assert!(s.precision >= 0.6, "P {:.2}", s.precision);
    assert!(s.recall >= 0.8, "recall {:.2}", s.recall);
}

#[test]
fn trade_press_questions_rank_usable_ones_first() {
    let dir = corpus("trade-press");
    let s = score(&dir, &dir.join("truth.toml"));
    report("trade-press (held out)", &s);
    assert!(s.at10 >= 0.7, "P@10 {:.2}", s.at10);
    assert!(s.at20 >= 0.6, "P@20 {:.2}", s.at20);
    assert!(s.precision >= 0.5, "P {:.2}", s.precision);
    assert!(s.recall >= 0.6, "recall {:.2}", s.recall);
}

/// Scores a corpus outside the repository (real news that cannot be
/// committed) and prints the numbers; it asserts only that the corpus
/// polls and lists. Run with `--ignored` and both variables set.
#[test]
#[ignore = "needs TRICORDER_QUESTIONS_CORPUS and TRICORDER_QUESTIONS_TRUTH"]
fn another_corpus() {
    let var = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("set {k}"));
    let dir = var("TRICORDER_QUESTIONS_CORPUS");
    let s = score(
        Path::new(&dir),
        Path::new(&var("TRICORDER_QUESTIONS_TRUTH")),
    );
    report(&dir, &s);
    assert!(s.listed > 0, "{dir}: no questions listed");
}
