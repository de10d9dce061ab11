//! The exact delivery aggregates, recomputed inside the import's transaction for the services and
//! year it touched: per service × Comune × month, per service × period (year and semesters), and
//! the distinct persons reached by each area and by the whole Ambito. Distinct counts cannot be
//! updated by difference, so each is recounted from the events, in as few ordered passes as the
//! primary key (service_id, day, person_key, provider_id) allows.

use crate::Result;
use crate::deliveries::id_list;
use sqlx::{AnyConnection, Row};

async fn exec(conn: &mut AnyConnection, sql: String) -> Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *conn).await?;
    Ok(())
}

/// Recomputes every delivery aggregate of `year` for the given services and their Ambito.
pub async fn refresh_delivery_aggregates(conn: &mut AnyConnection, ambito_id: i64, service_ids: &[i64], year: i64) -> Result<()> {
    if service_ids.is_empty() {
        return Ok(());
    }
    let ids = id_list(service_ids);
    // The periods are `ambito_domain::delivery`'s; the SQL applies them for speed.
    let (first, last) = ambito_domain::delivery::year_days(year);
    let (s1_end, s2_start) = ambito_domain::delivery::semester_bounds(year);
    let (first_month, last_month) = ambito_domain::delivery::year_months(year);
    let scope = format!("service_id IN ({ids}) AND day BETWEEN {first} AND {last}");

    // Service × Comune × month: one pass (and a sort) over the touched services' year.
    exec(conn, format!("DELETE FROM agg_delivery_month WHERE service_id IN ({ids}) AND month BETWEEN {first_month} AND {last_month}"))
        .await?;
    exec(
        conn,
        format!(
            "INSERT INTO agg_delivery_month (service_id, comune_id, month, events, ore_e4, visits, persons) \
             SELECT service_id, comune_id, day / 100, COUNT(*), SUM(ore_e4), SUM(home_visit), COUNT(DISTINCT person_key) \
             FROM delivery_event WHERE {scope} GROUP BY service_id, comune_id, day / 100"
        ),
    )
    .await?;

    // Year and both semesters in one pass, grouped along the primary key (no sort). PostgreSQL
    // sums BIGINT as NUMERIC, hence the casts.
    let s1 = format!("CASE WHEN day <= {s1_end} THEN 1 ELSE 0 END");
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT service_id, COUNT(*), CAST(SUM(ore_e4) AS BIGINT), CAST(SUM(home_visit) AS BIGINT), COUNT(DISTINCT person_key), \
         CAST(SUM({s1}) AS BIGINT), CAST(SUM({s1} * ore_e4) AS BIGINT), CAST(SUM({s1} * home_visit) AS BIGINT), \
         COUNT(DISTINCT CASE WHEN day <= {s1_end} THEN person_key END), COUNT(DISTINCT CASE WHEN day >= {s2_start} THEN person_key END) \
         FROM delivery_event WHERE {scope} GROUP BY service_id"
    )))
    .fetch_all(&mut *conn)
    .await?;
    exec(conn, format!("DELETE FROM agg_delivery_period WHERE service_id IN ({ids}) AND year = {year}")).await?;
    for r in &rows {
        let service_id: i64 = r.try_get(0)?;
        let year_row: [i64; 4] = [r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?];
        let s1_row: [i64; 4] = [r.try_get(5)?, r.try_get(6)?, r.try_get(7)?, r.try_get(8)?];
        let s2_row = [year_row[0] - s1_row[0], year_row[1] - s1_row[1], year_row[2] - s1_row[2], r.try_get(9)?];
        for (period, v) in [("Y", year_row), ("S1", s1_row), ("S2", s2_row)] {
            if v[0] == 0 {
                continue;
            }
            sqlx::query(
                "INSERT INTO agg_delivery_period (service_id, year, period, events, ore_e4, visits, persons) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(service_id)
            .bind(year)
            .bind(period)
            .bind(v[0])
            .bind(v[1])
            .bind(v[2])
            .bind(v[3])
            .execute(&mut *conn)
            .await?;
        }
    }

    // Distinct persons of each area and of the Ambito: over all its services, touched or not.
    // Both are driven from the Ambito's services (CROSS JOIN keeps SQLite from scanning all
    // events instead), so the cost follows the Ambito's events, not the region's.
    exec(conn, format!("DELETE FROM agg_delivery_reach WHERE ambito_id = {ambito_id} AND year = {year}")).await?;
    let ambito_services = format!("SELECT id FROM service WHERE ambito_id = {ambito_id}");
    exec(
        conn,
        format!(
            "INSERT INTO agg_delivery_reach (ambito_id, area_id, year, persons) \
             SELECT {ambito_id}, s.area_id, {year}, COUNT(DISTINCT e.person_key) FROM service s \
             CROSS JOIN delivery_event e WHERE s.ambito_id = {ambito_id} AND e.service_id = s.id \
             AND e.day BETWEEN {first} AND {last} GROUP BY s.area_id"
        ),
    )
    .await?;
    exec(
        conn,
        format!(
            "INSERT INTO agg_delivery_reach (ambito_id, area_id, year, persons) \
             SELECT {ambito_id}, 0, {year}, COUNT(DISTINCT person_key) FROM delivery_event \
             WHERE service_id IN ({ambito_services}) AND day BETWEEN {first} AND {last} HAVING COUNT(*) > 0"
        ),
    )
    .await?;
    Ok(())
}
