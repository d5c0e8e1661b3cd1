//! Being a good citizen of the real API: pacing under the shared rate-limit budget (and what
//! it does with nonsense headers), a 429 retried on every method, concurrent batch chunks,
//! and cancellation. Waits are recorded by the test sleeper, except in the one test whose
//! server keeps real time (eight threads against a real window).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use creatoraudit::{CancelToken, Client, ErrorCode, VideoMetricsRequest};
use mockito::Matcher;
use serde_json::{Value, json};

use crate::support::raw_server::{Conn, RawServer, header_value, response};
use crate::support::time::unix_now;
use crate::support::{KEY, builder, data, recording, server};

/// A whoami mock that reports the window as spent until `reset`.
fn spent_until(s: &mut mockito::ServerGuard, reset: u64, hits: usize) -> mockito::Mock {
    whoami_with_window(s, "10", "0", reset, hits)
}

/// A whoami mock answering `hits` times with these `X-RateLimit-*` values.
fn whoami_with_window(
    s: &mut mockito::ServerGuard,
    limit: &str,
    remaining: &str,
    reset: u64,
    hits: usize,
) -> mockito::Mock {
    s.mock("GET", "/v2/whoami")
        .with_header("x-ratelimit-limit", limit)
        .with_header("x-ratelimit-remaining", remaining)
        .with_header("x-ratelimit-reset", &reset.to_string())
        .with_body(data(json!({"organization_id": "o"})))
        .expect(hits)
        .create()
}

#[test]
fn a_spent_budget_waits_for_the_reset_instead_of_collecting_a_429() {
    let mut s = server();
    let m = spent_until(&mut s, unix_now() + 3, 2);
    let (b, waits) = recording(builder(&s));
    let client = b.build().unwrap();
    client.whoami().unwrap();
    let second = client.whoami_with_meta().unwrap();
    m.assert();
    let waits = waits.lock().unwrap().clone();
    assert_eq!(waits.len(), 1, "{waits:?}");
    // Until the reset (2 to 3 s away), with a second and more to spare for a slow machine.
    assert!(
        waits[0] > Duration::from_millis(900) && waits[0] <= Duration::from_millis(3_200),
        "{waits:?}"
    );
    // The wait is in the second call's story, before its one attempt, and is no retry.
    use creatoraudit::{Step, WaitReason};
    assert!(
        matches!(
            second.meta.history(),
            [Step::Wait(w), Step::Attempt(a)]
                if w.reason == WaitReason::Pacing && w.duration == waits[0] && a.number == 1
        ),
        "{:?}",
        second.meta.history()
    );
    assert!(second.meta.retry_delays.is_empty());
    assert_eq!(second.meta.attempts, 1);
}

#[test]
fn clones_on_other_threads_share_the_budget() {
    let mut s = server();
    let m = spent_until(&mut s, unix_now() + 2, 2);
    let (b, waits) = recording(builder(&s));
    let client = b.build().unwrap();
    client.whoami().unwrap();
    let clone = client.clone();
    std::thread::spawn(move || clone.whoami().unwrap())
        .join()
        .unwrap();
    m.assert();
    assert_eq!(waits.lock().unwrap().len(), 1);
}

#[test]
fn a_wait_past_the_cap_fails_at_once_unsent_like_a_capped_429() {
    let mut s = server();
    let m = spent_until(&mut s, unix_now() + 3_600, 1);
    let (b, waits) = recording(builder(&s));
    let client = b.build().unwrap();
    client.whoami().unwrap();
    let err = client.whoami().unwrap_err();
    m.assert(); // the second call was never sent
    assert!(waits.lock().unwrap().is_empty());
    assert!(err.is_rate_limited());
    assert_eq!(err.code(), Some(&ErrorCode::RateLimited));
    assert!(err.retry_after().unwrap() > Duration::from_secs(3_500));
    assert_eq!(err.endpoint(), Some("GET /whoami"));
    assert_eq!(err.attempts(), None, "nothing was sent");
    let shown = err.to_string();
    assert!(shown.contains("not sent"), "{shown}");
    // The wait is said for people, as every other duration in messages is.
    assert!(
        shown.contains("resets in 59 min") || shown.contains("resets in 60 min"),
        "{shown}"
    );
}

#[test]
fn pacing_off_sends_at_once() {
    let mut s = server();
    let m = spent_until(&mut s, unix_now() + 3_600, 2);
    let (b, waits) = recording(builder(&s).pacing(false));
    let client = b.build().unwrap();
    client.whoami().unwrap();
    client.whoami().unwrap();
    m.assert();
    assert!(waits.lock().unwrap().is_empty());
}

#[test]
fn nonsense_rate_limit_headers_are_no_budget() {
    let now = unix_now();
    for (limit, remaining, reset) in [
        ("-1".to_owned(), "0".to_owned(), (now + 2).to_string()),
        ("10".into(), "zero".into(), (now + 2).to_string()),
        (
            "10".into(),
            "0".into(),
            (now + 40 * 365 * 86_400).to_string(),
        ),
        ("10".into(), "0".into(), (now - 60).to_string()),
        ("10".into(), "11".into(), (now + 2).to_string()),
        ("0".into(), "0".into(), (now + 2).to_string()),
        ("10".into(), "0".into(), "99999999999999999999999".into()),
    ] {
        let mut s = server();
        let m = s
            .mock("GET", "/v2/whoami")
            .with_header("x-ratelimit-limit", &limit)
            .with_header("x-ratelimit-remaining", &remaining)
            .with_header("x-ratelimit-reset", &reset)
            .with_body(data(json!({"organization_id": "o"})))
            .expect(3)
            .create();
        let (b, waits) = recording(builder(&s));
        let client = b.build().unwrap();
        for _ in 0..3 {
            client.whoami().unwrap();
        }
        m.assert();
        let waits = waits.lock().unwrap();
        assert!(waits.is_empty(), "{limit} {remaining} {reset}: {waits:?}");
    }
}

#[test]
fn health_and_meta_are_not_rate_limited_and_never_wait() {
    let mut s = server();
    let who = spent_until(&mut s, unix_now() + 3_600, 1);
    let health = s
        .mock("GET", "/v2/health")
        .with_body("ok")
        .expect(1)
        .create();
    let meta = s
        .mock("GET", "/v2/meta")
        .with_body(data(json!({"api_version": "v2"})))
        .expect(1)
        .create();
    let (b, waits) = recording(builder(&s));
    let client = b.build().unwrap();
    client.whoami().unwrap();
    client.health().unwrap();
    client.meta().unwrap();
    for m in [who, health, meta] {
        m.assert();
    }
    assert!(waits.lock().unwrap().is_empty());
}

#[test]
fn a_429_is_retried_on_every_method() {
    let mut s = server();
    let mut mocks = Vec::new();
    for (method, path) in [
        ("PATCH", "/v2/creators/c1"),
        ("POST", "/v2/videos"),
        ("PUT", "/v2/creators/c1/accounts/a1"),
        ("DELETE", "/v2/creators/c1"),
    ] {
        mocks.push(
            s.mock(method, path)
                .with_status(429)
                .with_header("retry-after", "1")
                .expect(2)
                .create(),
        );
    }
    let (b, waits) = recording(builder(&s).max_retries(1));
    let client = b.build().unwrap();
    let patch = client
        .creators()
        .update("c1", &creatoraudit::UpdateCreator::new().name("x"));
    let raw_post =
        client.request::<Value>("POST", "/videos", &[], Some(&json!({"identifier": "x"})));
    let put = client.creators().link_account("c1", "a1");
    let delete = client.creators().delete("c1");
    for m in mocks {
        m.assert();
    }
    let errors = [
        patch.unwrap_err(),
        raw_post.unwrap_err(),
        put.unwrap_err(),
        delete.unwrap_err(),
    ];
    for err in &errors {
        assert_eq!(err.attempts(), Some(2), "{err}");
        assert!(err.is_rate_limited());
    }
    assert_eq!(*waits.lock().unwrap(), [Duration::from_secs(1); 4]);
    // A 503 on the PATCH is not retried: it may have been processed.
    let mut s = server();
    let m = s
        .mock("PATCH", "/v2/creators/c1")
        .with_status(503)
        .expect(1)
        .create();
    let err = builder(&s)
        .build()
        .unwrap()
        .creators()
        .update("c1", &creatoraudit::UpdateCreator::new().name("x"))
        .unwrap_err();
    m.assert();
    assert_eq!(err.attempts(), Some(1));
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("v{i:04}")).collect()
}

/// A /videos/metrics mock answering each chunk with its own ids, and the first id of each
/// chunk as not found.
fn metrics_echo(s: &mut mockito::ServerGuard, hits: usize) -> mockito::Mock {
    s.mock("POST", "/v2/videos/metrics")
        .with_body_from_request(|req| {
            let body: Value = serde_json::from_slice(req.body().unwrap()).unwrap();
            let ids: Vec<&str> = body["video_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            let data: serde_json::Map<String, Value> = ids[1..]
                .iter()
                .map(|id| {
                    (
                        (*id).to_owned(),
                        json!({"views": id[1..].parse::<i64>().unwrap()}),
                    )
                })
                .collect();
            json!({"data": data, "meta": {"period": "30d", "not_found": [ids[0]]}})
                .to_string()
                .into_bytes()
        })
        .expect(hits)
        .create()
}

#[test]
fn concurrent_chunks_merge_exactly_as_sequential_ones() {
    let ids = ids(1_000);
    let mut answers = Vec::new();
    for concurrency in [1, 4, 8] {
        let mut s = server();
        let m = metrics_echo(&mut s, 5);
        let client = builder(&s).batch_concurrency(concurrency).build().unwrap();
        let batch = client
            .videos()
            .metrics(&VideoMetricsRequest::new(&ids))
            .unwrap();
        m.assert();
        assert_eq!(batch.data.len(), 995);
        assert_eq!(
            batch.meta.not_found,
            ["v0000", "v0200", "v0400", "v0600", "v0800"],
            "in the order of the chunks"
        );
        answers.push(batch);
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0], answers[2]);
}

/// A server holding every request `hold`, and longer (up to 5 s) until `together` requests
/// are in flight, before it answers an empty batch; it counts the most requests it had in
/// flight at once and the requests it answered.
fn holding_server(hold: Duration, together: u64) -> (RawServer, Arc<AtomicU64>, Arc<AtomicU64>) {
    let in_flight = Arc::new(AtomicU64::new(0));
    let (most, answered) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let (most_seen, answers) = (Arc::clone(&most), Arc::clone(&answered));
    let server = RawServer::custom(
        move |mut conn: TcpStream, ctx| {
            conn.set_read_timeout(Some(Duration::from_millis(200))).ok();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 8192];
            while !ctx.stopped() {
                // A whole request: the head, then `Content-Length` bytes of body.
                let complete = buf
                    .windows(4)
                    .position(|w| w == b"\r\n\r\n")
                    .and_then(|end| {
                        let head = String::from_utf8_lossy(&buf[..end]);
                        let length = header_value(&head, "content-length")
                            .and_then(|v| v.parse::<usize>().ok())
                            .unwrap_or(0);
                        (buf.len() >= end + 4 + length).then_some(end + 4 + length)
                    });
                let Some(len) = complete else {
                    match conn.read(&mut chunk) {
                        Ok(0) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        Err(_) => {}
                    }
                    continue;
                };
                buf.drain(..len);
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                most_seen.fetch_max(now, Ordering::SeqCst);
                let held = Instant::now();
                while held.elapsed() < hold
                    || (most_seen.load(Ordering::SeqCst) < together
                        && held.elapsed() < Duration::from_secs(5))
                {
                    std::thread::sleep(Duration::from_millis(1));
                }
                in_flight.fetch_sub(1, Ordering::SeqCst);
                answers.fetch_add(1, Ordering::SeqCst);
                let body = r#"{"data":{},"meta":{"not_found":[]}}"#;
                let reply = response(200, &[("Content-Type", "application/json")], body);
                if conn.write_all(&reply).is_err() {
                    return;
                }
            }
        },
        Duration::from_secs(30),
    );
    (server, most, answered)
}

#[test]
fn batch_chunks_overlap_up_to_batch_concurrency_and_not_at_all_with_one() {
    // 1,600 ids: 8 chunks, each held 50 ms by the server.
    for (concurrency, most_allowed) in [(Some(1), 1), (Some(3), 3), (None, 4)] {
        // Held until two are in at once (when more than one may be): the scheduler of a
        // busy machine cannot make the chunks look sequential.
        let together = most_allowed.min(2);
        let (server, most, answered) = holding_server(Duration::from_millis(50), together);
        let (mut builder, _waits) = server.builder();
        if let Some(n) = concurrency {
            builder = builder.batch_concurrency(n);
        }
        let batch = builder
            .build()
            .unwrap()
            .videos()
            .metrics(&VideoMetricsRequest::new(ids(1_600)))
            .unwrap();
        assert!(batch.data.is_empty());
        assert_eq!(answered.load(Ordering::SeqCst), 8, "{concurrency:?}");
        let most = most.load(Ordering::SeqCst);
        assert!(most <= most_allowed, "{concurrency:?}: {most} in flight");
        assert!(
            most >= together,
            "{concurrency:?}: the chunks were sent one by one"
        );
    }
}

#[test]
fn a_failed_chunk_fails_the_call_and_starts_no_further_chunk() {
    let mut s = server();
    let m = s
        .mock("POST", "/v2/videos/metrics")
        .with_status(422)
        .with_body(r#"{"status":422,"code":"VALIDATION_ERROR","title":"Unprocessable Entity"}"#)
        .expect_at_least(1)
        .expect_at_most(2)
        .create();
    let client = builder(&s).batch_concurrency(2).build().unwrap();
    let err = client
        .videos()
        .metrics(&VideoMetricsRequest::new(ids(2_000)))
        .unwrap_err();
    m.assert(); // 10 chunks, but at most the two first in flight were sent
    assert_eq!(err.code(), Some(&ErrorCode::ValidationError));
    assert_eq!(err.endpoint(), Some("POST /videos/metrics"));
    assert!(
        Client::builder()
            .api_key(KEY)
            .batch_concurrency(0)
            .build()
            .unwrap_err()
            .to_string()
            .contains("batch_concurrency")
    );
}

#[test]
fn cancel_ends_a_long_wait_at_once_and_nothing_more_is_sent() {
    let mut s = server();
    let asked = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let hit = Arc::clone(&asked);
    let m = s
        .mock("GET", "/v2/whoami")
        .with_status(429)
        .with_header("retry-after", "30")
        .with_body_from_request(move |_| {
            hit.store(true, Ordering::SeqCst);
            Vec::new()
        })
        .expect(1)
        .create();
    let token = CancelToken::new();
    // The real sleeper: the wait is a real 30 s one, that cancel() must cut short.
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/v2", s.url()))
        .cancel_token(token.clone())
        .build()
        .unwrap();
    let canceller = {
        let token = token.clone();
        // Cancels once the 429 is in, while the client waits its 30 s.
        std::thread::spawn(move || {
            while !asked.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(10));
            }
            std::thread::sleep(Duration::from_millis(200));
            token.cancel();
            Instant::now()
        })
    };
    let err = client.whoami().unwrap_err();
    let returned = Instant::now();
    let cancelled = canceller.join().unwrap();
    // Generous bound: the point is "woken by the cancel", not "after 30 s".
    let late = returned.saturating_duration_since(cancelled);
    assert!(late < Duration::from_secs(5), "{late:?}");
    assert!(err.is_cancelled(), "{err}");
    assert_eq!(err.endpoint(), Some("GET /whoami"));
    assert_eq!(err.attempts(), Some(1));
    // The story tells the wait that was, not the 30 s asked for.
    assert!(!err.to_string().contains("waited 30 s"), "{err}");
    m.assert();
    // After cancellation no request starts: a paginator's next page is not fetched.
    let list = s
        .mock("GET", "/v2/accounts")
        .match_query(Matcher::Any)
        .expect(0)
        .create();
    let mut walk = client.accounts().list(Default::default());
    assert!(walk.next().unwrap().unwrap_err().is_cancelled());
    assert!(walk.next().is_none());
    list.assert();
}

/// A server that enforces `limit` requests per real `window` (aligned to whole seconds,
/// reset = the second the window ends), with the documented headers and 429s.
fn rate_limited_server(limit: u64, window_secs: u64, too_many: Arc<AtomicU64>) -> RawServer {
    let counts: Arc<Mutex<(u64, u64)>> = Arc::default(); // (window index, requests in it)
    RawServer::custom(
        move |mut conn: TcpStream, ctx| {
            conn.set_read_timeout(Some(Duration::from_millis(200))).ok();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            while !ctx.stopped() {
                let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                    match conn.read(&mut chunk) {
                        Ok(0) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        Err(_) => continue,
                    }
                    continue;
                };
                buf.drain(..end + 4);
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap()
                    .as_secs();
                let window = now / window_secs;
                let reset = (window + 1) * window_secs;
                let (status, remaining) = {
                    let mut c = counts.lock().unwrap();
                    if c.0 != window {
                        *c = (window, 0);
                    }
                    c.1 += 1;
                    if c.1 > limit {
                        (429, 0)
                    } else {
                        (200, limit - c.1)
                    }
                };
                let body = if status == 200 {
                    r#"{"data":{"organization_id":"o"}}"#.to_owned()
                } else {
                    too_many.fetch_add(1, Ordering::SeqCst);
                    r#"{"status":429,"code":"RATE_LIMITED"}"#.to_owned()
                };
                let retry_after = reset.saturating_sub(now).max(1);
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                     x-ratelimit-limit: {limit}\r\nx-ratelimit-remaining: {remaining}\r\n\
                     x-ratelimit-reset: {reset}\r\nretry-after: {retry_after}\r\n\
                     content-length: {}\r\n\r\n",
                    body.len()
                );
                if conn.write_all(head.as_bytes()).is_err()
                    || conn.write_all(body.as_bytes()).is_err()
                {
                    return;
                }
            }
        },
        Duration::from_secs(30),
    )
}

#[test]
fn eight_threads_sharing_one_client_draw_no_429() {
    let too_many = Arc::new(AtomicU64::new(0));
    let server = rate_limited_server(10, 1, Arc::clone(&too_many));
    // Real sleeps: the server's windows are real seconds. 8 threads x 4 calls against 10 a
    // second take about four windows. Retries are off, so a 429 would fail a call.
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .max_retries(0)
        .build()
        .unwrap();
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            std::thread::spawn(move || {
                (0..4)
                    .map(|_| client.whoami().map(drop))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let results: Vec<_> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert_eq!(results.len(), 32);
    for r in &results {
        assert!(r.is_ok(), "{r:?}");
    }
    assert_eq!(too_many.load(Ordering::SeqCst), 0);
}

#[test]
fn a_429_whose_reset_has_passed_backs_off_instead_of_retrying_at_once() {
    // The client's clock is a few seconds ahead of the server's: the advertised reset has
    // passed here, so there is no reset to wait for; the retries must still spread out.
    let mut s = server();
    let m = s
        .mock("GET", "/v2/whoami")
        .with_status(429)
        .with_header("x-ratelimit-limit", "600")
        .with_header("x-ratelimit-remaining", "0")
        .with_header("x-ratelimit-reset", &(unix_now() - 5).to_string())
        .expect(3)
        .create();
    let (b, waits) = recording(builder(&s));
    let err = b.build().unwrap().whoami().unwrap_err();
    m.assert();
    assert!(err.is_rate_limited());
    let waits = waits.lock().unwrap().clone();
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert!(
        waits.iter().all(|w| *w >= Duration::from_millis(375)),
        "back-off, not an immediate retry: {waits:?}"
    );
    use creatoraudit::{Step, WaitReason};
    let reasons: Vec<WaitReason> = err
        .history()
        .iter()
        .filter_map(|s| match s {
            Step::Wait(w) => Some(w.reason),
            _ => None,
        })
        .collect();
    assert_eq!(reasons, [WaitReason::Backoff, WaitReason::Backoff]);
}

#[test]
fn a_429s_retry_after_wins_over_its_spent_budget() {
    // The server asks to come back in 1 s; its headers say the window resets in 2 min. The
    // docs: use Retry-After when present. The retry goes after 1 s, and is not refused by
    // the pacer waiting for the window.
    let mut s = server();
    let limited = s
        .mock("GET", "/v2/whoami")
        .with_status(429)
        .with_header("retry-after", "1")
        .with_header("x-ratelimit-limit", "600")
        .with_header("x-ratelimit-remaining", "0")
        .with_header("x-ratelimit-reset", &(unix_now() + 120).to_string())
        .expect(1)
        .create();
    let ok = s
        .mock("GET", "/v2/whoami")
        .with_body(data(json!({"organization_id": "o"})))
        .expect(1)
        .create();
    let (b, waits) = recording(builder(&s));
    let me = b.build().unwrap().whoami().unwrap();
    assert_eq!(me.organization_id, "o");
    limited.assert();
    ok.assert();
    assert_eq!(*waits.lock().unwrap(), vec![Duration::from_secs(1)]);
}

#[test]
fn a_retry_the_spent_budget_holds_back_ends_with_the_failure_it_retried() {
    // A 503 whose headers say the window is spent for an hour: the retry cannot go within
    // the wait cap, and the call ends with the 503 (its code and request id), not with a
    // refusal of the pacer's own.
    let mut s = server();
    let m = s
        .mock("GET", "/v2/whoami")
        .with_status(503)
        .with_header("x-request-id", "req_5")
        .with_header("x-ratelimit-limit", "10")
        .with_header("x-ratelimit-remaining", "0")
        .with_header("x-ratelimit-reset", &(unix_now() + 3_600).to_string())
        .expect(1)
        .create();
    let (b, waits) = recording(builder(&s));
    let err = b.build().unwrap().whoami().unwrap_err();
    m.assert();
    // It ends at once: a back-off before a retry that cannot go would only delay the error.
    assert!(
        waits.lock().unwrap().is_empty(),
        "{:?}",
        waits.lock().unwrap()
    );
    assert!(
        err.history()
            .iter()
            .all(|s| !matches!(s, creatoraudit::Step::Wait(_)))
    );
    assert_eq!(err.status(), Some(503), "{err}");
    assert_eq!(err.request_id(), Some("req_5"));
    assert_eq!(err.code(), Some(&ErrorCode::ServiceUnavailable));
    assert_eq!(err.attempts(), Some(1));
    // The wait the retry needed (the reset, an hour away) is on the error, and said.
    assert!(
        err.retry_after() > Some(Duration::from_secs(3_500)),
        "{:?}",
        err.retry_after()
    );
    assert!(err.to_string().contains("not retried"), "{err}");
}

#[test]
fn a_late_answer_from_an_earlier_window_does_not_turn_the_snapshot_back() {
    // Two answers arrive out of order: the newer window's first, then one of the window
    // before (its request was slower). `Client::rate_limit` keeps the newer.
    let (older, newer) = (unix_now() + 30, unix_now() + 90);
    let mut s = server();
    // mockito answers with the first mock that still expects a hit.
    let first = whoami_with_window(&mut s, "600", "599", newer, 1);
    let late = whoami_with_window(&mut s, "600", "3", older, 1);
    let client = builder(&s).build().unwrap();
    client.whoami().unwrap();
    client.whoami().unwrap();
    first.assert();
    late.assert();
    let rl = client.rate_limit().expect("a snapshot");
    assert_eq!((rl.remaining, rl.reset), (599, newer));
}

#[test]
fn a_retry_of_a_broken_connection_the_spent_budget_holds_back_carries_the_wait() {
    // The first call spends the window (its answer says 1 left, for an hour); the second's
    // only attempt breaks without an answer, and its retry would need the reset: the call
    // ends with the connection failure, the reset's wait on it, and says so.
    let reset = (unix_now() + 3_600).to_string();
    let spent = response(
        200,
        &[
            ("X-RateLimit-Limit", "10"),
            ("X-RateLimit-Remaining", "1"),
            ("X-RateLimit-Reset", reset.as_str()),
            ("Connection", "close"),
        ],
        &data(json!({"organization_id": "o"})),
    );
    let server = RawServer::scripted(vec![Conn::Reply(spent), Conn::Close]);
    let (b, waits) = server.builder();
    let client = b.build().unwrap();
    client.whoami().unwrap();
    let err = client.whoami().unwrap_err();
    let seen = server.finish();
    assert_eq!(seen.connections, 2, "the retry was not sent");
    assert!(matches!(err, creatoraudit::Error::Transport(_)), "{err:?}");
    assert_eq!(err.attempts(), Some(1));
    assert!(
        err.retry_after() > Some(Duration::from_secs(3_500)),
        "{:?}",
        err.retry_after()
    );
    assert!(err.is_retryable());
    assert!(
        err.to_string()
            .contains("(not retried: this client's rate-limit budget is spent"),
        "{err}"
    );
    // Not even the back-off: the retry could not go after it anyway.
    assert!(
        waits.lock().unwrap().is_empty(),
        "{:?}",
        waits.lock().unwrap()
    );
}

#[test]
fn an_unbelievable_snapshot_does_not_stick_as_the_newest() {
    // A reset in milliseconds (a server's bug) looks like the newest window forever; the
    // next believable snapshot replaces it.
    let mut s = server();
    let millis = whoami_with_window(&mut s, "600", "599", unix_now() * 1_000, 1);
    let sane = whoami_with_window(&mut s, "600", "598", unix_now() + 60, 1);
    let client = builder(&s).build().unwrap();
    client.whoami().unwrap();
    client.whoami().unwrap();
    millis.assert();
    sane.assert();
    assert_eq!(client.rate_limit().map(|rl| rl.remaining), Some(598));
}

#[test]
fn after_its_reset_the_newest_snapshot_is_not_replaced_by_an_older_one() {
    // Both windows are over by now; the late answer of the older one does not take the
    // newer one's place.
    let mut s = server();
    let newer = whoami_with_window(&mut s, "600", "7", unix_now() - 10, 1);
    let older = whoami_with_window(&mut s, "600", "3", unix_now() - 70, 1);
    let client = builder(&s).build().unwrap();
    client.whoami().unwrap();
    client.whoami().unwrap();
    newer.assert();
    older.assert();
    assert_eq!(client.rate_limit().map(|rl| rl.remaining), Some(7));
}
