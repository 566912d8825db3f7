//! Phrase sets: cue phrases and structural words from the ontology, compiled once into stem sequences and
//! matched word by word against stemmed text, longest phrase first.

use crate::text;
use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

/// One word of a text with its stem.
#[derive(Debug, Clone)]
pub struct Token {
    /// Byte range in the text the token was taken from.
    pub span: Range<usize>,
    /// Snowball stem of the normalised word, shared by every occurrence of the word.
    pub stem: std::sync::Arc<str>,
    /// The word normalised (lower case, ё as е): what tells apart two inflections of one stem.
    pub word: std::sync::Arc<str>,
    /// Length of the word in characters.
    pub chars: usize,
}

/// Splits text into stemmed tokens, spans relative to `text` shifted by `offset`.
pub fn tokens(text: &str, offset: usize) -> Vec<Token> {
    text::words(text)
        .into_iter()
        .map(|w| {
            let (word, stem) = text::word_stem(&text[w.span.clone()]);
            Token {
                stem,
                word,
                chars: text[w.span.clone()].chars().count(),
                span: w.span.start + offset..w.span.end + offset,
            }
        })
        .collect()
}

/// One word of a phrase: its stem, its length in characters and the word itself, normalised.
type PhraseWord = (String, usize, String);

/// A set of phrases, each with a payload, matched on stems.
#[derive(Debug, Clone)]
pub struct PhraseSet<T> {
    /// Phrases by the stem of their first word: each word's stem and length in characters.
    by_first: HashMap<String, Vec<(Vec<PhraseWord>, T)>>,
}

impl<T: Clone> PhraseSet<T> {
    /// Compiles phrases; longer phrases are tried first.
    pub fn new(phrases: impl IntoIterator<Item = (String, T)>) -> Self {
        let mut by_first: HashMap<String, Vec<(Vec<PhraseWord>, T)>> = HashMap::default();
        for (phrase, payload) in phrases {
            let toks = tokens(&phrase, 0);
            let words: Vec<PhraseWord> = if toks.is_empty() {
                text::stems(&phrase).into_iter().map(|s| (s, 0, String::new())).collect()
            } else {
                toks.into_iter().map(|t| (t.stem.to_string(), t.chars, t.word.to_string())).collect()
            };
            if let Some((first, ..)) = words.first() {
                by_first.entry(first.clone()).or_default().push((words, payload));
            }
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|(stems, _)| std::cmp::Reverse(stems.len()));
        }
        PhraseSet { by_first }
    }

    /// The longest phrase starting at token `i`: its length in tokens and payload. A word matches a
    /// phrase word of the same stem that is at most one character longer: an inflection, not a shorter
    /// word the stemmer folds in ("Custom" is not "customer"). Of two phrases the stemmer folds together
    /// ("looked at" and "looking at", "рассматривали" and "рассматриваем"), the one whose words share the
    /// longest beginnings with the text's wins ("рассматривала" is past like "рассматривали"), then the
    /// one closest in length: the tense tells a look taken from one planned.
    pub fn match_at(&self, tokens: &[Token], i: usize) -> Option<(usize, &T)> {
        let candidates = self.by_first.get(&*tokens.get(i)?.stem)?;
        let farness = |words: &[PhraseWord]| -> (std::cmp::Reverse<usize>, usize) {
            let pairs = || words.iter().zip(&tokens[i..]);
            let shared = pairs().map(|((.., word), t)| common_prefix(word, &t.word)).sum();
            let distance = pairs().map(|((_, chars, _), t)| t.chars.abs_diff(*chars)).sum();
            (std::cmp::Reverse(shared), distance)
        };
        candidates
            .iter()
            .filter(|(words, _)| {
                tokens.len() >= i + words.len()
                    && words.iter().zip(&tokens[i..]).all(|((s, chars, _), t)| **s == *t.stem && t.chars + 1 >= *chars)
            })
            .min_by_key(|(words, _)| (std::cmp::Reverse(words.len()), farness(words)))
            .map(|(words, payload)| (words.len(), payload))
    }

    /// Every non-overlapping match, left to right: (token range, payload).
    pub fn find_all(&self, tokens: &[Token]) -> Vec<(Range<usize>, T)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if let Some((len, payload)) = self.match_at(tokens, i) {
                out.push((i..i + len, payload.clone()));
                i += len;
            } else {
                i += 1;
            }
        }
        out
    }

    /// True when the whole text is one of the phrases.
    pub fn is_whole(&self, text: &str) -> bool {
        let toks = tokens(text, 0);
        !toks.is_empty() && self.match_at(&toks, 0).is_some_and(|(len, _)| len == toks.len())
    }

    /// True when every word of the text belongs to some phrase of the set.
    pub fn covers(&self, text: &str) -> bool {
        let toks = tokens(text, 0);
        let mut i = 0;
        while i < toks.len() {
            match self.match_at(&toks, i) {
                Some((len, _)) => i += len,
                None => return false,
            }
        }
        !toks.is_empty()
    }
}

/// How many characters two words share from their start.
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> PhraseSet<u8> {
        PhraseSet::new([("используем".to_string(), 1), ("не используем".to_string(), 2), ("перешли на".to_string(), 3)])
    }

    #[test]
    fn longest_phrase_wins() {
        let toks = tokens("мы не используем helm", 0);
        let found = set().find_all(&toks);
        assert_eq!(found, vec![(1..3, 2)]);
    }

    #[test]
    fn inflected_forms_match() {
        let toks = tokens("Перешла на stolon", 0);
        assert_eq!(set().find_all(&toks), vec![(0..2, 3)]);
    }

    #[test]
    fn a_shorter_word_of_the_same_stem_is_not_the_phrase() {
        let markers = PhraseSet::new([("customer".to_string(), ()), ("клиенты".to_string(), ())]);
        assert!(markers.is_whole("customers"));
        assert!(markers.is_whole("Customer"));
        assert!(!markers.is_whole("Custom"));
        assert!(markers.is_whole("клиентам"));
    }

    #[test]
    fn of_phrases_one_stem_apart_the_closer_form_wins() {
        let cues = PhraseSet::new([("looked at".to_string(), 1), ("looking at".to_string(), 2)]);
        assert_eq!(cues.find_all(&tokens("we looked at Spanner", 0)), vec![(1..3, 1)]);
        assert_eq!(cues.find_all(&tokens("now looking at Tempo", 0)), vec![(1..3, 2)]);
    }

    #[test]
    fn of_forms_of_one_length_the_one_sharing_the_longer_beginning_wins() {
        // One stem, one length: the past "рассматривали" and the present "рассматриваем".
        let cues = PhraseSet::new([("рассматривали".to_string(), 1), ("рассматриваем".to_string(), 2)]);
        let kind = |text: &str| cues.find_all(&tokens(text, 0)).first().map(|(_, k)| *k);
        assert_eq!(kind("Рассматриваем Consul"), Some(2));
        assert_eq!(kind("рассматривали Consul"), Some(1));
        assert_eq!(kind("Команда рассматривала Consul"), Some(1));
        let cues = PhraseSet::new([("рассматриваем".to_string(), 2), ("рассматривали".to_string(), 1)]);
        assert_eq!(cues.find_all(&tokens("рассматривали Consul", 0)).first().map(|(_, k)| *k), Some(1));
    }

    #[test]
    fn whole_and_covers() {
        let s = set();
        assert!(s.is_whole("Используем"));
        assert!(!s.is_whole("используем helm"));
        assert!(s.covers("используем не используем"));
    }
}
