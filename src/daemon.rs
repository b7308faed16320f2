//! `tricorder run`: the long-running service.
//!
//! One task owns everything that writes (the store, the index writer, the
//! mailer) and sleeps until the next thing is due: a feed's poll, the
//! digest schedule, a digest retry, or a periodic summary. Signals wake it:
//! SIGTERM/SIGINT stop it cleanly, SIGHUP reloads the config.
//!
//! Order at start-up matters: take the data-folder lock, heal the index
//! from SQLite (a crash between their commits leaves the index behind),
//! send digests that are still pending, send a digest missed while the
//! daemon was down if it is within the grace period, and only then start
//! polling. Shutdown stops starting new work, lets the poll round stop at
//! the next feed boundary (every stored feed is a committed transaction),
//! commits the index, and exits 0.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use tokio::signal::unix::{SignalKind, signal};

use crate::config::{self, Config};
use crate::digest::render::Renderer;
use crate::digest::starters::Templates;
use crate::fetch::Fetcher;
use crate::index::{SearchIndex, Writer};
use crate::lock;
use crate::mail::{self, Mailer};
use crate::poll;
use crate::store::Store;

/// Feeds due within this much of the earliest one are polled in the same round.
const ROUND_GATHER: Duration = Duration::from_secs(5);
/// One line of totals this often.
const SUMMARY_EVERY: Duration = Duration::from_secs(15 * 60);
/// Index buffer for the daemon's writer.
const INDEX_MEMORY: usize = 20_000_000;

/// What can change on SIGHUP.
struct Live {
    cfg: Config,
    fetcher: Arc<Fetcher>,
    mailer: Mailer,
    renderer: Renderer,
    templates: Templates,
}

impl Live {
    fn new(cfg: Config) -> Result<Live> {
        Ok(Live {
            fetcher: Arc::new(Fetcher::new(&cfg.poll)?),
            mailer: Mailer::new(&cfg)?,
            renderer: Renderer::new(&cfg.digest.templates_dir)?,
            templates: Templates::load(&cfg.digest.questions_file)?,
            cfg,
        })
    }
}

#[derive(Default)]
struct Totals {
    rounds: u64,
    polled: u64,
    failed: u64,
    new_items: u64,
    updated_items: u64,
}

/// Runs the daemon with `cfg`, read from `config_path` (re-read on SIGHUP).
pub fn run(config_path: PathBuf, cfg: Config) -> Result<()> {
    limit_malloc_arenas();
    let _lock = lock::acquire(&cfg.data_dir)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(16)
        .build()?;
    runtime.block_on(serve(config_path, cfg))
}

async fn serve(config_path: PathBuf, cfg: Config) -> Result<()> {
    let mut store = Store::open(&cfg.data_dir)?;
    store.sync_config_feeds(&cfg.feeds, Utc::now().timestamp())?;
    // The index is opened for each piece of work and closed after it: its
    // readers hold caches that an idle daemon has no use for.
    let data_dir = cfg.data_dir.clone();
    let index = SearchIndex::open(&data_dir)?;
    let healed = index.sync(&store, &mut index.writer(1, INDEX_MEMORY)?)?;
    if healed.indexed + healed.deleted > 0 {
        tracing::info!(
            indexed = healed.indexed,
            deleted = healed.deleted,
            "index caught up with the database"
        );
    }
    let mut live = Live::new(cfg)?;
    tracing::info!(
        pid = std::process::id(),
        feeds = live.cfg.feeds.len(),
        data = %live.cfg.data_dir.display(),
        "tricorder daemon started; digest schedule {}",
        live.cfg.digest.schedule_note
    );

    // Pending digests first, then one missed while we were down.
    send_due_digests(&live, &mut store).await;
    catch_up_missed_digest(&live, &mut store, &index).await;
    drop(index);

    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    let mut hup = signal(SignalKind::hangup())?;
    // Tell systemd (Type=notify) we are up; without systemd this does nothing.
    let _ = sd_notify::notify(&[sd_notify::NotifyState::Ready]);

    let mut totals = Totals::default();
    let mut last_summary = Instant::now();
    let mut next_digest = next_schedule(&live.cfg, Utc::now());
    loop {
        let now = Utc::now();
        let next_poll = store
            .next_poll_time()?
            .map(|t| DateTime::<Utc>::from_timestamp(t, 0).unwrap_or(now));
        let next_retry = store
            .due_digests(i64::MAX)?
            .iter()
            .map(|d| d.next_attempt)
            .min()
            .and_then(|t| DateTime::<Utc>::from_timestamp(t, 0));
        let wake = [next_poll, next_digest, next_retry]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(now + chrono::Duration::hours(1));
        let sleep_for = (wake - now)
            .to_std()
            .unwrap_or(Duration::ZERO)
            .min(SUMMARY_EVERY);

        tokio::select! {
            _ = term.recv() => { tracing::info!("SIGTERM: shutting down"); break; }
            _ = int.recv() => { tracing::info!("SIGINT: shutting down"); break; }
            _ = hup.recv() => {
                reload(&config_path, &mut live, &mut store);
                next_digest = next_schedule(&live.cfg, Utc::now());
                continue;
            }
            _ = tokio::time::sleep(sleep_for) => {}
        }

        let now = Utc::now();
        // Polls.
        if next_poll.is_some_and(|t| t <= now) {
            let horizon = (now + chrono::Duration::from_std(ROUND_GATHER)?).timestamp();
            let feeds = store.due_feeds(horizon)?;
            if !feeds.is_empty() {
                // The index writer lives for one round: between rounds its
                // buffers would only hold memory (the daemon idles for hours).
                let index = SearchIndex::open(&data_dir)?;
                let mut writer = index.writer(1, INDEX_MEMORY)?;
                let stop = poll_round(
                    &live,
                    &mut store,
                    &index,
                    &mut writer,
                    feeds,
                    &mut totals,
                    &mut term,
                    &mut int,
                )
                .await?;
                drop(writer);
                drop(index);
                store.release_memory()?;
                release_free_memory();
                if stop {
                    break;
                }
            }
        }
        // The scheduled digest.
        if let Some(at) = next_digest.filter(|t| *t <= now) {
            let index = SearchIndex::open(&data_dir)?;
            scheduled_digest(&live, &mut store, &index, at).await;
            drop(index);
            next_digest = next_schedule(&live.cfg, now);
            store.release_memory()?;
            release_free_memory();
        }
        // Retries.
        if next_retry.is_some_and(|t| t <= now) {
            send_due_digests(&live, &mut store).await;
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
    }

    let _ = sd_notify::notify(&[sd_notify::NotifyState::Stopping]);
    // Everything stored is committed; make the index say so too (a round
    // stopped by the signal has already committed what it stored).
    let index = SearchIndex::open(&data_dir)?;
    let mut writer = index.writer(1, INDEX_MEMORY)?;
    index.add_pending(&store, &mut writer, &mut |_, _| {})?;
    index.commit(&mut writer)?;
    tracing::info!(mark = index.mark()?, "index committed; stopped");
    Ok(())
}

/// Runs one poll round. Returns true if a stop signal arrived meanwhile: the
/// round is then abandoned between two feeds (each stored feed is already
/// committed), and the caller commits the index and exits.
#[allow(clippy::too_many_arguments)]
async fn poll_round(
    live: &Live,
    store: &mut Store,
    index: &SearchIndex,
    writer: &mut Writer,
    feeds: Vec<crate::store::FeedRow>,
    totals: &mut Totals,
    term: &mut tokio::signal::unix::Signal,
    int: &mut tokio::signal::unix::Signal,
) -> Result<bool> {
    let summary = {
        let mut after_each = |_: &poll::FeedReport, store: &Store| -> Result<()> {
            index.add_pending(store, writer, &mut |_, _| {})?;
            Ok(())
        };
        let round = poll::poll(store, &live.fetcher, &live.cfg.poll, feeds, &mut after_each);
        tokio::select! {
            s = round => Some(s?),
            _ = term.recv() => { tracing::info!("SIGTERM during a poll: stopping at a safe point"); None }
            _ = int.recv() => { tracing::info!("SIGINT during a poll: stopping at a safe point"); None }
        }
    };
    index.add_pending(store, writer, &mut |_, _| {})?;
    index.commit(writer)?;
    let Some(s) = summary else {
        return Ok(true);
    };
    totals.rounds += 1;
    totals.polled += s.feeds as u64;
    totals.failed += s.failed as u64;
    totals.new_items += s.new_items as u64;
    totals.updated_items += s.updated_items as u64;
    tracing::info!(
        feeds = s.feeds,
        fetched = s.fetched,
        not_modified = s.not_modified,
        failed = s.failed,
        new_items = s.new_items,
        updated_items = s.updated_items,
        ms = s.elapsed_ms,
        "poll round done"
    );
    Ok(false)
}

/// glibc gives every thread that allocates its own arena (up to 8 per
/// core); for a daemon that idles most of the time, two arenas hold far
/// less memory between rounds at no measurable cost to a round.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; called before any threads start.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Gives memory freed by a round back to the system. glibc keeps freed
/// memory in per-thread arenas (the parsing threads each have one), and a
/// daemon that idles for hours should not sit on a round's peak.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn next_schedule(cfg: &Config, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    cfg.digest
        .schedule
        .after(&after.with_timezone(&cfg.digest.timezone))
        .next()
        .map(|t| t.with_timezone(&Utc))
}

/// The digest for a schedule time: composed, stored, then sent.
async fn scheduled_digest(live: &Live, store: &mut Store, index: &SearchIndex, at: DateTime<Utc>) {
    let period = crate::digest::period_of(live.cfg.digest.timezone, at);
    let now = Utc::now();
    match mail::deliver::prepare(&live.cfg, store, index, &live.templates, &period, at, now) {
        Ok(mail::deliver::Prepared::Created(_)) => {
            tracing::info!(period = %period, "digest composed");
        }
        Ok(mail::deliver::Prepared::Existing(row)) => {
            tracing::info!(period = %period, status = %row.status, "digest for this period exists already; not composing another");
        }
        Ok(mail::deliver::Prepared::Skipped) => {
            tracing::info!(period = %period, "quiet day: digest skipped as configured");
        }
        Err(e) => {
            tracing::error!(period = %period, "cannot compose the digest: {e:#}");
            return;
        }
    }
    send_due_digests(live, store).await;
}

/// Sends stored digests whose (next) attempt is due.
async fn send_due_digests(live: &Live, store: &mut Store) {
    let now = Utc::now();
    match mail::deliver::send_due(
        &live.cfg,
        store,
        &live.mailer,
        &live.renderer,
        &live.templates,
        now,
    )
    .await
    {
        Ok(reports) => {
            for r in reports {
                tracing::info!(period = %r.period, status = %r.status, sent = r.sent.len(), "digest attempt done");
            }
        }
        Err(e) => tracing::error!("digest delivery failed: {e:#}"),
    }
}

/// At start-up: if a schedule time passed while the daemon was down, within
/// the grace period, and its period has no digest, send it now (once).
async fn catch_up_missed_digest(live: &Live, store: &mut Store, index: &SearchIndex) {
    let now = Utc::now();
    let Ok(grace) = chrono::Duration::from_std(live.cfg.digest.grace) else {
        return;
    };
    let tz = live.cfg.digest.timezone;
    let missed = live
        .cfg
        .digest
        .schedule
        .after(&(now - grace).with_timezone(&tz))
        .take_while(|t| t.with_timezone(&Utc) <= now)
        .last();
    let Some(at) = missed.map(|t| t.with_timezone(&Utc)) else {
        return;
    };
    let period = crate::digest::period_of(live.cfg.digest.timezone, at);
    if matches!(store.digest(&period), Ok(Some(_))) {
        return;
    }
    tracing::info!(period = %period, scheduled = %at, "a digest was missed while the daemon was down; sending it now");
    scheduled_digest(live, store, index, at).await;
}

/// SIGHUP: a new config replaces the old one only if it loads completely.
fn reload(path: &std::path::Path, live: &mut Live, store: &mut Store) {
    let mut attempt = || -> Result<Live> {
        let cfg = config::load(path)?;
        if cfg.data_dir != live.cfg.data_dir {
            anyhow::bail!(
                "data_dir changed ({} -> {}); that needs a restart",
                live.cfg.data_dir.display(),
                cfg.data_dir.display()
            );
        }
        let next = Live::new(cfg)?;
        store
            .sync_config_feeds(&next.cfg.feeds, Utc::now().timestamp())
            .context("cannot update the feeds table")?;
        Ok(next)
    };
    match attempt() {
        Ok(next) => {
            tracing::info!(
                feeds = next.cfg.feeds.len(),
                recipients = next.cfg.digest.recipients.len(),
                "SIGHUP: configuration reloaded from {}; digest schedule {}",
                path.display(),
                next.cfg.digest.schedule_note
            );
            *live = next;
        }
        Err(e) => tracing::error!(
            "SIGHUP: the new configuration was rejected, the previous one stays in force: {e:#}"
        ),
    }
}
