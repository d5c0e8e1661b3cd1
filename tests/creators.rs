//! The creators endpoints: request shapes (method, path, query, headers, body, hit counts),
//! decoding, client-side checks and the link/unlink semantics.

mod common;

use common::{BEARER, JSON, PROBLEM_JSON, data, query, server};
use creatoraudit::{
    Conditional, Creator, CreatorAnalyticsParams, CreatorOrder, CreatorUpdate, Date, Error,
    ErrorCode, ListCreators, NewCreator, OrderDirection, Period, Platform, TopCreator, TopCreators,
};
use mockito::{Matcher, Mock, ServerGuard};
use serde_json::{Map, Value, json};

const UUID_V4: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$";

/// A creator with every documented field, as the API docs show one.
fn creator_json(id: &str, name: &str) -> Value {
    json!({
        "id": id,
        "type": "creator",
        "name": name,
        "is_active": true,
        "metadata": {"team": "growth", "tier": "A"},
        "accounts_summary": {
            "total": 2,
            "platforms": {"tiktok": 1, "instagram": 1},
            "total_followers": 165_300_000u64
        }
    })
}

/// Mocks that must never be hit: one per method, any path.
fn nothing_sent(s: &mut ServerGuard) -> Vec<Mock> {
    ["GET", "POST", "PUT", "PATCH", "DELETE"]
        .into_iter()
        .map(|m| s.mock(m, Matcher::Any).expect(0).create())
        .collect()
}

fn assert_none_hit(mocks: &[Mock]) {
    for m in mocks {
        m.assert();
    }
}

/// The message of an [`Error::InvalidInput`], or a panic.
fn invalid_input(err: Error) -> String {
    match err {
        Error::InvalidInput(msg) => msg,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

// ---- list ----------------------------------------------------------------------------

#[test]
fn list_walks_every_page_resending_the_filters_and_the_cursor() {
    let mut s = server();
    let filters = "is_active=true&order_by=name&order_direction=desc&include_total=true&limit=2";
    let first = s
        .mock("GET", "/v2/creators")
        .match_header("authorization", BEARER)
        .match_query(query(filters))
        .with_body(
            json!({
                "data": [creator_json("c1", "Zoe"), creator_json("c2", "Yann")],
                "pagination": {"next_cursor": "eyJu/+IjoiWWFubiJ9==", "has_next": true,
                               "limit": 2, "total_count": 3},
                "filters": {"is_active": true, "order_by": "name", "order_direction": "desc"}
            })
            .to_string(),
        )
        .expect(1)
        .create();
    let second = s
        .mock("GET", "/v2/creators")
        .match_header("authorization", BEARER)
        .match_query(query(&format!(
            "{filters}&cursor=eyJu%2F%2BIjoiWWFubiJ9%3D%3D"
        )))
        .with_body(
            json!({
                "data": [creator_json("c3", "Ada")],
                "pagination": {"next_cursor": null, "has_next": false, "limit": 2, "total_count": 3},
                "filters": {}
            })
            .to_string(),
        )
        .expect(1)
        .create();
    let params = ListCreators::new()
        .is_active(true)
        .order_by(CreatorOrder::Name)
        .order_direction(OrderDirection::Desc)
        .include_total(true)
        .limit(2);
    let pages: Vec<_> = common::client(&s)
        .creators()
        .list(params)
        .pages()
        .collect::<Result<_, _>>()
        .unwrap();
    first.assert();
    second.assert();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].total_count, Some(3));
    assert_eq!(pages[0].filters["order_direction"], "desc");
    let names: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.items.iter().map(|c| c.name.as_str()))
        .collect();
    assert_eq!(names, ["Zoe", "Yann", "Ada"]);
    assert_eq!(pages[1].items[0].id, "c3");
}

#[test]
fn list_asks_for_200_per_page_by_default_and_sends_no_unset_filter() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/creators")
        .match_query(query("limit=200"))
        .with_body(common::page(
            vec![creator_json("c1", "Ada")],
            None,
            false,
            200,
        ))
        .expect(1)
        .create();
    let all: Vec<Creator> = common::client(&s)
        .creators()
        .list(ListCreators::new())
        .collect::<Result<_, _>>()
        .unwrap();
    m.assert();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].name, "Ada");
}

#[test]
fn list_refuses_a_bad_limit_before_any_request() {
    for bad in [0, 201] {
        let mut s = server();
        let none = nothing_sent(&mut s);
        let mut walk = common::client(&s)
            .creators()
            .list(ListCreators::new().is_active(false).limit(bad));
        let msg = invalid_input(walk.next().unwrap().unwrap_err());
        assert_eq!(msg, format!("limit: must be between 1 and 200, got {bad}"));
        assert!(walk.next().is_none(), "the walk ends after its error");
        assert_none_hit(&none);
    }
}

#[test]
fn creator_order_uses_the_api_name() {
    assert_eq!(CreatorOrder::Name.as_str(), "name");
    assert_eq!(CreatorOrder::Name.to_string(), "name");
}

// ---- create --------------------------------------------------------------------------

#[test]
fn create_sends_the_documented_body_with_a_random_idempotency_key() {
    let mut s = server();
    let m = s
        .mock("POST", "/v2/creators")
        .match_header("authorization", BEARER)
        .match_header("content-type", JSON)
        .match_header("idempotency-key", Matcher::Regex(UUID_V4.into()))
        .match_body(Matcher::Json(json!({
            "name": "Khaby Lame",
            "is_active": false,
            "metadata": {"team": "growth", "tier": "A", "budget": 1200}
        })))
        .with_status(201)
        .with_header("x-request-id", "req_create")
        .with_body(data(json!({
            "id": "9b2e4c1a-7f3d-4e8a-b6c5-1d2e3f4a5b6c", "type": "creator", "name": "Khaby Lame",
            "is_active": false, "metadata": {"team": "growth", "tier": "A", "budget": 1200},
            "accounts_summary": {"total": 0, "platforms": {}, "total_followers": 0}
        })))
        .expect(1)
        .create();
    let r = common::client(&s)
        .creators()
        .create_with_meta(&NewCreator::new("Khaby Lame").is_active(false).metadata([
            ("team", json!("growth")),
            ("tier", json!("A")),
            ("budget", json!(1200)),
        ]))
        .unwrap();
    m.assert();
    assert_eq!(r.meta.status, 201);
    assert_eq!(r.meta.request_id.as_deref(), Some("req_create"));
    let key = r.meta.idempotency_key.as_deref().unwrap();
    assert!(regex_like_uuid(key), "{key}");
    assert_eq!(r.id, "9b2e4c1a-7f3d-4e8a-b6c5-1d2e3f4a5b6c");
    assert_eq!(r.is_active, Some(false));
    assert_eq!(r.metadata["budget"], 1200);
    let summary = r.accounts_summary.as_ref().unwrap();
    assert_eq!(summary.total, Some(0));
    assert!(summary.platforms.is_empty());
}

fn regex_like_uuid(key: &str) -> bool {
    key.len() == 36
        && key
            .chars()
            .enumerate()
            .all(|(i, c)| matches!(i, 8 | 13 | 18 | 23) == (c == '-'))
}

#[test]
fn create_sends_only_the_name_and_the_chosen_key() {
    let mut s = server();
    let m = s
        .mock("POST", "/v2/creators")
        .match_header("idempotency-key", "import-row-17")
        .match_body(Matcher::Json(json!({"name": "Ada"})))
        .with_body(data(creator_json("c1", "Ada")))
        .expect(1)
        .create();
    let r = common::client(&s)
        .creators()
        .create_with_meta(&NewCreator::new("Ada").idempotency_key("import-row-17"))
        .unwrap();
    m.assert();
    assert_eq!(r.meta.idempotency_key.as_deref(), Some("import-row-17"));
    assert_eq!(r.name, "Ada");
}

#[test]
fn create_refuses_bad_names_and_metadata_before_sending() {
    let mut s = server();
    let none = nothing_sent(&mut s);
    let c = common::client(&s);
    let too_many: Vec<(String, String)> = (0..21).map(|i| (format!("k{i}"), "v".into())).collect();
    let cases = [
        (NewCreator::new(""), "name: must not be empty"),
        (NewCreator::new(" \t\n"), "name: must not be empty"),
        (
            NewCreator::new("é".repeat(256)),
            "name: must be at most 255 characters, got 256",
        ),
        (
            NewCreator::new("Ada").metadata(too_many),
            "metadata: at most 20 keys, got 21",
        ),
        (
            NewCreator::new("Ada").metadata([("bio", "x".repeat(256))]),
            "metadata: the value of \"bio\" must be at most 255 characters, got 256",
        ),
    ];
    for (new, expected) in cases {
        let msg = invalid_input(c.creators().create(&new).unwrap_err());
        assert_eq!(msg, expected);
    }
    assert_none_hit(&none);
}

#[test]
fn limits_count_characters_not_bytes_and_accept_the_maximum() {
    let mut s = server();
    let name = "é".repeat(255); // 510 bytes, 255 characters
    let tags: Vec<(String, String)> = (0..20)
        .map(|i| (format!("k{i}"), "ü".repeat(255)))
        .collect();
    let expected_tags: Map<String, Value> = tags
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let m = s
        .mock("POST", "/v2/creators")
        .match_body(Matcher::Json(
            json!({"name": name, "metadata": expected_tags}),
        ))
        .with_body(data(creator_json("c1", &name)))
        .expect(1)
        .create();
    let c = common::client(&s)
        .creators()
        .create(&NewCreator::new(name.clone()).metadata(tags))
        .unwrap();
    m.assert();
    assert_eq!(c.name, name);
}

// ---- get -----------------------------------------------------------------------------

#[test]
fn get_decodes_a_realistic_creator() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/creators/9b2e")
        .match_header("authorization", BEARER)
        .match_header("content-type", Matcher::Missing)
        .with_header("etag", "\"c-v1\"")
        .with_body(data(creator_json("9b2e", "Khaby Lame")))
        .expect(1)
        .create();
    let r = common::client(&s).creators().get_with_meta("9b2e").unwrap();
    m.assert();
    assert_eq!(r.meta.etag.as_deref(), Some("\"c-v1\""));
    let c = r.into_inner();
    assert_eq!(c.id, "9b2e");
    assert_eq!(c.name, "Khaby Lame");
    assert_eq!(c.is_active, Some(true));
    assert_eq!(c.metadata["team"], "growth");
    let summary = c.accounts_summary.unwrap();
    assert_eq!(summary.total, Some(2));
    assert_eq!(summary.total_followers, Some(165_300_000));
    assert_eq!(summary.platforms["tiktok"], 1);
    assert_eq!(summary.accounts_on(&Platform::Instagram), Some(1));
}

#[test]
fn a_minimal_creator_with_nulls_and_unknowns_decodes() {
    let mut s = server();
    s.mock("GET", "/v2/creators/c1")
        .with_body(data(json!({
            "id": "c1", "name": "Ada", "metadata": null, "is_active": null,
            "accounts_summary": {"total": null, "platforms": {"youtube": 3, "tiktok": {"n": 1}},
                                 "total_followers": null, "by_category": ["x"]},
            "platform": "youtube", "created_at": "2026-06-14T09:30:00Z", "brand_new": {"a": [1]}
        })))
        .expect(1)
        .create();
    s.mock("GET", "/v2/creators/c2")
        .with_body(data(json!({"id": "c2", "name": "Bo"})))
        .expect(1)
        .create();
    s.mock("GET", "/v2/creators/c3")
        .with_body(data(
            json!({"id": "c3", "name": "Cy", "accounts_summary": null,
                              "metadata": {}}),
        ))
        .expect(1)
        .create();
    let c = common::client(&s);

    let a = c.creators().get("c1").unwrap();
    assert!(a.metadata.is_empty());
    assert_eq!(a.is_active, None);
    let summary = a.accounts_summary.unwrap();
    assert_eq!(summary.total, None);
    assert_eq!(summary.total_followers, None);
    assert_eq!(
        summary.platforms["youtube"], 3,
        "unknown platforms are kept"
    );
    assert_eq!(
        summary.accounts_on(&Platform::Other("youtube".into())),
        Some(3)
    );
    assert_eq!(summary.accounts_on(&Platform::TikTok), None, "not a count");
    assert_eq!(summary.accounts_on(&Platform::Instagram), None);

    let b = c.creators().get("c2").unwrap();
    assert_eq!(b.name, "Bo");
    assert_eq!(b.accounts_summary, None);
    assert!(b.metadata.is_empty());

    let cy = c.creators().get("c3").unwrap();
    assert_eq!(cy.accounts_summary, None);
}

#[test]
fn an_empty_platforms_null_summary_decodes_to_defaults() {
    let c: Creator = serde_json::from_value(json!({
        "id": "c1", "name": "Ada", "accounts_summary": {"platforms": null}
    }))
    .unwrap();
    let summary = c.accounts_summary.unwrap();
    assert!(summary.platforms.is_empty());
    assert_eq!(summary.total, None);
}

#[test]
fn conditional_get_tells_modified_from_not_modified() {
    let mut s = server();
    let unchanged = s
        .mock("GET", "/v2/creators/c1")
        .match_header("if-none-match", "\"v2\"")
        .with_status(304)
        .with_header("etag", "\"v2\"")
        .expect(1)
        .create();
    let changed = s
        .mock("GET", "/v2/creators/c1")
        .match_header("if-none-match", "\"v1\"")
        .with_header("etag", "\"v2\"")
        .with_body(data(creator_json("c1", "Renamed")))
        .expect(1)
        .create();
    let c = common::client(&s);
    let r = c.creators().get_if_none_match("c1", "\"v2\"").unwrap();
    assert!(r.is_not_modified());
    assert_eq!(r.meta().status, 304);
    match c.creators().get_if_none_match("c1", "\"v1\"").unwrap() {
        Conditional::Modified { value, etag, .. } => {
            assert_eq!(value.name, "Renamed");
            assert_eq!(etag.as_deref(), Some("\"v2\""));
        }
        other => panic!("{other:?}"),
    }
    unchanged.assert();
    changed.assert();
}

#[test]
fn get_of_an_unknown_creator_is_a_not_found_problem() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/creators/nope")
        .with_status(404)
        .with_header("content-type", PROBLEM_JSON)
        .with_body(common::problem(
            404,
            "NOT_FOUND",
            "Not Found",
            "Creator not found.",
            "req_404",
        ))
        .expect(1)
        .create();
    let err = common::client(&s).creators().get("nope").unwrap_err();
    m.assert();
    assert!(err.is_not_found());
    assert_eq!(err.request_id(), Some("req_404"));
}

// ---- ids -----------------------------------------------------------------------------

#[test]
fn ids_are_percent_encoded_in_every_path() {
    let mut s = server();
    let creator = "a/../b?x=1#f";
    let enc = "a%2F..%2Fb%3Fx%3D1%23f";
    let get = s
        .mock("GET", format!("/v2/creators/{enc}").as_str())
        .with_body(data(creator_json("x", "y")))
        .expect(1)
        .create();
    let patch = s
        .mock("PATCH", format!("/v2/creators/{enc}").as_str())
        .with_body(data(creator_json("x", "y")))
        .expect(1)
        .create();
    let delete = s
        .mock("DELETE", format!("/v2/creators/{enc}").as_str())
        .with_status(204)
        .expect(1)
        .create();
    let link = s
        .mock(
            "PUT",
            format!("/v2/creators/{enc}/accounts/acc%3F%2F1").as_str(),
        )
        .with_status(201)
        .expect(1)
        .create();
    let unlink = s
        .mock(
            "DELETE",
            format!("/v2/creators/{enc}/accounts/acc%3F%2F1").as_str(),
        )
        .with_status(204)
        .expect(1)
        .create();
    let analytics = s
        .mock("GET", format!("/v2/creators/{enc}/analytics").as_str())
        .match_query(query("start_date=2026-06-01&end_date=2026-06-30"))
        .with_body(data(json!({})))
        .expect(1)
        .create();
    let c = common::client(&s);
    let cr = c.creators();
    cr.get(creator).unwrap();
    cr.update(creator, &CreatorUpdate::new().is_active(true))
        .unwrap();
    cr.delete(creator).unwrap();
    cr.link_account(creator, "acc?/1").unwrap();
    cr.unlink_account(creator, "acc?/1").unwrap();
    cr.analytics(
        creator,
        CreatorAnalyticsParams::new(date("2026-06-01"), date("2026-06-30")),
    )
    .unwrap();
    for m in [get, patch, delete, link, unlink, analytics] {
        m.assert();
    }
}

#[test]
fn empty_ids_are_refused_before_any_request() {
    let mut s = server();
    let none = nothing_sent(&mut s);
    let c = common::client(&s);
    let cr = c.creators();
    let range = CreatorAnalyticsParams::new(date("2026-06-01"), date("2026-06-30"));
    let errors = [
        ("creator_id", cr.get("").unwrap_err()),
        ("creator_id", cr.get_with_meta(" ").unwrap_err()),
        (
            "creator_id",
            cr.get_if_none_match("", "\"v1\"").unwrap_err(),
        ),
        (
            "creator_id",
            cr.update("", &CreatorUpdate::new().name("x")).unwrap_err(),
        ),
        ("creator_id", cr.delete("").unwrap_err()),
        ("creator_id", cr.link_account("", "a1").unwrap_err()),
        ("account_id", cr.link_account("c1", " ").unwrap_err()),
        ("creator_id", cr.unlink_account("\n", "a1").unwrap_err()),
        ("account_id", cr.unlink_account("c1", "").unwrap_err()),
        ("creator_id", cr.analytics("", range).unwrap_err()),
    ];
    for (field, err) in errors {
        assert_eq!(invalid_input(err), format!("{field}: must not be empty"));
    }
    assert_none_hit(&none);
}

// ---- update --------------------------------------------------------------------------

#[test]
fn update_sends_only_the_fields_set() {
    let mut s = server();
    let rename = s
        .mock("PATCH", "/v2/creators/c1")
        .match_header("authorization", BEARER)
        .match_header("content-type", JSON)
        .match_header("idempotency-key", Matcher::Missing)
        .match_body(Matcher::Json(json!({"name": "Khaby"})))
        .with_body(data(creator_json("c1", "Khaby")))
        .expect(1)
        .create();
    let archive = s
        .mock("PATCH", "/v2/creators/c2")
        .match_header("content-type", JSON)
        .match_body(Matcher::Json(json!({"is_active": false, "metadata": {}})))
        .with_body(data(
            json!({"id": "c2", "name": "Bo", "is_active": false, "metadata": {}}),
        ))
        .expect(1)
        .create();
    let c = common::client(&s);
    let a = c
        .creators()
        .update("c1", &CreatorUpdate::new().name("Khaby"))
        .unwrap();
    assert_eq!(a.name, "Khaby");
    let b = c
        .creators()
        .update_with_meta(
            "c2",
            &CreatorUpdate::new().is_active(false).metadata(Map::new()),
        )
        .unwrap();
    assert_eq!(b.meta.status, 200);
    assert_eq!(b.is_active, Some(false));
    assert!(b.metadata.is_empty());
    rename.assert();
    archive.assert();
}

#[test]
fn metadata_is_merged_by_reading_editing_and_sending_it_whole() {
    let mut s = server();
    let read = s
        .mock("GET", "/v2/creators/c1")
        .with_body(data(creator_json("c1", "Ada")))
        .expect(1)
        .create();
    let write = s
        .mock("PATCH", "/v2/creators/c1")
        .match_body(Matcher::Json(
            json!({"metadata": {"team": "growth", "tier": "B", "region": "EU"}}),
        ))
        .with_body(data(json!({"id": "c1", "name": "Ada",
            "metadata": {"team": "growth", "tier": "B", "region": "EU"}})))
        .expect(1)
        .create();
    let c = common::client(&s);
    let mut tags = c.creators().get("c1").unwrap().metadata;
    tags.insert("tier".into(), "B".into());
    tags.insert("region".into(), "EU".into());
    let updated = c
        .creators()
        .update("c1", &CreatorUpdate::new().metadata(tags))
        .unwrap();
    read.assert();
    write.assert();
    assert_eq!(updated.metadata.len(), 3);
    assert_eq!(updated.metadata["tier"], "B");
}

#[test]
fn an_empty_or_invalid_update_is_refused_before_sending() {
    let mut s = server();
    let none = nothing_sent(&mut s);
    let c = common::client(&s);
    assert!(CreatorUpdate::new().is_empty());
    let msg = invalid_input(
        c.creators()
            .update("c1", &CreatorUpdate::new())
            .unwrap_err(),
    );
    assert_eq!(msg, "update: no field set; set name, is_active or metadata");
    let msg = invalid_input(
        c.creators()
            .update("c1", &CreatorUpdate::new().name("  "))
            .unwrap_err(),
    );
    assert_eq!(msg, "name: must not be empty");
    let msg = invalid_input(
        c.creators()
            .update("c1", &CreatorUpdate::new().name("x".repeat(300)))
            .unwrap_err(),
    );
    assert_eq!(msg, "name: must be at most 255 characters, got 300");
    let too_many: Map<String, Value> = (0..25).map(|i| (format!("k{i}"), json!(i))).collect();
    let msg = invalid_input(
        c.creators()
            .update(
                "c1",
                &CreatorUpdate::new().is_active(true).metadata(too_many),
            )
            .unwrap_err(),
    );
    assert_eq!(msg, "metadata: at most 20 keys, got 25");
    let long_json = json!({"nested": "y".repeat(260)});
    let msg = invalid_input(
        c.creators()
            .update("c1", &CreatorUpdate::new().metadata([("blob", long_json)]))
            .unwrap_err(),
    );
    assert!(msg.starts_with("metadata: the value of \"blob\""), "{msg}");
    assert_none_hit(&none);
}

// ---- delete --------------------------------------------------------------------------

#[test]
fn delete_accepts_204_and_200_with_a_body() {
    let mut s = server();
    let no_content = s
        .mock("DELETE", "/v2/creators/c1")
        .match_header("authorization", BEARER)
        .match_header("content-type", Matcher::Missing)
        .match_body(Matcher::Exact(String::new()))
        .with_status(204)
        .expect(1)
        .create();
    let with_body = s
        .mock("DELETE", "/v2/creators/c2")
        .with_status(200)
        .with_body(data(json!({"id": "c2", "deleted": true})))
        .expect(1)
        .create();
    let not_json = s
        .mock("DELETE", "/v2/creators/c3")
        .with_status(200)
        .with_body("deleted")
        .expect(1)
        .create();
    let c = common::client(&s);
    c.creators().delete("c1").unwrap();
    c.creators().delete("c2").unwrap();
    c.creators().delete("c3").unwrap();
    no_content.assert();
    with_body.assert();
    not_json.assert();
}

#[test]
fn delete_of_an_unknown_creator_is_an_api_error() {
    let mut s = server();
    let m = s
        .mock("DELETE", "/v2/creators/gone")
        .with_status(404)
        .with_header("content-type", PROBLEM_JSON)
        .with_body(common::problem(
            404,
            "NOT_FOUND",
            "Not Found",
            "Creator not found.",
            "r1",
        ))
        .expect(1)
        .create();
    let err = common::client(&s).creators().delete("gone").unwrap_err();
    m.assert();
    match err {
        Error::Api(p) => assert_eq!(p.code, ErrorCode::NotFound),
        other => panic!("{other:?}"),
    }
}

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
    let c = common::client(&s);
    let first = c.creators().link_account("c1", "a1").unwrap();
    let again = c.creators().link_account("c1", "a2").unwrap();
    created.assert();
    existing.assert();

    assert!(first.is_new());
    assert!(first.created);
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
    let c = common::client(&s);
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
        .with_body(common::problem(
            409,
            "CONFLICT",
            "Conflict",
            "Account is already linked to another creator.",
            "req_409",
        ))
        .expect(1)
        .create();
    let err = common::client(&s)
        .creators()
        .link_account("c1", "a9")
        .unwrap_err();
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
        .with_body(common::problem(
            404,
            "NOT_FOUND",
            "Not Found",
            "Account not found.",
            "r",
        ))
        .expect(1)
        .create();
    let err = common::client(&s)
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
    let c = common::client(&s);
    c.creators().unlink_account("c1", "a1").unwrap();
    c.creators().unlink_account("c1", "a2").unwrap();
    m.assert();
    with_body.assert();
}

// ---- top -----------------------------------------------------------------------------

#[test]
fn top_sends_period_and_limit_and_keeps_every_field() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/creators/top")
        .match_header("authorization", BEARER)
        .match_query(query("period=30d&limit=3"))
        .with_body(data(json!([
            {"id": "c1", "name": "Khaby", "rank": 1, "views": 1_250_000, "engagement_rate": 4.2,
             "accounts_summary": {"total": 2}},
            {"id": 42, "views": 900_000},
            {"name": null, "creator": {"id": "c3"}}
        ])))
        .expect(1)
        .create();
    let top = common::client(&s)
        .creators()
        .top(TopCreators::new().period(Period::Last30Days).limit(3))
        .unwrap();
    m.assert();
    assert_eq!(top.len(), 3);
    assert_eq!(top[0].id.as_deref(), Some("c1"));
    assert_eq!(top[0].name.as_deref(), Some("Khaby"));
    assert_eq!(top[0].number("views"), Some(1_250_000.0));
    assert_eq!(top[0].number("engagement_rate"), Some(4.2));
    assert_eq!(top[0].raw["accounts_summary"]["total"], 2);
    assert_eq!(top[1].id.as_deref(), Some("42"));
    assert_eq!(top[1].name, None);
    assert_eq!(top[2].id, None);
    assert_eq!(top[2].name, None);
    assert_eq!(top[2].get("creator").unwrap()["id"], "c3");
    // Nothing is lost: the entry serializes back to what the API sent.
    assert_eq!(
        serde_json::to_value(&top[1]).unwrap(),
        json!({"id": 42, "views": 900_000})
    );
}

#[test]
fn top_sends_no_parameter_unless_asked() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/creators/top")
        .match_query(query(""))
        .with_body(data(json!([])))
        .expect(1)
        .create();
    let empty = common::client(&s)
        .creators()
        .top(TopCreators::new())
        .unwrap();
    m.assert();
    assert!(empty.is_empty());
}

#[test]
fn top_accepts_the_limit_bounds_and_refuses_the_rest_before_sending() {
    let mut s = server();
    let one = s
        .mock("GET", "/v2/creators/top")
        .match_query(query("period=7d&limit=1"))
        .with_body(data(json!([{"id": "c1"}])))
        .expect(1)
        .create();
    let max = s
        .mock("GET", "/v2/creators/top")
        .match_query(query("limit=25"))
        .with_body(data(Value::Null))
        .expect(1)
        .create();
    let c = common::client(&s);
    let top = c
        .creators()
        .top(TopCreators::new().period(Period::Last7Days).limit(1))
        .unwrap();
    assert_eq!(top[0].id.as_deref(), Some("c1"));
    assert!(
        c.creators()
            .top(TopCreators::new().limit(25))
            .unwrap()
            .is_empty()
    );
    one.assert();
    max.assert();

    let mut s = server();
    let none = nothing_sent(&mut s);
    let c = common::client(&s);
    for bad in [0, 26, 200] {
        let msg = invalid_input(c.creators().top(TopCreators::new().limit(bad)).unwrap_err());
        assert_eq!(msg, format!("limit: must be between 1 and 25, got {bad}"));
    }
    assert_none_hit(&none);
}

#[test]
fn a_top_creator_decodes_from_anything() {
    let t: TopCreator = serde_json::from_value(json!("just a string")).unwrap();
    assert_eq!(t.id, None);
    assert_eq!(t.raw, json!("just a string"));
    assert_eq!(t.get("id"), None);
}

// ---- analytics -----------------------------------------------------------------------

#[test]
fn analytics_sends_the_dates_and_keeps_the_response() {
    let mut s = server();
    let body = json!({
        "data": {"type": "creator_analytics", "views": 3_400_000, "likes": 210_000,
                 "comments": 4_100, "shares": 9_800, "followers": 165_300_000u64,
                 "daily": [{"date": "2026-05-16", "views": 110_000}]},
        "meta": {"start_date": "2026-05-16", "end_date": "2026-06-15"}
    });
    let m = s
        .mock("GET", "/v2/creators/c1/analytics")
        .match_header("authorization", BEARER)
        .match_query(query("start_date=2026-05-16&end_date=2026-06-15"))
        .with_body(body.to_string())
        .expect(1)
        .create();
    let a = common::client(&s)
        .creators()
        .analytics(
            "c1",
            CreatorAnalyticsParams::new(date("2026-05-16"), date("2026-06-15")),
        )
        .unwrap();
    m.assert();
    assert_eq!(a.creator_id, "c1");
    assert_eq!(a.start_date, date("2026-05-16"));
    assert_eq!(a.end_date, date("2026-06-15"));
    assert_eq!(a.data, body["data"]);
    assert_eq!(a.number("views"), Some(3_400_000.0));
    assert_eq!(a.get("daily").unwrap()[0]["date"], "2026-05-16");
    assert_eq!(a.number("type"), None);
    assert_eq!(a.extra["meta"]["end_date"], "2026-06-15");
}

#[test]
fn analytics_without_an_envelope_keeps_the_whole_body() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/creators/c1/analytics")
        .match_query(query("start_date=2026-06-15&end_date=2026-06-15"))
        .with_body(json!([{"date": "2026-06-15", "views": 5}]).to_string())
        .expect(1)
        .create();
    let day = date("2026-06-15");
    let a = common::client(&s)
        .creators()
        .analytics("c1", CreatorAnalyticsParams::new(day, day))
        .unwrap();
    m.assert();
    assert_eq!(a.data[0]["views"], 5);
    assert!(a.extra.is_empty());
    assert_eq!(a.number("views"), None);
}

#[test]
fn analytics_refuses_a_start_after_the_end_before_sending() {
    let mut s = server();
    let none = nothing_sent(&mut s);
    let err = common::client(&s)
        .creators()
        .analytics(
            "c1",
            CreatorAnalyticsParams::new(date("2026-06-16"), date("2026-06-15")),
        )
        .unwrap_err();
    let msg = invalid_input(err);
    assert!(
        msg.contains("start_date") && msg.contains("end_date"),
        "{msg}"
    );
    assert_eq!(
        msg,
        "start_date: must not be after end_date (2026-06-16 > 2026-06-15)"
    );
    assert_none_hit(&none);
}

#[test]
fn analytics_reports_a_body_that_is_not_json() {
    let mut s = server();
    s.mock("GET", "/v2/creators/c1/analytics")
        .match_query(Matcher::Any)
        .with_body("<html>oops</html>")
        .expect(1)
        .create();
    let day = date("2026-06-15");
    let err = common::client(&s)
        .creators()
        .analytics("c1", CreatorAnalyticsParams::new(day, day))
        .unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

// ---- models --------------------------------------------------------------------------

#[test]
fn a_creator_serializes_back_to_the_api_shape() {
    let original = creator_json("c1", "Ada");
    let c: Creator = serde_json::from_value(original.clone()).unwrap();
    let again = serde_json::to_value(&c).unwrap();
    assert_eq!(again["name"], "Ada");
    assert_eq!(again["accounts_summary"], original["accounts_summary"]);
    let back: Creator = serde_json::from_value(again).unwrap();
    assert_eq!(back, c);
}
