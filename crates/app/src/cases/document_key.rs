//! Documents at rest (GDPR art. 32): AES-256-GCM under a key from outside the database, and the
//! content address (SHA-256 of the plaintext).
//!
//! Where the key comes from:
//! 1. `AMBITO_DOCUMENT_KEY`: 64 hex digits (`openssl rand -hex 32`); anything else is an error;
//! 2. otherwise `document.key` in the data directory (beside a SQLite database, `./data` for
//!    PostgreSQL), created with 64 random hex digits and mode 0600 on first use, as the audit key
//!    is. This keeps the demo and the tests working with no setup. A key beside the database
//!    protects a dump, a backup or SQL access, not a copy of the whole directory: production sets
//!    the variable, and `ambito serve` without `--demo` warns when it is unset ([`warn_if_default`]).
//!
//! A generated key file is chosen over a key derived from the data directory's path: a derived
//! key would be computable by anyone who knows the path, which is no key at all.

use crate::{AppError, Result};
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

pub const KEY_ENV: &str = "AMBITO_DOCUMENT_KEY";
pub const DEFAULT_KEY_FILE: &str = "document.key";
const NONCE_BYTES: usize = 12;

/// The 256-bit key. Never printed: `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct DocumentKey([u8; 32]);

impl std::fmt::Debug for DocumentKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DocumentKey(…)")
    }
}

impl DocumentKey {
    /// 64 hex digits (surrounding whitespace ignored).
    pub fn from_hex(text: &str) -> Option<DocumentKey> {
        let t = text.trim();
        if t.len() != 64 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut key = [0u8; 32];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = u8::from_str_radix(t.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(DocumentKey(key))
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(&aes_gcm::Key::<Aes256Gcm>::from(self.0))
    }

    /// `nonce || ciphertext+tag`, with a fresh random nonce per content.
    pub fn seal(&self, plaintext: &[u8]) -> Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).map_err(|e| AppError::Internal(format!("generatore casuale non disponibile: {e}")))?;
        let sealed = self
            .cipher()
            .encrypt(&Nonce::from(nonce), plaintext)
            .map_err(|_| AppError::Internal("cifratura del documento non riuscita".into()))?;
        let mut out = Vec::with_capacity(NONCE_BYTES + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// The plaintext back; an error when the bytes were altered or the key is another.
    pub fn open(&self, stored: &[u8]) -> Result<Vec<u8>> {
        let (nonce, sealed) =
            stored.split_at_checked(NONCE_BYTES).ok_or_else(|| AppError::Internal("documento cifrato troncato".into()))?;
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| AppError::Internal("documento cifrato troncato".into()))?;
        self.cipher().decrypt(&Nonce::from(nonce), sealed).map_err(|_| {
            AppError::Internal(format!("documento non decifrabile: contenuto alterato o chiave ({KEY_ENV}) diversa da quella usata"))
        })
    }
}

/// The content address: SHA-256 of the plaintext, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The key for the database at `database_url`.
pub fn resolve(database_url: &str) -> Result<DocumentKey> {
    if let Some(text) = std::env::var(KEY_ENV).ok().filter(|v| !v.trim().is_empty()) {
        return DocumentKey::from_hex(&text).ok_or_else(|| AppError::Internal(format!("{KEY_ENV} deve contenere 64 cifre esadecimali")));
    }
    match crate::access::audit_key::data_dir(database_url) {
        Some(dir) => read_or_create(&dir.join(DEFAULT_KEY_FILE)),
        // An in-memory database lives as long as the process: so may its key.
        None => Ok(process_key()?.clone()),
    }
}

/// At `serve` outside the demo: a key beside the data is a demo's key, say so in the log. Not a
/// refusal, because every existing deployment and test starts without the variable.
pub fn warn_if_default() {
    if std::env::var(KEY_ENV).ok().is_none_or(|v| v.trim().is_empty()) {
        tracing::warn!(
            "{KEY_ENV} is not set: documents are encrypted with the key file beside the data ({DEFAULT_KEY_FILE}); set it in production"
        );
    }
}

fn process_key() -> Result<&'static DocumentKey> {
    static KEY: std::sync::OnceLock<DocumentKey> = std::sync::OnceLock::new();
    if let Some(k) = KEY.get() {
        return Ok(k);
    }
    let key = DocumentKey(random_bytes()?);
    Ok(KEY.get_or_init(|| key))
}

fn random_bytes() -> Result<[u8; 32]> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("generatore casuale non disponibile: {e}")))?;
    Ok(bytes)
}

fn read(path: &Path) -> Result<DocumentKey> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| AppError::Internal(format!("chiave dei documenti non leggibile in {}: {e}", path.display())))?;
    DocumentKey::from_hex(&text).ok_or_else(|| AppError::Internal(format!("chiave dei documenti non valida in {}", path.display())))
}

/// Reads the key file, or creates it: written aside and hard-linked into place, so processes
/// starting together all end up with the same complete key (as `access::audit_key` does).
fn read_or_create(path: &Path) -> Result<DocumentKey> {
    if path.exists() {
        return read(path);
    }
    let fail = |e: std::io::Error| AppError::Internal(format!("impossibile creare la chiave dei documenti in {}: {e}", path.display()));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let text: String = random_bytes()?.iter().map(|b| format!("{b:02x}")).collect();
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
        Ok(()) => tracing::warn!(path = %path.display(), "document key generated beside the data: set {KEY_ENV} in production"),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(fail(e)),
    }
    read(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_content_opens_only_with_its_key_and_unaltered() {
        let key = DocumentKey::from_hex(&"ab".repeat(32)).unwrap();
        let sealed = key.seal(b"%PDF-1.7 certificato").unwrap();
        assert!(!sealed.windows(9).any(|w| w == b"%PDF-1.7 "), "no plaintext at rest");
        assert_eq!(key.open(&sealed).unwrap(), b"%PDF-1.7 certificato");
        assert_ne!(key.seal(b"%PDF-1.7 certificato").unwrap(), sealed, "a fresh nonce each time");
        let other = DocumentKey::from_hex(&"cd".repeat(32)).unwrap();
        assert!(other.open(&sealed).is_err());
        let mut altered = sealed.clone();
        *altered.last_mut().unwrap() ^= 1;
        assert!(key.open(&altered).is_err() && key.open(&sealed[..5]).is_err());
        assert_eq!(format!("{key:?}"), "DocumentKey(…)");
    }

    #[test]
    fn keys_are_64_hex_digits_and_a_created_file_is_stable_and_private() {
        assert!(DocumentKey::from_hex(&"0".repeat(63)).is_none() && DocumentKey::from_hex(&"g".repeat(64)).is_none());
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join(DEFAULT_KEY_FILE);
        assert_eq!(read_or_create(&path).unwrap(), read_or_create(&path).unwrap());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
