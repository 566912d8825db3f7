//! The ontology files (`ontology/*.ttl`, compiled into the binary) read into typed tables: technologies and
//! organizations with their labels, categories, stance cues and the structural word lists.
//!
//! `ontology/` is the single source of every name and cue word; nothing here lists one. The tables are
//! built once per process and shared by every stage.

use crate::text;
use crate::vocab::{SKOS, TG};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Quad, Term};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use thiserror::Error;

/// The ontology files, in load order: (file name, Turtle text).
pub const SOURCES: [(&str, &str); 6] = [
    ("talkgraph.ttl", include_str!("../ontology/talkgraph.ttl")),
    ("technologies.ttl", include_str!("../ontology/technologies.ttl")),
    ("organizations.ttl", include_str!("../ontology/organizations.ttl")),
    ("cues.ttl", include_str!("../ontology/cues.ttl")),
    ("lexicon.ttl", include_str!("../ontology/lexicon.ttl")),
    ("names.ttl", include_str!("../ontology/names.ttl")),
];

/// The version of the built-in ontology: SHA-256 of its texts (cheap: no parsing).
pub fn version() -> String {
    let mut hasher = Sha256::new();
    for (_, ttl) in SOURCES {
        hasher.update(ttl.as_bytes());
    }
    format!("{:x}", hasher.finalize())
}

/// A failure to read the ontology.
#[derive(Debug, Error)]
pub enum OntologyError {
    /// A file is not valid Turtle.
    #[error("ontology/{file}: {message}")]
    Syntax { file: String, message: String },
    /// A concept lacks a required property.
    #[error("ontology/{file}: {subject} has no {property}")]
    Missing { file: String, subject: String, property: String },
}

/// A technology or organization of the vocabulary.
#[derive(Debug, Clone)]
pub struct Concept {
    /// The concept's IRI.
    pub iri: String,
    /// The canonical name (skos:prefLabel).
    pub pref_label: String,
    /// Labels matched case-insensitively (prefLabel, altLabel, hiddenLabel).
    pub labels: Vec<String>,
    /// The hiddenLabels among `labels`: misspellings, matched as written but never one more typo away.
    pub hidden: Vec<String>,
    /// Labels that are ordinary words: they count only in a technical context.
    pub ambiguous: Vec<String>,
    /// Labels that match only with exactly their letter case.
    pub exact: Vec<String>,
    /// The category IRI (technologies only).
    pub category: Option<String>,
}

/// The six stances an organization can take towards a technology.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stance {
    Uses,
    Adopted,
    MigratedFrom,
    Evaluated,
    Considering,
    Rejected,
}

impl Stance {
    /// All stances, in a fixed order.
    pub const ALL: [Stance; 6] =
        [Stance::Uses, Stance::Adopted, Stance::MigratedFrom, Stance::Evaluated, Stance::Considering, Stance::Rejected];

    /// The local name of the stance property in the talkgraph vocabulary.
    pub fn local_name(self) -> &'static str {
        match self {
            Stance::Uses => "uses",
            Stance::Adopted => "adopted",
            Stance::MigratedFrom => "migratedFrom",
            Stance::Evaluated => "evaluated",
            Stance::Considering => "considering",
            Stance::Rejected => "rejected",
        }
    }

    /// The name gold files use (`migrated_from` rather than `migratedFrom`).
    pub fn gold_name(self) -> &'static str {
        match self {
            Stance::MigratedFrom => "migrated_from",
            other => other.local_name(),
        }
    }

    /// The stance whose property has this local name.
    pub fn from_local_name(name: &str) -> Option<Stance> {
        Stance::ALL.into_iter().find(|s| s.local_name() == name)
    }
}

/// What a cue phrase signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// A stance towards the technologies the cue governs.
    Stance(Stance),
    /// A move: technologies after a source marker are left, the others adopted.
    Migration,
    /// Marks the technologies a migration leaves ("с", "from").
    Source,
    /// Marks the technologies a migration arrives at ("на", "to").
    Target,
    /// "X -> Y": X left, Y adopted.
    Transition,
    /// "X <-> Y": a two-way link, no move (masks the arrows inside it).
    Link,
    /// Ends a cue's reach inside a sentence ("но", "but").
    Break,
    /// A word that refers back to the technologies just named ("dropped it", "отказались от него"): a
    /// stance cue beside it, after a comma, has the last word on them.
    Anaphor,
    /// Names the technologies after it as examples or points of comparison, not as the stack
    /// ("such as", "compared to", "например"): they get no default stance.
    Example,
}

/// One cue phrase and what it signals.
#[derive(Debug, Clone)]
pub struct Cue {
    /// What the phrase signals.
    pub kind: CueKind,
    /// The phrase as written in `ontology/cues.ttl`.
    pub phrase: String,
    /// True for a cue that governs only what follows it, a preposition ("without", "без"): with nothing
    /// after it, it has no stance on what came before ("Kubernetes upgrades without tears").
    pub forward_only: bool,
}

/// Structural word lists from `ontology/lexicon.ttl`.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Headings that are sections, never talks ("Вопросы", "Q&A").
    pub section_headings: Vec<String>,
    /// Words that introduce a speaker ("Спикер", "Speaker", "by").
    pub speaker_markers: Vec<String>,
    /// Words that open a client case ("Кейс", "Case").
    pub case_markers: Vec<String>,
    /// Words between a person and their company in prose ("из", "from").
    pub affiliation_markers: Vec<String>,
    /// The kind of organization after such a word ("компании", "project"), read past to its name.
    pub affiliation_nouns: Vec<String>,
    /// Pronouns that stand for the person a paragraph opens with ("он", "she").
    pub speaker_pronouns: Vec<String>,
    /// Verbs of prose reports ("рассказал", "talked").
    pub talk_verbs: Vec<String>,
    /// Nouns followed by whose talk it was, in the genitive ("доклад Ивана Петрова").
    pub talk_nouns: Vec<String>,
    /// Short words inside a company's name ("of" in "Bank of America").
    pub organization_joiners: Vec<String>,
    /// Words job titles are made of.
    pub role_words: Vec<String>,
    /// Words that join role words into one title ("and", "по"), never a title by themselves.
    pub role_joiners: Vec<String>,
    /// Lower-case particles inside personal names ("von", "де").
    pub name_particles: Vec<String>,
    /// Words after which an ambiguous name counts as a technology ("на", "with").
    pub tech_prepositions: Vec<String>,
    /// Words after which a capitalised name is an organization ("компания", "client").
    pub org_markers: Vec<String>,
    /// Latin words that are ordinary English or IT jargon, never technology candidates.
    pub common_words: Vec<String>,
    /// Nouns and legal forms that make a name an organization's ("University", "Bank", "Inc", "ООО").
    pub org_head_words: Vec<String>,
    /// Words that join two names on a speaker line ("и", "and", "&").
    pub name_conjunctions: Vec<String>,
    /// How Russian surnames end in the nominative ("ов", "ский", "енко").
    pub surname_endings: Vec<String>,
    /// How a short Russian name ending in a consonant ends in the other singular cases ("а", "ом"): the
    /// organization case endings whose nominative side is empty.
    pub case_endings: Vec<String>,
    /// Words after which a head names its speakers ("by", "от").
    pub title_speaker_markers: Vec<String>,
    /// Words that join a speaker's name to a title ("with").
    pub title_speaker_joiners: Vec<String>,
    /// Words after which a head names the company whose story it is ("by", "from", "из").
    pub head_org_markers: Vec<String>,
    /// Articles dropped before a job title ("a", "the").
    pub articles: Vec<String>,
    /// Parts of links to recordings and slides ("youtu.be/", ".pdf)").
    pub recording_hosts: Vec<String>,
    /// First-person singular words: the note-taker speaking, not a company ("I", "мне").
    pub author_pronouns: Vec<String>,
    /// First-person plural words: a title in the company's voice ("we", "наш").
    pub company_pronouns: Vec<String>,
    /// Kinds of system ("storage", "прокси"): an unknown word defined as one is an in-house system.
    pub system_nouns: Vec<String>,
    /// YAML front matter keys: (field, key), e.g. ("organization", "company").
    pub front_matter_keys: Vec<(String, String)>,
    /// First names, lower case, by language ("ru", "en"): `ontology/names.ttl`.
    pub first_names: Vec<(String, Vec<String>)>,
    /// How a Russian first name's case forms end: (form ending, lemma ending), e.g. ("ой", "а").
    pub name_endings: Vec<(String, String)>,
    /// How Russian surnames end in the other cases: (form ending, nominative ending).
    pub surname_case_endings: Vec<(String, String)>,
    /// How Russian company names end in the other cases: (form ending, nominative ending).
    pub organization_case_endings: Vec<(String, String)>,
}

/// Everything `ontology/` defines, as tables.
#[derive(Debug, Clone)]
pub struct Ontology {
    /// The technology vocabulary.
    pub technologies: Vec<Concept>,
    /// The organization vocabulary.
    pub organizations: Vec<Concept>,
    /// Category IRI → English label.
    pub categories: BTreeMap<String, String>,
    /// Stance cues, markers and transition symbols.
    pub cues: Vec<Cue>,
    /// Structural word lists.
    pub lexicon: Lexicon,
    /// The quads of each ontology file, by file name (each loaded into its own graph of the store).
    pub files: Vec<(String, Vec<Quad>)>,
    /// SHA-256 of all ontology texts: changes whenever any file changes.
    pub version: String,
}

type Properties = BTreeMap<String, Vec<Term>>;

impl Ontology {
    /// Reads the ontology compiled into the binary.
    pub fn builtin() -> Result<Ontology, OntologyError> {
        Ontology::from_sources(&SOURCES)
    }

    /// Reads an ontology from (file name, Turtle text) pairs.
    pub fn from_sources(sources: &[(&str, &str)]) -> Result<Ontology, OntologyError> {
        let mut files = Vec::new();
        let mut hasher = Sha256::new();
        for (file, ttl) in sources {
            hasher.update(ttl.as_bytes());
            files.push((file.to_string(), parse_turtle(file, ttl)?));
        }
        let quads: Vec<Quad> = files.iter().flat_map(|(_, q)| q.iter().cloned()).collect();
        let subjects = group_by_subject(&quads);
        let mut ontology = Ontology {
            technologies: concepts_of_type(&subjects, &TG.iri("Technology"))?,
            organizations: concepts_of_type(&subjects, &TG.iri("Organization"))?,
            categories: categories(&subjects),
            cues: cues(&subjects),
            lexicon: lexicon(&subjects),
            files,
            version: format!("{:x}", hasher.finalize()),
        };
        ontology.technologies.sort_by(|a, b| a.iri.cmp(&b.iri));
        ontology.organizations.sort_by(|a, b| a.iri.cmp(&b.iri));
        Ok(ontology)
    }

    /// The technology with this IRI (the table is sorted by IRI).
    pub fn technology(&self, iri: &str) -> Option<&Concept> {
        self.technologies.binary_search_by(|c| c.iri.as_str().cmp(iri)).ok().map(|i| &self.technologies[i])
    }

    /// The organization with this IRI (the table is sorted by IRI).
    pub fn organization(&self, iri: &str) -> Option<&Concept> {
        self.organizations.binary_search_by(|c| c.iri.as_str().cmp(iri)).ok().map(|i| &self.organizations[i])
    }
}

/// "form ending>lemma ending" phrases as pairs ("ой>а" → ("ой", "а")).
fn ending_pairs(phrases: Vec<String>) -> Vec<(String, String)> {
    phrases
        .into_iter()
        .filter_map(|w| w.split_once('>').map(|(form, lemma)| (form.to_string(), lemma.to_string())))
        .collect()
}

fn parse_turtle(file: &str, ttl: &str) -> Result<Vec<Quad>, OntologyError> {
    RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(ttl.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| OntologyError::Syntax { file: file.to_string(), message: e.to_string() })
}

fn group_by_subject(quads: &[Quad]) -> BTreeMap<String, Properties> {
    let mut out: BTreeMap<String, Properties> = BTreeMap::new();
    for q in quads {
        let subject = match &q.subject {
            oxigraph::model::NamedOrBlankNode::NamedNode(n) => n.as_str().to_string(),
            other => other.to_string(),
        };
        out.entry(subject).or_default().entry(q.predicate.as_str().to_string()).or_default().push(q.object.clone());
    }
    out
}

fn literals(props: &Properties, predicate: &str) -> Vec<String> {
    props
        .get(predicate)
        .into_iter()
        .flatten()
        .filter_map(|t| match t {
            Term::Literal(l) => Some(l.value().to_string()),
            _ => None,
        })
        .collect()
}

fn iris(props: &Properties, predicate: &str) -> Vec<String> {
    props
        .get(predicate)
        .into_iter()
        .flatten()
        .filter_map(|t| match t {
            Term::NamedNode(n) => Some(n.as_str().to_string()),
            _ => None,
        })
        .collect()
}

fn subjects_of_type<'a>(
    subjects: &'a BTreeMap<String, Properties>,
    class: &'a str,
) -> impl Iterator<Item = (&'a String, &'a Properties)> + 'a {
    let rdf_type = oxigraph::model::vocab::rdf::TYPE.as_str();
    subjects.iter().filter(move |(_, p)| iris(p, rdf_type).iter().any(|t| t == class))
}

fn concepts_of_type(subjects: &BTreeMap<String, Properties>, class: &str) -> Result<Vec<Concept>, OntologyError> {
    subjects_of_type(subjects, class).map(|(iri, props)| concept(iri, props)).collect()
}

fn concept(iri: &str, props: &Properties) -> Result<Concept, OntologyError> {
    let pref = literals(props, &SKOS.iri("prefLabel"));
    let pref_label = pref.first().cloned().ok_or_else(|| OntologyError::Missing {
        file: "vocabulary".into(),
        subject: iri.to_string(),
        property: "skos:prefLabel".into(),
    })?;
    let mut labels = pref;
    labels.extend(literals(props, &SKOS.iri("altLabel")));
    let hidden = literals(props, &SKOS.iri("hiddenLabel"));
    labels.extend(hidden.iter().cloned());
    let ambiguous = literals(props, &TG.iri("ambiguousLabel"));
    labels.retain(|l| !ambiguous.iter().any(|a| text::normalize(a) == text::normalize(l)));
    Ok(Concept {
        iri: iri.to_string(),
        pref_label,
        labels,
        hidden,
        ambiguous,
        exact: literals(props, &TG.iri("exactLabel")),
        category: iris(props, &TG.iri("category")).into_iter().next(),
    })
}

fn categories(subjects: &BTreeMap<String, Properties>) -> BTreeMap<String, String> {
    let scheme = TG.iri("categories");
    subjects
        .iter()
        .filter(|(_, p)| iris(p, &SKOS.iri("inScheme")).contains(&scheme))
        .map(|(iri, p)| {
            let label = literals(&p.clone(), &SKOS.iri("prefLabel"));
            (iri.clone(), label.first().cloned().unwrap_or_default())
        })
        .collect()
}

fn cues(subjects: &BTreeMap<String, Properties>) -> Vec<Cue> {
    let phrase = TG.iri("phrase");
    let mut out = Vec::new();
    let fixed = [
        ("MigrationCue", CueKind::Migration),
        ("SourceMarker", CueKind::Source),
        ("TargetMarker", CueKind::Target),
        ("TransitionSymbol", CueKind::Transition),
        ("LinkSymbol", CueKind::Link),
        ("ClauseBreak", CueKind::Break),
        ("ExampleCue", CueKind::Example),
        ("Anaphor", CueKind::Anaphor),
    ];
    for (class, kind) in fixed {
        for (_, props) in subjects_of_type(subjects, &TG.iri(class)) {
            out.extend(literals(props, &phrase).into_iter().map(|p| Cue { kind, phrase: p, forward_only: false }));
        }
    }
    let forward_class = TG.iri("ForwardCue");
    for (_, props) in subjects_of_type(subjects, &TG.iri("StanceCue")) {
        let forward_only = iris(props, oxigraph::model::vocab::rdf::TYPE.as_str()).contains(&forward_class);
        let stance = iris(props, &TG.iri("stanceKind")).first().and_then(|i| Stance::from_local_name(TG.local(i)?));
        if let Some(stance) = stance {
            let kind = CueKind::Stance(stance);
            out.extend(literals(props, &phrase).into_iter().map(|p| Cue { kind, phrase: p, forward_only }));
        }
    }
    out
}

fn lexicon(subjects: &BTreeMap<String, Properties>) -> Lexicon {
    let words = |class: &str| -> Vec<String> {
        subjects_of_type(subjects, &TG.iri(class)).flat_map(|(_, p)| literals(p, &TG.iri("phrase"))).collect()
    };
    let organization_case_endings = ending_pairs(words("OrganizationCaseEnding"));
    Lexicon {
        section_headings: words("SectionHeading"),
        speaker_markers: words("SpeakerMarker"),
        case_markers: words("CaseMarker"),
        affiliation_markers: words("AffiliationMarker"),
        affiliation_nouns: words("AffiliationNoun"),
        speaker_pronouns: words("SpeakerPronoun"),
        talk_verbs: words("TalkVerb"),
        talk_nouns: words("TalkNoun"),
        organization_joiners: words("OrganizationJoiner"),
        role_words: words("RoleWord"),
        role_joiners: words("RoleJoiner"),
        name_particles: words("NameParticle"),
        tech_prepositions: words("TechPreposition"),
        common_words: words("CommonWord"),
        org_markers: words("OrgMarker"),
        org_head_words: words("OrgHeadWord"),
        name_conjunctions: words("NameConjunction"),
        surname_endings: words("SurnameEnding"),
        // A consonant-final name's endings are the organization endings that add to the whole name ("а>").
        case_endings: organization_case_endings
            .iter()
            .filter(|(_, lemma)| lemma.is_empty())
            .map(|(form, _)| form.clone())
            .collect(),
        title_speaker_markers: words("TitleSpeakerMarker"),
        title_speaker_joiners: words("TitleSpeakerJoiner"),
        head_org_markers: words("HeadOrgMarker"),
        articles: words("Article"),
        recording_hosts: words("RecordingHost"),
        author_pronouns: words("AuthorPronoun"),
        company_pronouns: words("CompanyPronoun"),
        system_nouns: words("SystemNoun"),
        first_names: subjects_of_type(subjects, &TG.iri("FirstNameList"))
            .map(|(_, p)| {
                let language = literals(p, &TG.iri("language")).into_iter().next().unwrap_or_default();
                let names = literals(p, &TG.iri("names"));
                (language, names.iter().flat_map(|n| n.split_whitespace()).map(str::to_string).collect())
            })
            .collect(),
        name_endings: ending_pairs(words("NameEnding")),
        surname_case_endings: ending_pairs(words("SurnameCaseEnding")),
        organization_case_endings,
        front_matter_keys: subjects_of_type(subjects, &TG.iri("FrontMatterKey"))
            .flat_map(|(_, p)| {
                let field = literals(p, &TG.iri("field")).into_iter().next().unwrap_or_default();
                literals(p, &TG.iri("phrase")).into_iter().map(move |k| (field.clone(), k))
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_ontology_loads_its_tables() {
        let o = Ontology::builtin().unwrap();
        assert!(o.technologies.len() >= 400, "{} technologies", o.technologies.len());
        assert!(o.organizations.len() >= 100);
        assert!(o.cues.iter().any(|c| c.kind == CueKind::Stance(Stance::Adopted)));
        assert!(o.cues.iter().any(|c| c.kind == CueKind::Transition));
        assert!(!o.lexicon.section_headings.is_empty());
        assert!(!o.lexicon.role_words.is_empty());
    }

    #[test]
    fn every_technology_has_a_declared_category() {
        let o = Ontology::builtin().unwrap();
        for t in &o.technologies {
            let cat = t.category.as_ref().unwrap_or_else(|| panic!("{} has no category", t.iri));
            assert!(o.categories.contains_key(cat), "{} has undeclared {cat}", t.iri);
        }
    }

    #[test]
    fn no_label_names_two_technologies() {
        let o = Ontology::builtin().unwrap();
        let mut seen = BTreeMap::new();
        for t in &o.technologies {
            for l in &t.labels {
                let key = text::compact_key(&l.replace('+', "plus").replace('#', "sharp"));
                if let Some(other) = seen.insert(key.clone(), t.iri.clone()) {
                    assert_eq!(other, t.iri, "label {l:?} names two technologies");
                }
            }
        }
    }

    /// Every class and property of the talkgraph namespace this module reads (`TG.iri("…")`, a lexicon
    /// word list `words("…")`, a cue class `("…", CueKind::…)`) is declared in `ontology/talkgraph.ttl`.
    #[test]
    fn every_term_read_is_declared_in_the_vocabulary() {
        let code = include_str!("ontology.rs");
        let code = &code[..code.find("#[cfg(test)]").unwrap()];
        let mut read = std::collections::BTreeSet::new();
        for opener in ["TG.iri(\"", "words(\"", "(\""] {
            for (at, _) in code.match_indices(opener) {
                let rest = &code[at + opener.len()..];
                let name = &rest[..rest.find('"').unwrap()];
                let is_cue = opener != "(\"" || rest[name.len()..].starts_with("\", CueKind");
                if is_cue && !name.is_empty() && name.chars().all(char::is_alphanumeric) {
                    read.insert(name.to_string());
                }
            }
        }
        assert!(read.len() >= 20, "found only {read:?}");
        let vocabulary = parse_turtle("talkgraph.ttl", SOURCES[0].1).unwrap();
        let declared: std::collections::BTreeSet<String> = vocabulary
            .iter()
            .filter_map(|q| TG.local(q.subject.to_string().trim_matches(['<', '>'])).map(str::to_string))
            .collect();
        let missing: Vec<&String> = read.iter().filter(|n| !declared.contains(*n)).collect();
        assert!(missing.is_empty(), "read but not declared in ontology/talkgraph.ttl: {missing:?}");
    }

    #[test]
    fn stance_names_round_trip() {
        for s in Stance::ALL {
            assert_eq!(Stance::from_local_name(s.local_name()), Some(s));
        }
        assert_eq!(Stance::MigratedFrom.gold_name(), "migrated_from");
    }
}
