//! Likert questionnaires: the builder, waves, anonymous links, paper entry, results and the score
//! that a plan's outcome indicator reads. Scoring rules live in `ambito_domain::likert`.

pub mod demo;
pub mod design;
pub mod entry;
pub mod tokens;

use crate::{App, Result};
use ambito_domain::likert::report::{self, Header, OpenQuestion, QuestionnaireReport, WaveInput, WaveKind};
use ambito_domain::likert::{Design, check_answer, check_points};
use ambito_domain::value::{Blank, Value};
use ambito_store::{self as store, AmbitoRow, ItemRow, QuestionnaireRow, ScaleRow, WaveRow};

pub const KIND_LIKERT: &str = "likert";
pub const KIND_OPEN: &str = "aperta";

/// A questionnaire with everything needed to show, answer or score it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub ambito: AmbitoRow,
    pub questionnaire: QuestionnaireRow,
    pub scales: Vec<ScaleRow>,
    pub items: Vec<ItemRow>,
    pub waves: Vec<WaveRow>,
}

impl Loaded {
    pub fn points(&self) -> u8 {
        check_points(self.questionnaire.points).unwrap_or(5)
    }

    pub fn likert_items(&self) -> impl Iterator<Item = &ItemRow> {
        self.items.iter().filter(|i| i.kind == KIND_LIKERT)
    }

    pub fn wave(&self, kind: WaveKind) -> Option<&WaveRow> {
        self.waves.iter().find(|w| w.kind == kind.code())
    }

    pub fn scale_of(&self, item: &ItemRow) -> Option<&ScaleRow> {
        item.scale_id.and_then(|id| self.scales.iter().find(|s| s.id == id))
    }

    /// The scoring design: Likert items in order, scales as positions among them.
    pub fn design(&self) -> Design {
        let likert: Vec<&ItemRow> = self.likert_items().collect();
        let scales = self
            .scales
            .iter()
            .map(|s| likert.iter().enumerate().filter(|(_, i)| i.scale_id == Some(s.id)).map(|(k, _)| k).collect::<Vec<_>>())
            .collect();
        Design { points: self.points(), reverse: likert.iter().map(|i| i.reverse).collect(), scales }
    }
}

/// Today's date as ISO text (UTC): waves open and close by day, responses keep only the day.
pub fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

impl App {
    /// The questionnaire `code` of the Ambito; none when it does not exist.
    pub async fn questionnaire(&self, ambito_code: &str, code: &str) -> Result<Option<Loaded>> {
        let ambito = self.ambito(ambito_code).await?;
        let mut conn = self.store.read().await?;
        let Some(q) = store::questionnaire_by_code(&mut conn, ambito.id, code).await? else { return Ok(None) };
        Ok(Some(load(&mut conn, ambito, q).await?))
    }

    /// Questionnaires of an Ambito with (waves, responses) counts, for the list page.
    pub async fn questionnaires(&self, ambito_code: &str) -> Result<Vec<(QuestionnaireRow, usize, i64)>> {
        let ambito = self.ambito(ambito_code).await?;
        let mut conn = self.store.read().await?;
        let mut out = Vec::new();
        for q in store::list_questionnaires(&mut conn, ambito.id).await? {
            let waves = store::questionnaire_waves(&mut conn, q.id).await?.len();
            let responses = store::questionnaire_response_count(&mut conn, q.id).await?;
            out.push((q, waves, responses));
        }
        Ok(out)
    }

    /// Every wave scored, and the first and last answered waves compared.
    pub async fn questionnaire_report(&self, ambito_code: &str, code: &str) -> Result<Option<QuestionnaireReport>> {
        let Some(l) = self.questionnaire(ambito_code, code).await? else { return Ok(None) };
        let likert: Vec<&ItemRow> = l.likert_items().collect();
        let points = l.points();
        let mut conn = self.store.read().await?;
        let mut waves = Vec::new();
        let mut open: Vec<OpenQuestion> = l
            .items
            .iter()
            .filter(|i| i.kind == KIND_OPEN)
            .map(|i| OpenQuestion { code: i.code.clone(), text: i.text.clone(), answers: vec![] })
            .collect();
        for w in &l.waves {
            let Some(kind) = WaveKind::parse(&w.kind) else { continue };
            let ids = store::wave_response_ids(&mut conn, w.id).await?;
            let mut rows: Vec<Vec<Option<u8>>> = vec![vec![None; likert.len()]; ids.len()];
            for a in store::wave_answers(&mut conn, w.id).await? {
                let Ok(r) = ids.binary_search(&a.response_id) else { continue };
                if let Some(k) = likert.iter().position(|i| i.id == a.item_id)
                    && let Some(v) = a.value
                {
                    let v = check_answer(&likert[k].code, points, v)
                        .map_err(|e| crate::AppError::Store(store::StoreError::Corrupt(e.to_string())))?;
                    rows[r][k] = Some(v);
                } else if let Some(text) = a.text.filter(|t| !t.trim().is_empty())
                    && let Some(q) = l.items.iter().find(|i| i.id == a.item_id)
                    && let Some(o) = open.iter_mut().find(|o| o.code == q.code)
                {
                    o.answers.push((kind, text));
                }
            }
            waves.push(WaveInput {
                kind,
                opens_on: w.opens_on.clone(),
                closes_on: w.closes_on.clone(),
                invited: w.invited.and_then(|i| u64::try_from(i).ok()),
                answers: rows,
            });
        }
        let header = Header {
            ambito_code: l.ambito.code.clone(),
            ambito_name: l.ambito.name.clone(),
            code: l.questionnaire.code.clone(),
            title: l.questionnaire.title.clone(),
            objective_code: l.questionnaire.objective_code.clone(),
        };
        let items: Vec<(String, String, bool, Option<String>)> =
            likert.iter().map(|i| (i.code.clone(), i.text.clone(), i.reverse, l.scale_of(i).map(|s| s.code.clone()))).collect();
        let scales: Vec<(String, String)> = l.scales.iter().map(|s| (s.code.clone(), s.title.clone())).collect();
        Ok(Some(report::build(header, &l.design(), &items, &scales, waves, open)))
    }

    /// The overall score (mean of the respondents' mean over all Likert items, listwise) of a wave,
    /// for a plan's outcome indicator. See `docs/ARCHITECTURE.md` for the contract.
    pub async fn questionnaire_score(&self, ambito_code: &str, questionnaire_code: &str, wave: &str) -> Result<Value> {
        self.questionnaire_scale_score(ambito_code, questionnaire_code, wave, None).await
    }

    /// As [`App::questionnaire_score`], for one multi-item scale (by code) when `scale` is given.
    pub async fn questionnaire_scale_score(
        &self,
        ambito_code: &str,
        questionnaire_code: &str,
        wave: &str,
        scale: Option<&str>,
    ) -> Result<Value> {
        let Some(kind) = WaveKind::parse(wave) else { return Ok(Value::Blank(Blank::Unknown(format!("ondata «{wave}»")))) };
        let Some(r) = self.questionnaire_report(ambito_code, questionnaire_code).await? else {
            return Ok(Value::Blank(Blank::Unknown(format!("questionario «{questionnaire_code}»"))));
        };
        if r.wave(kind).is_none() {
            return Ok(Value::Blank(Blank::NotRecorded(format!("ondata {}", kind.label().to_lowercase()))));
        }
        Ok(r.score(kind, scale).unwrap_or_else(|| Value::Blank(Blank::Unknown(format!("scala «{}»", scale.unwrap_or_default())))))
    }
}

async fn load(conn: &mut ambito_store::AnyConnection, ambito: AmbitoRow, q: QuestionnaireRow) -> Result<Loaded> {
    let scales = store::questionnaire_scales(conn, q.id).await?;
    let items = store::questionnaire_items(conn, q.id).await?;
    let waves = store::questionnaire_waves(conn, q.id).await?;
    Ok(Loaded { ambito, questionnaire: q, scales, items, waves })
}
