//! Reconciliation of paid receipts (issue 17): a CSV of `iuv;importo;data_pagamento;psp`, or
//! GPD's status polled. Every receipt is recorded; the classification says what it does to the
//! notice and whether an officer must look at it. A receipt whose amount differs is accepted and
//! flagged (the money is in the treasury either way); one for an unknown IUV changes nothing.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::date::{Day, parse_iso_or_italian};
use crate::interventions::FieldError;
use crate::number::{NumberStyle, parse_decimal};
use crate::pagopa::iuv::{Iuv, NoticeNumber};

/// Where a notice stands before the receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatus {
    /// Issued, not (fully) paid.
    Open,
    Paid,
    /// Replaced by a corrective notice or withdrawn; its IUV is never reused.
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NoticeState {
    pub cents: i64,
    /// What earlier receipts paid.
    pub paid_cents: i64,
    pub status: NoticeStatus,
}

/// One receipt as the CSV or GPD gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub iuv: Iuv,
    pub cents: i64,
    pub paid_on: Day,
    pub psp: String,
}

/// What a receipt means for its notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "esito", rename_all = "snake_case")]
pub enum ReceiptOutcome {
    /// The notice is now paid in full.
    Paid,
    /// Less than what remained: the notice stays open for the rest.
    Partial { missing_cents: i64 },
    /// More than what remained: paid, with an excess to give back.
    Overpaid { excess_cents: i64 },
    /// The notice was already paid in full: a second payment to give back.
    Duplicate,
    /// The notice had been cancelled: a payment to give back or to set against its replacement.
    Cancelled,
    /// No notice of this Ambito has the IUV.
    UnknownIuv,
}

impl ReceiptOutcome {
    /// Whether an officer must look at it.
    pub fn flagged(self) -> bool {
        !matches!(self, ReceiptOutcome::Paid)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReceiptOutcome::Paid => "pagato",
            ReceiptOutcome::Partial { .. } => "pagamento parziale",
            ReceiptOutcome::Overpaid { .. } => "pagamento superiore al dovuto",
            ReceiptOutcome::Duplicate => "pagamento doppio (avviso già pagato)",
            ReceiptOutcome::Cancelled => "pagamento di un avviso annullato",
            ReceiptOutcome::UnknownIuv => "IUV sconosciuto",
        }
    }
}

/// Classifies `receipt` against the notice with its IUV (`None`: no such notice).
pub fn classify(notice: Option<&NoticeState>, receipt: &Receipt) -> ReceiptOutcome {
    let Some(n) = notice else { return ReceiptOutcome::UnknownIuv };
    match n.status {
        NoticeStatus::Cancelled => ReceiptOutcome::Cancelled,
        NoticeStatus::Paid => ReceiptOutcome::Duplicate,
        NoticeStatus::Open => {
            let remaining = n.cents.saturating_sub(n.paid_cents);
            match receipt.cents.cmp(&remaining) {
                std::cmp::Ordering::Equal => ReceiptOutcome::Paid,
                std::cmp::Ordering::Less => ReceiptOutcome::Partial { missing_cents: remaining - receipt.cents },
                std::cmp::Ordering::Greater => ReceiptOutcome::Overpaid { excess_cents: receipt.cents - remaining },
            }
        }
    }
}

/// The notice after the receipt: paid when the receipts reach its amount.
pub fn apply(notice: NoticeState, receipt: &Receipt) -> NoticeState {
    match notice.status {
        NoticeStatus::Open => {
            let paid_cents = notice.paid_cents.saturating_add(receipt.cents);
            let status = if paid_cents >= notice.cents { NoticeStatus::Paid } else { NoticeStatus::Open };
            NoticeState { paid_cents, status, ..notice }
        }
        _ => NoticeState { paid_cents: notice.paid_cents.saturating_add(receipt.cents), ..notice },
    }
}

/// One row of the receipts CSV, as typed: the IUV (or the 18-digit notice number), the amount
/// in euro (`125,50` or `125.50`, as a PSP's export writes it), the day paid, the PSP.
pub fn parse_receipt(iuv: &str, importo: &str, data: &str, psp: &str) -> Result<Receipt, Vec<FieldError>> {
    let mut errors = Vec::new();
    let code: String = iuv.chars().filter(|c| !c.is_whitespace()).collect();
    let iuv = if code.len() == 18 { NoticeNumber::parse(&code).map(|n| n.iuv()) } else { Iuv::parse(&code) };
    let iuv = iuv.map_err(|e| errors.push(FieldError::new("iuv", e.to_string()))).ok();
    let cents = match parse_decimal(importo, NumberStyle::Italian) {
        Ok(v) if v <= Decimal::ZERO => Err(format!("l'importo deve essere positivo ({v})")),
        Ok(v) => super::to_cents(v).ok_or_else(|| format!("importo in euro con al più due decimali ({v})")),
        Err(e) => Err(e.to_string()),
    };
    let cents = cents.map_err(|m| errors.push(FieldError::new("importo", m))).ok();
    let paid_on = parse_iso_or_italian(data.trim());
    if paid_on.is_none() {
        errors.push(FieldError::new("data_pagamento", format!("data non valida «{}» (AAAA-MM-GG o GG/MM/AAAA)", data.trim())));
    }
    match (iuv, cents, paid_on) {
        (Some(iuv), Some(cents), Some(paid_on)) => Ok(Receipt { iuv, cents, paid_on, psp: psp.trim().to_string() }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt(cents: i64) -> Receipt {
        parse_receipt("01000000001234519", &format!("{}", Decimal::new(cents, 2)), "2025-04-10", "Banca Esempio")
            .map(|r| Receipt { cents, ..r })
            .unwrap()
    }

    fn open(cents: i64, paid: i64) -> NoticeState {
        NoticeState { cents, paid_cents: paid, status: NoticeStatus::Open }
    }

    #[test]
    fn every_kind_of_receipt() {
        assert_eq!(classify(Some(&open(12_550, 0)), &receipt(12_550)), ReceiptOutcome::Paid);
        assert_eq!(classify(Some(&open(12_550, 0)), &receipt(10_000)), ReceiptOutcome::Partial { missing_cents: 2_550 });
        assert_eq!(classify(Some(&open(12_550, 0)), &receipt(13_000)), ReceiptOutcome::Overpaid { excess_cents: 450 });
        assert_eq!(classify(Some(&open(12_550, 10_000)), &receipt(2_550)), ReceiptOutcome::Paid, "the rest of a partial payment");
        let paid = NoticeState { status: NoticeStatus::Paid, ..open(12_550, 12_550) };
        assert_eq!(classify(Some(&paid), &receipt(12_550)), ReceiptOutcome::Duplicate);
        let cancelled = NoticeState { status: NoticeStatus::Cancelled, ..open(12_550, 0) };
        assert_eq!(classify(Some(&cancelled), &receipt(12_550)), ReceiptOutcome::Cancelled);
        assert_eq!(classify(None, &receipt(12_550)), ReceiptOutcome::UnknownIuv);
        assert!(!ReceiptOutcome::Paid.flagged());
        assert!(ReceiptOutcome::Partial { missing_cents: 1 }.flagged() && ReceiptOutcome::UnknownIuv.flagged());
    }

    #[test]
    fn applying_receipts() {
        let n = apply(open(12_550, 0), &receipt(10_000));
        assert_eq!(n, open(12_550, 10_000));
        let n = apply(n, &receipt(2_550));
        assert_eq!(n.status, NoticeStatus::Paid);
        let n = apply(n, &receipt(12_550));
        assert_eq!((n.status, n.paid_cents), (NoticeStatus::Paid, 25_100), "a duplicate is kept in the total to give back");
    }

    #[test]
    fn a_receipts_row() {
        let r = parse_receipt("3010 0000 0001 2345 19", "125,50", "10/04/2025", " PSP ").unwrap();
        assert_eq!((r.iuv.as_str(), r.cents, r.paid_on.iso(), r.psp.as_str()), ("01000000001234519", 12_550, "2025-04-10".into(), "PSP"));
        assert_eq!(parse_receipt("01000000001234519", "1.234,5", "2025-04-10", "").unwrap().cents, 123_450);
        let e = parse_receipt("01000000001234518", "0", "ieri", "").unwrap_err();
        let fields: Vec<&str> = e.iter().map(|f| f.field).collect();
        assert_eq!(fields, vec!["iuv", "importo", "data_pagamento"]);
        assert!(parse_receipt("01000000001234519", "1,005", "2025-04-10", "").is_err(), "no fractions of a cent");
    }
}
