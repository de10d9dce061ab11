use ambito_app::App;
use std::sync::atomic::{AtomicU32, Ordering};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh, empty database for one test; dropped (PostgreSQL) or deleted (SQLite) at the end.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_admin: Option<(String, String)>,
}

impl TestDb {
    pub async fn new() -> TestDb {
        match std::env::var("AMBITO_TEST_PG") {
            Ok(server) if !server.is_empty() => Self::postgres_at(&server).await,
            _ => Self::sqlite(),
        }
    }

    /// A fresh SQLite database, whatever `AMBITO_TEST_PG` says.
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/test.db", dir.path().display());
        TestDb { url, _dir: Some(dir), pg_admin: None }
    }

    /// A fresh PostgreSQL database on `AMBITO_TEST_PG`, or on the local server CI runs when it is
    /// unset: a test that needs both backends fails, never skips, when PostgreSQL is down.
    pub async fn postgres() -> TestDb {
        let server = std::env::var("AMBITO_TEST_PG").ok().filter(|s| !s.is_empty());
        Self::postgres_at(server.as_deref().unwrap_or("postgres://postgres@127.0.0.1:5432")).await
    }

    async fn postgres_at(server: &str) -> TestDb {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let server = server.trim_end_matches('/').to_string();
        let name = format!("ambito_t{}_{}_{n}", std::process::id(), nanos());
        let admin = format!("{server}/postgres");
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await.expect("connect to PostgreSQL");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.expect("create test database");
        TestDb { url: format!("{server}/{name}"), _dir: None, pg_admin: Some((admin, name)) }
    }

    pub async fn app(&self) -> App {
        App::open(&self.url).await.expect("open app")
    }

    pub async fn drop_pg(&self) {
        if let Some((admin, name)) = &self.pg_admin
            && let Ok(mut conn) = <sqlx::PgConnection as sqlx::Connection>::connect(admin).await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).execute(&mut conn).await;
        }
    }
}

fn nanos() -> u32 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0)
}

/// A real server on a random port, serving `app`. `client` acts as a system administrator
/// through an API token with every permission; `anon` is a browser that is not logged in.
pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub anon: reqwest::Client,
}

pub const ADMIN: &str = "test.admin";

/// An API token for `username`, narrowed to every permission (so the role decides).
pub async fn token_for(app: &App, username: &str) -> String {
    let scopes: Vec<String> = ambito_domain::access::Perm::ALL.iter().map(|p| p.code().to_string()).collect();
    app.create_api_token(None, username, "test", &scopes, Some(1)).await.expect("token")
}

pub fn bearer_client(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {token}").parse().expect("header"));
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).default_headers(headers).build().expect("client")
}

impl TestServer {
    pub async fn start(app: App) -> TestServer {
        let admin =
            ambito_app::access::NewUser { username: ADMIN.into(), display_name: "Amministratore di prova".into(), ..Default::default() };
        let role = ambito_app::access::RoleAssignment { role: "admin".into(), ..Default::default() };
        let mut conn = app.store.read().await.expect("conn");
        let exists = ambito_store::user_by_username(&mut conn, ADMIN).await.expect("user").is_some();
        drop(conn);
        if !exists {
            app.create_user(None, &admin, &[role]).await.expect("admin user");
        }
        let token = token_for(&app, ADMIN).await;
        let base = Self::serve(app).await;
        let anon = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().expect("client");
        TestServer { base, client: bearer_client(&token), anon }
    }

    /// Serves `app` on a random port and returns its base URL.
    pub async fn serve(app: App) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let _ = ambito_web::serve(listener, app, ambito_web::WebConfig::default()).await;
        });
        base
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).send().await.expect("GET")
    }
}

/// A small activity file with hand-checkable figures (see report.rs for the expected output).
pub const SMALL_ACTIVITY: &str = "\
anno;area;codice_servizio;servizio;codice_padre;utenti_in_carico;domande_pervenute;beneficiari;ore_erogate;accessi;visite_domiciliari;indicatore;popolazione_target;budget
2025;Anziani;SAD;Assistenza domiciliare;;80;;;2.172,20;;310;ore/utenti;;9.638,00
2025;Anziani;SAD_PASTI;Pasti a domicilio;SAD;30;;;;;;;;1.000,00
2025;Anziani;TELE;Telesoccorso;;20;;;;;;utenti/target_x1000;4.000;-
2025;Disabilità;VOUCHER;Voucher disabilità;;;;;;;;beneficiari/domande;;
2025;Disabilità;VOUCHER_A;Voucher A;VOUCHER;;10;8;;;;;;1.030,95
2025;Disabilità;VOUCHER_B;Voucher B;VOUCHER;;20;15;;;;;;
2025;Piano di Zona;SEGR;Segretariato sociale;;;;;;950;;accessi/target_x1000;29942;0
";

pub async fn new_ambito_with(app: &App, code: &str, csv: &str) -> ambito_app::intake::ImportOutcome {
    let opts = ambito_app::reporting::import::activity::ActivityImport { ambito_code: code, new_ambito_name: Some("Ambito di prova") };
    app.import_activity("attivita.csv", csv.as_bytes(), opts, &ambito_app::NoProgress).await.expect("import runs")
}

/// Everything an import could change, as text, to prove that a rejected import changed nothing.
pub async fn snapshot(app: &App) -> String {
    let mut conn = app.store.read().await.expect("conn");
    let mut out = String::new();
    for table in [
        "ambito",
        "area",
        "service",
        "activity",
        "agg_service_year",
        "service_year",
        "budget_line",
        "population",
        "target_population",
        "comune",
    ] {
        let n: i64 = sqlx::Row::get(
            &sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"))).fetch_one(&mut *conn).await.expect("count"),
            0,
        );
        out.push_str(&format!("{table}={n};"));
    }
    let sums: Option<i64> = sqlx::Row::get(
        &sqlx::query("SELECT CAST(SUM(COALESCE(utenti,0) + COALESCE(budget_cents,0) + COALESCE(ore_e4,0)) AS BIGINT) FROM activity")
            .fetch_one(&mut *conn)
            .await
            .expect("sum"),
        0,
    );
    out.push_str(&format!("sum={sums:?}"));
    out
}
