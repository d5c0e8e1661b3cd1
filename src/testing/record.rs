//! [`RecordedRequest`]: what a client sent to [`MockApi`](super::MockApi) or
//! [`FakeApi`](super::FakeApi).

use serde_json::Value;

use crate::url::parse_query;

/// One request as the kit's servers received it, for assertions on what your code sent.
///
/// The same type for [`MockApi::requests`](super::MockApi::requests) and
/// [`FakeApi::requests`](super::FakeApi::requests), in the order the requests arrived.
///
/// ```
/// # #[cfg(feature = "fake")]
/// # fn main() -> creatoraudit::Result<()> {
/// use creatoraudit::testing::FakeApi;
/// use creatoraudit::{ListAccounts, Platform};
///
/// let fake = FakeApi::start();
/// let first = fake.client().accounts().list(ListAccounts::new().platform(Platform::TikTok)).next();
/// assert!(first.is_some());
///
/// let sent = &fake.requests()[0];
/// assert_eq!((sent.method.as_str(), sent.path.as_str()), ("GET", "/v2/accounts"));
/// assert_eq!(sent.query_param("platform"), Some("tiktok"));
/// assert!(sent.header("accept").is_some_and(|a| a.contains("application/json")));
/// assert!(sent.header("authorization").is_none(), "never recorded");
/// # Ok(()) }
/// # #[cfg(not(feature = "fake"))]
/// # fn main() {}
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The method, upper case: `"GET"`.
    pub method: String,
    /// The path as sent, without the query: `"/v2/accounts"`.
    pub path: String,
    /// The query parameters in the order sent, percent-decoded (`+` read as a space).
    pub query: Vec<(String, String)>,
    /// The body: `None` when the request had none, its JSON when it was JSON, else a JSON
    /// string holding its text.
    pub body: Option<Value>,
    /// The headers in the order sent, names lower case. `Authorization` is never recorded,
    /// so the API key does not end up in test output. (mockito itself, behind
    /// [`MockApi`](super::MockApi), logs every request it receives with its headers at
    /// `debug` level under its own `mockito` target: a test logger that prints debug records
    /// should keep that target at `info`, e.g. `RUST_LOG=debug,mockito=info`.)
    pub headers: Vec<(String, String)>,
}

impl RecordedRequest {
    /// Builds a record from the raw parts of a request. `target` is the path with its query.
    pub(crate) fn from_parts<'a>(
        method: &str,
        target: &str,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        body: &[u8],
    ) -> Self {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        RecordedRequest {
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            query: parse_query(query),
            body: body_value(body),
            headers: headers
                .into_iter()
                .map(|(name, value)| (name.to_ascii_lowercase(), value.to_owned()))
                .filter(|(name, _)| name != "authorization")
                .collect(),
        }
    }

    /// The first value of query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `"GET /v2/accounts"`: method and path, as error messages name a request.
    pub fn endpoint(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// The body as a JSON value: `None` when empty.
fn body_value(body: &[u8]) -> Option<Value> {
    if body.is_empty() {
        return None;
    }
    Some(
        serde_json::from_slice(body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_is_not_recorded() {
        let r = RecordedRequest::from_parts(
            "post",
            "/v2/accounts?x=1",
            [
                ("Authorization", "Bearer secret"),
                ("Content-Type", "application/json"),
            ],
            br#"{"a":1}"#,
        );
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/v2/accounts");
        assert_eq!(
            r.headers,
            [("content-type".to_owned(), "application/json".to_owned())]
        );
        assert_eq!(r.body, Some(serde_json::json!({"a": 1})));
        assert!(!format!("{r:?}").contains("secret"));
    }
}
