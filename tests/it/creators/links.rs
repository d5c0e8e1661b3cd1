//! Linking accounts to a creator and unlinking them.

use creatoraudit::{Error, ErrorCode};
use mockito::Matcher;
use serde_json::{Value, json};

use crate::support::{BEARER, PROBLEM_JSON, client, data, problem, server};

// ---- link / unlink -------------------------------------------------------------------
#[test]
fn link_tells_a_new_link_from_an_existing_one() {
    let mut s = server();
    let created = s
        .mock("PUT", "/v2/creators/c1/accounts/a1")
        .match_header("authorization", BEARER)
        .match_header("content-type", Matcher::Missing)
        .match_header("idempotency-key", Matcher::Missing)
        .match_body(Matcher::Exact(String::new()))
        .with_status(201)
        .with_header("location", "/v2/creators/c1/accounts/a1")
        .with_body(data(json!({"creator_id": "c1", "account_id": "a1",
                               "linked_at": "2026-06-15T10:00:00Z"})))
        .expect(1)
        .create();
    let existing = s
        .mock("PUT", "/v2/creators/c1/accounts/a2")
        .match_header("content-type", Matcher::Missing)
        .with_status(200)
        .with_body(data(json!({"creator_id": "c1", "account_id": "a2"})))
        .expect(1)
        .create();
    let c = client(&s);
    let first = c.creators().link_account("c1", "a1").unwrap();
    let again = c.creators().link_account("c1", "a2").unwrap();
    created.assert();
    existing.assert();

    assert!(first.is_new());
    assert_eq!(first.creator_id, "c1");
    assert_eq!(first.account_id, "a1");
    assert_eq!(first.record["linked_at"], "2026-06-15T10:00:00Z");
    assert!(!again.is_new());
    assert_eq!(again.account_id, "a2");
    assert_eq!(again.record["account_id"], "a2");
}

#[test]
fn link_accepts_an_empty_or_unwrapped_body() {
    let mut s = server();
    let empty = s
        .mock("PUT", "/v2/creators/c1/accounts/a1")
        .with_status(201)
        .expect(1)
        .create();
    let bare = s
        .mock("PUT", "/v2/creators/c1/accounts/a2")
        .with_status(200)
        .with_body(json!({"creator_id": "c1", "account_id": "a2"}).to_string())
        .expect(1)
        .create();
    let c = client(&s);
    let a = c.creators().link_account("c1", "a1").unwrap();
    assert!(a.is_new());
    assert_eq!(a.record, Value::Null);
    let b = c.creators().link_account("c1", "a2").unwrap();
    assert!(!b.is_new());
    assert_eq!(b.record, json!({"creator_id": "c1", "account_id": "a2"}));
    empty.assert();
    bare.assert();
}

#[test]
fn linking_an_account_owned_by_another_creator_is_a_conflict() {
    let mut s = server();
    let m = s
        .mock("PUT", "/v2/creators/c1/accounts/a9")
        .with_status(409)
        .with_header("content-type", PROBLEM_JSON)
        .with_body(problem(
            409,
            "CONFLICT",
            "Account is already linked to another creator.",
            "req_409",
        ))
        .expect(1)
        .create();
    let err = client(&s).creators().link_account("c1", "a9").unwrap_err();
    m.assert();
    assert_eq!(err.status(), Some(409));
    assert_eq!(err.request_id(), Some("req_409"));
    match err {
        Error::Api(p) => {
            assert_eq!(p.code, ErrorCode::Conflict);
            assert_eq!(p.detail, "Account is already linked to another creator.");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn linking_to_a_missing_creator_or_account_is_not_found() {
    let mut s = server();
    let m = s
        .mock("PUT", "/v2/creators/c1/accounts/missing")
        .with_status(404)
        .with_header("content-type", PROBLEM_JSON)
        .with_body(problem(404, "NOT_FOUND", "Account not found.", "r"))
        .expect(1)
        .create();
    let err = client(&s)
        .creators()
        .link_account("c1", "missing")
        .unwrap_err();
    m.assert();
    assert_eq!(err.code(), Some(&ErrorCode::NotFound));
}

#[test]
fn unlink_sends_a_delete_without_a_body() {
    let mut s = server();
    let m = s
        .mock("DELETE", "/v2/creators/c1/accounts/a1")
        .match_header("authorization", BEARER)
        .match_header("content-type", Matcher::Missing)
        .match_body(Matcher::Exact(String::new()))
        .with_status(204)
        .expect(1)
        .create();
    let with_body = s
        .mock("DELETE", "/v2/creators/c1/accounts/a2")
        .with_status(200)
        .with_body(data(json!({"unlinked": true})))
        .expect(1)
        .create();
    let c = client(&s);
    c.creators().unlink_account("c1", "a1").unwrap();
    c.creators().unlink_account("c1", "a2").unwrap();
    m.assert();
    with_body.assert();
}

#[test]
fn link_and_health_have_their_with_meta_twins() {
    let mut s = server();
    let link = s
        .mock("PUT", "/v2/creators/c1/accounts/a1")
        .with_status(201)
        .with_header("x-request-id", "req_link")
        .with_body(data(json!({"creator_id": "c1", "account_id": "a1"})))
        .create();
    let health = s
        .mock("GET", "/v2/health")
        .with_header("x-request-id", "req_health")
        .with_body(r#"{"status":"ok"}"#)
        .create();
    let c = client(&s);
    let linked = c.creators().link_account_with_meta("c1", "a1").unwrap();
    assert!(linked.value.is_new());
    assert_eq!(linked.meta.status, Some(201));
    assert_eq!(linked.meta.request_id.as_deref(), Some("req_link"));
    assert_eq!(
        linked.meta.endpoint(),
        "PUT /creators/{id}/accounts/{account_id}"
    );
    let up = c.health_with_meta().unwrap();
    assert_eq!(up.value.status, 200);
    assert_eq!(up.value.body, json!({"status": "ok"}));
    assert_eq!(up.meta.request_id.as_deref(), Some("req_health"));
    link.assert();
    health.assert();
}
