//! The two `ClientBuilder` settings of issue 10 that the scenarios compare, each in one place.
//!
//! `ClientBuilder::batch_concurrency(usize)` and `ClientBuilder::pacing(bool)` do not exist
//! yet. Until they do, these functions return the builder unchanged and the report says that
//! the knob was not applied, so every figure it prints is today's behaviour. When the SDK
//! gains them: replace the body by the call in the TODO and set the `*_APPLIED` constant
//! beside it to `true`.

use creatoraudit::ClientBuilder;

/// Whether [`with_concurrency`] really sets `ClientBuilder::batch_concurrency`.
pub const CONCURRENCY_APPLIED: bool = false;

/// Whether [`with_pacing`] really sets `ClientBuilder::pacing`.
pub const PACING_APPLIED: bool = false;

/// Up to `n` chunks of a batch call in flight at once.
pub fn with_concurrency(b: ClientBuilder, n: usize) -> ClientBuilder {
    // TODO(issue 10): b.batch_concurrency(n)
    let _ = n;
    b
}

/// Proactive pacing under the rate limit on or off.
pub fn with_pacing(b: ClientBuilder, on: bool) -> ClientBuilder {
    // TODO(issue 10): b.pacing(on)
    let _ = on;
    b
}

/// How the report names a knob's state.
pub fn applied(applied: bool) -> &'static str {
    if applied {
        "applied"
    } else {
        "NOT APPLIED (the SDK has no such setting yet: today's behaviour)"
    }
}
