//! `tricorder stories`: the period's biggest stories, one event each with
//! every feed that carried it.

use anyhow::Result;
use clap::Args;

use super::{Config, as_of, open_for_reading, plural, usage_duration};
use crate::analyse::stories::{self, Story};

#[derive(Args, Debug)]
pub struct StoriesArgs {
    /// Period to group: the window before --as-of [default: analysis.window, 7d]
    #[arg(long, value_name = "DURATION")]
    pub window: Option<String>,
    /// End of the window: a date (end of that day, UTC) or RFC 3339 time [default: now]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Fewest distinct feeds for a story to be listed
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub min_feeds: usize,
    /// How many stories to show
    #[arg(long, short = 'n', value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

pub fn cmd_stories(cfg: &Config, args: &StoriesArgs) -> Result<()> {
    let (store, _index) = open_for_reading(cfg)?;
    let as_of = as_of(cfg, args.as_of.as_deref())?;
    let window = match &args.window {
        Some(w) => usage_duration(w)?,
        None => chrono::Duration::from_std(cfg.analysis.window)?,
    };
    let p = stories::Params { as_of, window };
    let min_feeds = args.min_feeds.max(1);
    let mut clustering = stories::cluster(&store, &p, min_feeds)?;
    let mut listed: Vec<&mut Story> = clustering
        .stories
        .iter_mut()
        .filter(|s| s.feed_ids.len() >= min_feeds)
        .take(args.limit.max(1))
        .collect();
    for s in listed.iter_mut() {
        stories::describe(&store, s)?;
    }
    if args.json {
        let listed: Vec<&Story> = listed.iter().map(|s| &**s).collect();
        let out = super::topic::with_commands(&listed, |s| &s.label)?;
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let from = as_of - window;
    println!(
        "Stories from {} to {} UTC carried by {} or more feeds{}",
        from.format("%Y-%m-%d %H:%M"),
        as_of.format("%Y-%m-%d %H:%M"),
        min_feeds,
        if listed.is_empty() { "" } else { ":" }
    );
    if listed.is_empty() {
        println!("None. Try a longer --window or a lower --min-feeds.");
        return Ok(());
    }
    for (n, s) in listed.iter().enumerate() {
        println!(
            "\n{:>2}. {}  [{}]  {} feed{}, {} item{}, {} to {}",
            n + 1,
            s.label,
            s.kind.as_str(),
            s.feeds.len(),
            plural(s.feeds.len()),
            s.items.len(),
            plural(s.items.len()),
            &s.first_seen[..10],
            &s.last_seen[..10],
        );
        println!("    {}", s.headline);
        if let Some(u) = &s.url {
            println!("    {u}");
        }
        println!("    feeds: {}", s.feeds.join(", "));
        if !s.label.is_empty() {
            println!("    more: {}", crate::analyse::topic::command(&s.label));
        }
        for i in s.items.iter().filter(|i| i.title != s.headline).take(4) {
            println!("    - {} ({}, {})", i.title, i.feed, &i.published[..10]);
        }
        if s.items.len() > 5 {
            println!("    … {} more (--json lists them all)", s.items.len() - 5);
        }
    }
    Ok(())
}

/// Hits fetched per story asked for by `search --by-story`.
pub const HITS_PER_STORY: usize = 8;
/// ... and at most this many in all.
pub const MAX_HITS: usize = 1000;
/// Stories are found among the items of at most this many days before the
/// newest hit: an event is reported within days, and clustering a year of
/// items for one search would be slow.
const BY_STORY_SPAN_DAYS: i64 = 60;

/// `search --by-story`: the hits grouped into the stories they belong to,
/// best hit first, each story once with every matching report.
pub fn print_by_story(
    store: &crate::store::Store,
    results: &crate::index::SearchResults,
    items: &[crate::store::StoredItem],
    args: &super::SearchArgs,
    started: std::time::Instant,
) -> Result<()> {
    use chrono::{DateTime, Utc};
    let newest = items.iter().map(|i| i.published).max().unwrap_or(0);
    let oldest = items.iter().map(|i| i.published).min().unwrap_or(0);
    let span = (newest - oldest + 1).min(BY_STORY_SPAN_DAYS * 86_400);
    let p = stories::Params {
        as_of: DateTime::<Utc>::from_timestamp(newest, 0).unwrap_or_default(),
        window: chrono::Duration::seconds(span + 86_400),
    };
    let mut clustering = stories::cluster(store, &p, 2)?;
    // Groups in the order of their best hit.
    struct Group<'a> {
        story: Option<usize>,
        hits: Vec<&'a crate::store::StoredItem>,
    }
    let mut groups: Vec<Group> = Vec::new();
    for h in &results.hits {
        let Some(item) = items.iter().find(|i| i.id == h.id) else {
            continue;
        };
        let story = clustering.story_of.get(&item.id).copied();
        match groups
            .iter_mut()
            .find(|g| story.is_some() && g.story == story)
        {
            Some(g) => g.hits.push(item),
            None => groups.push(Group {
                story,
                hits: vec![item],
            }),
        }
    }
    groups.truncate(args.limit.max(1));
    for g in &groups {
        if let Some(si) = g.story
            && clustering.stories[si].items.len() > 1
        {
            stories::describe(store, &mut clustering.stories[si])?;
        }
    }
    if args.json {
        let out: Vec<serde_json::Value> = groups
            .iter()
            .map(|g| {
                let s = g.story.map(|si| &clustering.stories[si]);
                serde_json::json!({
                    "label": s.filter(|s| !s.label.is_empty()).map_or(g.hits[0].title.as_str(), |s| s.label.as_str()),
                    "headline": s.map_or(g.hits[0].title.as_str(), |s| s.headline.as_str()),
                    "type": s.map(|s| s.kind.as_str()),
                    "feeds": s.map(|s| s.feeds.clone()).unwrap_or_else(|| vec![g.hits[0].feed_name.clone()]),
                    "story_items": s.map_or(1, |s| s.items.len()),
                    "hits": g.hits.iter().map(|i| serde_json::json!({
                        "title": i.title,
                        "url": i.url,
                        "feed": i.feed_name,
                        "published": crate::store::rfc3339(i.published),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if groups.is_empty() {
        println!("No items match {:?}.", args.query.join(" "));
        return Ok(());
    }
    for g in &groups {
        let s = g.story.map(|si| &clustering.stories[si]);
        match s {
            Some(s) if s.items.len() > 1 => {
                println!(
                    "{}  [{} feed{}, {} report{}, {} matching]",
                    s.label,
                    s.feeds.len(),
                    plural(s.feeds.len()),
                    s.items.len(),
                    plural(s.items.len()),
                    g.hits.len()
                );
                println!("  {}", s.headline);
            }
            _ => println!("{}", g.hits[0].title),
        }
        for i in g.hits.iter().take(5) {
            println!(
                "  - {}  {} ({})",
                &crate::store::rfc3339(i.published)[..10],
                i.title,
                i.feed_name
            );
            if let Some(u) = &i.url {
                println!("    {u}");
            }
        }
        if g.hits.len() > 5 {
            println!("    … {} more", g.hits.len() - 5);
        }
        println!();
    }
    println!(
        "{} result{} in {} stor{} ({:.1} ms)",
        results.total,
        plural(results.total),
        groups.len(),
        if groups.len() == 1 { "y" } else { "ies" },
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}
