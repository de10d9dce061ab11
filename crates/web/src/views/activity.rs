//! The activity entry grid: one row per service, one column per measure, like a spreadsheet.

use super::{Layout, nav};
use ambito_app::reporting::queries::GridRow;
use ambito_domain::format::it_number;
use ambito_domain::measures::Measure;
use askama::Template;
use askama_web::WebTemplate;

pub struct GridLine {
    pub code: String,
    pub name: String,
    pub area: String,
    pub child: bool,
    pub cells: Vec<(String, String, &'static str)>,
    pub budget: String,
    pub detailed: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "activity.html")]
pub struct ActivityPage {
    pub layout: Layout,
    pub code: String,
    pub year: i64,
    pub years: Vec<i64>,
    pub labels: Vec<&'static str>,
    pub lines: Vec<GridLine>,
    pub errors: Vec<String>,
    pub saved: bool,
}

/// Field name of a measure cell; parsed back by the save handler.
pub fn field(code: &str, m: Measure) -> String {
    format!("m.{}.{code}", m.term())
}

pub fn budget_field(code: &str) -> String {
    format!("b.{code}")
}

impl ActivityPage {
    pub fn new(code: &str, name: &str, year: i64, years: Vec<i64>, rows: Vec<GridRow>) -> Self {
        let layout = Layout::new(format!("Attività {year}"))
            .with_ambito(code, name)
            .with_active(nav::ATTIVITA)
            .crumb("Ambiti", Some("/"))
            .crumb(name, Some(&format!("/ambiti/{code}")))
            .crumb("Attività", None);
        let lines = rows
            .into_iter()
            .map(|r| GridLine {
                cells: Measure::ALL
                    .into_iter()
                    .map(|m| {
                        let v = r.measures[m.index()]
                            .map(|v| if m.is_count() { it_number(v, 0) } else { it_number(v, v.scale().max(2)) })
                            .unwrap_or_default();
                        (field(&r.code, m), v, if m.is_count() { "numeric" } else { "decimal" })
                    })
                    .collect(),
                budget: r.budget.map(|b| if b.is_zero() { "-".to_string() } else { it_number(b, 2) }).unwrap_or_default(),
                code: r.code,
                name: r.name,
                area: r.area,
                child: r.parent.is_some(),
                detailed: r.detailed,
            })
            .collect();
        ActivityPage {
            layout,
            code: code.into(),
            year,
            years,
            labels: Measure::ALL.iter().map(|m| m.label()).collect(),
            lines,
            errors: vec![],
            saved: false,
        }
    }

    pub fn budget_name(&self, code: &str) -> String {
        budget_field(code)
    }
}
