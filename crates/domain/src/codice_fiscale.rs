//! Codice fiscale of natural persons (DM 23 dicembre 1976).
//!
//! Layout of the 16 characters (0-based indices):
//!
//! | indices  | content                                                        |
//! |----------|----------------------------------------------------------------|
//! | 0..3     | surname letters                                                |
//! | 3..6     | name letters                                                   |
//! | 6..8     | last two digits of the birth year                              |
//! | 8        | birth month letter (`A B C D E H L M P R S T`)                 |
//! | 9..11    | birth day, plus 40 for women                                   |
//! | 11..15   | Belfiore code of the birth municipality or foreign state       |
//! | 15       | check character                                                |
//!
//! Omocodia: when two people would get the same code, the digits in the seven numeric
//! positions are replaced by letters (`0..=9` -> `L M N P Q R S T U V`), normally starting
//! from the rightmost one. The check character is computed on the substituted text. Note that
//! the code with all substitutions reverted ([`CodiceFiscale::canonical`]) is the code that was
//! assigned to *another* person: it is useful for comparing decoded data, not as an identity.
//!
//! This module only checks the structure and the check character; it does not verify that the
//! letters match a name or that the Belfiore code exists.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Length of a codice fiscale of a natural person.
pub const LENGTH: usize = 16;

/// The 0-based indices holding digits (possibly replaced by omocodia letters).
const NUMERIC_POSITIONS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];

/// Letters replacing the digits 0..=9 in case of omocodia.
const OMOCODIA_LETTERS: [u8; 10] = *b"LMNPQRSTUV";

/// Month letters, January to December.
const MONTH_LETTERS: [u8; 12] = *b"ABCDEHLMPRST";

/// Italian month names, January to December (for error messages).
const MONTH_NAMES: [&str; 12] =
    ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"];

/// Value of a character in an odd (1-based) position, indexed by the character's ordinal:
/// `0..=9` for digits, `0..=25` for letters `A..=Z` (digits share the values of `A..=J`).
const ODD_VALUES: [u8; 26] = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

/// Sex as encoded in the day field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    M,
    F,
}

/// Why a string is not a valid codice fiscale. Positions are 1-based, as a person counts them.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CodiceFiscaleError {
    #[error("il codice fiscale è vuoto")]
    Empty,
    #[error("il codice fiscale deve avere 16 caratteri, ne ha {0}")]
    WrongLength(usize),
    #[error("carattere non valido in posizione {position}: attesa una lettera, trovato «{found}»")]
    ExpectedLetter { position: usize, found: char },
    #[error("carattere non valido in posizione {position}: attesa una cifra (o una lettera di omocodia), trovato «{found}»")]
    ExpectedDigit { position: usize, found: char },
    #[error("lettera del mese non valida: «{0}» (ammesse A B C D E H L M P R S T)")]
    InvalidMonth(char),
    #[error("giorno di nascita non valido: {0:02} (ammessi 01-31 per i maschi, 41-71 per le femmine)")]
    InvalidDay(u8),
    #[error("il giorno {day} non esiste nel mese di {}", month_name(*.month))]
    DayNotInMonth { day: u8, month: u8 },
    #[error("carattere di controllo errato: atteso «{expected}», trovato «{found}»")]
    WrongCheckChar { expected: char, found: char },
}

/// A validated codice fiscale of a natural person, stored upper-case and exactly as issued
/// (omocodia letters included).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CodiceFiscale(String);

impl CodiceFiscale {
    /// Validates `input` after trimming surrounding whitespace and upper-casing ASCII letters.
    ///
    /// Checks, in order: emptiness, length, character class of each position, month letter,
    /// day (sex offset and month length; 29 February is always accepted because the century
    /// is unknown), check character.
    ///
    /// # Errors
    ///
    /// The first failed check, as a [`CodiceFiscaleError`] with an Italian message.
    pub fn parse(input: &str) -> Result<Self, CodiceFiscaleError> {
        let code = input.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(CodiceFiscaleError::Empty);
        }
        let length = code.chars().count();
        if length != LENGTH {
            return Err(CodiceFiscaleError::WrongLength(length));
        }
        for (index, found) in code.chars().enumerate() {
            let position = index + 1;
            if is_numeric_position(index) {
                let ok = found.is_ascii() && digit_value(found as u8).is_some();
                if !ok {
                    return Err(CodiceFiscaleError::ExpectedDigit { position, found });
                }
            } else if !found.is_ascii_uppercase() {
                return Err(CodiceFiscaleError::ExpectedLetter { position, found });
            }
        }
        // From here on the code is 16 ASCII bytes.
        let bytes = code.as_bytes();
        let month = month_number(bytes[8]).ok_or(CodiceFiscaleError::InvalidMonth(bytes[8] as char))?;
        let raw_day = two_digits(bytes, 9);
        let day = match raw_day {
            1..=31 => raw_day,
            41..=71 => raw_day - 40,
            _ => return Err(CodiceFiscaleError::InvalidDay(raw_day)),
        };
        if day > days_in_month(month) {
            return Err(CodiceFiscaleError::DayNotInMonth { day, month });
        }
        let expected = check_byte(&bytes[..15]);
        if bytes[15] != expected {
            return Err(CodiceFiscaleError::WrongCheckChar { expected: expected as char, found: bytes[15] as char });
        }
        Ok(Self(code))
    }

    /// The code as issued, upper-case.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True if at least one numeric position holds an omocodia letter.
    pub fn is_omocode(&self) -> bool {
        let bytes = self.0.as_bytes();
        NUMERIC_POSITIONS.iter().any(|&i| !bytes[i].is_ascii_digit())
    }

    /// The code with every omocodia substitution reverted and the check character recomputed.
    /// Equal to [`as_str`](Self::as_str) when the code is not an omocode.
    pub fn canonical(&self) -> String {
        let mut bytes = self.0.as_bytes().to_vec();
        for &i in &NUMERIC_POSITIONS {
            bytes[i] = b'0' + digit_at(&bytes, i);
        }
        bytes[15] = check_byte(&bytes[..15]);
        bytes.into_iter().map(char::from).collect()
    }

    /// Last two digits of the birth year (0..=99); the century is not encoded.
    pub fn birth_year_two_digits(&self) -> u8 {
        two_digits(self.0.as_bytes(), 6)
    }

    /// Birth month, 1..=12.
    pub fn birth_month(&self) -> u8 {
        // Validated by `parse`.
        month_number(self.0.as_bytes()[8]).unwrap_or(1)
    }

    /// Birth day of the month, 1..=31 (the 40 added for women is removed).
    pub fn birth_day(&self) -> u8 {
        let raw = two_digits(self.0.as_bytes(), 9);
        if raw > 40 { raw - 40 } else { raw }
    }

    /// Sex, from the day field (women have 40 added).
    pub fn sex(&self) -> Sex {
        if two_digits(self.0.as_bytes(), 9) > 40 { Sex::F } else { Sex::M }
    }

    /// The Belfiore code (4 characters, e.g. `H501` for Rome, `Z...` for foreign states),
    /// with omocodia reverted.
    pub fn belfiore(&self) -> String {
        let bytes = self.0.as_bytes();
        let mut out = String::with_capacity(4);
        out.push(bytes[11] as char);
        for i in 12..15 {
            out.push((b'0' + digit_at(bytes, i)) as char);
        }
        out
    }
}

impl fmt::Display for CodiceFiscale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CodiceFiscale {
    type Err = CodiceFiscaleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for CodiceFiscale {
    type Error = CodiceFiscaleError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CodiceFiscale> for String {
    fn from(value: CodiceFiscale) -> Self {
        value.0
    }
}

impl AsRef<str> for CodiceFiscale {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Sex {
    /// `M` or `F`, any case, surrounding blanks ignored.
    pub fn parse(text: &str) -> Option<Sex> {
        match text.trim() {
            "M" | "m" => Some(Sex::M),
            "F" | "f" => Some(Sex::F),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Sex::M => "M",
            Sex::F => "F",
        }
    }
}

/// What a codice fiscale encodes that contradicts the data declared with it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Mismatch {
    /// The encoded day, month and two-digit year, as `GG/MM/AA`.
    #[error("il codice fiscale indica la nascita il {0}, diversa dalla data di nascita dichiarata")]
    BirthDate(String),
    #[error("il codice fiscale indica il sesso {}, diverso da quello dichiarato", .0.code())]
    Sex(Sex),
}

impl CodiceFiscale {
    /// Whether the code encodes this birth day (the year by its last two digits: the century
    /// is not in the code). Omocodia letters are decoded first.
    pub fn encodes_birth(&self, year: i32, month: u8, day: u8) -> bool {
        i32::from(self.birth_year_two_digits()) == year.rem_euclid(100) && self.birth_month() == month && self.birth_day() == day
    }

    /// Every contradiction between the code and a declared birth day and sex (`None`: not
    /// declared, nothing to contradict).
    pub fn mismatches(&self, birth: (i32, u8, u8), sex: Option<Sex>) -> Vec<Mismatch> {
        let mut out = Vec::new();
        if !self.encodes_birth(birth.0, birth.1, birth.2) {
            out.push(Mismatch::BirthDate(format!("{:02}/{:02}/{:02}", self.birth_day(), self.birth_month(), self.birth_year_two_digits())));
        }
        if let Some(s) = sex
            && s != self.sex()
        {
            out.push(Mismatch::Sex(self.sex()));
        }
        out
    }

    /// The code a person with these data gets (no omocodia): surname and name letters by the
    /// rule of DM 23/12/1976 (consonants first, then vowels, then `X`; a name with four or more
    /// consonants takes the first, third and fourth), accents folded. `None` when the day does
    /// not exist or `belfiore` is not a letter and three digits.
    pub fn compose(cognome: &str, nome: &str, birth: (i32, u8, u8), sex: Sex, belfiore: &str) -> Option<CodiceFiscale> {
        let (year, month, day) = birth;
        if !crate::registry_codes::is_belfiore(belfiore) || !(1..=12).contains(&month) || day == 0 || day > days_in_month(month) {
            return None;
        }
        let mut code = String::with_capacity(LENGTH);
        code.push_str(&name_letters(cognome, false));
        code.push_str(&name_letters(nome, true));
        code.push_str(&format!("{:02}", year.rem_euclid(100)));
        code.push(MONTH_LETTERS[usize::from(month - 1)] as char);
        code.push_str(&format!("{:02}", if sex == Sex::F { day + 40 } else { day }));
        code.push_str(&belfiore.to_ascii_uppercase());
        let check = check_char(&code)?;
        code.push(check);
        CodiceFiscale::parse(&code).ok()
    }
}

/// The three letters of a surname (`first_name` false) or a name.
fn name_letters(text: &str, first_name: bool) -> String {
    let letters: Vec<char> = text.chars().filter_map(fold_letter).collect();
    let is_vowel = |c: &char| matches!(c, 'A' | 'E' | 'I' | 'O' | 'U');
    let consonants: Vec<char> = letters.iter().copied().filter(|c| !is_vowel(c)).collect();
    let vowels = letters.iter().copied().filter(is_vowel);
    let picked: Vec<char> = if first_name && consonants.len() >= 4 {
        vec![consonants[0], consonants[2], consonants[3]]
    } else {
        consonants.iter().copied().chain(vowels).chain(std::iter::repeat('X')).take(3).collect()
    };
    picked.into_iter().collect()
}

/// An upper-case ASCII letter for a letter of a name (accents dropped); `None` for the rest.
fn fold_letter(c: char) -> Option<char> {
    let base = match c {
        'à' | 'á' | 'â' | 'ä' | 'À' | 'Á' | 'Â' | 'Ä' => 'A',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'E',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
        'ò' | 'ó' | 'ô' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Ö' => 'O',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
        'ç' | 'Ç' => 'C',
        'ñ' | 'Ñ' => 'N',
        c if c.is_ascii_alphabetic() => c.to_ascii_uppercase(),
        _ => return None,
    };
    Some(base)
}

/// The check character for the first 15 characters of a code (lower case is accepted).
/// `None` if `first15` is not exactly 15 ASCII letters or digits. No other structural check
/// is made, so omocodia letters are simply letters here, as in the official algorithm.
pub fn check_char(first15: &str) -> Option<char> {
    let bytes = first15.as_bytes();
    if bytes.len() != 15 || !bytes.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let upper = bytes.to_ascii_uppercase();
    Some(check_byte(&upper) as char)
}

/// Check character of 15 upper-case ASCII alphanumerics (caller guarantees the class).
fn check_byte(first15: &[u8]) -> u8 {
    let sum: u32 = first15
        .iter()
        .enumerate()
        .map(|(index, &c)| {
            let ordinal = if c.is_ascii_digit() { c - b'0' } else { c - b'A' };
            // Index 0 is position 1, an odd position.
            let value = if index % 2 == 0 { ODD_VALUES[usize::from(ordinal)] } else { ordinal };
            u32::from(value)
        })
        .sum();
    b'A' + (sum % 26) as u8
}

fn is_numeric_position(index: usize) -> bool {
    NUMERIC_POSITIONS.contains(&index)
}

/// The digit a numeric-position byte stands for: itself, or the omocodia letter's digit.
fn digit_value(c: u8) -> Option<u8> {
    if c.is_ascii_digit() { Some(c - b'0') } else { OMOCODIA_LETTERS.iter().position(|&l| l == c).map(|d| d as u8) }
}

/// Digit at a numeric index of an already validated code.
fn digit_at(bytes: &[u8], index: usize) -> u8 {
    digit_value(bytes[index]).unwrap_or(0)
}

fn two_digits(bytes: &[u8], index: usize) -> u8 {
    digit_at(bytes, index) * 10 + digit_at(bytes, index + 1)
}

fn month_number(c: u8) -> Option<u8> {
    MONTH_LETTERS.iter().position(|&l| l == c).map(|m| m as u8 + 1)
}

/// Days in a month; February has 29 because the century (hence leap years) is unknown.
fn days_in_month(month: u8) -> u8 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn month_name(month: u8) -> &'static str {
    MONTH_NAMES.get(usize::from(month).wrapping_sub(1)).copied().unwrap_or("?")
}

#[cfg(test)]
mod tests {
    use super::*;

    // Check characters below were computed by hand with the official tables. Worked example
    // for RSSMRA85T10A562: odd positions R S R 8 T 0 5 2 -> 8+12+8+19+14+1+13+5 = 80;
    // even positions S M A 5 1 A 6 -> 18+12+0+5+1+0+6 = 42; 122 mod 26 = 18 -> 'S'.
    const MARIO: &str = "RSSMRA85T10A562S";

    fn ok(code: &str) -> CodiceFiscale {
        CodiceFiscale::parse(code).unwrap_or_else(|e| panic!("{code} should be valid: {e}"))
    }

    fn err(code: &str) -> CodiceFiscaleError {
        match CodiceFiscale::parse(code) {
            Ok(cf) => panic!("{code} should be invalid, parsed as {cf}"),
            Err(e) => e,
        }
    }

    #[test]
    fn odd_table_is_a_permutation() {
        let mut seen = ODD_VALUES.to_vec();
        seen.sort_unstable();
        assert_eq!(seen, (0..26).collect::<Vec<u8>>());
    }

    #[test]
    fn check_char_of_well_known_example() {
        assert_eq!(check_char("RSSMRA85T10A562"), Some('S'));
        assert_eq!(check_char("rssmra85t10a562"), Some('S'));
        assert_eq!(check_char("BNCLRA90E45F205"), Some('D'));
        assert_eq!(check_char("SMTJHN80A01Z404"), Some('K'));
    }

    #[test]
    fn check_char_rejects_bad_input() {
        assert_eq!(check_char(""), None);
        assert_eq!(check_char("RSSMRA85T10A56"), None);
        assert_eq!(check_char("RSSMRA85T10A562S"), None);
        assert_eq!(check_char("RSSMRA85T10A56-"), None);
        assert_eq!(check_char("RSSMRA85T10A56à"), None);
    }

    #[test]
    fn mario_rossi_decodes() {
        let cf = ok(MARIO);
        assert_eq!(cf.as_str(), MARIO);
        assert_eq!(cf.to_string(), MARIO);
        assert_eq!(cf.birth_year_two_digits(), 85);
        assert_eq!(cf.birth_month(), 12);
        assert_eq!(cf.birth_day(), 10);
        assert_eq!(cf.sex(), Sex::M);
        assert_eq!(cf.belfiore(), "A562");
        assert!(!cf.is_omocode());
        assert_eq!(cf.canonical(), MARIO);
    }

    #[test]
    fn lower_case_and_whitespace_are_accepted() {
        let cf = ok("  rssmra85t10a562s\n");
        assert_eq!(cf.as_str(), MARIO);
        assert_eq!(ok("RssMra85t10A562s"), ok(MARIO));
    }

    #[test]
    fn women_have_forty_added_to_the_day() {
        let cf = ok("RSSMRA85T50A562W");
        assert_eq!(cf.sex(), Sex::F);
        assert_eq!(cf.birth_day(), 10);
        assert_eq!(cf.birth_month(), 12);

        let laura = ok("BNCLRA90E45F205D");
        assert_eq!(laura.sex(), Sex::F);
        assert_eq!(laura.birth_day(), 5);
        assert_eq!(laura.birth_month(), 5);
        assert_eq!(laura.birth_year_two_digits(), 90);
        assert_eq!(laura.belfiore(), "F205");
    }

    #[test]
    fn day_range_limits() {
        let first = ok("RSSMRA85A41A562H");
        assert_eq!((first.sex(), first.birth_day()), (Sex::F, 1));
        let last = ok("RSSMRA85A71A562K");
        assert_eq!((last.sex(), last.birth_day()), (Sex::F, 31));
        assert_eq!(err("RSSMRA85T00A562R"), CodiceFiscaleError::InvalidDay(0));
        assert_eq!(err("RSSMRA85T32A562Y"), CodiceFiscaleError::InvalidDay(32));
        assert_eq!(err("RSSMRA85T40A562V"), CodiceFiscaleError::InvalidDay(40));
        assert_eq!(err("RSSMRA85T72A562C"), CodiceFiscaleError::InvalidDay(72));
    }

    #[test]
    fn february_29_is_accepted_for_any_year() {
        let man = ok("RSSMRA01B29A562D");
        assert_eq!((man.birth_month(), man.birth_day()), (2, 29));
        let woman = ok("RSSMRA01B69A562H");
        assert_eq!((woman.sex(), woman.birth_day()), (Sex::F, 29));
        assert_eq!(err("RSSMRA01B30A562K"), CodiceFiscaleError::DayNotInMonth { day: 30, month: 2 });
    }

    #[test]
    fn thirty_first_of_a_thirty_day_month_is_rejected() {
        ok("RSSMRA85D30A562N");
        for (code, month) in [("RSSMRA85D31A562M", 4), ("RSSMRA85H31A562W", 6), ("RSSMRA85P31A562I", 9), ("RSSMRA85S31A562R", 11)] {
            assert_eq!(err(code), CodiceFiscaleError::DayNotInMonth { day: 31, month }, "{code}");
        }
    }

    #[test]
    fn invalid_month_letter() {
        assert_eq!(err("RSSMRA85F10A562R"), CodiceFiscaleError::InvalidMonth('F'));
    }

    #[test]
    fn wrong_check_char() {
        assert_eq!(err("RSSMRA85T10A562X"), CodiceFiscaleError::WrongCheckChar { expected: 'S', found: 'X' });
    }

    #[test]
    fn length_errors() {
        assert_eq!(err(""), CodiceFiscaleError::Empty);
        assert_eq!(err("   \t"), CodiceFiscaleError::Empty);
        assert_eq!(err("RSSMRA85T10A562"), CodiceFiscaleError::WrongLength(15));
        assert_eq!(err("RSSMRA85T10A562SS"), CodiceFiscaleError::WrongLength(17));
        // Length is counted in characters, not bytes.
        assert_eq!(err("RSSMRÀ85T10A562"), CodiceFiscaleError::WrongLength(15));
    }

    #[test]
    fn letter_positions() {
        assert_eq!(err("R5SMRA85T10A562S"), CodiceFiscaleError::ExpectedLetter { position: 2, found: '5' });
        assert_eq!(err("RSSMRà85T10A562S"), CodiceFiscaleError::ExpectedLetter { position: 6, found: 'à' });
        assert_eq!(err("RSSMRA85110A562S"), CodiceFiscaleError::ExpectedLetter { position: 9, found: '1' });
        assert_eq!(err("RSSMRA85T105562S"), CodiceFiscaleError::ExpectedLetter { position: 12, found: '5' });
        assert_eq!(err("RSSMRA85T10A5620"), CodiceFiscaleError::ExpectedLetter { position: 16, found: '0' });
        assert_eq!(err("RSS MRA85T10A562"), CodiceFiscaleError::ExpectedLetter { position: 4, found: ' ' });
    }

    #[test]
    fn digit_positions() {
        // 'A' is a letter but not an omocodia letter.
        assert_eq!(err("RSSMRA8AT10A562S"), CodiceFiscaleError::ExpectedDigit { position: 8, found: 'A' });
        assert_eq!(err("RSSMRA85T1WA562S"), CodiceFiscaleError::ExpectedDigit { position: 11, found: 'W' });
        assert_eq!(err("RSSMRA85T10A56-S"), CodiceFiscaleError::ExpectedDigit { position: 15, found: '-' });
    }

    #[test]
    fn omocodia_one_two_and_all_seven_substitutions() {
        let base = ok(MARIO);
        // 2 -> N in the last numeric position.
        let one = ok("RSSMRA85T10A56NH");
        // 6 -> S, 2 -> N.
        let two = ok("RSSMRA85T10A5SNT");
        // 8 5 . 1 0 . 5 6 2 -> U R . M L . R S N.
        let all = ok("RSSMRAURTMLARSNL");
        for cf in [&one, &two, &all] {
            assert!(cf.is_omocode(), "{cf}");
            assert_eq!(cf.canonical(), MARIO, "{cf}");
            assert_eq!(cf.birth_year_two_digits(), base.birth_year_two_digits());
            assert_eq!(cf.birth_month(), base.birth_month());
            assert_eq!(cf.birth_day(), base.birth_day());
            assert_eq!(cf.sex(), base.sex());
            assert_eq!(cf.belfiore(), "A562");
        }
    }

    #[test]
    fn omocodia_in_any_subset_of_positions() {
        // Only the first year digit substituted (8 -> U).
        let year = ok("RSSMRAU5T10A562P");
        assert_eq!(year.birth_year_two_digits(), 85);
        assert_eq!(year.canonical(), MARIO);
        // Only the second day digit substituted (0 -> L).
        let day = ok("RSSMRA85T1LA562V");
        assert_eq!(day.birth_day(), 10);
        assert_eq!(day.canonical(), MARIO);
    }

    #[test]
    fn omocode_with_the_base_check_char_is_rejected() {
        assert_eq!(err("RSSMRA85T10A56NS"), CodiceFiscaleError::WrongCheckChar { expected: 'H', found: 'S' });
    }

    #[test]
    fn lower_case_omocode_is_accepted() {
        let cf = ok("rssmraurtmlarsnl");
        assert_eq!(cf.as_str(), "RSSMRAURTMLARSNL");
        assert_eq!(cf.canonical(), MARIO);
    }

    #[test]
    fn foreign_state_belfiore() {
        let cf = ok("SMTJHN80A01Z404K");
        assert_eq!(cf.belfiore(), "Z404");
        assert_eq!((cf.birth_month(), cf.birth_day()), (1, 1));
    }

    #[test]
    fn error_messages_are_italian() {
        assert_eq!(err("RSSMRA85D31A562M").to_string(), "il giorno 31 non esiste nel mese di aprile");
        assert_eq!(err("RSSMRA85T10A562X").to_string(), "carattere di controllo errato: atteso «S», trovato «X»");
        assert_eq!(err("RSSMRA85T10A562").to_string(), "il codice fiscale deve avere 16 caratteri, ne ha 15");
    }

    #[test]
    fn from_str_and_string_conversions() {
        let cf: CodiceFiscale = "rssmra85t10a562s".parse().unwrap();
        assert_eq!(String::from(cf.clone()), MARIO);
        assert_eq!(CodiceFiscale::try_from(MARIO.to_owned()), Ok(cf));
        assert!("RSSMRA85T10A562X".parse::<CodiceFiscale>().is_err());
    }

    #[test]
    fn deserialize_validates() {
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error as DeError, StringDeserializer};

        let good: StringDeserializer<DeError> = "rssmra85t10a562s".to_owned().into_deserializer();
        assert_eq!(CodiceFiscale::deserialize(good).unwrap().as_str(), MARIO);

        let bad: StringDeserializer<DeError> = "RSSMRA85T10A562X".to_owned().into_deserializer();
        let message = CodiceFiscale::deserialize(bad).unwrap_err().to_string();
        assert!(message.contains("carattere di controllo"), "{message}");
    }

    #[test]
    fn encode_gives_the_code_of_the_data() {
        let cf = CodiceFiscale::compose("Rossi", "Mario", (1985, 12, 10), Sex::M, "A562").expect("code");
        assert_eq!(cf.as_str(), "RSSMRA85T10A562S");
        // Women: day + 40; a name with four consonants takes the 1st, 3rd and 4th.
        let cf = CodiceFiscale::compose("Verdi", "Lucia", (1990, 1, 1), Sex::F, "D969").expect("code");
        assert_eq!(cf.as_str(), "VRDLCU90A41D969R");
        let cf = CodiceFiscale::compose("Bianchi", "Giovanni", (1975, 8, 12), Sex::M, "F205").expect("code");
        assert_eq!(cf.as_str(), "BNCGNN75M12F205W");
        // Short surnames are padded with X; accents are folded.
        let cf = CodiceFiscale::compose("Fo", "Dario", (1926, 3, 24), Sex::M, "E734").expect("code");
        assert!(cf.as_str().starts_with("FOXDRA26C24E734"), "{}", cf.as_str());
        assert!(CodiceFiscale::compose("Rossi", "Mario", (1985, 13, 10), Sex::M, "A562").is_none());
    }

    #[test]
    fn mismatches_with_declared_birth_and_sex() {
        let cf = ok(MARIO);
        assert!(cf.mismatches((1985, 12, 10), Some(Sex::M)).is_empty());
        assert!(cf.mismatches((1885, 12, 10), None).is_empty(), "the century is not encoded");
        assert_eq!(cf.mismatches((1985, 12, 11), Some(Sex::M)), vec![Mismatch::BirthDate("10/12/85".into())]);
        assert_eq!(cf.mismatches((1986, 12, 10), Some(Sex::F)), vec![Mismatch::BirthDate("10/12/85".into()), Mismatch::Sex(Sex::M)]);
        // An omocode is decoded before comparing.
        assert!(ok("RSSMRAURTMLARSNL").mismatches((1985, 12, 10), Some(Sex::M)).is_empty());
        assert_eq!(Mismatch::Sex(Sex::M).to_string(), "il codice fiscale indica il sesso M, diverso da quello dichiarato");
    }

    #[test]
    fn sex_parse() {
        assert_eq!(Sex::parse(" f "), Some(Sex::F));
        assert_eq!(Sex::parse("M"), Some(Sex::M));
        assert_eq!(Sex::parse("X"), None);
        assert_eq!(Sex::parse(""), None);
    }

    #[test]
    fn compose_follows_the_rule() {
        assert_eq!(CodiceFiscale::compose("Rossi", "Mario", (1985, 12, 10), Sex::M, "A562").unwrap().as_str(), MARIO);
        assert_eq!(CodiceFiscale::compose("Bianco", "Laura", (1990, 5, 5), Sex::F, "F205").unwrap().as_str(), "BNCLRA90E45F205D");
        // Four consonants in the name: first, third and fourth (Gianfranco: G N F R -> G F R).
        let cf = CodiceFiscale::compose("Fò", "Gianfranco", (1950, 1, 2), Sex::M, "H501").unwrap();
        assert_eq!(&cf.as_str()[..6], "FOXGFR");
        assert!(cf.mismatches((1950, 1, 2), Some(Sex::M)).is_empty());
        assert_eq!(CodiceFiscale::compose("Rossi", "Mario", (1985, 2, 30), Sex::M, "A562"), None);
        assert_eq!(CodiceFiscale::compose("Rossi", "Mario", (1985, 2, 3), Sex::M, "A56"), None);
    }
}
