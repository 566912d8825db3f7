//! `talkgraph ingest`: brings the store up to date with the notes and says what changed.

use super::{location, report_problems, roots_for, sync};
use crate::cli::{Cli, IngestArgs};
use crate::store::{self, Location};
use anyhow::{Context, Result, bail};
use std::io::Write;

/// Runs `ingest`.
pub fn run(cli: &Cli, args: &IngestArgs, out: &mut dyn Write) -> Result<()> {
    if args.rebuild
        && let Location::Disk(dir) = location(cli)
        && dir.exists()
    {
        drop_for_rebuild(&dir)?;
    }
    super::prepare_extractor();
    let location = location(cli);
    let store = store::open(&location, store::Workload::Ingest)?;
    let roots = roots_for(&store, &args.notes.paths)?;
    let report = sync(&store, &location, &roots, cli.limits())?;
    for path in &report.added {
        writeln!(out, "added    {path}")?;
    }
    for path in &report.updated {
        writeln!(out, "updated  {path}")?;
    }
    for path in &report.removed {
        writeln!(out, "removed  {path}")?;
    }
    for d in &report.diagnostics {
        eprintln!("note: {d}");
    }
    writeln!(
        out,
        "{} added, {} updated, {} removed, {} unchanged; {} quads written",
        report.added.len(),
        report.updated.len(),
        report.removed.len(),
        report.unchanged,
        report.quads_written
    )?;
    report_problems(cli, &report)?;
    if cli.strict && !report.diagnostics.is_empty() {
        bail!("{} diagnostic(s) under --strict", report.diagnostics.len());
    }
    Ok(())
}

/// Deletes the store in `dir` for `--rebuild`: one that opens (so it is a store and nobody writes it), or
/// one of talkgraph's own (it has read snapshots) too damaged to open. A folder that is not a store, a
/// store another process holds, or a damaged RocksDB folder of unknown origin is refused.
fn drop_for_rebuild(dir: &std::path::Path) -> Result<()> {
    match store::open(&Location::Disk(dir.to_path_buf()), store::Workload::Ingest) {
        Ok(open) => drop(open),
        Err(e) if e.is::<store::NotAStore>() || e.is::<store::StoreInUse>() => return Err(e),
        Err(e) if !store::has_snapshot(dir) => {
            let why =
                format!("--rebuild leaves {}: not known to be a talkgraph store; delete it yourself", dir.display());
            return Err(e.context(why));
        }
        Err(e) => eprintln!("note: {e:#}; rebuilding it from the notes as --rebuild asks"),
    }
    std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))
}
