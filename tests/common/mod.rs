//! Helpers shared by the integration tests: running the real binary against a store in a temp folder.

#![allow(dead_code)]

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
