//! The province view: the Ambiti of one ATS side by side on the indicators they share (those of
//! the provincial and district cards), each with its value at its last closed round.

use super::monitoring::round_label;
use super::suppressed::{Figures, counts_people};
use crate::{App, AppError, Result};
use ambito_domain::plan::MeasureType;
use ambito_domain::plan::link::LinkRef;
use ambito_domain::plan::rules::Status;
use ambito_domain::plan::suppressed::value_hidden;
use ambito_domain::report::{AnnualReport, assemble};
use ambito_domain::suppression::{DEFAULT_THRESHOLD, HiddenCells};
use ambito_store as store;
use rust_decimal::Decimal;

#[derive(Debug, Clone)]
pub struct ProvinceCell {
    pub value: Option<Decimal>,
    /// Suppressed for this reader (the value is then `None`).
    pub hidden: bool,
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
    /// Compares the Ambiti of `ambito_code`'s province on their shared indicators. For a reader
    /// of suppressed figures, each Ambito's cells are suppressed against that Ambito's own
    /// suppressed report of the round's year, as its round page would be.
    pub async fn province_view(&self, ambito_code: &str, triennium: &str, figures: Figures) -> Result<ProvinceView> {
        let mut conn = self.store.read().await?;
        let me = store::ambito_by_code(&mut conn, ambito_code).await?.ok_or_else(|| AppError::AmbitoNotFound(ambito_code.into()))?;
        let scopes = store::scopes_of(&mut conn, me.id).await?;
        let Some((ats_id, _, ats_name)) = scopes.ats.clone() else {
            return Err(AppError::Invalid("l'Ambito non è collegato a un'ATS: nessun confronto provinciale".into()));
        };
        let mut ambiti = Vec::new();
        let mut columns: Vec<Vec<store::ValueRow>> = Vec::new();
        // Per Ambito: its report of the round's year and what its suppressed copy hides.
        let mut reports: Vec<Option<(AnnualReport, HiddenCells)>> = Vec::new();
        for (id, code, name) in store::member_ambiti(&mut conn, "provincia", ats_id).await? {
            let plan = store::plan_by_triennium(&mut conn, id, triennium).await?;
            let mut report = None;
            let (round, values) = match plan {
                Some(p) => {
                    let last =
                        store::rounds_of(&mut conn, p.id).await?.into_iter().filter(|r| r.status == "closed").max_by_key(|r| r.number);
                    match last {
                        Some(r) => {
                            let values = store::values_of_plan(&mut conn, p.id).await?.into_iter().filter(|v| v.round_id == r.id).collect();
                            if figures == Figures::Suppressed {
                                let year = i32::try_from(r.year).map_err(|_| AppError::Internal(format!("anno non valido {}", r.year)))?;
                                let report_of_year = assemble(&crate::reporting::report::report_input(&mut conn, &code, year).await?);
                                let cells = HiddenCells::of(&report_of_year, DEFAULT_THRESHOLD);
                                report = Some((report_of_year, cells));
                            }
                            (Some(round_label(&r)), values)
                        }
                        None => (None, vec![]),
                    }
                }
                None => (None, vec![]),
            };
            reports.push(report);
            ambiti.push((code, name, round));
            columns.push(values);
        }
        let mut rows = Vec::new();
        for o in store::visible_objectives(&mut conn, &scopes, triennium).await?.into_iter().filter(|o| o.level != "ambito") {
            for i in store::indicators_of(&mut conn, o.id).await? {
                let link = i.link.as_deref().and_then(|l| LinkRef::parse(l).ok());
                let cells = columns
                    .iter()
                    .zip(&reports)
                    .map(|(vals, report)| {
                        let v = vals.iter().find(|v| v.indicator_id == i.id);
                        let dec = |t: Option<&String>| t.and_then(|t| t.parse::<Decimal>().ok());
                        let hidden = figures == Figures::Suppressed && {
                            let link_hidden = match (&link, report) {
                                (Some(l), Some((r, cells))) => l.hidden_in(r, cells),
                                _ => false,
                            };
                            let m = MeasureType::parse(&i.measure).unwrap_or(MeasureType::Count);
                            let observed = dec(v.and_then(|v| v.observed.as_ref()));
                            let denominator = dec(v.and_then(|v| v.denominator.as_ref()));
                            value_hidden(m, counts_people(&i), observed, denominator, link_hidden, DEFAULT_THRESHOLD)
                        };
                        ProvinceCell {
                            value: if hidden { None } else { dec(v.and_then(|v| v.value.as_ref())) },
                            hidden,
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
