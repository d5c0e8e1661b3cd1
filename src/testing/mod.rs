//! A test kit for code that uses this crate (feature `testing`).
//!
//! [`MockApi`] is a local [`mockito`] server that answers like the CreatorAudit API, with a
//! [`Client`] pointed at it whose retries never sleep; [`fixtures`] builds realistic response
//! bodies for every resource and for problem documents. Together they let you test your own
//! tool, offline, in a few lines:
//!
//! ```
//! use creatoraudit::testing::{MockApi, fixtures};
//! use creatoraudit::{ErrorCode, ListAccounts};
//!
//! let mut api = MockApi::start();
//! api.mock_list(
//!     "/accounts",
//!     (0..450).map(|i| fixtures::account(&format!("id-{i}"), &format!("user{i}"))).collect(),
//!     200,
//! );
//! api.mock_error("GET", "/accounts/gone", 404, ErrorCode::NotFound, "Account not found.");
//!
//! let client = api.client();
//! assert_eq!(client.accounts().list(ListAccounts::new()).count(), 450); // three pages
//! assert!(client.accounts().get("gone").unwrap_err().is_not_found());
//! ```
//!
//! For anything else, [`MockApi::server`] gives the underlying [`mockito::ServerGuard`]; note
//! that paths there include the `/v2` prefix.

pub mod fixtures;

use mockito::{Matcher, Mock, ServerGuard};
use serde_json::{Value, json};

use crate::{Client, ClientBuilder, ErrorCode};

/// The API key [`MockApi::client`] sends.
pub const TEST_API_KEY: &str = "ca_test_0000000000000000";

/// A local mock of the CreatorAudit API.
///
/// Paths given to its methods are relative to the base URL, as in the API docs
/// (`"/accounts"`), and match whatever query the client sends unless a method says
/// otherwise. Each `mock_*` method returns the [`mockito::Mock`]s it created, so a test can
/// `assert()` how often they were hit.
pub struct MockApi {
    server: ServerGuard,
}

impl std::fmt::Debug for MockApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockApi")
            .field("base_url", &self.base_url())
            .finish()
    }
}

impl MockApi {
    /// Starts a server on a free loopback port.
    pub fn start() -> Self {
        MockApi {
            server: mockito::Server::new(),
        }
    }

    /// The base URL to give a client: `http://127.0.0.1:PORT/v2`.
    pub fn base_url(&self) -> String {
        format!("{}/v2", self.server.url())
    }

    /// A builder already pointed at this server, with [`TEST_API_KEY`] and retries that do
    /// not wait (they still happen, and are still counted in the response metadata).
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .api_key(TEST_API_KEY)
            .base_url(self.base_url())
            .no_proxy()
            .retry_sleeper(|_| {})
    }

    /// A client for this server; see [`client_builder`](Self::client_builder).
    ///
    /// # Panics
    ///
    /// Never in practice: the settings are fixed and valid.
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("the test client's settings are valid")
    }

    /// The underlying mockito server, for mocks this kit does not cover. Its paths include
    /// the `/v2` prefix.
    pub fn server(&mut self) -> &mut ServerGuard {
        &mut self.server
    }

    /// Answers `method path` with `200` and `{"data": data}` (the single-resource envelope).
    pub fn mock_data(&mut self, method: &str, path: &str, data: Value) -> Mock {
        self.mock_json(method, path, 200, &json!({ "data": data }))
    }

    /// Answers `method path` with `status` and `body` as JSON, plus a request id and
    /// rate-limit headers like the API's.
    pub fn mock_json(&mut self, method: &str, path: &str, status: u16, body: &Value) -> Mock {
        self.json_response(method, path, status, body).create()
    }

    /// The mock [`mock_json`](Self::mock_json) creates, not created yet.
    fn json_response(&mut self, method: &str, path: &str, status: u16, body: &Value) -> Mock {
        self.endpoint(method, path)
            .with_status(usize::from(status))
            .with_header("content-type", "application/json")
            .with_header("x-request-id", "req_test")
            .with_header("x-ratelimit-limit", "600")
            .with_header("x-ratelimit-remaining", "599")
            .with_header("x-ratelimit-reset", "1893456000")
            .with_body(body.to_string())
    }

    /// Serves `items` as a cursor-paginated listing at `GET path`, `page_size` per page
    /// (at least one page, even when `items` is empty). The first page answers a request
    /// without `cursor`; page *n* answers `cursor=page-n`. Any other query is accepted.
    ///
    /// Returns one mock per page, in order; each expects exactly one hit.
    pub fn mock_list(&mut self, path: &str, items: Vec<Value>, page_size: usize) -> Vec<Mock> {
        let page_size = page_size.max(1);
        let chunks: Vec<&[Value]> = if items.is_empty() {
            vec![&[]]
        } else {
            items.chunks(page_size).collect()
        };
        let pages = chunks.len();
        let mut mocks = Vec::with_capacity(pages);
        for (i, chunk) in chunks.into_iter().enumerate() {
            let next = (i + 1 < pages).then(|| format!("page-{}", i + 2));
            let body = fixtures::page(chunk.to_vec(), next.as_deref());
            let mock = self.server.mock("GET", api_path(path).as_str());
            let mock = if i == 0 {
                mock.match_query(Matcher::Any)
                    .match_request(|req| !has_cursor(req.path_and_query()))
            } else {
                mock.match_query(Matcher::UrlEncoded(
                    "cursor".into(),
                    format!("page-{}", i + 1),
                ))
            };
            mocks.push(
                mock.with_header("content-type", "application/json")
                    .with_header("x-request-id", &format!("req_page_{}", i + 1))
                    .with_body(body.to_string())
                    .expect(1)
                    .create(),
            );
        }
        mocks
    }

    /// Answers `method path` with a problem document: `status`, `code`, `detail`.
    pub fn mock_error(
        &mut self,
        method: &str,
        path: &str,
        status: u16,
        code: ErrorCode,
        detail: &str,
    ) -> Mock {
        let body = fixtures::problem(status, code, detail);
        self.endpoint(method, path)
            .with_status(usize::from(status))
            .with_header("content-type", "application/problem+json")
            .with_header("x-request-id", "req_test_error")
            .with_body(body.to_string())
            .create()
    }

    /// Answers `method path` first with `429 RATE_LIMITED` and `Retry-After:
    /// retry_after_secs`, then with `200` and `{"data": data}`. A client from
    /// [`client`](Self::client) retries without waiting and succeeds; both mocks expect one
    /// hit.
    pub fn mock_rate_limited_then(
        &mut self,
        method: &str,
        path: &str,
        retry_after_secs: u64,
        data: Value,
    ) -> (Mock, Mock) {
        let body = fixtures::problem(429, ErrorCode::RateLimited, "Rate limit exceeded.");
        let limited = self
            .endpoint(method, path)
            .with_status(429)
            .with_header("content-type", "application/problem+json")
            .with_header("retry-after", &retry_after_secs.to_string())
            .with_header("x-ratelimit-limit", "600")
            .with_header("x-ratelimit-remaining", "0")
            .with_header("x-ratelimit-reset", "1893456000")
            .with_body(body.to_string())
            .expect(1)
            .create();
        let ok = self
            .json_response(method, path, 200, &json!({ "data": data }))
            .expect(1)
            .create();
        (limited, ok)
    }

    /// A mock for `method path`, any query.
    fn endpoint(&mut self, method: &str, path: &str) -> Mock {
        self.server
            .mock(method, api_path(path).as_str())
            .match_query(Matcher::Any)
    }
}

/// `/v2` + `path`, with one slash between them.
fn api_path(path: &str) -> String {
    format!("/v2/{}", path.trim_start_matches('/'))
}

fn has_cursor(path_and_query: &str) -> bool {
    path_and_query
        .split_once('?')
        .is_some_and(|(_, q)| q.split('&').any(|kv| kv.starts_with("cursor=")))
}
