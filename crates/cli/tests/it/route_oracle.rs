//! The policy every route is meant to have, written by hand from the role table in
//! docs/ARCHITECTURE.md ("Access control") and the README's demo accounts, never read from the
//! router under test. The matrix test judges each answer by this table, so a route registered
//! with too lax a policy fails there; `every_route_has_its_intended_policy` fails even sooner, and
//! so does a new route nobody added here.

use ambito_domain::access::Perm;
use ambito_web::{Policy, RouteSpec};
use reqwest::Method;

const REPORT: &[Perm] = &[Perm::ReportRead, Perm::ReportReadSuppressed];
const FULL_REPORT: &[Perm] = &[Perm::ReportRead];
const UPLOAD: &[Perm] = &[Perm::ImportWrite, Perm::BudgetWrite, Perm::DeliveryImport];
const PLAN_READ: &[Perm] = &[Perm::PlanRead];
const PLAN_WRITE: &[Perm] = &[Perm::PlanWrite];
const QUESTIONNAIRES: &[Perm] = &[Perm::QuestionnaireManage];

/// (method, path, intended policy) for every route.
pub fn intended() -> Vec<(Method, &'static str, Policy)> {
    use Method as M;
    use Policy::*;
    vec![
        // Login, logout and the service itself.
        (M::GET, "/", Authenticated),
        (M::GET, "/healthz", Public),
        (M::GET, "/api/v1/openapi.json", Public),
        (M::GET, "/accesso", Public),
        (M::POST, "/accesso", Public),
        (M::GET, "/accesso/codice", Public),
        (M::POST, "/accesso/codice", Public),
        (M::POST, "/esci", Authenticated),
        (M::GET, "/accesso/reimposta/{token}", Public),
        (M::POST, "/accesso/reimposta/{token}", Public),
        (M::POST, "/api/v1/sessione", Public),
        (M::GET, "/accesso/oidc/{provider}", Public),
        (M::GET, "/accesso/oidc/{provider}/callback", Public),
        // Administration: global grants only.
        (M::GET, "/amministrazione/utenti", Global(Perm::UserManage)),
        (M::POST, "/amministrazione/utenti", Global(Perm::UserManage)),
        (M::POST, "/amministrazione/utenti/{username}/sospensione", Global(Perm::UserManage)),
        (M::POST, "/amministrazione/utenti/{username}/reimpostazione", Global(Perm::UserManage)),
        (M::GET, "/amministrazione/ruoli", Global(Perm::RoleManage)),
        (M::POST, "/amministrazione/ruoli", Global(Perm::RoleManage)),
        (M::GET, "/amministrazione/registro", Global(Perm::AuditRead)),
        (M::GET, "/amministrazione/registro.csv", Global(Perm::AuditRead)),
        (M::GET, "/ambiti/{code}/registro", Ambito(&[Perm::AuditRead])),
        // Reporting.
        (M::GET, "/ambiti/{code}", Ambito(FULL_REPORT)),
        (M::GET, "/ambiti/{code}/servizi", Ambito(FULL_REPORT)),
        (M::GET, "/ambiti/{code}/demografia", Ambito(FULL_REPORT)),
        (M::GET, "/ambiti/{code}/attivita", Ambito(&[Perm::ActivityRead])),
        (M::POST, "/ambiti/{code}/attivita", Ambito(&[Perm::ActivityWrite])),
        (M::GET, "/ambiti/{code}/relazione", Ambito(REPORT)),
        (M::GET, "/ambiti/{code}/relazione/{file}", Ambito(REPORT)),
        (M::GET, "/ambiti/{code}/relazione/{year}/testi", Ambito(&[Perm::ReportWrite])),
        (M::POST, "/ambiti/{code}/relazione/{year}/testi", Ambito(&[Perm::ReportWrite])),
        (M::GET, "/api/v1/ambiti", Authenticated),
        (M::GET, "/api/v1/ambiti/{code}/relazione/{year}", Ambito(REPORT)),
        (M::GET, "/api/v1/ambiti/{code}/servizi", Ambito(FULL_REPORT)),
        (M::GET, "/api/v1/ambiti/{code}/attivita", Ambito(&[Perm::ActivityRead])),
        (M::GET, "/api/v1/ambiti/{code}/attivita/{year}", Ambito(&[Perm::ActivityRead])),
        (M::GET, "/api/v1/ambiti/{code}/budget/{year}", Ambito(FULL_REPORT)),
        (M::GET, "/api/v1/ambiti/{code}/demografia", Ambito(FULL_REPORT)),
        (M::GET, "/api/v1/ambiti/{code}/demografia/{year}", Ambito(FULL_REPORT)),
        // Uploads and their jobs.
        (M::GET, "/ambiti/{code}/importa", Ambito(UPLOAD)),
        (M::POST, "/ambiti/{code}/importa", Ambito(UPLOAD)),
        (M::GET, "/ambiti/{code}/importa/lavori/{id}", Ambito(UPLOAD)),
        (M::GET, "/api/v1/ambiti/{code}/lavori", Ambito(UPLOAD)),
        (M::GET, "/api/v1/ambiti/{code}/lavori/{id}", Ambito(UPLOAD)),
        (M::GET, "/api/v1/ambiti/{code}/importazioni", Ambito(UPLOAD)),
        (M::POST, "/api/v1/ambiti/{code}/importazioni", Ambito(UPLOAD)),
        // Persons: every call on one person is a Person policy (audited by the guard).
        (M::GET, "/ambiti/{code}/persone", Ambito(&[Perm::PersonRead])),
        (M::GET, "/ambiti/{code}/persone/{person}", Person(Perm::PersonRead)),
        (M::POST, "/ambiti/{code}/persone/{person}/note", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/accesso-straordinario", BreakGlass),
        (M::GET, "/ambiti/{code}/persone/{person}/dati.json", Person(Perm::PersonExport)),
        (M::GET, "/ambiti/{code}/persone/{person}/dati.pdf", Person(Perm::PersonExport)),
        // The case record (issue 15): registration and the front desk are the Ambito's
        // (`person.write` there); everything about one person goes through the person rule.
        (M::GET, "/ambiti/{code}/persone/nuova", Ambito(&[Perm::PersonWrite])),
        (M::POST, "/ambiti/{code}/persone", Ambito(&[Perm::PersonWrite])),
        (M::POST, "/ambiti/{code}/persone/{person}/anagrafica", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/anagrafica/{list}", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/anagrafica/{list}/{id}/annulla", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/unione", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/unione/{id}/annulla", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/stato", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/responsabile", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/condivisione", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/diario", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/appuntamenti", Person(Perm::PersonWrite)),
        (M::GET, "/ambiti/{code}/accessi", Ambito(&[Perm::PersonRead])),
        (M::POST, "/ambiti/{code}/accessi", Ambito(&[Perm::PersonWrite])),
        (M::GET, "/ambiti/{code}/lavoro", Ambito(&[Perm::PersonRead])),
        (M::POST, "/ambiti/{code}/proposte/{id}", Ambito(&[Perm::PersonWrite])),
        (M::POST, "/ambiti/{code}/avvisi/letti", Ambito(&[Perm::PersonRead])),
        // The case record, processes B and C: assessments and the individual project.
        (M::GET, "/ambiti/{code}/persone/{person}/casi/{case}/valutazioni", Person(Perm::PersonRead)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/valutazioni", Person(Perm::PersonWrite)),
        (M::GET, "/ambiti/{code}/persone/{person}/casi/{case}/valutazioni/nuova", Person(Perm::PersonRead)),
        (M::GET, "/ambiti/{code}/persone/{person}/casi/{case}/valutazioni/{assessment}", Person(Perm::PersonRead)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/valutazioni/{assessment}/correzione", Person(Perm::PersonWrite)),
        (M::GET, "/ambiti/{code}/persone/{person}/casi/{case}/progetto", Person(Perm::PersonRead)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/progetto", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/progetto/revisioni", Person(Perm::PersonWrite)),
        // Documents once-only and transfers between Ambiti (issue 15): the receiving side has no
        // case yet, so its list and decision are Ambito routes the app narrows further.
        (M::GET, "/ambiti/{code}/persone/{person}/documenti", Person(Perm::PersonRead)),
        (M::POST, "/ambiti/{code}/persone/{person}/documenti", Person(Perm::PersonWrite)),
        (M::GET, "/ambiti/{code}/persone/{person}/documenti/{document}", Person(Perm::PersonRead)),
        (M::POST, "/ambiti/{code}/persone/{person}/documenti/{document}/collega", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/documenti/richieste", Person(Perm::PersonWrite)),
        (M::GET, "/ambiti/{code}/persone/{person}/trasferimento", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/trasferimento", Person(Perm::PersonWrite)),
        (M::GET, "/ambiti/{code}/trasferimenti", Ambito(&[Perm::PersonWrite])),
        (M::POST, "/ambiti/{code}/trasferimenti/{transfer}", Ambito(&[Perm::PersonWrite])),
        (M::GET, "/area-personale/documenti/{document}", OwnData),
        (M::POST, "/area-personale/richieste/{request}", OwnData),
        // Process D and the courts (issue 15): the application also checks that the case and
        // the intervention in the path are the person's in this Ambito, and keeps court material
        // from readers who may not write the record (ente gestore, valutatore, citizen).
        (M::GET, "/ambiti/{code}/persone/{person}/casi/{case}/interventi", Person(Perm::PersonRead)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/interventi", Person(Perm::PersonWrite)),
        (M::GET, "/ambiti/{code}/persone/{person}/casi/{case}/interventi/{intervention}", Person(Perm::PersonRead)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/interventi/{intervention}", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/interventi/{intervention}/sospensione", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/interventi/{intervention}/ripresa", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/interventi/{intervention}/conclusione", Person(Perm::PersonWrite)),
        (M::GET, "/ambiti/{code}/persone/{person}/casi/{case}/tribunale", Person(Perm::PersonRead)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/tribunale", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/tribunale/scadenza", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/tribunale/inviata", Person(Perm::PersonWrite)),
        (M::POST, "/ambiti/{code}/persone/{person}/casi/{case}/tribunale/collocamento", Person(Perm::PersonWrite)),
        (M::GET, "/area-personale", OwnData),
        (M::GET, "/area-personale/dati.json", OwnData),
        (M::GET, "/area-personale/dati.pdf", OwnData),
        // The case record's JSON API (issue 15): the policy of the page showing the same data.
        (M::GET, "/api/v1/ambiti/{code}/persone", Ambito(&[Perm::PersonRead])),
        (M::POST, "/api/v1/ambiti/{code}/persone", Ambito(&[Perm::PersonWrite])),
        (M::GET, "/api/v1/ambiti/{code}/persone/{person}", Person(Perm::PersonRead)),
        (M::POST, "/api/v1/ambiti/{code}/persone/{person}/casi/{case}/diario", Person(Perm::PersonWrite)),
        (M::GET, "/api/v1/ambiti/{code}/persone/{person}/casi/{case}/interventi", Person(Perm::PersonRead)),
        (M::GET, "/api/v1/ambiti/{code}/persone/{person}/casi/{case}/valutazioni", Person(Perm::PersonRead)),
        (M::GET, "/api/v1/ambiti/{code}/persone/{person}/casi/{case}/progetto", Person(Perm::PersonRead)),
        (M::GET, "/api/v1/ambiti/{code}/persone/{person}/documenti", Person(Perm::PersonRead)),
        (M::GET, "/api/v1/ambiti/{code}/contatti", Ambito(&[Perm::PersonRead])),
        (M::POST, "/api/v1/ambiti/{code}/contatti", Ambito(&[Perm::PersonWrite])),
        (M::GET, "/api/v1/ambiti/{code}/lavoro", Ambito(&[Perm::PersonRead])),
        // Piano di Zona.
        (M::GET, "/ambiti/{code}/piano", Ambito(PLAN_READ)),
        (M::POST, "/ambiti/{code}/piano", Ambito(PLAN_WRITE)),
        (M::GET, "/ambiti/{code}/piano/{tri}", Ambito(PLAN_READ)),
        (M::POST, "/ambiti/{code}/piano/{tri}/approva", Ambito(PLAN_WRITE)),
        (M::POST, "/ambiti/{code}/piano/{tri}/prossimo", Ambito(PLAN_WRITE)),
        (M::GET, "/ambiti/{code}/piano/{tri}/documenti/{file}", Ambito(PLAN_READ)),
        (M::GET, "/ambiti/{code}/piano/{tri}/provincia", Ambito(PLAN_READ)),
        (M::GET, "/ambiti/{code}/piano/{tri}/schede/nuova", Ambito(PLAN_WRITE)),
        (M::POST, "/ambiti/{code}/piano/{tri}/schede/nuova", Ambito(PLAN_WRITE)),
        (M::GET, "/ambiti/{code}/piano/{tri}/schede/{id}", Ambito(PLAN_READ)),
        (M::GET, "/ambiti/{code}/piano/{tri}/schede/{id}/modifica", Ambito(PLAN_WRITE)),
        (M::POST, "/ambiti/{code}/piano/{tri}/schede/{id}/modifica", Ambito(PLAN_WRITE)),
        (M::GET, "/ambiti/{code}/piano/{tri}/schede/{id}/valutazione", Ambito(PLAN_READ)),
        (M::POST, "/ambiti/{code}/piano/{tri}/schede/{id}/valutazione", Ambito(PLAN_WRITE)),
        (M::POST, "/ambiti/{code}/piano/{tri}/schede/{id}/evidenze", Ambito(PLAN_WRITE)),
        (M::GET, "/ambiti/{code}/piano/{tri}/schede/{id}/indicatori/nuovo", Ambito(PLAN_WRITE)),
        (M::POST, "/ambiti/{code}/piano/{tri}/schede/{id}/indicatori/nuovo", Ambito(PLAN_WRITE)),
        (M::GET, "/ambiti/{code}/piano/{tri}/schede/{id}/indicatori/{ind}/modifica", Ambito(PLAN_WRITE)),
        (M::POST, "/ambiti/{code}/piano/{tri}/schede/{id}/indicatori/{ind}/modifica", Ambito(PLAN_WRITE)),
        (M::POST, "/ambiti/{code}/piano/{tri}/schede/{id}/indicatori/{ind}/elimina", Ambito(PLAN_WRITE)),
        (M::GET, "/ambiti/{code}/piano/{tri}/indicatori/{ind}", Ambito(PLAN_READ)),
        (M::POST, "/ambiti/{code}/piano/{tri}/rilevazioni", Ambito(PLAN_WRITE)),
        (M::GET, "/ambiti/{code}/piano/{tri}/rilevazioni/{n}", Ambito(PLAN_READ)),
        (M::POST, "/ambiti/{code}/piano/{tri}/rilevazioni/{n}/chiudi", Ambito(PLAN_WRITE)),
        (M::GET, "/ambiti/{code}/piano/{tri}/rilevazioni/{n}/indicatori/{ind}", Ambito(PLAN_WRITE)),
        (M::POST, "/ambiti/{code}/piano/{tri}/rilevazioni/{n}/indicatori/{ind}", Ambito(PLAN_WRITE)),
        (M::GET, "/ambiti/{code}/piano/{tri}/rilevazioni/{n}/documenti/{file}", Ambito(PLAN_READ)),
        (M::GET, "/api/v1/ambiti/{code}/piano", Ambito(PLAN_READ)),
        (M::POST, "/api/v1/ambiti/{code}/piano", Ambito(PLAN_WRITE)),
        (M::GET, "/api/v1/ambiti/{code}/piano/{tri}", Ambito(PLAN_READ)),
        (M::GET, "/api/v1/ambiti/{code}/piano/{tri}/rilevazioni/{n}", Ambito(PLAN_READ)),
        // Questionnaires: staff pages, and the anonymous answer page behind its link.
        (M::GET, "/ambiti/{code}/questionari", Ambito(QUESTIONNAIRES)),
        (M::GET, "/ambiti/{code}/questionari/nuovo", Ambito(QUESTIONNAIRES)),
        (M::POST, "/ambiti/{code}/questionari/nuovo", Ambito(QUESTIONNAIRES)),
        (M::GET, "/ambiti/{code}/questionari/{q}", Ambito(QUESTIONNAIRES)),
        (M::POST, "/ambiti/{code}/questionari/{q}/ondate", Ambito(QUESTIONNAIRES)),
        (M::POST, "/ambiti/{code}/questionari/{q}/link", Ambito(QUESTIONNAIRES)),
        (M::GET, "/ambiti/{code}/questionari/{q}/cartaceo", Ambito(QUESTIONNAIRES)),
        (M::POST, "/ambiti/{code}/questionari/{q}/cartaceo", Ambito(QUESTIONNAIRES)),
        (M::GET, "/ambiti/{code}/questionari/{q}/risultati", Ambito(QUESTIONNAIRES)),
        (M::GET, "/ambiti/{code}/questionari/{q}/esporta/{format}", Ambito(QUESTIONNAIRES)),
        (M::GET, "/api/v1/ambiti/{code}/questionari", Ambito(QUESTIONNAIRES)),
        (M::GET, "/api/v1/ambiti/{code}/questionari/{q}/risultati", Ambito(QUESTIONNAIRES)),
        (M::GET, "/q/{token}", Capability),
        (M::POST, "/q/{token}", Capability),
    ]
}

/// The intended policy of one route, if the oracle has a row for it.
pub fn policy_of(spec: &RouteSpec) -> Option<Policy> {
    intended().into_iter().find(|(m, p, _)| *m == spec.method && *p == spec.path).map(|(_, _, policy)| policy)
}

/// One line per route whose registered policy is not the intended one, or that the oracle lacks,
/// and per oracle row no route answers to.
pub fn disagreements(specs: &[RouteSpec]) -> Vec<String> {
    let mut out = Vec::new();
    for spec in specs {
        match policy_of(spec) {
            None => out.push(format!("{} {}: no row in the route oracle (tests/it/route_oracle.rs)", spec.method, spec.path)),
            Some(p) if p != spec.policy => {
                out.push(format!("{} {}: registered as {:?}, intended {:?}", spec.method, spec.path, spec.policy, p))
            }
            Some(_) => {}
        }
    }
    for (m, p, _) in intended() {
        if !specs.iter().any(|s| s.method == m && s.path == p) {
            out.push(format!("{m} {p}: in the oracle but not registered"));
        }
    }
    out
}

#[test]
fn every_route_has_its_intended_policy() {
    let d = disagreements(&ambito_web::route_specs());
    assert!(d.is_empty(), "{}", d.join("\n"));
}

#[test]
fn a_loosened_route_is_caught() {
    for (path, looser) in [
        ("/amministrazione/registro.csv", Policy::Authenticated),
        ("/ambiti/{code}/persone/{person}/dati.json", Policy::Ambito(&[Perm::PersonRead])),
        ("/ambiti/{code}/attivita", Policy::Ambito(&[Perm::ActivityRead, Perm::ReportReadSuppressed])),
    ] {
        let mut specs = ambito_web::route_specs();
        let spec = specs.iter_mut().find(|s| s.path == path && s.method == Method::GET).expect("route exists");
        spec.policy = looser;
        let d = disagreements(&specs);
        assert_eq!(d.len(), 1, "{path}: {d:?}");
        assert!(d[0].contains(path) && d[0].contains("intended"), "{d:?}");
    }
}
