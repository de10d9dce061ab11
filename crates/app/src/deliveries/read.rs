//! Reading delivery files: rows streamed with their real line numbers, the file's SHA-256
//! computed on the way (no second read for idempotence), CSV or spreadsheet.

use super::COLUMNS;
use super::WITHDRAW;
use super::trim_listing;
use crate::limits::MAX_LINE_BYTES;
use crate::problems::{Findings, Msg};
use ambito_domain::number::NumberStyle;
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

pub(super) fn count_lines(path: &Path) -> std::io::Result<u64> {
    let mut reader = BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
    let mut n = 0u64;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(n);
        }
        n += buf.iter().filter(|b| **b == b'\n').count() as u64;
        let len = buf.len();
        reader.consume(len);
    }
}

/// Streams the rows of a CSV (or reads a spreadsheet) and hands each one, with its line number
/// and cells in the order of `COLUMNS` plus the withdraw flag, to `visit`. Returns the SHA-256
/// of the file's bytes, or None when the file itself is unreadable (errors recorded).
pub(super) fn for_each_row(
    path: &Path,
    file: &str,
    f: &mut Findings,
    mut visit: impl FnMut(i64, &mut [String; 8], NumberStyle, &mut Findings),
) -> Option<Vec<u8>> {
    if crate::intake::spreadsheet::is_workbook(file) {
        let Ok(bytes) = std::fs::read(path) else {
            f.error(file, None, None, Msg::new("file non leggibile", "unreadable file"));
            return None;
        };
        let table = crate::intake::table::read_table(file, &bytes, f)?;
        let idx = header_index(&table.header, file, f)?;
        for (line, cells) in &table.rows {
            let mut picked = pick(&idx, |i| cells.get(i).cloned().unwrap_or_default());
            visit(*line as i64, &mut picked, table.style, f);
        }
        return Some(Sha256::digest(&bytes).to_vec());
    }
    let Ok(handle) = std::fs::File::open(path) else {
        f.error(file, None, None, Msg::new("file non leggibile", "unreadable file"));
        return None;
    };
    let lines = LineTracker::default();
    let mut reader = BufReader::with_capacity(1 << 20, lines.wrap(handle));
    let first = match reader.fill_buf() {
        Ok(b) => b.split(|c| *c == b'\n').next().unwrap_or(&[]).to_vec(),
        Err(_) => vec![],
    };
    if first.iter().all(u8::is_ascii_whitespace) {
        f.error(file, None, None, Msg::new("il file è vuoto", "the file is empty"));
        return None;
    }
    let semicolons = first.iter().filter(|c| **c == b';').count();
    let commas = first.iter().filter(|c| **c == b',').count();
    let (delimiter, style) = if semicolons >= commas { (b';', NumberStyle::Italian) } else { (b',', NumberStyle::International) };
    let mut csv = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let mut idx: Option<[Option<usize>; 8]> = None;
    let mut width = 0;
    let mut header: Vec<String> = Vec::new();
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => return idx.is_some().then(|| lines.digest()),
            Ok(true) => {}
            Err(_) if lines.too_long.get() => {
                let line = lines.first_line(lines.mark.get() + 1, 0) as usize;
                f.error(file, Some(line), None, crate::intake::table::line_too_long());
                return None;
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                f.error(file, line, None, Msg::new(format!("CSV non leggibile: {e}"), format!("unreadable CSV: {e}")));
                return None;
            }
        }
        lines.mark.set(csv.position().byte());
        if is_blank(&record) {
            continue;
        }
        let embedded = crate::intake::table::line_breaks(record.as_slice()) as u64;
        let line = lines.first_line(csv.position().byte(), embedded) as i64;
        if let Some((column, msg)) = crate::intake::table::over_caps(&record, idx.as_ref().map(|_| header.as_slice())) {
            f.error(file, Some(line as usize), column.as_deref(), msg);
            idx.as_ref()?;
            trim_listing(f);
            continue;
        }
        match &idx {
            None => {
                header = record.iter().map(decode_field).collect();
                if let Some(h) = header.first_mut() {
                    *h = h.trim_start_matches('\u{feff}').to_string();
                }
                width = header.len();
                idx = Some(header_index(&header, file, f)?);
            }
            Some(i) => {
                let fields = record.len();
                if fields != width {
                    f.error(
                        file,
                        Some(line as usize),
                        None,
                        Msg::new(
                            format!("la riga ha {fields} campi invece di {width}: file troncato o separatore errato"),
                            format!("the row has {fields} fields instead of {width}: truncated file or wrong delimiter"),
                        ),
                    );
                    trim_listing(f);
                    continue;
                }
                let mut picked = pick(i, |k| trimmed(unquoted(decode_field(&record[k]))));
                visit(line, &mut picked, style, f);
            }
        }
    }
}

/// The real line of each CSV record. The csv crate numbers a record from where the previous one
/// ended, so blank lines before it shift every later line number; this instead notes where the
/// newlines are in the bytes the parser is handed and works back from the record's end.
#[derive(Default, Clone)]
struct LineTracker {
    /// Offsets of newlines read ahead of the parser, and how many were dropped from the front.
    ahead: std::rc::Rc<std::cell::RefCell<(std::collections::VecDeque<u64>, u64)>>,
    /// The SHA-256 of every byte read so far.
    hash: std::rc::Rc<std::cell::RefCell<Sha256>>,
    /// Where the last record the parser returned ends, and whether reading stopped because the
    /// record after it grew past `MAX_LINE_BYTES` (the parser would buffer it whole).
    mark: std::rc::Rc<std::cell::Cell<u64>>,
    too_long: std::rc::Rc<std::cell::Cell<bool>>,
}

/// How far reading may run ahead of the parser: its buffers (the 1 MiB `BufReader` and the csv
/// crate's own) and one refill, on top of the record being parsed.
const READ_AHEAD: u64 = 3 << 20;

struct Tracked<R> {
    inner: R,
    offset: u64,
    lines: LineTracker,
    /// The offset of a `\r` whose next byte is not read yet.
    pending_cr: Option<u64>,
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.offset.saturating_sub(self.lines.mark.get()) > MAX_LINE_BYTES as u64 + READ_AHEAD {
            self.lines.too_long.set(true);
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "record over MAX_LINE_BYTES"));
        }
        let n = self.inner.read(buf)?;
        self.lines.hash.borrow_mut().update(&buf[..n]);
        let mut ahead = self.lines.ahead.borrow_mut();
        // A line ends at `\n`, `\r\n` or a lone `\r`, as the csv reader reads them. Only the line-end
        // bytes are looked at (this runs over every byte of a region's file); a `\r` that ends the
        // buffer waits for the next read, or the end of the file, to know which it is.
        let buf = &buf[..n];
        if let Some(cr) = self.pending_cr.take()
            && buf.first() != Some(&b'\n')
        {
            ahead.0.push_back(cr);
        }
        for (i, b) in buf.iter().enumerate().filter(|(_, b)| matches!(b, b'\n' | b'\r')) {
            let at = self.offset + i as u64;
            match (b, buf.get(i + 1)) {
                (b'\n', _) => ahead.0.push_back(at),
                (_, Some(b'\n')) => {}
                (_, Some(_)) => ahead.0.push_back(at),
                (_, None) => self.pending_cr = Some(at),
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

impl LineTracker {
    fn digest(&self) -> Vec<u8> {
        self.hash.borrow().clone().finalize().to_vec()
    }

    fn wrap<R: Read>(&self, inner: R) -> Tracked<R> {
        Tracked { inner, offset: 0, lines: self.clone(), pending_cr: None }
    }

    /// The 1-based line where a record starts, from the offset just past it (terminator
    /// included) and the newlines inside its quoted fields. Offsets must not decrease.
    fn first_line(&self, end: u64, embedded: u64) -> u64 {
        let last_byte = end.saturating_sub(1);
        let mut ahead = self.ahead.borrow_mut();
        while ahead.0.front().is_some_and(|nl| *nl < last_byte) {
            ahead.0.pop_front();
            ahead.1 += 1;
        }
        (ahead.1 + 1).saturating_sub(embedded)
    }
}

/// A row with nothing but blanks, which the file may hold between rows. Most rows start with an
/// ASCII digit, so the exact (Unicode) test runs only on rows that might be blank.
fn is_blank(record: &csv::ByteRecord) -> bool {
    if record.as_slice().iter().any(|b| b.is_ascii() && !b.is_ascii_whitespace()) {
        return false;
    }
    record.iter().all(|c| decode_field(c).trim().is_empty())
}

/// The cell without surrounding blanks, reusing its allocation when there are none.
fn trimmed(s: String) -> String {
    let t = s.trim();
    if t.len() == s.len() { s } else { t.to_string() }
}

/// A cell as ambito's own CSV exports wrote it, with their spreadsheet-safety quote removed.
fn unquoted(s: String) -> String {
    let u = ambito_render::csv_safe::unquote(&s);
    if u.len() == s.len() { s } else { u.to_string() }
}

/// UTF-8, or Windows-1252 as Excel on Italian Windows writes it.
fn decode_field(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

fn pick(idx: &[Option<usize>; 8], get: impl Fn(usize) -> String) -> [String; 8] {
    std::array::from_fn(|k| idx[k].map(&get).unwrap_or_default())
}

fn header_index(header: &[String], file: &str, f: &mut Findings) -> Option<[Option<usize>; 8]> {
    let table = crate::intake::table::Table { file: file.into(), header: header.to_vec(), rows: vec![], style: NumberStyle::Italian };
    let found = table.columns(&COLUMNS, &[WITHDRAW], f)?;
    Some(std::array::from_fn(|k| found[k]))
}
