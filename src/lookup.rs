//! Finds the graph's talks, people, organizations and technologies by any of their names (labels,
//! aliases, Russian spellings, lookup keys), in any case and script, and the nearest names for a word that
//! names nothing ("booking" → "did you mean Booking.com?"). Built from a store in one pass per label
//! property; the web page's search and the "did you mean" of canned-query parameters both use it.

use crate::vocab::{SKOS, TG, id};
use anyhow::Result;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphNameRef, Literal, NamedNode, Term};
use oxigraph::store::Store;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// What kind of thing an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Kind {
    Technology,
    Organization,
    Person,
    Talk,
}

impl Kind {
    const ALL: [Kind; 4] = [Kind::Technology, Kind::Organization, Kind::Person, Kind::Talk];

    fn class(self) -> String {
        TG.iri(match self {
            Kind::Technology => "Technology",
            Kind::Organization => "Organization",
            Kind::Person => "Person",
            Kind::Talk => "Talk",
        })
    }

    /// The kind whose class this is.
    pub fn of_class(iri: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.class() == iri)
    }
}

/// One entity of the notes graphs and the names it goes by.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub iri: String,
    pub kind: Kind,
    /// The name to show: the preferred label, a person's name or a talk's title.
    pub label: String,
    #[serde(skip)]
    keys: Vec<String>,
}

/// Every entity of the notes graphs by its names.
#[derive(Debug, Default)]
pub struct NameIndex {
    entries: Vec<Entry>,
}

/// The label properties read, the shown label's first.
const LABELS: [(&str, &str); 8] = [
    ("skos", "prefLabel"),
    ("tg", "name"),
    ("tg", "title"),
    ("skos", "altLabel"),
    ("skos", "hiddenLabel"),
    ("tg", "exactLabel"),
    ("tg", "ambiguousLabel"),
    ("tg", "lookupKey"),
];

/// The form names are compared in: lower case, ё as е, letters and digits only ("Booking.com" →
/// "bookingcom"), so spacing and punctuation never hide a match.
pub fn key(text: &str) -> String {
    crate::text::normalize(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

impl NameIndex {
    /// Reads every talk, person, organization and technology typed in a notes graph, with its labels from
    /// any graph (the ontology's aliases included).
    pub fn build(store: &Store) -> Result<NameIndex> {
        let mut kinds: BTreeMap<String, Kind> = BTreeMap::new();
        for kind in Kind::ALL {
            let class = NamedNode::new_unchecked(kind.class());
            for quad in store.quads_for_pattern(None, Some(rdf::TYPE), Some(class.as_ref().into()), None) {
                let quad = quad?;
                let in_notes = matches!(quad.graph_name.as_ref(), GraphNameRef::NamedNode(g) if g.as_str().starts_with(id::NOTES.base));
                if let (true, oxigraph::model::NamedOrBlankNode::NamedNode(s)) = (in_notes, quad.subject) {
                    kinds.entry(s.into_string()).or_insert(kind);
                }
            }
        }
        let mut labels: HashMap<&str, Vec<String>> = HashMap::new();
        for (prefix, local) in LABELS {
            let predicate = NamedNode::new_unchecked(if prefix == "skos" { SKOS.iri(local) } else { TG.iri(local) });
            for quad in store.quads_for_pattern(None, Some(predicate.as_ref()), None, None) {
                let quad = quad?;
                let (oxigraph::model::NamedOrBlankNode::NamedNode(s), Term::Literal(l)) = (&quad.subject, &quad.object)
                else {
                    continue;
                };
                if let Some((iri, _)) = kinds.get_key_value(s.as_str()) {
                    let list = labels.entry(iri.as_str()).or_default();
                    if !list.iter().any(|x| x == l.value()) {
                        list.push(l.value().to_string());
                    }
                }
            }
        }
        let mut index = NameIndex::default();
        for (iri, kind) in &kinds {
            let names = labels.remove(iri.as_str()).unwrap_or_default();
            let label = names.first().cloned().unwrap_or_else(|| tail(iri).to_string());
            let mut keys: Vec<String> = names.iter().map(|n| key(n)).filter(|k| !k.is_empty()).collect();
            keys.sort();
            keys.dedup();
            index.entries.push(Entry { iri: iri.clone(), kind: *kind, label, keys });
        }
        Ok(index)
    }

    /// Every entity, by IRI.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter()
    }

    /// Entities whose names match `query`: exact names first, then names that start with it, then names
    /// that hold it; within each, technologies and organizations before people and talks, then by label.
    pub fn find(&self, query: &str, limit: usize) -> Vec<&Entry> {
        let q = key(query);
        if q.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(u8, &Entry)> = self
            .entries
            .iter()
            .filter_map(|e| {
                let rank = e
                    .keys
                    .iter()
                    .map(|k| {
                        if *k == q {
                            0
                        } else if k.starts_with(&q) {
                            1
                        } else if k.contains(&q) {
                            2
                        } else {
                            3
                        }
                    })
                    .min()?;
                (rank < 3).then_some((rank, e))
            })
            .collect();
        scored.sort_by(|a, b| (a.0, a.1.kind, &a.1.label).cmp(&(b.0, b.1.kind, &b.1.label)));
        scored.into_iter().take(limit).map(|(_, e)| e).collect()
    }

    /// The entities (of `kind`, if given) whose names are nearest to `query`, for a "did you mean": names
    /// that hold it or that it holds, then names alike by Jaro-Winkler similarity of at least 0.8.
    pub fn suggest(&self, query: &str, kind: Option<Kind>, limit: usize) -> Vec<&Entry> {
        let q = key(query);
        if q.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(f64, &Entry)> = self
            .entries
            .iter()
            .filter(|e| kind.is_none_or(|k| e.kind == k))
            .filter_map(|e| {
                let best = e
                    .keys
                    .iter()
                    .map(|k| {
                        let holds = k.len() > 2 && q.len() > 2 && (k.contains(&q) || q.contains(k.as_str()));
                        if holds { 1.0 } else { strsim::jaro_winkler(k, &q) }
                    })
                    .fold(0.0, f64::max);
                (best >= 0.8).then_some((best, e))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.label.cmp(&b.1.label)));
        scored.into_iter().take(limit).map(|(_, e)| e).collect()
    }
}

/// The last segment of an IRI, for an entity without a label.
fn tail(iri: &str) -> &str {
    iri.rsplit(['/', '#']).next().unwrap_or(iri)
}

/// True when no entity goes by `name` as the canned queries look names up: no `tg:lookupKey` (of the
/// notes or of the vocabulary) is its normalized form.
pub fn names_nothing(store: &Store, name: &str) -> Result<bool> {
    let key = NamedNode::new_unchecked(TG.iri("lookupKey"));
    let literal = Literal::new_simple_literal(crate::text::normalize(name.trim()));
    let found = store.quads_for_pattern(None, Some(key.as_ref()), Some(literal.as_ref().into()), None).next();
    Ok(found.transpose()?.is_none())
}

/// The kind a canned-query parameter names, by its name (`tech`, `company`, `person`…).
pub fn kind_of_parameter(name: &str) -> Option<Kind> {
    match name {
        "tech" | "technology" => Some(Kind::Technology),
        "company" | "org" | "organization" => Some(Kind::Organization),
        "person" | "speaker" => Some(Kind::Person),
        _ => None,
    }
}

/// Reads one named node as an IRI string.
pub fn iri_of(term: &Term) -> Option<&str> {
    match term {
        Term::NamedNode(n) => Some(n.as_str()),
        _ => None,
    }
}
