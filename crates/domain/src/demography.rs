//! Resident population by single year of age and sex, target populations, and the ISTAT
//! structural indices.

use crate::value::{Blank, Value};
use rust_decimal::Decimal;
use serde::Serialize;

/// Ages run 0..=100; 100 stands for "100 and over", as in ISTAT's tables.
pub const MAX_AGE: u8 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pyramid {
    /// Indexed by age, `MAX_AGE + 1` entries.
    pub males: Vec<u64>,
    pub females: Vec<u64>,
}

impl Default for Pyramid {
    fn default() -> Self {
        Pyramid { males: vec![0; MAX_AGE as usize + 1], females: vec![0; MAX_AGE as usize + 1] }
    }
}

impl Pyramid {
    pub fn add(&mut self, age: u8, males: u64, females: u64) {
        let a = age.min(MAX_AGE) as usize;
        self.males[a] += males;
        self.females[a] += females;
    }

    pub fn merge(&mut self, other: &Pyramid) {
        for a in 0..=MAX_AGE as usize {
            self.males[a] += other.males[a];
            self.females[a] += other.females[a];
        }
    }

    /// Men and women by five-year age band (`0-4` … `95-99`, `100+`), youngest first: the
    /// pyramid's bars and its table.
    pub fn five_year_bands(&self) -> Vec<(String, u64, u64)> {
        (0..=20u8)
            .map(|i| {
                let lo = i * 5;
                let hi = if i == 20 { MAX_AGE } else { lo + 4 };
                let label = if i == 20 { format!("{lo}+") } else { format!("{lo}-{hi}") };
                let m = (lo..=hi).map(|a| self.males[a as usize]).sum();
                let f = (lo..=hi).map(|a| self.females[a as usize]).sum();
                (label, m, f)
            })
            .collect()
    }

    /// Residents aged `min..=max` (`max = None`: no upper bound).
    pub fn band(&self, min: u8, max: Option<u8>) -> u64 {
        let hi = max.unwrap_or(MAX_AGE).min(MAX_AGE);
        (min..=hi).map(|a| self.males[a as usize] + self.females[a as usize]).sum()
    }

    pub fn total(&self) -> u64 {
        self.band(0, None)
    }

    pub fn total_males(&self) -> u64 {
        self.males.iter().sum()
    }

    pub fn total_females(&self) -> u64 {
        self.females.iter().sum()
    }

    /// The five structural indices ISTAT publishes, in the order of its tables.
    pub fn indices(&self) -> Vec<(Index, Value)> {
        Index::ALL.into_iter().map(|i| (i, i.compute(self))).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Index {
    Vecchiaia,
    DipendenzaStrutturale,
    DipendenzaAnziani,
    RicambioPopolazioneAttiva,
    StrutturaPopolazioneAttiva,
}

impl Index {
    pub const ALL: [Index; 5] = [
        Index::Vecchiaia,
        Index::DipendenzaStrutturale,
        Index::DipendenzaAnziani,
        Index::RicambioPopolazioneAttiva,
        Index::StrutturaPopolazioneAttiva,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Index::Vecchiaia => "Indice di vecchiaia",
            Index::DipendenzaStrutturale => "Indice di dipendenza strutturale",
            Index::DipendenzaAnziani => "Indice di dipendenza anziani",
            Index::RicambioPopolazioneAttiva => "Indice di ricambio della popolazione attiva",
            Index::StrutturaPopolazioneAttiva => "Indice di struttura della popolazione attiva",
        }
    }

    pub fn formula(self) -> &'static str {
        match self {
            Index::Vecchiaia => "popolazione 65+ / popolazione 0-14 × 100",
            Index::DipendenzaStrutturale => "(popolazione 0-14 + popolazione 65+) / popolazione 15-64 × 100",
            Index::DipendenzaAnziani => "popolazione 65+ / popolazione 15-64 × 100",
            Index::RicambioPopolazioneAttiva => "popolazione 60-64 / popolazione 15-19 × 100",
            Index::StrutturaPopolazioneAttiva => "popolazione 40-64 / popolazione 15-39 × 100",
        }
    }

    pub fn compute(self, p: &Pyramid) -> Value {
        let (num, den, den_label) = match self {
            Index::Vecchiaia => (p.band(65, None), p.band(0, Some(14)), "popolazione 0-14"),
            Index::DipendenzaStrutturale => (p.band(0, Some(14)) + p.band(65, None), p.band(15, Some(64)), "popolazione 15-64"),
            Index::DipendenzaAnziani => (p.band(65, None), p.band(15, Some(64)), "popolazione 15-64"),
            Index::RicambioPopolazioneAttiva => (p.band(60, Some(64)), p.band(15, Some(19)), "popolazione 15-19"),
            Index::StrutturaPopolazioneAttiva => (p.band(40, Some(64)), p.band(15, Some(39)), "popolazione 15-39"),
        };
        ratio_x100(num, den, den_label)
    }
}

fn ratio_x100(num: u64, den: u64, den_label: &str) -> Value {
    if den == 0 {
        return Value::Blank(Blank::DivisionByZero(den_label.to_string()));
    }
    Value::Number(Decimal::from(num) * Decimal::from(100) / Decimal::from(den))
}

/// A named population an indicator can divide by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TargetDefinition {
    /// Residents aged `min..=max` in the listed Comuni (ISTAT codes), or in all the Ambito's Comuni.
    AgeBand { min: u8, max: Option<u8>, comuni: Option<Vec<String>> },
    /// A number supplied from outside, such as a frailty list kept by the ATS.
    Explicit(Decimal),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::it_number;

    fn pyramid() -> Pyramid {
        let mut p = Pyramid::default();
        // 0-14: 150, 15-19: 50, 20-39: 200, 40-59: 300, 60-64: 80, 65+: 320 (with 30 aged 100+)
        p.add(5, 70, 80);
        p.add(17, 25, 25);
        p.add(30, 100, 100);
        p.add(50, 150, 150);
        p.add(62, 40, 40);
        p.add(80, 120, 170);
        p.add(104, 5, 25);
        p
    }

    fn shown(i: Index) -> String {
        it_number(i.compute(&pyramid()).number().expect("number"), 1)
    }

    #[test]
    fn five_year_bands_cover_every_age_once() {
        let mut p = Pyramid::default();
        p.add(0, 1, 2);
        p.add(4, 10, 0);
        p.add(5, 3, 3);
        p.add(100, 7, 9);
        let bands = p.five_year_bands();
        assert_eq!(bands.len(), 21);
        assert_eq!(bands[0], ("0-4".to_string(), 11, 2));
        assert_eq!(bands[1], ("5-9".to_string(), 3, 3));
        assert_eq!(bands[20], ("100+".to_string(), 7, 9));
        let (m, f) = bands.iter().fold((0, 0), |(m, f), b| (m + b.1, f + b.2));
        assert_eq!((m, f), (p.total_males(), p.total_females()));
    }

    #[test]
    fn bands_and_open_top() {
        let p = pyramid();
        assert_eq!(p.band(65, None), 320);
        assert_eq!(p.band(100, None), 30, "ages over 100 fold into 100");
        assert_eq!(p.band(0, Some(14)), 150);
        assert_eq!(p.total(), 1100);
        assert_eq!(p.total_males() + p.total_females(), 1100);
    }

    #[test]
    fn istat_indices_by_hand() {
        assert_eq!(shown(Index::Vecchiaia), "213,3"); // 320/150
        assert_eq!(shown(Index::DipendenzaStrutturale), "74,6"); // (150+320)/630, 15-64 = 50+200+300+80
        assert_eq!(shown(Index::DipendenzaAnziani), "50,8"); // 320/630
        assert_eq!(shown(Index::RicambioPopolazioneAttiva), "160,0"); // 80/50
        assert_eq!(shown(Index::StrutturaPopolazioneAttiva), "152,0"); // 380/250
    }

    #[test]
    fn empty_population_gives_blanks() {
        let v = Index::Vecchiaia.compute(&Pyramid::default());
        assert_eq!(v, Value::Blank(Blank::DivisionByZero("popolazione 0-14".into())));
    }
}
