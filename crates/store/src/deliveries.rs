//! Delivery events: written straight into `delivery_event` (marked with the transaction's
//! revision and their line), withdrawals, the 24-hour check, and the exact aggregates recomputed
//! for the touched services and year in the same transaction.

use crate::{Backend, Result};
use ambito_domain::fixed::{HOURS_SCALE, from_units, hours_from_units, money_from_units};
use rust_decimal::Decimal;
use sqlx::{AnyConnection, Row};

/// One validated delivery of a file, in storage units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub line: i64,
    pub service_id: i64,
    pub day: i64,
    pub person_key: String,
    pub provider_id: i64,
    pub comune_id: i64,
    pub ore_e4: i64,
    pub home_visit: bool,
}

/// A withdrawal: the key of the event to remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventKey {
    pub line: i64,
    pub service_id: i64,
    pub day: i64,
    pub person_key: String,
    pub provider_id: i64,
}

pub async fn ensure_provider(conn: &mut AnyConnection, ambito_id: i64, name: &str) -> Result<i64> {
    if let Some(r) = sqlx::query("SELECT id FROM provider WHERE ambito_id = $1 AND name = $2")
        .bind(ambito_id)
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?
    {
        return Ok(r.try_get(0)?);
    }
    let row = sqlx::query("INSERT INTO provider (ambito_id, name) VALUES ($1, $2) RETURNING id")
        .bind(ambito_id)
        .bind(name)
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get(0)?)
}

/// The data revision of the open write transaction (`Store::write` bumped it): it marks the
/// events this transaction writes.
pub async fn write_revision(conn: &mut AnyConnection) -> Result<i64> {
    Ok(sqlx::query("SELECT n FROM data_revision WHERE id = 1").fetch_one(&mut *conn).await?.try_get(0)?)
}

/// An empty table, private to this connection, for the withdrawals of one file.
pub async fn open_withdrawals(conn: &mut AnyConnection) -> Result<()> {
    sqlx::query(
        "CREATE TEMP TABLE IF NOT EXISTS withdrawn_delivery (service_id BIGINT NOT NULL, day BIGINT NOT NULL, \
         person_key TEXT NOT NULL, provider_id BIGINT NOT NULL, line BIGINT NOT NULL, PRIMARY KEY (service_id, day, person_key, provider_id))",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM withdrawn_delivery").execute(&mut *conn).await?;
    Ok(())
}

/// Multi-row VALUES placeholders: `?` on SQLite (numbered ones are much slower to bind there),
/// `$n` on PostgreSQL.
fn values_clause(backend: Backend, rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        s.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..cols {
            if c > 0 {
                s.push_str(", ");
            }
            match backend {
                Backend::Sqlite => s.push('?'),
                Backend::Postgres => s.push_str(&format!("${}", r * cols + c + 1)),
            }
        }
        s.push(')');
    }
    s
}

const KEY: &str = "service_id, day, person_key, provider_id";

/// Writes a batch of deliveries (keys distinct within the batch) straight into `delivery_event`:
/// new keys are inserted, keys written by an earlier transaction are replaced. A key already
/// written by this transaction (`revision`) is a delivery the file reports twice: it is left
/// alone and returned as (line, earlier line).
pub async fn upsert_events(conn: &mut AnyConnection, backend: Backend, revision: i64, batch: &[NewEvent]) -> Result<Vec<(i64, i64)>> {
    if batch.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "INSERT INTO delivery_event ({KEY}, comune_id, ore_e4, home_visit, line, revision) VALUES {} \
         ON CONFLICT ({KEY}) DO UPDATE SET comune_id = excluded.comune_id, ore_e4 = excluded.ore_e4, \
         home_visit = excluded.home_visit, line = excluded.line, revision = excluded.revision \
         WHERE delivery_event.revision <> excluded.revision",
        values_clause(backend, batch.len(), 9)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for e in batch {
        q = q
            .bind(e.service_id)
            .bind(e.day)
            .bind(e.person_key.as_str())
            .bind(e.provider_id)
            .bind(e.comune_id)
            .bind(e.ore_e4)
            .bind(i64::from(e.home_visit))
            .bind(e.line)
            .bind(revision);
    }
    let written = q.execute(&mut *conn).await?.rows_affected();
    if written as usize == batch.len() {
        return Ok(vec![]);
    }
    let mut repeated = Vec::new();
    for e in batch {
        let row = sqlx::query(
            "SELECT line, revision FROM delivery_event WHERE service_id = $1 AND day = $2 AND person_key = $3 AND provider_id = $4",
        )
        .bind(e.service_id)
        .bind(e.day)
        .bind(e.person_key.as_str())
        .bind(e.provider_id)
        .fetch_one(&mut *conn)
        .await?;
        let (line, rev): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
        if rev == revision && line != e.line {
            repeated.push((e.line, line));
        }
    }
    Ok(repeated)
}

/// Notes a batch of withdrawals (applied by `apply_withdrawals`). Returns the withdrawals the
/// file already made on an earlier line, as (line, earlier line).
pub async fn note_withdrawals(conn: &mut AnyConnection, backend: Backend, batch: &[EventKey]) -> Result<Vec<(i64, i64)>> {
    if batch.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "INSERT INTO withdrawn_delivery ({KEY}, line) VALUES {} ON CONFLICT ({KEY}) DO NOTHING",
        values_clause(backend, batch.len(), 5)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for e in batch {
        q = q.bind(e.service_id).bind(e.day).bind(e.person_key.as_str()).bind(e.provider_id).bind(e.line);
    }
    if q.execute(&mut *conn).await?.rows_affected() as usize == batch.len() {
        return Ok(vec![]);
    }
    let mut repeated = Vec::new();
    for e in batch {
        let first: i64 =
            sqlx::query("SELECT line FROM withdrawn_delivery WHERE service_id = $1 AND day = $2 AND person_key = $3 AND provider_id = $4")
                .bind(e.service_id)
                .bind(e.day)
                .bind(e.person_key.as_str())
                .bind(e.provider_id)
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?;
        if first != e.line {
            repeated.push((e.line, first));
        }
    }
    Ok(repeated)
}

/// Keys the file both delivers and withdraws: (later line, earlier line).
pub async fn withdrawn_and_delivered(conn: &mut AnyConnection, revision: i64) -> Result<Vec<(i64, i64)>> {
    // CROSS JOIN fixes the order: driven from the (small, often empty) withdrawals, each one a
    // primary-key look-up. Without it SQLite, knowing nothing of the temporary table, scanned
    // every event of the region on every import (2 s per file at 21 M events).
    let rows = sqlx::query(
        "SELECT w.line, e.line FROM withdrawn_delivery w CROSS JOIN delivery_event e WHERE e.service_id = w.service_id \
         AND e.day = w.day AND e.person_key = w.person_key AND e.provider_id = w.provider_id AND e.revision = $1 \
         ORDER BY w.line LIMIT 1000",
    )
    .bind(revision)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let (a, b): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
            Ok((a.max(b), a.min(b)))
        })
        .collect()
}

/// Deletes the noted withdrawals. Returns (withdrawn, withdrawals that matched no event).
pub async fn apply_withdrawals(conn: &mut AnyConnection) -> Result<(u64, u64)> {
    let requested: i64 = sqlx::query("SELECT COUNT(*) FROM withdrawn_delivery").fetch_one(&mut *conn).await?.try_get(0)?;
    if requested == 0 {
        return Ok((0, 0));
    }
    // Driven from the (small) withdrawal side: each one is a primary-key look-up.
    let withdrawn =
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM delivery_event WHERE ({KEY}) IN (SELECT {KEY} FROM withdrawn_delivery)")))
            .execute(&mut *conn)
            .await?
            .rows_affected();
    Ok((withdrawn, (requested as u64).saturating_sub(withdrawn)))
}

/// Person-days of the given services and year whose hours, over all providers, exceed 24:
/// (service_id, day, person_key, hours in ten-thousandths). The grouping follows the primary
/// key, so this is one ordered pass over the year's events of those services.
pub async fn overfull_days(conn: &mut AnyConnection, service_ids: &[i64], year: i64) -> Result<Vec<(i64, i64, String, i64)>> {
    if service_ids.is_empty() {
        return Ok(vec![]);
    }
    // The rule (24 hours, the year's days) is `ambito_domain::delivery`'s; SQL applies it here
    // because the sums run over every event of the year.
    let (first, last) = ambito_domain::delivery::year_days(year);
    let sql = format!(
        "SELECT service_id, day, person_key, CAST(SUM(ore_e4) AS BIGINT) FROM delivery_event \
         WHERE service_id IN ({}) AND day BETWEEN {first} AND {last} GROUP BY service_id, day, person_key \
         HAVING SUM(ore_e4) > {} LIMIT 50",
        id_list(service_ids),
        ambito_domain::delivery::max_day_units()
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *conn).await?;
    let mut out: Vec<(i64, i64, String, i64)> =
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?))).collect::<Result<_>>()?;
    out.sort_by_key(|o| o.1);
    Ok(out)
}

pub(crate) fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryFigures {
    pub service_id: i64,
    pub events: i64,
    pub hours: Decimal,
    pub visits: i64,
    pub persons: i64,
}

/// Yearly delivery aggregates of every service of an Ambito (`period` is `Y`, `S1` or `S2`).
pub async fn delivery_figures(conn: &mut AnyConnection, ambito_id: i64, year: i64, period: &str) -> Result<Vec<DeliveryFigures>> {
    let rows = sqlx::query(
        "SELECT g.service_id, g.events, g.ore_e4, g.visits, g.persons FROM agg_delivery_period g JOIN service s ON s.id = g.service_id \
         WHERE s.ambito_id = $1 AND g.year = $2 AND g.period = $3",
    )
    .bind(ambito_id)
    .bind(year)
    .bind(period)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DeliveryFigures {
                service_id: r.try_get(0)?,
                events: r.try_get(1)?,
                hours: hours_from_units(r.try_get(2)?),
                visits: r.try_get(3)?,
                persons: r.try_get(4)?,
            })
        })
        .collect()
}

/// Distinct persons reached in a year by each area (`area_id`) and by the Ambito (`0`).
pub async fn delivery_reach(conn: &mut AnyConnection, ambito_id: i64, year: i64) -> Result<Vec<(i64, i64)>> {
    let rows = sqlx::query("SELECT area_id, persons FROM agg_delivery_reach WHERE ambito_id = $1 AND year = $2")
        .bind(ambito_id)
        .bind(year)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub day: i64,
    pub comune_istat: String,
    pub hours: Decimal,
    pub home_visit: bool,
    pub provider: String,
}

/// One person's events in one service, oldest first.
pub async fn delivery_history(conn: &mut AnyConnection, service_id: i64, person_key: &str) -> Result<Vec<HistoryRow>> {
    let rows = sqlx::query(
        "SELECT e.day, c.istat_code, e.ore_e4, e.home_visit, p.name FROM delivery_event e JOIN comune c ON c.id = e.comune_id \
         JOIN provider p ON p.id = e.provider_id WHERE e.service_id = $1 AND e.person_key = $2 ORDER BY e.day, p.name",
    )
    .bind(service_id)
    .bind(person_key)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(HistoryRow {
                day: r.try_get(0)?,
                comune_istat: r.try_get(1)?,
                hours: hours_from_units(r.try_get(2)?),
                home_visit: r.try_get::<i64, _>(3)? != 0,
                provider: r.try_get(4)?,
            })
        })
        .collect()
}

/// One Ambito × service line of the region indicator table, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionLine {
    pub ambito_code: String,
    pub ambito_id: i64,
    pub service_code: String,
    pub figures: DeliveryFigures,
    /// The year's target population: a name, or a value written in the activity file.
    pub target_name: Option<String>,
    pub target_value: Option<String>,
    pub budget: Option<Decimal>,
}

/// Every Ambito × service with delivery aggregates in `year`, with its target and budget, in
/// one set-based read ordered by Ambito and service code.
pub async fn region_lines(conn: &mut AnyConnection, year: i64) -> Result<Vec<RegionLine>> {
    let rows = sqlx::query(
        "SELECT a.code, a.id, s.id, s.code, g.events, g.ore_e4, g.visits, g.persons, sy.target_name, sy.target_value, b.budget_cents \
         FROM agg_delivery_period g JOIN service s ON s.id = g.service_id JOIN ambito a ON a.id = s.ambito_id \
         LEFT JOIN service_year sy ON sy.service_id = g.service_id AND sy.year = g.year \
         LEFT JOIN agg_service_year b ON b.service_id = g.service_id AND b.year = g.year \
         WHERE g.year = $1 AND g.period = 'Y' ORDER BY a.code, s.code",
    )
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(RegionLine {
                ambito_code: r.try_get(0)?,
                ambito_id: r.try_get(1)?,
                service_code: r.try_get(3)?,
                figures: DeliveryFigures {
                    service_id: r.try_get(2)?,
                    events: r.try_get(4)?,
                    hours: hours_from_units(r.try_get(5)?),
                    visits: r.try_get(6)?,
                    persons: r.try_get(7)?,
                },
                target_name: r.try_get(8)?,
                target_value: r.try_get(9)?,
                budget: r.try_get::<Option<i64>, _>(10)?.map(money_from_units),
            })
        })
        .collect()
}

/// Monthly totals of an Ambito's deliveries in a year: (month 1-12, events, hours, visits).
pub async fn delivery_months(conn: &mut AnyConnection, ambito_id: i64, year: i64) -> Result<Vec<(i64, i64, Decimal, i64)>> {
    let (first_month, last_month) = ambito_domain::delivery::year_months(year);
    let rows = sqlx::query(
        "SELECT g.month, CAST(SUM(g.events) AS BIGINT), CAST(SUM(g.ore_e4) AS BIGINT), CAST(SUM(g.visits) AS BIGINT) \
         FROM agg_delivery_month g JOIN service s ON s.id = g.service_id WHERE s.ambito_id = $1 AND g.month BETWEEN $2 AND $3 \
         GROUP BY g.month ORDER BY g.month",
    )
    .bind(ambito_id)
    .bind(first_month)
    .bind(last_month)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get::<i64, _>(0)? % 100, r.try_get(1)?, from_units(r.try_get(2)?, HOURS_SCALE), r.try_get(3)?))).collect()
}
