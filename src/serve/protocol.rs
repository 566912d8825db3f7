//! The SPARQL 1.1 Protocol (read-only) and the Graph Store Protocol's `GET`: queries by URL, form or
//! `application/sparql-query` body, results by content negotiation, `default-graph-uri` and
//! `named-graph-uri` honoured, a service description on a bare `GET`, updates refused.

use super::params::Params;
use super::{AppState, Failure, with_store};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use std::sync::Arc;

fn refused_update() -> Failure {
    Failure(StatusCode::FORBIDDEN, "this endpoint is read-only: SPARQL updates are refused".into())
}

/// `GET /sparql`: a query in the URL, or the service description.
pub async fn sparql_get(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, Failure> {
    let params = Params::from_query(query);
    if params.first("update").is_some() {
        return Err(refused_update());
    }
    match params.first("query") {
        Some(text) => answer(&state, text.to_string(), &params, &headers).await,
        None => Ok(service_description()),
    }
}

/// `POST /sparql`: a form-encoded or `application/sparql-query` body.
pub async fn sparql_post(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Response, Failure> {
    let mut params = Params::from_query(query);
    let kind = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let kind = kind.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let text = match kind.as_str() {
        "application/sparql-query" => {
            String::from_utf8(body.to_vec()).map_err(|_| Failure::bad_request("the query is not valid UTF-8"))?
        }
        "application/x-www-form-urlencoded" => {
            if std::str::from_utf8(&body).is_err() {
                return Err(Failure::bad_request("the form is not valid UTF-8"));
            }
            params.extend(Params::from_bytes(&body));
            if params.first("update").is_some() {
                return Err(refused_update());
            }
            params.first("query").ok_or_else(|| Failure::bad_request("the form has no query= field"))?.to_string()
        }
        "application/sparql-update" => return Err(refused_update()),
        other => {
            return Err(Failure(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("send the query as application/sparql-query or a form, not {other:?}"),
            ));
        }
    };
    answer(&state, text, &params, &headers).await
}

/// Parses, evaluates and serializes one query, as the client's `Accept` asks.
async fn answer(
    state: &Arc<AppState>,
    text: String,
    params: &Params,
    headers: &HeaderMap,
) -> Result<Response, Failure> {
    let query = spargebra::SparqlParser::new().parse_query(&text).map_err(|e| {
        if spargebra::SparqlParser::new().parse_update(&text).is_ok() {
            refused_update()
        } else {
            Failure::bad_request(format!("SPARQL syntax error: {e}"))
        }
    })?;
    let default_graphs = named_nodes(&params.all("default-graph-uri"))?;
    let named_graphs = named_nodes(&params.all("named-graph-uri"))?;
    let graph_shaped = matches!(query, spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. });
    let (media, format) = if graph_shaped {
        let (media, rdf) = negotiate(headers, &RDF_FORMATS).ok_or_else(not_acceptable)?;
        (media, Shape::Graph(rdf))
    } else {
        let (media, results) = negotiate(headers, &RESULT_FORMATS).ok_or_else(not_acceptable)?;
        (media, Shape::Solutions(results))
    };
    let body = with_store(state, move |state, token| {
        let mut prepared = SparqlEvaluator::new().with_cancellation_token(token.clone()).for_query(query);
        if default_graphs.is_empty() {
            prepared.dataset_mut().set_default_graph_as_union();
        } else {
            prepared.dataset_mut().set_default_graph(default_graphs.into_iter().map(GraphName::NamedNode).collect());
        }
        if !named_graphs.is_empty() {
            prepared.dataset_mut().set_available_named_graphs(named_graphs.into_iter().map(Into::into).collect());
        }
        let results = prepared.on_store(&state.store).execute().map_err(evaluation_failure)?;
        serialize(results, format).map_err(|e| evaluation_failure_text(&e))
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, media)], body).into_response())
}

enum Shape {
    Solutions(QueryResultsFormat),
    Graph(RdfFormat),
}

fn serialize(results: QueryResults<'_>, shape: Shape) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    match (results, shape) {
        (QueryResults::Solutions(rows), Shape::Solutions(format)) => {
            let mut w = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(&mut out, rows.variables().to_vec())?;
            for row in rows {
                w.serialize(&row?)?;
            }
            w.finish()?;
        }
        (QueryResults::Boolean(b), Shape::Solutions(format)) => {
            QueryResultsSerializer::from_format(format).serialize_boolean_to_writer(&mut out, b)?;
        }
        (QueryResults::Graph(triples), Shape::Graph(format)) => {
            let mut w = RdfSerializer::from_format(format).for_writer(&mut out);
            for t in triples {
                w.serialize_triple(&t?)?;
            }
            w.finish()?;
        }
        _ => anyhow::bail!("the query's results do not have the shape its form promised"),
    }
    Ok(out)
}

fn evaluation_failure(e: oxigraph::sparql::QueryEvaluationError) -> Failure {
    evaluation_failure_text(&anyhow::Error::new(e))
}

fn evaluation_failure_text(e: &anyhow::Error) -> Failure {
    let text = format!("{e:#}");
    let cancelled = e.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<oxigraph::sparql::QueryEvaluationError>(),
            Some(oxigraph::sparql::QueryEvaluationError::Cancelled)
        )
    });
    if cancelled {
        Failure(StatusCode::SERVICE_UNAVAILABLE, "the query ran past the server's timeout and was stopped".into())
    } else {
        Failure::bad_request(format!("the query failed: {text}"))
    }
}

fn named_nodes(iris: &[String]) -> Result<Vec<NamedNode>, Failure> {
    iris.iter().map(|i| NamedNode::new(i).map_err(|e| Failure::bad_request(format!("graph IRI {i:?}: {e}")))).collect()
}

fn not_acceptable() -> Failure {
    Failure(StatusCode::NOT_ACCEPTABLE, "none of the formats this endpoint writes is acceptable to the client".into())
}

const RESULT_FORMATS: [(&str, QueryResultsFormat); 4] = [
    ("application/sparql-results+json", QueryResultsFormat::Json),
    ("application/sparql-results+xml", QueryResultsFormat::Xml),
    ("text/csv", QueryResultsFormat::Csv),
    ("text/tab-separated-values", QueryResultsFormat::Tsv),
];

const RDF_FORMATS: [(&str, RdfFormat); 4] = [
    ("text/turtle", RdfFormat::Turtle),
    ("application/n-triples", RdfFormat::NTriples),
    ("application/ld+json", RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() }),
    ("application/rdf+xml", RdfFormat::RdfXml),
];

/// The offer the `Accept` header likes best (the first offer when there is none); `application/json`
/// and `application/xml` count as the SPARQL results formats.
pub fn negotiate<T: Copy>(headers: &HeaderMap, offers: &[(&'static str, T)]) -> Option<(&'static str, T)> {
    let accept = headers.get_all(header::ACCEPT).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
    if accept.trim().is_empty() {
        return offers.first().copied();
    }
    let mut best: Option<(f32, usize)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q =
            parts.filter_map(|p| p.trim().strip_prefix("q=")).find_map(|v| v.trim().parse::<f32>().ok()).unwrap_or(1.0);
        if q <= 0.0 {
            continue;
        }
        for (i, (offer, _)) in offers.iter().enumerate() {
            let alias = match media.as_str() {
                "application/json" => "application/sparql-results+json",
                "application/xml" => "application/sparql-results+xml",
                other => other,
            };
            let matches = alias == *offer
                || media == *offer
                || alias == "*/*"
                || alias.strip_suffix("/*").is_some_and(|kind| offer.starts_with(&format!("{kind}/")));
            if matches && best.is_none_or(|(bq, bi)| q > bq || (q == bq && i < bi)) {
                best = Some((q, i));
            }
        }
    }
    best.map(|(_, i)| offers[i])
}

/// The service description (Turtle): what this endpoint is and speaks.
fn service_description() -> Response {
    let text = "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n\
@prefix fmt: <http://www.w3.org/ns/formats/> .\n\
[] a sd:Service ;\n\
  sd:endpoint <sparql> ;\n\
  sd:supportedLanguage sd:SPARQL11Query ;\n\
  sd:feature sd:UnionDefaultGraph ;\n\
  sd:resultFormat fmt:SPARQL_Results_JSON, fmt:SPARQL_Results_XML, fmt:SPARQL_Results_CSV, fmt:SPARQL_Results_TSV,\n\
    fmt:Turtle, fmt:N-Triples, fmt:JSON-LD, fmt:RDF_XML .\n";
    ([(header::CONTENT_TYPE, "text/turtle; charset=utf-8")], text).into_response()
}

/// `GET /store?graph=IRI` (one notes file's graph) or `GET /store?default` (the union of all graphs,
/// the default graph the SPARQL endpoint answers over).
pub async fn graph_store(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, Failure> {
    let params = Params::from_query(query);
    let graph = match (params.first("graph"), params.has("default")) {
        (Some(iri), false) => Some(named_nodes(&[iri.to_string()])?.remove(0)),
        (None, true) => None,
        _ => return Err(Failure::bad_request("give exactly one of ?graph=IRI or ?default")),
    };
    let (media, format) = negotiate(&headers, &RDF_FORMATS).ok_or_else(not_acceptable)?;
    let body = with_store(&state, move |state, _| {
        let store = &state.store;
        if let Some(g) = &graph
            && !store.contains_named_graph(g).map_err(|e| Failure::internal(&e.into()))?
        {
            return Err(Failure::not_found(format!("no graph {g} in the store")));
        }
        let mut out = Vec::new();
        let mut w = RdfSerializer::from_format(format).for_writer(&mut out);
        let name = graph.as_ref().map(|g| GraphNameRef::NamedNode(g.as_ref()));
        for quad in store.quads_for_pattern(None, None, None, name) {
            let quad = quad.map_err(|e| Failure::internal(&e.into()))?;
            w.serialize_triple(quad.as_ref()).map_err(|e| Failure::internal(&e.into()))?;
        }
        w.finish().map_err(|e| Failure::internal(&e.into()))?;
        Ok(out)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, media)], body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, value.parse().unwrap());
        h
    }

    #[test]
    fn the_accept_header_picks_the_format_by_quality_then_by_our_order() {
        assert_eq!(negotiate(&HeaderMap::new(), &RESULT_FORMATS).unwrap().0, "application/sparql-results+json");
        assert_eq!(negotiate(&accept("text/csv"), &RESULT_FORMATS).unwrap().0, "text/csv");
        assert_eq!(negotiate(&accept("application/xml"), &RESULT_FORMATS).unwrap().0, "application/sparql-results+xml");
        assert_eq!(
            negotiate(&accept("text/csv;q=0.5, text/tab-separated-values"), &RESULT_FORMATS).unwrap().0,
            "text/tab-separated-values"
        );
        assert_eq!(negotiate(&accept("text/*"), &RDF_FORMATS).unwrap().0, "text/turtle");
        assert_eq!(negotiate(&accept("*/*"), &RDF_FORMATS).unwrap().0, "text/turtle");
        assert!(negotiate(&accept("image/png"), &RESULT_FORMATS).is_none());
    }
}
