//! A guided tour of the SDK that runs anywhere.
//!
//! ```text
//! cargo run --example tour
//! ```
//!
//! Without `CREATORAUDIT_API_KEY` it starts a local mock of the API (no key, no network) and
//! walks through: who am I, a listing across three pages, a create with its idempotency key,
//! and a validation error handled by its code. With `CREATORAUDIT_API_KEY` set it runs the
//! read-only part against the real API.

use creatoraudit::{Client, ErrorCode, ListAccounts, NewAccount, Period, Platform};
use mockito::{Matcher, ServerGuard};
use serde_json::{Value, json};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let live = std::env::var_os(creatoraudit::API_KEY_ENV).is_some_and(|k| !k.is_empty());
    // The mock server must outlive the client's calls, so it is kept here.
    let (client, _mock) = if live {
        println!("CREATORAUDIT_API_KEY is set: touring the real API (read-only calls).\n");
        (Client::from_env()?, None)
    } else {
        println!("CREATORAUDIT_API_KEY is not set: touring a local mock of the API.\n");
        let server = mock_api();
        let client = Client::builder()
            .api_key("ca_test_tour")
            .base_url(format!("{}/v2", server.url()))
            .build()?;
        (client, Some(server))
    };

    println!("1. Who am I?   GET /whoami");
    let me = client.whoami_with_meta()?;
    println!(
        "   organization {} via key {:?} (request id {:?})\n",
        me.value.organization_id,
        me.value.api_key_name.as_deref().unwrap_or("-"),
        me.meta.request_id.as_deref().unwrap_or("-")
    );

    println!("2. Every TikTok account, page by page.   GET /accounts?platform=tiktok");
    let pages = client
        .accounts()
        .list(ListAccounts::new().platform(Platform::TikTok).limit(2))
        .pages();
    let mut n = 0;
    for page in pages {
        let page = page?;
        println!(
            "   page of {} (has_next: {}, rate limit left: {:?})",
            page.items.len(),
            page.has_next,
            page.meta.rate_limit.map(|r| r.remaining)
        );
        for account in &page.items {
            n += 1;
            println!(
                "     {n}. @{:<16} {:>12} followers",
                account.username,
                account.follower_count.map_or("?".into(), |f| f.to_string())
            );
        }
        if n >= 6 {
            break;
        }
    }
    println!();

    println!("3. Headline numbers.   GET /overview?period=30d");
    let o = client.overview(Period::Last30Days)?;
    println!(
        "   views {:?} (change {:?} %), engagement rate {:?} %\n",
        o.current.total_views, o.changes.total_views_pct, o.current.engagement_rate
    );

    if live {
        println!("Skipping the create and the error demo: they would write to your organization.");
        return Ok(());
    }

    println!("4. Track an account.   POST /accounts");
    let created = client.accounts().create_with_meta(
        &NewAccount::new(Platform::TikTok, "khaby.lame")
            .category("comedy")
            .scrape_interval_hours(12),
    )?;
    println!(
        "   tracking @{} as {} (Idempotency-Key {}; first refresh pending: {})\n",
        created.value.username,
        created.value.id,
        created.meta.idempotency_key.as_deref().unwrap_or("-"),
        created.value.last_scrape_time.is_none()
    );

    println!("5. A rejected create, handled by its error code.");
    match client
        .accounts()
        .create(&NewAccount::new(Platform::Other("myspace".into()), "tom"))
    {
        Err(e) if e.code() == Some(&ErrorCode::ValidationError) => {
            println!("   {e}");
            for field in &e.problem().expect("an API error").errors {
                println!("   - {}: {}", field.field, field.message);
            }
        }
        Err(e) => return Err(e.into()),
        Ok(a) => println!("   unexpectedly created {}", a.id),
    }
    println!("\nDone. Set CREATORAUDIT_API_KEY to run the read-only part against the real API.");
    Ok(())
}

/// A local server that answers like the API.
fn mock_api() -> ServerGuard {
    let mut s = mockito::Server::new();
    let rate = |m: mockito::Mock, left: u32| {
        m.with_header("content-type", "application/json")
            .with_header("x-ratelimit-limit", "600")
            .with_header("x-ratelimit-remaining", &left.to_string())
            .with_header("x-ratelimit-reset", "1893456000")
    };
    rate(s.mock("GET", "/v2/whoami"), 599)
        .with_header("x-request-id", "req_7Hq2Zb")
        .with_body(
            json!({"data": {"type": "whoami", "organization_id": "2f6c1e0a-4b8d-4a52-9d1e-7c3b5a9e8f10",
                   "api_key_name": "tour"}})
            .to_string(),
        )
        .create();

    let people = [
        ("khaby.lame", 162_400_000u64),
        ("charlidamelio", 155_100_000),
        ("mrbeast", 104_300_000),
        ("bellapoarch", 93_600_000),
        ("addisonre", 88_700_000),
    ];
    let cursors = [None, Some("eyJvIjoyfQ"), Some("eyJvIjo0fQ")];
    for (i, chunk) in people.chunks(2).enumerate() {
        let items: Vec<Value> = chunk
            .iter()
            .enumerate()
            .map(|(j, (name, followers))| {
                json!({"id": format!("4f1c2d3e-0000-4000-8000-00000000000{}", i * 2 + j), "type": "account",
                       "platform": "tiktok", "username": name, "follower_count": followers,
                       "is_active": true, "added_at": "2026-06-14T09:30:00Z"})
            })
            .collect();
        let next = cursors.get(i + 1).copied().flatten();
        let query = match cursors[i] {
            None => "platform=tiktok&limit=2".to_string(),
            Some(c) => format!("platform=tiktok&limit=2&cursor={c}"),
        };
        rate(s.mock("GET", "/v2/accounts"), 598 - i as u32)
            .match_query(Matcher::Exact(query))
            .with_body(
                json!({"data": items,
                       "pagination": {"next_cursor": next, "has_next": next.is_some(), "limit": 2},
                       "filters": {"platform": "tiktok"}})
                .to_string(),
            )
            .create();
    }

    rate(s.mock("GET", "/v2/overview"), 590)
        .match_query(Matcher::Exact("period=30d".into()))
        .with_body(
            json!({"data": {"type": "overview",
                "current": {"total_views": 48_200_000, "engagement_rate": 5.4, "active_accounts": 5,
                            "account_videos": 1_250, "tracked_videos": 12},
                "previous": {"total_views": 41_000_000, "engagement_rate": 5.1, "active_accounts": 5,
                             "account_videos": 1_180, "tracked_videos": 10},
                "changes": {"total_views_pct": 17.6, "engagement_rate_pct": 5.9, "active_accounts_pct": 0.0,
                            "account_videos_pct": 5.9, "tracked_videos_pct": 20.0}}})
            .to_string(),
        )
        .create();

    rate(s.mock("POST", "/v2/accounts"), 589)
        .match_body(Matcher::PartialJson(json!({"platform": "tiktok"})))
        .with_status(201)
        .with_body(
            json!({"data": {"id": "8a7b6c5d-1111-4222-8333-444455556666", "type": "account", "platform": "tiktok",
                   "username": "khaby.lame", "category": "comedy", "scrape_interval_hours": 12,
                   "added_at": "2026-11-29T10:00:00Z", "last_scrape_time": null}})
            .to_string(),
        )
        .create();

    rate(s.mock("POST", "/v2/accounts"), 588)
        .match_body(Matcher::PartialJson(json!({"platform": "myspace"})))
        .with_status(422)
        .with_header("content-type", "application/problem+json")
        .with_header("x-request-id", "req_Vx81Lm")
        .with_body(
            json!({"type": "urn:creatoraudit:error:validation-error", "title": "Unprocessable Entity",
                   "status": 422, "detail": "Request failed validation.", "code": "VALIDATION_ERROR",
                   "instance": "/v2/accounts", "request_id": "req_Vx81Lm",
                   "errors": [{"field": "platform", "message": "must be one of: instagram, tiktok"}]})
            .to_string(),
        )
        .create();
    s
}
