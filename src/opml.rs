//! OPML 2.0, the feed-list format every reader imports and exports.
//!
//! Part of the config stage: it turns an OPML file into [`FeedSpec`]s and
//! back. Folder outlines become tags, and tags are written back in the
//! `category` attribute, so an export followed by an import loses nothing.

use std::path::Path;

use anyhow::{Context, Result, bail};
use opml::{OPML, Outline};

use crate::config::FeedSpec;

/// One feed as written to an OPML export.
#[derive(Debug, Clone)]
pub struct ExportFeed {
    pub url: String,
    pub name: Option<String>,
    pub site_url: Option<String>,
    pub tags: Vec<String>,
}

pub fn read_file(path: &Path) -> Result<Vec<FeedSpec>> {
    let text = std::fs::read_to_string(path).context("cannot read the OPML file")?;
    parse(&text)
}

/// Every outline with an `xmlUrl`, with the names of the folders around it
/// and its `category` attribute as tags. URLs are returned as written;
/// the caller validates them.
pub fn parse(text: &str) -> Result<Vec<FeedSpec>> {
    let doc = OPML::from_str(text).map_err(|e| anyhow::anyhow!("not valid OPML: {e}"))?;
    let mut out = Vec::new();
    for o in &doc.body.outlines {
        walk(o, &[], &mut out);
    }
    if out.is_empty() && !doc.body.outlines.is_empty() {
        bail!("the OPML has outlines but none of them has an xmlUrl");
    }
    Ok(out)
}

fn walk(o: &Outline, folders: &[String], out: &mut Vec<FeedSpec>) {
    if let Some(url) = o.xml_url.as_deref().filter(|u| !u.trim().is_empty()) {
        let mut tags: Vec<String> = folders.to_vec();
        for t in o.category.as_deref().unwrap_or("").split(',') {
            // OPML categories are slash-delimited paths; a tag is the leaf.
            let t = t.trim().trim_matches('/');
            if !t.is_empty() {
                push_unique(&mut tags, t.rsplit('/').next().unwrap_or(t));
            }
        }
        let name = o
            .title
            .clone()
            .filter(|s| !s.trim().is_empty())
            .or_else(|| Some(o.text.clone()).filter(|s| !s.trim().is_empty()))
            // Exports name an unnamed feed by its URL; that is not a name.
            .filter(|n| n.trim() != url.trim());
        if !out.iter().any(|f: &FeedSpec| f.url == url.trim()) {
            out.push(FeedSpec {
                url: url.trim().to_owned(),
                name,
                tags,
                full_text: false,
            });
        }
    } else {
        let mut inner = folders.to_vec();
        if !o.text.trim().is_empty() {
            push_unique(&mut inner, o.text.trim());
        }
        for child in &o.outlines {
            walk(child, &inner, out);
        }
    }
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_owned());
    }
}

/// Writes an OPML 2.0 document with one flat outline per feed.
pub fn write(feeds: &[ExportFeed]) -> Result<String> {
    let mut doc = OPML {
        version: "2.0".into(),
        ..OPML::default()
    };
    doc.head = Some(opml::Head {
        title: Some("tricorder feeds".into()),
        date_created: Some(chrono::Utc::now().to_rfc2822()),
        ..opml::Head::default()
    });
    for f in feeds {
        let name = f.name.clone().unwrap_or_else(|| f.url.clone());
        doc.body.outlines.push(Outline {
            text: name.clone(),
            title: Some(name),
            r#type: Some("rss".into()),
            xml_url: Some(f.url.clone()),
            html_url: f.site_url.clone(),
            category: (!f.tags.is_empty()).then(|| f.tags.join(",")),
            ..Outline::default()
        });
    }
    doc.to_string()
        .map_err(|e| anyhow::anyhow!("cannot write OPML: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_categories_become_tags() {
        let text = r#"<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
          <outline text="SEO"><outline type="rss" text="A" xmlUrl="https://a.example/feed" category="/search,/news"/></outline>
          <outline type="rss" text="B" title="Bee" xmlUrl="https://b.example/rss"/>
        </body></opml>"#;
        let feeds = parse(text).unwrap();
        assert_eq!(feeds.len(), 2);
        assert_eq!(feeds[0].tags, vec!["SEO", "search", "news"]);
        assert_eq!(feeds[1].name.as_deref(), Some("Bee"));
    }

    #[test]
    fn round_trip_keeps_everything() {
        let feeds = vec![
            ExportFeed {
                url: "https://a.example/feed?x=1&y=2".into(),
                name: Some("A & B \"quoted\"".into()),
                site_url: Some("https://a.example/".into()),
                tags: vec!["seo".into(), "news".into()],
            },
            ExportFeed {
                url: "https://c.example/rss".into(),
                name: None,
                site_url: None,
                tags: vec![],
            },
        ];
        let back = parse(&write(&feeds).unwrap()).unwrap();
        assert_eq!(back[0].url, feeds[0].url);
        assert_eq!(back[0].name, feeds[0].name);
        assert_eq!(back[0].tags, feeds[0].tags);
        assert_eq!(back[1].url, feeds[1].url);
    }
}
