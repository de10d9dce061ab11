//! The invariants of docs/ARCHITECTURE.md that the code's shape must keep, checked on the tree
//! itself: which crate may depend on which, where SQL may be written, that `domain` does no I/O,
//! and that file formats are written in `render`. A change that breaks one fails here, with the
//! file that broke it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

/// The names in a manifest's `[dependencies]` table (not dev- or build-dependencies).
fn dependencies(krate: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(workspace().join("crates").join(krate).join("Cargo.toml")).expect("manifest");
    let mut inside = false;
    let mut out = BTreeSet::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            inside = line == "[dependencies]";
            continue;
        }
        if inside && let Some((name, _)) = line.split_once('=') {
            let name = name.trim();
            if !name.is_empty() && !name.starts_with('#') {
                out.insert(name.split('.').next().unwrap_or(name).to_string());
            }
        }
    }
    out
}

fn ambito_deps(krate: &str) -> BTreeSet<String> {
    dependencies(krate).into_iter().filter(|d| d.starts_with("ambito-")).collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Every `.rs` file under `crates/<krate>/src`, with its text.
fn sources(krate: &str) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).expect("dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source");
                out.push((path, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&workspace().join("crates").join(krate).join("src"), &mut out);
    out
}

fn crates() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(workspace().join("crates"))
        .expect("crates")
        .flatten()
        .filter(|e| e.path().join("Cargo.toml").exists())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

#[test]
fn crates_depend_only_downwards() {
    // domain ← store, render ← app ← web, synth ← cli: no back-edges, and the shells never
    // reach the store around the use cases.
    let allowed = [
        ("domain", set(&[])),
        ("store", set(&["ambito-domain"])),
        ("render", set(&["ambito-domain"])),
        ("app", set(&["ambito-domain", "ambito-store", "ambito-render"])),
        ("web", set(&["ambito-domain", "ambito-app", "ambito-render"])),
        ("synth", set(&["ambito-domain", "ambito-app"])),
        ("cli", set(&["ambito-domain", "ambito-store", "ambito-app", "ambito-render", "ambito-web", "ambito-synth"])),
    ];
    for (krate, may) in &allowed {
        let has = ambito_deps(krate);
        assert!(has.is_subset(may), "crate {krate} depends on {:?}, outside its layer", has.difference(may).collect::<Vec<_>>());
    }
    let known: BTreeSet<String> = allowed.iter().map(|(k, _)| k.to_string()).collect();
    let unknown: Vec<String> = crates().into_iter().filter(|c| !known.contains(c)).collect();
    assert!(unknown.is_empty(), "new crates need their layer stated here and in ARCHITECTURE.md: {unknown:?}");
}

#[test]
fn domain_has_no_io() {
    // Pure rules: its dependencies are number, serde, hash and text-parsing crates only (`toml`
    // reads the co-payment regulation from a string), and its code touches neither files,
    // network, environment nor clock.
    let deps = dependencies("domain");
    assert!(deps.is_subset(&set(&["rust_decimal", "serde", "thiserror", "sha2", "toml"])), "domain depends on {deps:?}");
    let forbidden = ["std::fs", "std::net", "std::env", "std::process", "tokio", "SystemTime", "Instant::now", "std::io::stdin"];
    for (path, text) in sources("domain") {
        for f in forbidden {
            assert!(!text.contains(f), "{} uses {f}: domain does no I/O", path.display());
        }
    }
}

#[test]
fn sql_is_written_only_in_store() {
    for krate in crates().into_iter().filter(|c| c != "store") {
        assert!(!dependencies(&krate).contains("sqlx"), "crate {krate} depends on sqlx: SQL belongs in ambito-store");
        for (path, text) in sources(&krate) {
            let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
            for needle in ["sqlx::query(", "sqlx::query_as", "sqlx::query_scalar", "sqlx::raw_sql", "SELECT ", "INSERT INTO", "DELETE FROM"]
            {
                assert!(!code.contains(needle), "{} contains `{needle}`: SQL belongs in ambito-store", path.display());
            }
        }
    }
}

#[test]
fn file_formats_are_written_in_render() {
    // The writers of every CSV and workbook live in `render`. One exception remains, named here so
    // that no other can appear: the Piano di Zona workbook, whose reader and writer share the plan
    // file's row layout in `app::plan::xlsx` (see ARCHITECTURE.md, "What is not there yet").
    let exceptions = ["crates/app/src/plan/xlsx.rs"];
    let root = workspace();
    for krate in crates().into_iter().filter(|c| c != "render") {
        for (path, text) in sources(&krate) {
            let rel = path.strip_prefix(&root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            if exceptions.contains(&rel.as_str()) {
                continue;
            }
            for needle in ["CsvOut", "csv::Writer", "WriterBuilder", "rust_xlsxwriter", "typst::"] {
                assert!(!text.contains(needle), "{rel} uses {needle}: file formats are written in ambito-render");
            }
        }
    }
}

/// The case record's tables: those of the first persons migration and of every migration from
/// the case record's (0012) on, but the users' alerts, which are not the record.
fn case_record_tables() -> BTreeSet<String> {
    let dir = workspace().join("crates/store/migrations/sqlite");
    let mut tables = set(&["person", "care_case", "care_team", "case_note", "break_glass"]);
    for entry in std::fs::read_dir(&dir).expect("migrations").flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.as_str() < "0012" {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("migration");
        for line in text.lines() {
            if let Some(rest) = line.trim().strip_prefix("CREATE TABLE ") {
                let table = rest.split([' ', '(']).next().unwrap_or("").to_string();
                tables.insert(table);
            }
        }
    }
    tables.remove("alert");
    tables
}

#[test]
fn case_record_tables_are_never_deleted_outside_the_purge() {
    let tables = case_record_tables();
    assert!(tables.contains("contact") && tables.contains("person_address"), "{tables:?}");
    let mut offenders = Vec::new();
    for (path, text) in sources("store") {
        for (at, _) in text.match_indices("DELETE FROM ") {
            let table: String = text[at + 12..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '{').collect();
            // A table named through a list (`DELETE FROM {table}`) is judged by its function.
            let function = text[..at].rfind("fn ").map(|f| text[f + 3..].split('(').next().unwrap_or("").to_string()).unwrap_or_default();
            let case_table = tables.contains(&table) || table.starts_with('{');
            if case_table && !function.starts_with("purge") {
                offenders.push(format!("{}: DELETE FROM {table} in fn {function}", path.display()));
            }
        }
    }
    assert!(offenders.is_empty(), "case-record rows are voided or superseded, deleted only by the GDPR purge: {offenders:#?}");
}
