//! `talkgraph export`: the graph as Turtle (default), N-Triples, N-Quads, TriG, compact JSON-LD or
//! RDF/XML, deterministic (sorted), with the namespace prefixes declared (triple formats merge the
//! per-file graphs); or its projections for other tools: GraphML and the radar as CSV.

use super::open_current;
use crate::cli::{Cli, ExportArgs, ExportFormat};
use crate::rdf::{export, jsonld};
use crate::{project, radar};
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::Path;

/// Runs `export`.
pub fn run(cli: &Cli, args: &ExportArgs, out: &mut dyn Write) -> Result<()> {
    let format = match (args.format, &args.output) {
        (Some(f), _) => f,
        (None, Some(path)) => format_from_path(path)?,
        (None, None) => ExportFormat::Ttl,
    };
    let (store, _) = open_current(cli, &[])?;
    let scope = args.ontology;
    let write = |out: &mut dyn Write| -> Result<()> {
        match format {
            ExportFormat::Graphml => project::graphml::write(&project::project(&store)?, out),
            ExportFormat::Radar => radar::write_csv(&project::project(&store)?, out),
            ExportFormat::Jsonld => jsonld::write(&store, scope, out),
            rdf => export::write(&store, rdf_format(rdf), scope, out),
        }
    };
    match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            write(&mut w)?;
            w.flush()?;
        }
        None => write(out)?,
    }
    Ok(())
}

/// The format an output file's extension names.
fn format_from_path(path: &Path) -> Result<ExportFormat> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    Ok(match ext.as_str() {
        "ttl" => ExportFormat::Ttl,
        "nt" => ExportFormat::Nt,
        "nq" => ExportFormat::Nq,
        "trig" => ExportFormat::Trig,
        "jsonld" | "json" => ExportFormat::Jsonld,
        "rdf" | "xml" | "owl" => ExportFormat::Rdf,
        "graphml" => ExportFormat::Graphml,
        "csv" => ExportFormat::Radar,
        other => bail!(
            "cannot tell the export format of {} from {other:?}; use --format ttl|nt|nq|trig|jsonld|rdf|graphml|radar",
            path.display()
        ),
    })
}

/// The serializer of an RDF export format (the projections have writers of their own).
fn rdf_format(f: ExportFormat) -> oxigraph::io::RdfFormat {
    use oxigraph::io::{JsonLdProfileSet, RdfFormat};
    match f {
        ExportFormat::Nt => RdfFormat::NTriples,
        ExportFormat::Nq => RdfFormat::NQuads,
        ExportFormat::Trig => RdfFormat::TriG,
        ExportFormat::Jsonld => RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() },
        ExportFormat::Rdf => RdfFormat::RdfXml,
        ExportFormat::Ttl | ExportFormat::Graphml | ExportFormat::Radar => RdfFormat::Turtle,
    }
}
