//! The Ambito's dashboard: the latest year at a glance.

use super::{Layout, nav};
use ambito_domain::measures::Measure;
use ambito_domain::report::AnnualReport;
use ambito_render::figures::{change_pct, change_text};
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
    /// Deliveries by month: (month name, events, hours, visits), and their chart.
    pub months: Vec<(&'static str, String, String, String)>,
    pub months_svg: String,
}

const MONTHS: [&str; 12] = ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"];

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
                months: vec![],
                months_svg: String::new(),
            };
        };
        let cards = Measure::ALL
            .into_iter()
            .map(|m| {
                let now = r.headline.totals.get(m);
                let prev = r.headline.previous.and_then(|p| p.get(m));
                let shown = change_text(change_pct(now, prev));
                let delta = if shown.is_empty() { shown } else { format!("{shown} sul {}", r.year - 1) };
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
            months: vec![],
            months_svg: String::new(),
        }
    }

    pub fn with_months(mut self, lines: Vec<ambito_app::reporting::region::MonthLine>) -> Self {
        use ambito_domain::format::it_number;
        if lines.is_empty() {
            return self;
        }
        let max = lines.iter().map(|l| l.hours).max().unwrap_or_default();
        self.months_svg = months_svg(&lines, max);
        self.months = lines
            .iter()
            .map(|l| {
                let name = MONTHS.get((l.month - 1).clamp(0, 11) as usize).copied().unwrap_or("");
                (name, it_number(l.events.into(), 0), it_number(l.hours, 2), it_number(l.visits.into(), 0))
            })
            .collect();
        self
    }
}

/// Hours delivered per month as columns; the figures are in the table beside it.
fn months_svg(lines: &[ambito_app::reporting::region::MonthLine], max: rust_decimal::Decimal) -> String {
    use rust_decimal::prelude::ToPrimitive;
    let max = max.to_f64().unwrap_or(0.0).max(1.0);
    let (w, h, base) = (640.0, 220.0, 190.0);
    let mut s = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="mesi-t mesi-d" class="chart-svg"><title id="mesi-t">Ore erogate per mese</title><desc id="mesi-d">Ore delle consegne registrate dagli enti erogatori, mese per mese; i valori sono nella tabella accanto.</desc><line x1="30" y1="{base}" x2="630" y2="{base}" stroke="#5c6f82"/>"##
    );
    for l in lines {
        let x = 34.0 + (l.month - 1) as f64 * 50.0;
        // Display-only geometry: the figures themselves are shown exactly in the table.
        let bar = l.hours.to_f64().unwrap_or(0.0) / max * 160.0;
        let name = MONTHS.get((l.month - 1).clamp(0, 11) as usize).copied().unwrap_or("");
        s.push_str(&format!(
            r##"<rect x="{x:.1}" y="{:.1}" width="36" height="{bar:.1}" fill="#0066CC"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#1a1a1a" font-family="Titillium Web, sans-serif">{name}</text>"##,
            base - bar,
            x + 18.0,
            base + 16.0
        ));
    }
    s.push_str("</svg>");
    s
}
