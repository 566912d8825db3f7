//! Compact JSON-LD: one `@context` with the talkgraph prefixes and a short key per property of the
//! vocabulary schema (links typed `@id`, typed data by their range), one object per subject, and each
//! notes file's named graph kept as its own `@graph`. Graphs and subjects come in the export's sorted
//! order, so the same notes give the same bytes; expanding the document gives exactly the quads of the
//! N-Quads export.

use super::export::{Scope, export_graphs, sorted_quads};
use crate::vocab::{OWL, PREFIXES, RDFS, SCHEMA_GRAPH, SKOS, XSD};
use anyhow::Result;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, GraphNameRef, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use oxigraph::store::Store;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::io::Write;

/// How a property's values are written under its short key.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Coercion {
    /// Plain strings as JSON strings.
    None,
    /// IRIs as (compact) strings.
    Id,
    /// Literals of this datatype as their lexical form.
    Typed(String),
}

/// The document's context: prefixes, and the short key and coercion of each property that has one.
struct Context {
    terms: BTreeMap<String, (String, Coercion)>,
    json: Value,
}

/// The labelling properties every reader knows, given short keys besides the schema's own properties.
const LABEL_PROPERTIES: [(&str, &str); 4] =
    [("prefLabel", SKOS.base), ("altLabel", SKOS.base), ("hiddenLabel", SKOS.base), ("label", RDFS.base)];

impl Context {
    /// Builds the context from the vocabulary schema graph in the store.
    fn from_schema(store: &Store) -> Result<Context> {
        let schema = GraphNameRef::NamedNode(NamedNodeRef::new_unchecked(SCHEMA_GRAPH));
        let mut terms: BTreeMap<String, (String, Coercion)> = BTreeMap::new();
        for (local, base) in LABEL_PROPERTIES {
            terms.insert(format!("{base}{local}"), (local.to_string(), Coercion::None));
        }
        let range = oxigraph::model::NamedNode::new_unchecked(RDFS.iri("range"));
        for class in ["ObjectProperty", "DatatypeProperty", "AnnotationProperty"] {
            let class_iri = oxigraph::model::NamedNode::new_unchecked(OWL.iri(class));
            for q in store.quads_for_pattern(None, Some(rdf::TYPE), Some(class_iri.as_ref().into()), Some(schema)) {
                let NamedOrBlankNode::NamedNode(p) = q?.subject else { continue };
                let coercion = if class == "ObjectProperty" {
                    Coercion::Id
                } else {
                    let mut typed = Coercion::None;
                    for r in store.quads_for_pattern(Some(p.as_ref().into()), Some(range.as_ref()), None, Some(schema))
                    {
                        if let Term::NamedNode(dt) = r?.object
                            && dt.as_str().starts_with(XSD.base)
                        {
                            typed = Coercion::Typed(dt.into_string());
                        }
                    }
                    typed
                };
                let local = p.as_str().rsplit(['#', '/']).next().unwrap_or_default().to_string();
                terms.insert(p.into_string(), (local, coercion));
            }
        }
        // A short key must not be a prefix ("talk" the property against "talk:" the talks) nor repeat another
        // key; such a property is written as a compact IRI instead.
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (key, _) in terms.values() {
            *seen.entry(key.clone()).or_default() += 1;
        }
        terms.retain(|_, (key, _)| seen[key] == 1 && !PREFIXES.iter().any(|ns| ns.prefix == key));
        let mut json = Map::new();
        for ns in PREFIXES {
            json.insert(ns.prefix.to_string(), json!(ns.base));
        }
        for (iri, (key, coercion)) in &terms {
            let id = compact(iri);
            let definition = match coercion {
                Coercion::None => json!(id),
                Coercion::Id => json!({"@id": id, "@type": "@id"}),
                Coercion::Typed(dt) => json!({"@id": id, "@type": compact(dt)}),
            };
            json.insert(key.clone(), definition);
        }
        Ok(Context { terms, json: Value::Object(json) })
    }

    /// The key a predicate is written under, and the coercion that key carries.
    fn key(&self, predicate: &str) -> (String, Coercion) {
        if predicate == rdf::TYPE.as_str() {
            return ("@type".to_string(), Coercion::Id);
        }
        self.terms.get(predicate).cloned().unwrap_or_else(|| (compact(predicate), Coercion::None))
    }
}

/// An IRI as `prefix:rest` under the longest prefix it starts with, else whole. A rest that starts with
/// `//` would read as an absolute IRI, so such an IRI stays whole.
fn compact(iri: &str) -> String {
    PREFIXES
        .iter()
        .filter_map(|ns| iri.strip_prefix(ns.base).map(|rest| (ns.base.len(), ns.prefix, rest)))
        .filter(|(_, _, rest)| !rest.starts_with("//"))
        .max_by_key(|(len, _, _)| *len)
        .map_or_else(|| iri.to_string(), |(_, prefix, rest)| format!("{prefix}:{rest}"))
}

fn node_id(node: &NamedOrBlankNode) -> String {
    match node {
        NamedOrBlankNode::NamedNode(n) => compact(n.as_str()),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

/// One object as JSON under a key with `coercion`.
fn value(object: &Term, coercion: &Coercion) -> Value {
    match (object, coercion) {
        (Term::NamedNode(n), Coercion::Id) => json!(compact(n.as_str())),
        (Term::NamedNode(n), _) => json!({"@id": compact(n.as_str())}),
        (Term::BlankNode(b), Coercion::Id) => json!(format!("_:{}", b.as_str())),
        (Term::BlankNode(b), _) => json!({"@id": format!("_:{}", b.as_str())}),
        (Term::Literal(l), _) => {
            if let Some(lang) = l.language() {
                return json!({"@value": l.value(), "@language": lang});
            }
            let datatype = l.datatype().as_str();
            let plain = datatype == XSD.iri("string");
            match coercion {
                Coercion::None if plain => json!(l.value()),
                Coercion::Typed(dt) if dt == datatype => json!(l.value()),
                _ if plain => json!({"@value": l.value()}),
                _ => json!({"@value": l.value(), "@type": compact(datatype)}),
            }
        }
    }
}

/// One subject's quads (consecutive in a sorted graph) as a node object.
fn node_object(context: &Context, subject: &NamedOrBlankNode, quads: &[Quad]) -> Value {
    let mut object = Map::new();
    object.insert("@id".to_string(), json!(node_id(subject)));
    let mut values: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for q in quads {
        let (key, coercion) = context.key(q.predicate.as_str());
        values.entry(key).or_default().push(value(&q.object, &coercion));
    }
    for (key, mut list) in values {
        object.insert(key, if list.len() == 1 { list.remove(0) } else { Value::Array(list) });
    }
    Value::Object(object)
}

/// Writes the store as compact JSON-LD with its named graphs.
pub fn write(store: &Store, scope: Scope, out: &mut dyn Write) -> Result<()> {
    let context = Context::from_schema(store)?;
    let context_text = serde_json::to_string_pretty(&context.json)?.replace('\n', "\n  ");
    writeln!(out, "{{\n  \"@context\": {context_text},\n  \"@graph\": [")?;
    let mut first_item = true;
    let mut separator = |out: &mut dyn Write| -> std::io::Result<()> {
        let sep = if first_item { "" } else { ",\n" };
        first_item = false;
        write!(out, "{sep}")
    };
    for graph in export_graphs(store, scope)? {
        let quads = sorted_quads(store, &graph)?;
        if quads.is_empty() {
            continue;
        }
        let nested = match &graph {
            GraphName::NamedNode(n) => {
                separator(out)?;
                writeln!(out, "    {{\"@id\": {}, \"@graph\": [", serde_json::to_string(&compact(n.as_str()))?)?;
                true
            }
            GraphName::BlankNode(b) => {
                separator(out)?;
                writeln!(out, "    {{\"@id\": \"_:{}\", \"@graph\": [", b.as_str())?;
                true
            }
            GraphName::DefaultGraph => false,
        };
        let indent = if nested { "      " } else { "    " };
        let mut first_node = true;
        for run in quads.chunk_by(|a, b| a.subject == b.subject) {
            let object = node_object(&context, &run[0].subject, run);
            if nested {
                write!(out, "{}{indent}{}", if first_node { "" } else { ",\n" }, serde_json::to_string(&object)?)?;
                first_node = false;
            } else {
                separator(out)?;
                write!(out, "{indent}{}", serde_json::to_string(&object)?)?;
            }
        }
        if nested {
            write!(out, "\n    ]}}")?;
        }
    }
    writeln!(out, "\n  ]\n}}")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris_compact_under_their_longest_prefix() {
        assert_eq!(compact("https://talkgraph.dev/id/talk/a/b"), "talk:a/b");
        assert_eq!(compact("https://talkgraph.dev/ontology#Talk"), "tg:Talk");
        assert_eq!(compact("https://example.org/x"), "https://example.org/x");
        assert_eq!(compact("https://talkgraph.dev/id/talk///x"), "https://talkgraph.dev/id/talk///x");
    }
}
