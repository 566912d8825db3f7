//! The talkgraph binary: parses arguments, runs one command, prints `error: …` with the whole cause chain
//! on failure. Exit codes: 0 success, 1 error, 2 usage (clap). A closed pipe counts as success.

use clap::Parser;
use std::process::ExitCode;
use talkgraph::cli::{Cli, Command};
use talkgraph::commands;

/// mimalloc: ingest allocates millions of small strings (terms of quads), in our code and in the store's
/// bulk loader; the system allocator spent ~20% of ingest time on them.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
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

/// Runs a command that prints its answer to standard output.
fn with_stdout(cli: &Cli) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match &cli.command {
        Command::Ingest(args) => commands::ingest::run(cli, args, &mut out),
        Command::Query(args) => commands::query::run(cli, args, &mut out),
        Command::Export(args) => commands::export::run(cli, args, &mut out),
        Command::Stats(args) => commands::stats::run(cli, args, &mut out),
        Command::Candidates(args) => commands::candidates::run(cli, args, &mut out),
        Command::Eval(args) => commands::eval::run(cli, args, &mut out),
        Command::Push(args) => commands::push::run(cli, args, &mut out),
        Command::Serve(args) => commands::serve::run(cli, args),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().filter_map(|e| e.downcast_ref::<std::io::Error>()).any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
