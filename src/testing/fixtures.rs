//! Realistic response bodies, shaped as the API documents them.
//!
//! Each function returns a [`serde_json::Value`] you can change before serving it, e.g.
//! `fixtures::account("a1", "khaby.lame")` with `["follower_count"] = json!(0)` to test how
//! your code handles an account that was not refreshed yet.

use serde_json::{Value, json};

use crate::problem::reason_phrase;
use crate::{ErrorCode, Platform};

/// A tracked TikTok account with every documented field set: [`account_on`] TikTok.
pub fn account(id: &str, username: &str) -> Value {
    account_on(&Platform::TikTok, id, username)
}

/// A tracked account on `platform` with every documented field set; its picture URLs point
/// at that platform's CDN.
///
/// ```
/// use creatoraudit::{Account, Platform, testing::fixtures};
///
/// let json = fixtures::account_on(&Platform::Instagram, "a1", "nasa");
/// let account: Account = serde_json::from_value(json)?;
/// assert_eq!(account.platform, Some(Platform::Instagram));
/// assert!(account.profile_pic_url_original.unwrap().contains("cdninstagram.com"));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn account_on(platform: &Platform, id: &str, username: &str) -> Value {
    let cdn = match platform {
        Platform::Instagram => "scontent.cdninstagram.com",
        _ => "p16-sign.tiktokcdn.com",
    };
    json!({
        "id": id,
        "type": "account",
        "platform": platform,
        "username": username,
        "name": username,
        "description": "Tracked by CreatorAudit",
        "profile_pic_url": format!("https://cdn.creatoraudit.com/p/{username}.jpg"),
        "profile_pic_url_original": format!("https://{cdn}/{username}.jpg"),
        "is_verified": true,
        "is_active": true,
        "is_unavailable": false,
        "link_in_bio": null,
        "creator_id": null,
        "creator_name": null,
        "category": "entertainment",
        "metadata": {},
        "added_at": "2026-06-14T09:30:00Z",
        "first_scrape_time": "2026-06-14T09:31:12Z",
        "last_scrape_time": "2026-11-28T09:30:00Z",
        "scrape_interval_hours": 24,
        "follower_count": 1_250_000,
        "following_count": 310,
        "profile_post_count": 812,
        "total_post_count": 812,
        "view_count": 98_000_000,
        "like_count": 7_400_000,
        "comment_count": 120_000,
        "share_count": 64_000,
        "play_count": 98_000_000,
        "saved_count": null,
        "fb_play_count": null,
        "ig_play_count": null,
        "fb_like_count": null,
        "max_recent_posts_per_account": null,
        "post_lookback_days": null,
        "effective_max_recent_posts_per_account": 50,
        "effective_post_lookback_days": 90
    })
}

/// An individually tracked Instagram video with every documented field set.
pub fn video(id: &str) -> Value {
    json!({
        "id": id,
        "type": "video",
        "platform": "instagram",
        "external_id": "3141592653589793238",
        "shortcode": "C8xYzAbCdEf",
        "is_active": true,
        "scrape_interval_hours": 24,
        "metadata": {},
        "added_at": "2026-06-14T09:30:00Z",
        "updated_at": "2026-11-28T09:30:00Z",
        "first_scrape_time": "2026-06-14T09:31:00Z",
        "last_scrape_time": "2026-11-28T09:30:00Z",
        "description": "Summer drop",
        "create_time": "2026-06-13T18:00:00Z",
        "media_type": "reel",
        "duration": 31.5,
        "is_unavailable": false,
        "cover_image_url": "https://cdn.creatoraudit.com/c/1.jpg",
        "cover_image_url_original": null,
        "video_url": "https://cdn.creatoraudit.com/v/1.mp4",
        "video_url_original": null,
        "view_count": 1_200_000,
        "like_count": 98_000,
        "comment_count": 1_200,
        "share_count": 3_400,
        "play_count": 1_500_000,
        "saved_count": 7_800,
        "total_views": 1_200_000,
        "total_plays": 1_500_000,
        "account_id": null,
        "account_username": "natgeo",
        "platform_account_id": "787132",
        "platform_data": {}
    })
}

/// A creator with one TikTok and one Instagram account linked.
pub fn creator(id: &str, name: &str) -> Value {
    json!({
        "id": id,
        "type": "creator",
        "name": name,
        "is_active": true,
        "metadata": {"team": "growth"},
        "accounts_summary": {
            "total": 2,
            "platforms": {"tiktok": 1, "instagram": 1},
            "total_followers": 3_400_000
        }
    })
}

/// The answer of `GET /whoami`.
pub fn whoami(organization_id: &str) -> Value {
    json!({"type": "whoami", "organization_id": organization_id, "api_key_name": "test key"})
}

/// The answer of `GET /meta` for the current version.
pub fn api_meta() -> Value {
    json!({
        "type": "api_meta",
        "api_version": "v2",
        "status": "current",
        "docs_url": "https://api.creatoraudit.com/v2/docs",
        "openapi_url": "https://api.creatoraudit.com/v2/openapi.json",
        "whoami_url": "https://api.creatoraudit.com/v2/whoami",
        "deprecation": null,
        "sunset": null
    })
}

/// The answer of `GET /overview`: a period 25 % up on the previous one.
pub fn overview() -> Value {
    json!({
        "type": "overview",
        "current": {"total_views": 1_250_000, "engagement_rate": 4.2, "active_accounts": 18,
                    "account_videos": 940, "tracked_videos": 35},
        "previous": {"total_views": 1_000_000, "engagement_rate": 3.9, "active_accounts": 16,
                     "account_videos": 880, "tracked_videos": 30},
        "changes": {"total_views_pct": 25.0, "engagement_rate_pct": 7.69, "active_accounts_pct": 12.5,
                    "account_videos_pct": 6.82, "tracked_videos_pct": 16.67}
    })
}

/// Windowed metrics of one video, as `POST /videos/metrics` reports them per id.
pub fn video_metrics(views: u64) -> Value {
    json!({
        "views": views,
        "plays": views,
        "likes": views / 20,
        "comments": views / 500,
        "shares": views / 250,
        "engagement": views / 20 + views / 500 + views / 250
    })
}

/// A batch metrics answer: `{data: {id: metrics}, meta: {..., not_found}}`.
pub fn batch_metrics(found: &[(&str, u64)], not_found: &[&str]) -> Value {
    let data: serde_json::Map<String, Value> = found
        .iter()
        .map(|(id, views)| ((*id).to_owned(), video_metrics(*views)))
        .collect();
    json!({
        "data": data,
        "meta": {"period": "30d", "start_date": "2026-10-30", "end_date": "2026-11-28", "days": 30,
                 "not_found": not_found}
    })
}

/// A list response body: `{data, pagination, filters}`.
pub fn page(items: Vec<Value>, next_cursor: Option<&str>) -> Value {
    let limit = items.len().max(1);
    json!({
        "data": items,
        "pagination": {"next_cursor": next_cursor, "has_next": next_cursor.is_some(), "limit": limit},
        "filters": {}
    })
}

/// An RFC 9457 problem document as the API sends it.
pub fn problem(status: u16, code: ErrorCode, detail: &str) -> Value {
    let code = code.as_str();
    json!({
        "type": format!("urn:creatoraudit:error:{}", code.to_ascii_lowercase().replace('_', "-")),
        "title": reason_phrase(status),
        "status": status,
        "detail": detail,
        "code": code,
        "instance": "/v2",
        "request_id": "req_test_error"
    })
}

/// A `422 VALIDATION_ERROR` problem with field errors: `(field, message)` pairs.
pub fn validation_problem(errors: &[(&str, &str)]) -> Value {
    let mut p = problem(
        422,
        ErrorCode::ValidationError,
        "Request failed validation.",
    );
    p["errors"] = errors
        .iter()
        .map(|(field, message)| json!({"field": field, "message": message}))
        .collect();
    p
}
