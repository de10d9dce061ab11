//! The real server on a random port: pages, the entry grid, downloads and the JSON API.

use crate::support::{TestDb, TestServer};
use ambito_app::NoProgress;

async fn demo_server() -> (TestDb, TestServer) {
    let db = TestDb::new().await;
    let app = db.app().await;
    app.load_demo(&NoProgress).await.expect("demo");
    let server = TestServer::start(app).await;
    (db, server)
}

fn sad_users(csv: &str) -> String {
    let line = csv.lines().find(|l| l.starts_with("Anziani;SAD;")).expect("SAD row");
    line.split(';').nth(3).expect("utenti").to_string()
}

#[tokio::test]
async fn pages_render_in_italian_with_security_headers() {
    let (db, s) = demo_server().await;
    for path in [
        "/",
        "/ambiti/ALTO_SEBINO",
        "/ambiti/ALTO_SEBINO/servizi",
        "/ambiti/ALTO_SEBINO/attivita",
        "/ambiti/ALTO_SEBINO/demografia",
        "/ambiti/ALTO_SEBINO/relazione?anno=2025",
        "/ambiti/BASSO_SEBINO/relazione",
    ] {
        let res = s.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        let csp = res.headers().get("content-security-policy").expect("CSP").to_str().expect("ascii").to_string();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{path}: {csp}");
        assert_eq!(res.headers().get("x-content-type-options").map(|v| v.to_str().unwrap_or("")), Some("nosniff"));
        let html = res.text().await.expect("body");
        assert!(html.contains("<html lang=\"it\">"), "{path}");
        assert!(!html.contains("<script>") && !html.contains(" style=\""), "{path}: inline script or style");
    }
    let report = s.get("/ambiti/ALTO_SEBINO/relazione?anno=2025").await.text().await.expect("body");
    for section in
        ["Numeri", "Lettura dell'andamento", "Prospettive e obiettivi", "Indicatori di risultato e Budget", "Spesa sociale", "<svg"]
    {
        assert!(report.contains(section), "missing {section}");
    }
    let res = s.get("/ambiti/NESSUNO").await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.expect("body").contains("Ambito «NESSUNO» non trovato"));
    assert_eq!(s.get("/ambiti/ALTO_SEBINO/relazione/2025.doc").await.status(), 404);
    assert_eq!(s.get("/ambiti/ALTO_SEBINO/relazione/99999.pdf").await.status(), 400);
    db.drop_pg().await;
}

#[tokio::test]
async fn editing_the_grid_updates_the_report_at_once() {
    let (db, s) = demo_server().await;
    let before = s.get("/ambiti/ALTO_SEBINO/relazione/2025.csv").await.text().await.expect("csv");
    assert_eq!(sad_users(&before), "117");
    let form = [("anno", "2025"), ("m.utenti.SAD", "130"), ("m.ore.SAD", "7.595,25"), ("b.SAD", "263.971,21")];
    let res = s.client.post(format!("{}/ambiti/ALTO_SEBINO/attivita", s.base)).form(&form).send().await.expect("post");
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/ambiti/ALTO_SEBINO/attivita?anno=2025&salvato=1");
    let after = s.get("/ambiti/ALTO_SEBINO/relazione/2025.csv").await.text().await.expect("csv");
    assert_eq!(sad_users(&after), "130");
    let sad = after.lines().find(|l| l.starts_with("Anziani;SAD;")).expect("row");
    // 263.971,21 / 130 = 2.030,5477 → 2.030,55; the hours indicator is 7.595,25 / 130 = 58,425 → 58,43.
    assert!(sad.ends_with(";2.030,55"), "{sad}");
    assert!(sad.contains(";ore/utenti;58,43;"), "{sad}");

    // A bad value rejects the whole save and keeps what was typed.
    let bad = [("anno", "2025"), ("m.utenti.SAD", "-4"), ("m.accessi.SAD", "molti")];
    let res = s.client.post(format!("{}/ambiti/ALTO_SEBINO/attivita", s.base)).form(&bad).send().await.expect("post");
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("body");
    assert!(
        html.contains("Nessuna modifica salvata") && html.contains("valore negativo «-4»") && html.contains("value=\"molti\""),
        "{html}"
    );
    let unchanged = s.get("/ambiti/ALTO_SEBINO/relazione/2025.csv").await.text().await.expect("csv");
    assert_eq!(unchanged, after);
    db.drop_pg().await;
}

#[tokio::test]
async fn downloads_and_api() {
    let (db, s) = demo_server().await;
    let pdf = s.get("/ambiti/ALTO_SEBINO/relazione/2025.pdf").await;
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.headers()["content-disposition"].to_str().expect("ascii").contains("relazione-alto_sebino-2025.pdf"));
    assert!(pdf.bytes().await.expect("pdf").starts_with(b"%PDF-"));
    let xlsx = s.get("/ambiti/ALTO_SEBINO/relazione/2025.xlsx").await.bytes().await.expect("xlsx");
    assert!(xlsx.starts_with(b"PK"));
    let csv = s.get("/ambiti/ALTO_SEBINO/relazione/2025.csv").await.text().await.expect("csv");
    assert!(csv.starts_with("area;codice_servizio;servizio;utenti_in_carico;domande_pervenute;beneficiari;ore_erogate;accessi;visite_domiciliari;indicatore;valore_indicatore;budget;budget_per_utente\n"));
    assert!(csv.lines().last().expect("last").starts_with("TOTALE AMBITO;"));
    let ambiti: serde_json::Value = s.get("/api/v1/ambiti").await.json().await.expect("json");
    assert_eq!(ambiti.as_array().map(Vec::len), Some(2));
    let report: serde_json::Value = s.get("/api/v1/ambiti/ALTO_SEBINO/relazione/2025").await.json().await.expect("json");
    assert_eq!(report["year"], 2025);
    assert_eq!(report["headline"]["areas"], 5);
    // Decimals travel as strings: a JSON float would not be exact.
    assert!(report["total"]["budget"].is_string(), "{}", report["total"]["budget"]);
    db.drop_pg().await;
}

#[tokio::test]
async fn staff_texts_are_saved_and_escaped() {
    let (db, s) = demo_server().await;
    let form = [
        ("area.0", "Anziani"),
        ("lettura.0", "Crescono le ore <b>SAD</b> & i pasti."),
        ("obiettivi.0", "Primo obiettivo\n\nSecondo obiettivo"),
    ];
    let res = s.client.post(format!("{}/ambiti/ALTO_SEBINO/relazione/2025/testi", s.base)).form(&form).send().await.expect("post");
    assert_eq!(res.status(), 303);
    let html = s.get("/ambiti/ALTO_SEBINO/relazione?anno=2025").await.text().await.expect("body");
    assert!(
        html.contains("Crescono le ore &#60;b&#62;SAD&#60;/b&#62; &#38; i pasti.")
            || html.contains("Crescono le ore &lt;b&gt;SAD&lt;/b&gt; &amp; i pasti."),
        "text must be escaped"
    );
    assert!(html.contains("<li>Primo obiettivo</li><li>Secondo obiettivo</li>"), "blank lines are not objectives");
    let form = [("area.0", "Area inesistente"), ("lettura.0", "x")];
    let res = s.client.post(format!("{}/ambiti/ALTO_SEBINO/relazione/2025/testi", s.base)).form(&form).send().await.expect("post");
    assert_eq!(res.status(), 400);
    db.drop_pg().await;
}

#[tokio::test]
async fn upload_rejects_a_bad_file_whole_and_applies_a_good_one() {
    let (db, s) = demo_server().await;
    let before = s.get("/ambiti/ALTO_SEBINO/relazione/2025.csv").await.text().await.expect("csv");
    let upload = |name: &'static str, body: String| {
        let part = reqwest::multipart::Part::text(body).file_name(name);
        let form = reqwest::multipart::Form::new().text("tipo", "attivita").part("file", part);
        s.client.post(format!("{}/ambiti/ALTO_SEBINO/importa", s.base)).multipart(form).send()
    };
    let header = "anno;area;codice_servizio;servizio;codice_padre;utenti_in_carico;domande_pervenute;beneficiari;ore_erogate;accessi;visite_domiciliari;indicatore;popolazione_target;budget";
    let bad = format!("{header}\n2025;Anziani;SAD;SAD;;140;;;;;;;;\n2025;Anziani;NUOVO;Nuovo;;tre;;;;;;;;\n");
    let res = upload("bad.csv", bad).await.expect("post");
    assert_eq!(res.status(), 422);
    let html = res.text().await.expect("body");
    assert!(html.contains("bad.csv:3:utenti_in_carico: non è un numero: «tre»"), "{html}");
    assert_eq!(s.get("/ambiti/ALTO_SEBINO/relazione/2025.csv").await.text().await.expect("csv"), before, "nothing applied");
    let good = format!(
        "{header}\n2025;Anziani;SAD;Servizio di Assistenza Domiciliare (SAD);;140;51;;7.595,25;10.462;6.774;ore/utenti;;263.971,21\n"
    );
    let res = upload("good.csv", good).await.expect("post");
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("body").contains("1 righe importate"));
    let after = s.get("/ambiti/ALTO_SEBINO/relazione/2025.csv").await.text().await.expect("csv");
    assert_eq!(sad_users(&after), "140");
    db.drop_pg().await;
}

/// A delivery upload answers with a redirect to its job; polls the job's JSON status until it is
/// over (checking rows never go backwards) and returns the job page, which then shows the outcome.
async fn follow_job(s: &TestServer, res: reqwest::Response) -> (u16, String) {
    assert_eq!(res.status(), 303, "the upload starts a job");
    let page = res.headers()["location"].to_str().expect("location").to_string();
    let id = page.rsplit('/').next().expect("id").to_string();
    assert!(page.starts_with("/ambiti/ALTO_SEBINO/importa/lavori/"), "{page}");
    let status_url = format!("/api/v1/ambiti/ALTO_SEBINO/lavori/{id}");
    assert_eq!(s.get(&format!("/api/v1/ambiti/BASSO_SEBINO/lavori/{id}")).await.status(), 404, "a job is seen only from its Ambito");
    let mut last = 0;
    for _ in 0..600 {
        let st: serde_json::Value = s.get(&status_url).await.json().await.expect("status json");
        let rows = st["righe"].as_u64().expect("righe");
        assert!(rows >= last || st["fase"] != "importazione", "{st}");
        last = rows;
        if st["finito"] == true {
            let res = s.get(&page).await;
            let status = res.status().as_u16();
            return (status, res.text().await.expect("body"));
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the import job did not finish");
}

#[tokio::test]
async fn a_running_import_job_shows_a_progress_page_and_a_bad_file_ends_rejected() {
    let (db, s) = demo_server().await;
    let body = "data;codice_servizio;comune_istat;codice_persona;ore;visita_domiciliare;ente_erogatore\n\
                2025-03-03;SAD;016128;AS-001;2,5;si;Coop. Sociale Il Sorriso\n\
                2025-03-04;NESSUNO;016128;AS-001;2;si;Coop. Sociale Il Sorriso\n";
    let part = reqwest::multipart::Part::text(body.to_string()).file_name("errate-2025.csv");
    let form = reqwest::multipart::Form::new().text("tipo", "consegne").part("file", part);
    let res = s.client.post(format!("{}/ambiti/ALTO_SEBINO/importa", s.base)).multipart(form).send().await.expect("post");
    let (status, html) = follow_job(&s, res).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("errate-2025.csv:3:codice_servizio"), "{html}");
    assert!(html.contains("nessuna modifica applicata"), "{html}");
    assert_eq!(s.get("/ambiti/ALTO_SEBINO/importa/lavori/999999").await.status(), 404);
    db.drop_pg().await;
}

#[tokio::test]
async fn deliveries_uploaded_from_the_browser_reach_dashboard_and_report() {
    let (db, s) = demo_server().await;
    let body = "data;codice_servizio;comune_istat;codice_persona;ore;visita_domiciliare;ente_erogatore\n\
                2025-03-03;SAD;016128;AS-001;2,5;si;Coop. Sociale Il Sorriso\n\
                2025-03-04;SAD;016128;AS-001;2;si;Coop. Sociale Il Sorriso\n\
                2025-04-01;SAD;016086;AS-002;1,5;no;Coop. Sociale Il Sorriso\n";
    let part = reqwest::multipart::Part::text(body.to_string()).file_name("consegne-2025.csv");
    let form = reqwest::multipart::Form::new().text("tipo", "consegne").part("file", part);
    let res = s.client.post(format!("{}/ambiti/ALTO_SEBINO/importa", s.base)).multipart(form).send().await.expect("post");
    let (status, html) = follow_job(&s, res).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("consegne-2025.csv") && html.contains("3 righe importate"), "{html}");
    let csv = s.get("/ambiti/ALTO_SEBINO/relazione/2025.csv").await.text().await.expect("csv");
    let sad = csv.lines().find(|l| l.starts_with("Anziani;SAD;")).expect("SAD");
    assert!(
        sad.starts_with("Anziani;SAD;Servizio di Assistenza Domiciliare (SAD);2;51;;6,00;10.462;2;"),
        "events give 2 persons, 6 hours, 2 visits: {sad}"
    );
    let dashboard = s.get("/ambiti/ALTO_SEBINO").await.text().await.expect("html");
    assert!(
        dashboard.contains("Consegne per mese, anno 2025")
            && dashboard.contains("<th scope=\"row\">mar</th><td class=\"num\">2</td><td class=\"num\">4,50</td>"),
        "monthly table"
    );
    db.drop_pg().await;
}

#[tokio::test]
async fn a_write_from_another_process_invalidates_cached_pages() {
    let (db, s) = demo_server().await;
    let page = s.get("/ambiti/ALTO_SEBINO/relazione?anno=2025").await.text().await.expect("page");
    assert_eq!(page, s.get("/ambiti/ALTO_SEBINO/relazione?anno=2025").await.text().await.expect("page"), "served from cache");
    // A second application on the same database, as `ambito import` run from a shell would be.
    let other = db.app().await;
    let file = "anno;area;codice_servizio;servizio;utenti_in_carico;domande_pervenute;beneficiari;ore_erogate;accessi;visite_domiciliari;indicatore;budget\n\
                2025;Anziani;SAD;Servizio di Assistenza Domiciliare (SAD);321;51;;7.595,25;10.462;6.774;ore/utenti;263.971,21\n";
    let opts = ambito_app::reporting::import::activity::ActivityImport { ambito_code: "ALTO_SEBINO", new_ambito_name: None };
    assert!(other.import_activity("x.csv", file.as_bytes(), opts, &NoProgress).await.expect("import").applied);
    let after = s.get("/ambiti/ALTO_SEBINO/relazione?anno=2025").await.text().await.expect("page");
    assert!(after.contains("<td class=\"num\">321</td>"), "the new figure is served at once");
    let json: serde_json::Value = s.get("/api/v1/ambiti/ALTO_SEBINO/relazione/2025").await.json().await.expect("json");
    assert_eq!(json["areas"][0]["rows"][0]["figures"]["measures"][0], "321");
    db.drop_pg().await;
}
