//! What the OpenAPI document says of each JSON route beyond its path and policy: parameters'
//! types, the request body, the success response's schema and every status the route answers.
//! `crate::openapi` assembles the document; a test below checks that every `/api/` route has an
//! entry here, so a route cannot be added undocumented.

use axum::http::Method;
use serde_json::{Value, json};

/// The description of one operation.
pub struct Doc {
    /// The success status and its JSON schema.
    pub ok: Vec<(u16, Value)>,
    pub body: Option<Value>,
    /// Error statuses besides the ones every authenticated route answers (400, 401, 403, 404, 500).
    pub errors: &'static [u16],
}

pub(super) fn string() -> Value {
    json!({"type": "string"})
}
pub(super) fn opt_string() -> Value {
    json!({"type": ["string", "null"]})
}
pub(super) fn int() -> Value {
    json!({"type": "integer"})
}
pub(super) fn opt_int() -> Value {
    json!({"type": ["integer", "null"]})
}
pub(super) fn boolean() -> Value {
    json!({"type": "boolean"})
}
pub(super) fn array(items: Value) -> Value {
    json!({"type": "array", "items": items})
}
pub(super) fn any_array() -> Value {
    json!({"type": "array"})
}
pub(super) fn any_object() -> Value {
    json!({"type": "object"})
}
pub(super) fn opt_object() -> Value {
    json!({"type": ["object", "null"]})
}

/// An object whose properties are all always present.
pub(super) fn object(props: &[(&str, Value)]) -> Value {
    let required: Vec<&str> = props.iter().map(|(k, _)| *k).collect();
    let properties: serde_json::Map<String, Value> = props.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    json!({"type": "object", "required": required, "properties": properties})
}

/// A number as the API writes it: decimal text (money and indicators are never floats).
fn decimal() -> Value {
    json!({"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"})
}
fn opt_decimal() -> Value {
    json!({"type": ["string", "null"]})
}

fn ambito_row() -> Value {
    object(&[
        ("id", int()),
        ("code", string()),
        ("name", string()),
        ("distretto", opt_string()),
        ("ats", opt_string()),
        ("regione", opt_string()),
    ])
}

fn finding() -> Value {
    object(&[("file", string()), ("line", opt_int()), ("column", opt_string()), ("reason", string()), ("reason_en", string())])
}

/// What an import did: the rows it read, and what was wrong (file, line, column, reason).
fn outcome() -> Value {
    object(&[
        ("file", string()),
        ("righe", int()),
        ("applicato", boolean()),
        ("importato_in_precedenza", opt_string()),
        ("errori", array(finding())),
        ("avvisi", array(finding())),
    ])
}

/// A rejected import: a problem document whose `esito` lists every error.
pub fn rejected_import() -> Value {
    json!({"allOf": [{"$ref": "#/components/schemas/Problem"}, {"type": "object", "required": ["esito"], "properties": {"esito": outcome()}}]})
}

fn multipart(props: Value, required: &[&str]) -> Value {
    json!({"required": true, "content": {"multipart/form-data": {"schema": {"type": "object", "required": required, "properties": props, "additionalProperties": false}}}})
}

fn indicator() -> Value {
    let mut o = object(&[
        ("id", int()),
        ("objective_id", int()),
        ("code", string()),
        ("text", string()),
        ("kind", string()),
        ("measure", string()),
        ("direction", string()),
        ("baseline_value", opt_string()),
        ("baseline_year", opt_int()),
        ("target_value", opt_string()),
        ("link", opt_string()),
    ]);
    o["description"] = "Per chi legge i dati con soppressione, una base piccola che conta persone è «<3»".into();
    o
}

fn card() -> Value {
    object(&[
        ("objective", object(&[("id", int()), ("level", string()), ("code", string()), ("title", string()), ("triennium", string())])),
        ("owner", string()),
        ("resources", array(object(&[("source", string()), ("amount_cents", int())]))),
        ("actions", any_array()),
        ("indicators", array(indicator())),
        ("evaluation", opt_object()),
        ("evidence", any_array()),
        ("ancestor", opt_string()),
    ])
}

fn round_row() -> Value {
    object(&[
        ("id", int()),
        ("number", int()),
        ("year", int()),
        ("half", int()),
        ("status", json!({"type": "string", "enum": ["open", "closed"]})),
        ("opened_at", string()),
        ("closed_at", opt_string()),
        ("closed_by", opt_string()),
    ])
}

fn plan_row() -> Value {
    object(&[
        ("id", int()),
        ("triennium", string()),
        ("title", string()),
        ("status", string()),
        ("start_date", opt_string()),
        ("end_date", opt_string()),
        ("approval_body", opt_string()),
        ("approval_number", opt_string()),
        ("approval_date", opt_string()),
        ("previous_triennium", opt_string()),
    ])
}

fn round_line() -> Value {
    object(&[
        ("objective_id", int()),
        ("card_code", string()),
        ("card_title", string()),
        ("indicator", indicator()),
        ("linked", opt_string()),
        ("observed", opt_decimal()),
        ("value", opt_decimal()),
        ("blank", opt_string()),
        ("status", json!({"type": "string", "enum": ["on_track", "at_risk", "off_track", "no_data"]})),
        ("achievement", opt_decimal()),
        ("stored", opt_object()),
        ("correction", json!({"type": ["array", "null"]})),
    ])
}

fn demography() -> Value {
    object(&[
        ("years", array(int())),
        ("year", opt_int()),
        ("pyramid", any_object()),
        ("indices", any_array()),
        (
            "comuni",
            array(object(&[
                ("istat_code", string()),
                ("name", string()),
                ("males", int()),
                ("females", int()),
                ("total", int()),
                ("indices", any_array()),
            ])),
        ),
        ("targets", any_array()),
    ])
}

fn ok(schema: Value) -> Vec<(u16, Value)> {
    vec![(200, schema)]
}

/// The entry for `method path`; `None` for a route this module does not know (the test fails).
pub fn doc(method: &Method, path: &str) -> Option<Doc> {
    let read = |schema: Value| Some(Doc { ok: ok(schema), body: None, errors: &[] });
    let tagged = |key: &str, schema: Value| object(&[("ambito", string()), (key, schema)]);
    match (method.as_str(), path) {
        ("GET", "/api/v1/openapi.json") => Some(Doc { ok: ok(any_object()), body: None, errors: &[] }),
        ("POST", "/api/v1/sessione") => Some(Doc {
            ok: ok(object(&[("token", string()), ("tipo", json!({"const": "Bearer"})), ("scadenza_ore", int())])),
            body: Some(json!({"required": true, "content": {"application/json": {"schema": {
                "type": "object", "required": ["username", "password"],
                "properties": {"username": {"type": "string"}, "password": {"type": "string"}, "codice_totp": {"type": "string"}}
            }}}})),
            errors: &[401, 413, 415, 422],
        }),
        ("GET", "/api/v1/ambiti") => read(array(object(&[
            ("code", string()),
            ("name", string()),
            ("distretto", opt_string()),
            ("ats", opt_string()),
            ("regione", opt_string()),
        ]))),
        ("GET", "/api/v1/ambiti/{code}/servizi") => read(tagged(
            "servizi",
            array(object(&[
                ("id", int()),
                ("code", string()),
                ("name", string()),
                ("area_id", int()),
                ("area", string()),
                ("parent_code", opt_string()),
                ("kind", string()),
                ("default_indicator", opt_string()),
            ])),
        )),
        ("GET", "/api/v1/ambiti/{code}/attivita") => read(tagged("anni", array(int()))),
        ("GET", "/api/v1/ambiti/{code}/attivita/{year}") => read(object(&[
            ("ambito", string()),
            ("anno", int()),
            ("misure", array(string())),
            (
                "righe",
                array(object(&[
                    ("service_id", int()),
                    ("code", string()),
                    ("name", string()),
                    ("area", string()),
                    ("parent", opt_string()),
                    ("measures", json!({"type": "array", "items": opt_decimal(), "minItems": 6, "maxItems": 6})),
                    ("budget", opt_decimal()),
                    ("detailed", boolean()),
                ])),
            ),
        ])),
        ("GET", "/api/v1/ambiti/{code}/budget/{year}") => read(object(&[
            ("ambito", string()),
            ("anno", int()),
            ("budget", opt_decimal()),
            (
                "spesa",
                object(&[
                    ("sources", array(string())),
                    ("rows", any_array()),
                    ("totals_by_source", array(opt_decimal())),
                    ("total", decimal()),
                    ("source_shares", any_array()),
                ]),
            ),
        ])),
        ("GET", "/api/v1/ambiti/{code}/demografia") | ("GET", "/api/v1/ambiti/{code}/demografia/{year}") => read(demography()),
        ("GET", "/api/v1/ambiti/{code}/relazione/{year}") => read(json!({
            "type": "object",
            "description": "La relazione completa; per chi legge i dati con soppressione: ambito, anno, soppressione_celle_piccole e righe",
            "properties": {
                "ambito_code": string(), "year": int(), "areas": any_array(), "total": any_object(), "spending": any_object(),
                "ambito": string(), "anno": int(), "soppressione_celle_piccole": boolean(), "righe": array(any_object())
            }
        })),
        ("GET", "/api/v1/ambiti/{code}/piano") => read(tagged("piani", array(plan_row()))),
        ("POST", "/api/v1/ambiti/{code}/piano") => Some(Doc {
            ok: ok(outcome()),
            body: Some(multipart(json!({"file": {"type": "string", "format": "binary"}}), &["file"])),
            errors: &[413, 422],
        }),
        ("GET", "/api/v1/ambiti/{code}/piano/{tri}") => read(object(&[
            ("soppressione_celle_piccole", boolean()),
            (
                "piano",
                object(&[
                    ("ambito", ambito_row()),
                    ("plan", plan_row()),
                    ("macroareas", array(object(&[("code", string()), ("name", string()), ("rl_areas", string())]))),
                    ("cards", array(card())),
                    ("rounds", array(round_row())),
                ]),
            ),
        ])),
        ("GET", "/api/v1/ambiti/{code}/piano/{tri}/rilevazioni/{n}") => read(object(&[
            ("ambito", string()),
            ("triennio", string()),
            ("soppressione_celle_piccole", boolean()),
            ("rilevazione", object(&[("round", round_row()), ("lines", array(round_line()))])),
        ])),
        ("GET", "/api/v1/ambiti/{code}/questionari") => read(tagged(
            "questionari",
            array(object(&[
                ("code", string()),
                ("title", string()),
                ("points", int()),
                ("objective_code", opt_string()),
                ("ondate", int()),
                ("risposte", int()),
            ])),
        )),
        ("GET", "/api/v1/ambiti/{code}/questionari/{q}/risultati") => read(object(&[
            ("ambito_code", string()),
            ("ambito_name", string()),
            ("code", string()),
            ("title", string()),
            ("points", int()),
            ("objective_code", opt_string()),
            ("rows", any_array()),
            ("waves", any_array()),
            ("comparison", opt_object()),
            ("open_questions", any_array()),
        ])),
        ("GET", "/api/v1/ambiti/{code}/importazioni") => read(tagged(
            "importazioni",
            array(object(&[("id", int()), ("kind", string()), ("file_name", string()), ("rows", int()), ("imported_at", string())])),
        )),
        ("POST", "/api/v1/ambiti/{code}/importazioni") => Some(Doc {
            ok: vec![(200, outcome()), (202, object(&[("lavoro", int()), ("stato", string())]))],
            body: Some(multipart(
                json!({"tipo": {"type": "string", "enum": ["attivita", "budget", "consegne"]}, "file": {"type": "string", "format": "binary"}}),
                &["tipo", "file"],
            )),
            errors: &[413, 422],
        }),
        ("GET", "/api/v1/ambiti/{code}/lavori") => read(array(object(&[
            ("id", int()),
            ("file", string()),
            ("stato", string()),
            ("fase", string()),
            ("righe", int()),
            ("totale", int()),
            ("finito", boolean()),
        ]))),
        ("GET", "/api/v1/ambiti/{code}/lavori/{id}") => read(object(&[
            ("fase", string()),
            ("righe", int()),
            ("totale", int()),
            ("righe_al_secondo", opt_int()),
            ("secondi_alla_fine", opt_int()),
            ("finito", boolean()),
            ("applicato", json!({"type": ["boolean", "null"]})),
        ])),
        _ => super::cases_docs::doc(method, path),
    }
}

/// The query parameters of `method path` (OpenAPI parameter objects).
pub fn query_params(method: &Method, path: &str) -> Vec<Value> {
    super::cases_docs::query_params(method, path)
}

/// The schema of a path parameter, by its name (the same name means the same thing everywhere).
pub fn path_param(name: &str) -> Value {
    match name {
        "year" => json!({"type": "integer", "minimum": 1990, "maximum": 2100, "examples": [2025]}),
        "n" => json!({"type": "integer", "minimum": 1, "maximum": 9_007_199_254_740_991_i64, "examples": [1]}),
        "id" => json!({"type": "integer", "minimum": 0, "maximum": 9_007_199_254_740_991_i64}),
        "tri" => json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{4}$", "examples": ["2021-2023"]}),
        "code" => json!({"type": "string", "minLength": 1, "examples": ["ALTO_SEBINO"]}),
        "q" => json!({"type": "string", "minLength": 1, "examples": ["ADM_FAMIGLIE"]}),
        "person" | "case" => json!({"type": "integer", "minimum": 1, "maximum": 9_007_199_254_740_991_i64, "examples": [1]}),
        _ => json!({"type": "string", "minLength": 1}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_api_route_is_documented() {
        let undocumented: Vec<String> = crate::route_specs()
            .into_iter()
            .filter(|s| s.path.starts_with("/api/") && doc(&s.method, s.path).is_none())
            .map(|s| format!("{} {}", s.method, s.path))
            .collect();
        assert!(undocumented.is_empty(), "API routes without an OpenAPI entry: {undocumented:?}");
    }
}
