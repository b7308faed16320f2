//! Key phrases of one item: the candidates a trend can be made of.
//!
//! Candidates are n-grams of one to four words that stay inside a clause
//! (never across punctuation or a sentence end) and neither start nor end
//! with a stop word. Each is normalised to a key (lower case, plural and
//! singular merged, hyphen and space merged, possessives dropped) so that
//! "TikTok Shop's", "TikTok shops" and "tiktok-shop" count as one phrase,
//! while a display form keeps the capitalisation people actually write.
//! Words in the title weigh more than words in the body; an item keeps its
//! best [`MAX_PHRASES`] phrases.
//!
//! A hand-written extractor rather than a crate: the keyphrase crates on
//! crates.io (yake-rust, rake, keyword_extraction) are unmaintained, their
//! output needed the same filtering anyway (phrases across sentence breaks,
//! mangled numbers), and this one is deterministic and fast (see
//! `benches/analyse.rs`).

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

/// Body text read for phrases (whole paragraphs, up to about this much).
pub const BODY_CHARS: usize = 1500;
/// Phrases kept per item.
pub const MAX_PHRASES: usize = 32;

/// A key phrase of an item.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    /// Normalised form, the unit of counting: "tiktok shop".
    pub key: String,
    /// As written, preferring an occurrence that is not capitalised only
    /// because it starts a sentence: "TikTok Shop".
    pub display: String,
    pub weight: f32,
    pub words: usize,
}

/// NLTK's English stop words alone: the words no phrase holds anywhere.
static FUNCTION: LazyLock<rustc_hash::FxHashSet<&'static str>> =
    LazyLock::new(|| stop_words::get("en").iter().copied().collect());

/// Words that cannot start or end a phrase: NLTK's English stop words plus
/// words that are frequent in trade press but never a topic on their own.
static STOP: LazyLock<rustc_hash::FxHashSet<&'static str>> = LazyLock::new(|| {
    let mut s: rustc_hash::FxHashSet<&'static str> =
        stop_words::get("en").iter().copied().collect();
    s.extend([
        "also",
        "according",
        "across",
        "actually",
        "add",
        "added",
        "adds",
        "ago",
        "already",
        "although",
        "always",
        "among",
        "another",
        "anyone",
        "anything",
        "around",
        "ask",
        "asked",
        "asks",
        "away",
        "back",
        "based",
        "became",
        "become",
        "becomes",
        "begin",
        "best",
        "better",
        "big",
        "bigger",
        "biggest",
        "bottom",
        "bring",
        "brings",
        "build",
        "building",
        "call",
        "called",
        "came",
        "can't",
        "case",
        "cases",
        "certain",
        "change",
        "changes",
        "clear",
        "come",
        "comes",
        "coming",
        "could",
        "couldn't",
        "current",
        "currently",
        "day",
        "days",
        "deal",
        "despite",
        "different",
        "done",
        "double",
        "early",
        "easy",
        "either",
        "else",
        "end",
        "enough",
        "especially",
        "etc",
        "even",
        "ever",
        "every",
        "everyone",
        "everything",
        "example",
        "expect",
        "expected",
        "fact",
        "far",
        "feel",
        "few",
        "find",
        "finds",
        "first",
        "focus",
        "follow",
        "found",
        "full",
        "get",
        "gets",
        "getting",
        "give",
        "given",
        "gives",
        "go",
        "goes",
        "going",
        "gone",
        "good",
        "got",
        "great",
        "half",
        "hard",
        "help",
        "helps",
        "here's",
        "high",
        "higher",
        "however",
        "i'm",
        "idea",
        "important",
        "including",
        "instead",
        "it's",
        "keep",
        "keeps",
        "key",
        "kind",
        "know",
        "known",
        "large",
        "larger",
        "last",
        "late",
        "later",
        "latest",
        "least",
        "less",
        "let",
        "let's",
        "like",
        "likely",
        "line",
        "little",
        "long",
        "look",
        "looking",
        "looks",
        "lot",
        "lots",
        "low",
        "lower",
        "made",
        "main",
        "major",
        "make",
        "makes",
        "making",
        "many",
        "may",
        "maybe",
        "mean",
        "means",
        "meanwhile",
        "might",
        "month",
        "months",
        "moment",
        "move",
        "moves",
        "much",
        "must",
        "near",
        "nearly",
        "need",
        "needs",
        "never",
        "new",
        "newer",
        "next",
        "nobody",
        "none",
        "note",
        "nothing",
        "now",
        "number",
        "often",
        "old",
        "one",
        "ones",
        "open",
        "others",
        "otherwise",
        "part",
        "past",
        "per",
        "perhaps",
        "place",
        "plan",
        "plans",
        "point",
        "points",
        "possible",
        "pretty",
        "probably",
        "put",
        "puts",
        "quarter",
        "quickly",
        "quite",
        "rather",
        "read",
        "real",
        "really",
        "recent",
        "recently",
        "right",
        "rise",
        "run",
        "runs",
        "said",
        "same",
        "saw",
        "say",
        "saying",
        "says",
        "second",
        "see",
        "seeing",
        "seem",
        "seems",
        "seen",
        "set",
        "several",
        "shall",
        "short",
        "show",
        "shows",
        "side",
        "since",
        "small",
        "smaller",
        "something",
        "sometimes",
        "soon",
        "start",
        "started",
        "starts",
        "still",
        "stop",
        "story",
        "sure",
        "take",
        "takes",
        "taking",
        "tell",
        "tells",
        "thing",
        "things",
        "think",
        "third",
        "though",
        "three",
        "thus",
        "time",
        "times",
        "today",
        "together",
        "told",
        "tomorrow",
        "top",
        "toward",
        "towards",
        "try",
        "trying",
        "turn",
        "turns",
        "two",
        "uses",
        "used",
        "using",
        "usually",
        "want",
        "wants",
        "way",
        "ways",
        "week",
        "weeks",
        "well",
        "went",
        "what's",
        "whether",
        "whole",
        "wide",
        "within",
        "without",
        "work",
        "works",
        "would",
        "wouldn't",
        "year",
        "years",
        "yes",
        "yet",
        "yesterday",
        "you're",
        "we're",
        "they're",
        "that's",
        "there's",
        "isn't",
        "aren't",
        "don't",
        "doesn't",
        "didn't",
        "won't",
        "via",
        "vs",
        "amid",
        "upon",
        "onto",
        "unless",
        "until",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mr",
        "ahead",
        "behind",
        "mrs",
        "ms",
        "dr",
        "inc",
        "ltd",
        "llc",
        "co",
        "percent",
        "million",
        "billion",
        "thousand",
        "hundred",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "dozen",
        "via",
        "people",
        "team",
        "teams",
        "company",
        "companies",
        "brands",
        "marketers",
        "someone",
        "today's",
        "year's",
        "week's",
        "bottom",
    ]);
    s
});

/// Words allowed inside (never at the edge of) a phrase: "return on ad spend".
const INNER: &[&str] = &["of", "on", "for", "and", "&", "to", "in"];

/// Paragraphs that are never content: feed footers, calls to action, share bars.
const BOILERPLATE_MARKERS: &[&str] = &[
    "appeared first on",
    "the post ",
    "read more",
    "continue reading",
    "subscribe to",
    "sign up for",
    "click here",
    "follow us",
    "share this",
    "originally published",
    "this article was",
    "all rights reserved",
    "want to learn more",
    "ready to get started",
    "contact us",
    "related:",
];

/// Is this paragraph boilerplate by its wording alone?
pub fn is_boilerplate_paragraph(p: &str) -> bool {
    let p = p.trim();
    if p.is_empty() {
        return true;
    }
    // Only short paragraphs can be boilerplate: count words before paying
    // for a lower-case copy.
    if p.split_whitespace().nth(29).is_some() {
        return false;
    }
    let l = p.to_lowercase();
    BOILERPLATE_MARKERS
        .iter()
        .any(|m| l.starts_with(m) || (m.len() > 12 && l.contains(m)))
}

/// Paragraphs repeated in at least half the items of one feed document (a
/// footer, a byline block, a newsletter plug), with each item's own title
/// replaced so that "The post {title} appeared first on …" counts as one.
pub fn repeated_paragraphs<'a>(items: impl Iterator<Item = (&'a str, &'a str)>) -> HashSet<u64> {
    let keyed: Vec<_> = items.map(|(t, b)| keyed_paragraphs(t, b)).collect();
    repeated_among(keyed.iter().map(Vec::as_slice))
}

/// A body's paragraphs, each with its [`paragraph_key`]: computed once and
/// used both to find the repeated ones and to drop them.
pub fn keyed_paragraphs<'a>(title: &str, body: &'a str) -> Vec<(&'a str, Option<u64>)> {
    // The title is looked for in every paragraph: one searcher, built once.
    let title = memchr::memmem::Finder::new(title.as_bytes());
    body.split("\n\n")
        .map(|p| (p, paragraph_key(p, &title)))
        .collect()
}

/// [`repeated_paragraphs`] from the items' [`keyed_paragraphs`].
pub fn repeated_among<'k, 'a: 'k>(
    items: impl Iterator<Item = &'k [(&'a str, Option<u64>)]>,
) -> HashSet<u64> {
    let mut counts: rustc_hash::FxHashMap<u64, usize> = rustc_hash::FxHashMap::default();
    let mut n = 0;
    let mut seen = rustc_hash::FxHashSet::default();
    for paragraphs in items {
        n += 1;
        seen.clear();
        for key in paragraphs.iter().filter_map(|(_, k)| *k) {
            if seen.insert(key) {
                *counts.entry(key).or_default() += 1;
            }
        }
    }
    if n < 4 {
        return HashSet::new();
    }
    counts
        .into_iter()
        .filter(|(_, c)| *c * 2 >= n)
        .map(|(k, _)| k)
        .collect()
}

/// A hash of the paragraph with its item's title replaced by a marker and
/// runs of white space collapsed; `None` for an empty paragraph. Hashed as
/// it is read, a word at a time: building the normalised text as a string,
/// for every paragraph of every item, cost more than the comparison it
/// serves, and so did hashing it a character at a time.
fn paragraph_key(p: &str, title: &memchr::memmem::Finder) -> Option<u64> {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    let (mut any, mut space) = (false, false);
    // Byte by byte: ASCII white space is tested directly and only other
    // characters are decoded (char-wise scanning was most of the cost).
    let feed = |h: &mut rustc_hash::FxHasher, any: &mut bool, space: &mut bool, s: &str| {
        let b = s.as_bytes();
        let (mut i, mut word) = (0, None);
        while i < b.len() {
            let (white, len) = if b[i] < 0x80 {
                (
                    matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c),
                    1,
                )
            } else {
                let c = s[i..].chars().next().expect("a char starts here");
                (c.is_whitespace(), c.len_utf8())
            };
            if white {
                if let Some(w) = word.take() {
                    h.write(&b[w..i]);
                }
                *space = *any;
            } else if word.is_none() {
                if *space {
                    h.write_u8(b' ');
                    *space = false;
                }
                word = Some(i);
                *any = true;
            }
            i += len;
        }
        if let Some(w) = word {
            h.write(&b[w..]);
        }
    };
    let p = p.trim();
    let title_len = title.needle().len();
    if title_len == 0 {
        feed(&mut h, &mut any, &mut space, p);
    } else {
        // The pieces between the title's occurrences (as `str::split`
        // would give them: left to right, not overlapping).
        let mut from = 0;
        for at in title.find_iter(p.as_bytes()) {
            feed(&mut h, &mut any, &mut space, &p[from..at]);
            // Not text: 0xFF never occurs in UTF-8.
            h.write_u8(0xFF);
            any = true;
            from = at + title_len;
        }
        feed(&mut h, &mut any, &mut space, &p[from..]);
    }
    any.then(|| h.finish())
}

/// The body without boilerplate paragraphs.
pub fn content_paragraphs<'a>(title: &str, body: &'a str, repeated: &HashSet<u64>) -> Vec<&'a str> {
    content_among(&keyed_paragraphs(title, body), repeated)
}

/// [`content_paragraphs`] from the item's [`keyed_paragraphs`].
pub fn content_among<'a>(
    paragraphs: &[(&'a str, Option<u64>)],
    repeated: &HashSet<u64>,
) -> Vec<&'a str> {
    paragraphs
        .iter()
        .filter(|(p, key)| {
            !is_boilerplate_paragraph(p) && !key.is_some_and(|k| repeated.contains(&k))
        })
        .map(|(p, _)| *p)
        .collect()
}

/// The normalised key of a phrase as written, or `None` if it has no
/// content word. `normalise("TikTok Shops")` is `"tiktok shop"`.
pub fn normalise(phrase: &str) -> Option<String> {
    let words: Vec<String> = split_words(phrase).map(|(w, _, _)| norm_word(w)).collect();
    let words: Vec<String> = words.into_iter().filter(|w| !w.is_empty()).collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The normalised content words of a text (no stop words, no URLs), each
/// once, in order: what a headline is made of when it is compared with
/// another outlet's headline for the same event.
pub fn content_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (w, _, url) in split_words(text) {
        if url || is_number(w) {
            continue;
        }
        let l = lower(w);
        if is_stop_lower(w, &l) {
            continue;
        }
        for part in norm_lower(&l).split(' ').filter(|p| p.len() > 1) {
            if !out.iter().any(|o| o == part) {
                out.push(part.to_owned());
            }
        }
    }
    out
}

/// Every phrase a headline holds, with the form it is written in: the
/// candidates for a story's label. (A headline's words count as title and
/// body here, so that single words are not dropped as passing mentions.)
pub fn title_phrases(title: &str) -> Vec<Phrase> {
    extract(title, &[title])
}

/// Extracts an item's key phrases, best first. `paragraphs` is the body,
/// already without boilerplate.
pub fn extract(title: &str, paragraphs: &[&str]) -> Vec<Phrase> {
    let take = || {
        SCRATCH
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    let mut scratch = take().pop().unwrap_or_default();
    let phrases = scratch.extract(title, paragraphs);
    take().push(scratch);
    phrases
}

/// Word parts a candidate key holds inline; longer keys (hyphenated words
/// in a four-word span) are rare and keyed by their text.
const KEY_PARTS: usize = 6;

/// A candidate's key as the ids of its word parts ("e-commerce" and
/// "e commerce" are both `[e, commerce]`), padded with `u32::MAX`: hashing
/// and comparing these was far cheaper than building a key string for each
/// of an item's thousand-odd spans.
type PartKey = [u32; KEY_PARTS];

struct Cand {
    title_hits: u32,
    body_hits: u32,
    early: bool,
    /// Where its display form is: source text, byte range.
    display: (u32, u32, u32),
    display_is_initial: bool,
    words: usize,
}

/// Scratch spaces not in use. A pool rather than one per thread: parsing
/// runs on tokio's blocking threads, which are many, while only a few
/// extract at once; per-thread tables cost more memory than they saved.
static SCRATCH: std::sync::Mutex<Vec<Scratch>> = std::sync::Mutex::new(Vec::new());

/// What `extract` reuses from item to item. Its tables were
/// allocated afresh per item before, and every word was lower-cased,
/// singularised and looked up in the stop list each time it occurred;
/// both showed up in ingest profiles.
#[derive(Default)]
struct Scratch {
    /// Word part → id, and id → word part. The ids only need to agree
    /// within one item; they are kept across items (a feed's words repeat).
    part_ids: rustc_hash::FxHashMap<Box<str>, u32>,
    parts: Vec<Box<str>>,
    /// Each part's first eight bytes as a number (see [`CandKey::cmp`]).
    prefixes: Vec<u64>,
    /// Each distinct word (as written) seen, with what the rules ask of it.
    words: rustc_hash::FxHashMap<Box<str>, WordInfo>,
    part_seq: Vec<u32>,
    cands: rustc_hash::FxHashMap<PartKey, Cand>,
    /// Candidates with more than [`KEY_PARTS`] word parts.
    long: rustc_hash::FxHashMap<String, Cand>,
}

/// Distinct words a scratch space remembers before it starts over (a few MB).
const WORD_MEMO: usize = 50_000;

impl Scratch {
    fn part_id(&mut self, part: &str) -> u32 {
        if let Some(&id) = self.part_ids.get(part) {
            return id;
        }
        let id = self.parts.len() as u32;
        self.part_ids.insert(part.into(), id);
        self.parts.push(part.into());
        let mut prefix = [0u8; 8];
        let n = part.len().min(8);
        prefix[..n].copy_from_slice(&part.as_bytes()[..n]);
        self.prefixes.push(u64::from_be_bytes(prefix));
        id
    }

    /// What the rules need to know about `text`, a word `split_words` found.
    fn word(&mut self, text: &str, url: bool) -> WordInfo {
        if let Some(&info) = self.words.get(text) {
            return info;
        }
        let l = lower(text);
        let from = self.part_seq.len() as u32;
        if !url {
            for part in norm_lower(&l).split(' ').filter(|p| !p.is_empty()) {
                let id = self.part_id(part);
                self.part_seq.push(id);
            }
        }
        let info = WordInfo {
            parts: (from, self.part_seq.len() as u32),
            stop: !url && is_stop_lower(text, &l),
            function: !url && FUNCTION.contains(l.strip_suffix("'s").unwrap_or(&l)),
            inner: INNER.contains(&&*l),
            number: is_number(text),
            acronym: is_acronym(text),
            capitalised: text.chars().next().is_some_and(char::is_uppercase),
            url,
            long: text.chars().count() >= 3,
        };
        self.words.insert(text.into(), info);
        info
    }

    fn extract(&mut self, title: &str, paragraphs: &[&str]) -> Vec<Phrase> {
        if self.words.len() > WORD_MEMO {
            self.words.clear();
            self.part_seq.clear();
            self.part_ids.clear();
            self.parts.clear();
            self.prefixes.clear();
        }
        self.cands.clear();
        self.long.clear();
        // What an item is about is in its title and its first paragraphs; the
        // rest of a long body adds cost, not topics.
        let mut budget = BODY_CHARS;
        let lead = paragraphs.iter().take_while(|p| {
            let keep = budget > 0;
            budget = budget.saturating_sub(p.len());
            keep
        });
        let sources: Vec<(Cow<'_, str>, bool)> = std::iter::once((without_urls(title), true))
            .chain(lead.map(|p| (without_urls(p), false)))
            .collect();
        let mut body_chars = 0usize;
        let mut toks = Vec::new();
        for (source, (text, in_title)) in sources.iter().enumerate() {
            let (text, in_title) = (&**text, *in_title);
            for clause in clauses(text) {
                let base = clause.text.as_ptr() as usize - text.as_ptr() as usize;
                toks.clear();
                for (word, start, url) in split_words(clause.text) {
                    let info = self.word(word, url);
                    toks.push(Tok {
                        start,
                        end: start + word.len(),
                        info,
                    });
                }
                for start in 0..toks.len() {
                    // What rules out every span from here (see `good_span`)
                    // is tested once, and a span's key grows a word at a
                    // time: most of an item's spans start at a stop word.
                    let first = &toks[start].info;
                    if first.stop || first.inner || first.number || !has_parts(first) {
                        continue;
                    }
                    let mut key = [u32::MAX; KEY_PARTS];
                    let mut n = 0;
                    for len in 1..=4.min(toks.len() - start) {
                        let last = &toks[start + len - 1].info;
                        // A URL has no parts; neither may a span.
                        if !has_parts(last) {
                            break;
                        }
                        let (a, b) = last.parts;
                        for &part in &self.part_seq[a as usize..b as usize] {
                            if n < KEY_PARTS {
                                key[n] = part;
                            }
                            n += 1;
                        }
                        let span = &toks[start..start + len];
                        // Inside a longer span this word would break it.
                        let ends_spans = len > 1 && (last.number || (last.function && !last.inner));
                        if !good_span(span) {
                            if ends_spans {
                                break;
                            }
                            continue;
                        }
                        let display = (
                            source as u32,
                            (base + span[0].start) as u32,
                            (base + span[len - 1].end) as u32,
                        );
                        let initial = clause.sentence_start && start == 0;
                        let fresh = || Cand {
                            title_hits: 0,
                            body_hits: 0,
                            early: false,
                            display,
                            display_is_initial: initial,
                            words: len,
                        };
                        let c = if n <= KEY_PARTS {
                            self.cands.entry(key).or_insert_with(fresh)
                        } else {
                            let mut text = String::new();
                            for t in span {
                                let (a, b) = t.info.parts;
                                for &part in &self.part_seq[a as usize..b as usize] {
                                    if !text.is_empty() {
                                        text.push(' ');
                                    }
                                    text.push_str(&self.parts[part as usize]);
                                }
                            }
                            self.long.entry(text).or_insert_with(fresh)
                        };
                        if in_title {
                            c.title_hits += 1;
                        } else {
                            c.body_hits += 1;
                            c.early |= body_chars < 300;
                        }
                        if c.display_is_initial && !initial {
                            c.display = display;
                            c.display_is_initial = false;
                        }
                        if ends_spans {
                            break;
                        }
                    }
                }
            }
            if !in_title {
                body_chars += text.len();
            }
        }

        // Most candidates are a single passing mention and are dropped: the
        // weight is decided first and a key string built only for those
        // kept (building one per candidate was a third of extraction).
        let weigh = |c: &Cand| -> Option<f32> {
            let (source, from, to) = c.display;
            let display = &sources[source as usize].0[from as usize..to as usize];
            let acronym = c.words == 1 && is_acronym(display);
            let length_factor = match c.words {
                1 if acronym => 1.2,
                1 => 0.6,
                2 => 1.2,
                3 => 1.1,
                _ => 0.8,
            };
            // A phrase in the title and the body is what the item is about;
            // a title-only n-gram is often just a slice of the headline.
            let title = match (c.title_hits > 0, c.body_hits > 0) {
                (true, true) => 3.0,
                (true, false) => 1.5,
                _ => 0.0,
            };
            let base = title + c.body_hits.min(5) as f32 + if c.early { 0.5 } else { 0.0 };
            let weight = base * length_factor;
            // A single word needs more than one passing mention to be "key".
            let enough = if c.words == 1 {
                weight >= 1.5
            } else {
                weight >= 1.0
            };
            enough.then_some(weight)
        };
        let phrase = |key: String, c: &Cand, weight: f32| {
            let (source, from, to) = c.display;
            let display = &sources[source as usize].0[from as usize..to as usize];
            Phrase {
                display: if c.display_is_initial {
                    decapitalise_initial(display)
                } else {
                    display.to_owned()
                },
                key,
                weight,
                words: c.words,
            }
        };
        // Hundreds of candidates pass; only the best MAX_PHRASES are kept.
        // They are chosen before any key or display string is built (building
        // them for every candidate was a fifth of extraction), ordered as the
        // strings would be: by weight, then by key text, compared a word part
        // at a time (the same order, as parts hold no space).
        let parts = Parts {
            text: &self.parts,
            prefixes: &self.prefixes,
        };
        let mut scored: Vec<(f32, CandKey, Cand)> = Vec::new();
        for (key, c) in self.cands.drain() {
            if let Some(weight) = weigh(&c) {
                scored.push((weight, CandKey::Parts(key), c));
            }
        }
        for (key, c) in self.long.drain() {
            if let Some(weight) = weigh(&c) {
                scored.push((weight, CandKey::Text(key), c));
            }
        }
        let best_first = |a: &(f32, CandKey, Cand), b: &(f32, CandKey, Cand)| {
            b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1, parts))
        };
        if scored.len() > MAX_PHRASES {
            scored.select_nth_unstable_by(MAX_PHRASES - 1, best_first);
            scored.truncate(MAX_PHRASES);
        }
        scored.sort_by(best_first);
        scored
            .into_iter()
            .map(|(weight, key, c)| {
                let text = match key {
                    CandKey::Text(text) => text,
                    CandKey::Parts(ids) => {
                        let mut text = String::with_capacity(32);
                        for (i, word) in part_words(&ids, parts.text).enumerate() {
                            if i > 0 {
                                text.push(' ');
                            }
                            text.push_str(word);
                        }
                        text
                    }
                };
                phrase(text, &c, weight)
            })
            .collect()
    }
}

/// A candidate's key: word part ids, or the text of a long one.
enum CandKey {
    Parts(PartKey),
    Text(String),
}

/// The word parts of a [`Scratch`], as the ids of keys name them.
#[derive(Clone, Copy)]
struct Parts<'a> {
    text: &'a [Box<str>],
    prefixes: &'a [u64],
}

impl CandKey {
    /// Orders two keys as their texts would order. Most comparisons are
    /// between two part keys and settled by the parts' first eight bytes,
    /// compared as numbers (zero-padded: parts hold no zero byte, so a
    /// shorter part sorts first, as in the text); the text is compared
    /// only past them. Comparing the texts was a tenth of extraction.
    fn cmp(&self, other: &CandKey, parts: Parts) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        match (self, other) {
            (CandKey::Parts(a), CandKey::Parts(b)) => {
                for (&x, &y) in a.iter().zip(b) {
                    if x == y {
                        if x == u32::MAX {
                            break;
                        }
                        continue;
                    }
                    // A key that ends first is a prefix of the other.
                    if x == u32::MAX {
                        return Ordering::Less;
                    }
                    if y == u32::MAX {
                        return Ordering::Greater;
                    }
                    let (x, y) = (x as usize, y as usize);
                    let o = parts.prefixes[x]
                        .cmp(&parts.prefixes[y])
                        .then_with(|| parts.text[x].cmp(&parts.text[y]));
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                Ordering::Equal
            }
            (CandKey::Parts(a), CandKey::Text(b)) => part_words(a, parts.text).cmp(b.split(' ')),
            (CandKey::Text(a), CandKey::Parts(b)) => a.split(' ').cmp(part_words(b, parts.text)),
            (CandKey::Text(a), CandKey::Text(b)) => a.cmp(b),
        }
    }
}

/// The word parts a part key names, in order.
fn part_words<'a>(key: &'a PartKey, parts: &'a [Box<str>]) -> impl Iterator<Item = &'a str> + 'a {
    key.iter()
        .take_while(|&&id| id != u32::MAX)
        .map(|&id| &*parts[id as usize])
}

/// "Agentic commerce" at the start of a sentence is "agentic commerce"
/// elsewhere; "TikTok Shop" and "AI" keep their capitals.
fn decapitalise_initial(s: &str) -> String {
    let first = s.split_whitespace().next().unwrap_or("");
    let mut chars = first.chars();
    let looks_plain =
        chars.next().is_some_and(char::is_uppercase) && chars.all(|c| !c.is_uppercase());
    // A capitalised first word followed by lower-case words was capitalised
    // by position; a run of capitalised words is a name ("Google AI Mode").
    let rest_lower = s
        .split_whitespace()
        .skip(1)
        .all(|w| w.chars().next().is_some_and(|c| !c.is_uppercase()));
    if looks_plain && rest_lower && s.split_whitespace().count() > 1 {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_lowercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    } else {
        s.to_owned()
    }
}

fn is_acronym(s: &str) -> bool {
    let mut letters = 0;
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
    }
    letters >= 2
}

// ---- tokenising -----------------------------------------------------------------

/// URLs become clause breaks before anything else looks at the text: their
/// slashes and dots would otherwise cut them into fake words.
fn without_urls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("://") && !text.contains("www.") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if part.contains("://") || part.starts_with("www.") {
            out.push('|');
        } else {
            out.push_str(part);
        }
    }
    std::borrow::Cow::Owned(out)
}

struct Clause<'a> {
    text: &'a str,
    /// The clause begins a sentence (its first word may be capitalised only for that).
    sentence_start: bool,
}

/// Splits text where a phrase cannot continue: punctuation, brackets,
/// quotes, dashes, line breaks, URLs.
fn clauses(text: &str) -> Vec<Clause<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut sentence_start = true;
    let bytes = text.as_bytes();
    let mut iter = text.char_indices().peekable();
    let mut last = None;
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|(_, n)| *n);
        let prev = last.replace(c);
        let breaks = match c {
            '.' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            ',' | ';' | ':' | '!' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '"' | '“' | '”'
            | '«' | '»' | '—' | '–' | '…' | '|' | '/' | '\\' | '\n' | '•' | '·' | '%' | '$'
            | '€' | '£' | '#' | '@' | '*' | '+' | '=' | '<' | '>' | '~' => true,
            '-' => prev.is_none_or(char::is_whitespace) || next.is_none_or(char::is_whitespace),
            _ => false,
        };
        if breaks {
            if start < i {
                out.push(Clause {
                    text: &text[start..i],
                    sentence_start,
                });
            }
            sentence_start = matches!(c, '.' | '!' | '?' | '\n' | ':' | '"' | '“' | '”');
            start = i + c.len_utf8();
        }
    }
    if start < bytes.len() {
        out.push(Clause {
            text: &text[start..],
            sentence_start,
        });
    }
    out
}

/// What the n-gram rules ask about a word. It depends on the word's text
/// alone, so it is computed once per distinct word (see [`Scratch::word`]).
#[derive(Clone, Copy)]
struct WordInfo {
    /// Its key parts ("shops" → shop; "e-commerce" → e, commerce) as a range
    /// of `Scratch::part_seq`; none for a URL.
    parts: (u32, u32),
    stop: bool,
    /// A function word (NLTK's list): never inside a phrase either, unlike
    /// the trade-press extras ("synthetic focus groups", "World Cup final").
    function: bool,
    inner: bool,
    number: bool,
    acronym: bool,
    capitalised: bool,
    url: bool,
    /// Three characters or more.
    long: bool,
}

/// A word of a clause: where it is, and what it is.
struct Tok {
    start: usize,
    end: usize,
    info: WordInfo,
}

/// The words of a clause: (text, byte offset, is a URL).
fn split_words(clause: &str) -> impl Iterator<Item = (&str, usize, bool)> {
    let mut start: Option<usize> = None;
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '\'' | '’' | '-' | '.' | '&');
    clause
        .char_indices()
        .chain(std::iter::once((clause.len(), ' ')))
        .filter_map(move |(i, c)| {
            if is_word(c) {
                start.get_or_insert(i);
                return None;
            }
            let s = start.take()?;
            let raw = &clause[s..i];
            let trimmed = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '&');
            if trimmed.is_empty() {
                return None;
            }
            // `trimmed` is a slice of `raw`: its offset is a subtraction.
            let off = s + (trimmed.as_ptr() as usize - raw.as_ptr() as usize);
            // A URL: the words around it do not form a phrase. (The char
            // tests first: a substring search per word was a tenth of the
            // extraction time.)
            let url = (trimmed.contains(':') && trimmed.contains("://"))
                || trimmed.starts_with("www.")
                || (trimmed.contains('.') && trimmed.contains(".com"));
            Some((trimmed, off, url))
        })
}

fn lower(w: &str) -> Cow<'_, str> {
    if w.is_ascii() {
        if !w.bytes().any(|b| b.is_ascii_uppercase()) {
            return Cow::Borrowed(w);
        }
        return Cow::Owned(w.to_ascii_lowercase());
    }
    Cow::Owned(w.to_lowercase().replace('’', "'"))
}

fn is_number(w: &str) -> bool {
    w.chars().any(|c| c.is_ascii_digit())
        && w.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | 's' | 'k' | 'm'))
}

/// Is `w` (whose lower-case form is `l`) a word a phrase cannot start or end with?
fn is_stop_lower(w: &str, l: &str) -> bool {
    let l = l.strip_suffix("'s").unwrap_or(l);
    if is_number(w) {
        // Numbers have their own rule (see `good_span`).
        return false;
    }
    STOP.contains(l) || (l.chars().count() < 2) || (l.chars().count() == 2 && !is_acronym(w))
}

/// A word with key parts: not a URL, not bare punctuation.
fn has_parts(w: &WordInfo) -> bool {
    w.parts.0 != w.parts.1
}

fn good_span(span: &[Tok]) -> bool {
    let first = &span[0].info;
    let last = &span[span.len() - 1].info;
    if span.iter().any(|t| t.info.url) || first.stop || last.stop || first.inner {
        return false;
    }
    // Numbers: only as the last word after a name ("Google Analytics 4").
    if first.number {
        return false;
    }
    if span.len() == 1 {
        return (!last.number && last.long) || last.acronym;
    }
    if last.number && !span[span.len() - 2].info.capitalised {
        return false;
    }
    span[1..span.len() - 1]
        .iter()
        .all(|t| !t.info.number && (t.info.inner || !t.info.function))
}

/// One word's part of a key: lower case, no possessive, hyphens as spaces,
/// plural folded into singular.
fn norm_word(w: &str) -> String {
    norm_lower(&lower(w)).into_owned()
}

/// `norm_word` from the lower-case form.
fn norm_lower(l: &str) -> Cow<'_, str> {
    // The common case, a plain word, costs no allocation.
    if !l.contains(['\'', '-']) {
        return singular(l);
    }
    let l = l
        .strip_suffix("'s")
        .or_else(|| l.strip_suffix('\''))
        .unwrap_or(l);
    let l = l.replace('\'', "");
    Cow::Owned(
        l.split('-')
            .filter(|p| !p.is_empty())
            .map(singular)
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// English plural → singular, conservatively: a wrong merge would join two
/// topics, a missed one only splits a count.
fn singular(w: &str) -> Cow<'_, str> {
    // Every rule below is about a final "s"; most words have none, and the
    // list scan below was a visible part of ingest.
    if !w.ends_with('s') {
        return Cow::Borrowed(w);
    }
    const KEEP: &[&str] = &[
        "news",
        "series",
        "species",
        "always",
        "perhaps",
        "across",
        "less",
        "unless",
        "various",
        "previous",
        "status",
        "bonus",
        "campus",
        "virus",
        "focus",
        "lens",
        "chaos",
        "canvas",
        "atlas",
        "alias",
        "bias",
        "its",
        "this",
        "his",
        "was",
        "has",
        "does",
        "yes",
        "gas",
        "ads",
        "sales",
        "analysis",
        "basis",
        "crisis",
        "thesis",
        "diagnosis",
        "emphasis",
        "kudos",
        "mass",
        "plus",
        "thus",
        "us",
        "bus",
        "gps",
        "saas",
        "paas",
        "iaas",
        "dns",
        "aws",
        "ios",
        "cms",
        "sms",
        "pos",
    ];
    if w.len() <= 3 || KEEP.contains(&w) || !w.is_ascii() || w.chars().any(|c| c.is_ascii_digit()) {
        return Cow::Borrowed(w);
    }
    if w.ends_with("ss")
        || w.ends_with("us")
        || w.ends_with("is")
        || w.ends_with("ics")
        || w.ends_with("ous")
    {
        return Cow::Borrowed(w);
    }
    if let Some(stem) = w.strip_suffix("ies")
        && stem.len() >= 2
    {
        return Cow::Owned(format!("{stem}y"));
    }
    for suffix in ["sses", "shes", "ches", "xes", "zes"] {
        if w.ends_with(suffix) {
            return Cow::Borrowed(&w[..w.len() - 2]);
        }
    }
    if let Some(stem) = w.strip_suffix('s') {
        return Cow::Borrowed(stem);
    }
    Cow::Borrowed(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(title: &str, body: &str) -> Vec<String> {
        let paras: Vec<&str> = body.split("\n\n").collect();
        extract(title, &paras).into_iter().map(|p| p.key).collect()
    }

    #[test]
    fn normalisation_merges_variants() {
        assert_eq!(normalise("TikTok Shops").as_deref(), Some("tiktok shop"));
        assert_eq!(normalise("TikTok Shop's").as_deref(), Some("tiktok shop"));
        assert_eq!(normalise("first-party data"), normalise("first party data"));
        assert_eq!(normalise("agencies").as_deref(), Some("agency"));
        assert_eq!(
            normalise("Google Analytics 4").as_deref(),
            Some("google analytics 4")
        );
        assert_eq!(normalise("businesses").as_deref(), Some("business"));
        assert_eq!(normalise("news").as_deref(), Some("news"));
    }

    #[test]
    fn phrases_stay_inside_clauses_and_avoid_stop_word_edges() {
        let k = keys(
            "Agentic commerce arrives: retailers rethink checkout",
            "Retailers say agentic commerce changes everything. Checkout flows, product feeds and loyalty programs are next.",
        );
        assert!(k.contains(&"agentic commerce".to_owned()), "{k:?}");
        assert!(k.contains(&"product feed".to_owned()), "{k:?}");
        assert!(
            !k.iter().any(|p| p.contains("commerce arrives retailer")),
            "crossed a colon: {k:?}"
        );
        assert!(
            !k.iter()
                .any(|p| p.starts_with("the ") || p.ends_with(" and")),
            "{k:?}"
        );
        assert!(
            !k.iter().any(|p| p.contains("everything checkout")),
            "crossed a sentence: {k:?}"
        );
    }

    #[test]
    fn display_keeps_real_capitals_and_drops_positional_ones() {
        let p = extract(
            "TikTok Shop sellers report record sessions",
            &["Sellers on TikTok Shop say live shopping works. Live shopping is growing."],
        );
        let d = |k: &str| p.iter().find(|x| x.key == k).map(|x| x.display.clone());
        assert_eq!(d("tiktok shop").as_deref(), Some("TikTok Shop"));
        assert_eq!(d("live shopping").as_deref(), Some("live shopping"));
    }

    #[test]
    fn numbers_urls_and_dates_are_not_phrases() {
        let k = keys(
            "Budgets rise 3.5% in 2026",
            "See https://example.com/report for details. Spending rose on 12 November. Google Analytics 4 adoption grows; Google Analytics 4 is everywhere.",
        );
        assert!(
            !k.iter().any(|p| p
                .chars()
                .all(|c| c.is_ascii_digit() || c == ' ' || c == '.')),
            "{k:?}"
        );
        assert!(
            !k.iter()
                .any(|p| p.contains("example") || p.contains("http")),
            "{k:?}"
        );
        assert!(!k.iter().any(|p| p.contains("november")), "{k:?}");
        assert!(k.contains(&"google analytics 4".to_owned()), "{k:?}");
    }

    #[test]
    fn repeated_footers_are_found() {
        let items: Vec<(String, String)> = (0..6)
            .map(|i| {
                let t = format!("Story {i}");
                (t.clone(), format!("Body {i} about email.\n\nThe post {t} appeared on Inbox Weekly.\n\nSubscribe now for insights."))
            })
            .collect();
        let rep = repeated_paragraphs(items.iter().map(|(t, b)| (t.as_str(), b.as_str())));
        assert_eq!(rep.len(), 2, "{rep:?}");
        let kept = content_paragraphs(&items[0].0, &items[0].1, &rep);
        assert_eq!(kept, vec!["Body 0 about email."]);
    }
}
