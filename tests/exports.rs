//! The exports for graph tools, read back by the consumers people use: GraphML by networkx and igraph,
//! compact JSON-LD by pyld (expanded, it must give exactly the N-Quads export), the radar CSV by Python's
//! csv reader as Build-Your-Own-Radar reads it. Each through the real binary on the sample notes.

mod common;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Quad, Term};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use talkgraph::vocab::TG;

/// True when python3 can import every module; when it cannot, the test is skipped, unless CI asked for
/// the consumers (`TALKGRAPH_REQUIRE_CONSUMERS=1`), where a missing one fails it.
fn consumers(modules: &[&str]) -> bool {
    let script = modules.iter().map(|m| format!("import {m}")).collect::<Vec<_>>().join("; ");
    let present = Command::new("python3").args(["-c", &script]).status().is_ok_and(|s| s.success());
    common::present_or_skip(present, &format!("python3 with {modules:?}"), "TALKGRAPH_REQUIRE_CONSUMERS")
}

fn python(script: &str, args: &[&Path]) -> Value {
    let out =
        Command::new("python3").arg(common::root().join("tests/consumers").join(script)).args(args).output().unwrap();
    assert!(out.status.success(), "{script} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A store of the sample notes and the path of an export of it in `format`.
fn exported(dir: &Path, format: &str, extension: &str) -> std::path::PathBuf {
    let store = dir.join("s");
    let file = dir.join(format!("export.{extension}"));
    common::run_ok(&store, &["export", "--format", format, "--output", file.to_str().unwrap()]);
    file
}

fn nquads(dir: &Path) -> Vec<Quad> {
    let file = exported(dir, "nq", "nq");
    RdfParser::from_format(RdfFormat::NQuads)
        .for_slice(&std::fs::read(file).unwrap())
        .collect::<Result<_, _>>()
        .unwrap()
}

/// What the RDF says the projection must hold: entities by kind, links by property, stance nodes.
fn expected_counts(quads: &[Quad]) -> (BTreeMap<String, usize>, BTreeMap<String, usize>) {
    let mut kinds: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut links: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for q in quads {
        let p = q.predicate.as_str();
        if p == oxigraph::model::vocab::rdf::TYPE.as_str()
            && let Term::NamedNode(class) = &q.object
            && let Some(kind) = TG.local(class.as_str())
            && ["Talk", "Person", "Organization", "Technology", "Event"].contains(&kind)
        {
            kinds.entry(kind.to_string()).or_default().insert(q.subject.to_string());
        }
        if let Some(local) = TG.local(p)
            && (["speaker", "worksFor", "mentions", "event"].contains(&local) || local == "stanceKind")
        {
            // A stance node's edge is labelled by its kind (`adopted`, …), the others by their property.
            let key = match (&q.object, local) {
                (Term::NamedNode(kind), "stanceKind") => TG.local(kind.as_str()).unwrap_or_default().to_string(),
                _ => local.to_string(),
            };
            links.entry(key).or_default().insert((q.subject.to_string(), q.object.to_string()));
        }
    }
    (kinds.into_iter().map(|(k, v)| (k, v.len())).collect(), links.into_iter().map(|(k, v)| (k, v.len())).collect())
}

fn counts(value: &Value) -> BTreeMap<String, usize> {
    value.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap() as usize)).collect()
}

#[test]
fn graphml_loads_in_networkx_and_igraph_with_every_entity_and_stance() {
    if !consumers(&["networkx", "igraph"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (kinds, links) = expected_counts(&nquads(dir.path()));
    let file = exported(dir.path(), "graphml", "graphml");
    let seen = python("graphml.py", &[&file]);
    assert_eq!(seen["networkx"], seen["igraph"], "networkx and igraph read the same graph");
    let graph = &seen["networkx"];
    assert_eq!(graph["directed"], true);
    assert_eq!(counts(&graph["nodes"]), kinds);
    assert_eq!(counts(&graph["edges"]), links);
    let stances = graph["stances"].as_array().unwrap();
    let stolon = stances
        .iter()
        .find(|s| s[0] == "United Traders" && s[1] == "Stolon" && s[2] == "adopted")
        .unwrap_or_else(|| panic!("no United Traders → Stolon adopted edge in {stances:?}"));
    assert!(stolon[3].as_str().unwrap().contains("Выбрали stolon"), "{stolon:?}");
    let line = stolon[5].as_u64().unwrap() as usize;
    let notes = std::fs::read_to_string(common::root().join("notes").join(stolon[4].as_str().unwrap())).unwrap();
    assert!(notes.lines().nth(line - 1).unwrap().contains("Выбрали stolon"), "line {line} of {}", stolon[4]);
}

#[test]
fn compact_json_ld_expands_in_pyld_to_exactly_the_nquads_export() {
    if !consumers(&["pyld", "pyoxigraph"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let jsonld = exported(dir.path(), "jsonld", "jsonld");
    let nq = exported(dir.path(), "nq", "nq");
    let seen = python("jsonld.py", &[&jsonld, &nq]);
    assert!(seen["nquads"].as_u64().unwrap() > 1000, "{seen}");
    assert_eq!(seen["nquads"], seen["pyld"], "{seen}");
    assert_eq!(seen["only_nquads"], serde_json::json!([]), "{seen}");
    assert_eq!(seen["only_pyld"], serde_json::json!([]), "{seen}");
    // Compact: short keys and prefixes, not full IRIs on every property.
    let text = std::fs::read_to_string(&jsonld).unwrap();
    let document: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(document["@context"]["speaker"]["@type"], "@id");
    assert!(text.contains("\"@id\":\"talk:"), "talks are named by their prefix");
    let graphs = document["@graph"].as_array().unwrap();
    assert!(
        graphs.iter().any(|g| g["@id"].as_str().is_some_and(|id| id.starts_with("notes:"))),
        "one @graph per notes file"
    );
}

#[test]
fn the_radar_csv_has_the_byor_columns_and_cites_companies_and_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let file = exported(dir.path(), "radar", "csv");
    let mut reader = csv::Reader::from_path(&file).unwrap();
    assert_eq!(reader.headers().unwrap(), vec!["name", "ring", "quadrant", "isNew", "description"]);
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
    let stolon = rows.iter().find(|r| &r[0] == "Stolon").expect("Stolon is on the radar");
    assert_eq!(&stolon[1], "Adopt");
    assert!(["Data", "Platforms", "Tools", "Languages & Frameworks"].contains(&&stolon[2]), "{stolon:?}");
    assert!(["TRUE", "FALSE"].contains(&&stolon[3]));
    assert!(stolon[4].contains("United Traders adopted it: \u{201c}Выбрали stolon"), "{stolon:?}");
    assert!(stolon[4].contains("000_221fd2861c5af3bb.txt:"), "the description cites file and line: {stolon:?}");
    for row in &rows {
        assert!(["Adopt", "Trial", "Assess", "Hold"].contains(&&row[1]), "{row:?}");
    }
}

#[test]
fn every_projection_is_byte_identical_from_the_same_notes() {
    for (format, extension) in [("graphml", "graphml"), ("jsonld", "jsonld"), ("radar", "csv")] {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let first = std::fs::read(exported(a.path(), format, extension)).unwrap();
        let second = std::fs::read(exported(b.path(), format, extension)).unwrap();
        assert!(first == second, "{format} differs between two stores of the same notes");
        assert!(!first.is_empty());
    }
}
