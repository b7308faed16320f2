//! The digest as data: what the templates in `config/templates/` receive.
//!
//! Every string here is plain text, exactly as it came from the feeds or
//! the question templates. Escaping is the renderer's job (minijinja
//! auto-escapes the HTML template), so nothing is escaped twice and no
//! feed can smuggle markup into the mail.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Digest {
    /// The period this digest covers, the local date: "2026-11-16".
    pub period: String,
    /// "Monday 16 November 2026".
    pub date_long: String,
    pub subject: String,
    /// The reader's industry, from `[digest] industry` ("marketing").
    pub industry: String,
    /// Few or no trends today: the digest is a short "quiet day" edition
    /// built from the week's topics.
    pub quiet: bool,
    pub topics: Vec<TopicView>,
    /// Questions the industry is asking, with sources.
    pub questions: Vec<QuestionView>,
    /// Questions the reader could ask, per topic.
    pub starters: Vec<StarterGroup>,
    /// What to take to a technical colleague, per topic.
    pub expert: Vec<ExpertGroup>,
    pub health: Health,
    /// The config file to edit to change settings.
    pub config_path: String,
    /// The recipient's role and its one-line angle, filled per recipient.
    pub role: Option<RoleAngle>,
    /// Each topic's `tricorder topic` report (its JSON), for the
    /// `<period>--topic.html` page written beside the digest.
    #[serde(default)]
    pub topic_pages: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoleAngle {
    /// "sales"
    pub role: String,
    /// "Sales: ask how … changes what your buyers ask you before they sign."
    pub angle: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Link {
    pub title: String,
    pub url: Option<String>,
    pub feed: String,
    /// "2026-11-12"
    pub date: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TopicView {
    /// As people write it: "TikTok Shop".
    pub name: String,
    /// "story" (one event, several feeds) or "theme" (rising across stories).
    #[serde(default)]
    pub kind: String,
    /// person, organization, place, event, product, concept or unknown.
    #[serde(default, rename = "type")]
    pub topic_type: String,
    /// "A story in 7 feeds" / "A theme across 11 stories in 8 feeds".
    #[serde(default)]
    pub summary: String,
    /// The story's most central title, or the theme's best item's.
    #[serde(default)]
    pub headline: String,
    /// The stories that carry it, biggest first.
    #[serde(default)]
    pub stories: Vec<StoryLink>,
    /// "×12.5"
    pub growth: String,
    /// Items in the window, and what the baseline would have predicted.
    pub count: u32,
    pub expected: String,
    pub feeds: usize,
    pub window_days: i64,
    /// One bar per day, baseline then window, for a table-cell chart.
    pub bars: Vec<Bar>,
    /// The same counts as a Unicode sparkline, for the text part.
    pub sparkline: String,
    /// Other phrases of the topic.
    pub related: Vec<String>,
    /// 2–3 links to read.
    pub links: Vec<Link>,
    /// The command that shows the topic's history: "tricorder topic 'TikTok Shop'".
    #[serde(default)]
    pub command: String,
    /// Its section of the topic page beside the digest, when there is one.
    #[serde(default)]
    pub page: String,
    /// "What we know": 2–3 sentences from the best items, each with its source.
    pub brief: Vec<BriefSentence>,
}

/// A story as the digest lists it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoryLink {
    pub headline: String,
    pub url: Option<String>,
    pub feeds: Vec<String>,
    pub items: usize,
    /// "2026-11-12"
    pub first_seen: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Bar {
    pub date: String,
    pub count: u32,
    /// Bar height in pixels (0–24), for the HTML chart.
    pub height: u32,
    pub in_window: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BriefSentence {
    pub text: String,
    pub source: Link,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuestionView {
    pub question: String,
    pub topic: Option<String>,
    pub sources: Vec<Link>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StarterGroup {
    pub topic: String,
    /// The 1–3 items to read before asking.
    pub read_first: Vec<Link>,
    pub starters: Vec<Starter>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Starter {
    /// The kind's key ("big_picture") and its label ("The big picture").
    pub kind: String,
    pub label: String,
    pub text: String,
    /// The items a grounded starter quotes (read them before asking).
    #[serde(default)]
    pub sources: Vec<Link>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExpertGroup {
    pub topic: String,
    /// The industry's own open questions on this topic.
    pub open_questions: Vec<QuestionView>,
    /// What to check with a technical colleague before posting.
    pub checks: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Health {
    pub feeds: usize,
    pub healthy: usize,
    pub failing: Vec<FailingFeed>,
    /// Items that arrived in the window.
    pub items: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FailingFeed {
    pub name: String,
    pub url: String,
    pub error: String,
    /// Consecutive failures.
    pub failures: i64,
}
