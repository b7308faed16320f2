//! The command line: one verb per user task, human output by default and
//! `--json` for scripts. Verbs call into the stages; nothing here knows SQL,
//! HTTP or XML.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Local, Utc};
use clap::{Args, Parser, Subcommand};
use comfy_table::{Table, presets};
use serde_json::json;

use crate::analyse::{self, trends};
use crate::config::{self, Config, FeedSpec};
use crate::digest::{self, render::Renderer, starters::Templates};
use crate::discover::{self, Candidate, Resolved};
use crate::fetch::Fetcher;
use crate::index::{self, SearchIndex, SearchRequest, SortBy};
use crate::mail::{self, Mailer};
use crate::poll::{FeedReport, Outcome, PollSummary};
use crate::shutdown::Shutdown;
use crate::store::{DigestStatus, FeedRow, Store, rfc3339};
use crate::{ingest, lock, opml};

mod stories;
pub mod topic;

#[derive(Parser, Debug)]
#[command(
    name = "tricorder",
    version,
    about = "Listens to your industry's feeds and tells you what it is talking about",
    long_about = "tricorder polls industry and marketing feeds, stores every item in SQLite, \
                  and surfaces rising topics and the questions the industry is asking."
)]
pub struct Cli {
    /// Config file [default: config/tricorder.toml]
    #[arg(long, global = true, env = "TRICORDER_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// More log output on stderr (-v info, -vv debug); RUST_LOG overrides
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run as a service: poll on schedule, send the digest, until stopped
    Run,
    /// Fetch feeds that are due (or all of them) and store new items
    Poll(PollArgs),
    /// List, add, remove, import and export feeds
    #[command(subcommand)]
    Feeds(FeedsCommand),
    /// Search the stored items (tantivy query syntax, all words must match)
    Search(SearchArgs),
    /// Topics rising against their own baseline, with their evidence
    Trends(TrendsArgs),
    /// The period's biggest stories: one event, every feed that carried it
    Stories(stories::StoriesArgs),
    /// One topic's history: timeline, stories, voices, questions, related topics
    Topic(topic::TopicArgs),
    /// Every topic that trended in a period, one row each
    Topics(topic::TopicsArgs),
    /// Questions the industry is asking, grouped, with their sources
    Questions(QuestionsArgs),
    /// Preview, send, or test the daily digest
    Digest(DigestArgs),
    /// Feed health: last success, last error, next poll, item counts
    Status(JsonFlag),
    /// Rebuild the search index from the database
    Reindex(ReindexArgs),
    /// Run the offline demo on the bundled sample feeds (no network needed)
    Demo,
    /// One job of the daemon's, in a child process it starts itself
    #[command(hide = true, subcommand)]
    Worker(crate::worker::Job),
}

#[derive(Args, Debug)]
pub struct ReindexArgs {
    /// Recompute every item's phrases and questions first, even when they
    /// come from the current extractor (done anyway after an upgrade that
    /// changed the extractor)
    #[arg(long)]
    pub reextract: bool,
}

#[derive(Args, Debug)]
pub struct JsonFlag {
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct PollArgs {
    /// Poll every active feed, not only those that are due
    #[arg(long)]
    pub all: bool,
    /// Poll only this feed (repeatable); implies it is due
    #[arg(long, value_name = "URL")]
    pub feed: Vec<String>,
    /// Print the summary as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Words, "exact phrases", title:word, feed:name, OR, NOT word, (groups).
    /// To exclude with -word, quote the whole query or put it after `--`.
    #[arg(required_unless_present = "topic", num_args = 1..)]
    pub query: Vec<String>,
    /// Only items of this topic (a label from `trends` or `topics`, or a phrase)
    #[arg(long, value_name = "LABEL")]
    pub topic: Option<String>,
    /// Only items published since: a duration back from now (7d, 12h) or a date (2026-11-01)
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only items published until: a duration back from now or a date (inclusive)
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,
    /// Only this feed, by name or URL (repeatable)
    #[arg(long, value_name = "NAME")]
    pub feed: Vec<String>,
    /// Only items with this tag or category (repeatable: all must match)
    #[arg(long, value_name = "TAG")]
    pub tag: Vec<String>,
    /// How many results to show
    #[arg(long, short = 'n', default_value_t = 10, value_parser = count)]
    pub limit: usize,
    /// Order of results
    #[arg(long, value_enum, default_value_t = SortBy::Relevance)]
    pub sort: SortBy,
    /// Collapse results into stories: one event, with every matching
    /// report of it (--limit then counts stories)
    #[arg(long)]
    pub by_story: bool,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct TrendsArgs {
    /// Recent period to judge [default: analysis.window, 7d]
    #[arg(long, value_name = "DURATION")]
    pub window: Option<String>,
    /// Period before the window that sets the normal level [default: analysis.baseline, 28d]
    #[arg(long, value_name = "DURATION")]
    pub baseline: Option<String>,
    /// End of the window: a date (end of that day, UTC) or RFC 3339 time [default: now]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Fewest distinct feeds for a topic [default: analysis.min_feeds, 3]
    #[arg(long, value_name = "N", value_parser = count)]
    pub min_feeds: Option<usize>,
    /// How many topics to show [default: analysis.max_topics, 10]
    #[arg(long, short = 'n', value_name = "N", value_parser = count)]
    pub limit: Option<usize>,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct QuestionsArgs {
    /// Only questions about this topic (a trending topic's name, or any phrase)
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,
    /// Length of the window, which ends at --as-of: items published in
    /// [AS_OF - SINCE, AS_OF); both ends are printed [default: analysis.questions_since, 14d]
    #[arg(long, value_name = "DURATION")]
    pub since: Option<String>,
    /// End of the window, not included: a date means the end of that day (the
    /// next midnight, UTC), so `--as-of 2026-03-19 --since 7d` is 2026-03-13
    /// 00:00 to 2026-03-20 00:00 UTC; an RFC 3339 time is that instant [default: now]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// How many questions to show
    #[arg(long, short = 'n', default_value_t = 20, value_parser = count)]
    pub limit: usize,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct DigestArgs {
    /// Render today's digest without sending or storing it (the default)
    #[arg(long, conflicts_with_all = ["send", "to"])]
    pub preview: bool,
    /// Send the current period's digest, unless it was already sent
    #[arg(long)]
    pub send: bool,
    /// With --send: send again even if this period's digest was sent
    #[arg(long, requires = "send")]
    pub force: bool,
    /// Send a test copy to this address only; records nothing
    #[arg(long, value_name = "ADDRESS", conflicts_with = "send")]
    pub to: Option<String>,
    /// With --preview or --to: the recipient role whose angle to include
    #[arg(long, value_name = "ROLE")]
    pub role: Option<String>,
    /// With --preview: html, text, or json (the digest as data: topics, questions, starters, sources)
    #[arg(long, value_enum, default_value_t = PreviewFormat::Text)]
    pub format: PreviewFormat,
    /// With --preview: write to this file instead of stdout
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --preview or --to: compose as of this date or time [default: now]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PreviewFormat {
    Html,
    Text,
    /// The digest's content as data: topics, questions, starters, with sources
    Json,
}

#[derive(Subcommand, Debug)]
pub enum FeedsCommand {
    /// List feeds
    List(JsonFlag),
    /// Add a feed, or the feed a web page advertises
    Add {
        url: String,
        /// Accept a local path or file:// URL (local files are otherwise
        /// trusted only from the config file)
        #[arg(long)]
        allow_local: bool,
        #[arg(long)]
        name: Option<String>,
        /// Tag (repeatable)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// When a page offers several feeds, add the first instead of none
        #[arg(long)]
        first: bool,
        /// Fetch each new item's page for its full text (for feeds that
        /// carry only an excerpt)
        #[arg(long)]
        full_text: bool,
    },
    /// Remove a feed and its stored items
    Remove { url: String },
    /// Add every feed listed in an OPML file (entries that are web pages: their feed)
    Import {
        file: PathBuf,
        /// When a page offers several feeds, add the first instead of none
        #[arg(long)]
        first: bool,
        /// Also add the local paths and file:// URLs it lists (skipped
        /// otherwise: an OPML file from someone else could name yours)
        #[arg(long)]
        allow_local: bool,
    },
    /// Write all active feeds as OPML 2.0 to stdout (or --output)
    Export {
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        // They set up logging their own way first: `main` starts them.
        Command::Run | Command::Worker(_) => {
            bail!("`run` and `worker` are started by the binary's main, not by cli::run")
        }
        Command::Poll(args) => cmd_poll(&load_config(cli.config.as_deref())?, &args),
        Command::Feeds(cmd) => cmd_feeds(&load_config(cli.config.as_deref())?, cmd),
        Command::Search(args) => cmd_search(&load_config(cli.config.as_deref())?, &args),
        Command::Trends(args) => cmd_trends(&load_config(cli.config.as_deref())?, &args),
        Command::Stories(args) => stories::cmd_stories(&load_config(cli.config.as_deref())?, &args),
        Command::Topic(args) => topic::cmd_topic(&load_config(cli.config.as_deref())?, &args),
        Command::Topics(args) => topic::cmd_topics(&load_config(cli.config.as_deref())?, &args),
        Command::Questions(args) => cmd_questions(&load_config(cli.config.as_deref())?, &args),
        Command::Digest(args) => cmd_digest(&load_config(cli.config.as_deref())?, &args),
        Command::Status(f) => cmd_status(&load_config(cli.config.as_deref())?, f.json),
        Command::Reindex(args) => cmd_reindex(&load_config(cli.config.as_deref())?, &args),
        Command::Demo => cmd_demo(cli.config.as_deref()),
    }
}

/// A count on the command line: 1 to [`config::MAX_COUNT`].
fn count(s: &str) -> Result<usize, String> {
    let n: i64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a whole number"))?;
    config::check_count(n, config::MAX_COUNT)
}

/// Refuses a local feed unless the user said `--allow-local`: a feed list
/// can otherwise make tricorder read, store and mail a local file.
fn check_local(url: &str, allow_local: bool) -> Result<()> {
    if url.starts_with("file:") && !allow_local {
        return Err(UsageError(format!(
            "{url} is a local file; `feeds add` and `feeds import` read local files only with \
             --allow-local (or list it under [[feeds]] in the config)"
        ))
        .into());
    }
    Ok(())
}

fn load_config(explicit: Option<&Path>) -> Result<Config> {
    let path = config::resolve_path(explicit);
    Ok(config::load(&path)?)
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // File reads and parsing run on the blocking pool; more threads than
        // this only add memory (each has its own allocator arena), not speed.
        .max_blocking_threads(16)
        .build()?)
}

/// Opens the store for writing: takes the data-folder lock first, then
/// brings the feeds table in line with the config.
fn open_for_writing(cfg: &Config) -> Result<(lock::DataLock, Store)> {
    let guard = lock::acquire(&cfg.data_dir)?;
    let mut store = Store::open(&cfg.data_dir)?;
    store.sync_config_feeds(&cfg.feeds, Utc::now().timestamp())?;
    Ok((guard, store))
}

// ---- poll -------------------------------------------------------------------

fn cmd_poll(cfg: &Config, args: &PollArgs) -> Result<()> {
    let (_lock, mut store) = open_for_writing(cfg)?;
    let summary = poll_into(cfg, &mut store, args)?;
    if !args.json {
        print_summary(&summary);
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    }
    Ok(())
}

/// Polls the chosen feeds and brings the index up to date (`ingest`).
/// Ctrl-C stops at a safe point: what was stored is kept and indexed.
fn poll_into(cfg: &Config, store: &mut Store, args: &PollArgs) -> Result<PollSummary> {
    let feeds = chosen_feeds(store, args)?;
    let bar = progress_bar(feeds.len() as u64);
    let mut progress = |r: &FeedReport| {
        if let Some(bar) = &bar {
            bar.set_message(r.name.clone());
            bar.inc(1);
        }
    };
    let rt = runtime()?;
    let round = rt.block_on(async {
        let mut shutdown = Shutdown::on_signals()?;
        ingest::poll_and_index(cfg, store, feeds, &mut shutdown, &mut progress).await
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let a = round.articles;
    if a.fetched + a.failed + a.deferred > 0 {
        eprintln!(
            "full text: {} article{} read, {} kept the feed's summary, {} left for a later round",
            a.fetched,
            plural(a.fetched),
            a.failed,
            a.deferred
        );
    }
    let Some(summary) = round.summary else {
        bail!(
            "interrupted: stopped between two feeds; every feed polled so far is stored and indexed"
        );
    };
    // The daemon rebuilds the index by itself when this is due; a one-shot
    // poll (from cron, say) leaves the choice of time to the user.
    if let Some((then, now)) = round.retune_due {
        eprintln!(
            "note: the store has grown (item {then} -> {now}) since the index measured its \
             frequent words; `tricorder reindex` measures them again (until then, phrase \
             searches of newly frequent words stay exact, only slower)"
        );
    }
    Ok(summary)
}

/// The feeds a `poll` asks for: named ones, all active ones, or those due.
fn chosen_feeds(store: &Store, args: &PollArgs) -> Result<Vec<FeedRow>> {
    if !args.feed.is_empty() {
        let all = store.feeds()?;
        let mut chosen = Vec::new();
        for wanted in &args.feed {
            let found = all
                .iter()
                .find(|f| &f.url == wanted || &f.fetch_url == wanted)
                .with_context(|| {
                    format!("no feed {wanted} (see `tricorder feeds list`, or add it with `tricorder feeds add`)")
                })?;
            chosen.push(found.clone());
        }
        Ok(chosen)
    } else if args.all {
        store.active_feeds()
    } else {
        store.due_feeds(Utc::now().timestamp())
    }
}

/// A progress bar on a terminal; nothing otherwise (the log has a line per feed).
fn progress_bar(len: u64) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || len == 0 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} [{bar:30}] {pos}/{len} feeds  {wide_msg}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    Some(bar)
}

fn print_summary(s: &PollSummary) {
    println!(
        "Polled {} feed{} in {:.1} s: {} fetched, {} not modified, {} failed{}",
        s.totals.feeds,
        plural(s.totals.feeds),
        s.totals.elapsed_ms as f64 / 1000.0,
        s.totals.fetched,
        s.totals.not_modified,
        s.totals.failed,
        if s.totals.deferred > 0 {
            format!(", {} deferred", s.totals.deferred)
        } else {
            String::new()
        }
    );
    println!(
        "New items: {}, updated items: {}",
        s.totals.new_items, s.totals.updated_items
    );
    let failures: Vec<&FeedReport> = s
        .reports
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Failed(_) | Outcome::Deferred(_)))
        .collect();
    if !failures.is_empty() {
        println!("Problems:");
        for r in failures {
            let (Outcome::Failed(why) | Outcome::Deferred(why)) = &r.outcome else {
                continue;
            };
            println!(
                "  {} <{}>\n    {}",
                crate::clean::terminal(&r.name),
                r.url,
                crate::clean::terminal(why)
            );
        }
    }
    for r in s.reports.iter().filter(|r| r.moved_to.is_some()) {
        println!(
            "Moved: {} now lives at {}",
            r.url,
            r.moved_to.as_deref().unwrap_or_default()
        );
    }
    if s.totals.feeds == 0 {
        println!("No feed was due. `tricorder poll --all` polls every feed now.");
    }
}

// ---- feeds ------------------------------------------------------------------

fn cmd_feeds(cfg: &Config, cmd: FeedsCommand) -> Result<()> {
    match cmd {
        FeedsCommand::List(f) => {
            let store = Store::open(&cfg.data_dir)?;
            let mut feeds = store.feeds()?;
            // A config feed not polled yet is not in the table; show it anyway.
            for spec in &cfg.feeds {
                if !feeds.iter().any(|f| f.url == spec.url) {
                    feeds.push(pending_row(spec));
                }
            }
            if f.json {
                println!("{}", serde_json::to_string_pretty(&feeds_json(&feeds))?);
                return Ok(());
            }
            let mut t = table(&["NAME", "URL", "TAGS", "ITEMS", "HEALTH"]);
            for f in &feeds {
                t.add_row(vec![
                    f.display_name().to_owned(),
                    f.url.clone(),
                    f.tags.join(", "),
                    f.items.to_string(),
                    health(f),
                ]);
            }
            print_table(&t);
            println!("{} feed{}", feeds.len(), plural(feeds.len()));
        }
        FeedsCommand::Add {
            url,
            allow_local,
            name,
            tags,
            first,
            full_text,
        } => {
            let url = config::normalise_feed_url(&url, Path::new("."))
                .map_err(|m| UsageError(format!("cannot add feed: {m}")))?;
            check_local(&url, allow_local)?;
            let name =
                name.map(|n| crate::clean::line(&n, crate::clean::MAX_LINE_CHARS).into_owned());
            // The lock first: a running daemon refuses us before any fetch.
            let (_lock, mut store) = open_for_writing(cfg)?;
            let fetcher = Arc::new(Fetcher::new(&cfg.poll)?);
            let found = runtime()?.block_on(discover::resolve(&fetcher, &url, first));
            let url = match found {
                Resolved::Feed(u) => u,
                Resolved::Unchecked { url, why } => {
                    eprintln!("note: {why}; adding {url} as given.");
                    url
                }
                Resolved::Page { page, feed } => {
                    println!("{page} is a web page; its feed is {feed}.");
                    feed.url.to_string()
                }
                Resolved::Several { page, feeds } => {
                    println!("{page} offers {} feeds:", feeds.len());
                    print_candidates_to(&feeds, &mut std::io::stdout());
                    bail!("added none: add one of these URLs, or run again with --first");
                }
                none @ Resolved::None { .. } => bail!("{}", none.describe()),
            };
            let spec = FeedSpec {
                url,
                name,
                tags,
                full_text,
            };
            if store.add_feed(&spec, Utc::now().timestamp())? {
                println!("Added {}. It will be fetched on the next poll.", spec.url);
            } else {
                println!("{} was already there; updated it.", spec.url);
            }
        }
        FeedsCommand::Remove { url } => {
            let (_lock, mut store) = open_for_writing(cfg)?;
            let removed = store.remove_feed(&url)?;
            // Deleted items leave tombstones; the sync removes them from the index.
            let search_index = SearchIndex::open(&cfg.data_dir, &store)?;
            search_index.sync(&store, &mut search_index.incremental_writer()?)?;
            match removed {
                Some(n) => {
                    println!("Removed {url} and its {n} stored item{}.", plural(n));
                    if cfg.feeds.iter().any(|f| f.url == url) {
                        println!(
                            "Note: it is listed in {}; it will come back on the next poll unless you remove it there too.",
                            cfg.path.display()
                        );
                    }
                }
                None => bail!("no feed {url} (see `tricorder feeds list`)"),
            }
        }
        FeedsCommand::Import {
            file,
            first,
            allow_local,
        } => {
            // Read as a local feed is: a regular file, bounded, never a FIFO
            // or a device, and never quoted in an error.
            let bytes = crate::fetch::read_local(&file, MAX_OPML, None)
                .map(|(bytes, _)| bytes.unwrap_or_default())
                .with_context(|| format!("cannot import {}", file.display()))?;
            let specs = opml::parse(&String::from_utf8_lossy(&bytes)).map_err(|e| {
                UsageError(format!(
                    "cannot import {}: {}, not an OPML file ({})",
                    file.display(),
                    crate::parse::describe::describe(&bytes),
                    crate::parse::describe::unquoted(&format!("{e:#}"))
                ))
            })?;
            let base = file.parent().unwrap_or(Path::new(".")).to_owned();
            let (_lock, mut store) = open_for_writing(cfg)?;
            let (mut added, mut known, mut bad) = (0, 0, 0);
            let mut checked = Vec::new();
            for mut spec in specs {
                match config::normalise_feed_url(&spec.url, &base) {
                    Ok(u) if u.starts_with("file:") && !allow_local => {
                        eprintln!(
                            "skipped: {u} is a local file (add --allow-local to import local files)"
                        );
                        bad += 1;
                    }
                    Ok(u) => {
                        spec.url = u;
                        checked.push(spec);
                    }
                    Err(m) => {
                        eprintln!("skipped: {}", crate::clean::terminal(&m));
                        bad += 1;
                    }
                }
            }
            // Every entry is looked at (concurrently, within the poll's
            // politeness limits) before anything is written.
            let fetcher = Arc::new(Fetcher::new(&cfg.poll)?);
            let urls = checked.iter().map(|s| s.url.clone()).collect();
            let found = runtime()?.block_on(discover::resolve_all(fetcher, urls, first));
            let mut specs = Vec::new();
            for (mut spec, found) in checked.into_iter().zip(found) {
                match found {
                    Resolved::Feed(u) => spec.url = u,
                    Resolved::Unchecked { url, why } => {
                        eprintln!("note: {why}; adding {url} as given.");
                    }
                    Resolved::Page { page, feed } => {
                        println!("{page} is a web page; using the feed it offers, {feed}.");
                        spec.url = feed.url.to_string();
                    }
                    Resolved::Several { page, feeds } => {
                        eprintln!(
                            "skipped: {page} offers {} feeds (add one with `tricorder feeds add`, or import with --first):",
                            feeds.len()
                        );
                        print_candidates_to(&feeds, &mut std::io::stderr());
                        bad += 1;
                        continue;
                    }
                    none @ Resolved::None { .. } => {
                        eprintln!("skipped: {}", none.describe());
                        bad += 1;
                        continue;
                    }
                }
                spec.name = spec
                    .name
                    .map(|n| crate::clean::line(&n, crate::clean::MAX_LINE_CHARS).into_owned());
                specs.push(spec);
            }
            for spec in specs {
                if store.add_feed(&spec, Utc::now().timestamp())? {
                    added += 1;
                } else {
                    known += 1;
                }
            }
            println!(
                "Imported {} from {}: {added} added, {known} already there, {bad} skipped",
                added + known + bad,
                file.display()
            );
        }
        FeedsCommand::Export { output } => {
            let store = Store::open(&cfg.data_dir)?;
            let mut feeds = store.active_feeds()?;
            for spec in &cfg.feeds {
                if !feeds.iter().any(|f| f.url == spec.url) {
                    feeds.push(pending_row(spec));
                }
            }
            let export: Vec<opml::ExportFeed> = feeds
                .iter()
                .map(|f| opml::ExportFeed {
                    url: f.url.clone(),
                    name: f.name.clone().or(f.title.clone()),
                    site_url: f.site_url.clone(),
                    tags: f.tags.clone(),
                })
                .collect();
            let text = opml::write(&export)?;
            match output {
                Some(path) => std::fs::write(&path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => println!("{text}"),
            }
        }
    }
    Ok(())
}

fn print_candidates_to(feeds: &[Candidate], out: &mut dyn std::io::Write) {
    let mut t = table(&["TITLE", "TYPE", "URL"]);
    for f in feeds {
        t.add_row(vec![
            crate::clean::terminal(f.title.as_deref().unwrap_or_default()).into_owned(),
            f.kind.to_owned(),
            f.url.to_string(),
        ]);
    }
    for line in t.lines() {
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// The largest OPML file `feeds import` reads.
const MAX_OPML: u64 = 16 * 1024 * 1024;

/// A config feed that has never been stored, shown as such.
fn pending_row(spec: &FeedSpec) -> FeedRow {
    FeedRow {
        id: 0,
        url: spec.url.clone(),
        fetch_url: spec.url.clone(),
        name: spec.name.clone(),
        title: None,
        site_url: None,
        tags: spec.tags.clone(),
        origin: "config".into(),
        active: true,
        etag: None,
        last_modified: None,
        ttl_secs: None,
        next_poll: 0,
        error_count: 0,
        last_error: None,
        last_error_at: None,
        last_success: None,
        last_fetch: None,
        items: 0,
        full_text: spec.full_text,
    }
}

fn feeds_json(feeds: &[FeedRow]) -> serde_json::Value {
    serde_json::Value::Array(
        feeds
            .iter()
            .map(|f| {
                json!({
                    "url": f.url,
                    "fetch_url": f.fetch_url,
                    "name": f.display_name(),
                    "tags": f.tags,
                    "active": f.active,
                    "origin": f.origin,
                    "items": f.items,
                    "last_success": f.last_success.map(rfc3339),
                    "last_fetch": f.last_fetch.map(rfc3339),
                    "last_error": f.last_error,
                    "error_count": f.error_count,
                    "next_poll": (f.next_poll > 0).then(|| rfc3339(f.next_poll)),
                    "site_url": f.site_url,
                })
            })
            .collect(),
    )
}

// ---- search -----------------------------------------------------------------

fn cmd_search(cfg: &Config, args: &SearchArgs) -> Result<()> {
    let started = std::time::Instant::now();
    let (store, search_index) = open_for_reading(cfg)?;
    let now = Utc::now();
    let feed_ids = if args.feed.is_empty() {
        None
    } else {
        let feeds = store.feeds()?;
        let mut ids = Vec::new();
        for wanted in &args.feed {
            let w = wanted.to_lowercase();
            let matching: Vec<i64> = feeds
                .iter()
                .filter(|f| {
                    f.url == *wanted
                        || f.display_name().to_lowercase() == w
                        || f.name.as_deref().is_some_and(|n| n.to_lowercase() == w)
                        || f.title.as_deref().is_some_and(|n| n.to_lowercase() == w)
                })
                .map(|f| f.id)
                .collect();
            if matching.is_empty() {
                let names: Vec<&str> = feeds.iter().map(FeedRow::display_name).collect();
                return Err(UsageError(format!(
                    "no feed named {wanted:?}; feeds are: {}",
                    names.join(", ")
                ))
                .into());
            }
            ids.extend(matching);
        }
        Some(ids)
    };
    let req = SearchRequest {
        query: topic::restrict(
            &store,
            &search_index,
            &args.query.join(" "),
            args.topic.as_deref(),
        )?,
        since: args
            .since
            .as_deref()
            .map(|s| parse_when(s, now, false))
            .transpose()?,
        until: args
            .until
            .as_deref()
            .map(|s| parse_when(s, now, true))
            .transpose()?,
        feed_ids,
        tags: args.tag.clone(),
        // Stories gather several hits each: ask for enough of them.
        limit: if args.by_story {
            (args.limit.max(1) * stories::HITS_PER_STORY).min(stories::MAX_HITS)
        } else {
            args.limit.max(1)
        },
        sort: args.sort,
    };
    let results = match search_index.search(&req) {
        Ok(r) => r,
        Err(e @ index::SearchError::Query { .. }) => return Err(UsageError(e.to_string()).into()),
        Err(e) => return Err(e.into()),
    };
    let ids: Vec<i64> = results.hits.iter().map(|h| h.id).collect();
    let items = store.items_by_ids(&ids)?;
    if args.by_story {
        return stories::print_by_story(&store, &results, &items, args, started);
    }
    let elapsed = started.elapsed();

    if args.json {
        let out: Vec<serde_json::Value> = results
            .hits
            .iter()
            .filter_map(|h| {
                let item = items.iter().find(|i| i.id == h.id)?;
                Some(json!({
                    "id": item.id,
                    "title": item.title,
                    "url": item.url,
                    "feed": item.feed_name,
                    "published": rfc3339(item.published),
                    "score": h.score,
                    "snippet": results.highlighter.body(&item.body).text,
                    "tags": item.tags.iter().chain(&item.categories).collect::<Vec<_>>(),
                }))
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }

    let bold = std::io::stdout().is_terminal();
    for h in &results.hits {
        let Some(item) = items.iter().find(|i| i.id == h.id) else {
            continue;
        };
        let date = DateTime::<Utc>::from_timestamp(item.published, 0)
            .map(|d| d.with_timezone(&Local).format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        println!("{date}  {}", crate::clean::terminal(&item.feed_name));
        println!(
            "  {}",
            emphasise(&results.highlighter.title(&item.title), bold)
        );
        if let Some(u) = &item.url {
            println!("  {u}");
        }
        let snippet = results.highlighter.body(&item.body);
        if !snippet.text.is_empty() {
            let line = emphasise(&snippet, bold);
            println!(
                "  {}",
                line.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
        println!();
    }
    if results.total == 0 {
        println!(
            "No items match {:?}{}.",
            req.query,
            if req.since.is_some()
                || req.until.is_some()
                || req.feed_ids.is_some()
                || !req.tags.is_empty()
            {
                " with these filters"
            } else {
                ""
            }
        );
        println!(
            "Try fewer words, OR between alternatives (seo OR search), a word's stem (market), or a wider date range (--since 90d)."
        );
    } else {
        println!(
            "{} result{} ({} shown) in {:.1} ms",
            results.total,
            plural(results.total),
            results.hits.len().min(items.len()),
            elapsed.as_secs_f64() * 1000.0
        );
    }
    Ok(())
}

/// Bold highlighted ranges on a terminal, plain text otherwise; either way
/// without the text's own control characters.
fn emphasise(f: &index::Fragment, bold: bool) -> String {
    if !bold || f.highlighted.is_empty() {
        return crate::clean::terminal(&f.text).into_owned();
    }
    let mut out = String::with_capacity(f.text.len() + 16);
    let mut at = 0;
    for r in &f.highlighted {
        if r.start < at || r.end > f.text.len() {
            continue;
        }
        out.push_str(&crate::clean::terminal(&f.text[at..r.start]));
        out.push_str("\x1b[1m");
        out.push_str(&crate::clean::terminal(&f.text[r.clone()]));
        out.push_str("\x1b[0m");
        at = r.end;
    }
    out.push_str(&crate::clean::terminal(&f.text[at..]));
    out
}

/// A point in time given as a duration back from now ("7d", "12h") or as a
/// date ("2026-11-01") or RFC 3339 time. A bare date used as an upper bound
/// means the end of that day.
pub fn parse_when(s: &str, now: DateTime<Utc>, end_of_day: bool) -> Result<i64> {
    let s = s.trim();
    if let Ok(d) = config::parse_duration(s) {
        return Ok(now.timestamp() - d.as_secs() as i64);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp());
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let t = if end_of_day {
            d.and_hms_opt(23, 59, 59)
        } else {
            d.and_hms_opt(0, 0, 0)
        };
        return Ok(t.expect("valid time").and_utc().timestamp());
    }
    Err(UsageError(format!(
        "cannot read {s:?} as a time: give a duration back from now (7d, 12h) or a date (2026-11-01)"
    ))
    .into())
}

pub use crate::exit::UsageError;

// ---- trends and questions ---------------------------------------------------------

fn usage_duration(s: &str) -> Result<chrono::Duration> {
    let d = config::parse_duration(s).map_err(UsageError)?;
    Ok(chrono::Duration::from_std(d)?)
}

fn as_of(cfg: &Config, arg: Option<&str>) -> Result<DateTime<Utc>> {
    match arg {
        Some(s) => Ok(config::parse_date(s).map_err(UsageError)?),
        None => Ok(cfg.analysis.as_of.unwrap_or_else(Utc::now)),
    }
}

fn open_for_reading(cfg: &Config) -> Result<(Store, SearchIndex)> {
    let store = Store::open(&cfg.data_dir)?;
    let Some(index) = SearchIndex::open_existing_for(&cfg.data_dir, &store)? else {
        bail!(
            "there is no search index in {} yet: run `tricorder poll` (or `tricorder reindex`) first",
            cfg.data_dir.display()
        );
    };
    Ok((store, index))
}

fn trend_params(cfg: &Config, args: &TrendsArgs) -> Result<trends::Params> {
    Ok(trends::Params {
        as_of: as_of(cfg, args.as_of.as_deref())?,
        window: match &args.window {
            Some(w) => usage_duration(w)?,
            None => chrono::Duration::from_std(cfg.analysis.window)?,
        },
        baseline: match &args.baseline {
            Some(b) => usage_duration(b)?,
            None => chrono::Duration::from_std(cfg.analysis.baseline)?,
        },
        min_feeds: args.min_feeds.unwrap_or(cfg.analysis.min_feeds).max(1),
        max_topics: args.limit.unwrap_or(cfg.analysis.max_topics).max(1),
    })
}

fn cmd_trends(cfg: &Config, args: &TrendsArgs) -> Result<()> {
    let params = trend_params(cfg, args)?;
    let (store, index) = open_for_reading(cfg)?;
    let started = std::time::Instant::now();
    let topics = trends::trends(&index, &store, &params)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&topic::with_commands(&topics, |t| &t.label)?)?
        );
        return Ok(());
    }
    print_trends(&topics, &params);
    eprintln!("({:.0} ms)", started.elapsed().as_secs_f64() * 1000.0);
    Ok(())
}

fn print_trends(topics: &[trends::Topic], p: &trends::Params) {
    let from = p.as_of - p.window;
    println!(
        "Trending {} to {} against the {} days before{}",
        from.format("%Y-%m-%d"),
        p.as_of.format("%Y-%m-%d"),
        p.baseline.num_days(),
        if topics.is_empty() { "" } else { ":" }
    );
    if topics.is_empty() {
        println!(
            "Nothing is rising across {} or more feeds. Try a longer --window, a lower --min-feeds, or poll more feeds.",
            p.min_feeds
        );
        return;
    }
    for (n, t) in topics.iter().enumerate() {
        println!(
            "\n{:>2}. {}  [{} · {}]  ×{:.1}  {} in {} feeds (expected {:.1})",
            n + 1,
            t.label,
            match t.kind {
                trends::Kind::Story => "story",
                trends::Kind::Theme => "theme",
            },
            t.topic_type.as_str(),
            t.growth,
            match t.kind {
                trends::Kind::Story => format!("{} reports", t.count),
                trends::Kind::Theme => format!("{} stories", t.story_count),
            },
            t.feeds,
            t.expected,
        );
        if !t.headline.is_empty() && t.headline != t.label {
            println!("    {}", t.headline);
        }
        println!("    {}", trends::sparkline(&t.daily, '│'));
        println!("    more: {}", crate::analyse::topic::command(&t.label));
        if t.phrases.len() > 1 {
            println!("    also: {}", t.phrases[1..].join(", "));
        }
        for e in &t.items {
            println!(
                "    - {} ({}, {})",
                e.title,
                e.feed,
                e.published.get(..10).unwrap_or(&e.published)
            );
            if let Some(u) = &e.url {
                println!("      {u}");
            }
        }
    }
}

fn cmd_questions(cfg: &Config, args: &QuestionsArgs) -> Result<()> {
    let as_of = as_of(cfg, args.as_of.as_deref())?;
    let since = match &args.since {
        Some(s) => usage_duration(s)?,
        None => chrono::Duration::from_std(cfg.analysis.questions_since)?,
    };
    let window = Window::ending(as_of, since);
    let (store, index) = open_for_reading(cfg)?;
    let params = trends::Params::from_config(&cfg.analysis, as_of)?;
    let topics = trends::trends(&index, &store, &params)?;
    let (after, until) = window.store_bounds();
    let mut qs = analyse::open_questions(&store, &topics, after, until, args.topic.as_deref())?;
    qs.truncate(args.limit.max(1));
    if args.json {
        let out = json!({ "window": window.json(), "questions": qs });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    print_questions(&qs, &window);
    Ok(())
}

/// The questions' window, half-open: items published at or after `from`
/// and before `to`.
struct Window {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

impl Window {
    /// The window of `length` that ends at `as_of`. A time of 23:59:59 is
    /// the end of its day (what a plain `--as-of DATE` gives): the window
    /// then ends at the next midnight, not included, so seven days are
    /// printed as seven days.
    fn ending(as_of: DateTime<Utc>, length: chrono::Duration) -> Window {
        use chrono::Timelike;
        let to = if as_of.hour() == 23 && as_of.minute() == 59 && as_of.second() == 59 {
            as_of.with_nanosecond(0).unwrap_or(as_of) + chrono::Duration::seconds(1)
        } else {
            as_of
        };
        Window {
            from: to - length,
            to,
        }
    }

    /// The bounds [`analyse::open_questions`] takes, `(after, until]` in
    /// whole seconds: the same items as `[from, to)`.
    fn store_bounds(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let second = chrono::Duration::seconds(1);
        (self.from - second, self.to - second)
    }

    fn json(&self) -> serde_json::Value {
        let f = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        json!({ "from": f(self.from), "to": f(self.to) })
    }

    /// "2026-03-13 00:00 to 2026-03-20 00:00 UTC (7 days)"
    fn describe(&self) -> String {
        use chrono::Timelike;
        let f = |t: DateTime<Utc>| {
            if t.second() == 0 {
                t.format("%Y-%m-%d %H:%M").to_string()
            } else {
                t.format("%Y-%m-%d %H:%M:%S").to_string()
            }
        };
        let length = self.to - self.from;
        let span = if length.num_seconds() % 86_400 == 0 {
            let d = length.num_days();
            format!("{d} day{}", if d == 1 { "" } else { "s" })
        } else if length.num_seconds() % 3_600 == 0 {
            let h = length.num_hours();
            format!("{h} hour{}", if h == 1 { "" } else { "s" })
        } else {
            let m = length.num_minutes();
            format!("{m} minute{}", if m == 1 { "" } else { "s" })
        };
        format!("{} to {} UTC ({span})", f(self.from), f(self.to))
    }
}

fn print_questions(qs: &[analyse::OpenQuestion], window: &Window) {
    if qs.is_empty() {
        println!(
            "No open questions found from {}. Try a longer --since.",
            window.describe()
        );
        return;
    }
    println!("Open questions from {}:\n", window.describe());
    for q in qs {
        println!(
            "{}{}",
            q.question,
            q.topic
                .as_deref()
                .map(|t| format!("  [{t}]"))
                .unwrap_or_default()
        );
        // The first three sources; the count says how widely it is asked.
        for s in q.sources.iter().take(3) {
            println!(
                "    {} ({}, {})",
                s.title,
                s.feed,
                s.published.get(..10).unwrap_or(&s.published)
            );
            if let Some(u) = &s.url {
                println!("    {u}");
            }
        }
        if q.sources.len() > 3 {
            println!(
                "    … and {} more sources (--json lists them all)",
                q.sources.len() - 3
            );
        }
        println!();
    }
}

// ---- digest ---------------------------------------------------------------------

fn period_of(cfg: &Config, t: DateTime<Utc>) -> String {
    digest::period_of(cfg.digest.timezone, t)
}

fn cmd_digest(cfg: &Config, args: &DigestArgs) -> Result<()> {
    let templates = Templates::load(&cfg.digest.questions_file)?;
    let renderer = Renderer::new(&cfg.digest.templates_dir)?;
    if args.send {
        return digest_send(cfg, args.force, &templates, &renderer);
    }
    let (store, index) = open_for_reading(cfg)?;
    let now = as_of(cfg, args.as_of.as_deref())?;
    let period = period_of(cfg, now);
    let history = |topic: &str| store.previous_starters(&period, topic).unwrap_or_default();
    let Some(record) =
        digest::compose::compose(cfg, &store, &index, &templates, &period, now, &history)?
    else {
        println!(
            "A quiet day, and digest.quiet = \"skip\": there would be no digest for {period}."
        );
        return Ok(());
    };
    if args.format == PreviewFormat::Json && args.to.is_none() {
        let body = serde_json::to_string_pretty(&record)?;
        match &args.output {
            Some(path) => std::fs::write(path, body + "\n")
                .with_context(|| format!("cannot write {}", path.display()))?,
            None => println!("{body}"),
        }
        return Ok(());
    }
    let mut digest = record.view();
    if let Some(role) = &args.role {
        let top = digest
            .topics
            .first()
            .map(|t| t.name.clone())
            .unwrap_or_default();
        digest.role = Some(digest::model::RoleAngle {
            role: role.clone(),
            angle: digest::starters::role_angle(&templates, role, &top, &digest.industry),
        });
    }
    let rendered = renderer.render(&digest)?;
    if let Some(to) = &args.to {
        // The SMTP transport's connection pool lives in the runtime.
        let rt = runtime()?;
        let _in_runtime = rt.enter();
        let mailer = Mailer::new(cfg)?;
        let out = mail::Outgoing {
            // A test copy is its own period, so it never looks like the real one.
            period: format!("{period}-test"),
            to: to.clone(),
            subject: format!("[test] {}", digest.subject),
            html: rendered.html,
            text: rendered.text,
            pages: rendered.topic_page.into_iter().collect(),
        };
        let sent = runtime()?.block_on(mailer.send(&out)).map_err(|e| {
            anyhow::anyhow!(
                "test copy to {to} not delivered via {}: {e}",
                mailer.describe
            )
        })?;
        println!(
            "Sent a test copy of the {period} digest to {to} via {}",
            mailer.describe
        );
        if let Some(p) = sent.path {
            println!("  {}", p.display());
        }
        return Ok(());
    }
    let body = match args.format {
        PreviewFormat::Html => rendered.html,
        PreviewFormat::Text | PreviewFormat::Json => rendered.text,
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, body)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("Wrote the {period} digest preview to {}", path.display());
        }
        None => print!("{body}"),
    }
    Ok(())
}

fn digest_send(
    cfg: &Config,
    force: bool,
    templates: &Templates,
    renderer: &Renderer,
) -> Result<()> {
    let _lock = lock::acquire(&cfg.data_dir)?;
    let mut store = Store::open(&cfg.data_dir)?;
    let index = SearchIndex::open(&cfg.data_dir, &store)?;
    let now = cfg.analysis.as_of.unwrap_or_else(Utc::now);
    let period = period_of(cfg, now);
    let row = match mail::deliver::prepare(cfg, &mut store, &index, templates, &period, now, now)? {
        mail::deliver::Prepared::Skipped => {
            println!("A quiet day, and digest.quiet = \"skip\": no digest for {period}.");
            return Ok(());
        }
        mail::deliver::Prepared::Created(row) => row,
        mail::deliver::Prepared::Existing(row) => match row.status {
            DigestStatus::Sent | DigestStatus::Failed | DigestStatus::Skipped if !force => {
                println!(
                    "The {period} digest was already {}{}. Use --force to send it again.",
                    row.status,
                    row.sent_at
                        .map(|t| format!(" at {}", when(t)))
                        .unwrap_or_default()
                );
                return Ok(());
            }
            DigestStatus::Sent | DigestStatus::Failed => {
                store.reset_digest(&period)?;
                store.digest(&period)?.context("digest vanished")?
            }
            _ => row,
        },
    };
    let rt = runtime()?;
    let _in_runtime = rt.enter();
    let mailer = Mailer::new(cfg)?;
    let report = rt.block_on(mail::deliver::send_row(
        cfg, &mut store, &mailer, renderer, templates, &row, now,
    ))?;
    print_delivery(&report, &mailer);
    if report.status == DigestStatus::Sent {
        Ok(())
    } else {
        bail!(
            "the {period} digest is {}: {}",
            report.status,
            report.error.unwrap_or_default()
        )
    }
}

fn print_delivery(r: &mail::deliver::Report, mailer: &Mailer) {
    println!("Digest {}: {}", r.period, r.subject);
    for who in &r.sent {
        println!("  sent to {who} via {}", mailer.describe);
    }
    for f in &r.files {
        println!("  wrote {f}");
        println!(
            "  wrote {}",
            f.trim_end_matches(".eml").to_owned() + ".html"
        );
    }
    for (who, e) in &r.failed {
        println!("  refused for {who}: {e}");
    }
    if let Some(at) = r.retry_at {
        println!(
            "  not delivered yet ({}); the daemon retries at {}",
            r.error.as_deref().unwrap_or("?"),
            when(at)
        );
    }
}

// ---- reindex ------------------------------------------------------------------

fn cmd_reindex(cfg: &Config, args: &ReindexArgs) -> Result<()> {
    // The feeds table is left as it is: reindexing changes no feed.
    let _lock = lock::acquire(&cfg.data_dir)?;
    let store = Store::open(&cfg.data_dir)?;
    let total = store.item_count()? as u64;
    let bar = progress_bar(total).inspect(|b| {
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{bar:30}] {pos}/{len} items  {per_sec}  eta {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        )
    });
    let started = std::time::Instant::now();
    // Phrases and questions first when the extractor changed since the items
    // were stored: the index carries the phrases. Otherwise they are current,
    // and recomputing them would take longer than the rebuild itself.
    let mut store = store;
    let stored_with = store.extracted_with()?;
    if args.reextract || stored_with != Some(analyse::EXTRACTOR_VERSION) {
        let extracted = reextract(&mut store)?;
        store.set_extracted_with(analyse::EXTRACTOR_VERSION)?;
        println!(
            "Recomputed the phrases and questions of {extracted} items in {:.1} s ({})",
            started.elapsed().as_secs_f64(),
            match stored_with {
                _ if args.reextract => "--reextract".to_owned(),
                Some(v) => format!("extractor version {v} -> {}", analyse::EXTRACTOR_VERSION),
                None => format!(
                    "stored by an unknown extractor version; now {}",
                    analyse::EXTRACTOR_VERSION
                ),
            }
        );
    }
    let stats = index::rebuild(
        &cfg.data_dir,
        &store,
        index::REINDEX_BUDGET,
        &mut |done, _| {
            if let Some(b) = &bar {
                b.set_position(done);
            }
        },
    )?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "Reindexed {} items in {:.1} s ({:.0} items/s); index is at revision {}",
        stats.indexed,
        secs,
        stats.indexed as f64 / secs.max(1e-9),
        stats.mark
    );
    Ok(())
}

/// An item id with its phrases and questions, as `Store::set_extracted` takes them.
type Extracted = (i64, Vec<String>, Vec<String>);

/// Recomputes every item's phrases and questions, feed by feed (boilerplate
/// is recognised across a feed's items), on every core. Returns the number
/// of items.
fn reextract(store: &mut Store) -> Result<usize> {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut n = 0;
    for chunk in store.feeds()?.chunks(cores) {
        let loaded = chunk
            .iter()
            .map(|f| store.items_of_feed(f.id))
            .collect::<Result<Vec<_>>>()?;
        let results: Vec<Vec<Extracted>> = std::thread::scope(|s| {
            let handles: Vec<_> = loaded
                .iter()
                .map(|items| {
                    s.spawn(move || {
                        let extracted = analyse::extract_feed(
                            items.iter().map(|i| (i.title.as_str(), i.body.as_str())),
                        );
                        items
                            .iter()
                            .zip(extracted)
                            .map(|(i, x)| (i.id, x.phrases, x.questions))
                            .collect()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("extraction does not panic"))
                .collect()
        });
        for rows in results {
            n += rows.len();
            store.set_extracted(&rows)?;
        }
    }
    Ok(n)
}

// ---- status -----------------------------------------------------------------

fn cmd_status(cfg: &Config, as_json: bool) -> Result<()> {
    let store = Store::open(&cfg.data_dir)?;
    let feeds = store.feeds()?;
    let writer = lock::holder_pid(&cfg.data_dir);
    let total_items = store.item_count()?;
    let articles = store.article_counts()?;
    let failing: Vec<&FeedRow> = feeds.iter().filter(|f| f.last_error.is_some()).collect();
    let next_poll = feeds.iter().filter(|f| f.active).map(|f| f.next_poll).min();
    let next_digest = cfg
        .digest
        .schedule
        .upcoming(cfg.digest.timezone)
        .next()
        .map(|t| t.with_timezone(&Utc).timestamp());
    let last_digest = store.last_digest()?;
    let index_health = SearchIndex::health(&cfg.data_dir, &store)?;
    if as_json {
        let v = json!({
            "config": cfg.path,
            "data_dir": cfg.data_dir,
            "writer_pid": writer,
            "daemon_running": writer.is_some(),
            "next_poll": next_poll.filter(|t| *t > 0).map(rfc3339),
            "next_digest": next_digest.map(rfc3339),
            "digest_schedule": cfg.digest.schedule_note,
            "last_digest": last_digest.as_ref().map(|d| json!({
                "period": d.period,
                "subject": d.subject,
                "status": d.status,
                "attempts": d.attempts,
                "last_error": d.last_error,
                "sent_at": d.sent_at.map(rfc3339),
                "next_attempt": (d.status == DigestStatus::Pending).then(|| rfc3339(d.next_attempt)),
            })),
            "feeds": feeds_json(&feeds),
            "index": index_health,
            "totals": {
                "feeds": feeds.len(),
                "active_feeds": feeds.iter().filter(|f| f.active).count(),
                "failing_feeds": failing.len(),
                "items": total_items,
                "articles": articles.0,
                "articles_failed": articles.1,
            },
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    println!("Config:    {}", cfg.path.display());
    println!("Data:      {}", cfg.data_dir.display());
    println!(
        "Daemon:    {}",
        writer
            .map(|p| format!("running (pid {p} holds the data folder)"))
            .unwrap_or_else(|| "not running".into())
    );
    println!(
        "Feeds:     {} ({} active, {} failing), {} items stored",
        feeds.len(),
        feeds.iter().filter(|f| f.active).count(),
        failing.len(),
        total_items
    );
    let (articles, unread) = articles;
    if articles + unread > 0 {
        println!(
            "Full text: {articles} article{} read, {unread} page{} kept the feed's summary",
            plural(articles as usize),
            plural(unread as usize)
        );
    }
    println!("Index:     {}", index_health.describe());
    if let Some(next) = next_poll {
        println!("Next poll:   {}", when(next));
    }
    match next_digest {
        Some(t) => println!(
            "Next digest: {} ({} in {}, to {} recipient{})",
            when(t),
            cfg.digest.schedule_text,
            cfg.digest.timezone,
            cfg.digest.recipients.len(),
            plural(cfg.digest.recipients.len())
        ),
        None => println!(
            "Next digest: never (schedule {:?} has no future time)",
            cfg.digest.schedule_text
        ),
    }
    if let Some(d) = &last_digest {
        let state = match d.status {
            DigestStatus::Sent => format!("sent {}", d.sent_at.map(when).unwrap_or_default()),
            DigestStatus::Pending => format!(
                "pending, attempt {} failed ({}); next try {}",
                d.attempts,
                d.last_error.as_deref().unwrap_or("not tried yet"),
                when(d.next_attempt)
            ),
            DigestStatus::Failed => {
                format!("failed: {}", d.last_error.as_deref().unwrap_or("?"))
            }
            DigestStatus::Skipped => "skipped".to_owned(),
        };
        println!(
            "Last digest: {} \"{}\", {}",
            d.period,
            crate::clean::terminal(&d.subject),
            crate::clean::terminal(&state)
        );
    }
    println!();
    let mut t = table(&["FEED", "ITEMS", "LAST SUCCESS", "NEXT POLL", "LAST ERROR"]);
    for f in &feeds {
        t.add_row(vec![
            f.display_name().to_owned(),
            f.items.to_string(),
            f.last_success.map(when).unwrap_or_else(|| "never".into()),
            if f.active {
                when(f.next_poll)
            } else {
                "inactive".into()
            },
            f.last_error
                .as_deref()
                .map(|e| format!("{} (×{})", truncate(e, 70), f.error_count))
                .unwrap_or_default(),
        ]);
    }
    print_table(&t);
    Ok(())
}

// ---- demo -------------------------------------------------------------------

/// Marks a data folder as the demo's own, so that `demo` may wipe it.
const DEMO_MARKER: &str = ".tricorder-demo";

fn cmd_demo(explicit: Option<&Path>) -> Result<()> {
    let path = explicit
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("config/demo.toml"));
    let cfg = config::load(&path)?;
    let marker = cfg.data_dir.join(DEMO_MARKER);
    if cfg.data_dir.exists() {
        let is_empty = std::fs::read_dir(&cfg.data_dir)?.next().is_none();
        if !marker.exists() && !is_empty {
            bail!(
                "{} exists and is not a demo folder; the demo starts from a fresh folder and will not wipe it",
                cfg.data_dir.display()
            );
        }
        std::fs::remove_dir_all(&cfg.data_dir)
            .with_context(|| format!("cannot clear {}", cfg.data_dir.display()))?;
    }
    std::fs::create_dir_all(&cfg.data_dir)?;
    std::fs::write(&marker, "created by `tricorder demo`; safe to delete\n")?;

    println!(
        "tricorder demo: polling {} bundled feeds from {} into {}\n",
        cfg.feeds.len(),
        path.display(),
        cfg.data_dir.display()
    );
    let (_lock, mut store) = open_for_writing(&cfg)?;
    let summary = poll_into(
        &cfg,
        &mut store,
        &PollArgs {
            all: true,
            feed: vec![],
            json: false,
        },
    )?;
    print_summary(&summary);
    println!();
    let mut t = table(&["FEED", "ITEMS", "STATUS"]);
    for f in store.feeds()? {
        t.add_row(vec![
            f.display_name().to_owned(),
            f.items.to_string(),
            health(&f),
        ]);
    }
    print_table(&t);
    let index = SearchIndex::open(&cfg.data_dir, &store)?;
    let as_of = cfg.analysis.as_of.unwrap_or_else(Utc::now);
    let params = trends::Params {
        max_topics: 5,
        ..trends::Params::from_config(&cfg.analysis, as_of)?
    };
    let topics = trends::trends(&index, &store, &params)?;
    println!("\n== Trends ==");
    print_trends(&topics, &params);
    println!(
        "\n== Stories ==\n$ tricorder --config {} stories --limit 3",
        path.display()
    );
    stories::cmd_stories(
        &cfg,
        &stories::StoriesArgs {
            window: None,
            as_of: Some(as_of.to_rfc3339()),
            min_feeds: 2,
            limit: 3,
            json: false,
        },
    )?;
    let window = Window::ending(
        as_of,
        chrono::Duration::from_std(cfg.analysis.questions_since)?,
    );
    let (after, until) = window.store_bounds();
    let mut qs = analyse::open_questions(&store, &topics, after, until, None)?;
    qs.truncate(6);
    println!("\n== Questions the industry is asking ==");
    print_questions(&qs, &window);

    let cfg_arg = path.display();
    println!("== Two example searches ==");
    for (q, by_story) in [
        ("\"agentic commerce\" checkout", false),
        ("\"AI Mode\"", true),
    ] {
        println!(
            "\n$ tricorder --config {cfg_arg} search '{q}' --limit 3{}",
            if by_story { " --by-story" } else { "" }
        );
        cmd_search(
            &cfg,
            &SearchArgs {
                query: vec![q.to_owned()],
                topic: None,
                since: None,
                until: None,
                feed: vec![],
                tag: vec![],
                limit: 3,
                sort: SortBy::Relevance,
                by_story,
                json: false,
            },
        )?;
    }
    println!("\n== The digest ==");
    let templates = Templates::load(&cfg.digest.questions_file)?;
    let renderer = Renderer::new(&cfg.digest.templates_dir)?;
    let period = period_of(&cfg, as_of);
    if let mail::deliver::Prepared::Created(row) | mail::deliver::Prepared::Existing(row) =
        mail::deliver::prepare(&cfg, &mut store, &index, &templates, &period, as_of, as_of)?
    {
        let rt = runtime()?;
        let _in_runtime = rt.enter();
        let mailer = Mailer::new(&cfg)?;
        let report = rt.block_on(mail::deliver::send_row(
            &cfg, &mut store, &mailer, &renderer, &templates, &row, as_of,
        ))?;
        print_delivery(&report, &mailer);
    }
    println!(
        "\nThe database is {}. Try:\n  tricorder --config {cfg_arg} status\n  tricorder --config {cfg_arg} trends\n  tricorder --config {cfg_arg} search 'TikTok Shop'\n  tricorder --config {cfg_arg} digest --preview",
        cfg.data_dir.join("tricorder.db").display(),
    );
    Ok(())
}

// ---- formatting helpers ---------------------------------------------------------

/// comfy-table pads the last column to the terminal width; trim that.
/// Cells hold feed text, cleaned here of anything that would steer the terminal.
fn print_table(t: &Table) {
    for line in t.lines() {
        println!("{}", crate::clean::terminal(line.trim_end()));
    }
}

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(presets::NOTHING);
    t.set_header(header.iter().map(|h| h.to_string()));
    t
}

fn health(f: &FeedRow) -> String {
    if !f.active {
        "inactive (no longer in the config)".into()
    } else if let Some(e) = &f.last_error {
        format!("failing: {}", truncate(e, 60))
    } else if f.last_success.is_some() {
        "ok".into()
    } else {
        "not polled yet".into()
    }
}

fn when(t: i64) -> String {
    let Some(dt) = DateTime::<Utc>::from_timestamp(t, 0) else {
        return "?".into();
    };
    if t == 0 {
        return "now (never polled)".into();
    }
    let delta = t - Utc::now().timestamp();
    let rel = if delta.abs() < 60 {
        "now".to_owned()
    } else {
        let s = humantime::format_duration(std::time::Duration::from_secs(
            (delta.unsigned_abs() / 60) * 60,
        ))
        .to_string();
        let s = s.split(' ').take(2).collect::<Vec<_>>().join(" ");
        if delta < 0 {
            format!("{s} ago")
        } else {
            format!("in {s}")
        }
    };
    format!(
        "{} ({rel})",
        dt.with_timezone(&Local).format("%Y-%m-%d %H:%M")
    )
}

fn truncate(s: &str, n: usize) -> String {
    let first_line = s.lines().next().unwrap_or("");
    if first_line.chars().count() <= n {
        first_line.to_owned()
    } else {
        format!("{}…", first_line.chars().take(n).collect::<String>())
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
