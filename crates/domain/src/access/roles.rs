//! The permissions the code knows, and the roles shipped by default. The roles are copied into the
//! database at first start; from then on the stored rows decide.

/// A permission. Its code is what the database and API token scopes store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Perm {
    /// Dashboards, catalogue, demography and the annual report with every figure.
    ReportRead,
    /// The same aggregates with small cells suppressed (evaluators, the public).
    ReportReadSuppressed,
    ReportWrite,
    ActivityRead,
    ActivityWrite,
    BudgetWrite,
    ImportWrite,
    DeliveryImport,
    PersonRead,
    PersonWrite,
    ClinicalRead,
    ClinicalWrite,
    /// Right of access (GDPR art. 15) exports.
    PersonExport,
    BreakGlass,
    AuditRead,
    UserManage,
    RoleManage,
    PlanRead,
    PlanWrite,
    QuestionnaireManage,
    /// A citizen's own data.
    SelfRead,
    /// A marker rather than a power: person access through this role needs care-team membership.
    ScopeCareTeam,
}

/// The role every citizen who logs in with SPID/CIE gets.
pub const CITIZEN_ROLE: &str = "cittadino";

impl Perm {
    pub const ALL: &'static [Perm] = &[
        Perm::ReportRead,
        Perm::ReportReadSuppressed,
        Perm::ReportWrite,
        Perm::ActivityRead,
        Perm::ActivityWrite,
        Perm::BudgetWrite,
        Perm::ImportWrite,
        Perm::DeliveryImport,
        Perm::PersonRead,
        Perm::PersonWrite,
        Perm::ClinicalRead,
        Perm::ClinicalWrite,
        Perm::PersonExport,
        Perm::BreakGlass,
        Perm::AuditRead,
        Perm::UserManage,
        Perm::RoleManage,
        Perm::PlanRead,
        Perm::PlanWrite,
        Perm::QuestionnaireManage,
        Perm::SelfRead,
        Perm::ScopeCareTeam,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Perm::ReportRead => "report.read",
            Perm::ReportReadSuppressed => "report.read_suppressed",
            Perm::ReportWrite => "report.write",
            Perm::ActivityRead => "activity.read",
            Perm::ActivityWrite => "activity.write",
            Perm::BudgetWrite => "budget.write",
            Perm::ImportWrite => "import.write",
            Perm::DeliveryImport => "delivery.import",
            Perm::PersonRead => "person.read",
            Perm::PersonWrite => "person.write",
            Perm::ClinicalRead => "clinical.read",
            Perm::ClinicalWrite => "clinical.write",
            Perm::PersonExport => "person.export",
            Perm::BreakGlass => "person.break_glass",
            Perm::AuditRead => "audit.read",
            Perm::UserManage => "user.manage",
            Perm::RoleManage => "role.manage",
            Perm::PlanRead => "plan.read",
            Perm::PlanWrite => "plan.write",
            Perm::QuestionnaireManage => "questionnaire.manage",
            Perm::SelfRead => "self.read",
            Perm::ScopeCareTeam => "scope.care_team",
        }
    }

    pub fn from_code(code: &str) -> Option<Perm> {
        Perm::ALL.iter().copied().find(|p| p.code() == code)
    }
}

/// A role as shipped.
#[derive(Debug)]
pub struct RoleDef {
    pub code: &'static str,
    pub name: &'static str,
    /// Staff roles must use a second factor.
    pub staff: bool,
    pub permissions: &'static [Perm],
}

use Perm::*;

const CARE: &[Perm] =
    &[ReportRead, ActivityRead, PersonRead, PersonWrite, ClinicalRead, ClinicalWrite, BreakGlass, PlanRead, ScopeCareTeam];

pub const DEFAULT_ROLES: &[RoleDef] = &[
    RoleDef { code: "admin", name: "Amministratore di sistema", staff: true, permissions: Perm::ALL_POWERS },
    RoleDef {
        code: "responsabile",
        name: "Responsabile Ufficio di Piano",
        staff: true,
        permissions: &[
            ReportRead,
            ReportWrite,
            ActivityRead,
            ActivityWrite,
            BudgetWrite,
            ImportWrite,
            DeliveryImport,
            PersonRead,
            PersonWrite,
            ClinicalRead,
            ClinicalWrite,
            PersonExport,
            AuditRead,
            UserManage,
            PlanRead,
            PlanWrite,
            QuestionnaireManage,
        ],
    },
    RoleDef { code: "assistente_sociale", name: "Assistente sociale", staff: true, permissions: CARE },
    RoleDef { code: "educatore", name: "Educatore", staff: true, permissions: CARE },
    RoleDef { code: "psicologo", name: "Psicologo", staff: true, permissions: CARE },
    RoleDef {
        code: "amministrativo",
        name: "Amministrativo",
        staff: true,
        permissions: &[
            ReportRead,
            ReportWrite,
            ActivityRead,
            ActivityWrite,
            BudgetWrite,
            ImportWrite,
            DeliveryImport,
            PersonRead,
            PersonWrite,
            PlanRead,
        ],
    },
    RoleDef {
        code: "operatore_comunale",
        name: "Operatore comunale",
        staff: true,
        permissions: &[ReportRead, ActivityRead, PersonRead, PersonWrite, PlanRead],
    },
    RoleDef { code: "ente_gestore", name: "Ente gestore", staff: true, permissions: &[DeliveryImport, PersonRead] },
    RoleDef { code: "valutatore", name: "Valutatore", staff: true, permissions: &[ReportReadSuppressed, PlanRead] },
    RoleDef { code: "dpo", name: "Responsabile protezione dati (DPO)", staff: true, permissions: &[AuditRead, PersonExport, ReportRead] },
    RoleDef { code: CITIZEN_ROLE, name: "Cittadino", staff: false, permissions: &[SelfRead] },
];

impl Perm {
    /// Every permission but the last two of `ALL`, which are not powers: a citizen's own data and
    /// the care-team restriction.
    const ALL_POWERS: &'static [Perm] = Perm::ALL.split_at(Perm::ALL.len() - 2).0;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for p in Perm::ALL {
            assert_eq!(Perm::from_code(p.code()), Some(*p));
            assert!(seen.insert(p.code()), "duplicate code {}", p.code());
        }
        assert_eq!(Perm::from_code("everything"), None);
    }

    #[test]
    fn the_administrator_is_not_bound_to_a_care_team() {
        let admin = DEFAULT_ROLES.iter().find(|r| r.code == "admin").expect("admin");
        assert!(!admin.permissions.contains(&ScopeCareTeam));
        assert!(!admin.permissions.contains(&SelfRead));
        assert_eq!(admin.permissions.len(), Perm::ALL.len() - 2, "every other permission");
    }
}
