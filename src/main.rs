//! The `tricorder` binary: parse arguments, set up logging, run a verb, and
//! turn errors into messages and exit codes.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use tricorder::cli::{self, Cli, EXIT_USAGE};

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            // Problems with what the user typed or wrote get exit code 2, like
            // clap's own usage errors; everything else is 1.
            if e.downcast_ref::<tricorder::config::ConfigError>().is_some()
                || e.downcast_ref::<cli::UsageError>().is_some()
            {
                ExitCode::from(EXIT_USAGE as u8)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// Logs go to stderr, one line per event, without colour codes unless stderr
/// is a terminal (journald and log files stay readable).
fn init_logging(verbose: u8) {
    let default = match verbose {
        // Commands print their own summary of what went wrong; log lines
        // on top would say it twice. -v shows the per-feed log.
        0 => "error",
        1 => "info",
        _ => "debug",
    };
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("tricorder={default},warn")));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .init();
}
