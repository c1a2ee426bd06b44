//! The command line: `layotto start [-c FILE]`, `layotto check -c FILE`, `layotto version`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "layotto",
    about = "Application runtime and service-mesh sidecar",
    version
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the sidecar. Without -c it runs the embedded default config (every API in memory).
    Start(StartArgs),
    /// Validate a config file; exits non-zero naming the JSON path of the first error.
    Check(CheckArgs),
    /// Print the version.
    Version,
}

#[derive(Args, Debug)]
pub struct StartArgs {
    /// Config file in Layotto's JSON layout. `RUNTIME_CONFIG` sets it too, as in Layotto.
    #[arg(short = 'c', long = "config", env = "RUNTIME_CONFIG")]
    pub config: Option<PathBuf>,
    /// Worker threads [default: the config's worker.count, else one per available core].
    #[arg(long)]
    pub workers: Option<usize>,
    /// Pin each worker to its own core.
    #[arg(long, num_args = 0..=1, default_missing_value = "true")]
    pub cpu_pinning: Option<bool>,
    /// I/O driver [default: the config's worker.io_driver, else io_uring].
    #[arg(long, value_enum)]
    pub io_driver: Option<IoDriverArg>,
    /// Log level or filter (`debug`, `info,layotto_worker=trace`); overrides RUST_LOG and config.
    #[arg(short = 'l', long = "log-level")]
    pub log_level: Option<String>,
    /// Log format [default: the config's log.format, else text].
    #[arg(long, value_enum)]
    pub log_format: Option<LogFormatArg>,
    /// How long a shutdown waits for in-flight requests (`30s`) [default: config, else 30s].
    #[arg(long)]
    pub drain_timeout: Option<String>,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[arg(short = 'c', long = "config", env = "RUNTIME_CONFIG")]
    pub config: PathBuf,
}

#[derive(ValueEnum, Debug, Clone, Copy)]
pub enum IoDriverArg {
    #[value(name = "io_uring")]
    IoUring,
    Epoll,
}

#[derive(ValueEnum, Debug, Clone, Copy)]
pub enum LogFormatArg {
    Text,
    Json,
}
