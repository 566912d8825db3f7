//! Bad input through the real binary: odd, huge, broken or hostile notes and queries. Whatever comes in,
//! talkgraph never panics (exit 0 or 1, never 101), the good files beside a bad one are still ingested,
//! and every warning names its file (and line or byte offset where there is one).
//!
//! - `ingest_*`: huge files and lines, deep nesting, headings without speakers, repeated titles, empty,
//!   talkless, binary, non-UTF-8, BOM and CRLF, unreadable files and folders, symlink loops, named
//!   pipes, sockets and devices (directly and through symlinks), files over the size cap.
//! - `exit_*`: the documented exit codes, `--strict`.
//! - `query_*`: parameters that look like SPARQL stay data, updates are refused and change nothing,
//!   syntax errors say where, `--timeout` stops a query.
//! - `store_*`: a foreign folder is refused untouched, a corrupted store gets a clear error and
//!   `--rebuild` recovers it, a store built by another version is rebuilt from the notes.

mod common;

use common::root;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A notes file every test folder holds beside its bad one: it must always come through.
const GOOD: &str = "# Kafka in production\nJane Roe, SRE, Initech\n\nWe migrated to Kafka last year.\n";

/// What one run of the binary gave.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs talkgraph from the project root and checks it did not panic.
fn talkgraph<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    // A run that hangs (a named pipe read, say) is killed and fails the test instead of hanging it.
    let out = assert_cmd::Command::cargo_bin("talkgraph")
        .unwrap()
        .current_dir(root())
        .args(args)
        .timeout(Duration::from_secs(600))
        .output()
        .unwrap();
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        matches!(run.code, 0..=2) && !run.stderr.contains("panicked"),
        "talkgraph {:?} exited {}:\n{}",
        args.iter().map(|a| a.as_ref().to_string_lossy()).collect::<Vec<_>>(),
        run.code,
        run.stderr
    );
    run
}

/// `talkgraph --memory [--strict] ingest DIR`.
fn ingest(dir: &Path, strict: bool) -> Run {
    let mut args = vec!["--memory".as_ref(), "ingest".as_ref(), dir.as_os_str()];
    if strict {
        args.insert(0, "--strict".as_ref());
    }
    talkgraph(&args)
}

/// A fresh notes folder holding the good file.
fn notes_with_good_file() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let notes = tmp.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    std::fs::write(notes.join("good.md"), GOOD).unwrap();
    (tmp, notes)
}

/// The ingest succeeded and took in the good file.
fn assert_good_ingested(run: &Run) {
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("added    good.md"), "{}", run.stdout);
}

/// Realistic notes of one talk, numbered so that a long file is many talks.
fn talk(i: usize) -> String {
    format!(
        "## Доклад {i}: как мы переехали на Kafka\n\
         Иван Петров, SRE, Яндекс\n\n\
         - Раньше жили на RabbitMQ, потом перешли на Kafka.\n\
         - Рассматривали Pulsar, но отказались от него.\n  \
           - Храним данные в PostgreSQL, кластер на stolon и etcd.\n\
         > Вопрос: почему не Kubernetes? Ответ: пока планируем.\n\n\
         We migrated to ClickHouse for analytics and rejected Elasticsearch because of cost.\n\n"
    )
}

/// Writes `huge.md` of at least `megabytes` MB of talks beside the good file; returns how many talks.
fn write_huge_notes(notes: &Path, megabytes: usize) -> usize {
    let mut text = String::from("# HighLoad++ 2018\n\n");
    let mut i = 0;
    while text.len() < megabytes * 1024 * 1024 {
        text.push_str(&talk(i));
        i += 1;
    }
    std::fs::write(notes.join("huge.md"), &text).unwrap();
    i
}

#[test]
fn ingest_a_10_mb_file_in_bounded_time() {
    let (_tmp, notes) = notes_with_good_file();
    let talks = write_huge_notes(&notes, 10);
    let started = Instant::now();
    let run = talkgraph(&["--memory".as_ref(), "stats".as_ref(), notes.as_os_str()]);
    let took = started.elapsed();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(&format!("talks                    {}\n", talks + 1)), "{}", run.stdout);
    assert!(took < Duration::from_secs(120), "10 MB took {took:?}");
}

/// 100 MB of notes make some 14 million quads (4.3 GB of on-disk store). Ingest streams a file talk by
/// talk into the bulk loader, in parts, so its memory does not grow with the file: measured at 143 s and
/// 0.86 GB peak RSS (it was 371 s and 12.3 GB when the file's quads were held at once), on two shared cores.
#[test]
#[ignore = "100 MB of notes: minutes and 4 GB of disk; run with --ignored"]
fn ingest_a_100_mb_file_in_bounded_time() {
    let (tmp, notes) = notes_with_good_file();
    let talks = write_huge_notes(&notes, 100);
    let store = tmp.path().join("s");
    let started = Instant::now();
    let run = talkgraph(&["--store".as_ref(), store.as_os_str(), "ingest".as_ref(), notes.as_os_str()]);
    assert_good_ingested(&run);
    assert!(run.stdout.contains("added    huge.md"), "{}", run.stdout);
    let stats = talkgraph(&["--store".as_ref(), store.as_os_str(), "stats".as_ref()]);
    assert!(stats.stdout.contains(&format!("talks                    {}\n", talks + 1)), "{}", stats.stdout);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(400), "100 MB took {took:?}");
}

#[test]
fn ingest_a_single_1_mb_line() {
    let (_tmp, notes) = notes_with_good_file();
    let mut line = String::from("# One line\nJane Doe, CTO, Stripe\n\n");
    while line.len() < 1024 * 1024 {
        line.push_str("We migrated to Kafka from RabbitMQ, и перешли на PostgreSQL. ");
    }
    std::fs::write(notes.join("long.md"), line + "\n").unwrap();
    let run = ingest(&notes, false);
    assert_good_ingested(&run);
    assert!(run.stdout.contains("added    long.md"), "{}", run.stdout);
}

#[test]
fn ingest_lists_and_quotes_nested_thousands_deep() {
    let (_tmp, notes) = notes_with_good_file();
    let mut list = String::from("# Deep lists\nJane Doe, CTO, Stripe\n\n");
    for depth in 0..1500 {
        list.push_str(&format!("{}- level {depth}: we use Kafka\n", "  ".repeat(depth)));
    }
    std::fs::write(notes.join("lists.md"), list).unwrap();
    let quotes = format!("# Deep quotes\nJane Doe, CTO, Stripe\n\n{} we use Kafka\n", ">".repeat(5000));
    std::fs::write(notes.join("quotes.md"), quotes).unwrap();
    let mixed: String =
        (0..2000).map(|d| format!("{}{} - перешли на Kafka\n", "  ".repeat(d % 300), "> ".repeat(d))).collect();
    std::fs::write(notes.join("mixed.md"), format!("# Mixed\n\n{mixed}")).unwrap();
    let run = ingest(&notes, false);
    assert_good_ingested(&run);
    for name in ["lists.md", "quotes.md", "mixed.md"] {
        assert!(run.stdout.contains(&format!("added    {name}")), "{}", run.stdout);
    }
}

#[test]
fn ingest_headings_without_speakers_are_talks_with_a_located_note() {
    let (_tmp, notes) = notes_with_good_file();
    std::fs::write(notes.join("nospeaker.md"), "# First talk\n\nWe use Kafka.\n\n# Second talk\n\nWe use Go.\n")
        .unwrap();
    let run = ingest(&notes, false);
    assert_good_ingested(&run);
    assert!(run.stderr.contains("note: nospeaker.md:1: talk \"First talk\" has no speaker line"), "{}", run.stderr);
    assert!(run.stderr.contains("note: nospeaker.md:5: "), "{}", run.stderr);
    let strict = ingest(&notes, true);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}

#[test]
fn ingest_duplicate_titles_in_one_file_are_two_talks() {
    let tmp = tempfile::tempdir().unwrap();
    let notes = tmp.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    let twice = "# Kafka in production\nJane Roe, SRE, Initech\n\nWe migrated to Kafka.\n\n\
                 # Kafka in production\nRaj Patel, CTO, Stripe\n\nWe rejected Kafka.\n\n\
                 # Kafka in production 2\nLi Wei, SRE, Shopify\n\nWe use Kafka.\n";
    std::fs::write(notes.join("twice.md"), twice).unwrap();
    let store = tmp.path().join("s");
    let run = talkgraph(&["--store".as_ref(), store.as_os_str(), "ingest".as_ref(), notes.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let query = "PREFIX tg: <https://talkgraph.dev/ontology#> \
                 SELECT (COUNT(DISTINCT ?k) AS ?n) (COUNT(DISTINCT ?p) AS ?speakers) \
                 WHERE { ?k a tg:Talk ; tg:title \"Kafka in production\" ; tg:speaker ?p }";
    let run = talkgraph(&["--store".as_ref(), store.as_os_str(), "query".as_ref(), "--query".as_ref(), query.as_ref()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let row = run.stdout.lines().nth(2).unwrap_or_default().to_string();
    assert_eq!(row.split('|').map(str::trim).collect::<Vec<_>>(), ["2", "2"], "{}", run.stdout);
    let stats = talkgraph(&["--store".as_ref(), store.as_os_str(), "stats".as_ref()]);
    assert!(stats.stdout.contains("talks                    3"), "{}", stats.stdout);
}

#[test]
fn ingest_empty_and_talkless_files_note_it_and_go_on() {
    let (_tmp, notes) = notes_with_good_file();
    std::fs::write(notes.join("empty.md"), "").unwrap();
    std::fs::write(notes.join("prose.md"), "Just some thoughts about Kafka, no talk here.\n\nAnd a list:\n- one\n")
        .unwrap();
    let run = ingest(&notes, false);
    assert_good_ingested(&run);
    assert!(run.stderr.contains("note: empty.md:1: no talks found"), "{}", run.stderr);
    assert!(run.stderr.contains("note: prose.md:1: no talks found"), "{}", run.stderr);
}

#[test]
fn ingest_binary_file_is_skipped_with_a_warning_naming_it() {
    let (_tmp, notes) = notes_with_good_file();
    let binary: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).chain([0, 0, 1]).collect();
    std::fs::write(notes.join("image.md"), binary).unwrap();
    let run = ingest(&notes, false);
    assert_good_ingested(&run);
    assert!(run.stderr.contains("warning: image.md: binary file (NUL byte), skipped"), "{}", run.stderr);
    assert!(!run.stdout.contains("added    image.md"), "{}", run.stdout);
}

#[test]
fn ingest_non_utf8_file_is_decoded_lossily_with_a_warning_naming_the_byte() {
    let (_tmp, notes) = notes_with_good_file();
    let mut latin1 = b"# Kafka \xE0 Paris\nJean Dupont, CTO, Initech\n\nNous avons migr\xE9 vers Kafka.\n".to_vec();
    latin1.splice(0..0, b"\xEF\xBB\xBF".iter().copied());
    std::fs::write(notes.join("latin1.md"), latin1).unwrap();
    let run = ingest(&notes, false);
    assert_good_ingested(&run);
    assert!(run.stdout.contains("added    latin1.md"), "{}", run.stdout);
    assert!(run.stderr.contains("warning: latin1.md: invalid UTF-8 at byte 11, decoded lossily"), "{}", run.stderr);
}

#[test]
fn ingest_bom_and_crlf_keep_line_numbers_and_clean_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let notes = tmp.path().join("notes");
    std::fs::create_dir(&notes).unwrap();
    let crlf = "\u{FEFF}# Kafka talk\r\nJane Roe, SRE, Initech\r\n\r\nIntro.\r\nWe migrated to Kafka.\r\n";
    std::fs::write(notes.join("crlf.md"), crlf).unwrap();
    let store = tmp.path().join("s");
    let run = talkgraph(&["--store".as_ref(), store.as_os_str(), "ingest".as_ref(), notes.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let args = ["query", "companies-moved-to", "--param", "tech=kafka", "--format", "csv"];
    let run = talkgraph(&[&["--store", store.to_str().unwrap()][..], &args[..]].concat());
    assert!(run.stdout.contains("Initech,Apache Kafka,We migrated to Kafka.,crlf.md,5\r\n"), "{:?}", run.stdout);
    let title = talkgraph(&["--store", store.to_str().unwrap(), "query", "talks", "--format", "csv"]);
    assert!(title.stdout.contains("\r\nKafka talk,"), "{:?}", title.stdout);
}

/// True when this process cannot read the path (false as root, who reads anything).
fn unreadable(path: &Path) -> bool {
    if path.is_dir() { std::fs::read_dir(path).is_err() } else { std::fs::read(path).is_err() }
}

#[cfg(unix)]
#[test]
fn ingest_unreadable_file_and_folder_are_warned_about_and_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let (_tmp, notes) = notes_with_good_file();
    let file = notes.join("secret.md");
    std::fs::write(&file, GOOD).unwrap();
    let folder = notes.join("locked");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("inside.md"), GOOD).unwrap();
    for p in [&file, &folder] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let enforced = unreadable(&file) && unreadable(&folder);
    let run = ingest(&notes, false);
    let strict = ingest(&notes, true);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_good_ingested(&run);
    if !enforced {
        eprintln!("skipped the warning checks: permissions are not enforced here (running as root)");
        return;
    }
    assert!(run.stderr.contains("secret.md: Permission denied"), "{}", run.stderr);
    assert!(run.stderr.contains("locked"), "{}", run.stderr);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}

#[cfg(unix)]
#[test]
fn ingest_symlink_loop_is_skipped_with_a_warning() {
    let (_tmp, notes) = notes_with_good_file();
    std::fs::create_dir(notes.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", notes.join("sub").join("up")).unwrap();
    std::os::unix::fs::symlink("self.md", notes.join("self.md")).unwrap();
    let run = ingest(&notes, false);
    assert_good_ingested(&run);
    assert!(run.stderr.contains("symlink loop, skipped"), "{}", run.stderr);
    assert!(run.stderr.contains("sub/up"), "{}", run.stderr);
    assert!(run.stdout.contains("1 added"), "the good file once, nothing else: {}", run.stdout);
    assert_eq!(ingest(&notes, true).code, 1);
}

/// Puts beside the notes what a folder can hold that is not a notes file to read: a named pipe, a socket,
/// symlinks to devices, and a sparse file over the default cap. Returns the socket, which lives as long as
/// it is held.
#[cfg(unix)]
fn add_special_files(notes: &Path) -> std::os::unix::net::UnixListener {
    let fifo = notes.join("pipe.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo");
    std::os::unix::fs::symlink("/dev/zero", notes.join("zero.md")).unwrap();
    std::os::unix::fs::symlink("/dev/urandom", notes.join("random.txt")).unwrap();
    let huge = std::fs::File::create(notes.join("huge.md")).unwrap();
    huge.set_len(65 << 20).unwrap();
    std::os::unix::net::UnixListener::bind(notes.join("socket.md")).unwrap()
}

#[cfg(unix)]
#[test]
fn ingest_reads_only_regular_files_within_the_cap() {
    let (tmp, notes) = notes_with_good_file();
    common::copy_notes(&notes);
    let clean = tmp.path().join("clean");
    common::copy_notes(&clean);
    std::fs::write(clean.join("good.md"), GOOD).unwrap();
    let _socket = add_special_files(&notes);
    let (hostile, plain) = (tmp.path().join("hostile-store"), tmp.path().join("plain-store"));
    let run = talkgraph(&["--store".as_ref(), hostile.as_os_str(), "ingest".as_ref(), notes.as_os_str()]);
    assert_good_ingested(&run);
    for (name, what) in [
        ("pipe.md", "a named pipe, not a regular file, skipped"),
        ("socket.md", "a socket, not a regular file, skipped"),
        ("zero.md", "a symlink to a character device, not a regular file, skipped"),
        ("random.txt", "a symlink to a character device, not a regular file, skipped"),
        ("huge.md", "68157440 bytes, over the 67108864-byte cap on a notes file (--max-file-size), skipped"),
    ] {
        assert!(run.stderr.contains(&format!("{name}: {what}")), "{name}: {}", run.stderr);
    }
    let run = talkgraph(&["--store".as_ref(), plain.as_os_str(), "ingest".as_ref(), clean.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(dump(&hostile), dump(&plain), "the special files cost the sample nothing");
    let migrations = in_store(&hostile, &["query", "migrations", "--format", "csv"]);
    assert_eq!(migrations.stdout, in_store(&plain, &["query", "migrations", "--format", "csv"]).stdout);
    assert!(migrations.stdout.lines().count() > 1, "the sample's answer: {}", migrations.stdout);
    assert_eq!(ingest(&notes, true).code, 1, "under --strict a skipped file is an error");
}

#[cfg(unix)]
#[test]
fn ingest_of_a_named_pipe_or_device_given_by_name_skips_it() {
    let (_tmp, notes) = notes_with_good_file();
    let _socket = add_special_files(&notes);
    let run = talkgraph(&[
        "--memory".as_ref(),
        "ingest".as_ref(),
        notes.join("pipe.md").as_os_str(),
        notes.join("zero.md").as_os_str(),
        notes.join("good.md").as_os_str(),
    ]);
    assert_good_ingested(&run);
    assert!(run.stderr.contains("pipe.md: a named pipe, not a regular file, skipped"), "{}", run.stderr);
    assert!(run.stderr.contains("zero.md: a symlink to a character device"), "{}", run.stderr);
}

#[test]
fn ingest_skips_files_over_max_file_size_and_reads_the_rest() {
    let (_tmp, notes) = notes_with_good_file();
    common::copy_notes(&notes);
    let run = talkgraph(&[
        "--memory".as_ref(),
        "--max-file-size".as_ref(),
        "2K".as_ref(),
        "ingest".as_ref(),
        notes.as_os_str(),
    ]);
    assert_good_ingested(&run);
    assert!(run.stdout.contains("1 added"), "only the small file: {}", run.stdout);
    assert!(run.stderr.contains(".txt: 38633 bytes, over the 2048-byte cap"), "{}", run.stderr);
    let bad = talkgraph(&["--memory", "--max-file-size", "lots", "stats"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("`lots` is not a size"), "{}", bad.stderr);
}

#[test]
fn exit_strict_turns_a_warning_into_1() {
    let (_tmp, notes) = notes_with_good_file();
    std::fs::write(notes.join("bad.md"), b"ok \xFF\n").unwrap();
    assert_eq!(ingest(&notes, false).code, 0);
    let strict = ingest(&notes, true);
    assert_eq!(strict.code, 1);
    assert!(strict.stderr.contains("error: 1 warning(s) under --strict"), "{}", strict.stderr);
}

#[test]
fn exit_codes_are_0_ok_1_error_2_usage() {
    let (_tmp, notes) = notes_with_good_file();
    assert_eq!(ingest(&notes, false).code, 0);
    assert_eq!(talkgraph(&["--frobnicate", "stats"]).code, 2);
    assert_eq!(talkgraph(&["stats", "--frobnicate"]).code, 2);
    assert_eq!(talkgraph(&["--memory", "--store", "x", "stats"]).code, 2);
    assert_eq!(talkgraph(&["query", "--format", "yaml", "talks"]).code, 2);
    assert_eq!(talkgraph(&["--memory", "query", "no-such-query"]).code, 1);
    assert_eq!(talkgraph(&["--memory", "query", "companies-moved-to", "--param", "no-equals-sign"]).code, 1);
}

/// A disk store holding the good file and the sample notes, and its export as N-Quads.
fn store_with_notes() -> (tempfile::TempDir, PathBuf) {
    let (tmp, notes) = notes_with_good_file();
    common::copy_notes(&notes);
    let store = tmp.path().join("s");
    let run = talkgraph(&["--store".as_ref(), store.as_os_str(), "ingest".as_ref(), notes.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (tmp, store)
}

fn in_store(store: &Path, args: &[&str]) -> Run {
    talkgraph(&[&["--store", store.to_str().unwrap()][..], args].concat())
}

fn dump(store: &Path) -> String {
    let run = in_store(store, &["export", "--format", "nq", "--ontology", "none"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn query_parameters_that_look_like_sparql_stay_data() {
    let (_tmp, store) = store_with_notes();
    let before = dump(&store);
    let hostile = [
        "stolon\" } ; DROP ALL ; SELECT * {",
        "stolon' } ; DROP ALL ; SELECT * {",
        "}",
        "{ ?s ?p ?o }",
        "stolon\n} DELETE WHERE { ?s ?p ?o",
        "stolon # } comment",
        "\"\"\"",
        "\\\" \\u0022 ''",
        "<https://talkgraph.dev/id/tech/stolon>",
        "?tech",
        "INSERT DATA { <a:b> <a:b> <a:b> }",
    ];
    for value in hostile {
        for (query, name) in [("companies-moved-to", "tech"), ("company-profile", "company")] {
            let run = in_store(&store, &["query", query, "--param", &format!("{name}={value}")]);
            assert_eq!(run.code, 0, "{query} {value:?}: {}", run.stderr);
            assert!(run.stdout.ends_with("(0 rows)\n"), "{query} {value:?}: {}", run.stdout);
        }
        let run =
            in_store(&store, &["query", "evidence", "--param", &format!("company={value}"), "--param", "tech=stolon"]);
        assert!(run.stdout.ends_with("(0 rows)\n"), "evidence {value:?}: {}", run.stdout);
    }
    let right = in_store(&store, &["query", "companies-moved-to", "--param", "tech=  STOLON "]);
    assert!(right.stdout.contains("United Traders") && right.stdout.contains("(2 rows)"), "{}", right.stdout);
    assert_eq!(before, dump(&store), "a query parameter changed the store");
}

#[test]
fn query_updates_are_refused_and_change_nothing() {
    let (tmp, store) = store_with_notes();
    let before = dump(&store);
    let updates = [
        "INSERT DATA { <https://x.y/a> <https://x.y/b> \"c\" }",
        "DROP ALL",
        "CLEAR ALL",
        "CLEAR DEFAULT",
        "DELETE WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } INSERT { ?s ?p \"x\" } WHERE { ?s ?p ?o }",
        "CREATE GRAPH <https://x.y/g>",
        "PREFIX tg: <https://talkgraph.dev/ontology#>\nDROP SILENT GRAPH <https://talkgraph.dev/graph/ontology> ; CLEAR NAMED",
    ];
    for update in updates {
        let run = in_store(&store, &["query", "--query", update]);
        assert_eq!(run.code, 1, "{update:?} was not refused: {}", run.stdout);
        assert!(run.stderr.contains("SPARQL Update is refused"), "{update:?}: {}", run.stderr);
    }
    let file = tmp.path().join("drop.rq");
    std::fs::write(&file, "# drops everything\nDROP ALL\n").unwrap();
    let run = in_store(&store, &["query", file.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let smuggled = in_store(&store, &["query", "--query", "SELECT * WHERE { ?s ?p ?o } ; DROP ALL"]);
    assert_eq!(smuggled.code, 1, "{}", smuggled.stdout);
    assert_eq!(before, dump(&store), "a refused update changed the store");
}

#[test]
fn query_syntax_errors_say_line_and_column() {
    let (_tmp, store) = store_with_notes();
    let run = in_store(&store, &["query", "--query", "SELECT ?s\nWHERE {\n  ?s ?p\n}"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("SPARQL syntax error: error at 4:"), "no line:column in {}", run.stderr);
    let run = in_store(&store, &["query", "--query", "SELECT * WHERE { ?s ?p \"o }"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("SPARQL syntax error: error at 1:"), "no line:column in {}", run.stderr);
}

/// The files of a folder and their bytes, to tell that nothing in it changed (RocksDB's own logs aside).
fn snapshot_of(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !p.file_name().unwrap().to_string_lossy().starts_with("LOG"))
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn store_foreign_directory_is_refused_and_left_as_it_was() {
    let (tmp, notes) = notes_with_good_file();
    let foreign = tmp.path().join("my-documents");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("thesis.md"), "years of work\n").unwrap();
    let before = snapshot_of(&foreign);
    for args in [vec!["ingest", notes.to_str().unwrap()], vec!["ingest", "--rebuild", notes.to_str().unwrap()]] {
        let run = in_store(&foreign, &args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stdout);
        assert!(run.stderr.contains("is not a talkgraph store"), "{args:?}: {}", run.stderr);
        assert_eq!(snapshot_of(&foreign), before, "{args:?} touched the foreign folder");
    }
}

#[test]
fn store_corrupted_gets_a_clear_error_and_rebuild_recovers_it() {
    let (tmp, store) = store_with_notes();
    let notes = tmp.path().join("notes");
    let before = dump(&store);
    let current = store.join("CURRENT");
    std::fs::write(&current, "MANIFEST-999999\n").unwrap();
    let kept = snapshot_of(&store);
    let run = in_store(&store, &["ingest", notes.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("cannot open store") && run.stderr.contains(store.to_str().unwrap()), "{}", run.stderr);
    assert_eq!(snapshot_of(&store), kept, "a failed open changed the corrupted store");
    let rebuilt = in_store(&store, &["ingest", "--rebuild", notes.to_str().unwrap()]);
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    assert!(rebuilt.stderr.contains("rebuilding"), "{}", rebuilt.stderr);
    assert_eq!(dump(&store), before, "the rebuilt store differs from the one before the damage");
}

#[test]
fn store_rebuild_starts_over_from_the_notes() {
    let (tmp, store) = store_with_notes();
    let notes = tmp.path().join("notes");
    let before = dump(&store);
    let run = in_store(&store, &["ingest", "--rebuild", notes.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = std::fs::read_dir(&notes).unwrap().count();
    assert!(run.stdout.contains(&format!("{files} added, 0 updated, 0 removed, 0 unchanged")), "{}", run.stdout);
    assert_eq!(dump(&store), before);
}

#[test]
fn store_built_by_another_version_is_rebuilt_from_the_notes() {
    let (tmp, store) = store_with_notes();
    let notes = tmp.path().join("notes");
    let before = dump(&store);
    let files = std::fs::read_dir(&notes).unwrap().count();
    for key in ["talkgraphVersion", "ontologyVersion"] {
        common::set_meta(&store, key, "an older build");
        let run = in_store(&store, &["ingest", notes.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains(&format!("{files} added, 0 updated")), "{key}: {}", run.stdout);
        assert_eq!(dump(&store), before, "{key}");
    }
}

#[test]
fn query_timeout_stops_a_query_that_runs_too_long() {
    let (_tmp, store) = store_with_notes();
    let endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";
    let started = Instant::now();
    let run = in_store(&store, &["query", "--timeout", "1", "--query", endless]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("timeout"), "{}", run.stderr);
    assert!(started.elapsed() < Duration::from_secs(60), "the query ran {:?}", started.elapsed());
}
