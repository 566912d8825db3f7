//! The technology radar drawn from the stances: a technology sits in the ring most companies' stances put
//! it in (adopted/uses → Adopt, evaluated → Trial, considering → Assess, rejected/migrated-from → Hold; a
//! tie goes to the inner ring) and in the quadrant of its category. The web page draws it; `export
//! --format radar` writes it as Build-Your-Own-Radar CSV with the companies and evidence behind each blip.

use crate::project::PropertyGraph;
use anyhow::Result;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// The technology radar: one blip per technology some company has a stance on.
#[derive(Debug, Clone, Serialize)]
pub struct Radar {
    pub quadrants: Vec<String>,
    pub blips: Vec<Blip>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Blip {
    pub iri: String,
    pub label: String,
    pub ring: &'static str,
    pub quadrant: String,
    /// The stance that placed it (the commonest of its ring).
    pub stance: String,
    pub companies: Vec<String>,
}

/// The radar's rings, innermost first, and the stances that put a technology in each.
pub const RINGS: [(&str, &[&str]); 4] = [
    ("Adopt", &["adopted", "uses"]),
    ("Trial", &["evaluated"]),
    ("Assess", &["considering"]),
    ("Hold", &["rejected", "migratedFrom"]),
];

/// The quadrant of a technology without a category (a candidate term, or one the vocabulary does not
/// place): a radar has four quadrants and no fifth, and an unplaced term is most often a tool.
pub const UNPLACED: &str = "Tools";

/// Technology → stance kind → the companies that take it.
pub type Votes = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// The ring of a set of stances: the ring most companies' stances fall in; a tie goes to the inner ring.
pub fn ring_of(stances: &BTreeMap<String, usize>) -> (&'static str, String) {
    let mut best: Option<(usize, usize)> = None;
    for (i, (_, kinds)) in RINGS.iter().enumerate() {
        let n: usize = kinds.iter().map(|k| stances.get(*k).copied().unwrap_or(0)).sum();
        if n > 0 && best.is_none_or(|(bn, _)| n > bn) {
            best = Some((n, i));
        }
    }
    let ring = best.map_or(3, |(_, i)| i);
    let stance = RINGS[ring]
        .1
        .iter()
        .max_by_key(|k| (stances.get(**k).copied().unwrap_or(0), std::cmp::Reverse(**k)))
        .map_or_else(String::new, |k| k.to_string());
    (RINGS[ring].0, stance)
}

/// Places every voted technology: its ring, its quadrant (`quadrant_of`, or [`UNPLACED`]) and its
/// companies by label; blips sorted by ring, then label.
pub fn place(
    votes: Votes,
    quadrants: Vec<String>,
    mut label_of: impl FnMut(&str) -> Result<String>,
    mut quadrant_of: impl FnMut(&str) -> Result<Option<String>>,
) -> Result<Radar> {
    let mut blips = Vec::new();
    for (tech, kinds) in votes {
        let counts: BTreeMap<String, usize> = kinds.iter().map(|(k, orgs)| (k.clone(), orgs.len())).collect();
        let (ring, stance) = ring_of(&counts);
        let quadrant = quadrant_of(&tech)?.unwrap_or_else(|| UNPLACED.to_string());
        let orgs: BTreeSet<&String> = kinds.values().flatten().collect();
        let mut companies: Vec<String> = orgs.into_iter().map(|o| label_of(o)).collect::<Result<_>>()?;
        companies.sort();
        companies.dedup();
        blips.push(Blip { label: label_of(&tech)?, iri: tech, ring, quadrant, stance, companies });
    }
    let ring_order = |ring: &str| RINGS.iter().position(|(r, _)| *r == ring);
    blips.sort_by(|a, b| (ring_order(a.ring), &a.label).cmp(&(ring_order(b.ring), &b.label)));
    Ok(Radar { quadrants, blips })
}

/// The most companies a CSV description cites by name; the rest are counted.
const CITED: usize = 5;

/// The radar of a projection, with what the CSV needs beside it: per technology, each company's stances
/// with one evidence line apiece, and whether the technology is new.
pub fn write_csv(graph: &PropertyGraph, out: &mut dyn Write) -> Result<()> {
    let nodes: BTreeMap<&str, &crate::project::Node> = graph.nodes.iter().map(|n| (n.iri.as_str(), n)).collect();
    let mut votes: Votes = BTreeMap::new();
    // technology → company → (stance kind, evidence line, file, line), the first by file and line.
    let mut cited: BTreeMap<&str, BTreeMap<&str, BTreeMap<&str, String>>> = BTreeMap::new();
    let mut first_year: BTreeMap<&str, String> = BTreeMap::new();
    for edge in &graph.edges {
        let Some(evidence) = &edge.evidence else { continue };
        votes.entry(edge.target.clone()).or_default().entry(edge.kind.clone()).or_default().insert(edge.source.clone());
        cited.entry(&edge.target).or_default().entry(&edge.source).or_default().entry(&edge.kind).or_insert_with(
            || format!("\u{201c}{}\u{201d} ({}:{})", evidence.text.trim(), evidence.file, evidence.line),
        );
        if let Some(year) = nodes.get(evidence.talk.as_str()).and_then(|t| t.date.as_deref()).and_then(year) {
            let earliest = first_year.entry(&edge.target).or_insert_with(|| year.to_string());
            if year < earliest.as_str() {
                *earliest = year.to_string();
            }
        }
    }
    let years: BTreeSet<&str> = graph.nodes.iter().filter_map(|n| n.date.as_deref().and_then(year)).collect();
    // New: first told of in the newest year of the notes, when the notes span more than one year.
    let newest = if years.len() > 1 { years.last().copied() } else { None };
    let label_of = |iri: &str| Ok(nodes.get(iri).map_or_else(|| iri.to_string(), |n| n.label.clone()));
    let quadrant_of = |iri: &str| Ok(nodes.get(iri).and_then(|n| n.quadrant.clone()));
    let radar = place(votes, Vec::new(), label_of, quadrant_of)?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["name", "ring", "quadrant", "isNew", "description"])?;
    for blip in &radar.blips {
        let is_new = newest.is_some_and(|y| first_year.get(blip.iri.as_str()).is_some_and(|f| f == y));
        let description = describe(&cited[blip.iri.as_str()], |iri| label_of(iri).unwrap_or_default());
        w.write_record([
            blip.label.as_str(),
            blip.ring,
            blip.quadrant.as_str(),
            if is_new { "TRUE" } else { "FALSE" },
            description.as_str(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// "Booking.com adopted it: “…” (file:line); Avito uses it: “…” (file:line); and 3 more companies."
fn describe(companies: &BTreeMap<&str, BTreeMap<&str, String>>, label_of: impl Fn(&str) -> String) -> String {
    let mut by_label: Vec<(String, &BTreeMap<&str, String>)> =
        companies.iter().map(|(iri, kinds)| (label_of(iri), kinds)).collect();
    by_label.sort_by(|a, b| a.0.cmp(&b.0));
    let mut parts: Vec<String> = by_label
        .iter()
        .take(CITED)
        .map(|(company, kinds)| {
            let said: Vec<String> = kinds.iter().map(|(kind, ev)| format!("{} it: {ev}", verb(kind))).collect();
            format!("{company} {}", said.join("; "))
        })
        .collect();
    if by_label.len() > CITED {
        parts.push(format!("and {} more companies", by_label.len() - CITED));
    }
    parts.join(". ")
}

/// A stance kind as the verb of a sentence.
fn verb(kind: &str) -> &str {
    match kind {
        "uses" => "uses",
        "adopted" => "adopted",
        "migratedFrom" => "migrated from",
        "evaluated" => "evaluated",
        "considering" => "is considering",
        "rejected" => "rejected",
        other => other,
    }
}

/// The year of an ISO date ("2019-05-17" → "2019").
fn year(date: &str) -> Option<&str> {
    date.get(..4).filter(|y| y.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn votes(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
        pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    }

    #[test]
    fn a_technology_sits_in_the_ring_most_companies_put_it_in_and_a_tie_goes_inwards() {
        assert_eq!(ring_of(&votes(&[("adopted", 1), ("uses", 2)])), ("Adopt", "uses".to_string()));
        assert_eq!(ring_of(&votes(&[("evaluated", 2), ("rejected", 1)])).0, "Trial");
        assert_eq!(ring_of(&votes(&[("considering", 1), ("rejected", 1)])).0, "Assess");
        assert_eq!(ring_of(&votes(&[("migratedFrom", 2), ("adopted", 1)])), ("Hold", "migratedFrom".to_string()));
    }
}
