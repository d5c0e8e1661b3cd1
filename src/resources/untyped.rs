//! The untyped escape hatch: [`Client::request`] and [`Client::paginate`], for an endpoint
//! or a field the typed calls do not cover yet.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::call::Call;
use crate::pagination::Paginator;
use crate::params::{MAX_PAGE_SIZE, Query};
use crate::response::Response;
use crate::url::{decodes_to_text, parse_query};
use crate::{Client, Error, Result};

impl Client {
    /// Sends any request and returns the whole JSON body.
    ///
    /// `path` is relative to the base URL (`"/whoami"` and `"whoami"` are the same) and is
    /// sent as given: encode any ids in it yourself. Query values are percent-encoded. The
    /// call is retried as the typed ones are, except that
    /// a POST gets no idempotency key: it is retried only on `429` (refused unprocessed), so
    /// use the typed creates for their safe retries. A `GET` goes through the client's
    /// [ETag cache](crate::ClientBuilder::etag_cache) when it has one.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// use serde_json::{Value, json};
    ///
    /// let client = creatoraudit::Client::from_env()?;
    /// let overview: Value = client.request("GET", "/overview", &[("period", "30d")], None)?;
    /// let created: Value = client.request(
    ///     "POST",
    ///     "/videos",
    ///     &[],
    ///     Some(&json!({"platform": "tiktok", "identifier": "7301234567890123456"})),
    /// )?;
    /// println!("{}", created["data"]["id"]);
    /// # let _ = overview; Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput) for an unknown method, a path a
    /// URL cannot carry as given (a space, a control character, non-ASCII: encode them) or
    /// a query parameter without a name;
    /// otherwise the [common failures](crate::Error#common-failures),
    /// with [`Error::Decode`](crate::Error::Decode) when the body is not the JSON `T` expects.
    pub fn request<T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<T> {
        Ok(self.request_with_meta(method, path, query, body)?.value)
    }

    /// [`request`](Self::request), with the call's [`ResponseMeta`](crate::ResponseMeta):
    /// the request id, the rate limit, the `ETag`, the attempts.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// let client = creatoraudit::Client::from_env()?;
    /// let me = client.request_with_meta::<serde_json::Value>("GET", "/whoami", &[], None)?;
    /// println!("{} (request {:?})", me.value["data"]["organization_id"], me.meta.request_id);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`request`](Self::request).
    pub fn request_with_meta<T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Response<T>> {
        let mut call = Call::raw(method, path)?
            .query(Query::raw(query)?)
            .cacheable();
        if let Some(body) = body {
            call = call.json(body)?;
        }
        self.send(&call)?.json::<T>()
    }

    /// Walks any cursor-paginated listing.
    ///
    /// Items are read from each page's `data` array as `T`. The filters in `query` are sent
    /// with every page, and `cursor` is set to the previous page's `next_cursor`; `limit`
    /// defaults to 200 when `query` does not set it. A query written into `path`
    /// (`"/accounts?platform=tiktok"`) is read (decoded, `+` as a space) into the filters,
    /// ahead of `query`, so that a [checkpoint](crate::Paginator::checkpoint) keeps it too.
    ///
    /// A path a URL cannot carry as given (as [`request`](Self::request) says), a query
    /// parameter without a name, or an escape in the path's query that is not UTF-8 text
    /// (`%E9`) is refused by the first item, an
    /// [`Error::InvalidInput`](crate::Error::InvalidInput), before any request.
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// let client = creatoraudit::Client::from_env()?;
    /// for video in client.paginate::<serde_json::Value>("/account-videos", &[]) {
    ///     println!("{}", video?["id"]);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn paginate<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Paginator<T> {
        if let Err(e) = Call::check_raw_path(path) {
            return Paginator::refused(self.clone(), e);
        }
        let (path, in_path) = path.split_once('?').unwrap_or((path, ""));
        if !decodes_to_text(in_path) {
            // Read into the filters, it would be sent (and saved) as something else.
            return Paginator::refused(
                self.clone(),
                Error::InvalidInput(format!(
                    "path {path:?}: its query has an escape that is not UTF-8 text (such as \
                     `%E9`); query values are sent as UTF-8, so write é as `%C3%A9`"
                )),
            );
        }
        let mut pairs = parse_query(in_path);
        pairs.extend(query.iter().map(|&(k, v)| (k.to_owned(), v.to_owned())));
        let mut query = match Query::raw(&pairs) {
            Ok(query) => query,
            Err(e) => return Paginator::refused(self.clone(), e),
        };
        if query.get("limit").is_none() {
            query.opt("limit", Some(MAX_PAGE_SIZE));
        }
        Paginator::new(self.clone(), Call::raw_get(path).query(query))
    }

    /// Continues a [`paginate`](Self::paginate) walk (or any listing's walk) from a
    /// [`Checkpoint`](crate::Checkpoint): the same path and query, from the item after the
    /// last one yielded, with items read as `T`. See
    /// [`Paginator::checkpoint`](crate::Paginator::checkpoint).
    ///
    /// ```no_run
    /// # fn main() -> creatoraudit::Result<()> {
    /// let client = creatoraudit::Client::from_env()?;
    /// let mut walk = client.paginate::<serde_json::Value>("/account-videos", &[]);
    /// let _first = walk.next();
    /// let token = walk.checkpoint().to_string();
    /// for video in client.paginate_resume::<serde_json::Value>(&token.parse()?)? {
    ///     println!("{}", video?["id"]);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`](crate::Error::InvalidInput), before any request, for a
    /// checkpoint that is not of a `GET` listing (or of a format this version does not read).
    pub fn paginate_resume<T: DeserializeOwned>(
        &self,
        checkpoint: &crate::Checkpoint,
    ) -> Result<Paginator<T>> {
        Paginator::resume(self.clone(), None, checkpoint)
    }
}
