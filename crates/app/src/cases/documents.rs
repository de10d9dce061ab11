//! Documents once-only (issue 15): a person's document is uploaded once, checked by its content,
//! stored encrypted under its SHA-256 (the same bytes are kept once), and reused by the person's
//! cases, projects and applications through links, without a new upload. Every download is
//! audited. Nothing is deleted: a new version names the one it `supersedes`.
//!
//! Which documents an Ambito sees follows the two-Ambiti rule: those it holds (uploaded there)
//! and those linked to one of its own cases (a transfer carries them over with consent). Court
//! orders need clinical rights, like clinical notes.

use crate::access::{AuditEvent, now, rfc3339};
use crate::cases::document_key;
use crate::{App, AppError, Result};
use ambito_domain::access::{Perm, PersonDecision, Principal};
use ambito_domain::documents::{self as rules, DocumentKind, Expiry};
use ambito_domain::ids::{AmbitoScope, CaseId, DocumentId, PersonId};
use ambito_store as store;
use serde::Serialize;

/// Why a case uses a document, as the link form offers it; `trasferimento` is set by a transfer.
pub const LINK_PURPOSES: &[(&str, &str)] =
    &[("presa_in_carico", "Presa in carico"), ("progetto", "Progetto individuale"), ("domanda", "Domanda o istanza")];

/// A problem with one field of a form, for the page to show beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

pub(crate) fn field(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError { field, message: message.into() }
}

/// The outcome of a form: done, or the problems by field (nothing changed).
pub type FormResult<T> = std::result::Result<T, Vec<FieldError>>;

/// An uploaded document as the form sent it.
#[derive(Debug, Clone, Default)]
pub struct Upload<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub expires_on: &'a str,
    /// The id of the document this one replaces (a new version), as typed.
    pub supersedes: &'a str,
    pub visible_to_citizen: bool,
    pub bytes: &'a [u8],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Uploaded {
    pub id: DocumentId,
    /// The person already had this very file here: nothing new was stored.
    pub already_present: bool,
    /// The content was new to the store (`false`: the same bytes were kept once already).
    pub new_blob: bool,
}

/// One document as a page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    pub row: store::DocumentRow,
    pub kind_label: &'static str,
    pub expiry: &'static str,
    /// A later version replaces this one.
    pub superseded: bool,
    /// Cases of this Ambito using it: (case id, purpose).
    pub links: Vec<(i64, String)>,
}

/// The documents page of a person in one Ambito.
#[derive(Debug, Clone, Serialize)]
pub struct PersonDocuments {
    pub person: store::PersonRow,
    pub documents: Vec<DocumentView>,
    /// This Ambito's cases, to link a document to.
    pub cases: Vec<store::CaseRow>,
    pub requests: Vec<store::DocumentRequestRow>,
    /// Court orders exist but this caller may not read them.
    pub court_hidden: usize,
    pub may_write: bool,
}

/// What one reader may see of a person's documents in one Ambito.
pub(crate) struct DocumentScope {
    pub ambito_id: i64,
    /// Cases of the Ambito (a document linked to one of them is visible there).
    pub cases: Vec<i64>,
    pub court: bool,
    /// The reader is the person themselves on a staff page (the guard lets a citizen read their
    /// own record there): they see what their own area shows, no more.
    pub citizen: bool,
}

impl DocumentScope {
    pub fn shows(&self, d: &store::DocumentRow, links: &[store::DocumentLinkRow]) -> bool {
        d.voided_at.is_none()
            && (!self.citizen || super::citizen::citizen_sees(d))
            && (d.ambito_id == self.ambito_id || links.iter().any(|l| l.document_id == d.id && self.cases.contains(&l.case_id)))
    }

    fn court_ok(&self, d: &store::DocumentRow) -> bool {
        self.court || !DocumentKind::from_code(&d.kind).is_some_and(DocumentKind::is_court_material)
    }
}

pub(crate) fn allowed(d: PersonDecision) -> bool {
    matches!(d, PersonDecision::Allow | PersonDecision::AllowBreakGlass)
}

#[allow(clippy::expect_used)] // `time::Date` always names a real day, and `Day` takes every year it has.
pub(crate) fn today() -> ambito_domain::date::Day {
    let t = now().date();
    ambito_domain::date::Day::new(t.year(), u8::from(t.month()), t.day()).expect("a real day")
}

pub(crate) fn event(p: &Principal, action: &str, object: String, person: i64, ambito: &str, ip: Option<&str>) -> AuditEvent {
    AuditEvent {
        user_id: Some(p.user_id),
        username: p.username.clone(),
        action: action.into(),
        object,
        person_id: Some(person),
        ambito: Some(ambito.to_string()),
        ip: ip.map(str::to_string),
        ..AuditEvent::default()
    }
}

pub(crate) fn view(row: store::DocumentRow, superseded: bool, links: Vec<(i64, String)>) -> DocumentView {
    let kind_label = DocumentKind::from_code(&row.kind).map_or("Altro", DocumentKind::label);
    let until = row.expires_on.as_deref().and_then(ambito_domain::date::parse_iso);
    let expiry = match rules::expiry(until, today()) {
        Expiry::Valid if until.is_none() => "senza scadenza",
        e => e.label(),
    };
    DocumentView { row, kind_label, expiry, superseded, links }
}

impl App {
    pub(crate) async fn document_scope(
        &self,
        conn: &mut store::AnyConnection,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
    ) -> Result<DocumentScope> {
        let cases =
            store::cases_of(conn, person.get()).await?.into_iter().filter(|c| c.ambito_id == ambito.id.get()).map(|c| c.id).collect();
        let court = allowed(self.person_decision(p, Perm::ClinicalRead, ambito.id, person).await?);
        Ok(DocumentScope { ambito_id: ambito.id.get(), cases, court, citizen: p.person_id == Some(person.get()) })
    }

    /// The person's documents as this Ambito's staff see them, with the open requests.
    pub async fn person_documents(&self, p: &Principal, ambito: &AmbitoScope, person: PersonId) -> Result<PersonDocuments> {
        self.require_person(p, Perm::PersonRead, ambito, person).await?;
        let may_write = allowed(self.person_decision(p, Perm::PersonWrite, ambito.id, person).await?);
        let mut conn = self.store.read().await?;
        let person_row = store::person(&mut conn, person.get()).await?.ok_or_else(|| AppError::NotFound("persona non trovata".into()))?;
        let scope = self.document_scope(&mut conn, p, ambito, person).await?;
        let links = store::links_of(&mut conn, person.get()).await?;
        let all = store::documents_of(&mut conn, person.get()).await?;
        let (mut documents, mut court_hidden) = (Vec::new(), 0);
        for d in all.iter().filter(|d| scope.shows(d, &links)) {
            if !scope.court_ok(d) {
                court_hidden += 1;
                continue;
            }
            let superseded = all.iter().any(|o| o.supersedes == Some(d.id));
            let mine = links.iter().filter(|l| l.document_id == d.id && scope.cases.contains(&l.case_id));
            documents.push(view(d.clone(), superseded, mine.map(|l| (l.case_id, l.purpose.clone())).collect()));
        }
        let cases = store::cases_of(&mut conn, person.get()).await?.into_iter().filter(|c| c.ambito_id == ambito.id.get()).collect();
        let requests = store::requests_of(&mut conn, person.get()).await?.into_iter().filter(|r| r.ambito_id == ambito.id.get()).collect();
        Ok(PersonDocuments { person: person_row, documents, cases, requests, court_hidden, may_write })
    }

    /// Uploads a document for the person in this Ambito: its type checked by content, its size
    /// capped, stored encrypted once. The same file already held here is not stored again.
    pub async fn upload_document(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        u: &Upload<'_>,
        ip: Option<&str>,
    ) -> Result<FormResult<Uploaded>> {
        let decision = self.require_person(p, Perm::PersonWrite, ambito, person).await?;
        let mut errors = Vec::new();
        let kind = DocumentKind::from_code(u.kind);
        if kind.is_none() {
            errors.push(field("tipo", "scegliere il tipo di documento"));
        }
        let title = rules::check_title(u.title).map_err(|m| errors.push(field("titolo", m))).ok();
        let expires = rules::parse_expiry(u.expires_on).map_err(|m| errors.push(field("scadenza", m))).ok().flatten();
        let content = rules::sniff(u.bytes).map_err(|e| errors.push(field("file", e.to_string()))).ok();
        let supersedes = match u.supersedes.trim() {
            "" => None,
            t => match t.parse::<DocumentId>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.push(field("sostituisce", "documento da sostituire non valido"));
                    None
                }
            },
        };
        let (Some(kind), Some(title), Some(content)) = (kind, title, content) else { return Ok(Err(errors)) };
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        if kind.is_court_material() {
            self.require_person(p, Perm::ClinicalWrite, ambito, person).await.map_err(|_| AppError::Forbidden)?;
        }
        let sha = document_key::sha256_hex(u.bytes);
        let key = document_key::resolve(self.store.url())?;
        let mut tx = self.store.write_untracked().await?;
        let scope = self.document_scope(&mut tx, p, ambito, person).await?;
        let links = store::links_of(&mut tx, person.get()).await?;
        let existing = store::documents_of(&mut tx, person.get()).await?;
        if let Some(same) = existing.iter().find(|d| d.sha256 == sha && scope.shows(d, &links)) {
            return Ok(Ok(Uploaded { id: DocumentId(same.id), already_present: true, new_blob: false }));
        }
        let mut version = 1;
        if let Some(old) = supersedes {
            let Some(old) = existing.iter().find(|d| d.id == old.get() && scope.shows(d, &links)) else {
                return Ok(Err(vec![field("sostituisce", "il documento da sostituire non è tra quelli della persona")]));
            };
            if old.kind != kind.code() {
                return Ok(Err(vec![field(
                    "sostituisce",
                    "una nuova versione deve essere dello stesso tipo del documento che sostituisce",
                )]));
            }
            if existing.iter().any(|d| d.supersedes == Some(old.id)) {
                return Ok(Err(vec![field("sostituisce", "il documento è già stato sostituito: scegliere la versione più recente")]));
            }
            version = old.version + 1;
        }
        let size = i64::try_from(u.bytes.len()).unwrap_or(i64::MAX);
        let new_blob = store::put_blob(&mut tx, &sha, &key.seal(u.bytes)?, size).await?;
        let at = rfc3339(now());
        let expires = expires.map(|d| ambito_domain::date::iso_from_yyyymmdd(d.yyyymmdd()));
        let id = store::insert_document(
            &mut tx,
            &store::NewDocument {
                person_id: person.get(),
                ambito_id: ambito.id.get(),
                kind: kind.code(),
                title: &title,
                sha256: &sha,
                mime: content.mime(),
                size,
                expires_on: expires.as_deref(),
                version,
                supersedes: supersedes.map(DocumentId::get),
                uploaded_by: Some(p.user_id),
                uploaded_by_citizen: false,
                uploaded_at: &at,
                visible_to_citizen: u.visible_to_citizen && !kind.is_court_material(),
            },
        )
        .await?;
        let mut ev = event(p, "document.upload", format!("documento/{id}"), person.get(), &ambito.code, ip);
        ev.flagged = decision == PersonDecision::AllowBreakGlass;
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(Ok(Uploaded { id: DocumentId(id), already_present: false, new_blob }))
    }

    /// The document's bytes, decrypted, for staff of this Ambito. Every download is audited
    /// (`document.download`, with the person) before the bytes leave.
    pub async fn download_document(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        document: DocumentId,
        ip: Option<&str>,
    ) -> Result<(store::DocumentRow, Vec<u8>)> {
        let decision = self.require_person(p, Perm::PersonRead, ambito, person).await?;
        let mut conn = self.store.read().await?;
        let not_found = || AppError::NotFound("documento non trovato".into());
        let d = store::document(&mut conn, document.get()).await?.filter(|d| d.person_id == person.get()).ok_or_else(not_found)?;
        let scope = self.document_scope(&mut conn, p, ambito, person).await?;
        let links = store::links_of(&mut conn, person.get()).await?;
        if !scope.shows(&d, &links) || !scope.court_ok(&d) {
            return Err(not_found());
        }
        drop(conn);
        let mut ev = event(p, "document.download", format!("documento/{}", d.id), person.get(), &ambito.code, ip);
        ev.flagged = decision == PersonDecision::AllowBreakGlass;
        let bytes = self.decrypt_document(&d).await?;
        self.audit(ev).await?;
        Ok((d, bytes))
    }

    pub(crate) async fn decrypt_document(&self, d: &store::DocumentRow) -> Result<Vec<u8>> {
        let mut conn = self.store.read().await?;
        let stored =
            store::blob(&mut conn, &d.sha256).await?.ok_or_else(|| AppError::Internal(format!("contenuto mancante: {}", d.sha256)))?;
        let bytes = document_key::resolve(self.store.url())?.open(&stored)?;
        if document_key::sha256_hex(&bytes) != d.sha256 {
            return Err(AppError::Internal(format!("contenuto alterato: {}", d.sha256)));
        }
        Ok(bytes)
    }

    /// Reuses a document for one of the person's cases in this Ambito, without a new upload.
    /// `false` when the case already used it for that purpose.
    #[allow(clippy::too_many_arguments)]
    pub async fn link_document(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        document: DocumentId,
        case: &str,
        purpose: &str,
        ip: Option<&str>,
    ) -> Result<FormResult<bool>> {
        self.require_person(p, Perm::PersonWrite, ambito, person).await?;
        let mut tx = self.store.write_untracked().await?;
        let not_found = || AppError::NotFound("documento non trovato".into());
        let d = store::document(&mut tx, document.get()).await?.filter(|d| d.person_id == person.get()).ok_or_else(not_found)?;
        let scope = self.document_scope(&mut tx, p, ambito, person).await?;
        let links = store::links_of(&mut tx, person.get()).await?;
        if !scope.shows(&d, &links) || !scope.court_ok(&d) {
            return Err(not_found());
        }
        let mut errors = Vec::new();
        let case = case.trim().parse::<CaseId>().ok().filter(|c| scope.cases.contains(&c.get()));
        if case.is_none() {
            errors.push(field("presa_in_carico", "scegliere una presa in carico della persona in questo Ambito"));
        }
        if !LINK_PURPOSES.iter().any(|(k, _)| *k == purpose) {
            errors.push(field("uso", "scegliere per che cosa si usa il documento"));
        }
        let Some(case) = case.filter(|_| errors.is_empty()) else { return Ok(Err(errors)) };
        let added = store::link_document(&mut tx, d.id, case.get(), purpose, Some(p.user_id), &rfc3339(now())).await?;
        if added {
            let ev = event(p, "document.link", format!("documento/{}/caso/{case}", d.id), person.get(), &ambito.code, ip);
            self.audit_in(&mut tx, ev).await?;
        }
        tx.commit().await?;
        Ok(Ok(added))
    }

    /// Asks the citizen for a document, to be uploaded once from their own area.
    #[allow(clippy::too_many_arguments)]
    pub async fn request_document(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        kind: &str,
        note: &str,
        due_on: &str,
        ip: Option<&str>,
    ) -> Result<FormResult<i64>> {
        self.require_person(p, Perm::PersonWrite, ambito, person).await?;
        let mut errors = Vec::new();
        let kind = DocumentKind::from_code(kind).filter(|k| !k.is_court_material());
        if kind.is_none() {
            errors.push(field("tipo", "scegliere il tipo di documento da chiedere"));
        }
        let note = note.trim();
        if note.chars().count() > 1_000 {
            errors.push(field("nota", "la nota è troppo lunga (massimo 1.000 caratteri)"));
        }
        let due = match rules::parse_expiry(due_on) {
            Ok(Some(d)) if d < today() => {
                errors.push(field("entro", "la data entro cui caricare il documento è già passata"));
                None
            }
            Ok(d) => d,
            Err(m) => {
                errors.push(field("entro", m.replace("di scadenza", "entro cui caricare")));
                None
            }
        };
        let Some(kind) = kind.filter(|_| errors.is_empty()) else { return Ok(Err(errors)) };
        let due = due.map(|d| ambito_domain::date::iso_from_yyyymmdd(d.yyyymmdd()));
        let mut tx = self.store.write_untracked().await?;
        let req = store::NewRequest {
            person_id: person.get(),
            ambito_id: ambito.id.get(),
            kind: kind.code(),
            note,
            requested_by: Some(p.user_id),
            requested_at: &rfc3339(now()),
            due_on: due.as_deref(),
        };
        let id = store::insert_request(&mut tx, &req).await?;
        self.audit_in(&mut tx, event(p, "document.request", format!("richiesta/{id}"), person.get(), &ambito.code, ip)).await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// The person's documents for the timeline of this Ambito's person page.
    pub async fn documents_timeline(&self, p: &Principal, ambito: &AmbitoScope, person: PersonId) -> Result<Vec<super::TimelineItem>> {
        let docs = self.person_documents(p, ambito, person).await?;
        let base = format!("/ambiti/{}/persone/{person}/documenti", ambito.code);
        Ok(docs
            .documents
            .into_iter()
            .map(|d| super::TimelineItem {
                date: d.row.uploaded_at.clone(),
                kind: "documento",
                title: format!("{}: {}", d.kind_label, d.row.title),
                href: Some(format!("{base}/{}", d.row.id)),
            })
            .collect())
    }
}
