//! Builds the annual report from the live aggregates. Nothing here scans raw activity rows.

use crate::{App, AppError, Result};
use ambito_domain::demography::Pyramid;
use ambito_domain::indicator::{self, DisplayFormat, IndicatorDef};
use ambito_domain::measures::{Figures, Measure};
use ambito_domain::report::{AnnualReport, AreaDef, ReportInput, ServiceDef, SpendingLine, assemble};
use ambito_store::{self as store, AnyConnection};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The spending table shows committed amounts: what the Ambito has bound itself to spend.
pub const SPENDING_PHASE: &str = "impegnato";

impl App {
    /// The report as of now. Cached per data revision: exact, since any committed write bumps it.
    pub async fn annual_report(&self, ambito_code: &str, year: i32) -> Result<std::sync::Arc<AnnualReport>> {
        self.cached(format!("report/{ambito_code}/{year}"), || async {
            let mut conn = self.store.read().await?;
            let input = report_input(&mut conn, ambito_code, year).await?;
            Ok(assemble(&input))
        })
        .await
    }

    /// The report computed now from the aggregates, bypassing the cache (for timing and checks).
    pub async fn annual_report_uncached(&self, ambito_code: &str, year: i32) -> Result<AnnualReport> {
        let mut conn = self.store.read().await?;
        let input = report_input(&mut conn, ambito_code, year).await?;
        Ok(assemble(&input))
    }
}

pub(crate) async fn report_input(conn: &mut AnyConnection, ambito_code: &str, year: i32) -> Result<ReportInput> {
    let ambito = store::ambito_by_code(conn, ambito_code).await?.ok_or_else(|| AppError::AmbitoNotFound(ambito_code.into()))?;
    let y = i64::from(year);
    let narratives: HashMap<i64, store::NarrativeRow> =
        store::narratives(conn, ambito.id, y).await?.into_iter().map(|n| (n.area_id, n)).collect();
    let areas = store::list_areas(conn, ambito.id)
        .await?
        .into_iter()
        .map(|a| {
            let n = narratives.get(&a.id);
            AreaDef {
                name: a.name,
                lettura: n.and_then(|n| n.lettura.clone()).filter(|s| !s.trim().is_empty()),
                obiettivi: n
                    .and_then(|n| n.obiettivi.clone())
                    .map(|o| o.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect())
                    .unwrap_or_default(),
            }
        })
        .collect();
    let services = store::list_services(conn, ambito.id).await?;
    let years: HashMap<i64, store::ServiceYearRow> =
        store::service_years(conn, ambito.id, y).await?.into_iter().map(|s| (s.service_id, s)).collect();
    let code_of: HashMap<i64, String> = services.iter().map(|s| (s.id, s.code.clone())).collect();
    let targets = target_values(conn, ambito.id, y).await?;
    let current = figures(conn, ambito.id, y, &code_of).await?;
    let mut current_with_targets = current;
    for (service_id, sy) in &years {
        let Some(code) = code_of.get(service_id) else { continue };
        let target = ambito_domain::target::resolve(sy.target_value.as_deref(), sy.target_name.as_deref(), |n| targets.get(n).copied());
        if let Some(fig) = current_with_targets.get_mut(code) {
            fig.target = target;
        }
    }
    let previous = figures(conn, ambito.id, y - 1, &code_of).await?;
    let mut indicators = indicator::builtins();
    for d in store::list_indicator_defs(conn, ambito.id).await? {
        let format = DisplayFormat::from_code(&d.format).unwrap_or(DisplayFormat::Number(2));
        if let Ok(def) = IndicatorDef::new(&d.code, &d.name, &d.numerator, d.denominator.as_deref(), d.factor, format) {
            indicators.retain(|b| b.code != def.code);
            indicators.push(def);
        }
    }
    let spending = store::spending_by_area(conn, ambito.id, y, SPENDING_PHASE)
        .await?
        .into_iter()
        .map(|c| SpendingLine { area: c.area, source: c.source, amount: c.amount })
        .collect();
    Ok(ReportInput {
        ambito_code: ambito.code,
        ambito_name: ambito.name,
        year,
        areas,
        services: services
            .iter()
            .map(|s| ServiceDef {
                code: s.code.clone(),
                name: s.name.clone(),
                area: s.area.clone(),
                parent: s.parent_code.clone(),
                indicator: years.get(&s.id).and_then(|y| y.indicator.clone()).or_else(|| s.default_indicator.clone()),
            })
            .collect(),
        current: current_with_targets,
        previous: (!previous.is_empty()).then_some(previous),
        indicators,
        spending_sources: store::list_funding_sources(conn).await?,
        spending,
    })
}

async fn figures(conn: &mut AnyConnection, ambito_id: i64, year: i64, code_of: &HashMap<i64, String>) -> Result<HashMap<String, Figures>> {
    let mut out = HashMap::new();
    for agg in store::aggregates(conn, ambito_id, year).await? {
        let Some(code) = code_of.get(&agg.service_id) else { continue };
        out.insert(code.clone(), Figures { measures: agg.measures, budget: agg.budget, ..Figures::default() });
    }
    // Where providers report every delivery, people, hours and visits come from the events:
    // people are distinct persons, exact. A service whose figures come from the case record
    // keeps them (its users in care are the persons with an intervention, not those served).
    let from_cases: std::collections::HashSet<i64> = store::service_sources(conn, ambito_id)
        .await?
        .into_iter()
        .filter(|s| s.figures_source == crate::cases::figures::ORIGIN)
        .map(|s| s.service_id)
        .collect();
    for d in store::delivery_figures(conn, ambito_id, year, "Y").await? {
        let Some(code) = code_of.get(&d.service_id).filter(|_| !from_cases.contains(&d.service_id)) else { continue };
        let fig = out.entry(code.clone()).or_default();
        fig.measures.set(Measure::Utenti, Some(Decimal::from(d.persons)));
        fig.measures.set(Measure::Ore, Some(d.hours));
        fig.measures.set(Measure::Visite, Some(Decimal::from(d.visits)));
    }
    Ok(out)
}

/// The population year used for a report year: 1 January of that year when loaded, else the
/// latest earlier year, else the earliest later one.
pub(crate) fn population_year_for(available: &[i64], year: i64) -> Option<i64> {
    available.iter().copied().filter(|y| *y <= year).max().or_else(|| available.iter().copied().filter(|y| *y > year).min())
}

/// Pyramids by ISTAT code for the population year that serves `year`.
pub(crate) async fn pyramids(conn: &mut AnyConnection, ambito_id: i64, year: i64) -> Result<(Option<i64>, HashMap<String, Pyramid>)> {
    let available = store::population_years(conn, ambito_id).await?;
    let Some(pop_year) = population_year_for(&available, year) else { return Ok((None, HashMap::new())) };
    let mut out: HashMap<String, Pyramid> = HashMap::new();
    for cell in store::population(conn, ambito_id, pop_year).await? {
        let age = u8::try_from(cell.age).unwrap_or(100);
        out.entry(cell.istat_code).or_default().add(age, cell.males.max(0) as u64, cell.females.max(0) as u64);
    }
    Ok((Some(pop_year), out))
}

/// Every named target population of the Ambito, valued for `year` (see `target_values`).
pub(crate) async fn target_values(conn: &mut AnyConnection, ambito_id: i64, year: i64) -> Result<HashMap<String, Decimal>> {
    let explicit = store::explicit_targets(conn, Some(ambito_id)).await?;
    let bands = store::target_value_rows(conn, Some(ambito_id)).await?;
    Ok(crate::reporting::target_values::for_year(&explicit, &bands, year))
}

#[cfg(test)]
mod tests {
    #[test]
    fn population_year_choice() {
        assert_eq!(super::population_year_for(&[2024, 2025], 2025), Some(2025));
        assert_eq!(super::population_year_for(&[2024, 2025], 2027), Some(2025));
        assert_eq!(super::population_year_for(&[2024, 2025], 2020), Some(2024));
        assert_eq!(super::population_year_for(&[], 2020), None);
    }
}
