//! A mockito server and clients pointed at it whose retries never sleep.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use creatoraudit::{Client, ClientBuilder};
use mockito::{Matcher, Server, ServerGuard};

use super::KEY;

/// The retry waits a client took, recorded instead of slept.
pub type Waits = Arc<Mutex<Vec<Duration>>>;

/// A fresh local server.
pub fn server() -> ServerGuard {
    Server::new()
}

/// A client for `server`'s `/v2`, whose retries never sleep.
pub fn client(server: &ServerGuard) -> Client {
    builder(server).build().expect("test client")
}

/// A builder for `server`'s `/v2`, whose retries never sleep.
pub fn builder(server: &ServerGuard) -> ClientBuilder {
    super::logger::install();
    Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/v2", server.url()))
        .no_proxy()
        .retry_sleeper(|_| {})
}

/// `builder`, with its retry waits recorded instead of slept.
pub fn recording(builder: ClientBuilder) -> (ClientBuilder, Waits) {
    super::logger::install();
    let waits = Waits::default();
    let seen = Arc::clone(&waits);
    let builder = builder.retry_sleeper(move |d| seen.lock().unwrap().push(d));
    (builder, waits)
}

/// A client for `server` whose retry waits are recorded instead of slept.
pub fn recording_client(server: &ServerGuard) -> (Client, Waits) {
    let (builder, waits) = recording(builder(server));
    (builder.build().expect("test client"), waits)
}

/// Matches an exact, already-encoded query string.
pub fn query(raw: &str) -> Matcher {
    Matcher::Exact(raw.to_owned())
}
