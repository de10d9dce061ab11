//! The route's Ambito as the guard resolved it, for handlers: `Tenant(ambito): Tenant` instead of
//! a `{code}` string looked up again. The guard resolves it once, with the access decision, so a
//! handler cannot act in an Ambito other than the one access was granted for.

use crate::error::WebError;
use ambito_domain::ids::AmbitoScope;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;

pub struct Tenant(pub AmbitoScope);

impl<S: Send + Sync> FromRequestParts<S> for Tenant {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Tenant, WebError> {
        if let Some(scope) = parts.extensions.get::<AmbitoScope>() {
            return Ok(Tenant(scope.clone()));
        }
        // The guard lets an unknown Ambito through only to a caller who may open every Ambito
        // (everyone else got a 403): for them it is a plain "not found".
        let params = RawPathParams::from_request_parts(parts, state).await.map_err(|_| WebError::NotFound("Ambito non trovato".into()))?;
        let code = params.iter().find(|(k, _)| *k == "code").map(|(_, v)| v.to_string()).unwrap_or_default();
        Err(ambito_app::AppError::AmbitoNotFound(code).into())
    }
}
