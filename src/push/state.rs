//! What was last sent to each push target: graph name → hash of the content the server accepted. Kept
//! as one small JSON file per target URL in the store folder, replaced atomically after every graph.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The graphs one target holds, as far as talkgraph knows.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushState {
    pub target: String,
    graphs: BTreeMap<String, String>,
}

impl PushState {
    pub fn new(target: &str) -> PushState {
        PushState { target: target.to_string(), graphs: BTreeMap::new() }
    }

    /// The hash last accepted for a graph.
    pub fn hash(&self, graph: &str) -> Option<&String> {
        self.graphs.get(graph)
    }

    pub fn record(&mut self, graph: &str, hash: &str) {
        self.graphs.insert(graph.to_string(), hash.to_string());
    }

    pub fn forget(&mut self, graph: &str) {
        self.graphs.remove(graph);
    }

    /// The graphs the target holds.
    pub fn graphs(&self) -> impl Iterator<Item = &String> {
        self.graphs.keys()
    }
}

/// The folder of the store that holds push states.
const FOLDER: &str = "push";

/// The file of a target's state in a store folder.
pub fn file_for(store_dir: &Path, target: &str) -> PathBuf {
    let digest = format!("{:x}", Sha256::digest(target.as_bytes()));
    store_dir.join(FOLDER).join(format!("{}.json", &digest[..16]))
}

/// Reads a target's state; a missing file is a target never pushed to.
pub fn load(file: &Path, target: &str) -> Result<PushState> {
    match std::fs::read(file) {
        Ok(bytes) => {
            let state: PushState =
                serde_json::from_slice(&bytes).with_context(|| format!("reading push state {}", file.display()))?;
            Ok(if state.target == target { state } else { PushState::new(target) })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(PushState::new(target)),
        Err(e) => Err(e).with_context(|| format!("reading push state {}", file.display())),
    }
}

/// Writes a target's state: a temporary file renamed over the old one.
pub fn save(file: &Path, state: &PushState) -> Result<()> {
    let folder = file.parent().context("push state folder")?;
    std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
    let temporary = file.with_extension("json.tmp");
    std::fs::write(&temporary, serde_json::to_vec_pretty(state)?)
        .with_context(|| format!("writing {}", temporary.display()))?;
    std::fs::rename(&temporary, file).with_context(|| format!("replacing {}", file.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_survives_its_file_and_belongs_to_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let file = file_for(dir.path(), "http://h/store");
        assert_eq!(load(&file, "http://h/store").unwrap(), PushState::new("http://h/store"));
        let mut state = PushState::new("http://h/store");
        state.record("urn:g", "abc");
        save(&file, &state).unwrap();
        assert_eq!(load(&file, "http://h/store").unwrap().hash("urn:g"), Some(&"abc".to_string()));
        assert_eq!(load(&file, "http://other/store").unwrap().graphs().count(), 0);
        assert_ne!(file_for(dir.path(), "http://other/store"), file);
    }
}
