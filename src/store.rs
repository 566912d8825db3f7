//! The Oxigraph store: opening it (on disk or in memory), reading what it was built from, and bringing it
//! up to date with a set of notes files — unchanged files skipped, new and changed files re-extracted in
//! parallel, a changed file's graph replaced in one transaction, a removed file's graph dropped.
//!
//! The store describes itself: each file's graph holds its `tg:NotesFile` node with path and SHA-256, and
//! the meta graph holds the talkgraph and ontology versions and the corpus roots it was built from.

use crate::corpus::{self, LoadedFile, NotesPath};
use crate::extract::{Diagnostic, Extractor};
use crate::rdf::vocab::{META_GRAPH, TG, ontology_graph};
use crate::rdf::{self, FileInfo};
use anyhow::{Context, Result};
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, Quad, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

/// Table files a reading command keeps open; RocksDB preloads a quarter of this on open.
#[cfg(feature = "rocksdb")]
const READ_OPEN_FILES: u32 = 32;

/// Opens the store.
pub fn open(location: &Location, workload: Workload) -> Result<Store> {
    match location {
        Location::Memory => Ok(Store::new()?),
        Location::Disk(dir) => {
            if dir.exists() && !looks_like_store(dir) {
                anyhow::bail!("{} exists but is not a talkgraph store; refusing to write into it", dir.display());
            }
            open_disk(dir, workload)
        }
    }
}

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
            Store::open_with_options(dir, oxigraph::store::StoreOptions::default().with_max_open_files(READ_OPEN_FILES))
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

/// An existing folder may be used only if it is empty or holds a RocksDB store.
fn looks_like_store(dir: &Path) -> bool {
    let empty = std::fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
    empty || dir.join("CURRENT").exists()
}

/// What an ingest changed.
#[derive(Debug, Default, Clone)]
pub struct SyncReport {
    /// Files ingested for the first time.
    pub added: Vec<String>,
    /// Files whose graph was replaced.
    pub updated: Vec<String>,
    /// Files whose graph was dropped.
    pub removed: Vec<String>,
    /// Files skipped because they did not change.
    pub unchanged: usize,
    /// Non-fatal findings, located.
    pub diagnostics: Vec<Diagnostic>,
    /// Problems with files (unreadable, binary, not UTF-8), naming the file.
    pub warnings: Vec<String>,
    /// Quads written.
    pub quads_written: usize,
    /// True when the ontology graph was (re)loaded.
    pub ontology_loaded: bool,
}

impl SyncReport {
    /// True when the store changed.
    pub fn changed(&self) -> bool {
        !(self.added.is_empty() && self.updated.is_empty() && self.removed.is_empty())
    }
}

/// Paths and hashes of the files the store holds, by relative path.
pub fn manifest(store: &Store) -> Result<BTreeMap<String, (String, String)>> {
    let query = format!(
        "SELECT ?g ?path ?sha WHERE {{ GRAPH ?g {{ ?g a <{}> ; <{}> ?path ; <{}> ?sha }} }}",
        TG.iri("NotesFile"),
        TG.iri("path"),
        TG.iri("sha256")
    );
    let mut out = BTreeMap::new();
    if let QueryResults::Solutions(rows) = SparqlEvaluator::new().parse_query(&query)?.on_store(store).execute()? {
        for row in rows {
            let row = row?;
            let text = |v: &str| match row.get(v) {
                Some(Term::Literal(l)) => l.value().to_string(),
                Some(Term::NamedNode(n)) => n.as_str().to_string(),
                _ => String::new(),
            };
            out.insert(text("path"), (text("g"), text("sha")));
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

/// Options of a sync.
pub struct SyncOptions<'a> {
    /// Drop graphs of files no longer present under the roots.
    pub remove_missing: bool,
    /// Called with the number of files processed so far (for a progress bar).
    pub progress: &'a (dyn Fn(usize, usize) + Sync),
}

/// Brings the store up to date with the notes files under `roots`.
///
/// `extractor` is called only when something must be extracted, so a store that is already current
/// answers without compiling the dictionary. A file whose size and modification time match the stamp
/// recorded when it was last hashed is not read at all; one with a new stamp is hashed, and extracted
/// only when its hash changed.
pub fn sync(
    store: &Store,
    roots: &[PathBuf],
    extractor: &dyn Fn() -> Result<&'static Extractor>,
    options: &SyncOptions<'_>,
) -> Result<SyncReport> {
    let mut report = SyncReport::default();
    ensure_ontology(store, extractor, &mut report)?;
    let listing = corpus::list(roots);
    report.warnings.extend(listing.warnings);
    let known = manifest(store)?;
    let stamps = stamps(store)?;
    let mut todo: Vec<(NotesPath, Option<String>)> = Vec::new();
    let mut restamped: Vec<(String, String)> = Vec::new();
    for file in &listing.files {
        let stamp = file_stamp(&file.path);
        let Some((graph, sha)) = known.get(&file.relative) else {
            todo.push((file.clone(), stamp));
            continue;
        };
        if stamp.is_some() && stamps.get(graph) == stamp.as_ref() {
            report.unchanged += 1;
            continue;
        }
        match std::fs::read(&file.path) {
            Ok(bytes) if *sha == corpus::sha256_hex(&bytes) => {
                report.unchanged += 1;
                restamped.extend(stamp.map(|s| (graph.clone(), s)));
            }
            Ok(_) => todo.push((file.clone(), stamp)),
            Err(e) => report.warnings.push(format!("{}: {e}", file.path.display())),
        }
    }
    let present: std::collections::BTreeSet<&String> = listing.files.iter().map(|f| &f.relative).collect();
    let missing: Vec<(&String, &String)> = if options.remove_missing {
        known.iter().filter(|(path, _)| !present.contains(path)).map(|(path, (graph, _))| (path, graph)).collect()
    } else {
        Vec::new()
    };
    if !todo.is_empty() {
        restamped.extend(load_files(store, &todo, extractor()?, &known, options, &mut report)?);
    }
    for (path, graph) in &missing {
        replace_graph(store, graph, &[])?;
        report.removed.push((*path).clone());
    }
    let dropped: Vec<&String> = missing.iter().map(|(_, graph)| *graph).collect();
    if !restamped.is_empty() || !dropped.is_empty() {
        write_stamps(store, &restamped, &dropped)?;
    }
    Ok(report)
}

/// Files younger than this are hashed again next time: an edit within the same clock tick as the
/// read would otherwise keep the same stamp.
const RACY_SECONDS: u64 = 2;

/// A file's size and modification time as one string, or `None` when unknown or too recent to trust.
fn file_stamp(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?;
    let age = std::time::SystemTime::now().duration_since(modified).ok()?;
    if age.as_secs() < RACY_SECONDS {
        return None;
    }
    let since_epoch = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(format!("{}:{}", meta.len(), since_epoch.as_nanos()))
}

/// The recorded stamps, by notes graph IRI.
fn stamps(store: &Store) -> Result<BTreeMap<String, String>> {
    let predicate = NamedNode::new_unchecked(TG.iri("fileStamp"));
    let graph = NamedNodeRef::new_unchecked(META_GRAPH);
    let mut out = BTreeMap::new();
    for q in store.quads_for_pattern(None, Some(predicate.as_ref()), None, Some(graph.into())) {
        let q = q?;
        if let (oxigraph::model::NamedOrBlankNode::NamedNode(g), Term::Literal(l)) = (q.subject, q.object) {
            out.insert(g.into_string(), l.value().to_string());
        }
    }
    Ok(out)
}

/// Records new stamps and forgets those of dropped graphs, in one transaction.
fn write_stamps(store: &Store, stamps: &[(String, String)], dropped: &[&String]) -> Result<()> {
    let predicate = NamedNode::new_unchecked(TG.iri("fileStamp"));
    let graph = GraphName::NamedNode(NamedNode::new_unchecked(META_GRAPH));
    let mut tx = store.start_transaction()?;
    let subjects = stamps.iter().map(|(g, _)| g).chain(dropped.iter().copied());
    for subject in subjects {
        let subject = NamedNode::new(subject.as_str())?;
        let old: Vec<Quad> = store
            .quads_for_pattern(Some(subject.as_ref().into()), Some(predicate.as_ref()), None, Some(graph.as_ref()))
            .collect::<Result<_, _>>()?;
        for q in &old {
            tx.remove(q);
        }
    }
    for (subject, stamp) in stamps {
        let subject = NamedNode::new(subject.as_str())?;
        tx.insert(&Quad::new(subject, predicate.clone(), Literal::new_simple_literal(stamp), graph.clone()));
    }
    tx.commit()?;
    Ok(())
}

/// Files extracted per round: enough to keep both cores busy, few enough to bound memory.
const CHUNK_FILES: usize = 32;
/// Quads handed to the bulk loader at once (whole files): bounds the memory of an ingest.
const LOAD_BATCH: usize = 200_000;

/// Extracts files in parallel, chunk by chunk on a producer thread, while this thread writes the
/// previous chunk: new files go to the bulk loader (committed at the end, all or nothing, then
/// compacted so that later reads find a tidy store), changed files replace their graph in one
/// transaction each. Returns the stamps of the files written, to be
/// recorded once they are in the store.
fn load_files(
    store: &Store,
    todo: &[(NotesPath, Option<String>)],
    extractor: &Extractor,
    known: &BTreeMap<String, (String, String)>,
    options: &SyncOptions<'_>,
    report: &mut SyncReport,
) -> Result<Vec<(String, String)>> {
    let done = std::sync::atomic::AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<FileOutcome>>(1);
    let mut written = Vec::new();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            for chunk in todo.chunks(CHUNK_FILES) {
                let outcomes: Vec<FileOutcome> = chunk
                    .par_iter()
                    .map(|(file, stamp)| {
                        let outcome = process(file, stamp.clone(), extractor);
                        (options.progress)(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, todo.len());
                        outcome
                    })
                    .collect();
                if tx.send(outcomes).is_err() {
                    break;
                }
            }
            drop(tx);
        });
        let mut loader: Option<oxigraph::store::BulkLoader<'_>> = None;
        let mut pending: Vec<Quad> = Vec::new();
        let mut pending_stamps: Vec<(String, String)> = Vec::new();
        for outcomes in rx {
            for FileOutcome { path, graph, stamp, quads, diagnostics, warnings } in outcomes {
                report.diagnostics.extend(diagnostics);
                report.warnings.extend(warnings);
                let Some(quads) = quads else { continue };
                report.quads_written += quads.len();
                let stamp = stamp.map(|s| (graph.clone(), s));
                if let Some((old, _)) = known.get(&path) {
                    replace_graph(store, old, &quads)?;
                    report.updated.push(path);
                    written.extend(stamp);
                    continue;
                }
                report.added.push(path);
                if pending.len() + quads.len() > LOAD_BATCH {
                    let bulk = loader.get_or_insert_with(|| bulk_loader(store));
                    bulk.load_quads(std::mem::take(&mut pending))?;
                    written.append(&mut pending_stamps);
                }
                pending.extend(quads);
                pending_stamps.extend(stamp);
            }
        }
        if !pending.is_empty() {
            loader.get_or_insert_with(|| bulk_loader(store)).load_quads(pending)?;
            written.append(&mut pending_stamps);
        }
        if let Some(loader) = loader {
            loader.commit()?;
            compact(store)?;
        }
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(written)
}

/// Compacts a store after a bulk load: its SST files overlap and, left alone, every later open would
/// start compacting them (and a short command would abandon that work, again and again).
#[cfg(feature = "rocksdb")]
fn compact(store: &Store) -> Result<()> {
    Ok(store.optimize()?)
}

/// In-memory stores need no compaction.
#[cfg(not(feature = "rocksdb"))]
fn compact(_store: &Store) -> Result<()> {
    Ok(())
}

/// A bulk loader with bounded memory. It is atomic: its SST files are written to disk as batches come
/// and ingested together at commit, so a killed ingest leaves none of the new files' graphs behind.
fn bulk_loader(store: &Store) -> oxigraph::store::BulkLoader<'_> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // The loader splits its memory target (in thousands of quads) between its threads.
    let memory_mb = (LOAD_BATCH + LOAD_BATCH / 4) * threads / 1000;
    store.bulk_loader().with_num_threads(threads).with_max_memory_size_in_megabytes(memory_mb)
}

/// What processing one file gave.
struct FileOutcome {
    path: String,
    graph: String,
    stamp: Option<String>,
    quads: Option<Vec<Quad>>,
    diagnostics: Vec<Diagnostic>,
    warnings: Vec<String>,
}

fn process(file: &NotesPath, stamp: Option<String>, extractor: &Extractor) -> FileOutcome {
    let mut warnings = Vec::new();
    let out = match std::fs::read(&file.path) {
        Ok(bytes) => corpus::load(file, bytes, &mut warnings).map(|loaded| file_quads(&loaded, extractor)),
        Err(e) => {
            warnings.push(format!("{}: {e}", file.path.display()));
            None
        }
    };
    let (quads, diagnostics) = match out {
        Some((q, d)) => (Some(q), d),
        None => (None, Vec::new()),
    };
    let graph = rdf::iri::notes(&file.relative);
    FileOutcome { path: file.relative.clone(), graph, stamp, quads, diagnostics, warnings }
}

/// The quads and diagnostics of one file: parse → extract → encode.
pub fn file_quads(loaded: &LoadedFile, extractor: &Extractor) -> (Vec<Quad>, Vec<Diagnostic>) {
    let doc = crate::document::parse(loaded.source.clone(), extractor);
    let extraction = extractor.extract(&doc);
    let info = FileInfo { path: loaded.source.path.clone(), sha256: loaded.sha256.clone() };
    (rdf::encode(&extraction, &info, extractor.ontology()), extraction.diagnostics)
}

/// Replaces one graph's content atomically.
fn replace_graph(store: &Store, graph: &str, quads: &[Quad]) -> Result<()> {
    let name = NamedNodeRef::new(graph).with_context(|| format!("bad graph name {graph}"))?;
    let mut tx = store.start_transaction()?;
    tx.clear_graph(GraphNameRef::NamedNode(name))?;
    for q in quads {
        tx.insert(q);
    }
    tx.commit()?;
    Ok(())
}

/// A fingerprint of the code and ontology this binary was built from.
pub const BUILD: &str = env!("TALKGRAPH_FINGERPRINT");

/// Loads the ontology graph when the store was built by another talkgraph or ontology version; the notes
/// graphs of such a store are dropped, so every file is extracted again by this version.
fn ensure_ontology(
    store: &Store,
    extractor: &dyn Fn() -> Result<&'static Extractor>,
    report: &mut SyncReport,
) -> Result<()> {
    let same_ontology = meta(store, "ontologyVersion")?.as_deref() == Some(crate::ontology::version().as_str());
    let same_build = meta(store, "talkgraphVersion")?.as_deref() == Some(BUILD);
    if same_ontology && same_build {
        return Ok(());
    }
    let ontology = extractor()?.ontology();
    // Built by another version: start over (the notes are the source of truth and are read again).
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
    report.ontology_loaded = true;
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

/// Records the corpus roots the store follows.
pub fn set_roots(store: &Store, roots: &[PathBuf]) -> Result<()> {
    let joined = roots.iter().map(|r| r.display().to_string()).collect::<Vec<_>>().join("\n");
    if meta(store, "sourceRoots")?.as_deref() == Some(joined.as_str()) {
        return Ok(());
    }
    let mut tx = store.start_transaction()?;
    set_meta(&mut tx, store, "sourceRoots", &joined)?;
    tx.commit()?;
    Ok(())
}

/// The corpus roots the store follows, if recorded.
pub fn roots(store: &Store) -> Result<Option<Vec<PathBuf>>> {
    Ok(meta(store, "sourceRoots")?.map(|s| s.lines().map(PathBuf::from).collect()))
}
