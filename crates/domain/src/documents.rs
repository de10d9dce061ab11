//! A person's documents, stored once (issue 15, "documents once-only"): their kinds, which
//! contents are accepted (decided by the bytes, never by the name the file was sent with), the
//! size limit and the expiry rule. Pure: the caller passes the bytes and today's date.

use crate::date::{Day, parse_iso};

/// The largest document accepted. A scanned certificate or an ISEE statement is well under a
/// few MiB; the cap keeps one upload from filling memory or the database.
pub const MAX_DOCUMENT_BYTES: usize = 10 << 20;

/// A document "expires soon" within this many days: time enough to ask the person for a new one.
pub const EXPIRING_WITHIN_DAYS: i64 = 30;

/// What a document is. Codes are stored; labels are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Isee,
    Invalidita,
    Tribunale,
    Identita,
    Consenso,
    Altro,
}

impl DocumentKind {
    pub const ALL: &'static [DocumentKind] = &[
        DocumentKind::Isee,
        DocumentKind::Invalidita,
        DocumentKind::Tribunale,
        DocumentKind::Identita,
        DocumentKind::Consenso,
        DocumentKind::Altro,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Isee => "isee",
            DocumentKind::Invalidita => "invalidita",
            DocumentKind::Tribunale => "tribunale",
            DocumentKind::Identita => "identita",
            DocumentKind::Consenso => "consenso",
            DocumentKind::Altro => "altro",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Isee => "Attestazione ISEE",
            DocumentKind::Invalidita => "Certificato di invalidità",
            DocumentKind::Tribunale => "Provvedimento del tribunale",
            DocumentKind::Identita => "Documento d'identità",
            DocumentKind::Consenso => "Consenso",
            DocumentKind::Altro => "Altro",
        }
    }

    pub fn from_code(code: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.iter().copied().find(|k| k.code() == code)
    }

    /// Court material: staff read it only with clinical rights, and the citizen's area never
    /// shows it (the issue: "never notes, assessments or court material").
    pub fn is_court_material(self) -> bool {
        self == DocumentKind::Tribunale
    }
}

/// A content type ambito accepts, recognised from the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentType {
    Pdf,
    Jpeg,
    Png,
    Odt,
    Docx,
}

impl ContentType {
    pub fn mime(self) -> &'static str {
        match self {
            ContentType::Pdf => "application/pdf",
            ContentType::Jpeg => "image/jpeg",
            ContentType::Png => "image/png",
            ContentType::Odt => "application/vnd.oasis.opendocument.text",
            ContentType::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ContentType::Pdf => "pdf",
            ContentType::Jpeg => "jpg",
            ContentType::Png => "png",
            ContentType::Odt => "odt",
            ContentType::Docx => "docx",
        }
    }

    /// The stored MIME type back as a type (a row written by this module).
    pub fn from_mime(mime: &str) -> Option<ContentType> {
        [ContentType::Pdf, ContentType::Jpeg, ContentType::Png, ContentType::Odt, ContentType::Docx].into_iter().find(|c| c.mime() == mime)
    }
}

/// Why a file was refused, in Italian for the form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentProblem {
    #[error("il file è vuoto")]
    Empty,
    #[error("il file supera il limite di {} MiB", MAX_DOCUMENT_BYTES >> 20)]
    TooLarge,
    #[error(
        "tipo di file non ammesso: sono accettati solo PDF, JPEG, PNG, ODT e DOCX (il tipo è riconosciuto dal contenuto, non dal nome)"
    )]
    Refused,
}

/// The type of `bytes`, whatever name they came with; anything else is refused.
pub fn sniff(bytes: &[u8]) -> Result<ContentType, DocumentProblem> {
    if bytes.is_empty() {
        return Err(DocumentProblem::Empty);
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(DocumentProblem::TooLarge);
    }
    if bytes.starts_with(b"%PDF-") {
        return Ok(ContentType::Pdf);
    }
    // JPEG: SOI then the first marker; PNG: its eight-byte signature.
    if bytes.len() >= 4 && bytes[..3] == [0xFF, 0xD8, 0xFF] {
        return Ok(ContentType::Jpeg);
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        return Ok(ContentType::Png);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return sniff_zip(bytes).ok_or(DocumentProblem::Refused);
    }
    Err(DocumentProblem::Refused)
}

const ODT_MIME: &[u8] = b"application/vnd.oasis.opendocument.text";

/// ODT or DOCX inside a zip package. ODF requires the first entry to be `mimetype`, stored
/// uncompressed with no extra field, so its text sits right after the first local header; a DOCX
/// has `[Content_Types].xml` and a `word/` part, read from the central directory. Any other zip
/// (a spreadsheet, an archive, a disguised executable) is refused.
fn sniff_zip(bytes: &[u8]) -> Option<ContentType> {
    let name_len = usize::from(u16::from_le_bytes([*bytes.get(26)?, *bytes.get(27)?]));
    let extra_len = usize::from(u16::from_le_bytes([*bytes.get(28)?, *bytes.get(29)?]));
    if bytes.get(30..30 + name_len) == Some(b"mimetype".as_slice()) {
        let start = 30 + name_len + extra_len;
        let content = bytes.get(start..start + ODT_MIME.len())?;
        // "…opendocument.text" exactly: not "…text-template" nor a spreadsheet.
        let next = bytes.get(start + ODT_MIME.len()).copied();
        return (content == ODT_MIME && !matches!(next, Some(b'-' | b'a'..=b'z'))).then_some(ContentType::Odt);
    }
    let names = central_directory_names(bytes)?;
    let types = names.iter().any(|n| *n == b"[Content_Types].xml".as_slice());
    let word = names.iter().any(|n| n.starts_with(b"word/"));
    (types && word).then_some(ContentType::Docx)
}

/// Entries read from the central directory (at most 10,000: a real document has dozens).
fn central_directory_names(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    const EOCD: [u8; 4] = [0x50, 0x4B, 0x05, 0x06];
    const ENTRY: [u8; 4] = [0x50, 0x4B, 0x01, 0x02];
    // The end record is 22 bytes plus a comment of at most 65,535.
    let from = bytes.len().saturating_sub(22 + 65_535);
    let eocd = (from..bytes.len().saturating_sub(21)).rev().find(|&i| bytes[i..i + 4] == EOCD)?;
    let u16_at = |i: usize| Some(usize::from(u16::from_le_bytes([*bytes.get(i)?, *bytes.get(i + 1)?])));
    let u32_at = |i: usize| {
        let b = bytes.get(i..i + 4)?;
        usize::try_from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])).ok()
    };
    let count = u16_at(eocd + 10)?.min(10_000);
    let mut at = u32_at(eocd + 16)?;
    let mut names = Vec::with_capacity(count);
    for _ in 0..count {
        if bytes.get(at..at + 4)? != ENTRY {
            return None;
        }
        let (name, extra, comment) = (u16_at(at + 28)?, u16_at(at + 30)?, u16_at(at + 32)?);
        names.push(bytes.get(at + 46..at + 46 + name)?);
        at += 46 + name + extra + comment;
    }
    Some(names)
}

/// Where a document stands against its expiry date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// No expiry date, or more than [`EXPIRING_WITHIN_DAYS`] away.
    Valid,
    /// Expires within [`EXPIRING_WITHIN_DAYS`] days (today included).
    ExpiringSoon {
        days_left: i64,
    },
    Expired,
}

impl Expiry {
    pub fn label(self) -> &'static str {
        match self {
            Expiry::Valid => "valido",
            Expiry::ExpiringSoon { .. } => "in scadenza",
            Expiry::Expired => "scaduto",
        }
    }
}

/// The expiry state of a document valid until `expires_on` (inclusive) as of `today`.
pub fn expiry(expires_on: Option<Day>, today: Day) -> Expiry {
    let Some(until) = expires_on else { return Expiry::Valid };
    let days_left = day_number(until) - day_number(today);
    if days_left < 0 {
        Expiry::Expired
    } else if days_left <= EXPIRING_WITHIN_DAYS {
        Expiry::ExpiringSoon { days_left }
    } else {
        Expiry::Valid
    }
}

/// An expiry date typed in a form: blank is none, otherwise a real ISO day.
pub fn parse_expiry(text: &str) -> Result<Option<Day>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    parse_iso(t).map(Some).ok_or_else(|| format!("data di scadenza non valida: «{t}» (usare AAAA-MM-GG)"))
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`), to subtract two days.
fn day_number(d: Day) -> i64 {
    let ymd = d.yyyymmdd();
    let (y, m, day) = (ymd / 10000, ymd / 100 % 100, ymd % 100);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A document title typed in a form: trimmed, 1 to 200 characters.
pub fn check_title(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("indicare un titolo per il documento".into());
    }
    if t.chars().count() > 200 {
        return Err("il titolo è troppo lungo (massimo 200 caratteri)".into());
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal zip with these (name, stored content) entries, written as a zip writer would.
    pub(crate) fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let (mut out, mut central) = (Vec::new(), Vec::new());
        for (name, data) in entries {
            let offset = u32::try_from(out.len()).unwrap();
            let len = u32::try_from(data.len()).unwrap();
            let name_len = u16::try_from(name.len()).unwrap();
            out.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00");
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&name_len.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            central.extend_from_slice(b"PK\x01\x02\x14\x00\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00");
            central.extend_from_slice(&len.to_le_bytes());
            central.extend_from_slice(&len.to_le_bytes());
            central.extend_from_slice(&name_len.to_le_bytes());
            central.extend_from_slice(&[0u8; 12]);
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let cd_offset = u32::try_from(out.len()).unwrap();
        let cd_len = u32::try_from(central.len()).unwrap();
        let n = u16::try_from(entries.len()).unwrap();
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00");
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&n.to_le_bytes());
        out.extend_from_slice(&cd_len.to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    fn day(s: &str) -> Day {
        parse_iso(s).unwrap()
    }

    #[test]
    fn each_accepted_type_is_recognised_by_its_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xE2\xE3\n1 0 obj"), Ok(ContentType::Pdf));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F']), Ok(ContentType::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Ok(ContentType::Png));
        let odt = zip(&[("mimetype", ODT_MIME), ("content.xml", b"<office:document-content/>")]);
        assert_eq!(sniff(&odt), Ok(ContentType::Odt));
        let docx = zip(&[("[Content_Types].xml", b"<Types/>"), ("_rels/.rels", b"<r/>"), ("word/document.xml", b"<w:document/>")]);
        assert_eq!(sniff(&docx), Ok(ContentType::Docx));
        assert_eq!(ContentType::from_mime(ContentType::Docx.mime()), Some(ContentType::Docx));
    }

    #[test]
    fn anything_else_is_refused_whatever_its_name() {
        // A Windows executable renamed `certificato.pdf`: the name never enters the decision.
        let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF\x00\x00This program cannot be run in DOS mode";
        assert_eq!(sniff(exe), Err(DocumentProblem::Refused));
        assert_eq!(sniff(b"#!/bin/sh\nrm -rf /\n"), Err(DocumentProblem::Refused));
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), Err(DocumentProblem::Refused));
        assert_eq!(sniff(b" %PDF-1.7"), Err(DocumentProblem::Refused), "the signature must open the file");
        assert_eq!(sniff(b""), Err(DocumentProblem::Empty));
        // Other zip packages: a spreadsheet, an ODF template, a plain archive, a truncated zip.
        let ods = zip(&[("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")]);
        let ott = zip(&[("mimetype", b"application/vnd.oasis.opendocument.text-template")]);
        let xlsx = zip(&[("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<w/>")]);
        let archive = zip(&[("setup.exe", exe)]);
        for refused in [&ods, &ott, &xlsx, &archive, &b"PK\x03\x04\x14\x00"[..].to_vec()] {
            assert_eq!(sniff(refused), Err(DocumentProblem::Refused));
        }
    }

    #[test]
    fn the_size_limit_is_checked_on_the_bytes() {
        let mut big = b"%PDF-1.7\n".to_vec();
        big.resize(MAX_DOCUMENT_BYTES, b' ');
        assert_eq!(sniff(&big), Ok(ContentType::Pdf), "exactly at the limit is accepted");
        big.push(b' ');
        assert_eq!(sniff(&big), Err(DocumentProblem::TooLarge));
    }

    #[test]
    fn expiry_counts_days_across_months_and_years() {
        let today = day("2025-12-15");
        assert_eq!(expiry(None, today), Expiry::Valid);
        assert_eq!(expiry(Some(day("2025-12-14")), today), Expiry::Expired);
        assert_eq!(expiry(Some(day("2025-12-15")), today), Expiry::ExpiringSoon { days_left: 0 }, "valid through its last day");
        assert_eq!(expiry(Some(day("2026-01-14")), today), Expiry::ExpiringSoon { days_left: 30 });
        assert_eq!(expiry(Some(day("2026-01-15")), today), Expiry::Valid);
        assert_eq!(expiry(Some(day("2024-03-01")), day("2024-02-28")), Expiry::ExpiringSoon { days_left: 2 }, "leap year");
        assert_eq!(Expiry::Expired.label(), "scaduto");
    }

    #[test]
    fn kinds_round_trip_and_form_fields_are_checked() {
        for k in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_code(k.code()), Some(*k));
        }
        assert_eq!(DocumentKind::from_code("exe"), None);
        assert!(DocumentKind::Tribunale.is_court_material() && !DocumentKind::Isee.is_court_material());
        assert_eq!(parse_expiry(" "), Ok(None));
        assert_eq!(parse_expiry("2026-02-28"), Ok(Some(day("2026-02-28"))));
        assert!(parse_expiry("2026-02-30").is_err() && parse_expiry("31/12/2026").is_err());
        assert_eq!(check_title("  ISEE 2025 "), Ok("ISEE 2025".into()));
        assert!(check_title(" ").is_err() && check_title(&"x".repeat(201)).is_err());
    }
}
