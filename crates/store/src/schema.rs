//! The schema as the database itself reports it, in one portable shape, so that a test can hold
//! the two hand-kept migration folders (`migrations/sqlite`, `migrations/postgres`) to the same
//! tables, columns, types, keys, indexes, foreign keys and triggers.
//!
//! What legitimately differs is normalised here and nowhere else:
//! - id columns (`INTEGER PRIMARY KEY AUTOINCREMENT` against `BIGINT GENERATED … AS IDENTITY`):
//!   an integer primary key reads as `BIGINT` on SQLite, which is what it stores;
//! - SQLite does not mark primary-key columns `NOT NULL`; PostgreSQL does: both read as not null;
//! - SQLite's `WITHOUT ROWID`, column defaults and CHECK constraints are not compared;
//! - a trigger is compared by its table and event only (SQLite writes the body inline,
//!   PostgreSQL through a function).

use crate::{Backend, Result, Store};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Column {
    pub name: String,
    /// Upper-case type name after the mapping above (`BIGINT`, `INTEGER`, `TEXT`, …).
    pub ty: String,
    pub not_null: bool,
    /// Position in the primary key (1-based), 0 when not part of it.
    pub pk: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableShape {
    pub columns: Vec<Column>,
    /// (unique, columns in order); primary-key indexes are described by [`Column::pk`] instead.
    pub indexes: BTreeSet<(bool, Vec<String>)>,
    pub foreign_keys: BTreeSet<ForeignKey>,
    /// `INSERT`, `UPDATE` or `DELETE`, one per trigger event.
    pub triggers: BTreeSet<String>,
}

pub type Schema = BTreeMap<String, TableShape>;

/// (columns, referenced table, referenced columns, on delete).
pub type ForeignKey = (Vec<String>, String, Vec<String>, String);

/// Tables of the migration tool and of SQLite itself are not ambito's schema.
fn is_ours(table: &str) -> bool {
    !table.starts_with("_sqlx") && !table.starts_with("sqlite_")
}

/// The schema of the database behind `store`.
pub async fn describe(store: &Store) -> Result<Schema> {
    match store.backend() {
        Backend::Sqlite => describe_sqlite(store).await,
        Backend::Postgres => describe_postgres(store).await,
    }
}

async fn describe_sqlite(store: &Store) -> Result<Schema> {
    let mut conn = store.read().await?;
    let tables: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .filter(|t: &String| is_ours(t))
        .collect();
    let mut schema = Schema::new();
    for table in tables {
        let mut shape = TableShape::default();
        // Pragma table functions take the table name as a bound value: no quoting needed.
        let cols = sqlx::query("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid")
            .bind(&table)
            .fetch_all(&mut *conn)
            .await?;
        for r in cols {
            let pk: i64 = r.try_get(3)?;
            let declared: String = r.try_get(1)?;
            let mut ty = declared.to_uppercase();
            if pk > 0 && ty == "INTEGER" {
                ty = "BIGINT".into();
            }
            let not_null: i64 = r.try_get(2)?;
            shape.columns.push(Column { name: r.try_get(0)?, ty, not_null: not_null != 0 || pk > 0, pk });
        }
        let indexes = sqlx::query("SELECT name, \"unique\", origin FROM pragma_index_list($1)").bind(&table).fetch_all(&mut *conn).await?;
        for r in indexes {
            let origin: String = r.try_get(2)?;
            if origin == "pk" {
                continue;
            }
            let name: String = r.try_get(0)?;
            let unique: i64 = r.try_get(1)?;
            let cols: Vec<Option<String>> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno").bind(&name).fetch_all(&mut *conn).await?;
            shape.indexes.insert((unique != 0, cols.into_iter().map(|c| c.unwrap_or_else(|| "<expr>".into())).collect()));
        }
        let fks = sqlx::query("SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list($1) ORDER BY id, seq")
            .bind(&table)
            .fetch_all(&mut *conn)
            .await?;
        // SQLite leaves the referenced columns out when they are the primary key.
        type Partial = (Vec<String>, String, Vec<Option<String>>, String);
        let mut by_id: BTreeMap<i64, Partial> = BTreeMap::new();
        for r in fks {
            let entry = by_id.entry(r.try_get(0)?).or_insert_with(|| (Vec::new(), String::new(), Vec::new(), String::new()));
            entry.0.push(r.try_get(2)?);
            entry.1 = r.try_get(1)?;
            entry.2.push(r.try_get(3)?);
            entry.3 = r.try_get::<String, _>(4)?.to_uppercase();
        }
        for (_, (from, target, to, on_delete)) in by_id {
            // `REFERENCES t` without columns means t's primary key, which is `id` throughout.
            let to = to.into_iter().map(|c| c.unwrap_or_else(|| "id".into())).collect();
            shape.foreign_keys.insert((from, target, to, on_delete));
        }
        let triggers: Vec<String> = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $1")
            .bind(&table)
            .fetch_all(&mut *conn)
            .await?;
        for sql in triggers {
            let head = sql.to_uppercase();
            let head = head.split(" BEGIN").next().unwrap_or("");
            for event in ["INSERT", "UPDATE", "DELETE"] {
                if head.contains(&format!(" {event} ")) {
                    shape.triggers.insert(event.into());
                }
            }
        }
        schema.insert(table, shape);
    }
    Ok(schema)
}

fn postgres_type(data_type: &str) -> String {
    match data_type {
        "bigint" => "BIGINT".into(),
        "integer" => "INTEGER".into(),
        "smallint" => "SMALLINT".into(),
        "text" => "TEXT".into(),
        "bytea" => "BLOB".into(),
        "double precision" => "REAL".into(),
        "boolean" => "BOOLEAN".into(),
        other => other.to_uppercase(),
    }
}

async fn describe_postgres(store: &Store) -> Result<Schema> {
    let mut conn = store.read().await?;
    let mut schema = Schema::new();
    let cols = sqlx::query(
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text, c.is_nullable::text,
                COALESCE((SELECT k.ordinal_position::bigint
                   FROM information_schema.table_constraints tc
                   JOIN information_schema.key_column_usage k
                     ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema
                  WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = c.table_schema
                    AND tc.table_name = c.table_name AND k.column_name = c.column_name), 0)
           FROM information_schema.columns c
           JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
          WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
          ORDER BY c.table_name, c.ordinal_position",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in cols {
        let table: String = r.try_get(0)?;
        if !is_ours(&table) {
            continue;
        }
        let nullable: String = r.try_get(3)?;
        let data_type: String = r.try_get(2)?;
        schema.entry(table).or_default().columns.push(Column {
            name: r.try_get(1)?,
            ty: postgres_type(&data_type),
            not_null: nullable == "NO",
            pk: r.try_get(4)?,
        });
    }
    let idx = sqlx::query(
        "SELECT t.relname::text, i.relname::text, ix.indisunique, COALESCE(a.attname::text, '<expr>')
           FROM pg_index ix
           JOIN pg_class t ON t.oid = ix.indrelid
           JOIN pg_class i ON i.oid = ix.indexrelid
           CROSS JOIN LATERAL unnest(ix.indkey::smallint[]) WITH ORDINALITY AS k(attnum, ord)
           LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
          WHERE t.relnamespace = current_schema()::regnamespace AND NOT ix.indisprimary
          ORDER BY t.relname, i.relname, k.ord",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut indexes: BTreeMap<(String, String), (bool, Vec<String>)> = BTreeMap::new();
    for r in idx {
        let key = (r.try_get(0)?, r.try_get(1)?);
        let entry = indexes.entry(key).or_insert_with(|| (false, Vec::new()));
        entry.0 = r.try_get(2)?;
        entry.1.push(r.try_get(3)?);
    }
    for ((table, _), index) in indexes {
        if let Some(shape) = schema.get_mut(&table) {
            shape.indexes.insert(index);
        }
    }
    let fk = sqlx::query(
        "SELECT cl.relname::text, c.conname::text, fcl.relname::text, att.attname::text, fatt.attname::text,
                CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT'
                                   WHEN 'r' THEN 'RESTRICT' ELSE 'NO ACTION' END
           FROM pg_constraint c
           JOIN pg_class cl ON cl.oid = c.conrelid
           JOIN pg_class fcl ON fcl.oid = c.confrelid
           CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(a, fa, ord)
           JOIN pg_attribute att ON att.attrelid = c.conrelid AND att.attnum = k.a
           JOIN pg_attribute fatt ON fatt.attrelid = c.confrelid AND fatt.attnum = k.fa
          WHERE c.contype = 'f' AND cl.relnamespace = current_schema()::regnamespace
          ORDER BY cl.relname, c.conname, k.ord",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut fks: BTreeMap<(String, String), ForeignKey> = BTreeMap::new();
    for r in fk {
        let key = (r.try_get(0)?, r.try_get(1)?);
        let entry = fks.entry(key).or_insert_with(|| (Vec::new(), String::new(), Vec::new(), String::new()));
        entry.1 = r.try_get(2)?;
        entry.0.push(r.try_get(3)?);
        entry.2.push(r.try_get(4)?);
        entry.3 = r.try_get(5)?;
    }
    for ((table, _), fk) in fks {
        if let Some(shape) = schema.get_mut(&table) {
            shape.foreign_keys.insert(fk);
        }
    }
    let triggers = sqlx::query(
        "SELECT event_object_table::text, event_manipulation::text FROM information_schema.triggers
          WHERE event_object_schema = current_schema()",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in triggers {
        let table: String = r.try_get(0)?;
        if let Some(shape) = schema.get_mut(&table) {
            shape.triggers.insert(r.try_get(1)?);
        }
    }
    Ok(schema)
}

/// Every difference between two schemas, one readable line each; empty when they agree.
pub fn differences(a_name: &str, a: &Schema, b_name: &str, b: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    for table in a.keys().chain(b.keys()).collect::<BTreeSet<_>>() {
        let (Some(ta), Some(tb)) = (a.get(table), b.get(table)) else {
            let only = if a.contains_key(table) { a_name } else { b_name };
            out.push(format!("table {table}: only in {only}"));
            continue;
        };
        if ta.columns != tb.columns {
            let names = |t: &TableShape| t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
            if names(ta) != names(tb) {
                out.push(format!("table {table}: columns {a_name} {:?} vs {b_name} {:?}", names(ta), names(tb)));
            }
            for (ca, cb) in ta.columns.iter().zip(&tb.columns) {
                if ca.name == cb.name && ca != cb {
                    out.push(format!("table {table}: column {a_name} {ca:?} vs {b_name} {cb:?}"));
                }
            }
        }
        for (what, sa, sb) in [
            ("index", fmt_set(&ta.indexes), fmt_set(&tb.indexes)),
            ("foreign key", fmt_set(&ta.foreign_keys), fmt_set(&tb.foreign_keys)),
            ("trigger", fmt_set(&ta.triggers), fmt_set(&tb.triggers)),
        ] {
            for x in sa.difference(&sb) {
                out.push(format!("table {table}: {what} {x} only in {a_name}"));
            }
            for x in sb.difference(&sa) {
                out.push(format!("table {table}: {what} {x} only in {b_name}"));
            }
        }
    }
    out
}

fn fmt_set<T: std::fmt::Debug>(s: &BTreeSet<T>) -> BTreeSet<String> {
    s.iter().map(|x| format!("{x:?}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(cols: &[(&str, &str)]) -> TableShape {
        TableShape {
            columns: cols.iter().map(|(n, t)| Column { name: (*n).into(), ty: (*t).into(), not_null: true, pk: 0 }).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn equal_schemas_have_no_differences() {
        let s: Schema = [("t".to_string(), table(&[("id", "BIGINT")]))].into();
        assert!(differences("a", &s, "b", &s).is_empty());
    }

    #[test]
    fn every_kind_of_difference_is_reported() {
        let a: Schema = [("t".to_string(), table(&[("id", "BIGINT"), ("x", "TEXT")])), ("only_a".to_string(), table(&[]))].into();
        let mut t = table(&[("id", "INTEGER"), ("x", "TEXT")]);
        t.indexes.insert((true, vec!["x".into()]));
        t.triggers.insert("INSERT".into());
        let b: Schema = [("t".to_string(), t)].into();
        let d = differences("sqlite", &a, "postgres", &b);
        assert!(d.iter().any(|l| l == "table only_a: only in sqlite"), "{d:?}");
        assert!(d.iter().any(|l| l.contains("column sqlite") && l.contains("\"BIGINT\"") && l.contains("\"INTEGER\"")), "{d:?}");
        assert!(d.iter().any(|l| l.contains("index (true, [\"x\"]) only in postgres")), "{d:?}");
        assert!(d.iter().any(|l| l.contains("trigger \"INSERT\" only in postgres")), "{d:?}");
        assert_eq!(d.len(), 4, "{d:?}");
    }
}
