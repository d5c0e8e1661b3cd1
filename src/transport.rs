//! The only code that talks HTTP.
//!
//! A [`Call`](crate::call::Call) becomes a [`Request`]; [`Transport::send`] sends it (with
//! retries), classifies the response (success, 304, problem) and returns a [`Reply`] whose
//! body `call.rs` decodes, or an [`Error`] that carries the call's [`ResponseMeta`]. No `ureq`
//! type leaves this module.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use std::borrow::Cow;

use ureq::http::{self, HeaderMap, HeaderValue, header};

use crate::cancel::CancelToken;
use crate::error::{TransportError, TransportErrorKind};
use crate::history::{Attempt, AttemptOutcome, Human, Step, Wait, WaitReason};
use crate::network::{Network, ProxyChoice, TlsBackend};
use crate::pacing::{Pacer, Permit};
use crate::problem::{ErrorCode, Problem};
use crate::response::{RateLimit, ResponseMeta};
use crate::retry::{Decision, Outcome, RetryPolicy, parse_retry_after};
use crate::url::Target;
use crate::{Error, Result, log, random};

/// The `Accept` header of every request.
pub(crate) const ACCEPT: &str = "application/json, application/problem+json";

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
}

impl Request {
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

/// What the agent is built from.
pub(crate) struct Settings {
    pub(crate) api_key: String,
    pub(crate) user_agent: String,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) max_body_size: u64,
    pub(crate) retry: RetryPolicy,
    pub(crate) sleeper: Option<Sleeper>,
    pub(crate) pacing: bool,
    pub(crate) cancel: Option<CancelToken>,
    /// Whether the base URL is `https` (TLS must then be available).
    pub(crate) https: bool,
    pub(crate) network: Network,
}

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
    /// Builds the agent.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the key cannot be sent.
    pub(crate) fn new(s: Settings) -> Result<Self> {
        check_api_key(&s.api_key).map_err(|why| Error::Config(why.to_owned()))?;
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", s.api_key))
            .map_err(|_| Error::Config("api_key cannot go in an HTTP header".into()))?;
        authorization.set_sensitive(true);

        // Per-phase timeouts only: `timeout_global`/`timeout_per_call` would make ureq 3.5
        // resolve the host on a new thread for every request, pooled connection or not.
        let builder = ureq::Agent::config_builder();
        let builder = with_tls(builder, &s.network, s.https)?;
        let proxy = proxy(&s.network.proxy)?;
        let config = builder
            .proxy(proxy.clone())
            .http_status_as_error(false)
            // The API does not redirect; a 3xx from a proxy or a misconfigured base URL is
            // an answer to report, not a place to send the key or a create to.
            .max_redirects(0)
            .user_agent(s.user_agent)
            .accept(ACCEPT)
            .timeout_connect(Some(s.connect_timeout))
            .timeout_send_request(Some(s.timeout))
            .timeout_send_body(Some(s.timeout))
            .timeout_recv_response(Some(s.timeout))
            .timeout_recv_body(Some(s.timeout))
            .build();
        Ok(Transport {
            agent: config.new_agent(),
            authorization,
            retry: s.retry,
            deadline: s.deadline,
            timeout: s.timeout,
            connect_timeout: s.connect_timeout,
            max_body_size: s.max_body_size,
            sleeper: s.sleeper,
            cancel: s.cancel.unwrap_or_default(),
            pacer: Pacer::new(s.pacing),
            last_rate_limit: Mutex::new(None),
            proxy,
        })
    }

    #[cfg(all(test, any(feature = "rustls", feature = "native-tls")))]
    pub(crate) fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    #[cfg(all(test, any(feature = "rustls", feature = "native-tls")))]
    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The last rate-limit snapshot any response of this client carried.
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
    /// [`Error::Api`] for an error status, [`Error::Transport`] when no response came,
    /// [`Error::BodyTooLarge`] for an oversized body; each carries the call's
    /// [`ResponseMeta`].
    pub(crate) fn send(&self, req: &Request) -> Result<Reply> {
        let started = Instant::now();
        let safe = req.is_retry_safe();
        let mut story = Story::default();
        loop {
            self.pace(req, started, &mut story)?;
            let time_left = self.deadline.map(|d| d.saturating_sub(started.elapsed()));
            let sent = Instant::now();
            let outcome = match time_left {
                Some(Duration::ZERO) => {
                    Err(Failure::Transport(Box::new(self.deadline_passed(req))))
                }
                _ => self.attempt(req, time_left),
            };
            if req.auth {
                // Every request let go by the pacer reports back: its snapshot, or nothing.
                match &outcome {
                    Ok(reply) => self.pacer.observe(reply.meta.rate_limit, SystemTime::now()),
                    Err(Failure::Status { problem, .. }) => self
                        .pacer
                        .observe(problem.meta.rate_limit, SystemTime::now()),
                    Err(Failure::TooLarge { meta: Some(m), .. }) => {
                        self.pacer.observe(m.rate_limit, SystemTime::now())
                    }
                    Err(_) => self.pacer.abandon(),
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
            let time_left = self.deadline.map(|d| d.saturating_sub(started.elapsed()));
            let decision = self.retry.decide(
                retry_outcome,
                story.retries(),
                safe,
                time_left,
                random::unit_f64(),
            );
            match decision {
                Decision::Retry(delay) => {
                    story.wait(req, failure.wait_reason(), delay);
                    self.sleep(delay, req, &story)?;
                }
                Decision::Stop => return Err(failure.into_error(req, story)),
            }
        }
    }

    /// The failure of an attempt that the call's deadline left no time for.
    fn deadline_passed(&self, req: &Request) -> TransportError {
        let mut t = TransportError::new(
            TransportErrorKind::Timeout,
            Some("the call's deadline passed".into()),
        );
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
    /// [`Error::Cancelled`] when the client's token is cancelled; a `429 RATE_LIMITED`
    /// [`Error::Api`], unsent, when the wait would pass `max_retry_wait` or the deadline
    /// (the error a capped 429 gives, so callers handle one case).
    fn pace(&self, req: &Request, started: Instant, story: &mut Story) -> Result<()> {
        loop {
            if self.cancel.is_cancelled() {
                return Err(Error::Cancelled(Box::new(story.meta(req))));
            }
            if !req.auth {
                return Ok(());
            }
            let (wait, reset) = match self.pacer.acquire(SystemTime::now()) {
                Permit::Go => return Ok(()),
                Permit::Wait { wait, reset } => (wait, reset),
            };
            let time_left = self.deadline.map(|d| d.saturating_sub(started.elapsed()));
            if wait > self.retry.max_retry_wait || time_left.is_some_and(|left| wait >= left) {
                let mut problem = Problem::new(429);
                problem.code = ErrorCode::RateLimited;
                problem.detail = format!(
                    "not sent: this client's rate-limit budget is spent and the window resets \
                     in {} s, longer than it may wait",
                    wait.as_secs_f64().ceil()
                );
                problem.retry_after = Some(wait);
                problem.meta = story.meta(req);
                problem.meta.status = None;
                return Err(Error::Api(Box::new(problem)));
            }
            story.wait(req, WaitReason::Pacing, wait);
            self.sleep(wait, req, story)?;
            self.pacer.waited(reset);
        }
    }

    /// Sleeps (through the test sleeper when there is one), waking at once on cancellation.
    ///
    /// # Errors
    ///
    /// [`Error::Cancelled`] when the token is (or gets) cancelled.
    fn sleep(&self, wait: Duration, req: &Request, story: &Story) -> Result<()> {
        if self.pause(wait) {
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
        if let Some(key) = &req.idempotency_key {
            builder = builder.header("idempotency-key", key.as_str());
        }
        if let Some(etag) = &req.if_none_match {
            builder = builder.header(header::IF_NONE_MATCH, etag.as_str());
        }
        let result = match &req.body {
            Some(body) => {
                let request = builder
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(body.as_slice())
                    .map_err(Failure::from_http)?;
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
        let read = body
            .into_with_config()
            .limit(self.max_body_size)
            .read_to_vec();
        if (200..300).contains(&status) {
            return match read {
                Ok(body) => Ok(Reply { body, meta }),
                Err(ureq::Error::BodyExceedsLimit(limit)) => Err(Failure::TooLarge {
                    limit,
                    meta: Some(Box::new(meta)),
                }),
                Err(e) => Err(self.classify(e, req, time_left)),
            };
        }
        // An error body that cannot be read in full still leaves the status to go on.
        let body = read.unwrap_or_default();
        let mut problem = Problem::from_body(status, &body, meta.request_id.as_deref());
        if status == 404 && problem.foreign {
            problem.not_the_api(Target::of(&req.url).host);
        }
        let header_wait = parts
            .headers
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        // A 429 without Retry-After: wait for the window to reset when it is used up.
        let reset_wait = || {
            meta.rate_limit
                .filter(|rl| status == 429 && rl.is_exhausted())
                .map(|rl| rl.resets_in())
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
            *self
                .last_rate_limit
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some(rl);
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

type AgentConfig = ureq::config::ConfigBuilder<ureq::typestate::AgentScope>;

/// The proxy to use, or `None`.
///
/// # Errors
///
/// [`Error::Config`] when an explicit proxy URL does not parse.
fn proxy(choice: &ProxyChoice) -> Result<Option<ureq::Proxy>> {
    match choice {
        ProxyChoice::FromEnv => Ok(ureq::Proxy::try_from_env()),
        ProxyChoice::Off => Ok(None),
        // The URL is not echoed: it may carry a password.
        ProxyChoice::Url(url) => ureq::Proxy::new(url).map(Some).map_err(|e| {
            Error::Config(format!(
                "proxy URL does not parse ({e}); expected e.g. http://proxy.example:3128"
            ))
        }),
    }
}

/// Applies the TLS backend and the trusted roots.
///
/// # Errors
///
/// [`Error::Config`] when the base URL is https but no usable TLS backend is compiled in,
/// when a root certificate PEM does not parse, or when the roots asked for need a feature
/// that is off.
fn with_tls(builder: AgentConfig, net: &Network, https: bool) -> Result<AgentConfig> {
    let backend = match net.backend.or_else(TlsBackend::default_compiled) {
        Some(backend) if backend.is_compiled() => backend,
        Some(backend) if net.backend.is_some() => {
            return Err(Error::Config(format!(
                "the {backend:?} TLS backend is not compiled in: enable the `{}` feature of creatoraudit",
                backend.feature()
            )));
        }
        _ if https || !net.root_pems.is_empty() || net.platform_roots => {
            return Err(Error::Config(
                "no TLS backend is compiled in, so https cannot be used: enable the `rustls` \
                 (default) or `native-tls` feature of creatoraudit"
                    .into(),
            ));
        }
        // Plain http to a local server: TLS is never used.
        _ => return Ok(builder),
    };
    tls_config(builder, backend, net)
}

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
fn tls_config(builder: AgentConfig, _: TlsBackend, _: &Network) -> Result<AgentConfig> {
    Ok(builder)
}

#[cfg(any(feature = "rustls", feature = "native-tls"))]
fn tls_config(builder: AgentConfig, backend: TlsBackend, net: &Network) -> Result<AgentConfig> {
    use ureq::tls::{PemItem, RootCerts, TlsConfig, TlsProvider};

    let roots = if !net.root_pems.is_empty() {
        if net.platform_roots {
            return Err(Error::Config(
                "choose custom root certificates or the platform's roots, not both".into(),
            ));
        }
        let mut certs = Vec::new();
        for pem in &net.root_pems {
            for item in ureq::tls::parse_pem(pem) {
                match item {
                    Ok(PemItem::Certificate(cert)) => certs.push(cert),
                    Ok(_) => {}
                    Err(e) => {
                        return Err(Error::Config(format!(
                            "root certificate PEM does not parse: {e}"
                        )));
                    }
                }
            }
        }
        if certs.is_empty() {
            return Err(Error::Config(
                "root certificate PEM holds no certificate (expected a \
                 -----BEGIN CERTIFICATE----- block)"
                    .into(),
            ));
        }
        RootCerts::Specific(Arc::new(certs))
    } else if net.platform_roots {
        if backend == TlsBackend::Rustls && !cfg!(feature = "platform-verifier") {
            return Err(Error::Config(
                "the platform's roots with rustls need the `platform-verifier` feature of \
                 creatoraudit (or use the `native-tls` backend)"
                    .into(),
            ));
        }
        RootCerts::PlatformVerifier
    } else {
        RootCerts::WebPki
    };
    let provider = match backend {
        TlsBackend::Rustls => TlsProvider::Rustls,
        TlsBackend::NativeTls => TlsProvider::NativeTls,
    };
    Ok(builder.tls_config(
        TlsConfig::builder()
            .provider(provider)
            .root_certs(roots)
            .build(),
    ))
}

/// How an attempt failed.
enum Failure {
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
struct Story {
    steps: Vec<Step>,
    attempts: u32,
    retry_delays: Vec<Duration>,
}

impl Story {
    /// Records an attempt that just ended.
    fn attempt(
        &mut self,
        req: &Request,
        outcome: AttemptOutcome,
        elapsed: Duration,
        request_id: Option<&str>,
    ) {
        self.attempts += 1;
        log::attempt(&req.endpoint, self.attempts, outcome, elapsed, request_id);
        self.steps.push(Step::Attempt(Attempt {
            number: self.attempts,
            outcome,
            elapsed,
            request_id: request_id.map(str::to_owned),
        }));
    }

    /// Records a wait about to be taken (a cancellation may cut it short).
    fn wait(&mut self, req: &Request, reason: WaitReason, duration: Duration) {
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
        if reason.is_retry() {
            self.retry_delays.push(duration);
        }
        self.steps.push(Step::Wait(Wait { reason, duration }));
    }

    /// How many retries were made (0 after the first attempt).
    fn retries(&self) -> u32 {
        self.retry_delays.len() as u32
    }

    /// The call's record so far, for an error raised between attempts.
    fn meta(&self, req: &Request) -> ResponseMeta {
        ResponseMeta {
            attempts: self.attempts,
            retry_delays: self.retry_delays.clone(),
            history: self.steps.clone(),
            ..ResponseMeta::of(req)
        }
    }

    /// Moves the story into the call's record.
    fn finish(self, meta: &mut ResponseMeta) {
        meta.attempts = self.attempts;
        meta.retry_delays = self.retry_delays;
        meta.history = self.steps;
    }
}

impl ResponseMeta {
    /// The metadata of a call before any response: what it is and what it sent.
    fn of(req: &Request) -> ResponseMeta {
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
    fn retry_outcome(&self) -> Option<Outcome> {
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
    fn outcome(&self) -> AttemptOutcome {
        match self {
            Failure::Status { problem, .. } => AttemptOutcome::Status(problem.status),
            Failure::Transport(t) => AttemptOutcome::Transport(t.kind),
            Failure::TooLarge { .. } => AttemptOutcome::BodyTooLarge,
        }
    }

    /// The request id of the response, when one came.
    fn request_id(&self) -> Option<&str> {
        match self {
            Failure::Status { problem, .. } => problem.request_id.as_deref(),
            Failure::Transport(_) => None,
            Failure::TooLarge { meta, .. } => meta.as_ref()?.request_id.as_deref(),
        }
    }

    /// Why the retry after this failure waits: what the server asked, or back-off.
    fn wait_reason(&self) -> WaitReason {
        match self {
            Failure::Status {
                asked: Some(reason),
                ..
            } => *reason,
            _ => WaitReason::Backoff,
        }
    }

    fn from_http(e: http::Error) -> Self {
        Failure::Transport(Box::new(TransportError::new(
            TransportErrorKind::Other,
            Some(Box::new(e)),
        )))
    }

    /// The error of the whole call: this last failure, with the call's record (what it
    /// was, its attempts and waits) in the one place every error keeps it.
    fn into_error(self, req: &Request, story: Story) -> Error {
        match self {
            Failure::Status { mut problem, .. } => {
                story.finish(&mut problem.meta);
                Error::Api(problem)
            }
            Failure::Transport(mut t) => {
                t.meta = ResponseMeta::of(req);
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
    fn classify(&self, e: ureq::Error, req: &Request, time_left: Option<Duration>) -> Failure {
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
                    format!("connection reset by {host} before the response was complete"),
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
                Io::InvalidData => (K::Tls, format!("tls with {host} failed")),
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
            ureq::Error::Tls(_) | ureq::Error::TlsRequired => {
                (K::Tls, format!("tls with {host} failed"))
            }
            #[cfg(feature = "rustls")]
            ureq::Error::Rustls(_) => (K::Tls, format!("tls with {host} failed")),
            #[cfg(feature = "native-tls")]
            ureq::Error::NativeTls(_) | ureq::Error::Der(_) => {
                (K::Tls, format!("tls with {host} failed"))
            }
            #[cfg(any(feature = "rustls", feature = "native-tls"))]
            ureq::Error::Pem(_) => (K::Tls, format!("tls with {host} failed")),
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
    fn timeout_message(
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
    fn the_system_resolvers_failure_is_told_from_other_io_errors() {
        use std::io::{Error as IoError, ErrorKind};
        use std::net::ToSocketAddrs;
        // What std itself returns for a name that cannot resolve (`.invalid` never does).
        if let Err(real) = "nonexistent.invalid:443".to_socket_addrs() {
            assert!(is_lookup_failure(&real), "{real:?}");
        }
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
}
