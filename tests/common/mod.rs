//! Helpers shared by the integration tests: running the real binary against a store in a temp folder.

#![allow(dead_code)]

pub mod server;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The project root (where `notes/` and `queries/` live).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The talkgraph binary, run from the project root with its store in `store`.
pub fn talkgraph(store: &Path) -> Command {
    let mut cmd = Command::cargo_bin("talkgraph").expect("binary builds");
    cmd.current_dir(root()).arg("--store").arg(store);
    cmd
}

/// The talkgraph binary, run from the project root with no store named (for `--endpoint`).
pub fn talkgraph_bare() -> Command {
    let mut cmd = Command::cargo_bin("talkgraph").expect("binary builds");
    cmd.current_dir(root());
    cmd
}

/// Runs the binary and returns its standard output, failing the test on a non-zero exit.
pub fn run_ok(store: &Path, args: &[&str]) -> String {
    let out = talkgraph(store).args(args).output().expect("runs");
    assert!(out.status.success(), "talkgraph {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Copies the sample notes into a fresh folder.
pub fn copy_notes(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(root().join("notes")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// Overwrites a value the store's meta graph records (`talkgraphVersion`, `ontologyVersion`, …), as a
/// store built by another talkgraph would hold it. The store must not be in use.
pub fn set_meta(store: &Path, key: &str, value: &str) {
    use oxigraph::model::{GraphNameRef, Literal, NamedNodeRef, QuadRef};
    use talkgraph::vocab::{META_GRAPH, TG};
    let db = oxigraph::store::Store::open(store).expect("store opens");
    let meta = NamedNodeRef::new_unchecked(META_GRAPH);
    let predicate = TG.iri(key);
    let predicate = NamedNodeRef::new_unchecked(&predicate);
    let graph = GraphNameRef::NamedNode(meta);
    let old: Vec<_> = db.quads_for_pattern(Some(meta.into()), Some(predicate), None, Some(graph)).collect();
    assert!(!old.is_empty(), "the store records no {key}");
    for q in old {
        db.remove(&q.unwrap()).unwrap();
    }
    db.insert(QuadRef::new(meta, predicate, &Literal::new_simple_literal(value), graph)).unwrap();
}

/// Whether a test that needs an outside part (a consumer library, a server) can run: true when the part
/// is `present`; else the test is skipped with a note, unless CI set `require_var`, where it fails.
pub fn present_or_skip(present: bool, what: &str, require_var: &str) -> bool {
    if !present {
        assert!(std::env::var_os(require_var).is_none(), "{what} is missing, which {require_var} requires");
        eprintln!("skipped: {what} is missing (CI installs it)");
    }
    present
}
