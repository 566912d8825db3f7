//! Benchmark aid: times each pipeline stage (read, parse, extract, encode, answers kept) on one core over a folder of
//! notes, so `BENCHMARKS.md` can say where ingest time goes.
//! `cargo run --release --example stages -- CORPUS_DIR`

use std::time::{Duration, Instant};
use talkgraph::corpus;
use talkgraph::extract::Extractor;
use talkgraph::ontology::Ontology;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let root = std::path::PathBuf::from(std::env::args().nth(1).expect("a notes folder"));
    let start = Instant::now();
    let extractor = Extractor::new(Ontology::builtin()?);
    let setup = start.elapsed();
    let (mut read, mut parse, mut extract, mut encode, mut answers) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let shelf =
        talkgraph::answers::Shelf::of_store(&std::env::temp_dir().join(format!("stages-{}", std::process::id())));
    let (mut bytes, mut quads) = (0usize, 0usize);
    for file in corpus::list(&[root], corpus::Limits::default()).files {
        let t = Instant::now();
        let raw = corpus::read(&file.path, corpus::Limits::default())?;
        bytes += raw.len();
        let Some(loaded) = corpus::load(&file, raw, &mut Vec::new()) else { continue };
        read += t.elapsed();
        let t = Instant::now();
        let doc = talkgraph::pipeline::document(loaded.clone(), &extractor);
        parse += t.elapsed();
        let t = Instant::now();
        let facts = extractor.extract(&doc);
        extract += t.elapsed();
        let t = Instant::now();
        let info = talkgraph::rdf::FileInfo { path: loaded.source.path.clone(), sha256: loaded.sha256.clone() };
        let graph_quads = talkgraph::rdf::encode(&facts, &info, extractor.ontology());
        quads += graph_quads.len();
        encode += t.elapsed();
        let t = Instant::now();
        let graph = talkgraph::rdf::iri::notes(&file.relative);
        talkgraph::answers::shelve(&shelf, &graph, &loaded.sha256, &graph_quads)?;
        answers += t.elapsed();
    }
    let mb = bytes as f64 / 1e6;
    println!("setup (ontology + automata): {:.0} ms", setup.as_secs_f64() * 1e3);
    let stages =
        [("read+decode+hash", read), ("parse", parse), ("extract", extract), ("encode", encode), ("answers", answers)];
    for (name, d) in stages {
        println!("{name:18} {:7.2} s  {:7.1} MB/s", d.as_secs_f64(), mb / d.as_secs_f64());
    }
    let total = read + parse + extract + encode + answers;
    println!(
        "{:18} {:7.2} s  {:7.1} MB/s  {quads} quads  ({mb:.1} MB)",
        "total (one core)",
        total.as_secs_f64(),
        mb / total.as_secs_f64()
    );
    Ok(())
}
