//! The questions an item asks: sentence splitting and question detection.
//!
//! A question worth listing is a whole sentence that ends with a question
//! mark, is phrased as one (an interrogative word leads it or leads the
//! clause after a colon or an attribution), is 4 to 35 words long, and is
//! neither a marketing call to action ("Want to learn more?"), a hook aimed
//! at the reader ("Is your brand ready?"), page furniture ("Forgot your
//! password?") nor comment noise ("Anyone else seeing this??").

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

/// Words per question: shorter are fragments, longer are run-ons.
pub const MIN_WORDS: usize = 4;
pub const MAX_WORDS: usize = 35;

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "inc", "ltd", "co", "corp", "jr",
    "sr", "st", "no", "fig", "approx", "dept", "est", "u.s", "u.k", "e.u", "a.m", "p.m", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "gen",
    "gov", "sen", "rep", "ph.d", "cf", "al",
];

const INTERROGATIVES: &[&str] = &[
    "what",
    "why",
    "how",
    "when",
    "where",
    "who",
    "whom",
    "whose",
    "which",
    "is",
    "are",
    "was",
    "were",
    "do",
    "does",
    "did",
    "can",
    "could",
    "should",
    "would",
    "will",
    "shall",
    "may",
    "might",
    "must",
    "has",
    "have",
    "had",
    "isn't",
    "aren't",
    "doesn't",
    "don't",
    "didn't",
    "won't",
    "can't",
    "couldn't",
    "shouldn't",
    "wouldn't",
    "hasn't",
    "haven't",
    "wasn't",
    "weren't",
    "whether",
    "who's",
    "what's",
    "how's",
    "where's",
    "why's",
    "when's",
];

/// Openings of calls to action, sales hooks, page furniture and comment noise.
const NOT_INDUSTRY_QUESTIONS: &[&str] = &[
    // Calls to action and sales hooks.
    "want to",
    "wanna",
    "ready to",
    "ready for",
    "what are you waiting",
    "have questions",
    "have a question",
    "got questions",
    "got a question",
    "any questions",
    "questions?",
    "curious",
    "interested in",
    "why wait",
    "looking for",
    "did you enjoy",
    "did you like",
    "did you know",
    "did you find",
    "got feedback",
    "need help",
    "need more",
    "not subscribed",
    "would you like",
    "do you want",
    "are you ready",
    "what's stopping you",
    "what is stopping you",
    "why not",
    "how can we help",
    "sound familiar",
    "who's ready",
    "who is ready",
    "struggling",
    "tired of",
    "still using",
    "still struggling",
    "what if you could",
    "care to",
    "know someone",
    "like this",
    "enjoyed this",
    // Page furniture.
    "forgot your",
    "forgot password",
    "not you",
    "are you sure",
    "was this",
    "is this your",
    "is this you",
    "don't have an account",
    "did this",
    "is this helpful",
    "already have an account",
    "which plan",
    "new here",
    // Rhetorical openers: nobody expects an answer.
    "who doesn't",
    "who does not",
    "who said",
    "who says",
    "who knew",
    "what could possibly",
    "did we just",
    "isn't it time",
    "is it just me",
    "what's not to",
    "guess who",
    "guess what",
    "you won't believe",
    "what do you think",
    "thoughts",
    "what could be better",
    "what's better than",
    "what better",
    "who needs",
    "got ",
    "fancy ",
    "ever wondered",
    "ever thought",
    "can anyone",
    "anyone know",
    // Comments.
    "thanks",
    "thank you",
    "great post",
    "great article",
    "great read",
    "nice post",
    "love this",
    "awesome",
    "+1",
    "lol",
    "wait,",
    "can i get",
    "can i have",
    "can you share",
    "could you share",
    "can you send",
    "does anyone",
    "anyone else",
    "is the recording",
    "is there a recording",
    "will the slides",
    "will there be a recording",
    "where do i",
    "how do i sign",
    "how do i download",
    "when is the next webinar",
];

/// Words that mark a sales hook or call to action anywhere in the sentence.
const CALL_TO_ACTION: &[&str] = &[
    "contact us",
    "sign up",
    "subscribe",
    "subscribe to",
    "download",
    "book a",
    "book your",
    "click here",
    "click below",
    "click the",
    "free trial",
    "free demo",
    "request a demo",
    "get a demo",
    "our newsletter",
    "our team",
    "our platform",
    "our webinar",
    "our guide",
    "our report",
    "our ebook",
    "register now",
    "register today",
];

/// Splits text into sentences. Copes with abbreviations ("U.S.", "e.g."),
/// decimals, initials, and quoted questions inside a sentence ("titled
/// \"Is SEO dead?\" and drew a crowd" stays one sentence).
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut start = 0;
        let chars: Vec<(usize, char)> = para.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let (pos, c) = chars[i];
            if matches!(c, '.' | '?' | '!') {
                // Swallow runs ("?!", "...") and closing quotes/brackets.
                let mut j = i + 1;
                while j < chars.len()
                    && matches!(
                        chars[j].1,
                        '.' | '?' | '!' | '"' | '”' | '’' | '\'' | ')' | ']'
                    )
                {
                    j += 1;
                }
                let end = chars.get(j).map_or(para.len(), |(p, _)| *p);
                let next_word = para[end..].trim_start();
                let next = next_word.chars().next();
                let at_end = next.is_none();
                let starts_new = next.is_some_and(|n| {
                    n.is_uppercase()
                        || n.is_ascii_digit()
                        || matches!(n, '"' | '“' | '‘' | '(' | '[')
                });
                let is_break = at_end
                    || (starts_new
                        && chars.get(j).is_some_and(|(_, n)| n.is_whitespace())
                        && !(c == '.' && is_abbreviation(&para[start..pos], next_word)));
                if is_break {
                    let s = para[start..end].trim();
                    if !s.is_empty() {
                        out.push(s);
                    }
                    start = end;
                }
                i = j;
                continue;
            }
            let _ = pos;
            i += 1;
        }
        let rest = para[start..].trim();
        if !rest.is_empty() {
            out.push(rest);
        }
    }
    out
}

/// Does the text before a full stop end in an abbreviation or an initial?
fn is_abbreviation(before: &str, _next: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("")
        .to_lowercase();
    let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    // Single letters are initials ("J. Smith") or part of "U.S.".
    (word.chars().count() == 1 && word.chars().all(char::is_alphabetic))
        || ABBREVIATIONS.contains(&word)
}

/// A matcher for a list of word sequences, found as whole words in one
/// pass over a sentence: each is searched with a space at either end in the
/// sentence's words joined by single spaces, with a space at each end. (One
/// substring search per listed phrase was a fifth of judging a question.)
fn whole_words(list: &[&str]) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasick::new(list.iter().map(|p| format!(" {p} ")))
        .expect("a short list of plain phrases builds")
}

/// The questions in a text worth listing, in order, each once, repaired
/// where the repair is certain (see [`usable`]).
pub fn find(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Most paragraphs ask nothing; splitting them into sentences was most
    // of the cost of looking.
    if !text.contains('?') {
        return out;
    }
    for s in sentences(text) {
        if !s.contains('?') {
            continue;
        }
        if let Some(q) = usable(s)
            && !out.contains(&q)
        {
            out.push(q);
        }
    }
    out
}

/// The questions an item asks, from its title and its content paragraphs.
/// Interviews, Q&As, quizzes, TV listings and advice columns ask their
/// questions of a guest, a reader or a plot: only a title that is itself a
/// question is kept from them.
pub fn find_in_item<'a>(title: &str, paragraphs: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out = find(title);
    let paragraphs: Vec<&str> = paragraphs.into_iter().filter(|p| p.contains('?')).collect();
    if paragraphs.is_empty() || asks_of_a_person(title, &paragraphs) {
        return out;
    }
    for p in paragraphs {
        for q in find(p) {
            if !out.contains(&q) {
                out.push(q);
            }
        }
    }
    out
}

/// Title words of items whose questions are put to a guest, a reader or a
/// plot, not to the field.
#[rustfmt::skip]
const PERSONAL_FORMATS: &[&str] = &[
    "quiz", "q&a", "interview", "in conversation", "tv tonight", "on tv tonight", "what's on tv",
    "tv picks", "tv guide", "tv review", "spoilers", "soap", "crossword", "puzzle", "agony aunt",
    "ask the expert", "ask an expert", "meet the", "questions with", "60 seconds with",
    "five minutes with", "minutes with",
];

/// An interview, Q&A, quiz, listing or advice column: by its title, or by
/// a body set out as questions and answers ("Q:" and "A:" paragraphs).
fn asks_of_a_person(title: &str, paragraphs: &[&str]) -> bool {
    let t = title.to_lowercase().replace('’', "'");
    if PERSONAL_FORMATS.iter().any(|f| t.contains(f)) {
        return true;
    }
    let q_and_a = paragraphs
        .iter()
        .filter(|p| {
            let p = p.trim_start();
            ["Q:", "Q.", "Q ", "Q)", "Question:"]
                .iter()
                .any(|m| p.starts_with(m))
        })
        .count();
    q_and_a >= 2
}

/// Is this one sentence (as it stands, or repaired) a question the industry is asking?
pub fn is_industry_question(sentence: &str) -> bool {
    usable(sentence).is_some()
}

/// The open question a sentence asks, in a form a reader could pick up in
/// a discussion without the article, or `None`.
///
/// Repairs only where the fix is certain: a stray unmatched quotation mark
/// or a whole-sentence quote is unwrapped, a furniture label ("READ MORE:",
/// "OPINION:") is cut when what follows is itself a question, and a caption
/// or byline glued before the question ("Photograph: Getty Images Will…")
/// is cut. Everything else that fails a rule is dropped:
/// - broken text: mojibake, a sentence starting mid-clause or with
///   unbalanced brackets;
/// - furniture and its labels: quizzes, polls, "Have your say", numbered
///   quiz and interview questions ("Q: …", "Q3.", "1.");
/// - questions put to a person rather than the field: anything in the
///   second person ("How did you…"), first-person singular ("Why did I…"),
///   interview staples ("What was it like…");
/// - questions that need the article: a this/that/these/those, here or
///   deictic there, or a he/she/it/they with nothing before it to point at;
///   questions with fewer than two specific words ("Will the deal go ahead?");
/// - teasers and trivia: TV plots ("Who killed…"), results ("Who starred
///   for Wales?"), quiz superlatives, "…now?" hooks, schedules ("When
///   is…"), definitions ("What is the Digital Markets Act?"), service
///   explainers ("Flu jab: who is eligible?", "What are the travel
///   rules…"), rhetorical hooks; also after a short headline label;
/// - the older rules: calls to action, page furniture, comment noise.
pub fn usable(sentence: &str) -> Option<String> {
    let s = strip_stray_quotes(strip_byline_suffix(sentence.trim()));
    if is_mojibake(s) || is_broken(s) {
        return None;
    }
    let s = strip_stray_quotes(strip_furniture(s)?);
    let s = strip_stray_quotes(unglue(s));
    if is_broken(s) || !asks_the_industry(s) {
        return None;
    }
    Some(s.to_owned())
}

/// A headline question with its author or outlet after it: "Will the
/// budget fix Britain's economy? | Larry Elliott" → the question. Only a
/// short tail (six words at most) with no sentence of its own.
fn strip_byline_suffix(s: &str) -> &str {
    for sep in ["? | ", "? - ", "? – ", "? — "] {
        if let Some(i) = s.rfind(sep) {
            let tail = &s[i + sep.len()..];
            if tail.split_whitespace().count() <= 6
                && !tail.contains(['?', '.', '!'])
                && !tail.starts_with(|c: char| c.is_lowercase())
            {
                return &s[..=i];
            }
        }
    }
    s
}

/// Unwraps a sentence quoted or bracketed whole, and drops a quotation mark
/// at either end that is never matched ("“Will rates fall?" → "Will rates fall?").
fn strip_stray_quotes(s: &str) -> &str {
    let mut s = s.trim();
    loop {
        let before = s;
        for (o, c) in [
            ('"', '"'),
            ('“', '”'),
            ('‘', '’'),
            ('\'', '\''),
            ('(', ')'),
            ('[', ']'),
        ] {
            if s.chars().count() >= 2 && s.starts_with(o) && s.ends_with(c) {
                let inner = &s[o.len_utf8()..s.len() - c.len_utf8()];
                if !inner.contains(o) && !inner.contains(c) {
                    s = inner.trim();
                }
            }
        }
        if let Some(c) = s.chars().next() {
            let closer = match c {
                '"' => Some('"'),
                '“' => Some('”'),
                '‘' => Some('’'),
                '(' => Some(')'),
                '[' => Some(']'),
                _ => None,
            };
            if let Some(cl) = closer
                && !s[c.len_utf8()..].contains(cl)
            {
                s = s[c.len_utf8()..].trim_start();
            }
        }
        if let Some(c) = s.chars().last() {
            let opener = match c {
                '"' => Some('"'),
                '”' => Some('“'),
                '’' => Some('‘'),
                ')' => Some('('),
                ']' => Some('['),
                _ => None,
            };
            if let Some(op) = opener
                && !s[..s.len() - c.len_utf8()].contains(op)
            {
                s = s[..s.len() - c.len_utf8()].trim_end();
            }
        }
        if s == before {
            return s;
        }
    }
}

/// Text decoded with the wrong character set: "Ã©", "â€™", "Â£", U+FFFD.
fn is_mojibake(s: &str) -> bool {
    if s.contains('\u{FFFD}') || s.contains("â€") {
        return true;
    }
    let cp1252 = |c: char| {
        ('\u{80}'..='\u{BF}').contains(&c)
            || matches!(
                c,
                '€' | '‚'
                    | 'ƒ'
                    | '„'
                    | '…'
                    | '†'
                    | '‡'
                    | 'ˆ'
                    | '‰'
                    | 'Š'
                    | '‹'
                    | 'Œ'
                    | 'Ž'
                    | '‘'
                    | '’'
                    | '“'
                    | '”'
                    | '•'
                    | '–'
                    | '—'
                    | '˜'
                    | '™'
                    | 'š'
                    | '›'
                    | 'œ'
                    | 'ž'
                    | 'Ÿ'
            )
    };
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if matches!(c, 'Ã' | 'Â') && chars.peek().is_some_and(|&n| cp1252(n)) {
            return true;
        }
    }
    false
}

/// A broken split: starts mid-clause (lower case, punctuation, a lone
/// initial "S. who…") or leaves a bracket open.
fn is_broken(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return true;
    };
    if !(first.is_alphanumeric() || matches!(first, '"' | '“' | '‘' | '\'')) {
        return true;
    }
    let count = |c: char| s.matches(c).count();
    if count('(') != count(')') || count('[') != count(']') {
        return true;
    }
    // Furniture run into a headline: "NextImg:The Corner: What…".
    let run_in = |w: &str| {
        w.split_once(':').is_some_and(|(a, b)| {
            a.chars().last().is_some_and(char::is_alphabetic)
                && b.chars().next().is_some_and(char::is_alphabetic)
        })
    };
    if s.split_whitespace().any(run_in) {
        return true;
    }
    let mut words = s.split_whitespace();
    let w0 = words.next().unwrap_or("");
    // "S. who…": the rest of a sentence cut after an initial.
    w0.chars().count() == 2 && w0.ends_with('.') && first.is_alphabetic()
}

/// Labels that end the question's chance: whatever follows is a quiz, a
/// poll, a reader's own query, an advert or an interview question.
#[rustfmt::skip]
const FURNITURE_DROP: &[&str] = &[
    "quiz", "news quiz", "poll", "trivia", "test yourself", "puzzle", "crossword", "have your say",
    "your say", "vote", "tell us", "ask the expert", "ask the experts", "ask an expert", "ask",
    "dear", "sponsored", "promoted", "partner content", "advertiser content", "paid post",
    "paid content", "question", "reader question", "readers' questions", "you asked",
    "your questions", "mailbag", "q", "a",
];

/// Labels a page puts before a headline: cut them, and judge what follows.
#[rustfmt::skip]
const FURNITURE_STRIP: &[&str] = &[
    "read more", "read more here", "more", "related", "related stories", "related story",
    "related article", "see also", "also read", "read also", "recommended", "most read",
    "must read", "don't miss", "trending", "top stories", "opinion", "analysis", "comment",
    "commentary", "column", "editorial", "explainer", "explained", "fact check", "in depth",
    "the long read", "long read", "perspective", "watch", "watch live", "listen", "video",
    "podcast", "live", "live updates", "breaking", "breaking news", "exclusive", "update",
    "updated", "advertisement", "in pictures", "q&a", "faq", "the big question", "big question",
    "feature", "interview", "review", "preview", "letters", "newsletter",
];

/// The text after a label ("READ MORE: x", "Opinion | x", "WATCH x"), if `s`
/// starts with that label.
fn after_label<'a>(s: &'a str, label: &str) -> Option<&'a str> {
    let head = s.get(..label.len())?;
    if !head.eq_ignore_ascii_case(label) {
        return None;
    }
    let rest = &s[label.len()..];
    let trimmed = rest.trim_start();
    if let Some(r) = trimmed.strip_prefix(':') {
        return Some(r.trim_start());
    }
    for d in ["- ", "– ", "— ", "| "] {
        if rest.starts_with(' ')
            && let Some(r) = trimmed.strip_prefix(d)
        {
            return Some(r.trim_start());
        }
    }
    // An upper-case label run into the headline: "WATCH Will…".
    if label.len() >= 4
        && head.chars().all(|c| !c.is_lowercase())
        && rest.starts_with(' ')
        && trimmed.chars().next().is_some_and(char::is_uppercase)
    {
        return Some(trimmed);
    }
    None
}

/// Cuts furniture labels, or `None` when the label says the rest is not
/// the field's question (a quiz, a poll, "Q:", a numbered list item).
fn strip_furniture(mut s: &str) -> Option<&str> {
    loop {
        // Numbered quiz and interview items: "Q:", "Q3.", "Question 4:", "1)".
        let w0 = s.split_whitespace().next().unwrap_or("");
        let core = w0.trim_end_matches([':', '.', ')']);
        let numbered = core.chars().all(|c| c.is_ascii_digit()) && !core.is_empty();
        let q_numbered = (core.starts_with('Q') || core.starts_with("Question"))
            && core
                .trim_start_matches("Question")
                .trim_start_matches('Q')
                .chars()
                .all(|c| c.is_ascii_digit());
        if w0 != core && (numbered || q_numbered) {
            return None;
        }
        let w1 = s.split_whitespace().nth(1).unwrap_or("");
        let w1_number = !w1.is_empty()
            && w1
                .chars()
                .all(|c| c.is_ascii_digit() || c == ':' || c == '.');
        if w0 == "Q" || (w0 == "Question" && w1_number) {
            return None;
        }
        if FURNITURE_DROP.iter().any(|l| after_label(s, l).is_some()) {
            return None;
        }
        // A longer label before a colon: "Weekly news quiz: …", "Read more
        // from Sky News: …".
        if let Some((head, rest)) = s.split_once(": ")
            && head.split_whitespace().count() <= 5
        {
            let head = head.to_lowercase();
            if ["quiz", "poll", "trivia", "crossword", "puzzle"]
                .iter()
                .any(|w| head.split_whitespace().any(|h| h == *w))
            {
                return None;
            }
            if head.starts_with("read more") || head.starts_with("more from") {
                s = rest.trim_start();
                continue;
            }
        }
        match FURNITURE_STRIP.iter().find_map(|l| after_label(s, l)) {
            Some(rest) if !rest.is_empty() => s = rest,
            _ => return Some(s),
        }
    }
}

/// Captions, credits and bylines that get glued before a headline.
#[rustfmt::skip]
const CAPTION_MARKERS: &[&str] = &[
    "getty", "reuters", "afp", "associated press", "ap photo", "pa media", "pa wire", "epa",
    "shutterstock", "alamy", "photo", "image", "picture", "pictured", "credit", "courtesy",
    "illustration", "by ", "updated", "published", " ago", "min read", "minute read",
];

/// Words that open a question, as they are capitalised at its start.
const CAPITAL_OPENERS: &[&str] = &[
    "What", "Why", "How", "When", "Where", "Who", "Which", "Will", "Can", "Could", "Should",
    "Would", "Is", "Are", "Does", "Do", "Did", "Has", "Have",
];

/// Cuts a caption, credit or byline glued before the question
/// ("Photograph: Getty Images Will the Fed cut rates?"). Only when the text
/// before the question is recognisably one; otherwise leaves it whole.
fn unglue(s: &str) -> &str {
    if starts_with_interrogative(&s.to_lowercase()) {
        return s;
    }
    let lower = s.to_ascii_lowercase();
    for (i, _) in s.match_indices(' ') {
        let rest = &s[i + 1..];
        let word = rest
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if CAPITAL_OPENERS.contains(&word) {
            let before = &lower[..i];
            if !before.ends_with([',', ':', ';', '—', '–', '-'])
                && CAPTION_MARKERS.iter().any(|m| before.contains(m))
            {
                return rest;
            }
            break;
        }
    }
    s
}

fn starts_with_interrogative(lower: &str) -> bool {
    lower
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .next()
        .is_some_and(|w| INTERROGATIVES.contains(&w))
}

/// Words that carry no subject of their own: articles, pronouns,
/// auxiliaries, prepositions, conjunctions, interrogatives. A personal
/// pronoun with only these before it points outside the sentence.
#[rustfmt::skip]
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "so", "yet", "for", "of", "to", "in", "on", "at",
    "by", "with", "from", "into", "onto", "about", "above", "after", "against", "along", "among",
    "around", "as", "before", "behind", "below", "beside", "between", "beyond", "during", "except",
    "inside", "near", "off", "out", "outside", "over", "past", "per", "since", "than", "through",
    "till", "toward", "towards", "under", "until", "up", "upon", "via", "within", "without", "vs",
    "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "doing", "done",
    "have", "has", "had", "having", "will", "would", "shall", "should", "can", "could", "may",
    "might", "must", "ought", "isn", "aren", "wasn", "weren", "don", "doesn", "didn", "haven",
    "hasn", "hadn", "won", "wouldn", "shouldn", "cannot", "couldn", "mightn", "mustn", "needn",
    "ain", "what", "why", "how", "when", "where", "who", "whom", "whose", "which", "whether",
    "whatever", "whoever", "however", "not", "no", "yes", "if", "then", "else", "also", "too",
    "very", "just", "only", "even", "ever", "never", "still", "again", "already", "really",
    "actually", "now", "here", "there", "this", "that", "these", "those", "such", "it", "its",
    "itself", "they", "them", "their", "theirs", "themselves", "he", "him", "his", "himself",
    "she", "her", "hers", "herself", "we", "us", "our", "ours", "ourselves", "i", "me", "my",
    "mine", "myself", "you", "your", "yours", "yourself", "one", "ones", "some", "any", "all",
    "each", "every", "both", "either", "neither", "few", "many", "much", "more", "most", "less",
    "least", "other", "another", "same", "own", "several", "enough", "let", "anyone", "anybody",
    "anything", "someone", "somebody", "something", "everyone", "everybody", "everything",
    "nobody", "nothing", "like", "s", "t",
];

/// Content words too vague to name a subject on their own: "Will the deal
/// go ahead?" asks about a deal only the article names.
#[rustfmt::skip]
const GENERIC_WORDS: &[&str] = &[
    "thing", "things", "stuff", "way", "ways", "lot", "lots", "people", "person", "man", "woman",
    "men", "women", "guy", "guys", "time", "times", "day", "days", "year", "years", "week",
    "weeks", "world", "life", "deal", "plan", "plans", "move", "company", "firm", "business",
    "report", "study", "decision", "bill", "scheme", "policy", "change", "changes", "ban",
    "strike", "case", "club", "team", "show", "film", "book", "album", "game", "match",
    "situation", "issue", "issues", "problem", "problems", "idea", "ideas", "story", "news",
    "answer", "question", "questions", "point", "end", "future", "next", "last", "first", "new",
    "old", "big", "good", "bad", "better", "best", "worse", "worst", "right", "wrong", "real",
    "true", "happen", "happens", "happened", "happening", "go", "goes", "going", "went", "gone",
    "come", "comes", "coming", "came", "get", "gets", "getting", "got", "make", "makes", "making",
    "made", "take", "takes", "taking", "took", "mean", "means", "meant", "think", "thinks", "know",
    "knows", "knew", "say", "says", "said", "see", "sees", "saw", "look", "looks", "want", "wants",
    "need", "needs", "work", "works", "keep", "keeps", "continue", "stop", "start", "matter",
    "matters", "kind", "sort", "part", "place", "side", "hold", "holds", "help", "use", "find",
    "give", "tell", "ask", "asked", "try", "feel", "seem", "become", "becomes", "leave", "put",
    "call", "turn", "run", "set", "ahead", "back", "away", "well", "possible", "likely", "sure",
    "clear", "long", "short", "high", "low", "able", "okay", "ok", "left", "win", "wins", "won",
    "lose", "loses", "winner", "winners", "loser", "losers", "risk", "risks", "catch", "odds",
    "deal", "outcome", "result", "results", "difference", "everyone", "top", "tier", "worth",
    "enough", "fair", "late", "early", "soon", "over", "done", "finally", "anyway", "exactly",
    "happy", "hard", "easy", "wise", "smart", "sequel", "original", "live", "currently", "exist",
    "exists", "existing", "today", "tomorrow", "yesterday", "tonight", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday",
];

/// Words after this/that/these that make it a time, not a pointer.
#[rustfmt::skip]
const TIME_WORDS: &[&str] = &[
    "year", "years", "week", "weeks", "month", "months", "season", "summer", "winter", "spring",
    "autumn", "fall", "quarter", "weekend", "morning", "afternoon", "evening", "time", "decade",
    "century", "christmas", "holiday", "cycle", "election", "days", "term", "half", "financial",
    "fiscal", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
];

/// Television plots and reality shows: trivia, not the field's questions.
#[rustfmt::skip]
const TV_WORDS: &[&str] = &[
    "episode", "episodes", "finale", "spoiler", "spoilers", "storyline", "soap", "contestant",
    "contestants", "housemate", "housemates", "islander", "islanders", "eastenders", "emmerdale",
    "corrie", "hollyoaks", "neighbours", "love island", "bake off", "big brother",
    "coronation street", "strictly come dancing", "the traitors", "plot twist", "characters",
];

/// Is this (stripped, repaired) sentence a question the field is asking?
fn asks_the_industry(s: &str) -> bool {
    if !s.ends_with('?') || s.ends_with("??") || s.contains("?!") || s.contains("!?") {
        return false;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() < MIN_WORDS || words.len() > MAX_WORDS {
        return false;
    }
    // Shouting and lower-case chatter are not trade-press questions.
    let first_char = s.chars().next().unwrap_or(' ');
    if first_char.is_lowercase() {
        return false;
    }
    let mut lower = s.to_lowercase();
    // Each replacement copies the sentence: only where it has something to do.
    for (from, to) in [("’", "'"), ("i.e.", "ie"), ("e.g.", "eg")] {
        if lower.contains(from) {
            lower = lower.replace(from, to);
        }
    }
    if NOT_INDUSTRY_QUESTIONS.iter().any(|p| lower.starts_with(p)) {
        return false;
    }
    // Lower-case words, apostrophes kept ("what's", "can't").
    let w: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    let padded = format!(" {} ", w.join(" "));
    static SALES_HOOKS: LazyLock<AhoCorasick> = LazyLock::new(|| whole_words(CALL_TO_ACTION));
    static TELEVISION: LazyLock<AhoCorasick> = LazyLock::new(|| whole_words(TV_WORDS));
    if SALES_HOOKS.is_match(&padded) {
        return false;
    }
    if lower.contains("http") || lower.contains("www.") {
        return false;
    }
    // Base forms: "it's" → "it", "you're" → "you", "don't" → "don".
    let base: Vec<&str> = w
        .iter()
        .map(|t| t.split('\'').next().unwrap_or(t))
        .collect();
    // Put to the reader or to a guest ("Is your brand ready?", "How did you
    // go from there to stand-up comedy?"), or a commenter asking for
    // themselves ("Can I get the deck?").
    if base.iter().any(|t| {
        matches!(
            *t,
            "i" | "me" | "my" | "myself" | "your" | "yours" | "yourself" | "ya"
        )
    }) {
        return false;
    }
    // A parent's or a household's own question: "Is it safe to vaccinate our child?"
    if base.windows(2).any(|p| {
        p[0] == "our"
            && matches!(
                p[1],
                "child"
                    | "children"
                    | "kids"
                    | "son"
                    | "daughter"
                    | "baby"
                    | "family"
                    | "home"
                    | "house"
            )
    }) {
        return false;
    }
    if base.iter().any(|t| matches!(*t, "you" | "yourselves")) && !generic_you(&base) {
        return false;
    }
    if TELEVISION.is_match(&padded) {
        return false;
    }
    // A headline's label names the subject, and the question after it may
    // still be a look-up or a teaser: "Flu jab 2026: who is eligible?". A
    // one-word answer to a label ("Driverless cars: who is liable?") is
    // open, not a definition.
    let words_of = |clause: &str| -> (Vec<String>, Vec<String>) {
        let w: Vec<String> = clause
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let base = w
            .iter()
            .map(|t| t.split('\'').next().unwrap_or(t).to_owned())
            .collect();
        (w, base)
    };
    let label_lookup = match lower.split_once(": ") {
        Some((head, rest)) if head.split_whitespace().count() <= 6 => {
            let (w, base) = words_of(rest);
            let base: Vec<&str> = base.iter().map(String::as_str).collect();
            let one_word_answer = base.len() == 3 && !matches!(base[2], "it" | "they");
            !w.is_empty()
                && ((!one_word_answer && is_lookup(&base, w[0].ends_with("'s")))
                    || is_teaser(&base))
        }
        _ => false,
    };
    // So may the question after a scene-setting clause: "Several
    // Australians starred on Saturday, but who stood up…?".
    let turn_teaser = [", but ", " - so ", " – so ", ", so "]
        .iter()
        .find_map(|sep| lower.rsplit_once(sep).map(|(_, rest)| rest))
        .is_some_and(|rest| {
            let (_, base) = words_of(rest);
            let base: Vec<&str> = base.iter().map(String::as_str).collect();
            is_teaser(&base)
        });
    let clause_lookup = label_lookup || turn_teaser;
    if clause_lookup
        || is_lookup(&base, w.first().is_some_and(|t| t.ends_with("'s")))
        || needs_the_article(&base)
        || specific_words(&base) < 2
        || points_back_with_the(s, &base)
        || quotes_a_reader(&base)
        || is_rhetorical(&base)
        || is_teaser(&base)
    {
        return false;
    }
    interrogative_clause(&lower)
}

/// The practitioner's impersonal "you": "How do you measure brand lift on a
/// platform that refuses verification?" asks the field; "How do you feel…",
/// "How did you…" and "Do you think…" ask one person.
fn generic_you(base: &[&str]) -> bool {
    let personal = [
        "think", "feel", "see", "know", "rate", "describe", "explain", "decide", "remember",
        "manage", "cope", "handle", "deal", "balance", "find", "get", "go", "stay", "keep", "like",
        "want", "plan", "hope", "expect", "say", "mean", "choose", "prepare", "relax", "spend",
        "start", "come", "react", "respond",
    ];
    base.len() >= 4
        && base[0] == "how"
        && matches!(base[1], "do" | "can")
        && base[2] == "you"
        && !personal.contains(&base[3])
        && base[3..].iter().all(|t| *t != "you")
        && specific_words(base) >= 3
}

/// Interview staples, schedules and definitions: questions with one
/// person's or one reference book's answer, not an open one.
fn is_lookup(base: &[&str], w0_contracted: bool) -> bool {
    let at = |i: usize| base.get(i).copied().unwrap_or("");
    // "What was it like…", "How does it feel…"
    if matches!((at(0), at(2), at(3)), ("what", "it", "like"))
        || (at(0) == "how" && at(2) == "it" && at(3) == "feel")
    {
        return true;
    }
    // "When is the next Fed meeting?", "What time is the match on?"
    if at(0) == "when" && matches!(at(1), "is" | "are" | "was" | "were" | "does" | "do" | "did") {
        return true;
    }
    if at(0) == "what" && matches!(at(1), "time" | "date" | "channel" | "day") {
        return true;
    }
    // "What is the Digital Markets Act?", "Who is Kevin Warsh?": a definition.
    let rest = match (at(0), at(1)) {
        ("what" | "who", "is" | "are" | "was" | "were") => Some(&base[2..]),
        ("what" | "who", _) if w0_contracted => Some(&base[1..]),
        _ => None,
    };
    if let Some(rest) = rest {
        let rest = match rest.first() {
            Some(&("a" | "an" | "the")) => &rest[1..],
            _ => rest,
        };
        if rest.len() <= 3 {
            return true;
        }
    }
    // "Long Covid: what is it and what are the symptoms?"
    if at(0) == "what"
        && matches!(at(1), "is" | "are")
        && matches!(at(2), "it" | "they")
        && matches!(at(3), "" | "and")
    {
        return true;
    }
    // An explainer's headline: "What is the energy price cap and why is it
    // rising?" defines a short subject, then asks what the piece answers.
    if matches!((at(0), at(1)), ("what" | "who", "is" | "are"))
        && let Some(and) = base.iter().take(7).position(|t| *t == "and")
        && and >= 3
        && INTERROGATIVES.contains(&at(and + 1))
    {
        return true;
    }
    // Service explainers: "What are the travel rules for Spain?", "Budget:
    // what's in it for renters?", "Who is eligible for a free flu jab?".
    if at(0) == "what" {
        let from = if w0_contracted { 1 } else { 2 };
        let verb_ok = w0_contracted || matches!(at(1), "is" | "are" | "was" | "were");
        if verb_ok && at(from) == "in" {
            return true;
        }
        if verb_ok
            && base
                .iter()
                .skip(from)
                .take(4)
                .take_while(|t| !matches!(**t, "of" | "for" | "to" | "in" | "on" | "and"))
                .any(|t| SERVICE_NOUNS.contains(t))
        {
            return true;
        }
    }
    if at(0) == "who"
        && (base[1..].iter().take(2).any(|t| *t == "eligible")
            || matches!(at(1), "qualifies" | "qualify")
            || (at(1) == "can" && matches!(at(2), "get" | "claim" | "apply")))
    {
        return true;
    }
    // Two look-ups in one headline: "How much does the new phone cost and
    // when does it go on sale?". "Who gains and who loses…?" and "Will
    // rates fall, and when?" stay: they ask for a judgement.
    let second_lookup = base.windows(4).any(|w| {
        w[0] == "and"
            && (matches!(w[1], "when" | "where") || (w[1] == "how" && w[2] == "much"))
            && FUNCTION_WORDS.contains(&w[2])
    });
    if INTERROGATIVES.contains(&at(0)) && second_lookup {
        return true;
    }
    // Whereabouts: "Where is the missing yachtsman Tom Brereton?"; "Where
    // are house prices falling?" asks about a trend.
    if at(0) == "where"
        && matches!(at(1), "is" | "are" | "was" | "were")
        // An -ing word after an article is an adjective ("the missing
        // yachtsman"); elsewhere it is the verb of a trend.
        && !(2..base.len()).any(|i| {
            (base[i].ends_with("ing") && !matches!(base[i - 1], "the" | "a" | "an"))
                || matches!(base[i], "now" | "next")
        })
    {
        return true;
    }
    // Guides: "Where to eat in Sydney this weekend?", "How to claim…?"
    if matches!(at(0), "where" | "how" | "what" | "which" | "when") && at(1) == "to" {
        return true;
    }
    // Reviews and forecasts: "Is Squid Game worth watching?", "Is it going
    // to rain this weekend?"
    // "worth buying now that budgets flow elsewhere" weighs a market, so
    // the verdict must close the question or come with a place.
    let review = (0..base.len().saturating_sub(1)).any(|i| {
        base[i] == "worth"
            && matches!(
                base[i + 1],
                "watching" | "reading" | "buying" | "seeing" | "visiting" | "playing" | "it"
            )
            && matches!(base.get(i + 2).copied(), None | Some("in" | "on" | "at"))
    });
    if review || base.windows(2).any(|p| p == ["the", "hype"]) {
        return true;
    }
    if base.contains(&"it") && base.iter().any(|t| matches!(*t, "rain" | "snow")) {
        return true;
    }
    // "How does the new state pension work?"
    if at(0) == "how"
        && matches!(at(1), "does" | "do")
        && base.last() == Some(&"work")
        && base.len() <= 8
    {
        return true;
    }
    false
}

/// Nouns a service explainer lists: the answer is a fact sheet, not a debate.
#[rustfmt::skip]
const SERVICE_NOUNS: &[&str] = &[
    "rules", "guidance", "restrictions", "requirements", "symptoms", "facts", "dates", "details",
    "timings", "times", "prices", "fees", "options", "deadlines", "steps", "accusations",
    "allegations", "charges",
];

/// Teasers with one answer the article or the programme gives: results
/// ("Who starred for Wales?", "Who was sent home from the jungle?"), plots
/// ("Who killed the vicar…?", "Will Kat finally tell Alfie the truth…?"),
/// quiz trivia ("Which country has the longest coastline?"), and "…now?"
/// hooks that name almost nothing ("So where does the club go now?").
fn is_teaser(base: &[&str]) -> bool {
    let at = |i: usize| base.get(i).copied().unwrap_or("");
    // "Who will be eliminated from Strictly this weekend?"
    if at(0) == "who"
        && matches!(at(1), "will" | "could" | "might")
        && at(2) == "be"
        && matches!(
            at(3),
            "eliminated" | "voted" | "sent" | "crowned" | "evicted"
        )
    {
        return true;
    }
    if at(0) == "who"
        && (matches!(
            at(1),
            "killed"
                | "murdered"
                | "shot"
                | "poisoned"
                | "starred"
                | "impressed"
                | "flopped"
                | "shone"
                | "scored"
                | "stood"
                | "left"
                | "went"
        ) || (matches!(at(1), "was" | "were")
            && matches!(at(2), "sent" | "voted" | "eliminated")))
    {
        return true;
    }
    // Fixtures and results: "Who wins the title?", "Who won Strictly?".
    if at(0) == "who"
        && matches!(at(1), "wins" | "won" | "win")
        && (at(2) != "the"
            || base.iter().skip(3).take(4).any(|t| {
                matches!(
                    *t,
                    "title"
                        | "league"
                        | "cup"
                        | "race"
                        | "final"
                        | "match"
                        | "game"
                        | "trophy"
                        | "award"
                        | "derby"
                        | "series"
                        | "tournament"
                        | "championship"
                )
            }))
        && !matches!(at(2), "from" | "and" | "or" | "when" | "if")
    {
        return true;
    }
    let joined = format!(" {} ", base.join(" "));
    if [
        " the truth about ",
        " finally tell ",
        " finally confess ",
        " get back together ",
        " the killer ",
    ]
    .iter()
    .any(|p| joined.contains(p))
    {
        return true;
    }
    const SUPERLATIVES: &[&str] = &[
        "most", "longest", "largest", "biggest", "highest", "oldest", "tallest", "first",
        "fastest", "smallest", "deepest", "youngest",
    ];
    if at(0) == "which"
        && let Some(v) = base
            .iter()
            .take(5)
            .position(|t| matches!(*t, "has" | "have" | "had" | "is" | "was"))
        && at(v + 1) == "the"
        && SUPERLATIVES.contains(&at(v + 2))
    {
        return true;
    }
    base.last() == Some(&"now") && specific_words(base) < 3
}

/// Does the question point outside itself: a this/these/those, a
/// demonstrative that, here or a deictic there, or a personal pronoun with
/// nothing before it that it could stand for?
fn needs_the_article(base: &[&str]) -> bool {
    let function = |t: &str| FUNCTION_WORDS.contains(&t);
    for (i, &t) in base.iter().enumerate() {
        let prev = if i > 0 { base[i - 1] } else { "" };
        let next = base.get(i + 1).copied().unwrap_or("");
        let dangling = match t {
            "this" | "these" => !TIME_WORDS.contains(&next),
            "those" => !matches!(
                next,
                "who"
                    | "whose"
                    | "which"
                    | "that"
                    | "with"
                    | "of"
                    | "in"
                    | "on"
                    | "at"
                    | "for"
                    | "without"
            ),
            "that" => {
                (i == 0 || function(prev) || prev == "like")
                    && !matches!(
                        prev,
                        "so" | "now"
                            | "it"
                            | "such"
                            | "except"
                            | "anything"
                            | "something"
                            | "everything"
                            | "nothing"
                            | "anyone"
                            | "someone"
                            | "everyone"
                            | "one"
                            | "ones"
                            | "those"
                            | "all"
                            | "much"
                            | "more"
                            | "less"
                            | "any"
                            | "than"
                    )
                    && !TIME_WORDS.contains(&next)
            }
            // "Is AI here to stay?" and "embryo screening is here" name what is here.
            "here" => {
                !(next == "to" && base.get(i + 2) == Some(&"stay"))
                    && (i < 2 || !matches!(prev, "is" | "are"))
            }
            "there" => matches!(
                prev,
                "from"
                    | "to"
                    | "get"
                    | "go"
                    | "going"
                    | "gone"
                    | "got"
                    | "out"
                    | "back"
                    | "in"
                    | "stay"
                    | "live"
                    | "living"
                    | "move"
                    | "moved"
                    | "moving"
                    | "arrive"
                    | "arrived"
                    | "over"
            ),
            "it" | "its" | "itself" | "they" | "them" | "their" | "themselves" | "he" | "him"
            | "his" | "himself" | "she" | "her" | "hers" | "herself" => {
                let expletive = t == "it"
                    && base[i + 1..]
                        .iter()
                        .take(6)
                        .any(|x| matches!(*x, "to" | "that" | "whether"));
                !expletive && base[..i].iter().all(|x| function(x))
            }
            _ => false,
        };
        if dangling {
            return true;
        }
    }
    false
}

/// Nouns that, after "the" and with no name anywhere in the question,
/// point back into the article: "Will the council listen this time?",
/// "Is the prize worth a year of regulatory limbo?". "The workforce" or
/// "the economy" name something everybody knows; these need the story.
const POINTING_NOUNS: &[&str] = &[
    "deal",
    "plan",
    "plans",
    "move",
    "decision",
    "council",
    "party",
    "prize",
    "upgrade",
    "upgrades",
    "audit",
    "audits",
    "company",
    "firm",
    "group",
    "scheme",
    "project",
    "proposal",
    "policy",
    "change",
    "changes",
    "rule",
    "rules",
    "ruling",
    "report",
    "bill",
    "case",
    "club",
    "team",
    "idea",
    "product",
    "brand",
    "board",
    "agency",
    "site",
    "app",
    "platform",
    "service",
    "tool",
    "feature",
    "campaign",
    "pilot",
    "trial",
    "talks",
    "offer",
    "bid",
    "pledge",
    "promise",
    "strategy",
    "launch",
    "result",
    "results",
    "vote",
    "merger",
    "acquisition",
    "review",
    "study",
    "survey",
    "investigation",
    "inquiry",
    "claim",
    "claims",
    "figures",
    "numbers",
    "data",
    "findings",
    // People a report is about: "How did the pair meet?".
    "pair",
    "couple",
    "duo",
    "star",
    "singer",
    "actor",
    "actress",
    "victim",
    "victims",
    "suspect",
    "suspects",
    "family",
    "driver",
    "player",
    "boy",
    "girl",
    // Events a report is about: "Was the collision avoidable?".
    "crash",
    "collision",
    "accident",
    "incident",
    "attack",
    "blaze",
    "fire",
    "verdict",
    "payments",
    "affair",
    "row",
    "scandal",
    "match",
    "game",
    "episode",
    "show",
    "series",
    "event",
    "meeting",
    "speech",
    "video",
    "photo",
    "photograph",
    "partnership",
    "programme",
    "program",
    "fund",
];

/// "the <noun>" pointing back into the article, in a question that names
/// nothing (no capitalised word after the first).
fn points_back_with_the(s: &str, base: &[&str]) -> bool {
    let named = s.split_whitespace().skip(1).any(|w| {
        w.trim_start_matches(['"', '“', '('])
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    });
    if named {
        return false;
    }
    (1..base.len()).any(|i| {
        base[i - 1] == "the"
            && POINTING_NOUNS.contains(&base[i])
            // "the plan to …", "the deal between …" say which one.
            && !matches!(
                base.get(i + 1).copied(),
                Some("of" | "to" | "for" | "between" | "with" | "on" | "that" | "which")
            )
    })
}

/// A reader's or client's question quoted by the article: "Jane Kirby from
/// Leeds asks: …", "One reader asks: …".
fn quotes_a_reader(base: &[&str]) -> bool {
    base.iter()
        .take(7)
        .position(|t| matches!(*t, "asks" | "writes" | "wonders"))
        .is_some_and(|i| i >= 1)
}

/// A yes-or-no question with "really" argues rather than asks: "Is Britain
/// really less capable than Switzerland?".
fn is_rhetorical(base: &[&str]) -> bool {
    let yes_no = base.first().is_some_and(|w| {
        matches!(
            *w,
            "is" | "are"
                | "was"
                | "were"
                | "do"
                | "does"
                | "did"
                | "can"
                | "could"
                | "should"
                | "would"
                | "has"
                | "have"
                | "isn"
                | "aren"
                | "doesn"
                | "don"
        )
    });
    yes_no && base.contains(&"really")
}

/// Words that name something: neither function words nor vague ones.
fn specific_words(base: &[&str]) -> usize {
    // A set, not the lists: two scans of two hundred words for each word
    // of each question showed in ingest profiles.
    static VAGUE: LazyLock<rustc_hash::FxHashSet<&str>> = LazyLock::new(|| {
        FUNCTION_WORDS
            .iter()
            .chain(GENERIC_WORDS)
            .copied()
            .collect()
    });
    base.iter()
        .filter(|t| t.chars().count() >= 2 && !VAGUE.contains(*t))
        .count()
}

/// An interrogative word leads the sentence, or the clause after a colon,
/// a dash or an attribution ("…, asked one CMO, why should we…").
fn interrogative_clause(lower: &str) -> bool {
    let starts = |clause: &str| {
        clause
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .next()
            .is_some_and(|w| INTERROGATIVES.contains(&w))
    };
    if starts(lower) {
        return true;
    }
    // "So, what…", "But how…", "And why…"
    let mut it = lower.split_whitespace();
    if let (Some(first), Some(second)) = (it.next(), it.next())
        && matches!(
            first.trim_end_matches(','),
            "so" | "but" | "and" | "then" | "now" | "yet" | "or"
        )
        && INTERROGATIVES
            .contains(&second.trim_matches(|c: char| !c.is_alphanumeric() && c != '\''))
    {
        return true;
    }
    // "The question is what publishers do…", "The question now is: will…"
    for lead in [
        "question is ",
        "question now is ",
        "question remains ",
        "questions are ",
    ] {
        if let Some((_, rest)) = lower.split_once(lead)
            && starts(rest)
            && rest.split_whitespace().count() >= 3
        {
            return true;
        }
    }
    for sep in [": ", " — ", " – ", " - ", ", "] {
        if let Some((_, rest)) = lower.rsplit_once(sep) {
            // "Embryo screening is here, but is it ethical?"
            let rest = ["but ", "and ", "so ", "yet ", "or "]
                .iter()
                .find_map(|c| rest.strip_prefix(c))
                .unwrap_or(rest);
            if starts(rest) && rest.split_whitespace().count() >= 3 {
                return true;
            }
        }
    }
    false
}

/// A normalised form for grouping near-identical questions across feeds.
pub fn normalise(q: &str) -> String {
    q.to_lowercase()
        .replace('’', "'")
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Token overlap (Jaccard) of two normalised questions.
pub fn similarity(a: &str, b: &str) -> f64 {
    use std::collections::HashSet;
    let sa: HashSet<&str> = a.split(' ').collect();
    let sb: HashSet<&str> = b.split(' ').collect();
    let inter = sa.intersection(&sb).count() as f64;
    let union = sa.union(&sb).count() as f64;
    if union == 0.0 { 0.0 } else { inter / union }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences_around_abbreviations_and_quotes() {
        let s = sentences(
            "The U.S. market grew 3.5% in Q3. Will the U.S. bill, e.g. the Senate draft, change consent? Her talk was titled \"Is SEO dead?\" and drew a crowd. Dr. Patel agreed.",
        );
        assert_eq!(
            s,
            vec![
                "The U.S. market grew 3.5% in Q3.",
                "Will the U.S. bill, e.g. the Senate draft, change consent?",
                "Her talk was titled \"Is SEO dead?\" and drew a crowd.",
                "Dr. Patel agreed.",
            ]
        );
    }

    #[test]
    fn finds_real_questions_and_skips_boilerplate() {
        let text = "Is SEO dead in the age of AI Mode?\n\nWant to learn more? Have questions? Contact us today. How will retailers measure conversions when an agent does the buying? Why now? Is your brand ready for 2026?";
        assert_eq!(
            find(text),
            vec![
                "Is SEO dead in the age of AI Mode?",
                "How will retailers measure conversions when an agent does the buying?"
            ]
        );
        assert!(is_industry_question(
            "Retail media: is the boom already over?"
        ));
        assert!(is_industry_question(
            "Why, asked one CMO, should we pay for reach we can't verify?"
        ));
        assert!(!is_industry_question("Anyone else seeing this issue??"));
    }
}
