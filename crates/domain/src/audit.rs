//! The audit chain: every entry's hash covers its own fields and the previous entry's hash, so
//! altering, deleting or reordering any row breaks every later link.

use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Entry {
    pub seq: i64,
    pub at: String,
    pub user_id: Option<i64>,
    pub username: String,
    pub action: String,
    pub object: String,
    pub person_id: Option<i64>,
    pub ambito: Option<String>,
    pub ip: Option<String>,
    pub reason: Option<String>,
    pub flagged: bool,
}

/// Hex SHA-256 of the previous hash and the entry's fields, each length-prefixed so that no two
/// different entries can serialise to the same bytes.
pub fn entry_hash(prev_hash: &str, e: &Entry) -> String {
    let mut h = Sha256::new();
    let opt_i = |v: Option<i64>| v.map(|v| v.to_string());
    let fields: [Option<String>; 12] = [
        Some(prev_hash.to_string()),
        Some(e.seq.to_string()),
        Some(e.at.clone()),
        opt_i(e.user_id),
        Some(e.username.clone()),
        Some(e.action.clone()),
        Some(e.object.clone()),
        opt_i(e.person_id),
        e.ambito.clone(),
        e.ip.clone(),
        e.reason.clone(),
        Some(if e.flagged { "1" } else { "0" }.to_string()),
    ];
    for f in fields {
        match f {
            None => h.update(b"-;"),
            Some(s) => {
                h.update(s.len().to_string().as_bytes());
                h.update(b":");
                h.update(s.as_bytes());
                h.update(b";");
            }
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a chain does not verify, naming the first bad entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("voce {seq}: numero di sequenza atteso {expected} (voce mancante o riordinata)")]
    Gap { seq: i64, expected: i64 },
    #[error("voce {seq}: il collegamento alla voce precedente non corrisponde")]
    BrokenLink { seq: i64 },
    #[error("voce {seq}: il contenuto è stato modificato (hash non corrispondente)")]
    Altered { seq: i64 },
    #[error("la catena termina alla voce {last} ma l'ultima registrata è {head}: voci finali cancellate")]
    Truncated { last: i64, head: i64 },
}

/// Checks a chain one entry at a time, in stored order, so any length fits in constant memory.
#[derive(Debug, Clone, Default)]
pub struct ChainVerifier {
    prev: String,
    checked: i64,
}

impl ChainVerifier {
    pub fn push(&mut self, e: &Entry, stored_prev: &str, stored_hash: &str) -> Result<(), ChainError> {
        let expected = self.checked + 1;
        if e.seq != expected {
            return Err(ChainError::Gap { seq: e.seq, expected });
        }
        if stored_prev != self.prev {
            return Err(ChainError::BrokenLink { seq: e.seq });
        }
        if entry_hash(stored_prev, e) != stored_hash {
            return Err(ChainError::Altered { seq: e.seq });
        }
        self.prev = stored_hash.to_string();
        self.checked = expected;
        Ok(())
    }

    /// Ends the walk against the anchor `(seq, hash)` of the last appended entry.
    pub fn finish(self, head: (i64, &str)) -> Result<i64, ChainError> {
        if self.checked != head.0 || self.prev != head.1 {
            return Err(ChainError::Truncated { last: self.checked, head: head.0 });
        }
        Ok(self.checked)
    }
}

/// Verifies a whole chain given as `(entry, prev_hash, hash)` rows in stored order.
pub fn verify<'a, I>(rows: I, head: (i64, &str)) -> Result<i64, ChainError>
where
    I: IntoIterator<Item = (&'a Entry, &'a str, &'a str)>,
{
    let mut v = ChainVerifier::default();
    for (e, p, h) in rows {
        v.push(e, p, h)?;
    }
    v.finish(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<(Entry, String, String)> {
        let mut prev = String::new();
        (1..=n)
            .map(|seq| {
                let e = Entry {
                    seq,
                    at: format!("2026-11-23T10:00:{seq:02}Z"),
                    username: "anna".into(),
                    action: "person.read".into(),
                    object: format!("persona/{seq}"),
                    person_id: Some(seq),
                    ..Entry::default()
                };
                let h = entry_hash(&prev, &e);
                let row = (e, prev.clone(), h.clone());
                prev = h;
                row
            })
            .collect()
    }

    fn check(rows: &[(Entry, String, String)], head: (i64, &str)) -> Result<i64, ChainError> {
        verify(rows.iter().map(|(e, p, h)| (e, p.as_str(), h.as_str())), head)
    }

    #[test]
    fn an_intact_chain_verifies() {
        let rows = chain(5);
        let head = rows.last().map(|r| r.2.clone()).unwrap_or_default();
        assert_eq!(check(&rows, (5, &head)), Ok(5));
        assert_eq!(check(&[], (0, "")), Ok(0));
    }

    #[test]
    fn alteration_deletion_reordering_and_truncation_are_caught() {
        let rows = chain(5);
        let head = rows[4].2.clone();
        let mut altered = rows.clone();
        altered[2].0.username = "mallory".into();
        assert_eq!(check(&altered, (5, &head)), Err(ChainError::Altered { seq: 3 }));

        let mut deleted = rows.clone();
        deleted.remove(1);
        assert_eq!(check(&deleted, (5, &head)), Err(ChainError::Gap { seq: 3, expected: 2 }));

        // Renumbered after a deletion so the sequence has no gap: the link breaks instead.
        let mut renumbered = rows.clone();
        renumbered.remove(1);
        for (i, r) in renumbered.iter_mut().enumerate() {
            r.0.seq = i as i64 + 1;
        }
        assert_eq!(check(&renumbered, (4, &head)), Err(ChainError::BrokenLink { seq: 2 }));

        let mut swapped = rows.clone();
        swapped.swap(1, 2);
        assert_eq!(check(&swapped, (5, &head)), Err(ChainError::Gap { seq: 3, expected: 2 }));

        let truncated = &rows[..4];
        assert_eq!(check(truncated, (5, &head)), Err(ChainError::Truncated { last: 4, head: 5 }));
    }

    #[test]
    fn field_boundaries_cannot_be_shifted() {
        let a = Entry { seq: 1, username: "ab".into(), action: "c".into(), ..Entry::default() };
        let b = Entry { seq: 1, username: "a".into(), action: "bc".into(), ..Entry::default() };
        assert_ne!(entry_hash("", &a), entry_hash("", &b));
        let none = Entry { seq: 1, reason: None, ..Entry::default() };
        let empty = Entry { seq: 1, reason: Some(String::new()), ..Entry::default() };
        assert_ne!(entry_hash("", &none), entry_hash("", &empty));
    }
}
