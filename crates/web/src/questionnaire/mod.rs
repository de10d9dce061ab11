//! Likert questionnaires over HTTP.
//!
//! Staff pages (login required once access control lands), all under `/ambiti/{code}/questionari`:
//! the list, the builder (`/nuovo`), a questionnaire's page with its waves and the link generator
//! (`/{q}`, `/{q}/ondate`, `/{q}/link`), paper entry (`/{q}/cartaceo`), results (`/{q}/risultati`)
//! and their export (`/{q}/esporta/{csv|xlsx}`).
//!
//! Public, no login: `/q/{token}`, the anonymous response page (GET shows it, POST answers).

mod public;
mod staff;
pub mod views;

use ambito_app::App;
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<App> {
    Router::new()
        .route("/ambiti/{code}/questionari", get(staff::list))
        .route("/ambiti/{code}/questionari/nuovo", get(staff::new_form).post(staff::create))
        .route("/ambiti/{code}/questionari/{q}", get(staff::detail))
        .route("/ambiti/{code}/questionari/{q}/ondate", post(staff::save_wave))
        .route("/ambiti/{code}/questionari/{q}/link", post(staff::links))
        .route("/ambiti/{code}/questionari/{q}/cartaceo", get(staff::paper_form).post(staff::paper_save))
        .route("/ambiti/{code}/questionari/{q}/risultati", get(staff::results))
        .route("/ambiti/{code}/questionari/{q}/esporta/{format}", get(staff::export))
        .route("/q/{token}", get(public::show).post(public::answer))
}

/// The value of the first form field called `name`, trimmed; empty when absent.
fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).unwrap_or("")
}
