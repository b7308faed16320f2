//! Checks (and documents) the synthetic trend corpus in `tests/common/corpus.rs`
//! by reading its RSS back and counting phrases. Run with `--nocapture` to see
//! the summary table.

mod common;

use common::corpus::{self, ItemText, Spec, item_texts, mentions, word_count};
use std::collections::{BTreeMap, HashSet};

fn share(items: &[&ItemText], phrase: &str) -> f64 {
    let hits = items.iter().filter(|i| i.mentions(phrase) > 0).count();
    hits as f64 / items.len() as f64
}

/// Items mentioning `phrase`, per feed, among `items`.
fn per_feed(items: &[&ItemText], phrase: &str) -> BTreeMap<usize, usize> {
    let mut m = BTreeMap::new();
    for i in items.iter().filter(|i| i.mentions(phrase) > 0) {
        *m.entry(i.feed).or_insert(0) += 1;
    }
    m
}

#[test]
fn default_corpus_is_deterministic() {
    let a = corpus::generate(Spec::default());
    let b = corpus::generate(Spec::default());
    assert_eq!(a.feeds, b.feeds);
    let c = corpus::generate(Spec {
        seed: 7,
        ..Spec::default()
    });
    assert_ne!(a.feeds[0].rss, c.feeds[0].rss, "the seed matters");
}

#[test]
fn default_corpus_has_the_promised_shape() {
    let corpus = corpus::generate(Spec::default());
    assert_eq!(corpus.as_of, "2026-11-16T23:59:59Z");
    assert_eq!(corpus.days, 45);
    assert_eq!(corpus.recent_days(), 39..=45);
    assert_eq!(corpus.baseline_days(), 11..=38);
    assert!(corpus.feeds.len() >= 30);
    assert!(corpus.background.len() >= 15);

    let slugs: HashSet<&str> = corpus.feeds.iter().map(|f| f.slug.as_str()).collect();
    assert_eq!(slugs.len(), corpus.feeds.len());
    assert_eq!(corpus.feeds[2].name, "Feed 03: Inbox Weekly");
    for (i, f) in corpus.feeds.iter().enumerate() {
        assert!(
            f.name.starts_with(&format!("Feed {:02}: ", i + 1)),
            "{}",
            f.name
        );
        assert!(
            f.rss
                .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">")
        );
        assert!(f.rss.ends_with("</rss>\n"));
        assert!(f.rss.len() < 1024 * 1024);
    }

    let items = item_texts(&corpus);
    let total = items.len();
    assert!((1500..2600).contains(&total), "{total} items");

    let mut guids = HashSet::new();
    for it in &items {
        assert!(guids.insert(it.guid.clone()), "duplicate guid {}", it.guid);
        assert!((1..=45).contains(&it.day), "{}", it.pub_date);
        let tw = word_count(&it.title);
        assert!((6..=12).contains(&tw), "title has {tw} words: {}", it.title);
        let bw = word_count(&it.body);
        assert!((80..=200).contains(&bw), "body has {bw} words: {}", it.body);
        assert!(
            it.body
                .ends_with("Subscribe to our newsletter for weekly marketing insights."),
            "{}",
            it.body
        );
        assert_eq!(
            it.body.contains("appeared first on Inbox Weekly."),
            it.feed == 2,
            "only Feed 03 has the post footer"
        );
        let background = corpus
            .background
            .iter()
            .filter(|t| it.mentions(t) > 0)
            .count();
        assert!(background >= 1, "no background topic: {}", it.title);
    }

    // Weekends are quieter.
    let mut by_day = vec![0usize; 46];
    for it in &items {
        by_day[it.day as usize] += 1;
    }
    // Day 1 (2026-10-03) is a Saturday.
    let weekend: Vec<usize> = (1..=45).filter(|d| matches!(d % 7, 1 | 2)).collect();
    let we = weekend.iter().map(|&d| by_day[d]).sum::<usize>() as f64 / weekend.len() as f64;
    let wd = (1..=45usize)
        .filter(|d| !weekend.contains(d))
        .map(|d| by_day[d])
        .sum::<usize>() as f64
        / (45 - weekend.len()) as f64;
    assert!(we < 0.6 * wd, "weekend {we:.1}/day vs weekday {wd:.1}/day");
    assert!(
        items
            .iter()
            .any(|i| i.pub_date.starts_with("Sat, 03 Oct 2026"))
    );
    assert!(
        items
            .iter()
            .any(|i| i.pub_date.starts_with("Mon, 16 Nov 2026"))
    );

    let recent: Vec<&ItemText> = items
        .iter()
        .filter(|i| corpus.recent_days().contains(&i.day))
        .collect();
    let baseline: Vec<&ItemText> = items
        .iter()
        .filter(|i| corpus.baseline_days().contains(&i.day))
        .collect();
    println!(
        "{} feeds, {total} items ({} baseline days 11-38, {} recent days 39-45), weekday {wd:.1}/day, weekend {we:.1}/day",
        corpus.feeds.len(),
        baseline.len(),
        recent.len()
    );

    // Planted topics.
    assert_eq!(corpus.planted.len(), 4);
    println!("planted: phrase | baseline items | recent items | recent feeds (items per feed)");
    for p in &corpus.planted {
        let base = baseline.iter().filter(|i| i.mentions(p.phrase) > 0).count();
        let rec = per_feed(&recent, p.phrase);
        let rec_items: usize = rec.values().sum();
        println!(
            "  {:<22} | {base:>2} | {rec_items:>3} | {} {:?}",
            p.phrase,
            rec.len(),
            rec.values().collect::<Vec<_>>()
        );
        assert_eq!(p.baseline_items, base);
        assert_eq!(p.recent_items, rec_items);
        assert_eq!(p.feeds, rec.len());
        for i in recent.iter().filter(|i| i.mentions(p.phrase) > 0) {
            assert!(i.mentions(p.phrase) >= 2, "{}: {}", p.phrase, i.title);
        }
        let related_hits: usize = p
            .related
            .iter()
            .map(|r| recent.iter().filter(|i| i.mentions(r) > 0).count())
            .sum();
        assert!(
            related_hits >= 5,
            "{}: related phrases {related_hits}",
            p.phrase
        );
        if p.zero_baseline {
            assert_eq!(p.phrase, "server-side tagging");
            let earliest = items
                .iter()
                .filter(|i| i.mentions(p.phrase) > 0)
                .map(|i| i.day)
                .min()
                .unwrap();
            assert!(
                earliest >= 41,
                "server-side tagging first seen on day {earliest}"
            );
            assert!(rec.len() >= 4);
            assert!(rec.values().all(|&n| (3..=5).contains(&n)), "{rec:?}");
        } else {
            assert!(base <= 3, "{}: baseline {base}", p.phrase);
            assert!(rec.len() >= 5);
            assert!(rec.values().all(|&n| (4..=8).contains(&n)), "{rec:?}");
        }
    }
    let ai_mode: Vec<&&ItemText> = recent
        .iter()
        .filter(|i| i.mentions("AI Mode") > 0)
        .collect();
    let google = ai_mode
        .iter()
        .filter(|i| i.mentions("Google AI Mode") > 0)
        .count();
    let bare = ai_mode
        .iter()
        .filter(|i| i.mentions("AI Mode") > i.mentions("Google AI Mode"))
        .count();
    println!("  AI Mode items: {google} say \"Google AI Mode\", {bare} say plain \"AI Mode\"");
    assert!(google > 0 && bare > 0);
    assert!(items.iter().any(|i| {
        i.body
            .contains("How will retailers measure conversions when an agent does the buying?")
    }));

    // Decoys.
    let kinds: Vec<(&str, &str)> = corpus.decoys.iter().map(|d| (d.phrase, d.kind)).collect();
    assert!(kinds.contains(&("podcast sponsorships", "single-feed surge")));
    assert!(kinds.contains(&("social media", "frequent steady")));
    assert!(kinds.contains(&("artificial intelligence", "frequent steady")));
    assert!(kinds.contains(&("weekly marketing insights", "footer")));
    println!(
        "decoys: phrase | kind | baseline share (items) | recent share (items) | recent feeds"
    );
    for d in &corpus.decoys {
        let b = baseline.iter().filter(|i| i.mentions(d.phrase) > 0).count();
        let r = per_feed(&recent, d.phrase);
        let rn: usize = r.values().sum();
        println!(
            "  {:<26} | {:<17} | {:>5.1}% ({b:>4}) | {:>5.1}% ({rn:>3}) | {}",
            d.phrase,
            d.kind,
            100.0 * b as f64 / baseline.len() as f64,
            100.0 * rn as f64 / recent.len() as f64,
            r.len()
        );
    }
    let podcast = per_feed(&recent, "podcast sponsorships");
    assert_eq!(podcast.len(), 1, "{podcast:?}");
    assert!(*podcast.values().next().unwrap() >= 10);
    let podcast_base = per_feed(&baseline, "podcast sponsorships");
    assert!(podcast_base.values().sum::<usize>() <= 1);
    assert!(podcast_base.keys().all(|k| podcast.contains_key(k)));
    assert_eq!(
        items
            .iter()
            .filter(|i| i.day < 39 && i.mentions("podcast sponsorships") > 0)
            .count(),
        podcast_base.values().sum::<usize>()
    );

    let all: Vec<&ItemText> = items.iter().collect();
    let social = share(&all, "social media");
    assert!((0.38..=0.42).contains(&social), "social media {social}");
    for d in 1..=45 {
        let day: Vec<&ItemText> = items.iter().filter(|i| i.day == d).collect();
        if day.len() >= 20 {
            let s = share(&day, "social media");
            assert!((0.3..=0.5).contains(&s), "day {d}: social media {s}");
        }
    }
    let (sb, sr) = (
        share(&baseline, "social media"),
        share(&recent, "social media"),
    );
    assert!((sr / sb - 1.0).abs() < 0.1, "social media {sb} -> {sr}");
    let (ab, ar) = (
        share(&baseline, "artificial intelligence"),
        share(&recent, "artificial intelligence"),
    );
    assert!(
        (0.14..=0.16).contains(&ab),
        "artificial intelligence baseline {ab}"
    );
    assert!(
        (0.17..=0.19).contains(&ar),
        "artificial intelligence recent {ar}"
    );
    assert!(share(&all, "weekly marketing insights") == 1.0);
    assert!(share(&all, "learn more") > 0.1);
    for it in &items {
        assert_eq!(mentions(&it.body, "weekly marketing insights"), 1);
    }

    // Background topics stay steady: no accidental surge.
    println!("background: topic | baseline share | recent share | recent feeds");
    for t in &corpus.background {
        let (b, r) = (share(&baseline, t), share(&recent, t));
        let feeds = per_feed(&recent, t).len();
        println!(
            "  {t:<24} | {:>5.1}% | {:>5.1}% | {feeds}",
            100.0 * b,
            100.0 * r
        );
        assert!(b > 0.02, "{t} is too rare: {b}");
        assert!(r < 1.6 * b, "{t} surges by accident: {b} -> {r}");
    }
}
