//! The questionnaire builder and the waves: validated as a whole, saved in one transaction.

use super::{KIND_LIKERT, KIND_OPEN};
use crate::{App, AppError, Result};
use ambito_domain::likert::check_points;
use ambito_domain::likert::report::WaveKind;
use ambito_store::{self as store, NewItem, NewQuestionnaire};

/// Longest statement or title accepted from the builder.
const MAX_TEXT: usize = 500;

/// One row of the builder: a statement (Likert) or an open question.
#[derive(Debug, Clone, Default)]
pub struct DesignRow {
    pub text: String,
    /// Title of the multi-item scale; rows with the same title form one scale.
    pub scale: String,
    pub reverse: bool,
    pub open: bool,
}

#[derive(Debug, Clone, Default)]
pub struct DesignForm {
    pub code: String,
    pub title: String,
    pub intro: String,
    pub points: String,
    pub objective_code: String,
    pub rows: Vec<DesignRow>,
}

impl DesignForm {
    /// The builder's form as the staff page posts it: `codice`, `titolo`, `introduzione`,
    /// `punti`, `obiettivo`, and for each of `rows` rows `testo.N`, `scala.N`, `inversa.N` and
    /// `tipo.N` (`aperta` for an open question). Values are trimmed; a missing field is empty.
    pub fn from_fields(fields: &[(String, String)], rows: usize) -> DesignForm {
        let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
        DesignForm {
            code: field("codice"),
            title: field("titolo"),
            intro: field("introduzione"),
            points: field("punti"),
            objective_code: field("obiettivo"),
            rows: (0..rows)
                .map(|n| DesignRow {
                    text: field(&format!("testo.{n}")),
                    scale: field(&format!("scala.{n}")),
                    reverse: !field(&format!("inversa.{n}")).is_empty(),
                    open: field(&format!("tipo.{n}")) == "aperta",
                })
                .collect(),
        }
    }
}

fn valid_code(code: &str) -> bool {
    !code.is_empty() && code.len() <= 40 && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Turns the builder's form into a design; every problem is reported. Empty rows are skipped.
/// Questions get codes D01, D02… and scales S1, S2… in order of appearance.
pub fn validate(form: &DesignForm) -> std::result::Result<NewQuestionnaire, Vec<String>> {
    let mut errors = Vec::new();
    let code = form.code.trim().to_uppercase();
    if !valid_code(&code) {
        errors.push("codice non valido: usare lettere maiuscole, cifre, «_» o «-» (al massimo 40)".to_string());
    }
    let title = form.title.trim().to_string();
    if title.is_empty() || title.chars().count() > MAX_TEXT {
        errors.push("indicare un titolo (al massimo 500 caratteri)".to_string());
    }
    let points = match form.points.trim().parse::<i64>().map_err(|_| ()).and_then(|p| check_points(p).map_err(|_| ())) {
        Ok(p) => i64::from(p),
        Err(()) => {
            errors.push(format!("scala «{}» non ammessa: usare 4, 5 o 7 punti", form.points.trim()));
            5
        }
    };
    let mut scales: Vec<(String, String)> = Vec::new();
    let mut items = Vec::new();
    for (n, row) in form.rows.iter().enumerate().filter(|(_, r)| !r.text.trim().is_empty()) {
        let text = row.text.trim();
        if text.chars().count() > MAX_TEXT {
            errors.push(format!("riga {}: testo troppo lungo (al massimo {MAX_TEXT} caratteri)", n + 1));
        }
        if row.open && (row.reverse || !row.scale.trim().is_empty()) {
            errors.push(format!("riga {}: una domanda aperta non ha scala né codifica inversa", n + 1));
        }
        let scale_title = row.scale.trim();
        let scale_code =
            (!row.open && !scale_title.is_empty()).then(|| match scales.iter().find(|(_, t)| t.eq_ignore_ascii_case(scale_title)) {
                Some((c, _)) => c.clone(),
                None => {
                    let c = format!("S{}", scales.len() + 1);
                    scales.push((c.clone(), scale_title.to_string()));
                    c
                }
            });
        items.push(NewItem {
            code: format!("D{:02}", items.len() + 1),
            kind: if row.open { KIND_OPEN } else { KIND_LIKERT }.to_string(),
            text: text.to_string(),
            reverse: row.reverse && !row.open,
            scale_code,
        });
    }
    if !items.iter().any(|i| i.kind == KIND_LIKERT) {
        errors.push("inserire almeno un'affermazione da valutare sulla scala".to_string());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let objective = form.objective_code.trim();
    Ok(NewQuestionnaire {
        code,
        title,
        intro: form.intro.trim().to_string(),
        points,
        objective_code: (!objective.is_empty()).then(|| objective.to_string()),
        scales,
        items,
    })
}

/// An ISO date `YYYY-MM-DD` around blanks, by the plan's rule (`ambito_domain::date::parse_iso`):
/// `time`'s own parser took a signed year (`-2270-01-20`, found by the `dates` fuzz target).
pub fn parse_date(text: &str) -> Option<String> {
    let t = text.trim();
    ambito_domain::date::parse_iso(t).map(|_| t.to_string())
}

impl App {
    /// Creates a questionnaire from the builder. Returns the problems found; nothing is saved when
    /// there is any.
    pub async fn create_questionnaire(&self, ambito_code: &str, form: &DesignForm) -> Result<std::result::Result<String, Vec<String>>> {
        let ambito = self.ambito(ambito_code).await?;
        let design = match validate(form) {
            Ok(d) => d,
            Err(e) => return Ok(Err(e)),
        };
        let mut tx = self.store.write().await?;
        if store::questionnaire_by_code(&mut tx, ambito.id, &design.code).await?.is_some() {
            return Ok(Err(vec![format!("esiste già un questionario con codice «{}»", design.code)]));
        }
        store::insert_questionnaire(&mut tx, ambito.id, &design).await?;
        tx.commit().await?;
        Ok(Ok(design.code))
    }

    /// Opens a wave, or changes its dates and the number of people invited.
    pub async fn save_wave(
        &self,
        ambito_code: &str,
        code: &str,
        kind: WaveKind,
        opens_on: &str,
        closes_on: &str,
        invited: &str,
    ) -> Result<std::result::Result<(), Vec<String>>> {
        let l =
            self.questionnaire(ambito_code, code).await?.ok_or_else(|| AppError::Invalid(format!("questionario «{code}» non trovato")))?;
        let mut errors = Vec::new();
        let opens = parse_date(opens_on);
        let closes = parse_date(closes_on);
        if opens.is_none() {
            errors.push(format!("data di apertura «{opens_on}» non valida (AAAA-MM-GG)"));
        }
        if closes.is_none() {
            errors.push(format!("data di chiusura «{closes_on}» non valida (AAAA-MM-GG)"));
        }
        if let (Some(o), Some(c)) = (&opens, &closes)
            && o > c
        {
            errors.push("la chiusura precede l'apertura".to_string());
        }
        let invited = match invited.trim() {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(n) if (0..=10_000_000).contains(&n) => Some(n),
                _ => {
                    errors.push(format!("numero di invitati «{t}» non valido"));
                    None
                }
            },
        };
        let (Some(opens), Some(closes)) = (opens, closes) else { return Ok(Err(errors)) };
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let mut tx = self.store.write().await?;
        store::upsert_wave(&mut tx, l.questionnaire.id, kind.code(), &opens, &closes, invited).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(text: &str, scale: &str, reverse: bool, open: bool) -> DesignRow {
        DesignRow { text: text.into(), scale: scale.into(), reverse, open }
    }

    #[test]
    fn builder_groups_rows_into_scales_and_numbers_questions() {
        let form = DesignForm {
            code: "soddisfazione".into(),
            title: "Soddisfazione".into(),
            points: "5".into(),
            rows: vec![
                row("Il servizio è puntuale", "Qualità", false, false),
                row("", "", false, false),
                row("È difficile contattare il servizio", "qualità", true, false),
                row("Mi sento ascoltato", "Relazione", false, false),
                row("Che cosa miglioreresti?", "", false, true),
            ],
            ..DesignForm::default()
        };
        let d = validate(&form).expect("valid");
        assert_eq!(d.code, "SODDISFAZIONE");
        assert_eq!(d.scales, vec![("S1".to_string(), "Qualità".to_string()), ("S2".to_string(), "Relazione".to_string())]);
        let codes: Vec<(&str, &str, Option<&str>, bool)> =
            d.items.iter().map(|i| (i.code.as_str(), i.kind.as_str(), i.scale_code.as_deref(), i.reverse)).collect();
        assert_eq!(
            codes,
            vec![
                ("D01", "likert", Some("S1"), false),
                ("D02", "likert", Some("S1"), true),
                ("D03", "likert", Some("S2"), false),
                ("D04", "aperta", None, false)
            ]
        );
    }

    #[test]
    fn builder_reports_every_problem() {
        let form = DesignForm {
            code: "a b".into(),
            points: "6".into(),
            rows: vec![row("Che cosa miglioreresti?", "Qualità", true, true)],
            ..DesignForm::default()
        };
        let errors = validate(&form).unwrap_err();
        assert_eq!(errors.len(), 5, "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("scala «6» non ammessa")));
    }

    #[test]
    fn dates_are_iso() {
        assert_eq!(parse_date("2026-02-28").as_deref(), Some("2026-02-28"));
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("28/02/2026"), None);
        assert_eq!(parse_date("-2270-01-20"), None, "a signed year is not a date");
        assert_eq!(parse_date(" 2026-02-28 ").as_deref(), Some("2026-02-28"));
    }
}
