//! Synthetic persons in the legacy persons format (docs/import-formats.md), for the search
//! benchmark and for trying the import at scale: realistic name frequencies (a few very common
//! surnames, a long tail), valid and consistent codici fiscali, no duplicates.

use crate::rng::Rng;
use ambito_domain::codice_fiscale::{CodiceFiscale, Sex};
use std::collections::HashSet;
use std::io::{self, Write};

pub const PERSONS_HEADER: &str =
    "codice_fiscale;cognome;nome;sesso;data_nascita;luogo_nascita;cittadinanza;comune_residenza;indirizzo;telefono;email;codice_persona";

const COMMON: [&str; 40] = [
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    "Bruno",
    "Gallo",
    "Conti",
    "De Luca",
    "Mancini",
    "Costa",
    "Giordano",
    "Rizzo",
    "Lombardi",
    "Moretti",
    "Barbieri",
    "Fontana",
    "Santoro",
    "Mariani",
    "Rinaldi",
    "Caruso",
    "Ferrara",
    "Galli",
    "Martini",
    "Leone",
    "Longo",
    "Gentile",
    "Martinelli",
    "Vitale",
    "Lombardo",
    "Serra",
    "Coppola",
    "De Santis",
    "D'Angelo",
    "Marchetti",
];
/// Roots and endings of the long tail: 48 × 24 further surnames.
const ROOTS: [&str; 48] = [
    "Bar", "Bel", "Ber", "Bon", "Cal", "Cam", "Cap", "Car", "Cas", "Cel", "Cor", "Dal", "Fab", "Fal", "Fer", "Fio", "Gal", "Gar", "Gua",
    "Lan", "Lor", "Mag", "Mal", "Man", "Mar", "Mas", "Mor", "Nar", "Pal", "Pan", "Par", "Pel", "Pic", "Pin", "Pog", "Ran", "Ros", "Sal",
    "San", "Sca", "Ser", "Tad", "Tor", "Val", "Ven", "Vil", "Zan", "Zor",
];
const ENDINGS: [&str; 24] = [
    "etti", "ini", "oni", "elli", "ucci", "azzi", "ari", "esi", "otti", "one", "ato", "ero", "ino", "ello", "uzzi", "acchi", "izzi",
    "aldi", "enghi", "assi", "ò", "è", "igni", "ulli",
];
const MEN: [&str; 30] = [
    "Marco",
    "Giuseppe",
    "Giovanni",
    "Antonio",
    "Mario",
    "Luigi",
    "Francesco",
    "Angelo",
    "Vincenzo",
    "Pietro",
    "Salvatore",
    "Carlo",
    "Franco",
    "Domenico",
    "Bruno",
    "Paolo",
    "Michele",
    "Giorgio",
    "Aldo",
    "Sergio",
    "Luca",
    "Andrea",
    "Matteo",
    "Lorenzo",
    "Alessandro",
    "Davide",
    "Nicolò",
    "Gianfranco",
    "Mohamed",
    "Ion",
];
const WOMEN: [&str; 30] = [
    "Maria",
    "Anna",
    "Giuseppina",
    "Rosa",
    "Angela",
    "Giovanna",
    "Teresa",
    "Lucia",
    "Carmela",
    "Caterina",
    "Francesca",
    "Antonietta",
    "Carla",
    "Elena",
    "Paola",
    "Laura",
    "Giulia",
    "Sofia",
    "Chiara",
    "Sara",
    "Martina",
    "Alessia",
    "Elisa",
    "Valentina",
    "Federica",
    "Silvia",
    "Noemi",
    "Aurora",
    "Fatima",
    "Elena Maria",
];
/// Birth places: Comuni of the province of Bergamo and a few large cities, and foreign states.
const ITALIAN: [&str; 12] = ["A794", "E704", "F205", "H501", "L219", "F839", "A562", "D969", "B157", "G273", "L781", "C351"];
const FOREIGN: [(&str, &str); 6] = [("Z404", "536"), ("Z129", "235"), ("Z330", "436"), ("Z100", "201"), ("Z210", "314"), ("Z335", "443")];

fn surname(rng: &mut Rng) -> String {
    if rng.chance(0.35) {
        // Zipf-like: the first common surnames much more often than the last.
        let i = (rng.f64() * rng.f64() * COMMON.len() as f64) as usize;
        COMMON[i.min(COMMON.len() - 1)].to_string()
    } else {
        format!("{}{}", ROOTS[rng.below(ROOTS.len() as u64) as usize], ENDINGS[rng.below(ENDINGS.len() as u64) as usize])
    }
}

/// Writes `count` persons resident in `comuni` (ISTAT codes); returns how many were written.
pub fn write(out: &mut impl Write, count: u64, seed: u64, comuni: &[String]) -> io::Result<u64> {
    writeln!(out, "{PERSONS_HEADER}")?;
    let mut rng = Rng::new(seed, 7_000_000);
    let mut seen: HashSet<String> = HashSet::with_capacity(count as usize);
    let mut written = 0u64;
    while written < count {
        let sex = if rng.chance(0.52) { Sex::F } else { Sex::M };
        let nome = if sex == Sex::F { WOMEN[rng.below(30) as usize] } else { MEN[rng.below(30) as usize] };
        let cognome = surname(&mut rng);
        let birth = (rng.between(1925, 2024) as i32, rng.between(1, 12) as u8, rng.between(1, 28) as u8);
        let (place, citizenship) = if rng.chance(0.1) {
            FOREIGN[rng.below(FOREIGN.len() as u64) as usize]
        } else {
            (ITALIAN[rng.below(ITALIAN.len() as u64) as usize], "100")
        };
        let Some(cf) = CodiceFiscale::compose(&cognome, nome, birth, sex, place) else { continue };
        if !seen.insert(cf.as_str().to_string()) {
            // The same code for two synthetic people: draw another one rather than an omocode.
            continue;
        }
        written += 1;
        let comune = if comuni.is_empty() { String::new() } else { comuni[rng.below(comuni.len() as u64) as usize].clone() };
        let phone = if rng.chance(0.6) { format!("3{:09}", rng.below(1_000_000_000)) } else { String::new() };
        let email = if rng.chance(0.3) { format!("persona{written}@example.it") } else { String::new() };
        writeln!(
            out,
            "{cf};{cognome};{nome};{};{:04}-{:02}-{:02};{place};{citizenship};{comune};Via Roma {};{phone};{email};S{written:08}",
            sex.code(),
            birth.0,
            birth.1,
            birth.2,
            1 + rng.below(200),
        )?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persons_are_valid_unique_and_reproducible() {
        let mut a = Vec::new();
        write(&mut a, 2000, 1, &["016086".into()]).unwrap();
        let mut b = Vec::new();
        write(&mut b, 2000, 1, &["016086".into()]).unwrap();
        assert_eq!(a, b, "same seed, same bytes");
        let text = String::from_utf8(a).unwrap();
        let mut codes = HashSet::new();
        for line in text.lines().skip(1) {
            let cells: Vec<&str> = line.split(';').collect();
            assert_eq!(cells.len(), 12, "{line}");
            let cf = CodiceFiscale::parse(cells[0]).unwrap();
            let d: Vec<u8> = cells[4].split('-').map(|x| x.parse::<u16>().unwrap() as u8).collect();
            let year: i32 = cells[4][..4].parse().unwrap();
            assert!(cf.mismatches((year, d[1], d[2]), Sex::parse(cells[3])).is_empty(), "{line}");
            assert!(codes.insert(cells[0].to_string()), "duplicate {}", cells[0]);
        }
        assert_eq!(codes.len(), 2000);
    }
}
