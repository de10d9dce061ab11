//! Importing a file from the browser: the same importers as the CLI, with every problem listed.

use super::{Layout, nav};
use ambito_app::import::ImportOutcome;
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
}

impl UploadPage {
    pub fn new(code: &str, name: &str, outcome: Option<ImportOutcome>) -> Self {
        let layout = Layout::new("Importa dati")
            .with_ambito(code, name)
            .with_active(nav::ATTIVITA)
            .crumb("Ambiti", Some("/"))
            .crumb(name, Some(&format!("/ambiti/{code}")))
            .crumb("Importa dati", None);
        let render = |p: &ambito_app::Problem| p.render(ambito_app::Lang::It);
        let errors = outcome.as_ref().map(|o| o.findings.errors.iter().map(render).collect()).unwrap_or_default();
        let warnings = outcome.as_ref().map(|o| o.findings.warnings.iter().map(render).collect()).unwrap_or_default();
        UploadPage { layout, code: code.into(), outcome, errors, warnings }
    }
}
