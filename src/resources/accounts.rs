//! Tracked accounts: `GET /accounts`, `POST /accounts`, `GET /accounts/{id}`, and their
//! batch analytics, `POST /accounts/metrics`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::api_enum::api_enum;
use crate::batch::{self, keyed_batch};
use crate::call::Call;
use crate::de::{
    keyed_by_id, lenient_name, lenient_or_default, null_as_default, with_engagement_counts,
};
use crate::error::WaitTimeout;
use crate::history::Step;
use crate::metrics::{BatchMeta, MetricValues};
use crate::pagination::Paginator;
use crate::params::{
    ListCommon, Query, Window, idempotency_key_setter, list_setters, non_blank, window_setters,
};
use crate::response::{Conditional, Response, ResponseMeta};
use crate::transport::Reply;
use crate::types::Platform;
use crate::{Client, Error, Result, random};

/// The first wait between two polls of [`Accounts::wait_until_scraped`].
const FIRST_POLL_INTERVAL: Duration = Duration::from_secs(2);
/// The longest wait between two polls.
const MAX_POLL_INTERVAL: Duration = Duration::from_secs(30);
/// The longest a server's `Retry-After` stretches one wait between polls.
const MAX_RETRY_AFTER_WAIT: Duration = Duration::from_secs(3600);

/// The `/accounts` endpoints; from [`Client::accounts`].
#[derive(Debug, Clone, Copy)]
pub struct Accounts<'a> {
    client: &'a Client,
}

impl Client {
    /// The tracked-accounts endpoints.
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts { client: self }
    }
}

impl Accounts<'_> {
    /// Every tracked account that matches `params`, page by page (`GET /accounts`).
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{AccountOrder, ListAccounts, OrderDirection, Platform};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let params = ListAccounts::new()
    ///     .platform(Platform::Instagram)
    ///     .is_active(true)
    ///     .order_by(AccountOrder::FollowerCount)
    ///     .order_direction(OrderDirection::Desc);
    /// for account in client.accounts().list(params).max_items(10) {
    ///     let account = account?;
    ///     println!("{:>12} {}", account.follower_count.unwrap_or(0), account.username);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// Invalid parameters (a `limit` outside 1–200, an empty filter) are reported by the
    /// first item, before any request is sent.
    pub fn list(&self, params: ListAccounts) -> Paginator<Account> {
        Paginator::start(self.client.clone(), "GET /accounts", params.query())
    }

    /// Continues a walk over `/accounts` from a [`Checkpoint`](crate::Checkpoint)
    /// taken with [`Paginator::checkpoint`] (in this process or an earlier one): the same
    /// filters and sort, from the item after the last one yielded. See
    /// [`Paginator::checkpoint`] for what is exact and what `max_items` does.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput), before any request, for a
    /// checkpoint of another listing (or of a format this version does not read).
    pub fn resume(&self, checkpoint: &crate::Checkpoint) -> Result<Paginator<Account>> {
        Paginator::resume(self.client.clone(), Some("GET /accounts"), checkpoint)
    }

    /// One tracked account (`GET /accounts/{id}`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty id;
    /// [`Error::Api`](crate::Error::Api) with `NOT_FOUND` when the account is not in your
    /// organization; otherwise the [common failures](crate::Error#common-failures).
    pub fn get(&self, id: &str) -> Result<Account> {
        Ok(self.get_with_meta(id)?.value)
    }

    /// [`get`](Self::get), with the call's [`ResponseMeta`](crate::ResponseMeta) (its `etag`
    /// is what [`get_if_none_match`](Self::get_if_none_match) takes).
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    pub fn get_with_meta(&self, id: &str) -> Result<Response<Account>> {
        self.client.send(&get_account(id)?)?.data()
    }

    /// A conditional [`get`](Self::get): sends `If-None-Match: etag` and returns
    /// [`Conditional::NotModified`] (no body, no error) when the account has not changed.
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get); [`Error::InvalidInput`](crate::Error::InvalidInput)
    /// for an `etag` a header cannot carry as given (empty, padded, not visible ASCII).
    pub fn get_if_none_match(&self, id: &str, etag: &str) -> Result<Conditional<Account>> {
        self.client
            .send(&get_account(id)?.if_none_match(etag)?)?
            .conditional()
    }

    /// Waits until the account's first refresh has landed (`last_scrape_time` is set), and
    /// returns the refreshed account: the docs' "track, then poll" flow after
    /// [`create`](Self::create), since the API has no webhooks.
    ///
    /// It reads `GET /accounts/{id}` at once, then again after 2 s, and after a wait 1.5
    /// times longer each time (each shortened by a random 0–25 %, at most 30 s), until the
    /// account shows a `last_scrape_time` or `timeout` has passed (the last wait is cut so
    /// that one poll falls at the timeout). From the second poll on it sends the `ETag` it
    /// holds as `If-None-Match`, so an unchanged account costs an empty `304`. Every poll is
    /// a normal call: it is paced under the rate limit and retried as configured, and its
    /// waits count against `timeout` too (a retry or pacing wait that does not fit in what is
    /// left is not made, so the wait ends at the timeout, not a `Retry-After` later). The waits
    /// go through the client's [`CancelToken`](crate::CancelToken) (and the
    /// [`retry_sleeper`](crate::ClientBuilder::retry_sleeper) when one is set); nothing
    /// busy-waits. An account that is already refreshed is returned after one read.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use std::time::Duration;
    /// use creatoraudit::{NewAccount, Platform};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let accounts = client.accounts();
    /// let tracked = accounts.create(&NewAccount::new(Platform::TikTok, "khaby.lame"))?;
    /// let account = accounts.wait_until_scraped(&tracked.id, Duration::from_secs(600))?;
    /// println!("{} has {} followers", account.username, account.follower_count.unwrap_or(0));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id; [`Error::WaitTimedOut`] when `timeout`
    /// passed first (it says how long it waited, how many polls it made and what it last
    /// saw); at once, [`Error::Api`] with `NOT_FOUND` when the account is not in your
    /// organization, [`Error::Cancelled`] when the client's token is cancelled, and any
    /// other error that is not [retryable](Error::is_retryable). A retryable error (a `503`,
    /// a timeout, a rate limit past the wait cap) after the call's own retries does not end
    /// the wait: the next poll comes after the next interval (or the `Retry-After`, when
    /// longer, up to an hour), and [`WaitTimeout::last_error`] has it if the time runs out.
    pub fn wait_until_scraped(&self, id: &str, timeout: Duration) -> Result<Account> {
        get_account(id)?;
        let started = Instant::now();
        // What the waits added up to: with a test sleeper no time passes, so the timeout
        // counts the waits as well as the clock.
        let mut slept = Duration::ZERO;
        let mut interval = FIRST_POLL_INTERVAL;
        let mut polls = 0;
        let mut last: Option<Response<Account>> = None;
        loop {
            polls += 1;
            // Each poll's own waits (retries, pacing) fit in what is left of the timeout.
            let left = timeout.saturating_sub(started.elapsed().max(slept));
            let call = get_account(id)?.max_wait(left);
            let outcome = match last.as_ref().and_then(|r| r.meta.etag.as_deref()) {
                Some(etag) => self
                    .client
                    .send(&call.if_none_match(etag)?)
                    .and_then(Reply::conditional::<Account>),
                None => self
                    .client
                    .send(&call)
                    .and_then(Reply::data)
                    .map(|Response { value, meta }| Conditional::Modified { value, meta }),
            };
            // The poll's own waits (retries, pacing) count, as the waits between polls do.
            let history = match &outcome {
                Ok(conditional) => conditional.meta().history(),
                Err(e) => e.history(),
            };
            slept = history.iter().fold(slept, |sum, step| match step {
                Step::Wait(w) => sum.saturating_add(w.duration),
                Step::Attempt(_) => sum,
            });
            let (last_error, at_least) = match outcome {
                Ok(Conditional::Modified { value, meta }) => {
                    if value.last_scrape_time.is_some() {
                        return Ok(value);
                    }
                    last = Some(Response { value, meta });
                    (None, Duration::ZERO)
                }
                Ok(Conditional::NotModified { meta }) => {
                    if let Some(last) = &mut last {
                        // The 304 may carry a newer record (request id, rate limit); keep the
                        // ETag the account was read with if it does not repeat it.
                        let etag = meta.etag.clone().or_else(|| last.meta.etag.take());
                        last.meta = ResponseMeta { etag, ..meta };
                    }
                    (None, Duration::ZERO)
                }
                Err(e) if e.is_retryable() => {
                    let hint = e
                        .retry_after()
                        .unwrap_or_default()
                        .min(MAX_RETRY_AFTER_WAIT);
                    (Some(e), hint)
                }
                Err(e) => return Err(e),
            };
            let waited = started.elapsed().max(slept);
            let left = timeout.saturating_sub(waited);
            if left.is_zero() {
                return Err(timed_out(id, waited, polls, last, last_error));
            }
            let jittered = crate::retry::jittered(interval, random::unit_f64());
            let wait = jittered.max(at_least).min(left);
            if self.client.pause("GET /accounts/{id}", wait, polls) {
                let meta = last.map_or_else(poll_meta, |r| r.meta);
                return Err(Error::Cancelled(Box::new(meta)));
            }
            slept = slept.saturating_add(wait);
            interval = interval.mul_f64(1.5).min(MAX_POLL_INTERVAL);
        }
    }

    /// Starts tracking an account (`POST /accounts`). Its profile is fetched in the
    /// background; `last_scrape_time` stays `None` until that lands.
    ///
    /// The request carries an `Idempotency-Key` (yours, or a random one) that is the same on
    /// every retry. The API deduplicates keyed creates best-effort (in one process, for ten
    /// minutes), so a retried create usually, not certainly, tracks the account once: see
    /// "Idempotency" in the crate docs for what to do after a `409 CONFLICT`.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{NewAccount, Platform};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let account = client.accounts().create(
    ///     &NewAccount::new(Platform::TikTok, "khaby.lame").category("comedy").scrape_interval_hours(12),
    /// )?;
    /// println!("tracking {} as {}", account.username, account.id);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty username, or an
    /// idempotency key a header cannot carry as given (empty, padded, not visible ASCII,
    /// over 1,024 characters); [`Error::Api`](crate::Error::Api) with `QUOTA_EXCEEDED` when the organization's
    /// tracking cap is reached, `VALIDATION_ERROR` for a rejected body, `CONFLICT` for a
    /// duplicate; otherwise the [common failures](crate::Error#common-failures).
    pub fn create(&self, new: &NewAccount) -> Result<Account> {
        Ok(self.create_with_meta(new)?.value)
    }

    /// [`create`](Self::create), with the call's [`ResponseMeta`](crate::ResponseMeta),
    /// including the idempotency key sent.
    ///
    /// # Errors
    ///
    /// As [`create`](Self::create).
    pub fn create_with_meta(&self, new: &NewAccount) -> Result<Response<Account>> {
        non_blank("username", &new.username)?;
        let key = new.idempotency_key.as_deref();
        self.client
            .send(&Call::create("POST /accounts", new, key)?)?
            .data()
    }

    /// Windowed metrics of tracked accounts (`POST /accounts/metrics`).
    ///
    /// The API docs name this endpoint but not its body or its answer. The SDK sends what
    /// the sibling batch endpoints take, an id array plus the period (see [`AccountMetricsRequest`]),
    /// and keeps each account's metrics as the raw JSON the API sends, with a typed view in
    /// [`AccountMetricsBatch::metrics`]. Any number of ids, chunked by [`BATCH_CHUNK_SIZE`](crate::BATCH_CHUNK_SIZE)
    /// and merged as for [`Videos::metrics`](crate::Videos::metrics). If the live API turns out to differ, the same
    /// call can be made untyped with [`Client::request`](crate::Client::request).
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{AccountMetricsRequest, Period};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let ids = ["4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f"];
    /// let batch = client
    ///     .accounts()
    ///     .metrics(&AccountMetricsRequest::new(ids).period(Period::Last7Days))?;
    /// for id in batch.data.keys() {
    ///     match batch.metrics(id).and_then(|m| m.views) {
    ///         Some(views) => println!("{id}: {views} views"),
    ///         None => println!("{id}: -"),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) before any request for an empty id
    /// list (or an empty id); [`Error::Decode`](crate::Error::Decode) when the answer is not a
    /// `{data: {id: …}, meta}` object; otherwise as
    /// [`Videos::metrics`](crate::Videos::metrics).
    pub fn metrics(&self, request: &AccountMetricsRequest) -> Result<AccountMetricsBatch> {
        batch::run_ids(
            self.client,
            "POST /accounts/metrics",
            "account_ids",
            &request.account_ids,
            |body| request.window.write_body(body),
        )
    }
}

/// The record of a poll that has no response to show.
fn poll_meta() -> ResponseMeta {
    ResponseMeta {
        endpoint: Cow::Borrowed("GET /accounts/{id}"),
        ..ResponseMeta::default()
    }
}

/// The error of a [`Accounts::wait_until_scraped`] whose time ran out.
fn timed_out(
    id: &str,
    waited: Duration,
    polls: u32,
    last: Option<Response<Account>>,
    last_error: Option<Error>,
) -> Error {
    let (last_seen, meta) = match (&last_error, last) {
        (Some(e), _) => (
            "the last poll failed".to_owned(),
            e.meta().cloned().unwrap_or_else(poll_meta),
        ),
        (None, Some(Response { value, meta })) => {
            // The username is the server's text: one bounded line in the message.
            let mut seen = format!(
                "account {id} ({}) has no last_scrape_time yet",
                crate::text::name(&value.username)
            );
            if value.is_unavailable == Some(true) {
                seen.push_str(" and is marked unavailable");
            }
            if value.is_active == Some(false) {
                seen.push_str(" and is paused");
            }
            (seen, meta)
        }
        (None, None) => ("no poll was answered".to_owned(), poll_meta()),
    };
    Error::WaitTimedOut(Box::new(WaitTimeout {
        waited,
        polls,
        last_seen,
        last_error,
        meta,
    }))
}

/// `GET /accounts/{id}`, the id checked.
fn get_account(id: &str) -> Result<Call> {
    Ok(Call::new("GET /accounts/{id}", &[("account_id", id)])?.cacheable())
}

api_enum! {
    /// Sort keys of `GET /accounts`.
    #[non_exhaustive]
    pub enum AccountOrder as "order_by" {
        /// `added_at`: when tracking started (the API's default sort, newest first).
        AddedAt = "added_at",
        /// `username`
        Username = "username",
        /// `last_scrape_time`
        LastScrapeTime = "last_scrape_time",
        /// `follower_count`
        FollowerCount = "follower_count",
        /// `view_count`
        ViewCount = "view_count",
        /// `like_count`
        LikeCount = "like_count",
        /// `play_count`
        PlayCount = "play_count",
    }
}

/// Filters and sort for [`Accounts::list`]. Unset filters are not sent; `q` matches the
/// username.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct ListAccounts {
    category: Option<String>,
    creator_id: Option<String>,
    common: ListCommon<AccountOrder>,
}

list_setters!(ListAccounts, "accounts", filters: [platform, q], order: AccountOrder);

impl ListAccounts {
    /// No filters: every tracked account, 200 per page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only accounts in this category.
    pub fn category(mut self, category: impl Into<String>) -> Self {
        self.category = Some(category.into());
        self
    }

    /// Only accounts linked to this creator.
    pub fn creator_id(mut self, creator_id: impl Into<String>) -> Self {
        self.creator_id = Some(creator_id.into());
        self
    }

    fn query(&self) -> Result<Query> {
        let mut q = Query::new();
        q.text("category", self.category.as_deref())?
            .text("creator_id", self.creator_id.as_deref())?;
        self.common.write(&mut q)?;
        Ok(q)
    }
}

/// What [`Accounts::create`] sends: `platform` and `username` are required, the rest
/// optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct NewAccount {
    platform: Platform,
    username: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scrape_interval_hours: Option<u32>,
    #[serde(skip)]
    idempotency_key: Option<String>,
}

impl NewAccount {
    /// An account to track: its platform and its username on that platform.
    pub fn new(platform: Platform, username: impl Into<String>) -> Self {
        NewAccount {
            platform,
            username: username.into(),
            category: None,
            scrape_interval_hours: None,
            idempotency_key: None,
        }
    }

    /// A category label of your own, e.g. `"tech"`.
    pub fn category(mut self, category: impl Into<String>) -> Self {
        self.category = Some(category.into());
        self
    }

    /// How often the account is refreshed, in hours (the API's default: 24).
    pub fn scrape_interval_hours(mut self, hours: u32) -> Self {
        self.scrape_interval_hours = Some(hours);
        self
    }
}

idempotency_key_setter!(NewAccount);

with_engagement_counts! {
    /// A tracked Instagram or TikTok account.
    ///
    /// Only `id` and `username` are promised by the API docs; everything else is `None` when
    /// the server leaves it out or sends `null`. Metrics are `None` or `0` until the first
    /// refresh completes (`last_scrape_time` is set).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct Account {
        /// The account's id (a UUID).
        pub id: String,
        /// The username on its platform.
        pub username: String,
        /// The platform; `None` when the server leaves it out or sends something other than a
        /// platform name (the account schema does not list it; the docs' prose does).
        #[serde(default, deserialize_with = "lenient_name")]
        pub platform: Option<Platform>,
        /// The display name.
        #[serde(default)]
        pub name: Option<String>,
        /// The bio.
        #[serde(default)]
        pub description: Option<String>,
        /// The profile picture (a CDN URL that may expire).
        #[serde(default)]
        pub profile_pic_url: Option<String>,
        /// The profile picture at the platform.
        #[serde(default)]
        pub profile_pic_url_original: Option<String>,
        /// Whether the platform shows a verification badge.
        #[serde(default)]
        pub is_verified: Option<bool>,
        /// Whether tracking is active (`false`: paused).
        #[serde(default)]
        pub is_active: Option<bool>,
        /// Whether the API marks the profile unavailable (the docs do not say what makes it
        /// so: deleted, private, unreachable at the last refresh?).
        #[serde(default)]
        pub is_unavailable: Option<bool>,
        /// The link in the bio.
        #[serde(default)]
        pub link_in_bio: Option<String>,
        /// The creator the account is linked to.
        #[serde(default)]
        pub creator_id: Option<String>,
        /// That creator's name.
        #[serde(default)]
        pub creator_name: Option<String>,
        /// Your category label.
        #[serde(default)]
        pub category: Option<String>,
        /// Your key/value tags.
        #[serde(default, deserialize_with = "null_as_default")]
        pub metadata: Map<String, Value>,
        /// When tracking started (ISO 8601, UTC).
        #[serde(default)]
        pub added_at: Option<String>,
        /// When the first refresh completed.
        #[serde(default)]
        pub first_scrape_time: Option<String>,
        /// When the last refresh completed; `None` until the first one does.
        #[serde(default)]
        pub last_scrape_time: Option<String>,
        /// How often the account is refreshed, in hours.
        #[serde(default)]
        pub scrape_interval_hours: Option<u32>,
        /// Followers.
        #[serde(default)]
        pub follower_count: Option<u64>,
        /// Accounts followed.
        #[serde(default)]
        pub following_count: Option<u64>,
        /// Posts the profile shows.
        #[serde(default)]
        pub profile_post_count: Option<u64>,
        /// Posts collected.
        #[serde(default)]
        pub total_post_count: Option<u64>,
        ..engagement_counts(" over collected posts");
        /// A play count the API reports (the docs do not say which: probably Facebook plays
        /// of cross-posted reels).
        #[serde(default)]
        pub fb_play_count: Option<u64>,
        /// Instagram plays, as the API reports them.
        #[serde(default)]
        pub ig_play_count: Option<u64>,
        /// A like count the API reports (the docs do not say which: probably Facebook likes
        /// of cross-posted reels).
        #[serde(default)]
        pub fb_like_count: Option<u64>,
        /// This account's cap on recent posts collected (`None`: the organization's default).
        #[serde(default)]
        pub max_recent_posts_per_account: Option<u64>,
        /// This account's post age limit in days (`None`: the organization's default).
        #[serde(default)]
        pub post_lookback_days: Option<u64>,
        /// The cap on recent posts in effect.
        #[serde(default)]
        pub effective_max_recent_posts_per_account: Option<u64>,
        /// The post age limit in effect, in days.
        #[serde(default)]
        pub effective_post_lookback_days: Option<u64>,
    }
}

/// What [`Accounts::metrics`] sends: the account ids, and optionally the period.
///
/// The API docs do not give this endpoint's body. The ids go in `account_ids`, a name
/// inferred from the sibling endpoints (`video_ids`, `instagram_post_ids`); the period works as
/// in [`VideoMetricsRequest`](crate::VideoMetricsRequest).
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct AccountMetricsRequest {
    account_ids: Vec<String>,
    window: Window,
}

window_setters!(
    AccountMetricsRequest,
    new(account_ids): "Metrics of these tracked accounts (their UUIDs), over the API's default period."
);

/// The answer of [`Accounts::metrics`]: each account's metrics as the API sent them, and
/// [`BatchMeta`].
///
/// The docs do not describe this answer, so the values are kept as raw JSON;
/// [`metrics`](Self::metrics) reads one as [`MetricValues`] when it has that shape.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccountMetricsBatch {
    /// The metrics of each account found, keyed by account id, as the API sent them.
    #[serde(deserialize_with = "keyed_by_id")]
    pub data: BTreeMap<String, Value>,
    /// The period used and the ids not found.
    #[serde(default, deserialize_with = "lenient_or_default")]
    pub meta: BatchMeta,
}

keyed_batch!(
    AccountMetricsBatch,
    Value,
    "The raw metrics of one account, if it was found."
);

impl AccountMetricsBatch {
    /// The metrics of one account read as [`MetricValues`] (the fields the video batches
    /// use; anything else is in [`MetricValues::extra`]). `None` when the account was not
    /// found or its value is not a JSON object.
    pub fn metrics(&self, id: &str) -> Option<MetricValues> {
        self.data
            .get(id)
            .filter(|v| v.is_object())
            .and_then(|v| MetricValues::deserialize(v).ok())
    }
}
