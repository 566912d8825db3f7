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
    let out = std::process::Command::new("python3")
        .arg(common::root().join("tests/score.py"))
        .arg(&file)
        .arg(&gold_path)
        .arg("--json")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let reference: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
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
