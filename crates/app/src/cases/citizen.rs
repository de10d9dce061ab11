//! The citizen's view of their case record (issue 15; provincial objective 3): what the record
//! marks as visible to them, in their own area after the portal login. Their cases with service
//! and dates, the documents they gave and those marked visible to them, the documents asked of
//! them with a way to upload each once, and (when the project tables exist) the next reviews and
//! appointments. Never notes, assessments or court material: this is not the art. 15 export,
//! which stays a download of its own.

use crate::access::{AuditEvent, now, rfc3339};
use crate::cases::document_key;
use crate::cases::documents::{DocumentView, FormResult, field, view};
use crate::{App, AppError, Result};
use ambito_domain::access::Principal;
use ambito_domain::documents::{self as rules, DocumentKind};
use ambito_domain::ids::{DocumentId, PersonId};
use ambito_store as store;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct CitizenCase {
    pub ambito: String,
    pub service: String,
    pub opened_on: String,
    pub closed_on: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpenRequest {
    pub id: i64,
    pub ambito: String,
    pub kind_label: &'static str,
    pub note: String,
    pub due_on: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CitizenRecord {
    pub open_cases: Vec<CitizenCase>,
    pub documents: Vec<DocumentView>,
    pub requests: Vec<OpenRequest>,
    pub upcoming: Vec<super::TimelineItem>,
}

/// What the citizen sees of a document: what they gave, or what staff marked for them; never
/// court material they did not give themselves, nothing withdrawn.
pub(crate) fn citizen_sees(d: &store::DocumentRow) -> bool {
    let court = DocumentKind::from_code(&d.kind).is_some_and(DocumentKind::is_court_material);
    d.voided_at.is_none() && (d.uploaded_by_citizen == 1 || (d.visible_to_citizen == 1 && !court))
}

fn own(p: &Principal) -> Result<PersonId> {
    p.person_id.map(PersonId).ok_or(AppError::Forbidden)
}

impl App {
    /// The citizen's own record, for their area.
    pub async fn citizen_record(&self, p: &Principal) -> Result<CitizenRecord> {
        let person = own(p)?;
        let mut conn = self.store.read().await?;
        let open_cases = store::cases_of(&mut conn, person.get())
            .await?
            .into_iter()
            .filter(|c| c.closed_on.is_none())
            .map(|c| CitizenCase {
                ambito: c.ambito_code,
                service: c.service_code.unwrap_or_else(|| "Servizio sociale professionale".into()),
                opened_on: c.opened_on,
                closed_on: c.closed_on,
            })
            .collect();
        let all = store::documents_of(&mut conn, person.get()).await?;
        let documents = all
            .iter()
            .filter(|d| citizen_sees(d))
            .map(|d| view(d.clone(), all.iter().any(|o| o.supersedes == Some(d.id)), Vec::new()))
            .collect();
        let requests = store::requests_of(&mut conn, person.get())
            .await?
            .into_iter()
            .filter(|r| r.fulfilled_document_id.is_none())
            .map(|r| OpenRequest {
                id: r.id,
                ambito: r.ambito_code,
                kind_label: DocumentKind::from_code(&r.kind).map_or("Documento", DocumentKind::label),
                note: r.note,
                due_on: r.due_on,
            })
            .collect();
        drop(conn);
        Ok(CitizenRecord { open_cases, documents, requests, upcoming: self.citizen_upcoming(person).await? })
    }

    /// The next reviews and appointments shown to the citizen. The project and review tables
    /// belong to another part of the case record (slice H1): until they exist this shows none.
    // TODO(issue 15, H1): read the reviews of the person's projects marked visible to them.
    pub async fn citizen_upcoming(&self, _person: PersonId) -> Result<Vec<super::TimelineItem>> {
        Ok(Vec::new())
    }

    /// A document the citizen may see, decrypted; the download is audited in the register of the
    /// Ambito that holds the document.
    pub async fn citizen_download(&self, p: &Principal, document: DocumentId, ip: Option<&str>) -> Result<(store::DocumentRow, Vec<u8>)> {
        let person = own(p)?;
        let mut conn = self.store.read().await?;
        let d = store::document(&mut conn, document.get())
            .await?
            .filter(|d| d.person_id == person.get() && citizen_sees(d))
            .ok_or_else(|| AppError::NotFound("documento non trovato".into()))?;
        drop(conn);
        let bytes = self.decrypt_document(&d).await?;
        self.audit(citizen_event(p, "document.download", format!("documento/{}", d.id), person, &d.ambito_code, ip)).await?;
        Ok((d, bytes))
    }

    /// The citizen uploads the document asked of them, once: it fulfils the request, its type and
    /// size checked as for staff. A request already fulfilled is not fulfilled twice.
    pub async fn fulfil_document_request(
        &self,
        p: &Principal,
        request: i64,
        bytes: &[u8],
        ip: Option<&str>,
    ) -> Result<FormResult<DocumentId>> {
        let person = own(p)?;
        let mut tx = self.store.write_untracked().await?;
        let r = store::requests_of(&mut tx, person.get())
            .await?
            .into_iter()
            .find(|r| r.id == request)
            .ok_or_else(|| AppError::NotFound("richiesta non trovata".into()))?;
        if r.fulfilled_document_id.is_some() {
            return Ok(Err(vec![field("file", "il documento richiesto è già stato caricato")]));
        }
        let content = match rules::sniff(bytes) {
            Ok(c) => c,
            Err(e) => return Ok(Err(vec![field("file", e.to_string())])),
        };
        let kind = DocumentKind::from_code(&r.kind).unwrap_or(DocumentKind::Altro);
        let sha = document_key::sha256_hex(bytes);
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        store::put_blob(&mut tx, &sha, &document_key::resolve(self.store.url())?.seal(bytes)?, size).await?;
        let at = rfc3339(now());
        let id = store::insert_document(
            &mut tx,
            &store::NewDocument {
                person_id: person.get(),
                ambito_id: r.ambito_id,
                kind: kind.code(),
                title: &format!("{} (caricato dalla persona)", kind.label()),
                sha256: &sha,
                mime: content.mime(),
                size,
                expires_on: None,
                version: 1,
                supersedes: None,
                uploaded_by: Some(p.user_id),
                uploaded_by_citizen: true,
                uploaded_at: &at,
                visible_to_citizen: true,
            },
        )
        .await?;
        if !store::fulfil_request(&mut tx, r.id, id, &at).await? {
            return Ok(Err(vec![field("file", "il documento richiesto è già stato caricato")]));
        }
        self.audit_in(&mut tx, citizen_event(p, "document.upload", format!("documento/{id}"), person, &r.ambito_code, ip)).await?;
        tx.commit().await?;
        Ok(Ok(DocumentId(id)))
    }
}

fn citizen_event(p: &Principal, action: &str, object: String, person: PersonId, ambito: &str, ip: Option<&str>) -> AuditEvent {
    AuditEvent {
        user_id: Some(p.user_id),
        username: p.username.clone(),
        action: action.into(),
        object,
        person_id: Some(person.get()),
        ambito: Some(ambito.to_string()),
        ip: ip.map(str::to_string),
        ..AuditEvent::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(kind: &str, by_citizen: i64, visible: i64) -> store::DocumentRow {
        store::DocumentRow {
            id: 1,
            person_id: 1,
            ambito_id: 1,
            ambito_code: "A".into(),
            kind: kind.into(),
            title: "t".into(),
            sha256: "x".into(),
            mime: "application/pdf".into(),
            size: 1,
            expires_on: None,
            version: 1,
            supersedes: None,
            uploaded_by: None,
            uploader: None,
            uploaded_by_citizen: by_citizen,
            uploaded_at: "2025-01-01T00:00:00Z".into(),
            visible_to_citizen: visible,
            voided_at: None,
            void_reason: None,
        }
    }

    #[test]
    fn the_citizen_sees_what_they_gave_and_what_is_marked_never_court_orders() {
        assert!(citizen_sees(&doc("isee", 1, 0)));
        assert!(citizen_sees(&doc("isee", 0, 1)));
        assert!(!citizen_sees(&doc("isee", 0, 0)));
        assert!(!citizen_sees(&doc("tribunale", 0, 1)), "court material, even if marked");
        let mut withdrawn = doc("isee", 1, 1);
        withdrawn.voided_at = Some("2025-02-01T00:00:00Z".into());
        assert!(!citizen_sees(&withdrawn));
    }
}
