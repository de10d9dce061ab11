//! Importing a file from the browser: the same importers as the CLI, with every problem listed.

use super::{Layout, nav};
use ambito_app::intake::ImportOutcome;
use ambito_domain::access::{Perm, UploadKind};
use askama::Template;
use askama_web::WebTemplate;

#[derive(Template, WebTemplate)]
#[template(path = "upload.html")]
pub struct UploadPage {
    pub layout: Layout,
    pub code: String,
    pub outcome: Option<ImportOutcome>,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    /// The kinds of file this caller may upload here: (form value, label).
    pub kinds: Vec<(&'static str, &'static str)>,
    /// For an ente gestore: the providers whose deliveries it may send.
    pub own_providers: Option<String>,
    /// The Ambito's latest jobs this caller may follow (on the form only).
    pub recent_jobs: Vec<JobLine>,
}

/// One row of the recent jobs: link, file, state and how it ended.
pub struct JobLine {
    pub url: String,
    pub file: String,
    pub state: &'static str,
    pub outcome: String,
}

impl JobLine {
    pub fn new(code: &str, job: &ambito_app::jobs::Job) -> JobLine {
        use ambito_app::jobs::JobState;
        let state = match job.state {
            JobState::Queued => "in coda",
            JobState::Running => "in corso",
            JobState::Done => "finito",
            JobState::Failed => "non riuscito",
        };
        let outcome = match (job.import_outcome(), &job.failure) {
            (Some(o), _) if o.applied => format!("{} righe importate", o.rows),
            (Some(o), _) => format!("{} errori, nessuna modifica applicata", o.findings.errors.len()),
            (None, Some(reason)) => reason.clone(),
            (None, None) => format!("{}: {} di {} righe", job.phase, job.rows_done, job.rows_total),
        };
        JobLine { url: crate::staff::jobs::page_url(code, job.id), file: job.display_name.clone(), state, outcome }
    }
}

impl UploadPage {
    pub fn with_jobs(mut self, jobs: Vec<JobLine>) -> Self {
        self.recent_jobs = jobs;
        self
    }

    pub fn new(code: &str, ambito_id: i64, name: &str, outcome: Option<ImportOutcome>) -> Self {
        // Offer only what the upload would accept from this caller.
        let caller = crate::access::current();
        let may = |perm: Perm| caller.user().is_some_and(|p| p.may(perm, Some(ambito_id)));
        let kinds = caller
            .user()
            .map(|p| UploadKind::allowed(p, ambito_id))
            .unwrap_or_default()
            .into_iter()
            .map(|k| (k.code(), k.label()))
            .collect();
        let own_providers = caller
            .user()
            .filter(|_| may(Perm::DeliveryImport))
            .and_then(|p| p.providers_for(Perm::DeliveryImport, ambito_id))
            .map(|set| set.into_iter().collect::<Vec<_>>().join(", "));
        let layout = Layout::new("Importa dati")
            .with_ambito(code, name)
            .with_active(nav::ATTIVITA)
            .crumb("Ambiti", Some("/"))
            .crumb(name, Some(&format!("/ambiti/{code}")))
            .crumb("Importa dati", None);
        let render = |p: &ambito_app::Problem| p.render(ambito_app::Lang::It);
        let errors = outcome.as_ref().map(|o| o.findings.errors.iter().map(render).collect()).unwrap_or_default();
        let warnings = outcome.as_ref().map(|o| o.findings.warnings.iter().map(render).collect()).unwrap_or_default();
        UploadPage { layout, code: code.into(), outcome, errors, warnings, kinds, own_providers, recent_jobs: Vec::new() }
    }
}
