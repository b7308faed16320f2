//! Where log lines go and which ones: set up once per process.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// The log filter: `RUST_LOG` if set (and valid), else the daemon's
/// configured `log_level` or the default for the kind of command and `-v`.
/// The daemon hands the result to its workers, so that they log alike.
pub fn filter(verbose: u8, daemon: bool, configured: Option<&str>) -> String {
    if let Ok(env) = std::env::var("RUST_LOG")
        && EnvFilter::try_new(&env).is_ok()
    {
        return env;
    }
    let level = match (verbose, daemon) {
        (0, true) => configured.unwrap_or("info"),
        (0, false) => "error",
        (1, _) => "info",
        _ => "debug",
    };
    format!("tricorder={level},warn")
}

/// Logs go to stderr, one line per event, without colour codes unless stderr
/// is a terminal (journald and log files stay readable).
pub fn init(filter: &str) {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .init();
}
