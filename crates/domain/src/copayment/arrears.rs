//! Arrears (*morosità*): unpaid notices past their due date, by how long (issue 17). A notice is
//! past due from the day after its `scadenza`; the buckets are 1–30, 31–60, 61–90 and over 90
//! days past due, the usual ageing of a credit list, and what the reminder (*sollecito*) policy
//! of an Ambito is written in.

use serde::Serialize;

use crate::date::Day;
use crate::interventions::calendar::day_number;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ageing {
    Giorni1a30,
    Giorni31a60,
    Giorni61a90,
    Oltre90,
}

impl Ageing {
    pub const ALL: [Ageing; 4] = [Ageing::Giorni1a30, Ageing::Giorni31a60, Ageing::Giorni61a90, Ageing::Oltre90];

    pub fn label(self) -> &'static str {
        match self {
            Ageing::Giorni1a30 => "1–30 giorni",
            Ageing::Giorni31a60 => "31–60 giorni",
            Ageing::Giorni61a90 => "61–90 giorni",
            Ageing::Oltre90 => "oltre 90 giorni",
        }
    }
}

/// Days from the due date to `today` (0 on the due day, negative before).
pub fn days_past_due(due: Day, today: Day) -> i64 {
    day_number(today) - day_number(due)
}

/// The bucket of an unpaid notice due on `due`, or `None` while it is not yet past due.
pub fn ageing(due: Day, today: Day) -> Option<Ageing> {
    match days_past_due(due, today) {
        i64::MIN..=0 => None,
        1..=30 => Some(Ageing::Giorni1a30),
        31..=60 => Some(Ageing::Giorni31a60),
        61..=90 => Some(Ageing::Giorni61a90),
        _ => Some(Ageing::Oltre90),
    }
}

/// One bucket's count of notices and their unpaid cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BucketTotal {
    pub ageing: Ageing,
    pub notices: usize,
    pub cents: i64,
}

/// The ageing of a list of unpaid notices given as (due date, cents still unpaid); notices not
/// yet past due, or with nothing left to pay, are not arrears.
pub fn ageing_summary(unpaid: &[(Day, i64)], today: Day) -> [BucketTotal; 4] {
    let mut out = Ageing::ALL.map(|ageing| BucketTotal { ageing, notices: 0, cents: 0 });
    for (due, cents) in unpaid.iter().filter(|(_, c)| *c > 0) {
        if let Some(a) = ageing(*due, today)
            && let Some(b) = out.iter_mut().find(|b| b.ageing == a)
        {
            b.notices += 1;
            b.cents = b.cents.saturating_add(*cents);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_iso;

    fn d(s: &str) -> Day {
        parse_iso(s).unwrap()
    }

    #[test]
    fn the_buckets_at_their_edges() {
        let due = d("2025-04-30");
        assert_eq!(ageing(due, d("2025-04-29")), None);
        assert_eq!(ageing(due, d("2025-04-30")), None, "due today is not late");
        assert_eq!(ageing(due, d("2025-05-01")), Some(Ageing::Giorni1a30));
        assert_eq!(ageing(due, d("2025-05-30")), Some(Ageing::Giorni1a30), "30 days");
        assert_eq!(ageing(due, d("2025-05-31")), Some(Ageing::Giorni31a60));
        assert_eq!(ageing(due, d("2025-06-29")), Some(Ageing::Giorni31a60), "60 days");
        assert_eq!(ageing(due, d("2025-06-30")), Some(Ageing::Giorni61a90));
        assert_eq!(ageing(due, d("2025-07-29")), Some(Ageing::Giorni61a90), "90 days");
        assert_eq!(ageing(due, d("2025-07-30")), Some(Ageing::Oltre90));
        assert_eq!(days_past_due(due, d("2026-04-30")), 365);
    }

    #[test]
    fn the_summary() {
        let today = d("2025-08-01");
        let unpaid = [
            (d("2025-07-31"), 1_000),
            (d("2025-07-15"), 500),
            (d("2025-05-31"), 2_000),
            (d("2025-01-31"), 700),
            (d("2025-08-31"), 9_999),
            (d("2025-01-31"), 0),
        ];
        let s = ageing_summary(&unpaid, today);
        let brief: Vec<(usize, i64)> = s.iter().map(|b| (b.notices, b.cents)).collect();
        assert_eq!(brief, vec![(2, 1_500), (0, 0), (1, 2_000), (1, 700)]);
        assert_eq!(s[3].ageing.label(), "oltre 90 giorni");
    }
}
