//! RDF: IRI minting, and the encoding of an [`Extraction`] into the quads of one named graph per notes
//! file. The vocabulary constants live in the leaf module [`crate::vocab`].
//!
//! [`Extraction`]: crate::extract::Extraction

pub mod encode;
pub mod export;
pub mod iri;
pub mod jsonld;

pub use encode::{FileInfo, GraphEncoder, encode};
