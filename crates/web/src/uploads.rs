//! Uploaded files, spooled to disk as they arrive so that memory does not hold them.
//!
//! Each file goes into a directory of this process alone, created fresh (mode 0700) under the
//! system's temporary directory (`TMPDIR`), as a file of mode 0600 whose name owes nothing to
//! the uploaded one. A `Spooled` removes its file when dropped, at the end of the request; a
//! delivery upload's file is moved first into the job queue's spool in the data directory
//! (`ambito_app::jobs`), which keeps it until its job ends, across restarts.
//! A process killed in the middle leaves its directory behind; the next server to start removes
//! the directories of processes that are gone (`sweep`).

use crate::error::{WebError, WebResult};
use axum::extract::multipart::{Field, MultipartError};
use axum::http::StatusCode;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::io::AsyncWriteExt;

/// Largest request accepted with a file (the whole multipart body); a year of activity is a few
/// kilobytes, and delivery files bigger than this go through `ambito import deliveries`.
pub const UPLOAD_LIMIT: usize = 25 * 1024 * 1024;

const PREFIX: &str = "ambito-upload-";

/// An uploaded file on disk, removed when this is dropped.
#[derive(Debug)]
pub struct Spooled {
    path: PathBuf,
    /// The name the file was sent with: the only one messages show.
    pub name: String,
}

impl Spooled {
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub async fn read(&self) -> WebResult<Vec<u8>> {
        tokio::fs::read(&self.path).await.map_err(|e| WebError::Internal(format!("reading a spooled upload: {e}")))
    }
}

impl Drop for Spooled {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The refusal of a broken multipart body; 413 when it is over the route's body limit.
pub fn form_error(e: MultipartError) -> WebError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::TooLarge(format!("il file supera il limite di {} MiB", UPLOAD_LIMIT >> 20))
    } else {
        WebError::BadRequest(format!("modulo non valido: {}", e.body_text()))
    }
}

/// Writes the file of a multipart field to disk, chunk by chunk.
pub async fn spool(mut field: Field<'_>) -> WebResult<Spooled> {
    let internal = |e: std::io::Error| WebError::Internal(format!("spooling an upload: {e}"));
    let (spooled, file) = create(field.file_name().unwrap_or("file.csv")).map_err(internal)?;
    let mut out = tokio::fs::File::from_std(file);
    while let Some(chunk) = field.chunk().await.map_err(form_error)? {
        out.write_all(&chunk).await.map_err(internal)?;
    }
    out.flush().await.map_err(internal)?;
    Ok(spooled)
}

/// A new private file for an upload called `name`; from here on it is removed whatever happens.
fn create(name: &str) -> std::io::Result<(Spooled, std::fs::File)> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let path = directory()?.join(format!("{}.upload", NEXT.fetch_add(1, Ordering::Relaxed)));
    let file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&path)?;
    Ok((Spooled { path, name: name.to_string() }, file))
}

/// This process's upload directory, created on first use (and again if a cleaner removed it).
fn directory() -> std::io::Result<PathBuf> {
    static DIR: Mutex<Option<PathBuf>> = Mutex::new(None);
    let mut dir = DIR.lock().map_err(|_| std::io::Error::other("upload directory lock poisoned"))?;
    if let Some(d) = dir.as_ref().filter(|d| d.is_dir()) {
        return Ok(d.clone());
    }
    let base = std::env::temp_dir();
    let mut attempt = 0u32;
    loop {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let candidate = base.join(format!("{PREFIX}{}-{:08x}", std::process::id(), nanos ^ attempt));
        // `create` fails on anything already there, a planted symlink included.
        match std::fs::DirBuilder::new().mode(0o700).create(&candidate) {
            Ok(()) => {
                *dir = Some(candidate.clone());
                return Ok(candidate);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(e),
        }
    }
}

/// Removes the upload directories of processes that no longer run (Linux: seen in `/proc`).
pub fn sweep() {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(PREFIX)).and_then(|rest| rest.split('-').next()?.parse::<u32>().ok())
        else {
            continue;
        };
        let gone = pid != std::process::id() && !Path::new("/proc").join(pid.to_string()).exists();
        if gone && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The answer to a multipart field the API does not define.
pub fn unknown_field(name: Option<&str>) -> WebError {
    WebError::BadRequest(format!("campo «{}» non previsto", name.unwrap_or_default()))
}

/// What to do with a multipart field an upload form does not define.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OtherFields {
    /// The page's form: a browser may add fields of its own.
    Ignore,
    /// The API: a client that sends a field it thinks matters is told it does not.
    Refuse,
}

/// The upload form (`tipo` and `file`), the file spooled to disk as it arrives; removed when the
/// `Spooled` is dropped, unless a job takes it into its spool.
pub async fn read_upload_form(form: &mut axum::extract::Multipart, others: OtherFields) -> WebResult<(String, Option<Spooled>)> {
    let (mut kind, mut file) = (String::new(), None);
    while let Some(field) = form.next_field().await.map_err(form_error)? {
        match field.name() {
            Some("tipo") => kind = field.text().await.map_err(form_error)?,
            Some("file") => file = Some(spool(field).await?),
            other if others == OtherFields::Refuse => return Err(unknown_field(other)),
            _ => {}
        }
    }
    Ok((kind, file))
}

/// What became of an uploaded file: imported at once, or queued as a job (delivery files).
pub enum Uploaded {
    Imported(ambito_app::intake::ImportOutcome),
    Queued(i64),
}

/// Imports an uploaded file of `kind` into `ambito` for the caller: the one path the upload page
/// and the API share. Each kind needs its own permission (the routes admit any upload
/// permission); delivery files run as a job, bound to the providers the caller may report for.
pub async fn import_upload(
    app: &ambito_app::App,
    ambito: &ambito_app::rows::AmbitoRow,
    kind: ambito_domain::access::UploadKind,
    file: Spooled,
) -> WebResult<Uploaded> {
    use ambito_domain::access::{Perm, UploadKind};
    let caller = crate::access::current();
    let Some(principal) = caller.user().filter(|p| p.may(kind.permission(), Some(ambito.id))) else { return Err(WebError::Forbidden) };
    Ok(match kind {
        UploadKind::Activity => {
            let opts = ambito_app::reporting::import::activity::ActivityImport { ambito_code: &ambito.code, new_ambito_name: None };
            Uploaded::Imported(app.import_activity(&file.name, &file.read().await?, opts, &ambito_app::NoProgress).await?)
        }
        UploadKind::Budget => {
            Uploaded::Imported(app.import_budget(&file.name, &file.read().await?, &ambito.code, &ambito_app::NoProgress).await?)
        }
        UploadKind::Deliveries => {
            let uploader = crate::staff::jobs::Uploader {
                ambito_id: ambito.id,
                user_id: principal.user_id,
                providers: principal.providers_for(Perm::DeliveryImport, ambito.id),
            };
            Uploaded::Queued(crate::staff::jobs::start_delivery_import(app, file, uploader).await?)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_spooled_file_is_private_and_goes_away_with_its_owner() {
        let (spooled, _file) = create("consegne 2025.csv").expect("create");
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        let (path, dir) = (spooled.path().to_path_buf(), spooled.path().parent().expect("dir").to_path_buf());
        assert_eq!((mode(&path), mode(&dir)), (0o600, 0o700));
        assert!(path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(".upload")), "no part of the sent name");
        drop(spooled);
        assert!(!path.exists(), "removed on drop");
        let _ = std::fs::remove_dir(dir);
    }
}
