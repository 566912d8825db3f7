//! The command line, as clap derive types; the doc comments are the help text.

use crate::rdf::export::Scope;
use crate::sparql::ResultFormat;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// talkgraph: conference notes (Markdown, Russian and English) into an RDF knowledge graph of talks,
/// speakers, organizations, technologies and stances, in an embedded Oxigraph store.
///
/// Exit codes: 0 success, 1 error (or a warning under --strict), 2 usage.
#[derive(Debug, Parser)]
#[command(name = "talkgraph", version)]
pub struct Cli {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Turn warnings (unreadable files, talks without speakers) into errors.
    #[arg(long, global = true)]
    pub strict: bool,
    /// Skip notes files larger than this (bytes, or with a unit: 500K, 64M, 1G), with a warning.
    #[arg(long, global = true, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_file_size: u64,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// What may be read from the notes folders.
    pub fn limits(&self) -> crate::corpus::Limits {
        crate::corpus::Limits { max_file_size: self.max_file_size }
    }
}

/// A size in bytes, with an optional binary unit (K, M, G, with or without a trailing B or iB).
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number.parse().map_err(|_| format!("`{text}` is not a size (e.g. 64M)"))?;
    let shift = match unit.trim().to_ascii_uppercase().trim_end_matches('B').trim_end_matches('I') {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        _ => return Err(format!("`{text}`: unknown unit `{unit}` (use K, M or G)")),
    };
    number.checked_mul(1 << shift).ok_or_else(|| format!("`{text}` is too large"))
}

/// Where the store lives.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// The store folder (RocksDB) [default: .talkgraph in the working directory].
    #[arg(long, global = true, value_name = "DIR", conflicts_with_all = ["memory", "endpoint"])]
    pub store: Option<PathBuf>,
    /// Use a throwaway in-memory store, built from the notes for this one command.
    #[arg(long, global = true, conflicts_with = "endpoint")]
    pub memory: bool,
    /// Answer `query` and `stats` from a remote SPARQL query endpoint (Oxigraph `…/query`, Virtuoso
    /// `…/sparql`, Fuseki `…/ds/query`) instead of the local store. Credentials come from
    /// TALKGRAPH_USER/TALKGRAPH_PASSWORD or a netrc entry for the host.
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint: Option<String>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingest notes into the store: new files added, changed files replaced, removed files dropped.
    Ingest(IngestArgs),
    /// Run a canned query (see `queries/`) or a SPARQL file or text over the graph.
    Query(QueryArgs),
    /// Export the graph as RDF (Turtle by default).
    Export(ExportArgs),
    /// Count talks, speakers, organizations, technologies, stances and triples.
    Stats(NotesArgs),
    /// List terms that look like technologies but are not in the vocabulary, with counts and file:line.
    Candidates(CandidatesArgs),
    /// Score extraction against gold annotations: precision, recall and F1 per kind of fact.
    Eval(EvalArgs),
    /// Send the graph to a SPARQL server by the Graph Store Protocol (one named graph per notes file, only
    /// those changed since the last push to that URL), or by SPARQL Update with --update.
    Push(PushArgs),
    /// Serve the graph: a web page to explore it, a read-only SPARQL endpoint and the canned queries over
    /// HTTP, re-ingesting notes as they change. Ctrl-C stops it.
    Serve(ServeArgs),
}

/// Which notes a command reads.
#[derive(Debug, Args)]
pub struct NotesArgs {
    /// Notes files or folders [default: the folders the store was built from, else notes/].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// `ingest` arguments.
#[derive(Debug, Args)]
pub struct IngestArgs {
    #[command(flatten)]
    pub notes: NotesArgs,
    /// Drop everything and rebuild the store from the notes.
    #[arg(long)]
    pub rebuild: bool,
}

/// `query` arguments.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// A canned query name (e.g. companies-moved-to) or a .rq file.
    #[arg(value_name = "NAME|FILE.rq", required_unless_present_any = ["query", "list"])]
    pub name: Option<String>,
    /// SPARQL query text to run instead of a named query.
    #[arg(long = "query", value_name = "TEXT", conflicts_with = "name")]
    pub query: Option<String>,
    /// Bind a query variable: NAME=VALUE (bound as a literal, never spliced into the text).
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ResultFormat::Table)]
    pub format: ResultFormat,
    /// Stop the query after this many seconds.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Print at most this many rows of a SELECT (after --offset): one page of a long answer.
    #[arg(long, value_name = "ROWS")]
    pub limit: Option<usize>,
    /// Skip this many rows of a SELECT first (with --limit, the page that starts there).
    #[arg(long, value_name = "ROWS", default_value_t = 0)]
    pub offset: usize,
    /// List the canned queries with their questions and parameters.
    #[arg(long)]
    pub list: bool,
}

/// Export formats: RDF, and the projections for graph tools and radars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Turtle (all graphs merged).
    Ttl,
    /// N-Triples (all graphs merged).
    Nt,
    /// N-Quads (one graph per notes file).
    Nq,
    /// TriG (one graph per notes file).
    Trig,
    /// JSON-LD with a compact @context, one @graph per notes file.
    Jsonld,
    /// RDF/XML (all graphs merged).
    Rdf,
    /// GraphML property graph (Gephi, Cytoscape, yEd, networkx, igraph): one edge per stance with its evidence.
    Graphml,
    /// The technology radar as Build-Your-Own-Radar CSV (name,ring,quadrant,isNew,description).
    Radar,
}

/// `export` arguments.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format [default: from the --output extension, else ttl].
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Which ontology graphs to add to the notes graphs: none, the vocabulary schema, or all (every
    /// technology, organization and cue word of `ontology/`).
    #[arg(long, value_enum, default_value_t = Scope::Schema)]
    pub ontology: Scope,
}

/// `push` arguments.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// The server's Graph Store endpoint (Oxigraph `http://host:7878/store`, Fuseki `…/ds/data`, Virtuoso
    /// `…/sparql-graph-crud-auth`), or with --update its SPARQL Update endpoint.
    #[arg(value_name = "URL")]
    pub url: String,
    /// Send every graph, not only those changed since the last push to this URL.
    #[arg(long)]
    pub all: bool,
    /// Use SPARQL 1.1 Update (DROP SILENT GRAPH + INSERT DATA in chunks) instead of the Graph Store Protocol.
    #[arg(long)]
    pub update: bool,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub parallel: usize,
    /// Keep an Oxigraph server's transactional loads (by default it is asked to bulk-load each graph).
    #[arg(long)]
    pub no_bulk: bool,
    #[command(flatten)]
    pub notes: NotesArgs,
}

/// `candidates` arguments.
#[derive(Debug, Args)]
pub struct CandidatesArgs {
    #[command(flatten)]
    pub notes: NotesArgs,
    /// Show only terms seen at least this many times.
    #[arg(long, default_value_t = 1)]
    pub min_count: usize,
}

/// `eval` arguments.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Folder (or file) of gold JSON annotations (the format of tests/gold/GUIDELINES.md).
    #[arg(long, value_name = "DIR")]
    pub gold: PathBuf,
    #[command(flatten)]
    pub notes: NotesArgs,
    /// Print the table as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also score each document on its own: one row of F1 figures per notes file, then the total.
    #[arg(long)]
    pub per_file: bool,
    /// Also list, per document, the stances missed (`-`, gold the graph lacks) and spurious (`+`, in
    /// the graph, not in the gold).
    #[arg(long)]
    pub misses: bool,
}

/// `serve` arguments.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub notes: NotesArgs,
    /// Address and port to listen on; anything but loopback needs an access token or --public.
    #[arg(long, default_value = "127.0.0.1:7878", value_name = "ADDR:PORT")]
    pub bind: std::net::SocketAddr,
    /// A file holding the access token every request must carry (else the TALKGRAPH_TOKEN environment
    /// variable, if set).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Serve on a non-loopback address without an access token.
    #[arg(long)]
    pub public: bool,
    /// Longest a query or page may take, in seconds.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    pub max_request: usize,
    /// Store reads that may run at once (others wait their turn) [default: twice the cores].
    #[arg(long, value_name = "N")]
    pub concurrent: Option<usize>,
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_take_binary_units() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("500kb"), Ok(500 << 10));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert!(parse_size("12X").is_err());
        assert!(parse_size("M").is_err());
    }
}
