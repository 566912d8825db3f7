//! Bringing the store up to date with notes files, in two steps: `plan` reads the store (or a snapshot of
//! it) and the files and says what must change — unchanged files are skipped by stamp or hash — and
//! `apply` does it: new files extracted in parallel and bulk-loaded (atomically), changed files' graphs
//! replaced in one transaction each, removed files' graphs dropped.

use super::{built_by_this_version, manifest, reload_ontology};
use crate::answers::{self, Shelf};
use crate::corpus::{self, Limits, NotesPath};
use crate::extract::{Diagnostic, Extractor};
use crate::pipeline;
use crate::rdf;
use crate::vocab::{META_GRAPH, TG};
use anyhow::{Context, Result};
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, Quad, Term};
use oxigraph::store::Store;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

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
    /// True when anything at all was written to the store (graphs, stamps, versions, roots).
    pub written: bool,
}

impl SyncReport {
    /// True when the store changed.
    pub fn changed(&self) -> bool {
        !(self.added.is_empty() && self.updated.is_empty() && self.removed.is_empty())
    }
}

/// Options of a sync.
pub struct SyncOptions<'a> {
    /// Called with the number of files processed so far (for a progress bar).
    pub progress: &'a (dyn Fn(usize, usize) + Sync),
    /// Where each written graph's canned answers are shelved (a disk store's `answers/`), if anywhere.
    pub shelf: Option<&'a Shelf>,
}

/// What a sync must do, worked out by reading the store (or a snapshot of it) and the notes files.
pub struct SyncPlan {
    /// The store was built by another talkgraph or ontology version (or is new): reload the ontology,
    /// and extract every file again.
    reload: bool,
    /// New and changed files, with their stamps.
    todo: Vec<(NotesPath, Option<String>)>,
    /// Files the store holds that are gone: (relative path, graph).
    missing: Vec<(String, String)>,
    /// Unchanged files whose new stamp must be recorded: (graph, stamp).
    restamped: Vec<(String, String)>,
    /// What the store holds, by relative path: (graph, SHA-256).
    known: BTreeMap<String, (String, String)>,
    unchanged: usize,
    warnings: Vec<String>,
    /// What may be read of the notes files.
    limits: Limits,
}

impl SyncPlan {
    /// True when applying the plan would write nothing: the store is current with the notes.
    pub fn writes_nothing(&self) -> bool {
        !self.reload && self.todo.is_empty() && self.missing.is_empty() && self.restamped.is_empty()
    }

    /// The report of a sync that wrote nothing: files unchanged, and the warnings met on the way.
    pub fn into_report(self) -> SyncReport {
        SyncReport { unchanged: self.unchanged, warnings: self.warnings, ..SyncReport::default() }
    }
}

/// Works out what bringing the store up to date with the notes files under `roots` takes; files the store
/// holds that are no longer under them are dropped. A file whose size and modification time match the
/// stamp recorded when it was last hashed is not read at all; one with a new stamp is hashed, and counts
/// as changed only when its hash changed.
pub fn plan(store: &Store, roots: &[PathBuf], limits: Limits) -> Result<SyncPlan> {
    let reload = !built_by_this_version(store)?;
    let listing = corpus::list(roots, limits);
    let known = if reload { BTreeMap::new() } else { manifest(store)? };
    let stamps = stamps(store)?;
    let mut plan = SyncPlan {
        reload,
        todo: Vec::new(),
        missing: Vec::new(),
        restamped: Vec::new(),
        known: BTreeMap::new(),
        unchanged: 0,
        warnings: listing.warnings,
        limits,
    };
    for file in &listing.files {
        let stamp = file_stamp(&file.path);
        let Some((graph, sha)) = known.get(&file.relative) else {
            plan.todo.push((file.clone(), stamp));
            continue;
        };
        if stamp.is_some() && stamps.get(graph) == stamp.as_ref() {
            plan.unchanged += 1;
            continue;
        }
        match corpus::read(&file.path, limits) {
            Ok(bytes) if *sha == corpus::sha256_hex(&bytes) => {
                plan.unchanged += 1;
                plan.restamped.extend(stamp.map(|s| (graph.clone(), s)));
            }
            Ok(_) => plan.todo.push((file.clone(), stamp)),
            Err(e) => plan.warnings.push(format!("{}: {e}", file.path.display())),
        }
    }
    let present: std::collections::BTreeSet<&String> = listing.files.iter().map(|f| &f.relative).collect();
    plan.missing = known
        .iter()
        .filter(|(path, _)| !present.contains(path))
        .map(|(path, (graph, _))| (path.clone(), graph.clone()))
        .collect();
    plan.known = known;
    Ok(plan)
}

/// Carries out a plan made on this store: reloads the ontology if due, extracts and writes new and
/// changed files, drops the graphs of missing ones, records stamps.
///
/// `extractor` is called only when something must be extracted, so a store that is already current
/// answers without compiling the dictionary.
pub fn apply(
    store: &Store,
    plan: SyncPlan,
    extractor: &dyn Fn() -> Result<&'static Extractor>,
    options: &SyncOptions<'_>,
) -> Result<SyncReport> {
    let written = !plan.writes_nothing();
    let SyncPlan { reload, todo, missing, mut restamped, known, unchanged, warnings, limits } = plan;
    let mut report = SyncReport { unchanged, warnings, written, ..SyncReport::default() };
    if reload {
        reload_ontology(store, extractor()?.ontology())?;
        report.ontology_loaded = true;
    }
    if !todo.is_empty() {
        restamped.extend(load_files(store, &todo, extractor()?, &known, limits, options, &mut report)?);
    }
    for (path, graph) in &missing {
        drop_graph(store, graph)?;
        if let Some(shelf) = options.shelf {
            shelf.remove(graph)?;
        }
        report.removed.push(path.clone());
    }
    let dropped: Vec<&String> = missing.iter().map(|(_, graph)| graph).collect();
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
/// Quads handed to the bulk loader at once: bounds the memory of an ingest.
const LOAD_BATCH: usize = 200_000;

/// What the extracting thread sends the writing one.
enum Message {
    /// Part of the quads of file `todo[file]`, sent while the file is still being encoded.
    Part { file: usize, quads: Vec<Quad> },
    /// A chunk of files, done, in order.
    Chunk(Vec<FileOutcome>),
}

/// Extracts files in parallel, chunk by chunk on a producer thread, while this thread writes what it
/// gets: new files go to the bulk loader (committed at the end, all or nothing, then compacted so that
/// later reads find a tidy store), part by part as a huge file is encoded; changed files replace their
/// graph in one transaction each, so their parts wait for the file's end. Returns the stamps of the
/// files written, to be recorded once they are in the store.
fn load_files(
    store: &Store,
    todo: &[(NotesPath, Option<String>)],
    extractor: &Extractor,
    known: &BTreeMap<String, (String, String)>,
    limits: Limits,
    options: &SyncOptions<'_>,
    report: &mut SyncReport,
) -> Result<Vec<(String, String)>> {
    let done = std::sync::atomic::AtomicUsize::new(0);
    let shelving = options.shelf.map(|shelf| (shelf, crate::ontology::version()));
    let (tx, rx) = std::sync::mpsc::sync_channel::<Message>(1);
    let mut written = Vec::new();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            for (number, chunk) in todo.chunks(CHUNK_FILES).enumerate() {
                let outcomes: Vec<FileOutcome> = chunk
                    .par_iter()
                    .enumerate()
                    .map(|(i, (file, stamp))| {
                        let index = number * CHUNK_FILES + i;
                        let mut send_part = |quads| drop(tx.send(Message::Part { file: index, quads }));
                        let shelf = shelving.as_ref().map(|(shelf, ontology)| (*shelf, ontology.as_str()));
                        // A changed file's old graph is read while the file is extracted (on another core
                        // when one is free): the replacement writes only the difference.
                        let old_graph = known.get(&file.relative).map(|(graph, _)| graph.as_str());
                        let (mut outcome, old) = rayon::join(
                            || process(index, file, limits, stamp.clone(), extractor, shelf, &mut send_part),
                            || old_graph.map(|graph| graph_quads(store, graph)),
                        );
                        outcome.old = old;
                        (options.progress)(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, todo.len());
                        outcome
                    })
                    .collect();
                if tx.send(Message::Chunk(outcomes)).is_err() {
                    break;
                }
            }
            drop(tx);
        });
        let mut new_graphs = NewGraphs { store, loader: None, pending: Vec::new() };
        let mut parts_of_changed: BTreeMap<usize, Vec<Quad>> = BTreeMap::new();
        for message in rx {
            let outcomes = match message {
                Message::Part { file, quads } => {
                    report.quads_written += quads.len();
                    if known.contains_key(&todo[file].0.relative) {
                        parts_of_changed.entry(file).or_default().extend(quads);
                    } else {
                        new_graphs.add(quads)?;
                    }
                    continue;
                }
                Message::Chunk(outcomes) => outcomes,
            };
            for FileOutcome { index, path, graph, stamp, quads, old: old_quads, diagnostics, warnings } in outcomes {
                report.diagnostics.extend(diagnostics);
                report.warnings.extend(warnings);
                let Some(quads) = quads else { continue };
                report.quads_written += quads.len();
                written.extend(stamp.map(|s| (graph.clone(), s)));
                if let Some((old, _)) = known.get(&path) {
                    let mut all = parts_of_changed.remove(&index).unwrap_or_default();
                    all.extend(quads);
                    let old_quads = match old_quads {
                        Some(read) => read?,
                        None => graph_quads(store, old)?,
                    };
                    replace_graph(store, old, &all, &old_quads)?;
                    report.updated.push(path);
                } else {
                    new_graphs.add(quads)?;
                    report.added.push(path);
                }
            }
        }
        new_graphs.commit()
    })?;
    Ok(written)
}

/// The new files' graphs on their way into the store through one bulk loader, started at the first
/// batch.
struct NewGraphs<'a> {
    store: &'a Store,
    loader: Option<oxigraph::store::BulkLoader<'a>>,
    /// Quads not yet handed to the loader.
    pending: Vec<Quad>,
}

impl NewGraphs<'_> {
    /// Adds quads, handing a batch to the loader once there are enough.
    fn add(&mut self, quads: Vec<Quad>) -> Result<()> {
        if self.pending.is_empty() {
            self.pending = quads;
        } else {
            self.pending.extend(quads);
        }
        if self.pending.len() >= LOAD_BATCH {
            self.load_pending()?;
        }
        Ok(())
    }

    fn load_pending(&mut self) -> Result<()> {
        let loader = self.loader.get_or_insert_with(|| bulk_loader(self.store));
        loader.load_quads(std::mem::take(&mut self.pending))?;
        Ok(())
    }

    /// Loads what is left and commits: the new graphs appear together, or not at all.
    fn commit(mut self) -> Result<()> {
        if !self.pending.is_empty() {
            self.load_pending()?;
        }
        if let Some(loader) = self.loader {
            loader.commit()?;
            compact(self.store)?;
        }
        Ok(())
    }
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
    /// The file's place in the list of files to process.
    index: usize,
    path: String,
    graph: String,
    stamp: Option<String>,
    /// The quads not sent on as parts; `None` when the file could not be read.
    quads: Option<Vec<Quad>>,
    /// A changed file's graph as the store holds it now, read beside the extraction.
    old: Option<Result<HashSet<Quad>>>,
    diagnostics: Vec<Diagnostic>,
    warnings: Vec<String>,
}

/// Reads, extracts and encodes one file, handing `part` its quads in parts while a huge one is encoded,
/// and shelves its canned answers when given a shelf (with the ontology's version).
fn process(
    index: usize,
    file: &NotesPath,
    limits: Limits,
    stamp: Option<String>,
    extractor: &Extractor,
    shelf: Option<(&Shelf, &str)>,
    part: &mut dyn FnMut(Vec<Quad>),
) -> FileOutcome {
    let mut warnings = Vec::new();
    let graph = rdf::iri::notes(&file.relative);
    let mut parted = false;
    let mut counted_part = |quads| {
        parted = true;
        part(quads)
    };
    let out = corpus::read_notes(file, limits, &mut warnings).map(|loaded| {
        let sha = loaded.sha256.clone();
        let (quads, diagnostics) = pipeline::file_quads_in_parts(loaded, extractor, &mut counted_part);
        (quads, diagnostics, sha)
    });
    let (quads, diagnostics) = match out {
        Some((q, d, sha)) => {
            if let Some((shelf, ontology)) = shelf {
                shelve(shelf, &graph, &answers::fingerprint(&sha, super::BUILD, ontology), (!parted).then_some(&q[..]))
                    .unwrap_or_else(|e| {
                        warnings.push(format!("{}: its answers were not kept: {e:#}", file.path.display()))
                    });
            }
            (Some(q), d)
        }
        None => (None, Vec::new()),
    };
    FileOutcome { index, path: file.relative.clone(), graph, stamp, quads, old: None, diagnostics, warnings }
}

/// Shelves a graph's canned answers from its quads; a file too big to hold whole (its quads went on in
/// parts) has none, and the canned queries then ask the store.
fn shelve(shelf: &Shelf, graph: &str, fingerprint: &str, quads: Option<&[Quad]>) -> Result<()> {
    match quads {
        Some(quads) => answers::shelve(shelf, graph, fingerprint, quads),
        None => shelf.remove(graph),
    }
}

/// Drops a graph, name and all, so that it is gone from the store's list of graphs (an export or a push
/// never sees an empty graph of a removed notes file).
fn drop_graph(store: &Store, graph: &str) -> Result<()> {
    let name = NamedNodeRef::new(graph).with_context(|| format!("bad graph name {graph}"))?;
    let mut tx = store.start_transaction()?;
    tx.remove_named_graph(name)?;
    tx.commit()?;
    Ok(())
}

/// The quads a graph holds now.
fn graph_quads(store: &Store, graph: &str) -> Result<HashSet<Quad>> {
    let name = NamedNodeRef::new(graph).with_context(|| format!("bad graph name {graph}"))?;
    Ok(store.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(name))).collect::<Result<_, _>>()?)
}

/// Replaces one graph's content, `old` (as `graph_quads` read it: the sync is the store's only writer,
/// so nothing changed it since), with `quads` atomically; a graph left with nothing is dropped. Only the
/// difference is written: an edited notes file's graph shares most of its quads with the old one, and
/// each quad written is six index entries in the transaction and in the log the next open replays.
fn replace_graph(store: &Store, graph: &str, quads: &[Quad], old: &HashSet<Quad>) -> Result<()> {
    if quads.is_empty() {
        return drop_graph(store, graph);
    }
    let new: HashSet<&Quad> = quads.iter().collect();
    let mut tx = store.start_transaction()?;
    for q in old.iter().filter(|q| !new.contains(q)) {
        tx.remove(q);
    }
    for q in new.into_iter().filter(|q| !old.contains(*q)) {
        tx.insert(q);
    }
    tx.commit()?;
    Ok(())
}
