//! The property-graph projection of the notes graphs, for graph tools that do not read RDF: talks,
//! people, organizations, technologies and events as nodes with a readable label and kind; speaker,
//! works-for, mentions and event links as edges, and one edge per stance (organization → technology)
//! carrying its evidence line, notes file and line. Read from the store, sorted, so the same notes always
//! give the same projection.

pub mod graphml;

use crate::vocab::{SKOS, TG, id};
use anyhow::Result;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Term};
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet};

/// The projection: nodes sorted by kind and IRI, edges by source, target, kind, file and line.
#[derive(Debug, Default)]
pub struct PropertyGraph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    Talk,
    Person,
    Organization,
    Technology,
    Event,
}

impl NodeKind {
    const ALL: [NodeKind; 5] =
        [NodeKind::Talk, NodeKind::Person, NodeKind::Organization, NodeKind::Technology, NodeKind::Event];

    /// The class local name, which is also the kind shown to graph tools.
    pub fn name(self) -> &'static str {
        match self {
            NodeKind::Talk => "Talk",
            NodeKind::Person => "Person",
            NodeKind::Organization => "Organization",
            NodeKind::Technology => "Technology",
            NodeKind::Event => "Event",
        }
    }

    fn of_class(iri: &str) -> Option<NodeKind> {
        let local = TG.local(iri)?;
        NodeKind::ALL.into_iter().find(|k| k.name() == local)
    }
}

/// One node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub iri: String,
    pub kind: NodeKind,
    pub label: String,
    /// A technology's category and radar quadrant, by their labels.
    pub category: Option<String>,
    pub quadrant: Option<String>,
    /// A talk's date (its event's), as written in the notes (ISO).
    pub date: Option<String>,
    /// A talk's notes file and line.
    pub source: Option<(String, u64)>,
}

/// One edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub source: String,
    pub target: String,
    /// `speaker`, `worksFor`, `mentions`, `event`, or a stance kind (`adopted`, `uses`, …).
    pub kind: String,
    /// For a stance: the line of the notes that says so.
    pub evidence: Option<Evidence>,
}

/// Where a stance was read: the verbatim line, its notes file and line number, and the talk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Evidence {
    pub file: String,
    pub line: u64,
    pub text: String,
    pub talk: String,
}

/// The links between entities that become edges, by the local name of their property.
const LINKS: [&str; 4] = ["speaker", "worksFor", "mentions", "event"];

/// Everything one notes graph says that the projection keeps.
#[derive(Default)]
struct GraphFacts {
    kinds: BTreeMap<String, NodeKind>,
    labels: BTreeMap<String, String>,
    categories: BTreeMap<String, String>,
    dates: BTreeMap<String, String>,
    lines: BTreeMap<String, u64>,
    notes_path: Option<String>,
    links: BTreeSet<(String, String, String)>,
    stances: BTreeMap<String, StanceFields>,
}

impl GraphFacts {
    /// The event a talk belongs to.
    fn event_of(&self, talk: &str) -> Option<&String> {
        self.links
            .range((talk.to_string(), "event".to_string(), String::new())..)
            .next()
            .filter(|(s, k, _)| s == talk && k == "event")
            .map(|(_, _, e)| e)
    }
}

#[derive(Default)]
struct StanceFields {
    organization: Option<String>,
    technology: Option<String>,
    kind: Option<String>,
    evidence: Option<String>,
    line: Option<u64>,
    talk: Option<String>,
}

/// Projects every notes graph of the store (the ontology graphs are vocabulary, not facts).
pub fn project(store: &Store) -> Result<PropertyGraph> {
    let mut graphs: Vec<String> = store
        .named_graphs()
        .filter_map(|g| match g {
            Ok(NamedOrBlankNode::NamedNode(n)) if n.as_str().starts_with(id::NOTES.base) => Some(Ok(n.into_string())),
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        })
        .collect::<Result<_, _>>()?;
    graphs.sort();
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    let mut edges: BTreeSet<Edge> = BTreeSet::new();
    for graph in &graphs {
        let facts = read_graph(store, graph)?;
        let path = facts.notes_path.clone().unwrap_or_else(|| graph.clone());
        for (iri, kind) in &facts.kinds {
            nodes.entry(iri.clone()).or_insert_with(|| Node {
                iri: iri.clone(),
                kind: *kind,
                label: facts.labels.get(iri).cloned().unwrap_or_else(|| last_part(iri).to_string()),
                category: facts.categories.get(iri).cloned(),
                quadrant: None,
                date: facts.event_of(iri).and_then(|e| facts.dates.get(e)).cloned(),
                source: facts.lines.get(iri).filter(|_| *kind == NodeKind::Talk).map(|l| (path.clone(), *l)),
            });
        }
        for (source, kind, target) in facts.links {
            edges.insert(Edge { source, target, kind, evidence: None });
        }
        for fields in facts.stances.into_values() {
            if let StanceFields {
                organization: Some(source),
                technology: Some(target),
                kind: Some(kind),
                evidence: Some(text),
                line: Some(line),
                talk: Some(talk),
            } = fields
            {
                let evidence = Some(Evidence { file: path.clone(), line, text, talk });
                edges.insert(Edge { source, target, kind, evidence });
            }
        }
    }
    let placed = place_categories(store, nodes.values().filter_map(|n| n.category.clone()))?;
    for node in nodes.values_mut() {
        if let Some((category, quadrant)) = node.category.as_ref().and_then(|c| placed.get(c)) {
            node.quadrant = quadrant.clone();
            node.category = Some(category.clone());
        }
    }
    let edges: Vec<Edge> =
        edges.into_iter().filter(|e| nodes.contains_key(&e.source) && nodes.contains_key(&e.target)).collect();
    let mut nodes: Vec<Node> = nodes.into_values().collect();
    nodes.sort_by(|a, b| (a.kind, &a.iri).cmp(&(b.kind, &b.iri)));
    Ok(PropertyGraph { nodes, edges })
}

/// One scan of a notes graph.
fn read_graph(store: &Store, graph: &str) -> Result<GraphFacts> {
    let mut facts = GraphFacts::default();
    let name = GraphNameRef::NamedNode(NamedNodeRef::new_unchecked(graph));
    let stance_node = |s: &str| s.starts_with(id::STANCE.base);
    for q in store.quads_for_pattern(None, None, None, Some(name)) {
        let q = q?;
        let NamedOrBlankNode::NamedNode(subject) = &q.subject else { continue };
        let s = subject.as_str();
        let p = q.predicate.as_str();
        if stance_node(s) {
            let fields = facts.stances.entry(s.to_string()).or_default();
            match (TG.local(p), &q.object) {
                (Some("organization"), Term::NamedNode(o)) => fields.organization = Some(o.as_str().to_string()),
                (Some("technology"), Term::NamedNode(o)) => fields.technology = Some(o.as_str().to_string()),
                (Some("stanceKind"), Term::NamedNode(o)) => fields.kind = TG.local(o.as_str()).map(str::to_string),
                (Some("evidence"), Term::Literal(l)) => fields.evidence = Some(l.value().to_string()),
                (Some("line"), Term::Literal(l)) => fields.line = l.value().parse().ok(),
                (Some("talk"), Term::NamedNode(o)) => fields.talk = Some(o.as_str().to_string()),
                _ => {}
            }
            continue;
        }
        match (&q.object, TG.local(p)) {
            (Term::NamedNode(o), _) if p == rdf::TYPE.as_str() => {
                if let Some(kind) = NodeKind::of_class(o.as_str()) {
                    facts.kinds.insert(s.to_string(), kind);
                }
            }
            (Term::NamedNode(o), Some(link)) if LINKS.contains(&link) => {
                facts.links.insert((s.to_string(), link.to_string(), o.as_str().to_string()));
            }
            (Term::NamedNode(o), Some("category")) => {
                facts.categories.insert(s.to_string(), o.as_str().to_string());
            }
            (Term::Literal(l), Some("date")) => {
                facts.dates.insert(s.to_string(), l.value().to_string());
            }
            (Term::Literal(l), Some("path")) => facts.notes_path = Some(l.value().to_string()),
            (Term::Literal(l), Some("line")) => {
                if let Ok(line) = l.value().parse() {
                    facts.lines.insert(s.to_string(), line);
                }
            }
            (Term::Literal(l), local) if is_label(p, local) => {
                // The smallest English or untagged label, so that the choice never depends on store order.
                if matches!(l.language(), None | Some("en")) {
                    let label = facts.labels.entry(s.to_string()).or_insert_with(|| l.value().to_string());
                    if l.value() < label.as_str() {
                        *label = l.value().to_string();
                    }
                }
            }
            _ => {}
        }
    }
    Ok(facts)
}

/// The properties that name a node: a talk's title, a person's or event's name, a preferred label.
fn is_label(predicate: &str, tg_local: Option<&str>) -> bool {
    matches!(tg_local, Some("title" | "name")) || SKOS.local(predicate) == Some("prefLabel")
}

/// Each category's label and the label of its radar quadrant, from the ontology graph that defines it.
fn place_categories(
    store: &Store,
    categories: impl Iterator<Item = String>,
) -> Result<BTreeMap<String, (String, Option<String>)>> {
    let quadrant = NamedNode::new_unchecked(TG.iri("radarQuadrant"));
    let mut out = BTreeMap::new();
    for cat in categories.collect::<BTreeSet<_>>() {
        let mut placed = None;
        for q in
            store.quads_for_pattern(Some(NamedNodeRef::new_unchecked(&cat).into()), Some(quadrant.as_ref()), None, None)
        {
            if let Term::NamedNode(q) = q?.object {
                placed = Some(english_label(store, q.as_str())?);
            }
        }
        out.insert(cat.clone(), (english_label(store, &cat)?, placed));
    }
    Ok(out)
}

/// The smallest English (or untagged) preferred label of an IRI, else its last part.
fn english_label(store: &Store, iri: &str) -> Result<String> {
    let pref_label = NamedNode::new_unchecked(SKOS.iri("prefLabel"));
    let mut best: Option<String> = None;
    for q in
        store.quads_for_pattern(Some(NamedNodeRef::new_unchecked(iri).into()), Some(pref_label.as_ref()), None, None)
    {
        if let Term::Literal(l) = q?.object
            && matches!(l.language(), None | Some("en"))
            && best.as_deref().is_none_or(|b| l.value() < b)
        {
            best = Some(l.value().to_string());
        }
    }
    Ok(best.unwrap_or_else(|| last_part(iri).to_string()))
}

fn last_part(iri: &str) -> &str {
    iri.rsplit(['/', '#']).next().unwrap_or(iri)
}
