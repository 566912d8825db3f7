//! Read snapshots: RocksDB checkpoints of the store (hard links to its table files, so they cost almost
//! no disk) that readers open read-only while another process holds the store's write lock. Reads thus
//! keep working during an ingest and see the store as the last completed ingest left it.
//!
//! Layout: `<store>/snapshots/<generation>/`, the highest generation being the newest. A snapshot is
//! built under a temporary name and renamed into place, so a reader never sees half of one. Readers hold
//! a shared lock on the snapshot's `READERS` file; a writer deletes an old snapshot only when it can lock
//! that file exclusively, so a snapshot in use is never taken from under its reader.

use anyhow::{Context, Result};
use oxigraph::store::Store;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The folder, inside the store's, that holds the snapshots.
const SNAPSHOTS: &str = "snapshots";
/// The file in each snapshot that its readers lock (shared) while they use it.
const READERS: &str = "READERS";
/// How many times a reader looks again when the snapshot it picked was replaced meanwhile.
const ATTEMPTS: usize = 5;

/// A store opened for reading: the store itself, or a snapshot of it kept from deletion while in use.
pub struct ReadStore {
    store: Store,
    /// The shared lock on the snapshot's `READERS` file, when this is a snapshot.
    lease: Option<File>,
}

impl ReadStore {
    /// True when this is a snapshot (the store itself was being written by another process).
    pub fn is_snapshot(&self) -> bool {
        self.lease.is_some()
    }
}

impl From<Store> for ReadStore {
    fn from(store: Store) -> Self {
        ReadStore { store, lease: None }
    }
}

impl std::ops::Deref for ReadStore {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.store
    }
}

/// True when the store in `dir` has a snapshot a reader could open.
pub fn has_snapshot(dir: &Path) -> bool {
    generations(&dir.join(SNAPSHOTS)).is_ok_and(|g| !g.is_empty())
}

/// Replaces the newest snapshot by one of `store` as it is now (the caller holds the write lock and has
/// just committed), then deletes older snapshots no reader is using.
pub fn refresh_snapshot(store: &Store, dir: &Path) -> Result<()> {
    let root = dir.join(SNAPSHOTS);
    std::fs::create_dir_all(&root).with_context(|| format!("cannot create {}", root.display()))?;
    remove_unfinished(&root)?;
    let generations = generations(&root)?;
    let next = generations.last().map_or(1, |g| g + 1);
    let building = root.join(format!("building-{next}"));
    checkpoint(store, &building)?;
    File::create(building.join(READERS))?;
    std::fs::rename(&building, generation_dir(&root, next))?;
    for old in generations {
        remove_unless_read(&generation_dir(&root, old));
    }
    Ok(())
}

/// Opens the newest snapshot of the store in `dir` read-only, or `None` when there is none.
pub fn open_snapshot(dir: &Path) -> Result<Option<ReadStore>> {
    let root = dir.join(SNAPSHOTS);
    for _ in 0..ATTEMPTS {
        let Some(&newest) = generations(&root).unwrap_or_default().last() else {
            return Ok(None);
        };
        let path = generation_dir(&root, newest);
        // A writer may delete this snapshot between the listing and the lock: then look again.
        let Ok(lease) = File::open(path.join(READERS)) else { continue };
        lease.lock_shared()?;
        if !path.join("CURRENT").exists() {
            continue;
        }
        let store = open_read_only(&path)?;
        return Ok(Some(ReadStore { store, lease: Some(lease) }));
    }
    Ok(None)
}

fn generation_dir(root: &Path, generation: u64) -> PathBuf {
    root.join(format!("{generation:012}"))
}

/// The finished snapshots' generations, oldest first.
fn generations(root: &Path) -> Result<Vec<u64>> {
    let mut out: Vec<u64> =
        std::fs::read_dir(root)?.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok()).collect();
    out.sort_unstable();
    Ok(out)
}

/// Removes what a refresh cut short (by a crash) left behind; only the lock holder builds snapshots.
fn remove_unfinished(root: &Path) -> Result<()> {
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with("building-") {
            std::fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(())
}

/// Deletes an old snapshot unless a reader holds it (it is then deleted by a later refresh).
fn remove_unless_read(path: &Path) {
    let Ok(lease) = File::open(path.join(READERS)) else {
        let _ = std::fs::remove_dir_all(path);
        return;
    };
    if lease.try_lock().is_ok() {
        let _ = std::fs::remove_dir_all(path);
    }
}

#[cfg(feature = "rocksdb")]
fn checkpoint(store: &Store, target: &Path) -> Result<()> {
    store.backup(target).with_context(|| format!("cannot write the read snapshot {}", target.display()))
}

#[cfg(not(feature = "rocksdb"))]
fn checkpoint(_store: &Store, _target: &Path) -> Result<()> {
    anyhow::bail!("read snapshots need the rocksdb feature")
}

#[cfg(feature = "rocksdb")]
fn open_read_only(path: &Path) -> Result<Store> {
    Store::open_read_only(path).with_context(|| format!("cannot open the read snapshot {}", path.display()))
}

#[cfg(not(feature = "rocksdb"))]
fn open_read_only(_path: &Path) -> Result<Store> {
    anyhow::bail!("read snapshots need the rocksdb feature")
}

#[cfg(all(test, feature = "rocksdb"))]
mod tests {
    use super::*;
    use oxigraph::model::{GraphNameRef, NamedNodeRef, QuadRef};

    fn quad(n: &str) -> QuadRef<'_> {
        let node = NamedNodeRef::new_unchecked(n);
        QuadRef::new(node, node, node, GraphNameRef::DefaultGraph)
    }

    #[test]
    fn a_snapshot_holds_the_store_as_it_was_when_taken() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert!(open_snapshot(dir.path()).unwrap().is_none(), "no snapshot before the first refresh");
        store.insert(quad("http://example.org/a")).unwrap();
        refresh_snapshot(&store, dir.path()).unwrap();
        store.insert(quad("http://example.org/b")).unwrap();
        let snapshot = open_snapshot(dir.path()).unwrap().unwrap();
        assert!(snapshot.is_snapshot());
        assert_eq!(snapshot.len().unwrap(), 1, "the snapshot does not see writes made after it");
        assert_eq!(store.len().unwrap(), 2);
    }

    #[test]
    fn an_old_snapshot_is_deleted_only_once_no_reader_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let root = dir.path().join(SNAPSHOTS);
        refresh_snapshot(&store, dir.path()).unwrap();
        let reader = open_snapshot(dir.path()).unwrap().unwrap();
        refresh_snapshot(&store, dir.path()).unwrap();
        assert_eq!(generations(&root).unwrap(), vec![1, 2], "a snapshot in use is kept");
        drop(reader);
        refresh_snapshot(&store, dir.path()).unwrap();
        assert_eq!(generations(&root).unwrap(), vec![3], "unused snapshots are deleted");
    }
}
