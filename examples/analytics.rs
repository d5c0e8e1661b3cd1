//! Batch analytics for many videos, and a search.
//!
//! ```text
//! cargo run --example analytics
//! ```
//!
//! Without `CREATORAUDIT_API_KEY` it starts the SDK's offline fake of the API
//! (`creatoraudit::testing::FakeApi`: no key, no network) tracking 230 videos. With `CREATORAUDIT_API_KEY` set it runs against the real API; every call
//! it makes is read-only (the batch POSTs only read).
//!
//! It lists the tracked videos, fetches their 30-day metrics and their 1/7/30-day view deltas
//! in one call each (the SDK splits the ids into requests of at most 200 and merges the
//! answers), ranks them, and runs a search.

use std::process::ExitCode;

use creatoraudit::testing::FakeApi;
use creatoraudit::{
    BATCH_CHUNK_SIZE, Client, ListVideos, Period, SearchParams, VideoDeltasRequest,
    VideoMetricsRequest,
};

mod common;
use common::{Fallible, list, num, num_or_dash, or_dash, percent, signed};

/// How many tracked videos the offline fake has.
const OFFLINE_VIDEOS: usize = 230;

fn main() -> ExitCode {
    common::run(analytics)
}

fn analytics() -> Fallible {
    let live = common::live();
    // The fake must outlive the client's calls, so it is kept here.
    let (client, _fake) = if live {
        println!("CREATORAUDIT_API_KEY is set: using the real API (read-only calls).\n");
        (Client::from_env()?, None)
    } else {
        println!("CREATORAUDIT_API_KEY is not set: using the SDK's offline fake of the API.\n");
        let fake = FakeApi::builder().videos(OFFLINE_VIDEOS).start();
        (fake.client(), Some(fake))
    };
    // Something the offline fake's seeded usernames, names and captions contain.
    let term = if live { "khaby" } else { "sunny" };

    println!("1. The tracked videos.   GET /videos");
    const AT_MOST: usize = 1_000;
    let mut ids = Vec::new();
    for video in client
        .videos()
        .list(ListVideos::new())
        .max_items(AT_MOST as u64)
    {
        ids.push(video?.id);
    }
    let first = if ids.len() == AT_MOST {
        " (the first: the walk stops there)"
    } else {
        ""
    };
    println!("   {} videos{first}", num(ids.len() as u64));
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
            "   period {} ({} to {}), {} videos answered, not tracked: {}",
            or_dash(batch.meta.period.as_deref()),
            or_dash(batch.meta.start_date),
            or_dash(batch.meta.end_date),
            num(batch.data.len() as u64),
            list(&batch.meta.not_found)
        );
        let mut by_views: Vec<_> = batch.data.iter().collect();
        by_views.sort_by_key(|(_, m)| std::cmp::Reverse(m.views.unwrap_or(0)));
        println!("   most viewed:");
        for (id, m) in by_views.iter().take(5) {
            println!(
                "     {id}  {:>11} views  {:>9} engagement  {:>7}",
                num_or_dash(m.views),
                num_or_dash(m.engagement),
                percent(m.engagement_rate())
            );
        }

        println!(
            "\n3. View deltas over 1, 7 and 30 days.   POST /videos/deltas ({requests} requests)"
        );
        let deltas = client
            .videos()
            .deltas(&VideoDeltasRequest::new(ids.iter()).windows([1, 7, 30]))?;
        println!(
            "   windows {} days, {} videos answered",
            list(&deltas.meta.windows),
            num(deltas.meta.video_count.unwrap_or(deltas.data.len() as u64))
        );
        let mut movers: Vec<_> = deltas.data.iter().collect();
        movers.sort_by_key(|(_, d)| std::cmp::Reverse(d.days(7).unwrap_or(i64::MIN)));
        println!("   fastest this week:");
        for (id, d) in movers.iter().take(5) {
            let line: Vec<String> = d
                .by_days()
                .iter()
                .map(|(days, delta)| format!("{days}d {}", signed(*delta)))
                .collect();
            println!("     {id}  {}", line.join("  "));
        }
    }

    println!("\n4. Search.   GET /search?q={term}&limit=5");
    let found = client.search(SearchParams::new(term).limit(5))?;
    for a in &found.accounts {
        println!(
            "   account  @{} on {} ({})",
            or_dash(a.username.as_deref()),
            or_dash(a.platform.as_ref()),
            or_dash(a.display_name.as_deref())
        );
    }
    for c in &found.creators {
        println!("   creator  {}", or_dash(c.name.as_deref()));
    }
    for v in &found.videos {
        println!(
            "   video    {} by @{}",
            or_dash(v.caption.as_deref()),
            or_dash(v.account_username.as_deref())
        );
    }
    let caps = found.meta.effective_caps;
    println!(
        "   caps applied per section: accounts {}, creators {}, videos {}",
        num_or_dash(caps.accounts),
        num_or_dash(caps.creators),
        num_or_dash(caps.videos)
    );
    println!("\nDone.");
    Ok(())
}
