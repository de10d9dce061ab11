//! Case-record pages: the person's record, registration, the front-desk log and the work list.

use super::{Layout, encode_segment};
use ambito_app::cases::record::CaseRecord;
use ambito_app::cases::search::PersonHit;
use ambito_app::cases::worklist::WorkList;
use ambito_app::rows::PersonRow;
use ambito_domain::case_record::{self as rules, FieldError, Vocabulary};
use askama::Template;
use askama_web::WebTemplate;
use std::collections::BTreeMap;

fn ambito_layout(title: &str, code: &str, name: &str, active: &'static str) -> Layout {
    Layout::new(title)
        .with_ambito(code, name)
        .with_active(active)
        .crumb("Ambiti", Some("/"))
        .crumb(name, Some(&format!("/ambiti/{}", encode_segment(code))))
}

/// What a failed form sends back: which form, its errors by field and the values typed.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    pub form: String,
    pub errors: Vec<FieldError>,
    pub values: BTreeMap<String, String>,
}

impl FormState {
    pub fn new(form: &str, errors: Vec<FieldError>, values: BTreeMap<String, String>) -> FormState {
        FormState { form: form.to_string(), errors, values }
    }

    /// The error of `field` in form `form`, if any.
    pub fn error(&self, form: &str, field: &str) -> Option<String> {
        (self.form == form).then(|| self.errors.iter().find(|e| e.field == field).map(|e| e.message.clone())).flatten()
    }

    /// The value typed in `field` of form `form`, to put back.
    pub fn value(&self, form: &str, field: &str) -> String {
        if self.form == form { self.values.get(field).cloned().unwrap_or_default() } else { String::new() }
    }

    pub fn failed(&self, form: &str) -> bool {
        self.form == form && !self.errors.is_empty()
    }
}

const IDENTITY: Vocabulary = &[
    ("cf", "Codice fiscale"),
    ("stp", "STP (straniero temporaneamente presente)"),
    ("eni", "ENI (europeo non iscritto)"),
    ("temp", "Codice provvisorio interno"),
];

/// The vocabularies the forms offer, by name.
pub struct Lists;

impl Lists {
    pub fn get(&self, name: &str) -> Vocabulary {
        match name {
            "sesso" => rules::SEX,
            "identita" => IDENTITY,
            "indirizzo" => rules::ADDRESS_KINDS,
            "canale" => rules::CHANNELS,
            "richiedente" => rules::REQUESTERS,
            "area" => rules::NEED_AREAS,
            "esito" => rules::OUTCOMES,
            "tipo_voce" => rules::ENTRY_TYPES,
            "relazione" => rules::RELATIONS,
            "tutela" => rules::LEGAL_KINDS,
            "consenso" => rules::CONSENT_KINDS,
            "invalidita" => rules::DISABILITY_KINDS,
            "chiusura" => rules::CLOSURE_REASONS,
            "esito_chiusura" => rules::CLOSURE_OUTCOMES,
            "riservatezza" => ambito_app::access::NOTE_KINDS,
            _ => &[],
        }
    }

    pub fn label(&self, name: &str, code: &str) -> String {
        rules::label_of(self.get(name), code).unwrap_or(code).to_string()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/record.html")]
pub struct RecordPage {
    pub layout: Layout,
    pub code: String,
    pub view: CaseRecord,
    pub may_export: bool,
    pub break_glass: bool,
    pub form: FormState,
    pub lists: Lists,
    pub today: String,
}

impl RecordPage {
    pub fn new(code: &str, name: &str, r: CaseRecord, may_export: bool, break_glass: bool, form: FormState, today: String) -> RecordPage {
        let title = format!("{} {}", r.person.cognome, r.person.nome);
        let layout = ambito_layout(&title, code, name, super::nav::PERSONE)
            .crumb("Persone", Some(&format!("/ambiti/{}/persone", encode_segment(code))))
            .crumb(&title, None);
        RecordPage { layout, code: encode_segment(code), view: r, may_export, break_glass, form, lists: Lists, today }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/search.html")]
pub struct SearchPage {
    pub layout: Layout,
    pub code: String,
    pub query: String,
    pub hits: Vec<PersonHit>,
    pub persons: Vec<PersonRow>,
    pub may_register: bool,
    pub searched: bool,
}

impl SearchPage {
    pub fn new(
        code: &str,
        name: &str,
        query: String,
        hits: Vec<PersonHit>,
        persons: Vec<PersonRow>,
        may_register: bool,
        searched: bool,
    ) -> SearchPage {
        let layout = ambito_layout("Persone", code, name, super::nav::PERSONE).crumb("Persone", None);
        SearchPage { layout, code: encode_segment(code), query, hits, persons, may_register, searched }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/register.html")]
pub struct RegisterPage {
    pub layout: Layout,
    pub code: String,
    pub form: FormState,
    pub lists: Lists,
}

impl RegisterPage {
    pub fn new(code: &str, name: &str, form: FormState) -> RegisterPage {
        let layout = ambito_layout("Nuova persona", code, name, super::nav::PERSONE)
            .crumb("Persone", Some(&format!("/ambiti/{}/persone", encode_segment(code))))
            .crumb("Nuova persona", None);
        RegisterPage { layout, code: encode_segment(code), form, lists: Lists }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/contacts.html")]
pub struct ContactsPage {
    pub layout: Layout,
    pub code: String,
    pub contacts: Vec<ambito_app::rows::ContactRow>,
    pub services: Vec<(String, String)>,
    pub may_write: bool,
    pub form: FormState,
    pub lists: Lists,
    pub today: String,
}

impl ContactsPage {
    pub fn new(
        code: &str,
        name: &str,
        contacts: Vec<ambito_app::rows::ContactRow>,
        services: Vec<(String, String)>,
        may_write: bool,
        form: FormState,
        today: String,
    ) -> ContactsPage {
        let layout = ambito_layout("Accessi e contatti", code, name, super::nav::ACCESSI).crumb("Accessi", None);
        ContactsPage { layout, code: encode_segment(code), contacts, services, may_write, form, lists: Lists, today }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/worklist.html")]
pub struct WorkListPage {
    pub layout: Layout,
    pub code: String,
    pub w: WorkList,
    pub lists: Lists,
    pub form: FormState,
}

impl WorkListPage {
    pub fn new(code: &str, name: &str, w: WorkList, form: FormState) -> WorkListPage {
        let layout = ambito_layout("Il mio lavoro", code, name, super::nav::LAVORO).crumb("Il mio lavoro", None);
        WorkListPage { layout, code: encode_segment(code), w, lists: Lists, form }
    }
}
