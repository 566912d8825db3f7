//! `talkgraph push URL`: the store's graphs to a SPARQL server, only those changed since the last push to
//! that URL (remembered in the store folder), graphs of removed notes deleted.

use super::{location, open_current};
use crate::cli::{Cli, PushArgs};
use crate::push::{self, Protocol, PushOptions, state};
use crate::store::Location;
use anyhow::Result;
use std::io::Write;

/// Runs `push`.
pub fn run(cli: &Cli, args: &PushArgs, out: &mut dyn Write) -> Result<()> {
    let (store, _) = open_current(cli, &args.notes.paths)?;
    let options = PushOptions {
        protocol: if args.update { Protocol::Update } else { Protocol::GraphStore },
        all: args.all,
        parallel: args.parallel,
        bulk: !args.no_bulk,
    };
    let report = match location(cli) {
        Location::Disk(dir) => {
            let file = state::file_for(&dir, &args.url);
            let mut kept = state::load(&file, &args.url)?;
            push::push(&store, &args.url, &options, &mut kept, &|s| state::save(&file, s))?
        }
        // A throwaway store remembers nothing: every graph is sent.
        Location::Memory => {
            let mut kept = state::PushState::new(&args.url);
            push::push(&store, &args.url, &options, &mut kept, &|_| Ok(()))?
        }
    };
    writeln!(
        out,
        "pushed {} graph(s) ({} triples), deleted {}, {} unchanged, to {}",
        report.sent.len(),
        report.triples,
        report.deleted.len(),
        report.unchanged,
        args.url
    )?;
    if report.bulk {
        writeln!(out, "  (the server is Oxigraph: each graph was bulk-loaded, ?no_transaction)")?;
    }
    for graph in &report.sent {
        writeln!(out, "  sent {graph}")?;
    }
    for graph in &report.deleted {
        writeln!(out, "  deleted {graph}")?;
    }
    Ok(())
}
