//! Canned queries answered from the answers kept beside the store give the engine's answer: the same rows
//! in the same order, for every canned query, with parameters taken from what the store holds (and some it
//! does not), on the sample notes, our layout fixtures and the real notes of the dev set.
//!
//! - `answers_*`: the shelf answers (never silently falls back here) and agrees with the engine.
//! - `stale_*`: a shelf that no longer matches its graph is not used.

mod common;

use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use oxigraph::store::Store;
use std::path::{Path, PathBuf};
use talkgraph::answers::{self, Shelf};
use talkgraph::sparql::{self, QueryText};
use talkgraph::store::{self, Location, Workload};

/// A store in a temporary folder, synced with `roots`.
fn ingested(roots: &[PathBuf], name: &str) -> (Store, Shelf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("tg-answers-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let location = Location::Disk(dir.clone());
    let db = store::open(&location, Workload::Ingest).expect("store opens");
    talkgraph::commands::sync(&db, &location, roots, Default::default()).expect("notes ingest");
    (db, Shelf::of_store(&dir), dir)
}

fn rows(results: QueryResults<'_>) -> Vec<Vec<Option<String>>> {
    let QueryResults::Solutions(solutions) = results else { panic!("canned queries are SELECTs") };
    let variables = solutions.variables().to_vec();
    solutions
        .map(|row| {
            let row = row.expect("row");
            variables.iter().map(|v| row.get(v).map(Term::to_string)).collect()
        })
        .collect()
}

/// The order within a `GROUP_CONCAT` is not SPARQL's to say: the talks query's joined names are
/// compared as sets.
fn comparable(name: &str, mut rows: Vec<Vec<Option<String>>>) -> Vec<Vec<Option<String>>> {
    if name == "talks" {
        for row in &mut rows {
            for cell in row.iter_mut().skip(1).take(2).flatten() {
                let (text, tail) = cell.rsplit_once('"').map_or((cell.as_str(), ""), |(t, tail)| (t, tail));
                let mut parts: Vec<&str> = text.trim_start_matches('"').split(", ").collect();
                parts.sort_unstable();
                *cell = format!("{}|{tail}", parts.join(", "));
            }
        }
    }
    rows
}

/// Values of one SPARQL variable in the store, at most `n`, spread over the answer.
fn sample(db: &Store, text: &str, n: usize) -> Vec<String> {
    let query = QueryText { origin: "sample".into(), text: text.into() };
    let all: Vec<String> = rows(sparql::run(db, None, &query, &[], None).unwrap())
        .into_iter()
        .filter_map(|r| r[0].clone())
        .map(|v| v.trim_start_matches('"').split('"').next().unwrap_or_default().to_string())
        .collect();
    let step = all.len().div_ceil(n).max(1);
    all.into_iter().step_by(step).collect()
}

const TECHS: &str = "PREFIX tg: <https://talkgraph.dev/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?l WHERE { GRAPH ?g { ?k tg:mentions ?t . ?t a tg:Technology ; skos:prefLabel ?l } } ORDER BY ?l";
const ORGS: &str = "PREFIX tg: <https://talkgraph.dev/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?l WHERE { GRAPH ?g { ?s tg:organization ?o . ?o skos:prefLabel ?l } } ORDER BY ?l";
const PAIRS: &str = "PREFIX tg: <https://talkgraph.dev/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?p WHERE { GRAPH ?g { ?s tg:organization ?o ; tg:technology ?t . ?o skos:prefLabel ?ol .
  ?t skos:prefLabel ?tl } BIND(CONCAT(?ol, \"\\u0001\", ?tl) AS ?p) } ORDER BY ?p";

/// Every parameter set each canned query is tried with.
fn parameter_sets(db: &Store, declared: &[&str]) -> Vec<Vec<String>> {
    let techs = sample(db, TECHS, 25);
    let orgs = sample(db, ORGS, 25);
    let unknown = "no such name".to_string();
    match declared {
        [] => vec![vec![]],
        ["tech"] => techs.iter().chain([&unknown, &"k8s".to_string()]).map(|t| vec![format!("tech={t}")]).collect(),
        ["company"] => orgs.iter().chain([&unknown]).map(|o| vec![format!("company={o}")]).collect(),
        _ => sample(db, PAIRS, 25)
            .iter()
            .filter_map(|p| p.split_once('\u{1}'))
            .map(|(o, t)| vec![format!("company={o}"), format!("tech={t}")])
            .chain([vec![format!("company={unknown}"), "tech=kafka".into()]])
            .collect(),
    }
}

/// How many things the `tech` parameter names.
fn names(db: &Store, params: &[(oxigraph::model::Variable, oxigraph::model::Literal)]) -> usize {
    let text = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x <https://talkgraph.dev/ontology#lookupKey> ?techKey }";
    let query = QueryText { origin: "names".into(), text: text.into() };
    let n = rows(sparql::run(db, None, &query, params, None).unwrap())[0][0].clone().unwrap();
    n.trim_start_matches('"').split('"').next().unwrap().parse().unwrap()
}

/// Runs every canned query with every parameter set both ways and compares.
fn assert_shelf_agrees(roots: &[PathBuf], name: &str) {
    let (db, shelf, dir) = ingested(roots, name);
    let mut compared = 0;
    for (query_name, text) in sparql::CANNED {
        let mut declared: Vec<&str> = sparql::declared_parameters(text).into_iter().map(|(p, _)| p).collect();
        declared.sort_unstable_by_key(|p| *p != "company");
        for raw in parameter_sets(&db, &declared) {
            let params = sparql::parameters(&raw).unwrap();
            let query = QueryText { origin: query_name.to_string(), text: text.to_string() };
            let from_shelf = answers::answer(&db, &shelf, query_name, &params).unwrap();
            // A technology name that names two things: co-occurring's shelved counts cannot say which talks
            // mention both, so the engine answers.
            let ambiguous = *query_name == "co-occurring" && names(&db, &params) > 1;
            assert!(from_shelf.is_some() || ambiguous, "{name}: the shelf did not answer {query_name} {raw:?}");
            let shelved = rows(sparql::run(&db, Some(&shelf), &query, &params, None).unwrap());
            let engine = rows(sparql::run(&db, None, &query, &params, None).unwrap());
            assert_eq!(
                comparable(query_name, shelved),
                comparable(query_name, engine),
                "{name}: {query_name} {raw:?} differs"
            );
            compared += 1;
        }
    }
    assert!(compared > 40, "only {compared} answers compared");
    drop(db);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn answers_on_the_sample_notes_agree_with_the_engine() {
    assert_shelf_agrees(&[common::root().join("notes")], "sample");
}

#[test]
fn answers_on_the_layout_fixtures_agree_with_the_engine() {
    assert_shelf_agrees(&[common::root().join("tests/fixtures")], "fixtures");
}

#[test]
fn answers_on_the_dev_set_agree_with_the_engine() {
    let devset = common::root().join("../shared/devset/notes");
    if !common::present_or_skip(devset.is_dir(), "the dev set (../shared/devset)", "TALKGRAPH_REQUIRE_DEVSET") {
        return;
    }
    assert_shelf_agrees(&[devset], "devset");
}

#[test]
fn stale_answers_are_not_used() {
    let notes = std::env::temp_dir().join(format!("tg-answers-stale-notes-{}", std::process::id()));
    common::copy_notes(&notes);
    let (db, shelf, dir) = ingested(std::slice::from_ref(&notes), "stale");
    let params = sparql::parameters(&["tech=stolon".to_string()]).unwrap();
    assert!(answers::answer(&db, &shelf, "companies-moved-to", &params).unwrap().is_some());
    // Another build's answers (or another version of the notes) do not match the store's fingerprint.
    let file = std::fs::read_dir(dir.join("answers")).unwrap().next().unwrap().unwrap().path();
    let bytes = std::fs::read(&file).unwrap();
    let at = bytes.windows(1).position(|w| w == b":").unwrap();
    let mut edited = bytes.clone();
    edited[at - 1] ^= 1;
    std::fs::write(&file, &edited).unwrap();
    assert!(answers::answer(&db, &shelf, "companies-moved-to", &params).unwrap().is_none());
    // A missing file: the same. The engine still answers the query the same way.
    std::fs::remove_file(&file).unwrap();
    assert!(answers::answer(&db, &shelf, "companies-moved-to", &params).unwrap().is_none());
    let query = QueryText { origin: "c".into(), text: sparql::resolve("companies-moved-to").unwrap().text };
    let engine = rows(sparql::run(&db, None, &query, &params, None).unwrap());
    assert_eq!(rows(sparql::run(&db, Some(&shelf), &query, &params, None).unwrap()), engine);
    assert!(!engine.is_empty());
    drop(db);
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(notes);
}

/// The files a store's shelf holds.
fn shelved_files(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("answers")).map_or(0, |d| d.count())
}

#[test]
fn answers_follow_the_notes_through_edits_and_removals() {
    let notes = std::env::temp_dir().join(format!("tg-answers-edit-notes-{}", std::process::id()));
    common::copy_notes(&notes);
    std::fs::write(
        notes.join("extra.md"),
        "# Talk: Going to Kafka\nСпикер: Иван Петров (Авито)\nАвито перешли на Kafka.\n",
    )
    .unwrap();
    let (db, shelf, dir) = ingested(std::slice::from_ref(&notes), "edit");
    assert_eq!(shelved_files(&dir), 2);
    let location = Location::Disk(dir.clone());
    std::fs::write(
        notes.join("extra.md"),
        "# Talk: Going to Kafka\nСпикер: Иван Петров (Авито)\nАвито отказались от Kafka.\n",
    )
    .unwrap();
    talkgraph::commands::sync(&db, &location, std::slice::from_ref(&notes), Default::default()).unwrap();
    let params = sparql::parameters(&["tech=kafka".to_string()]).unwrap();
    let query = QueryText { origin: "t".into(), text: sparql::resolve("talks-mentioning").unwrap().text };
    let shelved = rows(sparql::run(&db, Some(&shelf), &query, &params, None).unwrap());
    assert!(answers::answer(&db, &shelf, "talks-mentioning", &params).unwrap().is_some());
    assert_eq!(shelved, rows(sparql::run(&db, None, &query, &params, None).unwrap()));
    assert!(shelved.iter().any(|r| r.iter().flatten().any(|c| c.contains("отказались"))), "{shelved:?}");
    std::fs::remove_file(notes.join("extra.md")).unwrap();
    talkgraph::commands::sync(&db, &location, std::slice::from_ref(&notes), Default::default()).unwrap();
    assert_eq!(shelved_files(&dir), 1);
    drop(db);
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(notes);
}
