//! The audit chain: every entry's hash covers its own fields and the previous entry's hash, so
//! altering, deleting or reordering any row breaks every later link.
//!
//! The chain is keyed: each link is an HMAC-SHA256 under a key kept outside the database
//! ([`AuditKey`]), so someone who can write the database but does not hold the key cannot
//! recompute the links after rewriting a row. Entries written before the key existed keep their
//! plain SHA-256 links up to a recorded switch-over sequence number ([`switch_mac`] signs it).
//! What the database alone cannot show (its tail deleted and its head reset) is caught by signed
//! [`Checkpoint`]s kept elsewhere.

use sha2::{Digest, Sha256};
use std::borrow::Cow;

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

/// The longest text, in characters, that an audit field keeps: anything longer (a 2 MB
/// username sent to the login page) is cut here and marked, so no one can bloat the permanent
/// log. Generous for every real value (usernames are at most 64, paths a few hundred).
pub const MAX_FIELD_CHARS: usize = 256;
/// `reason` carries free text (a break-glass justification): it may be longer.
pub const MAX_REASON_CHARS: usize = 1000;
/// Appended to a cut field, inside the limit.
pub const TRUNCATED: &str = "…[troncato]";

/// `text` cut to at most `max` characters (mark included) on a character boundary.
pub fn bounded(text: &str, max: usize) -> Cow<'_, str> {
    if text.chars().count() <= max {
        return Cow::Borrowed(text);
    }
    let keep = max.saturating_sub(TRUNCATED.chars().count());
    let cut = text.char_indices().nth(keep).map(|(i, _)| i).unwrap_or(text.len());
    Cow::Owned(format!("{}{TRUNCATED}", &text[..cut]))
}

impl Entry {
    /// Every text field within its limit. Appending applies it, so what is hashed is what is stored.
    pub fn bounded(mut self) -> Entry {
        let cut = |s: &mut String, max: usize| {
            if let Cow::Owned(b) = bounded(s, max) {
                *s = b;
            }
        };
        for s in [&mut self.at, &mut self.username, &mut self.action, &mut self.object] {
            cut(s, MAX_FIELD_CHARS);
        }
        for s in [&mut self.ambito, &mut self.ip].into_iter().flatten() {
            cut(s, MAX_FIELD_CHARS);
        }
        if let Some(r) = &mut self.reason {
            cut(r, MAX_REASON_CHARS);
        }
        self
    }
}

/// The key of the chain. At least 32 bytes; never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey(Vec<u8>);

/// The shortest key accepted, in bytes (HMAC-SHA256 gains nothing beyond 64).
pub const MIN_KEY_BYTES: usize = 32;

impl AuditKey {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Option<AuditKey> {
        let bytes = bytes.into();
        (bytes.len() >= MIN_KEY_BYTES).then_some(AuditKey(bytes))
    }

    fn mac(&self, message: &[u8]) -> String {
        hex(&hmac_sha256(&self.0, message))
    }
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(…)")
    }
}

/// HMAC-SHA256 (RFC 2104): H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)), K padded to the 64-byte block.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| k.map(|b| b ^ byte);
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(message).finalize();
    Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The previous hash and the entry's fields, each length-prefixed so that no two different
/// entries can serialise to the same bytes.
fn link_bytes(prev_hash: &str, e: &Entry) -> Vec<u8> {
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
    let mut out = Vec::new();
    for f in fields {
        match f {
            None => out.extend_from_slice(b"-;"),
            Some(s) => {
                out.extend_from_slice(s.len().to_string().as_bytes());
                out.push(b':');
                out.extend_from_slice(s.as_bytes());
                out.push(b';');
            }
        }
    }
    out
}

/// The unkeyed link of entries written before the key (hex SHA-256 of [`link_bytes`]): anyone
/// can recompute it, which is why it is only accepted below the switch-over.
pub fn entry_hash(prev_hash: &str, e: &Entry) -> String {
    hex(&Sha256::digest(link_bytes(prev_hash, e)))
}

/// The keyed link: HMAC-SHA256 of the same bytes under the chain's key.
pub fn entry_mac(key: &AuditKey, prev_hash: &str, e: &Entry) -> String {
    key.mac(&link_bytes(prev_hash, e))
}

/// Signs the switch-over: entries from `keyed_from` on are keyed. Without it, someone without the
/// key could move the switch-over past the head and rewrite the whole chain with plain hashes.
pub fn switch_mac(key: &AuditKey, keyed_from: i64) -> String {
    key.mac(format!("ambito-audit-keyed-from:{keyed_from}").as_bytes())
}

/// A signed statement that the chain had `seq` entries ending in `head`, at `at`. Kept outside
/// the database (a file, or printed for the DPO's register), it lets `audit verify` notice a
/// tail deleted and a head reset, which the database alone cannot show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub head: String,
    pub keyed_from: Option<i64>,
    pub at: String,
}

const CHECKPOINT_TAG: &str = "ambito-audit-checkpoint v1";

impl Checkpoint {
    fn body(&self) -> String {
        let keyed_from = self.keyed_from.map(|k| k.to_string()).unwrap_or_else(|| "-".into());
        format!("{CHECKPOINT_TAG} seq={} head={} keyed_from={keyed_from} at={}", self.seq, self.head, self.at)
    }

    /// One line, HMAC'd: `ambito-audit-checkpoint v1 seq=… head=… keyed_from=… at=… mac=…`.
    pub fn line(&self, key: &AuditKey) -> String {
        let body = self.body();
        let mac = key.mac(body.as_bytes());
        format!("{body} mac={mac}")
    }

    /// Reads a line written by [`Checkpoint::line`] and checks its signature.
    pub fn parse(line: &str, key: &AuditKey) -> Result<Checkpoint, CheckpointError> {
        let line = line.trim();
        let malformed = || CheckpointError::Malformed(line.chars().take(80).collect());
        let (body, mac) = line.rsplit_once(" mac=").ok_or_else(malformed)?;
        let rest = body.strip_prefix(CHECKPOINT_TAG).ok_or_else(malformed)?;
        let field = |name: &str| -> Option<String> {
            rest.split(' ').find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('='))).map(str::to_string)
        };
        let seq = field("seq").and_then(|v| v.parse().ok()).ok_or_else(malformed)?;
        let head = field("head").ok_or_else(malformed)?;
        let keyed_from = match field("keyed_from").ok_or_else(malformed)?.as_str() {
            "-" => None,
            v => Some(v.parse().map_err(|_| malformed())?),
        };
        let at = field("at").ok_or_else(malformed)?;
        let cp = Checkpoint { seq, head, keyed_from, at };
        if cp.body() != body || !same(&key.mac(body.as_bytes()), mac) {
            return Err(CheckpointError::BadSignature { seq });
        }
        Ok(cp)
    }
}

/// Compares two MACs without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    #[error("riga di checkpoint non riconosciuta: «{0}»")]
    Malformed(String),
    #[error("checkpoint della voce {seq}: firma non valida (chiave errata o checkpoint alterato)")]
    BadSignature { seq: i64 },
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
    #[error("voce {seq}: è firmata con la chiave, ma nessuna chiave è stata indicata")]
    NoKey { seq: i64 },
    #[error(
        "il passaggio alla catena con chiave (dalla voce {keyed_from}) non è firmato con questa chiave: chiave errata, oppure registrazione manomessa"
    )]
    SwitchForged { keyed_from: i64 },
    #[error(
        "nessuna delle {head} voci è firmata con la chiave: normale solo se nulla è stato registrato dall'aggiornamento a questa versione; altrimenti la catena è stata riscritta"
    )]
    NeverKeyed { head: i64 },
    #[error("la catena termina alla voce {last}, ma un checkpoint attesta la voce {checkpoint}: voci finali cancellate")]
    BelowCheckpoint { checkpoint: i64, last: i64 },
    #[error("voce {seq}: non corrisponde al checkpoint (la catena è stata riscritta dopo il checkpoint)")]
    CheckpointMismatch { seq: i64 },
    #[error("il checkpoint della voce {seq} indica il passaggio alla chiave in un punto diverso da quello registrato")]
    CheckpointSwitch { seq: i64 },
}

/// Checks a chain one entry at a time, in stored order, so any length fits in constant memory.
/// Entries below `keyed_from` are checked with the unkeyed rule, the others with the key.
#[derive(Debug, Clone, Default)]
pub struct ChainVerifier {
    prev: String,
    checked: i64,
    key: Option<AuditKey>,
    keyed_from: Option<i64>,
    /// Head hash each checkpoint attests, by sequence number.
    checkpoints: std::collections::BTreeMap<i64, String>,
}

impl ChainVerifier {
    /// A verifier for a chain whose keyed part starts at `keyed_from` (none: no keyed entry).
    pub fn new(key: Option<AuditKey>, keyed_from: Option<i64>) -> ChainVerifier {
        ChainVerifier { key, keyed_from, ..ChainVerifier::default() }
    }

    /// Also holds the chain to these checkpoints (signatures already checked by the parser).
    pub fn with_checkpoints(mut self, checkpoints: &[Checkpoint]) -> Result<ChainVerifier, ChainError> {
        for c in checkpoints {
            // A checkpoint taken before the switch-over may say "none yet", but only for entries
            // below it; once recorded, the switch-over never moves.
            let consistent = match (c.keyed_from, self.keyed_from) {
                (Some(a), Some(b)) => a == b,
                (Some(_), None) => false,
                (None, Some(from)) => c.seq < from,
                (None, None) => true,
            };
            if !consistent {
                return Err(ChainError::CheckpointSwitch { seq: c.seq });
            }
            self.checkpoints.insert(c.seq, c.head.clone());
        }
        Ok(self)
    }

    pub fn push(&mut self, e: &Entry, stored_prev: &str, stored_hash: &str) -> Result<(), ChainError> {
        let expected = self.checked + 1;
        if e.seq != expected {
            return Err(ChainError::Gap { seq: e.seq, expected });
        }
        if stored_prev != self.prev {
            return Err(ChainError::BrokenLink { seq: e.seq });
        }
        let link = match self.keyed_from {
            Some(from) if e.seq >= from => {
                let key = self.key.as_ref().ok_or(ChainError::NoKey { seq: e.seq })?;
                entry_mac(key, stored_prev, e)
            }
            _ => entry_hash(stored_prev, e),
        };
        if !same(&link, stored_hash) {
            return Err(ChainError::Altered { seq: e.seq });
        }
        if self.checkpoints.get(&e.seq).is_some_and(|h| h != stored_hash) {
            return Err(ChainError::CheckpointMismatch { seq: e.seq });
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
        if let Some((&checkpoint, _)) = self.checkpoints.range(self.checked + 1..).next_back() {
            return Err(ChainError::BelowCheckpoint { checkpoint, last: self.checked });
        }
        // The switch-over is recorded with the first keyed entry, so it can never be past the head.
        if let Some(from) = self.keyed_from
            && from > self.checked
        {
            return Err(ChainError::Truncated { last: self.checked, head: from });
        }
        Ok(self.checked)
    }
}

/// Checks the recorded switch-over `(keyed_from, its MAC)` against the key; with a key and no
/// switch-over, a non-empty chain was never keyed.
pub fn check_switch(key: &AuditKey, switch: Option<(i64, &str)>, head_seq: i64) -> Result<(), ChainError> {
    match switch {
        Some((from, mac)) if same(&switch_mac(key, from), mac) => Ok(()),
        Some((from, _)) => Err(ChainError::SwitchForged { keyed_from: from }),
        None if head_seq > 0 => Err(ChainError::NeverKeyed { head: head_seq }),
        None => Ok(()),
    }
}

/// Verifies a whole unkeyed chain given as `(entry, prev_hash, hash)` rows in stored order.
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

    fn key(byte: u8) -> AuditKey {
        AuditKey::new(vec![byte; 32]).expect("32 bytes")
    }

    /// `n` entries, the first `unkeyed` of them with the old rule, the rest keyed.
    fn keyed_chain(n: i64, unkeyed: i64, k: &AuditKey) -> Vec<(Entry, String, String)> {
        let mut rows = chain(n);
        let mut prev = String::new();
        for r in rows.iter_mut() {
            r.1 = prev.clone();
            r.2 = if r.0.seq <= unkeyed { entry_hash(&prev, &r.0) } else { entry_mac(k, &prev, &r.0) };
            prev = r.2.clone();
        }
        rows
    }

    fn check_keyed(
        rows: &[(Entry, String, String)],
        k: Option<&AuditKey>,
        from: Option<i64>,
        cps: &[Checkpoint],
    ) -> Result<i64, ChainError> {
        let mut v = ChainVerifier::new(k.cloned(), from).with_checkpoints(cps)?;
        for (e, p, h) in rows {
            v.push(e, p, h)?;
        }
        let head = rows.last().map(|r| (r.0.seq, r.2.clone())).unwrap_or_default();
        v.finish((head.0, &head.1))
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block is hashed first.
        assert_eq!(
            hex(&hmac_sha256(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn a_keyed_chain_verifies_from_its_switch_over() {
        let k = key(7);
        let rows = keyed_chain(6, 2, &k);
        assert_eq!(check_keyed(&rows, Some(&k), Some(3), &[]), Ok(6));
        // Without a key, the keyed part cannot be checked at all.
        assert_eq!(check_keyed(&rows, None, Some(3), &[]), Err(ChainError::NoKey { seq: 3 }));
        // With another key it fails at the first keyed entry.
        assert_eq!(check_keyed(&rows, Some(&key(8)), Some(3), &[]), Err(ChainError::Altered { seq: 3 }));
    }

    #[test]
    fn rewriting_a_row_and_recomputing_plain_hashes_is_caught() {
        let k = key(7);
        let mut rows = keyed_chain(5, 0, &k);
        // What someone with write access to the database and no key can do: change a row and
        // recompute every later link with the public, unkeyed rule.
        rows[2].0.username = "mallory".into();
        let mut prev = rows[1].2.clone();
        for r in rows.iter_mut().skip(2) {
            r.1 = prev.clone();
            r.2 = entry_hash(&prev, &r.0);
            prev = r.2.clone();
        }
        assert_eq!(check_keyed(&rows, Some(&k), Some(1), &[]), Err(ChainError::Altered { seq: 3 }));
    }

    #[test]
    fn the_switch_over_is_signed() {
        let k = key(7);
        let mac = switch_mac(&k, 3);
        assert_eq!(check_switch(&k, Some((3, &mac)), 6), Ok(()));
        // Moved past the head so the whole chain would verify with plain hashes: refused.
        assert_eq!(check_switch(&k, Some((99, &mac)), 6), Err(ChainError::SwitchForged { keyed_from: 99 }));
        assert_eq!(check_switch(&key(8), Some((3, &mac)), 6), Err(ChainError::SwitchForged { keyed_from: 3 }));
        assert_eq!(check_switch(&k, None, 6), Err(ChainError::NeverKeyed { head: 6 }));
        assert_eq!(check_switch(&k, None, 0), Ok(()));
    }

    #[test]
    fn checkpoints_catch_a_deleted_tail_and_a_rewritten_past() {
        let k = key(7);
        let rows = keyed_chain(6, 0, &k);
        let cp =
            |seq: i64| Checkpoint { seq, head: rows[seq as usize - 1].2.clone(), keyed_from: Some(1), at: "2026-11-23T10:00:00Z".into() };
        let line = cp(5).line(&k);
        let parsed = Checkpoint::parse(&line, &k).expect("parses");
        assert_eq!(parsed, cp(5));
        assert_eq!(check_keyed(&rows, Some(&k), Some(1), std::slice::from_ref(&parsed)), Ok(6));

        // Tail deleted and head reset to entry 4: consistent in the database, not with the checkpoint.
        assert_eq!(
            check_keyed(&rows[..4], Some(&k), Some(1), std::slice::from_ref(&parsed)),
            Err(ChainError::BelowCheckpoint { checkpoint: 5, last: 4 })
        );
        // Entry 5 replaced by one with a different hash (even a correctly keyed one).
        let mut other = rows.clone();
        other[4].0.object = "altro".into();
        other[4].2 = entry_mac(&k, &other[4].1, &other[4].0);
        other[5].1 = other[4].2.clone();
        other[5].2 = entry_mac(&k, &other[5].1, &other[5].0);
        assert_eq!(check_keyed(&other, Some(&k), Some(1), &[parsed]), Err(ChainError::CheckpointMismatch { seq: 5 }));
    }

    #[test]
    fn checkpoint_signatures_bind_every_field() {
        let k = key(7);
        let line = Checkpoint { seq: 5, head: "ab".into(), keyed_from: None, at: "2026-11-23T10:00:00Z".into() }.line(&k);
        assert!(Checkpoint::parse(&line, &k).is_ok());
        assert_eq!(Checkpoint::parse(&line, &key(8)), Err(CheckpointError::BadSignature { seq: 5 }));
        let forged = line.replace("seq=5", "seq=9");
        assert_eq!(Checkpoint::parse(&forged, &k), Err(CheckpointError::BadSignature { seq: 9 }));
        assert!(matches!(Checkpoint::parse("rubbish", &k), Err(CheckpointError::Malformed(_))));
        // A checkpoint from before the switch-over is fine below it, not above it.
        let before = Checkpoint { seq: 2, head: String::new(), keyed_from: None, at: String::new() };
        assert!(ChainVerifier::new(Some(k.clone()), Some(3)).with_checkpoints(std::slice::from_ref(&before)).is_ok());
        let after = Checkpoint { seq: 4, ..before };
        assert_eq!(ChainVerifier::new(Some(k), Some(3)).with_checkpoints(&[after]).err(), Some(ChainError::CheckpointSwitch { seq: 4 }));
    }

    #[test]
    fn fields_are_bounded_on_a_character_boundary_and_marked() {
        assert_eq!(bounded("anna", 10), "anna");
        let long = "è".repeat(2_000_000);
        let cut = bounded(&long, MAX_FIELD_CHARS);
        assert_eq!(cut.chars().count(), MAX_FIELD_CHARS);
        assert!(cut.ends_with(TRUNCATED) && cut.starts_with("èè"));
        let e = Entry { username: "x".repeat(1_900_000), reason: Some("y".repeat(5000)), ..Entry::default() }.bounded();
        assert_eq!(e.username.chars().count(), MAX_FIELD_CHARS);
        assert_eq!(e.reason.map(|r| r.chars().count()), Some(MAX_REASON_CHARS));
        assert_eq!(AuditKey::new(vec![1; 31]), None);
        assert_eq!(format!("{:?}", key(1)), "AuditKey(…)");
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
