//! Serialising the store: all notes graphs (and the ontology graph unless left out), sorted so that the
//! same notes always give byte-identical output, with the talkgraph prefixes declared. Formats without
//! named graphs get the union of the graphs, each triple once.

use super::vocab::{META_GRAPH, ONTOLOGY_GRAPH, PREFIXES, SCHEMA_GRAPH};
use anyhow::Result;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, Quad};
use oxigraph::store::Store;
use std::io::Write;

/// Which ontology graphs an export carries besides the notes graphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scope {
    /// The notes graphs only.
    None,
    /// Plus the vocabulary schema (classes and properties with their labels).
    Schema,
    /// Plus every ontology file: all technologies, organizations, cue words and structural words.
    All,
}

/// Writes the store in `format`.
pub fn write(store: &Store, format: RdfFormat, scope: Scope, out: &mut dyn Write) -> Result<()> {
    let mut quads: Vec<Quad> =
        store.iter().filter(|q| q.as_ref().map_or(true, |q| keep(&q.graph_name, scope))).collect::<Result<_, _>>()?;
    if !format.supports_datasets() {
        for q in &mut quads {
            q.graph_name = GraphName::DefaultGraph;
        }
    }
    quads.sort_by_cached_key(|q| {
        (q.graph_name.to_string(), q.subject.to_string(), q.predicate.to_string(), q.object.to_string())
    });
    quads.dedup();
    let mut serializer = RdfSerializer::from_format(format);
    for ns in PREFIXES {
        serializer = serializer.with_prefix(ns.prefix, ns.base)?;
    }
    let mut writer = serializer.for_writer(out);
    for q in &quads {
        writer.serialize_quad(q)?;
    }
    writer.finish()?;
    Ok(())
}

fn keep(graph: &GraphName, scope: Scope) -> bool {
    match graph {
        GraphName::NamedNode(n) if n.as_str() == META_GRAPH => false,
        GraphName::NamedNode(n) if n.as_str() == SCHEMA_GRAPH => scope != Scope::None,
        GraphName::NamedNode(n) if n.as_str().starts_with(ONTOLOGY_GRAPH) => scope == Scope::All,
        _ => true,
    }
}
