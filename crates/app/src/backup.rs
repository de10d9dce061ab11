//! `ambito backup` / `ambito restore`: a consistent copy of the whole database, and its return.
//!
//! Backup runs beside a live server. Restore replaces everything, so the server must be stopped
//! first (SQLite refuses a database another process holds open; on PostgreSQL a running server
//! would keep serving pages cached for the data it had before). See `Store::backup_to` and
//! `ambito_store::restore` for the per-backend mechanics.

use crate::{App, AppError, Result};
use ambito_store::{BackupError, BackupInfo, Store};
use std::path::Path;

/// What a restore put in place, checked by reopening it with this program.
#[derive(Debug, Clone)]
pub struct Restored {
    pub info: BackupInfo,
    /// The data revision after reopening (migrations newer than the backup applied).
    pub revision: i64,
}

impl From<BackupError> for AppError {
    fn from(e: BackupError) -> Self {
        match e {
            BackupError::Store(s) => AppError::Store(s),
            // The operator's to fix: another file name, a real backup, a newer program, a stopped server.
            e @ (BackupError::Exists(_) | BackupError::NotAmbito(..) | BackupError::TooNew(..) | BackupError::InUse) => {
                AppError::Invalid(e.to_string())
            }
            e @ (BackupError::Io { .. } | BackupError::Tool { .. }) => AppError::Internal(e.to_string()),
        }
    }
}

impl App {
    /// Writes a consistent copy of the database to `file` (which must not exist).
    pub async fn backup(&self, file: &Path) -> Result<u64> {
        self.store.backup_to(file).await?;
        Ok(std::fs::metadata(file).map(|m| m.len()).unwrap_or(0))
    }
}

/// Replaces the database at `url` with the backup `file`, then opens it (bringing the schema up
/// to date) to prove it works.
pub async fn restore(url: &str, file: &Path) -> Result<Restored> {
    let info = ambito_store::restore(url, file).await?;
    let store = Store::connect(url).await?;
    let revision = store.revision().await?;
    store.close().await;
    Ok(Restored { info, revision })
}
