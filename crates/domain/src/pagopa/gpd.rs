//! The GPD debt position (*posizione debitoria*) as the external API v1 takes and returns it
//! (spec §2): a position for one debtor, its payment options, each option's transfers
//! (*versamenti*). Amounts are integer euro cents. Read-only fields GPD adds are optional here,
//! so the same types read its answers; they are never sent when absent.
//!
//! ambito sends one position per notice: one option for the whole amount (no installments) and
//! one transfer to the Ambito's IBAN. The IUPD is `<CF ente>-<IUV>`: unique per ente because an
//! IUV is never reused, and the same on every retry, which is what makes a create idempotent
//! (a second POST answers 409, the position is already there).

use serde::{Deserialize, Serialize};

use super::ente::EnteSettings;
use super::iuv::Iuv;
use crate::date::Day;

/// Whether the debtor is a natural (F) or a legal (G) person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DebtorType {
    F,
    G,
}

/// A position's status (spec §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PositionStatus {
    Draft,
    Published,
    Valid,
    Invalid,
    Expired,
    PartiallyPaid,
    Paid,
    Reported,
}

/// A payment option's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OptionStatus {
    #[serde(rename = "PO_UNPAID")]
    Unpaid,
    #[serde(rename = "PO_PAID")]
    Paid,
    #[serde(rename = "PO_PARTIALLY_REPORTED")]
    PartiallyReported,
    #[serde(rename = "PO_REPORTED")]
    Reported,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentPositionModel {
    pub iupd: String,
    #[serde(rename = "type")]
    pub debtor_type: DebtorType,
    pub fiscal_code: String,
    pub full_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub civic_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub switch_to_expired: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_stand_in: Option<bool>,
    pub company_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub office_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity_date: Option<String>,
    /// Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_date: Option<String>,
    /// Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<PositionStatus>,
    #[serde(default)]
    pub payment_option: Vec<PaymentOptionModel>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentOptionModel {
    pub iuv: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nav: Option<String>,
    pub amount: i64,
    pub description: String,
    pub is_partial_payment: bool,
    pub due_date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_date: Option<String>,
    /// Read-only: the PSP's fee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<i64>,
    /// Read-only: the SEND notification fee GPD adds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_fee: Option<i64>,
    /// Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<OptionStatus>,
    /// Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_date: Option<String>,
    /// Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub psp_company: Option<String>,
    /// Read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_receipt: Option<String>,
    #[serde(default)]
    pub transfer: Vec<TransferModel>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payment_option_metadata: Vec<Metadata>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferModel {
    /// `"1"` to `"5"`.
    pub id_transfer: String,
    pub amount: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_fiscal_code: Option<String>,
    pub remittance_information: String,
    /// The *tassonomia* code.
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iban: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_iban: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stamp: Option<Stamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transfer_metadata: Vec<Metadata>,
}

/// A *marca da bollo digitale*, exclusive with an IBAN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stamp {
    pub hash_document: String,
    pub stamp_type: String,
    pub provincial_residence: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub key: String,
    pub value: String,
}

/// The debtor as the case record knows them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Debtor {
    pub codice_fiscale: String,
    pub nome_completo: String,
    pub indirizzo: Option<String>,
    pub civico: Option<String>,
    pub cap: Option<String>,
    pub comune: Option<String>,
    pub provincia: Option<String>,
    pub email: Option<String>,
}

/// One notice to publish: its IUV, the total of the person's month, the due date, the causale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeToSend {
    pub iuv: Iuv,
    pub cents: i64,
    pub scadenza: Day,
    pub causale: String,
}

/// The time of day a due date ends: GPD takes date-times, a notice is due *on* a day.
pub const DUE_TIME: &str = "23:59:59";

/// `YYYY-MM-DDTHH:MM:SS`, local time without an offset, as the dates of the GPD examples.
pub fn gpd_due_date(day: Day) -> String {
    format!("{}T{DUE_TIME}", day.iso())
}

/// The IUPD of a notice's position: `<CF ente>-<IUV>`.
pub fn iupd(settings: &EnteSettings, iuv: &Iuv) -> String {
    format!("{}-{}", settings.ente_cf, iuv)
}

/// The position of one notice. `switchToExpired` is false: an unpaid notice stays payable after
/// its due date, as the reminder (*sollecito*) asks the person to pay the same notice.
pub fn build_position(settings: &EnteSettings, debtor: &Debtor, notice: &NoticeToSend) -> PaymentPositionModel {
    let opt = |s: &Option<String>| s.as_ref().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let transfer = TransferModel {
        id_transfer: "1".into(),
        amount: notice.cents,
        organization_fiscal_code: Some(settings.ente_cf.to_string()),
        remittance_information: notice.causale.clone(),
        category: settings.categoria.clone(),
        iban: Some(settings.iban.to_string()),
        postal_iban: None,
        stamp: None,
        company_name: Some(settings.nome.clone()),
        transfer_metadata: Vec::new(),
    };
    let option = PaymentOptionModel {
        iuv: notice.iuv.to_string(),
        nav: Some(notice.iuv.notice_number().to_string()),
        amount: notice.cents,
        description: notice.causale.clone(),
        is_partial_payment: false,
        due_date: gpd_due_date(notice.scadenza),
        retention_date: None,
        fee: None,
        notification_fee: None,
        status: None,
        payment_date: None,
        psp_company: None,
        id_receipt: None,
        transfer: vec![transfer],
        payment_option_metadata: Vec::new(),
    };
    PaymentPositionModel {
        iupd: iupd(settings, &notice.iuv),
        debtor_type: DebtorType::F,
        fiscal_code: debtor.codice_fiscale.trim().to_uppercase(),
        full_name: debtor.nome_completo.trim().to_string(),
        street_name: opt(&debtor.indirizzo),
        civic_number: opt(&debtor.civico),
        postal_code: opt(&debtor.cap),
        city: opt(&debtor.comune),
        province: opt(&debtor.provincia).map(|p| p.to_uppercase()),
        region: None,
        // The case record keeps Italian addresses; without one, no country is claimed.
        country: opt(&debtor.comune).map(|_| "IT".to_string()),
        email: opt(&debtor.email),
        phone: None,
        switch_to_expired: false,
        pay_stand_in: None,
        company_name: settings.nome.clone(),
        office_name: settings.ufficio.clone(),
        validity_date: None,
        payment_date: None,
        status: None,
        payment_option: vec![option],
    }
}
