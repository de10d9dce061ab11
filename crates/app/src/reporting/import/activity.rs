//! `ambito import activity`: one row per service per year, the contract of the annual report.

use crate::intake::Cells;
use crate::intake::table::read_table;
use crate::intake::{Batch, ImportOutcome};
use crate::problems::{Findings, Msg};
use crate::{App, Progress, Result};
use ambito_domain::indicator::{self, IndicatorDef};
use ambito_domain::measures::{Figures, Measure, Measures};
use ambito_domain::number::parse_decimal;
use ambito_domain::report::{ReportInput, ServiceDef, assemble};
use ambito_store as store;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

pub use ambito_domain::activity::COLUMNS;
/// Columns that may be left out: without them, stored parents and target populations stay as they
/// are. A present but blank cell means "none".
const KEEP_IF_ABSENT: [&str; 2] = ["codice_padre", "popolazione_target"];
/// Columns our own report CSV adds; accepted so a published report can be re-imported.
const REPORT_ONLY: [&str; 2] = ["valore_indicatore", "budget_per_utente"];
const TOTAL_CODE: &str = "TOTALE";
const AMBITO_TOTAL: &str = "TOTALE AMBITO";

#[derive(Debug, Clone)]
pub struct ActivityRow {
    pub line: usize,
    pub year: i64,
    pub area: String,
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
    pub measures: [Option<Decimal>; 6],
    pub indicator: Option<String>,
    pub target_name: Option<String>,
    pub target_value: Option<Decimal>,
    pub budget: Option<Decimal>,
}

/// A total row the file carries, to be checked against its rows and never stored.
#[derive(Debug, Clone)]
struct PublishedTotal {
    line: usize,
    year: i64,
    /// `None` for the Ambito total.
    area: Option<String>,
    measures: [Option<Decimal>; 6],
    budget: Option<Decimal>,
}

pub struct ActivityImport<'a> {
    pub ambito_code: &'a str,
    /// Creates the Ambito with this name in the same transaction when it does not exist.
    pub new_ambito_name: Option<&'a str>,
}

impl App {
    pub async fn import_activity(
        &self,
        file: &str,
        bytes: &[u8],
        opts: ActivityImport<'_>,
        progress: &dyn Progress,
    ) -> Result<ImportOutcome> {
        let mut f = Findings::default();
        let mut conn = self.store.read().await?;
        let ambito = store::ambito_by_code(&mut conn, opts.ambito_code).await?;
        if ambito.is_none() && opts.new_ambito_name.is_none() {
            f.error(
                file,
                None,
                None,
                Msg::new(
                    format!("Ambito «{}» inesistente: usare --new-ambito \"NOME\" per crearlo", opts.ambito_code),
                    format!("no Ambito «{}»: add --new-ambito \"NAME\" to create it", opts.ambito_code),
                ),
            );
        }
        let (existing, targets, custom) = match &ambito {
            Some(a) => (
                store::list_services(&mut conn, a.id).await?,
                store::list_targets(&mut conn, a.id).await?.into_iter().map(|t| t.name).collect(),
                store::list_indicator_defs(&mut conn, a.id).await?.into_iter().map(|d| d.code).collect(),
            ),
            None => (vec![], vec![], vec![]),
        };
        drop(conn);
        let stored = Stored { services: &existing, targets: &targets, indicators: &custom };
        let Some(valid) = parse(file, bytes, &stored, &mut f, progress) else { return Ok(ImportOutcome::rejected(file, f)) };
        self.apply_activity(file, bytes, &opts, &valid, f, progress).await
    }

    async fn apply_activity(
        &self,
        file: &str,
        bytes: &[u8],
        opts: &ActivityImport<'_>,
        valid: &Valid,
        f: Findings,
        progress: &dyn Progress,
    ) -> Result<ImportOutcome> {
        let Valid { rows, keep } = valid;
        let mut batch = Batch::begin(self, "activity", file, bytes).await?;
        let tx = &mut batch.tx;
        let ambito_id = match store::ambito_by_code(tx, opts.ambito_code).await? {
            Some(a) => a.id,
            None => store::ensure_ambito(tx, opts.ambito_code, opts.new_ambito_name.unwrap_or(opts.ambito_code), None).await?,
        };
        progress.start("scrittura", rows.len() as u64);
        let mut service_ids = HashMap::new();
        for r in rows {
            let area_id = store::ensure_area(tx, ambito_id, &r.area).await?;
            let kind = infer_kind(&r.measures);
            let new = store::NewService { code: &r.code, name: &r.name, area_id, kind, default_indicator: r.indicator.as_deref() };
            service_ids.insert(r.code.clone(), store::upsert_service(tx, ambito_id, &new).await?);
        }
        for r in rows {
            if !keep.parents {
                store::set_service_parent(tx, ambito_id, &r.code, r.parent.as_deref()).await?;
            }
            let rec = store::ActivityRecord {
                service_id: service_ids[&r.code],
                year: r.year,
                period: "Y".into(),
                comune_code: String::new(),
                measures: Measures(r.measures),
                budget: r.budget,
            };
            store::upsert_activity(tx, &rec, "import").await?;
            let mut sy = store::ServiceYearRow {
                service_id: rec.service_id,
                indicator: r.indicator.clone(),
                target_name: r.target_name.clone(),
                target_value: r.target_value.map(|v| v.to_string()),
            };
            if keep.targets
                && let Some(stored) =
                    store::service_years(tx, ambito_id, r.year).await?.into_iter().find(|y| y.service_id == rec.service_id)
            {
                sy.target_name = stored.target_name;
                sy.target_value = stored.target_value;
            }
            store::upsert_service_year(tx, r.year, &sy).await?;
            progress.advance(1);
        }
        progress.finish();
        batch.commit(Some(ambito_id), rows.len(), f).await
    }
}

/// What the database says about the Ambito an activity file is checked against.
pub struct Stored<'a> {
    pub services: &'a [store::ServiceRow],
    /// Names of its target populations.
    pub targets: &'a [String],
    /// Codes of its own indicators.
    pub indicators: &'a [String],
}

/// A file that passed every check: its rows, and what it leaves as stored.
pub struct Valid {
    pub rows: Vec<ActivityRow>,
    keep: Keep,
}

/// Reads and checks an activity file against what is stored, without the database: every row
/// parsed, the service hierarchy and the published totals checked; `None` after recording errors.
pub fn parse(file: &str, bytes: &[u8], stored: &Stored, f: &mut Findings, progress: &dyn Progress) -> Option<Valid> {
    let table = read_table(file, bytes, f)?;
    let required: Vec<&str> = COLUMNS.iter().copied().filter(|c| !KEEP_IF_ABSENT.contains(c)).collect();
    let optional: Vec<&str> = KEEP_IF_ABSENT.iter().chain(&REPORT_ONLY).copied().collect();
    let found = table.columns(&required, &optional, f)?;
    // Back into the order of COLUMNS, which the row parser indexes.
    let position = |name: &str| required.iter().chain(&optional).position(|c| *c == name).and_then(|i| found[i]);
    let idx: Vec<Option<usize>> = COLUMNS.iter().map(|c| position(c)).collect();
    let keep = Keep { parents: idx[4].is_none(), targets: idx[12].is_none() };
    progress.start("validazione", table.rows.len() as u64);
    let mut rows = Vec::new();
    let mut totals = Vec::new();
    for (line, cells) in &table.rows {
        let c = Cells { table: &table, line: *line, cells, idx: &idx, names: &COLUMNS };
        match parse_row(&c, stored.targets, stored.indicators, f) {
            Some(Parsed::Row(r)) => rows.push(r),
            Some(Parsed::Total(t)) => totals.push(t),
            None => {}
        }
        progress.advance(1);
    }
    progress.finish();
    if keep.parents {
        for r in &mut rows {
            r.parent = stored.services.iter().find(|s| s.code == r.code).and_then(|s| s.parent_code.clone());
        }
    }
    check_rows(file, &rows, stored.services, f);
    if !f.has_errors() {
        check_published_totals(file, &rows, &totals, stored.services, f);
    }
    (!f.has_errors()).then_some(Valid { rows, keep })
}

/// Which stored facts a file leaves alone because it lacks their column.
#[derive(Debug, Clone, Copy)]
struct Keep {
    parents: bool,
    targets: bool,
}

/// A first guess of the service kind from what it records; staff can change it later.
fn infer_kind(m: &[Option<Decimal>; 6]) -> &'static str {
    let has = |x: Measure| m[x.index()].is_some();
    if has(Measure::Utenti) || has(Measure::Ore) {
        "servizio_continuativo"
    } else if has(Measure::Domande) || has(Measure::Beneficiari) {
        "misura_a_domanda"
    } else if has(Measure::Accessi) {
        "sportello"
    } else {
        "servizio_continuativo"
    }
}

enum Parsed {
    Row(ActivityRow),
    Total(PublishedTotal),
}

fn parse_row(c: &Cells, targets: &[String], custom: &[String], f: &mut Findings) -> Option<Parsed> {
    let before = f.errors.len();
    let year = c.int_in(0, 1990..=2100, f);
    let area = c.text(1).to_string();
    let code = c.text(2).to_string();
    let mut measures = [None; 6];
    for (k, m) in Measure::ALL.iter().enumerate() {
        let col = 5 + k;
        measures[k] = if m.is_count() {
            c.count(col, f).ok().flatten().map(Decimal::from)
        } else {
            c.amount(col, m.storage_scale(), f).ok().flatten()
        };
    }
    let budget = match c.text(13) {
        "-" => Some(Decimal::ZERO),
        _ => c.amount(13, ambito_domain::fixed::MONEY_SCALE, f).ok().flatten(),
    };
    if code.eq_ignore_ascii_case(TOTAL_CODE) || area.eq_ignore_ascii_case(AMBITO_TOTAL) {
        let is_ambito = area.eq_ignore_ascii_case(AMBITO_TOTAL);
        let area_name = if is_ambito { None } else { Some(c.text(3).to_string()).filter(|s| !s.is_empty()).or(Some(area)) };
        return (f.errors.len() == before)
            .then(|| Parsed::Total(PublishedTotal { line: c.line, year: year.unwrap_or(0), area: area_name, measures, budget }));
    }
    if area.is_empty() {
        c.error(f, 1, "area mancante", "missing area");
    }
    if code.is_empty() {
        c.error(f, 2, "codice servizio mancante", "missing service code");
    } else if code.len() > 40 || !code.chars().all(|ch| ch.is_ascii_alphanumeric() || "_-./".contains(ch)) {
        c.error(
            f,
            2,
            format!("codice servizio non valido «{code}»: lettere, cifre e _ - . / (max 40)"),
            format!("invalid service code «{code}»: letters, digits and _ - . / (max 40)"),
        );
    }
    let name = c.text(3).to_string();
    if name.is_empty() {
        c.error(f, 3, "nome del servizio mancante", "missing service name");
    }
    let parent = Some(c.text(4).to_string()).filter(|p| !p.is_empty());
    let indicator = Some(c.text(11).to_string()).filter(|s| !s.is_empty());
    if let Some(i) = &indicator
        && !indicator::ROW_INDICATOR_CODES.contains(&i.as_str())
        && !custom.contains(i)
    {
        c.error(
            f,
            11,
            format!("indicatore sconosciuto «{i}»; ammessi: {}", indicator::ROW_INDICATOR_CODES.join(", ")),
            format!("unknown indicator «{i}»; allowed: {}", indicator::ROW_INDICATOR_CODES.join(", ")),
        );
    }
    let (mut target_name, mut target_value) = (None, None);
    let target = c.text(12);
    if !target.is_empty() {
        // A defined name wins (targets such as `15-64` look almost like numbers), then a number.
        if targets.iter().any(|t| t == target) {
            target_name = Some(target.to_string());
        } else if let Ok(v) = parse_decimal(target, c.table.style) {
            if v > Decimal::ZERO {
                target_value = Some(v);
            } else {
                c.error(f, 12, format!("popolazione target non valida «{target}»"), format!("invalid target population «{target}»"));
            }
        } else {
            c.error(
                f,
                12,
                format!("popolazione target «{target}» non definita per l'Ambito"),
                format!("target population «{target}» is not defined for the Ambito"),
            );
        }
    }
    if indicator.as_deref().is_some_and(|i| i.ends_with("target_x1000")) && target.is_empty() {
        c.warning(
            f,
            12,
            "indicatore per 1.000 senza popolazione target: resterà vuoto",
            "per-1000 indicator without a target population: it will be blank",
        );
    }
    let (dom, ben) = (measures[Measure::Domande.index()], measures[Measure::Beneficiari.index()]);
    if let (Some(d), Some(b)) = (dom, ben)
        && b > d
    {
        c.warning(
            f,
            7,
            format!("beneficiari ({b}) superiori alle domande ({d}): casi riportati da anni precedenti?"),
            format!("beneficiaries ({b}) exceed applications ({d}): cases carried over from earlier years?"),
        );
    }
    if f.errors.len() != before {
        return None;
    }
    Some(Parsed::Row(ActivityRow {
        line: c.line,
        year: year?,
        area,
        code,
        name,
        parent,
        measures,
        indicator,
        target_name,
        target_value,
        budget,
    }))
}

fn check_rows(file: &str, rows: &[ActivityRow], existing: &[store::ServiceRow], f: &mut Findings) {
    let mut seen: HashMap<(i64, &str), usize> = HashMap::new();
    for r in rows {
        if let Some(first) = seen.insert((r.year, r.code.as_str()), r.line) {
            f.error(
                file,
                Some(r.line),
                Some("codice_servizio"),
                Msg::new(
                    format!("codice servizio «{}» ripetuto per l'anno {} (già alla riga {first})", r.code, r.year),
                    format!("service code «{}» repeated for year {} (already on line {first})", r.code, r.year),
                ),
            );
        }
    }
    // The catalogue after the import: the file's rows override what is stored.
    let mut area_of: HashMap<&str, &str> = existing.iter().map(|s| (s.code.as_str(), s.area.as_str())).collect();
    let mut parent_of: HashMap<&str, Option<&str>> = existing.iter().map(|s| (s.code.as_str(), s.parent_code.as_deref())).collect();
    for r in rows {
        area_of.insert(&r.code, &r.area);
        parent_of.insert(&r.code, r.parent.as_deref());
    }
    for r in rows {
        let Some(p) = r.parent.as_deref() else { continue };
        let col = Some("codice_padre");
        match area_of.get(p) {
            None => f.error(
                file,
                Some(r.line),
                col,
                Msg::new(format!("servizio padre «{p}» inesistente"), format!("parent service «{p}» does not exist")),
            ),
            Some(area) if *area != r.area => f.error(
                file,
                Some(r.line),
                col,
                Msg::new(
                    format!("il servizio padre «{p}» è nell'area «{area}», il figlio in «{}»", r.area),
                    format!("parent «{p}» is in area «{area}», the child in «{}»", r.area),
                ),
            ),
            Some(_) => {
                let mut cursor = Some(p);
                let mut steps = 0;
                while let Some(c) = cursor {
                    if c == r.code || steps > parent_of.len() {
                        f.error(
                            file,
                            Some(r.line),
                            col,
                            Msg::new(
                                format!("ciclo nella gerarchia dei servizi: «{}» discende da se stesso", r.code),
                                format!("cycle in the service hierarchy: «{}» descends from itself", r.code),
                            ),
                        );
                        break;
                    }
                    cursor = parent_of.get(c).copied().flatten();
                    steps += 1;
                }
            }
        }
    }
}

/// Recomputes the file's own totals with the report engine and compares them with the totals it
/// publishes. A disagreement is reported, never copied: totals are always sums of rows.
fn check_published_totals(file: &str, rows: &[ActivityRow], totals: &[PublishedTotal], existing: &[store::ServiceRow], f: &mut Findings) {
    let years: BTreeMap<i64, ()> = totals.iter().map(|t| (t.year, ())).collect();
    for year in years.keys() {
        let mut services: Vec<ServiceDef> = Vec::new();
        let mut current = HashMap::new();
        for r in rows.iter().filter(|r| r.year == *year) {
            services.push(ServiceDef {
                code: r.code.clone(),
                name: r.name.clone(),
                area: r.area.clone(),
                parent: r.parent.clone(),
                indicator: None,
            });
            let mut fig = Figures { budget: r.budget, ..Figures::default() };
            for m in Measure::ALL {
                fig.measures.set(m, r.measures[m.index()]);
            }
            current.insert(r.code.clone(), fig);
        }
        for s in existing {
            if !services.iter().any(|x| x.code == s.code) {
                services.push(ServiceDef {
                    code: s.code.clone(),
                    name: s.name.clone(),
                    area: s.area.clone(),
                    parent: s.parent_code.clone(),
                    indicator: None,
                });
            }
        }
        let input = ReportInput { year: *year as i32, services, current, indicators: Vec::<IndicatorDef>::new(), ..ReportInput::default() };
        let report = assemble(&input);
        for t in totals.iter().filter(|t| t.year == *year) {
            let computed = match &t.area {
                None => Some(&report.total),
                Some(a) => report.areas.iter().find(|s| &s.name == a).map(|s| &s.total),
            };
            let Some(computed) = computed else { continue };
            let what = t.area.clone().unwrap_or_else(|| AMBITO_TOTAL.into());
            for m in Measure::ALL {
                if let Some(published) = t.measures[m.index()]
                    && computed.measures.get(m) != Some(published)
                {
                    discrepancy(f, file, t.line, m.column(), &what, published, computed.measures.get(m));
                }
            }
            if let Some(published) = t.budget
                && computed.budget != Some(published)
            {
                discrepancy(f, file, t.line, "budget", &what, published, computed.budget);
            }
        }
    }
}

fn discrepancy(f: &mut Findings, file: &str, line: usize, column: &str, what: &str, published: Decimal, computed: Option<Decimal>) {
    let computed = computed.map(|c| c.to_string()).unwrap_or_else(|| "vuoto".into());
    f.warning(
        file,
        Some(line),
        Some(column),
        Msg::new(
            format!("totale pubblicato per «{what}» ({published}) diverso dalla somma delle righe ({computed}): si usa la somma"),
            format!("published total for «{what}» ({published}) differs from the sum of the rows ({computed}): the sum is used"),
        ),
    );
}
