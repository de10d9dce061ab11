//! The delivery importer's reader and row checks (streamed from a file, as the import does).
#![no_main]

mod common;

use ambito_app::deliveries::check_file;
use libfuzzer_sys::fuzz_target;
use std::collections::{BTreeSet, HashMap};

fuzz_target!(|data: &[u8]| {
    let Some((file, body)) = common::named(data) else { return };
    // The streaming reader takes a path, as the import does; one file per fuzzing process.
    let path = std::env::temp_dir().join(format!("ambito-fuzz-{}-{file}", std::process::id()));
    std::fs::write(&path, body).expect("temp file");
    let services: HashMap<String, i64> = [("SAD", 1), ("ADM", 2)].map(|(c, i)| (c.to_string(), i)).into();
    let comuni: HashMap<String, i64> = [("016033", 1), ("016065", 2)].map(|(c, i)| (c.to_string(), i)).into();
    let providers = (data.len() % 2 == 0).then(|| BTreeSet::from(["Coop A".to_string()]));
    let (rows, f) = check_file(&path, services, comuni, None, providers);
    let _ = std::fs::remove_file(&path);
    if rows > 0 && !f.has_errors() {
        // A line ends at \n, \r\n or a lone \r.
        assert!(rows <= body.iter().filter(|b| matches!(b, b'\n' | b'\r')).count() + 1 || file.ends_with(".xlsx"));
    }
});
