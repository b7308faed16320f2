//! How text becomes index terms: the analysers registered on the index.
//!
//! Title and body go through a simple tokenizer, lower-casing, ASCII
//! folding ("café" finds "cafe") and the English Snowball stemmer
//! ("marketer" finds "marketers"), with positions so that "exact phrase"
//! queries match only adjacent words. Stop words are *kept*: BM25 already
//! gives them almost no weight, and removing them would break phrase queries
//! such as "return on ad spend" or "state of the art".
//!
//! Keeping them has a price that [`CommonGrams`] pays back: a phrase of
//! common words ("of the", "it is") matches in nearly every item, and
//! checking positions item by item made such a phrase 50 times slower than
//! a term query. So each pair of adjacent common words is also indexed as
//! one term in a `*_grams` field (after Lucene's CommonGrams), and a
//! two-word phrase of common words becomes a lookup of that term (see
//! `SearchIndex::parse`).
//!
//! Which pairs: two words that are each frequent, so that a phrase of them
//! would have to check positions in a large share of the items.
//! - Pairs of two [`COMMON_WORDS`] ("of the"), always.
//! - Pairs of two of the corpus's own frequent words, common or not ("the
//!   brand", "more marketing" in a marketing corpus): whose shares of the
//!   items multiply to at least [`PAIR_SHARE`]. The shares are measured on
//!   the store when the index is created (or rebuilt) and frozen with it
//!   ([`FrequentWords`]), because a pair indexed as a gram in some items
//!   but not others would make its gram lookup miss items. A daemon's index
//!   is created on an empty store, so it is rebuilt once the store has
//!   outgrown its measurement (`SearchIndex::retune_due`).
//!
//! Measured on a million items: pairs of one of the 18 commonest words and
//! *any* other word would speed up such phrases too, but they are hundreds
//! of thousands of distinct terms, and indexing them made `reindex` 40 %
//! slower and its index 20 % larger. The pairs above are a few thousand.

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};

/// Analyser for title, body and feed name (see the module comment).
pub const TEXT_ANALYZER: &str = "en_folded_stemmed";
/// The same words as [`TEXT_ANALYZER`], as common-word pairs ("of the").
pub const GRAM_ANALYZER: &str = "en_common_grams";
/// Exact values compared case-insensitively: tags and key phrases.
pub const KEYWORD_ANALYZER: &str = "keyword_lower";

/// The most frequent English words: articles, pronouns, prepositions,
/// conjunctions, auxiliaries, and the commonest adverbs, numerals and verbs.
/// Together they are about half of the words of any English text, which is
/// why a phrase made of them matches almost everywhere.
const COMMON_WORDS: &str = "\
    a about across after again against all already also among an and another any are around \
    as at be because been before being between both but by can could did do does during each \
    even every few first for from further had has have he her here him his how i if in into is \
    it its itself just last less like many may me more most much must my new next no nor not \
    now of off on once one only or other our out over own per same she should since so some \
    still such than that the their them then there these they this those three through time \
    to too two under until up upon us very via was we well were what when where which while \
    who why will with within without would year you your";

/// [`COMMON_WORDS`] as stems, the form in which the analyser sees them.
static COMMON_STEMS: LazyLock<FxHashSet<Box<str>>> = LazyLock::new(|| {
    let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
    COMMON_WORDS
        .split_whitespace()
        .map(|w| Box::from(&*stemmer.stem(w)))
        .collect()
});

/// Two frequent words whose shares of the items multiply to at least this
/// are indexed as a gram. A phrase query checks positions in every item
/// holding both words, about 44 ns an item at a million items on two cores,
/// so a pair left out (independent words: about this share of the items)
/// costs at most about 9 ms. Measured on the index bench's million items:
/// 0.2 adds about 6 gram terms per item to the 75 of common pairs, and phrase
/// p99 fell from 13.5 to 5.8 ms; 0.15 added 11 and made `reindex` about 12 %
/// slower, against about 3 % for 0.2.
pub const PAIR_SHARE: f32 = 0.2;

/// The corpus's frequent words, measured when an index is created and
/// frozen with it (see the module comment).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FrequentWords {
    /// Items measured, and the highest item id of the store then.
    pub sampled: u64,
    pub max_id: i64,
    /// The [`PAIR_SHARE`] the index was built with.
    pub pair_share: f32,
    /// Stem -> share of the sampled items holding it, for the stems whose
    /// share is at least `pair_share` (a pair needs both).
    pub words: BTreeMap<String, f32>,
}

impl FrequentWords {
    /// Measures the share of items holding each stem of `texts` (title and
    /// body of each sampled item), sampled from a store whose highest item
    /// id is `max_id`.
    pub fn measure<'a>(texts: impl Iterator<Item = [&'a str; 2]>, max_id: i64) -> FrequentWords {
        let mut analyzer = text_analyzer(false);
        let mut df: FxHashMap<String, u32> = FxHashMap::default();
        let mut seen: FxHashSet<String> = FxHashSet::default();
        let mut sampled = 0u64;
        for item in texts {
            sampled += 1;
            seen.clear();
            for text in item {
                analyzer.token_stream(text).process(&mut |t| {
                    if !seen.contains(&t.text) {
                        seen.insert(t.text.clone());
                    }
                });
            }
            for stem in seen.drain() {
                *df.entry(stem).or_default() += 1;
            }
        }
        let words = df
            .into_iter()
            .map(|(stem, n)| (stem, n as f32 / sampled.max(1) as f32))
            .filter(|(_, share)| *share >= PAIR_SHARE)
            .collect();
        FrequentWords {
            sampled,
            max_id,
            pair_share: PAIR_SHARE,
            words,
        }
    }
}

/// What the gram filter knows of a word.
#[derive(Clone, Copy, Default)]
struct WordKind {
    common: bool,
    /// Share of the items holding it (0 unless frequent).
    share: f32,
}

/// [`COMMON_WORDS`] and an index's [`FrequentWords`] in one table, so that
/// the gram filter looks each word up once.
struct GramWords {
    kinds: FxHashMap<Box<str>, WordKind>,
    pair_share: f32,
}

impl GramWords {
    fn new(frequent: &FrequentWords) -> GramWords {
        let mut kinds: FxHashMap<Box<str>, WordKind> = COMMON_STEMS
            .iter()
            .map(|w| {
                let kind = WordKind {
                    common: true,
                    share: 0.0,
                };
                (w.clone(), kind)
            })
            .collect();
        for (stem, share) in &frequent.words {
            kinds.entry(Box::from(stem.as_str())).or_default().share = *share;
        }
        GramWords {
            kinds,
            // An index without measured words (or from before they were
            // measured) pairs common words only.
            pair_share: if frequent.pair_share > 0.0 {
                frequent.pair_share
            } else {
                f32::INFINITY
            },
        }
    }

    fn kind(&self, stem: &str) -> WordKind {
        self.kinds.get(stem).copied().unwrap_or_default()
    }

    fn pair(&self, a: WordKind, b: WordKind) -> bool {
        (a.common && b.common) || a.share * b.share >= self.pair_share
    }
}

/// The words of title and body, as terms. `record` keeps the last few
/// texts' terms for [`Replay`] (the indexing chain); other uses need not.
fn text_analyzer(record: bool) -> TextAnalyzer {
    let chain = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(CachedStemmer);
    if record {
        chain.filter(Record).build()
    } else {
        chain.build()
    }
}

/// Registers the analysers named in the schema on `index`, whose grams
/// pair the common words and its `frequent` words.
pub fn register_analyzers(index: &Index, frequent: &FrequentWords) {
    let keyword = TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .build();
    // Built on exactly the text chain, so that a gram is two of its terms.
    let grams = TextAnalyzer::builder(Replay(text_analyzer(false)))
        .filter(CommonGrams(Arc::new(GramWords::new(frequent))))
        .build();
    index
        .tokenizers()
        .register(TEXT_ANALYZER, text_analyzer(true));
    index.tokenizers().register(GRAM_ANALYZER, grams);
    index
        .tokenizers()
        .register(KEYWORD_ANALYZER, keyword.clone());
    index
        .fast_field_tokenizer()
        .register(KEYWORD_ANALYZER, keyword);
}

// ---- record and replay ------------------------------------------------------------
//
// tantivy analyses a document's fields in schema order: title and body
// first, their `*_grams` copies last. The grams need the very terms the
// text chain just made of the same text, and analysing it a second time was
// a fifth of indexing. So the text chain records its last few texts with
// their terms (per thread, as tantivy indexes a document on one thread), and
// the gram chain replays a recording whose text is identical, byte for
// byte. Any other text (a query, a test) is analysed afresh.

/// Texts remembered per thread: a document has three (feed, title, body).
const RECORDINGS: usize = 3;

#[derive(Default)]
struct Recording {
    text: String,
    /// The first `len` are the text's tokens; the rest are kept so that
    /// their strings are reused rather than allocated again.
    tokens: Vec<Token>,
    len: usize,
    /// The stream ran to its end: the tokens are all of the text's.
    complete: bool,
}

thread_local! {
    static RECORDED: std::cell::RefCell<(usize, [Recording; RECORDINGS])> =
        std::cell::RefCell::new(Default::default());
}

/// Records the terms of each text that passes (see above).
#[derive(Clone, Copy)]
struct Record;

impl TokenFilter for Record {
    type Tokenizer<T: Tokenizer> = RecordFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> RecordFilter<T> {
        RecordFilter { inner }
    }
}

#[derive(Clone)]
pub struct RecordFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for RecordFilter<T> {
    type TokenStream<'a> = RecordStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let slot = RECORDED.with_borrow_mut(|(next, slots)| {
            let slot = *next;
            *next = (slot + 1) % RECORDINGS;
            let r = &mut slots[slot];
            r.text.clear();
            r.text.push_str(text);
            r.len = 0;
            r.complete = false;
            slot
        });
        RecordStream {
            tail: self.inner.token_stream(text),
            slot,
        }
    }
}

pub struct RecordStream<T> {
    tail: T,
    slot: usize,
}

impl<T: TokenStream> TokenStream for RecordStream<T> {
    fn advance(&mut self) -> bool {
        let more = self.tail.advance();
        let token = self.tail.token();
        RECORDED.with_borrow_mut(|(_, slots)| {
            let r = &mut slots[self.slot];
            if !more {
                r.complete = true;
            } else if let Some(t) = r.tokens.get_mut(r.len) {
                t.offset_from = token.offset_from;
                t.offset_to = token.offset_to;
                t.position = token.position;
                t.position_length = token.position_length;
                t.text.clear();
                t.text.push_str(&token.text);
                r.len += 1;
            } else {
                r.tokens.push(token.clone());
                r.len += 1;
            }
        });
        more
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The text chain's terms of a text: replayed from a recording of the same
/// text if there is one, else made by `0`.
#[derive(Clone)]
struct Replay(TextAnalyzer);

impl Tokenizer for Replay {
    type TokenStream<'a> = ReplayStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ReplayStream<'a> {
        let recorded = RECORDED.with_borrow_mut(|(_, slots)| {
            slots
                .iter_mut()
                .enumerate()
                .find(|(_, r)| r.complete && r.text == text)
                .map(|(slot, r)| {
                    r.complete = false;
                    (slot, r.len, std::mem::take(&mut r.tokens))
                })
        });
        match recorded {
            Some((slot, len, tokens)) => ReplayStream::Recorded {
                tokens,
                len,
                next: 0,
                slot,
                empty: Token::default(),
            },
            None => ReplayStream::Fresh(self.0.token_stream(text)),
        }
    }
}

pub enum ReplayStream<'a> {
    Recorded {
        tokens: Vec<Token>,
        len: usize,
        /// One past the current token.
        next: usize,
        /// Where the tokens go back to when the replay ends.
        slot: usize,
        /// What `token()` shows before the first `advance()`.
        empty: Token,
    },
    Fresh(tantivy::tokenizer::BoxTokenStream<'a>),
}

impl Drop for ReplayStream<'_> {
    fn drop(&mut self) {
        if let ReplayStream::Recorded { tokens, slot, .. } = self {
            // Hand the strings back for reuse, unless the slot has since
            // recorded another text into a new vector.
            let _ = RECORDED.try_with(|cell| {
                if let Ok(mut rec) = cell.try_borrow_mut() {
                    let r = &mut rec.1[*slot];
                    if r.tokens.capacity() == 0 {
                        r.tokens = std::mem::take(tokens);
                        r.len = 0;
                    }
                }
            });
        }
    }
}

impl TokenStream for ReplayStream<'_> {
    fn advance(&mut self) -> bool {
        match self {
            ReplayStream::Recorded { len, next, .. } => {
                if *next < *len {
                    *next += 1;
                    true
                } else {
                    false
                }
            }
            ReplayStream::Fresh(s) => s.advance(),
        }
    }

    fn token(&self) -> &Token {
        match self {
            ReplayStream::Recorded {
                tokens,
                next,
                empty,
                ..
            } => next.checked_sub(1).map_or(empty, |i| &tokens[i]),
            ReplayStream::Fresh(s) => s.token(),
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self {
            ReplayStream::Recorded {
                tokens,
                next,
                empty,
                ..
            } => match next.checked_sub(1) {
                Some(i) => &mut tokens[i],
                None => empty,
            },
            ReplayStream::Fresh(s) => s.token_mut(),
        }
    }
}

/// The terms `analyzer` makes of `text`.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    analyzer
        .token_stream(text)
        .process(&mut |t| out.push(t.text.clone()));
    out
}

/// Turns a stream of words into the pairs of adjacent frequent words (see
/// the module comment): "one of the retail media networks" gives "one of"
/// and "of the", and "the retail" too if "retail" is frequent enough.
///
/// Adjacent means consecutive positions, exactly what a positional phrase
/// query requires (so pairs also join across punctuation, as phrases do), and
/// a pair's text is its two terms joined by a space.
#[derive(Clone)]
pub struct CommonGrams(Arc<GramWords>);

impl TokenFilter for CommonGrams {
    type Tokenizer<T: Tokenizer> = CommonGramsFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CommonGramsFilter<T> {
        CommonGramsFilter {
            inner,
            words: self.0,
        }
    }
}

#[derive(Clone)]
pub struct CommonGramsFilter<T> {
    inner: T,
    words: Arc<GramWords>,
}

impl<T: Tokenizer> Tokenizer for CommonGramsFilter<T> {
    type TokenStream<'a> = CommonGramsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CommonGramsStream {
            tail: self.inner.token_stream(text),
            words: &self.words,
            prev: None,
            token: Token::default(),
        }
    }
}

/// The previous word: its text, position, start offset and kind.
struct Prev {
    text: String,
    position: usize,
    offset_from: usize,
    kind: WordKind,
}

pub struct CommonGramsStream<'a, T> {
    tail: T,
    words: &'a GramWords,
    prev: Option<Prev>,
    token: Token,
}

impl<T: TokenStream> TokenStream for CommonGramsStream<'_, T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let word = self.tail.token();
            let kind = self.words.kind(&word.text);
            let emit = self.prev.as_ref().filter(|p| {
                self.words.pair(p.kind, kind) && p.position.checked_add(1) == Some(word.position)
            });
            if let Some(p) = emit {
                self.token.text.clear();
                self.token.text.push_str(&p.text);
                self.token.text.push(' ');
                self.token.text.push_str(&word.text);
                self.token.offset_from = p.offset_from;
                self.token.offset_to = word.offset_to;
                self.token.position = p.position;
                self.token.position_length = 2;
            }
            let found = emit.is_some();
            let prev = self.prev.get_or_insert_with(|| Prev {
                text: String::new(),
                position: 0,
                offset_from: 0,
                kind: WordKind::default(),
            });
            prev.text.clear();
            prev.text.push_str(&word.text);
            prev.position = word.position;
            prev.offset_from = word.offset_from;
            prev.kind = kind;
            if found {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// tantivy's English Snowball stemmer with a memo of recent words.
///
/// Word frequencies are Zipfian: a few thousand words make up most of any
/// text, and stemming each occurrence again was about a seventh of the
/// indexing time. The output is exactly `Stemmer::new(Language::English)`'s.
/// The memo is per thread, not per analyser: tantivy clones the analyser
/// for every new segment, and a per-clone memo started cold each time (a
/// poll writes many small segments). It is bounded by [`STEM_MEMO_WORDS`].
#[derive(Clone, Copy)]
pub struct CachedStemmer;

/// Words remembered per thread before the memo starts over.
const STEM_MEMO_WORDS: usize = 50_000;

thread_local! {
    static STEMS: std::cell::RefCell<FxHashMap<Box<str>, Box<str>>> =
        std::cell::RefCell::new(FxHashMap::default());
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    stemmer: frostem::Stemmer,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: self.stemmer,
        }
    }
}

pub struct CachedStemmerStream<T> {
    tail: T,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        STEMS.with_borrow_mut(|memo| {
            if let Some(stem) = memo.get(token.text.as_str()) {
                token.text.clear();
                token.text.push_str(stem);
                return;
            }
            let stem: Box<str> = self.stemmer.stem(&token.text).into();
            if memo.len() >= STEM_MEMO_WORDS {
                memo.clear();
            }
            let word = std::mem::replace(&mut token.text, String::from(&*stem));
            memo.insert(word.into_boxed_str(), stem);
        });
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{Language, Stemmer};

    #[test]
    fn the_memoised_stemmer_gives_exactly_the_snowball_stems() {
        let text = "Marketers marketing marketed; the marketer's campaigns \
                    CAMPAIGNING généralement running runs ran. Marketers again, \
                    and again: generously generous generation";
        let mut memo = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(CachedStemmer)
            .build();
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::English))
            .build();
        let want = terms(&mut plain, text);
        assert!(want.contains(&"market".to_owned()), "{want:?}");
        // Twice: the second pass is served from the memo.
        assert_eq!(terms(&mut memo, text), want);
        assert_eq!(terms(&mut memo, text), want);
    }

    #[test]
    fn grams_pair_adjacent_common_words() {
        let index = Index::create_in_ram(tantivy::schema::Schema::builder().build());
        register_analyzers(&index, &FrequentWords::default());
        let mut grams = index.tokenizers().get(GRAM_ANALYZER).unwrap();
        // Only pairs of two common words; punctuation does not break a pair
        // (a phrase query ignores it too).
        assert_eq!(
            terms(&mut grams, "One of the Retail media networks. Which is, as"),
            ["one of", "of the", "which is", "is as"]
        );
        assert!(terms(&mut grams, "the retail").is_empty());
        // Replayed from the text chain's recording, or analysed afresh: the
        // same grams (the recording is used once, so the second call is fresh).
        let text = "Which of the new rules is, as ever, one of the biggest? Most of them";
        let fresh = terms(&mut grams, text);
        assert_eq!(fresh.len(), 8, "{fresh:?}");
        let mut words = index.tokenizers().get(TEXT_ANALYZER).unwrap();
        terms(&mut words, text);
        terms(&mut words, "another text in between");
        assert_eq!(terms(&mut grams, text), fresh);
        assert_eq!(terms(&mut grams, text), fresh);
        assert!(terms(&mut grams, "the").is_empty());
        // A removed (over-long) word leaves a gap: no pair across it.
        let long = "x".repeat(60);
        assert_eq!(
            terms(&mut grams, &format!("of {long} the")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn frequent_words_are_measured_per_item_and_pair_by_their_shares() {
        // "brand" is in 3 items of 4 (many times in one: still one item),
        // "retail" in 2, "zeppelin" in 1, "media" in 3.
        let items = [
            ["Brand brands branding", "retail media"],
            ["The brand", "media"],
            ["", "brand retail. Media zeppelin"],
            ["Other news", "nothing here"],
        ];
        let words = FrequentWords::measure(items.iter().copied(), 9);
        assert_eq!((words.sampled, words.max_id), (4, 9));
        assert_eq!(words.words.get("brand"), Some(&0.75));
        assert_eq!(words.words.get("retail"), Some(&0.5));
        assert_eq!(words.words.get("zeppelin"), Some(&0.25));
        // Below PAIR_SHARE nothing is kept: one item in ten.
        let many: Vec<[&str; 2]> = (0..10)
            .map(|i| ["", if i == 0 { "rare word" } else { "word" }])
            .collect();
        let few = FrequentWords::measure(many.into_iter(), 10);
        assert!(!few.words.contains_key("rare"), "{few:?}");
        assert_eq!(few.words.get("word"), Some(&1.0));

        let index = Index::create_in_ram(tantivy::schema::Schema::builder().build());
        register_analyzers(&index, &words);
        let mut grams = index.tokenizers().get(GRAM_ANALYZER).unwrap();
        // the (common, not measured) x brand: 0 x 0.75; brand x retail and
        // retail x media: 0.375 each; media x zeppelin: 0.1875, just under.
        assert!((0.1875..=0.25).contains(&PAIR_SHARE) && PAIR_SHARE > 0.1875);
        assert_eq!(
            terms(&mut grams, "The brand retail media zeppelin of the"),
            ["brand retail", "retail media", "of the"]
        );
        // Measured common words pair with frequent ones.
        let mut with_the = words.clone();
        with_the.words.insert("the".into(), 1.0);
        register_analyzers(&index, &with_the);
        let mut grams = index.tokenizers().get(GRAM_ANALYZER).unwrap();
        assert_eq!(terms(&mut grams, "the brand"), ["the brand"]);
        assert_eq!(terms(&mut grams, "the zeppelin"), ["the zeppelin"]);
        assert!(terms(&mut grams, "the report").is_empty());
    }
}
