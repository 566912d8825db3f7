//! Benchmark aid: the evaluation plan of a query, with per-step row counts and times, on an existing
//! store. `cargo run --release --example explain -- STORE_DIR QUERY_TEXT`
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use std::time::Instant;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("a store folder");
    let text = args.next().expect("a query");
    let store =
        talkgraph::store::open(&talkgraph::store::Location::Disk(dir.into()), talkgraph::store::Workload::Read)?;
    let mut prepared = SparqlEvaluator::new().parse_query(&text)?;
    prepared.dataset_mut().set_default_graph_as_union();
    let prepared = prepared.on_store(&store);
    let t = Instant::now();
    let (results, explanation) = prepared.compute_statistics().explain();
    let mut rows = 0;
    if let QueryResults::Solutions(s) = results? {
        for r in s {
            r?;
            rows += 1;
        }
    }
    println!("{rows} rows in {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    println!("{explanation:?}");
    Ok(())
}
