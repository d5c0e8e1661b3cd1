//! The integration tests: one binary (one link step), with modules named by the behaviour
//! they test. Servers, clients, fixtures and generators shared by the modules are in
//! [`support`]; the test kit's own tests (`tests/testing_kit.rs`) stay a binary of their own.
//!
//! Run one module with a filter, e.g. `cargo test --all-features --test it -- retries::`.

mod support;

mod account_videos;
mod accounts;
mod architecture;
mod checkpoints;
mod conditional;
mod creators;
mod curl;
mod errors;
mod limits;
#[cfg(feature = "log")]
mod logging;
mod metrics;
mod overview;
mod pagination;
mod proxy;
mod requests;
mod retries;
mod robustness;
mod search;
mod tls;
mod transport_faults;
mod videos;
mod waiting;
