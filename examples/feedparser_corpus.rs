//! Measures tricorder's parser on Python feedparser's own test corpus.
//!
//! feedparser (BSD-2) ships about 2,200 small feeds with its source
//! distribution: `wellformed/`, `illformed/`, `encoding/`, `entities/`. This
//! runs `tricorder::parse::parse` over every one and reports, per folder, the
//! share that parses, any caught panics, and (with `--expect`) whether the
//! item count and item titles agree with what feedparser itself read.
//!
//! ```sh
//! pip download --no-deps --no-binary :all: feedparser -d /tmp/fp
//! tar xzf /tmp/fp/feedparser-*.tar.gz -C /tmp/fp
//! python3 -m venv /tmp/fpvenv && /tmp/fpvenv/bin/pip install /tmp/fp/feedparser-*.tar.gz
//! /tmp/fpvenv/bin/python examples/feedparser_expect.py /tmp/fp/feedparser-*/tests > /tmp/fp/expect.jsonl
//! cargo run --release --example feedparser_corpus -- /tmp/fp/feedparser-*/tests --expect /tmp/fp/expect.jsonl [-v]
//! ```
//!
//! `-v` lists every file that fails or disagrees; `--dump` prints what was
//! read from each file. Microsoft CDF
//! (`wellformed/cdf`) is reported but left out of the well-formed share:
//! tricorder does not read CDF.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::Utc;
use url::Url;

#[derive(Default)]
struct Tally {
    files: usize,
    parsed: usize,
    panics: usize,
    with_items: usize,
    count_agrees: usize,
    titles_agree: usize,
}

struct Expect {
    titles: Vec<Option<String>>,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut root = None;
    let mut expect_path = None;
    let mut verbose = false;
    let mut dump = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--expect" => expect_path = args.next(),
            "-v" | "--verbose" => verbose = true,
            "--dump" => dump = true,
            _ => root = Some(PathBuf::from(a)),
        }
    }
    let Some(root) = root else {
        eprintln!("usage: feedparser_corpus TESTS_DIR [--expect expect.jsonl] [-v] [--dump]");
        std::process::exit(2);
    };
    let expect = expect_path
        .map(|p| load_expect(Path::new(&p)))
        .unwrap_or_default();

    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();

    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let now = Utc::now();
    for path in &files {
        let rel = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned();
        let top = rel.split('/').next().unwrap_or("").to_owned();
        let group = if rel.starts_with("wellformed/cdf/") {
            "wellformed/cdf (not read)".to_owned()
        } else {
            top
        };
        let bytes = std::fs::read(path).expect("readable corpus file");
        let charset = header_charset(&bytes);
        let url = Url::parse(&format!("http://127.0.0.1:8097/tests/{rel}")).expect("valid url");
        let t = tallies.entry(group).or_default();
        t.files += 1;
        // Agreement is out of every file where feedparser found items,
        // including those we fail to parse.
        let exp = expect.get(&rel).filter(|e| !e.titles.is_empty());
        if exp.is_some() {
            t.with_items += 1;
        }
        let result = tricorder::parse::parse(&bytes, charset.as_deref(), &url, now);
        let feed = match result {
            Ok(f) => {
                t.parsed += 1;
                f
            }
            Err(e) => {
                if matches!(e, tricorder::parse::ParseError::Crashed(_)) {
                    t.panics += 1;
                }
                if verbose {
                    println!("FAIL  {rel}: {e}");
                }
                continue;
            }
        };
        if dump {
            println!("{rel}: {} items, title {:?}", feed.items.len(), feed.title);
            for i in &feed.items {
                println!("  {:?} | {:?}", i.title, i.body);
            }
        }
        let Some(exp) = exp else { continue };
        if feed.items.len() != exp.titles.len() {
            if verbose {
                println!(
                    "COUNT {rel}: {} items, feedparser {}",
                    feed.items.len(),
                    exp.titles.len()
                );
            }
            continue;
        }
        t.count_agrees += 1;
        let mismatch = feed.items.iter().zip(&exp.titles).find(|(item, want)| {
            want.as_deref().is_some_and(|w| {
                !w.is_empty()
                    && collapse(&item.title) != *w
                    && strip_tags(&item.title) != strip_tags(w)
            })
        });
        match mismatch {
            None => t.titles_agree += 1,
            Some((item, want)) => {
                if verbose {
                    println!("TITLE {rel}: {:?}, feedparser {:?}", item.title, want);
                }
            }
        }
    }

    println!(
        "{:<28} {:>6} {:>7} {:>7} {:>7} {:>10} {:>11} {:>11}",
        "folder", "files", "parsed", "share", "panics", "with items", "count agree", "titles agree"
    );
    for (group, t) in &tallies {
        println!(
            "{:<28} {:>6} {:>7} {:>6.1}% {:>7} {:>10} {:>11} {:>11}",
            group,
            t.files,
            t.parsed,
            pct(t.parsed, t.files),
            t.panics,
            t.with_items,
            t.count_agrees,
            t.titles_agree
        );
    }
    if let Some(w) = tallies.get("wellformed") {
        println!(
            "well-formed without CDF: {}/{} parsed ({:.1}%); of {} with items, {} agree on count ({:.1}%), {} also on titles ({:.1}%)",
            w.parsed,
            w.files,
            pct(w.parsed, w.files),
            w.with_items,
            w.count_agrees,
            pct(w.count_agrees, w.with_items),
            w.titles_agree,
            pct(w.titles_agree, w.with_items),
        );
    }
    let panics: usize = tallies.values().map(|t| t.panics).sum();
    println!("caught panics: {panics}");
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

/// feedparser gives titles as HTML and the expectations strip its tags; a
/// plain-text title that mentions `<blink>` then differs only by that.
fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    collapse(&out)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "xml") {
            out.push(p);
        }
    }
}

/// feedparser's test files state their HTTP headers in a leading comment
/// (`Header: Content-type: text/xml; charset=utf-16`); the charset is the
/// hint a real fetch would have passed.
fn header_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2000)]);
    head.lines()
        .filter_map(|l| l.trim().strip_prefix("Header:"))
        .filter_map(|h| {
            let (name, value) = h.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-type")
                .then(|| value.to_owned())
        })
        .find_map(|v| {
            let at = v.to_ascii_lowercase().find("charset=")?;
            Some(
                v[at + 8..]
                    .trim()
                    .trim_matches(['"', '\''])
                    .split(';')
                    .next()?
                    .trim()
                    .to_owned(),
            )
        })
}

fn load_expect(path: &Path) -> HashMap<String, Expect> {
    let text = std::fs::read_to_string(path).expect("readable expectations");
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let path = v.get("path")?.as_str()?.to_owned();
            let titles = v
                .get("titles")?
                .as_array()?
                .iter()
                .map(|t| t.as_str().map(str::to_owned))
                .collect();
            Some((path, Expect { titles }))
        })
        .collect()
}
