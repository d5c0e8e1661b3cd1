//! What the creators calls return: [`Creator`], [`AccountsSummary`], [`AccountLink`],
//! [`TopCreator`] and [`CreatorAnalytics`].

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[cfg(doc)]
use super::Creators;
use crate::de::{id_string, lenient_name, null_as_default};
use crate::types::{Date, Platform};

/// A creator: a named group of tracked accounts whose metrics roll up together.
///
/// Only `id` and `name` are promised; the rest is `None` (or empty) when the server leaves
/// it out or sends `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Creator {
    /// The creator's id (a UUID).
    pub id: String,
    /// Its name.
    pub name: String,
    /// The platform it is listed under (the API's Platforms page says every creator carries
    /// one); `None` when the server leaves it out or sends something other than one platform
    /// name (the creator schema does not document it, and a creator can span platforms).
    #[serde(default, deserialize_with = "lenient_name")]
    pub platform: Option<Platform>,
    /// Whether it is active (`false`: archived or paused).
    #[serde(default)]
    pub is_active: Option<bool>,
    /// Your key/value tags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub metadata: Map<String, Value>,
    /// A summary of the accounts linked to it.
    #[serde(default)]
    pub accounts_summary: Option<AccountsSummary>,
}

/// A summary of the accounts linked to a creator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccountsSummary {
    /// How many accounts are linked.
    #[serde(default)]
    pub total: Option<u64>,
    /// A breakdown by platform, as the API sent it (its shape is not documented; probably
    /// platform name → number of accounts, which [`accounts_on`](Self::accounts_on) reads).
    #[serde(default, deserialize_with = "null_as_default")]
    pub platforms: Map<String, Value>,
    /// The followers of all linked accounts together.
    #[serde(default)]
    pub total_followers: Option<u64>,
}

impl AccountsSummary {
    /// The number the `platforms` breakdown gives for `platform`, when it is a whole
    /// number; `None` when the platform is absent or its entry has another shape.
    ///
    /// ```
    /// use creatoraudit::{Creator, Platform};
    ///
    /// let c: Creator = serde_json::from_value(serde_json::json!({
    ///     "id": "c1", "name": "Khaby",
    ///     "accounts_summary": {"total": 2, "platforms": {"tiktok": 1, "instagram": 1}},
    /// }))?;
    /// let summary = c.accounts_summary.unwrap();
    /// assert_eq!(summary.accounts_on(&Platform::TikTok), Some(1));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn accounts_on(&self, platform: &Platform) -> Option<u64> {
        self.platforms
            .get(platform.as_str())
            .and_then(Value::as_u64)
    }
}

/// What [`Creators::link_account`] returns: whether the link is new, and the link record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AccountLink {
    /// The creator linked to (as passed to the call).
    pub creator_id: String,
    /// The account linked (as passed to the call).
    pub account_id: String,
    /// Whether this call created the link (`201 Created`) rather than finding it in place
    /// (`200 OK`): read it with [`is_new`](Self::is_new).
    pub(super) created: bool,
    /// The link record as the API sent it: the body's `data` when the body is a
    /// `{"data": …}` envelope, else the whole body; `null` for an empty body. Its fields are
    /// not documented.
    pub record: Value,
}

impl AccountLink {
    /// Whether this call created the link (`201`), rather than finding it in place (`200`).
    pub fn is_new(&self) -> bool {
        self.created
    }
}

/// One entry of the [`Creators::top`] leaderboard.
///
/// The API does not document the entries' fields: `id` and `name` are read when present
/// (an id sent as a number becomes its decimal text), and `raw` keeps the whole entry, so
/// the ranking metrics can be read from it.
///
/// ```
/// use creatoraudit::TopCreator;
///
/// let t: TopCreator = serde_json::from_value(serde_json::json!({
///     "id": "c1", "name": "Khaby", "views": 1_200_000,
/// }))?;
/// assert_eq!(t.name.as_deref(), Some("Khaby"));
/// assert_eq!(t.number("views"), Some(1_200_000.0));
/// assert_eq!(t.raw["views"], 1_200_000);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "Value", into = "Value")]
#[non_exhaustive]
pub struct TopCreator {
    /// The creator's id, when the entry has one (its `id`, or else its `creator_id`).
    pub id: Option<String>,
    /// The creator's name, when the entry has one.
    pub name: Option<String>,
    /// The whole entry, as the API sent it.
    pub raw: Value,
}

impl TopCreator {
    /// The entry's member `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&Value> {
        self.raw.get(field)
    }

    /// The entry's member `field` when it is a number.
    pub fn number(&self, field: &str) -> Option<f64> {
        self.get(field).and_then(Value::as_f64)
    }
}

impl From<Value> for TopCreator {
    fn from(raw: Value) -> Self {
        let text = |field: &str| raw.get(field).and_then(id_string);
        TopCreator {
            // The docs do not say which: a leaderboard entry may name its creator either way.
            id: text("id").or_else(|| text("creator_id")),
            name: text("name"),
            raw,
        }
    }
}

impl From<TopCreator> for Value {
    fn from(t: TopCreator) -> Value {
        t.raw
    }
}

/// A creator's analytics over a range of dates, from [`Creators::analytics`].
///
/// The API does not document the response's shape, so it is kept as JSON: `data` is the
/// body's `data` member (or the whole body when it has none), and any other top-level
/// members are in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreatorAnalytics {
    /// The creator asked about.
    pub creator_id: String,
    /// The first day of the range asked for.
    pub start_date: Date,
    /// The last day of the range asked for (included).
    pub end_date: Date,
    /// The analytics, as the API sent them.
    pub data: Value,
    /// The body's other top-level members, if any (e.g. `meta`).
    #[serde(default)]
    pub extra: Map<String, Value>,
}

impl CreatorAnalytics {
    /// The member `field` of `data`, if `data` is an object that has it.
    pub fn get(&self, field: &str) -> Option<&Value> {
        self.data.get(field)
    }

    /// The member `field` of `data` when it is a number.
    pub fn number(&self, field: &str) -> Option<f64> {
        self.get(field).and_then(Value::as_f64)
    }
}
