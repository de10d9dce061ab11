//! Assessment forms and the assessments filled on them (process B). Rows are never updated:
//! a correction is a new row with `supersedes`, a voiding fills the `voided_*` columns only.

use crate::Result;
use crate::db::now_text;
use sqlx::AnyConnection;

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct FormRow {
        pub id: i64,
        pub code: String,
        pub version: i64,
        pub title: String,
        pub scale: String,
        /// The form's JSON (`ambito_domain::scales::form::FormDefinition`).
        pub definition: String,
        pub active: i64,
    }
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct AssessmentRow {
        pub id: i64,
        pub case_id: i64,
        pub form_id: i64,
        pub form_code: String,
        pub form_title: String,
        pub form_version: i64,
        pub assessed_on: String,
        /// JSON object: item id → answer.
        pub answers: String,
        pub score: Option<i64>,
        pub band: Option<String>,
        pub assessor_id: Option<i64>,
        pub assessor: Option<String>,
        pub created_at: String,
        pub supersedes: Option<i64>,
        pub reason: Option<String>,
        pub voided_at: Option<String>,
        pub void_reason: Option<String>,
        /// The correction that replaced this row, if any.
        pub superseded_by: Option<i64>,
    }
}

const FORM_COLUMNS: &str = "id, code, version, title, scale, definition, active";

const ASSESSMENT_SELECT: &str = "SELECT a.id, a.case_id, a.form_id, f.code AS form_code, f.title AS form_title, f.version AS form_version, \
     a.assessed_on, a.answers, a.score, a.band, a.assessor_id, u.display_name AS assessor, a.created_at, a.supersedes, a.reason, \
     a.voided_at, a.void_reason, (SELECT MIN(n.id) FROM assessment n WHERE n.supersedes = a.id) AS superseded_by \
     FROM assessment a JOIN assessment_form f ON f.id = a.form_id LEFT JOIN app_user u ON u.id = a.assessor_id";

/// The forms, newest version of each code first; `active_only` leaves out retired versions.
pub async fn assessment_forms(conn: &mut AnyConnection, active_only: bool) -> Result<Vec<FormRow>> {
    let filter = if active_only { "WHERE active = 1 " } else { "" };
    let sql = format!("SELECT {FORM_COLUMNS} FROM assessment_form {filter}ORDER BY code, version DESC");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *conn).await?)
}

pub async fn assessment_form(conn: &mut AnyConnection, id: i64) -> Result<Option<FormRow>> {
    let sql = format!("SELECT {FORM_COLUMNS} FROM assessment_form WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?)
}

pub struct NewAssessment<'a> {
    pub case_id: i64,
    pub form_id: i64,
    pub assessed_on: &'a str,
    pub answers: &'a str,
    pub score: Option<i64>,
    pub band: Option<&'a str>,
    pub assessor_id: Option<i64>,
    pub supersedes: Option<i64>,
    pub reason: Option<&'a str>,
}

pub async fn insert_assessment(conn: &mut AnyConnection, a: &NewAssessment<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO assessment (case_id, form_id, assessed_on, answers, score, band, assessor_id, created_at, supersedes, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(a.case_id)
    .bind(a.form_id)
    .bind(a.assessed_on)
    .bind(a.answers)
    .bind(a.score)
    .bind(a.band)
    .bind(a.assessor_id)
    .bind(now_text())
    .bind(a.supersedes)
    .bind(a.reason)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Every assessment of a case, corrected and voided ones included, newest first.
pub async fn assessments_of_case(conn: &mut AnyConnection, case_id: i64) -> Result<Vec<AssessmentRow>> {
    let sql = format!("{ASSESSMENT_SELECT} WHERE a.case_id = $1 ORDER BY a.assessed_on DESC, a.id DESC");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(case_id).fetch_all(&mut *conn).await?)
}

pub async fn assessment(conn: &mut AnyConnection, id: i64) -> Result<Option<AssessmentRow>> {
    let sql = format!("{ASSESSMENT_SELECT} WHERE a.id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?)
}

/// Marks an assessment void; the row and its answers stay. Only a row not already void.
pub async fn void_assessment(conn: &mut AnyConnection, id: i64, by: i64, reason: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE assessment SET voided_at = $1, voided_by = $2, void_reason = $3 WHERE id = $4 AND voided_at IS NULL")
        .bind(now_text())
        .bind(by)
        .bind(reason)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The GDPR purge of processes B and C for one person: reviews, goals, team, project versions
/// and assessments of all their cases. Called by [`crate::purge_person`] before the cases go.
pub async fn purge_assessments_and_projects(conn: &mut AnyConnection, person_id: i64) -> Result<()> {
    const CASES: &str = "SELECT id FROM care_case WHERE person_id = $1";
    const PROJECTS: &str = "SELECT p.id FROM project p JOIN care_case c ON c.id = p.case_id WHERE c.person_id = $1";
    for sql in [
        format!("DELETE FROM project_review WHERE case_id IN ({CASES})"),
        format!("DELETE FROM project_goal WHERE project_id IN ({PROJECTS})"),
        format!("DELETE FROM project_team WHERE project_id IN ({PROJECTS})"),
        format!("DELETE FROM project WHERE case_id IN ({CASES})"),
        format!("DELETE FROM assessment WHERE case_id IN ({CASES})"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(person_id).execute(&mut *conn).await?;
    }
    Ok(())
}
