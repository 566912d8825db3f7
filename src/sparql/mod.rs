//! SPARQL over the store: canned queries (`queries/*.rq`, compiled in), parameters bound as RDF terms
//! (never spliced into the query text), read-only evaluation over the union of all graphs, a timeout, and
//! results as a readable table or the standard CSV, TSV, JSON and XML formats.

use anyhow::{Context, Result, anyhow, bail};
use oxigraph::model::{Literal, Term, Variable};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryResults, QuerySolution, QuerySolutionIter, SparqlEvaluator};
use oxigraph::store::Store;
use spargebra::algebra::GraphPattern;
use std::io::Write;
use std::time::Duration;

mod order;

include!(concat!(env!("OUT_DIR"), "/canned_queries.rs"));

/// A query ready to run: its text and where it came from.
#[derive(Debug, Clone)]
pub struct QueryText {
    /// Canned name or file path.
    pub origin: String,
    /// The SPARQL text.
    pub text: String,
}

/// A canned query by name, or a `.rq` file by path.
pub fn resolve(name_or_file: &str) -> Result<QueryText> {
    if let Some((_, text)) = CANNED.iter().find(|(n, _)| *n == name_or_file.trim_end_matches(".rq")) {
        return Ok(QueryText { origin: name_or_file.to_string(), text: (*text).to_string() });
    }
    let path = std::path::Path::new(name_or_file);
    if path.exists() {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        return Ok(QueryText { origin: path.display().to_string(), text });
    }
    let names: Vec<&str> = CANNED.iter().map(|(n, _)| *n).collect();
    bail!("no canned query or file named {name_or_file:?}; canned queries: {}", names.join(", "))
}

/// The header comment of a query: its question and parameters.
pub fn describe(text: &str) -> String {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| l.trim_start_matches('#').trim())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The parameters a query's header declares, as (name, description): `# @param tech  a technology's name`.
pub fn declared_parameters(text: &str) -> Vec<(&str, &str)> {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .filter_map(|l| l.trim_start_matches('#').trim().strip_prefix("@param"))
        .map(|rest| {
            let rest = rest.trim();
            rest.split_once(char::is_whitespace).map_or((rest, ""), |(name, about)| (name, about.trim()))
        })
        .collect()
}

/// Parses `NAME=VALUE` parameters into variable bindings (plain string literals). Each parameter also
/// binds `?NAMEKey` to its lower-case form, which queries match against `tg:lookupKey` to find a
/// technology or organization by any of its names through an index.
pub fn parameters(raw: &[String]) -> Result<Vec<(Variable, Literal)>> {
    let mut out = Vec::new();
    for (name, value) in named_values(raw)? {
        let var = Variable::new(&name).map_err(|e| anyhow!("parameter name {name:?}: {e}"))?;
        let key = Variable::new(format!("{name}Key")).map_err(|e| anyhow!("parameter name {name:?}: {e}"))?;
        out.push((var, Literal::new_simple_literal(&value)));
        out.push((key, Literal::new_simple_literal(crate::text::normalize(value.trim()))));
    }
    Ok(out)
}

/// Splits `NAME=VALUE` parameters into names (without a leading `?` or `$`) and values.
pub fn named_values(raw: &[String]) -> Result<Vec<(String, String)>> {
    raw.iter()
        .map(|p| {
            let (name, value) = p.split_once('=').ok_or_else(|| anyhow!("parameter {p:?} is not NAME=VALUE"))?;
            Ok((name.trim().trim_start_matches(['?', '$']).to_string(), value.to_string()))
        })
        .collect()
}

/// Runs a read-only query over the union of all graphs; a canned one is answered from `shelf` when it
/// can be (see [`run_answered`]). A SELECT ordered by projected variables is
/// evaluated unordered and its rows sorted once decoded (see `order`), which gives the same rows in the
/// same order, faster.
pub fn run<'a>(
    store: &'a Store,
    shelf: Option<&crate::answers::Shelf>,
    query: &QueryText,
    params: &[(Variable, Literal)],
    timeout: Option<Duration>,
) -> Result<QueryResults<'a>> {
    run_page(store, shelf, query, params, timeout, 0, None)
}

/// As [`run`], the rows of a SELECT from the `offset`-th on, at most `limit` of them: the page is the
/// query's own `OFFSET`/`LIMIT`, so an ordered answer sorts only as many rows as the page shows.
pub fn run_page<'a>(
    store: &'a Store,
    shelf: Option<&crate::answers::Shelf>,
    query: &QueryText,
    params: &[(Variable, Literal)],
    timeout: Option<Duration>,
    offset: usize,
    limit: Option<usize>,
) -> Result<QueryResults<'a>> {
    let token = CancellationToken::new();
    if let Some(limit) = timeout {
        let token = token.clone();
        std::thread::spawn(move || {
            std::thread::sleep(limit);
            token.cancel();
        });
    }
    run_sliced(store, shelf, query, params, &token, (offset, limit))
}

/// As [`run`], stopped when `token` is cancelled (a server cancels it from its own timer).
pub fn run_cancellable<'a>(
    store: &'a Store,
    query: &QueryText,
    params: &[(Variable, Literal)],
    token: &CancellationToken,
) -> Result<QueryResults<'a>> {
    run_answered(store, None, query, params, token)
}

/// As [`run_cancellable`]; a canned query (its text unchanged) is answered from `shelf` when the shelf
/// holds current answers for every graph (see `answers`), and from the store otherwise.
pub fn run_answered<'a>(
    store: &'a Store,
    shelf: Option<&crate::answers::Shelf>,
    query: &QueryText,
    params: &[(Variable, Literal)],
    token: &CancellationToken,
) -> Result<QueryResults<'a>> {
    run_sliced(store, shelf, query, params, token, (0, None))
}

fn run_sliced<'a>(
    store: &'a Store,
    shelf: Option<&crate::answers::Shelf>,
    query: &QueryText,
    params: &[(Variable, Literal)],
    token: &CancellationToken,
    (offset, limit): (usize, Option<usize>),
) -> Result<QueryResults<'a>> {
    let parsed = spargebra::SparqlParser::new()
        .parse_query(&query.text)
        .map_err(|e| read_only_error(&query.text, e))
        .with_context(|| format!("in query {}", query.origin))?;
    let bound = slice(bind(parsed, params), offset, limit);
    if let Some(shelf) = shelf
        && let Some(answered) = from_shelf(store, shelf, query, params, &bound)?
    {
        return Ok(answered);
    }
    let failed = |e: oxigraph::sparql::QueryEvaluationError| anyhow!("query {} failed: {e}", query.origin);
    if let Some(ordered) = order::split(&bound)
        && let QueryResults::Solutions(rows) = evaluate(store, ordered.unordered.clone(), token).map_err(failed)?
    {
        let variables: std::sync::Arc<[Variable]> = rows.variables().into();
        let rows: Vec<QuerySolution> = rows.collect::<Result<_, _>>().map_err(failed)?;
        if let Some(sorted) = ordered.sort(rows) {
            return Ok(QueryResults::Solutions(QuerySolutionIter::new(variables, sorted.into_iter().map(Ok))));
        }
    }
    evaluate(store, bound, token).map_err(failed)
}

/// A canned query's rows from the shelf, sorted as the engine's rows are; `None` when the query is not a
/// canned one or the shelf cannot answer it.
fn from_shelf<'a>(
    store: &Store,
    shelf: &crate::answers::Shelf,
    query: &QueryText,
    params: &[(Variable, Literal)],
    bound: &spargebra::Query,
) -> Result<Option<QueryResults<'a>>> {
    let Some((name, _)) = CANNED.iter().find(|(_, text)| *text == query.text) else { return Ok(None) };
    let Some(ordered) = order::split(bound) else { return Ok(None) };
    let Some(rows) = crate::answers::answer(store, shelf, name, params)? else { return Ok(None) };
    let variables: std::sync::Arc<[Variable]> = ordered.variables().into();
    let rows: Vec<QuerySolution> = rows.into_iter().map(|row| QuerySolution::from((variables.clone(), row))).collect();
    let Some(sorted) = ordered.sort(rows) else { return Ok(None) };
    Ok(Some(QueryResults::Solutions(QuerySolutionIter::new(variables, sorted.into_iter().map(Ok)))))
}

fn evaluate<'a>(
    store: &'a Store,
    query: spargebra::Query,
    token: &CancellationToken,
) -> Result<QueryResults<'a>, oxigraph::sparql::QueryEvaluationError> {
    let mut prepared = SparqlEvaluator::new().with_cancellation_token(token.clone()).for_query(query);
    prepared.dataset_mut().set_default_graph_as_union();
    prepared.on_store(store).execute()
}

/// A SELECT limited to the rows from `offset` on, at most `limit` (other queries as they are).
fn slice(query: spargebra::Query, offset: usize, limit: Option<usize>) -> spargebra::Query {
    match query {
        spargebra::Query::Select { dataset, pattern, base_iri } if offset > 0 || limit.is_some() => {
            let pattern = GraphPattern::Slice { inner: Box::new(pattern), start: offset, length: limit };
            spargebra::Query::Select { dataset, pattern, base_iri }
        }
        other => other,
    }
}

/// Binds parameters as initial values: a one-row `VALUES` table joined at the leftmost leaf of the
/// query's pattern, below every filter and BIND, so they are data (never query text) and bound first.
pub fn bind(query: spargebra::Query, params: &[(Variable, Literal)]) -> spargebra::Query {
    if params.is_empty() {
        return query;
    }
    let values = GraphPattern::Values {
        variables: params.iter().map(|(v, _)| v.clone()).collect(),
        bindings: vec![params.iter().map(|(_, l)| Some(l.clone().into())).collect()],
    };
    match query {
        spargebra::Query::Select { dataset, pattern, base_iri } => {
            spargebra::Query::Select { dataset, pattern: inject(pattern, values), base_iri }
        }
        spargebra::Query::Construct { template, dataset, pattern, base_iri } => {
            spargebra::Query::Construct { template, dataset, pattern: inject(pattern, values), base_iri }
        }
        spargebra::Query::Describe { dataset, pattern, base_iri } => {
            spargebra::Query::Describe { dataset, pattern: inject(pattern, values), base_iri }
        }
        spargebra::Query::Ask { dataset, pattern, base_iri } => {
            spargebra::Query::Ask { dataset, pattern: inject(pattern, values), base_iri }
        }
    }
}

fn inject(pattern: GraphPattern, values: GraphPattern) -> GraphPattern {
    let boxed = |p: Box<GraphPattern>| Box::new(inject(*p, values.clone()));
    match pattern {
        GraphPattern::Project { inner, variables } => GraphPattern::Project { inner: boxed(inner), variables },
        GraphPattern::Distinct { inner } => GraphPattern::Distinct { inner: boxed(inner) },
        GraphPattern::Reduced { inner } => GraphPattern::Reduced { inner: boxed(inner) },
        GraphPattern::Slice { inner, start, length } => GraphPattern::Slice { inner: boxed(inner), start, length },
        GraphPattern::OrderBy { inner, expression } => GraphPattern::OrderBy { inner: boxed(inner), expression },
        GraphPattern::Group { inner, variables, aggregates } => {
            GraphPattern::Group { inner: boxed(inner), variables, aggregates }
        }
        GraphPattern::Filter { expr, inner } => GraphPattern::Filter { expr, inner: boxed(inner) },
        GraphPattern::Extend { inner, variable, expression } => {
            GraphPattern::Extend { inner: boxed(inner), variable, expression }
        }
        GraphPattern::LeftJoin { left, right, expression } => {
            GraphPattern::LeftJoin { left: boxed(left), right, expression }
        }
        GraphPattern::Join { left, right } => GraphPattern::Join { left: boxed(left), right },
        GraphPattern::Minus { left, right } => GraphPattern::Minus { left: boxed(left), right },
        GraphPattern::Union { left, right } => GraphPattern::Union { left: boxed(left), right: boxed(right) },
        GraphPattern::Graph { name, inner } => GraphPattern::Graph { name, inner: boxed(inner) },
        other => GraphPattern::Join { left: Box::new(values), right: Box::new(other) },
    }
}

fn read_only_error(text: &str, e: spargebra::SparqlSyntaxError) -> anyhow::Error {
    let is_update = spargebra::SparqlParser::new().parse_update(text).is_ok();
    if is_update {
        anyhow!("SPARQL Update is refused: `query` is read-only")
    } else {
        anyhow!("SPARQL syntax error: {e}")
    }
}

/// The rows of a SELECT from the `offset`-th on, at most `limit` of them; other results as they are.
pub fn page(results: QueryResults<'_>, offset: usize, limit: Option<usize>) -> QueryResults<'_> {
    match results {
        QueryResults::Solutions(rows) => {
            let variables: std::sync::Arc<[Variable]> = rows.variables().into();
            let rows = rows.skip(offset).take(limit.unwrap_or(usize::MAX));
            QueryResults::Solutions(QuerySolutionIter::new(variables, rows))
        }
        other => other,
    }
}

/// How to print results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ResultFormat {
    /// An aligned, readable table.
    Table,
    /// SPARQL CSV.
    Csv,
    /// SPARQL TSV.
    Tsv,
    /// SPARQL JSON.
    Json,
    /// SPARQL XML.
    Xml,
}

/// Writes results in the chosen format.
pub fn write(results: QueryResults<'_>, format: ResultFormat, out: &mut dyn Write) -> Result<()> {
    let standard = match format {
        ResultFormat::Table => return write_table(results, out),
        ResultFormat::Csv => QueryResultsFormat::Csv,
        ResultFormat::Tsv => QueryResultsFormat::Tsv,
        ResultFormat::Json => QueryResultsFormat::Json,
        ResultFormat::Xml => QueryResultsFormat::Xml,
    };
    let serializer = QueryResultsSerializer::from_format(standard);
    match results {
        QueryResults::Solutions(rows) => {
            let mut w = serializer.serialize_solutions_to_writer(out, rows.variables().to_vec())?;
            for row in rows {
                w.serialize(&row?)?;
            }
            w.finish()?;
        }
        QueryResults::Boolean(b) => {
            serializer.serialize_boolean_to_writer(out, b)?;
        }
        QueryResults::Graph(triples) => {
            for t in triples {
                writeln!(out, "{} .", t?)?;
            }
        }
    }
    Ok(())
}

/// A term as a person reads it: literals without quotes, IRIs as they are.
pub fn plain(term: &Term) -> String {
    match term {
        Term::Literal(l) => l.value().to_string(),
        Term::NamedNode(n) => n.as_str().to_string(),
        other => other.to_string(),
    }
}

fn write_table(results: QueryResults<'_>, out: &mut dyn Write) -> Result<()> {
    match results {
        QueryResults::Boolean(b) => writeln!(out, "{b}")?,
        QueryResults::Graph(triples) => {
            for t in triples {
                writeln!(out, "{} .", t?)?;
            }
        }
        QueryResults::Solutions(rows) => {
            let vars: Vec<Variable> = rows.variables().to_vec();
            let rows: Vec<QuerySolution> = rows.collect::<Result<_, _>>()?;
            let cells: Vec<Vec<String>> =
                rows.iter().map(|r| vars.iter().map(|v| r.get(v).map(plain).unwrap_or_default()).collect()).collect();
            let header: Vec<String> = vars.iter().map(|v| v.as_str().to_string()).collect();
            print_table(&header, &cells, out)?;
            writeln!(out, "({} row{})", cells.len(), if cells.len() == 1 { "" } else { "s" })?;
        }
    }
    Ok(())
}

fn print_table(header: &[String], rows: &[Vec<String>], out: &mut dyn Write) -> Result<()> {
    let width = |i: usize| {
        rows.iter().map(|r| r[i].chars().count()).chain([header[i].chars().count()]).max().unwrap_or(0).min(100)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                let c: String = c.replace('\n', " ").chars().take(*w).collect();
                format!("{c:<w$}")
            })
            .collect::<Vec<_>>()
            .join(" | ")
            .trim_end()
            .to_string()
    };
    writeln!(out, "{}", line(header))?;
    writeln!(out, "{}", widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("-+-"))?;
    for r in rows {
        writeln!(out, "{}", line(r))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_parameters_come_from_the_header_only() {
        let text =
            "# Which?\n# @param tech  a technology's name\n#@param company\nSELECT * WHERE {}\n# @param late  x\n";
        assert_eq!(declared_parameters(text), [("tech", "a technology's name"), ("company", "")]);
    }

    /// True when `?name` occurs in `text` as a whole variable (not as the start of `?nameOther`).
    fn uses_variable(text: &str, name: &str) -> bool {
        let needle = format!("?{name}");
        text.match_indices(&needle)
            .any(|(at, _)| !text[at + needle.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'))
    }

    #[test]
    fn uses_variable_matches_whole_names_only() {
        assert!(uses_variable("?t tg:lookupKey ?techKey .", "techKey"));
        assert!(!uses_variable("?t skos:prefLabel ?technology .", "tech"));
    }

    #[test]
    fn every_canned_query_declares_the_parameters_it_uses() {
        for (name, text) in CANNED {
            for (param, about) in declared_parameters(text) {
                let used = [param.to_string(), format!("{param}Key")].iter().any(|v| uses_variable(text, v));
                assert!(used, "{name} declares {param} but uses neither ?{param} nor ?{param}Key");
                assert!(!about.is_empty(), "{name}: @param {param} says nothing of what it takes");
            }
        }
    }
}
