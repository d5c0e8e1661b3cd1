//! Walking listings: lazy, cursor verbatim, filters resent, guards against broken servers.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::support::{client, page, problem, query, server};
use creatoraudit::testing::fixtures;
use creatoraudit::{AccountOrder, Error, ListAccounts, OrderDirection, Platform};
use mockito::Matcher;
use serde_json::{Value, json};

const FILTERS: &str =
    "platform=tiktok&is_active=true&order_by=follower_count&order_direction=desc&limit=2";

const WITH_TOTAL: &str = "platform=tiktok&is_active=true&order_by=follower_count&order_direction=desc&include_total=true&limit=2";

fn params() -> ListAccounts {
    ListAccounts::new()
        .platform(Platform::TikTok)
        .is_active(true)
        .order_by(AccountOrder::FollowerCount)
        .order_direction(OrderDirection::Desc)
        .limit(2)
}

fn accounts(ids: &[&str]) -> Vec<Value> {
    ids.iter()
        .map(|id| fixtures::account(id, &format!("user_{id}")))
        .collect()
}

#[test]
fn three_pages_resend_filters_and_pass_the_cursor_verbatim() {
    let mut s = server();
    // An opaque cursor with characters that need encoding: it must come back byte for byte.
    let c1 = "eyJpZCI6IjIifQ==/+?&";
    let c2 = "cursor two";
    let p1 = s
        .mock("GET", "/v2/accounts")
        .match_query(query(FILTERS))
        .with_body(page(accounts(&["1", "2"]), Some(c1), true, 2))
        .expect(1)
        .create();
    let p2 = s
        .mock("GET", "/v2/accounts")
        .match_query(query(&format!(
            "{FILTERS}&cursor=eyJpZCI6IjIifQ%3D%3D%2F%2B%3F%26"
        )))
        .with_body(page(accounts(&["3", "4"]), Some(c2), true, 2))
        .expect(1)
        .create();
    let p3 = s
        .mock("GET", "/v2/accounts")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("cursor".into(), c2.into()),
            Matcher::UrlEncoded("platform".into(), "tiktok".into()),
            Matcher::UrlEncoded("order_by".into(), "follower_count".into()),
            Matcher::UrlEncoded("limit".into(), "2".into()),
        ]))
        .with_body(page(accounts(&["5"]), None, false, 2))
        .expect(1)
        .create();

    let client = client(&s);
    let ids: Vec<String> = client
        .accounts()
        .list(params())
        .map(|a| a.unwrap().id)
        .collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    p1.assert();
    p2.assert();
    p3.assert();
}

#[test]
fn nothing_is_requested_until_the_first_item_is_asked_for() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/accounts")
        .match_query(Matcher::Any)
        .with_body(page(accounts(&["1"]), None, false, 200))
        .expect(1)
        .create();
    let mut walk = client(&s).accounts().list(ListAccounts::new());
    assert!(!m.matched(), "a paginator must be lazy");
    assert_eq!(walk.next().unwrap().unwrap().id, "1");
    assert!(walk.next().is_none());
    assert!(walk.next().is_none());
    m.assert();
}

#[test]
fn default_limit_is_the_maximum() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/accounts")
        .match_query(query("limit=200"))
        .with_body(page(vec![], None, false, 200))
        .create();
    assert_eq!(client(&s).accounts().list(ListAccounts::new()).count(), 0);
    m.assert();
}

#[test]
fn has_next_without_cursor_ends_with_an_error_after_the_items() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/accounts")
        .match_query(Matcher::Any)
        .with_body(page(accounts(&["1", "2"]), None, true, 2))
        .expect(1)
        .create();
    let out: Vec<_> = client(&s).accounts().list(ListAccounts::new()).collect();
    m.assert();
    assert_eq!(out.len(), 3, "two items, then the error, then nothing");
    assert_eq!(out[1].as_ref().unwrap().id, "2");
    let err = out[2].as_ref().unwrap_err();
    assert!(
        matches!(err, Error::Pagination { reason, .. } if reason.contains("next_cursor")),
        "{err}"
    );
    assert_eq!(err.endpoint(), Some("GET /accounts"));
    assert!(err.to_string().ends_with("(GET /accounts)"), "{err}");
}

#[test]
fn a_repeated_cursor_ends_the_walk_instead_of_looping() {
    let mut s = server();
    let first = s
        .mock("GET", "/v2/accounts")
        .match_query(query("limit=200"))
        .with_body(page(accounts(&["1"]), Some("A"), true, 200))
        .expect(1)
        .create();
    let a = s
        .mock("GET", "/v2/accounts")
        .match_query(query("limit=200&cursor=A"))
        .with_body(page(accounts(&["2"]), Some("B"), true, 200))
        .expect(1)
        .create();
    let b = s
        .mock("GET", "/v2/accounts")
        .match_query(query("limit=200&cursor=B"))
        .with_body(page(accounts(&["3"]), Some("A"), true, 200))
        .expect(1)
        .create();
    let mut walk = client(&s).accounts().list(ListAccounts::new());
    let ids: Vec<_> = walk.by_ref().take(3).map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    let err = walk.next().unwrap().unwrap_err();
    assert!(
        matches!(err, Error::Pagination { ref reason, .. } if reason.contains("already given")),
        "{err}"
    );
    // The cursor is a query value: errors name calls by their template, never their data.
    assert!(!err.to_string().contains("\"A\""), "{err}");
    assert_eq!(err.endpoint(), Some("GET /accounts"));
    assert!(walk.next().is_none(), "fused after an error");
    first.assert();
    a.assert();
    b.assert();
}

#[test]
fn an_error_mid_walk_is_yielded_once_and_the_cursor_to_resume_from_is_kept() {
    let mut s = server();
    s.mock("GET", "/v2/accounts")
        .match_query(query("limit=200"))
        .with_body(page(accounts(&["1", "2"]), Some("next page"), true, 200))
        .create();
    let failing = s
        .mock("GET", "/v2/accounts")
        .match_query(query("limit=200&cursor=next%20page"))
        .with_status(404)
        .with_body(problem(404, "NOT_FOUND", "gone", "req_1"))
        .expect(1)
        .create();
    let mut walk = client(&s).accounts().list(ListAccounts::new());
    assert_eq!(
        walk.resume_cursor(),
        None,
        "nothing fetched yet: start over"
    );
    assert_eq!(walk.next().unwrap().unwrap().id, "1");
    // Item 2 is still buffered: resuming now must not lose it, so the first page's cursor
    // (none: the start) is the one to resume from.
    assert_eq!(walk.resume_cursor(), None);
    assert_eq!(walk.next().unwrap().unwrap().id, "2");
    assert_eq!(walk.resume_cursor(), Some("next page"));
    assert!(walk.next().unwrap().unwrap_err().is_not_found());
    assert!(walk.next().is_none());
    assert_eq!(walk.resume_cursor(), Some("next page"));
    failing.assert();
}

#[test]
fn a_walk_resumes_from_a_saved_cursor() {
    let mut s = server();
    let first = s
        .mock("GET", "/v2/accounts")
        .match_query(query("limit=200"))
        .expect(0)
        .create();
    let resumed = s
        .mock("GET", "/v2/accounts")
        .match_query(query("limit=200&cursor=saved"))
        .with_body(page(accounts(&["7"]), None, false, 200))
        .expect(1)
        .create();
    let walk = client(&s)
        .accounts()
        .list(ListAccounts::new())
        .resume_from("saved");
    let ids: Vec<_> = walk.map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["7"]);
    first.assert();
    resumed.assert();
}

#[test]
fn an_empty_saved_cursor_starts_the_walk_from_the_beginning() {
    let mut s = server();
    let from_the_start = s
        .mock("GET", "/v2/accounts")
        .match_query(Matcher::Exact("limit=200".into()))
        .with_body(page(accounts(&["1"]), None, false, 200))
        .expect(1)
        .create();
    let walk = client(&s)
        .accounts()
        .list(ListAccounts::new())
        .resume_from("");
    let ids: Vec<_> = walk.map(|r| r.unwrap().id).collect();
    assert_eq!(ids, ["1"]);
    from_the_start.assert();
}

#[test]
fn resume_from_on_a_walk_under_way_starts_it_over_at_that_cursor() {
    // Three pages: [1, 2] -> c2: [3] -> c3: [4], the last.
    let mut s = server();
    let mut mock = |q: &str, ids: &[&str], next: Option<&str>, hits: usize| {
        s.mock("GET", "/v2/accounts")
            .match_query(Matcher::Exact(q.into()))
            .with_body(page(accounts(ids), next, next.is_some(), 200))
            .expect(hits)
            .create()
    };
    let first = mock("limit=200", &["1", "2"], Some("c2"), 5);
    let second = mock("limit=200&cursor=c2", &["3"], Some("c3"), 4);
    let last = mock("limit=200&cursor=c3", &["4"], None, 4);
    let c = client(&s);
    let ids = |walk: &mut creatoraudit::Paginator<creatoraudit::Account>, n: usize| {
        walk.take(n).map(|r| r.unwrap().id).collect::<Vec<_>>()
    };

    // After pages 1 and 2: from the start, without the last cursor sent.
    let mut walk = c.accounts().list(ListAccounts::new());
    assert_eq!(ids(&mut walk, 3), ["1", "2", "3"]);
    let mut walk = walk.resume_from("");
    assert_eq!(ids(&mut walk, 9), ["1", "2", "3", "4"]);
    // From a cursor the walk has seen: not taken for a server that cycles.
    let mut walk = walk.resume_from("c2");
    assert_eq!(ids(&mut walk, 9), ["3", "4"]);
    assert_eq!(walk.checkpoint().cursor(), Some("c3"));
    // Mid-page, the buffered items are dropped: the walk goes on from the cursor's page.
    let mut walk = c.accounts().list(ListAccounts::new());
    assert_eq!(ids(&mut walk, 1), ["1"]);
    let mut walk = walk.resume_from("c3");
    assert_eq!(ids(&mut walk, 9), ["4"]);
    // A walk that ended starts again too; max_items still counts what it yielded.
    let mut walk = c.accounts().list(ListAccounts::new()).max_items(5);
    assert_eq!(ids(&mut walk, 9), ["1", "2", "3", "4"]);
    let mut walk = walk.resume_from("");
    assert_eq!(ids(&mut walk, 9), ["1"]);
    first.assert();
    second.assert();
    last.assert();
}

#[test]
fn pages_expose_page_level_fields() {
    let mut s = server();
    let body = json!({
        "data": accounts(&["1", "2"]),
        "pagination": {"next_cursor": "c2", "has_next": true, "limit": 2, "total_count": 3},
        "filters": {"platform": "tiktok", "order_by": "follower_count"}
    });
    s.mock("GET", "/v2/accounts")
        .match_query(query(WITH_TOTAL))
        .with_header("x-request-id", "req_p1")
        .with_body(body.to_string())
        .create();
    s.mock("GET", "/v2/accounts")
        .match_query(query(&format!("{WITH_TOTAL}&cursor=c2")))
        .with_body(page(accounts(&["3"]), None, false, 2))
        .create();
    let mut pages = client(&s)
        .accounts()
        .list(params().include_total(true))
        .pages();
    let p1 = pages.next().unwrap().unwrap();
    assert_eq!(p1.items.len(), 2);
    assert_eq!(p1.next_cursor.as_deref(), Some("c2"));
    assert!(p1.has_next);
    assert_eq!(p1.limit, 2);
    assert_eq!(p1.total_count, Some(3));
    assert_eq!(p1.filters["platform"], "tiktok");
    assert_eq!(p1.meta.request_id.as_deref(), Some("req_p1"));
    assert_eq!(pages.resume_cursor(), Some("c2"));
    let p2 = pages.next().unwrap().unwrap();
    assert_eq!(p2.items[0].id, "3");
    assert!(!p2.has_next);
    assert!(pages.next().is_none());
    assert_eq!(pages.resume_cursor(), None, "complete");
}

#[test]
fn max_items_stops_without_fetching_more_pages() {
    let mut s = server();
    let p1 = s
        .mock("GET", "/v2/accounts")
        .match_query(query("limit=2"))
        .with_body(page(accounts(&["1", "2"]), Some("c"), true, 2))
        .expect(1)
        .create();
    let p2 = s
        .mock("GET", "/v2/accounts")
        .match_query(query("limit=2&cursor=c"))
        .expect(0)
        .create();
    let walk = client(&s)
        .accounts()
        .list(ListAccounts::new().limit(2))
        .max_items(2);
    assert_eq!(walk.count(), 2);
    p1.assert();
    p2.assert();
}

#[test]
fn invalid_limits_fail_before_any_request() {
    let mut s = server();
    let m = s.mock("GET", Matcher::Any).expect(0).create();
    let c = client(&s);
    for limit in [0, 201] {
        let mut walk = c.accounts().list(ListAccounts::new().limit(limit));
        let err = walk.next().unwrap().unwrap_err();
        assert!(
            matches!(err, Error::InvalidInput(ref m) if m.contains("limit")),
            "{err}"
        );
        assert!(walk.next().is_none());
    }
    let err = c
        .accounts()
        .list(ListAccounts::new().q("  "))
        .next()
        .unwrap()
        .unwrap_err();
    assert!(err.to_string().contains("q: must not be empty"), "{err}");
    m.assert();
}

#[test]
fn generic_paginate_defaults_limit_and_keeps_the_callers() {
    let mut s = server();
    let d = s
        .mock("GET", "/v2/account-videos")
        .match_query(query("account_id=a%201&limit=200"))
        .with_body(page(
            vec![json!({"id": 1}), json!({"id": 2})],
            Some("n"),
            true,
            200,
        ))
        .expect(1)
        .create();
    let d2 = s
        .mock("GET", "/v2/account-videos")
        .match_query(query("account_id=a%201&limit=200&cursor=n"))
        .with_body(page(vec![json!({"id": 3})], None, false, 200))
        .expect(1)
        .create();
    let items: Vec<Value> = client(&s)
        .paginate("/account-videos", &[("account_id", "a 1")])
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        items,
        [json!({"id": 1}), json!({"id": 2}), json!({"id": 3})]
    );
    d.assert();
    d2.assert();

    let own = s
        .mock("GET", "/v2/videos")
        .match_query(query("limit=10"))
        .with_body(page(vec![], None, false, 10))
        .expect(1)
        .create();
    assert_eq!(
        client(&s)
            .paginate::<Value>("videos", &[("limit", "10")])
            .count(),
        0
    );
    own.assert();
}

#[test]
fn a_page_that_is_not_a_listing_is_a_decode_error() {
    let mut s = server();
    s.mock("GET", "/v2/accounts")
        .match_query(Matcher::Any)
        .with_body(r#"{"data": [], "pagination": {"next_cursor": null}}"#)
        .create();
    let err = client(&s)
        .accounts()
        .list(ListAccounts::new())
        .next()
        .unwrap()
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[test]
fn a_generic_walk_resumes_with_the_query_in_its_path() {
    let mut s = server();
    let first = s
        .mock("GET", "/v2/accounts")
        .match_query(query("platform=tiktok&q=a%20b&limit=1"))
        .with_body(page(accounts(&["1"]), Some("c2"), true, 1))
        .expect(1)
        .create();
    let second = s
        .mock("GET", "/v2/accounts")
        .match_query(query("platform=tiktok&q=a%20b&limit=1&cursor=c2"))
        .with_body(page(accounts(&["2"]), None, false, 1))
        .expect(1)
        .create();
    let c = client(&s);
    let mut walk = c.paginate::<Value>("/accounts?platform=tiktok&q=a%20b", &[("limit", "1")]);
    walk.next().unwrap().unwrap();
    let checkpoint = walk.checkpoint();
    let rest: Vec<Value> = c
        .paginate_resume(&checkpoint)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rest.len(), 1);
    first.assert();
    second.assert();
    // The walk is named by its path alone, as every call is.
    assert_eq!(checkpoint.endpoint(), "GET /accounts");
}

#[test]
fn a_limit_written_into_the_generic_walks_path_is_the_page_size() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/accounts")
        .match_query(query("limit=10"))
        .with_body(page(accounts(&["1"]), None, false, 10))
        .expect(1)
        .create();
    let items: Vec<Value> = client(&s)
        .paginate("/accounts?limit=10", &[])
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(items.len(), 1);
    m.assert();
}

/// A broken server: every page is empty, says has_next, and gives a new cursor. Returns the
/// server, its mock and how many pages it served.
fn endless_empty_pages() -> (mockito::ServerGuard, mockito::Mock, Arc<AtomicU64>) {
    let mut s = server();
    let served = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&served);
    let m = s
        .mock("GET", "/v2/accounts")
        .match_query(Matcher::Any)
        .with_body_from_request(move |_| {
            let i = counter.fetch_add(1, Ordering::SeqCst);
            page(vec![], Some(&format!("c{i}")), true, 200).into_bytes()
        })
        .expect_at_least(1)
        .create();
    (s, m, served)
}

fn is_endless_empty(e: &Error) -> bool {
    matches!(e, Error::Pagination { reason, .. } if reason.contains("100 empty pages"))
}

#[test]
fn endless_empty_pages_end_the_walk_instead_of_looping() {
    let (s, m, served) = endless_empty_pages();
    let mut walk = client(&s).accounts().list(ListAccounts::new());
    let e = walk.next().unwrap().unwrap_err();
    assert!(is_endless_empty(&e), "{e}");
    assert!(walk.next().is_none());
    m.assert();
    assert_eq!(served.load(Ordering::SeqCst), 100);
}

#[test]
fn endless_empty_pages_end_a_page_walk_too() {
    let (s, m, served) = endless_empty_pages();
    let mut pages = client(&s).accounts().list(ListAccounts::new()).pages();
    for n in 1..=100 {
        let page = pages
            .next()
            .unwrap()
            .unwrap_or_else(|e| panic!("page {n}: {e}"));
        assert!(page.items.is_empty() && page.has_next, "page {n}");
    }
    let e = pages.next().unwrap().unwrap_err();
    assert!(is_endless_empty(&e), "{e}");
    assert!(pages.next().is_none());
    m.assert();
    assert_eq!(served.load(Ordering::SeqCst), 100);
}
