//! Deterministic randomness. A ChaCha8 stream per part of the data set, and distributions written
//! with `+ - * /` and `sqrt` only (IEEE 754 rounds those exactly), so that one seed gives the same
//! bytes on every platform; `f64::exp` and `f64::ln` call the platform's libm and may differ.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub struct Rng(ChaCha8Rng);

impl Rng {
    /// Stream `stream` of `seed`: parts of the data set draw from independent streams, so adding a
    /// Comune or an Ambito does not shift the numbers of the others.
    pub fn new(seed: u64, stream: u64) -> Rng {
        let mut r = ChaCha8Rng::seed_from_u64(seed);
        r.set_stream(stream);
        Rng(r)
    }

    /// Uniform in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [0, n); `n` > 0.
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.0.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in [lo, hi].
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// Standard normal (Marsaglia's polar method).
    pub fn normal(&mut self) -> f64 {
        loop {
            let u = 2.0 * self.f64() - 1.0;
            let v = 2.0 * self.f64() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                return u * (-2.0 * ln(s) / s).sqrt();
            }
        }
    }

    /// Log-normal with the given median and log-scale spread.
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * exp(sigma * self.normal())
    }

    /// A multiplicative noise factor around 1.
    pub fn jitter(&mut self, sigma: f64) -> f64 {
        self.lognormal(1.0, sigma)
    }

    /// Index drawn with probability proportional to `weights`.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut r = self.f64() * total;
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        weights.len() - 1
    }

    /// Index drawn from a cumulative weight table (last element = total).
    pub fn cumulative(&mut self, cum: &[u64]) -> usize {
        let total = *cum.last().unwrap_or(&0);
        if total == 0 {
            return 0;
        }
        let r = self.below(total);
        cum.partition_point(|c| *c <= r)
    }

    /// Fisher-Yates.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
}

const LN2: f64 = std::f64::consts::LN_2;

/// e^x by range reduction and a Taylor polynomial (relative error < 1e-15).
pub fn exp(x: f64) -> f64 {
    let x = x.clamp(-700.0, 700.0);
    let k = (x / LN2).round();
    let r = x - k * LN2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..=16 {
        term = term * r / n as f64;
        sum += term;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// Natural logarithm of a positive normal number, by the atanh series.
pub fn ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | (1023u64 << 52));
    if m > std::f64::consts::SQRT_2 {
        m /= 2.0;
        e += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut term = s;
    let mut sum = 0.0;
    let mut n = 1.0;
    while n < 40.0 {
        sum += term / n;
        term *= s2;
        n += 2.0;
    }
    e as f64 * LN2 + 2.0 * sum
}

#[cfg(test)]
mod tests {
    #[test]
    fn math_matches_libm() {
        for x in [-20.0, -1.5, -0.3, 0.0, 0.7, 1.0, 2.5, 10.0, 40.0] {
            let (a, b) = (super::exp(x), f64::exp(x));
            assert!(((a - b) / b).abs() < 1e-13, "exp({x}) = {a}, libm {b}");
        }
        for x in [1e-9, 0.01, 0.5, 0.99, 1.0, 1.5, 2.0, 3.0, 1234.5, 1e12] {
            let (a, b) = (super::ln(x), f64::ln(x));
            assert!((a - b).abs() < 1e-12, "ln({x}) = {a}, libm {b}");
        }
    }

    #[test]
    fn streams_are_reproducible_and_independent() {
        let draw = |stream| {
            let mut r = super::Rng::new(7, stream);
            (0..4).map(|_| r.below(1000)).collect::<Vec<_>>()
        };
        assert_eq!(draw(1), draw(1));
        assert_ne!(draw(1), draw(2));
    }
}
