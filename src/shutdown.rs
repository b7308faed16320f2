//! The stop signal, passed down as a value (as mini-redis does) instead of
//! each long job holding its own pair of signal receivers.
//!
//! One listener task turns SIGTERM or SIGINT into a message on a `watch`
//! channel; every job that must stop at a safe point gets a [`Shutdown`]
//! (clones are cheap) and either asks [`Shutdown::is_shutdown`] between two
//! units of work or races its work against [`Shutdown::recv`].

use anyhow::Result;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;

/// Listens for the stop signal. `recv` returns the signal's name once it
/// has come, at once on every later call.
#[derive(Debug, Clone)]
pub struct Shutdown {
    signal: watch::Receiver<Option<&'static str>>,
    /// Keeps the channel open for [`Shutdown::never`], whose `recv` must
    /// then wait forever rather than see a closed channel.
    _never: Option<std::sync::Arc<watch::Sender<Option<&'static str>>>>,
}

impl Shutdown {
    /// Stops on SIGTERM (systemd's stop) or SIGINT (Ctrl-C). Must be called
    /// inside a tokio runtime. The handlers are installed before this
    /// returns, so a signal that arrives while the job starts is not lost.
    pub fn on_signals() -> Result<Shutdown> {
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        let (tx, rx) = watch::channel(None);
        tokio::spawn(async move {
            let name = tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            };
            let _ = tx.send(Some(name));
            // The handlers stay installed (a second signal must not kill
            // the process mid-commit); the sender lives as long as they do.
            loop {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            }
        });
        Ok(Shutdown {
            signal: rx,
            _never: None,
        })
    }

    /// A shutdown that never comes: for jobs run where nobody can stop them
    /// early (tests, benchmarks).
    pub fn never() -> Shutdown {
        let (tx, rx) = watch::channel(None);
        Shutdown {
            signal: rx,
            _never: Some(std::sync::Arc::new(tx)),
        }
    }

    /// Whether the stop signal has come.
    pub fn is_shutdown(&self) -> bool {
        self.signal.borrow().is_some()
    }

    /// Waits for the stop signal; returns its name ("SIGTERM", "SIGINT").
    pub async fn recv(&mut self) -> &'static str {
        match self.signal.wait_for(Option::is_some).await {
            Ok(name) => name.unwrap_or("a stop signal"),
            // The listener is gone (its runtime is shutting down): nothing
            // will ever be signalled, so wait as `never` does.
            Err(_) => std::future::pending().await,
        }
    }
}
