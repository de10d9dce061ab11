//! How a case moves through processes B–E: state changes gated by role, closure with reason
//! and outcome, reopening that keeps the history, the case manager and its history, sharing
//! with another unit for a period, the typed diary and appointments.

use super::{Check, given, person_event, today};
use crate::{App, AppError, Result};
use ambito_domain::access::{Perm, Principal};
use ambito_domain::case_record as rules;
use ambito_domain::date::parse_iso;
use ambito_domain::ids::{AmbitoScope, CaseId, NoteId, PersonId};
use ambito_store as store;
use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    pub stato: Option<String>,
    #[serde(default)]
    pub data: Option<String>,
    #[serde(default)]
    pub motivo: Option<String>,
    #[serde(default)]
    pub esito: Option<String>,
    #[serde(default)]
    pub nota: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DiaryForm {
    #[serde(default)]
    pub tipo: Option<String>,
    #[serde(default)]
    pub riservatezza: Option<String>,
    #[serde(default)]
    pub data: Option<String>,
    #[serde(default)]
    pub testo: Option<String>,
    #[serde(default)]
    pub collegata_a: Option<String>,
    /// A correction: the entry it replaces, and why.
    #[serde(default)]
    pub corregge: Option<String>,
    #[serde(default)]
    pub motivo: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TeamForm {
    #[serde(default)]
    pub utente: Option<String>,
    #[serde(default)]
    pub unita: Option<String>,
    #[serde(default)]
    pub dal: Option<String>,
    #[serde(default)]
    pub al: Option<String>,
    #[serde(default)]
    pub motivo: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AppointmentForm {
    #[serde(default)]
    pub quando: Option<String>,
    #[serde(default)]
    pub luogo: Option<String>,
    #[serde(default)]
    pub scopo: Option<String>,
    #[serde(default)]
    pub visibile: Option<String>,
}

impl App {
    /// The case, when it is this person's in this Ambito: every route with a `{case}` segment
    /// resolves it here, so an id from elsewhere is "not found" and never reaches a query.
    pub async fn case_in(&self, ambito: &AmbitoScope, person: PersonId, case: CaseId) -> Result<store::CaseDetailRow> {
        let mut conn = self.store.read().await?;
        store::case_of(&mut conn, ambito.id.get(), person.get(), case.get())
            .await?
            .ok_or_else(|| AppError::NotFound("caso non trovato".into()))
    }

    /// The moves the caller may make from the case's state, as (state, label).
    pub async fn moves_for(&self, p: &Principal, ambito: &AmbitoScope, state: &str) -> Result<Vec<(String, String)>> {
        let mut conn = self.store.read().await?;
        let transitions = store::case_transitions(&mut conn).await?;
        let states = store::case_states(&mut conn).await?;
        let roles = self.roles_in(p, ambito);
        Ok(states.into_iter().filter(|s| rules::may_move(&transitions, state, &s.code, &roles)).map(|s| (s.code, s.name)).collect())
    }

    /// Moves a case to another state. Closing needs a reason and an outcome and a date not
    /// before the opening; reopening (from `chiuso`) keeps every earlier event.
    pub async fn move_case(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        f: &MoveForm,
        ip: Option<&str>,
    ) -> Result<()> {
        self.require_person(p, Perm::PersonWrite, ambito, person).await?;
        let current = self.case_in(ambito, person, case).await?;
        let mut conn = self.store.read().await?;
        let states = store::case_states(&mut conn).await?;
        let transitions = store::case_transitions(&mut conn).await?;
        drop(conn);
        let mut c = Check::default();
        let today = today();
        let target = given(&f.stato).and_then(|s| states.iter().find(|x| x.code == s));
        let Some(target) = target else {
            c.push("stato", "stato sconosciuto");
            return c.done();
        };
        if !rules::may_move(&transitions, &current.state, &target.code, &self.roles_in(p, ambito)) {
            return Err(AppError::Fields(vec![rules::field_error(
                "stato",
                format!("il passaggio da «{}» a «{}» non è consentito al proprio ruolo", current.state, target.name),
            )]));
        }
        let on = match given(&f.data) {
            Some(s) => c.take(rules::check_date("data", s, today, false)),
            None => Some(today),
        };
        let opened = parse_iso(&current.opened_on).unwrap_or(today);
        let closing = target.closed != 0;
        if let Some(on) = on {
            if closing {
                c.take(rules::check_closure(opened, on, today, f.motivo.as_deref().unwrap_or(""), f.esito.as_deref().unwrap_or("")));
            } else if on < opened {
                c.push("data", "la data precede l'apertura del caso");
            }
        }
        c.done()?;
        let on = on.unwrap_or(today).iso();
        let closure = closing.then(|| (f.motivo.as_deref().unwrap_or("").trim(), f.esito.as_deref().unwrap_or("").trim()));
        let mut tx = self.store.write_untracked().await?;
        if !store::move_case(&mut tx, case.get(), &current.state, &target.code, closing, &on, closure, p.user_id, given(&f.nota)).await? {
            return Err(AppError::Invalid("il caso è stato modificato nel frattempo: ricaricare la pagina".into()));
        }
        let action = match (current.state.as_str(), closing) {
            ("chiuso", _) => "case.reopen",
            (_, true) => "case.close",
            _ => "case.move",
        };
        let mut ev = person_event(p, action, format!("caso/{case}"), person, ambito, ip);
        ev.reason = Some(format!("{} → {}", current.state, target.code));
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Hands the case to another case manager (a staff user of this Ambito); the history keeps
    /// the previous ones with their dates.
    pub async fn change_case_manager(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        f: &TeamForm,
        ip: Option<&str>,
    ) -> Result<()> {
        self.require_person(p, Perm::PersonWrite, ambito, person).await?;
        self.case_in(ambito, person, case).await?;
        let user = self.staff_user_in(ambito, given(&f.utente).unwrap_or("")).await?;
        let mut tx = self.store.write_untracked().await?;
        store::change_manager(&mut tx, case.get(), user, &today().iso(), p.user_id).await?;
        let href = format!("/ambiti/{}/persone/{person}", ambito.code);
        store::add_alert(&mut tx, user, "case.manager", "Ti è stato assegnato un caso come responsabile", Some(&href)).await?;
        self.audit_in(&mut tx, person_event(p, "case.manager", format!("caso/{case}"), person, ambito, ip)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Shares the case with a worker of another unit for a period: they count as care team
    /// until the end date, and the share is audited and listed on the case.
    pub async fn share_case(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        f: &TeamForm,
        ip: Option<&str>,
    ) -> Result<()> {
        self.require_person(p, Perm::PersonWrite, ambito, person).await?;
        self.case_in(ambito, person, case).await?;
        let mut c = Check::default();
        let today = today();
        let user = match self.staff_user_in(ambito, given(&f.utente).unwrap_or("")).await {
            Ok(u) => Some(u),
            Err(_) => {
                c.push("utente", "utente sconosciuto in questo Ambito");
                None
            }
        };
        let unit = c.take(rules::check_text("unita", f.unita.as_deref().unwrap_or(""), 200));
        let from = c.take(rules::check_date("dal", f.dal.as_deref().unwrap_or(""), today, true));
        let to = c.take(rules::check_date("al", f.al.as_deref().unwrap_or(""), today, true));
        let reason = c.take(rules::check_text("motivo", f.motivo.as_deref().unwrap_or(""), 500));
        if let (Some(a), Some(b)) = (from, to)
            && b < a
        {
            c.push("al", "la fine precede l'inizio");
        }
        c.done()?;
        let (Some(user), Some(unit), Some(from), Some(to), Some(reason)) = (user, unit, from, to, reason) else {
            return Err(AppError::Invalid("dati incompleti".into()));
        };
        let mut tx = self.store.write_untracked().await?;
        let id = store::add_share(&mut tx, case.get(), user, &unit, &from.iso(), &to.iso(), &reason, p.user_id).await?;
        let href = format!("/ambiti/{}/persone/{person}", ambito.code);
        store::add_alert(&mut tx, user, "case.share", &format!("Un caso è condiviso con te fino al {}", to.iso()), Some(&href)).await?;
        let mut ev = person_event(p, "case.share", format!("condivisione/{id}"), person, ambito, ip);
        ev.reason = Some(reason);
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A staff account holding a role in this Ambito, by username.
    async fn staff_user_in(&self, ambito: &AmbitoScope, username: &str) -> Result<i64> {
        let mut conn = self.store.read().await?;
        let users = store::users_in_ambito(&mut conn, ambito.id.get()).await?;
        users
            .into_iter()
            .find(|(_, name)| name == username.trim())
            .map(|(id, _)| id)
            .ok_or_else(|| AppError::Fields(vec![rules::field_error("utente", "utente sconosciuto in questo Ambito")]))
    }

    /// A diary entry on the case: typed, dated, with its confidentiality (clinical entries need
    /// clinical rights), optionally linked to another entry. A correction is a new entry that
    /// supersedes the old one, which stays readable as voided.
    pub async fn add_diary_entry(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        f: &DiaryForm,
        ip: Option<&str>,
    ) -> Result<NoteId> {
        let mut c = Check::default();
        let today = today();
        let kind = c.take(rules::check_code("riservatezza", crate::access::NOTE_KINDS, f.riservatezza.as_deref().unwrap_or("sociale")));
        let entry = c.take(rules::check_code("tipo", rules::ENTRY_TYPES, f.tipo.as_deref().unwrap_or("")));
        let on = match given(&f.data) {
            Some(s) => c.take(rules::check_date("data", s, today, false)),
            None => Some(today),
        };
        let body = c.take(rules::check_text("testo", f.testo.as_deref().unwrap_or(""), 20_000));
        let parse_id = |c: &mut Check, field: &'static str, v: &Option<String>| match given(v) {
            Some(s) => match s.parse::<NoteId>() {
                Ok(id) => Some(id),
                Err(_) => {
                    c.push(field, "voce non valida");
                    None
                }
            },
            None => None,
        };
        let link = parse_id(&mut c, "collegata_a", &f.collegata_a);
        let corrects = parse_id(&mut c, "corregge", &f.corregge);
        let reason = if corrects.is_some() { c.take(rules::check_text("motivo", f.motivo.as_deref().unwrap_or(""), 500)) } else { None };
        c.done()?;
        let (Some(kind), Some(entry), Some(on), Some(body)) = (kind, entry, on, body) else {
            return Err(AppError::Invalid("dati incompleti".into()));
        };
        let perm = if kind == "clinica" { Perm::ClinicalWrite } else { Perm::PersonWrite };
        let decision = self.require_person(p, perm, ambito, person).await?;
        let current = self.case_in(ambito, person, case).await?;
        if let Some(opened) = parse_iso(&current.opened_on)
            && on < opened
        {
            return Err(AppError::Fields(vec![rules::field_error("data", "la data precede l'apertura del caso")]));
        }
        let mut tx = self.store.write_untracked().await?;
        let diary = store::diary_of(&mut tx, person.get(), ambito.id.get()).await?;
        for (field, id) in [("collegata_a", link), ("corregge", corrects)] {
            if let Some(id) = id
                && !diary.iter().any(|d| d.id == id.get() && d.case_id == case.get())
            {
                return Err(AppError::Fields(vec![rules::field_error(field, "la voce non è di questo caso")]));
            }
        }
        if let Some(old) = corrects
            && diary.iter().any(|d| d.id == old.get() && (d.voided_at.is_some() || (d.kind == "clinica" && kind != "clinica")))
        {
            return Err(AppError::Fields(vec![rules::field_error(
                "corregge",
                "la voce è già stata corretta, o la correzione ne abbassa la riservatezza",
            )]));
        }
        let e = store::NewDiaryEntry {
            case_id: case.get(),
            kind,
            entry_type: entry,
            occurred_on: &on.iso(),
            body: &body,
            linked_note_id: link.map(NoteId::get),
            supersedes: corrects.map(|id| (id.get(), reason.as_deref().unwrap_or(""))),
        };
        let id = store::add_diary_entry(&mut tx, &e, p.user_id).await?;
        let action = if corrects.is_some() { "diary.correct" } else { "person.write" };
        let mut ev = person_event(p, action, format!("nota/{id}"), person, ambito, ip);
        ev.flagged = decision == ambito_domain::access::PersonDecision::AllowBreakGlass;
        ev.reason = reason;
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(NoteId(id))
    }

    /// An appointment on the case; marked visible, it shows in the citizen's area.
    pub async fn add_appointment(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        case: CaseId,
        f: &AppointmentForm,
        ip: Option<&str>,
    ) -> Result<()> {
        self.require_person(p, Perm::PersonWrite, ambito, person).await?;
        self.case_in(ambito, person, case).await?;
        let mut c = Check::default();
        let when = given(&f.quando).and_then(|w| w.get(..16)).unwrap_or("");
        if when.as_bytes().get(10) != Some(&b'T') || when.get(..10).and_then(parse_iso).is_none() {
            c.push("quando", "data e ora non valide");
        }
        let place = c.take(rules::check_text("luogo", f.luogo.as_deref().unwrap_or(""), 200));
        let purpose = c.take(rules::check_text("scopo", f.scopo.as_deref().unwrap_or(""), 500));
        c.done()?;
        let (Some(place), Some(purpose)) = (place, purpose) else { return Err(AppError::Invalid("dati incompleti".into())) };
        let mut tx = self.store.write_untracked().await?;
        let id = store::add_appointment(&mut tx, case.get(), when, &place, &purpose, given(&f.visibile).is_some(), p.user_id).await?;
        self.audit_in(&mut tx, person_event(p, "person.write", format!("appuntamento/{id}"), person, ambito, ip)).await?;
        tx.commit().await?;
        Ok(())
    }
}
