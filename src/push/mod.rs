//! Sending the graph to a shared SPARQL server, one named graph per notes file (and the ontology
//! graphs): by the Graph Store HTTP Protocol (`PUT` a graph, `DELETE` a graph whose notes file is gone),
//! or by SPARQL 1.1 Update where a server has no Graph Store endpoint. Only graphs whose content changed
//! since the last successful push to that URL are sent: what was sent is remembered per target by a hash of
//! what the graph's content is made from (see [`fingerprint`]), a graph at a time, so a push cut short
//! converges on the next one.

pub mod state;

use crate::http::{self, Client};
use crate::rdf::export::{Scope, export_graphs};
use crate::store;
use crate::vocab::{PREFIXES, TG};
use anyhow::{Context, Result, bail};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedNodeRef, Quad};
use oxigraph::store::Store;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use state::PushState;
use std::sync::Mutex;

/// How graphs travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// SPARQL 1.1 Graph Store HTTP Protocol: `PUT`/`DELETE` `URL?graph=IRI`.
    GraphStore,
    /// SPARQL 1.1 Update: `DROP SILENT GRAPH` + `INSERT DATA` in bounded chunks, `POST`ed to URL.
    Update,
}

/// What one push does.
#[derive(Debug, Clone)]
pub struct PushOptions {
    pub protocol: Protocol,
    /// Send every graph, whatever was sent before.
    pub all: bool,
    /// Requests in flight at once.
    pub parallel: usize,
    /// Let an Oxigraph server bulk-load each graph (its `no_transaction` parameter).
    pub bulk: bool,
}

/// What a push did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PushReport {
    pub sent: Vec<String>,
    pub deleted: Vec<String>,
    pub unchanged: usize,
    pub triples: usize,
    /// True when the server was asked to bulk-load (an Oxigraph server, see [`bulk_url`]).
    pub bulk: bool,
}

/// Triples per `INSERT DATA` request.
const UPDATE_CHUNK: usize = 5_000;

/// One graph ready to send: its name and its triples as the protocol sends them.
struct Prepared {
    name: String,
    body: Vec<u8>,
    triples: usize,
}

/// Pushes every named graph of the store (but the store's bookkeeping) to `url`, sending what changed
/// since `state` and deleting what is gone; `state` is updated (and saved through `save`) after each graph
/// the server accepted.
pub fn push(
    store: &Store,
    url: &str,
    options: &PushOptions,
    state: &mut PushState,
    save: &(dyn Fn(&PushState) -> Result<()> + Sync),
) -> Result<PushReport> {
    let client = Client::for_url(url)?;
    let bulk = match options.protocol {
        Protocol::GraphStore if options.bulk => bulk_url(&client, url)?,
        _ => None,
    };
    let url = bulk.as_deref().unwrap_or(url);
    let graphs: Vec<String> = export_graphs(store, Scope::All)?
        .into_iter()
        .filter_map(|g| match g {
            GraphName::NamedNode(n) => Some(n),
            _ => None,
        })
        // A graph with no quads (a store that kept the name of a removed file's graph) is not there.
        .filter(|n| store.quads_for_pattern(None, None, None, Some(n.as_ref().into())).next().is_some())
        .map(|n| n.into_string())
        .collect();
    let versions = match (store::meta(store, "talkgraphVersion")?, store::meta(store, "ontologyVersion")?) {
        (Some(build), Some(ontology)) => Some(format!("{build}\n{ontology}")),
        _ => None,
    };
    let mut report = PushReport { bulk: bulk.is_some(), ..PushReport::default() };
    let shared = Mutex::new((std::mem::take(state), &mut report));
    let outcome: Result<()> = rayon::ThreadPoolBuilder::new()
        .num_threads(options.parallel.max(1))
        .build()
        .context("starting the push threads")?
        .install(|| {
            graphs.par_iter().try_for_each(|name| {
                let fingerprint = fingerprint(store, name, options.protocol, versions.as_deref())?;
                {
                    let mut guard = shared.lock().map_err(|_| anyhow::anyhow!("push state poisoned"))?;
                    if !options.all && guard.0.hash(name) == Some(&fingerprint) {
                        guard.1.unchanged += 1;
                        return Ok(());
                    }
                }
                let prepared = prepare(store, name, options.protocol)?;
                send(&client, url, options.protocol, &prepared)?;
                let mut guard = shared.lock().map_err(|_| anyhow::anyhow!("push state poisoned"))?;
                guard.0.record(name, &fingerprint);
                guard.1.sent.push(prepared.name.clone());
                guard.1.triples += prepared.triples;
                save(&guard.0)
            })
        });
    let (mut kept, _) = shared.into_inner().map_err(|_| anyhow::anyhow!("push state poisoned"))?;
    if outcome.is_ok() {
        let present: std::collections::BTreeSet<&str> = graphs.iter().map(String::as_str).collect();
        let gone: Vec<String> = kept.graphs().filter(|g| !present.contains(g.as_str())).cloned().collect();
        for name in gone {
            let done = delete(&client, url, options.protocol, &name);
            if let Err(e) = done {
                *state = kept;
                return Err(e);
            }
            kept.forget(&name);
            save(&kept)?;
            report.deleted.push(name);
        }
    }
    *state = kept;
    outcome?;
    report.sent.sort();
    Ok(report)
}

/// A graph's triples as the protocol sends them: Turtle with the talkgraph prefixes for the Graph Store,
/// N-Triples lines for Update.
fn prepare(store: &Store, name: &str, protocol: Protocol) -> Result<Prepared> {
    let graph = NamedNodeRef::new_unchecked(name);
    let quads: Vec<Quad> = store.quads_for_pattern(None, None, None, Some(graph.into())).collect::<Result<_, _>>()?;
    let format = match protocol {
        Protocol::GraphStore => RdfFormat::Turtle,
        Protocol::Update => RdfFormat::NTriples,
    };
    let body = serialize(&quads, format)?;
    Ok(Prepared { name: name.to_string(), triples: quads.len(), body })
}

/// What a graph's content is a function of, hashed: a notes graph is made from its notes file alone (its
/// `tg:sha256`) by this build of talkgraph with this ontology, and an ontology graph from the ontology.
/// Comparing this with what the target last accepted finds the changed graphs without reading any graph
/// whole. A store that does not record its versions falls back to hashing the graph's content.
fn fingerprint(store: &Store, name: &str, protocol: Protocol, versions: Option<&str>) -> Result<String> {
    let graph = NamedNodeRef::new_unchecked(name);
    let mut hash = Sha256::new();
    hash.update(format!("{protocol:?}\n{name}\n"));
    match versions {
        Some(versions) => {
            hash.update(versions);
            let sha256 = NamedNode::new_unchecked(TG.iri("sha256"));
            for q in store.quads_for_pattern(Some(graph.into()), Some(sha256.as_ref()), None, Some(graph.into())) {
                hash.update(q?.object.to_string());
            }
        }
        None => hash.update(prepare(store, name, protocol)?.body),
    }
    Ok(format!("{:x}", hash.finalize()))
}

/// Quads as the triples of `format`, with the prefixes declared where the format has them.
fn serialize(quads: &[Quad], format: RdfFormat) -> Result<Vec<u8>> {
    let mut serializer = RdfSerializer::from_format(format);
    if format == RdfFormat::Turtle {
        for ns in PREFIXES {
            serializer = serializer.with_prefix(ns.prefix, ns.base)?;
        }
    }
    let mut writer = serializer.for_writer(Vec::new());
    for q in quads {
        writer.serialize_triple(q.as_ref())?;
    }
    Ok(writer.finish()?)
}

/// Oxigraph's server loads a `PUT` graph in one transaction, about five times slower than its bulk loader,
/// which its `/store` endpoint uses when the URL carries `no_transaction`. When the server says it is
/// Oxigraph (its `Server` header, read from a `HEAD` of the URL), the URL with that parameter; else None.
/// Its `PUT` clears a graph before loading it in either case, and a graph cut short is not recorded as
/// sent, so the next push sends it again whole.
fn bulk_url(client: &Client, url: &str) -> Result<Option<String>> {
    if url.contains("no_transaction") {
        return Ok(None);
    }
    let probe = client.send("HEAD", url, &[], &[])?;
    Ok(probe.server.starts_with("Oxigraph/").then(|| {
        let joiner = if url.contains('?') { '&' } else { '?' };
        format!("{url}{joiner}no_transaction")
    }))
}

/// A Graph Store URL for one graph: `URL?graph=IRI` (or `&graph=` when the URL has a query already).
pub fn graph_url(url: &str, graph: &str) -> String {
    let joiner = if url.contains('?') { '&' } else { '?' };
    let encoded: String = form_urlencoded::byte_serialize(graph.as_bytes()).collect();
    format!("{url}{joiner}graph={encoded}")
}

fn send(client: &Client, url: &str, protocol: Protocol, graph: &Prepared) -> Result<()> {
    match protocol {
        Protocol::GraphStore => {
            let target = graph_url(url, &graph.name);
            let answer = client.send("PUT", &target, &[("Content-Type", "text/turtle")], &graph.body)?;
            refuse_unless_ok(&answer, "PUT", &graph.name, url)
        }
        Protocol::Update => update_graph(client, url, graph),
    }
}

/// `DROP SILENT GRAPH` with the first chunk of `INSERT DATA`, then the rest in chunks of
/// [`UPDATE_CHUNK`] triples. A graph cut short between chunks is not recorded as sent, so the next push
/// sends it again whole.
fn update_graph(client: &Client, url: &str, graph: &Prepared) -> Result<()> {
    let text = std::str::from_utf8(&graph.body).context("graph text")?;
    let lines: Vec<&str> = text.lines().collect();
    let mut first = true;
    for chunk in lines.chunks(UPDATE_CHUNK).chain(lines.is_empty().then_some(&[][..])) {
        let mut request = String::new();
        if first {
            request.push_str(&format!("DROP SILENT GRAPH <{}> ;\n", graph.name));
        }
        request.push_str(&format!("INSERT DATA {{ GRAPH <{}> {{\n{}\n}} }}", graph.name, chunk.join("\n")));
        first = false;
        let answer = client.send("POST", url, &[("Content-Type", "application/sparql-update")], request.as_bytes())?;
        refuse_unless_ok(&answer, "update of", &graph.name, url)?;
    }
    Ok(())
}

fn delete(client: &Client, url: &str, protocol: Protocol, graph: &str) -> Result<()> {
    let answer = match protocol {
        Protocol::GraphStore => client.send("DELETE", &graph_url(url, graph), &[], &[])?,
        Protocol::Update => client.send(
            "POST",
            url,
            &[("Content-Type", "application/sparql-update")],
            format!("DROP SILENT GRAPH <{graph}>").as_bytes(),
        )?,
    };
    // A graph the server no longer has is as deleted as can be.
    if answer.status == 404 {
        return Ok(());
    }
    refuse_unless_ok(&answer, "DELETE", graph, url)
}

fn refuse_unless_ok(answer: &http::Answer, what: &str, graph: &str, url: &str) -> Result<()> {
    if answer.ok() {
        return Ok(());
    }
    let hint = match answer.status {
        401 | 403 => format!(" (set {} and {}, or a netrc entry for the host)", http::USER_VAR, http::PASSWORD_VAR),
        _ => String::new(),
    };
    bail!("{url} refused the {what} graph {graph}: HTTP {}{hint}: {}", answer.status, answer.message())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_urls_encode_the_graph_and_keep_the_urls_own_query() {
        assert_eq!(
            graph_url("http://h/store", "https://talkgraph.dev/id/notes/a.md"),
            "http://h/store?graph=https%3A%2F%2Ftalkgraph.dev%2Fid%2Fnotes%2Fa.md"
        );
        assert_eq!(graph_url("http://h/crud?x=1", "urn:g"), "http://h/crud?x=1&graph=urn%3Ag");
    }
}
