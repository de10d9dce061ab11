//! Suspensions of an intervention. A suspension runs from `from` and ends when the intervention is
//! resumed on `to` (the first day of service again); an open one has no `to`. Suspensions never
//! overlap, and only an open one can be resumed.

use super::FieldError;
use super::calendar::iso;
use crate::date::Day;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: Day,
    /// The day of resumption; `None` while suspended.
    pub to: Option<Day>,
}

impl Span {
    /// Is the service suspended on `d`?
    pub fn covers(&self, d: Day) -> bool {
        self.from <= d && self.to.is_none_or(|t| d < t)
    }
}

pub fn suspended_on(spans: &[Span], d: Day) -> bool {
    spans.iter().any(|s| s.covers(d))
}

/// May the intervention running `start..=end` be suspended from `from`?
pub fn check_suspension(spans: &[Span], from: Day, start: Day, end: Option<Day>) -> Result<(), FieldError> {
    if from < start {
        return Err(FieldError::new("dal", format!("la sospensione non può precedere l'inizio dell'intervento ({})", iso(start))));
    }
    if let Some(e) = end
        && from > e
    {
        return Err(FieldError::new("dal", format!("l'intervento è terminato il {}", iso(e))));
    }
    if spans.iter().any(|s| s.to.is_none()) {
        return Err(FieldError::new("dal", "l'intervento è già sospeso: registrare prima la ripresa"));
    }
    if let Some(s) = spans.iter().find(|s| s.covers(from) || s.from > from) {
        return Err(FieldError::new(
            "dal",
            format!("si sovrappone alla sospensione dal {} al {}", iso(s.from), s.to.map(iso).unwrap_or_default()),
        ));
    }
    Ok(())
}

/// May the intervention be resumed on `on`? Returns the index of the open suspension it closes.
pub fn check_resumption(spans: &[Span], on: Day, end: Option<Day>) -> Result<usize, FieldError> {
    let Some(i) = spans.iter().position(|s| s.to.is_none()) else {
        return Err(FieldError::new("il", "l'intervento non è sospeso"));
    };
    if on <= spans[i].from {
        return Err(FieldError::new("il", format!("la ripresa deve seguire l'inizio della sospensione ({})", iso(spans[i].from))));
    }
    if let Some(e) = end
        && on > e
    {
        return Err(FieldError::new("il", format!("l'intervento è terminato il {}", iso(e))));
    }
    Ok(i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interventions::calendar::day;

    fn d(s: &str) -> Day {
        day(s).expect("day")
    }

    #[test]
    fn a_suspension_covers_up_to_the_day_before_resumption() {
        let s = Span { from: d("2025-03-10"), to: Some(d("2025-03-20")) };
        assert!(!s.covers(d("2025-03-09")));
        assert!(s.covers(d("2025-03-10")) && s.covers(d("2025-03-19")));
        assert!(!s.covers(d("2025-03-20")), "service again on the day of resumption");
        assert!(Span { from: d("2025-03-10"), to: None }.covers(d("2030-01-01")));
    }

    #[test]
    fn suspensions_stay_inside_the_intervention_and_never_overlap() {
        let start = d("2025-01-01");
        let end = Some(d("2025-12-31"));
        assert!(check_suspension(&[], d("2025-02-01"), start, end).is_ok());
        assert_eq!(check_suspension(&[], d("2024-12-31"), start, end).map_err(|e| e.field), Err("dal"));
        assert!(check_suspension(&[], d("2026-01-01"), start, end).is_err(), "after the end");
        let closed = [Span { from: d("2025-03-01"), to: Some(d("2025-04-01")) }];
        assert!(check_suspension(&closed, d("2025-03-15"), start, end).is_err(), "inside an earlier one");
        assert!(check_suspension(&closed, d("2025-02-15"), start, end).is_err(), "would run into a later one");
        assert!(check_suspension(&closed, d("2025-04-01"), start, end).is_ok(), "from the day of resumption");
        let open = [Span { from: d("2025-05-01"), to: None }];
        let e = check_suspension(&open, d("2025-06-01"), start, end).expect_err("already suspended");
        assert!(e.message.contains("già sospeso"));
    }

    #[test]
    fn only_an_open_suspension_is_resumed_and_after_it_began() {
        let end = Some(d("2025-12-31"));
        assert!(check_resumption(&[], d("2025-02-01"), end).is_err(), "not suspended");
        let spans = [Span { from: d("2025-03-01"), to: Some(d("2025-03-10")) }, Span { from: d("2025-05-01"), to: None }];
        assert_eq!(check_resumption(&spans, d("2025-05-02"), end), Ok(1));
        assert!(check_resumption(&spans, d("2025-05-01"), end).is_err(), "same day");
        assert!(check_resumption(&spans, d("2025-04-01"), end).is_err(), "before the suspension");
        assert!(check_resumption(&spans, d("2026-02-01"), end).is_err(), "after the end");
        assert!(suspended_on(&spans, d("2025-03-05")) && !suspended_on(&spans, d("2025-04-05")));
    }
}
