//! The OpenAPI document of the JSON API, generated from the same route table that builds the
//! router, so it lists every `/api/` route with its access policy.

use crate::access::{Policy, RouteSpec};
use crate::api::docs;
use serde_json::{Map, Value, json};

pub fn document(specs: &[RouteSpec]) -> Value {
    let mut paths = Map::new();
    for spec in specs.iter().filter(|s| s.path.starts_with("/api/")) {
        let params: Vec<Value> = spec
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": docs::path_param(name)}))
            .chain(docs::query_params(&spec.method, spec.path))
            .collect();
        let doc = docs::doc(&spec.method, spec.path).unwrap_or(docs::Doc { ok: vec![(200, json!({}))], body: None, errors: &[] });
        let mut responses = Map::new();
        for (status, schema) in doc.ok {
            responses.insert(status.to_string(), json!({"description": "OK", "content": {"application/json": {"schema": schema}}}));
        }
        let public = spec.policy == Policy::Public;
        let mut errors: Vec<u16> = vec![400, 401, 403, 404, 500];
        errors.extend(doc.errors);
        errors.sort_unstable();
        errors.dedup();
        for status in errors {
            let response = match status {
                422 if doc.body.as_ref().is_some_and(|b| b["content"].get("multipart/form-data").is_some()) => {
                    json!({"description": description(status), "content": {crate::problem::PROBLEM_JSON: {"schema": docs::rejected_import()}}})
                }
                _ => problem(description(status)),
            };
            responses.insert(status.to_string(), response);
        }
        let mut op = json!({
            "summary": spec.summary,
            "operationId": operation_id(spec),
            "parameters": params,
            "x-ambito-policy": policy_text(spec.policy),
            "responses": responses,
        });
        if public {
            op["security"] = json!([]);
        }
        if let Some(body) = doc.body {
            op["requestBody"] = body;
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

fn description(status: u16) -> &'static str {
    match status {
        400 => "Richiesta non valida (parametro, modulo o corpo non leggibile)",
        401 => "Autenticazione richiesta",
        403 => "Accesso negato",
        404 => "Ambito, anno o oggetto inesistente",
        413 => "Corpo della richiesta troppo grande",
        415 => "Tipo di contenuto non supportato (serve application/json)",
        422 => "Dati non validi: nulla è stato scritto",
        _ => "Errore interno (con un riferimento per il registro)",
    }
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
