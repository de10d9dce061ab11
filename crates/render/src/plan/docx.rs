//! A document as DOCX (Office Open XML, WordprocessingML), written by hand into a zip: people
//! edit plans in a word processor, and this needs no office suite installed. Parts: content
//! types, package relationships, core properties, styles and the document body. Charts become
//! their text alternative (the figures are in the tables next to them).

use super::{Block, Doc};
use crate::RenderError;
use std::io::Write;
use zip::write::SimpleFileOptions;

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// Runs of text; a line break in the text becomes `<w:br/>`.
fn runs(text: &str, bold: bool) -> String {
    let rpr = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
    text.split('\n')
        .enumerate()
        .map(|(i, line)| {
            format!("{}<w:r>{rpr}<w:t xml:space=\"preserve\">{}</w:t></w:r>", if i > 0 { "<w:r><w:br/></w:r>" } else { "" }, esc(line))
        })
        .collect()
}

fn para(style: Option<&str>, text: &str, bold: bool) -> String {
    let ppr = style.map(|s| format!("<w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>")).unwrap_or_default();
    format!("<w:p>{ppr}{}</w:p>", runs(text, bold))
}

/// A table at full width (5000 fiftieths of a percent), widths relative.
fn table(header: Option<&[String]>, rows: &[Vec<String>], widths: &[u32], label_column: bool) -> String {
    let total: u32 = widths.iter().sum::<u32>().max(1);
    let grid: String = widths.iter().map(|w| format!("<w:gridCol w:w=\"{}\"/>", 9600 * w / total)).collect();
    let cell = |text: &str, width: u32, header: bool, shade: bool| {
        let fill = if header {
            "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"0066CC\"/>"
        } else if shade {
            "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E6F0FA\"/>"
        } else {
            ""
        };
        let text_runs = if header {
            text.split('\n')
                .map(|l| format!("<w:r><w:rPr><w:b/><w:color w:val=\"FFFFFF\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(l)))
                .collect::<String>()
        } else {
            runs(text, shade)
        };
        format!("<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"pct\"/>{fill}</w:tcPr><w:p>{text_runs}</w:p></w:tc>", 5000 * width / total)
    };
    let mut out = format!(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"Tabella\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders>\
         <w:top w:val=\"single\" w:sz=\"4\" w:color=\"C5C7C9\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:color=\"C5C7C9\"/>\
         <w:insideH w:val=\"single\" w:sz=\"4\" w:color=\"C5C7C9\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:color=\"C5C7C9\"/>\
         </w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
    );
    if let Some(h) = header {
        out.push_str("<w:tr><w:trPr><w:tblHeader/></w:trPr>");
        for (i, t) in h.iter().enumerate() {
            out.push_str(&cell(t, widths.get(i).copied().unwrap_or(1), true, false));
        }
        out.push_str("</w:tr>");
    }
    for r in rows {
        out.push_str("<w:tr>");
        for (i, t) in r.iter().enumerate() {
            out.push_str(&cell(t, widths.get(i).copied().unwrap_or(1), false, label_column && i == 0));
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    // Word needs a paragraph between two tables, or it merges them.
    out.push_str("<w:p/>");
    out
}

/// The `word/document.xml` part.
pub(crate) fn document_xml(doc: &Doc) -> String {
    let mut body = String::new();
    body.push_str(&para(Some("Sottotitolo"), &doc.ambito, false));
    body.push_str(&para(Some("Titolo"), &doc.title, false));
    if !doc.subtitle.is_empty() {
        body.push_str(&para(Some("Sottotitolo"), &doc.subtitle, false));
    }
    for b in &doc.blocks {
        match b {
            Block::Heading { level, text } => body.push_str(&para(Some(&format!("Titolo{}", level.clamp(&1, &3))), text, false)),
            Block::Paragraph { text } => body.push_str(&para(None, text, false)),
            Block::Fields { rows } => {
                let rows: Vec<Vec<String>> = rows.iter().map(|(l, v)| vec![l.clone(), v.clone()]).collect();
                body.push_str(&table(None, &rows, &[32, 68], true));
            }
            Block::Table { header, rows, widths } => body.push_str(&table(Some(header), rows, widths, false)),
            Block::Chart { alt, .. } => body.push_str(&para(None, &format!("[Grafico] {alt}"), false)),
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}\
         <w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1247\" w:right=\"1021\" w:bottom=\"1247\" w:left=\"1021\" \
         w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
</Types>";

const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
</Relationships>";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
</Relationships>";

const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Titillium Web\" w:hAnsi=\"Titillium Web\" w:cs=\"Titillium Web\"/>\
<w:sz w:val=\"20\"/><w:lang w:val=\"it-IT\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"120\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normale\"><w:name w:val=\"Normal\"/></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Titolo\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normale\"/><w:rPr><w:b/><w:color w:val=\"0066CC\"/><w:sz w:val=\"44\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Sottotitolo\"><w:name w:val=\"Subtitle\"/><w:basedOn w:val=\"Normale\"/><w:rPr><w:color w:val=\"5C6F82\"/><w:sz w:val=\"24\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Titolo1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normale\"/><w:next w:val=\"Normale\"/><w:pPr><w:keepNext/><w:pageBreakBefore/><w:spacing w:before=\"240\" w:after=\"160\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"0066CC\"/><w:sz w:val=\"32\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Titolo2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normale\"/><w:next w:val=\"Normale\"/><w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:b/><w:color w:val=\"0066CC\"/><w:sz w:val=\"26\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Titolo3\"><w:name w:val=\"heading 3\"/><w:basedOn w:val=\"Normale\"/><w:next w:val=\"Normale\"/><w:pPr><w:keepNext/><w:outlineLvl w:val=\"2\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"22\"/></w:rPr></w:style>\
<w:style w:type=\"table\" w:styleId=\"Tabella\"><w:name w:val=\"Table Grid\"/><w:tblPr><w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
</w:styles>";

fn core_xml(doc: &Doc) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>it-IT</dc:language></cp:coreProperties>",
        esc(&doc.title),
        esc(&doc.ambito)
    )
}

pub fn doc_docx(doc: &Doc) -> Result<Vec<u8>, RenderError> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let document = document_xml(doc);
        let core = core_xml(doc);
        for (name, body) in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", PACKAGE_RELS),
            ("docProps/core.xml", core.as_str()),
            ("word/_rels/document.xml.rels", DOCUMENT_RELS),
            ("word/styles.xml", STYLES),
            ("word/document.xml", document.as_str()),
        ] {
            zip.start_file(name, opts).map_err(|e| RenderError::Docx(e.to_string()))?;
            zip.write_all(body.as_bytes()).map_err(|e| RenderError::Docx(e.to_string()))?;
        }
        zip.finish().map_err(|e| RenderError::Docx(e.to_string()))?;
    }
    Ok(buf.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_lines_break() {
        let doc = Doc {
            title: "Piano <2021>".into(),
            subtitle: String::new(),
            ambito: "A & B".into(),
            blocks: vec![Block::Paragraph { text: "uno\ndue".into() }],
        };
        let xml = document_xml(&doc);
        assert!(xml.contains("Piano &lt;2021&gt;"));
        assert!(xml.contains("A &amp; B"));
        assert!(xml.contains("uno</w:t></w:r><w:r><w:br/></w:r><w:r><w:t xml:space=\"preserve\">due"));
    }
}
