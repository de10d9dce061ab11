//! Exports in the import formats, so what ambito holds can always be taken out and put back.

use crate::{App, Result};
use ambito_domain::activity::{ActivityLine, Target};
use ambito_store as store;
use std::collections::HashMap;

impl App {
    /// The yearly figures of every service with activity in `year`, in the activity import
    /// contract with Italian number formats. Re-importing the file changes nothing.
    pub async fn export_activity_csv(&self, ambito_code: &str, year: i64) -> Result<Vec<u8>> {
        let ambito = self.ambito(ambito_code).await?;
        let mut conn = self.store.read().await?;
        let services = store::list_services(&mut conn, ambito.id).await?;
        let aggs: HashMap<i64, store::AggregateRow> =
            store::aggregates(&mut conn, ambito.id, year).await?.into_iter().map(|a| (a.service_id, a)).collect();
        let years: HashMap<i64, store::ServiceYearRow> =
            store::service_years(&mut conn, ambito.id, year).await?.into_iter().map(|s| (s.service_id, s)).collect();
        let lines: Vec<ActivityLine> = services
            .iter()
            .filter_map(|s| {
                let a = aggs.get(&s.id)?;
                let sy = years.get(&s.id);
                let target = sy.and_then(|y| {
                    y.target_name
                        .clone()
                        .map(Target::Named)
                        .or_else(|| y.target_value.as_deref().and_then(|v| v.parse().ok()).map(Target::Value))
                });
                Some(ActivityLine {
                    year,
                    area: s.area.clone(),
                    code: s.code.clone(),
                    name: s.name.clone(),
                    parent_code: s.parent_code.clone(),
                    measures: a.measures,
                    indicator: sy.and_then(|y| y.indicator.clone()),
                    target,
                    budget: a.budget,
                })
            })
            .collect();
        Ok(ambito_render::activity_csv::activity(&lines)?)
    }
}
