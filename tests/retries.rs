//! Retry rules against a mock server: what is retried, how often, after how long, and that a
//! retried create carries the same idempotency key. No test sleeps: waits are recorded.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{data, problem, recording_client, server};
use creatoraudit::{Error, ErrorCode, NewAccount, NewVideo, Platform};
use mockito::Matcher;
use serde_json::json;

fn whoami_ok(s: &mut mockito::ServerGuard) -> mockito::Mock {
    s.mock("GET", "/v2/whoami")
        .with_body(data(json!({"organization_id": "o"})))
        .expect(1)
        .create()
}

#[test]
fn server_errors_are_retried_with_growing_jittered_backoff() {
    let mut s = server();
    let failing = s
        .mock("GET", "/v2/whoami")
        .with_status(500)
        .with_body(problem(
            500,
            "INTERNAL_ERROR",
            "Internal Server Error",
            "boom",
            "req_5",
        ))
        .expect(2)
        .create();
    let ok = whoami_ok(&mut s);
    let (client, waits) = recording_client(&s);
    let r = client.whoami_with_meta().unwrap();
    failing.assert();
    ok.assert();
    assert_eq!(r.meta.attempts, 3);
    let waits = waits.lock().unwrap().clone();
    assert_eq!(waits, r.meta.retry_delays);
    assert_eq!(waits.len(), 2);
    // 0.5 s then 1 s, each shortened by at most 25 % of jitter.
    assert!((375..=500).contains(&waits[0].as_millis()), "{waits:?}");
    assert!((750..=1000).contains(&waits[1].as_millis()), "{waits:?}");
}

#[test]
fn every_retryable_status_is_retried_and_gives_up_after_the_budget() {
    for status in [408, 429, 500, 502, 503, 504] {
        let mut s = server();
        let m = s
            .mock("GET", "/v2/whoami")
            .with_status(status)
            .expect(3)
            .create();
        let (client, waits) = recording_client(&s);
        let err = client.whoami().unwrap_err();
        m.assert();
        assert_eq!(err.status(), Some(status as u16));
        assert_eq!(err.attempts(), Some(3), "{status}");
        assert!(err.is_retryable());
        assert_eq!(waits.lock().unwrap().len(), 2, "{status}");
    }
}

#[test]
fn client_errors_are_not_retried() {
    for (status, code) in [
        (400, "BAD_REQUEST"),
        (404, "NOT_FOUND"),
        (409, "CONFLICT"),
        (422, "VALIDATION_ERROR"),
    ] {
        let mut s = server();
        let m = s
            .mock("GET", "/v2/whoami")
            .with_status(status)
            .with_body(problem(status as u16, code, "x", "y", "req"))
            .expect(1)
            .create();
        let (client, waits) = recording_client(&s);
        let err = client.whoami().unwrap_err();
        m.assert();
        assert_eq!(err.code().unwrap().as_str(), code);
        assert_eq!(err.attempts(), Some(1));
        assert!(!err.is_retryable());
        assert!(waits.lock().unwrap().is_empty());
    }
}

#[test]
fn retry_after_seconds_are_obeyed() {
    let mut s = server();
    let limited = s
        .mock("GET", "/v2/whoami")
        .with_status(429)
        .with_header("retry-after", "1")
        .with_body(problem(
            429,
            "RATE_LIMITED",
            "Too Many Requests",
            "Slow down.",
            "req_429",
        ))
        .expect(1)
        .create();
    let ok = whoami_ok(&mut s);
    let (client, waits) = recording_client(&s);
    client.whoami().unwrap();
    limited.assert();
    ok.assert();
    assert_eq!(*waits.lock().unwrap(), [Duration::from_secs(1)]);
}

#[test]
fn a_retry_after_past_the_cap_fails_fast_with_the_wait_on_the_error() {
    let mut s = server();
    let limited = s
        .mock("GET", "/v2/whoami")
        .with_status(429)
        .with_header("retry-after", "3600")
        .with_header("x-ratelimit-limit", "600")
        .with_header("x-ratelimit-remaining", "0")
        .with_header("x-ratelimit-reset", "1893456000")
        .with_body(problem(
            429,
            "RATE_LIMITED",
            "Too Many Requests",
            "Slow down.",
            "req_429",
        ))
        .expect(1)
        .create();
    let (client, waits) = recording_client(&s);
    let err = client.whoami().unwrap_err();
    limited.assert();
    assert!(waits.lock().unwrap().is_empty(), "no wait taken");
    assert!(err.is_rate_limited());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(err.attempts(), Some(1));
    let rl = err.problem().unwrap().rate_limit.unwrap();
    assert_eq!((rl.limit, rl.remaining), (600, 0));
    assert_eq!(
        client.rate_limit(),
        Some(rl),
        "errors update the snapshot too"
    );
}

#[test]
fn the_wait_cap_is_configurable() {
    let mut s = server();
    let limited = s
        .mock("GET", "/v2/whoami")
        .with_status(503)
        .with_header("retry-after", "120")
        .expect(1)
        .create();
    let ok = whoami_ok(&mut s);
    let waits = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&waits);
    let client = common::builder(&s)
        .max_retry_wait(Duration::from_secs(300))
        .retry_sleeper(move |d| seen.lock().unwrap().push(d))
        .build()
        .unwrap();
    client.whoami().unwrap();
    limited.assert();
    ok.assert();
    assert_eq!(*waits.lock().unwrap(), [Duration::from_secs(120)]);
}

#[test]
fn a_wait_past_the_deadline_is_not_taken() {
    let mut s = server();
    let limited = s
        .mock("GET", "/v2/whoami")
        .with_status(503)
        .with_header("retry-after", "30")
        .expect(1)
        .create();
    let client = common::builder(&s)
        .deadline(Duration::from_secs(10))
        .build()
        .unwrap();
    let err = client.whoami().unwrap_err();
    limited.assert();
    assert_eq!(err.code(), Some(&ErrorCode::ServiceUnavailable));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
}

#[test]
fn max_retries_zero_turns_retries_off() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/whoami")
        .with_status(503)
        .expect(1)
        .create();
    let client = common::builder(&s).max_retries(0).build().unwrap();
    assert_eq!(client.whoami().unwrap_err().attempts(), Some(1));
    m.assert();
}

/// Records the `Idempotency-Key` of every request the mock sees.
fn key_recorder() -> (Arc<Mutex<Vec<String>>>, impl Fn(&mockito::Request) -> bool) {
    let keys = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&keys);
    let matcher = move |req: &mockito::Request| {
        let key = req
            .header("idempotency-key")
            .first()
            .map(|v| v.to_str().unwrap_or_default().to_owned())
            .unwrap_or_default();
        seen.lock().unwrap().push(key);
        true
    };
    (keys, matcher)
}

#[test]
fn a_create_is_retried_with_the_same_idempotency_key() {
    let mut s = server();
    let (keys, record) = key_recorder();
    let unavailable = s
        .mock("POST", "/v2/accounts")
        .match_request(record)
        .with_status(503)
        .expect(1)
        .create();
    let created = s
        .mock("POST", "/v2/accounts")
        .with_status(201)
        .with_body(data(common::account_json("a1", "khaby.lame")))
        .expect(1)
        .create();
    let (client, _) = recording_client(&s);
    let r = client
        .accounts()
        .create_with_meta(&NewAccount::new(Platform::TikTok, "khaby.lame"))
        .unwrap();
    unavailable.assert();
    created.assert();
    // The recorder sees every request offered to the first mock, matched or not.
    let keys = keys.lock().unwrap().clone();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert_eq!(keys[0], keys[1], "the retry reuses the key");
    assert_eq!(r.meta.idempotency_key.as_deref(), Some(keys[0].as_str()));
    assert_eq!(r.meta.attempts, 2);
}

#[test]
fn two_creates_get_different_keys_and_a_chosen_key_is_kept_on_the_error() {
    let mut s = server();
    let (keys, record) = key_recorder();
    let m = s
        .mock("POST", "/v2/videos")
        .match_request(record)
        .with_status(503)
        .expect(6)
        .create();
    let (client, _) = recording_client(&s);
    let video = NewVideo::new(Platform::TikTok, "7301234567890123456");
    let e1 = client.videos().create(&video).unwrap_err();
    let e2 = client
        .videos()
        .create(&video.clone().idempotency_key("run-42"))
        .unwrap_err();
    m.assert();
    let keys = keys.lock().unwrap().clone();
    assert_eq!(keys.len(), 6);
    assert!(keys[..3].iter().all(|k| *k == keys[0]));
    assert!(keys[3..].iter().all(|k| k == "run-42"));
    assert_ne!(keys[0], "run-42");
    assert_eq!(e1.idempotency_key(), Some(keys[0].as_str()));
    assert_eq!(e2.idempotency_key(), Some("run-42"));
    assert_eq!(e2.attempts(), Some(3));
}

#[test]
fn a_post_without_an_idempotency_key_is_not_retried() {
    let mut s = server();
    let m = s
        .mock("POST", "/v2/creators")
        .match_header("idempotency-key", Matcher::Missing)
        .with_status(503)
        .expect(1)
        .create();
    let (client, waits) = recording_client(&s);
    let err = client
        .request::<serde_json::Value>("POST", "/creators", &[], Some(&json!({"name": "x"})))
        .unwrap_err();
    m.assert();
    assert_eq!(err.attempts(), Some(1));
    assert!(waits.lock().unwrap().is_empty());
}

#[test]
fn a_put_and_a_delete_are_retried_as_idempotent() {
    let mut s = server();
    let put = s
        .mock("PUT", "/v2/things/1")
        .with_status(502)
        .expect(3)
        .create();
    let del = s
        .mock("DELETE", "/v2/things/1")
        .with_status(504)
        .expect(3)
        .create();
    let (client, _) = recording_client(&s);
    assert_eq!(
        client
            .request::<serde_json::Value>("PUT", "/things/1", &[], None)
            .unwrap_err()
            .attempts(),
        Some(3)
    );
    assert_eq!(
        client
            .request::<serde_json::Value>("DELETE", "/things/1", &[], None)
            .unwrap_err()
            .attempts(),
        Some(3)
    );
    put.assert();
    del.assert();
}

#[test]
fn a_429_without_retry_after_waits_for_the_window_when_it_is_used_up() {
    let reset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 5;
    let mut s = server();
    let limited = s
        .mock("GET", "/v2/whoami")
        .with_status(429)
        .with_header("x-ratelimit-limit", "600")
        .with_header("x-ratelimit-remaining", "0")
        .with_header("x-ratelimit-reset", &reset.to_string())
        .expect(1)
        .create();
    let ok = whoami_ok(&mut s);
    let (client, waits) = recording_client(&s);
    client.whoami().unwrap();
    limited.assert();
    ok.assert();
    let waited = waits.lock().unwrap()[0];
    assert!(
        waited > Duration::from_secs(3) && waited <= Duration::from_secs(5),
        "{waited:?}"
    );
}

#[test]
fn errors_say_how_to_branch() {
    let mut s = server();
    s.mock("GET", "/v2/whoami")
        .with_status(503)
        .with_header("retry-after", "600")
        .create();
    let (client, _) = recording_client(&s);
    let err = client.whoami().unwrap_err();
    assert!(matches!(err, Error::Api(_)));
    assert!(err.is_retryable(), "worth trying again later");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(600)));
}
