//! Between the store's rows and the rules' values: a stored statement row read back (a re-run
//! compares with it), a row to store, the ISEE and exemptions as the rules take them.

use crate::{AppError, Result};
use ambito_domain::copayment::isee::{DsuProtocol, IseeRecord, IseeType};
use ambito_domain::copayment::statement::StatementRow;
use ambito_domain::copayment::tariff::IseeUsed;
use ambito_domain::copayment::{Exemption, Month, Unit, to_cents};
use ambito_domain::date::{Day, parse_iso};
use ambito_domain::fixed::money_from_units;
use ambito_domain::pagopa::Iuv;
use ambito_store as store;
use rust_decimal::Decimal;

fn corrupt(what: &str, value: &str) -> AppError {
    AppError::Internal(format!("valore registrato non valido ({what}): «{value}»"))
}

pub(crate) fn day_of(yyyymmdd: i64) -> Option<Day> {
    Day::new((yyyymmdd / 10000) as i32, (yyyymmdd / 100 % 100) as u8, (yyyymmdd % 100) as u8)
}

pub(crate) fn iso_day(text: &str) -> Result<Day> {
    parse_iso(text).ok_or_else(|| corrupt("data", text))
}

/// A stored row as the rules wrote it.
pub(crate) fn row_from_store(r: &store::StatementRowRow, mese: Month, scadenza: Day) -> Result<StatementRow> {
    let unita = Unit::from_code(&r.unita).ok_or_else(|| corrupt("unità", &r.unita))?;
    let quantita: Decimal = r.quantita.parse().map_err(|_| corrupt("quantità", &r.quantita))?;
    let isee = match (&r.isee_tipo, r.isee_valore_cents) {
        (Some(t), Some(v)) => {
            Some(IseeUsed { tipo: IseeType::from_code(t).ok_or_else(|| corrupt("tipo ISEE", t))?, valore: money_from_units(v) })
        }
        _ => None,
    };
    let iuv = r.iuv.as_deref().map(|i| Iuv::parse(i).map_err(|_| corrupt("IUV", i))).transpose()?;
    Ok(StatementRow {
        codice_fiscale: r.codice_fiscale.clone(),
        codice_servizio: r.service_code.clone(),
        mese,
        unita,
        quantita,
        isee,
        tariffa_unitaria: money_from_units(r.tariffa_cents),
        importo: money_from_units(r.importo_cents),
        motivo: r.motivo.clone(),
        iuv,
        scadenza,
    })
}

/// A computed row to store; `notice_id` is the notice covering it.
pub(crate) fn row_to_store(r: &StatementRow, person_id: i64, service_id: i64, notice_id: Option<i64>) -> Result<store::StatementRowRow> {
    let cents = |v: Decimal| to_cents(v).ok_or_else(|| AppError::Internal(format!("importo non in centesimi: {v}")));
    Ok(store::StatementRowRow {
        person_id,
        codice_fiscale: r.codice_fiscale.clone(),
        service_id,
        service_code: r.codice_servizio.clone(),
        unita: r.unita.code().to_string(),
        quantita: r.quantita.normalize().to_string(),
        isee_tipo: r.isee.map(|i| i.tipo.code().to_string()),
        isee_valore_cents: r.isee.map(|i| cents(i.valore)).transpose()?,
        tariffa_cents: cents(r.tariffa_unitaria)?,
        importo_cents: cents(r.importo)?,
        motivo: r.motivo.clone(),
        notice_id,
        iuv: None,
    })
}

/// A stored attestation as the rules take it.
pub(crate) fn isee_record(r: &store::IseeRow) -> Result<IseeRecord> {
    let tipo = IseeType::from_code(&r.tipo).ok_or_else(|| corrupt("tipo ISEE", &r.tipo))?;
    let protocollo = DsuProtocol::parse(&r.protocollo_dsu).map_err(|_| corrupt("protocollo DSU", &r.protocollo_dsu))?;
    let fino = r.valido_fino.as_deref().map(iso_day).transpose()?;
    IseeRecord::new(tipo, money_from_units(r.valore_cents), protocollo, iso_day(&r.data_dsu)?, fino)
        .map_err(|e| AppError::Internal(format!("ISEE registrato non valido: {e}")))
}

pub(crate) fn exemption(r: &store::ExemptionRow) -> Result<Exemption> {
    Ok(Exemption {
        atto: r.atto.clone(),
        motivo: r.motivo.clone(),
        dal: iso_day(&r.dal)?,
        al: r.al.as_deref().map(iso_day).transpose()?,
        servizio: r.service_code.clone(),
    })
}
