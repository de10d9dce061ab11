//! `ambito`: the one binary. Thin: it parses arguments, calls the application services and prints.

mod access_cmd;
mod alerts_cmd;
mod cases_cmd;
mod copayment_cmd;
mod progress;
mod timing;

use ambito_app::intake::ImportOutcome;
use ambito_app::intake::year_from_file_name;
use ambito_app::reporting::import::activity::ActivityImport;
use ambito_app::reporting::import::population::PopulationImport;
use ambito_app::{App, Lang};
use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use progress::Bar;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "ambito", version, about = "Sistema informativo per gli Ambiti territoriali sociali")]
struct Cli {
    /// Database URL: sqlite:PATH or postgres://USER@HOST/DB.
    #[arg(long, global = true, env = "AMBITO_DATABASE_URL", default_value = "sqlite://data/ambito.db")]
    database: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server.
    Serve {
        #[arg(long, env = "AMBITO_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Load the demo Ambiti, with one user per role, before serving.
        #[arg(long)]
        demo: bool,
        /// The server sits behind TLS: cookies get the Secure flag, responses HSTS.
        #[arg(long, env = "AMBITO_BEHIND_TLS")]
        behind_tls: bool,
        /// Reverse proxies (comma-separated addresses or networks, e.g. 10.0.0.1,fd00::/8) whose
        /// X-Forwarded-For names the client, for the login throttle and the audit log.
        #[arg(long, env = "AMBITO_TRUSTED_PROXIES", default_value = "")]
        trusted_proxy: String,
        /// Seconds a client has to send a whole request head (slowloris).
        #[arg(long, env = "AMBITO_HEADER_TIMEOUT", default_value_t = 20)]
        header_timeout: u64,
        /// Seconds without a byte read or written before a connection is closed.
        #[arg(long, env = "AMBITO_IDLE_TIMEOUT", default_value_t = 120)]
        idle_timeout: u64,
        /// Open connections at most; more wait to be accepted.
        #[arg(long, env = "AMBITO_MAX_CONNECTIONS", default_value_t = 512)]
        max_connections: usize,
        /// Append a signed audit checkpoint to FILE (keep it outside the database) every
        /// --audit-checkpoint-minutes, whenever the log has grown.
        #[arg(long, env = "AMBITO_AUDIT_CHECKPOINTS")]
        audit_checkpoints: Option<PathBuf>,
        #[arg(long, env = "AMBITO_AUDIT_CHECKPOINT_MINUTES", default_value_t = 60)]
        audit_checkpoint_minutes: u64,
        #[command(flatten)]
        mail: alerts_cmd::MailArgs,
        /// Minutes between two rounds of alert digests (with an SMTP server set).
        #[arg(long, env = "AMBITO_MAIL_MINUTES", default_value_t = 5)]
        mail_minutes: u64,
    },
    /// Create or update the database schema.
    Migrate,
    /// Load the demo data (Ambito Alto Sebino, code ALTO_SEBINO, and Basso Sebino).
    Demo,
    /// Import a file; nothing is written unless every row is valid.
    #[command(subcommand)]
    Import(ImportCmd),
    /// Produce a report.
    #[command(subcommand)]
    Report(ReportCmd),
    /// Export data in the import formats.
    #[command(subcommand)]
    Export(ExportCmd),
    /// Delivery events.
    #[command(subcommand)]
    Deliveries(DeliveriesCmd),
    /// Write a consistent copy of the whole database to FILE (which must not exist). Safe while the
    /// server runs. SQLite: online copy (VACUUM INTO); PostgreSQL: pg_dump -Fc (client tools needed).
    Backup { file: PathBuf },
    /// Replace the whole database with the backup in FILE. Stop the server first. The file is
    /// checked (an intact ambito database this version can run) before anything is replaced;
    /// PostgreSQL: pg_restore in one transaction into the existing database (client tools needed).
    Restore { file: PathBuf },
    /// User accounts.
    #[command(subcommand)]
    User(access_cmd::UserCmd),
    /// API tokens.
    #[command(subcommand)]
    Token(access_cmd::TokenCmd),
    /// The tamper-evident audit log.
    #[command(subcommand)]
    Audit(access_cmd::AuditCmd),
    /// Personal data: right-of-access export and retention purge.
    #[command(subcommand)]
    Person(access_cmd::PersonCmd),
    /// The social case record (figures derived from it).
    #[command(subcommand)]
    Cases(cases_cmd::CasesCmd),
    /// In-app alerts by e-mail.
    #[command(subcommand)]
    Alerts(alerts_cmd::AlertsCmd),
    /// Co-payments by ISEE and pagoPA notices: regulation, settings, exemptions, statements.
    #[command(subcommand)]
    Copayment(copayment_cmd::CopaymentCmd),
    /// Likert questionnaires.
    #[command(subcommand)]
    Questionnaire(QuestionnaireCmd),
    /// The job queue (imports started from the browser).
    #[command(subcommand)]
    Jobs(JobsCmd),
    /// Time the benchmark's questions 2–4 in this process, on the open database (bench/run.py).
    #[command(subcommand)]
    Bench(BenchCmd),
    /// Write a synthetic, realistic data set (territory, population, targets, activity, budgets,
    /// delivery events) as CSV files; the same scale and seed give identical files. No database.
    Synth {
        #[arg(long, value_enum)]
        scale: SynthScale,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(short = 'o', long)]
        output: PathBuf,
        /// Write only `persons.csv`: this many persons (valid codici fiscali) in the persons
        /// import format, resident in the first Ambito (bench/persons.py).
        #[arg(long)]
        persons: Option<u64>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SynthScale {
    /// 2 Ambiti, ~60,000 residents, ~30,000 events.
    Small,
    /// 1 Ambito, ~120,000 residents, ~250,000 events.
    Ambito,
    /// Lombardy: 91 Ambiti, ~10 million residents, ~20 million events (~1.5 GB).
    Region,
}

#[derive(Subcommand)]
enum ImportCmd {
    /// Yearly activity per service (CSV or XLSX).
    Activity {
        file: PathBuf,
        #[arg(long)]
        ambito: String,
        /// Create the Ambito with this name if it does not exist.
        #[arg(long)]
        new_ambito: Option<String>,
    },
    /// ISTAT resident population by age and sex.
    Population {
        file: PathBuf,
        /// Year of the 1 January the file describes (default: the year in the file name).
        #[arg(long)]
        year: Option<i64>,
        #[arg(long)]
        skip_unknown_comuni: bool,
    },
    /// Budgets by funding source.
    Budget {
        file: PathBuf,
        #[arg(long)]
        ambito: String,
    },
    /// Named target populations.
    Targets { file: PathBuf },
    /// Regioni, ATS, Distretti, Ambiti and Comuni.
    Territory { file: PathBuf },
    /// A Piano di Zona in ambito's plan format (JSON or XLSX, see docs/plan-format.md).
    Plan { file: PathBuf },
    /// Persons from an Ambito's old system (CSV or XLSX, docs/import-formats.md); they are
    /// registered in the Ambito.
    Persons {
        file: PathBuf,
        #[arg(long)]
        ambito: String,
    },
    /// Cases (prese in carico) from an Ambito's old system; the persons must be imported first.
    Cases {
        file: PathBuf,
        #[arg(long)]
        ambito: String,
    },
    /// ISEE attestations of persons of the registry (CSV or XLSX, docs/import-formats.md).
    Isee {
        file: PathBuf,
        #[arg(long)]
        ambito: String,
    },
    /// Delivery events reported by providers (streamed; any size).
    Deliveries {
        file: PathBuf,
        #[arg(long)]
        ambito: String,
        /// The year the file covers (default: the year in the file name, else the first row's).
        #[arg(long)]
        year: Option<i64>,
    },
}

#[derive(Subcommand)]
enum ReportCmd {
    /// Every Ambito × service with delivery events: persons, hours, visits and ratios.
    Region {
        #[arg(long)]
        year: i64,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// Results of a Likert questionnaire: every wave and the comparison of the first and last.
    Questionnaire {
        #[arg(long)]
        ambito: String,
        #[arg(long)]
        questionnaire: String,
        #[arg(long, value_enum)]
        format: TableFormat,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// The Piano di Zona document: synoptic table and every objective card (PDF or DOCX).
    Plan {
        #[arg(long)]
        ambito: String,
        #[arg(long, default_value = "2021-2023")]
        plan: String,
        #[arg(long, value_enum)]
        format: DocFormat,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// The end-of-cycle evaluation of a plan's objectives (PDF, DOCX or XLSX).
    Evaluation {
        #[arg(long)]
        ambito: String,
        #[arg(long)]
        plan: String,
        #[arg(long, value_enum)]
        format: DocFormat,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// The monitoring report of one round of a plan (PDF or XLSX).
    Monitoring {
        #[arg(long)]
        ambito: String,
        #[arg(long, default_value = "2021-2023")]
        plan: String,
        #[arg(long)]
        round: i64,
        #[arg(long, value_enum)]
        format: DocFormat,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// The annual activity report of an Ambito.
    Annual {
        #[arg(long)]
        ambito: String,
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum)]
        format: Format,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum DocFormat {
    Pdf,
    Docx,
    Xlsx,
}

#[derive(Clone, Copy, ValueEnum)]
enum PlanFormat {
    Json,
    Xlsx,
}

#[derive(Subcommand)]
enum QuestionnaireCmd {
    /// Generate anonymous one-use links for a wave and write them as a CSV of URLs. The links are
    /// shown only this once: the database keeps a hash of each.
    Tokens {
        #[arg(long)]
        ambito: String,
        #[arg(long)]
        questionnaire: String,
        /// ex-ante, intermedia (mid-term) or ex-post.
        #[arg(long)]
        wave: String,
        #[arg(long)]
        count: usize,
        /// Address of the server as respondents reach it.
        #[arg(long, env = "AMBITO_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        base_url: String,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum TableFormat {
    Csv,
    Xlsx,
}

#[derive(Subcommand)]
enum JobsCmd {
    /// The latest jobs, newest first: id, Ambito, state, phase, rows, attempts, file.
    List {
        /// Only this Ambito's jobs.
        #[arg(long)]
        ambito: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
}

#[derive(Subcommand)]
enum DeliveriesCmd {
    /// One person's deliveries in one service, oldest first.
    History {
        #[arg(long)]
        ambito: String,
        #[arg(long)]
        service: String,
        #[arg(long)]
        person: String,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
enum BenchCmd {
    /// Region table, one Ambito's report and one person's history, each `--reps` times; prints
    /// the seconds as JSON and writes the answers to `--out`.
    Queries {
        #[arg(long)]
        year: i64,
        #[arg(long)]
        ambito: String,
        #[arg(long)]
        service: String,
        #[arg(long)]
        person: String,
        #[arg(long, default_value_t = 3)]
        reps: usize,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum ExportCmd {
    /// A Piano di Zona in ambito's plan format (re-importable, lossless).
    Plan {
        #[arg(long)]
        ambito: String,
        #[arg(long, default_value = "2021-2023")]
        plan: String,
        #[arg(long, value_enum, default_value = "json")]
        format: PlanFormat,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// Activity of a year in the import format (re-importable).
    Activity {
        #[arg(long)]
        ambito: String,
        #[arg(long)]
        year: i64,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Xlsx,
    Pdf,
    Html,
}

/// Creates the demo accounts and prints them with their TOTP keys. The password comes from
/// AMBITO_DEMO_PASSWORD, or is generated and printed.
async fn demo_accounts(app: &App) -> anyhow::Result<()> {
    let (password, generated) = match std::env::var("AMBITO_DEMO_PASSWORD") {
        Ok(p) if !p.is_empty() => (p, false),
        _ => (format!("demo-{}", &ambito_app::access::fresh_token()[..16]), true),
    };
    let users = app.load_demo_access(&password).await?;
    println!("utenti demo (password {}):", if generated { password.as_str() } else { "da AMBITO_DEMO_PASSWORD" });
    for u in users {
        let totp = u.totp_secret.as_deref().map(|s| format!("chiave TOTP {s}")).unwrap_or_else(|| "senza secondo fattore".into());
        println!("  {:<22} {:<20} {:<14} {totp}", u.username, u.role, u.ambito.unwrap_or("tutti"));
    }
    Ok(())
}

fn lang() -> Lang {
    Lang::from_locale(std::env::var("LC_ALL").ok().or_else(|| std::env::var("LANG").ok()).as_deref())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn,sqlx::query=error".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}: {e:#}", if lang() == Lang::It { "errore" } else { "error" });
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let bar = Bar::new();
    if let Command::Synth { scale, seed, output, persons } = &cli.command {
        return synth(*scale, *seed, output, *persons, &bar);
    }
    if let Command::Restore { file } = &cli.command {
        // Not App::open: that would create or hold open the very database being replaced.
        let r = ambito_app::backup::restore(&cli.database, file).await?;
        // Not the URL: it may hold a password.
        println!(
            "database ripristinato da {}: schema {}, {} tabelle, revisione {}",
            file.display(),
            r.info.schema_version,
            r.info.tables,
            r.revision
        );
        return Ok(ExitCode::SUCCESS);
    }
    let opening = std::time::Instant::now();
    let app = App::open(&cli.database).await.with_context(|| format!("opening {}", cli.database))?;
    let open_seconds = opening.elapsed().as_secs_f64();
    let code = dispatch(&app, cli, &bar, open_seconds).await;
    // Closing checkpoints SQLite's write-ahead log, so the next process does not replay it.
    app.store.close().await;
    code
}

async fn dispatch(app: &App, cli: Cli, bar: &Bar, open_seconds: f64) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Migrate => {
            println!("schema aggiornato: {}", cli.database);
        }
        Command::Demo => {
            let done = app.load_demo(bar).await?;
            println!("dati demo caricati: {} file, {} righe", done.len(), done.iter().map(|o| o.rows).sum::<usize>());
        }
        Command::Jobs(JobsCmd::List { ambito, limit }) => {
            for job in app.recent_jobs(ambito.as_deref(), limit).await? {
                let outcome = match (job.import_outcome(), &job.failure) {
                    (Some(o), _) if o.applied => format!("{} righe importate", o.rows),
                    (Some(o), _) => format!("rifiutato: {} errori", o.findings.errors.len()),
                    (None, Some(reason)) => reason.clone(),
                    (None, None) => String::new(),
                };
                println!(
                    "{}\t{}\t{}\t{}\t{}/{}\ttentativi {}\t{}\t{}",
                    job.id,
                    job.ambito_code,
                    job.state.code(),
                    job.phase,
                    job.rows_done,
                    job.rows_total,
                    job.attempts,
                    job.display_name,
                    outcome
                );
            }
        }
        Command::User(cmd) => return access_cmd::user(app, cmd).await,
        Command::Alerts(cmd) => return alerts_cmd::alerts(app, cmd).await,
        Command::Token(cmd) => return access_cmd::token(app, cmd).await,
        Command::Audit(cmd) => return access_cmd::audit(app, cmd).await,
        Command::Person(cmd) => return access_cmd::person(app, cmd).await,
        Command::Cases(cmd) => return cases_cmd::cases(app, cmd).await,
        Command::Copayment(cmd) => return copayment_cmd::copayment(app, cmd).await,
        Command::Report(ReportCmd::Plan { ambito, plan, format, output }) => {
            let doc = app.plan_document(&ambito, &plan, ambito_app::plan::Figures::All).await?;
            let bytes = match format {
                DocFormat::Pdf => ambito_render::plan::doc_pdf(&doc)?,
                DocFormat::Docx => ambito_render::plan::doc_docx(&doc)?,
                DocFormat::Xlsx => bail!("il piano si produce in PDF o DOCX; per il formato tabellare: ambito export plan --format xlsx"),
            };
            write_output(&output, &bytes)?;
            println!("Piano di Zona {plan} di {ambito} scritto in {}", output.display());
        }
        Command::Report(ReportCmd::Evaluation { ambito, plan, format, output }) => {
            let (doc, sheets) = app.evaluation_document(&ambito, &plan, ambito_app::plan::Figures::All).await?;
            let bytes = match format {
                DocFormat::Pdf => ambito_render::plan::doc_pdf(&doc)?,
                DocFormat::Docx => ambito_render::plan::doc_docx(&doc)?,
                DocFormat::Xlsx => ambito_render::plan::sheets_xlsx(&sheets)?,
            };
            write_output(&output, &bytes)?;
            println!("valutazione {plan} di {ambito} scritta in {}", output.display());
        }
        Command::Report(ReportCmd::Monitoring { ambito, plan, round, format, output }) => {
            let (doc, sheets) = app.monitoring_document(&ambito, &plan, round, ambito_app::plan::Figures::All).await?;
            let bytes = match format {
                DocFormat::Pdf => ambito_render::plan::doc_pdf(&doc)?,
                DocFormat::Xlsx => ambito_render::plan::sheets_xlsx(&sheets)?,
                DocFormat::Docx => bail!("il monitoraggio si produce in PDF o XLSX"),
            };
            write_output(&output, &bytes)?;
            println!("monitoraggio {plan} n. {round} di {ambito} scritto in {}", output.display());
        }
        Command::Export(ExportCmd::Plan { ambito, plan, format, output }) => {
            let bytes = match format {
                PlanFormat::Json => app.export_plan_json(&ambito, &plan).await?,
                PlanFormat::Xlsx => app.export_plan_xlsx(&ambito, &plan).await?,
            };
            write_output(&output, &bytes)?;
            println!("Piano di Zona {plan} di {ambito} esportato in {}", output.display());
        }
        Command::Serve {
            listen,
            demo,
            behind_tls,
            trusted_proxy,
            header_timeout,
            idle_timeout,
            max_connections,
            audit_checkpoints,
            audit_checkpoint_minutes,
            mail,
            mail_minutes,
        } => {
            let trusted_proxies = ambito_web::client_ip::parse_list(&trusted_proxy).map_err(anyhow::Error::msg)?;
            let limits = ambito_web::ServerLimits {
                header_timeout: std::time::Duration::from_secs(header_timeout.max(1)),
                idle_timeout: std::time::Duration::from_secs(idle_timeout.max(1)),
                max_connections: max_connections.max(1),
            };
            if demo {
                app.load_demo(bar).await?;
                demo_accounts(app).await?;
            } else {
                // Documents are encrypted either way; outside the demo the key belongs elsewhere.
                ambito_app::cases::document_key::warn_if_default();
            }
            if let Some(path) = audit_checkpoints {
                let every = std::time::Duration::from_secs(audit_checkpoint_minutes.max(1) * 60);
                app.start_audit_checkpoints(path, every).await.context("first audit checkpoint")?;
            }
            if let Some(settings) = mail.settings() {
                app.start_alert_mail(settings, std::time::Duration::from_secs(mail_minutes.max(1) * 60));
            }
            let listener = tokio::net::TcpListener::bind(&listen).await.with_context(|| format!("binding {listen}"))?;
            let addr = listener.local_addr()?;
            println!("ambito in ascolto su http://{addr}/");
            if demo {
                println!("Ambito demo: http://{addr}/ambiti/{}", ambito_app::demo::DEMO_AMBITO);
            }
            let web = ambito_web::WebConfig { secure_cookies: behind_tls, trusted_proxies, limits };
            ambito_web::serve(listener, app.clone(), web).await?;
        }
        Command::Import(cmd) => return import(app, cmd, bar).await,
        Command::Report(ReportCmd::Annual { ambito, year, format, output }) => {
            use ambito_app::Progress;
            bar.start("relazione", 2);
            let report = app.annual_report(&ambito, year).await?;
            bar.advance(1);
            let bytes = match format {
                Format::Csv => ambito_render::annual_csv(&report)?,
                Format::Xlsx => ambito_render::annual_xlsx(&report)?,
                Format::Pdf => ambito_render::annual_pdf(&report)?,
                Format::Html => ambito_web::annual_report_document(&report).into_bytes(),
            };
            bar.advance(1);
            bar.finish();
            std::fs::write(&output, bytes).with_context(|| format!("writing {}", output.display()))?;
            println!("relazione {ambito} {year} scritta in {}", output.display());
        }
        Command::Report(ReportCmd::Region { year, output }) => {
            let bytes = app.region_csv(year).await?;
            std::fs::write(&output, bytes).with_context(|| format!("writing {}", output.display()))?;
            println!("tabella regionale {year} scritta in {}", output.display());
        }
        Command::Questionnaire(QuestionnaireCmd::Tokens { ambito, questionnaire, wave, count, base_url, output }) => {
            let Some(kind) = ambito_domain::likert::report::WaveKind::parse(&wave) else {
                bail!("ondata «{wave}» sconosciuta: usare ex-ante, intermedia o ex-post");
            };
            let tokens = app.issue_tokens(&ambito, &questionnaire, kind, count).await?;
            let bytes = ambito_render::questionnaire::links_csv(&base_url, kind, &tokens)?;
            std::fs::write(&output, bytes).with_context(|| format!("writing {}", output.display()))?;
            println!("{} link per l'ondata {} scritti in {}", tokens.len(), kind.label().to_lowercase(), output.display());
        }
        Command::Report(ReportCmd::Questionnaire { ambito, questionnaire, format, output }) => {
            let Some(report) = app.questionnaire_report(&ambito, &questionnaire).await? else {
                bail!("questionario «{questionnaire}» non trovato in {ambito}");
            };
            let bytes = match format {
                TableFormat::Csv => ambito_render::questionnaire::questionnaire_csv(&report)?,
                TableFormat::Xlsx => ambito_render::questionnaire::questionnaire_xlsx(&report)?,
            };
            std::fs::write(&output, bytes).with_context(|| format!("writing {}", output.display()))?;
            println!("risultati del questionario {questionnaire} scritti in {}", output.display());
        }
        Command::Deliveries(DeliveriesCmd::History { ambito, service, person, output }) => {
            let bytes = app.delivery_history_csv(&ambito, &service, &person).await?;
            std::fs::write(&output, bytes).with_context(|| format!("writing {}", output.display()))?;
            println!("storia di {person} in {service} scritta in {}", output.display());
        }
        Command::Export(ExportCmd::Activity { ambito, year, output }) => {
            let bytes = app.export_activity_csv(&ambito, year).await?;
            std::fs::write(&output, bytes).with_context(|| format!("writing {}", output.display()))?;
            println!("attività {ambito} {year} esportata in {}", output.display());
        }
        Command::Bench(BenchCmd::Queries { year, ambito, service, person, reps, out }) => {
            let q = timing::Questions { year, ambito, service, person, reps, out };
            println!("{}", timing::run(app, &q, open_seconds).await?);
        }
        Command::Backup { file } => {
            let bytes = app.backup(&file).await?;
            println!("backup scritto in {} ({bytes} byte)", file.display());
        }
        Command::Synth { .. } | Command::Restore { .. } => unreachable!("handled before opening the database"),
    }
    Ok(ExitCode::SUCCESS)
}

fn write_output(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

fn synth(scale: SynthScale, seed: u64, output: &std::path::Path, persons: Option<u64>, bar: &Bar) -> anyhow::Result<ExitCode> {
    use ambito_synth::Scale;
    let scale = match scale {
        SynthScale::Small => Scale::Small,
        SynthScale::Ambito => Scale::Ambito,
        SynthScale::Region => Scale::Region,
    };
    if let Some(count) = persons {
        let (path, ambito) =
            ambito_synth::write_persons(output, scale, seed, count).with_context(|| format!("writing {}", output.display()))?;
        println!("{count} persone sintetiche di {ambito} scritte in {}", path.display());
        return Ok(ExitCode::SUCCESS);
    }
    let s = ambito_synth::write(output, scale, seed, bar).with_context(|| format!("writing {}", output.display()))?;
    println!(
        "dati sintetici scritti in {}: {} Ambiti, {} Comuni, {} residenti, {} servizi per Ambito, {} erogazioni, {} file",
        output.display(),
        s.ambiti,
        s.comuni,
        s.residents,
        s.services,
        s.events,
        s.files.len()
    );
    Ok(ExitCode::SUCCESS)
}

async fn import(app: &App, cmd: ImportCmd, bar: &Bar) -> anyhow::Result<ExitCode> {
    let read = |p: &PathBuf| -> anyhow::Result<(String, Vec<u8>)> {
        let bytes = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
        Ok((p.display().to_string(), bytes))
    };
    let outcome = match cmd {
        ImportCmd::Activity { file, ambito, new_ambito } => {
            let (name, bytes) = read(&file)?;
            let opts = ActivityImport { ambito_code: &ambito, new_ambito_name: new_ambito.as_deref() };
            app.import_activity(&name, &bytes, opts, bar).await?
        }
        ImportCmd::Population { file, year, skip_unknown_comuni } => {
            let (name, bytes) = read(&file)?;
            let Some(year) = year.or_else(|| year_from_file_name(&name)) else {
                bail!("indicare --year: l'anno non compare nel nome del file");
            };
            app.import_population(&name, &bytes, PopulationImport { year, skip_unknown_comuni }, bar).await?
        }
        ImportCmd::Budget { file, ambito } => {
            let (name, bytes) = read(&file)?;
            app.import_budget(&name, &bytes, &ambito, bar).await?
        }
        ImportCmd::Targets { file } => {
            let (name, bytes) = read(&file)?;
            app.import_targets(&name, &bytes, bar).await?
        }
        ImportCmd::Deliveries { file, ambito, year } => {
            let opts = ambito_app::deliveries::DeliveryImport { ambito_code: &ambito, year, providers: None };
            app.import_deliveries(&file, opts, bar).await?
        }
        ImportCmd::Plan { file } => {
            let (name, bytes) = read(&file)?;
            // The command line is a trusted operator tool: the file names its Ambito. The web
            // import passes the Ambito of the request instead (`PlanTenant::Ambito`).
            let tenant = ambito_app::plan::PlanTenant::NamedInFile;
            app.import_plan(&ambito_app::access::Actor::COMMAND_LINE, tenant, &name, &bytes).await?
        }
        ImportCmd::Territory { file } => {
            let (name, bytes) = read(&file)?;
            app.import_territory(&name, &bytes, bar).await?
        }
        ImportCmd::Persons { file, ambito } => {
            let (name, bytes) = read(&file)?;
            let done = app.import_persons(&ambito_app::access::Actor::COMMAND_LINE, &name, &bytes, &ambito, bar).await?;
            return Ok(print_counts(&done.outcome, [done.created, done.updated, done.unchanged], "persone"));
        }
        ImportCmd::Isee { file, ambito } => {
            let (name, bytes) = read(&file)?;
            let done = app.import_isee(&ambito_app::access::Actor::COMMAND_LINE, &name, &bytes, &ambito, bar).await?;
            return Ok(print_counts(&done.outcome, [done.created, done.updated, done.unchanged], "ISEE"));
        }
        ImportCmd::Cases { file, ambito } => {
            let (name, bytes) = read(&file)?;
            let done = app.import_cases(&ambito_app::access::Actor::COMMAND_LINE, &name, &bytes, &ambito, bar).await?;
            return Ok(print_counts(&done.outcome, [done.created, done.updated, done.unchanged], "casi"));
        }
    };
    Ok(print_outcome(&outcome))
}

/// The outcome, then how many records were created, updated and left as they were.
fn print_counts(o: &ImportOutcome, [created, updated, unchanged]: [usize; 3], what: &str) -> ExitCode {
    let code = print_outcome(o);
    if o.applied {
        match lang() {
            Lang::It => println!("{what}: {created} nuove, {updated} aggiornate, {unchanged} invariate"),
            Lang::En => println!("{what}: {created} new, {updated} updated, {unchanged} unchanged"),
        }
    }
    code
}

fn print_outcome(o: &ImportOutcome) -> ExitCode {
    let lang = lang();
    for w in &o.findings.warnings {
        eprintln!("{}: {}", if lang == Lang::It { "avviso" } else { "warning" }, w.render(lang));
    }
    for e in &o.findings.errors {
        eprintln!("{}: {}", if lang == Lang::It { "errore" } else { "error" }, e.render(lang));
    }
    if !o.applied {
        let n = o.findings.errors.len();
        match lang {
            Lang::It => eprintln!("{}: {n} errori, nessuna modifica applicata", o.file),
            Lang::En => eprintln!("{}: {n} errors, nothing was changed", o.file),
        }
        return ExitCode::FAILURE;
    }
    if let Some(at) = &o.previously_imported_at {
        match lang {
            Lang::It => println!("{}: file già importato il {at}; reimportato senza effetti duplicati", o.file),
            Lang::En => println!("{}: file already imported on {at}; re-imported with no duplicate effect", o.file),
        }
    }
    match lang {
        Lang::It => println!("{}: {} righe importate", o.file, o.rows),
        Lang::En => println!("{}: {} rows imported", o.file, o.rows),
    }
    ExitCode::SUCCESS
}
