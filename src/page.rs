//! [`Page`]: one page of a listing, as [`Paginator::pages`](crate::Paginator::pages) yields it.

use serde_json::{Map, Value};

use crate::response::ResponseMeta;

/// One page of a listing.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The cursor of the next page (`None` on the last one). Opaque: pass it back as is.
    pub next_cursor: Option<String>,
    /// Whether another page follows.
    pub has_next: bool,
    /// The page size the server applied.
    pub limit: u32,
    /// How many items the whole listing has, when `include_total` was asked for.
    pub total_count: Option<u64>,
    /// The filters and sort the server applied, as it echoed them.
    pub filters: Map<String, Value>,
    /// The metadata of the request that fetched this page.
    pub meta: ResponseMeta,
}
