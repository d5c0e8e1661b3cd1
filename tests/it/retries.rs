//! Retries: which failures and which methods are retried, how long the client waits
//! (back-off, `Retry-After` in seconds and as an HTTP-date, the caps), and that a retried
//! create carries the same idempotency key. Cases a mock server can make use mockito; resets
//! before the response and HTTP-dates use the scripted raw server. No test sleeps: waits are
//! recorded.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use creatoraudit::testing::fixtures;
use creatoraudit::{
    AccountMetricsRequest, AccountVideoMetricsRequest, Error, ErrorCode, NewAccount, NewCreator,
    NewVideo, Platform, TransportErrorKind, UpdateCreator, VideoDeltasRequest, VideoMetricsRequest,
};
use mockito::Matcher;
use serde_json::{Value, json};

use crate::support::raw_server::{Conn, RawServer, header_value, response, whoami_ok};
use crate::support::time::{http_date, unix_now};
use crate::support::{
    PROBLEM_JSON, builder, client, data, problem, recording, recording_client, server,
    transport_kind,
};

fn mock_whoami_ok(s: &mut mockito::ServerGuard) -> mockito::Mock {
    s.mock("GET", "/v2/whoami")
        .with_body(data(json!({"organization_id": "o"})))
        .expect(1)
        .create()
}

// ---------------------------------------------------------------------------------------------
// Which failures are retried

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
            .with_body(problem(status as u16, code, "y", "req"))
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
fn max_retries_zero_turns_retries_off() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/whoami")
        .with_status(503)
        .expect(1)
        .create();
    let client = builder(&s).max_retries(0).build().unwrap();
    assert_eq!(client.whoami().unwrap_err().attempts(), Some(1));
    m.assert();
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

// ---------------------------------------------------------------------------------------------
// Which methods are retried

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
fn a_reset_patch_or_unkeyed_post_is_not_retried() {
    for method in ["PATCH", "POST"] {
        let server = RawServer::scripted(vec![Conn::Reset, whoami_ok(), whoami_ok()]);
        let (builder, waits) = server.builder();
        let result = builder.build().unwrap().request::<Value>(
            method,
            "/creators/cr_1",
            &[],
            Some(&json!({"name": "x"})),
        );
        let seen = server.finish();

        let kind = transport_kind(&result);
        assert_eq!(kind, TransportErrorKind::ConnectionReset, "{method}");
        let err = result.unwrap_err();
        assert_eq!(err.attempts(), Some(1), "{method}");
        assert_eq!(err.idempotency_key(), None, "{method}");
        assert_eq!(seen.connections, 1, "{method} must not be sent twice");
        assert!(waits.lock().unwrap().is_empty(), "{method}");
        assert!(
            seen.requests[0].starts_with(&format!("{method} /v2/creators/cr_1 ")),
            "{:?}",
            seen.requests[0]
        );
        assert_eq!(header_value(&seen.requests[0], "idempotency-key"), None);
    }
}

#[test]
fn a_failed_patch_is_not_retried() {
    let mut s = server();
    let m = s
        .mock("PATCH", "/v2/creators/c1")
        .with_status(503)
        .expect(1)
        .create();
    let err = client(&s)
        .creators()
        .update("c1", &UpdateCreator::new().name("x"))
        .unwrap_err();
    m.assert();
    assert_eq!(err.status(), Some(503));
}

#[test]
fn batch_posts_are_retried_because_they_are_read_only() {
    type Call = fn(&creatoraudit::Client) -> creatoraudit::Result<()>;
    let calls: [(&str, Call); 4] = [
        ("/v2/videos/metrics", |c| {
            c.videos()
                .metrics(&VideoMetricsRequest::new(["v"]))
                .map(drop)
        }),
        ("/v2/videos/deltas", |c| {
            c.videos().deltas(&VideoDeltasRequest::new(["v"])).map(drop)
        }),
        ("/v2/accounts/metrics", |c| {
            c.accounts()
                .metrics(&AccountMetricsRequest::new(["a"]))
                .map(drop)
        }),
        ("/v2/account-videos/metrics", |c| {
            c.account_videos()
                .metrics(&AccountVideoMetricsRequest::new().tiktok_video_ids([7]))
                .map(drop)
        }),
    ];
    for (path, call) in calls {
        let mut s = server();
        let unavailable = s
            .mock("POST", path)
            .match_header("idempotency-key", Matcher::Missing)
            .with_status(503)
            .with_header("content-type", PROBLEM_JSON)
            .with_body(problem(503, "SERVICE_UNAVAILABLE", "try again", "req_503"))
            .expect(1)
            .create();
        let ok = s
            .mock("POST", path)
            .with_body(json!({"data": {}, "meta": {"not_found": []}}).to_string())
            .expect(1)
            .create();
        call(&client(&s)).unwrap_or_else(|e| panic!("{path}: {e}"));
        unavailable.assert();
        ok.assert();
    }
}

// ---------------------------------------------------------------------------------------------
// Idempotency keys: one per call, the same on every attempt

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
        .with_body(data(fixtures::account("a1", "khaby.lame")))
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
fn a_retried_creator_create_keeps_its_chosen_key() {
    let mut s = server();
    let failing = s
        .mock("POST", "/v2/creators")
        .match_header("idempotency-key", "k-1")
        .with_status(503)
        .expect(1)
        .create();
    let ok = s
        .mock("POST", "/v2/creators")
        .match_header("idempotency-key", "k-1")
        .with_status(201)
        .with_body(data(fixtures::creator("c1", "Ada")))
        .expect(1)
        .create();
    let r = client(&s)
        .creators()
        .create_with_meta(&NewCreator::new("Ada").idempotency_key("k-1"))
        .unwrap();
    failing.assert();
    ok.assert();
    assert_eq!(r.meta.attempts, 2);
}

#[test]
fn a_create_reset_on_its_first_attempt_is_retried_with_the_same_idempotency_key() {
    let created = Conn::Reply(response(
        201,
        &[("X-Request-ID", "req_created")],
        &data(fixtures::account("acc_1", "x")),
    ));
    let server = RawServer::scripted(vec![Conn::Reset, created]);
    let account = server
        .client()
        .accounts()
        .create_with_meta(&NewAccount::new(Platform::TikTok, "x"))
        .unwrap();
    let seen = server.finish();

    assert_eq!(account.value.id, "acc_1");
    assert_eq!(account.meta.attempts, 2);
    assert_eq!(seen.connections, 2);
    let keys = seen.header("idempotency-key");
    assert_eq!(keys.len(), 2, "{:?}", seen.requests);
    assert_eq!(keys[0], keys[1], "one key for every attempt of a call");
    assert_eq!(keys[0].len(), 36, "UUID-shaped: {:?}", keys[0]);
    assert_eq!(
        account.meta.idempotency_key.as_deref(),
        Some(keys[0].as_str())
    );
    for request in &seen.requests {
        assert!(
            request.starts_with("POST /v2/accounts HTTP/1.1\r\n"),
            "{request:?}"
        );
        let body = request.split("\r\n\r\n").nth(1).unwrap();
        let body: Value = serde_json::from_str(body).unwrap();
        assert_eq!(body, json!({"platform": "tiktok", "username": "x"}));
    }
}

#[test]
fn a_create_that_keeps_failing_reports_its_key_and_sent_it_every_time() {
    let server = RawServer::scripted(vec![Conn::Reset, Conn::Reset, Conn::Reset]);
    let err = server
        .client()
        .accounts()
        .create(&NewAccount::new(Platform::TikTok, "x").idempotency_key("my-key-1"))
        .unwrap_err();
    let seen = server.finish();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(err.idempotency_key(), Some("my-key-1"));
    assert_eq!(err.attempts(), Some(3));
    assert_eq!(seen.header("idempotency-key"), ["my-key-1"; 3]);
}

// ---------------------------------------------------------------------------------------------
// How long: back-off, Retry-After (seconds and HTTP-date), the caps

#[test]
fn server_errors_are_retried_with_growing_jittered_backoff() {
    let mut s = server();
    let failing = s
        .mock("GET", "/v2/whoami")
        .with_status(500)
        .with_body(problem(500, "INTERNAL_ERROR", "boom", "req_5"))
        .expect(2)
        .create();
    let ok = mock_whoami_ok(&mut s);
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
fn retry_after_seconds_are_obeyed() {
    let mut s = server();
    let limited = s
        .mock("GET", "/v2/whoami")
        .with_status(429)
        .with_header("retry-after", "1")
        .with_body(problem(429, "RATE_LIMITED", "Slow down.", "req_429"))
        .expect(1)
        .create();
    let ok = mock_whoami_ok(&mut s);
    let (client, waits) = recording_client(&s);
    client.whoami().unwrap();
    limited.assert();
    ok.assert();
    assert_eq!(*waits.lock().unwrap(), [Duration::from_secs(1)]);
}

fn unavailable_until(date: &str) -> Conn {
    Conn::Reply(response(
        503,
        &[("Retry-After", date)],
        r#"{"type":"about:blank","title":"Service Unavailable","status":503,"code":"SERVICE_UNAVAILABLE"}"#,
    ))
}

#[test]
fn retry_after_as_an_http_date_is_waited_for() {
    let server = RawServer::scripted(vec![
        unavailable_until(&http_date(unix_now() + 6)),
        whoami_ok(),
    ]);
    let (builder, waits) = server.builder();
    let me = builder.build().unwrap().whoami_with_meta().unwrap();
    let seen = server.finish();

    assert_eq!(me.value.organization_id, "org_1");
    assert_eq!(me.meta.attempts, 2);
    assert_eq!(seen.connections, 2);
    let waits = waits.lock().unwrap().clone();
    assert_eq!(waits, me.meta.retry_delays);
    assert_eq!(waits.len(), 1);
    // The date has one-second resolution and was made a moment before it was read (with a
    // second and more to spare for a slow machine).
    assert!(
        (Duration::from_millis(3500)..=Duration::from_secs(6)).contains(&waits[0]),
        "{waits:?}"
    );
}

#[test]
fn retry_after_as_a_past_http_date_retries_at_once() {
    let server = RawServer::scripted(vec![
        unavailable_until("Sun, 06 Nov 1994 08:49:37 GMT"),
        whoami_ok(),
    ]);
    let (builder, waits) = server.builder();
    let me = builder.build().unwrap().whoami_with_meta().unwrap();
    drop(server.finish());
    assert_eq!(me.meta.attempts, 2);
    assert_eq!(*waits.lock().unwrap(), [Duration::ZERO]);
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
        .with_body(problem(429, "RATE_LIMITED", "Slow down.", "req_429"))
        .expect(1)
        .create();
    let (client, waits) = recording_client(&s);
    let err = client.whoami().unwrap_err();
    limited.assert();
    assert!(waits.lock().unwrap().is_empty(), "no wait taken");
    assert!(err.is_rate_limited());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(err.attempts(), Some(1));
    let rl = err.problem().unwrap().meta.rate_limit.unwrap();
    assert_eq!((rl.limit, rl.remaining), (600, 0));
    assert_eq!(
        client.rate_limit(),
        Some(rl),
        "errors update the snapshot too"
    );
}

#[test]
fn retry_after_as_a_date_past_the_cap_fails_fast_with_the_wait() {
    let server = RawServer::scripted(vec![
        unavailable_until(&http_date(unix_now() + 3600)),
        whoami_ok(),
    ]);
    let (builder, waits) = server.builder();
    let err = builder.build().unwrap().whoami().unwrap_err();
    let seen = server.finish();
    assert_eq!(err.status(), Some(503));
    let wait = err.retry_after().expect("retry_after on the error");
    assert!(
        wait > Duration::from_secs(3500) && wait <= Duration::from_secs(3600),
        "{wait:?}"
    );
    assert_eq!(seen.connections, 1);
    assert!(waits.lock().unwrap().is_empty());
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
    let ok = mock_whoami_ok(&mut s);
    let (builder, waits) = recording(builder(&s).max_retry_wait(Duration::from_secs(300)));
    let client = builder.build().unwrap();
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
    let (b, waits) = recording(builder(&s).deadline(Duration::from_secs(10)));
    let err = b.build().unwrap().whoami().unwrap_err();
    limited.assert();
    assert_eq!(err.code(), Some(&ErrorCode::ServiceUnavailable));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    assert_eq!(err.attempts(), Some(1));
    assert!(waits.lock().unwrap().is_empty(), "no wait was taken");
}

#[test]
fn a_429_without_retry_after_waits_for_the_window_when_it_is_used_up() {
    let reset = unix_now() + 5;
    let mut s = server();
    let limited = s
        .mock("GET", "/v2/whoami")
        .with_status(429)
        .with_header("x-ratelimit-limit", "600")
        .with_header("x-ratelimit-remaining", "0")
        .with_header("x-ratelimit-reset", &reset.to_string())
        .expect(1)
        .create();
    let ok = mock_whoami_ok(&mut s);
    let (client, waits) = recording_client(&s);
    let reset_at = UNIX_EPOCH + Duration::from_secs(reset);
    let before = SystemTime::now();
    client.whoami().unwrap();
    let after = SystemTime::now();
    limited.assert();
    ok.assert();
    // One wait (the pacer does not wait for the same reset again), until the advertised
    // second and 100 ms past it (the header has whole seconds: a retry at the second itself
    // may still meet the old window).
    let waits = waits.lock().unwrap().clone();
    assert_eq!(waits.len(), 1, "{waits:?}");
    let waited = waits[0];
    let margin = Duration::from_millis(100);
    let least = reset_at.duration_since(after).unwrap() + margin;
    let most = reset_at.duration_since(before).unwrap() + margin;
    assert!(
        waited >= least && waited <= most,
        "{waited:?} not in {least:?}..={most:?}"
    );
}

/// `POST /accounts` answering `409 CONFLICT` once (after the mocks created before it).
fn account_conflict(s: &mut mockito::ServerGuard) -> mockito::Mock {
    s.mock("POST", "/v2/accounts")
        .with_status(409)
        .with_header("content-type", PROBLEM_JSON)
        .with_body(problem(
            409,
            "CONFLICT",
            "Account already tracked.",
            "req_409",
        ))
        .expect(1)
        .create()
}

#[test]
fn a_retried_create_ending_in_409_says_an_earlier_attempt_may_have_landed() {
    // The first attempt was processed but its answer lost (a 503 from a proxy); the API's
    // best-effort deduplication missed the retry, which conflicts with the first attempt.
    let mut s = server();
    let lost = s
        .mock("POST", "/v2/accounts")
        .with_status(503)
        .expect(1)
        .create();
    let conflict = account_conflict(&mut s);
    let lookup = s
        .mock("GET", "/v2/accounts")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("platform".into(), "tiktok".into()),
            Matcher::UrlEncoded("q".into(), "khaby.lame".into()),
        ]))
        .with_body(crate::support::page(
            vec![fixtures::account("a1", "khaby.lame")],
            None,
            false,
            200,
        ))
        .expect(1)
        .create();
    let (client, _) = recording_client(&s);
    // What the README's "Idempotency" section tells a user to do.
    let track = |username: &str| -> creatoraudit::Result<creatoraudit::Account> {
        match client
            .accounts()
            .create(&NewAccount::new(Platform::TikTok, username))
        {
            Err(e) if e.code() == Some(&ErrorCode::Conflict) => {
                let text = e.to_string();
                assert!(
                    text.contains("An earlier attempt of this call may have been processed"),
                    "{text}"
                );
                assert_eq!(e.attempts(), Some(2));
                assert!(e.idempotency_key().is_some());
                let filter = creatoraudit::ListAccounts::new()
                    .platform(Platform::TikTok)
                    .q(username);
                for account in client.accounts().list(filter) {
                    let account = account?;
                    if account.username.eq_ignore_ascii_case(username) {
                        return Ok(account);
                    }
                }
                Err(e)
            }
            other => other,
        }
    };
    let account = track("khaby.lame").unwrap();
    assert_eq!(account.id, "a1");
    for m in [lost, conflict, lookup] {
        m.assert();
    }
    // A 409 on a first attempt is a plain conflict: no such note.
    let mut s = server();
    let plain = account_conflict(&mut s);
    let err = crate::support::client(&s)
        .accounts()
        .create(&NewAccount::new(Platform::TikTok, "x"))
        .unwrap_err();
    plain.assert();
    assert_eq!(err.code(), Some(&ErrorCode::Conflict));
    assert_eq!(err.attempts(), Some(1));
    assert!(!err.to_string().contains("earlier attempt"), "{err}");
}

#[test]
fn a_conflict_after_a_429_says_nothing_of_an_earlier_attempt() {
    // A 429 is refused before anything is done: the create's earlier attempt did nothing.
    let mut s = server();
    let limited = s
        .mock("POST", "/v2/accounts")
        .with_status(429)
        .with_header("retry-after", "1")
        .expect(1)
        .create();
    let conflict = account_conflict(&mut s);
    let (client, _) = recording_client(&s);
    let e = client
        .accounts()
        .create(&NewAccount::new(Platform::TikTok, "khaby.lame"))
        .unwrap_err();
    limited.assert();
    conflict.assert();
    assert_eq!(e.attempts(), Some(2));
    assert!(!e.to_string().contains("earlier attempt"), "{e}");
}
