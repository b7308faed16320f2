//! The main text of an article page, for feeds that carry only an excerpt
//! ("The post … appeared first on …"): what `[poll] full_text` fetches.
//!
//! Extraction is dom_smoothie's port of Mozilla's readability.js, the
//! algorithm behind Firefox's Reader View, which Miniflux and most readers
//! use in some form. Chosen over `readability` (kumabook; last released in
//! 2021, on an html5ever four major versions old) and over `article_scraper`
//! (libxml2 through C bindings, and per-site rules fetched from the net):
//! dom_smoothie is pure Rust, MIT, released through 2025 and 2026, and
//! follows readability.js test page for test page. Its result is HTML; it is
//! turned into text here the way feed bodies are, so both read alike.

use url::Url;

/// Fewer words than this is a page readability could not find an article
/// in (a paywall, a consent wall, a video page): the feed's summary stays.
const MIN_WORDS: usize = 60;

/// Elements read at most: a hostile or broken page cannot make extraction
/// run away (readability.js has the same guard).
const MAX_ELEMENTS: usize = 20_000;

/// Why a page gave no article text.
#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    #[error("not an HTML page ({0})")]
    NotHtml(String),
    #[error("no article found on the page ({0} words of text)")]
    TooShort(usize),
    #[error("the page could not be read: {0}")]
    Unreadable(String),
}

/// The article text of an HTML page fetched from `url`, as paragraphs
/// separated by blank lines.
pub fn extract(html: &[u8], content_type: Option<&str>, url: &Url) -> Result<String, ArticleError> {
    if let Some(ct) = content_type {
        let essence = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !essence.is_empty() && essence != "text/html" && essence != "application/xhtml+xml" {
            return Err(ArticleError::NotHtml(essence));
        }
    }
    let html = String::from_utf8_lossy(html);
    let cfg = dom_smoothie::Config {
        max_elements_to_parse: MAX_ELEMENTS,
        ..Default::default()
    };
    let mut reader = dom_smoothie::Readability::new(html.as_ref(), Some(url.as_str()), Some(cfg))
        .map_err(|e| {
        ArticleError::Unreadable(crate::clean::line(&e.to_string(), 200).into_owned())
    })?;
    let article = reader.parse().map_err(|e| {
        ArticleError::Unreadable(crate::clean::line(&e.to_string(), 200).into_owned())
    })?;
    let text = super::html_to_text(&article.content);
    let words = text.split_whitespace().count();
    if words < MIN_WORDS {
        return Err(ArticleError::TooShort(words));
    }
    Ok(crate::clean::body(&text, crate::clean::MAX_BODY_BYTES).into_owned())
}
