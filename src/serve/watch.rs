//! Live notes: watches the notes folders and, once a burst of changes has settled, brings the store up
//! to date through the sync the command gave (changed files re-extracted, removed ones dropped), then
//! refreshes the name index so the page shows the change.

use super::AppState;
use anyhow::{Context, Result};
use notify::{RecursiveMode, Watcher};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

/// How long the notes must stay quiet before a re-ingest (editors write a file in several steps).
const SETTLE: Duration = Duration::from_millis(300);

/// Brings the store up to date with the notes; true when it changed.
pub type Resync = Box<dyn Fn() -> Result<bool> + Send>;

/// A running watch; dropping it stops the watching and waits for a re-ingest under way to finish, so
/// the store is closed by its owner and never under a sync at exit.
pub struct Watch {
    watcher: Option<notify::RecommendedWatcher>,
    worker: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        drop(self.watcher.take());
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

/// Starts watching `roots`.
pub fn start(state: Arc<AppState>, roots: &[PathBuf], resync: Resync) -> Result<Watch> {
    let (tx, rx) = channel::<()>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|e| !e.kind.is_access()) {
            let _ = tx.send(());
        }
    })
    .context("cannot watch the notes for changes")?;
    for root in roots {
        // A single notes file is watched through its folder (editors replace files by renaming).
        let target = if root.is_file() {
            root.parent().map(PathBuf::from).unwrap_or_else(|| root.clone())
        } else {
            root.clone()
        };
        watcher
            .watch(&target, RecursiveMode::Recursive)
            .with_context(|| format!("cannot watch {} for changes", target.display()))?;
    }
    let worker = std::thread::spawn(move || {
        while rx.recv().is_ok() {
            loop {
                match rx.recv_timeout(SETTLE) {
                    Ok(()) => continue,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            match resync() {
                Ok(true) => {
                    if let Err(e) = state.refreshed() {
                        eprintln!("warning: the store changed but its names could not be read again: {e:#}");
                    }
                }
                Ok(false) => {}
                Err(e) => eprintln!("warning: re-ingesting the changed notes failed: {e:#}"),
            }
        }
    });
    Ok(Watch { watcher: Some(watcher), worker: Some(worker) })
}
