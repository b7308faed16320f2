//! tricorder: listens to an industry's feeds so a marketer can join the conversation.
//!
//! The stages, in the order data flows through them (each may use those
//! before it, never those after):
//!
//! - [`config`] (with [`opml`]): what to poll and how politely.
//! - [`fetch`]: bytes over HTTP or from `file://`, with every limit enforced.
//! - [`parse`]: bytes → normalised [`parse::Item`]s, repairing broken feeds.
//! - [`store`]: SQLite, the source of truth.
//! - [`index`]: tantivy, derived from the store and rebuildable at any time.
//! - [`analyse`]: key phrases and questions per item; trends and open questions.
//! - [`discover`]: a site's feeds from its address, for `feeds add` and `import`.
//! - [`poll`]: one round of fetch → parse → store over many feeds, and
//!   [`ingest`]: that round followed by indexing, the one path the CLI and
//!   the daemon share ([`shutdown`] carries the stop signal down to it),
//!   which also reads excerpt feeds' articles in full ([`fulltext`]).
//!
//! On top: [`cli`], the command line, and [`daemon`], the service, which runs
//! its work in short-lived [`worker`] processes. [`lock`] keeps one writer per
//! data folder.

pub mod analyse;
pub mod clean;
pub mod cli;
pub mod config;
pub mod daemon;
pub mod digest;
pub mod discover;
pub mod exit;
pub mod fetch;
pub mod fulltext;
pub mod index;
pub mod ingest;
pub mod lock;
pub mod logging;
pub mod mail;
pub mod opml;
pub mod parse;
pub mod poll;
pub mod shutdown;
pub mod store;
pub mod worker;
