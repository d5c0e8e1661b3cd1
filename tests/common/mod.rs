//! Helpers shared by the integration tests: a mockito server, a client pointed at it, and
//! realistic response bodies.
#![allow(dead_code)] // each test file uses its own subset

use std::sync::{Arc, Mutex};
use std::time::Duration;

use creatoraudit::Client;
use mockito::{Matcher, Server, ServerGuard};
use serde_json::{Value, json};

pub const KEY: &str = "ca_test_0123456789abcdef";
pub const BEARER: &str = "Bearer ca_test_0123456789abcdef";
pub const JSON: &str = "application/json";
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A fresh local server.
pub fn server() -> ServerGuard {
    Server::new()
}

/// A client for `server`'s `/v2`, whose retries never sleep.
pub fn client(server: &ServerGuard) -> Client {
    builder(server).build().expect("test client")
}

/// A builder for `server`'s `/v2`, whose retries never sleep.
pub fn builder(server: &ServerGuard) -> creatoraudit::ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/v2", server.url()))
        .retry_sleeper(|_| {})
}

/// A client whose retry waits are recorded instead of slept.
pub fn recording_client(server: &ServerGuard) -> (Client, Arc<Mutex<Vec<Duration>>>) {
    let waits = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&waits);
    let client = builder(server)
        .retry_sleeper(move |d| seen.lock().unwrap().push(d))
        .build()
        .expect("test client");
    (client, waits)
}

/// Matches an exact, already-encoded query string.
pub fn query(raw: &str) -> Matcher {
    Matcher::Exact(raw.to_owned())
}

/// `{"data": value}`.
pub fn data(value: Value) -> String {
    json!({ "data": value }).to_string()
}

/// A list response body.
pub fn page(items: Vec<Value>, next_cursor: Option<&str>, has_next: bool, limit: u32) -> String {
    json!({
        "data": items,
        "pagination": {"next_cursor": next_cursor, "has_next": has_next, "limit": limit},
        "filters": {},
    })
    .to_string()
}

/// An account with every documented field, as the API docs show one.
pub fn account_json(id: &str, username: &str) -> Value {
    json!({
        "id": id,
        "type": "account",
        "platform": "tiktok",
        "username": username,
        "name": "Khaby Lame",
        "description": "If u wanna laugh u r in the right place",
        "profile_pic_url": "https://cdn.creatoraudit.com/p/khaby.jpg",
        "profile_pic_url_original": "https://p16-sign.tiktokcdn.com/khaby.jpg",
        "is_verified": true,
        "is_active": true,
        "is_unavailable": false,
        "link_in_bio": "https://linktr.ee/khaby",
        "creator_id": "9b2e4c1a-7f3d-4e8a-b6c5-1d2e3f4a5b6c",
        "creator_name": "Khaby",
        "category": "comedy",
        "metadata": {"team": "growth", "tier": "A"},
        "added_at": "2026-06-14T09:30:00Z",
        "first_scrape_time": "2026-06-14T09:31:12Z",
        "last_scrape_time": "2026-11-28T09:30:00Z",
        "scrape_interval_hours": 24,
        "follower_count": 162_400_000u64,
        "following_count": 78,
        "profile_post_count": 1275,
        "total_post_count": 1275,
        "view_count": 2_480_000_000u64,
        "like_count": 2_400_000_000u64,
        "comment_count": 12_000_000,
        "share_count": 4_100_000,
        "play_count": 2_480_000_000u64,
        "saved_count": null,
        "fb_play_count": null,
        "ig_play_count": null,
        "fb_like_count": null,
        "max_recent_posts_per_account": null,
        "post_lookback_days": 90,
        "effective_max_recent_posts_per_account": 50,
        "effective_post_lookback_days": 90
    })
}

/// A video with every documented field.
pub fn video_json(id: &str) -> Value {
    json!({
        "id": id,
        "type": "video",
        "platform": "instagram",
        "external_id": "3141592653589793238",
        "shortcode": "C8xYzAbCdEf",
        "is_active": true,
        "scrape_interval_hours": 24,
        "metadata": {"campaign": "summer"},
        "added_at": "2026-06-14T09:30:00Z",
        "updated_at": "2026-11-28T09:30:00Z",
        "first_scrape_time": "2026-06-14T09:31:00Z",
        "last_scrape_time": "2026-11-28T09:30:00Z",
        "description": "Summer drop ☀️",
        "create_time": "2026-06-13T18:00:00Z",
        "media_type": "reel",
        "duration": 31.5,
        "is_unavailable": false,
        "cover_image_url": "https://cdn.creatoraudit.com/c/1.jpg",
        "cover_image_url_original": "https://scontent.cdninstagram.com/c/1.jpg",
        "video_url": "https://cdn.creatoraudit.com/v/1.mp4",
        "video_url_original": "https://scontent.cdninstagram.com/v/1.mp4",
        "view_count": 1_200_000,
        "like_count": 98_000,
        "comment_count": 1_200,
        "share_count": 3_400,
        "play_count": 1_500_000,
        "saved_count": 7_800,
        "total_views": 1_200_000,
        "total_plays": 1_500_000,
        "account_id": "4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
        "account_username": "natgeo",
        "platform_account_id": "787132",
        "platform_data": {"music": {"title": "original audio"}}
    })
}

/// A problem document as the API sends one.
pub fn problem(status: u16, code: &str, title: &str, detail: &str, request_id: &str) -> String {
    json!({
        "type": format!("urn:creatoraudit:error:{}", code.to_lowercase().replace('_', "-")),
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": "/v2/accounts",
        "request_id": request_id,
    })
    .to_string()
}
