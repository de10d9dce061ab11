//! Alerts by e-mail through a real SMTP server (aiosmtpd, writing a Maildir): one digest per
//! user with unread alerts and an address, none twice, none for read alerts, no personal data
//! in the message, a refused server leaves the alerts waiting, and each digest is audited.

use crate::access::demo_app;
use crate::support::TestDb;
use ambito_app::cases::alert_mail::MailSettings;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Smtp {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// aiosmtpd on a free port, delivering into a Maildir. Missing aiosmtpd fails the test.
fn smtp_server() -> Smtp {
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
    let dir = tempfile::tempdir().expect("maildir");
    let child = Command::new("python3")
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
        .arg(dir.path().join("mail"))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python3 -m aiosmtpd (scripts/test installs aiosmtpd)");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "aiosmtpd did not listen on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
    Smtp { child, port, dir }
}

fn messages(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir.join("mail").join("new")) else { return Vec::new() };
    let mut out: Vec<String> = entries.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok()).collect();
    out.sort();
    out
}

async fn alert(app: &ambito_app::App, username: &str, text: &str) {
    let mut tx = app.store.write_untracked().await.expect("tx");
    let user = ambito_store::user_by_username(&mut tx, username).await.expect("user").expect("demo user");
    ambito_store::add_alert(&mut tx, user.id, "case.manager", text, Some("/ambiti/ALTO_SEBINO/persone/1")).await.expect("alert");
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn alerts_go_out_once_per_user_without_personal_data() {
    let db = TestDb::new().await;
    let app = demo_app(&db).await;
    let smtp = smtp_server();
    let settings = MailSettings {
        smtp_url: format!("smtp://127.0.0.1:{}", smtp.port),
        from: "ambito <noreply@ambito.test>".into(),
        base_url: "https://ambito.test".into(),
    };
    assert!(app.set_user_email(None, "alto.assistente", Some("non un indirizzo")).await.is_err(), "a bad address is refused");
    app.set_user_email(None, "alto.assistente", Some("assistente@comune.test")).await.expect("email");
    // Two alerts for the worker, naming a person; one for a user without an address.
    alert(&app, "alto.assistente", "Caso di Rossi Mario assegnato").await;
    alert(&app, "alto.assistente", "Caso di Verdi Lucia condiviso").await;
    alert(&app, "alto.responsabile", "Nuova proposta").await;

    let report = app.mail_alerts(&settings).await.expect("mail");
    assert_eq!((report.sent, report.alerts), (1, 2), "{report:?}");
    let mail = messages(smtp.dir.path());
    assert_eq!(mail.len(), 1);
    let m = &mail[0];
    assert!(m.contains("To: ") && m.contains("assistente@comune.test"), "{m}");
    assert!(m.contains("Subject: ambito: 2 nuovi avvisi"), "{m}");
    assert!(m.contains("https://ambito.test/ambiti/ALTO_SEBINO/lavoro"), "{m}");
    assert!(!m.contains("Rossi") && !m.contains("Verdi") && !m.contains("persone/1"), "no personal data by e-mail: {m}");

    // Nothing new: nothing sent. A new alert: a digest of one. A read alert is never mailed.
    assert_eq!(app.mail_alerts(&settings).await.expect("mail").sent, 0);
    alert(&app, "alto.assistente", "Altro").await;
    assert_eq!(app.mail_alerts(&settings).await.expect("mail").alerts, 1);
    assert!(messages(smtp.dir.path()).iter().any(|m| m.contains("Subject: ambito: 1 nuovo avviso")));
    alert(&app, "alto.assistente", "Letto subito").await;
    {
        let mut tx = app.store.write_untracked().await.expect("tx");
        let user = ambito_store::user_by_username(&mut tx, "alto.assistente").await.expect("user").expect("user");
        ambito_store::mark_alerts_read(&mut tx, user.id).await.expect("read");
        tx.commit().await.expect("commit");
    }
    assert_eq!(app.mail_alerts(&settings).await.expect("mail").sent, 0, "read alerts are not mailed");
    assert_eq!(messages(smtp.dir.path()).len(), 2);

    // A server that is not there: the digest fails and the alert waits for the next round.
    alert(&app, "alto.assistente", "In attesa").await;
    let down = MailSettings { smtp_url: "smtp://127.0.0.1:9".into(), ..settings.clone() };
    let failed = app.mail_alerts(&down).await.expect("a failed send is a report, not an error");
    assert_eq!((failed.sent, failed.failed.len()), (0, 1));
    assert_eq!(app.mail_alerts(&settings).await.expect("mail").alerts, 1, "sent at the next round");

    let log = app.search_audit(&ambito_store::AuditQuery { limit: 10_000, ..Default::default() }).await.expect("audit");
    assert_eq!(log.iter().filter(|e| e.action == "alert.mail").count(), 3);
    assert!(log.iter().any(|e| e.action == "user.email" && e.object == "utente/alto.assistente"));
    db.drop_pg().await;
}
