//! Posts discovered from tracked accounts: `GET /account-videos` (their batch metrics,
//! `POST /account-videos/metrics`, are in `analytics`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::pagination::Paginator;
use crate::resources::analytics::{lenient, string_or_number};
use crate::resources::{MAX_PAGE_SIZE, Query};
use crate::types::Platform;
use crate::{Client, Result};

/// The `/account-videos` endpoints; from [`Client::account_videos`].
#[derive(Debug, Clone, Copy)]
pub struct AccountVideos<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// The endpoints of posts discovered from tracked accounts (as opposed to
    /// [individually tracked videos](Client::videos)).
    pub fn account_videos(&self) -> AccountVideos<'_> {
        AccountVideos { client: self }
    }
}

impl AccountVideos<'_> {
    /// Every post discovered from your tracked accounts that matches `params`, page by page
    /// (`GET /account-videos`).
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{ListAccountVideos, Platform};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let params = ListAccountVideos::new().platform(Platform::TikTok);
    /// for video in client.account_videos().list(params).max_items(50) {
    ///     let video = video?;
    ///     println!("{} {:?} views", video.id, video.view_count);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// Invalid parameters (a `limit` outside 1–200, an empty filter) are reported by the
    /// first item, before any request is sent.
    pub fn list(&self, params: ListAccountVideos) -> Paginator<AccountVideo> {
        self.client.list("account-videos", params.query())
    }
}

/// Filters for [`AccountVideos::list`]. Unset filters are not sent.
///
/// The API docs do not list this endpoint's parameters. These are the API's documented
/// common filters (`account_id`, `platform`, `q`, `is_active`) and pagination parameters
/// (`include_total`, `limit`); the docs do not confirm that this endpoint accepts each of
/// them, so set only those you need (an unknown one may be ignored or refused with `422`).
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct ListAccountVideos {
    account_id: Option<String>,
    platform: Option<Platform>,
    q: Option<String>,
    is_active: Option<bool>,
    include_total: Option<bool>,
    limit: Option<u32>,
}

impl ListAccountVideos {
    /// No filters: every discovered post, 200 per page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only posts of this tracked account (its UUID).
    pub fn account_id(mut self, account_id: impl Into<String>) -> Self {
        self.account_id = Some(account_id.into());
        self
    }

    /// Only posts on this platform.
    pub fn platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// Only posts matching this text (case-insensitive).
    pub fn q(mut self, text: impl Into<String>) -> Self {
        self.q = Some(text.into());
        self
    }

    /// Only active (`true`) or paused (`false`) posts.
    pub fn is_active(mut self, active: bool) -> Self {
        self.is_active = Some(active);
        self
    }

    /// Ask for `total_count` on every page (costs the server a COUNT query).
    pub fn include_total(mut self, include: bool) -> Self {
        self.include_total = Some(include);
        self
    }

    /// Items per page, 1 to 200: default 200. This is the page size, not a cap on the walk:
    /// for that, use [`Paginator::max_items`].
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    fn query(&self) -> Result<Query> {
        let mut q = Query::new();
        q.text("account_id", self.account_id.as_deref())?
            .opt("platform", self.platform.as_ref())
            .text("q", self.q.as_deref())?
            .opt("is_active", self.is_active)
            .opt("include_total", self.include_total)
            .limit(self.limit, MAX_PAGE_SIZE)?;
        Ok(q)
    }
}

/// The id of an account video: an integer internal id, as
/// [`AccountVideoMetrics`](crate::AccountVideoMetrics) takes them, or whatever string the
/// API sends instead.
///
/// ```
/// use creatoraudit::AccountVideoId;
///
/// let id: AccountVideoId = serde_json::from_str("1204551")?;
/// assert_eq!(id, AccountVideoId::Int(1_204_551));
/// assert_eq!(id.as_u64(), Some(1_204_551));
/// assert_eq!(id.to_string(), "1204551");
/// let id: AccountVideoId = serde_json::from_str("\"8f14e45f-ceea\"")?;
/// assert_eq!(id.as_u64(), None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccountVideoId {
    /// An integer id (the documented form).
    Int(u64),
    /// Any other id, as the API sent it (a string, or a number that is not a `u64`).
    Text(String),
}

impl AccountVideoId {
    /// The integer id: the value of [`Int`](Self::Int), or a [`Text`](Self::Text) made
    /// only of digits.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            AccountVideoId::Int(n) => Some(*n),
            AccountVideoId::Text(s) => s.parse().ok(),
        }
    }
}

impl fmt::Display for AccountVideoId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccountVideoId::Int(n) => write!(f, "{n}"),
            AccountVideoId::Text(s) => f.write_str(s),
        }
    }
}

impl From<u64> for AccountVideoId {
    fn from(id: u64) -> Self {
        AccountVideoId::Int(id)
    }
}

impl Serialize for AccountVideoId {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            AccountVideoId::Int(n) => s.serialize_u64(*n),
            AccountVideoId::Text(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for AccountVideoId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Number(n) => Ok(n
                .as_u64()
                .map_or_else(|| AccountVideoId::Text(n.to_string()), AccountVideoId::Int)),
            Value::String(s) => Ok(AccountVideoId::Text(s)),
            other => Err(serde::de::Error::custom(format!(
                "expected an integer or string id, got {other}"
            ))),
        }
    }
}

/// A post discovered from a tracked account's feed.
///
/// The API docs do not give this item's fields. Only `id` is required. The named fields are
/// those every video carries by the docs (the Concepts page: both kinds of video "carry the
/// same engagement metrics"; the Platforms page: every video has a `platform`), under the
/// names of [`Video`](crate::Video); each is `None` when the API leaves it out or sends it
/// in another shape. Everything else the API sends is kept, as it sent it, in
/// [`extra`](Self::extra).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccountVideo {
    /// The internal id (an integer), as [`AccountVideoMetrics`](crate::AccountVideoMetrics)
    /// takes it.
    pub id: AccountVideoId,
    /// The platform: it says which id list of
    /// [`AccountVideoMetrics`](crate::AccountVideoMetrics) the id belongs to.
    #[serde(default, deserialize_with = "lenient")]
    pub platform: Option<Platform>,
    /// The tracked account the post was discovered from.
    #[serde(default, deserialize_with = "string_or_number")]
    pub account_id: Option<String>,
    /// That account's username.
    #[serde(default, deserialize_with = "lenient")]
    pub account_username: Option<String>,
    /// The platform's own id of the post.
    #[serde(default, deserialize_with = "string_or_number")]
    pub external_id: Option<String>,
    /// The post's shortcode.
    #[serde(default, deserialize_with = "lenient")]
    pub shortcode: Option<String>,
    /// The caption.
    #[serde(default, deserialize_with = "lenient")]
    pub description: Option<String>,
    /// When it was posted on the platform (ISO 8601, UTC).
    #[serde(default, deserialize_with = "lenient")]
    pub create_time: Option<String>,
    /// When the last refresh completed.
    #[serde(default, deserialize_with = "lenient")]
    pub last_scrape_time: Option<String>,
    /// Views.
    #[serde(default, deserialize_with = "lenient")]
    pub view_count: Option<u64>,
    /// Likes.
    #[serde(default, deserialize_with = "lenient")]
    pub like_count: Option<u64>,
    /// Comments.
    #[serde(default, deserialize_with = "lenient")]
    pub comment_count: Option<u64>,
    /// Shares.
    #[serde(default, deserialize_with = "lenient")]
    pub share_count: Option<u64>,
    /// Plays.
    #[serde(default, deserialize_with = "lenient")]
    pub play_count: Option<u64>,
    /// Saves (Instagram only; `None` on TikTok).
    #[serde(default, deserialize_with = "lenient")]
    pub saved_count: Option<u64>,
    /// Every other member the API sends (`type`, URLs, ...), as it sent it.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
