//! A request's parameters (URL query string or form body), in order, repeated names kept.

/// Decoded `name=value` pairs.
#[derive(Debug, Default, Clone)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Decodes `application/x-www-form-urlencoded` bytes.
    pub fn from_bytes(text: &[u8]) -> Params {
        Params(form_urlencoded::parse(text).map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
    }

    /// Decodes a URL's query string, if it has one.
    pub fn from_query(query: Option<String>) -> Params {
        Params::from_bytes(query.unwrap_or_default().as_bytes())
    }

    /// Adds the pairs of another source (a form after the URL's).
    pub fn extend(&mut self, more: Params) {
        self.0.extend(more.0);
    }

    /// The first value of `name`.
    pub fn first(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }

    /// True when `name` is given, with or without a value (`?default`).
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
}
