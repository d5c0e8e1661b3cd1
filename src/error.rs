//! The crate's [`Error`] type and the context it carries.

use std::fmt;
use std::time::Duration;

use crate::history::{Human, Step, TransportErrorKind};
use crate::problem::{ErrorCode, Problem};
use crate::response::{CallContext, ResponseMeta};

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a call.
///
/// Match on the variant to tell an answer from the API ([`Error::Api`]) from a call that never
/// got one, or use the helpers ([`status`](Error::status), [`request_id`](Error::request_id),
/// [`is_retryable`](Error::is_retryable), [`retry_after`](Error::retry_after), ...) that work
/// across variants. Every error that came from a call carries the call's record,
/// [`meta`](Error::meta): which endpoint, the request id, the status, the attempts and waits,
/// the idempotency key.
///
/// # Common failures
///
/// Every call can fail with [`Error::Api`] (an error status, with the API's problem
/// document), [`Error::Transport`] (no usable response: connection, TLS, timeout; see
/// [`is_timeout`](Error::is_timeout)), [`Error::Decode`] (a success body that is not what the
/// endpoint documents) or [`Error::BodyTooLarge`], and with [`Error::InvalidInput`] for a
/// request whose URL would be longer than the HTTP layer takes (64 KiB). The calls' own
/// `# Errors` sections list only what they add to these.
///
/// ```no_run
/// # fn main() -> creatoraudit::Result<()> {
/// use creatoraudit::{Error, ErrorCode};
///
/// let client = creatoraudit::Client::from_env()?;
/// match client.accounts().get("4f1c…") {
///     Ok(account) => println!("{}", account.username),
///     Err(e) if e.code() == Some(&ErrorCode::NotFound) => println!("not tracked"),
///     Err(e) if e.is_rate_limited() => {
///         let wait = e.retry_after().unwrap_or_default().as_secs();
///         println!("slow down: retry in {wait} s");
///     }
///     Err(e) => return Err(e),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status (anything but 2xx, and 304 outside a
    /// conditional read).
    #[error("{0}")]
    Api(Box<Problem>),

    /// No usable HTTP response: the connection failed or broke, TLS failed, the time ran out
    /// ([`TransportErrorKind::Timeout`], see [`is_timeout`](Error::is_timeout)), or what came
    /// back was not HTTP.
    #[error(transparent)]
    Transport(Box<TransportError>),

    /// A success response whose body is not what the endpoint documents.
    #[error(transparent)]
    Decode(Box<DecodeError>),

    /// A success response's body larger than the client's limit
    /// ([`ClientBuilder::max_body_size`](crate::ClientBuilder::max_body_size)); an error
    /// response's oversized body is not read, and the call fails with [`Error::Api`].
    #[error("response body exceeds the {limit}-byte limit{}", CallContext::of(.meta))]
    BodyTooLarge {
        /// The limit in bytes.
        limit: u64,
        /// The call's record.
        meta: Box<ResponseMeta>,
    },

    /// The call was cancelled through the client's
    /// [`CancelToken`](crate::CancelToken) before it could finish: during a wait, or before
    /// a request was sent. Carries the call's record (what it had done so far: its attempts
    /// and waits in [`history`](crate::ResponseMeta::history), each attempt with its status
    /// and request id). Its own `status` and `request_id` are `None`: no response failed
    /// the call.
    #[error("cancelled{}", CallContext::of(.0))]
    Cancelled(Box<ResponseMeta>),

    /// A wait for the API to reach a state (such as
    /// [`Accounts::wait_until_scraped`](crate::Accounts::wait_until_scraped), for an
    /// account's first refresh) ran out of time: how long it waited, how many times it
    /// looked and what it last saw are in the [`WaitTimeout`]; the last poll's error, when
    /// the last poll failed, is its [`source`](std::error::Error::source).
    /// [`is_timeout`](Error::is_timeout) is true for it.
    #[error(transparent)]
    WaitTimedOut(Box<WaitTimeout>),

    /// The server broke the pagination contract (`has_next` without a cursor, a cursor it
    /// had already given, or 100 empty pages in a row each saying more follow,
    /// also walking pages), so the walk stopped instead of looping.
    #[error("pagination stopped: {reason}{}", CallContext::of(.meta))]
    Pagination {
        /// What the server did.
        reason: String,
        /// The record of the call whose page broke the contract.
        meta: Box<ResponseMeta>,
    },

    /// An argument was rejected before any request was sent. The message names the field.
    ///
    /// Also a request the HTTP layer cannot carry: a URL over 64 KiB (a very long filter
    /// text, or, in the middle of a walk, a cursor the server sent), refused unsent.
    #[error("invalid argument: {0}")]
    InvalidInput(String),

    /// The client could not be built from the given configuration.
    #[error("invalid configuration: {0}")]
    Config(String),
}

impl Error {
    /// The record of the call that failed: its endpoint, request id, status, attempts, waits
    /// and idempotency key. `None` for errors raised before any request (invalid input,
    /// configuration).
    pub fn meta(&self) -> Option<&ResponseMeta> {
        match self {
            Error::Api(p) => Some(&p.meta),
            Error::Transport(t) => Some(&t.meta),
            Error::Decode(d) => Some(&d.meta),
            Error::BodyTooLarge { meta, .. }
            | Error::Pagination { meta, .. }
            | Error::Cancelled(meta) => Some(meta),
            Error::WaitTimedOut(w) => Some(&w.meta),
            _ => None,
        }
    }

    /// Whether the call was cancelled through the client's
    /// [`CancelToken`](crate::CancelToken).
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Error::Cancelled(_))
    }

    /// The call that failed, e.g. `"GET /accounts/{id}"`: the method and the path template
    /// (never an id or a query value); for [`Client::request`](crate::Client::request), the
    /// path as given, without its query (see [`ResponseMeta::endpoint`]).
    pub fn endpoint(&self) -> Option<&str> {
        self.meta().map(ResponseMeta::endpoint)
    }

    /// The HTTP status of the response that failed the call, when there was one. A call the
    /// client's rate-limit budget refused unsent reads `429`, as the capped `429` it stands
    /// for (so one check handles both); its [`meta`](Self::meta)`.status` is `None`.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(p) => Some(p.status),
            // No response failed a wait: its last poll's error is `WaitTimeout::last_error`.
            Error::WaitTimedOut(_) => None,
            _ => self.meta()?.status,
        }
    }

    /// The request id (`X-Request-ID`) of the response that failed the call, when there was
    /// one: include it when you report a problem. For [`Error::WaitTimedOut`], that of the
    /// last poll.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(p) => p.request_id.as_deref(),
            _ => self.meta()?.request_id.as_deref(),
        }
    }

    /// Whether time ran out: an attempt's timeout or the call's deadline
    /// ([`Error::Transport`] with [`TransportErrorKind::Timeout`]), or the timeout of a wait
    /// ([`Error::WaitTimedOut`]). Only the first is [retryable](Error::is_retryable) by the
    /// client's own rule; a wait that timed out can of course be started again.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport(t) => t.kind == TransportErrorKind::Timeout,
            Error::WaitTimedOut(_) => true,
            _ => false,
        }
    }

    /// The problem document, for [`Error::Api`].
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Error::Api(p) => Some(p),
            _ => None,
        }
    }

    /// The API's machine code, for [`Error::Api`].
    pub fn code(&self) -> Option<&ErrorCode> {
        self.problem().map(|p| &p.code)
    }

    /// Whether the API said the resource does not exist (`404 NOT_FOUND`).
    ///
    /// A `404` whose body is a web page rather than a problem document did not come from
    /// the API (the base URL points elsewhere) and is not "not found": its
    /// [`code`](Self::code) is still `NOT_FOUND`, by the status table, but this is `false`.
    pub fn is_not_found(&self) -> bool {
        self.code() == Some(&ErrorCode::NotFound) && self.problem().is_some_and(|p| !p.foreign)
    }

    /// Whether the call was refused by the rate limiter (`429`).
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(429)
    }

    /// Whether trying the same call again later may succeed: timeouts, connection failures,
    /// and the statuses 408, 429, 500, 502, 503 and 504.
    ///
    /// This is the rule the client's own retries follow. An error you see has already been
    /// retried as configured; the answer tells whether a later, application-level retry (for
    /// example on the next run of a script) is worth it.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// let client = creatoraudit::Client::from_env()?;
    /// if let Err(e) = client.whoami() {
    ///     if e.is_retryable() {
    ///         eprintln!("temporary failure, try again later: {e}");
    ///         std::process::exit(75); // EX_TEMPFAIL
    ///     }
    ///     return Err(e);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(p) => is_retryable_status(p.status),
            Error::Transport(t) => t.kind.is_retryable(),
            _ => false,
        }
    }

    /// How long the server asked to wait before the next try, when it did: its `Retry-After`,
    /// or for a `429` without one, the time until the spent rate-limit window resets.
    ///
    /// It is set whenever the last response asked, also after the client's retries ran out.
    /// When the client gave up early instead, the wait was longer than it is configured to
    /// sleep ([`ClientBuilder::max_retry_wait`](crate::ClientBuilder::max_retry_wait)) or than
    /// the call's deadline allowed: [`attempts`](Self::attempts) then tells the two apart.
    /// A retry the client's rate-limit budget held back sets it too, to the time until the
    /// window resets, on the failure it was retrying (an [`Error::Api`] or an
    /// [`Error::Transport`]).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(p) => p.retry_after,
            Error::Transport(t) => t.retry_after,
            _ => None,
        }
    }

    /// The `Idempotency-Key` the failed call sent, when it sent one. The API deduplicates
    /// keyed creates best-effort (in one process, for ten minutes): retrying with the same
    /// key (see `NewAccount::idempotency_key`) usually, not certainly, avoids a duplicate.
    pub fn idempotency_key(&self) -> Option<&str> {
        self.meta()?.idempotency_key.as_deref()
    }

    /// How many attempts the call made before failing, when it sent any: `None` for a call
    /// that failed before its first request (refused by the rate-limit budget, cancelled
    /// while waiting to send, or refused as invalid input).
    pub fn attempts(&self) -> Option<u32> {
        self.meta().map(|m| m.attempts).filter(|&n| n > 0)
    }

    /// The story of the call that failed: each attempt's outcome and each wait with its
    /// reason, in order (see [`ResponseMeta::history`]). Empty for errors raised before any
    /// request.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::Step;
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// if let Err(e) = client.whoami() {
    ///     for step in e.history() {
    ///         if let Step::Wait(w) = step {
    ///             eprintln!("waited {} ms ({})", w.duration.as_millis(), w.reason);
    ///         }
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn history(&self) -> &[Step] {
        self.meta().map_or(&[], ResponseMeta::history)
    }
}

/// Whether a response with this status is worth trying again: 408, 429, 500, 502, 503, 504.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

impl From<Problem> for Error {
    fn from(problem: Problem) -> Self {
        Error::Api(Box::new(problem))
    }
}

/// A call that got no usable HTTP response. The underlying cause is its
/// [`source`](std::error::Error::source).
///
/// Its `Display` says what failed in words that point at the fix, naming the host (never
/// the key or a query): `could not resolve host api.example.test`, `connection refused by
/// 127.0.0.1:9`, `timed out waiting for the response from api.creatoraudit.com after 30 s`,
/// followed by the call's context (endpoint, attempts, waits).
#[derive(Debug)]
pub struct TransportError {
    pub(crate) kind: TransportErrorKind,
    /// What failed, for people, e.g. `connection refused by 127.0.0.1:9`.
    pub(crate) message: String,
    /// The host the call went to (`api.creatoraudit.com`), when known.
    pub(crate) host: Option<String>,
    /// The wait a retry needed and did not get (the client's rate-limit budget held it back
    /// until the window resets); see [`Error::retry_after`].
    pub(crate) retry_after: Option<Duration>,
    pub(crate) meta: ResponseMeta,
    pub(crate) source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    pub(crate) fn new(
        kind: TransportErrorKind,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        TransportError {
            kind,
            message: kind.to_string(),
            host: None,
            retry_after: None,
            meta: ResponseMeta {
                attempts: 1,
                ..ResponseMeta::default()
            },
            source,
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The host the call tried to reach, e.g. `api.creatoraudit.com` (without the port).
    pub fn host(&self) -> Option<&str> {
        self.host.as_deref()
    }

    /// The call's record (attempts, waits, idempotency key).
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.message, CallContext::of(&self.meta))
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A success response whose body did not decode into the expected type.
#[derive(Debug)]
pub struct DecodeError {
    pub(crate) snippet: String,
    pub(crate) source: serde_json::Error,
    pub(crate) meta: ResponseMeta,
}

impl DecodeError {
    /// The call's record (status, request id, ...).
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }

    /// A bounded, single-line excerpt of the body.
    pub fn snippet(&self) -> &str {
        &self.snippet
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unexpected response body: {:?}{}",
            self.snippet,
            CallContext::of(&self.meta)
        )
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// What a wait that ran out of time saw: see [`Error::WaitTimedOut`].
#[derive(Debug)]
pub struct WaitTimeout {
    pub(crate) waited: Duration,
    pub(crate) polls: u32,
    pub(crate) last_seen: String,
    pub(crate) last_error: Option<Error>,
    pub(crate) meta: ResponseMeta,
}

impl WaitTimeout {
    /// How long it waited, from its start to giving up.
    pub fn waited(&self) -> Duration {
        self.waited
    }

    /// How many times it asked the API.
    pub fn polls(&self) -> u32 {
        self.polls
    }

    /// What it last saw, in words: e.g. `account 4f1c… (khaby.lame) has no last_scrape_time
    /// yet`, or that the last poll failed.
    pub fn last_seen(&self) -> &str {
        &self.last_seen
    }

    /// The error of the last poll, when it failed (a retryable error: any other ends the
    /// wait at once).
    pub fn last_error(&self) -> Option<&Error> {
        self.last_error.as_ref()
    }

    /// The record of the last poll (its endpoint, request id, status, ETag).
    pub fn meta(&self) -> &ResponseMeta {
        &self.meta
    }
}

impl fmt::Display for WaitTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "gave up waiting after {} and {} poll{}: {}",
            Human(self.waited),
            self.polls,
            if self.polls == 1 { "" } else { "s" },
            self.last_seen
        )?;
        // The last poll's error, when there is one, is the source and names the call itself.
        match self.last_error {
            None => write!(f, "{}", CallContext::of(&self.meta)),
            Some(_) => Ok(()),
        }
    }
}

impl std::error::Error for WaitTimeout {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.last_error
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_stays_small() {
        assert!(
            std::mem::size_of::<Error>() <= 64,
            "{}",
            std::mem::size_of::<Error>()
        );
    }

    #[test]
    fn helpers_read_through_the_variants() {
        let mut p = Problem::new(429);
        p.retry_after = Some(Duration::from_secs(90));
        p.request_id = Some("req_9".into());
        p.meta.idempotency_key = Some("key".into());
        p.meta.attempts = 3;
        let e = Error::from(p);
        assert_eq!(e.status(), Some(429));
        assert_eq!(e.request_id(), Some("req_9"));
        assert!(e.is_rate_limited() && e.is_retryable() && !e.is_not_found());
        assert_eq!(e.retry_after(), Some(Duration::from_secs(90)));
        assert_eq!(e.idempotency_key(), Some("key"));
        assert_eq!(e.attempts(), Some(3));
        assert_eq!(
            e.to_string(),
            "[429 RATE_LIMITED] Too Many Requests (request id req_9, 3 attempts)"
        );

        let mut t = TransportError::new(TransportErrorKind::ConnectionRefused, None);
        t.meta.attempts = 3;
        let e = Error::Transport(Box::new(t));
        assert!(e.is_retryable());
        assert_eq!(e.status(), None);
        assert_eq!(e.to_string(), "connection refused (3 attempts)");

        let e = Error::Transport(Box::new(TransportError::new(TransportErrorKind::Tls, None)));
        assert!(!e.is_retryable() && !e.is_timeout());
        let e = Error::Transport(Box::new(TransportError::new(
            TransportErrorKind::Timeout,
            None,
        )));
        assert!(e.is_timeout() && e.is_retryable());
        assert!(!Error::from(Problem::new(422)).is_retryable());
    }
}
