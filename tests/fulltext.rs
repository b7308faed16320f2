//! Full text for excerpt feeds, end to end: the real binary polls feeds over
//! HTTP on 127.0.0.1 whose items link to article pages built like real
//! ones (navigation, a cookie banner, comments, related links), and reads
//! those pages as `[poll] full_text` and `full_text = true` ask.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;
use common::http::{Reply, Request, TestServer};
use serde_json::Value;

fn tricorder(config: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("tricorder");
    cmd.arg("--config").arg(config).env_remove("RUST_LOG");
    cmd.timeout(Duration::from_secs(120));
    cmd
}

fn poll(config: &Path) -> String {
    let out = tricorder(config).args(["poll", "--all"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    stderr
}

/// Titles of the items a search finds.
fn search(config: &Path, query: &str) -> Vec<String> {
    let out = tricorder(config)
        .args(["search", query, "--json", "--limit", "50"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
    hits.as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// An RSS feed of `(slug, title, body)` items linking to `/articles/<slug>.html`.
fn rss(server: &str, name: &str, now: &str, items: &[(&str, &str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(slug, title, body)| {
            format!(
                "<item><guid>{slug}</guid><title>{title}</title>\
                 <link>{server}/articles/{slug}.html</link><pubDate>{now}</pubDate>\
                 <description><![CDATA[{body}]]></description></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{name}</title>\
         <link>{server}/</link>{items}</channel></rss>"
    )
}

/// An article page as a trade site builds one: the article, and around it
/// the furniture a reader skips. Each piece of furniture carries a word no
/// article uses, so a search can tell whether it was taken for text.
fn page(title: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!doctype html><html><head><title>{title} | Shelf Talk</title></head><body>
<div class="cookie-banner">We use cookies (glimmerwick) to improve your experience. <button>Accept all</button></div>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/events">Events</a></li><li><a href="/subscribe">Subscribe to the frobnitzel newsletter</a></li></ul></nav></header>
<main><article class="post"><h1>{title}</h1><p class="byline">By Dana Whitlock, November 2026</p>
<div class="entry-content">
{body}</div></article>
<aside class="related"><h3>Related stories</h3><ul>
<li><a href="/a">Quibbleton opens a second warehouse</a></li><li><a href="/b">Five quibbleton trends to watch</a></li>
<li><a href="/c">Why quibbleton matters this quarter</a></li></ul></aside>
<section id="comments" class="comments"><h3>3 comments</h3>
<div class="comment"><p>Great read! zorbulax forever.</p></div>
<div class="comment"><p>Does anyone have the zorbulax numbers for last year?</p></div>
<div class="comment"><p>Spam link zorbulax casino</p></div></section></main>
<footer><p>© 2026 Shelf Talk. All rights reserved. Privacy policy. Terms. Sitemap.</p></footer>
</body></html>"#
    )
}

const PALLET: &[&str] = &[
    "Retailers are starting to measure pallet-level attribution, tying each shipment of promoted stock to the campaigns that moved it off the shelf, according to three regional grocery chains that piloted the approach this autumn.",
    "The pilots matched point-of-sale data with warehouse scans, so that a brand could see which of its promotions emptied a pallet and which left it standing in the back room. One chain said the method cut its write-offs on promoted goods by a fifth.",
    "Agencies are wary. Several media buyers said the numbers flatter in-store displays and undercount the work that awareness campaigns do weeks earlier, and that no two retailers count a pallet the same way yet.",
    "Suppliers want a common standard before they share more data. A trade group is drafting one, and expects to publish a first version early next year, with a test period for any retailer that wants to join.",
];

const LOCKERS: &[&str] = &[
    "Parcel lockers run by grocery chains now handle more returns than deliveries in two of the largest cities surveyed, a shift that store managers say brings shoppers back through the doors with every parcel they drop off.",
    "The chains have started placing promoted products next to the lockers, and early figures suggest the spot sells better than the end of an aisle, at least for snacks and small household goods bought on impulse.",
    "Carriers are less pleased: locker networks owned by retailers compete with their own, and two of them are asking regulators whether the chains should have to open their lockers to rival services on equal terms.",
];

const STORES: &[&str] = &[
    "Supermarket chains are opening smaller stores again, betting that city shoppers who buy a little every day will outspend those who drive out once a week to the large formats on the ring roads.",
    "The small formats carry a fraction of the range, so every shelf is fought over, and suppliers say the fee for a place at eye level has doubled in two years while the space itself has halved.",
    "Analysts expect the trend to last as long as rents in town centres stay low, and warn that a recovery in office attendance could make the same sites far more expensive within a few seasons.",
];

struct Site {
    server: TestServer,
}

impl Site {
    fn start() -> Site {
        // One date for every fetch: an item whose date changed would be
        // an updated item.
        let now = Utc::now().to_rfc2822();
        let server = TestServer::start(move |req: &Request| {
            let host = format!("http://{}", req.header("host").unwrap_or("127.0.0.1"));
            match req.path_only() {
                "/excerpt.xml" => Reply::ok(rss(
                    &host,
                    "Shelf Talk",
                    &now,
                    &[
                        (
                            "pallets",
                            "Grocers test pallet-level attribution",
                            "<p>Retailers are starting to measure which promotions empty a pallet.</p>\
                             <p>The post Grocers test pallet-level attribution appeared first on Shelf Talk.</p>",
                        ),
                        (
                            "lockers",
                            "Parcel lockers pull shoppers into stores",
                            "<p>Lockers now handle more returns than deliveries.</p>\
                             <p>The post Parcel lockers pull shoppers into stores appeared first on Shelf Talk.</p>",
                        ),
                        (
                            "gone",
                            "Loyalty apps lose their sticker books",
                            "<p>Digital stamp cards replace paper loyalty booklets at cafés.</p>\
                             <p>The post Loyalty apps lose their sticker books appeared first on Shelf Talk.</p>",
                        ),
                    ],
                )),
                "/full.xml" => Reply::ok(rss(
                    &host,
                    "Long Reads",
                    &now,
                    &[("long-one", "Store formats shrink again", &STORES.join(" "))],
                )),
                "/articles/pallets.html" => {
                    Reply::ok(page("Grocers test pallet-level attribution", PALLET))
                        .with_header("Content-Type", "text/html; charset=utf-8")
                }
                "/articles/lockers.html" => {
                    Reply::ok(page("Parcel lockers pull shoppers into stores", LOCKERS))
                        .with_header("Content-Type", "text/html; charset=utf-8")
                }
                "/articles/long-one.html" => Reply::ok(page("Store formats shrink again", STORES))
                    .with_header("Content-Type", "text/html; charset=utf-8"),
                _ => Reply::status(404),
            }
        });
        Site { server }
    }

    fn config(&self, dir: &Path, poll: &str, excerpt_full_text: bool) -> PathBuf {
        let path = dir.join("tricorder.toml");
        std::fs::write(
            &path,
            format!(
                "data_dir = \"state\"\n[poll]\ntimeout = \"5s\"\n{poll}\n\
                 [[feeds]]\nurl = \"{}\"\nname = \"Shelf Talk\"\nfull_text = {excerpt_full_text}\n\
                 [[feeds]]\nurl = \"{}\"\nname = \"Long Reads\"\n",
                self.server.url("/excerpt.xml"),
                self.server.url("/full.xml"),
            ),
        )
        .unwrap();
        path
    }

    fn article_hits(&self) -> usize {
        ["pallets", "lockers", "gone", "long-one"]
            .iter()
            .map(|s| self.server.hits(&format!("/articles/{s}.html")))
            .sum()
    }
}

#[test]
fn a_full_text_feed_is_searched_by_its_articles_and_never_by_their_furniture() {
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let cfg = site.config(dir.path(), "", true);
    let stderr = poll(&cfg);
    assert!(
        stderr.contains("2 articles read, 1 kept the feed's summary"),
        "{stderr}"
    );
    // Words only the articles have are found...
    assert_eq!(
        search(&cfg, "\"write-offs\""),
        vec!["Grocers test pallet-level attribution"]
    );
    assert_eq!(
        search(&cfg, "carriers regulators"),
        vec!["Parcel lockers pull shoppers into stores"]
    );
    // ...the page furniture around them is not.
    for furniture in ["zorbulax", "quibbleton", "glimmerwick", "frobnitzel"] {
        assert!(
            search(&cfg, furniture).is_empty(),
            "{furniture} was indexed"
        );
    }
    // A page that cannot be read leaves the feed's summary searchable.
    assert_eq!(
        search(&cfg, "stamp cards"),
        vec!["Loyalty apps lose their sticker books"]
    );
    // The feed that gives whole articles is not read page by page.
    assert_eq!(site.server.hits("/articles/long-one.html"), 0);
    assert_eq!(site.server.hits("/articles/gone.html"), 1);

    // The next round reads nothing again: not the articles it has, and not
    // the page that failed.
    let stderr = poll(&cfg);
    assert!(!stderr.contains("full text:"), "{stderr}");
    assert_eq!(site.article_hits(), 3);
    let status = tricorder(&cfg).arg("status").output().unwrap();
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.contains("Full text: 2 articles read, 1 page kept the feed's summary"),
        "{status}"
    );
    // Analysis sees the article: its phrases are the article's, not the
    // two-sentence summary's.
    let store = tricorder::store::Store::open(&dir.path().join("state")).unwrap();
    let feed = store
        .feeds()
        .unwrap()
        .into_iter()
        .find(|f| f.full_text)
        .unwrap();
    let items = store.items_of_feed(feed.id).unwrap();
    let pallets = items.iter().find(|i| i.guid == "pallets").unwrap();
    assert!(
        pallets.phrases.iter().any(|p| p == "point of sale data"),
        "{:?}",
        pallets.phrases
    );
}

#[test]
fn auto_reads_only_items_whose_body_is_an_excerpt() {
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let cfg = site.config(dir.path(), "full_text = \"auto\"", false);
    poll(&cfg);
    assert_eq!(site.server.hits("/articles/pallets.html"), 1);
    assert_eq!(site.server.hits("/articles/lockers.html"), 1);
    assert_eq!(site.server.hits("/articles/gone.html"), 1);
    // Long Reads' body is the whole article: its page is never fetched.
    assert_eq!(site.server.hits("/articles/long-one.html"), 0);
    assert_eq!(
        search(&cfg, "\"write-offs\""),
        vec!["Grocers test pallet-level attribution"]
    );
}

#[test]
fn a_round_reads_no_more_pages_than_its_budget() {
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let cfg = site.config(dir.path(), "full_text_budget = 1", true);
    poll(&cfg);
    assert_eq!(site.article_hits(), 1);
    poll(&cfg);
    assert_eq!(site.article_hits(), 2);
    poll(&cfg);
    assert_eq!(site.article_hits(), 3);
    poll(&cfg);
    assert_eq!(site.article_hits(), 3);
}

#[test]
fn without_full_text_no_page_is_fetched() {
    let site = Site::start();
    let dir = tempfile::tempdir().unwrap();
    let cfg = site.config(dir.path(), "", false);
    poll(&cfg);
    assert_eq!(site.article_hits(), 0);
    assert!(search(&cfg, "\"write-offs\"").is_empty());
}
