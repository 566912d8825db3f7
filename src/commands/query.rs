//! `talkgraph query`: a canned query, a .rq file or SPARQL text, with bound parameters, over a store
//! brought up to date first.

use super::{location, open_current};
use crate::cli::{Cli, QueryArgs};
use crate::sparql::{self, QueryText};
use crate::store::Location;
use anyhow::{Result, bail};
use std::io::Write;
use std::time::Duration;

/// Runs `query`.
pub fn run(cli: &Cli, args: &QueryArgs, out: &mut dyn Write) -> Result<()> {
    if args.list {
        for (name, text) in sparql::CANNED {
            writeln!(out, "{name}\n  {}\n", sparql::describe(text).replace('\n', "\n  "))?;
        }
        return Ok(());
    }
    let query = match (&args.query, &args.name) {
        (Some(text), _) => QueryText { origin: "--query".into(), text: text.clone() },
        (None, Some(name)) => sparql::resolve(name)?,
        (None, None) => bail!("give a query name, a .rq file or --query TEXT"),
    };
    let params = sparql::parameters(&args.params)?;
    check_required(&query, &params)?;
    let timeout = args.timeout.map(Duration::from_secs_f64);
    let page = |results| sparql::page(results, args.offset, args.limit);
    if let Some(url) = &cli.store.endpoint {
        return sparql::write(page(crate::remote::Endpoint::new(url)?.run(&query, &params)?), args.format, out);
    }
    let (store, _) = open_current(cli, &[])?;
    for note in unknown_names(&store, &args.params)? {
        eprintln!("note: {note}");
    }
    let shelf = match location(cli) {
        Location::Disk(dir) => Some(crate::answers::Shelf::of_store(&dir)),
        Location::Memory => None,
    };
    let run = |timeout| sparql::run_page(&store, shelf.as_ref(), &query, &params, timeout, args.offset, args.limit);
    match timeout {
        None => sparql::write(run(None)?, args.format, out),
        Some(limit) => {
            let answer = bounded(limit, || {
                let mut buffer = Vec::new();
                sparql::write(run(Some(limit))?, args.format, &mut buffer)?;
                Ok(buffer)
            });
            out.write_all(&answer?)?;
            Ok(())
        }
    }
}

/// How long past `--timeout` a query may take to notice its cancellation before the process stops it.
const GRACE: Duration = Duration::from_millis(500);

/// Runs `work` on its own thread; if it has not finished shortly after `limit` (the query engine checks
/// for cancellation only between steps, and one step can be long), the process exits with an error.
fn bounded(limit: Duration, work: impl FnOnce() -> Result<Vec<u8>> + Send) -> Result<Vec<u8>> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel();
        scope.spawn(move || {
            let _ = tx.send(work());
        });
        match rx.recv_timeout(limit + GRACE) {
            Ok(answer) => answer,
            Err(_) => {
                eprintln!("error: the query ran past --timeout {:.1} s and was stopped", limit.as_secs_f64());
                std::process::exit(1)
            }
        }
    })
}

/// Every `@param` the query's header declares must be given.
fn check_required(query: &QueryText, params: &[(oxigraph::sparql::Variable, oxigraph::model::Literal)]) -> Result<()> {
    for (name, about) in sparql::declared_parameters(&query.text) {
        if !params.iter().any(|(v, _)| v.as_str() == name) {
            bail!("query {} needs --param {name}=VALUE ({about})", query.origin);
        }
    }
    Ok(())
}

/// A note for each parameter whose value names nothing in the graph (`lookup::names_nothing`), with the
/// nearest names: `company=bookin` → "no organization in the graph is called \"bookin\"; did you mean
/// Booking.com?". The name index is built only when some value is unknown.
fn unknown_names(store: &oxigraph::store::Store, raw: &[String]) -> Result<Vec<String>> {
    use crate::lookup::{NameIndex, kind_of_parameter, names_nothing};
    let mut notes = Vec::new();
    let mut index: Option<NameIndex> = None;
    for (name, value) in sparql::named_values(raw)? {
        let Some(kind) = kind_of_parameter(&name) else { continue };
        if !names_nothing(store, &value)? {
            continue;
        }
        let names = match &mut index {
            Some(names) => names,
            None => index.insert(NameIndex::build(store)?),
        };
        let near: Vec<String> = names.suggest(&value, Some(kind), 3).into_iter().map(|e| e.label.clone()).collect();
        let what = format!("{kind:?}").to_lowercase();
        notes.push(if near.is_empty() {
            format!("no {what} in the graph is called {value:?}")
        } else {
            format!("no {what} in the graph is called {value:?}; did you mean {}?", near.join(", "))
        });
    }
    Ok(notes)
}
