//! Creators, named groups of tracked accounts: `GET`/`POST /creators`,
//! `GET`/`PATCH`/`DELETE /creators/{id}`, linking accounts with
//! `PUT`/`DELETE /creators/{id}/accounts/{account_id}`, the `GET /creators/top`
//! leaderboard and `GET /creators/{id}/analytics`.
//!
//! The handle and its calls are here; what they take is in `params.rs`, what they return in
//! `models.rs`.

mod models;
mod params;

pub use models::{AccountLink, AccountsSummary, Creator, CreatorAnalytics, TopCreator};
pub use params::{CreatorOrder, ListCreators, NewCreator, TopCreatorsParams, UpdateCreator};

#[cfg(doc)]
use crate::Error;
use crate::call::Call;
use crate::de::split_data;
use crate::pagination::Paginator;
use crate::params::{DateRange, Query};
use crate::response::{Conditional, Response};
use crate::transport::Reply;
use crate::{Client, Result};

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
    ///     let accounts = creator.accounts_summary.as_ref().and_then(|s| s.total).unwrap_or(0);
    ///     println!("{} {} ({accounts} accounts)", creator.id, creator.name);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// An invalid `limit` (outside 1–200) is reported by the first item, before any request
    /// is sent.
    pub fn list(&self, params: ListCreators) -> Paginator<Creator> {
        Paginator::start(self.client.clone(), "GET /creators", params.query())
    }

    /// Continues a walk over `/creators` from a [`Checkpoint`](crate::Checkpoint)
    /// taken with [`Paginator::checkpoint`] (in this process or an earlier one): the same
    /// filters and sort, from the item after the last one yielded. See
    /// [`Paginator::checkpoint`] for what is exact and what `max_items` does.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput), before any request, for a
    /// checkpoint of another listing (or of a format this version does not read).
    pub fn resume(&self, checkpoint: &crate::Checkpoint) -> Result<Paginator<Creator>> {
        Paginator::resume(self.client.clone(), Some("GET /creators"), checkpoint)
    }

    /// Creates a creator (`POST /creators`). Link accounts to it afterwards with
    /// [`link_account`](Self::link_account).
    ///
    /// The request carries an `Idempotency-Key` (yours, or a random one) that is the same on
    /// every retry. The API deduplicates keyed creates best-effort (in one process, for ten
    /// minutes), so a retried create usually, not certainly, returns the original creator
    /// instead of a duplicate.
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
    /// 255 characters, metadata over the API's limits (20 keys, values of 255 characters),
    /// or an idempotency key a header cannot carry as given (empty, padded, not visible
    /// ASCII, over 1,024 characters); [`Error::Api`] with `VALIDATION_ERROR` for a body the
    /// API rejects;
    /// otherwise the [common failures](crate::Error#common-failures).
    pub fn create(&self, new: &NewCreator) -> Result<Creator> {
        Ok(self.create_with_meta(new)?.value)
    }

    /// [`create`](Self::create), with the call's [`ResponseMeta`](crate::ResponseMeta),
    /// including the idempotency key sent.
    ///
    /// # Errors
    ///
    /// As [`create`](Self::create).
    pub fn create_with_meta(&self, new: &NewCreator) -> Result<Response<Creator>> {
        new.check()?;
        let key = new.idempotency_key.as_deref();
        self.client
            .send(&Call::create("POST /creators", new, key)?)?
            .data()
    }

    /// One creator (`GET /creators/{creator_id}`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id; [`Error::Api`] with `NOT_FOUND` when the
    /// creator is not in your organization; otherwise the [common failures](crate::Error#common-failures).
    pub fn get(&self, id: &str) -> Result<Creator> {
        Ok(self.get_with_meta(id)?.value)
    }

    /// [`get`](Self::get), with the call's [`ResponseMeta`](crate::ResponseMeta) (its `etag`
    /// is what [`get_if_none_match`](Self::get_if_none_match) takes).
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    pub fn get_with_meta(&self, id: &str) -> Result<Response<Creator>> {
        self.client.send(&get_creator(id)?)?.data()
    }

    /// A conditional [`get`](Self::get): sends `If-None-Match: etag` and returns
    /// [`Conditional::NotModified`] (no body, no error) when the creator has not changed.
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get); [`Error::InvalidInput`](crate::Error::InvalidInput)
    /// for an `etag` a header cannot carry as given (empty, padded, not visible ASCII).
    pub fn get_if_none_match(&self, id: &str, etag: &str) -> Result<Conditional<Creator>> {
        self.client
            .send(&get_creator(id)?.if_none_match(etag)?)?
            .conditional()
    }

    /// Changes a creator (`PATCH /creators/{creator_id}`): only the fields set on `changes`
    /// are sent, the others stay as they are.
    ///
    /// **`metadata` replaces the creator's whole metadata object; it is not merged.** To add
    /// or change one tag, read the creator, edit its metadata and send all of it back:
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::UpdateCreator;
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let creators = client.creators();
    /// let id = "9b2e4c1a-7f3d-4e8a-b6c5-1d2e3f4a5b6c";
    ///
    /// let mut tags = creators.get(id)?.metadata; // the current tags
    /// tags.insert("tier".into(), "A".into()); // add or overwrite one
    /// tags.remove("legacy"); // drop another
    /// let creator = creators.update(id, &UpdateCreator::new().metadata(tags))?;
    /// assert_eq!(creator.metadata["tier"], "A");
    ///
    /// // Renaming and pausing leave the tags alone.
    /// creators.update(id, &UpdateCreator::new().name("Khaby").is_active(false))?;
    /// # Ok(()) }
    /// ```
    ///
    /// Another writer may change the tags between the read and the update (the API documents
    /// no `If-Match`); the update wins.
    ///
    /// A PATCH is retried only after a `429` (the server refused it before doing anything):
    /// if the connection fails or times out mid-call, read the creator to see whether the
    /// change landed.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before any request for an empty id, an update with no field
    /// set (it would change nothing), a blank name or one over 255 characters, or metadata
    /// over the API's limits; [`Error::Api`] with `NOT_FOUND` when the creator is not in your
    /// organization, `VALIDATION_ERROR` for a body the API rejects; otherwise the
    /// [common failures](crate::Error#common-failures).
    pub fn update(&self, id: &str, changes: &UpdateCreator) -> Result<Creator> {
        Ok(self.update_with_meta(id, changes)?.value)
    }

    /// [`update`](Self::update), with the call's [`ResponseMeta`](crate::ResponseMeta).
    ///
    /// # Errors
    ///
    /// As [`update`](Self::update).
    pub fn update_with_meta(&self, id: &str, changes: &UpdateCreator) -> Result<Response<Creator>> {
        let call = Call::new("PATCH /creators/{id}", &[("creator_id", id)])?;
        changes.check()?;
        self.client.send(&call.json(changes)?)?.data()
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
    /// creator is not in your organization; otherwise the [common failures](crate::Error#common-failures).
    pub fn delete(&self, id: &str) -> Result<()> {
        let call = Call::new("DELETE /creators/{id}", &[("creator_id", id)])?;
        self.client.send(&call)?;
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
    /// otherwise the [common failures](crate::Error#common-failures).
    pub fn link_account(&self, id: &str, account_id: &str) -> Result<AccountLink> {
        Ok(self.link_account_with_meta(id, account_id)?.value)
    }

    /// [`link_account`](Self::link_account), with the call's
    /// [`ResponseMeta`](crate::ResponseMeta).
    ///
    /// # Errors
    ///
    /// As [`link_account`](Self::link_account).
    pub fn link_account_with_meta(
        &self,
        id: &str,
        account_id: &str,
    ) -> Result<Response<AccountLink>> {
        let call = Call::new(
            "PUT /creators/{id}/accounts/{account_id}",
            &[("creator_id", id), ("account_id", account_id)],
        )?;
        let reply = self.client.send(&call)?;
        let created = reply.meta.status == Some(201);
        let Response { value, meta } = reply.json_or_null()?;
        let (record, _) = split_data(value);
        let link = AccountLink {
            creator_id: id.to_owned(),
            account_id: account_id.to_owned(),
            created,
            record,
        };
        Ok(Response { value: link, meta })
    }

    /// Unlinks an account from a creator
    /// (`DELETE /creators/{creator_id}/accounts/{account_id}`). Any success status is
    /// `Ok`; the body is not read.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty id; [`Error::Api`] for an error status (the API
    /// documents none for this endpoint; expect `NOT_FOUND` when the creator or the account
    /// is not in your organization); otherwise the [common failures](crate::Error#common-failures).
    pub fn unlink_account(&self, id: &str, account_id: &str) -> Result<()> {
        let call = Call::new(
            "DELETE /creators/{id}/accounts/{account_id}",
            &[("creator_id", id), ("account_id", account_id)],
        )?;
        self.client.send(&call)?;
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
    /// use creatoraudit::{Period, TopCreatorsParams};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let top = client
    ///     .creators()
    ///     .top(TopCreatorsParams::new().period(Period::Last30Days).limit(5))?;
    /// for (rank, creator) in top.iter().enumerate() {
    ///     println!("{}. {}", rank + 1, creator.name.as_deref().unwrap_or("-"));
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before any request for a `limit` outside 1–25; otherwise the
    /// [common failures](crate::Error#common-failures).
    pub fn top(&self, params: TopCreatorsParams) -> Result<Vec<TopCreator>> {
        Ok(self.top_with_meta(params)?.value)
    }

    /// [`top`](Self::top), with the call's [`ResponseMeta`](crate::ResponseMeta).
    ///
    /// # Errors
    ///
    /// As [`top`](Self::top).
    pub fn top_with_meta(&self, params: TopCreatorsParams) -> Result<Response<Vec<TopCreator>>> {
        decode_top(self.client.send(&top_call(&params)?)?)
    }

    /// A conditional [`top`](Self::top): sends `If-None-Match: etag` (from an earlier
    /// answer with the same parameters) and returns [`Conditional::NotModified`] (no body,
    /// no error) when the leaderboard has not changed.
    ///
    /// # Errors
    ///
    /// As [`top`](Self::top); [`Error::InvalidInput`](crate::Error::InvalidInput)
    /// for an `etag` a header cannot carry as given (empty, padded, not visible ASCII).
    pub fn top_if_none_match(
        &self,
        params: TopCreatorsParams,
        etag: &str,
    ) -> Result<Conditional<Vec<TopCreator>>> {
        self.client
            .send(&top_call(&params)?.if_none_match(etag)?)?
            .conditional_with(decode_top)
    }

    /// A creator's analytics over an inclusive range of dates (UTC)
    /// (`GET /creators/{creator_id}/analytics?start_date=…&end_date=…`).
    ///
    /// The API does not document the response's shape (its guides read views, likes,
    /// comments, shares and followers from it), so [`CreatorAnalytics`] keeps it as JSON.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::{Date, DateRange};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let range = DateRange::new(Date::new(2026, 5, 16)?, Date::new(2026, 6, 15)?)?;
    /// let analytics = client.creators().analytics("9b2e4c1a-…", range)?;
    /// println!("{:#}", analytics.data);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before any request for an empty id; [`Error::Api`] with
    /// `NOT_FOUND` when the creator is not in your organization; [`Error::Decode`] when the
    /// body is not JSON; otherwise the [common failures](crate::Error#common-failures).
    pub fn analytics(&self, id: &str, range: DateRange) -> Result<CreatorAnalytics> {
        Ok(self.analytics_with_meta(id, range)?.value)
    }

    /// [`analytics`](Self::analytics), with the call's [`ResponseMeta`](crate::ResponseMeta).
    ///
    /// # Errors
    ///
    /// As [`analytics`](Self::analytics).
    pub fn analytics_with_meta(
        &self,
        id: &str,
        range: DateRange,
    ) -> Result<Response<CreatorAnalytics>> {
        decode_analytics(id, range)(self.client.send(&analytics_call(id, range)?)?)
    }

    /// A conditional [`analytics`](Self::analytics): sends `If-None-Match: etag` (from an
    /// earlier answer for the same creator and dates) and returns
    /// [`Conditional::NotModified`] (no body, no error) when the analytics have not changed.
    ///
    /// # Errors
    ///
    /// As [`analytics`](Self::analytics); [`Error::InvalidInput`](crate::Error::InvalidInput)
    /// for an `etag` a header cannot carry as given (empty, padded, not visible ASCII).
    pub fn analytics_if_none_match(
        &self,
        id: &str,
        range: DateRange,
        etag: &str,
    ) -> Result<Conditional<CreatorAnalytics>> {
        self.client
            .send(&analytics_call(id, range)?.if_none_match(etag)?)?
            .conditional_with(decode_analytics(id, range))
    }
}

/// `GET /creators/{id}`, the id checked.
fn get_creator(id: &str) -> Result<Call> {
    Ok(Call::new("GET /creators/{id}", &[("creator_id", id)])?.cacheable())
}

/// `GET /creators/top` with its checked parameters.
fn top_call(params: &TopCreatorsParams) -> Result<Call> {
    Ok(Call::new("GET /creators/top", &[])?
        .query(params.query()?)
        .cacheable())
}

fn decode_top(reply: Reply) -> Result<Response<Vec<TopCreator>>> {
    let items: Response<Option<Vec<TopCreator>>> = reply.data()?;
    Ok(items.map(Option::unwrap_or_default))
}

/// `GET /creators/{id}/analytics` for the dates of `range`.
fn analytics_call(id: &str, range: DateRange) -> Result<Call> {
    let mut query = Query::new();
    range.write_query(&mut query);
    Ok(
        Call::new("GET /creators/{id}/analytics", &[("creator_id", id)])?
            .query(query)
            .cacheable(),
    )
}

fn decode_analytics(
    id: &str,
    range: DateRange,
) -> impl FnOnce(Reply) -> Result<Response<CreatorAnalytics>> {
    move |reply| {
        Ok(reply.json_or_null()?.map(|body| {
            let (data, extra) = split_data(body);
            CreatorAnalytics {
                creator_id: id.to_owned(),
                start_date: range.start(),
                end_date: range.end(),
                data,
                extra,
            }
        }))
    }
}
