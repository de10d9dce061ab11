//! The documents of a person, the transfer form and the Ambito's transfers (issue 15, slice H3).

use super::{Layout, encode_segment};
use ambito_app::cases::documents::{FieldError, LINK_PURPOSES, PersonDocuments};
use ambito_app::cases::transfer::{AmbitoTransfers, TransferForm};
use ambito_domain::documents::DocumentKind;
use askama::Template;
use askama_web::WebTemplate;

fn person_layout(title: &str, code: &str, name: &str, person: i64, person_name: &str) -> Layout {
    let code_seg = encode_segment(code);
    Layout::new(title)
        .with_ambito(code, name)
        .crumb("Ambiti", Some("/"))
        .crumb(name, Some(&format!("/ambiti/{code_seg}")))
        .crumb("Persone", Some(&format!("/ambiti/{code_seg}/persone")))
        .crumb(person_name, Some(&format!("/ambiti/{code_seg}/persone/{person}")))
        .crumb(title, None)
}

/// The message of one field, for the page to show beside it.
fn message_of<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
}

pub fn kinds() -> Vec<(&'static str, &'static str)> {
    DocumentKind::ALL.iter().map(|k| (k.code(), k.label())).collect()
}

/// What the upload form sent, kept when it is shown again with its errors.
#[derive(Debug, Clone, Default)]
pub struct UploadValues {
    pub tipo: String,
    pub titolo: String,
    pub scadenza: String,
    pub sostituisce: String,
    pub visibile: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "person_documents.html")]
pub struct DocumentsPage {
    pub layout: Layout,
    pub code: String,
    pub docs: PersonDocuments,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub purposes: Vec<(&'static str, &'static str)>,
    pub errors: Vec<FieldError>,
    pub notice: Option<&'static str>,
    pub values: UploadValues,
}

impl DocumentsPage {
    pub fn new(
        code: &str,
        name: &str,
        docs: PersonDocuments,
        errors: Vec<FieldError>,
        notice: Option<&'static str>,
        values: UploadValues,
    ) -> Self {
        let who = format!("{} {}", docs.person.cognome, docs.person.nome);
        let layout = person_layout("Documenti", code, name, docs.person.id, &who);
        DocumentsPage { layout, code: encode_segment(code), docs, kinds: kinds(), purposes: LINK_PURPOSES.to_vec(), errors, notice, values }
    }

    pub fn err(&self, field: &str) -> Option<&str> {
        message_of(&self.errors, field)
    }
}

/// What the transfer form sent, kept when it is shown again with its errors.
#[derive(Debug, Clone, Default)]
pub struct ProposalValues {
    pub ambito: String,
    pub sintesi: String,
    pub consenso: bool,
    pub documento_consenso: String,
    pub documenti: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "transfer_form.html")]
pub struct TransferFormPage {
    pub layout: Layout,
    pub code: String,
    pub form: TransferForm,
    pub errors: Vec<FieldError>,
    pub values: ProposalValues,
    pub proposed: bool,
}

impl TransferFormPage {
    pub fn new(code: &str, name: &str, form: TransferForm, errors: Vec<FieldError>, values: ProposalValues, proposed: bool) -> Self {
        let who = format!("{} {}", form.person.cognome, form.person.nome);
        let layout = person_layout("Trasferimento ad altro Ambito", code, name, form.person.id, &who);
        TransferFormPage { layout, code: encode_segment(code), form, errors, values, proposed }
    }

    pub fn err(&self, field: &str) -> Option<&str> {
        message_of(&self.errors, field)
    }

    pub fn chosen(&self, id: &i64) -> bool {
        self.values.documenti.iter().any(|d| *d == id.to_string())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "transfers.html")]
pub struct TransfersPage {
    pub layout: Layout,
    pub code: String,
    pub list: AmbitoTransfers,
    pub errors: Vec<FieldError>,
    pub notice: Option<&'static str>,
}

impl TransfersPage {
    pub fn new(code: &str, name: &str, list: AmbitoTransfers, errors: Vec<FieldError>, notice: Option<&'static str>) -> Self {
        let layout = Layout::new("Trasferimenti tra Ambiti")
            .with_ambito(code, name)
            .crumb("Ambiti", Some("/"))
            .crumb(name, Some(&format!("/ambiti/{}", encode_segment(code))))
            .crumb("Trasferimenti", None);
        TransfersPage { layout, code: encode_segment(code), list, errors, notice }
    }
}
