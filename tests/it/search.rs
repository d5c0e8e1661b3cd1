//! `GET /search` against a mock server: the exact query, decoding, and argument checks.

use crate::support::{BEARER, JSON, client, query, server};
use creatoraudit::{Error, Platform, SearchParams};
use mockito::Matcher;
use serde_json::json;

fn search_mock(s: &mut mockito::ServerGuard, raw_query: &str) -> mockito::Mock {
    s.mock("GET", "/v2/search")
        .match_query(query(raw_query))
        .match_header("authorization", BEARER)
        .match_header("content-type", Matcher::Missing)
        .match_body(Matcher::Exact(String::new()))
        .with_header("content-type", JSON)
}

#[test]
fn search_sends_q_and_limit_and_decodes_every_section() {
    let mut s = server();
    let m = search_mock(&mut s, "q=khaby&limit=5")
        .with_body(
            json!({
                "data": {
                    "accounts": [{"id": "4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "platform": "tiktok",
                                  "username": "khaby.lame", "display_name": "Khaby Lame"}],
                    "creators": [{"id": "9b2e4c1a-7f3d-4e8a-b6c5-1d2e3f4a5b6c", "name": "Khaby"}],
                    "videos": [
                        {"id": "8f14e45f-ceea-4e7b-a1d4-5c6f7a8b9c0d", "platform": "instagram",
                         "caption": "khaby reacts", "account_id": "4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
                         "account_username": "khaby00"},
                        {"id": 88_310_042, "platform": "tiktok", "caption": null,
                         "account_id": null, "account_username": null}
                    ]
                },
                "meta": {"query": "khaby", "limit_per_section": 5,
                         "effective_caps": {"accounts": 5, "creators": 5, "videos": 5}}
            })
            .to_string(),
        )
        .expect(1)
        .create();

    let found = client(&s)
        .search(SearchParams::new("khaby").limit(5))
        .unwrap();
    m.assert();

    assert!(!found.is_empty());
    let account = &found.accounts[0];
    assert_eq!(account.id, "4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
    assert_eq!(account.platform, Some(Platform::TikTok));
    assert_eq!(account.username.as_deref(), Some("khaby.lame"));
    assert_eq!(account.display_name.as_deref(), Some("Khaby Lame"));
    assert_eq!(found.creators[0].name.as_deref(), Some("Khaby"));
    assert_eq!(found.videos.len(), 2);
    let video = &found.videos[0];
    assert_eq!(video.platform, Some(Platform::Instagram));
    assert_eq!(video.caption.as_deref(), Some("khaby reacts"));
    assert_eq!(video.account_username.as_deref(), Some("khaby00"));
    assert_eq!(
        video.account_id.as_deref(),
        Some("4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f")
    );
    // An integer id (an account video) is kept, as a string.
    assert_eq!(found.videos[1].id, "88310042");
    assert_eq!(found.videos[1].caption, None);
    assert_eq!(found.meta.query.as_deref(), Some("khaby"));
    assert_eq!(found.meta.limit_per_section, Some(5));
    assert_eq!(found.meta.effective_caps.accounts, Some(5));
    assert_eq!(found.meta.effective_caps.creators, Some(5));
    assert_eq!(found.meta.effective_caps.videos, Some(5));
}

#[test]
fn without_a_limit_only_q_is_sent_percent_encoded() {
    let mut s = server();
    let m = search_mock(&mut s, "q=caf%C3%A9%20%26%20co")
        .with_body(
            json!({"data": {"accounts": [], "creators": [], "videos": []},
                   "meta": {"query": "café & co", "limit_per_section": 10,
                            "effective_caps": {"accounts": 10, "creators": 10, "videos": 10}}})
            .to_string(),
        )
        .expect(1)
        .create();
    let r = client(&s)
        .search_with_meta(SearchParams::new("café & co"))
        .unwrap();
    m.assert();
    assert_eq!(r.meta.status, Some(200));
    assert!(r.meta.retry_delays.is_empty());
    assert_eq!(r.value.meta.query.as_deref(), Some("café & co"));
    assert_eq!(r.value.meta.limit_per_section, Some(10));
}

#[test]
fn a_minimal_answer_with_nulls_and_unknown_values_decodes() {
    let mut s = server();
    let m = search_mock(&mut s, "q=a&limit=25")
        .with_body(
            json!({
                "data": {
                    "accounts": [{"id": "a1", "platform": "youtube", "username": null,
                                  "followers": 12}],
                    "creators": null,
                    "search_engine": "v3"
                },
                "meta": {"query": "a", "effective_caps": {"accounts": 10}, "took_ms": 4},
                "links": {}
            })
            .to_string(),
        )
        .expect(1)
        .create();
    let found = client(&s).search(SearchParams::new("a").limit(25)).unwrap();
    m.assert();
    assert_eq!(found.accounts.len(), 1);
    assert_eq!(
        found.accounts[0].platform,
        Some(Platform::Other("youtube".into()))
    );
    assert_eq!(found.accounts[0].username, None);
    assert_eq!(found.accounts[0].display_name, None);
    assert!(found.creators.is_empty());
    assert!(found.videos.is_empty());
    assert_eq!(found.meta.limit_per_section, None);
    // The service capped accounts below the 25 asked for.
    assert_eq!(found.meta.effective_caps.accounts, Some(10));
    assert_eq!(found.meta.effective_caps.videos, None);
}

#[test]
fn out_of_range_arguments_fail_before_any_request() {
    let mut s = server();
    let none = s.mock("GET", Matcher::Any).expect(0).create();
    let c = client(&s);
    let too_long = "x".repeat(129);
    for (field, search) in [
        ("limit", SearchParams::new("khaby").limit(0)),
        ("limit", SearchParams::new("khaby").limit(26)),
        ("q", SearchParams::new(too_long)),
    ] {
        match c.search(search) {
            Err(Error::InvalidInput(why)) => assert!(why.starts_with(field), "{why}"),
            other => panic!("{field}: expected InvalidInput, got {other:?}"),
        }
    }
    none.assert();
}

#[test]
fn the_128_character_bound_counts_characters_not_bytes() {
    let mut s = server();
    let q = "é".repeat(128);
    let m = search_mock(&mut s, &format!("q={}&limit=1", "%C3%A9".repeat(128)))
        .with_body(json!({"data": {}, "meta": {}}).to_string())
        .expect(1)
        .create();
    let found = client(&s).search(SearchParams::new(q).limit(1)).unwrap();
    m.assert();
    assert!(found.is_empty());
}
