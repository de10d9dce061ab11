//! The synthetic territory: Regione Lombardia, its ATS, Distretti, Ambiti and Comuni. Comune names
//! are invented from Lombard place-name parts; ISTAT codes are `9` + ATS digit + 4 digits, given in
//! alphabetical order within the ATS as ISTAT does within a province, and never clash with real ones.

use super::Scale;
use super::rng::Rng;
use std::collections::BTreeSet;

pub struct Comune {
    pub code: String,
    pub name: String,
    /// Expected residents; the pyramid draws around it.
    pub size: u32,
}

pub struct Ambito {
    pub code: String,
    pub name: String,
    pub distretto: usize,
    /// Indices into `Territory::comuni`, by ISTAT code.
    pub comuni: Vec<usize>,
}

pub struct Distretto {
    pub code: String,
    pub name: String,
    pub ats: usize,
}

pub struct Territory {
    pub ats: Vec<(&'static str, &'static str)>,
    pub distretti: Vec<Distretto>,
    pub ambiti: Vec<Ambito>,
    pub comuni: Vec<Comune>,
}

struct AtsPlan {
    code: &'static str,
    name: &'static str,
    residents: u32,
    comuni: usize,
    ambiti: usize,
    distretti: usize,
    /// Capoluoghi and large towns, each at the head of its own Ambito.
    towns: &'static [u32],
    /// Local flavour for qualified names (`… al Serio`).
    qualifiers: &'static [&'static str],
}

const BG_QUAL: &[&str] = &[" al Serio", " Bergamasco", " Brembo", " di Scalve", " d'Adda"];

fn plans(scale: Scale) -> Vec<AtsPlan> {
    let bg = |residents, comuni, ambiti, towns| AtsPlan {
        code: "ATS_BG",
        name: "ATS di Bergamo",
        residents,
        comuni,
        ambiti,
        distretti: 1,
        towns,
        qualifiers: BG_QUAL,
    };
    match scale {
        Scale::Small => vec![bg(60_000, 20, 2, &[])],
        Scale::Ambito => vec![bg(120_000, 15, 1, &[34_000])],
        Scale::Region => vec![
            AtsPlan {
                code: "ATS_MI",
                name: "ATS della Città Metropolitana di Milano",
                residents: 3_450_000,
                comuni: 193,
                ambiti: 19,
                distretti: 6,
                towns: &[1_360_000, 81_000, 75_000, 60_000, 51_000, 45_000],
                qualifiers: &[" sul Naviglio", " d'Adda", " Milanese", " Lodigiano", " Olona"],
            },
            AtsPlan {
                code: "ATS_INS",
                name: "ATS dell'Insubria",
                residents: 1_450_000,
                comuni: 252,
                ambiti: 16,
                distretti: 4,
                towns: &[83_000, 80_000, 70_000, 54_000, 36_000, 35_000],
                qualifiers: &[" Olona", " Comasco", " al Lago", " Varesino", " Lario"],
            },
            AtsPlan {
                code: "ATS_MON",
                name: "ATS della Montagna",
                residents: 310_000,
                comuni: 148,
                ambiti: 6,
                distretti: 3,
                towns: &[21_500, 13_000],
                qualifiers: &[" in Valtellina", " Camuno", " di Sopra", " di Sotto", " Valchiavenna"],
            },
            AtsPlan {
                code: "ATS_BRI",
                name: "ATS della Brianza",
                residents: 1_200_000,
                comuni: 139,
                ambiti: 8,
                distretti: 2,
                towns: &[123_000, 48_000, 45_000, 40_000],
                qualifiers: &[" Brianza", " in Brianza", " Lecchese", " Lambro"],
            },
            bg_region(),
            AtsPlan {
                code: "ATS_BS",
                name: "ATS di Brescia",
                residents: 1_160_000,
                comuni: 164,
                ambiti: 10,
                distretti: 3,
                towns: &[198_000, 24_000, 23_000],
                qualifiers: &[" Bresciano", " sul Garda", " Mella", " Franciacorta"],
            },
            AtsPlan {
                code: "ATS_VP",
                name: "ATS della Val Padana",
                residents: 750_000,
                comuni: 177,
                ambiti: 10,
                distretti: 2,
                towns: &[71_000, 49_000, 34_000],
                qualifiers: &[" sul Po", " Cremonese", " Mantovano", " Oglio"],
            },
            AtsPlan {
                code: "ATS_PV",
                name: "ATS di Pavia",
                residents: 530_000,
                comuni: 185,
                ambiti: 8,
                distretti: 2,
                towns: &[71_000, 63_000, 23_000],
                qualifiers: &[" Lomellina", " Pavese", " Po", " Ticino"],
            },
        ],
    }
}

fn bg_region() -> AtsPlan {
    AtsPlan {
        code: "ATS_BG",
        name: "ATS di Bergamo",
        residents: 1_110_000,
        comuni: 243,
        ambiti: 14,
        distretti: 3,
        towns: &[120_000, 36_000, 25_000],
        qualifiers: BG_QUAL,
    }
}

const ROOTS: &[&str] = &[
    "Alb", "Arc", "Bern", "Bol", "Bon", "Bregn", "Brem", "Buscon", "Cald", "Calv", "Camp", "Carn", "Casn", "Cast", "Cern", "Cin", "Cisl",
    "Cod", "Cogn", "Corn", "Cur", "Dorn", "Fagn", "Fen", "Gald", "Garb", "Gorl", "Gud", "Lav", "Lurn", "Magn", "Mal", "Marn", "Merl",
    "Mozz", "Nerv", "Org", "Ospit", "Pag", "Pall", "Pern", "Pusc", "Ran", "Rov", "Sald", "Sarn", "Scanz", "Sen", "Sorn", "Tern", "Trez",
    "Urg", "Vald", "Vedr", "Vigan", "Vill", "Zan", "Zog",
];
const SUFFIXES: &[&str] = &["ate", "ago", "engo", "asco", "ano", "one", "ello", "ino", "ezzo", "iate", "ola", "eno", "orio", "uzzo"];
const PREFIXES: &[&str] = &["Castel", "Villa ", "Borgo ", "Ponte ", "Monte", "Torre "];
const SAINTS: &[&str] = &[
    "San Giorgio",
    "San Martino",
    "Sant'Angelo",
    "San Pietro",
    "San Zenone",
    "San Colombano",
    "San Paolo",
    "San Rocco",
    "San Bassano",
    "Santa Cristina",
    "San Fermo",
    "San Giovanni",
    "San Vittore",
];

fn place_name(rng: &mut Rng, qualifiers: &[&'static str]) -> String {
    let pick = |rng: &mut Rng, list: &[&'static str]| list[rng.below(list.len() as u64) as usize];
    let base = format!("{}{}", pick(rng, ROOTS), pick(rng, SUFFIXES));
    let r = rng.f64();
    if r < 0.06 {
        let saint = pick(rng, SAINTS);
        if rng.chance(0.5) { format!("{saint}{}", pick(rng, qualifiers)) } else { format!("{saint} di {base}") }
    } else if r < 0.14 {
        let prefix = pick(rng, PREFIXES);
        if prefix.ends_with(' ') { format!("{prefix}{base}") } else { format!("{prefix}{}", base.to_lowercase()) }
    } else if r < 0.32 {
        format!("{base}{}", pick(rng, qualifiers))
    } else {
        base
    }
}

/// Splits `n` items into `parts` groups of random, unequal sizes (each at least `min`).
fn split_counts(rng: &mut Rng, n: usize, parts: usize, min: usize) -> Vec<usize> {
    let weights: Vec<f64> = (0..parts).map(|_| rng.lognormal(1.0, 0.45)).collect();
    let total: f64 = weights.iter().sum();
    let spare = n.saturating_sub(min * parts);
    let mut counts: Vec<usize> = weights.iter().map(|w| min + (spare as f64 * w / total) as usize).collect();
    let mut k = 0;
    while counts.iter().sum::<usize>() < n {
        counts[k % parts] += 1;
        k += 1;
    }
    counts
}

pub fn build(scale: Scale, seed: u64) -> Territory {
    let mut rng = Rng::new(seed, 1);
    let mut t = Territory { ats: vec![], distretti: vec![], ambiti: vec![], comuni: vec![] };
    let mut names = BTreeSet::new();
    for (ats_index, plan) in plans(scale).iter().enumerate() {
        t.ats.push((plan.code, plan.name));
        // Comune sizes: the listed towns, then a heavy-tailed rest scaled to the ATS's residents.
        let rest = plan.comuni - plan.towns.len();
        let raw: Vec<f64> = (0..rest).map(|_| rng.lognormal(1.0, 1.05)).collect();
        let target = (plan.residents - plan.towns.iter().sum::<u32>()) as f64;
        let k = target / raw.iter().sum::<f64>();
        let mut sizes: Vec<u32> = plan.towns.to_vec();
        sizes.extend(raw.iter().map(|r| ((r * k) as u32).max(45)));
        let mut local: Vec<(String, u32)> = sizes
            .into_iter()
            .map(|size| {
                loop {
                    let name = place_name(&mut rng, plan.qualifiers);
                    if names.insert(name.clone()) {
                        break (name, size);
                    }
                }
            })
            .collect();
        // Ambiti: each town heads one; the metropolis stands alone; the rest are dealt out.
        let towns = plan.towns.len().min(plan.ambiti);
        let mut members: Vec<Vec<usize>> = (0..plan.ambiti).map(|a| if a < towns { vec![a] } else { vec![] }).collect();
        let open: Vec<usize> = (0..plan.ambiti).filter(|a| plan.towns.get(*a).is_none_or(|s| *s < 500_000)).collect();
        let mut others: Vec<usize> = (towns..local.len()).collect();
        rng.shuffle(&mut others);
        let counts = split_counts(&mut rng, others.len(), open.len(), 1);
        let mut next = others.into_iter();
        for (i, a) in open.iter().enumerate() {
            members[*a].extend(next.by_ref().take(counts[i]));
        }
        // ISTAT codes in alphabetical order within the ATS.
        let mut order: Vec<usize> = (0..local.len()).collect();
        order.sort_by(|a, b| local[*a].0.cmp(&local[*b].0));
        let mut code_of = vec![String::new(); local.len()];
        for (rank, i) in order.iter().enumerate() {
            code_of[*i] = format!("9{}{:04}", ats_index + 1, rank + 1);
        }
        // Distretti: consecutive runs of Ambiti.
        let first_ambito = t.ambiti.len();
        let per = split_counts(&mut rng, plan.ambiti, plan.distretti, 1);
        let mut a = 0;
        for n in per {
            let d = t.distretti.len();
            let mut biggest = (0, String::new());
            for m in &members[a..a + n] {
                for i in m {
                    if local[*i].1 > biggest.0 {
                        biggest = (local[*i].1, local[*i].0.clone());
                    }
                }
            }
            t.distretti.push(Distretto { code: format!("DST{:02}", d + 1), name: format!("Distretto di {}", biggest.1), ats: ats_index });
            for m in &members[a..a + n] {
                let mut comuni = Vec::new();
                for i in m {
                    comuni.push(t.comuni.len());
                    t.comuni.push(Comune { code: code_of[*i].clone(), name: std::mem::take(&mut local[*i].0), size: local[*i].1 });
                }
                comuni.sort_by(|x, y| t.comuni[*x].code.cmp(&t.comuni[*y].code));
                let head = comuni.iter().max_by_key(|c| (t.comuni[**c].size, std::cmp::Reverse(t.comuni[**c].code.clone()))).copied();
                let head = head.map(|c| t.comuni[c].name.clone()).unwrap_or_default();
                t.ambiti.push(Ambito {
                    code: format!("AMB{:03}", t.ambiti.len() + 1),
                    name: format!("Ambito territoriale di {head}"),
                    distretto: d,
                    comuni,
                });
            }
            a += n;
        }
        debug_assert_eq!(t.ambiti.len() - first_ambito, plan.ambiti);
    }
    t
}
