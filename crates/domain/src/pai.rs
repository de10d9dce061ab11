//! The individual project (*PAI*, process C of the case record): its coded fields and the date
//! rules of versions and reviews. Dates are ISO `YYYY-MM-DD`; "today" is passed in (no clock here).

use crate::date::{Day, parse_iso};

/// Goal horizons: short, medium and long term.
pub const HORIZONS: &[(&str, &str)] = &[("breve", "Breve termine"), ("medio", "Medio termine"), ("lungo", "Lungo termine")];

/// How the person agreed to the project: a signed document, a consent recorded by the worker
/// (e.g. by phone, or by someone unable to sign), or not yet.
pub const AGREEMENTS: &[(&str, &str)] = &[
    ("firmato", "Documento firmato"),
    ("consenso_registrato", "Consenso registrato dall'operatore"),
    ("non_ancora", "Non ancora espresso"),
];

/// What a review found about the goals.
pub const REVIEW_OUTCOMES: &[(&str, &str)] = &[
    ("raggiunti", "Obiettivi raggiunti"),
    ("parziali", "Obiettivi raggiunti in parte"),
    ("non_raggiunti", "Obiettivi non raggiunti"),
    ("da_rivedere", "Progetto da rivedere"),
];

/// Longest review interval accepted, in months (a PAI is reviewed at least every two years).
pub const MAX_REVIEW_MONTHS: i64 = 24;

pub fn label(table: &[(&'static str, &'static str)], code: &str) -> Option<&'static str> {
    table.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// A strict ISO date, or an Italian message naming the field.
pub fn day(field: &str, text: &str) -> Result<Day, String> {
    parse_iso(text.trim()).ok_or_else(|| format!("«{field}»: indicare una data valida (AAAA-MM-GG)"))
}

/// `from` plus `months`, the day clamped to the month's end (31 January + 1 = 28/29 February).
pub fn add_months(from: Day, months: i64) -> Option<Day> {
    let (y, m, d) = parts(from);
    let total = i64::from(y) * 12 + i64::from(m - 1) + months;
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    let month = u8::try_from(total.rem_euclid(12) + 1).ok()?;
    (1..=d).rev().find_map(|day| Day::new(year, month, day))
}

fn parts(d: Day) -> (i32, u8, u8) {
    let n = d.yyyymmdd();
    (d.year(), ((n / 100) % 100) as u8, (n % 100) as u8)
}

pub fn iso(d: Day) -> String {
    crate::date::iso_from_yyyymmdd(d.yyyymmdd())
}

/// The review interval of a project version: 1 to [`MAX_REVIEW_MONTHS`] months.
pub fn check_interval(months: i64) -> Result<(), String> {
    if (1..=MAX_REVIEW_MONTHS).contains(&months) {
        Ok(())
    } else {
        Err(format!("«Intervallo di revisione»: indicare da 1 a {MAX_REVIEW_MONTHS} mesi"))
    }
}

/// A review of a project valid from `valid_from`, held on `reviewed_on`: not before the project
/// (there was nothing to review) and not in the future (a review records what happened).
pub fn check_review_date(valid_from: Day, reviewed_on: Day, today: Day) -> Result<(), String> {
    if reviewed_on < valid_from {
        return Err(format!("«Data della revisione»: è precedente al progetto, valido dal {}", iso(valid_from)));
    }
    if reviewed_on > today {
        return Err("«Data della revisione»: non può essere nel futuro".into());
    }
    Ok(())
}

/// The start of a project version: never before the case opened; a version may be written ahead
/// of its start (a plan agreed for next month), but not more than a year ahead.
pub fn check_valid_from(valid_from: Day, case_opened: Day, today: Day) -> Result<(), String> {
    if valid_from < case_opened {
        return Err(format!("«Valido dal»: è precedente all'apertura del caso ({})", iso(case_opened)));
    }
    if add_months(today, 12).is_some_and(|limit| valid_from > limit) {
        return Err("«Valido dal»: più di un anno nel futuro".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Day {
        parse_iso(s).unwrap()
    }

    #[test]
    fn months_are_added_clamping_to_the_months_end() {
        assert_eq!(add_months(d("2025-01-31"), 1), Some(d("2025-02-28")));
        assert_eq!(add_months(d("2024-01-31"), 1), Some(d("2024-02-29")));
        assert_eq!(add_months(d("2025-11-15"), 3), Some(d("2026-02-15")));
        assert_eq!(add_months(d("2025-06-30"), 12), Some(d("2026-06-30")));
        assert_eq!(add_months(d("2025-03-10"), 0), Some(d("2025-03-10")));
    }

    #[test]
    fn a_review_is_neither_before_the_project_nor_in_the_future() {
        let (from, today) = (d("2025-03-01"), d("2025-10-01"));
        assert!(check_review_date(from, d("2025-02-28"), today).unwrap_err().contains("precedente al progetto"));
        assert_eq!(check_review_date(from, from, today), Ok(()));
        assert_eq!(check_review_date(from, today, today), Ok(()));
        assert!(check_review_date(from, d("2025-10-02"), today).unwrap_err().contains("futuro"));
    }

    #[test]
    fn intervals_and_start_dates_have_their_limits() {
        assert!(check_interval(0).is_err() && check_interval(25).is_err());
        assert!(check_interval(1).is_ok() && check_interval(24).is_ok());
        let (opened, today) = (d("2024-02-01"), d("2025-10-01"));
        assert!(check_valid_from(d("2024-01-31"), opened, today).is_err());
        assert!(check_valid_from(opened, opened, today).is_ok());
        assert!(check_valid_from(d("2026-10-01"), opened, today).is_ok());
        assert!(check_valid_from(d("2026-10-02"), opened, today).is_err());
    }

    #[test]
    fn codes_have_labels_and_dates_are_strict() {
        assert_eq!(label(AGREEMENTS, "firmato"), Some("Documento firmato"));
        assert_eq!(label(HORIZONS, "lungo"), Some("Lungo termine"));
        assert_eq!(label(REVIEW_OUTCOMES, "parziali"), Some("Obiettivi raggiunti in parte"));
        assert_eq!(label(REVIEW_OUTCOMES, "boh"), None);
        assert!(day("Data", "2025-1-01").unwrap_err().starts_with("«Data»"));
        assert_eq!(iso(day("Data", " 2025-01-09 ").unwrap()), "2025-01-09");
    }
}
