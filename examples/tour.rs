//! A guided tour of the SDK that runs anywhere.
//!
//! ```text
//! cargo run --example tour
//! ```
//!
//! Without `CREATORAUDIT_API_KEY` it starts the SDK's offline fake of the API
//! (`creatoraudit::testing::FakeApi`: no key, no network) and walks through: who am I, a
//! filtered listing across pages, a create with its idempotency key, and a validation error
//! handled by its code. With `CREATORAUDIT_API_KEY` set it runs the read-only part against
//! the real API.

use creatoraudit::testing::FakeApi;
use creatoraudit::{Client, ErrorCode, ListAccounts, NewAccount, Period, Platform};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let live = std::env::var_os(creatoraudit::API_KEY_ENV).is_some_and(|k| !k.is_empty());
    // The fake must outlive the client's calls, so it is kept here.
    let (client, _fake) = if live {
        println!("CREATORAUDIT_API_KEY is set: touring the real API (read-only calls).\n");
        (Client::from_env()?, None)
    } else {
        println!("CREATORAUDIT_API_KEY is not set: touring the SDK's offline fake of the API.\n");
        let fake = FakeApi::start();
        (fake.client(), Some(fake))
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
