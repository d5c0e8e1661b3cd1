//! The shared rate-limit budget: when a request may go.
//!
//! Every clone of a client, on any thread, shares one [`Pacer`]. It keeps the last
//! `X-RateLimit-*` snapshot it trusts, minus the requests sent since, and answers "go" or
//! "wait this long" before each authenticated request. The state sits behind one mutex that is
//! held only to read or update a few numbers: never while a request is on the wire, never
//! while sleeping (the caller sleeps on the answer).
//!
//! No budget known (before the first response, after the window reset, or from a server
//! whose headers are missing or make no sense) means no waiting. One answer without the
//! headers (a gateway's `502`) says nothing of the window, so it leaves the budget as it was.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::response::RateLimit;

/// A reset further away than this is not believed: the budget is treated as unknown.
const MAX_RESET_AHEAD: Duration = Duration::from_secs(24 * 60 * 60);

/// Waiting for a reset ends this much after the advertised second, so that a request does not
/// reach the server just before its window turns over (the header has whole seconds).
pub(crate) const RESET_MARGIN: Duration = Duration::from_millis(100);

/// The budget shared by a client's clones. Disabled, it always says go.
#[derive(Debug, Default)]
pub(crate) struct Pacer {
    enabled: bool,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    budget: Option<Budget>,
    /// Requests let go whose answer has not come back: a snapshot that arrives meanwhile may
    /// not count them yet, so they are taken off what it says is left.
    in_flight: u64,
}

/// What is left of the current window, as far as this client knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Budget {
    /// Requests this client may still send in the window.
    left: u64,
    /// When the window resets, in Unix seconds.
    reset: u64,
}

impl Budget {
    /// When the window resets.
    fn reset_at(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.reset)
    }

    /// How long until a request may go when nothing is left; `None` when one may go now.
    fn spent_for(&self, now: SystemTime) -> Option<Duration> {
        (self.left == 0).then(|| wait_until(self.reset_at(), now))?
    }
}

/// The answer of [`Pacer::acquire`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Permit {
    /// Send now (one request of the budget is taken).
    Go,
    /// The budget is spent: wait this long (until the window's `reset`), tell
    /// [`Pacer::waited`], then ask again.
    Wait { wait: Duration, reset: u64 },
}

impl Pacer {
    pub(crate) fn new(enabled: bool) -> Self {
        Pacer {
            enabled,
            state: Mutex::new(State::default()),
        }
    }

    /// Takes one request from the budget, or says how long until there is one. Every
    /// [`Permit::Go`] must be followed by one [`observe`](Self::observe) (a response came)
    /// or [`abandon`](Self::abandon) (none did).
    pub(crate) fn acquire(&self, now: SystemTime) -> Permit {
        if !self.enabled {
            return Permit::Go;
        }
        let mut state = self.lock();
        if let Some(b) = state.budget.as_mut() {
            if let Some(wait) = b.spent_for(now) {
                return Permit::Wait {
                    wait,
                    reset: b.reset,
                };
            }
            if now < b.reset_at() {
                b.left -= 1;
            } else {
                // The window turned over: nothing is known of the new one until a response
                // says.
                state.budget = None;
            }
        }
        state.in_flight += 1;
        Permit::Go
    }

    /// How long until a request may go, when the budget is spent (the wait
    /// [`acquire`](Self::acquire) would ask for); `None` when one may go now. Takes nothing.
    pub(crate) fn spent_for(&self, now: SystemTime) -> Option<Duration> {
        if !self.enabled {
            return None;
        }
        self.lock().budget?.spent_for(now)
    }

    /// Lets one request go whatever the budget says (the server's own `Retry-After` asked
    /// for it): it is counted as in flight and taken from the budget, which the other
    /// requests keep waiting on. Its answer goes to [`observe_admitted`](Self::observe_admitted)
    /// (or [`abandon`](Self::abandon)).
    pub(crate) fn admit(&self) {
        if self.enabled {
            let mut state = self.lock();
            if let Some(b) = state.budget.as_mut() {
                b.left = b.left.saturating_sub(1);
            }
            state.in_flight += 1;
        }
    }

    /// Takes in the snapshot of the answer to an [admitted](Self::admit) request: the server
    /// contradicted the budget by asking for it, so its answer's snapshot replaces the budget
    /// (a plausible one; none keeps it, as in [`observe`](Self::observe)) instead of only
    /// lowering it.
    pub(crate) fn observe_admitted(&self, snapshot: Option<RateLimit>, now: SystemTime) {
        if !self.enabled {
            return;
        }
        let mut state = self.lock();
        if snapshot.is_some() {
            state.budget = None;
        }
        state.observe(snapshot, now);
    }

    /// Takes in the snapshot of a response to a request let go. Within one window the
    /// smaller estimate wins (the responses of concurrent requests arrive in any order, and
    /// the ones still in flight may not be counted in it yet); a later reset starts a new
    /// window. A snapshot that makes no sense forgets the budget; none (a response without
    /// the headers) keeps it.
    pub(crate) fn observe(&self, snapshot: Option<RateLimit>, now: SystemTime) {
        if self.enabled {
            self.lock().observe(snapshot, now);
        }
    }

    /// A caller waited for the window ending at `reset`: that window is over, so its budget
    /// is forgotten (whatever the clock says: a test sleeper does not move it), and nothing
    /// waits twice for one window.
    pub(crate) fn waited(&self, reset: u64) {
        let mut state = self.lock();
        if state.budget.is_some_and(|b| b.reset <= reset) {
            state.budget = None;
        }
    }

    /// A request let go got no response (the connection failed): it no longer counts as in
    /// flight, and the budget stays as it was.
    pub(crate) fn abandon(&self) {
        if self.enabled {
            let mut state = self.lock();
            state.in_flight = state.in_flight.saturating_sub(1);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    /// [`Pacer::observe`], under the lock.
    fn observe(&mut self, snapshot: Option<RateLimit>, now: SystemTime) {
        self.in_flight = self.in_flight.saturating_sub(1);
        let Some(rl) = snapshot else {
            return;
        };
        if self.budget.is_some_and(|b| rl.reset < b.reset) {
            // A late answer from the window before (its reset may have passed by now): it
            // says nothing of the window the budget is about.
            return;
        }
        if !is_plausible(&rl, now) {
            self.budget = None;
            return;
        }
        let left = rl.remaining.saturating_sub(self.in_flight);
        self.budget = Some(match self.budget {
            Some(b) if b.reset == rl.reset => Budget {
                left: b.left.min(left),
                reset: b.reset,
            },
            _ => Budget {
                left,
                reset: rl.reset,
            },
        });
    }
}

/// How long to wait for a window that resets at `reset_at`: until then and [`RESET_MARGIN`]
/// past it; `None` when it has reset already.
pub(crate) fn wait_until(reset_at: SystemTime, now: SystemTime) -> Option<Duration> {
    reset_at
        .duration_since(now)
        .ok()
        .filter(|wait| !wait.is_zero())
        .map(|wait| wait + RESET_MARGIN)
}

/// Whether a snapshot can be trusted: a positive limit, no more remaining than the limit, and
/// a reset in the future but not far in it.
pub(crate) fn is_plausible(rl: &RateLimit, now: SystemTime) -> bool {
    let Ok(now) = now.duration_since(UNIX_EPOCH) else {
        return false;
    };
    rl.limit > 0
        && rl.remaining <= rl.limit
        && rl.reset > now.as_secs()
        && Duration::from_secs(rl.reset) - now <= MAX_RESET_AHEAD
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn rl(limit: u64, remaining: u64, reset: u64) -> Option<RateLimit> {
        Some(RateLimit {
            limit,
            remaining,
            reset,
        })
    }

    #[test]
    fn no_budget_known_means_no_waiting() {
        let p = Pacer::new(true);
        assert_eq!(p.acquire(at(1_000)), Permit::Go);
        p.observe(None, at(1_000));
        assert_eq!(p.acquire(at(1_000)), Permit::Go);
    }

    #[test]
    fn spent_for_tells_the_wait_without_taking_anything() {
        let p = Pacer::new(true);
        assert_eq!(p.spent_for(at(1_000)), None);
        p.observe(rl(100, 1, 1_010), at(1_000));
        assert_eq!(p.spent_for(at(1_000)), None);
        assert_eq!(p.acquire(at(1_000)), Permit::Go);
        assert_eq!(
            p.spent_for(at(1_000)),
            Some(Duration::from_secs(10) + RESET_MARGIN)
        );
        // Asking twice takes nothing: acquire still says the same wait.
        assert!(matches!(
            p.acquire(at(1_000)),
            Permit::Wait { reset: 1_010, .. }
        ));
        assert_eq!(p.spent_for(at(1_010)), None, "the window has turned");
        assert_eq!(Pacer::new(false).spent_for(at(1_000)), None);
    }

    #[test]
    fn an_answer_without_the_headers_keeps_a_spent_budget() {
        let p = Pacer::new(true);
        p.observe(rl(100, 1, 1_040), at(1_000));
        assert_eq!(p.acquire(at(1_000)), Permit::Go);
        // A gateway's 502 without X-RateLimit-*: the window is still spent.
        p.observe(None, at(1_001));
        assert!(matches!(
            p.acquire(at(1_001)),
            Permit::Wait { reset: 1_040, .. }
        ));
    }

    #[test]
    fn a_request_the_server_asked_for_goes_and_the_others_keep_waiting() {
        let p = Pacer::new(true);
        p.observe(rl(100, 0, 1_050), at(1_000));
        // The server's Retry-After asked this one back before the reset: it goes ...
        p.admit();
        // ... and the budget the other requests wait on is untouched,
        let waits = |p: &Pacer| matches!(p.acquire(at(1_001)), Permit::Wait { reset: 1_050, .. });
        assert!(waits(&p));
        // also by another request's answer of the same window, which only lowers it,
        p.observe(rl(100, 0, 1_050), at(1_001));
        assert!(waits(&p));
        // and by an answer without the headers.
        p.observe(None, at(1_001));
        assert!(waits(&p));
        // The admitted request's answer is the server's newer word on the window: it
        // replaces the spent budget.
        p.observe_admitted(rl(100, 2, 1_050), at(1_001));
        assert_eq!(p.acquire(at(1_001)), Permit::Go);
        assert_eq!(p.acquire(at(1_001)), Permit::Go);
        assert!(waits(&p));
        // Answered without the headers, it says nothing: the budget stays.
        let p = Pacer::new(true);
        p.observe(rl(100, 0, 1_050), at(1_000));
        p.admit();
        p.observe_admitted(None, at(1_001));
        assert!(waits(&p));
    }

    #[test]
    fn a_spent_budget_waits_for_the_reset() {
        let p = Pacer::new(true);
        p.observe(rl(100, 2, 1_002), at(1_000));
        assert_eq!(p.acquire(at(1_000)), Permit::Go);
        assert_eq!(p.acquire(at(1_000)), Permit::Go);
        assert_eq!(
            p.acquire(at(1_000)),
            Permit::Wait {
                wait: Duration::from_secs(2) + RESET_MARGIN,
                reset: 1_002
            }
        );
        // After the wait the window is over, even if the clock did not move (a test sleeper).
        p.waited(1_002);
        assert_eq!(p.acquire(at(1_000)), Permit::Go);
        // The reset passed: go, and the new window is learnt from the next response.
        assert_eq!(p.acquire(at(1_002)), Permit::Go);
        p.observe(rl(100, 99, 1_004), at(1_002));
        assert_eq!(p.acquire(at(1_002)), Permit::Go);
    }

    #[test]
    fn out_of_order_answers_keep_the_smaller_estimate() {
        let p = Pacer::new(true);
        p.observe(rl(10, 5, 1_010), at(1_000));
        p.observe(rl(10, 8, 1_010), at(1_000)); // an older answer arriving late
        for _ in 0..5 {
            assert_eq!(p.acquire(at(1_000)), Permit::Go);
        }
        assert!(matches!(p.acquire(at(1_000)), Permit::Wait { .. }));
        p.observe(rl(10, 9, 1_000), at(999)); // the window before: ignored
        assert!(matches!(p.acquire(at(1_000)), Permit::Wait { .. }));
        // ... also when it arrives after its own reset: a late answer is no nonsense.
        p.observe(rl(10, 9, 1_000), at(1_001));
        assert!(matches!(p.acquire(at(1_001)), Permit::Wait { .. }));
    }

    #[test]
    fn nonsense_headers_are_no_budget() {
        for bad in [
            rl(0, 0, 1_010),                 // no limit
            rl(10, 11, 1_010),               // more remaining than the limit
            rl(10, 0, 1_000 + 400 * 86_400), // a reset more than a day away
            rl(10, 0, u64::MAX),             // a reset decades away
        ] {
            let p = Pacer::new(true);
            p.observe(rl(10, 0, 1_010), at(1_000));
            p.observe(bad, at(1_000));
            assert_eq!(p.acquire(at(1_000)), Permit::Go, "{bad:?}");
        }
        // A reset in the past is no budget (after a newer one it is a late answer, kept out).
        let p = Pacer::new(true);
        p.observe(rl(10, 0, 999), at(1_000));
        assert_eq!(p.acquire(at(1_000)), Permit::Go);
    }

    #[test]
    fn requests_in_flight_are_taken_off_what_a_snapshot_says_is_left() {
        let p = Pacer::new(true);
        for _ in 0..4 {
            assert_eq!(p.acquire(at(1_000)), Permit::Go); // unknown budget: 4 go at once
        }
        // The first answer says 7 are left, but 3 requests are still out: 4 may go.
        p.observe(rl(10, 7, 1_010), at(1_000));
        for _ in 0..4 {
            assert_eq!(p.acquire(at(1_000)), Permit::Go);
        }
        assert!(matches!(p.acquire(at(1_000)), Permit::Wait { .. }));
        // A failed connection frees its place without changing the budget.
        p.abandon();
        assert!(matches!(p.acquire(at(1_000)), Permit::Wait { .. }));
    }

    #[test]
    fn disabled_pacing_never_waits() {
        let p = Pacer::new(false);
        p.observe(rl(10, 0, 1_010), at(1_000));
        assert_eq!(p.acquire(at(1_000)), Permit::Go);
    }
}
