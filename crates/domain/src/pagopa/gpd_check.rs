//! The field rules of a GPD position (spec §2, and the create-time date checks GPD's sources
//! apply), checked before sending so that a refusal is an Italian message on our side rather
//! than a 400 from GPD. Every problem is listed, each with the JSON path of its field.
//!
//! Beyond GPD's own rules: the IUV must carry the Ambito's segregation code (GPD answers 403
//! otherwise) and valid check digits (GPD does not check them, a wrong one is unpayable), and
//! the IUPD must start with the ente's fiscal code, the shape that keeps it unique per ente.
//! The debtor's name and address are held to the lengths of the receipt's subject, which
//! echoes them back.

use std::collections::BTreeSet;

use serde::Serialize;

use super::ente::{EnteFiscalCode, EnteSettings};
use super::gpd::{Metadata, PaymentOptionModel, PaymentPositionModel, TransferModel};
use super::iban::Iban;
use super::iuv::Iuv;
use crate::date::Day;

/// The general limit of GPD's texts.
pub const MAX_TEXT: usize = 140;

/// One broken rule: where (`paymentOption[0].transfer[1].iban`) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GpdIssue {
    pub field: String,
    pub message: String,
}

/// A GPD date-time read as local wall-clock time: `YYYY-MM-DDTHH:MM:SS`, optionally with
/// fractional seconds and an offset (`Z`, `+01:00`), which are accepted and not compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GpdDateTime {
    pub day: Day,
    pub seconds: u32,
}

impl GpdDateTime {
    pub fn parse(text: &str) -> Option<GpdDateTime> {
        let (date, time) = text.split_once('T')?;
        let day = crate::date::parse_iso(date)?;
        let hms = time.get(..8)?;
        let rest = &time[8..];
        let b = hms.as_bytes();
        if !hms.is_ascii() || b[2] != b':' || b[5] != b':' {
            return None;
        }
        let num = |s: &str| if s.len() == 2 && s.bytes().all(|c| c.is_ascii_digit()) { s.parse::<u32>().ok() } else { None };
        let (h, m, s) = (num(&hms[..2])?, num(&hms[3..5])?, num(&hms[6..8])?);
        if h > 23 || m > 59 || s > 59 {
            return None;
        }
        let rest = match rest.strip_prefix('.') {
            Some(r) => r.trim_start_matches(|c: char| c.is_ascii_digit()),
            None => rest,
        };
        let offset_ok = rest.is_empty() || rest == "Z" || {
            let o = rest.as_bytes();
            o.len() == 6 && (o[0] == b'+' || o[0] == b'-') && o[3] == b':' && num(&rest[1..3]).is_some() && num(&rest[4..6]).is_some()
        };
        offset_ok.then_some(GpdDateTime { day, seconds: h * 3600 + m * 60 + s })
    }
}

struct Checker {
    issues: Vec<GpdIssue>,
}

impl Checker {
    fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.issues.push(GpdIssue { field: field.into(), message: message.into() });
    }

    fn text(&mut self, field: &str, value: &str, required: bool, max: usize) {
        let n = value.trim().chars().count();
        if required && n == 0 {
            self.push(field, "obbligatorio");
        } else if value.chars().count() > max {
            self.push(field, format!("al più {max} caratteri, ne ha {}", value.chars().count()));
        }
    }

    fn opt_text(&mut self, field: &str, value: &Option<String>, max: usize) {
        if let Some(v) = value {
            self.text(field, v, false, max);
        }
    }

    fn date(&mut self, field: &str, value: &str) -> Option<GpdDateTime> {
        let d = GpdDateTime::parse(value);
        if d.is_none() {
            self.push(field, format!("data e ora non valida (AAAA-MM-GGThh:mm:ss): «{value}»"));
        }
        d
    }

    fn metadata(&mut self, field: &str, items: &[Metadata], reserved: Option<&str>) {
        if items.len() > 10 {
            self.push(field, format!("al più 10 metadati, ne ha {}", items.len()));
        }
        let mut keys = BTreeSet::new();
        for (i, m) in items.iter().enumerate() {
            self.text(&format!("{field}[{i}].key"), &m.key, true, MAX_TEXT);
            self.text(&format!("{field}[{i}].value"), &m.value, false, MAX_TEXT);
            if !keys.insert(m.key.as_str()) {
                self.push(format!("{field}[{i}].key"), format!("chiave «{}» ripetuta", m.key));
            }
            if reserved == Some(m.key.as_str()) {
                self.push(format!("{field}[{i}].key"), format!("la chiave «{}» è riservata a GPD", m.key));
            }
        }
    }
}

fn upper2(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn alnum_up_to(s: &str, max: usize) -> bool {
    !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Every rule `p` breaks, for a create at `now`; empty when GPD should take it.
pub fn check_position(p: &PaymentPositionModel, settings: &EnteSettings, now: GpdDateTime) -> Vec<GpdIssue> {
    let mut c = Checker { issues: Vec::new() };
    let cf = settings.ente_cf.as_str();
    if p.iupd.is_empty() || !p.iupd.starts_with(cf) || !p.iupd.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        c.push("iupd", format!("deve iniziare con il codice fiscale dell'ente ({cf}) e contenere solo lettere, cifre, - e _"));
    }
    c.text("iupd", &p.iupd, true, MAX_TEXT);
    if !alnum_up_to(&p.fiscal_code, 16) || p.fiscal_code.len() < 2 {
        c.push("fiscalCode", "codice fiscale o partita IVA del debitore: da 2 a 16 lettere o cifre");
    }
    c.text("fullName", &p.full_name, true, 70);
    c.opt_text("streetName", &p.street_name, 70);
    c.opt_text("civicNumber", &p.civic_number, 16);
    c.opt_text("postalCode", &p.postal_code, 16);
    c.opt_text("city", &p.city, 35);
    c.opt_text("province", &p.province, 35);
    c.opt_text("region", &p.region, 35);
    if let Some(country) = &p.country
        && !upper2(country)
    {
        c.push("country", format!("due lettere maiuscole (IT), trovato «{country}»"));
    }
    if let Some(email) = &p.email {
        let ok = email.split_once('@').is_some_and(|(u, d)| !u.is_empty() && d.contains('.') && !d.contains('@') && !d.ends_with('.'));
        if !ok || email.len() > 256 {
            c.push("email", format!("indirizzo e-mail non valido: «{email}»"));
        }
    }
    c.text("companyName", &p.company_name, true, MAX_TEXT);
    c.opt_text("officeName", &p.office_name, MAX_TEXT);
    let validity = p.validity_date.as_deref().and_then(|v| c.date("validityDate", v));
    if let Some(v) = validity
        && v <= now
    {
        c.push("validityDate", "deve essere successiva al momento della creazione");
    }
    if p.payment_option.is_empty() {
        c.push("paymentOption", "almeno un'opzione di pagamento");
    }
    let mut iuvs = BTreeSet::new();
    for (i, o) in p.payment_option.iter().enumerate() {
        let f = format!("paymentOption[{i}]");
        if !iuvs.insert(o.iuv.as_str()) {
            c.push(format!("{f}.iuv"), format!("IUV {} ripetuto nella posizione", o.iuv));
        }
        check_option(&mut c, &f, o, settings, validity.unwrap_or(now));
    }
    c.issues
}

fn check_option(c: &mut Checker, f: &str, o: &PaymentOptionModel, settings: &EnteSettings, payable_from: GpdDateTime) {
    match Iuv::parse(&o.iuv) {
        Ok(iuv) => {
            if iuv.segregation() != Some(settings.segregazione) {
                c.push(
                    format!("{f}.iuv"),
                    format!("lo IUV non inizia con il codice di segregazione dell'Ambito ({})", settings.segregazione),
                );
            }
            if let Some(nav) = &o.nav
                && nav != iuv.notice_number().as_str()
            {
                c.push(format!("{f}.nav"), format!("il numero avviso deve essere 3 seguito dallo IUV ({})", iuv.notice_number()));
            }
        }
        Err(e) => c.push(format!("{f}.iuv"), e.to_string()),
    }
    if o.amount < 1 {
        c.push(format!("{f}.amount"), format!("l'importo deve essere almeno 1 centesimo, trovato {}", o.amount));
    }
    let sum: i64 = o.transfer.iter().map(|t| t.amount).fold(0i64, i64::saturating_add);
    if sum != o.amount {
        c.push(format!("{f}.amount"), format!("l'importo ({}) deve essere la somma dei versamenti ({sum})", o.amount));
    }
    c.text(&format!("{f}.description"), &o.description, true, MAX_TEXT);
    let due = c.date(&format!("{f}.dueDate"), &o.due_date);
    if let Some(d) = due
        && d < payable_from
    {
        c.push(format!("{f}.dueDate"), "la scadenza non può precedere la data da cui l'avviso è pagabile");
    }
    if let Some(r) = &o.retention_date
        && let Some(r) = c.date(&format!("{f}.retentionDate"), r)
        && due.is_some_and(|d| r < d)
    {
        c.push(format!("{f}.retentionDate"), "non può precedere la scadenza");
    }
    if !(1..=5).contains(&o.transfer.len()) {
        c.push(format!("{f}.transfer"), format!("da 1 a 5 versamenti, ne ha {}", o.transfer.len()));
    }
    let mut ids = BTreeSet::new();
    for (j, t) in o.transfer.iter().enumerate() {
        let tf = format!("{f}.transfer[{j}]");
        if !ids.insert(t.id_transfer.as_str()) {
            c.push(format!("{tf}.idTransfer"), format!("idTransfer «{}» ripetuto", t.id_transfer));
        }
        check_transfer(c, &tf, t);
    }
    c.metadata(&format!("{f}.paymentOptionMetadata"), &o.payment_option_metadata, Some("NOTIFICATION_FEE"));
}

fn check_transfer(c: &mut Checker, tf: &str, t: &TransferModel) {
    if !matches!(t.id_transfer.as_str(), "1" | "2" | "3" | "4" | "5") {
        c.push(format!("{tf}.idTransfer"), format!("da «1» a «5», trovato «{}»", t.id_transfer));
    }
    if t.amount < 1 {
        c.push(format!("{tf}.amount"), format!("l'importo deve essere almeno 1 centesimo, trovato {}", t.amount));
    }
    if let Some(ec) = &t.organization_fiscal_code
        && let Err(e) = EnteFiscalCode::parse(ec)
    {
        c.push(format!("{tf}.organizationFiscalCode"), e.to_string());
    }
    c.text(&format!("{tf}.remittanceInformation"), &t.remittance_information, true, MAX_TEXT);
    c.text(&format!("{tf}.category"), &t.category, true, MAX_TEXT);
    c.opt_text(&format!("{tf}.companyName"), &t.company_name, MAX_TEXT);
    match (&t.iban, &t.stamp) {
        (Some(_), Some(_)) => c.push(format!("{tf}.stamp"), "IBAN e marca da bollo si escludono"),
        (None, None) => c.push(format!("{tf}.iban"), "obbligatorio un IBAN o una marca da bollo"),
        (None, Some(_)) if t.postal_iban.is_some() => c.push(format!("{tf}.postalIban"), "ammesso solo insieme all'IBAN"),
        _ => {}
    }
    if let Some(iban) = &t.iban {
        if !alnum_up_to(iban, 35) {
            c.push(format!("{tf}.iban"), "al più 35 lettere o cifre");
        } else if let Err(e) = Iban::parse(iban) {
            c.push(format!("{tf}.iban"), e.to_string());
        }
    }
    if let Some(p) = &t.postal_iban
        && !alnum_up_to(p, 35)
    {
        c.push(format!("{tf}.postalIban"), "al più 35 lettere o cifre");
    }
    if let Some(s) = &t.stamp {
        if s.hash_document.is_empty() || s.hash_document.len() > 72 {
            c.push(format!("{tf}.stamp.hashDocument"), "da 1 a 72 caratteri (base64)");
        }
        if s.stamp_type.chars().count() != 2 {
            c.push(format!("{tf}.stamp.stampType"), "esattamente 2 caratteri");
        }
        if !upper2(&s.provincial_residence) {
            c.push(format!("{tf}.stamp.provincialResidence"), "due lettere maiuscole (sigla della provincia)");
        }
    }
    c.metadata(&format!("{tf}.transferMetadata"), &t.transfer_metadata, None);
}

#[cfg(test)]
#[path = "gpd_tests.rs"]
mod tests;
