//! A guided tour of the SDK that runs anywhere.
//!
//! ```text
//! cargo run --example tour
//! ```
//!
//! Without `CREATORAUDIT_API_KEY` it starts the SDK's offline fake of the API
//! (`creatoraudit::testing::FakeApi`: no key, no network) and walks through: who am I, a
//! filtered listing across pages, the headline numbers, a create with its idempotency key, a
//! validation error handled by its code, and the `curl` line of a call for a support ticket.
//! With `CREATORAUDIT_API_KEY` set it runs the read-only part against the real API.

use std::process::ExitCode;

use creatoraudit::testing::FakeApi;
use creatoraudit::{Client, ErrorCode, ListAccounts, NewAccount, Period, Platform};

mod common;
use common::{Fallible, change, num_or_dash, or_dash, percent};

fn main() -> ExitCode {
    common::run(tour)
}

fn tour() -> Fallible {
    let live = common::live();
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
        "   organization {} via key {} (request id {})\n",
        me.value.organization_id,
        or_dash(me.value.api_key_name.as_deref()),
        or_dash(me.meta.request_id.as_deref())
    );

    println!("2. The first TikTok accounts, 2 per page.   GET /accounts?platform=tiktok&limit=2");
    let pages = client
        .accounts()
        .list(ListAccounts::new().platform(Platform::TikTok).limit(2))
        .pages();
    let mut n = 0;
    for page in pages {
        let page = page?;
        println!(
            "   page of {} ({}, rate limit left: {})",
            page.items.len(),
            if page.has_next {
                "more to come"
            } else {
                "the last"
            },
            num_or_dash(page.meta.rate_limit.map(|r| r.remaining))
        );
        for account in &page.items {
            n += 1;
            println!(
                "     {n}. @{:<16} {:>12} followers",
                account.username,
                num_or_dash(account.follower_count)
            );
        }
        if n >= 6 {
            println!("   (stopping after {n}: the walk would go on page by page)");
            break;
        }
    }
    println!();

    println!("3. Headline numbers.   GET /overview?period=30d");
    let o = client.overview(Period::Last30Days)?;
    println!(
        "   views {} ({} on the previous period), engagement rate {}\n",
        num_or_dash(o.current.total_views),
        change(o.changes.total_views_pct),
        percent(o.current.engagement_rate)
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
        "   tracking @{} as {} (Idempotency-Key {}; first refresh {})\n",
        created.value.username,
        created.value.id,
        or_dash(created.meta.idempotency_key.as_deref()),
        if created.value.last_scrape_time.is_none() {
            "pending"
        } else {
            "done"
        }
    );

    println!("5. A rejected create, handled by its error code.");
    match client
        .accounts()
        .create(&NewAccount::new(Platform::Other("myspace".into()), "tom"))
    {
        Err(e) if e.code() == Some(&ErrorCode::ValidationError) => {
            let p = e.problem().expect("an API error");
            println!(
                "   refused: {} (request id {})",
                p.detail,
                or_dash(p.request_id.as_deref())
            );
            for field in &p.errors {
                println!("   - {}: {}", field.field, field.message);
            }
            println!("   as one line, its Display: {e}");
        }
        Err(e) => return Err(e.into()),
        Ok(a) => {
            return Err(format!("the fake accepted a platform it does not know ({})", a.id).into());
        }
    }

    println!(
        "\n6. For a support ticket: the curl line of GET /accounts/{{id}} (the account of step 4),\n   without the key."
    );
    let curl = client.curl_of(|c| c.accounts().get(&created.value.id))?;
    println!("   {}", curl.replace('\n', "\n   "));
    println!("\nDone. Set CREATORAUDIT_API_KEY to run the read-only part against the real API.");
    Ok(())
}
