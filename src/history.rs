//! The story of a call: every attempt and every wait, in order ([`Step`]), kept on its
//! [`ResponseMeta`](crate::ResponseMeta) and summarised in a few words by error messages.
//!
//! The transport records it (`Transport::send`, the one place every attempt and wait passes);
//! this module holds the types and the wording, no I/O.

use std::fmt;
use std::time::Duration;

/// One step of a call's history: an attempt, or a wait between attempts (or before the
/// first, for pacing). See [`ResponseMeta::history`](crate::ResponseMeta::history).
///
/// ```
/// # fn show(meta: &creatoraudit::ResponseMeta) {
/// use creatoraudit::Step;
///
/// for step in meta.history() {
///     match step {
///         Step::Attempt(a) => {
///             println!("attempt {}: {} in {} ms", a.number, a.outcome, a.elapsed.as_millis())
///         }
///         Step::Wait(w) => println!("waited {} ms ({})", w.duration.as_millis(), w.reason),
///         _ => {}
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// A request was sent (or, past the call's deadline, could not be).
    Attempt(Attempt),
    /// The client waited before the next attempt.
    Wait(Wait),
}

/// One attempt of a call.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Attempt {
    /// 1 for the first attempt, 2 for the first retry, ...
    pub number: u32,
    /// How it ended.
    pub outcome: AttemptOutcome,
    /// How long it took, from sending to the end of the response (or the failure).
    pub elapsed: Duration,
    /// The response's request id, when a response came with one: its `X-Request-ID`, or an
    /// error's problem document's `request_id` (which the API makes the same), as sent.
    pub request_id: Option<String>,
}

/// How an [`Attempt`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AttemptOutcome {
    /// A response with this HTTP status came (a success or an error).
    Status(u16),
    /// No usable response came.
    Transport(TransportErrorKind),
    /// The response's body was larger than the client's limit.
    BodyTooLarge,
}

impl AttemptOutcome {
    /// Whether the attempt may have been processed by the server: a response other than a
    /// `429` (which the API refuses before doing anything), or a connection that broke or
    /// timed out; not a failed lookup, a refused or failed connection, a failed handshake or
    /// a proxy's refusal, which never carried it. A timeout counts whichever phase it hit
    /// (connecting included, and a deadline that left no time to send): the kind does not
    /// tell them apart, so the rule errs on the side of "maybe".
    pub(crate) fn may_have_been_processed(self) -> bool {
        match self {
            AttemptOutcome::Status(status) => status != 429,
            AttemptOutcome::Transport(kind) => !matches!(
                kind,
                TransportErrorKind::Dns
                    | TransportErrorKind::ConnectionRefused
                    | TransportErrorKind::Connect
                    | TransportErrorKind::Tls
                    | TransportErrorKind::Proxy
            ),
            AttemptOutcome::BodyTooLarge => true,
        }
    }
}

impl fmt::Display for AttemptOutcome {
    /// `503`, `connection reset`, `body too large`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttemptOutcome::Status(status) => write!(f, "{status}"),
            AttemptOutcome::Transport(kind) => write!(f, "{kind}"),
            AttemptOutcome::BodyTooLarge => f.write_str("body too large"),
        }
    }
}

/// A wait of a call, and why it was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Wait {
    /// Why the client waited.
    pub reason: WaitReason,
    /// How long (as asked of the sleeper: what a test's
    /// [`retry_sleeper`](crate::ClientBuilder::retry_sleeper) received).
    pub duration: Duration,
}

/// Why a call waited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WaitReason {
    /// Before a retry, for as long as the server's `Retry-After` asked.
    RetryAfter,
    /// Before a retry of a `429` without `Retry-After`, until the rate-limit window
    /// (`X-RateLimit-Reset`) reset.
    RateLimitReset,
    /// Before a retry, exponential back-off with jitter (no wait was asked for).
    Backoff,
    /// Before sending, because this client's shared rate-limit budget was spent
    /// ([`ClientBuilder::pacing`](crate::ClientBuilder::pacing)).
    Pacing,
}

impl WaitReason {
    /// Whether the wait came before a retry (every reason but [`Pacing`](Self::Pacing)).
    pub fn is_retry(self) -> bool {
        !matches!(self, WaitReason::Pacing)
    }
}

impl fmt::Display for WaitReason {
    /// `Retry-After`, `rate-limit reset`, `back-off`, `pacing`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WaitReason::RetryAfter => "Retry-After",
            WaitReason::RateLimitReset => "rate-limit reset",
            WaitReason::Backoff => "back-off",
            WaitReason::Pacing => "pacing",
        })
    }
}

/// What kind of transport failure a [`TransportError`](crate::TransportError) is (and how an
/// attempt without a response ended: [`AttemptOutcome::Transport`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The host name could not be resolved.
    Dns,
    /// The TCP connection could not be established for another reason than a refusal
    /// (the network or host is unreachable, ...).
    Connect,
    /// The server's host refused the connection: nothing listens on that port.
    ConnectionRefused,
    /// The connection was reset by the peer (or aborted) before the response was complete.
    ConnectionReset,
    /// TLS setup or verification failed.
    Tls,
    /// An attempt's timeout or the call's deadline ran out.
    Timeout,
    /// The connection broke while the request or response was on the wire in another way
    /// than a reset: closed before the response, a body cut short.
    Io,
    /// What came back was not valid HTTP.
    Protocol,
    /// A proxy could not be used.
    Proxy,
    /// Anything else.
    Other,
}

impl TransportErrorKind {
    /// Whether a new attempt may fare better. TLS, protocol and proxy failures will not.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            TransportErrorKind::Dns
                | TransportErrorKind::Connect
                | TransportErrorKind::ConnectionRefused
                | TransportErrorKind::ConnectionReset
                | TransportErrorKind::Timeout
                | TransportErrorKind::Io
        )
    }
}

impl fmt::Display for TransportErrorKind {
    /// A few lowercase words: `host not found`, `connection refused`, `timeout`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Dns => "host not found",
            TransportErrorKind::Connect => "connection failed",
            TransportErrorKind::ConnectionRefused => "connection refused",
            TransportErrorKind::ConnectionReset => "connection reset",
            TransportErrorKind::Tls => "tls failed",
            TransportErrorKind::Timeout => "timeout",
            TransportErrorKind::Io => "connection broke",
            TransportErrorKind::Protocol => "invalid http response",
            TransportErrorKind::Proxy => "proxy failed",
            TransportErrorKind::Other => "transport failed",
        })
    }
}

/// A duration for people: `300 ms`, `1.5 s`, `30 s`, `2 min 5 s`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Human(pub(crate) Duration);

impl fmt::Display for Human {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if d < Duration::from_secs(1) {
            return write!(f, "{} ms", d.as_millis());
        }
        if d < Duration::from_secs(60) {
            // One decimal, dropped when it is zero: `1.5 s`, `30 s`.
            let tenths = (d.as_millis() + 50) / 100;
            return match tenths % 10 {
                0 => write!(f, "{} s", tenths / 10),
                t => write!(f, "{}.{t} s", tenths / 10),
            };
        }
        let secs = d.as_secs();
        match secs % 60 {
            0 => write!(f, "{} min", secs / 60),
            s => write!(f, "{} min {s} s", secs / 60),
        }
    }
}

/// The few words error messages give a call's story: `3 attempts: connection reset, 503,
/// 503; waited 2.5 s (0.5 s back-off, 2 s Retry-After)`. The attempts' outcomes are listed
/// only when they differ; nothing is written for a single attempt without waits.
pub(crate) struct Summary<'a> {
    pub(crate) attempts: u32,
    pub(crate) history: &'a [Step],
}

impl Summary<'_> {
    /// Whether there is anything to say.
    pub(crate) fn is_empty(&self) -> bool {
        self.attempts <= 1 && !self.history.iter().any(|s| matches!(s, Step::Wait(_)))
    }
}

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let outcomes: Vec<AttemptOutcome> = self
            .history
            .iter()
            .filter_map(|s| match s {
                Step::Attempt(a) => Some(a.outcome),
                Step::Wait(_) => None,
            })
            .collect();
        let mut wrote = false;
        if self.attempts > 1 {
            write!(f, "{} attempts", self.attempts)?;
            if outcomes.windows(2).any(|w| w[0] != w[1]) {
                f.write_str(": ")?;
                for (i, outcome) in outcomes.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{outcome}")?;
                }
            }
            wrote = true;
        }
        // The waits, summed by reason, in the order the reasons first appear.
        let mut by_reason: Vec<(WaitReason, Duration)> = Vec::new();
        for step in self.history {
            if let Step::Wait(w) = step {
                match by_reason.iter_mut().find(|(r, _)| *r == w.reason) {
                    Some((_, total)) => *total = total.saturating_add(w.duration),
                    None => by_reason.push((w.reason, w.duration)),
                }
            }
        }
        if by_reason.is_empty() {
            return Ok(());
        }
        if wrote {
            f.write_str("; ")?;
        }
        let total = by_reason
            .iter()
            .fold(Duration::ZERO, |sum, (_, d)| sum.saturating_add(*d));
        match by_reason.as_slice() {
            [(reason, _)] => write!(f, "waited {} for {reason}", Human(total)),
            several => {
                write!(f, "waited {} (", Human(total))?;
                for (i, (reason, d)) in several.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{} {reason}", Human(*d))?;
                }
                f.write_str(")")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(number: u32, outcome: AttemptOutcome) -> Step {
        Step::Attempt(Attempt {
            number,
            outcome,
            elapsed: Duration::from_millis(3),
            request_id: None,
        })
    }

    fn wait(reason: WaitReason, ms: u64) -> Step {
        Step::Wait(Wait {
            reason,
            duration: Duration::from_millis(ms),
        })
    }

    #[test]
    fn durations_read_like_people_write_them() {
        for (ms, shown) in [
            (0, "0 ms"),
            (300, "300 ms"),
            (1_000, "1 s"),
            (1_540, "1.5 s"),
            (30_000, "30 s"),
            (59_990, "60 s"),
            (60_000, "1 min"),
            (125_000, "2 min 5 s"),
        ] {
            assert_eq!(Human(Duration::from_millis(ms)).to_string(), shown);
        }
    }

    /// The summary of `history` with `attempts` attempts: its text, and whether it is empty.
    fn summary(attempts: u32, history: &[Step]) -> (String, bool) {
        let s = Summary { attempts, history };
        (s.to_string(), s.is_empty())
    }

    #[test]
    fn waits_too_long_to_add_up_are_summarised_without_panicking() {
        let huge = Step::Wait(Wait {
            reason: WaitReason::RetryAfter,
            duration: Duration::MAX,
        });
        let (text, _) = summary(3, &[huge.clone(), huge]);
        assert!(text.contains("Retry-After"), "{text}");
    }

    #[test]
    fn summaries_say_what_happened_in_a_few_words() {
        use AttemptOutcome::{Status, Transport};
        let same = [
            attempt(1, Status(503)),
            wait(WaitReason::Backoff, 500),
            attempt(2, Status(503)),
            wait(WaitReason::Backoff, 1000),
            attempt(3, Status(503)),
        ];
        let text = "3 attempts; waited 1.5 s for back-off";
        assert_eq!(summary(3, &same), (text.into(), false));

        let mixed = [
            attempt(1, Transport(TransportErrorKind::ConnectionReset)),
            wait(WaitReason::Backoff, 500),
            attempt(2, Status(429)),
            wait(WaitReason::RetryAfter, 2000),
            attempt(3, Status(503)),
        ];
        let text = "3 attempts: connection reset, 429, 503; waited 2.5 s (500 ms back-off, 2 s Retry-After)";
        assert_eq!(summary(3, &mixed), (text.into(), false));

        let paced = [wait(WaitReason::Pacing, 1200), attempt(1, Status(200))];
        assert_eq!(
            summary(1, &paced),
            ("waited 1.2 s for pacing".into(), false)
        );

        let once = [attempt(1, Status(404))];
        assert_eq!(summary(1, &once), (String::new(), true));
    }
}
