//! What the integration tests share: clients pointed at a local server, response bodies built
//! on the test kit's fixtures, one raw-TCP server for what mockito cannot do (and the HTTPS
//! server and CONNECT proxy built on it), one deterministic RNG and the robustness generators.
//!
//! Everything listens on 127.0.0.1: no test reaches the internet.

pub mod clients;
pub mod connect_proxy;
pub mod fixtures;
pub mod generators;
pub mod logger;
pub mod raw_server;
pub mod rng;
pub mod time;
pub mod tls_server;

pub use clients::{builder, client, query, recording, recording_client, server};
pub use fixtures::{data, full_account, full_video, page, problem};

/// The API key every test client sends.
pub const KEY: &str = "ca_test_0123456789abcdef";
/// The `Authorization` header for [`KEY`].
pub const BEARER: &str = "Bearer ca_test_0123456789abcdef";
/// The JSON media type.
pub const JSON: &str = "application/json";
/// The problem-document media type (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The kind of a transport error, or a panic naming what came back instead.
pub fn transport_kind(
    result: &Result<impl std::fmt::Debug, creatoraudit::Error>,
) -> creatoraudit::TransportErrorKind {
    match result {
        Err(creatoraudit::Error::Transport(t)) => t.kind(),
        other => panic!("expected Error::Transport, got {other:?}"),
    }
}
