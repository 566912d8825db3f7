//! Debugging aid: prints every dictionary hit of each line of a notes file, then the stances extracted.
//! `cargo run --release --example scan -- notes/FILE.md`

use talkgraph::extract::{Dictionary, Extractor, Kind};
use talkgraph::ontology::Ontology;

fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).expect("a notes file");
    let text = std::fs::read_to_string(&path)?;
    let ontology = Ontology::builtin()?;
    let dictionary = Dictionary::new(&ontology);
    for (i, line) in text.lines().enumerate() {
        let hits = dictionary.scan(line);
        if hits.is_empty() {
            continue;
        }
        let names: Vec<String> = hits
            .iter()
            .map(|h| {
                let label = match h.kind {
                    Kind::Technology => &ontology.technologies[h.concept].pref_label,
                    Kind::Organization => &ontology.organizations[h.concept].pref_label,
                };
                format!("{}={label}", &line[h.span.clone()])
            })
            .collect();
        println!("{:4}: {}", i + 1, names.join(", "));
    }
    let extractor = Extractor::new(ontology);
    let source = talkgraph::document::SourceFile { path: path.clone(), text };
    let doc = talkgraph::document::parse(source, &extractor);
    println!("talks carried by {:?}", doc.structure);
    if std::env::var("SCAN_LINES").is_ok() {
        for t in &doc.talks {
            for l in &t.lines {
                println!("  line {} {:?}: {}", l.number, l.kind, doc.slice(&l.span));
            }
        }
    }
    for talk in extractor.extract(&doc).talks {
        println!("\n# {}", talk.title.as_deref().unwrap_or("(untitled)"));
        for s in &talk.stances {
            let lines: Vec<String> = s.evidence.iter().map(|e| e.line.to_string()).collect();
            println!(
                "  {} {:?} {} @{}",
                s.organization.name,
                s.stance,
                s.technology.rsplit('/').next().unwrap_or(""),
                lines.join(",")
            );
        }
    }
    Ok(())
}
