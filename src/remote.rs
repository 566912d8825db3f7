//! A remote SPARQL query endpoint as the source of answers (`--endpoint URL`): the query, its parameters
//! already bound in the algebra (see [`crate::sparql::bind`]), is serialised from that algebra and sent
//! by the SPARQL 1.1 Protocol; the answer is parsed back into the same results a local store gives, so
//! every output format works the same.

use crate::http::Client;
use crate::sparql::{self, QueryText};
use anyhow::{Context, Result, anyhow, bail};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Literal, Variable};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser};
use oxigraph::sparql::{QueryResults, QueryTripleIter};

/// A SPARQL query endpoint.
pub struct Endpoint {
    url: String,
    client: Client,
}

impl Endpoint {
    /// An endpoint at `url`, with the credentials the environment or netrc gives for its host.
    pub fn new(url: &str) -> Result<Endpoint> {
        Ok(Endpoint { url: url.to_string(), client: Client::for_url(url)? })
    }

    /// Runs a read-only query with its parameters bound.
    pub fn run(&self, query: &QueryText, params: &[(Variable, Literal)]) -> Result<QueryResults<'static>> {
        let parsed = spargebra::SparqlParser::new()
            .parse_query(&query.text)
            .map_err(|e| anyhow!("SPARQL syntax error: {e}"))
            .with_context(|| format!("in query {}", query.origin))?;
        let graph_result = matches!(parsed, spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. });
        let ask = matches!(parsed, spargebra::Query::Ask { .. });
        let text = sparql::bind(parsed, params).to_string();
        let accept = if graph_result { "application/n-triples" } else { "application/sparql-results+json" };
        let form: String = form_urlencoded::Serializer::new(String::new()).append_pair("query", &text).finish();
        let answer = self.client.send(
            "POST",
            &self.url,
            &[("Content-Type", "application/x-www-form-urlencoded"), ("Accept", accept)],
            form.as_bytes(),
        )?;
        if !answer.ok() {
            bail!("{} refused query {}: HTTP {}: {}", self.url, query.origin, answer.status, answer.message());
        }
        if graph_result {
            let triples: Vec<_> = RdfParser::from_format(RdfFormat::NTriples)
                .for_slice(&answer.body)
                .map(|q| q.map(oxigraph::model::Triple::from))
                .collect::<Result<_, _>>()
                .with_context(|| format!("reading the triples {} answered", self.url))?;
            return Ok(QueryResults::Graph(QueryTripleIter::new(triples.into_iter().map(Ok))));
        }
        let format = if answer.content_type.contains("xml") {
            QueryResultsFormat::Xml
        } else if answer.content_type.contains("tab-separated") {
            QueryResultsFormat::Tsv
        } else {
            QueryResultsFormat::Json
        };
        let parsed = QueryResultsParser::from_format(format)
            .for_reader(std::io::Cursor::new(answer.body))
            .with_context(|| format!("reading the results {} answered", self.url))?;
        let results = QueryResults::from(parsed);
        match results {
            QueryResults::Solutions(rows) if ask => Ok(QueryResults::Boolean(ask_as_table(rows)?)),
            other => Ok(other),
        }
    }
}

/// The answer to an ASK that a server gave as a table (Virtuoso 7 answers one row holding `1` for true
/// and no row for false): true when a row holds anything but zero or false.
fn ask_as_table(rows: oxigraph::sparql::QuerySolutionIter<'_>) -> Result<bool> {
    for row in rows {
        let row = row?;
        if row.values().iter().flatten().any(|v| !matches!(sparql::plain(v).as_str(), "0" | "false")) {
            return Ok(true);
        }
    }
    Ok(false)
}
