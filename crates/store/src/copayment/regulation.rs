//! Regulation versions and their services, individual exemptions, and an Ambito's pagoPA
//! settings (a row per change: the latest holds).

use crate::Result;
use crate::db::now_text;
use sqlx::AnyConnection;

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct RegulationRow {
        pub id: i64,
        pub codice: String,
        pub valido_dal: String,
        pub source_toml: String,
    }
}

/// Stores a version and the services it charges (`(service_id, unita, formula)`).
pub async fn insert_regulation(
    conn: &mut AnyConnection,
    ambito_id: i64,
    codice: &str,
    valido_dal: &str,
    source_toml: &str,
    services: &[(i64, &str, &str)],
    by: Option<i64>,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO copay_regulation (ambito_id, codice, valido_dal, source_toml, loaded_by, loaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(ambito_id)
    .bind(codice)
    .bind(valido_dal)
    .bind(source_toml)
    .bind(by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    for (service_id, unita, formula) in services {
        sqlx::query("INSERT INTO copay_regulation_service (regulation_id, service_id, unita, formula) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(service_id)
            .bind(unita)
            .bind(formula)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// The Ambito's versions by start date.
pub async fn regulations(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<RegulationRow>> {
    Ok(sqlx::query_as("SELECT id, codice, valido_dal, source_toml FROM copay_regulation WHERE ambito_id = $1 ORDER BY valido_dal")
        .bind(ambito_id)
        .fetch_all(&mut *conn)
        .await?)
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct ExemptionRow {
        pub id: i64,
        pub person_id: i64,
        pub service_code: Option<String>,
        pub atto: String,
        pub motivo: String,
        pub dal: String,
        pub al: Option<String>,
    }
}

pub struct NewExemption<'a> {
    pub person_id: i64,
    pub ambito_id: i64,
    pub service_id: Option<i64>,
    pub atto: &'a str,
    pub motivo: &'a str,
    pub dal: &'a str,
    pub al: Option<&'a str>,
    pub by: Option<i64>,
}

pub async fn insert_exemption(conn: &mut AnyConnection, e: &NewExemption<'_>) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO copay_exemption (person_id, ambito_id, service_id, atto, motivo, dal, al, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(e.person_id)
    .bind(e.ambito_id)
    .bind(e.service_id)
    .bind(e.atto)
    .bind(e.motivo)
    .bind(e.dal)
    .bind(e.al)
    .bind(e.by)
    .bind(now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// The live exemptions granted by an Ambito.
pub async fn exemptions(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<ExemptionRow>> {
    Ok(sqlx::query_as(
        "SELECT e.id, e.person_id, s.code AS service_code, e.atto, e.motivo, e.dal, e.al FROM copay_exemption e \
         LEFT JOIN service s ON s.id = e.service_id WHERE e.ambito_id = $1 AND e.voided_at IS NULL ORDER BY e.person_id, e.id",
    )
    .bind(ambito_id)
    .fetch_all(&mut *conn)
    .await?)
}

crate::from_row! {
    #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
    pub struct PagopaSettingsRow {
        pub ente_cf: String,
        pub nome: String,
        pub ufficio: Option<String>,
        pub segregazione: String,
        pub iban: String,
        pub categoria: String,
        pub causale: String,
    }
}

pub async fn insert_pagopa_settings(conn: &mut AnyConnection, ambito_id: i64, s: &PagopaSettingsRow, by: Option<i64>) -> Result<()> {
    sqlx::query(
        "INSERT INTO pagopa_settings (ambito_id, ente_cf, nome, ufficio, segregazione, iban, categoria, causale, set_by, set_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(ambito_id)
    .bind(&s.ente_cf)
    .bind(&s.nome)
    .bind(&s.ufficio)
    .bind(&s.segregazione)
    .bind(&s.iban)
    .bind(&s.categoria)
    .bind(&s.causale)
    .bind(by)
    .bind(now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The settings in force: the latest row.
pub async fn pagopa_settings(conn: &mut AnyConnection, ambito_id: i64) -> Result<Option<PagopaSettingsRow>> {
    Ok(sqlx::query_as(
        "SELECT ente_cf, nome, ufficio, segregazione, iban, categoria, causale FROM pagopa_settings WHERE ambito_id = $1 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(ambito_id)
    .fetch_optional(&mut *conn)
    .await?)
}
