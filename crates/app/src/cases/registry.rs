//! The person registry: registering a person at the front desk, correcting the identity (every
//! change kept in `person_revision`), replacing a provisional code with the real codice fiscale,
//! addresses over time, household, legal representative, consents, disability, duplicates and
//! the reversible merge.

use super::{Check, given, person_event, today};
use crate::access::secrets::random_token;
use crate::{App, AppError, Result};
use ambito_domain::access::{Perm, Principal};
use ambito_domain::case_record::{self as rules, AddressChange, IdentityKind, Period};
use ambito_domain::codice_fiscale::Sex;
use ambito_domain::date::parse_iso;
use ambito_domain::ids::{AmbitoScope, PersonId};
use ambito_domain::person_search::search_key;
use ambito_store as store;
use serde::Deserialize;

/// The identity form (registration and correction alike). Field names are the form's.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    pub tipo_identita: Option<String>,
    #[serde(default)]
    pub codice_fiscale: Option<String>,
    #[serde(default)]
    pub cognome: Option<String>,
    #[serde(default)]
    pub nome: Option<String>,
    #[serde(default)]
    pub sesso: Option<String>,
    #[serde(default)]
    pub data_nascita: Option<String>,
    #[serde(default)]
    pub luogo_nascita: Option<String>,
    #[serde(default)]
    pub cittadinanza: Option<String>,
    #[serde(default)]
    pub cittadinanza2: Option<String>,
    #[serde(default)]
    pub data_morte: Option<String>,
    #[serde(default)]
    pub comune_residenza: Option<String>,
    #[serde(default)]
    pub indirizzo: Option<String>,
    #[serde(default)]
    pub telefono: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub senza_fissa_dimora: Option<String>,
    /// The registrar saw the possible duplicates and registers a new person anyway.
    #[serde(default)]
    pub conferma_nuova: Option<String>,
    /// Why an identity is corrected (required for a correction).
    #[serde(default)]
    pub motivo: Option<String>,
}

/// A form that passed every check: owned values, ready for the store.
#[derive(Debug, Clone)]
pub struct ValidPerson {
    pub kind: IdentityKind,
    pub code: String,
    pub cognome: String,
    pub nome: String,
    pub sesso: Option<&'static str>,
    pub birth_date: String,
    pub birth_place: Option<String>,
    pub citizenship: Option<String>,
    pub citizenship2: Option<String>,
    pub death_date: Option<String>,
    pub comune_istat: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub no_fixed_abode: bool,
}

impl ValidPerson {
    pub fn as_new<'a>(&'a self, pseudonym: &'a str) -> store::NewPerson<'a> {
        store::NewPerson {
            codice_fiscale: &self.code,
            cognome: &self.cognome,
            nome: &self.nome,
            birth_date: &self.birth_date,
            comune_istat: self.comune_istat.as_deref(),
            pseudonym,
            identity_kind: self.kind.code(),
            sesso: self.sesso,
            birth_place: self.birth_place.as_deref(),
            citizenship: self.citizenship.as_deref(),
            citizenship2: self.citizenship2.as_deref(),
            death_date: self.death_date.as_deref(),
            address: self.address.as_deref(),
            phone: self.phone.as_deref(),
            email: self.email.as_deref(),
            no_fixed_abode: self.no_fixed_abode,
        }
    }
}

/// Every check of the identity form at once. A blank internal temporary code is generated.
pub fn validate_person(f: &PersonForm) -> Result<ValidPerson> {
    let mut c = Check::default();
    let today = today();
    let kind = IdentityKind::from_code(given(&f.tipo_identita).unwrap_or("cf")).unwrap_or_else(|| {
        c.push("tipo_identita", "tipo di identificativo sconosciuto");
        IdentityKind::Cf
    });
    let cognome = c.take(rules::check_text("cognome", f.cognome.as_deref().unwrap_or(""), 100));
    let nome = c.take(rules::check_text("nome", f.nome.as_deref().unwrap_or(""), 100));
    let sesso = match given(&f.sesso) {
        Some(s) => c.take(rules::check_code("sesso", rules::SEX, s)),
        None => None,
    };
    let birth = c.take(rules::check_date("data_nascita", f.data_nascita.as_deref().unwrap_or(""), today, false));
    let sex = sesso.map(|s| if s == "M" { Sex::M } else { Sex::F });
    let code = match (kind, given(&f.codice_fiscale), birth) {
        (IdentityKind::Temp, None, _) => Some(format!("TMP{}", &random_token()?[..10].to_uppercase())),
        (_, None, _) => {
            c.push("codice_fiscale", "campo obbligatorio");
            None
        }
        (k, Some(code), Some(b)) => c.take(rules::check_identity(k, code, b, sex)),
        (_, Some(_), None) => None,
    };
    let opt = |c: &mut Check, v: &Option<String>, check: &dyn Fn(&str) -> std::result::Result<String, rules::FieldError>| match given(v) {
        Some(s) => c.take(check(s)),
        None => None,
    };
    let birth_place = opt(&mut c, &f.luogo_nascita, &rules::check_belfiore);
    let citizenship = opt(&mut c, &f.cittadinanza, &|s| rules::check_istat_state("cittadinanza", s));
    let citizenship2 = opt(&mut c, &f.cittadinanza2, &|s| rules::check_istat_state("cittadinanza2", s));
    let comune = opt(&mut c, &f.comune_residenza, &|s| rules::check_istat_comune("comune_residenza", s));
    let death = match given(&f.data_morte) {
        Some(s) => c.take(rules::check_date("data_morte", s, today, false)),
        None => None,
    };
    if let (Some(b), Some(d)) = (birth, death)
        && d < b
    {
        c.push("data_morte", "la data di morte precede la nascita");
    }
    if let Some(e) = given(&f.email)
        && (!e.contains('@') || e.len() > 200)
    {
        c.push("email", "indirizzo e-mail non valido");
    }
    c.done()?;
    let (Some(code), Some(cognome), Some(nome), Some(birth)) = (code, cognome, nome, birth) else {
        return Err(AppError::Invalid("dati anagrafici incompleti".into()));
    };
    let text = |v: &Option<String>| given(v).map(str::to_string);
    Ok(ValidPerson {
        kind,
        code,
        cognome,
        nome,
        sesso,
        birth_date: birth.iso(),
        birth_place,
        citizenship,
        citizenship2,
        death_date: death.map(|d| d.iso()),
        comune_istat: comune,
        address: text(&f.indirizzo),
        phone: text(&f.telefono),
        email: text(&f.email),
        no_fixed_abode: given(&f.senza_fissa_dimora).is_some(),
    })
}

/// A pseudonym for delivery files (`codice_persona`): random, never derived from the identity.
pub(crate) fn new_pseudonym() -> Result<String> {
    Ok(format!("P{}", &random_token()?[..15].to_uppercase()))
}

/// What a registration did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    New(PersonId),
    /// The codice fiscale was known: the same person, now known to this Ambito too.
    Existing(PersonId),
}

impl Registered {
    pub fn id(&self) -> PersonId {
        match self {
            Registered::New(id) | Registered::Existing(id) => *id,
        }
    }
}

/// A record for one of the registry's dated lists (`tabella` names the list).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RegistryForm {
    #[serde(default)]
    pub tipo: Option<String>,
    #[serde(default)]
    pub comune: Option<String>,
    #[serde(default)]
    pub indirizzo: Option<String>,
    #[serde(default)]
    pub valido_dal: Option<String>,
    #[serde(default)]
    pub valido_al: Option<String>,
    #[serde(default)]
    pub nome: Option<String>,
    #[serde(default)]
    pub relazione: Option<String>,
    #[serde(default)]
    pub convivente: Option<String>,
    #[serde(default)]
    pub responsabilita_genitoriale: Option<String>,
    #[serde(default)]
    pub tribunale: Option<String>,
    #[serde(default)]
    pub numero_decreto: Option<String>,
    #[serde(default)]
    pub data_decreto: Option<String>,
    #[serde(default)]
    pub prestato: Option<String>,
    #[serde(default)]
    pub data: Option<String>,
    #[serde(default)]
    pub nota: Option<String>,
    #[serde(default)]
    pub percentuale: Option<String>,
    #[serde(default)]
    pub icd10: Option<String>,
    #[serde(default)]
    pub revisione: Option<String>,
}

impl App {
    /// Registers a person at the front desk of `ambito` (or finds them by codice fiscale: a
    /// person is known once) and makes them known to this Ambito. Possible duplicates by name and
    /// birth date among the persons this Ambito knows stop the registration until confirmed.
    pub async fn register_person(&self, p: &Principal, ambito: &AmbitoScope, f: &PersonForm, ip: Option<&str>) -> Result<Registered> {
        if !p.may(Perm::PersonWrite, Some(ambito.id.get())) {
            return Err(AppError::Forbidden);
        }
        let v = validate_person(f)?;
        let mut tx = self.store.write_untracked().await?;
        let dups = store::possible_duplicates(&mut tx, &v.code, &search_key(&v.cognome, &v.nome), &v.birth_date).await?;
        let mut same_code = None;
        let mut namesakes = Vec::new();
        for id in dups {
            let Some(row) = store::person(&mut tx, id).await? else { continue };
            if row.codice_fiscale == v.code {
                same_code = Some(id);
            } else if self.knows(&mut tx, ambito, id).await? {
                namesakes.push(row);
            }
        }
        let registered = if let Some(id) = same_code {
            Registered::Existing(PersonId(id))
        } else {
            if !namesakes.is_empty() && given(&f.conferma_nuova).is_none() {
                let who: Vec<String> = namesakes.iter().map(|n| format!("{} {} ({})", n.cognome, n.nome, n.codice_fiscale)).collect();
                return Err(AppError::Fields(vec![rules::field_error(
                    "conferma_nuova",
                    format!(
                        "possibile duplicato, stessa persona e data di nascita: {}. Aprire la scheda esistente o confermare",
                        who.join(", ")
                    ),
                )]));
            }
            let pseudonym = new_pseudonym()?;
            let id = store::insert_person(&mut tx, &v.as_new(&pseudonym)).await?;
            if let Some(addr) = &v.address {
                let a = store::NewAddress {
                    kind: "residenza",
                    comune_istat: v.comune_istat.as_deref(),
                    address: addr,
                    valid_from: &today().iso(),
                    valid_to: None,
                };
                store::add_address(&mut tx, id, &a, p.user_id).await?;
            }
            Registered::New(PersonId(id))
        };
        let id = registered.id();
        store::register_in_ambito(&mut tx, id.get(), ambito.id.get(), &today().iso(), Some(p.user_id)).await?;
        let action = if matches!(registered, Registered::New(_)) { "person.create" } else { "person.register" };
        self.audit_in(&mut tx, person_event(p, action, format!("persona/{id}"), id, ambito, ip)).await?;
        tx.commit().await?;
        Ok(registered)
    }

    /// Does this Ambito know the person (a case or a registration)?
    async fn knows(&self, conn: &mut store::AnyConnection, ambito: &AmbitoScope, person: i64) -> Result<bool> {
        let case = store::cases_of(conn, person).await?.iter().any(|c| c.ambito_id == ambito.id.get());
        Ok(case || store::registered_ambiti(conn, person).await?.contains(&ambito.id.get()))
    }

    /// Corrects the identity; the old values stay in the person's history with who, when, why.
    /// A provisional identity given its real codice fiscale is the same path; when that code
    /// belongs to another record already, the two are merged instead (see [`App::merge_persons`]).
    pub async fn correct_person(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        f: &PersonForm,
        ip: Option<&str>,
    ) -> Result<PersonId> {
        self.require_person(p, Perm::PersonWrite, ambito, person).await?;
        let v = validate_person(f)?;
        let reason = rules::check_text("motivo", f.motivo.as_deref().unwrap_or(""), 500).map_err(|e| AppError::Fields(vec![e]))?;
        let mut tx = self.store.write_untracked().await?;
        let old = store::person(&mut tx, person.get()).await?.ok_or(AppError::Forbidden)?;
        if let Some(other) = store::person_by_codice_fiscale(&mut tx, &v.code).await?
            && other.id != old.id
        {
            drop(tx);
            if old.identity_kind == "cf" {
                return Err(AppError::Fields(vec![rules::field_error("codice_fiscale", "il codice fiscale appartiene a un'altra scheda")]));
            }
            self.merge_persons(p, ambito, PersonId(other.id), person, &reason, ip).await?;
            return Ok(PersonId(other.id));
        }
        store::update_person(&mut tx, person.get(), &v.as_new(&old.pseudonym), Some(p.user_id), &reason).await?;
        let mut ev = person_event(p, "person.correct", format!("persona/{person}"), person, ambito, ip);
        ev.reason = Some(reason);
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(person)
    }

    /// Merges `merged` into `survivor` (the same human recorded twice, or a provisional identity
    /// whose real codice fiscale is on record): every row moves, the move is recorded and can be
    /// undone. Both records must be open to the caller in this Ambito.
    pub async fn merge_persons(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        survivor: PersonId,
        merged: PersonId,
        reason: &str,
        ip: Option<&str>,
    ) -> Result<i64> {
        if survivor == merged {
            return Err(AppError::Invalid("non si può unire una scheda a se stessa".into()));
        }
        self.require_person(p, Perm::PersonWrite, ambito, survivor).await?;
        self.require_person(p, Perm::PersonWrite, ambito, merged).await?;
        let reason = rules::check_text("motivo", reason, 500).map_err(|e| AppError::Fields(vec![e]))?;
        let mut tx = self.store.write_untracked().await?;
        let id = store::merge_persons(&mut tx, survivor.get(), merged.get(), &reason, p.user_id).await?;
        for who in [survivor, merged] {
            let mut ev = person_event(p, "person.merge", format!("unione/{id}"), who, ambito, ip);
            ev.reason = Some(reason.clone());
            self.audit_in(&mut tx, ev).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Undoes a merge: every row goes back to the record it came from.
    pub async fn undo_merge(&self, p: &Principal, ambito: &AmbitoScope, person: PersonId, merge: i64, ip: Option<&str>) -> Result<()> {
        self.require_person(p, Perm::PersonWrite, ambito, person).await?;
        let mut tx = self.store.write_untracked().await?;
        let m = store::merges_of(&mut tx, person.get()).await?.into_iter().find(|m| m.id == merge && m.undone_at.is_none());
        let Some(m) = m else { return Err(AppError::NotFound("unione non trovata".into())) };
        store::undo_merge(&mut tx, m.id, p.user_id).await?;
        for who in [m.survivor_id, m.merged_id] {
            self.audit_in(&mut tx, person_event(p, "person.unmerge", format!("unione/{merge}"), PersonId(who), ambito, ip)).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Adds a dated record to one of the registry's lists: `residenza`/`domicilio`, `nucleo`,
    /// `tutela`, `consenso`, `invalidita`. A new residence ends the current one the day before.
    pub async fn add_registry_record(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        list: &str,
        f: &RegistryForm,
        ip: Option<&str>,
    ) -> Result<i64> {
        self.require_person(p, Perm::PersonWrite, ambito, person).await?;
        let mut c = Check::default();
        let today = today();
        let date = |c: &mut Check, field: &'static str, v: &Option<String>, required: bool| match given(v) {
            Some(s) => c.take(rules::check_date(field, s, today, true)).map(|d| d.iso()),
            None => {
                if required {
                    c.push(field, "campo obbligatorio");
                }
                None
            }
        };
        let text =
            |c: &mut Check, field: &'static str, v: &Option<String>| c.take(rules::check_text(field, v.as_deref().unwrap_or(""), 300));
        let pid = person.get();
        let by = p.user_id;
        let mut tx = self.store.write_untracked().await?;
        let id = match list {
            "indirizzo" => {
                let kind = c.take(rules::check_code("tipo", rules::ADDRESS_KINDS, f.tipo.as_deref().unwrap_or("")));
                let comune = match given(&f.comune) {
                    Some(s) => c.take(rules::check_istat_comune("comune", s)),
                    None => None,
                };
                let address = text(&mut c, "indirizzo", &f.indirizzo);
                let from = date(&mut c, "valido_dal", &f.valido_dal, true);
                let to = date(&mut c, "valido_al", &f.valido_al, false);
                c.done()?;
                let (Some(kind), Some(address), Some(from)) = (kind, address, from) else {
                    return Err(AppError::Invalid("dati incompleti".into()));
                };
                let periods: Vec<Period> = store::addresses_of(&mut tx, pid)
                    .await?
                    .iter()
                    .filter(|a| a.kind == kind && a.voided_at.is_none())
                    .filter_map(|a| Some(Period { from: parse_iso(&a.valid_from)?, to: a.valid_to.as_deref().and_then(parse_iso) }))
                    .collect();
                let new = Period { from: parse_iso(&from).unwrap_or(today), to: to.as_deref().and_then(parse_iso) };
                let change = rules::address_change(&periods, new).map_err(|e| AppError::Fields(vec![e]))?;
                if let AddressChange::EndCurrentOn(last) = change {
                    store::end_current_address(&mut tx, pid, kind, &last.iso()).await?;
                }
                let a = store::NewAddress {
                    kind,
                    comune_istat: comune.as_deref(),
                    address: &address,
                    valid_from: &from,
                    valid_to: to.as_deref(),
                };
                let id = store::add_address(&mut tx, pid, &a, by).await?;
                if kind == "residenza" && to.is_none() {
                    // The current residence is also on the person row: the Comune operator's scope.
                    let old = store::person(&mut tx, pid).await?.ok_or(AppError::Forbidden)?;
                    let mut np = store::NewPerson { comune_istat: comune.as_deref(), address: Some(&address), ..person_as_new(&old) };
                    np.pseudonym = &old.pseudonym;
                    store::update_person(&mut tx, pid, &np, Some(by), "cambio di residenza").await?;
                }
                id
            }
            "nucleo" => {
                let name = text(&mut c, "nome", &f.nome);
                let relation = c.take(rules::check_code("relazione", rules::RELATIONS, f.relazione.as_deref().unwrap_or("")));
                let from = date(&mut c, "valido_dal", &f.valido_dal, false);
                c.done()?;
                let (Some(name), Some(relation)) = (name, relation) else { return Err(AppError::Invalid("dati incompleti".into())) };
                let m = store::NewHouseholdMember {
                    member_person_id: None,
                    member_name: &name,
                    relation,
                    cohabiting: given(&f.convivente).is_some(),
                    parental_responsibility: given(&f.responsabilita_genitoriale).is_some(),
                    valid_from: from.as_deref(),
                };
                store::add_household_member(&mut tx, pid, &m, by).await?
            }
            "tutela" => {
                let kind = c.take(rules::check_code("tipo", rules::LEGAL_KINDS, f.tipo.as_deref().unwrap_or("")));
                let name = text(&mut c, "nome", &f.nome);
                let court = text(&mut c, "tribunale", &f.tribunale);
                let number = text(&mut c, "numero_decreto", &f.numero_decreto);
                let decree = match given(&f.data_decreto) {
                    Some(s) => c.take(rules::check_date("data_decreto", s, today, false)).map(|d| d.iso()),
                    None => {
                        c.push("data_decreto", "campo obbligatorio");
                        None
                    }
                };
                let from = date(&mut c, "valido_dal", &f.valido_dal, true);
                c.done()?;
                let (Some(kind), Some(name), Some(court), Some(number), Some(decree), Some(from)) =
                    (kind, name, court, number, decree, from)
                else {
                    return Err(AppError::Invalid("dati incompleti".into()));
                };
                let l = store::NewLegal {
                    kind,
                    representative_name: &name,
                    court: &court,
                    decree_number: &number,
                    decree_date: &decree,
                    valid_from: &from,
                };
                store::add_legal(&mut tx, pid, &l, by).await?
            }
            "consenso" => {
                let kind = c.take(rules::check_code("tipo", rules::CONSENT_KINDS, f.tipo.as_deref().unwrap_or("")));
                let on = match given(&f.data) {
                    Some(s) => c.take(rules::check_date("data", s, today, false)).map(|d| d.iso()),
                    None => Some(today.iso()),
                };
                c.done()?;
                let (Some(kind), Some(on)) = (kind, on) else { return Err(AppError::Invalid("dati incompleti".into())) };
                let given_flag = f.prestato.as_deref() != Some("no");
                store::add_consent(&mut tx, pid, kind, given_flag, &on, given(&f.nota), by).await?
            }
            "invalidita" => {
                let kind = c.take(rules::check_code("tipo", rules::DISABILITY_KINDS, f.tipo.as_deref().unwrap_or("")));
                let pct = match given(&f.percentuale) {
                    Some(s) => match s.parse::<i64>() {
                        Ok(n) if (0..=100).contains(&n) => Some(n),
                        _ => {
                            c.push("percentuale", "una percentuale intera da 0 a 100");
                            None
                        }
                    },
                    None => None,
                };
                let icd = given(&f.icd10).map(str::to_uppercase);
                if let Some(code) = &icd
                    && !is_icd10(code)
                {
                    c.push("icd10", "codice ICD-10 non valido (es. F03, G30.1)");
                }
                let on = match given(&f.data) {
                    Some(s) => c.take(rules::check_date("data", s, today, false)).map(|d| d.iso()),
                    None => {
                        c.push("data", "campo obbligatorio");
                        None
                    }
                };
                let review = date(&mut c, "revisione", &f.revisione, false);
                c.done()?;
                let (Some(kind), Some(on)) = (kind, on) else { return Err(AppError::Invalid("dati incompleti".into())) };
                let d =
                    store::NewDisability { kind, percentage: pct, icd10: icd.as_deref(), recognized_on: &on, review_on: review.as_deref() };
                store::add_disability(&mut tx, pid, &d, by).await?
            }
            _ => return Err(AppError::NotFound("elenco sconosciuto".into())),
        };
        self.audit_in(&mut tx, person_event(p, "person.write", format!("{list}/{id}"), person, ambito, ip)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Voids a registry record (kept, struck through, with the reason): corrections never delete.
    #[allow(clippy::too_many_arguments)] // the caller, the route's three segments, the reason, the address
    pub async fn void_registry_record(
        &self,
        p: &Principal,
        ambito: &AmbitoScope,
        person: PersonId,
        list: &str,
        id: i64,
        reason: &str,
        ip: Option<&str>,
    ) -> Result<()> {
        self.require_person(p, Perm::PersonWrite, ambito, person).await?;
        let reason = rules::check_text("motivo", reason, 500).map_err(|e| AppError::Fields(vec![e]))?;
        let table = match list {
            "indirizzo" => "person_address",
            "nucleo" => "household_member",
            "tutela" => "legal_representative",
            "consenso" => "consent",
            "invalidita" => "disability",
            _ => return Err(AppError::NotFound("elenco sconosciuto".into())),
        };
        let mut tx = self.store.write_untracked().await?;
        if !store::void_row(&mut tx, table, id, person.get(), p.user_id, &reason).await? {
            return Err(AppError::NotFound("voce non trovata".into()));
        }
        let mut ev = person_event(p, "person.void", format!("{list}/{id}"), person, ambito, ip);
        ev.reason = Some(reason);
        self.audit_in(&mut tx, ev).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The stored person as the input of an update, every field unchanged.
pub(crate) fn person_as_new(p: &store::PersonRow) -> store::NewPerson<'_> {
    store::NewPerson {
        codice_fiscale: &p.codice_fiscale,
        cognome: &p.cognome,
        nome: &p.nome,
        birth_date: &p.birth_date,
        comune_istat: p.comune_istat.as_deref(),
        pseudonym: &p.pseudonym,
        identity_kind: &p.identity_kind,
        sesso: p.sesso.as_deref(),
        birth_place: p.birth_place.as_deref(),
        citizenship: p.citizenship.as_deref(),
        citizenship2: p.citizenship2.as_deref(),
        death_date: p.death_date.as_deref(),
        address: p.address.as_deref(),
        phone: p.phone.as_deref(),
        email: p.email.as_deref(),
        no_fixed_abode: p.no_fixed_abode != 0,
    }
}

/// An ICD-10 code as written in certificates: a letter, two digits, optionally a dot and one
/// to two more characters (F03, G30.1, S72.00).
pub fn is_icd10(code: &str) -> bool {
    let b = code.as_bytes();
    let head = b.len() >= 3 && b[0].is_ascii_uppercase() && b[1].is_ascii_digit() && b[2].is_ascii_digit();
    let tail = match &b[3.min(b.len())..] {
        [] => true,
        [b'.', rest @ ..] => (1..=2).contains(&rest.len()) && rest.iter().all(u8::is_ascii_alphanumeric),
        _ => false,
    };
    head && tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icd10_codes() {
        assert!(is_icd10("F03") && is_icd10("G30.1") && is_icd10("S72.00"));
        assert!(!is_icd10("F3") && !is_icd10("G30.") && !is_icd10("30.1") && !is_icd10("G30.123"));
    }

    #[test]
    fn a_form_reports_every_error_at_once() {
        let f = PersonForm {
            codice_fiscale: Some("RSSMRA85T10A562X".into()),
            data_nascita: Some("2999-01-01".into()),
            luogo_nascita: Some("XX".into()),
            email: Some("nope".into()),
            ..PersonForm::default()
        };
        let Err(AppError::Fields(errors)) = validate_person(&f) else { panic!("errors expected") };
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        for f in ["cognome", "nome", "data_nascita", "luogo_nascita", "email"] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn a_blank_temporary_code_is_generated() {
        let f = PersonForm {
            tipo_identita: Some("temp".into()),
            cognome: Some("Senza".into()),
            nome: Some("Documenti".into()),
            data_nascita: Some("1980-01-01".into()),
            ..PersonForm::default()
        };
        let v = validate_person(&f).expect("valid");
        assert!(v.code.starts_with("TMP") && v.code.len() == 13, "{}", v.code);
        assert_eq!(v.kind, IdentityKind::Temp);
    }
}
