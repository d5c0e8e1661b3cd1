//! Network settings a client is built with: TLS backend, trusted roots, proxy. Plain data;
//! the transport turns it into its HTTP configuration and reports what cannot be used.

/// Which TLS implementation a client uses, when more than one is compiled in.
///
/// Each one is a cargo feature of this crate: `rustls` (the default, pure Rust, with the
/// Mozilla root certificates bundled) and `native-tls` (the operating system's TLS library:
/// OpenSSL on Linux, Secure Transport on macOS, SChannel on Windows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TlsBackend {
    /// rustls (feature `rustls`, on by default).
    Rustls,
    /// The platform's TLS library (feature `native-tls`).
    NativeTls,
}

impl TlsBackend {
    /// The backend used when none is chosen: rustls when compiled in, else native-tls.
    pub(crate) fn default_compiled() -> Option<TlsBackend> {
        if cfg!(feature = "rustls") {
            Some(TlsBackend::Rustls)
        } else if cfg!(feature = "native-tls") {
            Some(TlsBackend::NativeTls)
        } else {
            None
        }
    }

    /// Whether this backend's feature is compiled in.
    pub(crate) fn is_compiled(self) -> bool {
        match self {
            TlsBackend::Rustls => cfg!(feature = "rustls"),
            TlsBackend::NativeTls => cfg!(feature = "native-tls"),
        }
    }

    /// The cargo feature that provides the backend.
    pub(crate) fn feature(self) -> &'static str {
        match self {
            TlsBackend::Rustls => "rustls",
            TlsBackend::NativeTls => "native-tls",
        }
    }
}

/// Which proxy the client goes through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum ProxyChoice {
    /// The environment's: the variable of the base URL's scheme, else `ALL_PROXY`,
    /// honouring `NO_PROXY`; none when they are unset (see `transport/agent.rs`).
    #[default]
    FromEnv,
    /// No proxy, whatever the environment says.
    Off,
    /// This proxy URL.
    Url(String),
}

/// Everything about how a client reaches the API, as the builder collected it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Network {
    pub(crate) backend: Option<TlsBackend>,
    /// PEM documents whose certificates replace the bundled roots.
    pub(crate) root_pems: Vec<Vec<u8>>,
    pub(crate) platform_roots: bool,
    pub(crate) proxy: ProxyChoice,
}
