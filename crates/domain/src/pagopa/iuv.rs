//! The IUV (*Identificativo Univoco di Versamento*) and the notice number with aux digit 3
//! (spec §5): `numero avviso = 3 ‖ S(2) ‖ B(13) ‖ C(2)`, `IUV = S ‖ B ‖ C`, where S is the
//! segregation code PagoPA assigned to the Ambito, B a 13-digit base from the Ambito's gap-free
//! counter and `C = int(3 ‖ S ‖ B) mod 93`. Aux digit 3 is the only one current SACI documents,
//! and the only one an ente with more than one generation point (several Ambiti on one
//! intermediary) may use, so it is the only one built here.
//!
//! The arithmetic is on `u64`: `3 ‖ S ‖ B` has 16 digits, below 10^16 < 2^64.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The aux digit of every notice number ambito issues.
pub const AUX_DIGIT: char = '3';
/// The largest 13-digit base.
pub const MAX_BASE: u64 = 9_999_999_999_999;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IuvError {
    #[error("il codice di segregazione deve avere 2 cifre, trovato «{0}»")]
    SegregationFormat(String),
    #[error("il codice di segregazione {0} è riservato ai servizi centralizzati (96-99)")]
    SegregationReserved(String),
    #[error("la base dello IUV deve avere al più 13 cifre, trovato {0}")]
    BaseTooLarge(u64),
    #[error("lo IUV deve avere 17 cifre, trovato «{0}»")]
    IuvFormat(String),
    #[error("il numero avviso deve avere 18 cifre, trovato «{0}»")]
    NoticeFormat(String),
    #[error("il numero avviso deve iniziare con la cifra 3 (aux digit), trovato «{0}»")]
    AuxDigit(String),
    #[error("cifre di controllo errate in «{found}»: attese {expected:02}")]
    CheckDigits { found: String, expected: u64 },
}

/// The 2-digit segregation code. 96–99 are PagoPA's centralised services (CIE, ANPR, SUAP, car
/// tax), never an Ambito's, so a settings form that types one is told so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SegregationCode(u8);

impl SegregationCode {
    pub fn parse(text: &str) -> Result<SegregationCode, IuvError> {
        let t = text.trim();
        if t.len() != 2 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IuvError::SegregationFormat(t.to_string()));
        }
        let v = t.bytes().fold(0u8, |acc, b| acc * 10 + (b - b'0'));
        if v >= 96 {
            return Err(IuvError::SegregationReserved(t.to_string()));
        }
        Ok(SegregationCode(v))
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

impl fmt::Display for SegregationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.0)
    }
}

impl TryFrom<String> for SegregationCode {
    type Error = IuvError;
    fn try_from(s: String) -> Result<Self, IuvError> {
        SegregationCode::parse(&s)
    }
}

impl From<SegregationCode> for String {
    fn from(s: SegregationCode) -> String {
        s.to_string()
    }
}

/// `int(3 ‖ S ‖ B) mod 93`, the two check digits.
pub fn check_digits(segregation: SegregationCode, base: u64) -> Result<u64, IuvError> {
    if base > MAX_BASE {
        return Err(IuvError::BaseTooLarge(base));
    }
    let n = 3 * 10u64.pow(15) + u64::from(segregation.value()) * 10u64.pow(13) + base;
    Ok(n % 93)
}

/// A valid 17-digit IUV of aux digit 3.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iuv(String);

impl Iuv {
    /// The IUV of `base` (the counter's value) under `segregation`.
    pub fn new(segregation: SegregationCode, base: u64) -> Result<Iuv, IuvError> {
        let c = check_digits(segregation, base)?;
        Ok(Iuv(format!("{segregation}{base:013}{c:02}")))
    }

    /// Checks length, digits, a segregation code outside 96–99 and the check digits.
    pub fn parse(text: &str) -> Result<Iuv, IuvError> {
        let t = text.trim();
        if t.len() != 17 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IuvError::IuvFormat(t.to_string()));
        }
        let (s, rest) = t.split_at(2);
        let (b, c) = rest.split_at(13);
        let segregation = SegregationCode::parse(s)?;
        let base = digits(b);
        let expected = check_digits(segregation, base)?;
        if digits(c) != expected {
            return Err(IuvError::CheckDigits { found: t.to_string(), expected });
        }
        Ok(Iuv(t.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn segregation(&self) -> Option<SegregationCode> {
        self.0.get(..2).and_then(|s| SegregationCode::parse(s).ok())
    }

    /// The 13-digit base, as the counter gave it.
    pub fn base(&self) -> u64 {
        self.0.get(2..15).map_or(0, digits)
    }

    /// Its notice number, `3 ‖ IUV` (GPD's default `nav`).
    pub fn notice_number(&self) -> NoticeNumber {
        NoticeNumber(format!("{AUX_DIGIT}{}", self.0))
    }
}

impl fmt::Display for Iuv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Iuv {
    type Error = IuvError;
    fn try_from(s: String) -> Result<Self, IuvError> {
        Iuv::parse(&s)
    }
}

impl From<Iuv> for String {
    fn from(i: Iuv) -> String {
        i.0
    }
}

/// The 18-digit notice number (*numero avviso*, `nav` in GPD, *codice avviso* on the notice).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NoticeNumber(String);

impl NoticeNumber {
    /// Accepts the printed form too (groups of four separated by spaces).
    pub fn parse(text: &str) -> Result<NoticeNumber, IuvError> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if t.len() != 18 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IuvError::NoticeFormat(t));
        }
        let Some(iuv) = t.strip_prefix(AUX_DIGIT) else { return Err(IuvError::AuxDigit(t)) };
        match Iuv::parse(iuv) {
            Ok(iuv) => Ok(iuv.notice_number()),
            Err(IuvError::CheckDigits { expected, .. }) => Err(IuvError::CheckDigits { found: t, expected }),
            Err(e) => Err(e),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The IUV it carries (the last 17 digits).
    pub fn iuv(&self) -> Iuv {
        Iuv(self.0.get(1..).unwrap_or_default().to_string())
    }

    /// As the notice prints it: groups of four, `3010 0000 0001 2345 19` (22 characters).
    pub fn printed(&self) -> String {
        let mut out = String::with_capacity(22);
        for (i, ch) in self.0.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push(' ');
            }
            out.push(ch);
        }
        out
    }
}

impl fmt::Display for NoticeNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for NoticeNumber {
    type Error = IuvError;
    fn try_from(s: String) -> Result<Self, IuvError> {
        NoticeNumber::parse(&s)
    }
}

impl From<NoticeNumber> for String {
    fn from(n: NoticeNumber) -> String {
        n.0
    }
}

/// The value of an all-digit ASCII string (at most 17 digits here, so no overflow).
fn digits(s: &str) -> u64 {
    s.bytes().fold(0u64, |acc, b| acc * 10 + u64::from(b - b'0'))
}

#[cfg(test)]
#[path = "iuv_tests.rs"]
mod tests;
