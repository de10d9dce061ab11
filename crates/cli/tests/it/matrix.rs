//! The authorization matrix: every route of the router (from its own route table) × every role
//! (and no login) × both demo Ambiti × persons that belong to someone else. The expected answer
//! comes from the oracles below and in `route_oracle.rs` (each route's intended policy), written from
//! the role table, not from the code under test.

use crate::access::{DEMO_PASSWORD, demo_app, person_id};
use crate::route_oracle;
use crate::support::{TestDb, TestServer, bearer_client, token_for};
use ambito_domain::access::Perm;
use ambito_web::Policy;
use reqwest::StatusCode;

/// The permissions each role is meant to have (docs/ARCHITECTURE.md, "Access").
fn perms(role: &str) -> &'static [&'static str] {
    const CARE: &[&str] = &[
        "report.read",
        "activity.read",
        "person.read",
        "person.write",
        "clinical.read",
        "clinical.write",
        "person.break_glass",
        "plan.read",
        "scope.care_team",
    ];
    match role {
        "admin" => &[
            "report.read",
            "report.read_suppressed",
            "report.write",
            "activity.read",
            "activity.write",
            "budget.write",
            "import.write",
            "delivery.import",
            "person.read",
            "person.write",
            "clinical.read",
            "clinical.write",
            "person.export",
            "person.break_glass",
            "audit.read",
            "user.manage",
            "role.manage",
            "plan.read",
            "plan.write",
            "questionnaire.manage",
        ],
        "responsabile" => &[
            "report.read",
            "report.write",
            "activity.read",
            "activity.write",
            "budget.write",
            "import.write",
            "delivery.import",
            "person.read",
            "person.write",
            "clinical.read",
            "clinical.write",
            "person.export",
            "audit.read",
            "user.manage",
            "plan.read",
            "plan.write",
            "questionnaire.manage",
        ],
        "assistente_sociale" | "educatore" | "psicologo" => CARE,
        "amministrativo" => &[
            "report.read",
            "report.write",
            "activity.read",
            "activity.write",
            "budget.write",
            "import.write",
            "delivery.import",
            "person.read",
            "person.write",
            "plan.read",
        ],
        "operatore_comunale" => &["report.read", "activity.read", "person.read", "person.write", "plan.read"],
        "ente_gestore" => &["delivery.import", "person.read"],
        "valutatore" => &["report.read_suppressed", "plan.read"],
        "dpo" => &["audit.read", "person.export", "report.read"],
        "cittadino" => &["self.read"],
        _ => &[],
    }
}

struct Who {
    user: Option<String>,
    role: &'static str,
    ambito: Option<&'static str>,
    comune: Option<&'static str>,
    provider: Option<&'static str>,
}

/// A demo person: Comune of residence and cases as (Ambito, provider, care team usernames).
struct Person {
    id: i64,
    comune: &'static str,
    citizen: bool,
    cases: Vec<(&'static str, Option<&'static str>, Vec<&'static str>)>,
}

enum Outcome {
    Allow,
    Deny,
}

fn has(who: &Who, perm: &str) -> bool {
    perms(who.role).contains(&perm)
}

fn covers(who: &Who, ambito: &str) -> bool {
    who.ambito.is_none_or(|a| a == ambito)
}

/// The care-team decision for one person, as the issue states it.
fn person_rule(who: &Who, perm: &str, ambito: &str, p: Option<&Person>) -> (bool, bool) {
    let Some(p) = p else { return (false, false) };
    if who.role == "cittadino" {
        return (p.citizen && matches!(perm, "person.read" | "person.export"), false);
    }
    let cases: Vec<_> = p.cases.iter().filter(|c| c.0 == ambito).collect();
    if cases.is_empty() || !has(who, perm) || !covers(who, ambito) {
        return (false, false);
    }
    if who.comune.is_some_and(|c| c != p.comune) {
        return (false, false);
    }
    if let Some(prov) = who.provider
        && !cases.iter().any(|c| c.1 == Some(prov))
    {
        return (false, false);
    }
    if has(who, "scope.care_team") {
        let in_team = who.user.as_deref().is_some_and(|u| cases.iter().any(|c| c.2.contains(&u)));
        return (in_team, !in_team && has(who, "person.break_glass"));
    }
    (true, false)
}

/// The answer a caller should get, judged by the route's *intended* policy (the hand-written
/// oracle), so a route registered too openly is caught here.
fn expected(policy: Policy, who: &Who, ambito: &str, person: Option<&Person>) -> Outcome {
    let yes = |b: bool| if b { Outcome::Allow } else { Outcome::Deny };
    if matches!(policy, Policy::Public | Policy::Capability) {
        return Outcome::Allow;
    }
    if who.user.is_none() {
        return Outcome::Deny;
    }
    match policy {
        Policy::Public | Policy::Capability | Policy::Authenticated => Outcome::Allow,
        Policy::Global(p) => yes(who.ambito.is_none() && has(who, p.code())),
        Policy::Ambito(ps) => yes(covers(who, ambito) && ps.iter().any(|p| has(who, p.code()))),
        Policy::Person(p) => yes(person_rule(who, p.code(), ambito, person).0),
        Policy::BreakGlass => yes(person_rule(who, "person.read", ambito, person).1),
        Policy::OwnData => yes(who.role == "cittadino"),
    }
}

fn concrete(path: &str, ambito: &str, person: Option<i64>) -> String {
    path.replace("{code}", ambito)
        .replace("{person}", &person.map(|p| p.to_string()).unwrap_or_default())
        .replace("{year}", "2025")
        .replace("{file}", "2025.csv")
        .replace("{token}", "0000")
        .replace("{username}", "nessuno")
        .replace("{q}", "ADM_FAMIGLIE")
        .replace("{tri}", "2021-2023")
        .replace("{id}", "1")
        .replace("{ind}", "1")
        .replace("{n}", "1")
        .replace("{format}", "csv")
        .replace("{case}", "1")
        .replace("{list}", "indirizzo")
        .replace("{assessment}", "1")
        .replace("{document}", "1")
        .replace("{transfer}", "1")
        .replace("{request}", "1")
        .replace("{intervention}", "1")
}

/// Every demo account with an API token of its own, and an anonymous browser holding a CSRF
/// cookie (so that what it meets is the access policy, not the CSRF check, tested on its own in
/// access.rs) with its token.
async fn callers(app: &ambito_app::App, base: &str) -> (Vec<(Who, Option<reqwest::Client>)>, reqwest::Client, String) {
    let mut callers: Vec<(Who, Option<reqwest::Client>)> =
        vec![(Who { user: None, role: "", ambito: None, comune: None, provider: None }, None)];
    for u in ambito_app::access::demo::demo_users(DEMO_PASSWORD) {
        let comune = match (u.role, u.ambito) {
            ("operatore_comunale", Some("ALTO_SEBINO")) => Some("016086"),
            ("operatore_comunale", _) => Some("016193"),
            _ => None,
        };
        let provider = (u.role == "ente_gestore").then_some("COOP_SEBINO");
        let client = bearer_client(&token_for(app, &u.username).await);
        callers.push((Who { user: Some(u.username.clone()), role: u.role, ambito: u.ambito, comune, provider }, Some(client)));
    }
    let anon = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().expect("client");
    let anon_csrf = crate::browser::csrf_of(&anon.get(format!("{base}/accesso")).send().await.expect("GET").text().await.expect("body"));
    (callers, anon, anon_csrf)
}

/// Refused or sent to log in.
fn denied(status: StatusCode) -> bool {
    matches!(status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED | StatusCode::SEE_OTHER)
}

/// The refusals a route's policy alone does not express (issue 10): the plan file carries every
/// figure, so readers of suppressed figures (evaluators) may not download it although they may
/// read the plan; and a plan file of one Ambito posted to another's route is refused to everyone,
/// writers of that Ambito included, and changes nothing.
#[tokio::test]
async fn plan_files_and_cross_ambito_imports_answer_every_role_as_the_rules_say() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let (callers, anon, anon_csrf) = callers(&app, &server.base).await;
    let file_of = |code: &'static str| {
        let app = app.clone();
        async move { app.export_plan_json(code, "2021-2023").await.expect("export") }
    };
    let files = [("ALTO_SEBINO", file_of("BASSO_SEBINO").await), ("BASSO_SEBINO", file_of("ALTO_SEBINO").await)];
    let before = [file_of("ALTO_SEBINO").await, file_of("BASSO_SEBINO").await];
    let (mut checked, mut failures) = (0, Vec::new());
    for (who, client) in &callers {
        let client = client.as_ref().unwrap_or(&anon);
        for (ambito, other_file) in &files {
            let reads = who.user.is_some() && covers(who, ambito) && has(who, "plan.read");
            for (doc, allowed) in
                [("piano.json", reads && has(who, "report.read")), ("piano.xlsx", reads && has(who, "report.read")), ("piano.pdf", reads)]
            {
                let url = format!("{}/ambiti/{ambito}/piano/2021-2023/documenti/{doc}", server.base);
                let status = client.get(&url).send().await.expect("GET").status();
                checked += 1;
                if allowed != (status == StatusCode::OK) || (!allowed && !denied(status)) {
                    failures.push(format!("GET {url} as {:?} ({}) → {status}", who.user, who.role));
                }
            }
            let writes = who.user.is_some() && covers(who, ambito) && has(who, "plan.write");
            let part = reqwest::multipart::Part::bytes(other_file.clone()).file_name("piano.json");
            let url = format!("{}/ambiti/{ambito}/piano", server.base);
            let res = client.post(&url).header("x-csrf-token", &anon_csrf).multipart(reqwest::multipart::Form::new().part("file", part));
            let status = res.send().await.expect("POST").status();
            checked += 1;
            let ok = if writes { status == StatusCode::UNPROCESSABLE_ENTITY } else { denied(status) };
            if !ok {
                failures.push(format!("POST {url} (the other Ambito's file) as {:?} ({}) → {status}", who.user, who.role));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} checks failed:\n{}", failures.len(), failures.join("\n"));
    assert_eq!([file_of("ALTO_SEBINO").await, file_of("BASSO_SEBINO").await], before, "no plan changed");
    db.drop_pg().await;
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_policy_says() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let specs = ambito_web::route_specs();
    assert!(specs.len() >= 35, "{} routes", specs.len());

    let persons = [
        Person {
            id: person_id(&app, "RSSMRA85T10A562S").await,
            comune: "016086",
            citizen: true,
            cases: vec![("ALTO_SEBINO", None, vec!["alto.assistente", "alto.educatore"])],
        },
        Person {
            id: person_id(&app, "VRDLCU90A41D969R").await,
            comune: "016102",
            citizen: false,
            cases: vec![("ALTO_SEBINO", Some("COOP_SEBINO"), vec![])],
        },
        Person {
            id: person_id(&app, "BNCGNN75M12F205W").await,
            comune: "016086",
            citizen: false,
            cases: vec![("ALTO_SEBINO", None, vec![]), ("BASSO_SEBINO", None, vec!["basso.assistente"])],
        },
        Person {
            id: person_id(&app, "NREANN82D55L219H").await,
            comune: "016193",
            citizen: false,
            cases: vec![("BASSO_SEBINO", None, vec!["basso.assistente"])],
        },
    ];
    let missing = 999_999;

    let (callers, anon, anon_csrf) = callers(&app, &server.base).await;

    let (mut checked, mut allowed, mut failures) = (0, 0, Vec::new());
    let unknown: Vec<String> =
        specs.iter().filter(|s| route_oracle::policy_of(s).is_none()).map(|s| format!("{} {}", s.method, s.path)).collect();
    assert!(unknown.is_empty(), "routes without a row in the route oracle: {unknown:?}");
    for spec in &specs {
        let intended = route_oracle::policy_of(spec).unwrap_or(Policy::Public);
        // Court material (issue 15) is read under the write rule: the application refuses the
        // readers the route lets in who may not write the record (ente gestore, citizen).
        let intended = match intended {
            Policy::Person(Perm::PersonRead) if spec.path.contains("/tribunale") => Policy::Person(Perm::PersonWrite),
            other => other,
        };
        let has_person = spec.path.contains("{person}");
        let ambiti: &[&str] = if spec.path.contains("{code}") { &["ALTO_SEBINO", "BASSO_SEBINO"] } else { &["ALTO_SEBINO"] };
        let mut targets: Vec<Option<&Person>> = if has_person { persons.iter().map(Some).collect() } else { vec![None] };
        if has_person {
            targets.push(None);
        }
        for ambito in ambiti {
            for target in &targets {
                let pid = if has_person { Some(target.map_or(missing, |p| p.id)) } else { None };
                let url = format!("{}{}", server.base, concrete(spec.path, ambito, pid));
                for (who, client) in &callers {
                    let client = client.as_ref().unwrap_or(&anon);
                    let res = client.request(spec.method.clone(), &url).header("x-csrf-token", &anon_csrf).send().await.expect("request");
                    let status = res.status();
                    // Only someone not logged in is sent to the login form (a logged-in caller
                    // meets it only when logging out).
                    let to_login = who.user.is_none()
                        && status == StatusCode::SEE_OTHER
                        && res.headers().get("location").and_then(|v| v.to_str().ok()).is_some_and(|l| l.starts_with("/accesso"))
                        && !matches!(intended, Policy::Public | Policy::Capability);
                    let denied = matches!(status, StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED) || to_login;
                    // The case record's working material (assessments, the project) is staff
                    // only: the citizen's own-data right covers their page and exports, and the
                    // use cases refuse the rest (issue 15).
                    let staff_only = who.role == "cittadino" && (spec.path.contains("/valutazioni") || spec.path.contains("/progetto"));
                    let outcome = if staff_only { Outcome::Deny } else { expected(intended, who, ambito, *target) };
                    let ok = match outcome {
                        Outcome::Allow => {
                            allowed += 1;
                            // A made-up id may well be 404: what matters here is that it is not refused.
                            !denied
                        }
                        Outcome::Deny => denied,
                    };
                    checked += 1;
                    if !ok {
                        failures.push(format!("{} {} as {:?} ({}) → {status}", spec.method, url, who.user, who.role));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} checks failed:\n{}", failures.len(), failures.join("\n"));
    let v = app.verify_audit().await.expect("verify");
    assert!(v.error.is_none(), "{:?}", v.error);
    println!(
        "matrix: {} routes, {} callers, {checked} checks ({allowed} allowed); audit chain verified over {} entries",
        specs.len(),
        callers.len(),
        v.entries
    );
    db.drop_pg().await;
}
