//! Individually tracked videos: `GET /videos`, `POST /videos`, and their batch analytics,
//! `POST /videos/metrics` and `POST /videos/deltas`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::api_enum::api_enum;
use crate::batch::{self, keyed_batch};
use crate::call::Call;
use crate::de::{
    keyed_by_id, lenient_entries, lenient_name, lenient_or_default, null_as_default,
    with_engagement_counts,
};
use crate::metrics::{BatchMeta, MetricsBatch};
use crate::pagination::Paginator;
use crate::params::{
    ListCommon, Query, Window, collect_tags, idempotency_key_setter, list_setters, non_blank,
    window_setters,
};
use crate::response::Response;
use crate::types::Platform;
use crate::{Client, Error, Result};

/// The most look-back windows `POST /videos/deltas` takes.
const MAX_WINDOWS: usize = 10;

/// The longest look-back window `POST /videos/deltas` takes, in days.
const MAX_WINDOW_DAYS: u32 = 365;

/// The `/videos` endpoints; from [`Client::videos`].
#[derive(Debug, Clone, Copy)]
pub struct Videos<'a> {
    client: &'a Client,
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
    ///     let views = video.view_count.map_or("-".to_owned(), |n| n.to_string());
    ///     println!("{views} {}", video.id);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// Invalid parameters (a `limit` outside 1–200, an empty filter) are reported by the
    /// first item, before any request is sent.
    pub fn list(&self, params: ListVideos) -> Paginator<Video> {
        Paginator::start(self.client.clone(), "GET /videos", params.query())
    }

    /// Continues a walk over `/videos` from a [`Checkpoint`](crate::Checkpoint)
    /// taken with [`Paginator::checkpoint`] (in this process or an earlier one): the same
    /// filters and sort, from the item after the last one yielded. See
    /// [`Paginator::checkpoint`] for what is exact and what `max_items` does.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput), before any request, for a
    /// checkpoint of another listing (or of a format this version does not read).
    pub fn resume(&self, checkpoint: &crate::Checkpoint) -> Result<Paginator<Video>> {
        Paginator::resume(self.client.clone(), Some("GET /videos"), checkpoint)
    }

    /// Starts tracking one Instagram post or TikTok video (`POST /videos`), even when its
    /// account is not tracked.
    ///
    /// The request carries an `Idempotency-Key` (yours, or a random one) that is the same on
    /// every retry. The API deduplicates keyed creates best-effort (in one process, for ten
    /// minutes), so a retried create usually, not certainly, tracks the video once.
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
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty identifier, or an
    /// idempotency key a header cannot carry as given (empty, padded, not visible ASCII,
    /// over 1,024 characters);
    /// [`Error::Api`](crate::Error::Api) with `VALIDATION_ERROR` for a rejected body;
    /// otherwise the [common failures](crate::Error#common-failures).
    pub fn create(&self, new: &NewVideo) -> Result<Video> {
        Ok(self.create_with_meta(new)?.value)
    }

    /// [`create`](Self::create), with the call's [`ResponseMeta`](crate::ResponseMeta),
    /// including the idempotency key sent.
    ///
    /// # Errors
    ///
    /// As [`create`](Self::create).
    pub fn create_with_meta(&self, new: &NewVideo) -> Result<Response<Video>> {
        non_blank("identifier", &new.identifier)?;
        let key = new.idempotency_key.as_deref();
        self.client
            .send(&Call::create("POST /videos", new, key)?)?
            .data()
    }

    /// Windowed metrics (views, plays, likes, comments, shares, engagement) of individually
    /// tracked videos (`POST /videos/metrics`).
    ///
    /// Any number of ids: duplicates are sent once, and more than [`BATCH_CHUNK_SIZE`](crate::BATCH_CHUNK_SIZE) are
    /// sent as several requests whose answers are merged (see [`MetricsBatch`](crate::MetricsBatch)). Ids your
    /// organization does not track come back in [`BatchMeta::not_found`](crate::BatchMeta::not_found).
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{Date, DateRange, VideoMetricsRequest};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let ids = ["3c90c3cc-0d44-4b50-8888-8dd25736052a", "8f14e45f-ceea-4e7b-a1d4-5c6f7a8b9c0d"];
    /// let june = VideoMetricsRequest::new(ids)
    ///     .date_range(DateRange::new(Date::new(2026, 6, 1)?, Date::new(2026, 6, 30)?)?);
    /// let batch = client.videos().metrics(&june)?;
    /// for (id, m) in &batch.data {
    ///     println!("{id}: {} views, {} engagement", m.views.unwrap_or(0), m.engagement.unwrap_or(0));
    /// }
    /// println!("not tracked: {}", batch.meta.not_found.join(", "));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) before any request for an empty id list (or an empty id);
    /// [`Error::Api`](crate::Error::Api) with `VALIDATION_ERROR` when the API rejects the body; otherwise the
    /// [common failures](crate::Error#common-failures). When one of several chunked
    /// requests fails, the call fails with that error and the other answers are dropped.
    pub fn metrics(&self, request: &VideoMetricsRequest) -> Result<MetricsBatch> {
        batch::run_ids(
            self.client,
            "POST /videos/metrics",
            "video_ids",
            &request.video_ids,
            |body| request.window.write_body(body),
        )
    }

    /// The change in view count of individually tracked videos over several look-back
    /// windows (`POST /videos/deltas`), e.g. views gained in the last 1, 7 and 30 days.
    ///
    /// Any number of ids, chunked and merged as for [`metrics`](Self::metrics).
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::VideoDeltasRequest;
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let ids = vec!["3c90c3cc-0d44-4b50-8888-8dd25736052a".to_owned()];
    /// let batch = client.videos().deltas(&VideoDeltasRequest::new(ids).windows([1, 7, 30]))?;
    /// for (id, deltas) in &batch.data {
    ///     println!("{id}: {:+} views this week", deltas.days(7).unwrap_or(0));
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) before any request for an empty id list (or an empty id), or
    /// windows that are not 1 to 10 distinct values of 1 to 365 days; otherwise as
    /// [`metrics`](Self::metrics).
    pub fn deltas(&self, request: &VideoDeltasRequest) -> Result<DeltasBatch> {
        let windows = request
            .windows
            .as_deref()
            .map(checked_windows)
            .transpose()?;
        batch::run_ids(
            self.client,
            "POST /videos/deltas",
            "video_ids",
            &request.video_ids,
            |body| {
                if let Some(windows) = &windows {
                    body.insert("windows".into(), windows.iter().copied().collect());
                }
            },
        )
    }
}

api_enum! {
    /// Sort keys of `GET /videos`.
    #[non_exhaustive]
    pub enum VideoOrder as "order_by" {
        /// `added_at`: when tracking started (the API's default sort, newest first).
        AddedAt = "added_at",
        /// `create_time`: when the video was posted.
        CreateTime = "create_time",
        /// `view_count`
        ViewCount = "view_count",
        /// `like_count`
        LikeCount = "like_count",
        /// `play_count`
        PlayCount = "play_count",
    }
}

/// Filters and sort for [`Videos::list`]. Unset filters are not sent.
///
/// The docs confirm `account_id` and the sort for this endpoint; `platform`, `q` and
/// `is_active` are the API's common filters and are sent only when you set them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct ListVideos {
    common: ListCommon<VideoOrder>,
}

list_setters!(ListVideos, "videos", filters: [account_id, platform, q], order: VideoOrder);

impl ListVideos {
    /// No filters: every tracked video, 200 per page.
    pub fn new() -> Self {
        Self::default()
    }

    fn query(&self) -> Result<Query> {
        let mut q = Query::new();
        self.common.write(&mut q)?;
        Ok(q)
    }
}

/// What [`Videos::create`] sends: `platform` and `identifier` are required, the rest
/// optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

    /// Key/value tags of your own, in any map-like form: a `serde_json::Map`, a `HashMap`,
    /// or pairs such as `[("campaign", "summer")]`.
    pub fn metadata<K: Into<String>, V: Into<Value>>(
        mut self,
        tags: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.metadata = Some(collect_tags(tags));
        self
    }
}

idempotency_key_setter!(NewVideo);

with_engagement_counts! {
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
        /// The platform; `None` when the server leaves it out or sends something other than a
        /// platform name (the video schema does not list it; the docs' prose does).
        #[serde(default, deserialize_with = "lenient_name")]
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
        /// Whether the API marks the post unavailable (the docs do not say what makes it so:
        /// deleted, private, unreachable at the last refresh?).
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
        ..engagement_counts("");
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
}

/// What [`Videos::metrics`] sends: the video ids, and optionally the period.
///
/// Without [`period`](Self::period) or [`date_range`](Self::date_range) no period is sent and
/// the API uses its default, the last 30 days. The two setters replace each other.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct VideoMetricsRequest {
    video_ids: Vec<String>,
    window: Window,
}

window_setters!(
    VideoMetricsRequest,
    new(video_ids): "Metrics of these individually tracked videos (their UUIDs), over the API's default period."
);

/// What [`Videos::deltas`] sends: the video ids, and optionally the look-back windows.
///
/// Without [`windows`](Self::windows) none are sent and the API uses its default set (the
/// docs do not say which; their example asks for 1, 7, 14 and 30 days).
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct VideoDeltasRequest {
    video_ids: Vec<String>,
    windows: Option<Vec<u32>>,
}

impl VideoDeltasRequest {
    /// View-count deltas of these individually tracked videos (their UUIDs).
    pub fn new<I, S>(video_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        VideoDeltasRequest {
            video_ids: video_ids.into_iter().map(Into::into).collect(),
            windows: None,
        }
    }

    /// The look-back windows, in days: 1 to 10 values, each 1 to 365. Duplicates are sent
    /// once; values out of range are refused when the request is made.
    pub fn windows(mut self, days: impl IntoIterator<Item = u32>) -> Self {
        self.windows = Some(days.into_iter().collect());
        self
    }
}

/// The windows to send: each 1 to 365 days, duplicates dropped, 1 to 10 of them.
fn checked_windows(days: &[u32]) -> Result<Vec<u32>> {
    if let Some(bad) = days.iter().find(|d| !(1..=MAX_WINDOW_DAYS).contains(d)) {
        return Err(Error::InvalidInput(format!(
            "windows: each window must be 1 to {MAX_WINDOW_DAYS} days, got {bad}"
        )));
    }
    let windows = batch::dedup(days);
    if windows.is_empty() || windows.len() > MAX_WINDOWS {
        return Err(Error::InvalidInput(format!(
            "windows: 1 to {MAX_WINDOWS} distinct windows are allowed, got {}",
            windows.len()
        )));
    }
    Ok(windows)
}

/// The view-count change of one video over each look-back window, keyed by the API's
/// label (`"7d"` for 7 days). A delta can be negative.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
#[non_exhaustive]
pub struct Deltas {
    /// The deltas by label, as the API sent them (values that are not integers, such as
    /// `null`, are left out).
    #[serde(deserialize_with = "lenient_entries")]
    pub windows: BTreeMap<String, i64>,
}

impl Deltas {
    /// The delta over the last `days` days (the `"<days>d"` entry), if the API sent one.
    pub fn days(&self, days: u32) -> Option<i64> {
        self.windows.get(&format!("{days}d")).copied()
    }

    /// The deltas by window length in days, shortest first. Labels that are not
    /// `"<n>d"` are left out (they stay in [`windows`](Self::windows)).
    pub fn by_days(&self) -> Vec<(u32, i64)> {
        let mut out: Vec<(u32, i64)> = self
            .windows
            .iter()
            .filter_map(|(label, &delta)| {
                let days = label.strip_suffix('d')?.parse().ok()?;
                Some((days, delta))
            })
            .collect();
        out.sort_unstable();
        out
    }
}

/// The answer of [`Videos::deltas`]: deltas per video id, and [`BatchMeta`] (with `windows`
/// and `video_count`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeltasBatch {
    /// The deltas of each video found, keyed by video id.
    #[serde(deserialize_with = "keyed_by_id")]
    pub data: BTreeMap<String, Deltas>,
    /// The windows answered, the video count and the ids not found.
    #[serde(default, deserialize_with = "lenient_or_default")]
    pub meta: BatchMeta,
}

keyed_batch!(
    DeltasBatch,
    Deltas,
    "The deltas of one video, if it was found."
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_checked_and_deduplicated() {
        assert_eq!(checked_windows(&[7, 1, 7, 30]).unwrap(), vec![7, 1, 30]);
        assert_eq!(checked_windows(&[365; 12]).unwrap(), vec![365]);
        for bad in [&[0][..], &[366], &[], &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]] {
            let e = checked_windows(bad).unwrap_err().to_string();
            assert!(e.contains("windows"), "{e}");
        }
    }

    #[test]
    fn odd_deltas_are_left_out() {
        let d: Deltas =
            serde_json::from_value(serde_json::json!({"7d": -5, "30d": null, "1d": 2})).unwrap();
        assert_eq!(d.by_days(), vec![(1, 2), (7, -5)]);
        assert_eq!(d.days(30), None);
    }
}
