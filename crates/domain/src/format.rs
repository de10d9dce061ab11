//! Italian presentation of numbers: `1.234,56`, `77%`, `- €`, half-up at the last shown digit.

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds half away from zero at `dp` decimals: 120,475 → 120,48; −0,5 → −1. This is the rule of
/// Italian accounting and of Excel's ROUND, which the reports we replace were made with.
pub fn round_half_up(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// `1234567.891` with 2 decimals → `1.234.567,89`.
pub fn it_number(value: Decimal, dp: u32) -> String {
    let rounded = round_half_up(value, dp);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = format!("{:.*}", dp as usize, rounded.abs());
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut grouped = String::with_capacity(text.len() + text.len() / 3);
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    let sign = if negative { "-" } else { "" };
    match frac_part {
        Some(f) => format!("{sign}{grouped},{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A whole-number count with thousands dots.
pub fn it_count(value: Decimal) -> String {
    it_number(value, 0)
}

/// A percentage already multiplied by 100: `77%`, `12,5%`.
pub fn it_percent(value: Decimal, dp: u32) -> String {
    format!("{}%", it_number(value, dp))
}

/// Euro with cents; zero is written `-` as in the accounting format of the published reports.
pub fn it_euro_amount(value: Decimal) -> String {
    if round_half_up(value, 2).is_zero() { "-".to_string() } else { it_number(value, 2) }
}

/// Euro with the symbol, for pages and PDFs: `1.234,56 €`, `- €`.
pub fn it_euro(value: Decimal) -> String {
    format!("{} €", it_euro_amount(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("test literal")
    }

    #[test]
    fn half_up_at_last_displayed_digit() {
        assert_eq!(it_number(d("1030.945"), 2), "1.030,95");
        assert_eq!(it_number(d("9638") / d("80"), 2), "120,48");
        assert_eq!(it_number(d("0.125"), 2), "0,13");
        assert_eq!(it_number(d("0.124999"), 2), "0,12");
        assert_eq!(it_number(d("-2.5"), 0), "-3");
        assert_eq!(it_number(d("76.5"), 0), "77");
    }

    #[test]
    fn grouping() {
        assert_eq!(it_number(d("2172.2"), 2), "2.172,20");
        assert_eq!(it_number(d("1234567.891"), 2), "1.234.567,89");
        assert_eq!(it_number(d("999"), 0), "999");
        assert_eq!(it_number(d("1000"), 0), "1.000");
        assert_eq!(it_count(d("100000")), "100.000");
        assert_eq!(it_number(d("-1234.5"), 1), "-1.234,5");
        assert_eq!(it_number(d("-0.001"), 2), "0,00");
    }

    #[test]
    fn percent_and_euro() {
        assert_eq!(it_percent(d("76.66"), 0), "77%");
        assert_eq!(it_percent(d("12.25"), 1), "12,3%");
        assert_eq!(it_euro(d("0")), "- €");
        assert_eq!(it_euro(d("0.004")), "- €");
        assert_eq!(it_euro(d("1234.5")), "1.234,50 €");
        assert_eq!(it_euro_amount(d("330.385")), "330,39");
    }
}
