//! Finding and reading notes files: a folder is walked recursively (hidden entries, symlink loops and
//! non-notes files skipped), only regular files are read (named pipes, sockets, devices and symlinks to
//! them skipped with a warning, as are files over the size cap, never read first), each file read as
//! bytes, hashed, and decoded as UTF-8 (BOM dropped; invalid bytes replaced, with a warning naming the
//! file and byte offset; binary files skipped with a warning).

use crate::document::SourceFile;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fs::{File, FileType, Metadata};
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// File name endings read as notes.
pub const NOTE_EXTENSIONS: [&str; 4] = ["md", "markdown", "txt", "mdown"];

/// The default cap on a notes file's size: a year of one author's notes is a few megabytes.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 << 20;

/// What may be read from a notes folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Files larger than this many bytes are skipped with a warning.
    pub max_file_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_file_size: DEFAULT_MAX_FILE_SIZE }
    }
}

/// One notes file found on disk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct NotesPath {
    /// Where the file is.
    pub path: PathBuf,
    /// Its path relative to the root it was found under, `/`-separated: its identity in the store.
    pub relative: String,
}

/// A notes file read from disk.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    /// The text and display path.
    pub source: SourceFile,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
}

/// Files found and problems met while walking.
#[derive(Debug, Default)]
pub struct Listing {
    /// Notes files, sorted by relative path.
    pub files: Vec<NotesPath>,
    /// Problems (unreadable folders, loops, special and oversized files), as messages naming the path.
    pub warnings: Vec<String>,
}

/// Finds the notes files under each root (a folder or a single file).
pub fn list(roots: &[PathBuf], limits: Limits) -> Listing {
    let mut listing = Listing::default();
    for root in roots {
        match std::fs::metadata(root) {
            Ok(meta) if meta.is_dir() => {
                let mut seen = BTreeSet::new();
                walk(root, root, &mut seen, limits, &mut listing);
            }
            Ok(meta) => {
                if let Some(problem) = unreadable(root, &meta, limits) {
                    listing.warnings.push(problem);
                    continue;
                }
                let name = root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                listing.files.push(NotesPath { path: root.clone(), relative: name });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                listing.warnings.push(format!("{}: no such file or folder", root.display()))
            }
            Err(e) => listing.warnings.push(format!("{}: {e}", root.display())),
        }
    }
    listing.files.sort();
    listing.files.dedup_by(|a, b| a.relative == b.relative);
    listing
}

fn walk(root: &Path, dir: &Path, seen: &mut BTreeSet<PathBuf>, limits: Limits, listing: &mut Listing) {
    let Ok(canonical) = dir.canonicalize() else {
        listing.warnings.push(format!("{}: cannot resolve folder", dir.display()));
        return;
    };
    if !seen.insert(canonical) {
        listing.warnings.push(format!("{}: symlink loop, skipped", dir.display()));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            listing.warnings.push(format!("{}: {e}", dir.display()));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        // `metadata` follows symlinks (and never opens the file), so a symlink to a device is seen as one.
        let meta = match std::fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) => {
                listing.warnings.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        if meta.is_dir() {
            walk(root, &path, seen, limits, listing);
            continue;
        }
        if meta.is_file() && !is_notes_file(&path) {
            continue;
        }
        if let Some(problem) = unreadable(&path, &meta, limits) {
            listing.warnings.push(problem);
            continue;
        }
        let relative = path.strip_prefix(root).unwrap_or(&path);
        let relative = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        listing.files.push(NotesPath { path, relative });
    }
}

/// Why a path that is not a folder cannot be read as notes, as a message naming it: not a regular file,
/// or over the cap.
fn unreadable(path: &Path, meta: &Metadata, limits: Limits) -> Option<String> {
    let why = refusal(meta, limits)?;
    let linked = !meta.is_file() && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    Some(format!("{}: {}{why}", path.display(), if linked { "a symlink to " } else { "" }))
}

/// Why a file with this metadata is not read, if it is not.
fn refusal(meta: &Metadata, limits: Limits) -> Option<String> {
    if !meta.is_file() {
        return Some(format!("{}, not a regular file, skipped", special_kind(meta.file_type())));
    }
    (meta.len() > limits.max_file_size).then(|| {
        format!(
            "{} bytes, over the {}-byte cap on a notes file (--max-file-size), skipped",
            meta.len(),
            limits.max_file_size
        )
    })
}

fn special_kind(kind: FileType) -> &'static str {
    if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else {
        "a special file"
    }
}

/// Reads a notes file's bytes, refusing anything but a regular file within the cap. The file is opened
/// without blocking (a named pipe put in its place after listing cannot hang the read), checked on the
/// open handle, and never read past the cap even if it grows meanwhile.
pub fn read(path: &Path, limits: Limits) -> std::io::Result<Vec<u8>> {
    let file = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)?;
    let meta = file.metadata()?;
    if let Some(why) = refusal(&meta, limits) {
        return Err(std::io::Error::other(why));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    File::take(file, limits.max_file_size + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limits.max_file_size {
        return Err(std::io::Error::other(format!(
            "grew past the {}-byte cap on a notes file (--max-file-size) while being read, skipped",
            limits.max_file_size
        )));
    }
    Ok(bytes)
}

/// Reads and decodes one listed notes file; what goes wrong (unreadable, refused, binary, lossy) is pushed
/// to `warnings` naming the file, and a file that cannot be read as notes gives `None`.
pub fn read_notes(file: &NotesPath, limits: Limits, warnings: &mut Vec<String>) -> Option<LoadedFile> {
    match read(&file.path, limits) {
        Ok(bytes) => load(file, bytes, warnings),
        Err(e) => {
            warnings.push(format!("{}: {e}", file.path.display()));
            None
        }
    }
}

fn is_notes_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| NOTE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// SHA-256 of bytes, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Reads and decodes one notes file; warnings (lossy decoding) are pushed to `warnings`.
pub fn load(file: &NotesPath, bytes: Vec<u8>, warnings: &mut Vec<String>) -> Option<LoadedFile> {
    let sha256 = sha256_hex(&bytes);
    if bytes.contains(&0) {
        warnings.push(format!("{}: binary file (NUL byte), skipped", file.relative));
        return None;
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = match std::str::from_utf8(body) {
        Ok(t) => t.to_string(),
        Err(e) => {
            warnings.push(format!(
                "{}: invalid UTF-8 at byte {}, decoded lossily (bad bytes replaced by U+FFFD)",
                file.relative,
                e.valid_up_to() + bytes.len() - body.len()
            ));
            String::from_utf8_lossy(body).into_owned()
        }
    };
    let text = if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text };
    Some(LoadedFile { source: SourceFile { path: file.relative.clone(), text }, sha256 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn np() -> NotesPath {
        NotesPath { path: "x.md".into(), relative: "x.md".into() }
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let mut w = Vec::new();
        let f = load(&np(), b"\xEF\xBB\xBF# T\r\nline\r\n".to_vec(), &mut w).unwrap();
        assert_eq!(f.source.text, "# T\nline\n");
        assert!(w.is_empty());
    }

    #[test]
    fn invalid_utf8_is_decoded_lossily_with_offset() {
        let mut w = Vec::new();
        let f = load(&np(), b"ok \xFF bad".to_vec(), &mut w).unwrap();
        assert!(f.source.text.contains('\u{FFFD}'));
        assert!(w[0].contains("byte 3"), "{}", w[0]);
    }

    #[test]
    fn read_refuses_what_is_over_the_cap_or_not_a_regular_file_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "0123456789").unwrap();
        assert_eq!(read(&file, Limits { max_file_size: 10 }).unwrap(), b"0123456789");
        let over = read(&file, Limits { max_file_size: 9 }).unwrap_err().to_string();
        assert!(over.contains("10 bytes, over the 9-byte cap"), "{over}");
        let fifo = dir.path().join("pipe.md");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        // Opened with no writer, a named pipe would block a plain read forever: the answer must come at once.
        let (tx, rx) = std::sync::mpsc::channel();
        let pipe = fifo.clone();
        std::thread::spawn(move || tx.send(read(&pipe, Limits::default()).map_err(|e| e.to_string())));
        let answered = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("reading a named pipe blocked");
        let refused = answered.unwrap_err();
        assert!(refused.contains("a named pipe, not a regular file"), "{refused}");
        let listing = list(&[dir.path().to_path_buf()], Limits { max_file_size: 9 });
        assert!(listing.files.is_empty(), "{:?}", listing.files);
        assert_eq!(listing.warnings.len(), 2, "{:?}", listing.warnings);
    }

    #[test]
    fn binary_files_are_skipped() {
        let mut w = Vec::new();
        assert!(load(&np(), b"\x00\x01\x02".to_vec(), &mut w).is_none());
        assert!(w[0].contains("binary"));
    }
}
