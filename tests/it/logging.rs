//! The SDK's log records (feature `log`): one `debug` per attempt, one `info` per wait,
//! target `creatoraudit`, never the key, a query value or a body. The capturing logger is
//! in `support::logger`; it is installed for every test and fails any whose call logs the
//! key.

use log::Level;
use serde_json::Value;

use crate::support::logger::{self, Captured};
use crate::support::{KEY, PROBLEM_JSON, client, data, problem, server};

#[test]
fn a_retried_call_logs_every_attempt_and_wait_without_the_key() {
    logger::install();
    let mut s = server();
    let failing = s
        .mock("GET", "/v2/log-story")
        .match_query(mockito::Matcher::Any)
        .with_status(503)
        .with_header("content-type", PROBLEM_JSON)
        .with_header("x-request-id", "req_log_1")
        .with_header("retry-after", "1")
        .with_body(problem(
            503,
            "SERVICE_UNAVAILABLE",
            "Try later.",
            "req_log_1",
        ))
        .expect(1)
        .create();
    let ok = s
        .mock("GET", "/v2/log-story")
        .match_query(mockito::Matcher::Any)
        .with_header("x-request-id", "req_log_2")
        .with_body(data(serde_json::json!({"ok": true})))
        .expect(1)
        .create();
    let _: Value = client(&s)
        .request("GET", "/log-story", &[("q", "secret-query-value")], None)
        .unwrap();
    failing.assert();
    ok.assert();

    let ours = logger::mine(|r| r.message.starts_with("GET /log-story:"));
    let shown: Vec<(Level, &str)> = ours.iter().map(|r| (r.level, r.message.as_str())).collect();
    assert_eq!(ours.len(), 3, "{shown:#?}");
    for r in &ours {
        assert_eq!(r.target, "creatoraudit");
        assert!(!r.message.contains("secret-query-value"), "{}", r.message);
        assert!(!r.message.contains(KEY), "{}", r.message);
    }
    let [first, wait, second] = [&ours[0], &ours[1], &ours[2]];
    assert_eq!(first.level, Level::Debug);
    assert!(
        first
            .message
            .starts_with("GET /log-story: attempt 1 -> 503 Service Unavailable in ")
            && first.message.ends_with(" (request id req_log_1)"),
        "{}",
        first.message
    );
    assert_eq!(wait.level, Level::Info);
    assert_eq!(
        wait.message,
        "GET /log-story: retrying in 1 s (Retry-After) after 503, request id req_log_1"
    );
    assert_eq!(second.level, Level::Debug);
    assert!(
        second
            .message
            .starts_with("GET /log-story: attempt 2 -> 200 OK in ")
            && second.message.ends_with(" (request id req_log_2)"),
        "{}",
        second.message
    );
}

#[test]
fn a_request_id_from_a_body_is_logged_as_one_bounded_line() {
    logger::install();
    let mut s = server();
    let forged = format!("req\nFAKE: forged record\u{1b}[2J{}", "x".repeat(5_000));
    let m = s
        .mock("GET", "/v2/log-forged-id")
        .with_status(500)
        .with_header("content-type", PROBLEM_JSON)
        .with_body(serde_json::json!({"title": "Oops", "request_id": forged}).to_string())
        .expect(3)
        .create();
    let e = client(&s)
        .request::<Value>("GET", "/log-forged-id", &[], None)
        .unwrap_err();
    m.assert();
    assert_eq!(e.status(), Some(500));
    let ours = logger::mine(|r| r.message.starts_with("GET /log-forged-id:"));
    // Three attempts, two waits: every one names the request id, on one short line.
    assert_eq!(
        ours.len(),
        5,
        "{:#?}",
        ours.iter().map(|r| &r.message).collect::<Vec<_>>()
    );
    for r in &ours {
        assert!(
            r.message.contains("request id req FAKE: forged record"),
            "{}",
            r.message
        );
        assert!(
            !r.message.contains('\n') && !r.message.contains('\u{1b}'),
            "{:?}",
            r.message
        );
        assert!(
            r.message.chars().count() < 250,
            "{} characters",
            r.message.len()
        );
    }
}

#[test]
fn no_record_is_an_error_and_none_carries_the_key() {
    logger::install();
    let mut s = server();
    s.mock("GET", "/v2/whoami").with_status(401).create();
    let _ = client(&s).whoami().unwrap_err();
    // This test's call: one attempt (a 401 is not retried), so one record.
    let all: Vec<Captured> = logger::mine(|_| true);
    assert_eq!(all.len(), 1, "{all:#?}");
    for r in &all {
        assert!(matches!(r.level, Level::Debug | Level::Info), "{r:?}");
        assert!(!r.message.contains(KEY), "{r:?}");
        assert!(
            !r.message.to_ascii_lowercase().contains("authorization"),
            "{r:?}"
        );
    }
}

#[test]
fn a_pacing_wait_is_logged_at_info_before_the_attempt_it_delays() {
    logger::install();
    let mut s = server();
    let reset = crate::support::time::unix_now() + 2;
    let m = s
        .mock("GET", "/v2/pacing-log")
        .with_header("x-ratelimit-limit", "10")
        .with_header("x-ratelimit-remaining", "0")
        .with_header("x-ratelimit-reset", &reset.to_string())
        .with_body(data(serde_json::json!({"ok": true})))
        .expect(2)
        .create();
    let c = client(&s);
    for _ in 0..2 {
        let _: Value = c.request("GET", "/pacing-log", &[], None).unwrap();
    }
    m.assert();
    let ours = logger::mine(|r| r.message.starts_with("GET /pacing-log:"));
    let levels: Vec<Level> = ours.iter().map(|r| r.level).collect();
    assert_eq!(
        levels,
        [Level::Debug, Level::Info, Level::Debug],
        "{ours:#?}"
    );
    let wait = &ours[1].message;
    assert!(
        wait.starts_with("GET /pacing-log: waiting ")
            && wait.ends_with(" before sending (pacing: the rate-limit budget is spent)"),
        "{wait}"
    );
}

#[test]
fn the_waits_between_polls_are_logged_at_info() {
    use creatoraudit::testing::FakeApi;

    logger::install();
    let fake = FakeApi::start();
    let id = fake.account_ids()[9].clone();
    fake.scrape_after(&id, 2);
    fake.client()
        .accounts()
        .wait_until_scraped(&id, std::time::Duration::from_secs(600))
        .unwrap();
    for poll in [1, 2] {
        let tail = format!(" (after poll {poll}: not there yet)");
        let found = logger::mine(|r| {
            r.message
                .starts_with("GET /accounts/{id}: polling again in ")
                && r.message.ends_with(&tail)
        });
        assert_eq!(found.len(), 1, "one record for the wait after poll {poll}");
        assert!(
            found
                .iter()
                .all(|r| r.level == Level::Info && r.target == "creatoraudit")
        );
        assert!(
            found.iter().all(|r| !r.message.contains(&id)),
            "no id in a record"
        );
    }
}
