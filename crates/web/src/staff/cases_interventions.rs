//! A case's interventions (process D): the list with planned against delivered, one
//! intervention with its months, versions and suspensions, and the forms that add, correct,
//! suspend, resume and end one. The guard has decided access (`Policy::Person`); the application
//! re-checks that the case and the intervention in the path are this person's in this Ambito.

use crate::access::{self, Policy, Routes, Tenant};
use crate::error::{WebError, WebResult};
use crate::views::{Layout, encode_segment};
use ambito_app::App;
use ambito_app::cases::interventions::{InterventionDetail, InterventionItem, InterventionsView};
use ambito_domain::access::Perm;
use ambito_domain::fixed::money_from_units;
use ambito_domain::format::{it_euro, it_number};
use ambito_domain::ids::{AmbitoScope, CaseId, InterventionId, PersonId};
use ambito_domain::interventions::{FieldError, InterventionForm, Kind, KindData, Periodicity, Unit};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rust_decimal::Decimal;
use serde::Deserialize;

const LIST: &str = "/ambiti/{code}/persone/{person}/casi/{case}/interventi";
const ONE: &str = "/ambiti/{code}/persone/{person}/casi/{case}/interventi/{intervention}";

pub fn routes() -> Routes {
    Routes::new()
        .get(LIST, Policy::Person(Perm::PersonRead), "Interventi del caso, previsto ed erogato", list)
        .post(LIST, Policy::Person(Perm::PersonWrite), "Nuovo intervento del caso", add)
        .get(ONE, Policy::Person(Perm::PersonRead), "Intervento: mesi, versioni e sospensioni", detail)
        .post(ONE, Policy::Person(Perm::PersonWrite), "Correzione dell'intervento (nuova versione)", correct)
        .post(
            "/ambiti/{code}/persone/{person}/casi/{case}/interventi/{intervention}/sospensione",
            Policy::Person(Perm::PersonWrite),
            "Sospende l'intervento",
            suspend,
        )
        .post(
            "/ambiti/{code}/persone/{person}/casi/{case}/interventi/{intervention}/ripresa",
            Policy::Person(Perm::PersonWrite),
            "Riprende l'intervento sospeso",
            resume,
        )
        .post(
            "/ambiti/{code}/persone/{person}/casi/{case}/interventi/{intervention}/conclusione",
            Policy::Person(Perm::PersonWrite),
            "Conclude l'intervento",
            end,
        )
}

pub(crate) fn case_base(code: &str, person: PersonId, case: CaseId) -> String {
    format!("/ambiti/{}/persone/{person}/casi/{case}", encode_segment(code))
}

/// Money in cents as the pages show it.
fn euro(cents: i64) -> String {
    it_euro(money_from_units(cents))
}

/// A quantity with the decimals it has (at most two): 10, 4,5, 14,52. Blank stays blank.
fn qty(v: Option<Decimal>) -> String {
    v.map(|d| {
        let d = d.normalize();
        it_number(d, d.scale().min(2))
    })
    .unwrap_or_default()
}

/// One month of the plan as shown: blanks stay blank.
pub struct MonthView {
    pub month: String,
    pub planned: String,
    pub delivered: String,
    pub difference: String,
    pub short: bool,
    pub suspended_days: i64,
}

/// One intervention as shown.
pub struct ItemView {
    pub id: i64,
    pub href: String,
    pub kind: &'static str,
    pub service: String,
    pub start: String,
    pub end: String,
    pub planned: String,
    pub unit: &'static str,
    pub provider: String,
    pub amount: String,
    pub shares: Vec<(&'static str, String)>,
    pub details: Vec<(&'static str, String)>,
    pub funding: String,
    pub suspended: bool,
    pub visible: bool,
    pub months: Vec<MonthView>,
    pub suspensions: Vec<(String, String, String)>,
    pub version: i64,
}

fn item_view(base: &str, i: &InterventionItem) -> ItemView {
    let r = &i.row;
    let unit = Unit::from_code(&r.unit).map_or("", Unit::label);
    let mut details = Vec::new();
    match &i.data {
        Some(KindData::Contributo { periodicita }) => details.push(("Periodicità", periodicita.label().to_string())),
        Some(KindData::Inserimento { struttura, retta_giornaliera_cents }) => {
            details.push(("Struttura", struttura.clone()));
            details.push(("Retta giornaliera", euro(*retta_giornaliera_cents)));
        }
        Some(KindData::Voucher { valore_cents, numero }) => {
            details.push(("Valore del voucher", euro(*valore_cents)));
            details.push(("Numero di voucher", numero.to_string()));
        }
        Some(KindData::Pasti { pasti_settimana }) => details.push(("Pasti alla settimana", pasti_settimana.to_string())),
        Some(KindData::Servizio) | None => {}
    }
    ItemView {
        id: r.series_id,
        href: format!("{base}/interventi/{}", r.series_id),
        kind: i.kind_label,
        service: format!("{} · {}", r.service_code, r.service_name),
        start: r.start_on.clone(),
        end: r.end_on.clone().unwrap_or_default(),
        planned: r.planned_per_month.as_deref().and_then(|p| p.parse().ok()).map(|d| qty(Some(d))).unwrap_or_default(),
        unit,
        provider: r.provider.clone().unwrap_or_default(),
        amount: r.amount_cents.map(euro).unwrap_or_default(),
        shares: vec![
            ("Ambito", euro(r.share_ambito_cents)),
            ("Utente", euro(r.share_user_cents)),
            ("SSN/ASST", euro(r.share_health_cents)),
            ("Altri", euro(r.share_other_cents)),
        ],
        details,
        funding: r.funding_line.clone().unwrap_or_default(),
        suspended: i.suspended,
        visible: r.visible_to_citizen == 1,
        months: i
            .months
            .iter()
            .map(|m| MonthView {
                month: m.month.clone(),
                planned: qty(m.planned),
                delivered: qty(Some(m.delivered)),
                difference: qty(m.difference),
                short: m.difference.is_some_and(|d| d < Decimal::ZERO),
                suspended_days: m.suspended_days,
            })
            .collect(),
        suspensions: i.suspensions.iter().map(|s| (s.from_on.clone(), s.to_on.clone().unwrap_or_default(), s.reason.clone())).collect(),
        version: r.version,
    }
}

/// One text or date input of the form, with its value and its error.
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub value: String,
    pub error: String,
}

/// The inputs of the intervention form, in three groups.
pub struct Fields {
    pub main: Vec<Field>,
    pub costs: Vec<Field>,
    pub extras: Vec<Field>,
}

fn fields(f: &InterventionForm, errors: &[FieldError]) -> Fields {
    let field = |name: &'static str, label: &'static str, kind: &'static str, value: &str| Field {
        name,
        label,
        kind,
        value: value.to_string(),
        error: field_error(errors, name),
    };
    Fields {
        main: vec![
            field("inizio", "Inizio", "date", &f.inizio),
            field("fine", "Fine (facoltativa)", "date", &f.fine),
            field("quantita_mese", "Quantità prevista al mese", "text", &f.quantita_mese),
            field("ente", "Ente erogatore", "text", &f.ente),
        ],
        costs: vec![
            field("importo", "Importo (misure economiche)", "text", &f.importo),
            field("quota_ambito", "Quota Ambito", "text", &f.quota_ambito),
            field("quota_utente", "Quota utente", "text", &f.quota_utente),
            field("quota_sanitaria", "Quota SSN/ASST", "text", &f.quota_sanitaria),
            field("quota_altri", "Quota altri", "text", &f.quota_altri),
        ],
        extras: vec![
            field("fonte", "Linea di finanziamento", "text", &f.fonte),
            field("struttura", "Struttura (inserimenti)", "text", &f.struttura),
            field("retta", "Retta giornaliera in euro (inserimenti)", "text", &f.retta),
            field("valore_voucher", "Valore del voucher in euro", "text", &f.valore_voucher),
            field("numero_voucher", "Numero di voucher", "text", &f.numero_voucher),
            field("pasti_settimana", "Pasti alla settimana", "text", &f.pasti_settimana),
        ],
    }
}

/// The form's choices, shared by the new and the correction form.
pub struct Choices {
    pub kinds: Vec<(&'static str, &'static str)>,
    pub periodicities: Vec<(&'static str, &'static str)>,
    pub units: Vec<(&'static str, &'static str)>,
    pub services: Vec<(String, String)>,
}

fn choices(services: &[(i64, String, String)]) -> Choices {
    Choices {
        kinds: Kind::options(),
        periodicities: Periodicity::options(),
        units: Unit::options(),
        services: services.iter().map(|(id, code, name)| (id.to_string(), format!("{code} · {name}"))).collect(),
    }
}

fn layout(title: &str, ambito: &AmbitoScope, person_name: &str, person: PersonId) -> Layout {
    let code = encode_segment(&ambito.code);
    Layout::new(title)
        .with_ambito(&ambito.code, &ambito.name)
        .crumb("Ambiti", Some("/"))
        .crumb(&ambito.name, Some(&format!("/ambiti/{code}")))
        .crumb("Persone", Some(&format!("/ambiti/{code}/persone")))
        .crumb(person_name, Some(&format!("/ambiti/{code}/persone/{person}")))
        .crumb(title, None)
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/interventions.html")]
pub struct ListPage {
    pub layout: Layout,
    pub base: String,
    pub person_name: String,
    pub case_label: String,
    pub items: Vec<ItemView>,
    pub choices: Choices,
    pub fields: Fields,
    pub form: InterventionForm,
    pub errors: Vec<FieldError>,
}

impl ListPage {
    fn new(ambito: &AmbitoScope, person: PersonId, view: &InterventionsView, form: InterventionForm, errors: Vec<FieldError>) -> ListPage {
        let person_name = format!("{} {}", view.scope_person.cognome, view.scope_person.nome);
        let base = case_base(&ambito.code, person, CaseId(view.case.id));
        ListPage {
            layout: layout("Interventi", ambito, &person_name, person),
            items: view.items.iter().map(|i| item_view(&base, i)).collect(),
            base,
            person_name,
            case_label: case_label(&view.case),
            choices: choices(&view.services),
            fields: fields(&form, &errors),
            form,
            errors,
        }
    }

    pub fn err(&self, field: &str) -> String {
        field_error(&self.errors, field)
    }

    pub fn selected(&self, field: &str, value: &str) -> bool {
        form_value(&self.form, field) == value
    }
}

pub(crate) fn field_error(errors: &[FieldError], field: &str) -> String {
    errors.iter().filter(|e| e.field == field).map(|e| e.message.as_str()).collect::<Vec<_>>().join("; ")
}

fn form_value<'a>(f: &'a InterventionForm, field: &str) -> &'a str {
    match field {
        "tipo" => &f.tipo,
        "servizio" => &f.servizio,
        "unita" => &f.unita,
        "periodicita" => &f.periodicita,
        _ => "",
    }
}

pub(crate) fn case_label(c: &ambito_app::cases::interventions::CaseRow) -> String {
    let service = c.service_code.clone().unwrap_or_else(|| "Servizio sociale professionale".into());
    match &c.closed_on {
        Some(d) => format!("{service}, dal {} al {d}", c.opened_on),
        None => format!("{service}, dal {}", c.opened_on),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "cases/intervention.html")]
pub struct DetailPage {
    pub layout: Layout,
    pub base: String,
    pub item: ItemView,
    pub versions: Vec<(i64, String, String, String, String)>,
    pub choices: Choices,
    pub fields: Fields,
    pub form: InterventionForm,
    pub errors: Vec<FieldError>,
    /// Which form the errors belong to: correzione, sospensione, ripresa, conclusione.
    pub failed: &'static str,
}

impl DetailPage {
    pub fn err(&self, field: &str) -> String {
        field_error(&self.errors, field)
    }

    pub fn selected(&self, field: &str, value: &str) -> bool {
        form_value(&self.form, field) == value
    }
}

/// The correction form starts from the current version.
fn form_of(d: &InterventionDetail) -> InterventionForm {
    let r = &d.item.row;
    let cents = |c: i64| it_number(money_from_units(c), 2);
    let mut f = InterventionForm {
        tipo: r.kind.clone(),
        servizio: r.service_id.to_string(),
        inizio: r.start_on.clone(),
        fine: r.end_on.clone().unwrap_or_default(),
        quantita_mese: r.planned_per_month.as_deref().and_then(|p| p.parse().ok()).map(|d| qty(Some(d))).unwrap_or_default(),
        unita: r.unit.clone(),
        ente: r.provider.clone().unwrap_or_default(),
        quota_ambito: cents(r.share_ambito_cents),
        quota_utente: cents(r.share_user_cents),
        quota_sanitaria: cents(r.share_health_cents),
        quota_altri: cents(r.share_other_cents),
        importo: r.amount_cents.map(cents).unwrap_or_default(),
        periodicita: r.periodicity.clone().unwrap_or_default(),
        fonte: r.funding_line.clone().unwrap_or_default(),
        visibile: (r.visible_to_citizen == 1).then(|| "1".into()),
        ..InterventionForm::default()
    };
    match &d.item.data {
        Some(KindData::Inserimento { struttura, retta_giornaliera_cents }) => {
            f.struttura = struttura.clone();
            f.retta = cents(*retta_giornaliera_cents);
        }
        Some(KindData::Voucher { valore_cents, numero }) => {
            f.valore_voucher = cents(*valore_cents);
            f.numero_voucher = numero.to_string();
        }
        Some(KindData::Pasti { pasti_settimana }) => f.pasti_settimana = pasti_settimana.to_string(),
        _ => {}
    }
    f
}

async fn detail_page(
    app: &App,
    ambito: &AmbitoScope,
    person: PersonId,
    case: CaseId,
    intervention: InterventionId,
    posted: Option<(InterventionForm, Vec<FieldError>, &'static str)>,
) -> WebResult<DetailPage> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let d = app.intervention_detail(p, ambito, person, case, intervention).await?;
    let list = app.case_interventions(p, ambito, person, case).await?;
    let base = case_base(&ambito.code, person, case);
    let person_name = format!("{} {}", list.scope_person.cognome, list.scope_person.nome);
    let item = item_view(&base, &d.item);
    let title = format!("{} · {}", item.kind, item.service);
    let (form, errors, failed) = posted.unwrap_or_else(|| (form_of(&d), Vec::new(), ""));
    Ok(DetailPage {
        layout: layout(&title, ambito, &person_name, person),
        base,
        versions: d
            .versions
            .iter()
            .map(|v| {
                (
                    v.version,
                    v.created_at.clone(),
                    v.created_by_name.clone().unwrap_or_default(),
                    v.change_reason.clone().unwrap_or_default(),
                    format!("{} → {}", v.start_on, v.end_on.clone().unwrap_or_default()),
                )
            })
            .collect(),
        item,
        choices: choices(&list.services),
        fields: fields(&form, &errors),
        form,
        errors,
        failed,
    })
}

async fn list(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): Path<(String, PersonId, CaseId)>,
) -> WebResult<ListPage> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let view = app.case_interventions(p, &ambito, person, case).await?;
    let form = InterventionForm { tipo: "servizio".into(), ..InterventionForm::default() };
    Ok(ListPage::new(&ambito, person, &view, form, Vec::new()))
}

async fn add(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case)): Path<(String, PersonId, CaseId)>,
    Form(form): Form<InterventionForm>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    match app.add_intervention(p, &ambito, person, case, &form, caller.ip.as_deref()).await? {
        Ok(id) => Ok(Redirect::to(&format!("{}/interventi/{id}", case_base(&ambito.code, person, case))).into_response()),
        Err(errors) => {
            let view = app.case_interventions(p, &ambito, person, case).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, ListPage::new(&ambito, person, &view, form, errors)).into_response())
        }
    }
}

async fn detail(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case, intervention)): Path<(String, PersonId, CaseId, InterventionId)>,
) -> WebResult<DetailPage> {
    detail_page(&app, &ambito, person, case, intervention, None).await
}

async fn correct(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case, intervention)): Path<(String, PersonId, CaseId, InterventionId)>,
    Form(form): Form<InterventionForm>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    match app.correct_intervention(p, &ambito, person, case, intervention, &form, caller.ip.as_deref()).await? {
        Ok(id) => Ok(Redirect::to(&format!("{}/interventi/{id}", case_base(&ambito.code, person, case))).into_response()),
        Err(errors) => {
            let page = detail_page(&app, &ambito, person, case, intervention, Some((form, errors, "correzione"))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Deserialize)]
struct DateForm {
    #[serde(default)]
    dal: String,
    #[serde(default)]
    il: String,
    #[serde(default)]
    fine: String,
    #[serde(default)]
    motivo: String,
}

async fn after(
    app: &App,
    ambito: &AmbitoScope,
    (person, case, intervention): (PersonId, CaseId, InterventionId),
    outcome: Result<(), Vec<FieldError>>,
    failed: &'static str,
) -> WebResult<Response> {
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("{}/interventi/{intervention}", case_base(&ambito.code, person, case))).into_response()),
        Err(errors) => {
            let mut page = detail_page(app, ambito, person, case, intervention, None).await?;
            page.fields = fields(&page.form, &errors);
            page.errors = errors;
            page.failed = failed;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn suspend(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case, intervention)): Path<(String, PersonId, CaseId, InterventionId)>,
    Form(f): Form<DateForm>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let outcome = app.suspend_intervention(p, &ambito, person, case, intervention, &f.dal, &f.motivo, caller.ip.as_deref()).await?;
    after(&app, &ambito, (person, case, intervention), outcome, "sospensione").await
}

async fn resume(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case, intervention)): Path<(String, PersonId, CaseId, InterventionId)>,
    Form(f): Form<DateForm>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let outcome = app.resume_intervention(p, &ambito, person, case, intervention, &f.il, caller.ip.as_deref()).await?;
    after(&app, &ambito, (person, case, intervention), outcome, "ripresa").await
}

async fn end(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person, case, intervention)): Path<(String, PersonId, CaseId, InterventionId)>,
    Form(f): Form<DateForm>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let outcome = app.end_intervention(p, &ambito, person, case, intervention, &f.fine, &f.motivo, caller.ip.as_deref()).await?.map(|_| ());
    after(&app, &ambito, (person, case, intervention), outcome, "conclusione").await
}
