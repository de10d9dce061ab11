//! Likert questionnaires over HTTP.
//!
//! Staff pages (login required once access control lands), all under `/ambiti/{code}/questionari`:
//! the list, the builder (`/nuovo`), a questionnaire's page with its waves and the link generator
//! (`/{q}`, `/{q}/ondate`, `/{q}/link`), paper entry (`/{q}/cartaceo`), results (`/{q}/risultati`)
//! and their export (`/{q}/esporta/{csv|xlsx}`).
//!
//! The anonymous response page `/q/{token}` is the citizens' surface: `crate::portal`.

mod staff;
pub mod views;

use crate::access::{Policy, Routes};
use ambito_domain::access::Perm;

const MANAGE: &[Perm] = &[Perm::QuestionnaireManage];

pub fn routes() -> Routes {
    Routes::new()
        .get("/ambiti/{code}/questionari", Policy::Ambito(MANAGE), "Questionari dell'Ambito", staff::list)
        .get("/ambiti/{code}/questionari/nuovo", Policy::Ambito(MANAGE), "Nuovo questionario", staff::new_form)
        .post("/ambiti/{code}/questionari/nuovo", Policy::Ambito(MANAGE), "Crea un questionario", staff::create)
        .get("/ambiti/{code}/questionari/{q}", Policy::Ambito(MANAGE), "Scheda del questionario e ondate", staff::detail)
        .post("/ambiti/{code}/questionari/{q}/ondate", Policy::Ambito(MANAGE), "Apre o modifica un'ondata", staff::save_wave)
        .post("/ambiti/{code}/questionari/{q}/link", Policy::Ambito(MANAGE), "Genera i link anonimi (CSV)", staff::links)
        .audited()
        .get("/ambiti/{code}/questionari/{q}/cartaceo", Policy::Ambito(MANAGE), "Inserimento di questionari cartacei", staff::paper_form)
        .post("/ambiti/{code}/questionari/{q}/cartaceo", Policy::Ambito(MANAGE), "Salva un questionario cartaceo", staff::paper_save)
        .get(
            "/ambiti/{code}/questionari/{q}/risultati",
            Policy::Ambito(MANAGE),
            "Risultati con grafici e confronto tra ondate",
            staff::results,
        )
        .get("/ambiti/{code}/questionari/{q}/esporta/{format}", Policy::Ambito(MANAGE), "Risultati in CSV o XLSX", staff::export)
        .audited()
}

/// The value of the first form field called `name`, trimmed; empty when absent.
fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim()).unwrap_or("")
}
