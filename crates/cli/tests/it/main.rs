//! The one integration-test binary (each extra binary is another long link on 2 cores).
//! Tests run against SQLite by default and against PostgreSQL when `AMBITO_TEST_PG` is set to a
//! server URL such as `postgres://postgres@127.0.0.1:5432`: each test then gets its own database.

// A test crate: a failed unwrap is a failed test, which is the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access;
mod alert_mail;
mod api;
mod assess_project;
mod audit_key;
mod backup;
mod browser;
mod cases;
mod cases_api;
mod cli;
mod copayment;
mod crash;
mod deliveries;
mod documents;
mod hardening;
mod http;
mod import_persons;
mod imports;
mod interventions;
mod isolation;
mod jobs;
mod layering;
mod matrix;
mod oidc;
mod plan;
mod problems;
mod procs;
mod questionnaire;
mod record_pages;
mod report;
mod route_oracle;
mod schema;
mod support;
mod uploads;
