//! Likert questionnaires: design, waves, token hashes and anonymous responses.
//! Nothing here links a response to a token or to a person: see migration 0006.

use crate::Result;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QuestionnaireRow {
    pub id: i64,
    pub ambito_id: i64,
    pub code: String,
    pub title: String,
    pub intro: String,
    pub points: i64,
    pub objective_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaleRow {
    pub id: i64,
    pub code: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRow {
    pub id: i64,
    pub code: String,
    /// `likert` or `aperta`.
    pub kind: String,
    pub text: String,
    pub reverse: bool,
    pub scale_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaveRow {
    pub id: i64,
    pub questionnaire_id: i64,
    /// `ex_ante`, `intermedia` or `ex_post`.
    pub kind: String,
    pub opens_on: String,
    pub closes_on: String,
    pub invited: Option<i64>,
}

/// A design to insert: scales by code; items refer to a scale code.
#[derive(Debug, Clone, Default)]
pub struct NewQuestionnaire {
    pub code: String,
    pub title: String,
    pub intro: String,
    pub points: i64,
    pub objective_code: Option<String>,
    pub scales: Vec<(String, String)>,
    pub items: Vec<NewItem>,
}

#[derive(Debug, Clone, Default)]
pub struct NewItem {
    pub code: String,
    pub kind: String,
    pub text: String,
    pub reverse: bool,
    pub scale_code: Option<String>,
}

/// One stored answer: a Likert value or an open text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRow {
    pub response_id: i64,
    pub item_id: i64,
    pub value: Option<i64>,
    pub text: Option<String>,
}

fn questionnaire_from(r: &sqlx::any::AnyRow) -> Result<QuestionnaireRow> {
    Ok(QuestionnaireRow {
        id: r.try_get(0)?,
        code: r.try_get(1)?,
        title: r.try_get(2)?,
        intro: r.try_get(3)?,
        points: r.try_get(4)?,
        objective_code: r.try_get(5)?,
        ambito_id: r.try_get(6)?,
    })
}

pub async fn insert_questionnaire(conn: &mut AnyConnection, ambito_id: i64, q: &NewQuestionnaire) -> Result<i64> {
    let id: i64 = sqlx::query(
        "INSERT INTO questionnaire (ambito_id, code, title, intro, points, objective_code, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(ambito_id)
    .bind(&q.code)
    .bind(&q.title)
    .bind(&q.intro)
    .bind(q.points)
    .bind(q.objective_code.as_deref())
    .bind(crate::db::now_text())
    .fetch_one(&mut *conn)
    .await?
    .try_get(0)?;
    let mut scale_ids = Vec::new();
    for (pos, (code, title)) in q.scales.iter().enumerate() {
        let sid: i64 =
            sqlx::query("INSERT INTO questionnaire_scale (questionnaire_id, code, title, position) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(id)
                .bind(code)
                .bind(title)
                .bind(pos as i64)
                .fetch_one(&mut *conn)
                .await?
                .try_get(0)?;
        scale_ids.push((code.clone(), sid));
    }
    for (pos, item) in q.items.iter().enumerate() {
        let scale_id = item.scale_code.as_ref().and_then(|c| scale_ids.iter().find(|(code, _)| code == c).map(|(_, id)| *id));
        sqlx::query(
            "INSERT INTO questionnaire_item (questionnaire_id, scale_id, code, kind, text, reverse, position) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(scale_id)
        .bind(&item.code)
        .bind(&item.kind)
        .bind(&item.text)
        .bind(i64::from(item.reverse))
        .bind(pos as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

pub async fn questionnaire_by_code(conn: &mut AnyConnection, ambito_id: i64, code: &str) -> Result<Option<QuestionnaireRow>> {
    let row = sqlx::query(
        "SELECT id, code, title, intro, points, objective_code, ambito_id FROM questionnaire WHERE ambito_id = $1 AND code = $2",
    )
    .bind(ambito_id)
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(questionnaire_from).transpose()
}

pub async fn questionnaire_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<QuestionnaireRow>> {
    let row = sqlx::query("SELECT id, code, title, intro, points, objective_code, ambito_id FROM questionnaire WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(questionnaire_from).transpose()
}

pub async fn list_questionnaires(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<QuestionnaireRow>> {
    let rows = sqlx::query(
        "SELECT id, code, title, intro, points, objective_code, ambito_id FROM questionnaire WHERE ambito_id = $1 ORDER BY code",
    )
    .bind(ambito_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(questionnaire_from).collect()
}

pub async fn questionnaire_scales(conn: &mut AnyConnection, questionnaire_id: i64) -> Result<Vec<ScaleRow>> {
    let rows = sqlx::query("SELECT id, code, title FROM questionnaire_scale WHERE questionnaire_id = $1 ORDER BY position")
        .bind(questionnaire_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok(ScaleRow { id: r.try_get(0)?, code: r.try_get(1)?, title: r.try_get(2)? })).collect()
}

pub async fn questionnaire_items(conn: &mut AnyConnection, questionnaire_id: i64) -> Result<Vec<ItemRow>> {
    let rows =
        sqlx::query("SELECT id, code, kind, text, reverse, scale_id FROM questionnaire_item WHERE questionnaire_id = $1 ORDER BY position")
            .bind(questionnaire_id)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(ItemRow {
                id: r.try_get(0)?,
                code: r.try_get(1)?,
                kind: r.try_get(2)?,
                text: r.try_get(3)?,
                reverse: r.try_get::<i64, _>(4)? != 0,
                scale_id: r.try_get(5)?,
            })
        })
        .collect()
}

fn wave_from(r: &sqlx::any::AnyRow) -> Result<WaveRow> {
    Ok(WaveRow {
        id: r.try_get(0)?,
        questionnaire_id: r.try_get(1)?,
        kind: r.try_get(2)?,
        opens_on: r.try_get(3)?,
        closes_on: r.try_get(4)?,
        invited: r.try_get(5)?,
    })
}

const WAVE_COLUMNS: &str = "id, questionnaire_id, kind, opens_on, closes_on, invited";

pub async fn questionnaire_waves(conn: &mut AnyConnection, questionnaire_id: i64) -> Result<Vec<WaveRow>> {
    let sql = format!("SELECT {WAVE_COLUMNS} FROM questionnaire_wave WHERE questionnaire_id = $1 ORDER BY opens_on, id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(questionnaire_id).fetch_all(&mut *conn).await?;
    rows.iter().map(wave_from).collect()
}

pub async fn wave_by_id(conn: &mut AnyConnection, wave_id: i64) -> Result<Option<WaveRow>> {
    let sql = format!("SELECT {WAVE_COLUMNS} FROM questionnaire_wave WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(wave_id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(wave_from).transpose()
}

/// Creates the wave or updates its dates and invited count.
pub async fn upsert_wave(
    conn: &mut AnyConnection,
    questionnaire_id: i64,
    kind: &str,
    opens_on: &str,
    closes_on: &str,
    invited: Option<i64>,
) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO questionnaire_wave (questionnaire_id, kind, opens_on, closes_on, invited) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (questionnaire_id, kind) DO UPDATE SET opens_on = excluded.opens_on, closes_on = excluded.closes_on, \
         invited = excluded.invited RETURNING id",
    )
    .bind(questionnaire_id)
    .bind(kind)
    .bind(opens_on)
    .bind(closes_on)
    .bind(invited)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn insert_token_hashes(conn: &mut AnyConnection, wave_id: i64, hashes: &[String]) -> Result<()> {
    for h in hashes {
        sqlx::query("INSERT INTO questionnaire_token (wave_id, token_hash, used) VALUES ($1, $2, 0)")
            .bind(wave_id)
            .bind(h)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The wave of a token and whether it was used; none for an unknown token.
pub async fn token_state(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<(i64, bool)>> {
    let row = sqlx::query("SELECT wave_id, used FROM questionnaire_token WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get::<i64, _>(1)? != 0))).transpose()
}

/// Marks the token used; false when it was already used (or unknown). Run in the transaction that
/// stores the response, so a token is spent exactly when its answers are kept.
pub async fn consume_token(conn: &mut AnyConnection, token_hash: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE questionnaire_token SET used = 1 WHERE token_hash = $1 AND used = 0")
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// (tokens issued, tokens used) for a wave.
pub async fn token_counts(conn: &mut AnyConnection, wave_id: i64) -> Result<(i64, i64)> {
    let row = sqlx::query("SELECT COUNT(*), CAST(COALESCE(SUM(used), 0) AS BIGINT) FROM questionnaire_token WHERE wave_id = $1")
        .bind(wave_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}

/// Stores one response with its answers: `(item_id, value, text)`.
pub async fn insert_response(
    conn: &mut AnyConnection,
    wave_id: i64,
    channel: &str,
    received_on: &str,
    answers: &[(i64, Option<i64>, Option<String>)],
) -> Result<i64> {
    let id: i64 = sqlx::query("INSERT INTO questionnaire_response (wave_id, channel, received_on) VALUES ($1, $2, $3) RETURNING id")
        .bind(wave_id)
        .bind(channel)
        .bind(received_on)
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    for (item_id, value, text) in answers {
        sqlx::query("INSERT INTO questionnaire_answer (response_id, item_id, value, text) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(item_id)
            .bind(*value)
            .bind(text.as_deref())
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// Response ids of a wave, oldest first.
pub async fn wave_response_ids(conn: &mut AnyConnection, wave_id: i64) -> Result<Vec<i64>> {
    let rows =
        sqlx::query("SELECT id FROM questionnaire_response WHERE wave_id = $1 ORDER BY id").bind(wave_id).fetch_all(&mut *conn).await?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

/// Every answer of a wave, by response.
pub async fn wave_answers(conn: &mut AnyConnection, wave_id: i64) -> Result<Vec<AnswerRow>> {
    let rows = sqlx::query(
        "SELECT a.response_id, a.item_id, a.value, a.text FROM questionnaire_answer a \
         JOIN questionnaire_response r ON r.id = a.response_id WHERE r.wave_id = $1 ORDER BY a.response_id, a.item_id",
    )
    .bind(wave_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok(AnswerRow { response_id: r.try_get(0)?, item_id: r.try_get(1)?, value: r.try_get(2)?, text: r.try_get(3)? }))
        .collect()
}

/// Responses of every wave of a questionnaire (to forbid design changes once answers exist).
pub async fn questionnaire_response_count(conn: &mut AnyConnection, questionnaire_id: i64) -> Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) FROM questionnaire_response r JOIN questionnaire_wave w ON w.id = r.wave_id WHERE w.questionnaire_id = $1",
    )
    .bind(questionnaire_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}
