//! `talkgraph serve`: brings the store up to date with the notes, then serves it (see `serve`), handing
//! the server a sync to run when the notes change.

use super::{location, report_problems, roots_for, sync};
use crate::cli::{Cli, ServeArgs};
use crate::serve::{ServeOptions, watch::Resync};
use crate::store;
use anyhow::{Context, Result, bail};
use std::time::Duration;

/// Runs `serve`.
pub fn run(cli: &Cli, args: &ServeArgs) -> Result<()> {
    let token = access_token(args)?;
    if token.is_none() && args.public {
        eprintln!("note: serving without an access token (--public)");
    }
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        bail!("--timeout must be a positive number of seconds");
    }
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let options = ServeOptions {
        bind: args.bind,
        token,
        public: args.public,
        timeout: Duration::from_secs_f64(args.timeout),
        max_body: args.max_request,
        concurrent: args.concurrent.unwrap_or(cores * 2),
        shelf: match location(cli) {
            store::Location::Disk(dir) => Some(crate::answers::Shelf::of_store(&dir)),
            store::Location::Memory => None,
        },
    };
    // Refused before the notes are ingested, not after.
    options.check_access()?;
    let location = location(cli);
    let store = store::open(&location, store::Workload::Ingest)?;
    let roots = roots_for(&store, &args.notes.paths)?;
    let report = sync(&store, &location, &roots, cli.limits())?;
    report_problems(cli, &report)?;
    let (watched, again, limits) = (store.clone(), roots.clone(), cli.limits());
    let resync: Resync = Box::new(move || {
        let report = sync(&watched, &location, &again, limits)?;
        for w in &report.warnings {
            eprintln!("warning: {w}");
        }
        for path in report.added.iter().chain(&report.updated).chain(&report.removed) {
            eprintln!("re-ingested {path}");
        }
        Ok(report.changed())
    });
    crate::serve::run(store, roots, resync, &options)
}

/// The access token, from `--token-file` or `TALKGRAPH_TOKEN`; never printed.
fn access_token(args: &ServeArgs) -> Result<Option<String>> {
    let token = match &args.token_file {
        Some(file) => Some(
            std::fs::read_to_string(file)
                .with_context(|| format!("cannot read the token file {}", file.display()))?
                .trim()
                .to_string(),
        ),
        None => std::env::var("TALKGRAPH_TOKEN").ok().map(|t| t.trim().to_string()),
    };
    match token {
        Some(t) if t.is_empty() => bail!("the access token is empty"),
        other => Ok(other),
    }
}
