//! A running import: a progress bar, fed by `job-progress.js` from the job's JSON status; without
//! JavaScript the page refreshes itself every few seconds until the outcome is shown.

use super::{Layout, nav};
use askama::Template;
use askama_web::WebTemplate;

#[derive(Template, WebTemplate)]
#[template(path = "job.html")]
pub struct JobPage {
    pub layout: Layout,
    pub code: String,
    pub file: String,
    pub status_url: String,
    pub phase: String,
    pub done: u64,
    pub total: u64,
}

impl JobPage {
    pub fn new(code: &str, name: &str, file: &str, status_url: &str, phase: &str, done: u64, total: u64) -> Self {
        let layout = Layout::new("Importazione in corso")
            .with_ambito(code, name)
            .with_active(nav::ATTIVITA)
            .crumb("Ambiti", Some("/"))
            .crumb(name, Some(&format!("/ambiti/{code}")))
            .crumb("Importa dati", Some(&format!("/ambiti/{code}/importa")))
            .crumb("Importazione in corso", None);
        JobPage { layout, code: code.into(), file: file.into(), status_url: status_url.into(), phase: phase.into(), done, total }
    }

    /// The bar's maximum: at least 1, so an unknown total shows an empty bar, not a full one.
    pub fn max(&self) -> u64 {
        self.total.max(1)
    }
}
