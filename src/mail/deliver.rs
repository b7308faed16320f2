//! Exactly one digest per period.
//!
//! A period's digest is composed and stored (one row per period, enforced
//! by its primary key) before anything is sent. Each recipient's delivery is
//! recorded as it succeeds, so a retry or a restart sends only to those
//! still missing, and a period that is sent is never sent again (unless
//! asked with `--force`). One gap no client can close: if the process dies
//! after the SMTP server accepted a message but before the delivery was
//! recorded, that one message goes out again; it carries the same
//! Message-ID, so mail clients can tell.

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Mailer, Outgoing, SendError, retry_delay};
use crate::config::Config;
use crate::digest::compose::compose;
use crate::digest::model::{Digest, RoleAngle};
use crate::digest::render::Renderer;
use crate::digest::starters::{self, Templates};
use crate::index::SearchIndex;
use crate::store::{DeliveryStatus, DigestRow, DigestStatus, Store};

/// A transiently failing digest is given up this long after its time.
pub const GIVE_UP_AFTER_SECS: i64 = 48 * 3600;

#[derive(Debug)]
pub enum Prepared {
    /// Composed and stored now.
    Created(DigestRow),
    /// The period already had a digest (in whatever state).
    Existing(DigestRow),
    /// A quiet day, skipped as configured (recorded, so not retried).
    Skipped,
}

/// Composes and stores the digest for `period` unless it already exists.
pub fn prepare(
    cfg: &Config,
    store: &mut Store,
    index: &SearchIndex,
    templates: &Templates,
    period: &str,
    scheduled_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Prepared> {
    if let Some(row) = store.digest(period)? {
        return Ok(Prepared::Existing(row));
    }
    let digest = {
        let history = |topic: &str| store.previous_starters(period, topic).unwrap_or_default();
        compose(cfg, store, index, templates, period, now, &history)?
    };
    let (row, starters) = match &digest {
        None => (
            DigestRow {
                period: period.to_owned(),
                scheduled_at: scheduled_at.timestamp(),
                composed_at: now.timestamp(),
                subject: "(quiet day: skipped)".into(),
                content: "{}".into(),
                status: DigestStatus::Skipped,
                attempts: 0,
                next_attempt: 0,
                last_error: None,
                sent_at: None,
            },
            Vec::new(),
        ),
        Some(d) => (
            DigestRow {
                period: period.to_owned(),
                scheduled_at: scheduled_at.timestamp(),
                composed_at: now.timestamp(),
                subject: d.subject.clone(),
                content: serde_json::to_string(d)?,
                status: DigestStatus::Pending,
                attempts: 0,
                next_attempt: 0,
                last_error: None,
                sent_at: None,
            },
            d.starters
                .iter()
                .flat_map(|g| {
                    let key = crate::analyse::phrases::normalise(&g.topic).unwrap_or_default();
                    g.starters
                        .iter()
                        .map(move |s| (key.clone(), s.text.clone()))
                })
                .collect::<Vec<_>>(),
        ),
    };
    if !store.insert_digest(&row, &starters)? {
        // Lost a race with another writer; what is stored wins.
        let existing = store.digest(period)?.context("digest vanished")?;
        return Ok(Prepared::Existing(existing));
    }
    if let Some(d) = &digest {
        record_topics(store, d, now)?;
    }
    Ok(match digest {
        None => Prepared::Skipped,
        Some(_) => Prepared::Created(row),
    })
}

/// What one attempt at a period's digest did.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub period: String,
    pub subject: String,
    pub status: DigestStatus,
    pub sent: Vec<String>,
    pub failed: Vec<(String, String)>,
    /// Paths written by the outbox transport.
    pub files: Vec<String>,
    pub retry_at: Option<i64>,
    pub error: Option<String>,
}

/// Sends every stored digest that is due (or, with `now_all`, every pending one).
pub async fn send_due(
    cfg: &Config,
    store: &mut Store,
    mailer: &Mailer,
    renderer: &Renderer,
    templates: &Templates,
    now: DateTime<Utc>,
) -> Result<Vec<Report>> {
    let mut out = Vec::new();
    for row in store.due_digests(now.timestamp())? {
        out.push(send_row(cfg, store, mailer, renderer, templates, &row, now).await?);
    }
    Ok(out)
}

/// Sends a stored digest to every recipient who has not had it yet.
pub async fn send_row(
    cfg: &Config,
    store: &mut Store,
    mailer: &Mailer,
    renderer: &Renderer,
    templates: &Templates,
    row: &DigestRow,
    now: DateTime<Utc>,
) -> Result<Report> {
    let digest: Digest = crate::digest::record::from_stored(&row.content)
        .with_context(|| format!("stored digest for {} is unreadable", row.period))?;
    let mut report = Report {
        period: row.period.clone(),
        subject: row.subject.clone(),
        status: row.status,
        sent: vec![],
        failed: vec![],
        files: vec![],
        retry_at: None,
        error: None,
    };
    let done = store.deliveries(&row.period)?;
    let recipients: Vec<_> = cfg
        .digest
        .recipients
        .iter()
        .filter(|r| {
            !done
                .iter()
                .any(|(who, _, _)| who.eq_ignore_ascii_case(&r.email))
        })
        .collect();
    if cfg.digest.recipients.is_empty() {
        let msg = "no recipients: add `to = [\"you@example.com\"]` under [digest]";
        store.set_digest_state(
            &row.period,
            DigestStatus::Failed,
            row.attempts,
            0,
            Some(msg),
            None,
        )?;
        report.status = DigestStatus::Failed;
        report.error = Some(msg.into());
        return Ok(report);
    }
    let mut transient: Option<String> = None;
    for r in recipients {
        let mut d = digest.clone();
        if let Some(role) = &r.role {
            let top = d
                .topics
                .first()
                .map(|t| t.name.as_str())
                .unwrap_or("today's news");
            d.role = Some(RoleAngle {
                role: role.clone(),
                angle: starters::role_angle(templates, role, top, &d.industry),
            });
        }
        let rendered = renderer.render(&d)?;
        let out = Outgoing {
            period: row.period.clone(),
            to: r.email.clone(),
            subject: d.subject.clone(),
            html: rendered.html,
            text: rendered.text,
            pages: rendered.topic_page.into_iter().collect(),
        };
        match mailer.send(&out).await {
            Ok(sent) => {
                store.record_delivery(
                    &row.period,
                    &r.email,
                    DeliveryStatus::Sent,
                    Some(&sent.message_id),
                    None,
                    now.timestamp(),
                )?;
                tracing::info!(period = %row.period, to = %r.email, via = %mailer.describe, "digest delivered");
                if let Some(p) = sent.path {
                    report.files.push(p.display().to_string());
                }
                report.sent.push(r.email.clone());
            }
            Err(SendError::Permanent(e)) => {
                tracing::error!(period = %row.period, to = %r.email, "digest refused for good: {e}");
                store.record_delivery(
                    &row.period,
                    &r.email,
                    DeliveryStatus::Failed,
                    None,
                    Some(&e),
                    now.timestamp(),
                )?;
                report.failed.push((r.email.clone(), e));
            }
            Err(SendError::Transient(e)) => {
                tracing::warn!(period = %row.period, to = %r.email, via = %mailer.describe, "digest not delivered, will retry: {e}");
                transient = Some(e);
            }
        }
    }
    let attempts = row.attempts + 1;
    let (status, next, error, sent_at) = match transient {
        None if report.failed.is_empty()
            && !done.iter().any(|(_, s, _)| *s == DeliveryStatus::Failed) =>
        {
            (DigestStatus::Sent, 0, None, Some(now.timestamp()))
        }
        None => {
            let errs: Vec<String> = report
                .failed
                .iter()
                .map(|(who, e)| format!("{who}: {e}"))
                .chain(
                    done.iter()
                        .filter(|(_, s, _)| *s == DeliveryStatus::Failed)
                        .map(|(who, _, e)| format!("{who}: {}", e.clone().unwrap_or_default())),
                )
                .collect();
            (DigestStatus::Failed, 0, Some(errs.join("; ")), None)
        }
        Some(e) if now.timestamp() - row.scheduled_at > GIVE_UP_AFTER_SECS => (
            DigestStatus::Failed,
            0,
            Some(format!("gave up after {attempts} attempts: {e}")),
            None,
        ),
        Some(e) => {
            let at = now.timestamp() + retry_delay(cfg.digest.retry, attempts).as_secs() as i64;
            report.retry_at = Some(at);
            (DigestStatus::Pending, at, Some(e), None)
        }
    };
    store.set_digest_state(
        &row.period,
        status,
        attempts,
        next,
        error.as_deref(),
        sent_at,
    )?;
    report.status = status;
    report.error = error;
    Ok(report)
}

/// Keeps the digest's topics in the trend history, so that `tricorder
/// topics` names the digests that carried each.
fn record_topics(
    store: &mut Store,
    d: &crate::digest::record::Record,
    now: DateTime<Utc>,
) -> Result<()> {
    let rows: Vec<crate::store::TrendedRow> = d
        .topics
        .iter()
        .map(|t| crate::store::TrendedRow {
            window_end: now.timestamp(),
            key: crate::analyse::phrases::normalise(&t.label)
                .unwrap_or_else(|| t.label.to_lowercase()),
            label: t.label.clone(),
            kind: t.kind.clone(),
            topic_type: t.topic_type.clone(),
            growth: t.growth,
            score: t.growth.max(1.0).ln(),
            phrases: t.related.clone(),
            digest: Some(d.period.clone()),
        })
        .collect();
    store
        .record_trended(now.timestamp(), 0, Some(&d.period), &rows, now.timestamp())
        .with_context(|| format!("cannot record the topics of the digest for {}", d.period))
}
