//! Integration tests running the real binary on the sample notes in `notes/`.
//!
//! - `query_*`: canned queries answer with evidence; parameters stay data.
//! - `ingest_*`: incremental ingest (skip, replace, drop).
//! - `export_*`: Turtle round trip and determinism.

mod common;

use common::{copy_notes, run_ok, talkgraph};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Triple;
use std::collections::HashSet;

#[test]
fn query_companies_moved_to_stolon_names_united_traders_with_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(&dir.path().join("s"), &["query", "companies-moved-to", "--param", "tech=stolon"]);
    assert!(out.contains("United Traders"), "{out}");
    assert!(out.contains("Выбрали stolon."), "{out}");
    assert!(out.contains("000_221fd2861c5af3bb.txt"), "{out}");
}

#[test]
fn query_parameter_matches_aliases_in_any_case() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(&dir.path().join("s"), &["query", "companies-moved-to", "--param", "tech=K8S", "--format", "csv"]);
    assert!(out.contains("Kubernetes"), "{out}");
}

#[test]
fn query_parameter_that_names_nothing_gets_a_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    let run = |company: &str| {
        let arg = format!("company={company}");
        talkgraph(&dir.path().join("s")).args(["query", "company-profile", "--param", &arg]).output().unwrap()
    };
    let out = run("bookin");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no organization in the graph is called \"bookin\"; did you mean Booking.com"), "{err}");
    // An alias the vocabulary knows ("booking") finds the company, with no note.
    let known = run("booking");
    assert!(!String::from_utf8_lossy(&known.stderr).contains("did you mean"), "a known name gets no note");
    let rows = String::from_utf8_lossy(&known.stdout);
    assert!(rows.contains("Kubernetes"), "{rows}");
}

#[test]
fn query_parameters_with_sparql_syntax_stay_data() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = "stolon\" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o";
    let out = run_ok(&dir.path().join("s"), &["query", "companies-moved-to", "--param", &format!("tech={hostile}")]);
    assert!(out.contains("(0 rows)"), "{out}");
}

#[test]
fn query_refuses_updates() {
    let dir = tempfile::tempdir().unwrap();
    let out =
        talkgraph(&dir.path().join("s")).args(["query", "--query", "DELETE WHERE { ?s ?p ?o }"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("read-only"));
}

#[test]
fn query_without_required_parameter_says_which() {
    let dir = tempfile::tempdir().unwrap();
    let out = talkgraph(&dir.path().join("s")).args(["query", "companies-moved-to"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--param tech="));
}

#[test]
fn query_pages_are_slices_of_the_whole_answer() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    for (name, params) in [("company-profile", vec!["--param", "company=United Traders"]), ("talks", vec![])] {
        let csv = |extra: &[&str]| {
            let mut args = vec!["query", name, "--format", "csv"];
            args.extend(&params);
            args.extend(extra);
            run_ok(&store, &args).lines().map(str::to_string).collect::<Vec<_>>()
        };
        let whole = csv(&[]);
        assert!(whole.len() > 6, "{name}: {whole:?}");
        let page = csv(&["--limit", "3", "--offset", "2"]);
        assert_eq!(page[0], whole[0], "{name}: the header");
        assert_eq!(page[1..], whole[3..6], "{name}: rows 3 to 5");
        assert_eq!(csv(&["--offset", "1"])[1..], whole[2..], "{name}: all but the first row");
        // The same pages from the engine (the query text as given, not the canned name).
        let text = std::fs::read_to_string(common::root().join("queries").join(format!("{name}.rq"))).unwrap();
        let mut args = vec!["query", "--query", text.as_str(), "--format", "csv", "--limit", "3", "--offset", "2"];
        args.extend(&params);
        let engine: Vec<String> = run_ok(&store, &args).lines().map(str::to_string).collect();
        if name != "talks" {
            assert_eq!(engine, page, "{name}: the engine's page");
        }
    }
}

#[test]
fn query_every_canned_query_parses_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let names: Vec<String> = std::fs::read_dir(common::root().join("queries"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".rq").to_string())
        .collect();
    assert!(names.len() >= 12, "only {} canned queries", names.len());
    for name in names {
        let text = std::fs::read_to_string(common::root().join("queries").join(format!("{name}.rq"))).unwrap();
        assert!(text.starts_with("# "), "{name} has no header comment");
        let mut args = vec!["query".to_string(), name.clone(), "--format".into(), "json".into()];
        for line in text.lines().filter_map(|l| l.strip_prefix("# @param ")) {
            let param = line.split_whitespace().next().unwrap();
            let value = if param == "company" { "United Traders" } else { "stolon" };
            args.extend(["--param".to_string(), format!("{param}={value}")]);
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run_ok(&store, &refs);
        let json: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{name}: {e}: {out}"));
        assert!(json["results"]["bindings"].is_array(), "{name}: {out}");
    }
}

#[test]
fn ingest_twice_keeps_the_triple_count_and_skips_unchanged_files() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let first = run_ok(&store, &["ingest"]);
    assert!(first.contains("1 added"), "{first}");
    let stats1 = run_ok(&store, &["stats"]);
    let second = run_ok(&store, &["ingest"]);
    assert!(second.contains("0 added, 0 updated, 0 removed, 1 unchanged"), "{second}");
    assert_eq!(stats1, run_ok(&store, &["stats"]));
}

#[test]
fn ingest_replaces_an_edited_file_and_drops_a_removed_one() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    copy_notes(&notes);
    std::fs::write(notes.join("extra.md"), "# Kafka talk\nJane Roe, SRE, Initech\n\nWe moved to Kafka.\n").unwrap();
    let store = dir.path().join("s");
    run_ok(&store, &["ingest", notes.to_str().unwrap()]);
    let before = run_ok(&store, &["query", "companies-moved-to", "--param", "tech=kafka"]);
    assert!(before.contains("Initech"), "{before}");
    std::fs::write(notes.join("extra.md"), "# Kafka talk\nJane Roe, SRE, Initech\n\nWe moved to Pulsar.\n").unwrap();
    let after = run_ok(&store, &["query", "companies-moved-to", "--param", "tech=kafka"]);
    assert!(!after.contains("Initech"), "edited note still answers: {after}");
    std::fs::remove_file(notes.join("extra.md")).unwrap();
    let report = run_ok(&store, &["ingest"]);
    assert!(report.contains("removed  extra.md"), "{report}");
}

#[test]
fn an_edited_file_leaves_the_store_exactly_as_a_fresh_ingest_of_the_edited_notes() {
    // The replacement writes only the difference from the old graph: what it keeps, drops and adds must
    // come to the new graph exactly. The edit moves every later line (so evidence lines change), drops a
    // stance and adds one.
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    copy_notes(&notes);
    let file = notes.join("000_221fd2861c5af3bb.txt");
    let store = dir.path().join("s");
    run_ok(&store, &["ingest", notes.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("Выбрали stolon."));
    let edited =
        format!("Заметки.\n\n{}\nUnited Traders перешли на Kafka.\n", text.replace("Выбрали stolon.", "Выбрали etcd."));
    std::fs::write(&file, edited).unwrap();
    let report = run_ok(&store, &["ingest"]);
    assert!(report.contains("1 updated"), "{report}");
    let fresh = dir.path().join("fresh");
    run_ok(&fresh, &["ingest", notes.to_str().unwrap()]);
    let export = |store: &std::path::Path| run_ok(store, &["export", "--format", "nq", "--ontology", "all"]);
    let (updated, clean) = (export(&store), export(&fresh));
    assert!(updated.contains("United Traders перешли на Kafka."), "the added line is evidence");
    assert!(updated == clean, "the updated store differs from a fresh ingest of the same notes");
}

#[test]
fn a_company_the_speaker_line_inflects_is_named_as_the_talk_writes_it() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    let talk = "# Поиск\n\nДокладчик — Руслан Хайруллин, тимлид в Ромашке.\n\nРомашка перешла на Manticore Search.\n\n\
                # Очереди\n\nДокладчик — Дина Сафина из Точки.\n\nВ Точке используют NATS.\n";
    std::fs::write(notes.join("talks.md"), talk).unwrap();
    let store = dir.path().join("s");
    run_ok(&store, &["ingest", notes.to_str().unwrap()]);
    let query = "PREFIX tg: <https://talkgraph.dev/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> \
                 SELECT ?name ?label WHERE { ?p tg:worksFor ?o . ?o skos:prefLabel ?name ; skos:altLabel ?label }";
    let rows = run_ok(&store, &["query", "--query", query, "--format", "csv"]);
    // The nominative written in the talk names the company; the speaker line's form stays a label of it.
    assert!(rows.contains("Ромашка,Ромашке"), "{rows}");
    // With no nominative in the talk's text the form stays as written.
    assert!(!rows.contains("Точка"), "{rows}");
}

/// Sets a file's modification time `minutes` ago, so that its stamp is old enough to be trusted.
fn age(path: &std::path::Path, minutes: u64) {
    let when = std::time::SystemTime::now() - std::time::Duration::from_secs(60 * minutes);
    std::fs::File::options().write(true).open(path).unwrap().set_modified(when).unwrap();
}

#[test]
fn ingest_sees_an_edit_that_keeps_the_size_and_skips_files_whose_stamp_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    let file = notes.join("talk.md");
    std::fs::write(&file, "# Queues\nJane Roe, SRE, Initech\n\nWe moved to Kafka.\n").unwrap();
    age(&file, 60);
    let store = dir.path().join("s");
    run_ok(&store, &["ingest", notes.to_str().unwrap()]);
    let unchanged = run_ok(&store, &["ingest"]);
    assert!(unchanged.contains("1 unchanged"), "{unchanged}");
    // Same size, new content, new (but not recent) modification time: must be read again.
    std::fs::write(&file, "# Queues\nJane Roe, SRE, Initech\n\nWe moved to Kafkb.\n").unwrap();
    age(&file, 30);
    let edited = run_ok(&store, &["ingest"]);
    assert!(edited.contains("1 updated"), "{edited}");
    let answer = run_ok(&store, &["query", "companies-moved-to", "--param", "tech=kafka"]);
    assert!(!answer.contains("Initech"), "the edit was missed: {answer}");
}

#[test]
fn export_from_memory_and_from_disk_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let disk = run_ok(&dir.path().join("s"), &["export", "--format", "trig"]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_talkgraph"))
        .current_dir(common::root())
        .args(["--memory", "export", "--format", "trig"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(disk, String::from_utf8(out.stdout).unwrap(), "memory and disk stores export differently");
}

fn triples(ttl: &[u8]) -> HashSet<Triple> {
    RdfParser::from_format(RdfFormat::Turtle).for_slice(ttl).map(|q| Triple::from(q.expect("export parses"))).collect()
}

#[test]
fn export_turtle_parses_back_to_the_same_graph_and_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    let ttl = run_ok(&store, &["export"]);
    let nt = run_ok(&store, &["export", "--format", "nt"]);
    let from_nt: HashSet<Triple> = RdfParser::from_format(RdfFormat::NTriples)
        .for_slice(nt.as_bytes())
        .map(|q| Triple::from(q.unwrap()))
        .collect();
    assert_eq!(triples(ttl.as_bytes()), from_nt);
    assert!(ttl.starts_with("@prefix"), "Turtle export declares prefixes");
    let other = tempfile::tempdir().unwrap();
    assert_eq!(ttl, run_ok(&other.path().join("s"), &["export"]), "two exports of the same notes differ");
}

#[test]
fn export_every_format_parses() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s");
    for (name, format) in [("nq", RdfFormat::NQuads), ("trig", RdfFormat::TriG), ("rdf", RdfFormat::RdfXml)] {
        let out = run_ok(&store, &["export", "--format", name]);
        let n = RdfParser::from_format(format).for_slice(out.as_bytes()).filter(|q| q.is_ok()).count();
        assert!(n > 1000, "{name}: {n} quads");
    }
}

#[test]
fn memory_store_answers_from_the_notes() {
    let mut cmd = assert_cmd::Command::cargo_bin("talkgraph").unwrap();
    let out = cmd.current_dir(common::root()).args(["--memory", "stats"]).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.lines().any(|l| l.starts_with("talks") && l.trim_end().ends_with(" 7")), "{stdout}");
}

#[test]
fn usage_errors_exit_with_2() {
    let out = assert_cmd::Command::cargo_bin("talkgraph").unwrap().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn candidates_lists_unknown_terms_with_places() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(
        notes.join("a.md"),
        "# T\nJane Roe, SRE, Initech\n\nМы внедрили gravitondb и frob-proxy, потом gravitondb обновили.\n",
    )
    .unwrap();
    let out = run_ok(&dir.path().join("s"), &["candidates", notes.to_str().unwrap()]);
    assert!(
        out.lines().any(|l| l.contains("gravitondb") && l.trim_start().starts_with('2') && l.contains("a.md:4")),
        "{out}"
    );
    assert!(out.contains("frob-proxy"), "{out}");
}

#[test]
fn eval_scores_the_sample_against_its_gold() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(&dir.path().join("s"), &["eval", "--gold", "tests/gold"]);
    let talks = out.lines().find(|l| l.starts_with("talks")).unwrap_or_default();
    assert!(talks.trim_end().ends_with("1.000"), "{out}");
}

#[test]
fn eval_lists_the_stances_it_missed_and_added() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(&dir.path().join("s"), &["eval", "--misses", "--gold", "tests/gold"]);
    let row = out.lines().find(|l| l.starts_with("relations (org, stance, tech)")).unwrap_or_default();
    let counts: Vec<usize> = row.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    let (tp, gold) = (counts[0], counts[2]);
    let listed =
        |sign: &str| out.lines().filter(|l| l.starts_with("000_221fd2861c5af3bb.txt: ") && l.contains(sign)).count();
    assert_eq!(listed(": - "), gold - tp, "{out}");
    assert!(listed(": + ") > 0, "{out}");
    assert!(out.lines().skip_while(|l| !l.contains(": ")).all(|l| l.contains(": - ") || l.contains(": + ")), "{out}");
}

#[test]
fn eval_names_a_missing_notes_file() {
    let dir = tempfile::tempdir().unwrap();
    let out =
        talkgraph(&dir.path().join("s")).args(["eval", "--gold", "tests/gold", "tests/fixtures"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("000_221fd2861c5af3bb.txt"));
}
