//! `tricorder topic`: one topic's timeline, stories, voices, questions and
//! related topics; `tricorder topics`: every topic that trended in a period.

use anyhow::Result;
use chrono::{DateTime, Utc};
use clap::Args;

use super::{Config, UsageError, as_of, open_for_reading, plural, usage_duration};
use crate::analyse::topic::{self, Report, TopicError, Trended};
use crate::analyse::trends;
use crate::index::{SearchError, SearchIndex};
use crate::store::{Store, TrendedRow, rfc3339};

#[derive(Args, Debug)]
pub struct TopicArgs {
    /// A topic's label, a phrase, or a search query (the `search` syntax)
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// How far back the timeline goes from --as-of
    #[arg(long, value_name = "DURATION", default_value = "180d")]
    pub since: String,
    /// End of the period: a date (end of that day, UTC) or RFC 3339 time [default: now]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct TopicsArgs {
    /// The period whose closed weeks are listed, back from --as-of
    #[arg(long, value_name = "DURATION", default_value = "90d")]
    pub since: String,
    /// Only topics whose label or phrases hold all these words (stemmed, accent-folded)
    #[arg(long, value_name = "WORDS")]
    pub query: Option<String>,
    /// End of the period: a date (end of that day, UTC) or RFC 3339 time [default: now]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

pub fn cmd_topic(cfg: &Config, args: &TopicArgs) -> Result<()> {
    let started = std::time::Instant::now();
    let as_of = as_of(cfg, args.as_of.as_deref())?;
    let since = as_of - usage_duration(&args.since)?;
    let (store, index) = open_for_reading(cfg)?;
    // Only what is recorded: naming a topic must not cost a backfill.
    let history = store.trended_between(since.timestamp() - 1, as_of.timestamp())?;
    let p = topic::Params {
        query: args.query.join(" "),
        since,
        as_of,
        window: chrono::Duration::from_std(cfg.analysis.window)?,
        baseline: chrono::Duration::from_std(cfg.analysis.baseline)?,
    };
    let report = match topic::report(&index, &store, &history, &p) {
        Ok(r) => r,
        Err(TopicError::Query(e @ SearchError::Query { .. })) => {
            return Err(UsageError(e.to_string()).into());
        }
        Err(TopicError::Query(e)) => return Err(e.into()),
        Err(TopicError::Period(m)) => return Err(UsageError(m).into()),
        Err(TopicError::Other(e)) => return Err(e),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    print_report(&report);
    eprintln!("({:.0} ms)", started.elapsed().as_secs_f64() * 1000.0);
    Ok(())
}

fn day(s: &str) -> &str {
    s.get(..10).unwrap_or(s)
}

fn print_report(r: &Report) {
    let name = r.topic.as_deref().unwrap_or(&r.query);
    if r.items == 0 {
        println!(
            "No items match {:?} from {} to {}.",
            r.query,
            day(&r.since),
            day(&r.as_of)
        );
        if r.since < r.data_from {
            println!("The data starts on {}.", day(&r.data_from));
        }
        if !r.suggestions.is_empty() {
            println!("Nearest topics and phrases: {}", r.suggestions.join(", "));
        }
        return;
    }
    println!(
        "{name}: {} item{} from {} to {}{}",
        r.items,
        plural(r.items),
        day(&r.since),
        day(&r.as_of),
        if r.since < r.data_from {
            format!(" (the data starts on {})", day(&r.data_from))
        } else {
            String::new()
        }
    );
    println!("\nTimeline (per {}, share of all items):", r.bucket);
    // Every bucket since the data starts, empty ones too: "nothing before
    // the surge" is part of the answer.
    let before_data = r.timeline.iter().take_while(|b| b.total == 0).count();
    println!(
        "  {}",
        r.sparkline.chars().skip(before_data).collect::<String>()
    );
    for b in &r.timeline[before_data..] {
        println!("  {}  {:>5}  {:>6.2} %", b.start, b.count, b.share * 100.0);
    }
    if let Some(f) = &r.first_seen {
        println!("  first seen {}", day(f));
    }
    if let Some(p) = &r.peak {
        println!(
            "  peak: the {} of {} ({} items)",
            r.bucket, p.start, p.count
        );
    }
    let g = &r.now;
    println!(
        "  now: {} in the last {} days, expected {:.1}: ×{:.1}{}",
        g.count,
        g.window_days,
        g.expected,
        g.growth,
        if g.rising { ", rising" } else { ", not rising" }
    );
    println!("\nStories, newest first:");
    for s in r.stories.iter().take(topic::STORIES_SHOWN.min(8)) {
        println!(
            "  {} to {}  {}  [{}]",
            day(&s.first_seen),
            day(&s.last_seen),
            s.headline,
            s.feeds.join(", ")
        );
        if let Some(u) = &s.url {
            println!("      {u}");
        }
    }
    if r.stories.len() > 8 {
        println!("  … {} more (--json lists them)", r.stories.len() - 8);
    }
    println!("\nVoices:");
    let feeds: Vec<String> = r
        .voices
        .feeds
        .iter()
        .take(topic::VOICES_SHOWN)
        .map(|v| format!("{} ({})", v.name, v.count))
        .collect();
    println!("  feeds: {}", feeds.join(", "));
    if !r.voices.authors.is_empty() {
        let authors: Vec<String> = r
            .voices
            .authors
            .iter()
            .take(topic::VOICES_SHOWN)
            .map(|v| {
                format!(
                    "{} in {} ({})",
                    v.name,
                    v.feed.as_deref().unwrap_or("?"),
                    v.count
                )
            })
            .collect();
        println!("  authors: {}", authors.join(", "));
    }
    if !r.questions.is_empty() {
        println!("\nQuestions:");
        for q in r.questions.iter().take(topic::QUESTIONS_SHOWN.min(8)) {
            let src: Vec<String> = q
                .sources
                .iter()
                .map(|s| format!("{}, {}", s.feed, day(&s.published)))
                .collect();
            println!("  - {}  ({})", q.question, src.join("; "));
        }
    }
    if !r.related.is_empty() {
        println!("\nRelated (together / in all; G²):");
        for x in &r.related {
            println!(
                "  {}{}  {}/{}  G² {:.1}",
                x.phrase,
                x.topic
                    .as_deref()
                    .map(|t| format!(" [topic: {t}]"))
                    .unwrap_or_default(),
                x.together,
                x.count,
                x.llr
            );
        }
    }
    if r.sampled {
        println!(
            "\n(stories, authors and questions from the newest {} items)",
            topic::ITEMS_READ
        );
    }
}

/// The trended topics of every week ending in `(since, as_of]`, the open
/// week included: weeks not yet recorded (or whose items changed) are
/// computed once and kept (see [`topic::record_weeks`]), saying so on stderr.
pub fn history(
    store: &mut Store,
    index: &SearchIndex,
    p: &trends::Params,
    since: DateTime<Utc>,
    as_of: DateTime<Utc>,
) -> Result<Vec<TrendedRow>> {
    let (due, open_end) = topic::weeks_due(store, p.window, since, as_of)?;
    if !due.is_empty() {
        eprintln!(
            "topics: computing the trends of {} week{} not yet recorded (once: they are kept)…",
            due.len(),
            plural(due.len())
        );
    }
    topic::record_weeks(store, index, p, &due)?;
    store.trended_between(since.timestamp(), open_end.max(as_of.timestamp()))
}

pub fn cmd_topics(cfg: &Config, args: &TopicsArgs) -> Result<()> {
    let started = std::time::Instant::now();
    let as_of = as_of(cfg, args.as_of.as_deref())?;
    let since = as_of - usage_duration(&args.since)?;
    let (mut store, index) = open_for_reading(cfg)?;
    if let Some((first, _)) = store.published_range()?
        && as_of.timestamp() < first
    {
        return Err(UsageError(format!(
            "the period ends on {} but the data starts on {}",
            as_of.format("%Y-%m-%d"),
            &rfc3339(first)[..10]
        ))
        .into());
    }
    let p = trends::Params::from_config(&cfg.analysis, as_of)?;
    let rows = history(&mut store, &index, &p, since, as_of)?;
    let listed = topic::merge_history(&index, &rows, args.query.as_deref());
    if args.json {
        println!("{}", serde_json::to_string_pretty(&listed)?);
        return Ok(());
    }
    print_topics(&listed, args, since, as_of);
    eprintln!("({:.0} ms)", started.elapsed().as_secs_f64() * 1000.0);
    Ok(())
}

fn print_topics(listed: &[Trended], args: &TopicsArgs, since: DateTime<Utc>, as_of: DateTime<Utc>) {
    println!(
        "Topics that trended from {} to {}{}{}",
        since.format("%Y-%m-%d"),
        as_of.format("%Y-%m-%d"),
        args.query
            .as_deref()
            .map(|q| format!(" matching {q:?}"))
            .unwrap_or_default(),
        if listed.is_empty() { "" } else { ":" }
    );
    if listed.is_empty() {
        println!("None. Try a longer --since or fewer words in --query.");
        return;
    }
    for t in listed {
        println!(
            "\n{}  [{} · {}]  peak ×{:.1}  {} to {} ({} week{})",
            t.label,
            t.kind,
            t.topic_type,
            t.peak_growth,
            t.first_week,
            t.last_week,
            t.weeks.len(),
            plural(t.weeks.len())
        );
        if !t.digests.is_empty() {
            println!("    in the digests of {}", t.digests.join(", "));
        }
        println!("    {}", t.command);
    }
}

/// `search --topic LABEL`: the query, restricted to the items the topic
/// stands for (as `topic` resolves it).
pub fn restrict(
    store: &Store,
    index: &SearchIndex,
    query: &str,
    topic_label: Option<&str>,
) -> Result<String> {
    let Some(label) = topic_label else {
        return Ok(query.to_owned());
    };
    let history = store.trended_between(i64::MIN, i64::MAX)?;
    let (alternatives, _) = topic::searches(index, label, &history);
    let scope = &alternatives[0];
    if let Err(e @ SearchError::Query { .. }) = index.check_query(scope) {
        return Err(UsageError(e.to_string()).into());
    }
    Ok(if query.trim().is_empty() {
        scope.clone()
    } else {
        format!("({query}) AND ({scope})")
    })
}

/// `items` as JSON, each with the `topic` command for its label (none for
/// an unlabelled story), so scripts can follow a topic as people do.
pub fn with_commands<T: serde::Serialize>(
    items: &[T],
    label: impl Fn(&T) -> &str,
) -> Result<Vec<serde_json::Value>> {
    items
        .iter()
        .map(|t| {
            let mut v = serde_json::to_value(t)?;
            if let Some(o) = v.as_object_mut() {
                let l = label(t);
                o.insert(
                    "command".into(),
                    if l.is_empty() {
                        serde_json::Value::Null
                    } else {
                        topic::command(l).into()
                    },
                );
            }
            Ok(v)
        })
        .collect()
}
