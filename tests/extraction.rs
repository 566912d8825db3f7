//! Extraction quality on annotated notes, scored by the reference scorer's rules (`src/eval.rs`, and the
//! Python original in `tests/score.py` when pyoxigraph is installed).
//!
//! - `sample_*`: the sample notes in `notes/` against `tests/gold/`, with the bars of the first issue.

mod common;

use common::run_ok;
use talkgraph::eval::{self, Gold};

fn gold(path: &str) -> Gold {
    serde_json::from_str(&std::fs::read_to_string(common::root().join(path)).unwrap()).unwrap()
}

fn export_quads(store: &std::path::Path, args: &[&str]) -> (String, Vec<oxigraph::model::Quad>) {
    let mut full = args.to_vec();
    full.extend(["export", "--format", "nt"]);
    let nt = run_ok(store, &full);
    let quads = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
        .for_slice(nt.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    (nt, quads)
}

#[test]
fn sample_meets_the_bars() {
    let dir = tempfile::tempdir().unwrap();
    let (_, quads) = export_quads(&dir.path().join("s"), &[]);
    let table = eval::score(&quads, &[gold("tests/gold/000_221fd2861c5af3bb.json")]);
    println!("{}", eval::format_table(&table));
    let bars = [
        ("talks", 1.0),
        ("speakers", 1.0),
        ("speaker organizations", 1.0),
        ("technologies", 0.90),
        ("organizations", 0.85),
        ("relations (org, stance, tech)", 0.75),
    ];
    for (kind, bar) in bars {
        let f1 = eval::f1(&table, kind);
        assert!(f1 >= bar, "{kind}: F1 {f1:.3} below {bar}\n{}", eval::format_table(&table));
    }
}

#[test]
fn sample_scores_agree_with_the_reference_scorer() {
    let has_pyoxigraph =
        std::process::Command::new("python3").args(["-c", "import pyoxigraph"]).status().is_ok_and(|s| s.success());
    if !has_pyoxigraph {
        eprintln!("skipped: python3 with pyoxigraph is not installed (CI installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (nt, quads) = export_quads(&dir.path().join("s"), &[]);
    let file = dir.path().join("export.nt");
    std::fs::write(&file, nt).unwrap();
    let gold_path = common::root().join("tests/gold/000_221fd2861c5af3bb.json");
    let reference = reference_scores(&file, &gold_path);
    let ours = eval::score(&quads, &[gold("tests/gold/000_221fd2861c5af3bb.json")]);
    for (kind, row) in &ours {
        let r = &reference[kind];
        let got = (row.tp, row.out, row.gold);
        let want = (
            r["tp"].as_u64().unwrap() as usize,
            r["out"].as_u64().unwrap() as usize,
            r["gold"].as_u64().unwrap() as usize,
        );
        assert_eq!(got, want, "{kind}");
    }
    assert_eq!(ours.len(), reference.as_object().unwrap().len());
}

/// One fixture's figures from the real binary: kind → (tp, out, gold).
fn fixture_rows(dir: &std::path::Path) -> serde_json::Map<String, serde_json::Value> {
    let d = dir.to_str().unwrap();
    let store = tempfile::tempdir().unwrap();
    let out = run_ok(&store.path().join("s"), &["eval", "--json", "--gold", d, d]);
    serde_json::from_str::<serde_json::Value>(&out).unwrap().as_object().unwrap().clone()
}

fn fixture_dirs() -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(common::root().join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Held figures on our own fixtures (10 layouts, Russian and English): F1 over all of them together,
/// and every layout must find its talks.
#[test]
fn fixtures_hold_their_figures() {
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 8, "only {} fixtures", dirs.len());
    let mut total: std::collections::BTreeMap<String, (u64, u64, u64)> = Default::default();
    for dir in &dirs {
        let rows = fixture_rows(dir);
        let talks = rows["talks"]["f1"].as_f64().unwrap();
        assert!(talks >= 0.8, "{}: talks F1 {talks:.2}", dir.display());
        for (kind, r) in rows {
            let t = total.entry(kind).or_default();
            t.0 += r["tp"].as_u64().unwrap();
            t.1 += r["out"].as_u64().unwrap();
            t.2 += r["gold"].as_u64().unwrap();
        }
    }
    let bars = [
        ("talks", 0.95),
        ("speakers", 0.95),
        ("speaker organizations", 0.90),
        ("technologies", 0.85),
        ("organizations", 0.80),
        ("relations (org, tech)", 0.80),
        ("relations (org, stance, tech)", 0.55),
    ];
    for (kind, bar) in bars {
        let (tp, out, gold) = total[kind];
        let row = eval::Row { tp: tp as usize, out: out as usize, gold: gold as usize };
        let f1 = row.prf().2;
        println!("{kind:32} tp {tp:4} out {out:4} gold {gold:4} F1 {f1:.3}");
        assert!(f1 >= bar, "{kind}: F1 {f1:.3} below the held {bar}");
    }
}

/// `talkgraph eval` and the Python reference scorer give the same counts on every fixture.
#[test]
fn fixtures_eval_agrees_with_the_reference_scorer() {
    let has_pyoxigraph =
        std::process::Command::new("python3").args(["-c", "import pyoxigraph"]).status().is_ok_and(|s| s.success());
    if !has_pyoxigraph {
        eprintln!("skipped: python3 with pyoxigraph is not installed (CI installs it)");
        return;
    }
    for dir in fixture_dirs() {
        let d = dir.to_str().unwrap();
        let store = tempfile::tempdir().unwrap();
        run_ok(&store.path().join("s"), &["ingest", d]);
        let export = store.path().join("export.nt");
        run_ok(&store.path().join("s"), &["export", "--format", "nt", "--output", export.to_str().unwrap()]);
        let gold = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "json"))
            .unwrap();
        let reference = reference_scores(&export, &gold);
        let ours = fixture_rows(&dir);
        for (kind, r) in &ours {
            for field in ["tp", "out", "gold"] {
                assert_eq!(r[field], reference[kind][field], "{}: {kind} {field}", dir.display());
            }
        }
    }
}

/// The reference scorer's table (`tests/score.py --json`) for an exported graph and a gold file.
fn reference_scores(export: &std::path::Path, gold: &std::path::Path) -> serde_json::Value {
    let out = std::process::Command::new("python3")
        .arg(common::root().join("tests/score.py"))
        .arg(export)
        .arg(gold)
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The real notes of other authors the project measures itself on, where they lie beside the project.
fn devset() -> Option<std::path::PathBuf> {
    let dir = common::root().join("../shared/devset");
    dir.join("gold").is_dir().then_some(dir)
}

/// F1 per kind of one `eval --json` run.
fn f1s(args: &[&str]) -> std::collections::BTreeMap<String, f64> {
    let store = tempfile::tempdir().unwrap();
    let mut full = vec!["eval", "--json"];
    full.extend(args);
    let out = run_ok(&store.path().join("s"), &full);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    rows.as_object().unwrap().iter().map(|(k, r)| (k.clone(), r["f1"].as_f64().unwrap())).collect()
}

/// Every document's own figures now: each fixture, each dev-set document (when the dev set is there) and
/// the dev set as a whole.
fn current_figures() -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, f64>> {
    let mut figures = std::collections::BTreeMap::new();
    for dir in fixture_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let d = dir.to_str().unwrap();
        figures.insert(format!("fixtures/{name}"), f1s(&["--gold", d, d]));
    }
    let Some(devset) = devset() else { return figures };
    let (gold, notes) = (devset.join("gold"), devset.join("notes"));
    let mut golds: Vec<_> = std::fs::read_dir(&gold).unwrap().map(|e| e.unwrap().path()).collect();
    golds.sort();
    for g in golds.iter().filter(|g| g.extension().is_some_and(|e| e == "json")) {
        let stem = g.file_stem().unwrap().to_string_lossy().into_owned();
        let md = notes.join(format!("{stem}.md"));
        figures.insert(format!("devset/{stem}"), f1s(&["--gold", g.to_str().unwrap(), md.to_str().unwrap()]));
    }
    figures.insert("devset/total".into(), f1s(&["--gold", gold.to_str().unwrap(), notes.to_str().unwrap()]));
    figures
}

/// The ratchet: every document (each of our fixtures, each real dev-set document, the dev set in total)
/// holds the F1 per kind it has reached, recorded in `tests/figures.json`, so that no document's regression
/// hides in a sum. Raise the floor after an improvement with
/// `TALKGRAPH_WRITE_FIGURES=1 cargo test --release --test extraction every_document`.
#[test]
fn every_document_holds_its_figures() {
    let path = common::root().join("tests/figures.json");
    let current = current_figures();
    if std::env::var_os("TALKGRAPH_WRITE_FIGURES").is_some() {
        let floored: std::collections::BTreeMap<_, std::collections::BTreeMap<_, f64>> = current
            .iter()
            .map(|(doc, kinds)| {
                (doc.clone(), kinds.iter().map(|(k, f)| (k.clone(), (f * 1000.0).floor() / 1000.0)).collect())
            })
            .collect();
        std::fs::write(&path, serde_json::to_string_pretty(&floored).unwrap() + "\n").unwrap();
        return;
    }
    if devset().is_none() {
        eprintln!("note: ../shared/devset is not beside the project; only the fixtures are held");
    }
    let floor: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut drops = Vec::new();
    for (doc, kinds) in floor.as_object().unwrap() {
        let Some(now) = current.get(doc) else {
            assert!(doc.starts_with("devset/"), "{doc}: a held fixture is gone");
            continue;
        };
        for (kind, held) in kinds.as_object().unwrap() {
            let held = held.as_f64().unwrap();
            let got = now.get(kind).copied().unwrap_or(0.0);
            if got + 1e-9 < held {
                drops.push(format!("{doc} {kind}: F1 {got:.3} below the held {held:.3}"));
            }
        }
    }
    assert!(drops.is_empty(), "figures dropped:\n{}", drops.join("\n"));
}
