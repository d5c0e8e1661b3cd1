//! Entry points for the fuzz targets in `fuzz/`: the crate's private decoders, callable
//! without HTTP.
//!
//! Public only under `--cfg fuzzing` (cargo-fuzz sets it), hidden, and exempt from semver:
//! this module exists for `fuzz/` and may change or go in any release.

use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;

use crate::Result;
use crate::page::Page;
use crate::problem::Problem;
use crate::response::ResponseMeta;
use crate::transport::Reply;

/// Reads an error response body, as the transport does for every non-2xx status.
pub fn problem(status: u16, body: &[u8], header_request_id: Option<&str>) -> Problem {
    Problem::from_body(status, body, header_request_id)
}

/// Decodes a single-resource envelope (`{"data": T}`), as every typed call does.
///
/// # Errors
///
/// [`Error::Decode`](crate::Error::Decode) when the body is not such an envelope.
pub fn envelope<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T> {
    reply(status, body).data().map(|r| r.value)
}

/// Decodes a list page, as the paginator does.
///
/// # Errors
///
/// [`Error::Decode`](crate::Error::Decode) when the body is not a list page.
pub fn page<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<Page<T>> {
    reply(status, body).page()
}

/// Reads a `Retry-After` value (seconds or HTTP-date) relative to `now`.
pub fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    crate::retry::parse_retry_after(value, now)
}

/// Checks a base URL as `ClientBuilder::build` does: the URL it keeps, or the refusal.
///
/// # Errors
///
/// [`Error::Config`](crate::Error::Config) for a URL the client refuses.
pub fn base_url(input: &str) -> Result<String> {
    crate::url::BaseUrl::parse(input).map(|url| url.as_str().to_owned())
}

/// Whether `host` is in the `NO_PROXY` list `list`, as the client reads the environment.
pub fn no_proxy(list: &str, host: &str) -> bool {
    crate::transport::no_proxy_matches(list, host)
}

/// The path a typed call puts an id into (`accounts/{id}`), or the refusal.
///
/// # Errors
///
/// [`Error::InvalidInput`](crate::Error::InvalidInput) for an id that cannot be sent.
pub fn account_path(id: &str) -> Result<String> {
    let call = crate::call::Call::new("GET /accounts/{id}", &[("account_id", id)])?;
    let url = call
        .to_request(&crate::url::BaseUrl::parse("http://h/v2")?)
        .url;
    Ok(url.trim_start_matches("http://h/v2/").to_owned())
}

/// Whether an idempotency key (or an ETag) can be sent as given.
pub fn header_value(value: &str) -> bool {
    crate::params::header_text("fuzz", value).is_ok()
}

fn reply(status: u16, body: &[u8]) -> Reply {
    Reply {
        body: body.to_vec(),
        meta: ResponseMeta {
            status: Some(status),
            attempts: 1,
            ..ResponseMeta::default()
        },
    }
}
