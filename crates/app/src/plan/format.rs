//! ambito's own plan format (`ambito-piano/1`), documented in `docs/plan-format.md`. One file
//! holds one Ambito's plan for one triennium: the plan, its macroareas, every card the Ambito
//! sees (its own, its Distretto's, its province's) with actions, indicators, the Ambito's
//! evaluation and evidence, and the monitoring rounds with their values. Decimals are strings
//! with a decimal point (`"12.5"`), so no figure passes through a binary float.

use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "ambito-piano/1";

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    pub format: String,
    pub ambito: String,
    pub triennium: String,
    pub title: String,
    /// `draft` | `approved`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<ApprovalFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_triennium: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default)]
    pub macroareas: Vec<MacroareaFile>,
    #[serde(default)]
    pub objectives: Vec<ObjectiveFile>,
    #[serde(default)]
    pub rounds: Vec<RoundFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalFile {
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MacroareaFile {
    pub code: String,
    pub name: String,
    /// Regione Lombardia areas, letters A–J.
    pub rl_areas: Vec<String>,
}

/// A yes/no question of the card with its free-text answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerFile {
    /// `si` | `no` | `parziale`; absent when the text does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmountFile {
    pub source: String,
    /// EUR with a decimal point and at most two decimals.
    pub eur: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveFile {
    pub code: String,
    /// `ambito` | `distretto` | `provincia`.
    pub level: String,
    /// Code of the Ambito, Distretto or ATS that owns the card.
    pub scope: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub macroarea: Option<String>,
    #[serde(default)]
    pub rl_areas: Vec<String>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_amounts: Vec<AmountFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_cutting: Option<AnswerFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cross_cutting_areas: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sociosanitary: Option<AnswerFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuity: Option<AnswerFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codesigned: Option<AnswerFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process_intro: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_intro: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_narrative: Option<String>,
    /// Service codes of the Ambito's catalogue: budgets of these feed the resources match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// `TRIENNIUM/CODE` of the card this one continues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ancestor: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<ActionFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<IndicatorFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<EvaluationFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionFile {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partners: Option<String>,
    /// `planned` | `in_progress` | `done` | `cancelled`.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorFile {
    /// Unique within the file.
    pub code: String,
    pub text: String,
    /// `process` | `output` | `outcome`.
    pub kind: String,
    /// `micro` | `meso` | `macro`.
    pub level: String,
    /// `count` | `percentage` | `change_pct` | `per_1000` | `milestone` | `questionnaire` | `test`.
    pub measure: String,
    /// `up` | `down`.
    pub direction: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_year: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_date: Option<String>,
    /// `semiannual` | `annual` | `end`.
    pub frequency: String,
    /// A core-engine figure (`servizio:SAD:utenti`, `area:Anziani:budget`, `ambito:accessi`);
    /// absent for manual entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Name of one of the Ambito's target populations (for `per_1000`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_population: Option<String>,
    /// What a manual value must be documented with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_note: Option<String>,
    /// `TRIENNIUM/CODE` of the indicator this one continues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ancestor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions_done: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achievement_pct: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achievement_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users_assessment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources_match_pct: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problems: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub improvement_plan: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_need: Option<AnswerFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuity: Option<AnswerFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reproposed: Option<AnswerFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceFile {
    /// `interview` | `focus_group` | `workshop`.
    pub kind: String,
    pub date: String,
    pub participants: i64,
    pub roles: String,
    pub findings: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<String>,
    /// Participants agreed to be named in the findings.
    #[serde(default, skip_serializing_if = "is_false")]
    pub names_consented: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundFile {
    pub number: i64,
    pub year: i64,
    pub half: i64,
    /// `open` | `closed`.
    pub status: String,
    pub opened_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<String>,
    #[serde(default)]
    pub values: Vec<ValueFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueFile {
    pub indicator: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blank_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `manual` | `linked`.
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_at: Option<String>,
}
