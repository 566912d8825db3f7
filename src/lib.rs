//! talkgraph: conference notes in Markdown (Russian and English, any author's layout) into an RDF
//! knowledge graph of talks, speakers, organizations, technologies and stances, every fact traced to the
//! line of the notes it came from.
//!
//! The pipeline is a chain of pure stages, each a module with one typed input and one typed output:
//!
//! ```text
//! corpus (files) → document (talks, sections, lines, spans) → extract (speakers, mentions, stances,
//! evidence) → rdf (quads, one named graph per notes file) → store (Oxigraph) → sparql / export
//! ```
//!
//! `pipeline` is the one owner of "a notes file becomes its quads" (document → extract → rdf); the store,
//! `eval`, `candidates`, the examples and the tests all go through it.
//! `ontology` reads `ontology/*.ttl`, the single source of vocabulary, names, aliases and cue words;
//! `text` holds the word-level tools (normalisation, tokens, stemming, slugs) every stage shares, and
//! `vocab` the namespaces and terms: both are leaves that import nothing of the crate.
//! `commands` and `cli` are the thin impure layer on top; `serve` is the HTTP server one of them runs, and
//! `lookup` finds entities by any of their names for it and for the canned queries' "did you mean".

pub mod answers;
pub mod cli;
pub mod commands;
pub mod corpus;
pub mod document;
pub mod eval;
pub mod extract;
pub mod http;
pub mod lookup;
pub mod ontology;
pub mod pipeline;
pub mod project;
pub mod push;
pub mod radar;
pub mod rdf;
pub mod remote;
pub mod serve;
pub mod sparql;
pub mod store;
pub mod text;
pub mod vocab;
