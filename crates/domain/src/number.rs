//! Parsing of numbers as Italian offices write them (`1.234,56`) and as machines do (`1234.56`).
//!
//! A file has one convention; the caller says which. With [`NumberStyle::Italian`] a comma is the
//! decimal separator and dots group thousands; a lone dot that cannot be a thousands separator
//! (`1234.5`) is read as a decimal point, because Excel exports on mixed machines produce both.

use rust_decimal::Decimal;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberStyle {
    /// `1.234,56`: decimal comma, dot thousands.
    Italian,
    /// `1234.56` or `1,234.56`: decimal point.
    International,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("non è un numero: «{0}»")]
    NotANumber(String),
    #[error("separatore delle migliaia in posizione errata: «{0}»")]
    BadGrouping(String),
}

/// Parses a decimal written in either convention. Surrounding spaces, non-breaking spaces and a
/// trailing or leading `€` are tolerated; anything else that is not part of a number is an error.
pub fn parse_decimal(raw: &str, style: NumberStyle) -> Result<Decimal, NumberError> {
    let cleaned: String =
        raw.trim().trim_start_matches('€').trim_end_matches('€').chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}')).collect();
    let err = || NumberError::NotANumber(raw.trim().to_string());
    if cleaned.is_empty() {
        return Err(err());
    }
    let (negative, body) = match cleaned.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, cleaned.strip_prefix('+').unwrap_or(&cleaned)),
    };
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return Err(err());
    }
    let (decimal_sep, group_sep) = match style {
        NumberStyle::Italian => {
            if body.contains(',') || !lone_dot_is_decimal(body) {
                (',', '.')
            } else {
                ('.', ',')
            }
        }
        NumberStyle::International => ('.', ','),
    };
    let (int_part, frac_part) = match body.split_once(decimal_sep) {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if let Some(f) = frac_part
        && (f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(err());
    }
    let digits = ungroup(int_part, group_sep).ok_or_else(|| NumberError::BadGrouping(raw.trim().into()))?;
    if digits.is_empty() {
        return Err(err());
    }
    let text = match frac_part {
        Some(f) => format!("{}{digits}.{f}", if negative { "-" } else { "" }),
        None => format!("{}{digits}", if negative { "-" } else { "" }),
    };
    Decimal::from_str(&text).map_err(|_| err())
}

/// In Italian style, `1.234` is one thousand two hundred thirty-four, but `1234.5` and `0.25`
/// can only be decimals.
fn lone_dot_is_decimal(body: &str) -> bool {
    let groups: Vec<&str> = body.split('.').collect();
    if groups.len() != 2 {
        return false;
    }
    let (head, tail) = (groups[0], groups[1]);
    tail.len() != 3 || head.is_empty() || head.len() > 3 || head == "0"
}

/// Removes thousands separators, checking they group by three.
fn ungroup(int_part: &str, sep: char) -> Option<String> {
    if !int_part.contains(sep) {
        return (!int_part.contains(['.', ','])).then(|| int_part.to_string());
    }
    let groups: Vec<&str> = int_part.split(sep).collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    let digits_ok = groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()));
    (first_ok && rest_ok && digits_ok).then(|| groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("test literal")
    }

    fn it(s: &str) -> Result<Decimal, NumberError> {
        parse_decimal(s, NumberStyle::Italian)
    }
    fn intl(s: &str) -> Result<Decimal, NumberError> {
        parse_decimal(s, NumberStyle::International)
    }

    #[test]
    fn italian_convention() {
        assert_eq!(it("1.234,56"), Ok(d("1234.56")));
        assert_eq!(it("1234,56"), Ok(d("1234.56")));
        assert_eq!(it("1.234"), Ok(d("1234")));
        assert_eq!(it("1.234.567"), Ok(d("1234567")));
        assert_eq!(it("12"), Ok(d("12")));
        assert_eq!(it("-3,5"), Ok(d("-3.5")));
        assert_eq!(it(" 2.172,20 € "), Ok(d("2172.20")));
    }

    #[test]
    fn italian_file_tolerates_machine_decimals() {
        assert_eq!(it("1234.56"), Ok(d("1234.56")));
        assert_eq!(it("0.25"), Ok(d("0.25")));
        assert_eq!(it("12.5"), Ok(d("12.5")));
    }

    #[test]
    fn international_convention() {
        assert_eq!(intl("1234.56"), Ok(d("1234.56")));
        assert_eq!(intl("1,234.56"), Ok(d("1234.56")));
        assert_eq!(intl("7"), Ok(d("7")));
    }

    #[test]
    fn rejects_garbage() {
        assert!(matches!(it("abc"), Err(NumberError::NotANumber(_))));
        assert!(matches!(it(""), Err(NumberError::NotANumber(_))));
        assert!(matches!(it("1,2,3"), Err(NumberError::NotANumber(_))));
        assert!(matches!(it("12.34.5"), Err(NumberError::BadGrouping(_))));
        assert!(matches!(it("1,"), Err(NumberError::NotANumber(_))));
        assert!(matches!(it("-"), Err(NumberError::NotANumber(_))));
        assert!(matches!(intl("1.2.3"), Err(NumberError::NotANumber(_))));
        assert!(matches!(it("1e5"), Err(NumberError::NotANumber(_))));
    }
}
