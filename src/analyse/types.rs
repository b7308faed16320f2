//! What kind of thing a topic is: a person, an organization, a place, an
//! event, a product or a concept. The digest picks discussion starters by
//! type ("what does this mean for our media plans?" suits a concept, not a
//! funeral), so a wrong type does more harm than none: [`classify`] answers
//! [`TopicType::Unknown`] unless the cues are clear.
//!
//! Cues come from three places, each scored per type:
//! - the label's own words (a given name then a surname; an org suffix; an
//!   event head noun last; a product cue or version number; a place);
//! - how the label is written mid-sentence (capitalised in most mentions:
//!   a name; lower case: a concept or an event noun phrase);
//! - the words around each mention ("<X> said", "shares in <X>", "in <X>",
//!   "at this year's <X>", "rolled out <X>").
//!
//! Context cues are averaged over the mentions, so twenty sentences do not
//! outvote a clear label cue merely by being many.

use serde::{Deserialize, Serialize};

use super::labels::is_acronym;
use super::lexicon;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TopicType {
    Person,
    Organization,
    Place,
    Event,
    Product,
    Concept,
    Unknown,
}

impl TopicType {
    pub const ALL: [TopicType; 7] = [
        TopicType::Person,
        TopicType::Organization,
        TopicType::Place,
        TopicType::Event,
        TopicType::Product,
        TopicType::Concept,
        TopicType::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TopicType::Person => "person",
            TopicType::Organization => "organization",
            TopicType::Place => "place",
            TopicType::Event => "event",
            TopicType::Product => "product",
            TopicType::Concept => "concept",
            TopicType::Unknown => "unknown",
        }
    }

    /// The inverse of [`TopicType::as_str`] (case-insensitive).
    pub fn parse(s: &str) -> Option<TopicType> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
    }
}

/// Fewer mentions than this in the evidence is too thin to call.
pub const MIN_MENTIONS: usize = 2;
/// The winning type needs at least this score...
pub const MIN_SCORE: f32 = 3.0;
/// ...and this lead over the runner-up.
pub const MIN_MARGIN: f32 = 1.5;
/// Share of mid-sentence mentions written one way (capitalised, or lower
/// case) for that to count as how the label is written.
pub const CASE_SHARE: f32 = 0.75;
/// A sentence with at least this share of its longer words capitalised is
/// in title case, and its capitalisation says nothing.
pub const TITLE_CASE_SHARE: f32 = 0.6;
/// Weight of a clear cue in the label's own words.
pub const LABEL_CUE: f32 = 3.0;
/// Context cues, averaged per mention, are scaled by this: a cue at every
/// mention is worth a bit more than a label cue.
pub const CONTEXT_SCALE: f32 = 4.0;
/// A story whose label is not a name is an event when this many sentences
/// carry an event verb (or the label ends on an event noun).
pub const EVENT_VERB_SENTENCES: usize = 2;

const PERSON: usize = 0;
const ORG: usize = 1;
const PLACE: usize = 2;
const EVENT: usize = 3;
const PRODUCT: usize = 4;
const CONCEPT: usize = 5;

/// Words just before a mention, as the last words of the text before it.
const BEFORE: &[(&str, usize, f32)] = &[
    ("mr", PERSON, 2.0),
    ("mrs", PERSON, 2.0),
    ("ms", PERSON, 2.0),
    ("dr", PERSON, 2.0),
    ("said", PERSON, 1.0),
    ("says", PERSON, 1.0),
    ("according to", PERSON, 0.5),
    ("shares in", ORG, 2.0),
    ("shares of", ORG, 2.0),
    ("ceo of", ORG, 2.0),
    ("chief executive of", ORG, 2.0),
    ("founder of", ORG, 1.5),
    ("acquired", ORG, 2.0),
    ("acquire", ORG, 2.0),
    ("acquisition of", ORG, 2.0),
    ("bought", ORG, 1.5),
    ("owned by", ORG, 1.5),
    ("spokesperson for", ORG, 2.0),
    ("spokesman for", ORG, 2.0),
    ("spokeswoman for", ORG, 2.0),
    ("investors in", ORG, 1.5),
    ("stake in", ORG, 2.0),
    ("rival", ORG, 1.0),
    ("works at", ORG, 1.5),
    ("in", PLACE, 1.0),
    ("from", PLACE, 0.5),
    ("across", PLACE, 0.5),
    ("visit to", PLACE, 1.5),
    ("trip to", PLACE, 1.5),
    ("capital of", PLACE, 1.0),
    ("at", EVENT, 1.0),
    ("year's", EVENT, 2.0),
    ("during", EVENT, 2.0),
    ("during the", EVENT, 2.0),
    ("ahead of", EVENT, 1.0),
    ("ahead of the", EVENT, 1.5),
    ("attend", EVENT, 1.5),
    ("attended", EVENT, 1.5),
    ("attending", EVENT, 1.5),
    ("winners at", EVENT, 2.0),
    ("launched", PRODUCT, 2.0),
    ("launches", PRODUCT, 2.0),
    ("launch of", PRODUCT, 1.5),
    ("rolls out", PRODUCT, 2.0),
    ("rolled out", PRODUCT, 2.0),
    ("rolling out", PRODUCT, 2.0),
    ("released", PRODUCT, 1.5),
    ("unveiled", PRODUCT, 1.5),
    ("unveils", PRODUCT, 1.5),
    ("introduced", PRODUCT, 1.5),
    ("introduces", PRODUCT, 1.5),
    ("the new", PRODUCT, 1.5),
    ("users of", PRODUCT, 1.5),
    ("version of", PRODUCT, 1.5),
    ("update to", PRODUCT, 1.5),
    ("expanded", PRODUCT, 1.0),
    ("expands", PRODUCT, 1.0),
];

/// Text just after a mention (lower case, starting right after it).
const AFTER: &[(&str, usize, f32)] = &[
    (" said in a statement", ORG, 2.5),
    (" said", PERSON, 1.0),
    (" says", PERSON, 1.0),
    (" told", PERSON, 1.0),
    (" added", PERSON, 0.5),
    (", who", PERSON, 1.5),
    (" died", PERSON, 2.0),
    (" dies", PERSON, 2.0),
    (" has died", PERSON, 2.0),
    (", the chief executive", PERSON, 2.0),
    (", chief executive", PERSON, 2.0),
    (", the founder", PERSON, 2.0),
    (" was born", PERSON, 2.0),
    ("'s chief executive", ORG, 2.0),
    ("'s ceo", ORG, 2.0),
    ("'s shares", ORG, 2.0),
    (" shares", ORG, 1.5),
    (" reported revenue", ORG, 2.0),
    (" reported", ORG, 1.0),
    ("'s revenue", ORG, 2.0),
    (" revenue", ORG, 1.5),
    (" employees", ORG, 1.0),
    (" spokesperson", ORG, 1.5),
    (" spokesman", ORG, 1.5),
    ("'s board", ORG, 1.5),
    (", the company", ORG, 2.0),
    (" acquired", ORG, 1.0),
    ("'s government", PLACE, 2.0),
    ("'s capital", PLACE, 2.0),
    ("'s prime minister", PLACE, 2.0),
    ("'s president", PLACE, 1.0),
    ("'s foreign", PLACE, 2.0),
    ("'s economy", PLACE, 2.0),
    ("'s border", PLACE, 2.0),
    ("'s king", PLACE, 2.0),
    ("'s parliament", PLACE, 2.0),
    ("'s military", PLACE, 2.0),
    (" festival", EVENT, 1.5),
    (" awards", EVENT, 1.5),
    (" takes place", EVENT, 2.0),
    (" took place", EVENT, 2.0),
    (" kicked off", EVENT, 2.0),
    (" kicks off", EVENT, 2.0),
    (" attendees", EVENT, 2.0),
    (" jury", EVENT, 1.5),
    (" app", PRODUCT, 1.5),
    (" users", PRODUCT, 1.5),
    (" feature", PRODUCT, 1.5),
    (" update", PRODUCT, 1.0),
    (" version", PRODUCT, 1.5),
    (" beta", PRODUCT, 1.5),
    (" rollout", PRODUCT, 1.5),
    (" is available", PRODUCT, 1.5),
    (" is now available", PRODUCT, 2.0),
    (" will be available", PRODUCT, 2.0),
    (" subscribers", PRODUCT, 1.0),
];

/// A mention's cues for one type never add up past this: one sentence
/// full of cue words is still one sentence.
const MENTION_CAP: f32 = 2.5;

/// Verbs that say something happened.
const EVENT_VERBS: &[&str] = &[
    "killed",
    "won",
    "voted",
    "ruled",
    "announced",
    "died",
    "injured",
    "wounded",
    "arrested",
    "resigned",
    "crashed",
    "collapsed",
    "struck",
    "erupted",
    "approved",
    "signed",
    "sued",
    "fined",
    "banned",
    "recalled",
    "acquired",
    "merged",
    "elected",
    "evacuated",
    "postponed",
    "cancelled",
    "canceled",
    "charged",
    "convicted",
    "sentenced",
    "exploded",
    "flooded",
    "agreed",
    "launched",
    "held",
    "opened",
    "closed",
];

/// A word of a sentence: where it starts, where it ends (without a
/// possessive), and its text without the possessive.
struct Tok<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

fn tokens(s: &str) -> Vec<Tok<'_>> {
    let is_part = |c: char| c.is_alphanumeric() || "&-'\u{2019}.".contains(c);
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain([(s.len(), ' ')]) {
        match (start, is_part(c)) {
            (None, true) => start = Some(i),
            (Some(b), false) => {
                let raw = s[b..i].trim_end_matches(['.', '-', '\'', '\u{2019}']);
                let raw = raw.trim_start_matches(['.', '-', '\'', '\u{2019}']);
                if !raw.is_empty() {
                    let b = b + s[b..].find(raw).unwrap_or(0);
                    let text = raw
                        .strip_suffix("'s")
                        .or_else(|| raw.strip_suffix("\u{2019}s"))
                        .unwrap_or(raw);
                    // "U.S." keeps its dots; a sentence's last word loses its full stop.
                    let text = if is_acronym(text) {
                        text
                    } else {
                        text.trim_end_matches('.')
                    };
                    out.push(Tok {
                        start: b,
                        end: b + text.len(),
                        text,
                    });
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn starts_upper(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn is_title_case(toks: &[Tok]) -> bool {
    let long: Vec<&Tok> = toks.iter().filter(|t| t.text.len() >= 4).collect();
    !long.is_empty()
        && long.iter().filter(|t| starts_upper(t.text)).count() as f32
            >= TITLE_CASE_SHARE * long.len() as f32
}

/// How one mention is written and what surrounds it.
struct Mention<'a> {
    sentence: &'a str,
    before: String,
    after: String,
    /// Capitalised as written, when that says something: not at a sentence
    /// start, not in a title-case headline, not an acronym.
    case: Option<bool>,
}

fn mentions<'a>(label: &[&str], evidence: &[&'a str]) -> Vec<Mention<'a>> {
    let mut out = Vec::new();
    let n = label.len();
    for &s in evidence {
        let toks = tokens(s);
        let title = is_title_case(&toks);
        for i in 0..toks.len().saturating_sub(n - 1) {
            let span = &toks[i..i + n];
            if !span
                .iter()
                .zip(label)
                .all(|(t, l)| t.text.eq_ignore_ascii_case(l))
            {
                continue;
            }
            let written = span[0].text;
            // "Jordan" inside "Jordan Pickford" is a mention of someone else.
            if let Some(next) = toks.get(i + n)
                && starts_upper(written)
                && starts_upper(next.text)
                && s[span[n - 1].end..next.start].trim_start_matches(['\'', '\u{2019}', 's']) == " "
                && !lexicon::is_function_word(next.text)
                && !lexicon::is_month(next.text)
                && !lexicon::is_weekday(next.text)
            {
                continue;
            }
            let before = &s[..span[0].start];
            let sentence_start = before
                .trim_end_matches([' ', '"', '\'', '\u{201c}', '\u{2018}'])
                .chars()
                .last()
                .is_none_or(|c| ".!?:;—–".contains(c));
            let case = (!sentence_start && !title && !is_acronym(written))
                .then(|| span.iter().any(|t| starts_upper(t.text)));
            out.push(Mention {
                sentence: s,
                before: before.to_lowercase(),
                after: s[span[n - 1].end..]
                    .chars()
                    .take(40)
                    .collect::<String>()
                    .to_lowercase(),
                case,
            });
        }
    }
    out
}

/// The words of `before` that end it, for matching "shares in" against "...
/// its shares in".
fn ends_with_words(before: &str, words: &str) -> bool {
    let b = before.trim_end_matches([' ', '"', '\u{201c}']);
    b.strip_suffix(words)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with([' ', '(', '"', '\u{201c}']))
}

fn context_scores(m: &Mention, label_lower: &str) -> [f32; 6] {
    let mut s = [0.0f32; 6];
    for &(w, ty, weight) in BEFORE {
        if ends_with_words(&m.before, w) {
            s[ty] += weight;
        }
    }
    let after = m.after.replace('\u{2019}', "'");
    let statement = after.starts_with(" said in a statement");
    for &(w, ty, weight) in AFTER {
        // An organization speaks in statements; the plain "said" is a person's.
        if after.starts_with(w) && !(statement && w == " said") {
            s[ty] += weight;
        }
    }
    // "Jordan Pickford, 31, said": an age in commas.
    if let Some(rest) = after.strip_prefix(", ") {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if (1..=3).contains(&digits) && rest[digits..].starts_with(',') {
            s[PERSON] += 2.0;
        }
    }
    // "Cannes Lions 2026": a name with its year is an edition of an event.
    let year = after.strip_prefix(' ').unwrap_or("");
    if year.starts_with("20") && year.bytes().take(4).filter(u8::is_ascii_digit).count() == 4 {
        s[EVENT] += 1.5;
    }
    let words: Vec<String> = m
        .sentence
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .collect();
    if words
        .iter()
        .any(|w| ["his", "her", "he", "she"].contains(&w.as_str()))
    {
        s[PERSON] += 0.5;
    }
    if words
        .iter()
        .any(|w| ["died", "dies", "obituary", "funeral", "aged"].contains(&w.as_str()))
    {
        s[PERSON] += 1.0;
    }
    // "Jordanian officials": the place's own demonym nearby.
    let stem = label_lower.split(' ').next().unwrap_or("");
    if stem.len() >= 4
        && words
            .iter()
            .any(|w| w.len() > stem.len() && w.starts_with(stem) && lexicon::is_demonym(w))
    {
        s[PLACE] += 1.0;
    }
    for v in &mut s {
        *v = v.min(MENTION_CAP);
    }
    s
}

fn label_scores(words: &[&str]) -> [f32; 6] {
    let mut s = [0.0f32; 6];
    let Some((&last, &first)) = words.last().zip(words.first()) else {
        return s;
    };
    let capitalised = words.iter().all(|w| {
        starts_upper(w) || lexicon::is_function_word(w) || w.chars().any(|c| c.is_ascii_digit())
    });
    let joined = words.join(" ").to_lowercase();
    if capitalised && words.len() >= 2 && words.len() <= 3 {
        let rest_plain = words[1..].iter().all(|w| {
            starts_upper(w)
                && !is_acronym(w)
                && !lexicon::is_org_cue(w)
                && !lexicon::is_product_cue(w)
                && !lexicon::is_event_noun(w)
                && !lexicon::is_place(w)
        });
        if rest_plain && (lexicon::is_given_name(first) || lexicon::is_honorific(first)) {
            s[PERSON] += LABEL_CUE;
        }
    }
    if capitalised
        && (lexicon::is_org_cue(last)
            || (words.len() >= 3
                && lexicon::is_org_cue(first)
                && words[1].eq_ignore_ascii_case("of")))
    {
        s[ORG] += LABEL_CUE;
    }
    if lexicon::is_place(&joined) {
        s[PLACE] += LABEL_CUE - 1.0;
    }
    if lexicon::is_event_noun(last) {
        s[EVENT] += LABEL_CUE;
    }
    // A named storm or operation: "Storm Hollis", "Hurricane Amy".
    if words.len() == 2
        && starts_upper(first)
        && starts_upper(last)
        && lexicon::is_event_noun(first)
    {
        s[EVENT] += LABEL_CUE;
    }
    let year =
        last.len() == 4 && last.starts_with("20") && last.chars().all(|c| c.is_ascii_digit());
    if year && words.len() >= 2 {
        s[EVENT] += LABEL_CUE - 1.0;
    }
    if lexicon::is_product_cue(last) && !lexicon::is_event_noun(last) {
        s[PRODUCT] += LABEL_CUE;
    }
    let versioned = words
        .iter()
        .any(|w| w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(char::is_alphabetic))
        || (words.len() >= 2 && !year && last.chars().all(|c| c.is_ascii_digit()));
    if versioned {
        s[PRODUCT] += LABEL_CUE - 1.0;
    }
    s
}

/// Decides the type of a topic labelled `label` (as written) from
/// `evidence`: titles and sentences of the topic's items (as written, plain
/// text), most of which mention the label. `is_story`: the topic is one
/// event reported by several feeds (the label may still name a person or
/// organization). Unknown unless the cues are clear: see the constants above.
pub fn classify(label: &str, evidence: &[&str], is_story: bool) -> TopicType {
    let label_toks = tokens(label);
    let words: Vec<&str> = label_toks.iter().map(|t| t.text).collect();
    if words.is_empty() {
        return TopicType::Unknown;
    }
    let found = mentions(&words, evidence);
    if found.len() < MIN_MENTIONS {
        return TopicType::Unknown;
    }
    let label_lower = words.join(" ").to_lowercase();
    let mut scores = label_scores(&words);
    let mut context = [0.0f32; 6];
    for m in &found {
        for (c, v) in context.iter_mut().zip(context_scores(m, &label_lower)) {
            *c += v;
        }
    }
    // "Mr Wren said": news style names a person in full once, then by
    // honorific and surname.
    if (2..=3).contains(&words.len()) && words.iter().all(|w| starts_upper(w)) {
        let surname = words[words.len() - 1].to_lowercase();
        let by_surname = evidence
            .iter()
            .filter(|s| {
                let toks = tokens(s);
                toks.windows(2).any(|p| {
                    ["mr", "mrs", "ms", "dr"].contains(&p[0].text.to_lowercase().as_str())
                        && p[1].text.eq_ignore_ascii_case(&surname)
                })
            })
            .count();
        context[PERSON] += 2.0 * by_surname as f32;
    }
    for (s, c) in scores.iter_mut().zip(context) {
        *s += c / found.len() as f32 * CONTEXT_SCALE;
    }

    let cased: Vec<bool> = found.iter().filter_map(|m| m.case).collect();
    let upper = cased.iter().filter(|&&c| c).count() as f32;
    let total = cased.len() as f32;
    let label_is_name = words
        .iter()
        .any(|w| starts_upper(w) || is_acronym(w) || w.chars().any(|c| c.is_ascii_digit()));
    let named = if cased.len() >= MIN_MENTIONS {
        upper >= CASE_SHARE * total
    } else {
        label_is_name
    };
    let lower = cased.len() >= MIN_MENTIONS && total - upper >= CASE_SHARE * total;

    if is_story && !named {
        let event_head = lexicon::is_event_noun(words[words.len() - 1]);
        let verb_sentences = evidence
            .iter()
            .filter(|s| {
                s.split(|c: char| !c.is_alphanumeric())
                    .any(|w| EVENT_VERBS.contains(&w.to_lowercase().as_str()))
            })
            .count();
        return if event_head || verb_sentences >= EVENT_VERB_SENTENCES {
            TopicType::Event
        } else {
            TopicType::Unknown
        };
    }
    if lower {
        // Written in lower case: a thing people do or talk about, or an
        // event described ("airport attack"), never a proper name.
        for t in [PERSON, ORG, PLACE, PRODUCT] {
            scores[t] = 0.0;
        }
        if scores[EVENT] < LABEL_CUE {
            scores[CONCEPT] += if words.len() >= 2 {
                LABEL_CUE
            } else {
                LABEL_CUE / 2.0
            };
        }
    }
    if named {
        scores[CONCEPT] = 0.0;
    }

    let mut ranked: Vec<(usize, f32)> = scores.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let (best, top) = ranked[0];
    let second = ranked[1].1;
    if top < MIN_SCORE || top - second < MIN_MARGIN {
        return TopicType::Unknown;
    }
    TopicType::ALL[best]
}

#[cfg(test)]
mod tests {
    use super::TopicType::*;
    use super::*;

    fn check(label: &str, evidence: &[&str], is_story: bool, want: TopicType) {
        assert_eq!(classify(label, evidence, is_story), want, "{label}");
    }

    #[test]
    fn names_round_trip() {
        for t in TopicType::ALL {
            assert_eq!(TopicType::parse(t.as_str()), Some(t));
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", t.as_str())
            );
        }
        assert_eq!(TopicType::parse(" Event "), Some(Event));
        assert_eq!(TopicType::parse("thing"), None);
    }

    #[test]
    fn person_by_given_name_and_context() {
        check(
            "Patrick Ellery",
            &[
                "Patrick Ellery, 54, founded the agency in 1998.",
                "\"We never chased awards,\" said Patrick Ellery.",
                "The agency confirmed that Patrick Ellery had stepped down on Tuesday.",
                "Clients praised Patrick Ellery, who led the shop for two decades.",
            ],
            false,
            Person,
        );
    }

    #[test]
    fn musician_who_died_is_a_person() {
        check(
            "Rudy Vasquez",
            &[
                "Rudy Vasquez, the salsa bandleader, has died aged 71.",
                "Rudy Vasquez died on Sunday at his home in Miami, his family said.",
                "The musician Rudy Vasquez, who sold ten million records, toured until last year.",
                "Fans gathered outside the Havana club where Rudy Vasquez played his first show.",
            ],
            true,
            Person,
        );
    }

    #[test]
    fn footballer_jordan_is_not_the_country() {
        let pickford = [
            "Jordan Pickford saved two penalties as England beat Switzerland.",
            "\"It's the best night of my career,\" said Jordan Pickford.",
            "Jordan Pickford, 31, has kept 12 clean sheets this season.",
            "England coach Thomas Tuchel praised Jordan Pickford for his composure.",
        ];
        check("Jordan Pickford", &pickford, false, Person);
        // Every "Jordan" there is part of a longer name.
        check("Jordan", &pickford, false, Unknown);
    }

    #[test]
    fn jordan_the_country_is_a_place() {
        check(
            "Jordan",
            &[
                "Jordan's government said it had closed the border crossing with Syria.",
                "Thousands of refugees have arrived in Jordan since March.",
                "Tourism in Jordan fell sharply after the war began, and Jordanian hotels are half empty.",
                "Jordan's economy relies heavily on remittances from the Gulf.",
            ],
            false,
            Place,
        );
    }

    #[test]
    fn apple_the_company() {
        check(
            "Apple",
            &[
                "Apple said in a statement that the changes would protect user privacy.",
                "Shares in Apple fell 3% in early trading.",
                "Apple's chief executive Tim Cook told analysts the company was investing in AI.",
                "Apple reported revenue of $94.9bn for the quarter.",
            ],
            false,
            Organization,
        );
    }

    #[test]
    fn acquired_brightline_is_an_organization() {
        let evidence = [
            "Kestrel Media has acquired Brightline, a London-based influencer analytics startup.",
            "Brightline was founded in 2019 and counts Unilever among its clients.",
            "The acquisition of Brightline gives Kestrel Media first-party creator data.",
            "Brightline said in a statement it would keep its brand.",
        ];
        check("Brightline", &evidence, true, Organization);
        check("Kestrel Media", &evidence, false, Organization);
    }

    #[test]
    fn cannes_lions_is_an_event() {
        check(
            "Cannes Lions",
            &[
                "More than 15,000 delegates are expected at Cannes Lions this year.",
                "This year's Cannes Lions saw fewer agency parties and more AI demos.",
                "Brands flocked to the Croisette during Cannes Lions to court creators.",
                "Cannes Lions 2026 runs from 15 to 19 June.",
            ],
            false,
            Event,
        );
    }

    #[test]
    fn dutch_election_is_an_event() {
        let evidence = [
            "The Dutch election on Wednesday left the far right as the largest party.",
            "Polls ahead of the Dutch election showed a tight race.",
            "Turnout in the Dutch election was 78%.",
            "During the Dutch election campaign, parties spent record sums on social ads.",
        ];
        check("Dutch election", &evidence, false, Event);
        check("Dutch election", &evidence, true, Event);
    }

    #[test]
    fn google_ai_mode_is_a_product() {
        check(
            "Google AI Mode",
            &[
                "Google has expanded Google AI Mode to 180 more countries.",
                "Publishers say Google AI Mode sends them far less traffic than classic search.",
                "The new Google AI Mode answers follow-up questions in a chat-style panel.",
                "Marketers are testing how their brands appear in Google AI Mode results.",
                "Google AI Mode users can now upload images.",
            ],
            false,
            Product,
        );
    }

    #[test]
    fn lower_case_noun_phrases_are_concepts() {
        check(
            "synthetic focus groups",
            &[
                "Agencies are piloting synthetic focus groups built on large language models.",
                "Critics say synthetic focus groups flatter the brief rather than test it.",
                "Synthetic focus groups cost a fraction of a traditional panel.",
                "The rise of synthetic focus groups worries market researchers.",
            ],
            false,
            Concept,
        );
        check(
            "answer engine optimization",
            &[
                "Brands are hiring for answer engine optimization as AI search grows.",
                "What Is Answer Engine Optimization And Why Does It Matter?",
                "Most SEO teams now treat answer engine optimization as part of the job.",
            ],
            false,
            Concept,
        );
    }

    #[test]
    fn lower_case_event_phrase_is_an_event() {
        let evidence = [
            "Three people were killed in an airport attack in Lagos on Sunday.",
            "Police said the airport attack was carried out by two gunmen.",
            "Flights resumed on Monday, a day after the airport attack.",
        ];
        check("airport attack", &evidence, false, Event);
        check("airport attack", &evidence, true, Event);
    }

    #[test]
    fn stories_without_a_name() {
        check(
            "store closures",
            &[
                "The retailer announced 40 store closures across the UK on Thursday.",
                "Unions said the store closures would cost 1,200 jobs.",
                "Shops in Leeds and Bristol closed their doors for the last time as the store closures began.",
            ],
            true,
            Event,
        );
        // A story about a practice, with nothing that happened: no guess.
        check(
            "loyalty programmes",
            &[
                "Grocers are rethinking loyalty programmes as shoppers trade down.",
                "Analysts say loyalty programmes reward the customers least likely to leave.",
                "Few loyalty programmes are profitable on their own.",
            ],
            true,
            Unknown,
        );
    }

    #[test]
    fn thin_or_mixed_evidence_is_unknown() {
        check(
            "Brightline",
            &["Kestrel Media has acquired Brightline."],
            false,
            Unknown,
        );
        check(
            "Mercury",
            &[
                "Mercury was mentioned twice in the report.",
                "Analysts are watching Mercury closely.",
            ],
            false,
            Unknown,
        );
        check("Apple", &[], false, Unknown);
        check("", &["Nothing here."], false, Unknown);
    }

    #[test]
    fn label_heads_decide_budgets_and_shops() {
        check(
            "Autumn Budget",
            &[
                "Retailers want business rates cut in the Autumn Budget.",
                "Ahead of the Autumn Budget, the chancellor ruled out raising VAT.",
                "Agencies expect ad spend to slow after the Autumn Budget.",
            ],
            false,
            Event,
        );
        check(
            "TikTok Shop",
            &[
                "Beauty brands are pouring money into TikTok Shop.",
                "TikTok Shop sales in the UK doubled in the third quarter.",
                "The company rolled out TikTok Shop in Japan in June.",
            ],
            false,
            Product,
        );
    }

    #[test]
    fn survives_unicode_and_curly_quotes() {
        check(
            "São Paulo",
            &[
                "“We are growing fast in São Paulo,” said Ana Lima.",
                "São Paulo’s government approved the plan.",
                "Retail sales in São Paulo rose 4% in October.",
            ],
            false,
            Place,
        );
    }

    #[test]
    fn honorific_and_surname_name_a_person() {
        let evidence = [
            "Tobias Wren has run the agency since 2010.",
            "Clients describe Tobias Wren as blunt.",
            "Mr Wren declined to comment on the pitch.",
            "Mr. Wren said the agency would not chase awards.",
        ];
        check("Tobias Wren", &evidence, false, Person);
        check("Tobias Wren", &evidence[..2], false, Unknown);
    }

    #[test]
    fn odd_input_does_not_panic() {
        let evidence = [
            "'s ... — 🚀 AT&T’s “GPT-5” rollout, U.S. 2026!",
            "AT&T said... GPT-5 — 's",
            "",
        ];
        for label in [
            "'s",
            "...",
            "—",
            "AT&T",
            "GPT-5",
            "U.S.",
            "🚀",
            "a b c d e f g h",
        ] {
            let _ = classify(label, &evidence, true);
            let _ = classify(label, &evidence, false);
            let _ = super::super::labels::label_problem(label);
        }
    }
}
