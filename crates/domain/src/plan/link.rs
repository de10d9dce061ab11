//! A linked indicator names a figure of the core engine, so its value is read, not typed:
//!
//! - `servizio:CODE:TERM` — a service's figure (its children included, as in the report);
//! - `area:NAME:TERM` — an area's total;
//! - `ambito:TERM` — the Ambito's total.
//!
//! - `questionario:CODE:ONDATA` — the mean score of a Likert questionnaire's wave (`ex-ante`,
//!   `intermedia`, `ex-post`), computed by the application from the responses.
//!
//! TERM is a measure (`utenti`, `domande`, `beneficiari`, `ore`, `accessi`, `visite`) or
//! `budget`; for a service also `indicatore` (its result indicator) and `target` (its target
//! population). Values are read off the annual report of the round's year.

use crate::measures::{Figures, Measure, Measures};
use crate::report::AnnualReport;
use crate::suppression::HiddenCells;
use crate::value::{Blank, Value};
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Term {
    Measure(Measure),
    Budget,
    /// The service's result indicator (services only).
    Indicator,
    /// The service's target population (services only).
    Target,
    /// A questionnaire's mean score.
    Score,
}

impl Term {
    fn parse(text: &str) -> Option<Term> {
        match text {
            "budget" => Some(Term::Budget),
            "indicatore" => Some(Term::Indicator),
            "target" => Some(Term::Target),
            t => Measure::from_term(t).map(Term::Measure),
        }
    }

    fn code(self) -> &'static str {
        match self {
            Term::Measure(m) => m.term(),
            Term::Budget => "budget",
            Term::Indicator => "indicatore",
            Term::Target => "target",
            Term::Score => "punteggio",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Term::Measure(m) => m.label(),
            Term::Budget => "Budget",
            Term::Indicator => "Indicatore di risultato",
            Term::Target => "Popolazione target",
            Term::Score => "Punteggio medio del questionario",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum LinkRef {
    Service {
        code: String,
        term: Term,
    },
    Area {
        name: String,
        term: Term,
    },
    Ambito {
        term: Term,
    },
    /// Resolved by the application (the responses are not in the annual report).
    Questionnaire {
        code: String,
        wave: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("collegamento non valido «{text}»: {reason}")]
pub struct LinkError {
    pub text: String,
    pub reason: &'static str,
}

impl LinkRef {
    pub fn parse(text: &str) -> Result<LinkRef, LinkError> {
        let err = |reason| LinkError { text: text.to_string(), reason };
        let text = text.trim();
        let (kind, rest) = text.split_once(':').ok_or_else(|| err("atteso servizio:CODICE:MISURA, area:NOME:MISURA o ambito:MISURA"))?;
        let term_of = |t: &str| {
            Term::parse(t.trim())
                .ok_or_else(|| err("misura sconosciuta (utenti, domande, beneficiari, ore, accessi, visite, budget, indicatore, target)"))
        };
        match kind {
            "questionario" => {
                let (code, wave) = rest.rsplit_once(':').ok_or_else(|| err("atteso questionario:CODICE:ONDATA"))?;
                let (code, wave) = (code.trim(), wave.trim());
                if code.is_empty() || !matches!(wave, "ex-ante" | "intermedia" | "ex-post") {
                    return Err(err("atteso questionario:CODICE:ONDATA con ondata ex-ante, intermedia o ex-post"));
                }
                Ok(LinkRef::Questionnaire { code: code.to_string(), wave: wave.to_string() })
            }
            "ambito" => match term_of(rest)? {
                t @ (Term::Measure(_) | Term::Budget) => Ok(LinkRef::Ambito { term: t }),
                _ => Err(err("per l'Ambito solo misure e budget")),
            },
            "servizio" | "area" => {
                let (name, term) = rest.rsplit_once(':').ok_or_else(|| err("manca la misura dopo il nome"))?;
                let name = name.trim();
                if name.is_empty() {
                    return Err(err("nome vuoto"));
                }
                let term = term_of(term)?;
                if kind == "servizio" {
                    Ok(LinkRef::Service { code: name.to_string(), term })
                } else if matches!(term, Term::Measure(_) | Term::Budget) {
                    Ok(LinkRef::Area { name: name.to_string(), term })
                } else {
                    Err(err("per un'area solo misure e budget"))
                }
            }
            _ => Err(err("tipo sconosciuto: servizio, area o ambito")),
        }
    }

    pub fn term(&self) -> Term {
        match self {
            LinkRef::Service { term, .. } | LinkRef::Area { term, .. } | LinkRef::Ambito { term } => *term,
            LinkRef::Questionnaire { .. } => Term::Score,
        }
    }

    /// Italian description, e.g. "Utenti in carico · servizio SAD".
    pub fn describe(&self) -> String {
        match self {
            LinkRef::Service { code, term } => format!("{} · servizio {code}", term.label()),
            LinkRef::Area { name, term } => format!("{} · area {name}", term.label()),
            LinkRef::Ambito { term } => format!("{} · totale Ambito", term.label()),
            LinkRef::Questionnaire { code, wave } => format!("{} · {code}, ondata {wave}", Term::Score.label()),
        }
    }

    /// Whether the figure is a count of people (utenti, domande, beneficiari), which suppression
    /// protects.
    pub fn counts_people(&self) -> bool {
        matches!(self.term(), Term::Measure(m) if crate::suppression::PEOPLE.contains(&m))
    }

    /// Whether the suppressed copy of `report` hides the figure this link reads (`cells` from
    /// [`HiddenCells::of`]): the plan shows an evaluator no figure their report hides.
    pub fn hidden_in(&self, report: &AnnualReport, cells: &HiddenCells) -> bool {
        let row = match self {
            LinkRef::Service { code, .. } => cells.service(report, code),
            LinkRef::Area { name, .. } => cells.area(report, name),
            LinkRef::Ambito { .. } => Some(cells.total()),
            LinkRef::Questionnaire { .. } => None,
        };
        match (row, self.term()) {
            (Some(row), Term::Measure(m)) => row.hides(m),
            (Some(row), Term::Indicator) => row.derived,
            _ => false,
        }
    }

    /// The figure in the given report; a blank says why there is none.
    pub fn resolve(&self, report: &AnnualReport) -> Value {
        let from_totals = |m: &Measures, budget: Option<rust_decimal::Decimal>, term: Term| match term {
            Term::Measure(k) => m.get(k).map(Value::Number).unwrap_or_else(|| Value::Blank(Blank::NotRecorded(k.term().into()))),
            Term::Budget => budget.map(Value::Number).unwrap_or_else(|| Value::Blank(Blank::NotRecorded("budget".into()))),
            Term::Indicator | Term::Target | Term::Score => Value::Blank(Blank::Unknown(term.code().into())),
        };
        match self {
            LinkRef::Questionnaire { code, .. } => Value::Blank(Blank::Unknown(format!("questionario {code}"))),
            LinkRef::Ambito { term } => from_totals(&report.total.measures, report.total.budget, *term),
            LinkRef::Area { name, term } => match report.areas.iter().find(|a| a.name == *name) {
                Some(a) => from_totals(&a.total.measures, a.total.budget, *term),
                None => Value::Blank(Blank::Unknown(format!("area {name}"))),
            },
            LinkRef::Service { code, term } => {
                let Some(row) = report.areas.iter().flat_map(|a| &a.rows).find(|r| r.code == *code) else {
                    return Value::Blank(Blank::Unknown(format!("servizio {code}")));
                };
                let f: &Figures = &row.figures;
                match term {
                    Term::Indicator => match &row.indicator {
                        Some(i) => i.shown.value.clone(),
                        None => Value::Blank(Blank::NotRecorded("indicatore del servizio".into())),
                    },
                    Term::Target => f.target.map(Value::Number).unwrap_or(Value::Blank(Blank::NoTarget)),
                    t => from_totals(&f.measures, f.budget, *t),
                }
            }
        }
    }
}

impl fmt::Display for LinkRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkRef::Service { code, term } => write!(f, "servizio:{code}:{}", term.code()),
            LinkRef::Area { name, term } => write!(f, "area:{name}:{}", term.code()),
            LinkRef::Ambito { term } => write!(f, "ambito:{}", term.code()),
            LinkRef::Questionnaire { code, wave } => write!(f, "questionario:{code}:{wave}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measures::Figures;
    use crate::report::{AreaDef, ReportInput, ServiceDef, assemble};
    use rust_decimal::Decimal;
    use std::collections::HashMap;

    fn report() -> AnnualReport {
        report_with(80)
    }

    fn report_with(sad_users: i64) -> AnnualReport {
        let mut current = HashMap::new();
        let mut sad = Figures::default();
        sad.measures.set(Measure::Utenti, Some(Decimal::from(sad_users)));
        sad.measures.set(Measure::Ore, Some("2172.2".parse().unwrap()));
        sad.budget = Some(Decimal::from(9638));
        current.insert("SAD".to_string(), sad);
        let mut pasti = Figures::default();
        pasti.measures.set(Measure::Utenti, Some(Decimal::from(30)));
        current.insert("PASTI".to_string(), pasti);
        let svc = |code: &str, parent: Option<&str>, ind: Option<&str>| ServiceDef {
            code: code.into(),
            name: code.into(),
            area: "Anziani".into(),
            parent: parent.map(Into::into),
            indicator: ind.map(Into::into),
        };
        assemble(&ReportInput {
            ambito_code: "X".into(),
            ambito_name: "X".into(),
            year: 2025,
            areas: vec![AreaDef { name: "Anziani".into(), ..AreaDef::default() }],
            services: vec![svc("SAD", None, Some("ore/utenti")), svc("PASTI", None, None)],
            current,
            previous: None,
            indicators: crate::indicator::builtins(),
            spending_sources: vec![],
            spending: vec![],
        })
    }

    #[test]
    fn parse_and_print() {
        for text in
            ["servizio:SAD:utenti", "area:Anziani:budget", "ambito:accessi", "servizio:A:B:indicatore", "questionario:ADM_FAMIGLIE:ex-post"]
        {
            assert_eq!(LinkRef::parse(text).unwrap().to_string(), text);
        }
        assert!(LinkRef::parse("servizio:SAD").is_err());
        assert!(LinkRef::parse("ambito:indicatore").is_err());
        assert!(LinkRef::parse("area:Anziani:target").is_err());
        assert!(LinkRef::parse("comune:X:utenti").is_err());
        assert!(LinkRef::parse("servizio:SAD:persone").is_err());
        assert_eq!(LinkRef::parse("servizio:SAD:utenti").unwrap().describe(), "Utenti in carico · servizio SAD");
    }

    #[test]
    fn resolve_against_the_report() {
        let r = report();
        let get = |t: &str| LinkRef::parse(t).unwrap().resolve(&r);
        assert_eq!(get("servizio:SAD:utenti"), Value::Number(Decimal::from(80)));
        assert_eq!(get("area:Anziani:utenti"), Value::Number(Decimal::from(110)));
        assert_eq!(get("ambito:utenti"), Value::Number(Decimal::from(110)));
        assert_eq!(get("ambito:budget"), Value::Number(Decimal::from(9638)));
        // 2172,2 hours over 80 users.
        assert_eq!(get("servizio:SAD:indicatore").number().map(|v| crate::format::it_number(v, 2)), Some("27,15".into()));
        assert_eq!(get("servizio:SAD:domande"), Value::Blank(Blank::NotRecorded("domande".into())));
        assert_eq!(get("servizio:NOPE:utenti"), Value::Blank(Blank::Unknown("servizio NOPE".into())));
        assert_eq!(get("servizio:SAD:target"), Value::Blank(Blank::NoTarget));
    }

    #[test]
    fn a_link_is_hidden_where_the_suppressed_report_hides_its_cell() {
        // SAD has 2 users: hidden; PASTI's 30 goes too, or 32 - 30 would give SAD back.
        let r = report_with(2);
        let cells = HiddenCells::of(&r, 3);
        let hidden = |t: &str| LinkRef::parse(t).unwrap().hidden_in(&r, &cells);
        assert!(hidden("servizio:SAD:utenti") && hidden("servizio:PASTI:utenti"), "primary and secondary");
        assert!(hidden("servizio:SAD:indicatore"), "hours per user derive from the hidden count");
        assert!(!hidden("area:Anziani:utenti") && !hidden("ambito:utenti"), "two hidden members keep the total safe");
        assert!(!hidden("servizio:SAD:ore") && !hidden("servizio:SAD:budget"), "not counts of people");
        assert!(!hidden("servizio:NOPE:utenti") && !hidden("questionario:Q:ex-post"));
        let full = report();
        let none = HiddenCells::of(&full, 3);
        assert!(!LinkRef::parse("servizio:SAD:utenti").unwrap().hidden_in(&full, &none));
        assert!(LinkRef::parse("servizio:SAD:utenti").unwrap().counts_people());
        assert!(!LinkRef::parse("servizio:SAD:ore").unwrap().counts_people());
    }
}
