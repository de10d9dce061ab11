//! Year-on-year change: the one definition that the dashboard, the PDF, the workbook and the
//! plan's `change_pct` indicators share, so no two surfaces can show different changes.

use rust_decimal::Decimal;

/// Decimals a change is shown with (`+10,0%`), as the `variazione/*` indicators.
pub const CHANGE_DP: u32 = 1;

/// Change from `previous` to `current` in percent (×100); `None` when either is missing or the
/// previous value is zero (there is no base to compare with: a blank, not an infinite change).
pub fn change_pct(current: Option<Decimal>, previous: Option<Decimal>) -> Option<Decimal> {
    let (cur, prev) = (current?, previous?);
    if prev.is_zero() {
        return None;
    }
    cur.checked_sub(prev)?.checked_mul(Decimal::from(100))?.checked_div(prev)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn change_is_blank_without_a_base() {
        assert_eq!(change_pct(Some(d("110")), Some(d("100"))), Some(d("10")));
        assert_eq!(change_pct(Some(d("90")), Some(d("120"))), Some(d("-25")));
        assert_eq!(change_pct(Some(d("5")), Some(d("0"))), None, "no base");
        assert_eq!(change_pct(None, Some(d("3"))), None, "blank is not zero");
        assert_eq!(change_pct(Some(d("3")), None), None);
    }

    #[test]
    fn change_never_overflows() {
        assert_eq!(change_pct(Some(Decimal::MAX), Some(Decimal::MIN)), None);
        assert_eq!(change_pct(Some(Decimal::MAX), Some(d("0.0000001"))), None);
    }
}
