//! Delivery events of one Ambito: who is in care for each service with events, on which weekdays,
//! for how long, with which cooperative; then one row per person, service, day and provider,
//! streamed day by day in date and service order. Memory holds the persons in care, not the events.

use super::calendar::{self, DAYS};
use super::population::{Band, Bands};
use super::rng::Rng;
use std::io::{self, Write};

#[derive(Clone, Copy)]
enum Cal {
    /// Home care: all year, Monday to Saturday, thinner in August.
    Home,
    School,
    DayCentre,
    Training,
    /// Educational home care for minors: much thinner in August and at Christmas.
    Youth,
    /// Protected visits: thinner in August.
    Visits,
}

struct Spec {
    code: &'static str,
    band: Band,
    /// Persons in care per 1,000 residents of the band.
    per1000: f64,
    days_per_week: &'static [(u8, f64)],
    every_weeks: &'static [(u8, f64)],
    saturday: f64,
    /// Session length in quarter hours.
    quarters: (u8, u8),
    home: f64,
    cal: Cal,
    attendance: f64,
    /// In care since before 2025.
    carried: f64,
    /// Leaves during the year; `stay` is the median length in days of a stay that ends.
    ends: f64,
    stay: f64,
    /// Persons of other services who also use this one.
    reuse: &'static [(&'static str, f64)],
    providers: usize,
}

const WEEKLY: &[(u8, f64)] = &[(1, 1.0)];

/// In generation order (services that lend persons come first).
#[rustfmt::skip]
const SPECS: [Spec; 8] = [
    Spec { code: "AES", band: Band::School, per1000: 41.0, days_per_week: &[(5, 0.55), (4, 0.2), (3, 0.15), (2, 0.1)],
        every_weeks: WEEKLY, saturday: 0.04, quarters: (8, 20), home: 0.0, cal: Cal::School, attendance: 0.93, carried: 0.85,
        ends: 0.2, stay: 0.0, reuse: &[], providers: 2 },
    Spec { code: "CDD", band: Band::Age18to64, per1000: 1.6, days_per_week: &[(5, 0.85), (4, 0.1), (3, 0.05)],
        every_weeks: WEEKLY, saturday: 0.0, quarters: (28, 32), home: 0.0, cal: Cal::DayCentre, attendance: 0.9, carried: 0.92,
        ends: 0.06, stay: 120.0, reuse: &[], providers: 1 },
    Spec { code: "CSE", band: Band::Age18to64, per1000: 1.0, days_per_week: &[(5, 0.6), (4, 0.2), (3, 0.2)],
        every_weeks: WEEKLY, saturday: 0.0, quarters: (20, 24), home: 0.0, cal: Cal::DayCentre, attendance: 0.9, carried: 0.85,
        ends: 0.1, stay: 150.0, reuse: &[], providers: 1 },
    Spec { code: "SFA", band: Band::Age18to64, per1000: 0.8, days_per_week: &[(5, 0.2), (4, 0.3), (3, 0.3), (2, 0.2)],
        every_weeks: WEEKLY, saturday: 0.0, quarters: (12, 20), home: 0.0, cal: Cal::Training, attendance: 0.88, carried: 0.75,
        ends: 0.2, stay: 180.0, reuse: &[], providers: 1 },
    Spec { code: "SADH", band: Band::Age18to64, per1000: 2.0, days_per_week: &[(1, 0.3), (2, 0.35), (3, 0.25), (5, 0.1)],
        every_weeks: WEEKLY, saturday: 0.08, quarters: (4, 10), home: 0.95, cal: Cal::Home, attendance: 0.92, carried: 0.7,
        ends: 0.25, stay: 120.0, reuse: &[("CDD", 0.15), ("CSE", 0.15), ("SFA", 0.1)], providers: 2 },
    Spec { code: "TM_INC_PROT", band: Band::Minors, per1000: 8.5, days_per_week: &[(1, 1.0)],
        every_weeks: &[(1, 0.35), (2, 0.45), (4, 0.2)], saturday: 0.25, quarters: (4, 8), home: 0.03, cal: Cal::Visits,
        attendance: 0.85, carried: 0.6, ends: 0.35, stay: 150.0, reuse: &[], providers: 1 },
    Spec { code: "ADM", band: Band::Minors, per1000: 15.0, days_per_week: &[(1, 0.45), (2, 0.4), (3, 0.15)],
        every_weeks: WEEKLY, saturday: 0.05, quarters: (6, 12), home: 0.82, cal: Cal::Youth, attendance: 0.88, carried: 0.6,
        ends: 0.35, stay: 150.0, reuse: &[("AES", 0.12), ("TM_INC_PROT", 0.3)], providers: 2 },
    Spec { code: "SAD", band: Band::Over75, per1000: 62.0, days_per_week: &[(1, 0.12), (2, 0.2), (3, 0.23), (5, 0.28), (6, 0.17)],
        every_weeks: WEEKLY, saturday: 0.05, quarters: (3, 8), home: 0.97, cal: Cal::Home, attendance: 0.93, carried: 0.6,
        ends: 0.35, stay: 90.0, reuse: &[], providers: 3 },
];

#[rustfmt::skip]
const COOPERATIVES: [&str; 24] = [
    "Coop. Sociale Il Sorriso", "Coop. Sociale La Fenice", "Coop. Sociale Il Girasole", "Coop. Sociale L'Arcobaleno",
    "Coop. Sociale Il Mosaico", "Coop. Sociale La Goccia", "Coop. Sociale Progetto Persona", "Coop. Sociale Il Cerchio",
    "Coop. Sociale Solidarietà e Servizi", "Coop. Sociale La Bottega", "Coop. Sociale Itaca", "Coop. Sociale Il Melograno",
    "Coop. Sociale La Ruota", "Coop. Sociale Il Sentiero", "Coop. Sociale Il Quadrifoglio", "Coop. Sociale L'Aquilone",
    "Coop. Sociale La Sorgente", "Coop. Sociale Il Ponte", "Coop. Sociale Lavoro e Solidarietà", "Coop. Sociale Famiglia Nuova",
    "Coop. Sociale Il Seme", "Coop. Sociale La Tenda", "Consorzio Sol.Co. Coop. Sociale", "Coop. Sociale Insieme",
];

/// What the events of one service add up to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub persons: u64,
    /// Hundredths of an hour.
    pub hours: u64,
    pub events: u64,
    pub home_visits: u64,
}

struct Plan {
    /// Index into the code-sorted services, then the person: the order rows are written in.
    svc: usize,
    spec: usize,
    person: u32,
    /// `;SAD;910001;AMB001-P000123;`
    prefix: String,
    start: u16,
    end: u16,
    weekdays: u8,
    every: u16,
    phase: u16,
    quarters: u8,
    infanzia: bool,
    provider: usize,
    /// From this day on, `provider2` (a change of cooperative during the year).
    switch: u16,
    provider2: usize,
    seen: bool,
}

fn pick(rng: &mut Rng, table: &[(u8, f64)]) -> u8 {
    let w: Vec<f64> = table.iter().map(|x| x.1).collect();
    table[rng.weighted(&w)].0
}

/// Streams the deliveries of one Ambito; returns the totals per service, in code order.
pub fn write(
    out: &mut impl Write,
    ambito: &str,
    comuni: &[(&str, Bands)],
    rng: &mut Rng,
    coverage: f64,
    mut day_done: impl FnMut(),
) -> io::Result<Vec<(&'static str, Stats)>> {
    let mut codes: Vec<&'static str> = SPECS.iter().map(|s| s.code).collect();
    codes.sort_unstable();
    let mut coops: Vec<usize> = (0..COOPERATIVES.len()).collect();
    rng.shuffle(&mut coops);
    coops.truncate(2 + rng.below(3) as usize);
    let cumulative = |band: Band| {
        let k = Band::ALL.iter().position(|b| *b == band).unwrap_or(0);
        comuni
            .iter()
            .scan(0u64, |acc, c| {
                *acc += c.1[k];
                Some(*acc)
            })
            .collect::<Vec<u64>>()
    };
    let mut person_comune: Vec<usize> = Vec::new();
    let mut pools: Vec<Vec<u32>> = vec![Vec::new(); SPECS.len()];
    let mut plans: Vec<Plan> = Vec::new();
    for (si, spec) in SPECS.iter().enumerate() {
        let cum = cumulative(spec.band);
        let base = *cum.last().unwrap_or(&0) as f64;
        let n = (base * spec.per1000 / 1000.0 * coverage * rng.jitter(0.1)).round() as usize;
        let first = rng.below(coops.len() as u64) as usize;
        let providers: Vec<&str> = (0..spec.providers.min(coops.len())).map(|k| COOPERATIVES[coops[(first + k) % coops.len()]]).collect();
        let provider_weights: Vec<f64> =
            (0..providers.len()).map(|k| if k == 0 { 0.55 } else { 0.45 / (providers.len() - 1) as f64 }).collect();
        let mut taken = std::collections::BTreeSet::new();
        for _ in 0..n {
            let mut person = None;
            for (other, p) in spec.reuse {
                let pool = &pools[SPECS.iter().position(|s| s.code == *other).unwrap_or(0)];
                if !pool.is_empty() && rng.chance(*p) {
                    let cand = pool[rng.below(pool.len() as u64) as usize];
                    if taken.insert(cand) {
                        person = Some(cand);
                    }
                    break;
                }
            }
            let person = person.unwrap_or_else(|| {
                person_comune.push(rng.cumulative(&cum));
                let id = person_comune.len() as u32;
                taken.insert(id);
                id
            });
            pools[si].push(person);
            let school = matches!(spec.cal, Cal::School);
            let carried = rng.chance(spec.carried);
            let start = if carried {
                0
            } else if school && rng.chance(0.75) {
                calendar::day(9, 12)
            } else {
                rng.below(u64::from(DAYS - 20)) as u16
            };
            let end = if school {
                if carried && rng.chance(spec.ends) { calendar::day(6, 7) } else { DAYS }
            } else if rng.chance(spec.ends) {
                (f64::from(start) + 7.0 + rng.lognormal(spec.stay, 0.8)).min(f64::from(DAYS)) as u16
            } else {
                DAYS
            };
            let k = pick(rng, spec.days_per_week);
            let weekdays = if k >= 6 {
                0b11_1111
            } else {
                let mut days = [0u8, 1, 2, 3, 4];
                rng.shuffle(&mut days);
                if rng.chance(spec.saturday) {
                    days[0] = 5;
                }
                days[..usize::from(k)].iter().fold(0u8, |m, d| m | (1 << d))
            };
            let every = u16::from(pick(rng, spec.every_weeks));
            let (lo, hi) = spec.quarters;
            let mut quarters = rng.between(i64::from(lo), i64::from(hi)) as u8;
            if rng.chance(0.8) {
                quarters = (quarters / 2 * 2).max(2);
            }
            let provider = rng.weighted(&provider_weights);
            let (switch, provider2) = if providers.len() > 1 && end > start + 30 && rng.chance(0.04) {
                (start + 15 + rng.below(u64::from(end - start - 15)) as u16, (provider + 1) % providers.len())
            } else {
                (DAYS, provider)
            };
            let svc = codes.iter().position(|c| *c == spec.code).unwrap_or(0);
            let comune = comuni[person_comune[person as usize - 1]].0;
            plans.push(Plan {
                svc,
                spec: si,
                person,
                prefix: format!(";{};{comune};{ambito}-P{person:06};", spec.code),
                start,
                end,
                weekdays,
                every,
                phase: rng.below(u64::from(every)) as u16,
                quarters,
                infanzia: school && rng.chance(0.2),
                provider: provider_index(&providers, provider),
                switch,
                provider2: provider_index(&providers, provider2),
                seen: false,
            });
        }
    }
    plans.sort_by_key(|p| (p.svc, p.person));
    let hours: Vec<String> = (0..=32).map(|q| format!("{},{:02}", q / 4, q % 4 * 25)).collect();
    let mut stats = vec![Stats::default(); codes.len()];
    for d in 0..DAYS {
        let (wd, wk) = (calendar::weekday(d), calendar::week(d));
        if wd == 6 {
            day_done();
            continue;
        }
        let date = calendar::iso(d);
        for p in plans.iter_mut() {
            if d < p.start || d >= p.end || p.weekdays & (1 << wd) == 0 || (wk + p.phase) % p.every != 0 {
                continue;
            }
            let spec = &SPECS[p.spec];
            let Some(factor) = open(spec.cal, d, p) else { continue };
            if !rng.chance(spec.attendance * factor) {
                continue;
            }
            let r = rng.f64();
            let q = if r < 0.08 {
                p.quarters.saturating_sub(2).max(2)
            } else if r < 0.12 {
                (p.quarters + 2).min(32)
            } else {
                p.quarters
            };
            let home = rng.chance(spec.home);
            let provider = if d >= p.switch { p.provider2 } else { p.provider };
            out.write_all(date.as_bytes())?;
            out.write_all(p.prefix.as_bytes())?;
            out.write_all(hours[usize::from(q)].as_bytes())?;
            out.write_all(if home { b";si;" } else { b";no;" })?;
            out.write_all(COOPERATIVES[provider].as_bytes())?;
            out.write_all(b"\n")?;
            let s = &mut stats[p.svc];
            s.events += 1;
            s.hours += u64::from(q) * 25;
            s.home_visits += u64::from(home);
            if !p.seen {
                p.seen = true;
                s.persons += 1;
            }
        }
        day_done();
    }
    Ok(codes.into_iter().zip(stats).collect())
}

fn provider_index(providers: &[&str], k: usize) -> usize {
    COOPERATIVES.iter().position(|c| *c == providers[k]).unwrap_or(0)
}

/// Whether the service runs that day for this person, and how likely a session is then.
fn open(cal: Cal, d: u16, p: &Plan) -> Option<f64> {
    let factor = |august: f64, christmas: f64| {
        if calendar::august(d) {
            august
        } else if calendar::christmas(d) {
            christmas
        } else {
            1.0
        }
    };
    let open = match cal {
        Cal::Home => !calendar::holiday(d) || p.weekdays == 0b11_1111,
        Cal::School => calendar::school(d, p.infanzia),
        Cal::DayCentre => calendar::day_centre(d),
        Cal::Training => calendar::training(d),
        Cal::Youth | Cal::Visits => !calendar::holiday(d),
    };
    let f = match cal {
        Cal::Home => factor(0.85, 0.9),
        Cal::Youth => factor(0.35, 0.5),
        Cal::Visits => factor(0.5, 0.6),
        _ => 1.0,
    };
    open.then_some(f)
}
