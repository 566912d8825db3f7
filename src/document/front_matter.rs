//! Front matter, YAML (`---`) or TOML (`+++`): the event's name and date, and talk lists (title,
//! speaker, company/work, position/role — key names come from `ontology/lexicon.ttl`, any case, Russian
//! or English) wherever they sit: a list of entries that name a title or a speaker is a talk list at any
//! nesting ("program: morning: - session: …"). Anything malformed is ignored field by field, never fatal.

use yaml_rust2::{Yaml, YamlLoader};

/// What front matter says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    /// The event (conference) name.
    pub event: Option<String>,
    /// The event date as written.
    pub date: Option<String>,
    /// Talks listed in the front matter.
    pub talks: Vec<FrontTalk>,
    /// The page's own summary ("excerpt:", "description:"), a prose sentence that may name the speakers
    /// of a one-talk file.
    pub summary: Option<String>,
}

/// A talk listed in front matter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontTalk {
    /// The title.
    pub title: Option<String>,
    /// The speakers: (name, role, organization).
    pub speakers: Vec<(String, Option<String>, Option<String>)>,
}

/// Maps a YAML key to the field it fills ("company" → "organization").
pub trait KeyFields {
    /// The field a key fills, if any.
    fn field_of(&self, key: &str) -> Option<&str>;
}

/// Reads front matter text (without the `---` fences); None when it is not a YAML mapping.
pub fn parse(yaml: &str, keys: &dyn KeyFields) -> Option<FrontMatter> {
    let docs = YamlLoader::load_from_str(yaml).ok()?;
    from_tree(&docs.into_iter().next()?, keys)
}

/// What a front matter tree (YAML's, or TOML's turned into one) says; None when it is not a mapping.
fn from_tree(tree: &Yaml, keys: &dyn KeyFields) -> Option<FrontMatter> {
    let Yaml::Hash(map) = tree else { return None };
    let mut fm = FrontMatter::default();
    let mut title = None;
    let (mut names, mut org, mut role) = (Vec::new(), None, None);
    for (k, v) in map {
        match k.as_str().and_then(|k| keys.field_of(k)) {
            Some("event") => fm.event = scalar(v),
            Some("date") => fm.date = scalar(v),
            Some("title") => title = scalar(v),
            Some("summary") => fm.summary = scalar(v),
            // A speaker at the top makes the page one talk: its title, speaker, company and role.
            Some("speaker") => names = speaker_names(v, keys, &mut org, &mut role),
            Some("organization") => org = scalar(v),
            Some("role") => role = scalar(v),
            // The page's authors wrote the notes; they are not a talk list.
            Some("author") => {}
            _ => find_talks(v, keys, 0, &mut fm.talks),
        }
    }
    if names.is_empty() {
        fm.event = fm.event.or(title);
    } else {
        let speakers = names.into_iter().map(|n| (n, role.clone(), org.clone())).collect();
        fm.talks.insert(0, FrontTalk { title, speakers });
    }
    Some(fm)
}

/// Reads TOML front matter (without the `+++` fences) as the same tree YAML gives.
pub fn parse_toml(source: &str, keys: &dyn KeyFields) -> Option<FrontMatter> {
    let table: toml::Table = source.parse().ok()?;
    from_tree(&yaml_of_toml(&toml::Value::Table(table)), keys)
}

fn yaml_of_toml(v: &toml::Value) -> Yaml {
    match v {
        toml::Value::String(s) => Yaml::String(s.clone()),
        toml::Value::Integer(i) => Yaml::Integer(*i),
        toml::Value::Float(f) => Yaml::Real(f.to_string()),
        toml::Value::Boolean(b) => Yaml::Boolean(*b),
        toml::Value::Datetime(d) => Yaml::String(d.to_string()),
        toml::Value::Array(items) => Yaml::Array(items.iter().map(yaml_of_toml).collect()),
        toml::Value::Table(t) => {
            Yaml::Hash(t.iter().map(|(k, v)| (Yaml::String(k.clone()), yaml_of_toml(v))).collect())
        }
    }
}

/// How deep talk lists are looked for: programmes nest by day, track and hall, not deeper.
const MAX_NESTING: usize = 8;

/// Collects the talks of every list of entries naming a title or a speaker, anywhere below `v`; each
/// node is visited once.
fn find_talks(v: &Yaml, keys: &dyn KeyFields, depth: usize, out: &mut Vec<FrontTalk>) {
    if depth > MAX_NESTING {
        return;
    }
    match v {
        Yaml::Array(items) => {
            let found: Vec<FrontTalk> = items.iter().filter_map(|item| talk(item, keys)).collect();
            if found.is_empty() {
                items.iter().for_each(|i| find_talks(i, keys, depth + 1, out));
            } else {
                out.extend(found);
            }
        }
        Yaml::Hash(map) => map
            .iter()
            .filter(|(k, _)| {
                let field = k.as_str().and_then(|k| keys.field_of(k));
                !matches!(field, Some("speaker" | "author" | "organization" | "role"))
            })
            .for_each(|(_, v)| find_talks(v, keys, depth + 1, out)),
        _ => {}
    }
}

fn scalar(v: &Yaml) -> Option<String> {
    let s = match v {
        Yaml::String(s) | Yaml::Real(s) => s.clone(),
        Yaml::Integer(i) => i.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        _ => return None,
    };
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

fn talk(item: &Yaml, keys: &dyn KeyFields) -> Option<FrontTalk> {
    let Yaml::Hash(map) = item else { return None };
    let mut t = FrontTalk::default();
    let (mut org, mut role) = (None, None);
    let mut names: Vec<String> = Vec::new();
    for (k, v) in map {
        match k.as_str().and_then(|k| keys.field_of(k)) {
            Some("title") => t.title = scalar(v),
            Some("speaker" | "author") => names = speaker_names(v, keys, &mut org, &mut role),
            Some("organization") => org = scalar(v),
            Some("role") => role = scalar(v),
            _ => {}
        }
    }
    t.speakers = names.into_iter().map(|n| (n, role.clone(), org.clone())).collect();
    (t.title.is_some() || !t.speakers.is_empty()).then_some(t)
}

/// Speakers as a string, a list of strings, or mappings with name/company/position.
fn speaker_names(v: &Yaml, keys: &dyn KeyFields, org: &mut Option<String>, role: &mut Option<String>) -> Vec<String> {
    match v {
        Yaml::Array(items) => items.iter().flat_map(|i| speaker_names(i, keys, org, role)).collect(),
        Yaml::Hash(map) => {
            let mut name = None;
            for (k, v) in map {
                match k.as_str().and_then(|k| keys.field_of(k)) {
                    Some("organization") => *org = scalar(v),
                    Some("role") => *role = scalar(v),
                    Some("title" | "speaker" | "author") => name = scalar(v),
                    _ => {}
                }
            }
            name.into_iter().collect()
        }
        other => scalar(other).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Keys;
    impl KeyFields for Keys {
        fn field_of(&self, key: &str) -> Option<&str> {
            match key {
                "event" => Some("event"),
                "date" => Some("date"),
                "talks" => Some("talks"),
                "title" | "name" => Some("title"),
                "speaker" => Some("speaker"),
                "author" => Some("author"),
                "work" | "company" => Some("organization"),
                "position" => Some("role"),
                _ => None,
            }
        }
    }

    #[test]
    fn reads_event_and_talks() {
        let yaml = "event: DevOpsConf 2022\ndate: 2022-05-23\ntalks:\n  - title: Kafka в проде\n    speaker: Иван Петров\n    work: Авито\n    position: SRE\n  - title: Without speaker\n";
        let fm = parse(yaml, &Keys).unwrap();
        assert_eq!(fm.event.as_deref(), Some("DevOpsConf 2022"));
        assert_eq!(fm.date.as_deref(), Some("2022-05-23"));
        assert_eq!(fm.talks.len(), 2);
        assert_eq!(
            fm.talks[0].speakers,
            vec![("Иван Петров".to_string(), Some("SRE".to_string()), Some("Авито".to_string()))]
        );
    }

    #[test]
    fn talk_lists_are_found_at_any_nesting() {
        let yaml =
            "event: Day\nprogram:\n  morning:\n    - title: A\n      speaker: Ann Lee\n  evening:\n    - title: B\n";
        let fm = parse(yaml, &Keys).unwrap();
        let titles: Vec<_> = fm.talks.iter().map(|t| t.title.clone().unwrap()).collect();
        assert_eq!(titles, vec!["A", "B"]);
    }

    #[test]
    fn toml_front_matter_reads_like_yaml() {
        let toml = "event = \"Infra\"\n[[talks]]\ntitle = \"Vault\"\nspeaker = \"Nora Klein\"\ncompany = \"Adyen\"\n";
        let fm = parse_toml(toml, &Keys).unwrap();
        assert_eq!(fm.event.as_deref(), Some("Infra"));
        assert_eq!(fm.talks[0].speakers, vec![("Nora Klein".to_string(), None, Some("Adyen".to_string()))]);
    }

    #[test]
    fn a_speaker_at_the_top_makes_the_page_one_talk() {
        let yaml = "title: How we run Kafka\nspeaker: Priya Raman\ncompany: Grab\nevent: Current 2024\n";
        let fm = parse(yaml, &Keys).unwrap();
        assert_eq!(fm.event.as_deref(), Some("Current 2024"));
        assert_eq!(fm.talks.len(), 1);
        assert_eq!(fm.talks[0].title.as_deref(), Some("How we run Kafka"));
        assert_eq!(fm.talks[0].speakers, vec![("Priya Raman".to_string(), None, Some("Grab".to_string()))]);
        // The page's author wrote the notes: no talk, and the title stays the event's.
        let fm = parse("title: Recap of PgConf\nauthor: Dana Fox\n", &Keys).unwrap();
        assert!(fm.talks.is_empty());
        assert_eq!(fm.event.as_deref(), Some("Recap of PgConf"));
    }

    #[test]
    fn malformed_yaml_is_ignored() {
        assert_eq!(parse("just: [unclosed", &Keys), None);
        assert_eq!(parse("- a list", &Keys), None);
    }
}
