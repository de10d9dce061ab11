//! Process A: front-desk contacts on any channel (anonymous ones stay anonymous), and the
//! proposal to take a person in charge that a worker accepts, opening a case, or rejects.

use super::{Check, given, person_event, today};
use crate::access::users::actor_event;
use crate::{App, AppError, Result};
use ambito_domain::access::{Perm, Principal};
use ambito_domain::case_record as rules;
use ambito_domain::ids::{AmbitoScope, CaseId, ContactId, PersonId, ProposalId};
use ambito_store as store;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ContactForm {
    /// The person the contact is about; blank: anonymous.
    #[serde(default)]
    pub persona: Option<String>,
    #[serde(default)]
    pub data: Option<String>,
    #[serde(default)]
    pub canale: Option<String>,
    #[serde(default)]
    pub richiedente: Option<String>,
    #[serde(default)]
    pub nome_richiedente: Option<String>,
    #[serde(default)]
    pub area: Option<String>,
    #[serde(default)]
    pub motivo: Option<String>,
    #[serde(default)]
    pub esito: Option<String>,
    #[serde(default)]
    pub inviato_a: Option<String>,
    /// The front-office service whose accessi the contact counts (catalogue code).
    #[serde(default)]
    pub servizio: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub decisione: Option<String>,
    #[serde(default)]
    pub nota: Option<String>,
    #[serde(default)]
    pub servizio: Option<String>,
}

impl App {
    /// Records a front-desk contact. With outcome `proposta` it also opens a proposal to take
    /// the person in charge (an anonymous contact cannot be proposed: there is nobody to take).
    pub async fn add_contact(&self, p: &Principal, ambito: &AmbitoScope, f: &ContactForm, ip: Option<&str>) -> Result<ContactId> {
        if !p.may(Perm::PersonWrite, Some(ambito.id.get())) {
            return Err(AppError::Forbidden);
        }
        let mut c = Check::default();
        let today = today();
        let day = match given(&f.data) {
            Some(s) => c.take(rules::check_date("data", s, today, false)).map(|d| d.iso()),
            None => Some(today.iso()),
        };
        let channel = c.take(rules::check_code("canale", rules::CHANNELS, f.canale.as_deref().unwrap_or("")));
        let requester = c.take(rules::check_code("richiedente", rules::REQUESTERS, f.richiedente.as_deref().unwrap_or("")));
        let area = c.take(rules::check_code("area", rules::NEED_AREAS, f.area.as_deref().unwrap_or("")));
        let reason = c.take(rules::check_text("motivo", f.motivo.as_deref().unwrap_or(""), 4000));
        let outcome = c.take(rules::check_code("esito", rules::OUTCOMES, f.esito.as_deref().unwrap_or("")));
        let person = match given(&f.persona) {
            Some(s) => match s.parse::<PersonId>() {
                Ok(id) => Some(id),
                Err(_) => {
                    c.push("persona", "persona non valida");
                    None
                }
            },
            None => None,
        };
        if outcome == Some("invio") && given(&f.inviato_a).is_none() {
            c.push("inviato_a", "indicare a quale servizio è stata inviata la persona");
        }
        if outcome == Some("proposta") && person.is_none() {
            c.push("persona", "una proposta di presa in carico richiede la persona (non un contatto anonimo)");
        }
        let service = match given(&f.servizio) {
            Some(code) => match self.services(ambito).await?.into_iter().find(|s| s.code == code) {
                Some(s) => Some(s.id),
                None => {
                    c.push("servizio", format!("servizio sconosciuto: {code}"));
                    None
                }
            },
            None => None,
        };
        c.done()?;
        let (Some(day), Some(channel), Some(requester), Some(area), Some(reason), Some(outcome)) =
            (day, channel, requester, area, reason, outcome)
        else {
            return Err(AppError::Invalid("dati incompleti".into()));
        };
        if let Some(person) = person {
            self.require_person(p, Perm::PersonWrite, ambito, person).await?;
        }
        let mut tx = self.store.write_untracked().await?;
        let k = store::NewContact {
            person_id: person.map(PersonId::get),
            occurred_on: &day,
            channel,
            requester_kind: requester,
            requester_name: given(&f.nome_richiedente),
            need_area: area,
            reason: &reason,
            outcome,
            referred_to: given(&f.inviato_a),
            service_id: service,
        };
        let id = store::add_contact(&mut tx, ambito.id.get(), &k, p.user_id).await?;
        let ev = match person {
            Some(person) => person_event(p, "contact.create", format!("contatto/{id}"), person, ambito, ip),
            None => {
                let mut ev = actor_event(Some(p), "contact.create", &format!("contatto/{id}"));
                ev.ambito = Some(ambito.code.clone());
                ev.ip = ip.map(str::to_string);
                ev
            }
        };
        self.audit_in(&mut tx, ev).await?;
        if let (Some(person), "proposta") = (person, outcome) {
            let x =
                store::NewProposal { person_id: person.get(), contact_id: Some(id), need_area: area, reason: &reason, service_code: None };
            let proposal = store::add_proposal(&mut tx, ambito.id.get(), &x, p.user_id).await?;
            self.audit_in(&mut tx, person_event(p, "proposal.create", format!("proposta/{proposal}"), person, ambito, ip)).await?;
        }
        tx.commit().await?;
        Ok(ContactId(id))
    }

    pub async fn contacts(&self, p: &Principal, ambito: &AmbitoScope, limit: i64) -> Result<Vec<store::ContactRow>> {
        if !p.may(Perm::PersonRead, Some(ambito.id.get())) {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.store.read().await?;
        let mut rows = store::contacts_in_ambito(&mut conn, ambito.id.get(), limit).await?;
        // The log names only persons the caller may open; the others read as "riservato".
        for r in &mut rows {
            if let Some(id) = r.person_id
                && self.require_person(p, Perm::PersonRead, ambito, PersonId(id)).await.is_err()
            {
                r.person_name = Some("(riservato)".into());
                r.reason = String::new();
                r.person_id = None;
            }
        }
        Ok(rows)
    }

    /// The proposals waiting in this Ambito: who is proposed, for what, by whom. It is the list a
    /// worker accepts from, so it shows the summary and not the record.
    pub async fn open_proposals(&self, p: &Principal, ambito: &AmbitoScope) -> Result<Vec<store::ProposalRow>> {
        if !p.may(Perm::PersonWrite, Some(ambito.id.get())) {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.store.read().await?;
        Ok(store::proposals_in_ambito(&mut conn, ambito.id.get(), Some("proposta")).await?)
    }

    /// Accepts (opening a case in `valutazione` with the caller as case manager) or rejects a
    /// proposal, with a note. Only roles that may open a case (move it into `valutazione`) decide.
    pub async fn decide_proposal(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        proposal: ProposalId,
        f: &DecisionForm,
        ip: Option<&str>,
    ) -> Result<Option<CaseId>> {
        if !p.may(Perm::PersonWrite, Some(ambito.id.get())) {
            return Err(AppError::Forbidden);
        }
        let mut c = Check::default();
        let accept = match f.decisione.as_deref() {
            Some("accetta") => true,
            Some("respinge") => false,
            _ => {
                c.push("decisione", "scegliere se accettare o respingere");
                false
            }
        };
        if !accept && given(&f.nota).is_none() {
            c.push("nota", "motivare il rifiuto");
        }
        let service = match given(&f.servizio) {
            Some(code) if !self.services(ambito).await?.iter().any(|s| s.code == code) => {
                c.push("servizio", format!("servizio sconosciuto: {code}"));
                None
            }
            other => other.map(str::to_string),
        };
        c.done()?;
        let roles = self.roles_in(p, ambito);
        let transitions = {
            let mut conn = self.store.read().await?;
            store::case_transitions(&mut conn).await?
        };
        if !transitions.iter().any(|(_, to, role)| to == "valutazione" && roles.contains(&role.as_str())) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.store.write_untracked().await?;
        let x = store::proposal(&mut tx, ambito.id.get(), proposal.get())
            .await?
            .ok_or_else(|| AppError::NotFound("proposta non trovata".into()))?;
        if x.state != "proposta" {
            return Err(AppError::Invalid("la proposta è già stata decisa".into()));
        }
        let person = PersonId(x.person_id);
        let case = if accept {
            let new = store::NewCase {
                person_id: x.person_id,
                ambito_id: ambito.id.get(),
                service_code: service.as_deref().or(x.service_code.as_deref()),
                provider: None,
                opened_on: &today().iso(),
                state: "valutazione",
                need_area: Some(&x.need_area),
                manager_id: Some(p.user_id),
            };
            Some(store::open_case_full(&mut tx, &new, Some(p.user_id)).await?)
        } else {
            None
        };
        let state = if accept { "accettata" } else { "respinta" };
        if !store::decide_proposal(&mut tx, x.id, state, given(&f.nota), case, p.user_id).await? {
            return Err(AppError::Invalid("la proposta è già stata decisa".into()));
        }
        let mut ev = person_event(p, "proposal.decide", format!("proposta/{}", x.id), person, ambito, ip);
        ev.reason = Some(state.into());
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(case.map(CaseId))
    }

    /// The role codes the caller holds in this Ambito (unscoped grants included).
    pub(crate) fn roles_in<'a>(&self, p: &'a Principal, ambito: &AmbitoScope) -> Vec<&'a str> {
        p.grants.iter().filter(|g| g.ambito_id.is_none_or(|a| a == ambito.id.get())).map(|g| g.role.as_str()).collect()
    }
}
