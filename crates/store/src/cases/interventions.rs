//! Interventions (process D): versions of each intervention series and their suspensions. A
//! correction inserts a new version and marks the old one `superseded_by`; nothing else changes
//! a stored version.

use crate::Result;
use crate::db::now_text;
use sqlx::AnyConnection;

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct InterventionRow {
        pub id: i64,
        /// The series the version belongs to: the id of its first version, and the id routes use.
        pub series_id: i64,
        pub case_id: i64,
        pub service_id: i64,
        pub service_code: String,
        pub service_name: String,
        pub kind: String,
        pub start_on: String,
        pub end_on: Option<String>,
        /// A decimal string; `None`: no plan.
        pub planned_per_month: Option<String>,
        pub unit: String,
        pub provider: Option<String>,
        pub share_ambito_cents: i64,
        pub share_user_cents: i64,
        pub share_health_cents: i64,
        pub share_other_cents: i64,
        pub amount_cents: Option<i64>,
        pub periodicity: Option<String>,
        pub funding_line: Option<String>,
        pub data: String,
        pub visible_to_citizen: i64,
        pub version: i64,
        pub supersedes: Option<i64>,
        pub superseded_by: Option<i64>,
        pub created_by_name: Option<String>,
        pub created_at: String,
        pub change_reason: Option<String>,
    }
}

const COLUMNS: &str = "i.id, COALESCE(i.series_id, i.id) AS series_id, i.case_id, i.service_id, s.code AS service_code, \
    s.name AS service_name, i.kind, i.start_on, i.end_on, i.planned_per_month, i.unit, i.provider, i.share_ambito_cents, \
    i.share_user_cents, i.share_health_cents, i.share_other_cents, i.amount_cents, i.periodicity, i.funding_line, i.data, \
    i.visible_to_citizen, i.version, i.supersedes, i.superseded_by, u.display_name AS created_by_name, i.created_at, i.change_reason";
const FROM: &str = "FROM intervention i JOIN service s ON s.id = i.service_id LEFT JOIN app_user u ON u.id = i.created_by";

/// One version to write. `previous` is the version it corrects (same series), if any.
#[derive(Debug, Clone)]
pub struct NewIntervention<'a> {
    pub case_id: i64,
    pub service_id: i64,
    pub kind: &'a str,
    pub start_on: &'a str,
    pub end_on: Option<&'a str>,
    pub planned_per_month: Option<String>,
    pub unit: &'a str,
    pub provider: Option<&'a str>,
    pub shares_cents: [i64; 4],
    pub amount_cents: Option<i64>,
    pub periodicity: Option<&'a str>,
    pub funding_line: Option<&'a str>,
    pub data: &'a str,
    pub visible_to_citizen: bool,
    /// `None`: written by the system (an import, the command line).
    pub created_by: Option<i64>,
    pub change_reason: Option<&'a str>,
}

/// Writes a version. With `previous` (a current version), the new one continues its series and
/// the old one is marked superseded; `None` back means `previous` was corrected meanwhile by
/// someone else, and the caller must roll back.
pub async fn insert_intervention(
    conn: &mut AnyConnection,
    n: &NewIntervention<'_>,
    previous: Option<&InterventionRow>,
) -> Result<Option<i64>> {
    let (series, version, supersedes) = match previous {
        Some(p) => (Some(p.series_id), p.version + 1, Some(p.id)),
        None => (None, 1, None),
    };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO intervention (series_id, case_id, service_id, kind, start_on, end_on, planned_per_month, unit, provider, \
         share_ambito_cents, share_user_cents, share_health_cents, share_other_cents, amount_cents, periodicity, funding_line, data, \
         visible_to_citizen, version, supersedes, created_by, created_at, change_reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23) RETURNING id",
    )
    .bind(series)
    .bind(n.case_id)
    .bind(n.service_id)
    .bind(n.kind)
    .bind(n.start_on)
    .bind(n.end_on)
    .bind(n.planned_per_month.as_deref())
    .bind(n.unit)
    .bind(n.provider)
    .bind(n.shares_cents[0])
    .bind(n.shares_cents[1])
    .bind(n.shares_cents[2])
    .bind(n.shares_cents[3])
    .bind(n.amount_cents)
    .bind(n.periodicity)
    .bind(n.funding_line)
    .bind(n.data)
    .bind(i64::from(n.visible_to_citizen))
    .bind(version)
    .bind(supersedes)
    .bind(n.created_by)
    .bind(now_text())
    .bind(n.change_reason)
    .fetch_one(&mut *conn)
    .await?;
    if let Some(p) = previous {
        let marked = sqlx::query("UPDATE intervention SET superseded_by = $1 WHERE id = $2 AND superseded_by IS NULL")
            .bind(id)
            .bind(p.id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        if marked != 1 {
            return Ok(None);
        }
    }
    Ok(Some(id))
}

/// The current version of every intervention of a case, by start.
pub async fn interventions_of_case(conn: &mut AnyConnection, case_id: i64) -> Result<Vec<InterventionRow>> {
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE i.case_id = $1 AND i.superseded_by IS NULL AND i.voided_at IS NULL ORDER BY i.start_on, i.id"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(case_id).fetch_all(&mut *conn).await?)
}

/// The current version of a series.
pub async fn current_intervention(conn: &mut AnyConnection, series_id: i64) -> Result<Option<InterventionRow>> {
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE COALESCE(i.series_id, i.id) = $1 AND i.superseded_by IS NULL AND i.voided_at IS NULL");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(series_id).fetch_optional(&mut *conn).await?)
}

/// Every version of a series, oldest first: the field-level history.
pub async fn intervention_versions(conn: &mut AnyConnection, series_id: i64) -> Result<Vec<InterventionRow>> {
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE COALESCE(i.series_id, i.id) = $1 ORDER BY i.version, i.id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(series_id).fetch_all(&mut *conn).await?)
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct SuspensionRow {
        pub id: i64,
        pub intervention_id: i64,
        pub from_on: String,
        pub to_on: Option<String>,
        pub reason: String,
        pub created_by_name: Option<String>,
        pub created_at: String,
    }
}

pub async fn suspensions_of(conn: &mut AnyConnection, series_id: i64) -> Result<Vec<SuspensionRow>> {
    Ok(sqlx::query_as(
        "SELECT x.id, x.intervention_id, x.from_on, x.to_on, x.reason, u.display_name AS created_by_name, x.created_at \
         FROM intervention_suspension x LEFT JOIN app_user u ON u.id = x.created_by \
         WHERE x.intervention_id = $1 AND x.voided_at IS NULL ORDER BY x.from_on, x.id",
    )
    .bind(series_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn add_suspension(conn: &mut AnyConnection, series_id: i64, from_on: &str, reason: &str, user_id: Option<i64>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO intervention_suspension (intervention_id, from_on, reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(series_id)
    .bind(from_on)
    .bind(reason)
    .bind(user_id)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Fills the resumption day of an open suspension, once: false when it was no longer open.
pub async fn resume_suspension(conn: &mut AnyConnection, suspension_id: i64, to_on: &str, user_id: i64) -> Result<bool> {
    let n = sqlx::query("UPDATE intervention_suspension SET to_on = $1, resumed_by = $2, resumed_at = $3 WHERE id = $4 AND to_on IS NULL")
        .bind(to_on)
        .bind(user_id)
        .bind(now_text())
        .bind(suspension_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(n == 1)
}
