//! The endpoints, one file per handle with every call of that resource, its parameter and
//! body types and its models (a folder with `mod.rs`, `params.rs` and `models.rs` once a
//! resource outgrows one file, as `creators/` has).
//!
//! Every call goes the same way: describe it as a [`Call`](crate::call::Call) (endpoint
//! template, ids, query, body), send it with [`Client::send`](crate::Client::send), decode the
//! [`Reply`](crate::transport::Reply) with one of its decoders. No file here talks HTTP, and
//! none imports another file of this folder.
//!
//! # Naming and signatures
//!
//! - Handles are plural nouns (`Accounts`, `Creators`), from a method of [`Client`](crate::Client)
//!   named after the path (`client.accounts()`).
//! - Query parameters are taken **by value** (they are moved into the call or the paginator):
//!   listings take `List<Resource>` (`ListAccounts`), other queries `<Call>Params`
//!   (`TopCreatorsParams`, `SearchParams`), or a small `Copy` value (`Period`, `DateRange`).
//! - Request bodies are taken **by reference** (they are only serialized): creates take
//!   `New<Resource>`, updates `Update<Resource>`, batch calls `<Resource><Call>Request`
//!   (`VideoMetricsRequest`).
//! - Each takes its required fields in `new(..)` and the rest through setters named after the
//!   API's fields; ids are `&str`.
//! - A call that returns one document has a `*_with_meta` twin returning
//!   [`Response`](crate::Response); a `GET` of one document also has a `*_if_none_match`
//!   twin (the same arguments and an `etag`) returning [`Conditional`](crate::Conditional),
//!   and marks its [`Call`](crate::call::Call) `cacheable()` for the client's ETag cache.
//!   Both twins share the call's builder and decoder (`Reply::conditional_with`). Two kinds
//!   of call are exempt: the batch calls (their answer merges several requests', which have
//!   no one record: a failure names its chunk's), and `health` (a liveness probe, never
//!   conditional; it has `health_with_meta`).
//! - A listing `list(..)` has a `resume(&Checkpoint)` twin.

pub(crate) mod account_videos;
pub(crate) mod accounts;
pub(crate) mod creators;
pub(crate) mod meta;
pub(crate) mod overview;
pub(crate) mod search;
pub(crate) mod untyped;
pub(crate) mod videos;
