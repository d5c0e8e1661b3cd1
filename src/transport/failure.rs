//! What went wrong in an attempt, in words a user can act on (ureq's errors classified; the
//! host named, never the key or the query), and the story of a call: its attempts and
//! waits, recorded and logged as they happen.

use std::time::Duration;

use ureq::http;

use crate::error::TransportError;
use crate::history::TransportErrorKind;
use crate::history::{Attempt, AttemptOutcome, Human, Step, Wait, WaitReason};
use crate::problem::Problem;
use crate::response::ResponseMeta;
use crate::retry::Outcome;
use crate::url::Target;
use crate::{Error, log};

use super::{Request, Transport};

/// How an attempt failed.
pub(super) enum Failure {
    Status {
        problem: Box<Problem>,
        /// Why the server's wait (`problem.retry_after`) was asked, when it was.
        asked: Option<WaitReason>,
    },
    Transport(Box<TransportError>),
    TooLarge {
        limit: u64,
        /// The response's metadata, when its headers were read.
        meta: Option<Box<ResponseMeta>>,
    },
}

/// The story of one call so far: its attempts and waits, recorded (and logged) as they
/// happen, in the one loop every call goes through.
#[derive(Default)]
pub(super) struct Story {
    steps: Vec<Step>,
}

impl Story {
    /// Records an attempt that just ended.
    pub(super) fn attempt(
        &mut self,
        req: &Request,
        outcome: AttemptOutcome,
        elapsed: Duration,
        request_id: Option<&str>,
    ) {
        let number = self.attempts() + 1;
        log::attempt(&req.endpoint, number, outcome, elapsed, request_id);
        self.steps.push(Step::Attempt(Attempt {
            number,
            outcome,
            elapsed,
            request_id: request_id.map(str::to_owned),
        }));
    }

    /// Records a wait about to be taken (a cancellation may cut it short).
    pub(super) fn wait(&mut self, req: &Request, reason: WaitReason, duration: Duration) {
        let after = self.steps.iter().rev().find_map(|s| match s {
            Step::Attempt(a) => Some(a),
            Step::Wait(_) => None,
        });
        log::wait(
            &req.endpoint,
            reason,
            duration,
            after.map(|a| a.outcome),
            after.and_then(|a| a.request_id.as_deref()),
        );
        self.steps.push(Step::Wait(Wait { reason, duration }));
    }

    /// How many attempts ended so far.
    fn attempts(&self) -> u32 {
        let attempts = self.steps.iter().filter(|s| matches!(s, Step::Attempt(_)));
        attempts.count() as u32
    }

    /// How long the call has waited so far (pacing and retries).
    pub(super) fn waited(&self) -> Duration {
        self.steps.iter().fold(Duration::ZERO, |sum, s| match s {
            Step::Wait(w) => sum.saturating_add(w.duration),
            Step::Attempt(_) => sum,
        })
    }

    /// Shortens the last wait to what it lasted (a cancel ended it early).
    pub(super) fn cut_last_wait(&mut self, lasted: Duration) {
        if let Some(Step::Wait(w)) = self.steps.last_mut() {
            w.duration = lasted;
        }
    }

    /// The waits before retries (pacing waits are not retries), in order.
    fn retry_delays(&self) -> Vec<Duration> {
        self.steps
            .iter()
            .filter_map(|s| match s {
                Step::Wait(w) if w.reason.is_retry() => Some(w.duration),
                _ => None,
            })
            .collect()
    }

    /// How many retries were made (0 after the first attempt).
    pub(super) fn retries(&self) -> u32 {
        let retries = self.steps.iter().filter(|s| match s {
            Step::Wait(w) => w.reason.is_retry(),
            Step::Attempt(_) => false,
        });
        retries.count() as u32
    }

    /// The call's record so far, for an error raised between attempts.
    pub(super) fn meta(&self, req: &Request) -> ResponseMeta {
        ResponseMeta {
            attempts: self.attempts(),
            retry_delays: self.retry_delays(),
            history: self.steps.clone(),
            ..ResponseMeta::of(req)
        }
    }

    /// Moves the story into the call's record.
    pub(super) fn finish(self, meta: &mut ResponseMeta) {
        meta.attempts = self.attempts();
        meta.retry_delays = self.retry_delays();
        meta.history = self.steps;
    }
}

impl ResponseMeta {
    /// The metadata of a call before any response: what it is and what it sent.
    pub(super) fn of(req: &Request) -> ResponseMeta {
        ResponseMeta {
            endpoint: req.endpoint.clone(),
            idempotency_key: req.idempotency_key.clone(),
            attempts: 1,
            ..ResponseMeta::default()
        }
    }
}

impl Failure {
    /// What the retry policy needs to know, or `None` for a failure that is never retried.
    pub(super) fn retry_outcome(&self) -> Option<Outcome> {
        match self {
            Failure::Status { problem, .. } => Some(Outcome::Status {
                status: problem.status,
                retry_after: problem.retry_after,
            }),
            Failure::Transport(t) => Some(Outcome::Transport(t.kind)),
            Failure::TooLarge { .. } => None,
        }
    }

    /// How the attempt ended, for the call's history.
    pub(super) fn outcome(&self) -> AttemptOutcome {
        match self {
            Failure::Status { problem, .. } => AttemptOutcome::Status(problem.status),
            Failure::Transport(t) => AttemptOutcome::Transport(t.kind),
            Failure::TooLarge { .. } => AttemptOutcome::BodyTooLarge,
        }
    }

    /// The request id of the response, when one came.
    pub(super) fn request_id(&self) -> Option<&str> {
        match self {
            Failure::Status { problem, .. } => problem.request_id.as_deref(),
            Failure::Transport(t) => t.meta.request_id.as_deref(),
            Failure::TooLarge { meta, .. } => meta.as_ref()?.request_id.as_deref(),
        }
    }

    /// Why the retry after this failure waits: what the server asked, or back-off.
    pub(super) fn wait_reason(&self) -> WaitReason {
        match self {
            Failure::Status {
                asked: Some(reason),
                ..
            } => *reason,
            _ => WaitReason::Backoff,
        }
    }

    /// The record of the response head, when one came (also before a body cut short).
    pub(super) fn head(&self) -> Option<&ResponseMeta> {
        match self {
            Failure::Status { problem, .. } => Some(&problem.meta),
            Failure::Transport(t) => t.meta.status.is_some().then_some(&t.meta),
            Failure::TooLarge { meta, .. } => meta.as_deref(),
        }
    }

    /// The status of the response, when one came.
    pub(super) fn status(&self) -> Option<u16> {
        self.head()?.status
    }

    pub(super) fn from_http(e: http::Error) -> Self {
        Failure::Transport(Box::new(TransportError::new(
            TransportErrorKind::Other,
            Some(Box::new(e)),
        )))
    }

    /// The error of the whole call: this last failure, with the call's record (what it
    /// was, its attempts and waits) in the one place every error keeps it.
    pub(super) fn into_error(self, req: &Request, story: Story) -> Error {
        match self {
            Failure::Status { mut problem, .. } => {
                story.finish(&mut problem.meta);
                Error::Api(problem)
            }
            Failure::Transport(mut t) => {
                if t.meta.status.is_none() {
                    // No response at all; one whose body broke keeps its head's record.
                    t.meta = ResponseMeta::of(req);
                }
                story.finish(&mut t.meta);
                Error::Transport(t)
            }
            Failure::TooLarge { limit, meta } => {
                let mut meta = meta.unwrap_or_else(|| Box::new(ResponseMeta::of(req)));
                story.finish(&mut meta);
                Error::BodyTooLarge { limit, meta }
            }
        }
    }
}

impl Transport {
    /// Turns a ureq error into the attempt's failure: its kind, and a message that names
    /// what failed and where (the host, or the proxy when the connection was the proxy's),
    /// never the key or the query.
    pub(super) fn classify(
        &self,
        e: ureq::Error,
        req: &Request,
        time_left: Option<Duration>,
    ) -> Failure {
        use TransportErrorKind as K;
        use std::io::ErrorKind as Io;

        let target = Target::of(&req.url);
        let host = target.host;
        // A connection that could not be made was the proxy's, when one is used.
        let proxy = self
            .proxy
            .as_ref()
            .filter(|p| http::Uri::try_from(req.url.as_str()).is_ok_and(|u| !p.is_no_proxy(&u)));
        let peer = match proxy {
            Some(p) => format!("proxy {}:{}", p.host(), p.port()),
            None => format!("{host}:{}", target.port),
        };
        let resolving = match proxy {
            Some(p) => format!("proxy host {}", p.host()),
            None => format!("host {host}"),
        };
        let tls = || (K::Tls, format!("tls with {host} failed"));
        let (kind, message) = match &e {
            ureq::Error::BodyExceedsLimit(limit) => {
                return Failure::TooLarge {
                    limit: *limit,
                    meta: None,
                };
            }
            ureq::Error::Timeout(phase) => (
                K::Timeout,
                self.timeout_message(*phase, &peer, host, time_left),
            ),
            ureq::Error::HostNotFound => (K::Dns, format!("could not resolve {resolving}")),
            ureq::Error::ConnectionFailed => (K::Connect, format!("could not connect to {peer}")),
            ureq::Error::Io(io) if is_lookup_failure(io) => {
                (K::Dns, format!("could not resolve {resolving}"))
            }
            ureq::Error::Io(io) => match io.kind() {
                Io::ConnectionRefused => (
                    K::ConnectionRefused,
                    format!("connection refused by {peer}"),
                ),
                Io::ConnectionReset | Io::ConnectionAborted => (
                    K::ConnectionReset,
                    match proxy {
                        // The proxy, or the server behind it: the reset does not say which.
                        Some(_) => format!(
                            "connection to {host} through {peer} reset before the response \
                             was complete"
                        ),
                        None => {
                            format!("connection reset by {host} before the response was complete")
                        }
                    },
                ),
                Io::HostUnreachable
                | Io::NetworkUnreachable
                | Io::NetworkDown
                | Io::AddrNotAvailable => (K::Connect, format!("could not reach {peer}: no route")),
                Io::TimedOut | Io::WouldBlock => {
                    (K::Timeout, format!("timed out talking to {host}"))
                }
                // rustls reports a refused handshake (unknown issuer, bad name...) as I/O
                // with invalid data; nothing else on this path uses that kind.
                Io::InvalidData => tls(),
                Io::UnexpectedEof => (
                    K::Io,
                    format!("{host} closed the connection before the response was complete"),
                ),
                Io::BrokenPipe => (
                    K::Io,
                    format!("{host} closed the connection while the request was sent"),
                ),
                _ => (K::Io, format!("the connection to {host} broke")),
            },
            ureq::Error::Protocol(_) | ureq::Error::LargeResponseHeader(..) => (
                K::Protocol,
                format!("{host} did not answer with valid HTTP"),
            ),
            ureq::Error::Tls(_) | ureq::Error::TlsRequired => tls(),
            #[cfg(feature = "rustls")]
            ureq::Error::Rustls(_) => tls(),
            #[cfg(feature = "native-tls")]
            ureq::Error::NativeTls(_) | ureq::Error::Der(_) => tls(),
            #[cfg(any(feature = "rustls", feature = "native-tls"))]
            ureq::Error::Pem(_) => tls(),
            ureq::Error::InvalidProxyUrl | ureq::Error::ConnectProxyFailed(_) => {
                (K::Proxy, format!("the proxy would not connect to {host}"))
            }
            ureq::Error::BodyStalled => (K::Io, format!("the response body from {host} stalled")),
            _ => (K::Other, format!("the request to {host} failed")),
        };
        let mut t = TransportError::new(kind, Some(Box::new(e)));
        t.message = message;
        t.host = Some(host.to_owned());
        Failure::Transport(Box::new(t))
    }

    /// What a timeout in `phase` means, with the limit that ran out.
    pub(super) fn timeout_message(
        &self,
        phase: ureq::Timeout,
        peer: &str,
        host: &str,
        time_left: Option<Duration>,
    ) -> String {
        use ureq::Timeout as T;
        let timeout = Human(self.timeout);
        match phase {
            T::Connect => format!(
                "timed out connecting to {peer} after {}",
                Human(self.connect_timeout)
            ),
            T::Resolve => format!("timed out resolving host {host}"),
            T::SendRequest | T::SendBody | T::PerWrite => {
                format!("timed out sending the request to {host} after {timeout}")
            }
            T::RecvResponse | T::PerRead => {
                format!("timed out waiting for the response from {host} after {timeout}")
            }
            T::RecvBody => {
                format!("timed out reading the response body from {host} after {timeout}")
            }
            // The per-call budget is only set for a deadline: it is what ran out.
            _ if time_left.is_some() => format!(
                "the call's deadline of {} passed waiting for {host}",
                Human(self.deadline.unwrap_or_default())
            ),
            _ => format!("timed out waiting for {host}"),
        }
    }
}

/// Whether an I/O error is the system resolver failing to find a host. ureq 3 passes the
/// resolver's error through as I/O; `std` reports it, on Unix, as an uncategorized error
/// reading "failed to lookup address information: ...", and on Windows as one of the
/// `WSAHOST_NOT_FOUND` (11001) .. `WSANO_DATA` (11004) codes.
fn is_lookup_failure(io: &std::io::Error) -> bool {
    if cfg!(windows) && matches!(io.raw_os_error(), Some(11001..=11004)) {
        return true;
    }
    io.raw_os_error().is_none()
        && io
            .to_string()
            .starts_with("failed to lookup address information")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn the_system_resolvers_failure_is_told_from_other_io_errors() {
        use std::io::{Error as IoError, ErrorKind};
        // What std returns for a name that cannot resolve is checked against the system's
        // resolver by `errors::a_host_that_does_not_resolve_…` (ignored: it queries DNS).
        let unix =
            IoError::other("failed to lookup address information: Name or service not known");
        assert!(is_lookup_failure(&unix));
        for other in [
            IoError::from(ErrorKind::ConnectionRefused),
            IoError::from(ErrorKind::ConnectionReset),
            IoError::other("connection closed"),
        ] {
            assert!(!is_lookup_failure(&other), "{other:?}");
        }
    }

    /// How `builder`'s client classifies `e`, a failure of `GET /whoami` at `base_url`.
    fn classified(builder: crate::ClientBuilder, base_url: &str, e: ureq::Error) -> Failure {
        let client = builder.api_key("k").base_url(base_url).build().unwrap();
        let base = crate::url::BaseUrl::parse(client.base_url()).unwrap();
        let req = crate::call::Call::new("GET /whoami", &[])
            .unwrap()
            .to_request(&base);
        client.transport().classify(e, &req, None)
    }

    #[test]
    fn a_lookup_failure_is_a_dns_error_naming_the_host() {
        let builder = || {
            crate::Client::builder()
                .allow_insecure_http(true)
                .no_proxy()
        };
        let io = std::io::Error::other(
            "failed to lookup address information: Name or service not known",
        );
        for e in [ureq::Error::Io(io), ureq::Error::HostNotFound] {
            let failure = classified(builder(), "http://nonexistent.invalid/v2", e);
            let Failure::Transport(t) = failure else {
                panic!("a lookup failure is a transport failure");
            };
            assert_eq!(t.kind(), TransportErrorKind::Dns);
            assert_eq!(t.message, "could not resolve host nonexistent.invalid");
        }
    }

    #[test]
    fn a_reset_through_a_proxy_names_both_ends() {
        let reset = |builder: crate::ClientBuilder| {
            let io = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
            // Plain http: the test runs in the build without TLS too.
            let builder = builder.allow_insecure_http(true);
            match classified(builder, "http://api.example.test/v2", ureq::Error::Io(io)) {
                Failure::Transport(t) => (t.kind(), t.message),
                _ => panic!("a reset is a transport failure"),
            }
        };
        assert_eq!(
            reset(crate::Client::builder().no_proxy()),
            (
                TransportErrorKind::ConnectionReset,
                "connection reset by api.example.test before the response was complete".into()
            )
        );
        assert_eq!(
            reset(crate::Client::builder().proxy("http://proxy.example.test:3128")),
            (
                TransportErrorKind::ConnectionReset,
                "connection to api.example.test through proxy proxy.example.test:3128 reset \
                 before the response was complete"
                    .into()
            )
        );
    }
}
