//! Benchmark aid: latency of every canned query run in-process on an existing store (opened once), as
//! p50/p95 over repetitions, so `BENCHMARKS.md` can separate query time from process and store start-up:
//! as the CLI answers (from the answers kept beside the store) and, with `TALKGRAPH_LATENCY_ENGINE=1`, by the
//! query engine alone.
//! `cargo run --release --example query_latency -- STORE_DIR [REPS] [QUERY.rq]`
//! Parameters: `tech=stolon`, any other `@param` = `Яндекс` (the values bench/run.py uses).

use std::time::Instant;
use talkgraph::sparql::{self, QueryText};

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("a store folder");
    let reps: usize = args.next().map_or(Ok(20), |r| r.parse())?;
    let with_engine = std::env::var_os("TALKGRAPH_LATENCY_ENGINE").is_some();
    let t = Instant::now();
    let shelf = talkgraph::answers::Shelf::of_store(std::path::Path::new(&dir));
    let store =
        talkgraph::store::open(&talkgraph::store::Location::Disk(dir.into()), talkgraph::store::Workload::Read)?;
    println!("open store: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let only: Option<(String, String)> = match args.next() {
        Some(file) => Some((file.clone(), std::fs::read_to_string(&file)?)),
        None => None,
    };
    let queries: Vec<(&str, &str)> = match &only {
        Some((name, text)) => vec![(name.as_str(), text.as_str())],
        None => sparql::CANNED.to_vec(),
    };
    for (name, text) in queries {
        let raw: Vec<String> = sparql::declared_parameters(text)
            .into_iter()
            .map(|(p, _)| format!("{p}={}", if p == "tech" { "stolon" } else { "Яндекс" }))
            .collect();
        let params = sparql::parameters(&raw)?;
        let query = QueryText { origin: name.to_string(), text: text.to_string() };
        let (shelved, rows) = latency(reps, || {
            let mut out = Vec::new();
            sparql::write(
                sparql::run(&store, Some(&shelf), &query, &params, None)?,
                sparql::ResultFormat::Csv,
                &mut out,
            )?;
            Ok(out)
        })?;
        let engine = match with_engine {
            true => Some(latency(reps, || {
                let mut out = Vec::new();
                sparql::write(sparql::run(&store, None, &query, &params, None)?, sparql::ResultFormat::Csv, &mut out)?;
                Ok(out)
            })?),
            false => None,
        };
        let engine = engine.map(|((p50, _), _)| format!("  (engine alone: p50 {p50:8.1} ms)")).unwrap_or_default();
        println!("{name:24} p50 {:8.1} ms  p95 {:8.1} ms  {rows} rows{engine}", shelved.0, shelved.1);
    }
    Ok(())
}

/// (p50, p95) in milliseconds of `reps` runs of `run`, and the number of CSV rows it wrote.
fn latency(reps: usize, run: impl Fn() -> anyhow::Result<Vec<u8>>) -> anyhow::Result<((f64, f64), usize)> {
    let mut times = Vec::with_capacity(reps);
    let mut rows = 0;
    for _ in 0..reps {
        let t = Instant::now();
        let out = run()?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
        rows = out.iter().filter(|b| **b == b'\n').count().saturating_sub(1);
    }
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((p / 100.0) * (times.len() - 1) as f64).round() as usize];
    Ok(((at(50.0), at(95.0)), rows))
}
