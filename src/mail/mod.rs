//! Mail: turning a rendered digest into a message and handing it to a
//! transport (SMTP, the file outbox, or sendmail), plus the per-period
//! delivery bookkeeping in [`deliver`].
//!
//! Failures are sorted into transient (connection refused, timeouts, 4xx:
//! retry later) and permanent (5xx: retrying would not help; report it).

pub mod deliver;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use lettre::message::{Mailbox, MultiPart, header};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSendmailTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sha2::{Digest as _, Sha256};

use crate::config::{Config, Security, Transport};

/// One message to one recipient.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub period: String,
    pub to: String,
    pub subject: String,
    pub html: String,
    pub text: String,
    /// Pages written beside the message by the outbox (file name, HTML):
    /// the digest's topic page. Other transports leave them out.
    pub pages: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Worth retrying: the server or the network may recover.
    #[error("{0}")]
    Transient(String),
    /// The server refused for good (5xx), or the message cannot be built.
    #[error("{0}")]
    Permanent(String),
}

enum Inner {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(PathBuf),
    Sendmail(AsyncSendmailTransport<Tokio1Executor>),
}

pub struct Mailer {
    inner: Inner,
    from: Mailbox,
    /// For log lines: "smtp://mail.example.com:587", "outbox ./data/outbox".
    pub describe: String,
}

impl Mailer {
    pub fn new(cfg: &Config) -> Result<Mailer> {
        let from: Mailbox = cfg
            .digest
            .from
            .parse()
            .with_context(|| format!("digest.from {:?}", cfg.digest.from))?;
        let (inner, describe) = match cfg.digest.transport {
            Transport::Outbox => {
                let dir = cfg.data_dir.join("outbox");
                (
                    Inner::Outbox(dir.clone()),
                    format!("outbox {}", dir.display()),
                )
            }
            Transport::Sendmail => (
                Inner::Sendmail(AsyncSendmailTransport::<Tokio1Executor>::new()),
                "sendmail".into(),
            ),
            Transport::Smtp => {
                let smtp = cfg
                    .smtp
                    .as_ref()
                    .context("digest.transport is \"smtp\" but there is no [smtp] section")?;
                let builder = match smtp.security {
                    Security::Starttls => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)?
                    }
                    Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?,
                    Security::None => {
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
                    }
                };
                let mut builder = builder.port(smtp.port).timeout(Some(smtp.timeout));
                if let (Some(user), Some(pass)) = (&smtp.username, &smtp.password) {
                    builder = builder.credentials(Credentials::new(user.clone(), pass.clone()));
                }
                (
                    Inner::Smtp(builder.build()),
                    format!("smtp {}:{} ({:?})", smtp.host, smtp.port, smtp.security)
                        .to_lowercase(),
                )
            }
        };
        Ok(Mailer {
            inner,
            from,
            describe,
        })
    }

    /// Sends one message. Returns its Message-ID (and, for the outbox, the
    /// path of the written file).
    pub async fn send(&self, m: &Outgoing) -> Result<Sent, SendError> {
        let message_id = message_id(&m.period, &m.to, &self.from);
        let msg = build(&self.from, m, &message_id)
            .map_err(|e| SendError::Permanent(format!("{e:#}")))?;
        match &self.inner {
            Inner::Smtp(t) => match t.send(msg).await {
                Ok(_) => Ok(Sent {
                    message_id,
                    path: None,
                }),
                Err(e) if e.is_permanent() => Err(SendError::Permanent(smtp_error(&e))),
                Err(e) => Err(SendError::Transient(smtp_error(&e))),
            },
            Inner::Sendmail(t) => t
                .send(msg)
                .await
                .map(|_| Sent {
                    message_id,
                    path: None,
                })
                .map_err(|e| SendError::Transient(format!("sendmail: {e}"))),
            Inner::Outbox(dir) => write_outbox(dir, m, &msg)
                .map(|path| Sent {
                    message_id,
                    path: Some(path),
                })
                .map_err(|e| SendError::Transient(format!("{e:#}"))),
        }
    }
}

/// What a successful send produced.
#[derive(Debug, Clone)]
pub struct Sent {
    pub message_id: String,
    /// The `.eml` file, for the outbox transport.
    pub path: Option<PathBuf>,
}

fn smtp_error(e: &lettre::transport::smtp::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let part = s.to_string();
        if !msg.contains(&part) {
            msg.push_str(": ");
            msg.push_str(&part);
        }
        src = s.source();
    }
    msg
}

/// A Message-ID that is the same for the same period and recipient, so a
/// resend after a crash can be recognised as the same message.
pub fn message_id(period: &str, to: &str, from: &Mailbox) -> String {
    let mut h = Sha256::new();
    h.update(period.as_bytes());
    h.update([0]);
    h.update(to.trim().to_lowercase().as_bytes());
    let d = h.finalize();
    let hex: String = d[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("<tricorder.{period}.{hex}@{}>", from.email.domain())
}

/// multipart/alternative: the plain text first, the HTML last (preferred).
pub fn build(from: &Mailbox, m: &Outgoing, message_id: &str) -> Result<Message> {
    let to: Mailbox =
        m.to.parse()
            .with_context(|| format!("recipient {:?} is not a valid address", m.to))?;
    Ok(Message::builder()
        .from(from.clone())
        .to(to)
        .subject(m.subject.clone())
        .message_id(Some(message_id.to_owned()))
        .header(header::Date::now())
        .multipart(MultiPart::alternative_plain_html(
            m.text.clone(),
            m.html.clone(),
        ))?)
}

/// Writes `<period>--<recipient>.eml` and an `.html` preview beside it,
/// each through a temporary file, so a crash never leaves half a message.
fn write_outbox(dir: &Path, m: &Outgoing, msg: &Message) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let who: String =
        m.to.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
    // Appended, not `with_extension`: the address has dots of its own.
    let eml = dir.join(format!("{}--{who}.eml", m.period));
    let html = dir.join(format!("{}--{who}.html", m.period));
    atomic_write(&html, m.html.as_bytes())?;
    for (name, page) in &m.pages {
        // Names come from the period; refuse anything that could leave the folder.
        if name.contains(['/', '\\']) || name.starts_with('.') {
            anyhow::bail!("refusing to write a page named {name:?} in the outbox");
        }
        atomic_write(&dir.join(name), page.as_bytes())?;
    }
    atomic_write(&eml, &msg.formatted())?;
    Ok(eml)
}

fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Back-off between attempts at a digest whose sending failed transiently:
/// base, 2×base, 4×base, … at most an hour.
pub fn retry_delay(base: Duration, attempts: i64) -> Duration {
    let doublings = (attempts.clamp(1, 17) - 1) as u32;
    base.saturating_mul(2u32.pow(doublings))
        .min(Duration::from_secs(3600))
}
