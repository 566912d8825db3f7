//! The exports read by the JVM libraries that Fuseki, GraphDB and Protégé are built on, as Debian packages
//! them: Apache Jena (RIOT's parsers; TDB2 loaded by its own `tdb2.tdbloader`, the database Fuseki
//! serves, and every canned query answered by ARQ over it), RDF4J Rio (GraphDB's import parsers) and the
//! OWL API (how Protégé opens a file). Each through the real binary on the sample notes; the Java side is
//! `tests/consumers/*.java`, run by the JDK's source launcher.

mod common;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{Quad, Term, Triple};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use talkgraph::vocab::TG;

/// True when a JDK and Debian's Jena, OWL API and RDF4J are installed; when they are not, the test is
/// skipped, unless CI asked for the consumers (`TALKGRAPH_REQUIRE_CONSUMERS=1`), where it fails.
fn jvm_libraries() -> bool {
    let jdk = Command::new("javac").arg("-version").output().is_ok_and(|o| o.status.success());
    let jars = ["jena-arq", "jena-tdb2", "owlapi-distribution", "rdf4j-rio-turtle"]
        .iter()
        .all(|jar| Path::new(&format!("/usr/share/java/{jar}.jar")).exists());
    common::present_or_skip(
        jdk && jars,
        "a JDK with libapache-jena-java, libowlapi-java and librdf4j-java",
        "TALKGRAPH_REQUIRE_CONSUMERS",
    )
}

/// The class path of `library` (`jena` or `owlapi`), from `tests/consumers/jvm_classpath.py`.
fn classpath(library: &str, scratch: &Path) -> String {
    let script = common::root().join("tests/consumers/jvm_classpath.py");
    let out = Command::new("python3").arg(script).arg(library).arg(scratch).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Runs a class of the library (`tdb2.tdbloader`) or one of `tests/consumers/*.java`; its standard output.
fn java(classpath: &str, program: &str, args: &[&str]) -> String {
    let source = common::root().join("tests/consumers").join(format!("{program}.java"));
    let main = if source.exists() { source.to_str().unwrap().to_string() } else { program.to_string() };
    let out = Command::new("java").args(["-cp", classpath, &main]).args(args).output().unwrap();
    assert!(out.status.success(), "java {program} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// An export of the sample notes' store in `dir/s` to `dir/export.<extension>`.
fn exported(dir: &Path, extension: &str, extra: &[&str]) -> PathBuf {
    let file = dir.join(format!("export.{extension}"));
    let mut args = vec!["export", "--output", file.to_str().unwrap()];
    args.extend(extra);
    common::run_ok(&dir.join("s"), &args);
    file
}

fn quads(file: &Path) -> HashSet<Quad> {
    RdfParser::from_format(RdfFormat::NQuads)
        .for_slice(&std::fs::read(file).unwrap())
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Lines `FILE<TAB>…<TAB>COUNT` of a Java consumer, as counts by file name.
fn counts_by_file(output: &str) -> BTreeMap<String, usize> {
    output
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let name = Path::new(fields[0]).file_name().unwrap().to_string_lossy().to_string();
            (name, fields.last().unwrap().parse().unwrap())
        })
        .collect()
}

#[test]
fn jena_riot_and_rdf4j_rio_read_every_quad_of_every_rdf_export() {
    if !jvm_libraries() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let dataset = quads(&exported(dir.path(), "nq", &[]));
    let triples: HashSet<Triple> = dataset.iter().map(|q| Triple::from(q.clone())).collect();
    assert!(dataset.len() > 1000, "{}", dataset.len());
    let mut expected = BTreeMap::new();
    let mut files = Vec::new();
    for (extension, count) in [
        ("nq", dataset.len()),
        ("trig", dataset.len()),
        ("jsonld", dataset.len()),
        ("ttl", triples.len()),
        ("nt", triples.len()),
        ("rdf", triples.len()),
    ] {
        files.push(exported(dir.path(), extension, &[]).to_str().unwrap().to_string());
        expected.insert(format!("export.{extension}"), count);
    }
    let files: Vec<&str> = files.iter().map(String::as_str).collect();

    let rio = counts_by_file(&java(&classpath("owlapi", dir.path()), "Rio", &files));
    assert_eq!(rio, expected, "RDF4J Rio's statements by export");
    // Debian packages no JSON-P provider (Parsson), which Jena's JSON-LD reader needs: Jena reads the rest.
    let jena_files: Vec<&str> = files.iter().copied().filter(|f| !f.ends_with(".jsonld")).collect();
    let jena = counts_by_file(&java(&classpath("jena", dir.path()), "Jena", &[&["parse"], &jena_files[..]].concat()));
    expected.remove("export.jsonld");
    assert_eq!(jena, expected, "Jena RIOT's quads by export");
}

/// A value from the sample notes for each canned-query parameter, so that every answer has rows.
fn sample_value(param: &str) -> &'static str {
    match param {
        "tech" => "Stolon",
        "company" => "united traders",
        other => panic!("no sample value for the parameter {other}: add one"),
    }
}

/// Each canned query with its parameters bound to sample values: (name, [(param, value)]).
fn canned_queries() -> Vec<(String, Vec<(String, &'static str)>)> {
    let mut queries = Vec::new();
    for entry in std::fs::read_dir(common::root().join("queries")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let params = text
            .lines()
            .filter_map(|line| line.strip_prefix("# @param "))
            .map(|rest| rest.split_whitespace().next().unwrap().to_string())
            .map(|param| {
                let value = sample_value(&param);
                (param, value)
            })
            .collect();
        queries.push((path.file_stem().unwrap().to_string_lossy().to_string(), params));
    }
    queries.sort();
    queries
}

#[test]
fn every_canned_query_over_jena_tdb2_as_fuseki_serves_it_gives_talkgraph_s_exact_csv() {
    if !jvm_libraries() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let nquads = exported(dir.path(), "nq", &["--ontology", "all"]);
    let classpath = classpath("jena", dir.path());
    let database = dir.path().join("tdb2");
    java(&classpath, "tdb2.tdbloader", &["--loc", database.to_str().unwrap(), nquads.to_str().unwrap()]);

    let queries = canned_queries();
    assert!(queries.len() >= 14, "{queries:?}");
    let answers = dir.path().join("answers");
    std::fs::create_dir(&answers).unwrap();
    let specs: Vec<String> = queries
        .iter()
        .map(|(name, params)| {
            let file = common::root().join("queries").join(format!("{name}.rq"));
            let bound = params.iter().map(|(p, v)| format!("|{p}={v}"));
            format!("{}{}", file.display(), bound.collect::<String>())
        })
        .collect();
    let mut args = vec!["query", database.to_str().unwrap(), answers.to_str().unwrap()];
    args.extend(specs.iter().map(String::as_str));
    java(&classpath, "Jena", &args);

    for (index, (name, params)) in queries.iter().enumerate() {
        let mut args = vec!["query".to_string(), name.clone(), "--format".into(), "csv".into()];
        for (param, value) in params {
            args.extend(["--param".to_string(), format!("{param}={value}")]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let ours = common::run_ok(&dir.path().join("s"), &args);
        let jena = std::fs::read_to_string(answers.join(format!("{index}.csv"))).unwrap();
        assert!(ours.lines().count() > 1, "{name} has no rows on the sample");
        assert_eq!(jena, ours, "{name} {params:?}: Jena ARQ over TDB2 against talkgraph");
    }
}

/// The OWL API's reading of each file: unparsed triples, and the IRIs of each kind of entity.
fn owl_api(files: &[&str], scratch: &Path) -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let mut seen: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    let mut file = String::new();
    for line in java(&classpath("owlapi", scratch), "Owl", files).lines() {
        let (key, value) = line.split_once('\t').unwrap();
        if key == "file" {
            file = Path::new(value).file_name().unwrap().to_string_lossy().to_string();
        }
        seen.entry(file.clone()).or_default().entry(key.to_string()).or_default().insert(value.to_string());
    }
    seen
}

const OWL: &str = "http://www.w3.org/2002/07/owl#";

/// Subjects typed `class` in `quads`.
fn typed(quads: &HashSet<Quad>, class: &str) -> BTreeSet<String> {
    quads
        .iter()
        .filter(|q| q.predicate.as_ref() == rdf::TYPE && matches!(&q.object, Term::NamedNode(n) if n.as_str() == class))
        .map(|q| q.subject.to_string().trim_matches(['<', '>']).to_string())
        .collect()
}

#[test]
fn protege_s_owl_api_reads_the_ontology_and_the_exports_with_nothing_unparsed() {
    if !jvm_libraries() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ontology: Vec<String> = std::fs::read_dir(common::root().join("ontology"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ttl"))
        .map(|p| p.to_str().unwrap().to_string())
        .collect();
    assert!(ontology.len() >= 6, "{ontology:?}");
    let turtle = exported(dir.path(), "ttl", &[]);
    let rdfxml = exported(dir.path(), "rdf", &[]);
    let mut files: Vec<&str> = ontology.iter().map(String::as_str).collect();
    files.extend([turtle.to_str().unwrap(), rdfxml.to_str().unwrap()]);
    let seen = owl_api(&files, dir.path());
    assert_eq!(seen.len(), files.len(), "{:?}", seen.keys());
    for (file, kinds) in &seen {
        assert_eq!(kinds["unparsed"], BTreeSet::from(["0".to_string()]), "{file}: triples the OWL API left unparsed");
    }

    // The schema's declared classes and properties are the OWL API's classes and properties.
    let schema: HashSet<Quad> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(&std::fs::read(common::root().join("ontology/talkgraph.ttl")).unwrap())
        .map(|t| t.unwrap())
        .collect();
    for (class, kind) in
        [("Class", "class"), ("ObjectProperty", "objectProperty"), ("DatatypeProperty", "dataProperty")]
    {
        let declared = typed(&schema, &format!("{OWL}{class}"));
        assert!(!declared.is_empty(), "talkgraph.ttl declares no {kind}");
        let read = &seen["talkgraph.ttl"][kind];
        assert!(declared.is_subset(read), "{kind}: declared but not read: {:?}", declared.difference(read));
    }

    // Opened in Protégé, the export shows every talk, person, organization and technology as an individual.
    let dataset = quads(&exported(dir.path(), "nq", &[]));
    for export in ["export.ttl", "export.rdf"] {
        for kind in ["Talk", "Person", "Organization", "Technology"] {
            let entities = typed(&dataset, &TG.iri(kind));
            assert!(!entities.is_empty(), "the sample has no {kind}");
            let individuals = &seen[export]["individual"];
            assert!(
                entities.is_subset(individuals),
                "{export}: {kind}s not individuals: {:?}",
                entities.difference(individuals)
            );
        }
    }
}
