//! What a month's run needs, set up once: the regulation versions
//! (`ambito copayment regulation FILE.toml`), the pagoPA settings
//! (`ambito copayment settings …`) and individual exemptions (`ambito copayment exemption …`).

use crate::access::Actor;
use crate::{App, AppError, Result};
use ambito_domain::copayment::regulation::check_new_version;
use ambito_domain::copayment::{Regulation, parse_regulation};
use ambito_domain::date::{Day, parse_iso_or_italian};
use ambito_domain::pagopa::ente::{EnteSettings, EnteSettingsInput, check_settings};
use ambito_store as store;

/// The remittance text when the Ambito sets none (`{servizio}` lists the charged services).
pub const DEFAULT_CAUSALE: &str = "Compartecipazione {servizio} {mese} {cognome} {nome}";
/// The taxonomy code (*tassonomia*) when none is given: the one of the domain's examples. GPD
/// checks it against PagoPA's taxonomy, so an Ambito must confirm its own before going live.
pub const DEFAULT_CATEGORIA: &str = "9/0101108TS/";

/// The settings as typed; blank optional fields take the defaults above (`nome`: the Ambito's).
#[derive(Debug, Clone, Default)]
pub struct SettingsArgs<'a> {
    pub ente_cf: &'a str,
    pub segregazione: &'a str,
    pub iban: &'a str,
    pub nome: Option<&'a str>,
    pub ufficio: Option<&'a str>,
    pub categoria: Option<&'a str>,
    pub causale: Option<&'a str>,
}

/// An exemption as typed.
#[derive(Debug, Clone, Default)]
pub struct ExemptionArgs<'a> {
    pub codice_fiscale: &'a str,
    pub servizio: Option<&'a str>,
    pub atto: &'a str,
    pub motivo: &'a str,
    pub dal: &'a str,
    pub al: Option<&'a str>,
}

fn day(field: &str, text: &str) -> Result<Day> {
    parse_iso_or_italian(text.trim()).ok_or_else(|| AppError::Invalid(format!("{field}: data non valida «{text}» (AAAA-MM-GG)")))
}

impl App {
    /// Loads a regulation version: every problem of the file (with its line), an overlapping
    /// version, or a service missing from the Ambito's catalogue refuses it and stores nothing.
    pub async fn load_regulation(&self, actor: &Actor<'_>, file: &str, text: &str, ambito_code: &str) -> Result<Regulation> {
        let ambito = self.ambito(ambito_code).await?;
        let reg = parse_regulation(text).map_err(|issues| {
            let lines: Vec<String> = issues
                .iter()
                .map(|i| {
                    let mut s = i.clone();
                    let at = s.line.take().map(|l| format!("{file}:{l}")).unwrap_or_else(|| file.to_string());
                    format!("{at}: {s}")
                })
                .collect();
            AppError::Invalid(lines.join("\n"))
        })?;
        let mut tx = self.store.write().await?;
        let existing = store::regulations(&mut tx, ambito.id).await?;
        let starts: Vec<Day> = existing.iter().filter_map(|r| parse_iso_or_italian(&r.valido_dal)).collect();
        check_new_version(&starts, reg.valido_dal).map_err(|e| AppError::Invalid(format!("{file}: {e}")))?;
        if existing.iter().any(|r| r.codice == reg.codice) {
            return Err(AppError::Invalid(format!("{file}: esiste già una versione con codice «{}»", reg.codice)));
        }
        let catalogue = store::list_services(&mut tx, ambito.id).await?;
        let mut services = Vec::new();
        let mut missing = Vec::new();
        for s in &reg.servizi {
            match catalogue.iter().find(|c| c.code == s.codice_servizio) {
                Some(c) => services.push((c.id, s.unita.code(), s.formula.code())),
                None => {
                    missing.push(format!("{file}: servizio «{}» non presente nel catalogo dell'Ambito {}", s.codice_servizio, ambito.code))
                }
            }
        }
        if !missing.is_empty() {
            return Err(AppError::Invalid(missing.join("\n")));
        }
        let by = actor.principal.map(|p| p.user_id);
        store::insert_regulation(&mut tx, ambito.id, &reg.codice, &reg.valido_dal.iso(), text, &services, by).await?;
        let ev =
            actor.event("copayment.regulation", &format!("regolamento {} dal {}", reg.codice, reg.valido_dal.iso()), Some(&ambito.code));
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(reg)
    }

    /// Checks and stores the Ambito's pagoPA settings (a new row: the history stays).
    pub async fn set_pagopa_settings(&self, actor: &Actor<'_>, ambito_code: &str, a: &SettingsArgs<'_>) -> Result<EnteSettings> {
        let ambito = self.ambito(ambito_code).await?;
        let input = EnteSettingsInput {
            ente_cf: a.ente_cf,
            nome: a.nome.unwrap_or(&ambito.name),
            ufficio: a.ufficio.unwrap_or(""),
            segregazione: a.segregazione,
            iban: a.iban,
            categoria: a.categoria.unwrap_or(DEFAULT_CATEGORIA),
            causale: a.causale.unwrap_or(DEFAULT_CAUSALE),
        };
        let s = check_settings(&input)
            .map_err(|errors| AppError::Invalid(errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")))?;
        let row = store::PagopaSettingsRow {
            ente_cf: s.ente_cf.to_string(),
            nome: s.nome.clone(),
            ufficio: s.ufficio.clone(),
            segregazione: s.segregazione.to_string(),
            iban: s.iban.to_string(),
            categoria: s.categoria.clone(),
            causale: s.causale.to_string(),
        };
        let mut tx = self.store.write_untracked().await?;
        store::insert_pagopa_settings(&mut tx, ambito.id, &row, actor.principal.map(|p| p.user_id)).await?;
        let ev = actor.event(
            "copayment.settings",
            &format!("pagoPA: ente {}, segregazione {}", row.ente_cf, row.segregazione),
            Some(&ambito.code),
        );
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Records an individual exemption of a person of the registry.
    pub async fn add_exemption(&self, actor: &Actor<'_>, ambito_code: &str, a: &ExemptionArgs<'_>) -> Result<i64> {
        let ambito = self.ambito(ambito_code).await?;
        let (dal, al) = (day("dal", a.dal)?, a.al.map(|t| day("al", t)).transpose()?);
        if al.is_some_and(|al| al < dal) {
            return Err(AppError::Invalid("l'esenzione non può terminare prima di iniziare".into()));
        }
        for (field, v) in [("atto", a.atto), ("motivo", a.motivo)] {
            if v.trim().is_empty() {
                return Err(AppError::Invalid(format!("{field}: obbligatorio")));
            }
        }
        let mut tx = self.store.write().await?;
        let cf = a.codice_fiscale.trim().to_uppercase();
        let person = store::person_by_codice_fiscale(&mut tx, &cf)
            .await?
            .ok_or_else(|| AppError::Invalid(format!("codice fiscale «{cf}» non presente nell'anagrafe delle persone")))?;
        let service_id = match a.servizio {
            None => None,
            Some(code) => Some(
                store::list_services(&mut tx, ambito.id)
                    .await?
                    .into_iter()
                    .find(|s| s.code == code)
                    .map(|s| s.id)
                    .ok_or_else(|| AppError::Invalid(format!("servizio «{code}» non presente nel catalogo dell'Ambito")))?,
            ),
        };
        let (dal, al) = (dal.iso(), al.map(|d| d.iso()));
        let new = store::NewExemption {
            person_id: person.id,
            ambito_id: ambito.id,
            service_id,
            atto: a.atto.trim(),
            motivo: a.motivo.trim(),
            dal: &dal,
            al: al.as_deref(),
            by: actor.principal.map(|p| p.user_id),
        };
        let id = store::insert_exemption(&mut tx, &new).await?;
        let ev = actor.event("copayment.exemption", &format!("esenzione {} ({})", cf, new.atto), Some(&ambito.code));
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(id)
    }
}
