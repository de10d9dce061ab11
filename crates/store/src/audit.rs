//! The append-only audit log. Appends run inside the caller's transaction, so an audited write
//! and its entry commit or vanish together.

use crate::Result;
use ambito_domain::audit::{AuditKey, Entry, entry_mac, switch_mac};
use sqlx::AnyConnection;

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    struct EntryRow {
        seq: i64,
        at: String,
        user_id: Option<i64>,
        username: String,
        action: String,
        object: String,
        person_id: Option<i64>,
        ambito: Option<String>,
        ip: Option<String>,
        reason: Option<String>,
        flagged: i64,
        prev_hash: String,
        hash: String,
    }
}

impl EntryRow {
    fn split(self) -> (Entry, String, String) {
        let e = Entry {
            seq: self.seq,
            at: self.at,
            user_id: self.user_id,
            username: self.username,
            action: self.action,
            object: self.object,
            person_id: self.person_id,
            ambito: self.ambito,
            ip: self.ip,
            reason: self.reason,
            flagged: self.flagged != 0,
        };
        (e, self.prev_hash, self.hash)
    }
}

const COLUMNS: &str = "seq, at, user_id, username, action, object, person_id, ambito, ip, reason, flagged, prev_hash, hash";

/// Appends `entry` (its `seq` is assigned here, its fields bounded) with a keyed link, and
/// returns the sequence number. The first keyed entry records the signed switch-over.
pub async fn append_audit(conn: &mut AnyConnection, key: &AuditKey, entry: Entry) -> Result<i64> {
    let mut entry = entry.bounded();
    // Taking the head row first serialises concurrent appends (a row lock on PostgreSQL; SQLite
    // write transactions are serial already).
    let (seq, prev, keyed_from): (i64, String, Option<i64>) =
        sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash, keyed_from").fetch_one(&mut *conn).await?;
    if keyed_from.is_none() {
        sqlx::query("UPDATE audit_head SET keyed_from = $1, keyed_mac = $2 WHERE id = 1")
            .bind(seq)
            .bind(switch_mac(key, seq))
            .execute(&mut *conn)
            .await?;
    }
    entry.seq = seq;
    let hash = entry_mac(key, &prev, &entry);
    let sql = format!("INSERT INTO audit_log ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(seq)
        .bind(&entry.at)
        .bind(entry.user_id)
        .bind(&entry.username)
        .bind(&entry.action)
        .bind(&entry.object)
        .bind(entry.person_id)
        .bind(&entry.ambito)
        .bind(&entry.ip)
        .bind(&entry.reason)
        .bind(i64::from(entry.flagged))
        .bind(&prev)
        .bind(&hash)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&hash).execute(&mut *conn).await?;
    Ok(seq)
}

crate::from_row! {
    /// The anchor of the chain: the last entry, and where keyed links start (with its signature).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct AuditHead {
        pub seq: i64,
        pub hash: String,
        pub keyed_from: Option<i64>,
        pub keyed_mac: Option<String>,
    }
}

pub async fn audit_head(conn: &mut AnyConnection) -> Result<AuditHead> {
    Ok(sqlx::query_as("SELECT seq, hash, keyed_from, keyed_mac FROM audit_head WHERE id = 1").fetch_one(&mut *conn).await?)
}

/// Entries from `after` (exclusive), in storage order by sequence, at most `limit`.
pub async fn audit_page(conn: &mut AnyConnection, after: i64, limit: i64) -> Result<Vec<(Entry, String, String)>> {
    let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2");
    let rows: Vec<EntryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(after).bind(limit).fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(EntryRow::split).collect())
}

#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub person_id: Option<i64>,
    pub username: Option<String>,
    /// Inclusive bounds on the RFC 3339 instant (a date `YYYY-MM-DD` works as a prefix bound).
    pub from: Option<String>,
    pub to: Option<String>,
    pub ambito: Option<String>,
    pub limit: i64,
}

/// Newest first.
pub async fn search_audit(conn: &mut AnyConnection, q: &AuditQuery) -> Result<Vec<Entry>> {
    let mut sql = format!("SELECT {COLUMNS} FROM audit_log WHERE 1 = 1");
    let mut n = 0;
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    if q.person_id.is_some() {
        sql += &format!(" AND person_id = {}", next());
    }
    if q.username.is_some() {
        sql += &format!(" AND username = {}", next());
    }
    if q.from.is_some() {
        sql += &format!(" AND at >= {}", next());
    }
    if q.to.is_some() {
        // `to` is a day: everything up to the end of it.
        sql += &format!(" AND at < {} || '~'", next());
    }
    if q.ambito.is_some() {
        sql += &format!(" AND ambito = {}", next());
    }
    sql += &format!(" ORDER BY seq DESC LIMIT {}", next());
    let mut query = sqlx::query_as::<_, EntryRow>(sqlx::AssertSqlSafe(sql));
    if let Some(p) = q.person_id {
        query = query.bind(p);
    }
    for s in [&q.username, &q.from, &q.to, &q.ambito].into_iter().flatten() {
        query = query.bind(s.clone());
    }
    query = query.bind(q.limit);
    Ok(query.fetch_all(&mut *conn).await?.into_iter().map(|r| r.split().0).collect())
}
