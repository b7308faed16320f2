//! Finding a site's feeds from its address.
//!
//! People add sites, not feeds: `feeds add https://trade-mag.example/` is the
//! habit every feed reader (Miniflux, FreshRSS, Feedly) serves. Given a URL,
//! [`discover`] fetches it; a feed is used as it is, and a web page is read
//! for the feeds it advertises (`<link rel="alternate">` of the RSS, Atom
//! and JSON Feed types), then, if it advertises none that work, the common
//! paths are tried. Every candidate is fetched and parsed before it is
//! offered, so what is added is known to be a feed today.
//!
//! Sits after `parse` in the pipeline: it uses `fetch` and `parse`, and
//! only the CLI uses it.

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

use chrono::Utc;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use url::Url;

use crate::fetch::{FetchError, Fetcher, Validators};
use crate::parse::{self, ParsedFeed};

/// Tried, in this order, when a page advertises no working feed.
pub const COMMON_PATHS: &[&str] = &[
    "/feed",
    "/rss",
    "/rss.xml",
    "/atom.xml",
    "/index.xml",
    "/feed.json",
];

/// Advertised links are checked up to this many; a page listing more (one
/// per category or author) gets its first ones offered.
const MAX_ADVERTISED: usize = 10;

/// A feed found for a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub url: Url,
    /// The link's own title, else the feed's.
    pub title: Option<String>,
    /// "RSS", "Atom" or "JSON Feed", from the link's type or the document.
    pub kind: &'static str,
}

#[derive(Debug)]
pub enum Discovery {
    /// The URL is itself a feed.
    IsFeed { title: Option<String> },
    /// The URL is a page; these feeds were found for it (at least one).
    Found(Vec<Candidate>),
    /// The URL is a page and no feed was found; what was tried, each with
    /// the reason it was not a feed.
    NotFound { tried: Vec<(String, String)> },
}

/// The URL itself could not be fetched: the caller decides whether that
/// matters (adding a feed while offline is allowed).
#[derive(Debug, thiserror::Error)]
#[error("cannot fetch {url}: {error}")]
pub struct Unreachable {
    pub url: Url,
    pub error: FetchError,
}

/// What a fetch and parse made of one URL.
enum Probe {
    Feed(Url, ParsedFeed),
    Page(Url, String),
    Failed(String),
}

async fn probe(fetcher: &Fetcher, url: &Url) -> Result<Probe, FetchError> {
    let fetched = fetcher.fetch(url, &Validators::default()).await?;
    let Some(body) = fetched.body else {
        return Ok(Probe::Failed("no body".into()));
    };
    let final_url = fetched.final_url.clone();
    let charset = fetched.charset.clone();
    let parsed = {
        let (body, final_url) = (body.clone(), final_url.clone());
        tokio::task::spawn_blocking(move || {
            parse::parse(&body, charset.as_deref(), &final_url, Utc::now())
        })
        .await
        .map_err(|e| FetchError::Network(format!("parser task failed: {e}")))?
    };
    Ok(match parsed {
        Ok(feed) => Probe::Feed(final_url, feed),
        Err(parse::ParseError::NotAFeed(_)) if looks_like_html(&body) => {
            Probe::Page(final_url, String::from_utf8_lossy(&body).into_owned())
        }
        Err(e) => Probe::Failed(e.to_string()),
    })
}

fn looks_like_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(4096)]).to_ascii_lowercase();
    head.contains("<html") || head.contains("<!doctype html") || head.contains("<head")
}

/// Finds the feeds for `url`: see the module documentation.
pub async fn discover(fetcher: &Fetcher, url: &Url) -> Result<Discovery, Unreachable> {
    let first = probe(fetcher, url).await.map_err(|error| Unreachable {
        url: url.clone(),
        error,
    })?;
    let (page_url, html) = match first {
        Probe::Feed(_, feed) => return Ok(Discovery::IsFeed { title: feed.title }),
        Probe::Page(u, html) => (u, html),
        Probe::Failed(why) => {
            return Ok(Discovery::NotFound {
                tried: vec![(url.to_string(), why)],
            });
        }
    };

    let mut tried = Vec::new();
    let mut found: Vec<Candidate> = Vec::new();
    for link in advertised(&html, &page_url)
        .into_iter()
        .take(MAX_ADVERTISED)
    {
        match probe(fetcher, &link.url).await {
            Ok(Probe::Feed(final_url, feed)) => {
                if !found
                    .iter()
                    .any(|c| c.url == final_url || c.url == link.url)
                {
                    found.push(Candidate {
                        kind: link.kind.unwrap_or_else(|| kind_of(&final_url)),
                        title: link.title.or(feed.title),
                        url: link.url,
                    });
                }
            }
            Ok(Probe::Page(..)) => {
                tried.push((link.url.to_string(), "a web page, not a feed".into()))
            }
            Ok(Probe::Failed(why)) => tried.push((link.url.to_string(), why)),
            Err(e) => tried.push((link.url.to_string(), e.to_string())),
        }
    }
    if !found.is_empty() {
        return Ok(Discovery::Found(found));
    }

    for path in COMMON_PATHS {
        let Ok(candidate) = page_url.join(path) else {
            continue;
        };
        match probe(fetcher, &candidate).await {
            Ok(Probe::Feed(final_url, feed)) => {
                // The first that works: sites serve one feed under several
                // of these names, and listing them all would only confuse.
                return Ok(Discovery::Found(vec![Candidate {
                    kind: kind_of(&final_url),
                    title: feed.title,
                    url: candidate,
                }]));
            }
            Ok(Probe::Page(..)) => {
                tried.push((candidate.to_string(), "a web page, not a feed".into()))
            }
            Ok(Probe::Failed(why)) => tried.push((candidate.to_string(), why)),
            Err(e) => tried.push((candidate.to_string(), e.to_string())),
        }
    }
    Ok(Discovery::NotFound { tried })
}

/// What `feeds add` and `feeds import` make of a URL.
#[derive(Debug)]
pub enum Resolved {
    /// Add this URL as it is: it is a feed, or not an HTTP URL.
    Feed(String),
    /// Could not be fetched now; adding it anyway is the caller's choice
    /// (adding a feed while offline has always worked).
    Unchecked {
        url: String,
        why: String,
    },
    /// A web page offering this feed (the only one, or the first with `--first`).
    Page {
        page: String,
        feed: Candidate,
    },
    Several {
        page: String,
        feeds: Vec<Candidate>,
    },
    None {
        page: String,
        tried: Vec<(String, String)>,
    },
}

impl Resolved {
    /// One message for the user: the outcome and, when nothing was found,
    /// every URL tried with the reason it was not a feed.
    pub fn describe(&self) -> String {
        match self {
            Resolved::Feed(u) => format!("{u} is a feed"),
            Resolved::Unchecked { url, why } => format!("{url} was not checked: {why}"),
            Resolved::Page { page, feed } => format!("{page} offers {feed}"),
            Resolved::Several { page, feeds } => format!("{page} offers {} feeds", feeds.len()),
            Resolved::None { page, tried } => {
                let mut m = format!("no feed found for {page}; tried:");
                for (url, why) in tried {
                    m.push_str(&format!("\n  {url}: {why}"));
                }
                m
            }
        }
    }
}

impl fmt::Display for Candidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.title {
            Some(t) => write!(f, "\"{t}\" ({}) at {}", self.kind, self.url),
            None => write!(f, "a {} feed at {}", self.kind, self.url),
        }
    }
}

/// Looks at a URL before it is added.
pub async fn resolve(fetcher: &Fetcher, url: &str, first: bool) -> Resolved {
    let parsed = match Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => u,
        // Local files are the config's business, not discovery's.
        _ => return Resolved::Feed(url.to_owned()),
    };
    match discover(fetcher, &parsed).await {
        Ok(Discovery::IsFeed { .. }) => Resolved::Feed(url.to_owned()),
        Ok(Discovery::Found(mut feeds)) if feeds.len() == 1 || first => Resolved::Page {
            page: url.to_owned(),
            feed: feeds.swap_remove(0),
        },
        Ok(Discovery::Found(feeds)) => Resolved::Several {
            page: url.to_owned(),
            feeds,
        },
        Ok(Discovery::NotFound { tried }) => Resolved::None {
            page: url.to_owned(),
            tried,
        },
        Err(e) => Resolved::Unchecked {
            url: url.to_owned(),
            why: e.to_string(),
        },
    }
}

/// [`resolve`] for many URLs at once (an OPML import), concurrently within
/// the fetcher's global and per-host limits; results in input order.
pub async fn resolve_all(fetcher: Arc<Fetcher>, urls: Vec<String>, first: bool) -> Vec<Resolved> {
    let mut set = tokio::task::JoinSet::new();
    for (i, url) in urls.iter().cloned().enumerate() {
        let fetcher = fetcher.clone();
        set.spawn(async move { (i, resolve(&fetcher, &url, first).await) });
    }
    let mut out: Vec<Option<Resolved>> = urls.iter().map(|_| None).collect();
    while let Some(joined) = set.join_next().await {
        if let Ok((i, r)) = joined {
            out[i] = Some(r);
        }
    }
    out.into_iter()
        .zip(urls)
        .map(|(r, url)| {
            r.unwrap_or_else(|| Resolved::Unchecked {
                url,
                why: "the lookup failed unexpectedly".into(),
            })
        })
        .collect()
}

/// The format of a feed found without a typed link, by its address.
fn kind_of(url: &Url) -> &'static str {
    let path = url.path().to_ascii_lowercase();
    if path.ends_with(".json") {
        "JSON Feed"
    } else if path.contains("atom") {
        "Atom"
    } else {
        "RSS"
    }
}

/// A feed link as the page states it.
#[derive(Debug, Clone, PartialEq)]
pub struct Advertised {
    pub url: Url,
    pub title: Option<String>,
    pub kind: Option<&'static str>,
}

/// The feed types a `<link rel="alternate">` may carry, and their names.
fn feed_kind(mime: &str) -> Option<&'static str> {
    let mime = mime.split(';').next().unwrap_or("").trim();
    match mime.to_ascii_lowercase().as_str() {
        "application/rss+xml" | "application/rdf+xml" => Some("RSS"),
        "application/atom+xml" => Some("Atom"),
        "application/feed+json" | "application/json" => Some("JSON Feed"),
        _ => None,
    }
}

/// The feeds a page advertises, in page order, relative URLs resolved
/// against `<base href>` or the page's own URL, duplicates dropped.
pub fn advertised(html: &str, page_url: &Url) -> Vec<Advertised> {
    let sink = LinkSink::default();
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tok.feed(&input);
    tok.end();
    let base = tok
        .sink
        .base
        .take()
        .and_then(|b| page_url.join(b.trim()).ok())
        .unwrap_or_else(|| page_url.clone());
    let mut out: Vec<Advertised> = Vec::new();
    for link in tok.sink.links.take() {
        let rels = link.rel.to_ascii_lowercase();
        if !rels.split_ascii_whitespace().any(|r| r == "alternate") {
            continue;
        }
        let Some(kind) = feed_kind(&link.ty) else {
            continue;
        };
        let Ok(url) = base.join(link.href.trim()) else {
            continue;
        };
        if !matches!(url.scheme(), "http" | "https") || out.iter().any(|a| a.url == url) {
            continue;
        }
        let title = Some(link.title.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty());
        out.push(Advertised {
            url,
            title,
            kind: Some(kind),
        });
    }
    out
}

#[derive(Default)]
struct RawLink {
    rel: String,
    ty: String,
    href: String,
    title: String,
}

#[derive(Default)]
struct LinkSink {
    links: RefCell<Vec<RawLink>>,
    base: RefCell<Option<String>>,
}

impl TokenSink for LinkSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token
            && tag.kind == TagKind::StartTag
        {
            let get = |name: &str| {
                tag.attrs
                    .iter()
                    .find(|a| &*a.name.local == name)
                    .map(|a| a.value.to_string())
            };
            match &*tag.name {
                "link" => {
                    if let Some(href) = get("href") {
                        self.links.borrow_mut().push(RawLink {
                            rel: get("rel").unwrap_or_default(),
                            ty: get("type").unwrap_or_default(),
                            href,
                            title: get("title").unwrap_or_default(),
                        });
                    }
                }
                "base" if self.base.borrow().is_none() => {
                    *self.base.borrow_mut() = get("href");
                }
                _ => {}
            }
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advertised_feeds_are_found_and_resolved() {
        let page = Url::parse("https://mag.example/news/index.html").unwrap();
        let html = r#"<!doctype html><html><head>
            <link rel="stylesheet" href="/s.css">
            <link rel="alternate" type="application/rss+xml" title="All  news" href="feed.xml">
            <LINK REL="Alternate" TYPE="application/atom+xml" HREF="/atom.xml">
            <link rel="alternate" type="application/feed+json" href="https://cdn.example/f.json">
            <link rel="alternate" hreflang="de" href="/de/">
            <link rel="alternate" type="application/rss+xml" href="feed.xml">
            </head><body><a href="/feed">not a link element</a></body></html>"#;
        let found = advertised(html, &page);
        let got: Vec<(&str, Option<&str>, Option<&str>)> = found
            .iter()
            .map(|a| (a.url.as_str(), a.title.as_deref(), a.kind))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "https://mag.example/news/feed.xml",
                    Some("All news"),
                    Some("RSS")
                ),
                ("https://mag.example/atom.xml", None, Some("Atom")),
                ("https://cdn.example/f.json", None, Some("JSON Feed")),
            ]
        );
    }

    #[test]
    fn base_href_is_honoured() {
        let page = Url::parse("https://mag.example/a/b/").unwrap();
        let html = r#"<head><base href="https://static.example/x/"><link rel="alternate" type="application/rss+xml" href="rss"></head>"#;
        assert_eq!(
            advertised(html, &page)[0].url.as_str(),
            "https://static.example/x/rss"
        );
    }
}
