//! Extraction: a [`NoteDocument`] in, an [`Extraction`] out — speakers from the speaker line, technology
//! and organization mentions from the dictionary, and the stance of the organization whose story a line
//! tells towards each technology it names, with the verbatim sentence as evidence.
//!
//! The [`Extractor`] is built once from the ontology (automata, phrase sets) and is shared read-only by
//! all files, so extraction runs in parallel over files.

mod dictionary;
pub mod facts;
mod organizations;
mod phrases;
mod speakers;
mod stances;
mod talk;

use crate::document::{NoteDocument, TalkRules};
use crate::ontology::Ontology;
pub use dictionary::{Dictionary, Hit, Kind};
pub use facts::{Candidate, Diagnostic, Extraction, Mention, OrgRef, Speaker, StanceFact, TalkFacts};
use phrases::PhraseSet;
use speakers::SpeakerRules;
use stances::CueRules;

/// The compiled rules of extraction: dictionary, cue phrases and structural word lists.
pub struct Extractor {
    ontology: Ontology,
    dictionary: Dictionary,
    speakers: SpeakerRules,
    cues: CueRules,
    sections: PhraseSet<()>,
    case_markers: PhraseSet<()>,
    organizations: organizations::OrgIndex,
}

impl Extractor {
    /// Compiles the ontology's names and words.
    pub fn new(ontology: Ontology) -> Extractor {
        let set = |words: &[String]| PhraseSet::new(words.iter().map(|w| (w.clone(), ())));
        Extractor {
            dictionary: Dictionary::new(&ontology),
            speakers: SpeakerRules::new(&ontology.lexicon),
            cues: CueRules::new(&ontology.cues),
            sections: set(&ontology.lexicon.section_headings),
            case_markers: set(&ontology.lexicon.case_markers),
            organizations: organizations::OrgIndex::new(&ontology),
            ontology,
        }
    }

    /// The ontology the extractor was built from.
    pub fn ontology(&self) -> &Ontology {
        &self.ontology
    }

    /// Reads the facts of one parsed notes file.
    pub fn extract(&self, doc: &NoteDocument) -> Extraction {
        let mut diagnostics = Vec::new();
        let talks = doc.talks.iter().map(|t| talk::extract_talk(self, doc, t, &mut diagnostics)).collect();
        if doc.talks.is_empty() {
            diagnostics.push(Diagnostic { path: doc.path.clone(), line: 1, message: "no talks found".into() });
        }
        Extraction { path: doc.path.clone(), event: doc.title.as_ref().map(|h| h.text.clone()), talks, diagnostics }
    }

    /// True when a speaker-line name is really a technology or organization name.
    fn is_known_name(&self, name: &str) -> bool {
        let hits = self.dictionary.scan(name);
        hits.iter().any(|h| h.span.len() * 2 >= name.trim().len())
    }
}

impl TalkRules for Extractor {
    fn is_section_heading(&self, title: &str) -> bool {
        let trimmed =
            title.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_whitespace() || c.is_ascii_punctuation());
        self.sections.is_whole(title) || self.sections.is_whole(trimmed)
    }

    fn is_speaker_line(&self, line: &str) -> bool {
        self.speakers.parse(line).is_some_and(|s| s.iter().all(|sp| !self.is_known_name(&sp.name)))
    }

    fn heading_has_speaker(&self, title: &str) -> bool {
        talk::speaker_in_heading(self, title).is_some()
    }

    fn is_prose_speaker(&self, line: &str) -> bool {
        self.speakers.parse_prose(line).is_some_and(|s| !self.is_known_name(&s.name))
    }
}
