//! The TOML configuration: its defaults, its validation, and where relative paths point.
//!
//! Everything a user can get wrong in the config is caught here, before any
//! other stage runs, and reported with the file, the line and the key. A
//! config that fails to load writes nothing anywhere: callers load the config
//! before they open the data folder.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use serde::{Deserialize, Deserializer};
use url::Url;

/// The file used when neither `--config` nor `TRICORDER_CONFIG` is given.
pub const DEFAULT_PATH: &str = "config/tricorder.toml";

/// The longest duration anywhere (config or command line): a century. The
/// store holds times as seconds around now; a window of 99,999,999 days
/// would reach before the calendar's start and panic the date arithmetic.
pub const MAX_DURATION: Duration = Duration::from_secs(36_525 * 86_400);
/// The shortest `poll.min_interval` (and `digest.retry`): never zero, or a
/// failing feed is fetched again at once, round after round (1,084 times
/// in 12 s was seen). Low enough for the test suite's accelerated daemon.
pub const MIN_INTERVAL_FLOOR: Duration = Duration::from_secs(1);
/// The longest `poll.timeout` and `smtp.timeout`.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(3600);
/// Ceilings on fetches at once: each holds a connection and up to
/// `max_body` of memory, and the semaphores behind them panic past
/// `usize::MAX >> 3` permits.
pub const MAX_CONCURRENCY: usize = 256;
pub const MAX_PER_HOST: usize = 64;
/// The largest `poll.max_body`: a body is held in memory whole.
pub const MAX_BODY: u64 = 1024 * 1024 * 1024;
/// Ceiling on any other count in the config (topics, questions, feeds).
pub const MAX_COUNT: usize = 10_000;

/// A validated configuration with every path made absolute.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file this was read from (absolute).
    pub path: PathBuf,
    /// Where the SQLite database, the index and the outbox live.
    pub data_dir: PathBuf,
    /// Feeds from the config file and from `feeds_opml`, in that order, without duplicates.
    pub feeds: Vec<FeedSpec>,
    pub poll: PollConfig,
    pub analysis: AnalysisConfig,
    pub digest: DigestConfig,
    pub smtp: Option<SmtpConfig>,
    /// Log level for the daemon (`RUST_LOG` overrides it).
    pub log_level: Option<String>,
}

/// The daily digest: when, to whom, how, and what it contains.
#[derive(Debug, Clone)]
pub struct DigestConfig {
    /// As written in the config.
    pub schedule_text: String,
    /// In the `cron` crate's 6/7-field form (seconds first, 1 = Sunday).
    pub schedule: cron::Schedule,
    /// How the schedule was read, for logs and `status`.
    pub schedule_note: String,
    pub timezone: chrono_tz::Tz,
    pub from: String,
    pub recipients: Vec<Recipient>,
    pub transport: Transport,
    pub industry: String,
    /// Audience pairs for the audience-lens questions.
    pub audiences: Vec<(String, String)>,
    pub topics: usize,
    pub questions: usize,
    /// On a day with too little news: send a short edition, or skip the day.
    pub quiet: QuietDay,
    /// A digest missed while the daemon was down is still sent this long after its time.
    pub grace: Duration,
    pub templates_dir: PathBuf,
    pub questions_file: PathBuf,
    /// First retry delay after a transient send failure (doubling, at most an hour).
    pub retry: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub email: String,
    pub role: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    Smtp,
    Outbox,
    Sendmail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuietDay {
    Brief,
    Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    Starttls,
    Tls,
    None,
}

#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    /// Read from `password_env` or `password_file`; never printed.
    pub password: Option<String>,
    pub timeout: Duration,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// How trends and questions are computed.
#[derive(Debug, Clone)]
pub struct AnalysisConfig {
    /// The recent period whose topics are judged.
    pub window: Duration,
    /// The period before the window that sets each phrase's normal level.
    pub baseline: Duration,
    /// A topic must appear in at least this many feeds.
    pub min_feeds: usize,
    pub max_topics: usize,
    /// How far back `questions` looks.
    pub questions_since: Duration,
    /// Pins "now" for analysis (the offline demo uses its data's date).
    pub as_of: Option<chrono::DateTime<chrono::Utc>>,
}

impl Default for AnalysisConfig {
    fn default() -> Self {
        AnalysisConfig {
            window: Duration::from_secs(7 * 86_400),
            baseline: Duration::from_secs(28 * 86_400),
            min_feeds: 3,
            max_topics: 10,
            questions_since: Duration::from_secs(14 * 86_400),
            as_of: None,
        }
    }
}

/// A feed the config asks for. `url` is normalised: http(s) URLs as parsed,
/// local paths turned into `file://` URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSpec {
    pub url: String,
    pub name: Option<String>,
    pub tags: Vec<String>,
    /// Fetch each new item's page for its full text (the feed carries only
    /// excerpts). See `[poll] full_text` for doing it by itself.
    pub full_text: bool,
}

/// Which feeds get their articles' full text (`[poll] full_text`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FullText {
    /// Only feeds that ask for it (`full_text = true` on the feed).
    Off,
    /// Those, and any item whose body is shorter than
    /// [`FULL_TEXT_AUTO_WORDS`] words: an excerpt.
    Auto,
}

/// Under this many words a body is an excerpt, for `full_text = "auto"`.
pub const FULL_TEXT_AUTO_WORDS: usize = 80;

/// How, and how politely, feeds are fetched.
#[derive(Debug, Clone)]
pub struct PollConfig {
    /// Interval for a feed with no publishing history yet.
    pub interval: Duration,
    /// The adaptive schedule never polls a feed more often than this...
    pub min_interval: Duration,
    /// ...or less often than this; also the ceiling for error back-off.
    pub max_interval: Duration,
    /// Feeds fetched at once, over all hosts.
    pub concurrency: usize,
    /// Feeds fetched at once from one host.
    pub per_host: usize,
    /// Total time allowed for one fetch, body included.
    pub timeout: Duration,
    /// Largest body accepted, measured after decompression.
    pub max_body: u64,
    pub user_agent: String,
    pub full_text: FullText,
    /// Article pages fetched at most per poll round, over all feeds.
    pub full_text_budget: usize,
}

impl Default for PollConfig {
    fn default() -> Self {
        PollConfig {
            interval: Duration::from_secs(3600),
            min_interval: Duration::from_secs(15 * 60),
            max_interval: Duration::from_secs(24 * 3600),
            concurrency: 16,
            per_host: 2,
            timeout: Duration::from_secs(30),
            max_body: 10 * 1024 * 1024,
            user_agent: default_user_agent(),
            full_text: FullText::Off,
            full_text_budget: 100,
        }
    }
}

pub fn default_user_agent() -> String {
    format!(
        "tricorder/{} (+{})",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// A config problem, located as precisely as the file allows.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.render())]
pub struct ConfigError {
    pub file: PathBuf,
    /// 1-based line, when the problem is at a place in the file.
    pub line: Option<usize>,
    /// The key at fault, e.g. `poll.interval` or `feeds[2].url`.
    pub key: Option<String>,
    pub message: String,
    /// The text of the offending line, shown under the message.
    pub source_line: Option<String>,
}

impl ConfigError {
    fn render(&self) -> String {
        let mut s = format!("config error in {}", self.file.display());
        if let Some(line) = self.line {
            s.push_str(&format!(", line {line}"));
        }
        if let Some(key) = &self.key {
            s.push_str(&format!(", key `{key}`"));
        }
        s.push_str(": ");
        s.push_str(&self.message);
        if let (Some(line), Some(text)) = (self.line, &self.source_line) {
            s.push_str(&format!("\n  {line:>4} | {}", text.trim_end()));
        }
        s
    }

    fn at(file: &Path, text: &str, span: Option<std::ops::Range<usize>>) -> ConfigError {
        let (line, source_line) = match span {
            Some(span) => {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                (Some(line), text.lines().nth(line - 1).map(str::to_owned))
            }
            None => (None, None),
        };
        ConfigError {
            file: file.to_owned(),
            line,
            key: None,
            message: String::new(),
            source_line,
        }
    }
}

// ---- the file as written ---------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    data_dir: Option<toml::Spanned<String>>,
    feeds_opml: Option<toml::Spanned<String>>,
    #[serde(default)]
    feeds: Vec<RawFeed>,
    #[serde(default)]
    poll: RawPoll,
    #[serde(default)]
    analysis: RawAnalysis,
    #[serde(default)]
    digest: Option<toml::Spanned<RawDigest>>,
    smtp: Option<toml::Spanned<RawSmtp>>,
    log_level: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDigest {
    schedule: Option<toml::Spanned<String>>,
    timezone: Option<toml::Spanned<String>>,
    from: Option<toml::Spanned<String>>,
    #[serde(default)]
    to: Vec<toml::Spanned<String>>,
    #[serde(default)]
    recipients: Vec<RawRecipient>,
    transport: Option<Transport>,
    industry: Option<String>,
    audiences: Option<Vec<(String, String)>>,
    #[serde(default, deserialize_with = "de_positive")]
    topics: Option<usize>,
    #[serde(default, deserialize_with = "de_positive")]
    questions: Option<usize>,
    quiet: Option<QuietDay>,
    #[serde(default, deserialize_with = "de_duration")]
    grace: Option<Duration>,
    templates: Option<String>,
    questions_file: Option<String>,
    #[serde(default, deserialize_with = "de_duration")]
    retry: Option<Duration>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRecipient {
    email: toml::Spanned<String>,
    role: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSmtp {
    host: String,
    port: Option<u16>,
    security: Option<Security>,
    username: Option<String>,
    password_env: Option<String>,
    password_file: Option<String>,
    #[serde(default, deserialize_with = "de_duration")]
    timeout: Option<Duration>,
    /// Allow `security = "none"` to a host other than localhost.
    #[serde(default)]
    allow_insecure: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawAnalysis {
    #[serde(default, deserialize_with = "de_duration")]
    window: Option<Duration>,
    #[serde(default, deserialize_with = "de_duration")]
    baseline: Option<Duration>,
    #[serde(default, deserialize_with = "de_positive")]
    min_feeds: Option<usize>,
    #[serde(default, deserialize_with = "de_positive")]
    max_topics: Option<usize>,
    #[serde(default, deserialize_with = "de_duration")]
    questions_since: Option<Duration>,
    #[serde(default, deserialize_with = "de_date")]
    as_of: Option<chrono::DateTime<chrono::Utc>>,
}

fn de_date<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, D::Error> {
    let s = String::deserialize(d)?;
    parse_date(&s).map(Some).map_err(serde::de::Error::custom)
}

/// A date ("2026-11-16", meaning the end of that day, UTC) or an RFC 3339 time.
pub fn parse_date(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|d| d.and_hms_opt(23, 59, 59).expect("valid time").and_utc())
        .map_err(|_| {
            format!("invalid date {s:?}; write e.g. \"2026-11-16\" or \"2026-11-16T07:00:00Z\"")
        })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    url: toml::Spanned<String>,
    name: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    full_text: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPoll {
    #[serde(default, deserialize_with = "de_duration")]
    interval: Option<Duration>,
    #[serde(default, deserialize_with = "de_duration")]
    min_interval: Option<Duration>,
    #[serde(default, deserialize_with = "de_duration")]
    max_interval: Option<Duration>,
    #[serde(default, deserialize_with = "de_concurrency")]
    concurrency: Option<usize>,
    #[serde(default, deserialize_with = "de_per_host")]
    per_host: Option<usize>,
    #[serde(default, deserialize_with = "de_duration")]
    timeout: Option<Duration>,
    #[serde(default, deserialize_with = "de_size")]
    max_body: Option<u64>,
    user_agent: Option<String>,
    full_text: Option<FullText>,
    full_text_budget: Option<usize>,
}

fn de_duration<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    let s = String::deserialize(d)?;
    parse_duration(&s)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

fn de_size<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let s = String::deserialize(d)?;
    s.trim()
        .parse::<bytesize::ByteSize>()
        .map_err(|_| {
            serde::de::Error::custom(format!(
                "invalid size {s:?}; write a number with a unit, e.g. \"10MiB\" or \"500KB\""
            ))
        })
        .and_then(|b| {
            if b.as_u64() > MAX_BODY {
                Err(serde::de::Error::custom(format!(
                    "{s:?} is larger than the limit of {}",
                    bytesize::ByteSize(MAX_BODY)
                )))
            } else {
                Ok(Some(b.as_u64()))
            }
        })
}

fn de_positive<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    de_count(d, MAX_COUNT)
}

fn de_concurrency<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    de_count(d, MAX_CONCURRENCY)
}

fn de_per_host<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    de_count(d, MAX_PER_HOST)
}

fn de_count<'de, D: Deserializer<'de>>(d: D, max: usize) -> Result<Option<usize>, D::Error> {
    let n = i64::deserialize(d)?;
    check_count(n, max)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// A count between 1 and `max`.
pub fn check_count(n: i64, max: usize) -> Result<usize, String> {
    if n < 1 {
        return Err(format!("must be at least 1, got {n}"));
    }
    if n as u64 > max as u64 {
        return Err(format!("must be at most {max}, got {n}"));
    }
    Ok(n as usize)
}

/// Parses durations such as `90s`, `15m`, `1h 30m`, `7d`, up to [`MAX_DURATION`].
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(s.trim()).map_err(|e| {
        format!("invalid duration {s:?} ({e}); write e.g. \"30s\", \"15m\", \"1h\" or \"7d\"")
    })?;
    if d > MAX_DURATION {
        return Err(format!(
            "duration {s:?} is longer than the limit of 100 years ({}d)",
            MAX_DURATION.as_secs() / 86_400
        ));
    }
    Ok(d)
}

// ---- loading ----------------------------------------------------------------

/// Where the config comes from: `--config`/`TRICORDER_CONFIG` if given, else the default.
pub fn resolve_path(explicit: Option<&Path>) -> PathBuf {
    explicit
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_PATH))
}

/// Reads and validates the config file. Relative paths in it resolve against
/// the folder the file is in, so a config works from any working directory.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    load_snapshot(path).map(|(cfg, _)| cfg)
}

/// Validates config text as if it were read from `file`.
pub fn parse(file: &Path, text: &str) -> Result<Config, ConfigError> {
    parse_with(file, text, &mut |p| std::fs::read_to_string(p))
}

/// A config as it was accepted: the file's text and the text of every other
/// file that validating it read (the `feeds_opml` list, the SMTP
/// `password_file`). The daemon keeps the snapshot of the last config it
/// accepted and hands it to its workers, which parse it instead of the disk:
/// a file broken since, or a reload that was rejected, cannot change what a
/// worker runs with.
///
/// No `Debug`: it may hold the SMTP password.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    /// The config file (absolute): relative paths resolve against its folder.
    pub path: PathBuf,
    text: String,
    files: Vec<(PathBuf, String)>,
}

/// The largest config, OPML list or password file read.
const MAX_CONFIG_FILE: u64 = 16 * 1024 * 1024;

/// Reads a file the config is made of: a regular file of at most
/// [`MAX_CONFIG_FILE`], so that a path mistyped as `/dev/zero` or a FIFO
/// is an error, not a hang or an exhausted memory.
fn read_small_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let md = std::fs::metadata(path)?;
    if !md.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(MAX_CONFIG_FILE + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > MAX_CONFIG_FILE {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {}", bytesize::ByteSize(MAX_CONFIG_FILE)),
        ));
    }
    Ok(text)
}

/// Reads and validates the config file like [`load`], and keeps what was read.
pub fn load_snapshot(path: &Path) -> Result<(Config, Snapshot), ConfigError> {
    let text = read_small_file(path).map_err(|e| ConfigError {
        file: path.to_owned(),
        line: None,
        key: None,
        message: format!("cannot read the file: {e}"),
        source_line: None,
    })?;
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut files = Vec::new();
    let cfg = parse_with(&abs, &text, &mut |p| {
        let content = read_small_file(p)?;
        files.push((p.to_owned(), content.clone()));
        Ok(content)
    })?;
    // Checked here, where the disk is read anyway, rather than later as a
    // bare "File exists" from creating the database.
    if cfg.data_dir.exists() && !cfg.data_dir.is_dir() {
        let line = find_key_line(&text, "data_dir");
        return Err(ConfigError {
            file: abs,
            line,
            key: Some("data_dir".into()),
            message: format!(
                "{} is a file, not a folder; data_dir must name a folder (it is created if missing)",
                cfg.data_dir.display()
            ),
            source_line: line.and_then(|l| text.lines().nth(l - 1)).map(Into::into),
        });
    }
    Ok((
        cfg,
        Snapshot {
            path: abs,
            text,
            files,
        },
    ))
}

impl Snapshot {
    /// Validates the snapshot again, reading nothing from the disk.
    pub fn parse(&self) -> Result<Config, ConfigError> {
        parse_with(&self.path, &self.text, &mut |p| {
            self.files
                .iter()
                .find(|(f, _)| f == p)
                .map(|(_, content)| content.clone())
                .ok_or_else(|| {
                    std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "not part of the configuration the daemon accepted",
                    )
                })
        })
    }
}

/// [`parse`], with the files the config names read through `read`.
fn parse_with(
    file: &Path,
    text: &str,
    read: &mut dyn FnMut(&Path) -> std::io::Result<String>,
) -> Result<Config, ConfigError> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let mut err = ConfigError::at(file, text, e.span());
        err.message = e.message().trim().to_owned();
        err.key = key_on_line(err.source_line.as_deref());
        err
    })?;
    let base = file.parent().unwrap_or(Path::new(".")).to_owned();
    let located = |span: std::ops::Range<usize>, key: String, message: String| {
        let mut err = ConfigError::at(file, text, Some(span));
        err.key = Some(key);
        err.message = message;
        err
    };

    let data_dir = match &raw.data_dir {
        Some(d) if d.get_ref().trim().is_empty() => {
            return Err(located(
                d.span(),
                "data_dir".into(),
                "must not be empty".into(),
            ));
        }
        Some(d) => normalise_dots(&base.join(d.get_ref())),
        None => normalise_dots(&base.join("../data/state")),
    };

    let mut feeds: Vec<FeedSpec> = Vec::new();
    // Seen URLs: a linear search per feed was quadratic, and a config with
    // thousands of feeds is read by every worker the daemon starts.
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (i, f) in raw.feeds.iter().enumerate() {
        let url = normalise_feed_url(f.url.get_ref(), &base)
            .map_err(|m| located(f.url.span(), format!("feeds[{i}].url"), m))?;
        if !seen.insert(url.clone()) {
            return Err(located(
                f.url.span(),
                format!("feeds[{i}].url"),
                format!("{url} is listed twice"),
            ));
        }
        feeds.push(FeedSpec {
            url,
            name: f.name.clone().filter(|n| !n.trim().is_empty()),
            tags: f.tags.clone(),
            full_text: f.full_text,
        });
    }

    if let Some(opml_path) = &raw.feeds_opml {
        let opml_file = base.join(opml_path.get_ref());
        let from_opml = read(&opml_file)
            .context("cannot read the OPML file")
            .and_then(|t| crate::opml::parse(&t))
            .map_err(|e| {
                located(
                    opml_path.span(),
                    "feeds_opml".into(),
                    format!("{}: {e:#}", opml_file.display()),
                )
            })?;
        let opml_base = opml_file.parent().unwrap_or(&base).to_owned();
        for f in from_opml {
            let url = normalise_feed_url(&f.url, &opml_base).map_err(|m| {
                located(
                    opml_path.span(),
                    "feeds_opml".into(),
                    format!("{}: feed {:?}: {m}", opml_file.display(), f.url),
                )
            })?;
            if seen.insert(url.clone()) {
                feeds.push(FeedSpec { url, ..f });
            }
        }
    }

    let d = PollConfig::default();
    let p = &raw.poll;
    let poll = PollConfig {
        interval: p.interval.unwrap_or(d.interval),
        min_interval: p.min_interval.unwrap_or(d.min_interval),
        max_interval: p.max_interval.unwrap_or(d.max_interval),
        concurrency: p.concurrency.unwrap_or(d.concurrency),
        per_host: p.per_host.unwrap_or(d.per_host),
        timeout: p.timeout.unwrap_or(d.timeout),
        max_body: p.max_body.unwrap_or(d.max_body),
        user_agent: p.user_agent.clone().unwrap_or(d.user_agent),
        full_text: p.full_text.unwrap_or(d.full_text),
        full_text_budget: p.full_text_budget.unwrap_or(d.full_text_budget),
    };
    if poll.min_interval > poll.max_interval {
        let mut err = ConfigError::at(file, text, None);
        err.key = Some("poll.min_interval".into());
        err.message = format!(
            "min_interval ({}) is longer than max_interval ({})",
            humantime::format_duration(poll.min_interval),
            humantime::format_duration(poll.max_interval)
        );
        err.line = find_key_line(text, "min_interval");
        err.source_line = err
            .line
            .and_then(|l| text.lines().nth(l - 1))
            .map(Into::into);
        return Err(err);
    }
    let at_key = |key: &str, message: String| {
        let mut err = ConfigError::at(file, text, None);
        err.key = Some(format!("poll.{key}"));
        err.message = message;
        err.line = find_key_line(text, key);
        err.source_line = err
            .line
            .and_then(|l| text.lines().nth(l - 1))
            .map(Into::into);
        err
    };
    if poll.timeout.is_zero() {
        return Err(at_key("timeout", "must be longer than zero".into()));
    }
    if poll.timeout > MAX_TIMEOUT {
        return Err(at_key(
            "timeout",
            format!(
                "{} is longer than the limit of {}",
                humantime::format_duration(poll.timeout),
                humantime::format_duration(MAX_TIMEOUT)
            ),
        ));
    }
    if poll.min_interval < MIN_INTERVAL_FLOOR {
        return Err(at_key(
            "min_interval",
            format!(
                "{} is too short: a failing feed would be fetched again at once; the least is {}",
                humantime::format_duration(poll.min_interval),
                humantime::format_duration(MIN_INTERVAL_FLOOR)
            ),
        ));
    }

    let da = AnalysisConfig::default();
    let a = &raw.analysis;
    let analysis = AnalysisConfig {
        window: a.window.unwrap_or(da.window),
        baseline: a.baseline.unwrap_or(da.baseline),
        min_feeds: a.min_feeds.unwrap_or(da.min_feeds),
        max_topics: a.max_topics.unwrap_or(da.max_topics),
        questions_since: a.questions_since.unwrap_or(da.questions_since),
        as_of: a.as_of,
    };

    let smtp = match &raw.smtp {
        None => None,
        Some(sp) => {
            let r = sp.get_ref();
            let at = |key: &str, message: String| {
                let mut err = ConfigError::at(file, text, Some(sp.span()));
                err.key = Some(format!("smtp.{key}"));
                err.message = message;
                if let Some(l) = find_key_line(text, key) {
                    err.line = Some(l);
                    err.source_line = text.lines().nth(l - 1).map(Into::into);
                }
                err
            };
            let security = r.security.unwrap_or(Security::Starttls);
            let local = matches!(r.host.as_str(), "localhost" | "127.0.0.1" | "::1")
                || r.host.starts_with("127.");
            if security == Security::None && !local && !r.allow_insecure {
                return Err(at(
                    "security",
                    format!(
                        "\"none\" sends the password and the mail unencrypted to {}; use \"starttls\" or \"tls\", or set allow_insecure = true",
                        r.host
                    ),
                ));
            }
            let password = match (&r.password_env, &r.password_file) {
                (Some(_), Some(_)) => {
                    return Err(at(
                        "password_env",
                        "give password_env or password_file, not both".into(),
                    ));
                }
                (Some(var), None) => Some(std::env::var(var).map_err(|_| {
                    at(
                        "password_env",
                        format!("environment variable {var} is not set"),
                    )
                })?),
                (None, Some(f)) => {
                    let path = base.join(f);
                    Some(
                        read(&path)
                            .map_err(|e| {
                                at(
                                    "password_file",
                                    format!("cannot read {}: {e}", path.display()),
                                )
                            })?
                            .trim_end_matches(['\n', '\r'])
                            .to_owned(),
                    )
                }
                (None, None) => None,
            };
            Some(SmtpConfig {
                host: r.host.clone(),
                port: r.port.unwrap_or(match security {
                    Security::Tls => 465,
                    Security::Starttls => 587,
                    Security::None => 25,
                }),
                security,
                username: r.username.clone(),
                password,
                timeout: match r.timeout {
                    Some(t) if t.is_zero() || t > MAX_TIMEOUT => {
                        return Err(at(
                            "timeout",
                            format!(
                                "must be longer than zero and at most {}",
                                humantime::format_duration(MAX_TIMEOUT)
                            ),
                        ));
                    }
                    t => t.unwrap_or(Duration::from_secs(30)),
                },
            })
        }
    };
    let digest = digest_config(file, text, &base, raw.digest.as_ref(), smtp.is_some())?;

    Ok(Config {
        path: file.to_owned(),
        data_dir,
        feeds,
        poll,
        analysis,
        digest,
        smtp,
        log_level: raw.log_level.clone(),
    })
}

fn digest_config(
    file: &Path,
    text: &str,
    base: &Path,
    raw: Option<&toml::Spanned<RawDigest>>,
    have_smtp: bool,
) -> Result<DigestConfig, ConfigError> {
    let empty = RawDigest::default();
    let d = raw.map(|r| r.get_ref()).unwrap_or(&empty);
    let located = |span: std::ops::Range<usize>, key: &str, message: String| {
        let mut err = ConfigError::at(file, text, Some(span));
        err.key = Some(format!("digest.{key}"));
        err.message = message;
        err
    };
    let schedule_text = d
        .schedule
        .as_ref()
        .map(|s| s.get_ref().clone())
        .unwrap_or_else(|| "0 7 * * Mon-Fri".into());
    let (schedule, schedule_note) = parse_schedule(&schedule_text).map_err(|m| {
        located(
            d.schedule.as_ref().map(|s| s.span()).unwrap_or(0..0),
            "schedule",
            m,
        )
    })?;
    let tz_text = d
        .timezone
        .as_ref()
        .map(|s| s.get_ref().clone())
        .unwrap_or_else(|| "UTC".into());
    let timezone: chrono_tz::Tz = tz_text.parse().map_err(|_| {
        located(
            d.timezone.as_ref().map(|s| s.span()).unwrap_or(0..0),
            "timezone",
            format!("unknown time zone {tz_text:?}; use an IANA name such as \"America/New_York\" or \"Europe/Berlin\""),
        )
    })?;
    let from = d
        .from
        .as_ref()
        .map(|s| s.get_ref().clone())
        .unwrap_or_else(|| "tricorder <tricorder@localhost>".into());
    if from.parse::<lettre::message::Mailbox>().is_err() {
        return Err(located(
            d.from.as_ref().map(|s| s.span()).unwrap_or(0..0),
            "from",
            format!(
                "{from:?} is not a valid address (write \"Name <user@example.com>\" or \"user@example.com\")"
            ),
        ));
    }
    let mut recipients = Vec::new();
    for (i, t) in d.to.iter().enumerate() {
        check_address(t.get_ref()).map_err(|m| located(t.span(), &format!("to[{i}]"), m))?;
        recipients.push(Recipient {
            email: t.get_ref().trim().to_owned(),
            role: None,
        });
    }
    for (i, r) in d.recipients.iter().enumerate() {
        check_address(r.email.get_ref())
            .map_err(|m| located(r.email.span(), &format!("recipients[{i}].email"), m))?;
        recipients.push(Recipient {
            email: r.email.get_ref().trim().to_owned(),
            role: r
                .role
                .clone()
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty()),
        });
    }
    // A folder or file named in the config must be there: the built-in
    // templates stand in only when none is named, not for a typo.
    let templates_dir = normalise_dots(&base.join(d.templates.as_deref().unwrap_or("templates")));
    let questions_file =
        normalise_dots(&base.join(d.questions_file.as_deref().unwrap_or("questions.toml")));
    for (key, given, path, want_dir) in [
        ("templates", d.templates.is_some(), &templates_dir, true),
        (
            "questions_file",
            d.questions_file.is_some(),
            &questions_file,
            false,
        ),
    ] {
        let found = if want_dir {
            path.is_dir()
        } else {
            path.is_file()
        };
        if given && !found {
            let mut err = ConfigError::at(file, text, None);
            err.key = Some(format!("digest.{key}"));
            err.message = format!(
                "{} {}; fix the path, or remove the line to use the built-in {}",
                path.display(),
                if path.exists() {
                    if want_dir {
                        "is not a folder"
                    } else {
                        "is not a file"
                    }
                } else {
                    "does not exist"
                },
                if want_dir { "templates" } else { "questions" }
            );
            err.line = find_key_line(text, key);
            err.source_line = err
                .line
                .and_then(|l| text.lines().nth(l - 1))
                .map(Into::into);
            return Err(err);
        }
    }
    Ok(DigestConfig {
        schedule_text,
        schedule,
        schedule_note,
        timezone,
        from,
        recipients,
        transport: d.transport.unwrap_or(if have_smtp {
            Transport::Smtp
        } else {
            Transport::Outbox
        }),
        industry: d.industry.clone().unwrap_or_else(|| "marketing".into()),
        audiences: d
            .audiences
            .clone()
            .unwrap_or_else(|| vec![("Gen X".into(), "Millennials".into())]),
        topics: d.topics.unwrap_or(5),
        questions: d.questions.unwrap_or(8),
        quiet: d.quiet.unwrap_or(QuietDay::Brief),
        grace: d.grace.unwrap_or(Duration::from_secs(6 * 3600)),
        templates_dir,
        questions_file,
        retry: match d.retry {
            Some(r) if r < MIN_INTERVAL_FLOOR => {
                let mut err = ConfigError::at(file, text, None);
                err.key = Some("digest.retry".into());
                err.message = format!(
                    "must be at least {}: a failing send would be retried at once",
                    humantime::format_duration(MIN_INTERVAL_FLOOR)
                );
                err.line = find_key_line(text, "retry");
                err.source_line = err
                    .line
                    .and_then(|l| text.lines().nth(l - 1))
                    .map(Into::into);
                return Err(err);
            }
            r => r.unwrap_or(Duration::from_secs(60)),
        },
    })
}

fn check_address(s: &str) -> Result<(), String> {
    s.trim()
        .parse::<lettre::message::Mailbox>()
        .map(|_| ())
        .map_err(|e| format!("{s:?} is not a valid e-mail address ({e})"))
}

/// Reads a digest schedule. The usual 5-field crontab form ("0 7 * * Mon-Fri",
/// day numbers 0–7 with 0 and 7 = Sunday) is converted to the `cron`
/// crate's form (seconds first, day numbers 1–7 with 1 = Sunday); 6- and
/// 7-field expressions are taken as the `cron` crate reads them. Returns
/// the schedule and a note saying which reading was used.
pub fn parse_schedule(text: &str) -> Result<(cron::Schedule, String), String> {
    use std::str::FromStr;
    let t = text.trim();
    let fields: Vec<&str> = t.split_whitespace().collect();
    let (expr, note) = match fields.len() {
        _ if t.starts_with('@') => (t.to_owned(), format!("{t:?} (shorthand)")),
        5 => {
            let dow = crontab_dow(fields[4])?;
            let expr = format!(
                "0 {} {} {} {} {}",
                fields[0], fields[1], fields[2], fields[3], dow
            );
            (
                expr.clone(),
                format!(
                    "{t:?} read as a 5-field crontab line (minute hour day month weekday; 0 and 7 = Sunday), i.e. cron {expr:?}"
                ),
            )
        }
        6 | 7 => (
            t.to_owned(),
            format!(
                "{t:?} read as a {}-field cron expression (seconds first; weekday numbers 1-7 with 1 = Sunday)",
                fields.len()
            ),
        ),
        n => {
            return Err(format!(
                "schedule {t:?} has {n} fields; write a crontab line such as \"0 7 * * Mon-Fri\" (minute hour day month weekday)"
            ));
        }
    };
    let schedule =
        cron::Schedule::from_str(&expr).map_err(|e| format!("schedule {t:?} is not valid: {e}"))?;
    Ok((schedule, note))
}

/// Crontab weekday numbers (0–7, 0 and 7 = Sunday) → cron crate numbers
/// (1–7, 1 = Sunday). Names and `*` pass through.
fn crontab_dow(field: &str) -> Result<String, String> {
    let map = |n: &str| -> Result<u32, String> {
        let v: u32 = n
            .parse()
            .map_err(|_| format!("weekday {n:?} is not a number or day name"))?;
        if v > 7 {
            return Err(format!(
                "weekday {v} is out of range (0-7, 0 and 7 = Sunday)"
            ));
        }
        Ok(v % 7 + 1)
    };
    let mut out = Vec::new();
    for part in field.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, Some(s)),
            None => (part, None),
        };
        let numeric = range.chars().all(|c| c.is_ascii_digit() || c == '-') && !range.is_empty();
        if !numeric {
            out.push(part.to_owned());
            continue;
        }
        let conv = match range.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (map(a)?, map(b)?);
                if b < a {
                    // "5-7" is Fri..Sun: Fri-Sat plus Sunday.
                    format!("{a}-7,1")
                } else {
                    format!("{a}-{b}")
                }
            }
            None => map(range)?.to_string(),
        };
        out.push(match step {
            Some(s) => format!("{conv}/{s}"),
            None => conv,
        });
    }
    Ok(out.join(","))
}

/// Checks a feed address and gives it one canonical spelling.
///
/// http(s) and file URLs are accepted as they are; anything without a scheme
/// is a local path, relative to `base`, and must exist (the demo config and
/// local archives use this).
pub fn normalise_feed_url(raw: &str, base: &Path) -> Result<String, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("the URL is empty".into());
    }
    if raw.contains("://") || raw.starts_with("file:") {
        let url = Url::parse(raw).map_err(|e| format!("{raw:?} is not a valid URL: {e}"))?;
        return match url.scheme() {
            "http" | "https" if url.host_str().is_some() => Ok(url.to_string()),
            "http" | "https" => Err(format!("{raw:?} has no host")),
            "file" => Ok(url.to_string()),
            other => Err(format!(
                "{raw:?}: unsupported scheme {other:?} (use http, https or file)"
            )),
        };
    }
    let path = base.join(raw);
    let path = std::path::absolute(&path).unwrap_or(path);
    let path = normalise_dots(&path);
    if !path.exists() {
        return Err(format!(
            "{raw:?} is neither an http(s) URL nor an existing file ({} not found)",
            path.display()
        ));
    }
    Url::from_file_path(&path)
        .map(|u| u.to_string())
        .map_err(|_| format!("{} cannot be made into a file URL", path.display()))
}

/// Removes `.` and `..` components without touching the file system, so that
/// the same file always gets the same URL.
fn normalise_dots(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn key_on_line(line: Option<&str>) -> Option<String> {
    let line = line?.trim();
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && !key.starts_with('[')).then(|| key.to_owned())
}

fn find_key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().starts_with(key) && l.contains('='))
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ConfigError {
        parse(Path::new("/tmp/t.toml"), text).unwrap_err()
    }

    #[test]
    fn a_snapshot_parses_as_accepted_whatever_the_disk_says_since() {
        let dir = tempfile::tempdir().unwrap();
        let opml = r#"<?xml version="1.0"?><opml version="2.0"><head/><body>
            <outline text="A" xmlUrl="https://a.example/feed"/></body></opml>"#;
        std::fs::write(dir.path().join("feeds.opml"), opml).unwrap();
        std::fs::write(dir.path().join("pw"), "s3cret\n").unwrap();
        let cfg_path = dir.path().join("t.toml");
        std::fs::write(
            &cfg_path,
            "feeds_opml = \"feeds.opml\"\n[smtp]\nhost = \"127.0.0.1\"\nsecurity = \"none\"\npassword_file = \"pw\"\n",
        )
        .unwrap();
        let (cfg, snapshot) = load_snapshot(&cfg_path).unwrap();
        // Broken since: the file, the list and the password are gone.
        std::fs::write(&cfg_path, "interval = ").unwrap();
        std::fs::remove_file(dir.path().join("feeds.opml")).unwrap();
        std::fs::remove_file(dir.path().join("pw")).unwrap();
        assert!(load(&cfg_path).is_err());
        // As the daemon hands it to a worker.
        let sent: Snapshot =
            serde_json::from_slice(&serde_json::to_vec(&snapshot).unwrap()).unwrap();
        let again = sent.parse().unwrap();
        assert_eq!(again.feeds, cfg.feeds);
        assert_eq!(again.feeds[0].url, "https://a.example/feed");
        assert_eq!(again.smtp.unwrap().password.as_deref(), Some("s3cret"));
        assert_eq!(again.data_dir, cfg.data_dir);
    }

    #[test]
    fn defaults_apply() {
        let c = parse(Path::new("/etc/tricorder/t.toml"), "").unwrap();
        assert_eq!(c.poll.concurrency, 16);
        assert_eq!(c.poll.max_body, 10 * 1024 * 1024);
        assert_eq!(c.data_dir, Path::new("/etc/data/state"));
    }

    #[test]
    fn unknown_key_names_line_and_key() {
        let e = err("data_dir = \"x\"\n[poll]\nintervall = \"1h\"\n");
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("intervall"), "{e}");
    }

    #[test]
    fn bad_duration_names_line() {
        let e = err("[poll]\ninterval = \"1h\"\ntimeout = \"soon\"\n");
        assert_eq!(e.line, Some(3));
        assert_eq!(e.key.as_deref(), Some("timeout"));
        assert!(e.to_string().contains("soon"));
    }

    #[test]
    fn bad_url_names_line_and_index() {
        let e =
            err("[[feeds]]\nurl = \"https://a.example/f\"\n[[feeds]]\nurl = \"gopher://x/y\"\n");
        assert_eq!(e.line, Some(4));
        assert_eq!(e.key.as_deref(), Some("feeds[1].url"));
        assert!(e.message.contains("unsupported scheme"));
    }

    #[test]
    fn sizes_parse() {
        let c = parse(Path::new("/t.toml"), "[poll]\nmax_body = \"2MiB\"\n").unwrap();
        assert_eq!(c.poll.max_body, 2 * 1024 * 1024);
        let e = err("[poll]\nmax_body = \"lots\"\n");
        assert_eq!(e.line, Some(2));
    }
}
