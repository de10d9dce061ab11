//! The plan format as an Excel workbook: the same content as the JSON file, one sheet per kind
//! of record (`piano`, `macroaree`, `obiettivi`, `risorse`, `azioni`, `indicatori`,
//! `valutazioni`, `evidenze`, `rilevazioni`, `valori`), one row per record, every cell as text
//! so no figure passes through a binary float. Records refer to their card by its code. Reading
//! keeps each record's sheet and row, so problems found by the checker point at cells.

use super::format::*;
use crate::problems::{Findings, Msg, Problem};
use rust_xlsxwriter::{Format, Workbook};
use std::collections::HashMap;

const PLAN_FIELDS: [&str; 12] = [
    "format",
    "ambito",
    "triennium",
    "title",
    "status",
    "start_date",
    "end_date",
    "approval_body",
    "approval_number",
    "approval_date",
    "previous_triennium",
    "notes",
];
const MACRO: [&str; 3] = ["code", "name", "rl_areas"];
const OBJECTIVE: [&str; 26] = [
    "code",
    "level",
    "scope",
    "macroarea",
    "rl_areas",
    "title",
    "short_description",
    "description",
    "target",
    "resources",
    "staff",
    "cross_cutting",
    "cross_cutting_text",
    "cross_cutting_areas",
    "sociosanitary",
    "sociosanitary_text",
    "continuity",
    "continuity_text",
    "codesigned",
    "codesigned_text",
    "needs",
    "process_intro",
    "output_intro",
    "outcome_narrative",
    "services",
    "ancestor",
];
const RESOURCE: [&str; 3] = ["objective", "source", "eur"];
const ACTION: [&str; 6] = ["objective", "text", "deadline", "responsible", "partners", "status"];
const INDICATOR: [&str; 16] = [
    "objective",
    "code",
    "text",
    "kind",
    "level",
    "measure",
    "direction",
    "baseline",
    "baseline_year",
    "target",
    "target_date",
    "frequency",
    "link",
    "target_population",
    "evidence_note",
    "ancestor",
];
const EVALUATION: [&str; 15] = [
    "objective",
    "actions_done",
    "achievement_pct",
    "achievement_note",
    "users_assessment",
    "resources_match_pct",
    "resources_note",
    "problems",
    "improvement_plan",
    "answered_need",
    "answered_need_text",
    "continuity",
    "continuity_text",
    "reproposed",
    "reproposed_text",
];
const EVIDENCE: [&str; 9] = ["objective", "kind", "date", "participants", "roles", "findings", "quotes", "attachments", "names_consented"];
const ROUND: [&str; 7] = ["number", "year", "half", "status", "opened_at", "closed_at", "closed_by"];
const VALUE: [&str; 12] = [
    "round",
    "indicator",
    "observed",
    "denominator",
    "value",
    "blank_reason",
    "status",
    "source",
    "evidence",
    "comment",
    "entered_by",
    "entered_at",
];

fn o(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn ans(a: &Option<AnswerFile>) -> (String, String) {
    a.as_ref().map(|a| (o(&a.answer), o(&a.text))).unwrap_or_default()
}

/// The plan file as a workbook.
pub fn write(p: &PlanFile) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let mut sheet = |name: &str, header: &[&str], rows: Vec<Vec<String>>| -> Result<(), rust_xlsxwriter::XlsxError> {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string((r + 1) as u32, c as u16, v)?;
                }
            }
        }
        Ok(())
    };
    let approval = p.approval.clone().unwrap_or_default();
    let plan_values = [
        p.format.clone(),
        p.ambito.clone(),
        p.triennium.clone(),
        p.title.clone(),
        p.status.clone(),
        o(&p.start_date),
        o(&p.end_date),
        if p.approval.is_some() { approval.body.clone() } else { String::new() },
        o(&approval.number),
        o(&approval.date),
        o(&p.previous_triennium),
        o(&p.notes),
    ];
    sheet("piano", &["campo", "valore"], PLAN_FIELDS.iter().zip(plan_values).map(|(k, v)| vec![k.to_string(), v]).collect())?;
    sheet("macroaree", &MACRO, p.macroareas.iter().map(|m| vec![m.code.clone(), m.name.clone(), m.rl_areas.join(",")]).collect())?;
    let (mut objectives, mut resources, mut actions, mut indicators, mut evaluations, mut evidence) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for ob in &p.objectives {
        let (cc, cct) = ans(&ob.cross_cutting);
        let (ss, sst) = ans(&ob.sociosanitary);
        let (co, cot) = ans(&ob.continuity);
        let (cd, cdt) = ans(&ob.codesigned);
        objectives.push(vec![
            ob.code.clone(),
            ob.level.clone(),
            ob.scope.clone(),
            o(&ob.macroarea),
            ob.rl_areas.join(","),
            ob.title.clone(),
            o(&ob.short_description),
            o(&ob.description),
            o(&ob.target),
            o(&ob.resources),
            o(&ob.staff),
            cc,
            cct,
            ob.cross_cutting_areas.join(","),
            ss,
            sst,
            co,
            cot,
            cd,
            cdt,
            o(&ob.needs),
            o(&ob.process_intro),
            o(&ob.output_intro),
            o(&ob.outcome_narrative),
            ob.services.join(","),
            o(&ob.ancestor),
        ]);
        for a in &ob.resource_amounts {
            resources.push(vec![ob.code.clone(), a.source.clone(), a.eur.clone()]);
        }
        for a in &ob.actions {
            actions.push(vec![ob.code.clone(), a.text.clone(), o(&a.deadline), o(&a.responsible), o(&a.partners), a.status.clone()]);
        }
        for i in &ob.indicators {
            indicators.push(vec![
                ob.code.clone(),
                i.code.clone(),
                i.text.clone(),
                i.kind.clone(),
                i.level.clone(),
                i.measure.clone(),
                i.direction.clone(),
                o(&i.baseline),
                i.baseline_year.map(|y| y.to_string()).unwrap_or_default(),
                o(&i.target),
                o(&i.target_date),
                i.frequency.clone(),
                o(&i.link),
                o(&i.target_population),
                o(&i.evidence_note),
                o(&i.ancestor),
            ]);
        }
        if let Some(e) = &ob.evaluation {
            let (an, ant) = ans(&e.answered_need);
            let (co, cot) = ans(&e.continuity);
            let (rp, rpt) = ans(&e.reproposed);
            evaluations.push(vec![
                ob.code.clone(),
                o(&e.actions_done),
                o(&e.achievement_pct),
                o(&e.achievement_note),
                o(&e.users_assessment),
                o(&e.resources_match_pct),
                o(&e.resources_note),
                o(&e.problems),
                o(&e.improvement_plan),
                an,
                ant,
                co,
                cot,
                rp,
                rpt,
            ]);
        }
        for e in &ob.evidence {
            evidence.push(vec![
                ob.code.clone(),
                e.kind.clone(),
                e.date.clone(),
                e.participants.to_string(),
                e.roles.clone(),
                e.findings.clone(),
                e.quotes.join("\n"),
                o(&e.attachments),
                if e.names_consented { "si".into() } else { "no".into() },
            ]);
        }
    }
    sheet("obiettivi", &OBJECTIVE, objectives)?;
    sheet("risorse", &RESOURCE, resources)?;
    sheet("azioni", &ACTION, actions)?;
    sheet("indicatori", &INDICATOR, indicators)?;
    sheet("valutazioni", &EVALUATION, evaluations)?;
    sheet("evidenze", &EVIDENCE, evidence)?;
    sheet(
        "rilevazioni",
        &ROUND,
        p.rounds
            .iter()
            .map(|r| {
                vec![
                    r.number.to_string(),
                    r.year.to_string(),
                    r.half.to_string(),
                    r.status.clone(),
                    r.opened_at.clone(),
                    o(&r.closed_at),
                    o(&r.closed_by),
                ]
            })
            .collect(),
    )?;
    let mut values = vec![];
    for r in &p.rounds {
        for v in &r.values {
            values.push(vec![
                r.number.to_string(),
                v.indicator.clone(),
                o(&v.observed),
                o(&v.denominator),
                o(&v.value),
                o(&v.blank_reason),
                o(&v.status),
                v.source.clone(),
                o(&v.evidence),
                o(&v.comment),
                o(&v.entered_by),
                o(&v.entered_at),
            ]);
        }
    }
    sheet("valori", &VALUE, values)?;
    wb.save_to_buffer()
}

/// Rows of one sheet as maps from column name to text, with their line numbers.
struct SheetRows {
    name: &'static str,
    rows: Vec<(usize, HashMap<String, String>)>,
}

impl SheetRows {
    fn get<'a>(row: &'a HashMap<String, String>, k: &str) -> &'a str {
        row.get(k).map(String::as_str).unwrap_or("")
    }
}

fn opt(row: &HashMap<String, String>, k: &str) -> Option<String> {
    Some(SheetRows::get(row, k).to_string()).filter(|s| !s.is_empty())
}

fn list(row: &HashMap<String, String>, k: &str) -> Vec<String> {
    super::split(SheetRows::get(row, k))
}

fn answer(row: &HashMap<String, String>, a: &str, t: &str) -> Option<AnswerFile> {
    let (answer, text) = (opt(row, a), opt(row, t));
    (answer.is_some() || text.is_some()).then_some(AnswerFile { answer, text })
}

/// Where each record of the file came from: path prefix in the JSON structure → (sheet, line).
#[derive(Debug, Default)]
pub struct Locations(Vec<(String, &'static str, usize)>);

impl Locations {
    /// Rewrites the checker's path-located problems to sheet, line and column.
    pub fn relocate(&self, file: &str, f: &mut Findings) {
        for p in f.errors.iter_mut().chain(f.warnings.iter_mut()) {
            let Some(path) = p.column.clone() else { continue };
            let best = self.0.iter().filter(|(prefix, _, _)| path.starts_with(prefix.as_str())).max_by_key(|(prefix, _, _)| prefix.len());
            if let Some((prefix, sheet, line)) = best {
                let field = path[prefix.len()..].trim_start_matches('.');
                let field = field.split(['.', '[']).next().unwrap_or(field);
                let field = if *sheet == "piano" { "valore" } else { field };
                *p = Problem {
                    file: format!("{file} [{sheet}]"),
                    line: Some(*line),
                    column: Some(field.to_string()),
                    message: p.message.clone(),
                };
            }
        }
    }
}

/// Reads a plan workbook. Problems of structure (missing sheets or columns, unknown card codes)
/// are reported here with sheet and line.
pub fn read(file: &str, bytes: &[u8], f: &mut Findings) -> Option<(PlanFile, Locations)> {
    let mut wb = crate::intake::spreadsheet::Workbook::open(file, bytes, f)?;
    let names = wb.sheet_names();
    let mut load = |name: &'static str, columns: &[&str]| -> Option<SheetRows> {
        let place = format!("{file} [{name}]");
        if !names.iter().any(|n| n == name) {
            f.error(file, None, None, Msg::new(format!("manca il foglio «{name}»"), format!("missing sheet «{name}»")));
            return None;
        }
        let sheet = wb.sheet(name, &place, f)?;
        let header = sheet.header;
        for c in columns {
            if !header.iter().any(|h| h == c) {
                f.error(&place, Some(1), Some(c), Msg::new(format!("manca la colonna «{c}»"), format!("missing column «{c}»")));
            }
        }
        for h in header.iter().filter(|h| !h.is_empty() && !columns.contains(&h.as_str())) {
            f.error(&place, Some(1), Some(h), Msg::new(format!("colonna sconosciuta «{h}»"), format!("unknown column «{h}»")));
        }
        let out = sheet
            .rows
            .into_iter()
            .map(|(line, cells)| (line, header.iter().cloned().zip(cells).collect::<HashMap<_, _>>()))
            .filter(|(_, m)| m.values().any(|v| !v.trim().is_empty()))
            .collect();
        Some(SheetRows { name, rows: out })
    };
    let sheets = [
        load("piano", &["campo", "valore"]),
        load("macroaree", &MACRO),
        load("obiettivi", &OBJECTIVE),
        load("risorse", &RESOURCE),
        load("azioni", &ACTION),
        load("indicatori", &INDICATOR),
        load("valutazioni", &EVALUATION),
        load("evidenze", &EVIDENCE),
        load("rilevazioni", &ROUND),
        load("valori", &VALUE),
    ];
    if f.has_errors() {
        return None;
    }
    let [Some(plan), Some(macros), Some(objs), Some(res), Some(acts), Some(inds), Some(evals), Some(evid), Some(rounds), Some(vals)] =
        sheets
    else {
        return None;
    };
    let mut loc = Locations::default();
    let field = |k: &str| plan.rows.iter().find(|(_, r)| SheetRows::get(r, "campo") == k).and_then(|(_, r)| opt(r, "valore"));
    let approval = field("approval_body").map(|body| ApprovalFile { body, number: field("approval_number"), date: field("approval_date") });
    let mut p = PlanFile {
        format: field("format").unwrap_or_default(),
        ambito: field("ambito").unwrap_or_default(),
        triennium: field("triennium").unwrap_or_default(),
        title: field("title").unwrap_or_default(),
        status: field("status").unwrap_or_default(),
        start_date: field("start_date"),
        end_date: field("end_date"),
        approval,
        previous_triennium: field("previous_triennium"),
        notes: field("notes"),
        ..PlanFile::default()
    };
    for (line, r) in &plan.rows {
        let prefix = match SheetRows::get(r, "campo") {
            "approval_body" => "approval.body",
            "approval_number" => "approval.number",
            "approval_date" => "approval.date",
            other => other,
        };
        loc.0.push((prefix.to_string(), plan.name, *line));
    }
    for (i, (line, r)) in macros.rows.iter().enumerate() {
        loc.0.push((format!("macroareas[{i}]"), macros.name, *line));
        p.macroareas.push(MacroareaFile {
            code: SheetRows::get(r, "code").into(),
            name: SheetRows::get(r, "name").into(),
            rl_areas: list(r, "rl_areas"),
        });
    }
    let mut index: HashMap<String, usize> = HashMap::new();
    for (i, (line, r)) in objs.rows.iter().enumerate() {
        loc.0.push((format!("objectives[{i}]"), objs.name, *line));
        let code = SheetRows::get(r, "code").to_string();
        if index.insert(code.clone(), i).is_some() {
            f.error(
                &format!("{file} [{}]", objs.name),
                Some(*line),
                Some("code"),
                Msg::new(format!("scheda «{code}» ripetuta"), format!("card «{code}» repeated")),
            );
        }
        p.objectives.push(ObjectiveFile {
            code,
            level: SheetRows::get(r, "level").into(),
            scope: SheetRows::get(r, "scope").into(),
            macroarea: opt(r, "macroarea"),
            rl_areas: list(r, "rl_areas"),
            title: SheetRows::get(r, "title").into(),
            short_description: opt(r, "short_description"),
            description: opt(r, "description"),
            target: opt(r, "target"),
            resources: opt(r, "resources"),
            staff: opt(r, "staff"),
            cross_cutting: answer(r, "cross_cutting", "cross_cutting_text"),
            cross_cutting_areas: list(r, "cross_cutting_areas"),
            sociosanitary: answer(r, "sociosanitary", "sociosanitary_text"),
            continuity: answer(r, "continuity", "continuity_text"),
            codesigned: answer(r, "codesigned", "codesigned_text"),
            needs: opt(r, "needs"),
            process_intro: opt(r, "process_intro"),
            output_intro: opt(r, "output_intro"),
            outcome_narrative: opt(r, "outcome_narrative"),
            services: list(r, "services"),
            ancestor: opt(r, "ancestor"),
            ..ObjectiveFile::default()
        });
    }
    // Records of a card: find the card, note where the record came from.
    let owner = |sheet: &SheetRows, line: usize, r: &HashMap<String, String>, f: &mut Findings| -> Option<usize> {
        let code = SheetRows::get(r, "objective");
        let found = index.get(code).copied();
        if found.is_none() {
            f.error(
                &format!("{file} [{}]", sheet.name),
                Some(line),
                Some("objective"),
                Msg::new(format!("scheda «{code}» inesistente nel foglio obiettivi"), format!("no card «{code}»")),
            );
        }
        found
    };
    for (line, r) in &res.rows {
        if let Some(k) = owner(&res, *line, r, f) {
            let j = p.objectives[k].resource_amounts.len();
            loc.0.push((format!("objectives[{k}].resource_amounts[{j}]"), res.name, *line));
            p.objectives[k]
                .resource_amounts
                .push(AmountFile { source: SheetRows::get(r, "source").into(), eur: SheetRows::get(r, "eur").into() });
        }
    }
    for (line, r) in &acts.rows {
        if let Some(k) = owner(&acts, *line, r, f) {
            let j = p.objectives[k].actions.len();
            loc.0.push((format!("objectives[{k}].actions[{j}]"), acts.name, *line));
            p.objectives[k].actions.push(ActionFile {
                text: SheetRows::get(r, "text").into(),
                deadline: opt(r, "deadline"),
                responsible: opt(r, "responsible"),
                partners: opt(r, "partners"),
                status: SheetRows::get(r, "status").into(),
            });
        }
    }
    for (line, r) in &inds.rows {
        if let Some(k) = owner(&inds, *line, r, f) {
            let j = p.objectives[k].indicators.len();
            loc.0.push((format!("objectives[{k}].indicators[{j}]"), inds.name, *line));
            let year = opt(r, "baseline_year");
            let baseline_year = year.as_ref().and_then(|y| y.parse::<i64>().ok());
            if year.is_some() && baseline_year.is_none() {
                f.error(
                    &format!("{file} [{}]", inds.name),
                    Some(*line),
                    Some("baseline_year"),
                    Msg::new("anno non valido", "invalid year"),
                );
            }
            p.objectives[k].indicators.push(IndicatorFile {
                code: SheetRows::get(r, "code").into(),
                text: SheetRows::get(r, "text").into(),
                kind: SheetRows::get(r, "kind").into(),
                level: SheetRows::get(r, "level").into(),
                measure: SheetRows::get(r, "measure").into(),
                direction: SheetRows::get(r, "direction").into(),
                baseline: opt(r, "baseline"),
                baseline_year,
                target: opt(r, "target"),
                target_date: opt(r, "target_date"),
                frequency: SheetRows::get(r, "frequency").into(),
                link: opt(r, "link"),
                target_population: opt(r, "target_population"),
                evidence_note: opt(r, "evidence_note"),
                ancestor: opt(r, "ancestor"),
            });
        }
    }
    for (line, r) in &evals.rows {
        if let Some(k) = owner(&evals, *line, r, f) {
            loc.0.push((format!("objectives[{k}].evaluation"), evals.name, *line));
            p.objectives[k].evaluation = Some(EvaluationFile {
                actions_done: opt(r, "actions_done"),
                achievement_pct: opt(r, "achievement_pct"),
                achievement_note: opt(r, "achievement_note"),
                users_assessment: opt(r, "users_assessment"),
                resources_match_pct: opt(r, "resources_match_pct"),
                resources_note: opt(r, "resources_note"),
                problems: opt(r, "problems"),
                improvement_plan: opt(r, "improvement_plan"),
                answered_need: answer(r, "answered_need", "answered_need_text"),
                continuity: answer(r, "continuity", "continuity_text"),
                reproposed: answer(r, "reproposed", "reproposed_text"),
            });
        }
    }
    for (line, r) in &evid.rows {
        if let Some(k) = owner(&evid, *line, r, f) {
            let j = p.objectives[k].evidence.len();
            loc.0.push((format!("objectives[{k}].evidence[{j}]"), evid.name, *line));
            let participants = SheetRows::get(r, "participants").parse::<i64>().unwrap_or_else(|_| {
                f.error(
                    &format!("{file} [{}]", evid.name),
                    Some(*line),
                    Some("participants"),
                    Msg::new("numero non valido", "invalid number"),
                );
                0
            });
            p.objectives[k].evidence.push(EvidenceFile {
                kind: SheetRows::get(r, "kind").into(),
                date: SheetRows::get(r, "date").into(),
                participants,
                roles: SheetRows::get(r, "roles").into(),
                findings: SheetRows::get(r, "findings").into(),
                quotes: SheetRows::get(r, "quotes").lines().map(String::from).filter(|q| !q.is_empty()).collect(),
                attachments: opt(r, "attachments"),
                names_consented: SheetRows::get(r, "names_consented") == "si",
            });
        }
    }
    let int = |f: &mut Findings, sheet: &str, line: usize, k: &str, v: &str| -> i64 {
        v.parse().unwrap_or_else(|_| {
            f.error(
                &format!("{file} [{sheet}]"),
                Some(line),
                Some(k),
                Msg::new(format!("numero intero atteso: «{v}»"), format!("whole number expected: «{v}»")),
            );
            0
        })
    };
    for (i, (line, r)) in rounds.rows.iter().enumerate() {
        loc.0.push((format!("rounds[{i}]"), rounds.name, *line));
        p.rounds.push(RoundFile {
            number: int(f, rounds.name, *line, "number", SheetRows::get(r, "number")),
            year: int(f, rounds.name, *line, "year", SheetRows::get(r, "year")),
            half: int(f, rounds.name, *line, "half", SheetRows::get(r, "half")),
            status: SheetRows::get(r, "status").into(),
            opened_at: SheetRows::get(r, "opened_at").into(),
            closed_at: opt(r, "closed_at"),
            closed_by: opt(r, "closed_by"),
            values: vec![],
        });
    }
    for (line, r) in &vals.rows {
        let number = int(f, vals.name, *line, "round", SheetRows::get(r, "round"));
        let Some(k) = p.rounds.iter().position(|x| x.number == number) else {
            f.error(
                &format!("{file} [{}]", vals.name),
                Some(*line),
                Some("round"),
                Msg::new(format!("rilevazione {number} inesistente"), format!("no round {number}")),
            );
            continue;
        };
        let j = p.rounds[k].values.len();
        loc.0.push((format!("rounds[{k}].values[{j}]"), vals.name, *line));
        p.rounds[k].values.push(ValueFile {
            indicator: SheetRows::get(r, "indicator").into(),
            observed: opt(r, "observed"),
            denominator: opt(r, "denominator"),
            value: opt(r, "value"),
            blank_reason: opt(r, "blank_reason"),
            status: opt(r, "status"),
            source: SheetRows::get(r, "source").into(),
            evidence: opt(r, "evidence"),
            comment: opt(r, "comment"),
            entered_by: opt(r, "entered_by"),
            entered_at: opt(r, "entered_at"),
        });
    }
    if f.has_errors() {
        return None;
    }
    Some((p, loc))
}
