//! What the creators calls take: [`ListCreators`], [`NewCreator`], [`UpdateCreator`],
//! [`TopCreatorsParams`], and the checks of the API's documented limits.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::{Map, Value};

#[cfg(doc)]
use super::Creators;
use crate::api_enum::api_enum;
use crate::params::{
    ListCommon, Query, at_most_chars, collect_tags, idempotency_key_setter, list_setters, non_blank,
};
use crate::types::Period;
#[cfg(doc)]
use crate::{Creator, Paginator};
use crate::{Error, Result};

/// The longest creator name the API accepts, in characters.
const MAX_NAME_CHARS: usize = 255;
/// The most metadata keys a creator may carry.
const MAX_METADATA_KEYS: usize = 20;
/// The longest metadata value the API accepts, in characters.
const MAX_METADATA_VALUE_CHARS: usize = 255;

api_enum! {
    /// Sort keys of `GET /creators`.
    #[non_exhaustive]
    pub enum CreatorOrder as "order_by" {
        /// `name` (the only key the API offers; its default, ascending).
        Name = "name",
    }
}

/// Filters and sort for [`Creators::list`]. Unset filters are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct ListCreators {
    common: ListCommon<CreatorOrder>,
}

list_setters!(ListCreators, "creators", order: CreatorOrder);

impl ListCreators {
    /// No filters: every creator, 200 per page.
    pub fn new() -> Self {
        Self::default()
    }

    pub(super) fn query(&self) -> Result<Query> {
        let mut q = Query::new();
        self.common.write(&mut q)?;
        Ok(q)
    }
}

/// What [`Creators::create`] sends: `name` is required, the rest optional.
///
/// ```
/// use creatoraudit::NewCreator;
///
/// let new = NewCreator::new("Khaby Lame")
///     .is_active(true)
///     .metadata([("team", "growth"), ("tier", "A")])
///     .idempotency_key("import-2026-06-15-row-17");
/// # let _ = new;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct NewCreator {
    name: String,
    #[serde(flatten)]
    shared: SharedFields,
    #[serde(skip)]
    pub(super) idempotency_key: Option<String>,
}

impl NewCreator {
    /// A creator with this name: 1 to 255 characters, not blank.
    pub fn new(name: impl Into<String>) -> Self {
        NewCreator {
            name: name.into(),
            shared: SharedFields::default(),
            idempotency_key: None,
        }
    }

    /// Refuses what the API would refuse.
    pub(super) fn check(&self) -> Result<()> {
        check_name(&self.name)?;
        self.shared.check()
    }
}

idempotency_key_setter!(NewCreator);

shared_setters! {
    NewCreator,
    /// Create it active (`true`, the API's default) or archived (`false`).
    is_active,
    /// Key/value tags of your own: at most 20 keys, each value at most 255 characters
    /// (counted as Unicode scalar values; a value that is not a string counts as its JSON
    /// text). Takes any list of pairs, e.g. `[("team", "growth")]`, a `HashMap` or a
    /// [`serde_json::Map`]; replaces tags set by an earlier call.
    metadata,
}

/// The changes [`Creators::update`] sends. Only the fields you set are sent; at least one
/// must be.
///
/// `metadata` **replaces** the creator's whole metadata object (it is not merged): see
/// [`Creators::update`] for how to change one tag.
///
/// ```
/// use creatoraudit::UpdateCreator;
///
/// let rename = UpdateCreator::new().name("Khaby");
/// let archive = UpdateCreator::new().is_active(false);
/// let clear_tags = UpdateCreator::new().metadata(serde_json::Map::new());
/// # let _ = (rename, archive, clear_tags);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateCreator {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(flatten)]
    shared: SharedFields,
}

impl UpdateCreator {
    /// No changes yet: set at least one field before sending.
    pub fn new() -> Self {
        Self::default()
    }

    /// Rename the creator (1 to 255 characters, not blank).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Whether no field is set (such an update is refused: it would change nothing).
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.shared == SharedFields::default()
    }

    /// Refuses an empty update and what the API would refuse.
    pub(super) fn check(&self) -> Result<()> {
        if self.is_empty() {
            return Err(Error::InvalidInput(
                "update: no field set; set name, is_active or metadata".into(),
            ));
        }
        if let Some(name) = &self.name {
            check_name(name)?;
        }
        self.shared.check()
    }
}

shared_setters! {
    UpdateCreator,
    /// Activate (`true`) or archive/pause (`false`) the creator. Pausing a creator pauses
    /// all its accounts.
    is_active,
    /// **Replace** the creator's tags with these (an empty map removes them all). The limits
    /// are those of [`NewCreator::metadata`]. Tags you leave out are deleted: to change one,
    /// start from the creator's current [`metadata`](Creator::metadata).
    metadata,
}

/// The optional fields a create and an update of a creator both send.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
struct SharedFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    is_active: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<Map<String, Value>>,
}

impl SharedFields {
    fn check(&self) -> Result<()> {
        self.metadata.as_ref().map_or(Ok(()), check_metadata)
    }
}

/// The setters of [`SharedFields`] on a body with a `shared` field, each with its own docs.
macro_rules! shared_setters {
    (
        $body:ty,
        $(#[$active_doc:meta])* is_active,
        $(#[$metadata_doc:meta])* metadata $(,)?
    ) => {
        impl $body {
            $(#[$active_doc])*
            pub fn is_active(mut self, active: bool) -> Self {
                self.shared.is_active = Some(active);
                self
            }

            $(#[$metadata_doc])*
            pub fn metadata<K: Into<String>, V: Into<Value>>(
                mut self,
                tags: impl IntoIterator<Item = (K, V)>,
            ) -> Self {
                self.shared.metadata = Some(collect_tags(tags));
                self
            }
        }
    };
}
use shared_setters;

/// Parameters of [`Creators::top`]. Unset parameters are not sent (the API then uses its
/// defaults: 10 creators, its own default period).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct TopCreatorsParams {
    period: Option<Period>,
    limit: Option<u32>,
}

impl TopCreatorsParams {
    /// The largest `limit` the leaderboard accepts.
    pub const MAX_LIMIT: u32 = 25;

    /// The API's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Rank over this period.
    pub fn period(mut self, period: Period) -> Self {
        self.period = Some(period);
        self
    }

    /// How many creators, 1 to 25 (the API's default: 10). For more, walk
    /// [`Creators::list`].
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    pub(super) fn query(&self) -> Result<Query> {
        let mut q = Query::new();
        q.opt("period", self.period)
            .limit(self.limit, Self::MAX_LIMIT)?;
        Ok(q)
    }
}

/// Refuses a blank name or one longer than the API allows.
fn check_name(name: &str) -> Result<()> {
    non_blank("name", name)?;
    at_most_chars("name", name, MAX_NAME_CHARS)
}

/// Refuses metadata over the API's documented limits.
fn check_metadata(metadata: &Map<String, Value>) -> Result<()> {
    if metadata.len() > MAX_METADATA_KEYS {
        return Err(Error::InvalidInput(format!(
            "metadata: must have at most {MAX_METADATA_KEYS} keys, got {}",
            metadata.len()
        )));
    }
    for (key, value) in metadata {
        let text = match value {
            Value::String(s) => Cow::Borrowed(s.as_str()),
            other => Cow::Owned(other.to_string()),
        };
        at_most_chars(
            format_args!("metadata[{key:?}]"),
            &text,
            MAX_METADATA_VALUE_CHARS,
        )?;
    }
    Ok(())
}
