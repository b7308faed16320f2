//! `tricorder topic` and `tricorder topics` on the hand-written corpora
//! (`tests/fixtures/corpora/*`, served over real HTTP on 127.0.0.1 and
//! polled into a real store and index): planted surges, their stories,
//! feeds and questions; the real news week's big story; links from the
//! other verbs; bad input.
//!
//! `cargo test --test topic -- --nocapture` prints what was found.

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
    surge: Vec<Planted>,
    story: Vec<Planted>,
    event: Vec<Planted>,
    question: Vec<Question>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct Planted {
    id: String,
    phrase: String,
    names: Vec<Vec<String>>,
    items: Vec<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct Question {
    guid: String,
    text: String,
    usable: bool,
}

struct Polled {
    _server: common::http::TestServer,
    _dir: tempfile::TempDir,
    cfg: PathBuf,
    truth: Truth,
    /// Item link -> guid, from the feed files.
    guid_of: HashMap<String, String>,
}

fn corpus_dir(corpus: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/corpora")
        .join(corpus)
}

fn poll(corpus: &str) -> Polled {
    poll_with(corpus, "")
}

/// Polls `corpus` with `more` appended to the config.
fn poll_with(corpus: &str, more: &str) -> Polled {
    let dir = corpus_dir(corpus);
    let text = std::fs::read_to_string(dir.join("truth.toml")).unwrap();
    let truth: Truth = toml::from_str(&text).unwrap();
    let files = feeds::feed_files(&dir);
    let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    let mut guid_of = HashMap::new();
    for (_, body) in &files {
        let text = String::from_utf8_lossy(body);
        for item in text.split("<item").skip(1) {
            let tag = |t: &str| {
                let start = item.find(&format!("<{t}"))?;
                let rest = &item[start..];
                let gt = rest.find('>')?;
                let end = rest.find(&format!("</{t}>"))?;
                Some(rest[gt + 1..end].trim().replace("&amp;", "&"))
            };
            if let (Some(link), Some(guid)) = (tag("link"), tag("guid")) {
                guid_of.insert(link, guid);
            }
        }
    }
    let server = feeds::serve(files);
    let tmp = tempfile::tempdir().unwrap();
    let extra = format!(
        "[analysis]\nwindow = \"{}d\"\nbaseline = \"{}d\"\n{more}",
        truth.window_days.max(1),
        truth.baseline_days.unwrap_or(21)
    );
    let cfg = feeds::config(tmp.path(), &server, &names, &extra);
    tricorder(&cfg).args(["poll", "--all"]).assert().success();
    Polled {
        _server: server,
        _dir: tmp,
        cfg,
        truth,
        guid_of,
    }
}

fn tricorder(cfg: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("tricorder");
    c.arg("--config").arg(cfg).env_remove("RUST_LOG");
    c.timeout(Duration::from_secs(300));
    c
}

fn run(cfg: &Path, args: &[&str]) -> std::process::Output {
    tricorder(cfg).args(args).output().unwrap()
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

fn as_of(p: &Polled) -> String {
    p.truth.as_of[..10].to_owned()
}

/// The feed a trade-press guid belongs to ("brand-desk-1012-041" -> "brand-desk").
fn feed_of_guid(guid: &str) -> String {
    let parts: Vec<&str> = guid.rsplitn(3, '-').collect();
    parts[2].to_owned()
}

fn str_list(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect()
}

/// The publication time (RFC 3339, UTC) of the first item of the corpus
/// whose title or description has `phrase` (a final "s" optional).
fn first_mention(dir: &Path, phrase: &str) -> String {
    let want = phrase.to_lowercase();
    let want = want.strip_suffix('s').unwrap_or(&want).to_owned();
    let mut first: Option<chrono::DateTime<chrono::Utc>> = None;
    for (_, body) in feeds::feed_files(dir) {
        let text = String::from_utf8_lossy(&body);
        for item in text.split("<item").skip(1) {
            let tag = |t: &str| {
                let start = item.find(&format!("<{t}"))?;
                let rest = &item[start..];
                let gt = rest.find('>')?;
                let end = rest.find(&format!("</{t}>"))?;
                Some(rest[gt + 1..end].to_owned())
            };
            let has = [tag("title"), tag("description")]
                .iter()
                .flatten()
                .any(|t| {
                    t.to_lowercase()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .contains(&want)
                });
            if !has {
                continue;
            }
            let date = chrono::DateTime::parse_from_rfc2822(tag("pubDate").unwrap().trim())
                .unwrap()
                .to_utc();
            first = Some(first.map_or(date, |f| f.min(date)));
        }
    }
    first
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[test]
fn topic_on_a_planted_surge_gives_its_week_stories_voices_and_questions() {
    let p = poll("trade-press");
    let as_of = as_of(&p);
    for s in &p.truth.surge {
        let r = json(
            &p.cfg,
            &["topic", &s.phrase, "--as-of", &as_of, "--since", "35d"],
        );
        // The shape.
        for key in [
            "query",
            "search",
            "since",
            "as_of",
            "data_from",
            "items",
            "bucket",
            "timeline",
            "sparkline",
            "first_seen",
            "last_seen",
            "peak",
            "now",
            "stories",
            "voices",
            "questions",
            "related",
            "suggestions",
        ] {
            assert!(r.get(key).is_some(), "{key} missing: {r}");
        }
        assert_eq!(r["bucket"], "week");
        let timeline = r["timeline"].as_array().unwrap();
        assert_eq!(timeline.len(), 5);
        for b in timeline {
            for key in ["start", "count", "total", "share"] {
                assert!(b.get(key).is_some(), "{key} missing in {b}");
            }
        }
        // The surge in the right week, nothing before its first planted mention.
        let mut planted: Vec<&str> = s.items.iter().map(String::as_str).collect();
        planted.sort_by_key(|g| &g[g.len() - 8..]);
        let first_day = &planted[0][planted[0].len() - 8..planted[0].len() - 4];
        eprintln!(
            "{}: {} items, peak {}, first {}; timeline {:?}",
            s.phrase,
            r["items"],
            r["peak"]["start"],
            r["first_seen"],
            timeline
                .iter()
                .map(|b| b["count"].as_u64().unwrap())
                .collect::<Vec<_>>()
        );
        assert_eq!(r["peak"]["start"], "2026-10-12", "{}", s.phrase);
        // The corpus may seed a phrase before its surge: its first mention
        // is the first item whose text has it, planted or not.
        let first_mention = first_mention(&corpus_dir("trade-press"), &s.phrase);
        let first_seen = r["first_seen"].as_str().unwrap();
        assert_eq!(first_seen, first_mention, "{}", s.phrase);
        assert!(*first_seen[5..10].replace("-", "") <= *first_day);
        for b in timeline {
            let start = b["start"].as_str().unwrap();
            let end = chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d").unwrap()
                + chrono::Duration::days(7);
            if end.to_string().as_str() <= &first_mention[..10] {
                assert_eq!(b["count"], 0, "{}: {b}", s.phrase);
            }
        }
        assert!(
            r["now"]["rising"].as_bool().unwrap(),
            "{}: {}",
            s.phrase,
            r["now"]
        );
        // The planted items are its stories.
        let story_guids: HashSet<String> = r["stories"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|st| st["items"].as_array().unwrap().clone())
            .filter_map(|i| p.guid_of.get(i["url"].as_str()?).cloned())
            .collect();
        let missing: Vec<&&str> = planted
            .iter()
            .filter(|g| !story_guids.contains(**g))
            .collect();
        assert!(
            missing.is_empty(),
            "{}: planted items not in its stories: {missing:?}",
            s.phrase
        );
        for st in r["stories"].as_array().unwrap() {
            for key in ["headline", "feeds", "first_seen", "last_seen", "items"] {
                assert!(st.get(key).is_some(), "{key} missing in {st}");
            }
        }
        // Newest first.
        let lasts: Vec<&str> = r["stories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|st| st["last_seen"].as_str().unwrap())
            .collect();
        assert!(lasts.windows(2).all(|w| w[0] >= w[1]), "{lasts:?}");
        // The planted feeds are its voices.
        let voices: Vec<String> = r["voices"]["feeds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap().to_owned())
            .collect();
        let planted_feeds: HashSet<String> = planted.iter().map(|g| feed_of_guid(g)).collect();
        for f in &planted_feeds {
            assert!(
                voices.contains(f),
                "{}: {f} not among voices {voices:?}",
                s.phrase
            );
        }
        // Its planted questions.
        let asked: Vec<String> = r["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["question"].as_str().unwrap().to_lowercase())
            .collect();
        let planted_set: HashSet<&str> = planted.iter().copied().collect();
        // The extractor misses a few question forms ("X: useful or
        // unfair?"); the report must carry what it found, nearly all.
        let wanted: Vec<&Question> = p
            .truth
            .question
            .iter()
            .filter(|q| q.usable && planted_set.contains(q.guid.as_str()))
            .collect();
        let missed: Vec<&str> = wanted
            .iter()
            .filter(|q| {
                let t = q.text.to_lowercase();
                !asked.contains(&t)
            })
            .map(|q| q.text.as_str())
            .collect();
        eprintln!(
            "  questions: {}/{} planted found; missed {missed:?}",
            wanted.len() - missed.len(),
            wanted.len()
        );
        assert!(
            missed.len() * 5 <= wanted.len(),
            "{}: {missed:?} missing from {asked:?}",
            s.phrase
        );
        for q in r["questions"].as_array().unwrap() {
            assert!(!q["sources"].as_array().unwrap().is_empty(), "{q}");
        }
        // Related phrases: more than chance, with support.
        for x in r["related"].as_array().unwrap() {
            assert!(x["together"].as_u64().unwrap() >= 3, "{x}");
            assert!(x["pmi"].as_f64().unwrap() > 0.0, "{x}");
            assert!(
                x["count"].as_u64().unwrap() >= x["together"].as_u64().unwrap(),
                "{x}"
            );
        }
    }
    // The text form shows each part.
    let out = run(
        &p.cfg,
        &[
            "topic",
            "synthetic focus groups",
            "--as-of",
            &as_of,
            "--since",
            "35d",
        ],
    );
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    eprintln!("{text}");
    for part in [
        "Timeline",
        "first seen",
        "peak",
        "Stories",
        "Voices",
        "Questions",
    ] {
        assert!(text.contains(part), "{part} missing:\n{text}");
    }
}

#[test]
fn topics_lists_each_planted_surge_once_and_keeps_what_it_computed() {
    let p = poll("trade-press");
    let as_of = as_of(&p);
    let first = run(
        &p.cfg,
        &["topics", "--as-of", &as_of, "--since", "35d", "--json"],
    );
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        String::from_utf8_lossy(&first.stderr).contains("not yet recorded"),
        "the first run computes the weeks and says so"
    );
    let again = run(
        &p.cfg,
        &["topics", "--as-of", &as_of, "--since", "35d", "--json"],
    );
    assert!(
        !String::from_utf8_lossy(&again.stderr).contains("not yet recorded"),
        "the second run reads what the first kept: {}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(
        first.stdout, again.stdout,
        "kept weeks give the same answer"
    );
    let rows: Value = serde_json::from_slice(&again.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    for r in rows {
        eprintln!(
            "  {} [{} · {}] {} to {} peak ×{:.1} {:?}",
            r["label"],
            r["kind"],
            r["type"],
            r["first_week"],
            r["last_week"],
            r["peak_growth"],
            r["weeks"]
        );
        for key in [
            "label",
            "key",
            "kind",
            "type",
            "weeks",
            "first_week",
            "last_week",
            "peak_growth",
            "digests",
            "phrases",
            "command",
        ] {
            assert!(r.get(key).is_some(), "{key} missing: {r}");
        }
        assert!(
            r["command"]
                .as_str()
                .unwrap()
                .starts_with("tricorder topic ")
        );
    }
    for s in &p.truth.surge {
        let alts = vec![s.phrase.split(' ').map(str::to_owned).collect::<Vec<_>>()];
        let found: Vec<&Value> = rows
            .iter()
            .filter(|r| {
                names(r["label"].as_str().unwrap(), &alts)
                    || names(r["label"].as_str().unwrap(), &s.names)
            })
            .collect();
        assert_eq!(found.len(), 1, "{} should be one row: {found:?}", s.phrase);
        assert_eq!(found[0]["first_week"], "2026-10-12", "{}", s.phrase);
        // Found again by any word of its label.
        for w in s.phrase.split(' ') {
            let hits = json(
                &p.cfg,
                &["topics", "--as-of", &as_of, "--since", "35d", "--query", w],
            );
            assert!(
                hits.as_array()
                    .unwrap()
                    .iter()
                    .any(|h| h["label"] == found[0]["label"]),
                "--query {w} misses {}",
                found[0]["label"]
            );
        }
    }
    // Mid-week, the open week counts too: its window ends at --as-of.
    let midweek = json(
        &p.cfg,
        &[
            "topics",
            "--as-of",
            "2026-10-16",
            "--since",
            "35d",
            "--query",
            "synthetic",
        ],
    );
    let midweek = midweek.as_array().unwrap();
    assert_eq!(midweek.len(), 1, "{midweek:?}");
    assert_eq!(midweek[0]["first_week"], "2026-10-12");
    // A query matching no topic lists none.
    let none = json(
        &p.cfg,
        &[
            "topics", "--as-of", &as_of, "--since", "35d", "--query", "zebra",
        ],
    );
    assert!(none.as_array().unwrap().is_empty());
}

#[test]
fn other_verbs_link_to_topics_and_search_restricts_to_one() {
    let p = poll("trade-press");
    let as_of = as_of(&p);
    let trends = run(&p.cfg, &["trends", "--as-of", &as_of]);
    let text = String::from_utf8_lossy(&trends.stdout);
    assert!(text.contains("more: tricorder topic "), "{text}");
    let stories = run(&p.cfg, &["stories", "--as-of", &as_of]);
    let text = String::from_utf8_lossy(&stories.stdout);
    assert!(text.contains("more: tricorder topic "), "{text}");
    for verb in ["trends", "stories"] {
        let listed = json(&p.cfg, &[verb, "--as-of", &as_of]);
        let listed = listed.as_array().unwrap();
        assert!(!listed.is_empty(), "{verb}");
        for t in listed {
            let label = t["label"].as_str().unwrap();
            if label.is_empty() {
                continue;
            }
            let command = t["command"].as_str().unwrap();
            assert!(command.starts_with("tricorder topic "), "{verb}: {command}");
            // The command works: it finds the topic's items.
            let args: Vec<&str> = vec!["topic", label, "--as-of", &as_of, "--since", "35d"];
            let r = json(&p.cfg, &args);
            assert!(
                r["items"].as_u64().unwrap() > 0,
                "{verb}: {command} finds nothing"
            );
        }
    }

    let report = json(
        &p.cfg,
        &[
            "topic",
            "agentic checkout",
            "--as-of",
            &as_of,
            "--since",
            "60d",
        ],
    );
    let scoped = json(
        &p.cfg,
        &["search", "--topic", "agentic checkout", "--limit", "500"],
    );
    assert_eq!(
        scoped.as_array().unwrap().len() as u64,
        report["items"].as_u64().unwrap(),
        "search --topic finds the topic's items"
    );
    // Words and a topic: only the topic's items with those words.
    let both = json(
        &p.cfg,
        &[
            "search",
            "--topic",
            "agentic checkout",
            "retail",
            "--limit",
            "500",
        ],
    );
    let all = json(&p.cfg, &["search", "retail", "--limit", "500"]);
    assert!(!both.as_array().unwrap().is_empty());
    assert!(both.as_array().unwrap().len() < all.as_array().unwrap().len());
    let titles: HashSet<&str> = scoped
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap())
        .collect();
    for h in both.as_array().unwrap() {
        assert!(titles.contains(h["title"].as_str().unwrap()), "{h}");
    }
}

#[test]
fn bad_input_is_explained() {
    let p = poll("trade-press");
    let as_of = as_of(&p);
    // Nothing matches: say so, and suggest the nearest.
    let out = run(
        &p.cfg,
        &["topic", "synthetic focus grops", "--as-of", &as_of],
    );
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("No items match \"synthetic focus grops\""),
        "{text}"
    );
    assert!(
        text.contains("Nearest topics and phrases:") && text.contains("synthetic focus group"),
        "{text}"
    );
    let j = json(
        &p.cfg,
        &["topic", "synthetic focus grops", "--as-of", &as_of],
    );
    assert_eq!(j["items"], 0);
    assert!(
        str_list(&j["suggestions"])
            .iter()
            .any(|s| s.contains("synthetic focus group")),
        "{j}"
    );
    // A syntax error is located, exit 2.
    let out = run(&p.cfg, &["topic", "title:(seo", "--as-of", &as_of]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad query") && err.contains("at character"),
        "{err}"
    );
    // A period before the data: when the data starts.
    let out = run(
        &p.cfg,
        &["topic", "synthetic focus groups", "--as-of", "2020-01-01"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the data starts on 2026-"), "{err}");
    let out = run(&p.cfg, &["topics", "--as-of", "2020-01-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the data starts on 2026-"));
    // A bad duration.
    let out = run(&p.cfg, &["topic", "x", "--since", "soon"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn news_week_big_story_names_its_sources_and_dates_and_is_found_by_any_word() {
    let p = poll("news-week");
    let as_of = as_of(&p);
    let rows = json(&p.cfg, &["topics", "--as-of", &as_of, "--since", "14d"]);
    let rows = rows.as_array().unwrap();
    let mut checked = 0;
    for e in p.truth.event.iter().take(3) {
        let Some(row) = rows
            .iter()
            .find(|r| names(r["label"].as_str().unwrap(), &e.names))
        else {
            eprintln!("{} not among the topics", e.id);
            continue;
        };
        let label = row["label"].as_str().unwrap();
        for w in label.split_whitespace().filter(|w| w.chars().count() >= 3) {
            let hits = json(
                &p.cfg,
                &["topics", "--as-of", &as_of, "--since", "14d", "--query", w],
            );
            assert!(
                hits.as_array().unwrap().iter().any(|h| h["label"] == label),
                "--query {w} misses {label}"
            );
        }
        let r = json(
            &p.cfg,
            &["topic", label, "--as-of", &as_of, "--since", "14d"],
        );
        // The event's items with their sources and dates.
        let mut found = 0;
        for st in r["stories"].as_array().unwrap() {
            for i in st["items"].as_array().unwrap() {
                let Some(g) = i["url"].as_str().and_then(|u| p.guid_of.get(u)) else {
                    continue;
                };
                if e.items.contains(g) {
                    found += 1;
                    // Dates as published: the guid carries the day.
                    let day = i["published"].as_str().unwrap()[..10].replace('-', "");
                    if let Some(d) = g.split('-').find(|x| x.len() == 8 && x.starts_with("2026")) {
                        assert_eq!(day, d, "{g}: {}", i["published"]);
                    }
                    assert!(
                        st["feeds"].as_array().unwrap().contains(&i["feed"]),
                        "{g}: its feed is among the story's sources"
                    );
                }
            }
        }
        let recall = found as f64 / e.items.len() as f64;
        eprintln!(
            "{} as {label:?}: {found}/{} of its items",
            e.id,
            e.items.len()
        );
        assert!(recall >= 0.7, "{}: {found}/{}", e.id, e.items.len());
        checked += 1;
    }
    assert!(
        checked >= 2,
        "the big stories should be among the topics: {rows:?}"
    );
}

#[test]
fn the_digest_names_each_topics_command_and_links_its_page_in_the_outbox() {
    let p = poll_with(
        "trade-press",
        "as_of = \"2026-10-18T23:59:59Z\"\n[digest]\ntimezone = \"UTC\"\nto = [\"reader@example.com\"]\n\
         from = \"tricorder <t@tricorder.test>\"\ntransport = \"outbox\"\n",
    );
    let out = run(&p.cfg, &["digest", "--send"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let outbox = p.cfg.parent().unwrap().join("state/outbox");
    let page = outbox.join("2026-10-18--topic.html");
    let page = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
    let eml = std::fs::read_to_string(outbox.join("2026-10-18--reader@example.com.eml")).unwrap();
    let html = std::fs::read_to_string(outbox.join("2026-10-18--reader@example.com.html")).unwrap();
    // Each topic of the digest: its command in the mail, a link to its
    // section of the page, and the section with its history.
    let preview = run(&p.cfg, &["digest", "--preview", "--format", "json"]);
    assert!(
        preview.status.success(),
        "{}",
        String::from_utf8_lossy(&preview.stderr)
    );
    let record: Value = serde_json::from_slice(&preview.stdout).unwrap();
    let topics = record["topics"].as_array().unwrap();
    assert!(!topics.is_empty());
    assert_eq!(
        record["topic_pages"].as_array().unwrap().len(),
        topics.len()
    );
    let plain = eml.replace("=\r\n", "").replace("=\n", "");
    for (i, t) in topics.iter().enumerate() {
        let label = t["label"].as_str().unwrap();
        let anchor = format!("topic-{}", i + 1);
        assert!(
            html.contains(&format!("href=\"2026-10-18--topic.html#{anchor}\"")),
            "{label}: no link to its page section"
        );
        assert!(
            page.contains(&format!("id=\"{anchor}\"")),
            "{label}: no section"
        );
        assert!(
            plain.contains("History: tricorder topic "),
            "no command in the text part"
        );
        let report = &record["topic_pages"][i];
        assert!(report["items"].as_u64().unwrap() > 0, "{label}: {report}");
        for v in report["voices"]["feeds"].as_array().unwrap().iter().take(3) {
            assert!(
                page.contains(v["name"].as_str().unwrap()),
                "{label}: voice {v} not on the page"
            );
        }
    }
    assert!(page.contains("Timeline") && page.contains("Voices"));
    // The planted surge is among them, with its history.
    assert!(
        topics.iter().any(|t| t["label"]
            .as_str()
            .unwrap()
            .contains("synthetic focus group")),
        "{topics:?}"
    );
    // The digest's topics are kept: `topics` names the digest that carried them.
    let rows = json(
        &p.cfg,
        &["topics", "--as-of", "2026-10-18", "--since", "14d"],
    );
    let carried: Vec<&Value> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| str_list(&r["digests"]).contains(&"2026-10-18".to_owned()))
        .collect();
    assert!(!carried.is_empty(), "{rows:?}");
}
