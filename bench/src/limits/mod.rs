//! `--limits`: the real API's limits, on loopback (issue 10, item 6).
//!
//! Against a local server that holds every answer for a fixed latency and enforces a rate
//! limit with the documented headers and 429s ([`server`]), two scenarios:
//!
//! - (a) [`batch`]: 5,000 video ids through `videos().metrics(..)` (25 chunks of 200) with
//!   `batch_concurrency` 1 and 4: wall time, and its ratio to the round-trip floor
//!   `ceil(chunks / concurrency) × latency`. Targets: concurrency 4 within 1.3× its floor and
//!   at most 0.35× the sequential time.
//! - (b) [`shared`]: 8 threads sharing one client make 400 `whoami` calls against a limit of
//!   100 per 2-second window, with pacing on and off: the achieved rate as a fraction of the
//!   limit, and the 429s the server sent. Targets: with pacing 0 × 429 and at least 0.85 of
//!   the limit; without pacing, 429s (the comparison).
//!
//! The scenarios set `ClientBuilder::batch_concurrency` and `ClientBuilder::pacing`; "most in
//! flight" shows whether the chunks really went at once. About 20 to 30 s at the default
//! 50 ms latency.
//!
//! ```text
//! cargo run --release --manifest-path bench/Cargo.toml -- --limits [--latency-ms 50]
//! cargo run --release --manifest-path bench/Cargo.toml -- --serve-limits [--latency-ms 50]
//! ```

pub mod batch;
pub mod server;
pub mod shared;

use std::time::{Duration, Instant};

use self::batch::{BATCH_IDS, BatchResult};
use self::server::{LimitServer, Limits};
use self::shared::{CALLS, LIMIT, SharedResult, THREADS, WINDOW_SECS};
use crate::BoxResult;

const DEFAULT_LATENCY_MS: u64 = 50;
const TARGET_FLOOR_RATIO: f64 = 1.3;
const TARGET_SPEEDUP: f64 = 0.35;
const TARGET_OF_LIMIT: f64 = 0.85;

/// `--limits` or `--serve-limits`, with `--latency-ms MS`.
pub fn main(args: &[String]) -> BoxResult<()> {
    let latency = match args.iter().position(|a| a == "--latency-ms") {
        Some(i) => Duration::from_millis(
            args.get(i + 1)
                .ok_or("--latency-ms needs a number of milliseconds")?
                .parse()?,
        ),
        None => Duration::from_millis(DEFAULT_LATENCY_MS),
    };
    if latency.is_zero() {
        return Err("--latency-ms must be at least 1".into());
    }
    if args.iter().any(|a| a == "--serve-limits") {
        // Only the server, for experiments by hand; it stops by itself after ten minutes.
        let server = LimitServer::start(Limits {
            latency,
            limit: LIMIT,
            window_secs: WINDOW_SECS,
        })?;
        println!(
            "{} (latency {} ms, {LIMIT} requests per {WINDOW_SECS} s window)",
            server.base_url,
            latency.as_millis()
        );
        std::thread::sleep(Duration::from_secs(600));
        return Ok(());
    }
    run(latency)
}

fn run(latency: Duration) -> BoxResult<()> {
    let started = Instant::now();
    let ms = latency.as_millis();
    println!(
        "creatoraudit bench --limits: the SDK against a local server with the real API's limits \
         (loopback, no network)."
    );
    println!(
        "Reproduce: cargo run --release --manifest-path bench/Cargo.toml -- --limits \
         [--latency-ms {ms}]"
    );
    println!(
        "Server: every answer held {ms} ms (half before the rate-limit decision, half after); \
         X-RateLimit-Limit/-Remaining/-Reset (the Unix second the aligned window ends) on \
         every rate-limited answer; past the limit, 429 RATE_LIMITED with Retry-After in whole \
         seconds, rounded up."
    );
    // (a) The limit is far away: only the round trips count.
    let server = LimitServer::start(Limits {
        latency,
        limit: 100_000,
        window_secs: WINDOW_SECS,
    })?;
    let sequential = batch::run(&server, latency, 1)?;
    let concurrent = batch::run(&server, latency, 4)?;

    // (b) 100 per 2-second window, pacing on then off.
    let paced = shared::run(latency, true)?;
    let unpaced = shared::run(latency, false)?;

    report_batch(&sequential, &concurrent, ms);
    report_shared(&paced, &unpaced, latency);
    println!("\ntotal time {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn verdict(ok: bool) -> &'static str {
    if ok { "PASS" } else { "FAIL" }
}

fn report_batch(sequential: &BatchResult, concurrent: &BatchResult, ms: u128) {
    println!(
        "\n## (a) videos().metrics(..) of {BATCH_IDS} ids: {} chunks of 200, {ms} ms per round \
         trip (median of {} runs)\n",
        sequential.chunks,
        sequential.walls.len()
    );
    println!(
        "| batch_concurrency | wall | floor | wall/floor | vs sequential | requests \
         | most in flight (server) | 429s | target | result |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let speedup = concurrent.wall() / sequential.wall();
    for (r, target, ok) in [
        (sequential, "the reference".to_owned(), None),
        (
            concurrent,
            format!("<= {TARGET_FLOOR_RATIO}x floor and <= {TARGET_SPEEDUP}x sequential"),
            Some(concurrent.floor_ratio() <= TARGET_FLOOR_RATIO && speedup <= TARGET_SPEEDUP),
        ),
    ] {
        println!(
            "| {} | {:.0} ms | {} ms | {:.2} | {:.2} | {} | {} | {} | {target} | {} |",
            r.concurrency,
            r.wall() * 1e3,
            r.floor.as_millis(),
            r.floor_ratio(),
            r.wall() / sequential.wall(),
            r.requests,
            r.max_in_flight,
            r.limited,
            ok.map_or("", verdict),
        );
    }
    println!(
        "\nfloor = ceil(chunks / concurrency) x latency; runs (ms): concurrency 1: {}; \
         concurrency 4: {}",
        walls_ms(sequential),
        walls_ms(concurrent)
    );
}

fn walls_ms(r: &BatchResult) -> String {
    r.walls
        .iter()
        .map(|w| format!("{:.0}", w * 1e3))
        .collect::<Vec<_>>()
        .join(", ")
}

fn report_shared(paced: &SharedResult, unpaced: &SharedResult, latency: Duration) {
    println!(
        "\n## (b) {THREADS} threads sharing one client, {CALLS} whoami calls, limit {LIMIT} per \
         {WINDOW_SECS} s window ({:.0} req/s), {} ms per round trip, started at a window's \
         start\n",
        shared::limit_rate(),
        latency.as_millis()
    );
    println!(
        "| pacing | wall | calls ok | calls failed | requests sent | 429s sent | \
         answers per window | achieved | of the limit | target | result |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for r in [paced, unpaced] {
        let (target, ok) = if r.pacing {
            (
                format!("0 x 429, >= {TARGET_OF_LIMIT} of the limit"),
                r.limited == 0 && r.failed == 0 && r.of_limit() >= TARGET_OF_LIMIT,
            )
        } else {
            ("429s appear (the comparison)".to_owned(), r.limited > 0)
        };
        println!(
            "| {} | {:.2} s | {} | {} | {} | {} | {} | {:.1} req/s | {:.2} | {target} | {} |",
            if r.pacing { "on" } else { "off" },
            r.wall,
            r.ok,
            r.failed,
            r.requests,
            r.limited,
            r.per_window
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            r.rate(),
            r.of_limit(),
            verdict(ok),
        );
    }
    println!(
        "\nachieved = calls ok / wall time from the window's start to the last answer. A job \
         that ends early in its last window can beat the limit's rate: the best this one can do \
         is about {:.2} of the limit (its first {} windows spent at once, then the last \
         window's {LIMIT} calls at the link's speed).",
        shared::ideal_of_limit(latency),
        CALLS.div_ceil(LIMIT as usize) - 1
    );
    for r in [paced, unpaced] {
        if let Some(e) = &r.first_error {
            println!(
                "pacing {}: {} calls failed, the first with: {e}",
                if r.pacing { "on" } else { "off" },
                r.failed
            );
        }
    }
}
