//! Batch analytics: `POST /videos/metrics`, `POST /videos/deltas`, `POST /accounts/metrics`,
//! `POST /account-videos/metrics`.
//!
//! All four are read-only POSTs (the ids travel in the body), so they are retried like GETs.
//! Each accepts any number of ids: past [`BATCH_CHUNK_SIZE`] they are sent as several
//! requests, one after the other, whose answers are merged into one result.

use std::collections::{BTreeMap, HashSet};
use std::hash::Hash;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::resources::account_videos::AccountVideos;
use crate::resources::accounts::Accounts;
use crate::resources::videos::Videos;
use crate::transport::Method;
use crate::types::{Date, Period};
use crate::{Client, Error, Result};

/// The most ids sent in one batch request.
///
/// 200 is the documented maximum of `POST /videos/metrics` and `POST /videos/deltas`. The
/// docs give no bound for `POST /accounts/metrics` and `POST /account-videos/metrics` (only
/// that a set that is too large gives `422`); the SDK uses the same 200 for them, counting
/// Instagram and TikTok ids together.
pub const BATCH_CHUNK_SIZE: usize = 200;

/// The most look-back windows `POST /videos/deltas` takes.
const MAX_WINDOWS: usize = 10;

/// The longest look-back window `POST /videos/deltas` takes, in days.
const MAX_WINDOW_DAYS: u32 = 365;

// ---------------------------------------------------------------------------------------------
// Calls

impl Videos<'_> {
    /// Windowed metrics (views, plays, likes, comments, shares, engagement) of individually
    /// tracked videos (`POST /videos/metrics`).
    ///
    /// Any number of ids: duplicates are sent once, and more than [`BATCH_CHUNK_SIZE`] are
    /// sent as several requests whose answers are merged (see [`MetricsBatch`]). Ids your
    /// organization does not track come back in [`BatchMeta::not_found`].
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{Date, VideoMetrics};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let ids = ["3c90c3cc-0d44-4b50-8888-8dd25736052a", "8f14e45f-ceea-4e7b-a1d4-5c6f7a8b9c0d"];
    /// let june = VideoMetrics::new(ids)
    ///     .date_range(Date::new(2026, 6, 1)?, Date::new(2026, 6, 30)?);
    /// let batch = client.videos().metrics(&june)?;
    /// for (id, m) in &batch.data {
    ///     println!("{id}: {:?} views, {:?} engagement", m.views, m.engagement);
    /// }
    /// println!("not tracked: {:?}", batch.meta.not_found);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before any request for an empty id list (or an empty id), or a
    /// date range whose start is after its end; [`Error::Api`] with `VALIDATION_ERROR` when
    /// the API rejects the body; otherwise as for every call. When one of several chunked
    /// requests fails, the call fails with that error and the other answers are dropped.
    pub fn metrics(&self, request: &VideoMetrics) -> Result<MetricsBatch> {
        let ids = unique_ids("video_ids", &request.video_ids)?;
        let bodies = windowed_bodies("video_ids", &ids, request.window)?;
        run_batch(self.client, "videos/metrics", bodies)
    }

    /// The change in view count of individually tracked videos over several look-back
    /// windows (`POST /videos/deltas`), e.g. views gained in the last 1, 7 and 30 days.
    ///
    /// Any number of ids, chunked and merged as for [`metrics`](Self::metrics).
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::VideoDeltas;
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let ids = vec!["3c90c3cc-0d44-4b50-8888-8dd25736052a".to_owned()];
    /// let batch = client.videos().deltas(&VideoDeltas::new(ids).windows([1, 7, 30]))?;
    /// for (id, deltas) in &batch.data {
    ///     println!("{id}: {:+?} views this week", deltas.days(7));
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before any request for an empty id list (or an empty id), or
    /// windows that are not 1 to 10 distinct values of 1 to 365 days; otherwise as
    /// [`metrics`](Self::metrics).
    pub fn deltas(&self, request: &VideoDeltas) -> Result<DeltasBatch> {
        let windows = request
            .windows
            .as_deref()
            .map(checked_windows)
            .transpose()?;
        let ids = unique_ids("video_ids", &request.video_ids)?;
        let bodies = ids.chunks(BATCH_CHUNK_SIZE).map(|chunk| {
            let mut body = Map::new();
            body.insert("video_ids".into(), json_strings(chunk));
            if let Some(windows) = &windows {
                body.insert("windows".into(), windows.iter().copied().collect());
            }
            body
        });
        run_batch(self.client, "videos/deltas", bodies)
    }
}

impl Accounts<'_> {
    /// Windowed metrics of tracked accounts (`POST /accounts/metrics`).
    ///
    /// The API docs name this endpoint but not its body or its answer. The SDK sends what
    /// the sibling batch endpoints take, an id array plus the period (see [`AccountMetrics`]),
    /// and keeps each account's metrics as the raw JSON the API sends, with a typed view in
    /// [`AccountMetricsBatch::metrics`]. Any number of ids, chunked by [`BATCH_CHUNK_SIZE`]
    /// and merged as for [`Videos::metrics`]. If the live API turns out to differ, the same
    /// call can be made untyped with [`Client::request`].
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{AccountMetrics, Period};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let ids = ["4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f"];
    /// let batch = client
    ///     .accounts()
    ///     .metrics(&AccountMetrics::new(ids).period(Period::Last7Days))?;
    /// for id in batch.data.keys() {
    ///     println!("{id}: {:?}", batch.metrics(id).and_then(|m| m.views));
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before any request for an empty id list (or an empty id), or a
    /// date range whose start is after its end; [`Error::Decode`] when the answer is not a
    /// `{data: {id: …}, meta}` object; otherwise as [`Videos::metrics`].
    pub fn metrics(&self, request: &AccountMetrics) -> Result<AccountMetricsBatch> {
        let ids = unique_ids("account_ids", &request.account_ids)?;
        let bodies = windowed_bodies("account_ids", &ids, request.window)?;
        run_batch(self.client, "accounts/metrics", bodies)
    }
}

impl AccountVideos<'_> {
    /// Windowed metrics of posts discovered from tracked accounts
    /// (`POST /account-videos/metrics`), addressed by their integer internal ids.
    ///
    /// Duplicates within each platform's list are sent once. More than
    /// [`BATCH_CHUNK_SIZE`] ids in all (Instagram and TikTok together; the API's own bound is
    /// not documented) are sent as several requests whose answers are merged. The answer is
    /// keyed by the ids as strings; how the API keeps an Instagram id apart from an equal
    /// TikTok id is not documented.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{AccountVideoMetrics, Period};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let request = AccountVideoMetrics::new()
    ///     .instagram_post_ids([1_204_551, 1_204_552])
    ///     .tiktok_video_ids([88_310_042])
    ///     .period(Period::Last90Days);
    /// let batch = client.account_videos().metrics(&request)?;
    /// if let Some(m) = batch.get("88310042") {
    ///     println!("{:?} views, {:?} % engagement", m.views, m.engagement_rate());
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before any request when both id lists are empty, or for a date
    /// range whose start is after its end; otherwise as [`Videos::metrics`].
    pub fn metrics(&self, request: &AccountVideoMetrics) -> Result<MetricsBatch> {
        request.window.check()?;
        let instagram = dedup(&request.instagram_post_ids);
        let tiktok = dedup(&request.tiktok_video_ids);
        if instagram.is_empty() && tiktok.is_empty() {
            return Err(Error::InvalidInput(
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
            request.window.write_to(&mut body);
            body
        });
        run_batch(self.client, "account-videos/metrics", bodies)
    }
}

/// The bodies of a windowed batch: `{field: [≤ 200 ids], period…}` per chunk.
///
/// # Errors
///
/// [`Error::InvalidInput`] for a date range that ends before it starts.
fn windowed_bodies<'a>(
    field: &'static str,
    ids: &'a [String],
    window: Window,
) -> Result<impl Iterator<Item = Map<String, Value>> + 'a> {
    window.check()?;
    Ok(ids.chunks(BATCH_CHUNK_SIZE).map(move |chunk| {
        let mut body = Map::new();
        body.insert(field.into(), json_strings(chunk));
        window.write_to(&mut body);
        body
    }))
}

/// Sends one read-only POST per body, in order, and merges the answers.
fn run_batch<T: Batch>(
    client: &Client,
    path: &str,
    bodies: impl IntoIterator<Item = Map<String, Value>>,
) -> Result<T> {
    let mut merged: Option<T> = None;
    for body in bodies {
        let request = client
            .request_to(Method::Post, path)
            .json(&body)?
            .read_only();
        let part = client.send(&request)?.json::<T>()?.into_inner();
        match &mut merged {
            None => merged = Some(part),
            Some(all) => all.absorb(part),
        }
    }
    merged.ok_or_else(|| Error::InvalidInput("ids: at least one id is required".into()))
}

/// An answer that can take in the answer to the next chunk of the same call.
trait Batch: DeserializeOwned {
    fn absorb(&mut self, next: Self);
}

// ---------------------------------------------------------------------------------------------
// Request bodies

/// The period of a batch metrics request: the API's default, a preset, or explicit dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
enum Window {
    /// Nothing sent: the API's default (`30d`).
    #[default]
    ApiDefault,
    Preset(Period),
    /// `period: "custom"` with both dates, inclusive.
    Range {
        start: Date,
        end: Date,
    },
}

impl Window {
    fn check(self) -> Result<()> {
        match self {
            Window::Range { start, end } if start > end => Err(Error::InvalidInput(format!(
                "start_date, end_date: start_date {start} is after end_date {end}"
            ))),
            _ => Ok(()),
        }
    }

    fn write_to(self, body: &mut Map<String, Value>) {
        match self {
            Window::ApiDefault => {}
            Window::Preset(period) => {
                body.insert("period".into(), period.as_str().into());
            }
            Window::Range { start, end } => {
                body.insert("period".into(), "custom".into());
                body.insert("start_date".into(), start.to_string().into());
                body.insert("end_date".into(), end.to_string().into());
            }
        }
    }
}

/// What [`Videos::metrics`] sends: the video ids, and optionally the period.
///
/// Without [`period`](Self::period) or [`date_range`](Self::date_range) no period is sent and
/// the API uses its default, the last 30 days. The two setters replace each other.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct VideoMetrics {
    video_ids: Vec<String>,
    window: Window,
}

impl VideoMetrics {
    /// Metrics of these individually tracked videos (their UUIDs), over the API's default
    /// period.
    pub fn new<I, S>(video_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        VideoMetrics {
            video_ids: video_ids.into_iter().map(Into::into).collect(),
            window: Window::ApiDefault,
        }
    }

    /// Over a preset period (`7d`, `30d`, `90d`).
    pub fn period(mut self, period: Period) -> Self {
        self.window = Window::Preset(period);
        self
    }

    /// Over the days from `start` to `end`, both included (UTC): sends `period: "custom"`
    /// with `start_date` and `end_date`. A start after the end is refused when the request
    /// is made.
    pub fn date_range(mut self, start: Date, end: Date) -> Self {
        self.window = Window::Range { start, end };
        self
    }
}

/// What [`Videos::deltas`] sends: the video ids, and optionally the look-back windows.
///
/// Without [`windows`](Self::windows) none are sent and the API uses its default set (the
/// docs do not say which; their example asks for 1, 7, 14 and 30 days).
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct VideoDeltas {
    video_ids: Vec<String>,
    windows: Option<Vec<u32>>,
}

impl VideoDeltas {
    /// View-count deltas of these individually tracked videos (their UUIDs).
    pub fn new<I, S>(video_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        VideoDeltas {
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

/// What [`Accounts::metrics`] sends: the account ids, and optionally the period.
///
/// The API docs do not give this endpoint's body. The ids go in `account_ids`, a name
/// inferred from the sibling endpoints (`video_ids`, `instagram_post_ids`); the period works as
/// in [`VideoMetrics`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct AccountMetrics {
    account_ids: Vec<String>,
    window: Window,
}

impl AccountMetrics {
    /// Metrics of these tracked accounts (their UUIDs), over the API's default period.
    pub fn new<I, S>(account_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        AccountMetrics {
            account_ids: account_ids.into_iter().map(Into::into).collect(),
            window: Window::ApiDefault,
        }
    }

    /// Over a preset period (`7d`, `30d`, `90d`).
    pub fn period(mut self, period: Period) -> Self {
        self.window = Window::Preset(period);
        self
    }

    /// Over the days from `start` to `end`, both included (UTC); see
    /// [`VideoMetrics::date_range`].
    pub fn date_range(mut self, start: Date, end: Date) -> Self {
        self.window = Window::Range { start, end };
        self
    }
}

/// What [`AccountVideos::metrics`] sends: integer internal ids of Instagram posts and TikTok
/// videos discovered from tracked accounts (at least one in all), and optionally the period.
///
/// The ids are the `id`s of [`AccountVideo`](crate::AccountVideo)s (see
/// [`AccountVideoId::as_u64`](crate::AccountVideoId::as_u64)); the period works as in
/// [`VideoMetrics`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct AccountVideoMetrics {
    instagram_post_ids: Vec<u64>,
    tiktok_video_ids: Vec<u64>,
    window: Window,
}

impl AccountVideoMetrics {
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

    /// Over a preset period (`7d`, `30d`, `90d`).
    pub fn period(mut self, period: Period) -> Self {
        self.window = Window::Preset(period);
        self
    }

    /// Over the days from `start` to `end`, both included (UTC); see
    /// [`VideoMetrics::date_range`].
    pub fn date_range(mut self, start: Date, end: Date) -> Self {
        self.window = Window::Range { start, end };
        self
    }
}

/// The ids in their first order, each once; refuses an empty list or an empty id.
fn unique_ids(field: &str, ids: &[String]) -> Result<Vec<String>> {
    if ids.is_empty() {
        return Err(Error::InvalidInput(format!(
            "{field}: at least one id is required"
        )));
    }
    if ids.iter().any(|id| id.trim().is_empty()) {
        return Err(Error::InvalidInput(format!(
            "{field}: ids must not be empty"
        )));
    }
    Ok(dedup(ids))
}

/// The values in their first order, each once.
fn dedup<T: Clone + Eq + Hash>(values: &[T]) -> Vec<T> {
    let mut seen = HashSet::with_capacity(values.len());
    values.iter().filter(|v| seen.insert(*v)).cloned().collect()
}

/// The windows to send: each 1 to 365 days, duplicates dropped, 1 to 10 of them.
fn checked_windows(days: &[u32]) -> Result<Vec<u32>> {
    if let Some(bad) = days.iter().find(|d| !(1..=MAX_WINDOW_DAYS).contains(d)) {
        return Err(Error::InvalidInput(format!(
            "windows: each window must be 1 to {MAX_WINDOW_DAYS} days, got {bad}"
        )));
    }
    let windows = dedup(days);
    if windows.is_empty() || windows.len() > MAX_WINDOWS {
        return Err(Error::InvalidInput(format!(
            "windows: 1 to {MAX_WINDOWS} distinct windows are allowed, got {}",
            windows.len()
        )));
    }
    Ok(windows)
}

fn json_strings(ids: &[String]) -> Value {
    ids.iter().map(|id| Value::String(id.clone())).collect()
}

// ---------------------------------------------------------------------------------------------
// Results

/// Windowed metrics of one video over the requested period.
///
/// Every value is `None` when the API leaves it out or sends something that is not a number.
/// The values are signed: they are computed from refresh snapshots, and a platform can lower a
/// count (removed likes, filtered views). A value of `0` for a video whose first refresh has
/// not landed yet is not a real zero.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MetricValues {
    /// Views. For TikTok, the same as `plays`.
    #[serde(default, deserialize_with = "lenient")]
    pub views: Option<i64>,
    /// Plays. TikTok has no separate play count: it reports `plays == views`.
    #[serde(default, deserialize_with = "lenient")]
    pub plays: Option<i64>,
    /// Likes.
    #[serde(default, deserialize_with = "lenient")]
    pub likes: Option<i64>,
    /// Comments.
    #[serde(default, deserialize_with = "lenient")]
    pub comments: Option<i64>,
    /// Shares.
    #[serde(default, deserialize_with = "lenient")]
    pub shares: Option<i64>,
    /// likes + comments + shares (a sum, not a rate; saves are not counted). There is no
    /// impressions metric.
    #[serde(default, deserialize_with = "lenient")]
    pub engagement: Option<i64>,
    /// Any other member the API sends, as it sent it.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl MetricValues {
    /// The engagement rate as the API defines it, in percent: engagement / views × 100.
    /// `None` without both numbers or with no views.
    pub fn engagement_rate(&self) -> Option<f64> {
        match (self.engagement, self.views) {
            (Some(engagement), Some(views)) if views > 0 => {
                Some(engagement as f64 / views as f64 * 100.0)
            }
            _ => None,
        }
    }
}

/// What a batch call reports besides the values: the period it used and the ids it did not
/// find.
///
/// When a call was sent in several chunks, `not_found` holds the ids of every chunk (in
/// order), `video_count` is the sum over the chunks, and every other field comes from the
/// first chunk's answer. Members this type does not know are kept in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BatchMeta {
    /// The period used: `7d`, `30d`, `90d` or `custom` (metrics only).
    #[serde(default, deserialize_with = "lenient")]
    pub period: Option<String>,
    /// The first day of the period, included (metrics only; `None` if it is not a
    /// `YYYY-MM-DD` date).
    #[serde(default, deserialize_with = "lenient")]
    pub start_date: Option<Date>,
    /// The last day of the period, included (metrics only).
    #[serde(default, deserialize_with = "lenient")]
    pub end_date: Option<Date>,
    /// The length of the period in days (metrics only).
    #[serde(default, deserialize_with = "lenient")]
    pub days: Option<u32>,
    /// The windows answered, in days (deltas only).
    #[serde(default, deserialize_with = "lenient_or_default")]
    pub windows: Vec<u32>,
    /// How many videos were answered (deltas; summed over the chunks).
    #[serde(default, deserialize_with = "lenient")]
    pub video_count: Option<u64>,
    /// The ids that are not tracked by your organization: they are left out of `data`, so a
    /// zero is never confused with an unknown id. Numeric ids are given as strings.
    #[serde(default, deserialize_with = "ids_as_strings")]
    pub not_found: Vec<String>,
    /// Any other member the API sends, as it sent it (from the first chunk).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl BatchMeta {
    fn absorb(&mut self, next: BatchMeta) {
        self.not_found.extend(next.not_found);
        self.video_count = match (self.video_count, next.video_count) {
            (Some(a), Some(b)) => Some(a.saturating_add(b)),
            (a, b) => a.or(b),
        };
    }
}

/// The answer of [`Videos::metrics`] and [`AccountVideos::metrics`]: metrics per id, and
/// [`BatchMeta`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MetricsBatch {
    /// The metrics of each id found, keyed by the id as the API sends it (a UUID for
    /// videos, an integer as a string for account videos).
    #[serde(default, deserialize_with = "lenient_map")]
    pub data: BTreeMap<String, MetricValues>,
    /// The period used and the ids not found.
    #[serde(default, deserialize_with = "lenient_or_default")]
    pub meta: BatchMeta,
}

impl MetricsBatch {
    /// The metrics of one id, if it was found.
    pub fn get(&self, id: &str) -> Option<&MetricValues> {
        self.data.get(id)
    }
}

impl Batch for MetricsBatch {
    fn absorb(&mut self, next: Self) {
        self.data.extend(next.data);
        self.meta.absorb(next.meta);
    }
}

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

impl AccountMetricsBatch {
    /// The raw metrics of one account, if it was found.
    pub fn get(&self, id: &str) -> Option<&Value> {
        self.data.get(id)
    }

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

impl Batch for AccountMetricsBatch {
    fn absorb(&mut self, next: Self) {
        self.data.extend(next.data);
        self.meta.absorb(next.meta);
    }
}

/// The view-count change of one video over each look-back window, keyed by the API's
/// label (`"7d"` for 7 days). A delta can be negative.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
#[non_exhaustive]
pub struct Deltas {
    /// The deltas by label, as the API sent them (values that are not integers, such as
    /// `null`, are left out).
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

impl<'de> Deserialize<'de> for Deltas {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let raw = Option::<Map<String, Value>>::deserialize(d)?.unwrap_or_default();
        let windows = raw
            .into_iter()
            .filter_map(|(label, v)| Some((label, i64::deserialize(v).ok()?)))
            .collect();
        Ok(Deltas { windows })
    }
}

/// The answer of [`Videos::deltas`]: deltas per video id, and [`BatchMeta`] (with `windows`
/// and `video_count`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeltasBatch {
    /// The deltas of each video found, keyed by video id.
    #[serde(default, deserialize_with = "lenient_map")]
    pub data: BTreeMap<String, Deltas>,
    /// The windows answered, the video count and the ids not found.
    #[serde(default, deserialize_with = "lenient_or_default")]
    pub meta: BatchMeta,
}

impl DeltasBatch {
    /// The deltas of one video, if it was found.
    pub fn get(&self, id: &str) -> Option<&Deltas> {
        self.data.get(id)
    }
}

impl Batch for DeltasBatch {
    fn absorb(&mut self, next: Self) {
        self.data.extend(next.data);
        self.meta.absorb(next.meta);
    }
}

// ---------------------------------------------------------------------------------------------
// Lenient decoding (also used by `account_videos` and `search`)

/// Serde helper: a value of type `T`, or `None` when it is missing, `null` or of another
/// shape (a string where a number was expected), so that one odd member never fails a call.
pub(crate) fn lenient<'de, D, T>(d: D) -> std::result::Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(Option::<Value>::deserialize(d)?.and_then(|v| T::deserialize(v).ok()))
}

/// Serde helper: as [`lenient`], with the type's default instead of `None`.
pub(crate) fn lenient_or_default<'de, D, T>(d: D) -> std::result::Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    Ok(lenient(d)?.unwrap_or_default())
}

/// Serde helper: a string, also when the API sends a number (`42` becomes `"42"`); `None`
/// when missing, `null` or another shape.
pub(crate) fn string_or_number<'de, D>(d: D) -> std::result::Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(Option::<Value>::deserialize(d)?.and_then(|v| id_string(&v)))
}

fn id_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Serde helper: a list of ids as strings, numbers included; anything else is skipped.
fn ids_as_strings<'de, D>(d: D) -> std::result::Result<Vec<String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::Array(items)) => items.iter().filter_map(id_string).collect(),
        _ => Vec::new(),
    })
}

/// Serde helper: a JSON object keyed by id; `null` (or missing) is empty, and a `null`
/// entry is the value type's default.
fn lenient_map<'de, D, T>(d: D) -> std::result::Result<BTreeMap<String, T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    let raw = Option::<Map<String, Value>>::deserialize(d)?.unwrap_or_default();
    raw.into_iter()
        .map(|(id, v)| {
            let value = match v {
                Value::Null => T::default(),
                v => T::deserialize(v)
                    .map_err(|e| serde::de::Error::custom(format!("data[{id:?}]: {e}")))?,
            };
            Ok((id, value))
        })
        .collect()
}

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
    fn merge_sums_counts_and_keeps_the_first_period() {
        let mut a: MetricsBatch = serde_json::from_value(serde_json::json!({
            "data": {"a": {"views": 1}},
            "meta": {"period": "7d", "video_count": 1, "not_found": ["x"], "days": 7}
        }))
        .unwrap();
        let b: MetricsBatch = serde_json::from_value(serde_json::json!({
            "data": {"b": {"views": 2}},
            "meta": {"period": "30d", "video_count": 2, "not_found": [9], "days": 30}
        }))
        .unwrap();
        a.absorb(b);
        assert_eq!(a.data.len(), 2);
        assert_eq!(a.meta.period.as_deref(), Some("7d"));
        assert_eq!(a.meta.days, Some(7));
        assert_eq!(a.meta.video_count, Some(3));
        assert_eq!(a.meta.not_found, ["x", "9"]);
    }

    #[test]
    fn odd_values_do_not_fail_a_batch() {
        let m: MetricValues = serde_json::from_value(serde_json::json!({
            "views": "12", "plays": null, "likes": -3, "comments": 1.5, "saves": 4
        }))
        .unwrap();
        assert_eq!(m.views, None);
        assert_eq!(m.plays, None);
        assert_eq!(m.likes, Some(-3));
        assert_eq!(m.comments, None);
        assert_eq!(m.extra["saves"], 4);
        let d: Deltas =
            serde_json::from_value(serde_json::json!({"7d": -5, "30d": null, "1d": 2})).unwrap();
        assert_eq!(d.by_days(), vec![(1, 2), (7, -5)]);
        assert_eq!(d.days(30), None);
    }
}
