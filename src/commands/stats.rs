//! `talkgraph stats`: how many talks, speakers, organizations, technologies, stances and triples.

use super::open_current;
use crate::cli::{Cli, NotesArgs};
use crate::rdf::vocab::{TG, id};
use crate::sparql::{self, QueryText};
use anyhow::Result;
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use std::io::Write;

/// Runs `stats`.
pub fn run(cli: &Cli, args: &NotesArgs, out: &mut dyn Write) -> Result<()> {
    let (store, _) = open_current(cli, &args.paths)?;
    let counts = [
        ("notes files", format!("?x a <{}>", TG.iri("NotesFile"))),
        ("talks", format!("?x a <{}>", TG.iri("Talk"))),
        ("speakers", format!("?t <{}> ?x", TG.iri("speaker"))),
        ("organizations", format!("?x a <{}>", TG.iri("Organization"))),
        ("technologies", format!("?x a <{}>", TG.iri("Technology"))),
        ("stances", format!("?x a <{}>", TG.iri("Stance"))),
    ];
    for (label, pattern) in counts {
        let text = format!(
            "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH ?g {{ {pattern} }} FILTER(STRSTARTS(STR(?g), \"{}\")) }}",
            id::NOTES.base
        );
        writeln!(out, "{label:<24} {}", count(&store, &text)?)?;
    }
    writeln!(out, "{:<24} {}", "triples (quads)", store.len()?)?;
    Ok(())
}

fn count(store: &oxigraph::store::Store, text: &str) -> Result<String> {
    let q = QueryText { origin: "stats".into(), text: text.into() };
    if let QueryResults::Solutions(mut rows) = sparql::run(store, &q, &[], None)?
        && let Some(row) = rows.next()
    {
        return Ok(row?.get("n").map(|t: &Term| sparql::plain(t)).unwrap_or_default());
    }
    Ok("0".into())
}
