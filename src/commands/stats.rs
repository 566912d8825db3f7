//! `talkgraph stats`: how many talks, speakers, organizations, technologies, stances and triples.

use super::open_current;
use crate::cli::{Cli, NotesArgs};
use crate::ontology::Stance;
use crate::sparql::{self, QueryText};
use crate::vocab::{TG, id};
use anyhow::Result;
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use std::io::Write;

/// Runs `stats`.
pub fn run(cli: &Cli, args: &NotesArgs, out: &mut dyn Write) -> Result<()> {
    let (store, _) = open_current(cli, &args.paths)?;
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
