//! The parser over a sample of Python feedparser's own test corpus
//! (`tests/fixtures/feeds/feedparser/`, BSD-2, origin in its README): the
//! documents feed-rs alone rejects or panics on.

use std::path::Path;

use chrono::Utc;
use tricorder::parse::{ParsedFeed, parse};
use url::Url;

const DIR: &str = "tests/fixtures/feeds/feedparser";

fn read(name: &str) -> ParsedFeed {
    let path = Path::new(DIR).join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let url = Url::parse("http://127.0.0.1:8097/tests/feed.xml").unwrap();
    parse(&bytes, None, &url, Utc::now()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_sample_file_parses() {
    let mut n = 0;
    for entry in std::fs::read_dir(DIR).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".xml") {
            read(&name);
            n += 1;
        }
    }
    assert!(n >= 15, "only {n} sample files");
}

/// (file, title, body) of the one item each file holds, as feedparser reads
/// it (its `Expect:` line), in tricorder's plain text.
#[test]
fn items_read_as_feedparser_reads_them() {
    let cases = [
        // mode="base64", no type: decoded, and read as the HTML it is.
        ("atom_entry_content_mode_base64.xml", "", "Example Atom"),
        (
            "atom_entry_title_base64_2.xml",
            "History of the <blink> tag",
            "",
        ),
        // type="text/plain": text, brackets and all.
        ("atom_entry_title_text_plain.xml", "Example Atom", ""),
        (
            "atom10_entry_title_text_plain_brackets.xml",
            "History of the <blink> tag",
            "",
        ),
        ("atom_entry_content_type_text_plain.xml", "", "Example Atom"),
        // Inline XHTML under application/xhtml+xml: its text.
        ("atom_entry_summary_inline_markup.xml", "", "Example Atom"),
        // type="application/octet-stream": base64, decoded; not HTML by type.
        ("atom10_entry_content_base64.xml", "", "Example <b>Atom</b>"),
    ];
    for (file, title, body) in cases {
        let f = read(file);
        assert_eq!(f.items.len(), 1, "{file}");
        let item = &f.items[0];
        if !title.is_empty() {
            assert_eq!(item.title, title, "{file}");
        }
        if !body.is_empty() {
            assert_eq!(item.body, body, "{file}");
        }
    }
}

#[test]
fn rss_without_a_channel_keeps_its_items() {
    let f = read("rss_item_description_not_a_doctype.xml");
    assert_eq!(f.items.len(), 1);
    read("rss_rss_version_091_netscape.xml");
}
