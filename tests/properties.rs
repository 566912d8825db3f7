//! Property tests over the whole path notes bytes → quads (`corpus::load` → `document::parse` →
//! `Extractor::extract` → `rdf::encode`), with the invariants of `common/invariants.rs`: no panic, evidence
//! verbatim in its line, valid absolute IRIs and no blank nodes, one node per talk, and a Turtle and TriG
//! round trip to the same set of quads.
//!
//! - `generated_notes_*`: Markdown-ish notes built from the pieces real notes are made of — headings of
//!   levels 1–6, speaker lines, deeply nested lists and block quotes, code fences, tables, HTML, YAML
//!   front matter, Russian and English words, technology and company names, stance cues — with random
//!   Unicode, CRLF, a BOM and very long lines mixed in.
//! - `mutated_notes_*`: the same notes with random bytes overwritten (invalid UTF-8, NULs, lone CRs).
//! - `arbitrary_bytes_*`: any bytes at all.
//!
//! Case counts are kept moderate so the suite stays well under a minute in release; set
//! `PROPTEST_CASES` to run more.

#[path = "common/invariants.rs"]
mod invariants;

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config;

const TECH: &[&str] = &[
    "PostgreSQL",
    "postgres",
    "постгресом",
    "Kafka",
    "Кафку",
    "Kubernetes",
    "k8s",
    "Кубернетесе",
    "stolon",
    "etcd",
    "ClickHouse",
    "Redis",
    "Nomad",
    "Ansible",
    "Helm",
    "Go",
    "C++",
    "C#",
    ".NET",
    "Node.js",
    "gRPC",
    "Prometheus",
    "Grafana",
    "Elasticsearch",
    "RabbitMQ",
    "MongoDB",
    "Terraform",
    "Docker",
    "Consul",
    "pgbouncer",
];
const ORGS: &[&str] =
    &["Яндекс", "Яндексе", "Тинькофф", "Booking.com", "United Traders", "Avito", "Shopify", "Stripe", "Initech"];
const CUES: &[&str] = &[
    "перешли на",
    "migrated to",
    "rejected",
    "отказались от",
    "выбрали",
    "we use",
    "used to",
    "рассматривали",
    "планируем",
    "instead of",
    "moved from",
    "switched to",
    "considering",
    "evaluated",
    "не используем",
    "убрали",
    "got rid of",
    "Рассматривали:",
    "Stack:",
    "вместо",
];
const WORDS: &[&str] = &[
    "мы",
    "и",
    "в",
    "проде",
    "база",
    "данных",
    "кластер",
    "the",
    "and",
    "cluster",
    "latency",
    "our",
    "team",
    "потом",
    "но",
    "because",
    "Вопросы",
    "Q&A",
    "Итого",
    "Кейс 1",
    "Speaker:",
    "Спикер:",
    "by",
    "из",
    "рассказал о",
    "from",
    "talked about",
];
const MARKUP: &[&str] = &[
    ",",
    ".",
    ":",
    "?",
    "!",
    "—",
    "(",
    ")",
    "*",
    "**",
    "_",
    "`",
    "[",
    "](https://x.y/z)",
    "&amp;",
    "&mdash;",
    "&#x41;",
    "<b>",
    "</b>",
    "<br>",
    "#",
    "|",
    "\"",
    "'",
    "\\",
    "{",
    "}",
    "<",
    ">",
    "~~",
    "- [ ]",
    "@handle",
];
const NAMES: &[&str] = &["Иван Петров", "Jane Doe", "Антон Маркелов", "Raj Patel", "Zoë O'Neil", "Егор Баяндин"];
const ROLES: &[&str] = &["SRE", "CTO", "инженер", "team lead", "Backend Developer", "архитектор"];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(TECH).prop_map(String::from),
        2 => select(ORGS).prop_map(String::from),
        3 => select(CUES).prop_map(String::from),
        4 => select(WORDS).prop_map(String::from),
        2 => select(MARKUP).prop_map(String::from),
        1 => "\\PC{1,6}",
        1 => any::<char>().prop_map(String::from),
    ]
}

fn phrase() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 0..12).prop_map(|w| w.join(" "))
}

fn speaker_line() -> impl Strategy<Value = String> {
    (select(NAMES), prop::option::of(select(ROLES)), select(ORGS), 0..4usize).prop_map(
        |(name, role, org, form)| match (form, role) {
            (0, Some(role)) => format!("{name}, {role}, {org}"),
            (1, _) => format!("Speaker: {name} ({org})"),
            (2, _) => format!("{name} из {org} рассказал о том, как мы перешли на Kafka."),
            _ => format!("{name}, {org}"),
        },
    )
}

/// One block of notes: a line, or a few lines that belong together (fence, table, setext heading).
fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (1..=6usize, phrase()).prop_map(|(level, t)| format!("{} {t}", "#".repeat(level))),
        3 => speaker_line(),
        6 => phrase(),
        4 => (0..40usize, select(&["-", "*", "+", "1.", "2)"][..]), phrase())
            .prop_map(|(depth, marker, t)| format!("{}{marker} {t}", "  ".repeat(depth))),
        2 => (1..30usize, phrase()).prop_map(|(depth, t)| format!("{} {t}", ">".repeat(depth))),
        1 => (select(&["```", "~~~", "```yaml"][..]), phrase(), phrase())
            .prop_map(|(fence, a, b)| format!("{fence}\n{a}\n{b}\n{}", &fence[..3])),
        1 => (phrase(), phrase(), phrase()).prop_map(|(a, b, c)| format!("| {a} | {b} |\n|---|:---:|\n| {c} | x |")),
        1 => (1..=6usize, phrase(), phrase()).prop_map(|(l, a, b)| format!("<h{l}>{a}</h{l}>\n<p>{b}</p>")),
        1 => (1..=6usize, phrase(), phrase()).prop_map(|(l, a, b)| format!("<h{l}>{a}\n{b}</h{l}>")),
        1 => (phrase(), select(&["===", "---"][..])).prop_map(|(t, rule)| format!("{t}\n{rule}")),
        1 => (word(), 100..4000usize).prop_map(|(w, n)| vec![w; n].join(" ")),
        1 => Just(String::new()),
    ]
}

fn front_matter() -> impl Strategy<Value = String> {
    (phrase(), phrase(), select(NAMES), select(ORGS)).prop_map(|(event, title, name, org)| {
        format!("---\nevent: {event}\ndate: 2018-11-08\ntalks:\n  - title: {title}\n    speaker: {name}\n    company: {org}\n---")
    })
}

/// A whole notes file as bytes: maybe a BOM, maybe front matter, blocks joined by LF or CRLF.
fn notes() -> impl Strategy<Value = Vec<u8>> {
    (any::<bool>(), prop::option::weighted(0.2, front_matter()), prop::collection::vec((block(), 0..4u8), 0..40))
        .prop_map(|(bom, front, blocks)| {
            let mut text = String::new();
            if bom {
                text.push('\u{FEFF}');
            }
            if let Some(f) = front {
                text.push_str(&f);
                text.push('\n');
            }
            for (b, ending) in blocks {
                text.push_str(&b);
                text.push_str(if ending == 0 { "\r\n" } else { "\n" });
            }
            text.into_bytes()
        })
}

fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let extractor = talkgraph::commands::extractor().expect("the built-in ontology loads");
    invariants::check_notes(bytes, extractor).map(|_| ()).map_err(TestCaseError::fail)
}

proptest! {
    #![proptest_config(Config { cases: 160, ..Config::default() })]

    #[test]
    fn generated_notes_keep_every_invariant(bytes in notes()) {
        check(&bytes)?;
    }

    #[test]
    fn mutated_notes_keep_every_invariant(
        bytes in notes(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = bytes;
        if !bytes.is_empty() {
            for (at, b) in flips {
                let i = at.index(bytes.len());
                bytes[i] = b;
            }
        }
        check(&bytes)?;
    }
}

proptest! {
    #![proptest_config(Config { cases: 64, ..Config::default() })]

    #[test]
    fn arbitrary_bytes_keep_every_invariant(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check(&bytes)?;
    }
}

/// The property tests would pass vacuously if nothing came out: real notes give stances with evidence.
#[test]
fn the_invariants_see_stances_on_the_sample_notes() {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/notes/000_221fd2861c5af3bb.txt")).unwrap();
    let extractor = talkgraph::commands::extractor().unwrap();
    let quads = invariants::check_notes(&bytes, extractor).unwrap();
    assert!(quads > 1000, "{quads} quads");
    let crlf = String::from_utf8(bytes).unwrap().replace('\n', "\r\n");
    invariants::check_notes(format!("\u{FEFF}{crlf}").as_bytes(), extractor).unwrap();
}

/// Every input under `tests/regressions/` (each one broke an invariant once: found by these property
/// tests or by the fuzzer) keeps every invariant now.
#[test]
fn regressions_keep_every_invariant() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/regressions");
    let extractor = talkgraph::commands::extractor().unwrap();
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(!files.is_empty());
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        if let Err(e) = invariants::check_notes(&bytes, extractor) {
            panic!("{}: {e}", path.display());
        }
    }
}
