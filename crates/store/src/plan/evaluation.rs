use crate::Result;
use sqlx::{AnyConnection, Row};

/// The end-of-cycle evaluation of one objective by one Ambito (seed 004 and plan §4 fields).
/// Percentages are decimal text; answers `si` | `no` | `parziale`.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct EvaluationRow {
    pub objective_id: i64,
    pub ambito_id: i64,
    pub actions_done: Option<String>,
    pub achievement_pct: Option<String>,
    pub achievement_note: Option<String>,
    pub users_assessment: Option<String>,
    pub resources_match_pct: Option<String>,
    pub resources_note: Option<String>,
    pub problems: Option<String>,
    pub improvement_plan: Option<String>,
    pub answered_need: Option<String>,
    pub answered_need_text: Option<String>,
    pub continuity: Option<String>,
    pub continuity_text: Option<String>,
    pub reproposed: Option<String>,
    pub reproposed_text: Option<String>,
    pub updated_at: String,
}

const TEXT_COLS: &str = "actions_done, achievement_pct, achievement_note, users_assessment, resources_match_pct, resources_note, \
     problems, improvement_plan, answered_need, answered_need_text, continuity, continuity_text, reproposed, reproposed_text";

impl EvaluationRow {
    fn texts(&self) -> [&Option<String>; 14] {
        [
            &self.actions_done,
            &self.achievement_pct,
            &self.achievement_note,
            &self.users_assessment,
            &self.resources_match_pct,
            &self.resources_note,
            &self.problems,
            &self.improvement_plan,
            &self.answered_need,
            &self.answered_need_text,
            &self.continuity,
            &self.continuity_text,
            &self.reproposed,
            &self.reproposed_text,
        ]
    }

    fn texts_mut(&mut self) -> [&mut Option<String>; 14] {
        [
            &mut self.actions_done,
            &mut self.achievement_pct,
            &mut self.achievement_note,
            &mut self.users_assessment,
            &mut self.resources_match_pct,
            &mut self.resources_note,
            &mut self.problems,
            &mut self.improvement_plan,
            &mut self.answered_need,
            &mut self.answered_need_text,
            &mut self.continuity,
            &mut self.continuity_text,
            &mut self.reproposed,
            &mut self.reproposed_text,
        ]
    }
}

pub async fn upsert_evaluation(conn: &mut AnyConnection, e: &EvaluationRow) -> Result<()> {
    let cols: Vec<&str> = TEXT_COLS.split(',').map(str::trim).collect();
    let placeholders: Vec<String> = (4..4 + cols.len()).map(|i| format!("${i}")).collect();
    let updates: Vec<String> = cols.iter().chain(["updated_at"].iter()).map(|c| format!("{c} = excluded.{c}")).collect();
    let sql = format!(
        "INSERT INTO plan_evaluation (objective_id, ambito_id, updated_at, {TEXT_COLS}) VALUES ($1, $2, $3, {}) \
         ON CONFLICT (objective_id, ambito_id) DO UPDATE SET {}",
        placeholders.join(", "),
        updates.join(", ")
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(e.objective_id).bind(e.ambito_id).bind(&e.updated_at);
    for t in e.texts() {
        q = q.bind(t.clone());
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

pub async fn evaluation_of(conn: &mut AnyConnection, objective_id: i64, ambito_id: i64) -> Result<Option<EvaluationRow>> {
    let sql =
        format!("SELECT objective_id, ambito_id, updated_at, {TEXT_COLS} FROM plan_evaluation WHERE objective_id = $1 AND ambito_id = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(objective_id).bind(ambito_id).fetch_optional(&mut *conn).await?;
    let Some(r) = row else { return Ok(None) };
    let mut e =
        EvaluationRow { objective_id: r.try_get(0)?, ambito_id: r.try_get(1)?, updated_at: r.try_get(2)?, ..EvaluationRow::default() };
    for (i, slot) in e.texts_mut().into_iter().enumerate() {
        *slot = r.try_get(3 + i)?;
    }
    Ok(Some(e))
}

/// A record of qualitative evidence: an interview, focus group or workshop.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct EvidenceRow {
    pub id: i64,
    pub objective_id: i64,
    pub ambito_id: i64,
    pub kind: String,
    pub held_on: String,
    pub participants: i64,
    pub roles: String,
    pub findings: String,
    /// One quote per line.
    pub quotes: Option<String>,
    pub attachments: Option<String>,
    pub names_consented: bool,
}

pub async fn insert_evidence(conn: &mut AnyConnection, e: &EvidenceRow) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO plan_evidence (objective_id, ambito_id, kind, held_on, participants, roles, findings, quotes, attachments, \
         names_consented) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(e.objective_id)
    .bind(e.ambito_id)
    .bind(&e.kind)
    .bind(&e.held_on)
    .bind(e.participants)
    .bind(&e.roles)
    .bind(&e.findings)
    .bind(&e.quotes)
    .bind(&e.attachments)
    .bind(i64::from(e.names_consented))
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn evidence_of(conn: &mut AnyConnection, objective_id: i64, ambito_id: i64) -> Result<Vec<EvidenceRow>> {
    let rows = sqlx::query(
        "SELECT id, objective_id, ambito_id, kind, held_on, participants, roles, findings, quotes, attachments, names_consented \
         FROM plan_evidence WHERE objective_id = $1 AND ambito_id = $2 ORDER BY held_on, id",
    )
    .bind(objective_id)
    .bind(ambito_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(EvidenceRow {
                id: r.try_get(0)?,
                objective_id: r.try_get(1)?,
                ambito_id: r.try_get(2)?,
                kind: r.try_get(3)?,
                held_on: r.try_get(4)?,
                participants: r.try_get(5)?,
                roles: r.try_get(6)?,
                findings: r.try_get(7)?,
                quotes: r.try_get(8)?,
                attachments: r.try_get(9)?,
                names_consented: r.try_get::<i64, _>(10)? != 0,
            })
        })
        .collect()
}

pub async fn delete_evidence_of(conn: &mut AnyConnection, objective_id: i64, ambito_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM plan_evidence WHERE objective_id = $1 AND ambito_id = $2")
        .bind(objective_id)
        .bind(ambito_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn delete_evaluation(conn: &mut AnyConnection, objective_id: i64, ambito_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM plan_evaluation WHERE objective_id = $1 AND ambito_id = $2")
        .bind(objective_id)
        .bind(ambito_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
