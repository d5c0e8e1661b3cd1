// The crate documentation is the README, so that both say the same and every example in it is
// compiled as a doc test.
#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Entry points for `fuzz/`: public only when built by cargo-fuzz (`--cfg fuzzing`), compiled
// (and so checked) always.
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod __fuzz;
#[cfg(not(fuzzing))]
#[allow(dead_code, unreachable_pub)]
mod __fuzz;
mod api_enum;
mod base64url;
mod batch;
mod builder;
mod call;
mod cancel;
mod checkpoint;
mod client;
mod curl;
mod de;
mod error;
mod etag_cache;
mod history;
mod log;
mod metrics;
mod network;
mod pacing;
mod page;
mod pagination;
mod params;
mod problem;
mod random;
mod resources;
mod response;
mod retry;
#[cfg(any(feature = "testing", feature = "fake"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "testing", feature = "fake"))))]
pub mod testing;
mod text;
mod transport;
mod types;
mod url;

pub use batch::BATCH_CHUNK_SIZE;
pub use builder::{API_KEY_ENV, BASE_URL_ENV, ClientBuilder};
pub use cancel::CancelToken;
pub use checkpoint::Checkpoint;
pub use client::Client;
pub use error::{DecodeError, Error, Result, TransportError, WaitTimeout};
pub use history::{Attempt, AttemptOutcome, Step, TransportErrorKind, Wait, WaitReason};
pub use metrics::{BatchMeta, MetricValues, MetricsBatch};
pub use network::TlsBackend;
pub use page::Page;
pub use pagination::{Pages, Paginator};
pub use params::DateRange;
pub use problem::{ErrorCode, FieldError, Problem};
pub use resources::account_videos::{
    AccountVideo, AccountVideoId, AccountVideoMetricsRequest, AccountVideos, ListAccountVideos,
};
pub use resources::accounts::{
    Account, AccountMetricsBatch, AccountMetricsRequest, AccountOrder, Accounts, ListAccounts,
    NewAccount,
};
pub use resources::creators::{
    AccountLink, AccountsSummary, Creator, CreatorAnalytics, CreatorOrder, Creators, ListCreators,
    NewCreator, TopCreator, TopCreatorsParams, UpdateCreator,
};
pub use resources::meta::{ApiMeta, Health, Whoami};
pub use resources::overview::{Overview, OverviewChanges, OverviewStats};
pub use resources::search::{
    EffectiveCaps, SearchAccount, SearchCreator, SearchMeta, SearchParams, SearchResults,
    SearchVideo,
};
pub use resources::videos::{
    Deltas, DeltasBatch, ListVideos, NewVideo, Video, VideoDeltasRequest, VideoMetricsRequest,
    VideoOrder, Videos,
};
pub use response::{Conditional, RateLimit, Response, ResponseMeta};
pub use types::{Date, OrderDirection, Period, Platform};
pub use url::DEFAULT_BASE_URL;
