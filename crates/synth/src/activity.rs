//! The activity file (one row per service) and the budget file (committed and allocated amounts per
//! funding source) of one Ambito. Services with delivery events leave users, hours and home visits
//! blank (the events provide them) but carry a budget priced on those events.

use super::catalogue::{CATALOGUE, Cost, Fig, M, Target};
use super::deliveries::Stats;
use super::population::{Band, Bands};
use super::rng::Rng;
use super::{dec2, lines};
use std::io::{self, Write};

pub const ACTIVITY_HEADER: &str = "anno;area;codice_servizio;servizio;codice_padre;utenti_in_carico;domande_pervenute;beneficiari;\
                                   ore_erogate;accessi;visite_domiciliari;indicatore;popolazione_target;budget";
pub const BUDGET_HEADER: &str = "anno;codice_servizio;fase;fonte;importo";

/// One service's yearly figures: counts, hours in hundredths, budget in cents (`Some(0)` is `-`).
#[derive(Clone, Debug, Default)]
pub struct Row {
    pub figures: [Option<i64>; 6],
    pub budget: Option<i64>,
}

fn band(bands: &Bands, b: Band) -> f64 {
    bands[Band::ALL.iter().position(|x| *x == b).unwrap_or(0)] as f64
}

/// The figures of every catalogue service, in catalogue order.
pub fn figures(bands: &Bands, stats: &[(&str, Stats)], rng: &mut Rng) -> Vec<Row> {
    let stat = |code: &str| stats.iter().find(|s| s.0 == code).map(|s| s.1);
    let mut rows: Vec<Row> = Vec::new();
    for s in &CATALOGUE {
        let mut f = [None; 6];
        let st = stat(s.code);
        if let Some(st) = st {
            f[M::Utenti as usize] = Some(st.persons as i64);
            f[M::Ore as usize] = Some(st.hours as i64);
            f[M::Visite as usize] = Some(st.home_visits as i64);
            if matches!(s.cost, Some(Cost::Presence(_))) {
                f[M::Accessi as usize] = Some(st.events as i64);
            }
        }
        // A child of a service with events cannot have more users than it.
        let cap = s.parent.and_then(stat).map(|p| p.persons as i64).filter(|c| *c > 0);
        for (m, fig) in s.figs {
            let hours = *m == M::Ore;
            let v = match fig {
                Fig::Pop(b, per1000) => band(bands, *b) * per1000 / 1000.0 * rng.jitter(0.12),
                Fig::Per(of, ratio) => f[*of as usize].unwrap_or(0) as f64 * ratio * rng.jitter(0.08),
            };
            let mut v = if hours { (v * 2.0).round() as i64 * 50 } else { (v.round() as i64).max(1) };
            if *m == M::Utenti
                && let Some(c) = cap
            {
                v = v.min(c);
            }
            f[*m as usize] = Some(v);
        }
        let units = |m: M| f[m as usize].unwrap_or(0) as f64 / if m == M::Ore { 100.0 } else { 1.0 };
        let eur = match s.cost {
            None | Some(Cost::Unknown) => None,
            Some(Cost::Zero) => Some(0.0),
            Some(Cost::Per(m, price)) => Some(units(m) * price * rng.jitter(0.06)),
            Some(Cost::Hour(price)) => Some(st.map_or(0, |x| x.hours) as f64 / 100.0 * price * rng.jitter(0.04)),
            Some(Cost::Presence(price)) => Some(st.map_or(0, |x| x.events) as f64 * price * rng.jitter(0.04)),
            Some(Cost::Fixed(base, per_resident)) => Some((base + per_resident * band(bands, Band::Total)) * rng.jitter(0.05)),
        };
        rows.push(Row { figures: f, budget: eur.map(|e| (e * 100.0).round() as i64) });
    }
    // Inclusive parents (SAD, TM, TM_AFFIDI) also count their children; children come later.
    for i in (0..CATALOGUE.len()).rev() {
        let Some(p) = CATALOGUE[i].parent.and_then(|p| CATALOGUE.iter().position(|s| s.code == p)) else { continue };
        if !CATALOGUE[p].inclusive {
            continue;
        }
        let child = rows[i].clone();
        let parent = &mut rows[p];
        for (k, v) in child.figures.iter().enumerate() {
            if let Some(v) = v {
                parent.figures[k] = Some(parent.figures[k].unwrap_or(0) + v);
            }
        }
        if let (Some(pb), Some(cb)) = (parent.budget.as_mut(), child.budget) {
            *pb += cb;
        }
    }
    rows
}

pub fn write_activity(out: &mut impl Write, rows: &[Row], capoluogo_target: &str) -> io::Result<()> {
    lines(out, ACTIVITY_HEADER)?;
    for (s, r) in CATALOGUE.iter().zip(rows) {
        let cell = |m: M| {
            let blank = s.events && matches!(m, M::Utenti | M::Ore | M::Visite);
            match r.figures[m as usize] {
                Some(v) if !blank => {
                    if m == M::Ore {
                        dec2(v)
                    } else {
                        v.to_string()
                    }
                }
                _ => String::new(),
            }
        };
        let target = match s.target {
            Target::None => "",
            Target::Named(n) => n,
            Target::Capoluogo => capoluogo_target,
        };
        let budget = match r.budget {
            None => String::new(),
            Some(0) => "-".into(),
            Some(c) => dec2(c),
        };
        writeln!(
            out,
            "{};{};{};{};{};{};{};{};{};{};{};{};{};{}",
            super::population::YEAR,
            s.area,
            s.code,
            s.name,
            s.parent.unwrap_or(""),
            cell(M::Utenti),
            cell(M::Domande),
            cell(M::Beneficiari),
            cell(M::Ore),
            cell(M::Accessi),
            cell(M::Visite),
            s.indicator.unwrap_or(""),
            target,
            budget
        )?;
    }
    Ok(())
}

/// Committed (`impegnato`) amounts add up to the activity budget to the cent; the allocation
/// (`stanziato`) is a little higher.
pub fn write_budgets(out: &mut impl Write, rows: &[Row], rng: &mut Rng) -> io::Result<()> {
    lines(out, BUDGET_HEADER)?;
    for (s, r) in CATALOGUE.iter().zip(rows) {
        let Some(total) = r.budget.filter(|b| *b > 0) else { continue };
        if s.sources.is_empty() {
            continue;
        }
        let shares: Vec<f64> = s.sources.iter().map(|(_, w)| w * rng.jitter(0.1)).collect();
        let sum: f64 = shares.iter().sum();
        let mut committed: Vec<i64> = shares.iter().map(|w| (total as f64 * w / sum).floor() as i64).collect();
        let last = committed.len() - 1;
        committed[last] = total - committed[..last].iter().sum::<i64>();
        let allocated: Vec<i64> = committed.iter().map(|c| (*c as f64 * (1.005 + 0.055 * rng.f64())).round() as i64).collect();
        for (phase, amounts) in [("stanziato", &allocated), ("impegnato", &committed)] {
            for ((source, _), amount) in s.sources.iter().zip(amounts.iter()) {
                if *amount > 0 {
                    writeln!(out, "{};{};{phase};{source};{}", super::population::YEAR, s.code, dec2(*amount))?;
                }
            }
        }
    }
    Ok(())
}
