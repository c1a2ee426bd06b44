//! `layotto`: the sidecar binary. Everything it does lives in the library crates; this file
//! only parses the command line and hands over.

mod cli;
mod info;
mod listeners;
mod logging;
mod sidecar;
mod signals;

use std::process::ExitCode;

use clap::Parser;

// The allocator matters on the hot path: every request allocates a few buffers on its core.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.command {
        cli::Command::Start(args) => sidecar::start(args),
        cli::Command::Check(args) => sidecar::check(args),
        cli::Command::Version => {
            println!("layotto {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
    }
}
