//! Transfers between Ambiti: the proposal form on a person (`Policy::Person`, the sending side)
//! and the Ambito's list with the decision (`Policy::Ambito` with `person.write`: on the
//! receiving side the person has no case yet, so a person policy would refuse everyone; the app
//! admits only proposals addressed to this Ambito and callers whose grant is not narrowed).

use crate::access::{self, Policy, Routes, Tenant};
use crate::error::{WebError, WebResult};
use crate::views::documents::{ProposalValues, TransferFormPage, TransfersPage};
use ambito_app::App;
use ambito_app::cases::transfer::Proposal;
use ambito_domain::access::Perm;
use ambito_domain::ids::{PersonId, TransferId};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new()
        .get(
            "/ambiti/{code}/persone/{person}/trasferimento",
            Policy::Person(Perm::PersonWrite),
            "Modulo di proposta di trasferimento ad altro Ambito",
            form,
        )
        .post(
            "/ambiti/{code}/persone/{person}/trasferimento",
            Policy::Person(Perm::PersonWrite),
            "Propone il trasferimento ad altro Ambito (con il consenso della persona)",
            propose,
        )
        .get("/ambiti/{code}/trasferimenti", Policy::Ambito(&[Perm::PersonWrite]), "Trasferimenti in arrivo e in uscita", list)
        .post(
            "/ambiti/{code}/trasferimenti/{transfer}",
            Policy::Ambito(&[Perm::PersonWrite]),
            "Accetta o rifiuta un trasferimento in arrivo",
            decide,
        )
}

#[derive(Deserialize)]
struct Outcome {
    esito: Option<String>,
}

async fn form(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person)): Path<(String, PersonId)>,
    Query(q): Query<Outcome>,
) -> WebResult<Response> {
    let p = access::current().user().cloned().ok_or(WebError::Forbidden)?;
    let form = app.transfer_form(&p, &ambito, person).await?;
    let proposed = q.esito.as_deref() == Some("proposto");
    Ok(TransferFormPage::new(&ambito.code, &ambito.name, form, Vec::new(), ProposalValues::default(), proposed).into_response())
}

/// The form's fields; `documenti` repeats (one per ticked box), which `Form` cannot read.
fn fields(body: &[u8]) -> ProposalValues {
    let mut v = ProposalValues::default();
    for (k, val) in form_urlencoded::parse(body) {
        match k.as_ref() {
            "ambito" => v.ambito = val.into_owned(),
            "sintesi" => v.sintesi = val.into_owned(),
            "consenso" => v.consenso = !val.is_empty(),
            "documento_consenso" => v.documento_consenso = val.into_owned(),
            "documenti" => v.documenti.push(val.into_owned()),
            _ => {}
        }
    }
    v
}

async fn propose(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, person)): Path<(String, PersonId)>,
    body: Bytes,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let values = fields(&body);
    let proposal = Proposal {
        to_ambito: &values.ambito,
        summary: &values.sintesi,
        consent: values.consenso,
        consent_document: &values.documento_consenso,
        documents: values.documenti.iter().map(String::as_str).collect(),
    };
    match app.propose_transfer(p, &ambito, person, &proposal, caller.ip.as_deref()).await? {
        Ok(_) => {
            let url = format!("/ambiti/{}/persone/{person}/trasferimento?esito=proposto", crate::views::encode_segment(&ambito.code));
            Ok(Redirect::to(&url).into_response())
        }
        Err(errors) => {
            let form = app.transfer_form(p, &ambito, person).await?;
            let page = TransferFormPage::new(&ambito.code, &ambito.name, form, errors, values, false);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn list(State(app): State<App>, Tenant(ambito): Tenant, Query(q): Query<Outcome>) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let list = app.ambito_transfers(p, &ambito, caller.ip.as_deref()).await?;
    let notice = match q.esito.as_deref() {
        Some("accettato") => Some("Trasferimento accettato: la presa in carico è aperta in questo Ambito."),
        Some("rifiutato") => Some("Trasferimento rifiutato: l'Ambito di provenienza vede il motivo."),
        _ => None,
    };
    Ok(TransfersPage::new(&ambito.code, &ambito.name, list, Vec::new(), notice).into_response())
}

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    decisione: String,
    #[serde(default)]
    nota: String,
}

async fn decide(
    State(app): State<App>,
    Tenant(ambito): Tenant,
    Path((_, transfer)): Path<(String, TransferId)>,
    axum::extract::Form(f): axum::extract::Form<DecisionForm>,
) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let accept = match f.decisione.as_str() {
        "accetta" => true,
        "rifiuta" => false,
        _ => return Err(WebError::BadRequest("scegliere se accettare o rifiutare".into())),
    };
    match app.decide_transfer(p, &ambito, transfer, accept, &f.nota, caller.ip.as_deref()).await? {
        Ok(_) => {
            let esito = if accept { "accettato" } else { "rifiutato" };
            Ok(Redirect::to(&format!("/ambiti/{}/trasferimenti?esito={esito}", crate::views::encode_segment(&ambito.code))).into_response())
        }
        Err(errors) => {
            let list = app.ambito_transfers(p, &ambito, caller.ip.as_deref()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, TransfersPage::new(&ambito.code, &ambito.name, list, errors, None)).into_response())
        }
    }
}
