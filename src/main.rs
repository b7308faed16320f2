//! The `tricorder` binary: parse arguments, set up logging, run a verb, and
//! turn errors into messages and exit codes.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use tricorder::cli::{self, Cli, Command, EXIT_USAGE, log_filter};

/// jemalloc rather than glibc's malloc: a poll allocates and frees many
/// short strings on several threads at once, and glibc's malloc and free
/// were about a seventh of a first poll's CPU (measured with `perf`; the
/// first poll of 2,000 feeds took 12.2 s with glibc and 10.6 s with jemalloc).
/// (SQLite's own allocations still use the C library's malloc.)
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's start-up options (the `_RJEM_MALLOC_CONF` environment variable
/// still overrides them). Its defaults favour many-core servers: four arenas
/// per core, each keeping freed pages for 10 s. Two arenas and a 1 s decay
/// held the peak of a first poll at 114 MB instead of 160-180 MB, at no
/// measurable cost in time.
#[repr(transparent)]
struct MallocConf(*const std::ffi::c_char);
// SAFETY: a pointer to a static, immutable C string.
unsafe impl Sync for MallocConf {}
#[used]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: MallocConf =
    MallocConf(c"narenas:2,dirty_decay_ms:1000,muzzy_decay_ms:0".as_ptr());

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        // The daemon's config is read once, here: its `log_level` is needed
        // before logging starts, and the daemon then runs with it. The daemon
        // logs every event by default (journald keeps it).
        Command::Run => {
            let path = tricorder::config::resolve_path(cli.config.as_deref());
            let loaded = tricorder::config::load_snapshot(&path);
            let configured = loaded.as_ref().ok().and_then(|(c, _)| c.log_level.clone());
            let filter = log_filter(cli.verbose, true, configured.as_deref());
            init_logging(&filter);
            loaded
                .map_err(anyhow::Error::from)
                .and_then(|(cfg, snapshot)| tricorder::daemon::run(snapshot, cfg, filter))
        }
        // A worker logs into the daemon's log, in its format and with its
        // filter (handed over in RUST_LOG), errors included. A refusal to run
        // comes before that: it is for someone who ran it by hand.
        Command::Worker(job) => match tricorder::worker::accept() {
            Err(e) => Err(e),
            Ok(cfg) => {
                init_logging(&log_filter(cli.verbose, true, cfg.log_level.as_deref()));
                let label = job.to_string();
                if let Err(e) = tricorder::worker::run(job, cfg) {
                    tracing::error!("worker {label}: {e:#}");
                    return ExitCode::FAILURE;
                }
                Ok(())
            }
        },
        // One-shot commands print their own summary and log only errors unless -v.
        _ => {
            init_logging(&log_filter(cli.verbose, false, None));
            cli::run(cli)
        }
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
fn init_logging(filter: &str) {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .init();
}
