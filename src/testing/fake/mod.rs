//! [`FakeApi`]: a stateful, in-process fake of the CreatorAudit API.

mod api;
mod data;
mod http;

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use self::api::{Seed, State};
use self::http::Server;
use super::{RecordedRequest, TEST_API_KEY};
use crate::{Client, ClientBuilder, ErrorCode};

/// A stateful fake of the CreatorAudit API, served over HTTP on a loopback port by a small
/// server of its own (`std::net`, a thread per connection; no async runtime, no extra
/// crate: feature `fake`).
///
/// Unlike [`MockApi`](super::MockApi), which answers what a test scripted, the fake keeps
/// data and behaves like the API as its docs describe it: what your code creates is there
/// in later reads, filters filter, cursors page, wrong input gets the documented problem.
/// Use it for tests of whole flows, for examples, and for a CLI's offline `--demo` mode.
///
/// ```
/// # fn main() -> creatoraudit::Result<()> {
/// use creatoraudit::testing::FakeApi;
/// use creatoraudit::{ListAccounts, NewAccount, Platform};
///
/// let fake = FakeApi::start();
/// let client = fake.client();
///
/// // Filters and pagination, as the API does them: every TikTok account, 10 per page.
/// let tiktok = client.accounts().list(ListAccounts::new().platform(Platform::TikTok).limit(10));
/// let tiktok: Vec<_> = tiktok.collect::<creatoraudit::Result<_>>()?;
/// assert_eq!(tiktok.len(), 24);
/// assert!(tiktok.iter().all(|a| a.platform == Some(Platform::TikTok)));
///
/// // What you create is there afterwards.
/// let created = client.accounts().create(&NewAccount::new(Platform::TikTok, "new.one"))?;
/// assert_eq!(client.accounts().get(&created.id)?.username, "new.one");
///
/// // And every request is recorded.
/// assert_eq!(fake.requests().last().map(|r| r.path.as_str()), Some(&*format!("/v2/accounts/{}", created.id)));
/// # Ok(()) }
/// ```
///
/// # The seeded data
///
/// The same on every run (every value is a function of its index), with the default
/// [`FakeApiBuilder`] sizes:
///
/// - **48 accounts** (`GET /accounts`), ids `a1000000-0000-4000-8000-000000000001` to
///   `…000000000048`: even positions (`…001`, `…003`, …) on TikTok, odd ones on Instagram,
///   24 each. Usernames such as `sunny.bakes` (TikTok) and `sunny_crafts` (Instagram); categories cycle through
///   `comedy`, `beauty`, `food`, `fitness`, `gaming`, `music`, `travel`, `tech`; every
///   seventh account is paused (`is_active: false`); all have been refreshed, with
///   follower and engagement numbers (`saved_count` only on Instagram).
/// - **8 creators** (`GET /creators`), ids `c3000000-0000-4000-8000-000000000001` on; creator
///   *n* has accounts *2n* and *2n+1* linked (one TikTok, one Instagram), so the first 16
///   accounts have a `creator_id` and the rest have none. Every eighth creator is archived.
/// - **36 individually tracked videos** (`GET /videos`), ids `b2000000-…-000000000001` on,
///   each posted by a seeded account (same platform); every ninth is paused.
/// - **4 account videos per account** (`GET /account-videos`), integer ids from `100001`.
/// - `GET /whoami`: organization `0b7e5c2a-3f4d-4e6b-9a81-5c2d7e9f1a30`, key name `fake key`.
///
/// Records created through the API get ids with `-9000-` in the fourth group
/// (`a1000000-0000-4000-9000-000000000001`, …), numbered in creation order, and times from
/// a fake clock that starts at `2026-12-01T10:00:00Z` and moves one minute per write.
/// [`account_ids`](Self::account_ids) and its siblings list the current ids.
///
/// # What it implements
///
/// - **Auth**: `Authorization: Bearer <key>` ([`TEST_API_KEY`] unless
///   [`FakeApiBuilder::api_key`] says otherwise) on everything but `GET /health` and
///   `GET /meta`; `401 UNAUTHORIZED` without it or with another key.
/// - **Every response** has an `X-Request-ID` (`req_fake_000001`, … in order), authenticated
///   ones `X-RateLimit-Limit`/`-Remaining`/`-Reset` (a one-minute window of 1,000 requests
///   by default; past it, `429 RATE_LIMITED` with `Retry-After`). A window ends a minute
///   after it started, or when one of the fake's clients waits (which takes no time) until
///   its end (see [`elapse`](Self::elapse)), so pacing and `429` retries work as against the
///   API.
/// - **Lists** `GET /accounts`, `/videos`, `/creators`, `/account-videos`: the filters of
///   each (`platform`, `q` (case-insensitive substring of the username, or of the caption),
///   `is_active`, `category`, `creator_id` on accounts; `account_id` on videos and account
///   videos), `order_by` with the documented keys per endpoint and `order_direction` (or the
///   legacy `sort=-key`); an unknown value is `422 VALIDATION_ERROR` naming the parameter.
///   `limit` 1 to 200 (default 50, else 422), opaque cursors bound to the filters and sort
///   (a cursor sent with other filters is a 422) that name the last item handed out and the
///   one after it, so that a record created during a walk, or deleted from a page already
///   handed out, neither repeats an item nor skips one (the fake keeps ids, not sort
///   values: deleting both the last item handed out and the next may skip one, and a record
///   whose sort value changes moves); `has_next`, `next_cursor`, `total_count`
///   with `include_total=true`, the `filters` echo and a `Link` header.
/// - **Reads** `GET /accounts/{id}`, `GET /creators/{id}`: `404 NOT_FOUND` when absent.
///   Every `GET` answer but `/health`'s carries a strong `ETag`; `If-None-Match` with it
///   gets an empty `304`.
/// - **Creates** `POST /accounts`, `/videos`, `/creators`: validation as documented (`422`
///   with `errors[]` naming each field: `platform`, `username`, `identifier`, `name`,
///   `metadata`, ...), `201 Created` with the new record (and a `Location` header for an
///   account or a creator, which have a `GET` of their own). The docs leave the create
///   status open: `201` is the fake's choice. `409 CONFLICT` for an account or video
///   already tracked (the docs leave this open). An `Idempotency-Key` seen before with the
///   same body replays the first answer and creates nothing; with another body it is a
///   `409` (the docs leave this open too; the API deduplicates only best-effort, so do not
///   let a test depend on it). New accounts and active new videos read as not refreshed yet
///   (`last_scrape_time: null`, zero metrics) in the create answer and as refreshed from
///   the next request on, whatever it reads (a record, a listing, a batch metric, the
///   overview); the API takes seconds, so poll as against it
///   ([`Accounts::wait_until_scraped`](crate::Accounts::wait_until_scraped)), and see
///   [`scrape_after`](Self::scrape_after) for a slower refresh. A video created inactive is
///   not refreshed.
/// - **Creators**: `PATCH /creators/{id}` (a partial update; `metadata` replaces the old
///   object; pausing a creator pauses its accounts), `DELETE /creators/{id}` (`204`; its
///   accounts are unlinked), `PUT /creators/{id}/accounts/{account_id}` (`201` with
///   `Location` for a new link, `200` when already linked to this creator, `409` when linked
///   to another, `404` when either is absent), `DELETE` of the same path (`204`, or `404`
///   when not linked to this creator), `GET /creators/top` and
///   `GET /creators/{id}/analytics` (plausible numbers from the linked accounts).
/// - **Batches** `POST /videos/metrics`, `/videos/deltas`, `/accounts/metrics`,
///   `/account-videos/metrics`: numbers derived from each record for the ids sent (1 to 200,
///   else 422), unknown ids in `meta.not_found`, the window (`period` or `custom` dates) in
///   `meta`.
/// - `GET /whoami`, `GET /overview` (from the data), `GET /search`, `GET /health`, `GET /meta`.
/// - **Conventions**: `406` for an `Accept` that rules JSON out, `415` for a write body that
///   is not `application/json`, `400` for one that is not JSON, `405` with `Allow` for a
///   known path with another method, `404` for an unknown path. A malformed HTTP request gets
///   a `400` problem and the connection is closed; heads over 32 KiB get `431`, bodies over
///   1 MiB `413`.
/// - **Faults** for your own retry tests: [`fail_next`](Self::fail_next),
///   [`fail_next_with_retry_after`](Self::fail_next_with_retry_after), [`inject`](Self::inject).
///   A fault answers an authenticated request (a request without the key still gets its
///   `401`), counts against the rate limit and carries its headers. A `422` names its fields'
///   errors, bounds included, in `detail` as well as in `errors`.
///
/// Not implemented: scopes (the key may do everything), quotas unless
/// [`FakeApiBuilder::account_quota`] sets one, the undocumented per-id video and account
/// endpoints.
pub struct FakeApi {
    state: Arc<Mutex<State>>,
    base_url: String,
    api_key: String,
    // Dropped last: stops the server.
    _server: Server,
}

impl fmt::Debug for FakeApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeApi")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// Settings of a [`FakeApi`] before it starts: the size of the seeded data set, the key,
/// the rate limit. From [`FakeApi::builder`].
#[derive(Clone)]
#[must_use]
pub struct FakeApiBuilder {
    seed: Seed,
    api_key: String,
    rate_limit: u32,
    account_quota: Option<usize>,
}

impl fmt::Debug for FakeApiBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeApiBuilder")
            .field("accounts", &self.seed.accounts)
            .field("videos", &self.seed.videos)
            .field("creators", &self.seed.creators)
            .field("account_videos_per_account", &self.seed.posts_per_account)
            .field("rate_limit", &self.rate_limit)
            .field("account_quota", &self.account_quota)
            .finish_non_exhaustive()
    }
}

impl Default for FakeApiBuilder {
    fn default() -> Self {
        FakeApiBuilder {
            seed: Seed {
                accounts: 48,
                videos: 36,
                creators: 8,
                posts_per_account: 4,
            },
            api_key: TEST_API_KEY.to_owned(),
            rate_limit: 1_000,
            account_quota: None,
        }
    }
}

impl FakeApiBuilder {
    /// How many accounts to seed (default 48; alternately TikTok and Instagram).
    pub fn accounts(mut self, n: usize) -> Self {
        self.seed.accounts = n;
        self
    }

    /// How many individually tracked videos to seed (default 36).
    pub fn videos(mut self, n: usize) -> Self {
        self.seed.videos = n;
        self
    }

    /// How many creators to seed (default 8). Creator *n* gets accounts *2n* and *2n+1*
    /// linked, as far as there are accounts.
    pub fn creators(mut self, n: usize) -> Self {
        self.seed.creators = n;
        self
    }

    /// How many account videos to seed per account (default 4).
    pub fn account_videos_per_account(mut self, n: usize) -> Self {
        self.seed.posts_per_account = n;
        self
    }

    /// The API key the fake accepts (default [`TEST_API_KEY`]).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = key.into();
        self
    }

    /// Requests per one-minute window before `429 RATE_LIMITED` (default 1,000; at least 1).
    pub fn rate_limit(mut self, per_minute: u32) -> Self {
        self.rate_limit = per_minute.max(1);
        self
    }

    /// Caps the tracked accounts: past it, `POST /accounts` answers `403 QUOTA_EXCEEDED`.
    pub fn account_quota(mut self, max_accounts: usize) -> Self {
        self.account_quota = Some(max_accounts);
        self
    }

    /// Starts the fake on a free loopback port.
    ///
    /// # Errors
    ///
    /// When no loopback port can be bound or the server thread cannot be started.
    pub fn try_start(self) -> std::io::Result<FakeApi> {
        let state = Arc::new(Mutex::new(State::new(
            self.seed,
            self.api_key.clone(),
            String::new(),
        )));
        let handler_state = Arc::clone(&state);
        let server = Server::start(Arc::new(move |request| {
            lock(&handler_state).handle(&request)
        }))?;
        let base_url = format!("http://{}/v2", server.addr());
        {
            let mut st = lock(&state);
            st.base_url = base_url.clone();
            st.rate_limit = self.rate_limit;
            st.account_quota = self.account_quota;
        }
        Ok(FakeApi {
            state,
            base_url,
            api_key: self.api_key,
            _server: server,
        })
    }

    /// Starts the fake on a free loopback port.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound; [`try_start`](Self::try_start) returns the
    /// error instead.
    pub fn start(self) -> FakeApi {
        self.try_start()
            .expect("cannot start the fake CreatorAudit API on 127.0.0.1")
    }

    /// [`start`](Self::start) for async code: the server runs on threads of its own, so
    /// this works inside any async runtime (`#[tokio::test]`, `#[tokio::main]`).
    ///
    /// # Panics
    ///
    /// As [`start`](Self::start).
    pub async fn start_async(self) -> FakeApi {
        self.start()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// An injected failure: the next matching requests answer `status` with a problem document
/// (the documented code of that status), before the fake looks at them; nothing is
/// created or changed. For [`FakeApi::inject`].
///
/// ```
/// use std::time::Duration;
/// use creatoraudit::testing::{FakeApi, Fault};
///
/// let fake = FakeApi::start();
/// // The second and third `GET /accounts` answer 503 with `Retry-After: 1`.
/// fake.inject(Fault::new("GET", "/accounts", 503).after(1).times(2).retry_after(Duration::from_secs(1)));
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Fault {
    method: String,
    path: String,
    status: u16,
    times: u32,
    after: u32,
    retry_after: Option<u64>,
    code: Option<ErrorCode>,
}

impl Fault {
    /// A fault for requests `method path` (the path relative to the base URL, as in the API
    /// docs: `"/accounts"`, `"/creators/{a real id}"`; no query; `"*"` for every path),
    /// answering `status` once.
    pub fn new(method: &str, path: &str, status: u16) -> Fault {
        let path = path.split('?').next().unwrap_or(path);
        let path = path.strip_prefix("/v2").unwrap_or(path);
        let path = if path == "*" {
            "*".to_owned()
        } else {
            format!("/{}", path.trim_start_matches('/'))
        };
        Fault {
            method: method.to_ascii_uppercase(),
            path,
            status,
            times: 1,
            after: 0,
            retry_after: None,
            code: None,
        }
    }

    /// Answers the next `n` matching requests so (default 1). With `0` it answers none:
    /// [`FakeApi::inject`] leaves it out, as `MockApi::mock_failures_then` with no failures
    /// mocks none.
    pub fn times(mut self, n: u32) -> Fault {
        self.times = n;
        self
    }

    /// Answers every matching request so, until [`FakeApi::clear_faults`].
    pub fn always(mut self) -> Fault {
        self.times = u32::MAX;
        self
    }

    /// Lets the first `n` matching requests through before failing.
    pub fn after(mut self, n: u32) -> Fault {
        self.after = n;
        self
    }

    /// Sends `Retry-After` with the failures (whole seconds, rounded up).
    pub fn retry_after(mut self, wait: Duration) -> Fault {
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        self.retry_after = Some(secs);
        self
    }

    /// Answers with this machine `code` instead of the one the documented table gives the
    /// status: a `403` with `INSUFFICIENT_SCOPE` or `QUOTA_EXCEEDED`, say.
    ///
    /// ```
    /// use creatoraudit::ErrorCode;
    /// use creatoraudit::testing::{FakeApi, Fault};
    ///
    /// let fake = FakeApi::start();
    /// fake.inject(Fault::new("POST", "/accounts", 403).code(ErrorCode::QuotaExceeded));
    /// let err = fake
    ///     .client()
    ///     .accounts()
    ///     .create(&creatoraudit::NewAccount::new(creatoraudit::Platform::TikTok, "x"))
    ///     .unwrap_err();
    /// assert_eq!(err.code(), Some(&ErrorCode::QuotaExceeded));
    /// ```
    pub fn code(mut self, code: ErrorCode) -> Fault {
        self.code = Some(code);
        self
    }
}

impl FakeApi {
    /// Starts a fake with the default data set ([`FakeApiBuilder`]'s sizes).
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound; `FakeApi::builder().try_start()` returns the
    /// error instead.
    pub fn start() -> FakeApi {
        FakeApi::builder().start()
    }

    /// [`start`](Self::start) for async code. The server runs on threads of its own, so this
    /// works inside any async runtime; call the blocking [`Client`] from
    /// `tokio::task::spawn_blocking` there (see the crate docs, "Testing").
    ///
    /// # Panics
    ///
    /// As [`start`](Self::start).
    pub async fn start_async() -> FakeApi {
        FakeApi::builder().start()
    }

    /// Settings for another data set size, key or rate limit.
    pub fn builder() -> FakeApiBuilder {
        FakeApiBuilder::default()
    }

    /// The base URL to give a client: `http://127.0.0.1:PORT/v2`.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// A builder pointed at the fake, with its key, no proxy, and waits that take no time:
    /// retries and [pacing](crate::ClientBuilder::pacing) still happen, the call's
    /// [`ResponseMeta`](crate::ResponseMeta) records what would have been waited, and the
    /// fake's rate-limit window sees each wait (see [`elapse`](Self::elapse)), so a client
    /// that waits for the reset finds the window turned over.
    ///
    /// A [`retry_sleeper`](crate::ClientBuilder::retry_sleeper) of your own replaces this
    /// one: call [`elapse`](Self::elapse) from it to keep the windows turning.
    pub fn client_builder(&self) -> ClientBuilder {
        let state = Arc::downgrade(&self.state);
        Client::builder()
            .api_key(self.api_key.clone())
            .base_url(&self.base_url)
            .no_proxy()
            .retry_sleeper(move |wait| {
                if let Some(state) = state.upgrade() {
                    lock(&state).elapse(wait);
                }
            })
    }

    /// Tells the fake's rate limit that a client waited `by` (which took no time): what a
    /// client of [`client_builder`](Self::client_builder) does for each of its waits. A
    /// wait that reaches the end of the current window ends it, and the next request starts
    /// a new one; a shorter wait changes nothing.
    ///
    /// A window starts with the first request after the last one ended (a second before that
    /// request's second) and lasts a minute; its `X-RateLimit-Reset` is its end on the wall
    /// clock, the same for the whole window, so that no wait for it passes 59 s.
    ///
    /// ```
    /// use std::time::Duration;
    /// use creatoraudit::testing::FakeApi;
    ///
    /// let fake = FakeApi::builder().rate_limit(1).start();
    /// let client = fake.client_builder().pacing(false).max_retries(0).build()?;
    /// client.whoami()?;
    /// assert_eq!(client.whoami().unwrap_err().status(), Some(429));
    /// fake.elapse(Duration::from_secs(60));
    /// client.whoami()?; // a new window
    /// # Ok::<(), creatoraudit::Error>(())
    /// ```
    pub fn elapse(&self, by: Duration) {
        lock(&self.state).elapse(by);
    }

    /// A client for the fake; see [`client_builder`](Self::client_builder).
    ///
    /// # Panics
    ///
    /// Never in practice: the settings are fixed and valid (a key set with
    /// [`FakeApiBuilder::api_key`] must be one a header can carry).
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("the fake's client settings are valid")
    }

    /// Every request the fake received so far, in order (faulted and refused ones too). A
    /// request its HTTP layer refuses before reading it whole is answered and not recorded:
    /// one too malformed to parse (`400`), a body over 1 MiB (`413`), headers over their
    /// bound (`431`), a transfer coding it does not speak (`501`). A fake that runs for long
    /// keeps the most recent 50,000 to 100,000.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state).log.clone()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        lock(&self.state).log.clear();
    }

    /// Answers the next `times` requests `method path` with `status` (and a problem document
    /// with the documented code of that status), e.g. `fake.fail_next(2, "GET", "/accounts",
    /// 503)`; `0` answers none. The path is relative to the base URL, without the query. See
    /// [`Fault`] for more.
    pub fn fail_next(&self, times: u32, method: &str, path: &str, status: u16) {
        self.inject(Fault::new(method, path, status).times(times));
    }

    /// [`fail_next`](Self::fail_next) with a `Retry-After` header on the failures.
    pub fn fail_next_with_retry_after(
        &self,
        times: u32,
        method: &str,
        path: &str,
        status: u16,
        retry_after: Duration,
    ) {
        self.inject(
            Fault::new(method, path, status)
                .times(times)
                .retry_after(retry_after),
        );
    }

    /// Adds a fault. Faults for the same method and path are served in the order added. A
    /// fault for no request ([`times(0)`](Fault::times)) is left out.
    pub fn inject(&self, fault: Fault) {
        if fault.times > 0 {
            lock(&self.state).faults.push(fault);
        }
    }

    /// Removes every fault not served yet.
    pub fn clear_faults(&self) {
        lock(&self.state).faults.clear();
    }

    /// Makes account `account_id` read as not refreshed yet (`last_scrape_time: null`, zero
    /// metrics) for its next `gets` `GET /accounts/{id}`; the read after those shows it
    /// refreshed. For code that polls, e.g. `wait_until_scraped`. Returns `false` (and
    /// changes nothing) when there is no such account.
    pub fn scrape_after(&self, account_id: &str, gets: u32) -> bool {
        let mut st = lock(&self.state);
        let Some(a) = st.accounts.iter_mut().find(|a| a["id"] == account_id) else {
            return false;
        };
        data::mark_account_unscraped(a);
        st.pending_scrape.insert(account_id.to_owned(), gets);
        true
    }

    /// The ids of the accounts, in the order they were added (seeded ones first).
    pub fn account_ids(&self) -> Vec<String> {
        ids(&lock(&self.state).accounts)
    }

    /// The ids of the individually tracked videos, in the order they were added.
    pub fn video_ids(&self) -> Vec<String> {
        ids(&lock(&self.state).videos)
    }

    /// The ids of the creators, in the order they were added.
    pub fn creator_ids(&self) -> Vec<String> {
        ids(&lock(&self.state).creators)
    }

    /// The integer ids of the account videos.
    pub fn account_video_ids(&self) -> Vec<u64> {
        lock(&self.state)
            .account_videos
            .iter()
            .filter_map(|v| v["id"].as_u64())
            .collect()
    }
}

fn ids(records: &[data::Record]) -> Vec<String> {
    records
        .iter()
        .filter_map(|r| r["id"].as_str().map(str::to_owned))
        .collect()
}
