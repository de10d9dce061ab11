//! The IBAN (ISO 13616) of the account a transfer is credited to. GPD takes at most 35
//! `[A-Za-z0-9]` and requires it to be registered on pagoPA; the mod-97 check here only catches
//! a mistyped one before GPD refuses it, or worse, accepts a registered wrong one.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IbanError {
    #[error("l'IBAN è vuoto")]
    Empty,
    #[error("l'IBAN contiene caratteri non ammessi (solo lettere e cifre): «{0}»")]
    Characters(String),
    #[error("l'IBAN deve iniziare con due lettere (il paese) e due cifre di controllo: «{0}»")]
    Shape(String),
    #[error("un IBAN {country} ha {expected} caratteri, questo ne ha {found}")]
    Length { country: String, expected: usize, found: usize },
    #[error("cifre di controllo dell'IBAN errate: «{0}»")]
    Check(String),
}

/// A checked IBAN, upper case, without spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iban(String);

/// Lengths of the countries an Italian Ambito's treasurer may bank in; other countries are held
/// to ISO's general 15–34.
const LENGTHS: [(&str, usize); 4] = [("IT", 27), ("SM", 27), ("VA", 22), ("CH", 21)];

impl Iban {
    /// Spaces are dropped and letters upper-cased, as an IBAN is printed in groups of four.
    pub fn parse(text: &str) -> Result<Iban, IbanError> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        if t.is_empty() {
            return Err(IbanError::Empty);
        }
        if !t.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(IbanError::Characters(t));
        }
        let b = t.as_bytes();
        if b.len() < 4 || !b[0].is_ascii_uppercase() || !b[1].is_ascii_uppercase() || !b[2].is_ascii_digit() || !b[3].is_ascii_digit() {
            return Err(IbanError::Shape(t));
        }
        let country = &t[..2];
        match LENGTHS.iter().find(|(c, _)| *c == country) {
            Some((_, expected)) if *expected != t.len() => {
                return Err(IbanError::Length { country: country.to_string(), expected: *expected, found: t.len() });
            }
            None if !(15..=34).contains(&t.len()) => {
                return Err(IbanError::Length { country: country.to_string(), expected: 34, found: t.len() });
            }
            _ => {}
        }
        if mod97(&t) != 1 {
            return Err(IbanError::Check(t));
        }
        Ok(Iban(t))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The rearranged IBAN (first four characters moved to the end, letters as 10..35) mod 97,
/// digit by digit so no big integer is needed.
fn mod97(iban: &str) -> u32 {
    let (head, tail) = iban.split_at(4);
    tail.bytes().chain(head.bytes()).fold(0u32, |r, b| match b {
        b'0'..=b'9' => (r * 10 + u32::from(b - b'0')) % 97,
        _ => (r * 100 + u32::from(b - b'A') + 10) % 97,
    })
}

impl fmt::Display for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Iban {
    type Error = IbanError;
    fn try_from(s: String) -> Result<Self, IbanError> {
        Iban::parse(&s)
    }
}

impl From<Iban> for String {
    fn from(i: Iban) -> String {
        i.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_ibans() {
        // The examples of the Italian and other registries (ECBS / SWIFT IBAN registry).
        for iban in ["IT60X0542811101000000123456", "it60 x054 2811 1010 0000 0123 456", "GB82WEST12345698765432", "DE89370400440532013000"]
        {
            assert!(Iban::parse(iban).is_ok(), "{iban}");
        }
        assert_eq!(Iban::parse("IT60 X054 2811 1010 0000 0123 456").unwrap().as_str(), "IT60X0542811101000000123456");
    }

    #[test]
    fn a_changed_character_fails_the_check() {
        assert_eq!(Iban::parse("IT60X0542811101000000123457"), Err(IbanError::Check("IT60X0542811101000000123457".into())));
        assert!(matches!(Iban::parse("IT61X0542811101000000123456"), Err(IbanError::Check(_))));
    }

    #[test]
    fn malformed_ibans() {
        assert_eq!(Iban::parse("  "), Err(IbanError::Empty));
        assert!(matches!(Iban::parse("IT60-X054"), Err(IbanError::Characters(_))));
        assert!(matches!(Iban::parse("1T60X0542811101000000123456"), Err(IbanError::Shape(_))));
        assert!(matches!(Iban::parse("IT6"), Err(IbanError::Shape(_))));
        assert_eq!(Iban::parse("IT60X054281110100000012345"), Err(IbanError::Length { country: "IT".into(), expected: 27, found: 26 }));
        assert!(matches!(Iban::parse("XX00123"), Err(IbanError::Length { .. })));
    }
}
