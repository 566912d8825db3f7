//! The web page's files, built into the binary: our own page (`web/`) and the graph library
//! (cytoscape.js, installed from npm by `npm ci` in `web/` and copied in by `build.rs`; without it the
//! page still works and says that the graph view needs it).

use super::Failure;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

const INDEX: &str = include_str!("../../web/index.html");
const APP: &str = include_str!("../../web/app.js");
const STYLE: &str = include_str!("../../web/style.css");
const CYTOSCAPE: &str = include_str!(concat!(env!("OUT_DIR"), "/cytoscape.min.js"));

/// The page.
pub async fn index() -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], INDEX).into_response()
}

/// One of the page's files, by name; nothing else is served from here.
pub async fn asset(Path(name): Path<String>) -> Result<Response, Failure> {
    let (body, kind) = match name.as_str() {
        "app.js" => (APP, "text/javascript; charset=utf-8"),
        "style.css" => (STYLE, "text/css; charset=utf-8"),
        "cytoscape.min.js" => (CYTOSCAPE, "text/javascript; charset=utf-8"),
        _ => return Err(Failure::not_found(format!("no asset {name:?}"))),
    };
    Ok(([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "no-cache")], body).into_response())
}
