//! IRI minting: stable, readable IRIs from names. The same person or organization name gives the same IRI
//! in every file; Cyrillic is transliterated; talks are named by their file and title.

use crate::text::slug;
use crate::vocab::id;

/// The IRI of a notes file, which is also the name of its graph.
pub fn notes(path: &str) -> String {
    id::NOTES.iri(&path_slug(path))
}

/// The IRI of a talk: its file and its title (`-2`, `-3` for repeated titles in one file).
pub fn talk(path: &str, title: &str, occurrence: usize) -> String {
    let suffix = if occurrence > 1 { format!("-{occurrence}") } else { String::new() };
    id::TALK.iri(&format!("{}/{}{}", path_slug(path), slug(title), suffix))
}

/// The IRI of a person, by name.
pub fn person(name: &str) -> String {
    id::PERSON.iri(&slug(name))
}

/// The IRI of an event, by name.
pub fn event(name: &str) -> String {
    id::EVENT.iri(&slug(name))
}

/// The IRI of a qualified stance node: talk, organization, technology and evidence line.
pub fn stance(talk_iri: &str, org_iri: &str, tech_iri: &str, line: usize) -> String {
    let tail = |iri: &str| iri.rsplit('/').next().unwrap_or(iri).to_string();
    format!("{}{}/{}/L{line}", stance_prefix(talk_iri), tail(org_iri), tail(tech_iri))
}

/// What a stance node's IRI says of its stance (see [`stance`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StanceParts {
    pub talk: String,
    pub organization: String,
    pub technology: String,
    pub line: usize,
}

/// Reads a stance node's IRI back into its talk, organization, technology and line: the reverse of
/// [`stance`] for organizations and technologies of our namespaces; None for any other IRI.
pub fn parse_stance(iri: &str) -> Option<StanceParts> {
    let rest = iri.strip_prefix(id::STANCE.base)?;
    let mut parts = rest.rsplitn(4, '/');
    let line = parts.next()?.strip_prefix('L')?.parse().ok()?;
    let technology = id::TECH.iri(parts.next()?);
    let organization = id::ORG.iri(parts.next()?);
    let talk = id::TALK.iri(parts.next()?);
    Some(StanceParts { talk, organization, technology, line })
}

/// What the IRIs of a talk's stance nodes start with (and no other talk's do).
pub fn stance_prefix(talk_iri: &str) -> String {
    let talk_part = talk_iri.strip_prefix(id::TALK.base).unwrap_or(talk_iri);
    id::STANCE.iri(&format!("{talk_part}/"))
}

/// A file path as a slug, keeping its folders readable.
fn path_slug(path: &str) -> String {
    path.split('/').map(slug).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iris_are_readable_and_stable() {
        assert_eq!(person("Егор Баяндин"), "https://talkgraph.dev/id/person/egor-bayandin");
        assert_eq!(
            talk("2018/day one.md", "Kafka в проде", 2),
            "https://talkgraph.dev/id/talk/2018/day-one-md/kafka-v-prode-2"
        );
        assert_eq!(notes("a.md"), "https://talkgraph.dev/id/notes/a-md");
    }

    #[test]
    fn a_stance_iri_reads_back_into_its_parts() {
        let t = talk("2018/day one.md", "Kafka в проде", 1);
        let (o, k) = (id::ORG.iri("united-traders"), id::TECH.iri("stolon"));
        let parts = parse_stance(&stance(&t, &o, &k, 259)).unwrap();
        assert_eq!(parts, StanceParts { talk: t, organization: o, technology: k, line: 259 });
        assert_eq!(parse_stance("https://example.org/x"), None);
        assert_eq!(parse_stance(&id::STANCE.iri("a/b/c/Lx")), None);
    }

    #[test]
    fn minted_iris_parse() {
        for iri in [person("Zoë O'Neil"), talk("x/y.md", "«Кит» & co", 1), event("HighLoad++ 2018")] {
            assert!(oxigraph::model::NamedNode::new(&iri).is_ok(), "{iri}");
        }
    }
}
