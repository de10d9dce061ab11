//! Person pages.

use super::{Layout, encode_segment};
use ambito_app::rows::PersonRow;
use askama::Template;
use askama_web::WebTemplate;

fn ambito_layout(title: &str, code: &str, name: &str) -> Layout {
    Layout::new(title).with_ambito(code, name).crumb("Ambiti", Some("/")).crumb(name, Some(&format!("/ambiti/{}", encode_segment(code))))
}

#[derive(Template, WebTemplate)]
#[template(path = "persons.html")]
pub struct PersonListPage {
    pub layout: Layout,
    pub code: String,
    pub persons: Vec<PersonRow>,
    pub not_found: Option<String>,
}

impl PersonListPage {
    pub fn new(code: &str, name: &str, persons: Vec<PersonRow>, not_found: Option<String>) -> PersonListPage {
        let layout = ambito_layout("Persone in carico", code, name).crumb("Persone", None);
        PersonListPage { layout, code: encode_segment(code), persons, not_found }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "break_glass.html")]
pub struct BreakGlassPage {
    pub layout: Layout,
    pub code: String,
    pub person: i64,
    pub error: Option<String>,
}

impl BreakGlassPage {
    pub fn new(code: &str, person: i64, error: Option<String>) -> BreakGlassPage {
        BreakGlassPage { layout: Layout::new("Accesso straordinario"), code: encode_segment(code), person, error }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "own_area.html")]
pub struct OwnAreaPage {
    pub layout: Layout,
    pub name: String,
    pub cases: Vec<(String, String, String, String)>,
    pub accesses: usize,
    /// What the case record shows the citizen (documents, requests, open cases): see
    /// `ambito_app::cases::citizen`.
    pub record: ambito_app::cases::citizen::CitizenRecord,
    pub notice: Option<&'static str>,
    pub upload_error: Option<String>,
}

impl OwnAreaPage {
    pub fn new(data: &serde_json::Value) -> OwnAreaPage {
        let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        let p = &data["persona"];
        let cases = data["prese_in_carico"]
            .as_array()
            .map(|a| a.iter().map(|c| (s(&c["ambito_code"]), s(&c["service_code"]), s(&c["opened_on"]), s(&c["closed_on"]))).collect())
            .unwrap_or_default();
        OwnAreaPage {
            layout: Layout::portal("Area personale").with_active(super::nav::AREA_PERSONALE),
            name: format!("{} {}", s(&p["nome"]), s(&p["cognome"])),
            cases,
            accesses: data["accessi_ai_dati"].as_array().map_or(0, Vec::len),
            record: Default::default(),
            notice: None,
            upload_error: None,
        }
    }

    pub fn with_record(
        mut self,
        record: ambito_app::cases::citizen::CitizenRecord,
        notice: Option<&'static str>,
        upload_error: Option<String>,
    ) -> Self {
        self.record = record;
        self.notice = notice;
        self.upload_error = upload_error;
        self
    }
}
