//! The text of the notice's QR code (spec §5): `PAGOPA|002|<numero avviso>|<CF ente>|<cents>`.
//! The amount is written in cents without separators or padding, as the published example
//! (`9999`) is; whether zero-padding is accepted is not confirmed, so none is written. The
//! parser is the other half, for tests that decode a printed notice and for a receipt desk.

use thiserror::Error;

use super::ente::EnteFiscalCode;
use super::iuv::NoticeNumber;

/// The largest amount a notice prints, 999.999.999,99 €, in cents.
pub const MAX_CENTS: i64 = 99_999_999_999;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QrError {
    #[error("l'importo del codice QR deve essere tra 1 e {MAX_CENTS} centesimi, trovato {0}")]
    Amount(i64),
    #[error("il testo non è un codice QR pagoPA (PAGOPA|002|avviso|ente|importo): «{0}»")]
    Shape(String),
    #[error("codice QR: {0}")]
    Field(String),
}

/// What a pagoPA QR code says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrPayload {
    pub numero_avviso: NoticeNumber,
    pub ente_cf: EnteFiscalCode,
    pub cents: i64,
}

impl QrPayload {
    pub fn new(numero_avviso: NoticeNumber, ente_cf: EnteFiscalCode, cents: i64) -> Result<QrPayload, QrError> {
        if !(1..=MAX_CENTS).contains(&cents) {
            return Err(QrError::Amount(cents));
        }
        Ok(QrPayload { numero_avviso, ente_cf, cents })
    }

    /// The text to encode (ISO/IEC 18004, ECC level M, UTF-8; the symbol is the renderer's).
    pub fn text(&self) -> String {
        format!("PAGOPA|002|{}|{}|{}", self.numero_avviso, self.ente_cf, self.cents)
    }

    /// Reads a decoded QR text back, checking every field as [`QrPayload::new`] would.
    pub fn parse(text: &str) -> Result<QrPayload, QrError> {
        let t = text.trim();
        let fields: Vec<&str> = t.split('|').collect();
        let ["PAGOPA", "002", avviso, ente, cents] = fields.as_slice() else { return Err(QrError::Shape(t.to_string())) };
        let numero_avviso = NoticeNumber::parse(avviso).map_err(|e| QrError::Field(e.to_string()))?;
        let ente_cf = EnteFiscalCode::parse(ente).map_err(|e| QrError::Field(e.to_string()))?;
        if cents.is_empty() || cents.len() > 11 || !cents.bytes().all(|b| b.is_ascii_digit()) {
            return Err(QrError::Shape(t.to_string()));
        }
        let cents: i64 = cents.parse().map_err(|_| QrError::Shape(t.to_string()))?;
        QrPayload::new(numero_avviso, ente_cf, cents)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(cents: i64) -> Result<QrPayload, QrError> {
        QrPayload::new(NoticeNumber::parse("301000000001234519").unwrap(), EnteFiscalCode::parse("80034840167").unwrap(), cents)
    }

    #[test]
    fn the_spec_example() {
        let p = payload(12_550).unwrap();
        assert_eq!(p.text(), "PAGOPA|002|301000000001234519|80034840167|12550");
        assert_eq!(QrPayload::parse(&p.text()), Ok(p));
        assert_eq!(payload(1).unwrap().text(), "PAGOPA|002|301000000001234519|80034840167|1", "no padding");
    }

    #[test]
    fn amounts_out_of_range() {
        assert_eq!(payload(0), Err(QrError::Amount(0)));
        assert_eq!(payload(-5), Err(QrError::Amount(-5)));
        assert!(payload(MAX_CENTS).is_ok());
        assert_eq!(payload(MAX_CENTS + 1), Err(QrError::Amount(MAX_CENTS + 1)));
    }

    #[test]
    fn what_is_not_a_pagopa_qr() {
        for bad in [
            "PAGOPA|001|301000000001234519|80034840167|12550",
            "PAGOPA|002|301000000001234519|80034840167",
            "PAGOPA|002|301000000001234519|80034840167|125,50",
            "PAGOPA|002|301000000001234519|80034840167|",
        ] {
            assert!(matches!(QrPayload::parse(bad), Err(QrError::Shape(_))), "{bad}");
        }
        assert!(matches!(QrPayload::parse("PAGOPA|002|301000000001234518|80034840167|100"), Err(QrError::Field(_))));
        assert!(matches!(QrPayload::parse("PAGOPA|002|301000000001234519|80034840160|100"), Err(QrError::Field(_))));
        assert!(matches!(QrPayload::parse("PAGOPA|002|301000000001234519|80034840167|0"), Err(QrError::Amount(0))));
    }
}
