//! RDF: the vocabulary constants, IRI minting, and the encoding of an [`Extraction`] into the quads of
//! one named graph per notes file.
//!
//! [`Extraction`]: crate::extract::Extraction

pub mod encode;
pub mod export;
pub mod iri;
pub mod vocab;

pub use encode::{FileInfo, GraphEncoder, encode};
