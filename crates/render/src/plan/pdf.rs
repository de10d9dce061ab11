//! A plan document as an A4 PDF through Typst: the blocks are passed as JSON in
//! `sys.inputs.data`, so user text is data and never markup.

use super::Doc;
use crate::RenderError;
use crate::pdf::{FONTS, diagnostics, typst_error};
use std::sync::OnceLock;
use typst::foundations::{Dict, IntoValue, Smart};
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};

static TEMPLATE: &str = include_str!("../../templates/plan.typ");

fn engine() -> &'static TypstEngine<TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| TypstEngine::builder().main_file(TEMPLATE).fonts(FONTS).build())
}

pub fn doc_pdf(doc: &Doc) -> Result<Vec<u8>, RenderError> {
    let data = serde_json::to_string(doc)?;
    let mut inputs = Dict::new();
    inputs.insert("data".into(), data.into_value());
    let compiled = engine().compile_with_input(inputs).output.map_err(typst_error)?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(format!("ambito-{}-{}", doc.ambito, doc.title)),
        creator: Smart::Custom(Some("ambito".into())),
        ..Default::default()
    };
    typst_pdf::pdf(&compiled, &options).map_err(|d| RenderError::Pdf(diagnostics(&d)))
}
