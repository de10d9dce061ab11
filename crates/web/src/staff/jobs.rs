//! The pages of long imports, which run as jobs of the persisted queue (`ambito_app::jobs`).
//! Uploading a delivery file queues one and redirects to its page; the page shows a progress bar
//! that `job-progress.js` feeds from a JSON endpoint (rows done, rows/s, ETA) and, once the job
//! is over, the outcome. Without JavaScript the page refreshes itself. Both read the job's row
//! through `App`, so they answer from any server process and after a restart.

use crate::error::{WebError, WebResult};
use crate::views;
use ambito_app::App;
use ambito_app::jobs::{Job, JobKind, JobState, NewJob};
use ambito_domain::access::Perm;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Json, Response};
use serde::Serialize;

pub fn routes() -> crate::access::Routes {
    use crate::access::Policy;
    use crate::staff::reporting::UPLOAD;
    crate::access::Routes::new()
        .get("/ambiti/{code}/importa/lavori/{id}", Policy::Ambito(UPLOAD), "Avanzamento di un'importazione", job_page)
        .get("/api/v1/ambiti/{code}/lavori", Policy::Ambito(UPLOAD), "Importazioni recenti visibili al chiamante (JSON)", job_list)
        .get("/api/v1/ambiti/{code}/lavori/{id}", Policy::Ambito(UPLOAD), "Avanzamento di un'importazione (JSON)", job_status)
}

/// Whether the caller may follow `job`: its own, or any when the caller is not bound to a
/// provider (an ente gestore never sees another provider's upload and its errors).
fn visible(job: &Job) -> bool {
    let caller = crate::access::current();
    caller.user().is_some_and(|p| p.user_id == job.owner_user_id || p.providers_for(Perm::DeliveryImport, job.ambito_id).is_none())
}

/// A job of this Ambito that the caller may follow; any other is not found, not forbidden.
async fn job(app: &App, code: &str, id: i64) -> WebResult<Job> {
    let found = app.job(id).await?.filter(|j| j.ambito_code == code && visible(j));
    found.ok_or_else(|| WebError::NotFound(format!("lavoro {id} non trovato")))
}

/// How many of an Ambito's latest jobs the upload form lists.
const RECENT: i64 = 10;

/// The Ambito's latest jobs that the caller may follow, newest first.
pub async fn recent_for_caller(app: &App, code: &str) -> WebResult<Vec<Job>> {
    Ok(app.recent_jobs(Some(code), RECENT).await?.into_iter().filter(visible).collect())
}

/// Who starts an import, and for which providers it may report.
pub struct Uploader {
    pub ambito_id: i64,
    pub user_id: i64,
    pub providers: Option<std::collections::BTreeSet<String>>,
}

/// Queues the import of a spooled delivery file: the queue takes the file into its own spool
/// (and the upload's copy goes away with `upload`). Returns the job's id.
pub async fn start_delivery_import(app: &App, upload: crate::uploads::Spooled, by: Uploader) -> WebResult<i64> {
    let job = NewJob {
        kind: JobKind::DeliveryImport,
        ambito_id: by.ambito_id,
        owner_user_id: by.user_id,
        providers: by.providers,
        input: upload.path(),
        display_name: &upload.name,
    };
    Ok(app.enqueue_job(job).await?)
}

/// The job's URL, where the upload redirects.
pub fn page_url(code: &str, id: i64) -> String {
    format!("/ambiti/{}/importa/lavori/{id}", views::encode_segment(code))
}

#[derive(Serialize)]
struct Status {
    stato: &'static str,
    fase: String,
    righe: u64,
    totale: u64,
    righe_al_secondo: Option<u64>,
    secondi_alla_fine: Option<u64>,
    finito: bool,
    /// Whether the file was applied, once the job is over (`false` for a failed job too).
    applicato: Option<bool>,
    /// The reason of a failed job.
    errore: Option<String>,
}

fn status(job: &Job) -> Status {
    let over = job.state.is_over();
    Status {
        stato: job.state.code(),
        fase: job.phase.clone(),
        righe: job.rows_done,
        totale: job.rows_total,
        righe_al_secondo: job.pace.rows_per_second,
        secondi_alla_fine: job.pace.seconds_left,
        finito: over,
        applicato: over.then(|| job.import_outcome().is_some_and(|o| o.applied)),
        errore: job.failure.clone(),
    }
}

/// A job in the list of the upload page, as JSON.
#[derive(Serialize)]
struct Listed {
    id: i64,
    file: String,
    #[serde(flatten)]
    status: Status,
}

/// The JSON of the upload page's list: the Ambito's recent jobs the caller may follow.
async fn job_list(State(app): State<App>, Path(code): Path<String>) -> WebResult<Json<Vec<Listed>>> {
    let jobs = recent_for_caller(&app, &app.ambito(&code).await?.code).await?;
    Ok(Json(jobs.iter().map(|j| Listed { id: j.id, file: j.display_name.clone(), status: status(j) }).collect()))
}

async fn job_status(State(app): State<App>, Path((code, id)): Path<(String, i64)>) -> WebResult<Json<Status>> {
    Ok(Json(status(&job(&app, &code, id).await?)))
}

async fn job_page(State(app): State<App>, Path((code, id)): Path<(String, i64)>) -> WebResult<Response> {
    let ambito = app.ambito(&code).await?;
    let job = job(&app, &ambito.code, id).await?;
    match job.state {
        JobState::Done => {
            let outcome = job.import_outcome().ok_or_else(|| WebError::Internal(format!("job {id}: outcome unreadable")))?;
            let code = if outcome.applied { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            Ok((code, views::upload::UploadPage::new(&ambito.code, ambito.id, &ambito.name, Some(outcome))).into_response())
        }
        JobState::Failed => {
            // The reason is written for the user; the cause is in the log under the job's id.
            let reason = job.failure.unwrap_or_default();
            let page = views::home::ErrorPage::new("Importazione non riuscita", &format!("{}: {reason}", job.display_name));
            let body = askama::Template::render(&page).map_err(|e| WebError::Internal(e.to_string()))?;
            Ok((StatusCode::INTERNAL_SERVER_ERROR, Html(body)).into_response())
        }
        JobState::Queued | JobState::Running => {
            let page = views::job::JobPage::new(
                &ambito.code,
                &ambito.name,
                &job,
                &format!("/api/v1/ambiti/{}/lavori/{id}", views::encode_segment(&ambito.code)),
            );
            Ok(page.into_response())
        }
    }
}
