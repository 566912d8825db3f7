//! Word-level text tools shared by every stage: normalisation (lower case, ё→е), tokenisation into words
//! with byte spans, script detection and Snowball stemming (Russian for Cyrillic words, English for Latin).
//!
//! Stemming is how talkgraph copes with inflection: a cue phrase or a name given once in `ontology/`
//! matches "перешли"/"перешла", "Кафку"/"кафка", "Яндексе"/"Яндекс" because both sides reduce to the same stem.

use rust_stemmers::{Algorithm, Stemmer};
use std::ops::Range;
use std::sync::LazyLock;

static RUSSIAN: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Russian));
static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// One word of a text: its byte range in that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte range of the word in the tokenised text.
    pub span: Range<usize>,
}

/// Lower case with ё folded to е: the form every dictionary comparison uses.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match fast_lower(c) {
            Some(l) => out.push(l),
            None => out.extend(c.to_lowercase().map(|l| if l == 'ё' { 'е' } else { l })),
        }
    }
    out
}

/// Lower case of ASCII and Russian letters without the Unicode tables (ё folded to е); None for others.
pub fn fast_lower(c: char) -> Option<char> {
    match c {
        'A'..='Z' => Some(c.to_ascii_lowercase()),
        'А'..='Я' => char::from_u32(c as u32 + 32),
        'Ё' | 'ё' => Some('е'),
        _ if c.is_ascii() || ('а'..='я').contains(&c) => Some(c),
        _ => None,
    }
}

/// Letters and digits only, lower case, ё→е: the key the reference scorer compares names by.
pub fn compact_key(text: &str) -> String {
    normalize(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// True for characters that belong inside a word: letters, digits, and `_`.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        ('\u{0400}'..='\u{04FF}').contains(&c) || c.is_alphanumeric()
    }
}

/// True for a pictograph a note-taker puts before a line's words as decoration: emoji ("🎤", "👤",
/// "✅"), arrows, geometric shapes, dingbats and bullets ("▶", "•", "→"), with their joiners and
/// variation selectors.
pub fn is_pictograph(c: char) -> bool {
    matches!(c, '\u{2022}' | '\u{2190}'..='\u{2BFF}' | '\u{1F000}'..='\u{1FAFF}' | '\u{FE0F}' | '\u{200D}' | '\u{20E3}')
}

/// The text after the pictographs (and spaces) it opens with: "🎤 **Title**" → "**Title**".
pub fn without_leading_pictographs(text: &str) -> &str {
    let trimmed = text.trim_start();
    match trimmed.starts_with(is_pictograph) {
        true => trimmed.trim_start_matches(|c: char| is_pictograph(c) || c.is_whitespace()),
        false => text,
    }
}

/// True when the word is written in Cyrillic letters (judged by its first letter).
pub fn is_cyrillic(word: &str) -> bool {
    word.chars().find(|c| c.is_alphabetic()).is_some_and(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

/// Splits text into words: runs of word characters, joined across a single inner `-`, `'` or `.`
/// when letters continue on both sides ("kube-proxy", "Booking.com", "don't").
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((pos, c)) = chars.next() {
        let joins = matches!(c, '-' | '\'' | '.' | '’')
            && start.is_some()
            && chars.peek().is_some_and(|&(_, n)| is_word_char(n) && n != '_')
            && previous.is_some_and(is_word_char);
        if is_word_char(c) || joins {
            start.get_or_insert(pos);
        } else if let Some(s) = start.take() {
            out.push(Word { span: s..pos });
        }
        previous = Some(c);
    }
    if let Some(s) = start {
        out.push(Word { span: s..text.len() });
    }
    out
}

/// The stem of one (already normalised) word: Russian Snowball for Cyrillic, English for Latin,
/// the word itself for anything else (numbers, symbols). Shares [`word_stem`]'s cache: normalising a
/// normalised word changes nothing.
pub fn stem(word: &str) -> String {
    word_stem(word).1.to_string()
}

/// A word as written, normalised and stemmed, each shared.
pub type NormalStem = (std::sync::Arc<str>, std::sync::Arc<str>);

/// The normalised form and the stem of one word as written (any case, ё or е), shared: the same word, met
/// again, costs a lookup and two reference counts, not a lower-casing, a stemming and two strings.
pub fn word_stem(word: &str) -> NormalStem {
    thread_local! {
        static CACHE: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, NormalStem>> = Default::default();
    }
    CACHE.with(|cache| {
        if let Some(hit) = cache.borrow().get(word) {
            return hit.clone();
        }
        let normal = normalize(word);
        let found: NormalStem = (normal.as_str().into(), stem_uncached(&normal).into());
        let mut cache = cache.borrow_mut();
        if cache.len() > 200_000 {
            cache.clear();
        }
        cache.insert(word.into(), found.clone());
        found
    })
}

fn stem_uncached(word: &str) -> String {
    if is_cyrillic(word) {
        RUSSIAN.stem(word).into_owned()
    } else if word.chars().any(|c| c.is_ascii_alphabetic()) {
        ENGLISH.stem(word).into_owned()
    } else {
        word.to_string()
    }
}

/// Normalises and stems every word of a phrase: the key a phrase is matched by.
pub fn stems(phrase: &str) -> Vec<String> {
    let norm = normalize(phrase);
    let ws = words(&norm);
    if ws.is_empty() {
        return vec![norm.trim().to_string()];
    }
    ws.iter().map(|w| stem(&norm[w.span.clone()])).collect()
}

/// Transliterates Cyrillic into Latin (a simple, readable scheme) for IRI slugs.
pub fn transliterate(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let t = match lower {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' => "i",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            _ => {
                out.push(lower);
                continue;
            }
        };
        out.push_str(t);
    }
    out
}

/// A readable IRI slug: transliterated, lower case ASCII letters and digits joined by single `-`.
pub fn slug(text: &str) -> String {
    let latin = transliterate(text).replace('+', " plus ").replace('#', " sharp ");
    let mut out = String::new();
    for c in latin.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "x".to_string()
    } else {
        trimmed.chars().take(80).collect::<String>().trim_end_matches('-').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word_texts(text: &str) -> Vec<&str> {
        words(text).into_iter().map(|w| &text[w.span]).collect()
    }

    #[test]
    fn leading_pictographs_are_decoration() {
        assert_eq!(without_leading_pictographs("🎤 **Title**"), "**Title**");
        assert_eq!(without_leading_pictographs("👤\u{FE0F} Ana Ribeiro"), "Ana Ribeiro");
        assert_eq!(without_leading_pictographs("▶ • Talk"), "Talk");
        assert_eq!(without_leading_pictographs("Talk 🎤"), "Talk 🎤");
        assert_eq!(without_leading_pictographs("  plain"), "  plain");
    }

    #[test]
    fn words_keep_inner_punctuation() {
        assert_eq!(
            word_texts("kube-proxy, Booking.com и postgres_fdw."),
            vec!["kube-proxy", "Booking.com", "и", "postgres_fdw"]
        );
    }

    #[test]
    fn stems_fold_russian_inflection() {
        assert_eq!(stem("кафку"), stem("кафка"));
        assert_eq!(stem("постгресом"), stem("постгрес"));
        assert_eq!(stem("перешла"), stem("перешли"));
        assert_eq!(stem(&normalize("Яндексе")), stem("яндекс"));
    }

    #[test]
    fn stems_fold_english_inflection() {
        assert_eq!(stem("migrated"), stem("migrating"));
        assert_eq!(stem("exporters"), stem("exporter"));
    }

    #[test]
    fn slug_transliterates_cyrillic() {
        assert_eq!(slug("Егор Баяндин"), "egor-bayandin");
        assert_eq!(slug("C++ / Booking.com"), "c-plus-plus-booking-com");
        assert_eq!(slug("!!!"), "x");
    }

    #[test]
    fn compact_key_matches_scorer_normalisation() {
        assert_eq!(compact_key("Первый ЦУПИС"), "первыйцупис");
        assert_eq!(compact_key("Ёлка-2"), "елка2");
    }
}
