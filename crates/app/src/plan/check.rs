//! Validation of a plan file: every problem, each with its path in the file (`objectives[3].
//! indicators[2].measure`) and a reason, before anything is written.

use super::format::*;
use crate::problems::{Findings, Msg};
use ambito_domain::number::{NumberStyle, parse_decimal};
use ambito_domain::plan::link::LinkRef;
use ambito_domain::plan::rules::Status;
use ambito_domain::plan::{
    ActionStatus, Answer, Direction, EvidenceKind, Frequency, IndicatorKind, IndicatorLevel, MeasureType, ObjectiveLevel, PlanStatus,
    RoundStatus, parse_triennium, rl_area_name,
};
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};

/// What the database says about the Ambito the file is for.
#[derive(Debug, Default)]
pub struct Context {
    pub ambito_code: String,
    pub distretto_code: Option<String>,
    pub ats_code: Option<String>,
    pub services: HashSet<String>,
    pub targets: HashSet<String>,
    /// `TRIENNIUM/CODE` of cards and indicators of earlier plans the Ambito sees.
    pub ancestor_objectives: HashMap<String, i64>,
    pub ancestor_indicators: HashMap<String, i64>,
}

pub(crate) struct Checker<'a> {
    pub file: &'a str,
    pub f: Findings,
}

impl Checker<'_> {
    pub fn err(&mut self, path: &str, it: impl Into<String>, en: impl Into<String>) {
        self.f.error(self.file, None, Some(path), Msg::new(it, en));
    }

    fn required(&mut self, path: &str, v: &str) {
        if v.trim().is_empty() {
            self.err(path, "campo obbligatorio vuoto", "required field is empty");
        }
    }

    fn code<T>(&mut self, path: &str, v: &str, parse: fn(&str) -> Option<T>, codes: String) -> Option<T> {
        let parsed = parse(v);
        if parsed.is_none() {
            self.err(path, format!("valore «{v}» non ammesso; ammessi: {codes}"), format!("value «{v}» not allowed; allowed: {codes}"));
        }
        parsed
    }

    pub fn decimal(&mut self, path: &str, v: &Option<String>) -> Option<Decimal> {
        let t = v.as_deref()?;
        match parse_decimal(t, NumberStyle::International) {
            Ok(d) if t.contains(',') => {
                self.err(
                    path,
                    format!("usare il punto decimale senza separatori: «{t}»"),
                    format!("use a decimal point and no separators: «{t}»"),
                );
                Some(d)
            }
            Ok(d) => Some(d),
            Err(_) => {
                self.err(path, format!("non è un numero: «{t}»"), format!("not a number: «{t}»"));
                None
            }
        }
    }

    fn date(&mut self, path: &str, v: &Option<String>) {
        if let Some(t) = v
            && !valid_date(t)
        {
            self.err(path, format!("data non valida «{t}»: attesa AAAA-MM-GG"), format!("invalid date «{t}»: expected YYYY-MM-DD"));
        }
    }

    fn answer(&mut self, path: &str, a: &Option<AnswerFile>) {
        if let Some(AnswerFile { answer: Some(code), .. }) = a {
            self.code(&format!("{path}.answer"), code, Answer::parse, Answer::codes());
        }
    }

    fn areas(&mut self, path: &str, letters: &[String]) {
        for (i, l) in letters.iter().enumerate() {
            let ok = l.len() == 1 && l.chars().next().and_then(rl_area_name).is_some();
            if !ok {
                self.err(
                    &format!("{path}[{i}]"),
                    format!("area regionale «{l}» inesistente: lettere A–J"),
                    format!("no regional area «{l}»: letters A–J"),
                );
            }
        }
    }

    fn percent(&mut self, path: &str, v: &Option<String>, max: Option<Decimal>) {
        if let Some(d) = self.decimal(path, v)
            && (d.is_sign_negative() || max.is_some_and(|m| d > m))
        {
            self.err(path, format!("percentuale fuori intervallo: {d}"), format!("percentage out of range: {d}"));
        }
    }
}

/// `YYYY-MM-DD` naming a real day (`ambito_domain::date::parse_iso`).
pub fn valid_date(t: &str) -> bool {
    ambito_domain::date::parse_iso(t).is_some()
}

/// Every problem of the file against the context; empty when it can be applied.
pub fn check(file: &str, p: &PlanFile, cx: &Context) -> Findings {
    let mut c = Checker { file, f: Findings::default() };
    if p.format != FORMAT {
        c.err(
            "format",
            format!("formato «{}» non riconosciuto: atteso «{FORMAT}»", p.format),
            format!("unknown format «{}»: expected «{FORMAT}»", p.format),
        );
    }
    if p.ambito != cx.ambito_code {
        c.err(
            "ambito",
            format!(
                "il file è il piano dell'Ambito «{}»: qui si importa solo il piano dell'Ambito «{}»; nulla è stato modificato",
                p.ambito, cx.ambito_code
            ),
            format!("the file is the plan of Ambito «{}»: only Ambito «{}»'s plan can be imported here", p.ambito, cx.ambito_code),
        );
    }
    if parse_triennium(&p.triennium).is_none() {
        c.err(
            "triennium",
            format!("triennio non valido «{}»: atteso AAAA-AAAA su tre anni", p.triennium),
            format!("invalid triennium «{}»", p.triennium),
        );
    }
    c.required("title", &p.title);
    let status = c.code("status", &p.status, PlanStatus::parse, PlanStatus::codes());
    c.date("start_date", &p.start_date);
    c.date("end_date", &p.end_date);
    if let (Some(s), Some(e)) = (&p.start_date, &p.end_date)
        && e < s
    {
        c.err("end_date", "la fine precede l'inizio", "end date before start date");
    }
    match &p.approval {
        Some(a) => {
            c.required("approval.body", &a.body);
            // The date may be unknown for plans of earlier cycles loaded from documents.
            c.date("approval.date", &a.date);
        }
        None if status == Some(PlanStatus::Approved) => c.err(
            "approval",
            "un piano approvato richiede l'atto di approvazione (organo, numero, data)",
            "an approved plan needs its approving act",
        ),
        None => {}
    }
    if let Some(prev) = &p.previous_triennium
        && parse_triennium(prev).is_none()
    {
        c.err("previous_triennium", format!("triennio non valido «{prev}»"), format!("invalid triennium «{prev}»"));
    }
    let mut macro_codes = HashSet::new();
    for (i, m) in p.macroareas.iter().enumerate() {
        let path = format!("macroareas[{i}]");
        c.required(&format!("{path}.code"), &m.code);
        c.required(&format!("{path}.name"), &m.name);
        if !macro_codes.insert(m.code.as_str()) {
            c.err(&format!("{path}.code"), format!("macroarea «{}» ripetuta", m.code), format!("macroarea «{}» repeated", m.code));
        }
        c.areas(&format!("{path}.rl_areas"), &m.rl_areas);
    }
    let mut cards = HashSet::new();
    let mut indicator_codes: HashMap<&str, MeasureType> = HashMap::new();
    for (i, o) in p.objectives.iter().enumerate() {
        let path = format!("objectives[{i}]");
        c.required(&format!("{path}.code"), &o.code);
        c.required(&format!("{path}.title"), &o.title);
        if let Some(level) = c.code(&format!("{path}.level"), &o.level, ObjectiveLevel::parse, ObjectiveLevel::codes()) {
            let expected = match level {
                ObjectiveLevel::Ambito => Some(cx.ambito_code.as_str()),
                ObjectiveLevel::Distretto => cx.distretto_code.as_deref(),
                ObjectiveLevel::Provincia => cx.ats_code.as_deref(),
            };
            if expected != Some(o.scope.as_str()) {
                c.err(
                    &format!("{path}.scope"),
                    format!(
                        "«{}» non è {} dell'Ambito {} (atteso «{}»)",
                        o.scope,
                        level.label().to_lowercase(),
                        cx.ambito_code,
                        expected.unwrap_or("-")
                    ),
                    format!("«{}» is not the Ambito's {} (expected «{}»)", o.scope, level.code(), expected.unwrap_or("-")),
                );
            }
            if !cards.insert((o.level.as_str(), o.code.as_str())) {
                c.err(&format!("{path}.code"), format!("scheda «{}» ripetuta", o.code), format!("card «{}» repeated", o.code));
            }
        }
        if let Some(m) = &o.macroarea
            && !macro_codes.contains(m.as_str())
        {
            c.err(
                &format!("{path}.macroarea"),
                format!("macroarea «{m}» non definita nel piano"),
                format!("macroarea «{m}» not defined in the plan"),
            );
        }
        c.areas(&format!("{path}.rl_areas"), &o.rl_areas);
        c.areas(&format!("{path}.cross_cutting_areas"), &o.cross_cutting_areas);
        for (k, a) in [
            ("cross_cutting", &o.cross_cutting),
            ("sociosanitary", &o.sociosanitary),
            ("continuity", &o.continuity),
            ("codesigned", &o.codesigned),
        ] {
            c.answer(&format!("{path}.{k}"), a);
        }
        for (j, a) in o.resource_amounts.iter().enumerate() {
            let ap = format!("{path}.resource_amounts[{j}]");
            c.required(&format!("{ap}.source"), &a.source);
            if let Some(d) = c.decimal(&format!("{ap}.eur"), &Some(a.eur.clone()))
                && (d.is_sign_negative() || d.normalize().scale() > 2)
            {
                c.err(
                    &format!("{ap}.eur"),
                    format!("importo non valido {d}: non negativo, al massimo 2 decimali"),
                    format!("invalid amount {d}"),
                );
            }
        }
        for (j, s) in o.services.iter().enumerate() {
            if !cx.services.contains(s) {
                c.err(
                    &format!("{path}.services[{j}]"),
                    format!("servizio «{s}» inesistente nel catalogo dell'Ambito"),
                    format!("no service «{s}» in the Ambito's catalogue"),
                );
            }
        }
        if let Some(a) = &o.ancestor
            && !cx.ancestor_objectives.contains_key(a)
        {
            c.err(
                &format!("{path}.ancestor"),
                format!("scheda di origine «{a}» non trovata (TRIENNIO/CODICE di un piano già caricato)"),
                format!("ancestor card «{a}» not found"),
            );
        }
        for (j, a) in o.actions.iter().enumerate() {
            let ap = format!("{path}.actions[{j}]");
            c.required(&format!("{ap}.text"), &a.text);
            c.code(&format!("{ap}.status"), &a.status, ActionStatus::parse, ActionStatus::codes());
        }
        for (j, ind) in o.indicators.iter().enumerate() {
            let ip = format!("{path}.indicators[{j}]");
            c.required(&format!("{ip}.code"), &ind.code);
            c.required(&format!("{ip}.text"), &ind.text);
            c.code(&format!("{ip}.kind"), &ind.kind, IndicatorKind::parse, IndicatorKind::codes());
            c.code(&format!("{ip}.level"), &ind.level, IndicatorLevel::parse, IndicatorLevel::codes());
            let measure = c.code(&format!("{ip}.measure"), &ind.measure, MeasureType::parse, MeasureType::codes());
            c.code(&format!("{ip}.direction"), &ind.direction, Direction::parse, Direction::codes());
            c.code(&format!("{ip}.frequency"), &ind.frequency, Frequency::parse, Frequency::codes());
            c.decimal(&format!("{ip}.baseline"), &ind.baseline);
            c.decimal(&format!("{ip}.target"), &ind.target);
            c.date(&format!("{ip}.target_date"), &ind.target_date);
            if let Some(y) = ind.baseline_year
                && !(1990..=2100).contains(&y)
            {
                c.err(&format!("{ip}.baseline_year"), format!("anno non plausibile {y}"), format!("implausible year {y}"));
            }
            if measure == Some(MeasureType::ChangePct) && ind.baseline.is_some() && ind.baseline_year.is_none() {
                c.err(
                    &format!("{ip}.baseline_year"),
                    "una variazione % richiede l'anno del valore di partenza",
                    "a % change needs the baseline year",
                );
            }
            if let Some(link) = &ind.link {
                match LinkRef::parse(link) {
                    Ok(LinkRef::Service { code, .. }) if !cx.services.contains(&code) => c.err(
                        &format!("{ip}.link"),
                        format!("servizio «{code}» inesistente nel catalogo"),
                        format!("no service «{code}» in the catalogue"),
                    ),
                    Ok(_) => {}
                    Err(e) => c.err(&format!("{ip}.link"), e.to_string(), format!("invalid link «{link}»")),
                }
            }
            if let Some(t) = &ind.target_population
                && !cx.targets.contains(t)
            {
                c.err(
                    &format!("{ip}.target_population"),
                    format!("popolazione target «{t}» non definita per l'Ambito"),
                    format!("target population «{t}» not defined"),
                );
            }
            if let Some(a) = &ind.ancestor
                && !cx.ancestor_indicators.contains_key(a)
            {
                c.err(
                    &format!("{ip}.ancestor"),
                    format!("indicatore di origine «{a}» non trovato"),
                    format!("ancestor indicator «{a}» not found"),
                );
            }
            if let Some(m) = measure
                && indicator_codes.insert(ind.code.as_str(), m).is_some()
            {
                c.err(
                    &format!("{ip}.code"),
                    format!("codice indicatore «{}» ripetuto nel file", ind.code),
                    format!("indicator code «{}» repeated", ind.code),
                );
            }
        }
        if let Some(e) = &o.evaluation {
            let ep = format!("{path}.evaluation");
            c.percent(&format!("{ep}.achievement_pct"), &e.achievement_pct, Some(Decimal::ONE_HUNDRED));
            c.percent(&format!("{ep}.resources_match_pct"), &e.resources_match_pct, None);
            c.answer(&format!("{ep}.answered_need"), &e.answered_need);
            c.answer(&format!("{ep}.continuity"), &e.continuity);
            c.answer(&format!("{ep}.reproposed"), &e.reproposed);
        }
        for (j, ev) in o.evidence.iter().enumerate() {
            let vp = format!("{path}.evidence[{j}]");
            c.code(&format!("{vp}.kind"), &ev.kind, EvidenceKind::parse, EvidenceKind::codes());
            c.date(&format!("{vp}.date"), &Some(ev.date.clone()));
            if ev.participants < 0 {
                c.err(&format!("{vp}.participants"), "numero di partecipanti negativo", "negative participant count");
            }
            c.required(&format!("{vp}.roles"), &ev.roles);
            c.required(&format!("{vp}.findings"), &ev.findings);
        }
    }
    let mut numbers = HashSet::new();
    for (i, r) in p.rounds.iter().enumerate() {
        let path = format!("rounds[{i}]");
        if r.number < 1 || !numbers.insert(r.number) {
            c.err(
                &format!("{path}.number"),
                format!("numero di rilevazione non valido o ripetuto: {}", r.number),
                format!("invalid or repeated round number {}", r.number),
            );
        }
        if !(1..=2).contains(&r.half) {
            c.err(&format!("{path}.half"), "semestre 1 o 2", "half must be 1 or 2");
        }
        if !(1990..=2100).contains(&r.year) {
            c.err(&format!("{path}.year"), format!("anno non plausibile {}", r.year), format!("implausible year {}", r.year));
        }
        let status = c.code(&format!("{path}.status"), &r.status, RoundStatus::parse, RoundStatus::codes());
        if status == Some(RoundStatus::Closed) && r.closed_at.is_none() {
            c.err(&format!("{path}.closed_at"), "una rilevazione chiusa richiede la data di chiusura", "a closed round needs closed_at");
        }
        let mut seen = HashSet::new();
        for (j, v) in r.values.iter().enumerate() {
            let vp = format!("{path}.values[{j}]");
            if !indicator_codes.contains_key(v.indicator.as_str()) {
                c.err(
                    &format!("{vp}.indicator"),
                    format!("indicatore «{}» non presente nel file", v.indicator),
                    format!("indicator «{}» not in the file", v.indicator),
                );
            }
            if !seen.insert(v.indicator.as_str()) {
                c.err(
                    &format!("{vp}.indicator"),
                    format!("valore ripetuto per «{}»", v.indicator),
                    format!("value repeated for «{}»", v.indicator),
                );
            }
            if !matches!(v.source.as_str(), "manual" | "linked") {
                c.err(
                    &format!("{vp}.source"),
                    format!("origine «{}» non ammessa: manual|linked", v.source),
                    format!("source «{}» not allowed", v.source),
                );
            }
            c.decimal(&format!("{vp}.observed"), &v.observed);
            c.decimal(&format!("{vp}.denominator"), &v.denominator);
            c.decimal(&format!("{vp}.value"), &v.value);
            if let Some(s) = &v.status {
                c.code(&format!("{vp}.status"), s, Status::parse, "on_track|at_risk|off_track|no_data".into());
            }
        }
    }
    c.f
}
