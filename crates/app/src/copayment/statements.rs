//! `ambito copayment statements --ambito CODE --month YYYY-MM`: one month of an Ambito in one
//! transaction (`domain::copayment::run::compute_month`), its rows stored as a run and one
//! pagoPA notice per person with something to pay.
//!
//! A re-run whose rows are the same as the last run's writes nothing and gives the same rows and
//! notices. Otherwise it is a new run: a person whose total is the same keeps their notice; one
//! whose total changed gets a corrective notice with a new IUV, and the old notice, if still
//! unpaid, is marked superseded by it (or cancelled, when nothing is due any more). A notice
//! already paid, even in part, is never touched: the difference is listed for the office.
//!
//! Events whose `codice_persona` is no person's of the registry are listed as problems of the
//! run, which goes on for everyone else: one unknown key must not hold back a month's notices.

use super::stored::{day_of, exemption, isee_record, iso_day, row_from_store, row_to_store};
use crate::access::Actor;
use crate::{App, AppError, Result};
use ambito_domain::copayment::diff::person_changes;
use ambito_domain::copayment::quantity::DeliveryEvent;
use ambito_domain::copayment::regulation::in_force_for_month;
use ambito_domain::copayment::run::{Delivery, MonthRun, Person, RunProblem, compute_month};
use ambito_domain::copayment::statement::{StatementRow, attach_notices, person_totals};
use ambito_domain::copayment::{Exemption, IseeRecord, Month, parse_month, parse_regulation};
use ambito_domain::fixed::{hours_from_units, money_from_units};
use ambito_domain::format::it_number;
use ambito_domain::pagopa::Iuv;
use ambito_domain::pagopa::causale::CausaleValues;
use ambito_domain::pagopa::ente::{EnteSettings, EnteSettingsInput, check_settings};
use ambito_store as store;
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, Clone)]
pub struct StatementsRun {
    pub month: Month,
    pub regolamento: String,
    pub run_number: i64,
    /// False: nothing changed since the last run, which stands as it was.
    pub new_run: bool,
    pub rows: Vec<StatementRow>,
    pub problems: Vec<RunProblem>,
    pub not_charged: BTreeSet<String>,
    /// The differences from the previous run, one line per person, in Italian.
    pub changes: Vec<String>,
    pub issued: usize,
    pub superseded: usize,
    pub cancelled: usize,
}

fn money(cents: i64) -> String {
    it_number(money_from_units(cents), 2)
}

fn settings_of(row: &store::PagopaSettingsRow) -> Result<EnteSettings> {
    let input = EnteSettingsInput {
        ente_cf: &row.ente_cf,
        nome: &row.nome,
        ufficio: row.ufficio.as_deref().unwrap_or(""),
        segregazione: &row.segregazione,
        iban: &row.iban,
        categoria: &row.categoria,
        causale: &row.causale,
    };
    check_settings(&input).map_err(|e| AppError::Internal(format!("impostazioni pagoPA registrate non valide: {e:?}")))
}

/// What the case record knows of the persons behind the month's keys.
struct Known {
    by_key: HashMap<String, store::PersonRow>,
    isee: HashMap<i64, Vec<IseeRecord>>,
    exemptions: HashMap<i64, Vec<Exemption>>,
}

impl App {
    pub async fn run_statements(&self, actor: &Actor<'_>, ambito_code: &str, month_text: &str) -> Result<StatementsRun> {
        let month = parse_month(month_text).ok_or_else(|| AppError::Invalid(format!("mese non valido «{month_text}» (AAAA-MM)")))?;
        let ambito = self.ambito(ambito_code).await?;
        let mut tx = self.store.write().await?;
        let stored_versions = store::regulations(&mut tx, ambito.id).await?;
        let mut versions = Vec::new();
        for v in &stored_versions {
            versions.push(
                parse_regulation(&v.source_toml)
                    .map_err(|e| AppError::Internal(format!("regolamento {} registrato non valido: {e:?}", v.codice)))?,
            );
        }
        let reg = in_force_for_month(&versions, month).map_err(|e| AppError::Invalid(e.to_string()))?;
        let reg_id = stored_versions.iter().find(|v| v.codice == reg.codice).map(|v| v.id).unwrap_or_default();
        let settings = store::pagopa_settings(&mut tx, ambito.id).await?.ok_or_else(|| {
            AppError::Invalid(format!("mancano le impostazioni pagoPA dell'Ambito: ambito copayment settings --ambito {} …", ambito.code))
        })?;
        let settings = settings_of(&settings)?;
        let (first, last) = (month.first(), month.last());
        let (Some(first), Some(last)) = (first, last) else { return Err(AppError::Invalid(format!("mese non valido «{month_text}»"))) };
        let events = store::month_deliveries(&mut tx, ambito.id, first.yyyymmdd(), last.yyyymmdd()).await?;
        let known = self.known_persons(&mut tx, ambito.id, &events).await?;
        let persons: BTreeMap<String, Person<'_>> = known
            .by_key
            .iter()
            .map(|(key, p)| {
                let isee = known.isee.get(&p.id).map(Vec::as_slice).unwrap_or(&[]);
                let esenzioni = known.exemptions.get(&p.id).map(Vec::as_slice).unwrap_or(&[]);
                (key.clone(), Person { codice_fiscale: &p.codice_fiscale, isee, esenzioni })
            })
            .collect();
        let mut deliveries = Vec::with_capacity(events.len());
        for (key, service, day, ore_e4) in &events {
            let day = day_of(*day).ok_or_else(|| AppError::Internal(format!("giorno registrato non valido: {day}")))?;
            let event = DeliveryEvent { day, ore: Some(hours_from_units(*ore_e4)) };
            deliveries.push(Delivery { codice_persona: key, codice_servizio: service, event });
        }
        let computed: MonthRun = compute_month(&versions, month, &persons, &deliveries).map_err(|e| AppError::Invalid(e.to_string()))?;
        let scadenza = computed.rows.first().map(|r| r.scadenza).or_else(|| reg.due_date(month));
        let scadenza = scadenza.ok_or_else(|| AppError::Invalid(format!("scadenza non calcolabile per {}", month.label())))?;
        let label = month.label();
        let previous = store::latest_run(&mut tx, ambito.id, &label).await?;
        let old_rows = match &previous {
            Some(p) => {
                let due = iso_day(&p.scadenza)?;
                let mut rows = Vec::new();
                for r in store::run_rows(&mut tx, p.id).await? {
                    rows.push(row_from_store(&r, month, due)?);
                }
                rows
            }
            None => Vec::new(),
        };
        let mut run = StatementsRun {
            month,
            regolamento: computed.regolamento.clone(),
            run_number: previous.as_ref().map_or(1, |p| p.run_number),
            new_run: false,
            rows: computed.rows,
            problems: computed.problems,
            not_charged: computed.not_charged,
            changes: Vec::new(),
            issued: 0,
            superseded: 0,
            cancelled: 0,
        };
        let bare = |rows: &[StatementRow]| -> Vec<[String; 11]> {
            rows.iter().map(|r| StatementRow { iuv: None, ..r.clone() }.csv_values()).collect()
        };
        if previous.is_some() && bare(&old_rows) == bare(&run.rows) {
            // Nothing corrected: the last run stands, with its notices; nothing is written.
            run.rows = old_rows;
            tx.rollback().await?;
            return Ok(run);
        }
        run.new_run = true;
        run.run_number = previous.as_ref().map_or(1, |p| p.run_number + 1);
        let problems = serde_json::to_string(&run.problems).map_err(|e| AppError::Internal(e.to_string()))?;
        let by = actor.principal.map(|p| p.user_id);
        let new_run = store::NewRun {
            ambito_id: ambito.id,
            month: &label,
            run_number: run.run_number,
            regulation_id: reg_id,
            scadenza: &scadenza.iso(),
            problems: &problems,
            by,
        };
        let run_id = store::insert_run(&mut tx, &new_run).await?;
        let by_cf: HashMap<&str, &store::PersonRow> = known.by_key.values().map(|p| (p.codice_fiscale.as_str(), p)).collect();
        let notices = super::notices::assign(&mut tx, &ambito, &settings, &label, run_id, &old_rows, &mut run, &by_cf).await?;
        let catalogue: HashMap<String, i64> = store::list_services(&mut tx, ambito.id).await?.into_iter().map(|s| (s.code, s.id)).collect();
        for r in &run.rows {
            let (Some(p), Some(service_id)) = (by_cf.get(r.codice_fiscale.as_str()), catalogue.get(&r.codice_servizio)) else {
                return Err(AppError::Internal(format!("riga senza persona o servizio: {} {}", r.codice_fiscale, r.codice_servizio)));
            };
            let notice_id = notices.get(r.codice_fiscale.as_str()).copied();
            store::insert_statement_row(&mut tx, run_id, &row_to_store(r, p.id, *service_id, notice_id)?).await?;
        }
        let summary = format!(
            "estratti {label} (elaborazione {}): {} righe, {} avvisi emessi, {} sostituiti, {} annullati, {} problemi",
            run.run_number,
            run.rows.len(),
            run.issued,
            run.superseded,
            run.cancelled,
            run.problems.len()
        );
        let ev = actor.event("copayment.statements", &summary, Some(&ambito.code));
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(run)
    }

    /// The persons behind the events' keys, with their ISEE and the Ambito's exemptions. The
    /// pseudonym is unique in the registry, so a key names at most one person.
    async fn known_persons(&self, conn: &mut store::AnyConnection, ambito_id: i64, events: &[(String, String, i64, i64)]) -> Result<Known> {
        let keys: BTreeSet<&str> = events.iter().map(|e| e.0.as_str()).collect();
        let keys: Vec<&str> = keys.into_iter().collect();
        let owners = store::pseudonym_owners(conn, &keys).await?;
        let codes: Vec<&str> = owners.iter().map(|(_, cf)| cf.as_str()).collect();
        let rows = store::persons_by_codes(conn, &codes).await?;
        let by_key: HashMap<String, store::PersonRow> = rows.into_iter().map(|p| (p.pseudonym.clone(), p)).collect();
        let ids: BTreeSet<i64> = by_key.values().map(|p| p.id).collect();
        let mut isee: HashMap<i64, Vec<IseeRecord>> = HashMap::new();
        for r in store::live_isee(conn).await?.iter().filter(|r| ids.contains(&r.person_id)) {
            isee.entry(r.person_id).or_default().push(isee_record(r)?);
        }
        let mut exemptions: HashMap<i64, Vec<Exemption>> = HashMap::new();
        for r in store::exemptions(conn, ambito_id).await?.iter().filter(|r| ids.contains(&r.person_id)) {
            exemptions.entry(r.person_id).or_default().push(exemption(r)?);
        }
        Ok(Known { by_key, isee, exemptions })
    }
}

/// One line of the differences, as the command prints it.
pub(crate) fn change_line(cf: &str, old: i64, new: i64, what: &str) -> String {
    format!("{cf}: {} → {} ({what})", money(old), money(new))
}

/// The persons whose total changed, for [`super::notices::assign`].
pub(crate) fn changed_persons(old: &[StatementRow], new: &[StatementRow]) -> Result<BTreeMap<String, (i64, i64)>> {
    let changes = person_changes(old, new).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(changes.into_iter().map(|c| (c.codice_fiscale, (c.old_cents, c.new_cents))).collect())
}

pub(crate) fn totals(rows: &[StatementRow]) -> Result<Vec<ambito_domain::copayment::statement::PersonTotal>> {
    person_totals(rows).map_err(|e| AppError::Internal(e.to_string()))
}

pub(crate) fn attach(rows: &mut [StatementRow], iuvs: &BTreeMap<String, Iuv>) -> Result<()> {
    attach_notices(rows, iuvs).map_err(|e| AppError::Internal(e.to_string()))
}

pub(crate) fn causale(settings: &EnteSettings, servizi: &[String], month: Month, p: &store::PersonRow, iuv: &Iuv) -> String {
    settings.causale.render(&CausaleValues {
        servizi,
        mese: Some(month),
        cognome: &p.cognome,
        nome: &p.nome,
        codice_fiscale: &p.codice_fiscale,
        iuv: iuv.as_str(),
    })
}
