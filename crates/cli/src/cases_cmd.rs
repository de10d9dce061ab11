//! `ambito cases …`: the case record's commands for the office (case-derived figures).

use ambito_app::App;
use ambito_app::access::Actor;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum CasesCmd {
    /// Write the year's activity figures of the services whose source is the case record
    /// (users in care from interventions, accessi from contacts, domande from openings), through
    /// the same path as `ambito import activity`. Services with hand-entered figures for the year
    /// are refused unless --replace.
    Figures {
        #[arg(long)]
        ambito: String,
        #[arg(long)]
        year: i32,
        /// Replace figures of those services that were entered by hand (file or grid).
        #[arg(long)]
        replace: bool,
    },
    /// Declare where a service's annual figures come from: file (activity file or grid),
    /// consegne (delivery events) or cartella (the case record).
    Source {
        #[arg(long)]
        ambito: String,
        #[arg(long)]
        service: String,
        #[arg(long)]
        source: String,
    },
    /// List the services of an Ambito with the source of their figures.
    Sources {
        #[arg(long)]
        ambito: String,
    },
}

pub async fn cases(app: &App, cmd: CasesCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        CasesCmd::Figures { ambito, year, replace } => {
            let outcome = app.derive_case_figures(&Actor::COMMAND_LINE, &ambito, year, replace).await?;
            Ok(super::print_outcome(&outcome))
        }
        CasesCmd::Source { ambito, service, source } => {
            app.set_figures_source(&Actor::COMMAND_LINE, &ambito, &service, &source).await?;
            println!("{ambito}/{service}: dati da {}", ambito_app::cases::figures::source_label(&source));
            Ok(ExitCode::SUCCESS)
        }
        CasesCmd::Sources { ambito } => {
            for s in app.figures_sources(&ambito).await? {
                println!("{}\t{}\t{}", s.code, s.figures_source, s.name);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
