//! Persons, their prese in carico (cases), care teams, notes and break-glass grants.

use crate::Result;
use crate::db::now_text;
use sqlx::AnyConnection;

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct PersonRow {
        pub id: i64,
        pub codice_fiscale: String,
        pub cognome: String,
        pub nome: String,
        pub birth_date: String,
        pub comune_istat: Option<String>,
        pub pseudonym: String,
        pub identity_kind: String,
        pub sesso: Option<String>,
        pub birth_place: Option<String>,
        pub citizenship: Option<String>,
        pub citizenship2: Option<String>,
        pub death_date: Option<String>,
        pub address: Option<String>,
        pub phone: Option<String>,
        pub email: Option<String>,
        pub no_fixed_abode: i64,
        pub merged_into: Option<i64>,
    }
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct CaseRow {
        pub id: i64,
        pub person_id: i64,
        pub ambito_id: i64,
        pub ambito_code: String,
        pub service_code: Option<String>,
        pub provider: Option<String>,
        pub opened_on: String,
        pub closed_on: Option<String>,
    }
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct NoteRow {
        pub id: i64,
        pub case_id: i64,
        pub author: Option<String>,
        pub kind: String,
        pub body: String,
        pub created_at: String,
    }
}

pub(crate) const PERSON_COLUMNS: &str = "id, codice_fiscale, cognome, nome, birth_date, comune_istat, pseudonym, identity_kind, sesso, \
     birth_place, citizenship, citizenship2, death_date, address, phone, email, no_fixed_abode, merged_into";

/// A person as written to the registry. The search keys are derived here from the names, so no
/// writer can store a person the one-box search cannot find.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewPerson<'a> {
    pub codice_fiscale: &'a str,
    pub cognome: &'a str,
    pub nome: &'a str,
    pub birth_date: &'a str,
    pub comune_istat: Option<&'a str>,
    pub pseudonym: &'a str,
    /// `cf`, or a provisional identity: `stp`, `eni`, `temp`.
    pub identity_kind: &'a str,
    pub sesso: Option<&'a str>,
    pub birth_place: Option<&'a str>,
    pub citizenship: Option<&'a str>,
    pub citizenship2: Option<&'a str>,
    pub death_date: Option<&'a str>,
    pub address: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub no_fixed_abode: bool,
}

impl NewPerson<'_> {
    fn kind(&self) -> &str {
        if self.identity_kind.is_empty() { "cf" } else { self.identity_kind }
    }
}

/// The person with this codice fiscale, created when new; returns the id.
pub async fn ensure_person(conn: &mut AnyConnection, p: &NewPerson<'_>) -> Result<i64> {
    if let Some((id,)) = sqlx::query_as::<_, (i64,)>("SELECT id FROM person WHERE codice_fiscale = $1")
        .bind(p.codice_fiscale)
        .fetch_optional(&mut *conn)
        .await?
    {
        return Ok(id);
    }
    insert_person(conn, p).await
}

/// A new person row; the codice fiscale (or provisional code) and the pseudonym must be new.
pub async fn insert_person(conn: &mut AnyConnection, p: &NewPerson<'_>) -> Result<i64> {
    use ambito_domain::person_search::{name_key, search_key, sound_key};
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO person (codice_fiscale, cognome, nome, birth_date, comune_istat, pseudonym, created_at, identity_kind, sesso, \
         birth_place, citizenship, citizenship2, death_date, address, phone, email, no_fixed_abode, search_key, name_key, sound_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id",
    )
    .bind(p.codice_fiscale)
    .bind(p.cognome)
    .bind(p.nome)
    .bind(p.birth_date)
    .bind(p.comune_istat)
    .bind(p.pseudonym)
    .bind(now_text())
    .bind(p.kind())
    .bind(p.sesso)
    .bind(p.birth_place)
    .bind(p.citizenship)
    .bind(p.citizenship2)
    .bind(p.death_date)
    .bind(p.address)
    .bind(p.phone)
    .bind(p.email)
    .bind(i64::from(p.no_fixed_abode))
    .bind(search_key(p.cognome, p.nome))
    .bind(name_key(p.cognome, p.nome))
    .bind(sound_key(p.cognome))
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Rewrites the person row with `p`, first keeping the old values in `person_revision` (who,
/// when, why): the field-level history of the registry. The pseudonym never changes here.
pub async fn update_person(conn: &mut AnyConnection, id: i64, p: &NewPerson<'_>, by: Option<i64>, reason: &str) -> Result<()> {
    use ambito_domain::person_search::{name_key, search_key, sound_key};
    let Some(old) = person(conn, id).await? else { return Ok(()) };
    let data = serde_json::to_string(&old).unwrap_or_default();
    sqlx::query("INSERT INTO person_revision (person_id, data, changed_by, changed_at, reason) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(data)
        .bind(by)
        .bind(now_text())
        .bind(reason)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE person SET codice_fiscale = $1, cognome = $2, nome = $3, birth_date = $4, comune_istat = $5, identity_kind = $6, \
         sesso = $7, birth_place = $8, citizenship = $9, citizenship2 = $10, death_date = $11, address = $12, phone = $13, email = $14, \
         no_fixed_abode = $15, search_key = $16, name_key = $17, sound_key = $18, updated_at = $19 WHERE id = $20",
    )
    .bind(p.codice_fiscale)
    .bind(p.cognome)
    .bind(p.nome)
    .bind(p.birth_date)
    .bind(p.comune_istat)
    .bind(p.kind())
    .bind(p.sesso)
    .bind(p.birth_place)
    .bind(p.citizenship)
    .bind(p.citizenship2)
    .bind(p.death_date)
    .bind(p.address)
    .bind(p.phone)
    .bind(p.email)
    .bind(i64::from(p.no_fixed_abode))
    .bind(search_key(p.cognome, p.nome))
    .bind(name_key(p.cognome, p.nome))
    .bind(sound_key(p.cognome))
    .bind(now_text())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn person(conn: &mut AnyConnection, id: i64) -> Result<Option<PersonRow>> {
    let sql = format!("SELECT {PERSON_COLUMNS} FROM person WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?)
}

pub async fn person_by_codice_fiscale(conn: &mut AnyConnection, cf: &str) -> Result<Option<PersonRow>> {
    let sql = format!("SELECT {PERSON_COLUMNS} FROM person WHERE codice_fiscale = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(cf).fetch_optional(&mut *conn).await?)
}

/// Persons with at least one case in the Ambito, by surname.
pub async fn persons_in_ambito(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<PersonRow>> {
    let cols = PERSON_COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT {cols} FROM person p WHERE EXISTS (SELECT 1 FROM care_case c WHERE c.person_id = p.id AND c.ambito_id = $1) \
         ORDER BY p.cognome, p.nome, p.id"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(ambito_id).fetch_all(&mut *conn).await?)
}

pub async fn open_case(
    conn: &mut AnyConnection,
    person_id: i64,
    ambito_id: i64,
    service_code: Option<&str>,
    provider: Option<&str>,
    opened_on: &str,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO care_case (person_id, ambito_id, service_code, provider, opened_on) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(person_id)
    .bind(ambito_id)
    .bind(service_code)
    .bind(provider)
    .bind(opened_on)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn close_case(conn: &mut AnyConnection, case_id: i64, closed_on: &str) -> Result<()> {
    sqlx::query("UPDATE care_case SET closed_on = $1, state = 'chiuso' WHERE id = $2")
        .bind(closed_on)
        .bind(case_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn cases_of(conn: &mut AnyConnection, person_id: i64) -> Result<Vec<CaseRow>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.person_id, c.ambito_id, a.code AS ambito_code, c.service_code, c.provider, c.opened_on, c.closed_on \
         FROM care_case c JOIN ambito a ON a.id = c.ambito_id WHERE c.person_id = $1 ORDER BY c.opened_on, c.id",
    )
    .bind(person_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn add_to_team(conn: &mut AnyConnection, case_id: i64, user_id: i64) -> Result<()> {
    let member: Option<(i64,)> = sqlx::query_as("SELECT user_id FROM care_team WHERE case_id = $1 AND user_id = $2")
        .bind(case_id)
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    if member.is_none() {
        sqlx::query("INSERT INTO care_team (case_id, user_id) VALUES ($1, $2)").bind(case_id).bind(user_id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// `(case_id, user_id)` for every case of the person.
pub async fn teams_of(conn: &mut AnyConnection, person_id: i64) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as("SELECT t.case_id, t.user_id FROM care_team t JOIN care_case c ON c.id = t.case_id WHERE c.person_id = $1")
        .bind(person_id)
        .fetch_all(&mut *conn)
        .await?)
}

pub async fn add_note(conn: &mut AnyConnection, case_id: i64, author_id: Option<i64>, kind: &str, body: &str) -> Result<i64> {
    let (id,): (i64,) =
        sqlx::query_as("INSERT INTO case_note (case_id, author_id, kind, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(case_id)
            .bind(author_id)
            .bind(kind)
            .bind(body)
            .bind(now_text())
            .fetch_one(&mut *conn)
            .await?;
    Ok(id)
}

pub async fn notes_of(conn: &mut AnyConnection, person_id: i64) -> Result<Vec<NoteRow>> {
    Ok(sqlx::query_as(
        "SELECT n.id, n.case_id, u.display_name AS author, n.kind, n.body, n.created_at FROM case_note n \
         JOIN care_case c ON c.id = n.case_id LEFT JOIN app_user u ON u.id = n.author_id WHERE c.person_id = $1 ORDER BY n.created_at, n.id",
    )
    .bind(person_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn grant_break_glass(conn: &mut AnyConnection, user_id: i64, person_id: i64, reason: &str, expires_at: &str) -> Result<()> {
    sqlx::query("INSERT INTO break_glass (user_id, person_id, reason, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(user_id)
        .bind(person_id)
        .bind(reason)
        .bind(now_text())
        .bind(expires_at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn break_glass_active(conn: &mut AnyConnection, user_id: i64, person_id: i64, now: &str) -> Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM break_glass WHERE user_id = $1 AND person_id = $2 AND expires_at > $3 LIMIT 1")
            .bind(user_id)
            .bind(person_id)
            .bind(now)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.is_some())
}

/// Persons whose every case closed before `closed_before` (a date), the purge candidates.
pub async fn persons_closed_before(conn: &mut AnyConnection, closed_before: &str) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT p.id FROM person p WHERE EXISTS (SELECT 1 FROM care_case c WHERE c.person_id = p.id) \
         AND NOT EXISTS (SELECT 1 FROM care_case c WHERE c.person_id = p.id AND (c.closed_on IS NULL OR c.closed_on >= $1)) ORDER BY p.id",
    )
    .bind(closed_before)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Deletes everything that identifies the person. Delivery events keep their figures under a new
/// random key that nothing links back, so every aggregate (including distinct persons) stays exact.
pub async fn purge_person(conn: &mut AnyConnection, person_id: i64, new_pseudonym: &str) -> Result<()> {
    let Some(p) = person(conn, person_id).await? else { return Ok(()) };
    crate::cases::documents::purge_person_documents(conn, person_id).await?;
    sqlx::query("UPDATE delivery_event SET person_key = $1 WHERE person_key = $2")
        .bind(new_pseudonym)
        .bind(&p.pseudonym)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM break_glass WHERE person_id = $1").bind(person_id).execute(&mut *conn).await?;
    crate::copayment::purge_copayment(conn, person_id).await?;
    crate::cases::purge_registry(conn, person_id).await?;
    crate::purge_assessments_and_projects(conn, person_id).await?;
    crate::cases::courts::purge_case_record_d(conn, person_id).await?;
    sqlx::query("DELETE FROM case_note WHERE case_id IN (SELECT id FROM care_case WHERE person_id = $1)")
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM care_team WHERE case_id IN (SELECT id FROM care_case WHERE person_id = $1)")
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM care_case WHERE person_id = $1").bind(person_id).execute(&mut *conn).await?;
    sqlx::query("UPDATE app_user SET codice_fiscale = NULL WHERE codice_fiscale = $1").bind(&p.codice_fiscale).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM person WHERE id = $1").bind(person_id).execute(&mut *conn).await?;
    Ok(())
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct PersonDeliveryRow {
        pub ambito: String,
        pub service_code: String,
        /// `YYYYMMDD`.
        pub day: i64,
        pub ore_e4: i64,
        pub home_visit: i64,
        pub provider: String,
    }
}

/// Delivery events recorded under the person's pseudonymous key, in the Ambiti where the
/// person has a case (keys are only meaningful inside an Ambito).
pub async fn person_deliveries(conn: &mut AnyConnection, person_id: i64, pseudonym: &str) -> Result<Vec<PersonDeliveryRow>> {
    Ok(sqlx::query_as(
        "SELECT a.code AS ambito, s.code AS service_code, e.day, e.ore_e4, e.home_visit, p.name AS provider \
         FROM delivery_event e JOIN service s ON s.id = e.service_id JOIN ambito a ON a.id = s.ambito_id JOIN provider p ON p.id = e.provider_id \
         WHERE e.person_key = $1 AND s.ambito_id IN (SELECT ambito_id FROM care_case WHERE person_id = $2) ORDER BY e.day, s.code",
    )
    .bind(pseudonym)
    .bind(person_id)
    .fetch_all(&mut *conn)
    .await?)
}
