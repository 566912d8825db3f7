//! The invariants of the path notes bytes → quads, shared by the property tests (`tests/properties.rs`)
//! and the fuzz target (`fuzz/fuzz_targets/markdown_to_quads.rs`, which includes this file by path).
//!
//! Bytes go through the library as `ingest` sends a file: `corpus::load` (BOM dropped, CRLF and CR made
//! LF, invalid UTF-8 replaced, NUL-bearing files skipped), then the stages of `pipeline::file_quads` (parse →
//! extract → encode). On what comes out:
//!
//! - every evidence literal (object of `tg:evidence`) is a verbatim substring of the line its stance node
//!   names with `tg:line` (1-based, in the text as read; for well-formed UTF-8 without lone CRs, also in
//!   the file's own bytes with CRLF counted as one line break);
//! - every IRI (subject, predicate, object, graph) is an absolute IRI `NamedNode::new` accepts, and there
//!   are no blank nodes, so comparing sets of quads is comparing graphs up to isomorphism;
//! - every talk of the extraction is its own `tg:Talk` node;
//! - the quads written as Turtle (the triples of the one graph) and as TriG by oxigraph's serializer, with
//!   the export's prefixes, read back with oxigraph's parser as the same set.
//!
//! Each check returns `Err(message)` naming the broken invariant, so a caller can panic or report.

#![allow(dead_code)]

use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use std::collections::{BTreeMap, HashSet};
use talkgraph::corpus::{self, NotesPath};
use talkgraph::extract::Extractor;
use talkgraph::rdf::FileInfo;
use talkgraph::vocab::{PREFIXES, TG};

/// The name the checked bytes go by: a folder and a space, as real notes paths have.
pub fn notes_path() -> NotesPath {
    NotesPath { path: "notes/day 1/talks.md".into(), relative: "day 1/talks.md".into() }
}

/// Runs `bytes` through the library as one notes file and checks every invariant. Returns the number of
/// quads written (0 for a file skipped as binary).
pub fn check_notes(bytes: &[u8], extractor: &Extractor) -> Result<usize, String> {
    let mut warnings = Vec::new();
    let Some(loaded) = corpus::load(&notes_path(), bytes.to_vec(), &mut warnings) else {
        return if bytes.contains(&0) { Ok(0) } else { Err(format!("skipped without a NUL byte: {warnings:?}")) };
    };
    if warnings.iter().any(|w| !w.starts_with("day 1/talks.md: ")) {
        return Err(format!("a warning does not name the file: {warnings:?}"));
    }
    // The stages of `pipeline::file_quads`, one by one, to count the talks on the way.
    let doc = talkgraph::pipeline::document(loaded.clone(), extractor);
    let extraction = extractor.extract(&doc);
    let info = FileInfo { path: loaded.source.path.clone(), sha256: loaded.sha256.clone() };
    let quads = talkgraph::rdf::encode(&extraction, &info, extractor.ontology());
    check_terms(&quads)?;
    check_evidence(&quads, &loaded.source.text)?;
    if let Some(raw) = raw_text(bytes) {
        check_evidence(&quads, &raw)?;
    }
    check_talks(&quads, extraction.talks.len())?;
    check_round_trip(&quads)?;
    Ok(quads.len())
}

/// The file's text exactly as on disk (BOM aside), with CRLF as the line break, when it is UTF-8 and
/// has no lone CR: the lines an editor shows.
fn raw_text(bytes: &[u8]) -> Option<String> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(body).ok()?;
    let lone_cr = text.match_indices('\r').any(|(i, _)| !text[i + 1..].starts_with('\n'));
    (!lone_cr).then(|| text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect::<Vec<_>>().join("\n"))
}

/// Every IRI is absolute and valid; no blank nodes anywhere.
pub fn check_terms(quads: &[Quad]) -> Result<(), String> {
    let mut checked: HashSet<&str> = HashSet::new();
    for q in quads {
        let NamedOrBlankNode::NamedNode(s) = &q.subject else { return Err(format!("blank or triple subject: {q}")) };
        let GraphName::NamedNode(g) = &q.graph_name else { return Err(format!("not in a named graph: {q}")) };
        let object = match &q.object {
            Term::NamedNode(o) => o.as_str(),
            Term::Literal(l) => l.datatype().as_str(),
            _ => return Err(format!("blank node object: {q}")),
        };
        for iri in [s.as_str(), q.predicate.as_str(), object, g.as_str()] {
            if checked.insert(iri) {
                check_iri(iri)?;
            }
        }
    }
    Ok(())
}

/// An absolute IRI that oxigraph accepts: `NamedNode::new` parses it as an absolute IRI (RFC 3987), and
/// it starts with a scheme.
pub fn check_iri(iri: &str) -> Result<(), String> {
    NamedNode::new(iri).map_err(|e| format!("invalid IRI <{iri}>: {e}"))?;
    let scheme = iri.split_once(':').map(|(s, _)| s).unwrap_or("");
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        return Err(format!("IRI without a scheme: <{iri}>"));
    }
    Ok(())
}

/// The text from line `n` (1-based) on, its line breaks (with the blanks and quote markers around them)
/// read as one space, as far as `len` more bytes: where evidence from a paragraph wrapped mid-sentence
/// is found.
fn folded_from(lines: &[&str], n: usize, len: usize) -> String {
    let mut out = lines[n - 1].to_string();
    for next in &lines[n..] {
        if out.len() > lines[n - 1].len() + len {
            break;
        }
        out.truncate(out.trim_end().len());
        out.push(' ');
        out.push_str(next.trim().trim_start_matches('>').trim());
    }
    out
}

/// Every stance node names one line, and each of its evidence literals starts on that line: a substring of
/// it, or, for a sentence its author's editor wrapped, of the text from it on with the breaks read as
/// spaces.
pub fn check_evidence(quads: &[Quad], text: &str) -> Result<(), String> {
    let evidence = TG.iri("evidence");
    let line = TG.iri("line");
    let mut nodes: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for q in quads {
        let Term::Literal(l) = &q.object else { continue };
        let p = q.predicate.as_str();
        if p == evidence || p == line {
            let entry = nodes.entry(q.subject.to_string()).or_default();
            let list = if p == evidence { &mut entry.0 } else { &mut entry.1 };
            list.push(l.value().to_string());
        }
    }
    let lines: Vec<&str> = text.split('\n').collect();
    for (node, (texts, numbers)) in nodes.iter().filter(|(_, (e, _))| !e.is_empty()) {
        let [number] = numbers.as_slice() else { return Err(format!("{node}: tg:line {numbers:?}, not one")) };
        let n: usize = number.parse().map_err(|_| format!("{node}: tg:line {number:?} is not a number"))?;
        let source = n.checked_sub(1).and_then(|i| lines.get(i)).ok_or(format!("{node}: no line {n}"))?;
        for t in texts {
            let starts_here = || folded_from(&lines, n, t.len()).find(t.as_str()).is_some_and(|at| at < source.len());
            if !source.contains(t.as_str()) && !starts_here() {
                return Err(format!("{node}: evidence {t:?} is not in line {n}: {source:?}"));
            }
        }
    }
    Ok(())
}

/// As many distinct `tg:Talk` nodes as the extraction found talks.
pub fn check_talks(quads: &[Quad], talks: usize) -> Result<(), String> {
    let talk = TG.iri("Talk");
    let nodes: HashSet<&NamedOrBlankNode> = quads
        .iter()
        .filter(|q| q.predicate.as_str() == oxigraph::model::vocab::rdf::TYPE.as_str())
        .filter(|q| matches!(&q.object, Term::NamedNode(n) if n.as_str() == talk))
        .map(|q| &q.subject)
        .collect();
    if nodes.len() != talks {
        return Err(format!("{talks} talks extracted, {} tg:Talk nodes: {nodes:?}", nodes.len()));
    }
    Ok(())
}

/// Turtle (the triples) and TriG (the quads) read back as the same sets.
pub fn check_round_trip(quads: &[Quad]) -> Result<(), String> {
    let triples: HashSet<Triple> = quads.iter().map(|q| Triple::from(q.clone())).collect();
    let ttl =
        serialize(RdfFormat::Turtle, quads.iter().map(|q| Triple::from(q.clone()).in_graph(GraphName::DefaultGraph)))?;
    let back: HashSet<Triple> = parse(RdfFormat::Turtle, &ttl)?.into_iter().map(Triple::from).collect();
    if back != triples {
        return Err(difference("Turtle", &triples, &back, &ttl));
    }
    let expected: HashSet<Quad> = quads.iter().cloned().collect();
    let trig = serialize(RdfFormat::TriG, quads.iter().cloned())?;
    let back: HashSet<Quad> = parse(RdfFormat::TriG, &trig)?.into_iter().collect();
    if back != expected {
        return Err(difference("TriG", &expected, &back, &trig));
    }
    Ok(())
}

fn serialize(format: RdfFormat, quads: impl Iterator<Item = Quad>) -> Result<Vec<u8>, String> {
    let mut serializer = RdfSerializer::from_format(format);
    for ns in PREFIXES {
        serializer = serializer.with_prefix(ns.prefix, ns.base).map_err(|e| format!("prefix {}: {e}", ns.prefix))?;
    }
    let mut writer = serializer.for_writer(Vec::new());
    for q in quads {
        writer.serialize_quad(&q).map_err(|e| format!("{format} cannot write {q}: {e}"))?;
    }
    writer.finish().map_err(|e| format!("{format}: {e}"))
}

fn parse(format: RdfFormat, bytes: &[u8]) -> Result<Vec<Quad>, String> {
    RdfParser::from_format(format).for_slice(bytes).collect::<Result<_, _>>().map_err(|e| {
        format!("{format} written by oxigraph does not parse back: {e}\n{}", String::from_utf8_lossy(bytes))
    })
}

fn difference<T: std::fmt::Display + Eq + std::hash::Hash>(
    format: &str,
    expected: &HashSet<T>,
    back: &HashSet<T>,
    text: &[u8],
) -> String {
    let lost: Vec<String> = expected.difference(back).map(T::to_string).collect();
    let gained: Vec<String> = back.difference(expected).map(T::to_string).collect();
    format!("{format} round trip differs: lost {lost:?}, gained {gained:?}\n{}", String::from_utf8_lossy(text))
}
