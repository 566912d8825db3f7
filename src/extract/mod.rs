//! Extraction: a [`NoteDocument`] in, an [`Extraction`] out — speakers from the speaker line, technology
//! and organization mentions from the dictionary, and the stance of the organization whose story a line
//! tells towards each technology it names, with the verbatim sentence as evidence.
//!
//! The [`Extractor`] is built once from the ontology (automata, phrase sets) and is shared read-only by
//! all files, so extraction runs in parallel over files.

mod candidates;
mod dictionary;
pub mod facts;
pub mod names;
mod organizations;
mod phrases;
mod spans;
mod speakers;
mod stances;
mod systems;
mod talk;

use crate::document::{KeyFields, NoteDocument, TalkRules};
use crate::ontology::{CueKind, Ontology};
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
    org_markers: PhraseSet<()>,
    org_heads: PhraseSet<()>,
    /// " by ", " из ", …: the words after which a head names its company, spaced for matching.
    head_org_markers: Vec<String>,
    organizations: organizations::OrgIndex,
    front_matter_keys: std::collections::HashMap<String, String>,
    candidates: candidates::CandidateRules,
    systems: systems::SystemRules,
    author_voice: talk::Voice,
    company_voice: talk::Voice,
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
            org_markers: set(&ontology.lexicon.org_markers),
            org_heads: set(&ontology.lexicon.org_head_words),
            head_org_markers: ontology.lexicon.head_org_markers.iter().map(|w| format!(" {w} ")).collect(),
            organizations: organizations::OrgIndex::new(&ontology),
            candidates: candidates::CandidateRules::new(&ontology.lexicon.common_words),
            systems: systems::SystemRules::new(
                &ontology.lexicon.system_nouns,
                &ontology.lexicon.common_words,
                &ontology
                    .cues
                    .iter()
                    .filter(|c| c.kind == CueKind::Example)
                    .map(|c| c.phrase.clone())
                    .collect::<Vec<_>>(),
            ),
            author_voice: talk::Voice::new(&ontology.lexicon.author_pronouns),
            company_voice: talk::Voice::new(&ontology.lexicon.company_pronouns),
            front_matter_keys: ontology
                .lexicon
                .front_matter_keys
                .iter()
                .map(|(field, key)| (crate::text::normalize(key), field.clone()))
                .collect(),
            ontology,
        }
    }

    /// The ontology the extractor was built from.
    pub fn ontology(&self) -> &Ontology {
        &self.ontology
    }

    /// Reads the facts of one parsed notes file.
    pub fn extract(&self, doc: &NoteDocument) -> Extraction {
        let mut talks = Vec::new();
        let diagnostics = self.extract_talks(doc, &mut |talk| talks.push(talk));
        let (event, event_date) = self.event(doc);
        Extraction { path: doc.path.clone(), event, event_date, talks, diagnostics }
    }

    /// The event (conference) a file's notes are of, and its date: the front matter's, else the
    /// document title.
    pub fn event(&self, doc: &NoteDocument) -> (Option<String>, Option<String>) {
        let event =
            doc.front_matter.as_ref().and_then(|f| f.event.clone()).or(doc.title.as_ref().map(|h| h.text.clone()));
        let event_date = doc.front_matter.as_ref().and_then(|f| f.date.clone());
        (event, event_date)
    }

    /// Reads the talks of one parsed notes file and hands each to `each` as soon as it is read, in order,
    /// so that a huge file's facts are never all held at once. Returns the diagnostics.
    pub fn extract_talks(&self, doc: &NoteDocument, each: &mut dyn FnMut(TalkFacts)) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        // The talks a front matter lists: (title key, title, speakers), and where each key is listed.
        let listed: Vec<(Option<String>, Option<String>, Vec<Speaker>)> = doc
            .front_matter
            .iter()
            .flat_map(|fm| &fm.talks)
            .map(|ft| {
                (ft.title.as_deref().map(crate::text::compact_key), ft.title.clone(), self.front_matter_speakers(ft))
            })
            .collect();
        let mut listed_at: rustc_hash::FxHashMap<Option<&str>, Vec<usize>> = rustc_hash::FxHashMap::default();
        for (i, (key, _, _)) in listed.iter().enumerate() {
            listed_at.entry(key.as_deref()).or_default().push(i);
        }
        let listed_for = |title: Option<&str>| {
            let key = title.map(crate::text::compact_key)?;
            listed_at.get(&Some(key.as_str())).map(|at| listed[at[0]].2.clone())
        };
        // Which listed talks the notes hold, by title key (a listed talk without title is present when any
        // talk has none); those they lack are added from the front matter, in order.
        let mut present = vec![false; listed.len()];
        let mark = |present: &mut Vec<bool>, title: Option<&str>| {
            let key = title.map(crate::text::compact_key);
            listed_at.get(&key.as_deref()).into_iter().flatten().for_each(|&i| present[i] = true);
        };
        let mut count = 0;
        // A one-talk file whose front matter names its talk ("title:", "speaker:" at the top): the file's
        // talk is that one, whatever its body's headings say.
        let one_talk = listed.len() == 1 && matches!(&doc.talks[..], [t] if t.unit == crate::document::Structure::File);
        for t in &doc.talks {
            let known = match one_talk {
                true => listed[0].2.clone(),
                false => listed_for(t.heading.as_ref().map(|h| h.text.as_str())).unwrap_or_default(),
            };
            let Some(mut facts) = talk::extract_talk(self, doc, t, known, &mut diagnostics) else { continue };
            if one_talk {
                facts.title = facts.title.or_else(|| listed[0].1.clone());
                present[0] = true;
            }
            if !listed.is_empty() {
                mark(&mut present, facts.title.as_deref());
            }
            count += 1;
            each(facts);
        }
        for (i, (key, _, speakers)) in listed.iter().enumerate() {
            if present[i] {
                continue;
            }
            // The title as first listed under this key (a key is made from a title, so that one has it).
            let title = key.as_deref().and_then(|k| listed[listed_at[&Some(k)][0]].1.clone());
            mark(&mut present, title.as_deref());
            count += 1;
            each(TalkFacts { title, line: 1, speakers: speakers.clone(), ..TalkFacts::default() });
        }
        if count == 0 {
            diagnostics.push(Diagnostic { path: doc.path.clone(), line: 1, message: "no talks found".into() });
        }
        diagnostics
    }

    /// The speakers a front matter talk lists, as speakers.
    fn front_matter_speakers(&self, ft: &crate::document::FrontTalk) -> Vec<Speaker> {
        ft.speakers
            .iter()
            .flat_map(|(name, role, org)| {
                // "speaker: Nora Klein, Adyen" gives the company inside the value.
                let parsed = org.is_none() && role.is_none();
                match self.speakers.parse(name).filter(|s| parsed && s.len() == 1 && self.are_people(s)) {
                    Some(found) => found.into_iter().map(|s| (s.name, s.role, s.organization)).collect(),
                    None => vec![(name.clone(), role.clone(), org.clone())],
                }
            })
            .map(|(name, role, org)| Speaker {
                organization: org.as_deref().map(|o| self.organizations.resolve(o, &self.ontology, &self.dictionary)),
                organization_as_written: org.clone(),
                name,
                role,
                line: 1,
            })
            .collect()
    }

    /// True when a speaker-line "name" is really a technology or organization name, or contains a
    /// technology ("Рассматривали Nomad").
    fn is_known_name(&self, name: &str) -> bool {
        let hits = self.dictionary.scan(name);
        hits.iter().any(|h| h.kind == Kind::Technology || h.span.len() * 2 >= name.trim().len())
    }

    /// True when parsed speakers are people: no "name" is a technology or organization, and no
    /// "company" is a technology ("Анна Орлова — FastAPI в проде" is a speaker and a title).
    fn are_people(&self, speakers: &[speakers::SpeakerLine]) -> bool {
        let phrase = |o: &String| o.split_whitespace().any(|w| w.starts_with(char::is_lowercase));
        let tech_org = |o: &String| phrase(o) && self.dictionary.scan(o).iter().any(|h| h.kind == Kind::Technology);
        speakers.iter().all(|s| !self.is_known_name(&s.name) && !s.organization.as_ref().is_some_and(tech_org))
    }
}

impl KeyFields for Extractor {
    fn field_of(&self, key: &str) -> Option<&str> {
        self.front_matter_keys.get(&crate::text::normalize(key.trim())).map(String::as_str)
    }
}

impl TalkRules for Extractor {
    fn is_section_heading(&self, title: &str) -> bool {
        let trimmed =
            title.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_whitespace() || c.is_ascii_punctuation());
        self.sections.is_whole(title) || self.sections.is_whole(trimmed)
    }

    fn speaker_line(&self, line: &str) -> Option<Vec<speakers::SpeakerLine>> {
        self.speakers.parse(line).filter(|s| self.are_people(s))
    }

    fn heading_has_speaker(&self, title: &str) -> bool {
        talk::speaker_in_heading(self, title).is_some()
    }

    fn is_prose_speaker(&self, line: &str) -> bool {
        // A prose speaker line names a person: two capitalised words in a row, checked before any parsing.
        let capitalised =
            |w: &&str| w.trim_start_matches(['*', '_', '[', '"', '«']).chars().next().is_some_and(char::is_uppercase);
        let words: Vec<&str> = line.split_whitespace().take(24).collect();
        let has_name_shape = words.windows(2).any(|p| capitalised(&p[0]) && capitalised(&p[1]));
        has_name_shape && self.speakers.parse_prose(line).is_some_and(|s| !self.is_known_name(&s.name))
    }

    fn links_to_recording(&self, line: &str) -> bool {
        let lower = line.to_lowercase();
        self.ontology.lexicon.recording_hosts.iter().any(|host| lower.contains(host.as_str()))
    }
}
