//! Answers as submitted by a form (the anonymous page or the operator's paper entry): validated
//! all together, stored in one transaction or not at all.

use super::{KIND_LIKERT, Loaded, today};
use crate::{App, AppError, Result};
use ambito_domain::likert::check_answer;
use ambito_domain::likert::report::WaveKind;
use ambito_store as store;

/// Longest open answer kept; a longer one is refused rather than cut.
pub const MAX_OPEN_CHARS: usize = 4000;

/// A validated answer: (item id, Likert value, open text).
pub type Answer = (i64, Option<i64>, Option<String>);

/// Form fields `i.CODE` (a Likert answer, 1..=points) and `o.CODE` (open text). Empty means not
/// answered; fields of unknown questions are ignored. All problems are reported at once.
pub fn parse_answers(l: &Loaded, fields: &[(String, String)]) -> std::result::Result<Vec<Answer>, Vec<String>> {
    let mut errors = Vec::new();
    let mut answers: Vec<Answer> = Vec::new();
    for item in &l.items {
        let (prefix, is_likert) = if item.kind == KIND_LIKERT { ("i.", true) } else { ("o.", false) };
        let key = format!("{prefix}{}", item.code);
        let given: Vec<&str> = fields.iter().filter(|(k, _)| *k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty()).collect();
        match given.as_slice() {
            [] => {}
            [one] if is_likert => match one.parse::<i64>() {
                Ok(v) => match check_answer(&item.code, l.points(), v) {
                    Ok(v) => answers.push((item.id, Some(i64::from(v)), None)),
                    Err(e) => errors.push(e.to_string()),
                },
                Err(_) => errors.push(format!("risposta «{one}» non valida per «{}»: indicare un numero da 1 a {}", item.code, l.points())),
            },
            [one] => {
                if one.chars().count() > MAX_OPEN_CHARS {
                    errors.push(format!("risposta a «{}» troppo lunga: al massimo {MAX_OPEN_CHARS} caratteri", item.code));
                } else {
                    answers.push((item.id, None, Some((*one).to_string())));
                }
            }
            _ => errors.push(format!("più di una risposta per «{}»", item.code)),
        }
    }
    if errors.is_empty() && answers.is_empty() {
        errors.push("nessuna risposta: rispondere ad almeno una domanda".into());
    }
    if errors.is_empty() { Ok(answers) } else { Err(errors) }
}

impl App {
    /// An operator types in a paper questionnaire. Paper forms may arrive after the wave closed,
    /// so dates are not checked. Returns the problems found; nothing is stored when there is any.
    pub async fn enter_paper_response(
        &self,
        ambito_code: &str,
        code: &str,
        wave: WaveKind,
        fields: &[(String, String)],
    ) -> Result<std::result::Result<(), Vec<String>>> {
        let l =
            self.questionnaire(ambito_code, code).await?.ok_or_else(|| AppError::Invalid(format!("questionario «{code}» non trovato")))?;
        let Some(w) = l.wave(wave) else {
            return Ok(Err(vec![format!("l'ondata {} non è stata aperta", wave.label().to_lowercase())]));
        };
        let answers = match parse_answers(&l, fields) {
            Ok(a) => a,
            Err(e) => return Ok(Err(e)),
        };
        let mut tx = self.store.write().await?;
        store::insert_response(&mut tx, w.id, "carta", &today(), &answers).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}
