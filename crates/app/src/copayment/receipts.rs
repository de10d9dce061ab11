//! `ambito copayment receipts FILE.csv --ambito CODE` (`iuv;importo;data_pagamento;psp`) and
//! `ambito copayment arrears --ambito CODE [--at DATE]`.
//!
//! Receipts follow the import rules: every row checked first, a file with any error (a malformed
//! row, an IUV that no notice of the Ambito has) changes nothing. A receipt whose amount differs
//! from what is due, or that pays a notice already paid or cancelled, is recorded and flagged as
//! a warning (`domain::copayment::receipts::classify`): the money is in the treasury either way.
//! The same receipt again (notice, amount, day, PSP) is recorded once.

use crate::access::Actor;
use crate::intake::table::read_table;
use crate::intake::{Batch, Cells, ImportOutcome};
use crate::problems::{Findings, Msg};
use crate::{App, AppError, Progress, Result};
use ambito_domain::copayment::arrears::{BucketTotal, ageing, ageing_summary};
use ambito_domain::copayment::receipts::{NoticeState, NoticeStatus, Receipt, ReceiptOutcome, apply, classify, parse_receipt};
use ambito_domain::date::Day;
use ambito_domain::fixed::money_from_units;
use ambito_domain::format::it_number;
use ambito_domain::number::parse_decimal;
use ambito_store as store;
use std::collections::HashMap;

pub const RECEIPT_COLUMNS: [&str; 4] = ["iuv", "importo", "data_pagamento", "psp"];

#[derive(Debug, Clone, Default)]
pub struct ReceiptsImported {
    pub outcome: ImportOutcome,
    pub recorded: usize,
    pub flagged: usize,
    pub already: usize,
}

fn state(n: &store::NoticeRow) -> NoticeState {
    let status = match n.status.as_str() {
        "pagato" => NoticeStatus::Paid,
        "sostituito" | "annullato" => NoticeStatus::Cancelled,
        _ => NoticeStatus::Open,
    };
    NoticeState { cents: n.amount_cents, paid_cents: n.paid_cents, status }
}

fn money(cents: i64) -> String {
    it_number(money_from_units(cents), 2)
}

/// One past-due notice of the arrears list.
#[derive(Debug, Clone)]
pub struct Arrear {
    pub notice: store::OpenNoticeRow,
    pub due: Day,
    pub unpaid_cents: i64,
    pub bucket: &'static str,
}

impl App {
    pub async fn import_receipts(
        &self,
        actor: &Actor<'_>,
        file: &str,
        bytes: &[u8],
        ambito_code: &str,
        progress: &dyn Progress,
    ) -> Result<ReceiptsImported> {
        let rejected = |f: Findings| ReceiptsImported { outcome: ImportOutcome::rejected(file, f), ..ReceiptsImported::default() };
        let ambito = self.ambito(ambito_code).await?;
        let mut f = Findings::default();
        let Some(table) = read_table(file, bytes, &mut f) else { return Ok(rejected(f)) };
        let Some(idx) = table.columns(&RECEIPT_COLUMNS, &[], &mut f) else { return Ok(rejected(f)) };
        let mut conn = self.store.read().await?;
        let mut notices: HashMap<String, store::NoticeRow> = HashMap::new();
        let mut rows: Vec<(usize, Receipt)> = Vec::new();
        progress.start("validazione", table.rows.len() as u64);
        for (line, cells) in &table.rows {
            progress.advance(1);
            let c = Cells { table: &table, line: *line, cells, idx: &idx, names: &RECEIPT_COLUMNS };
            let amount = match parse_decimal(c.text(1), table.style) {
                Ok(v) => v.to_string().replace('.', ","),
                Err(_) => c.text(1).to_string(),
            };
            match parse_receipt(c.text(0), &amount, c.text(2), c.text(3)) {
                Err(errors) => {
                    for e in errors {
                        let k = RECEIPT_COLUMNS.iter().position(|n| *n == e.field).unwrap_or(0);
                        c.error(&mut f, k, e.message.clone(), e.message);
                    }
                }
                Ok(r) => {
                    if let std::collections::hash_map::Entry::Vacant(v) = notices.entry(r.iuv.to_string()) {
                        match store::notice_by_iuv(&mut conn, ambito.id, r.iuv.as_str()).await? {
                            Some(n) => {
                                v.insert(n);
                            }
                            None => {
                                let msg = format!("IUV {} sconosciuto: nessun avviso dell'Ambito {}", r.iuv, ambito.code);
                                c.error(&mut f, 0, msg.clone(), format!("unknown IUV {}", r.iuv));
                                continue;
                            }
                        }
                    }
                    rows.push((*line, r));
                }
            }
        }
        progress.finish();
        drop(conn);
        if f.has_errors() {
            return Ok(rejected(f));
        }
        let mut batch = Batch::begin(self, "receipts", file, bytes).await?;
        let (mut recorded, mut flagged, mut already) = (0, 0, 0);
        for (line, r) in &rows {
            let n = notices.get_mut(r.iuv.as_str()).ok_or_else(|| AppError::Internal(format!("avviso {} perso", r.iuv)))?;
            let paid_on = r.paid_on.iso();
            let outcome = classify(Some(&state(n)), r);
            let code = match outcome {
                ReceiptOutcome::Paid => "pagato",
                ReceiptOutcome::Partial { .. } => "parziale",
                ReceiptOutcome::Overpaid { .. } => "eccedente",
                ReceiptOutcome::Duplicate => "doppio",
                ReceiptOutcome::Cancelled => "avviso_annullato",
                ReceiptOutcome::UnknownIuv => "iuv_sconosciuto",
            };
            let new =
                store::NewReceipt { notice_id: n.id, amount_cents: r.cents, paid_on: &paid_on, psp: &r.psp, outcome: code, source: file };
            if store::receipt_exists(&mut batch.tx, &new).await? {
                already += 1;
                continue;
            }
            let after = apply(state(n), r);
            let status = match after.status {
                NoticeStatus::Paid if n.status == "sostituito" || n.status == "annullato" => n.status.clone(),
                NoticeStatus::Paid => "pagato".to_string(),
                NoticeStatus::Open if after.paid_cents > 0 => "parziale".to_string(),
                _ => n.status.clone(),
            };
            store::insert_receipt(&mut batch.tx, &new).await?;
            store::set_notice_payment(&mut batch.tx, n.id, after.paid_cents, &status).await?;
            (n.paid_cents, n.status) = (after.paid_cents, status);
            recorded += 1;
            if outcome.flagged() {
                flagged += 1;
                let detail = match outcome {
                    ReceiptOutcome::Partial { missing_cents } => format!(": mancano {}", money(missing_cents)),
                    ReceiptOutcome::Overpaid { excess_cents } => format!(": {} in più da restituire", money(excess_cents)),
                    _ => String::new(),
                };
                let it = format!("avviso {}: {}{detail}", r.iuv, outcome.label());
                f.warning(file, Some(*line), Some("importo"), Msg::new(it.clone(), it));
            }
        }
        let mut ev = actor.event(
            "copayment.receipts",
            &format!("ricevute: {recorded} registrate, {flagged} da verificare, {already} già presenti"),
            Some(&ambito.code),
        );
        ev.reason = Some(file.to_string());
        self.audit_in(&mut batch.tx, ev).await?;
        let outcome = batch.commit(Some(ambito.id), rows.len(), f).await?;
        Ok(ReceiptsImported { outcome, recorded, flagged, already })
    }

    /// Unpaid notices past due on `today`, oldest first, and their ageing buckets.
    pub async fn arrears(&self, ambito_code: &str, today: Day) -> Result<(Vec<Arrear>, [BucketTotal; 4])> {
        let ambito = self.ambito(ambito_code).await?;
        let mut conn = self.store.read().await?;
        let mut list = Vec::new();
        for n in store::open_notices(&mut conn, ambito.id).await? {
            let due = super::stored::iso_day(&n.scadenza)?;
            let unpaid_cents = n.amount_cents.saturating_sub(n.paid_cents);
            if let Some(a) = ageing(due, today).filter(|_| unpaid_cents > 0) {
                list.push(Arrear { notice: n, due, unpaid_cents, bucket: a.label() });
            }
        }
        let summary = ageing_summary(&list.iter().map(|a| (a.due, a.unpaid_cents)).collect::<Vec<_>>(), today);
        Ok((list, summary))
    }
}
