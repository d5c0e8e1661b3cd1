//! [`Client`]: the handle every call goes through, and the untyped escape hatch.

use std::fmt;
use std::sync::Arc;

use crate::Result;
use crate::builder::ClientBuilder;
use crate::call::Call;
use crate::curl::Preview;
#[cfg(doc)]
use crate::error::Error;
use crate::response::RateLimit;
use crate::transport::{Reply, Transport};
use crate::url::BaseUrl;

/// A CreatorAudit API client.
///
/// Build one per API key and share it: it is cheap to clone (an `Arc`), `Send + Sync`, and
/// every clone reuses the same connection pool. Its `Debug` output never shows the key.
///
/// ```no_run
/// # fn main() -> creatoraudit::Result<()> {
/// use creatoraudit::{Client, ListAccounts, Platform};
///
/// let client = Client::from_env()?; // CREATORAUDIT_API_KEY
/// println!("calling as {}", client.whoami()?.organization_id);
/// for account in client.accounts().list(ListAccounts::new().platform(Platform::TikTok)) {
///     let account = account?;
///     println!("{} {}", account.username, account.follower_count.unwrap_or(0));
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// Set on the client [`Client::curl_of`] hands its closure: calls are recorded, not sent.
    preview: Option<Arc<Preview>>,
}

struct Inner {
    base_url: BaseUrl,
    transport: Transport,
    batch_concurrency: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("api_key", &"<redacted>")
            .field("transport", &self.inner.transport)
            .finish()
    }
}

impl Client {
    /// A client for the production API with the default settings.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the key is empty or cannot go in an HTTP header.
    pub fn new(api_key: impl Into<String>) -> Result<Client> {
        Client::builder().api_key(api_key).build()
    }

    /// A client configured from the environment: the key from `CREATORAUDIT_API_KEY`
    /// (required), the base URL from `CREATORAUDIT_BASE_URL` (optional; an empty value counts
    /// as unset).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when `CREATORAUDIT_API_KEY` is unset or empty (the message names
    /// it, and says which) or either value is unusable (a base URL without its `/v2` path,
    /// say).
    pub fn from_env() -> Result<Client> {
        Client::builder().read_env()?.build()
    }

    /// A builder, to set more than the key.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// The rate-limit snapshot of the most recent response that carried one, from any clone
    /// of this client. `None` before the first authenticated call.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.inner.transport.last_rate_limit()
    }

    /// Sends a described call: the one road to the wire.
    pub(crate) fn send(&self, call: &Call) -> Result<Reply> {
        let request = call.to_request(&self.inner.base_url);
        if let Some(preview) = &self.preview {
            return Err(preview.capture(request));
        }
        self.inner.transport.send(&request)
    }

    /// A clone of this client whose calls are recorded in `preview` instead of sent.
    pub(crate) fn previewing(&self, preview: Arc<Preview>) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            preview: Some(preview),
        }
    }

    /// Assembles a client from checked parts (see [`ClientBuilder::build`]).
    pub(crate) fn from_parts(
        base_url: BaseUrl,
        transport: Transport,
        batch_concurrency: usize,
    ) -> Client {
        Client {
            inner: Arc::new(Inner {
                base_url,
                transport,
                batch_concurrency,
            }),
            preview: None,
        }
    }

    /// How many chunks of a batch call go at once.
    pub(crate) fn batch_concurrency(&self) -> usize {
        self.inner.batch_concurrency
    }

    #[cfg(all(test, any(feature = "rustls", feature = "native-tls")))]
    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    fn assert_send_sync_clone<T: Send + Sync + Clone + 'static>() {}

    #[test]
    fn client_is_send_sync_and_clone() {
        assert_send_sync_clone::<Client>();
        fn error_is_send_sync<T: Send + Sync + std::error::Error + 'static>() {}
        error_is_send_sync::<Error>();
    }
}
