//! The Piano di Zona: the vocabulary of objective cards and indicator sets, and the rules that
//! judge an indicator against its target (`rules`) and read a linked value off the annual report
//! (`link`). Codes are the stored and file values; labels are the Italian shown to people.

pub mod link;
pub mod rules;
pub mod suppressed;

use serde::Serialize;

/// Defines a closed set of codes with Italian labels, parse and list.
macro_rules! coded {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(code: &str) -> Option<$name> {
                let code = code.trim();
                $name::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// Every code, for error messages: `a|b|c`.
            pub fn codes() -> String {
                $name::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join("|")
            }
        }
    };
}

coded!(
    /// Who owns an objective: the Ambito itself, its Distretto (§8.6) or the province (§3, the
    /// ATS's Ambiti together). District and provincial objectives are seen by every member Ambito.
    ObjectiveLevel {
        Ambito = "ambito", "Ambito";
        Distretto = "distretto", "Distretto";
        Provincia = "provincia", "Provinciale";
    }
);

coded!(
    /// Where an indicator sits on the card: organisational modes, expected results, impact.
    IndicatorKind {
        Process = "process", "Processo";
        Output = "output", "Output";
        Outcome = "outcome", "Outcome";
    }
);

coded!(
    /// Micro: effects on individuals; meso: organisation and network; macro: community,
    /// comparable across Comuni and Ambiti.
    IndicatorLevel {
        Micro = "micro", "Micro";
        Meso = "meso", "Meso";
        Macro = "macro", "Macro";
    }
);

coded!(
    /// How an indicator's value is formed from what is observed.
    MeasureType {
        Count = "count", "Conteggio";
        Percentage = "percentage", "Percentuale";
        ChangePct = "change_pct", "Variazione % sul valore di partenza";
        Per1000 = "per_1000", "Ogni 1.000 della popolazione target";
        Milestone = "milestone", "Traguardo (sì/no con data)";
        Questionnaire = "questionnaire", "Punteggio di questionario";
        Test = "test", "Punteggio di test";
    }
);

coded!(
    /// Whether the target asks for more or for less.
    Direction {
        Up = "up", "Aumentare";
        Down = "down", "Ridurre";
    }
);

coded!(
    Frequency {
        Semiannual = "semiannual", "Semestrale";
        Annual = "annual", "Annuale";
        EndOfCycle = "end", "A fine triennio";
    }
);

coded!(
    /// A card's yes/no questions; several are answered "in parte" in the real plans.
    Answer {
        Si = "si", "Sì";
        No = "no", "No";
        Parziale = "parziale", "Parzialmente";
    }
);

coded!(
    PlanStatus {
        Draft = "draft", "Bozza";
        Approved = "approved", "Approvato";
    }
);

coded!(
    ActionStatus {
        Planned = "planned", "Da avviare";
        InProgress = "in_progress", "In corso";
        Done = "done", "Conclusa";
        Cancelled = "cancelled", "Annullata";
    }
);

coded!(
    RoundStatus {
        Open = "open", "Aperta";
        Closed = "closed", "Chiusa";
    }
);

coded!(
    EvidenceKind {
        Interview = "interview", "Intervista in profondità";
        FocusGroup = "focus_group", "Focus group";
        Workshop = "workshop", "Laboratorio partecipativo";
    }
);

impl MeasureType {
    /// Decimals shown for a value of this measure.
    pub fn decimals(self) -> u32 {
        match self {
            MeasureType::Count | MeasureType::Milestone => 0,
            MeasureType::Percentage | MeasureType::ChangePct => 1,
            MeasureType::Per1000 | MeasureType::Questionnaire | MeasureType::Test => 2,
        }
    }

    /// A value as shown: `Sì`/`No` for milestones, `12,5%`, `+8,3%`, `30,45`, `1.234`.
    pub fn show(self, v: rust_decimal::Decimal) -> String {
        use crate::format::{it_number, round_half_up};
        match self {
            MeasureType::Milestone => {
                if v >= rust_decimal::Decimal::ONE {
                    "Sì".into()
                } else {
                    "No".into()
                }
            }
            MeasureType::Percentage => format!("{}%", it_number(v, 1)),
            MeasureType::ChangePct => {
                let sign = if round_half_up(v, 1) > rust_decimal::Decimal::ZERO { "+" } else { "" };
                format!("{sign}{}%", it_number(v, 1))
            }
            m => it_number(v, m.decimals()),
        }
    }
}

/// The ten programming areas of Regione Lombardia (DGR 4563/2021), letters A–J.
pub const RL_AREAS: [(char, &str); 10] = [
    ('A', "Contrasto alla povertà e all'emarginazione sociale"),
    ('B', "Politiche abitative"),
    ('C', "Promozione inclusione attiva"),
    ('D', "Domiciliarità"),
    ('E', "Anziani"),
    ('F', "Digitalizzazione dei servizi"),
    ('G', "Politiche giovanili e per i minori"),
    ('H', "Interventi connessi alle politiche per il lavoro"),
    ('I', "Interventi per la famiglia"),
    ('J', "Interventi a favore di persone con disabilità"),
];

pub fn rl_area_name(letter: char) -> Option<&'static str> {
    RL_AREAS.iter().find(|(l, _)| *l == letter).map(|(_, n)| *n)
}

/// A triennium `YYYY-YYYY` spanning three calendar years (2021-2023): its first and last year.
pub fn parse_triennium(text: &str) -> Option<(i32, i32)> {
    let (a, b) = text.trim().split_once('-')?;
    let (a, b) = (a.parse::<i32>().ok()?, b.parse::<i32>().ok()?);
    ((1990..=2100).contains(&a) && b == a + 2).then_some((a, b))
}

/// The triennium that follows: 2021-2023 → 2024-2026.
pub fn next_triennium(text: &str) -> Option<String> {
    parse_triennium(text).map(|(_, b)| format!("{}-{}", b + 1, b + 3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_back() {
        for m in MeasureType::ALL {
            assert_eq!(MeasureType::parse(m.code()), Some(*m));
        }
        assert_eq!(Answer::parse(" parziale "), Some(Answer::Parziale));
        assert_eq!(IndicatorKind::parse("impact"), None);
        assert_eq!(ObjectiveLevel::codes(), "ambito|distretto|provincia");
    }

    #[test]
    fn values_as_shown() {
        let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
        assert_eq!(MeasureType::Milestone.show(d("1")), "Sì");
        assert_eq!(MeasureType::Milestone.show(d("0")), "No");
        assert_eq!(MeasureType::ChangePct.show(d("8.25")), "+8,3%");
        assert_eq!(MeasureType::ChangePct.show(d("-2.04")), "-2,0%");
        assert_eq!(MeasureType::ChangePct.show(d("0.04")), "0,0%");
        assert_eq!(MeasureType::Percentage.show(d("77")), "77,0%");
        assert_eq!(MeasureType::Per1000.show(d("30.4469")), "30,45");
        assert_eq!(MeasureType::Count.show(d("1234")), "1.234");
    }

    #[test]
    fn triennia() {
        assert_eq!(parse_triennium("2021-2023"), Some((2021, 2023)));
        assert_eq!(parse_triennium("2021-2024"), None);
        assert_eq!(parse_triennium("duemila"), None);
        assert_eq!(next_triennium("2018-2020").as_deref(), Some("2021-2023"));
        assert_eq!(rl_area_name('F'), Some("Digitalizzazione dei servizi"));
        assert_eq!(rl_area_name('K'), None);
    }
}
