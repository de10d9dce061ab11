use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Transaction};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sql(sqlx::Error),
    /// A write that breaks a unique constraint (both backends): the row already exists. The
    /// constraint's name (or the database's message) is for the log, not for the user.
    #[error("already exists ({constraint})")]
    Conflict { constraint: String, source: sqlx::Error },
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL «{0}»: use sqlite:… or postgres://…")]
    UnsupportedUrl(String),
    #[error("stored value out of range: {0}")]
    Corrupt(String),
}

impl From<sqlx::Error> for StoreError {
    /// Typed by the database's error kind, never by its message.
    fn from(e: sqlx::Error) -> Self {
        match e.as_database_error() {
            Some(db) if db.kind() == sqlx::error::ErrorKind::UniqueViolation => {
                let constraint = db.constraint().map_or_else(|| db.message().to_string(), str::to_string);
                StoreError::Conflict { constraint, source: e }
            }
            _ => StoreError::Sql(e),
        }
    }
}

impl StoreError {
    /// Whether the write failed because the row already exists.
    pub fn is_conflict(&self) -> bool {
        matches!(self, StoreError::Conflict { .. })
    }
}

/// A pooled connection for reads.
pub type ReadConn = sqlx::pool::PoolConnection<sqlx::Any>;

#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// As given to [`Store::connect`]: backup and restore hand it to the backend's own tools.
    url: String,
}

pub type WriteTx = Transaction<'static, sqlx::Any>;

impl Store {
    /// Connects and brings the schema up to date. A SQLite file and its folder are created.
    pub async fn connect(url: &str) -> crate::Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        let original = url.to_string();
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url),
            Backend::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers work during an import; NORMAL sync in WAL mode still
                        // survives a process crash, which is the failure we guard against.
                        for pragma in [
                            "PRAGMA foreign_keys = ON",
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = NORMAL",
                            "PRAGMA busy_timeout = 10000",
                            // 64 MiB of page cache: imports touch large indexes and a small
                            // default cache turns them into disk seeks. Temporary b-trees (the
                            // sorts and distinct counts of the aggregates) stay on the default
                            // file store, spilling past the cache: in memory they grew with the
                            // Ambito's events (297 MiB for a 3-million-event file).
                            "PRAGMA cache_size = -65536",
                        ] {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        match backend {
            Backend::Sqlite => crate::migrations::SQLITE.run(&pool).await?,
            Backend::Postgres => crate::migrations::POSTGRES.run(&pool).await?,
        }
        Ok(Store { pool, backend, url: original })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A write transaction. On SQLite it takes the write lock up front (`BEGIN IMMEDIATE`), so two
    /// writers queue instead of failing when one of them upgrades a read lock.
    pub async fn write(&self) -> crate::Result<WriteTx> {
        let mut tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        // Committed or rolled back with the transaction's own changes.
        sqlx::query("UPDATE data_revision SET n = n + 1 WHERE id = 1").execute(&mut *tx).await?;
        Ok(tx)
    }

    /// A write transaction for data that no cached report depends on (sessions, audit, case
    /// records): it leaves the data revision alone so those caches stay warm.
    pub async fn write_untracked(&self) -> crate::Result<WriteTx> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// The data revision: it changes whenever any write transaction commits.
    pub async fn revision(&self) -> crate::Result<i64> {
        let row = sqlx::query("SELECT n FROM data_revision WHERE id = 1").fetch_one(&self.pool).await?;
        Ok(sqlx::Row::try_get(&row, 0)?)
    }

    /// A connection for reads outside a transaction.
    pub async fn read(&self) -> crate::Result<ReadConn> {
        Ok(self.pool.acquire().await?)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn prepare_sqlite_url(url: &str) -> String {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or("");
    if !path.is_empty()
        && path != ":memory:"
        && let Some(dir) = std::path::Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        let _ = std::fs::create_dir_all(dir);
    }
    if url.contains('?') { url.to_string() } else { format!("{url}?mode=rwc") }
}

/// Current instant as RFC 3339 UTC text; the database never supplies its own clock through Any.
pub fn now_text() -> String {
    let now = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}
