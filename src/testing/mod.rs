//! A test kit for code that uses this crate: stand-ins for the API that your tests, examples
//! and demo modes talk to over real HTTP, offline.
//!
//! - [`FakeApi`] (feature `fake`, which pulls in no crate): a **stateful** fake of the API
//!   with a seeded data set. Filters, pagination, creates, idempotency keys, problem
//!   documents, ETags and rate-limit headers behave as the API docs describe; faults can be
//!   injected for retry tests.
//! - [`MockApi`] (feature `testing`): a **scripted** [`mockito`] server whose helpers return
//!   not-yet-created mocks with the API's conventions filled in, for "this request gets
//!   exactly that answer" tests. A request no mock matched gets a `501` problem that names it.
//! - [`RecordedRequest`]: both record what they received, so a test can assert what your
//!   code sent without writing matchers.
//! - [`fixtures`]: realistic response bodies for every resource and for problem documents.
//!
//! Both hand out a [`Client`](crate::Client) whose retries never sleep.
//!
//! ```
//! # #[cfg(feature = "testing")]
//! # fn main() -> creatoraudit::Result<()> {
//! use creatoraudit::testing::{FakeApi, MockApi, fixtures};
//! use creatoraudit::{ErrorCode, ListAccounts, Platform};
//!
//! // A stateful fake: every TikTok account, across pages of 10.
//! let fake = FakeApi::start();
//! let tiktok = fake.client().accounts().list(ListAccounts::new().platform(Platform::TikTok).limit(10));
//! assert_eq!(tiktok.count(), 24);
//!
//! // A scripted mock: exactly this answer to exactly this request.
//! let mut api = MockApi::start();
//! api.mock_error("GET", "/accounts/gone", 404, ErrorCode::NotFound, "Account not found.").create();
//! assert!(api.client().accounts().get("gone").unwrap_err().is_not_found());
//! assert_eq!(api.requests()[0].path, "/v2/accounts/gone");
//! # Ok(()) }
//! # #[cfg(not(feature = "testing"))]
//! # fn main() {}
//! ```

// With `fake` alone, the links to the mockito half of the kit have nothing to point at.
#![cfg_attr(not(feature = "testing"), allow(rustdoc::broken_intra_doc_links))]

mod fake;
pub mod fixtures;
#[cfg(feature = "testing")]
mod mock;
mod record;

pub use fake::{FakeApi, FakeApiBuilder, Fault};
#[cfg(feature = "testing")]
pub use mock::{MockApi, MockSequence};
/// The [`mockito`](https://docs.rs/mockito) this kit is built on, so your tests use the same
/// version as [`MockApi::server`] without a dependency of their own.
#[cfg(feature = "testing")]
pub use mockito;
pub use record::RecordedRequest;

/// The API key [`MockApi::client`] and [`FakeApi::client`] send, and the one the fake
/// accepts by default.
pub const TEST_API_KEY: &str = "ca_test_0000000000000000";
