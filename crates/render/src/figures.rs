//! Small presentation helpers shared by the output formats. Texts always come from
//! `ambito_domain::format`, so every format shows the same digits.

use crate::RenderError;
pub use ambito_domain::change::{CHANGE_DP, change_pct};
use ambito_domain::format::{it_euro, it_euro_amount, it_number, it_percent, round_half_up};
use ambito_domain::indicator::DisplayFormat;
use ambito_domain::measures::Measure;
use rust_decimal::Decimal;

/// Decimals shown for a measure: hours have two, the rest are counts.
pub fn measure_dp(m: Measure) -> u32 {
    if m.is_count() { 0 } else { 2 }
}

/// A measure as shown (`1.234`, `2.172,20`); empty when not recorded.
pub fn measure_text(m: Measure, v: Option<Decimal>) -> String {
    v.map(|v| it_number(v, measure_dp(m))).unwrap_or_default()
}

/// Euro amount without the symbol (`1.030,95`, `-` for zero); empty when unknown.
pub fn euro_amount_text(v: Option<Decimal>) -> String {
    v.map(it_euro_amount).unwrap_or_default()
}

/// Euro amount with the symbol (`1.030,95 €`, `- €`); empty when unknown.
pub fn euro_text(v: Option<Decimal>) -> String {
    v.map(it_euro).unwrap_or_default()
}

/// A count (`1.234`); empty when unknown.
pub fn count_text(v: Option<Decimal>) -> String {
    v.map(|v| it_number(v, 0)).unwrap_or_default()
}

/// `+10,0%` / `-25,0%`; empty when there is nothing to compare.
pub fn change_text(change: Option<Decimal>) -> String {
    match change {
        Some(c) if round_half_up(c, CHANGE_DP) > Decimal::ZERO => {
            format!("+{}", it_percent(c, CHANGE_DP))
        }
        Some(c) => it_percent(c, CHANGE_DP),
        None => String::new(),
    }
}

/// The display format a domain text was produced with: `77%` → percent with 0 decimals,
/// `330,39` → number with 2, `120,48 €` / `- €` → euro. `None` for a blank (empty text).
pub fn format_of_text(text: &str) -> Option<DisplayFormat> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.ends_with('€') {
        return Some(DisplayFormat::Euro);
    }
    let decimals = |s: &str| s.split_once(',').map(|(_, f)| f.chars().filter(char::is_ascii_digit).count());
    let dp = |s: &str| u32::try_from(decimals(s).unwrap_or(0)).unwrap_or(0);
    match text.strip_suffix('%') {
        Some(number) => Some(DisplayFormat::Percent(dp(number))),
        None => Some(DisplayFormat::Number(dp(text))),
    }
}

/// A decimal as the `f64` a spreadsheet cell stores.
pub fn to_f64(v: Decimal) -> Result<f64, RenderError> {
    f64::try_from(v).map_err(|_| RenderError::Number(v.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("test literal")
    }

    #[test]
    fn formats_are_read_back_from_texts() {
        assert_eq!(format_of_text("77%"), Some(DisplayFormat::Percent(0)));
        assert_eq!(format_of_text("-25,0%"), Some(DisplayFormat::Percent(1)));
        assert_eq!(format_of_text("1.330,39"), Some(DisplayFormat::Number(2)));
        assert_eq!(format_of_text("12"), Some(DisplayFormat::Number(0)));
        assert_eq!(format_of_text("- €"), Some(DisplayFormat::Euro));
        assert_eq!(format_of_text(""), None);
    }

    #[test]
    fn change_is_blank_without_a_base() {
        assert_eq!(change_text(change_pct(Some(d("110")), Some(d("100")))), "+10,0%");
        assert_eq!(change_text(change_pct(Some(d("90")), Some(d("120")))), "-25,0%");
        assert_eq!(change_text(change_pct(Some(d("5")), Some(d("0")))), "", "no base, no change");
        assert_eq!(change_text(Some(d("0.01"))), "0,0%");
    }

    #[test]
    fn measures_show_their_digits() {
        assert_eq!(measure_text(Measure::Utenti, Some(d("1234"))), "1.234");
        assert_eq!(measure_text(Measure::Ore, Some(d("2172.2"))), "2.172,20");
        assert_eq!(measure_text(Measure::Ore, None), "");
        assert_eq!(euro_amount_text(Some(d("0"))), "-");
        assert_eq!(euro_text(Some(d("0"))), "- €");
    }
}
