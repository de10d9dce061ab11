//! Embeds the migration files at compile time: writes `$OUT_DIR/migrations.rs` with, for each
//! backend, every `NNNN_description.sql` of its folder (version, description, `include_str!`),
//! in version order. `store::migrations` builds sqlx's `Migrator` from it at run time, as
//! `sqlx::migrate!` would (same description, same SHA-384 checksum of the same bytes), without
//! sqlx's proc-macro crate, which compiled sqlx-core and the bundled SQLite again for the host
//! (a debug target held two builds of libsqlite3-sys and three of sqlx-core; now one of each).
// A build script reports a broken migrations folder by failing the build: panicking is its error path.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::fmt::Write;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    let mut out = String::new();
    for backend in ["sqlite", "postgres"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<(i64, String, String)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let (version, rest) = name.split_once('_')?;
                let description = rest.strip_suffix(".sql")?.replace('_', " ");
                let version = version.parse::<i64>().unwrap_or_else(|_| panic!("migration {name}: no integer version"));
                Some((version, description, e.path().display().to_string()))
            })
            .collect();
        files.sort();
        let _ = writeln!(out, "pub(crate) const {}: &[(i64, &str, &str)] = &[", backend.to_uppercase());
        for (version, description, path) in files {
            let _ = writeln!(out, "    ({version}, {description:?}, include_str!({path:?})),");
        }
        let _ = writeln!(out, "];");
    }
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("migrations.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
}
