//! Crash safety and concurrency through the real binary, on a disk store:
//!
//! - `sigkill_*`: an ingest killed with SIGKILL at moments spread over its whole run (extraction, bulk
//!   load, commit, compaction, snapshot) leaves a store that opens and holds, for every notes file, either
//!   its old graph or its new graph entirely; the next ingest brings it to exactly the new state.
//! - `second_writer_*`: a second ingest while one runs gets "store is in use", and the store is intact.
//! - `reads_*`: queries while an ingest runs keep answering, each from one completed state of the store.

mod common;

use common::{root, run_ok};
use oxigraph::io::RdfFormat;
use oxigraph::model::GraphName;
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Each notes graph's quads (as N-Quads text without the graph), by graph IRI.
type Graphs = BTreeMap<String, BTreeSet<String>>;

/// Files in the corpus; each holds a few talks, so that an ingest runs long enough to be cut anywhere.
const FILES: usize = 240;

/// A talk of notes; `version` changes what the company did, so an edited file has other stances.
fn talk(file: usize, i: usize, version: usize) -> String {
    let (from, to) = [("RabbitMQ", "Kafka"), ("MySQL", "PostgreSQL"), ("Nomad", "Kubernetes")][(file + version) % 3];
    if (file + i).is_multiple_of(2) {
        format!(
            "## Доклад {file}.{i}: как мы переехали на {to}\n\
             Иван Петров, SRE, Яндекс\n\n\
             - Раньше жили на {from}, в {version}-й раз перешли на {to}.\n\
             - Рассматривали Pulsar и Nats, но отказались от них.\n\
             - Храним данные в PostgreSQL, кластер на stolon и etcd.\n\
             > Вопрос: почему не Nomad? Ответ: пока планируем.\n\n"
        )
    } else {
        format!(
            "## Talk {file}.{i}: moving to {to}\n\
             Jane Roe, Staff Engineer, Booking.com\n\n\
             - We dropped {from} for {to} (take {version}).\n\
             - We evaluated Istio and Linkerd and chose neither.\n\
             - Metrics live in Prometheus and ClickHouse.\n\n"
        )
    }
}

/// Writes the corpus at `version`: files are edited in version 1 when `file % 3 == 0`, removed when
/// `file % 7 == 0`, and version 1 adds new files; the rest stay as they were.
fn write_corpus(dir: &Path, version: usize) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let count = if version == 0 { FILES } else { FILES + FILES / 4 };
    for file in 0..count {
        if version == 1 && file.is_multiple_of(7) {
            continue;
        }
        let edited = if file.is_multiple_of(3) { version } else { 0 };
        let text: String = (0..8).map(|i| talk(file, i, edited)).collect();
        std::fs::write(dir.join(format!("notes-{file:04}.md")), format!("# Conference {file}\n\n{text}")).unwrap();
    }
}

/// The notes graphs of a store on disk, read directly (no sync): opening it is part of what is checked.
fn graphs_on_disk(store: &Path) -> Graphs {
    let store = Store::open(store).unwrap_or_else(|e| panic!("the store does not open after a kill: {e}"));
    graphs_of(&store)
}

/// The notes graphs an in-memory ingest of `notes` (a folder named `notes`) gives: what a completed
/// ingest must hold.
fn expected_graphs(notes: &Path) -> Graphs {
    let nquads = Command::new(assert_cmd::cargo::cargo_bin("talkgraph"))
        .current_dir(notes.parent().unwrap())
        .args(["--memory", "export", "--format", "nq", "--ontology", "none"])
        .output()
        .unwrap();
    assert!(nquads.status.success(), "{}", String::from_utf8_lossy(&nquads.stderr));
    let store = Store::new().unwrap();
    store.load_from_slice(RdfFormat::NQuads, &nquads.stdout).unwrap();
    graphs_of(&store)
}

/// Notes graphs are named by the notes namespace; the ontology, keys and meta graphs are not compared.
fn graphs_of(store: &Store) -> Graphs {
    let notes_prefix = talkgraph::rdf::iri::notes("");
    let mut out = Graphs::new();
    for quad in store.iter() {
        let quad = quad.unwrap();
        if let GraphName::NamedNode(g) = &quad.graph_name
            && g.as_str().starts_with(&notes_prefix)
        {
            let triple = format!("{} {} {}", quad.subject, quad.predicate, quad.object);
            out.entry(g.as_str().to_string()).or_default().insert(triple);
        }
    }
    out
}

/// Every notes graph of `got` is entirely its `old` or entirely its `new` version (absent counts as a
/// version when the file is absent from that side).
fn assert_old_or_new(got: &Graphs, old: &Graphs, new: &Graphs, context: &str) {
    let names: BTreeSet<&String> = got.keys().chain(old.keys()).chain(new.keys()).collect();
    for name in names {
        let g = got.get(name);
        assert!(
            g == old.get(name) || g == new.get(name),
            "{context}: graph {name} is neither its old nor its new version ({} quads; old {}, new {})",
            g.map_or(0, |g| g.len()),
            old.get(name).map_or(0, |g| g.len()),
            new.get(name).map_or(0, |g| g.len()),
        );
    }
}

/// Starts `talkgraph ingest`; its standard error goes to `<store>.stderr` (a pipe nobody reads while it
/// runs could fill up and stall it).
fn spawn_ingest(store: &Path, notes: &Path) -> Child {
    let stderr = std::fs::File::create(stderr_file(store)).unwrap();
    Command::new(assert_cmd::cargo::cargo_bin("talkgraph"))
        .current_dir(root())
        .arg("--store")
        .arg(store)
        .arg("ingest")
        .arg(notes)
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap()
}

fn stderr_file(store: &Path) -> PathBuf {
    store.with_extension("stderr")
}

/// Waits for an ingest; returns its exit code (None: killed) and its standard error.
fn finish(mut child: Child, store: &Path) -> (Option<i32>, String) {
    let status = child.wait().unwrap();
    (status.code(), std::fs::read_to_string(stderr_file(store)).unwrap_or_default())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The corpus in both versions, the expected graphs of each, and a store holding version 0.
struct Setup {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    new_notes: PathBuf,
    old_store: PathBuf,
    old: Graphs,
    new: Graphs,
}

fn setup() -> Setup {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let (old_notes, new_notes) = (dir.join("old").join("notes"), dir.join("new").join("notes"));
    write_corpus(&old_notes, 0);
    write_corpus(&new_notes, 1);
    let old_store = dir.join("old-store");
    run_ok(&old_store, &["ingest", old_notes.to_str().unwrap()]);
    let (old, new) = (expected_graphs(&old_notes), expected_graphs(&new_notes));
    assert_eq!(graphs_on_disk(&old_store), old, "a completed ingest holds the old version");
    Setup { _tmp: tmp, dir, new_notes, old_store, old, new }
}

/// How long an uninterrupted ingest of the new notes into a copy of `from` takes (None: a new store).
fn ingest_time(setup: &Setup, from: Option<&Path>) -> Duration {
    let store = setup.dir.join("timed");
    let _ = std::fs::remove_dir_all(&store);
    if let Some(from) = from {
        copy_dir(from, &store);
    }
    let started = Instant::now();
    let (code, stderr) = finish(spawn_ingest(&store, &setup.new_notes), &store);
    assert_eq!(code, Some(0), "{stderr}");
    let took = started.elapsed();
    assert_eq!(graphs_on_disk(&store), setup.new, "a completed ingest holds the new version");
    took
}

/// Kills ingests of the new notes at `kills` moments spread over an uninterrupted run's duration (in a
/// shuffled order), each into a fresh copy of `from` (or a new store), and checks every notes graph.
fn kill_at_spread_moments(setup: &Setup, from: Option<&Path>, old: &Graphs, kills: usize) {
    // The faster of two uninterrupted runs: one slow run (a busy machine) would otherwise spread the kill
    // moments past the end of most ingests, and the kills would test nothing.
    let full = ingest_time(setup, from).min(ingest_time(setup, from));
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut cut_short = 0;
    for k in 0..kills {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let jitter = (seed >> 33) as f64 / (1u64 << 31) as f64;
        let at = full.mul_f64((k as f64 + jitter) / kills as f64 * 1.1);
        let store = setup.dir.join(format!("killed-{k}"));
        if let Some(from) = from {
            copy_dir(from, &store);
        }
        let mut child = spawn_ingest(&store, &setup.new_notes);
        std::thread::sleep(at);
        let _ = child.kill();
        let status = child.wait().unwrap();
        cut_short += usize::from(status.code().is_none());
        let context = format!("kill {k} at {} ms of {} ms ({status})", at.as_millis(), full.as_millis());
        if store.exists() {
            assert_old_or_new(&graphs_on_disk(&store), old, &setup.new, &context);
        }
        // The next ingest picks up where the killed one stopped.
        run_ok(&store, &["ingest", setup.new_notes.to_str().unwrap()]);
        assert_eq!(graphs_on_disk(&store), setup.new, "{context}: the ingest after the kill holds the new version");
        std::fs::remove_dir_all(&store).unwrap();
    }
    // The moments span the run, so most kills must find the ingest still running (else nothing was tested).
    assert!(cut_short * 2 >= kills, "only {cut_short} of {kills} kills cut an ingest short");
}

#[test]
fn sigkill_during_an_update_leaves_each_graph_old_or_new() {
    let setup = setup();
    kill_at_spread_moments(&setup, Some(&setup.old_store), &setup.old, 16);
}

#[test]
fn sigkill_during_the_first_ingest_leaves_each_graph_absent_or_new() {
    let setup = setup();
    kill_at_spread_moments(&setup, None, &Graphs::new(), 12);
}

/// Runs `attempt` again and again while an ingest of the new notes into a copy of the old store runs;
/// returns how many attempts ran, and checks that the ingest then completed. An attempt that opens the
/// store just before the ingest does makes the ingest fail with "in use"; it is then started again.
fn while_ingesting(setup: &Setup, name: &str, mut attempt: impl FnMut(&Path)) -> usize {
    let store = setup.dir.join(name);
    copy_dir(&setup.old_store, &store);
    let mut during = 0;
    loop {
        let mut writer = spawn_ingest(&store, &setup.new_notes);
        while writer.try_wait().unwrap().is_none() {
            attempt(&store);
            during += 1;
        }
        let (code, stderr) = finish(writer, &store);
        if code == Some(1) && stderr.contains("is in use") {
            continue;
        }
        assert_eq!(code, Some(0), "the ingest failed: {stderr}");
        break;
    }
    assert_eq!(graphs_on_disk(&store), setup.new);
    during
}

#[test]
fn second_writer_gets_store_in_use_and_the_store_is_intact() {
    let setup = setup();
    let mut refused = 0;
    while_ingesting(&setup, "two-writers", |store| {
        let out = common::talkgraph(store).arg("ingest").arg(&setup.new_notes).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        if !out.status.success() {
            assert_eq!(out.status.code(), Some(1), "{stderr}");
            assert!(stderr.contains("is in use by another talkgraph process"), "{stderr}");
            refused += 1;
        }
        std::thread::sleep(Duration::from_millis(20));
    });
    assert!(refused > 0, "no second ingest ran while the first held the store");
}

#[test]
fn reads_while_an_ingest_runs_answer_from_the_last_completed_one() {
    let setup = setup();
    let count =
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g a <https://talkgraph.dev/ontology#NotesFile> . ?s ?p ?o } }";
    let before = run_ok(&setup.old_store, &["query", "--format", "csv", "--query", count]);
    let mut answers = Vec::new();
    let during = while_ingesting(&setup, "reads", |store| {
        let out = common::talkgraph(store).args(["query", "--format", "csv", "--query", count]).output().unwrap();
        assert!(out.status.success(), "a read during an ingest failed: {}", String::from_utf8_lossy(&out.stderr));
        answers.push(String::from_utf8(out.stdout).unwrap());
    });
    let after = run_ok(&setup.dir.join("reads"), &["query", "--format", "csv", "--query", count]);
    assert_ne!(before, after, "the ingest changes the count");
    assert!(during > 0, "no read ran while the ingest did");
    // Every read saw one completed state, whole: the old store or the new one, never a mix.
    for answer in &answers {
        assert!(
            answer == &before || answer == &after,
            "a read saw a partial ingest: {answer} (old {before}, new {after})"
        );
    }
    assert_eq!(answers.first(), Some(&before), "the first read, as the ingest started, saw the old store");
}
