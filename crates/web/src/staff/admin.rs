//! Administration: users and their roles, the role × permission matrix, and the audit log
//! for the data-protection officer (DPO).

use crate::access::{self, Policy, Routes};
use crate::error::{WebError, WebResult};
use crate::views::admin::{RolesPage, UsersPage};
use crate::views::table::TablePage;
use ambito_app::App;
use ambito_app::access::{NewUser, RoleAssignment};
use ambito_domain::access::Perm;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new()
        .get("/amministrazione/utenti", Policy::Global(Perm::UserManage), "Utenti e ruoli", users)
        .post("/amministrazione/utenti", Policy::Global(Perm::UserManage), "Crea un utente", create_user)
        .post("/amministrazione/utenti/{username}/sospensione", Policy::Global(Perm::UserManage), "Sospende o riattiva un utente", suspend)
        .post(
            "/amministrazione/utenti/{username}/reimpostazione",
            Policy::Global(Perm::UserManage),
            "Crea un collegamento monouso per la password",
            reset_link,
        )
        .get("/amministrazione/ruoli", Policy::Global(Perm::RoleManage), "Matrice ruoli × permessi", roles)
        .post("/amministrazione/ruoli", Policy::Global(Perm::RoleManage), "Concede o revoca un permesso a un ruolo", set_permission)
        .get("/amministrazione/registro", Policy::Global(Perm::AuditRead), "Registro degli accessi (DPO)", audit_page)
        .get("/amministrazione/registro.csv", Policy::Global(Perm::AuditRead), "Registro degli accessi, CSV", audit_csv)
        .audited()
        .get("/ambiti/{code}/registro", Policy::Ambito(&[Perm::AuditRead]), "Registro degli accessi dell'Ambito", ambito_audit_page)
}

async fn users(State(app): State<App>) -> WebResult<UsersPage> {
    let roles = app.roles_with_permissions().await?.into_iter().map(|(r, _)| (r.code, r.name)).collect();
    let ambiti = app.ambiti().await?.into_iter().map(|a| (a.code, a.name)).collect();
    Ok(UsersPage::new(app.users(None).await?, roles, ambiti, None))
}

#[derive(Deserialize)]
struct CreateUser {
    username: String,
    nome: String,
    password: String,
    ruolo: String,
    ambito: String,
    comune: Option<String>,
    ente: Option<String>,
    codice_fiscale: Option<String>,
}

fn blank_to_none(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

async fn create_user(State(app): State<App>, Form(f): Form<CreateUser>) -> WebResult<Response> {
    let caller = access::current();
    let user = NewUser {
        username: f.username.trim().to_string(),
        display_name: f.nome.trim().to_string(),
        password: Some(f.password),
        codice_fiscale: blank_to_none(f.codice_fiscale).map(|c| c.to_uppercase()),
        totp_secret: None,
    };
    let role = RoleAssignment {
        role: f.ruolo,
        ambito_code: blank_to_none(Some(f.ambito)),
        comune_istat: blank_to_none(f.comune),
        provider: blank_to_none(f.ente),
    };
    match app.create_user(caller.user(), &user, &[role]).await {
        Ok(_) => Ok(Redirect::to("/amministrazione/utenti").into_response()),
        Err(ambito_app::AppError::Invalid(msg)) => {
            let roles = app.roles_with_permissions().await?.into_iter().map(|(r, _)| (r.code, r.name)).collect();
            let ambiti = app.ambiti().await?.into_iter().map(|a| (a.code, a.name)).collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, UsersPage::new(app.users(None).await?, roles, ambiti, Some(msg))).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct Suspend {
    sospeso: String,
}

async fn suspend(State(app): State<App>, Path(username): Path<String>, Form(f): Form<Suspend>) -> WebResult<Response> {
    app.set_suspended(access::current().user(), &username, f.sospeso == "1").await?;
    Ok(Redirect::to("/amministrazione/utenti").into_response())
}

async fn reset_link(State(app): State<App>, Path(username): Path<String>) -> WebResult<TablePage> {
    let token = app.issue_reset_token(access::current().user(), &username).await?;
    let layout = crate::views::Layout::new("Collegamento di reimpostazione").crumb("Utenti", Some("/amministrazione/utenti"));
    Ok(TablePage::new(
        layout,
        "Collegamento di reimpostazione",
        &["Utente", "Collegamento (valido 24 ore, una sola volta)"],
        vec![vec![username, format!("/accesso/reimposta/{token}")]],
    )
    .intro("Consegnare il collegamento all'utente per un canale sicuro: non verrà mostrato di nuovo."))
}

async fn roles(State(app): State<App>) -> WebResult<RolesPage> {
    Ok(RolesPage::new(app.roles_with_permissions().await?))
}

#[derive(Deserialize)]
struct SetPermission {
    ruolo: String,
    permesso: String,
    concesso: String,
}

async fn set_permission(State(app): State<App>, Form(f): Form<SetPermission>) -> WebResult<Response> {
    let caller = access::current();
    let p = caller.user().ok_or(WebError::Forbidden)?;
    let perm = Perm::from_code(&f.permesso).ok_or_else(|| WebError::BadRequest(format!("permesso sconosciuto: {}", f.permesso)))?;
    app.set_role_permission(p, &f.ruolo, perm, f.concesso == "1").await?;
    Ok(Redirect::to("/amministrazione/ruoli").into_response())
}

#[derive(Deserialize, Default)]
struct AuditSearch {
    persona: Option<String>,
    utente: Option<String>,
    dal: Option<String>,
    al: Option<String>,
}

impl AuditSearch {
    fn query(&self, ambito: Option<String>) -> ambito_app::rows::AuditQuery {
        ambito_app::rows::AuditQuery {
            person_id: blank_to_none(self.persona.clone()).and_then(|p| p.parse().ok()),
            username: blank_to_none(self.utente.clone()),
            from: blank_to_none(self.dal.clone()),
            to: blank_to_none(self.al.clone()),
            ambito,
            limit: 500,
        }
    }
}

fn audit_rows(entries: &[ambito_domain::audit::Entry]) -> Vec<Vec<String>> {
    entries.iter().map(ambito_render::audit_csv::row).collect()
}

async fn audit_page(State(app): State<App>, Query(q): Query<AuditSearch>) -> WebResult<Response> {
    let entries = app.search_audit(&q.query(None)).await?;
    let layout = crate::views::Layout::new("Registro degli accessi");
    let csv = format!("/amministrazione/registro.csv?{}", search_query(&q));
    Ok(crate::views::admin::AuditPage::new(
        layout,
        "/amministrazione/registro",
        &q.persona,
        &q.utente,
        &q.dal,
        &q.al,
        audit_rows(&entries),
        Some(csv),
    )
    .into_response())
}

async fn ambito_audit_page(State(app): State<App>, Path(code): Path<String>, Query(q): Query<AuditSearch>) -> WebResult<Response> {
    let ambito = app.ambito(&code).await?;
    let entries = app.search_audit(&q.query(Some(ambito.code.clone()))).await?;
    let layout = crate::views::Layout::new("Registro degli accessi").with_ambito(&ambito.code, &ambito.name);
    let action = format!("/ambiti/{}/registro", crate::views::encode_segment(&ambito.code));
    Ok(crate::views::admin::AuditPage::new(layout, &action, &q.persona, &q.utente, &q.dal, &q.al, audit_rows(&entries), None)
        .into_response())
}

fn search_query(q: &AuditSearch) -> String {
    [("persona", &q.persona), ("utente", &q.utente), ("dal", &q.dal), ("al", &q.al)]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", crate::views::encode_segment(v))))
        .collect::<Vec<_>>()
        .join("&")
}

async fn audit_csv(State(app): State<App>, Query(q): Query<AuditSearch>) -> WebResult<Response> {
    let mut query = q.query(None);
    query.limit = 1_000_000;
    let entries = app.search_audit(&query).await?;
    let bytes = ambito_render::audit_csv::audit_csv(&entries)?;
    Ok(crate::staff::persons::attachment(bytes, "text/csv; charset=utf-8", "registro-accessi.csv"))
}
