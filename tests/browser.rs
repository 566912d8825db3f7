//! The web page in a real browser: Debian's chromium, headless, driven by playwright-core (from npm,
//! `npm ci` in `web/`) through `tests/browser/explore.mjs` against the real `talkgraph serve`. The script
//! searches, opens the technology and company pages, follows an evidence link to its notes line, checks
//! the radar, the graph view and the SPARQL editor, and edits a note while the page is open.
//! Screenshots of each page go to `target/screenshots/`.
//!
//! Without chromium, node or the npm packages the test says so and passes, unless
//! `TALKGRAPH_REQUIRE_BROWSER` is set (as `.ci/run` sets it).

mod common;

use common::server::Server;
use std::path::Path;
use std::process::Command;

#[test]
fn the_page_answers_a_person_in_a_real_browser() {
    let chromium = std::env::var("TALKGRAPH_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let playwright = common::root().join("web/node_modules/playwright-core");
    let node = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    let missing: Vec<&str> = [
        (!Path::new(&chromium).exists()).then_some("chromium"),
        (!playwright.exists()).then_some("web/node_modules (npm ci in web/)"),
        (!node).then_some("node"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !missing.is_empty() {
        assert!(std::env::var_os("TALKGRAPH_REQUIRE_BROWSER").is_none(), "the browser test needs {missing:?}");
        eprintln!("skipped: the browser test needs {missing:?}");
        return;
    }
    let server = Server::start(&[], &[]);
    let shots = common::root().join("target/screenshots");
    let out = Command::new("node")
        .current_dir(common::root())
        .arg("tests/browser/explore.mjs")
        .arg(&server.url)
        .arg(&server.notes)
        .arg(&shots)
        .arg(&chromium)
        .output()
        .expect("node runs");
    let said = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the browser run failed:\n{said}");
    assert!(said.contains("ok: the new note shows up on the open page"), "{said}");
    assert!(shots.join("company.png").exists() && shots.join("radar.png").exists());
}
