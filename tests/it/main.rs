//! The integration tests: one binary (one link step), with modules named by the behaviour
//! they test. Servers, clients, fixtures and generators shared by the modules are in
//! [`support`]; the test kit's own tests (`tests/testing_kit.rs`) stay a binary of their own.
//!
//! Run one module with a filter, e.g. `cargo test --all-features --test it -- retries::`.

mod support;

mod robustness;
mod transport_faults;
mod retries;
mod proxy;
mod tls;
mod account_videos;
mod accounts;
mod errors;
mod metrics;
mod overview;
mod pagination;
mod requests;
mod search;
mod videos;
mod creators;
