//! The answers the batch analytics share: [`MetricValues`], [`BatchMeta`] and
//! [`MetricsBatch`] (of `videos().metrics` and `account_videos().metrics`), and how chunked
//! answers merge.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::batch::keyed_batch;
use crate::de::{ids_as_strings, keyed_by_id, lenient, lenient_or_default};
use crate::types::Date;

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
    pub(crate) fn absorb(&mut self, next: BatchMeta) {
        self.not_found.extend(next.not_found);
        self.video_count = match (self.video_count, next.video_count) {
            (Some(a), Some(b)) => Some(a.saturating_add(b)),
            (a, b) => a.or(b),
        };
    }
}

/// The answer of [`Videos::metrics`](crate::Videos::metrics) and [`AccountVideos::metrics`](crate::AccountVideos::metrics): metrics per id, and
/// [`BatchMeta`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MetricsBatch {
    /// The metrics of each id found, keyed by the id as the API sends it (a UUID for
    /// videos, an integer as a string for account videos).
    #[serde(deserialize_with = "keyed_by_id")]
    pub data: BTreeMap<String, MetricValues>,
    /// The period used and the ids not found.
    #[serde(default, deserialize_with = "lenient_or_default")]
    pub meta: BatchMeta,
}

keyed_batch!(
    MetricsBatch,
    MetricValues,
    "The metrics of one id, if it was found."
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::Batch;

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
    }
}
