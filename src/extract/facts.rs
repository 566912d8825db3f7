//! What extraction produces: per notes file, its talks with speakers, mentioned technologies and
//! organizations, and stances, each with the line and verbatim evidence it came from.

use crate::ontology::Stance;
use std::collections::BTreeMap;

/// An organization as a node: its IRI and display name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrgRef {
    /// The organization's IRI (the vocabulary's, or minted from its name).
    pub iri: String,
    /// Its canonical name (the vocabulary's prefLabel, or the name as written).
    pub name: String,
    /// True when the organization comes from the vocabulary.
    pub known: bool,
}

/// One place a name occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// 1-based line number.
    pub line: usize,
    /// The surface form, verbatim.
    pub surface: String,
}

/// A speaker of a talk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    /// The person's name as written.
    pub name: String,
    /// The job title as written.
    pub role: Option<String>,
    /// The speaker's organization.
    pub organization: Option<OrgRef>,
    /// The organization's name as the speaker line writes it.
    pub organization_as_written: Option<String>,
    /// Line of the speaker line.
    pub line: usize,
}

/// The stance of an organization towards a technology, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StanceFact {
    /// Whose stance.
    pub organization: OrgRef,
    /// The technology's IRI.
    pub technology: String,
    /// Which stance.
    pub stance: Stance,
    /// The sentences that state it, in order.
    pub evidence: Vec<Evidence>,
    /// True when a cue in the text says so; false for the default stance of a plain mention.
    pub explicit: bool,
}

/// A verbatim sentence of the notes and its line.
#[derive(Debug, Clone, Eq)]
pub struct Evidence {
    /// 1-based line.
    pub line: usize,
    /// The sentence, verbatim; shared by every fact the sentence states, so a sentence naming thousands of
    /// technologies is held once.
    pub text: std::sync::Arc<str>,
}

impl PartialEq for Evidence {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl PartialOrd for Evidence {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Evidence {
    /// By line, then text; the same shared sentence compares equal without reading it.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.line.cmp(&other.line).then_with(|| {
            if std::sync::Arc::ptr_eq(&self.text, &other.text) {
                std::cmp::Ordering::Equal
            } else {
                self.text.cmp(&other.text)
            }
        })
    }
}

/// A term that looks like a technology but is not in the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The term as written.
    pub term: String,
    /// 1-based line.
    pub line: usize,
}

/// Everything read from one talk.
#[derive(Debug, Clone, Default)]
pub struct TalkFacts {
    /// The title as written in the heading (without a speaker part); none for a talk without heading.
    pub title: Option<String>,
    /// The line where the talk starts.
    pub line: usize,
    /// The speakers.
    pub speakers: Vec<Speaker>,
    /// Technology IRI → its mentions.
    pub technologies: BTreeMap<String, Vec<Mention>>,
    /// Organization → its mentions.
    pub organizations: BTreeMap<OrgRef, Vec<Mention>>,
    /// One stance per (organization, technology), the latest the story tells.
    pub stances: Vec<StanceFact>,
    /// Technology-looking terms outside the vocabulary.
    pub candidates: Vec<Candidate>,
}

/// A non-fatal finding, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The notes file.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// What was found.
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.message)
    }
}

/// Everything read from one notes file.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    /// Path of the notes file relative to the ingested folder.
    pub path: String,
    /// The event (conference) the notes name, if any.
    pub event: Option<String>,
    /// The event's date as the notes give it.
    pub event_date: Option<String>,
    /// The talks in order.
    pub talks: Vec<TalkFacts>,
    /// Non-fatal findings.
    pub diagnostics: Vec<Diagnostic>,
}
