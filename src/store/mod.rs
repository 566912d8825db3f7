//! The Oxigraph store: opening it (on disk or in memory, or a read snapshot of it while another process
//! writes it), reading what it was built from, and keeping it at this build's ontology version. Bringing
//! it up to date with notes files is `sync`; read snapshots are `snapshot`.
//!
//! The store describes itself: each file's graph holds its `tg:NotesFile` node with path and SHA-256, and
//! the meta graph holds the talkgraph and ontology versions and the corpus roots it was built from.

use crate::vocab::{META_GRAPH, TG, ontology_graph};
use anyhow::Result;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use oxigraph::store::Store;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod snapshot;
mod sync;

pub use snapshot::{ReadStore, has_snapshot, open_snapshot, refresh_snapshot};
pub use sync::{SyncOptions, SyncPlan, SyncReport, apply, plan};

/// Where the store lives.
#[derive(Debug, Clone)]
pub enum Location {
    /// A RocksDB folder.
    Disk(PathBuf),
    /// A throwaway store in memory.
    Memory,
}

/// What a command mostly does with the store; decides how many table files RocksDB keeps open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// Bulk writing: every table file open at once.
    Ingest,
    /// Reading (after a sync that usually changes nothing): tables opened as queries need them, so that
    /// opening the store does not load the index of every table file first.
    Read,
}

/// Table files a reading command may open beyond those the store has; RocksDB preloads a quarter of the
/// limit on open.
#[cfg(feature = "rocksdb")]
const READ_OPEN_FILES: u32 = 32;

/// The open-file limit of a reading command: every table file of the store fits, so none is ever closed
/// and reopened (a 100k-talk store has 100+ table files; with a limit of 32 an export reopened a table,
/// reading its index and filter, on most lookups and ran 5× slower), while opening still preloads only a
/// quarter of them.
#[cfg(feature = "rocksdb")]
fn read_open_files(dir: &Path) -> u32 {
    let tables = std::fs::read_dir(dir)
        .map(|entries| {
            entries.filter_map(Result::ok).filter(|e| e.path().extension().is_some_and(|x| x == "sst")).count()
        })
        .unwrap_or(0);
    u32::try_from(tables).unwrap_or(u32::MAX).saturating_add(READ_OPEN_FILES)
}

/// Opens the store.
pub fn open(location: &Location, workload: Workload) -> Result<Store> {
    match location {
        Location::Memory => Ok(Store::new()?),
        Location::Disk(dir) => {
            if dir.exists() && !looks_like_store(dir) {
                return Err(NotAStore(dir.clone()).into());
            }
            open_disk(dir, workload)
        }
    }
}

/// The folder given as the store holds something else; it is never written into.
#[derive(Debug, thiserror::Error)]
#[error("{} exists but is not a talkgraph store; refusing to write into it", .0.display())]
pub struct NotAStore(pub PathBuf);

/// Another process (an ingest) holds the store's write lock.
#[derive(Debug, thiserror::Error)]
#[error("store {} is in use by another talkgraph process", .0.display())]
pub struct StoreInUse(pub PathBuf);

/// Opens (or creates) the RocksDB store in `dir`.
#[cfg(feature = "rocksdb")]
fn open_disk(dir: &Path, workload: Workload) -> Result<Store> {
    let store = match workload {
        Workload::Ingest => Store::open(dir),
        Workload::Read => {
            let limit = read_open_files(dir);
            Store::open_with_options(dir, oxigraph::store::StoreOptions::default().with_max_open_files(limit))
        }
    };
    store.map_err(|e| store_open_error(dir, e))
}

/// Built without RocksDB (as the fuzz target is), only in-memory stores exist.
#[cfg(not(feature = "rocksdb"))]
fn open_disk(dir: &Path, _workload: Workload) -> Result<Store> {
    anyhow::bail!("cannot open store {}: talkgraph was built without the rocksdb feature; use --memory", dir.display())
}

#[cfg(feature = "rocksdb")]
fn store_open_error(dir: &Path, e: oxigraph::store::StorageError) -> anyhow::Error {
    let text = e.to_string();
    if text.contains("lock") || text.contains("Resource temporarily unavailable") {
        StoreInUse(dir.to_path_buf()).into()
    } else {
        anyhow::anyhow!("cannot open store {}: {text}", dir.display())
    }
}

/// An existing folder may be used only if it is empty or holds a RocksDB store (`CURRENT`), or one whose
/// creation was cut short (RocksDB takes its `LOCK` before it writes `CURRENT`).
fn looks_like_store(dir: &Path) -> bool {
    let empty = std::fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
    empty || dir.join("CURRENT").exists() || dir.join("LOCK").exists()
}

/// Paths and hashes of the files the store holds, by relative path: each notes graph's `tg:NotesFile`
/// node, read by index lookups (a canned query asks for it on every call).
pub fn manifest(store: &Store) -> Result<BTreeMap<String, (String, String)>> {
    let paths = own_values(store, "path")?;
    let shas = own_values(store, "sha256")?;
    let notes_file = NamedNode::new_unchecked(TG.iri("NotesFile"));
    let mut typed = std::collections::HashSet::new();
    for quad in store.quads_for_pattern(None, Some(rdf::TYPE), Some(notes_file.as_ref().into()), None) {
        let quad = quad?;
        if let (NamedOrBlankNode::NamedNode(subject), GraphName::NamedNode(graph)) = (&quad.subject, &quad.graph_name)
            && subject == graph
        {
            typed.insert(graph.as_str().to_string());
        }
    }
    let mut out = BTreeMap::new();
    for (graph, path) in paths {
        if let Some(sha) = shas.get(&graph).filter(|_| typed.contains(&graph)) {
            out.insert(path, (graph, sha.clone()));
        }
    }
    Ok(out)
}

/// The values of `tg:<local>` that each named graph states about its own name, by graph.
fn own_values(store: &Store, local: &str) -> Result<std::collections::HashMap<String, String>> {
    let predicate = NamedNode::new_unchecked(TG.iri(local));
    let mut out = std::collections::HashMap::new();
    for quad in store.quads_for_pattern(None, Some(predicate.as_ref()), None, None) {
        let quad = quad?;
        if let (NamedOrBlankNode::NamedNode(subject), GraphName::NamedNode(graph)) = (&quad.subject, &quad.graph_name)
            && subject == graph
        {
            let value = match &quad.object {
                Term::Literal(l) => l.value().to_string(),
                Term::NamedNode(n) => n.as_str().to_string(),
                _ => String::new(),
            };
            out.insert(graph.as_str().to_string(), value);
        }
    }
    Ok(out)
}

/// A value the meta graph records.
pub fn meta(store: &Store, key: &str) -> Result<Option<String>> {
    let subject = NamedNode::new_unchecked(META_GRAPH);
    let predicate = NamedNode::new_unchecked(TG.iri(key));
    let graph = NamedNodeRef::new_unchecked(META_GRAPH);
    let found = store
        .quads_for_pattern(Some(subject.as_ref().into()), Some(predicate.as_ref()), None, Some(graph.into()))
        .next()
        .transpose()?;
    Ok(found.and_then(|q| match q.object {
        Term::Literal(l) => Some(l.value().to_string()),
        _ => None,
    }))
}

fn set_meta(tx: &mut oxigraph::store::Transaction<'_>, store: &Store, key: &str, value: &str) -> Result<()> {
    let subject = NamedNode::new_unchecked(META_GRAPH);
    let predicate = NamedNode::new_unchecked(TG.iri(key));
    let graph = GraphName::NamedNode(NamedNode::new_unchecked(META_GRAPH));
    let old: Vec<Quad> = store
        .quads_for_pattern(Some(subject.as_ref().into()), Some(predicate.as_ref()), None, Some(graph.as_ref()))
        .collect::<Result<_, _>>()?;
    for q in &old {
        tx.remove(q);
    }
    tx.insert(&Quad::new(subject, predicate, Literal::new_simple_literal(value), graph));
    Ok(())
}

/// A fingerprint of the code and ontology this binary was built from.
pub const BUILD: &str = env!("TALKGRAPH_FINGERPRINT");

/// True when the store was built by this talkgraph build and ontology version.
pub fn built_by_this_version(store: &Store) -> Result<bool> {
    let same_ontology = meta(store, "ontologyVersion")?.as_deref() == Some(crate::ontology::version().as_str());
    Ok(same_ontology && meta(store, "talkgraphVersion")?.as_deref() == Some(BUILD))
}

/// Starts the store over with this version's ontology graph: a store built by another talkgraph or
/// ontology version loses its notes graphs too, so every file is extracted again by this version (the
/// notes are the source of truth). The corpus roots it followed are kept.
pub(crate) fn reload_ontology(store: &Store, ontology: &crate::ontology::Ontology) -> Result<()> {
    let roots = roots(store)?;
    store.clear()?;
    let mut tx = store.start_transaction()?;
    for (file, quads) in &ontology.files {
        let graph = GraphName::NamedNode(NamedNode::new(ontology_graph(file))?);
        for q in quads {
            tx.insert(&Quad::new(q.subject.clone(), q.predicate.clone(), q.object.clone(), graph.clone()));
        }
    }
    let keys = GraphName::NamedNode(NamedNode::new(ontology_graph("keys"))?);
    for q in lookup_keys(ontology) {
        tx.insert(&Quad::new(q.subject, q.predicate, q.object, keys.clone()));
    }
    set_meta(&mut tx, store, "ontologyVersion", &ontology.version)?;
    set_meta(&mut tx, store, "talkgraphVersion", BUILD)?;
    tx.commit()?;
    if let Some(roots) = roots {
        set_roots(store, &roots)?;
    }
    Ok(())
}

/// `tg:lookupKey` triples: every label of every technology and organization in lower case, so a query
/// finds a concept by any of its names through an index instead of scanning labels.
fn lookup_keys(ontology: &crate::ontology::Ontology) -> Vec<oxigraph::model::Triple> {
    let key = NamedNode::new_unchecked(TG.iri("lookupKey"));
    let mut out = Vec::new();
    for c in ontology.technologies.iter().chain(&ontology.organizations) {
        let labels: std::collections::BTreeSet<String> =
            c.labels.iter().chain(&c.exact).chain(&c.ambiguous).map(|l| crate::text::normalize(l.trim())).collect();
        for l in labels {
            out.push(oxigraph::model::Triple::new(
                NamedNode::new_unchecked(&c.iri),
                key.clone(),
                Literal::new_simple_literal(l),
            ));
        }
    }
    out
}

/// Records the corpus roots the store follows; returns true when they changed.
pub fn set_roots(store: &Store, roots: &[PathBuf]) -> Result<bool> {
    let joined = roots.iter().map(|r| r.display().to_string()).collect::<Vec<_>>().join("\n");
    if meta(store, "sourceRoots")?.as_deref() == Some(joined.as_str()) {
        return Ok(false);
    }
    let mut tx = store.start_transaction()?;
    set_meta(&mut tx, store, "sourceRoots", &joined)?;
    tx.commit()?;
    Ok(true)
}

/// The corpus roots the store follows, if recorded.
pub fn roots(store: &Store) -> Result<Option<Vec<PathBuf>>> {
    Ok(meta(store, "sourceRoots")?.map(|s| s.lines().map(PathBuf::from).collect()))
}
