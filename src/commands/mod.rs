//! The commands: the only impure layer. Each opens the store, brings it up to date with its notes, runs
//! one stage of the library and prints. `open_current` is how every reading command gets a store that
//! answers for the notes as they are now.

pub mod candidates;
pub mod eval;
pub mod export;
pub mod ingest;
pub mod push;
pub mod query;
pub mod serve;
pub mod stats;

use crate::cli::Cli;
use crate::corpus::Limits;
use crate::extract::Extractor;
use crate::ontology::Ontology;
use crate::store::{self, Location, ReadStore, SyncOptions, SyncReport};
use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use oxigraph::store::Store;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The store folder used when `--store` is not given.
pub const DEFAULT_STORE: &str = ".talkgraph";
/// The notes folder used when no path is given and the store was never built.
pub const DEFAULT_NOTES: &str = "notes";

/// Where the command line puts the store.
pub fn location(cli: &Cli) -> Location {
    if cli.store.memory {
        Location::Memory
    } else {
        Location::Disk(cli.store.store.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_STORE)))
    }
}

static EXTRACTOR: OnceLock<Result<Extractor, String>> = OnceLock::new();

/// The extractor for the built-in ontology, compiled on first use and kept for the process. A caller that
/// comes while another thread compiles it waits for that one.
pub fn extractor() -> Result<&'static Extractor> {
    EXTRACTOR
        .get_or_init(|| Ontology::builtin().map(Extractor::new).map_err(|e| format!("{e:#}")))
        .as_ref()
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Starts compiling the extractor on another thread, so that it is ready, or nearly, when the store is
/// open and the notes show what changed (about 0.2 s saved on re-ingesting one edited note). When
/// nothing changed, the process ends without waiting for it.
pub fn prepare_extractor() {
    if EXTRACTOR.get().is_none() {
        std::thread::spawn(|| {
            let _ = extractor();
        });
    }
}

/// A store that answers for the notes as they are now. On disk, a read snapshot (see `store::snapshot`)
/// answers when the notes did not change since it was taken, so reads never take the store's write lock;
/// otherwise the store is opened, brought up to date with `paths` (or the roots it follows, or `notes/`)
/// and snapshotted again. While another process writes the store, the snapshot of its last completed
/// ingest answers, with a note.
pub fn open_current(cli: &Cli, paths: &[PathBuf]) -> Result<(ReadStore, SyncReport)> {
    if let Some(url) = &cli.store.endpoint {
        bail!("--endpoint {url} answers `query` and `stats` only; this command works on a local store");
    }
    let location = location(cli);
    let snapshot = match &location {
        Location::Disk(dir) => store::open_snapshot(dir)?,
        Location::Memory => None,
    };
    let Some(snapshot) = snapshot else {
        return brought_up_to_date(cli, store::open(&location, store::Workload::Read)?, &location, paths, false);
    };
    let roots = roots_for(&snapshot, paths)?;
    let plan = store::plan(&snapshot, &roots, cli.limits())?;
    if plan.writes_nothing() && store::roots(&snapshot)? == Some(absolute(&roots)) {
        let report = plan.into_report();
        report_problems(cli, &report)?;
        return Ok((snapshot, report));
    }
    match store::open(&location, store::Workload::Read) {
        Ok(store) => brought_up_to_date(cli, store, &location, paths, true),
        Err(busy) if busy.is::<store::StoreInUse>() => {
            eprintln!(
                "note: the store is being written by another talkgraph process; answering from its last completed ingest"
            );
            let report = plan.into_report();
            report_problems(cli, &report)?;
            Ok((snapshot, report))
        }
        Err(e) => Err(e),
    }
}

/// Syncs an opened store with `paths` (or the roots it follows). A snapshot that differed from the store
/// (a writer was killed between its commit and its snapshot) is refreshed even when the sync wrote nothing.
fn brought_up_to_date(
    cli: &Cli,
    store: Store,
    location: &Location,
    paths: &[PathBuf],
    snapshot_stale: bool,
) -> Result<(ReadStore, SyncReport)> {
    let roots = roots_for(&store, paths)?;
    let report = sync(&store, location, &roots, cli.limits())?;
    if let Location::Disk(dir) = location
        && snapshot_stale
        && !report.written
    {
        store::refresh_snapshot(&store, dir)?;
    }
    report_problems(cli, &report)?;
    Ok((store.into(), report))
}

fn absolute(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths.iter().map(|r| std::path::absolute(r).unwrap_or_else(|_| r.clone())).collect()
}

/// The roots to sync: the paths given, else the recorded ones, else `notes/`.
pub fn roots_for(store: &Store, paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    if !paths.is_empty() {
        return Ok(paths.to_vec());
    }
    let recorded = store::roots(store)?.filter(|r| r.iter().all(|p| p.exists()));
    Ok(recorded.unwrap_or_else(|| vec![PathBuf::from(DEFAULT_NOTES)]))
}

/// Syncs the store with the roots, showing a progress bar on a terminal. A disk store's read snapshot
/// is then refreshed if anything was written (or it has none yet).
pub fn sync(store: &Store, location: &Location, roots: &[PathBuf], limits: Limits) -> Result<SyncReport> {
    let plan = store::plan(store, roots, limits)?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} ingesting [{bar:30}] {pos}/{len} files {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let progress = |done: usize, total: usize| {
        if let Some(b) = &bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    };
    let shelf = match location {
        Location::Disk(dir) => Some(crate::answers::Shelf::of_store(dir)),
        Location::Memory => None,
    };
    let options = SyncOptions { progress: &progress, shelf: shelf.as_ref() };
    let mut report = store::apply(store, plan, &extractor, &options)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    report.written |= store::set_roots(store, &absolute(roots))?;
    if let Location::Disk(dir) = location
        && (report.written || !store::has_snapshot(dir))
    {
        store::refresh_snapshot(store, dir)?;
    }
    Ok(report)
}

/// Prints file warnings; under `--strict` any warning is an error.
pub fn report_problems(cli: &Cli, report: &SyncReport) -> Result<()> {
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    if cli.strict && !report.warnings.is_empty() {
        bail!("{} warning(s) under --strict", report.warnings.len());
    }
    Ok(())
}
