//! A real `talkgraph serve` for a test: started on a free loopback port over a copy of the sample notes,
//! stopped (and its store kept in a temp folder) when dropped; and an HTTP client that returns 4xx/5xx
//! answers instead of failing on them.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub struct Server {
    pub child: Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub url: String,
    pub notes: PathBuf,
    pub store: PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    /// Starts the server on the sample notes, with `extra` arguments after `serve` and `env` set.
    pub fn start(extra: &[&str], env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let notes = dir.path().join("notes");
        super::copy_notes(&notes);
        let store = dir.path().join("store");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_talkgraph"));
        cmd.current_dir(super::root())
            .arg("--store")
            .arg(&store)
            .arg("serve")
            .arg("--bind")
            .arg("127.0.0.1:0")
            .args(extra)
            .arg(&notes)
            .env_remove("TALKGRAPH_TOKEN")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("talkgraph serve starts");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let url = loop {
            let line = lines.next().expect("serve prints where it listens").expect("readable stdout");
            if let Some(rest) = line.split("serving on ").nth(1) {
                break rest.split_whitespace().next().unwrap().trim_end_matches('/').to_string();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, url, notes, store, _dir: dir }
    }

    /// Sends SIGINT (Ctrl-C) and waits for the exit status.
    pub fn interrupt(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-INT", &pid]).status().unwrap();
        self.child.wait().unwrap()
    }

    pub fn path(&self, rest: &str) -> String {
        format!("{}{rest}", self.url)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client that hands back error answers as answers.
pub fn client() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

/// GET with an `Accept` header: (status, content type, body).
pub fn get(url: &str, accept: &str) -> (u16, String, String) {
    let mut r = client().get(url).header("Accept", accept).call().expect("the server answers");
    answer(&mut r)
}

pub fn answer(r: &mut ureq::http::Response<ureq::Body>) -> (u16, String, String) {
    let kind = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let body = r.body_mut().with_config().limit(64 << 20).read_to_string().unwrap_or_default();
    (r.status().as_u16(), kind, body)
}

/// Percent-encodes a query-string value.
pub fn enc(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}
