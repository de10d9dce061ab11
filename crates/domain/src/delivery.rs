//! Rules on delivery events: the 24-hour day and the periods events are counted in. The store
//! applies them in SQL over millions of events (see `overfull_days` and
//! `refresh_delivery_aggregates`); the definitions live here, so the SQL builders and these
//! tests share one threshold and one calendar.

use crate::fixed::{HOURS_SCALE, to_units};
use rust_decimal::Decimal;

/// A person cannot receive more hours in one day than the day has, from one provider or from
/// all of them together.
pub const MAX_HOURS_PER_DAY: i64 = 24;

/// Whether one delivery's hours can be true: not negative, at most a day.
pub fn hours_in_range(hours: Decimal) -> bool {
    !hours.is_sign_negative() && hours <= Decimal::from(MAX_HOURS_PER_DAY)
}

/// Whether one person-day's total hours break the day.
pub fn day_overfull(total_hours: Decimal) -> bool {
    total_hours > Decimal::from(MAX_HOURS_PER_DAY)
}

/// [`MAX_HOURS_PER_DAY`] in storage units, for the SQL that sums stored hours
/// (`HAVING SUM(ore_e4) > …`): a stored total above it is an overfull day.
pub fn max_day_units() -> i64 {
    to_units(Decimal::from(MAX_HOURS_PER_DAY), HOURS_SCALE).unwrap_or(i64::MAX)
}

/// The stored days (`yyyymmdd`) of a year, first and last.
pub fn year_days(year: i64) -> (i64, i64) {
    (year * 10000 + 101, year * 10000 + 1231)
}

/// The stored days of a year's semesters: the first ends on 30 June, the second starts on 1 July.
pub fn semester_bounds(year: i64) -> (i64, i64) {
    (year * 10000 + 630, year * 10000 + 701)
}

/// The stored months (`yyyymm`) of a year, first and last.
pub fn year_months(year: i64) -> (i64, i64) {
    (year * 100 + 1, year * 100 + 12)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_24_hour_day() {
        assert!(hours_in_range(d("0")));
        assert!(hours_in_range(d("24")));
        assert!(!hours_in_range(d("24.0001")));
        assert!(!hours_in_range(d("-0.5")));
        assert!(!day_overfull(d("24")));
        assert!(day_overfull(d("24.0001")));
    }

    #[test]
    fn the_sql_threshold_is_the_same_day() {
        assert_eq!(max_day_units(), 240_000);
        // A stored total is overfull exactly when the decimal it stands for is.
        for units in [239_999, 240_000, 240_001] {
            assert_eq!(units > max_day_units(), day_overfull(crate::fixed::hours_from_units(units)), "{units}");
        }
    }

    #[test]
    fn the_periods() {
        assert_eq!(year_days(2025), (20250101, 20251231));
        assert_eq!(semester_bounds(2025), (20250630, 20250701));
        assert_eq!(year_months(2025), (202501, 202512));
        let (first, last) = year_days(2024);
        let (s1_end, s2_start) = semester_bounds(2024);
        let day = |s: &str| crate::date::parse_iso(s).map(crate::date::Day::yyyymmdd).unwrap();
        assert_eq!((first, last), (day("2024-01-01"), day("2024-12-31")));
        assert_eq!((s1_end, s2_start), (day("2024-06-30"), day("2024-07-01")));
    }
}
