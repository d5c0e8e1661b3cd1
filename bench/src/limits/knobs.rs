//! The two `ClientBuilder` settings of issue 10 that the scenarios compare, each in one place.
//!
//! `ClientBuilder::batch_concurrency(usize)` and `ClientBuilder::pacing(bool)`. The report
//! says whether each knob was applied, so a figure is never read as the wrong setting's.

use creatoraudit::ClientBuilder;

/// Whether [`with_concurrency`] really sets `ClientBuilder::batch_concurrency`.
pub const CONCURRENCY_APPLIED: bool = true;

/// Whether [`with_pacing`] really sets `ClientBuilder::pacing`.
pub const PACING_APPLIED: bool = true;

/// Up to `n` chunks of a batch call in flight at once.
pub fn with_concurrency(b: ClientBuilder, n: usize) -> ClientBuilder {
    b.batch_concurrency(n)
}

/// Proactive pacing under the rate limit on or off.
pub fn with_pacing(b: ClientBuilder, on: bool) -> ClientBuilder {
    b.pacing(on)
}

/// How the report names a knob's state.
pub fn applied(applied: bool) -> &'static str {
    if applied {
        "applied"
    } else {
        "NOT APPLIED (the SDK has no such setting yet: today's behaviour)"
    }
}
