//! Deterministic synthetic marketing-news text for the benchmarks
//! (`poll` and `daemon` generate their feeds from it). Included with
//! `#[path = "support/text.rs"] mod text;`; each benchmark uses a subset.
#![allow(dead_code)]

use std::fmt::Write as _;

#[path = "rng.rs"]
mod rng;
pub use rng::Rng;

pub const NOUNS: &[&str] = &[
    "platform",
    "pipeline",
    "roadmap",
    "workflow",
    "dashboard",
    "stakeholder",
    "synergy",
    "ecosystem",
    "framework",
    "strategy",
    "initiative",
    "customer journey",
    "funnel",
    "retention",
    "onboarding",
    "analytics",
    "insight",
    "benchmark",
    "playbook",
    "vertical",
    "solution",
    "integration",
    "architecture",
    "deployment",
    "migration",
    "edge network",
    "data lake",
    "vector database",
    "supply chain",
    "marketplace",
    "community",
    "webinar",
    "launch",
    "rollout",
    "release",
    "quarter",
    "margin",
    "revenue",
    "pricing tier",
    "partnership",
    "compliance",
    "governance",
    "observability",
    "latency",
    "throughput",
    "automation",
    "copilot",
    "agent",
    "model",
    "inference",
    "GPU cluster",
    "R&amp;D budget",
    "open-source project",
    "API",
    "SDK",
    "plugin",
    "storefront",
    "checkout",
    "loyalty program",
    "brand",
    "campaign",
    "audience",
    "segment",
    "conversion rate",
    "churn",
    "NPS score",
    "headcount",
    "runway",
    "valuation",
    "procurement",
    "café rollout",
    "go-to-market motion",
];

pub const VERBS: &[&str] = &[
    "accelerates",
    "unlocks",
    "streamlines",
    "empowers",
    "transforms",
    "leverages",
    "reimagines",
    "optimizes",
    "scales",
    "simplifies",
    "disrupts",
    "orchestrates",
    "consolidates",
    "modernizes",
    "supercharges",
    "de-risks",
    "monetizes",
    "aligns",
    "operationalizes",
    "democratizes",
    "rebuilds",
    "measures",
    "benchmarks",
    "automates",
    "integrates",
    "ships",
    "announces",
    "deprecates",
    "expands",
    "pilots",
];

pub const ADJECTIVES: &[&str] = &[
    "seamless",
    "scalable",
    "best-in-class",
    "next-generation",
    "cloud-native",
    "AI-powered",
    "data-driven",
    "holistic",
    "mission-critical",
    "frictionless",
    "enterprise-grade",
    "real-time",
    "end-to-end",
    "composable",
    "sustainable",
    "privacy-first",
    "low-code",
    "hyper-personalized",
    "resilient",
    "zero-trust",
    "omnichannel",
    "agile",
    "robust",
    "customer-centric",
    "modular",
    "unified",
    "industry-leading",
    "cost-effective",
];

pub const FILLER: &[&str] = &[
    "the",
    "our",
    "every",
    "this",
    "their",
    "a new",
    "the entire",
    "each",
    "your",
];

pub const CONNECTORS: &[&str] = &[
    "while",
    "because",
    "so that",
    "and",
    "as",
    "even though",
    "whereas",
    "until",
    "—",
];

pub const QUESTION_STARTS: &[&str] = &[
    "How do teams",
    "Why would anyone",
    "Can a small team",
    "What happens when vendors",
    "Is it time to",
    "Should leaders",
    "Who will actually",
    "Does anyone know how to",
];

pub const TOPICS: &[&str] = &[
    "agentic workflows",
    "edge inference",
    "passkeys",
    "usage-based pricing",
    "FinOps",
    "retail media networks",
    "post-quantum TLS",
    "small language models",
    "data clean rooms",
    "right-to-repair",
    "vector search",
    "carbon accounting",
    "RISC-V servers",
    "Wasm plugins",
];

pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub fn noun_phrase(rng: &mut Rng, out: &mut String) {
    out.push_str(rng.pick(FILLER));
    out.push(' ');
    if rng.percent(60) {
        out.push_str(rng.pick(ADJECTIVES));
        out.push(' ');
    }
    if rng.percent(10) {
        out.push_str(rng.pick(TOPICS));
    } else {
        out.push_str(rng.pick(NOUNS));
    }
}

/// One sentence of HTML (inline markup only).
pub fn sentence(rng: &mut Rng, item_url: &str, out: &mut String) {
    let start = out.len();
    if rng.percent(10) {
        out.push_str(rng.pick(QUESTION_STARTS));
        out.push(' ');
        let verb = rng.pick(VERBS);
        match verb.strip_suffix("ies") {
            Some(stem) => {
                out.push_str(stem);
                out.push('y');
            }
            None => out.push_str(verb.strip_suffix('s').unwrap_or(verb)),
        }
        out.push(' ');
        noun_phrase(rng, out);
        out.push_str(" without ");
        noun_phrase(rng, out);
        out.push('?');
        return;
    }
    let clauses = rng.range(1, 3);
    for c in 0..clauses {
        if c > 0 {
            out.push(' ');
            out.push_str(rng.pick(CONNECTORS));
            out.push(' ');
        }
        noun_phrase(rng, out);
        out.push(' ');
        out.push_str(rng.pick(VERBS));
        out.push(' ');
        match rng.below(12) {
            0 => {
                out.push_str("<strong>");
                noun_phrase(rng, out);
                out.push_str("</strong>");
            }
            1 => {
                out.push_str("<em>");
                noun_phrase(rng, out);
                out.push_str("</em>");
            }
            2 => {
                let _ = write!(out, "<a href=\"{item_url}#ref-{}\">", rng.below(1000));
                noun_phrase(rng, out);
                out.push_str("</a>");
            }
            _ => noun_phrase(rng, out),
        }
        if rng.percent(25) {
            let _ = write!(out, " by {}%", rng.range(3, 97));
        }
    }
    out.push(if rng.percent(4) { '!' } else { '.' });
    // Capitalize the first letter of the sentence.
    if let Some(first) = out[start..].chars().next()
        && first.is_ascii_lowercase()
    {
        out.replace_range(start..start + 1, &first.to_ascii_uppercase().to_string());
    }
}

/// An HTML body of 2–3 KB (before escaping) made of `<p>` paragraphs (and the odd list).
pub fn html_body(rng: &mut Rng, item_url: &str) -> String {
    let target = rng.range(2000, 2600);
    let mut out = String::with_capacity(target + 512);
    while out.len() < target {
        if rng.percent(12) {
            out.push_str("<ul>");
            for k in 0..rng.range(2, 4) {
                if k > 1 && out.len() >= target {
                    break;
                }
                out.push_str("<li>");
                sentence(rng, item_url, &mut out);
                out.push_str("</li>");
            }
            out.push_str("</ul>\n");
            continue;
        }
        out.push_str("<p>");
        for s in 0..rng.range(3, 6) {
            if s > 0 && out.len() >= target {
                break;
            }
            if s > 0 {
                out.push(' ');
            }
            sentence(rng, item_url, &mut out);
        }
        out.push_str("</p>\n");
    }
    out
}

pub fn title(rng: &mut Rng) -> String {
    let mut t = String::new();
    if rng.percent(30) {
        t.push_str(rng.pick(TOPICS));
        t.push_str(": ");
    }
    t.push_str(rng.pick(ADJECTIVES));
    t.push(' ');
    t.push_str(rng.pick(NOUNS));
    t.push(' ');
    t.push_str(rng.pick(VERBS));
    t.push(' ');
    t.push_str(rng.pick(NOUNS));
    if rng.percent(20) {
        let _ = write!(t, " in {}", rng.range(2024, 2027));
    }
    capitalize(&t)
}

/// Escapes text for XML element content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// The plain-text-ish first sentence of a body, for summaries.
pub fn summary(body: &str) -> String {
    let mut s = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => {
                s.push(c);
                if matches!(c, '.' | '?' | '!') {
                    break;
                }
            }
            _ => {}
        }
    }
    s.replace("&amp;", "&")
}
