//! Case-derived figures. A service declares where its annual figures come from
//! (`figures_source`): the activity file or grid ('file'), the delivery events ('consegne'), or
//! the case record ('cartella'). For the last, [`App::derive_case_figures`] computes the year's
//! activity rows from the record and writes them through the same path as the activity import
//! (`upsert_activity`, the aggregates, an import batch of its own), so the report engine reads
//! them exactly like figures entered by hand:
//! - *utenti in carico*: distinct persons with an intervention of the service in force in the year;
//! - *accessi*: front-desk contacts counted for the service in the year (voided ones excluded);
//! - *domande pervenute*: cases opened in the year for the service (the referrals taken in charge).

use crate::access::Actor;
use crate::intake::{Batch, ImportOutcome};
use crate::problems::{Findings, Msg};
use crate::{App, AppError, Result};
use ambito_domain::measures::{Measure, Measures};
use ambito_store as store;
use rust_decimal::Decimal;

/// The origin of activity rows written from the case record.
pub const ORIGIN: &str = "cartella";

pub fn source_label(code: &str) -> &'static str {
    match code {
        "consegne" => "Eventi di erogazione",
        "cartella" => "Cartella sociale",
        _ => "File o griglia di attività",
    }
}

impl App {
    pub async fn figures_sources(&self, ambito_code: &str) -> Result<Vec<store::ServiceSource>> {
        let a = self.ambito(ambito_code).await?;
        let mut conn = self.store.read().await?;
        Ok(store::service_sources(&mut conn, a.id).await?)
    }

    /// Declares where a service's figures come from. A tracked write: reports depend on it.
    pub async fn set_figures_source(&self, actor: &Actor<'_>, ambito_code: &str, service_code: &str, source: &str) -> Result<()> {
        if !store::FIGURES_SOURCES.contains(&source) {
            return Err(AppError::Invalid(format!("fonte sconosciuta «{source}»: ammesse {}", store::FIGURES_SOURCES.join(", "))));
        }
        let a = self.ambito(ambito_code).await?;
        let mut tx = self.store.write().await?;
        let Some(s) = store::service_sources(&mut tx, a.id).await?.into_iter().find(|s| s.code == service_code) else {
            return Err(AppError::Invalid(format!("servizio «{service_code}» inesistente nell'Ambito {ambito_code}")));
        };
        store::set_figures_source(&mut tx, a.id, s.service_id, source).await?;
        let mut ev = actor.event("service.figures_source", &format!("servizio/{}", s.service_id), Some(&a.code));
        ev.reason = Some(format!("{} → {source}", s.figures_source));
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes the year's activity rows of every 'cartella' service from the case record. A service
    /// whose rows of that year were entered by hand (file, grid) is refused, and nothing is
    /// written, unless `replace_hand_entered`. Running it again rewrites the same rows.
    pub async fn derive_case_figures(
        &self,
        actor: &Actor<'_>,
        ambito_code: &str,
        year: i32,
        replace_hand_entered: bool,
    ) -> Result<ImportOutcome> {
        if !(1990..=2100).contains(&year) {
            return Err(AppError::Invalid(format!("anno non valido: {year}")));
        }
        let a = self.ambito(ambito_code).await?;
        let file = format!("cartella-{}-{year}", a.code);
        let y = i64::from(year);
        let mut conn = self.store.read().await?;
        let services: Vec<store::ServiceSource> =
            store::service_sources(&mut conn, a.id).await?.into_iter().filter(|s| s.figures_source == ORIGIN).collect();
        if services.is_empty() {
            return Err(AppError::Invalid(format!(
                "nessun servizio dell'Ambito {} ha come fonte la cartella sociale (ambito cases source --ambito {} --service CODICE --source cartella)",
                a.code, a.code
            )));
        }
        let counts = store::case_counts(&mut conn, a.id, &format!("{year:04}-01-01"), &format!("{year:04}-12-31")).await?;
        let mut f = Findings::default();
        let mut plan = Vec::new();
        for s in &services {
            let origins = store::activity_origins(&mut conn, s.service_id, y).await?;
            let by_hand: Vec<&(String, String, String)> = origins.iter().filter(|(_, _, o)| o != ORIGIN).collect();
            if !by_hand.is_empty() && !replace_hand_entered {
                f.error(
                    &file,
                    None,
                    Some(&s.code),
                    Msg::new(
                        format!(
                            "il servizio «{}» ha dati {year} inseriti a mano ({}): non vengono sovrascritti (usare --replace per sostituirli)",
                            s.code,
                            by_hand.iter().map(|(_, _, o)| o.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                        format!("service «{}» has hand-entered {year} figures: not overwritten (use --replace)", s.code),
                    ),
                );
            }
            let c = counts.iter().find(|(id, _)| *id == s.service_id).map(|(_, c)| c.clone()).unwrap_or_default();
            let mut m = Measures::default();
            m.set(Measure::Utenti, c.users.map(Decimal::from));
            m.set(Measure::Accessi, c.contacts.map(Decimal::from));
            m.set(Measure::Domande, c.openings.map(Decimal::from));
            plan.push((s, m, origins));
        }
        let rows = store::activity_rows(&mut conn, a.id, y).await?;
        drop(conn);
        if f.has_errors() {
            return Ok(ImportOutcome::rejected(&file, f));
        }
        // What is written, as text: the batch's fingerprint, so the import log tells a re-run
        // with the same figures from one with new ones.
        let fingerprint: String = plan.iter().map(|(s, m, _)| format!("{};{};{:?}\n", s.code, year, m.0)).collect();
        let mut batch = Batch::begin(self, "cartella", &file, fingerprint.as_bytes()).await?;
        let tx = &mut batch.tx;
        let mut written = 0;
        for (s, m, origins) in &plan {
            for (period, comune, _) in origins.iter().filter(|(p, c, _)| !(p == "Y" && c.is_empty())) {
                store::delete_activity(tx, s.service_id, y, period, comune).await?;
            }
            if m.0.iter().all(Option::is_none) {
                if origins.iter().any(|(p, c, _)| p == "Y" && c.is_empty()) {
                    store::delete_activity(tx, s.service_id, y, "Y", "").await?;
                }
                continue;
            }
            // The budget is not in the case record: the one entered for the year stays.
            let budget =
                rows.iter().find(|r| r.service_id == s.service_id && r.period == "Y" && r.comune_code.is_empty()).and_then(|r| r.budget);
            let rec = store::ActivityRecord {
                service_id: s.service_id,
                year: y,
                period: "Y".into(),
                comune_code: String::new(),
                measures: *m,
                budget,
            };
            store::upsert_activity(tx, &rec, ORIGIN).await?;
            written += 1;
        }
        let mut ev = actor.event("figures.derive", &format!("ambiti/{}/cartella/{year}", a.code), Some(&a.code));
        ev.reason = replace_hand_entered.then(|| "sostituiti i dati inseriti a mano".to_string());
        self.audit_in(tx, ev).await?;
        batch.commit(Some(a.id), written, f).await
    }
}
