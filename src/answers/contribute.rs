//! What one notes graph contributes to each canned query, worked out from the graph's own quads as it is
//! ingested: the rows each query would find inside `GRAPH ?g` for this graph, by the key its parameters
//! select (a technology's or organization's IRI), or the partial counts an aggregate adds up later.
//!
//! Each function here follows one query of `queries/` pattern by pattern, with SPARQL's semantics: every
//! combination of values of a multi-valued property gives a row, `OPTIONAL` gives one unbound row when
//! nothing matches, `STRAFTER(STR(?kind), "#")` names a stance. The tests in `answers` compare every
//! query's answer built from these with the engine's answer on the same store.

use super::{Row, Section};
use crate::vocab::{RDF, SKOS, TG};
use oxigraph::model::{GraphNameRef, Literal, Quad, Term};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The predicates the canned queries read, as IRIs.
struct Predicates {
    technology_class: String,
    talk_class: String,
    organization: String,
    technology: String,
    stance_kind: String,
    evidence: String,
    line: String,
    talk: String,
    title: String,
    notes_file: String,
    path: String,
    speaker: String,
    name: String,
    job_title: String,
    works_for: String,
    mentions: String,
    category: String,
    migrated_from: String,
    adopted: String,
    uses: String,
    rejected: String,
    pref_label: String,
    type_: String,
}

static P: LazyLock<Predicates> = LazyLock::new(|| Predicates {
    technology_class: TG.iri("Technology"),
    talk_class: TG.iri("Talk"),
    organization: TG.iri("organization"),
    technology: TG.iri("technology"),
    stance_kind: TG.iri("stanceKind"),
    evidence: TG.iri("evidence"),
    line: TG.iri("line"),
    talk: TG.iri("talk"),
    title: TG.iri("title"),
    notes_file: TG.iri("notesFile"),
    path: TG.iri("path"),
    speaker: TG.iri("speaker"),
    name: TG.iri("name"),
    job_title: TG.iri("jobTitle"),
    works_for: TG.iri("worksFor"),
    mentions: TG.iri("mentions"),
    category: TG.iri("category"),
    migrated_from: TG.iri("migratedFrom"),
    adopted: TG.iri("adopted"),
    uses: TG.iri("uses"),
    rejected: TG.iri("rejected"),
    pref_label: SKOS.iri("prefLabel"),
    type_: RDF.iri("type"),
});

/// The stance kinds the radar counts, in the order of its columns (adopting, using, rejecting).
pub fn radar_kinds() -> [&'static str; 3] {
    [P.adopted.as_str(), P.uses.as_str(), P.rejected.as_str()]
}

/// One graph's quads, indexed both ways: a subject's objects by predicate, a (predicate, object)'s subjects.
pub struct GraphIndex<'a> {
    graph: Term,
    forward: FxHashMap<Term, FxHashMap<&'a str, Vec<&'a Term>>>,
    backward: FxHashMap<&'a str, FxHashMap<&'a Term, Vec<Term>>>,
    by_predicate: FxHashMap<&'a str, Vec<(Term, &'a Term)>>,
}

impl<'a> GraphIndex<'a> {
    /// Indexes the quads of `graph` among `quads` (others are left out).
    pub fn new(graph: &oxigraph::model::NamedNode, quads: &'a [Quad]) -> Self {
        let mut index = GraphIndex {
            graph: Term::NamedNode(graph.clone()),
            forward: FxHashMap::default(),
            backward: FxHashMap::default(),
            by_predicate: FxHashMap::default(),
        };
        for q in quads.iter().filter(|q| q.graph_name.as_ref() == GraphNameRef::NamedNode(graph.as_ref())) {
            let subject: Term = q.subject.clone().into();
            let predicate = q.predicate.as_str();
            index.forward.entry(subject.clone()).or_default().entry(predicate).or_default().push(&q.object);
            index.backward.entry(predicate).or_default().entry(&q.object).or_default().push(subject.clone());
            index.by_predicate.entry(predicate).or_default().push((subject, &q.object));
        }
        index
    }

    fn objects(&self, subject: &Term, predicate: &str) -> &[&'a Term] {
        self.forward.get(subject).and_then(|p| p.get(predicate)).map_or(&[], Vec::as_slice)
    }

    fn subjects(&self, predicate: &str, object: &Term) -> &[Term] {
        self.backward.get(predicate).and_then(|o| o.get(object)).map_or(&[], Vec::as_slice)
    }

    fn pairs(&self, predicate: &str) -> &[(Term, &'a Term)] {
        self.by_predicate.get(predicate).map_or(&[], Vec::as_slice)
    }

    fn has(&self, subject: &Term, predicate: &str, object: &Term) -> bool {
        self.objects(subject, predicate).contains(&object)
    }

    fn labels(&self, x: &Term) -> &[&'a Term] {
        self.objects(x, &P.pref_label)
    }

    fn files(&self) -> &[&'a Term] {
        self.objects(&self.graph, &P.path)
    }

    /// `OPTIONAL { ?p tg:worksFor ?o . ?o skos:prefLabel ?company }`: the companies, or one unbound.
    fn companies_of(&self, person: &Term) -> Vec<Option<Term>> {
        let found: Vec<Option<Term>> = self
            .objects(person, &P.works_for)
            .iter()
            .flat_map(|o| self.labels(o).iter().map(|c| Some((*c).clone())))
            .collect();
        if found.is_empty() { vec![None] } else { found }
    }
}

/// `STRAFTER(STR(?kind), "#")`: what follows the first `#` (empty when there is none); unbound for a
/// blank node, whose `STR` is an error.
pub fn stance_name(kind: &Term) -> Option<Term> {
    let text = match kind {
        Term::NamedNode(n) => n.as_str(),
        Term::Literal(l) => l.value(),
        _ => return None,
    };
    let after = text.split_once('#').map_or("", |(_, after)| after);
    Some(Literal::new_simple_literal(after).into())
}

fn some(t: &Term) -> Option<Term> {
    Some(t.clone())
}

/// Every section of one graph, by canned query name.
pub fn sections(index: &GraphIndex<'_>) -> Vec<(&'static str, Section)> {
    vec![
        ("companies-moved-to", stances_of_kind(index, &P.adopted, true)),
        ("considering", stances_of_kind(index, &TG.iri("considering"), false)),
        ("evaluated", stances_of_kind(index, &TG.iri("evaluated"), false)),
        ("rejected", stances_of_kind(index, &P.rejected, false)),
        ("company-profile", company_profile(index)),
        ("evidence", evidence(index)),
        ("migrations", migrations(index)),
        ("speakers-by-company", speakers_by_company(index)),
        ("speakers-on-technology", speakers_on_technology(index)),
        ("talks-mentioning", talks_mentioning(index)),
        ("talks", talks(index)),
        ("co-occurring", co_occurring(index)),
        ("technologies-by-category", mention_counts(index)),
        ("technology-radar", radar(index)),
    ]
}

fn add(section: &mut Section, key: &Term, row: Row) {
    section.entry(key_text(key)).or_default().push(row);
}

/// The key of an entity: its IRI (or the text of whatever term it is).
pub fn key_text(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => n.as_str().to_string(),
        other => other.to_string(),
    }
}

/// Sorts each key's rows and drops repeats (the queries are `DISTINCT`).
fn distinct(mut section: Section) -> Section {
    for rows in section.values_mut() {
        let mut seen = FxHashSet::default();
        rows.retain(|r| seen.insert(r.clone()));
    }
    section
}

/// companies-moved-to (by technology) and considering/evaluated/rejected (one key): company, technology,
/// evidence, file, line of each stance node of `kind`.
fn stances_of_kind(ix: &GraphIndex<'_>, kind: &str, by_technology: bool) -> Section {
    let mut section = Section::new();
    let kind = iri_term(kind);
    for s in ix.subjects(&P.stance_kind, &kind) {
        for t in ix.objects(s, &P.technology) {
            for o in ix.objects(s, &P.organization) {
                for (ev, line) in pairs(ix.objects(s, &P.evidence), ix.objects(s, &P.line)) {
                    for (tl, cl) in pairs(ix.labels(t), ix.labels(o)) {
                        for file in ix.files() {
                            let row = vec![some(cl), some(tl), some(ev), some(file), some(line)];
                            let key = if by_technology { key_text(t) } else { String::new() };
                            section.entry(key).or_default().push(row);
                        }
                    }
                }
            }
        }
    }
    distinct(section)
}

/// Every (a, b) with a from `xs` and b from `ys`.
fn pairs<'t>(xs: &[&'t Term], ys: &[&'t Term]) -> Vec<(&'t Term, &'t Term)> {
    xs.iter().flat_map(|x| ys.iter().map(move |y| (*x, *y))).collect()
}

/// company-profile, by organization: stance, technology, evidence, file, line.
fn company_profile(ix: &GraphIndex<'_>) -> Section {
    let mut section = Section::new();
    for (s, o) in ix.pairs(&P.organization) {
        for t in ix.objects(s, &P.technology) {
            for kind in ix.objects(s, &P.stance_kind) {
                for (ev, line) in pairs(ix.objects(s, &P.evidence), ix.objects(s, &P.line)) {
                    for tl in ix.labels(t) {
                        for file in ix.files() {
                            add(&mut section, o, vec![stance_name(kind), some(tl), some(ev), some(file), some(line)]);
                        }
                    }
                }
            }
        }
    }
    distinct(section)
}

/// The key of evidence rows: organization and technology.
pub fn pair_key(organization: &str, technology: &str) -> String {
    format!("{organization}\n{technology}")
}

/// evidence, by (organization, technology): stance, evidence, talk title, file (the talk's notes file's
/// path), line.
fn evidence(ix: &GraphIndex<'_>) -> Section {
    let mut section = Section::new();
    for (s, o) in ix.pairs(&P.organization) {
        for t in ix.objects(s, &P.technology) {
            let key = pair_key(&key_text(o), &key_text(t));
            for kind in ix.objects(s, &P.stance_kind) {
                for (ev, line) in pairs(ix.objects(s, &P.evidence), ix.objects(s, &P.line)) {
                    for k in ix.objects(s, &P.talk) {
                        for (title, f) in pairs(ix.objects(k, &P.title), ix.objects(k, &P.notes_file)) {
                            for file in ix.objects(f, &P.path) {
                                let row = vec![stance_name(kind), some(ev), some(title), some(file), some(line)];
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
    for (o, x) in ix.pairs(&P.migrated_from) {
        for y in ix.objects(o, &P.adopted).iter().filter(|y| *x != **y) {
            let shared = ix.objects(x, &P.category).iter().filter(|c| ix.has(y, &P.category, c)).count();
            for (from, to) in pairs(ix.labels(x), ix.labels(y)) {
                for (company, file) in pairs(ix.labels(o), ix.files()) {
                    let row = vec![some(company), some(from), some(to), some(file)];
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
    for (k, p) in ix.pairs(&P.speaker) {
        for (talk, speaker) in pairs(ix.objects(k, &P.title), ix.objects(p, &P.name)) {
            let roles: Vec<Option<Term>> = match ix.objects(p, &P.job_title) {
                [] => vec![None],
                found => found.iter().map(|r| some(r)).collect(),
            };
            for role in &roles {
                for company in ix.companies_of(p) {
                    rows.push(vec![company, some(speaker), role.clone(), some(talk)]);
                }
            }
        }
    }
    distinct(BTreeMap::from([(String::new(), rows)]))
}

/// speakers-on-technology, by technology: speaker, company, talk of the talks mentioning it.
fn speakers_on_technology(ix: &GraphIndex<'_>) -> Section {
    let mut section = Section::new();
    for (k, t) in ix.pairs(&P.mentions) {
        for talk in ix.objects(k, &P.title) {
            for p in ix.objects(k, &P.speaker) {
                for speaker in ix.objects(p, &P.name) {
                    for company in ix.companies_of(p) {
                        add(&mut section, t, vec![some(speaker), company, some(talk)]);
                    }
                }
            }
        }
    }
    distinct(section)
}

/// talks-mentioning, by technology: talk, company, stance, evidence, file, line, the last four from the
/// talk's stance nodes on that technology when it has any.
fn talks_mentioning(ix: &GraphIndex<'_>) -> Section {
    let mut section = Section::new();
    for (k, t) in ix.pairs(&P.mentions) {
        let mut said: Vec<[Option<Term>; 4]> = Vec::new();
        for s in ix.subjects(&P.talk, k) {
            if !ix.has(s, &P.technology, t) {
                continue;
            }
            for kind in ix.objects(s, &P.stance_kind) {
                for (ev, line) in pairs(ix.objects(s, &P.evidence), ix.objects(s, &P.line)) {
                    for o in ix.objects(s, &P.organization) {
                        for company in ix.labels(o) {
                            said.push([some(company), stance_name(kind), some(ev), some(line)]);
                        }
                    }
                }
            }
        }
        if said.is_empty() {
            said.push([None, None, None, None]);
        }
        for (talk, f) in pairs(ix.objects(k, &P.title), ix.objects(k, &P.notes_file)) {
            for file in ix.objects(f, &P.path) {
                for [company, stance, ev, line] in &said {
                    let row = vec![some(talk), company.clone(), stance.clone(), ev.clone(), some(file), line.clone()];
                    add(&mut section, t, row);
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
    let talk_type = iri_term(&P.talk_class);
    for k in ix.subjects(&P.type_, &talk_type) {
        let mut people: Vec<(Option<Term>, Option<Term>)> = Vec::new();
        for p in ix.objects(k, &P.speaker) {
            for name in ix.objects(p, &P.name) {
                for company in ix.companies_of(p) {
                    people.push((some(name), company));
                }
            }
        }
        if people.is_empty() {
            people.push((None, None));
        }
        for (talk, f) in pairs(ix.objects(k, &P.title), ix.objects(k, &P.notes_file)) {
            for file in ix.objects(f, &P.path) {
                for (name, company) in &people {
                    rows.push(vec![some(talk), some(file), name.clone(), company.clone()]);
                }
            }
        }
    }
    distinct(BTreeMap::from([(String::new(), rows)]))
}

/// An `xsd:integer` literal.
pub fn integer(n: usize) -> Term {
    Literal::new_typed_literal(n.to_string(), oxigraph::model::vocab::xsd::INTEGER).into()
}

/// co-occurring, by technology: each other technology's label and the number of this graph's talks that
/// mention both (talks belong to one graph, so counts add up across graphs).
fn co_occurring(ix: &GraphIndex<'_>) -> Section {
    let technology = iri_term(&P.technology_class);
    let mut talks: FxHashMap<(String, Term), FxHashSet<&Term>> = FxHashMap::default();
    for (k, t) in ix.pairs(&P.mentions) {
        for other in ix.objects(k, &P.mentions) {
            if *other == *t || !ix.has(other, &P.type_, &technology) {
                continue;
            }
            for label in ix.labels(other) {
                talks.entry((key_text(t), (*label).clone())).or_default().insert(k);
            }
        }
    }
    let mut section = Section::new();
    for ((key, label), ks) in talks {
        section.entry(key).or_default().push(vec![Some(label), Some(integer(ks.len()))]);
    }
    section
}

/// technologies-by-category: each technology this graph's talks mention, with how many of them do.
fn mention_counts(ix: &GraphIndex<'_>) -> Section {
    let mut talks: BTreeMap<String, FxHashSet<&Term>> = BTreeMap::new();
    for (k, t) in ix.pairs(&P.mentions) {
        talks.entry(key_text(t)).or_default().insert(k);
    }
    let rows = talks.into_iter().map(|(t, ks)| vec![Some(iri_term(&t)), Some(integer(ks.len()))]).collect();
    BTreeMap::from([(String::new(), rows)])
}

fn iri_term(iri: &str) -> Term {
    oxigraph::model::NamedNode::new_unchecked(iri).into()
}

/// technology-radar: (kind, technology, organization) for each direct adopted/uses/rejected triple.
fn radar(ix: &GraphIndex<'_>) -> Section {
    let mut rows = Vec::new();
    for kind in radar_kinds() {
        for (who, t) in ix.pairs(kind) {
            rows.push(vec![Some(iri_term(kind)), some(t), Some(who.clone())]);
        }
    }
    distinct(BTreeMap::from([(String::new(), rows)]))
}
