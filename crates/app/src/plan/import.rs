//! `ambito import plan FILE`: reads a plan file (JSON, or the XLSX workbook of the same format),
//! checks everything against the database, and applies it in one transaction or not at all.
//! Keyed by codes, so importing the same file again leaves the same data.

use super::check::{Context, check};
use super::format::*;
use super::xlsx::Locations;
use crate::access::Actor;
use crate::intake::{Batch, ImportOutcome};
use crate::problems::{Findings, Msg};
use crate::{App, Result};
use ambito_domain::number::{NumberStyle, parse_decimal};
use ambito_store::{self as store, AmbitoRow, AnyConnection, Scopes};
use std::collections::{HashMap, HashSet};

/// Canonical decimal text: `12.50` → `12.5`. Only called on values the checker accepted.
pub(crate) fn canon(v: &Option<String>) -> Option<String> {
    v.as_deref().and_then(|t| parse_decimal(t, NumberStyle::International).ok()).map(|d| d.normalize().to_string())
}

fn answer(a: &Option<AnswerFile>) -> (Option<String>, Option<String>) {
    match a {
        Some(a) => (a.answer.clone(), a.text.clone()),
        None => (None, None),
    }
}

/// The database facts a file is checked against.
pub(crate) async fn context(conn: &mut AnyConnection, ambito: &AmbitoRow) -> Result<(Context, Scopes)> {
    let scopes = store::scopes_of(conn, ambito.id).await?;
    let mut cx = Context {
        ambito_code: ambito.code.clone(),
        distretto_code: scopes.distretto.as_ref().map(|d| d.1.clone()),
        ats_code: scopes.ats.as_ref().map(|d| d.1.clone()),
        services: store::list_services(conn, ambito.id).await?.into_iter().map(|s| s.code).collect(),
        targets: store::list_targets(conn, ambito.id).await?.into_iter().map(|t| t.name).collect(),
        ..Context::default()
    };
    for plan in store::list_plans(conn, ambito.id).await? {
        for o in store::visible_objectives(conn, &scopes, &plan.triennium).await? {
            cx.ancestor_objectives.insert(format!("{}/{}", plan.triennium, o.code), o.id);
            for i in store::indicators_of(conn, o.id).await? {
                cx.ancestor_indicators.insert(format!("{}/{}", plan.triennium, i.code), i.id);
            }
        }
    }
    Ok((cx, scopes))
}

/// Reads the file into the format's structure; syntax errors carry line and column. For a
/// workbook, also where each record came from (sheet and row).
pub fn parse_plan_file(file: &str, bytes: &[u8], f: &mut Findings) -> Option<(PlanFile, Option<Locations>)> {
    if file.to_lowercase().ends_with(".xlsx") {
        return super::xlsx::read(file, bytes, f).map(|(p, l)| (p, Some(l)));
    }
    match serde_json::from_slice::<PlanFile>(bytes) {
        Ok(p) => Some((p, None)),
        Err(e) => {
            f.error(
                file,
                Some(e.line()),
                Some(&format!("colonna {}", e.column())),
                Msg::new(format!("JSON non valido: {e}"), format!("invalid JSON: {e}")),
            );
            None
        }
    }
}

/// Which Ambito a plan file may write. The tenant of a write comes from whoever is trusted to name
/// it, never from the file alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanTenant<'a> {
    /// The Ambito of the request (`/ambiti/{code}/piano`), as the access guard checked it: the
    /// file must be that Ambito's plan, and a file naming any other Ambito is refused.
    Ambito(&'a str),
    /// The Ambito the file names. Only for the command line, a trusted operator tool that runs
    /// with the database's own rights.
    NamedInFile,
}

impl App {
    /// Imports a plan file into `tenant`'s plan. Nothing is written when any problem is found;
    /// an applied import is audited in the same transaction.
    pub async fn import_plan(&self, actor: &Actor<'_>, tenant: PlanTenant<'_>, file: &str, bytes: &[u8]) -> Result<ImportOutcome> {
        let mut f = Findings::default();
        let Some((plan, locations)) = parse_plan_file(file, bytes, &mut f) else { return Ok(ImportOutcome::rejected(file, f)) };
        let code = match tenant {
            PlanTenant::Ambito(code) => code,
            PlanTenant::NamedInFile => plan.ambito.as_str(),
        };
        let (ambito, cx, scopes) = {
            let mut conn = self.store.read().await?;
            let Some(ambito) = store::ambito_by_code(&mut conn, code).await? else {
                f.error(file, None, Some("ambito"), Msg::new(format!("Ambito «{code}» inesistente"), format!("no Ambito «{code}»")));
                return Ok(ImportOutcome::rejected(file, f));
            };
            let (cx, scopes) = context(&mut conn, &ambito).await?;
            (ambito, cx, scopes)
        };
        // The checker refuses a file naming another Ambito, and any card whose scope is not this
        // Ambito, its Distretto or its ATS.
        let mut f = check(file, &plan, &cx);
        if let Some(l) = locations {
            l.relocate(file, &mut f);
        }
        if f.has_errors() {
            return Ok(ImportOutcome::rejected(file, f));
        }
        let mut batch = Batch::begin(self, "plan", file, bytes).await?;
        let rows = apply(&mut batch.tx, &plan, &ambito, &scopes, &cx).await?;
        self.audit_plan_write(&mut batch.tx, actor, &ambito.code, &plan.triennium, "plan.import", "").await?;
        batch.commit(Some(ambito.id), rows, f).await
    }
}

fn joined(v: &[String]) -> String {
    v.join(",")
}

/// Writes a checked file; returns the number of cards and indicators written.
pub(crate) async fn apply(conn: &mut AnyConnection, p: &PlanFile, ambito: &AmbitoRow, scopes: &Scopes, cx: &Context) -> Result<usize> {
    let plan_id = store::upsert_plan(
        conn,
        &store::PlanRow {
            ambito_id: ambito.id,
            triennium: p.triennium.clone(),
            title: p.title.clone(),
            start_date: p.start_date.clone(),
            end_date: p.end_date.clone(),
            status: p.status.clone(),
            approval_body: p.approval.as_ref().map(|a| a.body.clone()),
            approval_number: p.approval.as_ref().and_then(|a| a.number.clone()),
            approval_date: p.approval.as_ref().and_then(|a| a.date.clone()),
            previous_triennium: p.previous_triennium.clone(),
            notes: p.notes.clone(),
            ..store::PlanRow::default()
        },
    )
    .await?;
    let areas: Vec<store::MacroareaRow> = p
        .macroareas
        .iter()
        .map(|m| store::MacroareaRow { code: m.code.clone(), name: m.name.clone(), rl_areas: joined(&m.rl_areas) })
        .collect();
    store::replace_macroareas(conn, plan_id, &areas).await?;
    let mut rows = 0;
    let mut kept_own = HashSet::new();
    let mut indicator_ids: HashMap<String, i64> = HashMap::new();
    for (pos, o) in p.objectives.iter().enumerate() {
        let scope_id = match o.level.as_str() {
            "distretto" => scopes.distretto.as_ref().map(|d| d.0),
            "provincia" => scopes.ats.as_ref().map(|d| d.0),
            _ => Some(ambito.id),
        }
        .ok_or_else(|| crate::AppError::Invalid(format!("scheda {}: ambito territoriale mancante", o.code)))?;
        let (cross_cutting, cross_cutting_text) = answer(&o.cross_cutting);
        let (sociosanitary, sociosanitary_text) = answer(&o.sociosanitary);
        let (continuity, continuity_text) = answer(&o.continuity);
        let (codesigned, codesigned_text) = answer(&o.codesigned);
        let id = store::upsert_objective(
            conn,
            &store::ObjectiveRow {
                level: o.level.clone(),
                scope_id,
                triennium: p.triennium.clone(),
                code: o.code.clone(),
                position: pos as i64,
                title: o.title.clone(),
                rl_areas: joined(&o.rl_areas),
                cross_cutting_areas: joined(&o.cross_cutting_areas),
                services: joined(&o.services),
                ancestor_id: o.ancestor.as_ref().and_then(|a| cx.ancestor_objectives.get(a).copied()),
                macroarea: o.macroarea.clone(),
                short_description: o.short_description.clone(),
                description: o.description.clone(),
                target: o.target.clone(),
                resources_text: o.resources.clone(),
                staff_text: o.staff.clone(),
                cross_cutting,
                cross_cutting_text,
                sociosanitary,
                sociosanitary_text,
                continuity,
                continuity_text,
                codesigned,
                codesigned_text,
                needs: o.needs.clone(),
                process_intro: o.process_intro.clone(),
                output_intro: o.output_intro.clone(),
                outcome_narrative: o.outcome_narrative.clone(),
                ..store::ObjectiveRow::default()
            },
        )
        .await?;
        rows += 1;
        if o.level == "ambito" {
            kept_own.insert(id);
        }
        let amounts: Vec<store::ResourceRow> = o
            .resource_amounts
            .iter()
            .map(|a| store::ResourceRow { source: a.source.clone(), amount_cents: super::cents(&a.eur).unwrap_or(0) })
            .collect();
        store::replace_resources(conn, id, &amounts).await?;
        let actions: Vec<store::ActionRow> = o
            .actions
            .iter()
            .map(|a| store::ActionRow {
                text: a.text.clone(),
                deadline: a.deadline.clone(),
                responsible: a.responsible.clone(),
                partners: a.partners.clone(),
                status: a.status.clone(),
            })
            .collect();
        store::replace_actions(conn, id, &actions).await?;
        let existing = store::indicators_of(conn, id).await?;
        for (j, i) in o.indicators.iter().enumerate() {
            let ind_id = store::upsert_indicator(
                conn,
                &store::IndicatorRow {
                    objective_id: id,
                    code: i.code.clone(),
                    position: j as i64,
                    text: i.text.clone(),
                    kind: i.kind.clone(),
                    level: i.level.clone(),
                    measure: i.measure.clone(),
                    direction: i.direction.clone(),
                    baseline_value: canon(&i.baseline),
                    baseline_year: i.baseline_year,
                    target_value: canon(&i.target),
                    target_date: i.target_date.clone(),
                    frequency: i.frequency.clone(),
                    link: i.link.clone(),
                    target_population: i.target_population.clone(),
                    evidence_note: i.evidence_note.clone(),
                    ancestor_id: i.ancestor.as_ref().and_then(|a| cx.ancestor_indicators.get(a).copied()),
                    ..store::IndicatorRow::default()
                },
            )
            .await?;
            indicator_ids.insert(i.code.clone(), ind_id);
            rows += 1;
        }
        for old in existing.iter().filter(|e| !o.indicators.iter().any(|i| i.code == e.code)) {
            store::delete_indicator(conn, old.id).await?;
        }
        match &o.evaluation {
            Some(e) => {
                let (answered_need, answered_need_text) = answer(&e.answered_need);
                let (continuity, continuity_text) = answer(&e.continuity);
                let (reproposed, reproposed_text) = answer(&e.reproposed);
                store::upsert_evaluation(
                    conn,
                    &store::EvaluationRow {
                        objective_id: id,
                        ambito_id: ambito.id,
                        actions_done: e.actions_done.clone(),
                        achievement_pct: canon(&e.achievement_pct),
                        achievement_note: e.achievement_note.clone(),
                        users_assessment: e.users_assessment.clone(),
                        resources_match_pct: canon(&e.resources_match_pct),
                        resources_note: e.resources_note.clone(),
                        problems: e.problems.clone(),
                        improvement_plan: e.improvement_plan.clone(),
                        answered_need,
                        answered_need_text,
                        continuity,
                        continuity_text,
                        reproposed,
                        reproposed_text,
                        updated_at: super::now(),
                    },
                )
                .await?
            }
            None => store::delete_evaluation(conn, id, ambito.id).await?,
        }
        store::delete_evidence_of(conn, id, ambito.id).await?;
        for ev in &o.evidence {
            store::insert_evidence(
                conn,
                &store::EvidenceRow {
                    objective_id: id,
                    ambito_id: ambito.id,
                    kind: ev.kind.clone(),
                    held_on: ev.date.clone(),
                    participants: ev.participants,
                    roles: ev.roles.clone(),
                    findings: ev.findings.clone(),
                    quotes: (!ev.quotes.is_empty()).then(|| ev.quotes.join("\n")),
                    attachments: ev.attachments.clone(),
                    names_consented: ev.names_consented,
                    ..store::EvidenceRow::default()
                },
            )
            .await?;
        }
    }
    for o in store::visible_objectives(conn, scopes, &p.triennium).await? {
        if o.level == "ambito" && !kept_own.contains(&o.id) {
            store::delete_objective(conn, o.id).await?;
        }
    }
    // A file without rounds (a plan edited elsewhere) leaves the monitoring history alone.
    if !p.rounds.is_empty() {
        store::delete_rounds_of(conn, plan_id).await?;
    }
    for r in &p.rounds {
        let round_id = store::upsert_round(
            conn,
            &store::RoundRow {
                plan_id,
                number: r.number,
                year: r.year,
                half: r.half,
                status: r.status.clone(),
                opened_at: r.opened_at.clone(),
                closed_at: r.closed_at.clone(),
                closed_by: r.closed_by.clone(),
                ..store::RoundRow::default()
            },
        )
        .await?;
        for v in &r.values {
            let Some(&indicator_id) = indicator_ids.get(&v.indicator) else { continue };
            store::upsert_value(
                conn,
                &store::ValueRow {
                    round_id,
                    indicator_id,
                    observed: canon(&v.observed),
                    denominator: canon(&v.denominator),
                    value: canon(&v.value),
                    blank_reason: v.blank_reason.clone(),
                    status: v.status.clone(),
                    source: v.source.clone(),
                    evidence: v.evidence.clone(),
                    comment: v.comment.clone(),
                    entered_by: v.entered_by.clone(),
                    entered_at: v.entered_at.clone(),
                },
            )
            .await?;
        }
    }
    Ok(rows)
}
