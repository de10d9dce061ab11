//! Calendar days as the files and forms write them. One place decides what a real day is; each
//! reader keeps its own spelling rules: the plan and the questionnaire take strict ISO dates,
//! the delivery files also the Italian `DD/MM/YYYY`.

/// A real calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    year: i32,
    month: u8,
    day: u8,
}

/// The years a day may have: those the `time` crate (without its `large-dates` feature) took
/// when the readers used it, so no reader accepts more or less than it did.
const YEARS: std::ops::RangeInclusive<i32> = -9999..=9999;

impl Day {
    /// The day, when the month has it (29 February only in leap years).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Day> {
        (YEARS.contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(Day {
            year,
            month,
            day,
        })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 January 2000: a fixed day for when none can be had (a clock before the epoch).
    pub const Y2K: Day = Day { year: 2000, month: 1, day: 1 };

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// The day before (31 December of the year before, 1 January).
    pub fn previous(self) -> Day {
        if self.day > 1 {
            return Day { day: self.day - 1, ..self };
        }
        if self.month > 1 {
            let month = self.month - 1;
            return Day { month, day: days_in_month(self.year, month), ..self };
        }
        Day { year: self.year - 1, month: 12, day: 31 }
    }

    /// ISO `YYYY-MM-DD`, as the store and the forms write days.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// As the store keys days: `yyyymmdd` in one integer (20250307).
    pub fn yyyymmdd(self) -> i64 {
        i64::from(self.year) * 10000 + i64::from(self.month) * 100 + i64::from(self.day)
    }
}

#[cfg(test)]
mod day_tests {
    use super::*;

    #[test]
    fn the_day_before_crosses_months_years_and_leap_days() {
        let d = |s: &str| parse_iso(s).unwrap();
        assert_eq!(d("2024-03-01").previous(), d("2024-02-29"));
        assert_eq!(d("2023-03-01").previous(), d("2023-02-28"));
        assert_eq!(d("2025-01-01").previous(), d("2024-12-31"));
        assert_eq!(d("2025-05-10").previous().iso(), "2025-05-09");
    }
}

fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Strict ISO `YYYY-MM-DD`: four, two and two ASCII digits (no sign: `parse` takes one, and the
/// fuzzers found "2027-04-+8" and "-2270-01-20" passing) naming a real day.
pub fn parse_iso(text: &str) -> Option<Day> {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return None };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 || !text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return None;
    }
    Day::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// `YYYY-MM-DD` or `DD/MM/YYYY`, as the delivery files write days; the numbers are read as
/// Rust reads integers (so `2025-3-7` is 7 March), the calendar is checked.
pub fn parse_iso_or_italian(text: &str) -> Option<Day> {
    let (y, m, d) = if let Some((y, rest)) = text.split_once('-') {
        let (m, d) = rest.split_once('-')?;
        (y, m, d)
    } else {
        let mut it = text.split('/');
        let (d, m, y) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() {
            return None;
        }
        (y, m, d)
    };
    Day::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// A stored `yyyymmdd` day written the Italian way: 20250307 → `07/03/2025`.
pub fn italian_from_yyyymmdd(day: i64) -> String {
    format!("{:02}/{:02}/{}", day % 100, day / 100 % 100, day / 10000)
}

/// A stored `yyyymmdd` day written the ISO way: 20250307 → `2025-03-07`.
pub fn iso_from_yyyymmdd(day: i64) -> String {
    format!("{}-{:02}-{:02}", day / 10000, day / 100 % 100, day % 100)
}

/// An ISO date or timestamp written the Italian way: `2021-12-15` → `15/12/2021`; anything else
/// is shown as it is.
pub fn italian_from_iso(iso: &str) -> String {
    let p: Vec<&str> = iso.get(..10).unwrap_or(iso).split('-').collect();
    match p.as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_calendar() {
        assert!(Day::new(2024, 2, 29).is_some());
        assert!(Day::new(2025, 2, 29).is_none());
        assert!(Day::new(1900, 2, 29).is_none(), "a century is not leap");
        assert!(Day::new(2000, 2, 29).is_some(), "unless divisible by 400");
        assert!(Day::new(2025, 4, 31).is_none());
        assert!(Day::new(2025, 12, 31).is_some());
        assert!(Day::new(2025, 13, 1).is_none());
        assert!(Day::new(2025, 0, 1).is_none());
        assert!(Day::new(2025, 1, 0).is_none());
        assert!(Day::new(10000, 1, 1).is_none());
        assert!(Day::new(-9999, 1, 1).is_some());
    }

    #[test]
    fn strict_iso() {
        assert_eq!(parse_iso("2024-02-29").map(Day::yyyymmdd), Some(20240229));
        for bad in ["2025-02-29", "2025-2-28", "28/02/2025", "-2270-01-20", "2027-04-+8", "+202-01-01", " 2025-01-01", "2025-01-01-"] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn iso_or_italian() {
        assert_eq!(parse_iso_or_italian("2025-03-07").map(Day::yyyymmdd), Some(20250307));
        assert_eq!(parse_iso_or_italian("07/03/2025").map(Day::yyyymmdd), Some(20250307));
        assert_eq!(parse_iso_or_italian("2025-3-7").map(Day::yyyymmdd), Some(20250307));
        assert_eq!(parse_iso_or_italian("07/03/2025").map(Day::year), Some(2025));
        for bad in ["2025-02-29", "2025-13-01", "ieri", "07/03/2025/1", "07/03", ""] {
            assert_eq!(parse_iso_or_italian(bad), None, "{bad}");
        }
    }

    #[test]
    fn writing_days() {
        assert_eq!(italian_from_yyyymmdd(20250307), "07/03/2025");
        assert_eq!(iso_from_yyyymmdd(20250307), "2025-03-07");
        assert_eq!(italian_from_iso("2021-12-15"), "15/12/2021");
        assert_eq!(italian_from_iso("2021-12-15T10:00:00Z"), "15/12/2021");
        assert_eq!(italian_from_iso("ieri"), "ieri");
    }
}
