//! The remittance text (*causale*): GPD's `description` of the payment option and
//! `remittanceInformation` of the transfer, at most 140 characters each (spec §2). An Ambito
//! writes it once as a template, e.g. `Compartecipazione {servizio} {mese} {cognome}`.
//!
//! The template is checked when it is saved (known placeholders, closed braces, its fixed text
//! alone within 140); a rendered text longer than 140, which a long surname or many services can
//! make, is cut at 140 characters rather than blocking the notice: the notice number, not the
//! causale, identifies the payment.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::interventions::calendar::Month;

/// GPD's limit on `description` and `remittanceInformation`.
pub const MAX_CAUSALE: usize = 140;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CausaleError {
    #[error("segnaposto sconosciuto «{{{0}}}» (ammessi: {{servizio}} {{mese}} {{cognome}} {{nome}} {{codice_fiscale}} {{iuv}})")]
    UnknownPlaceholder(String),
    #[error("parentesi graffa non chiusa")]
    Unclosed,
    #[error("parentesi graffa chiusa senza essere aperta")]
    Unopened,
    #[error("il testo fisso supera {MAX_CAUSALE} caratteri")]
    TooLong,
    #[error("la causale è vuota")]
    Empty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placeholder {
    Servizio,
    Mese,
    Cognome,
    Nome,
    CodiceFiscale,
    Iuv,
}

impl Placeholder {
    fn from_name(name: &str) -> Option<Placeholder> {
        Some(match name {
            "servizio" => Placeholder::Servizio,
            "mese" => Placeholder::Mese,
            "cognome" => Placeholder::Cognome,
            "nome" => Placeholder::Nome,
            "codice_fiscale" => Placeholder::CodiceFiscale,
            "iuv" => Placeholder::Iuv,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Field(Placeholder),
}

/// A checked template; it serialises as the text it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CausaleTemplate {
    source: String,
    parts: Vec<Part>,
}

/// What the placeholders stand for in one notice. `servizi` are the codes (or names) of the
/// services the notice covers, written joined by `, `: one notice covers all of a person's month.
#[derive(Debug, Clone, Default)]
pub struct CausaleValues<'a> {
    pub servizi: &'a [String],
    pub mese: Option<Month>,
    pub cognome: &'a str,
    pub nome: &'a str,
    pub codice_fiscale: &'a str,
    pub iuv: &'a str,
}

impl CausaleTemplate {
    pub fn parse(text: &str) -> Result<CausaleTemplate, CausaleError> {
        let source = text.trim().to_string();
        if source.is_empty() {
            return Err(CausaleError::Empty);
        }
        let mut parts = Vec::new();
        let mut rest = source.as_str();
        while !rest.is_empty() {
            let open = rest.find('{');
            let close = rest.find('}');
            match (open, close) {
                (None, None) => {
                    parts.push(Part::Text(rest.to_string()));
                    break;
                }
                (_, Some(c)) if open.is_none_or(|o| c < o) => return Err(CausaleError::Unopened),
                (Some(_), None) => return Err(CausaleError::Unclosed),
                (Some(o), Some(c)) => {
                    if o > 0 {
                        parts.push(Part::Text(rest[..o].to_string()));
                    }
                    let name = &rest[o + 1..c];
                    if name.contains('{') {
                        return Err(CausaleError::Unclosed);
                    }
                    let p = Placeholder::from_name(name.trim()).ok_or_else(|| CausaleError::UnknownPlaceholder(name.to_string()))?;
                    parts.push(Part::Field(p));
                    rest = &rest[c + 1..];
                }
                (None, Some(_)) => return Err(CausaleError::Unopened),
            }
        }
        let fixed: usize = parts.iter().map(|p| if let Part::Text(t) = p { t.chars().count() } else { 0 }).sum();
        if fixed > MAX_CAUSALE {
            return Err(CausaleError::TooLong);
        }
        Ok(CausaleTemplate { source, parts })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The causale of one notice: placeholders filled, spaces collapsed, cut at 140 characters.
    pub fn render(&self, v: &CausaleValues) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Field(Placeholder::Servizio) => out.push_str(&v.servizi.join(", ")),
                Part::Field(Placeholder::Mese) => out.push_str(&v.mese.map(italian_month).unwrap_or_default()),
                Part::Field(Placeholder::Cognome) => out.push_str(v.cognome.trim()),
                Part::Field(Placeholder::Nome) => out.push_str(v.nome.trim()),
                Part::Field(Placeholder::CodiceFiscale) => out.push_str(v.codice_fiscale.trim()),
                Part::Field(Placeholder::Iuv) => out.push_str(v.iuv.trim()),
            }
        }
        let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
        collapsed.chars().take(MAX_CAUSALE).collect::<String>().trim_end().to_string()
    }
}

/// `marzo 2025`.
pub fn italian_month(m: Month) -> String {
    const NAMES: [&str; 12] =
        ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"];
    let name = usize::try_from(m.month).ok().and_then(|i| NAMES.get(i.wrapping_sub(1))).copied().unwrap_or("?");
    format!("{name} {}", m.year)
}

impl fmt::Display for CausaleTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl TryFrom<String> for CausaleTemplate {
    type Error = CausaleError;
    fn try_from(s: String) -> Result<Self, CausaleError> {
        CausaleTemplate::parse(&s)
    }
}

impl From<CausaleTemplate> for String {
    fn from(t: CausaleTemplate) -> String {
        t.source
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> CausaleTemplate {
        CausaleTemplate::parse(s).unwrap()
    }

    #[test]
    fn placeholders_are_filled() {
        let servizi = ["SAD".to_string(), "ADM".to_string()];
        let v = CausaleValues { servizi: &servizi, mese: Some(Month { year: 2025, month: 3 }), cognome: "Rossi", ..Default::default() };
        assert_eq!(t("Compartecipazione {servizio} {mese} {cognome}").render(&v), "Compartecipazione SAD, ADM marzo 2025 Rossi");
        assert_eq!(t("{ mese }: {nome} {cognome}").render(&v), "marzo 2025: Rossi", "blank values leave no double space");
        assert_eq!(italian_month(Month { year: 2024, month: 12 }), "dicembre 2024");
    }

    #[test]
    fn a_long_causale_is_cut_at_140_characters() {
        let long = "À".repeat(200);
        let v = CausaleValues { cognome: &long, ..Default::default() };
        let out = t("Quota {cognome}").render(&v);
        assert_eq!(out.chars().count(), 140);
        assert!(out.starts_with("Quota ÀÀ"));
    }

    #[test]
    fn malformed_templates() {
        assert_eq!(CausaleTemplate::parse("Quota {servizi}"), Err(CausaleError::UnknownPlaceholder("servizi".into())));
        assert_eq!(CausaleTemplate::parse("Quota {mese"), Err(CausaleError::Unclosed));
        assert_eq!(CausaleTemplate::parse("Quota {me{se}"), Err(CausaleError::Unclosed));
        assert_eq!(CausaleTemplate::parse("Quota mese}"), Err(CausaleError::Unopened));
        assert_eq!(CausaleTemplate::parse(" "), Err(CausaleError::Empty));
        assert_eq!(CausaleTemplate::parse(&"x".repeat(141)), Err(CausaleError::TooLong));
        assert!(CausaleTemplate::parse(&format!("{}{{cognome}}", "x".repeat(140))).is_ok());
    }

    #[test]
    fn it_serialises_as_its_text() {
        let json = serde_json::to_string(&t("Quota {mese}")).unwrap();
        assert_eq!(json, "\"Quota {mese}\"");
        assert!(serde_json::from_str::<CausaleTemplate>("\"{x}\"").is_err());
    }
}
