//! The creators endpoints: request shapes (method, path, query, headers, body, hit counts),
//! decoding, client-side checks and the link/unlink semantics; one module per group of calls.
//! Retries of creator calls are in `retries`.

mod analytics;
mod crud;
mod links;
mod top;

use creatoraudit::{Date, Error};
use mockito::{Matcher, Mock, ServerGuard};

/// Mocks that must never be hit: one per method, any path.
pub fn nothing_sent(s: &mut ServerGuard) -> Vec<Mock> {
    ["GET", "POST", "PUT", "PATCH", "DELETE"]
        .into_iter()
        .map(|m| s.mock(m, Matcher::Any).expect(0).create())
        .collect()
}

pub fn assert_none_hit(mocks: &[Mock]) {
    for m in mocks {
        m.assert();
    }
}

/// The message of an [`Error::InvalidInput`], or a panic.
pub fn invalid_input(err: Error) -> String {
    match err {
        Error::InvalidInput(msg) => msg,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

pub fn date(s: &str) -> Date {
    s.parse().unwrap()
}
