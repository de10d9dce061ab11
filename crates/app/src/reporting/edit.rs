//! Edits typed into the activity grid: validated like an import, applied in one transaction.

use crate::problems::{Findings, Msg};
use crate::{App, AppError, Result};
use ambito_domain::fixed::MONEY_SCALE;
use ambito_domain::measures::{Measure, Measures};
use ambito_domain::number::{NumberStyle, parse_decimal};
use ambito_store as store;
use rust_decimal::Decimal;

#[derive(Debug, Clone, Default)]
pub struct GridEntry {
    pub service_code: String,
    /// As typed, in the order of `Measure::ALL`; empty means not recorded.
    pub measures: [String; 6],
    /// As typed; empty is unknown, `-` is zero.
    pub budget: String,
}

impl App {
    /// Saves the yearly figures of the given services. Returns the problems found; nothing is
    /// written when there is any error.
    pub async fn save_activity(&self, ambito_code: &str, year: i64, entries: &[GridEntry]) -> Result<Findings> {
        let ambito = self.ambito(ambito_code).await?;
        let mut f = Findings::default();
        let services = {
            let mut conn = self.store.read().await?;
            store::list_services(&mut conn, ambito.id).await?
        };
        let mut records = Vec::new();
        for e in entries {
            let Some(service) = services.iter().find(|s| s.code == e.service_code) else {
                f.error("griglia", None, Some(&e.service_code), Msg::new("servizio inesistente", "no such service"));
                continue;
            };
            let mut measures = Measures::default();
            for m in Measure::ALL {
                // A form cell takes the decimals the store keeps, no more.
                let dp = m.storage_scale();
                measures.set(m, cell(&mut f, &e.service_code, m.label(), &e.measures[m.index()], dp).flatten());
            }
            let budget = if e.budget.trim() == "-" {
                Some(Some(Decimal::ZERO))
            } else {
                cell(&mut f, &e.service_code, "Budget", &e.budget, MONEY_SCALE)
            };
            if let Some(budget) = budget {
                records.push(store::ActivityRecord {
                    service_id: service.id,
                    year,
                    period: "Y".into(),
                    comune_code: String::new(),
                    measures,
                    budget,
                });
            }
        }
        if f.has_errors() {
            return Ok(f);
        }
        let mut tx = self.store.write().await?;
        for r in &records {
            if r.measures.is_blank() && r.budget.is_none() {
                store::delete_activity(&mut tx, r.service_id, r.year, &r.period, &r.comune_code).await?;
            } else {
                store::upsert_activity(&mut tx, r, "manual").await?;
            }
        }
        tx.commit().await.map_err(AppError::from)?;
        Ok(f)
    }
}

/// `Some(None)` for an empty cell, `Some(Some(v))` for a valid one, `None` after an error.
fn cell(f: &mut Findings, code: &str, label: &str, raw: &str, dp: u32) -> Option<Option<Decimal>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some(None);
    }
    let place = format!("{code} · {label}");
    match parse_decimal(raw, NumberStyle::Italian) {
        Ok(v) if v.is_sign_negative() && !v.is_zero() => {
            f.error("griglia", None, Some(&place), Msg::new(format!("valore negativo «{raw}»"), format!("negative value «{raw}»")));
            None
        }
        Ok(v) if v.normalize().scale() > dp => {
            let it =
                if dp == 0 { format!("«{raw}» deve essere un numero intero") } else { format!("«{raw}»: al massimo {dp} decimali") };
            f.error("griglia", None, Some(&place), Msg::new(it, format!("«{raw}»: at most {dp} decimals")));
            None
        }
        Ok(v) => Some(Some(v)),
        Err(e) => {
            f.error("griglia", None, Some(&place), Msg::new(e.to_string(), format!("not a number: «{raw}»")));
            None
        }
    }
}

impl App {
    /// Saves an area's "Lettura dell'andamento" and "Prospettive e obiettivi" (one per line).
    pub async fn save_narrative(&self, ambito_code: &str, year: i64, area: &str, lettura: &str, obiettivi: &[String]) -> Result<()> {
        self.save_narratives(ambito_code, year, &[(area.to_string(), lettura.to_string(), obiettivi.to_vec())]).await
    }

    /// Saves the texts of several areas in one transaction: (area, lettura, obiettivi).
    pub async fn save_narratives(&self, ambito_code: &str, year: i64, texts: &[(String, String, Vec<String>)]) -> Result<()> {
        let ambito = self.ambito(ambito_code).await?;
        let mut tx = self.store.write().await?;
        let areas = store::list_areas(&mut tx, ambito.id).await?;
        for (area, lettura, obiettivi) in texts {
            let area_id = areas
                .iter()
                .find(|a| &a.name == area)
                .map(|a| a.id)
                .ok_or_else(|| AppError::Invalid(format!("area «{area}» inesistente")))?;
            let obiettivi: Vec<&str> = obiettivi.iter().map(|o| o.trim()).filter(|o| !o.is_empty()).collect();
            let n = store::NarrativeRow {
                area_id,
                lettura: Some(lettura.trim().to_string()).filter(|s| !s.is_empty()),
                obiettivi: (!obiettivi.is_empty()).then(|| obiettivi.join("\n")),
            };
            store::upsert_narrative(&mut tx, year, &n).await?;
        }
        tx.commit().await.map_err(AppError::from)?;
        Ok(())
    }
}
