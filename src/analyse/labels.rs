//! Is a phrase a label a reader recognises? The digest shows topics to
//! marketers who skim: "Dutch election" or "synthetic focus groups" reads as
//! a thing, "clients almost" or "said the company" reads as a cut-off
//! sentence. [`label_problem`] says why a phrase is not a label, using the
//! word lists in [`super::lexicon`]; it is pure and cheap enough to run on
//! every candidate.
//!
//! Choices worth knowing:
//! - Function words inside a label are accepted: "Bank of England" and
//!   "Department of Justice" need them. "value of loyalty" passes too; it is
//!   a weak label, but telling it from "Bank of England" needs more than a
//!   word list, and ranking (which prefers names and shorter phrases) is the
//!   better place to demote it.
//! - The -ly adverb guess applies only to lower-case words: a capitalised
//!   "Kelly" or "Lilly" is likelier a name than an adverb.
//! - A capitalised given name that starts a name ("Will Smith", "Mark
//!   Read", "Bill Gates") is not read as a verb or function word.

use super::lexicon;

/// Labels longer than this are sentences, not topics.
pub const MAX_LABEL_WORDS: usize = 6;

/// Why a phrase is not a well-formed topic label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelProblem {
    Empty,
    LoneCommonWord,
    /// "Dutch", "South", "Secretary": a word that modifies a name.
    LoneModifier,
    StartsWithFunctionWord,
    EndsWithFunctionWord,
    StartsWithVerb,
    EndsWithVerb,
    StartsWithAdverb,
    EndsWithAdverb,
    /// More than [`MAX_LABEL_WORDS`] words.
    TooLong,
    /// Only digits, dates and periods ("2026", "4 July", "Q3").
    Number,
}

/// A word of `display`, without surrounding quotes or punctuation and
/// without a possessive (the lexicon looks words up without it).
fn words(display: &str) -> Vec<&str> {
    display
        .split_whitespace()
        .map(|w| {
            let w = w.trim_matches(|c: char| !(c.is_alphanumeric() || c == '&'));
            w.strip_suffix("'s")
                .or_else(|| w.strip_suffix("\u{2019}s"))
                .unwrap_or(w)
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Digits, with the separators of dates, times, money and percentages;
/// or a period like "Q3", "H1", "FY26".
fn is_numberish(word: &str) -> bool {
    let digits = word.chars().any(|c| c.is_ascii_digit())
        && word
            .chars()
            .all(|c| c.is_ascii_digit() || "/-.,:%$£€".contains(c));
    let lower = word.to_ascii_lowercase();
    let period = ["q", "h", "fy"].iter().any(|p| {
        lower
            .strip_prefix(p)
            .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()))
    });
    let ordinal = ["st", "nd", "rd", "th"].iter().any(|s| {
        lower
            .strip_suffix(s)
            .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()))
    });
    digits || period || ordinal
}

fn is_date_word(word: &str) -> bool {
    is_numberish(word) || lexicon::is_month(word) || lexicon::is_weekday(word)
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// All capitals (two letters or more; "&", "." and "-" allowed): "AI",
/// "CTV", "AT&T", "U.S.".
pub fn is_acronym(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2
        && word
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || "&.-".contains(c))
}

/// Mixed case inside the word or letters with digits: "TikTok", "iPhone",
/// "eBay", "GPT-5", "5G".
fn is_coined(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    let inner_upper = chars
        .windows(2)
        .any(|p| p[0].is_lowercase() && p[1].is_uppercase());
    let letters = chars.iter().any(|c| c.is_alphabetic());
    let digits = chars.iter().any(|c| c.is_ascii_digit());
    inner_upper || (letters && digits && !is_numberish(word))
}

/// Words that modify a name but are none on their own.
fn is_modifier(word: &str) -> bool {
    lexicon::is_demonym(word)
        || lexicon::is_compass(word)
        || lexicon::is_honorific(word)
        || lexicon::is_month(word)
        || lexicon::is_weekday(word)
}

/// Is this single word, as written, a name (capitalised and not a lone
/// demonym, title, compass word, month or weekday; or an acronym like
/// "AI"/"CTV"; or camel case/digits like "TikTok", "iPhone", "GPT-5")?
pub fn is_name_word(word: &str) -> bool {
    let w = words(word);
    let [w] = w.as_slice() else {
        return false;
    };
    if is_modifier(w) {
        return false;
    }
    if is_acronym(w) || is_coined(w) {
        return true;
    }
    starts_upper(w)
        && w.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !lexicon::is_function_word(w)
}

fn is_adverb_as_written(word: &str) -> bool {
    if starts_upper(word) {
        lexicon::is_listed_adverb(word)
    } else {
        lexicon::is_adverb(word)
    }
}

/// None when `display` (a phrase as written in text, mid-sentence
/// capitalisation kept, e.g. "synthetic focus groups", "Dutch election",
/// "Google AI Mode", "TikTok") is a well-formed topic label; otherwise why
/// not.
pub fn label_problem(display: &str) -> Option<LabelProblem> {
    let ws = words(display);
    let (Some(&first), Some(&last)) = (ws.first(), ws.last()) else {
        return Some(LabelProblem::Empty);
    };
    // "Friday and Saturday", "March to May": dates joined by function words.
    if ws
        .iter()
        .all(|w| is_date_word(w) || lexicon::is_function_word(w))
    {
        return Some(LabelProblem::Number);
    }
    if ws.len() > MAX_LABEL_WORDS {
        return Some(LabelProblem::TooLong);
    }
    // "Will Smith", "Mark Read": a given name opening a run of names.
    let name_start = ws.len() > 1 && starts_upper(first) && lexicon::is_given_name(first) && {
        let next = ws[1];
        starts_upper(next) || is_acronym(next)
    };
    // "US", "IT": an acronym is a name even when its letters spell a word.
    if !name_start && !is_acronym(first) {
        if lexicon::is_function_word(first) {
            return Some(LabelProblem::StartsWithFunctionWord);
        }
        if lexicon::is_verb_form_at_start(first) {
            return Some(LabelProblem::StartsWithVerb);
        }
        if is_adverb_as_written(first) {
            return Some(LabelProblem::StartsWithAdverb);
        }
    }
    if ws.len() == 1 {
        // "Police", "Council", "Budget": a generic head capitalised at the
        // start of a sentence or a headline is still a common word.
        let generic = lexicon::is_org_cue(first)
            || lexicon::is_event_noun(first)
            || lexicon::is_product_cue(first);
        if is_name_word(first) && !generic {
            return None;
        }
        // A role in lower case ("author", "coach") is a common word; written
        // capitalised ("Secretary", "Dutch") it is waiting for its name.
        return Some(if is_modifier(first) && starts_upper(first) {
            LabelProblem::LoneModifier
        } else {
            LabelProblem::LoneCommonWord
        });
    }
    if is_acronym(last) {
        return None;
    }
    if lexicon::is_function_word(last) {
        return Some(LabelProblem::EndsWithFunctionWord);
    }
    if lexicon::is_verb_form(last) {
        return Some(LabelProblem::EndsWithVerb);
    }
    if is_adverb_as_written(last) {
        return Some(LabelProblem::EndsWithAdverb);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::LabelProblem::*;
    use super::*;

    #[test]
    fn accepts_labels_readers_recognise() {
        for l in [
            "synthetic focus groups",
            "answer engine optimization",
            "agentic checkout",
            "Dutch election",
            "Google AI Mode",
            "Cannes Lions",
            "Autumn Budget",
            "TikTok Shop",
            "TikTok",
            "connected TV",
            "retail media networks",
            "Kestrel Media",
            "airport attack",
            "Bank of England",
            "Department of Justice",
            "account-based marketing",
            "Q3 earnings",
            "AT&T",
            "GPT-5",
            "iPhone",
            "value of loyalty",
            "Will Smith",
            "Mark Zuckerberg",
            "media plans",
            "job cuts",
            "\"TikTok Shop's\"",
            "Eli Lilly",
            "US",
            "Disney Plus",
            "past purchases",
        ] {
            assert_eq!(label_problem(l), None, "{l}");
        }
    }

    #[test]
    fn rejects_lone_common_words_and_modifiers() {
        for l in [
            "man", "working", "friends", "campaign", "soldier", "author", "phones", "budget",
        ] {
            assert_eq!(label_problem(l), Some(LoneCommonWord), "{l}");
        }
        for l in ["Dutch", "South", "Secretary", "french", "CEO"] {
            assert_ne!(label_problem(l), None, "{l}");
        }
        assert_eq!(label_problem("Dutch"), Some(LoneModifier));
        assert_eq!(label_problem("Secretary"), Some(LoneModifier));
    }

    #[test]
    fn rejects_cut_off_sentences() {
        let cases = [
            ("Patrick Ellery took", EndsWithVerb),
            ("clients almost", EndsWithAdverb),
            ("value of", EndsWithFunctionWord),
            ("shifts dollars to customer", StartsWithVerb),
            ("unlike account-based marketing", StartsWithFunctionWord),
            ("said the company", StartsWithVerb),
            ("the company", StartsWithFunctionWord),
            ("quickly growing brands", StartsWithAdverb),
            ("Meta unveils", EndsWithVerb),
            ("brands now", EndsWithAdverb),
            ("announced", StartsWithVerb),
            ("Patrick Ellery made", EndsWithVerb),
            ("connected TV paid", EndsWithVerb),
        ];
        for (l, want) in cases {
            assert_eq!(label_problem(l), Some(want), "{l}");
        }
    }

    #[test]
    fn empty_long_and_numbers() {
        assert_eq!(label_problem(""), Some(Empty));
        assert_eq!(label_problem("  \"\" "), Some(Empty));
        assert_eq!(
            label_problem("why brands keep losing loyal customers to cheaper rivals"),
            Some(TooLong)
        );
        for l in [
            "2026",
            "4 July",
            "December 2026",
            "Q3",
            "Monday",
            "10:30",
            "3.5%",
        ] {
            assert_eq!(label_problem(l), Some(Number), "{l}");
        }
    }

    #[test]
    fn name_words() {
        for w in [
            "TikTok", "iPhone", "GPT-5", "AI", "CTV", "AT&T", "Apple", "Jordan", "5G",
        ] {
            assert!(is_name_word(w), "{w}");
        }
        for w in [
            "Dutch",
            "South",
            "Secretary",
            "Monday",
            "March",
            "apple",
            "The",
            "I",
            "2026",
        ] {
            assert!(!is_name_word(w), "{w}");
        }
    }
}
