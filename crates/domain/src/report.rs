//! The annual activity report as a value: assembled here from catalogue, figures and spending,
//! rendered elsewhere (web, PDF, XLSX, CSV). Every number a renderer shows is computed here once.
//!
//! Roll-up rule: a parent service's figures already include its children's when the parent
//! records them; when it does not, the parent stands for the sum of its children. Area totals sum
//! the roots only, so a child is never counted twice.

use crate::expr::UnknownName;
use crate::indicator::{self, DisplayFormat, IndicatorDef};
use crate::measures::{Figures, Measure, Measures};
use crate::value::{Value, sum_present};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceDef {
    pub code: String,
    pub name: String,
    pub area: String,
    pub parent: Option<String>,
    /// The result indicator in force for the year (the year's choice, else the service default).
    pub indicator: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AreaDef {
    pub name: String,
    /// "Lettura dell'andamento", written by staff.
    pub lettura: Option<String>,
    /// "Prospettive e obiettivi", a numbered list.
    pub obiettivi: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpendingLine {
    pub area: String,
    pub source: String,
    pub amount: Decimal,
}

#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    pub ambito_code: String,
    pub ambito_name: String,
    pub year: i32,
    pub areas: Vec<AreaDef>,
    pub services: Vec<ServiceDef>,
    pub current: HashMap<String, Figures>,
    /// `None` when the previous year has no data at all.
    pub previous: Option<HashMap<String, Figures>>,
    pub indicators: Vec<IndicatorDef>,
    /// Funding sources in display order.
    pub spending_sources: Vec<String>,
    /// Committed spending (impegnato) by area and source.
    pub spending: Vec<SpendingLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    pub value: Value,
    pub text: String,
}

impl Shown {
    fn new(value: Value, format: DisplayFormat) -> Shown {
        let text = format.show(&value);
        Shown { value, text }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorCell {
    pub code: String,
    pub name: String,
    pub shown: Shown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceRow {
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
    /// 0 for a top-level service, 1 for its children, …
    pub depth: usize,
    pub figures: Figures,
    pub previous: Option<Figures>,
    pub indicator: Option<IndicatorCell>,
    pub budget_per_user: Shown,
    pub change_users: Shown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TotalRow {
    pub measures: Measures,
    pub budget: Option<Decimal>,
    pub budget_per_user: Shown,
    pub previous: Option<Measures>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaSection {
    pub name: String,
    pub rows: Vec<ServiceRow>,
    pub total: TotalRow,
    pub lettura: Option<String>,
    pub obiettivi: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpendingRow {
    pub area: String,
    pub by_source: Vec<Option<Decimal>>,
    pub total: Decimal,
    pub share: Shown,
    pub users: Option<Decimal>,
    pub cost_per_user: Shown,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SpendingSection {
    pub sources: Vec<String>,
    pub rows: Vec<SpendingRow>,
    pub totals_by_source: Vec<Option<Decimal>>,
    pub total: Decimal,
    pub source_shares: Vec<Shown>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Headline {
    pub areas: usize,
    pub services: usize,
    pub totals: Measures,
    pub previous: Option<Measures>,
    pub budget: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnualReport {
    pub ambito_code: String,
    pub ambito_name: String,
    pub year: i32,
    pub has_previous: bool,
    pub headline: Headline,
    pub areas: Vec<AreaSection>,
    pub total: TotalRow,
    pub spending: SpendingSection,
}

/// Figures as the indicator engine sees them: names of measures, `budget`, `target`, `prev.*`.
struct RowScope<'a> {
    current: &'a Figures,
    previous: Option<&'a Figures>,
}

impl RowScope<'_> {
    fn lookup(&self, name: &str) -> Result<Option<Decimal>, UnknownName> {
        let (figures, term) = match name.strip_prefix("prev.") {
            Some(rest) => match self.previous {
                Some(p) => (p, rest),
                None => return Self::known(rest).map(|_| None),
            },
            None => (self.current, name),
        };
        match term {
            "budget" => Ok(figures.budget),
            "target" => Ok(figures.target),
            _ => Measure::from_term(term).map(|m| figures.measures.get(m)).ok_or(UnknownName),
        }
    }

    fn known(term: &str) -> Result<(), UnknownName> {
        (matches!(term, "budget" | "target") || Measure::from_term(term).is_some()).then_some(()).ok_or(UnknownName)
    }
}

fn evaluate(def: &IndicatorDef, current: &Figures, previous: Option<&Figures>) -> Shown {
    let scope = RowScope { current, previous };
    let lookup = |name: &str| scope.lookup(name);
    Shown::new(def.evaluate(&lookup), def.format)
}

pub fn assemble(input: &ReportInput) -> AnnualReport {
    let defs: HashMap<&str, &IndicatorDef> = input.indicators.iter().map(|d| (d.code.as_str(), d)).collect();
    let fallback_builtins = indicator::builtins();
    let def = |code: &str| -> Option<IndicatorDef> {
        defs.get(code).map(|d| (*d).clone()).or_else(|| fallback_builtins.iter().find(|d| d.code == code).cloned())
    };
    // Both are built-ins, always in `fallback_builtins` (the report tests use them).
    #[allow(clippy::expect_used)]
    let (per_user, change) =
        (def(indicator::BUDGET_PER_USER).expect("built-in budget per user"), def("variazione/utenti").expect("built-in change"));

    let tree = Tree::new(&input.services, &input.current);
    let effective_now = tree.effective(&input.current);
    let effective_prev = input.previous.as_ref().map(|p| tree.effective(p));

    let mut areas = Vec::new();
    for area in ordered_areas(input) {
        let roots: Vec<&ServiceDef> = tree.roots_in(&area.name);
        if roots.is_empty() {
            continue;
        }
        let mut rows = Vec::new();
        for root in &roots {
            tree.walk(root, 0, &mut |svc, depth| {
                let figures = effective_now.get(svc.code.as_str()).cloned().unwrap_or_default();
                let previous = effective_prev.as_ref().and_then(|p| p.get(svc.code.as_str()).cloned());
                let indicator = svc.indicator.as_deref().and_then(&def).map(|d| IndicatorCell {
                    code: d.code.clone(),
                    name: d.name.clone(),
                    shown: evaluate(&d, &figures, previous.as_ref()),
                });
                rows.push(ServiceRow {
                    code: svc.code.clone(),
                    name: svc.name.clone(),
                    parent: svc.parent.clone(),
                    depth,
                    budget_per_user: evaluate(&per_user, &figures, None),
                    change_users: evaluate(&change, &figures, previous.as_ref()),
                    indicator,
                    figures,
                    previous,
                });
            });
        }
        let total = total_row(&roots, &effective_now, effective_prev.as_ref(), &per_user);
        areas.push(AreaSection { name: area.name.clone(), rows, total, lettura: area.lettura.clone(), obiettivi: area.obiettivi.clone() });
    }

    let all_roots: Vec<&ServiceDef> = areas.iter().flat_map(|a| tree.roots_in(&a.name)).collect();
    let total = total_row(&all_roots, &effective_now, effective_prev.as_ref(), &per_user);
    let spending = spending_section(input, &areas);
    AnnualReport {
        ambito_code: input.ambito_code.clone(),
        ambito_name: input.ambito_name.clone(),
        year: input.year,
        has_previous: input.previous.is_some(),
        headline: Headline {
            areas: areas.len(),
            services: areas.iter().map(|a| a.rows.len()).sum(),
            totals: total.measures,
            previous: total.previous,
            budget: total.budget,
        },
        areas,
        total,
        spending,
    }
}

/// Areas in catalogue order, then any area named only by a service.
fn ordered_areas(input: &ReportInput) -> Vec<AreaDef> {
    let mut out = input.areas.clone();
    for s in &input.services {
        if !out.iter().any(|a| a.name == s.area) {
            out.push(AreaDef { name: s.area.clone(), ..AreaDef::default() });
        }
    }
    out
}

fn total_row(
    roots: &[&ServiceDef],
    now: &HashMap<&str, Figures>,
    prev: Option<&HashMap<&str, Figures>>,
    per_user: &IndicatorDef,
) -> TotalRow {
    let sum = |figs: &HashMap<&str, Figures>| -> Figures {
        let picked: Vec<&Figures> = roots.iter().filter_map(|r| figs.get(r.code.as_str())).collect();
        Figures {
            measures: Measures::sum(picked.iter().map(|f| &f.measures)),
            budget: sum_present(picked.iter().map(|f| f.budget)),
            target: None,
        }
    };
    let current = sum(now);
    TotalRow {
        budget_per_user: evaluate(per_user, &current, None),
        measures: current.measures,
        budget: current.budget,
        previous: prev.map(|p| sum(p).measures),
    }
}

fn spending_section(input: &ReportInput, areas: &[AreaSection]) -> SpendingSection {
    if input.spending.is_empty() {
        return SpendingSection::default();
    }
    let mut sources = input.spending_sources.clone();
    for line in &input.spending {
        if !sources.contains(&line.source) {
            sources.push(line.source.clone());
        }
    }
    let mut area_names: Vec<String> = areas.iter().map(|a| a.name.clone()).collect();
    for line in &input.spending {
        if !area_names.contains(&line.area) {
            area_names.push(line.area.clone());
        }
    }
    let amount = |area: &str, source: &str| {
        sum_present(input.spending.iter().filter(|l| l.area == area && l.source == source).map(|l| Some(l.amount)))
    };
    let grand_total: Decimal = input.spending.iter().map(|l| l.amount).sum();
    let share = |part: Decimal| {
        let v = if grand_total.is_zero() {
            Value::Blank(crate::value::Blank::DivisionByZero("spesa totale".into()))
        } else {
            Value::Number(part * Decimal::from(100) / grand_total)
        };
        Shown::new(v, DisplayFormat::Percent(2))
    };
    let rows = area_names
        .iter()
        .filter_map(|area| {
            let by_source: Vec<Option<Decimal>> = sources.iter().map(|s| amount(area, s)).collect();
            let total = sum_present(by_source.iter().copied())?;
            let users = areas.iter().find(|a| &a.name == area).and_then(|a| a.total.measures.reach()).map(|(_, n)| n);
            let cost_per_user = match users {
                Some(u) => Value::Number(total / u),
                None => Value::Blank(crate::value::Blank::NotRecorded("utenti dell'area".into())),
            };
            Some(SpendingRow {
                area: area.clone(),
                by_source,
                total,
                share: share(total),
                users,
                cost_per_user: Shown::new(cost_per_user, DisplayFormat::Euro),
            })
        })
        .collect();
    let totals_by_source: Vec<Option<Decimal>> =
        sources.iter().map(|s| sum_present(input.spending.iter().filter(|l| &l.source == s).map(|l| Some(l.amount)))).collect();
    let source_shares = totals_by_source.iter().map(|t| share(t.unwrap_or_default())).collect();
    SpendingSection { sources, rows, totals_by_source, total: grand_total, source_shares }
}

/// The catalogue as a forest, restricted to services that have figures in the year (and their
/// ancestors, so a child never appears without its parent).
struct Tree<'a> {
    services: Vec<&'a ServiceDef>,
    children: HashMap<&'a str, Vec<&'a ServiceDef>>,
}

impl<'a> Tree<'a> {
    fn new(all: &'a [ServiceDef], figures: &HashMap<String, Figures>) -> Tree<'a> {
        let by_code: HashMap<&str, &ServiceDef> = all.iter().map(|s| (s.code.as_str(), s)).collect();
        let mut keep: Vec<&str> = Vec::new();
        for s in all.iter().filter(|s| figures.contains_key(&s.code)) {
            let mut cursor = Some(s);
            let mut guard = 0;
            while let Some(c) = cursor {
                if !keep.contains(&c.code.as_str()) {
                    keep.push(c.code.as_str());
                }
                guard += 1;
                cursor = c.parent.as_deref().and_then(|p| by_code.get(p).copied()).filter(|_| guard < all.len());
            }
        }
        let services: Vec<&ServiceDef> = all.iter().filter(|s| keep.contains(&s.code.as_str())).collect();
        let mut children: HashMap<&str, Vec<&ServiceDef>> = HashMap::new();
        for s in &services {
            if let Some(parent) = s.parent.as_deref().and_then(|p| by_code.get(p)).filter(|p| p.area == s.area) {
                children.entry(parent.code.as_str()).or_default().push(s);
            }
        }
        Tree { services, children }
    }

    fn is_root(&self, s: &ServiceDef) -> bool {
        !self.children.values().any(|kids| kids.iter().any(|k| k.code == s.code))
    }

    fn roots_in(&self, area: &str) -> Vec<&'a ServiceDef> {
        self.services.iter().copied().filter(|s| s.area == area && self.is_root(s)).collect()
    }

    fn walk(&self, s: &'a ServiceDef, depth: usize, f: &mut dyn FnMut(&'a ServiceDef, usize)) {
        f(s, depth);
        for kid in self.children.get(s.code.as_str()).into_iter().flatten() {
            self.walk(kid, depth + 1, f);
        }
    }

    /// Own figures where recorded, else the sum of the children's effective figures.
    fn effective(&self, figures: &HashMap<String, Figures>) -> HashMap<&'a str, Figures> {
        let mut out = HashMap::new();
        for s in &self.services {
            if self.is_root(s) {
                self.effective_of(s, figures, &mut out, 0);
            }
        }
        out
    }

    fn effective_of(
        &self,
        s: &'a ServiceDef,
        figures: &HashMap<String, Figures>,
        out: &mut HashMap<&'a str, Figures>,
        depth: usize,
    ) -> Option<Figures> {
        if depth > self.services.len() {
            return None;
        }
        let kids: Vec<Figures> = self
            .children
            .get(s.code.as_str())
            .into_iter()
            .flatten()
            .filter_map(|k| self.effective_of(k, figures, out, depth + 1))
            .collect();
        let own = figures.get(&s.code);
        if own.is_none() && kids.is_empty() {
            return None;
        }
        let own = own.cloned().unwrap_or_default();
        let mut eff = Figures { measures: own.measures, budget: own.budget, target: own.target };
        for m in Measure::ALL {
            if eff.measures.get(m).is_none() {
                eff.measures.set(m, sum_present(kids.iter().map(|k| k.measures.get(m))));
            }
        }
        if eff.budget.is_none() {
            eff.budget = sum_present(kids.iter().map(|k| k.budget));
        }
        out.insert(s.code.as_str(), eff.clone());
        Some(eff)
    }
}

#[cfg(test)]
mod tests;
