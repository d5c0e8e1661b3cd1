//! Individually tracked videos: `GET /videos`, `POST /videos`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::pagination::Paginator;
use crate::resources::{MAX_PAGE_SIZE, Query, require};
use crate::response::Response;
use crate::transport::Method;
use crate::types::{OrderDirection, Platform, null_as_default};
use crate::{Client, Result};

/// The `/videos` endpoints; from [`Client::videos`].
#[derive(Debug, Clone, Copy)]
pub struct Videos<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// The tracked-videos endpoints.
    pub fn videos(&self) -> Videos<'_> {
        Videos { client: self }
    }
}

impl Videos<'_> {
    /// Every individually tracked video that matches `params`, page by page
    /// (`GET /videos`).
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{ListVideos, VideoOrder};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// for video in client.videos().list(ListVideos::new().order_by(VideoOrder::ViewCount)) {
    ///     let video = video?;
    ///     println!("{:?} {}", video.view_count, video.id);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// Invalid parameters (a `limit` outside 1–200, an empty filter) are reported by the
    /// first item, before any request is sent.
    pub fn list(&self, params: ListVideos) -> Paginator<Video> {
        self.client.list("videos", params.query())
    }

    /// Starts tracking one Instagram post or TikTok video (`POST /videos`), even when its
    /// account is not tracked.
    ///
    /// The request carries an `Idempotency-Key` (yours, or a random one) that is the same on
    /// every retry, so a retried create cannot track the video twice.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{NewVideo, Platform};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let video = client.videos().create(
    ///     &NewVideo::new(Platform::Instagram, "https://www.instagram.com/p/C8xYzAbCdEf/").is_active(true),
    /// )?;
    /// println!("tracking {}", video.id);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty identifier;
    /// [`Error::Api`](crate::Error::Api) with `VALIDATION_ERROR` for a rejected body;
    /// otherwise as for every call.
    pub fn create(&self, new: &NewVideo) -> Result<Video> {
        Ok(self.create_with_meta(new)?.into_inner())
    }

    /// [`create`](Self::create), with the call's [`ResponseMeta`](crate::ResponseMeta),
    /// including the idempotency key sent.
    ///
    /// # Errors
    ///
    /// As [`create`](Self::create).
    pub fn create_with_meta(&self, new: &NewVideo) -> Result<Response<Video>> {
        require("identifier", &new.identifier)?;
        let request = self
            .client
            .request_to(Method::Post, "videos")
            .json(new)?
            .idempotency_key_or_random(new.idempotency_key.as_deref());
        self.client.send(&request)?.data()
    }
}

/// Sort keys of `GET /videos`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VideoOrder {
    /// `added_at`: when tracking started (the API's default sort, newest first).
    AddedAt,
    /// `create_time`: when the video was posted.
    CreateTime,
    /// `view_count`
    ViewCount,
    /// `like_count`
    LikeCount,
    /// `play_count`
    PlayCount,
}

impl VideoOrder {
    /// The API's name of the key.
    pub fn as_str(&self) -> &'static str {
        match self {
            VideoOrder::AddedAt => "added_at",
            VideoOrder::CreateTime => "create_time",
            VideoOrder::ViewCount => "view_count",
            VideoOrder::LikeCount => "like_count",
            VideoOrder::PlayCount => "play_count",
        }
    }
}

impl std::fmt::Display for VideoOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Filters and sort for [`Videos::list`]. Unset filters are not sent.
///
/// The docs confirm `account_id` and the sort for this endpoint; `platform`, `q` and
/// `is_active` are the API's common filters and are sent only when you set them.
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct ListVideos {
    account_id: Option<String>,
    platform: Option<Platform>,
    q: Option<String>,
    is_active: Option<bool>,
    order_by: Option<VideoOrder>,
    order_direction: Option<OrderDirection>,
    include_total: Option<bool>,
    limit: Option<u32>,
}

impl ListVideos {
    /// No filters: every tracked video, 200 per page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only videos of this tracked account.
    pub fn account_id(mut self, account_id: impl Into<String>) -> Self {
        self.account_id = Some(account_id.into());
        self
    }

    /// Only videos on this platform.
    pub fn platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// Only videos matching this text (case-insensitive).
    pub fn q(mut self, text: impl Into<String>) -> Self {
        self.q = Some(text.into());
        self
    }

    /// Only active (`true`) or paused (`false`) videos.
    pub fn is_active(mut self, active: bool) -> Self {
        self.is_active = Some(active);
        self
    }

    /// Sort by this key.
    pub fn order_by(mut self, key: VideoOrder) -> Self {
        self.order_by = Some(key);
        self
    }

    /// Sort in this direction.
    pub fn order_direction(mut self, direction: OrderDirection) -> Self {
        self.order_direction = Some(direction);
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
            .opt("order_by", self.order_by)
            .opt("order_direction", self.order_direction)
            .opt("include_total", self.include_total)
            .limit(self.limit, MAX_PAGE_SIZE)?;
        Ok(q)
    }
}

/// What [`Videos::create`] sends: `platform` and `identifier` are required, the rest
/// optional.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct NewVideo {
    platform: Platform,
    identifier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_active: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scrape_interval_hours: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<Map<String, Value>>,
    #[serde(skip)]
    idempotency_key: Option<String>,
}

impl NewVideo {
    /// A video to track: its platform and its post URL, shortcode or id.
    pub fn new(platform: Platform, identifier: impl Into<String>) -> Self {
        NewVideo {
            platform,
            identifier: identifier.into(),
            is_active: None,
            scrape_interval_hours: None,
            metadata: None,
            idempotency_key: None,
        }
    }

    /// Whether to start refreshing it at once.
    pub fn is_active(mut self, active: bool) -> Self {
        self.is_active = Some(active);
        self
    }

    /// How often it is refreshed, in hours.
    pub fn scrape_interval_hours(mut self, hours: u32) -> Self {
        self.scrape_interval_hours = Some(hours);
        self
    }

    /// Key/value tags of your own.
    pub fn metadata(mut self, metadata: Map<String, Value>) -> Self {
        self.metadata = Some(metadata);
        self
    }

    /// The `Idempotency-Key` to send instead of a random one.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }
}

/// An individually tracked Instagram post or TikTok video.
///
/// Only `id` is promised by the API docs; everything else is `None` when the server leaves
/// it out or sends `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Video {
    /// The video's id (a UUID).
    pub id: String,
    /// The platform's own id of the post.
    #[serde(default)]
    pub external_id: Option<String>,
    /// The platform.
    #[serde(default)]
    pub platform: Option<Platform>,
    /// The post's shortcode.
    #[serde(default)]
    pub shortcode: Option<String>,
    /// Whether tracking is active.
    #[serde(default)]
    pub is_active: Option<bool>,
    /// How often it is refreshed, in hours.
    #[serde(default)]
    pub scrape_interval_hours: Option<u32>,
    /// Your key/value tags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub metadata: Map<String, Value>,
    /// When tracking started (ISO 8601, UTC).
    #[serde(default)]
    pub added_at: Option<String>,
    /// When the record last changed.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// When the first refresh completed.
    #[serde(default)]
    pub first_scrape_time: Option<String>,
    /// When the last refresh completed; `None` until the first one does.
    #[serde(default)]
    pub last_scrape_time: Option<String>,
    /// The caption.
    #[serde(default)]
    pub description: Option<String>,
    /// When it was posted on the platform.
    #[serde(default)]
    pub create_time: Option<String>,
    /// The platform's media type, as it names it.
    #[serde(default)]
    pub media_type: Option<String>,
    /// The length, as the API reports it (probably seconds).
    #[serde(default)]
    pub duration: Option<f64>,
    /// Whether the post could not be reached at the last refresh.
    #[serde(default)]
    pub is_unavailable: Option<bool>,
    /// The cover image (a CDN URL that may expire).
    #[serde(default)]
    pub cover_image_url: Option<String>,
    /// The cover image at the platform.
    #[serde(default)]
    pub cover_image_url_original: Option<String>,
    /// The video file (a CDN URL that may expire).
    #[serde(default)]
    pub video_url: Option<String>,
    /// The video file at the platform.
    #[serde(default)]
    pub video_url_original: Option<String>,
    /// Views.
    #[serde(default)]
    pub view_count: Option<u64>,
    /// Likes.
    #[serde(default)]
    pub like_count: Option<u64>,
    /// Comments.
    #[serde(default)]
    pub comment_count: Option<u64>,
    /// Shares.
    #[serde(default)]
    pub share_count: Option<u64>,
    /// Plays.
    #[serde(default)]
    pub play_count: Option<u64>,
    /// Saves (Instagram only; `None` on TikTok).
    #[serde(default)]
    pub saved_count: Option<u64>,
    /// Total views, as the API reports them.
    #[serde(default)]
    pub total_views: Option<u64>,
    /// Total plays, as the API reports them.
    #[serde(default)]
    pub total_plays: Option<u64>,
    /// The tracked account that owns the post, if it is tracked.
    #[serde(default)]
    pub account_id: Option<String>,
    /// That account's username.
    #[serde(default)]
    pub account_username: Option<String>,
    /// The platform's id of the owning account.
    #[serde(default)]
    pub platform_account_id: Option<String>,
    /// The raw platform payload, as the API passes it on.
    #[serde(default)]
    pub platform_data: Option<Value>,
}
