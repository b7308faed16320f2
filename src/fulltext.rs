//! Full text for excerpt feeds: after a poll has stored a round's items,
//! read the pages of the new ones that need it and keep their article text
//! beside the feed's summary (`[poll] full_text`, or `full_text = true` on
//! a feed).
//!
//! The pages are fetched as politely as feeds: the same [`Fetcher`] (its
//! per-host limit, timeout, body cap and redirect rules), hosts that asked
//! us to wait (Retry-After) are left alone, and a round reads at most
//! `full_text_budget` pages. Each item is read once: a page that fails is
//! recorded as failed, its summary stays, and it is never tried again.
//! A Retry-After is the one exception: nothing is recorded, the host is
//! blocked, and the page waits for a later round.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use anyhow::Result;
use chrono::Utc;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use url::Url;

use crate::analyse;
use crate::config::{FULL_TEXT_AUTO_WORDS, FullText, PollConfig};
use crate::fetch::{Fetcher, Validators, host_key};
use crate::parse::article;
use crate::shutdown::Shutdown;
use crate::store::{ArticleOutcome, ArticleWanted, Store};

/// Only items first seen this recently are read: turning full text on
/// does not send a burst of requests for a feed's whole history.
const RECENT_SECS: i64 = 3 * 86_400;

/// What a full-text round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ArticleTotals {
    pub fetched: usize,
    pub failed: usize,
    /// Left for a later round: the host asked us to wait.
    pub deferred: usize,
}

/// Reads the pages of the recent items that want their full text, within
/// the round's budget, and stores what they give. Stops between two pages
/// on shutdown (every page stored so far is kept).
pub async fn read_articles(
    cfg: &PollConfig,
    store: &mut Store,
    fetcher: &Arc<Fetcher>,
    shutdown: &mut Shutdown,
) -> Result<ArticleTotals> {
    let mut totals = ArticleTotals::default();
    let now = Utc::now().timestamp();
    let auto = (cfg.full_text == FullText::Auto).then_some(FULL_TEXT_AUTO_WORDS);
    let wanted = tokio::task::block_in_place(|| {
        store.articles_wanted(now - RECENT_SECS, auto, cfg.full_text_budget)
    })?;
    if wanted.is_empty() {
        return Ok(totals);
    }
    let mut blocked: HashMap<String, i64> = store.blocked_hosts(now)?.into_iter().collect();
    let slots = Arc::new(Semaphore::new(cfg.concurrency.max(1)));
    let mut tasks = JoinSet::new();
    for w in wanted {
        let url = match page_url(&w) {
            Ok(u) => u,
            Err(error) => {
                tracing::warn!(feed = %w.feed_url, url = %w.url, "full text: not read: {error}");
                store.record_article(
                    w.item_id,
                    &ArticleOutcome::Failed {
                        url: w.url.clone(),
                        error,
                    },
                    now,
                )?;
                totals.failed += 1;
                continue;
            }
        };
        if blocked
            .get(&host_key(&url))
            .is_some_and(|until| *until > now)
        {
            totals.deferred += 1;
            continue;
        }
        let fetcher = fetcher.clone();
        let slots = slots.clone();
        tasks.spawn(async move {
            let _slot = slots.acquire_owned().await.ok();
            let outcome = read_one(&fetcher, &w, &url).await;
            (w, url, outcome)
        });
    }
    loop {
        let joined = tokio::select! {
            j = tasks.join_next() => j,
            name = shutdown.recv() => {
                tracing::info!("{name} while reading articles: stopping; the rest wait for the next round");
                break;
            }
        };
        let Some(joined) = joined else { break };
        let (w, url, outcome) = match joined {
            Ok(r) => r,
            Err(e) => {
                tracing::error!("an article task failed unexpectedly: {e}");
                continue;
            }
        };
        let now = Utc::now().timestamp();
        let outcome = match outcome {
            Read::Done(o) => o,
            Read::Wait(secs) => {
                let until = now + secs;
                let host = host_key(&url);
                tokio::task::block_in_place(|| store.block_host(&host, until))?;
                blocked.insert(host, until);
                totals.deferred += 1;
                continue;
            }
        };
        match &outcome {
            ArticleOutcome::Fetched { text, .. } => {
                tracing::debug!(feed = %w.feed_url, url = %w.url, words = text.split_whitespace().count(), "full text read");
                totals.fetched += 1;
            }
            ArticleOutcome::Failed { error, .. } => {
                tracing::warn!(feed = %w.feed_url, url = %w.url, "full text: keeping the feed's summary: {error}");
                totals.failed += 1;
            }
        }
        tokio::task::block_in_place(|| store.record_article(w.item_id, &outcome, now))?;
    }
    if totals != ArticleTotals::default() {
        tracing::info!(
            fetched = totals.fetched,
            failed = totals.failed,
            deferred = totals.deferred,
            "full text round done"
        );
    }
    Ok(totals)
}

enum Read {
    Done(ArticleOutcome),
    /// The host asked us to wait this many seconds.
    Wait(i64),
}

/// Fetches one page and extracts its article; the CPU part off the async
/// workers.
async fn read_one(fetcher: &Fetcher, w: &ArticleWanted, url: &Url) -> Read {
    let failed = |error: String| {
        Read::Done(ArticleOutcome::Failed {
            url: url.to_string(),
            error,
        })
    };
    let fetched = match fetcher.fetch(url, &Validators::default()).await {
        Ok(f) => f,
        Err(e) => {
            if let Some(wait) = e.retry_after() {
                return Read::Wait(wait.as_secs() as i64);
            }
            return failed(e.to_string());
        }
    };
    let Some(body) = fetched.body else {
        return failed("the server sent no page".into());
    };
    let final_url = fetched.final_url.clone();
    let media_type = fetched.media_type.clone();
    let title = w.title.clone();
    let body_words = w.body_words;
    let done = tokio::task::spawn_blocking(move || {
        let text = article::extract(&body, media_type.as_deref(), &final_url)
            .map_err(|e| e.to_string())?;
        // A page that says less than the feed did is not the article.
        let words = text.split_whitespace().count();
        if words <= body_words {
            return Err(format!(
                "the page's text ({words} words) is no longer than the feed's ({body_words})"
            ));
        }
        let extracted =
            analyse::extract_feed_where(std::iter::once((title.as_str(), text.as_str())), |_| true)
                .pop()
                .unwrap_or_default();
        Ok(ArticleOutcome::Fetched {
            url: final_url.to_string(),
            text,
            phrases: extracted.phrases,
            questions: extracted.questions,
        })
    })
    .await;
    match done {
        Ok(Ok(outcome)) => Read::Done(outcome),
        Ok(Err(e)) => failed(e),
        Err(e) => failed(format!("the extraction crashed: {e}")),
    }
}

/// The page to read for an item, if it may be read: http or https only (an
/// item's link is the feed's say-so, and a feed may not make us read local
/// files), and a loopback or private address only when the feed itself
/// lives on one.
fn page_url(w: &ArticleWanted) -> Result<Url, String> {
    let url = Url::parse(&w.url).map_err(|e| format!("bad link: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("a {} link is not read", url.scheme()));
    }
    let feed_local = Url::parse(&w.feed_url).is_ok_and(|f| is_local(&f));
    if is_local(&url) && !feed_local {
        return Err(
            "a link to a local or private address from a feed elsewhere is not read".into(),
        );
    }
    Ok(url)
}

fn is_local(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost") || d.to_ascii_lowercase().ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => {
            let ip = IpAddr::V4(ip);
            ip.is_loopback()
                || ip.is_unspecified()
                || matches!(ip, IpAddr::V4(v4) if v4.is_private() || v4.is_link_local())
        }
        Some(url::Host::Ipv6(ip)) => {
            ip.is_loopback() || ip.is_unspecified() || (ip.segments()[0] & 0xfe00) == 0xfc00
        }
        None => url.scheme() == "file",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted(url: &str, feed_url: &str) -> ArticleWanted {
        ArticleWanted {
            item_id: 1,
            url: url.into(),
            title: "t".into(),
            body_words: 10,
            feed_url: feed_url.into(),
            feed_asked: true,
        }
    }

    /// An item's link is the feed's say-so: it may not make us read a
    /// local file, or an address inside the network from a feed outside it.
    #[test]
    fn only_pages_a_feed_may_point_at_are_read() {
        let remote = "https://news.example.com/feed.xml";
        assert!(page_url(&wanted("https://news.example.com/a.html", remote)).is_ok());
        assert!(page_url(&wanted("file:///etc/passwd", remote)).is_err());
        assert!(page_url(&wanted("ftp://news.example.com/a", remote)).is_err());
        assert!(page_url(&wanted("http://127.0.0.1:8080/admin", remote)).is_err());
        assert!(page_url(&wanted("http://10.1.2.3/", remote)).is_err());
        assert!(page_url(&wanted("http://[::1]/", remote)).is_err());
        assert!(page_url(&wanted("http://localhost/x", remote)).is_err());
        // A feed served from this machine may link to pages on it.
        let local = "http://127.0.0.1:8080/feed.xml";
        assert!(page_url(&wanted("http://127.0.0.1:8080/a.html", local)).is_ok());
        assert!(page_url(&wanted("file:///etc/passwd", local)).is_err());
    }
}
