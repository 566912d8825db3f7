//! `talkgraph ingest`: brings the store up to date with the notes and says what changed.

use super::{location, report_problems, roots_for, sync};
use crate::cli::{Cli, IngestArgs};
use crate::store::{self, Location};
use anyhow::{Result, bail};
use std::io::Write;

/// Runs `ingest`.
pub fn run(cli: &Cli, args: &IngestArgs, out: &mut dyn Write) -> Result<()> {
    if args.rebuild
        && let Location::Disk(dir) = location(cli)
        && dir.exists()
    {
        store::open(&Location::Disk(dir.clone()), store::Workload::Ingest)?;
        std::fs::remove_dir_all(&dir)?;
    }
    let location = location(cli);
    let store = store::open(&location, store::Workload::Ingest)?;
    let roots = roots_for(&store, &args.notes.paths)?;
    let report = sync(&store, &location, &roots)?;
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
