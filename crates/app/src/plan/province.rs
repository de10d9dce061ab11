//! The province view: the Ambiti of one ATS side by side on the indicators they share (those of
//! the provincial and district cards), each with its value at its last closed round.

use super::monitoring::round_label;
use crate::{App, AppError, Result};
use ambito_domain::plan::rules::Status;
use ambito_store as store;
use rust_decimal::Decimal;

#[derive(Debug, Clone)]
pub struct ProvinceCell {
    pub value: Option<Decimal>,
    pub status: Status,
}

#[derive(Debug, Clone)]
pub struct ProvinceRow {
    pub card_code: String,
    pub card_title: String,
    pub level: String,
    pub indicator_code: String,
    pub indicator: String,
    pub measure: String,
    /// One cell per Ambito, in the order of `ProvinceView::ambiti`.
    pub cells: Vec<ProvinceCell>,
}

#[derive(Debug, Clone)]
pub struct ProvinceView {
    pub ats: String,
    pub triennium: String,
    /// (code, name, round the values come from).
    pub ambiti: Vec<(String, String, Option<String>)>,
    pub rows: Vec<ProvinceRow>,
}

impl App {
    /// Compares the Ambiti of `ambito_code`'s province on their shared indicators.
    pub async fn province_view(&self, ambito_code: &str, triennium: &str) -> Result<ProvinceView> {
        let mut conn = self.store.read().await?;
        let me = store::ambito_by_code(&mut conn, ambito_code).await?.ok_or_else(|| AppError::AmbitoNotFound(ambito_code.into()))?;
        let scopes = store::scopes_of(&mut conn, me.id).await?;
        let Some((ats_id, _, ats_name)) = scopes.ats.clone() else {
            return Err(AppError::Invalid("l'Ambito non è collegato a un'ATS: nessun confronto provinciale".into()));
        };
        let mut ambiti = Vec::new();
        let mut columns: Vec<Vec<store::ValueRow>> = Vec::new();
        for (id, code, name) in store::member_ambiti(&mut conn, "provincia", ats_id).await? {
            let plan = store::plan_by_triennium(&mut conn, id, triennium).await?;
            let (round, values) = match plan {
                Some(p) => {
                    let last =
                        store::rounds_of(&mut conn, p.id).await?.into_iter().filter(|r| r.status == "closed").max_by_key(|r| r.number);
                    match last {
                        Some(r) => {
                            let values = store::values_of_plan(&mut conn, p.id).await?.into_iter().filter(|v| v.round_id == r.id).collect();
                            (Some(round_label(&r)), values)
                        }
                        None => (None, vec![]),
                    }
                }
                None => (None, vec![]),
            };
            ambiti.push((code, name, round));
            columns.push(values);
        }
        let mut rows = Vec::new();
        for o in store::visible_objectives(&mut conn, &scopes, triennium).await?.into_iter().filter(|o| o.level != "ambito") {
            for i in store::indicators_of(&mut conn, o.id).await? {
                let cells = columns
                    .iter()
                    .map(|vals| {
                        let v = vals.iter().find(|v| v.indicator_id == i.id);
                        ProvinceCell {
                            value: v.and_then(|v| v.value.as_deref()).and_then(|t| t.parse().ok()),
                            status: v.and_then(|v| v.status.as_deref()).and_then(Status::parse).unwrap_or(Status::NoData),
                        }
                    })
                    .collect();
                rows.push(ProvinceRow {
                    card_code: o.code.clone(),
                    card_title: o.title.clone(),
                    level: o.level.clone(),
                    indicator_code: i.code,
                    indicator: i.text,
                    measure: i.measure,
                    cells,
                });
            }
        }
        // Indicators measured somewhere first: those are the ones to compare.
        rows.sort_by_key(|r| r.cells.iter().all(|c| c.value.is_none()));
        Ok(ProvinceView { ats: ats_name, triennium: triennium.to_string(), ambiti, rows })
    }
}
