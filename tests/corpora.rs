//! Topic quality on hand-written and real multi-outlet corpora
//! (`tests/fixtures/corpora/*`, each with a `truth.toml`): the judged
//! behaviours of stories, trends and labels, measured and asserted.
//!
//! Run with `--nocapture` to see the measurements:
//! `cargo test --test corpora -- --nocapture`.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::feeds::{self, names};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Truth {
    as_of: String,
    window_days: u32,
    baseline_days: Option<u32>,
    event: Vec<Event>,
    story: Vec<Event>,
    surge: Vec<Surge>,
    burst: Vec<Named>,
    single: Vec<Named>,
    steady: Vec<Named>,
    faded: Vec<Named>,
    fragment: Vec<Named>,
    trap: Vec<Trap>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct Event {
    id: String,
    names: Vec<Vec<String>>,
    #[serde(rename = "type")]
    kind: Option<String>,
    feeds: usize,
    items: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Surge {
    phrase: String,
    names: Vec<Vec<String>>,
    feeds: usize,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Named {
    names: Vec<Vec<String>>,
    text: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Trap {
    name: String,
    events: Vec<String>,
}

fn tricorder(cfg: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("tricorder");
    c.arg("--config").arg(cfg).env_remove("RUST_LOG");
    c.timeout(Duration::from_secs(300));
    c
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

/// A lone common word: one word, not capitalised or an acronym as written.
fn lone_common_word(label: &str) -> bool {
    let ws: Vec<&str> = label.split_whitespace().collect();
    ws.len() == 1 && !ws[0].chars().next().is_some_and(char::is_uppercase)
}

struct Polled {
    _server: common::http::TestServer,
    _dir: tempfile::TempDir,
    cfg: PathBuf,
    truth: Truth,
}

fn poll(corpus: &str) -> Polled {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/corpora")
        .join(corpus);
    let text = std::fs::read_to_string(dir.join("truth.toml"))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let truth: Truth = toml::from_str(&text).unwrap_or_else(|e| panic!("{corpus}/truth.toml: {e}"));
    let files = feeds::feed_files(&dir);
    let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    let server = feeds::serve(files);
    let tmp = tempfile::tempdir().unwrap();
    let baseline = truth.baseline_days.unwrap_or(21);
    let extra = format!(
        "[analysis]\nwindow = \"{}d\"\nbaseline = \"{baseline}d\"\n",
        truth.window_days.max(1)
    );
    let cfg = feeds::config(tmp.path(), &server, &names, &extra);
    tricorder(&cfg).args(["poll", "--all"]).assert().success();
    Polled {
        _server: server,
        _dir: tmp,
        cfg,
        truth,
    }
}

/// What the analysis made of a corpus, printed for the closing notes.
struct Measured {
    labels: Vec<String>,
    topics: Vec<Value>,
    stories: Vec<Value>,
}

fn measure(p: &Polled) -> Measured {
    let as_of = p.truth.as_of.get(..10).unwrap_or(&p.truth.as_of).to_owned();
    let trends = json(&p.cfg, &["trends", "--as-of", &as_of, "--limit", "10"]);
    let topics = trends.as_array().unwrap().clone();
    let labels: Vec<String> = topics
        .iter()
        .map(|t| t["label"].as_str().unwrap().to_owned())
        .collect();
    for (i, t) in topics.iter().enumerate() {
        eprintln!(
            "  {:>2}. {} [{} · {}] score {} feeds {} :: {}",
            i + 1,
            t["label"].as_str().unwrap(),
            t["kind"].as_str().unwrap(),
            t["type"].as_str().unwrap(),
            t["score"],
            t["feeds"],
            t["headline"].as_str().unwrap_or("")
        );
    }
    let stories = json(
        &p.cfg,
        &[
            "stories",
            "--as-of",
            &as_of,
            "--limit",
            "200",
            "--min-feeds",
            "1",
        ],
    );
    Measured {
        labels,
        topics,
        stories: stories.as_array().unwrap().clone(),
    }
}

/// Story clustering against the truth's events: for each event, the share
/// of its items in its biggest story (completeness), and the share of that
/// story that belongs to the event (purity).
fn story_quality(
    m: &Measured,
    events: &[Event],
    guid_of_url: &HashMap<String, String>,
) -> (f64, f64, usize) {
    // Items per story, by guid (via url).
    let story_items: Vec<HashSet<String>> = m
        .stories
        .iter()
        .map(|s| {
            s["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|i| i["url"].as_str().and_then(|u| guid_of_url.get(u)).cloned())
                .collect()
        })
        .collect();
    let (mut comp, mut pur, mut n) = (0.0, 0.0, 0);
    let mut mixed = 0;
    let all_event_items: HashMap<&str, &str> = events
        .iter()
        .flat_map(|e| e.items.iter().map(move |g| (g.as_str(), e.id.as_str())))
        .collect();
    for e in events.iter().filter(|e| e.items.len() >= 2) {
        let set: HashSet<&str> = e.items.iter().map(String::as_str).collect();
        let Some(best) = story_items
            .iter()
            .max_by_key(|s| s.iter().filter(|g| set.contains(g.as_str())).count())
        else {
            continue;
        };
        let inside = best.iter().filter(|g| set.contains(g.as_str())).count();
        comp += inside as f64 / set.len() as f64;
        pur += inside as f64 / best.len().max(1) as f64;
        n += 1;
        // A story holding items of two events is a mix.
        let others: HashSet<&str> = best
            .iter()
            .filter_map(|g| all_event_items.get(g.as_str()).copied())
            .filter(|id| *id != e.id)
            .collect();
        if !others.is_empty() {
            mixed += 1;
            eprintln!("  mixed: {} with {:?}", e.id, others);
        }
    }
    let n = n.max(1) as f64;
    (comp / n, pur / n, mixed)
}

fn guids(corpus: &str) -> HashMap<String, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/corpora")
        .join(corpus);
    let mut out = HashMap::new();
    for (_, body) in feeds::feed_files(&dir) {
        let text = String::from_utf8_lossy(&body);
        for item in text.split("<item").skip(1) {
            let tag = |t: &str| {
                let open = format!("<{t}");
                let start = item.find(&open)?;
                let rest = &item[start..];
                let gt = rest.find('>')?;
                let end = rest.find(&format!("</{t}>"))?;
                Some(rest[gt + 1..end].trim().replace("&amp;", "&"))
            };
            if let (Some(link), Some(guid)) = (tag("link"), tag("guid")) {
                out.insert(link, guid);
            }
        }
    }
    out
}

#[test]
fn news_week_events_are_top_stories_under_names_a_reader_knows() {
    let p = poll("news-week");
    eprintln!("news-week:");
    let m = measure(&p);
    let several: Vec<&Event> = p.truth.event.iter().filter(|e| e.feeds >= 3).collect();
    let found: Vec<&&Event> = several
        .iter()
        .filter(|e| m.labels.iter().any(|l| names(l, &e.names)))
        .collect();
    let recall = found.len() as f64 / several.len().max(1) as f64;
    let lone = m.labels.iter().filter(|l| lone_common_word(l)).count();
    let (comp, pur, mixed) = story_quality(&m, &p.truth.event, &guids("news-week"));
    eprintln!(
        "  events in 3+ feeds named in the top 10: {}/{} ({:.0} %); lone common words: {lone}; story completeness {:.2}, purity {:.2}, mixed {mixed}",
        found.len(),
        several.len(),
        recall * 100.0,
        comp,
        pur
    );
    for e in &several {
        if !found.iter().any(|f| f.id == e.id) {
            eprintln!("  missed: {} ({} feeds)", e.id, e.feeds);
        }
    }
    for b in &p.truth.burst {
        assert!(
            !m.labels.iter().any(|l| names(l, &b.names)),
            "a one-feed burst trends: {:?}",
            m.labels
        );
    }
    assert!(recall >= 0.7, "{:?}", m.labels);
    assert!(lone <= 1, "{:?}", m.labels);
    assert_eq!(mixed, 0, "stories that share a name were mixed");
}

#[test]
fn trade_press_surges_rank_and_noise_does_not() {
    let p = poll("trade-press");
    eprintln!("trade-press:");
    let m = measure(&p);
    // This corpus also carries three real multi-feed stories (an
    // acquisition, a policy change, an executive's exit) that compete with
    // the planted themes, so a planted surge must be in the top 5 and above
    // every topic that is neither planted nor one of those stories; all
    // three in the top 3 is reported, not asserted.
    let mut top3 = 0;
    for s in &p.truth.surge {
        let alts = if s.names.is_empty() {
            vec![vec![s.phrase.clone()]]
        } else {
            s.names.clone()
        };
        let rank = m.labels.iter().position(|l| names(l, &alts));
        eprintln!(
            "  surge {:?} ({} feeds): rank {:?}",
            s.phrase,
            s.feeds,
            rank.map(|r| r + 1)
        );
        top3 += usize::from(rank.is_some_and(|r| r < 3));
        let r = rank.unwrap_or_else(|| panic!("{} is not in the top 10: {:?}", s.phrase, m.labels));
        assert!(r < 5, "{} should be in the top 5: {:?}", s.phrase, m.labels);
        for above in &m.labels[..r] {
            let known = p.truth.surge.iter().any(|x| names(above, &x.names))
                || p.truth.story.iter().any(|x| names(above, &x.names));
            assert!(known, "{above:?} outranks {}: {:?}", s.phrase, m.labels);
        }
    }
    eprintln!(
        "  planted surges in the top 3: {top3}/{}",
        p.truth.surge.len()
    );
    for (what, list) in [
        ("single-feed surge", &p.truth.single),
        ("steady topic", &p.truth.steady),
        ("faded topic", &p.truth.faded),
        ("template fragment", &p.truth.fragment),
    ] {
        for n in list {
            assert!(
                !m.labels.iter().any(|l| names(l, &n.names)),
                "a {what} ({:?}) is in the top 10: {:?}",
                n.text.as_deref().unwrap_or(""),
                m.labels
            );
        }
    }
    let stories: Vec<&Event> = p.truth.story.iter().collect();
    let found = stories
        .iter()
        .filter(|e| m.labels.iter().any(|l| names(l, &e.names)))
        .count();
    eprintln!(
        "  multi-feed stories named in the top 10: {found}/{}",
        stories.len()
    );
    let _ = &m.topics;
}

#[test]
fn stories_list_each_event_once_and_search_collapses_into_them() {
    let p = poll("news-week");
    let as_of = &p.truth.as_of[..10];
    let stories = json(&p.cfg, &["stories", "--as-of", as_of, "--limit", "5"]);
    let stories = stories.as_array().unwrap();
    assert_eq!(stories.len(), 5);
    for s in stories {
        for k in [
            "label",
            "type",
            "headline",
            "url",
            "feeds",
            "first_seen",
            "last_seen",
            "items",
        ] {
            assert!(!s[k].is_null(), "story without {k}: {s:#}");
        }
        assert!(s["feeds"].as_array().unwrap().len() >= 2, "{s:#}");
        for i in s["items"].as_array().unwrap() {
            for k in ["title", "url", "feed", "published"] {
                assert!(!i[k].is_null(), "story item without {k}");
            }
        }
    }
    // The Supreme Court ruling on Zipride: its reports, wire copies included,
    // come back as one story.
    let hits = json(&p.cfg, &["search", "zipride", "--by-story", "--limit", "3"]);
    let groups = hits.as_array().unwrap();
    let event = p
        .truth
        .event
        .iter()
        .find(|e| e.id == "zipride-ruling")
        .unwrap();
    let top = &groups[0];
    let hit_count = top["hits"].as_array().unwrap().len();
    assert!(
        hit_count >= event.items.len() - 2,
        "{hit_count} of the ruling's {} reports in its story: {groups:#?}",
        event.items.len()
    );
    assert!(top["feeds"].as_array().unwrap().len() >= 4, "{top:#}");
    assert!(
        names(top["label"].as_str().unwrap(), &event.names),
        "{top:#}"
    );
}
