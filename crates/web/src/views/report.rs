//! The annual activity report as a page, and as a standalone HTML document for the CLI.

use super::{Layout, fmt, nav};
use ambito_domain::format::it_euro;
use ambito_domain::measures::{Measure, Measures};
use ambito_domain::report::{AnnualReport, ServiceRow};
use askama::Template;
use askama_web::WebTemplate;

pub struct Line {
    pub code: String,
    pub name: String,
    pub child: bool,
    pub cells: Vec<String>,
    pub indicator_name: String,
    pub indicator_value: String,
    pub indicator_reason: String,
    pub budget: String,
    pub per_user: String,
    pub change: String,
}

pub struct Section {
    pub name: String,
    pub anchor: String,
    pub lines: Vec<Line>,
    pub total_cells: Vec<String>,
    pub total_budget: String,
    pub total_per_user: String,
    pub chart: String,
    pub lettura: Option<String>,
    pub obiettivi: Vec<String>,
}

pub struct SpendingLine {
    pub area: String,
    pub cells: Vec<String>,
    pub total: String,
    pub share: String,
    pub users: String,
    pub per_user: String,
}

/// Everything the report body shows, already formatted.
pub struct Body {
    pub ambito: String,
    pub year: i32,
    pub has_previous: bool,
    pub labels: Vec<&'static str>,
    pub headline: Vec<(&'static str, String, String)>,
    pub areas_count: usize,
    pub services_count: usize,
    pub total_budget: String,
    pub sections: Vec<Section>,
    pub total_cells: Vec<String>,
    pub total_per_user: String,
    pub sources: Vec<String>,
    pub spending: Vec<SpendingLine>,
    pub spending_totals: Vec<String>,
    pub spending_total: String,
    pub spending_chart: String,
}

fn cells(m: &Measures) -> Vec<String> {
    Measure::ALL.into_iter().map(|k| fmt::measure(k, &m.get(k))).collect()
}

fn line(r: &ServiceRow) -> Line {
    let (indicator_name, indicator_value, indicator_reason) = match &r.indicator {
        Some(i) => (i.name.clone(), i.shown.text.clone(), i.shown.value.blank_reason().map(|b| b.to_string()).unwrap_or_default()),
        None => (String::new(), String::new(), String::new()),
    };
    Line {
        code: r.code.clone(),
        name: r.name.clone(),
        child: r.depth > 0,
        cells: cells(&r.figures.measures),
        indicator_name,
        indicator_value,
        indicator_reason,
        budget: fmt::euro(&r.figures.budget),
        per_user: r.budget_per_user.text.clone(),
        change: r.change_users.text.clone(),
    }
}

fn anchor(name: &str) -> String {
    let slug: String = name.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("area-{slug}")
}

impl Body {
    pub fn new(r: &AnnualReport) -> Body {
        let prev = r.headline.previous;
        Body {
            ambito: r.ambito_name.clone(),
            year: r.year,
            has_previous: r.has_previous,
            labels: Measure::ALL.iter().map(|m| m.label()).collect(),
            headline: Measure::ALL
                .into_iter()
                .map(|m| {
                    (m.label(), fmt::measure(m, &r.headline.totals.get(m)), prev.map(|p| fmt::measure(m, &p.get(m))).unwrap_or_default())
                })
                .collect(),
            areas_count: r.headline.areas,
            services_count: r.headline.services,
            total_budget: fmt::euro(&r.headline.budget),
            sections: r
                .areas
                .iter()
                .map(|a| Section {
                    name: a.name.clone(),
                    anchor: anchor(&a.name),
                    lines: a.rows.iter().map(line).collect(),
                    total_cells: cells(&a.total.measures),
                    total_budget: fmt::euro(&a.total.budget),
                    total_per_user: a.total.budget_per_user.text.clone(),
                    chart: ambito_render::chart::area_bars_svg(a, r.has_previous),
                    lettura: a.lettura.clone(),
                    obiettivi: a.obiettivi.clone(),
                })
                .collect(),
            total_cells: cells(&r.total.measures),
            total_per_user: r.total.budget_per_user.text.clone(),
            sources: r.spending.sources.clone(),
            spending: r
                .spending
                .rows
                .iter()
                .map(|s| SpendingLine {
                    area: s.area.clone(),
                    cells: s.by_source.iter().map(fmt::euro).collect(),
                    total: it_euro(s.total),
                    share: s.share.text.clone(),
                    users: fmt::count(&s.users),
                    per_user: s.cost_per_user.text.clone(),
                })
                .collect(),
            spending_totals: r.spending.totals_by_source.iter().map(fmt::euro).collect(),
            spending_total: it_euro(r.spending.total),
            spending_chart: if r.spending.rows.is_empty() { String::new() } else { ambito_render::chart::spending_bars_svg(&r.spending) },
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "report.html")]
pub struct ReportPage {
    pub layout: Layout,
    pub code: String,
    pub years: Vec<i64>,
    pub body: Body,
}

impl ReportPage {
    pub fn new(code: &str, years: Vec<i64>, r: &AnnualReport) -> Self {
        let layout = Layout::new(format!("Relazione annuale {}", r.year))
            .with_ambito(code, &r.ambito_name)
            .with_active(nav::RELAZIONE)
            .crumb("Ambiti", Some("/"))
            .crumb(r.ambito_name.clone(), Some(&format!("/ambiti/{code}")))
            .crumb("Relazione annuale", None);
        ReportPage { layout, code: code.into(), years, body: Body::new(r) }
    }
}

/// A self-contained HTML file: no server, no external assets.
#[derive(Template)]
#[template(path = "report_document.html")]
pub struct ReportDocument {
    pub body: Body,
}

/// The report for evaluators: every row, with small counts of people suppressed.
pub struct SuppressedPage;

impl SuppressedPage {
    #[allow(clippy::new_ret_no_self)]
    pub fn new(code: &str, name: &str, year: i32, rows: Vec<Vec<String>>) -> super::table::TablePage {
        let layout = Layout::new(format!("Relazione {year} (dati aggregati)"))
            .with_ambito(code, name)
            .with_active(nav::RELAZIONE)
            .crumb("Ambiti", Some("/"))
            .crumb(name, None)
            .crumb("Relazione annuale", None);
        super::table::TablePage::new(layout, format!("Relazione annuale {year}: dati aggregati"), &ambito_render::csv_out::HEADER, rows)
            .intro("Per tutelare le persone, i conteggi da 1 a 2 sono mostrati come «<3» e, dove servirebbe a ricostruirli per sottrazione, anche altri valori sono nascosti; gli indicatori calcolati su valori nascosti sono «soppresso».")
            .link("Scarica CSV", format!("/ambiti/{}/relazione/{year}.csv", super::encode_segment(code)))
    }
}
