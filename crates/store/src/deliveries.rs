//! Delivery events: a staging table for one file, the merge into `delivery_event`, and the exact
//! aggregates recomputed for the touched services and year in the same transaction.

use crate::{Backend, Result};
use sqlx::{AnyConnection, Row};

/// One validated row of a delivery file, in storage units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedEvent {
    pub line: i64,
    pub service_id: i64,
    pub day: i64,
    pub person_key: String,
    pub provider_id: i64,
    pub comune_id: i64,
    pub ore_e4: i64,
    pub home_visit: bool,
    pub withdraw: bool,
}

const STAGING_COLS: &str = "line, service_id, day, person_key, provider_id, comune_id, ore_e4, home_visit, withdraw";

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

/// An empty staging table private to this connection (temporary tables are per session).
pub async fn open_staging(conn: &mut AnyConnection) -> Result<()> {
    sqlx::query(
        "CREATE TEMP TABLE IF NOT EXISTS staging_delivery (line BIGINT NOT NULL, service_id BIGINT NOT NULL, day BIGINT NOT NULL, \
         person_key TEXT NOT NULL, provider_id BIGINT NOT NULL, comune_id BIGINT NOT NULL, ore_e4 BIGINT NOT NULL, \
         home_visit BIGINT NOT NULL, withdraw BIGINT NOT NULL, PRIMARY KEY (service_id, day, person_key, provider_id))",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM staging_delivery").execute(&mut *conn).await?;
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

/// Stages a batch. Returns the lines whose key was already staged from an earlier line, as
/// (line, earlier line): a file must not report the same delivery twice.
pub async fn stage_events(conn: &mut AnyConnection, backend: Backend, batch: &[StagedEvent]) -> Result<Vec<(i64, i64)>> {
    if batch.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "INSERT INTO staging_delivery ({STAGING_COLS}) VALUES {} ON CONFLICT (service_id, day, person_key, provider_id) DO NOTHING",
        values_clause(backend, batch.len(), 9)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for e in batch {
        q = q
            .bind(e.line)
            .bind(e.service_id)
            .bind(e.day)
            .bind(e.person_key.as_str())
            .bind(e.provider_id)
            .bind(e.comune_id)
            .bind(e.ore_e4)
            .bind(i64::from(e.home_visit))
            .bind(i64::from(e.withdraw));
    }
    let inserted = q.execute(&mut *conn).await?.rows_affected();
    if inserted as usize == batch.len() {
        return Ok(vec![]);
    }
    let mut dups = Vec::new();
    for e in batch {
        let first: i64 =
            sqlx::query("SELECT line FROM staging_delivery WHERE service_id = $1 AND day = $2 AND person_key = $3 AND provider_id = $4")
                .bind(e.service_id)
                .bind(e.day)
                .bind(e.person_key.as_str())
                .bind(e.provider_id)
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?;
        if first != e.line {
            dups.push((e.line, first));
        }
    }
    Ok(dups)
}

/// Applies the staged file: replacements and new events are upserted, withdrawals deleted.
/// Returns (written, withdrawn, withdrawals that matched no event).
pub async fn merge_staging(conn: &mut AnyConnection) -> Result<(u64, u64, u64)> {
    let written = sqlx::query(
        "INSERT INTO delivery_event (service_id, day, person_key, provider_id, comune_id, ore_e4, home_visit) \
         SELECT service_id, day, person_key, provider_id, comune_id, ore_e4, home_visit FROM staging_delivery WHERE withdraw = 0 \
         ON CONFLICT (service_id, day, person_key, provider_id) DO UPDATE SET comune_id = excluded.comune_id, \
         ore_e4 = excluded.ore_e4, home_visit = excluded.home_visit",
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let requested: i64 = sqlx::query("SELECT COUNT(*) FROM staging_delivery WHERE withdraw = 1").fetch_one(&mut *conn).await?.try_get(0)?;
    // Driven from the (small) staging side: each withdrawal is a primary-key look-up.
    let withdrawn = if requested == 0 {
        0
    } else {
        sqlx::query(
            "DELETE FROM delivery_event WHERE (service_id, day, person_key, provider_id) IN \
             (SELECT service_id, day, person_key, provider_id FROM staging_delivery WHERE withdraw = 1)",
        )
        .execute(&mut *conn)
        .await?
        .rows_affected()
    };
    Ok((written, withdrawn, (requested as u64).saturating_sub(withdrawn)))
}

/// Person-days of the staged file whose hours, over all providers, exceed 24 after the merge:
/// (service_id, day, person_key, hours in ten-thousandths).
pub async fn overfull_days(conn: &mut AnyConnection) -> Result<Vec<(i64, i64, String, i64)>> {
    let rows = sqlx::query(
        "SELECT e.service_id, e.day, e.person_key, CAST(SUM(e.ore_e4) AS BIGINT) \
         FROM (SELECT DISTINCT service_id, day, person_key FROM staging_delivery) k \
         JOIN delivery_event e ON e.service_id = k.service_id AND e.day = k.day AND e.person_key = k.person_key \
         GROUP BY e.service_id, e.day, e.person_key HAVING SUM(e.ore_e4) > 240000 ORDER BY e.day LIMIT 50",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?))).collect()
}

fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

/// Recomputes every delivery aggregate of `year` for the given services and their Ambito, from
/// that year's events of those services only.
pub async fn refresh_delivery_aggregates(conn: &mut AnyConnection, ambito_id: i64, service_ids: &[i64], year: i64) -> Result<()> {
    if service_ids.is_empty() {
        return Ok(());
    }
    let ids = id_list(service_ids);
    let (first, last) = (year * 10000 + 101, year * 10000 + 1231);
    let scope = format!("service_id IN ({ids}) AND day BETWEEN {first} AND {last}");
    let measures = "COUNT(*), SUM(ore_e4), SUM(home_visit), COUNT(DISTINCT person_key)";
    let statements = [
        format!("DELETE FROM agg_delivery_month WHERE service_id IN ({ids}) AND month BETWEEN {} AND {}", year * 100 + 1, year * 100 + 12),
        format!(
            "INSERT INTO agg_delivery_month (service_id, comune_id, month, events, ore_e4, visits, persons) \
             SELECT service_id, comune_id, day / 100, {measures} FROM delivery_event WHERE {scope} GROUP BY service_id, comune_id, day / 100"
        ),
        format!("DELETE FROM agg_delivery_period WHERE service_id IN ({ids}) AND year = {year}"),
        format!(
            "INSERT INTO agg_delivery_period (service_id, year, period, events, ore_e4, visits, persons) \
             SELECT service_id, {year}, 'Y', {measures} FROM delivery_event WHERE {scope} GROUP BY service_id"
        ),
        format!(
            "INSERT INTO agg_delivery_period (service_id, year, period, events, ore_e4, visits, persons) \
             SELECT service_id, {year}, 'S1', {measures} FROM delivery_event WHERE {scope} AND day <= {} GROUP BY service_id",
            year * 10000 + 630
        ),
        format!(
            "INSERT INTO agg_delivery_period (service_id, year, period, events, ore_e4, visits, persons) \
             SELECT service_id, {year}, 'S2', {measures} FROM delivery_event WHERE {scope} AND day >= {} GROUP BY service_id",
            year * 10000 + 701
        ),
        format!("DELETE FROM agg_delivery_reach WHERE ambito_id = {ambito_id} AND year = {year}"),
        format!(
            "INSERT INTO agg_delivery_reach (ambito_id, area_id, year, persons) \
             SELECT {ambito_id}, s.area_id, {year}, COUNT(DISTINCT e.person_key) FROM delivery_event e JOIN service s ON s.id = e.service_id \
             WHERE s.ambito_id = {ambito_id} AND e.day BETWEEN {first} AND {last} GROUP BY s.area_id"
        ),
        format!(
            "INSERT INTO agg_delivery_reach (ambito_id, area_id, year, persons) \
             SELECT {ambito_id}, 0, {year}, COUNT(DISTINCT e.person_key) FROM delivery_event e JOIN service s ON s.id = e.service_id \
             WHERE s.ambito_id = {ambito_id} AND e.day BETWEEN {first} AND {last} HAVING COUNT(*) > 0"
        ),
    ];
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *conn).await?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryFigures {
    pub service_id: i64,
    pub events: i64,
    pub ore_e4: i64,
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
                ore_e4: r.try_get(2)?,
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
    pub ore_e4: i64,
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
                ore_e4: r.try_get(2)?,
                home_visit: r.try_get::<i64, _>(3)? != 0,
                provider: r.try_get(4)?,
            })
        })
        .collect()
}

/// Every Ambito's yearly delivery aggregates, for the region indicator table:
/// (ambito code, ambito id, service id, service code, figures).
pub async fn region_delivery_figures(conn: &mut AnyConnection, year: i64) -> Result<Vec<(String, i64, i64, String, DeliveryFigures)>> {
    let rows = sqlx::query(
        "SELECT a.code, a.id, s.id, s.code, g.events, g.ore_e4, g.visits, g.persons FROM agg_delivery_period g \
         JOIN service s ON s.id = g.service_id JOIN ambito a ON a.id = s.ambito_id WHERE g.year = $1 AND g.period = 'Y' \
         ORDER BY a.code, s.code",
    )
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get(0)?,
                r.try_get(1)?,
                r.try_get(2)?,
                r.try_get(3)?,
                DeliveryFigures {
                    service_id: r.try_get(2)?,
                    events: r.try_get(4)?,
                    ore_e4: r.try_get(5)?,
                    visits: r.try_get(6)?,
                    persons: r.try_get(7)?,
                },
            ))
        })
        .collect()
}

/// Monthly totals of an Ambito's deliveries in a year: (month 1-12, events, hours ×10⁴, visits).
pub async fn delivery_months(conn: &mut AnyConnection, ambito_id: i64, year: i64) -> Result<Vec<(i64, i64, i64, i64)>> {
    let rows = sqlx::query(
        "SELECT g.month, CAST(SUM(g.events) AS BIGINT), CAST(SUM(g.ore_e4) AS BIGINT), CAST(SUM(g.visits) AS BIGINT) \
         FROM agg_delivery_month g JOIN service s ON s.id = g.service_id WHERE s.ambito_id = $1 AND g.month BETWEEN $2 AND $3 \
         GROUP BY g.month ORDER BY g.month",
    )
    .bind(ambito_id)
    .bind(year * 100 + 1)
    .bind(year * 100 + 12)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get::<i64, _>(0)? % 100, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?))).collect()
}
