//! Arbitrary bytes as one notes file, through the library as `ingest` sends a file — `corpus::load` →
//! `document::parse` → `Extractor::extract` → `rdf::encode` — checked against the invariants the property
//! tests hold (`tests/common/invariants.rs`): no panic, every evidence literal verbatim in the line its
//! stance node names, every IRI valid and absolute with no blank nodes, one node per talk, and a Turtle
//! and TriG round trip to the same quads.
//!
//! Run from the repository root: `RUSTC_BOOTSTRAP=1 cargo fuzz run -s none markdown_to_quads` (see the
//! README's "Robustness and fuzzing").

#![no_main]

#[path = "../../tests/common/invariants.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let extractor = talkgraph::commands::extractor().expect("the built-in ontology loads");
    if let Err(broken) = invariants::check_notes(bytes, extractor) {
        panic!("{broken}");
    }
});
