//! The one road to the wire: every typed method, [`Client::request`](crate::Client::request)
//! and every page of a walk is described as a [`Call`], sent by
//! [`Client::send`](crate::Client::send), and its [`Reply`] decoded here.
//!
//! A call is named by its endpoint, `"GET /accounts/{id}"`: the method and the path template
//! as the API docs write them. The template's `{placeholders}` are filled, in order, with the
//! call's ids (each checked and percent-encoded), so the template is what errors and logs
//! show (it groups well and carries no data) and the filled path is what goes on the wire.

use std::borrow::Cow;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::DecodeError;
use crate::page::Page;
use crate::params::{Query, at_most_chars, header_text, non_blank};
use crate::response::{Conditional, Response};
use crate::text::snippet;
use crate::transport::{Method, Reply, Request};
use crate::url::{BaseUrl, hex, push_encoded};
use crate::{Error, Result, random};

/// A call, described: the endpoint, its filled path and query, its body, and what makes it
/// safe to send more than once.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    endpoint: Cow<'static, str>,
    method: Method,
    /// The filled, encoded path relative to the base URL, without a leading slash.
    path: String,
    query: Query,
    body: Option<Vec<u8>>,
    auth: bool,
    idempotency_key: Option<String>,
    if_none_match: Option<String>,
    read_only: bool,
    /// A single-document `GET` the client's ETag cache may serve.
    cacheable: bool,
    /// The most this call may wait (see [`max_wait`](Self::max_wait)).
    max_wait: Option<Duration>,
}

/// The longest idempotency key sent: the API documents none, and proxies and servers refuse
/// headers of several kilobytes with an unexplained `431`; a UUID is 36.
const MAX_IDEMPOTENCY_KEY_LEN: usize = 1024;

impl Call {
    /// A typed call: `endpoint` is `"METHOD /template"` and `ids` fill its `{placeholders}` in
    /// order, each as `(field, value)` so that an empty one is refused by name.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id, or one that is `.` or `..` (see [`path_id`]).
    pub(crate) fn new(endpoint: &'static str, ids: &[(&str, &str)]) -> Result<Call> {
        let (method, template) = endpoint
            .split_once(' ')
            .expect("an endpoint is `METHOD /path`");
        let method = Method::parse(method).expect("an endpoint's method is known");
        let mut path = String::with_capacity(template.len() + 40);
        let mut ids = ids.iter();
        for (i, part) in template.trim_start_matches('/').split('/').enumerate() {
            if i > 0 {
                path.push('/');
            }
            if part.starts_with('{') {
                let (field, id) = ids.next().expect("one id per placeholder");
                path_id(field, id)?;
                push_encoded(&mut path, id);
            } else {
                path.push_str(part);
            }
        }
        debug_assert!(
            ids.next().is_none(),
            "more ids than placeholders in {endpoint}"
        );
        Ok(Call::with_path(Cow::Borrowed(endpoint), method, path))
    }

    /// An untyped call: the caller's method and path, sent as given.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a method the API does not use, or a path a URL cannot
    /// carry as given (see [`check_raw_path`](Self::check_raw_path)).
    pub(crate) fn raw(method: &str, path: &str) -> Result<Call> {
        let method = Method::parse(method)?;
        Call::check_raw_path(path)?;
        Ok(Call::raw_with(method, path))
    }

    /// Checks that a caller's path (with a query written into it, if any) can go in a URL as
    /// given: no space, control character, non-ASCII, `#` or stray `%` the caller forgot to
    /// encode.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming the path.
    pub(crate) fn check_raw_path(path: &str) -> Result<()> {
        let named = path.split(['?', '#']).next().unwrap_or_default();
        let refuse = |why: &str| {
            Error::InvalidInput(format!(
                "path {named:?} cannot go in a URL as given ({why}): percent-encode it"
            ))
        };
        if !path.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(refuse("a space, a control character or non-ASCII"));
        }
        if path.contains('#') {
            // The HTTP layer would cut it there, with the query the SDK adds after it.
            return Err(refuse("a `#` starts a fragment, which is not sent"));
        }
        let bytes = path.as_bytes();
        let digit = |i: usize| bytes.get(i).copied().and_then(hex).is_some();
        let stray = bytes
            .iter()
            .enumerate()
            .any(|(i, &b)| b == b'%' && !(digit(i + 1) && digit(i + 2)));
        if stray {
            return Err(refuse("a `%` that is not followed by two hex digits"));
        }
        crate::transport::check_uri(&format!("http://h/{}", path.trim_start_matches('/')))
            .map_err(|why| refuse(&why))
    }

    /// An untyped `GET` of the caller's path, as given.
    pub(crate) fn raw_get(path: &str) -> Call {
        Call::raw_with(Method::Get, path)
    }

    fn raw_with(method: Method, path: &str) -> Call {
        let path = path.trim_start_matches('/');
        // Errors and logs name the path, never a query written into it.
        let named = path.split(['?', '#']).next().unwrap_or_default();
        let endpoint = format!("{} /{named}", method.as_str());
        Call::with_path(Cow::Owned(endpoint), method, path.to_owned())
    }

    fn with_path(endpoint: Cow<'static, str>, method: Method, path: String) -> Call {
        Call {
            endpoint,
            method,
            path,
            query: Query::new(),
            body: None,
            auth: true,
            idempotency_key: None,
            if_none_match: None,
            read_only: false,
            cacheable: false,
            max_wait: None,
        }
    }

    /// The endpoint, e.g. `"GET /accounts/{id}"`.
    pub(crate) fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Sends these query parameters.
    pub(crate) fn query(mut self, query: Query) -> Call {
        self.query = query;
        self
    }

    /// The query.
    pub(crate) fn query_ref(&self) -> &Query {
        &self.query
    }

    /// The query, to change a parameter between the pages of a walk.
    pub(crate) fn query_mut(&mut self) -> &mut Query {
        &mut self.query
    }

    /// Sends `body` as JSON.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the value cannot be serialized to JSON.
    pub(crate) fn json(mut self, body: &impl Serialize) -> Result<Call> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::InvalidInput(format!("request body: {e}")))?;
        self.body = Some(bytes);
        Ok(self)
    }

    /// A create (`POST /accounts`, `/videos`, `/creators`): `body` as JSON, with an
    /// [`Idempotency-Key`](Self::idempotency_key) (the caller's, or a fresh one).
    ///
    /// # Errors
    ///
    /// As [`json`](Self::json); [`Error::InvalidInput`] for a key a header cannot carry as
    /// given (see [`header_text`]).
    pub(crate) fn create(
        endpoint: &'static str,
        body: &impl Serialize,
        key: Option<&str>,
    ) -> Result<Call> {
        if let Some(key) = key {
            header_text("idempotency_key", key)?;
            at_most_chars("idempotency_key", key, MAX_IDEMPOTENCY_KEY_LEN)?;
        }
        Ok(Call::new(endpoint, &[])?.json(body)?.idempotency_key(key))
    }

    /// Sends `Idempotency-Key`, the caller's or a fresh random one, the same on every attempt:
    /// the create becomes safe to retry.
    pub(crate) fn idempotency_key(mut self, key: Option<&str>) -> Call {
        self.idempotency_key = Some(key.map_or_else(random::uuid_v4, str::to_owned));
        self
    }

    /// Marks a POST that changes nothing on the server (the batch metrics), so it may be
    /// retried like a GET.
    pub(crate) fn read_only(mut self) -> Call {
        self.read_only = true;
        self
    }

    /// Sends no `Authorization` header (`/health`, `/meta`).
    pub(crate) fn no_auth(mut self) -> Call {
        self.auth = false;
        self
    }

    /// Sends `If-None-Match`: a `304` becomes a success without a body.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an ETag a header cannot carry as given (see
    /// [`header_text`]).
    pub(crate) fn if_none_match(mut self, etag: &str) -> Result<Call> {
        header_text("etag", etag)?;
        self.if_none_match = Some(etag.to_owned());
        Ok(self)
    }

    /// Bounds the time this call may take before each retry or pacing wait (its attempts'
    /// time on the wire and its waits), besides the client's deadline: for a call made
    /// within a larger time budget. Its first attempt goes, unless the spent rate-limit
    /// budget would hold it longer than what is left (it is then refused unsent); a retry
    /// whose wait does not fit in what is left is not made.
    pub(crate) fn max_wait(mut self, budget: Duration) -> Call {
        self.max_wait = Some(budget);
        self
    }

    /// Marks a `GET` of one document, which the client's ETag cache (when it has one) may
    /// answer from a stored body after the server's `304`.
    pub(crate) fn cacheable(mut self) -> Call {
        self.cacheable = self.method == Method::Get;
        self
    }

    /// Whether the client's ETag cache handles this call: a cacheable `GET` that does not
    /// carry the caller's own `If-None-Match`.
    pub(crate) fn is_cacheable(&self) -> bool {
        self.cacheable && self.if_none_match.is_none()
    }

    /// The request the transport sends, with the URL under `base`.
    pub(crate) fn to_request(&self, base: &BaseUrl) -> Request {
        Request {
            endpoint: self.endpoint.clone(),
            method: self.method,
            url: base.join(&self.path, self.query.pairs()),
            body: self.body.clone(),
            auth: self.auth,
            idempotency_key: self.idempotency_key.clone(),
            if_none_match: self.if_none_match.clone(),
            read_only: self.read_only,
            max_wait: self.max_wait,
        }
    }
}

/// Decoding: the one place a reply's body becomes a value.
impl Reply {
    /// Whether this is a `304 Not Modified` (it has no body).
    pub(crate) fn is_not_modified(&self) -> bool {
        self.meta.status == Some(304)
    }

    /// Decodes the whole body.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the body is not the JSON `T` expects.
    pub(crate) fn json<T: DeserializeOwned>(self) -> Result<Response<T>> {
        match serde_json::from_slice(&self.body) {
            Ok(value) => Ok(Response {
                value,
                meta: self.meta,
            }),
            Err(source) => Err(Error::Decode(Box::new(DecodeError {
                snippet: snippet(&self.body),
                source,
                meta: self.meta,
            }))),
        }
    }

    /// Decodes a single-resource envelope, `{"data": T}`.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the body is not such an envelope.
    pub(crate) fn data<T: DeserializeOwned>(self) -> Result<Response<T>> {
        #[derive(serde::Deserialize)]
        struct Envelope<T> {
            data: T,
        }
        Ok(self.json::<Envelope<T>>()?.map(|e| e.data))
    }

    /// The body as JSON, `null` when it is empty (or only white space): for endpoints whose
    /// success body the docs leave open.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when a non-empty body is not JSON.
    pub(crate) fn json_or_null(self) -> Result<Response<Value>> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Response {
                value: Value::Null,
                meta: self.meta,
            });
        }
        self.json()
    }

    /// The body as JSON, `null` when it is empty, and a JSON string holding the text of a
    /// body that is not JSON: for an answer whose shape the docs do not give at all.
    pub(crate) fn json_or_text(self) -> Response<Value> {
        let value = if self.body.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            serde_json::from_slice(&self.body)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&self.body).into_owned()))
        };
        Response {
            value,
            meta: self.meta,
        }
    }

    /// Decodes `{"data": T}`, or reports a `304` to a conditional read as such.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when a `2xx` body is not such an envelope.
    pub(crate) fn conditional<T: DeserializeOwned>(self) -> Result<Conditional<T>> {
        self.conditional_with(Reply::data)
    }

    /// Decodes a `2xx` with `decode` (the call's own decoder), or reports a `304` to a
    /// conditional read as such: every `*_if_none_match` ends here.
    ///
    /// # Errors
    ///
    /// What `decode` returns.
    pub(crate) fn conditional_with<T>(
        self,
        decode: impl FnOnce(Reply) -> Result<Response<T>>,
    ) -> Result<Conditional<T>> {
        if self.is_not_modified() {
            return Ok(Conditional::NotModified { meta: self.meta });
        }
        let Response { value, meta } = decode(self)?;
        Ok(Conditional::Modified { value, meta })
    }

    /// Decodes a list page: `{"data": [T], "pagination": {..}, "filters": {..}}`.
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the body is not a list page.
    pub(crate) fn page<T: DeserializeOwned>(self) -> Result<Page<T>> {
        #[derive(serde::Deserialize)]
        struct Listing<T> {
            data: Vec<T>,
            pagination: PageInfo,
            #[serde(default, deserialize_with = "crate::de::null_as_default")]
            filters: Map<String, Value>,
        }
        #[derive(serde::Deserialize)]
        struct PageInfo {
            #[serde(default)]
            next_cursor: Option<String>,
            has_next: bool,
            #[serde(default)]
            limit: u32,
            #[serde(default)]
            total_count: Option<u64>,
        }
        let Response { value, meta } = self.json::<Listing<T>>()?;
        Ok(Page {
            items: value.data,
            next_cursor: value.pagination.next_cursor,
            has_next: value.pagination.has_next,
            limit: value.pagination.limit,
            total_count: value.pagination.total_count,
            filters: value.filters,
            meta,
        })
    }
}

/// Checks an id that fills a path segment: not empty, and not `.` or `..`. Percent-encoding
/// leaves dots as they are, and a server or proxy that normalizes the path would turn
/// `DELETE /creators/c1/accounts/..` into `DELETE /creators/c1`: another call.
fn path_id(field: &str, id: &str) -> Result<()> {
    non_blank(field, id)?;
    if id == "." || id == ".." {
        return Err(Error::InvalidInput(format!(
            "{field}: {id:?} is not an id (a path would read it as a directory step)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(call: &Call) -> String {
        call.to_request(&BaseUrl::parse("https://x.test/v2").unwrap())
            .url
    }

    #[test]
    fn templates_are_filled_in_order_and_encoded() {
        let call = Call::new(
            "PUT /creators/{id}/accounts/{account_id}",
            &[("creator_id", "a/../b"), ("account_id", "c d")],
        )
        .unwrap();
        assert_eq!(call.endpoint(), "PUT /creators/{id}/accounts/{account_id}");
        assert_eq!(
            url(&call),
            "https://x.test/v2/creators/a%2F..%2Fb/accounts/c%20d"
        );
        let e = Call::new("GET /accounts/{id}", &[("account_id", " ")]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid argument: account_id: must not be empty"
        );
    }

    #[test]
    fn raw_calls_keep_the_callers_path_and_name_it() {
        let call = Call::raw("post", "/videos").unwrap();
        assert_eq!(call.endpoint(), "POST /videos");
        let search = Call::raw("GET", "/search?q=secret+name").unwrap();
        assert_eq!(
            search.endpoint(),
            "GET /search",
            "no query value in the name"
        );
        assert_eq!(url(&search), "https://x.test/v2/search?q=secret+name");
        assert_eq!(url(&call), "https://x.test/v2/videos");
        assert!(Call::raw("TRACE", "/x").is_err());
    }
}
