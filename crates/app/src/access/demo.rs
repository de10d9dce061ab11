//! Demo accounts (one per role in each demo Ambito) and a handful of demo persons that show the
//! access rules: a care team, a person outside it (break-glass), and a person who moved between
//! the two demo Ambiti.

use super::secrets::demo_totp_secret;
use super::users::{NewUser, RoleAssignment};
use crate::{App, AppError, Result};
use ambito_domain::access::CITIZEN_ROLE;
use ambito_domain::codice_fiscale::CodiceFiscale;
use ambito_store as store;

/// One demo account, as printed at start and documented in the README.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUser {
    pub username: String,
    pub role: &'static str,
    pub ambito: Option<&'static str>,
    /// `None` for roles that need no second factor.
    pub totp_secret: Option<String>,
}

/// (prefix, Ambito code, a Comune of that Ambito for the comune operator)
const DEMO_AMBITI: [(&str, &str, &str); 2] = [("alto", "ALTO_SEBINO", "016086"), ("basso", "BASSO_SEBINO", "016193")];
const AMBITO_ROLES: [(&str, &str); 8] = [
    ("responsabile", "responsabile"),
    ("assistente", "assistente_sociale"),
    ("educatore", "educatore"),
    ("psicologo", "psicologo"),
    ("amministrativo", "amministrativo"),
    ("comune", "operatore_comunale"),
    ("ente", "ente_gestore"),
    ("valutatore", "valutatore"),
];
pub const DEMO_PROVIDER: &str = "COOP_SEBINO";
pub const DEMO_CITIZEN_CF: &str = "RSSMRA85T10A562S";

/// The demo accounts, without touching the database.
pub fn demo_users(password: &str) -> Vec<DemoUser> {
    let mut out = vec![
        DemoUser { username: "admin".into(), role: "admin", ambito: None, totp_secret: None },
        DemoUser { username: "dpo".into(), role: "dpo", ambito: None, totp_secret: None },
    ];
    for (prefix, code, _) in DEMO_AMBITI {
        for (suffix, role) in AMBITO_ROLES {
            out.push(DemoUser { username: format!("{prefix}.{suffix}"), role, ambito: Some(code), totp_secret: None });
        }
    }
    out.push(DemoUser { username: "cittadino.rossi".into(), role: CITIZEN_ROLE, ambito: None, totp_secret: None });
    for u in &mut out {
        if u.role != CITIZEN_ROLE {
            u.totp_secret = Some(demo_totp_secret(password, &u.username));
        }
    }
    out
}

impl App {
    /// Creates the demo accounts and persons once; later calls change nothing.
    pub async fn load_demo_access(&self, password: &str) -> Result<Vec<DemoUser>> {
        let users = demo_users(password);
        for u in &users {
            let mut conn = self.store.read().await?;
            let exists = store::user_by_username(&mut conn, &u.username).await?.is_some();
            drop(conn);
            if exists {
                // A demo database reused with another password: the demo accounts follow it.
                self.set_password(None, &u.username, password).await?;
                let mut tx = self.store.write_untracked().await?;
                if let Some(row) = store::user_by_username(&mut tx, &u.username).await? {
                    store::set_totp_secret(&mut tx, row.id, u.totp_secret.as_deref()).await?;
                }
                tx.commit().await?;
                continue;
            }
            let (comune, provider) = match DEMO_AMBITI.iter().find(|(_, code, _)| Some(*code) == u.ambito) {
                Some((_, _, comune)) if u.role == "operatore_comunale" => (Some(comune.to_string()), None),
                Some(_) if u.role == "ente_gestore" => (None, Some(DEMO_PROVIDER.to_string())),
                _ => (None, None),
            };
            let new = NewUser {
                username: u.username.clone(),
                display_name: display_name(&u.username),
                password: Some(password.to_string()),
                codice_fiscale: (u.role == CITIZEN_ROLE).then(|| DEMO_CITIZEN_CF.to_string()),
                totp_secret: u.totp_secret.clone(),
            };
            let role = RoleAssignment { role: u.role.into(), ambito_code: u.ambito.map(str::to_string), comune_istat: comune, provider };
            self.create_user(None, &new, &[role]).await?;
        }
        self.load_demo_persons().await?;
        Ok(users)
    }

    async fn load_demo_persons(&self) -> Result<()> {
        let mut tx = self.store.write_untracked().await?;
        if store::person_by_codice_fiscale(&mut tx, DEMO_CITIZEN_CF).await?.is_some() {
            return Ok(());
        }
        let alto = demo_ambito_id(&mut tx, "ALTO_SEBINO").await?;
        let basso = demo_ambito_id(&mut tx, "BASSO_SEBINO").await?;
        let assistente = demo_user_id(&mut tx, "alto.assistente").await?;
        let educatore = demo_user_id(&mut tx, "alto.educatore").await?;
        let basso_assistente = demo_user_id(&mut tx, "basso.assistente").await?;
        // (CF, surname, name, birth, Comune of residence)
        let persons = [
            (DEMO_CITIZEN_CF, "Rossi", "Mario", "1985-12-10", "016086"),
            ("VRDLCU90A41D969R", "Verdi", "Lucia", "1990-01-01", "016102"),
            ("BNCGNN75M12F205W", "Bianchi", "Giovanni", "1975-08-12", "016086"),
            ("NREANN82D55L219H", "Neri", "Anna", "1982-04-15", "016193"),
        ];
        let mut ids = Vec::new();
        for (i, (cf, cognome, nome, birth, comune)) in persons.iter().enumerate() {
            let cf = CodiceFiscale::parse(cf).map_err(|e| AppError::Internal(format!("codice fiscale demo {cf}: {e}")))?;
            let p = store::NewPerson {
                codice_fiscale: cf.as_str(),
                cognome,
                nome,
                birth_date: birth,
                comune_istat: Some(comune),
                pseudonym: &format!("DEMO-P{:03}", i + 1),
                ..Default::default()
            };
            ids.push(store::ensure_person(&mut tx, &p).await?);
        }
        // Mario Rossi: followed by the Alto Sebino care team (social worker and educator).
        let c = store::open_case(&mut tx, ids[0], alto, Some("SAD"), None, "2024-02-01").await?;
        store::add_to_team(&mut tx, c, assistente).await?;
        store::add_to_team(&mut tx, c, educatore).await?;
        store::add_note(
            &mut tx,
            c,
            Some(assistente),
            "sociale",
            "Primo colloquio: richiesta di assistenza domiciliare per la madre convivente.",
        )
        .await?;
        store::add_note(
            &mut tx,
            c,
            Some(assistente),
            "clinica",
            "Relazione sanitaria ricevuta dal medico di medicina generale (sintesi riservata).",
        )
        .await?;
        // Lucia Verdi: in charge in Alto Sebino, home care by the demo provider, no demo worker in
        // her team: the social worker needs break-glass.
        store::open_case(&mut tx, ids[1], alto, Some("SAD"), Some(super::demo::DEMO_PROVIDER), "2024-05-10").await?;
        // Giovanni Bianchi moved: closed in Alto Sebino, then opened in Basso Sebino.
        let old = store::open_case(&mut tx, ids[2], alto, None, None, "2023-03-01").await?;
        store::close_case(&mut tx, old, "2024-06-30").await?;
        store::add_note(
            &mut tx,
            old,
            Some(assistente),
            "sociale",
            "Trasferimento di residenza: caso chiuso e segnalato all'Ambito di arrivo.",
        )
        .await?;
        let new = store::open_case(&mut tx, ids[2], basso, None, None, "2024-07-01").await?;
        store::add_to_team(&mut tx, new, basso_assistente).await?;
        // Anna Neri: Basso Sebino only.
        let c = store::open_case(&mut tx, ids[3], basso, Some("ADM"), None, "2025-01-15").await?;
        store::add_to_team(&mut tx, c, basso_assistente).await?;
        // The case record's demo: about 300 Alto Sebino persons in every state of the process.
        let comuni: Vec<String> = store::list_comuni(&mut tx, alto).await?.into_iter().map(|c| c.istat_code).collect();
        crate::cases::demo::load(&mut tx, alto, [assistente, educatore], &comuni).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn demo_ambito_id(tx: &mut store::AnyConnection, code: &str) -> Result<i64> {
    store::ambito_by_code(tx, code).await?.map(|a| a.id).ok_or_else(|| AppError::AmbitoNotFound(code.into()))
}

async fn demo_user_id(tx: &mut store::AnyConnection, name: &str) -> Result<i64> {
    store::user_by_username(tx, name).await?.map(|u| u.id).ok_or_else(|| AppError::Internal(format!("utente demo mancante: {name}")))
}

fn display_name(username: &str) -> String {
    let mut s = username.replace(['.', '_'], " ");
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s
}
