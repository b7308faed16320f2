//! How a run ends: the exit code for a result, decided here and nowhere else.
//!
//! - 0: success, and also output cut short by a closed pipe
//!   (`tricorder status --json | head -1`), as ripgrep does: the reader
//!   had what it wanted.
//! - 1: a runtime failure (network, disk, database, a worker that failed).
//! - 2: bad usage or config: something the user typed or wrote, which
//!   running again unchanged will not fix.
//!
//! Panics other than a closed pipe keep Rust's own code, 101: they are bugs.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

pub const SUCCESS: u8 = 0;
pub const FAILURE: u8 = 1;
pub const USAGE: u8 = 2;

/// A mistake in what the user typed; exits with code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// An error already reported where it belongs (a worker logs its failure
/// into the daemon's log); only the exit code remains to be given.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Reported(pub String);

/// The exit code for an error: 2 when the user's input is at fault.
pub fn code_for(e: &anyhow::Error) -> u8 {
    let usage = e.chain().any(|c| {
        c.downcast_ref::<crate::config::ConfigError>().is_some()
            || c.downcast_ref::<UsageError>().is_some()
    });
    if usage { USAGE } else { FAILURE }
}

/// Prints the error, if any, and turns the result into the process's exit code.
pub fn report(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::from(SUCCESS),
        Err(e) if e.downcast_ref::<Reported>().is_some() => ExitCode::from(code_for(&e)),
        Err(e) => {
            let mut message = format!("error: {e:#}");
            if let Some(hint) = hint_for(&e) {
                message.push_str("\n  ");
                message.push_str(&hint);
            }
            // stderr itself may be a closed pipe; nothing more to say then.
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!("{message}\n").as_bytes(),
            );
            ExitCode::from(code_for(&e))
        }
    }
}

/// The way out of a damaged database, wherever in a command it is noticed
/// (opening it, or a query half-way through).
fn hint_for(e: &anyhow::Error) -> Option<String> {
    let corrupt = e.chain().any(|c| {
        c.downcast_ref::<rusqlite::Error>().is_some_and(|r| {
            matches!(
                r.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
            )
        })
    });
    corrupt.then(crate::store::corrupt_hint)
}

/// Set by the panic hook when the panic was a write to a closed stdout or stderr.
static BROKEN_PIPE: AtomicBool = AtomicBool::new(false);

/// Installs a panic hook that stays silent for a write to a closed pipe
/// (`println!` panics on one) and reports every other panic as before. The
/// panic still unwinds, so locks and transactions are released on the way
/// out; [`run_guarded`] then turns it into exit code 0.
///
/// A hook rather than `writeln!` at every print: the commands print in many
/// places, and one missed `println!` would bring the panic back.
pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if is_broken_pipe(message) {
            BROKEN_PIPE.store(true, Ordering::SeqCst);
            return;
        }
        default(info);
    }));
}

fn is_broken_pipe(panic_message: &str) -> bool {
    (panic_message.starts_with("failed printing to stdout")
        || panic_message.starts_with("failed printing to stderr"))
        && panic_message.contains("Broken pipe")
}

/// Runs a command; a closed pipe ends it quietly with exit code 0, any other
/// panic goes on as a panic.
pub fn run_guarded(f: impl FnOnce() -> ExitCode) -> ExitCode {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(code) => code,
        Err(_) if BROKEN_PIPE.load(Ordering::SeqCst) => ExitCode::from(SUCCESS),
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_errors_anywhere_in_the_chain_exit_2() {
        let e = anyhow::Error::from(UsageError("bad".into())).context("while doing x");
        assert_eq!(code_for(&e), USAGE);
        assert_eq!(code_for(&anyhow::anyhow!("disk full")), FAILURE);
    }

    #[test]
    fn only_pipe_errors_count_as_a_closed_pipe() {
        assert!(is_broken_pipe(
            "failed printing to stdout: Broken pipe (os error 32)"
        ));
        assert!(!is_broken_pipe(
            "failed printing to stdout: No space left on device (os error 28)"
        ));
        assert!(!is_broken_pipe("index out of bounds"));
    }
}
