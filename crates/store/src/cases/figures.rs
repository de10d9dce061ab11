//! Case-derived figures: what the case record says about a service's year, for the services
//! whose `figures_source` is the case record ('cartella').

use crate::Result;
use sqlx::{AnyConnection, Row};

/// Where a service's annual figures come from.
pub const FIGURES_SOURCES: [&str; 3] = ["file", "consegne", "cartella"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceSource {
    pub service_id: i64,
    pub code: String,
    pub name: String,
    pub figures_source: String,
}

pub async fn service_sources(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<ServiceSource>> {
    let rows = sqlx::query("SELECT id, code, name, figures_source FROM service WHERE ambito_id = $1 ORDER BY position, id")
        .bind(ambito_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| Ok(ServiceSource { service_id: r.try_get(0)?, code: r.try_get(1)?, name: r.try_get(2)?, figures_source: r.try_get(3)? }))
        .collect()
}

/// Sets a service's source; false when the service is not the Ambito's.
pub async fn set_figures_source(conn: &mut AnyConnection, ambito_id: i64, service_id: i64, source: &str) -> Result<bool> {
    let n = sqlx::query("UPDATE service SET figures_source = $1 WHERE id = $2 AND ambito_id = $3")
        .bind(source)
        .bind(service_id)
        .bind(ambito_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// One service's counts from the case record. `None`: the record has nothing of this kind for
/// the service in any year (a blank, not a zero).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseCounts {
    /// Distinct persons with an intervention in force in the year.
    pub users: Option<i64>,
    /// Front-desk contacts of the year counted for the service.
    pub contacts: Option<i64>,
    /// Cases opened in the year for the service.
    pub openings: Option<i64>,
}

/// The counts for every service of the Ambito with anything in the case record, for the year
/// `from..=to` (ISO days).
pub async fn case_counts(conn: &mut AnyConnection, ambito_id: i64, from: &str, to: &str) -> Result<Vec<(i64, CaseCounts)>> {
    let mut out: std::collections::BTreeMap<i64, CaseCounts> = Default::default();
    // Current versions only; a voided intervention never counted.
    let users = sqlx::query(
        "SELECT i.service_id, COUNT(DISTINCT CASE WHEN i.start_on <= $3 AND (i.end_on IS NULL OR i.end_on >= $2) THEN c.person_id END) \
         FROM intervention i JOIN care_case c ON c.id = i.case_id JOIN service s ON s.id = i.service_id \
         WHERE s.ambito_id = $1 AND c.ambito_id = $1 AND i.superseded_by IS NULL AND i.voided_at IS NULL GROUP BY i.service_id",
    )
    .bind(ambito_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    for r in &users {
        out.entry(r.try_get(0)?).or_default().users = Some(r.try_get(1)?);
    }
    let contacts = sqlx::query(
        "SELECT k.service_id, COUNT(CASE WHEN k.occurred_on >= $2 AND k.occurred_on <= $3 THEN 1 END) \
         FROM contact k JOIN service s ON s.id = k.service_id \
         WHERE k.ambito_id = $1 AND s.ambito_id = $1 AND k.voided_at IS NULL GROUP BY k.service_id",
    )
    .bind(ambito_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    for r in &contacts {
        out.entry(r.try_get(0)?).or_default().contacts = Some(r.try_get(1)?);
    }
    let openings = sqlx::query(
        "SELECT s.id, COUNT(CASE WHEN c.opened_on >= $2 AND c.opened_on <= $3 THEN 1 END) \
         FROM care_case c JOIN service s ON s.ambito_id = c.ambito_id AND s.code = c.service_code \
         WHERE c.ambito_id = $1 GROUP BY s.id",
    )
    .bind(ambito_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    for r in &openings {
        out.entry(r.try_get(0)?).or_default().openings = Some(r.try_get(1)?);
    }
    Ok(out.into_iter().collect())
}

/// The origin of each stored activity row of a service's year, with its period and Comune.
pub async fn activity_origins(conn: &mut AnyConnection, service_id: i64, year: i64) -> Result<Vec<(String, String, String)>> {
    let rows = sqlx::query("SELECT period, comune_code, origin FROM activity WHERE service_id = $1 AND year = $2")
        .bind(service_id)
        .bind(year)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).collect()
}
