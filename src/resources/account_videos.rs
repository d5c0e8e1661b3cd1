//! Posts discovered from tracked accounts: `GET /account-videos` and their batch metrics,
//! `POST /account-videos/metrics`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::batch::{self, BATCH_CHUNK_SIZE};
use crate::de::{lenient, lenient_name, string_or_number};
use crate::metrics::MetricsBatch;
use crate::pagination::Paginator;
use crate::params::{ListCommon, NoOrder, Query, Window, list_setters, window_setters};
use crate::types::Platform;
use crate::{Client, Result};

/// The `/account-videos` endpoints; from [`Client::account_videos`].
#[derive(Debug, Clone, Copy)]
pub struct AccountVideos<'a> {
    client: &'a Client,
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
    ///     println!("{} {} views", video.id, video.view_count.unwrap_or(0));
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// Invalid parameters (a `limit` outside 1–200, an empty filter) are reported by the
    /// first item, before any request is sent.
    pub fn list(&self, params: ListAccountVideos) -> Paginator<AccountVideo> {
        Paginator::start(self.client.clone(), "GET /account-videos", params.query())
    }

    /// Continues a walk over `/account-videos` from a [`Checkpoint`](crate::Checkpoint)
    /// taken with [`Paginator::checkpoint`] (in this process or an earlier one): the same
    /// filters and sort, from the item after the last one yielded. See
    /// [`Paginator::checkpoint`] for what is exact and what `max_items` does.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput), before any request, for a
    /// checkpoint of another listing (or of a format this version does not read).
    pub fn resume(&self, checkpoint: &crate::Checkpoint) -> Result<Paginator<AccountVideo>> {
        Paginator::resume(self.client.clone(), Some("GET /account-videos"), checkpoint)
    }

    /// Windowed metrics of posts discovered from tracked accounts
    /// (`POST /account-videos/metrics`), addressed by their integer internal ids.
    ///
    /// Duplicates within each platform's list are sent once. More than
    /// [`BATCH_CHUNK_SIZE`](crate::BATCH_CHUNK_SIZE) ids in all (Instagram and TikTok together; the API's own bound is
    /// not documented) are sent as several requests whose answers are merged. The answer is
    /// keyed by the ids as strings; how the API keeps an Instagram id apart from an equal
    /// TikTok id is not documented.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{AccountVideoMetricsRequest, Period};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let request = AccountVideoMetricsRequest::new()
    ///     .instagram_post_ids([1_204_551, 1_204_552])
    ///     .tiktok_video_ids([88_310_042])
    ///     .period(Period::Last90Days);
    /// let batch = client.account_videos().metrics(&request)?;
    /// if let Some(m) = batch.get("88310042") {
    ///     let rate = m.engagement_rate().map_or("-".to_owned(), |r| format!("{r:.1} %"));
    ///     println!("{} views, {rate} engagement", m.views.unwrap_or(0));
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) before any request when both id
    /// lists are empty; otherwise as [`Videos::metrics`](crate::Videos::metrics).
    pub fn metrics(&self, request: &AccountVideoMetricsRequest) -> Result<MetricsBatch> {
        let instagram = batch::dedup(&request.instagram_post_ids);
        let tiktok = batch::dedup(&request.tiktok_video_ids);
        if instagram.is_empty() && tiktok.is_empty() {
            return Err(crate::Error::InvalidInput(
                "instagram_post_ids, tiktok_video_ids: at least one id is required".into(),
            ));
        }
        let tagged: Vec<(bool, u64)> = instagram
            .iter()
            .map(|&id| (true, id))
            .chain(tiktok.iter().map(|&id| (false, id)))
            .collect();
        let bodies = tagged.chunks(BATCH_CHUNK_SIZE).map(|chunk| {
            let (ig, tt): (Vec<_>, Vec<_>) = chunk.iter().partition(|(is_ig, _)| *is_ig);
            let mut body = Map::new();
            for (field, ids) in [("instagram_post_ids", ig), ("tiktok_video_ids", tt)] {
                if !ids.is_empty() {
                    body.insert(field.into(), ids.iter().map(|(_, id)| *id).collect());
                }
            }
            request.window.write_body(&mut body);
            body
        });
        batch::run(self.client, "POST /account-videos/metrics", bodies)
    }
}

/// Filters for [`AccountVideos::list`]. Unset filters are not sent.
///
/// The API docs do not list this endpoint's parameters. These are the API's documented
/// common filters (`account_id`, `platform`, `q`, `is_active`) and pagination parameters
/// (`include_total`, `limit`); the docs do not confirm that this endpoint accepts each of
/// them, so set only those you need (an unknown one may be ignored or refused with `422`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct ListAccountVideos {
    common: ListCommon<NoOrder>,
}

list_setters!(
    ListAccountVideos,
    "posts",
    filters: [account_id, platform, q],
    unset_limit: "unset, none is sent and the server's default applies (the docs give none for this endpoint)"
);

impl ListAccountVideos {
    /// No filters: every discovered post, in pages of the API's default size (the docs give
    /// no page sizes for this endpoint; set [`limit`](Self::limit) to choose one).
    pub fn new() -> Self {
        Self::default()
    }

    fn query(&self) -> Result<Query> {
        let mut q = Query::new();
        self.common.write_without_default_limit(&mut q)?;
        Ok(q)
    }
}

/// The id of an account video: an integer internal id, as
/// [`AccountVideoMetricsRequest`](crate::AccountVideoMetricsRequest) takes them, or whatever string the
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
    /// The internal id (an integer), as [`AccountVideoMetricsRequest`](crate::AccountVideoMetricsRequest)
    /// takes it.
    pub id: AccountVideoId,
    /// The platform: it says which id list of
    /// [`AccountVideoMetricsRequest`](crate::AccountVideoMetricsRequest) the id belongs to.
    #[serde(default, deserialize_with = "lenient_name")]
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

/// What [`AccountVideos::metrics`] sends: integer internal ids of Instagram posts and TikTok
/// videos discovered from tracked accounts (at least one in all), and optionally the period.
///
/// The ids are the `id`s of [`AccountVideo`](crate::AccountVideo)s (see
/// [`AccountVideoId::as_u64`](crate::AccountVideoId::as_u64)); the period works as in
/// [`VideoMetricsRequest`](crate::VideoMetricsRequest).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct AccountVideoMetricsRequest {
    instagram_post_ids: Vec<u64>,
    tiktok_video_ids: Vec<u64>,
    window: Window,
}

impl AccountVideoMetricsRequest {
    /// An empty request: add ids with [`instagram_post_ids`](Self::instagram_post_ids) and
    /// [`tiktok_video_ids`](Self::tiktok_video_ids).
    pub fn new() -> Self {
        Self::default()
    }

    /// The Instagram posts (internal `instagram_post` ids), replacing any set before.
    pub fn instagram_post_ids(mut self, ids: impl IntoIterator<Item = u64>) -> Self {
        self.instagram_post_ids = ids.into_iter().collect();
        self
    }

    /// The TikTok videos (internal `tiktok_video` ids), replacing any set before.
    pub fn tiktok_video_ids(mut self, ids: impl IntoIterator<Item = u64>) -> Self {
        self.tiktok_video_ids = ids.into_iter().collect();
        self
    }
}

window_setters!(AccountVideoMetricsRequest);
