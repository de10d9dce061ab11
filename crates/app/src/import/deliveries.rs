//! `ambito import deliveries`: every delivery a provider reports. Files reach tens of millions of
//! rows, so the import streams: a first pass validates every row with constant memory, a second
//! pass stages the rows in the database (which also catches a delivery reported twice), merges
//! them (a later file replaces or withdraws earlier events) and recomputes the exact aggregates of
//! the touched services, all in one transaction.
//!
//! Columns: `data;codice_servizio;comune_istat;codice_persona;ore;visita_domiciliare;ente_erogatore`
//! and, optionally, `annulla` (`si` withdraws the event with the same service, day, person and
//! provider).

use super::{Batch, ImportOutcome};
use crate::problems::{Findings, Msg};
use crate::{App, Progress, Result};
use ambito_domain::number::{NumberStyle, parse_decimal};
use ambito_store::{self as store, StagedEvent};
use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

pub const COLUMNS: [&str; 7] = ["data", "codice_servizio", "comune_istat", "codice_persona", "ore", "visita_domiciliare", "ente_erogatore"];
const WITHDRAW: &str = "annulla";
/// Beyond this many, errors are counted but not listed: a broken 20-million-row file should not
/// produce a 20-million-line report.
const MAX_LISTED: usize = 1000;
const BATCH: usize = 500;

pub struct DeliveryImport<'a> {
    pub ambito_code: &'a str,
    /// The year the file covers; by default the year in the file name, else that of the first row.
    pub year: Option<i64>,
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
}

impl App {
    pub async fn import_deliveries(&self, path: &Path, opts: DeliveryImport<'_>, progress: &dyn Progress) -> Result<ImportOutcome> {
        let file = path.display().to_string();
        let mut f = Findings::default();
        let mut conn = self.store.read().await?;
        let Some(ambito) = store::ambito_by_code(&mut conn, opts.ambito_code).await? else {
            let code = opts.ambito_code;
            f.error(&file, None, None, Msg::new(format!("Ambito «{code}» inesistente"), format!("no Ambito «{code}»")));
            return Ok(ImportOutcome::rejected(&file, f));
        };
        let mut ctx = Context {
            services: store::list_services(&mut conn, ambito.id).await?.into_iter().map(|s| (s.code, s.id)).collect(),
            comuni: store::list_comuni(&mut conn, ambito.id).await?.into_iter().map(|c| (c.istat_code, c.id)).collect(),
            year: opts.year.or_else(|| super::population::year_from_file_name(&file)),
        };
        drop(conn);

        // Pass 1: validate everything, keep nothing but the error list and the provider names.
        let total = count_lines(path).unwrap_or(0).saturating_sub(1);
        progress.start("validazione", total);
        let mut providers = BTreeSet::new();
        let mut rows = 0usize;
        let mut errors = 0usize;
        let ok = for_each_row(path, &file, &mut f, |line, cells, style, f| {
            progress.advance(1);
            match parse_row(&file, line, cells, style, &mut ctx, f) {
                Some(r) => {
                    rows += 1;
                    if !providers.contains(&r.provider) {
                        providers.insert(r.provider);
                    }
                }
                None => errors += 1,
            }
            trim_listing(f);
        });
        progress.finish();
        if errors > f.errors.len() {
            let more = errors - f.errors.len();
            f.error(&file, None, None, Msg::new(format!("… e altri {more} errori"), format!("… and {more} more errors")));
        }
        if !ok || f.has_errors() {
            return Ok(ImportOutcome::rejected(&file, f));
        }
        if rows == 0 {
            f.error(&file, None, None, Msg::new("il file non contiene righe", "the file has no rows"));
            return Ok(ImportOutcome::rejected(&file, f));
        }
        let year = ctx.year.unwrap_or_default();

        // Pass 2: stage, merge and aggregate in one transaction.
        let mut bytes_id = file.clone().into_bytes();
        bytes_id.extend(std::fs::metadata(path).map(|m| m.len().to_le_bytes().to_vec()).unwrap_or_default());
        let digest = file_digest(path).unwrap_or(bytes_id);
        let backend = self.store.backend();
        let mut batch = Batch::begin(self, "deliveries", &file, &digest).await?;
        let tx = &mut batch.tx;
        let mut provider_ids = HashMap::new();
        for name in &providers {
            provider_ids.insert(name.clone(), store::ensure_provider(tx, ambito.id, name).await?);
        }
        store::open_staging(tx).await?;
        progress.start("caricamento", rows as u64);
        // A reader thread parses and sends bounded batches; this side stages them. Memory stays
        // flat whatever the file size, and parsing overlaps the database writes.
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<StagedEvent>>(4);
        let (owned_path, owned_file) = (path.to_path_buf(), file.clone());
        let reader = tokio::task::spawn_blocking(move || {
            let mut chunk = Vec::with_capacity(BATCH);
            let mut touched = BTreeSet::new();
            for_each_row(&owned_path, &owned_file, &mut Findings::default(), |line, cells, style, f| {
                let Some(r) = parse_row(&owned_file, line, cells, style, &mut ctx, f) else { return };
                touched.insert(r.service_id);
                chunk.push(StagedEvent {
                    line: r.line,
                    service_id: r.service_id,
                    day: r.day,
                    person_key: r.person,
                    provider_id: provider_ids.get(&r.provider).copied().unwrap_or_default(),
                    comune_id: r.comune_id,
                    ore_e4: r.ore_e4,
                    home_visit: r.home_visit,
                    withdraw: r.withdraw,
                });
                if chunk.len() == BATCH {
                    // A closed channel means the writer failed; its error is reported below.
                    let _ = sender.blocking_send(std::mem::replace(&mut chunk, Vec::with_capacity(BATCH)));
                }
            });
            if !chunk.is_empty() {
                let _ = sender.blocking_send(chunk);
            }
            (ctx, touched)
        });
        let mut duplicates = Vec::new();
        while let Some(chunk) = receiver.recv().await {
            duplicates.extend(store::stage_events(tx, backend, &chunk).await?);
            progress.advance(chunk.len() as u64);
        }
        let (ctx, services_touched) = reader.await.map_err(|e| crate::AppError::Invalid(format!("lettura del file interrotta: {e}")))?;
        progress.finish();
        for (line, first) in duplicates.iter().take(MAX_LISTED) {
            f.error(
                &file,
                Some(*line as usize),
                None,
                Msg::new(
                    format!("consegna ripetuta: stesso servizio, giorno, persona ed ente della riga {first}"),
                    format!("delivery repeated: same service, day, person and provider as line {first}"),
                ),
            );
        }
        if f.has_errors() {
            return Ok(ImportOutcome::rejected(&file, f));
        }
        let (_, _, unmatched) = store::merge_staging(tx).await?;
        for (service_id, day, person, ore_e4) in store::overfull_days(tx).await? {
            let code = ctx.services.iter().find(|(_, id)| **id == service_id).map(|(c, _)| c.as_str()).unwrap_or("?");
            let hours = super::unscaled(ore_e4, 4).normalize();
            f.error(
                &file,
                None,
                Some("ore"),
                Msg::new(
                    format!("{hours} ore in un giorno ({}) per {person} nel servizio {code}: oltre 24", format_day(day)),
                    format!("{hours} hours in one day ({}) for {person} in service {code}: over 24", format_day(day)),
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
        let touched: Vec<i64> = services_touched.into_iter().collect();
        store::refresh_delivery_aggregates(tx, ambito.id, &touched, year).await?;
        batch.commit(Some(ambito.id), rows, f).await
    }
}

/// Drops listed errors beyond the cap (the count of the rest is reported at the end).
fn trim_listing(f: &mut Findings) {
    if f.errors.len() > MAX_LISTED {
        f.errors.truncate(MAX_LISTED);
    }
}

fn format_day(day: i64) -> String {
    format!("{:02}/{:02}/{}", day % 100, day / 100 % 100, day / 10000)
}

fn count_lines(path: &Path) -> std::io::Result<u64> {
    let mut reader = BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
    let mut n = 0u64;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(n);
        }
        n += buf.iter().filter(|b| **b == b'\n').count() as u64;
        let len = buf.len();
        reader.consume(len);
    }
}

fn file_digest(path: &Path) -> std::io::Result<Vec<u8>> {
    use sha2::{Digest, Sha256};
    let mut reader = BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(hasher.finalize().to_vec());
        }
        hasher.update(&buf[..n]);
    }
}

/// Streams the rows of a CSV (or reads a spreadsheet) and hands each one, with its line number
/// and cells in the order of `COLUMNS` plus the withdraw flag, to `visit`. Returns false when the
/// file itself is unreadable (errors recorded).
fn for_each_row(path: &Path, file: &str, f: &mut Findings, mut visit: impl FnMut(i64, &[String; 8], NumberStyle, &mut Findings)) -> bool {
    let lower = file.to_lowercase();
    if lower.ends_with(".xlsx") || lower.ends_with(".xls") || lower.ends_with(".ods") {
        let Ok(bytes) = std::fs::read(path) else {
            f.error(file, None, None, Msg::new("file non leggibile", "unreadable file"));
            return false;
        };
        let Some(table) = crate::table::read_table(file, &bytes, f) else { return false };
        let Some(idx) = header_index(&table.header, file, f) else { return false };
        for (line, cells) in &table.rows {
            let picked = pick(&idx, |i| cells.get(i).cloned().unwrap_or_default());
            visit(*line as i64, &picked, table.style, f);
        }
        return true;
    }
    let Ok(handle) = std::fs::File::open(path) else {
        f.error(file, None, None, Msg::new("file non leggibile", "unreadable file"));
        return false;
    };
    let mut reader = BufReader::with_capacity(1 << 20, handle);
    let first = match reader.fill_buf() {
        Ok(b) => b.split(|c| *c == b'\n').next().unwrap_or(&[]).to_vec(),
        Err(_) => vec![],
    };
    if first.iter().all(u8::is_ascii_whitespace) {
        f.error(file, None, None, Msg::new("il file è vuoto", "the file is empty"));
        return false;
    }
    let semicolons = first.iter().filter(|c| **c == b';').count();
    let commas = first.iter().filter(|c| **c == b',').count();
    let (delimiter, style) = if semicolons >= commas { (b';', NumberStyle::Italian) } else { (b',', NumberStyle::International) };
    let mut csv = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let mut idx: Option<[Option<usize>; 8]> = None;
    let mut width = 0;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => return idx.is_some(),
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                f.error(file, line, None, Msg::new(format!("CSV non leggibile: {e}"), format!("unreadable CSV: {e}")));
                return false;
            }
        }
        let line = record.position().map(|p| p.line() as i64).unwrap_or(0);
        let cells: Vec<String> = record.iter().map(decode_field).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match &idx {
            None => {
                let mut header = cells;
                if let Some(h) = header.first_mut() {
                    *h = h.trim_start_matches('\u{feff}').to_string();
                }
                width = header.len();
                match header_index(&header, file, f) {
                    Some(i) => idx = Some(i),
                    None => return false,
                }
            }
            Some(i) => {
                if cells.len() != width {
                    f.error(
                        file,
                        Some(line as usize),
                        None,
                        Msg::new(
                            format!("la riga ha {} campi invece di {width}: file troncato o separatore errato", cells.len()),
                            format!("the row has {} fields instead of {width}: truncated file or wrong delimiter", cells.len()),
                        ),
                    );
                    trim_listing(f);
                    continue;
                }
                let picked = pick(i, |k| cells[k].trim().to_string());
                visit(line, &picked, style, f);
            }
        }
    }
}

/// UTF-8, or Windows-1252 as Excel on Italian Windows writes it.
fn decode_field(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

fn pick(idx: &[Option<usize>; 8], get: impl Fn(usize) -> String) -> [String; 8] {
    std::array::from_fn(|k| idx[k].map(&get).unwrap_or_default())
}

fn header_index(header: &[String], file: &str, f: &mut Findings) -> Option<[Option<usize>; 8]> {
    let table = crate::table::Table { file: file.into(), header: header.to_vec(), rows: vec![], style: NumberStyle::Italian };
    let found = table.columns(&COLUMNS, &[WITHDRAW], f)?;
    Some(std::array::from_fn(|k| found[k]))
}

fn parse_row(file: &str, line: i64, c: &[String; 8], style: NumberStyle, ctx: &mut Context, f: &mut Findings) -> Option<Row> {
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
    let person = c[3].clone();
    if person.is_empty() || person.chars().count() > 64 {
        err(f, 3, "codice persona mancante o più lungo di 64 caratteri".into(), "person key missing or longer than 64 characters".into());
    }
    let ore = match parse_decimal(&c[4], style) {
        Ok(v) if v.is_sign_negative() || v > rust_decimal::Decimal::from(24) => {
            err(f, 4, format!("ore fuori intervallo (0-24): {}", c[4]), format!("hours out of range (0-24): {}", c[4]));
            None
        }
        Ok(v) => match super::scaled(v, 4) {
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
    let provider = c[6].clone();
    if provider.is_empty() {
        err(f, 6, "ente erogatore mancante".into(), "missing provider".into());
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
    match s.trim().to_lowercase().as_str() {
        "si" | "sì" | "s" | "1" | "true" | "vero" => Some(true),
        "no" | "n" | "0" | "false" | "falso" => Some(false),
        _ => None,
    }
}

/// `YYYY-MM-DD` or `DD/MM/YYYY` → (year, yyyymmdd), checking the calendar.
fn parse_day(s: &str) -> Option<(i64, i64)> {
    let (y, m, d) = if let Some((y, rest)) = s.split_once('-') {
        let (m, d) = rest.split_once('-')?;
        (y, m, d)
    } else {
        let mut it = s.split('/');
        let (d, m, y) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() {
            return None;
        }
        (y, m, d)
    };
    let (y, m, d): (i32, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let month = time::Month::try_from(m).ok()?;
    time::Date::from_calendar_date(y, month, d).ok()?;
    Some((i64::from(y), i64::from(y) * 10000 + i64::from(m) * 100 + i64::from(d)))
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
    fn yes_and_no() {
        assert_eq!(super::yes_no("Sì"), Some(true));
        assert_eq!(super::yes_no("no"), Some(false));
        assert_eq!(super::yes_no("forse"), None);
    }
}
