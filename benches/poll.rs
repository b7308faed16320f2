//! Black-box benchmark of `tricorder poll --all` against a local HTTP server.
//!
//! Run with `cargo bench --bench poll`; `TRICORDER_BENCH_FEEDS=N` sets the
//! number of synthetic feeds (default 2000, ~40 items each, ~230 MB total).
//! `TRICORDER_BENCH_KEEP=1` keeps the temporary directory for inspection, with
//! a copy of every served feed in `served/`.
//!
//! Prints numbers only. Timings are never asserted; the process exits 1 only
//! if the binary itself fails.

#[path = "../tests/common/http.rs"]
mod http;

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use http::{Reply, TestServer};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

const DEFAULT_FEEDS: usize = 2000;
const CONCURRENCY: usize = 64;

// ---------------------------------------------------------------------------
// Deterministic text generation
// ---------------------------------------------------------------------------

#[path = "support/child.rs"]
mod child;
#[path = "support/text.rs"]
mod text;
#[cfg(unix)]
use child::helper_main;
use child::{HELPER_ENV, Run, run_tricorder};
use text::*;

// ---------------------------------------------------------------------------
// Feeds
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Rss2,
    Atom,
    Rss1,
}

impl Format {
    fn of(i: usize) -> Format {
        match i % 3 {
            0 => Format::Rss2,
            1 => Format::Atom,
            _ => Format::Rss1,
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Rss2 => "application/rss+xml; charset=utf-8",
            Format::Atom => "application/atom+xml; charset=utf-8",
            Format::Rss1 => "application/rdf+xml; charset=utf-8",
        }
    }
}

struct Feed {
    body: Vec<u8>,
    items: usize,
    format: Format,
}

struct Item {
    guid: String,
    title: String,
    link: String,
    date: DateTime<Utc>,
    body: String,
}

fn generate_feed(i: usize, now: DateTime<Utc>) -> Feed {
    let mut rng = Rng::new(0x7a1c_0de5 ^ (i as u64).wrapping_mul(0x1000_0000_01b3));
    let format = Format::of(i);
    let site = format!("https://site{i}.example.com");
    let feed_title = format!("{} Weekly #{i}", capitalize(rng.pick(TOPICS)));
    let n_items = rng.range(36, 44);

    let mut offsets: Vec<i64> = (0..n_items)
        .map(|_| rng.below(35 * 86_400) as i64)
        .collect();
    offsets.sort_unstable(); // newest first
    let items: Vec<Item> = offsets
        .iter()
        .enumerate()
        .map(|(j, off)| {
            let link = format!("{site}/posts/{}-{j}", rng.below(1 << 32));
            Item {
                guid: format!("urn:tricorder-bench:{i}:{j}"),
                title: title(&mut rng),
                body: html_body(&mut rng, &link),
                link,
                date: now - TimeDelta::seconds(*off),
            }
        })
        .collect();
    let newest = items.first().map(|it| it.date).unwrap_or(now);

    let mut x = String::with_capacity(n_items * 3300);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    match format {
        Format::Rss2 => {
            // Half the RSS feeds carry the HTML in an entity-escaped
            // <description>, the other half in a CDATA <content:encoded>.
            let cdata = (i / 3) % 2 == 1;
            x.push_str(
                "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
                 xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n",
            );
            let _ = writeln!(
                x,
                "<title>{}</title>\n<link>{site}/</link>\n<description>News and analysis from site {i}</description>\n\
                 <language>en-us</language>\n<lastBuildDate>{}</lastBuildDate>",
                xml_escape(&feed_title),
                newest.to_rfc2822()
            );
            for it in &items {
                let _ = writeln!(
                    x,
                    "<item>\n<title>{}</title>\n<link>{}</link>\n<guid isPermaLink=\"false\">{}</guid>\n\
                     <pubDate>{}</pubDate>\n<dc:creator>Staff Writer {}</dc:creator>",
                    xml_escape(&it.title),
                    it.link,
                    it.guid,
                    it.date.to_rfc2822(),
                    i % 17
                );
                if cdata {
                    let _ = writeln!(
                        x,
                        "<description>{}</description>\n<content:encoded><![CDATA[{}]]></content:encoded>",
                        xml_escape(&summary(&it.body)),
                        it.body
                    );
                } else {
                    let _ = writeln!(x, "<description>{}</description>", xml_escape(&it.body));
                }
                x.push_str("</item>\n");
            }
            x.push_str("</channel>\n</rss>\n");
        }
        Format::Atom => {
            let _ = writeln!(
                x,
                "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{}</title>\n\
                 <id>urn:tricorder-bench:feed:{i}</id>\n<updated>{}</updated>\n\
                 <link rel=\"alternate\" href=\"{site}/\"/>\n<author><name>Site {i} Editors</name></author>",
                xml_escape(&feed_title),
                newest.to_rfc3339_opts(SecondsFormat::Secs, true)
            );
            for it in &items {
                let ts = it.date.to_rfc3339_opts(SecondsFormat::Secs, true);
                let _ = writeln!(
                    x,
                    "<entry>\n<title type=\"text\">{}</title>\n<id>{}</id>\n\
                     <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
                     <published>{ts}</published>\n<updated>{ts}</updated>\n\
                     <content type=\"html\">{}</content>\n</entry>",
                    xml_escape(&it.title),
                    it.guid,
                    it.link,
                    xml_escape(&it.body)
                );
            }
            x.push_str("</feed>\n");
        }
        Format::Rss1 => {
            let _ = writeln!(
                x,
                "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
                 xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n\
                 <channel rdf:about=\"{site}/\">\n<title>{}</title>\n<link>{site}/</link>\n\
                 <description>Site {i} in RDF</description>\n<dc:date>{}</dc:date>\n<items>\n<rdf:Seq>",
                xml_escape(&feed_title),
                newest.to_rfc3339_opts(SecondsFormat::Secs, true)
            );
            for it in &items {
                let _ = writeln!(x, "<rdf:li rdf:resource=\"{}\"/>", it.link);
            }
            x.push_str("</rdf:Seq>\n</items>\n</channel>\n");
            for it in &items {
                let _ = writeln!(
                    x,
                    "<item rdf:about=\"{}\">\n<title>{}</title>\n<link>{}</link>\n\
                     <description>{}</description>\n<dc:date>{}</dc:date>\n\
                     <dc:identifier>{}</dc:identifier>\n</item>",
                    it.link,
                    xml_escape(&it.title),
                    it.link,
                    xml_escape(&it.body),
                    it.date.to_rfc3339_opts(SecondsFormat::Secs, true),
                    it.guid
                );
            }
            x.push_str("</rdf:RDF>\n");
        }
    }
    Feed {
        body: x.into_bytes(),
        items: n_items,
        format,
    }
}

fn generate_feeds(n: usize, now: DateTime<Utc>) -> Vec<Feed> {
    let threads = std::thread::available_parallelism()
        .map(|p| p.get())
        .unwrap_or(1)
        .clamp(1, 16);
    let per = n.div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .step_by(per)
            .map(|lo| {
                let hi = (lo + per).min(n);
                s.spawn(move || (lo..hi).map(|i| generate_feed(i, now)).collect::<Vec<_>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("generator thread"))
            .collect()
    })
}

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

#[derive(Clone, Copy)]
struct Snapshot {
    ok: u64,
    not_modified: u64,
    other: u64,
    bytes: u64,
    items: u64,
}

impl Snapshot {
    fn since(self, before: Snapshot) -> Snapshot {
        Snapshot {
            ok: self.ok - before.ok,
            not_modified: self.not_modified - before.not_modified,
            other: self.other - before.other,
            bytes: self.bytes - before.bytes,
            items: self.items - before.items,
        }
    }
}

#[derive(Default)]
struct ServerStats {
    ok: AtomicU64,
    not_modified: AtomicU64,
    other: AtomicU64,
    bytes: AtomicU64,
    /// Items in the feeds answered with a full 200 body.
    items: AtomicU64,
}

impl ServerStats {
    fn snapshot(&self) -> Snapshot {
        Snapshot {
            ok: self.ok.load(Ordering::SeqCst),
            not_modified: self.not_modified.load(Ordering::SeqCst),
            other: self.other.load(Ordering::SeqCst),
            bytes: self.bytes.load(Ordering::SeqCst),
            items: self.items.load(Ordering::SeqCst),
        }
    }
}

fn start_server(
    feeds: Arc<Vec<Feed>>,
    last_modified: String,
    stats: Arc<ServerStats>,
) -> TestServer {
    TestServer::start(move |req| {
        let index = req
            .path_only()
            .strip_prefix("/feed/")
            .and_then(|rest| rest.strip_suffix(".xml"))
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|i| *i < feeds.len());
        let Some(i) = index else {
            stats.other.fetch_add(1, Ordering::Relaxed);
            return Reply::status(404);
        };
        let etag = format!("\"v1-{i}\"");
        let etag_match = req
            .header("if-none-match")
            .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
        let date_match = req.header("if-modified-since") == Some(last_modified.as_str());
        if etag_match || date_match {
            stats.not_modified.fetch_add(1, Ordering::Relaxed);
            return Reply::status(304)
                .with_header("ETag", etag)
                .with_header("Last-Modified", last_modified.clone());
        }
        let feed = &feeds[i];
        stats.ok.fetch_add(1, Ordering::Relaxed);
        if req.method != "HEAD" {
            stats
                .bytes
                .fetch_add(feed.body.len() as u64, Ordering::Relaxed);
            stats.items.fetch_add(feed.items as u64, Ordering::Relaxed);
        }
        Reply::Full {
            status: 200,
            headers: vec![
                ("Content-Type".into(), feed.format.content_type().into()),
                ("ETag".into(), etag),
                ("Last-Modified".into(), last_modified.clone()),
                ("Cache-Control".into(), "max-age=0".into()),
            ],
            body: feed.body.clone(),
        }
    })
}

// ---------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------

/// `tricorder poll --all --json` on the benchmark's config, measured.
fn run_poll(bin: &str, dir: &Path) -> Run {
    run_tricorder(
        bin,
        &dir.join("tricorder.toml"),
        &["poll", "--all", "--json"],
        dir,
    )
}

/// Prints why `phase` failed, removes the work dir (unless kept) and exits 1.
fn fail(phase: &str, run: &Run, dir: tempfile::TempDir) -> ! {
    eprintln!(
        "\n{phase}: tricorder exited with {} after {:.2} s",
        run.status,
        run.wall.as_secs_f64()
    );
    let lines: Vec<&str> = run.stderr.lines().collect();
    let tail = &lines[lines.len().saturating_sub(40)..];
    eprintln!("--- stderr (last {} lines) ---", tail.len());
    for l in tail {
        eprintln!("{l}");
    }
    if !run.stdout.trim().is_empty() {
        eprintln!("--- stdout ---\n{}", run.stdout.trim_end());
    }
    if std::env::var_os("TRICORDER_BENCH_KEEP").is_some() {
        eprintln!("kept {}", dir.keep().display());
    } else {
        drop(dir);
    }
    std::process::exit(1);
}

/// The JSON summary object: the whole of stdout, or failing that its last
/// line that parses as a JSON object.
fn summary_json(stdout: &str) -> Option<serde_json::Value> {
    let whole = serde_json::from_str::<serde_json::Value>(stdout.trim())
        .ok()
        .filter(|v| v.is_object());
    whole.or_else(|| {
        stdout
            .lines()
            .rev()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l.trim()).ok())
            .find(|v| v.is_object())
    })
}

fn count(json: &Option<serde_json::Value>, key: &str) -> String {
    json.as_ref()
        .and_then(|v| v.get(key))
        .and_then(|v| v.as_u64())
        .map(|n| n.to_string())
        .unwrap_or_else(|| "?".into())
}

// ---------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------

const MB: f64 = 1_000_000.0;

fn mb(bytes: u64) -> f64 {
    bytes as f64 / MB
}

fn rss_mb(r: Option<u64>) -> String {
    r.map(|b| format!("{:.1}", mb(b)))
        .unwrap_or_else(|| "n/a".into())
}

fn verdict(ok: bool) -> &'static str {
    if ok { "within target" } else { "OVER target" }
}

fn main() {
    #[cfg(unix)]
    if let Some(result_path) = std::env::var_os(HELPER_ENV) {
        helper_main(result_path);
    }
    let n: usize = match std::env::var("TRICORDER_BENCH_FEEDS") {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| {
            eprintln!("TRICORDER_BENCH_FEEDS must be a positive integer, got {v:?}");
            std::process::exit(2);
        }),
        Err(_) => DEFAULT_FEEDS,
    };
    if n == 0 {
        eprintln!("TRICORDER_BENCH_FEEDS must be at least 1");
        std::process::exit(2);
    }
    let bin = env!("CARGO_BIN_EXE_tricorder");

    println!("tricorder poll benchmark ({n} feeds, concurrency {CONCURRENCY})");
    let gen_started = Instant::now();
    let now = Utc::now();
    let feeds = Arc::new(generate_feeds(n, now));
    let total_items: usize = feeds.iter().map(|f| f.items).sum();
    let total_bytes: u64 = feeds.iter().map(|f| f.body.len() as u64).sum();
    let by_format = |fmt: Format| feeds.iter().filter(|f| f.format == fmt).count();
    println!(
        "  generated {} RSS 2.0 + {} Atom + {} RSS 1.0 feeds, {total_items} items, {:.1} MB in {:.2} s",
        by_format(Format::Rss2),
        by_format(Format::Atom),
        by_format(Format::Rss1),
        mb(total_bytes),
        gen_started.elapsed().as_secs_f64()
    );

    // Sanity-check the generator on one feed of each kind (not a timing).
    for i in 0..n.min(6) {
        let feed = &feeds[i];
        match feed_rs::parser::parse(feed.body.as_slice()) {
            Ok(parsed) => {
                let with_body = parsed
                    .entries
                    .iter()
                    .filter(|e| e.content.is_some() || e.summary.is_some())
                    .count();
                if parsed.entries.len() != feed.items || with_body != feed.items {
                    println!(
                        "  warning: feed-rs sees {} entries ({with_body} with a body) in feed {i}, generated {}",
                        parsed.entries.len(),
                        feed.items
                    );
                }
            }
            Err(e) => println!("  warning: feed-rs cannot parse generated feed {i}: {e}"),
        }
    }

    let last_modified = httpdate::fmt_http_date((now - TimeDelta::hours(1)).into());
    let stats = Arc::new(ServerStats::default());
    let server = start_server(Arc::clone(&feeds), last_modified, Arc::clone(&stats));

    let dir = tempfile::Builder::new()
        .prefix("tricorder-bench-")
        .tempdir()
        .expect("create temp dir");
    let mut opml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n\
         <head><title>tricorder benchmark feeds</title></head>\n<body>\n",
    );
    for i in 0..n {
        let _ = writeln!(
            opml,
            "  <outline type=\"rss\" text=\"Bench feed {i}\" title=\"Bench feed {i}\" \
             xmlUrl=\"{}\" htmlUrl=\"https://site{i}.example.com/\"/>",
            server.url(&format!("/feed/{i}.xml"))
        );
    }
    opml.push_str("</body>\n</opml>\n");
    std::fs::write(dir.path().join("feeds.opml"), opml).expect("write feeds.opml");
    std::fs::write(
        dir.path().join("tricorder.toml"),
        format!(
            "data_dir = \"state\"\nfeeds_opml = \"feeds.opml\"\n\n[poll]\nconcurrency = {CONCURRENCY}\n\
             per_host = {CONCURRENCY}      # every synthetic feed lives on 127.0.0.1\ntimeout = \"30s\"\n"
        ),
    )
    .expect("write tricorder.toml");
    println!(
        "  server {}  workdir {}",
        server.addr(),
        dir.path().display()
    );
    println!("  binary {bin}");

    // Run 1: everything is new.
    let before1 = stats.snapshot();
    let run1 = run_poll(bin, dir.path());
    let after1 = stats.snapshot();
    if !run1.status.success() {
        fail("run 1 (first poll)", &run1, dir);
    }
    let json1 = summary_json(&run1.stdout);

    // Run 2: nothing changed; every feed should answer 304.
    let run2 = run_poll(bin, dir.path());
    let after2 = stats.snapshot();
    if !run2.status.success() {
        fail("run 2 (re-poll)", &run2, dir);
    }
    let json2 = summary_json(&run2.stdout);

    // Side by side, when asked: the same feeds from the same server, read
    // by a Python script with requests + feedparser (8 threads).
    let python = std::env::var("TRICORDER_BENCH_PYTHON").ok().map(|python| {
        let urls: String = (0..n)
            .map(|i| server.url(&format!("/feed/{i}.xml")) + "\n")
            .collect();
        let list = dir.path().join("urls.txt");
        std::fs::write(&list, urls).expect("write urls.txt");
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/support/feedparser_poll.py");
        let out = std::process::Command::new(&python)
            .arg(&script)
            .arg(&list)
            .output()
            .expect("run the Python comparison");
        let line = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        let fields: Vec<f64> = line
            .split_whitespace()
            .filter_map(|f| f.parse().ok())
            .collect();
        match fields[..] {
            [secs, _, entries] if out.status.success() => Some((secs, entries as u64)),
            _ => {
                println!(
                    "  note: the Python comparison failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                        .lines()
                        .last()
                        .unwrap_or("")
                );
                None
            }
        }
    });

    let phase1 = after1.since(before1);
    let phase2 = after2.since(after1);
    let w1 = run1.wall.as_secs_f64();
    let w2 = run2.wall.as_secs_f64();

    println!();
    println!(
        "{:<8} {:>7} {:>6} {:>8} {:>8} {:>7} {:>7} {:>7} | {:>5} {:>5} {:>5} | {:>7} {:>7} {:>6} {:>7} {:>7}",
        "phase",
        "wall s",
        "cpu s",
        "feeds/s",
        "items/s",
        "MB",
        "MB/s",
        "RSS MB",
        "200",
        "304",
        "other",
        "fetched",
        "not_mod",
        "failed",
        "new",
        "updated"
    );
    for (name, run, json, phase) in [
        ("first", &run1, &json1, phase1),
        ("re-poll", &run2, &json2, phase2),
    ] {
        let wall = run.wall.as_secs_f64();
        println!(
            "{:<8} {:>7.2} {:>6} {:>8.0} {:>8.0} {:>7.1} {:>7.1} {:>7} | {:>5} {:>5} {:>5} | {:>7} {:>7} {:>6} {:>7} {:>7}",
            name,
            wall,
            run.cpu
                .map_or("n/a".to_owned(), |c| format!("{:.2}", c.as_secs_f64())),
            n as f64 / wall,
            phase.items as f64 / wall,
            mb(phase.bytes),
            mb(phase.bytes) / wall,
            rss_mb(run.peak_rss),
            phase.ok,
            phase.not_modified,
            phase.other,
            count(json, "fetched"),
            count(json, "not_modified"),
            count(json, "failed"),
            count(json, "new_items"),
            count(json, "updated_items"),
        );
    }
    println!(
        "  cpu = user + system time of the tricorder process (wait4 rusage); feeds/s = {n} feeds / wall; items/s and MB count what the server sent with 200 \
         ({total_items} items, {:.1} MB in all); MB = 10^6 bytes;",
        mb(total_bytes)
    );
    println!(
        "  RSS = peak resident set of that tricorder process alone (wait4 rusage), spawned from a \
         {} MB helper (a floor); 200/304/other = responses the server sent",
        rss_mb(run1.floor_rss)
    );
    for (name, json, run) in [("first", &json1, &run1), ("re-poll", &json2, &run2)] {
        if json.is_none() {
            let out = run.stdout.trim();
            let shown: String = out.chars().take(300).collect();
            println!("  note: {name} stdout was not a JSON object: {shown:?}");
        }
    }

    println!();
    println!("targets from the issue (informational, not asserted):");
    println!(
        "  first poll wall       <= 8 s     : {w1:>7.2} s   {}",
        verdict(w1 <= 8.0)
    );
    match run1.peak_rss {
        Some(b) => println!(
            "  first poll peak RSS   <= 150 MB  : {:>7.1} MB  {}",
            mb(b),
            verdict(mb(b) <= 150.0)
        ),
        None => println!("  first poll peak RSS   <= 150 MB  :     n/a"),
    }
    println!(
        "  unchanged re-poll     <= 0.25 s  : {w2:>7.2} s   {}",
        verdict(w2 <= 0.25)
    );
    match python.flatten() {
        Some((secs, entries)) => println!(
            "  first poll vs Python requests + feedparser, 8 threads ({secs:.2} s, {entries} entries): {:.1}x faster (target >= 5x)",
            secs / w1
        ),
        None => println!(
            "  (set TRICORDER_BENCH_PYTHON to a Python with feedparser and requests to compare side by side)"
        ),
    }
    if n != DEFAULT_FEEDS {
        println!("  (targets are defined for {DEFAULT_FEEDS} feeds; this run used {n})");
    }

    drop(server);
    if std::env::var_os("TRICORDER_BENCH_KEEP").is_some() {
        let served = dir.path().join("served");
        std::fs::create_dir_all(&served).expect("create served/");
        for (i, feed) in feeds.iter().enumerate() {
            std::fs::write(served.join(format!("{i}.xml")), &feed.body).expect("write feed copy");
        }
        let kept = dir.keep();
        println!("  kept {}", kept.display());
    }
}
