//! The answer shelf: one file per notes graph under `<store>/answers/`, holding what that graph contributes
//! to each canned query (see `contribute`), stamped with the fingerprint of what the graph was made from.
//!
//! A file is written whole under a temporary name and renamed into place, so a reader sees the old file or
//! the new one. Reading a query's rows for one key costs one open and three positioned reads per graph:
//! the header (the fingerprint and where each section lies), the section's key table (sorted by a hash of
//! the key), and the rows of that key.
//!
//! Layout: `TGANSW01`, u32 header length, header = fingerprint, u32 section count, then per section its
//! name, u64 key-table offset and u32 key count. A key table holds (u64 key hash, u64 offset, u32 length)
//! entries; each points at a block = key, its distinct terms, u32 row count, u8 width, then each row's
//! cells as varint indices into those terms (0 for unbound).

use super::Row;
use super::contribute::{Cells, Id, Section};
use anyhow::{Context, Result, bail};
use oxigraph::model::vocab::xsd;
use oxigraph::model::{BlankNode, Literal, NamedNode, Term, TermRef};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"TGANSW02";
const ENTRY: usize = 20;

/// The folder of answer files beside a store.
#[derive(Debug, Clone)]
pub struct Shelf {
    dir: PathBuf,
}

impl Shelf {
    /// The shelf of the store in `store_dir`.
    pub fn of_store(store_dir: &Path) -> Shelf {
        Shelf { dir: store_dir.join("answers") }
    }

    fn file_of(&self, graph: &str) -> PathBuf {
        self.dir.join(format!("{}.bin", &crate::corpus::sha256_hex(graph.as_bytes())[..24]))
    }

    /// Writes a graph's sections (their cells numbering the terms `term` gives), replacing its earlier file.
    pub fn write<'t>(
        &self,
        graph: &str,
        fingerprint: &str,
        sections: &[(&str, Section)],
        term: &dyn Fn(Id) -> TermRef<'t>,
    ) -> Result<()> {
        std::fs::create_dir_all(&self.dir).with_context(|| format!("cannot create {}", self.dir.display()))?;
        let path = self.file_of(graph);
        let temporary = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&temporary, encode_file(fingerprint, sections, term))
            .with_context(|| format!("cannot write {}", temporary.display()))?;
        std::fs::rename(&temporary, &path).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Forgets a graph's answers (its notes file is gone, or its answers could not be worked out).
    pub fn remove(&self, graph: &str) -> Result<()> {
        match std::fs::remove_file(self.file_of(graph)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).with_context(|| format!("cannot remove the answers of {graph}"))
            }
            _ => Ok(()),
        }
    }

    /// A graph's answers if they were made from what `fingerprint` names; `None` if missing or stale.
    pub fn open(&self, graph: &str, fingerprint: &str) -> Result<Option<Shelved>> {
        let path = self.file_of(graph);
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("cannot open {}", path.display())),
        };
        let shelved = Shelved::read(file).with_context(|| format!("reading {}", path.display()))?;
        Ok(shelved.filter(|s| s.fingerprint == fingerprint))
    }
}

/// One graph's answer file, its header read.
pub struct Shelved {
    file: File,
    fingerprint: String,
    /// (name, key-table offset, key count).
    sections: Vec<(String, u64, u32)>,
}

impl Shelved {
    fn read(file: File) -> Result<Option<Shelved>> {
        let mut head = [0u8; 12];
        if file.read_exact_at(&mut head, 0).is_err() || &head[..8] != MAGIC {
            return Ok(None);
        }
        let length = u32::from_le_bytes([head[8], head[9], head[10], head[11]]) as usize;
        let mut header = vec![0u8; length];
        file.read_exact_at(&mut header, 12)?;
        let mut r = Reader { bytes: &header, at: 0 };
        let fingerprint = r.text()?.to_string();
        let count = r.u32()?;
        let mut sections = Vec::with_capacity(count as usize);
        for _ in 0..count {
            sections.push((r.text()?.to_string(), r.u64()?, r.u32()?));
        }
        Ok(Some(Shelved { file, fingerprint, sections }))
    }

    /// The rows a section holds under `key` (none when the section or key is absent).
    pub fn rows(&self, section: &str, key: &str) -> Result<Vec<Row>> {
        Ok(self.block(section, key)?.map(Block::rows).unwrap_or_default())
    }

    /// The block of rows a section holds under `key`, as its distinct terms and cells numbering them.
    pub fn block(&self, section: &str, key: &str) -> Result<Option<Block>> {
        let Some((_, offset, count)) = self.sections.iter().find(|(name, _, _)| name == section) else {
            return Ok(None);
        };
        let mut table = vec![0u8; *count as usize * ENTRY];
        self.file.read_exact_at(&mut table, *offset)?;
        let wanted = key_hash(key);
        let entry = |i: usize| {
            let e = &table[i * ENTRY..(i + 1) * ENTRY];
            let hash = u64::from_le_bytes(e[..8].try_into().unwrap_or_default());
            let at = u64::from_le_bytes(e[8..16].try_into().unwrap_or_default());
            let len = u32::from_le_bytes(e[16..20].try_into().unwrap_or_default());
            (hash, at, len)
        };
        let first = partition_point(*count as usize, |i| entry(i).0 < wanted);
        for i in first..*count as usize {
            let (hash, at, len) = entry(i);
            if hash != wanted {
                break;
            }
            let mut block = vec![0u8; len as usize];
            self.file.read_exact_at(&mut block, at)?;
            let mut r = Reader { bytes: &block, at: 0 };
            if r.text()? == key {
                return Ok(Some(r.block()?));
            }
        }
        Ok(None)
    }
}

/// One key's rows: their distinct terms, and per row `width` cells, each `0` (unbound) or a term's
/// number plus one.
pub struct Block {
    pub terms: Vec<Term>,
    pub width: usize,
    pub cells: Vec<u32>,
}

impl Block {
    /// The rows, terms cloned into place.
    pub fn rows(self) -> Vec<Row> {
        let width = self.width.max(1);
        self.cells
            .chunks(width)
            .filter(|_| self.width > 0)
            .map(|row| row.iter().map(|&c| (c > 0).then(|| self.terms[c as usize - 1].clone())).collect())
            .collect()
    }
}

fn partition_point(n: usize, below: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if below(mid) { lo = mid + 1 } else { hi = mid }
    }
    lo
}

/// FNV-1a, 64 bits: stable across builds and platforms.
fn key_hash(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn encode_file<'t>(fingerprint: &str, sections: &[(&str, Section)], term: &dyn Fn(Id) -> TermRef<'t>) -> Vec<u8> {
    let mut header = Vec::new();
    put_text(&mut header, fingerprint);
    put_u32(&mut header, sections.len());
    let header_len = header.len() + sections.iter().map(|(name, _)| 4 + name.len() + 12).sum::<usize>();
    let mut body = Vec::new();
    let base = 12 + header_len;
    for (name, section) in sections {
        let mut blocks = Vec::new();
        let mut entries: Vec<(u64, usize, usize)> = Vec::with_capacity(section.len());
        for (key, rows) in section {
            let start = blocks.len();
            put_text(&mut blocks, key);
            put_rows(&mut blocks, rows, term);
            entries.push((key_hash(key), start, blocks.len() - start));
        }
        entries.sort_unstable();
        let table_at = base + body.len();
        let blocks_at = table_at + entries.len() * ENTRY;
        put_text(&mut header, name);
        header.extend_from_slice(&(table_at as u64).to_le_bytes());
        put_u32(&mut header, entries.len());
        for (hash, start, len) in &entries {
            body.extend_from_slice(&hash.to_le_bytes());
            body.extend_from_slice(&((blocks_at + start) as u64).to_le_bytes());
            put_u32(&mut body, *len);
        }
        body.extend_from_slice(&blocks);
    }
    let mut out = Vec::with_capacity(base + body.len());
    out.extend_from_slice(MAGIC);
    put_u32(&mut out, header.len());
    out.extend_from_slice(&header);
    out.extend_from_slice(&body);
    out
}

fn put_u32(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    put_u32(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

/// A block's rows: its distinct terms once, then each row as indices into them (0 for unbound), so the
/// file path, labels and kinds repeated on every row cost a few bytes each.
fn put_rows<'t>(out: &mut Vec<u8>, rows: &[Cells], term: &dyn Fn(Id) -> TermRef<'t>) {
    let mut index: rustc_hash::FxHashMap<Id, usize> = rustc_hash::FxHashMap::default();
    let mut terms: Vec<Id> = Vec::new();
    for &cell in rows.iter().flatten().filter(|c| **c != 0) {
        index.entry(cell).or_insert_with(|| {
            terms.push(cell - 1);
            terms.len()
        });
    }
    put_u32(out, terms.len());
    for id in terms {
        put_term(out, term(id));
    }
    put_u32(out, rows.len());
    out.push(rows.first().map_or(0, Vec::len) as u8);
    for row in rows {
        for cell in row {
            put_varint(out, if *cell == 0 { 0 } else { index[cell] });
        }
    }
}

fn put_varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn put_term(out: &mut Vec<u8>, term: TermRef<'_>) {
    match term {
        TermRef::NamedNode(n) => {
            out.push(1);
            put_text(out, n.as_str());
        }
        TermRef::BlankNode(b) => {
            out.push(2);
            put_text(out, b.as_str());
        }
        TermRef::Literal(l) => match l.language() {
            Some(lang) => {
                out.push(4);
                put_text(out, l.value());
                put_text(out, lang);
            }
            None if l.datatype() == xsd::STRING => {
                out.push(3);
                put_text(out, l.value());
            }
            None if l.datatype() == xsd::INTEGER => {
                out.push(6);
                put_text(out, l.value());
            }
            None => {
                out.push(5);
                put_text(out, l.value());
                put_text(out, l.datatype().as_str());
            }
        },
        #[allow(unreachable_patterns)]
        other => {
            out.push(3);
            put_text(out, &other.to_string());
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let Some(slice) = self.bytes.get(self.at..self.at + n) else { bail!("answer file cut short") };
        self.at += n;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into()?))
    }

    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into()?))
    }

    fn text(&mut self) -> Result<&'a str> {
        let n = self.u32()? as usize;
        Ok(std::str::from_utf8(self.take(n)?)?)
    }

    fn varint(&mut self) -> Result<usize> {
        let mut n = 0usize;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            n |= usize::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(n);
            }
        }
        bail!("answer file holds a malformed number")
    }

    fn block(&mut self) -> Result<Block> {
        let terms = (0..self.u32()?).map(|_| self.term()).collect::<Result<Vec<Term>>>()?;
        let count = self.u32()? as usize;
        let width = self.take(1)?[0] as usize;
        let mut cells = Vec::with_capacity(count * width);
        for _ in 0..count * width {
            let cell = self.varint()?;
            if cell > terms.len() {
                bail!("answer file cut short");
            }
            cells.push(cell as u32);
        }
        Ok(Block { terms, width, cells })
    }

    fn term(&mut self) -> Result<Term> {
        let tag = self.take(1)?[0];
        Ok(match tag {
            1 => NamedNode::new_unchecked(self.text()?).into(),
            2 => BlankNode::new_unchecked(self.text()?).into(),
            3 => Literal::new_simple_literal(self.text()?).into(),
            4 => {
                let value = self.text()?;
                Literal::new_language_tagged_literal_unchecked(value, self.text()?).into()
            }
            5 => {
                let value = self.text()?;
                Literal::new_typed_literal(value, NamedNode::new_unchecked(self.text()?)).into()
            }
            6 => Literal::new_typed_literal(self.text()?, xsd::INTEGER).into(),
            other => bail!("answer file holds an unknown term tag {other}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn rows_come_back_by_key_with_every_kind_of_term() {
        let dir = std::env::temp_dir().join(format!("tg-shelf-{}", std::process::id()));
        let shelf = Shelf { dir: dir.clone() };
        let terms: Row = vec![
            None,
            Some(NamedNode::new_unchecked("https://x/a").into()),
            Some(BlankNode::new_unchecked("b1").into()),
            Some(Literal::new_simple_literal("Выбрали stolon").into()),
            Some(Literal::new_language_tagged_literal_unchecked("Kubernetes", "en").into()),
            Some(Literal::new_typed_literal("42", xsd::INTEGER).into()),
            Some(Literal::new_typed_literal("true", xsd::BOOLEAN).into()),
        ];
        let table: Vec<Term> = terms.iter().flatten().cloned().collect();
        let cells: Cells = terms
            .iter()
            .scan(0, |n, t| {
                Some(t.as_ref().map_or(0, |_| {
                    *n += 1;
                    *n
                }))
            })
            .collect();
        let keys: BTreeMap<String, Vec<Cells>> = (0..50).map(|i| (format!("key{i}"), vec![cells.clone(); i])).collect();
        shelf
            .write("https://g/1", "fp", &[("one", keys), ("two", BTreeMap::new())], &|id| table[id as usize].as_ref())
            .unwrap();
        let read = shelf.open("https://g/1", "fp").unwrap().unwrap();
        assert_eq!(read.rows("one", "key7").unwrap(), vec![terms.clone(); 7]);
        assert!(read.rows("one", "key50").unwrap().is_empty());
        assert!(read.rows("two", "").unwrap().is_empty());
        assert!(read.rows("three", "").unwrap().is_empty());
        assert!(shelf.open("https://g/1", "other").unwrap().is_none());
        assert!(shelf.open("https://g/2", "fp").unwrap().is_none());
        shelf.remove("https://g/1").unwrap();
        assert!(shelf.open("https://g/1", "fp").unwrap().is_none());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
