//! Access to one person's data.
//!
//! The rule for a person known to several Ambiti (say, after moving house) is that **access
//! follows the case, not the person**: each Ambito sees a person only through the cases
//! (*prese in carico*) it opened itself, and only those cases. A closed case in the old Ambito
//! stays readable there for its retention period; the new Ambito does not see it. The shared
//! identity (codice fiscale, name, date of birth) is visible wherever a case exists.

use super::{Perm, Principal};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub ambito_id: i64,
    pub provider: Option<String>,
    pub team: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFacts {
    pub person_id: i64,
    pub comune_istat: Option<String>,
    pub cases: Vec<CaseFacts>,
    /// Ambiti whose front desk registered the person (a contact, a proposal) without a case.
    pub registered_in: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonDecision {
    Allow,
    /// Allowed only because of an active break-glass; the access is flagged in the audit.
    AllowBreakGlass,
    /// Not in the care team, but the role may break the glass with a written reason.
    NeedBreakGlass,
    Deny,
}

/// May the caller use `perm` on this person's data inside Ambito `ambito_id`?
pub fn person_access(p: &Principal, perm: Perm, ambito_id: i64, person: &PersonFacts, break_glass_active: bool) -> PersonDecision {
    if p.person_id == Some(person.person_id) && p.may(Perm::SelfRead, None) {
        // A citizen reads their own data; writing goes through the services that own it.
        return if matches!(perm, Perm::PersonRead | Perm::PersonExport) { PersonDecision::Allow } else { PersonDecision::Deny };
    }
    let cases: Vec<&CaseFacts> = person.cases.iter().filter(|c| c.ambito_id == ambito_id).collect();
    if cases.is_empty() {
        return registry_only_access(p, perm, ambito_id, person);
    }
    let mut may_break_glass = false;
    for g in p.grants_for(perm, ambito_id) {
        if let Some(comune) = &g.comune_istat
            && person.comune_istat.as_ref() != Some(comune)
        {
            continue;
        }
        if let Some(provider) = &g.provider
            && !cases.iter().any(|c| c.provider.as_ref() == Some(provider))
        {
            continue;
        }
        if g.care_team_bound() && !cases.iter().any(|c| c.team.contains(&p.user_id)) {
            may_break_glass |= g.permissions.contains(Perm::BreakGlass.code());
            continue;
        }
        return PersonDecision::Allow;
    }
    match (may_break_glass, break_glass_active) {
        (true, true) => PersonDecision::AllowBreakGlass,
        (true, false) => PersonDecision::NeedBreakGlass,
        _ => PersonDecision::Deny,
    }
}

/// A person the Ambito's front desk registered but has not taken in charge: there is no case
/// and so no care team, only the identity and the contacts. Any holder of the permission in the
/// Ambito may use it (the Comune restriction still applies); a grant bound to a provider sees
/// only its own cases, so nothing here; clinical material does not exist yet, so never.
fn registry_only_access(p: &Principal, perm: Perm, ambito_id: i64, person: &PersonFacts) -> PersonDecision {
    if !person.registered_in.contains(&ambito_id) || matches!(perm, Perm::ClinicalRead | Perm::ClinicalWrite) {
        return PersonDecision::Deny;
    }
    let allowed = p
        .grants_for(perm, ambito_id)
        .any(|g| g.provider.is_none() && g.comune_istat.as_ref().is_none_or(|c| person.comune_istat.as_ref() == Some(c)));
    if allowed { PersonDecision::Allow } else { PersonDecision::Deny }
}

#[cfg(test)]
mod tests {
    use super::super::tests::grant;
    use super::*;

    const ALTO: i64 = 1;
    const BASSO: i64 = 2;

    fn user(id: i64, grants: Vec<super::super::Grant>) -> Principal {
        Principal { user_id: id, username: format!("u{id}"), grants, ..Principal::default() }
    }

    fn person(cases: Vec<CaseFacts>) -> PersonFacts {
        PersonFacts { person_id: 100, comune_istat: Some("016024".into()), cases, registered_in: vec![] }
    }

    #[test]
    fn a_registered_person_without_a_case_is_the_front_desk_s_not_the_provider_s() {
        let mut registered = person(vec![]);
        registered.registered_in = vec![ALTO];
        let desk = user(7, vec![grant("amministrativo", Some(ALTO))]);
        let worker = user(5, vec![grant("assistente_sociale", Some(ALTO))]);
        let mut ente = grant("ente_gestore", Some(ALTO));
        ente.provider = Some("COOP".into());
        let ente = user(8, vec![ente]);
        let basso = user(9, vec![grant("amministrativo", Some(BASSO))]);
        assert_eq!(person_access(&desk, Perm::PersonWrite, ALTO, &registered, false), PersonDecision::Allow);
        assert_eq!(person_access(&worker, Perm::PersonRead, ALTO, &registered, false), PersonDecision::Allow);
        assert_eq!(person_access(&worker, Perm::ClinicalRead, ALTO, &registered, false), PersonDecision::Deny);
        assert_eq!(person_access(&ente, Perm::PersonRead, ALTO, &registered, false), PersonDecision::Deny);
        assert_eq!(person_access(&basso, Perm::PersonRead, BASSO, &registered, false), PersonDecision::Deny);
        assert_eq!(person_access(&desk, Perm::PersonRead, ALTO, &person(vec![]), false), PersonDecision::Deny, "not registered");
    }

    fn case(ambito: i64, team: &[i64]) -> CaseFacts {
        CaseFacts { ambito_id: ambito, provider: None, team: team.to_vec() }
    }

    #[test]
    fn a_social_worker_needs_the_care_team_or_break_glass() {
        let worker = user(5, vec![grant("assistente_sociale", Some(ALTO))]);
        let in_team = person(vec![case(ALTO, &[5])]);
        let not_in_team = person(vec![case(ALTO, &[6])]);
        assert_eq!(person_access(&worker, Perm::ClinicalRead, ALTO, &in_team, false), PersonDecision::Allow);
        assert_eq!(person_access(&worker, Perm::ClinicalRead, ALTO, &not_in_team, false), PersonDecision::NeedBreakGlass);
        assert_eq!(person_access(&worker, Perm::ClinicalRead, ALTO, &not_in_team, true), PersonDecision::AllowBreakGlass);
    }

    #[test]
    fn break_glass_never_crosses_an_ambito() {
        let worker = user(5, vec![grant("assistente_sociale", Some(ALTO))]);
        let elsewhere = person(vec![case(BASSO, &[])]);
        assert_eq!(person_access(&worker, Perm::PersonRead, ALTO, &elsewhere, true), PersonDecision::Deny);
        assert_eq!(person_access(&worker, Perm::PersonRead, BASSO, &elsewhere, true), PersonDecision::Deny);
    }

    #[test]
    fn after_a_move_each_ambito_sees_the_person_through_its_own_case_only() {
        // Old case in Alto Sebino (closed), new one in Basso Sebino.
        let moved = person(vec![case(ALTO, &[]), case(BASSO, &[])]);
        let alto_head = user(1, vec![grant("responsabile", Some(ALTO))]);
        let basso_head = user(2, vec![grant("responsabile", Some(BASSO))]);
        assert_eq!(person_access(&alto_head, Perm::PersonRead, ALTO, &moved, false), PersonDecision::Allow);
        assert_eq!(person_access(&basso_head, Perm::PersonRead, BASSO, &moved, false), PersonDecision::Allow);
        // Asking for the other Ambito's view is refused: the grant does not cover it.
        assert_eq!(person_access(&alto_head, Perm::PersonRead, BASSO, &moved, false), PersonDecision::Deny);
    }

    #[test]
    fn the_comune_operator_sees_only_residents_of_their_comune() {
        let mut g = grant("operatore_comunale", Some(ALTO));
        g.comune_istat = Some("016024".into());
        let op = user(3, vec![g]);
        let resident = person(vec![case(ALTO, &[])]);
        let mut other = resident.clone();
        other.comune_istat = Some("016999".into());
        assert_eq!(person_access(&op, Perm::PersonRead, ALTO, &resident, false), PersonDecision::Allow);
        assert_eq!(person_access(&op, Perm::PersonRead, ALTO, &other, false), PersonDecision::Deny);
        assert_eq!(person_access(&op, Perm::ClinicalRead, ALTO, &resident, false), PersonDecision::Deny);
    }

    #[test]
    fn the_provider_sees_only_assigned_cases() {
        let mut g = grant("ente_gestore", Some(ALTO));
        g.provider = Some("COOP_A".into());
        let coop = user(4, vec![g]);
        let assigned = person(vec![CaseFacts { ambito_id: ALTO, provider: Some("COOP_A".into()), team: vec![] }]);
        let other = person(vec![CaseFacts { ambito_id: ALTO, provider: Some("COOP_B".into()), team: vec![] }]);
        assert_eq!(person_access(&coop, Perm::PersonRead, ALTO, &assigned, false), PersonDecision::Allow);
        assert_eq!(person_access(&coop, Perm::PersonRead, ALTO, &other, false), PersonDecision::Deny);
        assert_eq!(person_access(&coop, Perm::PersonWrite, ALTO, &assigned, false), PersonDecision::Deny);
    }

    #[test]
    fn a_citizen_reads_only_their_own_data() {
        let mut citizen = user(9, vec![grant("cittadino", None)]);
        citizen.person_id = Some(100);
        let me = person(vec![case(ALTO, &[])]);
        let mut someone = me.clone();
        someone.person_id = 101;
        assert_eq!(person_access(&citizen, Perm::PersonRead, ALTO, &me, false), PersonDecision::Allow);
        assert_eq!(person_access(&citizen, Perm::PersonWrite, ALTO, &me, false), PersonDecision::Deny);
        assert_eq!(person_access(&citizen, Perm::PersonRead, ALTO, &someone, false), PersonDecision::Deny);
    }

    #[test]
    fn only_a_citizen_without_staff_roles_is_citizen_only() {
        let mut citizen = user(9, vec![grant(crate::access::CITIZEN_ROLE, None)]);
        assert!(!citizen.is_citizen_only(), "no person linked yet");
        citizen.person_id = Some(100);
        assert!(citizen.is_citizen_only());
        citizen.grants.push(grant("assistente_sociale", Some(ALTO)));
        assert!(!citizen.is_citizen_only(), "a social worker who is also a citizen keeps the staff home");
    }
}
