//! `ambito copayment …`: the regulation, the pagoPA settings, exemptions and the month's
//! statements (issue 17); `ambito import isee` is in `main.rs` with the other imports.

use ambito_app::App;
use ambito_app::access::Actor;
use ambito_app::copayment::setup::{DEFAULT_CATEGORIA, ExemptionArgs, SettingsArgs};
use ambito_domain::format::it_number;
use anyhow::Context;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum CopaymentCmd {
    /// Load a version of the Ambito's regulation (TOML, docs/import-formats.md).
    Regulation {
        file: PathBuf,
        #[arg(long)]
        ambito: String,
    },
    /// The Ambito's pagoPA settings (each call adds a version; the latest holds).
    Settings {
        #[arg(long)]
        ambito: String,
        /// The creditor's numeric codice fiscale (11 digits).
        #[arg(long)]
        ente_cf: String,
        /// The segregation code (2 digits) of the IUVs.
        #[arg(long)]
        segregazione: String,
        #[arg(long)]
        iban: String,
        /// The creditor's name on the notices (default: the Ambito's name).
        #[arg(long)]
        nome: Option<String>,
        #[arg(long)]
        ufficio: Option<String>,
        /// The taxonomy code (tassonomia) of the collection service (default 9/0101108TS/, to be
        /// confirmed against PagoPA's taxonomy).
        #[arg(long)]
        categoria: Option<String>,
        /// The remittance text: {servizio} {mese} {cognome} {nome} {codice_fiscale} {iuv}.
        #[arg(long)]
        causale: Option<String>,
    },
    /// An individual exemption (tariff 0) of a person, for one service or all.
    Exemption {
        #[arg(long)]
        ambito: String,
        #[arg(long)]
        codice_fiscale: String,
        #[arg(long)]
        servizio: Option<String>,
        /// The act that grants it (e.g. a determina, a court decree).
        #[arg(long)]
        atto: String,
        #[arg(long)]
        motivo: String,
        #[arg(long)]
        dal: String,
        #[arg(long)]
        al: Option<String>,
    },
    /// Record paid receipts (CSV or XLSX: iuv;importo;data_pagamento;psp); partial, excess and
    /// duplicate payments are recorded and flagged, an unknown IUV refuses the file.
    Receipts {
        file: PathBuf,
        #[arg(long)]
        ambito: String,
    },
    /// Unpaid notices past due, with their ageing buckets.
    Arrears {
        #[arg(long)]
        ambito: String,
        /// The day to age them at, YYYY-MM-DD (default: today).
        #[arg(long)]
        at: Option<String>,
    },
    /// Compute a month's statements and issue its pagoPA notices; write them as CSV.
    Statements {
        #[arg(long)]
        ambito: String,
        /// YYYY-MM.
        #[arg(long)]
        month: String,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
}

pub async fn copayment(app: &App, cmd: CopaymentCmd) -> anyhow::Result<ExitCode> {
    let actor = Actor::COMMAND_LINE;
    match cmd {
        CopaymentCmd::Regulation { file, ambito } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let reg = app.load_regulation(&actor, &file.display().to_string(), &text, &ambito).await?;
            let servizi: Vec<&str> = reg.servizi.iter().map(|s| s.codice_servizio.as_str()).collect();
            println!("regolamento {} valido dal {} caricato per {ambito}: {}", reg.codice, reg.valido_dal.iso(), servizi.join(", "));
        }
        CopaymentCmd::Settings { ambito, ente_cf, segregazione, iban, nome, ufficio, categoria, causale } => {
            if categoria.is_none() {
                eprintln!("avviso: categoria di tassonomia non indicata, usata {DEFAULT_CATEGORIA}: da verificare con PagoPA");
            }
            let args = SettingsArgs {
                ente_cf: &ente_cf,
                segregazione: &segregazione,
                iban: &iban,
                nome: nome.as_deref(),
                ufficio: ufficio.as_deref(),
                categoria: categoria.as_deref(),
                causale: causale.as_deref(),
            };
            let s = app.set_pagopa_settings(&actor, &ambito, &args).await?;
            println!(
                "impostazioni pagoPA di {ambito}: ente {} ({}), segregazione {}, IBAN {}, causale «{}»",
                s.ente_cf, s.nome, s.segregazione, s.iban, s.causale
            );
        }
        CopaymentCmd::Exemption { ambito, codice_fiscale, servizio, atto, motivo, dal, al } => {
            let args = ExemptionArgs {
                codice_fiscale: &codice_fiscale,
                servizio: servizio.as_deref(),
                atto: &atto,
                motivo: &motivo,
                dal: &dal,
                al: al.as_deref(),
            };
            app.add_exemption(&actor, &ambito, &args).await?;
            println!("esenzione registrata per {codice_fiscale} ({})", servizio.as_deref().unwrap_or("tutti i servizi"));
        }
        CopaymentCmd::Receipts { file, ambito } => {
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let done = app.import_receipts(&actor, &file.display().to_string(), &bytes, &ambito, &crate::progress::Bar::new()).await?;
            let code = super::print_outcome(&done.outcome);
            if done.outcome.applied {
                println!("ricevute: {} registrate, {} da verificare, {} già presenti", done.recorded, done.flagged, done.already);
            }
            return Ok(code);
        }
        CopaymentCmd::Arrears { ambito, at } => {
            let today = match at {
                Some(t) => ambito_domain::date::parse_iso_or_italian(&t).with_context(|| format!("data non valida «{t}» (AAAA-MM-GG)"))?,
                None => ambito_app::cases::today(),
            };
            let (list, buckets) = app.arrears(&ambito, today).await?;
            println!("morosità di {ambito} al {}", today.iso());
            for b in &buckets {
                println!("{}\t{} avvisi\t{}", b.ageing.label(), b.notices, it_number(ambito_domain::fixed::money_from_units(b.cents), 2));
            }
            for a in &list {
                let n = &a.notice;
                println!(
                    "{}\t{}\t{}\tscadenza {}\tda pagare {}\t{}",
                    n.codice_fiscale,
                    n.month,
                    n.iuv,
                    n.scadenza,
                    it_number(ambito_domain::fixed::money_from_units(a.unpaid_cents), 2),
                    a.bucket
                );
            }
        }
        CopaymentCmd::Statements { ambito, month, output } => {
            let run = app.run_statements(&actor, &ambito, &month).await?;
            for p in &run.problems {
                eprintln!("errore dell'elaborazione: {}", problem(p));
            }
            for s in &run.not_charged {
                eprintln!("avviso: servizio {s} consegnato nel mese ma non tariffato dal regolamento {}", run.regolamento);
            }
            let bytes = ambito_render::copayment_csv::statements(&run.rows)?;
            super::write_output(&output, &bytes)?;
            if run.new_run {
                println!(
                    "estratti {} di {ambito} (regolamento {}, elaborazione n. {}): {} righe, {} avvisi emessi, {} sostituiti, {} annullati",
                    run.month.label(),
                    run.regolamento,
                    run.run_number,
                    run.rows.len(),
                    run.issued,
                    run.superseded,
                    run.cancelled
                );
                for c in &run.changes {
                    println!("differenza: {c}");
                }
            } else {
                println!(
                    "estratti {} di {ambito}: nessuna modifica dall'elaborazione n. {}, nessun nuovo avviso",
                    run.month.label(),
                    run.run_number
                );
            }
            println!("scritto {}", output.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn problem(p: &ambito_domain::copayment::run::RunProblem) -> String {
    use ambito_domain::copayment::run::RunProblem;
    match p {
        RunProblem::UnknownPerson { codice_persona, eventi } => {
            format!("codice persona «{codice_persona}» sconosciuto nell'anagrafe ({eventi} consegne non addebitate)")
        }
        RunProblem::Quantity { codice_fiscale, codice_servizio, errore } => format!("{codice_fiscale}, {codice_servizio}: {errore}"),
    }
}
