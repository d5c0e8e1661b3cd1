//! Typeahead search over accounts, creators and videos: `GET /search`.

use serde::{Deserialize, Serialize};

use crate::call::Call;
use crate::de::{
    id_or_empty, lenient, lenient_items, lenient_name, lenient_or_default, string_or_number,
};
use crate::params::{Query, at_most_chars};
use crate::response::{Conditional, Response};
use crate::transport::Reply;
use crate::types::Platform;
use crate::{Client, Result};

/// The longest `q` the API takes, in characters (inferred: the docs show the bound `128`
/// next to the parameter).
const MAX_QUERY_CHARS: usize = 128;

/// What [`Client::search`] asks for: the text, and optionally how many matches per section.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct SearchParams {
    q: String,
    limit: Option<u32>,
}

impl SearchParams {
    /// The largest `limit` the search accepts, per section.
    pub const MAX_LIMIT: u32 = 25;

    /// Search for `q`: a case-insensitive substring of account usernames, creator names and
    /// video captions. At most 128 characters; an empty or blank `q` gives empty sections.
    pub fn new(q: impl Into<String>) -> Self {
        SearchParams {
            q: q.into(),
            limit: None,
        }
    }

    /// At most this many matches per section (accounts, creators, videos), 1 to 25. Unset,
    /// the API's default applies (10). The API may apply a lower cap: see
    /// [`SearchMeta::effective_caps`].
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    fn query(&self) -> Result<Query> {
        at_most_chars("q", &self.q, MAX_QUERY_CHARS)?;
        let mut q = Query::new();
        q.opt("q", Some(&self.q))
            .limit(self.limit, Self::MAX_LIMIT)?;
        Ok(q)
    }
}

impl Client {
    /// Searches your organization's accounts, creators and videos (`GET /search`), as the
    /// dashboard's Cmd+K palette does.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use creatoraudit::SearchParams;
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let found = client.search(SearchParams::new("khaby").limit(5))?;
    /// for account in &found.accounts {
    ///     let platform = account.platform.as_ref().map_or("-", |p| p.as_str());
    ///     println!("account @{} ({platform})", account.username.as_deref().unwrap_or("?"));
    /// }
    /// for creator in &found.creators {
    ///     println!("creator {}", creator.name.as_deref().unwrap_or("?"));
    /// }
    /// println!("{} videos", found.videos.len());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) before any request for a `q`
    /// longer than 128 characters or a `limit` outside 1–25; otherwise the
    /// [common failures](crate::Error#common-failures).
    pub fn search(&self, params: SearchParams) -> Result<SearchResults> {
        Ok(self.search_with_meta(params)?.value)
    }

    /// [`search`](Self::search), with the call's [`ResponseMeta`](crate::ResponseMeta) (the
    /// search's own meta is `response.value.meta`).
    ///
    /// # Errors
    ///
    /// As [`search`](Self::search).
    pub fn search_with_meta(&self, params: SearchParams) -> Result<Response<SearchResults>> {
        decode_search(self.send(&search_call(&params)?)?)
    }

    /// A conditional [`search`](Self::search): sends `If-None-Match: etag` (from an earlier
    /// answer to the same search) and returns [`Conditional::NotModified`] (no body, no
    /// error) when the results have not changed.
    ///
    /// # Errors
    ///
    /// As [`search`](Self::search); [`Error::InvalidInput`](crate::Error::InvalidInput)
    /// for an `etag` a header cannot carry as given (empty, padded, not visible ASCII).
    pub fn search_if_none_match(
        &self,
        params: SearchParams,
        etag: &str,
    ) -> Result<Conditional<SearchResults>> {
        self.send(&search_call(&params)?.if_none_match(etag)?)?
            .conditional_with(decode_search)
    }
}

fn search_call(params: &SearchParams) -> Result<Call> {
    Ok(Call::new("GET /search", &[])?
        .query(params.query()?)
        .cacheable())
}

fn decode_search(reply: Reply) -> Result<Response<SearchResults>> {
    Ok(reply.json::<SearchBody>()?.map(SearchBody::into_results))
}

/// The body of `GET /search`: `{data: {accounts, creators, videos}, meta}`.
#[derive(Deserialize)]
struct SearchBody {
    #[serde(default, deserialize_with = "lenient_or_default")]
    data: SearchSections,
    #[serde(default, deserialize_with = "lenient_or_default")]
    meta: SearchMeta,
}

#[derive(Default, Deserialize)]
struct SearchSections {
    #[serde(default, deserialize_with = "lenient_items")]
    accounts: Vec<SearchAccount>,
    #[serde(default, deserialize_with = "lenient_items")]
    creators: Vec<SearchCreator>,
    #[serde(default, deserialize_with = "lenient_items")]
    videos: Vec<SearchVideo>,
}

impl SearchBody {
    fn into_results(self) -> SearchResults {
        SearchResults {
            accounts: self.data.accounts,
            creators: self.data.creators,
            videos: self.data.videos,
            meta: self.meta,
        }
    }
}

/// The answer of [`Client::search`]: up to `limit` matches per section, and what the search
/// applied.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchResults {
    /// Matching tracked accounts (by username).
    #[serde(default)]
    pub accounts: Vec<SearchAccount>,
    /// Matching creators (by name).
    #[serde(default)]
    pub creators: Vec<SearchCreator>,
    /// Matching videos (by caption).
    #[serde(default)]
    pub videos: Vec<SearchVideo>,
    /// The query as the API read it and the caps it applied.
    #[serde(default)]
    pub meta: SearchMeta,
}

impl SearchResults {
    /// Whether no section has a match.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty() && self.creators.is_empty() && self.videos.is_empty()
    }
}

/// An account found by [`Client::search`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchAccount {
    /// The account's id (a UUID; empty if the API left it out).
    #[serde(default, deserialize_with = "id_or_empty")]
    pub id: String,
    /// The platform.
    #[serde(default, deserialize_with = "lenient_name")]
    pub platform: Option<Platform>,
    /// The username.
    #[serde(default, deserialize_with = "lenient")]
    pub username: Option<String>,
    /// The display name.
    #[serde(default, deserialize_with = "lenient")]
    pub display_name: Option<String>,
}

/// A creator found by [`Client::search`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchCreator {
    /// The creator's id (a UUID; empty if the API left it out).
    #[serde(default, deserialize_with = "id_or_empty")]
    pub id: String,
    /// The name.
    #[serde(default, deserialize_with = "lenient")]
    pub name: Option<String>,
}

/// A video found by [`Client::search`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchVideo {
    /// The video's id, as a string (a number sent by the API is written in decimal; empty if
    /// the API left it out).
    #[serde(default, deserialize_with = "id_or_empty")]
    pub id: String,
    /// The platform.
    #[serde(default, deserialize_with = "lenient_name")]
    pub platform: Option<Platform>,
    /// The caption.
    #[serde(default, deserialize_with = "lenient")]
    pub caption: Option<String>,
    /// The tracked account that posted it.
    #[serde(default, deserialize_with = "string_or_number")]
    pub account_id: Option<String>,
    /// That account's username.
    #[serde(default, deserialize_with = "lenient")]
    pub account_username: Option<String>,
}

/// What [`Client::search`] applied.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchMeta {
    /// `q` as the API received it.
    #[serde(default, deserialize_with = "lenient")]
    pub query: Option<String>,
    /// The `limit` asked for (or the default).
    #[serde(default, deserialize_with = "lenient")]
    pub limit_per_section: Option<u32>,
    /// The cap actually applied to each section: the smaller of `limit` and an internal
    /// maximum, which can be below 25.
    #[serde(default, deserialize_with = "lenient_or_default")]
    pub effective_caps: EffectiveCaps,
}

/// The per-section caps a search applied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EffectiveCaps {
    /// The cap on accounts.
    #[serde(default, deserialize_with = "lenient")]
    pub accounts: Option<u32>,
    /// The cap on creators.
    #[serde(default, deserialize_with = "lenient")]
    pub creators: Option<u32>,
    /// The cap on videos.
    #[serde(default, deserialize_with = "lenient")]
    pub videos: Option<u32>,
}
