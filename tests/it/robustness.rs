//! Decoder robustness: tens of thousands of generated and mutated response bodies and headers
//! (problem documents, single-resource envelopes, list pages) go through the SDK's public
//! calls, and none may panic, hang or loop. Every call must come back `Ok` or a typed `Err`.
//!
//! The responses are served in order by the keep-alive raw server (`support::raw_server`), so
//! one case costs one local round trip. The generators and the oracle are in `support::generators`.
//! Generation is deterministic: on a failure the test prints the seed and the case number, and
//!
//! ```text
//! ROBUSTNESS_SEED=0x... ROBUSTNESS_CASE=1234 cargo test --all-features --test it -- robustness::<test name>
//! ```
//!
//! replays that one case. `ROBUSTNESS_CASES=200000` runs more cases per test.
//!
//! The fuzz targets in `fuzz/` cover the same decoders without HTTP (through
//! `creatoraudit::__fuzz`); these go through the public calls and a real socket, on purpose.

use std::collections::HashSet;

use creatoraudit::{
    Account, Conditional, Error, ListAccounts, NewVideo, Page, Platform, Video, Whoami,
};
use serde_json::{Value, json};

use crate::support::generators::{
    Expect, Tally, cursor_of, envelope, expect, mutated_resource, problem_doc, random_headers,
    random_page, run_cases, serialize,
};
use crate::support::raw_server::{Canned, RawServer};
use crate::support::{full_account, full_video};

#[test]
fn problem_documents_never_panic() {
    let server = RawServer::keep_alive();
    let once = server.client_with_retries(0);
    let retrying = server.client_with_retries(2);
    let statuses: Vec<u16> = [
        400, 401, 403, 404, 405, 406, 408, 409, 410, 413, 415, 418, 422, 429, 451, 499, 500, 501,
        502, 503, 504, 599,
    ]
    .to_vec();
    let mut tally = Tally::default();
    run_cases("problem_documents_never_panic", 8_000, |rng| {
        let status = *rng.pick(&statuses);
        let doc = problem_doc(rng, status);
        let (body, damaged) = serialize(rng, &doc, 40);
        let mut canned = Canned::new(status, body.clone());
        canned.headers = random_headers(rng);

        if rng.chance(80) {
            server.set([canned]);
            let err = once.whoami().expect_err("an error status is an error");
            let Error::Api(problem) = &err else {
                panic!("status {status} gave {err:?}");
            };
            assert_eq!(problem.status, status);
            assert_eq!(problem.meta.attempts, 1);
            tally.add(
                if problem.type_uri == "about:blank" && problem.extensions.is_empty() {
                    "status-derived problem"
                } else {
                    "problem from the body"
                },
            );
            if problem.retry_after.is_some() {
                tally.add("retry_after read");
            }
            if !damaged {
                // Each member is the body's when it is a string that says something (not
                // empty) in a problem document, the status's fallback if not.
                let members = ["type", "title", "detail", "code"];
                let is_problem = members.iter().any(|m| doc.get(m).is_some());
                let text = |name: &str| match doc.get(name) {
                    Some(Value::String(v)) if is_problem && !v.is_empty() => Some(v.as_str()),
                    _ => None,
                };
                match text("title") {
                    Some(title) => assert_eq!(problem.title, title),
                    None => assert!(!problem.title.is_empty()),
                }
                match text("type") {
                    Some(t) => assert_eq!(problem.type_uri, t),
                    None => assert_eq!(problem.type_uri, "about:blank"),
                }
                match text("code") {
                    Some(code) => assert_eq!(problem.code.as_str(), code),
                    None => assert_eq!(problem.code, creatoraudit::ErrorCode::from_status(status)),
                }
            }
            let shown = err.to_string();
            assert!(shown.starts_with(&format!("[{status} ")), "{shown}");
            let _ = (
                err.is_retryable(),
                err.retry_after(),
                err.code(),
                err.request_id(),
            );
            if damaged || !doc.is_object() {
                // Not a problem document: the detail is a bounded one-line snippet.
                if !matches!(serde_json::from_slice::<Value>(&body), Ok(Value::Object(_))) {
                    // A 404 page is not the API's: the detail says so before the snippet.
                    let snippet = match problem.detail.split_once("; it said: ") {
                        Some((why, page)) if status == 404 => {
                            assert!(why.contains("check base_url"), "{why}");
                            page
                        }
                        _ => problem.detail.as_str(),
                    };
                    assert!(snippet.chars().count() <= 257, "{}", problem.detail);
                    assert!(!problem.detail.contains('\n'));
                }
            } else if let Some(Value::String(detail)) = doc.get("detail") {
                assert_eq!(&problem.detail, detail);
            }
        } else {
            // Through the retry loop: up to three error responses, each maybe retried.
            let more: Vec<Canned> = (0..2)
                .map(|_| {
                    let status = *rng.pick(&statuses);
                    let mut c = Canned::json(status, &problem_doc(rng, status));
                    c.headers = random_headers(rng);
                    c
                })
                .collect();
            let served: Vec<u16> = std::iter::once(status)
                .chain(more.iter().map(|c| c.status))
                .collect();
            server.set(std::iter::once(canned).chain(more));
            let err = retrying
                .whoami()
                .expect_err("only error statuses were served");
            let attempts = err.attempts().expect("attempts") as usize;
            assert!((1..=3).contains(&attempts), "{attempts}");
            assert_eq!(server.targets().len(), attempts);
            assert_eq!(err.status(), Some(served[attempts - 1]), "{err:?}");
            tally.add(if attempts > 1 {
                "retried"
            } else {
                "not retried"
            });
        }
    });
    tally.assert_reached(
        &[
            "status-derived problem",
            "problem from the body",
            "retry_after read",
            "retried",
            "not retried",
        ],
        50,
    );
}

#[test]
fn resource_envelopes_never_panic() {
    let server = RawServer::keep_alive();
    let client = server.client_with_retries(0);
    let mut tally = Tally::default();
    run_cases("resource_envelopes_never_panic", 8_000, |rng| {
        let which = rng.below(5);
        let (inner, changed) = match which {
            0 | 1 => mutated_resource(rng, full_account("acc_1", "khaby.lame"), 60),
            2 => mutated_resource(rng, full_video("vid_1"), 60),
            _ => mutated_resource(
                rng,
                json!({"organization_id": "org_1", "api_key_name": "ci"}),
                60,
            ),
        };
        let (doc, real_envelope) = envelope(rng, inner);
        let (body, damaged) = serialize(rng, &doc, 30);
        let status = *rng.pick(&[200, 200, 200, 201, 202, 203, 204, 206]);
        let mut canned = Canned::new(status, body);
        canned.headers = random_headers(rng);
        // Nothing was broken: the call must succeed.
        let pristine = real_envelope && !changed && !damaged && status != 204;
        server.set([canned]);

        fn check<T>(result: &Result<T, Error>, pristine: bool, status: u16) -> &'static str {
            match result {
                Ok(_) => "decoded",
                Err(Error::Decode(d)) => {
                    assert!(!pristine, "a valid body failed to decode: {d:?}");
                    assert_eq!(d.meta().status, Some(status));
                    assert!(d.snippet().chars().count() <= 257);
                    "decode error"
                }
                Err(other) => panic!("status {status} gave {other:?}"),
            }
        }
        match which {
            0 => {
                let r: Result<Account, Error> = client.accounts().get("acc_1");
                tally.add(check(&r, pristine, status));
                if pristine {
                    assert_eq!(r.unwrap().id, "acc_1");
                }
            }
            1 => {
                // A conditional read: a 304 instead of the body, sometimes.
                if rng.chance(30) {
                    server.set([Canned::new(304, Vec::new())]);
                    let r = client.accounts().get_if_none_match("acc_1", "\"e\"");
                    assert!(matches!(r, Ok(Conditional::NotModified { .. })), "{r:?}");
                    tally.add("not modified");
                } else {
                    let r = client.accounts().get_if_none_match("acc_1", "\"e\"");
                    tally.add(check(&r, pristine, status));
                    if let Ok(c) = r {
                        assert!(!c.is_not_modified());
                    }
                }
            }
            2 => {
                let r: Result<Video, Error> = client
                    .videos()
                    .create(&NewVideo::new(Platform::Instagram, "C8xYzAbCdEf"));
                tally.add(check(&r, pristine, status));
                if pristine {
                    assert_eq!(r.unwrap().id, "vid_1");
                }
            }
            3 => {
                let r: Result<Whoami, Error> = client.whoami();
                tally.add(check(&r, pristine, status));
                if pristine {
                    assert_eq!(r.unwrap().organization_id, "org_1");
                }
            }
            _ => {
                let r: Result<Value, Error> = client.request("GET", "/anything", &[], None);
                tally.add(check(&r, false, status));
                if !damaged && status != 204 {
                    assert_eq!(r.unwrap(), doc);
                }
            }
        }
        if pristine {
            tally.add("valid body");
        }
    });
    tally.assert_reached(
        &["decoded", "decode error", "not modified", "valid body"],
        200,
    );
}

#[test]
fn list_pages_follow_the_contract_and_never_loop() {
    let server = RawServer::keep_alive();
    let client = server.client_with_retries(0);
    let mut bodies = 0usize;
    let mut tally = Tally::default();
    run_cases(
        "list_pages_follow_the_contract_and_never_loop",
        1_500,
        |rng| {
            // Well-formed JSON with random members: the outcome is predicted exactly.
            let count = 1 + rng.below(6);
            let mut cursors = Vec::new();
            let pages: Vec<Value> = (0..count)
                .map(|_| {
                    let page = random_page(rng, &cursors);
                    if let Some(Value::String(c)) = page.pointer("/pagination/next_cursor") {
                        cursors.push(c.clone());
                    }
                    page
                })
                .collect();
            bodies += pages.len();
            server.set(pages.iter().map(|p| Canned::json(200, p)));

            let mut walk = client.paginate::<Value>("/things", &[]).pages();
            let mut seen = HashSet::new();
            let mut previous_cursor: Option<String> = None;
            let mut served = 0;
            loop {
                let result = walk.next();
                let Some(page_body) = pages.get(served) else {
                    // The server's queue is empty: it answers 404.
                    assert!(
                        matches!(&result, Some(Err(e)) if e.status() == Some(404)),
                        "{result:?}"
                    );
                    tally.add("ran out of pages");
                    break;
                };
                served += 1;
                let targets = server.targets();
                assert_eq!(targets.len(), served, "one request per page");
                assert_eq!(
                    cursor_of(&targets[served - 1]),
                    previous_cursor,
                    "cursor sent verbatim"
                );
                let page: Page<Value> = match (expect(page_body, &seen), result) {
                    (Expect::Undecodable, Some(Err(Error::Decode(_)))) => {
                        tally.add("decode error");
                        break;
                    }
                    (Expect::Undecodable, other) => {
                        panic!("expected a decode error for {page_body}: {other:?}")
                    }
                    (_, Some(Ok(page))) => page,
                    (_, other) => panic!("expected a page for {page_body}, got {other:?}"),
                };
                match expect(page_body, &seen) {
                    Expect::Last(items) => {
                        assert_eq!(page.items, items);
                        assert!(!page.has_next);
                        assert!(walk.next().is_none(), "a last page ends the walk");
                        tally.add("last page");
                        break;
                    }
                    Expect::PageThenBroken(items) => {
                        assert_eq!(page.items, items);
                        let next = walk.next();
                        assert!(
                            matches!(next, Some(Err(Error::Pagination { .. }))),
                            "{next:?}"
                        );
                        tally.add(match page.next_cursor.as_deref() {
                            None | Some("") => "has_next without a cursor",
                            Some(_) => "repeated cursor",
                        });
                        break;
                    }
                    Expect::Next(items, cursor) => {
                        assert_eq!(page.items, items);
                        assert_eq!(page.next_cursor.as_deref(), Some(cursor.as_str()));
                        seen.insert(cursor.clone());
                        previous_cursor = Some(cursor);
                        tally.add("next page");
                    }
                    Expect::Undecodable => unreachable!(),
                }
            }
            // After the end, or after an error, the walk is over and asks for nothing more.
            let requests = server.targets().len();
            assert!(walk.next().is_none());
            assert!(walk.next().is_none());
            assert_eq!(server.targets().len(), requests);
            assert!(
                requests <= pages.len() + 1,
                "{requests} requests for {count} pages"
            );
        },
    );
    eprintln!("list pages: {bodies} page bodies");
    tally.assert_reached(
        &[
            "next page",
            "last page",
            "has_next without a cursor",
            "repeated cursor",
            "decode error",
            "ran out of pages",
        ],
        30,
    );
}

#[test]
fn damaged_list_pages_never_panic_or_loop() {
    let server = RawServer::keep_alive();
    let client = server.client_with_retries(0);
    let mut tally = Tally::default();
    run_cases("damaged_list_pages_never_panic_or_loop", 1_500, |rng| {
        let count = 1 + rng.below(5);
        let mut cursors = Vec::new();
        let pages: Vec<Canned> = (0..count)
            .map(|_| {
                let items: Vec<Value> = (0..rng.below(4))
                    .map(|i| {
                        let account = full_account(&format!("acc_{i}"), "u");
                        mutated_resource(rng, account, 20).0
                    })
                    .collect();
                let mut page = random_page(rng, &cursors);
                if page["data"].is_array() {
                    page["data"] = Value::Array(items);
                }
                if rng.chance(3) {
                    // Longer than a URI may be: the next request cannot even be built.
                    page["pagination"] =
                        json!({"has_next": true, "next_cursor": "c".repeat(70_000)});
                }
                if let Some(Value::String(c)) = page.pointer("/pagination/next_cursor") {
                    cursors.push(c.clone());
                }
                let (body, _) = serialize(rng, &page, 40);
                let status = if rng.chance(5) { 503 } else { 200 };
                let mut canned = Canned::new(status, body);
                canned.headers = random_headers(rng);
                canned
            })
            .collect();
        server.set(pages);

        // Item by item, bounded, through the typed listing.
        let mut accounts = client.accounts().list(ListAccounts::new().limit(50));
        let mut errors = 0;
        for item in accounts.by_ref().take(50) {
            match item {
                Ok(_) => tally.add("item"),
                Err(e) => {
                    errors += 1;
                    tally.add(match e {
                        Error::Decode(_) => "decode error",
                        Error::Pagination { .. } => "pagination error",
                        Error::Api(_) => "api error",
                        // Only the 70 000-character cursor: no request can carry it.
                        Error::InvalidInput(msg) if msg.contains("URL would be") => {
                            "unsendable cursor"
                        }
                        other => panic!("unexpected error from a walk: {other:?}"),
                    });
                }
            }
        }
        assert!(errors <= 1, "{errors} errors from one walk");
        if errors == 1 {
            assert!(accounts.next().is_none(), "an error ends the walk");
        }
        let requests = server.targets().len();
        assert!(
            requests <= count + 1,
            "{requests} requests for {count} pages"
        );
        for target in server.targets() {
            assert!(target.starts_with("/v2/accounts?"), "{target}");
            assert!(target.contains("limit=50"), "{target}");
        }
    });
    tally.assert_reached(
        &[
            "item",
            "decode error",
            "pagination error",
            "api error",
            "unsendable cursor",
        ],
        30,
    );
}

#[test]
fn a_rate_limit_reset_past_the_end_of_time_does_not_panic() {
    let server = RawServer::keep_alive();
    let client = server.client_with_retries(0);
    let mut canned = Canned::json(429, &json!({"title": "Too Many Requests"}));
    for (name, value) in [
        ("X-RateLimit-Limit", "100"),
        ("X-RateLimit-Remaining", "0"),
        ("X-RateLimit-Reset", "18446744073709551615"),
    ] {
        canned
            .headers
            .push((name.into(), value.as_bytes().to_vec()));
    }
    server.set([canned]);
    let err = client.whoami().expect_err("a 429");
    assert!(err.is_rate_limited());
    let rate_limit = client.rate_limit().expect("the snapshot is kept");
    assert_eq!(rate_limit.reset, u64::MAX);
    let _ = (rate_limit.reset_at(), rate_limit.resets_in());
}
