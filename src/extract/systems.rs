//! In-house systems defined where they are named: "Delos - storage for the control plane", "venice --> key
//! value store", "Sandcastle for build and test", "Conveyor, compared to Jenkins". A word the vocabulary does
//! not know opens the line and what follows defines it as a kind of system (a system noun of
//! `ontology/lexicon.ttl`, tg:SystemNoun) or sets it beside a known technology (an example cue): the notes
//! themselves say it is a technology. Such a term enters the graph as a technology marked as a candidate.

use super::phrases::{PhraseSet, Token};
use crate::text;
use rustc_hash::FxHashSet as HashSet;
use std::ops::Range;

/// How many words of a definition may come before the system noun that makes it one ("a lsm key value
/// store": the noun starts at the third).
const DEFINITION_REACH: usize = 3;

/// The system nouns and the words that can never be a system's name, compiled.
pub struct SystemRules {
    nouns: PhraseSet<()>,
    examples: PhraseSet<()>,
    common: HashSet<String>,
}

/// What a line's first word is followed by.
enum Follower {
    /// "X - …", "X: …", "X --> …", "X, …": a definition.
    Definition(usize),
    /// "X for …", "X at Y for …": a purpose.
    Purpose(usize),
}

impl SystemRules {
    /// Compiles the lexicon's system nouns and common words and the example cues ("compared to").
    pub fn new(system_nouns: &[String], common_words: &[String], example_cues: &[String]) -> SystemRules {
        SystemRules {
            nouns: PhraseSet::new(system_nouns.iter().map(|n| (n.clone(), ()))),
            examples: PhraseSet::new(example_cues.iter().map(|n| (n.clone(), ()))),
            common: common_words.iter().chain(system_nouns).map(|w| text::normalize(w)).collect(),
        }
    }

    /// The span of the system a line defines, if it defines one. `toks` are the line's tokens, `taken` the
    /// spans already read as vocabulary names, `techs` those of technologies.
    pub fn defined(
        &self,
        line: &str,
        toks: &[Token],
        taken: &[Range<usize>],
        techs: &[Range<usize>],
    ) -> Option<Range<usize>> {
        let first = toks.first()?;
        let term = &line[first.span.clone()];
        let lead = &line[..first.span.start];
        if !lead.chars().all(|c| !c.is_alphanumeric()) || !self.is_name(term) {
            return None;
        }
        if taken.iter().any(|t| t.start < first.span.end && first.span.start < t.end) {
            return None;
        }
        // "Entrypoints - nginx + cache", "Before: Amazon SQS queues": a slot filled by a known technology.
        let tech_before = |i: usize| techs.iter().any(|t| t.start < toks[i].span.start);
        let defines = match self.follower(line, toks)? {
            Follower::Definition(at) => {
                self.noun_within(toks, at).is_some_and(|i| !tech_before(i))
                    || self.examples.match_at(toks, at).is_some()
                        && techs.iter().any(|t| t.start >= toks[at].span.start)
            }
            // A purpose names a system only when written as a name ("Sandcastle for build").
            Follower::Purpose(at) => {
                term.starts_with(|c: char| c.is_ascii_uppercase()) && self.noun_within(toks, at).is_some()
            }
        };
        defines.then(|| first.span.clone())
    }

    /// A word that can name a system: Latin letters (with digits, `-`, `_`, `.`), three to thirty long, not a
    /// common word or a system noun itself.
    fn is_name(&self, term: &str) -> bool {
        (3..=30).contains(&term.len())
            && term.is_ascii()
            && term.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && term.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && !self.common.contains(&text::normalize(term))
    }

    /// What follows the first word: the token index where its definition or purpose starts.
    fn follower(&self, line: &str, toks: &[Token]) -> Option<Follower> {
        let second = toks.get(1)?;
        let gap = line[toks[0].span.end..second.span.start].trim();
        let gap = gap.trim_start_matches(['*', '`', '_']).trim();
        if gap.starts_with(['-', '—', '–', ':', '=', ',']) {
            return Some(Follower::Definition(1));
        }
        if !gap.is_empty() {
            return None;
        }
        let word = |i: usize| toks.get(i).map(|t| text::normalize(&line[t.span.clone()]));
        match word(1).as_deref() {
            Some("for" | "для") => Some(Follower::Purpose(2)),
            Some("at" | "в") if matches!(word(3).as_deref(), Some("for" | "для")) => Some(Follower::Purpose(4)),
            _ => None,
        }
    }

    /// The token where a system noun starts within the first words of the definition starting at `at`.
    fn noun_within(&self, toks: &[Token], at: usize) -> Option<usize> {
        (at..toks.len().min(at + DEFINITION_REACH)).find(|&i| self.nouns.match_at(toks, i).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::super::phrases::tokens;
    use super::*;

    fn rules() -> SystemRules {
        let nouns: Vec<String> =
            ["store", "storage", "key value store", "build", "tracing", "хранилище"].map(String::from).to_vec();
        SystemRules::new(&nouns, &["the".to_string(), "ability".to_string()], &["compared to".to_string()])
    }

    fn defined(line: &str) -> Option<&str> {
        rules().defined(line, &tokens(line, 0), &[], &[]).map(|r| &line[r])
    }

    #[test]
    fn definitions_and_purposes_name_systems() {
        assert_eq!(defined("Delos - storage for the control plane"), Some("Delos"));
        assert_eq!(defined("venice --->key value store with scoring"), Some("venice"));
        assert_eq!(defined("**Accordion**: a lsm key value store"), Some("Accordion"));
        assert_eq!(defined("Sandcastle for build, integrate and test"), Some("Sandcastle"));
        assert_eq!(defined("Canopy at acme for tracing"), Some("Canopy"));
        assert_eq!(defined("Ydbx — хранилище метрик"), Some("Ydbx"));
    }

    #[test]
    fn a_slot_filled_by_a_known_technology_is_not_a_system() {
        let line = "Entrypoints - nginx + cache";
        let at = line.find("nginx").unwrap();
        let nginx = std::slice::from_ref(&(at..at + 5)).to_owned();
        assert_eq!(rules().defined(line, &tokens(line, 0), &nginx, &nginx), None);
    }

    #[test]
    fn other_lines_name_nothing() {
        assert_eq!(defined("Ability for a server to be managed"), None);
        assert_eq!(defined("allow for persistent storage replicas"), None);
        assert_eq!(defined("the storage - it is slow"), None);
        assert_eq!(defined("Storage - key value store"), None);
        assert_eq!(defined("Lessons - we learned a lot"), None);
        assert_eq!(defined("Мы - хранилище"), None);
    }

    #[test]
    fn a_peer_of_a_known_technology_is_a_system() {
        let line = "Conveyor, compared to jenkins and spinnaker";
        let toks = tokens(line, 0);
        let jenkins = line.find("jenkins").unwrap();
        let known = std::slice::from_ref(&(jenkins..jenkins + 7)).to_owned();
        let found = rules().defined(line, &toks, &[], &known);
        assert_eq!(found.map(|r| &line[r]), Some("Conveyor"));
    }
}
