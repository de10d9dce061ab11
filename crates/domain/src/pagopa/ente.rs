//! The ente creditore: its fiscal code and the pagoPA settings of an Ambito
//! (`ambito copayment settings --ente-cf CF --segregazione NN --iban IBAN`).

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::causale::{CausaleError, CausaleTemplate};
use super::iban::{Iban, IbanError};
use super::iuv::{IuvError, SegregationCode};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EnteError {
    #[error("il codice fiscale dell'ente deve avere 11 cifre, trovato «{0}»")]
    CfFormat(String),
    #[error("codice fiscale dell'ente «{found}»: cifra di controllo errata, attesa {expected}")]
    CfCheck { found: String, expected: char },
    #[error("codice di segregazione: {0}")]
    Segregation(IuvError),
    #[error("IBAN: {0}")]
    Iban(IbanError),
    #[error("causale: {0}")]
    Causale(CausaleError),
    #[error("«{field}»: {message}")]
    Field { field: &'static str, message: String },
}

/// The numeric codice fiscale of a public body: 11 digits, the last a check digit computed as
/// for a partita IVA (odd places summed, even places doubled with 9 taken off above 9). The QR
/// code and GPD's `organizationFiscalCode` take exactly this (`stFiscalCodePA`, spec §5); the
/// check digit catches a mistyped digit before thousands of notices carry it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EnteFiscalCode(String);

impl EnteFiscalCode {
    pub fn parse(text: &str) -> Result<EnteFiscalCode, EnteError> {
        let t = text.trim();
        if t.len() != 11 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(EnteError::CfFormat(t.to_string()));
        }
        let expected = check_digit(&t.as_bytes()[..10]);
        if t.as_bytes()[10] != expected {
            return Err(EnteError::CfCheck { found: t.to_string(), expected: char::from(expected) });
        }
        Ok(EnteFiscalCode(t.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The check digit of the first ten digits of a numeric codice fiscale or partita IVA.
fn check_digit(first_ten: &[u8]) -> u8 {
    let sum: u32 = first_ten
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                d
            } else if d * 2 > 9 {
                d * 2 - 9
            } else {
                d * 2
            }
        })
        .sum();
    // (10 - sum mod 10) mod 10 is a single digit.
    b'0' + ((10 - sum % 10) % 10) as u8
}

impl fmt::Display for EnteFiscalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for EnteFiscalCode {
    type Error = EnteError;
    fn try_from(s: String) -> Result<Self, EnteError> {
        EnteFiscalCode::parse(&s)
    }
}

impl From<EnteFiscalCode> for String {
    fn from(c: EnteFiscalCode) -> String {
        c.0
    }
}

/// An Ambito's pagoPA settings. `nome` is GPD's `companyName` and the notice's `ENTE.NOME`;
/// `categoria` the *tassonomia* code of the collection service that every transfer must carry
/// (GPD checks it against PagoPA's taxonomy, which is not restated in the spec, so it is typed,
/// not guessed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnteSettings {
    pub ente_cf: EnteFiscalCode,
    pub nome: String,
    pub ufficio: Option<String>,
    pub segregazione: SegregationCode,
    pub iban: Iban,
    pub categoria: String,
    pub causale: CausaleTemplate,
}

/// The settings as a form or the command line types them.
#[derive(Debug, Clone, Default)]
pub struct EnteSettingsInput<'a> {
    pub ente_cf: &'a str,
    pub nome: &'a str,
    pub ufficio: &'a str,
    pub segregazione: &'a str,
    pub iban: &'a str,
    pub categoria: &'a str,
    pub causale: &'a str,
}

/// Every problem of the input at once, or the settings.
pub fn check_settings(input: &EnteSettingsInput) -> Result<EnteSettings, Vec<EnteError>> {
    let mut errors = Vec::new();
    let ente_cf = EnteFiscalCode::parse(input.ente_cf).map_err(|e| errors.push(e)).ok();
    let segregazione = SegregationCode::parse(input.segregazione).map_err(|e| errors.push(EnteError::Segregation(e))).ok();
    let iban = Iban::parse(input.iban).map_err(|e| errors.push(EnteError::Iban(e))).ok();
    let causale = CausaleTemplate::parse(input.causale).map_err(|e| errors.push(EnteError::Causale(e))).ok();
    let mut text = |field: &'static str, value: &str, required: bool| {
        let v = value.trim();
        if required && v.is_empty() {
            errors.push(EnteError::Field { field, message: "obbligatorio".into() });
        } else if v.chars().count() > 140 {
            errors.push(EnteError::Field { field, message: "al più 140 caratteri".into() });
        }
        (!v.is_empty()).then(|| v.to_string())
    };
    let nome = text("nome", input.nome, true);
    let ufficio = text("ufficio", input.ufficio, false);
    let categoria = text("categoria", input.categoria, true);
    match (ente_cf, nome, segregazione, iban, categoria, causale) {
        (Some(ente_cf), Some(nome), Some(segregazione), Some(iban), Some(categoria), Some(causale)) if errors.is_empty() => {
            Ok(EnteSettings { ente_cf, nome, ufficio, segregazione, iban, categoria, causale })
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_fiscal_codes_of_public_bodies() {
        // Comune di Bergamo, Comune di Milano, INPS.
        for cf in ["80034840167", "01199250158", "80078750587"] {
            assert!(EnteFiscalCode::parse(cf).is_ok(), "{cf}");
        }
        assert_eq!(EnteFiscalCode::parse("80034840168"), Err(EnteError::CfCheck { found: "80034840168".into(), expected: '7' }));
        assert!(matches!(EnteFiscalCode::parse("8003484016"), Err(EnteError::CfFormat(_))));
        assert!(matches!(EnteFiscalCode::parse("RSSMRA80A01H501U"), Err(EnteError::CfFormat(_))));
    }

    fn input() -> EnteSettingsInput<'static> {
        EnteSettingsInput {
            ente_cf: "80034840167",
            nome: "Ambito di Alto Sebino",
            ufficio: "",
            segregazione: "07",
            iban: "IT60 X054 2811 1010 0000 0123 456",
            categoria: "9/0101108TS/",
            causale: "Compartecipazione {servizio} {mese} {cognome}",
        }
    }

    #[test]
    fn settings_are_checked_together() {
        let s = check_settings(&input()).unwrap();
        assert_eq!(s.iban.as_str(), "IT60X0542811101000000123456");
        assert_eq!(s.ufficio, None);
        let bad = EnteSettingsInput { ente_cf: "123", segregazione: "98", iban: "IT00", nome: " ", causale: "{nope}", ..input() };
        let errors = check_settings(&bad).unwrap_err();
        assert_eq!(errors.len(), 5, "{errors:?}");
    }
}
