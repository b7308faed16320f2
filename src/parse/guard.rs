//! Catching a dependency's panic without the default hook's stderr output.
//!
//! A hostile or merely odd feed can find a panic in quick-xml or feed-rs.
//! `catch_unwind` keeps it from ending the poll round, but the process-wide
//! panic hook would still print "thread panicked at …" and, with
//! `RUST_BACKTRACE` set, a backtrace: noise in the journal for what is one
//! broken feed. So a hook is installed once that stays silent while the
//! current thread is inside [`quietly`], and defers to the previous hook
//! (the default, or a test harness's) everywhere else.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

static INSTALL: Once = Once::new();

fn install() {
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic inside it comes back as `Err` with its message on one
/// line, and prints nothing.
pub(super) fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install();
    let was = QUIET.with(|q| q.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.map_err(|payload| {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic with no message".to_owned());
        let line = msg.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.chars().count() > 200 {
            format!("{}…", line.chars().take(200).collect::<String>())
        } else {
            line
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_one_line() {
        let r: Result<(), String> = quietly(|| panic!("bad\nthing {}", 42));
        assert_eq!(r.unwrap_err(), "bad thing 42");
        assert_eq!(quietly(|| 7), Ok(7));
        assert!(!QUIET.with(Cell::get), "quiet mode ends with the call");
    }
}
