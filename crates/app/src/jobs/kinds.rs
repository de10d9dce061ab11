//! What each kind of job does. The queue stores a kind's code and hands its run the spooled
//! input and a progress sink; the run returns the outcome as JSON. A new kind (a case-record
//! export, a SIUSS flow) is a variant here and an arm in `run`, with nothing to change in the
//! queue, the worker or the table.

use crate::{App, AppError, Progress};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// A delivery file sent from the browser (`App::import_deliveries_named`).
    DeliveryImport,
}

impl JobKind {
    pub const ALL: [JobKind; 1] = [JobKind::DeliveryImport];

    /// The code stored in `job.kind`.
    pub fn code(self) -> &'static str {
        match self {
            JobKind::DeliveryImport => "delivery_import",
        }
    }

    pub fn from_code(code: &str) -> Option<JobKind> {
        JobKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// What the pages call it.
    pub fn label(self) -> &'static str {
        match self {
            JobKind::DeliveryImport => "Importazione delle consegne",
        }
    }
}

/// Runs one job of `kind` to its outcome (JSON). A file refused for its content is an outcome,
/// not an error: an error is the machinery failing, and the job fails with it.
pub(super) async fn run(app: &App, kind: JobKind, job: &super::Job, input: &Path, progress: &dyn Progress) -> Result<String, AppError> {
    match kind {
        JobKind::DeliveryImport => {
            let opts = crate::deliveries::DeliveryImport { ambito_code: &job.ambito_code, year: None, providers: job.providers.clone() };
            // Messages name the file as it was uploaded, never the spooled copy's path.
            let outcome = app.import_deliveries_named(input, &job.display_name, opts, progress).await?;
            serde_json::to_string(&outcome).map_err(|e| AppError::Invalid(format!("esito non serializzabile: {e}")))
        }
    }
}
