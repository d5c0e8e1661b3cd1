//! Building the HTTP engine: the ureq agent with its per-phase timeouts, TLS backend and
//! roots, proxy, and the credentials.

use std::sync::Mutex;
use std::time::Duration;

use ureq::http::HeaderValue;

use crate::cancel::CancelToken;
use crate::network::{Network, ProxyChoice, TlsBackend};
use crate::pacing::Pacer;
use crate::retry::RetryPolicy;
use crate::{Error, Result};

use super::{ACCEPT, Sleeper, Transport, check_api_key};

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
        RootCerts::Specific(std::sync::Arc::new(certs))
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
