//! What the web page shows, read from the store by pattern lookups (no query text): a page per
//! technology, organization, talk and person with its stances and evidence, the neighbourhood graph of
//! an entity, the technology radar and the store's counts. Lists are paged; nothing reads the whole graph
//! for one page except the radar, which reads the stance kinds only.

use crate::lookup::{Kind, iri_of};
use crate::vocab::{SKOS, TG};
use anyhow::Result;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term};
use oxigraph::store::Store;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Reads single facts from the store.
pub struct Reader<'a> {
    store: &'a Store,
    labels: std::cell::RefCell<HashMap<String, String>>,
    talks: std::cell::RefCell<HashMap<String, TalkFacts>>,
    shared: std::cell::RefCell<HashMap<String, Option<String>>>,
}

/// A property of our vocabulary as a node.
fn tg(local: &str) -> NamedNode {
    NamedNode::new_unchecked(TG.iri(local))
}

impl<'a> Reader<'a> {
    pub fn new(store: &'a Store) -> Self {
        Reader { store, labels: Default::default(), talks: Default::default(), shared: Default::default() }
    }

    /// Objects of `subject predicate ?o` in any graph, without repeats, in store order.
    pub fn objects(&self, subject: &str, predicate: &NamedNode) -> Result<Vec<Term>> {
        let mut out: Vec<Term> = Vec::new();
        for q in self.store.quads_for_pattern(
            Some(NamedNodeRef::new_unchecked(subject).into()),
            Some(predicate.as_ref()),
            None,
            None,
        ) {
            let o = q?.object;
            if !out.contains(&o) {
                out.push(o);
            }
        }
        Ok(out)
    }

    /// Subjects of `?s predicate object` in any graph, without repeats.
    pub fn subjects(&self, predicate: &NamedNode, object: &str) -> Result<Vec<String>> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for q in self.store.quads_for_pattern(
            None,
            Some(predicate.as_ref()),
            Some(NamedNodeRef::new_unchecked(object).into()),
            None,
        ) {
            if let NamedOrBlankNode::NamedNode(s) = q?.subject
                && seen.insert(s.as_str().to_string())
            {
                out.push(s.into_string());
            }
        }
        Ok(out)
    }

    fn literal(&self, subject: &str, predicate: &NamedNode) -> Result<Option<String>> {
        Ok(self.objects(subject, predicate)?.into_iter().find_map(|t| match t {
            Term::Literal(l) => Some(l.value().to_string()),
            _ => None,
        }))
    }

    fn link(&self, subject: &str, predicate: &NamedNode) -> Result<Option<String>> {
        Ok(self.objects(subject, predicate)?.iter().find_map(|t| iri_of(t).map(str::to_string)))
    }

    /// The name to show for an entity: its preferred label, name or title, else its IRI's last part.
    pub fn label(&self, iri: &str) -> Result<String> {
        if let Some(known) = self.labels.borrow().get(iri) {
            return Ok(known.clone());
        }
        let mut found = None;
        for p in [NamedNode::new_unchecked(SKOS.iri("prefLabel")), tg("name"), tg("title")] {
            // English or untagged first: the page speaks English; Russian names stay as written.
            let literals: Vec<oxigraph::model::Literal> = self
                .objects(iri, &p)?
                .into_iter()
                .filter_map(|t| if let Term::Literal(l) = t { Some(l) } else { None })
                .collect();
            let best = literals.iter().find(|l| matches!(l.language(), None | Some("en"))).or(literals.first());
            found = best.map(|l| l.value().to_string());
            if found.is_some() {
                break;
            }
        }
        let label = found.unwrap_or_else(|| iri.rsplit(['/', '#']).next().unwrap_or(iri).to_string());
        self.labels.borrow_mut().insert(iri.to_string(), label.clone());
        Ok(label)
    }

    /// The kind of an entity, from its type.
    pub fn kind(&self, iri: &str) -> Result<Option<Kind>> {
        Ok(self.objects(iri, &rdf::TYPE.into_owned())?.iter().filter_map(iri_of).find_map(Kind::of_class))
    }

    /// Every property of a subject, in one scan of its quads: local name of the predicate → objects.
    fn describe(&self, subject: &str) -> Result<HashMap<String, Vec<Term>>> {
        let mut out: HashMap<String, Vec<Term>> = HashMap::new();
        for q in self.store.quads_for_pattern(Some(NamedNodeRef::new_unchecked(subject).into()), None, None, None) {
            let q = q?;
            let name = q.predicate.as_str().rsplit(['#', '/']).next().unwrap_or("").to_string();
            let list = out.entry(name).or_default();
            if !list.contains(&q.object) {
                list.push(q.object);
            }
        }
        Ok(out)
    }

    /// A talk's title, notes file path and date, read once per talk (paths once per notes file, dates
    /// once per event).
    fn talk_facts(&self, talk: &str) -> Result<TalkFacts> {
        if let Some(known) = self.talks.borrow().get(talk) {
            return Ok(known.clone());
        }
        let file = match self.link(talk, &tg("notesFile"))? {
            Some(notes) => self.cached_literal(&notes, "path")?,
            None => None,
        };
        let date = match self.link(talk, &tg("event"))? {
            Some(event) => self.cached_literal(&event, "date")?,
            None => None,
        };
        let facts = TalkFacts { title: self.label(talk)?, file, date };
        self.talks.borrow_mut().insert(talk.to_string(), facts.clone());
        Ok(facts)
    }

    /// The date of a talk's event (read once per talk, and once per event).
    fn talk_date(&self, talk: &str) -> Result<Option<String>> {
        let key = format!("talk-date {talk}");
        if let Some(known) = self.shared.borrow().get(&key) {
            return Ok(known.clone());
        }
        let date = match self.link(talk, &tg("event"))? {
            Some(event) => self.cached_literal(&event, "date")?,
            None => None,
        };
        self.shared.borrow_mut().insert(key, date.clone());
        Ok(date)
    }

    /// A literal of a node many rows share (a notes file's path, an event's date), read once.
    fn cached_literal(&self, subject: &str, local: &str) -> Result<Option<String>> {
        let key = format!("{local} {subject}");
        if let Some(known) = self.shared.borrow().get(&key) {
            return Ok(known.clone());
        }
        let value = self.literal(subject, &tg(local))?;
        self.shared.borrow_mut().insert(key, value.clone());
        Ok(value)
    }

    /// One stance node as a row.
    fn stance(&self, node: &str) -> Result<StanceRow> {
        let about = self.describe(node)?;
        let first_iri = |key: &str| about.get(key).and_then(|v| v.iter().find_map(iri_of)).map(str::to_string);
        let first_literal = |key: &str| {
            about.get(key).and_then(|v| {
                v.iter().find_map(|t| if let Term::Literal(l) = t { Some(l.value().to_string()) } else { None })
            })
        };
        let org = first_iri("organization").unwrap_or_default();
        let tech = first_iri("technology").unwrap_or_default();
        let kind = first_iri("stanceKind").unwrap_or_default();
        let talk = first_iri("talk");
        let facts = match &talk {
            Some(t) => Some(self.talk_facts(t)?),
            None => None,
        };
        Ok(StanceRow {
            org_label: self.label(&org)?,
            tech_label: self.label(&tech)?,
            stance: TG.local(&kind).unwrap_or_default().to_string(),
            evidence: first_literal("evidence").unwrap_or_default(),
            line: first_literal("line").and_then(|l| l.parse().ok()).unwrap_or(0),
            file: facts.as_ref().and_then(|f| f.file.clone()).unwrap_or_default(),
            talk_title: facts.as_ref().map(|f| f.title.clone()),
            date: facts.and_then(|f| f.date),
            talk,
            org,
            tech,
        })
    }
}

/// What a stance row shows of its talk.
#[derive(Debug, Clone)]
struct TalkFacts {
    title: String,
    file: Option<String>,
    date: Option<String>,
}

/// A stance with its evidence and where it was said.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StanceRow {
    pub org: String,
    pub org_label: String,
    pub tech: String,
    pub tech_label: String,
    pub stance: String,
    pub evidence: String,
    pub file: String,
    pub line: u64,
    pub talk: Option<String>,
    pub talk_title: Option<String>,
    pub date: Option<String>,
}

/// A link to an entity.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub iri: String,
    pub label: String,
}

/// A talk in a list.
#[derive(Debug, Clone, Serialize)]
pub struct TalkLink {
    pub iri: String,
    pub title: String,
    pub date: Option<String>,
}

/// A speaker of a talk.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SpeakerView {
    pub iri: String,
    pub label: String,
    pub role: Option<String>,
    pub org: Option<String>,
    pub org_label: Option<String>,
}

/// One page of a longer list, and how long the list is.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub total: usize,
    pub offset: usize,
    pub rows: Vec<T>,
}

/// Everything the page of one entity shows.
#[derive(Debug, Clone, Serialize)]
pub struct EntityView {
    pub kind: Kind,
    pub iri: String,
    pub label: String,
    pub aliases: Vec<String>,
    pub category: Option<String>,
    pub organizations: Vec<Link>,
    pub speakers: Vec<SpeakerView>,
    pub file: Option<String>,
    pub line: Option<u64>,
    pub stances: Option<Page<StanceRow>>,
    pub mentions: Vec<Link>,
    pub talks: Option<Page<TalkLink>>,
}

/// What the page of an entity needs, its lists sorted but not read; None when the IRI is no talk,
/// person, organization or technology of the graph.
pub fn entity(store: &Store, iri: &str) -> Result<Option<EntityIndex>> {
    let r = Reader::new(store);
    let Some(kind) = r.kind(iri)? else { return Ok(None) };
    let mut view = EntityView {
        kind,
        iri: iri.to_string(),
        label: r.label(iri)?,
        aliases: Vec::new(),
        category: None,
        organizations: Vec::new(),
        speakers: Vec::new(),
        file: None,
        line: None,
        stances: None,
        mentions: Vec::new(),
        talks: None,
    };
    let (mut stance_nodes, mut talks) = (None, None);
    match kind {
        Kind::Technology | Kind::Organization => {
            let alt = NamedNode::new_unchecked(SKOS.iri("altLabel"));
            let mut aliases: Vec<String> = r
                .objects(iri, &alt)?
                .into_iter()
                .filter_map(|t| if let Term::Literal(l) = t { Some(l.value().to_string()) } else { None })
                .filter(|a| *a != view.label)
                .collect();
            aliases.sort();
            aliases.dedup();
            view.aliases = aliases;
            if let Some(cat) = r.link(iri, &tg("category"))? {
                view.category = Some(r.label(&cat)?);
            }
            let side = if kind == Kind::Technology { "technology" } else { "organization" };
            stance_nodes = Some(sorted_stance_nodes(&r, &tg(side), iri)?);
            talks = Some(sorted_talks(&r, talks_of(&r, iri, kind)?)?);
        }
        Kind::Talk => {
            for p in r.objects(iri, &tg("speaker"))?.iter().filter_map(iri_of) {
                let org = r.link(p, &tg("worksFor"))?;
                view.speakers.push(SpeakerView {
                    iri: p.to_string(),
                    label: r.label(p)?,
                    role: r.literal(p, &tg("jobTitle"))?,
                    org_label: match &org {
                        Some(o) => Some(r.label(o)?),
                        None => None,
                    },
                    org,
                });
            }
            for m in r.objects(iri, &tg("mentions"))?.iter().filter_map(iri_of) {
                view.mentions.push(Link { iri: m.to_string(), label: r.label(m)? });
            }
            view.file = r.talk_facts(iri)?.file;
            view.line = r.literal(iri, &tg("line"))?.and_then(|l| l.parse().ok());
            stance_nodes = Some(sorted_stance_nodes(&r, &tg("talk"), iri)?);
        }
        Kind::Person => {
            for o in r.objects(iri, &tg("worksFor"))?.iter().filter_map(iri_of) {
                view.organizations.push(Link { iri: o.to_string(), label: r.label(o)? });
            }
            talks = Some(sorted_talks(&r, r.subjects(&tg("speaker"), iri)?)?);
        }
    }
    Ok(Some(EntityIndex { view, stance_nodes, talks }))
}

/// The stance nodes whose `predicate` (organization, technology or talk) is `iri`: newest first, then by
/// company, technology, talk and line. Sorted by what each node's IRI says (see `rdf::iri::parse_stance`)
/// and its talk's date, without reading the stances themselves: a page reads only the rows it shows.
fn sorted_stance_nodes(r: &Reader<'_>, predicate: &NamedNode, iri: &str) -> Result<Vec<String>> {
    type Key = (Option<String>, String, String, String, usize);
    let mut keyed: Vec<(Key, String)> = Vec::new();
    for node in r.subjects(predicate, iri)? {
        let key = match crate::rdf::iri::parse_stance(&node) {
            Some(p) => (r.talk_date(&p.talk)?, r.label(&p.organization)?, r.label(&p.technology)?, p.talk, p.line),
            None => (None, String::new(), String::new(), node.clone(), 0),
        };
        keyed.push((key, node));
    }
    keyed.sort_by(|(a, na), (b, nb)| {
        b.0.cmp(&a.0).then_with(|| (&a.1, &a.2, &a.3, a.4, na).cmp(&(&b.1, &b.2, &b.3, b.4, nb)))
    });
    Ok(keyed.into_iter().map(|(_, node)| node).collect())
}

/// The talks that mention an organization or technology, or whose speakers work for the organization.
fn talks_of(r: &Reader<'_>, iri: &str, kind: Kind) -> Result<Vec<String>> {
    let mut talks = r.subjects(&tg("mentions"), iri)?;
    if kind == Kind::Organization {
        for person in r.subjects(&tg("worksFor"), iri)? {
            talks.extend(r.subjects(&tg("speaker"), &person)?);
        }
    }
    Ok(talks)
}

/// Talks newest first, then by IRI (their file, then their title), without repeats.
fn sorted_talks(r: &Reader<'_>, talks: Vec<String>) -> Result<Vec<String>> {
    let unique: BTreeSet<String> = talks.into_iter().collect();
    let mut keyed = Vec::with_capacity(unique.len());
    for t in unique {
        keyed.push((r.talk_date(&t)?, t));
    }
    keyed.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Ok(keyed.into_iter().map(|(_, t)| t).collect())
}

/// An entity's view with its lists sorted (stance nodes and talks as IRIs), kept by the server per
/// store generation; [`page`] reads the rows of one page of it.
#[derive(Debug, Clone)]
pub struct EntityIndex {
    pub view: EntityView,
    stance_nodes: Option<Vec<String>>,
    talks: Option<Vec<String>>,
}

/// One page of an entity: `limit` stance rows from `offset` and `limit` talks from `talk_offset`.
pub fn page(store: &Store, index: &EntityIndex, offset: usize, talk_offset: usize, limit: usize) -> Result<EntityView> {
    let r = Reader::new(store);
    let mut view = index.view.clone();
    if let Some(nodes) = &index.stance_nodes {
        let rows = nodes.iter().skip(offset).take(limit).map(|n| r.stance(n)).collect::<Result<Vec<_>>>()?;
        view.stances = Some(Page { total: nodes.len(), offset, rows });
    }
    if let Some(talks) = &index.talks {
        let mut rows = Vec::new();
        for t in talks.iter().skip(talk_offset).take(limit) {
            let facts = r.talk_facts(t)?;
            rows.push(TalkLink { iri: t.clone(), title: facts.title, date: facts.date });
        }
        view.talks = Some(Page { total: talks.len(), offset: talk_offset, rows });
    }
    Ok(view)
}

/// The nodes and edges around an entity, for the graph view.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Neighbourhood {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphNode {
    pub id: String,
    pub label: String,
    pub kind: Kind,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GraphEdge {
    pub source: String,
    pub target: String,
    /// A stance kind (`adopted`, `uses`…) or `speaker`, `worksFor`, `mentions`.
    pub kind: String,
}

/// The most edges one graph view draws.
const MAX_EDGES: usize = 150;

/// An entity, what it has stances with (or on), its speakers, talks and mentions, up to [`MAX_EDGES`].
pub fn neighbourhood(store: &Store, iri: &str) -> Result<Neighbourhood> {
    let r = Reader::new(store);
    let mut edges: Vec<GraphEdge> = Vec::new();
    let push = |edges: &mut Vec<GraphEdge>, source: &str, target: &str, kind: &str| {
        let edge = GraphEdge { source: source.to_string(), target: target.to_string(), kind: kind.to_string() };
        if edges.len() < MAX_EDGES && !edges.contains(&edge) {
            edges.push(edge);
        }
    };
    match r.kind(iri)? {
        None => return Ok(Neighbourhood::default()),
        Some(kind @ (Kind::Technology | Kind::Organization)) => {
            // The direct stance triples (organization —kind→ technology): one lookup per kind.
            for stance in crate::radar::RINGS.iter().flat_map(|(_, kinds)| kinds.iter()) {
                let predicate = tg(stance);
                let me = NamedNodeRef::new_unchecked(iri);
                let quads = if kind == Kind::Technology {
                    store.quads_for_pattern(None, Some(predicate.as_ref()), Some(me.into()), None)
                } else {
                    store.quads_for_pattern(Some(me.into()), Some(predicate.as_ref()), None, None)
                };
                for q in quads {
                    let q = q?;
                    if let (NamedOrBlankNode::NamedNode(org), Term::NamedNode(tech)) = (&q.subject, &q.object) {
                        push(&mut edges, org.as_str(), tech.as_str(), stance);
                    }
                }
            }
        }
        Some(Kind::Talk) => {
            for p in r.objects(iri, &tg("speaker"))?.iter().filter_map(iri_of) {
                push(&mut edges, iri, p, "speaker");
                for o in r.objects(p, &tg("worksFor"))?.iter().filter_map(iri_of) {
                    push(&mut edges, p, o, "worksFor");
                }
            }
            for node in r.subjects(&tg("talk"), iri)? {
                let row = r.stance(&node)?;
                push(&mut edges, &row.org, &row.tech, &row.stance);
            }
            for m in r.objects(iri, &tg("mentions"))?.iter().filter_map(iri_of) {
                push(&mut edges, iri, m, "mentions");
            }
        }
        Some(Kind::Person) => {
            for o in r.objects(iri, &tg("worksFor"))?.iter().filter_map(iri_of) {
                push(&mut edges, iri, o, "worksFor");
            }
            for t in r.subjects(&tg("speaker"), iri)? {
                push(&mut edges, &t, iri, "speaker");
            }
        }
    }
    let mut ids: BTreeSet<&str> = BTreeSet::from([iri]);
    for e in &edges {
        ids.insert(&e.source);
        ids.insert(&e.target);
    }
    let mut nodes = Vec::new();
    for id in ids {
        if let Some(kind) = r.kind(id)? {
            nodes.push(GraphNode { id: id.to_string(), label: r.label(id)?, kind });
        }
    }
    let known: BTreeSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    edges.retain(|e| known.contains(e.source.as_str()) && known.contains(e.target.as_str()));
    Ok(Neighbourhood { nodes, edges })
}

/// Reads every stance triple (organization —kind→ technology) and places each technology.
pub fn radar(store: &Store) -> Result<crate::radar::Radar> {
    let r = Reader::new(store);
    // technology → stance kind → companies (one vote per company and kind)
    let mut votes: crate::radar::Votes = BTreeMap::new();
    for kind in crate::radar::RINGS.iter().flat_map(|(_, kinds)| kinds.iter()) {
        for q in store.quads_for_pattern(None, Some(tg(kind).as_ref()), None, None) {
            let q = q?;
            if let (NamedOrBlankNode::NamedNode(org), Term::NamedNode(tech)) = (q.subject, q.object) {
                votes
                    .entry(tech.into_string())
                    .or_default()
                    .entry(kind.to_string())
                    .or_default()
                    .insert(org.into_string());
            }
        }
    }
    let mut quadrants: Vec<String> = Vec::new();
    for q in r.subjects(&NamedNode::new_unchecked(SKOS.iri("inScheme")), &TG.iri("radarQuadrants"))? {
        quadrants.push(r.label(&q)?);
    }
    quadrants.sort();
    let quadrant_of = |tech: &str| -> Result<Option<String>> {
        match r.link(tech, &tg("category"))? {
            Some(cat) => match r.link(&cat, &tg("radarQuadrant"))? {
                Some(q) => Ok(Some(r.label(&q)?)),
                None => Ok(None),
            },
            None => Ok(None),
        }
    };
    crate::radar::place(votes, quadrants, |iri| r.label(iri), quadrant_of)
}

/// The store's counts, for the home page.
#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    pub files: usize,
    pub talks: usize,
    pub people: usize,
    pub organizations: usize,
    pub technologies: usize,
    pub stances: usize,
}

/// Counts what the name index holds and the stance nodes and files of the store.
pub fn counts(store: &Store, names: &crate::lookup::NameIndex) -> Result<Counts> {
    let count = |predicate: NamedNodeRef<'_>, class: Option<&NamedNode>| -> Result<usize> {
        let mut n = 0;
        for q in store.quads_for_pattern(None, Some(predicate), class.map(|c| c.as_ref().into()), None) {
            q?;
            n += 1;
        }
        Ok(n)
    };
    let by_kind = |k: Kind| names.entries().filter(|e| e.kind == k).count();
    Ok(Counts {
        files: count(rdf::TYPE, Some(&tg("NotesFile")))?,
        talks: by_kind(Kind::Talk),
        people: by_kind(Kind::Person),
        organizations: by_kind(Kind::Organization),
        technologies: by_kind(Kind::Technology),
        stances: count(tg("stanceKind").as_ref(), None)?,
    })
}
