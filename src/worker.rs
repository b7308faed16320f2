//! The daemon's work, done in a short-lived child process.
//!
//! `tricorder run` (see `daemon.rs`) stays a small scheduler; whenever
//! something is due it starts `tricorder worker JOB`, the same executable,
//! for that one job. Everything that opens the tantivy index, parses feeds,
//! extracts phrases, or composes, renders and sends a digest runs here, so
//! that its memory (code pages, heap, malloc arenas) goes back to the system
//! when the job is done, and so that a crash ends one job, not the daemon.
//!
//! The protocol between the two, all of it in this file:
//! - the daemon runs `<its own executable> --config PATH worker JOB` with
//!   [`PARENT_ENV`] set to its PID and `RUST_LOG` set to its own log filter;
//! - stdin carries the daemon's [`Snapshot`] of the last config it accepted,
//!   as JSON; the worker parses that, never the file on disk;
//! - stderr is the daemon's: the worker logs there in the same format;
//! - stdout carries the result, one line of JSON ([`RoundReport`] for a
//!   poll); the exit status says whether the job succeeded.
//!
//! A worker never takes the data-folder lock (its parent holds it); it checks
//! instead that its parent is the holder, and refuses to run otherwise.
//!
//! The snapshot covers the config and the files it is validated with (the
//! OPML list, the SMTP password file). The digest templates and the
//! questions file are read when a worker uses them, as `digest --preview`
//! does. A reload checks them (`check`); an edit made without a reload shows
//! in the next digest, and a broken one fails that digest's worker (logged,
//! and tried again) rather than the daemon.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::signal::unix::{SignalKind, signal};

use crate::analyse::topic;
use crate::config::{Config, Snapshot};
use crate::digest::render::Renderer;
use crate::digest::starters::Templates;
use crate::exit::UsageError;
use crate::fetch::Fetcher;
use crate::index::SearchIndex;
use crate::ingest;
use crate::lock;
use crate::mail::{self, Mailer};
use crate::shutdown::Shutdown;
use crate::store::Store;

/// Set by the daemon to its PID when it starts a worker.
pub const PARENT_ENV: &str = "TRICORDER_WORKER_PARENT";

/// Feeds due within this much of the earliest one are polled in the same round.
const ROUND_GATHER: Duration = Duration::from_secs(5);

/// One piece of the daemon's work.
#[derive(clap::Subcommand, Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Validate what the config names (HTTP client, mailer, digest templates,
    /// discussion-starter questions), then bring the index up to the database
    Start,
    /// Validate what the config names, as `start` does, and nothing else
    Check,
    /// Poll the feeds that are due and index what changed
    Poll,
    /// Compose and store the digest for a schedule time, then send due digests
    Digest {
        /// The schedule time, in seconds since the Unix epoch
        #[arg(long)]
        at: i64,
    },
    /// Send the stored digests whose (next) attempt is due
    Send,
}

impl Job {
    /// The command-line arguments after `worker`.
    fn args(&self) -> Vec<String> {
        match self {
            Job::Start => vec!["start".into()],
            Job::Check => vec!["check".into()],
            Job::Poll => vec!["poll".into()],
            Job::Digest { at } => vec!["digest".into(), "--at".into(), at.to_string()],
            Job::Send => vec!["send".into()],
        }
    }
}

impl std::fmt::Display for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.args().join(" "))
    }
}

/// What a poll worker reports on stdout.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct RoundReport {
    #[serde(flatten)]
    pub totals: crate::poll::Totals,
    /// A stop signal ended the round between two feeds (the totals are then
    /// not counted; every stored feed is committed, and so is the index).
    pub stopped: bool,
    /// The worker's peak resident memory, KiB: the round's memory now lives
    /// and dies in the worker, so the daemon's own figures no longer show it.
    pub peak_rss_kb: u64,
}

// ---- the daemon's side ------------------------------------------------------

/// Starts a worker for `job`, running with `snapshot`. The caller writes
/// [`snapshot_bytes`] to its stdin and reads its stdout.
///
/// The worker is killed if the daemon dies, even by kill -9
/// (PR_SET_PDEATHSIG): an orphan would go on writing to a data folder whose
/// lock nobody holds any more. The signal is sent when the *thread* that
/// started the child exits; the daemon starts workers from its only thread.
pub fn spawn(job: &Job, snapshot: &Snapshot, log_filter: &str) -> Result<tokio::process::Child> {
    use std::os::unix::process::CommandExt as _;
    // The running executable itself, even if an upgrade replaced the file:
    // a worker of another build could disagree about the schema or protocol.
    let exe = if cfg!(target_os = "linux") {
        PathBuf::from("/proc/self/exe")
    } else {
        std::env::current_exe().context("cannot find the tricorder executable")?
    };
    let name = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("tricorder"));
    let parent = std::process::id();
    let mut cmd = std::process::Command::new(exe);
    cmd.arg0(name)
        .arg("--config")
        .arg(&snapshot.path)
        .arg("worker")
        .args(job.args())
        .env(PARENT_ENV, parent.to_string())
        .env("RUST_LOG", log_filter)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped());
    // SAFETY: runs in the child between fork and exec, and calls only
    // prctl and getppid, which are async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            #[cfg(target_os = "linux")]
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // The daemon may have died before the prctl took effect. (No
            // allocation here: an OS error code says it.)
            if libc::getppid() as u32 != parent {
                return Err(std::io::Error::from_raw_os_error(libc::ESRCH));
            }
            Ok(())
        });
    }
    let mut cmd = tokio::process::Command::from(cmd);
    cmd.kill_on_drop(true);
    cmd.spawn()
        .with_context(|| format!("cannot start a worker for `{job}`"))
}

/// What the daemon writes to a worker's stdin.
pub fn snapshot_bytes(snapshot: &Snapshot) -> Result<Vec<u8>> {
    serde_json::to_vec(snapshot).context("cannot serialise the configuration for a worker")
}

// ---- the worker's side ------------------------------------------------------

/// Checks that this process was started by the daemon holding the data
/// folder, and reads the config the daemon handed over. Refusals are usage
/// errors: they are what someone running `tricorder worker` by hand sees.
pub fn accept() -> Result<Config> {
    let refuse = |why: String| -> anyhow::Error {
        UsageError(format!(
            "`tricorder worker` does one job for the daemon (`tricorder run`), which starts it \
             itself; {why}. To poll now, use `tricorder poll` (while the daemon is stopped), or \
             let the daemon poll on its schedule"
        ))
        .into()
    };
    let Ok(parent) = std::env::var(PARENT_ENV) else {
        return Err(refuse("it cannot be run by hand".into()));
    };
    let parent: u32 = parent
        .trim()
        .parse()
        .map_err(|_| refuse(format!("{PARENT_ENV}={parent:?} is not a process id")))?;
    // SAFETY: getppid has no preconditions and cannot fail.
    let ppid = unsafe { libc::getppid() } as u32;
    if ppid != parent {
        return Err(refuse(format!(
            "its parent process ({ppid}) is not the daemon that started it ({parent})"
        )));
    }
    if std::io::stdin().is_terminal() {
        return Err(refuse("it reads its configuration from the daemon".into()));
    }
    let mut input = Vec::new();
    std::io::stdin()
        .read_to_end(&mut input)
        .context("cannot read the configuration from the daemon")?;
    let snapshot: Snapshot =
        serde_json::from_slice(&input).context("cannot read the configuration from the daemon")?;
    let cfg = snapshot.parse()?;
    match lock::holder_pid(&cfg.data_dir) {
        Some(holder) if holder == parent => Ok(cfg),
        holder => Err(refuse(format!(
            "the daemon that started it (pid {parent}) does not hold the lock on {} ({})",
            cfg.data_dir.display(),
            match holder {
                Some(pid) => format!("pid {pid} does"),
                None => "nobody does".into(),
            }
        ))),
    }
}

/// Runs `job` to its end.
pub fn run(job: Job, cfg: Config) -> Result<()> {
    limit_malloc_arenas();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // File reads and parsing run on the blocking pool; more threads than
        // this only add memory (each has its own allocator arena), not speed.
        .max_blocking_threads(16)
        .build()?;
    runtime.block_on(async {
        // The handlers go in first. A poll stops at a safe point on SIGTERM
        // or SIGINT; the other jobs finish what they do (a digest send is
        // bounded by the SMTP timeout) and the daemon waits for them. SIGHUP
        // is the daemon's business: a worker ignores it, as it does a
        // terminal's hangup sent to the whole process group.
        let mut shutdown = Shutdown::on_signals()?;
        let _hup = signal(SignalKind::hangup())?;
        match job {
            Job::Start => {
                check(&cfg)?;
                heal(&cfg)
            }
            Job::Check => check(&cfg),
            Job::Poll => {
                let (report, retune_due) = poll_round(&cfg, &mut shutdown).await?;
                println!("{}", serde_json::to_string(&report)?);
                // After the round is reported: a failed rebuild is not a
                // failed poll. Not at start-up, which it would hold up.
                if let Some(due) = retune_due
                    && let Err(e) = retune(&cfg, due, &mut shutdown).await
                {
                    tracing::warn!("cannot rebuild the index: {e:#}");
                }
                Ok(())
            }
            Job::Digest { at } => {
                let at = DateTime::<Utc>::from_timestamp(at, 0)
                    .with_context(|| format!("schedule time {at} is out of range"))?;
                compose_digest(&cfg, at).await
            }
            Job::Send => {
                let mut store = Store::open(&cfg.data_dir)?;
                let templates = Templates::load(&cfg.digest.questions_file)?;
                send_due_digests(&cfg, &mut store, &templates).await
            }
        }
    })
}

/// Loads everything the config names beyond itself; SIGHUP's reload is
/// accepted only if this succeeds.
fn check(cfg: &Config) -> Result<()> {
    Fetcher::new(&cfg.poll).context("cannot set up the HTTP client")?;
    Mailer::new(cfg).context("cannot set up the mailer")?;
    Renderer::new(&cfg.digest.templates_dir)?;
    Templates::load(&cfg.digest.questions_file)?;
    Ok(())
}

/// Indexes whatever SQLite holds beyond the index's mark: a crash between
/// their two commits leaves the index behind.
fn heal(cfg: &Config) -> Result<()> {
    let store = Store::open(&cfg.data_dir)?;
    let index = SearchIndex::open(&cfg.data_dir, &store)?;
    index.heal(&store, &mut index.incremental_writer()?)?;
    Ok(())
}

/// Rebuilds the index because the store has outgrown the frequent words it
/// was built with (`due`: the store's highest item id then and now, from
/// `SearchIndex::retune_due`): a daemon's index is created on an empty
/// store. On its own thread, so that a stop signal is answered at once: the
/// rebuild works in a folder of its own and swaps it in only when complete,
/// so abandoning it loses nothing.
async fn retune(cfg: &Config, (then, now): (i64, i64), shutdown: &mut Shutdown) -> Result<()> {
    tracing::info!(
        measured_at_item = then,
        items_now = now,
        "the store has grown since the index's frequent words were measured: \
         rebuilding the index to measure them again (searches use the current index meanwhile)"
    );
    let data_dir = cfg.data_dir.clone();
    let (done, rebuilt) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let result = Store::open(&data_dir).and_then(|store| {
            crate::index::rebuild(
                &data_dir,
                &store,
                crate::index::RETUNE_BUDGET,
                &mut |_, _| {},
            )
        });
        let _ = done.send(result);
    });
    tokio::select! {
        r = rebuilt => {
            let stats = r.context("the index rebuild stopped")??;
            tracing::info!(items = stats.indexed, "index rebuilt with the store's frequent words");
        }
        name = shutdown.recv() => tracing::info!("{name} during the index rebuild: stopping; the current index stays"),
    }
    Ok(())
}

/// One poll round over the feeds due now (see `ingest`). A stop signal
/// abandons the round between two feeds; the index is committed either way.
async fn poll_round(
    cfg: &Config,
    shutdown: &mut Shutdown,
) -> Result<(RoundReport, Option<(i64, i64)>)> {
    let mut store = Store::open(&cfg.data_dir)?;
    let horizon = (Utc::now() + chrono::Duration::from_std(ROUND_GATHER)?).timestamp();
    let feeds = store.due_feeds(horizon)?;
    if feeds.is_empty() {
        return Ok((RoundReport::default(), None));
    }
    let round = ingest::poll_and_index(cfg, &mut store, feeds, shutdown, &mut |_| {}).await?;
    let report = RoundReport {
        stopped: round.summary.is_none(),
        totals: round.summary.map(|s| s.totals).unwrap_or_default(),
        peak_rss_kb: peak_rss_kb(),
    };
    Ok((report, round.retune_due))
}

/// The digest for a schedule time: composed, stored, then sent (with any
/// other digest that is due).
async fn compose_digest(cfg: &Config, at: DateTime<Utc>) -> Result<()> {
    let mut store = Store::open(&cfg.data_dir)?;
    let templates = Templates::load(&cfg.digest.questions_file)?;
    let period = crate::digest::period_of(cfg.digest.timezone, at);
    let index = SearchIndex::open(&cfg.data_dir, &store)?;
    let prepared =
        mail::deliver::prepare(cfg, &mut store, &index, &templates, &period, at, Utc::now())
            .with_context(|| format!("cannot compose the digest for {period}"))?;
    drop(index);
    match prepared {
        mail::deliver::Prepared::Created(_) => {
            tracing::info!(period = %period, "digest composed");
        }
        mail::deliver::Prepared::Existing(row) => {
            tracing::info!(period = %period, status = %row.status, "digest for this period exists already; not composing another");
        }
        mail::deliver::Prepared::Skipped => {
            tracing::info!(period = %period, "quiet day: digest skipped as configured");
        }
    }
    let sent = send_due_digests(cfg, &mut store, &templates).await;
    // After the mail, which must not wait for it: a missing week would
    // otherwise be computed by the user's first `topics`, seconds per week.
    if let Err(e) = keep_weekly_trends(cfg, &mut store, at) {
        tracing::warn!("cannot keep this week's trends for `topics`: {e:#}");
    }
    sent
}

/// How far back the daemon keeps the weekly trends `topics` reads: its
/// default period.
const TOPICS_HISTORY_DAYS: i64 = 90;

/// Records the trends of the closed weeks of the last [`TOPICS_HISTORY_DAYS`]
/// not recorded yet (usually the one week that just closed).
fn keep_weekly_trends(cfg: &Config, store: &mut Store, at: DateTime<Utc>) -> Result<()> {
    let index = SearchIndex::open(&cfg.data_dir, store)?;
    let p = crate::analyse::trends::Params::from_config(&cfg.analysis, at)?;
    let since = at - chrono::Duration::days(TOPICS_HISTORY_DAYS);
    let (due, open_end) = topic::weeks_due(store, p.window, since, at)?;
    // The week still open changes with every poll: `topics` computes it.
    let closed: Vec<(i64, i64)> = due
        .into_iter()
        .filter(|(end, _)| *end != open_end)
        .collect();
    if !closed.is_empty() {
        topic::record_weeks(store, &index, &p, &closed)?;
        tracing::info!(weeks = closed.len(), "weekly trends kept for `topics`");
    }
    Ok(())
}

/// Sends stored digests whose (next) attempt is due. A failure to deliver
/// that is recorded (a transient SMTP error schedules its own retry) is not
/// an error of the job; one that leaves the digest as it was is, so that the
/// daemon backs off instead of starting a worker again at once.
async fn send_due_digests(cfg: &Config, store: &mut Store, templates: &Templates) -> Result<()> {
    let mailer = Mailer::new(cfg).context("cannot set up the mailer")?;
    let renderer = Renderer::new(&cfg.digest.templates_dir)?;
    let reports = mail::deliver::send_due(cfg, store, &mailer, &renderer, templates, Utc::now())
        .await
        .context("digest delivery failed")?;
    for r in reports {
        tracing::info!(period = %r.period, status = %r.status, sent = r.sent.len(), "digest attempt done");
    }
    Ok(())
}

/// This process's peak resident memory (VmHWM), KiB; 0 where unknown.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// glibc gives every thread that allocates its own arena (up to 8 per
/// core); two arenas keep a round's peak lower at no measurable cost to it.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; called before any threads start.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}
