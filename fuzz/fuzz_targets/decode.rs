//! Fuzzes how creatoraudit reads responses: problem documents (any error status),
//! single-resource envelopes (`{"data": T}`), list pages, `Retry-After` values and rate-limit
//! snapshots; and what it takes from its users: checkpoint tokens, base URLs, `NO_PROXY`
//! lists, ids, idempotency keys and dates. Nothing may panic, whatever the bytes.
//!
//! The first input byte picks the decoder (and, for problems, the HTTP status); the rest is
//! the body. From the crate root:
//!
//! ```text
//! cargo +nightly fuzz run decode -- -dict=fuzz/decode.dict -max_total_time=300
//! ```
//!
//! Every path is the SDK's own, reached through its hidden `__fuzz` entry points.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use creatoraudit::__fuzz;
use creatoraudit::{Account, ApiMeta, Checkpoint, Date, Error, Overview, RateLimit, Video, Whoami};
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The statuses a problem is read under: documented ones, retryable ones, and odd ones.
const STATUSES: [u16; 16] = [
    400, 401, 403, 404, 406, 408, 409, 415, 422, 429, 500, 502, 503, 504, 418, 599,
];

fn problem(status: u16, body: &[u8]) {
    let problem = __fuzz::problem(status, body, Some("req_header"));
    assert_eq!(problem.status, status);
    assert!(
        problem.request_id.is_some(),
        "the header's id is the fallback"
    );
    if !matches!(serde_json::from_slice::<Value>(body), Ok(Value::Object(_))) {
        // Not a problem document: a bounded, single-line snippet of the body.
        assert!(
            problem.detail.chars().count() <= 257,
            "{:?}",
            problem.detail
        );
        assert!(!problem.detail.contains('\n'));
        assert_eq!(problem.type_uri, "about:blank");
    }
    let err = Error::from(problem);
    let shown = err.to_string();
    assert!(shown.starts_with(&format!("[{status} ")));
    // Whatever the server wrote, the message is one printable, bounded line.
    assert!(!shown.chars().any(char::is_control), "{shown:?}");
    assert!(shown.chars().count() < 10_000, "{}", shown.chars().count());
    let _ = (
        err.is_retryable(),
        err.is_rate_limited(),
        err.is_not_found(),
        err.retry_after(),
        err.code().map(|c| c.as_str().len()),
        err.request_id(),
        format!("{err:?}"),
    );
}

fn envelope<T: DeserializeOwned + std::fmt::Debug>(body: &[u8]) {
    match __fuzz::envelope::<T>(200, body) {
        Ok(value) => drop(format!("{value:?}")),
        Err(e) => assert!(matches!(e, Error::Decode(_)), "{e:?}"),
    }
}

fn page<T: DeserializeOwned + std::fmt::Debug>(body: &[u8]) {
    match __fuzz::page::<T>(200, body) {
        Ok(page) => drop(format!("{:?}", page.items)),
        Err(e) => assert!(matches!(e, Error::Decode(_)), "{e:?}"),
    }
}

/// `Retry-After` from the body's text, and a rate-limit snapshot from its first 24 bytes.
fn headers(body: &[u8]) {
    let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    if let Some(wait) = std::str::from_utf8(body)
        .ok()
        .and_then(|text| __fuzz::retry_after(text, now))
    {
        let _ = wait.as_secs_f64();
    }
    if let Some(bytes) = body.get(..24) {
        let word = |i: usize| u64::from_le_bytes(bytes[i * 8..i * 8 + 8].try_into().unwrap());
        let rl = RateLimit {
            limit: word(0),
            remaining: word(1),
            reset: word(2),
        };
        let _ = (rl.reset_at(), rl.resets_in(), rl.is_exhausted());
        let _ = rl.reset_at().duration_since(UNIX_EPOCH);
    }
}

/// A checkpoint token from the body's text, as is and behind the `ca1.` prefix, and the body
/// as a checkpoint's JSON: an `InvalidInput` error, or a checkpoint whose token reads back
/// as itself.
fn checkpoint(body: &[u8]) {
    let text = String::from_utf8_lossy(body);
    for token in [text.to_string(), format!("ca1.{text}")] {
        match token.parse::<Checkpoint>() {
            Ok(cp) => assert_eq!(cp.to_string().parse::<Checkpoint>().ok(), Some(cp)),
            Err(e) => assert!(matches!(e, Error::InvalidInput(_)), "{e:?}"),
        }
    }
    if let Ok(cp) = serde_json::from_slice::<Checkpoint>(body) {
        let _ = cp.to_string().parse::<Checkpoint>();
    }
}

/// What a user types into the client: a base URL, a `NO_PROXY` list, an id, an idempotency
/// key, a date. Refusals are errors, never panics, and never repeat credentials.
fn user_input(body: &[u8]) {
    let text = String::from_utf8_lossy(body);
    match __fuzz::base_url(&text) {
        Ok(url) => {
            let rest = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"))
                .expect("an http(s) URL");
            // No credentials in the authority, no query or fragment (an `@` in the path is
            // a path's).
            let authority = rest.split('/').next().unwrap_or_default();
            assert!(
                !authority.contains('@') && !url.contains(['?', '#']),
                "{url}"
            );
        }
        Err(e) => {
            let shown = e.to_string();
            assert!(matches!(e, Error::Config(_)), "{e:?}");
            assert!(!shown.contains('@'), "credentials echoed: {shown}");
        }
    }
    let (list, host) = text
        .split_once('\n')
        .unwrap_or((&text, "api.creatoraudit.com"));
    let _ = __fuzz::no_proxy(list, host);
    match __fuzz::account_path(&text) {
        // One segment after `accounts/`, never a step out of it.
        Ok(path) => {
            let id = path.strip_prefix("accounts/").expect("the template's path");
            assert!(!id.contains('/') && id != "." && id != "..", "{path}");
        }
        Err(e) => assert!(matches!(e, Error::InvalidInput(_)), "{e:?}"),
    }
    if __fuzz::header_value(&text) {
        assert!(
            text.bytes().all(|b| b == b' ' || b.is_ascii_graphic()),
            "{text:?}"
        );
    }
    if let Ok(date) = text.parse::<Date>() {
        assert_eq!(date.to_string().parse::<Date>().ok(), Some(date));
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&selector, body)) = input.split_first() else {
        return;
    };
    match selector >> 4 {
        0..=4 => problem(STATUSES[usize::from(selector & 15)], body),
        5 => {
            headers(body);
            checkpoint(body);
        }
        6 | 7 => envelope::<Account>(body),
        8 => envelope::<Video>(body),
        9 => envelope::<Whoami>(body),
        10 => {
            envelope::<Overview>(body);
            envelope::<ApiMeta>(body);
        }
        11 | 12 => page::<Account>(body),
        13 => page::<Video>(body),
        14 => user_input(body),
        _ => page::<Value>(body),
    }
});
