//! Transfer between Ambiti (issue 15): the sending Ambito proposes a hand-off (a summary, the
//! documents it chooses, the person's consent); the receiving Ambito sees only that, and accepts
//! (opening its own case, the chosen documents linked to it) or rejects with a reason. The
//! two-Ambiti rule stays: after the transfer the receiving Ambito sees the person through its new
//! case only, so the sender's cases and notes stay where they were.
//!
//! Who decides: on the receiving side the person has no case yet, so no care team exists. A
//! worker with `person.write` in that Ambito under a grant not narrowed to a Comune or a provider
//! sees the proposals addressed there and may decide; the one who accepts joins the new case's
//! team. Proposals addressed elsewhere are "not found" (no probing of ids).

use crate::access::{now, rfc3339};
use crate::cases::documents::{DocumentView, FieldError, FormResult, allowed, event, field, view};
use crate::{App, AppError, Result};
use ambito_domain::access::{Perm, Principal};
use ambito_domain::ids::{AmbitoScope, CaseId, DocumentId, PersonId, TransferId};
use ambito_domain::transfer::{self as rules, TransferState};
use ambito_store as store;
use serde::Serialize;

/// The proposal form: the other Ambiti and the documents this Ambito may hand over.
#[derive(Debug, Clone, Serialize)]
pub struct TransferForm {
    pub person: store::PersonRow,
    pub ambiti: Vec<(i64, String, String)>,
    pub documents: Vec<DocumentView>,
    /// Earlier proposals for this person from or to this Ambito.
    pub history: Vec<store::TransferRow>,
}

/// A proposal as the form sent it.
#[derive(Debug, Clone, Default)]
pub struct Proposal<'a> {
    pub to_ambito: &'a str,
    pub summary: &'a str,
    pub consent: bool,
    pub consent_document: &'a str,
    pub documents: Vec<&'a str>,
}

/// One transfer as the Ambito list shows it, with the documents it carries.
#[derive(Debug, Clone, Serialize)]
pub struct TransferItem {
    pub row: store::TransferRow,
    pub state_label: &'static str,
    pub documents: Vec<(String, String)>,
    pub pending: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AmbitoTransfers {
    pub incoming: Vec<TransferItem>,
    pub outgoing: Vec<TransferItem>,
    /// The caller may decide the incoming proposals.
    pub may_decide: bool,
}

/// A grant that may receive transfers in this Ambito: `person.write`, not narrowed.
fn may_receive(p: &Principal, ambito: &AmbitoScope) -> bool {
    p.grants_for(Perm::PersonWrite, ambito.id.get()).any(|g| g.comune_istat.is_none() && g.provider.is_none())
}

fn item(row: store::TransferRow, docs: Vec<store::DocumentRow>) -> TransferItem {
    let state = TransferState::from_code(&row.state).unwrap_or(TransferState::Proposto);
    let documents = docs.into_iter().map(|d| (view(d.clone(), false, Vec::new()).kind_label.to_string(), d.title)).collect();
    TransferItem { row, state_label: state.label(), documents, pending: state.may_decide() }
}

impl App {
    pub async fn transfer_form(&self, p: &Principal, ambito: &AmbitoScope, person: PersonId) -> Result<TransferForm> {
        self.require_person(p, Perm::PersonWrite, ambito, person).await?;
        let mut conn = self.store.read().await?;
        let person_row = store::person(&mut conn, person.get()).await?.ok_or_else(|| AppError::NotFound("persona non trovata".into()))?;
        let ambiti =
            store::list_ambiti(&mut conn).await?.into_iter().filter(|a| a.id != ambito.id.get()).map(|a| (a.id, a.code, a.name)).collect();
        let scope = self.document_scope(&mut conn, p, ambito, person).await?;
        let links = store::links_of(&mut conn, person.get()).await?;
        let documents = store::documents_of(&mut conn, person.get())
            .await?
            .into_iter()
            .filter(|d| scope.shows(d, &links) && (scope.court || d.kind != "tribunale"))
            .map(|d| view(d, false, Vec::new()))
            .collect();
        let history = store::transfers_of_person(&mut conn, person.get())
            .await?
            .into_iter()
            .filter(|t| t.from_ambito_id == ambito.id.get() || t.to_ambito_id == ambito.id.get())
            .collect();
        Ok(TransferForm { person: person_row, ambiti, documents, history })
    }

    /// Proposes the hand-off. Without the person's consent it is refused and nothing changes.
    pub async fn propose_transfer(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        f: &Proposal<'_>,
        ip: Option<&str>,
    ) -> Result<FormResult<TransferId>> {
        self.require_person(p, Perm::PersonWrite, ambito, person).await?;
        let to = f.to_ambito.trim().parse::<i64>().ok();
        let mut errors: Vec<FieldError> = rules::check_proposal(ambito.id.get(), to, f.summary, f.consent)
            .into_iter()
            .map(|e| FieldError { field: e.field, message: e.message })
            .collect();
        let mut tx = self.store.write_untracked().await?;
        let to = match to {
            Some(id) => store::list_ambiti(&mut tx).await?.into_iter().find(|a| a.id == id),
            None => None,
        };
        if to.is_none() && !errors.iter().any(|e| e.field == "ambito") {
            errors.push(field("ambito", "Ambito di destinazione sconosciuto"));
        }
        let scope = self.document_scope(&mut tx, p, ambito, person).await?;
        let links = store::links_of(&mut tx, person.get()).await?;
        let held = store::documents_of(&mut tx, person.get()).await?;
        let mine = |id: &str| {
            id.trim()
                .parse::<DocumentId>()
                .ok()
                .and_then(|id| held.iter().find(|d| d.id == id.get() && scope.shows(d, &links) && (scope.court || d.kind != "tribunale")))
                .map(|d| d.id)
        };
        let mut documents = Vec::new();
        for d in &f.documents {
            match mine(d) {
                Some(id) if !documents.contains(&id) => documents.push(id),
                Some(_) => {}
                None => errors.push(field("documenti", "uno dei documenti scelti non è tra quelli della persona in questo Ambito")),
            }
        }
        let consent_document = match f.consent_document.trim() {
            "" => None,
            t => {
                let id = mine(t);
                if id.is_none() {
                    errors.push(field("documento_consenso", "il documento del consenso non è tra quelli della persona"));
                }
                id
            }
        };
        if let Some(to) = &to
            && store::transfers_of_person(&mut tx, person.get())
                .await?
                .iter()
                .any(|t| t.from_ambito_id == ambito.id.get() && t.to_ambito_id == to.id && t.state == TransferState::Proposto.code())
        {
            errors.push(field("ambito", "c'è già una proposta di trasferimento in attesa verso questo Ambito"));
        }
        let Some(to) = to.filter(|_| errors.is_empty()) else { return Ok(Err(errors)) };
        if let Some(c) = consent_document.filter(|c| !documents.contains(c)) {
            documents.push(c);
        }
        let t = store::NewTransfer {
            person_id: person.get(),
            from_ambito_id: ambito.id.get(),
            to_ambito_id: to.id,
            summary: f.summary.trim(),
            consent_document_id: consent_document,
            proposed_by: Some(p.user_id),
            proposed_at: &rfc3339(now()),
        };
        let id = store::insert_transfer(&mut tx, &t, &documents).await?;
        // The proposal discloses identity, summary and documents to the receiving Ambito: both
        // registers record it.
        for code in [&ambito.code, &to.code] {
            self.audit_in(&mut tx, event(p, "transfer.propose", format!("trasferimento/{id}"), person.get(), code, ip)).await?;
        }
        tx.commit().await?;
        Ok(Ok(TransferId(id)))
    }

    /// Transfers reaching this Ambito (for those who may receive them) and leaving it (for the
    /// persons the caller may open here).
    pub async fn ambito_transfers(&self, p: &Principal, ambito: &AmbitoScope, ip: Option<&str>) -> Result<AmbitoTransfers> {
        let may_decide = may_receive(p, ambito);
        let mut conn = self.store.read().await?;
        let all = store::transfers_of_ambito(&mut conn, ambito.id.get()).await?;
        let (mut incoming, mut outgoing) = (Vec::new(), Vec::new());
        for t in all {
            let docs = store::transfer_documents(&mut conn, t.id).await?;
            if t.to_ambito_id == ambito.id.get() && may_decide {
                incoming.push(item(t, docs));
            } else if t.from_ambito_id == ambito.id.get()
                && allowed(self.person_decision(p, Perm::PersonRead, ambito.id, PersonId(t.person_id)).await?)
            {
                outgoing.push(item(t, docs));
            }
        }
        drop(conn);
        // Reading an incoming proposal reads the person's data: each is in the register.
        for t in &incoming {
            self.audit(event(p, "transfer.read", format!("trasferimento/{}", t.row.id), t.row.person_id, &ambito.code, ip)).await?;
        }
        Ok(AmbitoTransfers { incoming, outgoing, may_decide })
    }

    /// Accepts (`accept`) or rejects a proposal addressed to this Ambito. Accepting opens the
    /// receiving Ambito's own case, puts the caller in its team and links the chosen documents;
    /// both Ambiti's registers record the decision.
    pub async fn decide_transfer(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        transfer: TransferId,
        accept: bool,
        note: &str,
        ip: Option<&str>,
    ) -> Result<FormResult<Option<CaseId>>> {
        let mut tx = self.store.write_untracked().await?;
        let t = store::transfer(&mut tx, transfer.get())
            .await?
            .filter(|t| t.to_ambito_id == ambito.id.get())
            .ok_or_else(|| AppError::NotFound("trasferimento non trovato".into()))?;
        if !may_receive(p, ambito) {
            return Err(AppError::Forbidden);
        }
        if !TransferState::from_code(&t.state).is_some_and(TransferState::may_decide) {
            return Ok(Err(vec![field("decisione", "la proposta è già stata decisa")]));
        }
        let at = rfc3339(now());
        let (state, note, case) = if accept {
            let today = crate::cases::documents::today();
            let opened = ambito_domain::date::iso_from_yyyymmdd(today.yyyymmdd());
            let case = store::open_case(&mut tx, t.person_id, ambito.id.get(), None, None, &opened).await?;
            store::add_to_team(&mut tx, case, p.user_id).await?;
            for d in store::transfer_documents(&mut tx, t.id).await? {
                store::link_document(&mut tx, d.id, case, "trasferimento", Some(p.user_id), &at).await?;
            }
            let note = note.trim();
            (TransferState::Accettato, (!note.is_empty()).then(|| note.to_string()), Some(case))
        } else {
            match rules::check_rejection_note(note) {
                Ok(n) => (TransferState::Rifiutato, Some(n), None),
                Err(m) => return Ok(Err(vec![field("nota", m)])),
            }
        };
        let decision =
            store::Decision { state: state.code(), decided_by: Some(p.user_id), decided_at: &at, note: note.as_deref(), new_case_id: case };
        if !store::decide_transfer(&mut tx, t.id, &decision).await? {
            return Ok(Err(vec![field("decisione", "la proposta è già stata decisa")]));
        }
        let action = if accept { "transfer.accept" } else { "transfer.reject" };
        for code in [&ambito.code, &t.from_code] {
            self.audit_in(&mut tx, event(p, action, format!("trasferimento/{}", t.id), t.person_id, code, ip)).await?;
        }
        tx.commit().await?;
        Ok(Ok(case.map(CaseId)))
    }
}
