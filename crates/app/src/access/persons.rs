//! Person records as far as access control needs them: identity, prese in carico, care teams,
//! notes, break-glass, the right-of-access export and the retention purge.

use super::audit::AuditEvent;
use super::secrets::random_token;
use super::users::actor_event;
use super::{now, rfc3339};
use crate::{App, AppError, Result};
use ambito_domain::access::{CaseFacts, Perm, PersonDecision, PersonFacts, Principal, person_access};
use ambito_domain::ids::{AmbitoId, AmbitoScope, NoteId, PersonId};
use ambito_store as store;
use serde::Serialize;

/// What one Ambito's staff see of a person: only that Ambito's cases (see the rule in
/// `ambito_domain::access::person`).
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub person: store::PersonRow,
    pub cases: Vec<store::CaseRow>,
    pub notes: Vec<store::NoteRow>,
    /// Clinical notes exist but this caller may not read them.
    pub clinical_hidden: usize,
    pub decision: String,
}

/// Whom a person's record is read for. One rule decides what each reader gets, for the person
/// page and every export of it (JSON, PDF, API token alike).
#[derive(Debug, Clone, Copy)]
pub enum Reader<'a> {
    /// Staff working in one Ambito (`/ambiti/{code}/persone/{id}` and its `dati.json`/`dati.pdf`):
    /// that Ambito's cases and their notes only (the two-Ambiti rule), clinical notes only with
    /// `clinical.read` on the person, deliveries of that Ambito's services, and the accesses in
    /// that Ambito's register.
    Staff { principal: &'a Principal, ambito: &'a AmbitoScope },
    /// The data subject's right of access (GDPR art. 15): the citizen's own area, or the DPO
    /// answering a request with `ambito person export`. Everything ambito holds, in every Ambito.
    DataSubject,
}

/// A reader resolved for one person: which Ambito (none: all) and whether clinical notes show.
struct Scope {
    ambito: Option<AmbitoScope>,
    clinical: bool,
}

impl Scope {
    fn shows_case(&self, c: &store::CaseRow) -> bool {
        self.ambito.as_ref().is_none_or(|a| c.ambito_id == a.id.get())
    }
}

struct Record {
    person: store::PersonRow,
    cases: Vec<store::CaseRow>,
    notes: Vec<store::NoteRow>,
    clinical_hidden: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    pub cutoff: String,
    pub persons: Vec<i64>,
    pub applied: bool,
}

pub const NOTE_KINDS: &[(&str, &str)] =
    &[("sociale", "Diario sociale"), ("amministrativa", "Amministrativa"), ("clinica", "Clinica / sanitaria")];

impl App {
    pub async fn person_facts(&self, person: PersonId) -> Result<Option<PersonFacts>> {
        if let Some(known) = super::memo::recall(|m| m.facts.get(&person.get()).cloned()) {
            return Ok(known);
        }
        let (mut facts, _) = self.access_facts(&[person], None).await?;
        Ok(facts.remove(&person.get()))
    }

    /// The access facts of many persons at once (five queries whatever their number), and the
    /// persons among them with an active break-glass of `user`. Unknown persons are absent.
    pub(crate) async fn access_facts(
        &self,
        persons: &[PersonId],
        user: Option<i64>,
    ) -> Result<(std::collections::HashMap<i64, PersonFacts>, std::collections::HashSet<i64>)> {
        let ids: Vec<i64> = persons.iter().map(|p| p.get()).collect();
        let mut conn = self.store.read().await?;
        let rows = store::access_facts(&mut conn, &ids, user.unwrap_or(-1), &crate::cases::today().iso(), &rfc3339(now())).await?;
        drop(conn);
        let mut facts: std::collections::HashMap<i64, PersonFacts> = rows
            .persons
            .into_iter()
            .map(|(id, comune_istat)| (id, PersonFacts { person_id: id, registered_in: Vec::new(), comune_istat, cases: Vec::new() }))
            .collect();
        for (case, person, ambito_id, provider) in rows.cases {
            if let Some(f) = facts.get_mut(&person) {
                // A worker of another unit with whom a case is shared counts as care team for the period.
                let team = rows.members.iter().filter(|(c, _)| *c == case).map(|(_, u)| *u).collect();
                f.cases.push(CaseFacts { ambito_id, provider, team });
            }
        }
        for (person, ambito_id) in rows.registered {
            if let Some(f) = facts.get_mut(&person) {
                f.registered_in.push(ambito_id);
            }
        }
        let glass: std::collections::HashSet<i64> = rows.glass.into_iter().collect();
        super::memo::remember(|m| {
            for id in &ids {
                m.facts.insert(*id, facts.get(id).cloned());
                if let Some(u) = user {
                    m.glass.insert((u, *id), glass.contains(id));
                }
            }
        });
        Ok((facts, glass))
    }

    /// The access decision for one person in one Ambito. An unknown person is a denial, so the
    /// answer never tells whether the person exists.
    pub async fn person_decision(&self, p: &Principal, perm: Perm, ambito: AmbitoId, person: PersonId) -> Result<PersonDecision> {
        let key = (p.user_id, person.get());
        let remembered = super::memo::recall(|m| Some((m.facts.get(&key.1)?.clone(), *m.glass.get(&key)?)));
        let (facts, glass) = match remembered {
            Some(known) => known,
            None => {
                let (mut facts, glass) = self.access_facts(&[person], Some(p.user_id)).await?;
                (facts.remove(&key.1), glass.contains(&key.1))
            }
        };
        let Some(facts) = facts else { return Ok(PersonDecision::Deny) };
        Ok(person_access(p, perm, ambito.get(), &facts, glass))
    }

    /// The decisions for many persons at once (a page of search hits), in their order.
    pub async fn person_decisions(&self, p: &Principal, perm: Perm, ambito: AmbitoId, persons: &[PersonId]) -> Result<Vec<PersonDecision>> {
        let (facts, glass) = self.access_facts(persons, Some(p.user_id)).await?;
        Ok(persons
            .iter()
            .map(|id| match facts.get(&id.get()) {
                Some(f) => person_access(p, perm, ambito.get(), f, glass.contains(&id.get())),
                None => PersonDecision::Deny,
            })
            .collect())
    }

    /// Persons of the Ambito the caller may open without breaking the glass.
    pub async fn visible_persons(&self, p: &Principal, ambito: &AmbitoScope) -> Result<Vec<store::PersonRow>> {
        let mut conn = self.store.read().await?;
        let all = store::persons_in_ambito(&mut conn, ambito.id.get()).await?;
        drop(conn);
        let mut out = Vec::new();
        for person in all {
            if matches!(
                self.person_decision(p, Perm::PersonRead, ambito.id, PersonId(person.id)).await?,
                PersonDecision::Allow | PersonDecision::AllowBreakGlass
            ) {
                out.push(person);
            }
        }
        Ok(out)
    }

    /// A search by codice fiscale inside one Ambito, to open a record or ask for break-glass. It
    /// finds only a person with a case in this Ambito whom the caller may open or break the glass
    /// for; everyone else (unknown, known only to another Ambito, outside the caller's Comune or
    /// provider) is "not found", the same answer, so a search reveals nothing about people the
    /// caller may not see. Every search is audited with the caller and the Ambito; the entry names
    /// the person only when they have a case here, and the typed code is never stored.
    pub async fn search_person(&self, p: &Principal, ambito: &AmbitoScope, cf: &str, ip: Option<&str>) -> Result<Option<PersonId>> {
        let person = self.person_by_cf(cf).await?;
        let mut here = None;
        if let Some(person) = person {
            let mut conn = self.store.read().await?;
            if store::cases_of(&mut conn, person.id).await?.iter().any(|c| c.ambito_id == ambito.id.get()) {
                here = Some(PersonId(person.id));
            }
        }
        let found = match here {
            Some(id) => matches!(
                self.person_decision(p, Perm::PersonRead, ambito.id, id).await?,
                PersonDecision::Allow | PersonDecision::AllowBreakGlass | PersonDecision::NeedBreakGlass
            )
            .then_some(id),
            None => None,
        };
        let mut ev = actor_event(Some(p), "person.search", &format!("ambiti/{}/persone?cf", ambito.code));
        ev.person_id = here.map(PersonId::get);
        ev.ambito = Some(ambito.code.clone());
        ev.ip = ip.map(str::to_string);
        self.audit(ev).await?;
        Ok(found)
    }

    pub async fn person_by_cf(&self, cf: &str) -> Result<Option<store::PersonRow>> {
        let mut conn = self.store.read().await?;
        Ok(store::person_by_codice_fiscale(&mut conn, &cf.trim().to_uppercase()).await?)
    }

    /// What `reader` may see of a person: resolved once per request, applied by [`App::record`].
    async fn scope(&self, reader: Reader<'_>, person: PersonId) -> Result<Scope> {
        match reader {
            Reader::DataSubject => Ok(Scope { ambito: None, clinical: true }),
            Reader::Staff { principal, ambito } => {
                let clinical = self.person_decision(principal, Perm::ClinicalRead, ambito.id, person).await?;
                let clinical = matches!(clinical, PersonDecision::Allow | PersonDecision::AllowBreakGlass);
                Ok(Scope { ambito: Some(ambito.clone()), clinical })
            }
        }
    }

    /// The person, their cases and notes as `scope` shows them: the one function behind the
    /// person page and every export of it, so that what one shows the other cannot add to.
    async fn record(&self, conn: &mut store::AnyConnection, scope: &Scope, person: PersonId) -> Result<Record> {
        let person_id = person.get();
        let person = store::person(conn, person_id).await?.ok_or_else(|| AppError::Invalid("persona non trovata".into()))?;
        let cases: Vec<store::CaseRow> = store::cases_of(conn, person_id).await?.into_iter().filter(|c| scope.shows_case(c)).collect();
        let (notes, hidden): (Vec<_>, Vec<_>) = store::notes_of(conn, person_id)
            .await?
            .into_iter()
            .filter(|n| cases.iter().any(|c| c.id == n.case_id))
            .partition(|n| n.kind != "clinica" || scope.clinical);
        Ok(Record { person, cases, notes, clinical_hidden: hidden.len() })
    }

    pub async fn person_view(&self, p: &Principal, ambito: &AmbitoScope, person: PersonId) -> Result<PersonView> {
        let scope = self.scope(Reader::Staff { principal: p, ambito }, person).await?;
        let decision = self.person_decision(p, Perm::PersonRead, ambito.id, person).await?;
        let mut conn = self.store.read().await?;
        let r = self.record(&mut conn, &scope, person).await?;
        Ok(PersonView {
            person: r.person,
            cases: r.cases,
            notes: r.notes,
            clinical_hidden: r.clinical_hidden,
            decision: format!("{decision:?}"),
        })
    }

    /// Adds a note to the person's open case in this Ambito. Clinical notes need clinical rights.
    pub async fn add_person_note(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        kind: &str,
        body: &str,
        ip: Option<&str>,
    ) -> Result<NoteId> {
        let person_id = person.get();
        if !NOTE_KINDS.iter().any(|(k, _)| *k == kind) {
            return Err(AppError::Invalid(format!("tipo di nota sconosciuto: {kind}")));
        }
        let body = body.trim();
        if body.is_empty() || body.len() > 20_000 {
            return Err(AppError::Invalid("la nota è vuota o troppo lunga (massimo 20.000 caratteri)".into()));
        }
        let perm = if kind == "clinica" { Perm::ClinicalWrite } else { Perm::PersonWrite };
        let decision = self.person_decision(p, perm, ambito.id, person).await?;
        if !matches!(decision, PersonDecision::Allow | PersonDecision::AllowBreakGlass) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.store.write_untracked().await?;
        let case = store::cases_of(&mut tx, person_id)
            .await?
            .into_iter()
            .filter(|c| c.ambito_id == ambito.id.get())
            .max_by_key(|c| (c.closed_on.is_none(), c.opened_on.clone()))
            .ok_or(AppError::Forbidden)?;
        let id = store::add_note(&mut tx, case.id, Some(p.user_id), kind, body).await?;
        let mut ev = actor_event(Some(p), "person.write", &format!("nota/{id}"));
        ev.person_id = Some(person_id);
        ev.ambito = Some(ambito.code.clone());
        ev.ip = ip.map(str::to_string);
        ev.flagged = decision == PersonDecision::AllowBreakGlass;
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(NoteId(id))
    }

    /// Opens temporary access outside the care team. The reason is mandatory; the grant and every
    /// access made under it are flagged in the audit log for review.
    pub async fn break_glass(&self, p: &Principal, ambito: &AmbitoScope, person: PersonId, reason: &str, ip: Option<&str>) -> Result<()> {
        let person_id = person.get();
        let reason = reason.trim();
        if reason.chars().count() < 15 {
            return Err(AppError::Invalid("indicare il motivo dell'accesso straordinario (almeno 15 caratteri)".into()));
        }
        if self.person_decision(p, Perm::PersonRead, ambito.id, person).await? != PersonDecision::NeedBreakGlass {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.store.write_untracked().await?;
        store::grant_break_glass(&mut tx, p.user_id, person_id, reason, &rfc3339(now() + self.access.break_glass_for)).await?;
        let ev = AuditEvent {
            user_id: Some(p.user_id),
            username: p.username.clone(),
            action: "person.break_glass".into(),
            object: format!("persona/{person_id}"),
            person_id: Some(person_id),
            ambito: Some(ambito.code.clone()),
            ip: ip.map(str::to_string),
            reason: Some(reason.to_string()),
            flagged: true,
        };
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The right-of-access export (GDPR art. 15) for `reader`: identity, cases, notes, delivery
    /// events and who accessed the data. Staff of an Ambito get exactly what the person page shows
    /// them ([`Reader::Staff`]); only the data subject's own export ([`Reader::DataSubject`])
    /// spans every Ambito.
    pub async fn person_export(&self, reader: Reader<'_>, person: PersonId) -> Result<serde_json::Value> {
        let person_id = person.get();
        let scope = self.scope(reader, person).await?;
        let mut conn = self.store.read().await?;
        let r = self.record(&mut conn, &scope, person).await?;
        let in_scope = |ambito: Option<&str>| scope.ambito.as_ref().is_none_or(|a| Some(a.code.as_str()) == ambito);
        let deliveries: Vec<store::PersonDeliveryRow> = store::person_deliveries(&mut conn, person_id, &r.person.pseudonym)
            .await?
            .into_iter()
            .filter(|d| in_scope(Some(&d.ambito)))
            .collect();
        let accesses =
            store::search_audit(&mut conn, &store::AuditQuery { person_id: Some(person_id), limit: 100_000, ..Default::default() }).await?;
        let accesses: Vec<serde_json::Value> = accesses
            .iter()
            .filter(|e| in_scope(e.ambito.as_deref()))
            .map(|e| serde_json::json!({"quando": e.at, "chi": e.username, "azione": e.action, "oggetto": e.object, "ambito": e.ambito, "motivo": e.reason}))
            .collect();
        let mut out = serde_json::json!({
            "generato_il": rfc3339(now()),
            "base_giuridica": "Regolamento (UE) 2016/679, art. 15 (diritto di accesso dell'interessato)",
            "persona": r.person,
            "prese_in_carico": r.cases,
            "note": r.notes,
            "prestazioni": deliveries,
            "accessi_ai_dati": accesses,
        });
        if let Some(ambito) = &scope.ambito {
            out["ambito"] = serde_json::json!(ambito.code);
            out["note_cliniche_non_visibili"] = serde_json::json!(r.clinical_hidden);
        }
        Ok(out)
    }

    /// The data subject's whole record, for the DPO answering an art. 15 request from the command
    /// line. Every Ambito whose cases it discloses gets the access in its own register.
    pub async fn subject_export(&self, actor: &super::Actor<'_>, person: PersonId) -> Result<serde_json::Value> {
        let person_id = person.get();
        let data = self.person_export(Reader::DataSubject, person).await?;
        let mut ambiti: Vec<&str> =
            data["prese_in_carico"].as_array().into_iter().flatten().filter_map(|c| c["ambito_code"].as_str()).collect();
        ambiti.sort_unstable();
        ambiti.dedup();
        let mut tx = self.store.write_untracked().await?;
        let object = format!("persona/{person_id}");
        let owners: Vec<Option<&str>> = if ambiti.is_empty() { vec![None] } else { ambiti.into_iter().map(Some).collect() };
        for ambito in owners {
            let mut ev = actor.event("person.export", &object, ambito);
            ev.person_id = Some(person_id);
            self.audit_in(&mut tx, ev).await?;
        }
        tx.commit().await?;
        Ok(data)
    }

    /// Removes personal data of persons whose every case closed more than `years` ago.
    /// Delivery events keep their figures under a fresh random key, so published aggregates,
    /// distinct persons included, stay exactly as they were.
    pub async fn purge_expired(&self, actor: Option<&Principal>, years: i64, today: time::Date, apply: bool) -> Result<PurgeReport> {
        let cutoff = today.replace_year(today.year() - i32::try_from(years).unwrap_or(10)).unwrap_or(today);
        let cutoff = cutoff.to_string();
        // A tracked write: delivery events are re-keyed, so cached reports must be recomputed
        // (and are then proven unchanged).
        let mut tx = self.store.write().await?;
        let persons = store::persons_closed_before(&mut tx, &cutoff).await?;
        if apply {
            for id in &persons {
                store::purge_person(&mut tx, *id, &format!("purged-{}", random_token()?)).await?;
                let mut ev = actor_event(actor, "person.purge", &format!("persona/{id}"));
                ev.person_id = Some(*id);
                ev.reason = Some(format!("conservazione scaduta: casi chiusi prima del {cutoff}"));
                self.audit_in(&mut tx, ev).await?;
            }
            tx.commit().await?;
        }
        Ok(PurgeReport { cutoff, persons, applied: apply })
    }
}

/// The right-of-access export as a readable PDF: one table per kind of data.
pub fn person_export_pdf(data: &serde_json::Value) -> Result<Vec<u8>> {
    use ambito_render::pdf::{Section, sections};
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let table = |heading: &str, key: &str, columns: &[(&str, &str)]| Section {
        heading: heading.to_string(),
        header: columns.iter().map(|(_, label)| label.to_string()).collect(),
        rows: data[key]
            .as_array()
            .map(|rows| rows.iter().map(|r| columns.iter().map(|(k, _)| text(&r[*k])).collect()).collect())
            .unwrap_or_default(),
    };
    let p = &data["persona"];
    let identity = Section {
        heading: "Dati anagrafici".into(),
        header: vec!["Campo".into(), "Valore".into()],
        rows: [
            ("codice_fiscale", "Codice fiscale"),
            ("cognome", "Cognome"),
            ("nome", "Nome"),
            ("birth_date", "Data di nascita"),
            ("comune_istat", "Comune di residenza (ISTAT)"),
        ]
        .iter()
        .map(|(k, label)| vec![label.to_string(), text(&p[*k])])
        .collect(),
    };
    let all = [
        identity,
        table(
            "Prese in carico",
            "prese_in_carico",
            &[
                ("ambito_code", "Ambito"),
                ("service_code", "Servizio"),
                ("provider", "Ente"),
                ("opened_on", "Apertura"),
                ("closed_on", "Chiusura"),
            ],
        ),
        table("Diario e note", "note", &[("created_at", "Data"), ("kind", "Tipo"), ("author", "Autore"), ("body", "Testo")]),
        table(
            "Prestazioni ricevute",
            "prestazioni",
            &[("ambito", "Ambito"), ("service_code", "Servizio"), ("day", "Giorno"), ("ore_e4", "Ore (×10.000)"), ("provider", "Ente")],
        ),
        table(
            "Chi ha consultato i dati",
            "accessi_ai_dati",
            &[("quando", "Quando"), ("chi", "Chi"), ("azione", "Azione"), ("ambito", "Ambito"), ("motivo", "Motivo")],
        ),
    ];
    let name = format!("{} {}", text(&p["nome"]), text(&p["cognome"]));
    Ok(sections(
        "Dati personali trattati da ambito",
        &name,
        &format!("Generato il {} · {}", text(&data["generato_il"]), text(&data["base_giuridica"])),
        &all,
    )?)
}
