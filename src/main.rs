//! The talkgraph binary: parses arguments, runs one command, prints `error: …` with the whole cause chain
//! on failure. Exit codes: 0 success, 1 error, 2 usage (clap). A closed pipe counts as success.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;
use talkgraph::cli::{Cli, Command};
use talkgraph::commands;

/// mimalloc: ingest allocates millions of small strings (terms of quads), in our code and in the store's
/// bulk loader; the system allocator spent ~20% of ingest time on them.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    without_huge_pages();
    let cli = Cli::parse();
    // `serve` prints from its server threads, so it must not run under this thread's stdout lock.
    let result = match &cli.command {
        Command::Serve(args) => commands::serve::run(&cli, args),
        _ => with_stdout(&cli),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// No transparent huge pages for this process. mimalloc asks for them on its arenas, so the first touch
/// of any 4 KB there makes the kernel zero 2 MB: half of a re-ingest's time went to zeroing pages it
/// never used (0.51 s → 0.33 s at 10k talks), and a full ingest peaked 80 MB higher, no faster.
fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
}

/// Runs a command that prints its answer to standard output. An answer (rows, an export, a report) goes
/// out in large writes, not a write per line as standard output's own buffer does (24k rows were 24k
/// system calls); `ingest` and `push` say what they did file by file, as they go.
fn with_stdout(cli: &Cli) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut lines = stdout.lock();
    let mut answer = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match &cli.command {
        Command::Ingest(args) => return commands::ingest::run(cli, args, &mut lines),
        Command::Push(args) => return commands::push::run(cli, args, &mut lines),
        Command::Query(args) => commands::query::run(cli, args, &mut answer),
        Command::Export(args) => commands::export::run(cli, args, &mut answer),
        Command::Stats(args) => commands::stats::run(cli, args, &mut answer),
        Command::Candidates(args) => commands::candidates::run(cli, args, &mut answer),
        Command::Eval(args) => commands::eval::run(cli, args, &mut answer),
        Command::Serve(args) => commands::serve::run(cli, args),
    }?;
    Ok(answer.flush()?)
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().filter_map(|e| e.downcast_ref::<std::io::Error>()).any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
