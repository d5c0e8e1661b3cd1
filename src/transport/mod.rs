//! The only code that talks HTTP.
//!
//! A [`Call`](crate::call::Call) becomes a [`Request`]; [`Transport::send`] sends it (with
//! retries), classifies the response (success, 304, problem) and returns a [`Reply`] whose
//! body `call.rs` decodes, or an [`Error`] that carries the call's [`ResponseMeta`]. No `ureq`
//! type leaves this module: `agent.rs` builds the ureq agent (TLS, proxy, timeouts),
//! `failure.rs` classifies what went wrong and keeps the story of the call, this file holds
//! the loop every call goes through (pace, send, classify, retry, wait).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Read as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use ureq::http::{self, HeaderMap, HeaderValue, header};

use crate::cancel::CancelToken;
use crate::error::TransportError;
use crate::history::{AttemptOutcome, Human, TransportErrorKind, WaitReason};
use crate::pacing::{Pacer, Permit, is_plausible, wait_until};
use crate::problem::Problem;
use crate::response::{RateLimit, ResponseMeta};
use crate::retry::{Decision, RetryPolicy, parse_retry_after};
use crate::url::{DEFAULT_BASE_URL, Target};
use crate::{Error, Result, random};

mod agent;
mod failure;

pub(crate) use agent::{Settings, no_proxy_matches};
use failure::{Failure, Story};

/// The `Accept` header of every request.
pub(crate) const ACCEPT: &str = "application/json, application/problem+json";

/// The header a create's idempotency key goes in (checked once, not on every attempt).
const IDEMPOTENCY_KEY: http::HeaderName = http::HeaderName::from_static("idempotency-key");

/// The HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    /// Parses a method name, case-insensitively.
    pub(crate) fn parse(name: &str) -> Result<Self> {
        match name.to_ascii_uppercase().as_str() {
            "GET" => Ok(Method::Get),
            "POST" => Ok(Method::Post),
            "PUT" => Ok(Method::Put),
            "PATCH" => Ok(Method::Patch),
            "DELETE" => Ok(Method::Delete),
            _ => Err(Error::InvalidInput(format!(
                "method: expected GET, POST, PUT, PATCH or DELETE, got {name:?}"
            ))),
        }
    }

    /// The method's name, upper case.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    fn to_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Put => http::Method::PUT,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
        }
    }
}

/// What goes on the wire for one call, built by [`Call`](crate::call::Call).
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// The endpoint, `"GET /accounts/{id}"`: named in errors and logs.
    pub(crate) endpoint: Cow<'static, str>,
    pub(crate) method: Method,
    pub(crate) url: String,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) auth: bool,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) if_none_match: Option<String>,
    pub(crate) read_only: bool,
    /// The time this call may take before a retry or pacing wait (attempts and waits; the
    /// first attempt goes unless the pacer would hold it longer than what is left): for a
    /// call made within a larger time budget.
    pub(crate) max_wait: Option<Duration>,
}

/// A header one request carries besides the ones every request does (`Accept`, `User-Agent`,
/// `Authorization`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Header {
    IdempotencyKey,
    IfNoneMatch,
    ContentType,
}

impl Header {
    /// The header's name as the API docs write it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Header::IdempotencyKey => "Idempotency-Key",
            Header::IfNoneMatch => "If-None-Match",
            Header::ContentType => "Content-Type",
        }
    }

    fn to_http(self) -> http::HeaderName {
        match self {
            Header::IdempotencyKey => IDEMPOTENCY_KEY,
            Header::IfNoneMatch => header::IF_NONE_MATCH,
            Header::ContentType => header::CONTENT_TYPE,
        }
    }
}

impl Request {
    /// The headers of this request besides the ones every request carries, in the order they
    /// are sent: what the transport sends and what a `curl` preview shows.
    pub(crate) fn headers(&self) -> impl Iterator<Item = (Header, &str)> {
        let key = self.idempotency_key.as_deref();
        let etag = self.if_none_match.as_deref();
        let json = self.body.as_ref().map(|_| "application/json");
        [
            (Header::IdempotencyKey, key),
            (Header::IfNoneMatch, etag),
            (Header::ContentType, json),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name, value?)))
    }

    /// Whether sending this request twice cannot do harm.
    fn is_retry_safe(&self) -> bool {
        match self.method {
            Method::Get | Method::Put | Method::Delete => true,
            Method::Post => self.read_only || self.idempotency_key.is_some(),
            Method::Patch => false,
        }
    }
}

/// A response the caller should decode: a 2xx, or a 304 to a conditional read. Its decoders
/// are in `call.rs`.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) body: Vec<u8>,
    pub(crate) meta: ResponseMeta,
}

/// Blocks the calling thread for a retry delay. Replaceable so tests can skip the waits.
pub(crate) type Sleeper = Arc<dyn Fn(Duration) + Send + Sync>;

/// The HTTP engine of a client: one pooled agent, the credentials, the retry loop.
pub(crate) struct Transport {
    agent: ureq::Agent,
    /// `Bearer <key>`, marked sensitive so no `Debug` of a request prints it.
    authorization: HeaderValue,
    retry: RetryPolicy,
    deadline: Option<Duration>,
    timeout: Duration,
    connect_timeout: Duration,
    max_body_size: u64,
    /// The test sleeper, when one was given; otherwise waits sleep on the cancel token.
    sleeper: Option<Sleeper>,
    cancel: CancelToken,
    pacer: Pacer,
    last_rate_limit: Mutex<Option<RateLimit>>,
    /// The proxy the agent uses, if any: connection failures are then the proxy's.
    proxy: Option<ureq::Proxy>,
    /// The `User-Agent` every request sends (for curl previews).
    user_agent: String,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("authorization", &"Bearer <redacted>")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field("max_body_size", &self.max_body_size)
            .finish_non_exhaustive()
    }
}

/// Rewrites the detail of a `404` that is not a problem document: whatever answered is not
/// the API, and the likely cause is the base URL.
fn not_the_api(problem: &mut Problem, host: &str) {
    let page = std::mem::take(&mut problem.detail);
    problem.detail = format!(
        "the server at {host} does not look like the CreatorAudit API (it answered a page, \
         not a problem document): check base_url, e.g. {DEFAULT_BASE_URL}; it said: {page}"
    );
}

/// What [`Transport::pace`] decided for a request.
enum Paced {
    /// It may go (it was let go by the budget, or is not rate limited).
    Go,
    /// The spent budget holds it back this long, longer than the call may wait: it is not
    /// sent.
    HeldBack(Duration),
}

/// The refusal of a first attempt that the spent rate-limit budget holds back `wait`, longer
/// than the call may wait: a `429 RATE_LIMITED` [`Error::Api`], unsent (the error a capped
/// 429 gives, so callers handle one case), with no status in its meta.
fn not_sent(req: &Request, story: &Story, wait: Duration) -> Error {
    let mut problem = Problem::new(429); // `RATE_LIMITED`, by the status table
    problem.detail = format!(
        "not sent: this client's rate-limit budget is spent and the window resets in {}, \
         longer than it may wait",
        Human(wait)
    );
    problem.retry_after = Some(wait);
    problem.meta = story.meta(req);
    problem.meta.status = None;
    Error::Api(Box::new(problem))
}

/// The failure a retry was for, when the client's spent rate-limit budget holds the retry
/// back past what the call may wait: it carries the wait until the window resets
/// (`retry_after`) and says why it was not retried.
fn held_back(mut err: Error, wait: Duration) -> Error {
    let said = match &mut err {
        Error::Api(p) => Some((&mut p.detail, &mut p.retry_after)),
        Error::Transport(t) => Some((&mut t.message, &mut t.retry_after)),
        _ => None,
    };
    if let Some((text, retry_after)) = said {
        *retry_after = (*retry_after).max(Some(wait));
        if !text.is_empty() {
            text.push(' ');
        }
        let _ = write!(
            text,
            "(not retried: this client's rate-limit budget is spent and the window resets in \
             {})",
            Human(wait)
        );
    }
    err
}

/// The longest URL the HTTP layer takes: `http::Uri`'s bound (`MAX_LEN`, private to `http`,
/// copied here by hand: check it when `http` is upgraded).
const MAX_URL_LEN: usize = u16::MAX as usize - 1;

/// Checks that the HTTP layer accepts `url`.
pub(crate) fn check_uri(url: &str) -> std::result::Result<(), String> {
    http::Uri::try_from(url)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// Why an API key cannot be used, if it cannot. The message never contains the key.
pub(crate) fn check_api_key(key: &str) -> std::result::Result<(), &'static str> {
    if key.trim().is_empty() {
        return Err("api_key is empty");
    }
    if key.trim() != key {
        return Err("api_key has leading or trailing white space (a stray newline?)");
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(
            "api_key may only contain visible ASCII characters (it has a space, a line break, \
             a control or a non-ASCII character)",
        );
    }
    Ok(())
}

impl Transport {
    /// The `User-Agent` every request sends.
    pub(crate) fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// The newest rate-limit snapshot a response of this client carried.
    pub(crate) fn last_rate_limit(&self) -> Option<RateLimit> {
        *self
            .last_rate_limit
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Sends a request, retrying what is safe to retry, and classifies the response.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`], unsent, for a URL longer than the HTTP layer takes;
    /// [`Error::Api`] for an error status (or a `429`, unsent, when the spent rate-limit
    /// budget holds the first attempt back too long), [`Error::Transport`] when no response
    /// came or its body broke off, [`Error::BodyTooLarge`] for an oversized body,
    /// [`Error::Cancelled`] when the client's token is cancelled; each carries the call's
    /// [`ResponseMeta`].
    pub(crate) fn send(&self, req: &Request) -> Result<Reply> {
        if req.url.len() > MAX_URL_LEN {
            // The HTTP layer would refuse it with no word of why.
            return Err(Error::InvalidInput(format!(
                "the request's URL would be {} bytes, longer than the {MAX_URL_LEN} an HTTP \
                 request can carry here (a very long filter text, or a cursor the server sent)",
                req.url.len()
            )));
        }
        let started = Instant::now();
        // What is left of the deadline: by the clock, or by the waits when they took longer
        // (a test sleeper takes no time).
        let time_left = |story: &Story| {
            self.deadline
                .map(|d| d.saturating_sub(started.elapsed().max(story.waited())))
        };
        // What a wait may take: the deadline's rest, and the call's own budget's (which the
        // attempts spend too: by the clock, or by the waits when a test sleeper took none).
        let wait_left = |story: &Story| {
            let spent = started.elapsed().max(story.waited());
            let budget = req.max_wait.map(|m| m.saturating_sub(spent));
            match (time_left(story), budget) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }
        };
        let safe = req.is_retry_safe();
        let mut story = Story::default();
        // The failure the next attempt retries, if it is a retry.
        let mut retrying: Option<Failure> = None;
        // Whether the server's own `Retry-After` on a 429 asked for the next attempt: it goes
        // past the spent budget (which the other requests keep waiting on).
        let mut asked_back = false;
        loop {
            if let Paced::HeldBack(wait) = self.pace(req, &wait_left, &mut story, asked_back)? {
                // A retry the pacer cannot let go in time ends the call with the failure it
                // retried (its status, code and request id), not with a refusal of its own.
                return Err(match retrying {
                    Some(failure) => held_back(failure.into_error(req, story), wait),
                    None => not_sent(req, &story, wait),
                });
            }
            let sent = Instant::now();
            let outcome = match time_left(&story) {
                Some(Duration::ZERO) => {
                    Err(Failure::Transport(Box::new(self.deadline_passed(req))))
                }
                left => self.attempt(req, left),
            };
            if req.auth {
                // Every request let go by the pacer reports back: the snapshot of the head
                // that came (a body cut short after it too), or nothing.
                let head = match &outcome {
                    Ok(reply) => Some(&reply.meta),
                    Err(failure) => failure.head(),
                };
                match head {
                    Some(head) if asked_back => {
                        self.pacer
                            .observe_admitted(head.rate_limit, SystemTime::now());
                    }
                    Some(head) => self.pacer.observe(head.rate_limit, SystemTime::now()),
                    None => self.pacer.abandon(),
                }
            }
            let (outcome_of, request_id) = match &outcome {
                Ok(reply) => (
                    AttemptOutcome::Status(reply.meta.status.unwrap_or_default()),
                    reply.meta.request_id.as_deref(),
                ),
                Err(failure) => (failure.outcome(), failure.request_id()),
            };
            story.attempt(req, outcome_of, sent.elapsed(), request_id);
            let failure = match outcome {
                Ok(mut reply) => {
                    story.finish(&mut reply.meta);
                    return Ok(reply);
                }
                Err(failure) => failure,
            };
            let Some(retry_outcome) = failure.retry_outcome() else {
                return Err(failure.into_error(req, story));
            };
            let decision = self.retry.decide(
                retry_outcome,
                story.retries(),
                safe,
                wait_left(&story),
                random::unit_f64(),
            );
            match decision {
                Decision::Retry(delay) => {
                    let reason = failure.wait_reason();
                    // A 429's own word on when to come back wins over the spent budget its
                    // headers show: the retry is not held until the reset.
                    asked_back = reason == WaitReason::RetryAfter && failure.status() == Some(429);
                    if req.auth && !asked_back {
                        // A retry the spent budget would hold back past what the call may wait
                        // ends the call now, not after a back-off that changes nothing.
                        if let Some(reset) = self.pacer.spent_for(SystemTime::now()) {
                            let after = reset.saturating_sub(delay);
                            let left = wait_left(&story).map(|l| l.saturating_sub(delay));
                            if !after.is_zero() && self.holds_back(after, left) {
                                return Err(held_back(failure.into_error(req, story), reset));
                            }
                        }
                    }
                    story.wait(req, reason, delay);
                    self.sleep(delay, req, &mut story)?;
                    if reason == WaitReason::RateLimitReset {
                        if let Some(rl) = failure.head().and_then(|h| h.rate_limit) {
                            // It waited for the reset: that window is over, and the pacer
                            // does not wait for it again (whatever a test sleeper's clock
                            // says).
                            self.pacer.waited(rl.reset);
                        }
                    }
                    retrying = Some(failure);
                }
                Decision::Stop => return Err(failure.into_error(req, story)),
            }
        }
    }

    /// The failure of an attempt that the call's deadline left no time for.
    fn deadline_passed(&self, req: &Request) -> TransportError {
        // No source: the message says it all, and a cause would only repeat it.
        let mut t = TransportError::new(TransportErrorKind::Timeout, None);
        let target = Target::of(&req.url);
        t.message = format!(
            "the call's deadline of {} passed before it got an answer from {}",
            Human(self.deadline.unwrap_or_default()),
            target.host
        );
        t.host = Some(target.host.to_owned());
        t
    }

    /// Waits until the shared rate-limit budget lets this request go. Unauthenticated
    /// requests (`/health`, `/meta`) are not rate limited and never wait.
    ///
    /// # Errors
    ///
    /// [`Error::Cancelled`] when the client's token is cancelled.
    fn pace(
        &self,
        req: &Request,
        wait_left: &dyn Fn(&Story) -> Option<Duration>,
        story: &mut Story,
        asked_back: bool,
    ) -> Result<Paced> {
        loop {
            if self.cancel.is_cancelled() {
                return Err(Error::Cancelled(Box::new(story.meta(req))));
            }
            if !req.auth {
                return Ok(Paced::Go);
            }
            if asked_back {
                // The server asked for this attempt (`Retry-After` on a 429): it goes.
                self.pacer.admit();
                return Ok(Paced::Go);
            }
            let (wait, reset) = match self.pacer.acquire(SystemTime::now()) {
                Permit::Go => return Ok(Paced::Go),
                Permit::Wait { wait, reset } => (wait, reset),
            };
            if self.holds_back(wait, wait_left(story)) {
                return Ok(Paced::HeldBack(wait));
            }
            story.wait(req, WaitReason::Pacing, wait);
            self.sleep(wait, req, story)?;
            self.pacer.waited(reset);
        }
    }

    /// Whether a wait for the rate-limit budget is longer than the call may wait: past
    /// `max_retry_wait` (by [`RetryPolicy::allows`]), or as long as what is `left` of its
    /// deadline or budget. The one rule for a request the pacer holds back and for a retry
    /// it would.
    fn holds_back(&self, wait: Duration, left: Option<Duration>) -> bool {
        !self.retry.allows(wait) || left.is_some_and(|left| wait >= left)
    }

    /// Sleeps (through the test sleeper when there is one), waking at once on cancellation.
    ///
    /// # Errors
    ///
    /// [`Error::Cancelled`] when the token is (or gets) cancelled.
    fn sleep(&self, wait: Duration, req: &Request, story: &mut Story) -> Result<()> {
        let started = Instant::now();
        if self.pause(wait) {
            if self.sleeper.is_none() {
                // Cut short: the story tells the wait that was, not the one asked for.
                story.cut_last_wait(started.elapsed().min(wait));
            }
            return Err(Error::Cancelled(Box::new(story.meta(req))));
        }
        Ok(())
    }

    /// One attempt: send, read the body, classify.
    fn attempt(&self, req: &Request, time_left: Option<Duration>) -> Result<Reply, Failure> {
        let mut builder = http::Request::builder()
            .method(req.method.to_http())
            .uri(req.url.as_str());
        if req.auth {
            builder = builder.header(header::AUTHORIZATION, self.authorization.clone());
        }
        for (name, value) in req.headers() {
            builder = builder.header(name.to_http(), value);
        }
        let result = match &req.body {
            Some(body) => {
                let request = builder.body(body.as_slice()).map_err(Failure::from_http)?;
                self.run(request, time_left)
            }
            None => self.run(builder.body(()).map_err(Failure::from_http)?, time_left),
        };
        let response = result.map_err(|e| self.classify(e, req, time_left))?;
        let (parts, body) = response.into_parts();
        let status = parts.status.as_u16();
        let meta = self.read_meta(status, &parts.headers, req);

        if status == 304 && req.if_none_match.is_some() {
            return Ok(Reply {
                body: Vec::new(),
                meta,
            });
        }
        if (200..300).contains(&status) {
            let read = body
                .into_with_config()
                .limit(self.max_body_size)
                .read_to_vec();
            return match read {
                Ok(body) => Ok(Reply { body, meta }),
                Err(ureq::Error::BodyExceedsLimit(limit)) => Err(Failure::TooLarge {
                    limit,
                    meta: Some(Box::new(meta)),
                }),
                Err(e) => Err(match self.classify(e, req, time_left) {
                    // The head came: its status, request id and rate limit are the call's.
                    Failure::Transport(mut t) => {
                        t.meta = meta;
                        Failure::Transport(t)
                    }
                    other => other,
                }),
            };
        }
        // An error body: as much of it as `max_body_size` allows (one byte more tells a
        // longer one). One that is longer, or breaks off, still leaves the status and a
        // snippet of what came to go on.
        let mut bytes = Vec::new();
        let broke = body
            .into_reader()
            .take(self.max_body_size.saturating_add(1))
            .read_to_end(&mut bytes)
            .is_err();
        let cut = broke || bytes.len() as u64 > self.max_body_size;
        bytes.truncate(usize::try_from(self.max_body_size).unwrap_or(usize::MAX));
        let mut problem = Problem::from_read_body(status, &bytes, cut, meta.request_id.as_deref());
        if status == 404 && problem.foreign {
            not_the_api(&mut problem, Target::of(&req.url).host);
        }
        let header_wait = parts
            .headers
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        // A 429 without Retry-After: wait for the window to reset when it is used up. A reset
        // that has passed by this clock (skew) says nothing: back off instead.
        let reset_wait = || {
            meta.rate_limit
                .filter(|rl| status == 429 && rl.is_exhausted())
                // Past the advertised second, as the pacer waits: the header has whole
                // seconds, and a retry at the reset may still find the old window.
                .and_then(|rl| wait_until(rl.reset_at(), SystemTime::now()))
        };
        let (retry_after, asked) = match header_wait {
            Some(wait) => (Some(wait), Some(WaitReason::RetryAfter)),
            None => match reset_wait() {
                Some(wait) => (Some(wait), Some(WaitReason::RateLimitReset)),
                None => (None, None),
            },
        };
        problem.retry_after = retry_after;
        problem.meta = meta;
        Err(Failure::Status {
            problem: Box::new(problem),
            asked,
        })
    }

    fn run<B: ureq::AsSendBody>(
        &self,
        request: http::Request<B>,
        time_left: Option<Duration>,
    ) -> std::result::Result<http::Response<ureq::Body>, ureq::Error> {
        match time_left {
            None => self.agent.run(request),
            // With a deadline the attempt must end in time, whatever phase it is in; this is
            // the one place a whole-call budget is worth ureq's resolver thread.
            Some(left) => {
                let request = self
                    .agent
                    .configure_request(request)
                    .timeout_per_call(Some(left))
                    .build();
                self.agent.run(request)
            }
        }
    }

    fn read_meta(&self, status: u16, headers: &HeaderMap, req: &Request) -> ResponseMeta {
        // One pass over the response's few headers. Five lookups by `&str` name cost more
        // than the rest of the SDK's per-request work together: each parses and validates
        // the name, then hashes it. The first value of a repeated header wins, as with `get`.
        let number = |v: &HeaderValue| v.to_str().ok()?.trim().parse::<u64>().ok();
        let (mut limit, mut remaining, mut reset) = (None, None, None);
        let (mut request_id, mut etag) = (None, None);
        for (name, value) in headers {
            match name.as_str() {
                "x-ratelimit-limit" if limit.is_none() => limit = number(value),
                "x-ratelimit-remaining" if remaining.is_none() => remaining = number(value),
                "x-ratelimit-reset" if reset.is_none() => reset = number(value),
                "x-request-id" if request_id.is_none() => request_id = value.to_str().ok(),
                "etag" if etag.is_none() => etag = value.to_str().ok(),
                _ => {}
            }
        }
        let rate_limit = match (limit, remaining, reset) {
            (Some(limit), Some(remaining), Some(reset)) => Some(RateLimit {
                limit,
                remaining,
                reset,
            }),
            _ => None,
        };
        if let Some(rl) = rate_limit {
            let mut last = self
                .last_rate_limit
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            // A late answer from an earlier window does not replace a newer snapshot, unless
            // that one is not believable any more (its reset passed, or days away) and this
            // one is.
            // (The clock is read only for the rare late answer, not on every response.)
            let believable_instead = |seen: &RateLimit| {
                let now = SystemTime::now();
                !is_plausible(seen, now) && is_plausible(&rl, now)
            };
            if last.is_none_or(|seen| rl.reset >= seen.reset || believable_instead(&seen)) {
                *last = Some(rl);
            }
        }
        ResponseMeta {
            status: Some(status),
            request_id: request_id.map(str::to_owned),
            rate_limit,
            etag: etag.map(str::to_owned),
            ..ResponseMeta::of(req)
        }
    }
}

/// The one way the SDK waits: a call's own waits (`sleep`) and the waits between the polls
/// of `wait_until_scraped`.
impl Transport {
    /// Waits `wait`: through the test sleeper when there is one, otherwise on the cancel
    /// token, waking at once on cancellation. Returns whether the token is (or got)
    /// cancelled.
    pub(crate) fn pause(&self, wait: Duration) -> bool {
        match &self.sleeper {
            Some(sleeper) => {
                sleeper(wait);
                self.cancel.is_cancelled()
            }
            None => self.cancel.sleep(wait),
        }
    }
}
