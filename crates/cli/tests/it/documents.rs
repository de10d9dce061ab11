//! Documents once-only, the citizen's view and transfers between Ambiti (issue 15, slice H3),
//! over real HTTP against a real database (SQLite, or PostgreSQL with `AMBITO_TEST_PG`).

use crate::access::{demo_app, person_id};
use crate::support::{TestDb, TestServer, bearer_client, token_for};
use ambito_app::App;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

const ALTO: &str = "ALTO_SEBINO";
const BASSO: &str = "BASSO_SEBINO";
const ROSSI: &str = "RSSMRA85T10A562S";
const BIANCHI: &str = "BNCGNN75M12F205W";
/// The Alto Sebino diary notes of Mario Rossi (demo), which no one outside that Ambito may read.
const ROSSI_NOTES: [&str; 2] = ["Primo colloquio", "Relazione sanitaria"];

fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.7\n% {text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n").into_bytes()
}

fn png() -> Vec<u8> {
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec()
}

/// A Windows executable, to be sent under a harmless name.
fn exe() -> Vec<u8> {
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF\x00\x00This program cannot be run in DOS mode.\r\n".to_vec()
}

async fn client(app: &App, user: &str) -> reqwest::Client {
    bearer_client(&token_for(app, user).await)
}

fn docs_url(base: &str, code: &str, person: i64) -> String {
    format!("{base}/ambiti/{code}/persone/{person}/documenti")
}

/// Uploads `bytes` as `name` through the staff form.
async fn upload(c: &reqwest::Client, url: &str, kind: &str, title: &str, name: &str, bytes: Vec<u8>, visible: bool) -> reqwest::Response {
    let mut form = Form::new().text("tipo", kind.to_string()).text("titolo", title.to_string()).text("scadenza", "2030-12-31");
    if visible {
        form = form.text("visibile", "1");
    }
    form = form.part("file", Part::bytes(bytes).file_name(name.to_string()));
    c.post(url).multipart(form).send().await.expect("POST")
}

fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

async fn count(app: &App, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(app.store.pool()).await.expect("count");
    n
}

/// The id of the document titled `title` on a documents page.
fn document_id(page: &str, title: &str) -> i64 {
    let at = page.find(&format!(">{title}</a>")).unwrap_or_else(|| panic!("{title} not on the page"));
    let row = &page[..at];
    let start = row.rfind("data-document=\"").expect("row") + "data-document=\"".len();
    row[start..].split('"').next().expect("id").parse().expect("number")
}

async fn audited(app: &App, person: i64, action: &str) -> Vec<ambito_domain::audit::Entry> {
    let q = ambito_store::AuditQuery { person_id: Some(person), limit: 10_000, ..Default::default() };
    app.search_audit(&q).await.expect("audit").into_iter().filter(|e| e.action == action).collect()
}

#[tokio::test]
async fn a_document_is_stored_once_encrypted_reused_by_another_case_and_every_download_is_audited() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let rossi = person_id(&app, ROSSI).await;
    let worker = client(&app, "alto.assistente").await;
    let url = docs_url(&server.base, ALTO, rossi);
    let content = pdf("ISEE 2025 di Mario Rossi");

    let res = upload(&worker, &url, "isee", "ISEE 2025", "isee.pdf", content.clone(), false).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).ends_with("esito=caricato"), "{}", location(&res));
    // The same file again, under another name and title: nothing new is stored.
    let res = upload(&worker, &url, "isee", "ISEE copia", "copia.pdf", content.clone(), false).await;
    assert!(location(&res).ends_with("esito=presente"), "{}", location(&res));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM document").await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM document_blob").await, 1);
    // The stored blob is not the plaintext: nonce || AES-GCM output, no PDF header, no text.
    let (sha, stored): (String, Vec<u8>) =
        sqlx::query_as("SELECT sha256, ciphertext FROM document_blob").fetch_one(app.store.pool()).await.expect("blob");
    assert_eq!(sha, ambito_app::cases::document_key::sha256_hex(&content), "addressed by the plaintext's SHA-256");
    assert_eq!(stored.len(), 12 + content.len() + 16);
    assert!(!stored.windows(5).any(|w| w == b"%PDF-") && !stored.windows(5).any(|w| w == b"Rossi"), "encrypted at rest");

    let page = worker.get(&url).send().await.expect("GET").text().await.expect("page");
    let doc = document_id(&page, "ISEE 2025");
    let before = audited(&app, rossi, "document.download").await.len();
    let res = worker.get(format!("{url}/{doc}")).send().await.expect("GET");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-disposition"].to_str().expect("header").starts_with("attachment"));
    assert_eq!(res.bytes().await.expect("bytes").to_vec(), content, "the same bytes come back");
    let downloads = audited(&app, rossi, "document.download").await;
    assert_eq!(downloads.len(), before + 1, "every download is audited");
    assert_eq!((downloads[0].username.as_str(), downloads[0].ambito.as_deref()), ("alto.assistente", Some(ALTO)));

    // A second case of the person in this Ambito reuses the document without a new upload.
    let mut tx = app.store.write_untracked().await.expect("tx");
    let alto = ambito_store::ambito_by_code(&mut tx, ALTO).await.expect("ambito").expect("alto").id;
    let second = ambito_store::open_case(&mut tx, rossi, alto, Some("ADM"), None, "2025-03-01").await.expect("case");
    tx.commit().await.expect("commit");
    let link =
        |case: String| worker.post(format!("{url}/{doc}/collega")).form(&[("presa_in_carico", case), ("uso", "progetto".into())]).send();
    let res = link(second.to_string()).await.expect("POST");
    assert!(location(&res).ends_with("esito=collegato"), "{}", location(&res));
    assert!(location(&link(second.to_string()).await.expect("POST")).ends_with("esito=gia-collegato"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM document").await, 1, "reused, not uploaded again");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM document_link").await, 1);
    // A case of another person, or of another Ambito, is refused field by field.
    let bianchi = person_id(&app, BIANCHI).await;
    let (other,): (i64,) =
        sqlx::query_as("SELECT id FROM care_case WHERE person_id = $1").bind(bianchi).fetch_one(app.store.pool()).await.expect("case");
    assert_eq!(link(other.to_string()).await.expect("POST").status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A new version supersedes the old one of the same kind.
    let v2 = Form::new()
        .text("tipo", "isee")
        .text("titolo", "ISEE 2026")
        .text("sostituisce", doc.to_string())
        .part("file", Part::bytes(pdf("ISEE 2026")).file_name("isee-2026.pdf"));
    assert_eq!(worker.post(&url).multipart(v2).send().await.expect("POST").status(), StatusCode::SEE_OTHER);
    let (version, supersedes): (i64, Option<i64>) =
        sqlx::query_as("SELECT version, supersedes FROM document WHERE title = 'ISEE 2026'").fetch_one(app.store.pool()).await.expect("v2");
    assert_eq!((version, supersedes), (2, Some(doc)));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM document").await, 2, "the old version stays");

    // Refused: a type named right but not right inside, an empty file, a file over the limit.
    let res = upload(&worker, &url, "identita", "Carta", "certificato.pdf", exe(), false).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.expect("page");
    assert!(body.contains("tipo di file non ammesso") && body.contains("value=\"Carta\""), "error shown, values kept");
    let mut big = pdf("grande");
    big.resize((10 << 20) + 1, b' ');
    assert_eq!(upload(&worker, &url, "altro", "Grande", "g.pdf", big.clone(), false).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    big.resize(12 << 20, b' ');
    assert_eq!(upload(&worker, &url, "altro", "Enorme", "e.pdf", big, false).await.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(upload(&worker, &url, "altro", "", "vuoto.pdf", Vec::new(), false).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM document").await, 2, "nothing refused was kept");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM document_blob").await, 2);
    db.drop_pg().await;
}

#[tokio::test]
async fn document_routes_refuse_everyone_outside_the_care_team_and_the_ambito() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let rossi = person_id(&app, ROSSI).await;
    let url = docs_url(&server.base, ALTO, rossi);
    let worker = client(&app, "alto.assistente").await;
    assert_eq!(upload(&worker, &url, "isee", "ISEE riservato", "isee.pdf", pdf("riservato"), false).await.status(), StatusCode::SEE_OTHER);
    let doc = document_id(&worker.get(&url).send().await.expect("GET").text().await.expect("page"), "ISEE riservato");
    let writes_before = count(&app, "SELECT COUNT(*) FROM document").await;

    let anon = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let mut callers = vec![("(anonimo)", anon)];
    // The provider and the evaluator of this Ambito, the other Ambito's staff, a worker outside
    // the care team (alto.psicologo: break-glass page, 403) and the citizen on staff writes.
    for user in ["alto.ente", "alto.valutatore", "alto.psicologo", "basso.assistente", "basso.responsabile", "basso.amministrativo"] {
        callers.push((user, client(&app, user).await));
    }
    let citizen = client(&app, "cittadino.rossi").await;
    let mut failures = Vec::new();
    for (who, c) in &callers {
        let requests = [
            c.get(&url),
            c.get(format!("{url}/{doc}")),
            c.post(&url)
                .multipart(Form::new().text("tipo", "isee").text("titolo", "x").part("file", Part::bytes(pdf("x")).file_name("x.pdf"))),
            c.post(format!("{url}/{doc}/collega")).form(&[("presa_in_carico", "1"), ("uso", "progetto")]),
            c.post(format!("{url}/richieste")).form(&[("tipo", "isee"), ("nota", "x")]),
            c.get(format!("{}/ambiti/{ALTO}/persone/{rossi}/trasferimento", server.base)),
        ];
        for r in requests {
            let res = r.send().await.expect("request");
            let refused = matches!(res.status(), StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED)
                || (*who == "(anonimo)" && res.status() == StatusCode::SEE_OTHER && location(&res).starts_with("/accesso"));
            if !refused {
                failures.push(format!("{who}: {} {} → {}", res.url().path(), res.url().query().unwrap_or(""), res.status()));
            }
        }
    }
    // The citizen: no staff write, and the staff download of a document not marked for them is
    // "not found" (their own area shows what they may see).
    for r in [
        citizen
            .post(&url)
            .multipart(Form::new().text("tipo", "isee").text("titolo", "x").part("file", Part::bytes(pdf("y")).file_name("y.pdf"))),
        citizen.post(format!("{url}/{doc}/collega")).form(&[("presa_in_carico", "1"), ("uso", "progetto")]),
        citizen.post(format!("{url}/richieste")).form(&[("tipo", "isee"), ("nota", "x")]),
    ] {
        let res = r.send().await.expect("request");
        if res.status() != StatusCode::FORBIDDEN {
            failures.push(format!("cittadino.rossi: {} → {}", res.url().path(), res.status()));
        }
    }
    assert_eq!(citizen.get(format!("{url}/{doc}")).send().await.expect("GET").status(), StatusCode::NOT_FOUND);
    assert!(!citizen.get(&url).send().await.expect("GET").text().await.expect("page").contains("ISEE riservato"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // An id of another person's document in the path is not found, not served.
    let verdi = person_id(&app, "VRDLCU90A41D969R").await;
    let head = client(&app, "alto.responsabile").await;
    let res = head.get(format!("{}/{doc}", docs_url(&server.base, ALTO, verdi))).send().await.expect("GET");
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "no IDOR through another person's path");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM document").await, writes_before, "no refused write changed anything");
    assert_eq!(audited(&app, rossi, "document.download").await.len(), 0, "nothing was downloaded");
    db.drop_pg().await;
}

#[tokio::test]
async fn a_transfer_needs_consent_and_the_receiving_ambito_opens_its_own_case_without_the_senders_notes() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let rossi = person_id(&app, ROSSI).await;
    let sender = client(&app, "alto.assistente").await;
    let url = docs_url(&server.base, ALTO, rossi);
    upload(&sender, &url, "consenso", "Consenso al trasferimento", "consenso.pdf", pdf("consenso"), false).await;
    upload(&sender, &url, "identita", "Carta di identità", "ci.png", png(), false).await;
    upload(&sender, &url, "isee", "ISEE che resta", "isee.pdf", pdf("resta"), false).await;
    let page = sender.get(&url).send().await.expect("GET").text().await.expect("page");
    let (consent, id_card) = (document_id(&page, "Consenso al trasferimento"), document_id(&page, "Carta di identità"));
    let basso = app.find_ambito_scope(BASSO).await.expect("scope").expect("basso").id.get();
    let transfer_url = format!("{}/ambiti/{ALTO}/persone/{rossi}/trasferimento", server.base);
    let summary = "Trasferimento di residenza a Lovere: SAD in corso, serve continuità.";
    let propose = |consent_box: bool| {
        let mut form = vec![
            ("ambito", basso.to_string()),
            ("sintesi", summary.to_string()),
            ("documenti", id_card.to_string()),
            ("documento_consenso", consent.to_string()),
        ];
        if consent_box {
            form.push(("consenso", "1".into()));
        }
        sender.post(&transfer_url).form(&form).send()
    };
    // Without consent: refused, nothing changes.
    let res = propose(false).await.expect("POST");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.expect("page").contains("senza il consenso della persona"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM transfer").await, 0);
    let res = propose(true).await.expect("POST");
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap_or_default());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM transfer_document").await, 2, "the chosen document and the consent");
    let (transfer,): (i64,) = sqlx::query_as("SELECT id FROM transfer").fetch_one(app.store.pool()).await.expect("transfer");

    // The receiving Ambito sees exactly what the proposal carries.
    let receiver = client(&app, "basso.assistente").await;
    let list = receiver.get(format!("{}/ambiti/{BASSO}/trasferimenti", server.base)).send().await.expect("GET");
    assert_eq!(list.status(), StatusCode::OK);
    let list = list.text().await.expect("page");
    assert!(list.contains("Rossi") && list.contains(ROSSI) && list.contains("SAD in corso") && list.contains("Carta di identità"));
    assert!(!list.contains("ISEE che resta") && ROSSI_NOTES.iter().all(|n| !list.contains(n)), "nothing the proposal does not carry");
    // Not a case there yet: the person's page and documents stay closed to the receiver.
    let rossi_basso = format!("{}/ambiti/{BASSO}/persone/{rossi}", server.base);
    assert_eq!(receiver.get(&rossi_basso).send().await.expect("GET").status(), StatusCode::FORBIDDEN);
    // Only the Ambito it is addressed to decides, and not through a Comune-bound grant.
    let decide = |c: &reqwest::Client, code: &str, decision: &str, note: &str| {
        c.post(format!("{}/ambiti/{code}/trasferimenti/{transfer}", server.base)).form(&[("decisione", decision), ("nota", note)]).send()
    };
    let alto_head = client(&app, "alto.responsabile").await;
    assert_eq!(decide(&alto_head, ALTO, "accetta", "").await.expect("POST").status(), StatusCode::NOT_FOUND, "not addressed to ALTO");
    let comune = client(&app, "basso.comune").await;
    assert_eq!(decide(&comune, BASSO, "accetta", "").await.expect("POST").status(), StatusCode::FORBIDDEN);
    assert_eq!(decide(&receiver, BASSO, "rifiuta", " ").await.expect("POST").status(), StatusCode::UNPROCESSABLE_ENTITY, "a reason");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM transfer WHERE state = 'proposto'").await, 1, "still waiting");
    let res = decide(&receiver, BASSO, "accetta", "Presa in carico dal servizio di Lovere").await.expect("POST");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(decide(&receiver, BASSO, "accetta", "").await.expect("POST").status(), StatusCode::UNPROCESSABLE_ENTITY, "decided once");

    // Its own case in the receiving Ambito, with the accepting worker in the team.
    let cases: Vec<(i64, String)> =
        sqlx::query_as("SELECT c.id, a.code FROM care_case c JOIN ambito a ON a.id = c.ambito_id WHERE c.person_id = $1")
            .bind(rossi)
            .fetch_all(app.store.pool())
            .await
            .expect("cases");
    assert_eq!(cases.iter().filter(|(_, code)| code == BASSO).count(), 1);
    let page = receiver.get(&rossi_basso).send().await.expect("GET");
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.expect("page");
    assert!(ROSSI_NOTES.iter().all(|n| !page.contains(n)), "the two-Ambiti rule: the sender's notes stay there");
    assert!(!page.contains("SAD, dal 2024-02-01"), "nor its cases");
    let docs = receiver.get(docs_url(&server.base, BASSO, rossi)).send().await.expect("GET").text().await.expect("page");
    assert!(docs.contains("Carta di identità") && docs.contains("Consenso al trasferimento") && !docs.contains("ISEE che resta"));
    let carried = receiver.get(format!("{}/{id_card}", docs_url(&server.base, BASSO, rossi))).send().await.expect("GET");
    assert_eq!(carried.bytes().await.expect("bytes").to_vec(), png());
    let not_carried = document_id(&sender.get(&url).send().await.expect("GET").text().await.expect("page"), "ISEE che resta");
    let res = receiver.get(format!("{}/{not_carried}", docs_url(&server.base, BASSO, rossi))).send().await.expect("GET");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Both registers record the decision.
    let accepted = audited(&app, rossi, "transfer.accept").await;
    let mut registers: Vec<_> = accepted.iter().filter_map(|e| e.ambito.clone()).collect();
    registers.sort();
    assert_eq!(registers, [ALTO, BASSO]);
    // The sender sees the outcome in its outgoing list.
    let out = alto_head.get(format!("{}/ambiti/{ALTO}/trasferimenti", server.base)).send().await.expect("GET").text().await.expect("page");
    assert!(out.contains("Accettato") && out.contains("Rossi"));
    db.drop_pg().await;
}

#[tokio::test]
async fn the_citizen_sees_their_cases_and_documents_fulfils_a_request_once_and_never_sees_notes() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let rossi = person_id(&app, ROSSI).await;
    let worker = client(&app, "alto.assistente").await;
    let url = docs_url(&server.base, ALTO, rossi);
    upload(&worker, &url, "isee", "ISEE per la persona", "isee.pdf", pdf("visibile"), true).await;
    upload(&worker, &url, "altro", "Relazione interna", "rel.pdf", pdf("interna"), false).await;
    let res =
        worker.post(format!("{url}/richieste")).form(&[("tipo", "identita"), ("nota", "Fronte e retro"), ("entro", "2999-12-31")]).send();
    assert_eq!(res.await.expect("POST").status(), StatusCode::SEE_OTHER);
    let res = worker.post(format!("{url}/richieste")).form(&[("tipo", "identita"), ("entro", "2000-01-01")]).send().await.expect("POST");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a due date already past");

    let citizen = client(&app, "cittadino.rossi").await;
    let area = citizen.get(format!("{}/area-personale", server.base)).send().await.expect("GET").text().await.expect("page");
    assert!(area.contains("ALTO_SEBINO: SAD dal 2024-02-01"), "the open case with service and date");
    assert!(area.contains("ISEE per la persona") && !area.contains("Relazione interna"), "only what is marked for them");
    assert!(area.contains("identità") && area.contains("Fronte e retro"), "the open request");
    assert!(ROSSI_NOTES.iter().all(|n| !area.contains(n)), "never notes");
    assert!(area.contains("sono stati consultati"), "who read the data stays");

    let (request,): (i64,) = sqlx::query_as("SELECT id FROM document_request").fetch_one(app.store.pool()).await.expect("request");
    let send = |bytes: Vec<u8>, name: &str| {
        let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_string()));
        citizen.post(format!("{}/area-personale/richieste/{request}", server.base)).multipart(form).send()
    };
    assert_eq!(send(exe(), "carta.png").await.expect("POST").status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = send(png(), "carta.png").await.expect("POST");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(send(png(), "carta.png").await.expect("POST").status(), StatusCode::UNPROCESSABLE_ENTITY, "fulfilled once");
    let (fulfilled, by_citizen): (Option<i64>, i64) = sqlx::query_as(
        "SELECT r.fulfilled_document_id, d.uploaded_by_citizen FROM document_request r JOIN document d ON d.id = r.fulfilled_document_id",
    )
    .fetch_one(app.store.pool())
    .await
    .expect("fulfilled");
    assert!(fulfilled.is_some() && by_citizen == 1);
    let area = citizen.get(format!("{}/area-personale", server.base)).send().await.expect("GET").text().await.expect("page");
    assert!(area.contains("caricato da lei") && !area.contains("Fronte e retro"), "the request is no longer open");
    let staff = worker.get(&url).send().await.expect("GET").text().await.expect("page");
    assert!(staff.contains("(caricato dalla persona)") && staff.contains("caricato"), "staff see it, and the request fulfilled");

    // Their own documents download (audited); others' and unmarked ones are not found.
    let page = worker.get(&url).send().await.expect("GET").text().await.expect("page");
    let (visible, internal) = (document_id(&page, "ISEE per la persona"), document_id(&page, "Relazione interna"));
    let res = citizen.get(format!("{}/area-personale/documenti/{visible}", server.base)).send().await.expect("GET");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.bytes().await.expect("bytes").to_vec(), pdf("visibile"));
    assert!(audited(&app, rossi, "document.download").await.iter().any(|e| e.username == "cittadino.rossi"));
    let res = citizen.get(format!("{}/area-personale/documenti/{internal}", server.base)).send().await.expect("GET");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // A request of another person is not theirs to fulfil.
    let bianchi = person_id(&app, BIANCHI).await;
    let head = client(&app, "alto.responsabile").await;
    let res =
        head.post(format!("{}/richieste", docs_url(&server.base, ALTO, bianchi))).form(&[("tipo", "isee")]).send().await.expect("POST");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (other,): (i64,) = sqlx::query_as("SELECT id FROM document_request WHERE person_id = $1")
        .bind(bianchi)
        .fetch_one(app.store.pool())
        .await
        .expect("req");
    let form = Form::new().part("file", Part::bytes(png()).file_name("x.png"));
    let res = citizen.post(format!("{}/area-personale/richieste/{other}", server.base)).multipart(form).send().await.expect("POST");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Staff cannot use the citizen's routes.
    let res = worker.get(format!("{}/area-personale/documenti/{visible}", server.base)).send().await.expect("GET");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    db.drop_pg().await;
}

#[tokio::test]
async fn the_gdpr_purge_removes_documents_requests_transfers_and_blobs_no_one_else_uses() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let (rossi, bianchi) = (person_id(&app, ROSSI).await, person_id(&app, BIANCHI).await);
    let head = client(&app, "alto.responsabile").await;
    let shared = pdf("modulo di consenso comune");
    for person in [rossi, bianchi] {
        let res = upload(&head, &docs_url(&server.base, ALTO, person), "consenso", "Consenso", "c.pdf", shared.clone(), false).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let url = docs_url(&server.base, ALTO, bianchi);
    upload(&head, &url, "isee", "ISEE Bianchi", "i.pdf", pdf("solo Bianchi"), false).await;
    head.post(format!("{url}/richieste")).form(&[("tipo", "identita")]).send().await.expect("POST");
    let basso = app.find_ambito_scope(BASSO).await.expect("scope").expect("basso").id.get();
    let res = head
        .post(format!("{}/ambiti/{ALTO}/persone/{bianchi}/trasferimento", server.base))
        .form(&[("ambito", basso.to_string()), ("sintesi", "Rientro".into()), ("consenso", "1".into())])
        .send()
        .await
        .expect("POST");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM document_blob").await, 2);
    // Bianchi's every case closed long ago: the purge takes him.
    sqlx::query("UPDATE care_case SET closed_on = '2024-12-31' WHERE person_id = $1 AND closed_on IS NULL")
        .bind(bianchi)
        .execute(app.store.pool())
        .await
        .expect("close");
    let report = app.purge_expired(None, 1, time::macros::date!(2026 - 12 - 03), true).await.expect("purge");
    assert_eq!(report.persons, [bianchi]);
    for table in ["document", "document_request", "transfer"] {
        let n = count(&app, &format!("SELECT COUNT(*) FROM {table} WHERE person_id = {bianchi}")).await;
        assert_eq!(n, 0, "{table} rows of the purged person");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM transfer_document").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM document_blob").await, 1, "the shared content stays for Rossi, Bianchi's own goes");
    let page = head.get(docs_url(&server.base, ALTO, rossi)).send().await.expect("GET").text().await.expect("page");
    let doc = document_id(&page, "Consenso");
    let res = head.get(format!("{}/{doc}", docs_url(&server.base, ALTO, rossi))).send().await.expect("GET");
    assert_eq!(res.bytes().await.expect("bytes").to_vec(), shared, "Rossi's copy still opens");
    db.drop_pg().await;
}
