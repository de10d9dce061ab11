//! `ambito export plan`: the stored plan of an Ambito back into its own format. Import followed
//! by export gives the same file (see the round-trip test), so the format loses nothing.

use super::format::*;
use super::split;
use crate::{App, AppError, Result};
use ambito_store::{self as store, AnyConnection};
use std::collections::HashMap;

fn answer(answer: &Option<String>, text: &Option<String>) -> Option<AnswerFile> {
    (answer.is_some() || text.is_some()).then(|| AnswerFile { answer: answer.clone(), text: text.clone() })
}

async fn ancestor_key(conn: &mut AnyConnection, objective_id: Option<i64>) -> Result<Option<String>> {
    let Some(id) = objective_id else { return Ok(None) };
    Ok(store::objective_by_id(conn, id).await?.map(|o| format!("{}/{}", o.triennium, o.code)))
}

async fn indicator_ancestor_key(conn: &mut AnyConnection, indicator_id: Option<i64>) -> Result<Option<String>> {
    let Some(id) = indicator_id else { return Ok(None) };
    let Some(i) = store::indicator_by_id(conn, id).await? else { return Ok(None) };
    Ok(store::objective_by_id(conn, i.objective_id).await?.map(|o| format!("{}/{}", o.triennium, i.code)))
}

/// The plan of `ambito_code` for `triennium` as a plan file.
pub(crate) async fn plan_file(conn: &mut AnyConnection, ambito_code: &str, triennium: &str) -> Result<PlanFile> {
    let ambito = store::ambito_by_code(conn, ambito_code).await?.ok_or_else(|| AppError::AmbitoNotFound(ambito_code.into()))?;
    let plan = store::plan_by_triennium(conn, ambito.id, triennium)
        .await?
        .ok_or_else(|| AppError::Invalid(format!("nessun Piano di Zona {triennium} per l'Ambito {ambito_code}")))?;
    let scopes = store::scopes_of(conn, ambito.id).await?;
    let scope_code = |level: &str| match level {
        "distretto" => scopes.distretto.as_ref().map(|d| d.1.clone()).unwrap_or_default(),
        "provincia" => scopes.ats.as_ref().map(|d| d.1.clone()).unwrap_or_default(),
        _ => ambito.code.clone(),
    };
    let mut code_of: HashMap<i64, String> = HashMap::new();
    let mut objectives = Vec::new();
    for o in store::visible_objectives(conn, &scopes, triennium).await? {
        let mut indicators = Vec::new();
        for i in store::indicators_of(conn, o.id).await? {
            code_of.insert(i.id, i.code.clone());
            indicators.push(IndicatorFile {
                code: i.code,
                text: i.text,
                kind: i.kind,
                level: i.level,
                measure: i.measure,
                direction: i.direction,
                baseline: i.baseline_value,
                baseline_year: i.baseline_year,
                target: i.target_value,
                target_date: i.target_date,
                frequency: i.frequency,
                link: i.link,
                target_population: i.target_population,
                evidence_note: i.evidence_note,
                ancestor: indicator_ancestor_key(conn, i.ancestor_id).await?,
            });
        }
        let evaluation = store::evaluation_of(conn, o.id, ambito.id).await?.map(|e| EvaluationFile {
            actions_done: e.actions_done,
            achievement_pct: e.achievement_pct,
            achievement_note: e.achievement_note,
            users_assessment: e.users_assessment,
            resources_match_pct: e.resources_match_pct,
            resources_note: e.resources_note,
            problems: e.problems,
            improvement_plan: e.improvement_plan,
            answered_need: answer(&e.answered_need, &e.answered_need_text),
            continuity: answer(&e.continuity, &e.continuity_text),
            reproposed: answer(&e.reproposed, &e.reproposed_text),
        });
        let evidence = store::evidence_of(conn, o.id, ambito.id)
            .await?
            .into_iter()
            .map(|e| EvidenceFile {
                kind: e.kind,
                date: e.held_on,
                participants: e.participants,
                roles: e.roles,
                findings: e.findings,
                quotes: e.quotes.map(|q| q.lines().map(String::from).collect()).unwrap_or_default(),
                attachments: e.attachments,
                names_consented: e.names_consented,
            })
            .collect();
        objectives.push(ObjectiveFile {
            scope: scope_code(&o.level),
            ancestor: ancestor_key(conn, o.ancestor_id).await?,
            resource_amounts: store::resources(conn, o.id)
                .await?
                .into_iter()
                .map(|r| AmountFile { source: r.source, eur: super::eur_text(r.amount_cents) })
                .collect(),
            actions: store::actions(conn, o.id)
                .await?
                .into_iter()
                .map(|a| ActionFile {
                    text: a.text,
                    deadline: a.deadline,
                    responsible: a.responsible,
                    partners: a.partners,
                    status: a.status,
                })
                .collect(),
            cross_cutting: answer(&o.cross_cutting, &o.cross_cutting_text),
            sociosanitary: answer(&o.sociosanitary, &o.sociosanitary_text),
            continuity: answer(&o.continuity, &o.continuity_text),
            codesigned: answer(&o.codesigned, &o.codesigned_text),
            rl_areas: split(&o.rl_areas),
            cross_cutting_areas: split(&o.cross_cutting_areas),
            services: split(&o.services),
            code: o.code,
            level: o.level,
            macroarea: o.macroarea,
            title: o.title,
            short_description: o.short_description,
            description: o.description,
            target: o.target,
            resources: o.resources_text,
            staff: o.staff_text,
            needs: o.needs,
            process_intro: o.process_intro,
            output_intro: o.output_intro,
            outcome_narrative: o.outcome_narrative,
            indicators,
            evaluation,
            evidence,
        });
    }
    let values = store::values_of_plan(conn, plan.id).await?;
    let mut rounds = Vec::new();
    for r in store::rounds_of(conn, plan.id).await? {
        let values = values
            .iter()
            .filter(|v| v.round_id == r.id)
            .filter_map(|v| {
                Some(ValueFile {
                    indicator: code_of.get(&v.indicator_id)?.clone(),
                    observed: v.observed.clone(),
                    denominator: v.denominator.clone(),
                    value: v.value.clone(),
                    blank_reason: v.blank_reason.clone(),
                    status: v.status.clone(),
                    source: v.source.clone(),
                    evidence: v.evidence.clone(),
                    comment: v.comment.clone(),
                    entered_by: v.entered_by.clone(),
                    entered_at: v.entered_at.clone(),
                })
            })
            .collect();
        rounds.push(RoundFile {
            number: r.number,
            year: r.year,
            half: r.half,
            status: r.status,
            opened_at: r.opened_at,
            closed_at: r.closed_at,
            closed_by: r.closed_by,
            values,
        });
    }
    Ok(PlanFile {
        format: FORMAT.into(),
        ambito: ambito.code.clone(),
        triennium: plan.triennium,
        title: plan.title,
        status: plan.status,
        start_date: plan.start_date,
        end_date: plan.end_date,
        approval: plan.approval_body.map(|body| ApprovalFile { body, number: plan.approval_number, date: plan.approval_date }),
        previous_triennium: plan.previous_triennium,
        notes: plan.notes,
        macroareas: store::macroareas(conn, plan.id)
            .await?
            .into_iter()
            .map(|m| MacroareaFile { code: m.code, name: m.name, rl_areas: split(&m.rl_areas) })
            .collect(),
        objectives,
        rounds,
    })
}

impl App {
    pub async fn export_plan(&self, ambito_code: &str, triennium: &str) -> Result<PlanFile> {
        let mut conn = self.store.read().await?;
        plan_file(&mut conn, ambito_code, triennium).await
    }

    /// The plan as pretty JSON (UTF-8, trailing newline).
    pub async fn export_plan_json(&self, ambito_code: &str, triennium: &str) -> Result<Vec<u8>> {
        let file = self.export_plan(ambito_code, triennium).await?;
        let mut out = serde_json::to_vec_pretty(&file).map_err(|e| AppError::Internal(format!("plan file: {e}")))?;
        out.push(b'\n');
        Ok(out)
    }

    /// The plan as the workbook of the same format.
    pub async fn export_plan_xlsx(&self, ambito_code: &str, triennium: &str) -> Result<Vec<u8>> {
        let file = self.export_plan(ambito_code, triennium).await?;
        super::xlsx::write(&file).map_err(|e| AppError::Render(ambito_render::RenderError::Xlsx(e)))
    }
}
