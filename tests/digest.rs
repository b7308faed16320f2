//! The digest, delivered to a real SMTP server on 127.0.0.1: envelope,
//! headers, both MIME parts, roles, retries, exactly-once, escaping, and the
//! grammar of the discussion starters.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::smtp::SmtpServer;
use tricorder::analyse::types::TopicType;
use tricorder::digest::model::Link;
use tricorder::digest::starters::{self, Fill, Templates};
use tricorder::store::{DigestStatus, Store};

fn link(t: &str, f: &str) -> Link {
    Link {
        title: t.into(),
        url: Some(format!("https://{f}.example/{}", t.len())),
        feed: f.into(),
        date: "2026-11-12".into(),
    }
}

fn tricorder(cfg: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::cargo::cargo_bin_cmd!("tricorder");
    c.arg("--config")
        .arg(cfg)
        .env_remove("RUST_LOG")
        .env("TEST_SMTP_PASSWORD", "s3cret");
    c.timeout(Duration::from_secs(120));
    c
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A config over the bundled demo feeds, analysed as of their date, sending
/// to `smtp_port` with AUTH. `extra_feeds` are more feed files to include.
fn config(dir: &Path, smtp_port: u16, as_of: &str, extra_feeds: &[PathBuf]) -> PathBuf {
    let mut s = format!(
        "data_dir = \"state\"\n[analysis]\nas_of = \"{as_of}\"\n\
         [digest]\ntimezone = \"UTC\"\nfrom = \"tricorder <digest@tricorder.test>\"\n\
         to = [\"plain@example.com\"]\nretry = \"1s\"\n\
         [[digest.recipients]]\nemail = \"seller@example.com\"\nrole = \"sales\"\n\
         [smtp]\nhost = \"127.0.0.1\"\nport = {smtp_port}\nsecurity = \"none\"\n\
         username = \"tri\"\npassword_env = \"TEST_SMTP_PASSWORD\"\ntimeout = \"5s\"\n"
    );
    let demo = root().join("data/demo");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&demo)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "xml" || e == "json")
                && !p.ends_with("broken-feed.xml")
        })
        .collect();
    files.sort();
    files.extend(extra_feeds.iter().cloned());
    for f in files {
        s.push_str(&format!("[[feeds]]\nurl = \"{}\"\n", f.display()));
    }
    let path = dir.join("tricorder.toml");
    std::fs::write(&path, s).unwrap();
    path
}

fn setup(extra: &[PathBuf]) -> (tempfile::TempDir, SmtpServer, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(&dir.path().join("mail"), Some("tri:s3cret"));
    let cfg = config(dir.path(), smtp.port, "2026-11-16", extra);
    tricorder(&cfg).args(["poll", "--all"]).assert().success();
    (dir, smtp, cfg)
}

fn header<'a>(raw: &'a str, name: &str) -> Option<&'a str> {
    raw.lines()
        .take_while(|l| !l.is_empty())
        .find(|l| {
            l.to_lowercase()
                .starts_with(&format!("{}:", name.to_lowercase()))
        })
        .map(|l| l[name.len() + 1..].trim())
}

/// The decoded text/plain or text/html body, read with a real MIME parser.
fn part(raw: &str, content_type: &str) -> String {
    let msg = mail_parser::MessageParser::default()
        .parse(raw.as_bytes())
        .expect("a parsable message");
    let body = match content_type {
        "text/plain" => msg.body_text(0),
        "text/html" => msg.body_html(0),
        other => panic!("unexpected {other}"),
    };
    body.unwrap_or_else(|| panic!("no {content_type} part in:\n{raw}"))
        .into_owned()
}

#[test]
fn digest_reaches_the_smtp_server_once_with_both_parts_and_roles() {
    let (_dir, smtp, cfg) = setup(&[]);
    let out = tricorder(&cfg).args(["digest", "--send"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let msgs = smtp.messages();
    assert_eq!(msgs.len(), 2, "one message per recipient");
    let mut rcpts: Vec<String> = msgs.iter().flat_map(|m| m.rcpt_tos.clone()).collect();
    rcpts.sort();
    assert_eq!(rcpts, vec!["plain@example.com", "seller@example.com"]);
    for m in &msgs {
        assert_eq!(m.mail_from, "digest@tricorder.test");
        assert_eq!(m.auth.as_deref(), Some("tri"), "authenticated");
        let subject = header(&m.raw, "Subject").unwrap();
        assert!(
            subject.contains("16 Nov"),
            "subject names the date: {subject}"
        );
        assert!(
            subject.contains("rising"),
            "subject names the top topic: {subject}"
        );
        assert!(
            header(&m.raw, "Message-ID")
                .unwrap()
                .contains("tricorder.2026-11-16")
        );
        assert!(
            header(&m.raw, "Content-Type")
                .unwrap()
                .starts_with("multipart/alternative")
        );
        let text = part(&m.raw, "text/plain");
        // minijinja also escapes "/" as &#x2f;, which every HTML reader decodes.
        let html = part(&m.raw, "text/html").replace("&#x2f;", "/");
        for section in [
            "TRENDING NOW",
            "QUESTIONS THE INDUSTRY IS ASKING",
            "QUESTIONS YOU COULD ASK",
            "ASK YOUR EXPERT",
        ] {
            assert!(text.contains(section), "text part lacks {section}");
        }
        assert!(
            html.contains("https://commercecircuit.example/"),
            "links to the evidence"
        );
        assert!(html.len() < 100 * 1024, "HTML is {} bytes", html.len());
        assert!(!html.to_lowercase().contains("<script"), "no scripts");
        assert!(!html.to_lowercase().contains("<img"), "no external images");
        let role_line = "Sales:";
        let is_seller = m.rcpt_tos[0] == "seller@example.com";
        assert_eq!(
            text.contains(role_line),
            is_seller,
            "the role angle goes to the sales recipient only"
        );
    }

    // Sending again in the same period sends nothing.
    let out = tricorder(&cfg).args(["digest", "--send"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("already sent"));
    assert_eq!(smtp.messages().len(), 2);
    // --force sends again; --to sends a test copy without touching the record.
    tricorder(&cfg)
        .args(["digest", "--send", "--force"])
        .assert()
        .success();
    assert_eq!(smtp.messages().len(), 4);
    tricorder(&cfg)
        .args(["digest", "--to", "test@example.com"])
        .assert()
        .success();
    let msgs = smtp.messages();
    assert_eq!(msgs.len(), 5);
    assert_eq!(msgs[4].rcpt_tos, vec!["test@example.com"]);
    assert!(
        header(&msgs[4].raw, "Subject")
            .unwrap()
            .starts_with("[test]")
    );
}

#[test]
fn server_down_is_retried_and_delivered_once_when_it_returns() {
    let (_dir, mut smtp, cfg) = setup(&[]);
    smtp.stop();
    let out = tricorder(&cfg).args(["digest", "--send"]).output().unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("retries at"), "{stdout}");
    let st = Store::open(&_dir.path().join("state")).unwrap();
    let row = st.digest("2026-11-16").unwrap().unwrap();
    assert_eq!(row.status, DigestStatus::Pending);
    assert!(row.last_error.is_some());
    assert_eq!(row.attempts, 1);

    smtp.restart();
    tricorder(&cfg)
        .args(["digest", "--send"])
        .assert()
        .success();
    tricorder(&cfg)
        .args(["digest", "--send"])
        .assert()
        .success();
    assert_eq!(smtp.messages().len(), 2, "delivered once per recipient");
    let row = st.digest("2026-11-16").unwrap().unwrap();
    assert_eq!(row.status, DigestStatus::Sent);

    // A 4xx is transient too.
    let (_dir2, smtp2, cfg2) = setup(&[]);
    smtp2.set_mode("tempfail");
    assert!(
        !tricorder(&cfg2)
            .args(["digest", "--send"])
            .output()
            .unwrap()
            .status
            .success()
    );
    smtp2.set_mode("accept");
    tricorder(&cfg2)
        .args(["digest", "--send"])
        .assert()
        .success();
    assert_eq!(smtp2.messages().len(), 2);
}

#[test]
fn a_permanent_refusal_is_marked_failed_and_not_retried() {
    let (dir, smtp, cfg) = setup(&[]);
    smtp.set_mode("permfail");
    let out = tricorder(&cfg).args(["digest", "--send"]).output().unwrap();
    assert!(!out.status.success());
    let st = Store::open(&dir.path().join("state")).unwrap();
    let row = st.digest("2026-11-16").unwrap().unwrap();
    assert_eq!(row.status, DigestStatus::Failed);
    assert!(
        row.last_error.as_deref().unwrap().contains("554"),
        "{row:?}"
    );
    smtp.set_mode("accept");
    let out = tricorder(&cfg).args(["digest", "--send"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("already failed"));
    assert!(smtp.messages().is_empty());
    // status shows it.
    let out = tricorder(&cfg).args(["status"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("failed") && text.contains("554"), "{text}");
}

/// Four feeds whose surge topic has hostile titles: every title carries a
/// script, a tracking pixel, an attribute break-out and a literal "&amp;".
fn hostile_feeds(dir: &Path) -> Vec<PathBuf> {
    let hostile = "Zebra pricing &lt;script&gt;alert(1)&lt;/script&gt; \
                   &lt;img src=https://track.example/p.gif&gt; \"&gt;&lt;b&gt;bold&lt;/b&gt; \
                   fish &amp;amp; chips";
    (0..4)
        .map(|f| {
            let mut items = String::new();
            for d in 0..5 {
                items.push_str(&format!(
                    "<item><guid>z{f}-{d}</guid><title>{hostile} no. {f}{d}</title><link>https://hostile{f}.example/{d}</link>\
                     <pubDate>{} Nov 2026 10:00:00 GMT</pubDate>\
                     <description>Zebra pricing is spreading. Shops test zebra pricing on weekends.</description></item>",
                    11 + d
                ));
            }
            let path = dir.join(format!("hostile{f}.xml"));
            std::fs::write(
                &path,
                format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Hostile {f}</title>{items}</channel></rss>"),
            )
            .unwrap();
            path
        })
        .collect()
}

#[test]
fn feed_text_is_escaped_in_html_and_intact_in_text() {
    let tmp = tempfile::tempdir().unwrap();
    let (_dir, _smtp, cfg) = setup(&hostile_feeds(tmp.path()));
    let html = String::from_utf8(
        tricorder(&cfg)
            .args(["digest", "--preview", "--format", "html"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .replace("&#x2f;", "/");
    let text = String::from_utf8(
        tricorder(&cfg)
            .args(["digest", "--preview", "--format", "text"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        html.contains("Zebra pricing") || html.contains("zebra pricing"),
        "the hostile topic trends"
    );
    assert!(!html.contains("<script>alert(1)"), "script injected");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the title is shown, escaped"
    );
    assert!(
        !html.contains("<img src=https://track.example"),
        "tracking pixel injected"
    );
    assert!(!html.contains("\"><b>bold"), "markup injected");
    assert!(
        html.contains("fish &amp;amp; chips"),
        "&amp; escaped once more in HTML"
    );
    assert!(
        text.contains("<script>alert(1)</script>"),
        "text keeps the title as is"
    );
    assert!(
        text.contains("fish &amp; chips"),
        "text keeps &amp; as written"
    );
}

#[test]
fn starters_differ_on_consecutive_days_and_never_repeat() {
    let (dir, smtp, cfg) = setup(&[]);
    tricorder(&cfg)
        .args(["digest", "--send"])
        .assert()
        .success();
    let cfg2 = config(dir.path(), smtp.port, "2026-11-17", &[]);
    tricorder(&cfg2)
        .args(["digest", "--send"])
        .assert()
        .success();
    let st = Store::open(&dir.path().join("state")).unwrap();
    let day = |p: &str| -> serde_json::Value {
        serde_json::from_str(&st.digest(p).unwrap().unwrap().content).unwrap()
    };
    let (a, b) = (day("2026-11-16"), day("2026-11-17"));
    let starters = |d: &serde_json::Value, topic: &str| -> Vec<String> {
        d["starters"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["topic"] == topic)
            .flat_map(|g| {
                g["starters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s["text"].as_str().unwrap().to_owned())
            })
            .collect()
    };
    let mut compared = 0;
    for g in a["starters"].as_array().unwrap() {
        let topic = g["topic"].as_str().unwrap();
        let (x, y) = (starters(&a, topic), starters(&b, topic));
        if y.is_empty() {
            continue;
        }
        compared += 1;
        for q in &y {
            assert!(
                !x.contains(q),
                "{topic}: {q:?} repeated on consecutive days"
            );
        }
    }
    assert!(compared > 0, "no topic in both digests");
}

/// What a template must not presuppose of a topic of each type.
const WRONG_FOR: &[(TopicType, &[&str])] = &[
    (
        TopicType::Person,
        &[
            "shopping",
            "here to stay",
            "live today",
            "budgets",
            "early adopters",
            "adoption",
            "win from",
            "trust",
            "went away",
        ],
    ),
    (
        TopicType::Event,
        &[
            "shopping",
            "here to stay",
            "live today",
            "budgets",
            "early adopters",
            "adoption",
            "win from",
            "trust",
            "stalled",
        ],
    ),
    (
        TopicType::Place,
        &[
            "shopping",
            "here to stay",
            "live today",
            "budgets",
            "early adopters",
            "adoption",
            "win from",
        ],
    ),
];

#[test]
fn starters_fit_the_type_of_their_topic() {
    let t = Templates::load(&root().join("config/questions.toml")).unwrap();
    let claim = starters::Claim {
        text: "The ministry said 40,000 households would be affected.".into(),
        source: link("A report", "Wire"),
    };
    for period in [
        "2026-11-16",
        "2026-11-17",
        "2026-11-18",
        "2026-11-19",
        "2026-11-20",
    ] {
        for (ty, wrong) in WRONG_FOR {
            for topic in [
                "Maria Ortiz",
                "Dutch election",
                "Rotterdam",
                "airport attack",
            ] {
                let fill = Fill {
                    topic,
                    topic_type: *ty,
                    industry: "marketing",
                    audience: ("Gen X", "Millennials"),
                    question: None,
                    claim: Some(&claim),
                };
                let all: Vec<String> = starters::choose(&t, period, topic, &fill, 6, &[])
                    .into_iter()
                    .map(|s| s.text)
                    .chain(starters::checks(&t, period, topic, &fill, 4))
                    .collect();
                for s in &all {
                    for w in *wrong {
                        assert!(!s.contains(w), "{ty:?} topic {topic:?} got {w:?}: {s}");
                    }
                }
            }
        }
    }
    // Unknown gets only the templates that suit every type.
    for k in t.kinds.values().chain(std::iter::once(&starters::Kind {
        label: "expert".into(),
        templates: t.expert.templates.clone(),
    })) {
        for tpl in &k.templates {
            if let starters::Template::Typed { types, .. } = tpl {
                assert!(
                    !tpl.suits(TopicType::Unknown) || types.len() == 6,
                    "{}",
                    tpl.text()
                );
            }
        }
    }
    // A grounded starter names its source and carries its link.
    let fill = Fill {
        topic: "Dutch election",
        topic_type: TopicType::Event,
        industry: "marketing",
        audience: ("Gen X", "Millennials"),
        question: None,
        claim: Some(&claim),
    };
    let chosen = starters::choose(&t, "2026-11-16", "dutch election", &fill, 3, &[]);
    let grounded = chosen.iter().find(|s| s.kind == "evidence").unwrap();
    assert!(
        grounded
            .text
            .starts_with("Wire reports: “The ministry said 40,000"),
        "{}",
        grounded.text
    );
    assert_eq!(grounded.sources, vec![claim.source.clone()]);
    let checks = starters::checks(&t, "2026-11-16", "dutch election", &fill, 2);
    assert!(checks[0].contains("40,000 households"), "{checks:?}");
}

#[test]
fn starters_are_grammatical_for_tricky_topics() {
    let t = Templates::load(&root().join("config/questions.toml")).unwrap();
    let topics = [
        "agentic commerce",
        "AI Mode",
        "TikTok Shop",
        "shopping agents",
        "CRM",
        "server-side tagging",
        "retail media",
        "AI Overviews",
        "eBay Live",
        "SEO",
    ];
    for topic in topics {
        let claim = starters::Claim {
            text: format!("Retailers said {topic} drove 18% of checkouts last week."),
            source: link("A report", "commercecircuit"),
        };
        let fill = Fill {
            topic,
            topic_type: TopicType::Concept,
            industry: "marketing",
            audience: ("Gen X", "Millennials"),
            question: Some("How will retailers measure conversions when an agent does the buying?"),
            claim: Some(&claim),
        };
        let questions: Vec<String> = t
            .kinds
            .values()
            .flat_map(|k| {
                k.templates
                    .iter()
                    .map(|tpl| starters::render(tpl.text(), &fill))
            })
            .collect();
        let checks: Vec<String> = t
            .expert
            .templates
            .iter()
            .map(|tpl| starters::render(tpl.text(), &fill))
            .collect();
        for s in questions.iter().chain(&checks) {
            assert!(
                !s.contains('{') && !s.contains('}'),
                "placeholder left: {s}"
            );
            let first = s.chars().next().unwrap();
            assert!(
                first.is_uppercase() || s.starts_with("eBay"),
                "starts lower-case: {s}"
            );
            for bad in [
                " a AI",
                " a SEO",
                " an CRM",
                " an TikTok",
                " a agentic",
                "  ",
                " is shopping agents",
                "shopping agents is ",
                "shopping agents has ",
                "AI Overviews is ",
                "shopping agents does ",
            ] {
                assert!(!s.contains(bad), "{bad:?} in: {s}");
            }
        }
        for s in &questions {
            assert!(
                s.contains(topic)
                    || s.contains(&starters::capitalise(topic))
                    || s.contains("How will retailers"),
                "topic missing: {s}"
            );
            assert!(s.trim_end().ends_with('?'), "not a question: {s}");
        }
    }
}

#[test]
fn text_rendering_matches_the_snapshot() {
    use tricorder::digest::model::*;
    use tricorder::digest::render::Renderer;
    let digest = Digest {
        period: "2026-11-16".into(),
        date_long: "Monday 16 November 2026".into(),
        subject: "tricorder, Mon 16 Nov: TikTok Shop is rising (+1 more)".into(),
        industry: "marketing".into(),
        quiet: false,
        topics: vec![TopicView {
            name: "TikTok Shop".into(),
            kind: "theme".into(),
            topic_type: "product".into(),
            summary: "A theme across 6 stories in 5 feeds".into(),
            headline: "TikTok Shop sellers <b>report</b> record sessions".into(),
            stories: vec![],
            growth: "×10.3".into(),
            count: 9,
            expected: "0.9".into(),
            feeds: 5,
            window_days: 7,
            bars: (0..35)
                .map(|i| Bar {
                    date: format!("day {i}"),
                    count: (i % 5) as u32,
                    height: (i % 5) as u32 * 6,
                    in_window: i >= 28,
                })
                .collect(),
            sparkline: "▁▂▃|▇█".into(),
            related: vec!["live shopping".into()],
            links: vec![link(
                "Is TikTok Shop ready for holiday returns?",
                "commercecircuit",
            )],
            command: String::new(),
            page: String::new(),
            brief: vec![BriefSentence {
                text: "Sellers say live sessions now pull in thousands.".into(),
                source: link("Live shopping lessons", "socialdesk"),
            }],
        }],
        questions: vec![QuestionView {
            question: "What does TikTok Shop mean for small brands?".into(),
            topic: Some("TikTok Shop".into()),
            sources: vec![link(
                "What does TikTok Shop mean for small brands?",
                "socialdesk",
            )],
        }],
        starters: vec![StarterGroup {
            topic: "TikTok Shop".into(),
            read_first: vec![link(
                "Is TikTok Shop ready for holiday returns?",
                "commercecircuit",
            )],
            starters: vec![Starter {
                kind: "big_picture".into(),
                label: "The big picture".into(),
                text: "What are the big-picture implications of TikTok Shop for marketing?".into(),
                sources: vec![],
            }],
        }],
        expert: vec![ExpertGroup {
            topic: "TikTok Shop".into(),
            open_questions: vec![],
            checks: vec!["Ask how sales are attributed across sites.".into()],
        }],
        health: Health {
            feeds: 14,
            healthy: 13,
            failing: vec![FailingFeed {
                name: "Funnel Friday".into(),
                url: "file:///broken.xml".into(),
                error: "malformed feed".into(),
                failures: 3,
            }],
            items: 120,
        },
        config_path: "/etc/tricorder/tricorder.toml".into(),
        role: Some(RoleAngle {
            role: "sales".into(),
            angle: "Sales: share what your buyers ask about TikTok Shop.".into(),
        }),
        topic_pages: vec![],
    };
    let text = Renderer::new(&root().join("config/templates"))
        .unwrap()
        .render(&digest)
        .unwrap()
        .text;
    let snap = root().join("tests/snapshots/digest.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() || !snap.exists() {
        std::fs::create_dir_all(snap.parent().unwrap()).unwrap();
        std::fs::write(&snap, &text).unwrap();
    }
    assert_eq!(
        text,
        std::fs::read_to_string(&snap).unwrap(),
        "run with UPDATE_SNAPSHOTS=1 to accept a deliberate change"
    );
}

#[test]
fn a_digest_pending_from_an_older_release_sends_after_the_upgrade() {
    let (dir, smtp, cfg) = setup(&[]);
    // What a release before the versioned record stored: the view itself.
    let old =
        std::fs::read_to_string(root().join("tests/fixtures/digest/pending-v1.json")).unwrap();
    let mut st = Store::open(&dir.path().join("state")).unwrap();
    let row = tricorder::store::DigestRow {
        period: "2026-11-16".into(),
        scheduled_at: 1_763_280_000,
        composed_at: 1_763_280_000,
        subject: "tricorder, Mon 16 Nov: Legacy Topic is rising".into(),
        content: old,
        status: DigestStatus::Pending,
        attempts: 1,
        next_attempt: 0,
        last_error: Some("smtp down".into()),
        sent_at: None,
    };
    assert!(st.insert_digest(&row, &[]).unwrap());
    tricorder(&cfg)
        .args(["digest", "--send"])
        .assert()
        .success();
    let msgs = smtp.messages();
    assert_eq!(msgs.len(), 2, "sent once per recipient");
    let text = part(&msgs[0].raw, "text/plain");
    assert!(text.contains("Legacy Topic"), "{text}");
    assert!(
        text.contains("An older release composed this digest"),
        "{text}"
    );
    assert_eq!(
        st.digest("2026-11-16").unwrap().unwrap().status,
        DigestStatus::Sent
    );
}

#[test]
fn the_digest_as_json_carries_topics_questions_and_grounded_starters() {
    let (_dir, _smtp, cfg) = setup(&[]);
    let out = tricorder(&cfg)
        .args(["digest", "--preview", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["version"], 2);
    let topics = d["topics"].as_array().unwrap();
    assert!(!topics.is_empty());
    for t in topics {
        for k in [
            "label",
            "kind",
            "type",
            "headline",
            "stories",
            "what_we_know",
            "read",
        ] {
            assert!(!t[k].is_null(), "topic without {k}: {t:#}");
        }
        assert!(["story", "theme"].contains(&t["kind"].as_str().unwrap()));
        for s in t["what_we_know"].as_array().unwrap() {
            assert!(s["source"]["url"].is_string(), "{s:#}");
        }
    }
    for q in d["questions"].as_array().unwrap() {
        assert!(q["question"].as_str().unwrap().ends_with('?'));
        assert!(!q["sources"].as_array().unwrap().is_empty());
    }
    // Every topic has a starter quoting a claim from one of its own items,
    // with that item's link.
    let groups = d["starters"].as_array().unwrap();
    assert_eq!(groups.len(), topics.len());
    for g in groups {
        let grounded: Vec<&serde_json::Value> = g["starters"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["kind"] == "evidence")
            .collect();
        assert_eq!(grounded.len(), 1, "{g:#}");
        let s = grounded[0];
        let src = &s["sources"][0];
        let url = src["url"].as_str().unwrap();
        let feed = src["feed"].as_str().unwrap();
        let text = s["text"].as_str().unwrap();
        assert!(text.starts_with(feed), "names its source: {text}");
        // The quoted claim is in the linked item, and the item is the topic's.
        let claim = text.split('“').nth(1).unwrap().split('”').next().unwrap();
        let topic = topics.iter().find(|t| t["label"] == g["topic"]).unwrap();
        let own: Vec<&str> = topic["read"]
            .as_array()
            .unwrap()
            .iter()
            .chain(g["read_first"].as_array().unwrap())
            .filter_map(|l| l["url"].as_str())
            .collect();
        assert!(own.contains(&url), "{url} is not one of {own:?}");
        let hits = tricorder(&cfg)
            .args(["search", "--json", "--limit", "50"])
            .arg(format!(
                "\"{}\"",
                claim
                    .split_whitespace()
                    .take(6)
                    .collect::<Vec<_>>()
                    .join(" ")
                    .trim_matches(|c: char| !c.is_alphanumeric())
            ))
            .output()
            .unwrap();
        let hits: serde_json::Value = serde_json::from_slice(&hits.stdout).unwrap();
        assert!(
            hits.as_array().unwrap().iter().any(|h| h["url"] == url),
            "the claim {claim:?} is not in {url}"
        );
    }
}
