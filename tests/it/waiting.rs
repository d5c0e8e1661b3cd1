//! `accounts().wait_until_scraped`: polls with conditional reads on a growing, capped,
//! jittered interval through the client's sleeper, until the first refresh lands; stops at
//! once on a 404 or a non-retryable error; fails clearly at its timeout.

use std::error::Error as _;
use std::time::Duration;

use creatoraudit::testing::{FakeApi, Fault, RecordedRequest};
use creatoraudit::{CancelToken, Client, Error};

use crate::support::clients::{Waits, recording};

const MINUTE: Duration = Duration::from_secs(60);

fn polling_client(fake: &FakeApi) -> (Client, Waits) {
    let (builder, waits) = recording(fake.client_builder());
    (builder.build().unwrap(), waits)
}

fn polls(fake: &FakeApi, id: &str) -> Vec<RecordedRequest> {
    let path = format!("/v2/accounts/{id}");
    fake.requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path == path)
        .collect()
}

fn if_none_match(r: &RecordedRequest) -> Option<&str> {
    r.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("if-none-match"))
        .map(|(_, v)| v.as_str())
}

/// Each wait is its interval (2 s, growing 1.5× up to 30 s) shortened by at most 25 %.
fn assert_schedule(waits: &[Duration]) {
    let mut base = 2.0_f64;
    for (i, w) in waits.iter().enumerate() {
        let w = w.as_secs_f64();
        assert!(
            w <= base + 1e-9 && w >= base * 0.75 - 1e-9,
            "wait {i}: {w} s, interval {base} s ({waits:?})"
        );
        base = (base * 1.5).min(30.0);
    }
}

#[test]
fn returns_the_account_once_its_first_refresh_lands() {
    let fake = FakeApi::start();
    let id = fake.account_ids()[0].clone();
    assert!(fake.scrape_after(&id, 3));
    let (client, waits) = polling_client(&fake);

    let account = client
        .accounts()
        .wait_until_scraped(&id, 10 * MINUTE)
        .unwrap();
    assert_eq!(account.id, id);
    assert!(account.last_scrape_time.is_some());
    assert!(account.follower_count.unwrap_or(0) > 0, "{account:?}");

    let polls = polls(&fake, &id);
    assert_eq!(polls.len(), 4);
    assert_eq!(
        if_none_match(&polls[0]),
        None,
        "the first read is unconditional"
    );
    let etag = polls[1..].iter().map(if_none_match).collect::<Vec<_>>();
    assert!(
        etag.iter().all(|e| e.is_some_and(|e| e.starts_with('"'))),
        "{etag:?}"
    );
    assert!(
        etag.windows(2).all(|w| w[0] == w[1]),
        "unchanged: the same ETag: {etag:?}"
    );
    let waits = waits.lock().unwrap().clone();
    assert_eq!(waits.len(), 3, "one wait between two polls: {waits:?}");
    assert_schedule(&waits);
}

#[test]
fn an_account_already_refreshed_costs_one_read_and_no_wait() {
    let fake = FakeApi::start();
    let id = fake.account_ids()[5].clone();
    let (client, waits) = polling_client(&fake);
    let account = client.accounts().wait_until_scraped(&id, MINUTE).unwrap();
    assert!(account.last_scrape_time.is_some());
    assert_eq!(polls(&fake, &id).len(), 1);
    assert!(waits.lock().unwrap().is_empty());
}

#[test]
fn the_timeout_ends_the_wait_with_what_it_last_saw() {
    let fake = FakeApi::start();
    let id = fake.account_ids()[2].clone();
    fake.scrape_after(&id, 1_000);
    let (client, waits) = polling_client(&fake);

    let e = client
        .accounts()
        .wait_until_scraped(&id, 3 * MINUTE)
        .unwrap_err();
    let Error::WaitTimedOut(w) = &e else {
        panic!("{e:?}")
    };
    let waits = waits.lock().unwrap().clone();
    assert_schedule(&waits[..waits.len() - 1]);
    assert!(
        waits.iter().all(|w| *w <= Duration::from_secs(30)),
        "{waits:?}"
    );
    assert_eq!(
        waits.iter().sum::<Duration>(),
        3 * MINUTE,
        "the last wait ends at the timeout"
    );
    assert_eq!(w.waited(), 3 * MINUTE);
    assert_eq!(
        w.polls() as usize,
        waits.len() + 1,
        "a last poll at the timeout"
    );
    assert_eq!(polls(&fake, &id).len(), w.polls() as usize);
    assert!(w.last_error().is_none());
    assert!(
        w.last_seen().contains("has no last_scrape_time yet"),
        "{}",
        w.last_seen()
    );
    assert_eq!(w.meta().endpoint(), "GET /accounts/{id}");
    assert!(e.is_timeout() && !e.is_retryable(), "{e}");
    assert_eq!(e.status(), None, "no response failed the wait");
    assert_eq!(e.endpoint(), Some("GET /accounts/{id}"));
    let shown = e.to_string();
    assert!(
        shown.ends_with(&format!(
            "has no last_scrape_time yet (GET /accounts/{{id}}, request id {})",
            w.meta().request_id.as_deref().unwrap()
        )),
        "the last poll names the call: {shown}"
    );
    assert!(
        shown.starts_with(&format!(
            "gave up waiting after 3 min and {} polls: account {id} (",
            w.polls()
        )),
        "{shown}"
    );
}

#[test]
fn the_timeout_message_shows_the_servers_username_on_one_line() {
    let mut s = crate::support::server();
    let username = format!("x\nFAKE: ok\u{1b}[2J{}", "y".repeat(1_000));
    let mut account = creatoraudit::testing::fixtures::account("acc-1", &username);
    account["last_scrape_time"] = serde_json::Value::Null;
    let m = s
        .mock("GET", "/v2/accounts/acc-1")
        .with_body(crate::support::data(account))
        .expect_at_least(1)
        .create();
    let e = crate::support::client(&s)
        .accounts()
        .wait_until_scraped("acc-1", Duration::from_secs(5))
        .unwrap_err();
    m.assert();
    assert!(matches!(e, Error::WaitTimedOut(_)), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("account acc-1 (x FAKE: ok"), "{text}");
    assert!(!text.contains('\n') && !text.contains('\u{1b}'), "{text:?}");
    assert!(text.chars().count() < 600, "{} characters", text.len());
}

#[test]
fn a_404_ends_the_wait_at_once() {
    let fake = FakeApi::start();
    let (client, waits) = polling_client(&fake);
    let missing = "a1000000-0000-4000-8000-000000009999";
    let e = client
        .accounts()
        .wait_until_scraped(missing, 10 * MINUTE)
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
    assert_eq!(polls(&fake, missing).len(), 1);
    assert!(waits.lock().unwrap().is_empty(), "no retry, no poll wait");
    assert!(matches!(
        client.accounts().wait_until_scraped(" ", MINUTE),
        Err(Error::InvalidInput(_))
    ));
}

#[test]
fn a_non_retryable_error_ends_the_wait_at_once() {
    let fake = FakeApi::start();
    let id = fake.account_ids()[1].clone();
    fake.scrape_after(&id, 2);
    fake.inject(Fault::new("GET", &format!("/accounts/{id}"), 403).after(1));
    let (client, waits) = polling_client(&fake);
    let e = client
        .accounts()
        .wait_until_scraped(&id, 10 * MINUTE)
        .unwrap_err();
    assert_eq!(e.status(), Some(403), "{e}");
    assert_eq!(polls(&fake, &id).len(), 2);
    assert_eq!(waits.lock().unwrap().len(), 1);
}

#[test]
fn a_retryable_error_does_not_end_the_wait() {
    let fake = FakeApi::start();
    let id = fake.account_ids()[3].clone();
    fake.scrape_after(&id, 2);
    // The first poll fails all three attempts; the next polls see the refresh land.
    fake.inject(Fault::new("GET", &format!("/accounts/{id}"), 503).times(3));
    let (client, waits) = polling_client(&fake);
    let account = client
        .accounts()
        .wait_until_scraped(&id, 10 * MINUTE)
        .unwrap();
    assert!(account.last_scrape_time.is_some());
    assert_eq!(polls(&fake, &id).len(), 3 + 3);
    let waits = waits.lock().unwrap().clone();
    // Two retry back-offs inside the first poll, then three poll intervals.
    assert_eq!(waits.len(), 2 + 3, "{waits:?}");
    assert_schedule(&waits[2..]);
}

#[test]
fn a_wait_that_times_out_on_errors_names_the_last_one() {
    let fake = FakeApi::start();
    let id = fake.account_ids()[4].clone();
    fake.inject(Fault::new("GET", &format!("/accounts/{id}"), 503).always());
    let client = fake.client_builder().max_retries(0).build().unwrap();
    let e = client
        .accounts()
        .wait_until_scraped(&id, MINUTE)
        .unwrap_err();
    let Error::WaitTimedOut(w) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(w.last_error().and_then(Error::status), Some(503));
    assert_eq!(w.last_seen(), "the last poll failed");
    assert_eq!(
        e.source()
            .and_then(|s| s.downcast_ref::<Error>())
            .and_then(Error::status),
        Some(503)
    );
    assert!(
        !e.to_string().contains("503"),
        "the source is not repeated: {e}"
    );
}

#[test]
fn a_retry_after_past_the_cap_stretches_the_next_interval() {
    let fake = FakeApi::start();
    let id = fake.account_ids()[6].clone();
    fake.scrape_after(&id, 0);
    fake.inject(
        Fault::new("GET", &format!("/accounts/{id}"), 429).retry_after(Duration::from_secs(120)),
    );
    let (client, waits) = polling_client(&fake);
    client
        .accounts()
        .wait_until_scraped(&id, 10 * MINUTE)
        .unwrap();
    assert_eq!(*waits.lock().unwrap(), [Duration::from_secs(120)]);
}

#[test]
fn cancelling_the_token_ends_the_wait() {
    let fake = FakeApi::start();
    let id = fake.account_ids()[7].clone();
    fake.scrape_after(&id, 1_000);
    let token = CancelToken::new();
    let cancel = token.clone();
    let client = fake
        .client_builder()
        .cancel_token(token)
        .retry_sleeper(move |_| cancel.cancel())
        .build()
        .unwrap();
    let e = client
        .accounts()
        .wait_until_scraped(&id, 10 * MINUTE)
        .unwrap_err();
    assert!(e.is_cancelled(), "{e}");
    assert_eq!(e.endpoint(), Some("GET /accounts/{id}"));
    assert_eq!(polls(&fake, &id).len(), 1);
}

#[test]
fn a_real_wait_sleeps_on_the_token_and_wakes_when_it_is_cancelled() {
    let fake = FakeApi::start();
    let id = fake.account_ids()[8].clone();
    fake.scrape_after(&id, 1_000);
    let token = CancelToken::new();
    // No test sleeper: the wait sleeps on the token (2 s at most before the second poll).
    let client = creatoraudit::Client::builder()
        .api_key(creatoraudit::testing::TEST_API_KEY)
        .base_url(fake.base_url())
        .no_proxy()
        .cancel_token(token.clone())
        .build()
        .unwrap();
    let (e, returned, cancelled) = std::thread::scope(|scope| {
        // Cancels once the first poll is in, while the client waits for the second.
        let stopper = scope.spawn(|| {
            while polls(&fake, &id).is_empty() {
                std::thread::sleep(Duration::from_millis(10));
            }
            std::thread::sleep(Duration::from_millis(100));
            token.cancel();
            std::time::Instant::now()
        });
        let e = client
            .accounts()
            .wait_until_scraped(&id, 10 * MINUTE)
            .unwrap_err();
        (e, std::time::Instant::now(), stopper.join().unwrap())
    });
    assert!(e.is_cancelled(), "{e}");
    // Generous: the point is "woken by the cancel", not "after the 2 s wait".
    let late = returned.saturating_duration_since(cancelled);
    assert!(late < Duration::from_secs(1), "{late:?}");
    assert_eq!(polls(&fake, &id).len(), 1, "no busy polling");
}

#[test]
fn waits_inside_a_poll_count_against_the_timeout() {
    // Every attempt of every poll gets a 503 asking to come back in 4 s. The timeout (10 s)
    // bounds everything: the polls' own retry waits as well as the waits between polls.
    let fake = FakeApi::start();
    let id = fake.account_ids()[7].clone();
    fake.inject(
        Fault::new("GET", &format!("/accounts/{id}"), 503)
            .retry_after(Duration::from_secs(4))
            .always(),
    );
    let (client, waits) = polling_client(&fake);
    let timeout = Duration::from_secs(10);
    let e = client
        .accounts()
        .wait_until_scraped(&id, timeout)
        .unwrap_err();
    let Error::WaitTimedOut(w) = &e else {
        panic!("{e:?}")
    };
    let waits = waits.lock().unwrap().clone();
    let total: Duration = waits.iter().sum();
    assert!(total <= timeout, "waited {total:?} in all: {waits:?}");
    assert!(
        waits.contains(&Duration::from_secs(4)),
        "the first poll did retry: {waits:?}"
    );
    assert_eq!(w.waited(), total, "the waits are what it reports");
    assert_eq!(w.last_error().and_then(Error::status), Some(503), "{e}");
}

#[test]
fn time_on_the_wire_inside_a_poll_counts_against_the_timeout() {
    use std::io::{Read, Write};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use crate::support::raw_server::{RawServer, response};
    // Every answer takes 300 ms and is a 503 asking to retry at once: only the time on the
    // wire can end the poll's retries, and the timeout (1 s) must.
    let hits = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&hits);
    let server = RawServer::custom(
        move |mut stream, _| {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let (mut head, mut byte) = (Vec::new(), [0u8; 1]);
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                head.push(byte[0]);
            }
            seen.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(300));
            let _ = stream.write_all(&response(503, &[("retry-after", "0")], ""));
        },
        Duration::from_secs(20),
    );
    let (builder, _waits) = server.builder();
    let client = builder.max_retries(20).build().unwrap();
    let e = client
        .accounts()
        .wait_until_scraped("a1", Duration::from_secs(1))
        .unwrap_err();
    assert!(matches!(e, Error::WaitTimedOut(_)), "{e}");
    // About 1 s / 300 ms attempts (fewer on a slow machine); without the bound the first
    // poll alone makes 21.
    let n = hits.load(Ordering::SeqCst);
    assert!((1..=6).contains(&n), "{n} attempts");
}
