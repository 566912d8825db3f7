//! Organizations: resolving a name as written ("Яндексе", "Booking.com", "первый ЦУПИС") to one node, the
//! vocabulary's when it knows the company, else a node minted from the name; and the short forms a talk may
//! use for its speaker's company (the acronyms and digit-bearing words of its name: "S7" of
//! "S7 Travel Retail").

use super::dictionary::{Dictionary, Kind};
use super::facts::OrgRef;
use super::phrases::{PhraseSet, Token, tokens};
use crate::ontology::Ontology;
use crate::text;
use crate::vocab::id;
use rustc_hash::FxHashMap as HashMap;

/// Lookup of vocabulary organizations by the compact form of any of their labels.
pub struct OrgIndex {
    by_key: HashMap<String, usize>,
}

impl OrgIndex {
    /// Indexes every label of every vocabulary organization.
    pub fn new(ontology: &Ontology) -> OrgIndex {
        let mut by_key = HashMap::default();
        for (i, c) in ontology.organizations.iter().enumerate() {
            for l in c.labels.iter().chain(&c.exact).chain(&c.ambiguous) {
                by_key.entry(text::compact_key(l)).or_insert(i);
            }
        }
        OrgIndex { by_key }
    }

    /// True when a name as written is exactly a label of a vocabulary organization ("Confluent").
    pub fn knows(&self, name: &str) -> bool {
        self.by_key.contains_key(&text::compact_key(name))
    }

    /// The node for an organization name as written.
    pub fn resolve(&self, name: &str, ontology: &Ontology, dictionary: &Dictionary) -> OrgRef {
        let known = self.by_key.get(&text::compact_key(name)).copied().or_else(|| {
            let hits = dictionary.scan(name);
            hits.iter()
                .find(|h| h.kind == Kind::Organization && h.span.len() * 3 >= name.trim().len() * 2)
                .map(|h| h.concept)
        });
        let minted = id::ORG.iri(&text::slug(name));
        match known {
            Some(i) => vocabulary_org(ontology, i),
            // "Datadog" names org:datadog ("Datadog, Inc."), whose labels leave out the product's name.
            None => match ontology.organization(&minted) {
                Some(c) => OrgRef { iri: c.iri.clone(), name: c.pref_label.clone(), known: true },
                None => OrgRef { iri: minted, name: name.trim().to_string(), known: false },
            },
        }
    }
}

/// Names the wording marks as organizations: a capitalised name (or a «quoted» one) right after an
/// organization word ("в компании Лента", "our client Acme Corp"), and, on a case line ("Кейс 2:
/// Магнит", "Case study (Acme)"), the name after the case word or in parentheses.
pub fn marked_names(text: &str, toks: &[Token], markers: &PhraseSet<()>, case_markers: &PhraseSet<()>) -> Vec<String> {
    let mut out = Vec::new();
    for (range, ()) in markers.find_all(toks) {
        let rest = &toks[range.end..];
        let gap = rest.first().map_or("", |t| &text[toks[range.end - 1].span.end..t.span.start]);
        if gap.chars().all(|c| c.is_whitespace() || matches!(c, '«' | '"' | '“')) {
            out.extend(capitalised_run(text, rest));
        }
    }
    if case_markers.match_at(toks, 0).is_some() {
        if let Some(inner) = text.rfind('(').and_then(|o| text[o + 1..].split(')').next()) {
            out.extend(capitalised_run(inner, &tokens(inner, 0)).filter(|n| n.len() == inner.trim().len()));
        }
        if let Some(after) = text.find(':').map(|i| &text[i + 1..]) {
            let head = after.split([',', '—', '(', ';']).next().unwrap_or("").trim();
            out.extend(capitalised_run(head, &tokens(head, 0)).filter(|n| n.len() == head.len()));
        }
    }
    out.retain(|n| n.chars().count() >= 2);
    out.dedup();
    out
}

/// An acronym the line defines as an organization: "UPMC - Univ of Pittsburgh Medical Center" or
/// "Univ of Pittsburgh Medical Center (UPMC)": the initials of the expansion's words (short lower-case
/// words like "of" skipped) spell the acronym, and the expansion holds an organization word
/// ("Center", "Bank", "Inc"). "MRN - medical record num" spells its acronym too, but names no company.
pub fn defined_acronym(text: &str, toks: &[Token], heads: &PhraseSet<()>) -> Option<String> {
    let is_acronym = |w: &str| (2..=6).contains(&w.chars().count()) && w.chars().all(char::is_uppercase);
    let skipped = |t: &Token| {
        let w = &text[t.span.clone()];
        w.chars().count() <= 3 && w.chars().all(char::is_lowercase)
    };
    let first = toks.first()?;
    let opens_with = is_acronym(&text[first.span.clone()])
        && text[first.span.end..toks.get(1)?.span.start].contains(['-', '—', '–', ':', '=']);
    let (acronym, words): (&str, Vec<&Token>) = if opens_with {
        // "ACR - Expansion, more": the expansion runs to the first comma, semicolon or bracket.
        let stop = text[first.span.end..].find([',', ';', '(', ')']).map_or(text.len(), |i| first.span.end + i);
        (
            &text[first.span.clone()],
            toks[1..].iter().take_while(|t| t.span.end <= stop).filter(|t| !skipped(t)).collect(),
        )
    } else {
        // "Expansion (ACR)": as many words before the bracket as the acronym has letters.
        let at = toks.iter().position(|t| text[..t.span.start].ends_with('(') && is_acronym(&text[t.span.clone()]))?;
        let acronym = &text[toks[at].span.clone()];
        let mut words: Vec<&Token> =
            toks[..at].iter().rev().filter(|t| !skipped(t)).take(acronym.chars().count()).collect();
        words.reverse();
        (acronym, words)
    };
    let initials: String =
        words.iter().filter_map(|t| text[t.span.clone()].chars().next()).flat_map(char::to_uppercase).collect();
    let expansion: Vec<Token> = words.into_iter().cloned().collect();
    let names_org = (0..expansion.len()).any(|i| heads.match_at(&expansion, i).is_some());
    (initials == acronym && names_org).then(|| acronym.to_string())
}

/// The capitalised words at the start of `toks` (up to four), as written: "Acme Corp", "Лента".
fn capitalised_run(text: &str, toks: &[Token]) -> Option<String> {
    let first = toks.first()?;
    let quoted = text[..first.span.start].trim_end().ends_with(['«', '"']);
    let n = toks
        .iter()
        .take(4)
        .take_while(|t| {
            let w = &text[t.span.clone()];
            w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()) || quoted
        })
        .count();
    let contiguous = toks[..n].windows(2).all(|w| text[w[0].span.end..w[1].span.start].trim().is_empty());
    (n > 0 && contiguous).then(|| text[first.span.start..toks[n - 1].span.end].to_string())
}

/// The node of a vocabulary organization.
pub fn vocabulary_org(ontology: &Ontology, index: usize) -> OrgRef {
    let c = &ontology.organizations[index];
    OrgRef { iri: c.iri.clone(), name: c.pref_label.clone(), known: true }
}

/// The short forms of an organization's name a talk may use: the whole name, plus each word with a digit
/// ("S7") or in capitals ("ЦУПИС").
pub fn short_forms(name: &str) -> Vec<String> {
    let mut out = vec![name.trim().to_string()];
    for w in name.split_whitespace() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let has_digit = w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(char::is_alphabetic);
        let capitals = w.chars().count() >= 2 && w.chars().all(|c| c.is_uppercase() || c.is_ascii_digit());
        if (has_digit || capitals) && w != name.trim() {
            out.push(w.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str) -> Vec<String> {
        let set = |w: &[&str]| PhraseSet::new(w.iter().map(|w| (w.to_string(), ())));
        marked_names(text, &tokens(text, 0), &set(&["компания", "client"]), &set(&["кейс", "case"]))
    }

    #[test]
    fn names_after_organization_words() {
        assert_eq!(marked("Работали с компанией Лента над складом"), vec!["Лента"]);
        assert_eq!(marked("our client Acme Corp moved to Kafka"), vec!["Acme Corp"]);
        assert_eq!(marked("Кейс 2: Магнит, перенос складов"), vec!["Магнит"]);
        assert_eq!(marked("Case study (Initech)"), vec!["Initech"]);
        assert!(marked("клиент хочет быстрее").is_empty());
    }

    #[test]
    fn acronyms_defined_with_an_organization_word() {
        let heads = PhraseSet::new(["center", "bank", "университет"].map(|w| (w.to_string(), ())));
        let found = |t: &str| defined_acronym(t, &tokens(t, 0), &heads);
        assert_eq!(found("UPMC - Univ of Pittsburgh MEdical Center").as_deref(), Some("UPMC"));
        assert_eq!(found("Московский государственный университет (МГУ) и студенты").as_deref(), Some("МГУ"));
        assert_eq!(found("MRN - medical record num"), None);
        assert_eq!(found("ABC - Another Big Bank"), None);
        assert_eq!(found("plain text line"), None);
    }

    #[test]
    fn short_forms_take_acronyms_and_codes() {
        assert_eq!(short_forms("S7 Travel Retail"), vec!["S7 Travel Retail", "S7"]);
        assert_eq!(short_forms("первый ЦУПИС"), vec!["первый ЦУПИС", "ЦУПИС"]);
        assert_eq!(short_forms("United Traders"), vec!["United Traders"]);
    }
}
