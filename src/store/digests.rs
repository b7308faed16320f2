//! Digests: the outbox (one digest per period, stored before it is sent),
//! its deliveries per recipient, and the starters each digest used.

use anyhow::Result;
use rusqlite::params;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use super::Store;

/// Where a stored digest stands. Stored as its lower-case name, so the
/// column stays readable with the `sqlite3` shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DigestStatus {
    /// Composed, not yet sent to every recipient; retried until it is.
    Pending,
    /// Sent to every recipient.
    Sent,
    /// Given up on (a permanent error): never retried by itself.
    Failed,
    /// Nothing to say that period: kept so the period is never composed again.
    Skipped,
}

/// How one recipient's delivery of a digest went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    Sent,
    Failed,
}

impl DigestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DigestStatus::Pending => "pending",
            DigestStatus::Sent => "sent",
            DigestStatus::Failed => "failed",
            DigestStatus::Skipped => "skipped",
        }
    }
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Failed => "failed",
        }
    }
}

impl std::fmt::Display for DigestStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for DeliveryStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A state this build does not know (a newer release wrote it, or a hand
/// edit) is an error naming the value, not a silent default.
fn unknown_state(kind: &str, value: &str) -> FromSqlError {
    FromSqlError::Other(format!("unknown {kind} state {value:?} in the database").into())
}

impl FromSql for DigestStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "pending" => Ok(DigestStatus::Pending),
            "sent" => Ok(DigestStatus::Sent),
            "failed" => Ok(DigestStatus::Failed),
            "skipped" => Ok(DigestStatus::Skipped),
            other => Err(unknown_state("digest", other)),
        }
    }
}

impl ToSql for DigestStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for DeliveryStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "sent" => Ok(DeliveryStatus::Sent),
            "failed" => Ok(DeliveryStatus::Failed),
            other => Err(unknown_state("delivery", other)),
        }
    }
}

impl ToSql for DeliveryStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

/// A stored digest and its delivery state.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DigestRow {
    pub period: String,
    pub scheduled_at: i64,
    pub composed_at: i64,
    pub subject: String,
    #[serde(skip)]
    pub content: String,
    pub status: DigestStatus,
    pub attempts: i64,
    pub next_attempt: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<i64>,
}

impl Store {
    /// Stores a composed digest for its period, with the starters it uses, in
    /// one transaction. Returns false (and changes nothing) if the period
    /// already has one: there is never more than one digest per period.
    pub fn insert_digest(
        &mut self,
        row: &DigestRow,
        starters: &[(String, String)],
    ) -> Result<bool> {
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "INSERT OR IGNORE INTO digests (period, scheduled_at, composed_at, subject, content, status, next_attempt)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![row.period, row.scheduled_at, row.composed_at, row.subject, row.content, row.status, row.next_attempt],
        )?;
        if n == 1 {
            let mut stmt = tx.prepare(
                "INSERT INTO digest_starters (period, topic, question) VALUES (?1, ?2, ?3)",
            )?;
            for (topic, q) in starters {
                stmt.execute(params![row.period, topic, q])?;
            }
        }
        tx.commit()?;
        Ok(n == 1)
    }

    pub fn digest(&self, period: &str) -> Result<Option<DigestRow>> {
        Ok(self.query_digests("WHERE period = ?1", [period])?.pop())
    }

    /// The most recent digest, whatever its state.
    pub fn last_digest(&self) -> Result<Option<DigestRow>> {
        Ok(self
            .query_digests("WHERE status <> 'skipped' ORDER BY period DESC LIMIT 1", [])?
            .pop())
    }

    /// Digests waiting to be sent whose next attempt is due.
    pub fn due_digests(&self, now: i64) -> Result<Vec<DigestRow>> {
        self.query_digests(
            "WHERE status = 'pending' AND next_attempt <= ?1 ORDER BY period",
            [now],
        )
    }

    fn query_digests(&self, tail: &str, p: impl rusqlite::Params) -> Result<Vec<DigestRow>> {
        let sql = format!(
            "SELECT period, scheduled_at, composed_at, subject, content, status, attempts, next_attempt, last_error, sent_at
             FROM digests {tail}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(p, |r| {
                Ok(DigestRow {
                    period: r.get(0)?,
                    scheduled_at: r.get(1)?,
                    composed_at: r.get(2)?,
                    subject: r.get(3)?,
                    content: r.get(4)?,
                    status: r.get(5)?,
                    attempts: r.get(6)?,
                    next_attempt: r.get(7)?,
                    last_error: r.get(8)?,
                    sent_at: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// (recipient, status, error) of every delivery of a period's digest so far.
    pub fn deliveries(
        &self,
        period: &str,
    ) -> Result<Vec<(String, DeliveryStatus, Option<String>)>> {
        let mut stmt = self.conn.prepare(
            "SELECT recipient, status, error FROM digest_deliveries WHERE period = ?1 ORDER BY recipient",
        )?;
        let rows = stmt
            .query_map([period], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn record_delivery(
        &mut self,
        period: &str,
        recipient: &str,
        status: DeliveryStatus,
        message_id: Option<&str>,
        error: Option<&str>,
        now: i64,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO digest_deliveries (period, recipient, status, at, message_id, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(period, recipient) DO UPDATE SET status = excluded.status, at = excluded.at,
                 message_id = excluded.message_id, error = excluded.error",
            params![period, recipient, status, now, message_id, error],
        )?;
        Ok(())
    }

    pub fn set_digest_state(
        &mut self,
        period: &str,
        status: DigestStatus,
        attempts: i64,
        next_attempt: i64,
        last_error: Option<&str>,
        sent_at: Option<i64>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE digests SET status = ?2, attempts = ?3, next_attempt = ?4, last_error = ?5, sent_at = coalesce(?6, sent_at)
             WHERE period = ?1",
            params![period, status, attempts, next_attempt, last_error, sent_at],
        )?;
        Ok(())
    }

    /// Makes a sent digest pending again (`digest --send --force`).
    pub fn reset_digest(&mut self, period: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM digest_deliveries WHERE period = ?1", [period])?;
        tx.execute(
            "UPDATE digests SET status = 'pending', attempts = 0, next_attempt = 0, last_error = NULL WHERE period = ?1",
            [period],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The starters the digest before `period` used for `topic`.
    pub fn previous_starters(&self, period: &str, topic: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT question FROM digest_starters WHERE topic = ?2 AND period =
                 (SELECT max(period) FROM digests WHERE period < ?1 AND status <> 'skipped')",
        )?;
        let rows = stmt
            .query_map([period, topic], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
