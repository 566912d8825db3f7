//! The commands: the only impure layer. Each opens the store, brings it up to date with its notes, runs
//! one stage of the library and prints. `open_current` is how every reading command gets a store that
//! answers for the notes as they are now.

pub mod candidates;
pub mod eval;
pub mod export;
pub mod ingest;
pub mod query;
pub mod stats;

use crate::cli::Cli;
use crate::extract::Extractor;
use crate::ontology::Ontology;
use crate::store::{self, Location, SyncOptions, SyncReport};
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

static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();

/// The extractor for the built-in ontology, compiled on first use and kept for the process.
pub fn extractor() -> Result<&'static Extractor> {
    if let Some(e) = EXTRACTOR.get() {
        return Ok(e);
    }
    let built = Extractor::new(Ontology::builtin()?);
    Ok(EXTRACTOR.get_or_init(|| built))
}

/// Opens the store and brings it up to date with `paths` (or the roots it follows, or `notes/`).
pub fn open_current(cli: &Cli, paths: &[PathBuf]) -> Result<(Store, SyncReport)> {
    let store = store::open(&location(cli), store::Workload::Read)?;
    let roots = roots_for(&store, paths)?;
    let report = sync(&store, &roots, true)?;
    report_problems(cli, &report)?;
    Ok((store, report))
}

/// The roots to sync: the paths given, else the recorded ones, else `notes/`.
pub fn roots_for(store: &Store, paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    if !paths.is_empty() {
        return Ok(paths.to_vec());
    }
    let recorded = store::roots(store)?.filter(|r| r.iter().all(|p| p.exists()));
    Ok(recorded.unwrap_or_else(|| vec![PathBuf::from(DEFAULT_NOTES)]))
}

/// Syncs the store with the roots, showing a progress bar on a terminal.
pub fn sync(store: &Store, roots: &[PathBuf], remove_missing: bool) -> Result<SyncReport> {
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
    let options = SyncOptions { remove_missing, progress: &progress };
    let report = store::sync(store, roots, &extractor, &options)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let absolute: Vec<PathBuf> = roots.iter().map(|r| std::path::absolute(r).unwrap_or_else(|_| r.clone())).collect();
    store::set_roots(store, &absolute)?;
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
