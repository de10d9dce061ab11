//! The six activity measures every service reports, and the figures of one service in one period.

use crate::value::sum_present;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Utenti,
    Domande,
    Beneficiari,
    Ore,
    Accessi,
    Visite,
}

impl Measure {
    pub const ALL: [Measure; 6] =
        [Measure::Utenti, Measure::Domande, Measure::Beneficiari, Measure::Ore, Measure::Accessi, Measure::Visite];

    /// Column name in the CSV contracts.
    pub fn column(self) -> &'static str {
        match self {
            Measure::Utenti => "utenti_in_carico",
            Measure::Domande => "domande_pervenute",
            Measure::Beneficiari => "beneficiari",
            Measure::Ore => "ore_erogate",
            Measure::Accessi => "accessi",
            Measure::Visite => "visite_domiciliari",
        }
    }

    /// Name used in indicator expressions.
    pub fn term(self) -> &'static str {
        match self {
            Measure::Utenti => "utenti",
            Measure::Domande => "domande",
            Measure::Beneficiari => "beneficiari",
            Measure::Ore => "ore",
            Measure::Accessi => "accessi",
            Measure::Visite => "visite",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Measure::Utenti => "Utenti in carico",
            Measure::Domande => "Domande pervenute",
            Measure::Beneficiari => "Beneficiari",
            Measure::Ore => "Ore erogate",
            Measure::Accessi => "Accessi",
            Measure::Visite => "Visite domiciliari",
        }
    }

    /// Hours are the one measure with decimals; the rest are counts of people or events.
    pub fn is_count(self) -> bool {
        self != Measure::Ore
    }

    /// Decimals the store keeps (see `crate::fixed`): counts are whole, hours have four.
    pub fn storage_scale(self) -> u32 {
        if self.is_count() { 0 } else { crate::fixed::HOURS_SCALE }
    }

    /// Utenti in carico and beneficiari are people, not events: the same people are counted
    /// again every period, so they do not add up over periods.
    pub fn is_stock(self) -> bool {
        matches!(self, Measure::Utenti | Measure::Beneficiari)
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_term(term: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.term() == term)
    }
}

/// Measures in storage units (`Measure::storage_scale`), in the order of `Measure::ALL`.
pub type StoredMeasures = [Option<i64>; 6];

/// One value per measure; `None` means not recorded, which is not zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Measures(pub [Option<Decimal>; 6]);

impl Measures {
    /// From storage units, each value without trailing zeros.
    pub fn from_stored(stored: &StoredMeasures) -> Measures {
        let mut out = Measures::default();
        for m in Measure::ALL {
            out.set(m, stored[m.index()].map(|v| crate::fixed::from_units(v, m.storage_scale()).normalize()));
        }
        out
    }

    /// To storage units; a value the scale cannot keep (validation refuses those first) is left
    /// blank.
    pub fn to_stored(&self) -> StoredMeasures {
        let mut out = [None; 6];
        for m in Measure::ALL {
            out[m.index()] = self.get(m).and_then(|v| crate::fixed::to_units(v, m.storage_scale()));
        }
        out
    }

    pub fn get(&self, m: Measure) -> Option<Decimal> {
        self.0[m.index()]
    }

    pub fn set(&mut self, m: Measure, v: Option<Decimal>) {
        self.0[m.index()] = v;
    }

    pub fn is_blank(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }

    /// Measure-wise sum, blank where every term is blank.
    pub fn sum<'a, I: IntoIterator<Item = &'a Measures>>(items: I) -> Measures {
        let items: Vec<&Measures> = items.into_iter().collect();
        let mut out = Measures::default();
        for m in Measure::ALL {
            out.set(m, sum_present(items.iter().map(|x| x.get(m))));
        }
        out
    }

    /// The people a service reached, for per-person ratios: users in care where recorded (and not
    /// zero), else beneficiaries, else accesses. Front offices only count accesses.
    pub fn reach(&self) -> Option<(Measure, Decimal)> {
        [Measure::Utenti, Measure::Beneficiari, Measure::Accessi]
            .into_iter()
            .find_map(|m| self.get(m).filter(|v| !v.is_zero()).map(|v| (m, v)))
    }
}

/// What one service did and cost in one period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub measures: Measures,
    /// Row budget in EUR; `Some(0)` is a service that cost nothing (`-`), `None` is unknown.
    pub budget: Option<Decimal>,
    /// Size of the target population the service addresses, when defined.
    pub target: Option<Decimal>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Option<Decimal> {
        Some(Decimal::from(n))
    }

    #[test]
    fn reach_prefers_users_then_beneficiaries_then_accesses() {
        let mut m = Measures::default();
        assert_eq!(m.reach(), None);
        m.set(Measure::Accessi, d(40));
        assert_eq!(m.reach(), Some((Measure::Accessi, Decimal::from(40))));
        m.set(Measure::Beneficiari, d(12));
        assert_eq!(m.reach(), Some((Measure::Beneficiari, Decimal::from(12))));
        m.set(Measure::Utenti, d(0));
        assert_eq!(m.reach(), Some((Measure::Beneficiari, Decimal::from(12))), "a zero is skipped");
        m.set(Measure::Utenti, d(7));
        assert_eq!(m.reach(), Some((Measure::Utenti, Decimal::from(7))));
    }

    #[test]
    fn storage_keeps_counts_whole_and_hours_to_four_decimals() {
        assert_eq!(Measure::ALL.map(Measure::storage_scale), [0, 0, 0, 4, 0, 0]);
        let stored = [Some(12), None, Some(0), Some(21_722_000), Some(3), None];
        let m = Measures::from_stored(&stored);
        assert_eq!(m.get(Measure::Ore).map(|v| v.to_string()).as_deref(), Some("2172.2"));
        assert_eq!(m.get(Measure::Utenti), d(12));
        assert_eq!(m.get(Measure::Domande), None, "a blank stays blank");
        assert_eq!(m.get(Measure::Beneficiari), d(0), "a zero stays zero");
        assert_eq!(m.to_stored(), stored);
        let mut too_fine = Measures::default();
        too_fine.set(Measure::Ore, Some("0.00001".parse().unwrap()));
        too_fine.set(Measure::Accessi, Some("1.5".parse().unwrap()));
        assert_eq!(too_fine.to_stored(), [None; 6]);
    }

    #[test]
    fn people_are_stocks_events_are_flows() {
        let stocks: Vec<Measure> = Measure::ALL.into_iter().filter(|m| m.is_stock()).collect();
        assert_eq!(stocks, [Measure::Utenti, Measure::Beneficiari]);
    }

    #[test]
    fn sums_keep_blanks() {
        let mut a = Measures::default();
        a.set(Measure::Ore, Some("10.5".parse().unwrap()));
        let mut b = Measures::default();
        b.set(Measure::Ore, Some("0.25".parse().unwrap()));
        b.set(Measure::Accessi, d(3));
        let s = Measures::sum([&a, &b]);
        assert_eq!(s.get(Measure::Ore), Some("10.75".parse().unwrap()));
        assert_eq!(s.get(Measure::Accessi), d(3));
        assert_eq!(s.get(Measure::Utenti), None);
    }
}
