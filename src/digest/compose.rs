//! Composing a digest from the analysis: topics with their evidence and a
//! short brief, the industry's questions, starters, and feed health.

use std::collections::HashSet;

use anyhow::Result;
use chrono::{DateTime, Utc};

use super::model::*;
use super::record::{self, Day, Record, TopicRecord};
use super::starters::{self, Fill, Templates};
use crate::analyse::{self, phrases, questions, trends};
use crate::config::{Config, QuietDay};
use crate::index::SearchIndex;
use crate::store::Store;

/// Fewer trending topics than this makes a quiet day.
pub const QUIET_BELOW: usize = 2;

/// Builds the digest for `period` as of `as_of`, or `None` when the day is
/// quiet and the config says to skip quiet days. `history` gives, per topic
/// key, the starters used in the previous digest (never repeated).
pub fn compose(
    cfg: &Config,
    store: &Store,
    index: &SearchIndex,
    templates: &Templates,
    period: &str,
    as_of: DateTime<Utc>,
    history: &dyn Fn(&str) -> Vec<String>,
) -> Result<Option<Record>> {
    let d = &cfg.digest;
    let mut params = trends::Params {
        max_topics: d.topics,
        ..trends::Params::from_config(&cfg.analysis, as_of)?
    };
    let window = params.window;
    let mut topics = trends::trends(index, store, &params)?;
    let quiet = topics.len() < QUIET_BELOW;
    if quiet {
        if d.quiet == QuietDay::Skip {
            return Ok(None);
        }
        // A quiet day still says something: the week's topics, judged less
        // strictly (two feeds are enough) and at most three of them.
        params.min_feeds = cfg.analysis.min_feeds.clamp(1, 2);
        params.max_topics = 3;
        topics = trends::trends(index, store, &params)?;
    }
    let since = as_of - chrono::Duration::from_std(cfg.analysis.questions_since)?;
    let open = analyse::open_questions(store, &topics, since, as_of, None)?;

    let mut views = Vec::new();
    let mut starter_groups = Vec::new();
    let mut expert = Vec::new();
    for t in &topics {
        let links: Vec<Link> = t.items.iter().take(3).map(evidence_link).collect();
        let topic_questions: Vec<&analyse::OpenQuestion> = open
            .iter()
            .filter(|q| q.topic.as_deref() == Some(t.label.as_str()))
            .collect();
        let audience = &d.audiences[pick(period, &t.key, d.audiences.len())];
        let claims = super::claims::find(store, t)?;
        let fill = Fill {
            topic: &t.label,
            topic_type: t.topic_type,
            industry: &d.industry,
            audience: (&audience.0, &audience.1),
            question: topic_questions.first().map(|q| q.question.as_str()),
            claim: claims.first(),
        };
        let avoid = history(&t.key);
        // Read the quoted item first.
        let mut read_first = links.clone();
        if let Some(c) = claims.first()
            && !read_first.contains(&c.source)
        {
            read_first.insert(0, c.source.clone());
            read_first.truncate(3);
        }
        starter_groups.push(StarterGroup {
            topic: t.label.clone(),
            read_first,
            starters: starters::choose(templates, period, &t.key, &fill, 3, &avoid),
        });
        expert.push(ExpertGroup {
            topic: t.label.clone(),
            open_questions: topic_questions
                .iter()
                .take(3)
                .map(|q| question_view(q))
                .collect(),
            checks: starters::checks(templates, period, &t.key, &fill, 2),
        });
        views.push(TopicRecord {
            label: t.label.clone(),
            kind: match t.kind {
                trends::Kind::Story => "story",
                trends::Kind::Theme => "theme",
            }
            .to_owned(),
            topic_type: t.topic_type.as_str().to_owned(),
            headline: t.headline.clone(),
            growth: t.growth,
            count: t.count,
            expected: t.expected,
            feeds: t.feeds,
            story_count: t.story_count,
            window_days: window.num_days(),
            daily: t
                .daily
                .iter()
                .map(|day| Day {
                    date: day.date.to_string(),
                    count: day.count,
                    in_window: day.window,
                })
                .collect(),
            related: t.phrases.iter().skip(1).take(4).cloned().collect(),
            stories: t
                .stories
                .iter()
                .map(|s| StoryLink {
                    headline: s.headline.clone(),
                    url: s.url.clone(),
                    feeds: s.feeds.clone(),
                    items: s.items,
                    first_seen: s.first_seen.get(..10).unwrap_or(&s.first_seen).to_owned(),
                })
                .collect(),
            read: links,
            what_we_know: brief(store, t)?,
        });
    }

    let feeds = store.active_feeds()?;
    let failing: Vec<FailingFeed> = feeds
        .iter()
        .filter(|f| f.last_error.is_some())
        .map(|f| FailingFeed {
            name: f.display_name().to_owned(),
            url: f.url.clone(),
            error: f.last_error.clone().unwrap_or_default(),
            failures: f.error_count,
        })
        .collect();
    let items = store.count_items_between((as_of - window).timestamp(), as_of.timestamp())?;
    let date = period_date(period);
    let short = date
        .map(|d| d.format("%a %-d %b").to_string())
        .unwrap_or_else(|| period.to_owned());
    let subject = match topics.first() {
        Some(top) if !quiet => {
            let more = topics.len() - 1;
            format!(
                "tricorder, {short}: {} is rising{}",
                top.label,
                if more > 0 {
                    format!(" (+{more} more)")
                } else {
                    String::new()
                }
            )
        }
        Some(top) => format!(
            "tricorder, {short}: a quiet day; {} is still building",
            top.label
        ),
        None => format!("tricorder, {short}: a quiet day"),
    };
    Ok(Some(Record {
        version: record::VERSION,
        period: period.to_owned(),
        date_long: date
            .map(|d| d.format("%A %-d %B %Y").to_string())
            .unwrap_or_else(|| period.to_owned()),
        subject,
        industry: d.industry.clone(),
        quiet,
        topics: views,
        questions: open.iter().take(d.questions).map(question_view).collect(),
        starters: starter_groups,
        expert,
        health: Health {
            feeds: feeds.len(),
            healthy: feeds.len() - failing.len(),
            failing,
            items,
        },
        config_path: cfg.path.display().to_string(),
        topic_pages: topic_pages(store, index, &topics, as_of, &params)?,
    }))
}

fn period_date(period: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(period, "%Y-%m-%d").ok()
}

fn pick(period: &str, key: &str, n: usize) -> usize {
    if n <= 1 {
        return 0;
    }
    let h = period
        .bytes()
        .chain(key.bytes())
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    (h % n as u64) as usize
}

fn evidence_link(e: &trends::Evidence) -> Link {
    Link {
        title: e.title.clone(),
        url: e.url.clone(),
        feed: e.feed.clone(),
        date: e.published.get(..10).unwrap_or(&e.published).to_owned(),
    }
}

fn question_view(q: &analyse::OpenQuestion) -> QuestionView {
    QuestionView {
        question: q.question.clone(),
        topic: q.topic.clone(),
        sources: q
            .sources
            .iter()
            .take(3)
            .map(|s| Link {
                title: s.title.clone(),
                url: s.url.clone(),
                feed: s.feed.clone(),
                date: s.published.get(..10).unwrap_or(&s.published).to_owned(),
            })
            .collect(),
    }
}

/// "What we know": up to three statements about the topic from its best
/// items, one per item, each with its source. Statements name the topic
/// (or one of its phrases), are 8–40 words long, and are not questions.
fn brief(store: &Store, t: &trends::Topic) -> Result<Vec<BriefSentence>> {
    let ids: Vec<i64> = t.items.iter().map(|e| e.id).collect();
    let items = store.items_by_ids(&ids)?;
    let keys: Vec<Vec<String>> = t
        .phrase_keys
        .iter()
        .filter(|k| k.contains(' ') || **k == t.key)
        .map(|k| k.split(' ').map(str::to_owned).collect())
        .collect();
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for item in &items {
        let found = item
            .body
            .split("\n\n")
            .filter(|p| !phrases::is_boilerplate_paragraph(p))
            .flat_map(questions::sentences)
            .find(|s| {
                let words = s.split_whitespace().count();
                let key = phrases::normalise(s).unwrap_or_default();
                (8..=40).contains(&words)
                    && !s.ends_with('?')
                    && !s.starts_with(['"', '“'])
                    && keys.iter().any(|k| {
                        let k: Vec<&str> = k.iter().map(String::as_str).collect();
                        trends::contains_words(&key, &k)
                    })
            });
        // Near-identical statements (syndicated copy, "fell by 25%" vs "fell
        // by 32%") count once.
        let norm = found.map(questions::normalise);
        if let (Some(s), Some(n)) = (found, norm)
            && !seen
                .iter()
                .any(|x: &String| questions::similarity(x, &n) >= 0.6)
            && seen.insert(n)
        {
            out.push(BriefSentence {
                text: s.to_owned(),
                source: Link {
                    title: item.title.clone(),
                    url: item.url.clone(),
                    feed: item.feed_name.clone(),
                    date: crate::store::rfc3339(item.published)[..10].to_owned(),
                },
            });
        }
        if out.len() >= 3 {
            break;
        }
    }
    Ok(out)
}

/// How far back a digest's topic page looks.
const TOPIC_PAGE_DAYS: i64 = 90;

/// Each topic's `tricorder topic` report, for the page beside the digest.
fn topic_pages(
    store: &Store,
    index: &SearchIndex,
    topics: &[trends::Topic],
    as_of: DateTime<Utc>,
    p: &trends::Params,
) -> Result<Vec<serde_json::Value>> {
    let mut out = Vec::new();
    for t in topics {
        // The topic as trends found it: its label and key phrase.
        let history = [crate::analyse::topic::row_of(t, as_of.timestamp(), None)];
        let q = crate::analyse::topic::Params {
            query: t.label.clone(),
            since: as_of - chrono::Duration::days(TOPIC_PAGE_DAYS),
            as_of,
            window: p.window,
            baseline: p.baseline,
        };
        match crate::analyse::topic::report(index, store, &history, &q) {
            Ok(r) => out.push(serde_json::to_value(&r)?),
            // A page is a convenience: the digest goes out without it.
            Err(e) => {
                tracing::warn!("no topic page for {:?}: {e}", t.label);
                out.push(serde_json::Value::Null);
            }
        }
    }
    Ok(out)
}
