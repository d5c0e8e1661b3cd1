//! Tracked accounts: `GET /accounts`, `POST /accounts`, `GET /accounts/{id}`, and their
//! batch analytics, `POST /accounts/metrics`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::batch::{self, keyed_batch};
use crate::call::Call;
use crate::de::{lenient_map, lenient_or_default, null_as_default};
use crate::metrics::{BatchMeta, MetricValues};
use crate::pagination::Paginator;
use crate::params::{ListCommon, Query, Window, api_enum, list_setters, non_blank, window_setters};
use crate::response::{Conditional, Response};
use crate::types::Platform;
use crate::{Client, Result};

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
    /// As [`get`](Self::get).
    pub fn get_if_none_match(&self, id: &str, etag: &str) -> Result<Conditional<Account>> {
        self.client
            .send(&get_account(id)?.if_none_match(etag))?
            .conditional()
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
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty username;
    /// [`Error::Api`](crate::Error::Api) with `QUOTA_EXCEEDED` when the organization's
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
        batch::run_windowed(
            self.client,
            "POST /accounts/metrics",
            "account_ids",
            &request.account_ids,
            request.window,
        )
    }
}

/// `GET /accounts/{id}`, the id checked.
fn get_account(id: &str) -> Result<Call> {
    Call::new("GET /accounts/{id}", &[("account_id", id)])
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
#[derive(Debug, Clone, Default, PartialEq)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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

    /// The `Idempotency-Key` to send instead of a random one, e.g. to retry a create across
    /// runs of a script within the API's ten-minute window.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }
}

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
    /// The platform.
    #[serde(default)]
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
    /// Whether the profile could not be reached at the last refresh.
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
    /// Views over collected posts.
    #[serde(default)]
    pub view_count: Option<u64>,
    /// Likes over collected posts.
    #[serde(default)]
    pub like_count: Option<u64>,
    /// Comments over collected posts.
    #[serde(default)]
    pub comment_count: Option<u64>,
    /// Shares over collected posts.
    #[serde(default)]
    pub share_count: Option<u64>,
    /// Plays over collected posts.
    #[serde(default)]
    pub play_count: Option<u64>,
    /// Saves (Instagram only; `None` on TikTok).
    #[serde(default)]
    pub saved_count: Option<u64>,
    /// Facebook plays of cross-posted reels, as the API reports them.
    #[serde(default)]
    pub fb_play_count: Option<u64>,
    /// Instagram plays, as the API reports them.
    #[serde(default)]
    pub ig_play_count: Option<u64>,
    /// Facebook likes of cross-posted reels, as the API reports them.
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
    #[serde(default, deserialize_with = "lenient_map")]
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
