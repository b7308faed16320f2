//! A deterministic, synthetic corpus of marketing trade-press feeds for
//! testing trend detection quality.
//!
//! `generate(Spec::default())` yields 32 RSS 2.0 documents covering the 45 days
//! that end on 2026-11-16 (day 1 = 2026-10-03, day 45 = 2026-11-16). Days
//! 39–45 are the "recent" week, days 11–38 the 28-day baseline before it.
//!
//! What is in it:
//! - background topics (`Corpus::background`), steady over all days, spread
//!   over feeds by beat; every background item mentions 1–3 of them;
//! - planted surges (`Corpus::planted`): "agentic commerce", "AI Mode" and
//!   "TikTok Shop" (at most 2 baseline items each, then 4–8 items in each of
//!   6–7 feeds in the recent week, every one mentioning the phrase at least
//!   twice), and "server-side tagging" (nothing at all until the last 5 days,
//!   then 3–5 items in each of 5 feeds);
//! - decoys (`Corpus::decoys`): a one-feed surge ("podcast sponsorships"),
//!   frequent steady phrases ("social media" in 40% of items, "artificial
//!   intelligence" at 15% rising to 18%), and footers/boilerplate.
//!
//! Only `std`; the PRNG is a xorshift64*. Same `Spec` → byte-identical output.
#![allow(dead_code)]

use std::collections::HashSet;
use std::fmt::Write as _;
use std::ops::RangeInclusive;

/// End of the last day of the corpus; ask for trends as of this instant.
pub const AS_OF: &str = "2026-11-16T23:59:59Z";
const END_DATE: (i64, u32, u32) = (2026, 11, 16);

/// What to generate. `Default` is the corpus the quality tests use.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// Number of feeds (at least 12).
    pub feeds: usize,
    /// Number of days, ending 2026-11-16 (at least 14).
    pub days: u32,
    /// Average background items per feed per day. Individual feeds vary from
    /// half to 5/3 of this (0.6–2.0 by default); weekends get fewer.
    pub items_per_feed_per_day: f64,
    pub seed: u64,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            feeds: 32,
            days: 45,
            items_per_feed_per_day: 1.2,
            seed: 20261116,
        }
    }
}

/// One feed: serve `rss` (an RSS 2.0 document) from a test server.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    /// `feed-07`: URL-safe, unique.
    pub slug: String,
    /// `Feed 07: Search Signals`: also the channel title.
    pub name: String,
    pub rss: String,
}

/// A topic that truly trends in the recent week.
#[derive(Debug, Clone, PartialEq)]
pub struct Planted {
    pub phrase: &'static str,
    /// Distinct feeds with at least one recent item mentioning the phrase.
    pub feeds: usize,
    /// True when the phrase never appears before the recent week.
    pub zero_baseline: bool,
    /// Phrases planted in the same items (candidates for merging).
    pub related: &'static [&'static str],
    /// Items mentioning the phrase (title or body) in the recent week.
    pub recent_items: usize,
    /// Items mentioning the phrase in the 28 baseline days.
    pub baseline_items: usize,
}

/// A phrase that must NOT be reported as trending.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoy {
    pub phrase: &'static str,
    /// "single-feed surge", "frequent steady" or "footer".
    pub kind: &'static str,
}

#[derive(Debug, Clone)]
pub struct Corpus {
    pub feeds: Vec<Feed>,
    pub as_of: &'static str,
    pub planted: Vec<Planted>,
    pub decoys: Vec<Decoy>,
    /// The steady background topics.
    pub background: Vec<&'static str>,
    /// Number of days (day 1 is the oldest, day `days` is 2026-11-16).
    pub days: u32,
}

impl Corpus {
    /// The recent week (the last 7 days), as day numbers.
    pub fn recent_days(&self) -> RangeInclusive<u32> {
        recent_start(self.days)..=self.days
    }

    /// The 28 days before the recent week, as day numbers.
    pub fn baseline_days(&self) -> RangeInclusive<u32> {
        baseline_start(self.days)..=recent_start(self.days) - 1
    }

    /// The planted (or decoy) phrase's item count per window, by re-reading the RSS.
    pub fn items_mentioning(&self, phrase: &str, days: RangeInclusive<u32>) -> usize {
        item_texts(self)
            .iter()
            .filter(|i| days.contains(&i.day) && i.mentions(phrase) > 0)
            .count()
    }
}

/// One item read back from the generated RSS (plain text, entities decoded).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemText {
    /// Index into `Corpus::feeds`.
    pub feed: usize,
    pub guid: String,
    pub title: String,
    /// Paragraphs separated by newlines, tags stripped, footers included.
    pub body: String,
    pub pub_date: String,
    /// Day number (1 = oldest).
    pub day: u32,
}

impl ItemText {
    /// Whole-word, case-insensitive occurrences in title and body.
    pub fn mentions(&self, phrase: &str) -> usize {
        mentions(&self.title, phrase) + mentions(&self.body, phrase)
    }
}

/// Every item of every feed, read back from the RSS text.
pub fn item_texts(corpus: &Corpus) -> Vec<ItemText> {
    let end = days_from_civil(END_DATE.0, END_DATE.1, END_DATE.2);
    let mut out = Vec::new();
    for (fi, feed) in corpus.feeds.iter().enumerate() {
        let mut rest = feed.rss.as_str();
        while let Some(start) = rest.find("<item>") {
            let stop = rest[start..].find("</item>").expect("unterminated <item>") + start;
            let item = &rest[start..stop];
            rest = &rest[stop..];
            let title = xml_unescape(tag_text(item, "title"));
            let html = xml_unescape(tag_text(item, "description"));
            let body = xml_unescape(&strip_tags(&html));
            let pub_date = tag_text(item, "pubDate").to_owned();
            let epoch = parse_rfc2822_day(&pub_date);
            let day = (corpus.days as i64 - (end - epoch)) as u32;
            out.push(ItemText {
                feed: fi,
                guid: xml_unescape(tag_text(item, "guid")),
                title,
                body,
                pub_date,
                day,
            });
        }
    }
    out
}

/// Whole-word, case-insensitive (ASCII) occurrences of `phrase` in `text`.
pub fn mentions(text: &str, phrase: &str) -> usize {
    let hay = text.to_ascii_lowercase();
    let needle = phrase.to_ascii_lowercase();
    if needle.is_empty() {
        return 0;
    }
    let bytes = hay.as_bytes();
    let mut n = 0;
    let mut from = 0;
    while let Some(pos) = hay[from..].find(&needle) {
        let s = from + pos;
        let e = s + needle.len();
        let before_ok = s == 0 || !bytes[s - 1].is_ascii_alphanumeric();
        let after_ok = e == bytes.len() || !bytes[e].is_ascii_alphanumeric();
        if before_ok && after_ok {
            n += 1;
        }
        from = s + 1;
    }
    n
}

/// Whitespace-separated words.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

// ---------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------

/// Builds the corpus. Deterministic in `spec`.
pub fn generate(spec: Spec) -> Corpus {
    assert!(spec.feeds >= 12, "corpus needs at least 12 feeds");
    assert!(spec.days >= 14, "corpus needs at least 14 days");
    assert!(spec.items_per_feed_per_day > 0.0);
    let mut rng = Rng::new(spec.seed);
    let days = spec.days;
    let n_feeds = spec.feeds;
    let end = days_from_civil(END_DATE.0, END_DATE.1, END_DATE.2);
    let epoch_of = |d: u32| end - (days - d) as i64;
    let recent = recent_start(days);
    let base = baseline_start(days);

    // Feeds: name, beat, host, per-feed rate.
    let feed_defs: Vec<(String, usize, String)> = (0..n_feeds)
        .map(|i| {
            let (label, beat) = FEEDS[i % FEEDS.len()];
            let label = if i < FEEDS.len() {
                label.to_owned()
            } else {
                format!("{label} {}", i / FEEDS.len() + 1)
            };
            let host = format!("{}.example.com", slugify(&label));
            (label, beat, host)
        })
        .collect();
    let avg = spec.items_per_feed_per_day;
    let (lo, hi) = (avg * 0.5, avg * 5.0 / 3.0);
    let shape = (hi - lo) / (avg - lo) - 1.0;
    let mut rates: Vec<f64> = (0..n_feeds)
        .map(|i| lo + (hi - lo) * ((i as f64 + 0.5) / n_feeds as f64).powf(shape))
        .collect();
    rng.shuffle(&mut rates);

    // Background items.
    let mut plans: Vec<Plan> = Vec::new();
    for f in 0..n_feeds {
        let beat = feed_defs[f].1;
        for d in 1..=days {
            let wd = weekday(epoch_of(d));
            let weekend = wd == 0 || wd == 6;
            let mult = if weekend { 0.4 } else { 1.0 } * 7.0 / 5.8;
            let e = rates[f] * mult * (0.7 + 0.6 * rng.f64());
            let mut k = e.floor() as usize;
            if rng.f64() < e.fract() {
                k += 1;
            }
            for _ in 0..k {
                let topics = pick_topics(beat, &mut rng);
                plans.push(Plan {
                    feed: f,
                    day: d,
                    secs: rng.range(5 * 3600, 23 * 3600) as u32,
                    kind: Kind::Background,
                    topics,
                    aside: None,
                    social: false,
                    ai: false,
                });
            }
        }
    }

    // Surges: planted topics and the one-feed decoy. Each surge item takes the
    // place of a background item on the same feed and day when there is one,
    // so feed volume stays roughly steady.
    let podcast_feed = 7.min(n_feeds - 1);
    for (s, surge) in SURGES.iter().enumerate() {
        let feeds: Vec<usize> = if s == PODCAST {
            vec![podcast_feed]
        } else {
            let mut preferred: Vec<usize> = (0..n_feeds)
                .filter(|&f| surge.beats.contains(&feed_defs[f].1))
                .collect();
            let mut others: Vec<usize> = (0..n_feeds)
                .filter(|&f| !surge.beats.contains(&feed_defs[f].1))
                .collect();
            rng.shuffle(&mut preferred);
            rng.shuffle(&mut others);
            preferred.extend(others);
            preferred.truncate(surge.feeds);
            preferred.sort_unstable();
            preferred
        };
        let first_day = days + 1 - surge.window_days;
        for f in feeds {
            let k = rng.range(surge.per_feed.0 as u64, surge.per_feed.1 as u64 + 1) as usize;
            for _ in 0..k {
                // Weekdays twice as likely as weekend days.
                let window: Vec<u32> = (first_day..=days).collect();
                let weights: Vec<f64> = window
                    .iter()
                    .map(|&d| match weekday(epoch_of(d)) {
                        0 | 6 => 1.0,
                        _ => 2.0,
                    })
                    .collect();
                let d = window[rng.weighted(&weights)];
                let topic = rng.below(TOPICS.len());
                let slot = plans.iter().position(|p| {
                    p.feed == f && p.day == d && p.kind == Kind::Background && p.aside.is_none()
                });
                match slot {
                    Some(i) => {
                        plans[i].kind = Kind::Surge(s);
                        plans[i].topics = vec![topic];
                    }
                    None => plans.push(Plan {
                        feed: f,
                        day: d,
                        secs: rng.range(5 * 3600, 23 * 3600) as u32,
                        kind: Kind::Surge(s),
                        topics: vec![topic],
                        aside: None,
                        social: false,
                        ai: false,
                    }),
                }
            }
        }
    }

    // Low baselines: single passing mentions in otherwise ordinary items.
    for (s, surge) in SURGES.iter().enumerate() {
        let ranges = [
            (surge.asides_before, 1u32, base.saturating_sub(1)),
            (surge.asides_baseline, base, recent - 1),
        ];
        for (count, from, to) in ranges {
            for _ in 0..count {
                if from > to {
                    continue;
                }
                let candidates: Vec<usize> = (0..plans.len())
                    .filter(|&i| {
                        let p = &plans[i];
                        p.kind == Kind::Background
                            && p.aside.is_none()
                            && p.day >= from
                            && p.day <= to
                            && (s != PODCAST || p.feed == podcast_feed)
                            && (s == PODCAST || surge.beats.contains(&feed_defs[p.feed].1))
                    })
                    .collect();
                if !candidates.is_empty() {
                    let i = candidates[rng.below(candidates.len())];
                    plans[i].aside = Some(s);
                }
            }
        }
    }

    plans.sort_by_key(|p| (p.feed, p.day, p.secs));

    // Steady decoys, by exact daily quota (error carried between days).
    let mut social_carry = 0.0;
    let mut ai_carry = 0.0;
    for d in 1..=days {
        let mut idx: Vec<usize> = (0..plans.len()).filter(|&i| plans[i].day == d).collect();
        let n = idx.len() as f64;
        let target = 0.40 * n + social_carry;
        let k = target.round().clamp(0.0, n);
        social_carry = target - k;
        rng.shuffle(&mut idx);
        for (j, &i) in idx.iter().enumerate() {
            plans[i].social = (j as f64) < k;
        }
        let p = if d >= recent { 0.18 } else { 0.15 };
        let target = p * n + ai_carry;
        let k = target.round().clamp(0.0, n);
        ai_carry = target - k;
        rng.shuffle(&mut idx);
        for (j, &i) in idx.iter().enumerate() {
            plans[i].ai = (j as f64) < k;
        }
    }

    // Render.
    let mut rendered: Vec<Vec<String>> = vec![Vec::new(); n_feeds];
    let mut seen_titles: Vec<HashSet<String>> = vec![HashSet::new(); n_feeds];
    for (seq, plan) in plans.iter().enumerate() {
        let (label, beat, host) = &feed_defs[plan.feed];
        let _ = label;
        let (title, paragraphs) = render_item(
            plan,
            *beat,
            plan.feed == 2,
            &mut seen_titles[plan.feed],
            &mut rng,
        );
        let (y, m, dd) = civil_from_days(epoch_of(plan.day));
        let id = 10_000 + seq;
        let link = format!(
            "https://{host}/{y:04}/{m:02}/{dd:02}/{}-{id}/",
            slugify(&title)
        );
        let html: String = paragraphs
            .iter()
            .map(|p| format!("<p>{}</p>", escape(p)))
            .collect::<Vec<_>>()
            .join("\n");
        let mut item = String::new();
        item.push_str("    <item>\n");
        let _ = writeln!(item, "      <title>{}</title>", escape(&title));
        let _ = writeln!(item, "      <link>{link}</link>");
        let _ = writeln!(
            item,
            "      <guid isPermaLink=\"false\">tag:{host},2026:post-{id}</guid>"
        );
        let _ = writeln!(
            item,
            "      <pubDate>{}</pubDate>",
            rfc2822(epoch_of(plan.day), plan.secs)
        );
        let _ = writeln!(item, "      <category>{}</category>", BEATS[*beat].category);
        let _ = writeln!(item, "      <description>{}</description>", escape(&html));
        item.push_str("    </item>\n");
        rendered[plan.feed].push(item);
    }

    let build_date = rfc2822(end, 23 * 3600 + 59 * 60 + 59);
    let feeds: Vec<Feed> = feed_defs
        .iter()
        .enumerate()
        .map(|(i, (label, beat, host))| {
            let name = format!("Feed {:02}: {label}", i + 1);
            let mut rss = String::new();
            rss.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            rss.push_str("<rss version=\"2.0\">\n  <channel>\n");
            let _ = writeln!(rss, "    <title>{}</title>", escape(&name));
            let _ = writeln!(rss, "    <link>https://{host}/</link>");
            let _ = writeln!(
                rss,
                "    <description>News and analysis on {}.</description>",
                BEATS[*beat].about
            );
            rss.push_str("    <language>en-us</language>\n");
            let _ = writeln!(rss, "    <lastBuildDate>{build_date}</lastBuildDate>");
            // Newest first, as real feeds are.
            for item in rendered[i].iter().rev() {
                rss.push_str(item);
            }
            rss.push_str("  </channel>\n</rss>\n");
            Feed {
                slug: format!("feed-{:02}", i + 1),
                name,
                rss,
            }
        })
        .collect();

    let mut corpus = Corpus {
        feeds,
        as_of: AS_OF,
        planted: Vec::new(),
        decoys: vec![
            Decoy {
                phrase: SURGES[PODCAST].phrase,
                kind: "single-feed surge",
            },
            Decoy {
                phrase: "social media",
                kind: "frequent steady",
            },
            Decoy {
                phrase: "artificial intelligence",
                kind: "frequent steady",
            },
            Decoy {
                phrase: "weekly marketing insights",
                kind: "footer",
            },
            Decoy {
                phrase: "appeared first",
                kind: "footer",
            },
            Decoy {
                phrase: "learn more",
                kind: "footer",
            },
        ],
        background: TOPICS.to_vec(),
        days,
    };

    // Ground truth, counted from the documents themselves.
    let texts = item_texts(&corpus);
    let recent_range = corpus.recent_days();
    let base_range = corpus.baseline_days();
    corpus.planted = SURGES[..PODCAST]
        .iter()
        .map(|s| {
            let hits: Vec<&ItemText> = texts.iter().filter(|t| t.mentions(s.phrase) > 0).collect();
            let mut feeds: Vec<usize> = hits
                .iter()
                .filter(|t| recent_range.contains(&t.day))
                .map(|t| t.feed)
                .collect();
            feeds.sort_unstable();
            feeds.dedup();
            Planted {
                phrase: s.phrase,
                feeds: feeds.len(),
                zero_baseline: s.asides_before + s.asides_baseline == 0,
                related: s.related,
                recent_items: hits
                    .iter()
                    .filter(|t| recent_range.contains(&t.day))
                    .count(),
                baseline_items: hits.iter().filter(|t| base_range.contains(&t.day)).count(),
            }
        })
        .collect();
    corpus
}

fn recent_start(days: u32) -> u32 {
    days.saturating_sub(6).max(1)
}

fn baseline_start(days: u32) -> u32 {
    recent_start(days).saturating_sub(28).max(1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Background,
    Surge(usize),
}

#[derive(Debug, Clone)]
struct Plan {
    feed: usize,
    day: u32,
    secs: u32,
    kind: Kind,
    /// Background topics (indices into TOPICS); the first is the main one.
    topics: Vec<usize>,
    /// A single passing mention of a surge phrase (low baseline).
    aside: Option<usize>,
    social: bool,
    ai: bool,
}

fn pick_topics(beat: usize, rng: &mut Rng) -> Vec<usize> {
    let primary = BEATS[beat].topics;
    let weights: Vec<f64> = (0..TOPICS.len())
        .map(|t| if primary.contains(&t) { 6.0 } else { 1.0 })
        .collect();
    let r = rng.f64();
    let k = if r < 0.35 {
        1
    } else if r < 0.80 {
        2
    } else {
        3
    };
    let mut out = Vec::new();
    while out.len() < k {
        let t = rng.weighted(&weights);
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Per-item random choices used to fill templates.
struct Ctx {
    t: &'static str,
    t2: &'static str,
    co: &'static str,
    co2: &'static str,
    person: String,
    role: &'static str,
    aud: &'static str,
}

fn render_item(
    plan: &Plan,
    beat: usize,
    post_footer: bool,
    seen: &mut HashSet<String>,
    rng: &mut Rng,
) -> (String, Vec<String>) {
    let b = &BEATS[beat];
    let co = rng.pick(COMPANIES);
    let mut co2 = rng.pick(COMPANIES);
    while co2 == co {
        co2 = rng.pick(COMPANIES);
    }
    let ctx = Ctx {
        t: TOPICS[plan.topics[0]],
        t2: plan.topics.get(1).map(|&t| TOPICS[t]).unwrap_or(""),
        co,
        co2,
        person: format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)),
        role: rng.pick(ROLES),
        aud: rng.pick(b.audiences),
    };

    // Title.
    let title_tpls: &[&str] = match plan.kind {
        Kind::Background => BG_TITLES,
        Kind::Surge(s) => SURGES[s].titles,
    };
    let mut title = String::new();
    for attempt in 0..40 {
        let tpl = rng.pick(title_tpls);
        if tpl.contains("{T2}") && ctx.t2.is_empty() {
            continue;
        }
        let t = capitalize(&fill(tpl, &ctx, rng));
        if !(6..=12).contains(&word_count(&t)) {
            continue;
        }
        title = t;
        if !seen.contains(&title) || attempt >= 30 {
            break;
        }
    }
    if title.is_empty() {
        title = capitalize(&format!(
            "What {} should know about {} this quarter",
            ctx.aud, ctx.t
        ));
    }
    seen.insert(title.clone());

    // Sentences that must be there.
    let mut required: Vec<String> = Vec::new();
    let mut question: Option<String> = None;
    match plan.kind {
        Kind::Background => {
            required.push(fill(rng.pick(LEADS), &ctx, rng));
            for &t in &plan.topics[1..] {
                let sub = Ctx {
                    t: TOPICS[t],
                    t2: "",
                    co: ctx.co2,
                    co2: ctx.co,
                    person: ctx.person.clone(),
                    role: ctx.role,
                    aud: ctx.aud,
                };
                required.push(fill(rng.pick(TOPIC_SENTS), &sub, rng));
            }
            if rng.chance(0.2) {
                question = Some(fill(rng.pick(BG_QUESTIONS), &ctx, rng));
            }
        }
        Kind::Surge(s) => {
            let surge = &SURGES[s];
            let mut order: Vec<usize> = (0..surge.sentences.len()).collect();
            rng.shuffle(&mut order);
            let k = if rng.chance(0.5) { 2 } else { 3 };
            for &i in &order[..k] {
                required.push(fill(surge.sentences[i], &ctx, rng));
            }
            let mut rel: Vec<usize> = (0..surge.related_sentences.len()).collect();
            rng.shuffle(&mut rel);
            let r = if rng.chance(0.4) { 2 } else { 1 };
            for &i in &rel[..r.min(rel.len())] {
                required.push(fill(surge.related_sentences[i], &ctx, rng));
            }
            required.push(fill(rng.pick(TOPIC_SENTS), &ctx, rng));
            if rng.chance(0.5) && !surge.questions.is_empty() {
                question = Some(rng.pick(surge.questions).to_string());
            }
        }
    }
    if let Some(s) = plan.aside {
        required.push(rng.pick(SURGES[s].asides).to_string());
    }
    if plan.social {
        required.push(fill(rng.pick(SOCIAL_SENTS), &ctx, rng));
    }
    if plan.ai {
        required.push(fill(rng.pick(AI_SENTS), &ctx, rng));
    }
    let mut boilerplate = if rng.chance(0.2) {
        Some(rng.pick(BOILERPLATE).to_string())
    } else {
        None
    };

    // Footers.
    let mut footers: Vec<String> = Vec::new();
    if post_footer {
        footers.push(format!(
            "The post {title} appeared first on {}.",
            FEEDS[2].0
        ));
    }
    footers.push(NEWSLETTER_FOOTER.to_owned());

    // Word budget: 80–200 words in the whole body, footers included.
    let wc = |v: &[String]| v.iter().map(|s| word_count(s)).sum::<usize>();
    let mut words = wc(&required) + wc(&footers);
    let opt_words = |q: &Option<String>| q.as_deref().map(word_count).unwrap_or(0);
    if words + opt_words(&question) + opt_words(&boilerplate) > 185 {
        boilerplate = None;
    }
    if words + opt_words(&question) > 185 {
        question = None;
    }
    words += opt_words(&question) + opt_words(&boilerplate);
    let target = 80 + rng.below(61) + rng.below(61);
    let mut pool: Vec<&str> = b.sentences.iter().chain(GENERIC.iter()).copied().collect();
    rng.shuffle(&mut pool);
    let mut fillers: Vec<String> = Vec::new();
    for tpl in pool {
        if words >= target {
            break;
        }
        let s = fill(tpl, &ctx, rng);
        let w = word_count(&s);
        if words + w <= 200 {
            words += w;
            fillers.push(s);
        }
    }

    // Arrange: lead first, the rest mixed, then question, boilerplate, footers.
    let lead = required.remove(0);
    let mut rest: Vec<String> = required.into_iter().chain(fillers).collect();
    rng.shuffle(&mut rest);
    let mut sentences = vec![lead];
    sentences.extend(rest);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sentences.len() {
        let n = rng.range(2, 5) as usize;
        let j = (i + n).min(sentences.len());
        paragraphs.push(sentences[i..j].join(" "));
        i = j;
    }
    if let Some(q) = question {
        let last = paragraphs.last_mut().expect("at least the lead");
        last.push(' ');
        last.push_str(&q);
    }
    paragraphs.extend(boilerplate);
    paragraphs.extend(footers);
    (title, paragraphs)
}

/// Replaces `{slot}`s. Unknown slots are left as they are.
fn fill(tpl: &str, ctx: &Ctx, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(tpl.len() + 32);
    let mut rest = tpl;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let key = &rest[open + 1..open + close];
        match key {
            "T" => out.push_str(ctx.t),
            "T2" => out.push_str(ctx.t2),
            "co" => out.push_str(ctx.co),
            "co2" => out.push_str(ctx.co2),
            "person" => out.push_str(&ctx.person),
            "role" => out.push_str(ctx.role),
            "aud" => out.push_str(ctx.aud),
            "n" => out.push_str(rng.pick(SURVEY_SIZES)),
            "pct" => {
                let _ = write!(out, "{}", rng.range(22, 79));
            }
            "num" => out.push_str(rng.pick(SMALL_NUMBERS)),
            "period" => out.push_str(rng.pick(PERIODS)),
            "month" => out.push_str(rng.pick(MONTHS)),
            "cadence" => out.push_str(rng.pick(CADENCES)),
            _ => out.push_str(&rest[open..=open + close]),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    capitalize(&out)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn xml_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn tag_text<'a>(item: &'a str, tag: &str) -> &'a str {
    let open = format!("<{tag}");
    let Some(s) = item.find(&open) else {
        return "";
    };
    let Some(gt) = item[s..].find('>') else {
        return "";
    };
    let start = s + gt + 1;
    let close = format!("</{tag}>");
    match item[start..].find(&close) {
        Some(e) => &item[start..start + e],
        None => "",
    }
}

fn strip_tags(html: &str) -> String {
    let html = html.replace("</p>", "\n");
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTH_ABBR: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since 1970-01-01 (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// 0 = Sunday.
fn weekday(epoch_day: i64) -> usize {
    (epoch_day + 4).rem_euclid(7) as usize
}

fn rfc2822(epoch_day: i64, secs: u32) -> String {
    let (y, m, d) = civil_from_days(epoch_day);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} +0000",
        WEEKDAYS[weekday(epoch_day)],
        d,
        MONTH_ABBR[m as usize - 1],
        y,
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Epoch day of an RFC 2822 date as written by `rfc2822`.
fn parse_rfc2822_day(s: &str) -> i64 {
    let parts: Vec<&str> = s.split_whitespace().collect();
    assert!(parts.len() >= 4, "bad pubDate {s:?}");
    let d: u32 = parts[1].parse().expect("day");
    let m = MONTH_ABBR
        .iter()
        .position(|&x| x == parts[2])
        .expect("month") as u32
        + 1;
    let y: i64 = parts[3].parse().expect("year");
    days_from_civil(y, m, d)
}

// ---------------------------------------------------------------------------
// PRNG: xorshift64*, seeded through splitmix64.
// ---------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n).
    fn below(&mut self, n: usize) -> usize {
        assert!(n > 0);
        ((self.next_u64() >> 1) % n as u64) as usize
    }

    /// Uniform in [lo, hi).
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below((hi - lo) as usize) as u64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut r = self.f64() * total;
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        weights.len() - 1
    }

    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

const NEWSLETTER_FOOTER: &str = "Subscribe to our newsletter for weekly marketing insights.";

/// Steady background topics. Indices are used by `BEATS`.
const TOPICS: &[&str] = &[
    "email deliverability",    // 0
    "customer retention",      // 1
    "brand safety",            // 2
    "marketing attribution",   // 3
    "content calendar",        // 4
    "influencer marketing",    // 5
    "first-party data",        // 6
    "conversion rate",         // 7
    "landing page",            // 8
    "marketing budgets",       // 9
    "customer journey",        // 10
    "lead scoring",            // 11
    "loyalty program",         // 12
    "product launch",          // 13
    "holiday campaign",        // 14
    "search rankings",         // 15
    "retail media",            // 16
    "consent management",      // 17
    "account-based marketing", // 18
    "customer feedback",       // 19
    "connected TV",            // 20
    "brand awareness",         // 21
];

struct Beat {
    category: &'static str,
    about: &'static str,
    /// Primary topics (weighted 6:1 against the others).
    topics: &'static [usize],
    audiences: &'static [&'static str],
    sentences: &'static [&'static str],
}

const EMAIL: usize = 0;
const SEO: usize = 1;
const SOCIAL: usize = 2;
const RETAIL: usize = 3;
const PRIVACY: usize = 4;
const B2B: usize = 5;
const ADTECH: usize = 6;
const CREATOR: usize = 7;
const ANALYTICS: usize = 8;
const CX: usize = 9;
const CONTENT: usize = 10;
const BRAND: usize = 11;

const BEATS: &[Beat] = &[
    Beat {
        category: "Email",
        about: "email and lifecycle marketing",
        topics: &[0, 1, 12, 14, 10],
        audiences: &[
            "email marketers",
            "lifecycle teams",
            "retailers",
            "subscription brands",
        ],
        sentences: &[
            "Mailbox providers continue to tighten their requirements for bulk senders.",
            "Authentication records such as SPF and DKIM are now table stakes for any sender.",
            "Segmented sends consistently outperform batch-and-blast campaigns in the data.",
            "Unsubscribe rates tend to climb when frequency rises without a clear reason.",
            "Welcome series remain the highest-earning automated flows for most senders.",
            "Plain-text messages are making a comeback in some B2B programs.",
        ],
    },
    Beat {
        category: "Search",
        about: "search engine optimization",
        topics: &[15, 8, 7, 4],
        audiences: &[
            "SEO teams",
            "publishers",
            "content marketers",
            "ecommerce sites",
        ],
        sentences: &[
            "Core updates continue to reshuffle visibility for publishers and affiliates.",
            "Structured data helps search engines understand product and review pages.",
            "Internal linking remains an underused lever on many large sites.",
            "Organic traffic from Google has become harder to forecast quarter to quarter.",
            "Technical audits still uncover slow pages and broken redirects on major sites.",
            "Local listings drive a surprising share of store visits for multi-location brands.",
        ],
    },
    Beat {
        category: "Social",
        about: "social platforms and communities",
        topics: &[5, 21, 4, 13],
        audiences: &[
            "social teams",
            "brands",
            "community managers",
            "consumer brands",
        ],
        sentences: &[
            "Short-form video continues to dominate feeds on Instagram and TikTok.",
            "Community managers now spend more time in comment sections than in posts.",
            "Paid reach has become more expensive on most of the major platforms.",
            "Brands are experimenting with private groups and broadcast channels.",
            "Posting frequency matters less than it did two years ago, according to several managers.",
            "Employee advocacy programs are quietly expanding at larger companies.",
        ],
    },
    Beat {
        category: "Retail",
        about: "retail and ecommerce marketing",
        topics: &[16, 14, 12, 7, 13],
        audiences: &[
            "retailers",
            "direct-to-consumer brands",
            "grocery chains",
            "marketplace sellers",
        ],
        sentences: &[
            "Store traffic and online orders are increasingly planned together.",
            "Shoppers compare prices across several apps before they commit to a purchase.",
            "Free return policies are being rewritten across the apparel category.",
            "Inventory planning is now shared between merchandising and marketing teams.",
            "Promotional calendars are starting earlier every year.",
            "Buy-online-pick-up-in-store orders remain popular in suburban markets.",
        ],
    },
    Beat {
        category: "Privacy",
        about: "privacy, data and regulation",
        topics: &[6, 17, 3, 2],
        audiences: &["advertisers", "publishers", "legal teams", "data teams"],
        sentences: &[
            "Regulators in several states have issued new guidance on online tracking.",
            "Cookie banners remain a source of friction on many websites.",
            "Legal teams now take part in most campaign reviews before launch.",
            "Data minimization has become a design principle rather than a checkbox.",
            "Browser changes keep shortening the life of tracking identifiers.",
            "Clean rooms are being tested for measurement partnerships between brands and publishers.",
        ],
    },
    Beat {
        category: "B2B",
        about: "B2B marketing and demand generation",
        topics: &[11, 18, 10, 9],
        audiences: &[
            "B2B marketers",
            "software companies",
            "demand generation teams",
            "sales leaders",
        ],
        sentences: &[
            "Sales cycles have lengthened as more stakeholders join buying committees.",
            "Marketing and sales teams are renegotiating how they define a qualified lead.",
            "Webinars still generate pipeline, but live attendance keeps falling.",
            "Intent data is widely used, though few teams fully trust it.",
            "Field events are back on the calendar for many enterprise vendors.",
            "Gated content is being reconsidered as buyers research on their own.",
        ],
    },
    Beat {
        category: "Advertising",
        about: "advertising technology and media buying",
        topics: &[2, 20, 16, 3],
        audiences: &["media buyers", "agencies", "advertisers", "publishers"],
        sentences: &[
            "CPMs have been volatile across open exchange inventory this season.",
            "Supply path optimization is now a standard request in agency briefs.",
            "Contextual targeting is getting a second look from media buyers.",
            "Verification vendors report more made-for-advertising sites in the supply chain.",
            "Upfront negotiations are shifting toward guaranteed outcomes.",
            "Frequency capping across channels remains difficult to enforce.",
        ],
    },
    Beat {
        category: "Creators",
        about: "the creator economy",
        topics: &[5, 13, 21],
        audiences: &[
            "creators",
            "brands",
            "talent managers",
            "influencer agencies",
        ],
        sentences: &[
            "Brand deals are moving from one-off posts to longer partnerships.",
            "Creators are building their own storefronts and newsletters.",
            "Usage rights have become a sticking point in contract negotiations.",
            "Smaller creators often deliver stronger engagement than celebrity accounts.",
            "Talent managers say rates have stabilized after a volatile year.",
            "Several platforms have changed how they share revenue with creators.",
        ],
    },
    Beat {
        category: "Analytics",
        about: "marketing analytics and measurement",
        topics: &[3, 7, 6, 9],
        audiences: &["analytics teams", "growth teams", "CMOs", "data teams"],
        sentences: &[
            "Marketing mix modeling is back in favor at larger advertisers.",
            "Data teams are consolidating dashboards into a single source of truth.",
            "Incrementality testing remains expensive but persuasive.",
            "Many teams still reconcile numbers from three different tools every week.",
            "Holdout groups are becoming a routine part of campaign planning.",
            "Forecasting models struggle when channel mix changes quickly.",
        ],
    },
    Beat {
        category: "Customer Experience",
        about: "customer experience",
        topics: &[10, 19, 1, 12],
        audiences: &[
            "customer experience leaders",
            "support teams",
            "service brands",
            "retailers",
        ],
        sentences: &[
            "Support transcripts are becoming a source of marketing insight.",
            "Customers expect the same answer on chat, phone, and email.",
            "Net promoter scores are being supplemented with behavioral measures.",
            "Self-service portals reduce costs but can frustrate long-time customers.",
            "Onboarding calls remain one of the strongest predictors of renewal.",
            "Wait times spiked during the busiest weeks of the quarter.",
        ],
    },
    Beat {
        category: "Content",
        about: "content marketing",
        topics: &[4, 8, 21, 15],
        audiences: &["content marketers", "editorial teams", "brands", "agencies"],
        sentences: &[
            "Editorial teams are publishing fewer, deeper pieces than a year ago.",
            "Refreshing old articles often beats publishing new ones.",
            "Subject-matter experts are being pulled into content production.",
            "Distribution now gets as much planning time as creation.",
            "Original research remains the most cited format in the category.",
            "Video transcripts are being repurposed into articles and guides.",
        ],
    },
    Beat {
        category: "Brand",
        about: "brand strategy",
        topics: &[21, 2, 9, 13],
        audiences: &["CMOs", "brand managers", "consumer brands", "agencies"],
        sentences: &[
            "Brand and performance teams increasingly share a single budget.",
            "Distinctive assets such as colors and sounds are getting renewed attention.",
            "Purpose-driven messaging is being tested more cautiously than before.",
            "Long-term brand tracking has returned to many quarterly reviews.",
            "Rebrands are being rolled out in stages rather than all at once.",
            "Sponsorships of live sports continue to command premium prices.",
        ],
    },
];

/// The 32 feeds: label and beat. Feed 03 carries the "appeared first" footer.
const FEEDS: &[(&str, usize)] = &[
    ("Search Signals", SEO),
    ("Social Pulse", SOCIAL),
    ("Inbox Weekly", EMAIL),
    ("Retail Rundown", RETAIL),
    ("Privacy Ledger", PRIVACY),
    ("Pipeline Daily", B2B),
    ("Programmatic Post", ADTECH),
    ("Creator Economics", CREATOR),
    ("Dashboard Notes", ANALYTICS),
    ("Customer Moments", CX),
    ("Content Craft", CONTENT),
    ("Brand Builders", BRAND),
    ("SERP Watch", SEO),
    ("The Scroll Report", SOCIAL),
    ("Open Rate", EMAIL),
    ("Checkout Chronicle", RETAIL),
    ("Consent Matters", PRIVACY),
    ("Demand Gen Digest", B2B),
    ("Ad Ops Insider", ADTECH),
    ("Creator Desk", CREATOR),
    ("Attribution Lab", ANALYTICS),
    ("Loyalty Loop", CX),
    ("Editorial Engine", CONTENT),
    ("Brand Voice", BRAND),
    ("Storefront Daily", RETAIL),
    ("Crawl Budget", SEO),
    ("Engagement Weekly", SOCIAL),
    ("Martech Matters", ANALYTICS),
    ("Media Buyer Brief", ADTECH),
    ("Lifecycle Letters", EMAIL),
    ("Influence Index", CREATOR),
    ("Service Signals", CX),
];

const COMPANIES: &[&str] = &[
    "Northwind Outfitters",
    "Bluefin Analytics",
    "Cedar Lane Goods",
    "Lumen Retail",
    "Brightpath Software",
    "Copperleaf Foods",
    "Orbit Mobile",
    "Juniper Home",
    "Vantage Apparel",
    "Meridian Bank",
    "Kestrel Travel",
    "Pinecrest Beauty",
    "Atlas Fitness",
    "Tidewater Coffee",
    "Sparrow Labs",
    "Granite Insurance",
    "Foxglove Pets",
    "Harborview Hotels",
    "Quill Media",
    "Redwood Outdoor",
];

const FIRST_NAMES: &[&str] = &[
    "Maya", "Daniel", "Priya", "Marcus", "Elena", "Tom", "Aisha", "Jonas", "Sofia", "Kevin",
    "Hannah", "Luis", "Grace", "Omar", "Nina", "Ben",
];

const LAST_NAMES: &[&str] = &[
    "Chen",
    "Okafor",
    "Patel",
    "Lindqvist",
    "Romero",
    "Brooks",
    "Nakamura",
    "Fischer",
    "Haddad",
    "Walsh",
    "Moreau",
    "Kim",
    "Adeyemi",
    "Novak",
    "Garcia",
    "Hughes",
];

const ROLES: &[&str] = &[
    "head of growth",
    "vice president of marketing",
    "chief marketing officer",
    "director of ecommerce",
    "senior analyst",
    "lifecycle marketing lead",
    "head of brand",
    "SEO lead",
    "director of media",
    "head of partnerships",
];

const SURVEY_SIZES: &[&str] = &[
    "250", "400", "500", "600", "750", "800", "1,000", "1,200", "1,500", "2,000",
];
const SMALL_NUMBERS: &[&str] = &["three", "four", "five", "six", "seven"];
const PERIODS: &[&str] = &[
    "2027",
    "the next quarter",
    "the coming year",
    "the first half of 2027",
    "the next six months",
];
const MONTHS: &[&str] = &["December", "January", "February", "March"];
const CADENCES: &[&str] = &["week", "two weeks", "month", "quarter"];

const BG_TITLES: &[&str] = &[
    "Why {T} is back on the agenda for {aud}",
    "{num} ways {aud} are rethinking {T}",
    "What the latest benchmarks say about {T}",
    "Inside the new approach to {T} at {co}",
    "{T}: what {aud} should watch in {period}",
    "The quiet comeback of {T} in planning meetings",
    "Survey finds {pct}% of {aud} will spend more on {T}",
    "How {co} rebuilt its {T} playbook in {num} months",
    "{num} lessons on {T} from {co}",
    "Is your {T} strategy ready for {period}?",
    "{co} shares early results from its {T} overhaul",
    "Practical steps to improve {T} without a bigger team",
    "Why {aud} are measuring {T} differently this year",
    "A closer look at {T} after a busy quarter",
    "{T} and {T2}: where the money is going next",
    "Can better {T} fix {T2}? Marketers weigh in",
];

const LEADS: &[&str] = &[
    "{co} says {T} has moved to the top of its planning list as {aud} look for steadier returns.",
    "More {aud} are revisiting {T} this quarter, according to several agency leaders we spoke with.",
    "The conversation around {T} has shifted from experimentation to execution for many {aud}.",
    "{T} remains one of the most debated line items in planning meetings, and {co} is no exception.",
    "When {co} reviewed its third-quarter results, {T} stood out as the area with the most room to improve.",
    "A new report from {co2} puts {T} at the center of how {aud} plan for {period}.",
    "For {aud}, {T} is no longer a nice-to-have but a core part of the operating plan.",
    "{co} has spent the past year rebuilding its approach to {T}, and the early numbers are encouraging.",
];

const TOPIC_SENTS: &[&str] = &[
    "A survey of {n} {aud} found that {pct}% plan to spend more on {T} in {period}.",
    "Teams that treat {T} as an ongoing discipline rather than a one-off project tend to report better results.",
    "{person}, {role} at {co}, said the team now reviews {T} every {cadence}.",
    "\"We stopped treating {T} as a side project,\" said {person}, {role} at {co}.",
    "Analysts expect {T} to stay on the agenda as budgets tighten heading into {period}.",
    "Several {aud} told us that {T} is where they see the clearest link to revenue.",
    "{co2} reported that improvements in {T} showed up in its numbers within a single quarter.",
    "Getting {T} right usually depends on close cooperation between marketing, sales, and finance.",
    "Benchmarks for {T} vary widely by category, which makes comparisons tricky.",
];

const GENERIC: &[&str] = &[
    "The shift is gradual, but the direction is clear.",
    "Smaller teams are borrowing playbooks that used to belong only to enterprise brands.",
    "Agencies say clients want fewer dashboards and clearer recommendations.",
    "Budget owners are asking for proof before they approve new tools.",
    "Testing cadence matters more than any single tactic, the authors argue.",
    "Several practitioners cautioned against chasing benchmarks that do not fit their category.",
    "The findings echo what many in-house teams have been reporting since the spring.",
    "Procurement cycles remain long, which slows the adoption of new platforms.",
    "Creative quality still explains a large share of the difference in performance.",
    "Measurement remains the sticking point for most of the teams we spoke with.",
    "{co} plans to share more results at an industry event in {month}.",
    "Peers such as {co2} have run similar pilots with mixed results.",
    "Headcount is flat at most companies, so teams are prioritizing ruthlessly.",
    "The report is based on interviews with marketers in North America and Europe.",
    "Finance teams want forecasts they can hold marketing accountable for.",
    "Not every experiment paid off, and the team was candid about what failed.",
    "Vendors are consolidating, and buyers are renegotiating contracts as a result.",
    "Leadership support made the difference, according to people involved in the project.",
];

const BG_QUESTIONS: &[&str] = &[
    "How should teams measure {T} when budgets are flat?",
    "Is {T} worth the investment for smaller brands?",
    "Who should own {T} inside the marketing organization?",
    "What happens to {T} if signal loss keeps getting worse?",
    "How much of the improvement in {T} is real, and how much is seasonality?",
];

const BOILERPLATE: &[&str] = &[
    "Want to learn more? Download the full report on our website.",
    "Want to learn more? Register for our upcoming webinar.",
    "Want to learn more? Read our earlier coverage in the archive.",
];

/// Decoy: each contains "social media" once.
const SOCIAL_SENTS: &[&str] = &[
    "The brand also leaned on social media to test early messaging before the wider rollout.",
    "Some teams are shifting part of their social media spend toward search and email.",
    "{co} says its social media channels now drive a larger share of first visits.",
    "Customer questions increasingly arrive through social media before they reach support.",
    "Social media remains the first place many shoppers encounter a new brand.",
    "The team reviews social media comments every week to spot recurring complaints.",
    "Paid social media placements were the most expensive line in the plan.",
];

/// Decoy: each contains "artificial intelligence" once.
const AI_SENTS: &[&str] = &[
    "Like many peers, {co} is testing artificial intelligence tools for drafting copy and analyzing results.",
    "Vendors continue to add artificial intelligence features to existing products.",
    "Executives remain cautious about how far artificial intelligence can be trusted with customer data.",
    "The team uses artificial intelligence to summarize research, but people still make the final call.",
    "Artificial intelligence came up in nearly every interview, usually as a productivity aid.",
];

/// A topic that surges in the recent window.
struct Surge {
    phrase: &'static str,
    related: &'static [&'static str],
    /// Preferred beats for the surge feeds.
    beats: &'static [usize],
    /// Number of feeds carrying the surge.
    feeds: usize,
    /// Items per surge feed, inclusive range.
    per_feed: (u32, u32),
    /// The surge covers the last `window_days` days.
    window_days: u32,
    /// Passing mentions before the baseline window and inside it.
    asides_before: usize,
    asides_baseline: usize,
    /// Every title contains the phrase.
    titles: &'static [&'static str],
    /// Every sentence contains the phrase at least once.
    sentences: &'static [&'static str],
    related_sentences: &'static [&'static str],
    questions: &'static [&'static str],
    /// Single-mention sentences for the low baseline.
    asides: &'static [&'static str],
}

const PODCAST: usize = 4;

const SURGES: &[Surge] = &[
    Surge {
        phrase: "agentic commerce",
        related: &["shopping agents", "agent checkout"],
        beats: &[RETAIL, ADTECH, B2B, ANALYTICS, CX],
        feeds: 7,
        per_feed: (4, 8),
        window_days: 7,
        asides_before: 1,
        asides_baseline: 2,
        titles: &[
            "Retailers brace for agentic commerce as shopping agents start to buy",
            "What agentic commerce means for product feeds and pricing",
            "Agentic commerce pilots move from demos to real orders",
            "{co} tests agentic commerce with a new agent checkout flow",
            "Are {aud} ready for agentic commerce this holiday season?",
            "Payment networks race to build rails for agentic commerce",
            "Agentic commerce could rewrite the rules of brand loyalty",
            "{num} questions marketers should ask about agentic commerce",
            "Agentic commerce arrives faster than most {aud} expected",
        ],
        sentences: &[
            "Agentic commerce, in which AI shopping agents research and complete purchases for a customer, moved closer to the mainstream this week.",
            "{co} said it is piloting agentic commerce with a small group of repeat customers.",
            "Early agentic commerce tests suggest that clean product data matters more than ad creative.",
            "For {aud}, agentic commerce raises a basic question about who the customer actually is.",
            "Payment providers announced new tokens that let software pay securely, a key building block for agentic commerce.",
            "{person}, {role} at {co}, said agentic commerce could change how brands earn repeat purchases.",
            "Several large marketplaces opened their catalogs to agentic commerce tools this month.",
            "Analysts say agentic commerce will reward retailers with accurate inventory and fast delivery promises.",
        ],
        related_sentences: &[
            "Shopping agents compare specifications, reviews, and prices far faster than a human shopper.",
            "With agent checkout, software can complete an order without the customer ever visiting the site.",
            "Retailers are debating whether to block shopping agents or court them with better data.",
        ],
        questions: &[
            "How will retailers measure conversions when an agent does the buying?",
            "Who is responsible when a shopping agent buys the wrong product?",
            "Will brands still be able to build loyalty if agents make the final choice?",
        ],
        asides: &[
            "One panelist briefly floated agentic commerce as a longer-term idea worth watching.",
            "A few vendors mentioned agentic commerce in passing, though none had a product to show.",
        ],
    },
    Surge {
        phrase: "AI Mode",
        related: &["zero-click search", "AI Overviews"],
        beats: &[SEO, CONTENT, ADTECH, ANALYTICS],
        feeds: 6,
        per_feed: (4, 8),
        window_days: 7,
        asides_before: 0,
        asides_baseline: 2,
        titles: &[
            "Google AI Mode is changing how shoppers search for products",
            "Publishers report traffic dips as AI Mode rolls out wider",
            "How to track brand visibility inside Google AI Mode",
            "Ads in AI Mode arrive, and search marketers have questions",
            "Zero-click search grows as Google expands AI Mode",
            "What AI Mode means for your paid search budget",
            "{co} shares early data on referrals from Google AI Mode",
            "SEO teams scramble to understand AI Mode citations",
        ],
        sentences: &[
            "Google AI Mode, the conversational search experience, expanded to more users and markets this week.",
            "Early data shared by {co} suggests that AI Mode answers reduce clicks to product pages.",
            "SEO teams are trying to work out which sources AI Mode cites and why.",
            "{person}, {role} at {co}, said AI Mode changes how the team thinks about rankings.",
            "Advertisers can now test placements inside Google AI Mode responses in several markets.",
            "Because AI Mode handles follow-up questions in one session, fewer searches end on a results page.",
            "Agencies are building reports that show how often a brand appears in Google AI Mode.",
        ],
        related_sentences: &[
            "The rise of zero-click search means fewer visits even when a brand is named in the answer.",
            "AI Overviews had already reduced click-through rates on many informational queries.",
            "Publishers say zero-click search is forcing them to rethink how they measure reach.",
        ],
        questions: &[
            "Will publishers still get traffic if AI Mode answers the question directly?",
            "How should SEO teams report on visibility inside AI Mode?",
        ],
        asides: &[
            "Google also mentioned AI Mode, an experimental search feature, in a short product update.",
            "One speaker noted that AI Mode is still an experiment for most users.",
        ],
    },
    Surge {
        phrase: "TikTok Shop",
        related: &["live shopping", "shoppable video"],
        beats: &[SOCIAL, CREATOR, RETAIL, BRAND],
        feeds: 6,
        per_feed: (4, 8),
        window_days: 7,
        asides_before: 1,
        asides_baseline: 1,
        titles: &[
            "TikTok Shop sales surge as brands double down on live shopping",
            "Why beauty brands are moving budget into TikTok Shop",
            "TikTok Shop affiliate creators drive record early holiday orders",
            "How {co} built a fast-growing channel on TikTok Shop",
            "TikTok Shop changes seller fees ahead of the holidays",
            "Is TikTok Shop becoming the new front page of ecommerce?",
            "{aud} weigh the costs and rewards of TikTok Shop",
        ],
        sentences: &[
            "TikTok Shop reported a sharp rise in seller sign-ups this month.",
            "{co} said TikTok Shop now accounts for a meaningful share of its online orders.",
            "Affiliate creators on TikTok Shop earn a commission on every sale they drive.",
            "Sellers on TikTok Shop say fulfillment speed is now their biggest operational challenge.",
            "{person}, {role} at {co}, said TikTok Shop rewards brands that post every single day.",
            "Category managers say TikTok Shop discounts are training shoppers to wait for promotions.",
            "Several agencies have set up dedicated TikTok Shop teams to handle listings and creator outreach.",
        ],
        related_sentences: &[
            "Live shopping streams now regularly run for several hours during peak weeks.",
            "Shoppable video lets viewers buy a product without leaving the app.",
            "Brands say live shopping works best when a familiar host demonstrates the product.",
        ],
        questions: &[
            "Can TikTok Shop sellers keep margins healthy once promotional subsidies end?",
            "Should brands treat TikTok Shop as a sales channel or a marketing channel?",
        ],
        asides: &[
            "A handful of sellers said they had experimented with TikTok Shop, with mixed results.",
            "The report mentions TikTok Shop only briefly, as one of several emerging channels.",
        ],
    },
    Surge {
        phrase: "server-side tagging",
        related: &["conversions API", "tag manager"],
        beats: &[ANALYTICS, PRIVACY, ADTECH],
        feeds: 5,
        per_feed: (3, 5),
        window_days: 5,
        asides_before: 0,
        asides_baseline: 0,
        titles: &[
            "Why server-side tagging is suddenly on every analytics roadmap",
            "Server-side tagging helps {co} recover lost conversion data",
            "A practical guide to server-side tagging for marketers",
            "Server-side tagging moves from engineering project to marketing priority",
            "What {aud} should know before switching to server-side tagging",
        ],
        sentences: &[
            "Server-side tagging moves data collection from the browser to a server that the brand controls.",
            "{co} said server-side tagging restored signals that browser restrictions had been blocking.",
            "Privacy teams like server-side tagging because it gives them more control over what is shared.",
            "Setting up server-side tagging requires a cloud container, careful testing, and a clear data map.",
            "{person}, {role} at {co}, said server-side tagging noticeably cut page load times.",
            "Consultants report a wave of requests for server-side tagging audits since the start of the month.",
        ],
        related_sentences: &[
            "Many teams pair the new setup with a conversions API that sends events directly to ad platforms.",
            "The tag manager becomes a routing layer rather than a pile of third-party scripts.",
        ],
        questions: &[
            "Is server-side tagging worth the engineering effort for a mid-size retailer?",
            "Who should own server-side tagging, marketing or engineering?",
        ],
        asides: &[],
    },
    // Decoy: a strong surge, but in one feed only.
    Surge {
        phrase: "podcast sponsorships",
        related: &["host-read ads"],
        beats: &[CREATOR],
        feeds: 1,
        per_feed: (12, 12),
        window_days: 7,
        asides_before: 0,
        asides_baseline: 1,
        titles: &[
            "Podcast sponsorships hit a new high as advertisers chase attention",
            "How {co} prices podcast sponsorships for niche shows",
            "Podcast sponsorships are the creator deal of the season",
            "Brands pour holiday budgets into podcast sponsorships",
            "What advertisers get wrong about podcast sponsorships",
            "The surprising economics of podcast sponsorships this fall",
            "{co} doubles its spending on podcast sponsorships",
            "Why mid-size shows are winning podcast sponsorships",
            "Podcast sponsorships and the return of the loyal listener",
        ],
        sentences: &[
            "Podcast sponsorships booked for the holiday quarter are running well ahead of last year.",
            "{co} said podcast sponsorships delivered more new customers per dollar than any other channel.",
            "Independent hosts report that podcast sponsorships now sell out weeks in advance.",
            "{person}, {role} at {co}, said podcast sponsorships work best when the host actually uses the product.",
            "Networks are packaging podcast sponsorships with video clips for short-form platforms.",
            "Rates for podcast sponsorships on niche business shows have climbed sharply this fall.",
        ],
        related_sentences: &[
            "Host-read ads consistently outperform produced spots in listener recall studies.",
            "Advertisers are asking for host-read ads to be recorded fresh for each episode.",
        ],
        questions: &["How should advertisers measure the impact of a podcast sponsorship?"],
        asides: &[
            "One creator mentioned podcast sponsorships as a small but steady source of income.",
        ],
    },
];
