//! Home page: list of the Ambiti.

use askama::Template;
use askama_web::WebTemplate;

use super::{Layout, encode_segment, nav};

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    pub layout: Layout,
    /// (code, name, distretto)
    pub ambiti: Vec<(String, String, String)>,
}

impl HomePage {
    pub fn new(ambiti: Vec<(String, String, String)>) -> Self {
        HomePage { layout: Layout::new("Ambiti").with_active(nav::AMBITI).crumb("Ambiti", None), ambiti }
    }

    fn href(&self, code: &str) -> String {
        format!("/ambiti/{}", encode_segment(code))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub detail: String,
}

impl ErrorPage {
    pub fn new(title: &str, detail: &str) -> Self {
        ErrorPage { layout: Layout::new(title).crumb("Ambiti", Some("/")), detail: detail.to_owned() }
    }
}
