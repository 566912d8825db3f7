//! The web page's JSON API: counts, search with "did you mean", entity pages, the neighbourhood graph,
//! the radar, the notes files, and the canned queries with their parameters bound as terms (JSON, or CSV
//! by `Accept`).

use super::params::Params;
use super::protocol::negotiate;
use super::{AppState, Failure, views, with_store};
use crate::lookup::{Entry, kind_of_parameter, names_nothing};
use crate::sparql::{self, QueryText};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use oxigraph::sparql::QueryResults;
use serde::Serialize;
use std::sync::Arc;
use std::sync::atomic::Ordering;

fn number(params: &Params, name: &str, default: usize, most: usize) -> Result<usize, Failure> {
    match params.first(name) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .map(|n| n.min(most))
            .map_err(|_| Failure::bad_request(format!("{name}={v:?} is not a whole number"))),
    }
}

fn internal(e: anyhow::Error) -> Failure {
    Failure::internal(&e)
}

/// `GET /api/stats`: what the store holds.
pub async fn stats(State(state): State<Arc<AppState>>) -> Result<Json<views::Counts>, Failure> {
    with_store(&state, |s, _| views::counts(&s.store, &s.names()).map_err(internal)).await.map(Json)
}

/// `GET /api/generation`: moves on each time a re-ingest changed the store.
pub async fn generation(State(state): State<Arc<AppState>>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "generation": state.generation.load(Ordering::SeqCst) }))
}

#[derive(Serialize)]
pub struct SearchAnswer {
    query: String,
    results: Vec<Entry>,
    suggestions: Vec<Entry>,
}

/// `GET /api/search?q=…`: entities by any of their names; when none, the nearest names.
pub async fn search(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Json<SearchAnswer>, Failure> {
    let params = Params::from_query(query);
    let q = params.first("q").unwrap_or("").trim().to_string();
    if q.is_empty() {
        return Err(Failure::bad_request("give a name to search for: ?q=…"));
    }
    let names = state.names();
    let results: Vec<Entry> = names.find(&q, 50).into_iter().cloned().collect();
    let suggestions =
        if results.is_empty() { names.suggest(&q, None, 5).into_iter().cloned().collect() } else { Vec::new() };
    Ok(Json(SearchAnswer { query: q, results, suggestions }))
}

/// The `iri` parameter, required.
fn iri_param(params: &Params) -> Result<String, Failure> {
    params.first("iri").map(str::to_string).ok_or_else(|| Failure::bad_request("give the entity: ?iri=…"))
}

/// `GET /api/entity?iri=…&limit=&offset=&talkOffset=`: the page of a technology, organization, talk or
/// person, with one page of its stances (`offset`) and of its talks (`talkOffset`).
pub async fn entity(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Json<views::EntityView>, Failure> {
    let params = Params::from_query(query);
    let iri = iri_param(&params)?;
    let limit = number(&params, "limit", 100, 1000)?;
    let offset = number(&params, "offset", 0, usize::MAX)?;
    let talk_offset = number(&params, "talkOffset", 0, usize::MAX)?;
    with_store(&state, move |s, _| {
        let whole = s.entity(&iri).map_err(internal)?;
        let whole = whole.ok_or_else(|| Failure::not_found(format!("nothing in the graph is {iri}")))?;
        views::page(&s.store, &whole, offset, talk_offset, limit).map_err(internal)
    })
    .await
    .map(Json)
}

/// `GET /api/graph?iri=…`: the neighbourhood of an entity.
pub async fn graph(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Json<views::Neighbourhood>, Failure> {
    let iri = iri_param(&Params::from_query(query))?;
    with_store(&state, move |s, _| views::neighbourhood(&s.store, &iri).map_err(internal)).await.map(Json)
}

/// `GET /api/radar`: the technology radar.
pub async fn radar(State(state): State<Arc<AppState>>) -> Result<Json<Arc<crate::radar::Radar>>, Failure> {
    with_store(&state, |s, _| s.radar().map_err(internal)).await.map(Json)
}

#[derive(Serialize)]
pub struct NotesFile {
    path: String,
    lines: Vec<String>,
}

/// `GET /api/file?path=…`: a notes file the store was built from, as lines. Only paths the store
/// records are served, and only from inside the folders it follows.
pub async fn file(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Result<Json<NotesFile>, Failure> {
    let params = Params::from_query(query);
    let path = params.first("path").ok_or_else(|| Failure::bad_request("give the file: ?path=…"))?.to_string();
    with_store(&state, move |s, _| {
        let manifest = crate::store::manifest(&s.store).map_err(internal)?;
        if !manifest.contains_key(&path) {
            return Err(Failure::not_found(format!("no notes file {path:?} in the store")));
        }
        let text = read_inside(&s.roots, &path).ok_or_else(|| {
            Failure::not_found(format!("notes file {path:?} is no longer where it was ingested from"))
        })?;
        Ok(NotesFile { path, lines: text.lines().map(str::to_string).collect() })
    })
    .await
    .map(Json)
}

/// Reads `path` (relative, as the store records it) from the first root that holds it, never from
/// outside a root.
fn read_inside(roots: &[std::path::PathBuf], path: &str) -> Option<String> {
    for root in roots {
        let candidate = if root.is_dir() {
            root.join(path)
        } else if root.file_name().is_some_and(|n| n.to_string_lossy() == path) {
            root.clone()
        } else {
            continue;
        };
        let (Ok(real), Ok(base)) = (candidate.canonicalize(), root.canonicalize()) else { continue };
        if !real.starts_with(&base) || !real.is_file() {
            continue;
        }
        // The page shows files up to the default cap, whatever cap the store was ingested with.
        if let Ok(bytes) = crate::corpus::read(&real, crate::corpus::Limits::default()) {
            return Some(String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    None
}

#[derive(Serialize)]
pub struct CannedQuery {
    name: &'static str,
    question: String,
    params: Vec<Parameter>,
    text: &'static str,
}

#[derive(Serialize)]
pub struct Parameter {
    name: String,
    about: String,
}

/// `GET /api/queries`: the canned queries, their questions and parameters.
pub async fn queries() -> Json<Vec<CannedQuery>> {
    Json(
        sparql::CANNED
            .iter()
            .map(|(name, text)| CannedQuery {
                name,
                question: sparql::describe(text).lines().next().unwrap_or(name).to_string(),
                params: sparql::declared_parameters(text)
                    .into_iter()
                    .map(|(n, a)| Parameter { name: n.to_string(), about: a.to_string() })
                    .collect(),
                text,
            })
            .collect(),
    )
}

#[derive(Serialize)]
pub struct Rows {
    variables: Vec<String>,
    total: usize,
    offset: usize,
    rows: Vec<serde_json::Map<String, serde_json::Value>>,
    /// Set when a parameter names nothing in the graph.
    #[serde(skip_serializing_if = "Option::is_none")]
    unknown: Option<Unknown>,
}

#[derive(Serialize)]
pub struct Unknown {
    param: String,
    value: String,
    suggestions: Vec<Entry>,
}

/// `GET /api/queries/{name}?param=value&limit=&offset=`: a canned query's rows, JSON or CSV.
pub async fn canned(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, Failure> {
    let text = sparql::CANNED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .ok_or_else(|| Failure::not_found(format!("no canned query {name:?}; GET /api/queries lists them")))?;
    let params = Params::from_query(query);
    let limit = number(&params, "limit", usize::MAX, usize::MAX)?;
    let offset = number(&params, "offset", 0, usize::MAX)?;
    let declared = sparql::declared_parameters(text);
    let mut given = Vec::new();
    for (param, about) in &declared {
        let value = params
            .first(param)
            .ok_or_else(|| Failure::bad_request(format!("query {name} needs ?{param}=… ({about})")))?;
        given.push(format!("{param}={value}"));
    }
    let bound = sparql::parameters(&given).map_err(|e| Failure::bad_request(format!("{e:#}")))?;
    let (media, csv) = negotiate(&headers, &[("application/json", false), ("text/csv", true)]).ok_or_else(|| {
        Failure(axum::http::StatusCode::NOT_ACCEPTABLE, "ask for application/json or text/csv".into())
    })?;
    let named: Vec<(String, String)> =
        declared.iter().filter_map(|(p, _)| params.first(p).map(|v| (p.to_string(), v.to_string()))).collect();
    let answer = with_store(&state, move |s, token| {
        let query = QueryText { origin: name.clone(), text: text.to_string() };
        let results = sparql::run_answered(&s.store, s.shelf.as_ref(), &query, &bound, token)
            .map_err(|e| Failure::bad_request(format!("{e:#}")))?;
        let QueryResults::Solutions(solutions) = results else {
            return Err(Failure::internal(&anyhow::anyhow!("canned query {name} is not a SELECT")));
        };
        let variables: Vec<String> = solutions.variables().iter().map(|v| v.as_str().to_string()).collect();
        let all: Vec<_> = solutions.collect::<Result<_, _>>().map_err(|e| Failure::internal(&e.into()))?;
        let total = all.len();
        let rows = all
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|row| {
                variables
                    .iter()
                    .filter_map(|v| {
                        row.get(v.as_str()).map(|t| (v.clone(), serde_json::Value::String(sparql::plain(t))))
                    })
                    .collect()
            })
            .collect();
        let unknown = if total == 0 { unknown_parameter(s, &named)? } else { None };
        Ok(Rows { variables, total, offset, rows, unknown })
    })
    .await?;
    if csv {
        return Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], to_csv(&answer)).into_response());
    }
    Ok(([(header::CONTENT_TYPE, media)], Json(answer)).into_response())
}

/// The first parameter that names nothing of its kind in the graph, with the nearest names.
fn unknown_parameter(state: &AppState, named: &[(String, String)]) -> Result<Option<Unknown>, Failure> {
    for (param, value) in named {
        let kind = kind_of_parameter(param);
        if kind.is_some() && names_nothing(&state.store, value).map_err(internal)? {
            let suggestions = state.names().suggest(value, kind, 5).into_iter().cloned().collect();
            return Ok(Some(Unknown { param: param.clone(), value: value.clone(), suggestions }));
        }
    }
    Ok(None)
}

fn to_csv(rows: &Rows) -> String {
    let cell = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
    };
    let mut out = rows.variables.iter().map(|v| cell(v)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    for row in &rows.rows {
        let line: Vec<String> =
            rows.variables.iter().map(|v| cell(row.get(v).and_then(|x| x.as_str()).unwrap_or(""))).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}
