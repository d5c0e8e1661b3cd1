//! [`CancelToken`]: stop a client's calls from another thread (a Ctrl-C handler, a timer).

use std::fmt;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A switch that cancels a client's calls, shared by every clone of the token.
///
/// Give it to [`ClientBuilder::cancel_token`](crate::ClientBuilder::cancel_token). Once
/// [`cancel`](Self::cancel) is called, every wait the client is in (retry back-off,
/// `Retry-After`, rate-limit pacing; with a [`retry_sleeper`](crate::ClientBuilder::retry_sleeper)
/// of your own, once it returns) ends at once, no new request is started (a walk's next
/// page, a batch's next chunk), and those calls return an error for which
/// [`Error::is_cancelled`](crate::Error::is_cancelled) is true. A request already on the wire
/// finishes or times out as usual. Cancelling cannot be undone: build a new token (and client)
/// to go on.
///
/// ```no_run
/// # fn main() -> creatoraudit::Result<()> {
/// use creatoraudit::{CancelToken, Client};
///
/// let token = CancelToken::new();
/// let client = Client::builder().api_key("ca_live_…").cancel_token(token.clone()).build()?;
/// let stopper = token.clone();
/// std::thread::spawn(move || {
///     std::thread::sleep(std::time::Duration::from_secs(60));
///     stopper.cancel(); // e.g. from a Ctrl-C handler
/// });
/// for account in client.accounts().list(Default::default()) {
///     match account {
///         Err(e) if e.is_cancelled() => break,
///         other => println!("{}", other?.username),
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Default)]
pub struct CancelToken {
    inner: Arc<Flag>,
}

#[derive(Default)]
struct Flag {
    cancelled: Mutex<bool>,
    wake: Condvar,
}

impl CancelToken {
    /// A token that is not cancelled.
    pub fn new() -> Self {
        CancelToken::default()
    }

    /// Cancels: wakes every wait of the clients holding this token, and makes their calls
    /// fail instead of sending.
    pub fn cancel(&self) {
        *self
            .inner
            .cancelled
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = true;
        self.inner.wake.notify_all();
    }

    /// Whether [`cancel`](Self::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        *self
            .inner
            .cancelled
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Sleeps for `duration`, or until the token is cancelled; returns whether it was.
    pub(crate) fn sleep(&self, duration: Duration) -> bool {
        // A wait past what `Instant` can count (`max_retry_wait(Duration::MAX)` and a server's
        // absurd `Retry-After`) lasts until the token is cancelled.
        let until = Instant::now().checked_add(duration);
        let mut cancelled = self
            .inner
            .cancelled
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while !*cancelled {
            let left = until.map_or(Duration::MAX, |u| {
                u.saturating_duration_since(Instant::now())
            });
            if left.is_zero() {
                break;
            }
            cancelled = self
                .inner
                .wake
                .wait_timeout(cancelled, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        *cancelled
    }
}

impl fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancelToken")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_wakes_a_long_sleep_at_once() {
        let token = CancelToken::new();
        let other = token.clone();
        let started = Instant::now();
        let sleeper = std::thread::spawn(move || other.sleep(Duration::from_secs(30)));
        std::thread::sleep(Duration::from_millis(20));
        token.cancel();
        assert!(sleeper.join().unwrap());
        // Generous: the point is "not 30 s", not a timing measurement.
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(token.is_cancelled());
        assert!(
            token.sleep(Duration::from_secs(30)),
            "a cancelled token never sleeps"
        );
        assert!(!CancelToken::new().sleep(Duration::from_millis(1)));
        assert!(
            token.sleep(Duration::MAX),
            "a wait longer than the clock counts does not panic"
        );
        assert_eq!(format!("{token:?}"), "CancelToken { cancelled: true }");
    }
}
