//! Benchmark: what the SDK costs over calling `ureq` by hand. Loopback only, no network, no key.
//!
//! From the crate root:
//!
//! ```text
//! cargo run --release --manifest-path bench/Cargo.toml             # about 2 minutes, 2 cores
//! cargo run --release --manifest-path bench/Cargo.toml -- --quick  # 3 rounds instead of 21
//! cargo run --release --manifest-path bench/Cargo.toml -- --limits # latency, rate limit: ~25 s
//! ```
//!
//! It starts its own HTTP/1.1 server on 127.0.0.1 that answers from memory with pre-rendered,
//! realistic API responses (`GET /v2/whoami`; `GET /v2/accounts` in 500 pages of 200 accounts
//! with every documented field and opaque cursors; `X-Request-ID` and rate-limit headers), shows
//! that this server is not the bottleneck (a raw TCP client does the same exchanges, and the
//! server's CPU time per response is reported), checks that the SDK and the baseline put the
//! same requests on the wire, then runs every workload with the SDK and with a hand-written
//! `ureq` baseline (same agent settings and headers, same typed decoding of the same fields),
//! interleaved over 21 rounds:
//!
//! - `whoami` × 5,000 sequential calls on one client (the per-request overhead), 5 pairs a round;
//! - walking 100,000 accounts through `accounts().list(..)` (typed `Account`s);
//! - walking 100,000 accounts through `paginate::<serde_json::Value>`;
//! - the peak memory (max RSS, `VmHWM` of a child process) of walking 10,000 and 100,000 accounts.
//!
//! It prints medians, the SDK/baseline ratio (the median of the interleaved pairs' wall-clock
//! ratios, and the same for the client thread's CPU time alone), items/s and requests/s, and a
//! table with PASS/FAIL per target: SDK/baseline ≤ 1.05 on every workload, and peak memory at
//! 100,000 accounts within 10 % of that at 10,000. The exit code is 0 either way: read the table.
//!
//! Linux only (it reads `/proc` for CPU time and peak memory). The program re-runs itself under
//! `taskset -c CPU` (util-linux; CPU is the first one it may use, or `CREATORAUDIT_BENCH_CPU`)
//! so that client and server share one core: on loopback the scheduler's hand-offs between
//! cores otherwise dominate a `whoami` round trip. `--no-pin` turns this off.
//!
//! To see where time goes, `--profile sdk|baseline whoami|typed|value [REPEAT]` runs one side
//! of one workload against the in-process server, e.g. under `valgrind --tool=callgrind
//! bench/target/release/creatoraudit-bench --profile sdk whoami`: the server's work is the
//! same for both sides, so the difference of the two instruction counts is the SDK's own.
//! `--serve` only serves (for ten minutes) and prints the base URL.
//!
//! `--limits [--latency-ms MS]` runs instead the scenarios of the real API's limits against a
//! local server that holds every answer for a fixed latency (50 ms by default) and enforces a
//! rate limit with the documented headers and 429s (see [`limits`]); `--serve-limits` only
//! serves that server. The code is split by concern: [`server`] and [`fixtures`] (the canned
//! API), [`sdk`] and [`baseline`] (the two sides), [`floor`], [`wire_check`], [`memory`],
//! [`profile`], [`pin`], [`run`], [`stats`] and [`report`].

mod baseline;
mod fixtures;
mod floor;
mod limits;
mod memory;
mod pin;
mod profile;
mod report;
mod run;
mod sdk;
mod server;
mod stats;
mod util;
mod wire_check;

use std::error::Error;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::server::{Site, serve};

pub type BoxResult<T> = Result<T, Box<dyn Error>>;

/// The key both clients send; the server refuses any other.
pub const KEY: &str = "ca_live_bench_5f0e2c7a9b1d4e3f8a6c";
pub const PAGE_SIZE: usize = 200;
pub const TOTAL_ACCOUNTS: usize = 100_000;
pub const SMALL_WALK: usize = 10_000;
pub const WHOAMI_CALLS: usize = 5_000;
/// `whoami` pairs per round (each walk gets one pair per round).
pub const WHOAMI_PAIRS: usize = 5;
/// Child processes per memory measurement.
pub const MEMORY_RUNS: usize = 5;
/// The SDK's defaults, which the baseline copies.
pub const TIMEOUT: Duration = Duration::from_secs(30);
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const MAX_BODY: u64 = 32 * 1024 * 1024;
pub const ACCEPT: &str = "application/json, application/problem+json";
pub const PINNED_ENV: &str = "CREATORAUDIT_BENCH_PINNED";
pub const TARGET_RATIO: f64 = 1.05;
pub const TARGET_MEMORY: f64 = 1.10;

/// The SDK's user agent, `creatoraudit-rust/<version>`, which the baseline sends too: the
/// version is read from the crate's manifest (this package is not the crate, so its own
/// `CARGO_PKG_VERSION` would be wrong). The wire check fails if it ever differs.
pub fn user_agent() -> &'static str {
    static AGENT: OnceLock<String> = OnceLock::new();
    AGENT.get_or_init(|| {
        let manifest = include_str!("../../Cargo.toml");
        let version = manifest
            .lines()
            .skip_while(|l| l.trim() != "[package]")
            .find_map(|l| {
                let (key, value) = l.split_once('=')?;
                (key.trim() == "version").then(|| value.trim().trim_matches('"').to_owned())
            })
            .expect("a version in the crate's [package]");
        format!("creatoraudit-rust/{version}")
    })
}

fn main() -> BoxResult<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--memory-child") {
        return memory::memory_child(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("--serve") {
        // Only the server, for experiments by hand; it stops by itself after ten minutes.
        let site = Arc::new(Site::render(TOTAL_ACCOUNTS));
        println!("http://{}/v2", serve(site)?);
        std::thread::sleep(Duration::from_secs(600));
        return Ok(());
    }
    if args.first().map(String::as_str) == Some("--profile") {
        return profile::profile(&args[1..]);
    }
    if args
        .iter()
        .any(|a| a == "--limits" || a == "--serve-limits")
    {
        // Latency-bound, not CPU-bound: no pinning, no rounds.
        return limits::main(&args);
    }
    if let Some(code) = pin::pin_to_one_core(&args)? {
        std::process::exit(code);
    }
    let quick = args.iter().any(|a| a == "--quick");
    run::run(if quick { 3 } else { 21 })
}
