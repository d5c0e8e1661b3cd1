//! Batch analytics for many videos, and a search.
//!
//! ```text
//! cargo run --example analytics
//! ```
//!
//! Without `CREATORAUDIT_API_KEY` it starts a local mock of the API (no key, no network) that
//! tracks 230 videos. With `CREATORAUDIT_API_KEY` set it runs against the real API; every call
//! it makes is read-only (the batch POSTs only read).
//!
//! It lists the tracked videos, fetches their 30-day metrics and their 1/7/30-day view deltas
//! in one call each (the SDK splits the ids into requests of at most 200 and merges the
//! answers), ranks them, and runs a search.

use creatoraudit::{
    BATCH_CHUNK_SIZE, Client, ListVideos, Period, SearchParams, VideoDeltasRequest,
    VideoMetricsRequest,
};
use mockito::{Matcher, ServerGuard};
use serde_json::{Map, Value, json};

/// How many tracked videos the mock API has.
const MOCK_VIDEOS: usize = 230;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let live = std::env::var_os(creatoraudit::API_KEY_ENV).is_some_and(|k| !k.is_empty());
    // The mock server must outlive the client's calls, so it is kept here.
    let (client, _mock) = if live {
        println!("CREATORAUDIT_API_KEY is set: using the real API (read-only calls).\n");
        (Client::from_env()?, None)
    } else {
        println!("CREATORAUDIT_API_KEY is not set: using a local mock of the API.\n");
        let server = mock_api();
        let client = Client::builder()
            .api_key("ca_test_analytics")
            .base_url(format!("{}/v2", server.url()))
            .build()?;
        (client, Some(server))
    };

    println!("1. The tracked videos.   GET /videos");
    let mut ids = Vec::new();
    for video in client.videos().list(ListVideos::new()).max_items(1_000) {
        ids.push(video?.id);
    }
    println!("   {} videos", ids.len());
    if ids.is_empty() {
        println!("   Nothing to measure: track a video first (POST /videos).");
    } else {
        if !live {
            // An id the organization does not track: it comes back in `not_found`.
            ids.push("ffffffff-0000-4000-8000-000000000000".into());
        }
        let requests = ids.len().div_ceil(BATCH_CHUNK_SIZE);

        println!(
            "\n2. 30-day metrics of {} ids.   POST /videos/metrics ({requests} requests of at most {BATCH_CHUNK_SIZE})",
            ids.len()
        );
        let batch = client
            .videos()
            .metrics(&VideoMetricsRequest::new(ids.iter()).period(Period::Last30Days))?;
        println!(
            "   period {} ({} to {}), {} videos answered, not tracked: {:?}",
            batch.meta.period.as_deref().unwrap_or("?"),
            batch.meta.start_date.map_or("?".into(), |d| d.to_string()),
            batch.meta.end_date.map_or("?".into(), |d| d.to_string()),
            batch.data.len(),
            batch.meta.not_found
        );
        let mut by_views: Vec<_> = batch.data.iter().collect();
        by_views.sort_by_key(|(_, m)| std::cmp::Reverse(m.views.unwrap_or(0)));
        println!("   most viewed:");
        for (id, m) in by_views.iter().take(5) {
            println!(
                "     {id}  {:>10} views  {:>8} engagement  {:>5.2} %",
                m.views.unwrap_or(0),
                m.engagement.unwrap_or(0),
                m.engagement_rate().unwrap_or(0.0)
            );
        }

        println!(
            "\n3. View deltas over 1, 7 and 30 days.   POST /videos/deltas ({requests} requests)"
        );
        let deltas = client
            .videos()
            .deltas(&VideoDeltasRequest::new(ids.iter()).windows([1, 7, 30]))?;
        println!(
            "   windows {:?}, {} videos answered",
            deltas.meta.windows,
            deltas.meta.video_count.unwrap_or(deltas.data.len() as u64)
        );
        let mut movers: Vec<_> = deltas.data.iter().collect();
        movers.sort_by_key(|(_, d)| std::cmp::Reverse(d.days(7).unwrap_or(i64::MIN)));
        println!("   fastest this week:");
        for (id, d) in movers.iter().take(5) {
            let line: Vec<String> = d
                .by_days()
                .iter()
                .map(|(days, delta)| format!("{days}d {delta:+}"))
                .collect();
            println!("     {id}  {}", line.join("  "));
        }
    }

    println!("\n4. Search.   GET /search?q=khaby&limit=5");
    let found = client.search(SearchParams::new("khaby").limit(5))?;
    for a in &found.accounts {
        println!(
            "   account  @{} on {} ({})",
            a.username.as_deref().unwrap_or("?"),
            a.platform.as_ref().map_or("?".into(), |p| p.to_string()),
            a.display_name.as_deref().unwrap_or("-")
        );
    }
    for c in &found.creators {
        println!("   creator  {}", c.name.as_deref().unwrap_or("?"));
    }
    for v in &found.videos {
        println!(
            "   video    {:?} by @{}",
            v.caption.as_deref().unwrap_or(""),
            v.account_username.as_deref().unwrap_or("?")
        );
    }
    let caps = found.meta.effective_caps;
    println!(
        "   caps applied per section: accounts {:?}, creators {:?}, videos {:?}",
        caps.accounts, caps.creators, caps.videos
    );
    println!("\nDone.");
    Ok(())
}

/// The id of mock video `i`.
fn mock_id(i: usize) -> String {
    format!("3c90c3cc-0d44-4b50-8888-{i:012}")
}

/// A stable pseudo-random number from an id, so the mock gives the same answer every run.
fn seed(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// The ids of a batch request body, and those the mock does not track.
fn requested_ids(request: &mockito::Request) -> (Vec<String>, Vec<String>) {
    let body: Value = request
        .body()
        .ok()
        .and_then(|b| serde_json::from_slice(b).ok())
        .unwrap_or_default();
    let ids: Vec<String> = body["video_ids"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    ids.into_iter().partition(|id| !id.starts_with("ffffffff"))
}

/// A local server that answers like the API, with realistic numbers.
fn mock_api() -> ServerGuard {
    let mut s = mockito::Server::new();
    let videos: Vec<Value> = (0..MOCK_VIDEOS)
        .map(|i| {
            json!({"id": mock_id(i), "type": "video", "platform": if i % 3 == 0 { "instagram" } else { "tiktok" },
                   "is_active": true, "added_at": "2026-06-14T09:30:00Z",
                   "last_scrape_time": "2026-11-28T09:30:00Z"})
        })
        .collect();
    let page = |items: &[Value], cursor: Option<&str>| {
        json!({"data": items,
               "pagination": {"next_cursor": cursor, "has_next": cursor.is_some(), "limit": 200},
               "filters": {}})
        .to_string()
    };
    s.mock("GET", "/v2/videos")
        .match_query(Matcher::Exact("limit=200".into()))
        .with_header("content-type", "application/json")
        .with_body(page(&videos[..200], Some("eyJwIjoyfQ")))
        .create();
    s.mock("GET", "/v2/videos")
        .match_query(Matcher::Exact("limit=200&cursor=eyJwIjoyfQ".into()))
        .with_header("content-type", "application/json")
        .with_body(page(&videos[200..], None))
        .create();

    s.mock("POST", "/v2/videos/metrics")
        .with_header("content-type", "application/json")
        .with_body_from_request(|request| {
            let (found, not_found) = requested_ids(request);
            let data: Map<String, Value> = found
                .into_iter()
                .map(|id| {
                    let h = seed(&id);
                    let views = (h % 5_000_000) as i64 + 1_000;
                    let (likes, comments, shares) =
                        (views / (15 + (h % 20) as i64), views / 600, views / 300);
                    let m = json!({"views": views, "plays": views, "likes": likes,
                                   "comments": comments, "shares": shares,
                                   "engagement": likes + comments + shares});
                    (id, m)
                })
                .collect();
            json!({"data": data,
                   "meta": {"period": "30d", "start_date": "2026-10-30", "end_date": "2026-11-28",
                            "days": 30, "not_found": not_found}})
            .to_string()
            .into_bytes()
        })
        .create();

    s.mock("POST", "/v2/videos/deltas")
        .with_header("content-type", "application/json")
        .with_body_from_request(|request| {
            let (found, not_found) = requested_ids(request);
            let count = found.len();
            let data: Map<String, Value> = found
                .into_iter()
                .map(|id| {
                    let h = seed(&id);
                    let week = (h % 400_000) as i64 - 20_000;
                    let d = json!({"1d": week / 9, "7d": week, "30d": week * 3 + 150_000});
                    (id, d)
                })
                .collect();
            json!({"data": data,
                   "meta": {"windows": [1, 7, 30], "video_count": count, "not_found": not_found}})
            .to_string()
            .into_bytes()
        })
        .create();

    s.mock("GET", "/v2/search")
        .match_query(Matcher::Any)
        .with_header("content-type", "application/json")
        .with_body(
            json!({
                "data": {
                    "accounts": [
                        {"id": "4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "platform": "tiktok",
                         "username": "khaby.lame", "display_name": "Khaby Lame"},
                        {"id": "5a2d3e4f-6b7c-4d8e-9f0a-1b2c3d4e5f60", "platform": "instagram",
                         "username": "khabylame", "display_name": "Khabane Lame"}
                    ],
                    "creators": [{"id": "9b2e4c1a-7f3d-4e8a-b6c5-1d2e3f4a5b6c", "name": "Khaby"}],
                    "videos": [
                        {"id": mock_id(7), "platform": "tiktok",
                         "caption": "When the life hack is too complicated #khaby",
                         "account_id": "4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
                         "account_username": "khaby.lame"}
                    ]
                },
                "meta": {"query": "khaby", "limit_per_section": 5,
                         "effective_caps": {"accounts": 5, "creators": 5, "videos": 5}}
            })
            .to_string(),
        )
        .create();
    s
}
