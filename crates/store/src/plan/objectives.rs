use crate::Result;
use sqlx::{AnyConnection, Row};

/// One objective card (DGR 4563/2021 format). Yes/no answers are `si` | `no` | `parziale`.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct ObjectiveRow {
    pub id: i64,
    /// `ambito` | `distretto` | `provincia`; `scope_id` is the Ambito, Distretto or ATS id.
    pub level: String,
    pub scope_id: i64,
    pub triennium: String,
    pub code: String,
    pub position: i64,
    pub title: String,
    /// Regione Lombardia area letters, `C,D,E,J`.
    pub rl_areas: String,
    pub cross_cutting_areas: String,
    /// Service codes of the Ambito's catalogue the objective spends on, `SAD,ADH`.
    pub services: String,
    pub ancestor_id: Option<i64>,
    pub macroarea: Option<String>,
    pub short_description: Option<String>,
    pub description: Option<String>,
    pub target: Option<String>,
    pub resources_text: Option<String>,
    pub staff_text: Option<String>,
    pub cross_cutting: Option<String>,
    pub cross_cutting_text: Option<String>,
    pub sociosanitary: Option<String>,
    pub sociosanitary_text: Option<String>,
    pub continuity: Option<String>,
    pub continuity_text: Option<String>,
    pub codesigned: Option<String>,
    pub codesigned_text: Option<String>,
    pub needs: Option<String>,
    pub process_intro: Option<String>,
    pub output_intro: Option<String>,
    pub outcome_narrative: Option<String>,
}

const TEXT_COLS: [&str; 18] = [
    "macroarea",
    "short_description",
    "description",
    "target",
    "resources_text",
    "staff_text",
    "cross_cutting",
    "cross_cutting_text",
    "sociosanitary",
    "sociosanitary_text",
    "continuity",
    "continuity_text",
    "codesigned",
    "codesigned_text",
    "needs",
    "process_intro",
    "output_intro",
    "outcome_narrative",
];

impl ObjectiveRow {
    fn texts(&self) -> [&Option<String>; 18] {
        [
            &self.macroarea,
            &self.short_description,
            &self.description,
            &self.target,
            &self.resources_text,
            &self.staff_text,
            &self.cross_cutting,
            &self.cross_cutting_text,
            &self.sociosanitary,
            &self.sociosanitary_text,
            &self.continuity,
            &self.continuity_text,
            &self.codesigned,
            &self.codesigned_text,
            &self.needs,
            &self.process_intro,
            &self.output_intro,
            &self.outcome_narrative,
        ]
    }

    fn texts_mut(&mut self) -> [&mut Option<String>; 18] {
        [
            &mut self.macroarea,
            &mut self.short_description,
            &mut self.description,
            &mut self.target,
            &mut self.resources_text,
            &mut self.staff_text,
            &mut self.cross_cutting,
            &mut self.cross_cutting_text,
            &mut self.sociosanitary,
            &mut self.sociosanitary_text,
            &mut self.continuity,
            &mut self.continuity_text,
            &mut self.codesigned,
            &mut self.codesigned_text,
            &mut self.needs,
            &mut self.process_intro,
            &mut self.output_intro,
            &mut self.outcome_narrative,
        ]
    }
}

const HEAD_COLS: &str = "id, level, scope_id, triennium, code, position, title, rl_areas, cross_cutting_areas, services, ancestor_id";

fn select_cols() -> String {
    format!("{HEAD_COLS}, {}", TEXT_COLS.join(", "))
}

fn objective_from(r: &sqlx::any::AnyRow) -> Result<ObjectiveRow> {
    let mut o = ObjectiveRow {
        id: r.try_get(0)?,
        level: r.try_get(1)?,
        scope_id: r.try_get(2)?,
        triennium: r.try_get(3)?,
        code: r.try_get(4)?,
        position: r.try_get(5)?,
        title: r.try_get(6)?,
        rl_areas: r.try_get(7)?,
        cross_cutting_areas: r.try_get(8)?,
        services: r.try_get(9)?,
        ancestor_id: r.try_get(10)?,
        ..ObjectiveRow::default()
    };
    for (i, slot) in o.texts_mut().into_iter().enumerate() {
        *slot = r.try_get(11 + i)?;
    }
    Ok(o)
}

/// Creates or updates the card keyed by (level, scope, triennium, code); returns its id.
pub async fn upsert_objective(conn: &mut AnyConnection, o: &ObjectiveRow) -> Result<i64> {
    let all: Vec<&str> =
        ["level", "scope_id", "triennium", "code", "position", "title", "rl_areas", "cross_cutting_areas", "services", "ancestor_id"]
            .into_iter()
            .chain(TEXT_COLS)
            .collect();
    let placeholders: Vec<String> = (1..=all.len()).map(|i| format!("${i}")).collect();
    let updates: Vec<String> = all.iter().skip(4).map(|c| format!("{c} = excluded.{c}")).collect();
    let sql = format!(
        "INSERT INTO plan_objective ({}) VALUES ({}) ON CONFLICT (level, scope_id, triennium, code) DO UPDATE SET {} RETURNING id",
        all.join(", "),
        placeholders.join(", "),
        updates.join(", ")
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&o.level)
        .bind(o.scope_id)
        .bind(&o.triennium)
        .bind(&o.code)
        .bind(o.position)
        .bind(&o.title)
        .bind(&o.rl_areas)
        .bind(&o.cross_cutting_areas)
        .bind(&o.services)
        .bind(o.ancestor_id);
    for t in o.texts() {
        q = q.bind(t.clone());
    }
    Ok(q.fetch_one(&mut *conn).await?.try_get(0)?)
}

/// The cards an Ambito sees for a triennium: its own, its Distretto's and its province's, in
/// that order (province first would bury the Ambito's own work).
pub async fn visible_objectives(conn: &mut AnyConnection, scopes: &super::Scopes, triennium: &str) -> Result<Vec<ObjectiveRow>> {
    let sql = format!(
        "SELECT {} FROM plan_objective WHERE triennium = $1 AND ((level = 'ambito' AND scope_id = $2) \
         OR (level = 'distretto' AND scope_id = $3) OR (level = 'provincia' AND scope_id = $4)) \
         ORDER BY CASE level WHEN 'ambito' THEN 0 WHEN 'distretto' THEN 1 ELSE 2 END, position, code",
        select_cols()
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(triennium)
        .bind(scopes.ambito_id)
        .bind(scopes.distretto.as_ref().map(|d| d.0).unwrap_or(-1))
        .bind(scopes.ats.as_ref().map(|d| d.0).unwrap_or(-1))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(objective_from).collect()
}

pub async fn objective_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<ObjectiveRow>> {
    let sql = format!("SELECT {} FROM plan_objective WHERE id = $1", select_cols());
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(objective_from).transpose()
}

pub async fn objective_by_key(
    conn: &mut AnyConnection,
    level: &str,
    scope_id: i64,
    triennium: &str,
    code: &str,
) -> Result<Option<ObjectiveRow>> {
    let sql = format!("SELECT {} FROM plan_objective WHERE level = $1 AND scope_id = $2 AND triennium = $3 AND code = $4", select_cols());
    let row =
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(level).bind(scope_id).bind(triennium).bind(code).fetch_optional(&mut *conn).await?;
    row.as_ref().map(objective_from).transpose()
}

/// Deletes a card with everything hanging off it (indicators and their values, actions,
/// resources, evaluations, evidence). Descendants in later plans lose their ancestor link.
pub async fn delete_objective(conn: &mut AnyConnection, id: i64) -> Result<()> {
    for sql in [
        "DELETE FROM plan_value WHERE indicator_id IN (SELECT id FROM plan_indicator WHERE objective_id = $1)",
        "UPDATE plan_indicator SET ancestor_id = NULL WHERE ancestor_id IN (SELECT id FROM plan_indicator WHERE objective_id = $1)",
        "DELETE FROM plan_indicator WHERE objective_id = $1",
        "DELETE FROM plan_action WHERE objective_id = $1",
        "DELETE FROM plan_resource WHERE objective_id = $1",
        "DELETE FROM plan_evaluation WHERE objective_id = $1",
        "DELETE FROM plan_evidence WHERE objective_id = $1",
        "UPDATE plan_objective SET ancestor_id = NULL WHERE ancestor_id = $1",
        "DELETE FROM plan_objective WHERE id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ResourceRow {
    pub source: String,
    pub amount_cents: i64,
}

pub async fn replace_resources(conn: &mut AnyConnection, objective_id: i64, rows: &[ResourceRow]) -> Result<()> {
    sqlx::query("DELETE FROM plan_resource WHERE objective_id = $1").bind(objective_id).execute(&mut *conn).await?;
    for (i, r) in rows.iter().enumerate() {
        sqlx::query("INSERT INTO plan_resource (objective_id, position, source, amount_cents) VALUES ($1, $2, $3, $4)")
            .bind(objective_id)
            .bind(i as i64)
            .bind(&r.source)
            .bind(r.amount_cents)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn resources(conn: &mut AnyConnection, objective_id: i64) -> Result<Vec<ResourceRow>> {
    let rows = sqlx::query("SELECT source, amount_cents FROM plan_resource WHERE objective_id = $1 ORDER BY position")
        .bind(objective_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok(ResourceRow { source: r.try_get(0)?, amount_cents: r.try_get(1)? })).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct ActionRow {
    pub text: String,
    pub deadline: Option<String>,
    pub responsible: Option<String>,
    pub partners: Option<String>,
    /// `planned` | `in_progress` | `done` | `cancelled`.
    pub status: String,
}

pub async fn replace_actions(conn: &mut AnyConnection, objective_id: i64, rows: &[ActionRow]) -> Result<()> {
    sqlx::query("DELETE FROM plan_action WHERE objective_id = $1").bind(objective_id).execute(&mut *conn).await?;
    for (i, a) in rows.iter().enumerate() {
        sqlx::query(
            "INSERT INTO plan_action (objective_id, position, text, deadline, responsible, partners, status) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(objective_id)
        .bind(i as i64)
        .bind(&a.text)
        .bind(&a.deadline)
        .bind(&a.responsible)
        .bind(&a.partners)
        .bind(&a.status)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn actions(conn: &mut AnyConnection, objective_id: i64) -> Result<Vec<ActionRow>> {
    let rows =
        sqlx::query("SELECT text, deadline, responsible, partners, status FROM plan_action WHERE objective_id = $1 ORDER BY position")
            .bind(objective_id)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(ActionRow {
                text: r.try_get(0)?,
                deadline: r.try_get(1)?,
                responsible: r.try_get(2)?,
                partners: r.try_get(3)?,
                status: r.try_get(4)?,
            })
        })
        .collect()
}
