//! The 2025 calendar: weekdays, public holidays, the Lombard school year and the closures of day
//! centres. Days are numbered 0..365 from 1 January 2025, a Wednesday.

pub const DAYS: u16 = 365;
const MONTH_DAYS: [u16; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// Day number of a date in 2025.
pub const fn day(month: u16, dom: u16) -> u16 {
    let mut d = 0;
    let mut m = 1;
    while m < month {
        d += MONTH_DAYS[(m - 1) as usize];
        m += 1;
    }
    d + dom - 1
}

/// (month 1-12, day of month).
pub fn date(d: u16) -> (u16, u16) {
    let mut rest = d;
    for (m, len) in MONTH_DAYS.iter().enumerate() {
        if rest < *len {
            return (m as u16 + 1, rest + 1);
        }
        rest -= len;
    }
    (12, 31)
}

pub fn iso(d: u16) -> String {
    let (m, dd) = date(d);
    format!("2025-{m:02}-{dd:02}")
}

/// 0 = Monday … 6 = Sunday.
pub const fn weekday(d: u16) -> u16 {
    (d + 2) % 7
}

/// Weeks starting on Monday; 1 January is in week 0.
pub const fn week(d: u16) -> u16 {
    (d + 2) / 7
}

const HOLIDAYS: [u16; 12] = [
    day(1, 1),
    day(1, 6),
    day(4, 20),
    day(4, 21),
    day(4, 25),
    day(5, 1),
    day(6, 2),
    day(8, 15),
    day(11, 1),
    day(12, 8),
    day(12, 25),
    day(12, 26),
];

pub fn holiday(d: u16) -> bool {
    HOLIDAYS.contains(&d)
}

fn within(d: u16, from: (u16, u16), to: (u16, u16)) -> bool {
    day(from.0, from.1) <= d && d <= day(to.0, to.1)
}

/// Lessons in Lombardy: 2024/25 ends on 6 June (30 June for the scuola dell'infanzia), Easter break
/// 17-22 April, 2025/26 starts on 12 September, Christmas break from 23 December.
pub fn school(d: u16, infanzia: bool) -> bool {
    let first_term = within(d, (1, 7), if infanzia { (6, 30) } else { (6, 6) }) && !within(d, (4, 17), (4, 22));
    (first_term || within(d, (9, 12), (12, 22))) && !holiday(d)
}

/// Day centres (CDD, CSE) close for three weeks in August and over Christmas.
pub fn day_centre(d: u16) -> bool {
    !(within(d, (1, 1), (1, 6)) || within(d, (8, 4), (8, 24)) || within(d, (12, 24), (12, 31)) || holiday(d))
}

/// Training for autonomy (SFA) follows a longer summer break.
pub fn training(d: u16) -> bool {
    !(within(d, (1, 1), (1, 6)) || within(d, (7, 28), (8, 31)) || within(d, (12, 24), (12, 31)) || holiday(d))
}

pub fn august(d: u16) -> bool {
    within(d, (8, 1), (8, 31))
}

pub fn christmas(d: u16) -> bool {
    within(d, (1, 1), (1, 6)) || within(d, (12, 22), (12, 31))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_2025() {
        assert_eq!(iso(0), "2025-01-01");
        assert_eq!(iso(day(3, 1)), "2025-03-01");
        assert_eq!(iso(364), "2025-12-31");
        assert_eq!(weekday(0), 2, "1 January 2025 is a Wednesday");
        assert_eq!(weekday(day(4, 20)), 6, "Easter Sunday");
        assert_eq!(weekday(day(12, 25)), 3, "Christmas is a Thursday");
        assert!(!school(day(8, 5), false) && school(day(9, 15), false) && !school(day(6, 20), false) && school(day(6, 20), true));
        assert_eq!(week(day(1, 6)), 1, "Monday 6 January starts week 1");
    }
}
