//! Read models for the pages: catalogue, demographics, the activity grid.

use crate::reporting::report::{pyramids, target_values};
use crate::{App, AppError, Result};
use ambito_domain::demography::{Index, Pyramid};
use ambito_domain::ids::{AmbitoId, AmbitoScope};
use ambito_domain::value::Value;
use ambito_store as store;
use rust_decimal::Decimal;
use serde::Serialize;

pub use ambito_store::{AmbitoRow, ServiceRow};

#[derive(Debug, Clone, Serialize)]
pub struct ComuneDemography {
    pub istat_code: String,
    pub name: String,
    pub males: u64,
    pub females: u64,
    pub total: u64,
    pub indices: Vec<(Index, Value)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Demography {
    /// Named by the request already.
    #[serde(skip)]
    pub ambito: AmbitoRow,
    pub years: Vec<i64>,
    pub year: Option<i64>,
    pub pyramid: Pyramid,
    pub indices: Vec<(Index, Value)>,
    pub comuni: Vec<ComuneDemography>,
    /// (name, definition in words, value)
    pub targets: Vec<(String, String, Option<Decimal>)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GridRow {
    pub service_id: i64,
    pub code: String,
    pub name: String,
    pub area: String,
    pub parent: Option<String>,
    pub measures: [Option<Decimal>; 6],
    pub budget: Option<Decimal>,
    /// Sub-year or per-Comune rows exist: the yearly figure is derived and not editable here.
    pub detailed: bool,
}

impl App {
    pub async fn ambiti(&self) -> Result<Vec<AmbitoRow>> {
        let mut conn = self.store.read().await?;
        Ok(store::list_ambiti(&mut conn).await?)
    }

    /// The id of an Ambito by code, from a per-revision map (the access guard asks on every request).
    pub async fn ambito_id(&self, code: &str) -> Result<Option<i64>> {
        Ok(self.find_ambito_scope(code).await?.map(|s| s.id.get()))
    }

    /// The tenant of a request by the code in its route, from the same per-revision map; `None`
    /// for an unknown code.
    pub async fn find_ambito_scope(&self, code: &str) -> Result<Option<AmbitoScope>> {
        let scopes = self
            .cached("ambito_scopes".into(), || async {
                let mut conn = self.store.read().await?;
                Ok(store::list_ambiti(&mut conn)
                    .await?
                    .into_iter()
                    .map(|a| (a.code.clone(), AmbitoScope { id: AmbitoId(a.id), code: a.code, name: a.name }))
                    .collect::<std::collections::HashMap<_, _>>())
            })
            .await?;
        Ok(scopes.get(code).cloned())
    }

    /// [`App::find_ambito_scope`], with an unknown code as an error (the command line's case).
    pub async fn ambito_scope(&self, code: &str) -> Result<AmbitoScope> {
        self.find_ambito_scope(code).await?.ok_or_else(|| AppError::AmbitoNotFound(code.into()))
    }

    pub async fn ambito(&self, code: &str) -> Result<AmbitoRow> {
        let mut conn = self.store.read().await?;
        store::ambito_by_code(&mut conn, code).await?.ok_or_else(|| AppError::AmbitoNotFound(code.into()))
    }

    pub async fn services(&self, ambito: &AmbitoScope) -> Result<Vec<ServiceRow>> {
        let mut conn = self.store.read().await?;
        Ok(store::list_services(&mut conn, ambito.id.get()).await?)
    }

    pub async fn activity_years(&self, ambito: &AmbitoScope) -> Result<Vec<i64>> {
        let mut conn = self.store.read().await?;
        Ok(store::activity_years(&mut conn, ambito.id.get()).await?)
    }

    pub async fn activity_grid(&self, ambito: &AmbitoScope, year: i64) -> Result<Vec<GridRow>> {
        let mut conn = self.store.read().await?;
        let services = store::list_services(&mut conn, ambito.id.get()).await?;
        let rows = store::activity_rows(&mut conn, ambito.id.get(), year).await?;
        Ok(services
            .into_iter()
            .map(|s| {
                let own: Vec<&store::ActivityRecord> = rows.iter().filter(|r| r.service_id == s.id).collect();
                let year_row = own.iter().find(|r| r.period == "Y" && r.comune_code.is_empty());
                let measures = year_row.map(|r| r.measures.0).unwrap_or_default();
                GridRow {
                    service_id: s.id,
                    code: s.code,
                    name: s.name,
                    area: s.area,
                    parent: s.parent_code,
                    measures,
                    budget: year_row.and_then(|r| r.budget),
                    detailed: own.iter().any(|r| r.period != "Y" || !r.comune_code.is_empty()),
                }
            })
            .collect())
    }

    pub async fn demography(&self, scope: &AmbitoScope, year: Option<i64>) -> Result<Demography> {
        let ambito = self.ambito(&scope.code).await?;
        let mut conn = self.store.read().await?;
        let years = store::population_years(&mut conn, ambito.id).await?;
        let year = year.filter(|y| years.contains(y)).or_else(|| years.first().copied());
        let comuni = store::list_comuni(&mut conn, ambito.id).await?;
        let (_, by_code) = match year {
            Some(y) => pyramids(&mut conn, ambito.id, y).await?,
            None => (None, Default::default()),
        };
        let mut total = Pyramid::default();
        let mut rows = Vec::new();
        for c in comuni {
            let p = by_code.get(&c.istat_code).cloned().unwrap_or_default();
            total.merge(&p);
            rows.push(ComuneDemography {
                istat_code: c.istat_code,
                name: c.name,
                males: p.total_males(),
                females: p.total_females(),
                total: p.total(),
                indices: p.indices(),
            });
        }
        let values = match year {
            Some(y) => target_values(&mut conn, ambito.id, y).await?,
            None => Default::default(),
        };
        let targets = store::list_targets(&mut conn, ambito.id)
            .await?
            .into_iter()
            .map(|t| {
                let def = match (t.age_min, &t.explicit_value) {
                    (_, Some(v)) => format!("valore fornito: {v}"),
                    (Some(lo), None) => {
                        let band = match t.age_max {
                            Some(hi) => format!("residenti {lo}-{hi} anni"),
                            None => format!("residenti da {lo} anni in su"),
                        };
                        match &t.comuni {
                            Some(c) => format!("{band}, Comuni {c}"),
                            None => format!("{band}, tutti i Comuni"),
                        }
                    }
                    _ => String::new(),
                };
                let v = values.get(&t.name).copied();
                (t.name, def, v)
            })
            .collect();
        Ok(Demography { indices: total.indices(), pyramid: total, ambito, years, year, comuni: rows, targets })
    }
}
