//! [`Client`]: the handle every call goes through, and the untyped escape hatch.

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;

#[cfg(doc)]
use crate::Error;
use crate::Result;
use crate::builder::ClientBuilder;
use crate::pagination::Paginator;
use crate::response::RateLimit;
use crate::transport::{Method, Reply, Request, Transport};
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
///     println!("{} {:?}", account.username, account.follower_count);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: BaseUrl,
    transport: Transport,
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
    /// [`Error::Config`] when `CREATORAUDIT_API_KEY` is missing (the message names it) or
    /// either value is unusable.
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

    /// Sends any request and returns the whole JSON body, like the Python client's
    /// `request(method, path, params, json)`.
    ///
    /// `path` is relative to the base URL (`"/whoami"` and `"whoami"` are the same) and is
    /// sent as given: encode any ids in it yourself. Query values are percent-encoded. A
    /// POST is retried only if it cannot create twice; use the typed calls for creates with
    /// idempotency keys.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use serde_json::{Value, json};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let overview: Value = client.request("GET", "/overview", &[("period", "30d")], None)?;
    /// let created: Value = client.request(
    ///     "POST",
    ///     "/videos",
    ///     &[],
    ///     Some(&json!({"platform": "tiktok", "identifier": "7301234567890123456"})),
    /// )?;
    /// println!("{}", created["data"]["id"]);
    /// # let _ = overview; Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an unknown method; [`Error::Api`] for an error response;
    /// [`Error::Timeout`] or [`Error::Transport`] when no response came; [`Error::Decode`]
    /// when the body is not the JSON `T` expects.
    pub fn request<T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&serde_json::Value>,
    ) -> Result<T> {
        let method = Method::parse(method)?;
        let mut request = Request::new(method, self.url(path, query));
        if let Some(body) = body {
            request = request.json(body)?;
        }
        Ok(self.send(&request)?.json::<T>()?.into_inner())
    }

    /// Walks any cursor-paginated listing, like the Python client's `paginate`.
    ///
    /// Items are read from each page's `data` array as `T`. The filters in `query` are sent
    /// with every page; `limit` defaults to 200 when `query` does not set it.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// let client = creatoraudit::Client::from_env()?;
    /// for video in client.paginate::<serde_json::Value>("/account-videos", &[]) {
    ///     println!("{}", video?["id"]);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn paginate<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Paginator<T> {
        let mut query = query.to_vec();
        if !query.iter().any(|(k, _)| *k == "limit") {
            query.push(("limit", "200"));
        }
        Paginator::new(self.clone(), self.url(path, &query))
    }

    /// The full URL of `path` with `query`, encoded.
    pub(crate) fn url<K: AsRef<str>, V: AsRef<str>>(&self, path: &str, query: &[(K, V)]) -> String {
        self.inner.base_url.join(path, query)
    }

    /// Sends a described request.
    pub(crate) fn send(&self, request: &Request) -> Result<Reply> {
        self.inner.transport.send(request)
    }

    /// Assembles a client from checked parts (see [`ClientBuilder::build`]).
    pub(crate) fn from_parts(base_url: BaseUrl, transport: Transport) -> Client {
        Client {
            inner: Arc::new(Inner {
                base_url,
                transport,
            }),
        }
    }

    #[cfg(test)]
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
