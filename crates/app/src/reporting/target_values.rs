//! Target populations, the denominators of "per 1,000 residents" indicators. Summing age pyramids
//! for every report would read every Comune's population each time; instead each import of
//! territory, population or targets values every band target for every population year it can
//! (`refresh`), and reports read those few rows back (`for_year`).

use crate::Result;
use crate::reporting::report::{population_year_for, pyramids};
use ambito_store::{self as store, AnyConnection, TargetRow, TargetValueRow};
use rust_decimal::Decimal;
use std::collections::HashMap;

fn explicit(t: &TargetRow) -> Option<Decimal> {
    t.explicit_value.as_deref().and_then(|v| v.parse::<Decimal>().ok())
}

/// Values every band target of every Ambito for every population year, replacing what was stored.
pub(crate) async fn refresh(conn: &mut AnyConnection) -> Result<()> {
    for ambito in store::list_ambiti(conn).await? {
        let targets: Vec<TargetRow> =
            store::list_targets(conn, ambito.id).await?.into_iter().filter(|t| explicit(t).is_none() && t.age_min.is_some()).collect();
        let mut values = Vec::new();
        if !targets.is_empty() {
            for pop_year in store::population_years(conn, ambito.id).await? {
                let (_, by_comune) = pyramids(conn, ambito.id, pop_year).await?;
                for t in &targets {
                    let Some(min) = t.age_min else { continue };
                    let listed: Option<Vec<&str>> = t.comuni.as_deref().map(|c| c.split(',').collect());
                    let total: u64 = by_comune
                        .iter()
                        .filter(|(code, _)| listed.as_ref().is_none_or(|l| l.contains(&code.as_str())))
                        .map(|(_, p)| p.band(min as u8, t.age_max.map(|m| m as u8)))
                        .sum();
                    values.push((pop_year, t.name.clone(), i64::try_from(total).unwrap_or(i64::MAX)));
                }
            }
        }
        store::replace_target_values(conn, ambito.id, &values).await?;
    }
    Ok(())
}

/// One Ambito's targets valued for `year`: explicit values as given, band values from the
/// population year that serves `year` (1 January of it, else the latest earlier, else the
/// earliest later one).
pub(crate) fn for_year(explicit: &[(i64, String, String)], bands: &[TargetValueRow], year: i64) -> HashMap<String, Decimal> {
    let mut years: Vec<i64> = bands.iter().map(|b| b.1).collect();
    years.sort_unstable();
    years.dedup();
    let pop_year = population_year_for(&years, year);
    let mut out: HashMap<String, Decimal> =
        bands.iter().filter(|b| Some(b.1) == pop_year).map(|b| (b.2.clone(), Decimal::from(b.3))).collect();
    for (_, name, text) in explicit {
        if let Ok(v) = text.parse::<Decimal>() {
            out.insert(name.clone(), v);
        }
    }
    out
}

/// Every Ambito's targets valued for `year`, by Ambito id.
pub(crate) async fn all_for_year(conn: &mut AnyConnection, year: i64) -> Result<HashMap<i64, HashMap<String, Decimal>>> {
    let mut explicit: HashMap<i64, Vec<(i64, String, String)>> = HashMap::new();
    for e in store::explicit_targets(conn, None).await? {
        explicit.entry(e.0).or_default().push(e);
    }
    let mut bands: HashMap<i64, Vec<TargetValueRow>> = HashMap::new();
    for b in store::target_value_rows(conn, None).await? {
        bands.entry(b.0).or_default().push(b);
    }
    let ids: Vec<i64> = explicit.keys().chain(bands.keys()).copied().collect();
    Ok(ids
        .into_iter()
        .map(|id| {
            let e = explicit.get(&id).map(Vec::as_slice).unwrap_or_default();
            let b = bands.get(&id).map(Vec::as_slice).unwrap_or_default();
            (id, for_year(e, b, year))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    #[test]
    fn explicit_values_win_and_the_serving_population_year_is_used() {
        let explicit = vec![(1, "fissa".to_string(), "4000".to_string()), (1, "rotta".to_string(), "n/d".to_string())];
        let bands = vec![(1, 2024, "anziani".to_string(), 900), (1, 2025, "anziani".to_string(), 950), (1, 2025, "minori".to_string(), 10)];
        let v = super::for_year(&explicit, &bands, 2025);
        assert_eq!(v.get("fissa"), Some(&Decimal::from(4000)));
        assert_eq!(v.get("anziani"), Some(&Decimal::from(950)));
        assert_eq!(v.get("rotta"), None, "an unreadable explicit value is no value");
        assert_eq!(super::for_year(&explicit, &bands, 2024).get("anziani"), Some(&Decimal::from(900)));
        assert_eq!(super::for_year(&explicit, &bands, 2030).get("anziani"), Some(&Decimal::from(950)), "latest earlier year");
        assert_eq!(super::for_year(&explicit, &bands, 2020).get("minori"), None, "2024 serves 2020 and has no minori");
        assert_eq!(super::for_year(&explicit, &bands, 2020).get("anziani"), Some(&Decimal::from(900)), "earliest later year");
    }
}
