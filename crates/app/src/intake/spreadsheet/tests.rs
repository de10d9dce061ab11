//! Hostile workbooks, built here with the zip crate: each must be refused with its place, fast
//! and in little memory, or read correctly when only its declarations are odd.

use crate::intake::table::{Table, read_table};
use crate::limits::{MAX_CELL_CHARS, MAX_COLUMNS, MAX_PART_BYTES, MAX_SHEET_CELLS, MAX_SHEET_ROWS};
use crate::problems::{Findings, Lang};
use std::io::Write;

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const DOC: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A workbook of one sheet, `Foglio1`, from the XML inside `<sheetData>` (plus what comes before
/// it, e.g. a `<dimension>`), with an optional shared-strings part.
fn workbook(before: &str, sheet_data: &str, shared: Option<&str>) -> Vec<u8> {
    let sheet = format!("<?xml version=\"1.0\"?><worksheet xmlns=\"{MAIN}\">{before}<sheetData>{sheet_data}</sheetData></worksheet>");
    zipped(&[
        (
            "_rels/.rels",
            &format!(
                "<Relationships xmlns=\"{RELS}\"><Relationship Id=\"rId1\" Type=\"{DOC}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
            ),
        ),
        (
            "xl/workbook.xml",
            &format!(
                "<workbook xmlns=\"{MAIN}\" xmlns:r=\"{DOC}\"><sheets><sheet name=\"Foglio1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            &format!(
                "<Relationships xmlns=\"{RELS}\"><Relationship Id=\"rId1\" Type=\"{DOC}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"
            ),
        ),
        ("xl/worksheets/sheet1.xml", &sheet),
        ("xl/sharedStrings.xml", shared.unwrap_or("")),
    ])
}

fn zipped(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in parts.iter().filter(|(_, body)| !body.is_empty()) {
        zip.start_file(*name, options).expect("start part");
        zip.write_all(body.as_bytes()).expect("write part");
    }
    zip.finish().expect("finish zip").into_inner()
}

fn cell(at: &str, text: &str) -> String {
    format!("<c r=\"{at}\" t=\"inlineStr\"><is><t>{text}</t></is></c>")
}

fn row(n: usize, cells: &[String]) -> String {
    format!("<row r=\"{n}\">{}</row>", cells.concat())
}

/// Reads `bytes` as `x.xlsx`: the table, or the errors rendered in English.
fn read(bytes: &[u8]) -> Result<Table, Vec<String>> {
    let mut f = Findings::default();
    let table = read_table("x.xlsx", bytes, &mut f);
    let errors: Vec<String> = f.errors.iter().map(|e| e.render(Lang::En)).collect();
    match table {
        Some(t) if errors.is_empty() => Ok(t),
        _ => Err(errors),
    }
}

fn refused(bytes: &[u8], expected: &str) {
    match read(bytes) {
        Ok(t) => panic!("expected a refusal with «{expected}», read {} rows", t.rows.len()),
        Err(errors) => assert!(errors.iter().any(|e| e.contains(expected)), "expected «{expected}» in {errors:#?}"),
    }
}

#[test]
fn a_normal_sheet_reads_with_its_lines() {
    let data = [row(1, &[cell("A1", "a"), cell("B1", "b")]), row(3, &[cell("A3", " 1 "), cell("B3", "due")])].concat();
    let t = read(&workbook("", &data, None)).expect("table");
    assert_eq!(t.header, ["a", "b"]);
    assert_eq!(t.rows, vec![(3, vec!["1".to_string(), "due".to_string()])]);
}

#[test]
fn one_cell_at_xfd1048576_is_refused_with_its_place() {
    // The 2 KB file of the penetration test: calamine's dense range asked for 512 GiB.
    let data = [row(1, &[cell("A1", "a")]), row(1_048_576, &[cell("XFD1048576", "x")])].concat();
    let bytes = workbook("", &data, None);
    assert!(bytes.len() < 2000, "{} bytes", bytes.len());
    refused(&bytes, "x.xlsx:1048576:XFD: cell XFD1048576 is beyond the limit of 100000 rows a sheet: send bigger files as CSV");
}

#[test]
fn a_cell_beyond_the_last_allowed_column_is_refused() {
    let far = crate::intake::table::column_letter(MAX_COLUMNS);
    let data = row(1, &[cell("A1", "a"), cell(&format!("{far}1"), "x")]);
    refused(&workbook("", &data, None), &format!("x.xlsx:1:{far}: cell {far}1 is beyond the limit of {MAX_COLUMNS} columns"));
}

#[test]
fn a_huge_declared_dimension_sizes_nothing() {
    let data = [row(1, &[cell("A1", "a")]), row(2, &[cell("A2", "1")])].concat();
    let t = read(&workbook("<dimension ref=\"A1:XFD1048576\"/>", &data, None)).expect("a declaration is not content");
    assert_eq!(t.rows, vec![(2, vec!["1".to_string()])]);
    // Empty styled cells far out, as Excel writes for formatted areas, are no content either.
    let styled = format!("{data}<row r=\"1048576\"><c r=\"XFD1048576\" s=\"1\"/></row>");
    assert_eq!(read(&workbook("", &styled, None)).expect("empty cells").rows.len(), 1);
}

#[test]
fn a_malformed_dimension_or_reference_is_refused_without_a_panic() {
    let data = row(1, &[cell("A1", "a")]);
    // calamine subtracts the corners (underflow) and multiplies the letters (overflow).
    refused(&workbook("<dimension ref=\"B2:A1\"/>", &data, None), "invalid cell reference «B2:A1»");
    refused(&workbook("", &row(1, &[cell("AAAAAAAAAAAAAAAA1", "a")]), None), "invalid cell reference «AAAAAAAAAAAAAAAA1»");
    refused(&workbook("", &format!("<row r=\"99999999999\">{}</row>", cell("A1", "a")), None), "invalid cell reference «99999999999»");
}

#[test]
fn rows_beyond_the_cap_are_refused_at_the_first_one() {
    let mut data = String::with_capacity(MAX_SHEET_ROWS * 60);
    data.push_str(&row(1, &[cell("A1", "a")]));
    for n in 2..=MAX_SHEET_ROWS + 1 {
        data.push_str(&format!("<row r=\"{n}\"><c r=\"A{n}\"><v>{n}</v></c></row>"));
    }
    let line = MAX_SHEET_ROWS + 1;
    refused(&workbook("", &data, None), &format!("x.xlsx:{line}:A: cell A{line} is beyond the limit of {MAX_SHEET_ROWS} rows"));
}

#[test]
fn a_table_over_the_cell_cap_is_refused() {
    // One value a row, but a wide header: the table itself would hold rows × columns cells.
    let width = 200;
    let header: Vec<String> = (0..width).map(|c| cell(&format!("{}1", crate::intake::table::column_letter(c)), "h")).collect();
    let mut data = row(1, &header);
    let rows = MAX_SHEET_CELLS / width + 1;
    for n in 2..=rows + 1 {
        data.push_str(&format!("<row r=\"{n}\"><c r=\"A{n}\"><v>1</v></c></row>"));
    }
    refused(&workbook("", &data, None), &format!("the workbook exceeds {MAX_SHEET_CELLS} cells (rows × columns)"));
}

#[test]
fn a_huge_shared_string_is_refused_before_calamine_holds_it() {
    // 8 MB of text in 8 KB of zip; the penetration test's 1 GB one took 7.8 GB of memory.
    let huge = "a".repeat(8 << 20);
    let shared = format!("<sst xmlns=\"{MAIN}\" count=\"1\" uniqueCount=\"1\"><si><t>{huge}</t></si></sst>");
    let bytes = workbook("", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", Some(&shared));
    assert!(bytes.len() < 64 << 10, "{} bytes", bytes.len());
    refused(&bytes, &format!("shared string no. 1 holds more than {MAX_CELL_CHARS} characters"));
    // Rich text splits the string into runs that calamine joins: the runs are counted together.
    let runs = (0..40).map(|_| format!("<r><t>{}</t></r>", "b".repeat(1000))).collect::<String>();
    let shared = format!("<sst xmlns=\"{MAIN}\"><si>{runs}</si></sst>");
    refused(&workbook("", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", Some(&shared)), "shared string no. 1");
}

#[test]
fn a_declared_string_count_calamine_would_reserve_is_refused() {
    let shared = format!("<sst xmlns=\"{MAIN}\" uniqueCount=\"100000000000\"><si><t>a</t></si></sst>");
    refused(&workbook("", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", Some(&shared)), "declares 100000000000 strings");
}

#[test]
fn a_long_inline_cell_is_refused_with_its_place() {
    let data = [row(1, &[cell("A1", "a")]), row(2, &[cell("A2", &"x".repeat(MAX_CELL_CHARS + 1))])].concat();
    refused(&workbook("", &data, None), &format!("x.xlsx:2:A: the cell holds more than {MAX_CELL_CHARS} characters"));
}

/// Rewrites the uncompressed size that the zip declares for part `name`, in its local header and
/// in the central directory.
fn declare_size(bytes: &mut [u8], name: &str, size: u32) {
    let mut patched = 0;
    // (signature, offset of the name length, offset of the name, offset of the size)
    for (signature, name_len_at, name_at, size_at) in [(*b"PK\x03\x04", 26, 30, 22), (*b"PK\x01\x02", 28, 46, 24)] {
        let mut at = 0;
        while let Some(found) = bytes[at..].windows(4).position(|w| w == signature) {
            let h = at + found;
            let len = u16::from_le_bytes([bytes[h + name_len_at], bytes[h + name_len_at + 1]]) as usize;
            if bytes.get(h + name_at..h + name_at + len) == Some(name.as_bytes()) {
                bytes[h + size_at..h + size_at + 4].copy_from_slice(&size.to_le_bytes());
                patched += 1;
            }
            at = h + 4;
        }
    }
    assert_eq!(patched, 2, "both headers of {name}");
}

#[test]
fn a_part_over_the_size_cap_is_refused_even_when_it_lies_about_it() {
    // 64 MiB of blanks before the sheet data: 64 KB of zip, and no cell to refuse.
    let padding = " ".repeat(MAX_PART_BYTES as usize);
    let mut bytes = workbook(&padding, &[row(1, &[cell("A1", "a")]), row(2, &[cell("A2", "1")])].concat(), None);
    assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
    refused(&bytes, "x.xlsx: part «xl/worksheets/sheet1.xml» of the workbook exceeds 64 MiB decompressed");
    // Declared as 100 bytes, the part is still read through to its end and refused.
    declare_size(&mut bytes, "xl/worksheets/sheet1.xml", 100);
    refused(&bytes, "larger than its declared uncompressed size");
}

#[test]
fn xls_and_ods_are_refused_with_advice() {
    for name in ["x.xls", "x.ods"] {
        let mut f = Findings::default();
        assert!(read_table(name, b"anything", &mut f).is_none());
        assert!(f.errors[0].message.en.contains("save the sheet as .xlsx or as CSV"), "{:?}", f.errors);
    }
}
