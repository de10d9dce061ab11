//! The API's token login: the same checks as the browser, answered as JSON.

use crate::access::{self, Policy, Routes};
use crate::auth::small;
use crate::error::{WebError, WebResult};
use ambito_app::App;
use ambito_app::access::LoginOutcome;
use axum::Json;
use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new().at_with(
        Method::POST,
        "/api/v1/sessione",
        Policy::Public,
        "Accesso API: restituisce un token (Bearer) valido 12 ore",
        small(post(api_login)),
    )
}

#[derive(Deserialize)]
struct ApiLogin {
    username: String,
    password: String,
    /// Required for accounts with a second factor.
    codice_totp: Option<String>,
}

/// API login: the same checks as the browser (password, lockout, TOTP), then a token whose
/// scopes are the user's own permissions, valid for 12 hours.
async fn api_login(State(app): State<App>, Json(body): Json<ApiLogin>) -> WebResult<Response> {
    let caller = access::current();
    let refused = || crate::problem::response(StatusCode::UNAUTHORIZED, "Accesso rifiutato", ambito_app::access::LOGIN_REFUSED);
    let session = match app.login(&body.username, &body.password, caller.ip.as_deref()).await? {
        LoginOutcome::Refused(_) => return Ok(refused()),
        LoginOutcome::Session(s) if s.must_enrol => {
            app.logout(&s.token, caller.ip.as_deref()).await?;
            return Ok(refused());
        }
        LoginOutcome::Session(s) if s.second_factor_due => {
            let code = body.codice_totp.unwrap_or_default();
            match app.second_factor(&s.token, &code, caller.ip.as_deref()).await? {
                LoginOutcome::Session(s) => s,
                LoginOutcome::Refused(_) => return Ok(refused()),
            }
        }
        LoginOutcome::Session(s) => s,
    };
    let token = app.api_token_for_session(&session.token, caller.ip.as_deref()).await.map_err(WebError::from)?;
    Ok(Json(serde_json::json!({"token": token, "tipo": "Bearer", "scadenza_ore": 12})).into_response())
}
