//! A long record over real HTTP: the person page shows the newest diary entries and pages back,
//! and the newest timeline lines with a link to the whole one; a page past the last shows the
//! last, a mistyped page the first, and paging never opens a record the caller may not read.

use crate::access::{demo_app, logged_in, person_id};
use crate::support::{TestDb, TestServer};
use ambito_app::access::demo::DEMO_CITIZEN_CF;
use reqwest::StatusCode;

/// Notes `Voce di prova N` on the person's first case in Alto Sebino, oldest first.
async fn add_notes(app: &ambito_app::App, person: i64, n: usize) {
    let mut conn = app.store.read().await.expect("conn");
    let (case,): (i64,) = sqlx::query_as(
        "SELECT MIN(c.id) FROM care_case c JOIN ambito a ON a.id = c.ambito_id WHERE c.person_id = $1 AND a.code = 'ALTO_SEBINO'",
    )
    .bind(person)
    .fetch_one(&mut *conn)
    .await
    .expect("case");
    drop(conn);
    let mut tx = app.store.write_untracked().await.expect("tx");
    for i in 1..=n {
        let id = ambito_store::add_note(&mut tx, case, None, "sociale", &format!("Voce di prova {i:03}")).await.expect("note");
        // Distinct days, in order, so "newest first" is well defined.
        sqlx::query("UPDATE case_note SET occurred_on = $1 WHERE id = $2")
            .bind(format!("2020-{:02}-{:02}", 1 + (i - 1) / 28, 1 + (i - 1) % 28))
            .bind(id)
            .execute(&mut *tx)
            .await
            .expect("day");
    }
    tx.commit().await.expect("commit");
}

async fn body(b: &crate::browser::Browser, path: &str) -> (StatusCode, String) {
    let res = b.get(path).await;
    (res.status(), res.text().await.expect("body"))
}

#[tokio::test]
async fn a_long_diary_pages_back_and_the_timeline_shows_its_newest_lines() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let server = TestServer::start(app.clone()).await;
    let mario = person_id(&app, DEMO_CITIZEN_CF).await;
    add_notes(&app, mario, 130).await;
    let record = format!("/ambiti/ALTO_SEBINO/persone/{mario}");
    let worker = logged_in(&server.base, "alto.assistente").await;
    let (status, first) = body(&worker, &record).await;
    assert_eq!(status, StatusCode::OK);
    let pages = first.split("Pagina 1 di ").nth(1).and_then(|s| s.split('<').next()).expect("pager").to_string();
    let pages: usize = pages.trim().parse().expect("page count");
    assert!(pages >= 3, "130 entries at 50 a page");

    // The first page: the newest entry, not the oldest; no "more recent" link.
    assert!(first.contains("Voce di prova 130") && !first.contains("Voce di prova 001"));
    assert!(first.contains("?diario=2#diario") && !first.contains("Voci più recenti"));
    let shown = first.matches("id=\"nota-").count();
    assert_eq!(shown, 50, "one page of the diary");
    // The timeline: its newest lines and the link to the whole one.
    let timeline = first.split("id=\"cronologia\"").nth(1).and_then(|s| s.split("</ol>").next()).expect("timeline");
    assert_eq!(timeline.matches("<li").count(), 30);
    assert!(first.contains("?cronologia=tutta#cronologia"), "the link to the whole timeline");

    // The last page holds the oldest entry; a page past the end shows the last page.
    let (_, last) = body(&worker, &format!("{record}?diario={pages}")).await;
    assert!(last.contains("Voce di prova 001") && last.contains("Voci più recenti") && !last.contains("Voci precedenti"));
    let (_, past) = body(&worker, &format!("{record}?diario=9999")).await;
    assert!(past.contains(&format!("Pagina {pages} di {pages}")));
    let (status, typo) = body(&worker, &format!("{record}?diario=abc&cronologia=no")).await;
    assert_eq!(status, StatusCode::OK, "a mistyped page opens the first");
    assert!(typo.contains("Voce di prova 130") && typo.contains("Pagina 1 di"));

    // The whole timeline has every entry.
    let (_, whole) = body(&worker, &format!("{record}?cronologia=tutta")).await;
    let timeline = whole.split("id=\"cronologia\"").nth(1).and_then(|s| s.split("</ol>").next()).expect("timeline");
    assert!(timeline.matches("<li").count() >= 130 && timeline.contains("Voce di prova 001"));
    assert!(!whole.contains("?cronologia=tutta#cronologia"));

    // Paging is no way around the rule: the provider of another case gets no diary page.
    let ente = logged_in(&server.base, "alto.ente").await;
    for path in [format!("{record}?diario=2"), format!("{record}?cronologia=tutta")] {
        let (status, page) = body(&ente, &path).await;
        assert!(!page.contains("Voce di prova"), "{path}: {status}");
    }
    db.drop_pg().await;
}
