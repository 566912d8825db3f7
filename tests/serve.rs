//! `talkgraph serve` through the real binary on loopback: the SPARQL 1.1 Protocol, the Graph Store
//! `GET`, the canned queries and the page's JSON API, the access token, live notes, and bad or hostile
//! requests that must get clean 4xx answers while the server keeps serving.

mod common;

use common::server::{Server, answer, client, enc, get};
use std::time::{Duration, Instant};

const STOLON_ADOPTERS: &str = "PREFIX tg: <https://talkgraph.dev/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?company WHERE { ?o tg:adopted ?t . ?t skos:prefLabel \"Stolon\" . ?o skos:prefLabel ?company }";

#[test]
fn sparql_by_url_form_and_body_answers_in_every_results_format() {
    let s = Server::start(&[], &[]);
    let url = s.path(&format!("/sparql?query={}", enc(STOLON_ADOPTERS)));
    let (status, kind, body) = get(&url, "application/sparql-results+json");
    assert_eq!(status, 200, "{body}");
    assert!(kind.starts_with("application/sparql-results+json"), "{kind}");
    assert!(body.contains("United Traders"), "{body}");
    for (accept, expect) in [
        ("application/sparql-results+xml", "<sparql"),
        ("text/csv", "company\r\nUnited Traders"),
        ("text/tab-separated-values", "?company"),
    ] {
        let (status, kind, body) = get(&url, accept);
        assert_eq!(status, 200, "{accept}: {body}");
        assert!(kind.starts_with(accept), "{accept} answered as {kind}");
        assert!(body.contains(expect), "{accept}: {body}");
    }
    let mut r = client()
        .post(s.path("/sparql"))
        .header("Content-Type", "application/sparql-query")
        .header("Accept", "text/csv")
        .send(STOLON_ADOPTERS)
        .unwrap();
    let (status, _, body) = answer(&mut r);
    assert_eq!((status, body.contains("United Traders")), (200, true), "{body}");
    let mut r =
        client().post(s.path("/sparql")).header("Accept", "text/csv").send_form([("query", STOLON_ADOPTERS)]).unwrap();
    let (status, _, body) = answer(&mut r);
    assert_eq!((status, body.contains("United Traders")), (200, true), "{body}");
}

#[test]
fn construct_answers_as_turtle_ntriples_or_jsonld_and_ask_as_a_boolean() {
    let s = Server::start(&[], &[]);
    let construct =
        "PREFIX tg: <https://talkgraph.dev/ontology#> CONSTRUCT { ?o tg:adopted ?t } WHERE { ?o tg:adopted ?t }";
    let url = s.path(&format!("/sparql?query={}", enc(construct)));
    for (accept, marker) in
        [("text/turtle", "adopted"), ("application/n-triples", "> ."), ("application/ld+json", "\"@id\"")]
    {
        let (status, kind, body) = get(&url, accept);
        assert_eq!(status, 200, "{accept}: {body}");
        assert!(kind.starts_with(accept), "{accept} answered as {kind}");
        assert!(body.contains(marker), "{accept}: {body}");
    }
    let ask = s.path(&format!("/sparql?query={}", enc("ASK { ?s ?p ?o }")));
    let (status, _, body) = get(&ask, "application/sparql-results+json");
    assert_eq!((status, body.contains("true")), (200, true), "{body}");
}

#[test]
fn default_and_named_graph_uris_restrict_the_dataset() {
    let s = Server::start(&[], &[]);
    let (_, _, body) = get(
        &s.path(&format!(
            "/sparql?query={}",
            enc("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a <https://talkgraph.dev/ontology#NotesFile> } }")
        )),
        "text/csv",
    );
    let graph = body.lines().nth(1).expect("a notes graph").trim().to_string();
    let count = |extra: &str| {
        let q = enc("SELECT (COUNT(*) AS ?n) WHERE { ?s <https://talkgraph.dev/ontology#stanceKind> ?k }");
        let (status, _, body) = get(&s.path(&format!("/sparql?query={q}{extra}")), "text/csv");
        assert_eq!(status, 200, "{body}");
        body.lines().nth(1).unwrap().trim().parse::<usize>().unwrap()
    };
    let all = count("");
    let one = count(&format!("&default-graph-uri={}", enc(&graph)));
    let none = count(&format!("&default-graph-uri={}", enc("https://example.org/no-such-graph")));
    assert!(all > 0 && one > 0 && one <= all, "all {all}, one graph {one}");
    assert_eq!(none, 0);
    let named = format!(
        "/sparql?query={}&named-graph-uri={}",
        enc("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        enc(&graph)
    );
    let (_, _, body) = get(&s.path(&named), "text/csv");
    assert_eq!(body.lines().nth(1).unwrap().trim(), "1", "{body}");
}

#[test]
fn a_bare_get_describes_the_service_and_updates_are_refused() {
    let s = Server::start(&[], &[]);
    let (status, kind, body) = get(&s.path("/sparql"), "text/turtle");
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/turtle") && body.contains("sd:Service"), "{body}");
    let update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }";
    let (status, _, body) = get(&s.path(&format!("/sparql?query={}", enc(update))), "");
    assert_eq!(status, 403, "an update in the query parameter: {body}");
    assert!(body.contains("read-only"), "{body}");
    let mut r =
        client().post(s.path("/sparql")).header("Content-Type", "application/sparql-update").send(update).unwrap();
    assert_eq!(answer(&mut r).0, 403);
    let mut r = client().post(s.path("/sparql")).send_form([("update", update)]).unwrap();
    assert_eq!(answer(&mut r).0, 403);
    let (_, _, body) = get(&s.path(&format!("/sparql?query={}", enc("ASK { <urn:a> <urn:b> <urn:c> }"))), "");
    assert!(body.contains("false"), "the refused update wrote nothing: {body}");
}

#[test]
fn the_graph_store_returns_a_notes_files_graph() {
    let s = Server::start(&[], &[]);
    let (_, _, body) = get(
        &s.path(&format!(
            "/sparql?query={}",
            enc("SELECT ?g WHERE { GRAPH ?g { ?g a <https://talkgraph.dev/ontology#NotesFile> } } LIMIT 1")
        )),
        "text/csv",
    );
    let graph = body.lines().nth(1).unwrap().trim().to_string();
    let (status, kind, body) = get(&s.path(&format!("/store?graph={}", enc(&graph))), "application/n-triples");
    assert_eq!(status, 200, "{body}");
    assert!(kind.starts_with("application/n-triples"));
    assert!(body.contains("https://talkgraph.dev/ontology#path"), "the file's graph holds its path");
    let (status, _, _) = get(&s.path(&format!("/store?graph={}", enc("https://example.org/none"))), "");
    assert_eq!(status, 404);
    let (status, _, _) = get(&s.path("/store"), "");
    assert_eq!(status, 400);
}

#[test]
fn canned_queries_are_listed_and_answer_as_json_or_csv_with_parameters_bound_as_terms() {
    let s = Server::start(&[], &[]);
    let (status, _, list) = get(&s.path("/api/queries"), "application/json");
    assert_eq!(status, 200);
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let moved = list.as_array().unwrap().iter().find(|q| q["name"] == "companies-moved-to").expect("listed");
    assert_eq!(moved["params"][0]["name"], "tech");
    let (status, _, body) = get(&s.path("/api/queries/companies-moved-to?tech=stolon"), "application/json");
    assert_eq!(status, 200, "{body}");
    let rows: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(rows["rows"][0]["company"], "United Traders", "{body}");
    assert!(rows["rows"][0]["evidence"].as_str().unwrap().contains("stolon"), "{body}");
    let (status, kind, csv) = get(&s.path("/api/queries/companies-moved-to?tech=K8S"), "text/csv");
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/csv") && csv.starts_with("company,technology,evidence,file,line"), "{csv}");
    let hostile = enc("stolon\" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o");
    let (status, _, body) = get(&s.path(&format!("/api/queries/companies-moved-to?tech={hostile}")), "");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"rows\":[]"), "{body}");
    let (status, _, body) = get(&s.path("/api/queries/companies-moved-to"), "");
    assert_eq!((status, body.contains("tech")), (400, true), "a missing parameter is named: {body}");
    assert_eq!(get(&s.path("/api/queries/no-such-query"), "").0, 404);
}

#[test]
fn a_parameter_that_names_nothing_gets_the_nearest_names() {
    let s = Server::start(&[], &[]);
    let (status, _, body) = get(&s.path("/api/queries/company-profile?company=united"), "");
    assert_eq!(status, 200, "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["unknown"]["param"], "company");
    let suggested: Vec<&str> =
        answer["unknown"]["suggestions"].as_array().unwrap().iter().filter_map(|e| e["label"].as_str()).collect();
    assert!(suggested.contains(&"United Traders"), "{body}");
    let (_, _, body) = get(&s.path("/api/search?q=stolonn"), "");
    assert!(body.contains("\"results\":[]") && body.contains("Stolon"), "{body}");
}

#[test]
fn search_finds_names_in_any_case_and_script_and_pages_show_evidence() {
    let s = Server::start(&[], &[]);
    for q in ["k8s", "КУБЕРНЕТЕС", "kubernetes"] {
        let (status, _, body) = get(&s.path(&format!("/api/search?q={}", enc(q))), "");
        assert_eq!(status, 200);
        let found: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(found["results"][0]["label"], "Kubernetes", "{q}: {body}");
    }
    let (_, _, body) = get(&s.path("/api/search?q=stolon"), "");
    let found: serde_json::Value = serde_json::from_str(&body).unwrap();
    let iri = found["results"][0]["iri"].as_str().unwrap().to_string();
    let (status, _, body) = get(&s.path(&format!("/api/entity?iri={}", enc(&iri))), "");
    assert_eq!(status, 200, "{body}");
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["kind"], "Technology");
    let row =
        page["stances"]["rows"].as_array().unwrap().iter().find(|r| r["orgLabel"] == "United Traders").expect("listed");
    assert_eq!(row["stance"], "adopted");
    let (file, line) = (row["file"].as_str().unwrap(), row["line"].as_u64().unwrap());
    let (status, _, body) = get(&s.path(&format!("/api/file?path={}", enc(file))), "");
    assert_eq!(status, 200);
    let notes: serde_json::Value = serde_json::from_str(&body).unwrap();
    let text = notes["lines"][usize::try_from(line).unwrap() - 1].as_str().unwrap();
    assert!(text.contains(row["evidence"].as_str().unwrap()), "line {line} of {file} is {text:?}");
    let (status, _, body) = get(&s.path(&format!("/api/graph?iri={}", enc(&iri))), "");
    assert_eq!(status, 200);
    assert!(body.contains("United Traders") && body.contains("\"adopted\""), "{body}");
    let (status, _, body) = get(&s.path("/api/radar"), "");
    assert_eq!(status, 200);
    let radar: serde_json::Value = serde_json::from_str(&body).unwrap();
    let stolon = radar["blips"].as_array().unwrap().iter().find(|b| b["label"] == "Stolon").expect("on the radar");
    assert_eq!(stolon["ring"], "Adopt");
}

#[test]
fn files_outside_the_store_and_odd_paths_are_refused() {
    let s = Server::start(&[], &[]);
    for path in ["../Cargo.toml", "/etc/passwd", "..%2F..%2Fetc%2Fpasswd", "notes/../../x"] {
        let (status, _, _) = get(&s.path(&format!("/api/file?path={}", enc(path))), "");
        assert_eq!(status, 404, "{path}");
    }
    assert_eq!(get(&s.path("/assets/..%2Fsrc%2Fmain.rs"), "").0, 404);
    assert_eq!(get(&s.path("/../../etc/passwd"), "").0, 404);
    assert_eq!(get(&s.path("/api/entity?iri=not%20an%20iri"), "").0, 404);
    assert_eq!(get(&s.path("/api/entity?iri=https://talkgraph.dev/id/technology/stolon&limit=x"), "").0, 400);
}

#[test]
fn hostile_requests_get_clean_answers_and_the_server_keeps_serving() {
    let s = Server::start(&["--timeout", "2", "--max-request", "100000"], &[]);
    let huge = format!("SELECT * WHERE {{ ?s ?p ?o }} # {}", "x".repeat(10 << 20));
    let sent = client().post(s.path("/sparql")).header("Content-Type", "application/sparql-query").send(huge.as_str());
    if let Ok(mut r) = sent {
        assert_eq!(answer(&mut r).0, 413, "a 10 MB query is refused as too large");
    }
    let endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";
    let started = Instant::now();
    let (status, _, body) = get(&s.path(&format!("/sparql?query={}", enc(endless))), "");
    assert_eq!(status, 503, "a query past the timeout is stopped: {body}");
    assert!(started.elapsed() < Duration::from_secs(10), "stopped near the 2 s timeout");
    let mut r = client()
        .post(s.path("/sparql"))
        .header("Content-Type", "application/sparql-query")
        .send(&[0xff_u8, 0xfe, 0x00][..])
        .unwrap();
    assert_eq!(answer(&mut r).0, 400, "a query that is not UTF-8");
    let mut r = client().post(s.path("/sparql")).header("Content-Type", "image/png").send("x").unwrap();
    assert_eq!(answer(&mut r).0, 415);
    assert_eq!(get(&s.path("/sparql?query=SELEKT%20nothing"), "").0, 400);
    assert_eq!(get(&s.path("/sparql?query=%ff%fe"), "").0, 400, "a malformed percent-encoding");
    let disguised = enc("SELECT * WHERE { ?s ?p ?o } ; DELETE WHERE { ?s ?p ?o }");
    assert_eq!(get(&s.path(&format!("/sparql?query={disguised}")), "").0, 400);
    let (status, _, body) = get(&s.path(&format!("/sparql?query={}", enc(STOLON_ADOPTERS))), "text/csv");
    assert_eq!((status, body.contains("United Traders")), (200, true), "still serving: {body}");
}

#[test]
fn a_token_guards_every_request_and_is_never_printed() {
    let token = "tok-3f9a1c";
    let s = Server::start(&[], &[("TALKGRAPH_TOKEN", token)]);
    for path in ["/", "/api/queries", "/sparql?query=ASK%7B%7D", "/assets/app.js"] {
        assert_eq!(get(&s.path(path), "").0, 401, "{path} without the token");
    }
    let mut r = client().get(s.path("/api/queries")).header("Authorization", format!("Bearer {token}")).call().unwrap();
    assert_eq!(answer(&mut r).0, 200);
    let mut r = client().get(s.path("/api/queries")).header("Authorization", "Bearer wrong").call().unwrap();
    assert_eq!(answer(&mut r).0, 401);
    let r = client().get(s.path(&format!("/?access_token={token}"))).call().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_string();
    let mut r = client().get(s.path("/api/stats")).header("Cookie", cookie).call().unwrap();
    assert_eq!(answer(&mut r).0, 200, "the cookie the link set lets the page's requests through");
}

#[test]
fn a_public_address_needs_a_token_or_public() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::talkgraph(&dir.path().join("s"))
        .args(["serve", "--bind", "0.0.0.0:0"])
        .env_remove("TALKGRAPH_TOKEN")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("access token") && err.contains("--public"), "{err}");
}

#[test]
fn an_edited_added_or_removed_note_shows_up_within_seconds() {
    let s = Server::start(&[], &[]);
    let found = |q: &str| {
        let (_, _, body) = get(&s.path(&format!("/api/search?q={}", enc(q))), "");
        !body.contains("\"results\":[]")
    };
    assert!(!found("Globex"));
    let note = s.notes.join("zz-live.md");
    std::fs::write(
        &note,
        "# Ingest at scale\n\nSpeaker: Jane Doe (Globex)\n\nGlobex moved from MySQL to CockroachDB last year.\n",
    )
    .unwrap();
    let wait = |want: bool| {
        let until = Instant::now() + Duration::from_secs(15);
        while found("Globex") != want {
            assert!(Instant::now() < until, "the page did not follow the notes within 15 s (want {want})");
            std::thread::sleep(Duration::from_millis(200));
        }
    };
    wait(true);
    // Other commands keep working beside the server, answering from the store it keeps.
    let out = common::talkgraph(&s.store)
        .args(["query", "companies-moved-to", "--param", "tech=cockroachdb"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Globex"), "{}", String::from_utf8_lossy(&out.stdout));
    std::fs::remove_file(&note).unwrap();
    wait(false);
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let s = Server::start(&[], &[]);
    assert_eq!(get(&s.path("/api/stats"), "").0, 200);
    let status = s.interrupt();
    assert!(status.success(), "{status:?}");
}

/// Resident memory of a process, in kB, from /proc.
fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[test]
fn thirty_two_clients_for_twenty_seconds_get_no_errors_and_memory_stays_bounded() {
    let s = Server::start(&[], &[]);
    let paths: Vec<String> = vec![
        "/api/queries/companies-moved-to?tech=stolon".into(),
        "/api/queries/technology-radar".into(),
        format!("/sparql?query={}", enc(STOLON_ADOPTERS)),
        "/api/search?q=postgres".into(),
        "/api/radar".into(),
        "/".into(),
        "/assets/app.js".into(),
        "/api/stats".into(),
    ];
    let warm = rss_kb(s.child.id());
    let until = Instant::now() + Duration::from_secs(20);
    let results: Vec<(usize, Vec<String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..32)
            .map(|i| {
                let (paths, s) = (&paths, &s);
                scope.spawn(move || {
                    let agent = client();
                    let (mut done, mut failures) = (0, Vec::new());
                    let mut k = i;
                    while Instant::now() < until {
                        let path = &paths[k % paths.len()];
                        k += 1;
                        match agent.get(s.path(path)).call() {
                            Ok(mut r) if r.status().is_success() => {
                                let _ = r.body_mut().read_to_vec();
                                done += 1;
                            }
                            Ok(r) => failures.push(format!("{path}: {}", r.status())),
                            Err(e) => failures.push(format!("{path}: {e}")),
                        }
                    }
                    (done, failures)
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let done: usize = results.iter().map(|r| r.0).sum();
    let failures: Vec<&String> = results.iter().flat_map(|r| &r.1).collect();
    assert!(failures.is_empty(), "{} failed of {}: {:?}", failures.len(), done, &failures[..failures.len().min(5)]);
    assert!(done > 200, "only {done} requests answered in 20 s");
    let after = rss_kb(s.child.id());
    assert!(after < warm.max(50_000) * 4, "memory grew from {warm} kB to {after} kB");
    assert_eq!(get(&s.path("/api/stats"), "").0, 200);
}

#[test]
fn a_long_stance_list_comes_in_pages() {
    let s = Server::start(&[], &[]);
    let (_, _, body) = get(&s.path("/api/search?q=united%20traders"), "");
    let found: serde_json::Value = serde_json::from_str(&body).unwrap();
    let iri = enc(found["results"][0]["iri"].as_str().unwrap());
    let page = |offset: usize| {
        let (status, _, body) = get(&s.path(&format!("/api/entity?iri={iri}&limit=5&offset={offset}")), "");
        assert_eq!(status, 200, "{body}");
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["stances"].clone()
    };
    let (first, second) = (page(0), page(5));
    assert!(first["total"].as_u64().unwrap() > 10, "{first}");
    assert_eq!(first["total"], second["total"]);
    assert_eq!((first["rows"].as_array().unwrap().len(), second["rows"].as_array().unwrap().len()), (5, 5));
    assert_ne!(first["rows"][0], second["rows"][0]);
    assert_eq!(second["offset"], 5);
}
