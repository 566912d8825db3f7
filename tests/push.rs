//! `push` and `--endpoint` against real servers on loopback: Oxigraph's own server (`pip install
//! oxigraph`) and Virtuoso Open Source 7 (Debian's `virtuoso-opensource`), each started here in a temp
//! folder. A server that is not installed skips its tests, unless CI asked for them
//! (`TALKGRAPH_REQUIRE_SERVERS=1`).

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn installed(program: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    common::present_or_skip(found, program, "TALKGRAPH_REQUIRE_SERVERS")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A server process, killed when dropped.
struct Server {
    child: Child,
    base: String,
    /// Where it keeps its data, and how to start it again there.
    restart: Box<dyn Fn() -> Child>,
    ready_path: &'static str,
}

impl Server {
    fn oxigraph(dir: &Path) -> Server {
        let port = free_port();
        let location = dir.to_path_buf();
        let start = move || {
            Command::new("oxigraph")
                .args(["serve", "--union-default-graph", "--bind", &format!("127.0.0.1:{port}"), "--location"])
                .arg(&location)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("oxigraph starts")
        };
        let server = Server {
            child: start(),
            base: format!("http://127.0.0.1:{port}"),
            restart: Box::new(start),
            ready_path: "/query?query=ASK%7B%7D",
        };
        server.wait_ready();
        server
    }

    fn virtuoso(dir: &Path) -> Server {
        let (sql, http) = (free_port(), free_port());
        let d = dir.display();
        let ini = format!(
            "[Database]\nDatabaseFile = {d}/virtuoso.db\nErrorLogFile = {d}/virtuoso.log\nLockFile = {d}/virtuoso.lck\n\
             TransactionFile = {d}/virtuoso.trx\nxa_persistent_file = {d}/virtuoso.pxa\n\
             [TempDatabase]\nDatabaseFile = {d}/virtuoso-temp.db\nTransactionFile = {d}/virtuoso-temp.trx\n\
             [Parameters]\nServerPort = 127.0.0.1:{sql}\nDisableUnixSocket = 1\n\
             DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad\nVADInstallDir = /usr/share/virtuoso-opensource-7/vad/\n\
             NumberOfBuffers = 10000\nMaxDirtyBuffers = 6000\n\
             [HTTPServer]\nServerPort = 127.0.0.1:{http}\nServerRoot = /var/lib/virtuoso-opensource-7/vsp\n\
             ServerThreads = 10\nCharset = UTF-8\n\
             [SPARQL]\nResultSetMaxRows = 1000000\nMaxQueryExecutionTime = 120\n"
        );
        std::fs::write(dir.join("virtuoso.ini"), ini).unwrap();
        let folder = dir.to_path_buf();
        let start = move || {
            Command::new("virtuoso-t")
                .args(["-f", "-c", "virtuoso.ini"])
                .current_dir(&folder)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("virtuoso starts")
        };
        let server = Server {
            child: start(),
            base: format!("http://127.0.0.1:{http}"),
            restart: Box::new(start),
            ready_path: "/sparql?query=ASK%7B%7D",
        };
        server.wait_ready();
        server
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(180);
        let url = format!("{}{}", self.base, self.ready_path);
        while Instant::now() < deadline {
            if let Ok(r) = common::server::client().get(&url).call()
                && r.status().as_u16() == 200
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!("the server at {} did not come up", self.base);
    }

    fn kill_and_restart(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.child = (self.restart)();
        self.wait_ready();
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The binary with a store in `store`, credentials for Virtuoso's default administrator in its environment.
fn talkgraph(store: &Path, args: &[&str]) -> std::process::Output {
    common::talkgraph(store)
        .args(args)
        .env("TALKGRAPH_USER", "dba")
        .env("TALKGRAPH_PASSWORD", "dba")
        .output()
        .expect("runs")
}

fn ok(out: std::process::Output, what: &str) -> String {
    assert!(out.status.success(), "{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The answer of a canned query from the remote endpoint (any store path: it is not opened).
fn remote(endpoint: &str, args: &[&str]) -> String {
    let mut full = vec!["--endpoint", endpoint];
    full.extend_from_slice(args);
    let out = common::talkgraph_bare()
        .args(&full)
        .env("TALKGRAPH_USER", "dba")
        .env("TALKGRAPH_PASSWORD", "dba")
        .output()
        .unwrap();
    ok(out, &format!("{full:?}"))
}

/// A second, small notes file beside the sample, so that an edit of one leaves the other unsent.
const SECOND_NOTE: &str = "# Infra day\n\n## Kafka at Example Bank\n\nSpeaker: Jane Doe (Example Bank)\n\n\
    We moved from RabbitMQ to Kafka in 2019.\n";

fn notes_folder(dir: &Path) -> PathBuf {
    let notes = dir.join("notes");
    common::copy_notes(&notes);
    std::fs::write(notes.join("second.md"), SECOND_NOTE).unwrap();
    notes
}

fn sample_file(notes: &Path) -> PathBuf {
    std::fs::read_dir(notes)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "txt"))
        .unwrap()
}

/// Push, query remotely, edit, push (one graph), remove, push (one deletion): the same flow on any server.
fn push_query_edit_remove(store_url: &str, query_url: &str, protocol_args: &[&str], bulk: bool) {
    let dir = tempfile::tempdir().unwrap();
    let notes = notes_folder(dir.path());
    let store = dir.path().join("store");
    let notes_arg = notes.to_str().unwrap();
    let mut push = vec!["push", store_url];
    push.extend_from_slice(protocol_args);
    push.push(notes_arg);

    let first = ok(talkgraph(&store, &push), "first push");
    assert!(first.starts_with("pushed "), "{first}");
    assert!(first.contains("second-md"), "the notes graphs are sent: {first}");
    assert_eq!(first.contains("bulk-loaded"), bulk, "{first}");
    let question = ["query", "companies-moved-to", "--param", "tech=stolon", "--format", "csv"];
    let local = ok(talkgraph(&store, &question), "local query");
    assert!(local.contains("United Traders"), "{local}");
    assert_eq!(remote(query_url, &question), local, "the server answers as the local store does");
    let counts = |stats: &str| -> Vec<String> {
        stats.lines().filter(|l| !l.starts_with("triples")).map(str::to_string).collect()
    };
    let local_stats = ok(talkgraph(&store, &["stats"]), "local stats");
    assert_eq!(counts(&remote(query_url, &["stats"])), counts(&local_stats), "stats count the same from the server");

    let again = ok(talkgraph(&store, &push), "push with nothing changed");
    assert!(again.starts_with("pushed 0 graph(s)"), "{again}");

    let sample = sample_file(&notes);
    let text = std::fs::read_to_string(&sample).unwrap();
    std::fs::write(
        &sample,
        text.replace("Выбрали stolon", "Выбрали patroni").replace("переезда на stolon", "переезда на patroni"),
    )
    .unwrap();
    let edited = ok(talkgraph(&store, &push), "push after an edit");
    assert!(edited.starts_with("pushed 1 graph(s)"), "only the edited notes graph is sent: {edited}");
    assert!(!edited.contains("second-md"), "{edited}");
    let local_after = ok(talkgraph(&store, &question), "local query after the edit");
    assert_ne!(local_after, local, "the edit changes the answer");
    assert_eq!(remote(query_url, &question), local_after);

    std::fs::remove_file(notes.join("second.md")).unwrap();
    let removed = ok(talkgraph(&store, &push), "push after a removal");
    assert!(removed.contains("deleted 1"), "{removed}");
    let ask = "ASK { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), \"second-md\")) }";
    assert_eq!(remote(query_url, &["query", "--query", ask, "--format", "csv"]).trim(), "false", "its graph is gone");
}

#[test]
fn oxigraph_server_takes_a_push_and_answers_like_the_local_store() {
    if !installed("oxigraph") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let server = Server::oxigraph(data.path());
    push_query_edit_remove(&server.url("/store"), &server.url("/query"), &[], true);
}

#[test]
fn oxigraph_server_takes_a_transactional_push_with_no_bulk() {
    if !installed("oxigraph") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let server = Server::oxigraph(data.path());
    push_query_edit_remove(&server.url("/store"), &server.url("/query"), &["--no-bulk"], false);
}

#[test]
fn oxigraph_server_takes_a_push_by_sparql_update() {
    if !installed("oxigraph") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let server = Server::oxigraph(data.path());
    push_query_edit_remove(&server.url("/update"), &server.url("/query"), &["--update"], false);
}

#[test]
fn virtuoso_takes_a_push_with_digest_auth_and_answers_like_the_local_store() {
    if !installed("virtuoso-t") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let server = Server::virtuoso(data.path());
    push_query_edit_remove(&server.url("/sparql-graph-crud-auth"), &server.url("/sparql"), &[], false);
}

#[test]
fn a_refusal_names_the_status_the_message_and_the_graph() {
    if !installed("virtuoso-t") {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let server = Server::virtuoso(data.path());
    let dir = tempfile::tempdir().unwrap();
    let notes = notes_folder(dir.path());
    let out = common::talkgraph(&dir.path().join("store"))
        .args(["push", &server.url("/sparql-graph-crud-auth"), notes.to_str().unwrap()])
        .env("TALKGRAPH_USER", "dba")
        .env("TALKGRAPH_PASSWORD", "not-the-password")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("HTTP 401") && err.contains("graph https://talkgraph.dev/"), "{err}");
    assert!(!err.contains("not-the-password"), "the password is never printed: {err}");
}

/// Every quad of talkgraph's graphs on a server, sorted, as N-Quads lines.
fn dump(query_url: &str) -> Vec<String> {
    let text = remote(
        query_url,
        &[
            "query",
            "--query",
            "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), \"https://talkgraph.dev/\")) }",
            "--format",
            "tsv",
        ],
    );
    let mut lines: Vec<String> = text.lines().skip(1).map(str::to_string).collect();
    lines.sort();
    lines
}

#[test]
fn a_push_cut_short_by_a_dying_server_converges_on_the_next_push() {
    if !installed("oxigraph") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    let status = Command::new("python3")
        .arg(common::root().join("bench/make_corpus.py"))
        .args(["--talks", "2000", "--talks-per-file", "10", "--template"])
        .arg(common::root().join("notes/000_221fd2861c5af3bb.txt"))
        .arg("--out")
        .arg(&notes)
        .status()
        .unwrap();
    assert!(status.success());
    let store = dir.path().join("store");
    common::run_ok(&store, &["ingest", notes.to_str().unwrap()]);

    let data = tempfile::tempdir().unwrap();
    let mut server = Server::oxigraph(data.path());
    let url = server.url("/store");
    let push = Command::new(assert_cmd::cargo::cargo_bin("talkgraph"))
        .current_dir(common::root())
        .arg("--store")
        .arg(&store)
        .args(["push", &url, "--parallel", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Kill the server once some graphs are in, well before all 200 are.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let count = remote(
            &server.url("/query"),
            &["query", "--query", "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g {} }", "--format", "tsv"],
        );
        let n: usize = count
            .lines()
            .nth(1)
            .and_then(|l| l.trim().split('^').next())
            .and_then(|v| v.trim_matches('"').parse().ok())
            .unwrap_or(0);
        if n >= 20 || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill_and_restart();
    let cut = push.wait_with_output().unwrap();
    assert!(!cut.status.success(), "the push fails when its server dies");
    let err = String::from_utf8_lossy(&cut.stderr);
    assert!(err.contains("graph") || err.contains("PUT"), "{err}");

    let resumed = common::run_ok(&store, &["push", &url]);
    assert!(resumed.starts_with("pushed "), "{resumed}");
    let after_resume = dump(&server.url("/query"));

    let clean_data = tempfile::tempdir().unwrap();
    let clean = Server::oxigraph(clean_data.path());
    let clean_store = dir.path().join("clean-store");
    common::run_ok(&clean_store, &["ingest", notes.to_str().unwrap()]);
    common::run_ok(&clean_store, &["push", &clean.url("/store")]);
    let after_clean = dump(&clean.url("/query"));
    assert!(after_clean.len() > 10_000, "{}", after_clean.len());
    assert!(after_resume == after_clean, "the resumed push holds the same quads as a clean one");
}
