//! The `tricorder` binary: parse arguments, set up logging, run a verb, and
//! turn errors into messages and exit codes.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use tricorder::cli::{self, Cli, EXIT_USAGE};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The daemon logs every event by default (journald keeps it); one-shot
    // commands print their own summary and log only errors unless -v.
    let daemon = matches!(cli.command, cli::Command::Run);
    // The daemon's config is read once, here: its `log_level` is needed
    // before logging starts, and the daemon then runs with it.
    let path = tricorder::config::resolve_path(cli.config.as_deref());
    let daemon_config = daemon.then(|| tricorder::config::load(&path));
    let configured = daemon_config
        .as_ref()
        .and_then(|c| c.as_ref().ok())
        .and_then(|c| c.log_level.clone());
    init_logging(cli.verbose, daemon, configured.as_deref());
    let result = match daemon_config {
        Some(cfg) => cfg
            .map_err(anyhow::Error::from)
            .and_then(|cfg| tricorder::daemon::run(path, cfg)),
        None => cli::run(cli),
    };
    match result {
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
fn init_logging(verbose: u8, daemon: bool, configured: Option<&str>) {
    let default = match (verbose, daemon) {
        (0, true) => configured.unwrap_or("info"),
        (0, false) => "error",
        (1, _) => "info",
        _ => "debug",
    };
    // RUST_LOG wins over the config's log_level, which wins over the default.
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("tricorder={default},warn")));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .init();
}
