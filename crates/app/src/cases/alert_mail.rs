//! In-app alerts by e-mail: one digest per user with alerts neither read nor mailed, sent over
//! SMTP (a real server: the tests run aiosmtpd). The message names no person and no case:
//! e-mail leaves the access layer and its audit, so it says only how many alerts wait and links
//! to the work list, where the login decides what the reader sees.

use crate::access::users::actor_event;
use crate::{App, AppError, Result};
use ambito_domain::access::Principal;
use ambito_store as store;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Where digests go out from. `smtp_url` is lettre's form: `smtp://host:port` (plain, for a relay
/// on the local network), `smtp://host:587?tls=required` (STARTTLS), `smtps://user:pass@host:465`.
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub smtp_url: String,
    pub from: String,
    /// The address the links in the message start with (`AMBITO_PUBLIC_URL`).
    pub base_url: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailReport {
    /// Users who got a digest, and the alerts it covered.
    pub sent: usize,
    pub alerts: u64,
    /// Users whose digest the server refused (their alerts wait for the next run), with why.
    pub failed: Vec<(String, String)>,
}

/// The digest's subject and text: a count and a link (the work list of the user's Ambito, else
/// the home page), nothing about anyone.
pub fn digest_text(display_name: &str, waiting: i64, base_url: &str, ambito: Option<&str>) -> (String, String) {
    let what = if waiting == 1 { "1 nuovo avviso".to_string() } else { format!("{waiting} nuovi avvisi") };
    let base = base_url.trim_end_matches('/');
    let link = match ambito {
        Some(code) => format!("{base}/ambiti/{code}/lavoro"),
        None => format!("{base}/"),
    };
    let body = format!(
        "Gentile {display_name},\n\nha {what} in ambito. Per leggerli acceda al sistema:\n{link}\n\n\
         Per riservatezza questo messaggio non contiene dati delle persone seguite.\n\
         Messaggio automatico: non risponda a questo indirizzo.\n"
    );
    (format!("ambito: {what}"), body)
}

impl App {
    /// Sets or clears a staff member's e-mail address (audited). An address that does not parse
    /// is refused.
    pub async fn set_user_email(&self, actor: Option<&Principal>, username: &str, email: Option<&str>) -> Result<()> {
        let email = email.map(str::trim).filter(|e| !e.is_empty());
        if let Some(e) = email {
            e.parse::<lettre::Address>().map_err(|err| AppError::Invalid(format!("indirizzo e-mail non valido «{e}»: {err}")))?;
        }
        let mut tx = self.store.write_untracked().await?;
        let user = store::user_by_username(&mut tx, username).await?.ok_or_else(|| AppError::Invalid("utente non trovato".into()))?;
        store::set_user_email(&mut tx, user.id, email).await?;
        self.audit_in(&mut tx, actor_event(actor, "user.email", &format!("utente/{username}"))).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sends every waiting digest. A digest that fails leaves its alerts unmailed, so the next
    /// run tries again; one that went out marks exactly the alerts it counted.
    pub async fn mail_alerts(&self, settings: &MailSettings) -> Result<MailReport> {
        let from: Mailbox =
            settings.from.parse().map_err(|e| AppError::Invalid(format!("mittente non valido «{}»: {e}", settings.from)))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.smtp_url)
            .map_err(|e| AppError::Invalid(format!("server SMTP non valido «{}»: {e}", settings.smtp_url)))?
            .build();
        let mut conn = self.store.read().await?;
        let digests = store::alert_digests(&mut conn).await?;
        drop(conn);
        let mut report = MailReport::default();
        for d in digests {
            let (subject, body) = digest_text(&d.display_name, d.waiting, &settings.base_url, d.ambito_code.as_deref());
            let message = d.email.parse::<lettre::Address>().map_err(|e| e.to_string()).and_then(|to| {
                Message::builder()
                    .from(from.clone())
                    .to(Mailbox::new(Some(d.display_name.clone()), to))
                    .subject(subject)
                    .header(ContentType::TEXT_PLAIN)
                    .body(body)
                    .map_err(|e| e.to_string())
            });
            let sent = match message {
                Ok(m) => transport.send(m).await.map(|_| ()).map_err(|e| e.to_string()),
                Err(e) => Err(e),
            };
            if let Err(why) = sent {
                tracing::warn!(user = %d.username, %why, "alert digest not sent");
                report.failed.push((d.username, why));
                continue;
            }
            let mut tx = self.store.write_untracked().await?;
            report.alerts += store::mark_alerts_mailed(&mut tx, d.user_id, d.last_id, &store::now_text()).await?;
            let mut ev = actor_event(None, "alert.mail", &format!("utente/{}", d.username));
            ev.reason = Some(format!("{} avvisi", d.waiting));
            self.audit_in(&mut tx, ev).await?;
            tx.commit().await?;
            report.sent += 1;
        }
        Ok(report)
    }

    /// Sends the waiting digests every `every`, in the background of the server (a failure is
    /// logged and retried at the next tick).
    pub fn start_alert_mail(&self, settings: MailSettings, every: std::time::Duration) {
        let app = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                match app.mail_alerts(&settings).await {
                    Ok(r) if r.sent > 0 || !r.failed.is_empty() => {
                        tracing::info!(sent = r.sent, alerts = r.alerts, failed = r.failed.len(), "alert digests");
                    }
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "alert digests not sent"),
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::digest_text;

    #[test]
    fn the_digest_counts_and_links_without_naming_anyone() {
        let (subject, body) = digest_text("Anna Bianchi", 3, "https://ambito.example.it/", Some("ALTO_SEBINO"));
        assert_eq!(subject, "ambito: 3 nuovi avvisi");
        assert!(body.starts_with("Gentile Anna Bianchi,"));
        assert!(body.contains("https://ambito.example.it/ambiti/ALTO_SEBINO/lavoro\n"), "{body}");
        let (one, body) = digest_text("X", 1, "http://h", None);
        assert_eq!(one, "ambito: 1 nuovo avviso");
        assert!(body.contains("http://h/\n"));
    }
}
