//! Court orders, the deadlines of the reports to the judge, and placements.

use crate::Result;
use crate::db::now_text;
use sqlx::AnyConnection;

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct CourtOrderRow {
        pub id: i64,
        pub case_id: i64,
        pub court: String,
        pub number: String,
        pub issued_on: String,
        pub kind: String,
        pub orders: String,
        pub created_by_name: Option<String>,
        pub created_at: String,
    }
}

pub struct NewCourtOrder<'a> {
    pub case_id: i64,
    pub court: &'a str,
    pub number: &'a str,
    pub issued_on: &'a str,
    pub kind: &'a str,
    pub orders: &'a str,
    pub created_by: Option<i64>,
}

pub async fn add_court_order(conn: &mut AnyConnection, o: &NewCourtOrder<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO court_order (case_id, court, number, issued_on, kind, orders, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(o.case_id)
    .bind(o.court)
    .bind(o.number)
    .bind(o.issued_on)
    .bind(o.kind)
    .bind(o.orders)
    .bind(o.created_by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn court_orders_of_case(conn: &mut AnyConnection, case_id: i64) -> Result<Vec<CourtOrderRow>> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.case_id, o.court, o.number, o.issued_on, o.kind, o.orders, u.display_name AS created_by_name, o.created_at \
         FROM court_order o LEFT JOIN app_user u ON u.id = o.created_by WHERE o.case_id = $1 AND o.voided_at IS NULL \
         ORDER BY o.issued_on, o.id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?)
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct DeadlineRow {
        pub id: i64,
        pub court_order_id: i64,
        pub case_id: i64,
        pub due_on: String,
        pub what: String,
        pub done_on: Option<String>,
        pub done_by_name: Option<String>,
    }
}

pub async fn add_court_deadline(
    conn: &mut AnyConnection,
    order_id: i64,
    case_id: i64,
    due_on: &str,
    what: &str,
    user_id: Option<i64>,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO court_deadline (court_order_id, case_id, due_on, what, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(order_id)
    .bind(case_id)
    .bind(due_on)
    .bind(what)
    .bind(user_id)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn deadlines_of_case(conn: &mut AnyConnection, case_id: i64) -> Result<Vec<DeadlineRow>> {
    Ok(sqlx::query_as(
        "SELECT d.id, d.court_order_id, d.case_id, d.due_on, d.what, d.done_on, u.display_name AS done_by_name \
         FROM court_deadline d LEFT JOIN app_user u ON u.id = d.done_by WHERE d.case_id = $1 AND d.voided_at IS NULL \
         ORDER BY d.due_on, d.id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Records the report as sent, once: false when the deadline is not an open one of this case.
pub async fn mark_deadline_done(conn: &mut AnyConnection, deadline_id: i64, case_id: i64, done_on: &str, user_id: i64) -> Result<bool> {
    let n = sqlx::query(
        "UPDATE court_deadline SET done_on = $1, done_by = $2 WHERE id = $3 AND case_id = $4 AND done_on IS NULL AND voided_at IS NULL",
    )
    .bind(done_on)
    .bind(user_id)
    .bind(deadline_id)
    .bind(case_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct DeadlineDueRow {
        pub person_id: i64,
        pub case_id: i64,
        pub cognome: String,
        pub nome: String,
        pub due_on: String,
        pub what: String,
        pub court: String,
        pub manager_id: Option<i64>,
    }
}

/// The open report deadlines of an Ambito due on or before `until` (overdue ones included), by
/// due day. A report still owed to a judge stays on the list after its case closed.
pub async fn deadlines_due(conn: &mut AnyConnection, ambito_id: i64, until: &str) -> Result<Vec<DeadlineDueRow>> {
    Ok(sqlx::query_as(
        "SELECT c.person_id, c.id AS case_id, p.cognome, p.nome, d.due_on, d.what, o.court, c.manager_id \
         FROM court_deadline d JOIN court_order o ON o.id = d.court_order_id JOIN care_case c ON c.id = d.case_id \
         JOIN person p ON p.id = c.person_id \
         WHERE c.ambito_id = $1 AND d.done_on IS NULL AND d.voided_at IS NULL AND o.voided_at IS NULL AND d.due_on <= $2 \
         ORDER BY d.due_on, p.cognome, p.nome, d.id",
    )
    .bind(ambito_id)
    .bind(until)
    .fetch_all(&mut *conn)
    .await?)
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct PlacementRow {
        pub id: i64,
        pub case_id: i64,
        pub kind: String,
        pub place: String,
        pub start_on: String,
        pub end_on: Option<String>,
        pub court_order_id: Option<i64>,
        pub created_at: String,
    }
}

pub struct NewPlacement<'a> {
    pub case_id: i64,
    pub kind: &'a str,
    pub place: &'a str,
    pub start_on: &'a str,
    pub end_on: Option<&'a str>,
    pub court_order_id: Option<i64>,
    pub created_by: Option<i64>,
}

pub async fn add_placement(conn: &mut AnyConnection, p: &NewPlacement<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO placement (case_id, kind, place, start_on, end_on, court_order_id, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(p.case_id)
    .bind(p.kind)
    .bind(p.place)
    .bind(p.start_on)
    .bind(p.end_on)
    .bind(p.court_order_id)
    .bind(p.created_by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn placements_of_case(conn: &mut AnyConnection, case_id: i64) -> Result<Vec<PlacementRow>> {
    Ok(sqlx::query_as(
        "SELECT id, case_id, kind, place, start_on, end_on, court_order_id, created_at FROM placement \
         WHERE case_id = $1 AND voided_at IS NULL ORDER BY start_on, id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Removes a person's interventions, suspensions, court material and placements: the GDPR purge
/// only (`crate::purge_person`), before their cases go.
pub async fn purge_case_record_d(conn: &mut AnyConnection, person_id: i64) -> Result<()> {
    const CASES: &str = "SELECT id FROM care_case WHERE person_id = $1";
    let series = format!("SELECT id FROM intervention WHERE case_id IN ({CASES})");
    for sql in [
        format!("DELETE FROM intervention_suspension WHERE intervention_id IN ({series})"),
        // Versions point at each other (supersedes, superseded_by, series_id): unlink, then delete.
        format!("UPDATE intervention SET series_id = NULL, supersedes = NULL, superseded_by = NULL WHERE case_id IN ({CASES})"),
        format!("DELETE FROM intervention WHERE case_id IN ({CASES})"),
        format!("DELETE FROM court_deadline WHERE case_id IN ({CASES})"),
        format!("DELETE FROM placement WHERE case_id IN ({CASES})"),
        format!("DELETE FROM court_order WHERE case_id IN ({CASES})"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person_id).execute(&mut *conn).await?;
    }
    Ok(())
}
