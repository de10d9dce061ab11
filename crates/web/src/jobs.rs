//! Long imports run as jobs. Uploading a delivery file starts one and redirects to its page; the
//! page shows a progress bar that `job-progress.js` feeds from a JSON endpoint (rows done, rows/s,
//! ETA) and, once the job is over, the outcome. Without JavaScript the page refreshes itself.
//! Jobs live in this process's memory: the last `KEPT` are kept, a restart forgets them.

use crate::error::{WebError, WebResult};
use crate::views;
use ambito_app::intake::ImportOutcome;
use ambito_app::{App, Progress};
use ambito_domain::access::Perm;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Instant;

const KEPT: usize = 64;

pub fn routes() -> crate::access::Routes {
    use crate::access::Policy;
    use crate::routes::UPLOAD;
    crate::access::Routes::new()
        .get("/ambiti/{code}/importa/lavori/{id}", Policy::Ambito(UPLOAD), "Avanzamento di un'importazione", job_page)
        .get("/api/v1/ambiti/{code}/lavori/{id}", Policy::Ambito(UPLOAD), "Avanzamento di un'importazione (JSON)", job_status)
}

/// One running or finished import.
pub struct Job {
    ambito: String,
    ambito_id: i64,
    /// Who uploaded the file, and the providers it may report for (`None`: any).
    owner: i64,
    providers: Option<std::collections::BTreeSet<String>>,
    file: String,
    progress: JobProgress,
    outcome: Mutex<Option<Result<ImportOutcome, String>>>,
}

/// Progress as the importer reports it, readable from any request.
struct JobProgress {
    phase: Mutex<(String, Instant)>,
    total: AtomicU64,
    done: AtomicU64,
}

impl Progress for JobProgress {
    fn start(&self, phase: &str, total: u64) {
        if let Ok(mut p) = self.phase.lock() {
            *p = (phase.to_string(), Instant::now());
        }
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
    }
    fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }
    fn finish(&self) {}
}

/// The last id handed out, and the jobs by id.
type Registry = (u64, BTreeMap<u64, Arc<Job>>);

static JOBS: LazyLock<Mutex<Registry>> = LazyLock::new(|| Mutex::new((0, BTreeMap::new())));

/// A job of this Ambito that the caller may follow: its own, or any when the caller is not bound
/// to a provider (an ente gestore never sees another provider's upload and its errors).
fn job(code: &str, id: u64) -> WebResult<Arc<Job>> {
    let jobs = JOBS.lock().map_err(|_| WebError::Internal("registro dei lavori non disponibile".into()))?;
    let found = jobs.1.get(&id).filter(|j| j.ambito == code).cloned();
    let caller = crate::access::current();
    let visible =
        |j: &Job| caller.user().is_some_and(|p| p.user_id == j.owner || p.providers_for(Perm::DeliveryImport, j.ambito_id).is_none());
    found.filter(|j| visible(j)).ok_or_else(|| WebError::NotFound(format!("lavoro {id} non trovato")))
}

/// Who starts an import, and for which providers it may report.
pub struct Uploader {
    pub ambito_id: i64,
    pub user_id: i64,
    pub providers: Option<std::collections::BTreeSet<String>>,
}

/// Starts importing a spooled delivery file in the background; the file is removed when the job
/// ends, however it ends. Returns the job's id.
pub fn start_delivery_import(app: App, ambito: &str, upload: crate::uploads::Spooled, by: Uploader) -> u64 {
    let job = Arc::new(Job {
        ambito: ambito.to_string(),
        ambito_id: by.ambito_id,
        owner: by.user_id,
        providers: by.providers,
        file: upload.name.clone(),
        progress: JobProgress { phase: Mutex::new(("in coda".into(), Instant::now())), total: AtomicU64::new(0), done: AtomicU64::new(0) },
        outcome: Mutex::new(None),
    });
    let id = match JOBS.lock() {
        Ok(mut jobs) => {
            jobs.0 += 1;
            let id = jobs.0;
            jobs.1.insert(id, job.clone());
            while jobs.1.len() > KEPT {
                jobs.1.pop_first();
            }
            id
        }
        Err(_) => 0,
    };
    tokio::spawn(async move {
        let opts = ambito_app::deliveries::DeliveryImport { ambito_code: &job.ambito, year: None, providers: job.providers.clone() };
        // Messages name the file as it was uploaded, never the spooled copy's path.
        let result = app.import_deliveries_named(upload.path(), &job.file, opts, &job.progress).await;
        drop(upload);
        let result = result.map_err(|e| e.to_string());
        if let Ok(mut slot) = job.outcome.lock() {
            *slot = Some(result);
        }
    });
    id
}

/// The job's URL, where the upload redirects.
pub fn page_url(code: &str, id: u64) -> String {
    format!("/ambiti/{}/importa/lavori/{id}", views::encode_segment(code))
}

#[derive(Serialize)]
struct Status {
    fase: String,
    righe: u64,
    totale: u64,
    righe_al_secondo: Option<u64>,
    secondi_alla_fine: Option<u64>,
    finito: bool,
    applicato: Option<bool>,
}

fn status(job: &Job) -> Status {
    let (fase, since) = job.progress.phase.lock().map(|p| p.clone()).unwrap_or_else(|_| (String::new(), Instant::now()));
    let (done, total) = (job.progress.done.load(Ordering::Relaxed), job.progress.total.load(Ordering::Relaxed));
    let seconds = since.elapsed().as_secs_f64();
    let rate = (seconds > 0.5 && done > 0).then(|| done as f64 / seconds);
    let outcome = job.outcome.lock().ok().and_then(|o| o.as_ref().map(|r| r.as_ref().map(|o| o.applied).unwrap_or(false)));
    Status {
        fase,
        righe: done,
        totale: total,
        righe_al_secondo: rate.map(|r| r.round() as u64),
        secondi_alla_fine: rate.filter(|_| total > done).map(|r| ((total - done) as f64 / r).ceil() as u64),
        finito: outcome.is_some(),
        applicato: outcome,
    }
}

async fn job_status(Path((code, id)): Path<(String, u64)>) -> WebResult<Json<Status>> {
    Ok(Json(status(&*job(&code, id)?)))
}

async fn job_page(State(app): State<App>, Path((code, id)): Path<(String, u64)>) -> WebResult<Response> {
    let ambito = app.ambito(&code).await?;
    let job = job(&ambito.code, id)?;
    let finished = job.outcome.lock().ok().and_then(|o| o.clone());
    match finished {
        Some(Ok(outcome)) => {
            let code = if outcome.applied { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            Ok((code, views::upload::UploadPage::new(&ambito.code, ambito.id, &ambito.name, Some(outcome))).into_response())
        }
        Some(Err(cause)) => Err(WebError::Internal(cause)),
        None => {
            let s = status(&job);
            let page = views::job::JobPage::new(
                &ambito.code,
                &ambito.name,
                &job.file,
                &format!("/api/v1/ambiti/{}/lavori/{id}", views::encode_segment(&ambito.code)),
                &s.fase,
                s.righe,
                s.totale,
            );
            Ok(page.into_response())
        }
    }
}
