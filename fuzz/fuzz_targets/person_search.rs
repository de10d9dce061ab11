//! The one-box person search: what was typed (`Query::parse`) and how a candidate's key ranks
//! against it (`rank`). The input is the typed text, then optionally a newline and a candidate's
//! surname and name separated by a tab.
#![no_main]

use ambito_domain::person_search::{Query, edit_distance, fold, prefix_end, rank, search_key, sound_key};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (typed, candidate) = text.split_once('\n').unwrap_or((text, ""));
    let folded = fold(typed);
    assert_eq!(fold(&folded), folded, "folding is idempotent");
    assert!(folded.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == ' '), "{folded:?}");
    assert!(!folded.starts_with(' ') && !folded.ends_with(' ') && !folded.contains("  "), "{folded:?}");
    let _ = sound_key(typed);
    match Query::parse(typed) {
        None => assert!(folded.is_empty()),
        Some(Query::Code(code)) => {
            assert!(code.len() >= 4 && code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()), "{code:?}");
            let end = prefix_end(&code);
            assert!(end.as_str() > code.as_str(), "the scan's bound is above the prefix");
        }
        Some(Query::Words(words)) => {
            assert!(!words.is_empty() && words.iter().all(|w| !w.is_empty() && !w.contains(' ')), "{words:?}");
            // A key made of the typed words themselves is an exact match, in any order.
            assert_eq!(rank(&words, &words.join(" ")), Some(0), "{words:?}");
            let mut reversed = words.clone();
            reversed.reverse();
            assert_eq!(rank(&words, &reversed.join(" ")), Some(0), "{words:?}");
            let (cognome, nome) = candidate.split_once('\t').unwrap_or((candidate, ""));
            let key = search_key(cognome, nome);
            if let Some(score) = rank(&words, &key) {
                // Every typed word used a different word of the key.
                assert!(words.len() <= key.split(' ').filter(|w| !w.is_empty()).count(), "{words:?} {key:?}");
                let _ = score;
            }
            if let (Some(a), Some(b)) = (words.first(), key.split(' ').next()) {
                assert_eq!(edit_distance(a, b, 3), edit_distance(b, a, 3), "the distance is symmetric: {a} {b}");
            }
        }
    }
});
