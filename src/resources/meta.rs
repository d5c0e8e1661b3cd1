//! Identity and discovery: `GET /health`, `GET /meta`, `GET /whoami`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::call::Call;
use crate::de::string_or_number;
use crate::response::{Conditional, Response};
use crate::{Client, Result};

/// The identity behind an API key (`GET /whoami`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Whoami {
    /// The organization the key belongs to. Opaque: a UUID on most keys, `org_…` on some.
    pub organization_id: String,
    /// The name the key was given in the dashboard.
    #[serde(default)]
    pub api_key_name: Option<String>,
}

/// The API's discovery document (`GET /meta`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiMeta {
    /// The version, e.g. `v2`.
    #[serde(default)]
    pub api_version: Option<String>,
    /// The version's lifecycle state: `current` for v2.
    #[serde(default)]
    pub status: Option<String>,
    /// Where the hosted docs are.
    #[serde(default)]
    pub docs_url: Option<String>,
    /// Where the OpenAPI document is.
    #[serde(default)]
    pub openapi_url: Option<String>,
    /// The URL of `/whoami`.
    #[serde(default)]
    pub whoami_url: Option<String>,
    /// When the version was deprecated; `None` while it is fully supported. The docs leave
    /// the format open: a date as text, or a number (a Unix time?) as its digits; a value of
    /// another shape reads as `None` rather than failing the call.
    #[serde(default, deserialize_with = "string_or_number")]
    pub deprecation: Option<String>,
    /// When the version stops working; `None` while it is fully supported. Read as
    /// [`deprecation`](Self::deprecation) is.
    #[serde(default, deserialize_with = "string_or_number")]
    pub sunset: Option<String>,
}

impl ApiMeta {
    /// Whether the API reports this version as current and not on a retirement path.
    pub fn is_current(&self) -> bool {
        self.status.as_deref() == Some("current")
            && self.deprecation.is_none()
            && self.sunset.is_none()
    }
}

/// The answer of the liveness probe (`GET /health`).
///
/// The docs do not give the body's shape, so it is kept as it came.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Health {
    /// The HTTP status (2xx: the API is up).
    pub status: u16,
    /// The body: its JSON, a JSON string holding the text of a body that is not JSON, or
    /// `null` when empty.
    pub body: Value,
}

impl Client {
    /// Checks that the API is up (`GET /health`). Sends no API key.
    ///
    /// # Errors
    ///
    /// [`Error::Api`](crate::Error::Api) when the API answers with an error status;
    /// [`Error::Transport`](crate::Error::Transport) when it does not answer.
    pub fn health(&self) -> Result<Health> {
        Ok(self.health_with_meta()?.value)
    }

    /// [`health`](Self::health), with the call's [`ResponseMeta`](crate::ResponseMeta).
    ///
    /// # Errors
    ///
    /// As [`health`](Self::health).
    pub fn health_with_meta(&self) -> Result<Response<Health>> {
        let reply = self.send(&Call::new("GET /health", &[])?.no_auth())?;
        let Response { value: body, meta } = reply.json_or_text();
        let status = meta.status.unwrap_or_default();
        Ok(Response {
            value: Health { status, body },
            meta,
        })
    }

    /// The API's version and lifecycle document (`GET /meta`). Sends no API key.
    ///
    /// # Errors
    ///
    /// The [common failures](crate::Error#common-failures).
    pub fn meta(&self) -> Result<ApiMeta> {
        Ok(self.meta_with_meta()?.value)
    }

    /// [`meta`](Self::meta), with the call's [`ResponseMeta`](crate::ResponseMeta).
    ///
    /// # Errors
    ///
    /// As [`meta`](Self::meta).
    pub fn meta_with_meta(&self) -> Result<Response<ApiMeta>> {
        self.send(&meta_call()?)?.data()
    }

    /// A conditional [`meta`](Self::meta): sends `If-None-Match: etag` (the
    /// [`ResponseMeta::etag`](crate::ResponseMeta::etag) of an earlier answer) and returns
    /// [`Conditional::NotModified`] (no body, no error) when the document has not changed.
    ///
    /// # Errors
    ///
    /// As [`meta`](Self::meta); [`Error::InvalidInput`](crate::Error::InvalidInput)
    /// for an `etag` a header cannot carry as given (empty, padded, not visible ASCII).
    pub fn meta_if_none_match(&self, etag: &str) -> Result<Conditional<ApiMeta>> {
        self.send(&meta_call()?.if_none_match(etag)?)?.conditional()
    }

    /// Who the API key belongs to (`GET /whoami`): the standard way to check a key.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// let client = creatoraudit::Client::from_env()?;
    /// let me = client.whoami()?;
    /// println!("{} ({})", me.organization_id, me.api_key_name.as_deref().unwrap_or("-"));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Api`](crate::Error::Api) with `UNAUTHORIZED` for a bad key or `FORBIDDEN` for
    /// a disabled one; otherwise the [common failures](crate::Error#common-failures).
    pub fn whoami(&self) -> Result<Whoami> {
        Ok(self.whoami_with_meta()?.value)
    }

    /// [`whoami`](Self::whoami), with the call's [`ResponseMeta`](crate::ResponseMeta).
    ///
    /// # Errors
    ///
    /// As [`whoami`](Self::whoami).
    pub fn whoami_with_meta(&self) -> Result<Response<Whoami>> {
        self.send(&whoami_call()?)?.data()
    }

    /// A conditional [`whoami`](Self::whoami): sends `If-None-Match: etag` and returns
    /// [`Conditional::NotModified`] (no body, no error) when the answer has not changed.
    ///
    /// # Errors
    ///
    /// As [`whoami`](Self::whoami); [`Error::InvalidInput`](crate::Error::InvalidInput)
    /// for an `etag` a header cannot carry as given (empty, padded, not visible ASCII).
    pub fn whoami_if_none_match(&self, etag: &str) -> Result<Conditional<Whoami>> {
        self.send(&whoami_call()?.if_none_match(etag)?)?
            .conditional()
    }
}

fn meta_call() -> Result<Call> {
    Ok(Call::new("GET /meta", &[])?.no_auth().cacheable())
}

fn whoami_call() -> Result<Call> {
    Ok(Call::new("GET /whoami", &[])?.cacheable())
}
