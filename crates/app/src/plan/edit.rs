//! Edits from the card and indicator editors. An edit is applied the way an import is: the plan
//! is read back as a plan file, the card or indicator is changed in it, the whole file is checked
//! and written in one transaction. One set of rules for files and forms, so a form cannot store
//! what an import would refuse. Only the Ambito's own cards are edited here; district and
//! provincial cards belong to their owners.

use super::check::check;
use super::export::plan_file;
use super::format::*;
use super::import::{apply, context};
use super::typed_decimal;
use crate::access::Actor;
use crate::problems::{Findings, Msg};
use crate::{App, AppError, Result};
use ambito_store as store;

/// The card editor's fields, as typed. Answers are `si` | `no` | `parziale` or empty; lists are
/// comma-separated.
#[derive(Debug, Clone, Default)]
pub struct CardForm {
    pub code: String,
    pub title: String,
    pub macroarea: String,
    pub rl_areas: String,
    pub short_description: String,
    pub description: String,
    pub target: String,
    pub resources: String,
    pub staff: String,
    pub cross_cutting: String,
    pub cross_cutting_text: String,
    pub cross_cutting_areas: String,
    pub sociosanitary: String,
    pub sociosanitary_text: String,
    pub continuity: String,
    pub continuity_text: String,
    pub codesigned: String,
    pub codesigned_text: String,
    pub needs: String,
    pub services: String,
}

#[derive(Debug, Clone, Default)]
pub struct IndicatorForm {
    pub code: String,
    pub text: String,
    pub kind: String,
    pub level: String,
    pub measure: String,
    pub direction: String,
    pub baseline: String,
    pub baseline_year: String,
    pub target: String,
    pub target_date: String,
    pub frequency: String,
    /// Empty for manual entry.
    pub link: String,
    pub target_population: String,
    pub evidence_note: String,
}

use super::non_empty as opt;

fn answer(a: &str, t: &str) -> Option<AnswerFile> {
    let (answer, text) = (opt(a), opt(t));
    (answer.is_some() || text.is_some()).then_some(AnswerFile { answer, text })
}

/// A decimal typed the Italian way becomes the file's canonical text; anything else is kept as
/// typed so the checker reports it.
fn decimal(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    Some(typed_decimal(t).map(|d| d.normalize().to_string()).unwrap_or_else(|| t.to_string()))
}

fn letters(s: &str) -> Vec<String> {
    s.split([',', ' ', ';']).map(|x| x.trim().to_uppercase()).filter(|x| !x.is_empty()).collect()
}

impl App {
    /// Checks and applies a change to an Ambito's plan file in one transaction, with its audit
    /// entry (`action` on `what`).
    async fn edit_plan(
        &self,
        actor: &Actor<'_>,
        ambito_code: &str,
        triennium: &str,
        (action, what): (&str, String),
        change: impl FnOnce(&mut PlanFile) -> std::result::Result<(), String>,
    ) -> Result<Findings> {
        let mut tx = self.store.write().await?;
        let ambito = store::ambito_by_code(&mut tx, ambito_code).await?.ok_or_else(|| AppError::AmbitoNotFound(ambito_code.into()))?;
        let mut file = plan_file(&mut tx, ambito_code, triennium).await?;
        if let Err(e) = change(&mut file) {
            let mut f = Findings::default();
            f.error("modulo", None, None, Msg::new(e.clone(), e));
            return Ok(f);
        }
        let (cx, scopes) = context(&mut tx, &ambito).await?;
        let f = check("modulo", &file, &cx);
        if f.has_errors() {
            return Ok(f);
        }
        apply(&mut tx, &file, &ambito, &scopes, &cx).await?;
        self.audit_plan_write(&mut tx, actor, &ambito.code, triennium, action, &what).await?;
        tx.commit().await?;
        Ok(f)
    }

    /// Creates (`original` = None) or updates one of the Ambito's own cards.
    pub async fn save_card(
        &self,
        actor: &Actor<'_>,
        ambito_code: &str,
        triennium: &str,
        original: Option<&str>,
        form: &CardForm,
    ) -> Result<Findings> {
        let ambito = ambito_code.to_string();
        let what = format!("/schede/{}", original.unwrap_or(form.code.trim()));
        let original = original.map(String::from);
        let form = form.clone();
        self.edit_plan(actor, ambito_code, triennium, ("plan.card", what), move |file| {
            let idx = match &original {
                Some(code) => Some(
                    file.objectives
                        .iter()
                        .position(|o| o.level == "ambito" && &o.code == code)
                        .ok_or_else(|| format!("scheda «{code}» non modificabile da questo Ambito"))?,
                ),
                None => {
                    if file.objectives.iter().any(|o| o.code == form.code.trim()) {
                        return Err(format!("esiste già una scheda «{}»", form.code.trim()));
                    }
                    None
                }
            };
            let mut o = match idx {
                Some(i) => file.objectives[i].clone(),
                None => ObjectiveFile {
                    code: form.code.trim().to_string(),
                    level: "ambito".into(),
                    scope: ambito.clone(),
                    ..ObjectiveFile::default()
                },
            };
            o.title = form.title.trim().to_string();
            o.macroarea = opt(&form.macroarea);
            o.rl_areas = letters(&form.rl_areas);
            o.short_description = opt(&form.short_description);
            o.description = opt(&form.description);
            o.target = opt(&form.target);
            o.resources = opt(&form.resources);
            o.staff = opt(&form.staff);
            o.cross_cutting = answer(&form.cross_cutting, &form.cross_cutting_text);
            o.cross_cutting_areas = letters(&form.cross_cutting_areas);
            o.sociosanitary = answer(&form.sociosanitary, &form.sociosanitary_text);
            o.continuity = answer(&form.continuity, &form.continuity_text);
            o.codesigned = answer(&form.codesigned, &form.codesigned_text);
            o.needs = opt(&form.needs);
            o.services = super::split(&form.services);
            match idx {
                Some(i) => file.objectives[i] = o,
                None => {
                    // New cards go after the Ambito's last card, before the shared ones.
                    let at = file.objectives.iter().rposition(|x| x.level == "ambito").map(|p| p + 1).unwrap_or(0);
                    file.objectives.insert(at, o);
                }
            }
            Ok(())
        })
        .await
    }

    /// Adds (`original` = None) or updates an indicator of one of the Ambito's own cards.
    pub async fn save_indicator(
        &self,
        actor: &Actor<'_>,
        ambito_code: &str,
        triennium: &str,
        card: &str,
        original: Option<&str>,
        form: &IndicatorForm,
    ) -> Result<Findings> {
        let what = format!("/schede/{card}/indicatori/{}", original.unwrap_or(form.code.trim()));
        let (card, original, form) = (card.to_string(), original.map(String::from), form.clone());
        self.edit_plan(actor, ambito_code, triennium, ("plan.indicator", what), move |file| {
            if original.is_none() && file.objectives.iter().flat_map(|o| &o.indicators).any(|i| i.code == form.code.trim()) {
                return Err(format!("esiste già un indicatore «{}»", form.code.trim()));
            }
            let o = file
                .objectives
                .iter_mut()
                .find(|o| o.level == "ambito" && o.code == card)
                .ok_or_else(|| format!("scheda «{card}» non modificabile da questo Ambito"))?;
            let year = form.baseline_year.trim();
            let ind = IndicatorFile {
                code: original.clone().unwrap_or_else(|| form.code.trim().to_string()),
                text: form.text.trim().to_string(),
                kind: form.kind.trim().to_string(),
                level: form.level.trim().to_string(),
                measure: form.measure.trim().to_string(),
                direction: if form.direction.trim().is_empty() { "up".into() } else { form.direction.trim().to_string() },
                baseline: decimal(&form.baseline),
                baseline_year: if year.is_empty() {
                    None
                } else {
                    Some(year.parse::<i64>().map_err(|_| format!("anno di partenza non valido «{year}»"))?)
                },
                target: decimal(&form.target),
                target_date: opt(&form.target_date),
                frequency: if form.frequency.trim().is_empty() { "semiannual".into() } else { form.frequency.trim().to_string() },
                link: opt(&form.link),
                target_population: opt(&form.target_population),
                evidence_note: opt(&form.evidence_note),
                ancestor: None,
            };
            match &original {
                Some(code) => {
                    let slot =
                        o.indicators.iter_mut().find(|i| &i.code == code).ok_or_else(|| format!("indicatore «{code}» inesistente"))?;
                    let ancestor = slot.ancestor.clone();
                    *slot = IndicatorFile { ancestor, ..ind };
                }
                None => o.indicators.push(ind),
            }
            Ok(())
        })
        .await
    }

    /// Removes an indicator (and its values in every round) from one of the Ambito's cards.
    pub async fn remove_indicator(
        &self,
        actor: &Actor<'_>,
        ambito_code: &str,
        triennium: &str,
        card: &str,
        code: &str,
    ) -> Result<Findings> {
        let what = format!("/schede/{card}/indicatori/{code}");
        let (card, code) = (card.to_string(), code.to_string());
        self.edit_plan(actor, ambito_code, triennium, ("plan.indicator.delete", what), move |file| {
            let o = file
                .objectives
                .iter_mut()
                .find(|o| o.level == "ambito" && o.code == card)
                .ok_or_else(|| format!("scheda «{card}» non modificabile da questo Ambito"))?;
            let before = o.indicators.len();
            o.indicators.retain(|i| i.code != code);
            if o.indicators.len() == before {
                return Err(format!("indicatore «{code}» inesistente"));
            }
            for r in &mut file.rounds {
                r.values.retain(|v| v.indicator != code);
            }
            Ok(())
        })
        .await
    }
}
