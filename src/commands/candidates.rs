//! `talkgraph candidates [PATH…]`: terms that look like technologies but are not in the vocabulary, with
//! how often and where (`file:line`) they occur, most frequent first — the list to grow `ontology/` from.

use super::{DEFAULT_NOTES, extractor};
use crate::cli::{CandidatesArgs, Cli};
use crate::corpus;
use anyhow::{Result, bail};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

/// Runs `candidates`.
pub fn run(cli: &Cli, args: &CandidatesArgs, out: &mut dyn Write) -> Result<()> {
    let roots = if args.notes.paths.is_empty() { vec![PathBuf::from(DEFAULT_NOTES)] } else { args.notes.paths.clone() };
    let listing = corpus::list(&roots, cli.limits());
    let mut warnings = listing.warnings;
    let extractor = extractor()?;
    // normalised term → (forms seen with counts, places)
    let mut seen: BTreeMap<String, (BTreeMap<String, usize>, Vec<String>)> = BTreeMap::new();
    for file in &listing.files {
        let Some(loaded) = corpus::read_notes(file, cli.limits(), &mut warnings) else { continue };
        for talk in crate::pipeline::extraction(loaded, extractor).talks {
            for c in talk.candidates {
                let entry = seen.entry(crate::text::normalize(&c.term)).or_default();
                *entry.0.entry(c.term).or_default() += 1;
                entry.1.push(format!("{}:{}", file.relative, c.line));
            }
        }
    }
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    if cli.strict && !warnings.is_empty() {
        bail!("{} warning(s) under --strict", warnings.len());
    }
    let mut rows: Vec<(usize, String, Vec<String>)> = seen
        .into_values()
        .map(|(forms, places)| {
            let form =
                forms.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|f| f.0.clone()).unwrap_or_default();
            (places.len(), form, places)
        })
        .filter(|(n, _, _)| *n >= args.min_count)
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.to_lowercase().cmp(&b.1.to_lowercase())));
    writeln!(out, "{:>5}  {:<32} places", "count", "term")?;
    for (n, term, places) in &rows {
        let shown: Vec<&str> = places.iter().take(5).map(String::as_str).collect();
        let more = if places.len() > 5 { format!(" (+{} more)", places.len() - 5) } else { String::new() };
        writeln!(out, "{n:>5}  {term:<32} {}{more}", shown.join(", "))?;
    }
    writeln!(out, "({} candidate terms)", rows.len())?;
    Ok(())
}
