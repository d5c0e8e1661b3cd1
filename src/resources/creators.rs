//! Creators, named groups of tracked accounts: `GET`/`POST /creators`,
//! `GET`/`PATCH`/`DELETE /creators/{creator_id}`, linking accounts with
//! `PUT`/`DELETE /creators/{creator_id}/accounts/{account_id}`, the `GET /creators/top`
//! leaderboard and `GET /creators/{creator_id}/analytics`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::pagination::Paginator;
use crate::resources::{MAX_PAGE_SIZE, Query, require};
use crate::response::{Conditional, Response};
use crate::transport::{Method, Reply, Request};
use crate::types::{Date, OrderDirection, Period, Platform, null_as_default};
use crate::url::{path, push_segment};
use crate::{Client, Error, Result};

/// The longest creator name the API accepts, in characters.
const MAX_NAME_CHARS: usize = 255;
/// The most metadata keys a creator may carry.
const MAX_METADATA_KEYS: usize = 20;
/// The longest metadata value the API accepts, in characters.
const MAX_METADATA_VALUE_CHARS: usize = 255;

/// The `/creators` endpoints; from [`Client::creators`].
///
/// A creator is a named group of tracked accounts (say, one person's TikTok and Instagram
/// profiles) whose metrics roll up together. Create it, then link accounts to it with
/// [`link_account`](Self::link_account).
#[derive(Debug, Clone, Copy)]
pub struct Creators<'a> {
    client: &'a Client,
}

impl Client {
    /// The creators endpoints.
    pub fn creators(&self) -> Creators<'_> {
        Creators { client: self }
    }
}

impl Creators<'_> {
    /// Every creator that matches `params`, page by page (`GET /creators`), by name in
    /// ascending order unless asked otherwise.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{CreatorOrder, ListCreators, OrderDirection};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let params = ListCreators::new()
    ///     .is_active(true)
    ///     .order_by(CreatorOrder::Name)
    ///     .order_direction(OrderDirection::Desc);
    /// for creator in client.creators().list(params) {
    ///     let creator = creator?;
    ///     let accounts = creator.accounts_summary.as_ref().and_then(|s| s.total);
    ///     println!("{} {} ({accounts:?} accounts)", creator.id, creator.name);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// An invalid `limit` (outside 1–200) is reported by the first item, before any request
    /// is sent.
    pub fn list(&self, params: ListCreators) -> Paginator<Creator> {
        self.client.list("creators", params.query())
    }

    /// Creates a creator (`POST /creators`). Link accounts to it afterwards with
    /// [`link_account`](Self::link_account).
    ///
    /// The request carries an `Idempotency-Key` (yours, or a random one) that is the same on
    /// every retry, so a retried create returns the original creator instead of a duplicate.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::NewCreator;
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let creator = client
    ///     .creators()
    ///     .create(&NewCreator::new("Khaby Lame").metadata([("team", "growth"), ("tier", "A")]))?;
    /// println!("created {} ({})", creator.name, creator.id);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before any request for an empty or blank name, a name over
    /// 255 characters, or metadata over the API's limits (20 keys, values of 255
    /// characters); [`Error::Api`] with `VALIDATION_ERROR` for a body the API rejects;
    /// otherwise as for every call.
    pub fn create(&self, new: &NewCreator) -> Result<Creator> {
        Ok(self.create_with_meta(new)?.into_inner())
    }

    /// [`create`](Self::create), with the call's [`ResponseMeta`](crate::ResponseMeta),
    /// including the idempotency key sent.
    ///
    /// # Errors
    ///
    /// As [`create`](Self::create).
    pub fn create_with_meta(&self, new: &NewCreator) -> Result<Response<Creator>> {
        check_name(&new.name)?;
        if let Some(metadata) = &new.metadata {
            check_metadata(metadata)?;
        }
        let request = self
            .client
            .request_to(Method::Post, "creators")
            .json(new)?
            .idempotency_key_or_random(new.idempotency_key.as_deref());
        self.client.send(&request)?.data()
    }

    /// One creator (`GET /creators/{creator_id}`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id; [`Error::Api`] with `NOT_FOUND` when the
    /// creator is not in your organization; otherwise as for every call.
    pub fn get(&self, id: &str) -> Result<Creator> {
        Ok(self.get_with_meta(id)?.into_inner())
    }

    /// [`get`](Self::get), with the call's [`ResponseMeta`](crate::ResponseMeta) (its `etag`
    /// is what [`get_if_none_match`](Self::get_if_none_match) takes).
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    pub fn get_with_meta(&self, id: &str) -> Result<Response<Creator>> {
        self.client.get_data(&creator_path(id, "")?, &Query::new())
    }

    /// A conditional [`get`](Self::get): sends `If-None-Match: etag` and returns
    /// [`Conditional::NotModified`] (no body, no error) when the creator has not changed.
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    pub fn get_if_none_match(&self, id: &str, etag: &str) -> Result<Conditional<Creator>> {
        self.client
            .get_data_if_none_match(&creator_path(id, "")?, etag)
    }

    /// Changes a creator (`PATCH /creators/{creator_id}`): only the fields set on `changes`
    /// are sent, the others stay as they are.
    ///
    /// **`metadata` replaces the creator's whole metadata object; it is not merged.** To add
    /// or change one tag, read the creator, edit its metadata and send all of it back:
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::CreatorUpdate;
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let creators = client.creators();
    /// let id = "9b2e4c1a-7f3d-4e8a-b6c5-1d2e3f4a5b6c";
    ///
    /// let mut tags = creators.get(id)?.metadata; // the current tags
    /// tags.insert("tier".into(), "A".into()); // add or overwrite one
    /// tags.remove("legacy"); // drop another
    /// let creator = creators.update(id, &CreatorUpdate::new().metadata(tags))?;
    /// assert_eq!(creator.metadata["tier"], "A");
    ///
    /// // Renaming and pausing leave the tags alone.
    /// creators.update(id, &CreatorUpdate::new().name("Khaby").is_active(false))?;
    /// # Ok(()) }
    /// ```
    ///
    /// Another writer may change the tags between the read and the update (the API documents
    /// no `If-Match`); the update wins.
    ///
    /// A PATCH is not retried by the SDK: if the connection fails mid-call, read the creator
    /// to see whether the change landed.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before any request for an empty id, an update with no field
    /// set (it would change nothing), a blank name or one over 255 characters, or metadata
    /// over the API's limits; [`Error::Api`] with `NOT_FOUND` when the creator is not in your
    /// organization, `VALIDATION_ERROR` for a body the API rejects; otherwise as for every
    /// call.
    pub fn update(&self, id: &str, changes: &CreatorUpdate) -> Result<Creator> {
        Ok(self.update_with_meta(id, changes)?.into_inner())
    }

    /// [`update`](Self::update), with the call's [`ResponseMeta`](crate::ResponseMeta).
    ///
    /// # Errors
    ///
    /// As [`update`](Self::update).
    pub fn update_with_meta(&self, id: &str, changes: &CreatorUpdate) -> Result<Response<Creator>> {
        let path = creator_path(id, "")?;
        if changes.is_empty() {
            return Err(Error::InvalidInput(
                "update: no field set; set name, is_active or metadata".into(),
            ));
        }
        if let Some(name) = &changes.name {
            check_name(name)?;
        }
        if let Some(metadata) = &changes.metadata {
            check_metadata(metadata)?;
        }
        let request = self.client.request_to(Method::Patch, &path).json(changes)?;
        self.client.send(&request)?.data()
    }

    /// Deletes a creator (`DELETE /creators/{creator_id}`). Any success status (`200` with
    /// or without a body, `204`) is `Ok`; the body is not read. What becomes of the linked
    /// accounts is not documented by the API.
    ///
    /// A DELETE is retried like a GET (after a failed connection, a timeout, or a 408, 429,
    /// 500, 502, 503 or 504); when the first attempt went through, the retry can answer
    /// `404 NOT_FOUND`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id; [`Error::Api`] with `NOT_FOUND` when the
    /// creator is not in your organization; otherwise as for every call.
    pub fn delete(&self, id: &str) -> Result<()> {
        let path = creator_path(id, "")?;
        self.client
            .send(&self.client.request_to(Method::Delete, &path))?;
        Ok(())
    }

    /// Links a tracked account to a creator
    /// (`PUT /creators/{creator_id}/accounts/{account_id}`, no body).
    ///
    /// Linking is idempotent: the first link answers `201 Created`, linking an account that
    /// is already linked to this creator answers `200 OK`. [`AccountLink::is_new`] tells
    /// them apart.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{Error, ErrorCode};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// match client.creators().link_account("9b2e4c1a-…", "4f1c2d3e-…") {
    ///     Ok(link) if link.is_new() => println!("linked"),
    ///     Ok(_) => println!("was already linked to this creator"),
    ///     Err(Error::Api(p)) if p.code == ErrorCode::Conflict => {
    ///         println!("the account belongs to another creator: unlink it there first")
    ///     }
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// `created` describes the last attempt: a PUT is retried like a GET (after a failed
    /// connection, a timeout, or a 408, 429, 500, 502, 503 or 504), so when the first attempt
    /// linked the account but its answer was lost, the retry answers `200` and the link reads
    /// as not new.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id; [`Error::Api`] with `CONFLICT` when the
    /// account is linked to a different creator, `NOT_FOUND` when the creator or the account
    /// is not in your organization; [`Error::Decode`] when a non-empty body is not JSON;
    /// otherwise as for every call.
    pub fn link_account(&self, id: &str, account_id: &str) -> Result<AccountLink> {
        let path = link_path(id, account_id)?;
        let reply = self
            .client
            .send(&self.client.request_to(Method::Put, &path))?;
        let created = reply.meta.status == 201;
        let body = body_json(reply)?;
        let (record, _) = split_data(body);
        Ok(AccountLink {
            creator_id: id.to_owned(),
            account_id: account_id.to_owned(),
            created,
            record,
        })
    }

    /// Unlinks an account from a creator
    /// (`DELETE /creators/{creator_id}/accounts/{account_id}`). Any success status is
    /// `Ok`; the body is not read.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id; [`Error::Api`] for an error status (the API
    /// documents none for this endpoint; expect `NOT_FOUND` when the creator or the account
    /// is not in your organization); otherwise as for every call.
    pub fn unlink_account(&self, id: &str, account_id: &str) -> Result<()> {
        let path = link_path(id, account_id)?;
        self.client
            .send(&self.client.request_to(Method::Delete, &path))?;
        Ok(())
    }

    /// The organization's leaderboard of creators over a period (`GET /creators/top`), best
    /// first, at most 25.
    ///
    /// The API does not document the items' fields or the ranking metric, so each
    /// [`TopCreator`] keeps the whole item as the API sent it.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{Period, TopCreators};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let top = client
    ///     .creators()
    ///     .top(TopCreators::new().period(Period::Last30Days).limit(5))?;
    /// for (rank, creator) in top.iter().enumerate() {
    ///     println!("{}. {:?} {}", rank + 1, creator.name, creator.raw);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before any request for a `limit` outside 1–25; otherwise as
    /// for every call.
    pub fn top(&self, params: TopCreators) -> Result<Vec<TopCreator>> {
        let query = params.query()?;
        let items: Response<Option<Vec<TopCreator>>> =
            self.client.get_data("creators/top", &query)?;
        Ok(items.into_inner().unwrap_or_default())
    }

    /// A creator's analytics over an inclusive range of dates (UTC)
    /// (`GET /creators/{creator_id}/analytics?start_date=…&end_date=…`).
    ///
    /// The API does not document the response's shape (its guides read views, likes,
    /// comments, shares and followers from it), so [`CreatorAnalytics`] keeps it as JSON.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{CreatorAnalyticsParams, Date};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let range = CreatorAnalyticsParams::new(Date::new(2026, 5, 16)?, Date::new(2026, 6, 15)?);
    /// let analytics = client.creators().analytics("9b2e4c1a-…", range)?;
    /// println!("{:#}", analytics.data);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before any request for an empty id or a `start_date` after
    /// the `end_date`; [`Error::Api`] with `NOT_FOUND` when the creator is not in your
    /// organization; [`Error::Decode`] when the body is not JSON; otherwise as for every
    /// call.
    pub fn analytics(&self, id: &str, params: CreatorAnalyticsParams) -> Result<CreatorAnalytics> {
        let path = creator_path(id, "/analytics")?;
        let query = params.query()?;
        let url = self.client.url(&path, query.pairs());
        let reply = self.client.send(&Request::new(Method::Get, url))?;
        let body = body_json(reply)?;
        let (data, extra) = split_data(body);
        Ok(CreatorAnalytics {
            creator_id: id.to_owned(),
            start_date: params.start_date,
            end_date: params.end_date,
            data,
            extra,
        })
    }
}

/// `creators/{id}` + `tail`, the id checked and encoded.
fn creator_path(id: &str, tail: &str) -> Result<String> {
    path("creators", &[("creator_id", id)], tail)
}

/// `creators/{id}/accounts/{account_id}`, both ids checked and encoded.
fn link_path(id: &str, account_id: &str) -> Result<String> {
    let mut p = creator_path(id, "/accounts")?;
    push_segment(&mut p, "account_id", account_id)?;
    Ok(p)
}

/// The body as JSON, `null` when it is empty (or only white space).
fn body_json(reply: Reply) -> Result<Value> {
    if reply.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    Ok(reply.json::<Value>()?.into_inner())
}

/// Splits `{"data": d, ...rest}` into `d` and the other members; any other body is returned
/// whole, with no other members.
fn split_data(body: Value) -> (Value, Map<String, Value>) {
    match body {
        Value::Object(mut members) if members.contains_key("data") => {
            let data = members.remove("data").unwrap_or(Value::Null);
            (data, members)
        }
        other => (other, Map::new()),
    }
}

/// Refuses a blank name or one longer than the API allows.
fn check_name(name: &str) -> Result<()> {
    require("name", name)?;
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(Error::InvalidInput(format!(
            "name: must be at most {MAX_NAME_CHARS} characters, got {chars}"
        )));
    }
    Ok(())
}

/// Refuses metadata over the API's documented limits.
fn check_metadata(metadata: &Map<String, Value>) -> Result<()> {
    if metadata.len() > MAX_METADATA_KEYS {
        return Err(Error::InvalidInput(format!(
            "metadata: at most {MAX_METADATA_KEYS} keys, got {}",
            metadata.len()
        )));
    }
    for (key, value) in metadata {
        let chars = match value {
            Value::String(s) => s.chars().count(),
            other => other.to_string().chars().count(),
        };
        if chars > MAX_METADATA_VALUE_CHARS {
            return Err(Error::InvalidInput(format!(
                "metadata: the value of {key:?} must be at most {MAX_METADATA_VALUE_CHARS} \
                 characters, got {chars}"
            )));
        }
    }
    Ok(())
}

/// Collects tags given in any map-like form into a JSON object.
fn collect_tags<K: Into<String>, V: Into<Value>>(
    tags: impl IntoIterator<Item = (K, V)>,
) -> Map<String, Value> {
    tags.into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect()
}

/// Sort keys of `GET /creators`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CreatorOrder {
    /// `name` (the only key the API offers; its default, ascending).
    Name,
}

impl CreatorOrder {
    /// The API's name of the key.
    pub fn as_str(&self) -> &'static str {
        match self {
            CreatorOrder::Name => "name",
        }
    }
}

impl std::fmt::Display for CreatorOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Filters and sort for [`Creators::list`]. Unset filters are not sent.
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct ListCreators {
    is_active: Option<bool>,
    order_by: Option<CreatorOrder>,
    order_direction: Option<OrderDirection>,
    include_total: Option<bool>,
    limit: Option<u32>,
}

impl ListCreators {
    /// No filters: every creator, 200 per page.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only active (`true`) or archived/paused (`false`) creators.
    pub fn is_active(mut self, active: bool) -> Self {
        self.is_active = Some(active);
        self
    }

    /// Sort by this key.
    pub fn order_by(mut self, key: CreatorOrder) -> Self {
        self.order_by = Some(key);
        self
    }

    /// Sort in this direction (the API's default for `name`: ascending).
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
        q.opt("is_active", self.is_active)
            .opt("order_by", self.order_by)
            .opt("order_direction", self.order_direction)
            .opt("include_total", self.include_total)
            .limit(self.limit, MAX_PAGE_SIZE)?;
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
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct NewCreator {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_active: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<Map<String, Value>>,
    #[serde(skip)]
    idempotency_key: Option<String>,
}

impl NewCreator {
    /// A creator with this name: 1 to 255 characters, not blank.
    pub fn new(name: impl Into<String>) -> Self {
        NewCreator {
            name: name.into(),
            is_active: None,
            metadata: None,
            idempotency_key: None,
        }
    }

    /// Create it active (`true`, the API's default) or archived (`false`).
    pub fn is_active(mut self, active: bool) -> Self {
        self.is_active = Some(active);
        self
    }

    /// Key/value tags of your own: at most 20 keys, each value at most 255 characters
    /// (counted as Unicode scalar values; a value that is not a string counts as its JSON
    /// text). Takes any list of pairs, e.g. `[("team", "growth")]`, a `HashMap` or a
    /// [`serde_json::Map`]; replaces tags set by an earlier call.
    pub fn metadata<K: Into<String>, V: Into<Value>>(
        mut self,
        tags: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.metadata = Some(collect_tags(tags));
        self
    }

    /// The `Idempotency-Key` to send instead of a random one, e.g. to retry a create across
    /// runs of a script within the API's ten-minute window.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }
}

/// The changes [`Creators::update`] sends. Only the fields you set are sent; at least one
/// must be.
///
/// `metadata` **replaces** the creator's whole metadata object (it is not merged): see
/// [`Creators::update`] for how to change one tag.
///
/// ```
/// use creatoraudit::CreatorUpdate;
///
/// let rename = CreatorUpdate::new().name("Khaby");
/// let archive = CreatorUpdate::new().is_active(false);
/// let clear_tags = CreatorUpdate::new().metadata(serde_json::Map::new());
/// # let _ = (rename, archive, clear_tags);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[must_use]
pub struct CreatorUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_active: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<Map<String, Value>>,
}

impl CreatorUpdate {
    /// No changes yet: set at least one field before sending.
    pub fn new() -> Self {
        Self::default()
    }

    /// Rename the creator (1 to 255 characters, not blank).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Activate (`true`) or archive/pause (`false`) the creator. Pausing a creator pauses
    /// all its accounts.
    pub fn is_active(mut self, active: bool) -> Self {
        self.is_active = Some(active);
        self
    }

    /// **Replace** the creator's tags with these (an empty map removes them all). The limits
    /// are those of [`NewCreator::metadata`]. Tags you leave out are deleted: to change one,
    /// start from the creator's current [`metadata`](Creator::metadata).
    pub fn metadata<K: Into<String>, V: Into<Value>>(
        mut self,
        tags: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.metadata = Some(collect_tags(tags));
        self
    }

    /// Whether no field is set (such an update is refused: it would change nothing).
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.is_active.is_none() && self.metadata.is_none()
    }
}

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
    /// `true` when this call created the link (`201 Created`), `false` when the account
    /// was already linked to this creator (`200 OK`).
    pub created: bool,
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

/// Parameters of [`Creators::top`]. Unset parameters are not sent (the API then uses its
/// defaults: 10 creators, its own default period).
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct TopCreators {
    period: Option<Period>,
    limit: Option<u32>,
}

impl TopCreators {
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

    fn query(&self) -> Result<Query> {
        let mut q = Query::new();
        q.opt("period", self.period)
            .optional_limit(self.limit, Self::MAX_LIMIT)?;
        Ok(q)
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
    /// The creator's id, when the entry has one.
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
        let text = |field: &str| match raw.get(field) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        TopCreator {
            id: text("id"),
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

/// Parameters of [`Creators::analytics`]: an inclusive range of dates (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct CreatorAnalyticsParams {
    start_date: Date,
    end_date: Date,
}

impl CreatorAnalyticsParams {
    /// From `start_date` to `end_date`, both included. A start after the end is refused
    /// when the call is made.
    pub fn new(start_date: Date, end_date: Date) -> Self {
        CreatorAnalyticsParams {
            start_date,
            end_date,
        }
    }

    fn query(&self) -> Result<Query> {
        if self.start_date > self.end_date {
            return Err(Error::InvalidInput(format!(
                "start_date: must not be after end_date ({} > {})",
                self.start_date, self.end_date
            )));
        }
        let mut q = Query::new();
        q.opt("start_date", Some(self.start_date))
            .opt("end_date", Some(self.end_date));
        Ok(q)
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
