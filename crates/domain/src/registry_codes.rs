//! The codes a person record carries besides the codice fiscale: the Belfiore code of the birth
//! place, the ISTAT code of a foreign state (citizenship) and of a Comune (residence). Only the
//! shape is checked here: whether a Comune exists is a question for the territory tables.

/// A Belfiore (cadastral) code: a letter and three digits, `Z…` for foreign states (`H501` Roma,
/// `Z404` Stati Uniti).
pub fn is_belfiore(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 4 && b[0].is_ascii_alphabetic() && b[1..].iter().all(u8::is_ascii_digit)
}

/// An ISTAT state code: three digits (`100` Italia, `215` Francia…).
pub fn is_istat_state(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit())
}

/// The ISTAT code of Italy among the state codes.
pub const ITALIA: &str = "100";

/// An ISTAT Comune code: six digits (province and progressive number, `016086` Lovere).
pub fn is_istat_comune(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn belfiore_shape() {
        for ok in ["H501", "Z404", "a562"] {
            assert!(is_belfiore(ok), "{ok}");
        }
        for bad in ["", "H50", "H5011", "1501", "HH01", "H5O1", "È501"] {
            assert!(!is_belfiore(bad), "{bad}");
        }
    }

    #[test]
    fn state_and_comune_shape() {
        assert!(is_istat_state(ITALIA));
        assert!(is_istat_state("215"));
        assert!(!is_istat_state("10"));
        assert!(!is_istat_state("1000"));
        assert!(!is_istat_state("1a0"));
        assert!(is_istat_comune("016086"));
        assert!(!is_istat_comune("16086"));
        assert!(!is_istat_comune("0160860"));
        assert!(!is_istat_comune("01608A"));
    }
}
