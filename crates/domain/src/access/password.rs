//! Password rules in the spirit of NIST SP 800-63B: length over composition rules, no
//! periodic-change rule, and refusal of passwords an attacker would try early. The bundled list
//! of common passwords has few entries of 12 or more characters, so a length rule plus the list
//! alone lets `password12345` through; a few rules in the manner of zxcvbn, each small enough to
//! explain to the user who is refused, cover what guessing tools try first:
//!
//! - a common password with digits or symbols around it, or with letters swapped for look-alike
//!   digits (`P@ssw0rd2024!`);
//! - sequences and repeats: `abcdefghijkl`, `123456789012`, `qwertyuiop12`, `abcabcabcabc`;
//! - the username or a part of the person's name (`mario.rossi.85`);
//! - fewer than five different characters (`abababababab`).

/// The most common passwords (one per line, lower case), from public breach corpora.
const COMMON: &str = include_str!("common-passwords.txt");

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 128;
/// Fewer different characters than this is too little variety, whatever the length.
pub const MIN_DISTINCT: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("la password deve avere almeno {MIN_LEN} caratteri")]
    TooShort,
    #[error("la password può avere al massimo {MAX_LEN} caratteri")]
    TooLong,
    #[error("la password è tra quelle più comuni: sceglierne un'altra")]
    Common,
    #[error("la password è una password comune con qualche cifra, simbolo o sostituzione in più: sceglierne un'altra")]
    CommonWithAdditions,
    #[error("la password non può contenere il nome utente")]
    ContainsUsername,
    #[error("la password non può contenere il proprio nome o cognome")]
    ContainsName,
    #[error("la password non può essere un solo carattere ripetuto")]
    Repetitive,
    #[error("la password ripete più volte lo stesso gruppo di caratteri")]
    RepeatedPattern,
    #[error("la password è fatta di sequenze prevedibili (come abcd, 1234, qwerty)")]
    Sequence,
    #[error("la password usa troppo pochi caratteri diversi (almeno {MIN_DISTINCT})")]
    LowVariety,
}

/// Checks a new password. Length counts characters, not bytes (NIST: Unicode is allowed).
pub fn check_password(password: &str, username: &str) -> Result<(), PasswordProblem> {
    check_password_for(password, username, "")
}

/// As [`check_password`], also refusing a password that contains a part (4 letters or more) of
/// the person's `name`.
pub fn check_password_for(password: &str, username: &str, name: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_LEN {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_LEN {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    let mut it = lower.chars();
    if let Some(first) = it.next()
        && it.all(|c| c == first)
    {
        return Err(PasswordProblem::Repetitive);
    }
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        return Err(PasswordProblem::ContainsUsername);
    }
    let name = name.to_lowercase();
    if name.split(|c: char| !c.is_alphabetic()).any(|part| part.chars().count() >= 4 && lower.contains(part)) {
        return Err(PasswordProblem::ContainsName);
    }
    if is_common(&lower) {
        return Err(PasswordProblem::Common);
    }
    if common_with_additions(&lower) {
        return Err(PasswordProblem::CommonWithAdditions);
    }
    if repeats_a_group(&lower) {
        return Err(PasswordProblem::RepeatedPattern);
    }
    let distinct: std::collections::BTreeSet<char> = lower.chars().collect();
    if distinct.len() < MIN_DISTINCT {
        return Err(PasswordProblem::LowVariety);
    }
    if mostly_sequences(&lower) {
        return Err(PasswordProblem::Sequence);
    }
    Ok(())
}

fn is_common(lower: &str) -> bool {
    COMMON.lines().any(|l| l == lower)
}

/// Digits or symbols trimmed off both ends, and look-alike digits and symbols read as letters:
/// is what is left a common password? (`password12345`, `!!juventus!!`, `P@ssw0rd2024!`.)
fn common_with_additions(lower: &str) -> bool {
    let trim = |s: &str| s.trim_matches(|c: char| !c.is_alphabetic()).to_string();
    let unleet = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '0' => 'o',
                '1' | '!' => 'i',
                '3' => 'e',
                '4' | '@' => 'a',
                '5' | '$' => 's',
                '7' => 't',
                c => c,
            })
            .collect()
    };
    let core = trim(lower);
    [unleet(&core), trim(&unleet(lower)), core].iter().any(|c| c.chars().count() >= 4 && is_common(c))
}

/// The whole password is one group of characters said again and again (`abcabcabcabc`,
/// `ciao1ciao1ciao1`).
fn repeats_a_group(lower: &str) -> bool {
    let chars: Vec<char> = lower.chars().collect();
    (1..=chars.len() / 2).any(|p| chars.len().is_multiple_of(p) && chars.chunks(p).all(|c| c == &chars[..p]))
}

/// Rows of a keyboard and the alphabet, for sequences in either direction.
const SEQUENCES: [&str; 5] = ["abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

/// All but at most three characters belong to runs of three or more that are a stretch of the
/// alphabet, the digits or a keyboard row, either way (`abcdef123456`, `qwertyuiop12`,
/// `987654321098`, `zxcvbnmlkjhg`), or one character said again (`aaa`).
fn mostly_sequences(lower: &str) -> bool {
    let chars: Vec<char> = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    let is_run = |run: &[char]| {
        let text: String = run.iter().collect();
        let back: String = run.iter().rev().collect();
        run.iter().all(|c| *c == run[0]) || SEQUENCES.iter().any(|row| row.contains(&text) || row.contains(&back))
    };
    let (mut covered, mut i) = (0, 0);
    while i < chars.len() {
        let mut j = i + 1;
        while j < chars.len() && is_run(&chars[i..=j]) {
            j += 1;
        }
        if j - i >= 3 {
            covered += j - i;
        }
        i = j;
    }
    !chars.is_empty() && covered + 3 >= lower.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_decides_not_composition() {
        assert_eq!(check_password("short", "anna"), Err(PasswordProblem::TooShort));
        assert_eq!(check_password("undici car!", "anna"), Err(PasswordProblem::TooShort));
        // Twelve lower-case letters with spaces: fine, no composition rule.
        assert_eq!(check_password("lago di iseo", "anna"), Ok(()));
        assert_eq!(check_password(&"x".repeat(129), "anna"), Err(PasswordProblem::TooLong));
        // Characters, not bytes: 12 accented letters pass.
        assert_eq!(check_password("àèìòùàèìòùàè", "anna"), Ok(()));
    }

    #[test]
    fn common_and_trivial_passwords_are_refused() {
        assert_eq!(check_password("password1234", "anna"), Err(PasswordProblem::Common));
        assert_eq!(check_password("Password1234", "anna"), Err(PasswordProblem::Common));
        assert_eq!(check_password("aaaaaaaaaaaaaa", "anna"), Err(PasswordProblem::Repetitive));
        assert_eq!(check_password("anna.rossi.2026", "anna.rossi"), Err(PasswordProblem::ContainsUsername));
    }

    #[test]
    fn a_common_password_with_additions_is_refused() {
        for weak in ["password12345", "Password12345!", "!!juventus2024!!", "P@ssw0rd2024!", "Juventus1897!!", "iloveyou2025!!"] {
            assert_eq!(check_password(weak, "anna"), Err(PasswordProblem::CommonWithAdditions), "{weak}");
        }
    }

    #[test]
    fn sequences_repeats_and_low_variety_are_refused() {
        for (weak, why) in [
            ("abcdefghijklm", PasswordProblem::Sequence),
            ("abcdef123456", PasswordProblem::Sequence),
            ("987654321098", PasswordProblem::Sequence),
            ("zxcvbnmlkjhg", PasswordProblem::Sequence),
            ("zyxwvutsrqpo", PasswordProblem::Sequence),
            ("ciao1ciao1ciao1", PasswordProblem::RepeatedPattern),
            ("lagolagolago", PasswordProblem::RepeatedPattern),
            ("abababababab", PasswordProblem::RepeatedPattern),
            ("aaaabbbbcccc", PasswordProblem::LowVariety),
            ("1212121212ab", PasswordProblem::LowVariety),
        ] {
            assert_eq!(check_password(weak, "anna"), Err(why), "{weak}");
        }
    }

    #[test]
    fn the_persons_name_is_refused() {
        assert_eq!(check_password_for("mario.rossi.85", "m.rossi", "Mario Rossi"), Err(PasswordProblem::ContainsName));
        assert_eq!(check_password_for("ROSSI del lago", "m.rossi", "Mario Rossi"), Err(PasswordProblem::ContainsName));
        // Parts of fewer than four letters are too common to refuse.
        assert_eq!(check_password_for("lago d'iseo in autunno", "l.re", "Lia Re"), Ok(()));
    }

    #[test]
    fn good_passphrases_still_pass() {
        for good in [
            "lago d'iseo in autunno",
            "lago di iseo al tramonto",
            "cavallo batteria graffetta",
            "Tr3no-per-Lovere-alle-7",
            "738291047362",
            "abc lago iseo 2025",
        ] {
            assert_eq!(check_password_for(good, "anna", "Anna Verdi"), Ok(()), "{good}");
        }
    }

    #[test]
    fn the_bundled_list_is_large_and_lower_case() {
        assert!(COMMON.lines().count() >= 1000);
        assert!(COMMON.lines().all(|l| l == l.to_lowercase()));
    }
}
