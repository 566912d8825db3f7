//! The name dictionary: every technology and organization label of the ontology compiled once into
//! Aho-Corasick automata, and the scan that finds them in a line of notes.
//!
//! Labels match case-insensitively at word boundaries. A word that runs on past a label matches when both
//! stem alike ("Кафку" ~ "кафка", "exporters" ~ "exporter"), which is how inflected names are found
//! without lists of endings. Exact labels ("DO") match only with their own letter case; ambiguous labels
//! ("Go", "марафон") only in a technical context: a Latin word inside Russian text, the label's own
//! capitalisation in running text, or next to another technology in a list. Long Latin words one typo away
//! from a label (a deletion, insertion, substitution or swap) match too.

use super::spans::SpanSet;
use crate::ontology::{Concept, Ontology};
use crate::text;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

/// Which vocabulary a concept comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// `ontology/technologies.ttl`.
    Technology,
    /// `ontology/organizations.ttl`.
    Organization,
}

/// A dictionary hit in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Technology or organization.
    pub kind: Kind,
    /// Index of the concept in its ontology table.
    pub concept: usize,
    /// Byte range of the surface form in the scanned text.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Copy)]
struct Pattern {
    kind: Kind,
    concept: usize,
    ambiguous: bool,
    /// The pattern is a stem: the word at the hit must stem to `stem_of`.
    stemmed: bool,
}

/// The compiled dictionary.
pub struct Dictionary {
    folded: AhoCorasick,
    folded_patterns: Vec<(Pattern, String)>,
    exact: AhoCorasick,
    exact_patterns: Vec<Pattern>,
    fuzzy: HashMap<String, (Kind, usize, String)>,
    prepositions: Vec<String>,
    /// Case endings a short Cyrillic organization name takes ("Сбер" → "Сбера").
    case_endings: Vec<String>,
}

/// Labels shorter than this never extend into a longer word.
const MIN_EXTENDABLE: usize = 4;
/// Cyrillic labels shorter than this are matched as written, never by stem.
const MIN_STEMMED: usize = 5;
/// Words shorter than this are never matched by typo tolerance.
const MIN_FUZZY: usize = 7;

impl Dictionary {
    /// Compiles the labels of the ontology.
    pub fn new(ontology: &Ontology) -> Dictionary {
        let mut folded: Vec<(String, Pattern, String)> = Vec::new();
        let mut exact: Vec<(String, Pattern)> = Vec::new();
        let mut fuzzy = HashMap::default();
        let tables = [(Kind::Technology, &ontology.technologies), (Kind::Organization, &ontology.organizations)];
        for (kind, concepts) in tables {
            for (i, c) in concepts.iter().enumerate() {
                add_concept(kind, i, c, &mut folded, &mut exact, &mut fuzzy);
            }
        }
        folded.sort_by(|a, b| a.0.cmp(&b.0));
        folded.dedup_by(|a, b| a.0 == b.0);
        let build = |pats: Vec<&String>| {
            AhoCorasickBuilder::new()
                .kind(Some(AhoCorasickKind::DFA))
                .match_kind(MatchKind::LeftmostLongest)
                .build(pats)
                .expect("dictionary patterns compile")
        };
        Dictionary {
            folded: build(folded.iter().map(|p| &p.0).collect()),
            folded_patterns: folded.iter().map(|p| (p.1, p.2.clone())).collect(),
            exact: build(exact.iter().map(|p| &p.0).collect()),
            exact_patterns: exact.iter().map(|p| p.1).collect(),
            fuzzy,
            prepositions: ontology.lexicon.tech_prepositions.iter().map(|p| text::normalize(p)).collect(),
            case_endings: ontology.lexicon.case_endings.iter().map(|e| text::normalize(e)).collect(),
        }
    }

    /// Every dictionary hit in a text, left to right, without overlaps.
    pub fn scan(&self, text: &str) -> Vec<Hit> {
        let folded = fold_same_len(text);
        let mut hits: Vec<(Hit, bool)> = Vec::new();
        for m in self.folded.find_iter(&folded) {
            let (pattern, stem_of) = &self.folded_patterns[m.pattern().as_usize()];
            let span = accept(&folded, m.start()..m.end(), pattern.stemmed, stem_of)
                .or_else(|| self.inflected_short_name(text, &folded, m.start()..m.end(), pattern));
            if let Some(span) = span {
                hits.push((Hit { kind: pattern.kind, concept: pattern.concept, span }, pattern.ambiguous));
            }
        }
        // Exact matches never overlap one another (a leftmost, non-overlapping search), nor the typo-tolerant
        // words one another, so each is checked against what the earlier searches found.
        let folded_hits = SpanSet::new(hits.iter().map(|(h, _)| h.span.clone()));
        for m in self.exact.find_iter(text) {
            let p = self.exact_patterns[m.pattern().as_usize()];
            let span = Some(m.start()..m.end())
                .filter(|s| at_word_bounds(text, s.clone()))
                .or_else(|| self.inflected_short_name(text, &folded, m.start()..m.end(), &p));
            if let Some(span) = span.filter(|s| !folded_hits.overlaps(s)) {
                hits.push((Hit { kind: p.kind, concept: p.concept, span }, false));
            }
        }
        self.add_fuzzy(&folded, &mut hits);
        hits.sort_by_key(|(h, _)| h.span.start);
        if hits.iter().all(|(_, ambiguous)| !ambiguous) {
            return hits.into_iter().map(|(h, _)| h).collect();
        }
        let line =
            LineContext::new(text, hits.iter().filter(|(h, a)| !a && h.kind == Kind::Technology).map(|(h, _)| h));
        hits.into_iter()
            .filter(|(h, ambiguous)| !ambiguous || self.technical_context(&line, &h.span))
            .map(|(h, _)| h)
            .collect()
    }

    /// A short Cyrillic organization name ending in a consonant, in another case ("из Сбера", "в Озоне"):
    /// the word runs on past the label by one of the lexicon's case endings, and is capitalised as names
    /// are. Longer names are found by their stem (see [`accept`]).
    fn inflected_short_name(&self, text: &str, folded: &str, span: Range<usize>, p: &Pattern) -> Option<Range<usize>> {
        let label = &folded[span.clone()];
        let short = text::is_cyrillic(label) && label.chars().count() < MIN_STEMMED && !label.contains(' ');
        let consonant = label.chars().next_back().is_some_and(|c| !"аеёиоуыэюяйь".contains(c));
        let capitalised = text[span.start..].chars().next().is_some_and(char::is_uppercase);
        if p.kind != Kind::Organization
            || !short
            || !consonant
            || !capitalised
            || is_word_byte_char(folded, span.start, true)
        {
            return None;
        }
        let rest = &folded[span.end..];
        let end = rest.find(|c: char| !text::is_word_char(c)).map_or(folded.len(), |i| span.end + i);
        self.case_endings.iter().any(|e| e == &folded[span.end..end]).then_some(span.start..end)
    }

    fn add_fuzzy(&self, folded: &str, hits: &mut Vec<(Hit, bool)>) {
        let taken = SpanSet::new(hits.iter().map(|(h, _)| h.span.clone()));
        for w in text::words(folded) {
            let word = &folded[w.span.clone()];
            if word.chars().count() < MIN_FUZZY || !word.is_ascii() || taken.overlaps(&w.span) {
                continue;
            }
            let key = text::compact_key(word);
            let found = std::iter::once(key.clone())
                .chain(deletions(&key))
                .filter_map(|k| self.fuzzy.get(&k))
                .find(|(_, _, label)| same_ends(label, &key) && strsim::osa_distance(label, &key) <= 1);
            if let Some((kind, concept, _)) = found {
                hits.push((Hit { kind: *kind, concept: *concept, span: w.span }, false));
            }
        }
    }
}

impl Dictionary {
    /// An ambiguous label counts as a technology only in a technical context: right after a technical
    /// preposition ("на go", "written in Go"), written with a capital inside running text, or next to
    /// another technology in a list.
    fn technical_context(&self, line: &LineContext<'_>, span: &Range<usize>) -> bool {
        let text = line.text;
        let surface = &text[span.clone()];
        let before = text[..span.start].trim_end();
        let previous_word = before.rsplit(|c: char| !text::is_word_char(c)).next().unwrap_or("");
        let after_preposition = self.prepositions.iter().any(|p| *p == text::normalize(previous_word));
        // Inside running text: a word of the sentence stands before it ("3/ Next: …" opens a sentence).
        let sentence_before = before.rsplit(['.', '!', '?', ':']).next().unwrap_or("");
        let capitalised_inside = surface.chars().next().is_some_and(char::is_uppercase)
            && !text::is_cyrillic(surface)
            && sentence_before.chars().any(char::is_alphabetic)
            && before.chars().next_back().is_some_and(|c| !matches!(c, '-' | '*'));
        after_preposition || capitalised_inside || line.lone_latin_in_russian(span) || line.next_to_technology(span)
    }
}

/// True when a typo-tolerant match keeps the label's first two and last two letters (typos sit inside a
/// word; a different ending is another word: "container" is not "containerd").
fn same_ends(label: &str, word: &str) -> bool {
    let ends = |s: &str| {
        let chars: Vec<char> = s.chars().collect();
        (chars.iter().take(2).collect::<String>(), chars.iter().rev().take(2).collect::<String>())
    };
    ends(label) == ends(word)
}

fn add_concept(
    kind: Kind,
    concept: usize,
    c: &Concept,
    folded: &mut Vec<(String, Pattern, String)>,
    exact: &mut Vec<(String, Pattern)>,
    fuzzy: &mut HashMap<String, (Kind, usize, String)>,
) {
    let plain = Pattern { kind, concept, ambiguous: false, stemmed: false };
    for (label, ambiguous) in c.labels.iter().map(|l| (l, false)).chain(c.ambiguous.iter().map(|l| (l, true))) {
        let norm = fold_same_len(label.trim());
        if norm.chars().count() < 2 {
            continue;
        }
        let pattern = Pattern { ambiguous, ..plain };
        folded.push((norm.clone(), pattern, String::new()));
        if let Some(stem_pattern) = stem_prefix(&norm) {
            folded.push((stem_pattern, Pattern { stemmed: true, ..pattern }, norm.clone()));
        }
        // A misspelling (hiddenLabel) is matched as written, never one more typo away ("traefic" is
        // one edit from "traffic", two from "traefik").
        let misspelling = c.hidden.iter().any(|h| h == label);
        if !ambiguous && !misspelling && norm.is_ascii() && norm.len() >= MIN_FUZZY {
            let key = text::compact_key(&norm);
            for k in std::iter::once(key.clone()).chain(deletions(&key)) {
                fuzzy.entry(k).or_insert_with(|| (kind, concept, key.clone()));
            }
        }
    }
    for label in &c.exact {
        exact.push((label.trim().to_string(), plain));
    }
}

/// For a label whose last word is Cyrillic, the label cut at the stem of that word ("кафка" → "кафк"),
/// so that inflected forms ("кафку") are found and then checked by stem.
fn stem_prefix(label: &str) -> Option<String> {
    let last = text::words(label).pop()?;
    let word = &label[last.span.clone()];
    if !text::is_cyrillic(word) || word.chars().count() < MIN_STEMMED {
        return None;
    }
    let stem = text::stem(word);
    (stem.len() < word.len() && word.starts_with(&stem)).then(|| format!("{}{}", &label[..last.span.start], stem))
}

/// Lower case and ё→е, char by char, keeping every char's byte length so offsets stay valid.
pub fn fold_same_len(text: &str) -> String {
    text.chars()
        .map(|c| {
            if let Some(l) = text::fast_lower(c) {
                return l;
            }
            let lower = c.to_lowercase().next().unwrap_or(c);
            if lower.len_utf8() == c.len_utf8() && c.to_lowercase().count() == 1 { lower } else { c }
        })
        .collect()
}

fn is_word_byte_char(text: &str, at: usize, before: bool) -> bool {
    let c = if before { text[..at].chars().next_back() } else { text[at..].chars().next() };
    c.is_some_and(text::is_word_char)
}

fn at_word_bounds(text: &str, span: Range<usize>) -> bool {
    !is_word_byte_char(text, span.start, true) && !is_word_byte_char(text, span.end, false)
}

/// Checks word boundaries, extending into a longer word when it stems like the label.
fn accept(folded: &str, span: Range<usize>, stemmed: bool, stem_of: &str) -> Option<Range<usize>> {
    if is_word_byte_char(folded, span.start, true) {
        return None;
    }
    if !stemmed && !is_word_byte_char(folded, span.end, false) {
        return Some(span);
    }
    let word_start = folded[..span.end].rfind(|c: char| !text::is_word_char(c)).map_or(0, |i| i + 1);
    let word_end = folded[span.end..].find(|c: char| !text::is_word_char(c)).map_or(folded.len(), |i| span.end + i);
    let word = &folded[word_start.max(span.start)..word_end];
    let label = if stemmed { stem_of } else { &folded[span.clone()] };
    let label_last = label.rsplit(|c: char| !text::is_word_char(c)).next().unwrap_or(label);
    let min = if text::is_cyrillic(label_last) { MIN_STEMMED } else { MIN_EXTENDABLE };
    let long_enough = label_last.chars().count() >= min;
    let word_last = word.rsplit(|c: char| !text::is_word_char(c)).next().unwrap_or(word);
    let not_truncated = word_last.chars().count() + 1 >= label_last.chars().count();
    (long_enough && not_truncated && text::stem(word_last) == text::stem(label_last)).then_some(span.start..word_end)
}

/// All strings one character shorter than the key.
fn deletions(key: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<char> = key.chars().collect();
    (0..chars.len()).map(move |i| chars.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, c)| c).collect())
}

/// What the context tests of ambiguous labels read of a line, worked out once per line.
struct LineContext<'a> {
    text: &'a str,
    words: Vec<text::Word>,
    has_cyrillic: bool,
    /// The spans of the unambiguous technologies of the line, by start (they do not overlap).
    technologies: Vec<Range<usize>>,
}

impl<'a> LineContext<'a> {
    fn new<'h>(text: &'a str, technologies: impl Iterator<Item = &'h Hit>) -> Self {
        let mut technologies: Vec<Range<usize>> = technologies.map(|h| h.span.clone()).collect();
        technologies.sort_by_key(|s| s.start);
        let has_cyrillic = text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        LineContext { text, words: text::words(text), has_cyrillic, technologies }
    }

    /// A lone Latin word amid Russian words is a name ("балансер envoy"); a run of Latin words is an
    /// English phrase ("single node").
    fn lone_latin_in_russian(&self, span: &Range<usize>) -> bool {
        if !self.has_cyrillic || text::is_cyrillic(&self.text[span.clone()]) {
            return false;
        }
        let has_cyrillic = |w: &str| w.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        // A word of another sentence is no neighbour ("… Manticore Search. Sphinx тоже рассматривали").
        let latin_neighbour = |i: Option<usize>| {
            i.and_then(|i| self.words.get(i)).is_some_and(|w| {
                let s = &self.text[w.span.clone()];
                let (from, to) = match w.span.start < span.start {
                    true => (w.span.end, span.start),
                    false => (span.end, w.span.start),
                };
                let gap = self.text.get(from..to).unwrap_or("");
                s.chars().any(|c| c.is_ascii_alphabetic()) && !has_cyrillic(s) && !gap.contains(['.', '!', '?', ';'])
            })
        };
        let at = self.words.partition_point(|w| w.span.start < span.start);
        let after = self.words.partition_point(|w| w.span.start < span.end);
        let before = (at < self.words.len()).then_some(at).and_then(|i| i.checked_sub(1));
        let after = (after < self.words.len()).then_some(after);
        !latin_neighbour(before) && !latin_neighbour(after)
    }

    /// True when a technology stands right beside the span in a list ("Go, Rust", "Go и Rust"). Only the
    /// nearest technology on each side can: a farther one has the nearer one's name in between.
    fn next_to_technology(&self, span: &Range<usize>) -> bool {
        let is_list_gap = |gap: &str| {
            let g = gap.trim();
            // A bare space is no list: "OpenSearch next year" names no Next.js.
            g.len() <= 5
                && !g.is_empty()
                && (g.chars().all(|c| matches!(c, ',' | '/' | '+' | '&' | '|' | '-' | '>' | '→'))
                    || matches!(g, "и" | "and" | "или" | "or"))
        };
        let before = self.technologies.partition_point(|o| o.end <= span.start).checked_sub(1);
        let after = self.technologies.partition_point(|o| o.start < span.end);
        let text = self.text;
        before.is_some_and(|i| is_list_gap(&text[self.technologies[i].end..span.start]))
            || self.technologies.get(after).is_some_and(|o| is_list_gap(&text[span.end..o.start]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        let o = Ontology::builtin().unwrap();
        let d = Dictionary::new(&o);
        d.scan(text)
            .into_iter()
            .map(|h| match h.kind {
                Kind::Technology => o.technologies[h.concept].pref_label.clone(),
                Kind::Organization => o.organizations[h.concept].pref_label.clone(),
            })
            .collect()
    }

    #[test]
    fn finds_aliases_case_insensitively() {
        assert_eq!(names("Перешли на k8s и Postgres"), vec!["Kubernetes", "PostgreSQL"]);
    }

    #[test]
    fn finds_inflected_russian_names() {
        assert_eq!(names("положили всё в кафку, мониторим постгрес"), vec!["Apache Kafka", "PostgreSQL"]);
    }

    #[test]
    fn an_ambiguous_name_that_opens_a_numbered_post_is_no_technology() {
        assert!(names("3/ Next: Marco Bianchi on costs").is_empty());
        assert_eq!(names("we moved the site to Next and React"), vec!["Next.js", "React"]);
        // A Latin word of the sentence before is no neighbour: "Sphinx" stands alone in its Russian sentence.
        assert_eq!(names("Перешли на Manticore Search. Sphinx тоже смотрели"), vec!["Manticore Search", "Sphinx"]);
    }

    #[test]
    fn short_russian_company_names_take_case_endings() {
        let sber = o_label("Сбер");
        assert_eq!(names("Иван из Сбера, потом в Сбере и со Сбером"), vec![sber.clone(), sber.clone(), sber]);
        // A name that is also a word ("озон") matches only as written, and so in its other cases too.
        assert_eq!(names("Ольга из Озона"), vec![o_label("Озон")]);
        assert!(names("слой озона").is_empty());
        // Only capitalised, only organizations, only the listed endings.
        assert!(names("сбера нет").is_empty());
        assert!(!names("Сберовский подход").contains(&o_label("Сбер")));
        assert!(!names("позвали Шефа").iter().any(|n| n == "Chef"));
    }

    fn o_label(alias: &str) -> String {
        let o = Ontology::builtin().unwrap();
        let d = Dictionary::new(&o);
        let hit = d.scan(alias).pop().unwrap();
        o.organizations[hit.concept].pref_label.clone()
    }

    #[test]
    fn does_not_match_inside_words() {
        assert!(names("a good pineapple").is_empty());
    }

    #[test]
    fn two_edits_are_another_word() {
        // "continuous" and "containous" share a deletion each way, but are two edits apart.
        assert!(!names("Continuous Deployment at Facebook").iter().any(|n| n == "Traefik Labs"));
    }

    #[test]
    fn tolerates_one_typo_in_long_names() {
        assert_eq!(names("we run postresql"), vec!["PostgreSQL"]);
    }

    #[test]
    fn fold_keeps_byte_length() {
        let s = "Ёлка İstanbul ẞ Kafka";
        assert_eq!(fold_same_len(s).len(), s.len());
    }
}
