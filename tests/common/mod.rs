//! Helpers shared by the integration tests. Each test binary uses a subset.
#![allow(dead_code)]

pub mod corpus;
pub mod feeds;
pub mod http;
pub mod smtp;
