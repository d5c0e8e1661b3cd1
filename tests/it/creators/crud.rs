//! List, create, get, update and delete, how ids go into every path, and the model's round
//! trip.

use creatoraudit::testing::fixtures;
use creatoraudit::{
    Conditional, Creator, CreatorOrder, DateRange, Error, ErrorCode, ListCreators, NewCreator,
    OrderDirection, Platform, UpdateCreator,
};
use mockito::Matcher;
use serde_json::{Map, Value, json};

use super::{assert_none_hit, date, invalid_input, nothing_sent};
use crate::support::{BEARER, JSON, PROBLEM_JSON, client, data, page, problem, query, server};

const UUID_V4: &str = "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$";

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
                "data": [fixtures::creator("c1", "Zoe"), fixtures::creator("c2", "Yann")],
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
                "data": [fixtures::creator("c3", "Ada")],
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
    let pages: Vec<_> = client(&s)
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
        .with_body(page(vec![fixtures::creator("c1", "Ada")], None, false, 200))
        .expect(1)
        .create();
    let all: Vec<Creator> = client(&s)
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
        let mut walk = client(&s)
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
    let r = client(&s)
        .creators()
        .create_with_meta(&NewCreator::new("Khaby Lame").is_active(false).metadata([
            ("team", json!("growth")),
            ("tier", json!("A")),
            ("budget", json!(1200)),
        ]))
        .unwrap();
    m.assert();
    assert_eq!(r.meta.status, Some(201));
    assert_eq!(r.meta.request_id.as_deref(), Some("req_create"));
    let key = r.meta.idempotency_key.as_deref().unwrap();
    assert!(regex_like_uuid(key), "{key}");
    assert_eq!(r.value.id, "9b2e4c1a-7f3d-4e8a-b6c5-1d2e3f4a5b6c");
    assert_eq!(r.value.is_active, Some(false));
    assert_eq!(r.value.metadata["budget"], 1200);
    let summary = r.value.accounts_summary.as_ref().unwrap();
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
        .with_body(data(fixtures::creator("c1", "Ada")))
        .expect(1)
        .create();
    let r = client(&s)
        .creators()
        .create_with_meta(&NewCreator::new("Ada").idempotency_key("import-row-17"))
        .unwrap();
    m.assert();
    assert_eq!(r.meta.idempotency_key.as_deref(), Some("import-row-17"));
    assert_eq!(r.value.name, "Ada");
}

#[test]
fn create_refuses_bad_names_and_metadata_before_sending() {
    let mut s = server();
    let none = nothing_sent(&mut s);
    let c = client(&s);
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
            "metadata: must have at most 20 keys, got 21",
        ),
        (
            NewCreator::new("Ada").metadata([("bio", "x".repeat(256))]),
            "metadata[\"bio\"]: must be at most 255 characters, got 256",
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
        .with_body(data(fixtures::creator("c1", &name)))
        .expect(1)
        .create();
    let c = client(&s)
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
        .with_body(data(fixtures::creator("9b2e", "Khaby Lame")))
        .expect(1)
        .create();
    let r = client(&s).creators().get_with_meta("9b2e").unwrap();
    m.assert();
    assert_eq!(r.meta.etag.as_deref(), Some("\"c-v1\""));
    let c = r.into_inner();
    assert_eq!(c.id, "9b2e");
    assert_eq!(c.name, "Khaby Lame");
    assert_eq!(c.is_active, Some(true));
    assert_eq!(c.metadata["team"], "growth");
    let summary = c.accounts_summary.unwrap();
    assert_eq!(summary.total, Some(2));
    assert_eq!(summary.total_followers, Some(3_400_000));
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
    let c = client(&s);

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
        .with_body(data(fixtures::creator("c1", "Renamed")))
        .expect(1)
        .create();
    let c = client(&s);
    let r = c.creators().get_if_none_match("c1", "\"v2\"").unwrap();
    assert!(r.is_not_modified());
    assert_eq!(r.meta().status, Some(304));
    match c.creators().get_if_none_match("c1", "\"v1\"").unwrap() {
        Conditional::Modified { value, meta, .. } => {
            assert_eq!(value.name, "Renamed");
            assert_eq!(meta.etag.as_deref(), Some("\"v2\""));
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
        .with_body(problem(404, "NOT_FOUND", "Creator not found.", "req_404"))
        .expect(1)
        .create();
    let err = client(&s).creators().get("nope").unwrap_err();
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
        .with_body(data(fixtures::creator("x", "y")))
        .expect(1)
        .create();
    let patch = s
        .mock("PATCH", format!("/v2/creators/{enc}").as_str())
        .with_body(data(fixtures::creator("x", "y")))
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
    let c = client(&s);
    let cr = c.creators();
    cr.get(creator).unwrap();
    cr.update(creator, &UpdateCreator::new().is_active(true))
        .unwrap();
    cr.delete(creator).unwrap();
    cr.link_account(creator, "acc?/1").unwrap();
    cr.unlink_account(creator, "acc?/1").unwrap();
    cr.analytics(
        creator,
        DateRange::new(date("2026-06-01"), date("2026-06-30")).unwrap(),
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
    let c = client(&s);
    let cr = c.creators();
    let range = DateRange::new(date("2026-06-01"), date("2026-06-30")).unwrap();
    let errors = [
        ("creator_id", cr.get("").unwrap_err()),
        ("creator_id", cr.get_with_meta(" ").unwrap_err()),
        (
            "creator_id",
            cr.get_if_none_match("", "\"v1\"").unwrap_err(),
        ),
        (
            "creator_id",
            cr.update("", &UpdateCreator::new().name("x")).unwrap_err(),
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
        .with_body(data(fixtures::creator("c1", "Khaby")))
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
    let c = client(&s);
    let a = c
        .creators()
        .update("c1", &UpdateCreator::new().name("Khaby"))
        .unwrap();
    assert_eq!(a.name, "Khaby");
    let b = c
        .creators()
        .update_with_meta(
            "c2",
            &UpdateCreator::new().is_active(false).metadata(Map::new()),
        )
        .unwrap();
    assert_eq!(b.meta.status, Some(200));
    assert_eq!(b.value.is_active, Some(false));
    assert!(b.value.metadata.is_empty());
    rename.assert();
    archive.assert();
}

#[test]
fn metadata_is_merged_by_reading_editing_and_sending_it_whole() {
    let mut s = server();
    let read = s
        .mock("GET", "/v2/creators/c1")
        .with_body(data(fixtures::creator("c1", "Ada")))
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
    let c = client(&s);
    let mut tags = c.creators().get("c1").unwrap().metadata;
    tags.insert("tier".into(), "B".into());
    tags.insert("region".into(), "EU".into());
    let updated = c
        .creators()
        .update("c1", &UpdateCreator::new().metadata(tags))
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
    let c = client(&s);
    assert!(UpdateCreator::new().is_empty());
    let msg = invalid_input(
        c.creators()
            .update("c1", &UpdateCreator::new())
            .unwrap_err(),
    );
    assert_eq!(msg, "update: no field set; set name, is_active or metadata");
    let msg = invalid_input(
        c.creators()
            .update("c1", &UpdateCreator::new().name("  "))
            .unwrap_err(),
    );
    assert_eq!(msg, "name: must not be empty");
    let msg = invalid_input(
        c.creators()
            .update("c1", &UpdateCreator::new().name("x".repeat(300)))
            .unwrap_err(),
    );
    assert_eq!(msg, "name: must be at most 255 characters, got 300");
    let too_many: Map<String, Value> = (0..25).map(|i| (format!("k{i}"), json!(i))).collect();
    let msg = invalid_input(
        c.creators()
            .update(
                "c1",
                &UpdateCreator::new().is_active(true).metadata(too_many),
            )
            .unwrap_err(),
    );
    assert_eq!(msg, "metadata: must have at most 20 keys, got 25");
    let long_json = json!({"nested": "y".repeat(260)});
    let msg = invalid_input(
        c.creators()
            .update("c1", &UpdateCreator::new().metadata([("blob", long_json)]))
            .unwrap_err(),
    );
    assert!(
        msg.starts_with("metadata[\"blob\"]: must be at most 255 characters, got "),
        "{msg}"
    );
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
    let c = client(&s);
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
        .with_body(problem(404, "NOT_FOUND", "Creator not found.", "r1"))
        .expect(1)
        .create();
    let err = client(&s).creators().delete("gone").unwrap_err();
    m.assert();
    match err {
        Error::Api(p) => assert_eq!(p.code, ErrorCode::NotFound),
        other => panic!("{other:?}"),
    }
}

// ---- models --------------------------------------------------------------------------
#[test]
fn a_creator_serializes_back_to_the_api_shape() {
    let original = fixtures::creator("c1", "Ada");
    let c: Creator = serde_json::from_value(original.clone()).unwrap();
    let again = serde_json::to_value(&c).unwrap();
    assert_eq!(again["name"], "Ada");
    assert_eq!(again["accounts_summary"], original["accounts_summary"]);
    let back: Creator = serde_json::from_value(again).unwrap();
    assert_eq!(back, c);
}

#[test]
fn a_creator_whose_platform_is_not_one_string_still_decodes() {
    // The creator schema does not document `platform` (a creator can span platforms), so an
    // odd value must not fail the whole listing.
    let mut s = server();
    let mut spanning = fixtures::creator("c1", "Ada");
    spanning["platform"] = json!(["tiktok", "instagram"]);
    let mut plain = fixtures::creator("c2", "Bruno");
    plain["platform"] = json!("tiktok");
    let m = s
        .mock("GET", "/v2/creators")
        .match_query(Matcher::Any)
        .with_body(page(vec![spanning, plain], None, false, 200))
        .create();
    let creators: Vec<_> = client(&s)
        .creators()
        .list(ListCreators::new())
        .collect::<Result<_, _>>()
        .unwrap();
    m.assert();
    assert_eq!(creators[0].platform, None);
    assert_eq!(creators[1].platform, Some(Platform::TikTok));
}
