//! One ingest round: poll the chosen feeds (fetch, parse, analyse, store)
//! and bring the search index up to the store, the one path that both
//! `tricorder poll` and the daemon's poll worker take.
//!
//! The order of the two writes is the whole crash story: each feed's items
//! are committed to SQLite first and handed to the index writer after, and
//! the index is committed once at the end with the store revision it
//! reflects. A kill at any point leaves the index behind the store, never
//! ahead of it, and the next round (or `heal` at start-up) catches up.

use std::sync::Arc;

use anyhow::{Context, Result};

use crate::config::Config;
use crate::fetch::Fetcher;
use crate::fulltext::{self, ArticleTotals};
use crate::index::SearchIndex;
use crate::poll::{self, FeedReport, PollSummary};
use crate::shutdown::Shutdown;
use crate::store::{FeedRow, Store};

/// What a round did.
#[derive(Debug)]
pub struct Round {
    /// `None` when the stop signal ended the round between two feeds: every
    /// feed stored so far is committed and indexed, the rest wait.
    pub summary: Option<PollSummary>,
    /// Article pages read for their full text (`[poll] full_text`).
    pub articles: ArticleTotals,
    /// Whether the index has outgrown the frequent words it was built with
    /// (`SearchIndex::retune_due`); never asked after a stop.
    pub retune_due: Option<(i64, i64)>,
}

/// Polls `feeds` and indexes what changed. `progress` is called after each
/// feed is stored and indexed. The index is healed first: if an earlier run
/// died between its SQLite and index commits, the gap is closed here.
pub async fn poll_and_index(
    cfg: &Config,
    store: &mut Store,
    feeds: Vec<FeedRow>,
    shutdown: &mut Shutdown,
    progress: &mut (dyn FnMut(&FeedReport) + Send),
) -> Result<Round> {
    let fetcher = Arc::new(Fetcher::new(&cfg.poll).context("cannot set up the HTTP client")?);
    let index = SearchIndex::open(&cfg.data_dir, store)?;
    let mut writer = index.incremental_writer()?;
    tokio::task::block_in_place(|| index.heal(store, &mut writer))?;
    let summary = {
        // Each feed's changes go to the index writer as soon as its SQLite
        // transaction commits, so indexing overlaps fetching.
        let mut after_each = |report: &FeedReport, store: &Store| -> Result<()> {
            index.add_pending(store, &mut writer, &mut |_, _| {})?;
            progress(report);
            Ok(())
        };
        let round = poll::poll(store, &fetcher, &cfg.poll, feeds, &mut after_each);
        tokio::select! {
            s = round => Some(s?),
            name = shutdown.recv() => {
                tracing::info!("{name} during a poll: stopping at a safe point");
                None
            }
        }
    };
    // Then the pages of new excerpt items: their text replaces the summary
    // in analysis and search, and the index picks the changes up below.
    // A failure here loses no feed: the round's items are stored already.
    let mut articles = ArticleTotals::default();
    if summary.is_some() && !shutdown.is_shutdown() {
        match fulltext::read_articles(&cfg.poll, store, &fetcher, shutdown).await {
            Ok(t) => articles = t,
            Err(e) => tracing::error!("full text: the round stopped: {e:#}"),
        }
    }
    tokio::task::block_in_place(|| -> Result<()> {
        index.add_pending(store, &mut writer, &mut |_, _| {})?;
        index.commit(&mut writer)
    })?;
    tracing::info!(mark = index.mark()?, "index updated");
    let retune_due = match summary {
        None => None,
        Some(_) => index.retune_due(store).unwrap_or_else(|e| {
            tracing::warn!("cannot tell whether the index needs a rebuild: {e:#}");
            None
        }),
    };
    Ok(Round {
        summary,
        articles,
        retune_due,
    })
}
