//! A generic page with one table: for listings that need no layout of their own.

use super::Layout;
use askama::Template;
use askama_web::WebTemplate;

#[derive(Template, WebTemplate)]
#[template(path = "table.html")]
pub struct TablePage {
    pub layout: Layout,
    pub heading: String,
    pub intro: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// (label, href) links shown above the table.
    pub links: Vec<(String, String)>,
}

impl TablePage {
    pub fn new(layout: Layout, heading: impl Into<String>, header: &[&str], rows: Vec<Vec<String>>) -> TablePage {
        TablePage {
            layout,
            heading: heading.into(),
            intro: String::new(),
            header: header.iter().map(|h| h.to_string()).collect(),
            rows,
            links: vec![],
        }
    }

    pub fn intro(mut self, text: impl Into<String>) -> TablePage {
        self.intro = text.into();
        self
    }

    pub fn link(mut self, label: impl Into<String>, href: impl Into<String>) -> TablePage {
        self.links.push((label.into(), href.into()));
        self
    }
}
