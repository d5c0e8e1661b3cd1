//! Response bodies for the tests, built on the test kit's [`creatoraudit::testing::fixtures`]
//! (the one source of realistic resources), with what the tests need beyond them: exact
//! pagination members, a chosen request id, and resources with every optional field set.

use creatoraudit::ErrorCode;
use creatoraudit::testing::fixtures;
use serde_json::{Value, json};

/// `{"data": value}`, serialized.
pub fn data(value: Value) -> String {
    json!({ "data": value }).to_string()
}

/// A list response body with exactly these pagination members (a server may break the
/// contract, e.g. `has_next` without a cursor).
pub fn page(items: Vec<Value>, next_cursor: Option<&str>, has_next: bool, limit: u32) -> String {
    let mut page = fixtures::page(items, next_cursor);
    page["pagination"]["has_next"] = json!(has_next);
    page["pagination"]["limit"] = json!(limit);
    page.to_string()
}

/// The kit's problem document for `status` and `code` (any string: unknown codes too),
/// with this `detail` and `request_id`, serialized.
pub fn problem(status: u16, code: &str, detail: &str, request_id: &str) -> String {
    let code: ErrorCode = code.parse().unwrap_or_else(|never| match never {});
    let mut doc = fixtures::problem(status, code, detail);
    doc["request_id"] = json!(request_id);
    doc.to_string()
}

/// The kit's account with every optional field set, and counts past `u32::MAX`.
pub fn full_account(id: &str, username: &str) -> Value {
    let mut account = fixtures::account(id, username);
    let set = [
        ("name", json!("Khaby Lame")),
        ("link_in_bio", json!("https://linktr.ee/khaby")),
        ("creator_id", json!("9b2e4c1a-7f3d-4e8a-b6c5-1d2e3f4a5b6c")),
        ("creator_name", json!("Khaby")),
        ("metadata", json!({"team": "growth", "tier": "A"})),
        ("follower_count", json!(162_400_000u64)),
        ("view_count", json!(2_480_000_000u64)),
        ("like_count", json!(2_400_000_000u64)),
        ("play_count", json!(2_480_000_000u64)),
        ("post_lookback_days", json!(90)),
    ];
    for (field, value) in set {
        assert!(
            account.get(field).is_some(),
            "the kit's account has {field}"
        );
        account[field] = value;
    }
    account
}

/// The kit's video with every optional field set, and text beyond ASCII.
pub fn full_video(id: &str) -> Value {
    let mut video = fixtures::video(id);
    let set = [
        ("description", json!("Summer drop ☀️")),
        ("metadata", json!({"campaign": "summer"})),
        (
            "cover_image_url_original",
            json!("https://scontent.cdninstagram.com/c/1.jpg"),
        ),
        (
            "video_url_original",
            json!("https://scontent.cdninstagram.com/v/1.mp4"),
        ),
        ("account_id", json!("4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f")),
        (
            "platform_data",
            json!({"music": {"title": "original audio"}}),
        ),
    ];
    for (field, value) in set {
        assert!(video.get(field).is_some(), "the kit's video has {field}");
        video[field] = value;
    }
    video
}
