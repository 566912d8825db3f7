//! Encodes one file's [`Extraction`] as the quads of its named graph: the notes file node, talks,
//! speakers, organizations and technologies with their labels, direct stance triples
//! (Organization —adopted→ Technology) and a qualified `tg:Stance` node per stance carrying the evidence
//! sentence, line, file and talk (PROV-O style).

use super::iri;
use crate::extract::{Extraction, OrgRef};
use crate::ontology::Ontology;
use crate::vocab::{SCHEMA, SKOS, TG, XSD};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};
use rustc_hash::FxHashSet as HashSet;
use std::collections::{BTreeSet, HashMap};

/// Facts about the notes file itself.
#[derive(Debug, Clone)]
pub struct FileInfo {
    /// Path relative to the ingested folder.
    pub path: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

/// Quads as they are written, into a buffer the caller empties as it likes.
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
    let mut encoder = GraphEncoder::new(file, extraction.event.as_deref(), extraction.event_date.as_deref(), ontology);
    for talk in &extraction.talks {
        encoder.talk(talk);
    }
    encoder.take()
}

/// Encodes one notes file's graph talk by talk: the same quads, in the same order, as [`encode`] gives
/// for all its talks at once, taken out in parts as they come so that a huge file's quads are never all
/// held at once.
///
/// Repeats are dropped as they are written. A quad about a talk (its IRI is the subject or object, or
/// the subject is one of its stance nodes) can only be written by that talk, so it is compared with that
/// talk's quads alone; only the other quads (about people, organizations, technologies, the file and the
/// event: few, however long the file) are remembered for the whole file.
pub struct GraphEncoder<'a> {
    ontology: &'a Ontology,
    path: String,
    notes: String,
    event: Option<String>,
    writer: Writer,
    talk_iris: TalkIris,
    described: BTreeSet<String>,
    /// The quads about no one talk kept so far.
    shared: HashSet<Quad>,
}

impl<'a> GraphEncoder<'a> {
    /// Starts a file's graph with the quads of the file and its event.
    pub fn new(file: &FileInfo, event: Option<&str>, event_date: Option<&str>, ontology: &'a Ontology) -> Self {
        let notes = iri::notes(&file.path);
        let writer = Writer { graph: GraphName::NamedNode(node(&notes)), quads: Vec::new() };
        let mut encoder = GraphEncoder {
            ontology,
            path: file.path.clone(),
            notes,
            event: event.map(iri::event),
            writer,
            talk_iris: TalkIris::default(),
            described: BTreeSet::new(),
            shared: HashSet::default(),
        };
        let w = &mut encoder.writer;
        w.link(&encoder.notes, rdf::TYPE.as_str(), &TG.iri("NotesFile"));
        w.text(&encoder.notes, &TG.iri("path"), &file.path);
        w.text(&encoder.notes, &TG.iri("sha256"), &file.sha256);
        if let (Some(e), Some(name)) = (&encoder.event, event) {
            w.link(e, rdf::TYPE.as_str(), &TG.iri("Event"));
            w.text(e, &TG.iri("name"), name);
            if let Some(date) = event_date {
                w.text(e, &TG.iri("date"), date);
            }
        }
        encoder.drop_repeats(0, None);
        encoder
    }

    /// Adds the quads of the file's next talk.
    pub fn talk(&mut self, talk: &crate::extract::TalkFacts) {
        let t = self.talk_iris.mint(&self.path, &talk_name(talk));
        let from = self.writer.quads.len();
        let event = self.event.as_deref();
        encode_talk(&mut self.writer, talk, &t, &self.notes, event, self.ontology, &mut self.described);
        self.drop_repeats(from, Some(&t));
    }

    /// How many quads are waiting to be taken.
    pub fn pending(&self) -> usize {
        self.writer.quads.len()
    }

    /// Takes the quads written since the last take.
    pub fn take(&mut self) -> Vec<Quad> {
        std::mem::take(&mut self.writer.quads)
    }

    /// Drops the quads written from `from` on that were written before: within them (found through
    /// references, not clones), or, for those about no one talk, earlier in the file.
    fn drop_repeats(&mut self, from: usize, talk: Option<&str>) {
        let stance_prefix = talk.map(iri::stance_prefix);
        let owned_by_talk = |q: &Quad| match (talk, &stance_prefix) {
            (Some(t), Some(prefix)) => about_talk(q, t, prefix),
            _ => false,
        };
        let keep: Vec<bool> = {
            let mut seen: HashSet<&Quad> = HashSet::default();
            let fresh = self.writer.quads[from..].iter();
            fresh.map(|q| seen.insert(q) && (owned_by_talk(q) || !self.shared.contains(q))).collect()
        };
        for (q, _) in self.writer.quads[from..].iter().zip(&keep).filter(|(q, k)| **k && !owned_by_talk(q)) {
            self.shared.insert(q.clone());
        }
        // Only the fresh tail is filtered: a file of n talks costs n tails, not n whole lists.
        let fresh = self.writer.quads.split_off(from);
        self.writer.quads.extend(fresh.into_iter().zip(keep).filter_map(|(q, k)| k.then_some(q)));
    }
}

/// True when a quad is about talk `t`: its subject or object is the talk, or its subject one of the
/// talk's stance nodes (whose IRIs start with `stance_prefix`).
fn about_talk(q: &Quad, t: &str, stance_prefix: &str) -> bool {
    let subject = match &q.subject {
        oxigraph::model::NamedOrBlankNode::NamedNode(n) => n.as_str(),
        oxigraph::model::NamedOrBlankNode::BlankNode(_) => "",
    };
    let object_is_talk = matches!(&q.object, Term::NamedNode(n) if n.as_str() == t);
    subject == t || object_is_talk || subject.starts_with(stance_prefix)
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
                lemma_labels(w, &org.iri, written, ontology);
            }
            describe_org(w, org, described);
        }
    }
    for (org, mentions) in &talk.organizations {
        w.link(t, &TG.iri("mentions"), &org.iri);
        describe_org(w, org, described);
        surface_labels(w, &org.iri, mentions);
        mentions.iter().for_each(|m| lemma_labels(w, &org.iri, &m.surface, ontology));
    }
    for (tech, mentions) in &talk.technologies {
        w.link(t, &TG.iri("mentions"), tech);
        describe_tech(w, tech, mentions.first().map(|m| m.surface.as_str()), ontology, described);
        surface_labels(w, tech, mentions);
    }
    for s in &talk.stances {
        let kind = TG.iri(s.stance.local_name());
        w.link(&s.organization.iri, &kind, &s.technology);
        describe_org(w, &s.organization, described);
        describe_tech(w, &s.technology, None, ontology, described);
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

/// The vocabulary's own names of an organization that a written form inflects, as `skos:altLabel`s: "Сбер"
/// for "из Сбера", "Озон" for "в Озоне" (a Cyrillic label the written form runs on past by one of the
/// lexicon's case endings), so the graph names the company as a reader would, not only in the case the
/// sentence needed.
fn lemma_labels(w: &mut Writer, iri: &str, written: &str, ontology: &Ontology) {
    let Some(concept) = ontology.organization(iri) else { return };
    let key = crate::text::compact_key(written);
    let endings = &ontology.lexicon.case_endings;
    for label in concept.labels.iter().chain(&concept.exact) {
        let inflects =
            key.strip_prefix(&crate::text::compact_key(label)).is_some_and(|rest| endings.iter().any(|e| e == rest));
        if crate::text::is_cyrillic(label) && inflects {
            w.text(iri, &SKOS.iri("altLabel"), label);
        }
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

/// A technology's type, label and category; one the vocabulary does not hold (an in-house system the notes
/// define) is labelled as first written and marked `tg:candidate true`.
fn describe_tech(
    w: &mut Writer,
    tech: &str,
    written: Option<&str>,
    ontology: &Ontology,
    described: &mut BTreeSet<String>,
) {
    if !described.insert(tech.to_string()) {
        return;
    }
    w.link(tech, rdf::TYPE.as_str(), &TG.iri("Technology"));
    match (ontology.technology(tech), written) {
        (Some(c), _) => {
            w.text(tech, &SKOS.iri("prefLabel"), &c.pref_label);
            if let Some(cat) = &c.category {
                w.link(tech, &TG.iri("category"), cat);
            }
        }
        (None, Some(label)) => {
            w.text(tech, &SKOS.iri("prefLabel"), label);
            w.add(tech, &TG.iri("candidate"), Literal::new_typed_literal("true", node(&XSD.iri("boolean"))));
        }
        (None, None) => {}
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
