//! The typed account calls: request shapes and decoding (and the account and video models'
//! round trip).

use creatoraudit::testing::fixtures;
use creatoraudit::{Conditional, Error, NewAccount, Platform};
use mockito::Matcher;
use serde_json::json;

use crate::support::{BEARER, JSON, client, data, full_account, full_video, server};

#[test]
fn get_decodes_a_realistic_account() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/accounts/4f1c")
        .match_header("authorization", BEARER)
        .with_body(data(full_account("4f1c", "khaby.lame")))
        .expect(1)
        .create();
    let a = client(&s).accounts().get("4f1c").unwrap();
    m.assert();
    assert_eq!(a.id, "4f1c");
    assert_eq!(a.username, "khaby.lame");
    assert_eq!(a.platform, Some(Platform::TikTok));
    assert_eq!(a.is_verified, Some(true));
    assert_eq!(a.follower_count, Some(162_400_000));
    assert_eq!(a.view_count, Some(2_480_000_000));
    assert_eq!(a.saved_count, None);
    assert_eq!(a.metadata["team"], "growth");
    assert_eq!(a.last_scrape_time.as_deref(), Some("2026-11-28T09:30:00Z"));
    assert_eq!(a.effective_post_lookback_days, Some(90));
}

#[test]
fn a_minimal_account_with_nulls_and_unknowns_decodes() {
    let mut s = server();
    s.mock("GET", "/v2/accounts/a1")
        .with_body(data(json!({
            "id": "a1", "username": "new_one", "platform": "youtube", "metadata": null,
            "last_scrape_time": null, "follower_count": null, "brand_new_field": {"x": [1, 2]}
        })))
        .create();
    let a = client(&s).accounts().get("a1").unwrap();
    assert_eq!(a.platform, Some(Platform::Other("youtube".into())));
    assert!(a.metadata.is_empty());
    assert_eq!(a.last_scrape_time, None);
    assert_eq!(a.follower_count, None);
    assert_eq!(a.is_active, None);
}

#[test]
fn ids_are_path_encoded_and_empty_ids_refused() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/accounts/a%2F..%2Fb%3Fx%3D1")
        .with_body(data(fixtures::account("x", "y")))
        .expect(1)
        .create();
    let none = s.mock("GET", "/v2/accounts/").expect(0).create();
    let c = client(&s);
    c.accounts().get("a/../b?x=1").unwrap();
    let err = c.accounts().get("").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid argument: account_id: must not be empty"
    );
    m.assert();
    none.assert();
}

#[test]
fn create_sends_the_documented_body_with_an_idempotency_key() {
    let mut s = server();
    let m = s
        .mock("POST", "/v2/accounts")
        .match_header("content-type", JSON)
        .match_header("authorization", BEARER)
        .match_header("idempotency-key", Matcher::Regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$".into()))
        .match_body(Matcher::Json(json!({
            "platform": "tiktok", "username": "khaby.lame", "category": "tech", "scrape_interval_hours": 12
        })))
        .with_status(201)
        .with_body(data(json!({"id": "new-1", "username": "khaby.lame", "platform": "tiktok",
            "last_scrape_time": null, "added_at": "2026-11-29T10:00:00Z"})))
        .expect(1)
        .create();
    let r = client(&s)
        .accounts()
        .create_with_meta(
            &NewAccount::new(Platform::TikTok, "khaby.lame")
                .category("tech")
                .scrape_interval_hours(12),
        )
        .unwrap();
    m.assert();
    assert_eq!(r.value.id, "new-1");
    assert_eq!(r.value.last_scrape_time, None);
    assert_eq!(r.meta.status, Some(201));
    assert_eq!(r.meta.idempotency_key.as_ref().map(String::len), Some(36));
}

#[test]
fn create_sends_only_the_required_fields_and_a_chosen_key() {
    let mut s = server();
    let m = s
        .mock("POST", "/v2/accounts")
        .match_header("idempotency-key", "my-key-1")
        .match_body(Matcher::Json(
            json!({"platform": "instagram", "username": "natgeo"}),
        ))
        .with_body(data(fixtures::account("n", "natgeo")))
        .create();
    client(&s)
        .accounts()
        .create(&NewAccount::new(Platform::Instagram, "natgeo").idempotency_key("my-key-1"))
        .unwrap();
    m.assert();
}

#[test]
fn create_refuses_an_empty_username_before_sending() {
    let mut s = server();
    let m = s.mock("POST", Matcher::Any).expect(0).create();
    let err = client(&s)
        .accounts()
        .create(&NewAccount::new(Platform::TikTok, " "))
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(ref m) if m.starts_with("username")),
        "{err}"
    );
    m.assert();
}

#[test]
fn conditional_get_tells_modified_from_not_modified() {
    let mut s = server();
    let unchanged = s
        .mock("GET", "/v2/accounts/a1")
        .match_header("if-none-match", "\"v1\"")
        .with_status(304)
        .with_header("etag", "\"v1\"")
        .with_header("x-request-id", "req_304")
        .expect(1)
        .create();
    let changed = s
        .mock("GET", "/v2/accounts/a1")
        .match_header("if-none-match", "\"v0\"")
        .with_header("etag", "\"v1\"")
        .with_body(data(fixtures::account("a1", "fresh")))
        .expect(1)
        .create();
    let c = client(&s);
    let r = c.accounts().get_if_none_match("a1", "\"v1\"").unwrap();
    assert!(r.is_not_modified());
    assert_eq!(r.meta().status, Some(304));
    assert_eq!(r.meta().request_id.as_deref(), Some("req_304"));
    match c.accounts().get_if_none_match("a1", "\"v0\"").unwrap() {
        Conditional::Modified { value, meta, .. } => {
            assert_eq!(value.username, "fresh");
            assert_eq!(meta.etag.as_deref(), Some("\"v1\""));
        }
        other => panic!("{other:?}"),
    }
    unchanged.assert();
    changed.assert();
}

#[test]
fn a_304_to_an_unconditional_get_is_an_error_not_a_parse() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/accounts/a1")
        .with_status(304)
        .expect(1)
        .create();
    let err = client(&s).accounts().get("a1").unwrap_err();
    m.assert();
    // An API error for the status (not a decode error of the empty body).
    assert!(matches!(&err, Error::Api(p) if p.status == 304), "{err:?}");
}

#[test]
fn models_serialize_back_to_the_api_shape() {
    let original = full_account("a1", "khaby.lame");
    let account: creatoraudit::Account = serde_json::from_value(original.clone()).unwrap();
    let again = serde_json::to_value(&account).unwrap();
    assert_eq!(again["username"], "khaby.lame");
    assert_eq!(again["platform"], "tiktok");
    assert_eq!(again["follower_count"], original["follower_count"]);
    let back: creatoraudit::Account = serde_json::from_value(again).unwrap();
    assert_eq!(back, account);
    let video: creatoraudit::Video = serde_json::from_value(full_video("v1")).unwrap();
    let back: creatoraudit::Video =
        serde_json::from_value(serde_json::to_value(&video).unwrap()).unwrap();
    assert_eq!(back, video);
}

#[test]
fn the_engagement_counts_decode_and_keep_the_schemas_order() {
    let counts = r#""view_count":1,"like_count":2,"comment_count":3,"share_count":4,"play_count":5,"saved_count":6"#;
    let account: creatoraudit::Account =
        serde_json::from_str(&format!(r#"{{"id":"a","username":"u",{counts}}}"#)).unwrap();
    let video: creatoraudit::Video =
        serde_json::from_str(&format!(r#"{{"id":"v",{counts}}}"#)).unwrap();
    let read = |v: [Option<u64>; 6]| v.map(|n| n.unwrap());
    assert_eq!(
        read([
            account.view_count,
            account.like_count,
            account.comment_count,
            account.share_count,
            account.play_count,
            account.saved_count
        ]),
        [1, 2, 3, 4, 5, 6]
    );
    assert_eq!(
        read([
            video.view_count,
            video.like_count,
            video.comment_count,
            video.share_count,
            video.play_count,
            video.saved_count
        ]),
        [1, 2, 3, 4, 5, 6]
    );

    // Written back, each model lists its members in its schema's order.
    let order = |json: String, names: &[&str]| {
        let at: Vec<usize> = names
            .iter()
            .map(|n| json.find(&format!("\"{n}\":")).expect(n))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{names:?} in {json}");
    };
    order(
        serde_json::to_string(&account).unwrap(),
        &[
            "total_post_count",
            "view_count",
            "saved_count",
            "fb_play_count",
        ],
    );
    order(
        serde_json::to_string(&video).unwrap(),
        &[
            "video_url_original",
            "view_count",
            "saved_count",
            "total_views",
        ],
    );
}

#[test]
fn a_platform_of_another_shape_does_not_fail_the_record() {
    // The schema does not list `platform` (the docs' prose does): it is read leniently.
    let json = json!({"id": "a1", "username": "u", "platform": 5, "follower_count": 9});
    let a: creatoraudit::Account = serde_json::from_value(json.clone()).unwrap();
    assert_eq!((a.platform, a.follower_count), (None, Some(9)));
    let v: creatoraudit::Video = serde_json::from_value(json).unwrap();
    assert_eq!(v.platform, None);
    let a: creatoraudit::Account =
        serde_json::from_value(json!({"id": "a1", "username": "u", "platform": "TikTok"})).unwrap();
    assert_eq!(a.platform, Some(Platform::TikTok));
}
