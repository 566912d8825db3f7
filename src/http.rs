//! The HTTP client of `push` and `--endpoint`: one client for a server, its credentials (environment or
//! netrc, never the command line, never printed), Basic or Digest as the server asks, and errors that
//! say what the server answered.

use anyhow::{Context, Result, bail};
use std::sync::Mutex;
use std::time::Duration;

/// The environment variables credentials are read from.
pub const USER_VAR: &str = "TALKGRAPH_USER";
pub const PASSWORD_VAR: &str = "TALKGRAPH_PASSWORD";

/// A user name and password.
#[derive(Clone)]
pub struct Credentials {
    user: String,
    password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({}, <hidden>)", self.user)
    }
}

impl Credentials {
    /// From `TALKGRAPH_USER`/`TALKGRAPH_PASSWORD`, else from the netrc file (`$NETRC`, else `~/.netrc`)
    /// entry of the URL's host (or its `default` entry).
    pub fn find(url: &str) -> Result<Option<Credentials>> {
        if let (Ok(user), Ok(password)) = (std::env::var(USER_VAR), std::env::var(PASSWORD_VAR)) {
            return Ok(Some(Credentials { user, password }));
        }
        let path = match std::env::var_os("NETRC") {
            Some(p) => std::path::PathBuf::from(p),
            None => match std::env::var_os("HOME") {
                Some(home) => std::path::Path::new(&home).join(".netrc"),
                None => return Ok(None),
            },
        };
        let Ok(text) = std::fs::read_to_string(&path) else { return Ok(None) };
        Ok(netrc_entry(&text, &host_of(url)?))
    }
}

/// The host of an http(s) URL.
fn host_of(url: &str) -> Result<String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .with_context(|| format!("{url} is not an http:// or https:// URL"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if host_port.starts_with('[') {
        host_port.split(']').next().map(|h| format!("{h}]")).unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default().to_string()
    };
    Ok(host)
}

/// The login and password of `host` in netrc text (`machine HOST login U password P`, in any layout),
/// else of its `default` entry.
fn netrc_entry(text: &str, host: &str) -> Option<Credentials> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut entries: Vec<(Option<&str>, Option<&str>, Option<&str>)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i] {
            "machine" => {
                entries.push((tokens.get(i + 1).copied(), None, None));
                i += 1;
            }
            "default" => entries.push((None, None, None)),
            "login" => {
                if let Some(e) = entries.last_mut() {
                    e.1 = tokens.get(i + 1).copied();
                }
                i += 1;
            }
            "password" => {
                if let Some(e) = entries.last_mut() {
                    e.2 = tokens.get(i + 1).copied();
                }
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    let pick = |m: Option<&str>| entries.iter().find(|e| e.0 == m && e.1.is_some() && e.2.is_some());
    pick(Some(host)).or_else(|| pick(None)).map(|e| Credentials {
        user: e.1.unwrap_or_default().to_string(),
        password: e.2.unwrap_or_default().to_string(),
    })
}

/// A server's answer: status, content type and body.
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    /// The `Server` header: what software answered.
    pub server: String,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as text, shortened for an error message.
    pub fn message(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let text = text.trim();
        let short: String = text.chars().take(300).collect();
        if short.len() < text.len() { format!("{short}…") } else { short }
    }

    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// How the server wants credentials, learnt from its first 401.
enum Scheme {
    Unknown,
    Basic,
    Digest(Box<digest_auth::WwwAuthenticateHeader>),
}

/// An HTTP client for one server.
pub struct Client {
    agent: ureq::Agent,
    credentials: Option<Credentials>,
    scheme: Mutex<Scheme>,
}

/// The pauses before each retry of a request the server failed (5xx).
const RETRY_PAUSES: [Duration; 2] = [Duration::from_millis(200), Duration::from_millis(1000)];

/// The longest one request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(600);

impl Client {
    /// A client for `url`'s server, with the credentials the environment or netrc gives for it.
    pub fn for_url(url: &str) -> Result<Client> {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(REQUEST_TIMEOUT))
            .build()
            .into();
        Ok(Client { agent, credentials: Credentials::find(url)?, scheme: Mutex::new(Scheme::Unknown) })
    }

    /// Sends one request (method, URL with its query, headers, body) and reads the answer; on a 401 with
    /// credentials at hand, answers the server's challenge and sends it once more.
    /// A server error (5xx) is retried twice after a pause: every request talkgraph sends is idempotent
    /// (a `PUT` or `DELETE` of a whole graph, an `INSERT DATA` of a set of triples), and servers fail
    /// transiently (Virtuoso, given graphs in parallel, can trip over its own new-language table).
    pub fn send(&self, method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Answer> {
        let mut answer = self.send_once(method, url, headers, body)?;
        for pause in RETRY_PAUSES {
            if answer.status < 500 {
                break;
            }
            std::thread::sleep(pause);
            answer = self.send_once(method, url, headers, body)?;
        }
        Ok(answer)
    }

    fn send_once(&self, method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Answer> {
        let first = self.attempt(method, url, headers, body, self.authorization(method, url, body)?)?;
        if first.0.status != 401 || self.credentials.is_none() {
            return Ok(first.0);
        }
        let Some(challenge) = first.1 else { return Ok(first.0) };
        self.learn(&challenge)?;
        let retry = self.attempt(method, url, headers, body, self.authorization(method, url, body)?)?;
        Ok(retry.0)
    }

    fn attempt(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        authorization: Option<String>,
    ) -> Result<(Answer, Option<String>)> {
        let mut request = ureq::http::Request::builder().method(method).uri(url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(auth) = authorization {
            request = request.header("Authorization", auth);
        }
        let request = request.body(body.to_vec()).with_context(|| format!("building a {method} request to {url}"))?;
        let mut response = self.agent.run(request).map_err(|e| anyhow::anyhow!("{method} {url}: {e}"))?;
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let content_type = header("content-type").unwrap_or_default();
        let challenge = header("www-authenticate");
        let server = header("server").unwrap_or_default();
        let body = response
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .with_context(|| format!("reading the answer to {method} {url}"))?;
        Ok((Answer { status: response.status().as_u16(), content_type, server, body }, challenge))
    }

    /// Remembers the scheme a 401 asked for.
    fn learn(&self, challenge: &str) -> Result<()> {
        let mut scheme = self.scheme.lock().map_err(|_| anyhow::anyhow!("auth state poisoned"))?;
        *scheme = if challenge.trim_start().to_ascii_lowercase().starts_with("digest") {
            Scheme::Digest(Box::new(
                digest_auth::parse(challenge).map_err(|e| anyhow::anyhow!("the server's digest challenge: {e}"))?,
            ))
        } else if challenge.trim_start().to_ascii_lowercase().starts_with("basic") {
            Scheme::Basic
        } else {
            bail!("the server asks for {challenge:?}, which talkgraph cannot answer (Basic and Digest only)")
        };
        Ok(())
    }

    /// The Authorization header for a request, once the scheme is known.
    fn authorization(&self, method: &str, url: &str, body: &[u8]) -> Result<Option<String>> {
        let Some(credentials) = &self.credentials else { return Ok(None) };
        let mut scheme = self.scheme.lock().map_err(|_| anyhow::anyhow!("auth state poisoned"))?;
        Ok(match &mut *scheme {
            Scheme::Unknown => None,
            Scheme::Basic => {
                use base64::Engine;
                let token = base64::engine::general_purpose::STANDARD
                    .encode(format!("{}:{}", credentials.user, credentials.password));
                Some(format!("Basic {token}"))
            }
            Scheme::Digest(prompt) => {
                let path = path_and_query(url);
                let context = digest_auth::AuthContext::new_with_method(
                    credentials.user.as_str(),
                    credentials.password.as_str(),
                    path.as_str(),
                    Some(body),
                    digest_auth::HttpMethod::from(method),
                );
                let answer =
                    prompt.respond(&context).map_err(|e| anyhow::anyhow!("answering the digest challenge: {e}"))?;
                Some(answer.to_header_string())
            }
        })
    }
}

/// The path and query of a URL (what a digest answer signs).
fn path_and_query(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/').map_or_else(|| "/".to_string(), |i| rest[i..].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netrc_entries_are_found_by_host_else_default() {
        let text = "machine a.example login ann password one\ndefault login dee password two\n";
        assert_eq!(netrc_entry(text, "a.example").map(|c| c.user), Some("ann".to_string()));
        assert_eq!(netrc_entry(text, "b.example").map(|c| c.password), Some("two".to_string()));
        assert!(netrc_entry("machine x login u", "x").is_none());
    }

    #[test]
    fn hosts_and_paths_come_out_of_urls() {
        assert_eq!(host_of("http://127.0.0.1:8890/sparql-graph-crud-auth").unwrap(), "127.0.0.1");
        assert_eq!(host_of("https://u@h.example/x").unwrap(), "h.example");
        assert!(host_of("ftp://x").is_err());
        assert_eq!(path_and_query("http://h:1/store?graph=a%2Fb"), "/store?graph=a%2Fb");
        assert_eq!(path_and_query("http://h:1"), "/");
    }

    #[test]
    fn credentials_never_print_their_password() {
        let c = Credentials { user: "u".into(), password: "secret".into() };
        assert!(!format!("{c:?}").contains("secret"));
    }
}
