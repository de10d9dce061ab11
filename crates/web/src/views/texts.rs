//! The staff's texts of the annual report: one reading and a list of objectives per area.

use super::{Layout, nav};
use ambito_domain::report::AnnualReport;
use askama::Template;
use askama_web::WebTemplate;

pub struct AreaTexts {
    pub index: usize,
    pub name: String,
    pub lettura: String,
    pub obiettivi: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "texts.html")]
pub struct TextsPage {
    pub layout: Layout,
    pub code: String,
    pub year: i32,
    pub areas: Vec<AreaTexts>,
}

impl TextsPage {
    pub fn new(code: &str, r: &AnnualReport) -> Self {
        let layout = Layout::new(format!("Testi della relazione {}", r.year))
            .with_ambito(code, &r.ambito_name)
            .with_active(nav::RELAZIONE)
            .crumb("Ambiti", Some("/"))
            .crumb(r.ambito_name.clone(), Some(&format!("/ambiti/{code}")))
            .crumb("Relazione annuale", Some(&format!("/ambiti/{code}/relazione?anno={}", r.year)))
            .crumb("Testi", None);
        let areas = r
            .areas
            .iter()
            .enumerate()
            .map(|(index, a)| AreaTexts {
                index,
                name: a.name.clone(),
                lettura: a.lettura.clone().unwrap_or_default(),
                obiettivi: a.obiettivi.join("\n"),
            })
            .collect();
        TextsPage { layout, code: code.into(), year: r.year, areas }
    }
}
