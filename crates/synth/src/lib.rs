//! `ambito synth`: a synthetic but realistic Regione — territory, ISTAT population, target
//! populations and, per Ambito, activity, budgets and a year of delivery events — written as the
//! CSV files our importers read. Deterministic: the same scale and seed give byte-identical files
//! on every platform (ChaCha8 streams, arithmetic-only math, no hash-map order). Streaming: memory
//! holds the territory and one Ambito's persons in care, never the events.

mod activity;
mod calendar;
mod catalogue;
mod deliveries;
mod persons;
mod population;
mod rng;
mod territory;
#[cfg(test)]
mod tests;

use ambito_app::Progress;
use population::{Band, Bands, Shape};
use rng::Rng;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// 2 Ambiti, ~20 Comuni, ~60,000 residents, ~30,000 delivery events (for CI).
    Small,
    /// 1 Ambito of ~15 Comuni, ~120,000 residents, ~250,000 events.
    Ambito,
    /// Lombardy: 8 ATS, 25 Distretti, 91 Ambiti, ~1,500 Comuni, ~10 million residents, ~20 million events.
    Region,
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub ambiti: usize,
    pub comuni: usize,
    pub residents: u64,
    /// Services in each Ambito's catalogue.
    pub services: usize,
    pub events: u64,
    pub files: Vec<PathBuf>,
}

pub const TERRITORY_HEADER: &str =
    "codice_regione;regione;codice_ats;ats;codice_distretto;distretto;codice_ambito;ambito;codice_istat;comune";
pub const POPULATION_HEADER: &str = "Codice comune;Comune;Età;Totale maschi;Totale femmine;Totale";
pub const TARGETS_HEADER: &str = "codice_ambito;nome;eta_min;eta_max;comuni;valore";
pub const DELIVERIES_HEADER: &str = "data;codice_servizio;comune_istat;codice_persona;ore;visita_domiciliare;ente_erogatore";
pub use activity::{ACTIVITY_HEADER, BUDGET_HEADER};
pub use persons::PERSONS_HEADER;

/// Writes the data set into `dir` (created if missing): `territory.csv`, `population-2025.csv`,
/// `targets.csv` and, per Ambito, `<code>/activity-2025.csv`, `<code>/budgets-2025.csv` and
/// `<code>/deliveries-2025.csv`.
pub fn write(dir: &Path, scale: Scale, seed: u64, progress: &dyn Progress) -> io::Result<Summary> {
    std::fs::create_dir_all(dir)?;
    let t = territory::build(scale, seed);
    let mut summary =
        Summary { ambiti: t.ambiti.len(), comuni: t.comuni.len(), services: catalogue::CATALOGUE.len(), ..Summary::default() };

    // Population, Comune by Comune in ISTAT code order; keep only each Comune's bands.
    let shape = Shape::new();
    let mut order: Vec<usize> = (0..t.comuni.len()).collect();
    order.sort_by(|a, b| t.comuni[*a].code.cmp(&t.comuni[*b].code));
    let mut bands: Vec<Bands> = vec![[0; 8]; t.comuni.len()];
    let path = dir.join(format!("population-{}.csv", population::YEAR));
    let mut out = create(&path, POPULATION_HEADER)?;
    progress.start("popolazione", order.len() as u64);
    for i in order {
        let c = &t.comuni[i];
        let mut rng = Rng::new(seed, 1_000_000 + c.code.parse::<u64>().unwrap_or(0));
        let (old, foreign) = population::profile(&mut rng, c.size);
        let p = shape.draw(&mut rng, c.size, old, foreign);
        let (mut sm, mut sf) = (0u64, 0u64);
        for a in 0..population::AGES {
            let (m, f) = (p.males[a], p.females[a]);
            writeln!(out, "{};{};{a};{m};{f};{}", c.code, c.name, m + f)?;
            sm += u64::from(m);
            sf += u64::from(f);
        }
        writeln!(out, "{};{};999;{sm};{sf};{}", c.code, c.name, sm + sf)?;
        summary.residents += sm + sf;
        bands[i] = p.bands();
        progress.advance(1);
    }
    progress.finish();
    out.flush()?;
    let population_path = path;

    let path = dir.join("territory.csv");
    let mut out = create(&path, TERRITORY_HEADER)?;
    for a in &t.ambiti {
        let d = &t.distretti[a.distretto];
        let (ats_code, ats_name) = t.ats[d.ats];
        for c in &a.comuni {
            let c = &t.comuni[*c];
            writeln!(out, "03;Lombardia;{ats_code};{ats_name};{};{};{};{};{};{}", d.code, d.name, a.code, a.name, c.code, c.name)?;
        }
    }
    out.flush()?;
    summary.files.push(path);
    summary.files.push(population_path);

    let ambito_bands = |a: &territory::Ambito| {
        a.comuni.iter().fold([0u64; 8], |mut acc, c| {
            for (k, v) in bands[*c].iter().enumerate() {
                acc[k] += v;
            }
            acc
        })
    };
    // The Ambito's largest Comune, for its own `minori 6-13 <Comune>` target.
    let capoluogo = |a: &territory::Ambito| {
        let k = Band::ALL.iter().position(|b| *b == Band::Total).unwrap_or(0);
        a.comuni.iter().copied().max_by_key(|c| (bands[*c][k], std::cmp::Reverse(*c))).unwrap_or(0)
    };
    let path = dir.join("targets.csv");
    let mut out = create(&path, TARGETS_HEADER)?;
    for a in &t.ambiti {
        let b = ambito_bands(a);
        for (name, lo, hi) in [
            ("totale residenti", "0", ""),
            ("minori 0-17", "0", "17"),
            ("età scolare 3-18", "3", "18"),
            ("15-64", "15", "64"),
            ("disabili 18-64", "18", "64"),
            ("anziani 65+", "65", ""),
            ("anziani 75+", "75", ""),
        ] {
            writeln!(out, "{};{name};{lo};{hi};;", a.code)?;
        }
        let c = &t.comuni[capoluogo(a)];
        writeln!(out, "{};minori 6-13 {};6;13;{};", a.code, c.name, c.code)?;
        let over65 = b[Band::ALL.iter().position(|x| *x == Band::Over65).unwrap_or(0)];
        writeln!(out, "{};fragili ATS;;;;{}", a.code, over65 * 28 / 100)?;
    }
    out.flush()?;
    summary.files.push(path);

    let coverage = if scale == Scale::Small { 0.25 } else { 1.0 };
    progress.start("erogazioni", t.ambiti.len() as u64 * u64::from(calendar::DAYS));
    for (k, a) in t.ambiti.iter().enumerate() {
        let sub = dir.join(&a.code);
        std::fs::create_dir_all(&sub)?;
        let comuni: Vec<(&str, Bands)> = a.comuni.iter().map(|c| (t.comuni[*c].code.as_str(), bands[*c])).collect();
        let path = sub.join(format!("deliveries-{}.csv", population::YEAR));
        let mut out = create(&path, DELIVERIES_HEADER)?;
        let mut rng = Rng::new(seed, 2_000_000 + k as u64);
        let stats = deliveries::write(&mut out, &a.code, &comuni, &mut rng, coverage, || progress.advance(1))?;
        out.flush()?;
        drop(out);
        summary.events += stats.iter().map(|s| s.1.events).sum::<u64>();
        let deliveries_path = path;

        let rows = activity::figures(&ambito_bands(a), &stats, &mut Rng::new(seed, 3_000_000 + k as u64));
        let path = sub.join(format!("activity-{}.csv", population::YEAR));
        let mut out = create(&path, "")?;
        activity::write_activity(&mut out, &rows, &format!("minori 6-13 {}", t.comuni[capoluogo(a)].name))?;
        out.flush()?;
        summary.files.push(path);
        let path = sub.join(format!("budgets-{}.csv", population::YEAR));
        let mut out = create(&path, "")?;
        activity::write_budgets(&mut out, &rows, &mut Rng::new(seed, 4_000_000 + k as u64))?;
        out.flush()?;
        summary.files.push(path);
        summary.files.push(deliveries_path);
    }
    progress.finish();
    Ok(summary)
}

/// A buffered file that starts with `header` (unless empty).
fn create(path: &Path, header: &str) -> io::Result<BufWriter<File>> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    if !header.is_empty() {
        lines(&mut out, header)?;
    }
    Ok(out)
}

fn lines(out: &mut impl Write, line: &str) -> io::Result<()> {
    out.write_all(line.as_bytes())?;
    out.write_all(b"\n")
}

/// Hundredths as a decimal with a comma: 123456 → `1234,56`.
fn dec2(v: i64) -> String {
    format!("{}{},{:02}", if v < 0 { "-" } else { "" }, v.abs() / 100, v.abs() % 100)
}

/// Writes `persons.csv` into `dir`: `count` synthetic persons in the legacy persons format,
/// resident in the Comuni of the scale's first Ambito. Returns the file and that Ambito's code.
pub fn write_persons(dir: &Path, scale: Scale, seed: u64, count: u64) -> io::Result<(PathBuf, String)> {
    std::fs::create_dir_all(dir)?;
    let t = territory::build(scale, seed);
    let first = t.ambiti.iter().min_by(|a, b| a.code.cmp(&b.code));
    let comuni: Vec<String> = first.map(|a| a.comuni.iter().map(|c| t.comuni[*c].code.clone()).collect()).unwrap_or_default();
    let path = dir.join("persons.csv");
    let mut out = BufWriter::new(File::create(&path)?);
    persons::write(&mut out, count, seed, &comuni)?;
    out.flush()?;
    Ok((path, first.map(|a| a.code.clone()).unwrap_or_default()))
}
