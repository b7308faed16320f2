//! Claims: the concrete statements in a topic's own items that a starter
//! can quote, so that a question shows the asker has read the story.
//!
//! A claim is one sentence from an item's body that says something
//! checkable: a number ("18 % of checkouts"), a quotation with its speaker,
//! or a statement attributed to a named source ("according to Ofcom").
//! Sentences about the topic come first; for a story, any sentence of an
//! item's lead is about the story.

use anyhow::Result;

use super::model::Link;
use super::starters::Claim;
use crate::analyse::{phrases, questions, trends};
use crate::store::{Store, rfc3339};

/// Words per claim: shorter says too little, longer will not fit a question.
const MIN_WORDS: usize = 8;
const MAX_WORDS: usize = 40;
/// Sentences of a story item's body read as its lead.
const LEAD_SENTENCES: usize = 4;

/// How concrete a sentence is: 3 a number, 2 a quotation or attribution, 0 neither.
pub fn concreteness(s: &str) -> u8 {
    let lower = s.to_lowercase();
    let has_number = s.split_whitespace().any(|w| {
        let digits = w.chars().filter(char::is_ascii_digit).count();
        digits > 0
            && (w.contains('%')
                || w.contains('$')
                || w.contains('£')
                || w.contains('€')
                || w.chars().filter(|c| c.is_alphabetic()).count() <= 2)
            // A bare year says little ("in 2026").
            && !(digits == 4 && w.trim_matches(|c: char| !c.is_ascii_digit()).len() == 4
                && w.chars().all(|c| c.is_ascii_digit() || ",.;:".contains(c)))
    }) || [" per cent", " percent", " million", " billion", " thousand"]
        .iter()
        .any(|k| lower.contains(k));
    if has_number {
        return 3;
    }
    let quoted = s.contains('“') || s.matches('"').count() >= 2;
    let attributed = [
        " said",
        " says",
        " told ",
        "according to ",
        " warned",
        " argued",
    ]
    .iter()
    .any(|k| lower.contains(k));
    if attributed && (quoted || has_name(s)) {
        return 2;
    }
    0
}

/// A capitalised word that does not start the sentence: a name, most likely.
fn has_name(s: &str) -> bool {
    s.split_whitespace()
        .skip(1)
        .any(|w| w.chars().next().is_some_and(char::is_uppercase) && w.len() > 1)
}

/// The topic's claims, most concrete first (then in evidence order), at
/// most one per item and never two alike.
pub fn find(store: &Store, t: &trends::Topic) -> Result<Vec<Claim>> {
    let ids: Vec<i64> = t.items.iter().map(|e| e.id).collect();
    let items = store.items_by_ids(&ids)?;
    let keys: Vec<Vec<String>> = t
        .phrase_keys
        .iter()
        .filter(|k| k.contains(' ') || **k == t.key)
        .chain(std::iter::once(&t.key))
        .map(|k| k.split(' ').map(str::to_owned).collect())
        .collect();
    let story = t.kind == trends::Kind::Story;
    let mut found: Vec<(u8, usize, Claim)> = Vec::new();
    for (pos, item) in items.iter().enumerate() {
        let sentences: Vec<&str> = item
            .body
            .split("\n\n")
            .filter(|p| !phrases::is_boilerplate_paragraph(p))
            .flat_map(questions::sentences)
            .collect();
        let best = sentences
            .iter()
            .enumerate()
            .filter(|(i, s)| {
                let words = s.split_whitespace().count();
                let about = (story && *i < LEAD_SENTENCES) || {
                    let key = phrases::normalise(s).unwrap_or_default();
                    keys.iter().any(|k| {
                        let k: Vec<&str> = k.iter().map(String::as_str).collect();
                        trends::contains_words(&key, &k)
                    })
                };
                (MIN_WORDS..=MAX_WORDS).contains(&words)
                    && !s.ends_with('?')
                    && about
                    && s.chars().next().is_some_and(char::is_uppercase)
            })
            .map(|(_, s)| (concreteness(s), *s))
            .filter(|(c, _)| *c > 0)
            .max_by(|a, b| a.0.cmp(&b.0));
        if let Some((c, s)) = best {
            let norm = questions::normalise(s);
            if found.iter().any(|(_, _, x)| {
                questions::similarity(&questions::normalise(&x.text), &norm) >= 0.6
            }) {
                continue;
            }
            let mut text = s.trim().to_owned();
            if !text.ends_with(['.', '!', '”', '"']) {
                text.push('.');
            }
            found.push((
                c,
                pos,
                Claim {
                    text,
                    source: Link {
                        title: item.title.clone(),
                        url: item.url.clone(),
                        feed: item.feed_name.clone(),
                        date: rfc3339(item.published)[..10].to_owned(),
                    },
                },
            ));
        }
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(found.into_iter().map(|(_, _, c)| c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_attributed_statements_are_claims() {
        assert_eq!(
            concreteness("Agents made 18% of one retailer's checkouts in the test week."),
            3
        );
        assert_eq!(
            concreteness("The deal values Brightline at $1.2bn including debt."),
            3
        );
        assert_eq!(
            concreteness(
                "“We will not be rushed,” said Maria Ortiz, the agency's chief executive."
            ),
            2
        );
        assert_eq!(
            concreteness("Retailers are still working out what the change means in 2026."),
            0
        );
        assert_eq!(concreteness("Everyone is talking about it this week."), 0);
    }
}
