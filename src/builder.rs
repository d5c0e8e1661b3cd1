//! [`ClientBuilder`]: every setting of a [`Client`], checked before the client exists.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::cancel::CancelToken;
use crate::client::Client;
use crate::network::{Network, ProxyChoice, TlsBackend};
use crate::retry::RetryPolicy;
use crate::transport::{Settings, Sleeper, Transport};
use crate::url::{BaseUrl, DEFAULT_BASE_URL};
use crate::{Error, Result};

/// Batch chunks sent at once unless [`ClientBuilder::batch_concurrency`] says otherwise.
const DEFAULT_BATCH_CONCURRENCY: usize = 4;

/// The environment variable [`Client::from_env`] reads the API key from.
pub const API_KEY_ENV: &str = "CREATORAUDIT_API_KEY";
/// The environment variable [`Client::from_env`] reads an optional base URL from.
pub const BASE_URL_ENV: &str = "CREATORAUDIT_BASE_URL";

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_MAX_BODY_SIZE: u64 = 32 * 1024 * 1024;
const USER_AGENT: &str = concat!("creatoraudit-rust/", env!("CARGO_PKG_VERSION"));

/// Configures and builds a [`Client`].
///
/// ```
/// # fn main() -> creatoraudit::Result<()> {
/// use std::time::Duration;
///
/// let client = creatoraudit::Client::builder()
///     .api_key("ca_live_your_key")
///     .timeout(Duration::from_secs(10))
///     .max_retries(5)
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
#[derive(Clone, Default)]
#[must_use]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    deadline: Option<Duration>,
    max_retries: Option<u32>,
    max_retry_wait: Option<Duration>,
    backoff: Option<(Duration, Duration)>,
    max_body_size: Option<u64>,
    allow_insecure_http: bool,
    user_agent_suffix: Option<String>,
    sleeper: Option<Sleeper>,
    pacing: Option<bool>,
    batch_concurrency: Option<usize>,
    cancel: Option<CancelToken>,
    etag_cache: usize,
    network: Network,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field(
                "base_url",
                &self.base_url.as_deref().map(crate::url::redacted),
            )
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("deadline", &self.deadline)
            .field("max_retries", &self.max_retries)
            .field("max_retry_wait", &self.max_retry_wait)
            .field("max_body_size", &self.max_body_size)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("tls_backend", &self.network.backend)
            .field("custom_roots", &self.network.root_pems.len())
            .field("platform_roots", &self.network.platform_roots)
            // A proxy URL may carry credentials: show only which kind of setting it is.
            .field(
                "proxy",
                &match self.network.proxy {
                    ProxyChoice::FromEnv => "from environment",
                    ProxyChoice::Off => "off",
                    ProxyChoice::Url(_) => "<explicit>",
                },
            )
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The API key (required). Create one in the CreatorAudit dashboard.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The base URL, with its version path: default `https://api.creatoraudit.com/v2`.
    ///
    /// A trailing slash makes no difference. A server that serves the API at its root (a
    /// gateway, a mock server's own URL) takes no path; the API's own host needs `/v2`. Plain `http://` is accepted only for a loopback
    /// host (a local test server) unless [`allow_insecure_http`](Self::allow_insecure_http)
    /// is set.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Self {
        self.base_url = Some(url.as_ref().to_owned());
        self
    }

    /// The time budget of each phase of an attempt (sending the request, waiting for the
    /// response, reading the body): default 30 s. A stalled server cannot hold a call longer
    /// than about three times this per attempt; set [`deadline`](Self::deadline) for a hard
    /// bound on a whole call. `Duration::MAX` means no limit (read as a century).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The time allowed to open a connection (including TLS): default 10 s. `Duration::MAX`
    /// means no limit (read as a century).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// A hard bound on each call, retries and their waits included: default none.
    ///
    /// A retry whose wait would overrun the deadline is not made; the error comes back at
    /// once (with [`Error::retry_after`] set when the server asked for the wait). Each page
    /// of a listing is a call of its own. `Duration::MAX` is the same as none.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How many times a failed call is retried: default 2 (3 attempts in all); 0 turns
    /// retries off.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }

    /// The longest `Retry-After` the client sleeps for before retrying: default 60 s. When
    /// the server asks for longer, the error is returned at once with
    /// [`Error::retry_after`] set, so the caller can decide. The same cap holds for a wait
    /// for the rate-limit window's reset (a `429` without `Retry-After`, and
    /// [pacing](Self::pacing)); the 100 ms the client waits past a reset, so as not to
    /// arrive a moment early, does not count against it.
    pub fn max_retry_wait(mut self, wait: Duration) -> Self {
        self.max_retry_wait = Some(wait);
        self
    }

    /// The back-off between retries when the server gives no `Retry-After`: `initial`
    /// doubling on each retry up to `max`, each shortened by a random 0–25 %. Default 0.5 s
    /// to 8 s. A `max` below `initial` is taken as `initial` (every back-off is `initial`).
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.backoff = Some((initial, max));
        self
    }

    /// The largest response body read, in bytes: default 32 MiB. A larger success body fails
    /// the call with [`Error::BodyTooLarge`] instead of exhausting memory; a larger error
    /// body is read up to the bound, and the call fails with the status's [`Error::Api`],
    /// whose detail is a snippet of what was read (the problem document itself, cut short,
    /// no longer parses).
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.max_body_size = Some(bytes);
        self
    }

    /// Accepts a plain `http://` base URL on a host that is not loopback. Your API key then
    /// crosses the network unencrypted: only for a trusted internal proxy.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Text appended to the `User-Agent` header, to tell your tool apart in the API's logs:
    /// `creatoraudit-rust/0.1.0 my-exporter/2.1`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// The TLS implementation, when both the `rustls` and `native-tls` features are on:
    /// default rustls.
    pub fn tls_backend(mut self, backend: TlsBackend) -> Self {
        self.network.backend = Some(backend);
        self
    }

    /// Trusts the certificates of this PEM document (one or more
    /// `-----BEGIN CERTIFICATE-----` blocks) instead of the bundled Mozilla roots: for a
    /// TLS-inspecting corporate proxy, pass its CA. Call it again to add more. The bundled
    /// roots are then not used, so include every CA the connection needs.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// let pem = std::fs::read("/etc/ssl/corp/ca.pem").expect("the corporate CA");
    /// let client = creatoraudit::Client::builder()
    ///     .api_key("ca_live_your_key")
    ///     .add_root_certificate_pem(pem)
    ///     .build()?;
    /// # let _ = client; Ok(()) }
    /// ```
    pub fn add_root_certificate_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.network.root_pems.push(pem.as_ref().to_vec());
        self
    }

    /// Trusts the operating system's certificate store instead of the bundled roots, where
    /// corporate CAs are usually installed. With rustls this needs the `platform-verifier`
    /// feature; native-tls always can.
    pub fn platform_roots(mut self, enabled: bool) -> Self {
        self.network.platform_roots = enabled;
        self
    }

    /// Sends every request through this proxy: `http://host:port`, with
    /// `http://user:password@host:port` for authentication. HTTPS traffic is tunnelled
    /// (`CONNECT`), so the proxy never sees the API key unless it inspects TLS.
    ///
    /// Without this, the proxy comes from the environment: `HTTPS_PROXY` (`HTTP_PROXY` for a
    /// plain-http base URL), else `ALL_PROXY`, the lowercase forms first; a host in
    /// `NO_PROXY` (names matching their subdomains too, addresses, CIDR ranges, IPv4
    /// prefixes such as `192.168.`; `*` for all) is reached directly, as is a local base URL
    /// (loopback) unless the proxy is local too.
    ///
    /// Only HTTP proxies: a SOCKS proxy (`socks5://…`), here or from the environment, is
    /// refused by [`build`](Self::build), as is a proxy off this machine in front of a
    /// plain-http base URL (it would see the key) unless
    /// [`allow_insecure_http`](Self::allow_insecure_http).
    pub fn proxy(mut self, url: impl AsRef<str>) -> Self {
        self.network.proxy = ProxyChoice::Url(url.as_ref().to_owned());
        self
    }

    /// Connects directly, ignoring any proxy set in the environment.
    pub fn no_proxy(mut self) -> Self {
        self.network.proxy = ProxyChoice::Off;
        self
    }

    /// Whether to pace requests under the API's rate limit (default `true`).
    ///
    /// All clones of a client, on any thread, share one view of the budget: the last
    /// `X-RateLimit-Limit/Remaining/Reset` seen, minus the requests sent since. When it is
    /// spent, a request waits for the reset before it is sent instead of collecting a `429`;
    /// when that wait would exceed [`max_retry_wait`](Self::max_retry_wait) or the
    /// [`deadline`](Self::deadline), the call ends at once: a first attempt unsent, with the
    /// error a capped `429` gives (`RATE_LIMITED`,
    /// [`Error::retry_after`](crate::Error::retry_after) set), a retry with the failure it
    /// would have retried (its `retry_after` set to the reset's wait, its message saying it
    /// was not retried).
    /// Before the first response, and with a server that sends no (or nonsensical)
    /// rate-limit headers, nothing waits. `/health` and `/meta` are not rate limited and
    /// never wait. `pacing(false)` sends every request at once.
    pub fn pacing(mut self, enabled: bool) -> Self {
        self.pacing = Some(enabled);
        self
    }

    /// How many chunks of a batch call (more than
    /// [`BATCH_CHUNK_SIZE`](crate::BATCH_CHUNK_SIZE) ids) are sent at once: default 4; `1`
    /// sends them one after the other. The merged answer is the same either way. Chunks go
    /// through the same pacing; a chunk that fails (after its retries) fails the call, and no
    /// further chunk is started. `0` is refused by [`build`](Self::build).
    pub fn batch_concurrency(mut self, chunks: usize) -> Self {
        self.batch_concurrency = Some(chunks);
        self
    }

    /// Cancels this client's calls when `token` is cancelled: see [`CancelToken`].
    pub fn cancel_token(mut self, token: CancelToken) -> Self {
        self.cancel = Some(token);
        self
    }

    /// Keeps the answers of up to `entries` single-document reads (`whoami`, `meta`,
    /// `overview`, `search`, `accounts().get`, `creators().get`, `creators().top`,
    /// `creators().analytics`, and [`Client::request`] `GET`s) with their `ETag`: the next
    /// read of the same URL sends `If-None-Match`, and when the server answers
    /// `304 Not Modified` (no body) the stored value is returned. Default 0: no cache.
    ///
    /// A stored value is never returned without the server's `304` to that request: every
    /// read still goes to the server (and counts against the rate limit), it just does not
    /// download or decode an unchanged body twice. A value served so has
    /// [`ResponseMeta::status`](crate::ResponseMeta::status) `Some(304)`. The cache belongs
    /// to this client and its clones (one API key); keys are the full URL with its query
    /// (only `GET`s are stored); past `entries`, the least recently used is dropped. Each
    /// entry holds a body as it came (one document: at most
    /// [`max_body_size`](Self::max_body_size)), so size `entries` by what you can keep in
    /// memory. Listing pages and the `*_if_none_match` calls (which report the `304` to you)
    /// bypass it.
    ///
    /// ```
    /// # fn main() -> creatoraudit::Result<()> {
    /// # let fake = creatoraudit::testing::FakeApi::start();
    /// let client = fake.client_builder().etag_cache(100).build()?;
    /// let first = client.whoami_with_meta()?;
    /// let again = client.whoami_with_meta()?; // sent with If-None-Match: answered 304
    /// assert_eq!(again.meta.status, Some(304));
    /// assert_eq!(again.value, first.value);
    /// # Ok(()) }
    /// ```
    pub fn etag_cache(mut self, entries: usize) -> Self {
        self.etag_cache = entries;
        self
    }

    /// Replaces how the client waits: between retries, for the rate-limit budget (pacing) and
    /// between the polls of [`wait_until_scraped`](crate::Accounts::wait_until_scraped). By
    /// default the client sleeps on its [`CancelToken`](crate::CancelToken), so that a
    /// cancel ends the wait at once; with a sleeper of your own, a cancel is seen when it
    /// returns.
    ///
    /// For tests: a no-op sleeper makes retry tests instant, and a recording one lets them
    /// assert the delays that would have been waited (also in the call's
    /// [`history`](crate::ResponseMeta::history)).
    ///
    /// ```
    /// # fn main() -> creatoraudit::Result<()> {
    /// let client = creatoraudit::Client::builder()
    ///     .api_key("test")
    ///     .base_url("http://127.0.0.1:9/v2")
    ///     .retry_sleeper(|_delay| {}) // never wait
    ///     .build()?;
    /// # let _ = client; Ok(()) }
    /// ```
    pub fn retry_sleeper(mut self, sleep: impl Fn(Duration) + Send + Sync + 'static) -> Self {
        self.sleeper = Some(Arc::new(sleep));
        self
    }

    /// Fills what is not set yet from the environment: the key from `CREATORAUDIT_API_KEY`
    /// (unless [`api_key`](Self::api_key) was called), the base URL from
    /// `CREATORAUDIT_BASE_URL` (unless [`base_url`](Self::base_url) was called; an empty
    /// value counts as unset). Settings made before or after it win over the environment.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use std::time::Duration;
    ///
    /// let client = creatoraudit::Client::builder()
    ///     .read_env()?
    ///     .timeout(Duration::from_secs(10))
    ///     .build()?;
    /// # let _ = client; Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when no key is set and `CREATORAUDIT_API_KEY` is unset, empty or
    /// not Unicode, or `CREATORAUDIT_BASE_URL` is not Unicode.
    pub fn read_env(self) -> Result<Self> {
        self.read_vars(|name| std::env::var_os(name))
    }

    /// [`read_env`](Self::read_env) over any variable lookup.
    fn read_vars(mut self, var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Result<Self> {
        let read = |name: &str| match var(name) {
            None => Ok(None),
            Some(v) => v.into_string().map(Some).map_err(|_| {
                Error::Config(format!("environment variable {name} is not valid Unicode"))
            }),
        };
        if self.api_key.is_none() {
            match read(API_KEY_ENV)? {
                None => {
                    return Err(Error::Config(format!(
                        "environment variable {API_KEY_ENV} is not set: set it to your API key, \
                         or pass the key with .api_key(..)"
                    )));
                }
                Some(key) if key.trim().is_empty() => {
                    return Err(Error::Config(format!(
                        "environment variable {API_KEY_ENV} is set but empty: set it to your \
                         API key, or pass the key with .api_key(..)"
                    )));
                }
                Some(key) => self.api_key = Some(key),
            }
        }
        if self.base_url.is_none() {
            self.base_url = read(BASE_URL_ENV)?.filter(|url| !url.is_empty());
        }
        Ok(self)
    }

    /// Checks the configuration and builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the key is missing, empty or cannot go in a header; the base
    /// URL does not parse, is the API's host without a path (`https://api.creatoraudit.com`
    /// instead of `https://api.creatoraudit.com/v2`; another host may serve the API at its
    /// root), or is plain `http://` to a host that is not
    /// loopback without [`allow_insecure_http`](Self::allow_insecure_http); a timeout, the
    /// body size or [`batch_concurrency`](Self::batch_concurrency) is zero; the
    /// [`user_agent_suffix`](Self::user_agent_suffix) has a control character; a
    /// [proxy](Self::proxy) URL or a [root certificate](Self::add_root_certificate_pem) is
    /// refused; or the base URL is `https://` in a build without a TLS backend.
    pub fn build(self) -> Result<Client> {
        let api_key = self.api_key.ok_or_else(|| {
            Error::Config(format!(
                "no API key: pass one with .api_key(..), or set {API_KEY_ENV} and use \
                 Client::from_env() or .read_env()"
            ))
        })?;
        let base_url = BaseUrl::parse(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        // Let the HTTP layer's own parser have the last word on what it will accept.
        crate::transport::check_uri(base_url.as_str())
            .map_err(|why| Error::Config(format!("base_url {:?}: {why}", base_url.as_str())))?;
        if !base_url.is_https() && !base_url.is_loopback() && !self.allow_insecure_http {
            return Err(Error::Config(format!(
                "base_url {:?} is plain http to a host that is not loopback: the API key would \
                 cross the network unencrypted; use https, or allow_insecure_http(true)",
                base_url.as_str()
            )));
        }
        let timeout = nonzero("timeout", self.timeout.unwrap_or(DEFAULT_TIMEOUT))?;
        let connect_timeout = nonzero(
            "connect_timeout",
            self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
        )?;
        let deadline = self.deadline.map(|d| nonzero("deadline", d)).transpose()?;
        let max_body_size = self.max_body_size.unwrap_or(DEFAULT_MAX_BODY_SIZE);
        if max_body_size == 0 {
            return Err(Error::Config(
                "max_body_size must be greater than zero".into(),
            ));
        }
        let batch_concurrency = match self.batch_concurrency {
            Some(0) => {
                return Err(Error::Config(
                    "batch_concurrency must be at least 1 (1 sends the chunks one by one)".into(),
                ));
            }
            chunks => chunks.unwrap_or(DEFAULT_BATCH_CONCURRENCY),
        };
        let mut retry = RetryPolicy::default();
        retry.max_retries = self.max_retries.unwrap_or(retry.max_retries);
        retry.max_retry_wait = self
            .max_retry_wait
            .map_or(retry.max_retry_wait, |wait| wait.min(LONGEST_TIME_SETTING));
        if let Some((initial, max)) = self.backoff {
            retry.initial_backoff = initial.min(LONGEST_TIME_SETTING);
            retry.max_backoff = max.max(initial).min(LONGEST_TIME_SETTING);
        }
        let user_agent = match self.user_agent_suffix.as_deref().map(str::trim) {
            Some(suffix) if !suffix.is_empty() => {
                if suffix.chars().any(|c| c.is_control()) {
                    return Err(Error::Config(
                        "user_agent_suffix contains control characters".into(),
                    ));
                }
                format!("{USER_AGENT} {suffix}")
            }
            _ => USER_AGENT.to_owned(),
        };
        let transport = Transport::new(Settings {
            api_key,
            user_agent,
            timeout,
            connect_timeout,
            deadline,
            max_body_size,
            retry,
            sleeper: self.sleeper,
            pacing: self.pacing.unwrap_or(true),
            cancel: self.cancel,
            https: base_url.is_https(),
            host: crate::url::Target::of(base_url.as_str()).host.to_owned(),
            allow_insecure_http: self.allow_insecure_http,
            network: self.network,
        })?;
        Ok(Client::from_parts(
            base_url,
            transport,
            batch_concurrency,
            crate::etag_cache::EtagCache::new(self.etag_cache),
        ))
    }
}

/// The longest time setting the clock arithmetic of the HTTP layer takes: a century. A longer
/// one (`Duration::MAX`, meant as "no limit") is read as this, which is no limit in practice.
const LONGEST_TIME_SETTING: Duration = Duration::from_secs(100 * 365 * 24 * 60 * 60);

/// A time setting: refused when zero, at most [`LONGEST_TIME_SETTING`].
fn nonzero(name: &str, d: Duration) -> Result<Duration> {
    if d.is_zero() {
        Err(Error::Config(format!("{name} must be greater than zero")))
    } else {
        Ok(d.min(LONGEST_TIME_SETTING))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_keys_are_config_errors_that_do_not_echo_the_key() {
        for key in [
            "",
            "   ",
            "ca_live_secret\n",
            "ca_live\u{7f}secret",
            "ca_live_\rsecret",
            "clé_secret",
        ] {
            let err = Client::new(key).unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{key:?}: {err}");
            if key.contains("secret") {
                assert!(!err.to_string().contains("secret"), "{err}");
            }
        }
    }

    #[test]
    fn plain_http_needs_loopback_or_an_explicit_opt_in() {
        let b = || Client::builder().api_key("k");
        assert!(b().base_url("http://127.0.0.1:1234/v2").build().is_ok());
        assert!(b().base_url("http://localhost/v2").build().is_ok());
        let err = b()
            .base_url("http://api.creatoraudit.com/v2")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("unencrypted"), "{err}");
        assert!(
            b().base_url("http://proxy.internal/v2")
                .allow_insecure_http(true)
                .build()
                .is_ok()
        );
        assert!(matches!(
            b().base_url("not a url").build(),
            Err(Error::Config(_))
        ));
    }

    #[test]
    fn zero_durations_are_refused() {
        // A loopback base URL: the refusals must be the settings', also without a TLS feature.
        let b = || {
            Client::builder()
                .api_key("k")
                .base_url("http://127.0.0.1:9/v2")
        };
        assert!(b().build().is_ok());
        let refused = |b: ClientBuilder| match b.build() {
            Err(Error::Config(msg)) => msg,
            other => panic!("expected a configuration error, got {other:?}"),
        };
        for (b, setting) in [
            (
                b().timeout(Duration::ZERO),
                "timeout must be greater than zero",
            ),
            (
                b().connect_timeout(Duration::ZERO),
                "connect_timeout must be greater than zero",
            ),
            (
                b().deadline(Duration::ZERO),
                "deadline must be greater than zero",
            ),
            (
                b().max_body_size(0),
                "max_body_size must be greater than zero",
            ),
            (
                b().user_agent_suffix("tool\n1"),
                "user_agent_suffix contains control",
            ),
        ] {
            let msg = refused(b);
            assert!(msg.starts_with(setting), "{msg}");
        }
    }

    #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
    #[test]
    fn https_without_a_tls_backend_is_a_build_error() {
        let err = Client::new("k").unwrap_err();
        assert!(err.to_string().contains("no TLS backend"), "{err}");
        assert!(err.to_string().contains("`rustls`"), "{err}");
        let local = Client::builder()
            .api_key("k")
            .base_url("http://127.0.0.1:1/v2")
            .build();
        assert!(local.is_ok(), "plain http to a local server needs no TLS");
    }

    #[test]
    fn debug_never_shows_the_key() {
        let key = "ca_live_do_not_print_me";
        let builder = Client::builder()
            .api_key(key)
            .base_url("http://127.0.0.1:1/v2");
        assert!(!format!("{builder:?}").contains(key));
        let client = builder.build().unwrap();
        let shown = format!("{client:?} {client:#?}");
        assert!(!shown.contains(key), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn environment_lookup() {
        use std::ffi::OsString;
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        let err = Client::builder().read_vars(vars(&[])).unwrap_err();
        assert!(
            err.to_string()
                .contains("CREATORAUDIT_API_KEY is not set: set it to your API key"),
            "{err}"
        );
        for empty in ["", "  "] {
            let lookup = move |name: &str| (name == API_KEY_ENV).then(|| OsString::from(empty));
            let err = Client::builder().read_vars(lookup).unwrap_err();
            assert!(
                err.to_string()
                    .contains("CREATORAUDIT_API_KEY is set but empty"),
                "{err}"
            );
        }
        let err = Client::builder().build().unwrap_err();
        for names in [
            ".api_key(..)",
            "Client::from_env()",
            ".read_env()",
            API_KEY_ENV,
        ] {
            assert!(err.to_string().contains(names), "{err}");
        }

        let c = Client::builder()
            .read_vars(vars(&[
                (API_KEY_ENV, "k"),
                (BASE_URL_ENV, "http://127.0.0.1:9/v2/"),
            ]))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(c.base_url(), "http://127.0.0.1:9/v2");
        let b = Client::builder()
            .read_vars(vars(&[(API_KEY_ENV, "k"), (BASE_URL_ENV, "")]))
            .unwrap();
        assert_eq!(b.base_url, None, "an empty variable counts as unset");
        // Explicit settings win over the environment.
        let c = Client::builder()
            .base_url("http://localhost:1/v2")
            .read_vars(vars(&[
                (API_KEY_ENV, "k"),
                (BASE_URL_ENV, "https://other.test/v2"),
            ]))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(c.base_url(), "http://localhost:1/v2");
        let odd = Client::builder().read_vars(vars(&[
            (API_KEY_ENV, r"k\n"),
            (BASE_URL_ENV, "http://127.0.0.1:9/v2"),
        ]));
        assert!(
            odd.unwrap().build().is_ok(),
            "a literal backslash-n is a valid key"
        );
    }

    #[cfg(unix)]
    #[test]
    fn non_unicode_environment_values_are_config_errors() {
        use std::os::unix::ffi::OsStringExt;
        let err = Client::builder()
            .read_vars(|_| Some(std::ffi::OsString::from_vec(vec![0xff, 0xfe])))
            .unwrap_err();
        assert!(err.to_string().contains("not valid Unicode"), "{err}");
    }

    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    #[test]
    fn defaults() {
        let c = Client::new("k").unwrap();
        assert_eq!(c.base_url(), DEFAULT_BASE_URL);
        assert_eq!(c.transport().timeout(), Duration::from_secs(30));
        assert_eq!(c.transport().retry_policy(), RetryPolicy::default());
        assert_eq!(c.rate_limit(), None);
    }
}
