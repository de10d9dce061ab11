use crate::Result;
use sqlx::{AnyConnection, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaRow {
    pub id: i64,
    pub name: String,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ServiceRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub area_id: i64,
    pub area: String,
    pub parent_code: Option<String>,
    pub kind: String,
    pub default_indicator: Option<String>,
}

pub async fn ensure_area(conn: &mut AnyConnection, ambito_id: i64, name: &str) -> Result<i64> {
    let found =
        sqlx::query("SELECT id FROM area WHERE ambito_id = $1 AND name = $2").bind(ambito_id).bind(name).fetch_optional(&mut *conn).await?;
    if let Some(r) = found {
        return Ok(r.try_get(0)?);
    }
    let next: i64 = sqlx::query("SELECT COALESCE(MAX(position), 0) + 1 FROM area WHERE ambito_id = $1")
        .bind(ambito_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    let row = sqlx::query("INSERT INTO area (ambito_id, name, position) VALUES ($1, $2, $3) RETURNING id")
        .bind(ambito_id)
        .bind(name)
        .bind(next)
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get(0)?)
}

pub async fn list_areas(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<AreaRow>> {
    let rows = sqlx::query("SELECT id, name, position FROM area WHERE ambito_id = $1 ORDER BY position, name")
        .bind(ambito_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(|r| Ok(AreaRow { id: r.try_get(0)?, name: r.try_get(1)?, position: r.try_get(2)? })).collect()
}

pub struct NewService<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub area_id: i64,
    pub kind: &'a str,
    pub default_indicator: Option<&'a str>,
}

/// Inserts or updates by (Ambito, code); the parent is set separately once every code exists.
pub async fn upsert_service(conn: &mut AnyConnection, ambito_id: i64, s: &NewService<'_>) -> Result<i64> {
    let found = sqlx::query("SELECT id FROM service WHERE ambito_id = $1 AND code = $2")
        .bind(ambito_id)
        .bind(s.code)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(r) = found {
        let id: i64 = r.try_get(0)?;
        sqlx::query("UPDATE service SET name = $1, area_id = $2, default_indicator = COALESCE($3, default_indicator) WHERE id = $4")
            .bind(s.name)
            .bind(s.area_id)
            .bind(s.default_indicator)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        return Ok(id);
    }
    let next: i64 = sqlx::query("SELECT COALESCE(MAX(position), 0) + 1 FROM service WHERE ambito_id = $1")
        .bind(ambito_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    let row = sqlx::query(
        "INSERT INTO service (ambito_id, code, name, area_id, kind, default_indicator, position) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(ambito_id)
    .bind(s.code)
    .bind(s.name)
    .bind(s.area_id)
    .bind(s.kind)
    .bind(s.default_indicator)
    .bind(next)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.try_get(0)?)
}

pub async fn set_service_parent(conn: &mut AnyConnection, ambito_id: i64, code: &str, parent_code: Option<&str>) -> Result<()> {
    sqlx::query(
        "UPDATE service SET parent_id = (SELECT p.id FROM service p WHERE p.ambito_id = $1 AND p.code = $2) \
         WHERE ambito_id = $1 AND code = $3",
    )
    .bind(ambito_id)
    .bind(parent_code)
    .bind(code)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn list_services(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<ServiceRow>> {
    let rows = sqlx::query(
        "SELECT s.id, s.code, s.name, s.area_id, a.name, p.code, s.kind, s.default_indicator \
         FROM service s JOIN area a ON a.id = s.area_id LEFT JOIN service p ON p.id = s.parent_id \
         WHERE s.ambito_id = $1 ORDER BY a.position, s.position",
    )
    .bind(ambito_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ServiceRow {
                id: r.try_get(0)?,
                code: r.try_get(1)?,
                name: r.try_get(2)?,
                area_id: r.try_get(3)?,
                area: r.try_get(4)?,
                parent_code: r.try_get(5)?,
                kind: r.try_get(6)?,
                default_indicator: r.try_get(7)?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceYearRow {
    pub service_id: i64,
    pub indicator: Option<String>,
    pub target_name: Option<String>,
    /// A plain number typed in place of a named target population, as decimal text.
    pub target_value: Option<String>,
}

pub async fn upsert_service_year(conn: &mut AnyConnection, year: i64, row: &ServiceYearRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO service_year (service_id, year, indicator, target_name, target_value) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (service_id, year) DO UPDATE SET indicator = excluded.indicator, \
         target_name = excluded.target_name, target_value = excluded.target_value",
    )
    .bind(row.service_id)
    .bind(year)
    .bind(row.indicator.as_deref())
    .bind(row.target_name.as_deref())
    .bind(row.target_value.as_deref())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn service_years(conn: &mut AnyConnection, ambito_id: i64, year: i64) -> Result<Vec<ServiceYearRow>> {
    let rows = sqlx::query(
        "SELECT sy.service_id, sy.indicator, sy.target_name, sy.target_value FROM service_year sy \
         JOIN service s ON s.id = sy.service_id WHERE s.ambito_id = $1 AND sy.year = $2",
    )
    .bind(ambito_id)
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ServiceYearRow {
                service_id: r.try_get(0)?,
                indicator: r.try_get(1)?,
                target_name: r.try_get(2)?,
                target_value: r.try_get(3)?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorDefRow {
    pub code: String,
    pub name: String,
    pub numerator: String,
    pub denominator: Option<String>,
    pub factor: i64,
    pub format: String,
}

pub async fn list_indicator_defs(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<IndicatorDefRow>> {
    let rows =
        sqlx::query("SELECT code, name, numerator, denominator, factor, format FROM indicator_def WHERE ambito_id = $1 ORDER BY code")
            .bind(ambito_id)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(IndicatorDefRow {
                code: r.try_get(0)?,
                name: r.try_get(1)?,
                numerator: r.try_get(2)?,
                denominator: r.try_get(3)?,
                factor: r.try_get(4)?,
                format: r.try_get(5)?,
            })
        })
        .collect()
}

pub async fn upsert_indicator_def(conn: &mut AnyConnection, ambito_id: i64, d: &IndicatorDefRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO indicator_def (ambito_id, code, name, numerator, denominator, factor, format) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (ambito_id, code) DO UPDATE SET name = excluded.name, \
         numerator = excluded.numerator, denominator = excluded.denominator, factor = excluded.factor, format = excluded.format",
    )
    .bind(ambito_id)
    .bind(&d.code)
    .bind(&d.name)
    .bind(&d.numerator)
    .bind(d.denominator.as_deref())
    .bind(d.factor)
    .bind(&d.format)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NarrativeRow {
    pub area_id: i64,
    pub lettura: Option<String>,
    /// One objective per line.
    pub obiettivi: Option<String>,
}

pub async fn upsert_narrative(conn: &mut AnyConnection, year: i64, n: &NarrativeRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO area_narrative (area_id, year, lettura, obiettivi) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (area_id, year) DO UPDATE SET lettura = excluded.lettura, obiettivi = excluded.obiettivi",
    )
    .bind(n.area_id)
    .bind(year)
    .bind(n.lettura.as_deref())
    .bind(n.obiettivi.as_deref())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn narratives(conn: &mut AnyConnection, ambito_id: i64, year: i64) -> Result<Vec<NarrativeRow>> {
    let rows = sqlx::query(
        "SELECT n.area_id, n.lettura, n.obiettivi FROM area_narrative n JOIN area a ON a.id = n.area_id \
         WHERE a.ambito_id = $1 AND n.year = $2",
    )
    .bind(ambito_id)
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok(NarrativeRow { area_id: r.try_get(0)?, lettura: r.try_get(1)?, obiettivi: r.try_get(2)? })).collect()
}
