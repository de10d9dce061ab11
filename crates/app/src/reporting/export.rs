//! Exports in the import formats, so what ambito holds can always be taken out and put back.

use crate::reporting::import::activity::COLUMNS;
use crate::{App, Result};
use ambito_domain::format::it_number;
use ambito_domain::measures::Measure;
use ambito_render::csv_safe::CsvOut;
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
        let mut w = CsvOut::crlf();
        w.record(COLUMNS)?;
        for s in &services {
            let Some(a) = aggs.get(&s.id) else { continue };
            let sy = years.get(&s.id);
            let mut record =
                vec![year.to_string(), s.area.clone(), s.code.clone(), s.name.clone(), s.parent_code.clone().unwrap_or_default()];
            for m in Measure::ALL {
                record.push(match a.measures.get(m) {
                    None => String::new(),
                    Some(v) if m.is_count() => v.to_string(),
                    Some(v) => it_number(v, v.scale()),
                });
            }
            record.push(sy.and_then(|y| y.indicator.clone()).unwrap_or_default());
            let target = sy.and_then(|y| {
                y.target_name.clone().or_else(|| {
                    y.target_value.as_deref().and_then(|v| v.parse().ok()).map(|v: rust_decimal::Decimal| it_number(v, v.scale()))
                })
            });
            record.push(target.unwrap_or_default());
            record.push(match a.budget {
                None => String::new(),
                Some(c) if c.is_zero() => "-".into(),
                Some(c) => it_number(c, 2),
            });
            w.record(&record)?;
        }
        Ok(w.finish()?)
    }
}
