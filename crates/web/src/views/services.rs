//! The services catalogue of an Ambito.

use super::{Layout, nav};
use ambito_app::reporting::queries::ServiceRow;
use askama::Template;
use askama_web::WebTemplate;

#[derive(Template, WebTemplate)]
#[template(path = "services.html")]
pub struct ServicesPage {
    pub layout: Layout,
    pub services: Vec<ServiceRow>,
}

impl ServicesPage {
    pub fn new(code: &str, name: &str, services: Vec<ServiceRow>) -> Self {
        let layout = Layout::new("Servizi")
            .with_ambito(code, name)
            .with_active(nav::SERVIZI)
            .crumb("Ambiti", Some("/"))
            .crumb(name, Some(&format!("/ambiti/{code}")))
            .crumb("Servizi", None);
        ServicesPage { layout, services }
    }

    pub fn kind_label(kind: &str) -> &'static str {
        match kind {
            "servizio_continuativo" => "Servizio continuativo",
            "misura_a_domanda" => "Misura a domanda",
            "sportello" => "Sportello",
            "progetto" => "Progetto",
            "valutazione" => "Valutazione",
            "residenziale" => "Inserimento residenziale",
            _ => "Altro",
        }
    }
}
