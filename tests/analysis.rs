//! Analysis quality on deterministic fixtures: trending topics on a
//! generated 32-feed corpus with planted surges and decoys, question
//! detection on a labelled set, and key phrases of realistic items.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::corpus::{self, Spec};
use common::http::{Reply, Request, TestServer};
use serde_json::Value;
use tricorder::analyse::{phrases, questions};

fn tricorder(cfg: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("tricorder");
    c.arg("--config").arg(cfg).env_remove("RUST_LOG");
    c.timeout(Duration::from_secs(300));
    c
}

/// Serves the corpus over HTTP, polls it, and returns (server, dir, config).
fn polled_corpus() -> (TestServer, tempfile::TempDir, PathBuf, corpus::Corpus) {
    let corpus = corpus::generate(Spec::default());
    let feeds: Vec<(String, String)> = corpus
        .feeds
        .iter()
        .map(|f| (f.slug.clone(), f.rss.clone()))
        .collect();
    let server = TestServer::start(move |req: &Request| {
        let slug = req.path_only().trim_start_matches('/');
        match feeds.iter().find(|(s, _)| s == slug) {
            Some((_, rss)) => Reply::ok(rss.clone()),
            None => Reply::status(404),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = String::from("data_dir = \"state\"\n");
    for f in &corpus.feeds {
        cfg.push_str(&format!(
            "[[feeds]]\nurl = \"{}\"\nname = \"{}\"\n",
            server.url(&format!("/{}", f.slug)),
            f.name
        ));
    }
    let path = dir.path().join("tricorder.toml");
    std::fs::write(&path, cfg).unwrap();
    tricorder(&path).args(["poll", "--all"]).assert().success();
    (server, dir, path, corpus)
}

fn json(cfg: &Path, args: &[&str]) -> Value {
    let out = tricorder(cfg).args(args).arg("--json").output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn key(s: &str) -> String {
    phrases::normalise(s).unwrap_or_default()
}

/// A label names a planted topic when it contains the topic's words (e.g.
/// "TikTok Shop" or "Google AI Mode" for "AI Mode").
fn names(label: &str, planted: &str) -> bool {
    let l = key(label);
    let p = key(planted);
    l == p || format!(" {l} ").contains(&format!(" {p} "))
}

#[test]
fn planted_surges_rank_and_decoys_do_not() {
    let (_server, _dir, cfg, corpus) = polled_corpus();
    let trends = json(&cfg, &["trends", "--as-of", corpus.as_of, "--limit", "10"]);
    let topics = trends.as_array().unwrap();
    let labels: Vec<&str> = topics
        .iter()
        .map(|t| t["label"].as_str().unwrap())
        .collect();
    eprintln!("topics: {labels:?}");

    for planted in corpus.planted.iter().filter(|p| !p.zero_baseline) {
        let rank = labels.iter().position(|l| names(l, planted.phrase));
        assert!(
            rank.is_some_and(|r| r < 5),
            "{} should be in the top 5 with a sensible label: {labels:?}",
            planted.phrase
        );
    }
    for decoy in &corpus.decoys {
        for t in topics {
            let label = t["label"].as_str().unwrap();
            assert!(
                !names(label, decoy.phrase) && !names(decoy.phrase, label),
                "decoy {:?} ({}) is a top-10 topic: {labels:?}",
                decoy.phrase,
                decoy.kind
            );
        }
    }

    // JSON shape scripts rely on, and the numbers behind each topic.
    let t = &topics[0];
    for k in [
        "label", "key", "kind", "type", "headline", "score", "count", "expected", "growth",
        "feeds", "daily", "phrases", "stories", "items",
    ] {
        assert!(!t[k].is_null(), "missing {k}");
    }
    assert_eq!(t["daily"].as_array().unwrap().len(), 35);
    assert!(t["feeds"].as_u64().unwrap() >= 3);
    let items = t["items"].as_array().unwrap();
    assert!((3..=5).contains(&items.len()), "{items:?}");
    let feeds: std::collections::HashSet<&str> =
        items.iter().map(|i| i["feed"].as_str().unwrap()).collect();
    assert_eq!(
        feeds.len(),
        items.len(),
        "evidence from different feeds first"
    );
    for i in items {
        for k in ["title", "url", "feed", "published"] {
            assert!(!i[k].is_null(), "evidence without {k}");
        }
    }

    // Reproducible: same data, same --as-of, same answer.
    let again = json(&cfg, &["trends", "--as-of", corpus.as_of, "--limit", "10"]);
    assert_eq!(trends, again);
}

#[test]
fn a_brand_new_topic_ranks_with_a_finite_score() {
    let (_server, _dir, cfg, corpus) = polled_corpus();
    let trends = json(&cfg, &["trends", "--as-of", corpus.as_of, "--limit", "10"]);
    let new = corpus.planted.iter().find(|p| p.zero_baseline).unwrap();
    let topic = trends
        .as_array()
        .unwrap()
        .iter()
        .find(|t| names(t["label"].as_str().unwrap(), new.phrase))
        .unwrap_or_else(|| panic!("{} not among the trends: {trends:#}", new.phrase));
    let score = topic["score"].as_f64().unwrap();
    assert!(score.is_finite() && score > 0.0);
    assert!(topic["growth"].as_f64().unwrap().is_finite());
    // Nothing before its first day.
    let daily = topic["daily"].as_array().unwrap();
    let before: u64 = daily
        .iter()
        .take(28)
        .map(|d| d["count"].as_u64().unwrap())
        .sum();
    assert_eq!(before, 0);
}

#[test]
fn open_questions_come_with_sources_and_topics() {
    let (_server, _dir, cfg, corpus) = polled_corpus();
    let out = json(
        &cfg,
        &["questions", "--as-of", corpus.as_of, "--since", "14d"],
    );
    // The window is half-open and spelt out: 14 days to the midnight after --as-of.
    let (from, to) = (
        out["window"]["from"].as_str().unwrap(),
        out["window"]["to"].as_str().unwrap(),
    );
    let to_t = chrono::DateTime::parse_from_rfc3339(to).unwrap();
    let from_t = chrono::DateTime::parse_from_rfc3339(from).unwrap();
    assert!(to.ends_with("T00:00:00Z"), "{to}");
    assert_eq!((to_t - from_t).num_days(), 14, "{from} to {to}");
    assert_eq!(
        (to_t - chrono::Duration::days(1))
            .format("%Y-%m-%d")
            .to_string(),
        corpus.as_of[..10]
    );
    let qs = out["questions"].as_array().unwrap();
    // The text output names the same two ends.
    let text = tricorder(&cfg)
        .args([
            "questions",
            "--as-of",
            &corpus.as_of[..10],
            "--since",
            "14d",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let want = format!(
        "Open questions from {} to {} UTC (14 days):",
        from_t.format("%Y-%m-%d %H:%M"),
        to_t.format("%Y-%m-%d %H:%M")
    );
    assert!(text.starts_with(&want), "{want}\n{text}");
    assert!(!qs.is_empty());
    for q in qs {
        let text = q["question"].as_str().unwrap();
        assert!(text.ends_with('?'), "{text}");
        assert!(
            !text.to_lowercase().starts_with("want to learn more"),
            "boilerplate: {text}"
        );
        let sources = q["sources"].as_array().unwrap();
        assert!(!sources.is_empty());
        for s in sources {
            for k in ["title", "url", "feed", "published"] {
                assert!(!s[k].is_null(), "source without {k}");
            }
        }
    }
    // Questions attached to a trending topic come first.
    assert!(!qs[0]["topic"].is_null(), "{:#}", qs[0]);
    let first_untopical = qs
        .iter()
        .position(|q| q["topic"].is_null())
        .unwrap_or(qs.len());
    assert!(qs[first_untopical..].iter().all(|q| q["topic"].is_null()));
    // --topic narrows: to the questions attached to the topic, and those
    // that name it (a question asked by an item of another story, "Should
    // brands treat TikTok Shop as a sales channel?", is still about it).
    let topic = qs[0]["topic"].as_str().unwrap().to_owned();
    let narrowed = json(
        &cfg,
        &["questions", "--as-of", corpus.as_of, "--topic", &topic],
    );
    let narrowed = narrowed["questions"].as_array().unwrap();
    assert!(
        narrowed.len() < qs.len(),
        "--topic {topic} kept every question"
    );
    assert!(
        narrowed
            .iter()
            .any(|q| q["topic"].as_str() == Some(topic.as_str()))
    );
    for q in narrowed {
        let text = q["question"].as_str().unwrap().to_lowercase();
        assert!(
            q["topic"].as_str() == Some(topic.as_str()) || text.contains(&topic.to_lowercase()),
            "{q:#}"
        );
    }
}

#[test]
fn question_detection_precision_and_recall() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/questions.tsv"),
    )
    .unwrap();
    let (mut tp, mut fp, mut fn_, mut n) = (0, 0, 0, 0);
    let mut mistakes = Vec::new();
    for line in text.lines().skip(1) {
        let mut parts = line.splitn(3, '\t');
        let (label, _kind, sentence) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        let truth = label == "1";
        let found = !questions::find(sentence).is_empty();
        n += 1;
        match (truth, found) {
            (true, true) => tp += 1,
            (false, true) => {
                fp += 1;
                mistakes.push(format!("false positive: {sentence}"));
            }
            (true, false) => {
                fn_ += 1;
                mistakes.push(format!("missed: {sentence}"));
            }
            _ => {}
        }
    }
    assert!(n >= 150, "the labelled set has only {n} lines");
    let precision = tp as f64 / (tp + fp) as f64;
    let recall = tp as f64 / (tp + fn_) as f64;
    eprintln!(
        "precision {precision:.3}, recall {recall:.3} on {n} lines\n{}",
        mistakes.join("\n")
    );
    assert!(
        precision >= 0.95,
        "precision {precision:.3}\n{}",
        mistakes.join("\n")
    );
    assert!(recall >= 0.9, "recall {recall:.3}\n{}", mistakes.join("\n"));
}

fn keys_of(title: &str, body: &str) -> Vec<String> {
    let items = [(title, body)];
    tricorder::analyse::extract_feed(items.iter().copied())
        .remove(0)
        .phrases
}

#[test]
fn key_phrases_of_realistic_items() {
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "TikTok Shop sellers report record live shopping sessions ahead of Black Friday",
            "Sellers on TikTok Shop say live shopping sessions drew record audiences this weekend.\n\n\
             Brands moved budget from paid social into creator affiliate commissions, and several \
             said TikTok Shop now rivals their own web stores.\n\nRead more on our website.",
            &[
                "tiktok shop",
                "live shopping",
                "black friday",
                "creator affiliate commission",
            ],
            &["read more", "website", "ahead", "this weekend"],
        ),
        (
            "Is SEO dead in the age of Google AI Mode?",
            "Publishers tracking referrals from Google report steep drops since AI Mode expanded. \
             Zero-click search is not new, but AI Mode answers shopping queries directly.\n\n\
             The post Is SEO dead in the age of Google AI Mode? appeared first on Search Signal Weekly.",
            &["ai mode", "zero click search", "seo"],
            &["appeared first", "search signal weekly", "the age"],
        ),
        (
            "Google Analytics 4 migration: what agencies got wrong",
            "Agencies that rushed the Google Analytics 4 migration in 2024 are now rebuilding \
             conversion events. Visit https://example.com/ga4-guide for the checklist, published \
             on 12 November 2026.",
            &["google analytics 4", "conversion event"],
            &["2024", "2026", "12 november", "example", "ga4 guide"],
        ),
    ];
    for (title, body, want, reject) in cases {
        let keys = keys_of(title, body);
        for w in *want {
            assert!(
                keys.iter().any(|k| k == w),
                "{title}: missing {w:?} in {keys:?}"
            );
        }
        for r in *reject {
            assert!(
                !keys.iter().any(|k| k == r || k.contains(r)),
                "{title}: has {r:?} in {keys:?}"
            );
        }
    }
}
