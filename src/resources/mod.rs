//! One file per group of endpoints: its handle, its parameter and body types, its models.
//!
//! Every typed call follows the same path: build a [`Request`](crate::transport::Request)
//! from checked arguments, send it through the client, decode the reply.

pub(crate) mod account_videos;
pub(crate) mod accounts;
pub(crate) mod analytics;
pub(crate) mod creators;
pub(crate) mod meta;
pub(crate) mod overview;
pub(crate) mod search;
pub(crate) mod videos;

use std::fmt::Display;

use serde::de::DeserializeOwned;

use crate::pagination::Paginator;
use crate::response::{Conditional, Response};
use crate::transport::{Method, Request};
use crate::{Client, Error, Result};

/// The largest page most listings accept.
pub(crate) const MAX_PAGE_SIZE: u32 = 200;

/// Query parameters under construction, checked as they are added.
#[derive(Debug, Default)]
pub(crate) struct Query(Vec<(&'static str, String)>);

impl Query {
    pub(crate) fn new() -> Self {
        Query::default()
    }

    /// Adds `name=value` when `value` is set.
    pub(crate) fn opt(&mut self, name: &'static str, value: Option<impl Display>) -> &mut Self {
        if let Some(v) = value {
            self.0.push((name, v.to_string()));
        }
        self
    }

    /// Adds a string filter, refusing an empty one (it would filter on nothing, or on "").
    pub(crate) fn text(&mut self, name: &'static str, value: Option<&str>) -> Result<&mut Self> {
        match value {
            Some(v) if v.trim().is_empty() => {
                Err(Error::InvalidInput(format!("{name}: must not be empty")))
            }
            v => Ok(self.opt(name, v)),
        }
    }

    /// Adds `limit`, defaulting to `max` and refusing anything outside `1..=max`.
    pub(crate) fn limit(&mut self, limit: Option<u32>, max: u32) -> Result<&mut Self> {
        self.optional_limit(Some(limit.unwrap_or(max)), max)
    }

    /// Adds `limit` when set (the API's default applies otherwise), refusing anything outside
    /// `1..=max`.
    pub(crate) fn optional_limit(&mut self, limit: Option<u32>, max: u32) -> Result<&mut Self> {
        if let Some(limit) = limit.filter(|l| !(1..=max).contains(l)) {
            return Err(Error::InvalidInput(format!(
                "limit: must be between 1 and {max}, got {limit}"
            )));
        }
        Ok(self.opt("limit", limit))
    }

    pub(crate) fn pairs(&self) -> &[(&'static str, String)] {
        &self.0
    }
}

impl Client {
    /// `GET path` and decode `{"data": T}`.
    pub(crate) fn get_data<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &Query,
    ) -> Result<Response<T>> {
        self.send(&Request::new(Method::Get, self.url(path, query.pairs())))?
            .data()
    }

    /// `GET path` with `If-None-Match: etag`.
    pub(crate) fn get_data_if_none_match<T: DeserializeOwned>(
        &self,
        path: &str,
        etag: &str,
    ) -> Result<Conditional<T>> {
        let url = self.url::<&str, &str>(path, &[]);
        let reply = self.send(&Request::new(Method::Get, url).if_none_match(etag))?;
        if reply.is_not_modified() {
            return Ok(Conditional::NotModified { meta: reply.meta });
        }
        let Response { value, meta } = reply.data()?;
        Ok(Conditional::Modified {
            value,
            etag: meta.etag.clone(),
            meta,
        })
    }

    /// A paginator over `path`, or one that yields the argument error without a request.
    pub(crate) fn list<T: DeserializeOwned>(
        &self,
        path: &str,
        query: Result<Query>,
    ) -> Paginator<T> {
        match query {
            Ok(query) => Paginator::new(self.clone(), self.url(path, query.pairs())),
            Err(e) => Paginator::failed(self.clone(), e),
        }
    }

    /// A request for `path` with no query.
    pub(crate) fn request_to(&self, method: Method, path: &str) -> Request {
        Request::new(method, self.url::<&str, &str>(path, &[]))
    }
}

/// Refuses an empty (or all-blank) required string; the message names the field.
pub(crate) fn require(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        Err(Error::InvalidInput(format!("{field}: must not be empty")))
    } else {
        Ok(())
    }
}
