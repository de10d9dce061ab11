//! The regulation's TOML (issue 17) read into [`Regulation`], with every problem at once. The
//! file is loaded by `ambito copayment regulation FILE.toml`; the UI's form writes the same text
//! ([`Regulation::to_toml`]) and goes through the same checker, so there is one set of rules.
//!
//! Each field is read on its own, so one bad field does not hide the others; the rules between
//! fields (thresholds, bands, duplicates) are then checked on what could be read
//! (`regulation_check`). Amounts are strings (`"18.50"`) or integers: a TOML float is a binary
//! number, and money is never one, so `18.5` unquoted is refused with a hint.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use toml::{Spanned, Value};

use super::isee::IseeType;
use super::regulation::{DueDate, Formula, Regulation, Unit};
use super::regulation_check::{BandDraft, Draft, ServiceDraft, check_and_build};
use crate::date::{Day, parse_iso};
use crate::number::{NumberStyle, parse_decimal};

/// One problem: where (the TOML line when known, the service, the field) and why, in Italian.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegulationIssue {
    pub line: Option<usize>,
    pub service: Option<String>,
    pub field: String,
    pub message: String,
}

impl fmt::Display for RegulationIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(l) = self.line {
            write!(f, "riga {l}: ")?;
        }
        if let Some(s) = &self.service {
            write!(f, "servizio {s}, ")?;
        }
        if !self.field.is_empty() {
            write!(f, "«{}»: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

#[derive(Deserialize)]
struct RawRegulation {
    codice: Option<Spanned<Value>>,
    valido_dal: Option<Spanned<Value>>,
    scadenza_giorni: Option<Spanned<Value>>,
    #[serde(default)]
    servizio: Vec<Spanned<RawService>>,
}

#[derive(Deserialize)]
struct RawService {
    codice_servizio: Option<Spanned<Value>>,
    unita: Option<Spanned<Value>>,
    isee_tipi: Option<Spanned<Value>>,
    formula: Option<Spanned<Value>>,
    isee_esenzione: Option<Spanned<Value>>,
    isee_massimo: Option<Spanned<Value>>,
    tariffa_minima: Option<Spanned<Value>>,
    tariffa_massima: Option<Spanned<Value>>,
    tetto_mensile: Option<Spanned<Value>>,
    fasce: Option<Vec<Spanned<RawBand>>>,
}

#[derive(Deserialize)]
struct RawBand {
    fino_a: Option<Spanned<Value>>,
    tariffa: Option<Spanned<Value>>,
}

const TOP_KEYS: [&str; 4] = ["codice", "valido_dal", "scadenza_giorni", "servizio"];
const SERVICE_KEYS: [&str; 10] = [
    "codice_servizio",
    "unita",
    "isee_tipi",
    "formula",
    "isee_esenzione",
    "isee_massimo",
    "tariffa_minima",
    "tariffa_massima",
    "tetto_mensile",
    "fasce",
];
const BAND_KEYS: [&str; 2] = ["fino_a", "tariffa"];

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(1, |t| t.matches('\n').count() + 1)
}

/// Reads and checks a regulation; all problems at once when there are any.
pub fn parse_regulation(text: &str) -> Result<Regulation, Vec<RegulationIssue>> {
    let raw: RawRegulation = toml::from_str(text).map_err(|e| {
        vec![RegulationIssue {
            line: e.span().map(|s| line_of(text, s.start)),
            service: None,
            field: String::new(),
            message: format!("TOML non valido: {}", e.message()),
        }]
    })?;
    let mut r = Reader { text, issues: Vec::new() };
    let mut draft = Draft {
        codice: r.required(None, None, "codice", raw.codice.as_ref(), read_text),
        valido_dal: r.required(None, None, "valido_dal", raw.valido_dal.as_ref(), read_day),
        scadenza: r.optional(None, "scadenza_giorni", raw.scadenza_giorni.as_ref(), read_due_days).unwrap_or(DueDate::FineMeseSuccessivo),
        servizi: Vec::new(),
    };
    for s in &raw.servizio {
        let line = Some(line_of(text, s.span().start));
        draft.servizi.push(r.service(s.get_ref(), line));
    }
    r.unknown_keys(&draft);
    let mut issues = r.issues;
    let built = check_and_build(&draft, &mut issues);
    issues.sort_by_key(|i| i.line);
    match built {
        Some(reg) if issues.is_empty() => Ok(reg),
        _ => Err(issues),
    }
}

struct Reader<'t> {
    text: &'t str,
    issues: Vec<RegulationIssue>,
}

type Read<T> = fn(&Value) -> Result<T, String>;

impl Reader<'_> {
    fn push(&mut self, line: Option<usize>, service: Option<&str>, field: &str, message: String) {
        self.issues.push(RegulationIssue { line, service: service.map(str::to_string), field: field.to_string(), message });
    }

    fn optional<T>(&mut self, service: Option<&str>, field: &str, v: Option<&Spanned<Value>>, read: Read<T>) -> Option<T> {
        let v = v?;
        read(v.get_ref()).map_err(|m| self.push(Some(line_of(self.text, v.span().start)), service, field, m)).ok()
    }

    /// A missing field is reported at `block`, the line of the table it belongs in.
    fn required<T>(
        &mut self,
        block: Option<usize>,
        service: Option<&str>,
        field: &str,
        v: Option<&Spanned<Value>>,
        read: Read<T>,
    ) -> Option<T> {
        if v.is_none() {
            self.push(block, service, field, "campo obbligatorio mancante".into());
        }
        self.optional(service, field, v, read)
    }

    fn service(&mut self, s: &RawService, line: Option<usize>) -> ServiceDraft {
        let code = s.codice_servizio.as_ref().and_then(|v| read_text(v.get_ref()).ok());
        let c = code.as_deref().or(Some("?"));
        let at = |v: &Option<Spanned<Value>>| v.as_ref().map(|v| line_of(self.text, v.span().start)).or(line);
        let lines = [
            ("isee_esenzione", at(&s.isee_esenzione)),
            ("isee_massimo", at(&s.isee_massimo)),
            ("tariffa_minima", at(&s.tariffa_minima)),
            ("tariffa_massima", at(&s.tariffa_massima)),
            ("tetto_mensile", at(&s.tetto_mensile)),
            ("isee_tipi", at(&s.isee_tipi)),
            ("codice_servizio", at(&s.codice_servizio)),
        ];
        let fasce = s.fasce.as_ref().map(|bands| {
            bands
                .iter()
                .map(|b| {
                    let b_line = Some(line_of(self.text, b.span().start));
                    let b = b.get_ref();
                    BandDraft {
                        fino_a: self.required(b_line, c, "fasce.fino_a", b.fino_a.as_ref(), read_amount),
                        tariffa: self.required(b_line, c, "fasce.tariffa", b.tariffa.as_ref(), read_amount),
                        line: b.fino_a.as_ref().map(|v| line_of(self.text, v.span().start)).or(b_line),
                    }
                })
                .collect()
        });
        ServiceDraft {
            codice: self.required(line, c, "codice_servizio", s.codice_servizio.as_ref(), read_text),
            line,
            lines: lines.into_iter().filter_map(|(k, l)| l.map(|l| (k, l))).collect(),
            unita: self.required(line, c, "unita", s.unita.as_ref(), read_unit),
            isee_tipi: self.required(line, c, "isee_tipi", s.isee_tipi.as_ref(), read_types),
            formula: self.required(line, c, "formula", s.formula.as_ref(), read_formula),
            isee_esenzione: self.required(line, c, "isee_esenzione", s.isee_esenzione.as_ref(), read_amount),
            isee_massimo: self.required(line, c, "isee_massimo", s.isee_massimo.as_ref(), read_amount),
            tariffa_minima: self.required(line, c, "tariffa_minima", s.tariffa_minima.as_ref(), read_amount),
            tariffa_massima: self.required(line, c, "tariffa_massima", s.tariffa_massima.as_ref(), read_amount),
            tetto_mensile: self.optional(c, "tetto_mensile", s.tetto_mensile.as_ref(), read_amount),
            fasce,
        }
    }

    /// A misspelt key (`tetto_mesile`) would otherwise be ignored and the cap silently lost.
    fn unknown_keys(&mut self, draft: &Draft) {
        let Ok(table) = toml::from_str::<toml::Table>(self.text) else { return };
        for k in table.keys().filter(|k| !TOP_KEYS.contains(&k.as_str())) {
            self.push(None, None, k, "campo sconosciuto".into());
        }
        let Some(Value::Array(services)) = table.get("servizio") else { return };
        for (s, d) in services.iter().zip(&draft.servizi) {
            let Value::Table(t) = s else { continue };
            let code = d.codice.as_deref().or(Some("?"));
            for k in t.keys().filter(|k| !SERVICE_KEYS.contains(&k.as_str())) {
                self.push(d.line, code, k, "campo sconosciuto".into());
            }
            let Some(Value::Array(bands)) = t.get("fasce") else { continue };
            for (b, bd) in bands.iter().zip(d.fasce.iter().flatten()) {
                let Value::Table(bt) = b else { continue };
                for k in bt.keys().filter(|k| !BAND_KEYS.contains(&k.as_str())) {
                    self.push(bd.line, code, &format!("fasce.{k}"), "campo sconosciuto".into());
                }
            }
        }
    }
}

fn kind(v: &Value) -> &'static str {
    v.type_str()
}

fn read_text(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        Value::String(_) => Err("non può essere vuoto".into()),
        other => Err(format!("atteso un testo tra virgolette, trovato {}", kind(other))),
    }
}

fn read_day(v: &Value) -> Result<Day, String> {
    let bad = || "attesa una data AAAA-MM-GG (ad esempio 2025-01-01)".to_string();
    match v {
        Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
            let date = dt.date.ok_or_else(bad)?;
            Day::new(i32::from(date.year), date.month, date.day).ok_or_else(bad)
        }
        Value::String(s) => parse_iso(s.trim()).ok_or_else(bad),
        _ => Err(bad()),
    }
}

fn read_due_days(v: &Value) -> Result<DueDate, String> {
    match v {
        Value::Integer(n) if (1..=365).contains(n) => Ok(DueDate::GiorniDopoFineMese(u16::try_from(*n).unwrap_or(30))),
        _ => Err("atteso un numero intero di giorni da 1 a 365 dopo la fine del mese".into()),
    }
}

fn read_amount(v: &Value) -> Result<Decimal, String> {
    match v {
        Value::String(s) => {
            parse_decimal(s, NumberStyle::International).map_err(|_| format!("importo non valido «{s}» (ad esempio \"18.50\")"))
        }
        Value::Integer(n) => Ok(Decimal::from(*n)),
        Value::Float(f) => Err(format!("scrivere l'importo tra virgolette (\"{f}\"): un numero decimale TOML non è esatto")),
        other => Err(format!("atteso un importo tra virgolette, trovato {}", kind(other))),
    }
}

fn read_unit(v: &Value) -> Result<Unit, String> {
    let s = read_text(v)?;
    Unit::from_code(&s.to_lowercase()).ok_or_else(|| format!("unità sconosciuta «{s}» (ammesse: ora, accesso, giorno, mese, pasto)"))
}

fn read_formula(v: &Value) -> Result<Formula, String> {
    let s = read_text(v)?;
    Formula::from_code(&s.to_lowercase()).ok_or_else(|| format!("formula sconosciuta «{s}» (ammesse: lineare, quadratica, fasce)"))
}

fn read_types(v: &Value) -> Result<Vec<IseeType>, String> {
    let Value::Array(items) = v else { return Err("attesa una lista di tipi di ISEE, ad esempio [\"ordinario\"]".into()) };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for item in items {
        match item {
            Value::String(s) => match IseeType::parse(s) {
                Ok(t) => out.push(t),
                Err(_) => errors.push(format!("«{s}»")),
            },
            other => errors.push(kind(other).to_string()),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(format!(
            "tipo di ISEE sconosciuto {} (ammessi: ordinario, sociosanitario, ristretto, minorenni, corrente, universitario)",
            errors.join(", ")
        ))
    }
}

#[cfg(test)]
#[path = "regulation_toml_tests.rs"]
pub(crate) mod tests;
