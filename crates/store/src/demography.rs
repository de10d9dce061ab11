use crate::Result;
use sqlx::{AnyConnection, Row};

pub async fn upsert_population(conn: &mut AnyConnection, comune_id: i64, year: i64, age: i64, males: i64, females: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO population (comune_id, year, age, males, females) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (comune_id, year, age) DO UPDATE SET males = excluded.males, females = excluded.females",
    )
    .bind(comune_id)
    .bind(year)
    .bind(age)
    .bind(males)
    .bind(females)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationCell {
    pub istat_code: String,
    pub age: i64,
    pub males: i64,
    pub females: i64,
}

/// Population of every Comune of the Ambito for one year (1 January).
pub async fn population(conn: &mut AnyConnection, ambito_id: i64, year: i64) -> Result<Vec<PopulationCell>> {
    let rows = sqlx::query(
        "SELECT c.istat_code, p.age, p.males, p.females FROM population p JOIN comune c ON c.id = p.comune_id \
         WHERE c.ambito_id = $1 AND p.year = $2 ORDER BY c.istat_code, p.age",
    )
    .bind(ambito_id)
    .bind(year)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok(PopulationCell { istat_code: r.try_get(0)?, age: r.try_get(1)?, males: r.try_get(2)?, females: r.try_get(3)? }))
        .collect()
}

pub async fn population_years(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT DISTINCT p.year FROM population p JOIN comune c ON c.id = p.comune_id WHERE c.ambito_id = $1 ORDER BY p.year DESC",
    )
    .bind(ambito_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRow {
    pub name: String,
    pub age_min: Option<i64>,
    pub age_max: Option<i64>,
    /// Comma-separated ISTAT codes; `None` is every Comune of the Ambito.
    pub comuni: Option<String>,
    pub explicit_value: Option<String>,
}

pub async fn upsert_target(conn: &mut AnyConnection, ambito_id: i64, t: &TargetRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO target_population (ambito_id, name, age_min, age_max, comuni, explicit_value) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (ambito_id, name) DO UPDATE SET age_min = excluded.age_min, \
         age_max = excluded.age_max, comuni = excluded.comuni, explicit_value = excluded.explicit_value",
    )
    .bind(ambito_id)
    .bind(&t.name)
    .bind(t.age_min)
    .bind(t.age_max)
    .bind(t.comuni.as_deref())
    .bind(t.explicit_value.as_deref())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn list_targets(conn: &mut AnyConnection, ambito_id: i64) -> Result<Vec<TargetRow>> {
    let rows =
        sqlx::query("SELECT name, age_min, age_max, comuni, explicit_value FROM target_population WHERE ambito_id = $1 ORDER BY name")
            .bind(ambito_id)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(TargetRow {
                name: r.try_get(0)?,
                age_min: r.try_get(1)?,
                age_max: r.try_get(2)?,
                comuni: r.try_get(3)?,
                explicit_value: r.try_get(4)?,
            })
        })
        .collect()
}

/// Replaces the band values of an Ambito's target populations: (population year, name, value).
pub async fn replace_target_values(conn: &mut AnyConnection, ambito_id: i64, values: &[(i64, String, i64)]) -> Result<()> {
    sqlx::query("DELETE FROM target_value WHERE ambito_id = $1").bind(ambito_id).execute(&mut *conn).await?;
    for (year, name, value) in values {
        sqlx::query("INSERT INTO target_value (ambito_id, year, name, value) VALUES ($1, $2, $3, $4)")
            .bind(ambito_id)
            .bind(year)
            .bind(name.as_str())
            .bind(value)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A stored target value: (ambito id, population year, name, value).
pub type TargetValueRow = (i64, i64, String, i64);

/// Band values of target populations, of one Ambito or (None) of all.
pub async fn target_value_rows(conn: &mut AnyConnection, ambito_id: Option<i64>) -> Result<Vec<TargetValueRow>> {
    let rows = match ambito_id {
        Some(id) => {
            sqlx::query("SELECT ambito_id, year, name, value FROM target_value WHERE ambito_id = $1").bind(id).fetch_all(&mut *conn).await?
        }
        None => sqlx::query("SELECT ambito_id, year, name, value FROM target_value").fetch_all(&mut *conn).await?,
    };
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?))).collect()
}

/// Targets with an explicit value, of one Ambito or (None) of all: (ambito id, name, value text).
pub async fn explicit_targets(conn: &mut AnyConnection, ambito_id: Option<i64>) -> Result<Vec<(i64, String, String)>> {
    let sql = "SELECT ambito_id, name, explicit_value FROM target_population WHERE explicit_value IS NOT NULL";
    let rows = match ambito_id {
        Some(id) => sqlx::query(sqlx::AssertSqlSafe(format!("{sql} AND ambito_id = $1"))).bind(id).fetch_all(&mut *conn).await?,
        None => sqlx::query(sql).fetch_all(&mut *conn).await?,
    };
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).collect()
}

/// Whether band targets exist but no value was ever stored for them (a database migrated to
/// `target_value` after its targets and population were loaded).
pub async fn target_values_missing(conn: &mut AnyConnection) -> Result<bool> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM target_population WHERE age_min IS NOT NULL), (SELECT COUNT(*) FROM target_value), \
         (SELECT COUNT(*) FROM population)",
    )
    .fetch_one(&mut *conn)
    .await?;
    let (bands, values, population): (i64, i64, i64) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
    Ok(bands > 0 && values == 0 && population > 0)
}
