//! The notices of a new run: kept, issued, superseded or cancelled person by person (the rules
//! are in `statements`' module comment), then put on the rows.

use super::statements::{StatementsRun, attach, causale, change_line, changed_persons, totals};
use crate::{AppError, Result};
use ambito_domain::copayment::statement::StatementRow;
use ambito_domain::pagopa::Iuv;
use ambito_domain::pagopa::ente::EnteSettings;
use ambito_store as store;
use std::collections::{BTreeMap, HashMap};

#[allow(clippy::too_many_arguments)]
pub(crate) async fn assign(
    tx: &mut store::AnyConnection,
    ambito: &store::AmbitoRow,
    settings: &EnteSettings,
    month: &str,
    run_id: i64,
    old_rows: &[StatementRow],
    run: &mut StatementsRun,
    persons: &HashMap<&str, &store::PersonRow>,
) -> Result<HashMap<String, i64>> {
    let rerun = !old_rows.is_empty();
    let by_iuv: HashMap<String, store::NoticeRow> =
        store::notices(tx, ambito.id, Some(month)).await?.into_iter().map(|n| (n.iuv.clone(), n)).collect();
    let old_notice: HashMap<&str, &store::NoticeRow> = old_rows
        .iter()
        .filter_map(|r| r.iuv.as_ref().and_then(|i| by_iuv.get(i.as_str())).map(|n| (r.codice_fiscale.as_str(), n)))
        .collect();
    let changed = changed_persons(old_rows, &run.rows)?;
    let (mut iuvs, mut ids) = (BTreeMap::<String, Iuv>::new(), HashMap::<String, i64>::new());
    let keep = |n: &store::NoticeRow, cf: &str, iuvs: &mut BTreeMap<String, Iuv>, ids: &mut HashMap<String, i64>| -> Result<()> {
        let iuv = Iuv::parse(&n.iuv).map_err(|e| AppError::Internal(format!("IUV registrato non valido {}: {e}", n.iuv)))?;
        iuvs.insert(cf.to_string(), iuv);
        ids.insert(cf.to_string(), n.id);
        Ok(())
    };
    for t in totals(&run.rows)? {
        let cf = t.codice_fiscale.as_str();
        let old = old_notice.get(cf).copied();
        let Some(&(old_cents, new_cents)) = changed.get(cf) else {
            if let Some(n) = old {
                keep(n, cf, &mut iuvs, &mut ids)?;
            }
            continue;
        };
        if let Some(n) = old.filter(|n| n.status != "emesso") {
            // Paid, in part or in full: the notice stays as it is and the office settles the rest.
            if new_cents > 0 {
                keep(n, cf, &mut iuvs, &mut ids)?;
            }
            run.changes.push(change_line(
                cf,
                old_cents,
                new_cents,
                &format!("avviso {} già {}: differenza da regolare a parte", n.iuv, n.status),
            ));
            continue;
        }
        let issued = if t.needs_notice() {
            let p = persons.get(cf).ok_or_else(|| AppError::Internal(format!("persona senza anagrafica: {cf}")))?;
            let base = store::take_iuv_base(tx, ambito.id).await?;
            let iuv = u64::try_from(base)
                .ok()
                .and_then(|b| Iuv::new(settings.segregazione, b).ok())
                .ok_or_else(|| AppError::Invalid(format!("contatore IUV esaurito per l'Ambito {}", ambito.code)))?;
            let nav = iuv.notice_number();
            let new = store::NewNotice {
                ambito_id: ambito.id,
                person_id: p.id,
                month,
                ente_cf: settings.ente_cf.as_str(),
                iuv: iuv.as_str(),
                numero_avviso: nav.as_str(),
                amount_cents: t.cents,
                scadenza: &run.rows.iter().find(|r| r.codice_fiscale == cf).map(|r| r.scadenza.iso()).unwrap_or_default(),
                causale: &causale(settings, &t.servizi, run.month, p, &iuv),
                run_id,
            };
            let id = store::insert_notice(tx, &new).await?;
            run.issued += 1;
            iuvs.insert(cf.to_string(), iuv.clone());
            ids.insert(cf.to_string(), id);
            Some((id, iuv))
        } else {
            None
        };
        if rerun {
            let what = match (old, &issued) {
                (Some(n), Some((_, iuv))) => format!("avviso {} sostituito da {iuv}", n.iuv),
                (Some(n), None) => format!("avviso {} annullato", n.iuv),
                (None, Some((_, iuv))) => format!("nuovo avviso {iuv}"),
                (None, None) => "nessun avviso".to_string(),
            };
            run.changes.push(change_line(cf, old_cents, new_cents, &what));
        }
        if let Some(n) = old {
            store::close_notice(tx, n.id, issued.as_ref().map(|(id, _)| *id)).await?;
            if issued.is_some() { run.superseded += 1 } else { run.cancelled += 1 }
        }
    }
    // Persons with no row any more (their deliveries were withdrawn).
    let now: std::collections::BTreeSet<&str> = run.rows.iter().map(|r| r.codice_fiscale.as_str()).collect();
    for (cf, &(old_cents, new_cents)) in changed.iter().filter(|(cf, _)| !now.contains(cf.as_str())) {
        let Some(n) = old_notice.get(cf.as_str()).copied() else { continue };
        if n.status == "emesso" {
            store::close_notice(tx, n.id, None).await?;
            run.cancelled += 1;
            run.changes.push(change_line(cf, old_cents, new_cents, &format!("avviso {} annullato", n.iuv)));
        } else {
            run.changes.push(change_line(
                cf,
                old_cents,
                new_cents,
                &format!("avviso {} già {}: differenza da regolare a parte", n.iuv, n.status),
            ));
        }
    }
    attach(&mut run.rows, &iuvs)?;
    Ok(ids)
}
