//! `talkgraph eval --gold DIR [PATH…]`: extracts the notes whose file names the gold files name, and
//! prints precision, recall and F1 per kind of fact by the reference scorer's rules.

use super::{DEFAULT_NOTES, extractor};
use crate::cli::{Cli, EvalArgs};
use crate::corpus;
use crate::eval::{self, Gold};
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Runs `eval`.
pub fn run(cli: &Cli, args: &EvalArgs, out: &mut dyn Write) -> Result<()> {
    let golds = read_golds(&args.gold)?;
    let roots = if args.notes.paths.is_empty() { vec![PathBuf::from(DEFAULT_NOTES)] } else { args.notes.paths.clone() };
    let listing = corpus::list(&roots, cli.limits());
    let wanted: Vec<&str> = golds.iter().map(|g| g.document.as_str()).collect();
    let mut quads = Vec::new();
    let mut per_file: Vec<(String, Vec<oxigraph::model::Quad>)> = Vec::new();
    let mut found = Vec::new();
    let mut warnings = listing.warnings;
    for file in &listing.files {
        let name = file.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !wanted.contains(&name.as_str()) {
            continue;
        }
        if let Some(loaded) = corpus::read_notes(file, cli.limits(), &mut warnings) {
            let file_quads = crate::pipeline::file_quads(&loaded, extractor()?).0;
            quads.extend(file_quads.iter().cloned());
            per_file.push((name.clone(), file_quads));
            found.push(name);
        }
    }
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    if cli.strict && !warnings.is_empty() {
        bail!("{} warning(s) under --strict", warnings.len());
    }
    let missing: Vec<&&str> = wanted.iter().filter(|d| !found.iter().any(|f| f == *d)).collect();
    if !missing.is_empty() {
        bail!(
            "no notes file for gold document(s): {}",
            missing.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")
        );
    }
    let table = eval::score(&quads, &golds);
    if args.json {
        let map: serde_json::Map<String, serde_json::Value> = table
            .iter()
            .map(|(k, r)| {
                let (p, rc, f) = r.prf();
                let v = serde_json::json!({"tp": r.tp, "out": r.out, "gold": r.gold, "precision": p, "recall": rc, "f1": f});
                (k.clone(), v)
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&map)?)?;
    } else if args.per_file {
        let rows: Vec<(String, eval::Table)> = golds
            .iter()
            .filter_map(|g| {
                let (_, q) = per_file.iter().find(|(n, _)| *n == g.document)?;
                Some((g.document.trim_end_matches(".md").to_string(), eval::score(q, std::slice::from_ref(g))))
            })
            .collect();
        write!(out, "{}", eval::format_per_file(&rows, &table))?;
    } else {
        write!(out, "{}", eval::format_table(&table))?;
    }
    if args.misses {
        for gold in &golds {
            if let Some((_, q)) = per_file.iter().find(|(n, _)| *n == gold.document) {
                let misses = eval::relation_misses(q, std::slice::from_ref(gold));
                write!(out, "{}", eval::format_misses(&gold.document, &misses))?;
            }
        }
    }
    Ok(())
}

/// Every `*.json` gold file of a folder (or one file), sorted by name.
fn read_golds(path: &Path) -> Result<Vec<Gold>> {
    let mut files: Vec<PathBuf> = if path.is_dir() {
        std::fs::read_dir(path)
            .with_context(|| format!("reading {}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect()
    } else {
        vec![path.to_path_buf()]
    };
    files.sort();
    if files.is_empty() {
        bail!("no gold .json files in {}", path.display());
    }
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
            serde_json::from_str(&text).with_context(|| format!("{}: not a gold annotation file", f.display()))
        })
        .collect()
}
