//! A queued or running import: a progress bar, fed by `job-progress.js` from the job's JSON
//! status; without JavaScript the page refreshes itself every few seconds until the outcome is
//! shown, and the same rows, rows/s and estimated time left are written here.

use super::{Layout, nav};
use ambito_app::jobs::Job;
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
    /// Rows, rows/s and time left, as `job-progress.js` writes them.
    pub detail: String,
}

impl JobPage {
    pub fn new(code: &str, name: &str, job: &Job, status_url: &str) -> Self {
        let layout = Layout::new("Importazione in corso")
            .with_ambito(code, name)
            .with_active(nav::ATTIVITA)
            .crumb("Ambiti", Some("/"))
            .crumb(name, Some(&format!("/ambiti/{code}")))
            .crumb("Importa dati", Some(&format!("/ambiti/{code}/importa")))
            .crumb("Importazione in corso", None);
        JobPage {
            layout,
            code: code.into(),
            file: job.display_name.clone(),
            status_url: status_url.into(),
            phase: job.phase.clone(),
            done: job.rows_done,
            total: job.rows_total,
            detail: detail(job),
        }
    }

    /// The bar's maximum: at least 1, so an unknown total shows an empty bar, not a full one.
    pub fn max(&self) -> u64 {
        self.total.max(1)
    }
}

fn detail(job: &Job) -> String {
    if job.rows_total == 0 {
        let waiting = job.state == ambito_app::jobs::JobState::Queued;
        return if waiting { "in attesa di essere avviata".into() } else { "calcolo dei totali esatti…".into() };
    }
    let n = |v: u64| ambito_domain::format::it_count(rust_decimal::Decimal::from(v));
    let mut text = format!("{} di {} righe", n(job.rows_done), n(job.rows_total));
    if let Some(rate) = job.pace.rows_per_second {
        text.push_str(&format!(" · {} righe/s", n(rate)));
    }
    if let Some(left) = job.pace.seconds_left {
        let time = if left < 60 { format!("{left} s") } else { format!("{} min {} s", left / 60, left % 60) };
        text.push_str(&format!(" · fine stimata tra {time}"));
    }
    text
}
