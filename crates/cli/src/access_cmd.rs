//! Command-line administration of accounts, tokens, the audit log and personal data.

use ambito_app::App;
use ambito_app::access::{NewUser, RoleAssignment};
use anyhow::{Context, bail};
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum UserCmd {
    /// Create a user with one role. The password is read from AMBITO_PASSWORD or standard input.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        /// admin, responsabile, assistente_sociale, educatore, psicologo, amministrativo,
        /// operatore_comunale, ente_gestore, valutatore, dpo, cittadino.
        #[arg(long)]
        role: String,
        /// The Ambito the role is limited to (none: every Ambito).
        #[arg(long)]
        ambito: Option<String>,
        /// ISTAT code of the Comune (operatore comunale).
        #[arg(long)]
        comune: Option<String>,
        /// Provider (ente gestore).
        #[arg(long)]
        ente: Option<String>,
        /// Codice fiscale, to link SPID/CIE logins.
        #[arg(long)]
        codice_fiscale: Option<String>,
    },
    /// Set the e-mail address alert digests go to (a blank one clears it).
    Email {
        username: String,
        #[arg(long)]
        email: String,
    },
    /// Suspend a user (their sessions end at once).
    Suspend { username: String },
    /// Reinstate a suspended user.
    Reinstate { username: String },
    /// Print a one-time password-reset path, valid 24 hours.
    ResetLink { username: String },
}

#[derive(Subcommand)]
pub enum TokenCmd {
    /// Create an API token limited to the given permissions; printed once.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long)]
        name: String,
        /// Comma-separated permission codes, e.g. report.read,activity.read.
        #[arg(long)]
        scopes: String,
        /// Days the token stays valid (default 90, at most 3650).
        #[arg(long)]
        days: Option<i64>,
    },
    /// List API tokens (never their secret): number, user, name, scopes, expiry, state.
    List {
        #[arg(long)]
        user: Option<String>,
    },
    /// Revoke a token by its number (see `token list`), or every active token of a user with a name.
    Revoke {
        /// The token's number.
        id: Option<i64>,
        #[arg(long)]
        user: Option<String>,
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum AuditCmd {
    /// Check the keyed chain of the audit log (key: AMBITO_AUDIT_KEY or AMBITO_AUDIT_KEY_FILE);
    /// exits 1 naming the first bad entry.
    Verify {
        /// Also check every checkpoint in FILE (written by `audit checkpoint` or the server):
        /// a tail deleted below one of them is caught.
        #[arg(long)]
        checkpoints: Option<PathBuf>,
    },
    /// Print a signed checkpoint of the chain (sequence number, head, time), or append it to
    /// FILE, to keep outside the database.
    Checkpoint {
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum PersonCmd {
    /// One person's complete data (GDPR art. 15), as JSON or PDF.
    Export {
        #[arg(long)]
        codice_fiscale: String,
        #[arg(long, default_value = "json")]
        format: String,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// Remove personal data of persons whose cases all closed more than N years ago. Dry run
    /// unless --apply; aggregates stay exact.
    Purge {
        #[arg(long, env = "AMBITO_RETENTION_YEARS", default_value_t = 10)]
        years: i64,
        #[arg(long)]
        apply: bool,
    },
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("AMBITO_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub async fn user(app: &App, cmd: UserCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        UserCmd::Create { username, name, role, ambito, comune, ente, codice_fiscale } => {
            let password = read_password()?;
            let user =
                NewUser { username: username.clone(), display_name: name, password: Some(password), codice_fiscale, totp_secret: None };
            let role = RoleAssignment { role, ambito_code: ambito, comune_istat: comune, provider: ente };
            app.create_user(None, &user, &[role]).await?;
            println!("utente creato: {username}");
        }
        UserCmd::Email { username, email } => {
            app.set_user_email(None, &username, Some(&email)).await?;
            println!("indirizzo e-mail di {username}: {}", if email.trim().is_empty() { "nessuno" } else { email.trim() });
        }
        UserCmd::Suspend { username } => {
            app.set_suspended(None, &username, true).await?;
            println!("utente sospeso: {username}");
        }
        UserCmd::Reinstate { username } => {
            app.set_suspended(None, &username, false).await?;
            println!("utente riattivato: {username}");
        }
        UserCmd::ResetLink { username } => {
            let token = app.issue_reset_token(None, &username).await?;
            println!("/accesso/reimposta/{token}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn token(app: &App, cmd: TokenCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        TokenCmd::Create { user, name, scopes, days } => {
            let scopes: Vec<String> = scopes.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
            println!("{}", app.create_api_token(None, &user, &name, &scopes, days).await?);
        }
        TokenCmd::List { user } => {
            let now = ambito_store::now_text();
            for t in app.api_tokens(user.as_deref()).await? {
                let state = match &t.expires_at {
                    _ if t.revoked != 0 => "revocato",
                    Some(e) if *e <= now => "scaduto",
                    _ => "attivo",
                };
                let expires = t.expires_at.as_deref().unwrap_or("mai");
                println!("{}\t{}\t{}\t{}\tcreato {}\tscade {expires}\t{state}", t.id, t.username, t.name, t.scopes, t.created_at);
            }
        }
        TokenCmd::Revoke { id, user, name } => {
            let n = app.revoke_api_tokens(None, id, user.as_deref(), name.as_deref()).await?;
            if n == 0 {
                bail!("nessun token attivo corrisponde");
            }
            println!("token revocati: {n}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn audit(app: &App, cmd: AuditCmd) -> anyhow::Result<ExitCode> {
    let checkpoints = match cmd {
        AuditCmd::Checkpoint { output: None } => {
            println!("{}", app.checkpoint_line(&app.audit_checkpoint().await?));
            return Ok(ExitCode::SUCCESS);
        }
        AuditCmd::Checkpoint { output: Some(path) } => {
            let c = app.write_audit_checkpoint(&path).await?;
            println!("checkpoint della voce {} aggiunto a {}", c.seq, path.display());
            return Ok(ExitCode::SUCCESS);
        }
        AuditCmd::Verify { checkpoints: Some(path) } => app.read_audit_checkpoints(&path)?,
        AuditCmd::Verify { checkpoints: None } => vec![],
    };
    let v = app.verify_audit_against(&checkpoints).await?;
    match v.error {
        None => {
            let keyed = match v.keyed_from {
                Some(1) | None => String::new(),
                Some(k) => format!(" (voci 1–{} con la regola precedente, senza chiave)", k - 1),
            };
            let held = if v.checkpoints > 0 { format!(", {} checkpoint rispettati", v.checkpoints) } else { String::new() };
            println!("registro integro: {} voci verificate{keyed}{held}", v.entries);
            Ok(ExitCode::SUCCESS)
        }
        Some(e) => {
            eprintln!("registro NON integro dopo {} voci valide: {e}", v.entries);
            Ok(ExitCode::FAILURE)
        }
    }
}

pub async fn person(app: &App, cmd: PersonCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        PersonCmd::Export { codice_fiscale, format, output } => {
            let Some(p) = app.person_by_cf(&codice_fiscale).await? else { bail!("nessuna persona con codice fiscale {codice_fiscale}") };
            // The data subject's right of access, answered by the DPO: the whole record across
            // every Ambito (`Reader::DataSubject`), unlike the web export, which shows the staff
            // of one Ambito what its person page shows them. Each Ambito whose cases it discloses
            // gets the access in its own register.
            let data = app.subject_export(&ambito_app::access::Actor::COMMAND_LINE, ambito_domain::ids::PersonId(p.id)).await?;
            let bytes = match format.as_str() {
                "json" => serde_json::to_vec_pretty(&data)?,
                "pdf" => ambito_app::access::person_export_pdf(&data)?,
                other => bail!("formato sconosciuto: {other} (json o pdf)"),
            };
            std::fs::write(&output, bytes).with_context(|| format!("writing {}", output.display()))?;
            println!("scritto {}", output.display());
        }
        PersonCmd::Purge { years, apply } => {
            let today = time::OffsetDateTime::now_utc().date();
            let r = app.purge_expired(None, years, today, apply).await?;
            let verb = if r.applied { "cancellati" } else { "da cancellare (prova: aggiungere --apply)" };
            println!("persone con tutti i casi chiusi prima del {}: {} {verb}", r.cutoff, r.persons.len());
        }
    }
    Ok(ExitCode::SUCCESS)
}
