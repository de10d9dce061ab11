//! The annual report as an A4 PDF. The layout lives in `templates/annual.typ`; this module only
//! hands it the data as JSON (`sys.inputs.data`), with every number already written in Italian.
//! User text is data, never markup, so `#`, `*` or `$` in a service name print as they are.

use crate::RenderError;
use crate::chart::{area_bars_svg, spending_bars_svg};
use crate::figures::{change_pct, change_text, count_text, euro_text, measure_text};
use ambito_domain::format::it_count;
use ambito_domain::measures::{Measure, Measures};
use ambito_domain::report::{AnnualReport, AreaSection, SpendingSection};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::sync::OnceLock;
use typst::diag::SourceDiagnostic;
use typst::foundations::{Dict, IntoValue, Smart};
use typst_as_lib::{TypstAsLibError, TypstEngine, TypstTemplateMainFile};

static TEMPLATE: &str = include_str!("../templates/annual.typ");
static FONTS: [&[u8]; 4] = [
    include_bytes!("../fonts/TitilliumWeb-regular.ttf"),
    include_bytes!("../fonts/TitilliumWeb-italic.ttf"),
    include_bytes!("../fonts/TitilliumWeb-600.ttf"),
    include_bytes!("../fonts/TitilliumWeb-700.ttf"),
];

/// Built once: parsing the fonts and the template is the slow part. Only the embedded fonts are
/// known to Typst (no system fonts), so the output is the same on every machine.
fn engine() -> &'static TypstEngine<TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| TypstEngine::builder().main_file(TEMPLATE).fonts(FONTS).build())
}

static SECTIONS_TEMPLATE: &str = include_str!("../templates/sections.typ");

fn sections_engine() -> &'static TypstEngine<TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| TypstEngine::builder().main_file(SECTIONS_TEMPLATE).fonts(FONTS).build())
}

/// A section of a [`sections`] document: a heading and a table of plain strings.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Section {
    pub heading: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A plain A4 document of titled tables (the right-of-access export).
pub fn sections(title: &str, subtitle: &str, generated: &str, sections: &[Section]) -> Result<Vec<u8>, RenderError> {
    let data = serde_json::to_string(&json!({"title": title, "subtitle": subtitle, "generated": generated, "sections": sections}))?;
    let mut inputs = Dict::new();
    inputs.insert("data".into(), data.into_value());
    let doc = sections_engine().compile_with_input(inputs).output.map_err(typst_error)?;
    let options = typst_pdf::PdfOptions { creator: Smart::Custom(Some("ambito".into())), ..Default::default() };
    typst_pdf::pdf(&doc, &options).map_err(|d| RenderError::Pdf(diagnostics(&d)))
}

pub fn annual(r: &AnnualReport) -> Result<Vec<u8>, RenderError> {
    let data = serde_json::to_string(&data(r))?;
    let mut inputs = Dict::new();
    inputs.insert("data".into(), data.into_value());
    let doc = engine().compile_with_input(inputs).output.map_err(typst_error)?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(format!("ambito-relazione-annuale-{}-{}", r.ambito_code, r.year)),
        creator: Smart::Custom(Some("ambito".into())),
        ..Default::default()
    };
    typst_pdf::pdf(&doc, &options).map_err(|d| RenderError::Pdf(diagnostics(&d)))
}

fn typst_error(e: TypstAsLibError) -> RenderError {
    match e {
        TypstAsLibError::TypstSource(d) => RenderError::Pdf(diagnostics(&d)),
        other => RenderError::Pdf(other.to_string()),
    }
}

fn diagnostics(d: &[SourceDiagnostic]) -> String {
    d.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("; ")
}

/// Everything the template shows, as strings ready to print.
fn data(r: &AnnualReport) -> Value {
    json!({
        "ambito": r.ambito_name,
        "title": format!("Relazione annuale sull'attività {}", r.year),
        "year": r.year.to_string(),
        "headline": headline(r),
        "areas": r.areas.iter().map(|a| area(a, r.has_previous)).collect::<Vec<_>>(),
        "spending": spending(&r.spending),
    })
}

fn headline(r: &AnnualReport) -> Vec<Value> {
    let h = &r.headline;
    let prev = h.previous.filter(|_| r.has_previous);
    let mut items = vec![
        json!({"label": "Aree", "value": it_count(Decimal::from(h.areas)), "note": ""}),
        json!({"label": "Servizi", "value": it_count(Decimal::from(h.services)), "note": ""}),
    ];
    for m in Measure::ALL {
        let now = h.totals.get(m);
        if now.is_none() && prev.and_then(|p| p.get(m)).is_none() {
            continue;
        }
        let note = match prev.and_then(|p| p.get(m)) {
            Some(p) => {
                let change = change_text(change_pct(now, Some(p)));
                let change = if change.is_empty() { String::new() } else { format!(" ({change})") };
                format!("{}: {}{change}", r.year - 1, measure_text(m, Some(p)))
            }
            None => String::new(),
        };
        let value = if now.is_some() { measure_text(m, now) } else { "–".into() };
        items.push(json!({"label": m.label(), "value": value, "note": note}));
    }
    if let Some(b) = h.budget {
        items.push(json!({"label": "Budget complessivo", "value": euro_text(Some(b)), "note": ""}));
    }
    items
}

/// Only the measures recorded somewhere in the area get a column.
fn area_measures(a: &AreaSection) -> Vec<Measure> {
    let all = std::iter::once(&a.total.measures).chain(a.rows.iter().map(|r| &r.figures.measures));
    let used: Vec<&Measures> = all.collect();
    Measure::ALL.into_iter().filter(|m| used.iter().any(|x| x.get(*m).is_some())).collect()
}

fn area(a: &AreaSection, has_previous: bool) -> Value {
    let cols = area_measures(a);
    let cells = |m: &Measures| cols.iter().map(|k| measure_text(*k, m.get(*k))).collect::<Vec<_>>();
    let rows: Vec<Value> = a.rows.iter().map(|s| json!({"name": s.name, "depth": s.depth, "cells": cells(&s.figures.measures)})).collect();
    let indicators: Vec<Value> = a
        .rows
        .iter()
        .map(|s| {
            let (name, value) = match &s.indicator {
                Some(i) => (i.name.as_str(), i.shown.text.as_str()),
                None => ("", ""),
            };
            json!({
                "name": s.name,
                "depth": s.depth,
                "indicator": name,
                "value": value,
                "budget": euro_text(s.figures.budget),
                "per_user": s.budget_per_user.text,
            })
        })
        .collect();
    json!({
        "name": a.name,
        "columns": cols.iter().map(|m| m.label()).collect::<Vec<_>>(),
        "rows": rows,
        "total": {
            "name": format!("Totale {}", a.name),
            "cells": cells(&a.total.measures),
            "budget": euro_text(a.total.budget),
            "per_user": a.total.budget_per_user.text,
        },
        "chart": area_bars_svg(a, has_previous),
        "chart_alt": format!("Grafico a barre: utenti in carico e beneficiari per servizio, area {}", a.name),
        "lettura": paragraphs(a.lettura.as_deref().unwrap_or_default()),
        "obiettivi": a.obiettivi.iter().map(|o| o.trim()).filter(|o| !o.is_empty()).collect::<Vec<_>>(),
        "indicators": indicators,
    })
}

/// Blank-line separated paragraphs, each with its inner line breaks folded into spaces.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

fn spending(s: &SpendingSection) -> Value {
    if s.rows.is_empty() {
        return Value::Null;
    }
    let rows: Vec<Value> = s
        .rows
        .iter()
        .map(|r| {
            json!({
                "area": r.area,
                "by_source": r.by_source.iter().map(|v| euro_text(*v)).collect::<Vec<_>>(),
                "total": euro_text(Some(r.total)),
                "share": r.share.text,
                "users": count_text(r.users),
                "cost": r.cost_per_user.text,
            })
        })
        .collect();
    json!({
        "sources": s.sources,
        "rows": rows,
        "totals": s.totals_by_source.iter().map(|v| euro_text(*v)).collect::<Vec<_>>(),
        "total": euro_text(Some(s.total)),
        "shares": s.source_shares.iter().map(|v| v.text.clone()).collect::<Vec<_>>(),
        "chart": spending_bars_svg(s),
        "chart_alt": "Grafico a barre: spesa sociale per area, con importo e quota sul totale",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_on_blank_lines() {
        assert_eq!(paragraphs("Uno\ndue.\n\n  Tre  \n"), vec!["Uno due.", "Tre"]);
        assert!(paragraphs("").is_empty());
    }
}
