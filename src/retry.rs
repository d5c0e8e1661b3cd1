//! When to retry, and after how long. Pure decisions: no I/O, no clock, no randomness of its
//! own (the caller passes the jitter and the time left), so every rule is unit-tested here.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::error::is_retryable_status;
use crate::history::TransportErrorKind;
use crate::pacing::RESET_MARGIN;
use crate::types::Date;

/// The retry settings of a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// Retries after the first attempt.
    pub(crate) max_retries: u32,
    /// The first back-off delay; it doubles on every retry.
    pub(crate) initial_backoff: Duration,
    /// The longest back-off delay.
    pub(crate) max_backoff: Duration,
    /// The longest `Retry-After` the client waits for; a longer one fails the call at once.
    pub(crate) max_retry_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_wait: Duration::from_secs(60),
        }
    }
}

/// How an attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The server answered with an error status.
    Status {
        status: u16,
        /// The server's requested wait: `Retry-After`, or the rate-limit reset when the
        /// window is used up.
        retry_after: Option<Duration>,
    },
    /// No response.
    Transport(TransportErrorKind),
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Return the error.
    Stop,
}

impl RetryPolicy {
    /// Whether the client may sleep `wait` for the server (a `Retry-After`, a window's
    /// reset, the pacer's wait for it): at most `max_retry_wait`, not counting the
    /// [`RESET_MARGIN`] the SDK itself waits past a reset (a reset 60 s away is waited for
    /// under the default cap of 60 s). The one cap rule, for retries and for pacing.
    pub(crate) fn allows(&self, wait: Duration) -> bool {
        wait.saturating_sub(RESET_MARGIN) <= self.max_retry_wait
    }

    /// Decides what follows a failed attempt.
    ///
    /// * `retries_done`: how many retries were already made (0 after the first attempt);
    /// * `safe`: whether the request may be sent twice (idempotent, or carries an
    ///   idempotency key);
    /// * `time_left`: what remains of the call's deadline, if it has one;
    /// * `jitter`: a random number in `[0, 1)` that shortens the back-off by up to 25 %.
    pub(crate) fn decide(
        &self,
        outcome: Outcome,
        retries_done: u32,
        safe: bool,
        time_left: Option<Duration>,
        jitter: f64,
    ) -> Decision {
        // A 429 was refused before anything was done, so it is safe to send again whatever
        // the method; every other failure may have been processed.
        let refused = matches!(outcome, Outcome::Status { status: 429, .. });
        if (!safe && !refused) || retries_done >= self.max_retries {
            return Decision::Stop;
        }
        let delay = match outcome {
            Outcome::Status { status, .. } if !is_retryable_status(status) => {
                return Decision::Stop;
            }
            Outcome::Transport(kind) if !kind.is_retryable() => return Decision::Stop,
            Outcome::Status {
                retry_after: Some(wait),
                ..
            } if !self.allows(wait) => return Decision::Stop,
            Outcome::Status {
                retry_after: Some(wait),
                ..
            } => wait,
            _ => self.backoff(retries_done, jitter),
        };
        match time_left {
            Some(left) if delay >= left => Decision::Stop,
            _ => Decision::Retry(delay),
        }
    }

    /// `initial · 2^retries_done`, capped at `max_backoff`, shortened by up to 25 % of jitter.
    fn backoff(&self, retries_done: u32, jitter: f64) -> Duration {
        let factor = 2u32.saturating_pow(retries_done.min(31));
        let base = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        jittered(base, jitter)
    }
}

/// `base` shortened by up to 25 %: `jitter` is a random number in `[0, 1)`. Every wait the SDK
/// chooses itself (back-off, the polls of `wait_until_scraped`) spreads out this way.
pub(crate) fn jittered(base: Duration, jitter: f64) -> Duration {
    base.mul_f64(1.0 - 0.25 * jitter.clamp(0.0, 1.0))
}

/// Reads a `Retry-After` value: delay-seconds (`120`, also `1.5`) or an HTTP-date
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), relative to `now`. A date in the past is a zero wait; a
/// number of seconds too large for a `Duration` is `Duration::MAX` (so that the cap refuses
/// it, rather than the wait being forgotten).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value.parse().map_or(Duration::MAX, Duration::from_secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0)
            .then(|| Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX));
    }
    let at = UNIX_EPOCH + Duration::from_secs(parse_http_date(value, now)?);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Parses an HTTP-date into Unix seconds: the IMF-fixdate servers send
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), and the two obsolete forms RFC 9110 §5.6.7 asks
/// recipients to accept, RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
/// (`Sun Nov  6 08:49:37 1994`). `now` places a two-digit year: one that would be more than
/// 50 years ahead is of the century before.
fn parse_http_date(s: &str, now: SystemTime) -> Option<u64> {
    let parts: Vec<&str> = s.split_ascii_whitespace().collect();
    let (day, month, year, time) = match parts.as_slice() {
        [weekday, day, month, year, time, "GMT"] if weekday.ends_with(',') => (
            day.parse().ok()?,
            month_number(month)?,
            year.parse().ok()?,
            *time,
        ),
        [weekday, date, time, "GMT"] if weekday.ends_with(',') => {
            let mut date = date.split('-');
            let (day, month, yy) = (date.next()?, date.next()?, date.next()?);
            if date.next().is_some() || yy.len() != 2 {
                return None;
            }
            let yy: u16 = yy.parse().ok()?;
            let this_year = now
                .duration_since(UNIX_EPOCH)
                .map_or(2000, |d| Date::from_unix_secs(d.as_secs()).year());
            let mut year = this_year - this_year % 100 + yy;
            if year > this_year + 50 {
                year -= 100;
            }
            (day.parse().ok()?, month_number(month)?, year, *time)
        }
        [_weekday, month, day, time, year] => (
            day.parse().ok()?,
            month_number(month)?,
            year.parse().ok()?,
            *time,
        ),
        _ => return None,
    };
    let mut hms = time.split(':').map(|n| n.parse::<u64>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some() || h > 23 || m > 59 || sec > 60 || year < 1970 {
        return None;
    }
    let days = u64::try_from(Date::new(year, month, day).ok()?.days_since_epoch()).ok()?;
    Some(days * 86_400 + h * 3600 + m * 60 + sec)
}

/// `Jan` → 1 … `Dec` → 12.
fn month_number(name: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let i = MONTHS.iter().position(|m| *m == name)?;
    u8::try_from(i + 1).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: RetryPolicy = RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(500),
        max_backoff: Duration::from_secs(8),
        max_retry_wait: Duration::from_secs(60),
    };

    fn status(status: u16) -> Outcome {
        Outcome::Status {
            status,
            retry_after: None,
        }
    }

    #[test]
    fn retryable_statuses_are_retried_until_the_budget_is_spent() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert_eq!(
                P.decide(status(s), 0, true, None, 0.0),
                Decision::Retry(Duration::from_millis(500)),
                "{s}"
            );
            assert_eq!(
                P.decide(status(s), 1, true, None, 0.0),
                Decision::Retry(Duration::from_secs(1)),
                "{s}"
            );
            assert_eq!(
                P.decide(status(s), 2, true, None, 0.0),
                Decision::Stop,
                "{s}"
            );
        }
        for s in [400, 401, 403, 404, 409, 415, 422, 501, 505] {
            assert_eq!(
                P.decide(status(s), 0, true, None, 0.0),
                Decision::Stop,
                "{s}"
            );
        }
    }

    #[test]
    fn unsafe_requests_are_retried_only_when_refused_unprocessed() {
        assert_eq!(P.decide(status(503), 0, false, None, 0.0), Decision::Stop);
        let reset = Outcome::Transport(TransportErrorKind::Io);
        assert_eq!(P.decide(reset, 0, false, None, 0.0), Decision::Stop);
        // A 429 was not processed: a PATCH or an unkeyed POST may go again.
        assert!(matches!(
            P.decide(status(429), 0, false, None, 0.0),
            Decision::Retry(_)
        ));
        assert_eq!(P.decide(status(429), 2, false, None, 0.0), Decision::Stop);
    }

    #[test]
    fn transport_failures_retry_by_kind() {
        use TransportErrorKind::*;
        for k in [Dns, Connect, Timeout, Io] {
            assert!(
                matches!(
                    P.decide(Outcome::Transport(k), 0, true, None, 0.0),
                    Decision::Retry(_)
                ),
                "{k:?}"
            );
        }
        for k in [Tls, Protocol, Proxy, Other] {
            assert_eq!(
                P.decide(Outcome::Transport(k), 0, true, None, 0.0),
                Decision::Stop,
                "{k:?}"
            );
        }
    }

    #[test]
    fn backoff_doubles_to_a_cap_with_at_most_a_quarter_of_jitter() {
        let many = RetryPolicy {
            max_retries: 40,
            ..P
        };
        let delays: Vec<_> = (0..7)
            .map(|n| match many.decide(status(500), n, true, None, 0.0) {
                Decision::Retry(d) => d.as_millis(),
                Decision::Stop => panic!("stopped at {n}"),
            })
            .collect();
        assert_eq!(delays, [500, 1000, 2000, 4000, 8000, 8000, 8000]);
        assert_eq!(
            many.decide(status(500), 39, true, None, 0.0),
            Decision::Retry(Duration::from_secs(8))
        );
        assert_eq!(
            many.decide(status(500), 0, true, None, 0.999_999),
            Decision::Retry(Duration::from_millis(500).mul_f64(1.0 - 0.25 * 0.999_999))
        );
    }

    #[test]
    fn retry_after_is_obeyed_up_to_the_cap() {
        let asked = |secs| Outcome::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(secs)),
        };
        assert_eq!(
            P.decide(asked(1), 0, true, None, 0.5),
            Decision::Retry(Duration::from_secs(1))
        );
        assert_eq!(
            P.decide(asked(60), 0, true, None, 0.5),
            Decision::Retry(Duration::from_secs(60))
        );
        assert_eq!(P.decide(asked(61), 0, true, None, 0.5), Decision::Stop);
        assert_eq!(
            P.decide(asked(0), 0, true, None, 0.5),
            Decision::Retry(Duration::ZERO)
        );
        // A reset 60 s away, waited for 100 ms past it, is within the cap of 60 s.
        let reset_in = |wait| Outcome::Status {
            status: 429,
            retry_after: Some(wait),
        };
        let at_reset = Duration::from_secs(60) + RESET_MARGIN;
        assert_eq!(
            P.decide(reset_in(at_reset), 0, true, None, 0.5),
            Decision::Retry(at_reset)
        );
        assert_eq!(
            P.decide(
                reset_in(at_reset + Duration::from_millis(1)),
                0,
                true,
                None,
                0.5
            ),
            Decision::Stop
        );
        assert!(P.allows(at_reset) && !P.allows(at_reset + Duration::from_millis(1)));
    }

    #[test]
    fn a_wait_that_would_overrun_the_deadline_is_not_taken() {
        let asked = Outcome::Status {
            status: 503,
            retry_after: Some(Duration::from_secs(5)),
        };
        assert_eq!(
            P.decide(asked, 0, true, Some(Duration::from_secs(4)), 0.0),
            Decision::Stop
        );
        assert_eq!(
            P.decide(asked, 0, true, Some(Duration::from_secs(6)), 0.0),
            Decision::Retry(Duration::from_secs(5))
        );
        assert_eq!(
            P.decide(status(500), 0, true, Some(Duration::from_millis(100)), 0.0),
            Decision::Stop
        );
    }

    #[test]
    fn retry_after_values_parse() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_770); // Sun, 06 Nov 1994 08:49:30 GMT
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after(" 1.5 ", now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        for huge in ["18446744073709551616", "99999999999999999999999", "1e20"] {
            assert_eq!(
                parse_retry_after(huge, now),
                Some(Duration::MAX),
                "{huge:?}"
            );
        }
        for bad in [
            "",
            "-1",
            "soon",
            "NaN",
            "1e400",
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 25:49:37 GMT",
            "Sun 06 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad:?}");
        }
    }

    #[test]
    fn http_dates_parse_in_all_three_forms() {
        let now = UNIX_EPOCH + Duration::from_secs(1_796_000_000); // 2026-11-30
        let nov_6_1994 = Some(784_111_777);
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", now),
            nov_6_1994
        );
        assert_eq!(
            parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", now),
            nov_6_1994
        );
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994", now), nov_6_1994);
        assert_eq!(
            parse_http_date("Sat, 29 Feb 2020 00:00:00 GMT", now),
            Some(1_582_934_400)
        );
        // A two-digit year more than 50 years ahead is of the century before.
        assert_eq!(
            parse_http_date("Monday, 01-Jan-76 00:00:00 GMT", now),
            parse_http_date("Thu, 01 Jan 2076 00:00:00 GMT", now)
        );
        assert_eq!(
            parse_http_date("Thursday, 01-Jan-77 00:00:00 GMT", now),
            parse_http_date("Sat, 01 Jan 1977 00:00:00 GMT", now)
        );
        for bad in [
            "Sat, 30 Feb 2020 00:00:00 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sun Nov  6 08:49:37",
            "Sun Foo  6 08:49:37 1994",
            "Sun, 06 Nov 1969 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(bad, now), None, "{bad:?}");
        }
    }
}
