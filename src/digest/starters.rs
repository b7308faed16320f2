//! Discussion starters: questions a non-expert could ask about a topic,
//! from the editable templates in `config/questions.toml`.
//!
//! Templates are chosen deterministically from the date and the topic, so
//! the same digest can be rebuilt exactly, consecutive digests differ, and a
//! question used for a topic in the previous digest is never used again the
//! next time. Placeholders are filled grammatically: the topic keeps its
//! own capitals ("TikTok Shop", "AI"), takes a capital at the start of a
//! sentence, gets "a" or "an" by sound ("an AI tool", "a CRM"), and verbs
//! agree with plural topics ("shopping agents are").

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use super::model::{Link, Starter};
use crate::analyse::types::TopicType;

/// The templates file, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Templates {
    pub kinds: BTreeMap<String, Kind>,
    #[serde(default)]
    pub expert: Expert,
    #[serde(default)]
    pub roles: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kind {
    pub label: String,
    pub templates: Vec<Template>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Expert {
    #[serde(default)]
    pub templates: Vec<Template>,
}

/// One template: a plain string suits every type of topic; a table says
/// which types it suits, because it presupposes something about the topic
/// ("in your own shopping" needs a product or an idea, not a person or an
/// election).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Template {
    Any(String),
    Typed { text: String, types: Vec<TopicType> },
}

impl Template {
    pub fn text(&self) -> &str {
        match self {
            Template::Any(t) => t,
            Template::Typed { text, .. } => text,
        }
    }

    /// Does the template suit a topic of this type? A topic whose type is
    /// unknown gets only the templates that suit every type.
    pub fn suits(&self, t: TopicType) -> bool {
        match self {
            Template::Any(_) => true,
            Template::Typed { types, .. } => {
                types.contains(&t)
                    || (t == TopicType::Unknown && CONCRETE_TYPES.iter().all(|c| types.contains(c)))
            }
        }
    }
}

/// The types a template can name (everything but unknown).
const CONCRETE_TYPES: [TopicType; 6] = [
    TopicType::Person,
    TopicType::Organization,
    TopicType::Place,
    TopicType::Event,
    TopicType::Product,
    TopicType::Concept,
];

/// The templates shipped with tricorder, used when the configured file is absent.
const BUILTIN: &str = include_str!("../../config/questions.toml");

impl Templates {
    /// Loads `path`, or the built-in templates if it does not exist.
    pub fn load(path: &Path) -> Result<Templates> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BUILTIN.to_owned(),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let t: Templates = toml::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.message()))?;
        if t.kinds.values().all(|k| k.templates.is_empty()) {
            anyhow::bail!("{} has no question templates", path.display());
        }
        // Every kind needs a template for topics of unknown type, or such a
        // topic would silently get fewer starters.
        for (name, k) in &t.kinds {
            if !k.templates.is_empty() && !k.templates.iter().any(|x| x.suits(TopicType::Unknown)) {
                anyhow::bail!(
                    "{}: [kinds.{name}] has no template that suits every type of topic (a plain string)",
                    path.display()
                );
            }
        }
        Ok(t)
    }

    pub fn builtin() -> Templates {
        toml::from_str(BUILTIN).expect("the built-in question templates parse")
    }
}

/// Kinds in the order they rotate through. `evidence` (a claim from the
/// topic's own items) and `open_question` are used whenever they can be.
const ORDER: &[&str] = &[
    "evidence",
    "big_picture",
    "industry",
    "audience",
    "street",
    "newcomer",
    "open_question",
];

/// What fills a template.
pub struct Fill<'a> {
    pub topic: &'a str,
    pub topic_type: TopicType,
    pub industry: &'a str,
    pub audience: (&'a str, &'a str),
    pub question: Option<&'a str>,
    /// A concrete claim from one of the topic's items, with its source.
    pub claim: Option<&'a Claim>,
}

/// A concrete claim from an item: a number, a quotation, a named source.
#[derive(Debug, Clone)]
pub struct Claim {
    /// The sentence, as written.
    pub text: String,
    pub source: Link,
}

/// Picks `n` starters of different kinds for a topic on a date, never one
/// that is in `avoid` (the previous digest's questions for this topic).
pub fn choose(
    t: &Templates,
    period: &str,
    topic_key: &str,
    fill: &Fill,
    n: usize,
    avoid: &[String],
) -> Vec<Starter> {
    let kinds: Vec<&str> = ORDER
        .iter()
        .copied()
        .filter(|k| {
            t.kinds
                .get(*k)
                .is_some_and(|k| k.templates.iter().any(|x| x.suits(fill.topic_type)))
        })
        .filter(|k| *k != "open_question" || fill.question.is_some())
        .filter(|k| *k != "evidence" || fill.claim.is_some())
        .collect();
    if kinds.is_empty() {
        return Vec::new();
    }
    // The claim and the open question, when there are some, are always
    // used: they ground the others in what the items say and what the
    // industry itself is asking.
    let start = (hash(&[period, topic_key, "kinds"]) % kinds.len() as u64) as usize;
    let mut chosen: Vec<&str> = Vec::new();
    for grounded in ["evidence", "open_question"] {
        if kinds.contains(&grounded) && chosen.len() < n {
            chosen.push(grounded);
        }
    }
    for i in 0..kinds.len() {
        let k = kinds[(start + i) % kinds.len()];
        if chosen.len() >= n {
            break;
        }
        if !chosen.contains(&k) {
            chosen.push(k);
        }
    }
    chosen.sort_by_key(|k| ORDER.iter().position(|o| o == k));
    let mut out = Vec::new();
    for kind in chosen {
        let k = &t.kinds[kind];
        let fitting: Vec<&Template> = k
            .templates
            .iter()
            .filter(|x| x.suits(fill.topic_type))
            .collect();
        let len = fitting.len();
        let first = (hash(&[period, topic_key, kind]) % len as u64) as usize;
        for i in 0..len {
            let text = render(fitting[(first + i) % len].text(), fill);
            if !avoid.contains(&text) {
                out.push(Starter {
                    kind: kind.to_owned(),
                    label: k.label.clone(),
                    text,
                    sources: match (kind, fill.claim) {
                        ("evidence", Some(c)) => vec![c.source.clone()],
                        _ => Vec::new(),
                    },
                });
                break;
            }
        }
    }
    out
}

/// Picks `n` expert checks for a topic on a date.
/// With a claim, the first check names it: the specific thing to verify.
pub fn checks(t: &Templates, period: &str, topic_key: &str, fill: &Fill, n: usize) -> Vec<String> {
    let fitting = |about_claim: bool| -> Vec<&Template> {
        t.expert
            .templates
            .iter()
            .filter(|x| x.suits(fill.topic_type) && x.text().contains("{claim}") == about_claim)
            .collect()
    };
    let mut out = Vec::new();
    if fill.claim.is_some() {
        let specific = fitting(true);
        if !specific.is_empty() && n > 0 {
            let i = (hash(&[period, topic_key, "expert-claim"]) % specific.len() as u64) as usize;
            out.push(render(specific[i].text(), fill));
        }
    }
    let general = fitting(false);
    if general.is_empty() {
        return out;
    }
    let first = (hash(&[period, topic_key, "expert"]) % general.len() as u64) as usize;
    for i in 0..general.len() {
        if out.len() >= n {
            break;
        }
        out.push(render(general[(first + i) % general.len()].text(), fill));
    }
    out
}

/// The one-line angle for a recipient's role.
pub fn role_angle(t: &Templates, role: &str, top_topic: &str, industry: &str) -> String {
    let template = t.roles.get(role).cloned().unwrap_or_else(|| {
        format!(
            "As {role}, add your own voice on {{topic}}: what changes in your part of {{industry}}?"
        )
    });
    render(
        &template,
        &Fill {
            topic: top_topic,
            topic_type: TopicType::Unknown,
            industry,
            audience: ("", ""),
            question: None,
            claim: None,
        },
    )
}

fn hash(parts: &[&str]) -> u64 {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    let d = h.finalize();
    u64::from_le_bytes(d[..8].try_into().expect("8 bytes"))
}

/// Fills a template's placeholders.
pub fn render(template: &str, f: &Fill) -> String {
    let plural = is_plural(f.topic);
    let mut s = template
        .replace("{Topic}", &capitalise(f.topic))
        .replace("{a_topic}", &format!("{} {}", article(f.topic), f.topic))
        .replace("{topic}", f.topic)
        .replace("{is}", if plural { "are" } else { "is" })
        .replace("{has}", if plural { "have" } else { "has" })
        .replace("{does}", if plural { "do" } else { "does" })
        .replace("{industry}", f.industry)
        .replace("{audience_a}", f.audience.0)
        .replace("{audience_b}", f.audience.1)
        .replace("{question}", f.question.unwrap_or(""))
        .replace("{source}", f.claim.map_or("", |c| c.source.feed.as_str()))
        .replace("{claim}", f.claim.map_or("", |c| c.text.as_str()));
    // An article in the template before the topic must agree with it too.
    for (a, an) in [("a ", "an "), ("A ", "An ")] {
        let wrong = format!("{an}{}", f.topic);
        let right = format!("{a}{}", f.topic);
        if article(f.topic) == "a" {
            s = s.replace(&wrong, &right);
        } else {
            s = s.replace(&right, &wrong);
        }
    }
    s = capitalise(&s);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Capitalises the first letter, unless the first word already has its own
/// capitals inside ("eBay", "iPhone" stay as they are).
pub fn capitalise(s: &str) -> String {
    let first_word = s.split_whitespace().next().unwrap_or("");
    if first_word.chars().skip(1).any(char::is_uppercase) {
        return s.to_owned();
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// "a" or "an", by how the topic's first word sounds.
pub fn article(topic: &str) -> &'static str {
    let w = topic.split_whitespace().next().unwrap_or("");
    let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
    let acronym = letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase());
    if acronym || letters.len() == 1 {
        // Said letter by letter: "an SEO", "a CRM".
        return match letters.first() {
            Some(c) if "AEFHILMNORSX".contains(c.to_ascii_uppercase()) => "an",
            _ => "a",
        };
    }
    let l = w.to_lowercase();
    const AN_CONSONANT: &[&str] = &["hour", "honest", "honor", "honour", "heir"];
    const A_VOWEL: &[&str] = &[
        "uni", "use", "usu", "uti", "uri", "eu", "one", "once", "ubi",
    ];
    if AN_CONSONANT.iter().any(|p| l.starts_with(p)) {
        return "an";
    }
    if A_VOWEL.iter().any(|p| l.starts_with(p)) {
        return "a";
    }
    match l.chars().next() {
        Some(c) if "aeiou".contains(c) => "an",
        _ => "a",
    }
}

/// Does the topic take a plural verb? ("shopping agents are", "AI Overviews
/// are", but "TikTok Shop is", "analytics is", "news is", "CRMs are").
pub fn is_plural(topic: &str) -> bool {
    let last = topic.split_whitespace().last().unwrap_or("");
    let l = last.to_lowercase();
    let letters: Vec<char> = last.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
        return false;
    }
    // "CRMs", "APIs": an acronym with a plural s.
    if last.len() >= 3
        && last.ends_with('s')
        && last[..last.len() - 1].chars().all(|c| c.is_uppercase())
    {
        return true;
    }
    const SINGULAR: &[&str] = &[
        "news",
        "analytics",
        "ethics",
        "economics",
        "logistics",
        "politics",
        "series",
        "business",
        "status",
        "campus",
        "bus",
        "lens",
        "canvas",
        "media",
        "data",
        "us",
        "gas",
        "ads",
    ];
    if SINGULAR.contains(&l.as_str()) {
        return l == "ads";
    }
    l.len() > 3
        && l.ends_with('s')
        && !l.ends_with("ss")
        && !l.ends_with("us")
        && !l.ends_with("is")
        && !l.ends_with("ics")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(topic: &str) -> Fill<'_> {
        Fill {
            topic,
            topic_type: TopicType::Concept,
            industry: "marketing",
            audience: ("Gen X", "Millennials"),
            question: Some("How will retailers measure conversions?"),
            claim: None,
        }
    }

    #[test]
    fn grammar_for_tricky_topics() {
        assert_eq!(
            render("{Topic} {is} here.", &fill("agentic commerce")),
            "Agentic commerce is here."
        );
        assert_eq!(
            render("{Topic} {is} here.", &fill("shopping agents")),
            "Shopping agents are here."
        );
        assert_eq!(
            render("{Topic} {is} here.", &fill("TikTok Shop")),
            "TikTok Shop is here."
        );
        assert_eq!(
            render("{Topic} {has} legs.", &fill("AI Overviews")),
            "AI Overviews have legs."
        );
        assert_eq!(
            render("Is this {a_topic} story?", &fill("AI")),
            "Is this an AI story?"
        );
        assert_eq!(
            render("Is this {a_topic} story?", &fill("CRM")),
            "Is this a CRM story?"
        );
        assert_eq!(
            render("Is this {a_topic} story?", &fill("SEO")),
            "Is this an SEO story?"
        );
        assert_eq!(
            render("Is this {a_topic} story?", &fill("agentic commerce")),
            "Is this an agentic commerce story?"
        );
        assert_eq!(
            render("Is this {a_topic} story?", &fill("user-generated content")),
            "Is this a user-generated content story?"
        );
        assert_eq!(
            render("Is this {a_topic} story?", &fill("hour-long livestream")),
            "Is this an hour-long livestream story?"
        );
        assert_eq!(
            render("{Topic} {does} what?", &fill("eBay")),
            "eBay does what?"
        );
        assert_eq!(
            render("{Topic} {is} {industry}.", &fill("retail media")),
            "Retail media is marketing."
        );
        assert_eq!(
            render("What about {topic}?", &fill("server-side tagging")),
            "What about server-side tagging?"
        );
    }

    #[test]
    fn choices_rotate_by_day_and_avoid_yesterday() {
        let t = Templates::builtin();
        let f = fill("TikTok Shop");
        let monday = choose(&t, "2026-11-16", "tiktok shop", &f, 3, &[]);
        assert_eq!(monday.len(), 3);
        assert_eq!(
            monday,
            choose(&t, "2026-11-16", "tiktok shop", &f, 3, &[]),
            "deterministic"
        );
        let avoid: Vec<String> = monday.iter().map(|s| s.text.clone()).collect();
        let tuesday = choose(&t, "2026-11-17", "tiktok shop", &f, 3, &avoid);
        assert!(tuesday.iter().all(|s| !avoid.contains(&s.text)));
        let kinds: std::collections::HashSet<&str> =
            monday.iter().map(|s| s.kind.as_str()).collect();
        assert_eq!(kinds.len(), 3, "different kinds");
    }
}
