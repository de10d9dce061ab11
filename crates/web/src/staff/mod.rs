//! The staff surface: the HTML pages of the Ufficio di Piano, social workers, offices, providers
//! and evaluators, all under `/ambiti/{code}/…` (plus the administration pages). Each feature has
//! its module and registers its routes here; pages use the staff `Layout` and answer errors with
//! the HTML error page. The citizens' pages are in `crate::portal`, the JSON API in `crate::api`.

pub(crate) mod admin;
pub(crate) mod cases;
pub(crate) mod cases_assessment;
pub(crate) mod cases_courts;
pub(crate) mod cases_interventions;
pub(crate) mod cases_project;
pub(crate) mod documents;
pub(crate) mod jobs;
pub(crate) mod persons;
pub(crate) mod plan;
pub(crate) mod questionnaire;
pub(crate) mod reporting;
pub(crate) mod transfers;

use crate::access::Routes;

pub fn routes() -> Routes {
    reporting::routes()
        .merge(persons::routes())
        .merge(cases::routes())
        .merge(cases_assessment::routes())
        .merge(cases_project::routes())
        .merge(documents::routes())
        .merge(transfers::routes())
        .merge(admin::routes())
        .merge(jobs::routes())
        .merge(questionnaire::routes())
        .merge(plan::routes())
        .merge(cases_interventions::routes())
        .merge(cases_courts::routes())
}
