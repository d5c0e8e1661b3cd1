//! Tracked accounts: `GET /accounts`, `POST /accounts`, `GET /accounts/{id}`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::pagination::Paginator;
use crate::resources::{MAX_PAGE_SIZE, Query, require};
use crate::response::{Conditional, Response};
use crate::transport::Method;
use crate::types::{OrderDirection, Platform, null_as_default};
use crate::url::path;
use crate::{Client, Result};

/// The `/accounts` endpoints; from [`Client::accounts`].
#[derive(Debug, Clone, Copy)]
pub struct Accounts<'a> {
    pub(crate) client: &'a Client,
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
    ///     println!("{:>12?} {}", account.follower_count, account.username);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// Invalid parameters (a `limit` outside 1–200, an empty filter) are reported by the
    /// first item, before any request is sent.
    pub fn list(&self, params: ListAccounts) -> Paginator<Account> {
        self.client.list("accounts", params.query())
    }

    /// One tracked account (`GET /accounts/{id}`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty id;
    /// [`Error::Api`](crate::Error::Api) with `NOT_FOUND` when the account is not in your
    /// organization; otherwise as for every call.
    pub fn get(&self, id: &str) -> Result<Account> {
        Ok(self.get_with_meta(id)?.into_inner())
    }

    /// [`get`](Self::get), with the call's [`ResponseMeta`](crate::ResponseMeta) (its `etag`
    /// is what [`get_if_none_match`](Self::get_if_none_match) takes).
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    pub fn get_with_meta(&self, id: &str) -> Result<Response<Account>> {
        self.client
            .get_data(&path("accounts", &[("account_id", id)], "")?, &Query::new())
    }

    /// A conditional [`get`](Self::get): sends `If-None-Match: etag` and returns
    /// [`Conditional::NotModified`] (no body, no error) when the account has not changed.
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    pub fn get_if_none_match(&self, id: &str, etag: &str) -> Result<Conditional<Account>> {
        self.client
            .get_data_if_none_match(&path("accounts", &[("account_id", id)], "")?, etag)
    }

    /// Starts tracking an account (`POST /accounts`). Its profile is fetched in the
    /// background; `last_scrape_time` stays `None` until that lands.
    ///
    /// The request carries an `Idempotency-Key` (yours, or a random one) that is the same on
    /// every retry, so a retried create cannot track the account twice.
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
    /// duplicate; otherwise as for every call.
    pub fn create(&self, new: &NewAccount) -> Result<Account> {
        Ok(self.create_with_meta(new)?.into_inner())
    }

    /// [`create`](Self::create), with the call's [`ResponseMeta`](crate::ResponseMeta),
    /// including the idempotency key sent.
    ///
    /// # Errors
    ///
    /// As [`create`](Self::create).
    pub fn create_with_meta(&self, new: &NewAccount) -> Result<Response<Account>> {
        require("username", &new.username)?;
        let request = self
            .client
            .request_to(Method::Post, "accounts")
            .json(new)?
            .idempotency_key_or_random(new.idempotency_key.as_deref());
        self.client.send(&request)?.data()
    }
}

/// Sort keys of `GET /accounts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AccountOrder {
    /// `added_at`: when tracking started (the API's default sort, newest first).
    AddedAt,
    /// `username`
    Username,
    /// `last_scrape_time`
    LastScrapeTime,
    /// `follower_count`
    FollowerCount,
    /// `view_count`
    ViewCount,
    /// `like_count`
    LikeCount,
    /// `play_count`
    PlayCount,
}

impl AccountOrder {
    /// The API's name of the key.
    pub fn as_str(&self) -> &'static str {
        match self {
            AccountOrder::AddedAt => "added_at",
            AccountOrder::Username => "username",
            AccountOrder::LastScrapeTime => "last_scrape_time",
            AccountOrder::FollowerCount => "follower_count",
            AccountOrder::ViewCount => "view_count",
            AccountOrder::LikeCount => "like_count",
            AccountOrder::PlayCount => "play_count",
        }
    }
}

impl std::fmt::Display for AccountOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Filters and sort for [`Accounts::list`]. Unset filters are not sent.
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct ListAccounts {
    platform: Option<Platform>,
    q: Option<String>,
    is_active: Option<bool>,
    category: Option<String>,
    creator_id: Option<String>,
    order_by: Option<AccountOrder>,
    order_direction: Option<OrderDirection>,
    include_total: Option<bool>,
    limit: Option<u32>,
}

impl ListAccounts {
    /// No filters: every tracked account, 200 per page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only accounts on this platform.
    pub fn platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// Only accounts whose username contains this text (case-insensitive).
    pub fn q(mut self, text: impl Into<String>) -> Self {
        self.q = Some(text.into());
        self
    }

    /// Only active (`true`) or paused (`false`) accounts.
    pub fn is_active(mut self, active: bool) -> Self {
        self.is_active = Some(active);
        self
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

    /// Sort by this key.
    pub fn order_by(mut self, key: AccountOrder) -> Self {
        self.order_by = Some(key);
        self
    }

    /// Sort in this direction (the API's default: descending).
    pub fn order_direction(mut self, direction: OrderDirection) -> Self {
        self.order_direction = Some(direction);
        self
    }

    /// Ask for `total_count` on every page (costs the server a COUNT query).
    pub fn include_total(mut self, include: bool) -> Self {
        self.include_total = Some(include);
        self
    }

    /// Items per page, 1 to 200: default 200 (the fewest requests). This is the page size,
    /// not a cap on the walk: for that, use [`Paginator::max_items`].
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    fn query(&self) -> Result<Query> {
        let mut q = Query::new();
        q.opt("platform", self.platform.as_ref())
            .text("q", self.q.as_deref())?
            .opt("is_active", self.is_active)
            .text("category", self.category.as_deref())?
            .text("creator_id", self.creator_id.as_deref())?
            .opt("order_by", self.order_by)
            .opt("order_direction", self.order_direction)
            .opt("include_total", self.include_total)
            .limit(self.limit, MAX_PAGE_SIZE)?;
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
