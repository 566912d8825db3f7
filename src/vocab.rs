//! Namespaces and the talkgraph terms the code writes, as documented constants. A test checks that every
//! term named here is declared in `ontology/talkgraph.ttl`, so code and ontology cannot drift apart.

/// An IRI namespace: a prefix and its base.
#[derive(Debug, Clone, Copy)]
pub struct Namespace {
    /// The Turtle prefix used in exports.
    pub prefix: &'static str,
    /// The namespace IRI.
    pub base: &'static str,
}

impl Namespace {
    /// The full IRI of a local name in this namespace.
    pub fn iri(&self, local: &str) -> String {
        format!("{}{}", self.base, local)
    }

    /// The local name of an IRI of this namespace.
    pub fn local<'a>(&self, iri: &'a str) -> Option<&'a str> {
        iri.strip_prefix(self.base)
    }
}

/// The talkgraph vocabulary (classes and properties).
pub const TG: Namespace = Namespace { prefix: "tg", base: "https://talkgraph.dev/ontology#" };
/// SKOS, for technology and organization labels.
pub const SKOS: Namespace = Namespace { prefix: "skos", base: "http://www.w3.org/2004/02/skos/core#" };
/// RDF itself.
pub const RDF: Namespace = Namespace { prefix: "rdf", base: "http://www.w3.org/1999/02/22-rdf-syntax-ns#" };
/// RDF Schema.
pub const RDFS: Namespace = Namespace { prefix: "rdfs", base: "http://www.w3.org/2000/01/rdf-schema#" };
/// XML Schema datatypes.
pub const XSD: Namespace = Namespace { prefix: "xsd", base: "http://www.w3.org/2001/XMLSchema#" };
/// PROV-O.
pub const PROV: Namespace = Namespace { prefix: "prov", base: "http://www.w3.org/ns/prov#" };
/// schema.org.
pub const SCHEMA: Namespace = Namespace { prefix: "schema", base: "https://schema.org/" };
/// OWL.
pub const OWL: Namespace = Namespace { prefix: "owl", base: "http://www.w3.org/2002/07/owl#" };
/// Dublin Core terms.
pub const DCTERMS: Namespace = Namespace { prefix: "dcterms", base: "http://purl.org/dc/terms/" };
/// Web Annotation.
pub const OA: Namespace = Namespace { prefix: "oa", base: "http://www.w3.org/ns/oa#" };

/// Instance namespaces: one per kind of node talkgraph mints.
pub mod id {
    use super::Namespace;
    /// Talks: `talk:<notes-file>/<title>`.
    pub const TALK: Namespace = Namespace { prefix: "talk", base: "https://talkgraph.dev/id/talk/" };
    /// People, by name.
    pub const PERSON: Namespace = Namespace { prefix: "person", base: "https://talkgraph.dev/id/person/" };
    /// Organizations, by vocabulary entry or name.
    pub const ORG: Namespace = Namespace { prefix: "org", base: "https://talkgraph.dev/id/organization/" };
    /// Technologies of the vocabulary.
    pub const TECH: Namespace = Namespace { prefix: "tech", base: "https://talkgraph.dev/id/technology/" };
    /// Technology categories.
    pub const CATEGORY: Namespace = Namespace { prefix: "cat", base: "https://talkgraph.dev/id/category/" };
    /// Qualified stance nodes.
    pub const STANCE: Namespace = Namespace { prefix: "stance", base: "https://talkgraph.dev/id/stance/" };
    /// Notes files; also the names of their graphs.
    pub const NOTES: Namespace = Namespace { prefix: "notes", base: "https://talkgraph.dev/id/notes/" };
    /// Events (conferences).
    pub const EVENT: Namespace = Namespace { prefix: "event", base: "https://talkgraph.dev/id/event/" };
    /// Technology candidates not in the vocabulary.
    pub const CANDIDATE: Namespace = Namespace { prefix: "candidate", base: "https://talkgraph.dev/id/candidate/" };
}

/// The graphs that hold the ontology files inside the store: this base plus the file's stem
/// (`…/graph/ontology/talkgraph`, `…/technologies`, `…/organizations`, `…/cues`, `…/lexicon`).
pub const ONTOLOGY_GRAPH: &str = "https://talkgraph.dev/graph/ontology/";
/// The ontology graph of the vocabulary schema (classes and properties).
pub const SCHEMA_GRAPH: &str = "https://talkgraph.dev/graph/ontology/talkgraph";

/// The store graph of an ontology file.
pub fn ontology_graph(file: &str) -> String {
    format!("{ONTOLOGY_GRAPH}{}", file.trim_end_matches(".ttl"))
}
/// The graph that holds the store's own bookkeeping (versions).
pub const META_GRAPH: &str = "https://talkgraph.dev/graph/meta";

/// Every prefix an export declares, in output order.
pub const PREFIXES: [Namespace; 20] = [
    TG,
    SKOS,
    RDF,
    RDFS,
    XSD,
    PROV,
    SCHEMA,
    OWL,
    DCTERMS,
    OA,
    id::TALK,
    id::PERSON,
    id::ORG,
    id::TECH,
    id::CATEGORY,
    id::STANCE,
    id::NOTES,
    id::EVENT,
    id::CANDIDATE,
    Namespace { prefix: "graph", base: "https://talkgraph.dev/graph/" },
];

/// The talkgraph terms code writes or reads: each must be declared in `ontology/talkgraph.ttl`.
pub const TG_TERMS: [&str; 33] = [
    "Event",
    "Talk",
    "Person",
    "Organization",
    "Technology",
    "Stance",
    "NotesFile",
    "Candidate",
    "event",
    "title",
    "speaker",
    "name",
    "jobTitle",
    "worksFor",
    "mentions",
    "date",
    "uses",
    "adopted",
    "migratedFrom",
    "evaluated",
    "considering",
    "rejected",
    "organization",
    "technology",
    "stanceKind",
    "evidence",
    "line",
    "talk",
    "notesFile",
    "path",
    "sha256",
    "category",
    "occurrences",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_term_is_declared_in_the_ontology() {
        let ttl = include_str!("../ontology/talkgraph.ttl");
        for term in TG_TERMS {
            let declared = format!("\ntg:{term} a owl:");
            assert!(ttl.contains(&declared), "tg:{term} is not declared in ontology/talkgraph.ttl");
        }
    }

    #[test]
    fn namespace_round_trips_local_names() {
        assert_eq!(TG.local(&TG.iri("uses")), Some("uses"));
        assert_eq!(SKOS.local(&TG.iri("uses")), None);
    }
}
