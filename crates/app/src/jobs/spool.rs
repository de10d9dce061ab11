//! Job inputs on disk: `spool/` in the data directory (beside a SQLite database, `./data` for
//! PostgreSQL; a directory of this process under the temporary one for an in-memory database,
//! which a restart forgets anyway). Mode 0700 for the directory, 0600 for the files, named by a
//! random token that owes nothing to the uploaded name. A job's file is removed when it ends.

use crate::{AppError, Result};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

pub(super) fn directory(database_url: &str) -> PathBuf {
    match crate::access::audit_key::data_dir(database_url) {
        Some(dir) => dir.join("spool"),
        None => std::env::temp_dir().join(format!("ambito-spool-{}", std::process::id())),
    }
}

/// Moves `input` into the spool (a copy when it is on another file system); returns the name it
/// has there.
pub(super) async fn take(spool: &Path, input: &Path) -> Result<String> {
    let fail = |e: std::io::Error| AppError::Invalid(format!("impossibile conservare il file del lavoro: {e}"));
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(spool).map_err(fail)?;
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Invalid(format!("generatore casuale non disponibile: {e}")))?;
    let name: String = bytes.iter().map(|b| format!("{b:02x}")).chain([".input".to_string()]).collect();
    let target = spool.join(&name);
    if tokio::fs::rename(input, &target).await.is_err() {
        if let Err(e) = tokio::fs::copy(input, &target).await {
            let _ = tokio::fs::remove_file(&target).await;
            return Err(fail(e));
        }
        let _ = tokio::fs::remove_file(input).await;
    }
    tokio::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).await.map_err(fail)?;
    Ok(name)
}

pub(super) fn path(spool: &Path, name: &str) -> PathBuf {
    // Only a bare file name is ever stored; anything else would point out of the spool.
    spool.join(Path::new(name).file_name().unwrap_or_default())
}

pub(super) fn remove(spool: &Path, name: &str) {
    let _ = std::fs::remove_file(path(spool, name));
}
