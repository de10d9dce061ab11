//! `ambito alerts …` and the SMTP settings `serve` shares: in-app alerts by e-mail.

use ambito_app::App;
use anyhow::Context;
use clap::Subcommand;
use std::process::ExitCode;

/// The SMTP server alerts go out through, with the sender and the address links start with.
#[derive(clap::Args, Debug, Clone)]
pub struct MailArgs {
    /// `smtp://host:port`, `smtp://host:587?tls=required` or `smtps://user:pass@host:465`.
    #[arg(long, env = "AMBITO_SMTP_URL")]
    smtp_url: Option<String>,
    #[arg(long, env = "AMBITO_MAIL_FROM", default_value = "ambito <noreply@localhost>")]
    mail_from: String,
    #[arg(long, env = "AMBITO_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    public_url: String,
}

impl MailArgs {
    pub fn settings(&self) -> Option<ambito_app::cases::alert_mail::MailSettings> {
        let smtp_url = self.smtp_url.clone().filter(|u| !u.trim().is_empty())?;
        Some(ambito_app::cases::alert_mail::MailSettings { smtp_url, from: self.mail_from.clone(), base_url: self.public_url.clone() })
    }
}

#[derive(Subcommand)]
pub enum AlertsCmd {
    /// Send every waiting digest now (one e-mail per user with unread alerts; no personal data).
    Mail {
        #[command(flatten)]
        mail: MailArgs,
    },
}

pub async fn alerts(app: &App, cmd: AlertsCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        AlertsCmd::Mail { mail } => {
            let settings = mail.settings().context("no SMTP server: --smtp-url or AMBITO_SMTP_URL")?;
            let r = app.mail_alerts(&settings).await?;
            println!("avvisi per e-mail: {} messaggi, {} avvisi", r.sent, r.alerts);
            for (user, why) in &r.failed {
                eprintln!("non inviato a {user}: {why}");
            }
            if !r.failed.is_empty() {
                anyhow::bail!("{} messaggi non inviati (gli avvisi restano da inviare)", r.failed.len());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
