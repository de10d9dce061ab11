//! `ambito import deliveries`: every delivery a provider reports. Files reach tens of millions of
//! rows, so the import streams in one pass: a reader thread parses and validates each row and
//! hands bounded batches to this side, which writes them straight into `delivery_event` inside
//! one write transaction (a later file replaces or withdraws earlier events; a delivery the file
//! reports twice is caught by the revision mark). Then the 24-hour check and the exact aggregates
//! of the touched services run in the same transaction, which commits only when no row had an
//! error: all or nothing, with memory bounded by the batch size, not the file size.
//!
//! Columns: `data;codice_servizio;comune_istat;codice_persona;ore;visita_domiciliare;ente_erogatore`
//! and, optionally, `annulla` (`si` withdraws the event with the same service, day, person and
//! provider).

mod read;

use crate::intake::{Batch, ImportOutcome};
use crate::problems::{Findings, Msg};
use crate::{App, Progress, Result};
use ambito_domain::number::{NumberStyle, parse_decimal};
use ambito_store::{self as store, EventKey, NewEvent};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::time::Instant;

pub use ambito_domain::deliveries::{COLUMNS, WITHDRAW};
/// Beyond this many, errors are counted but not listed: a broken 20-million-row file should not
/// produce a 20-million-line report.
const MAX_LISTED: usize = 1000;
/// Rows per multi-row statement: 2,000 × 9 values stays under SQLite's 32,766 and PostgreSQL's
/// 65,535 bound parameters.
const BATCH: usize = 2000;

pub struct DeliveryImport<'a> {
    pub ambito_code: &'a str,
    /// The year the file covers; by default the year in the file name, else that of the first row.
    pub year: Option<i64>,
    /// The providers whose rows this caller may send (`None`: any). An ente gestore reports its
    /// own deliveries only: a row of another provider is an error, so it can neither add nor
    /// replace nor withdraw another provider's events.
    pub providers: Option<BTreeSet<String>>,
}

/// A parsed row, before ids are known for new providers.
struct Row {
    line: i64,
    day: i64,
    service_id: i64,
    comune_id: i64,
    person: String,
    ore_e4: i64,
    home_visit: bool,
    provider: String,
    withdraw: bool,
}

struct Context {
    services: HashMap<String, i64>,
    comuni: HashMap<String, i64>,
    year: Option<i64>,
    providers: Option<BTreeSet<String>>,
}

/// What the reader thread hands over: valid rows (none once an error was seen: they would be
/// rolled back anyway) and how many lines it read, for the progress bar.
struct Chunk {
    rows: Vec<Row>,
    lines: u64,
}

/// What the reader thread found, once the file is read.
struct ReadOutcome {
    ctx: Context,
    findings: Findings,
    rows: usize,
    errors: usize,
    touched: BTreeSet<i64>,
    digest: Option<Vec<u8>>,
}

impl App {
    pub async fn import_deliveries(&self, path: &Path, opts: DeliveryImport<'_>, progress: &dyn Progress) -> Result<ImportOutcome> {
        self.import_deliveries_named(path, &path.display().to_string(), opts, progress).await
    }

    /// As `import_deliveries`, with the file known as `file` (its extension, its year, every
    /// message and the import log): an upload is spooled under a name of the server's own.
    pub async fn import_deliveries_named(
        &self,
        path: &Path,
        file: &str,
        opts: DeliveryImport<'_>,
        progress: &dyn Progress,
    ) -> Result<ImportOutcome> {
        let started = Instant::now();
        let file = file.to_string();
        let mut f = Findings::default();
        let mut conn = self.store.read().await?;
        let Some(ambito) = store::ambito_by_code(&mut conn, opts.ambito_code).await? else {
            let code = opts.ambito_code;
            f.error(&file, None, None, Msg::new(format!("Ambito «{code}» inesistente"), format!("no Ambito «{code}»")));
            return Ok(ImportOutcome::rejected(&file, f));
        };
        let ctx = Context {
            services: store::list_services(&mut conn, ambito.id).await?.into_iter().map(|s| (s.code, s.id)).collect(),
            comuni: store::list_comuni(&mut conn, ambito.id).await?.into_iter().map(|c| (c.istat_code, c.id)).collect(),
            year: opts.year.or_else(|| crate::intake::year_from_file_name(&file)),
            providers: opts.providers,
        };
        drop(conn);
        let code_of: HashMap<i64, String> = ctx.services.iter().map(|(c, id)| (*id, c.clone())).collect();

        let total = read::count_lines(path).unwrap_or(0).saturating_sub(1);
        let backend = self.store.backend();
        let mut batch = Batch::begin(self, "deliveries", &file, &[]).await?;
        let tx = &mut batch.tx;
        let revision = store::write_revision(tx).await?;
        store::open_withdrawals(tx).await?;
        progress.start("importazione", total);

        // The reader thread parses and validates; this side writes. Parsing overlaps the database
        // work, and at most a few batches are in flight.
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Chunk>(4);
        let (owned_path, owned_file) = (path.to_path_buf(), file.clone());
        let reader = tokio::task::spawn_blocking(move || read_rows(&owned_path, &owned_file, ctx, &sender));
        let mut providers: HashMap<String, i64> = HashMap::new();
        let mut repeated: Vec<(i64, i64)> = Vec::new();
        while let Some(chunk) = receiver.recv().await {
            progress.advance(chunk.lines);
            if chunk.rows.is_empty() || !repeated.is_empty() {
                continue;
            }
            let (mut adds, mut withdrawals) = (Vec::with_capacity(chunk.rows.len()), Vec::new());
            for r in chunk.rows {
                let provider_id = match providers.get(&r.provider) {
                    Some(id) => *id,
                    None => {
                        let id = store::ensure_provider(tx, ambito.id, &r.provider).await?;
                        providers.insert(r.provider.clone(), id);
                        id
                    }
                };
                if r.withdraw {
                    withdrawals.push(EventKey { line: r.line, service_id: r.service_id, day: r.day, person_key: r.person, provider_id });
                } else {
                    adds.push(NewEvent {
                        line: r.line,
                        service_id: r.service_id,
                        day: r.day,
                        person_key: r.person,
                        provider_id,
                        comune_id: r.comune_id,
                        ore_e4: r.ore_e4,
                        home_visit: r.home_visit,
                    });
                }
            }
            repeated.extend(store::upsert_events(tx, backend, revision, &adds).await?);
            repeated.extend(store::note_withdrawals(tx, backend, &withdrawals).await?);
        }
        let read = reader.await.map_err(|e| crate::AppError::Internal(format!("lettura del file interrotta: {e}")))?;
        progress.finish();
        let written_at = started.elapsed();
        let mut f = read.findings;
        if read.errors > f.errors.len() {
            let more = read.errors - f.errors.len();
            f.error(&file, None, None, Msg::new(format!("… e altri {more} errori"), format!("… and {more} more errors")));
        }
        let Some(digest) = read.digest else { return Ok(ImportOutcome::rejected(&file, f)) };
        if f.has_errors() {
            return Ok(ImportOutcome::rejected(&file, f));
        }
        if read.rows == 0 {
            f.error(&file, None, None, Msg::new("il file non contiene righe", "the file has no rows"));
            return Ok(ImportOutcome::rejected(&file, f));
        }
        if repeated.is_empty() {
            repeated = store::withdrawn_and_delivered(tx, revision).await?;
        }
        if !repeated.is_empty() {
            repeated.sort_unstable();
            for (line, first) in repeated.iter().take(MAX_LISTED) {
                f.error(&file, Some(*line as usize), None, repeated_msg(*first));
            }
            return Ok(ImportOutcome::rejected(&file, f));
        }
        progress.start("aggregati", 0);
        let year = read.ctx.year.unwrap_or_default();
        let touched: Vec<i64> = read.touched.into_iter().collect();
        let (_, unmatched) = store::apply_withdrawals(tx).await?;
        let max = ambito_domain::delivery::MAX_HOURS_PER_DAY;
        for (service_id, day, person, ore_e4) in store::overfull_days(tx, &touched, year).await? {
            let day = ambito_domain::date::italian_from_yyyymmdd(day);
            let code = code_of.get(&service_id).map(String::as_str).unwrap_or("?");
            let hours = ambito_domain::fixed::hours_from_units(ore_e4);
            f.error(
                &file,
                None,
                Some("ore"),
                Msg::new(
                    format!("{hours} ore in un giorno ({day}) per {person} nel servizio {code}: oltre {max}"),
                    format!("{hours} hours in one day ({day}) for {person} in service {code}: over {max}"),
                ),
            );
        }
        if f.has_errors() {
            return Ok(ImportOutcome::rejected(&file, f));
        }
        if unmatched > 0 {
            f.warning(
                &file,
                None,
                Some(WITHDRAW),
                Msg::new(
                    format!("{unmatched} annullamenti senza consegna corrispondente"),
                    format!("{unmatched} withdrawals matched no delivery"),
                ),
            );
        }
        let checked_at = started.elapsed();
        store::refresh_delivery_aggregates(tx, ambito.id, &touched, year).await?;
        let aggregated_at = started.elapsed();
        progress.finish();
        batch.sha = crate::intake::sha256_hex(&digest);
        let outcome = batch.commit(Some(ambito.id), read.rows, f).await;
        tracing::debug!(
            rows = read.rows,
            read_and_write_s = written_at.as_secs_f64(),
            checks_s = (checked_at - written_at).as_secs_f64(),
            aggregates_s = (aggregated_at - checked_at).as_secs_f64(),
            commit_s = (started.elapsed() - aggregated_at).as_secs_f64(),
            "delivery import timings"
        );
        outcome
    }
}

fn repeated_msg(first: i64) -> Msg {
    Msg::new(
        format!("consegna ripetuta: stesso servizio, giorno, persona ed ente della riga {first}"),
        format!("delivery repeated: same service, day, person and provider as line {first}"),
    )
}

/// Reads a delivery file and checks every row against the Ambito's services and Comuni (code →
/// id), without the database: the number of valid rows and the problems. The checks that need
/// the stored events (a delivery repeated across batches, the 24-hour day) are not made.
pub fn check_file(
    path: &Path,
    services: HashMap<String, i64>,
    comuni: HashMap<String, i64>,
    year: Option<i64>,
    providers: Option<BTreeSet<String>>,
) -> (usize, Findings) {
    let ctx = Context { services, comuni, year, providers };
    // Nobody receives: every batch is dropped as soon as it is made.
    let (sender, receiver) = tokio::sync::mpsc::channel::<Chunk>(1);
    drop(receiver);
    let read = read_rows(path, &path.display().to_string(), ctx, &sender);
    (read.rows, read.findings)
}

/// The reader thread: every row parsed and validated, valid ones sent in batches until the first
/// error (after which the file is only validated, to list every problem).
fn read_rows(path: &Path, file: &str, mut ctx: Context, sender: &tokio::sync::mpsc::Sender<Chunk>) -> ReadOutcome {
    let mut f = Findings::default();
    let (mut rows, mut errors, mut lines) = (0usize, 0usize, 0u64);
    let mut touched = BTreeSet::new();
    let mut chunk: Vec<Row> = Vec::with_capacity(BATCH);
    // Keys within the batch, by hash → position in the batch: the database catches repeats across
    // batches, but one statement must not carry the same key twice.
    let mut in_chunk: HashMap<u64, usize> = HashMap::with_capacity(BATCH);
    let key_hash = |r: &Row| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (r.service_id, r.day, &r.person, &r.provider).hash(&mut h);
        h.finish()
    };
    let digest = read::for_each_row(path, file, &mut f, |line, cells, style, f| {
        lines += 1;
        match parse_row(file, line, cells, style, &mut ctx, f) {
            Some(r) => {
                rows += 1;
                touched.insert(r.service_id);
                let hash = key_hash(&r);
                let earlier = in_chunk.get(&hash).map(|i| &chunk[*i]);
                if let Some(e) =
                    earlier.filter(|e| (e.service_id, e.day, &e.person, &e.provider) == (r.service_id, r.day, &r.person, &r.provider))
                {
                    errors += 1;
                    f.error(file, Some(line as usize), None, repeated_msg(e.line));
                } else if errors == 0 && !f.has_errors() {
                    in_chunk.entry(hash).or_insert(chunk.len());
                    chunk.push(r);
                }
            }
            None => errors += 1,
        }
        trim_listing(f);
        let failed = errors > 0 || f.has_errors();
        if failed {
            chunk.clear();
            in_chunk.clear();
        }
        if chunk.len() == BATCH || (failed && lines >= BATCH as u64) {
            in_chunk.clear();
            let rows = std::mem::replace(&mut chunk, Vec::with_capacity(BATCH));
            // A closed channel means the writer failed; its error is reported by the caller.
            let _ = sender.blocking_send(Chunk { rows, lines: std::mem::take(&mut lines) });
        }
    });
    let _ = sender.blocking_send(Chunk { rows: chunk, lines });
    ReadOutcome { ctx, findings: f, rows, errors, touched, digest }
}

/// Drops listed errors beyond the cap (the count of the rest is reported at the end).
fn trim_listing(f: &mut Findings) {
    if f.errors.len() > MAX_LISTED {
        f.errors.truncate(MAX_LISTED);
    }
}

fn parse_row(file: &str, line: i64, c: &mut [String; 8], style: NumberStyle, ctx: &mut Context, f: &mut Findings) -> Option<Row> {
    let before = f.errors.len();
    let err = |f: &mut Findings, col: usize, it: String, en: String| {
        let name = if col < 7 { COLUMNS[col] } else { WITHDRAW };
        f.error(file, Some(line as usize), Some(name), Msg::new(it, en));
    };
    let day = match parse_day(&c[0]) {
        Some((y, d)) => {
            let year = *ctx.year.get_or_insert(y);
            if y != year {
                err(
                    f,
                    0,
                    format!("data {} fuori dall'anno {year} del file", c[0]),
                    format!("date {} outside the file's year {year}", c[0]),
                );
            }
            Some(d)
        }
        None => {
            err(f, 0, format!("data non valida «{}»: usare AAAA-MM-GG", c[0]), format!("invalid date «{}»: use YYYY-MM-DD", c[0]));
            None
        }
    };
    let service_id = ctx.services.get(&c[1]).copied();
    if service_id.is_none() {
        err(f, 1, format!("servizio «{}» inesistente nell'Ambito", c[1]), format!("no service «{}» in the Ambito", c[1]));
    }
    let comune_id = ctx.comuni.get(&c[2]).copied();
    if comune_id.is_none() {
        err(f, 2, format!("Comune «{}» non appartiene all'Ambito", c[2]), format!("Comune «{}» is not in the Ambito", c[2]));
    }
    let person = std::mem::take(&mut c[3]);
    if person.is_empty() || person.chars().count() > 64 {
        err(f, 3, "codice persona mancante o più lungo di 64 caratteri".into(), "person key missing or longer than 64 characters".into());
    }
    let ore = match parse_decimal(&c[4], style) {
        Ok(v) if !ambito_domain::delivery::hours_in_range(v) => {
            let max = ambito_domain::delivery::MAX_HOURS_PER_DAY;
            err(f, 4, format!("ore fuori intervallo (0-{max}): {}", c[4]), format!("hours out of range (0-{max}): {}", c[4]));
            None
        }
        Ok(v) => match ambito_domain::fixed::to_units(v, ambito_domain::fixed::HOURS_SCALE) {
            Some(s) => Some(s),
            None => {
                err(f, 4, format!("al massimo 4 decimali: «{}»", c[4]), format!("at most 4 decimals: «{}»", c[4]));
                None
            }
        },
        Err(_) => {
            err(f, 4, format!("ore non numeriche: «{}»", c[4]), format!("hours not a number: «{}»", c[4]));
            None
        }
    };
    let home_visit = yes_no(&c[5]);
    if home_visit.is_none() {
        err(f, 5, format!("atteso «si» o «no»: «{}»", c[5]), format!("expected «si» or «no»: «{}»", c[5]));
    }
    let provider = std::mem::take(&mut c[6]);
    if provider.is_empty() {
        err(f, 6, "ente erogatore mancante".into(), "missing provider".into());
    } else if ctx.providers.as_ref().is_some_and(|own| !own.contains(&provider)) {
        err(
            f,
            6,
            format!("ente erogatore «{provider}» diverso da quello del suo account: può inviare solo le proprie consegne"),
            format!("provider «{provider}» is not your account's: you may send only your own deliveries"),
        );
    }
    let withdraw = if c[7].is_empty() { Some(false) } else { yes_no(&c[7]) };
    if withdraw.is_none() {
        err(f, 7, format!("atteso «si» o «no»: «{}»", c[7]), format!("expected «si» or «no»: «{}»", c[7]));
    }
    if f.errors.len() != before {
        return None;
    }
    Some(Row {
        line,
        day: day?,
        service_id: service_id?,
        comune_id: comune_id?,
        person,
        ore_e4: ore?,
        home_visit: home_visit?,
        provider,
        withdraw: withdraw?,
    })
}

fn yes_no(s: &str) -> Option<bool> {
    let s = s.trim();
    // Two of these per row: answer the usual spellings without allocating.
    if s.eq_ignore_ascii_case("si") {
        return Some(true);
    }
    if s.eq_ignore_ascii_case("no") {
        return Some(false);
    }
    match s.to_lowercase().as_str() {
        "si" | "sì" | "s" | "1" | "true" | "vero" => Some(true),
        "no" | "n" | "0" | "false" | "falso" => Some(false),
        _ => None,
    }
}

/// `YYYY-MM-DD` or `DD/MM/YYYY` → (year, yyyymmdd), checking the calendar
/// (`ambito_domain::date::parse_iso_or_italian`).
pub fn parse_day(s: &str) -> Option<(i64, i64)> {
    ambito_domain::date::parse_iso_or_italian(s).map(|d| (i64::from(d.year()), d.yyyymmdd()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn days() {
        assert_eq!(super::parse_day("2025-03-07"), Some((2025, 20250307)));
        assert_eq!(super::parse_day("07/03/2025"), Some((2025, 20250307)));
        assert_eq!(super::parse_day("2024-02-29"), Some((2024, 20240229)));
        assert_eq!(super::parse_day("2025-02-29"), None);
        assert_eq!(super::parse_day("2025-13-01"), None);
        assert_eq!(super::parse_day("ieri"), None);
    }

    #[test]
    fn a_file_with_carriage_returns_only_reports_the_right_lines() {
        let dir = std::env::temp_dir().join(format!("ambito-cr-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("consegne.csv");
        let body = "data;codice_servizio;comune_istat;codice_persona;ore;visita_domiciliare;ente_erogatore\r\
                    2025-01-07;SAD;016024;P1;1;no;COOP\r\
                    2025-01-08;XYZ;016024;P1;1;no;COOP\r\r\
                    2025-01-09;SAD;016024;P1;ore;no;COOP\r";
        std::fs::write(&path, body).expect("file");
        let services = [("SAD".to_string(), 1)].into();
        let comuni = [("016024".to_string(), 1)].into();
        let (_, f) = super::check_file(&path, services, comuni, None, None);
        std::fs::remove_dir_all(&dir).expect("cleanup");
        let lines: Vec<_> = f.errors.iter().map(|p| (p.line, p.column.clone())).collect();
        assert_eq!(lines, [(Some(3), Some("codice_servizio".into())), (Some(5), Some("ore".into()))], "{:?}", f.errors);
    }

    #[test]
    fn yes_and_no() {
        assert_eq!(super::yes_no("Sì"), Some(true));
        assert_eq!(super::yes_no("no"), Some(false));
        assert_eq!(super::yes_no("forse"), None);
    }
}
