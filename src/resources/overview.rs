//! Organization headline numbers: `GET /overview`.

use serde::{Deserialize, Serialize};

use crate::call::Call;
use crate::de::null_as_default;
use crate::params::Query;
use crate::response::{Conditional, Response};
use crate::types::Period;
use crate::{Client, Result};

/// The organization's headline numbers over a period, compared with the period before it
/// (`GET /overview`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Overview {
    /// The numbers of the period asked for.
    #[serde(default, deserialize_with = "null_as_default")]
    pub current: OverviewStats,
    /// The numbers of the preceding period of the same length.
    #[serde(default, deserialize_with = "null_as_default")]
    pub previous: OverviewStats,
    /// The change from `previous` to `current`, in percent.
    #[serde(default, deserialize_with = "null_as_default")]
    pub changes: OverviewChanges,
}

/// The headline numbers of one period.
///
/// The docs do not give the figures' types (their example shows `0` everywhere), so the
/// counts are read from an integer, a float (`12.0`, rounded) or a numeric string; a count
/// of any other shape, or a negative one, reads as `None` instead of failing the call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OverviewStats {
    /// Views over the period.
    #[serde(default, deserialize_with = "crate::de::count")]
    pub total_views: Option<u64>,
    /// (likes + comments + shares) / views, as a percentage.
    #[serde(default)]
    pub engagement_rate: Option<f64>,
    /// Tracked accounts that are active.
    #[serde(default, deserialize_with = "crate::de::count")]
    pub active_accounts: Option<u64>,
    /// Posts discovered from tracked accounts.
    #[serde(default, deserialize_with = "crate::de::count")]
    pub account_videos: Option<u64>,
    /// Individually tracked videos.
    #[serde(default, deserialize_with = "crate::de::count")]
    pub tracked_videos: Option<u64>,
}

/// Period-over-period changes, in percent. `None` where the API gives none (for example,
/// possibly, when the previous value was 0).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OverviewChanges {
    /// Change in views.
    #[serde(default)]
    pub total_views_pct: Option<f64>,
    /// Change in engagement rate.
    #[serde(default)]
    pub engagement_rate_pct: Option<f64>,
    /// Change in active accounts.
    #[serde(default)]
    pub active_accounts_pct: Option<f64>,
    /// Change in account videos.
    #[serde(default)]
    pub account_videos_pct: Option<f64>,
    /// Change in tracked videos.
    #[serde(default)]
    pub tracked_videos_pct: Option<f64>,
}

impl Client {
    /// The organization's headline numbers over `period`, with the previous period's and the
    /// change (`GET /overview?period=…`).
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::Period;
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let o = client.overview(Period::Last30Days)?;
    /// let views = o.current.total_views.unwrap_or(0);
    /// match o.changes.total_views_pct {
    ///     Some(pct) => println!("views {views} ({pct:+.1} %)"),
    ///     None => println!("views {views}"),
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// The [common failures](crate::Error#common-failures).
    pub fn overview(&self, period: Period) -> Result<Overview> {
        Ok(self.overview_with_meta(period)?.value)
    }

    /// [`overview`](Self::overview), with the call's [`ResponseMeta`](crate::ResponseMeta).
    ///
    /// # Errors
    ///
    /// As [`overview`](Self::overview).
    pub fn overview_with_meta(&self, period: Period) -> Result<Response<Overview>> {
        self.send(&overview_call(period)?)?.data()
    }

    /// A conditional [`overview`](Self::overview): sends `If-None-Match: etag` (from an
    /// earlier answer for the same period) and returns [`Conditional::NotModified`] (no
    /// body, no error) when the numbers have not changed.
    ///
    /// # Errors
    ///
    /// As [`overview`](Self::overview); [`Error::InvalidInput`](crate::Error::InvalidInput)
    /// for an `etag` a header cannot carry as given (empty, padded, not visible ASCII).
    pub fn overview_if_none_match(
        &self,
        period: Period,
        etag: &str,
    ) -> Result<Conditional<Overview>> {
        self.send(&overview_call(period)?.if_none_match(etag)?)?
            .conditional()
    }
}

fn overview_call(period: Period) -> Result<Call> {
    let mut query = Query::new();
    query.opt("period", Some(period));
    Ok(Call::new("GET /overview", &[])?.query(query).cacheable())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_decode_from_integers_floats_and_numeric_strings() {
        let o: Overview = serde_json::from_value(serde_json::json!({
            "current": {"total_views": 12.0, "engagement_rate": 4, "active_accounts": 3,
                        "account_videos": "7", "tracked_videos": 2.6},
            "previous": {"total_views": -1, "active_accounts": "many", "account_videos": 1e30,
                         "tracked_videos": null},
            "changes": {}
        }))
        .unwrap();
        assert_eq!(o.current.total_views, Some(12));
        assert_eq!(o.current.engagement_rate, Some(4.0));
        assert_eq!(o.current.active_accounts, Some(3));
        assert_eq!(o.current.account_videos, Some(7));
        assert_eq!(o.current.tracked_videos, Some(3));
        assert_eq!(o.previous, OverviewStats::default());
        let big: OverviewStats =
            serde_json::from_str(r#"{"total_views": 18446744073709551615}"#).unwrap();
        assert_eq!(big.total_views, Some(u64::MAX));
    }
}
