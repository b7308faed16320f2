//! The digest as it is stored: a versioned record of what was found, kept
//! apart from the view the templates receive ([`super::model`]).
//!
//! A digest is composed and stored before it is sent, and may wait in the
//! store across an upgrade (an SMTP outage over a release). The record holds
//! data (numbers, dates, texts with their sources); the view adds what only
//! presentation needs (bar heights, a sparkline, "×12.5"). A new view field
//! is then built from the record, and an old record still sends:
//! [`from_stored`] reads every version this release knows, including the
//! unversioned view JSON that releases before the record stored.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::model::*;

/// Bump when the record's meaning changes; keep reading the older ones.
pub const VERSION: u32 = 2;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub version: u32,
    /// The period this digest covers, the local date: "2026-11-16".
    pub period: String,
    /// "Monday 16 November 2026".
    pub date_long: String,
    pub subject: String,
    pub industry: String,
    pub quiet: bool,
    pub topics: Vec<TopicRecord>,
    /// The industry's open questions, each with its sources.
    pub questions: Vec<QuestionView>,
    /// Discussion starters per topic: kind, text, and the sources they quote.
    pub starters: Vec<StarterGroup>,
    pub expert: Vec<ExpertGroup>,
    pub health: Health,
    pub config_path: String,
    /// Each topic's `tricorder topic` report, as JSON (same order as
    /// `topics`); absent from digests composed before it existed.
    #[serde(default)]
    pub topic_pages: Vec<serde_json::Value>,
}

/// One topic, as found.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TopicRecord {
    pub label: String,
    /// "story" or "theme".
    pub kind: String,
    /// person, organization, place, event, product, concept or unknown.
    #[serde(rename = "type")]
    pub topic_type: String,
    pub headline: String,
    pub growth: f64,
    pub count: u32,
    pub expected: f64,
    pub feeds: usize,
    pub story_count: usize,
    pub window_days: i64,
    /// Mentions per day, baseline then window.
    pub daily: Vec<Day>,
    /// Other phrases of the topic.
    pub related: Vec<String>,
    pub stories: Vec<StoryLink>,
    /// "What we know", each sentence with its source.
    pub what_we_know: Vec<BriefSentence>,
    /// The items to read.
    pub read: Vec<Link>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Day {
    pub date: String,
    pub count: u32,
    pub in_window: bool,
}

impl Record {
    /// The view the templates receive.
    pub fn view(&self) -> Digest {
        Digest {
            period: self.period.clone(),
            date_long: self.date_long.clone(),
            subject: self.subject.clone(),
            industry: self.industry.clone(),
            quiet: self.quiet,
            topics: self
                .topics
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let mut v = t.view();
                    v.command = crate::analyse::topic::command(&t.label);
                    if i < self.topic_pages.len() {
                        v.page = format!("{}#topic-{}", topic_page_name(&self.period), i + 1);
                    }
                    v
                })
                .collect(),
            questions: self.questions.clone(),
            starters: self.starters.clone(),
            expert: self.expert.clone(),
            health: self.health.clone(),
            config_path: self.config_path.clone(),
            role: None,
            topic_pages: self.topic_pages.clone(),
        }
    }
}

impl TopicRecord {
    fn view(&self) -> TopicView {
        let max = self.daily.iter().map(|d| d.count).max().unwrap_or(0).max(1);
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        TopicView {
            name: self.label.clone(),
            kind: self.kind.clone(),
            topic_type: self.topic_type.clone(),
            summary: if self.kind == "story" {
                format!("A story in {}", plural(self.feeds, "feed", "feeds"))
            } else {
                format!(
                    "A theme across {} in {}",
                    plural(self.story_count, "story", "stories"),
                    plural(self.feeds, "feed", "feeds")
                )
            },
            headline: self.headline.clone(),
            stories: self.stories.clone(),
            growth: format!("×{:.1}", self.growth),
            count: self.count,
            expected: format!("{:.1}", self.expected),
            feeds: self.feeds,
            window_days: self.window_days,
            bars: self
                .daily
                .iter()
                .map(|d| Bar {
                    date: d.date.clone(),
                    count: d.count,
                    height: (d.count * 24).div_ceil(max),
                    in_window: d.in_window,
                })
                .collect(),
            sparkline: sparkline(&self.daily),
            related: self.related.clone(),
            links: self.read.clone(),
            brief: self.what_we_know.clone(),
            command: String::new(),
            page: String::new(),
        }
    }
}

/// The daily counts as ▁▂▃▄▅▆▇█, a bar between baseline and window.
fn sparkline(days: &[Day]) -> String {
    let as_counts: Vec<crate::analyse::trends::DayCount> = days
        .iter()
        .map(|d| crate::analyse::trends::DayCount {
            date: d.date.parse().unwrap_or_default(),
            count: d.count,
            window: d.in_window,
        })
        .collect();
    crate::analyse::trends::sparkline(&as_counts, '|')
}

/// The view of a stored digest, whatever release stored it.
pub fn from_stored(content: &str) -> Result<Digest> {
    let value: serde_json::Value =
        serde_json::from_str(content).context("the stored digest is not JSON")?;
    match value.get("version").and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(VERSION) => Ok(serde_json::from_value::<Record>(value)
            .context("the stored digest record is unreadable")?
            .view()),
        Some(v) => anyhow::bail!(
            "the stored digest is record version {v}, newer than this release reads ({VERSION})"
        ),
        // Before records, the view itself was stored; fields added to the
        // view since then have defaults.
        None => serde_json::from_value::<Digest>(value)
            .context("the stored digest (unversioned, from an older release) is unreadable"),
    }
}

/// The topic page's file name, beside the digest in the outbox.
pub fn topic_page_name(period: &str) -> String {
    format!("{period}--topic.html")
}
