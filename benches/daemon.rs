//! Black-box benchmark of the daemon, `tricorder run`, against a local HTTP server.
//!
//! Run with `cargo bench --bench daemon`. Linux only (it reads `/proc`).
//!
//! * `TRICORDER_BENCH_FEEDS` (default 2000): synthetic feeds, ~40 items each
//!   (the generator of `benches/poll.rs`), all served from one host,
//!   127.0.0.1, with ETag/Last-Modified and 304 when the validators match.
//! * `TRICORDER_BENCH_SECS` (default 600): length of the accelerated steady
//!   run (`interval`/`min_interval` 30 s, `max_interval` 60 s, concurrency and
//!   per-host limit 64). Every minute ~5 % of the feeds get a new item.
//! * `TRICORDER_BENCH_IDLE_SECS` (default 60): length of the idle sample
//!   (intervals 24 h), taken once the first round is over and the daemon's
//!   CPU counter has stopped moving for 5 s.
//! * `TRICORDER_BENCH_KEEP=1` keeps the work folders (config, state, log).
//!
//! The daemon runs as a grandchild (via a small helper process, as in
//! `benches/poll.rs`, so that `wait4` reports its own peak RSS and CPU time)
//! with `RUST_LOG=tricorder=warn`, its log going to a file.
//!
//! The daemon does its work in short-lived worker processes (`tricorder
//! worker JOB`, one at a time), so every figure counts them:
//! * CPU: once a second the benchmark reads the daemon's `/proc/<pid>/stat`,
//!   utime + stime + cutime + cstime (the last two are its workers that have
//!   ended and been waited for), plus utime + stime of the worker running at
//!   that moment. `wait4` at the end reports the same total (Linux's wait4
//!   includes the waited-for children of the reaped process).
//! * Peak RSS: the maximum of the daemon's and the workers' VmHWM as sampled,
//!   and of `wait4`'s ru_maxrss, which is the maximum over the daemon and
//!   every worker it waited for.
//! * RSS over time: the daemon's own VmRSS, and the running worker's.
//! * Idle RSS: the daemon's own VmRSS between rounds; no worker runs then
//!   (the output says how many idle samples saw one).
//! * Disk writes: the daemon's `/proc/<pid>/io` write_bytes, which includes
//!   its waited-for workers, plus the running worker's.
//!
//! Prints numbers only. Timings are never asserted; the process exits 1 only
//! if the daemon cannot be started.
#![cfg_attr(not(target_os = "linux"), allow(dead_code, unused_imports))]

#[path = "../tests/common/http.rs"]
mod http;

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use http::{Reply, TestServer};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

const DEFAULT_FEEDS: usize = 2000;
const DEFAULT_SECS: u64 = 600;
const DEFAULT_IDLE_SECS: u64 = 60;
const CONCURRENCY: usize = 64;
/// Share of the feeds that get a new item every minute of the steady run.
const CHANGE_PERCENT: usize = 5;
/// Requests further apart than this belong to different poll rounds.
const ROUND_GAP: Duration = Duration::from_secs(1);

// ---------------------------------------------------------------------------
// Deterministic text generation
// ---------------------------------------------------------------------------

#[path = "support/child.rs"]
mod child;
#[path = "support/text.rs"]
mod text;
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

struct Item {
    guid: String,
    title: String,
    link: String,
    date: DateTime<Utc>,
    body: String,
}

/// Feed `i` as served after `changes` (oldest first): each change put one new
/// item, dated at the change, on top, and the oldest item fell off, so the
/// item count stays as generated. Without changes this is the feed of
/// `benches/poll.rs`.
fn render_feed(i: usize, now: DateTime<Utc>, changes: &[DateTime<Utc>]) -> Vec<u8> {
    let mut rng = Rng::new(0x7a1c_0de5 ^ (i as u64).wrapping_mul(0x1000_0000_01b3));
    let format = Format::of(i);
    let site = format!("https://site{i}.example.com");
    let feed_title = format!("{} Weekly #{i}", capitalize(rng.pick(TOPICS)));
    let n_items = rng.range(36, 44);

    let mut offsets: Vec<i64> = (0..n_items)
        .map(|_| rng.below(35 * 86_400) as i64)
        .collect();
    offsets.sort_unstable(); // newest first
    let base: Vec<Item> = offsets
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
    let fresh = changes.iter().enumerate().rev().map(|(k, at)| {
        let mut rng = Rng::new(
            0x5eed_c4a6 ^ (i as u64).wrapping_mul(0x1000_0000_01b3) ^ ((k as u64 + 1) << 40),
        );
        let link = format!("{site}/posts/new-{k}");
        Item {
            guid: format!("urn:tricorder-bench:{i}:new-{k}"),
            title: title(&mut rng),
            body: html_body(&mut rng, &link),
            link,
            date: *at,
        }
    });
    let items: Vec<Item> = fresh.chain(base).take(n_items).collect();
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
    x.into_bytes()
}

/// One version of a feed, as the server hands it out.
struct Served {
    body: Vec<u8>,
    etag: String,
    last_modified: String,
    format: Format,
}

impl Served {
    fn new(i: usize, now: DateTime<Utc>, changes: &[DateTime<Utc>]) -> Served {
        let modified = changes.last().copied().unwrap_or(now - TimeDelta::hours(1));
        Served {
            body: render_feed(i, now, changes),
            etag: format!("\"v{}-{i}\"", changes.len()),
            last_modified: httpdate::fmt_http_date(modified.into()),
            format: Format::of(i),
        }
    }
}

struct Slot {
    changes: Vec<DateTime<Utc>>,
    served: Arc<Served>,
}

/// Every feed's current version.
struct Catalog {
    now: DateTime<Utc>,
    slots: Vec<Mutex<Slot>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Catalog {
    fn generate(n: usize, now: DateTime<Utc>) -> Catalog {
        let threads = std::thread::available_parallelism()
            .map(|p| p.get())
            .unwrap_or(1)
            .clamp(1, 16);
        let per = n.div_ceil(threads).max(1);
        let slots = std::thread::scope(|s| {
            let handles: Vec<_> = (0..n)
                .step_by(per)
                .map(|lo| {
                    let hi = (lo + per).min(n);
                    s.spawn(move || {
                        (lo..hi)
                            .map(|i| {
                                Mutex::new(Slot {
                                    changes: Vec::new(),
                                    served: Arc::new(Served::new(i, now, &[])),
                                })
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("generator thread"))
                .collect()
        });
        Catalog { now, slots }
    }

    fn len(&self) -> usize {
        self.slots.len()
    }

    fn get(&self, i: usize) -> Option<Arc<Served>> {
        self.slots.get(i).map(|s| Arc::clone(&lock(s).served))
    }

    fn bytes(&self) -> u64 {
        self.slots
            .iter()
            .map(|s| lock(s).served.body.len() as u64)
            .sum()
    }

    /// Gives feed `i` a new item dated `at` (and a new ETag and Last-Modified).
    fn change(&self, i: usize, at: DateTime<Utc>) {
        let mut changes = lock(&self.slots[i]).changes.clone();
        changes.push(at);
        let served = Arc::new(Served::new(i, self.now, &changes));
        let mut slot = lock(&self.slots[i]);
        slot.changes = changes;
        slot.served = served;
    }
}

// ---------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Default)]
struct Count {
    ok: u64,
    not_modified: u64,
    other: u64,
    bytes: u64,
}

impl Count {
    fn since(self, before: Count) -> Count {
        Count {
            ok: self.ok - before.ok,
            not_modified: self.not_modified - before.not_modified,
            other: self.other - before.other,
            bytes: self.bytes - before.bytes,
        }
    }

    fn total(self) -> u64 {
        self.ok + self.not_modified + self.other
    }
}

/// What the server answered, in totals and request by request.
#[derive(Default)]
struct ServerLog {
    ok: AtomicU64,
    not_modified: AtomicU64,
    other: AtomicU64,
    bytes: AtomicU64,
    /// (arrival, status) of every request.
    events: Mutex<Vec<(Instant, u16)>>,
}

impl ServerLog {
    fn count(&self) -> Count {
        Count {
            ok: self.ok.load(Ordering::SeqCst),
            not_modified: self.not_modified.load(Ordering::SeqCst),
            other: self.other.load(Ordering::SeqCst),
            bytes: self.bytes.load(Ordering::SeqCst),
        }
    }

    fn record(&self, status: u16, bytes: usize) {
        lock(&self.events).push((Instant::now(), status));
        let counter = match status {
            200 => &self.ok,
            304 => &self.not_modified,
            _ => &self.other,
        };
        counter.fetch_add(1, Ordering::SeqCst);
        self.bytes.fetch_add(bytes as u64, Ordering::SeqCst);
    }

    /// Request times in `from..=to`.
    fn times_between(&self, from: Instant, to: Instant) -> Vec<Instant> {
        lock(&self.events)
            .iter()
            .map(|(t, _)| *t)
            .filter(|t| *t >= from && *t <= to)
            .collect()
    }
}

fn start_server(catalog: Arc<Catalog>, log: Arc<ServerLog>) -> TestServer {
    TestServer::start(move |req| {
        let index = req
            .path_only()
            .strip_prefix("/feed/")
            .and_then(|rest| rest.strip_suffix(".xml"))
            .and_then(|n| n.parse::<usize>().ok());
        let Some(feed) = index.and_then(|i| catalog.get(i)) else {
            log.record(404, 0);
            return Reply::status(404);
        };
        let etag_match = req.header("if-none-match").is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == feed.etag || t.trim() == "*")
        });
        let date_match = req.header("if-modified-since") == Some(feed.last_modified.as_str());
        if etag_match || date_match {
            log.record(304, 0);
            return Reply::status(304)
                .with_header("ETag", feed.etag.clone())
                .with_header("Last-Modified", feed.last_modified.clone());
        }
        log.record(200, feed.body.len());
        Reply::Full {
            status: 200,
            headers: vec![
                ("Content-Type".into(), feed.format.content_type().into()),
                ("ETag".into(), feed.etag.clone()),
                ("Last-Modified".into(), feed.last_modified.clone()),
                ("Cache-Control".into(), "max-age=0".into()),
            ],
            body: feed.body.clone(),
        }
    })
}

/// Every minute from `start`, gives `per_minute` distinct random feeds a new
/// item, until `stop` is set. Returns the number of changes made.
fn spawn_changer(
    catalog: Arc<Catalog>,
    per_minute: usize,
    start: Instant,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        let mut rng = Rng::new(0x0c4a_69e5);
        let n = catalog.len();
        let mut made = 0;
        for minute in 1u32.. {
            let due = start + Duration::from_secs(60) * minute;
            while Instant::now() < due {
                if stop.load(Ordering::SeqCst) {
                    return made;
                }
                std::thread::sleep(Duration::from_millis(100).min(due - Instant::now()));
            }
            // A partial Fisher-Yates shuffle picks distinct feeds.
            let mut order: Vec<usize> = (0..n).collect();
            let now = Utc::now();
            for k in 0..per_minute.min(n) {
                let j = k + rng.below((n - k) as u64) as usize;
                order.swap(k, j);
                catalog.change(order[k], now);
                made += 1;
            }
        }
        made
    })
}

// ---------------------------------------------------------------------------
// The daemon process
// ---------------------------------------------------------------------------

use child::HELPER_ENV;

/// Helper mode: this executable re-run with [`HELPER_ENV`] set. It is small
/// (it generates nothing), so the daemon it spawns does not inherit a large
/// RSS high-water mark at `exec` (see `benches/poll.rs`). It writes the
/// daemon's pid to `<result>.pid`, waits for it with `wait4`, and writes
/// `wall_ns peak_rss_bytes raw_status cpu_seconds` to the result file.
/// It dies with the benchmark, and the daemon gets SIGTERM when it does.
#[cfg(target_os = "linux")]
fn helper_main(result_path: std::ffi::OsString) -> ! {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl with these arguments only sets a flag on this process.
    unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) };
    let mut args = std::env::args_os().skip(1);
    let program = args.next().expect("helper: program to run");
    let mut cmd = Command::new(&program);
    cmd.args(args);
    // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
            Ok(())
        });
    }
    let started = Instant::now();
    let child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cannot start {}: {e}", program.to_string_lossy());
            std::process::exit(1);
        }
    };
    let pid = child.id() as libc::pid_t;
    let pid_path = PathBuf::from(format!("{}.pid", result_path.to_string_lossy()));
    let tmp = pid_path.with_extension("tmp");
    std::fs::write(&tmp, pid.to_string()).expect("helper: write pid");
    std::fs::rename(&tmp, &pid_path).expect("helper: publish pid");

    let (status, usage) = child::wait4(child);
    let wall = started.elapsed();
    let secs = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    std::fs::write(
        &result_path,
        format!(
            "{} {} {status} {:.6}",
            wall.as_nanos(),
            usage.ru_maxrss.max(0) as u64 * 1024, // Linux reports KiB
            secs(usage.ru_utime) + secs(usage.ru_stime)
        ),
    )
    .expect("helper: write result");
    std::process::exit(0);
}

/// One look at the daemon and its running worker in /proc.
#[derive(Clone, Copy, Default)]
struct ProcSample {
    /// CPU time of the daemon and of all its workers so far, ended or
    /// running, in clock ticks.
    ticks: u64,
    /// The daemon's own.
    rss_kb: u64,
    hwm_kb: u64,
    threads: u64,
    /// The running workers' (0 when none runs): RSS summed, VmHWM the largest.
    worker_rss_kb: u64,
    worker_hwm_kb: u64,
    workers: u64,
    /// Bytes the daemon and its workers caused to be written to storage.
    write_bytes: Option<u64>,
    /// Context switches of all the threads of the daemon and its workers,
    /// as far as seen (a thread's last switches before it exits are missed).
    switches: u64,
}

fn status_field(status: &str, key: &str) -> Option<u64> {
    status
        .lines()
        .find(|l| l.starts_with(key))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// The fields of /proc/<pid>/stat after the command name, from field 3
/// (state) on: ppid is `[1]`, utime `[11]`, stime `[12]`, cutime `[13]`,
/// cstime `[14]`.
fn stat_fields(pid: libc::pid_t) -> Option<Vec<u64>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    // The state letter becomes 0; every other field is a number.
    Some(
        rest.split_whitespace()
            .map(|f| f.parse::<i64>().map_or(0, |n| n.max(0) as u64))
            .collect(),
    )
}

fn write_bytes(pid: libc::pid_t) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/io"))
        .ok()
        .and_then(|io| status_field(&io, "write_bytes:"))
}

/// The daemon's workers running now: its children, found by their parent
/// pid (the kernel's per-task `children` file is not always built in).
fn children(pid: libc::pid_t) -> Vec<libc::pid_t> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<libc::pid_t>().ok())
        .filter(|p| stat_fields(*p).is_some_and(|f| f.get(1) == Some(&(pid as u64))))
        .collect()
}

fn read_proc(pid: libc::pid_t) -> Option<ProcSample> {
    // The workers first: one that ends between the two reads is then
    // counted in neither (until the next sample) rather than in both.
    let workers = children(pid);
    let f = stat_fields(pid)?;
    let ticks = f.get(11)? + f.get(12)? + f.get(13)? + f.get(14)?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let mut sample = ProcSample {
        ticks,
        rss_kb: status_field(&status, "VmRSS:")?,
        hwm_kb: status_field(&status, "VmHWM:")?,
        threads: status_field(&status, "Threads:").unwrap_or(0),
        write_bytes: write_bytes(pid),
        ..Default::default()
    };
    for w in workers {
        let (Some(f), Ok(status)) = (
            stat_fields(w),
            std::fs::read_to_string(format!("/proc/{w}/status")),
        ) else {
            continue; // ended meanwhile: its time is in the daemon's cutime now
        };
        sample.ticks += f.get(11).unwrap_or(&0) + f.get(12).unwrap_or(&0);
        sample.worker_rss_kb += status_field(&status, "VmRSS:").unwrap_or(0);
        sample.worker_hwm_kb = sample
            .worker_hwm_kb
            .max(status_field(&status, "VmHWM:").unwrap_or(0));
        sample.workers += 1;
        if let (Some(a), Some(b)) = (sample.write_bytes, write_bytes(w)) {
            sample.write_bytes = Some(a + b);
        }
    }
    Some(sample)
}

/// Context switches so far of each thread of the daemon and its running
/// workers, by thread id.
fn task_switches(pid: libc::pid_t) -> Vec<(String, u64)> {
    std::iter::once(pid)
        .chain(children(pid))
        .flat_map(|p| {
            let Ok(tasks) = std::fs::read_dir(format!("/proc/{p}/task")) else {
                return Vec::new();
            };
            tasks
                .flatten()
                .filter_map(|task| {
                    let s = std::fs::read_to_string(task.path().join("status")).ok()?;
                    let n = status_field(&s, "voluntary_ctxt_switches:").unwrap_or(0)
                        + status_field(&s, "nonvoluntary_ctxt_switches:").unwrap_or(0);
                    Some((task.file_name().to_string_lossy().into_owned(), n))
                })
                .collect()
        })
        .collect()
}

/// How the daemon ended.
struct Stopped {
    /// From SIGTERM to the daemon being reaped.
    exit_after: Duration,
    status: Option<ExitStatus>,
    /// CPU time over the whole life of the daemon and its workers (wait4).
    cpu_s: Option<f64>,
    /// Peak RSS of the daemon or any of its workers (wait4), bytes.
    maxrss: Option<u64>,
    /// The largest VmHWM seen in /proc at the end, daemon's or worker's, KiB.
    last_hwm_kb: u64,
}

/// A running `tricorder --config <dir>/tricorder.toml run`.
struct Daemon {
    helper: Child,
    pid: libc::pid_t,
    result_path: PathBuf,
    log_path: PathBuf,
    started: Instant,
    reaped: bool,
    /// Context switches of each live thread at the last sample.
    tasks: std::collections::HashMap<String, u64>,
    switches: u64,
}

impl Daemon {
    fn start(bin: &str, dir: &Path) -> Daemon {
        let result_path = dir.join(".bench-run.result");
        let pid_path = dir.join(".bench-run.result.pid");
        let log_path = dir.join("daemon.log");
        let log = std::fs::File::create(&log_path).expect("create daemon.log");
        let helper = Command::new(std::env::current_exe().expect("current_exe"))
            .env(HELPER_ENV, &result_path)
            .env("RUST_LOG", "tricorder=warn")
            .arg(bin)
            .arg("--config")
            .arg(dir.join("tricorder.toml"))
            .arg("run")
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("spawn benchmark helper");
        let started = Instant::now();
        let mut daemon = Daemon {
            helper,
            pid: 0,
            result_path,
            log_path,
            started,
            reaped: false,
            tasks: Default::default(),
            switches: 0,
        };
        while started.elapsed() < Duration::from_secs(10) {
            if let Some(pid) = std::fs::read_to_string(&pid_path)
                .ok()
                .and_then(|s| s.trim().parse().ok())
            {
                daemon.pid = pid;
                return daemon;
            }
            if let Ok(Some(status)) = daemon.helper.try_wait() {
                daemon.reaped = true;
                eprintln!("the benchmark helper ended ({status}) before starting the daemon");
                eprintln!("{}", daemon.log_tail(40));
                std::process::exit(1);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        eprintln!("the daemon did not start within 10 s");
        std::process::exit(1);
    }

    fn sample(&mut self) -> Option<ProcSample> {
        let mut sample = read_proc(self.pid)?;
        // Threads come and go (tokio's blocking pool): add up each thread's
        // increments instead of summing the live threads' totals.
        let now = task_switches(self.pid);
        for (tid, n) in &now {
            let before = self.tasks.get(tid).copied().unwrap_or(0);
            self.switches += n.saturating_sub(before);
        }
        self.tasks = now.into_iter().collect();
        sample.switches = self.switches;
        Some(sample)
    }

    /// The daemon left early (it is never expected to).
    fn gone(&mut self) -> bool {
        matches!(self.helper.try_wait(), Ok(Some(_)))
    }

    fn log_tail(&self, lines: usize) -> String {
        let log = std::fs::read_to_string(&self.log_path).unwrap_or_default();
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// SIGTERM, then waits (up to two minutes, then SIGKILL) for it to exit.
    fn stop(&mut self) -> Stopped {
        use std::os::unix::process::ExitStatusExt;
        let mut last_hwm_kb = 0;
        let sent = Instant::now();
        // SAFETY: kill(2) with a pid of our own, not yet reaped, grandchild.
        unsafe { libc::kill(self.pid, libc::SIGTERM) };
        let mut killed = false;
        loop {
            if let Some(s) = read_proc(self.pid) {
                last_hwm_kb = last_hwm_kb.max(s.hwm_kb).max(s.worker_hwm_kb);
            }
            if let Ok(Some(_)) = self.helper.try_wait() {
                break;
            }
            if !killed && sent.elapsed() > Duration::from_secs(120) {
                // SAFETY: as above.
                unsafe { libc::kill(self.pid, libc::SIGKILL) };
                killed = true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let exit_after = sent.elapsed();
        self.reaped = true;
        let result = std::fs::read_to_string(&self.result_path).unwrap_or_default();
        let fields: Vec<f64> = result
            .split_whitespace()
            .filter_map(|f| f.parse().ok())
            .collect();
        match fields[..] {
            [_wall, peak, raw, cpu] => Stopped {
                exit_after,
                status: Some(ExitStatus::from_raw(raw as i32)),
                cpu_s: Some(cpu),
                maxrss: Some(peak as u64),
                last_hwm_kb,
            },
            _ => Stopped {
                exit_after,
                status: None,
                cpu_s: None,
                maxrss: None,
                last_hwm_kb,
            },
        }
    }

    /// Lines of its log that are not INFO/DEBUG (WARN, ERROR, anything
    /// else): how many of each, and the first few distinct ones.
    fn log_problems(&self) -> ([usize; 3], Vec<String>) {
        let log = std::fs::read_to_string(&self.log_path).unwrap_or_default();
        let mut counts = [0; 3];
        let mut shown: Vec<String> = Vec::new();
        for line in log.lines().filter(|l| !l.trim().is_empty()) {
            if line.contains(" INFO ") || line.contains(" DEBUG ") || line.contains(" TRACE ") {
                continue;
            }
            let kind = if line.contains(" WARN ") {
                0
            } else if line.contains(" ERROR ") {
                1
            } else {
                2
            };
            counts[kind] += 1;
            // Drop the timestamp so repeats compare equal.
            let text: String = line
                .split_once(' ')
                .map_or(line, |(_, r)| r)
                .trim()
                .chars()
                .take(220)
                .collect();
            if shown.len() < 5 && !shown.contains(&text) {
                shown.push(text);
            }
        }
        (counts, shown)
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if !self.reaped {
            // SAFETY: kill(2) on our own grandchild, not yet reaped (its
            // parent, the helper, has not exited).
            unsafe { libc::kill(self.pid, libc::SIGKILL) };
            let _ = self.helper.wait();
        }
    }
}

/// A look at the daemon and the server at one moment.
#[derive(Clone, Copy)]
struct Row {
    /// Seconds since the daemon was started.
    t: f64,
    at: Instant,
    proc: ProcSample,
    /// Server answers since the daemon was started.
    served: Count,
}

/// Samples once a second (at start + k s) until `until` returns true or the
/// daemon disappears. `until` sees every row so far.
fn sample_loop(
    daemon: &mut Daemon,
    log: &ServerLog,
    base: Count,
    rows: &mut Vec<Row>,
    mut until: impl FnMut(&[Row]) -> bool,
) -> bool {
    let mut k = rows.len() as u32;
    loop {
        k += 1;
        let due = daemon.started + Duration::from_secs(1) * k;
        let now = Instant::now();
        if due > now {
            std::thread::sleep(due - now);
        }
        let Some(proc) = daemon.sample() else {
            return false;
        };
        if daemon.gone() {
            return false;
        }
        let at = Instant::now();
        rows.push(Row {
            t: at.duration_since(daemon.started).as_secs_f64(),
            at,
            proc,
            served: log.count().since(base),
        });
        if until(rows) {
            return true;
        }
    }
}

fn died(phase: &str, daemon: &mut Daemon) -> ! {
    let stopped = daemon.stop();
    eprintln!(
        "\n{phase}: the daemon exited unexpectedly ({})",
        stopped
            .status
            .map(|s| s.to_string())
            .unwrap_or_else(|| "status unknown".into())
    );
    eprintln!(
        "--- daemon log (last 40 lines) ---\n{}",
        daemon.log_tail(40)
    );
    std::process::exit(1);
}

// ---------------------------------------------------------------------------
// Setup and statistics
// ---------------------------------------------------------------------------

fn write_workdir(dir: &Path, server: &TestServer, n: usize, poll: &str) {
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
    std::fs::write(dir.join("feeds.opml"), opml).expect("write feeds.opml");
    std::fs::write(
        dir.join("tricorder.toml"),
        format!(
            "data_dir = \"state\"\nfeeds_opml = \"feeds.opml\"\n\n\
             [poll]\n{poll}concurrency = {CONCURRENCY}\n\
             per_host = {CONCURRENCY}      # every synthetic feed lives on 127.0.0.1\n\
             timeout = \"30s\"\n\n\
             [digest]\nschedule = \"0 0 3 1 1 *\"    # 03:00 on 1 January: never, here\n\
             transport = \"outbox\"\nto = [\"bench@example.com\"]\n"
        ),
    )
    .expect("write tricorder.toml");
}

fn clk_tck() -> f64 {
    // SAFETY: sysconf has no preconditions.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as f64 } else { 100.0 }
}

/// CPU use between two rows, in percent of one core.
fn cpu_pct(a: &Row, b: &Row) -> f64 {
    let secs = b.t - a.t;
    if secs <= 0.0 {
        return 0.0;
    }
    (b.proc.ticks - a.proc.ticks) as f64 / clk_tck() / secs * 100.0
}

fn median(mut v: Vec<u64>) -> Option<u64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2
    })
}

const MB: f64 = 1_000_000.0;

fn mb(bytes: u64) -> f64 {
    bytes as f64 / MB
}

fn kb_mb(kb: u64) -> f64 {
    mb(kb * 1024)
}

/// Size of everything under `dir`, and the number of index segments in it.
fn dir_stats(dir: &Path) -> (u64, usize) {
    let mut bytes = 0;
    let mut segments = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(meta) = e.metadata() else { continue };
            if meta.is_dir() {
                stack.push(e.path());
            } else {
                bytes += meta.len();
                if e.path().extension().is_some_and(|x| x == "store") {
                    segments += 1;
                }
            }
        }
    }
    (bytes, segments)
}

/// Poll rounds as the server saw them: bursts of requests separated by
/// more than [`ROUND_GAP`], as (first request, last request, requests).
fn rounds(times: &[Instant]) -> Vec<(Instant, Instant, usize)> {
    let mut out: Vec<(Instant, Instant, usize)> = Vec::new();
    for t in times {
        match out.last_mut() {
            Some((_, last, count)) if t.duration_since(*last) <= ROUND_GAP => {
                *last = *t;
                *count += 1;
            }
            _ => out.push((*t, *t, 1)),
        }
    }
    out
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => match v.trim().parse::<u64>() {
            Ok(n) if n > 0 => n,
            _ => {
                eprintln!("{name} must be a positive integer, got {v:?}");
                std::process::exit(2);
            }
        },
        Err(_) => default,
    }
}

fn keep_or_drop(dir: tempfile::TempDir) {
    if std::env::var_os("TRICORDER_BENCH_KEEP").is_some() {
        println!("  kept {}", dir.keep().display());
    }
}

fn print_log_problems(daemon: &Daemon) {
    let ([warns, errors, other], shown) = daemon.log_problems();
    println!("  daemon log: {warns} WARN, {errors} ERROR, {other} other lines");
    for l in shown {
        println!("    | {l}");
    }
}

fn print_stopped(s: &Stopped) {
    println!(
        "  SIGTERM -> exit in {:.3} s, {}; CPU over its whole life {} s, peak RSS {} MB \
         (wait4: the daemon and the workers it waited for)",
        s.exit_after.as_secs_f64(),
        s.status
            .map(|s| s.to_string())
            .unwrap_or_else(|| "exit status unknown".into()),
        s.cpu_s
            .map(|c| format!("{c:.2}"))
            .unwrap_or_else(|| "?".into()),
        s.maxrss
            .map(|b| format!("{:.1}", mb(b)))
            .unwrap_or_else(|| "?".into()),
    );
}

// ---------------------------------------------------------------------------
// Phase 1: accelerated steady polling
// ---------------------------------------------------------------------------

struct Steady {
    cpu_total_s: Option<f64>,
    cpu_pct: Option<f64>,
    peak_rss: u64,
    steady_rss: Option<u64>,
    polls_per_s: Option<f64>,
}

fn steady_phase(
    bin: &str,
    n: usize,
    secs: u64,
    catalog: &Arc<Catalog>,
    server: &TestServer,
    log: &Arc<ServerLog>,
) -> Steady {
    let dir = tempfile::Builder::new()
        .prefix("tricorder-bench-daemon-steady-")
        .tempdir()
        .expect("create temp dir");
    write_workdir(
        dir.path(),
        server,
        n,
        "interval = \"30s\"\nmin_interval = \"30s\"\nmax_interval = \"60s\"\n",
    );
    let per_minute = (n * CHANGE_PERCENT).div_ceil(100);
    println!();
    println!(
        "phase 1: accelerated steady polling for {secs} s (interval 30 s, min 30 s, max 60 s; \
         {per_minute} feeds ({CHANGE_PERCENT} %) get a new item every minute)"
    );
    println!("  workdir {}", dir.path().display());

    let base = log.count();
    let mut daemon = Daemon::start(bin, dir.path());
    let stop_changes = Arc::new(AtomicBool::new(false));
    let changer = spawn_changer(
        Arc::clone(catalog),
        per_minute,
        daemon.started,
        Arc::clone(&stop_changes),
    );

    println!(
        "  {:>5}  {:>6}  {:>7}  {:>7}  {:>7}  {:>4}  {:>7}  {:>5}  {:>5}  {:>8}",
        "t s", "CPU %", "RSS MB", "wRSS MB", "HWM MB", "thr", "req/s", "200", "304", "write MB"
    );
    let mut rows: Vec<Row> = Vec::new();
    let mut reached: Option<f64> = None;
    let mut steady_from: Option<(usize, &'static str)> = None;
    let mut peak_kb = 0;
    let tck = clk_tck();
    let alive = sample_loop(&mut daemon, log, base, &mut rows, |rows| {
        let k = rows.len() - 1;
        let row = &rows[k];
        peak_kb = peak_kb.max(row.proc.hwm_kb).max(row.proc.worker_hwm_kb);
        if reached.is_none() && row.served.total() >= n as u64 {
            reached = Some(row.t);
        }
        if let (Some(r), None, true) = (reached, steady_from, k > 0) {
            let quiet = (row.proc.ticks - rows[k - 1].proc.ticks) as f64 / tck < 0.25;
            if quiet {
                steady_from = Some((k, "CPU below 25 % after the first round's requests"));
            } else if row.t - r >= 10.0 {
                steady_from = Some((k, "10 s after the first round's last request"));
            }
        }
        if k % 60 == 59 || row.t >= secs as f64 {
            let a = &rows[k.saturating_sub(60)];
            let d = row.served.since(a.served);
            let span = (row.t - a.t).max(1e-9);
            let written = match (a.proc.write_bytes, row.proc.write_bytes) {
                (Some(x), Some(y)) => format!("{:.1}", mb(y.saturating_sub(x))),
                _ => "?".into(),
            };
            println!(
                "  {:>5.0}  {:>6.1}  {:>7.1}  {:>7.1}  {:>7.1}  {:>4}  {:>7.1}  {:>5}  {:>5}  {:>8}",
                row.t,
                cpu_pct(a, row),
                kb_mb(row.proc.rss_kb),
                kb_mb(row.proc.worker_rss_kb),
                kb_mb(peak_kb),
                row.proc.threads,
                d.total() as f64 / span,
                d.ok,
                d.not_modified,
                written
            );
        }
        row.t >= secs as f64
    });
    if !alive {
        stop_changes.store(true, Ordering::SeqCst);
        died("phase 1", &mut daemon);
    }
    stop_changes.store(true, Ordering::SeqCst);
    let changes = changer.join().unwrap_or(0);
    let stopped = daemon.stop();
    let last = *rows.last().expect("at least one sample");

    println!(
        "  (CPU % = of one core over the last minute, daemon and workers; RSS = the daemon's own, \
         wRSS = the worker running at that second (0: none); HWM = the largest VmHWM so far of \
         the daemon or a worker; thr = the daemon's threads; req/s, 200, 304 = server answers \
         in that minute; write MB = /proc/<pid>/io write_bytes of the daemon and its workers)"
    );
    print_stopped(&stopped);
    let (disk, segments) = dir_stats(&dir.path().join("state"));
    println!(
        "  {changes} changes made; data folder {:.1} MB at the end, {segments} index segments",
        mb(disk)
    );
    print_log_problems(&daemon);

    let peak_kb = peak_kb.max(stopped.last_hwm_kb);
    let peak_rss = stopped.maxrss.unwrap_or(0).max(peak_kb * 1024);
    let first_round_s = reached;
    let mut result = Steady {
        cpu_total_s: stopped.cpu_s,
        cpu_pct: None,
        peak_rss,
        steady_rss: None,
        polls_per_s: None,
    };
    println!();
    match first_round_s {
        Some(t) => println!(
            "  first round: the server had answered all {n} feeds after {t:.0} s; \
             CPU to then {:.1} s",
            rows.iter()
                .find(|r| r.t >= t)
                .map_or(0.0, |r| r.proc.ticks as f64 / tck)
        ),
        None => println!("  first round: not finished within {secs} s"),
    }
    let Some((k0, why)) = steady_from.filter(|(k, _)| *k + 1 < rows.len()) else {
        println!("  steady part: not reached (run longer: TRICORDER_BENCH_SECS)");
        keep_or_drop(dir);
        return result;
    };
    let start = rows[k0];
    let span = last.t - start.t;
    let served = last.served.since(start.served);
    let cpu = cpu_pct(&start, &last);
    let mid = start.t + span / 2.0;
    let steady_rss = median(
        rows.iter()
            .filter(|r| r.t >= mid)
            .map(|r| (r.proc.rss_kb + r.proc.worker_rss_kb) * 1024)
            .collect(),
    );
    let steady_daemon_rss = median(
        rows.iter()
            .filter(|r| r.t >= mid)
            .map(|r| r.proc.rss_kb * 1024)
            .collect(),
    );
    let with_worker = rows
        .iter()
        .filter(|r| r.t >= mid && r.proc.workers > 0)
        .count();
    let second_half = rows.iter().filter(|r| r.t >= mid).count();
    let times = log.times_between(start.at, last.at);
    let mut bursts = rounds(&times);
    // The first and last bursts may be cut by the window.
    if bursts.len() > 2 {
        bursts = bursts[1..bursts.len() - 1].to_vec();
    }
    let sizes: Vec<usize> = bursts.iter().map(|b| b.2).collect();
    let per_round_mean = sizes.iter().sum::<usize>() as f64 / sizes.len().max(1) as f64;
    let per_round_median = median(sizes.iter().map(|s| *s as u64).collect()).unwrap_or(0);
    let (rmin, rmax) = (
        sizes.iter().min().copied().unwrap_or(0),
        sizes.iter().max().copied().unwrap_or(0),
    );
    let spacing = match (bursts.first(), bursts.last()) {
        (Some(f), Some(l)) if bursts.len() > 1 => {
            format!(
                "{:.1} s",
                l.0.duration_since(f.0).as_secs_f64() / (bursts.len() - 1) as f64
            )
        }
        _ => "n/a".into(),
    };
    let burst_ms = median(
        bursts
            .iter()
            .map(|b| b.1.duration_since(b.0).as_millis() as u64)
            .collect(),
    )
    .unwrap_or(0);
    let polls = served.total() as f64 / span;
    let share304 = served.not_modified as f64 / served.total().max(1) as f64 * 100.0;
    let switches = (last.proc.switches.saturating_sub(start.proc.switches)) as f64 / span;
    let written = match (start.proc.write_bytes, last.proc.write_bytes) {
        (Some(a), Some(b)) => format!("{:.1} MB/min", mb(b.saturating_sub(a)) / span * 60.0),
        _ => "n/a".into(),
    };
    println!(
        "  steady part: t = {:.0}..{:.0} s ({span:.0} s; starts at the first sample with {why})",
        start.t, last.t
    );
    println!(
        "    CPU                 {:.2} s = {cpu:.2} % of one core",
        (last.proc.ticks - start.proc.ticks) as f64 / tck
    );
    println!(
        "    polls               {} = {polls:.1} /s (200: {}, 304: {} = {share304:.1} %, other: {}); \
         {:.1} MB of feed bodies sent",
        served.total(),
        served.ok,
        served.not_modified,
        served.other,
        mb(served.bytes)
    );
    println!(
        "    rounds              {} whole ones seen by the server (bursts > {} s apart): \
         {per_round_mean:.1} feeds per round on average, median {per_round_median}, \
         {rmin}..{rmax}; one every {spacing}; median {burst_ms} ms from first to last request",
        sizes.len(),
        ROUND_GAP.as_secs_f64(),
    );
    println!(
        "    RSS                 median over the second half (t >= {mid:.0} s): daemon and \
         running worker {:.1} MB, daemon alone {:.1} MB (a worker ran in {with_worker} of \
         {second_half} samples); largest VmHWM of the daemon or a worker {:.1} MB",
        steady_rss.map_or(0.0, mb),
        steady_daemon_rss.map_or(0.0, mb),
        kb_mb(peak_kb)
    );
    println!(
        "    disk writes         {written}; context switches {switches:.0} /s (daemon and \
         workers); the daemon has {} threads at the end",
        last.proc.threads
    );
    result.cpu_pct = Some(cpu);
    result.steady_rss = steady_rss;
    result.polls_per_s = Some(polls);
    keep_or_drop(dir);
    result
}

// ---------------------------------------------------------------------------
// Phase 2: idle
// ---------------------------------------------------------------------------

struct Idle {
    rss: Option<u64>,
    cpu_pct: Option<f64>,
    /// CPU time of the daemon and its workers from the start until the
    /// first round was over (the CPU counter still for 5 s).
    first_round_cpu_s: Option<f64>,
}

fn idle_phase(
    bin: &str,
    n: usize,
    idle_secs: u64,
    server: &TestServer,
    log: &Arc<ServerLog>,
) -> Idle {
    let dir = tempfile::Builder::new()
        .prefix("tricorder-bench-daemon-idle-")
        .tempdir()
        .expect("create temp dir");
    write_workdir(
        dir.path(),
        server,
        n,
        "interval = \"24h\"\nmin_interval = \"24h\"\nmax_interval = \"24h\"\n",
    );
    println!();
    println!(
        "phase 2: idle (intervals 24 h): first round, then {idle_secs} s once the CPU counter \
         has not moved for 5 s"
    );
    println!("  workdir {}", dir.path().display());
    let base = log.count();
    let mut daemon = Daemon::start(bin, dir.path());
    let mut rows: Vec<Row> = Vec::new();
    let tck = clk_tck();
    // Up to 15 minutes for the first round, then up to 2 minutes to settle.
    let round_limit = 900.0;
    let settle_limit = 120.0;
    let mut reached: Option<f64> = None;
    let mut quiet_at: Option<(usize, bool)> = None;
    let alive = sample_loop(&mut daemon, log, base, &mut rows, |rows| {
        let k = rows.len() - 1;
        let row = &rows[k];
        if reached.is_none() && row.served.total() >= n as u64 {
            reached = Some(row.t);
        }
        match reached {
            None => row.t >= round_limit,
            Some(r) => {
                let still =
                    k >= 5 && rows[k - 5].proc.ticks == row.proc.ticks && rows[k - 5].t >= r;
                if still || row.t - r >= settle_limit {
                    quiet_at = Some((k, still));
                    true
                } else {
                    false
                }
            }
        }
    });
    if !alive {
        died("phase 2", &mut daemon);
    }
    let (Some(r), Some((k0, still))) = (reached, quiet_at) else {
        println!("  the first round did not finish within {round_limit:.0} s");
        let stopped = daemon.stop();
        print_stopped(&stopped);
        print_log_problems(&daemon);
        keep_or_drop(dir);
        return Idle {
            rss: None,
            cpu_pct: None,
            first_round_cpu_s: None,
        };
    };
    let settled = rows[k0];
    let round_peak_kb = rows[..=k0]
        .iter()
        .map(|r| r.proc.hwm_kb.max(r.proc.worker_hwm_kb))
        .max()
        .unwrap_or(0);
    println!(
        "  first round: server answered all {n} feeds after {r:.0} s; {} at {:.0} s; \
         CPU to then {:.1} s (daemon and workers), largest VmHWM {:.1} MB (daemon or worker, \
         as sampled)",
        if still {
            "CPU counter still for 5 s"
        } else {
            "CPU counter never still for 5 s; sampling anyway"
        },
        settled.t,
        settled.proc.ticks as f64 / tck,
        kb_mb(round_peak_kb)
    );
    let end_t = settled.t + idle_secs as f64;
    let alive = sample_loop(&mut daemon, log, base, &mut rows, |rows| {
        rows.last().is_some_and(|r| r.t >= end_t - 0.5)
    });
    if !alive {
        died("phase 2", &mut daemon);
    }
    let last = *rows.last().expect("samples");
    let stopped = daemon.stop();
    let window: Vec<Row> = rows[k0..].to_vec();
    let rss = median(window.iter().map(|r| r.proc.rss_kb * 1024).collect());
    let rss_min = window.iter().map(|r| r.proc.rss_kb).min().unwrap_or(0);
    let rss_max = window.iter().map(|r| r.proc.rss_kb).max().unwrap_or(0);
    let cpu = cpu_pct(&settled, &last);
    let span = last.t - settled.t;
    let requests = last.served.since(settled.served).total();
    let switches = (last.proc.switches.saturating_sub(settled.proc.switches)) as f64 / span;
    let with_worker = window.iter().filter(|r| r.proc.workers > 0).count();
    println!(
        "  idle for {span:.0} s: CPU {} ticks = {cpu:.3} % of one core (daemon and workers); \
         the daemon's own RSS median {:.1} MB ({:.1}..{:.1}); a worker ran in {with_worker} of \
         {} samples; {requests} requests; {switches:.1} context switches/s; {} threads",
        last.proc.ticks - settled.proc.ticks,
        rss.map_or(0.0, mb),
        kb_mb(rss_min),
        kb_mb(rss_max),
        window.len(),
        last.proc.threads
    );
    print_stopped(&stopped);
    let (disk, segments) = dir_stats(&dir.path().join("state"));
    println!(
        "  data folder {:.1} MB at the end, {segments} index segments",
        mb(disk)
    );
    print_log_problems(&daemon);
    keep_or_drop(dir);
    Idle {
        rss,
        cpu_pct: Some(cpu),
        first_round_cpu_s: Some(settled.proc.ticks as f64 / tck),
    }
}

// ---------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------

fn verdict(ok: bool) -> &'static str {
    if ok { "within target" } else { "OVER target" }
}

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map(|x| format!("{x:.digits$}"))
        .unwrap_or_else(|| "n/a".into())
}

#[cfg(not(target_os = "linux"))]
fn main() {
    println!("the daemon benchmark reads /proc and runs on Linux only");
}

#[cfg(target_os = "linux")]
fn main() {
    if let Some(result_path) = std::env::var_os(HELPER_ENV) {
        helper_main(result_path);
    }
    let n = env_number("TRICORDER_BENCH_FEEDS", DEFAULT_FEEDS as u64) as usize;
    let secs = env_number("TRICORDER_BENCH_SECS", DEFAULT_SECS);
    let idle_secs = env_number("TRICORDER_BENCH_IDLE_SECS", DEFAULT_IDLE_SECS);
    let bin = env!("CARGO_BIN_EXE_tricorder");
    let cores = std::thread::available_parallelism().map_or(0, |p| p.get());

    println!(
        "tricorder daemon benchmark ({n} feeds on one host, 127.0.0.1; concurrency = per_host = \
         {CONCURRENCY}; {cores} cores; clock tick {:.0} Hz)",
        clk_tck()
    );
    let gen_started = Instant::now();
    let now = Utc::now();
    let catalog = Arc::new(Catalog::generate(n, now));
    println!(
        "  generated {n} feeds (RSS 2.0, Atom, RSS 1.0 in turn; 36-44 items of 2-3 KB HTML each), \
         {:.1} MB in {:.2} s",
        mb(catalog.bytes()),
        gen_started.elapsed().as_secs_f64()
    );
    // Sanity-check the generator, changed feeds included (not a timing).
    for i in 0..n.min(3) {
        let changed = render_feed(i, now, &[now + TimeDelta::seconds(60)]);
        for (what, body) in [
            (
                "feed",
                catalog.get(i).map(|s| s.body.clone()).unwrap_or_default(),
            ),
            ("changed feed", changed),
        ] {
            if let Err(e) = feed_rs::parser::parse(body.as_slice()) {
                println!("  warning: feed-rs cannot parse generated {what} {i}: {e}");
            }
        }
    }
    let log = Arc::new(ServerLog::default());
    let server = start_server(Arc::clone(&catalog), Arc::clone(&log));
    println!("  server {}  binary {bin}", server.addr());

    let steady = steady_phase(bin, n, secs, &catalog, &server, &log);
    let idle = idle_phase(bin, n, idle_secs, &server, &log);

    println!();
    println!("targets (informational, not asserted; MB = 10^6 bytes):");
    match idle.rss {
        Some(b) => println!(
            "  idle RSS (median)              <= 30 MB   : {:>7.1} MB ({:.1} MiB)  {}",
            mb(b),
            b as f64 / 1_048_576.0,
            verdict(mb(b) <= 30.0)
        ),
        None => println!("  idle RSS (median)              <= 30 MB   :     n/a"),
    }
    match idle.cpu_pct {
        Some(c) => println!(
            "  idle CPU                       ~0 %       : {c:>7.3} %   {}",
            verdict(c <= 0.1)
        ),
        None => println!("  idle CPU                       ~0 %       :     n/a"),
    }
    match steady.cpu_pct {
        Some(c) => println!(
            "  steady polling CPU, {n:>5} feeds < 25 %      : {c:>7.2} %   {}",
            verdict(c < 25.0)
        ),
        None => println!("  steady polling CPU             < 25 %     :     n/a"),
    }
    println!("informational:");
    println!(
        "  steady polls/s                             : {:>7} /s",
        opt(steady.polls_per_s, 1)
    );
    println!(
        "  steady RSS (median, 2nd half, + worker)    : {:>7} MB",
        opt(steady.steady_rss.map(mb), 1)
    );
    println!(
        "  peak RSS (VmHWM / wait4, daemon or worker) : {:>7.1} MB",
        mb(steady.peak_rss)
    );
    println!(
        "  CPU of the whole steady run (wait4, + wkrs): {:>7} s",
        opt(steady.cpu_total_s, 1)
    );
    println!(
        "  first round CPU (idle phase, to CPU still) : {:>7} s",
        opt(idle.first_round_cpu_s, 1)
    );
    println!("  (idle RSS is the daemon's own: no worker runs between rounds)");
    println!("  (idle CPU counts as ~0 % up to 0.1 % of one core)");
    if n != DEFAULT_FEEDS {
        println!("  (targets are defined for {DEFAULT_FEEDS} feeds; this run used {n})");
    }
    drop(server);
}
