//! Encodes one file's [`Extraction`] as the quads of its named graph: the notes file node, talks,
//! speakers, organizations and technologies with their labels, direct stance triples
//! (Organization —adopted→ Technology) and a qualified `tg:Stance` node per stance carrying the evidence
//! sentence, line, file and talk (PROV-O style).

use super::iri;
use super::vocab::{SCHEMA, SKOS, TG, XSD};
use crate::extract::{Extraction, OrgRef};
use crate::ontology::Ontology;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Facts about the notes file itself.
#[derive(Debug, Clone)]
pub struct FileInfo {
    /// Path relative to the ingested folder.
    pub path: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

struct Writer {
    graph: GraphName,
    quads: Vec<Quad>,
}

impl Writer {
    fn add(&mut self, s: &str, p: &str, o: impl Into<Term>) {
        self.quads.push(Quad::new(node(s), node(p), o, self.graph.clone()));
    }
    fn link(&mut self, s: &str, p: &str, o: &str) {
        self.add(s, p, node(o));
    }
    fn text(&mut self, s: &str, p: &str, value: &str) {
        self.add(s, p, Literal::new_simple_literal(value));
    }
}

fn node(iri: &str) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

/// The quads of one notes file's graph, in writing order, without duplicates.
pub fn encode(extraction: &Extraction, file: &FileInfo, ontology: &Ontology) -> Vec<Quad> {
    let notes = iri::notes(&file.path);
    let mut w = Writer { graph: GraphName::NamedNode(node(&notes)), quads: Vec::new() };
    w.link(&notes, rdf::TYPE.as_str(), &TG.iri("NotesFile"));
    w.text(&notes, &TG.iri("path"), &file.path);
    w.text(&notes, &TG.iri("sha256"), &file.sha256);
    let event = extraction.event.as_deref().map(|name| {
        let e = iri::event(name);
        w.link(&e, rdf::TYPE.as_str(), &TG.iri("Event"));
        w.text(&e, &TG.iri("name"), name);
        if let Some(date) = &extraction.event_date {
            w.text(&e, &TG.iri("date"), date);
        }
        e
    });
    let mut talk_iris = TalkIris::default();
    let mut described: BTreeSet<String> = BTreeSet::new();
    for talk in &extraction.talks {
        let t = talk_iris.mint(&file.path, &talk_name(talk));
        encode_talk(&mut w, talk, &t, &notes, event.as_deref(), ontology, &mut described);
    }
    first_occurrences(w.quads)
}

/// The quads without repeats, in order. Repeats are found through references, not clones: a 100 MB
/// notes file makes millions of quads, and a set of copies would double the memory they take.
fn first_occurrences(mut quads: Vec<Quad>) -> Vec<Quad> {
    let keep: Vec<bool> = {
        let mut seen: HashSet<&Quad> = HashSet::with_capacity(quads.len());
        quads.iter().map(|q| seen.insert(q)).collect()
    };
    let mut keep = keep.into_iter();
    quads.retain(|_| keep.next().unwrap_or(true));
    quads
}

/// Talk IRIs minted so far in one file: a talk gets the first of `…/title`, `…/title-2`, … no earlier talk
/// took, so two talks never share a node, whether their titles repeat or only their slugs do ("¡" and ","
/// both slug to `x`; "Kafka 2" and a second "Kafka" both to `kafka-2`).
#[derive(Default)]
struct TalkIris {
    taken: HashSet<String>,
    /// The occurrence to try first, by a title's first IRI: a title repeated n times costs O(n), not O(n²).
    next: HashMap<String, usize>,
}

impl TalkIris {
    fn mint(&mut self, path: &str, name: &str) -> String {
        let first = iri::talk(path, name, 1);
        let mut n = self.next.get(&first).copied().unwrap_or(1);
        while self.taken.contains(&iri::talk(path, name, n)) {
            n += 1;
        }
        self.next.insert(first, n + 1);
        let t = iri::talk(path, name, n);
        self.taken.insert(t.clone());
        t
    }
}

/// What names a talk's IRI: its title, else "talk by <first speaker>", else its line.
fn talk_name(talk: &crate::extract::TalkFacts) -> String {
    match (&talk.title, talk.speakers.first()) {
        (Some(title), _) => title.clone(),
        (None, Some(s)) => format!("talk by {}", s.name),
        (None, None) => format!("talk at line {}", talk.line),
    }
}

fn encode_talk(
    w: &mut Writer,
    talk: &crate::extract::TalkFacts,
    t: &str,
    notes: &str,
    event: Option<&str>,
    ontology: &Ontology,
    described: &mut BTreeSet<String>,
) {
    w.link(t, rdf::TYPE.as_str(), &TG.iri("Talk"));
    if let Some(title) = &talk.title {
        w.text(t, &TG.iri("title"), title);
    }
    w.link(t, &TG.iri("notesFile"), notes);
    w.add(t, &TG.iri("line"), Literal::new_typed_literal(talk.line.to_string(), node(&XSD.iri("integer"))));
    if let Some(e) = event {
        w.link(t, &TG.iri("event"), e);
        w.link(e, &SCHEMA.iri("subEvent"), t);
    }
    for s in &talk.speakers {
        let p = iri::person(&s.name);
        w.link(t, &TG.iri("speaker"), &p);
        w.link(&p, rdf::TYPE.as_str(), &TG.iri("Person"));
        w.text(&p, &TG.iri("name"), &s.name);
        if let Some(role) = &s.role {
            w.text(&p, &TG.iri("jobTitle"), role);
        }
        if let Some(org) = &s.organization {
            w.link(&p, &TG.iri("worksFor"), &org.iri);
            w.link(t, &TG.iri("mentions"), &org.iri);
            if let Some(written) = s.organization_as_written.as_deref().filter(|w| *w != org.name) {
                w.text(&org.iri, &SKOS.iri("altLabel"), written);
                w.text(&org.iri, &TG.iri("lookupKey"), &crate::text::normalize(written));
            }
            describe_org(w, org, described);
        }
    }
    for (org, mentions) in &talk.organizations {
        w.link(t, &TG.iri("mentions"), &org.iri);
        describe_org(w, org, described);
        surface_labels(w, &org.iri, mentions);
    }
    for (tech, mentions) in &talk.technologies {
        w.link(t, &TG.iri("mentions"), tech);
        describe_tech(w, tech, ontology, described);
        surface_labels(w, tech, mentions);
    }
    for s in &talk.stances {
        let kind = TG.iri(s.stance.local_name());
        w.link(&s.organization.iri, &kind, &s.technology);
        describe_org(w, &s.organization, described);
        describe_tech(w, &s.technology, ontology, described);
        for e in &s.evidence {
            let node_iri = iri::stance(t, &s.organization.iri, &s.technology, e.line);
            w.link(&node_iri, &TG.iri("organization"), &s.organization.iri);
            w.link(&node_iri, &TG.iri("technology"), &s.technology);
            w.link(&node_iri, &TG.iri("stanceKind"), &kind);
            w.text(&node_iri, &TG.iri("evidence"), &e.text);
            w.add(&node_iri, &TG.iri("line"), integer(e.line));
            w.link(&node_iri, &TG.iri("talk"), t);
        }
    }
}

/// The forms a name was written in, as `skos:altLabel`s (the graph shows "pgsql" and "постгрес" too).
fn surface_labels(w: &mut Writer, iri: &str, mentions: &[crate::extract::Mention]) {
    for m in mentions {
        w.text(iri, &SKOS.iri("altLabel"), &m.surface);
    }
}

fn integer(n: usize) -> Literal {
    Literal::new_typed_literal(n.to_string(), node(&XSD.iri("integer")))
}

fn describe_org(w: &mut Writer, org: &OrgRef, described: &mut BTreeSet<String>) {
    if described.insert(org.iri.clone()) {
        w.link(&org.iri, rdf::TYPE.as_str(), &TG.iri("Organization"));
        w.text(&org.iri, &SKOS.iri("prefLabel"), &org.name);
        w.text(&org.iri, &TG.iri("lookupKey"), &crate::text::normalize(&org.name));
    }
}

fn describe_tech(w: &mut Writer, tech: &str, ontology: &Ontology, described: &mut BTreeSet<String>) {
    if !described.insert(tech.to_string()) {
        return;
    }
    w.link(tech, rdf::TYPE.as_str(), &TG.iri("Technology"));
    if let Some(c) = ontology.technology(tech) {
        w.text(tech, &SKOS.iri("prefLabel"), &c.pref_label);
        if let Some(cat) = &c.category {
            w.link(tech, &TG.iri("category"), cat);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_titles_and_colliding_slugs_get_distinct_talk_iris() {
        let mut iris = TalkIris::default();
        let minted: Vec<String> =
            ["Kafka", "Kafka 2", "Kafka", "¡", ","].iter().map(|t| iris.mint("a.md", t)).collect();
        let tails: Vec<&str> = minted.iter().map(|i| i.rsplit('/').next().unwrap()).collect();
        assert_eq!(tails, ["kafka", "kafka-2", "kafka-3", "x", "x-2"]);
    }
}
