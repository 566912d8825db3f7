//! The access token: when the server has one, every request (pages, API, SPARQL) must carry it, as
//! `Authorization: Bearer …`, as the `talkgraph_token` cookie, or once as `?access_token=…` in a link
//! (which sets the cookie, so the page's own requests carry it). The token is never logged or echoed.

use super::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

const COOKIE: &str = "talkgraph_token";

/// Lets a request through when the server has no token or the request carries it.
pub async fn check(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let Some(token) = state.token.as_deref() else {
        return next.run(request).await;
    };
    let from_link = request.uri().query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "access_token").map(|(_, v)| v.into_owned())
    });
    if carried(request.headers(), token) {
        return next.run(request).await;
    }
    if from_link.as_deref().is_some_and(|given| same(given, token)) {
        let mut response = next.run(request).await;
        let cookie = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
        if let Ok(value) = cookie.parse() {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
        return response;
    }
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer realm=\"talkgraph\"")],
        "this talkgraph server needs its access token (Authorization: Bearer, or ?access_token= once)\n",
    )
        .into_response()
}

/// True when the headers carry the token, as a bearer token or the cookie.
fn carried(headers: &HeaderMap, token: &str) -> bool {
    let bearer = headers
        .get_all(header::AUTHORIZATION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.strip_prefix("Bearer "))
        .any(|given| same(given.trim(), token));
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().strip_prefix(COOKIE).and_then(|rest| rest.strip_prefix('=')))
        .any(|given| same(given, token));
    bearer || cookie
}

/// Compares in time that depends on the length only, not on where the first difference lies.
fn same(given: &str, token: &str) -> bool {
    let (a, b) = (given.as_bytes(), token.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_found_in_a_bearer_header_or_the_cookie_and_nowhere_else() {
        let mut headers = HeaderMap::new();
        assert!(!carried(&headers, "s3cret"));
        headers.insert(header::AUTHORIZATION, "Bearer s3cret".parse().unwrap());
        assert!(carried(&headers, "s3cret"));
        assert!(!carried(&headers, "s3cre"));
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, "a=b; talkgraph_token=s3cret".parse().unwrap());
        assert!(carried(&headers, "s3cret"));
        headers.insert(header::COOKIE, "talkgraph_token=wrong".parse().unwrap());
        assert!(!carried(&headers, "s3cret"));
    }
}
