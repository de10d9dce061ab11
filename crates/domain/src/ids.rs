//! Typed identifiers. A person's id and a case's id are both integers in the database; as types
//! they cannot be swapped by mistake, and a route parameter that is not a positive integer is
//! refused by the extractor before any handler runs.
//!
//! `AmbitoScope` is the tenant of a request: the Ambito of the route, resolved once (by the access
//! guard, from the `{code}` segment) and passed down, so use cases neither look it up again nor
//! take a code they would have to trust.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! id {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(IdVisitor).map($name)
            }
        }

        impl $name {
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;
            fn from_str(s: &str) -> Result<Self, InvalidId> {
                parse_id(s).map($name)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }
    )*};
}

id! {
    /// An Ambito territoriale (`ambito.id`).
    AmbitoId,
    /// A catalogue service of an Ambito (`service.id`).
    ServiceId,
    /// A person known to the system (`person.id`): the subject of case records.
    PersonId,
    /// A *presa in carico*: one Ambito's case of one person (`person_case.id`).
    CaseId,
    /// A staff, provider or citizen account (`app_user.id`).
    UserId,
    /// A diary note of a case (`case_note.id`).
    NoteId,
    /// A front-desk contact (process A, `contact.id`).
    ContactId,
    /// A proposal to take a person in charge (`intake_proposal.id`).
    ProposalId,
    /// An intervention of a case (process D, `intervention.id`).
    InterventionId,
    /// A filled assessment form (process B, `assessment.id`).
    AssessmentId,
    /// One version of an individual project, the PAI (process C, `project.id`).
    ProjectId,
    /// A document of a person, stored once (`document.id`).
    DocumentId,
    /// A court order about a case (`court_order.id`).
    CourtOrderId,
    /// A hand-off of a person between Ambiti (`transfer.id`).
    TransferId,
}

/// Text that is not an id: ids are positive integers, written in decimal digits only.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("identificativo non valido")]
pub struct InvalidId;

fn parse_id(s: &str) -> Result<i64, InvalidId> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(InvalidId);
    }
    s.parse::<i64>().ok().filter(|v| *v > 0).ok_or(InvalidId)
}

/// Reads an id from a number or from decimal text (a route segment), refusing zero and negatives.
struct IdVisitor;

impl serde::de::Visitor<'_> for IdVisitor {
    type Value = i64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a positive integer id")
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
        if v > 0 { Ok(v) } else { Err(E::custom(InvalidId)) }
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom(InvalidId)).and_then(|v| self.visit_i64(v))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<i64, E> {
        parse_id(v).map_err(E::custom)
    }
}

/// The Ambito a request acts in: its id, its code as the route named it, and its name for pages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AmbitoScope {
    pub id: AmbitoId,
    pub code: String,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_positive_decimal_integers() {
        assert_eq!("42".parse::<PersonId>(), Ok(PersonId(42)));
        for bad in ["", "0", "-3", "+3", " 3", "3 ", "1e3", "x", "99999999999999999999"] {
            assert_eq!(bad.parse::<CaseId>(), Err(InvalidId), "{bad:?}");
        }
    }

    #[test]
    fn ids_serialise_as_plain_numbers() {
        assert_eq!(serde_json::to_string(&PersonId(7)).unwrap(), "7");
        assert_eq!(serde_json::from_str::<CaseId>("9").unwrap(), CaseId(9));
        assert_eq!(serde_json::from_str::<CaseId>("\"9\"").unwrap(), CaseId(9), "from a route segment");
        assert!(serde_json::from_str::<CaseId>("0").is_err());
        assert!(serde_json::from_str::<CaseId>("-4").is_err());
        assert!(serde_json::from_str::<CaseId>("\"-4\"").is_err());
        assert_eq!(PersonId(7).to_string(), "7");
        assert_eq!(i64::from(AmbitoId(3)), 3);
    }
}
