//! Building the HTTP engine: the ureq agent with its per-phase timeouts, TLS backend and
//! roots, proxy, and the credentials.

use std::net::IpAddr;
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
    /// The base URL's host (without brackets for IPv6): what `NO_PROXY` is matched against.
    pub(crate) host: String,
    /// Whether plain http may cross the network (`ClientBuilder::allow_insecure_http`).
    pub(crate) allow_insecure_http: bool,
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
        let proxy = proxy(&s.network.proxy, &s.host, s.https, s.allow_insecure_http)?;
        let config = builder
            .proxy(proxy.clone())
            .http_status_as_error(false)
            // The API does not redirect; a 3xx from a proxy or a misconfigured base URL is
            // an answer to report, not a place to send the key or a create to.
            .max_redirects(0)
            .user_agent(s.user_agent.clone())
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
            user_agent: s.user_agent,
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

/// Whether `der` has the outer shape of an X.509 certificate: one DER `SEQUENCE` filling it,
/// made of two `SEQUENCE`s (the certificate body, the signature algorithm) and a
/// `BIT STRING` (the signature). Enough to tell a certificate from garbage that happens to be
/// valid base64; the TLS library checks the rest.
#[cfg(any(feature = "rustls", feature = "native-tls"))]
fn looks_like_x509(der: &[u8]) -> bool {
    /// The tag, the content and what follows, of the DER element at the start of `b`.
    fn element(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
        let (&tag, rest) = b.split_first()?;
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 || rest.len() < n {
                return None;
            }
            let len = rest[..n]
                .iter()
                .fold(0usize, |acc, &x| acc << 8 | usize::from(x));
            (len, &rest[n..])
        };
        (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
    }
    let Some((0x30, body, [])) = element(der) else {
        return false;
    };
    let Some((0x30, _, rest)) = element(body) else {
        return false;
    };
    let Some((0x30, _, rest)) = element(rest) else {
        return false;
    };
    matches!(element(rest), Some((0x03, _, [])))
}

/// The proxy to use for `host`, or `None`: the explicit one, or the environment's.
///
/// From the environment, the variable for the base URL's scheme wins over `ALL_PROXY`
/// (`https_proxy`/`HTTPS_PROXY`, or `http_proxy`/`HTTP_PROXY` for plain http; the lowercase
/// form first), and a host matched by `NO_PROXY` is reached directly, as is a loopback base
/// URL when the proxy is not on this machine too.
///
/// # Errors
///
/// [`Error::Config`] when the proxy URL does not parse, is a SOCKS proxy (this build speaks
/// only HTTP to proxies: the HTTP layer would panic on the first request), or would see the
/// API key in the clear (plain http through a proxy that is not on this machine) without
/// `allow_insecure_http`. Messages name the setting or the variable, never the URL, which
/// may carry a password.
fn proxy(
    choice: &ProxyChoice,
    host: &str,
    https: bool,
    allow_insecure_http: bool,
) -> Result<Option<ureq::Proxy>> {
    let (url, source) = match choice {
        ProxyChoice::Off => return Ok(None),
        ProxyChoice::Url(url) => (url.clone(), "the proxy URL".to_owned()),
        ProxyChoice::FromEnv => match env_proxy(https, host) {
            Some((var, url)) => (url, var.to_owned()),
            None => return Ok(None),
        },
    };
    let proxy = ureq::Proxy::new(&url).map_err(|e| {
        Error::Config(format!(
            "{source} does not parse ({e}); expected e.g. http://proxy.example:3128"
        ))
    })?;
    let from_env = matches!(choice, ProxyChoice::FromEnv);
    let local = |h: &str| crate::url::is_loopback(h);
    if from_env && local(host) && !local(proxy.host()) {
        // This machine through a proxy elsewhere would reach the proxy's own localhost:
        // the environment's proxy is for the network, so a local base URL goes direct.
        return Ok(None);
    }
    if !matches!(
        proxy.protocol(),
        ureq::ProxyProtocol::Http | ureq::ProxyProtocol::Https
    ) {
        return Err(Error::Config(format!(
            "{source} is a SOCKS proxy, which creatoraudit cannot use: give an http:// proxy, \
             or connect directly with no_proxy()"
        )));
    }
    if !https && !allow_insecure_http && !crate::url::is_loopback(proxy.host()) {
        return Err(Error::Config(format!(
            "{source} is not on this machine, and the base URL is plain http: the API key \
             would cross the network unencrypted; use https, no_proxy(), or \
             allow_insecure_http(true)"
        )));
    }
    Ok(Some(proxy))
}

/// The proxy the environment names for a request to `host`: the variable's name and value.
fn env_proxy(https: bool, host: &str) -> Option<(&'static str, String)> {
    let vars: [&'static str; 4] = if https {
        ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
    } else {
        ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]
    };
    let (var, url) = vars.into_iter().find_map(|var| {
        let value = std::env::var(var).ok()?;
        (!value.trim().is_empty()).then(|| (var, value.trim().to_owned()))
    })?;
    let no_proxy = ["no_proxy", "NO_PROXY"]
        .into_iter()
        .find_map(|var| std::env::var(var).ok())
        .unwrap_or_default();
    (!no_proxy_matches(&no_proxy, host)).then_some((var, url))
}

/// Whether `host` is in a `NO_PROXY` list of comma-separated entries (trimmed; `*` for every
/// host). A name matches itself and its subdomains (`example.com`, `.example.com`,
/// `*.example.com`); an address matches itself, a CIDR range (`10.0.0.0/8`, `fd00::/8`) or,
/// for IPv4, a prefix of whole parts (`192.168.`, `10.*`). A port or IPv6 brackets in an
/// entry are ignored.
pub(crate) fn no_proxy_matches(list: &str, host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let ip = host.parse::<IpAddr>().ok();
    list.split(',').map(str::trim).any(|entry| {
        if entry == "*" {
            return true;
        }
        // `[::1]:8080`, `[::1]`, `host:8080`: the name or address alone.
        let entry = match entry.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None if entry.matches(':').count() == 1 => entry.split(':').next().unwrap_or_default(),
            None => entry,
        };
        if entry.is_empty() {
            return false;
        }
        match ip {
            Some(ip) => ip_matches(entry, ip),
            None => {
                let entry = entry.trim_start_matches("*.").trim_start_matches('.');
                let entry = entry.trim_end_matches('.').to_ascii_lowercase();
                !entry.is_empty()
                    && (host == entry
                        || host
                            .strip_suffix(&entry)
                            .is_some_and(|rest| rest.ends_with('.')))
            }
        }
    })
}

/// Whether the address `ip` is the `NO_PROXY` entry: the same address, in its CIDR range, or
/// (IPv4) under its prefix of whole parts.
fn ip_matches(entry: &str, ip: IpAddr) -> bool {
    if let Some((net, bits)) = entry.split_once('/') {
        let (Ok(net), Ok(bits)) = (net.parse::<IpAddr>(), bits.parse::<u32>()) else {
            return false;
        };
        return match (net, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) if bits <= 32 => {
                let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) if bits <= 128 => {
                let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        };
    }
    if let Ok(exact) = entry.parse::<IpAddr>() {
        return exact == ip;
    }
    // `192.168.` or `192.168.*`: the leading parts of an IPv4 address.
    let prefix = entry.trim_end_matches('*');
    match ip {
        IpAddr::V4(v4) if prefix.ends_with('.') && prefix.len() > 1 => {
            v4.to_string().starts_with(prefix)
        }
        _ => false,
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
                    Ok(PemItem::Certificate(cert)) if looks_like_x509(cert.der()) => {
                        certs.push(cert);
                    }
                    Ok(PemItem::Certificate(_)) => {
                        // The TLS library would drop it without a word, leaving no roots.
                        return Err(Error::Config(
                            "root certificate PEM holds a CERTIFICATE block that is not an \
                             X.509 certificate"
                                .into(),
                        ));
                    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    fn only_the_shape_of_a_certificate_passes_for_one() {
        // SEQUENCE { SEQUENCE {}, SEQUENCE {}, BIT STRING { 0 } }
        assert!(looks_like_x509(&[
            0x30, 0x07, 0x30, 0x00, 0x30, 0x00, 0x03, 0x01, 0x00
        ]));
        for bad in [
            &[0x00, 0x00, 0x00][..],                     // "AAAA" in base64
            &[0x30, 0x05, 0x30, 0x00, 0x30, 0x00, 0x03], // cut short
            &[0x30, 0x04, 0x30, 0x00, 0x30, 0x00, 0x00], // no signature
            &[0x30, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00], // a length of 5 bytes
            &[],
        ] {
            assert!(!looks_like_x509(bad), "{bad:?}");
        }
    }

    #[test]
    fn no_proxy_lists_match_names_suffixes_and_addresses() {
        let list = "x.invalid, 127.0.0.1 ,.corp.example,*.svc, [::1]:8080, db:5432";
        for host in [
            "127.0.0.1",
            "api.corp.example",
            "corp.example",
            "a.b.svc",
            "::1",
            "db",
            "X.INVALID.",
        ] {
            assert!(no_proxy_matches(list, host), "{host}");
        }
        for host in [
            "127.0.0.2",
            "evilcorp.example",
            "svc.evil",
            "api.creatoraudit.com",
            "::2",
        ] {
            assert!(!no_proxy_matches(list, host), "{host}");
        }
        // Addresses: exact, CIDR, IPv4 prefixes; never a suffix of another address.
        let ips = "0.0.1, 10.0.0.0/8, 192.168., 172.16.*, fd00::/8";
        for host in ["10.1.2.3", "192.168.1.5", "172.16.0.9", "fd12::1", "0.0.1"] {
            assert!(no_proxy_matches(ips, host), "{host}");
        }
        for host in [
            "127.0.0.1",
            "11.0.0.1",
            "192.169.0.1",
            "172.160.0.1",
            "fe80::1",
        ] {
            assert!(!no_proxy_matches(ips, host), "{host}");
        }
        assert!(no_proxy_matches("0.0.0.0/0", "8.8.8.8"));
        assert!(!no_proxy_matches("10.0.0.0/33, 10.0.0.0/x", "10.0.0.1"));
        assert!(no_proxy_matches("*", "anything"));
        assert!(!no_proxy_matches("", "anything"));
        assert!(!no_proxy_matches(" , ", "anything"));
    }
}
