//! Password rules in the spirit of NIST SP 800-63B: length over composition rules, no
//! periodic-change rule, and refusal of passwords found in a list of common ones.

/// The most common passwords (one per line, lower case), from public breach corpora.
const COMMON: &str = include_str!("common-passwords.txt");

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("la password deve avere almeno {MIN_LEN} caratteri")]
    TooShort,
    #[error("la password può avere al massimo {MAX_LEN} caratteri")]
    TooLong,
    #[error("la password è tra quelle più comuni: sceglierne un'altra")]
    Common,
    #[error("la password non può contenere il nome utente")]
    ContainsUsername,
    #[error("la password non può essere un solo carattere ripetuto")]
    Repetitive,
}

/// Checks a new password. Length counts characters, not bytes (NIST: Unicode is allowed).
pub fn check_password(password: &str, username: &str) -> Result<(), PasswordProblem> {
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
    if is_common(&lower) {
        return Err(PasswordProblem::Common);
    }
    Ok(())
}

fn is_common(lower: &str) -> bool {
    COMMON.lines().any(|l| l == lower)
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
    fn the_bundled_list_is_large_and_lower_case() {
        assert!(COMMON.lines().count() >= 1000);
        assert!(COMMON.lines().all(|l| l == l.to_lowercase()));
    }
}
