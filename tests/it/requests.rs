//! What goes on the wire: headers, URL joining, query encoding, the untyped escape hatch.

use crate::support::{BEARER, JSON, KEY, builder, client, data, query, server};
use creatoraudit::{Client, Error};
use mockito::Matcher;
use serde_json::{Value, json};

const USER_AGENT: &str = concat!("creatoraudit-rust/", env!("CARGO_PKG_VERSION"));

#[test]
fn every_request_sends_auth_accept_and_user_agent() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/whoami")
        .match_header("authorization", BEARER)
        .match_header("accept", "application/json, application/problem+json")
        .match_header("user-agent", USER_AGENT)
        .match_header("content-type", Matcher::Missing)
        .match_header("idempotency-key", Matcher::Missing)
        .with_header("content-type", JSON)
        .with_body(data(
            json!({"type": "whoami", "organization_id": "org_2a", "api_key_name": "ci"}),
        ))
        .expect(1)
        .create();
    let me = client(&s).whoami().unwrap();
    m.assert();
    assert_eq!(me.organization_id, "org_2a");
    assert_eq!(me.api_key_name.as_deref(), Some("ci"));
}

#[test]
fn user_agent_suffix_is_appended() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/whoami")
        .match_header("user-agent", format!("{USER_AGENT} my-export/1.2").as_str())
        .with_body(data(json!({"organization_id": "o"})))
        .create();
    let c = builder(&s)
        .user_agent_suffix("my-export/1.2")
        .build()
        .unwrap();
    c.whoami().unwrap();
    m.assert();
}

#[test]
fn base_url_and_path_slashes_never_double_or_drop() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/whoami")
        .with_body(data(json!({"organization_id": "o"})))
        .expect(6)
        .create();
    for base in [format!("{}/v2", s.url()), format!("{}/v2/", s.url())] {
        let c = Client::builder()
            .api_key(KEY)
            .base_url(&base)
            .build()
            .unwrap();
        c.whoami().unwrap();
        let _: Value = c.request("GET", "/whoami", &[], None).unwrap();
        let _: Value = c.request("GET", "whoami", &[], None).unwrap();
    }
    m.assert();
}

#[test]
fn query_values_are_percent_encoded() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/search")
        .match_query(query("q=caf%C3%A9%20%26%20bar%3D1%2F2&limit=5"))
        .with_body(json!({"data": {}, "meta": {}}).to_string())
        .create();
    let _: Value = client(&s)
        .request(
            "get",
            "/search",
            &[("q", "café & bar=1/2"), ("limit", "5")],
            None,
        )
        .unwrap();
    m.assert();
}

#[test]
fn request_sends_json_bodies_and_returns_the_whole_body() {
    let mut s = server();
    let body =
        json!({"platform": "tiktok", "identifier": "7301234567890123456", "is_active": true});
    let m = s
        .mock("POST", "/v2/videos")
        .match_header("content-type", JSON)
        .match_header("authorization", BEARER)
        .match_body(Matcher::Json(body.clone()))
        .with_status(201)
        .with_body(data(json!({"id": "v1", "type": "video"})))
        .expect(1)
        .create();
    let out: Value = client(&s)
        .request("POST", "/videos", &[], Some(&body))
        .unwrap();
    m.assert();
    assert_eq!(out["data"]["id"], "v1");
}

#[test]
fn request_decodes_into_any_type() {
    #[derive(serde::Deserialize)]
    struct Envelope {
        data: Inner,
    }
    #[derive(serde::Deserialize)]
    struct Inner {
        organization_id: String,
    }
    let mut s = server();
    s.mock("GET", "/v2/whoami")
        .with_body(data(json!({"organization_id": "o-1"})))
        .create();
    let e: Envelope = client(&s).request("GET", "/whoami", &[], None).unwrap();
    assert_eq!(e.data.organization_id, "o-1");
}

#[test]
fn request_with_meta_tells_the_request_id_rate_limit_and_etag() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/overview")
        .match_query(Matcher::UrlEncoded("period".into(), "30d".into()))
        .with_header("x-request-id", "req_raw_1")
        .with_header("x-ratelimit-limit", "600")
        .with_header("x-ratelimit-remaining", "42")
        .with_header("x-ratelimit-reset", "4102444800")
        .with_header("etag", "\"v7\"")
        .with_body(data(json!({"type": "overview"})))
        .expect(1)
        .create();
    let r = client(&s)
        .request_with_meta::<Value>("GET", "/overview", &[("period", "30d")], None)
        .unwrap();
    m.assert();
    assert_eq!(r.value["data"]["type"], "overview");
    assert_eq!(r.meta.request_id.as_deref(), Some("req_raw_1"));
    assert_eq!(r.meta.rate_limit.map(|rl| rl.remaining), Some(42));
    assert_eq!(r.meta.etag.as_deref(), Some("\"v7\""));
    assert_eq!(r.meta.endpoint(), "GET /overview");
    assert_eq!(r.meta.attempts, 1);
}

#[test]
fn unknown_methods_are_refused_before_sending() {
    let mut s = server();
    let m = s.mock("TRACE", Matcher::Any).expect(0).create();
    let err = client(&s)
        .request::<Value>("TRACE", "/whoami", &[], None)
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(ref m) if m.contains("method")),
        "{err}"
    );
    m.assert();
}

#[test]
fn health_and_meta_send_no_key() {
    let mut s = server();
    let health = s
        .mock("GET", "/v2/health")
        .match_header("authorization", Matcher::Missing)
        .with_body("OK")
        .create();
    let meta = s
        .mock("GET", "/v2/meta")
        .match_header("authorization", Matcher::Missing)
        .with_body(data(json!({
            "type": "api_meta", "api_version": "v2", "status": "current",
            "docs_url": "https://api.creatoraudit.com/v2/docs",
            "openapi_url": "https://api.creatoraudit.com/v2/openapi.json",
            "whoami_url": "https://api.creatoraudit.com/v2/whoami",
            "deprecation": null, "sunset": null, "new_field": 1
        })))
        .create();
    let c = client(&s);
    let h = c.health().unwrap();
    assert_eq!(h.status, 200);
    assert_eq!(h.body, Value::String("OK".into()));
    let m = c.meta().unwrap();
    assert_eq!(m.api_version.as_deref(), Some("v2"));
    assert_eq!(
        m.openapi_url.as_deref(),
        Some("https://api.creatoraudit.com/v2/openapi.json")
    );
    assert!(m.is_current());
    health.assert();
    meta.assert();
}

#[test]
fn the_retirement_dates_of_meta_are_read_in_any_shape() {
    for (deprecation, sunset, expected) in [
        (
            json!("2027-01-01"),
            json!("Sat, 01 May 2027 00:00:00 GMT"),
            (Some("2027-01-01"), Some("Sat, 01 May 2027 00:00:00 GMT")),
        ),
        (
            json!(1_798_761_600),
            json!({"date": "2027-05-01"}),
            (Some("1798761600"), None),
        ),
    ] {
        let mut s = server();
        s.mock("GET", "/v2/meta")
            .with_body(data(json!({
                "api_version": "v2", "status": "deprecated",
                "deprecation": deprecation, "sunset": sunset
            })))
            .create();
        let m = client(&s).meta().unwrap();
        assert_eq!((m.deprecation.as_deref(), m.sunset.as_deref()), expected);
        assert!(!m.is_current());
    }
}

#[test]
fn health_keeps_a_json_body_and_reads_an_empty_one_as_null() {
    let mut s = server();
    s.mock("GET", "/v2/health")
        .with_body(r#"{"status":"ok"}"#)
        .create();
    assert_eq!(client(&s).health().unwrap().body, json!({"status": "ok"}));
    s.reset();
    s.mock("GET", "/v2/health").with_status(204).create();
    assert_eq!(client(&s).health().unwrap().body, Value::Null);
}

#[test]
fn rate_limit_snapshot_is_kept_on_the_client_and_the_response() {
    let mut s = server();
    s.mock("GET", "/v2/whoami")
        .with_header("x-ratelimit-limit", "600")
        .with_header("x-ratelimit-remaining", "12")
        .with_header("x-ratelimit-reset", "1718354400")
        .with_header("x-request-id", "req_abc")
        .with_header("etag", "\"w1\"")
        .with_body(data(json!({"organization_id": "o"})))
        .create();
    let c = client(&s);
    assert_eq!(c.rate_limit(), None);
    let r = c.whoami_with_meta().unwrap();
    let rl = r.meta.rate_limit.unwrap();
    assert_eq!((rl.limit, rl.remaining, rl.reset), (600, 12, 1_718_354_400));
    assert_eq!(r.meta.request_id.as_deref(), Some("req_abc"));
    assert_eq!(r.meta.etag.as_deref(), Some("\"w1\""));
    assert_eq!(r.meta.status, Some(200));
    assert_eq!(r.meta.attempts, 1);
    assert_eq!(
        c.clone().rate_limit(),
        Some(rl),
        "clones share the snapshot"
    );
}

#[test]
fn an_idempotency_key_the_header_cannot_carry_as_given_is_refused_before_sending() {
    use creatoraudit::{NewAccount, NewCreator, NewVideo, Platform};
    let mut s = server();
    let m = s.mock("POST", Matcher::Any).expect(0).create();
    let client = client(&s);
    // Empty, blank, padded (HTTP would strip the spaces), a line break, non-ASCII.
    let too_long = "k".repeat(1025);
    for key in [
        "",
        "  ",
        " k1",
        "k1 ",
        "k\n1",
        "k\r\nX-Evil: 1",
        "clé",
        &too_long,
    ] {
        let errors = [
            client
                .accounts()
                .create(&NewAccount::new(Platform::TikTok, "a").idempotency_key(key))
                .map(drop),
            client
                .videos()
                .create(&NewVideo::new(Platform::TikTok, "v").idempotency_key(key))
                .map(drop),
            client
                .creators()
                .create(&NewCreator::new("c").idempotency_key(key))
                .map(drop),
        ];
        for e in errors {
            let e = e.unwrap_err();
            assert!(
                matches!(e, Error::InvalidInput(ref msg) if msg.starts_with("idempotency_key: ")),
                "{key:?}: {e}"
            );
        }
    }
    m.assert();
}

#[test]
fn an_idempotency_key_with_inner_spaces_and_punctuation_is_sent_as_is() {
    use creatoraudit::{NewAccount, Platform};
    let mut s = server();
    let m = s
        .mock("POST", "/v2/accounts")
        .match_header("idempotency-key", "import 2026-06-15/row#17")
        .with_body(data(creatoraudit::testing::fixtures::account("a", "a")))
        .create();
    client(&s)
        .accounts()
        .create(&NewAccount::new(Platform::TikTok, "a").idempotency_key("import 2026-06-15/row#17"))
        .unwrap();
    m.assert();
}

#[test]
fn an_id_that_is_a_dot_segment_is_refused_before_sending() {
    // `DELETE /creators/c1/accounts/..` would reach a server that normalizes the path as
    // `DELETE /creators/c1`: another call, and a destructive one.
    let mut s = server();
    let unsent: Vec<_> = ["GET", "PUT", "DELETE"]
        .into_iter()
        .map(|method| s.mock(method, Matcher::Any).expect(0).create())
        .collect();
    let client = client(&s);
    for id in [".", ".."] {
        let errors = [
            client.creators().unlink_account("c1", id).map(drop),
            client.creators().link_account("c1", id).map(drop),
            client.creators().delete(id).map(drop),
            client.accounts().get(id).map(drop),
        ];
        for e in errors {
            let e = e.unwrap_err();
            assert!(
                matches!(e, Error::InvalidInput(ref msg) if msg.contains("_id: ") && msg.contains("not an id")),
                "{id:?}: {e}"
            );
        }
    }
    unsent.iter().for_each(mockito::Mock::assert);
    // Dots inside an id are fine.
    let mut s = server();
    let m = s
        .mock("GET", "/v2/accounts/a.b..c")
        .with_body(data(creatoraudit::testing::fixtures::account(
            "a.b..c", "x",
        )))
        .create();
    crate::support::client(&s).accounts().get("a.b..c").unwrap();
    m.assert();
}

#[test]
fn the_longest_durations_are_usable_settings() {
    use std::time::Duration;
    let mut s = server();
    let unavailable = s
        .mock("GET", "/v2/whoami")
        .with_status(503)
        .expect(1)
        .create();
    let m = s
        .mock("GET", "/v2/whoami")
        .with_body(data(json!({"organization_id": "o"})))
        .expect(1)
        .create();
    let (builder, waits) = crate::support::recording(
        builder(&s)
            .timeout(Duration::MAX)
            .connect_timeout(Duration::MAX)
            .deadline(Duration::MAX)
            .max_retry_wait(Duration::MAX)
            .backoff(Duration::MAX, Duration::MAX),
    );
    let me = builder.build().unwrap().whoami_with_meta().unwrap();
    assert_eq!(me.value.organization_id, "o");
    unavailable.assert();
    m.assert();
    // The back-off of "as long as it takes" is at least 75 years (a century, less jitter).
    let waits = waits.lock().unwrap().clone();
    assert_eq!(waits.len(), 1);
    assert!(
        waits[0] >= Duration::from_secs(75 * 365 * 86_400),
        "{waits:?}"
    );
    assert!(!me.meta.history().is_empty());
}

#[test]
fn a_url_longer_than_http_carries_is_refused_before_sending() {
    let mut s = server();
    let m = s.mock("GET", Matcher::Any).expect(0).create();
    let c = client(&s);
    let long = "x".repeat(70_000);
    let e = c
        .accounts()
        .list(creatoraudit::ListAccounts::new().q(long.as_str()))
        .next()
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(e, Error::InvalidInput(ref msg) if msg.contains("URL would be") && msg.contains("65534")),
        "{e}"
    );
    let e = c
        .request::<Value>("GET", "/accounts", &[("q", long.as_str())], None)
        .unwrap_err();
    assert!(matches!(e, Error::InvalidInput(_)), "{e}");
    m.assert();
}

#[test]
fn a_raw_path_a_url_cannot_carry_is_refused_before_sending() {
    let mut s = server();
    let m = s.mock("GET", Matcher::Any).expect(0).create();
    let c = client(&s);
    for path in [
        "/accounts/a b",
        "/accounts/\n",
        "/accounts/é",
        "/accounts#x",
        "/a%zz",
        "/a%2",
    ] {
        let e = c.request::<Value>("GET", path, &[], None).unwrap_err();
        assert!(
            matches!(e, Error::InvalidInput(ref msg) if msg.contains("percent-encode")),
            "{path:?}: {e}"
        );
        let e = c.paginate::<Value>(path, &[]).next().unwrap().unwrap_err();
        assert!(matches!(e, Error::InvalidInput(_)), "{path:?}: {e}");
    }
    // A query parameter without a name could not be sent as meant, nor resumed: both
    // untyped calls refuse it.
    for (path, query) in [("/accounts?=x", &[][..]), ("/accounts", &[("", "x")][..])] {
        let mut walk = c.paginate::<Value>(path, query);
        let e = walk.next().unwrap().unwrap_err();
        assert!(
            matches!(e, Error::InvalidInput(ref msg) if msg == "query: a parameter has no name"),
            "{path:?}: {e}"
        );
        assert!(walk.next().is_none());
    }
    // An escape that is not UTF-8 could not be read into the filters as it was written.
    let e = c
        .paginate::<Value>("/accounts?q=caf%E9", &[])
        .next()
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(e, Error::InvalidInput(ref msg) if msg.contains("not UTF-8")),
        "{e}"
    );
    let e = c
        .request::<Value>("GET", "/accounts", &[("", "x")], None)
        .unwrap_err();
    assert!(
        matches!(e, Error::InvalidInput(ref msg) if msg == "query: a parameter has no name"),
        "{e}"
    );
    m.assert();
    // An encoded path is fine.
    let mut s = server();
    let ok = s
        .mock("GET", "/v2/accounts/a%20b")
        .with_body(data(json!({"id": "x"})))
        .create();
    crate::support::client(&s)
        .request::<Value>("GET", "/accounts/a%20b", &[], None)
        .unwrap();
    ok.assert();
}
