//! Technology candidates: terms that look like technologies but are not in the vocabulary, so a user can
//! grow `ontology/technologies.ttl`. A Latin term counts when its shape says "name of a thing" —
//! an inner capital (ProtonOS), letters with digits (log4j, pgpool-2), letters joined by `-`, `_` or `.`
//! (kube-router, postgres_exporter) — or when it stands alone amid Russian words; ordinary English and IT
//! jargon (`ontology/lexicon.ttl`, tg:CommonWord) never counts.

use crate::text;
use rustc_hash::FxHashSet as HashSet;
use std::ops::Range;

/// The common-word list, compiled.
pub struct CandidateRules {
    common: HashSet<String>,
}

impl CandidateRules {
    /// Compiles the lexicon's common words.
    pub fn new(common_words: &[String]) -> CandidateRules {
        CandidateRules { common: common_words.iter().map(|w| text::normalize(w)).collect() }
    }

    /// Candidate terms of a line, outside the given spans (dictionary hits, names, URLs).
    pub fn find(&self, line: &str, taken: &[Range<usize>]) -> Vec<Range<usize>> {
        let russian = line.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        let words = text::words(line);
        let taken = super::spans::SpanSet::new(taken.iter().cloned());
        let mut out = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let term = &line[w.span.clone()];
            let free = !taken.overlaps(&w.span);
            if !free || !term.chars().any(|c| c.is_ascii_alphabetic()) || !term.is_ascii() || term.len() < 3 {
                continue;
            }
            if self.common.contains(&text::normalize(term)) || looks_like_version(term) {
                continue;
            }
            let latin = |j: Option<usize>| {
                j.and_then(|j| words.get(j))
                    .is_some_and(|n| line[n.span.clone()].chars().any(|c| c.is_ascii_alphabetic()))
            };
            let lone = russian && !latin(i.checked_sub(1)) && !latin(Some(i + 1));
            if has_name_shape(term) || lone {
                out.push(w.span.clone());
            }
        }
        out
    }
}

/// Inner capital, digits with letters, or letters joined by `-`, `_`, `.`.
fn has_name_shape(term: &str) -> bool {
    let inner_capital =
        term.chars().skip(1).any(|c| c.is_ascii_uppercase()) && term.chars().any(|c| c.is_ascii_lowercase());
    let digits =
        term.chars().any(|c| c.is_ascii_digit()) && term.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 2;
    let joined = term.contains(['-', '_', '.']);
    inner_capital || digits || joined
}

/// "9.x", "v2", "1.5k": versions and quantities, not names.
fn looks_like_version(term: &str) -> bool {
    let letters = term.chars().filter(|c| c.is_ascii_alphabetic()).count();
    letters <= 1 || (term.starts_with(['v', 'V']) && term[1..].chars().all(|c| c.is_ascii_digit() || c == '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(line: &str) -> Vec<&str> {
        let rules = CandidateRules::new(&["deploy".to_string(), "the".to_string()]);
        rules.find(line, &[]).into_iter().map(|r| &line[r]).collect()
    }

    #[test]
    fn shapes_and_lone_latin_words() {
        assert_eq!(
            find("поставили kube-router и ProtonOS, deploy через werf"),
            vec!["kube-router", "ProtonOS", "werf"]
        );
        assert_eq!(find("We use the ProtonOS thing and log4j"), vec!["ProtonOS", "log4j"]);
        assert!(find("версия 9.x и v2").is_empty());
    }
}
