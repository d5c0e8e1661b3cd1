//! What a call tells besides its value: [`ResponseMeta`], [`RateLimit`], [`Response`] and
//! [`Conditional`].

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::history::{Step, Summary};
use crate::text;

/// 9999-12-31T23:59:59Z in Unix seconds: the latest reset [`RateLimit::reset_at`] reads.
const LATEST_RESET: u64 = 253_402_300_799;

/// A snapshot of the `X-RateLimit-*` headers of one response.
///
/// The API sends these on every authenticated response. `reset` is a Unix time in seconds
/// (not a delta); [`RateLimit::resets_in`] turns it into a wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// The ceiling of the current window (`X-RateLimit-Limit`).
    pub limit: u64,
    /// Requests left in the current window (`X-RateLimit-Remaining`).
    pub remaining: u64,
    /// When the window resets, in Unix seconds (`X-RateLimit-Reset`).
    pub reset: u64,
}

impl RateLimit {
    /// The moment the window resets. A reset past the year 9999 (a server's bug) is read as
    /// the end of 9999, so that it fits every platform's `SystemTime`.
    pub fn reset_at(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.reset.min(LATEST_RESET))
    }

    /// How long until the window resets, from now; zero when it already has.
    pub fn resets_in(&self) -> Duration {
        self.reset_at()
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO)
    }

    /// Whether the window is used up (`remaining == 0`).
    pub fn is_exhausted(&self) -> bool {
        self.remaining == 0
    }
}

/// Everything the SDK knows about one call besides its value: the one record of a call,
/// whether it succeeded or failed.
///
/// Returned inside [`Response`] by the `*_with_meta` methods, carried by every page of a
/// listing ([`Page::meta`](crate::Page::meta)), and by every error that came from a call
/// ([`Error::meta`](crate::Error::meta)).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseMeta {
    /// The endpoint, `"GET /accounts/{id}"`; see [`endpoint`](Self::endpoint).
    pub(crate) endpoint: Cow<'static, str>,
    /// The HTTP status of the final attempt; `None` when no response came (a transport
    /// failure before the head; one whose body broke after it keeps the head's status), and
    /// on a call that ended without a response failing it (cancelled, or refused unsent by
    /// pacing: the attempts' statuses are in [`history`](Self::history)). `Some(304)` on a
    /// value the client's [ETag cache](crate::ClientBuilder::etag_cache) returned after the
    /// server's `304 Not Modified`.
    pub status: Option<u16>,
    /// The `X-Request-ID` of the final attempt: quote it when you contact support.
    pub request_id: Option<String>,
    /// The rate-limit snapshot of the final attempt.
    pub rate_limit: Option<RateLimit>,
    /// The response's `ETag`, for a later conditional read.
    pub etag: Option<String>,
    /// The `Idempotency-Key` the call sent, when it sent one.
    pub idempotency_key: Option<String>,
    /// How many attempts the call made: 1, plus one per retry; 0 when nothing was sent (the
    /// call was cancelled first, or pacing refused it unsent).
    pub attempts: u32,
    /// The delay waited before each retry, in order (empty when the call was not retried).
    /// Pacing waits are not retries: they are in [`history`](Self::history).
    pub retry_delays: Vec<Duration>,
    /// Every attempt and wait, in order; see [`history`](Self::history).
    pub(crate) history: Vec<Step>,
}

impl ResponseMeta {
    /// The call: its method and path template as the API docs write them, e.g.
    /// `"GET /accounts/{id}"` (never an id or a query value). For
    /// [`Client::request`](crate::Client::request), the method and the path as given,
    /// without a query written into it and with one leading `/` (`"GET /whoami"`).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The story of the call: each attempt (its outcome, duration and request id) and each
    /// wait (its length and [reason](crate::WaitReason)), in order. A call that went through
    /// at once has one [`Step::Attempt`]; a pacing wait comes before the attempt it delayed. A
    /// call cancelled during a wait ends with that wait (cut short).
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{Step, WaitReason};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let me = client.whoami_with_meta()?;
    /// let backed_off = me.meta.history().iter().any(|step| {
    ///     matches!(step, Step::Wait(w) if w.reason == WaitReason::Backoff)
    /// });
    /// println!("{} attempts, backed off: {backed_off}", me.meta.attempts);
    /// # Ok(()) }
    /// ```
    pub fn history(&self) -> &[Step] {
        &self.history
    }
}

/// A value together with the [`ResponseMeta`] of the call that returned it.
///
/// ```no_run
/// # fn main() -> creatoraudit::Result<()> {
/// let client = creatoraudit::Client::from_env()?;
/// let me = client.whoami_with_meta()?;
/// let request_id = me.meta.request_id.as_deref().unwrap_or("-");
/// println!("org {} (request {request_id})", me.value.organization_id);
/// let whoami = me.into_inner();
/// # let _ = whoami; Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    /// The decoded value.
    pub value: T,
    /// What the SDK knows about the call.
    pub meta: ResponseMeta,
}

impl<T> Response<T> {
    /// The value, without the metadata.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// Applies `f` to the value and keeps the metadata.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            value: f(self.value),
            meta: self.meta,
        }
    }
}

/// The result of a conditional read (`If-None-Match`).
///
/// ```no_run
/// # fn main() -> creatoraudit::Result<()> {
/// use creatoraudit::Conditional;
///
/// let client = creatoraudit::Client::from_env()?;
/// let first = client.accounts().get_with_meta("4f1c…")?;
/// let etag = first.meta.etag.clone().unwrap_or_default();
/// match client.accounts().get_if_none_match("4f1c…", &etag)? {
///     Conditional::NotModified { .. } => println!("unchanged"),
///     Conditional::Modified { value, meta } => {
///         println!("{} changed (new etag {})", value.username, meta.etag.as_deref().unwrap_or("-"))
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Conditional<T> {
    /// The resource changed (or the server ignored the condition): here is the new value.
    Modified {
        /// The current value.
        value: T,
        /// What the SDK knows about the call; its `etag` is the one to send next time.
        meta: ResponseMeta,
    },
    /// `304 Not Modified`: the copy you hold is current.
    NotModified {
        /// What the SDK knows about the call.
        meta: ResponseMeta,
    },
}

impl<T> Conditional<T> {
    /// The new value, or `None` when the resource was not modified.
    pub fn into_modified(self) -> Option<T> {
        match self {
            Conditional::Modified { value, .. } => Some(value),
            Conditional::NotModified { .. } => None,
        }
    }

    /// Whether the server answered `304 Not Modified`.
    pub fn is_not_modified(&self) -> bool {
        matches!(self, Conditional::NotModified { .. })
    }

    /// The metadata of the call.
    pub fn meta(&self) -> &ResponseMeta {
        match self {
            Conditional::Modified { meta, .. } | Conditional::NotModified { meta } => meta,
        }
    }
}

/// The context every call error ends with: ` (GET /accounts/{id}, request id req_7Hq2Zb,
/// 3 attempts; waited 1.5 s for back-off)`. Nothing when there is nothing to say.
pub(crate) struct CallContext<'a> {
    meta: &'a ResponseMeta,
    request_id: Option<&'a str>,
}

impl<'a> CallContext<'a> {
    /// The context of a call's record, with its request id.
    pub(crate) fn of(meta: &'a ResponseMeta) -> Self {
        CallContext {
            meta,
            request_id: meta.request_id.as_deref(),
        }
    }

    /// The context with another request id (a problem document's own).
    pub(crate) fn with_request_id(meta: &'a ResponseMeta, request_id: Option<&'a str>) -> Self {
        CallContext { meta, request_id }
    }
}

impl fmt::Display for CallContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let summary = Summary {
            attempts: self.meta.attempts,
            history: self.meta.history(),
        };
        let endpoint = self.meta.endpoint();
        if endpoint.is_empty() && self.request_id.is_none() && summary.is_empty() {
            return Ok(());
        }
        f.write_str(" (")?;
        let mut sep = "";
        if !endpoint.is_empty() {
            f.write_str(endpoint)?;
            sep = ", ";
        }
        if let Some(id) = self.request_id {
            // A request id read from a body is the server's text too.
            write!(f, "{sep}request id {}", text::name(id))?;
            sep = ", ";
        }
        if !summary.is_empty() {
            write!(f, "{sep}{summary}")?;
        }
        f.write_str(")")
    }
}
