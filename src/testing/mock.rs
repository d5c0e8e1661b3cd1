//! [`MockApi`]: a scripted mock of the API on mockito.

use std::sync::{Arc, Mutex, PoisonError};

use mockito::{Matcher, Mock, ServerGuard};
use serde_json::{Value, json};

use super::record::RecordedRequest;
use super::{TEST_API_KEY, fixtures};
use crate::url::parse_query;
use crate::{Client, ClientBuilder, ErrorCode};

/// The methods whose requests are recorded (and get the "no mock" answer).
const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// The query parameters a paginated walk adds on its own; list mocks ignore them.
const PAGING: [&str; 3] = ["cursor", "limit", "include_total"];

/// The request id of the helpers' successful answers (and of a listing's refused cursor).
const OK_REQUEST_ID: &str = "req_test";

/// A scripted mock of the CreatorAudit API: a local [`mockito`] server whose helpers fill
/// in the API's conventions, with a [`Client`] pointed at it whose retries never sleep.
///
/// Every `mock_*` helper returns a [`mockito::Mock`] that is **not created yet**: refine it
/// (`match_query`, `match_body`, `match_header`, `expect(n)`, ...) and call `.create()`.
/// Paths are relative to the base URL, as in the API docs (`"/accounts"`); the helpers add
/// the `/v2` prefix, a `content-type`, an `x-request-id` and the rate-limit headers. Unless
/// a helper says otherwise a mock answers whatever query is sent.
///
/// A request that no mock matches gets `501` with a problem document
/// (`code: "NO_MOCK"`, `detail: "no mock for GET /v2/whoami"`), so the SDK's error names
/// the request that was forgotten. Every request is recorded: see
/// [`requests`](Self::requests).
///
/// ```
/// # fn main() -> creatoraudit::Result<()> {
/// use creatoraudit::testing::{MockApi, fixtures, mockito::Matcher};
/// use creatoraudit::{NewAccount, Platform};
/// use serde_json::json;
///
/// let mut api = MockApi::start();
/// let created = api
///     .mock_data("POST", "/accounts", fixtures::account("a1", "khaby"))
///     .with_status(201)
///     .match_body(Matcher::PartialJson(json!({"username": "khaby"})))
///     .expect(1)
///     .create();
///
/// let account = api.client().accounts().create(&NewAccount::new(Platform::TikTok, "khaby"))?;
/// assert_eq!(account.id, "a1");
/// created.assert();
///
/// // Forgotten mocks say which request it was.
/// let err = api.client().whoami().unwrap_err();
/// assert!(err.to_string().contains("no mock for GET /v2/whoami"), "{err}");
/// # Ok(()) }
/// ```
pub struct MockApi {
    server: ServerGuard,
    log: Arc<Mutex<Vec<RecordedRequest>>>,
}

impl std::fmt::Debug for MockApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockApi")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

/// "Fail, then succeed": two mocks for one endpoint, from
/// [`MockApi::mock_failures_then`] or [`MockApi::mock_rate_limited_then`].
///
/// Neither is created yet. Refine them (the fields, or [`each`](Self::each) for both) and
/// call [`create`](Self::create), which creates them in the order that makes the failures
/// answer first.
#[derive(Debug)]
pub struct MockSequence {
    /// Answers the first requests (it expects exactly that many).
    pub failures: Mock,
    /// Answers once the failures are used up.
    pub success: Mock,
}

impl MockSequence {
    /// Applies `refine` to both mocks, e.g. `.each(|m| m.match_body(...))`.
    pub fn each(self, refine: impl Fn(Mock) -> Mock) -> Self {
        MockSequence {
            failures: refine(self.failures),
            success: refine(self.success),
        }
    }

    /// Creates both: the failures first, so they answer first. Returns them created, for
    /// `assert()`.
    pub fn create(self) -> (Mock, Mock) {
        let failures = self.failures.create();
        let success = self.success.create();
        (failures, success)
    }
}

impl MockApi {
    /// Starts a mock server on a free loopback port.
    ///
    /// # Panics
    ///
    /// Inside an async runtime (mockito starts one of its own, and tokio refuses to start a
    /// runtime within a runtime): in `#[tokio::test]` or `#[tokio::main]`, use
    /// [`start_async`](Self::start_async). Also when the server cannot start.
    pub fn start() -> Self {
        Self::around(mockito::Server::new())
    }

    /// Starts a mock server from async code: works inside `#[tokio::test]` and
    /// `#[tokio::main]`. Call the blocking [`Client`] from `tokio::task::spawn_blocking`
    /// there, not from the async task itself.
    ///
    /// # Panics
    ///
    /// When the server cannot start.
    pub async fn start_async() -> Self {
        Self::around(mockito::Server::new_async().await)
    }

    fn around(mut server: ServerGuard) -> Self {
        let log: Arc<Mutex<Vec<RecordedRequest>>> = Arc::default();
        for method in METHODS {
            // Created first, so it sees every request first; it never matches.
            let sink = Arc::clone(&log);
            server
                .mock(method, Matcher::Any)
                .match_request(move |req| {
                    let record = RecordedRequest::from_parts(
                        req.method(),
                        req.path_and_query(),
                        req.headers()
                            .iter()
                            .map(|(n, v)| (n.as_str(), v.to_str().unwrap_or(""))),
                        req.body().map(Vec::as_slice).unwrap_or_default(),
                    );
                    sink.lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(record);
                    false
                })
                .create();
            // Answers only when nothing else matches: it never counts as missing hits, and
            // mocks created later come after it.
            server
                .mock(method, Matcher::Any)
                .expect_at_most(0)
                .with_status(501)
                .with_header("content-type", "application/problem+json")
                .with_header("x-request-id", "req_no_mock")
                .with_body_from_request(|req| {
                    let endpoint = format!("{} {}", req.method(), req.path_and_query());
                    json!({
                        "type": "urn:creatoraudit:error:no-mock",
                        "title": "Not Implemented",
                        "status": 501,
                        "detail": format!("no mock for {endpoint}"),
                        "code": "NO_MOCK",
                        "instance": req.path(),
                        "request_id": "req_no_mock"
                    })
                    .to_string()
                    .into_bytes()
                })
                .create();
        }
        MockApi { server, log }
    }

    /// The base URL to give a client: `http://127.0.0.1:PORT/v2`.
    pub fn base_url(&self) -> String {
        format!("{}/v2", self.server.url())
    }

    /// A builder already pointed at this server, with [`TEST_API_KEY`], no proxy, and
    /// retries that do not wait (they still happen, and
    /// [`ResponseMeta::retry_delays`](crate::ResponseMeta) records what would have been
    /// waited).
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

    /// The underlying mockito server, for mocks the helpers do not cover. Its paths include
    /// the `/v2` prefix. Requests to its mocks are recorded too.
    ///
    /// Do not call its `reset()`: it also removes the mocks this kit keeps on the server,
    /// which record the requests and answer an unmocked one with a problem naming it (after
    /// it, [`requests`](Self::requests) stops growing and an unmocked request gets a bare
    /// `501`). Remove your own mocks instead (`mock.remove()`), or start a new `MockApi`.
    pub fn server(&mut self) -> &mut ServerGuard {
        &mut self.server
    }

    /// Every request the server received so far, in order, matched or not.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// A mock of `method path` answering `200` with the API's headers
    /// (`content-type: application/json`, `x-request-id`, rate limits that never make the
    /// client wait) and no body yet.
    ///
    /// It answers any query, unless `path` carries one (`"/overview?period=7d"`): then the
    /// request must have those parameters (and may have more). `"/v2/whoami"` is the same as
    /// `"/whoami"`. A header you add with `with_header` is sent beside the helper's, and the
    /// client reads the first: for a request id or rate-limit headers of your own, mock on
    /// the bare [`server`](Self::server) instead.
    pub fn mock(&mut self, method: &str, path: &str) -> Mock {
        self.bare_mock(method, path)
            .with_header("content-type", "application/json")
    }

    /// [`mock`](Self::mock) without its `content-type`.
    fn bare_mock(&mut self, method: &str, path: &str) -> Mock {
        self.api_mock(method, path, OK_REQUEST_ID, 599)
    }

    /// A mock of `method path` (routed as [`mock`](Self::mock) says) with the headers every
    /// answer of the API carries: this request id, and rate limits with `remaining` left.
    fn api_mock(&mut self, method: &str, path: &str, request_id: &str, remaining: u32) -> Mock {
        let (path, query) = route(path);
        self.server
            .mock(method, path.as_str())
            .match_query(query)
            .with_header("x-request-id", request_id)
            .with_header("x-ratelimit-limit", "600")
            .with_header("x-ratelimit-remaining", &remaining.to_string())
            .with_header("x-ratelimit-reset", "1893456000")
    }

    /// Answers `method path` with `200` and `{"data": data}` (the single-resource envelope).
    pub fn mock_data(&mut self, method: &str, path: &str, data: Value) -> Mock {
        self.mock_json(method, path, 200, &json!({ "data": data }))
    }

    /// Answers `method path` with `status` and `body` as JSON.
    pub fn mock_json(&mut self, method: &str, path: &str, status: u16, body: &Value) -> Mock {
        self.mock(method, path)
            .with_status(usize::from(status))
            .with_body(body.to_string())
    }

    /// Answers `method path` with a problem document: `status`, `code`, `detail`, and
    /// `instance` set to the path.
    pub fn mock_error(
        &mut self,
        method: &str,
        path: &str,
        status: u16,
        code: ErrorCode,
        detail: &str,
    ) -> Mock {
        let mut body = fixtures::problem(status, code, detail);
        body["instance"] = json!(route(path).0);
        self.problem_mock(method, path, status, &body, 599)
    }

    /// Answers `method path` with `422 VALIDATION_ERROR` and these `(field, message)` errors.
    pub fn mock_validation_error(
        &mut self,
        method: &str,
        path: &str,
        errors: &[(&str, &str)],
    ) -> Mock {
        let mut body = fixtures::validation_problem(errors);
        body["instance"] = json!(route(path).0);
        self.problem_mock(method, path, 422, &body, 599)
    }

    fn problem_mock(
        &mut self,
        method: &str,
        path: &str,
        status: u16,
        body: &Value,
        remaining: u32,
    ) -> Mock {
        self.api_mock(method, path, "req_test_error", remaining)
            .with_status(usize::from(status))
            .with_header("content-type", "application/problem+json")
            .with_body(body.to_string())
    }

    /// Serves `items` as a cursor-paginated listing at `GET path`, `page_size` per page (at
    /// least one page, even when `items` is empty), to requests whose query is exactly
    /// `query` (in any order) apart from the paging parameters `cursor`, `limit` and
    /// `include_total` that `query` does not name (name `("limit", "10")` to require it).
    ///
    /// A list primed for `&[("platform", "tiktok")]` does not answer a request without that
    /// filter, or with one more: such a request gets the "no mock" problem, so a dropped
    /// or extra filter shows in the test. `&[]` answers only requests without filters.
    ///
    /// One mock serves every page (its cursors are `page-2`, `page-3`, ...; an unknown one
    /// answers `422`), so `.expect(3)` says "three pages fetched". `total_count` is sent
    /// when the request asks with `include_total=true`. The query matching is done with
    /// `match_request`: refine with `match_query`, `match_header` or `expect`, not with
    /// another `match_request`.
    pub fn mock_list(
        &mut self,
        path: &str,
        query: &[(&str, &str)],
        items: Vec<Value>,
        page_size: usize,
    ) -> Mock {
        let page_size = page_size.max(1);
        // A query written into `path` is wanted too, as for every helper.
        let in_path = path.split_once('?').map_or("", |(_, q)| q);
        let mut wanted: Vec<(String, String)> = parse_query(in_path)
            .into_iter()
            .chain(
                query
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
            )
            .collect();
        wanted.sort();
        // The paging parameters the caller did not name are not compared.
        let ignored: Vec<&str> = PAGING
            .into_iter()
            .filter(|p| !wanted.iter().any(|(k, _)| k == p))
            .collect();
        let filters: serde_json::Map<String, Value> =
            wanted.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
        let pages = items.len().div_ceil(page_size).max(1);
        let items = Arc::new(items);
        let instance = route(path).0;
        let page_of = |req: &mockito::Request| -> Option<usize> {
            let (_, q) = req.path_and_query().split_once('?').unwrap_or(("", ""));
            match parse_query(q).into_iter().find(|(k, _)| k == "cursor") {
                None => Some(1),
                Some((_, c)) => c.strip_prefix("page-")?.parse().ok(),
            }
        };
        self.bare_mock("GET", path)
            .match_request(move |req| {
                let (_, q) = req.path_and_query().split_once('?').unwrap_or(("", ""));
                let mut sent: Vec<(String, String)> = parse_query(q)
                    .into_iter()
                    .filter(|(k, _)| !ignored.contains(&k.as_str()))
                    .collect();
                sent.sort();
                sent == wanted
            })
            .with_status_code_from_request(move |req| match page_of(req) {
                Some(n) if (1..=pages).contains(&n) => 200,
                _ => 422,
            })
            .with_header_from_request("content-type", move |req| match page_of(req) {
                Some(n) if (1..=pages).contains(&n) => "application/json".into(),
                _ => "application/problem+json".into(),
            })
            .with_body_from_request(move |req| {
                let n = match page_of(req) {
                    Some(n) if (1..=pages).contains(&n) => n,
                    _ => {
                        let mut problem = fixtures::validation_problem(&[(
                            "cursor",
                            "is not a cursor this mock issued",
                        )]);
                        // As the API does: the body repeats the header's request id.
                        problem["request_id"] = json!(OK_REQUEST_ID);
                        problem["instance"] = json!(instance);
                        return problem.to_string().into_bytes();
                    }
                };
                let start = (n - 1) * page_size;
                let chunk = &items[start.min(items.len())..(start + page_size).min(items.len())];
                let next = (n < pages).then(|| format!("page-{}", n + 1));
                let (_, q) = req.path_and_query().split_once('?').unwrap_or(("", ""));
                let total = parse_query(q)
                    .iter()
                    .any(|(k, v)| k == "include_total" && v == "true");
                let mut pagination =
                    json!({"next_cursor": next, "has_next": next.is_some(), "limit": page_size});
                if total {
                    pagination["total_count"] = json!(items.len());
                }
                json!({"data": chunk, "pagination": pagination, "filters": filters})
                    .to_string()
                    .into_bytes()
            })
    }

    /// Answers `method path` `times` times with `status` (a problem document with the
    /// documented code of that status), then with `200` and `{"data": data}`. The failures
    /// mock expects exactly `times` hits.
    pub fn mock_failures_then(
        &mut self,
        method: &str,
        path: &str,
        status: u16,
        times: usize,
        data: Value,
    ) -> MockSequence {
        let code = ErrorCode::from_status(status);
        let failures = self
            .mock_error(method, path, status, code, "Temporarily failing (mock).")
            .expect(times);
        let success = self.mock_data(method, path, data);
        MockSequence { failures, success }
    }

    /// Answers `method path` first with `429 RATE_LIMITED` and `Retry-After:
    /// retry_after_secs`, then with `200` and `{"data": data}`. A client from
    /// [`client`](Self::client) retries without waiting and succeeds, when
    /// `retry_after_secs` is at most its `max_retry_wait` (60 s by default); past that, the
    /// call fails at once with the wait in `retry_after()`, as against the API.
    pub fn mock_rate_limited_then(
        &mut self,
        method: &str,
        path: &str,
        retry_after_secs: u64,
        data: Value,
    ) -> MockSequence {
        let mut body = fixtures::problem(429, ErrorCode::RateLimited, "Rate limit exceeded.");
        body["instance"] = json!(route(path).0);
        let failures = self
            .problem_mock(method, path, 429, &body, 0)
            .with_header("retry-after", &retry_after_secs.to_string())
            .expect(1);
        let success = self.mock_data(method, path, data);
        MockSequence { failures, success }
    }
}

/// A helper's `path` as the server sees it, and the query it asks for: any, or the
/// parameters written into `path` (`/overview?period=7d`), others allowed.
fn route(path: &str) -> (String, Matcher) {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let query = match parse_query(query).as_slice() {
        [] => Matcher::Any,
        pairs => Matcher::AllOf(
            pairs
                .iter()
                .map(|(k, v)| Matcher::UrlEncoded(k.clone(), v.clone()))
                .collect(),
        ),
    };
    (api_path(path), query)
}

/// `/v2` + `path`, with one slash between them (a `path` that already starts with `/v2/`
/// is kept).
fn api_path(path: &str) -> String {
    let path = path.trim_start_matches('/');
    let path = path.strip_prefix("v2/").unwrap_or(path);
    format!("/v2/{path}")
}
