//! The `tricorder` binary: parse arguments, set up logging, run a verb, and
//! turn its result into a message and an exit code (see `exit`).

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use tricorder::cli::{self, Cli, Command};
use tricorder::{exit, logging};

// The allocator and its options, shared with the benchmarks (which must
// measure what the binary runs).
mod allocator;

fn main() -> ExitCode {
    exit::install_panic_hook();
    let cli = Cli::parse();
    exit::run_guarded(|| exit::report(dispatch(cli)))
}

/// The one place that decides how each kind of command starts: the daemon
/// and its workers log differently from one-shot commands.
fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        // The daemon's config is read once, here: its `log_level` is needed
        // before logging starts, and the daemon then runs with it. The daemon
        // logs every event by default (journald keeps it).
        Command::Run => {
            let path = tricorder::config::resolve_path(cli.config.as_deref());
            let loaded = tricorder::config::load_snapshot(&path);
            let configured = loaded.as_ref().ok().and_then(|(c, _)| c.log_level.clone());
            let filter = logging::filter(cli.verbose, true, configured.as_deref());
            logging::init(&filter);
            let (cfg, snapshot) = loaded?;
            tricorder::daemon::run(snapshot, cfg, filter)
        }
        // A worker logs into the daemon's log, in its format and with its
        // filter (handed over in RUST_LOG), errors included. A refusal to run
        // comes before that: it is for someone who ran it by hand.
        Command::Worker(job) => {
            let cfg = tricorder::worker::accept()?;
            logging::init(&logging::filter(
                cli.verbose,
                true,
                cfg.log_level.as_deref(),
            ));
            let label = job.to_string();
            tricorder::worker::run(job, cfg).map_err(|e| {
                tracing::error!("worker {label}: {e:#}");
                exit::Reported(format!("worker {label} failed")).into()
            })
        }
        // One-shot commands print their own summary and log only errors unless -v.
        _ => {
            logging::init(&logging::filter(cli.verbose, false, None));
            cli::run(cli)
        }
    }
}
