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

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_term(term: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.term() == term)
    }
}

/// One value per measure; `None` means not recorded, which is not zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Measures(pub [Option<Decimal>; 6]);

impl Measures {
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
