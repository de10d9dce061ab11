//! Semiannual monitoring rounds. A round is opened for a semester; manual values are typed with
//! their evidence, linked values are read from the core engine; closing the round writes every
//! value and status once, and from then on the round shows that snapshot. When the engine's
//! figures are corrected later, the round still shows the frozen value, next to the difference.

use super::suppressed::Figures;
use super::typed_decimal;
use super::view::{PlanView, load};
use crate::access::Actor;
use crate::problems::{Findings, Msg};
use crate::{App, AppError, Result};
use ambito_domain::plan::link::LinkRef;
use ambito_domain::plan::rules::{self, Status, judge};
use ambito_domain::plan::{Direction, MeasureType};
use ambito_domain::report::{AnnualReport, assemble};
use ambito_domain::value::{Blank, Value};
use ambito_store::{self as store, AnyConnection};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// One indicator in one round, as shown.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RoundLine {
    pub objective_id: i64,
    pub card_code: String,
    pub card_title: String,
    pub indicator: store::IndicatorRow,
    /// "Utenti in carico · servizio SAD" for a linked indicator.
    pub linked: Option<String>,
    pub observed: Option<Decimal>,
    pub value: Option<Decimal>,
    /// Why there is no value.
    pub blank: Option<String>,
    pub status: Status,
    pub achievement: Option<Decimal>,
    /// What was typed or frozen: evidence, comment, who and when.
    pub stored: Option<store::ValueRow>,
    /// For a closed round: today's value from the engine, when it differs from the snapshot,
    /// and the difference (`None` when a value appeared or vanished).
    pub correction: Option<(Option<Decimal>, Option<Decimal>)>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct RoundView {
    pub round: store::RoundRow,
    pub lines: Vec<RoundLine>,
}

impl RoundView {
    pub fn is_open(&self) -> bool {
        self.round.status == "open"
    }

    pub fn label(&self) -> String {
        round_label(&self.round)
    }

    pub fn count(&self, s: Status) -> usize {
        self.lines.iter().filter(|l| l.status == s).count()
    }
}

pub fn round_label(r: &store::RoundRow) -> String {
    format!("Rilevazione {} · {}° semestre {}", r.number, r.half, r.year)
}

fn dec(v: &Option<String>) -> Option<Decimal> {
    v.as_deref().and_then(|t| t.parse().ok())
}

/// The engine's figures for a year, as linked indicators read them.
pub(crate) struct Engine {
    report: AnnualReport,
    targets: HashMap<String, Decimal>,
    /// Questionnaire scores by link text, read by [`Engine::with_questionnaires`].
    scores: HashMap<String, Value>,
}

impl Engine {
    pub(crate) async fn load(conn: &mut AnyConnection, ambito_code: &str, ambito_id: i64, year: i64) -> Result<Engine> {
        let y = i32::try_from(year).map_err(|_| AppError::Invalid(format!("anno non valido {year}")))?;
        let input = crate::reporting::report::report_input(conn, ambito_code, y).await?;
        Ok(Engine {
            report: assemble(&input),
            targets: crate::reporting::report::target_values(conn, ambito_id, year).await?,
            scores: HashMap::new(),
        })
    }

    /// Scores the questionnaires the plan's indicators link to (a questionnaire score feeding an
    /// outcome indicator): they come from the responses, not from the annual report.
    pub(crate) async fn with_questionnaires(mut self, app: &App, plan: &PlanView) -> Result<Engine> {
        for link in plan.cards.iter().flat_map(|c| &c.indicators).filter_map(|i| i.link.as_deref()) {
            if let Ok(LinkRef::Questionnaire { code, wave }) = LinkRef::parse(link) {
                let value = app.questionnaire_score(&plan.ambito.code, &code, &wave).await?;
                self.scores.insert(link.to_string(), value);
            }
        }
        Ok(self)
    }

    /// Suppresses the lines for a reader of suppressed figures: a linked line is hidden where the
    /// suppressed copy of this year's report hides its cell, any line where its count is small.
    pub(crate) fn suppress(&self, lines: &mut [RoundLine]) {
        let cells = ambito_domain::suppression::HiddenCells::of(&self.report, ambito_domain::suppression::DEFAULT_THRESHOLD);
        for line in lines {
            let link_hidden =
                line.indicator.link.as_deref().and_then(|l| LinkRef::parse(l).ok()).is_some_and(|l| l.hidden_in(&self.report, &cells));
            super::suppressed::suppress_line(line, link_hidden);
        }
    }

    fn observe(&self, link: &str) -> Value {
        match LinkRef::parse(link) {
            Ok(LinkRef::Questionnaire { code, .. }) => {
                self.scores.get(link).cloned().unwrap_or_else(|| Value::Blank(Blank::Unknown(format!("questionario {code}"))))
            }
            Ok(l) => l.resolve(&self.report),
            Err(e) => Value::Blank(Blank::Unknown(e.to_string())),
        }
    }
}

pub(crate) struct Computed {
    pub observed: Option<Decimal>,
    pub value: Value,
    pub status: Status,
    pub achievement: Option<Decimal>,
}

/// An indicator's value and status from an observation (typed or read from the engine).
pub(crate) fn compute(
    ind: &store::IndicatorRow,
    observed: Value,
    denominator: Option<Decimal>,
    targets: &HashMap<String, Decimal>,
    years: (i32, i32),
    round: (i32, u8),
) -> Computed {
    let measure = MeasureType::parse(&ind.measure).unwrap_or(MeasureType::Count);
    let direction = Direction::parse(&ind.direction).unwrap_or(Direction::Up);
    let baseline = dec(&ind.baseline_value);
    let population = denominator.or_else(|| ind.target_population.as_ref().and_then(|t| targets.get(t).copied()));
    let value = match &observed {
        Value::Number(n) => rules::indicator_value(measure, Some(*n), baseline, population),
        blank => blank.clone(),
    };
    let j = judge(measure, direction, &value, baseline, dec(&ind.target_value), ind.target_date.as_deref(), years, round);
    Computed { observed: observed.number(), value, status: j.status, achievement: j.achievement }
}

fn round_key(r: &store::RoundRow) -> (i32, u8) {
    (r.year as i32, r.half.clamp(1, 2) as u8)
}

/// Builds the lines of a round: frozen values for a closed round (with corrections), current
/// values for an open one.
pub(crate) fn lines(plan: &PlanView, round: &store::RoundRow, stored: &[store::ValueRow], engine: &Engine) -> Vec<RoundLine> {
    let years = plan.years();
    let by_indicator: HashMap<i64, &store::ValueRow> =
        stored.iter().filter(|v| v.round_id == round.id).map(|v| (v.indicator_id, v)).collect();
    let mut out = Vec::new();
    for card in &plan.cards {
        for ind in &card.indicators {
            let row = by_indicator.get(&ind.id).copied();
            let live = |row: Option<&store::ValueRow>| match &ind.link {
                Some(link) => compute(ind, engine.observe(link), None, &engine.targets, years, round_key(round)),
                None => {
                    let observed = row
                        .and_then(|r| dec(&r.observed))
                        .map(Value::Number)
                        .unwrap_or_else(|| Value::Blank(Blank::NotRecorded("valore non inserito".into())));
                    compute(ind, observed, row.and_then(|r| dec(&r.denominator)), &engine.targets, years, round_key(round))
                }
            };
            let mut line = RoundLine {
                objective_id: card.objective.id,
                card_code: card.objective.code.clone(),
                card_title: card.objective.title.clone(),
                indicator: ind.clone(),
                linked: ind.link.as_deref().and_then(|l| LinkRef::parse(l).ok()).map(|l| l.describe()),
                observed: None,
                value: None,
                blank: None,
                status: Status::NoData,
                achievement: None,
                stored: row.cloned(),
                correction: None,
            };
            if round.status == "closed" {
                let frozen = row.and_then(|r| dec(&r.value));
                line.observed = row.and_then(|r| dec(&r.observed));
                line.value = frozen;
                line.blank = row.and_then(|r| r.blank_reason.clone()).or_else(|| frozen.is_none().then(|| "non rilevato".to_string()));
                line.status = row.and_then(|r| r.status.as_deref()).and_then(Status::parse).unwrap_or(Status::NoData);
                line.achievement = frozen.and_then(|v| {
                    rules::achievement(
                        MeasureType::parse(&ind.measure).unwrap_or(MeasureType::Count),
                        Direction::parse(&ind.direction).unwrap_or(Direction::Up),
                        v,
                        dec(&ind.baseline_value),
                        dec(&ind.target_value),
                    )
                });
                if ind.link.is_some() {
                    let now = live(row);
                    let frozen_value = frozen.map(Value::Number).unwrap_or(Value::Blank(Blank::NotRecorded(String::new())));
                    line.correction = rules::correction(&frozen_value, &now.value).map(|d| (now.value.number(), d));
                }
            } else {
                let c = live(row);
                line.observed = c.observed;
                line.blank = c.value.blank_reason().map(|b| b.to_string());
                line.value = c.value.number();
                line.status = c.status;
                line.achievement = c.achievement;
            }
            out.push(line);
        }
    }
    out
}

impl App {
    pub async fn round_view(&self, ambito_code: &str, triennium: &str, number: i64) -> Result<(PlanView, RoundView)> {
        self.round_view_for(ambito_code, triennium, number, Figures::All).await
    }

    /// A round as `figures` lets the reader see it.
    pub async fn round_view_for(&self, ambito_code: &str, triennium: &str, number: i64, figures: Figures) -> Result<(PlanView, RoundView)> {
        let mut conn = self.store.read().await?;
        let mut plan = load(&mut conn, ambito_code, triennium).await?;
        let round = plan.round(number)?.clone();
        let stored = store::values_of_plan(&mut conn, plan.plan.id).await?;
        let engine = Engine::load(&mut conn, &plan.ambito.code, plan.ambito.id, round.year).await?;
        drop(conn);
        let engine = engine.with_questionnaires(self, &plan).await?;
        let mut lines = lines(&plan, &round, &stored, &engine);
        if figures == Figures::Suppressed {
            engine.suppress(&mut lines);
            super::suppressed::suppress_plan(&mut plan);
        }
        Ok((plan, RoundView { round, lines }))
    }

    /// Opens the next round for a semester. The plan must be approved and have no open round.
    pub async fn open_round(&self, actor: &Actor<'_>, ambito_code: &str, triennium: &str, year: i64, half: i64) -> Result<i64> {
        if !(1..=2).contains(&half) || !(1990..=2100).contains(&year) {
            return Err(AppError::Invalid("indicare anno e semestre (1 o 2)".into()));
        }
        let mut tx = self.store.write().await?;
        let plan = load(&mut tx, ambito_code, triennium).await?;
        if plan.plan.status != "approved" {
            return Err(AppError::Invalid("il monitoraggio richiede un piano approvato".into()));
        }
        if plan.rounds.iter().any(|r| r.status == "open") {
            return Err(AppError::Invalid("c'è già una rilevazione aperta: chiuderla prima di aprirne un'altra".into()));
        }
        if plan.rounds.iter().any(|r| r.year == year && r.half == half) {
            return Err(AppError::Invalid(format!("esiste già una rilevazione per il {half}° semestre {year}")));
        }
        let r = store::open_round(&mut tx, plan.plan.id, year, half).await?;
        self.audit_plan_write(&mut tx, actor, &plan.ambito.code, triennium, "plan.round.open", &format!("/rilevazioni/{}", r.number))
            .await?;
        tx.commit().await?;
        Ok(r.number)
    }

    /// Records a manual value (with its evidence) or a comment in an open round. Returns the
    /// problems; nothing is written when there is any.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_value(
        &self,
        actor: &Actor<'_>,
        ambito_code: &str,
        triennium: &str,
        number: i64,
        indicator_id: i64,
        observed: &str,
        denominator: &str,
        evidence: &str,
        comment: &str,
        who: &str,
    ) -> Result<Findings> {
        let mut f = Findings::default();
        let mut tx = self.store.write().await?;
        let plan = load(&mut tx, ambito_code, triennium).await?;
        let round = plan.round(number)?;
        let place = "rilevazione";
        if round.status != "open" {
            f.error(
                place,
                None,
                None,
                Msg::new("la rilevazione è chiusa: i valori sono congelati", "the round is closed: values are frozen"),
            );
            return Ok(f);
        }
        let Some(ind) = plan.cards.iter().flat_map(|c| &c.indicators).find(|i| i.id == indicator_id) else {
            return Err(AppError::NotFound("indicatore non presente nel piano".into()));
        };
        let measure = MeasureType::parse(&ind.measure).unwrap_or(MeasureType::Count);
        let col = ind.code.as_str();
        let parse = |f: &mut Findings, label: &str, text: &str| -> Option<Option<Decimal>> {
            let t = text.trim();
            if t.is_empty() {
                return Some(None);
            }
            if measure == MeasureType::Milestone && label == "valore" {
                match t.to_lowercase().as_str() {
                    "sì" | "si" | "1" => return Some(Some(Decimal::ONE)),
                    "no" | "0" => return Some(Some(Decimal::ZERO)),
                    _ => {}
                }
            }
            match typed_decimal(t) {
                Some(d) => Some(Some(d)),
                None => {
                    f.error(
                        place,
                        None,
                        Some(col),
                        Msg::new(format!("{label}: non è un numero «{t}»"), format!("{label}: not a number «{t}»")),
                    );
                    None
                }
            }
        };
        let existing = store::values_of_plan(&mut tx, plan.plan.id)
            .await?
            .into_iter()
            .find(|v| v.round_id == round.id && v.indicator_id == indicator_id);
        let mut row = existing.unwrap_or_else(|| store::ValueRow {
            round_id: round.id,
            indicator_id,
            source: if ind.link.is_some() { "linked".into() } else { "manual".into() },
            ..store::ValueRow::default()
        });
        row.comment = Some(comment.trim().to_string()).filter(|s| !s.is_empty());
        if ind.link.is_none() {
            let o = parse(&mut f, "valore", observed);
            let d = parse(&mut f, "denominatore", denominator);
            let (Some(o), Some(d)) = (o, d) else { return Ok(f) };
            if o.is_some() && evidence.trim().is_empty() {
                f.error(
                    place,
                    None,
                    Some(col),
                    Msg::new("un valore inserito a mano richiede l'evidenza (nota o documento)", "a manual value needs its evidence"),
                );
            }
            if o.is_some() && who.trim().is_empty() {
                f.error(place, None, Some(col), Msg::new("indicare chi inserisce il valore", "say who enters the value"));
            }
            if f.has_errors() {
                return Ok(f);
            }
            row.observed = o.map(|d| d.normalize().to_string());
            row.denominator = d.map(|d| d.normalize().to_string());
            row.evidence = Some(evidence.trim().to_string()).filter(|s| !s.is_empty());
        }
        row.entered_by = Some(who.trim().to_string()).filter(|s| !s.is_empty());
        row.entered_at = Some(super::now());
        store::upsert_value(&mut tx, &row).await?;
        let what = format!("/rilevazioni/{number}/indicatori/{}", ind.code);
        self.audit_plan_write(&mut tx, actor, &plan.ambito.code, triennium, "plan.value", &what).await?;
        tx.commit().await?;
        Ok(f)
    }

    /// Closes an open round: every indicator's value and status is computed once, from the
    /// engine as it is now and from the typed values, and stored. The round is frozen from then.
    pub async fn close_round(&self, actor: &Actor<'_>, ambito_code: &str, triennium: &str, number: i64, who: &str) -> Result<()> {
        let mut tx = self.store.write().await?;
        let plan = load(&mut tx, ambito_code, triennium).await?;
        let round = plan.round(number)?.clone();
        if round.status != "open" {
            return Err(AppError::Invalid("la rilevazione è già chiusa".into()));
        }
        let stored = store::values_of_plan(&mut tx, plan.plan.id).await?;
        let engine = Engine::load(&mut tx, &plan.ambito.code, plan.ambito.id, round.year).await?.with_questionnaires(self, &plan).await?;
        let now = super::now();
        for line in lines(&plan, &round, &stored, &engine) {
            let mut row = line.stored.clone().unwrap_or_else(|| store::ValueRow {
                round_id: round.id,
                indicator_id: line.indicator.id,
                source: if line.indicator.link.is_some() { "linked".into() } else { "manual".into() },
                ..store::ValueRow::default()
            });
            row.value = line.value.map(|v| v.normalize().to_string());
            row.blank_reason = line.blank.clone();
            row.status = Some(line.status.code().to_string());
            if line.indicator.link.is_some() {
                row.observed = line.observed.map(|v| v.normalize().to_string());
                row.entered_by = Some(who.to_string());
                row.entered_at = Some(now.clone());
            }
            store::upsert_value(&mut tx, &row).await?;
        }
        store::close_round(&mut tx, round.id, who).await?;
        self.audit_plan_write(&mut tx, actor, &plan.ambito.code, triennium, "plan.round.close", &format!("/rilevazioni/{number}")).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An indicator's frozen values across the plan's closed rounds, oldest first, read from
    /// the rounds as `figures` shows them (so the trend chart hides what the round pages hide).
    pub async fn indicator_trend(
        &self,
        ambito_code: &str,
        triennium: &str,
        indicator_id: i64,
        figures: Figures,
    ) -> Result<Vec<(String, Option<Decimal>, Status)>> {
        let closed: Vec<store::RoundRow> =
            self.plan_view(ambito_code, triennium).await?.rounds.into_iter().filter(|r| r.status == "closed").collect();
        let mut out = Vec::new();
        for r in closed {
            let (_, view) = self.round_view_for(ambito_code, triennium, r.number, figures).await?;
            let line = view.lines.iter().find(|l| l.indicator.id == indicator_id);
            out.push((format!("{}/{}", r.half, r.year), line.and_then(|l| l.value), line.map(|l| l.status).unwrap_or(Status::NoData)));
        }
        Ok(out)
    }
}
