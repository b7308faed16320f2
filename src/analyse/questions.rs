//! The questions an item asks: sentence splitting and question detection.
//!
//! A question worth listing is a whole sentence that ends with a question
//! mark, is phrased as one (an interrogative word leads it or leads the
//! clause after a colon or an attribution), is 4 to 35 words long, and is
//! neither a marketing call to action ("Want to learn more?"), a hook aimed
//! at the reader ("Is your brand ready?"), page furniture ("Forgot your
//! password?") nor comment noise ("Anyone else seeing this??").

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

/// The questions in a text worth listing, in order, each once.
pub fn find(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Most paragraphs ask nothing; splitting them into sentences was most
    // of the cost of looking.
    if !text.contains('?') {
        return out;
    }
    for s in sentences(text) {
        if is_industry_question(s) && !out.iter().any(|q| q == s) {
            out.push(s.to_owned());
        }
    }
    out
}

/// Is this one sentence a question the industry is asking?
pub fn is_industry_question(sentence: &str) -> bool {
    let s = sentence
        .trim()
        .trim_start_matches(['"', '“', '‘', '\'', '(', '['])
        .trim_end_matches(['"', '”', '’', '\'', ')', ']']);
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
    let lower = s.to_lowercase().replace('’', "'");
    if NOT_INDUSTRY_QUESTIONS.iter().any(|p| lower.starts_with(p)) {
        return false;
    }
    let padded = format!(
        " {} ",
        lower
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    );
    if CALL_TO_ACTION
        .iter()
        .any(|p| padded.contains(&format!(" {p} ")))
    {
        return false;
    }
    if lower.contains("http") || lower.contains("www.") {
        return false;
    }
    // Questions put to the reader ("Is your team ready?", "Should you…?",
    // "Have you tried…?") sell; questions about the industry ask.
    let w: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    if w.len() >= 2
        && INTERROGATIVES.contains(&w[0])
        && matches!(w[1], "you" | "your" | "you're" | "ya" | "u")
    {
        return false;
    }
    // "Which plan is right for you?": ends on the reader.
    if w.last()
        .is_some_and(|l| matches!(*l, "you" | "your" | "yours" | "yourself"))
    {
        return false;
    }
    // The question after a comma speaks to the reader ("Thanks, do you have the deck?").
    for (i, _) in lower.match_indices(", ") {
        let r: Vec<&str> = lower[i + 2..].split_whitespace().take(2).collect();
        if r.len() == 2
            && INTERROGATIVES.contains(&r[0])
            && matches!(r[1], "you" | "your" | "you're")
        {
            return false;
        }
    }
    if w.iter().take(4).any(|x| matches!(*x, "i" | "me" | "my")) {
        // First-person questions are commenters asking for themselves.
        return false;
    }
    interrogative_clause(&lower)
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
    for sep in [": ", " — ", " – ", " - ", ", "] {
        if let Some((_, rest)) = lower.rsplit_once(sep)
            && starts(rest)
            && rest.split_whitespace().count() >= 3
        {
            return true;
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
