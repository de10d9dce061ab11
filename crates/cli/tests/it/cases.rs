//! The case record's registry, front desk and case flow over real HTTP against a real database:
//! registration with duplicate detection, contacts and proposals, role-gated moves, closure and
//! reopening, the diary's corrections, addresses over time, merges, the one-box search, and the
//! refusals of every new route for callers outside the rule.

use crate::access::{demo_app, logged_in, person_id};
use crate::browser::{Browser, location};
use crate::support::{TestDb, TestServer};
use ambito_app::access::demo::DEMO_CITIZEN_CF;
use reqwest::StatusCode;

const ALTO: &str = "/ambiti/ALTO_SEBINO";

async fn page(b: &Browser, path: &str) -> (StatusCode, String) {
    let res = b.get(path).await;
    (res.status(), res.text().await.expect("body"))
}

/// Posts a form with the CSRF token of `from`.
async fn submit(b: &Browser, from: &str, to: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = b.csrf(from).await;
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("_csrf", &csrf));
    b.post(to, &all).await
}

async fn scalar(app: &ambito_app::App, sql: &str, bind: i64) -> Option<i64> {
    let mut conn = app.store.read().await.expect("conn");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).bind(bind).fetch_optional(&mut *conn).await.expect(sql)?;
    sqlx::Row::try_get::<Option<i64>, _>(&row, 0).expect("column")
}

async fn count(app: &ambito_app::App, table: &str) -> i64 {
    scalar(app, &format!("SELECT COUNT(*) FROM {table} WHERE $1 = $1"), 0).await.unwrap_or(0)
}

#[tokio::test]
async fn the_front_desk_registers_once_and_refuses_bad_identities_field_by_field() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let desk = logged_in(&server.base, "alto.amministrativo").await;
    let form = format!("{ALTO}/persone/nuova");
    let persons = count(&app, "person").await;

    // A codice fiscale that contradicts the birth date, a future birth, a bad Belfiore code:
    // all reported at once, nothing written.
    let res = submit(
        &desk,
        &form,
        &format!("{ALTO}/persone"),
        &[
            ("codice_fiscale", "RSSMRA85T10A562S"),
            ("cognome", "Rossi"),
            ("nome", "Mario"),
            ("data_nascita", "1985-12-11"),
            ("luogo_nascita", "XX"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.expect("body");
    assert!(body.contains("non corrisponde al codice fiscale") && body.contains("codice Belfiore"), "{body}");
    assert!(body.contains("value=\"Rossi\""), "typed values are kept");
    let res = submit(
        &desk,
        &form,
        &format!("{ALTO}/persone"),
        &[("codice_fiscale", "XYZ"), ("cognome", "A"), ("nome", "B"), ("data_nascita", "2999-01-01")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("body").contains("la data è nel futuro"));
    assert_eq!(count(&app, "person").await, persons, "nothing written");

    // A new person, then the same codice fiscale again: one person, not two.
    let fields = [
        ("codice_fiscale", "BNCLRA80A41A794S"),
        ("cognome", "Bianchi"),
        ("nome", "Laura"),
        ("sesso", "F"),
        ("data_nascita", "1980-01-01"),
        ("luogo_nascita", "A794"),
        ("cittadinanza", "100"),
        ("comune_residenza", "016086"),
        ("indirizzo", "Via Roma 1"),
    ];
    let res = submit(&desk, &form, &format!("{ALTO}/persone"), &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap_or_default());
    let record = location(&res);
    let res = submit(&desk, &form, &format!("{ALTO}/persone"), &fields).await;
    assert_eq!(location(&res), record, "the same codice fiscale opens the same record");
    assert_eq!(count(&app, "person").await, persons + 1);
    let (status, body) = page(&desk, &record).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Bianchi Laura") && body.contains("Via Roma 1") && body.contains("A794"));

    // Same name and birth date with another code: a possible duplicate, registered only when confirmed.
    let twin = [("tipo_identita", "temp"), ("cognome", "Bianchi"), ("nome", "Laura"), ("data_nascita", "1980-01-01")];
    let res = submit(&desk, &form, &format!("{ALTO}/persone"), &twin).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("body").contains("possibile duplicato"));
    let mut confirmed = twin.to_vec();
    confirmed.push(("conferma_nuova", "1"));
    let res = submit(&desk, &form, &format!("{ALTO}/persone"), &confirmed).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let temp_record = location(&res);

    // The provisional identity gets its real codice fiscale: the two records are merged, and
    // the merge can be undone.
    let temp_id: i64 = temp_record.rsplit('/').next().and_then(|s| s.parse().ok()).expect("id");
    let real_id: i64 = record.rsplit('/').next().and_then(|s| s.parse().ok()).expect("id");
    let res = submit(
        &desk,
        &temp_record,
        &format!("{temp_record}/anagrafica"),
        &[
            ("tipo_identita", "cf"),
            ("codice_fiscale", "BNCLRA80A41A794S"),
            ("cognome", "Bianchi"),
            ("nome", "Laura"),
            ("data_nascita", "1980-01-01"),
            ("motivo", "Presentato il codice fiscale"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), record, "merged into the record with the real code");
    let merged_into = |id: i64| scalar(&app, "SELECT merged_into FROM person WHERE id = $1", id);
    assert_eq!(merged_into(temp_id).await, Some(real_id));
    let (_, body) = page(&desk, &record).await;
    assert!(body.contains("Annulla l&#x27;unione") || body.contains("Annulla l'unione"), "the merge is listed with its undo");
    let merge_id = scalar(&app, "SELECT MAX(id) FROM person_merge WHERE survivor_id = $1", real_id).await.expect("merge");
    let res = submit(&desk, &record, &format!("{record}/unione/{merge_id}/annulla"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(merged_into(temp_id).await, None, "undone");

    // A correction keeps the old values, with who and why.
    let res = submit(
        &desk,
        &record,
        &format!("{record}/anagrafica"),
        &[
            ("tipo_identita", "cf"),
            ("codice_fiscale", "BNCLRA80A41A794S"),
            ("cognome", "Bianchi"),
            ("nome", "Laura Maria"),
            ("sesso", "F"),
            ("data_nascita", "1980-01-01"),
            ("motivo", "Secondo nome dal documento"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, body) = page(&desk, &record).await;
    assert!(body.contains("Laura Maria") && body.contains("Secondo nome dal documento") && body.contains("Storico delle modifiche"));
    db.drop_pg().await;
}

#[tokio::test]
async fn a_contact_becomes_a_proposal_a_case_and_moves_by_role_to_closure_and_back() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let desk = logged_in(&server.base, "alto.amministrativo").await;
    let lucia = person_id(&app, "VRDLCU90A41D969R").await;
    let contacts = format!("{ALTO}/accessi");

    // Anonymous contact: stays anonymous. A proposal needs a person.
    let res = submit(
        &desk,
        &contacts,
        &contacts,
        &[
            ("canale", "telefono"),
            ("richiedente", "familiare"),
            ("area", "anziani"),
            ("motivo", "Informazioni sul SAD"),
            ("esito", "informazione"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = submit(
        &desk,
        &contacts,
        &contacts,
        &[("canale", "sportello"), ("richiedente", "interessato"), ("area", "anziani"), ("motivo", "x"), ("esito", "proposta")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("body").contains("richiede la persona"));
    let res = submit(
        &desk,
        &contacts,
        &contacts,
        &[("canale", "sportello"), ("richiedente", "interessato"), ("area", "anziani"), ("motivo", "x"), ("esito", "invio")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a referral names where to");
    let pid = lucia.to_string();
    let res = submit(
        &desk,
        &contacts,
        &contacts,
        &[
            ("persona", &pid),
            ("canale", "sportello"),
            ("richiedente", "interessato"),
            ("area", "anziani"),
            ("motivo", "Non riesce più a fare la spesa da sola"),
            ("esito", "proposta"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, log) = page(&desk, &contacts).await;
    assert!(log.contains("anonimo") && log.contains("Verdi Lucia"));

    // The social worker sees the proposal in the work list and accepts it: a case opens with
    // them as case manager.
    let worker = logged_in(&server.base, "alto.assistente").await;
    let (status, list) = page(&worker, &format!("{ALTO}/lavoro")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Non riesce più a fare la spesa"));
    // The card of this proposal (the demo has others waiting).
    let card = list.split("Non riesce più a fare la spesa").nth(1).expect("card");
    let proposal = card.split("/proposte/").nth(1).and_then(|s| s.split('"').next()).expect("proposal id").to_string();
    let res = submit(&worker, &format!("{ALTO}/lavoro"), &format!("{ALTO}/proposte/{proposal}"), &[("decisione", "respinge")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a rejection needs a note");
    let res = submit(
        &worker,
        &format!("{ALTO}/lavoro"),
        &format!("{ALTO}/proposte/{proposal}"),
        &[("decisione", "accetta"), ("servizio", "SAD")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = submit(&worker, &format!("{ALTO}/lavoro"), &format!("{ALTO}/proposte/{proposal}"), &[("decisione", "accetta")]).await;
    assert_ne!(res.status(), StatusCode::SEE_OTHER, "a proposal is decided once");
    let record = format!("{ALTO}/persone/{lucia}");
    let (status, body) = page(&worker, &record).await;
    assert_eq!(status, StatusCode::OK, "the new case manager is in the care team");
    assert!(body.contains("Valutazione del bisogno"));
    let case: String = body.split("/casi/").nth(1).and_then(|s| s.split('/').next()).expect("case id").to_string();

    // Moves: the educator may not close; a closure before the opening is refused; the worker
    // closes and reopens, and the timeline keeps both.
    let res = submit(&worker, &record, &format!("{record}/casi/{case}/stato"), &[("stato", "progetto")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = submit(
        &worker,
        &record,
        &format!("{record}/casi/{case}/stato"),
        &[("stato", "chiuso"), ("data", "2000-01-01"), ("motivo", "rinuncia"), ("esito", "parziale")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("body").contains("la chiusura precede"));
    let res =
        submit(&worker, &record, &format!("{record}/casi/{case}/stato"), &[("stato", "chiuso"), ("motivo", "boh"), ("esito", "parziale")])
            .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "an unknown closure reason");
    let res = submit(
        &worker,
        &record,
        &format!("{record}/casi/{case}/stato"),
        &[("stato", "chiuso"), ("motivo", "rinuncia"), ("esito", "parziale")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = submit(
        &worker,
        &record,
        &format!("{record}/casi/{case}/stato"),
        &[("stato", "valutazione"), ("nota", "Nuova richiesta della figlia")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, body) = page(&worker, &record).await;
    assert!(body.contains("Chiusura del caso") && body.contains("Riapertura del caso"), "the whole history stays");
    let events = scalar(&app, "SELECT COUNT(*) FROM case_event WHERE case_id = $1", case.parse().expect("id")).await.unwrap_or(0);
    assert_eq!(events, 4, "opening, progetto, closure, reopening: every move is an event");

    let educator = logged_in(&server.base, "alto.educatore").await;
    let mario = person_id(&app, DEMO_CITIZEN_CF).await;
    let mario_record = format!("{ALTO}/persone/{mario}");
    let (_, body) = page(&educator, &mario_record).await;
    let mario_case: String = body.split("/casi/").nth(1).and_then(|s| s.split('/').next()).expect("case").to_string();
    let res = submit(
        &educator,
        &mario_record,
        &format!("{mario_record}/casi/{mario_case}/stato"),
        &[("stato", "chiuso"), ("motivo", "rinuncia"), ("esito", "parziale")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("body").contains("non è consentito al proprio ruolo"));
    db.drop_pg().await;
}

#[tokio::test]
async fn the_diary_corrects_without_deleting_and_addresses_keep_their_history() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let mario = person_id(&app, DEMO_CITIZEN_CF).await;
    let record = format!("{ALTO}/persone/{mario}");
    let worker = logged_in(&server.base, "alto.assistente").await;
    let (_, body) = page(&worker, &record).await;
    let case: String = body.split("/casi/").nth(1).and_then(|s| s.split('/').next()).expect("case").to_string();
    let diary = format!("{record}/casi/{case}/diario");
    let res = submit(
        &worker,
        &record,
        &diary,
        &[("tipo", "visita_domiciliare"), ("riservatezza", "sociale"), ("testo", "Casa in ordine, frigorifero vuoto")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let notes = count(&app, "case_note").await;
    let first = scalar(&app, "SELECT MAX(id) FROM case_note WHERE $1 = $1", 0).await.expect("note");
    let res = submit(
        &worker,
        &record,
        &diary,
        &[("tipo", "visita_domiciliare"), ("testo", "Casa in ordine, frigorifero quasi vuoto"), ("corregge", &first.to_string())],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a correction needs its reason");
    let res = submit(
        &worker,
        &record,
        &diary,
        &[
            ("tipo", "visita_domiciliare"),
            ("testo", "Casa in ordine, frigorifero quasi vuoto"),
            ("corregge", &first.to_string()),
            ("motivo", "refuso"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, "case_note").await, notes + 1, "the old entry is kept");
    let (_, body) = page(&worker, &record).await;
    assert!(
        body.contains("<del>Casa in ordine, frigorifero vuoto</del>")
            && body.contains("frigorifero quasi vuoto")
            && body.contains("refuso")
    );
    let res = submit(&worker, &record, &diary, &[("tipo", "colloquio"), ("testo", "Domani"), ("data", "2999-01-01")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "no diary entry in the future");

    // Addresses: a move ends the current residence; an overlapping period is refused.
    let add = format!("{record}/anagrafica/indirizzo");
    let res = submit(
        &worker,
        &record,
        &add,
        &[("tipo", "residenza"), ("comune", "016086"), ("indirizzo", "Via Lago 3"), ("valido_dal", "2020-01-01")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = submit(
        &worker,
        &record,
        &add,
        &[("tipo", "residenza"), ("comune", "016086"), ("indirizzo", "Via Monte 9"), ("valido_dal", "2024-05-01")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = submit(
        &worker,
        &record,
        &add,
        &[("tipo", "residenza"), ("indirizzo", "Via Falsa 1"), ("valido_dal", "2021-01-01"), ("valido_al", "2021-06-30")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("body").contains("si sovrappone"));
    let (_, body) = page(&worker, &record).await;
    assert!(
        body.contains("Via Lago 3 (016086), dal 2020-01-01 al 2024-04-30") && body.contains("Via Monte 9"),
        "the move closed the old one"
    );
    db.drop_pg().await;
}

#[tokio::test]
async fn the_one_box_search_forgives_accents_case_and_typos_but_not_the_access_rules() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let head = logged_in(&server.base, "alto.responsabile").await;
    let search = |q: &str| format!("{ALTO}/persone?q={}", q.replace(' ', "+"));
    for q in ["rossi", "ROSSI mario", "mario rossi", "Rosi", "rssmra85", "Rossì"] {
        let (status, body) = page(&head, &search(q)).await;
        assert_eq!(status, StatusCode::OK);
        let results = body.split("Risultati della ricerca").nth(1).unwrap_or_default();
        assert!(results.contains("Rossi Mario"), "«{q}» finds Mario Rossi");
    }
    let (_, body) = page(&head, &search("Neri")).await;
    assert!(body.contains("Nessuna persona trovata"), "a Basso Sebino person is not found from Alto Sebino");
    // The social worker finds persons outside the team only as "break-glass".
    let worker = logged_in(&server.base, "alto.assistente").await;
    let (_, body) = page(&worker, &search("verdi")).await;
    assert!(body.contains("Verdi Lucia") && body.contains("accesso straordinario"));
    let ente = logged_in(&server.base, "alto.ente").await;
    let (_, body) = page(&ente, &search("rossi")).await;
    assert!(body.contains("Nessuna persona trovata"), "the provider sees only its own cases");
    let log = app
        .search_audit(&ambito_store::AuditQuery { ambito: Some("ALTO_SEBINO".into()), limit: 10_000, ..Default::default() })
        .await
        .expect("audit");
    let log: Vec<_> = log.into_iter().filter(|e| e.action == "person.search").collect();
    assert!(log.len() >= 8, "every search is audited");
    assert!(log.iter().all(|e| !e.object.contains("rossi")), "the typed text is not stored");
    db.drop_pg().await;
}

#[tokio::test]
async fn every_new_route_refuses_callers_outside_the_rule() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let mario = person_id(&app, DEMO_CITIZEN_CF).await;
    let record = format!("{ALTO}/persone/{mario}");
    let case = scalar(&app, "SELECT MIN(id) FROM care_case WHERE person_id = $1", mario).await.expect("case");
    let writes = [
        format!("{ALTO}/persone"),
        format!("{record}/anagrafica"),
        format!("{record}/anagrafica/indirizzo"),
        format!("{record}/unione"),
        format!("{record}/casi/{case}/stato"),
        format!("{record}/casi/{case}/diario"),
        format!("{record}/casi/{case}/condivisione"),
        format!("{record}/casi/{case}/appuntamenti"),
        format!("{ALTO}/accessi"),
        format!("{ALTO}/proposte/1"),
    ];
    let reads = [format!("{ALTO}/lavoro"), format!("{ALTO}/accessi"), format!("{ALTO}/persone/nuova")];
    for user in ["basso.assistente", "alto.valutatore", "cittadino.rossi"] {
        let b = logged_in(&server.base, user).await;
        let csrf = b.csrf("/").await;
        for path in &writes {
            let status = b.post(path, &[("_csrf", &csrf), ("testo", "x")]).await.status();
            assert_eq!(status, StatusCode::FORBIDDEN, "{user} POST {path}");
        }
        for path in &reads {
            let status = b.get(path).await.status();
            assert_eq!(status, StatusCode::FORBIDDEN, "{user} GET {path}");
        }
        // The citizen's own record is in their area, not on the staff page.
        let res = b.get(&record).await;
        if user == "cittadino.rossi" {
            assert_eq!((res.status(), location(&res).as_str()), (StatusCode::SEE_OTHER, "/area-personale"));
        } else {
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{user} GET {record}");
        }
    }
    // The provider reads its own cases only and writes nothing in the record.
    let ente = logged_in(&server.base, "alto.ente").await;
    let csrf = ente.csrf("/").await;
    assert_eq!(
        ente.post(&format!("{record}/casi/{case}/diario"), &[("_csrf", &csrf), ("testo", "x")]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(ente.post(&format!("{ALTO}/accessi"), &[("_csrf", &csrf)]).await.status(), StatusCode::FORBIDDEN);
    // A case id of another person is "not found", never another person's case.
    let lucia = person_id(&app, "VRDLCU90A41D969R").await;
    let head = logged_in(&server.base, "alto.responsabile").await;
    let csrf = head.csrf("/").await;
    let status = head
        .post(&format!("{ALTO}/persone/{lucia}/casi/{case}/diario"), &[("_csrf", &csrf), ("tipo", "nota"), ("testo", "x")])
        .await
        .status();
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Anonymous callers go to the login page.
    let anon = Browser::new(&server.base);
    let res = anon.get(&format!("{ALTO}/lavoro")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/accesso"));
    db.drop_pg().await;
}
