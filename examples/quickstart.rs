//! The documented quick-start flow, against the real API.
//!
//! ```text
//! CREATORAUDIT_API_KEY=ca_live_your_key cargo run --example quickstart
//! CREATORAUDIT_API_KEY=ca_live_your_key cargo run --example quickstart -- --read-only
//! ```
//!
//! It checks the key, lists the TikTok accounts you track, starts tracking an account and a
//! video, reads the 30-day overview, and shows how to branch on a validation error. The two
//! creates write to your organization: pass `--read-only` (after `--`) to skip them. Run
//! again, a create the API answers with `409 CONFLICT` (the docs leave the duplicate's
//! answer open) says its record is already tracked.
//! (`cargo run --example tour` runs without a key, against the SDK's offline fake.)

use std::process::ExitCode;

use creatoraudit::{
    Client, Error, ErrorCode, ListAccounts, NewAccount, NewVideo, Period, Platform,
};

mod common;
use common::{Fallible, num_or_dash, or_dash, percent};

fn main() -> ExitCode {
    common::run(quickstart)
}

fn quickstart() -> Fallible {
    // The one option; anything else is refused before anything is written (a typo such as
    // `--readonly` must not run the creates).
    let mut read_only = false;
    for arg in std::env::args_os().skip(1) {
        match arg.to_str() {
            Some("--read-only") => read_only = true,
            _ => {
                let arg = std::path::Path::new(&arg).display().to_string();
                return Err(format!("unknown option {arg} (the one option is --read-only)").into());
            }
        }
    }
    let client = Client::from_env()?;

    // GET /whoami: verify the key.
    let me = client.whoami()?;
    println!(
        "organization {} (key {})",
        me.organization_id,
        or_dash(me.api_key_name.as_deref())
    );

    // GET /accounts?platform=tiktok, following next_cursor until has_next is false.
    for account in client
        .accounts()
        .list(ListAccounts::new().platform(Platform::TikTok))
    {
        let account = account?;
        println!(
            "@{} {} followers",
            account.username,
            num_or_dash(account.follower_count)
        );
    }

    if !read_only {
        // POST /accounts (retried safely: the SDK sends an Idempotency-Key).
        let account = client.accounts().create(
            &NewAccount::new(Platform::TikTok, "khaby.lame")
                .category("comedy")
                .scrape_interval_hours(24),
        );
        tracking("account", account.map(|a| a.id))?;

        // POST /videos
        let video = client.videos().create(
            &NewVideo::new(
                Platform::Instagram,
                "https://www.instagram.com/p/C8xYzAbCdEf/",
            )
            .is_active(true),
        );
        tracking("video", video.map(|v| v.id))?;
    }

    // GET /overview?period=30d
    let overview = client.overview(Period::Last30Days)?;
    println!(
        "30-day views {}, engagement rate {}",
        num_or_dash(overview.current.total_views),
        percent(overview.current.engagement_rate)
    );

    // Branching on the machine code of an API error.
    match client
        .accounts()
        .get("00000000-0000-4000-8000-000000000000")
    {
        Ok(account) => println!("found @{}", account.username),
        Err(Error::Api(p)) if p.code == ErrorCode::ValidationError => {
            for e in &p.errors {
                eprintln!("invalid {}: {}", e.field, e.message);
            }
        }
        Err(e) if e.is_not_found() => {
            println!("no such account (request id {})", or_dash(e.request_id()))
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

/// Says what a create started tracking; a `409 CONFLICT` (a second run) means it is tracked
/// already, which is no failure here.
fn tracking(what: &str, created: creatoraudit::Result<String>) -> Fallible {
    match created {
        Ok(id) => println!("tracking {what} {id}"),
        Err(e) if e.code() == Some(&ErrorCode::Conflict) => {
            println!("{what} already tracked ({e})")
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
