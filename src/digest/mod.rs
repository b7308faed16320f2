//! The daily digest: composed from the analysis, stored before it is sent,
//! rendered from editable templates, delivered exactly once per period.
//!
//! - [`record`]: the digest as stored and printed by `--format json`:
//!   versioned data, apart from the view.
//! - [`model`]: the view, what templates see.
//! - [`compose`]: topics, briefs, questions, starters, feed health.
//! - [`starters`]: grammatical discussion starters from `questions.toml`,
//!   chosen by the topic's type.
//! - [`claims`]: the concrete claims in a topic's items that starters quote.
//! - [`render`]: HTML and text through minijinja.
//!
//! Sending is the next stage's job: see [`crate::mail`].

pub mod claims;
pub mod compose;
pub mod model;
pub mod record;
pub mod render;
pub mod starters;

pub use model::Digest;

/// The period a moment belongs to: its date in the digest's time zone.
pub fn period_of(tz: chrono_tz::Tz, t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&tz).date_naive().to_string()
}
