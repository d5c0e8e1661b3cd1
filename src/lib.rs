//! A blocking client for the [CreatorAudit](https://creatoraudit.com) v2 REST API: Instagram
//! and TikTok creators, accounts and videos, and their engagement analytics.
//!
//! Built on [`ureq`](https://docs.rs/ureq) 3, with no async runtime: for scripts, build
//! scripts, small CLIs and sync tools.
//!
//! * every documented endpoint has a typed method, and [`Client::request`] and
//!   [`Client::paginate`] reach anything else;
//! * listings are plain [`Iterator`]s that fetch one page at a time ([`Paginator`]);
//! * API errors are typed RFC 9457 problems with a stable [`ErrorCode`] and the request id
//!   ([`Problem`]);
//! * failed calls are retried when that is safe: creates carry an idempotency key.
//!
//! # Quick start
//!
//! ```no_run
//! use creatoraudit::{Client, ListAccounts, NewAccount, Period, Platform};
//!
//! fn main() -> creatoraudit::Result<()> {
//!     // Reads CREATORAUDIT_API_KEY (and CREATORAUDIT_BASE_URL, if set).
//!     let client = Client::from_env()?;
//!
//!     let me = client.whoami()?;
//!     println!("organization {}", me.organization_id);
//!
//!     // Every TikTok account, across as many pages as it takes.
//!     for account in client.accounts().list(ListAccounts::new().platform(Platform::TikTok)) {
//!         let account = account?;
//!         println!("{} {:?}", account.username, account.follower_count);
//!     }
//!
//!     let account = client
//!         .accounts()
//!         .create(&NewAccount::new(Platform::TikTok, "khaby.lame").category("comedy"))?;
//!     println!("now tracking {}", account.id);
//!
//!     let overview = client.overview(Period::Last30Days)?;
//!     println!("views over 30 days: {:?}", overview.current.total_views);
//!     Ok(())
//! }
//! ```
//!
//! # Errors
//!
//! Every fallible call returns [`Result`]. An answer from the API with an error status is
//! [`Error::Api`], holding the [`Problem`]; branch on its [`code`](Problem::code):
//!
//! ```no_run
//! # fn main() -> creatoraudit::Result<()> {
//! use creatoraudit::{Error, ErrorCode, NewAccount, Platform};
//!
//! let client = creatoraudit::Client::from_env()?;
//! match client.accounts().create(&NewAccount::new(Platform::TikTok, "")) {
//!     Err(Error::Api(p)) if p.code == ErrorCode::ValidationError => {
//!         for e in &p.errors {
//!             eprintln!("{}: {}", e.field, e.message);
//!         }
//!     }
//!     Err(Error::InvalidInput(why)) => eprintln!("not sent: {why}"),
//!     Err(e) => return Err(e),
//!     Ok(account) => println!("{}", account.id),
//! }
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod builder;
mod client;
mod error;
mod network;
mod pagination;
mod problem;
mod random;
mod resources;
mod response;
mod retry;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;
mod transport;
mod types;
mod url;

pub use builder::{API_KEY_ENV, BASE_URL_ENV, ClientBuilder, DEFAULT_BASE_URL};
pub use client::Client;
pub use error::{DecodeError, Error, Result, TransportError, TransportErrorKind};
pub use network::TlsBackend;
pub use pagination::{Page, Pages, Paginator};
pub use problem::{ErrorCode, FieldError, Problem};
pub use resources::accounts::{Account, AccountOrder, Accounts, ListAccounts, NewAccount};
pub use resources::meta::{ApiMeta, Health, Whoami};
pub use resources::overview::{Overview, OverviewChanges, OverviewStats};
pub use resources::videos::{ListVideos, NewVideo, Video, VideoOrder, Videos};
pub use response::{Conditional, RateLimit, Response, ResponseMeta};
pub use types::{Date, OrderDirection, Period, Platform};

/// The README's examples, compiled as doc tests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
