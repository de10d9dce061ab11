//! What may be uploaded through the web, and the permission each kind of file needs. The upload
//! route admits any of them; the kind chosen in the form decides, here, which one it takes.

use super::{Perm, Principal};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadKind {
    Activity,
    Budget,
    Deliveries,
}

impl UploadKind {
    pub const ALL: [UploadKind; 3] = [UploadKind::Activity, UploadKind::Budget, UploadKind::Deliveries];

    /// The form value.
    pub fn code(self) -> &'static str {
        match self {
            UploadKind::Activity => "attivita",
            UploadKind::Budget => "budget",
            UploadKind::Deliveries => "consegne",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UploadKind::Activity => "Attività per servizio e anno",
            UploadKind::Budget => "Budget per fonte di finanziamento",
            UploadKind::Deliveries => "Consegne degli enti erogatori",
        }
    }

    pub fn parse(code: &str) -> Option<UploadKind> {
        UploadKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn permission(self) -> Perm {
        match self {
            UploadKind::Activity => Perm::ImportWrite,
            UploadKind::Budget => Perm::BudgetWrite,
            UploadKind::Deliveries => Perm::DeliveryImport,
        }
    }

    /// The kinds `p` may upload in this Ambito: what the form offers, and all the upload accepts.
    pub fn allowed(p: &Principal, ambito_id: i64) -> Vec<UploadKind> {
        UploadKind::ALL.into_iter().filter(|k| p.may(k.permission(), Some(ambito_id))).collect()
    }
}

/// Evaluators read aggregates with small cells suppressed; anyone with `report.read` in the
/// Ambito (or, outside one, everywhere) sees every figure.
pub fn sees_suppressed_figures(p: &Principal, ambito_id: Option<i64>) -> bool {
    !p.may(Perm::ReportRead, ambito_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::tests::grant;

    fn user(roles: &[&str]) -> Principal {
        Principal { user_id: 1, username: "u".into(), grants: roles.iter().map(|r| grant(r, Some(7))).collect(), ..Principal::default() }
    }

    #[test]
    fn each_kind_needs_its_own_permission() {
        assert_eq!(UploadKind::allowed(&user(&["ente_gestore"]), 7), vec![UploadKind::Deliveries]);
        assert!(UploadKind::allowed(&user(&["ente_gestore"]), 8).is_empty(), "another Ambito");
        assert!(UploadKind::allowed(&user(&["valutatore"]), 7).is_empty());
        assert_eq!(UploadKind::parse("budget"), Some(UploadKind::Budget));
        assert_eq!(UploadKind::parse("altro"), None);
        for k in UploadKind::ALL {
            assert_eq!(UploadKind::parse(k.code()), Some(k));
        }
    }

    #[test]
    fn only_readers_without_report_read_get_suppressed_figures() {
        assert!(sees_suppressed_figures(&user(&["valutatore"]), Some(7)));
        assert!(!sees_suppressed_figures(&user(&["responsabile"]), Some(7)));
    }
}
