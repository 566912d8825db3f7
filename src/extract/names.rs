//! Personal names recognised from data, not from where they stand: the first-name lists of
//! `ontology/names.ttl` (Russian from OpenCorpora, English from the US Census), Russian first names in any
//! singular case through the endings the same dictionary shows ("Ивану", "Анной", "Дмитрия"), Russian
//! names written in Latin letters through their usual transliterations ("Dmitry", "Aleksey", "Yulia"), and
//! Latin names with diacritics through their plain spelling ("Tomás", "Jürgen").
//!
//! A first name alone is weak evidence (many are also words: "Вера", "Will"); callers ask whether a run of
//! capitalised words *contains* one, which is what a person's name looks like in any layout.

use crate::ontology::Lexicon;
use rustc_hash::FxHashSet as HashSet;

/// The first-name data, compiled for lookups.
pub struct Names {
    /// Russian first names (lemmas), lower case.
    cyrillic: HashSet<String>,
    /// English first names and the Latin spellings of the Russian ones, lower case.
    latin: HashSet<String>,
    /// (form ending, lemma ending) pairs of Russian first names, longest form ending first.
    endings: Vec<(String, String)>,
    /// Nominative endings of Russian surnames.
    surname_endings: Vec<String>,
    /// (form ending, nominative ending) of Russian surnames in the other cases, longest form first.
    surname_cases: Vec<(String, String)>,
}

impl Names {
    /// Compiles the lexicon's first-name lists.
    pub fn new(lexicon: &Lexicon) -> Names {
        let mut cyrillic = HashSet::default();
        let mut latin = HashSet::default();
        for (language, names) in &lexicon.first_names {
            for name in names {
                let name = name.to_lowercase();
                if language == "ru" {
                    latin.extend(transliterations(&name));
                    // Looked up with ё as е, as the text's words are.
                    cyrillic.insert(name.replace('ё', "е"));
                } else {
                    latin.insert(name);
                }
            }
        }
        let endings = longest_form_first(&lexicon.name_endings);
        let surname_endings = lexicon.surname_endings.clone();
        let surname_cases = longest_form_first(&lexicon.surname_case_endings);
        Names { cyrillic, latin, endings, surname_endings, surname_cases }
    }

    /// True when a capitalised Cyrillic word ends like a Russian surname ("Турецкий", "Петрова"), not
    /// being a known first name (Марина ends in "ина" too).
    pub fn is_russian_surname(&self, word: &str) -> bool {
        let w = word.trim_matches(|c: char| !c.is_alphabetic());
        let lower = w.to_lowercase();
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().count() >= 4
            && w.chars().all(is_cyrillic)
            && !self.cyrillic.contains(&lower)
            && self.surname_endings.iter().any(|e| lower.ends_with(e.as_str()))
    }

    /// True when a word (as written, any case form) is a known first name.
    pub fn is_first_name(&self, word: &str) -> bool {
        let word = word.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase().replace('ё', "е");
        if word.chars().count() < 2 {
            return false;
        }
        if word.chars().any(is_cyrillic) {
            return self.cyrillic.contains(&word) || self.lemma_by_ending(&word);
        }
        // "Tomás", "Jürgen", "Søren": the lists spell names without diacritics.
        self.latin.contains(&word) || (!word.is_ascii() && self.latin.contains(&deunicode::deunicode(&word)))
    }

    /// True when cutting a case ending and adding a lemma ending gives a known name ("анной" → "анна").
    fn lemma_by_ending(&self, word: &str) -> bool {
        self.first_name_lemma(word, false).is_some()
    }

    /// The known first name a lower-case Cyrillic form inflects ("анной" → "анна", "ивана" → "иван"); with
    /// `inflected`, only through a case ending the form has (not "петр" → "петра" by adding one).
    fn first_name_lemma(&self, word: &str, inflected: bool) -> Option<String> {
        self.endings.iter().filter(|(form, _)| !(inflected && form.is_empty())).find_map(|(form, lemma)| {
            let stem = word.strip_suffix(form.as_str()).filter(|s| s.chars().count() >= 2)?;
            let known = format!("{stem}{lemma}");
            self.cyrillic.contains(&known).then_some(known)
        })
    }

    /// A Russian first name and surname written in another case, in the nominative ("Ивана Иванова" →
    /// "Иван Иванов", "Ольги Смирновой" → "Ольга Смирнова"). None when the first name is nominative
    /// already, or no known name: only a first name in another case says the surname is in one too.
    pub fn nominative(&self, name: &str) -> Option<String> {
        let [first, surname] = name.split_whitespace().collect::<Vec<_>>()[..] else { return None };
        let lower = first.to_lowercase().replace('ё', "е");
        if !first.chars().all(is_cyrillic) {
            return None;
        }
        let lemma = self.first_name_lemma(&lower, true)?;
        // "Дмитрия" and "Петра" are names of their own too: their other reading needs a surname in a form
        // no nominative has ("Соколовского", "Петровой").
        let oblique = |form: &String| surname.ends_with(form.as_str()) && !self.surname_endings.contains(form);
        if self.cyrillic.contains(&lower) && !self.surname_cases.iter().any(|(form, _)| oblique(form)) {
            return None;
        }
        let surname = self
            .surname_cases
            .iter()
            .find_map(|(form, nominative)| {
                let stem = surname.strip_suffix(form.as_str()).filter(|s| s.chars().count() >= 2)?;
                Some(format!("{stem}{nominative}"))
            })
            .unwrap_or_else(|| surname.to_string());
        let mut letters = lemma.chars();
        let first = letters.next().map(|c| c.to_uppercase().chain(letters).collect::<String>())?;
        Some(format!("{first} {surname}"))
    }
}

/// (form ending, lemma ending) pairs, the longest form first, so the most specific ending is tried first.
fn longest_form_first(pairs: &[(String, String)]) -> Vec<(String, String)> {
    let mut sorted = pairs.to_vec();
    sorted.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.cmp(b)));
    sorted
}

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

/// The Latin spellings a Russian first name is usually written in: each letter's common renderings
/// (GOST, BGN, passport and informal), "кс" also as "x", "ий" at the end also as "y" (Дмитрий → dmitry,
/// dmitriy, dmitrii, dmitri). At most 16 spellings per name.
fn transliterations(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = vec![String::new()];
    let mut i = 0;
    while i < chars.len() {
        let (options, used): (&[&str], usize) = match (chars[i], chars.get(i + 1)) {
            ('к', Some('с')) => (&["ks", "x"], 2),
            ('и', Some('й')) if i + 2 == chars.len() => (&["iy", "y", "ii", "i"], 2),
            ('ы', Some('й')) if i + 2 == chars.len() => (&["y", "iy"], 2),
            (c, _) => (letter(c), 1),
        };
        out = out.iter().flat_map(|p| options.iter().map(move |o| format!("{p}{o}"))).take(16).collect();
        i += used;
    }
    out
}

/// The Latin renderings of the Cyrillic letters that have any; others (ъ, ь) vanish.
const LATIN: [(char, &[&str]); 31] = [
    ('а', &["a"]),
    ('б', &["b"]),
    ('в', &["v"]),
    ('г', &["g"]),
    ('д', &["d"]),
    ('е', &["e"]),
    ('ё', &["e", "yo"]),
    ('ж', &["zh"]),
    ('з', &["z"]),
    ('и', &["i"]),
    ('й', &["y", "i", "j"]),
    ('к', &["k"]),
    ('л', &["l"]),
    ('м', &["m"]),
    ('н', &["n"]),
    ('о', &["o"]),
    ('п', &["p"]),
    ('р', &["r"]),
    ('с', &["s"]),
    ('т', &["t"]),
    ('у', &["u"]),
    ('ф', &["f"]),
    ('х', &["kh", "h"]),
    ('ц', &["ts", "c"]),
    ('ч', &["ch"]),
    ('ш', &["sh"]),
    ('щ', &["shch", "sch"]),
    ('ы', &["y"]),
    ('э', &["e"]),
    ('ю', &["yu", "iu"]),
    ('я', &["ya", "ia"]),
];

/// The Latin renderings of one Cyrillic letter.
fn letter(c: char) -> &'static [&'static str] {
    LATIN.iter().find(|(l, _)| *l == c).map_or(&[""], |(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ontology::Ontology;

    fn names() -> Names {
        Names::new(&Ontology::builtin().unwrap().lexicon)
    }

    #[test]
    fn first_names_in_both_languages_and_any_case() {
        let n = names();
        for w in [
            "Иван",
            "Ивану",
            "Анной",
            "Дмитрия",
            "Алексеем",
            "Наталье",
            "Jane",
            "Robert",
            "Olga",
            "Priya",
            "Venkat",
            "Olena",
            "Tomás",
            "Jürgen",
            "José",
        ] {
            assert!(n.is_first_name(w), "{w}");
        }
        for w in ["Kubernetes", "Кафка", "Постгрес", "Yandex", "Привет"] {
            assert!(!n.is_first_name(w), "{w}");
        }
    }

    #[test]
    fn names_in_other_cases_in_the_nominative() {
        let n = names();
        assert_eq!(n.nominative("Ивана Иванова").as_deref(), Some("Иван Иванов"));
        assert_eq!(n.nominative("Ольги Смирновой").as_deref(), Some("Ольга Смирнова"));
        assert_eq!(n.nominative("Дмитрия Соколовского").as_deref(), Some("Дмитрий Соколовский"));
        assert_eq!(n.nominative("Анной Кузнецовой").as_deref(), Some("Анна Кузнецова"));
        assert_eq!(n.nominative("Павла Соколова").as_deref(), Some("Павел Соколов"));
        // Nominative names, Latin names and unknown first names are left as they are.
        assert_eq!(n.nominative("Анна Иванова"), None);
        assert_eq!(n.nominative("Пётр Попов"), None);
        assert_eq!(n.nominative("Петр Попов"), None);
        assert_eq!(n.nominative("Jane Doe"), None);
        assert_eq!(n.nominative("Кафки Стримса"), None);
    }

    #[test]
    fn russian_surnames_by_their_endings() {
        let n = names();
        for w in ["Турецкий", "Петрова", "Шевченко", "Иванов"] {
            assert!(n.is_russian_surname(w), "{w}");
        }
        for w in ["Марина", "турецкий", "Кафка", "Docker", "Ин"] {
            assert!(!n.is_russian_surname(w), "{w}");
        }
    }

    #[test]
    fn russian_names_in_latin_letters() {
        let n = names();
        for w in ["Dmitry", "Dmitriy", "Aleksey", "Alexey", "Yulia", "Sergey", "Andrey", "Nikita"] {
            assert!(n.is_first_name(w), "{w}");
        }
    }
}
