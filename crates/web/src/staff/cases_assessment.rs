//! Assessment pages of a case (process B): the list, a new assessment on a form rendered from
//! its definition, one assessment with its score and band, and its correction. The guard has
//! decided access to the person and audited the call; the use cases check the case and the
//! assessment belong to that person and Ambito.

use crate::access::{self, Policy, Routes, Tenant};
use crate::error::{WebError, WebResult};
use crate::views::{Layout, encode_segment};
use ambito_app::App;
use ambito_app::cases::assessment::{AssessmentDetail, AssessmentInput, AssessmentRow, CaseAssessments, FormView, PersonRow};
use ambito_domain::access::Perm;
use ambito_domain::ids::{AmbitoScope, AssessmentId, CaseId, PersonId};
use ambito_domain::scales::form::{FieldError, FormDefinition, ItemKind};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::BTreeMap;

const BASE: &str = "/ambiti/{code}/persone/{person}/casi/{case}/valutazioni";

pub fn routes() -> Routes {
    Routes::new()
        .get(BASE, Policy::Person(Perm::PersonRead), "Valutazioni di un caso", list)
        .post(BASE, Policy::Person(Perm::PersonWrite), "Registra una valutazione", create)
        .get(
            "/ambiti/{code}/persone/{person}/casi/{case}/valutazioni/nuova",
            Policy::Person(Perm::PersonRead),
            "Modulo per una nuova valutazione",
            new_form,
        )
        .get(
            "/ambiti/{code}/persone/{person}/casi/{case}/valutazioni/{assessment}",
            Policy::Person(Perm::PersonRead),
            "Una valutazione, con punteggio e fascia",
            show,
        )
        .post(
            "/ambiti/{code}/persone/{person}/casi/{case}/valutazioni/{assessment}/correzione",
            Policy::Person(Perm::PersonWrite),
            "Corregge una valutazione (nuova versione con motivo)",
            correct,
        )
}

/// The path of a case's pages.
pub(crate) fn case_base(code: &str, person: PersonId, case: CaseId) -> String {
    format!("/ambiti/{}/persone/{person}/casi/{case}", encode_segment(code))
}

pub(crate) fn case_layout(title: &str, ambito: &AmbitoScope, person: &PersonRow, last: Option<(&str, String)>) -> Layout {
    let code = encode_segment(&ambito.code);
    let name = format!("{} {}", person.cognome, person.nome);
    let layout = Layout::new(title)
        .with_ambito(&ambito.code, &ambito.name)
        .crumb("Ambiti", Some("/"))
        .crumb(&ambito.name, Some(&format!("/ambiti/{code}")))
        .crumb("Persone", Some(&format!("/ambiti/{code}/persone")))
        .crumb(&name, Some(&format!("/ambiti/{code}/persone/{}", person.id)));
    match last {
        Some((label, href)) => layout.crumb(label, Some(&href)).crumb(title, None),
        None => layout.crumb(title, None),
    }
}

/// One row of the list, as shown.
pub struct Line {
    pub row: AssessmentRow,
    pub state: &'static str,
}

fn state_of(a: &AssessmentRow) -> &'static str {
    if a.voided_at.is_some() {
        "annullata"
    } else if a.superseded_by.is_some() {
        "corretta"
    } else if a.supersedes.is_some() {
        "in vigore (correzione)"
    } else {
        "in vigore"
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/assessments.html")]
pub struct ListPage {
    pub layout: Layout,
    pub base: String,
    pub case_label: String,
    pub lines: Vec<Line>,
    pub forms: Vec<(i64, String, i64)>,
}

fn case_label(c: &ambito_app::cases::assessment::CaseRow) -> String {
    let service = c.service_code.clone().unwrap_or_else(|| "Servizio sociale professionale".into());
    match &c.closed_on {
        Some(d) => format!("{service}, dal {} al {d}", c.opened_on),
        None => format!("{service}, dal {}", c.opened_on),
    }
}

async fn list(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): Path<(String, PersonId, CaseId)>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let CaseAssessments { person: who, case: row, assessments } = app.case_assessments(p, &ambito, person, case).await?;
    let forms = app.assessment_forms().await?.into_iter().map(|f| (f.id, f.definition.title, f.definition.version)).collect();
    let lines = assessments.into_iter().map(|row| Line { state: state_of(&row), row }).collect();
    let page = ListPage {
        layout: case_layout("Valutazioni", &ambito, &who, None),
        base: case_base(&ambito.code, person, case),
        case_label: case_label(&row),
        lines,
        forms,
    };
    Ok(page.into_response())
}

/// One option of a choice item, as the form shows it.
pub struct OptionView {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// One item of a form, ready for the template (which has no logic beyond the item's kind).
pub struct FieldView {
    pub id: String,
    pub name: String,
    pub label: String,
    /// `radio`, `select`, `checkbox`, `number` or `text`.
    pub widget: &'static str,
    pub required: bool,
    pub options: Vec<OptionView>,
    pub value: String,
    pub min: String,
    pub max: String,
    pub error: Option<String>,
}

fn fields(def: &FormDefinition, answers: &BTreeMap<String, String>, errors: &[FieldError]) -> Vec<FieldView> {
    def.items
        .iter()
        .map(|i| {
            let value = answers.get(&i.id).cloned().unwrap_or_default();
            let chosen: Vec<&str> = value.split(',').map(str::trim).collect();
            let widget = match i.kind {
                ItemKind::SingleChoice if i.options.len() > 5 => "select",
                ItemKind::SingleChoice => "radio",
                ItemKind::MultiChoice => "checkbox",
                ItemKind::Number => "number",
                ItemKind::Text => "text",
            };
            let points =
                |p: Option<i64>| p.filter(|_| def.scale != "sina" && def.scale != "sinba").map(|p| format!(" ({p})")).unwrap_or_default();
            FieldView {
                id: i.id.clone(),
                name: format!("q_{}", i.id),
                label: i.label.clone(),
                widget,
                required: i.required,
                options: i
                    .options
                    .iter()
                    .map(|o| OptionView {
                        value: o.value.clone(),
                        label: format!("{}{}", o.label, points(o.points)),
                        checked: chosen.contains(&o.value.as_str()),
                    })
                    .collect(),
                value,
                min: i.min.map(|v| v.to_string()).unwrap_or_default(),
                max: i.max.map(|v| v.to_string()).unwrap_or_default(),
                error: errors.iter().find(|e| e.item == i.id).map(|e| e.message.clone()),
            }
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/assessment_new.html")]
pub struct NewPage {
    pub layout: Layout,
    pub base: String,
    pub form_id: i64,
    pub title: String,
    pub version: i64,
    pub assessed_on: String,
    pub fields: Vec<FieldView>,
    /// Errors not tied to an item (the case, the date, the form).
    pub general: Vec<String>,
    pub date_error: Option<String>,
    pub errors: usize,
}

impl NewPage {
    fn new(
        ambito: &AmbitoScope,
        who: &PersonRow,
        base: String,
        form: &FormView,
        input: &AssessmentInput,
        errors: &[FieldError],
    ) -> NewPage {
        let def = &form.definition;
        let general = errors.iter().filter(|e| e.item.is_empty() || e.item == "modulo").map(|e| e.message.clone()).collect();
        NewPage {
            layout: case_layout(
                &format!("Nuova valutazione: {}", def.title),
                ambito,
                who,
                Some(("Valutazioni", base.clone() + "/valutazioni")),
            ),
            base,
            form_id: form.id,
            title: def.title.clone(),
            version: def.version,
            assessed_on: input.assessed_on.clone(),
            fields: fields(def, &input.answers, errors),
            general,
            date_error: errors.iter().find(|e| e.item == "assessed_on").map(|e| e.message.clone()),
            errors: errors.len(),
        }
    }
}

#[derive(Deserialize)]
struct Which {
    modulo: Option<i64>,
}

async fn new_form(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): Path<(String, PersonId, CaseId)>,
    Query(q): Query<Which>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let CaseAssessments { person: who, .. } = app.case_assessments(p, &ambito, person, case).await?;
    let form = match q.modulo {
        Some(id) => app.assessment_form(id).await?.filter(|f| f.active),
        None => None,
    }
    .ok_or_else(|| WebError::NotFound("modulo di valutazione non trovato".into()))?;
    let input = AssessmentInput { form_id: form.id, assessed_on: ambito_app::cases::assessment::today_iso(), answers: BTreeMap::new() };
    Ok(NewPage::new(&ambito, &who, case_base(&ambito.code, person, case), &form, &input, &[]).into_response())
}

/// The posted fields: `q_<item>` answers (a repeated key, from checkboxes, joins with commas).
fn read_input(pairs: &[(String, String)]) -> (AssessmentInput, String) {
    let mut input = AssessmentInput::default();
    let mut reason = String::new();
    for (k, v) in pairs {
        match k.as_str() {
            "form_id" => input.form_id = v.trim().parse().unwrap_or(0),
            "assessed_on" => input.assessed_on = v.clone(),
            "motivo" => reason = v.clone(),
            _ => {
                if let Some(item) = k.strip_prefix("q_") {
                    let entry = input.answers.entry(item.to_string()).or_default();
                    if !entry.is_empty() && !v.is_empty() {
                        entry.push(',');
                    }
                    entry.push_str(v);
                }
            }
        }
    }
    (input, reason)
}

async fn create(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): Path<(String, PersonId, CaseId)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let (input, _) = read_input(&pairs);
    let base = case_base(&ambito.code, person, case);
    match app.fill_assessment(p, &ambito, person, case, &input, caller.ip.as_deref()).await? {
        Ok(id) => Ok(Redirect::to(&format!("{base}/valutazioni/{id}")).into_response()),
        Err(errors) => {
            let CaseAssessments { person: who, .. } = app.case_assessments(p, &ambito, person, case).await?;
            // No usable form named: a request no page of ours sends.
            let Some(form) = app.assessment_form(input.form_id).await?.filter(|f| f.active) else {
                return Err(WebError::BadRequest(errors.first().map(|e| e.message.clone()).unwrap_or_default()));
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, NewPage::new(&ambito, &who, base, &form, &input, &errors)).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/assessment.html")]
pub struct ShowPage {
    pub layout: Layout,
    pub base: String,
    pub row: AssessmentRow,
    pub state: &'static str,
    pub version: i64,
    /// (label, answer's label) in the form's order.
    pub answers: Vec<(String, String)>,
    pub earlier: Vec<Line>,
    /// The correction form, prefilled; `None` when this row is not the one in force.
    pub correction: Option<Vec<FieldView>>,
    pub reason: String,
    pub reason_error: Option<String>,
    pub general: Vec<String>,
    pub date_error: Option<String>,
    pub assessed_on: String,
    pub has_errors: bool,
}

impl ShowPage {
    fn new(ambito: &AmbitoScope, base: String, d: AssessmentDetail, retry: Option<(&AssessmentInput, &str, &[FieldError])>) -> ShowPage {
        let def = &d.form.definition;
        let answers = def
            .items
            .iter()
            .filter_map(|i| {
                let v = d.answers.get(&i.id)?;
                let shown = match i.kind {
                    ItemKind::SingleChoice | ItemKind::MultiChoice => v
                        .split(',')
                        .map(|x| i.options.iter().find(|o| o.value == x.trim()).map_or(x.to_string(), |o| o.label.clone()))
                        .collect::<Vec<_>>()
                        .join("; "),
                    _ => v.clone(),
                };
                Some((i.label.clone(), shown))
            })
            .collect();
        let current = d.assessment.superseded_by.is_none() && d.assessment.voided_at.is_none();
        let (input, reason, errors) = match retry {
            Some((i, r, e)) => (i.clone(), r.to_string(), e.to_vec()),
            None => (
                AssessmentInput { form_id: d.form.id, assessed_on: d.assessment.assessed_on.clone(), answers: d.answers.clone() },
                String::new(),
                Vec::new(),
            ),
        };
        let title = format!("{} del {}", d.assessment.form_title, d.assessment.assessed_on);
        ShowPage {
            layout: case_layout(&title, ambito, &d.person, Some(("Valutazioni", base.clone() + "/valutazioni"))),
            base,
            state: state_of(&d.assessment),
            version: d.assessment.form_version,
            answers,
            earlier: d.earlier.into_iter().map(|row| Line { state: state_of(&row), row }).collect(),
            correction: current.then(|| fields(def, &input.answers, &errors)),
            reason,
            reason_error: errors.iter().find(|e| e.item == "motivo").map(|e| e.message.clone()),
            general: errors.iter().filter(|e| e.item.is_empty()).map(|e| e.message.clone()).collect(),
            date_error: errors.iter().find(|e| e.item == "assessed_on").map(|e| e.message.clone()),
            assessed_on: input.assessed_on,
            has_errors: !errors.is_empty(),
            row: d.assessment,
        }
    }
}

async fn show(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case, id)): Path<(String, PersonId, CaseId, AssessmentId)>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let d = app.assessment_detail(p, &ambito, person, case, id).await?;
    Ok(ShowPage::new(&ambito, case_base(&ambito.code, person, case), d, None).into_response())
}

async fn correct(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case, id)): Path<(String, PersonId, CaseId, AssessmentId)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let (input, reason) = read_input(&pairs);
    let base = case_base(&ambito.code, person, case);
    match app.correct_assessment(p, &ambito, person, case, id, &input, &reason, caller.ip.as_deref()).await? {
        Ok(new) => Ok(Redirect::to(&format!("{base}/valutazioni/{new}")).into_response()),
        Err(errors) => {
            let d = app.assessment_detail(p, &ambito, person, case, id).await?;
            let page = ShowPage::new(&ambito, base, d, Some((&input, &reason, &errors)));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
