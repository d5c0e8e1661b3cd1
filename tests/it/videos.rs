//! The typed video calls: request shapes and decoding.

use creatoraudit::testing::fixtures;
use creatoraudit::{Error, ListVideos, NewVideo, Platform, VideoOrder};
use mockito::Matcher;
use serde_json::json;

use crate::support::{JSON, client, data, full_video, page, query, server};

#[test]
fn list_videos_sends_filters_and_decodes() {
    let mut s = server();
    let m = s
        .mock("GET", "/v2/videos")
        .match_query(query("account_id=4f1c&order_by=view_count&limit=50"))
        .with_body(page(
            vec![
                full_video("v1"),
                json!({"id": "v2", "platform": "snapchat", "metadata": null, "extra": true}),
            ],
            None,
            false,
            50,
        ))
        .expect(1)
        .create();
    let videos: Vec<_> = client(&s)
        .videos()
        .list(
            ListVideos::new()
                .account_id("4f1c")
                .order_by(VideoOrder::ViewCount)
                .limit(50),
        )
        .collect::<Result<_, _>>()
        .unwrap();
    m.assert();
    assert_eq!(videos.len(), 2);
    let v = &videos[0];
    assert_eq!(v.platform, Some(Platform::Instagram));
    assert_eq!(v.shortcode.as_deref(), Some("C8xYzAbCdEf"));
    assert_eq!(v.duration, Some(31.5));
    assert_eq!(v.saved_count, Some(7_800));
    assert_eq!(
        v.platform_data.as_ref().unwrap()["music"]["title"],
        "original audio"
    );
    assert_eq!(videos[1].platform, Some(Platform::Other("snapchat".into())));
    assert!(videos[1].metadata.is_empty());
}

#[test]
fn create_video_sends_the_documented_body() {
    let mut s = server();
    let m = s
        .mock("POST", "/v2/videos")
        .match_header("content-type", JSON)
        .match_header("idempotency-key", Matcher::Regex("^[0-9a-f-]{36}$".into()))
        .match_body(Matcher::Json(json!({
            "platform": "instagram", "identifier": "https://www.instagram.com/p/C8xYzAbCdEf/", "is_active": true,
            "metadata": {"campaign": "summer", "budget": 1200}
        })))
        .with_status(201)
        .with_body(data(fixtures::video("v9")))
        .expect(1)
        .create();
    let v = client(&s)
        .videos()
        .create(
            &NewVideo::new(
                Platform::Instagram,
                "https://www.instagram.com/p/C8xYzAbCdEf/",
            )
            .is_active(true)
            // Tags in any map-like form, as the creators' setters take them.
            .metadata([("campaign", json!("summer")), ("budget", json!(1200))]),
        )
        .unwrap();
    m.assert();
    assert_eq!(v.id, "v9");
    let err = client(&s)
        .videos()
        .create(&NewVideo::new(Platform::Instagram, ""))
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput(msg) if msg == "identifier: must not be empty"),
        "{err}"
    );
    m.assert(); // still the one create: the empty identifier was refused before sending
}
