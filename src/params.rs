//! Request parameters written once: the query under construction ([`Query`]), the checks
//! every input goes through ([`non_blank`], the page-size rule), the parameters every listing
//! shares ([`ListCommon`] and its setters, [`list_setters!`]), and the analytics window ([`DateRange`], [`Window`]).
//!
//! One rule, one message: a check written here is the only place that rule is enforced.

use std::borrow::Cow;
use std::fmt::{self, Display};

use serde_json::{Map, Value};

use crate::types::{Date, OrderDirection, Period, Platform};
use crate::{Error, Result};

/// The largest page most listings accept, and the default page size of every walk.
pub(crate) const MAX_PAGE_SIZE: u32 = 200;

/// Refuses an empty (or all-blank) string; the message names the field.
///
/// # Errors
///
/// [`Error::InvalidInput`] `"{field}: must not be empty"`.
pub(crate) fn non_blank(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        Err(Error::InvalidInput(format!("{field}: must not be empty")))
    } else {
        Ok(())
    }
}

/// Refuses a string longer than `max` characters (Unicode scalar values, as the API counts
/// them, not bytes); the message names the field and the length.
///
/// # Errors
///
/// [`Error::InvalidInput`] `"{field}: must be at most {max} characters, got {n}"`.
pub(crate) fn at_most_chars(field: impl Display, value: &str, max: usize) -> Result<()> {
    let chars = value.chars().count();
    if chars > max {
        Err(Error::InvalidInput(format!(
            "{field}: must be at most {max} characters, got {chars}"
        )))
    } else {
        Ok(())
    }
}

/// Collects tags given in any map-like form (pairs, a `HashMap`, a `serde_json::Map`) into the
/// JSON object a body's `metadata` is.
pub(crate) fn collect_tags<K: Into<String>, V: Into<Value>>(
    tags: impl IntoIterator<Item = (K, V)>,
) -> Map<String, Value> {
    tags.into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect()
}

/// Checks a value the caller gives for a request header (an idempotency key, an ETag): the
/// header must carry it exactly as given, so it is refused when it is empty, starts or ends
/// with whitespace (HTTP would strip it), or has a character other than visible ASCII and
/// inner spaces (a line break, a control character, non-ASCII).
///
/// # Errors
///
/// [`Error::InvalidInput`] `"{field}: …"`, saying which rule it breaks.
pub(crate) fn header_text(field: &str, value: &str) -> Result<()> {
    let problem = if value.is_empty() {
        "must not be empty"
    } else if value.starts_with([' ', '\t']) || value.ends_with([' ', '\t']) {
        "must not start or end with whitespace (HTTP would strip it)"
    } else if !value.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
        "must be visible ASCII (letters, digits, punctuation, inner spaces): a header cannot \
         carry it as given"
    } else {
        return Ok(());
    };
    Err(Error::InvalidInput(format!("{field}: {problem}")))
}

/// Query parameters under construction, checked as they are added. The order of insertion
/// is the order on the wire. Names are the SDK's own (`'static`) for typed calls and the
/// caller's for the untyped ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Query(Vec<(Cow<'static, str>, String)>);

impl Query {
    pub(crate) fn new() -> Self {
        Query::default()
    }

    /// Adds `name=value` when `value` is set.
    pub(crate) fn opt(&mut self, name: &'static str, value: Option<impl Display>) -> &mut Self {
        if let Some(v) = value {
            self.0.push((Cow::Borrowed(name), v.to_string()));
        }
        self
    }

    /// Adds a string filter, refusing an empty one (it would filter on nothing, or on "").
    pub(crate) fn text(&mut self, name: &'static str, value: Option<&str>) -> Result<&mut Self> {
        if let Some(v) = value {
            non_blank(name, v)?;
        }
        Ok(self.opt(name, value))
    }

    /// Adds `limit` when set (the API's default applies otherwise), refusing anything outside
    /// `1..=max`.
    pub(crate) fn limit(&mut self, limit: Option<u32>, max: u32) -> Result<&mut Self> {
        if let Some(limit) = limit.filter(|l| !(1..=max).contains(l)) {
            return Err(Error::InvalidInput(format!(
                "limit: must be between 1 and {max}, got {limit}"
            )));
        }
        Ok(self.opt("limit", limit))
    }

    /// A query of given pairs, as they are (the untyped calls', a resumed walk's).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a pair without a name, which could not be sent as meant
    /// (`?=x`), nor resumed from a checkpoint.
    pub(crate) fn raw<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Result<Self> {
        if pairs.iter().any(|(k, _)| k.as_ref().is_empty()) {
            return Err(Error::InvalidInput("query: a parameter has no name".into()));
        }
        Ok(Query(
            pairs
                .iter()
                .map(|(k, v)| (Cow::Owned(k.as_ref().to_owned()), v.as_ref().to_owned()))
                .collect(),
        ))
    }

    /// Removes every `name` and returns the first value it had.
    pub(crate) fn take(&mut self, name: &str) -> Option<String> {
        let first = self.get(name).map(str::to_owned);
        self.0.retain(|(k, _)| k != name);
        first
    }

    /// Sets `name`, replacing any earlier value (the paginator's cursor).
    pub(crate) fn set(&mut self, name: &'static str, value: &str) {
        match self.0.iter_mut().find(|(k, _)| k == name) {
            Some((_, v)) => value.clone_into(v),
            None => self.0.push((Cow::Borrowed(name), value.to_owned())),
        }
    }

    /// The value of `name`, if set.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn pairs(&self) -> &[(Cow<'static, str>, String)] {
        &self.0
    }
}

/// The parameters the listings share: the filters several of them take (`account_id`,
/// `platform`, `q`), the `is_active` filter, the sort, `include_total` and the page size.
/// Each `List*` type embeds one and gets its setters from [`list_setters!`] (a filter's
/// setter only where the endpoint takes it), so the rules (and their messages) are written
/// once. `O` is the endpoint's sort key; a listing without a sort uses [`NoOrder`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListCommon<O> {
    pub(crate) account_id: Option<String>,
    pub(crate) platform: Option<Platform>,
    pub(crate) q: Option<String>,
    pub(crate) is_active: Option<bool>,
    pub(crate) order_by: Option<O>,
    pub(crate) order_direction: Option<OrderDirection>,
    pub(crate) include_total: Option<bool>,
    pub(crate) limit: Option<u32>,
}

impl<O> Default for ListCommon<O> {
    fn default() -> Self {
        ListCommon {
            account_id: None,
            platform: None,
            q: None,
            is_active: None,
            order_by: None,
            order_direction: None,
            include_total: None,
            limit: None,
        }
    }
}

impl<O: Display> ListCommon<O> {
    /// Adds the shared parameters (those set) after the endpoint's own filters, with `limit` defaulting
    /// to the largest page (the fewest requests).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a `limit` outside 1 to 200.
    pub(crate) fn write(&self, q: &mut Query) -> Result<()> {
        self.write_with_limit(q, self.limit.or(Some(MAX_PAGE_SIZE)))
    }

    /// As [`write`](Self::write), sending `limit` only when the caller set it: for a listing
    /// whose page sizes the docs do not give.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a `limit` outside 1 to 200.
    pub(crate) fn write_without_default_limit(&self, q: &mut Query) -> Result<()> {
        self.write_with_limit(q, self.limit)
    }

    fn write_with_limit(&self, q: &mut Query, limit: Option<u32>) -> Result<()> {
        q.text("account_id", self.account_id.as_deref())?
            .opt("platform", self.platform.as_ref())
            .text("q", self.q.as_deref())?
            .opt("is_active", self.is_active)
            .opt("order_by", self.order_by.as_ref())
            .opt("order_direction", self.order_direction)
            .opt("include_total", self.include_total)
            .limit(limit, MAX_PAGE_SIZE)?;
        Ok(())
    }
}

/// The sort key of a listing that has none (`GET /account-videos`): it cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoOrder {}

impl Display for NoOrder {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

/// The setters of [`ListCommon`] on a `List*` type with a `common` field: `is_active`,
/// `include_total`, `limit`; the shared filters the endpoint takes (`filters: [account_id,
/// platform, q]`, any of them); with a sort key (`order: Key`) also `order_by` and
/// `order_direction`. `$what` names the items in the docs ("videos"); `unset_limit` says what
/// an unset `limit` means when it is not the usual 200.
macro_rules! list_setters {
    (
        $list:ty, $what:literal $(, filters: [$($filter:ident),+])? $(, order: $order:ty)?
        $(, unset_limit: $unset:literal)?
    ) => {
        impl $list {
            $($( $crate::params::list_setters!(@filter $what, $filter); )+)?
            $crate::params::list_setters!(@limit $($unset)?);

            #[doc = concat!("Only active (`true`) or paused (`false`) ", $what, ".")]
            pub fn is_active(mut self, active: bool) -> Self {
                self.common.is_active = Some(active);
                self
            }

            /// Ask for `total_count` on every page (costs the server a COUNT query).
            pub fn include_total(mut self, include: bool) -> Self {
                self.common.include_total = Some(include);
                self
            }

        }

        $(
        impl $list {
            /// Sort by this key.
            pub fn order_by(mut self, key: $order) -> Self {
                self.common.order_by = Some(key);
                self
            }

            /// Sort in this direction. The API's docs give `desc` as the default, and the
            /// creators' name order as ascending; a listing's own default is not documented
            /// for every key, so set it when the order matters.
            pub fn order_direction(mut self, direction: $crate::OrderDirection) -> Self {
                self.common.order_direction = Some(direction);
                self
            }
        }
        )?
    };
    (@limit) => {
        $crate::params::list_setters!(@limit "unset, 200 (the most the API gives: the fewest requests)");
    };
    (@limit $unset:literal) => {
        #[doc = concat!("Items per page, 1 to 200; ", $unset, ". This is the page size, not a cap")]
        /// on the walk: for that, use [`Paginator::max_items`](crate::Paginator::max_items).
        pub fn limit(mut self, limit: u32) -> Self {
            self.common.limit = Some(limit);
            self
        }
    };
    (@filter $what:literal, account_id) => {
        #[doc = concat!("Only ", $what, " of this tracked account (its id).")]
        pub fn account_id(mut self, account_id: impl Into<String>) -> Self {
            self.common.account_id = Some(account_id.into());
            self
        }
    };
    (@filter $what:literal, platform) => {
        #[doc = concat!("Only ", $what, " on this platform.")]
        pub fn platform(mut self, platform: $crate::Platform) -> Self {
            self.common.platform = Some(platform);
            self
        }
    };
    (@filter $what:literal, q) => {
        #[doc = concat!("Only ", $what, " matching this text (case-insensitive).")]
        pub fn q(mut self, text: impl Into<String>) -> Self {
            self.common.q = Some(text.into());
            self
        }
    };
}
pub(crate) use list_setters;

/// The `idempotency_key` setter of a create body (`New*`) with an `idempotency_key:
/// Option<String>` field; [`Call::create`](crate::call::Call::create) checks and sends it.
macro_rules! idempotency_key_setter {
    ($new:ty) => {
        impl $new {
            /// The `Idempotency-Key` to send instead of a random one, e.g. to retry a create
            /// across runs of a script within the API's ten-minute window. Checked when the
            /// create is made: not empty, visible ASCII (inner spaces allowed), not padded, at
            /// most 1,024 characters.
            pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
                self.idempotency_key = Some(key.into());
                self
            }
        }
    };
}
pub(crate) use idempotency_key_setter;

/// An inclusive range of days (UTC) for the analytics calls, checked when it is built: its
/// start is never after its end.
///
/// ```
/// use creatoraudit::{Date, DateRange};
///
/// let june = DateRange::new(Date::new(2026, 6, 1)?, Date::new(2026, 6, 30)?)?;
/// assert_eq!(june.start().to_string(), "2026-06-01");
/// assert!(DateRange::new(Date::new(2026, 6, 2)?, Date::new(2026, 6, 1)?).is_err());
/// # Ok::<(), creatoraudit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange {
    start: Date,
    end: Date,
}

impl DateRange {
    /// The days from `start` to `end`, both included.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when `start` is after `end`.
    pub fn new(start: Date, end: Date) -> Result<Self> {
        if start > end {
            return Err(Error::InvalidInput(format!(
                "start_date, end_date: start_date {start} is after end_date {end}"
            )));
        }
        Ok(DateRange { start, end })
    }

    /// The first day, included.
    pub fn start(&self) -> Date {
        self.start
    }

    /// The last day, included.
    pub fn end(&self) -> Date {
        self.end
    }

    /// Adds `start_date` and `end_date` to a query.
    pub(crate) fn write_query(&self, q: &mut Query) {
        q.opt("start_date", Some(self.start))
            .opt("end_date", Some(self.end));
    }
}

/// The period of a batch metrics request: the API's default, a preset, or explicit dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) enum Window {
    /// Nothing sent: the API's default (`30d`).
    #[default]
    ApiDefault,
    Preset(Period),
    /// `period: "custom"` with both dates.
    Range(DateRange),
}

impl Window {
    /// Adds the window's members to a request body.
    pub(crate) fn write_body(self, body: &mut Map<String, Value>) {
        match self {
            Window::ApiDefault => {}
            Window::Preset(period) => {
                body.insert("period".into(), period.as_str().into());
            }
            Window::Range(range) => {
                body.insert("period".into(), "custom".into());
                body.insert("start_date".into(), range.start.to_string().into());
                body.insert("end_date".into(), range.end.to_string().into());
            }
        }
    }
}

/// The `period` and `date_range` setters of a batch request with a `window` field; with
/// `new(field): "doc"` also its constructor from any list of ids.
macro_rules! window_setters {
    ($request:ident, new($ids:ident): $doc:literal) => {
        impl $request {
            #[doc = $doc]
            pub fn new<I, S>($ids: I) -> Self
            where
                I: IntoIterator<Item = S>,
                S: Into<String>,
            {
                $request {
                    $ids: $ids.into_iter().map(Into::into).collect(),
                    window: $crate::params::Window::ApiDefault,
                }
            }
        }

        $crate::params::window_setters!($request);
    };
    ($request:ty) => {
        impl $request {
            /// Over a preset period (`7d`, `30d`, `90d`). Replaces an earlier
            /// [`date_range`](Self::date_range).
            pub fn period(mut self, period: $crate::Period) -> Self {
                self.window = $crate::params::Window::Preset(period);
                self
            }

            /// Over an inclusive range of days (UTC): sends `period: "custom"` with
            /// `start_date` and `end_date`. Replaces an earlier [`period`](Self::period).
            pub fn date_range(mut self, range: $crate::DateRange) -> Self {
                self.window = $crate::params::Window::Range(range);
                self
            }
        }
    };
}
pub(crate) use window_setters;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_blanks_are_refused_with_one_message_each() {
        let e = Query::new().limit(Some(0), 200).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid argument: limit: must be between 1 and 200, got 0"
        );
        assert!(Query::new().limit(Some(201), 200).is_err());
        assert_eq!(
            Query::new().limit(Some(200), 200).unwrap().get("limit"),
            Some("200")
        );
        let e = Query::new().text("q", Some("  ")).unwrap_err();
        assert_eq!(e.to_string(), "invalid argument: q: must not be empty");
    }

    #[test]
    fn lengths_count_characters_not_bytes_with_one_message() {
        assert!(at_most_chars("q", &"é".repeat(3), 3).is_ok());
        let e = at_most_chars(format_args!("metadata[{:?}]", "bio"), "abcd", 3).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid argument: metadata[\"bio\"]: must be at most 3 characters, got 4"
        );
    }

    #[test]
    fn set_replaces_a_value_in_place() {
        let mut q = Query::raw(&[("cursor", "a"), ("limit", "5")]).unwrap();
        q.set("cursor", "b");
        assert_eq!(q.get("cursor"), Some("b"));
        assert_eq!(q.pairs().len(), 2);
        q.set("x", "1");
        assert_eq!(q.pairs()[2].0, "x");
    }

    #[test]
    fn date_ranges_are_checked_once() {
        let d = |day| Date::new(2026, 6, day).unwrap();
        assert!(DateRange::new(d(1), d(1)).is_ok());
        let e = DateRange::new(d(2), d(1)).unwrap_err().to_string();
        assert!(
            e.contains("start_date 2026-06-02 is after end_date 2026-06-01"),
            "{e}"
        );
    }
}
