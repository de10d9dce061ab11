//! The audit log as the offices read it: the page's table and its CSV download share these
//! columns, so what is seen on screen is what is exported.

use crate::RenderError;
use crate::csv_safe::CsvOut;
use ambito_domain::audit::Entry;

pub const HEADER: [&str; 9] = ["N.", "Quando", "Utente", "Azione", "Oggetto", "Persona", "Ambito", "Indirizzo", "Motivo"];

/// One entry as the row of the page and of the CSV (a flagged access is marked with ⚑).
pub fn row(e: &Entry) -> Vec<String> {
    vec![
        e.seq.to_string(),
        e.at.clone(),
        e.username.clone(),
        format!("{}{}", e.action, if e.flagged { " ⚑" } else { "" }),
        e.object.clone(),
        e.person_id.map(|p| p.to_string()).unwrap_or_default(),
        e.ambito.clone().unwrap_or_default(),
        e.ip.clone().unwrap_or_default(),
        e.reason.clone().unwrap_or_default(),
    ]
}

/// The entries as CSV with CRLF line ends (it opens in spreadsheets as it is). Every cell goes
/// through `csv_safe`: a user name or a reason can be typed by anyone.
pub fn audit_csv(entries: &[Entry]) -> Result<Vec<u8>, RenderError> {
    let mut w = CsvOut::crlf();
    w.record(HEADER)?;
    for e in entries {
        w.record(row(e))?;
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(username: &str, flagged: bool) -> Entry {
        Entry {
            seq: 7,
            at: "2026-12-03T10:00:00Z".into(),
            user_id: Some(3),
            username: username.into(),
            action: "lettura".into(),
            object: "persona/12".into(),
            person_id: Some(12),
            ambito: Some("ALTO_SEBINO".into()),
            ip: None,
            reason: Some("emergenza".into()),
            flagged,
        }
    }

    #[test]
    fn rows_mark_flagged_accesses_and_keep_blanks_empty() {
        let r = row(&entry("anna", true));
        assert_eq!(r.len(), HEADER.len());
        assert_eq!(r[3], "lettura ⚑");
        assert_eq!(r[7], "", "no address is an empty cell");
    }

    #[test]
    fn csv_neutralises_formulas_typed_as_user_names() {
        let text = String::from_utf8(audit_csv(&[entry("=HYPERLINK(\"x\")", false)]).unwrap()).unwrap();
        let mut lines = text.split("\r\n");
        assert_eq!(lines.next(), Some(HEADER.join(";").as_str()));
        let line = lines.next().unwrap();
        assert!(line.starts_with("7;2026-12-03T10:00:00Z;"), "{line}");
        assert!(!line.contains(";=HYPERLINK"), "a formula never starts a cell: {line}");
    }
}
