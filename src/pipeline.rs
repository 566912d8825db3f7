//! The one owner of "a notes file becomes its quads": a loaded file is parsed into its document (the
//! structure that carries its talks, decided there), each talk's facts are extracted, and the facts are
//! encoded as quads of the file's named graph, with the diagnostics found on the way.
//!
//! Every consumer goes through here — the store's sync, `eval`, `candidates`, the examples, the property
//! tests and the fuzz target — so that what one measures is what the store holds. A huge file streams:
//! talks are encoded one at a time and handed on in parts, never all held at once.

use crate::corpus::LoadedFile;
use crate::document::{self, NoteDocument};
use crate::extract::{Diagnostic, Extraction, Extractor};
use crate::rdf::{self, FileInfo};
use oxigraph::model::Quad;

/// How many quads a huge file's encoder holds before handing them on.
pub const PART_QUADS: usize = 50_000;

/// The document of a loaded file: its talks found from the structure it has.
pub fn document(loaded: LoadedFile, extractor: &Extractor) -> NoteDocument {
    document::parse(loaded.source, extractor)
}

/// The facts of a loaded file: document, then extraction.
pub fn extraction(loaded: LoadedFile, extractor: &Extractor) -> Extraction {
    extractor.extract(&document(loaded, extractor))
}

/// The quads and diagnostics of one file: parse → extract → encode.
pub fn file_quads(loaded: &LoadedFile, extractor: &Extractor) -> (Vec<Quad>, Vec<Diagnostic>) {
    let mut quads = Vec::new();
    let (rest, diagnostics) = file_quads_in_parts(loaded.clone(), extractor, &mut |part| quads.extend(part));
    quads.extend(rest);
    (quads, diagnostics)
}

/// The quads and diagnostics of one file, talk by talk: parse → extract → encode. Quads go to `part`
/// [`PART_QUADS`] or more at a time while the file is encoded; the last ones are returned.
pub fn file_quads_in_parts(
    loaded: LoadedFile,
    extractor: &Extractor,
    part: &mut dyn FnMut(Vec<Quad>),
) -> (Vec<Quad>, Vec<Diagnostic>) {
    let info = FileInfo { path: loaded.source.path.clone(), sha256: loaded.sha256.clone() };
    let doc = document(loaded, extractor);
    let (event, event_date) = extractor.event(&doc);
    let mut encoder = rdf::GraphEncoder::new(&info, event.as_deref(), event_date.as_deref(), extractor.ontology());
    let diagnostics = extractor.extract_talks(&doc, &mut |talk| {
        encoder.talk(&talk);
        if encoder.pending() >= PART_QUADS {
            part(encoder.take());
        }
    });
    (encoder.take(), diagnostics)
}
