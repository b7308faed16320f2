//! The daemon as an operator runs it: the real binary as a subprocess, real
//! HTTP feeds and a real SMTP server on 127.0.0.1, real signals.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::http::{Reply, Request, TestServer};
use common::smtp::SmtpServer;
use serde_json::Value;
use tricorder::index::{SearchIndex, duplicates};
use tricorder::store::Store;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_tricorder")
}

/// A running `tricorder run`, its log going to a file.
struct Daemon {
    child: Option<Child>,
    log: PathBuf,
}

impl Daemon {
    fn start(cfg: &Path) -> Daemon {
        let log = cfg.with_extension(format!("{}.log", fastrand_u32()));
        let child = Command::new(bin())
            .arg("--config")
            .arg(cfg)
            .arg("run")
            .env("RUST_LOG", "tricorder=info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        Daemon {
            child: Some(child),
            log,
        }
    }

    fn pid(&self) -> i32 {
        self.child.as_ref().unwrap().id() as i32
    }

    fn signal(&self, sig: i32) {
        unsafe { libc::kill(self.pid(), sig) };
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits for the log to contain `needle`.
    fn wait_log(&self, needle: &str, timeout: Duration) -> bool {
        wait_until(timeout, || self.log().contains(needle))
    }

    fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let start = Instant::now();
        let child = self.child.as_mut()?;
        while start.elapsed() < timeout {
            if let Some(s) = child.try_wait().unwrap() {
                self.child = None;
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// The daemon's workers running now.
    fn workers(&self) -> Vec<i32> {
        children(self.pid())
    }
}

/// Peak resident memory of a process (VmHWM), MiB; 0 if it is gone.
fn peak_rss_mib(pid: i32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0)
        / 1024
}

/// `(ppid, state)` of a process from /proc/<pid>/stat.
fn proc_stat(pid: i32) -> Option<(i32, char)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name, in parentheses, may contain spaces.
    let mut rest = stat[stat.rfind(')')? + 1..].split_whitespace();
    let state = rest.next()?.chars().next()?;
    let ppid = rest.next()?.parse().ok()?;
    Some((ppid, state))
}

/// Living processes whose parent is `pid` (/proc lists them all; the
/// kernel's per-task `children` file is not always built in).
fn children(pid: i32) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|p| matches!(proc_stat(*p), Some((ppid, state)) if ppid == pid && state != 'Z'))
        .collect()
}

/// A process that exists and is not a zombie.
fn alive(pid: i32) -> bool {
    proc_stat(pid).is_some_and(|(_, state)| state != 'Z')
}

/// Living processes whose command line mentions `needle`.
fn processes_mentioning(needle: &str) -> Vec<(i32, String)> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|p| alive(*p))
        .filter_map(|p| {
            let raw = std::fs::read(format!("/proc/{p}/cmdline")).ok()?;
            let cmd = String::from_utf8_lossy(&raw).replace('\0', " ");
            cmd.contains(needle).then_some((p, cmd))
        })
        .collect()
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.kill9();
    }
}

fn fastrand_u32() -> u32 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    t ^ std::process::id()
}

fn wait_until(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    f()
}

fn cli(cfg: &Path, args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .arg("--config")
        .arg(cfg)
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

fn status(cfg: &Path) -> Value {
    let out = cli(cfg, &["status", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// An RSS feed of `n` items published in the last hours, with guids `{tag}-{i}`.
fn recent_rss(tag: &str, n: usize, words: &str) -> String {
    let now = chrono::Utc::now();
    let mut s =
        String::from(r#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>"#);
    for i in 0..n {
        let t = now - chrono::Duration::minutes(10 * i as i64 + 1);
        s.push_str(&format!(
            "<item><guid>{tag}-{i}</guid><title>{words} story {i} from {tag}</title><link>https://{tag}.example/{i}</link>\
             <pubDate>{}</pubDate><description>{words} is the talk of {tag}.</description></item>",
            t.to_rfc2822()
        ));
    }
    s + "</channel></rss>"
}

struct Setup {
    dir: tempfile::TempDir,
    cfg: PathBuf,
}

/// Writes a daemon config: feeds, a digest every `every` seconds, fast polling.
fn setup(feeds: &[String], smtp_port: Option<u16>, every_secs: u32, extra: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("tricorder.toml");
    write_config(&cfg, feeds, smtp_port, every_secs, extra);
    Setup { dir, cfg }
}

fn write_config(
    cfg: &Path,
    feeds: &[String],
    smtp_port: Option<u16>,
    every_secs: u32,
    extra: &str,
) {
    let mut s = String::from("data_dir = \"state\"\n");
    for f in feeds {
        s.push_str(&format!("[[feeds]]\nurl = \"{f}\"\n"));
    }
    s.push_str("[poll]\ninterval = \"1s\"\nmin_interval = \"1s\"\nmax_interval = \"2s\"\ntimeout = \"3s\"\n");
    s.push_str(&format!(
        "[digest]\nschedule = \"*/{every_secs} * * * * *\"\ntimezone = \"UTC\"\nto = [\"ops@example.com\"]\nretry = \"1s\"\nfrom = \"tricorder <t@tricorder.test>\"\n"
    ));
    match smtp_port {
        Some(p) => s.push_str(&format!(
            "[smtp]\nhost = \"127.0.0.1\"\nport = {p}\nsecurity = \"none\"\ntimeout = \"3s\"\n"
        )),
        None => s.push_str("transport = \"outbox\"\n"),
    }
    s.push_str(extra);
    std::fs::write(cfg, s).unwrap();
}

fn assert_consistent(state: &Path) -> usize {
    let store = Store::open(state).unwrap();
    let index = SearchIndex::open(state, &store).unwrap();
    let ids = index.all_ids().unwrap();
    assert!(
        duplicates(&ids).is_empty(),
        "items indexed twice: {:?}",
        duplicates(&ids)
    );
    assert_eq!(
        ids,
        store.all_item_ids().unwrap(),
        "index and database disagree"
    );
    assert_eq!(store.quick_check().unwrap(), "ok");
    ids.len()
}

fn feed_server(counter: Arc<AtomicUsize>) -> TestServer {
    TestServer::start(move |req: &Request| {
        let path = req.path_only().trim_start_matches('/').to_owned();
        let n = counter.fetch_add(1, Ordering::SeqCst);
        // Each poll sees one more item than the last: the feed keeps updating.
        Reply::ok(recent_rss(&path, 3 + n % 50, "Zebra pricing"))
    })
}

#[test]
fn end_to_end_polls_indexes_and_delivers_one_digest_per_period() {
    let hits = Arc::new(AtomicUsize::new(0));
    let server = feed_server(hits.clone());
    let mail = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(mail.path(), None);
    let feeds: Vec<String> = (0..4).map(|i| server.url(&format!("/feed{i}"))).collect();
    let s = setup(&feeds, Some(smtp.port), 2, "");
    let mut d = Daemon::start(&s.cfg);

    assert!(
        wait_until(Duration::from_secs(60), || !smtp.messages().is_empty()),
        "no digest arrived:\n{}",
        d.log()
    );
    // Several more schedule ticks in the same period: still one message.
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(smtp.messages().len(), 1, "{}", d.log());
    assert_eq!(smtp.messages()[0].rcpt_tos, vec!["ops@example.com"]);

    // Another process searches while the daemon runs, and finds polled items.
    let out = cli(&s.cfg, &["search", "zebra", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hits_json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!hits_json.as_array().unwrap().is_empty());
    // status says the daemon runs and when the next digest is due.
    let st = status(&s.cfg);
    assert_eq!(st["daemon_running"], true);
    assert_eq!(st["writer_pid"], d.pid());
    assert!(st["next_digest"].is_string());
    assert_eq!(st["last_digest"]["status"], "sent");

    d.signal(libc::SIGTERM);
    let exit = d
        .wait_exit(Duration::from_secs(10))
        .expect("did not stop within 10 s");
    assert!(exit.success(), "{exit:?}\n{}", d.log());
    assert_consistent(&s.dir.path().join("state"));
}

/// Feeds of `items` recent items each, answered after 1.5 s.
fn slow_feed_server(items: usize) -> TestServer {
    TestServer::start(move |req: &Request| {
        std::thread::sleep(Duration::from_millis(1500));
        let path = req.path_only().trim_start_matches('/').to_owned();
        Reply::ok(recent_rss(&path, items, "Slow news"))
    })
}

#[test]
fn sigterm_during_a_poll_exits_quickly_and_cleanly() {
    // Slow feeds: a poll round takes a while.
    let server = slow_feed_server(30);
    let feeds: Vec<String> = (0..40).map(|i| server.url(&format!("/slow{i}"))).collect();
    let s = setup(&feeds, None, 59, "");
    let mut d = Daemon::start(&s.cfg);
    assert!(wait_until(Duration::from_secs(20), || server.total_hits() >= 3));
    std::thread::sleep(Duration::from_millis(400));
    let asked = Instant::now();
    d.signal(libc::SIGTERM);
    let exit = d
        .wait_exit(Duration::from_secs(10))
        .expect("did not stop within 10 s");
    assert!(exit.success(), "{exit:?}\n{}", d.log());
    eprintln!("stopped {:?} after SIGTERM", asked.elapsed());
    let state = s.dir.path().join("state");
    let before = assert_consistent(&state);
    // Restart: no duplicates, and the rest gets polled.
    let out = cli(&s.cfg, &["poll", "--all"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = assert_consistent(&state);
    assert!(after >= before);
    assert_eq!(after, 40 * 30);
}

/// `tricorder poll` shares the daemon's ingest path: Ctrl-C stops it
/// between two feeds, and what it stored is indexed, not lost.
#[test]
fn ctrl_c_during_a_cli_poll_stops_at_a_safe_point() {
    let server = slow_feed_server(20);
    let feeds: Vec<String> = (0..20).map(|i| server.url(&format!("/int{i}"))).collect();
    let s = setup(&feeds, None, 59, "");
    let child = Command::new(bin())
        .arg("--config")
        .arg(&s.cfg)
        .args(["poll", "--all"])
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Some feeds answered (and are stored), most have not.
    assert!(wait_until(Duration::from_secs(20), || server.total_hits() >= 6));
    std::thread::sleep(Duration::from_millis(300));
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let state = s.dir.path().join("state");
    let stored = assert_consistent(&state);
    assert!(
        stored < 20 * 20,
        "the poll was not interrupted: {stored} items"
    );
    // The next poll takes the rest, with no duplicates.
    let out = cli(&s.cfg, &["poll", "--all"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(assert_consistent(&state), 20 * 20);
}

#[test]
fn kill_minus_nine_rounds_never_duplicate_or_lose_anything() {
    let hits = Arc::new(AtomicUsize::new(0));
    let server = feed_server(hits);
    let feeds: Vec<String> = (0..12).map(|i| server.url(&format!("/k{i}"))).collect();
    let s = setup(&feeds, None, 1, "");
    let state = s.dir.path().join("state");
    let mut seed = 0x9e37_79b9_u64;
    // tests/support/soak-kill9.sh runs many more rounds.
    let rounds: usize = std::env::var("TRICORDER_SOAK_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(12);
    for _ in 0..rounds {
        let mut d = Daemon::start(&s.cfg);
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(150 + seed % 1500));
        d.kill9();
        assert_consistent_after_restart(&s.cfg, &state);
    }
    // One clean run to the end.
    let mut d = Daemon::start(&s.cfg);
    assert!(d.wait_log("poll round done", Duration::from_secs(30)));
    d.signal(libc::SIGTERM);
    assert!(d.wait_exit(Duration::from_secs(10)).unwrap().success());
    assert_consistent(&state);
    // One digest per period, one file per recipient.
    let store = Store::open(&state).unwrap();
    let today = chrono::Utc::now().date_naive().to_string();
    assert!(store.digest(&today).unwrap().is_some());
    let outbox: Vec<_> = std::fs::read_dir(state.join("outbox"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .collect();
    assert_eq!(outbox.len(), 1, "{outbox:?}");
}

/// A killed daemon leaves a state that the next writer heals.
fn assert_consistent_after_restart(cfg: &Path, state: &Path) {
    if !state.join("tricorder.db").exists() {
        return;
    }
    // The next writer (here `poll`, as the daemon at start-up) heals the
    // index from SQLite before doing anything else.
    let out = cli(cfg, &["poll", "--all"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_consistent(state);
}

#[test]
fn sighup_reloads_and_a_broken_config_is_rejected() {
    let hits = Arc::new(AtomicUsize::new(0));
    let server = feed_server(hits);
    let s = setup(&[server.url("/one")], None, 59, "");
    let mut d = Daemon::start(&s.cfg);
    assert!(wait_until(Duration::from_secs(20), || server.hits("/one") > 0));

    write_config(
        &s.cfg,
        &[server.url("/one"), server.url("/two")],
        None,
        59,
        "",
    );
    d.signal(libc::SIGHUP);
    assert!(
        d.wait_log("configuration reloaded", Duration::from_secs(10)),
        "{}",
        d.log()
    );
    assert!(
        wait_until(Duration::from_secs(20), || server.hits("/two") > 0),
        "the added feed was not polled:\n{}",
        d.log()
    );

    std::fs::write(
        &s.cfg,
        "data_dir = \"state\"\n[poll]\ninterval = \"often\"\n",
    )
    .unwrap();
    d.signal(libc::SIGHUP);
    assert!(
        d.wait_log("rejected", Duration::from_secs(10)),
        "{}",
        d.log()
    );
    assert!(d.log().contains("interval"), "the log names the problem");
    // Still running on the old config: both feeds keep being polled.
    let before = server.hits("/two");
    assert!(wait_until(Duration::from_secs(20), || server.hits("/two") > before));
    d.signal(libc::SIGTERM);
    assert!(d.wait_exit(Duration::from_secs(10)).unwrap().success());
}

#[test]
fn a_second_daemon_and_writing_commands_are_refused() {
    let hits = Arc::new(AtomicUsize::new(0));
    let server = feed_server(hits);
    let s = setup(&[server.url("/a")], None, 59, "");
    let mut d = Daemon::start(&s.cfg);
    assert!(wait_until(Duration::from_secs(20), || server.hits("/a") > 0));
    let pid = d.pid().to_string();
    let second = cli(&s.cfg, &["run"]);
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains(&pid), "names the pid holding the lock: {err}");
    for args in [
        &["poll"][..],
        &["reindex"],
        &["feeds", "add", "https://x.example/feed"],
    ] {
        let out = cli(&s.cfg, args);
        assert!(!out.status.success(), "{args:?} ran beside the daemon");
        assert!(String::from_utf8_lossy(&out.stderr).contains("another tricorder process"));
    }
    for args in [
        &["search", "zebra"][..],
        &["trends"],
        &["questions"],
        &["status"],
        &["digest", "--preview"],
    ] {
        let out = cli(&s.cfg, args);
        assert!(
            out.status.success(),
            "{args:?} failed beside the daemon: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    d.signal(libc::SIGTERM);
    assert!(d.wait_exit(Duration::from_secs(10)).unwrap().success());
}

#[test]
fn smtp_down_at_the_scheduled_time_is_delivered_once_when_it_returns() {
    let hits = Arc::new(AtomicUsize::new(0));
    let server = feed_server(hits);
    let mail = tempfile::tempdir().unwrap();
    let mut smtp = SmtpServer::start(mail.path(), None);
    smtp.stop();
    let s = setup(&[server.url("/a")], Some(smtp.port), 2, "");
    let mut d = Daemon::start(&s.cfg);
    assert!(
        wait_until(
            Duration::from_secs(40),
            || status(&s.cfg)["last_digest"]["status"] == "pending"
        ),
        "{}",
        d.log()
    );
    let st = status(&s.cfg);
    assert!(
        st["last_digest"]["last_error"]
            .as_str()
            .unwrap_or("")
            .contains("onnect"),
        "{st:#}"
    );
    smtp.restart();
    assert!(
        wait_until(Duration::from_secs(40), || !smtp.messages().is_empty()),
        "{}",
        d.log()
    );
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!(smtp.messages().len(), 1);
    assert_eq!(status(&s.cfg)["last_digest"]["status"], "sent");
    d.signal(libc::SIGTERM);
    assert!(d.wait_exit(Duration::from_secs(10)).unwrap().success());
}

#[test]
fn a_restart_sends_a_pending_digest_once() {
    let hits = Arc::new(AtomicUsize::new(0));
    let server = feed_server(hits);
    let mail = tempfile::tempdir().unwrap();
    let mut smtp = SmtpServer::start(mail.path(), None);
    smtp.stop();
    let s = setup(&[server.url("/a")], Some(smtp.port), 2, "");
    let mut d = Daemon::start(&s.cfg);
    assert!(wait_until(
        Duration::from_secs(40),
        || status(&s.cfg)["last_digest"]["status"] == "pending"
    ));
    d.kill9();
    smtp.restart();
    // A schedule far away: only the start-up resend can deliver it.
    write_config(&s.cfg, &[server.url("/a")], Some(smtp.port), 59, "");
    std::fs::write(
        &s.cfg,
        std::fs::read_to_string(&s.cfg)
            .unwrap()
            .replace("*/59 * * * * *", "0 0 3 1 1 *"),
    )
    .unwrap();
    let mut d = Daemon::start(&s.cfg);
    assert!(
        wait_until(Duration::from_secs(30), || smtp.messages().len() == 1),
        "{}",
        d.log()
    );
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(smtp.messages().len(), 1);
    d.signal(libc::SIGTERM);
    assert!(d.wait_exit(Duration::from_secs(10)).unwrap().success());
    // And again: nothing more to send.
    let mut d = Daemon::start(&s.cfg);
    assert!(d.wait_log("daemon started", Duration::from_secs(20)));
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(smtp.messages().len(), 1);
    d.signal(libc::SIGTERM);
    assert!(d.wait_exit(Duration::from_secs(10)).unwrap().success());
}

#[test]
fn hostile_feeds_do_not_stop_good_ones() {
    use std::io::Write;
    let bomb = {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..512 {
            gz.write_all(&chunk).unwrap();
        }
        gz.finish().unwrap()
    };
    let many_items: Vec<u8> = {
        let mut s =
            String::from(r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Many</title>"#);
        for i in 0..100_000 {
            s.push_str(&format!(
                "<item><guid>m{i}</guid><title>Item {i}</title></item>"
            ));
        }
        (s + "</channel></rss>").into_bytes()
    };
    let good_hits = Arc::new(AtomicUsize::new(0));
    let g = good_hits.clone();
    let server = TestServer::start(move |req: &Request| match req.path_only() {
        "/endless" => Reply::Trickle {
            headers: vec![],
            chunk: vec![b'<'; 65536],
            every: Duration::from_millis(1),
        },
        "/slowloris" => Reply::Trickle {
            headers: vec![],
            chunk: b"<".to_vec(),
            every: Duration::from_millis(500),
        },
        "/bomb" => Reply::ok(bomb.clone()).with_header("Content-Encoding", "gzip"),
        "/loop" => Reply::redirect(302, "/loop2"),
        "/loop2" => Reply::redirect(302, "/loop"),
        "/random" => Reply::ok(
            (0..100_000u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect::<Vec<u8>>(),
        ),
        "/error" => Reply::status(500),
        "/huge" => Reply::Huge {
            headers: vec![],
            fill: b"<item>".to_vec(),
            len: 50 << 20,
        },
        "/many" => Reply::ok(many_items.clone()),
        p => {
            let n = g.fetch_add(1, Ordering::SeqCst);
            Reply::ok(recent_rss(
                p.trim_start_matches('/'),
                3 + n % 40,
                "Good news",
            ))
        }
    });
    let bad = [
        "/endless",
        "/slowloris",
        "/bomb",
        "/loop",
        "/random",
        "/error",
        "/huge",
        "/many",
    ];
    let mut feeds: Vec<String> = bad.iter().map(|p| server.url(p)).collect();
    feeds.extend((0..3).map(|i| server.url(&format!("/good{i}"))));
    let s = setup(&feeds, None, 59, "");
    let mut d = Daemon::start(&s.cfg);
    // The rounds run in worker processes: the peak is theirs. Each worker's
    // own peak is sampled while it runs, and each also reports it in its
    // round's log line (which catches workers too short-lived to sample).
    let (mut daemon_peak, mut worker_peak) = (0, 0);
    let started = Instant::now();
    // 25 s at least; longer while the good feeds have not had three polls,
    // which a busy machine (the first round takes 100,000 items and a
    // rebuild) can need: the test is that they keep being polled, not how fast.
    let good_polls = || {
        (0..3)
            .map(|i| server.hits(&format!("/good{i}")))
            .min()
            .unwrap_or(0)
    };
    while started.elapsed() < Duration::from_secs(25)
        || (good_polls() < 3 && started.elapsed() < Duration::from_secs(120))
    {
        daemon_peak = daemon_peak.max(peak_rss_mib(d.pid()));
        for w in d.workers() {
            worker_peak = worker_peak.max(peak_rss_mib(w));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let logged_peak = d
        .log()
        .lines()
        .filter(|l| l.contains("poll round done"))
        .filter_map(|l| {
            l.split("worker_peak_mib=")
                .nth(1)?
                .split_whitespace()
                .next()?
                .parse::<u64>()
                .ok()
        })
        .max()
        .unwrap_or(0);
    worker_peak = worker_peak.max(logged_peak);
    let rss = daemon_peak.max(worker_peak);
    eprintln!(
        "peak RSS with hostile feeds: daemon {daemon_peak} MiB, workers {worker_peak} MiB \
         (sampled, and as the workers logged it: {logged_peak} MiB)"
    );
    assert!(worker_peak > 0, "no worker was seen:\n{}", d.log());
    assert!(
        d.child.as_mut().unwrap().try_wait().unwrap().is_none(),
        "the daemon died:\n{}",
        d.log()
    );
    assert!(!d.log().contains("panicked"), "{}", d.log());
    // Good feeds kept updating on schedule (polled every 1-2 s).
    for i in 0..3 {
        let hits = server.hits(&format!("/good{i}"));
        assert!(
            hits >= 3,
            "good{i} polled only {hits} times in {:.0} s:\n{}",
            started.elapsed().as_secs_f64(),
            d.log()
        );
    }
    assert!(rss < 500, "peak RSS {rss} MiB");
    let st = status(&s.cfg);
    let err_of = |p: &str| -> String {
        st["feeds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["url"] == server.url(p))
            .unwrap()["last_error"]
            .as_str()
            .unwrap_or("")
            .to_owned()
    };
    for (p, expect) in [
        ("/endless", "limit"),
        ("/slowloris", "timed out"),
        ("/bomb", "limit"),
        ("/loop", "redirect loop"),
        ("/random", "feed"),
        ("/error", "500"),
        ("/huge", "limit"),
    ] {
        let e = err_of(p);
        assert!(
            e.contains(expect),
            "{p}: expected an error about {expect:?}, got {e:?}"
        );
    }
    // The big feed is not an error: all its items are stored.
    assert_eq!(err_of("/many"), "");
    d.signal(libc::SIGTERM);
    assert!(
        d.wait_exit(Duration::from_secs(10)).unwrap().success(),
        "{}",
        d.log()
    );
    let store = Store::open(&s.dir.path().join("state")).unwrap();
    let many = store
        .feeds()
        .unwrap()
        .into_iter()
        .find(|f| f.url == server.url("/many"))
        .unwrap();
    assert_eq!(many.items, 100_000);
}

#[test]
fn kill_minus_nine_of_the_daemon_mid_round_leaves_no_worker_behind() {
    // Slow feeds: a round takes many seconds (two requests at a time per host).
    let server = slow_feed_server(20);
    let feeds: Vec<String> = (0..30).map(|i| server.url(&format!("/s{i}"))).collect();
    let s = setup(&feeds, None, 59, "");
    let state = s.dir.path().join("state");
    let cfg_path = s.cfg.display().to_string();
    for round in 0..3 {
        let mut d = Daemon::start(&s.cfg);
        let hits = server.total_hits();
        // A worker is mid-round once the server answers its requests.
        let mut workers = Vec::new();
        assert!(
            wait_until(Duration::from_secs(30), || {
                workers = d.workers();
                !workers.is_empty() && server.total_hits() >= hits + 2
            }),
            "no worker polling:\n{}",
            d.log()
        );
        std::thread::sleep(Duration::from_millis(300 * round));
        let daemon = d.pid();
        d.kill9();
        assert!(
            wait_until(Duration::from_secs(5), || !workers
                .iter()
                .any(|w| alive(*w))),
            "worker(s) {workers:?} outlived the daemon {daemon}"
        );
        let left = processes_mentioning(&cfg_path);
        assert!(left.is_empty(), "processes left behind: {left:?}");
        // The next daemon starts at once, heals the index and polls on.
        let mut d = Daemon::start(&s.cfg);
        assert!(
            d.wait_log("daemon started", Duration::from_secs(20)),
            "{}",
            d.log()
        );
        d.signal(libc::SIGTERM);
        let exit = d.wait_exit(Duration::from_secs(10)).expect("did not stop");
        assert!(exit.success(), "{exit:?}\n{}", d.log());
        assert!(!d.log().contains("ERROR"), "{}", d.log());
        assert_consistent(&state);
    }
}

#[test]
fn a_worker_run_by_hand_is_refused() {
    let hits = Arc::new(AtomicUsize::new(0));
    let server = feed_server(hits);
    let s = setup(&[server.url("/a")], None, 59, "");
    let state = s.dir.path().join("state");
    let refused = |out: &std::process::Output| {
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("tricorder run"), "{err}");
        err
    };
    // No daemon: refused before anything is read or written.
    let err = refused(&cli(&s.cfg, &["worker", "poll"]));
    assert!(err.contains("cannot be run by hand"), "{err}");
    assert!(
        !state.exists(),
        "a refused worker created {}",
        state.display()
    );

    let mut d = Daemon::start(&s.cfg);
    assert!(wait_until(Duration::from_secs(20), || server.hits("/a") > 0));
    refused(&cli(&s.cfg, &["worker", "poll"]));
    // Claiming the daemon as its parent does not help: it is not.
    let out = Command::new(bin())
        .args(["--config", s.cfg.to_str().unwrap(), "worker", "poll"])
        .env("TRICORDER_WORKER_PARENT", d.pid().to_string())
        .output()
        .unwrap();
    let err = refused(&out);
    assert!(err.contains("is not the daemon"), "{err}");
    // Nor does naming its real parent (this test) with a config to match:
    // the data folder's lock is the daemon's.
    let snapshot = serde_json::json!({
        "path": s.cfg,
        "text": std::fs::read_to_string(&s.cfg).unwrap(),
        "files": [],
    });
    let mut child = Command::new(bin())
        .args(["--config", s.cfg.to_str().unwrap(), "worker", "poll"])
        .env("TRICORDER_WORKER_PARENT", std::process::id().to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(snapshot.to_string().as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let err = refused(&out);
    assert!(err.contains("does not hold the lock"), "{err}");
    assert!(err.contains(&format!("pid {} does", d.pid())), "{err}");

    d.signal(libc::SIGTERM);
    assert!(d.wait_exit(Duration::from_secs(10)).unwrap().success());
}

#[test]
fn a_worker_killed_mid_round_is_logged_and_the_daemon_carries_on() {
    let server = TestServer::start(|req: &Request| {
        std::thread::sleep(Duration::from_millis(1500));
        let path = req.path_only().trim_start_matches('/').to_owned();
        Reply::ok(recent_rss(&path, 10, "Slow news"))
    });
    let feeds: Vec<String> = (0..6).map(|i| server.url(&format!("/w{i}"))).collect();
    let s = setup(&feeds, None, 59, "");
    let mut d = Daemon::start(&s.cfg);
    let mut workers = Vec::new();
    assert!(
        wait_until(Duration::from_secs(30), || {
            workers = d.workers();
            !workers.is_empty() && server.total_hits() >= 1
        }),
        "no worker polling:\n{}",
        d.log()
    );
    for w in &workers {
        unsafe { libc::kill(*w, libc::SIGKILL) };
    }
    assert!(
        d.wait_log("was killed by signal 9 (SIGKILL)", Duration::from_secs(10)),
        "{}",
        d.log()
    );
    // The next round runs after a short pause, and completes.
    assert!(
        d.wait_log("poll round done", Duration::from_secs(40)),
        "{}",
        d.log()
    );
    assert!(
        d.child.as_mut().unwrap().try_wait().unwrap().is_none(),
        "the daemon died:\n{}",
        d.log()
    );
    d.signal(libc::SIGTERM);
    let exit = d.wait_exit(Duration::from_secs(10)).expect("did not stop");
    assert!(exit.success(), "{exit:?}\n{}", d.log());
    assert_consistent(&s.dir.path().join("state"));
}
