//! `talkgraph export`: the graph as Turtle (default), N-Triples, N-Quads, TriG, JSON-LD or RDF/XML,
//! deterministic (sorted), with the namespace prefixes declared. Triple formats merge the per-file graphs.

use super::open_current;
use crate::cli::{Cli, ExportArgs, ExportFormat};
use crate::rdf::export;
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
    match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            export::write(&store, format.into(), scope, &mut w)?;
            w.flush()?;
        }
        None => export::write(&store, format.into(), scope, out)?,
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
        other => bail!(
            "cannot tell the RDF format of {} from {other:?}; use --format ttl|nt|nq|trig|jsonld|rdf",
            path.display()
        ),
    })
}

impl From<ExportFormat> for oxigraph::io::RdfFormat {
    fn from(f: ExportFormat) -> Self {
        use oxigraph::io::{JsonLdProfileSet, RdfFormat};
        match f {
            ExportFormat::Ttl => RdfFormat::Turtle,
            ExportFormat::Nt => RdfFormat::NTriples,
            ExportFormat::Nq => RdfFormat::NQuads,
            ExportFormat::Trig => RdfFormat::TriG,
            ExportFormat::Jsonld => RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() },
            ExportFormat::Rdf => RdfFormat::RdfXml,
        }
    }
}
