//! Who may do what. The roles, their permissions and their default grants are data (stored, and
//! editable by an administrator); this module holds the one decision function that reads them.
//! Default deny: anything not granted here is refused.

pub mod password;
mod person;
mod roles;
mod uploads;

pub use password::{PasswordProblem, check_password, check_password_for};
pub use person::{CaseFacts, PersonDecision, PersonFacts, person_access};
pub use roles::{CITIZEN_ROLE, DEFAULT_ROLES, Perm, RoleDef};
pub use uploads::{UploadKind, sees_suppressed_figures};

use std::collections::BTreeSet;

/// One role held by a user, with its scope and the permissions its role carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub role: String,
    /// `None`: every Ambito (the system administrator, the DPO).
    pub ambito_id: Option<i64>,
    /// An operatore comunale sees only this Comune's residents.
    pub comune_istat: Option<String>,
    /// An ente gestore sees only what is assigned to this provider.
    pub provider: Option<String>,
    pub permissions: BTreeSet<String>,
}

impl Grant {
    fn covers(&self, perm: Perm, ambito_id: Option<i64>) -> bool {
        self.permissions.contains(perm.code())
            && match (self.ambito_id, ambito_id) {
                (None, _) => true,
                (Some(own), Some(asked)) => own == asked,
                // A scoped grant never covers a question asked outside any Ambito.
                (Some(_), None) => false,
            }
    }

    /// Whether person access through this grant is limited to the care team.
    pub fn care_team_bound(&self) -> bool {
        self.permissions.contains(Perm::ScopeCareTeam.code())
    }
}

/// The caller of a request, as far as access is concerned.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub grants: Vec<Grant>,
    /// The person this account belongs to (a citizen logged in with SPID/CIE).
    pub person_id: Option<i64>,
    /// An API token narrows the user's permissions to these; `None` for a browser session.
    pub scopes: Option<BTreeSet<String>>,
}

impl Principal {
    /// A citizen and nothing else (no staff role): their home is their own area.
    pub fn is_citizen_only(&self) -> bool {
        self.person_id.is_some() && self.grants.iter().all(|g| g.role == CITIZEN_ROLE)
    }

    fn scoped(&self, perm: Perm) -> bool {
        self.scopes.as_ref().is_none_or(|s| s.contains(perm.code()))
    }

    /// May the caller use `perm` in this Ambito (`None`: outside any Ambito, e.g. the region)?
    pub fn may(&self, perm: Perm, ambito_id: Option<i64>) -> bool {
        self.scoped(perm) && self.grants.iter().any(|g| g.covers(perm, ambito_id))
    }

    /// The grants that give `perm` in this Ambito.
    pub fn grants_for(&self, perm: Perm, ambito_id: i64) -> impl Iterator<Item = &Grant> {
        let scoped = self.scoped(perm);
        self.grants.iter().filter(move |g| scoped && g.covers(perm, Some(ambito_id)))
    }

    /// The providers whose rows the caller may send with `perm` in this Ambito: `None` when a
    /// grant giving `perm` there is not bound to a provider (any provider's rows), otherwise the
    /// providers of the grants that give it (an ente gestore reports only its own deliveries).
    pub fn providers_for(&self, perm: Perm, ambito_id: i64) -> Option<BTreeSet<String>> {
        let mut own = BTreeSet::new();
        for g in self.grants_for(perm, ambito_id) {
            own.insert(g.provider.clone()?);
        }
        Some(own)
    }

    /// The Ambiti the caller holds any role in; `None` when a grant covers all of them.
    pub fn ambiti(&self) -> Option<BTreeSet<i64>> {
        let mut out = BTreeSet::new();
        for g in &self.grants {
            out.insert(g.ambito_id?);
        }
        Some(out)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn grant(role: &str, ambito: Option<i64>) -> Grant {
        let def = DEFAULT_ROLES.iter().find(|r| r.code == role).expect("known role");
        Grant {
            role: role.into(),
            ambito_id: ambito,
            comune_istat: None,
            provider: None,
            permissions: def.permissions.iter().map(|p| p.code().to_string()).collect(),
        }
    }

    fn principal(grants: Vec<Grant>) -> Principal {
        Principal { user_id: 7, username: "u".into(), grants, ..Principal::default() }
    }

    #[test]
    fn scoped_grants_stop_at_their_ambito() {
        let p = principal(vec![grant("responsabile", Some(1))]);
        assert!(p.may(Perm::ActivityWrite, Some(1)));
        assert!(!p.may(Perm::ActivityWrite, Some(2)));
        assert!(!p.may(Perm::ActivityWrite, None));
        assert!(!p.may(Perm::RoleManage, Some(1)));
    }

    #[test]
    fn an_ente_gestore_reports_only_its_own_provider() {
        let mut coop = grant("ente_gestore", Some(1));
        coop.provider = Some("Coop Sole".into());
        let p = principal(vec![coop.clone()]);
        assert_eq!(p.providers_for(Perm::DeliveryImport, 1), Some(["Coop Sole".to_string()].into()));
        assert_eq!(p.providers_for(Perm::DeliveryImport, 2), Some(BTreeSet::new()), "no grant there: no provider");
        let both = principal(vec![coop, grant("responsabile", Some(1))]);
        assert_eq!(both.providers_for(Perm::DeliveryImport, 1), None, "an unbound grant reports for every provider");
    }

    #[test]
    fn the_administrator_covers_every_ambito() {
        let p = principal(vec![grant("admin", None)]);
        assert!(p.may(Perm::ActivityWrite, Some(1)));
        assert!(p.may(Perm::RoleManage, None));
        assert_eq!(p.ambiti(), None);
    }

    #[test]
    fn no_grant_means_no_access() {
        let p = principal(vec![]);
        for perm in Perm::ALL {
            assert!(!p.may(*perm, Some(1)), "{perm:?}");
        }
    }

    #[test]
    fn an_api_token_narrows_but_never_widens() {
        let mut p = principal(vec![grant("amministrativo", Some(1))]);
        p.scopes = Some([Perm::ReportRead.code().to_string(), Perm::UserManage.code().to_string()].into());
        assert!(p.may(Perm::ReportRead, Some(1)));
        assert!(!p.may(Perm::ActivityWrite, Some(1)), "not in the token's scopes");
        assert!(!p.may(Perm::UserManage, Some(1)), "in the scopes but not in the role");
    }

    #[test]
    fn the_administrative_role_never_reads_clinical_notes() {
        let p = principal(vec![grant("amministrativo", Some(1))]);
        assert!(p.may(Perm::BudgetWrite, Some(1)));
        assert!(p.may(Perm::PersonRead, Some(1)));
        assert!(!p.may(Perm::ClinicalRead, Some(1)));
    }

    #[test]
    fn the_evaluator_reads_only_suppressed_aggregates() {
        let p = principal(vec![grant("valutatore", Some(1))]);
        assert!(p.may(Perm::ReportReadSuppressed, Some(1)));
        assert!(!p.may(Perm::ReportRead, Some(1)));
        assert!(!p.may(Perm::PersonRead, Some(1)));
    }
}
