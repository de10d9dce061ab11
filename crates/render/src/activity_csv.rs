//! The activity file as ambito exports it (CRLF, `;`, Italian numbers): the import contract, so
//! that what ambito holds can be taken out and put back unchanged.

use crate::RenderError;
use crate::csv_safe::CsvOut;
use ambito_domain::activity::{ActivityLine, COLUMNS, Target};
use ambito_domain::format::it_number;
use ambito_domain::measures::Measure;

/// Counts as integers, hours with the digits they were recorded with, a zero budget as `-` (the
/// offices' convention for "nothing spent", which the importer reads back as zero).
pub fn activity(lines: &[ActivityLine]) -> Result<Vec<u8>, RenderError> {
    let mut w = CsvOut::crlf();
    w.record(COLUMNS)?;
    for l in lines {
        let mut record =
            vec![l.year.to_string(), l.area.clone(), l.code.clone(), l.name.clone(), l.parent_code.clone().unwrap_or_default()];
        for m in Measure::ALL {
            record.push(match l.measures.get(m) {
                None => String::new(),
                Some(v) if m.is_count() => v.normalize().to_string(),
                Some(v) => {
                    let v = v.normalize();
                    it_number(v, v.scale())
                }
            });
        }
        record.push(l.indicator.clone().unwrap_or_default());
        record.push(match &l.target {
            None => String::new(),
            Some(Target::Named(name)) => name.clone(),
            Some(Target::Value(v)) => it_number(*v, v.scale()),
        });
        record.push(match l.budget {
            None => String::new(),
            Some(c) if c.is_zero() => "-".into(),
            Some(c) => it_number(c, 2),
        });
        w.record(&record)?;
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ambito_domain::measures::Measures;
    use rust_decimal::Decimal;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn blanks_stay_blank_and_numbers_keep_their_digits() {
        let line = ActivityLine {
            year: 2025,
            area: "Anziani".into(),
            code: "SAD".into(),
            name: "Assistenza domiciliare".into(),
            parent_code: None,
            measures: Measures([Some(d("12")), None, Some(d("0")), Some(d("1234.5")), None, None]),
            indicator: None,
            target: Some(Target::Value(d("950"))),
            budget: Some(d("0")),
        };
        let text = String::from_utf8(activity(&[line]).unwrap()).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], COLUMNS.join(";"));
        assert_eq!(lines[1], "2025;Anziani;SAD;Assistenza domiciliare;;12;;0;1.234,5;;;;950;-");
    }
}
