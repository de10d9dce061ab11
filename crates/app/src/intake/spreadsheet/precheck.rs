//! The check a workbook passes before calamine opens it. A zip package is a claim about sizes
//! that the bytes need not keep, and calamine trusts it: it reserves the shared-strings table
//! from the file's `uniqueCount`, holds every shared string in memory, and its cell references
//! overflow on malformed input. So every part is read here first, decompressed through a counter
//! whatever size the zip declares, and its XML is scanned with the same parser (quick-xml) and
//! settings calamine uses, so both see the same elements.
//!
//! Nothing here allocates in proportion to the file beyond one XML event, itself bounded by
//! `MAX_PART_BYTES`. The declared `<dimension>` of a sheet is only checked to be well formed: the
//! reader never sizes anything from it (a real file may declare formatted but empty cells far
//! out), so the caps on rows and columns apply to the cells that hold a value (see `super`).

use super::{Refusal, unreadable};
use crate::intake::table::column_letter;
use crate::limits::{MAX_CELL_CHARS, MAX_PART_BYTES, MAX_SHARED_STRINGS, MAX_WORKBOOK_BYTES, MAX_ZIP_ENTRIES};
use crate::problems::Msg;
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Read};

/// Excel's own bounds: a reference beyond them is not a cell.
const EXCEL_ROWS: u32 = 1_048_576;
const EXCEL_COLUMNS: u32 = 16_384;

pub(super) fn check(bytes: &[u8]) -> Result<(), Refusal> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| Refusal::new(unreadable(e)))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        let n = zip.len();
        return Err(Refusal::new(Msg::new(
            format!("il foglio di calcolo contiene {n} parti (al massimo {MAX_ZIP_ENTRIES}): non è un file Excel ordinario"),
            format!("the workbook has {n} parts (at most {MAX_ZIP_ENTRIES}): not an ordinary Excel file"),
        )));
    }
    let mut left = MAX_WORKBOOK_BYTES;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| Refusal::new(unreadable(e)))?;
        if entry.is_dir() {
            continue;
        }
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if entry.size() > MAX_PART_BYTES.min(left) {
            return Err(too_big(&name, left));
        }
        let mut counted = Counted { inner: entry, read: 0, limit: MAX_PART_BYTES.min(left), over: false };
        let mut scanned = scan(&name, &mut counted);
        if scanned.is_ok() {
            // Calamine may read on where the scan stopped at an XML error: count every byte.
            if let Err(e) = std::io::copy(&mut counted, &mut std::io::sink()) {
                scanned = Err(Refusal::new(unreadable(e)));
            }
        }
        if counted.over {
            return Err(too_big(&name, left));
        }
        scanned?;
        left -= counted.read;
    }
    Ok(())
}

fn too_big(part: &str, left: u64) -> Refusal {
    let mib = |b: u64| b >> 20;
    let (limit, total) = (mib(MAX_PART_BYTES.min(left)), mib(MAX_WORKBOOK_BYTES));
    Refusal::new(Msg::new(
        format!(
            "la parte «{part}» del foglio di calcolo supera, decompressa, {limit} MiB (al massimo {} MiB per parte e {total} MiB in tutto): per file grandi usare il formato CSV",
            mib(MAX_PART_BYTES)
        ),
        format!(
            "part «{part}» of the workbook exceeds {limit} MiB decompressed (at most {} MiB a part and {total} MiB in all): send big files as CSV",
            mib(MAX_PART_BYTES)
        ),
    ))
}

/// Counts the decompressed bytes of a part and fails past `limit`. The zip crate already fails a
/// stream longer than its declared size; this does not depend on it.
struct Counted<R> {
    inner: R,
    read: u64,
    limit: u64,
    over: bool,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.limit {
            self.over = true;
            return Err(std::io::Error::other("part over its size limit"));
        }
        Ok(n)
    }
}

/// Where the scan is inside a part: the cell or shared string being read, and its text so far.
#[derive(Default)]
struct Scan {
    row: u32,
    column: u32,
    cell: Option<(u32, u32)>,
    in_formula: bool,
    string: Option<usize>,
    strings: usize,
    chars: usize,
}

/// Scans one part. Elements are matched by local name wherever they are, as calamine does; a
/// part that is not XML, or is broken, ends the scan where calamine's own reading would fail.
fn scan(part: &str, reader: impl Read) -> Result<(), Refusal> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(reader));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut s = Scan::default();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => s.start(part, &e)?,
            Ok(Event::End(e)) => s.end(e.local_name().as_ref()),
            Ok(Event::Text(t)) => s.text(part, &t)?,
            Ok(Event::CData(t)) => s.text(part, &t)?,
            // An entity or character reference stands for one character.
            Ok(Event::GeneralRef(_)) => s.text(part, "&")?,
            // The zip's own checks (a stream longer than it declares, a wrong CRC) and our count.
            Err(quick_xml::Error::Io(e)) => return Err(Refusal::new(unreadable(e))),
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
    }
}

impl Scan {
    fn start(&mut self, part: &str, e: &BytesStart) -> Result<(), Refusal> {
        match e.local_name().as_ref() {
            "sst" => {
                for v in values(e, "uniqueCount") {
                    // Calamine reserves this many strings up front: refuse what it could not hold.
                    let digits: String = v.chars().filter(char::is_ascii_digit).collect();
                    if digits.len() > 9 || digits.parse::<usize>().is_ok_and(|n| n > MAX_SHARED_STRINGS) {
                        return Err(Refusal::new(Msg::new(
                            format!("il foglio di calcolo dichiara {v} stringhe (al massimo {MAX_SHARED_STRINGS})"),
                            format!("the workbook declares {v} strings (at most {MAX_SHARED_STRINGS})"),
                        )));
                    }
                }
            }
            "si" => {
                self.strings += 1;
                if self.strings > MAX_SHARED_STRINGS {
                    return Err(Refusal::new(Msg::new(
                        format!("il foglio di calcolo contiene più di {MAX_SHARED_STRINGS} stringhe"),
                        format!("the workbook holds more than {MAX_SHARED_STRINGS} strings"),
                    )));
                }
                (self.string, self.chars) = (Some(self.strings), 0);
            }
            "row" => {
                for v in values(e, "r") {
                    self.row = reference(v).map_err(|m| bad_reference(part, v, m))?.0;
                }
            }
            "c" => {
                let mut at = (self.row, self.column);
                for v in values(e, "r") {
                    let (row, column) = reference(v).map_err(|m| bad_reference(part, v, m))?;
                    at = (row, column.ok_or_else(|| bad_reference(part, v, "manca la colonna"))?);
                }
                self.column = at.1.saturating_add(1);
                (self.cell, self.chars) = (Some(at), 0);
            }
            "f" => self.in_formula = true,
            "dimension" => {
                for v in values(e, "ref") {
                    dimension(v).map_err(|m| bad_reference(part, v, m))?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, local: &str) {
        match local {
            "si" => self.string = None,
            "c" => self.cell = None,
            "f" => self.in_formula = false,
            "row" => (self.row, self.column) = (self.row.saturating_add(1), 0),
            _ => {}
        }
    }

    fn text(&mut self, part: &str, text: &str) -> Result<(), Refusal> {
        if self.string.is_none() && (self.cell.is_none() || self.in_formula) {
            return Ok(());
        }
        self.chars += text.chars().count();
        if self.chars <= MAX_CELL_CHARS {
            return Ok(());
        }
        let msg = |what_it: String, what_en: String| {
            Msg::new(
                format!("{what_it} contiene più di {MAX_CELL_CHARS} caratteri (parte «{part}»)"),
                format!("{what_en} holds more than {MAX_CELL_CHARS} characters (part «{part}»)"),
            )
        };
        Err(match (self.cell, self.string) {
            (Some((row, column)), _) => Refusal {
                line: Some(row as usize + 1),
                column: Some(column_letter(column as usize)),
                msg: msg("la cella".into(), "the cell".into()),
            },
            (None, n) => {
                let n = n.unwrap_or_default();
                Refusal::new(msg(format!("la stringa condivisa n. {n}"), format!("shared string no. {n}")))
            }
        })
    }
}

fn bad_reference(part: &str, v: &str, why: &str) -> Refusal {
    let v: String = v.chars().take(40).collect();
    Refusal::new(Msg::new(
        format!("riferimento di cella «{v}» non valido nella parte «{part}»: {why}"),
        format!("invalid cell reference «{v}» in part «{part}»: {why}"),
    ))
}

/// A cell reference such as `B7` (or a row number such as `7`) as 0-based (row, column), within
/// Excel's bounds. Calamine's own parser overflows on long ones.
fn reference(r: &str) -> Result<(u32, Option<u32>), &'static str> {
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (column, row) = r.split_at(letters);
    let mut col: u32 = 0;
    for b in column.bytes() {
        col = col.saturating_mul(26).saturating_add(u32::from(b.to_ascii_uppercase() - b'A') + 1);
    }
    if col > EXCEL_COLUMNS {
        return Err("colonna oltre XFD");
    }
    if row.is_empty() || !row.bytes().all(|b| b.is_ascii_digit()) {
        return Err("riga mancante o non numerica");
    }
    let row = row.bytes().fold(0u32, |n, b| n.saturating_mul(10).saturating_add(u32::from(b - b'0')));
    if row == 0 || row > EXCEL_ROWS {
        return Err("riga fuori dai limiti di Excel");
    }
    Ok((row - 1, col.checked_sub(1)))
}

/// A sheet's declared `<dimension ref="A1:H20">`: well-formed, its end not before its start.
fn dimension(d: &str) -> Result<(), &'static str> {
    let corners: Vec<(u32, Option<u32>)> = d.split(':').map(reference).collect::<Result<_, _>>()?;
    match corners.as_slice() {
        [(_, Some(_))] => Ok(()),
        [(r1, Some(c1)), (r2, Some(c2))] if r2 >= r1 && c2 >= c1 => Ok(()),
        _ => Err("dimensione del foglio non valida"),
    }
}

/// Every value of attribute `key` in the element, read as calamine reads attributes: raw, up to
/// the first malformed one.
fn values<'a>(e: &'a BytesStart, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let raw = e.attributes_raw();
    let mut pos = 0;
    std::iter::from_fn(move || {
        let bytes = raw.as_bytes();
        loop {
            while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
                pos += 1;
            }
            let start = pos;
            while pos < bytes.len() && bytes[pos] != b'=' {
                pos += 1;
            }
            if pos >= bytes.len() {
                return None;
            }
            let k = raw[start..pos].trim_ascii_end();
            pos += 1;
            while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
                pos += 1;
            }
            let quote = *bytes.get(pos).filter(|q| matches!(q, b'"' | b'\''))?;
            pos += 1;
            let value_start = pos;
            while pos < bytes.len() && bytes[pos] != quote {
                pos += 1;
            }
            let v = &raw[value_start..pos];
            pos = (pos + 1).min(bytes.len());
            if k == key {
                return Some(v);
            }
        }
    })
}
