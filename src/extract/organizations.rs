//! Organizations: resolving a name as written ("Яндексе", "Booking.com", "первый ЦУПИС") to one node, the
//! vocabulary's when it knows the company, else a node minted from the name; and the short forms a talk may
//! use for its speaker's company (the acronyms and digit-bearing words of its name: "S7" of
//! "S7 Travel Retail").

use super::dictionary::{Dictionary, Kind};
use super::facts::OrgRef;
use crate::ontology::Ontology;
use crate::rdf::vocab::id;
use crate::text;
use std::collections::HashMap;

/// Lookup of vocabulary organizations by the compact form of any of their labels.
pub struct OrgIndex {
    by_key: HashMap<String, usize>,
}

impl OrgIndex {
    /// Indexes every label of every vocabulary organization.
    pub fn new(ontology: &Ontology) -> OrgIndex {
        let mut by_key = HashMap::new();
        for (i, c) in ontology.organizations.iter().enumerate() {
            for l in c.labels.iter().chain(&c.exact).chain(&c.ambiguous) {
                by_key.entry(text::compact_key(l)).or_insert(i);
            }
        }
        OrgIndex { by_key }
    }

    /// The node for an organization name as written.
    pub fn resolve(&self, name: &str, ontology: &Ontology, dictionary: &Dictionary) -> OrgRef {
        let known = self.by_key.get(&text::compact_key(name)).copied().or_else(|| {
            let hits = dictionary.scan(name);
            hits.iter()
                .find(|h| h.kind == Kind::Organization && h.span.len() * 3 >= name.trim().len() * 2)
                .map(|h| h.concept)
        });
        match known {
            Some(i) => vocabulary_org(ontology, i),
            None => OrgRef { iri: id::ORG.iri(&text::slug(name)), name: name.trim().to_string(), known: false },
        }
    }
}

/// The node of a vocabulary organization.
pub fn vocabulary_org(ontology: &Ontology, index: usize) -> OrgRef {
    let c = &ontology.organizations[index];
    OrgRef { iri: c.iri.clone(), name: c.pref_label.clone(), known: true }
}

/// The short forms of an organization's name a talk may use: the whole name, plus each word with a digit
/// ("S7") or in capitals ("ЦУПИС").
pub fn short_forms(name: &str) -> Vec<String> {
    let mut out = vec![name.trim().to_string()];
    for w in name.split_whitespace() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let has_digit = w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(char::is_alphabetic);
        let capitals = w.chars().count() >= 2 && w.chars().all(|c| c.is_uppercase() || c.is_ascii_digit());
        if (has_digit || capitals) && w != name.trim() {
            out.push(w.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_take_acronyms_and_codes() {
        assert_eq!(short_forms("S7 Travel Retail"), vec!["S7 Travel Retail", "S7"]);
        assert_eq!(short_forms("первый ЦУПИС"), vec!["первый ЦУПИС", "ЦУПИС"]);
        assert_eq!(short_forms("United Traders"), vec!["United Traders"]);
    }
}
