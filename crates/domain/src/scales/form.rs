//! An assessment form as data: what the `assessment_form` table stores as JSON. A form names its
//! scale (which decides the score's band), and lists items with their kind and, for choices, the
//! options with their points. Answers come from an HTML form, so every answer is text; checking
//! them yields either every item's value or one Italian message per wrong item.

use super::Scale;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormDefinition {
    pub code: String,
    pub version: i64,
    pub title: String,
    /// `barthel`, `katz`, `lawton`, `sina`, `sinba` or `somma` (points summed, no band).
    pub scale: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub label: String,
    pub kind: ItemKind,
    /// Optional items may stay blank; required ones may not.
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Choice>,
    /// Bounds of a number item, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// Shape of a text item (see [`TextFormat`]); `None`: free text up to 2,000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<TextFormat>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// One of `options`.
    SingleChoice,
    /// Any of `options`, written as their values separated by commas (at least one if required).
    MultiChoice,
    /// A whole number between `min` and `max`.
    Number,
    Text,
}

/// The shapes SIUSS fields take (siuss.md §2 and §4.1), checked literally as the XSD does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextFormat {
    /// Exactly N ASCII digits (ISTAT/ISO codes, years).
    Digits2,
    Digits3,
    Digits4,
    /// `MM/AAAA`, month 01–12, year 1900–2099 (SINBA `DataMeseAnnoType`).
    MeseAnno,
    /// 1–20 characters (the SINBA child id).
    Id20,
    /// Service codes separated by commas, each 5–10 characters (`CodicePrestazione`).
    Codes,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<i64>,
}

/// One wrong answer: the item and what to fix, in Italian.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub item: String,
    pub message: String,
}

/// A checked answer sheet: every answered item's value (blank optional items left out), and the
/// score with its band when the scale has them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scored {
    pub answers: BTreeMap<String, String>,
    pub score: Option<i64>,
    pub band: Option<String>,
}

impl FormDefinition {
    /// Whether the definition itself is usable: a known scale, unique item ids, choices with
    /// unique option values, number bounds in order, and the scale's own shape (a Barthel form
    /// totals 100, and so on). Checked when a form is stored and in the unit tests of the
    /// built-in forms.
    pub fn check(&self) -> Result<(), String> {
        let scale = Scale::from_code(&self.scale).ok_or_else(|| format!("scala sconosciuta: {}", self.scale))?;
        if self.code.trim().is_empty() || self.title.trim().is_empty() || self.version < 1 {
            return Err("codice, titolo e versione (da 1) sono obbligatori".into());
        }
        let mut ids = std::collections::BTreeSet::new();
        for item in &self.items {
            if item.id.is_empty() || !ids.insert(item.id.as_str()) {
                return Err(format!("voce senza codice o ripetuta: «{}»", item.id));
            }
            let choice = matches!(item.kind, ItemKind::SingleChoice | ItemKind::MultiChoice);
            if choice == item.options.is_empty() {
                return Err(format!("«{}»: le opzioni servono solo, e sempre, alle voci a scelta", item.label));
            }
            let mut values = std::collections::BTreeSet::new();
            if item.options.iter().any(|o| o.value.is_empty() || o.value.contains(',') || !values.insert(o.value.as_str())) {
                return Err(format!("«{}»: valori delle opzioni vuoti, ripetuti o con virgole", item.label));
            }
            if let (Some(lo), Some(hi)) = (item.min, item.max)
                && lo > hi
            {
                return Err(format!("«{}»: minimo oltre il massimo", item.label));
            }
        }
        if self.items.is_empty() {
            return Err("il modulo non ha voci".into());
        }
        scale.check_shape(self)
    }

    /// The highest total the options allow (single choices only).
    pub fn max_points(&self) -> i64 {
        self.items
            .iter()
            .filter(|i| i.kind == ItemKind::SingleChoice)
            .map(|i| i.options.iter().filter_map(|o| o.points).max().unwrap_or(0))
            .sum()
    }

    /// Checks every answer (all of them, so the form shows every problem at once) and scores the
    /// sheet by its scale. `answers` holds the raw text of each item; unknown keys are ignored.
    pub fn score(&self, answers: &BTreeMap<String, String>) -> Result<Scored, Vec<FieldError>> {
        let scale = Scale::from_code(&self.scale)
            .ok_or_else(|| vec![FieldError { item: String::new(), message: format!("scala sconosciuta: {}", self.scale) }])?;
        let mut errors = Vec::new();
        let mut kept = BTreeMap::new();
        let mut points = 0;
        for item in &self.items {
            let raw = answers.get(&item.id).map(|s| s.trim()).unwrap_or("");
            if raw.is_empty() {
                if item.required {
                    errors.push(item.error("risposta mancante"));
                }
                continue;
            }
            match item.check(raw) {
                Ok(p) => {
                    points += p;
                    kept.insert(item.id.clone(), raw.to_string());
                }
                Err(message) => errors.push(FieldError { item: item.id.clone(), message }),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let score = scale.scored().then_some(points);
        let band = score.and_then(|s| scale.band(s)).map(str::to_string);
        Ok(Scored { answers: kept, score, band })
    }
}

impl Item {
    fn error(&self, what: &str) -> FieldError {
        FieldError { item: self.id.clone(), message: format!("«{}»: {what}", self.label) }
    }

    fn option(&self, value: &str) -> Option<&Choice> {
        self.options.iter().find(|o| o.value == value)
    }

    /// The points of a valid non-blank answer, or the message for a wrong one.
    fn check(&self, raw: &str) -> Result<i64, String> {
        let wrong = |what: &str| format!("«{}»: {what}", self.label);
        match self.kind {
            ItemKind::SingleChoice => {
                self.option(raw).map(|o| o.points.unwrap_or(0)).ok_or_else(|| wrong("valore non previsto: scegliere una delle opzioni"))
            }
            ItemKind::MultiChoice => {
                let values: Vec<&str> = raw.split(',').map(str::trim).collect();
                let mut seen = std::collections::BTreeSet::new();
                if values.iter().any(|v| self.option(v).is_none() || !seen.insert(*v)) {
                    return Err(wrong("valore non previsto o ripetuto: scegliere tra le opzioni"));
                }
                Ok(0)
            }
            ItemKind::Number => {
                let n: i64 = raw.parse().map_err(|_| wrong("indicare un numero intero"))?;
                if self.min.is_some_and(|lo| n < lo) || self.max.is_some_and(|hi| n > hi) {
                    let range = format!(
                        "tra {} e {}",
                        self.min.map_or("…".into(), |v| v.to_string()),
                        self.max.map_or("…".into(), |v| v.to_string())
                    );
                    return Err(wrong(&format!("fuori intervallo: indicare un valore {range}")));
                }
                Ok(0)
            }
            ItemKind::Text => self.format.map_or_else(
                || if raw.chars().count() > 2000 { Err(wrong("testo troppo lungo (massimo 2.000 caratteri)")) } else { Ok(0) },
                |f| f.check(raw).map(|()| 0).map_err(wrong),
            ),
        }
    }
}

impl TextFormat {
    fn check(self, raw: &str) -> Result<(), &'static str> {
        let digits = |n: usize| raw.len() == n && raw.bytes().all(|b| b.is_ascii_digit());
        let ok = match self {
            TextFormat::Digits2 => digits(2),
            TextFormat::Digits3 => digits(3),
            TextFormat::Digits4 => digits(4),
            TextFormat::MeseAnno => mese_anno(raw),
            TextFormat::Id20 => (1..=20).contains(&raw.chars().count()),
            TextFormat::Codes => raw.split(',').map(str::trim).all(|c| (5..=10).contains(&c.chars().count())),
        };
        if ok {
            return Ok(());
        }
        Err(match self {
            TextFormat::Digits2 => "indicare esattamente 2 cifre",
            TextFormat::Digits3 => "indicare esattamente 3 cifre",
            TextFormat::Digits4 => "indicare esattamente 4 cifre",
            TextFormat::MeseAnno => "indicare mese e anno come MM/AAAA (anno tra 1900 e 2099)",
            TextFormat::Id20 => "indicare da 1 a 20 caratteri",
            TextFormat::Codes => "indicare codici di 5–10 caratteri separati da virgole",
        })
    }
}

/// `MM/AAAA` as SINBA's `DataMeseAnnoType`: month 01–12, year 1900–2099.
pub fn mese_anno(raw: &str) -> bool {
    let Some((m, y)) = raw.split_once('/') else { return false };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    digits(m, 2)
        && digits(y, 4)
        && m.parse::<u8>().is_ok_and(|m| (1..=12).contains(&m))
        && y.parse::<u16>().is_ok_and(|y| (1900..=2099).contains(&y))
}
