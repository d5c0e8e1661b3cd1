//! `GET /account-videos` against a mock server: filters, pagination, lenient items, and the
//! road from a listed post to its batch metrics.

use crate::support::{BEARER, JSON, client, page, query, server};
use creatoraudit::{
    AccountVideoId, AccountVideoMetricsRequest, Error, ListAccountVideos, Platform,
};
use mockito::Matcher;
use serde_json::{Value, json};

/// A discovered post with the fields every video carries, and some this SDK does not name.
fn account_video_json(id: u64, platform: &str) -> Value {
    json!({
        "id": id,
        "type": "account_video",
        "platform": platform,
        "account_id": "4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
        "account_username": "khaby.lame",
        "external_id": "7301234567890123456",
        "shortcode": null,
        "description": "When the life hack is too complicated",
        "create_time": "2026-11-20T18:00:00Z",
        "last_scrape_time": "2026-11-28T09:30:00Z",
        "view_count": 41_000_000u64,
        "like_count": 3_200_000,
        "comment_count": 21_000,
        "share_count": 95_000,
        "play_count": 41_000_000u64,
        "saved_count": null,
        "cover_image_url": "https://cdn.creatoraudit.com/c/7301.jpg",
        "duration": 14.2
    })
}

#[test]
fn list_sends_only_the_filters_set_and_follows_the_cursor() {
    let mut s = server();
    let filters = "account_id=4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f&platform=tiktok&q=life%20hack\
                   &is_active=true&include_total=true&limit=2";
    let first = s
        .mock("GET", "/v2/account-videos")
        .match_query(query(filters))
        .match_header("authorization", BEARER)
        .with_header("content-type", JSON)
        .with_body(page(
            vec![
                account_video_json(101, "tiktok"),
                account_video_json(102, "tiktok"),
            ],
            Some("c/2=="),
            true,
            2,
        ))
        .expect(1)
        .create();
    let second = s
        .mock("GET", "/v2/account-videos")
        .match_query(query(&format!("{filters}&cursor=c%2F2%3D%3D")))
        .match_header("authorization", BEARER)
        .with_body(page(
            vec![account_video_json(103, "tiktok")],
            None,
            false,
            2,
        ))
        .expect(1)
        .create();

    let params = ListAccountVideos::new()
        .account_id("4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f")
        .platform(Platform::TikTok)
        .q("life hack")
        .is_active(true)
        .include_total(true)
        .limit(2);
    let videos: Vec<_> = client(&s)
        .account_videos()
        .list(params)
        .collect::<Result<_, _>>()
        .unwrap();
    first.assert();
    second.assert();
    let ids: Vec<_> = videos.iter().map(|v| v.id.as_u64().unwrap()).collect();
    assert_eq!(ids, [101, 102, 103]);

    let v = &videos[0];
    assert_eq!(v.id, AccountVideoId::Int(101));
    assert_eq!(v.platform, Some(Platform::TikTok));
    assert_eq!(
        v.account_id.as_deref(),
        Some("4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f")
    );
    assert_eq!(v.account_username.as_deref(), Some("khaby.lame"));
    assert_eq!(v.external_id.as_deref(), Some("7301234567890123456"));
    assert_eq!(v.shortcode, None);
    assert_eq!(
        v.description.as_deref(),
        Some("When the life hack is too complicated")
    );
    assert_eq!(v.create_time.as_deref(), Some("2026-11-20T18:00:00Z"));
    assert_eq!(v.last_scrape_time.as_deref(), Some("2026-11-28T09:30:00Z"));
    assert_eq!(v.view_count, Some(41_000_000));
    assert_eq!(v.like_count, Some(3_200_000));
    assert_eq!(v.comment_count, Some(21_000));
    assert_eq!(v.share_count, Some(95_000));
    assert_eq!(v.play_count, Some(41_000_000));
    assert_eq!(v.saved_count, None);
    // What the SDK does not name is kept as sent.
    assert_eq!(v.extra["type"], "account_video");
    assert_eq!(v.extra["duration"], 14.2);
    assert_eq!(
        v.extra["cover_image_url"],
        "https://cdn.creatoraudit.com/c/7301.jpg"
    );
}

#[test]
fn without_filters_nothing_is_sent_not_even_a_page_size() {
    // The docs give no page sizes for this endpoint: the API's default applies.
    let mut s = server();
    let m = s
        .mock("GET", "/v2/account-videos")
        .match_query(query(""))
        .match_header("authorization", BEARER)
        .with_body(page(
            vec![account_video_json(1, "instagram")],
            None,
            false,
            200,
        ))
        .expect(1)
        .create();
    let videos: Vec<_> = client(&s)
        .account_videos()
        .list(ListAccountVideos::new())
        .collect::<Result<_, _>>()
        .unwrap();
    m.assert();
    assert_eq!(videos.len(), 1);
    assert_eq!(videos[0].platform, Some(Platform::Instagram));
}

#[test]
fn minimal_and_odd_items_decode() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/account-videos")
        .match_query(query(""))
        .with_body(page(
            vec![
                json!({"id": 7}),
                json!({"id": "av_8", "platform": "youtube", "view_count": "lots",
                       "account_id": 42, "like_count": null, "new_metric": [1, 2]}),
            ],
            None,
            false,
            200,
        ))
        .expect(1)
        .create();
    let videos: Vec<_> = client(&s)
        .account_videos()
        .list(ListAccountVideos::new())
        .collect::<Result<_, _>>()
        .unwrap();
    m.assert();
    assert_eq!(videos[0].id, AccountVideoId::Int(7));
    assert_eq!(videos[0].platform, None);
    assert_eq!(videos[0].view_count, None);
    assert!(videos[0].extra.is_empty());
    let odd = &videos[1];
    assert_eq!(odd.id, AccountVideoId::Text("av_8".into()));
    assert_eq!(odd.id.as_u64(), None);
    assert_eq!(odd.id.to_string(), "av_8");
    assert_eq!(odd.platform, Some(Platform::Other("youtube".into())));
    assert_eq!(odd.view_count, None);
    assert_eq!(odd.like_count, None);
    assert_eq!(odd.account_id.as_deref(), Some("42"));
    assert_eq!(odd.extra["new_metric"], json!([1, 2]));
    // Serialized as the API shaped it: an integer id stays an integer.
    assert_eq!(serde_json::to_value(&videos[0]).unwrap()["id"], 7);
}

#[test]
fn invalid_parameters_are_reported_by_the_first_item_without_a_request() {
    let mut s = server();
    let none = s.mock("GET", Matcher::Any).expect(0).create();
    let c = client(&s);
    for (field, params) in [
        ("limit", ListAccountVideos::new().limit(0)),
        ("limit", ListAccountVideos::new().limit(201)),
        ("account_id", ListAccountVideos::new().account_id(" ")),
        ("q", ListAccountVideos::new().q("")),
    ] {
        let mut items = c.account_videos().list(params);
        match items.next() {
            Some(Err(Error::InvalidInput(why))) => assert!(why.starts_with(field), "{why}"),
            other => panic!("{field}: expected InvalidInput, got {other:?}"),
        }
        assert!(items.next().is_none());
    }
    none.assert();
}

#[test]
fn listed_posts_feed_the_batch_metrics_by_platform() {
    let mut s = server();
    let list = s
        .mock("GET", "/v2/account-videos")
        .match_query(query(""))
        .with_body(page(
            vec![
                account_video_json(11, "instagram"),
                account_video_json(12, "tiktok"),
                account_video_json(13, "instagram"),
            ],
            None,
            false,
            200,
        ))
        .expect(1)
        .create();
    let metrics = s
        .mock("POST", "/v2/account-videos/metrics")
        .match_header("content-type", JSON)
        .match_header("authorization", BEARER)
        .match_body(Matcher::Json(json!({
            "instagram_post_ids": [11, 13], "tiktok_video_ids": [12], "period": "7d"
        })))
        .with_body(
            json!({"data": {"11": {"views": 1}, "12": {"views": 2}, "13": {"views": 3}},
                   "meta": {"period": "7d", "days": 7, "not_found": []}})
            .to_string(),
        )
        .expect(1)
        .create();

    let c = client(&s);
    let (mut instagram, mut tiktok) = (Vec::new(), Vec::new());
    for video in c.account_videos().list(ListAccountVideos::new()) {
        let video = video.unwrap();
        let id = video.id.as_u64().unwrap();
        match video.platform {
            Some(Platform::Instagram) => instagram.push(id),
            Some(Platform::TikTok) => tiktok.push(id),
            other => panic!("unexpected platform {other:?}"),
        }
    }
    let batch = c
        .account_videos()
        .metrics(
            &AccountVideoMetricsRequest::new()
                .instagram_post_ids(instagram)
                .tiktok_video_ids(tiktok)
                .period(creatoraudit::Period::Last7Days),
        )
        .unwrap();
    list.assert();
    metrics.assert();
    let views: Vec<_> = batch.data.values().map(|m| m.views.unwrap()).collect();
    assert_eq!(views, [1, 2, 3]);
}
