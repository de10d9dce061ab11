//! An ISEE attestation on file: its type, value, DSU protocol and the period it is valid.
//!
//! Validity by default (DPCM 159/2013 as amended by DL 34/2019): an ISEE of any type but
//! *corrente* filed in year Y is valid from the DSU date until 31 December of Y; an ISEE
//! *corrente* for six months, i.e. from the DSU date through the day before the same day six
//! months later (15 March → 14 September; 31 August → 28 February, as 31 February does not exist). An
//! explicit `valido_fino` on the record wins: an office may know better (a corrente ISEE that
//! lapses earlier because the employment situation changed again).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::date::{Day, parse_iso_or_italian};
use crate::interventions::{FieldError, coded};
use crate::number::{NumberStyle, parse_decimal};
use crate::pai::add_months;

coded! {
    /// The kind of ISEE (the attestation says which).
    IseeType {
        Ordinario = ("ordinario", "ISEE ordinario"),
        Sociosanitario = ("sociosanitario", "ISEE socio-sanitario"),
        Ristretto = ("ristretto", "ISEE ristretto"),
        Minorenni = ("minorenni", "ISEE minorenni"),
        Corrente = ("corrente", "ISEE corrente"),
        Universitario = ("universitario", "ISEE università"),
    }
}

impl IseeType {
    /// The Italian word as offices write it: case, spaces, hyphens and a leading «ISEE» do not
    /// matter (`Socio-sanitario`, `ISEE corrente`), so a file from any CAF reads the same.
    pub fn parse(text: &str) -> Result<IseeType, IseeError> {
        let word: String = text.chars().filter(|c| !matches!(c, ' ' | '-' | '_')).collect::<String>().to_lowercase();
        let word = word.strip_prefix("isee").unwrap_or(&word);
        let code = match word {
            "università" | "universita" => "universitario",
            "minori" => "minorenni",
            w => w,
        };
        IseeType::from_code(code).ok_or_else(|| IseeError::UnknownType(text.trim().to_string()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IseeError {
    #[error("tipo di ISEE sconosciuto «{0}» (ammessi: ordinario, sociosanitario, ristretto, minorenni, corrente, universitario)")]
    UnknownType(String),
    #[error("il valore dell'ISEE non può essere negativo ({0})")]
    NegativeValue(Decimal),
    #[error("il valore dell'ISEE ha al più due decimali ({0})")]
    ValuePrecision(Decimal),
    #[error("protocollo DSU non valido «{0}»: atteso INPS-ISEE-AAAA-XXXXXXXXX-NN (anno dal 2015, 9 cifre o lettere, 2 cifre)")]
    Protocol(String),
    #[error("la validità ({valido_fino}) non può terminare prima della presentazione della DSU ({data_dsu})")]
    ValidityBeforeDsu { data_dsu: String, valido_fino: String },
}

/// The DSU protocol, `INPS-ISEE-AAAA-XXXXXXXXX-NN`. Checked: the literal `INPS-ISEE-`, a year
/// of four digits from 2015 (the first of the reformed ISEE), nine characters each a digit or a
/// letter (INPS prints both, e.g. `12345A789`), and a two-digit progressive. Letters are
/// upper-cased, surrounding spaces dropped; nothing else is forgiven.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DsuProtocol(String);

impl DsuProtocol {
    pub fn parse(text: &str) -> Result<DsuProtocol, IseeError> {
        let t = text.trim().to_ascii_uppercase();
        let err = || IseeError::Protocol(text.trim().to_string());
        let rest = t.strip_prefix("INPS-ISEE-").ok_or_else(err)?;
        let parts: Vec<&str> = rest.split('-').collect();
        let [year, body, progressive] = parts.as_slice() else { return Err(err()) };
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let year_ok = digits(year, 4) && year.parse::<u32>().is_ok_and(|y| y >= 2015);
        let body_ok = body.len() == 9 && body.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
        if !(year_ok && body_ok && digits(progressive, 2)) {
            return Err(err());
        }
        Ok(DsuProtocol(t))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The year the protocol carries.
    pub fn year(&self) -> i32 {
        self.0.get(10..14).and_then(|y| y.parse().ok()).unwrap_or(0)
    }
}

impl TryFrom<String> for DsuProtocol {
    type Error = IseeError;
    fn try_from(s: String) -> Result<Self, IseeError> {
        DsuProtocol::parse(&s)
    }
}

impl From<DsuProtocol> for String {
    fn from(p: DsuProtocol) -> String {
        p.0
    }
}

/// Whether an ISEE holds on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    Valid,
    /// The day is before the DSU was filed.
    NotYetValid,
    /// The day is after its validity ended.
    Expired,
}

/// One attestation of one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IseeRecord {
    pub tipo: IseeType,
    pub valore: Decimal,
    pub protocollo: DsuProtocol,
    #[serde(with = "super::iso_day")]
    pub data_dsu: Day,
    /// Blank: the default validity of the type.
    #[serde(with = "super::iso_day::option")]
    pub valido_fino: Option<Day>,
}

impl IseeRecord {
    /// A record, checked: the value not negative and in cents, the end not before the DSU.
    pub fn new(
        tipo: IseeType,
        valore: Decimal,
        protocollo: DsuProtocol,
        data_dsu: Day,
        valido_fino: Option<Day>,
    ) -> Result<IseeRecord, IseeError> {
        check_value(valore)?;
        if let Some(end) = valido_fino
            && end < data_dsu
        {
            return Err(IseeError::ValidityBeforeDsu { data_dsu: data_dsu.iso(), valido_fino: end.iso() });
        }
        Ok(IseeRecord { tipo, valore, protocollo, data_dsu, valido_fino })
    }

    /// The last day it is valid: `valido_fino`, else the type's default.
    pub fn valid_until(&self) -> Day {
        self.valido_fino.unwrap_or_else(|| default_valid_until(self.tipo, self.data_dsu))
    }

    pub fn validity_on(&self, day: Day) -> Validity {
        if day < self.data_dsu {
            Validity::NotYetValid
        } else if day > self.valid_until() {
            Validity::Expired
        } else {
            Validity::Valid
        }
    }

    pub fn valid_on(&self, day: Day) -> bool {
        self.validity_on(day) == Validity::Valid
    }
}

/// An ISEE is not negative (zero is common) and is written in cents.
fn check_value(valore: Decimal) -> Result<Decimal, IseeError> {
    if valore.is_sign_negative() && !valore.is_zero() {
        return Err(IseeError::NegativeValue(valore));
    }
    if valore.normalize().scale() > 2 {
        return Err(IseeError::ValuePrecision(valore));
    }
    Ok(valore)
}

/// The default last day of validity of an ISEE of `tipo` filed on `data_dsu`.
pub fn default_valid_until(tipo: IseeType, data_dsu: Day) -> Day {
    match tipo {
        // The day before the six-month anniversary; when that month lacks the day (31 August →
        // 31 February) the anniversary is the next month's first, so the end is its last day.
        IseeType::Corrente => match add_months(data_dsu, 6) {
            Some(a) if a.day() == data_dsu.day() => a.previous(),
            Some(clamped) => clamped,
            None => data_dsu,
        },
        _ => Day::new(data_dsu.year(), 12, 31).unwrap_or(data_dsu),
    }
}

/// One row of `ambito import isee` or of the portal's declaration, as typed.
#[derive(Debug, Clone, Default)]
pub struct IseeFields<'a> {
    pub tipo: &'a str,
    pub valore: &'a str,
    pub protocollo_dsu: &'a str,
    pub data_dsu: &'a str,
    pub valido_fino: &'a str,
}

/// Every problem of a row, each on its field, or the record. Dates are ISO or `GG/MM/AAAA`,
/// the value Italian (`12.345,67`) or with a decimal point, as the delivery files.
pub fn parse_isee(f: &IseeFields) -> Result<IseeRecord, Vec<FieldError>> {
    let mut errors = Vec::new();
    let tipo = IseeType::parse(f.tipo).map_err(|e| errors.push(FieldError::new("tipo", e.to_string()))).ok();
    let valore = match parse_decimal(f.valore, NumberStyle::Italian)
        .map_err(|e| e.to_string())
        .and_then(|v| check_value(v).map_err(|e| e.to_string()))
    {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(FieldError::new("valore", e));
            None
        }
    };
    let protocollo = DsuProtocol::parse(f.protocollo_dsu).map_err(|e| errors.push(FieldError::new("protocollo_dsu", e.to_string()))).ok();
    let mut day = |field: &'static str, text: &str| {
        let d = parse_iso_or_italian(text.trim());
        if d.is_none() {
            errors.push(FieldError::new(field, format!("data non valida «{}» (AAAA-MM-GG o GG/MM/AAAA)", text.trim())));
        }
        d
    };
    let data_dsu = day("data_dsu", f.data_dsu);
    let valido_fino = if f.valido_fino.trim().is_empty() { Some(None) } else { day("valido_fino", f.valido_fino).map(Some) };
    let (Some(tipo), Some(valore), Some(protocollo), Some(data_dsu), Some(valido_fino)) = (tipo, valore, protocollo, data_dsu, valido_fino)
    else {
        return Err(errors);
    };
    IseeRecord::new(tipo, valore, protocollo, data_dsu, valido_fino).map_err(|e| vec![FieldError::new("valido_fino", e.to_string())])
}

#[cfg(test)]
#[path = "isee_tests.rs"]
mod tests;
