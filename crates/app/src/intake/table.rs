//! Reads a tabular file (CSV in either Italian or international convention, or XLSX) into rows of
//! text with their line numbers, so every importer validates the same way whatever the format.
//!
//! CSV: UTF-8 with or without BOM, or Windows-1252 as Excel on Italian Windows writes it; the
//! delimiter (`;` or `,`) is read off the header line; `;` files use the Italian number style.

use crate::limits::{MAX_CELL_CHARS, MAX_COLUMNS, MAX_LINE_BYTES};
use crate::problems::{Findings, Msg};
use ambito_domain::number::NumberStyle;
use std::borrow::Cow;

#[derive(Debug, Clone)]
pub struct Table {
    pub file: String,
    pub header: Vec<String>,
    /// (1-based line number, cells), blank lines skipped.
    pub rows: Vec<(usize, Vec<String>)>,
    pub style: NumberStyle,
}

impl Table {
    /// Finds each expected column in the header, reporting unknown, duplicate and missing ones.
    /// Returns column indices in the order of `expected`, or `None` after recording errors.
    pub fn columns(&self, expected: &[&str], optional: &[&str], f: &mut Findings) -> Option<Vec<Option<usize>>> {
        let mut ok = true;
        let norm = |s: &str| s.trim().to_lowercase();
        for (i, h) in self.header.iter().enumerate() {
            let name = norm(h);
            if name.is_empty() {
                f.error(&self.file, Some(1), Some(&column_letter(i)), Msg::new("intestazione di colonna vuota", "empty column header"));
                ok = false;
            } else if !expected.iter().chain(optional).any(|e| norm(e) == name) {
                f.error(
                    &self.file,
                    Some(1),
                    Some(h.trim()),
                    Msg::new(
                        format!("colonna sconosciuta «{}»; attese: {}", h.trim(), expected.join(";")),
                        format!("unknown column «{}»; expected: {}", h.trim(), expected.join(";")),
                    ),
                );
                ok = false;
            } else if self.header[..i].iter().any(|p| norm(p) == name) {
                f.error(
                    &self.file,
                    Some(1),
                    Some(h.trim()),
                    Msg::new(
                        format!("colonna «{}» ripetuta: ambigua", h.trim()),
                        format!("column «{}» appears twice: ambiguous", h.trim()),
                    ),
                );
                ok = false;
            }
        }
        let mut out = Vec::new();
        for e in expected.iter().chain(optional) {
            let idx = self.header.iter().position(|h| norm(h) == norm(e));
            if idx.is_none() && expected.contains(e) {
                f.error(&self.file, Some(1), Some(e), Msg::new(format!("manca la colonna «{e}»"), format!("missing column «{e}»")));
                ok = false;
            }
            out.push(idx);
        }
        ok.then_some(out)
    }
}

pub fn column_letter(mut i: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (i % 26) as u8) as char);
        if i < 26 {
            return s;
        }
        i = i / 26 - 1;
    }
}

/// Reads CSV or XLSX by the file name's extension. All problems go to `findings`.
pub fn read_table(file: &str, bytes: &[u8], findings: &mut Findings) -> Option<Table> {
    if crate::intake::spreadsheet::is_workbook(file) { read_spreadsheet(file, bytes, findings) } else { read_csv(file, bytes, findings) }
}

fn decode<'b>(file: &str, bytes: &'b [u8], findings: &mut Findings) -> Option<Cow<'b, str>> {
    let fail = |findings: &mut Findings, it: &str, en: &str| {
        findings.error(file, None, None, Msg::new(it, en));
        None
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return fail(findings, "il file è vuoto", "the file is empty");
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return fail(findings, "codifica UTF-16 non supportata: salvare come CSV UTF-8", "UTF-16 is not supported: save as CSV UTF-8");
    }
    if bytes.contains(&0) {
        return fail(
            findings,
            "il file non è testo (contiene byte nulli): è un CSV?",
            "the file is not text (it holds NUL bytes): is it a CSV?",
        );
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(body) {
        return Some(Cow::Borrowed(text));
    }
    let (text, _, had_errors) = encoding_rs::WINDOWS_1252.decode(body);
    // Bytes 0x81, 0x8D, 0x8F, 0x90, 0x9D are unassigned in Windows-1252: their presence means the
    // file is in some other encoding, and guessing further would corrupt names silently.
    let unassigned = body.iter().any(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D));
    if had_errors || unassigned {
        return fail(
            findings,
            "codifica non riconosciuta: usare UTF-8 oppure Windows-1252",
            "unrecognised encoding: use UTF-8 or Windows-1252",
        );
    }
    Some(Cow::Owned(text.into_owned()))
}

fn read_csv(file: &str, bytes: &[u8], findings: &mut Findings) -> Option<Table> {
    let text = decode(file, bytes, findings)?;
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first_line.matches(';').count() >= first_line.matches(',').count() { b';' } else { b',' };
    let style = if delimiter == b';' { NumberStyle::Italian } else { NumberStyle::International };
    // The csv crate's own line counter skips blank lines; count newlines up to each record
    // instead, going forward only (records come in order), so nothing is kept per line.
    let mut lines = LineCounter::default();
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| lines.line_at(text.as_bytes(), p.byte()));
                findings.error(file, line, None, Msg::new(format!("CSV non leggibile: {e}"), format!("unreadable CSV: {e}")));
                return None;
            }
        }
        let line = record.position().map(|p| lines.line_at(text.as_bytes(), p.byte())).unwrap_or(0);
        if let Some(problem) = over_caps(record.as_byte_record(), header.as_deref()) {
            findings.error(file, Some(line), problem.0.as_deref(), problem.1);
            return None;
        }
        // `unquote`: the spreadsheet-safety quote of ambito's own exports (see `csv_safe`).
        let cells: Vec<String> = record.iter().map(|c| ambito_render::csv_safe::unquote(c).trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        match &header {
            None => header = Some(cells),
            Some(h) => {
                if cells.len() != h.len() {
                    findings.error(
                        file,
                        Some(line),
                        None,
                        Msg::new(
                            format!("la riga ha {} campi invece di {}: file troncato o separatore errato", cells.len(), h.len()),
                            format!("the row has {} fields instead of {}: truncated file or wrong delimiter", cells.len(), h.len()),
                        ),
                    );
                    continue;
                }
                rows.push((line, cells));
            }
        }
    }
    let Some(header) = header else {
        // Only blank cells (`;;;`, found by the `table` fuzz target): refused without a word before.
        findings.error(file, None, None, Msg::new("il file non ha righe con dei valori", "the file has no row with any value"));
        return None;
    };
    Some(Table { file: file.into(), header, rows, style })
}

/// A record over the caps on record length, columns and field length: where, and why.
pub(crate) fn over_caps(record: &csv::ByteRecord, header: Option<&[String]>) -> Option<(Option<String>, Msg)> {
    if record.as_slice().len() + record.len() > MAX_LINE_BYTES {
        return Some((None, line_too_long()));
    }
    if record.len() > MAX_COLUMNS {
        let n = record.len();
        return Some((
            None,
            Msg::new(
                format!("la riga ha {n} colonne (al massimo {MAX_COLUMNS}): separatore errato?"),
                format!("the row has {n} columns (at most {MAX_COLUMNS}): wrong delimiter?"),
            ),
        ));
    }
    // Windows-1252 has one byte a character; UTF-8 is counted as characters.
    let chars = |c: &[u8]| std::str::from_utf8(c).map_or(c.len(), |s| s.chars().count());
    let (i, _) = record.iter().enumerate().find(|(_, c)| c.len() > MAX_CELL_CHARS && chars(c) > MAX_CELL_CHARS)?;
    let column = header.and_then(|h| h.get(i)).filter(|h| !h.is_empty()).cloned().unwrap_or_else(|| column_letter(i));
    Some((
        Some(column),
        Msg::new(
            format!("il campo contiene più di {MAX_CELL_CHARS} caratteri"),
            format!("the field holds more than {MAX_CELL_CHARS} characters"),
        ),
    ))
}

pub(crate) fn line_too_long() -> Msg {
    let mib = MAX_LINE_BYTES >> 20;
    Msg::new(format!("riga più lunga di {mib} MiB: non è un CSV ordinario"), format!("a line longer than {mib} MiB: not an ordinary CSV"))
}

/// The 1-based line at a byte offset of the text, counted forward from the last offset asked.
#[derive(Default)]
struct LineCounter {
    at: usize,
    line: usize,
}

impl LineCounter {
    fn line_at(&mut self, text: &[u8], byte: u64) -> usize {
        // A record's position may point at the blank lines before it: skip them.
        let mut to = (byte as usize).min(text.len());
        while to < text.len() && matches!(text[to], b'\n' | b'\r') {
            to += 1;
        }
        if to > self.at {
            self.line += line_breaks(&text[self.at..to]);
            self.at = to;
        }
        self.line + 1
    }
}

/// Line ends in `bytes` as the csv reader sees them: `\n`, `\r\n` (one) or a lone `\r` (files
/// saved by old Mac programs). Counting only `\n` gave every row of such a file line 1 (found
/// by the `table` fuzz target). A `\r` at the very end counts: a `\n` after it is another slice.
pub(crate) fn line_breaks(bytes: &[u8]) -> usize {
    bytes.iter().enumerate().filter(|&(i, b)| *b == b'\n' || (*b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))).count()
}

fn read_spreadsheet(file: &str, bytes: &[u8], findings: &mut Findings) -> Option<Table> {
    let mut workbook = crate::intake::spreadsheet::Workbook::open(file, bytes, findings)?;
    let Some(first) = workbook.sheet_names().into_iter().next() else {
        findings.error(file, None, None, Msg::new("il foglio di calcolo non contiene fogli", "the workbook has no sheets"));
        return None;
    };
    let sheet = workbook.sheet(&first, file, findings)?;
    if sheet.header.is_empty() {
        findings.error(file, None, None, Msg::new("il foglio è vuoto", "the sheet is empty"));
        return None;
    }
    for line in &sheet.overflowing {
        findings.error(file, Some(*line), None, Msg::new("valori oltre l'ultima colonna", "values beyond the last column"));
    }
    let rows = sheet
        .rows
        .into_iter()
        .filter(|(line, _)| sheet.overflowing.binary_search(line).is_err())
        .map(|(line, cells)| (line, cells.into_iter().map(trimmed).collect()))
        .collect();
    Some(Table { file: file.into(), header: sheet.header, rows, style: NumberStyle::International })
}

/// The text without surrounding blanks, reusing its allocation when there are none.
fn trimmed(s: String) -> String {
    if s.trim().len() == s.len() { s } else { s.trim().to_string() }
}

/// Excel stores numbers as binary floats; print the shortest text that reads back the same
/// float, which is the decimal the user typed (15 significant digits at most).
/// A spreadsheet cell as the text an importer parses: whole numbers without a decimal point,
/// booleans as `si`/`no`, dates typed as dates as ISO dates (underneath they are serial numbers:
/// 45667 would be read as no date at all).
pub(crate) fn cell_text(c: &calamine::Data) -> String {
    use calamine::Data;
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => float_text(*f),
        Data::Int(n) => n.to_string(),
        Data::Bool(b) => {
            if *b {
                "si".into()
            } else {
                "no".into()
            }
        }
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, h, min, sec, _) = d.to_ymd_hms_milli();
            if (h, min, sec) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{day:02}")
            } else {
                format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}:{sec:02}")
            }
        }
        Data::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).to_string(),
        other => other.to_string(),
    }
}

fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    format!("{f}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_a_file_with_carriage_returns_only_have_their_own_lines() {
        let mut f = Findings::default();
        let t = read_table("x.csv", b"a;b\r1;2\r\r3;4\r", &mut f).expect("CR-only file");
        assert_eq!(t.rows.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 4]);
        let t = read_table("x.csv", b"a;b\r\n1;2\r\n3;4\n5;6\r7;8", &mut f).expect("mixed line ends");
        assert_eq!(t.rows.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 3, 4, 5]);
        assert!(!f.has_errors());
        assert_eq!(line_breaks(b"a\r\nb\rc\nd\r"), 4);
    }

    #[test]
    fn a_file_of_blank_cells_is_refused_with_a_reason() {
        for body in [&b";"[..], b";;\n;;\r\n", b" ; \n"] {
            let mut f = Findings::default();
            assert!(read_table("x.csv", body, &mut f).is_none());
            assert!(f.has_errors(), "{body:?} is refused with a reason");
        }
    }

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn windows_1252_and_bom() {
        let mut f = Findings::default();
        let t = read_table("x.csv", b"\xEF\xBB\xBFa;b\n1;Citt\xC3\xA0\n", &mut f).expect("utf8");
        assert_eq!(t.rows[0].1[1], "Città");
        let t = read_table("x.csv", b"a;b\n1;Citt\xE0\n", &mut f).expect("cp1252");
        assert_eq!(t.rows[0].1[1], "Città");
        assert!(!f.has_errors());
        assert!(read_table("x.csv", b"a;b\n1;\x81\xFF\n", &mut f).is_none());
        assert!(f.has_errors());
    }

    #[test]
    fn delimiter_and_style() {
        let mut f = Findings::default();
        let t = read_table("x.csv", b"a,b\n1.5,2\n", &mut f).expect("comma");
        assert_eq!(t.style, NumberStyle::International);
        assert_eq!(t.rows[0], (2, vec!["1.5".to_string(), "2".to_string()]));
        let t = read_table("x.csv", b"a;b\n\n1,5;2\n", &mut f).expect("semicolon");
        assert_eq!(t.style, NumberStyle::Italian);
        assert_eq!(t.rows[0].0, 3, "line numbers count blank lines");
    }

    #[test]
    fn truncated_and_empty() {
        let mut f = Findings::default();
        let t = read_table("x.csv", b"a;b;c\n1;2;3\n4;5", &mut f).expect("table");
        assert_eq!(t.rows.len(), 1);
        assert_eq!(f.errors[0].line, Some(3));
        let mut f = Findings::default();
        assert!(read_table("x.csv", b"  \n", &mut f).is_none());
        assert!(f.errors[0].message.en.contains("empty"));
    }

    #[test]
    fn csv_over_the_caps_is_refused_at_its_line() {
        use crate::limits::{MAX_CELL_CHARS, MAX_COLUMNS};
        let refused = |bytes: &[u8]| {
            let mut f = Findings::default();
            assert!(read_table("x.csv", bytes, &mut f).is_none(), "read");
            f.errors.iter().map(|e| e.render(crate::problems::Lang::En)).collect::<Vec<_>>().join("\n")
        };
        // The penetration test's 2 MB file with a million columns took 1.5 GB.
        let wide = format!("{}\n", "a;".repeat(1_000_000));
        assert!(refused(wide.as_bytes()).contains("x.csv:1: a line longer than 1 MiB"));
        let wide = format!("a;b\n1;2\n{}\n", ";".repeat(MAX_COLUMNS));
        assert_eq!(
            refused(wide.as_bytes()),
            format!("x.csv:3: the row has {} columns (at most {MAX_COLUMNS}): wrong delimiter?", MAX_COLUMNS + 1)
        );
        let long = format!("a;nome\n1;{}\n", "è".repeat(MAX_CELL_CHARS + 1));
        assert_eq!(refused(long.as_bytes()), format!("x.csv:2:nome: the field holds more than {MAX_CELL_CHARS} characters"));
        let mut f = Findings::default();
        let at_caps = format!("a;nome\n1;{}\n", "è".repeat(MAX_CELL_CHARS));
        assert_eq!(read_table("x.csv", at_caps.as_bytes(), &mut f).expect("at the caps").rows.len(), 1);
    }

    #[test]
    fn header_checks() {
        let mut f = Findings::default();
        let t = read_table("x.csv", b"a;zz;a\n1;2;3\n", &mut f).expect("table");
        assert!(t.columns(&["a", "b"], &[], &mut f).is_none());
        let msgs: Vec<&str> = f.errors.iter().map(|e| e.message.en.as_str()).collect();
        assert!(msgs.iter().any(|m| m.contains("unknown column «zz»")));
        assert!(msgs.iter().any(|m| m.contains("appears twice")));
        assert!(msgs.iter().any(|m| m.contains("missing column «b»")));
    }
}
