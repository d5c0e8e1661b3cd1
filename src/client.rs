//! [`Client`]: the handle every call goes through (the untyped escape hatch, `request` and
//! `paginate`, is in `resources/untyped.rs`).

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use crate::builder::ClientBuilder;
use crate::call::Call;
use crate::etag_cache::EtagCache;
use crate::response::{RateLimit, ResponseMeta};
use crate::transport::{Reply, Request, Transport};
use crate::url::BaseUrl;
use crate::{Error, Result};

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
    /// The opt-in ETag cache (`ClientBuilder::etag_cache`).
    etag_cache: Option<EtagCache>,
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
    /// [`Error::Config`] when the key is empty or cannot go in an HTTP header, or (in a build
    /// without a TLS backend) for the default `https://` base URL.
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
    /// of this client; a late answer from an earlier window (a slow request's) does not
    /// replace a newer window's. `None` before the first authenticated call.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.inner.transport.last_rate_limit()
    }

    /// Sends a described call: the one road to the wire.
    ///
    /// With an ETag cache, a cacheable call sends the `ETag` stored for its URL as
    /// `If-None-Match`; on the server's `304` the reply carries the stored body (and the
    /// `304`'s own metadata), and a new `2xx` replaces what is stored. No lock is held while
    /// the request is on the wire.
    pub(crate) fn send(&self, call: &Call) -> Result<Reply> {
        let mut req = call.to_request(&self.inner.base_url);
        if let Some(preview) = &self.preview {
            // A preview shows the call as described, without what a cache would add.
            return Err(preview.capture(req));
        }
        let cache = match &self.inner.etag_cache {
            Some(cache) if call.is_cacheable() => cache,
            _ => return self.inner.transport.send(&req),
        };
        // Only `GET`s are cacheable: the URL alone is the key.
        let stored = cache.get(&req.url).map(|(etag, body)| {
            req.if_none_match = Some(etag);
            body
        });
        let mut reply = self.inner.transport.send(&req)?;
        match (reply.meta.status, stored) {
            (Some(304), Some(body)) => reply.body = body.to_vec(),
            (Some(200..=299), _) => match &reply.meta.etag {
                Some(etag) => cache.put(&req.url, etag, &reply.body),
                None => cache.remove(&req.url),
            },
            _ => {}
        }
        Ok(reply)
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
        etag_cache: Option<EtagCache>,
    ) -> Client {
        Client {
            inner: Arc::new(Inner {
                base_url,
                transport,
                batch_concurrency,
                etag_cache,
            }),
            preview: None,
        }
    }

    /// Waits `wait` between poll `poll` of `endpoint` and the next (through the test sleeper,
    /// or on the cancel token), with a log record; returns whether the client's token is (or
    /// got) cancelled.
    pub(crate) fn pause(&self, endpoint: &str, wait: std::time::Duration, poll: u32) -> bool {
        crate::log::poll_wait(endpoint, wait, poll);
        self.inner.transport.pause(wait)
    }

    /// The `User-Agent` the client sends.
    pub(crate) fn user_agent(&self) -> &str {
        self.inner.transport.user_agent()
    }

    /// How many chunks of a batch call go at once.
    pub(crate) fn batch_concurrency(&self) -> usize {
        if self.preview.is_some() {
            // A preview shows the first chunk: the chunks go one by one, and the first is
            // the one recorded.
            return 1;
        }
        self.inner.batch_concurrency
    }

    #[cfg(test)]
    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }
}

/// Where a previewing client (see `curl.rs`) records the first request it would have sent.
#[derive(Debug, Default)]
pub(crate) struct Preview {
    first: Mutex<Option<Request>>,
}

impl Preview {
    /// Records `request` (the first one only) and returns the error that stops the caller:
    /// the call was not sent, as if cancelled before it went.
    pub(crate) fn capture(&self, request: Request) -> Error {
        let meta = ResponseMeta {
            endpoint: request.endpoint.clone(),
            ..ResponseMeta::default()
        };
        let mut first = self.first.lock().unwrap_or_else(PoisonError::into_inner);
        if first.is_none() {
            *first = Some(request);
        }
        Error::Cancelled(Box::new(meta))
    }

    /// The request recorded, if any (taken out).
    pub(crate) fn take(&self) -> Option<Request> {
        self.first
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync_clone<T: Send + Sync + Clone + 'static>() {}

    #[test]
    fn client_is_send_sync_and_clone() {
        assert_send_sync_clone::<Client>();
        fn error_is_send_sync<T: Send + Sync + std::error::Error + 'static>() {}
        error_is_send_sync::<Error>();
    }

    #[test]
    fn a_preview_sends_batch_chunks_one_by_one_so_the_first_is_recorded() {
        let client = Client::builder()
            .api_key("k")
            .base_url("http://127.0.0.1:9/v2") // also without a TLS feature
            .batch_concurrency(4)
            .build()
            .unwrap();
        assert_eq!(client.batch_concurrency(), 4);
        let preview = client.previewing(Arc::new(Preview::default()));
        assert_eq!(preview.batch_concurrency(), 1);
    }
}
