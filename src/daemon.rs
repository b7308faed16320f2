//! `tricorder run`: the long-running service.
//!
//! The daemon is two kinds of process. This one, the parent, lives for
//! months and does little: it holds the data-folder lock, answers signals,
//! reloads the config on SIGHUP, and sleeps until something is due (a
//! feed's poll, the digest schedule, a digest retry, a periodic summary).
//! The work itself runs in a short-lived child, `tricorder worker JOB`
//! (`worker.rs`), started for one job and gone when it is done: the index
//! heal at start-up, each poll round, composing and sending digests. Only
//! one worker runs at a time.
//!
//! Why the split:
//! - Idle memory. A poll round touches some 20 MB of the binary's code
//!   (feed parsing, html5ever, phrase extraction, tantivy) and grows the
//!   heap and a second malloc arena; a process that did the work keeps most
//!   of that resident for the hours it then idles, however it trims. When a
//!   worker exits, all of it goes back to the system.
//! - Fault isolation. A hostile feed that finds a parser bug, a panic or a
//!   memory blow-up ends one worker; the daemon logs its exit status and
//!   carries on with the next round as scheduled (backing off if workers
//!   keep failing, so that a poison feed cannot make it start one after
//!   another).
//!
//! What the split keeps:
//! - One writer per data folder. The parent holds the lock (its file is
//!   opened close-on-exec, so a worker never inherits it); a worker checks
//!   that its parent is the holder and never takes the lock itself.
//! - No orphans. A worker is killed when the daemon dies, even by kill -9
//!   (PR_SET_PDEATHSIG). SQLite commits each feed and the index heals from
//!   SQLite when a writer opens it, so killing either process at any moment
//!   leaves a consistent state for the next start.
//! - Clean stops. SIGTERM/SIGINT are forwarded to the running worker; a poll
//!   stops between two feeds and commits the index; then the parent exits 0.
//! - Reloads that fail leave the old config in force, for workers too: the
//!   parent hands each worker the snapshot of the last config it accepted
//!   (`config::Snapshot`), never the file as it may be now.
//!
//! Order at start-up matters: take the lock, run the `start` worker
//! (validate what the config names, heal the index from SQLite), send
//! digests that are still pending, send a digest missed while the daemon
//! was down if it is within the grace period, and only then start polling.

use std::process::ExitStatus;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use tokio::io::AsyncWriteExt;
use tokio::signal::unix::{SignalKind, signal};

use crate::config::{self, Config, Snapshot};
use crate::lock;
use crate::shutdown::Shutdown;
use crate::store::Store;
use crate::worker::{self, Job, RoundReport};

/// One line of totals this often.
const SUMMARY_EVERY: Duration = Duration::from_secs(15 * 60);
/// After a stop signal, how long the running worker gets before it is
/// killed. A poll stops at the next feed boundary, well within this; a
/// digest send is let finish (a kill between the SMTP server's answer and
/// its record would send that message twice). Shorter than the systemd
/// unit's TimeoutStopSec, so that the daemon still exits by itself.
const STOP_WAIT: Duration = Duration::from_secs(20);
/// First pause after a failed worker; it doubles with each further failure.
const BACKOFF_FIRST: Duration = Duration::from_secs(5);
const BACKOFF_MAX: Duration = Duration::from_secs(15 * 60);

#[derive(Default)]
struct Totals {
    rounds: u64,
    polled: u64,
    failed: u64,
    new_items: u64,
    updated_items: u64,
}

/// What starting and minding workers needs.
struct Workers {
    /// The daemon's log filter, handed on so that workers log alike.
    log_filter: String,
    /// The stop signal, passed on to the running worker.
    shutdown: Shutdown,
}

/// The last config the daemon accepted: what workers run with.
struct Current {
    cfg: Config,
    snapshot: Snapshot,
}

/// How a worker ended.
struct Ended {
    /// `None` if it could not be started or waited for (the reason is logged).
    status: Option<ExitStatus>,
    stdout: Vec<u8>,
    /// A stop signal arrived while it ran (and was passed on to it).
    stop: bool,
}

/// Runs the daemon with `cfg`, read from `snapshot.path` (re-read on SIGHUP).
pub fn run(snapshot: Snapshot, cfg: Config, log_filter: String) -> Result<()> {
    let _lock = lock::acquire(&cfg.data_dir)?;
    // One thread: the parent only waits, and PR_SET_PDEATHSIG fires when the
    // thread that started a worker exits, so that must be a thread that
    // lives as long as the process.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(Current { cfg, snapshot }, log_filter))
}

async fn serve(mut current: Current, log_filter: String) -> Result<()> {
    let mut store = Store::open(&current.cfg.data_dir)?;
    store.sync_config_feeds(&current.cfg.feeds, Utc::now().timestamp())?;
    // Signals are caught from the start: a worker may be running when one comes.
    let mut workers = Workers {
        log_filter,
        shutdown: Shutdown::on_signals()?,
    };
    let mut hup = signal(SignalKind::hangup())?;

    let started = run_worker(&mut workers, &Job::Start, &current.snapshot).await;
    if started.stop {
        return Ok(());
    }
    if !started.succeeded() {
        anyhow::bail!(
            "the daemon cannot start: its start-up worker {} (its error is logged above)",
            describe(started.status)
        );
    }
    tracing::info!(
        pid = std::process::id(),
        feeds = current.cfg.feeds.len(),
        data = %current.cfg.data_dir.display(),
        "tricorder daemon started; digest schedule {}",
        current.cfg.digest.schedule_note
    );

    // Pending digests first, then one missed while we were down (a failed
    // one is left to the loop, which tries it again within the grace period).
    let mut sends = Backoff::default();
    let mut digests = Backoff::default();
    let mut next_digest = next_schedule(&current.cfg, Utc::now());
    if !store.due_digests(Utc::now().timestamp())?.is_empty() {
        let ended = run_worker(&mut workers, &Job::Send, &current.snapshot).await;
        if ended.stop {
            return Ok(());
        }
        judge(&Job::Send, &ended, Some(&mut sends));
    }
    if let Some(at) = missed_digest(&current.cfg, &store) {
        tracing::info!(period = %crate::digest::period_of(current.cfg.digest.timezone, at), scheduled = %at, "a digest was missed while the daemon was down; sending it now");
        let job = Job::Digest { at: at.timestamp() };
        let ended = run_worker(&mut workers, &job, &current.snapshot).await;
        if ended.stop {
            return Ok(());
        }
        if !judge(&job, &ended, Some(&mut digests)) {
            next_digest = Some(at);
        }
    }
    release_free_memory(&store)?;

    // Tell systemd (Type=notify) we are up; without systemd this does nothing.
    let _ = sd_notify::notify(&[sd_notify::NotifyState::Ready]);

    let mut totals = Totals::default();
    let mut last_summary = Instant::now();
    let mut polls = Backoff::default();
    loop {
        let now = Utc::now();
        let next_poll = polls.hold(
            store
                .next_poll_time()?
                .map(|t| DateTime::<Utc>::from_timestamp(t, 0).unwrap_or(now)),
        );
        let next_retry = sends.hold(
            store
                .due_digests(i64::MAX)?
                .iter()
                .map(|d| d.next_attempt)
                .min()
                .and_then(|t| DateTime::<Utc>::from_timestamp(t, 0)),
        );
        let digest_due = digests.hold(next_digest);
        let wake = [next_poll, digest_due, next_retry]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(now + chrono::Duration::hours(1));
        let sleep_for = (wake - now)
            .to_std()
            .unwrap_or(Duration::ZERO)
            .min(SUMMARY_EVERY);

        tokio::select! {
            name = workers.shutdown.recv() => { tracing::info!("{name}: shutting down"); break; }
            _ = hup.recv() => {
                if reload(&mut current, &mut store, &mut workers).await? {
                    break;
                }
                next_digest = next_schedule(&current.cfg, Utc::now());
                digests = Backoff::default();
                continue;
            }
            _ = tokio::time::sleep(sleep_for) => {}
        }

        let now = Utc::now();
        let mut stop = false;
        // Polls.
        if next_poll.is_some_and(|t| t <= now) {
            let ended = run_worker(&mut workers, &Job::Poll, &current.snapshot).await;
            stop |= ended.stop;
            if judge(&Job::Poll, &ended, Some(&mut polls)) {
                count_round(&ended.stdout, &mut totals);
            }
        }
        // The scheduled digest.
        let digest_now = !stop && digest_due.is_some_and(|t| t <= now);
        if let Some(at) = next_digest.filter(|_| digest_now) {
            let job = Job::Digest { at: at.timestamp() };
            let ended = run_worker(&mut workers, &job, &current.snapshot).await;
            stop |= ended.stop;
            // Like a digest missed while the daemon was down, one whose
            // worker failed is tried again within the grace period.
            let grace = chrono::Duration::from_std(current.cfg.digest.grace).unwrap_or_default();
            let retry = Utc::now() <= at + grace;
            if judge(&job, &ended, retry.then_some(&mut digests)) || !retry || stop {
                next_digest = next_schedule(&current.cfg, now);
                digests = Backoff::default();
            }
        }
        // Retries.
        if !stop && next_retry.is_some_and(|t| t <= now) {
            let ended = run_worker(&mut workers, &Job::Send, &current.snapshot).await;
            stop |= ended.stop;
            judge(&Job::Send, &ended, Some(&mut sends));
        }
        if stop {
            break;
        }
        if last_summary.elapsed() >= SUMMARY_EVERY {
            tracing::info!(
                rounds = totals.rounds,
                feeds_polled = totals.polled,
                failures = totals.failed,
                new_items = totals.new_items,
                updated_items = totals.updated_items,
                next_digest = %next_digest.map(|t| t.to_rfc3339()).unwrap_or_else(|| "none".into()),
                "summary since the last one"
            );
            totals = Totals::default();
            last_summary = Instant::now();
        }
        release_free_memory(&store)?;
    }

    let _ = sd_notify::notify(&[sd_notify::NotifyState::Stopping]);
    // Nothing to commit here: only workers write the index, and a worker
    // stopped by the signal committed what it had stored.
    tracing::info!("stopped");
    Ok(())
}

impl Ended {
    fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| s.success())
    }
}

/// Runs `job` in a worker with `snapshot` and waits for it to end. A stop
/// signal meanwhile is passed on to the worker, which is killed if it has
/// not ended after [`STOP_WAIT`]. A worker that cannot even be started (no
/// process left under the tasks limit, say) is a failed job like any other,
/// not the end of the daemon.
async fn run_worker(workers: &mut Workers, job: &Job, snapshot: &Snapshot) -> Ended {
    match start_and_wait(workers, job, snapshot).await {
        Ok(ended) => ended,
        Err(e) => {
            tracing::error!(job = %job, "{e:#}");
            Ended {
                status: None,
                stdout: Vec::new(),
                stop: false,
            }
        }
    }
}

async fn start_and_wait(workers: &mut Workers, job: &Job, snapshot: &Snapshot) -> Result<Ended> {
    let input = worker::snapshot_bytes(snapshot)?;
    let mut child = worker::spawn(job, snapshot, &workers.log_filter)?;
    let pid = child
        .id()
        .context("a worker that was just started has no pid")? as libc::pid_t;
    let mut stdin = child.stdin.take().context("a worker without stdin")?;
    tracing::debug!(pid, job = %job, "worker started");
    let work = async {
        let feed = async {
            // A worker that refuses to run exits before it reads; its exit
            // status says why, so a broken pipe here is not worth a word.
            let _ = stdin.write_all(&input).await;
            drop(stdin);
        };
        let (_, output) = tokio::join!(feed, child.wait_with_output());
        output
    };
    tokio::pin!(work);
    let mut stop = false;
    let mut kill_at: Option<tokio::time::Instant> = None;
    let output = loop {
        // `biased`: the worker's end is seen first, so a signal is never
        // passed on to a pid that was reaped already (and may be reused).
        tokio::select! {
            biased;
            output = &mut work => break output.with_context(|| format!("cannot wait for the worker for `{job}`"))?,
            name = workers.shutdown.recv(), if !stop => {
                tracing::info!(job = %job, "{name}: passing it on to the worker, then shutting down");
                forward(pid, if name == "SIGINT" { libc::SIGINT } else { libc::SIGTERM });
                stop = true;
                kill_at = Some(tokio::time::Instant::now() + STOP_WAIT);
            }
            _ = tokio::time::sleep_until(kill_at.unwrap_or_else(tokio::time::Instant::now)), if kill_at.is_some() => {
                tracing::warn!(job = %job, "the worker did not stop within {}; killing it", humantime::format_duration(STOP_WAIT));
                forward(pid, libc::SIGKILL);
                kill_at = None;
            }
        }
    };
    tracing::debug!(pid, job = %job, status = %output.status, "worker ended");
    Ok(Ended {
        status: Some(output.status),
        stdout: output.stdout,
        stop,
    })
}

fn forward(pid: libc::pid_t, sig: libc::c_int) {
    // SAFETY: kill(2) on our own child, not yet reaped (see `biased` above).
    unsafe { libc::kill(pid, sig) };
}

/// Returns whether the worker succeeded. A failure is logged, and with a
/// `backoff` the job is tried again after a pause; without, it is not.
fn judge(job: &Job, ended: &Ended, backoff: Option<&mut Backoff>) -> bool {
    let status = ended.status;
    if ended.succeeded() {
        if let Some(b) = backoff {
            b.succeeded();
        }
        return true;
    }
    if ended.stop {
        // Killed on the way out, or stopped by the signal we passed on.
        tracing::info!(job = %job, "the worker {} while stopping", describe(status));
        return false;
    }
    let next = match backoff {
        Some(b) => format!(
            "next attempt in {} at the earliest",
            humantime::format_duration(b.failed(Utc::now()))
        ),
        None => "this one is given up".into(),
    };
    tracing::error!(
        job = %job,
        "the worker {} (its own log lines are above); the daemon carries on, {next}",
        describe(status),
    );
    false
}

/// "exited with status 1", "was killed by signal 9 (SIGKILL)".
fn describe(status: Option<ExitStatus>) -> String {
    use std::os::unix::process::ExitStatusExt as _;
    let Some(status) = status else {
        return "could not be run".into();
    };
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exited with status {code}"),
        (None, Some(sig)) => format!("was killed by signal {sig}{}", signal_name(sig)),
        _ => format!("ended ({status})"),
    }
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGKILL => " (SIGKILL)",
        libc::SIGTERM => " (SIGTERM)",
        libc::SIGINT => " (SIGINT)",
        libc::SIGSEGV => " (SIGSEGV)",
        libc::SIGABRT => " (SIGABRT)",
        libc::SIGBUS => " (SIGBUS)",
        _ => "",
    }
}

/// Adds a poll worker's report to the totals and logs the round.
fn count_round(stdout: &[u8], totals: &mut Totals) {
    let text = String::from_utf8_lossy(stdout);
    let Some(r) = text
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str::<RoundReport>(l).ok())
    else {
        tracing::error!("the poll worker succeeded but reported nothing readable: {text:?}");
        return;
    };
    if r.stopped || r.totals.feeds == 0 {
        return;
    }
    totals.rounds += 1;
    totals.polled += r.totals.feeds as u64;
    totals.failed += r.totals.failed as u64;
    totals.new_items += r.totals.new_items as u64;
    totals.updated_items += r.totals.updated_items as u64;
    tracing::info!(
        feeds = r.totals.feeds,
        fetched = r.totals.fetched,
        not_modified = r.totals.not_modified,
        failed = r.totals.failed,
        new_items = r.totals.new_items,
        updated_items = r.totals.updated_items,
        ms = r.totals.elapsed_ms,
        worker_peak_mib = r.peak_rss_kb / 1024,
        "poll round done"
    );
}

/// Spacing between attempts after a worker failed: without it, a feed that
/// kills every worker, or a digest that cannot be rendered, would have the
/// daemon start one worker after another.
#[derive(Default)]
struct Backoff {
    failures: u32,
    until: Option<DateTime<Utc>>,
}

impl Backoff {
    fn failed(&mut self, now: DateTime<Utc>) -> Duration {
        self.failures += 1;
        let pause = BACKOFF_FIRST
            .saturating_mul(1 << self.failures.min(16).saturating_sub(1))
            .min(BACKOFF_MAX);
        self.until = Some(now + chrono::Duration::from_std(pause).unwrap_or_default());
        pause
    }

    fn succeeded(&mut self) {
        *self = Backoff::default();
    }

    /// `due`, or later if a failure asked for a pause.
    fn hold(&self, due: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
        due.map(|t| self.until.map_or(t, |u| t.max(u)))
    }
}

/// Gives memory back to the system before idling: SQLite's page cache, and
/// what glibc keeps of freed memory (the parent's own use is small, but the
/// config snapshot and each worker's output pass through it).
fn release_free_memory(store: &Store) -> Result<()> {
    store.release_memory()?;
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
    Ok(())
}

fn next_schedule(cfg: &Config, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    cfg.digest
        .schedule
        .after(&after.with_timezone(&cfg.digest.timezone))
        .next()
        .map(|t| t.with_timezone(&Utc))
}

/// At start-up: the last schedule time that passed while the daemon was
/// down, if it is within the grace period and its period has no digest.
fn missed_digest(cfg: &Config, store: &Store) -> Option<DateTime<Utc>> {
    let now = Utc::now();
    let grace = chrono::Duration::from_std(cfg.digest.grace).ok()?;
    let tz = cfg.digest.timezone;
    let at = cfg
        .digest
        .schedule
        .after(&(now - grace).with_timezone(&tz))
        .take_while(|t| t.with_timezone(&Utc) <= now)
        .last()?
        .with_timezone(&Utc);
    let period = crate::digest::period_of(tz, at);
    match store.digest(&period) {
        Ok(None) => Some(at),
        _ => None,
    }
}

/// SIGHUP: a new config replaces the old one only if it loads completely,
/// what it names (templates, questions, mailer) included, which a `check`
/// worker verifies. Returns true if a stop signal came meanwhile.
async fn reload(current: &mut Current, store: &mut Store, workers: &mut Workers) -> Result<bool> {
    let path = current.snapshot.path.clone();
    let rejected = |e: anyhow::Error| {
        tracing::error!(
            "SIGHUP: the new configuration was rejected, the previous one stays in force: {e:#}"
        );
    };
    let (cfg, snapshot) = match config::load_snapshot(&path) {
        Ok(loaded) => loaded,
        Err(e) => {
            rejected(e.into());
            return Ok(false);
        }
    };
    if cfg.data_dir != current.cfg.data_dir {
        rejected(anyhow::anyhow!(
            "data_dir changed ({} -> {}); that needs a restart",
            current.cfg.data_dir.display(),
            cfg.data_dir.display()
        ));
        return Ok(false);
    }
    let checked = run_worker(workers, &Job::Check, &snapshot).await;
    if checked.stop {
        return Ok(true);
    }
    if !checked.succeeded() {
        rejected(anyhow::anyhow!(
            "checking what it names, the worker {} (its error is logged above)",
            describe(checked.status)
        ));
        return Ok(false);
    }
    if let Err(e) = store
        .sync_config_feeds(&cfg.feeds, Utc::now().timestamp())
        .context("cannot update the feeds table")
    {
        rejected(e);
        return Ok(false);
    }
    tracing::info!(
        feeds = cfg.feeds.len(),
        recipients = cfg.digest.recipients.len(),
        "SIGHUP: configuration reloaded from {}; digest schedule {}",
        path.display(),
        cfg.digest.schedule_note
    );
    current.cfg = cfg;
    current.snapshot = snapshot;
    Ok(false)
}
