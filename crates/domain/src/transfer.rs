//! A person's hand-off from one Ambito to another (issue 15, "transfer between Ambiti"): what a
//! proposal must carry and how its state may move. The receiving Ambito sees only what the
//! proposal carries; everything else stays behind the two-Ambiti rule (`access::person`).

/// The state of a transfer: proposed by the sending Ambito, then decided once by the receiving one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferState {
    Proposto,
    Accettato,
    Rifiutato,
}

impl TransferState {
    pub fn code(self) -> &'static str {
        match self {
            TransferState::Proposto => "proposto",
            TransferState::Accettato => "accettato",
            TransferState::Rifiutato => "rifiutato",
        }
    }

    pub fn from_code(code: &str) -> Option<TransferState> {
        [TransferState::Proposto, TransferState::Accettato, TransferState::Rifiutato].into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            TransferState::Proposto => "In attesa di risposta",
            TransferState::Accettato => "Accettato",
            TransferState::Rifiutato => "Rifiutato",
        }
    }

    /// A decision is taken once: only a proposal waiting for an answer can be decided.
    pub fn may_decide(self) -> bool {
        self == TransferState::Proposto
    }
}

/// The longest summary a proposal may carry.
pub const MAX_SUMMARY_CHARS: usize = 5_000;

/// A problem with a proposal, by form field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferProblem {
    pub field: &'static str,
    pub message: String,
}

/// Checks a proposal: another Ambito, a summary, and the person's consent. Without consent
/// nothing may leave the sending Ambito (GDPR art. 6 and the two-Ambiti rule), so it is an error.
pub fn check_proposal(from_ambito: i64, to_ambito: Option<i64>, summary: &str, consent: bool) -> Vec<TransferProblem> {
    let mut out = Vec::new();
    let problem = |field, message: &str| TransferProblem { field, message: message.to_string() };
    match to_ambito {
        None => out.push(problem("ambito", "scegliere l'Ambito di destinazione")),
        Some(to) if to == from_ambito => out.push(problem("ambito", "l'Ambito di destinazione deve essere diverso da questo")),
        Some(_) => {}
    }
    let chars = summary.trim().chars().count();
    if chars == 0 {
        out.push(problem("sintesi", "scrivere una sintesi per l'Ambito che riceve"));
    } else if chars > MAX_SUMMARY_CHARS {
        out.push(problem("sintesi", "la sintesi è troppo lunga (massimo 5.000 caratteri)"));
    }
    if !consent {
        out.push(problem("consenso", "senza il consenso della persona il trasferimento non può essere proposto"));
    }
    out
}

/// A rejection must say why, so the sending Ambito knows what to do next.
pub fn check_rejection_note(note: &str) -> Result<String, String> {
    let t = note.trim();
    if t.is_empty() {
        return Err("indicare il motivo del rifiuto".into());
    }
    if t.chars().count() > 2_000 {
        return Err("il motivo è troppo lungo (massimo 2.000 caratteri)".into());
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proposal_needs_another_ambito_a_summary_and_consent() {
        assert!(check_proposal(1, Some(2), "Trasferimento di residenza, SAD in corso.", true).is_empty());
        let fields = |p: Vec<TransferProblem>| p.into_iter().map(|p| p.field).collect::<Vec<_>>();
        assert_eq!(fields(check_proposal(1, Some(2), "Sintesi", false)), ["consenso"]);
        assert_eq!(fields(check_proposal(1, Some(1), " ", true)), ["ambito", "sintesi"]);
        assert_eq!(fields(check_proposal(1, None, &"x".repeat(5_001), false)), ["ambito", "sintesi", "consenso"]);
    }

    #[test]
    fn a_transfer_is_decided_once() {
        for s in [TransferState::Proposto, TransferState::Accettato, TransferState::Rifiutato] {
            assert_eq!(TransferState::from_code(s.code()), Some(s));
        }
        assert!(TransferState::Proposto.may_decide());
        assert!(!TransferState::Accettato.may_decide() && !TransferState::Rifiutato.may_decide());
        assert!(check_rejection_note("  ").is_err());
        assert_eq!(check_rejection_note(" Non residente nel nostro territorio "), Ok("Non residente nel nostro territorio".into()));
    }
}
