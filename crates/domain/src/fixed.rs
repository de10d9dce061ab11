//! Fixed-point storage units. The store keeps decimals as integers (money in cents, hours in
//! ten-thousandths) so that SQL sums them exactly on both backends; these are the only
//! conversions between those integers and the decimals of the rules.

use rust_decimal::Decimal;

/// Money is stored in cents.
pub const MONEY_SCALE: u32 = 2;
/// Hours are stored in ten-thousandths: the finest a file or form may write.
pub const HOURS_SCALE: u32 = 4;

/// `v` in units of 10^-`scale`; `None` when it has more decimals than the scale keeps, or does
/// not fit.
pub fn to_units(v: Decimal, scale: u32) -> Option<i64> {
    let s = v.checked_mul(Decimal::from(10i64.checked_pow(scale)?))?;
    s.fract().is_zero().then(|| i64::try_from(s.trunc().mantissa() / 10i128.pow(s.trunc().scale())).ok()).flatten()
}

/// Stored units back to the decimal, with exactly `scale` decimals (`103094`, 2 → `1030.94`).
pub fn from_units(v: i64, scale: u32) -> Decimal {
    Decimal::new(v, scale)
}

/// Stored hours as the rules use them: without trailing zeros (`21722000` → `2172.2`).
pub fn hours_from_units(v: i64) -> Decimal {
    from_units(v, HOURS_SCALE).normalize()
}

/// Stored cents as an amount with its two decimals (`103000` → `1030.00`).
pub fn money_from_units(cents: i64) -> Decimal {
    from_units(cents, MONEY_SCALE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn round_trips() {
        assert_eq!(to_units(d("2172.2"), HOURS_SCALE), Some(21_722_000));
        assert_eq!(to_units(d("1030.94"), MONEY_SCALE), Some(103_094));
        assert_eq!(to_units(d("-3.5"), MONEY_SCALE), Some(-350));
        assert_eq!(from_units(103_094, MONEY_SCALE).to_string(), "1030.94");
        assert_eq!(money_from_units(103_000).to_string(), "1030.00");
        assert_eq!(hours_from_units(21_722_000).to_string(), "2172.2");
    }

    #[test]
    fn what_the_scale_cannot_keep_is_refused() {
        assert_eq!(to_units(d("0.001"), MONEY_SCALE), None);
        assert_eq!(to_units(d("0.00001"), HOURS_SCALE), None);
        assert_eq!(to_units(d("100000000000000000"), HOURS_SCALE), None, "beyond i64");
    }
}
