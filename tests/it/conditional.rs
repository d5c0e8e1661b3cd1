//! Conditional reads: every single-document GET can send `If-None-Match` and reports a `304`
//! as a value; the opt-in ETag cache sends the stored ETag itself and serves the stored value
//! only on the server's `304`.

use creatoraudit::testing::fixtures;
use creatoraudit::{
    Client, Conditional, Date, DateRange, Error, Period, Result, SearchParams, TopCreatorsParams,
};
use mockito::{Matcher, Mock, ServerGuard};
use serde_json::json;

use crate::support::{KEY, builder, client, data, server};

type Read = fn(&Client, &str) -> Result<(bool, Option<u16>)>;

fn outcome<T>(c: Conditional<T>) -> (bool, Option<u16>) {
    (c.is_not_modified(), c.meta().status)
}

fn range() -> DateRange {
    DateRange::new(
        Date::new(2026, 5, 16).unwrap(),
        Date::new(2026, 6, 15).unwrap(),
    )
    .unwrap()
}

/// Every single-document GET: its path, and its conditional call.
fn reads() -> Vec<(&'static str, Read)> {
    vec![
        ("/v2/whoami", |c, e| Ok(outcome(c.whoami_if_none_match(e)?))),
        ("/v2/meta", |c, e| Ok(outcome(c.meta_if_none_match(e)?))),
        ("/v2/overview", |c, e| {
            Ok(outcome(c.overview_if_none_match(Period::Last7Days, e)?))
        }),
        ("/v2/search", |c, e| {
            Ok(outcome(c.search_if_none_match(SearchParams::new("kh"), e)?))
        }),
        ("/v2/accounts/a1", |c, e| {
            Ok(outcome(c.accounts().get_if_none_match("a1", e)?))
        }),
        ("/v2/creators/c1", |c, e| {
            Ok(outcome(c.creators().get_if_none_match("c1", e)?))
        }),
        ("/v2/creators/top", |c, e| {
            Ok(outcome(
                c.creators()
                    .top_if_none_match(TopCreatorsParams::new(), e)?,
            ))
        }),
        ("/v2/creators/c1/analytics", |c, e| {
            Ok(outcome(c.creators().analytics_if_none_match(
                "c1",
                range(),
                e,
            )?))
        }),
    ]
}

/// A 200 body each of those reads decodes.
fn body_for(path: &str) -> String {
    match path {
        "/v2/whoami" => data(fixtures::whoami("org_1")),
        "/v2/meta" => data(fixtures::api_meta()),
        "/v2/overview" => data(fixtures::overview()),
        "/v2/search" => json!({"data": {"accounts": [], "creators": [], "videos": []}}).to_string(),
        "/v2/accounts/a1" => data(fixtures::account("a1", "user_a1")),
        "/v2/creators/top" => data(json!([{"id": "c1", "name": "Khaby"}])),
        "/v2/creators/c1/analytics" => data(json!({"views": 10})),
        _ => data(fixtures::creator("c1", "Khaby")),
    }
}

#[test]
fn every_single_document_get_can_be_conditional() {
    let mut s = server();
    let c = client(&s);
    for (path, read) in reads() {
        let unchanged = s
            .mock("GET", path)
            .match_query(Matcher::Any)
            .match_header("if-none-match", "\"v1\"")
            .with_status(304)
            .with_header("etag", "\"v1\"")
            .expect(1)
            .create();
        let changed = s
            .mock("GET", path)
            .match_query(Matcher::Any)
            .match_header("if-none-match", "\"v0\"")
            .with_header("etag", "\"v1\"")
            .with_header("content-type", "application/json")
            .with_body(body_for(path))
            .expect(1)
            .create();
        assert_eq!(read(&c, "\"v1\"").unwrap(), (true, Some(304)), "{path}");
        assert_eq!(read(&c, "\"v0\"").unwrap(), (false, Some(200)), "{path}");
        unchanged.assert();
        changed.assert();
    }
}

/// A `GET path` mock that answers 200 with `etag` and `body` to a request without
/// `If-None-Match`.
fn fresh(s: &mut ServerGuard, path: &str, etag: &str, body: String) -> Mock {
    s.mock("GET", path)
        .match_query(Matcher::Any)
        .match_header("if-none-match", Matcher::Missing)
        .with_header("etag", etag)
        .with_header("content-type", "application/json")
        .with_body(body)
}

/// A `GET path` mock that answers an empty 304 to `If-None-Match: etag`.
fn not_modified(s: &mut ServerGuard, path: &str, etag: &str) -> Mock {
    s.mock("GET", path)
        .match_query(Matcher::Any)
        .match_header("if-none-match", etag)
        .with_status(304)
        .with_header("etag", etag)
}

#[test]
fn the_cache_sends_the_stored_etag_and_serves_the_stored_value_on_304() {
    let mut s = server();
    let c = builder(&s).etag_cache(8).build().unwrap();
    for (path, _) in reads() {
        let first = fresh(&mut s, path, "\"e1\"", body_for(path))
            .expect(1)
            .create();
        let again = not_modified(&mut s, path, "\"e1\"").expect(2).create();
        for round in 0..3 {
            let status = match path {
                "/v2/whoami" => c.whoami_with_meta().map(|r| r.meta.status),
                "/v2/meta" => c.meta_with_meta().map(|r| r.meta.status),
                "/v2/overview" => c
                    .overview_with_meta(Period::Last7Days)
                    .map(|r| r.meta.status),
                "/v2/search" => c
                    .search_with_meta(SearchParams::new("kh"))
                    .map(|r| r.meta.status),
                "/v2/accounts/a1" => c.accounts().get_with_meta("a1").map(|r| r.meta.status),
                "/v2/creators/top" => c
                    .creators()
                    .top_with_meta(TopCreatorsParams::new())
                    .map(|r| r.meta.status),
                "/v2/creators/c1/analytics" => c
                    .creators()
                    .analytics_with_meta("c1", range())
                    .map(|r| r.meta.status),
                _ => c.creators().get_with_meta("c1").map(|r| r.meta.status),
            };
            let expected = if round == 0 { 200 } else { 304 };
            assert_eq!(status.unwrap(), Some(expected), "{path} round {round}");
        }
        first.assert();
        again.assert();
    }
}

#[test]
fn a_cached_value_is_the_one_stored_and_a_new_200_replaces_it() {
    let mut s = server();
    let c = builder(&s).etag_cache(4).build().unwrap();
    let v1 = fresh(
        &mut s,
        "/v2/accounts/a1",
        "\"e1\"",
        data(fixtures::account("a1", "first")),
    )
    .expect(1)
    .create();
    assert_eq!(c.accounts().get("a1").unwrap().username, "first");
    v1.assert();
    // The server has a new version: its 200 wins over the stored value, and is stored.
    let v2 = s
        .mock("GET", "/v2/accounts/a1")
        .match_header("if-none-match", "\"e1\"")
        .with_header("etag", "\"e2\"")
        .with_body(data(fixtures::account("a1", "second")))
        .expect(1)
        .create();
    assert_eq!(c.accounts().get("a1").unwrap().username, "second");
    v2.assert();
    let same = not_modified(&mut s, "/v2/accounts/a1", "\"e2\"")
        .expect(1)
        .create();
    let clone = c.clone();
    assert_eq!(
        clone.accounts().get("a1").unwrap().username,
        "second",
        "clones share it"
    );
    same.assert();
    // An error is an error: nothing stored is returned for it.
    let gone = s
        .mock("GET", "/v2/accounts/a1")
        .match_header("if-none-match", "\"e2\"")
        .with_status(404)
        .with_body(crate::support::problem(404, "NOT_FOUND", "gone", "req_1"))
        .expect(1)
        .create();
    assert!(c.accounts().get("a1").unwrap_err().is_not_found());
    gone.assert();
}

#[test]
fn the_cache_is_bounded_and_keyed_by_the_full_url() {
    let mut s = server();
    let c = builder(&s).etag_cache(1).build().unwrap();
    let week = fresh(&mut s, "/v2/overview", "\"w\"", data(fixtures::overview()))
        .match_query(Matcher::UrlEncoded("period".into(), "7d".into()))
        .expect(2)
        .create();
    let month = fresh(&mut s, "/v2/overview", "\"m\"", data(fixtures::overview()))
        .match_query(Matcher::UrlEncoded("period".into(), "30d".into()))
        .expect(1)
        .create();
    let stale = s
        .mock("GET", "/v2/overview")
        .match_query(Matcher::Any)
        .match_header("if-none-match", "\"w\"")
        .with_status(304)
        .expect(0)
        .create();
    c.overview(Period::Last7Days).unwrap();
    // Another query is another key: it does not send 7d's ETag, and (one entry) evicts it.
    c.overview(Period::Last30Days).unwrap();
    // 7d was dropped: sent again without If-None-Match.
    c.overview(Period::Last7Days).unwrap();
    week.assert();
    month.assert();
    stale.assert();
}

#[test]
fn without_the_opt_in_nothing_is_cached() {
    let mut s = server();
    let m = fresh(
        &mut s,
        "/v2/whoami",
        "\"e1\"",
        data(fixtures::whoami("org_1")),
    )
    .expect(3)
    .create();
    let c = client(&s);
    for _ in 0..3 {
        assert_eq!(c.whoami_with_meta().unwrap().meta.status, Some(200));
    }
    m.assert();
}

#[test]
fn explicit_conditional_reads_and_listings_bypass_the_cache() {
    let mut s = server();
    let c = builder(&s).etag_cache(8).build().unwrap();
    let m = fresh(
        &mut s,
        "/v2/whoami",
        "\"e1\"",
        data(fixtures::whoami("org_1")),
    )
    .expect(1)
    .create();
    c.whoami().unwrap();
    m.assert();
    // The caller's own ETag is sent, and the 304 is reported to the caller.
    let mine = not_modified(&mut s, "/v2/whoami", "\"mine\"")
        .expect(1)
        .create();
    assert!(
        c.whoami_if_none_match("\"mine\"")
            .unwrap()
            .is_not_modified()
    );
    mine.assert();

    let page = s
        .mock("GET", "/v2/accounts")
        .match_query(Matcher::Any)
        .match_header("if-none-match", Matcher::Missing)
        .with_header("etag", "\"p\"")
        .with_body(crate::support::page(vec![], None, false, 200))
        .expect(2)
        .create();
    for _ in 0..2 {
        assert_eq!(c.accounts().list(Default::default()).count(), 0);
    }
    page.assert();
}

#[test]
fn clients_with_other_keys_do_not_share_stored_values() {
    let mut s = server();
    let org_a = fresh(
        &mut s,
        "/v2/whoami",
        "\"a\"",
        data(fixtures::whoami("org_a")),
    )
    .match_header("authorization", format!("Bearer {KEY}").as_str())
    .expect(1)
    .create();
    let a = builder(&s).etag_cache(8).build().unwrap();
    assert_eq!(a.whoami().unwrap().organization_id, "org_a");
    org_a.assert();

    let org_b = fresh(
        &mut s,
        "/v2/whoami",
        "\"b\"",
        data(fixtures::whoami("org_b")),
    )
    .match_header("authorization", "Bearer ca_test_other")
    .expect(1)
    .create();
    let b = builder(&s)
        .api_key("ca_test_other")
        .etag_cache(8)
        .build()
        .unwrap();
    assert_eq!(b.whoami().unwrap().organization_id, "org_b");
    org_b.assert();
}

#[test]
fn no_lock_is_held_while_a_cached_read_is_on_the_wire() {
    use std::io::{Read, Write};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};

    use crate::support::raw_server::{RawServer, response};

    // `/whoami` answers after three seconds, `/meta` at once; both with an ETag. The server
    // says when the slow read has arrived.
    let (arrived, slow_arrived) = std::sync::mpsc::channel();
    let server = RawServer::custom(
        move |mut stream, _| {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head);
            let body = if head.starts_with("GET /v2/whoami ") {
                let _ = arrived.send(());
                std::thread::sleep(Duration::from_secs(3));
                data(fixtures::whoami("org_1"))
            } else {
                data(fixtures::api_meta())
            };
            let _ = stream.write_all(&response(200, &[("ETag", "\"e\"")], &body));
        },
        Duration::from_secs(20),
    );
    let client = server.builder().0.etag_cache(4).build().unwrap();
    let slow_done = Arc::new(AtomicBool::new(false));
    let slow = {
        let (client, done) = (client.clone(), Arc::clone(&slow_done));
        std::thread::spawn(move || {
            let me = client.whoami();
            done.store(true, Ordering::SeqCst);
            me
        })
    };
    slow_arrived
        .recv_timeout(Duration::from_secs(10))
        .expect("the slow read reached the server");
    let started = Instant::now();
    assert_eq!(client.meta().unwrap().api_version.as_deref(), Some("v2"));
    assert!(
        !slow_done.load(Ordering::SeqCst),
        "the fast read finished while the slow one was still on the wire"
    );
    assert!(
        started.elapsed() < Duration::from_millis(2_500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(slow.join().unwrap().unwrap().organization_id, "org_1");
}

#[test]
fn an_etag_the_header_cannot_carry_is_refused_before_sending() {
    let mut s = server();
    let m = s.mock("GET", Matcher::Any).expect(0).create();
    let client = client(&s);
    for etag in ["", " \"v1\"", "\"v1\"\n", "\"v1\"\r\nX-Evil: 1"] {
        let e = client.accounts().get_if_none_match("a1", etag).unwrap_err();
        assert!(
            matches!(e, Error::InvalidInput(ref msg) if msg.starts_with("etag: ")),
            "{etag:?}: {e}"
        );
        let e = client.whoami_if_none_match(etag).unwrap_err();
        assert!(matches!(e, Error::InvalidInput(_)), "{etag:?}: {e}");
    }
    m.assert();
}
