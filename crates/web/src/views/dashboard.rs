//! The Ambito's dashboard: the latest year at a glance.

use super::{Layout, nav};
use ambito_domain::indicator::{DisplayFormat, IndicatorDef};
use ambito_domain::measures::Measure;
use ambito_domain::report::AnnualReport;
use askama::Template;
use askama_web::WebTemplate;

pub struct Card {
    pub label: &'static str,
    pub value: String,
    pub change: String,
}

pub struct AreaLine {
    pub name: String,
    pub services: usize,
    pub utenti: String,
    pub beneficiari: String,
    pub budget: String,
    pub per_user: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub layout: Layout,
    pub code: String,
    pub name: String,
    pub year: Option<i32>,
    pub previous_year: i32,
    pub cards: Vec<Card>,
    pub areas: Vec<AreaLine>,
    pub spending_svg: String,
    pub comuni: usize,
    pub distretto: String,
}

impl DashboardPage {
    pub fn new(code: &str, name: &str, distretto: String, comuni: usize, report: Option<&AnnualReport>) -> Self {
        let layout = Layout::new(format!("Cruscotto · {name}"))
            .with_ambito(code, name)
            .with_active(nav::CRUSCOTTO)
            .crumb("Ambiti", Some("/"))
            .crumb(name, None);
        let Some(r) = report else {
            return DashboardPage {
                layout,
                code: code.into(),
                name: name.into(),
                year: None,
                previous_year: 0,
                cards: vec![],
                areas: vec![],
                spending_svg: String::new(),
                comuni,
                distretto,
            };
        };
        let change = IndicatorDef::new("c", "", "x - prev.x", Some("prev.x"), 100, DisplayFormat::Percent(1)).ok();
        let cards = Measure::ALL
            .into_iter()
            .map(|m| {
                let now = r.headline.totals.get(m);
                let prev = r.headline.previous.and_then(|p| p.get(m));
                let delta = match (&change, now, prev) {
                    (Some(def), Some(n), Some(p)) => {
                        let lookup = move |name: &str| -> Result<Option<rust_decimal::Decimal>, ()> {
                            match name {
                                "x" => Ok(Some(n)),
                                "prev.x" => Ok(Some(p)),
                                _ => Err(()),
                            }
                        };
                        let shown = def.show(&def.evaluate(&lookup));
                        let sign = if n > p { "+" } else { "" };
                        if shown.is_empty() { String::new() } else { format!("{sign}{shown} sul {}", r.year - 1) }
                    }
                    _ => String::new(),
                };
                Card { label: m.label(), value: super::fmt::measure(m, &now), change: delta }
            })
            .collect();
        let areas = r
            .areas
            .iter()
            .map(|a| AreaLine {
                name: a.name.clone(),
                services: a.rows.len(),
                utenti: super::fmt::count(&a.total.measures.get(Measure::Utenti)),
                beneficiari: super::fmt::count(&a.total.measures.get(Measure::Beneficiari)),
                budget: super::fmt::euro(&a.total.budget),
                per_user: a.total.budget_per_user.text.clone(),
            })
            .collect();
        DashboardPage {
            layout,
            code: code.into(),
            name: name.into(),
            year: Some(r.year),
            previous_year: r.year - 1,
            cards,
            areas,
            spending_svg: if r.spending.rows.is_empty() { String::new() } else { ambito_render::chart::spending_bars_svg(&r.spending) },
            comuni,
            distretto,
        }
    }
}
