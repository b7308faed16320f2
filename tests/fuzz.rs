//! Property tests: the feed parser and the config reader take any input
//! without panicking (issue 14). Feed documents are the fixtures, mutated
//! (bytes flipped, inserted, deleted, spliced, cut), or random bytes;
//! configs are the documented default config, mutated line by line.
//!
//! The suite runs a bounded number of cases (`FUZZ_CASES`, below). To run
//! longer, set PROPTEST_CASES, e.g.
//! `PROPTEST_CASES=100000 cargo test --release --test fuzz`.
//! A loop would show as a test that never ends.

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;

/// Cases per property in the ordinary suite.
const FUZZ_CASES: u32 = 200;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(FUZZ_CASES)
}

fn fixtures() -> &'static [Vec<u8>] {
    static FIXTURES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds");
        let mut docs: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "xml" || e == "json"))
            .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
            .collect();
        // Sorted: a failing case must name the same fixture on every run.
        docs.sort();
        assert!(docs.len() >= 10, "fixtures missing");
        docs.into_iter().map(|(_, d)| d).collect()
    })
}

fn default_config() -> &'static str {
    static CONFIG: OnceLock<String> = OnceLock::new();
    CONFIG.get_or_init(|| {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("config/tricorder.toml"))
            .unwrap()
    })
}

/// One edit to a document.
#[derive(Debug, Clone)]
enum Mutation {
    Flip {
        at: usize,
        byte: u8,
    },
    Insert {
        at: usize,
        bytes: Vec<u8>,
    },
    Delete {
        at: usize,
        len: usize,
    },
    /// Copies a slice of the document elsewhere in it (duplicated tags,
    /// nested elements, repeated entities).
    Splice {
        from: usize,
        len: usize,
        to: usize,
    },
    Truncate {
        at: usize,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Bytes that matter to XML, JSON and HTML parsers, and some that should not be there.
    let interesting = prop::sample::select(
        b"<>&;\"'/=![]{}:,\\?#%\0\x1b\xff\xfe\xc3\x80\n\r\t -xmlrssfeeditemtitle".to_vec(),
    );
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip { at, byte }),
        (any::<usize>(), prop::collection::vec(interesting, 1..8))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), 1usize..256, any::<usize>())
            .prop_map(|(from, len, to)| Mutation::Splice { from, len, to }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

fn apply(doc: &mut Vec<u8>, m: &Mutation) {
    let n = doc.len();
    if n == 0 {
        if let Mutation::Insert { bytes, .. } = m {
            doc.extend_from_slice(bytes);
        }
        return;
    }
    match m {
        Mutation::Flip { at, byte } => doc[at % n] = *byte,
        Mutation::Insert { at, bytes } => {
            let at = at % (n + 1);
            doc.splice(at..at, bytes.iter().copied());
        }
        Mutation::Delete { at, len } => {
            let at = at % n;
            doc.drain(at..(at + len).min(n));
        }
        Mutation::Splice { from, len, to } => {
            let from = from % n;
            let piece = doc[from..(from + len).min(n)].to_vec();
            let to = to % (n + 1);
            doc.splice(to..to, piece);
        }
        Mutation::Truncate { at } => doc.truncate(at % n),
    }
}

thread_local! {
    /// Panics on this thread, including those the parser catches itself:
    /// a caught panic is still a bug to find.
    static PANICS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn count_panics() {
    static HOOK: OnceLock<()> = OnceLock::new();
    HOOK.get_or_init(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.with(|p| p.set(p.get() + 1));
            default(info);
        }));
    });
}

fn parse(doc: &[u8], charset: Option<&str>) {
    count_panics();
    let before = PANICS.with(|p| p.get());
    let url = url::Url::parse("https://fuzz.example/feed").unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-16T12:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    // Any result is fine; a panic or a hang is not. An error must not
    // quote the document either (it may be a local file).
    if let Err(e) = tricorder::parse::parse(doc, charset, &url, now) {
        let msg = e.to_string();
        assert!(
            msg.len() < 400,
            "error message of {} bytes: {msg}",
            msg.len()
        );
    }
    assert_eq!(PANICS.with(|p| p.get()), before, "the parser panicked");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn mutated_fixtures_never_panic_the_parser(
        pick in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..12),
        charset in prop::option::of(prop::sample::select(vec!["utf-8", "iso-8859-1", "utf-16", "bogus"])),
    ) {
        let docs = fixtures();
        let mut doc = docs[pick.index(docs.len())].clone();
        for m in &mutations {
            apply(&mut doc, m);
        }
        parse(&doc, charset);
    }

    #[test]
    fn random_bytes_never_panic_the_parser(
        prefix in prop::sample::select(vec![
            &b""[..], b"<?xml version=\"1.0\"?>", b"<rss version=\"2.0\"><channel>",
            b"<feed xmlns=\"http://www.w3.org/2005/Atom\">", b"{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [",
            b"\xef\xbb\xbf", b"\xff\xfe",
        ]),
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
    ) {
        let mut doc = prefix.to_vec();
        doc.extend_from_slice(&bytes);
        parse(&doc, None);
    }

    #[test]
    fn mutated_configs_never_panic_the_config_reader(
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), prop::sample::select(vec![
                "", "= \"0s\"", "= \"99999999999d\"", "= 0", "= -1", "= 18446744073709551615",
                "= \"\"", "= [", "= { }", "= \"\u{1b}[2J\"", "[poll]", "[[feeds]]", "url = \"\"",
                "concurrency = 99999999999999", "max_body = \"1EiB\"", "schedule = \"* * *\"",
                "timezone = \"Mars/Olympus\"", "window = \"1ns\"", "\u{0}",
            ])),
            1..8,
        ),
    ) {
        let mut lines: Vec<String> = default_config().lines().map(str::to_owned).collect();
        for (at, edit) in edits {
            let i = at.index(lines.len());
            // Keep the key, replace its value; or replace the whole line.
            let line = match lines[i].split_once('=') {
                Some((key, _)) if edit.starts_with('=') => format!("{key}{edit}"),
                _ => edit.to_owned(),
            };
            lines[i] = line;
        }
        let text = lines.join("\n");
        // A folder that does not exist: the reader finds no file it names.
        let _ = tricorder::config::parse(Path::new("/nonexistent/fuzz/tricorder.toml"), &text);
    }

    #[test]
    fn random_text_never_panics_the_config_reader(text in "\\PC{0,400}") {
        let _ = tricorder::config::parse(Path::new("/nonexistent/fuzz/tricorder.toml"), &text);
    }
}

/// Found by the mutation property: a second XML declaration with an
/// encoding made quick-xml panic.
#[test]
fn a_late_xml_declaration_is_an_error_not_a_panic() {
    let doc = b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>\
        <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><item><title>x</title></item></channel></rss>";
    parse(doc, None);
    let url = url::Url::parse("https://fuzz.example/feed").unwrap();
    let e = tricorder::parse::parse(doc, None, &url, chrono::Utc::now()).unwrap_err();
    assert!(e.to_string().contains("XML declaration"), "{e}");
}
