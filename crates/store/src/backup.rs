//! Backup, restore and the canonical text dump that proves a round trip.
//!
//! SQLite: `VACUUM INTO` copies a consistent snapshot (one read transaction) while the server
//! keeps reading and writing; restore checks the copy and swaps the file in atomically.
//! PostgreSQL: `pg_dump -Fc` / `pg_restore --clean --if-exists --single-transaction`, so the
//! PostgreSQL client tools must be installed; the password travels in `PGPASSWORD`, never on a
//! command line visible to other users.

use crate::Result;
use crate::db::{Backend, Store, StoreError};
use sqlx::{AnyConnection, Connection, Row};
use std::path::{Path, PathBuf};

/// What a restore found in the backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    /// Highest schema migration recorded in the backup.
    pub schema_version: i64,
    pub tables: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{0}: il file esiste già; scegliere un altro nome")]
    Exists(PathBuf),
    #[error("{0}: non è un backup di ambito ({1})")]
    NotAmbito(PathBuf, String),
    #[error("{0}: il backup ha lo schema {1}, più recente di questo programma ({2}); aggiornare ambito")]
    TooNew(PathBuf, i64, i64),
    #[error("il database è in uso da un altro processo: fermare il server prima del ripristino")]
    InUse,
    #[error("{tool}: {message} (servono gli strumenti client di PostgreSQL: apt-get install postgresql-client)")]
    Tool { tool: &'static str, message: String },
}

impl From<sqlx::Error> for BackupError {
    fn from(e: sqlx::Error) -> Self {
        BackupError::Store(StoreError::from(e))
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io { path: path.to_path_buf(), source }
}

impl Store {
    /// Writes a consistent copy of the whole database to `file`, which must not exist yet.
    /// Safe while the server runs: readers and writers are not blocked.
    pub async fn backup_to(&self, file: &Path) -> std::result::Result<(), BackupError> {
        if file.exists() {
            return Err(BackupError::Exists(file.to_path_buf()));
        }
        let tmp = temp_sibling(file)?;
        let _ = std::fs::remove_file(&tmp);
        let result = match self.backend() {
            Backend::Sqlite => {
                let mut conn = self.pool().acquire().await?;
                let target = tmp.to_str().ok_or_else(|| BackupError::NotAmbito(tmp.clone(), "percorso non UTF-8".into()))?;
                sqlx::query("VACUUM INTO $1").bind(target).execute(&mut *conn).await.map(|_| ()).map_err(BackupError::from)
            }
            Backend::Postgres => pg_dump(self.url(), &tmp).await,
        };
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        persist(&tmp, file)
    }
}

/// Replaces the database at `url` with the backup in `file`. The server must be stopped: on SQLite
/// a database still open elsewhere is refused; on PostgreSQL the target database must exist.
/// Newer migrations of this program are applied afterwards by [`Store::connect`].
pub async fn restore(url: &str, file: &Path) -> std::result::Result<BackupInfo, BackupError> {
    let meta = std::fs::metadata(file).map_err(io(file))?;
    if !meta.is_file() {
        return Err(BackupError::NotAmbito(file.to_path_buf(), "non è un file".into()));
    }
    if url.starts_with("sqlite:") {
        restore_sqlite(url, file).await
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        restore_postgres(url, file).await
    } else {
        Err(StoreError::UnsupportedUrl(url.to_string()).into())
    }
}

async fn restore_sqlite(url: &str, file: &Path) -> std::result::Result<BackupInfo, BackupError> {
    let head = read_head(file)?;
    if !head.starts_with(b"SQLite format 3\0") {
        return Err(BackupError::NotAmbito(file.to_path_buf(), "non è un database SQLite".into()));
    }
    let target = PathBuf::from(sqlite_path(url));
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    // Check a private copy, so the file that gets renamed into place is the file that was checked.
    let tmp = temp_sibling(&target)?;
    std::fs::copy(file, &tmp).map_err(io(&tmp))?;
    let checked = check_sqlite_copy(file, &tmp).await;
    let info = match checked {
        Ok(info) => info,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    if target.exists()
        && let Err(e) = take_over_sqlite(&target).await
    {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        let _ = std::fs::remove_file(side);
    }
    persist(&tmp, &target)?;
    Ok(info)
}

/// Opens the copy, checks it is an intact ambito database this program can run, and leaves it
/// self-contained (no WAL beside it) and flushed to disk.
async fn check_sqlite_copy(original: &Path, copy: &Path) -> std::result::Result<BackupInfo, BackupError> {
    let not_ambito = |why: String| BackupError::NotAmbito(original.to_path_buf(), why);
    let url = format!("sqlite://{}?mode=rw", copy.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.map_err(|e| not_ambito(e.to_string()))?;
    let ok: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await.map_err(|e| not_ambito(e.to_string()))?;
    if ok != "ok" {
        return Err(not_ambito(format!("integrity_check: {ok}")));
    }
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetch_all(&mut conn).await?;
    for needed in ["_sqlx_migrations", "data_revision"] {
        if !tables.iter().any(|t| t == needed) {
            return Err(not_ambito(format!("manca la tabella {needed}")));
        }
    }
    let applied: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations WHERE success = 1 ORDER BY version").fetch_all(&mut conn).await?;
    let known_max = crate::migrations::SQLITE.iter().map(|m| m.version).max().unwrap_or(0);
    let mut version = 0;
    for (v, checksum) in &applied {
        match crate::migrations::SQLITE.iter().find(|m| m.version == *v) {
            Some(m) if m.checksum.as_ref() == checksum.as_slice() => version = *v,
            Some(_) => return Err(not_ambito(format!("la migrazione {v} non corrisponde a questo programma"))),
            None => return Err(BackupError::TooNew(original.to_path_buf(), *v, known_max)),
        }
    }
    if version == 0 {
        return Err(not_ambito("nessuna migrazione registrata".into()));
    }
    sqlx::query("PRAGMA journal_mode = DELETE").execute(&mut conn).await?;
    conn.close().await?;
    std::fs::File::open(copy).and_then(|f| f.sync_all()).map_err(io(copy))?;
    Ok(BackupInfo { schema_version: version, tables: tables.len() })
}

/// Leaving WAL mode needs every other connection to be closed: a running server makes this fail,
/// which is how a restore under a live server is refused. It also checkpoints the old WAL away.
async fn take_over_sqlite(target: &Path) -> std::result::Result<(), BackupError> {
    let url = format!("sqlite://{}?mode=rw", target.display());
    let Ok(mut conn) = sqlx::SqliteConnection::connect(&url).await else {
        // Not a database we can open: nothing to protect, it is replaced.
        return Ok(());
    };
    sqlx::query("PRAGMA busy_timeout = 0").execute(&mut conn).await?;
    let mode: std::result::Result<String, _> = sqlx::query_scalar("PRAGMA journal_mode = DELETE").fetch_one(&mut conn).await;
    let _ = conn.close().await;
    match mode {
        Ok(m) if m.eq_ignore_ascii_case("delete") => Ok(()),
        Ok(_) => Err(BackupError::InUse),
        // SQLITE_BUSY / SQLITE_LOCKED: someone else has it open.
        Err(sqlx::Error::Database(d)) if matches!(d.code().as_deref(), Some("5" | "6")) => Err(BackupError::InUse),
        // Not a database (or a broken one): replacing it is the point of a restore.
        Err(_) => Ok(()),
    }
}

async fn restore_postgres(url: &str, file: &Path) -> std::result::Result<BackupInfo, BackupError> {
    let head = read_head(file)?;
    if !head.starts_with(b"PGDMP") {
        return Err(BackupError::NotAmbito(file.to_path_buf(), "non è un archivio pg_dump -Fc".into()));
    }
    let list = run_pg("pg_restore", url, &[std::ffi::OsStr::new("--list"), file.as_os_str()], false).await?;
    for needed in ["_sqlx_migrations", "data_revision"] {
        if !list.lines().any(|l| l.contains(" TABLE ") && l.split_whitespace().any(|w| w == needed)) {
            return Err(BackupError::NotAmbito(file.to_path_buf(), format!("manca la tabella {needed}")));
        }
    }
    run_pg(
        "pg_restore",
        url,
        &[
            "--clean".as_ref(),
            "--if-exists".as_ref(),
            "--no-owner".as_ref(),
            "--no-privileges".as_ref(),
            "--single-transaction".as_ref(),
            "--exit-on-error".as_ref(),
            file.as_os_str(),
        ],
        true,
    )
    .await?;
    let mut conn = sqlx::PgConnection::connect(url).await?;
    let version: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success").fetch_one(&mut conn).await?;
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    )
    .fetch_one(&mut conn)
    .await?;
    conn.close().await?;
    Ok(BackupInfo { schema_version: version.unwrap_or(0), tables: usize::try_from(tables).unwrap_or(0) })
}

async fn pg_dump(url: &str, out: &Path) -> std::result::Result<(), BackupError> {
    run_pg("pg_dump", url, &["--format=custom".as_ref(), "--no-owner".as_ref(), "--file".as_ref(), out.as_os_str()], true).await?;
    Ok(())
}

/// Runs a PostgreSQL client tool against `url`, passing the password through the environment.
async fn run_pg(tool: &'static str, url: &str, args: &[&std::ffi::OsStr], with_db: bool) -> std::result::Result<String, BackupError> {
    let (url, password) = split_password(url);
    let mut cmd = std::process::Command::new(tool);
    if with_db {
        cmd.arg(format!("--dbname={url}"));
    }
    cmd.args(args).stdin(std::process::Stdio::null());
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .map_err(|e| BackupError::Tool { tool, message: e.to_string() })?
        .map_err(|e| BackupError::Tool { tool, message: e.to_string() })?;
    if !out.status.success() {
        let message = String::from_utf8_lossy(&out.stderr).trim().to_string();
        return Err(BackupError::Tool { tool, message: if message.is_empty() { out.status.to_string() } else { message } });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `postgres://user:secret@host/db` → (`postgres://user@host/db`, `secret` percent-decoded).
fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else { return (url.to_string(), None) };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else { return (url.to_string(), None) };
    let Some((user, password)) = userinfo.split_once(':') else { return (url.to_string(), None) };
    (format!("{scheme}://{user}@{host}{tail}"), Some(percent_decode(password)))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(crate) fn sqlite_path(url: &str) -> &str {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    path.split('?').next().unwrap_or("")
}

fn read_head(file: &Path) -> std::result::Result<Vec<u8>, BackupError> {
    use std::io::Read;
    let mut head = vec![0; 16];
    let mut f = std::fs::File::open(file).map_err(io(file))?;
    let n = f.read(&mut head).map_err(io(file))?;
    head.truncate(n);
    Ok(head)
}

/// A temporary name in the same directory, so the final rename is atomic.
fn temp_sibling(file: &Path) -> std::result::Result<PathBuf, BackupError> {
    let name = file.file_name().ok_or_else(|| BackupError::NotAmbito(file.to_path_buf(), "nome di file mancante".into()))?;
    let mut tmp = name.to_os_string();
    tmp.push(format!(".tmp-{}", std::process::id()));
    Ok(file.with_file_name(tmp))
}

/// fsync the file, rename it into place, fsync the directory: after a crash either the old file
/// or the complete new one is there.
fn persist(tmp: &Path, file: &Path) -> std::result::Result<(), BackupError> {
    std::fs::File::open(tmp).and_then(|f| f.sync_all()).map_err(io(tmp))?;
    std::fs::rename(tmp, file).map_err(io(file))?;
    if let Some(dir) = file.parent() {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// Every table with every row, each value as an SQL literal, rows in a canonical order: two databases
/// hold the same data exactly when their dumps are equal.
pub async fn dump_all_tables(conn: &mut AnyConnection, backend: Backend) -> Result<String> {
    let tables: Vec<String> = match backend {
        Backend::Sqlite => sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"),
        Backend::Postgres => sqlx::query(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = current_schema() \
             AND table_type = 'BASE TABLE' ORDER BY table_name",
        ),
    }
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>(0))
    .collect::<std::result::Result<_, _>>()?;
    let mut out = String::new();
    for table in tables {
        let columns = table_columns(conn, backend, &table).await?;
        // SQL literals of every value, blobs included (`CAST(blob AS TEXT)` need not be UTF-8).
        let quote = if backend == Backend::Sqlite { "quote" } else { "quote_nullable" };
        let select = columns.iter().map(|c| format!("{quote}(\"{c}\")")).collect::<Vec<_>>().join(", ");
        let order = (1..=columns.len()).map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
        let sql = format!("SELECT {select} FROM \"{table}\" ORDER BY {order}");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *conn).await?;
        out.push_str(&format!("== {table} ({}) {} rows\n", columns.join(", "), rows.len()));
        for row in rows {
            let values: Vec<String> = (0..columns.len())
                .map(|i| row.try_get::<Option<String>, _>(i).map(|v| v.unwrap_or_else(|| "NULL".to_string())))
                .collect::<std::result::Result<_, _>>()?;
            out.push_str(&values.join("|"));
            out.push('\n');
        }
    }
    Ok(out)
}

async fn table_columns(conn: &mut AnyConnection, backend: Backend, table: &str) -> Result<Vec<String>> {
    let rows = match backend {
        Backend::Sqlite => sqlx::query("SELECT name FROM pragma_table_info($1) ORDER BY cid"),
        Backend::Postgres => sqlx::query(
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns WHERE table_schema = current_schema() \
             AND table_name = $1 ORDER BY ordinal_position",
        ),
    }
    .bind(table)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().map(|r| r.try_get::<String, _>(0)).collect::<std::result::Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_leaves_the_url() {
        assert_eq!(
            split_password("postgres://ambito:s%40greto@db.example:5432/ambito?sslmode=require"),
            ("postgres://ambito@db.example:5432/ambito?sslmode=require".to_string(), Some("s@greto".to_string()))
        );
        assert_eq!(split_password("postgres://postgres@127.0.0.1:5432/x"), ("postgres://postgres@127.0.0.1:5432/x".to_string(), None));
        assert_eq!(split_password("postgres:///x"), ("postgres:///x".to_string(), None));
    }

    #[test]
    fn temp_file_is_beside_the_target() {
        let t = temp_sibling(Path::new("/srv/ambito/backup.db")).unwrap();
        assert_eq!(t.parent(), Some(Path::new("/srv/ambito")));
        assert!(t.file_name().unwrap().to_string_lossy().starts_with("backup.db.tmp-"));
    }
}
