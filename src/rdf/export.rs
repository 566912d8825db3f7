//! Serialising the store: all notes graphs (and the ontology graph unless left out), streamed graph by
//! graph in sorted order so that the same notes always give byte-identical output, with the talkgraph
//! prefixes declared. Formats without named graphs get the union of the graphs, each triple once.

use crate::vocab::{META_GRAPH, ONTOLOGY_GRAPH, PREFIXES, SCHEMA_GRAPH, id};
use anyhow::Result;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedOrBlankNode, Quad};
use oxigraph::store::Store;
use rayon::prelude::*;
use std::hash::{Hash, Hasher};
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

/// Graphs read ahead at once, in parallel, while the previous ones are written.
const READ_AHEAD: usize = 16;

/// Writes the store in `format`, one graph at a time in graph-name order, each graph's triples sorted:
/// memory holds a few graphs, never the whole store. Graphs are read from the store (decoding terms is
/// most of an export's work) and sorted on all cores while this thread writes the ones before them.
/// Formats without named graphs write each triple once.
pub fn write(store: &Store, format: RdfFormat, scope: Scope, out: &mut dyn Write) -> Result<()> {
    let graphs = export_graphs(store, scope)?;
    let mut serializer = RdfSerializer::from_format(format);
    for ns in PREFIXES {
        serializer = serializer.with_prefix(ns.prefix, ns.base)?;
    }
    let mut writer = serializer.for_writer(out);
    let mut written = SharedTriples::default();
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<Quad>>>(READ_AHEAD);
        scope.spawn(move || {
            for window in graphs.chunks(READ_AHEAD) {
                let read: Vec<Result<Vec<Quad>>> = window.par_iter().map(|g| sorted_quads(store, g)).collect();
                for quads in read {
                    if tx.send(quads).is_err() {
                        return;
                    }
                }
            }
        });
        for quads in rx {
            for mut q in quads? {
                if !format.supports_datasets() {
                    if !written.first_time(&q) {
                        continue;
                    }
                    q.graph_name = GraphName::DefaultGraph;
                }
                writer.serialize_quad(&q)?;
            }
        }
        Ok::<_, anyhow::Error>(())
    })?;
    writer.finish()?;
    Ok(())
}

/// The graphs an export of `scope` writes, in the order it writes them: the default graph, then the named
/// graphs by name.
pub fn export_graphs(store: &Store, scope: Scope) -> Result<Vec<GraphName>> {
    let mut graphs: Vec<GraphName> = vec![GraphName::DefaultGraph];
    let mut named: Vec<NamedOrBlankNode> =
        store.named_graphs().filter(|g| g.as_ref().map_or(true, |g| keep(g, scope))).collect::<Result<_, _>>()?;
    named.sort_by_cached_key(ToString::to_string);
    graphs.extend(named.into_iter().map(GraphName::from));
    Ok(graphs)
}

/// One graph's quads, sorted by subject, predicate and object as N-Triples text.
pub fn sorted_quads(store: &Store, graph: &GraphName) -> Result<Vec<Quad>> {
    let mut quads: Vec<Quad> =
        store.quads_for_pattern(None, None, None, Some(graph.as_ref())).collect::<Result<_, _>>()?;
    quads.sort_by_cached_key(|q| (q.subject.to_string(), q.predicate.to_string(), q.object.to_string()));
    Ok(quads)
}

/// The triples already written that another graph may repeat (descriptions of technologies,
/// organizations and people), as 128-bit hashes; talks, stance nodes and notes-file nodes belong to one
/// graph and are not tracked, which keeps this set small.
#[derive(Default)]
struct SharedTriples(rustc_hash::FxHashSet<u128>);

impl SharedTriples {
    fn first_time(&mut self, q: &Quad) -> bool {
        let subject = match &q.subject {
            NamedOrBlankNode::NamedNode(n) => n.as_str(),
            NamedOrBlankNode::BlankNode(_) => "",
        };
        if [id::TALK, id::STANCE, id::NOTES].iter().any(|ns| subject.starts_with(ns.base)) {
            return true;
        }
        let hash = |salt: u8| {
            let mut h = std::hash::DefaultHasher::new();
            salt.hash(&mut h);
            (&q.subject, &q.predicate, &q.object).hash(&mut h);
            h.finish()
        };
        self.0.insert((u128::from(hash(1)) << 64) | u128::from(hash(2)))
    }
}

fn keep(graph: &NamedOrBlankNode, scope: Scope) -> bool {
    match graph {
        NamedOrBlankNode::NamedNode(n) if n.as_str() == META_GRAPH => false,
        NamedOrBlankNode::NamedNode(n) if n.as_str() == SCHEMA_GRAPH => scope != Scope::None,
        NamedOrBlankNode::NamedNode(n) if n.as_str().starts_with(ONTOLOGY_GRAPH) => scope == Scope::All,
        _ => true,
    }
}
