//! What the 1,000,000-item benchmarks (`index` and `analyse`) share: the
//! synthetic vocabulary and its generator, and running the binary as a
//! measured child. Included with `#[path = "support/bulk.rs"] mod bulk;`.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::path::Path;

pub const DEFAULT_ITEMS: usize = 1_000_000;

/// Vocabulary size (real words first, then pseudo-words).
pub const VOCAB_SIZE: usize = 5000;

/// Zipf–Mandelbrot parameters: weight of rank r (0-based) is 1 / (r + Q)^S.
pub const ZIPF_S: f64 = 1.07;

pub const ZIPF_Q: f64 = 2.7;

pub const DAY: i64 = 86_400;

pub const SPAN_DAYS: i64 = 35;

#[path = "rng.rs"]
mod rng;
pub use rng::Rng;

/// The most frequent words, in rank order.
pub const FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "for", "is", "on", "that", "with", "as", "are", "it",
    "by", "this", "be", "at", "from", "or", "an", "have", "was", "will", "more", "their", "its",
    "has", "not", "but", "can", "they", "we", "our", "you", "your", "which", "about", "new", "how",
    "what", "all", "than", "also", "into", "one", "been", "who", "were", "up", "out", "when", "if",
    "so", "there", "most", "other", "just", "these", "over", "some", "now", "like", "them", "year",
    "time", "only", "may", "make", "after", "many", "first", "would", "while", "because",
    "through", "could", "even", "those", "each", "where", "much", "still", "between", "both",
    "any", "such", "then", "well", "very", "across", "before", "without", "two", "three", "should",
    "does", "do", "being", "every", "per", "within", "under", "around", "during", "against",
    "among", "less", "already", "next", "last", "own", "same", "another",
];

/// Marketing, media and business words, spread over the middle ranks.
pub const CONTENT_WORDS: &str = "\
    brand brands marketing marketers campaign campaigns audience audiences advertising \
    advertisers ads agency agencies budget budgets spend media retail search email content \
    social creator creators video platform platforms data privacy cookies measurement \
    attribution commerce shoppers customers customer conversion revenue growth strategy google \
    meta amazon tiktok youtube linkedin pinterest reddit netflix walmart shopify salesforce \
    adobe hubspot openai ai agents generative seo programmatic streaming ctv influencer \
    influencers loyalty personalization engagement reach frequency impressions clicks traffic \
    organic paid performance funnel awareness consideration checkout cart subscription \
    subscribers newsletter inbox open rates rate cost costs pricing price prices margin margins \
    quarter quarterly earnings forecast report survey study research analysis insights trends \
    trend consumers consumer holiday season black friday cyber monday q4 launch launches \
    launched announced announces partnership partners acquisition acquires deal startup funding \
    round investors valuation ceo cmo executives leaders team teams hiring layoffs jobs skills \
    tools tool software saas automation workflow workflows dashboard analytics metrics kpis roi \
    roas cpm cpc ctr ltv cac churn retention acquisition lifecycle journey experience \
    touchpoints omnichannel channel channels mobile app apps web website landing page pages \
    store stores ecommerce marketplace marketplaces sellers merchants product products listing \
    listings reviews ratings visibility ranking rankings algorithm update updates core overviews \
    answers results queries keywords backlinks publishers publisher news newsroom journalism \
    paywall sponsorship sponsored native display banner creative creatives copy headline \
    headlines storytelling narrative positioning messaging segment segments targeting identity \
    signals consent regulation regulators ftc gdpr lawsuit antitrust court ruling policy \
    policies compliance trust safety fraud bots viewability supply demand inventory auction \
    bidding bids exchange network networks clean rooms partnerships first party third zero \
    signal model models llm chatbot assistant assistants answer engine engines shopping buyers \
    buying purchase purchases orders delivery fulfillment returns discounts promotions coupons \
    offers sales pipeline leads demo webinar event events conference keynote community \
    communities fans followers posts post feed feeds stories reels shorts podcast podcasts audio \
    screen screens tv linear upfronts sports live gaming esports europe asia uk india china \
    global local regional small business businesses enterprise b2b b2c dtc luxury beauty fashion \
    grocery travel finance fintech health automotive telecom week weeks month months today \
    yesterday percent million billion share market markets industry sector competition \
    competitors rival rivals leader growth decline drop surge rise falls shift shifts change \
    changes future plans plan test tests testing pilot rollout feature features beta version \
    integration api sdk";

/// Small words that may sit between content words in a title.
pub const TITLE_GLUE: &[&str] = &[
    "for", "in", "with", "and", "of", "the", "to", "on", "as", "at", "vs",
];

pub const AUTHORS: &[&str] = &[
    "Dana Whitfield",
    "Marco Ruiz",
    "Priya Raman",
    "Jonas Berg",
    "Aiko Tanaka",
    "Sam O'Neill",
    "Lena Fischer",
    "Chris Okafor",
];

pub const CATEGORIES: &[&str] = &[
    "Advertising",
    "SEO",
    "Email",
    "Commerce",
    "Social",
    "Analytics",
    "AI",
    "Media",
];

pub const FEED_TAGS: &[&str] = &["news", "adtech", "search", "commerce", "email"];

pub fn push_capitalized(out: &mut String, w: &str) {
    let mut chars = w.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
}

/// A TOML basic string.
pub fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn dir_size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_size(&e.path()),
            _ => e.metadata().map(|m| m.len()).unwrap_or(0),
        })
        .sum()
}

pub const MB: f64 = 1_000_000.0;

pub fn mb(bytes: u64) -> f64 {
    bytes as f64 / MB
}

pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn yes(ok: bool) -> &'static str {
    if ok { "yes" } else { "NO" }
}

/// The synthetic vocabulary in rank order, with its Zipf distribution.
pub struct Vocab {
    pub words: Vec<String>,
    /// Cumulative Zipf weights, normalised to end at 1.
    pub cdf: Vec<f64>,
}

impl Vocab {
    /// `cased`: words (space-separated) written with these capitals.
    pub fn new(cased: &str) -> Vocab {
        let cased: HashMap<String, &str> = cased
            .split_whitespace()
            .map(|c| (c.to_lowercase(), c))
            .collect();
        let mut seen: HashSet<String> = HashSet::new();
        let mut function = Vec::new();
        for w in FUNCTION_WORDS {
            if seen.insert((*w).to_owned()) {
                function.push((*w).to_owned());
            }
        }
        let mut content = Vec::new();
        for w in CONTENT_WORDS.split_whitespace() {
            if seen.insert(w.to_owned()) {
                content.push(cased.get(w).map_or(w, |c| *c).to_owned());
            }
        }
        // Pseudo-words fill the long tail.
        const ONSETS: &[&str] = &[
            "b", "br", "c", "cl", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "l", "m", "n",
            "p", "pl", "pr", "r", "s", "sh", "st", "t", "tr", "v", "w", "z",
        ];
        const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "ou"];
        const CODAS: &[&str] = &["", "", "", "n", "r", "l", "s", "x", "m", "nt", "st"];
        let pseudo_needed = VOCAB_SIZE.saturating_sub(function.len() + content.len());
        let mut pseudo = Vec::with_capacity(pseudo_needed);
        let mut rng = Rng::new(0x0005_EED5_u64);
        while pseudo.len() < pseudo_needed {
            let mut w = String::new();
            for _ in 0..rng.range(2, 3) {
                w.push_str(rng.pick(ONSETS));
                w.push_str(rng.pick(VOWELS));
                w.push_str(rng.pick(CODAS));
            }
            if w.len() >= 4 && seen.insert(w.clone()) {
                pseudo.push(w);
            }
        }
        // Rank order: function words, then content words interleaved with
        // pseudo-words (every third slot) so marketing words get mid ranks.
        let mut words = function;
        let mut content = content.into_iter();
        let mut pseudo = pseudo.into_iter();
        loop {
            let mut any = false;
            if let Some(c) = content.next() {
                words.push(c);
                any = true;
            }
            for _ in 0..2 {
                if let Some(p) = pseudo.next() {
                    words.push(p);
                    any = true;
                }
            }
            if !any {
                break;
            }
        }
        let mut cdf = Vec::with_capacity(words.len());
        let mut acc = 0.0;
        for r in 0..words.len() {
            acc += 1.0 / (r as f64 + ZIPF_Q).powf(ZIPF_S);
            cdf.push(acc);
        }
        for c in &mut cdf {
            *c /= acc;
        }
        Vocab { words, cdf }
    }

    pub fn rank_of_sample(&self, rng: &mut Rng) -> usize {
        let u = rng.unit();
        self.cdf
            .partition_point(|&c| c <= u)
            .min(self.words.len() - 1)
    }

    /// A word drawn with the Zipf distribution.
    pub fn sample(&self, rng: &mut Rng) -> &str {
        &self.words[self.rank_of_sample(rng)]
    }

    /// Like `sample`, but never a function word.
    pub fn sample_content(&self, rng: &mut Rng) -> &str {
        loop {
            let r = self.rank_of_sample(rng);
            if r >= FUNCTION_WORDS.len() {
                return &self.words[r];
            }
        }
    }
}
