//! The one-box person search: the keys stored with each person and the rule that ranks a
//! candidate against what was typed. Accent- and case-insensitive, forgiving of typos.
//!
//! The store finds candidates through three indexed keys ([`search_key`], [`name_key`],
//! [`sound_key`]) and this module decides which of them match and in what order, so that the
//! database does prefix scans only and the typo rule is the same on SQLite and PostgreSQL.

/// Upper-case ASCII letters and digits, accents folded, anything else a single space: what both
/// the stored keys and the typed query are compared as. "D'Agostino Nicolò" → "D AGOSTINO NICOLO".
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars() {
        let folded = fold_char(c);
        match folded {
            Some(f) => {
                out.push(f);
                space = false;
            }
            None if !space => {
                out.push(' ');
                space = true;
            }
            None => {}
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

fn fold_char(c: char) -> Option<char> {
    let c = c.to_uppercase().next().unwrap_or(c);
    Some(match c {
        'A'..='Z' | '0'..='9' => c,
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'A',
        'È' | 'É' | 'Ê' | 'Ë' => 'E',
        'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'O',
        'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
        'Ç' | 'Ć' | 'Č' => 'C',
        'Ñ' | 'Ń' => 'N',
        'Š' | 'Ś' => 'S',
        'Ž' | 'Ź' | 'Ż' => 'Z',
        'Ý' | 'Ÿ' => 'Y',
        _ => return None,
    })
}

/// Surname then name, folded: the key of a search that starts with the surname.
pub fn search_key(cognome: &str, nome: &str) -> String {
    format!("{} {}", fold(cognome), fold(nome)).trim().to_string()
}

/// Name then surname, folded: the key of a search that starts with the name.
pub fn name_key(cognome: &str, nome: &str) -> String {
    format!("{} {}", fold(nome), fold(cognome)).trim().to_string()
}

/// A skeleton of a word that typical typos leave unchanged: the first letter, then the
/// consonants with doubles collapsed and look-alikes merged (C/K/Q, V/W, Y→I dropped as a
/// vowel), at most six characters. "Rossi", "Rosi" and "Rossy" share "RS"; "Cappelli" and
/// "Capelli" share "KPL".
pub fn sound_key(word: &str) -> String {
    let folded = fold(word);
    let first_word = folded.split(' ').next().unwrap_or("");
    let mut out = String::new();
    let mut last = None;
    for (i, c) in first_word.chars().filter(|c| c.is_ascii_alphabetic()).enumerate() {
        let mapped = match c {
            'C' | 'K' | 'Q' => 'K',
            'W' => 'V',
            'Y' => 'I',
            'J' => 'I',
            other => other,
        };
        let vowel = matches!(mapped, 'A' | 'E' | 'I' | 'O' | 'U' | 'H');
        if i == 0 {
            out.push(if vowel && mapped != 'H' { 'A' } else { mapped });
            last = Some(mapped);
            continue;
        }
        if vowel {
            last = None;
            continue;
        }
        if last == Some(mapped) {
            continue;
        }
        out.push(mapped);
        last = Some(mapped);
        if out.len() == 6 {
            break;
        }
    }
    out
}

/// Edit distance with adjacent transpositions (optimal string alignment): "Rsosi" is one edit
/// from "Rossi", as a typist would count it. Stops early once above `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// How many typos a typed word of this length may carry: none for short words (they would
/// match half the registry), one from four letters, two from eight.
pub fn typos_allowed(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// What the box holds: an identity code (a codice fiscale or a provisional code, whole or its
/// start) or words of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    Code(String),
    Words(Vec<String>),
}

impl Query {
    /// `None` for a box with nothing searchable in it.
    pub fn parse(text: &str) -> Option<Query> {
        let folded = fold(text);
        if folded.is_empty() {
            return None;
        }
        let compact: String = folded.chars().filter(|c| *c != ' ').collect();
        let has_digit = compact.chars().any(|c| c.is_ascii_digit());
        if !folded.contains(' ') && has_digit && compact.len() >= 4 {
            return Some(Query::Code(compact));
        }
        Some(Query::Words(folded.split(' ').map(str::to_string).collect()))
    }
}

/// How well a candidate's key matches the typed words, lower is better; `None`: no match. Every
/// typed word must match a different word of the key, in any order: exactly (0), as its start
/// (1), or within the typos its length allows (2 + distance).
pub fn rank(words: &[String], key: &str) -> Option<u32> {
    let key_words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    let mut used = vec![false; key_words.len()];
    let mut total = 0u32;
    for w in words {
        let mut best: Option<(usize, u32)> = None;
        for (i, k) in key_words.iter().enumerate() {
            if used[i] {
                continue;
            }
            let score = if *k == w {
                Some(0)
            } else if k.starts_with(w.as_str()) && w.len() >= 2 {
                Some(1)
            } else {
                let allowed = typos_allowed(w.len());
                (allowed > 0).then(|| edit_distance(w, k, allowed)).flatten().map(|d| 2 + d as u32)
            };
            if let Some(s) = score
                && best.is_none_or(|(_, b)| s < b)
            {
                best = Some((i, s));
            }
        }
        let (i, s) = best?;
        used[i] = true;
        total += s;
    }
    Some(total)
}

/// The exclusive upper bound of a prefix scan: every text that starts with `prefix` sorts at or
/// above `prefix` and below this (the last character incremented), in byte order on both
/// databases since the keys are ASCII.
pub fn prefix_end(prefix: &str) -> String {
    let mut bytes = prefix.as_bytes().to_vec();
    while let Some(last) = bytes.pop() {
        if last < 0x7e {
            bytes.push(last + 1);
            return String::from_utf8(bytes).unwrap_or_default();
        }
    }
    "~".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_accents_case_and_punctuation() {
        assert_eq!(fold("D'Agostino  Nicolò"), "D AGOSTINO NICOLO");
        assert_eq!(fold("  Çelik-Öztürk "), "CELIK OZTURK");
        assert_eq!(fold("è"), "E");
        assert_eq!(fold("!!"), "");
    }

    #[test]
    fn keys_put_surname_or_name_first() {
        assert_eq!(search_key("Rossi", "Mario"), "ROSSI MARIO");
        assert_eq!(name_key("Rossi", "Mario"), "MARIO ROSSI");
        assert_eq!(search_key("De Luca", "Anna Maria"), "DE LUCA ANNA MARIA");
    }

    #[test]
    fn sound_key_survives_common_typos() {
        assert_eq!(sound_key("Rossi"), sound_key("Rosi"));
        assert_eq!(sound_key("Rossi"), sound_key("Rossy"));
        assert_eq!(sound_key("Cappelli"), sound_key("Capelli"));
        assert_eq!(sound_key("Kappelli"), sound_key("Cappelli"));
        assert_eq!(sound_key("Òrsini"), sound_key("Orsini"));
        assert_ne!(sound_key("Rossi"), sound_key("Russo").replace('S', "T"));
        assert!(sound_key("Abbondanzieri").len() <= 6);
    }

    #[test]
    fn edit_distance_counts_transpositions_as_one() {
        assert_eq!(edit_distance("ROSSI", "ROSSI", 2), Some(0));
        assert_eq!(edit_distance("RSOSI", "ROSSI", 2), Some(1));
        assert_eq!(edit_distance("ROSI", "ROSSI", 2), Some(1));
        assert_eq!(edit_distance("BIANCHI", "BIANKI", 2), Some(2));
        assert_eq!(edit_distance("ROSSI", "VERDI", 2), None);
        assert_eq!(edit_distance("A", "ABCD", 2), None);
    }

    #[test]
    fn a_code_is_told_from_a_name() {
        assert_eq!(Query::parse("rssmra85t10a562s"), Some(Query::Code("RSSMRA85T10A562S".into())));
        assert_eq!(Query::parse("STP1234"), Some(Query::Code("STP1234".into())));
        assert_eq!(Query::parse("Rossi Mario"), Some(Query::Words(vec!["ROSSI".into(), "MARIO".into()])));
        assert_eq!(Query::parse("  "), None);
    }

    #[test]
    fn rank_prefers_exact_then_prefix_then_typos() {
        let w = |s: &str| fold(s).split(' ').map(str::to_string).collect::<Vec<_>>();
        let exact = rank(&w("rossi mario"), "ROSSI MARIO").unwrap();
        let prefix = rank(&w("ross mar"), "ROSSI MARIO").unwrap();
        let typo = rank(&w("rosi mario"), "ROSSI MARIO").unwrap();
        assert!(exact < prefix && prefix < typo, "{exact} {prefix} {typo}");
        assert_eq!(rank(&w("mario rossi"), "ROSSI MARIO"), Some(0), "any order");
        assert_eq!(rank(&w("verdi"), "ROSSI MARIO"), None);
        assert_eq!(rank(&w("rossi rossi"), "ROSSI MARIO"), None, "each typed word takes its own key word");
        assert_eq!(rank(&w("bo"), "BO ANNA"), Some(0));
        assert_eq!(rank(&w("bi"), "BO ANNA"), None, "no typos in short words");
    }

    #[test]
    fn prefix_end_bounds_a_prefix_scan() {
        assert_eq!(prefix_end("ROSS"), "ROST");
        assert_eq!(prefix_end("RSSMRA85"), "RSSMRA86");
        assert_eq!(prefix_end("Z"), "[");
        assert!("ROSSI MARIO" >= "ROSS" && "ROSSI MARIO" < prefix_end("ROSS").as_str());
    }
}
