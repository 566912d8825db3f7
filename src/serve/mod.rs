//! `talkgraph serve`: the store over HTTP. A read-only SPARQL 1.1 Protocol endpoint and Graph Store
//! `GET`, the canned queries and the web page's JSON API, the web page itself, and a watcher that
//! re-ingests notes as they change. Every store read runs on a blocking thread under a bounded number of
//! permits and a timeout, so one heavy query cannot starve the rest.

mod access;
mod api;
mod assets;
mod params;
mod protocol;
mod views;
pub mod watch;

use crate::lookup::NameIndex;
use anyhow::{Context, Result, bail};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use oxigraph::sparql::CancellationToken;
use oxigraph::store::Store;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::sync::Semaphore;

/// How the server runs, from the command line.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub bind: SocketAddr,
    /// The access token every request must carry, if any.
    pub token: Option<String>,
    /// Serve a non-loopback address without a token.
    pub public: bool,
    /// Longest a query may run.
    pub timeout: Duration,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// Store reads that may run at once; the rest wait (up to the timeout) for a turn.
    pub concurrent: usize,
    /// The store's shelf of canned answers (a disk store's), which canned queries read first.
    pub shelf: Option<crate::answers::Shelf>,
}

/// How many whole entity views the server keeps between requests.
pub const KEPT_PAGES: usize = 256;

impl ServeOptions {
    /// Notes can be private: a non-loopback address needs a token, or `--public` said out loud.
    pub fn check_access(&self) -> Result<()> {
        if !self.bind.ip().is_loopback() && self.token.is_none() && !self.public {
            bail!(
                "refusing to serve on {} without an access token: set TALKGRAPH_TOKEN or --token-file, or pass --public",
                self.bind
            );
        }
        Ok(())
    }
}

/// Values derived from the store, kept until the store's generation moves on (at most `most` at once).
pub struct Kept<V> {
    slot: std::sync::Mutex<(u64, std::collections::HashMap<String, Arc<V>>)>,
    most: usize,
}

impl<V> Kept<V> {
    pub fn new(most: usize) -> Self {
        Kept { slot: std::sync::Mutex::new((0, std::collections::HashMap::new())), most }
    }

    /// The value kept for `key` in this generation, else `make`'s (kept when there is one).
    pub fn get_or_make(
        &self,
        generation: u64,
        key: &str,
        make: impl FnOnce() -> Result<Option<V>>,
    ) -> Result<Option<Arc<V>>> {
        if let Ok(slot) = self.slot.lock()
            && slot.0 == generation
            && let Some(value) = slot.1.get(key)
        {
            return Ok(Some(Arc::clone(value)));
        }
        let Some(value) = make()? else { return Ok(None) };
        let value = Arc::new(value);
        if let Ok(mut slot) = self.slot.lock() {
            if slot.0 != generation || slot.1.len() >= self.most {
                *slot = (generation, std::collections::HashMap::new());
            }
            slot.1.insert(key.to_string(), Arc::clone(&value));
        }
        Ok(Some(value))
    }
}

/// What every request handler shares.
pub struct AppState {
    pub store: Store,
    /// The notes folders the store follows (for the notes file view).
    pub roots: Vec<PathBuf>,
    /// The names of everything in the graph, rebuilt after each re-ingest.
    pub names: RwLock<Arc<NameIndex>>,
    /// Counts re-ingests that changed the store: the page redraws when it moves.
    pub generation: AtomicU64,
    /// Whole entity views of the current generation (their stance lists sorted once), for paging.
    pub pages: Kept<views::EntityIndex>,
    /// The radar of the current generation, drawn once per change of the store.
    pub radar: Kept<crate::radar::Radar>,
    pub permits: Semaphore,
    pub timeout: Duration,
    /// Where canned queries find their answers kept at ingest (see `answers`).
    pub shelf: Option<crate::answers::Shelf>,
    pub token: Option<String>,
}

impl AppState {
    /// The name index as it is now.
    pub fn names(&self) -> Arc<NameIndex> {
        self.names.read().map(|n| Arc::clone(&n)).unwrap_or_default()
    }

    /// The radar of the store as it is now: drawn on the first ask after each change, then kept.
    pub fn radar(&self) -> Result<Arc<crate::radar::Radar>> {
        let generation = self.generation.load(Ordering::SeqCst);
        let drawn = self.radar.get_or_make(generation, "", || views::radar(&self.store).map(Some))?;
        drawn.ok_or_else(|| anyhow::anyhow!("the radar could not be drawn"))
    }

    /// The sorted lists of an entity's page (None when the graph has no such entity), read once per
    /// generation.
    pub fn entity(&self, iri: &str) -> Result<Option<Arc<views::EntityIndex>>> {
        let generation = self.generation.load(Ordering::SeqCst);
        self.pages.get_or_make(generation, iri, || views::entity(&self.store, iri))
    }

    /// Rebuilds the name index and moves the generation on, after the store changed.
    pub fn refreshed(&self) -> Result<()> {
        let names = Arc::new(NameIndex::build(&self.store)?);
        if let Ok(mut slot) = self.names.write() {
            *slot = names;
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// An error answer: a status and a message for the person or program that asked.
#[derive(Debug)]
pub struct Failure(pub StatusCode, pub String);

impl Failure {
    pub fn bad_request(message: impl Into<String>) -> Failure {
        Failure(StatusCode::BAD_REQUEST, message.into())
    }
    pub fn not_found(message: impl Into<String>) -> Failure {
        Failure(StatusCode::NOT_FOUND, message.into())
    }
    pub fn internal(error: &anyhow::Error) -> Failure {
        Failure(StatusCode::INTERNAL_SERVER_ERROR, format!("{error:#}"))
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.1 }).to_string();
        (self.0, [(axum::http::header::CONTENT_TYPE, "application/json; charset=utf-8")], body).into_response()
    }
}

/// Runs `work` against the store on a blocking thread, once a permit is free, within the timeout: the
/// token handed to `work` is cancelled when the timeout passes (queries stop at their next step).
pub async fn with_store<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(&AppState, &CancellationToken) -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    let timeout = state.timeout;
    let busy = || Failure(StatusCode::SERVICE_UNAVAILABLE, "the server is busy; try again".into());
    let permit =
        tokio::time::timeout(timeout, state.permits.acquire()).await.map_err(|_| busy())?.map_err(|_| busy())?;
    let shared = Arc::clone(state);
    let token = CancellationToken::new();
    let timer = {
        let token = token.clone();
        tokio::spawn(async move {
            tokio::time::sleep(timeout).await;
            token.cancel();
        })
    };
    let job = tokio::task::spawn_blocking(move || work(&shared, &token));
    let answer = tokio::time::timeout(timeout + Duration::from_millis(500), job).await;
    timer.abort();
    drop(permit);
    match answer {
        Ok(Ok(result)) => result,
        Ok(Err(panic)) => Err(Failure(StatusCode::INTERNAL_SERVER_ERROR, format!("the request failed: {panic}"))),
        Err(_) => Err(Failure(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the request ran past the {:.1} s timeout and was stopped", timeout.as_secs_f64()),
        )),
    }
}

/// The routes.
pub fn router(state: Arc<AppState>, max_body: usize) -> Router {
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{name}", get(assets::asset))
        .route("/sparql", get(protocol::sparql_get).post(protocol::sparql_post))
        .route("/store", get(protocol::graph_store))
        .route("/api/stats", get(api::stats))
        .route("/api/generation", get(api::generation))
        .route("/api/search", get(api::search))
        .route("/api/entity", get(api::entity))
        .route("/api/graph", get(api::graph))
        .route("/api/radar", get(api::radar))
        .route("/api/file", get(api::file))
        .route("/api/queries", get(api::queries))
        .route("/api/queries/{name}", get(api::canned))
        .fallback(|| async { Failure::not_found("no such page") })
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&state), access::check))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}

/// Serves until Ctrl-C (or SIGTERM): the store is already brought up to date with `roots`.
pub fn run(store: Store, roots: Vec<PathBuf>, resync: watch::Resync, options: &ServeOptions) -> Result<()> {
    options.check_access()?;
    let names = NameIndex::build(&store)?;
    let state = Arc::new(AppState {
        store,
        roots: roots.clone(),
        names: RwLock::new(Arc::new(names)),
        generation: AtomicU64::new(0),
        radar: Kept::new(1),
        pages: Kept::new(KEPT_PAGES),
        permits: Semaphore::new(options.concurrent.max(1)),
        timeout: options.timeout,
        shelf: options.shelf.clone(),
        token: options.token.clone(),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.bind)
            .await
            .with_context(|| format!("cannot listen on {}", options.bind))?;
        let address = listener.local_addr()?;
        let watching = watch::start(Arc::clone(&state), &roots, resync)?;
        println!("talkgraph serving on http://{address}/ (SPARQL at http://{address}/sparql); Ctrl-C stops it");
        axum::serve(listener, router(state, options.max_body)).with_graceful_shutdown(stopped()).await?;
        drop(watching);
        println!("talkgraph stopped");
        Ok(())
    });
    // Every request's blocking work ends before the store is closed.
    drop(runtime);
    served
}

/// Resolves on Ctrl-C or SIGTERM.
async fn stopped() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = interrupt => {}, () = terminate => {} }
}
