//! `talkgraph stats`: how many talks, speakers, organizations, technologies, stances and triples.

use super::open_current;
use crate::cli::{Cli, NotesArgs};
use crate::ontology::Stance;
use crate::remote::Endpoint;
use crate::sparql::{self, QueryText};
use crate::vocab::{TG, id};
use anyhow::Result;
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use std::io::Write;

/// Runs `stats`.
pub fn run(cli: &Cli, args: &NotesArgs, out: &mut dyn Write) -> Result<()> {
    let source = match &cli.store.endpoint {
        Some(url) => Source::Remote(Endpoint::new(url)?),
        None => Source::Local(open_current(cli, &args.paths)?.0),
    };
    let in_notes = format!("FILTER(STRSTARTS(STR(?g), \"{}\"))", id::NOTES.base);
    let of_type = |class: &str| {
        format!("SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH ?g {{ ?x a <{}> }} {in_notes} }}", TG.iri(class))
    };
    let stance_props: Vec<String> = Stance::ALL.iter().map(|s| format!("<{}>", TG.iri(s.local_name()))).collect();
    let counts = [
        ("notes files", of_type("NotesFile")),
        ("talks", of_type("Talk")),
        (
            "speakers",
            format!(
                "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH ?g {{ ?t <{}> ?x }} {in_notes} }}",
                TG.iri("speaker")
            ),
        ),
        ("organizations", of_type("Organization")),
        ("technologies", of_type("Technology")),
        (
            "stances",
            format!(
                "SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?o ?p ?t WHERE {{ GRAPH ?g {{ ?o ?p ?t }} \
                 VALUES ?p {{ {} }} {in_notes} }} }}",
                stance_props.join(" ")
            ),
        ),
        (
            "stance evidence lines",
            format!(
                "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH ?g {{ ?x <{}> ?k }} {in_notes} }}",
                TG.iri("stanceKind")
            ),
        ),
    ];
    for (label, text) in counts {
        writeln!(out, "{label:<24} {}", count(&source, &text)?)?;
    }
    let triples = match &source {
        Source::Local(store) => store.len()?.to_string(),
        Source::Remote(_) => count(&source, ALL_QUADS)?,
    };
    writeln!(out, "{:<24} {}", "triples (quads)", triples)?;
    Ok(())
}

/// Where the counts come from.
enum Source {
    Local(crate::store::ReadStore),
    Remote(Endpoint),
}

/// The quads of a remote dataset in talkgraph's graphs (a server holds graphs of its own besides).
const ALL_QUADS: &str =
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"https://talkgraph.dev/\")) }";

fn count(source: &Source, text: &str) -> Result<String> {
    let q = QueryText { origin: "stats".into(), text: text.into() };
    let results = match source {
        Source::Local(store) => sparql::run(store, None, &q, &[], None)?,
        Source::Remote(endpoint) => endpoint.run(&q, &[])?,
    };
    if let QueryResults::Solutions(mut rows) = results
        && let Some(row) = rows.next()
    {
        return Ok(row?.get("n").map(|t: &Term| sparql::plain(t)).unwrap_or_default());
    }
    Ok("0".into())
}
