//! Resident population on 1 January 2025 by single year of age and sex, per Comune. Each pyramid is
//! the births of each cohort (baby boom 1960-1972, low fertility since 1980) times a Gompertz
//! survivorship by sex, shaped by working-age immigration and by how old the Comune is (small
//! mountain Comuni are older), with Poisson-like noise.

use super::rng::{Rng, exp, ln};

pub const YEAR: i64 = 2025;
pub const AGES: usize = 101;

/// Age bands that services and target populations draw on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Band {
    Total,
    Minors,
    School,
    Age15to64,
    Age18to64,
    Over65,
    Over75,
    Age6to13,
}

impl Band {
    pub const ALL: [Band; 8] =
        [Band::Total, Band::Minors, Band::School, Band::Age15to64, Band::Age18to64, Band::Over65, Band::Over75, Band::Age6to13];

    pub fn ages(self) -> (usize, usize) {
        match self {
            Band::Total => (0, 100),
            Band::Minors => (0, 17),
            Band::School => (3, 18),
            Band::Age15to64 => (15, 64),
            Band::Age18to64 => (18, 64),
            Band::Over65 => (65, 100),
            Band::Over75 => (75, 100),
            Band::Age6to13 => (6, 13),
        }
    }
}

/// Residents per band.
pub type Bands = [u64; 8];

pub struct Pyramid {
    pub males: [u32; AGES],
    pub females: [u32; AGES],
}

impl Pyramid {
    pub fn bands(&self) -> Bands {
        let mut out = [0; 8];
        for (k, band) in Band::ALL.iter().enumerate() {
            let (lo, hi) = band.ages();
            out[k] = (lo..=hi).map(|a| u64::from(self.males[a] + self.females[a])).sum();
        }
        out
    }
}

const BIRTH_KNOTS: [(f64, f64); 21] = [
    (1900.0, 0.72),
    (1915.0, 0.74),
    (1925.0, 0.90),
    (1935.0, 0.92),
    (1945.0, 0.86),
    (1950.0, 0.98),
    (1955.0, 1.04),
    (1960.0, 1.18),
    (1964.0, 1.32),
    (1970.0, 1.26),
    (1975.0, 1.06),
    (1980.0, 0.88),
    (1985.0, 0.80),
    (1990.0, 0.80),
    (1995.0, 0.76),
    (2000.0, 0.80),
    (2005.0, 0.84),
    (2010.0, 0.82),
    (2014.0, 0.72),
    (2018.0, 0.62),
    (2024.0, 0.55),
];

fn births(year: f64) -> f64 {
    if year <= BIRTH_KNOTS[0].0 {
        return BIRTH_KNOTS[0].1;
    }
    for w in BIRTH_KNOTS.windows(2) {
        let ((y0, v0), (y1, v1)) = (w[0], w[1]);
        if year <= y1 {
            return v0 + (v1 - v0) * (year - y0) / (y1 - y0);
        }
    }
    BIRTH_KNOTS[BIRTH_KNOTS.len() - 1].1
}

/// One-year death probability, Gompertz-Makeham (period table around 2023).
fn death(age: usize, male: bool) -> f64 {
    if age == 0 {
        return 0.0025;
    }
    let (h80, beta) = if male { (0.050, 0.115) } else { (0.027, 0.138) };
    (0.0002 + h80 * exp(beta * (age as f64 - 80.0))).min(0.7)
}

/// The national shape: births of each cohort times survivorship, by sex (males first).
pub struct Shape([[f64; AGES]; 2]);

impl Shape {
    pub fn new() -> Shape {
        let mut out = [[0.0; AGES]; 2];
        for (s, male) in [true, false].into_iter().enumerate() {
            let share = if male { 0.514 } else { 0.486 };
            let mut alive = 1.0;
            for age in 0..125 {
                let v = share * births((YEAR - 1) as f64 - age as f64) * alive;
                out[s][age.min(100)] += v;
                alive *= 1.0 - death(age, male);
            }
        }
        Shape(out)
    }

    /// A Comune of about `size` residents; `old` > 0 ages it, `foreign` adds young families.
    pub fn draw(&self, rng: &mut Rng, size: u32, old: f64, foreign: f64) -> Pyramid {
        let weight = |a: usize, base: f64| {
            let x = a as f64;
            let work = (x - 36.0) / 11.0;
            let mut v = base * (1.0 + (0.08 + foreign) * exp(-work * work));
            if a < 15 {
                v *= 1.0 + 0.6 * foreign;
            }
            v * (1.0 + old * ((x - 40.0) / 40.0).clamp(-1.0, 1.5))
        };
        let e: [[f64; AGES]; 2] = std::array::from_fn(|s| std::array::from_fn(|a| weight(a, self.0[s][a])));
        let k = f64::from(size) / e.iter().flatten().sum::<f64>();
        let mut counts = |row: &[f64; AGES]| {
            let mut out = [0; AGES];
            for (n, v) in out.iter_mut().zip(row) {
                let v = v * k;
                *n = (v + 0.5 * (v + 0.25).sqrt() * rng.normal()).round().max(0.0) as u32;
            }
            out
        };
        let males = counts(&e[0]);
        Pyramid { males, females: counts(&e[1]) }
    }
}

/// Comune-level ageing and immigration from its size: small Comuni are older, towns younger.
pub fn profile(rng: &mut Rng, size: u32) -> (f64, f64) {
    let l = ln(f64::from(size.max(1)) / 3000.0) / std::f64::consts::LN_10;
    let old = (-0.01 - 0.04 * l + 0.06 * rng.normal()).clamp(-0.25, 0.40);
    let foreign = (0.06 + 0.03 * l + 0.03 * rng.normal()).clamp(0.0, 0.25);
    (old, foreign)
}
