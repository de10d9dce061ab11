//! Region-wide views over the delivery aggregates: the indicator table of every Ambito × service,
//! and one person's history in one service.

use crate::{App, AppError, Result};
use ambito_domain::deliveries::Delivery;
use ambito_domain::indicator::{DisplayFormat, IndicatorDef};
use ambito_store as store;
use rust_decimal::Decimal;
use std::collections::HashMap;

pub use ambito_domain::deliveries::RegionRow;
pub use ambito_render::deliveries_csv::REGION_COLUMNS;

fn ratio(num: Option<Decimal>, den: Option<Decimal>, factor: i64) -> String {
    let def = IndicatorDef::new("r", "", "n", Some("d"), factor, DisplayFormat::Number(2)).ok();
    let Some(def) = def else { return String::new() };
    let scope = move |name: &str| -> std::result::Result<Option<Decimal>, ambito_domain::expr::UnknownName> {
        match name {
            "n" => Ok(num),
            "d" => Ok(den),
            _ => Err(ambito_domain::expr::UnknownName),
        }
    };
    def.show(&def.evaluate(&scope))
}

impl App {
    /// Every Ambito × service with delivery events in `year`, computed from the live aggregates:
    /// three set-based reads (figures with targets and budgets, target values, explicit targets),
    /// whatever the number of Ambiti.
    pub async fn region_table(&self, year: i64) -> Result<Vec<RegionRow>> {
        let mut conn = self.store.read().await?;
        let lines = store::region_lines(&mut conn, year).await?;
        let targets = crate::reporting::target_values::all_for_year(&mut conn, year).await?;
        drop(conn);
        let none = HashMap::new();
        let mut out = Vec::with_capacity(lines.len());
        for l in lines {
            let named = targets.get(&l.ambito_id).unwrap_or(&none);
            let target = ambito_domain::target::resolve(l.target_value.as_deref(), l.target_name.as_deref(), |n| named.get(n).copied());
            let d = l.figures;
            let budget = l.budget;
            let persons = Some(Decimal::from(d.persons));
            let hours = d.hours;
            out.push(RegionRow {
                ambito: l.ambito_code,
                service: l.service_code,
                persons: d.persons,
                hours,
                visits: d.visits,
                hours_per_person: ratio(Some(hours), persons, 1),
                persons_per_1000: ratio(persons, target, 1000),
                cost_per_person: ratio(budget, persons, 1),
            });
        }
        Ok(out)
    }

    pub async fn region_csv(&self, year: i64) -> Result<Vec<u8>> {
        Ok(ambito_render::deliveries_csv::region_table(&self.region_table(year).await?)?)
    }

    /// One person's deliveries in one service, in the delivery import format.
    pub async fn delivery_history_csv(&self, ambito_code: &str, service_code: &str, person: &str) -> Result<Vec<u8>> {
        let ambito = self.ambito(ambito_code).await?;
        let mut conn = self.store.read().await?;
        let service = store::list_services(&mut conn, ambito.id)
            .await?
            .into_iter()
            .find(|s| s.code == service_code)
            .ok_or_else(|| AppError::Invalid(format!("servizio «{service_code}» inesistente")))?;
        let rows: Vec<Delivery> = store::delivery_history(&mut conn, service.id, person)
            .await?
            .into_iter()
            .map(|r| Delivery {
                day: r.day,
                service: service_code.to_string(),
                comune_istat: r.comune_istat,
                person: person.to_string(),
                hours: r.hours,
                home_visit: r.home_visit,
                provider: r.provider,
            })
            .collect();
        Ok(ambito_render::deliveries_csv::delivery_history(&rows)?)
    }
}

/// One month of an Ambito's deliveries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthLine {
    pub month: i64,
    pub events: i64,
    pub hours: Decimal,
    pub visits: i64,
}

impl App {
    pub async fn delivery_months(&self, ambito_code: &str, year: i64) -> Result<Vec<MonthLine>> {
        let ambito = self.ambito(ambito_code).await?;
        let mut conn = self.store.read().await?;
        Ok(store::delivery_months(&mut conn, ambito.id, year)
            .await?
            .into_iter()
            .map(|(month, events, hours, visits)| MonthLine { month, events, hours, visits })
            .collect())
    }
}
