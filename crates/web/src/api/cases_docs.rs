//! The OpenAPI entries of the case record's routes (`super::cases`): the schemas of the
//! application's read models as they serialize, and the bodies as the staff forms' fields.
//! Lists of secondary rows (addresses, household, shares…) are described as arrays of objects;
//! the rows a client works with (person, case, diary, contact, document, assessment) field by field.

use super::docs::{Doc, any_array, any_object, array, boolean, int, object, opt_int, opt_string, string};
use axum::http::Method;
use serde_json::{Value, json};

fn objects() -> Value {
    array(any_object())
}

/// A list of pairs, each a two-element array such as `[code, name]` or `[id, name]`.
fn pairs() -> Value {
    array(pair())
}

fn pair() -> Value {
    json!({"type": "array", "minItems": 2, "maxItems": 2})
}

fn person() -> Value {
    object(&[
        ("id", int()),
        ("codice_fiscale", string()),
        ("cognome", string()),
        ("nome", string()),
        ("birth_date", string()),
        ("comune_istat", opt_string()),
        ("pseudonym", string()),
        ("identity_kind", string()),
        ("sesso", opt_string()),
        ("birth_place", opt_string()),
        ("citizenship", opt_string()),
        ("citizenship2", opt_string()),
        ("death_date", opt_string()),
        ("address", opt_string()),
        ("phone", opt_string()),
        ("email", opt_string()),
        ("no_fixed_abode", int()),
        ("merged_into", opt_int()),
    ])
}

fn case_row() -> Value {
    object(&[
        ("id", int()),
        ("person_id", int()),
        ("ambito_id", int()),
        ("ambito_code", string()),
        ("service_code", opt_string()),
        ("provider", opt_string()),
        ("opened_on", string()),
        ("closed_on", opt_string()),
    ])
}

fn case_view() -> Value {
    object(&[
        (
            "case",
            object(&[
                ("id", int()),
                ("person_id", int()),
                ("ambito_id", int()),
                ("service_code", opt_string()),
                ("provider", opt_string()),
                ("opened_on", string()),
                ("closed_on", opt_string()),
                ("state", string()),
                ("need_area", opt_string()),
                ("manager_id", opt_int()),
                ("manager", opt_string()),
                ("closure_reason", opt_string()),
                ("closure_outcome", opt_string()),
            ]),
        ),
        ("state_name", string()),
        ("managers", objects()),
        ("shares", objects()),
        ("moves", pairs()),
    ])
}

fn diary_row() -> Value {
    object(&[
        ("id", int()),
        ("case_id", int()),
        ("author", opt_string()),
        ("kind", string()),
        ("entry_type", string()),
        ("occurred_on", opt_string()),
        ("body", string()),
        ("created_at", string()),
        ("linked_note_id", opt_int()),
        ("supersedes", opt_int()),
        ("change_reason", opt_string()),
        ("voided_at", opt_string()),
    ])
}

fn contact_row() -> Value {
    object(&[
        ("id", int()),
        ("person_id", opt_int()),
        ("person_name", opt_string()),
        ("occurred_on", string()),
        ("channel", string()),
        ("requester_kind", string()),
        ("requester_name", opt_string()),
        ("need_area", string()),
        ("reason", string()),
        ("outcome", string()),
        ("referred_to", opt_string()),
        ("service_code", opt_string()),
        ("operator", opt_string()),
        ("voided_at", opt_string()),
    ])
}

fn proposal_row() -> Value {
    object(&[
        ("id", int()),
        ("ambito_id", int()),
        ("person_id", int()),
        ("cognome", string()),
        ("nome", string()),
        ("contact_id", opt_int()),
        ("need_area", string()),
        ("reason", string()),
        ("service_code", opt_string()),
        ("proposed_by", opt_string()),
        ("proposed_at", string()),
        ("state", string()),
        ("decided_by", opt_string()),
        ("decided_at", opt_string()),
        ("decision_note", opt_string()),
        ("case_id", opt_int()),
    ])
}

fn timeline_item() -> Value {
    object(&[("date", string()), ("kind", string()), ("title", string()), ("href", opt_string())])
}

fn record() -> Value {
    object(&[
        ("person", person()),
        ("addresses", objects()),
        ("household", objects()),
        ("legal", objects()),
        ("consents", objects()),
        ("disabilities", objects()),
        ("revisions", objects()),
        ("merges", objects()),
        ("cases", array(case_view())),
        ("events", objects()),
        ("diary", array(diary_row())),
        ("clinical_hidden", int()),
        ("contacts", array(contact_row())),
        ("proposals", array(proposal_row())),
        ("appointments", objects()),
        ("timeline", array(timeline_item())),
        ("may_write", boolean()),
        ("may_clinical", boolean()),
    ])
}

fn assessment_row() -> Value {
    object(&[
        ("id", int()),
        ("case_id", int()),
        ("form_id", int()),
        ("form_code", string()),
        ("form_title", string()),
        ("form_version", int()),
        ("assessed_on", string()),
        ("answers", string()),
        ("score", opt_int()),
        ("band", opt_string()),
        ("assessor_id", opt_int()),
        ("assessor", opt_string()),
        ("created_at", string()),
        ("supersedes", opt_int()),
        ("reason", opt_string()),
        ("voided_at", opt_string()),
        ("void_reason", opt_string()),
        ("superseded_by", opt_int()),
    ])
}

fn document_row() -> Value {
    object(&[
        ("id", int()),
        ("person_id", int()),
        ("ambito_id", int()),
        ("ambito_code", string()),
        ("kind", string()),
        ("title", string()),
        ("sha256", string()),
        ("mime", string()),
        ("size", int()),
        ("expires_on", opt_string()),
        ("version", int()),
        ("supersedes", opt_int()),
        ("uploaded_by", opt_int()),
        ("uploader", opt_string()),
        ("uploaded_by_citizen", int()),
        ("uploaded_at", string()),
        ("visible_to_citizen", int()),
        ("voided_at", opt_string()),
        ("void_reason", opt_string()),
    ])
}

fn caseload_row() -> Value {
    object(&[
        ("case_id", int()),
        ("person_id", int()),
        ("cognome", string()),
        ("nome", string()),
        ("comune_istat", opt_string()),
        ("service_code", opt_string()),
        ("state", string()),
        ("opened_on", string()),
        ("manager_id", opt_int()),
        ("manager", opt_string()),
    ])
}

fn created() -> Vec<(u16, Value)> {
    vec![(201, object(&[("id", int())]))]
}

/// A JSON body of the staff form's fields, each a string (a flag is set by any non-blank text).
fn form(fields: &[&str], required: &[&str]) -> Value {
    let props: serde_json::Map<String, Value> = fields.iter().map(|f| (f.to_string(), json!({"type": "string"}))).collect();
    json!({"required": true, "content": {"application/json": {"schema": {"type": "object", "required": required, "properties": props}}}})
}

const PERSON_FIELDS: &[&str] = &[
    "tipo_identita",
    "codice_fiscale",
    "cognome",
    "nome",
    "sesso",
    "data_nascita",
    "luogo_nascita",
    "cittadinanza",
    "cittadinanza2",
    "data_morte",
    "comune_residenza",
    "indirizzo",
    "telefono",
    "email",
    "senza_fissa_dimora",
    "conferma_nuova",
];
const DIARY_FIELDS: &[&str] = &["tipo", "riservatezza", "data", "testo", "collegata_a", "corregge", "motivo"];
const CONTACT_FIELDS: &[&str] =
    &["persona", "data", "canale", "richiedente", "nome_richiedente", "area", "motivo", "esito", "inviato_a", "servizio"];
/// A body: too large, not JSON, or with a mistake in a field.
const BODY_ERRORS: &[u16] = &[413, 415, 422];

pub fn doc(method: &Method, path: &str) -> Option<Doc> {
    let read = |schema: Value| Some(Doc { ok: vec![(200, schema)], body: None, errors: &[] });
    let tagged = |key: &str, schema: Value| object(&[("ambito", string()), (key, schema)]);
    // One case's routes, by what follows the case in the path.
    const CASE: &str = "/api/v1/ambiti/{code}/persone/{person}/casi/{case}";
    match (method.as_str(), path.strip_prefix(CASE).unwrap_or(path)) {
        ("GET", "/api/v1/ambiti/{code}/persone") => {
            read(tagged("risultati", array(object(&[("person", person()), ("needs_break_glass", boolean())]))))
        }
        ("POST", "/api/v1/ambiti/{code}/persone") => Some(Doc {
            ok: vec![(201, object(&[("id", int()), ("nuova", boolean())])), (200, object(&[("id", int()), ("nuova", boolean())]))],
            body: Some(form(PERSON_FIELDS, &["cognome", "nome", "data_nascita"])),
            errors: BODY_ERRORS,
        }),
        ("GET", "/api/v1/ambiti/{code}/persone/{person}") => read(record()),
        ("POST", "/diario") => Some(Doc { ok: created(), body: Some(form(DIARY_FIELDS, &["tipo", "testo"])), errors: BODY_ERRORS }),
        ("GET", "/interventi") => {
            read(object(&[("scope_person", person()), ("case", case_row()), ("items", objects()), ("services", any_array())]))
        }
        ("GET", "/valutazioni") => read(object(&[("person", person()), ("case", case_row()), ("assessments", array(assessment_row()))])),
        ("GET", "/progetto") => read(object(&[
            ("person", person()),
            ("case", case_row()),
            ("versions", array(object(&[("project", any_object()), ("goals", objects()), ("team", objects())]))),
            ("reviews", objects()),
            ("candidates", pairs()),
            ("next_review_on", opt_string()),
        ])),
        ("GET", "/api/v1/ambiti/{code}/persone/{person}/documenti") => read(object(&[
            ("person", person()),
            (
                "documents",
                array(object(&[
                    ("row", document_row()),
                    ("kind_label", string()),
                    ("expiry", string()),
                    ("superseded", boolean()),
                    ("links", pairs()),
                ])),
            ),
            ("cases", array(case_row())),
            ("requests", objects()),
            ("court_hidden", int()),
            ("may_write", boolean()),
        ])),
        ("GET", "/api/v1/ambiti/{code}/contatti") => read(tagged("contatti", array(contact_row()))),
        ("POST", "/api/v1/ambiti/{code}/contatti") => Some(Doc {
            ok: created(),
            body: Some(form(CONTACT_FIELDS, &["canale", "richiedente", "area", "motivo", "esito"])),
            errors: BODY_ERRORS,
        }),
        ("GET", "/api/v1/ambiti/{code}/lavoro") => read(object(&[
            ("my_cases", array(caseload_row())),
            ("proposals", array(proposal_row())),
            ("caseload", json!({"type": ["array", "null"], "items": pair()})),
            ("by_state", pairs()),
            ("alerts", objects()),
            ("reviews_due", objects()),
            ("court_deadlines", objects()),
        ])),
        _ => None,
    }
}

pub fn query_params(method: &Method, path: &str) -> Vec<Value> {
    match (method.as_str(), path) {
        ("GET", "/api/v1/ambiti/{code}/persone") => vec![json!({
            "name": "q", "in": "query", "required": false,
            "description": "Codice fiscale (intero o il suo inizio), codice provvisorio o parole del nome in qualsiasi ordine",
            "schema": {"type": "string"}
        })],
        ("GET", "/api/v1/ambiti/{code}/persone/{person}") => vec![
            json!({
                "name": "diario", "in": "query", "required": false,
                "description": "Pagina del diario (da 1; 50 voci per pagina, le più recenti prima)",
                "schema": {"type": "string"}
            }),
            json!({
                "name": "cronologia", "in": "query", "required": false,
                "description": "«tutta» per la cronologia completa (altrimenti le 30 righe più recenti)",
                "schema": {"type": "string"}
            }),
        ],
        _ => Vec::new(),
    }
}
