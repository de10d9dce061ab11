//! Day arithmetic the intervention rules need (a deadline "within 30 days", the days of a month a
//! plan is in force). Days are counted from 1970-01-01 with the proleptic Gregorian calendar.

use crate::date::{Day, parse_iso};

/// (year, month, day) of a real day.
pub fn parts(d: Day) -> (i32, u32, u32) {
    let v = d.yyyymmdd();
    // A `Day` is always a real date, so these fit.
    ((v / 10_000) as i32, ((v / 100) % 100) as u32, (v % 100) as u32)
}

/// Days since 1970-01-01 (negative before), after Howard Hinnant's `days_from_civil`.
pub fn day_number(d: Day) -> i64 {
    let (y, m, day) = parts(d);
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The day `n` days after 1970-01-01.
pub fn from_day_number(n: i64) -> Option<Day> {
    let z = n + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Day::new(i32::try_from(y).ok()?, u8::try_from(m).ok()?, u8::try_from(d).ok()?)
}

pub fn add_days(d: Day, n: i64) -> Option<Day> {
    from_day_number(day_number(d) + n)
}

/// `YYYY-MM-DD`.
pub fn iso(d: Day) -> String {
    let (y, m, day) = parts(d);
    format!("{y:04}-{m:02}-{day:02}")
}

/// A strict ISO day, for values that come from the store (already checked when written).
pub fn day(text: &str) -> Option<Day> {
    parse_iso(text.trim())
}

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn of(d: Day) -> Month {
        let (year, month, _) = parts(d);
        Month { year, month }
    }

    pub fn first(self) -> Option<Day> {
        Day::new(self.year, u8::try_from(self.month).ok()?, 1)
    }

    pub fn next(self) -> Month {
        if self.month == 12 { Month { year: self.year + 1, month: 1 } } else { Month { year: self.year, month: self.month + 1 } }
    }

    pub fn last(self) -> Option<Day> {
        add_days(self.next().first()?, -1)
    }

    pub fn days(self) -> i64 {
        match (self.first(), self.last()) {
            (Some(a), Some(b)) => day_number(b) - day_number(a) + 1,
            _ => 0,
        }
    }

    pub fn label(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Day {
        day(s).expect("day")
    }

    #[test]
    fn day_numbers_round_trip_across_leap_years_and_centuries() {
        assert_eq!(day_number(d("1970-01-01")), 0);
        assert_eq!(day_number(d("2000-03-01")) - day_number(d("2000-02-28")), 2, "2000 is a leap year");
        assert_eq!(day_number(d("1900-03-01")) - day_number(d("1900-02-28")), 1, "1900 is not");
        for s in ["1969-12-31", "2024-02-29", "2025-12-31", "2100-01-01"] {
            assert_eq!(from_day_number(day_number(d(s))), Some(d(s)), "{s}");
        }
        assert_eq!(add_days(d("2025-12-20"), 30).map(iso).as_deref(), Some("2026-01-19"));
    }

    #[test]
    fn months_know_their_length() {
        assert_eq!(Month::of(d("2024-02-10")).days(), 29);
        assert_eq!(Month::of(d("2025-02-10")).days(), 28);
        assert_eq!(Month::of(d("2025-12-10")).next().label(), "2026-01");
        assert_eq!(Month::of(d("2025-04-30")).last(), Some(d("2025-04-30")));
    }
}
