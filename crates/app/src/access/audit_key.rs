//! Where the audit chain's key comes from. It must live outside the database: whoever can write
//! the database but cannot read the key can no longer rewrite the log and recompute its links.
//!
//! 1. `AMBITO_AUDIT_KEY`: the key itself (at least 32 characters, e.g. `openssl rand -hex 32`);
//! 2. `AMBITO_AUDIT_KEY_FILE`: a file holding it (trailing whitespace ignored), which must exist;
//! 3. otherwise `audit.key` in the data directory (beside a SQLite database, `./data` for
//!    PostgreSQL), created with 64 random hex digits and mode 0600 on first use. This keeps the
//!    demo and the tests working with no setup; in production put the key on another volume or
//!    in a secret store and name it with 2., since a key beside the database protects only
//!    against someone who gets the database without the directory (a dump, a backup, SQL access).

use crate::{AppError, Result};
use ambito_domain::audit::{AuditKey, MIN_KEY_BYTES};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const KEY_ENV: &str = "AMBITO_AUDIT_KEY";
pub const KEY_FILE_ENV: &str = "AMBITO_AUDIT_KEY_FILE";
pub const DEFAULT_KEY_FILE: &str = "audit.key";

/// The key for the database at `database_url`, from the environment or the data directory.
pub fn resolve(database_url: &str) -> Result<AuditKey> {
    if let Some(text) = std::env::var(KEY_ENV).ok().filter(|v| !v.is_empty()) {
        return parse(text.trim().as_bytes(), KEY_ENV);
    }
    if let Some(path) = std::env::var_os(KEY_FILE_ENV).filter(|v| !v.is_empty()) {
        return read(Path::new(&path));
    }
    match default_path(database_url) {
        Some(path) => read_or_create(&path),
        // An in-memory database lives as long as the process: so may its key.
        None => Ok(random_key()?.1),
    }
}

/// `audit.key` in the data directory; `None` for an in-memory SQLite database.
pub fn default_path(database_url: &str) -> Option<PathBuf> {
    data_dir(database_url).map(|dir| dir.join(DEFAULT_KEY_FILE))
}

/// The data directory: beside a SQLite database, `./data` for PostgreSQL; `None` for an
/// in-memory SQLite database. The job queue's spool lives there too.
pub fn data_dir(database_url: &str) -> Option<PathBuf> {
    let Some(rest) = database_url.strip_prefix("sqlite:") else { return Some(PathBuf::from("data")) };
    let path = rest.trim_start_matches("//").split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    Some(Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf())
}

fn parse(bytes: &[u8], origin: &str) -> Result<AuditKey> {
    AuditKey::new(bytes.to_vec()).ok_or_else(|| {
        AppError::Internal(format!("chiave del registro di audit ({origin}) troppo corta: servono almeno {MIN_KEY_BYTES} caratteri"))
    })
}

fn read(path: &Path) -> Result<AuditKey> {
    let bytes = std::fs::read(path)
        .map_err(|e| AppError::Internal(format!("chiave del registro di audit non leggibile in {}: {e}", path.display())))?;
    warn_if_shared(path);
    parse(trim_end(&bytes), &path.display().to_string())
}

fn trim_end(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |i| i + 1);
    &bytes[..end]
}

#[cfg(unix)]
fn warn_if_shared(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(path = %path.display(), "the audit key file is readable by other users: chmod 600 it");
    }
}

#[cfg(not(unix))]
fn warn_if_shared(_: &Path) {}

fn random_key() -> Result<(String, AuditKey)> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("generatore casuale non disponibile: {e}")))?;
    let text: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let key = parse(text.as_bytes(), "generata")?;
    Ok((text, key))
}

/// Reads the key file, or creates it. Several processes may start at once (a server and a
/// command, parallel tests): the file is written aside and linked into place, which fails if
/// another process got there first, so every process ends up reading the same complete key.
fn read_or_create(path: &Path) -> Result<AuditKey> {
    if path.exists() {
        return read(path);
    }
    let fail = |e: std::io::Error| AppError::Internal(format!("impossibile creare la chiave del registro in {}: {e}", path.display()));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let (text, _) = random_key()?;
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let aside = path.with_extension(format!("tmp-{}-{nanos}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&aside).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.write_all(b"\n")?;
        f.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&aside, path));
    let _ = std::fs::remove_file(&aside);
    match linked {
        Ok(()) => tracing::warn!(
            path = %path.display(),
            "audit key generated beside the data: set {KEY_FILE_ENV} to keep it elsewhere, and keep a copy apart from the backups"
        ),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(fail(e)),
    }
    read(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_key_sits_in_the_data_directory() {
        assert_eq!(default_path("sqlite://data/ambito.db"), Some(PathBuf::from("data/audit.key")));
        assert_eq!(default_path("sqlite:///srv/ambito/db.sqlite?mode=rwc"), Some(PathBuf::from("/srv/ambito/audit.key")));
        assert_eq!(default_path("sqlite:ambito.db"), Some(PathBuf::from("./audit.key")));
        assert_eq!(default_path("sqlite::memory:"), None);
        assert_eq!(default_path("postgres://u@h/db"), Some(PathBuf::from("data/audit.key")));
    }

    #[test]
    fn a_created_key_is_private_stable_and_shared() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("sub/audit.key");
        let first = read_or_create(&path).expect("created");
        let again = read_or_create(&path).expect("read back");
        assert_eq!(first, again);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o600);
        }
        std::fs::write(dir.path().join("short.key"), "troppo corta\n").expect("write");
        assert!(read(&dir.path().join("short.key")).is_err());
        assert!(read(&dir.path().join("missing.key")).is_err());
    }
}
