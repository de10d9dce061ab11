//! Likert questionnaires end to end: the builder and waves over HTTP, anonymous links (single use,
//! hashed, nothing leaked for unknown ones), paper entry, and results equal to hand-computed figures.

use crate::support::{SMALL_ACTIVITY, TestDb, TestServer, new_ambito_with};
use ambito_app::App;
use ambito_domain::format::round_half_up;
use ambito_domain::likert::report::WaveKind;
use ambito_domain::value::Value;
use rust_decimal::Decimal;

const BASE: &str = "/ambiti/AT01/questionari";

/// An Ambito with questionnaire Q (5 points, D01 D02 D03-reverse in scale «Qualità», D04 open),
/// created through the builder page, and an ex-ante wave open from 2000 to 2999.
async fn setup() -> (TestDb, App, TestServer) {
    let db = TestDb::new().await;
    let app = db.app().await;
    assert!(new_ambito_with(&app, "AT01", SMALL_ACTIVITY).await.applied);
    let s = TestServer::start(app.clone()).await;
    let form = [
        ("codice", "q"),
        ("titolo", "Soddisfazione per il servizio"),
        ("punti", "5"),
        ("testo.0", "Il servizio è puntuale"),
        ("scala.0", "Qualità"),
        ("tipo.0", "likert"),
        ("testo.1", "Il personale è cortese"),
        ("scala.1", "Qualità"),
        ("tipo.1", "likert"),
        ("testo.2", "È difficile avere informazioni"),
        ("scala.2", "qualità"),
        ("tipo.2", "likert"),
        ("inversa.2", "1"),
        ("testo.3", "Suggerimenti"),
        ("tipo.3", "aperta"),
    ];
    let res = s.client.post(format!("{}{BASE}/nuovo", s.base)).form(&form).send().await.expect("post");
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("{BASE}/Q"));
    let wave = [("ondata", "ex-ante"), ("apertura", "2000-01-01"), ("chiusura", "2999-12-31"), ("invitati", "10")];
    let res = s.client.post(format!("{}{BASE}/Q/ondate", s.base)).form(&wave).send().await.expect("post");
    assert_eq!(res.status(), 303);
    (db, app, s)
}

async fn post(s: &TestServer, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let res = s.client.post(format!("{}{path}", s.base)).form(form).send().await.expect("post");
    (res.status().as_u16(), res.text().await.expect("body"))
}

async fn responses(app: &App) -> i64 {
    let mut conn = app.store.read().await.expect("conn");
    sqlx::Row::get(&sqlx::query("SELECT COUNT(*) FROM questionnaire_response").fetch_one(&mut *conn).await.expect("count"), 0)
}

#[tokio::test]
async fn a_link_answers_once_and_unknown_links_leak_nothing() {
    let (db, app, s) = setup().await;
    let res = s.client.post(format!("{}{BASE}/Q/link", s.base)).form(&[("ondata", "ex_ante"), ("numero", "2")]).send().await.expect("post");
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"].to_str().expect("ascii").contains("link-q-ex_ante.csv"));
    let csv = res.text().await.expect("csv");
    let links: Vec<&str> = csv.lines().skip(1).map(|l| l.rsplit(';').next().expect("link")).collect();
    assert_eq!(links.len(), 2);
    assert!(links[0].starts_with(&format!("{}/q/", s.base)), "{csv}");
    let token = links[0].rsplit('/').next().expect("token");
    assert_eq!(token.len(), 40, "160 bits in hex");
    assert_ne!(links[0], links[1]);

    // Only a hash is stored.
    let mut conn = app.store.read().await.expect("conn");
    let clear: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) FROM questionnaire_token WHERE token_hash = $1 OR token_hash LIKE $2")
            .bind(token)
            .bind(format!("%{token}%"))
            .fetch_one(&mut *conn)
            .await
            .expect("count"),
        0,
    );
    assert_eq!(clear, 0);
    drop(conn);

    let path = format!("/q/{token}");
    let page = s.get(&path).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.expect("body");
    assert!(html.contains("Soddisfazione per il servizio") && html.contains("<legend"), "{html}");
    assert!(html.contains(r#"name="i.D01" type="radio""#) && html.contains(r#"name="o.D04""#));

    let (status, body) = post(&s, &path, &[("i.D01", "4"), ("i.D02", "5"), ("i.D03", "2"), ("o.D04", "Più orari")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Grazie"));
    assert_eq!(responses(&app).await, 1);

    // The same token again: refused, nothing more stored.
    let (status, body) = post(&s, &path, &[("i.D01", "1")]).await;
    assert_eq!(status, 410);
    assert!(body.contains("già stato usato"));
    assert_eq!(s.get(&path).await.status(), 410);
    assert_eq!(responses(&app).await, 1);

    // Unknown and malformed tokens get the same page, without the questionnaire's title.
    let unknown = s.get(&format!("/q/{}", "0".repeat(40))).await;
    assert_eq!(unknown.status(), 404);
    let unknown = unknown.text().await.expect("body");
    assert!(!unknown.contains("Soddisfazione"));
    let malformed = s.get("/q/%27%3Bdrop").await;
    assert_eq!(malformed.status(), 404);
    assert_eq!(malformed.text().await.expect("body"), unknown);
    let (status, _) = post(&s, &format!("/q/{}", "f".repeat(40)), &[("i.D01", "3")]).await;
    assert_eq!(status, 404);
    assert_eq!(responses(&app).await, 1);

    // A link of a closed wave does not open.
    let closed = [("ondata", "ex_ante"), ("apertura", "2000-01-01"), ("chiusura", "2000-12-31"), ("invitati", "10")];
    assert_eq!(post(&s, &format!("{BASE}/Q/ondate"), &closed).await.0, 303);
    let other = links[1].rsplit('/').next().expect("token");
    let res = s.get(&format!("/q/{other}")).await;
    assert_eq!(res.status(), 410);
    assert!(res.text().await.expect("body").contains("si è chiusa il 2000-12-31"));
    db.drop_pg().await;
}

#[tokio::test]
async fn answers_out_of_range_store_nothing_and_keep_the_link_usable() {
    let (db, app, s) = setup().await;
    let tokens = app.issue_tokens("AT01", "Q", WaveKind::ExAnte, 1).await.expect("tokens");
    let path = format!("/q/{}", tokens[0]);
    for bad in
        [vec![("i.D01", "6"), ("i.D02", "3")], vec![("i.D01", "0")], vec![("i.D01", "tre")], vec![("i.D01", "2"), ("i.D01", "3")], vec![]]
    {
        let (status, body) = post(&s, &path, &bad).await;
        assert_eq!(status, 422, "{bad:?}");
        assert!(body.contains("Nessuna risposta registrata"), "{body}");
    }
    let (_, body) = post(&s, &path, &[("i.D01", "6"), ("i.D02", "3")]).await;
    assert!(body.contains("risposta «6» fuori scala per «D01»: ammessi i valori da 1 a 5"), "{body}");
    assert!(body.contains(r#"id="i-D02-3" value="3" checked"#), "the valid answer is kept: {body}");
    assert_eq!(responses(&app).await, 0);
    // Paper entry follows the same rules.
    let (status, _) = post(&s, &format!("{BASE}/Q/cartaceo"), &[("ondata", "ex_ante"), ("i.D03", "9")]).await;
    assert_eq!(status, 422);
    assert_eq!(responses(&app).await, 0);
    assert_eq!(s.get(&path).await.status(), 200, "the link still works");
    assert_eq!(post(&s, &path, &[("i.D01", "5")]).await.0, 200);
    assert_eq!(responses(&app).await, 1);
    db.drop_pg().await;
}

fn rounded(v: &Value, dp: u32) -> Decimal {
    round_half_up(v.number().unwrap_or_else(|| panic!("blank: {v:?}")), dp)
}

fn d(s: &str) -> Decimal {
    s.parse().expect("literal")
}

#[tokio::test]
async fn results_equal_hand_computed_figures() {
    let (db, app, s) = setup().await;
    let wave = [("ondata", "ex-post"), ("apertura", "2000-01-01"), ("chiusura", "2999-12-31"), ("invitati", "")];
    assert_eq!(post(&s, &format!("{BASE}/Q/ondate"), &wave).await.0, 303);
    // Ex ante raw answers (D03 reverse: score = 6 − answer), scores in brackets:
    //   4 5 2 [4 5 4]   3 3 4 [3 3 2]   5 4 1 [5 4 5]   2 3 3 [2 3 3]
    // Ex post: 5 5 1 [5 5 5]   4 5 2 [4 5 4]   5 4 1 [5 4 5]
    let ex_ante = [["4", "5", "2"], ["3", "3", "4"], ["5", "4", "1"], ["2", "3", "3"]];
    let ex_post = [["5", "5", "1"], ["4", "5", "2"], ["5", "4", "1"]];
    for (wave, rows) in [("ex_ante", &ex_ante[..]), ("ex_post", &ex_post[..])] {
        for r in rows {
            let form = [("ondata", wave), ("i.D01", r[0]), ("i.D02", r[1]), ("i.D03", r[2])];
            assert_eq!(post(&s, &format!("{BASE}/Q/cartaceo"), &form).await.0, 303);
        }
    }
    let report = app.questionnaire_report("AT01", "Q").await.expect("report").expect("exists");
    let ante = report.wave(WaveKind::ExAnte).expect("wave");
    // D01 ex ante: 4 3 5 2 → mean 3,5, sd √(5/3) = 1,29; 4 of 10 invited = 40%.
    assert_eq!(rounded(&ante.figures[0].mean, 2), d("3.50"));
    assert_eq!(rounded(&ante.figures[0].sd, 2), d("1.29"));
    assert_eq!(rounded(&ante.response_rate, 1), d("40.0"));
    // Scale: item variances 5/3 + 2,75/3 + 5/3 = 4,25; totals 13 8 14 8 with variance 10,25;
    // alpha = 1,5 · (1 − 4,25/10,25) = 0,878 → 0,88. Person means' mean 43/12 = 3,58; top-2 6/12.
    assert_eq!(rounded(ante.alphas[3].as_ref().expect("scale alpha"), 2), d("0.88"));
    assert_eq!(rounded(&ante.figures[3].mean, 2), d("3.58"));
    assert_eq!(rounded(&ante.figures[3].top2, 1), d("50.0"));
    // Ex post scale: person means 5, 13/3, 14/3 → 4,67; every item variance 1/3, total variance 1
    // → alpha = 1,5 · (1 − 1/1) = 0.
    let post_w = report.wave(WaveKind::ExPost).expect("wave");
    assert_eq!(rounded(&post_w.figures[3].mean, 2), d("4.67"));
    assert_eq!(rounded(post_w.alphas[3].as_ref().expect("alpha"), 2), d("0.00"));
    assert!(post_w.response_rate.number().is_none(), "no invited count: blank, not zero");
    // Welch on the scale: qa = (10,25/9)/4 = 0,284722, qb = (1/9)/3 = 0,037037, se = √0,321759 = 0,567238;
    // df = 0,103529 / (0,284722²/3 + 0,037037²/2) = 3,736 → t(3) = 3,182; half width 1,804951;
    // difference 4,666667 − 3,583333 = 1,083333 → CI [−0,72; 2,89].
    let c = report.comparison.as_ref().expect("comparison");
    assert_eq!((c.from, c.to), (WaveKind::ExAnte, WaveKind::ExPost));
    let scale = &c.differences[3];
    assert_eq!(rounded(&scale.difference, 2), d("1.08"));
    assert_eq!(rounded(&scale.df, 1), d("3.7"));
    assert_eq!(rounded(&scale.t, 3), d("3.182"));
    assert_eq!(rounded(&scale.low, 2), d("-0.72"));
    assert_eq!(rounded(&scale.high, 2), d("2.89"));

    // The same figures over HTTP: page and CSV.
    let html = s.get(&format!("{BASE}/Q/risultati")).await.text().await.expect("page");
    for text in ["Confronto Ex ante → Ex post", "0,88", "3,58", "4,67", "da -0,72 a 2,89", "+1,08", "<svg"] {
        assert!(html.contains(text), "missing {text}");
    }
    let csv = s.get(&format!("{BASE}/Q/esporta/csv")).await.text().await.expect("csv");
    let line = csv.lines().find(|l| l.starts_with("Ex ante;scala;S1;")).expect("scale row");
    assert_eq!(line, "Ex ante;scala;S1;Qualità;;4;40,0;3,58;3,50;1,07;50,0;0,88;0;2;4;3;3;;;;;");
    let cmp = csv.lines().find(|l| l.starts_with("Ex ante → Ex post;scala;S1;")).expect("comparison row");
    assert!(cmp.ends_with(";1,08;-0,72;2,89;3,7;3,182"), "{cmp}");
    let xlsx = s.get(&format!("{BASE}/Q/esporta/xlsx")).await;
    assert_eq!(xlsx.status(), 200);
    assert!(xlsx.bytes().await.expect("bytes").starts_with(b"PK"));

    // What a plan's outcome indicator reads.
    assert_eq!(rounded(&app.questionnaire_score("AT01", "Q", "ex-post").await.expect("score"), 2), d("4.67"));
    assert_eq!(rounded(&app.questionnaire_scale_score("AT01", "Q", "ex ante", Some("S1")).await.expect("score"), 2), d("3.58"));
    let missing = app.questionnaire_score("AT01", "Q", "intermedia").await.expect("score");
    assert_eq!(missing.blank_reason().map(ToString::to_string).as_deref(), Some("dato non rilevato: ondata intermedia"));
    let unknown = app.questionnaire_score("AT01", "NESSUNO", "ex-post").await.expect("score");
    assert!(unknown.number().is_none());
    db.drop_pg().await;
}

#[tokio::test]
async fn the_demo_questionnaire_compares_two_waves() {
    let db = TestDb::new().await;
    let app = db.app().await;
    app.load_demo(&ambito_app::NoProgress).await.expect("demo");
    app.load_demo(&ambito_app::NoProgress).await.expect("demo again");
    let r = app.questionnaire_report("ALTO_SEBINO", "ADM_FAMIGLIE").await.expect("report").expect("exists");
    assert_eq!(r.waves.len(), 2);
    assert_eq!(r.waves[0].responses, 41, "loading the demo twice adds nothing");
    assert_eq!(r.waves[1].responses, 48);
    let c = r.comparison.as_ref().expect("comparison");
    let overall = c.differences.last().expect("overall");
    assert!(rounded(&overall.difference, 2) > Decimal::ZERO, "the synthetic ex post is better");
    assert!(overall.low.number().is_some() && overall.high.number().is_some());
    assert!(r.open_questions[0].answers.len() > 5);
    db.drop_pg().await;
}

#[tokio::test]
async fn cli_writes_links_and_results() {
    let db = TestDb::new().await;
    let app = db.app().await;
    app.load_demo(&ambito_app::NoProgress).await.expect("demo");
    let dir = tempfile::tempdir().expect("dir");
    let links = dir.path().join("link.csv");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ambito"))
        .args(["--database", &db.url, "questionnaire", "tokens", "--ambito", "ALTO_SEBINO", "--questionnaire", "ADM_FAMIGLIE"])
        .args(["--wave", "ex-ante", "--count", "3", "--base-url", "https://ambito.example.it/", "-o"])
        .arg(&links)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&links).expect("links");
    assert_eq!(text.lines().count(), 4);
    assert!(text.lines().nth(1).expect("row").starts_with("1;Ex ante;https://ambito.example.it/q/"), "{text}");
    let report = dir.path().join("risultati.xlsx");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ambito"))
        .args(["--database", &db.url, "report", "questionnaire", "--ambito", "ALTO_SEBINO", "--questionnaire", "ADM_FAMIGLIE"])
        .args(["--format", "xlsx", "-o"])
        .arg(&report)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(&report).expect("xlsx").starts_with(b"PK"));
    db.drop_pg().await;
}

#[tokio::test]
async fn two_submissions_racing_with_one_link_store_one_response() {
    let (db, app, s) = setup().await;
    let tokens = app.issue_tokens("AT01", "Q", WaveKind::ExAnte, 3).await.expect("tokens");
    for token in &tokens {
        let path = format!("/q/{token}");
        let (a, b) = tokio::join!(post(&s, &path, &[("i.D01", "4")]), post(&s, &path, &[("i.D01", "2")]));
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [200, 410], "exactly one submission wins");
    }
    assert_eq!(responses(&app).await, 3);
    let (issued, used): (i64, i64) = {
        let l = app.questionnaire("AT01", "Q").await.expect("load").expect("exists");
        app.token_counts(l.wave(WaveKind::ExAnte).expect("wave").id).await.expect("counts")
    };
    assert_eq!((issued, used), (3, 3));
    db.drop_pg().await;
}

#[tokio::test]
async fn the_builder_reports_every_problem_and_keeps_what_was_typed() {
    let (db, _app, s) = setup().await;
    let form = [("codice", "Q"), ("titolo", "Doppione"), ("punti", "5"), ("testo.0", "Una affermazione")];
    let (status, body) = post(&s, &format!("{BASE}/nuovo"), &form).await;
    assert_eq!(status, 422);
    assert!(body.contains("esiste già un questionario con codice «Q»"), "{body}");
    let form = [("codice", "NUOVO"), ("titolo", "Prova"), ("punti", "6"), ("testo.0", "Che cosa cambieresti?"), ("tipo.0", "aperta")];
    let (status, body) = post(&s, &format!("{BASE}/nuovo"), &form).await;
    assert_eq!(status, 422);
    assert!(body.contains("scala «6» non ammessa") && body.contains("inserire almeno un&#39;affermazione"), "{body}");
    assert!(body.contains(r#"value="Che cosa cambieresti?""#), "typed text is kept");
    assert_eq!(s.get(&format!("{BASE}/NUOVO")).await.status(), 404);
    let list = s.get(BASE).await.text().await.expect("list");
    assert!(list.contains("Soddisfazione per il servizio") && !list.contains("Prova"));
    db.drop_pg().await;
}
