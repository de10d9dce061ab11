//! The document upload's type check by content: PDF, JPEG, PNG, ODT and DOCX are recognised from
//! the bytes whatever the file's name, anything else (or a disguised zip) refused; also the
//! form's title and expiry date.
#![no_main]

use ambito_domain::date::Day;
use ambito_domain::documents::{ContentType, DocumentProblem, MAX_DOCUMENT_BYTES, check_title, expiry, parse_expiry, sniff};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match sniff(data) {
        Ok(t) => {
            assert!(!data.is_empty() && data.len() <= MAX_DOCUMENT_BYTES);
            assert_eq!(ContentType::from_mime(t.mime()), Some(t), "the stored MIME type reads back");
            let magic: &[u8] = match t {
                ContentType::Pdf => b"%PDF-",
                ContentType::Jpeg => &[0xFF, 0xD8, 0xFF],
                ContentType::Png => &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A],
                ContentType::Odt | ContentType::Docx => b"PK\x03\x04",
            };
            assert!(data.starts_with(magic), "{t:?} without its signature");
        }
        Err(DocumentProblem::Empty) => assert!(data.is_empty()),
        Err(DocumentProblem::TooLarge) => assert!(data.len() > MAX_DOCUMENT_BYTES),
        Err(DocumentProblem::Refused) => {}
    }
    // The same bytes are judged the same way every time (no state, no name).
    assert_eq!(sniff(data), sniff(data));
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(title) = check_title(text) {
        assert_eq!(check_title(&title).as_deref(), Ok(title.as_str()), "a checked title checks again");
    }
    if let Ok(Some(day)) = parse_expiry(text) {
        let today = Day::new(2026, 12, 3).expect("a real day");
        let _ = expiry(Some(day), today).label();
    }
});
