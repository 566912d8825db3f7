//! What one notes graph contributes to each canned query, worked out from the graph's own quads as it is
//! ingested: the rows each query would find inside `GRAPH ?g` for this graph, by the key its parameters
//! select (a technology's or organization's IRI), or the partial counts an aggregate adds up later.
//!
//! Each function here follows one query of `queries/` pattern by pattern, with SPARQL's semantics: every
//! combination of values of a multi-valued property gives a row, `OPTIONAL` gives one unbound row when
//! nothing matches, `STRAFTER(STR(?kind), "#")` names a stance. The tests in `answers` compare every
//! query's answer built from these with the engine's answer on the same store.
//!
//! Terms are numbered once as the graph is indexed, and rows are rows of numbers until they are written:
//! a lookup hashes a number, not an IRI, and a row costs no allocation per cell.

use crate::vocab::{RDF, SKOS, TG};
use oxigraph::model::{GraphNameRef, Literal, NamedNodeRef, Quad, Term, TermRef};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// A term of the graph (or one a section made), by number.
pub type Id = u32;
/// A row of a section: per projected variable, `0` for unbound or the term's number plus one.
pub type Cells = Vec<Id>;
/// A canned query's part from one graph: rows by key (the IRIs its parameters name; "" when none).
pub type Section = BTreeMap<String, Vec<Cells>>;

/// The predicates the canned queries read, numbered (`Pred`), with their IRIs.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
enum Pred {
    Organization,
    Technology,
    StanceKind,
    Evidence,
    Line,
    Talk,
    Title,
    NotesFile,
    Path,
    Speaker,
    Name,
    JobTitle,
    WorksFor,
    Mentions,
    Category,
    MigratedFrom,
    Adopted,
    Uses,
    Rejected,
    PrefLabel,
    Type,
}

const PREDICATES: [(Pred, &str, &str); 21] = [
    (Pred::Organization, "tg", "organization"),
    (Pred::Technology, "tg", "technology"),
    (Pred::StanceKind, "tg", "stanceKind"),
    (Pred::Evidence, "tg", "evidence"),
    (Pred::Line, "tg", "line"),
    (Pred::Talk, "tg", "talk"),
    (Pred::Title, "tg", "title"),
    (Pred::NotesFile, "tg", "notesFile"),
    (Pred::Path, "tg", "path"),
    (Pred::Speaker, "tg", "speaker"),
    (Pred::Name, "tg", "name"),
    (Pred::JobTitle, "tg", "jobTitle"),
    (Pred::WorksFor, "tg", "worksFor"),
    (Pred::Mentions, "tg", "mentions"),
    (Pred::Category, "tg", "category"),
    (Pred::MigratedFrom, "tg", "migratedFrom"),
    (Pred::Adopted, "tg", "adopted"),
    (Pred::Uses, "tg", "uses"),
    (Pred::Rejected, "tg", "rejected"),
    (Pred::PrefLabel, "skos", "prefLabel"),
    (Pred::Type, "rdf", "type"),
];

static PREDICATE_IRIS: LazyLock<FxHashMap<String, Pred>> = LazyLock::new(|| {
    PREDICATES
        .iter()
        .map(|(p, prefix, local)| {
            let ns = match *prefix {
                "tg" => TG,
                "skos" => SKOS,
                _ => RDF,
            };
            (ns.iri(local), *p)
        })
        .collect()
});

/// One graph's quads, numbered and indexed both ways.
pub struct GraphIndex<'a> {
    terms: Vec<TermRef<'a>>,
    ids: FxHashMap<TermRef<'a>, Id>,
    /// Per subject, its (predicate, object) pairs sorted by predicate.
    out: Vec<Vec<(Pred, Id)>>,
    /// Per (predicate, object), its subjects.
    into: FxHashMap<(Pred, Id), Vec<Id>>,
    /// Per predicate, its (subject, object) pairs.
    by_predicate: FxHashMap<Pred, Vec<(Id, Id)>>,
    graph: Option<Id>,
}

impl<'a> GraphIndex<'a> {
    /// Indexes the quads of `graph` among `quads` (others, and predicates no canned query reads, are left
    /// out).
    pub fn new(graph: &'a oxigraph::model::NamedNode, quads: &'a [Quad]) -> Self {
        let mut index = GraphIndex {
            terms: Vec::new(),
            ids: FxHashMap::default(),
            out: Vec::new(),
            into: FxHashMap::default(),
            by_predicate: FxHashMap::default(),
            graph: None,
        };
        for q in quads.iter().filter(|q| q.graph_name.as_ref() == GraphNameRef::NamedNode(graph.as_ref())) {
            let Some(&p) = PREDICATE_IRIS.get(q.predicate.as_str()) else { continue };
            let s = index.number(q.subject.as_ref().into());
            let o = index.number(q.object.as_ref());
            index.out[s as usize].push((p, o));
            index.into.entry((p, o)).or_default().push(s);
            index.by_predicate.entry(p).or_default().push((s, o));
        }
        for pairs in &mut index.out {
            pairs.sort_by_key(|(p, _)| *p);
        }
        index.graph = index.ids.get(&TermRef::NamedNode(graph.as_ref())).copied();
        index
    }

    fn number(&mut self, term: TermRef<'a>) -> Id {
        if let Some(id) = self.ids.get(&term) {
            return *id;
        }
        let id = self.terms.len() as Id;
        self.terms.push(term);
        self.out.push(Vec::new());
        self.ids.insert(term, id);
        id
    }

    /// The number of a term the graph holds.
    fn id_of(&self, term: TermRef<'_>) -> Option<Id> {
        let ids: &FxHashMap<TermRef<'_>, Id> = &self.ids;
        ids.get(&term).copied()
    }

    fn objects(&self, subject: Id, p: Pred) -> impl Iterator<Item = Id> + Clone + '_ {
        let pairs = self.out.get(subject as usize).map_or(&[][..], Vec::as_slice);
        let start = pairs.partition_point(|(q, _)| *q < p);
        pairs[start..].iter().take_while(move |(q, _)| *q == p).map(|(_, o)| *o)
    }

    fn subjects(&self, p: Pred, object: Id) -> &[Id] {
        self.into.get(&(p, object)).map_or(&[], Vec::as_slice)
    }

    fn pairs(&self, p: Pred) -> &[(Id, Id)] {
        self.by_predicate.get(&p).map_or(&[], Vec::as_slice)
    }

    fn has(&self, subject: Id, p: Pred, object: Id) -> bool {
        self.objects(subject, p).any(|o| o == object)
    }

    fn labels(&self, x: Id) -> impl Iterator<Item = Id> + Clone + '_ {
        self.objects(x, Pred::PrefLabel)
    }

    fn files(&self) -> Vec<Id> {
        self.graph.map(|g| self.objects(g, Pred::Path).collect()).unwrap_or_default()
    }

    /// `OPTIONAL { ?p tg:worksFor ?o . ?o skos:prefLabel ?company }`: the companies, or one unbound.
    fn companies_of(&self, person: Id) -> Vec<Id> {
        let found: Vec<Id> = self.objects(person, Pred::WorksFor).flat_map(|o| self.labels(o)).map(|c| c + 1).collect();
        if found.is_empty() { vec![0] } else { found }
    }

    /// The key of an entity: its IRI (or the text of whatever term it is).
    fn key(&self, id: Id) -> String {
        key_text(self.terms[id as usize])
    }
}

/// The key of an entity: its IRI (or the text of whatever term it is).
pub fn key_text(term: TermRef<'_>) -> String {
    match term {
        TermRef::NamedNode(n) => n.as_str().to_string(),
        other => other.to_string(),
    }
}

/// The key of evidence rows: organization and technology.
pub fn pair_key(organization: &str, technology: &str) -> String {
    format!("{organization}\n{technology}")
}

/// A graph's sections as they are built: the index, and the terms the sections make (stance names,
/// counts), numbered after the graph's own.
pub struct Sections<'i, 'a> {
    ix: &'i GraphIndex<'a>,
    made: Vec<Term>,
    made_ids: FxHashMap<Term, Id>,
}

impl<'i, 'a> Sections<'i, 'a> {
    /// The term a cell number stands for.
    pub fn term(&self, id: Id) -> TermRef<'_> {
        let id = id as usize;
        match self.ix.terms.get(id) {
            Some(t) => *t,
            None => self.made[id - self.ix.terms.len()].as_ref(),
        }
    }

    fn make(&mut self, term: Term) -> Id {
        if let Some(id) = self.ix.id_of(term.as_ref()) {
            return id + 1;
        }
        let next = (self.ix.terms.len() + self.made.len()) as Id;
        *self.made_ids.entry(term.clone()).or_insert_with(|| {
            self.made.push(term);
            next
        }) + 1
    }

    /// `STRAFTER(STR(?kind), "#")`: what follows the first `#` (empty when there is none); unbound for a
    /// blank node, whose `STR` is an error.
    fn stance_name(&mut self, kind: Id) -> Id {
        let text = match self.ix.terms[kind as usize] {
            TermRef::NamedNode(n) => n.as_str(),
            TermRef::Literal(l) => l.value(),
            _ => return 0,
        };
        let after = text.split_once('#').map_or("", |(_, after)| after).to_string();
        self.make(Literal::new_simple_literal(after).into())
    }

    fn integer(&mut self, n: usize) -> Id {
        self.make(integer(n))
    }
}

/// An `xsd:integer` literal.
pub fn integer(n: usize) -> Term {
    Literal::new_typed_literal(n.to_string(), oxigraph::model::vocab::xsd::INTEGER).into()
}

/// Every section of one graph, by canned query name, and the terms their cells number.
pub fn sections<'i, 'a>(ix: &'i GraphIndex<'a>) -> (Vec<(&'static str, Section)>, Sections<'i, 'a>) {
    let mut out = Sections { ix, made: Vec::new(), made_ids: FxHashMap::default() };
    let kind = |local: &str| ix.id_of(TermRef::NamedNode(NamedNodeRef::new_unchecked(&TG.iri(local))));
    let built = vec![
        ("companies-moved-to", stances_of_kind(ix, kind("adopted"), true)),
        ("considering", stances_of_kind(ix, kind("considering"), false)),
        ("evaluated", stances_of_kind(ix, kind("evaluated"), false)),
        ("rejected", stances_of_kind(ix, kind("rejected"), false)),
        ("company-profile", company_profile(&mut out)),
        ("evidence", evidence(&mut out)),
        ("migrations", migrations(ix)),
        ("speakers-by-company", speakers_by_company(ix)),
        ("speakers-on-technology", speakers_on_technology(ix)),
        ("talks-mentioning", talks_mentioning(&mut out)),
        ("talks", talks(ix)),
        ("co-occurring", co_occurring(&mut out)),
        ("technologies-by-category", mention_counts(&mut out)),
        ("technology-radar", radar(&mut out)),
    ];
    (built, out)
}

/// Drops repeated rows under each key (the queries are `DISTINCT`).
fn distinct(mut section: Section) -> Section {
    for rows in section.values_mut() {
        let first: Vec<bool> = {
            let mut seen = FxHashSet::default();
            rows.iter().map(|r| seen.insert(r)).collect()
        };
        let mut keep = first.into_iter();
        rows.retain(|_| keep.next().unwrap_or(true));
    }
    section
}

/// Every (a, b) with a from `xs` and b from `ys`.
fn pairs(xs: impl Iterator<Item = Id>, ys: impl Iterator<Item = Id> + Clone) -> Vec<(Id, Id)> {
    xs.flat_map(|x| ys.clone().map(move |y| (x, y))).collect()
}

/// companies-moved-to (by technology) and considering/evaluated/rejected (one key): company, technology,
/// evidence, file, line of each stance node of `kind`.
fn stances_of_kind(ix: &GraphIndex<'_>, kind: Option<Id>, by_technology: bool) -> Section {
    let mut section = Section::new();
    let files = ix.files();
    for &s in kind.map_or(&[][..], |k| ix.subjects(Pred::StanceKind, k)) {
        for t in ix.objects(s, Pred::Technology) {
            let key = if by_technology { ix.key(t) } else { String::new() };
            for o in ix.objects(s, Pred::Organization) {
                for (ev, line) in pairs(ix.objects(s, Pred::Evidence), ix.objects(s, Pred::Line)) {
                    for (tl, cl) in pairs(ix.labels(t), ix.labels(o)) {
                        for file in &files {
                            let row = vec![cl + 1, tl + 1, ev + 1, file + 1, line + 1];
                            section.entry(key.clone()).or_default().push(row);
                        }
                    }
                }
            }
        }
    }
    distinct(section)
}

/// company-profile, by organization: stance, technology, evidence, file, line.
fn company_profile(out: &mut Sections<'_, '_>) -> Section {
    let ix = out.ix;
    let mut section = Section::new();
    let files = ix.files();
    for &(s, o) in ix.pairs(Pred::Organization) {
        let key = ix.key(o);
        for t in ix.objects(s, Pred::Technology) {
            for kind in ix.objects(s, Pred::StanceKind) {
                let stance = out.stance_name(kind);
                for (ev, line) in pairs(ix.objects(s, Pred::Evidence), ix.objects(s, Pred::Line)) {
                    for (tl, file) in pairs(ix.labels(t), files.iter().copied()) {
                        section.entry(key.clone()).or_default().push(vec![stance, tl + 1, ev + 1, file + 1, line + 1]);
                    }
                }
            }
        }
    }
    distinct(section)
}

/// evidence, by (organization, technology): stance, evidence, talk title, file (the talk's notes file's
/// path), line.
fn evidence(out: &mut Sections<'_, '_>) -> Section {
    let ix = out.ix;
    let mut section = Section::new();
    for &(s, o) in ix.pairs(Pred::Organization) {
        for t in ix.objects(s, Pred::Technology) {
            let key = pair_key(&ix.key(o), &ix.key(t));
            for kind in ix.objects(s, Pred::StanceKind) {
                let stance = out.stance_name(kind);
                for (ev, line) in pairs(ix.objects(s, Pred::Evidence), ix.objects(s, Pred::Line)) {
                    for k in ix.objects(s, Pred::Talk) {
                        for (title, f) in pairs(ix.objects(k, Pred::Title), ix.objects(k, Pred::NotesFile)) {
                            for file in ix.objects(f, Pred::Path) {
                                let row = vec![stance, ev + 1, title + 1, file + 1, line + 1];
                                section.entry(key.clone()).or_default().push(row);
                            }
                        }
                    }
                }
            }
        }
    }
    distinct(section)
}

/// migrations: company, from, to, file, for a company that migrated from x and adopted y of one category.
fn migrations(ix: &GraphIndex<'_>) -> Section {
    let mut rows = Vec::new();
    let files = ix.files();
    for &(o, x) in ix.pairs(Pred::MigratedFrom) {
        for y in ix.objects(o, Pred::Adopted).filter(|y| *y != x) {
            let shared = ix.objects(x, Pred::Category).filter(|c| ix.has(y, Pred::Category, *c)).count();
            for (from, to) in pairs(ix.labels(x), ix.labels(y)) {
                for (company, file) in pairs(ix.labels(o), files.iter().copied()) {
                    let row = vec![company + 1, from + 1, to + 1, file + 1];
                    rows.extend(std::iter::repeat_n(row, shared));
                }
            }
        }
    }
    distinct(BTreeMap::from([(String::new(), rows)]))
}

/// speakers-by-company: company, speaker, role, talk (a row per speaker of each talk).
fn speakers_by_company(ix: &GraphIndex<'_>) -> Section {
    let mut rows = Vec::new();
    for &(k, p) in ix.pairs(Pred::Speaker) {
        for (talk, speaker) in pairs(ix.objects(k, Pred::Title), ix.objects(p, Pred::Name)) {
            let mut roles: Vec<Id> = ix.objects(p, Pred::JobTitle).map(|r| r + 1).collect();
            if roles.is_empty() {
                roles.push(0);
            }
            for role in &roles {
                for company in ix.companies_of(p) {
                    rows.push(vec![company, speaker + 1, *role, talk + 1]);
                }
            }
        }
    }
    distinct(BTreeMap::from([(String::new(), rows)]))
}

/// speakers-on-technology, by technology: speaker, company, talk of the talks mentioning it.
fn speakers_on_technology(ix: &GraphIndex<'_>) -> Section {
    let mut section = Section::new();
    for &(k, t) in ix.pairs(Pred::Mentions) {
        let key = ix.key(t);
        for talk in ix.objects(k, Pred::Title) {
            for p in ix.objects(k, Pred::Speaker) {
                for speaker in ix.objects(p, Pred::Name) {
                    for company in ix.companies_of(p) {
                        section.entry(key.clone()).or_default().push(vec![speaker + 1, company, talk + 1]);
                    }
                }
            }
        }
    }
    distinct(section)
}

/// talks-mentioning, by technology: talk, company, stance, evidence, file, line, the last four from the
/// talk's stance nodes on that technology when it has any.
fn talks_mentioning(out: &mut Sections<'_, '_>) -> Section {
    let ix = out.ix;
    let mut section = Section::new();
    for &(k, t) in ix.pairs(Pred::Mentions) {
        let mut said: Vec<[Id; 4]> = Vec::new();
        for &s in ix.subjects(Pred::Talk, k) {
            if !ix.has(s, Pred::Technology, t) {
                continue;
            }
            for kind in ix.objects(s, Pred::StanceKind) {
                let stance = out.stance_name(kind);
                for (ev, line) in pairs(ix.objects(s, Pred::Evidence), ix.objects(s, Pred::Line)) {
                    for company in ix.objects(s, Pred::Organization).flat_map(|o| ix.labels(o)) {
                        said.push([company + 1, stance, ev + 1, line + 1]);
                    }
                }
            }
        }
        if said.is_empty() {
            said.push([0; 4]);
        }
        let key = ix.key(t);
        for (talk, f) in pairs(ix.objects(k, Pred::Title), ix.objects(k, Pred::NotesFile)) {
            for file in ix.objects(f, Pred::Path) {
                for [company, stance, ev, line] in &said {
                    let row = vec![talk + 1, *company, *stance, *ev, file + 1, *line];
                    section.entry(key.clone()).or_default().push(row);
                }
            }
        }
    }
    distinct(section)
}

/// talks: (talk, file, speaker name, company) for each speaker of each talk, name and company unbound
/// where the `OPTIONAL`s find nothing; grouped by (talk, file) when the answer is put together.
fn talks(ix: &GraphIndex<'_>) -> Section {
    let mut rows = Vec::new();
    let talk_class = ix.id_of(TermRef::NamedNode(NamedNodeRef::new_unchecked(&TG.iri("Talk"))));
    for &k in talk_class.map_or(&[][..], |c| ix.subjects(Pred::Type, c)) {
        let mut people: Vec<(Id, Id)> = Vec::new();
        for p in ix.objects(k, Pred::Speaker) {
            for name in ix.objects(p, Pred::Name) {
                people.extend(ix.companies_of(p).into_iter().map(|company| (name + 1, company)));
            }
        }
        if people.is_empty() {
            people.push((0, 0));
        }
        for (talk, f) in pairs(ix.objects(k, Pred::Title), ix.objects(k, Pred::NotesFile)) {
            for file in ix.objects(f, Pred::Path) {
                rows.extend(people.iter().map(|(name, company)| vec![talk + 1, file + 1, *name, *company]));
            }
        }
    }
    distinct(BTreeMap::from([(String::new(), rows)]))
}

/// co-occurring, by technology: each other technology's label and the number of this graph's talks that
/// mention both (talks belong to one graph, so counts add up across graphs).
fn co_occurring(out: &mut Sections<'_, '_>) -> Section {
    let ix = out.ix;
    let technology = ix.id_of(TermRef::NamedNode(NamedNodeRef::new_unchecked(&TG.iri("Technology"))));
    let mut talks: FxHashMap<(Id, Id), FxHashSet<Id>> = FxHashMap::default();
    for &(k, t) in ix.pairs(Pred::Mentions) {
        for other in ix.objects(k, Pred::Mentions) {
            if other == t || !technology.is_some_and(|c| ix.has(other, Pred::Type, c)) {
                continue;
            }
            for label in ix.labels(other) {
                talks.entry((t, label)).or_default().insert(k);
            }
        }
    }
    let mut section = Section::new();
    for ((t, label), ks) in talks {
        let count = out.integer(ks.len());
        section.entry(ix.key(t)).or_default().push(vec![label + 1, count]);
    }
    section
}

/// technologies-by-category: each technology this graph's talks mention, with how many of them do.
fn mention_counts(out: &mut Sections<'_, '_>) -> Section {
    let ix = out.ix;
    let mut talks: BTreeMap<Id, FxHashSet<Id>> = BTreeMap::new();
    for &(k, t) in ix.pairs(Pred::Mentions) {
        talks.entry(t).or_default().insert(k);
    }
    let rows = talks.into_iter().map(|(t, ks)| vec![t + 1, out.integer(ks.len())]).collect();
    BTreeMap::from([(String::new(), rows)])
}

/// technology-radar: (column, technology, organization) for each direct adopted (0), uses (1) and
/// rejected (2) triple.
fn radar(out: &mut Sections<'_, '_>) -> Section {
    let ix = out.ix;
    let mut rows = Vec::new();
    for (column, p) in [Pred::Adopted, Pred::Uses, Pred::Rejected].into_iter().enumerate() {
        let column = out.integer(column);
        for &(who, t) in ix.pairs(p) {
            rows.push(vec![column, t + 1, who + 1]);
        }
    }
    distinct(BTreeMap::from([(String::new(), rows)]))
}
