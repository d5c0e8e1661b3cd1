//! Transport faults mockito cannot make, served by the scripted raw server
//! (`support::raw_server`): connections reset before the response, bodies cut short of their
//! `Content-Length`, servers that never answer or answer byte by byte, garbage instead of
//! HTTP, oversized bodies and redirects.
//!
//! Every scenario scripts what the server does with each connection it accepts, and asserts
//! both what the call returned and how many connections the server saw. Retry waits are
//! recorded instead of slept. Which calls are retried at all, idempotency keys and
//! `Retry-After` are in `retries`.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use creatoraudit::testing::fixtures;
use creatoraudit::{Client, Error, NewAccount, Platform, TransportErrorKind};
use serde_json::json;

use crate::support::raw_server::{Conn, RawServer, response, whoami_ok};
use crate::support::rng::Rng;
use crate::support::{KEY, data, recording, transport_kind};

// ---------------------------------------------------------------------------------------------
// Connection reset and clean close before the response

#[test]
fn a_reset_before_the_response_is_retried_then_reported() {
    let server = RawServer::scripted(vec![Conn::Reset, Conn::Reset, Conn::Reset]);
    let (builder, waits) = server.builder();
    let result = builder.build().unwrap().whoami();
    let seen = server.finish();

    let kind = transport_kind(&result);
    assert_eq!(kind, TransportErrorKind::ConnectionReset);
    let err = result.unwrap_err();
    // The fault is what it claims to be: a reset, not a clean close.
    assert!(format!("{err:?}").contains("ConnectionReset"), "{err:?}");
    // The back-off is jittered: the total waited varies.
    let shown = err.to_string();
    assert!(
        shown.starts_with(
            "connection reset by 127.0.0.1 before the response was complete \
             (GET /whoami, 3 attempts; waited "
        ) && shown.ends_with(" for back-off)"),
        "{shown}"
    );
    assert_eq!(err.attempts(), Some(3));
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
    assert_eq!(seen.connections, 3, "default 2 retries: 3 connections");
    assert_eq!(waits.lock().unwrap().len(), 2);
    for request in &seen.requests {
        assert!(
            request.starts_with("GET /v2/whoami HTTP/1.1\r\n"),
            "{request:?}"
        );
    }
}

#[test]
fn a_reset_then_a_good_response_succeeds_on_the_second_attempt() {
    let server = RawServer::scripted(vec![Conn::Reset, whoami_ok()]);
    let (builder, waits) = server.builder();
    let me = builder.build().unwrap().whoami_with_meta().unwrap();
    let seen = server.finish();

    assert_eq!(me.value.organization_id, "org_1");
    assert_eq!(me.meta.attempts, 2);
    assert_eq!(me.meta.status, Some(200));
    assert_eq!(me.meta.request_id.as_deref(), Some("req_ok"));
    assert_eq!(me.meta.retry_delays, *waits.lock().unwrap());
    assert_eq!(me.meta.retry_delays.len(), 1);
    assert_eq!(seen.connections, 2);
}

#[test]
fn a_clean_close_before_the_response_is_retried() {
    let server = RawServer::scripted(vec![Conn::Close, whoami_ok()]);
    let me = server.client().whoami_with_meta().unwrap();
    let seen = server.finish();
    assert_eq!(me.meta.attempts, 2);
    assert_eq!(seen.connections, 2);

    let server = RawServer::scripted(vec![Conn::Close, Conn::Close, Conn::Close]);
    let result = server.client().whoami();
    let seen = server.finish();
    assert_eq!(transport_kind(&result), TransportErrorKind::Io);
    assert_eq!(result.unwrap_err().attempts(), Some(3));
    assert_eq!(seen.connections, 3);
}

#[test]
fn a_refused_connection_is_retried_then_reported_as_a_connect_failure() {
    // A port that was just free: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (builder, waits) = recording(
        Client::builder()
            .api_key(KEY)
            .base_url(format!("http://127.0.0.1:{port}/v2")),
    );
    let client = builder.build().unwrap();
    let result = client.whoami();
    assert_eq!(
        transport_kind(&result),
        TransportErrorKind::ConnectionRefused
    );
    let err = result.unwrap_err();
    assert_eq!(err.attempts(), Some(3));
    assert_eq!(waits.lock().unwrap().len(), 2);
    assert!(
        err.to_string().starts_with(&format!(
            "connection refused by 127.0.0.1:{port} (GET /whoami, 3 attempts; waited "
        )),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Bodies cut short

fn cut_short() -> Conn {
    // Promises 100 bytes, sends 10, closes.
    Conn::Reply(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"data\":{\""
            .to_vec(),
    )
}

#[test]
fn a_body_cut_short_of_its_content_length_is_retried_then_reported() {
    let server = RawServer::scripted(vec![cut_short(), cut_short(), cut_short()]);
    let result = server.client().whoami();
    let seen = server.finish();

    // A transport failure, not a decode error of the 10 bytes that came.
    let kind = transport_kind(&result);
    assert_eq!(kind, TransportErrorKind::Io);
    let err = result.unwrap_err();
    assert!(err.is_retryable());
    assert_eq!(err.attempts(), Some(3));
    assert_eq!(seen.connections, 3);
}

#[test]
fn a_body_cut_short_keeps_the_heads_status_and_request_id() {
    let cut = Conn::Reply(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-ID: req_cut\r\n\
          Content-Length: 100\r\n\r\n{\"data\":{\""
            .to_vec(),
    );
    let server = RawServer::scripted(vec![cut]);
    let result = server.client_with_retries(0).whoami();
    server.finish();
    assert_eq!(transport_kind(&result), TransportErrorKind::Io);
    let err = result.unwrap_err();
    assert_eq!(err.request_id(), Some("req_cut"), "{err}");
    assert_eq!(err.status(), Some(200));
    assert!(err.to_string().contains("request id req_cut"), "{err}");
}

#[test]
fn a_body_cut_short_then_a_whole_one_succeeds() {
    let server = RawServer::scripted(vec![cut_short(), whoami_ok()]);
    let me = server.client().whoami_with_meta().unwrap();
    let seen = server.finish();
    assert_eq!(me.value.organization_id, "org_1");
    assert_eq!(me.meta.attempts, 2);
    assert_eq!(seen.connections, 2);
}

#[test]
fn a_chunked_body_cut_short_is_retried() {
    let cut = Conn::Reply(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n{\"data\":{\"organization_id\""
            .to_vec(),
    );
    let server = RawServer::scripted(vec![cut, whoami_ok()]);
    let me = server.client().whoami_with_meta().unwrap();
    let seen = server.finish();
    assert_eq!(me.meta.attempts, 2);
    assert_eq!(seen.connections, 2);
}

// ---------------------------------------------------------------------------------------------
// Servers that never answer, or answer too slowly

/// Asserts `elapsed` is within `[min, max]`.
fn assert_took(elapsed: Duration, min: Duration, max: Duration) {
    assert!(
        elapsed >= min && elapsed < max,
        "took {elapsed:?}, expected between {min:?} and {max:?}"
    );
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = RawServer::scripted(vec![Conn::Stall(Vec::new())]);
    let client = server.client_without_retries(Duration::from_millis(300));
    let started = Instant::now();
    let result = client.whoami();
    let elapsed = started.elapsed();
    let seen = server.finish();

    match &result {
        Err(e @ Error::Transport(t)) if e.is_timeout() => {
            assert_eq!(t.kind(), TransportErrorKind::Timeout);
            assert_eq!(t.meta().attempts, 1);
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(result.unwrap_err().is_retryable());
    assert_took(elapsed, Duration::from_millis(250), Duration::from_secs(3));
    assert_eq!(seen.connections, 1);
}

#[test]
fn timeouts_are_retried_within_the_retry_budget() {
    let stall = Conn::Stall(Vec::new());
    let server = RawServer::scripted(vec![stall.clone(), stall.clone(), stall]);
    let (builder, waits) = server.builder();
    let client = builder.timeout(Duration::from_millis(200)).build().unwrap();
    let started = Instant::now();
    let result = client.whoami();
    let elapsed = started.elapsed();
    let seen = server.finish();

    assert!(matches!(&result, Err(e) if e.is_timeout()), "{result:?}");
    assert_eq!(result.unwrap_err().attempts(), Some(3));
    assert_eq!(seen.connections, 3);
    assert_eq!(waits.lock().unwrap().len(), 2);
    assert_took(elapsed, Duration::from_millis(550), Duration::from_secs(3));
}

#[test]
fn the_deadline_bounds_a_call_to_a_server_that_never_answers() {
    let stall = Conn::Stall(Vec::new());
    let server = RawServer::scripted(vec![stall.clone(), stall.clone(), stall]);
    // The per-attempt timeout (30 s by default) would let this hang; the deadline must not.
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .deadline(Duration::from_millis(500))
        .retry_sleeper(|_| {})
        .build()
        .unwrap();
    let started = Instant::now();
    let result = client.whoami();
    let elapsed = started.elapsed();
    let seen = server.finish();

    assert!(matches!(&result, Err(e) if e.is_timeout()), "{result:?}");
    let shown = result.unwrap_err().to_string();
    assert!(
        shown.starts_with("the call's deadline of 500 ms passed "),
        "the deadline, not the 30 s timeout, ran out: {shown}"
    );
    assert_took(elapsed, Duration::from_millis(450), Duration::from_secs(2));
    assert!((1..=3).contains(&seen.connections), "{}", seen.connections);
}

#[test]
fn the_deadline_stops_retries_with_real_backoff_waits() {
    let stall = Conn::Stall(Vec::new());
    let server = RawServer::scripted(vec![stall.clone(), stall.clone(), stall]);
    // Real sleeps: 200 ms attempts, then a back-off that must not overrun the deadline.
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .timeout(Duration::from_millis(200))
        .deadline(Duration::from_millis(700))
        .build()
        .unwrap();
    let started = Instant::now();
    let result = client.whoami();
    let elapsed = started.elapsed();
    let seen = server.finish();

    assert!(matches!(&result, Err(e) if e.is_timeout()), "{result:?}");
    // Unbounded, the three attempts and two back-offs (375-500 ms, then 750-1000 ms) take
    // 1.7 s or more; bounded, the call ends at the 700 ms deadline, after one or two
    // attempts (a back-off that does not fit in what is left is not taken).
    assert_took(
        elapsed,
        Duration::from_millis(150),
        Duration::from_millis(1_400),
    );
    assert!((1..=2).contains(&seen.connections), "{}", seen.connections);
}

#[test]
fn a_stalled_body_is_bounded_by_the_timeout() {
    let head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"data\":".to_vec();
    let server = RawServer::scripted(vec![Conn::Stall(head)]);
    let client = server.client_without_retries(Duration::from_millis(300));
    let started = Instant::now();
    let result = client.whoami();
    let elapsed = started.elapsed();
    let seen = server.finish();

    assert!(matches!(&result, Err(e) if e.is_timeout()), "{result:?}");
    assert_took(elapsed, Duration::from_millis(250), Duration::from_secs(3));
    assert_eq!(seen.connections, 1);
}

fn trickle() -> Conn {
    let body = data(json!({"organization_id": "o".repeat(200)}));
    Conn::Trickle {
        head: format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes(),
        // ~230 bytes at one per 20 ms: about 5 s, far past every bound below.
        body: body.into_bytes(),
        every: Duration::from_millis(20),
    }
}

#[test]
fn a_trickling_body_is_bounded_by_the_timeout() {
    let server = RawServer::scripted(vec![trickle()]);
    // A second per phase: room for a slow machine to get the head before the body trickles.
    let client = server.client_without_retries(Duration::from_secs(1));
    let started = Instant::now();
    let result = client.whoami();
    let elapsed = started.elapsed();
    let seen = server.finish();

    assert!(matches!(&result, Err(e) if e.is_timeout()), "{result:?}");
    let shown = result.unwrap_err().to_string();
    assert!(
        shown.starts_with("timed out reading the response body from 127.0.0.1 after 1 s"),
        "{shown}"
    );
    assert_took(elapsed, Duration::from_millis(900), Duration::from_secs(4));
    assert_eq!(seen.connections, 1);
}

#[test]
fn a_trickling_body_is_bounded_by_the_deadline() {
    let server = RawServer::scripted(vec![trickle(), trickle(), trickle()]);
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .deadline(Duration::from_millis(600))
        .retry_sleeper(|_| {})
        .build()
        .unwrap();
    let started = Instant::now();
    let result = client.whoami();
    let elapsed = started.elapsed();
    drop(server.finish());

    assert!(matches!(&result, Err(e) if e.is_timeout()), "{result:?}");
    let shown = result.unwrap_err().to_string();
    assert!(
        shown.starts_with("the call's deadline of 600 ms passed "),
        "{shown}"
    );
    assert_took(elapsed, Duration::from_millis(550), Duration::from_secs(2));
}

// ---------------------------------------------------------------------------------------------
// Not HTTP

/// Deterministic bytes that are not an HTTP response.
fn not_http(len: usize) -> Vec<u8> {
    let mut bytes = Rng::new(0x9E37_79B9_7F4A_7C15).bytes(len);
    bytes[0] = 0xFF; // never the `H` of `HTTP/`
    bytes
}

#[test]
fn garbage_instead_of_http_is_a_protocol_error_and_is_not_retried() {
    let huge_header = format!(
        "HTTP/1.1 200 OK\r\nX-Filler: {}\r\nContent-Length: 2\r\n\r\n{{}}",
        "a".repeat(200 * 1024)
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("HELLO", b"HELLO\r\n\r\n".to_vec()),
        ("random bytes", not_http(512)),
        (
            "SMTP banner",
            b"220 mail.example.com ESMTP ready\r\n\r\n".to_vec(),
        ),
        (
            "bad status code",
            b"HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n".to_vec(),
        ),
        (
            "bad header line",
            b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n".to_vec(),
        ),
        ("huge header", huge_header.into_bytes()),
    ];
    for (name, bytes) in cases {
        let server = RawServer::scripted(vec![Conn::Reply(bytes), whoami_ok(), whoami_ok()]);
        let result = server.client().whoami();
        let seen = server.finish();
        assert_eq!(
            transport_kind(&result),
            TransportErrorKind::Protocol,
            "{name}"
        );
        let err = result.unwrap_err();
        assert!(!err.is_retryable(), "{name}");
        assert_eq!(err.attempts(), Some(1), "{name}");
        assert_eq!(
            seen.connections, 1,
            "{name}: a protocol error is not retried"
        );
        assert!(!err.to_string().is_empty());
    }
}

#[test]
fn a_bad_chunk_size_in_a_success_body_is_a_protocol_error() {
    let bytes =
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n".to_vec();
    let server = RawServer::scripted(vec![Conn::Reply(bytes), whoami_ok()]);
    let result = server.client().whoami();
    let seen = server.finish();
    assert_eq!(transport_kind(&result), TransportErrorKind::Protocol);
    assert_eq!(seen.connections, 1);
}

// ---------------------------------------------------------------------------------------------
// Bounded memory

#[test]
fn a_body_over_max_body_size_is_refused_and_not_retried() {
    let body = format!(
        "{{\"data\":{{\"organization_id\":\"{}\"}}}}",
        "x".repeat(64 * 1024)
    );
    let with_length = Conn::Reply(response(200, &[("X-Request-ID", "req_big")], &body));
    // The same body without Content-Length: the size is only known by reading.
    let close_delimited = Conn::Reply(
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{body}"
        )
        .into_bytes(),
    );
    for (name, conn) in [
        ("content-length", with_length),
        ("close-delimited", close_delimited),
    ] {
        let server = RawServer::scripted(vec![conn, whoami_ok(), whoami_ok()]);
        let client = server.builder().0.max_body_size(1024).build().unwrap();
        let result = client.whoami();
        let seen = server.finish();
        match &result {
            Err(Error::BodyTooLarge { limit, .. }) => assert_eq!(*limit, 1024, "{name}"),
            other => panic!("{name}: expected Error::BodyTooLarge, got {other:?}"),
        }
        assert!(!result.unwrap_err().is_retryable(), "{name}");
        assert_eq!(seen.connections, 1, "{name}: not retried");
    }
}

#[test]
fn an_oversized_error_body_still_gives_the_status() {
    let body = "<html>".to_owned() + &"x".repeat(64 * 1024);
    let big = Conn::Reply(response(404, &[("X-Request-ID", "req_404")], &body));
    let server = RawServer::scripted(vec![big]);
    let client = server.builder().0.max_body_size(1024).build().unwrap();
    let err = client.whoami().unwrap_err();
    let seen = server.finish();
    assert_eq!(err.status(), Some(404));
    // A web page, read as far as the bound: not the API's "not found".
    assert!(!err.is_not_found());
    assert_eq!(err.request_id(), Some("req_404"));
    assert_eq!(seen.connections, 1);
    // What came within the bound is read: a snippet of the page, and the hint that this is
    // not the API.
    let detail = &err.problem().unwrap().detail;
    assert!(detail.contains("<html>xxx"), "{detail}");
    assert!(
        detail.contains("does not look like the CreatorAudit API"),
        "{detail}"
    );

    // The API's own problem document over the bound is cut and does not parse, but it is
    // still the API's "not found", without the base-URL hint.
    let doc = format!(
        r#"{{"type":"urn:creatoraudit:error:not-found","title":"Not Found","status":404,"code":"NOT_FOUND","detail":"{}"}}"#,
        "x".repeat(4 * 1024)
    );
    let cut = Conn::Reply(response(
        404,
        &[
            ("X-Request-ID", "req_404_doc"),
            ("Content-Type", "application/problem+json"),
        ],
        &doc,
    ));
    let server = RawServer::scripted(vec![cut]);
    let client = server.builder().0.max_body_size(1024).build().unwrap();
    let err = client.whoami().unwrap_err();
    server.finish();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(err.request_id(), Some("req_404_doc"));
    let detail = &err.problem().unwrap().detail;
    assert!(!detail.contains("does not look like"), "{detail}");
}

// ---------------------------------------------------------------------------------------------
// Redirects

#[test]
fn a_redirect_is_an_api_error_and_is_not_followed() {
    let found = Conn::Reply(response(302, &[], ""));
    let elsewhere = |status: u16| {
        Conn::Reply(
            format!(
                "HTTP/1.1 {status} Moved\r\nLocation: /v2/accounts/acc_9\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .into_bytes(),
        )
    };
    let target = Conn::Reply(response(200, &[], &data(fixtures::account("acc_9", "x"))));
    for (name, status, first) in [
        ("302 without Location", 302, found),
        ("303 to the account", 303, elsewhere(303)),
        ("307 to the account", 307, elsewhere(307)),
    ] {
        let server = RawServer::scripted(vec![first, target.clone()]);
        let result = server
            .client()
            .accounts()
            .create(&NewAccount::new(Platform::TikTok, "x"));
        let seen = server.finish();
        match &result {
            Err(Error::Api(p)) => assert_eq!(p.status, status, "{name}: {p:?}"),
            other => panic!("{name}: expected Error::Api, got {other:?}"),
        }
        assert_eq!(
            seen.connections, 1,
            "{name}: the redirect must not be followed"
        );
    }
}
