//! The OpenAPI document of the JSON API, generated from the same route table that builds the
//! router, so it lists every `/api/` route with its access policy.

use crate::access::{Policy, RouteSpec};
use serde_json::{Map, Value, json};

pub fn document(specs: &[RouteSpec]) -> Value {
    let mut paths = Map::new();
    for spec in specs.iter().filter(|s| s.path.starts_with("/api/")) {
        let params: Vec<Value> = spec
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": if name == "year" { "integer" } else { "string" }}}))
            .collect();
        let mut op = json!({
            "summary": spec.summary,
            "operationId": operation_id(spec),
            "parameters": params,
            "x-ambito-policy": policy_text(spec.policy),
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {}}},
                "400": problem("Richiesta non valida"),
                "401": problem("Autenticazione richiesta"),
                "403": problem("Accesso negato"),
                "404": problem("Ambito, anno o oggetto inesistente"),
                "429": problem("Troppi tentativi: riprovare dopo Retry-After secondi"),
                "500": problem("Errore interno (con un riferimento per il registro)")
            }
        });
        if spec.policy == Policy::Public {
            op["security"] = json!([]);
        }
        if spec.path == "/api/v1/sessione" {
            op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {
                "type": "object", "required": ["username", "password"],
                "properties": {"username": {"type": "string"}, "password": {"type": "string"}, "codice_totp": {"type": "string"}}
            }}}});
        }
        let path = paths.entry(spec.path.to_string()).or_insert_with(|| json!({}));
        path[spec.method.as_str().to_lowercase()] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "ambito API", "version": env!("CARGO_PKG_VERSION"), "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"}},
        "servers": [{"url": "/"}],
        "components": {"schemas": {"Problem": {
            "type": "object", "required": ["type", "title", "status"],
            "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"}}
        }}, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "description": "Token da POST /api/v1/sessione o da `ambito token create`"},
            "cookie": {"type": "apiKey", "in": "cookie", "name": crate::access::SESSION_COOKIE, "description": "Sessione del browser; le richieste che modificano dati richiedono anche l'intestazione X-CSRF-Token"}
        }},
        "security": [{"bearer": []}, {"cookie": []}],
        "paths": paths,
    })
}

/// An error response: a problem document (RFC 9457), as `problem::api_problems` writes it.
fn problem(description: &str) -> Value {
    json!({"description": description, "content": {crate::problem::PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}})
}

fn operation_id(spec: &RouteSpec) -> String {
    let path: String = spec.path.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    format!("{}{}", spec.method.as_str().to_lowercase(), path.trim_end_matches('_'))
}

fn policy_text(p: Policy) -> String {
    match p {
        Policy::Public => "pubblico".into(),
        Policy::Capability => "chi possiede il link".into(),
        Policy::Authenticated => "utente autenticato".into(),
        Policy::Global(perm) => format!("{} su tutti gli Ambiti", perm.code()),
        Policy::Ambito(perms) => format!("uno tra {} nell'Ambito {{code}}", perms.iter().map(|p| p.code()).collect::<Vec<_>>().join(", ")),
        Policy::Person(perm) => format!("{} sulla persona {{person}} nell'Ambito {{code}}", perm.code()),
        Policy::BreakGlass => "accesso straordinario".into(),
        Policy::OwnData => "i propri dati".into(),
    }
}
