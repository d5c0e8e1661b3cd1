//! The SDK's log records, through the [`log`](https://docs.rs/log) crate (feature `log`, on
//! by default), target `creatoraudit`. The one place they are written; the transport calls
//! `attempt` and `wait` from its loop, `Client::pause` calls `poll_wait`. Without the
//! feature they compile to nothing.
//!
//! - `debug`, one per attempt: `GET /accounts/{id}: attempt 1 -> 503 Service Unavailable
//!   in 12 ms (request id req_1)`;
//! - `info`, one per wait: `GET /accounts/{id}: retrying in 500 ms (back-off) after 503,
//!   request id req_1`, or `GET /whoami: waiting 1.2 s before sending (pacing: the
//!   rate-limit budget is spent)`, or between the polls of `wait_until_scraped`:
//!   `GET /accounts/{id}: polling again in 3 s (after poll 2: not there yet)`.
//!
//! Nothing at `error` or `warn`: the caller gets the `Error`. Records name the endpoint by
//! its template (never an id or a query value; an untyped call by the path its caller gave,
//! without the query) and never carry the key, a header or a body; a request id from a body
//! is shown as one bounded line.

use std::time::Duration;

use crate::history::{AttemptOutcome, WaitReason};

/// The target of every record.
#[cfg(feature = "log")]
pub(crate) const TARGET: &str = "creatoraudit";

/// One attempt ended.
#[cfg(feature = "log")]
pub(crate) fn attempt(
    endpoint: &str,
    number: u32,
    outcome: AttemptOutcome,
    elapsed: Duration,
    request_id: Option<&str>,
) {
    use crate::history::Human;

    if !::log::log_enabled!(target: TARGET, ::log::Level::Debug) {
        return;
    }
    let phrase = match outcome {
        AttemptOutcome::Status(status) => crate::problem::reason_phrase(status),
        _ => "",
    };
    let space = if phrase.is_empty() { "" } else { " " };
    match request_id {
        // A request id read from a body is the server's text: one bounded line.
        Some(id) => ::log::debug!(
            target: TARGET,
            "{endpoint}: attempt {number} -> {outcome}{space}{phrase} in {} (request id {})",
            Human(elapsed),
            crate::text::name(id)
        ),
        None => ::log::debug!(
            target: TARGET,
            "{endpoint}: attempt {number} -> {outcome}{space}{phrase} in {}",
            Human(elapsed)
        ),
    }
}

/// A wait is about to be taken, after the attempt that ended with `after` (none before the
/// first attempt).
#[cfg(feature = "log")]
pub(crate) fn wait(
    endpoint: &str,
    reason: WaitReason,
    delay: Duration,
    after: Option<AttemptOutcome>,
    request_id: Option<&str>,
) {
    use crate::history::Human;

    if !::log::log_enabled!(target: TARGET, ::log::Level::Info) {
        return;
    }
    let delay = Human(delay);
    if reason == WaitReason::Pacing {
        ::log::info!(
            target: TARGET,
            "{endpoint}: waiting {delay} before sending (pacing: the rate-limit budget is spent)"
        );
        return;
    }
    let after = after.map(|o| o.to_string()).unwrap_or_default();
    match request_id {
        Some(id) => ::log::info!(
            target: TARGET,
            "{endpoint}: retrying in {delay} ({reason}) after {after}, request id {}",
            crate::text::name(id)
        ),
        None => ::log::info!(
            target: TARGET,
            "{endpoint}: retrying in {delay} ({reason}) after {after}"
        ),
    }
}

/// A wait between poll `poll` of a wait for the API (`wait_until_scraped`) and the next.
#[cfg(feature = "log")]
pub(crate) fn poll_wait(endpoint: &str, delay: Duration, poll: u32) {
    use crate::history::Human;

    ::log::info!(
        target: TARGET,
        "{endpoint}: polling again in {} (after poll {poll}: not there yet)",
        Human(delay)
    );
}

/// Without the `log` feature: nothing.
#[cfg(not(feature = "log"))]
#[inline(always)]
pub(crate) fn poll_wait(_: &str, _: Duration, _: u32) {}

/// Without the `log` feature: nothing.
#[cfg(not(feature = "log"))]
#[inline(always)]
pub(crate) fn attempt(_: &str, _: u32, _: AttemptOutcome, _: Duration, _: Option<&str>) {}

/// Without the `log` feature: nothing.
#[cfg(not(feature = "log"))]
#[inline(always)]
pub(crate) fn wait(
    _: &str,
    _: WaitReason,
    _: Duration,
    _: Option<AttemptOutcome>,
    _: Option<&str>,
) {
}
