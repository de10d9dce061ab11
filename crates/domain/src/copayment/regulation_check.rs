//! The rules between a regulation's fields, checked on whatever could be read (a field that did
//! not parse is `None` and its comparisons are skipped: its own error is already listed).

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::isee::IseeType;
use super::regulation::{Band, DueDate, Formula, Regulation, ServiceRule, Unit};
use super::regulation_toml::RegulationIssue;
use crate::date::Day;

/// The largest amount a regulation may write: a notice's maximum, 999.999.999,99.
fn max_amount() -> Decimal {
    Decimal::new(99_999_999_999, 2)
}

pub(super) struct Draft {
    pub codice: Option<String>,
    pub valido_dal: Option<Day>,
    pub scadenza: DueDate,
    pub servizi: Vec<ServiceDraft>,
}

pub(super) struct ServiceDraft {
    pub codice: Option<String>,
    /// The line of the `[[servizio]]` block.
    pub line: Option<usize>,
    /// The line of each amount field that was written.
    pub lines: BTreeMap<&'static str, usize>,
    pub unita: Option<Unit>,
    pub isee_tipi: Option<Vec<IseeType>>,
    pub formula: Option<Formula>,
    pub isee_esenzione: Option<Decimal>,
    pub isee_massimo: Option<Decimal>,
    pub tariffa_minima: Option<Decimal>,
    pub tariffa_massima: Option<Decimal>,
    pub tetto_mensile: Option<Decimal>,
    pub fasce: Option<Vec<BandDraft>>,
}

pub(super) struct BandDraft {
    pub fino_a: Option<Decimal>,
    pub tariffa: Option<Decimal>,
    pub line: Option<usize>,
}

struct Out<'a> {
    issues: &'a mut Vec<RegulationIssue>,
}

impl Out<'_> {
    fn push(&mut self, s: &ServiceDraft, field: &str, line: Option<usize>, message: String) {
        let service = Some(s.codice.clone().unwrap_or_else(|| "?".into()));
        self.issues.push(RegulationIssue { line: line.or(s.line), service, field: field.into(), message });
    }

    fn field(&mut self, s: &ServiceDraft, field: &'static str, message: String) {
        self.push(s, field, s.lines.get(field).copied(), message);
    }

    /// Not negative, in cents, not absurd.
    fn amount(&mut self, s: &ServiceDraft, field: &'static str, line: Option<usize>, v: Option<Decimal>) {
        let Some(v) = v else { return };
        let line = line.or_else(|| s.lines.get(field).copied());
        if v.is_sign_negative() && !v.is_zero() {
            self.push(s, field, line, format!("non può essere negativo ({v})"));
        } else if v.normalize().scale() > 2 {
            self.push(s, field, line, format!("al più due decimali ({v})"));
        } else if v > max_amount() {
            self.push(s, field, line, format!("importo troppo grande ({v})"));
        }
    }
}

/// Checks the rules between fields and, when nothing at all is wrong, builds the regulation.
pub(super) fn check_and_build(d: &Draft, issues: &mut Vec<RegulationIssue>) -> Option<Regulation> {
    if d.servizi.is_empty() {
        issues.push(RegulationIssue {
            line: None,
            service: None,
            field: "servizio".into(),
            message: "almeno un blocco [[servizio]]".into(),
        });
    }
    let mut out = Out { issues };
    let mut seen: BTreeMap<&str, Option<usize>> = BTreeMap::new();
    for s in &d.servizi {
        if let Some(code) = s.codice.as_deref() {
            match seen.get(code) {
                Some(first) => {
                    let at = first.map(|l| format!(" (già alla riga {l})")).unwrap_or_default();
                    out.field(s, "codice_servizio", format!("codice «{code}» ripetuto{at}"));
                }
                None => {
                    seen.insert(code, s.line);
                }
            }
        }
        check_service(&mut out, s);
    }
    if !out.issues.is_empty() {
        return None;
    }
    let servizi = d.servizi.iter().map(build_service).collect::<Option<Vec<_>>>()?;
    Some(Regulation { codice: d.codice.clone()?, valido_dal: d.valido_dal?, scadenza: d.scadenza, servizi })
}

fn check_service(out: &mut Out, s: &ServiceDraft) {
    if let Some(tipi) = &s.isee_tipi {
        if tipi.is_empty() {
            out.field(s, "isee_tipi", "almeno un tipo di ISEE accettato".into());
        }
        for (i, t) in tipi.iter().enumerate() {
            if tipi[..i].contains(t) {
                out.field(s, "isee_tipi", format!("tipo «{}» ripetuto", t.code()));
            }
        }
    }
    for (field, v) in [
        ("isee_esenzione", s.isee_esenzione),
        ("isee_massimo", s.isee_massimo),
        ("tariffa_minima", s.tariffa_minima),
        ("tariffa_massima", s.tariffa_massima),
        ("tetto_mensile", s.tetto_mensile),
    ] {
        out.amount(s, field, None, v);
    }
    if let (Some(e), Some(m)) = (s.isee_esenzione, s.isee_massimo)
        && m <= e
    {
        out.field(s, "isee_massimo", format!("deve essere maggiore di isee_esenzione ({m} non è maggiore di {e})"));
    }
    if let (Some(min), Some(max)) = (s.tariffa_minima, s.tariffa_massima)
        && min > max
    {
        out.field(s, "tariffa_minima", format!("non può superare tariffa_massima ({min} è maggiore di {max})"));
    }
    if let Some(t) = s.tetto_mensile
        && t.is_zero()
    {
        out.field(s, "tetto_mensile", "deve essere maggiore di zero (per non far pagare si usa un'esenzione)".into());
    }
    check_bands(out, s);
}

fn check_bands(out: &mut Out, s: &ServiceDraft) {
    let bands = s.fasce.as_deref().unwrap_or_default();
    match s.formula {
        Some(Formula::Fasce) if bands.is_empty() => {
            out.field(s, "fasce", "la formula «fasce» richiede almeno un blocco [[servizio.fasce]]".into());
        }
        Some(Formula::Lineare | Formula::Quadratica) if !bands.is_empty() => {
            out.push(s, "fasce", bands[0].line, "le fasce valgono solo con formula = \"fasce\"".into());
        }
        _ => {}
    }
    let mut previous: Option<Decimal> = None;
    for b in bands {
        out.amount(s, "fasce.fino_a", b.line, b.fino_a);
        out.amount(s, "fasce.tariffa", b.line, b.tariffa);
        if let (Some(p), Some(f)) = (previous, b.fino_a)
            && f <= p
        {
            out.push(
                s,
                "fasce.fino_a",
                b.line,
                format!("le fasce devono crescere: fino_a {f} non è maggiore della fascia precedente ({p})"),
            );
        }
        if let (Some(t), Some(max)) = (b.tariffa, s.tariffa_massima)
            && t > max
        {
            out.push(s, "fasce.tariffa", b.line, format!("la tariffa della fascia ({t}) supera tariffa_massima ({max})"));
        }
        previous = b.fino_a.or(previous);
    }
}

fn build_service(s: &ServiceDraft) -> Option<ServiceRule> {
    let fasce = s.fasce.iter().flatten().map(|b| Some(Band { fino_a: b.fino_a?, tariffa: b.tariffa? })).collect::<Option<Vec<_>>>()?;
    Some(ServiceRule {
        codice_servizio: s.codice.clone()?,
        unita: s.unita?,
        isee_tipi: s.isee_tipi.clone()?,
        formula: s.formula?,
        isee_esenzione: s.isee_esenzione?,
        isee_massimo: s.isee_massimo?,
        tariffa_minima: s.tariffa_minima?,
        tariffa_massima: s.tariffa_massima?,
        tetto_mensile: s.tetto_mensile,
        fasce,
    })
}
