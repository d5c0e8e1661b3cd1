//! Benchmark: what the SDK costs over calling `ureq` by hand. Loopback only, no network, no key.
//!
//! ```text
//! cargo run --release --example bench              # the full run: about 2 minutes on 2 cores
//! cargo run --release --example bench -- --quick   # 3 rounds instead of 21, a smoke test
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
//! of one workload against the in-process server, e.g. under
//! `valgrind --tool=callgrind target/release/examples/bench --profile sdk whoami`: the server's
//! work is the same for both sides, so the difference of the two instruction counts is the
//! SDK's own. `--serve` only serves (for ten minutes) and prints the base URL.

use std::collections::HashMap;
use std::error::Error;
use std::fmt::Write as _;
use std::hint::black_box;
use std::io::{IoSlice, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use creatoraudit::{Client, ListAccounts};
use serde_json::{Value, json};

type BoxResult<T> = Result<T, Box<dyn Error>>;

/// The key both clients send; the server refuses any other.
const KEY: &str = "ca_live_bench_5f0e2c7a9b1d4e3f8a6c";
const PAGE_SIZE: usize = 200;
const TOTAL_ACCOUNTS: usize = 100_000;
const SMALL_WALK: usize = 10_000;
const WHOAMI_CALLS: usize = 5_000;
/// `whoami` pairs per round (each walk gets one pair per round).
const WHOAMI_PAIRS: usize = 5;
/// Child processes per memory measurement.
const MEMORY_RUNS: usize = 5;
/// The SDK's defaults, which the baseline copies.
const TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const MAX_BODY: u64 = 32 * 1024 * 1024;
const USER_AGENT: &str = concat!("creatoraudit-rust/", env!("CARGO_PKG_VERSION"));
const ACCEPT: &str = "application/json, application/problem+json";
const PINNED_ENV: &str = "CREATORAUDIT_BENCH_PINNED";
const TARGET_RATIO: f64 = 1.05;
const TARGET_MEMORY: f64 = 1.10;

fn main() -> BoxResult<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--memory-child") {
        return memory_child(&args[1..]);
    }
    if args.first().map(String::as_str) == Some("--serve") {
        // Only the server, for experiments by hand; it stops by itself after ten minutes.
        let site = Arc::new(Site::render(TOTAL_ACCOUNTS));
        println!("http://{}/v2", serve(site)?);
        std::thread::sleep(Duration::from_secs(600));
        return Ok(());
    }
    if args.first().map(String::as_str) == Some("--profile") {
        return profile(&args[1..]);
    }
    if let Some(code) = pin_to_one_core(&args)? {
        std::process::exit(code);
    }
    let quick = args.iter().any(|a| a == "--quick");
    run(if quick { 3 } else { 21 })
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

fn run(rounds: usize) -> BoxResult<()> {
    println!("creatoraudit bench: the SDK against hand-written ureq, on loopback (no network).");
    println!("Reproduce: cargo run --release --example bench   (--quick: fewer rounds)");
    println!(
        "Workloads: whoami x {WHOAMI_CALLS} calls; walk {TOTAL_ACCOUNTS} accounts typed and as \
         serde_json::Value ({PAGE_SIZE}/page); peak RSS of {SMALL_WALK} vs {TOTAL_ACCOUNTS} accounts."
    );
    println!(
        "Targets: SDK/baseline <= {TARGET_RATIO:.2} on every workload (median wall-clock ratio of \
         interleaved pairs); peak RSS(100k)/RSS(10k) <= {TARGET_MEMORY:.2}."
    );
    println!(
        "CPUs allowed: {} ({}); {} rounds.\n",
        allowed_cpus().unwrap_or_else(|| "unknown".into()),
        if std::env::var_os(PINNED_ENV).is_some() {
            "pinned: server and clients share one core"
        } else {
            "not pinned"
        },
        rounds
    );

    let started = Instant::now();
    let site = Arc::new(Site::render(TOTAL_ACCOUNTS));
    let json_bytes: usize = site.pages.iter().map(|p| p.body.len()).sum();
    println!(
        "server: {} pages of {PAGE_SIZE} accounts, {:.1} MB of JSON ({:.0} bytes per account), \
         whoami body {} bytes, rendered in {:.2} s",
        site.pages.len(),
        json_bytes as f64 / 1e6,
        json_bytes as f64 / TOTAL_ACCOUNTS as f64,
        site.whoami.body.len(),
        started.elapsed().as_secs_f64()
    );
    let addr = serve(Arc::clone(&site))?;
    let base_url = format!("http://{addr}/v2");

    same_requests(&site, &base_url)?;

    // One client per workload and side, each reused for every round: one pooled connection
    // each, so the server's CPU time can be told apart per kind of response.
    let sdk_whoami = sdk_client(&base_url)?;
    let sdk_typed = sdk_client(&base_url)?;
    let sdk_value = sdk_client(&base_url)?;
    let raw_whoami = Baseline::new(&base_url);
    let raw_typed = Baseline::new(&base_url);
    let raw_value = Baseline::new(&base_url);

    // Warm-up: connections, allocator, caches; and the checksums both sides must agree on.
    let (_, sum_typed) = sdk_walk_typed(&sdk_typed, TOTAL_ACCOUNTS)?;
    let (_, raw_sum_typed) = raw_typed.walk_typed(TOTAL_ACCOUNTS)?;
    let (_, sum_value) = sdk_walk_value(&sdk_value, TOTAL_ACCOUNTS)?;
    let (_, raw_sum_value) = raw_value.walk_value(TOTAL_ACCOUNTS)?;
    if sum_typed != raw_sum_typed || sum_value != raw_sum_value || sum_typed != sum_value {
        return Err(format!(
            "the SDK and the baseline decoded different data: {sum_typed} {raw_sum_typed} \
             {sum_value} {raw_sum_value}"
        )
        .into());
    }
    sdk_whoamis(&sdk_whoami, 500)?;
    raw_whoami.whoamis(500)?;

    let floor = raw_tcp_floor(addr, &site)?;

    let mut whoami = Pairs::default();
    let mut typed = Pairs::default();
    let mut value = Pairs::default();
    println!(
        "\nwall-clock ms, SDK/baseline (order alternates)\nround  whoami x {WHOAMI_CALLS}, {WHOAMI_PAIRS} pairs{}typed walk   Value walk",
        " ".repeat(WHOAMI_PAIRS * 8 - 19)
    );
    for round in 0..rounds {
        let mut line = format!("{:>5}  ", round + 1);
        for k in 0..WHOAMI_PAIRS {
            let (s, b) = whoami.run(
                (round * WHOAMI_PAIRS + k) % 2 == 0,
                || sdk_whoamis(&sdk_whoami, WHOAMI_CALLS),
                || raw_whoami.whoamis(WHOAMI_CALLS),
            )?;
            let _ = write!(line, "{:<8}", format!("{:.0}/{:.0}", s * 1e3, b * 1e3));
        }
        let (s, b) = typed.run(
            round % 2 == 0,
            || check(sdk_walk_typed(&sdk_typed, TOTAL_ACCOUNTS), sum_typed),
            || check(raw_typed.walk_typed(TOTAL_ACCOUNTS), sum_typed),
        )?;
        let _ = write!(line, "{:<13}", format!("{:.0}/{:.0}", s * 1e3, b * 1e3));
        let (s, b) = value.run(
            round % 2 == 1,
            || check(sdk_walk_value(&sdk_value, TOTAL_ACCOUNTS), sum_value),
            || check(raw_value.walk_value(TOTAL_ACCOUNTS), sum_value),
        )?;
        let _ = write!(line, "{:.0}/{:.0}", s * 1e3, b * 1e3);
        println!("{line}");
    }

    // Close every connection, so that the server threads report their CPU time.
    drop((
        sdk_whoami, sdk_typed, sdk_value, raw_whoami, raw_typed, raw_value,
    ));

    println!(
        "\npeak memory (VmHWM of a child process that only walks, typed; {MEMORY_RUNS} runs each, \
         interleaved; median):"
    );
    let exe = std::env::current_exe()?;
    let configs = [
        ("sdk", SMALL_WALK),
        ("sdk", TOTAL_ACCOUNTS),
        ("baseline", SMALL_WALK),
        ("baseline", TOTAL_ACCOUNTS),
    ];
    let mut runs = vec![Vec::new(); configs.len()];
    for _ in 0..MEMORY_RUNS {
        for ((who, n), runs) in configs.iter().zip(&mut runs) {
            runs.push(child_peak_kib(&exe, &base_url, *n, who)? as f64);
        }
    }
    let mut memory = Vec::new();
    for ((who, n), runs) in configs.iter().zip(&runs) {
        let kib = median(runs);
        println!(
            "  {who:<8} {n:>7} accounts: {:.2} MiB (runs: {})",
            kib / 1024.0,
            runs.iter()
                .map(|r| format!("{:.2}", r / 1024.0))
                .collect::<Vec<_>>()
                .join(", ")
        );
        memory.push(kib);
    }

    std::thread::sleep(Duration::from_millis(300));
    let server = site.stats.snapshot();
    report(&whoami, &typed, &value, &memory, &floor, &server);
    println!("\ntotal time {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The time of a walk, after checking it saw every account with the expected checksum.
fn check(walk: BoxResult<(f64, u64)>, expected: u64) -> BoxResult<f64> {
    let (secs, sum) = walk?;
    if sum != expected {
        return Err(format!("walk checksum {sum}, expected {expected}").into());
    }
    Ok(secs)
}

/// The CPU time the calling thread has used, in ns (kernel time included).
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Wall-clock and client CPU seconds of one run.
#[derive(Clone, Copy)]
struct Sample {
    wall: f64,
    /// The CPU time of the thread that ran the client (the server's threads excluded).
    client_cpu: Option<f64>,
}

fn measure(f: impl FnOnce() -> BoxResult<f64>) -> BoxResult<Sample> {
    let before = thread_cpu_ns();
    let wall = f()?;
    let after = thread_cpu_ns();
    let client_cpu = before
        .zip(after)
        .map(|(b, a)| a.saturating_sub(b) as f64 / 1e9);
    Ok(Sample { wall, client_cpu })
}

/// Interleaved SDK and baseline runs of one workload.
#[derive(Default)]
struct Pairs {
    sdk: Vec<Sample>,
    base: Vec<Sample>,
}

impl Pairs {
    /// Runs `sdk` and `base` once each, in the order given; returns their wall-clock seconds.
    fn run(
        &mut self,
        sdk_first: bool,
        sdk: impl FnOnce() -> BoxResult<f64>,
        base: impl FnOnce() -> BoxResult<f64>,
    ) -> BoxResult<(f64, f64)> {
        let (s, b) = if sdk_first {
            let s = measure(sdk)?;
            (s, measure(base)?)
        } else {
            let b = measure(base)?;
            (measure(sdk)?, b)
        };
        self.sdk.push(s);
        self.base.push(b);
        Ok((s.wall, b.wall))
    }

    fn wall(side: &[Sample]) -> f64 {
        median(&side.iter().map(|s| s.wall).collect::<Vec<_>>())
    }

    /// The median of the pairs' wall-clock SDK/baseline ratios, and their interquartile range.
    fn wall_ratio(&self) -> (f64, f64, f64) {
        let mut r: Vec<f64> = self
            .sdk
            .iter()
            .zip(&self.base)
            .map(|(s, b)| s.wall / b.wall)
            .collect();
        r.sort_by(f64::total_cmp);
        let q = |p: f64| r[((r.len() - 1) as f64 * p).round() as usize];
        (median(&r), q(0.25), q(0.75))
    }

    /// The median of the pairs' client-CPU ratios (the server's work left out).
    fn cpu_ratio(&self) -> Option<f64> {
        let r: Vec<f64> = self
            .sdk
            .iter()
            .zip(&self.base)
            .filter_map(|(s, b)| Some(s.client_cpu? / b.client_cpu?))
            .collect();
        (!r.is_empty()).then(|| median(&r))
    }
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn report(
    whoami: &Pairs,
    typed: &Pairs,
    value: &Pairs,
    memory: &[f64],
    floor: &Floor,
    server: &ServerSnapshot,
) {
    let pages = TOTAL_ACCOUNTS.div_ceil(PAGE_SIZE) as f64;
    let per_call_us = Pairs::wall(&whoami.sdk) / WHOAMI_CALLS as f64 * 1e6;
    let per_page_us = Pairs::wall(&typed.sdk) / pages * 1e6;

    println!("\nis the server the bottleneck? (it shares the clients' core)");
    println!(
        "  raw TCP client, same requests, no decoding: whoami {:.1} us per exchange \
         ({:.0} % of the SDK's {:.1} us per call); page of {PAGE_SIZE}: {:.0} us per exchange \
         ({:.0} % of the SDK's {:.0} us per typed page)",
        floor.whoami_us,
        floor.whoami_us / per_call_us * 100.0,
        per_call_us,
        floor.page_us,
        floor.page_us / per_page_us * 100.0,
        per_page_us
    );
    println!(
        "  server CPU time (kernel send included): {:.1} us per whoami response ({} served), \
         {:.0} us per page ({} served)",
        server.whoami_cpu_us(),
        server.whoami_n,
        server.page_cpu_us(),
        server.page_n
    );
    if server.rejected > 0 {
        println!(
            "  WARNING: the server rejected {} requests (wrong key, path or query)",
            server.rejected
        );
    }
    let client_us = |v: &[Sample], per: f64| {
        median(&v.iter().filter_map(|s| s.client_cpu).collect::<Vec<_>>()) / per * 1e6
    };
    println!(
        "  client thread CPU time (server excluded): whoami SDK {:.1} us, baseline {:.1} us per \
         call; typed page SDK {:.0} us, baseline {:.0} us",
        client_us(&whoami.sdk, WHOAMI_CALLS as f64),
        client_us(&whoami.base, WHOAMI_CALLS as f64),
        client_us(&typed.sdk, pages),
        client_us(&typed.base, pages)
    );

    let (wr, wlo, whi) = whoami.wall_ratio();
    let (tr, tlo, thi) = typed.wall_ratio();
    let (vr, vlo, vhi) = value.wall_ratio();
    let mem_ratio = memory[1] / memory[0];
    let verdict = |ok: bool| if ok { "PASS" } else { "FAIL" };
    let ms = |v: &[Sample]| format!("{:.1} ms", Pairs::wall(v) * 1e3);
    let cpu = |p: &Pairs| p.cpu_ratio().map_or("n/a".into(), |r| format!("{r:.3}"));

    println!(
        "\n## Results (medians of {} whoami pairs and {} pairs of each walk)\n",
        whoami.sdk.len(),
        typed.sdk.len()
    );
    println!(
        "| workload | SDK | baseline | SDK/baseline (IQR) | client CPU ratio | SDK throughput | baseline throughput | target | result |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| `whoami` x {WHOAMI_CALLS} | {} | {} | {wr:.3} ({wlo:.3}-{whi:.3}) | {} | {:.0} req/s | {:.0} req/s | <= {TARGET_RATIO:.2} | {} |",
        ms(&whoami.sdk),
        ms(&whoami.base),
        cpu(whoami),
        WHOAMI_CALLS as f64 / Pairs::wall(&whoami.sdk),
        WHOAMI_CALLS as f64 / Pairs::wall(&whoami.base),
        verdict(wr <= TARGET_RATIO)
    );
    for (name, p, r, lo, hi) in [
        ("`accounts().list(..)`, 100,000 typed", typed, tr, tlo, thi),
        ("`paginate::<Value>`, 100,000", value, vr, vlo, vhi),
    ] {
        println!(
            "| {name} | {} | {} | {r:.3} ({lo:.3}-{hi:.3}) | {} | {:.0} items/s, {:.0} req/s | {:.0} items/s, {:.0} req/s | <= {TARGET_RATIO:.2} | {} |",
            ms(&p.sdk),
            ms(&p.base),
            cpu(p),
            TOTAL_ACCOUNTS as f64 / Pairs::wall(&p.sdk),
            pages / Pairs::wall(&p.sdk),
            TOTAL_ACCOUNTS as f64 / Pairs::wall(&p.base),
            pages / Pairs::wall(&p.base),
            verdict(r <= TARGET_RATIO)
        );
    }
    println!(
        "| peak RSS walking 10,000 vs 100,000 | 10k: {:.2} MiB, 100k: {:.2} MiB | 10k: {:.2} MiB, 100k: {:.2} MiB | {mem_ratio:.3} (SDK 100k/10k) | | | | <= {TARGET_MEMORY:.2} | {} |",
        memory[0] / 1024.0,
        memory[1] / 1024.0,
        memory[2] / 1024.0,
        memory[3] / 1024.0,
        verdict(mem_ratio <= TARGET_MEMORY)
    );
    println!(
        "\nSDK/baseline: median of the {} interleaved pairs' wall-clock ratios (interquartile \
         range in brackets), which the verdict uses; client CPU ratio: the same for the CPU time \
         of the client thread alone, without the server's share.",
        whoami.sdk.len()
    );
    let met = [
        wr <= TARGET_RATIO,
        tr <= TARGET_RATIO,
        vr <= TARGET_RATIO,
        mem_ratio <= TARGET_MEMORY,
    ];
    let n_met = met.iter().filter(|ok| **ok).count();
    println!(
        "\n{}: {n_met} of {} targets met in this run.",
        if n_met == met.len() {
            "ALL TARGETS MET"
        } else {
            "SOME TARGETS MISSED"
        },
        met.len()
    );
}

// ---------------------------------------------------------------------------------------------
// The SDK side
// ---------------------------------------------------------------------------------------------

fn sdk_client(base_url: &str) -> BoxResult<Client> {
    Ok(Client::builder().api_key(KEY).base_url(base_url).build()?)
}

fn sdk_whoamis(client: &Client, n: usize) -> BoxResult<f64> {
    let t = Instant::now();
    for _ in 0..n {
        let me = client.whoami()?;
        black_box(&me);
    }
    Ok(t.elapsed().as_secs_f64())
}

fn sdk_walk_typed(client: &Client, total: usize) -> BoxResult<(f64, u64)> {
    let t = Instant::now();
    let mut sum = 0u64;
    let mut n = 0;
    for account in client.accounts().list(ListAccounts::new()) {
        let account = black_box(account?);
        sum += account.follower_count.unwrap_or(0) + account.username.len() as u64;
        n += 1;
    }
    let secs = t.elapsed().as_secs_f64();
    expect_count(n, total)?;
    Ok((secs, sum))
}

fn sdk_walk_value(client: &Client, total: usize) -> BoxResult<(f64, u64)> {
    let t = Instant::now();
    let mut sum = 0u64;
    let mut n = 0;
    for account in client.paginate::<Value>("/accounts", &[]) {
        let account = black_box(account?);
        sum += value_checksum(&account);
        n += 1;
    }
    let secs = t.elapsed().as_secs_f64();
    expect_count(n, total)?;
    Ok((secs, sum))
}

fn value_checksum(account: &Value) -> u64 {
    account["follower_count"].as_u64().unwrap_or(0)
        + account["username"].as_str().map_or(0, str::len) as u64
}

fn expect_count(n: usize, expected: usize) -> BoxResult<()> {
    if n == expected {
        Ok(())
    } else {
        Err(format!("walked {n} accounts, expected {expected}").into())
    }
}

// ---------------------------------------------------------------------------------------------
// The baseline: what a careful user would write with ureq alone
// ---------------------------------------------------------------------------------------------

mod raw {
    //! Mirrors of the SDK's models: the same fields, the same types, the same lenience.
    // Every field is decoded, as the SDK decodes it; the bench reads only a few of them.
    #![allow(dead_code)]

    use serde::{Deserialize, Deserializer};
    use serde_json::{Map, Value};

    #[derive(Deserialize)]
    pub struct Data<T> {
        pub data: T,
    }

    #[derive(Deserialize)]
    pub struct Listing<T> {
        pub data: Vec<T>,
        pub pagination: PageInfo,
        #[serde(default, deserialize_with = "null_as_default")]
        pub filters: Map<String, Value>,
    }

    #[derive(Deserialize)]
    pub struct PageInfo {
        #[serde(default)]
        pub next_cursor: Option<String>,
        pub has_next: bool,
        #[serde(default)]
        pub limit: u32,
        #[serde(default)]
        pub total_count: Option<u64>,
    }

    #[derive(Debug, Deserialize)]
    pub struct Whoami {
        pub organization_id: String,
        #[serde(default)]
        pub api_key_name: Option<String>,
    }

    #[derive(Debug)]
    pub enum Platform {
        Instagram,
        TikTok,
        Other(String),
    }

    impl<'de> Deserialize<'de> for Platform {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Visitor;
            impl serde::de::Visitor<'_> for Visitor {
                type Value = Platform;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a platform name")
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Platform, E> {
                    Ok(match v {
                        "instagram" => Platform::Instagram,
                        "tiktok" => Platform::TikTok,
                        other => Platform::Other(other.to_owned()),
                    })
                }
            }
            d.deserialize_str(Visitor)
        }
    }

    fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de> + Default,
    {
        Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
    }

    /// Every field of `creatoraudit::Account`, with the same types.
    #[derive(Debug, Deserialize)]
    pub struct Account {
        pub id: String,
        pub username: String,
        #[serde(default)]
        pub platform: Option<Platform>,
        #[serde(default)]
        pub name: Option<String>,
        #[serde(default)]
        pub description: Option<String>,
        #[serde(default)]
        pub profile_pic_url: Option<String>,
        #[serde(default)]
        pub profile_pic_url_original: Option<String>,
        #[serde(default)]
        pub is_verified: Option<bool>,
        #[serde(default)]
        pub is_active: Option<bool>,
        #[serde(default)]
        pub is_unavailable: Option<bool>,
        #[serde(default)]
        pub link_in_bio: Option<String>,
        #[serde(default)]
        pub creator_id: Option<String>,
        #[serde(default)]
        pub creator_name: Option<String>,
        #[serde(default)]
        pub category: Option<String>,
        #[serde(default, deserialize_with = "null_as_default")]
        pub metadata: Map<String, Value>,
        #[serde(default)]
        pub added_at: Option<String>,
        #[serde(default)]
        pub first_scrape_time: Option<String>,
        #[serde(default)]
        pub last_scrape_time: Option<String>,
        #[serde(default)]
        pub scrape_interval_hours: Option<u32>,
        #[serde(default)]
        pub follower_count: Option<u64>,
        #[serde(default)]
        pub following_count: Option<u64>,
        #[serde(default)]
        pub profile_post_count: Option<u64>,
        #[serde(default)]
        pub total_post_count: Option<u64>,
        #[serde(default)]
        pub view_count: Option<u64>,
        #[serde(default)]
        pub like_count: Option<u64>,
        #[serde(default)]
        pub comment_count: Option<u64>,
        #[serde(default)]
        pub share_count: Option<u64>,
        #[serde(default)]
        pub play_count: Option<u64>,
        #[serde(default)]
        pub saved_count: Option<u64>,
        #[serde(default)]
        pub fb_play_count: Option<u64>,
        #[serde(default)]
        pub ig_play_count: Option<u64>,
        #[serde(default)]
        pub fb_like_count: Option<u64>,
        #[serde(default)]
        pub max_recent_posts_per_account: Option<u64>,
        #[serde(default)]
        pub post_lookback_days: Option<u64>,
        #[serde(default)]
        pub effective_max_recent_posts_per_account: Option<u64>,
        #[serde(default)]
        pub effective_post_lookback_days: Option<u64>,
    }
}

/// Hand-written ureq: the SDK's agent settings and headers, no SDK code.
struct Baseline {
    agent: ureq::Agent,
    authorization: ureq::http::HeaderValue,
    whoami_url: String,
    accounts_url: String,
}

impl Baseline {
    fn new(base_url: &str) -> Self {
        // The SDK's settings: statuses as values, per-phase timeouts (never timeout_global or
        // timeout_per_call: ureq 3.5 would resolve the host on a new thread per request).
        let agent = ureq::Agent::config_builder()
            .proxy(ureq::Proxy::try_from_env())
            .http_status_as_error(false)
            .user_agent(USER_AGENT)
            .accept(ACCEPT)
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_send_request(Some(TIMEOUT))
            .timeout_send_body(Some(TIMEOUT))
            .timeout_recv_response(Some(TIMEOUT))
            .timeout_recv_body(Some(TIMEOUT))
            .build()
            .new_agent();
        let mut authorization = ureq::http::HeaderValue::from_str(&format!("Bearer {KEY}"))
            .expect("a valid header value");
        authorization.set_sensitive(true);
        Baseline {
            agent,
            authorization,
            whoami_url: format!("{base_url}/whoami"),
            accounts_url: format!("{base_url}/accounts?limit={PAGE_SIZE}"),
        }
    }

    /// `GET url` and the body's bytes, refusing an error status.
    fn get(&self, url: &str) -> BoxResult<Vec<u8>> {
        let response = self
            .agent
            .get(url)
            .header("authorization", self.authorization.clone())
            .call()?;
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .into_with_config()
            .limit(MAX_BODY)
            .read_to_vec()?;
        if !(200..300).contains(&status) {
            return Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&body)).into());
        }
        Ok(body)
    }

    fn whoami(&self) -> BoxResult<raw::Whoami> {
        let body = self.get(&self.whoami_url)?;
        Ok(serde_json::from_slice::<raw::Data<raw::Whoami>>(&body)?.data)
    }

    fn whoamis(&self, n: usize) -> BoxResult<f64> {
        let t = Instant::now();
        for _ in 0..n {
            let me = self.whoami()?;
            black_box(&me);
        }
        Ok(t.elapsed().as_secs_f64())
    }

    /// Walks the listing, calling `each` on every item, stopping after `max` items.
    fn walk<T: serde::de::DeserializeOwned>(
        &self,
        max: usize,
        mut each: impl FnMut(T),
    ) -> BoxResult<usize> {
        let mut url = self.accounts_url.clone();
        let mut n = 0;
        loop {
            let body = self.get(&url)?;
            let page: raw::Listing<T> = serde_json::from_slice(&body)?;
            drop(body);
            black_box((
                &page.filters,
                page.pagination.limit,
                page.pagination.total_count,
            ));
            for item in page.data {
                each(item);
                n += 1;
                if n == max {
                    return Ok(n);
                }
            }
            match page.pagination.next_cursor {
                Some(cursor) if page.pagination.has_next => {
                    url.truncate(self.accounts_url.len());
                    url.push_str("&cursor=");
                    push_encoded(&mut url, &cursor);
                }
                _ => return Ok(n),
            }
        }
    }

    fn walk_typed(&self, total: usize) -> BoxResult<(f64, u64)> {
        let t = Instant::now();
        let mut sum = 0u64;
        let n = self.walk(usize::MAX, |account: raw::Account| {
            let account = black_box(account);
            sum += account.follower_count.unwrap_or(0) + account.username.len() as u64;
        })?;
        let secs = t.elapsed().as_secs_f64();
        expect_count(n, total)?;
        Ok((secs, sum))
    }

    fn walk_value(&self, total: usize) -> BoxResult<(f64, u64)> {
        let t = Instant::now();
        let mut sum = 0u64;
        let n = self.walk(usize::MAX, |account: Value| {
            let account = black_box(account);
            sum += value_checksum(&account);
        })?;
        let secs = t.elapsed().as_secs_f64();
        expect_count(n, total)?;
        Ok((secs, sum))
    }
}

/// RFC 3986 unreserved characters pass, everything else is percent-encoded.
fn push_encoded(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Is the server the bottleneck? A raw TCP client does the same exchanges without any decoding.
// ---------------------------------------------------------------------------------------------

struct Floor {
    whoami_us: f64,
    page_us: f64,
}

fn raw_tcp_floor(addr: SocketAddr, site: &Site) -> BoxResult<Floor> {
    let mut conn = RawConn::connect(addr)?;
    let request = |target: &str| {
        format!(
            "GET {target} HTTP/1.1\r\nhost: {addr}\r\nauthorization: Bearer {KEY}\r\n\
             accept: {ACCEPT}\r\nuser-agent: {USER_AGENT}\r\n\r\n"
        )
    };
    let whoami = request("/v2/whoami");
    let mut best_whoami = f64::MAX;
    let mut best_page = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        for _ in 0..WHOAMI_CALLS {
            conn.exchange(whoami.as_bytes())?;
        }
        best_whoami = best_whoami.min(t.elapsed().as_secs_f64() / WHOAMI_CALLS as f64);

        let t = Instant::now();
        let mut target = format!("/v2/accounts?limit={PAGE_SIZE}");
        let mut pages = 0;
        loop {
            let body = conn.exchange(request(&target).as_bytes())?;
            pages += 1;
            match next_cursor_of(body) {
                Some(cursor) => {
                    target = format!("/v2/accounts?limit={PAGE_SIZE}&cursor=");
                    push_encoded(&mut target, &cursor);
                }
                None => break,
            }
        }
        if pages != site.pages.len() {
            return Err(format!("raw client walked {pages} pages").into());
        }
        best_page = best_page.min(t.elapsed().as_secs_f64() / pages as f64);
    }
    Ok(Floor {
        whoami_us: best_whoami * 1e6,
        page_us: best_page * 1e6,
    })
}

/// The `next_cursor` near the end of a page, found without parsing the JSON.
fn next_cursor_of(body: &[u8]) -> Option<String> {
    const KEY: &[u8] = b"\"next_cursor\":\"";
    let tail = &body[body.len().saturating_sub(1024)..];
    let at = tail.windows(KEY.len()).position(|w| w == KEY)? + KEY.len();
    let len = tail[at..].iter().position(|&b| b == b'"')?;
    Some(String::from_utf8_lossy(&tail[at..at + len]).into_owned())
}

struct RawConn {
    stream: TcpStream,
    buf: Vec<u8>,
    body: Vec<u8>,
}

impl RawConn {
    fn connect(addr: SocketAddr) -> BoxResult<Self> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        Ok(RawConn {
            stream,
            buf: Vec::with_capacity(16 * 1024),
            body: Vec::new(),
        })
    }

    /// Sends a request and reads the whole response; returns its body.
    fn exchange(&mut self, request: &[u8]) -> BoxResult<&[u8]> {
        self.stream.write_all(request)?;
        self.buf.clear();
        let mut chunk = [0u8; 16 * 1024];
        let head_end = loop {
            if let Some(at) = find(&self.buf, b"\r\n\r\n") {
                break at + 4;
            }
            let n = self.stream.read(&mut chunk)?;
            if n == 0 {
                return Err("server closed the connection".into());
            }
            self.buf.extend_from_slice(&chunk[..n]);
        };
        let head = std::str::from_utf8(&self.buf[..head_end])?;
        if !head.starts_with("HTTP/1.1 200") {
            return Err(format!("unexpected response: {head}").into());
        }
        let length: usize = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().ok())?
            })
            .ok_or("no content-length")?;
        self.body.clear();
        self.body.extend_from_slice(&self.buf[head_end..]);
        self.body.resize(length, 0);
        let have = self.buf.len() - head_end;
        self.stream.read_exact(&mut self.body[have..])?;
        Ok(&self.body)
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------------------------
// Same requests on the wire: the SDK and the baseline send the same headers.
// ---------------------------------------------------------------------------------------------

fn same_requests(site: &Site, base_url: &str) -> BoxResult<()> {
    let heads = |f: &dyn Fn() -> BoxResult<()>| -> BoxResult<Vec<String>> {
        site.capture.store(true, Ordering::SeqCst);
        f()?;
        site.capture.store(false, Ordering::SeqCst);
        let mut captured = site.captured.lock().unwrap_or_else(|e| e.into_inner());
        Ok(std::mem::take(&mut *captured))
    };
    let sdk = sdk_client(base_url)?;
    let base = Baseline::new(base_url);
    let sdk_heads = heads(&|| {
        sdk.whoami()?;
        let mut pages = sdk.accounts().list(ListAccounts::new()).pages();
        pages.next().ok_or("no page")??;
        pages.next().ok_or("no page")??;
        Ok(())
    })?;
    let base_heads = heads(&|| {
        base.whoami()?;
        base.walk(PAGE_SIZE + 1, |a: raw::Account| {
            black_box(a);
        })?;
        Ok(())
    })?;
    let normalize = |heads: &[String]| -> Vec<Vec<String>> {
        heads
            .iter()
            .map(|h| {
                let mut lines: Vec<String> = h
                    .lines()
                    .filter(|l| !l.is_empty())
                    .map(|l| match l.split_once(':') {
                        Some((k, v)) => format!("{}: {}", k.to_ascii_lowercase(), v.trim()),
                        None => l.to_owned(),
                    })
                    .collect();
                lines[1..].sort();
                lines
            })
            .collect()
    };
    let (s, b) = (normalize(&sdk_heads), normalize(&base_heads));
    println!(
        "requests on the wire (SDK; the baseline's are {}):",
        if s == b { "identical" } else { "DIFFERENT" }
    );
    for head in &s {
        for line in head {
            let shown = if line.starts_with("authorization:") {
                "authorization: Bearer <key>"
            } else {
                line
            };
            println!("  {shown}");
        }
        println!();
    }
    if s != b {
        println!("baseline's requests:");
        for line in b.iter().flatten() {
            println!("  {line}");
        }
        return Err("the SDK and the baseline send different requests".into());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Peak memory: a child process walks, then reports its VmHWM.
// ---------------------------------------------------------------------------------------------

fn child_peak_kib(exe: &std::path::Path, base_url: &str, n: usize, who: &str) -> BoxResult<u64> {
    let out = Command::new(exe)
        .args(["--memory-child", base_url, &n.to_string(), who])
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "memory child failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let text = String::from_utf8(out.stdout)?;
    Ok(text
        .trim()
        .strip_prefix("VmHWM_kB ")
        .ok_or("memory child printed no VmHWM")?
        .parse()?)
}

fn memory_child(args: &[String]) -> BoxResult<()> {
    let [base_url, n, who] = args else {
        return Err("usage: bench --memory-child BASE_URL N sdk|baseline".into());
    };
    let n: usize = n.parse()?;
    let mut sum = 0u64;
    let walked = match who.as_str() {
        "sdk" => {
            let client = sdk_client(base_url)?;
            let mut walked = 0;
            for account in client
                .accounts()
                .list(ListAccounts::new())
                .max_items(n as u64)
            {
                let account = account?;
                sum += account.follower_count.unwrap_or(0);
                walked += 1;
            }
            walked
        }
        "baseline" => Baseline::new(base_url).walk(n, |a: raw::Account| {
            sum += a.follower_count.unwrap_or(0);
        })?,
        _ => return Err(format!("unknown client {who:?}").into()),
    };
    expect_count(walked, n)?;
    black_box(sum);
    let status = std::fs::read_to_string("/proc/self/status")?;
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .ok_or("no VmHWM in /proc/self/status (not Linux?)")?
        .trim()
        .trim_end_matches("kB")
        .trim();
    println!("VmHWM_kB {hwm}");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Profiling: one side, one workload, for `valgrind --tool=callgrind` or `perf record`.
// ---------------------------------------------------------------------------------------------

/// `--profile sdk|baseline whoami|typed|value [REPEAT]`: serves and runs only that, REPEAT
/// times (default 1): `whoami` x 5,000, or a walk over 10,000 accounts. Run it for both sides
/// under callgrind: the server's work is the same in both, so the difference of the two
/// instruction counts is the SDK's own cost.
fn profile(args: &[String]) -> BoxResult<()> {
    let (side, workload) = match args {
        [side, workload, ..] => (side.as_str(), workload.as_str()),
        _ => return Err("usage: bench --profile sdk|baseline whoami|typed|value [REPEAT]".into()),
    };
    let repeat: usize = args.get(2).map_or(Ok(1), |r| r.parse())?;
    let total = if workload == "whoami" {
        PAGE_SIZE
    } else {
        SMALL_WALK
    };
    let site = Arc::new(Site::render(total));
    let base_url = format!("http://{}/v2", serve(Arc::clone(&site))?);
    let sdk = sdk_client(&base_url)?;
    let raw = Baseline::new(&base_url);
    let mut secs = 0.0;
    for _ in 0..repeat {
        secs += match (side, workload) {
            ("sdk", "whoami") => sdk_whoamis(&sdk, WHOAMI_CALLS)?,
            ("baseline", "whoami") => raw.whoamis(WHOAMI_CALLS)?,
            ("sdk", "typed") => sdk_walk_typed(&sdk, total)?.0,
            ("baseline", "typed") => raw.walk_typed(total)?.0,
            ("sdk", "value") => sdk_walk_value(&sdk, total)?.0,
            ("baseline", "value") => raw.walk_value(total)?.0,
            _ => return Err(format!("unknown side or workload: {side} {workload}").into()),
        };
    }
    println!("{side} {workload} x {repeat}: {:.1} ms", secs * 1e3);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Pinning
// ---------------------------------------------------------------------------------------------

fn allowed_cpus() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
        .map(|s| s.trim().to_owned())
}

/// Re-runs this program under `taskset -c CPU` when it may use several cores. Returns the
/// child's exit code, or `None` to go on in this process.
fn pin_to_one_core(args: &[String]) -> BoxResult<Option<i32>> {
    if args.iter().any(|a| a == "--no-pin") || std::env::var_os(PINNED_ENV).is_some() {
        return Ok(None);
    }
    let Some(cpus) = allowed_cpus() else {
        return Ok(None);
    };
    if !cpus.contains([',', '-']) {
        return Ok(None); // already on one core
    }
    let first = cpus
        .split([',', '-'])
        .next()
        .unwrap_or("0")
        .trim()
        .to_owned();
    let cpu = std::env::var("CREATORAUDIT_BENCH_CPU").unwrap_or(first);
    // Can this process pin itself (taskset installed, the CPU allowed)?
    let usable = Command::new("taskset")
        .args(["-c", &cpu, "true"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !usable {
        println!(
            "(cannot run `taskset -c {cpu}`: running unpinned, the whoami numbers will be noisy; \
             install util-linux)"
        );
        return Ok(None);
    }
    let status = Command::new("taskset")
        .arg("-c")
        .arg(&cpu)
        .arg(std::env::current_exe()?)
        .args(args)
        .env(PINNED_ENV, &cpu)
        .status()?;
    Ok(Some(status.code().unwrap_or(1)))
}

// ---------------------------------------------------------------------------------------------
// The server: pre-rendered responses from memory, HTTP/1.1 keep-alive, a thread per connection.
// ---------------------------------------------------------------------------------------------

/// A pre-rendered response: the head without its per-request lines, and the body.
struct Canned {
    head: Vec<u8>,
    body: Vec<u8>,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Whoami,
    Page,
    Rejected,
}

struct Site {
    whoami: Canned,
    pages: Vec<Canned>,
    /// Cursor (decoded) → page index.
    cursors: HashMap<String, usize>,
    unauthorized: Canned,
    not_found: Canned,
    bad_cursor: Canned,
    stats: Stats,
    capture: AtomicBool,
    captured: Mutex<Vec<String>>,
}

#[derive(Default)]
struct Stats {
    requests: AtomicU64,
    whoami_n: AtomicU64,
    whoami_cpu_ns: AtomicU64,
    page_n: AtomicU64,
    page_cpu_ns: AtomicU64,
    rejected: AtomicU64,
}

struct ServerSnapshot {
    whoami_n: u64,
    whoami_cpu_ns: u64,
    page_n: u64,
    page_cpu_ns: u64,
    rejected: u64,
}

impl ServerSnapshot {
    fn whoami_cpu_us(&self) -> f64 {
        self.whoami_cpu_ns as f64 / self.whoami_n.max(1) as f64 / 1e3
    }

    fn page_cpu_us(&self) -> f64 {
        self.page_cpu_ns as f64 / self.page_n.max(1) as f64 / 1e3
    }
}

impl Stats {
    fn snapshot(&self) -> ServerSnapshot {
        ServerSnapshot {
            whoami_n: self.whoami_n.load(Ordering::SeqCst),
            whoami_cpu_ns: self.whoami_cpu_ns.load(Ordering::SeqCst),
            page_n: self.page_n.load(Ordering::SeqCst),
            page_cpu_ns: self.page_cpu_ns.load(Ordering::SeqCst),
            rejected: self.rejected.load(Ordering::SeqCst),
        }
    }
}

impl Site {
    /// Renders `total` accounts in pages of [`PAGE_SIZE`].
    fn render(total: usize) -> Site {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let reset = now - now % 60 + 60;
        let fixed = |status: &str, content_type: &str, body: &[u8], extra: &str| {
            let mut head = format!(
                "HTTP/1.1 {status}\r\ndate: Sun, 29 Nov 2026 09:30:00 GMT\r\n\
                 content-type: {content_type}\r\ncontent-length: {}\r\n\
                 x-ratelimit-limit: 600\r\nx-ratelimit-reset: {reset}\r\n\
                 vary: Authorization\r\n{extra}",
                body.len()
            );
            if status.starts_with('2') {
                let _ = write!(head, "etag: \"{:016x}\"\r\n", fnv(body));
            }
            head.into_bytes()
        };
        let canned = |status: &str, body: Vec<u8>, extra: &str, kind: Kind| {
            let content_type = if status.starts_with('2') {
                "application/json"
            } else {
                "application/problem+json"
            };
            Canned {
                head: fixed(status, content_type, &body, extra),
                body,
                kind,
            }
        };
        let problem = |status: u16, title: &str, code: &str, detail: &str| {
            json!({
                "type": format!("urn:creatoraudit:error:{}", code.to_lowercase().replace('_', "-")),
                "title": title,
                "status": status,
                "detail": detail,
                "code": code,
            })
            .to_string()
            .into_bytes()
        };

        let whoami = json!({"data": {
            "type": "whoami",
            "organization_id": "org_2aXk9VbQ7mT4pLr8Zc1Hn5Wd",
            "api_key_name": "sync worker (production)",
        }});
        let n_pages = total.div_ceil(PAGE_SIZE);
        let cursors: Vec<String> = (0..n_pages).map(cursor_for).collect();
        let first_link = "https://api.creatoraudit.com/v2/accounts?limit=200";
        let mut pages = Vec::with_capacity(n_pages);
        for p in 0..n_pages {
            let items: Vec<Value> = (p * PAGE_SIZE..((p + 1) * PAGE_SIZE).min(total))
                .map(account)
                .collect();
            let has_next = p + 1 < n_pages;
            let next = has_next.then(|| cursors[p + 1].clone());
            let body = json!({
                "data": items,
                "pagination": {"next_cursor": next, "has_next": has_next, "limit": PAGE_SIZE},
                "filters": {"order_by": "added_at", "order_direction": "desc"},
            });
            let mut link = format!("link: <{first_link}>; rel=\"first\"");
            if let Some(next) = &next {
                let mut url = format!("{first_link}&cursor=");
                push_encoded(&mut url, next);
                let _ = write!(link, ", <{url}>; rel=\"next\"");
            }
            link.push_str("\r\n");
            pages.push(canned(
                "200 OK",
                serde_json::to_vec(&body).expect("JSON"),
                &link,
                Kind::Page,
            ));
        }
        Site {
            whoami: canned(
                "200 OK",
                serde_json::to_vec(&whoami).expect("JSON"),
                "",
                Kind::Whoami,
            ),
            pages,
            cursors: cursors
                .into_iter()
                .enumerate()
                .skip(1)
                .map(|(i, c)| (c, i))
                .collect(),
            unauthorized: canned(
                "401 Unauthorized",
                problem(401, "Unauthorized", "UNAUTHORIZED", "Invalid API key."),
                "www-authenticate: Bearer\r\n",
                Kind::Rejected,
            ),
            not_found: canned(
                "404 Not Found",
                problem(404, "Not Found", "NOT_FOUND", "No such route."),
                "",
                Kind::Rejected,
            ),
            bad_cursor: canned(
                "422 Unprocessable Entity",
                problem(
                    422,
                    "Unprocessable Entity",
                    "VALIDATION_ERROR",
                    "Request failed validation.",
                ),
                "",
                Kind::Rejected,
            ),
            stats: Stats::default(),
            capture: AtomicBool::new(false),
            captured: Mutex::new(Vec::new()),
        }
    }

    /// The response to a request head.
    fn route(&self, head: &str) -> &Canned {
        let mut lines = head.split("\r\n");
        let mut first = lines.next().unwrap_or_default().split(' ');
        let (method, target) = (
            first.next().unwrap_or_default(),
            first.next().unwrap_or_default(),
        );
        let authorized = lines.any(|l| {
            l.split_once(':').is_some_and(|(k, v)| {
                k.eq_ignore_ascii_case("authorization")
                    && v.trim().strip_prefix("Bearer ") == Some(KEY)
            })
        });
        if !authorized {
            return &self.unauthorized;
        }
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        match (method, path) {
            ("GET", "/v2/whoami") => &self.whoami,
            ("GET", "/v2/accounts") => {
                let mut limit_ok = false;
                let mut cursor = None;
                for pair in query.split('&') {
                    match pair.split_once('=') {
                        Some(("limit", v)) => limit_ok = v == "200",
                        Some(("cursor", v)) => cursor = Some(percent_decode(v)),
                        _ => return &self.bad_cursor, // no other filter in this bench
                    }
                }
                match cursor {
                    _ if !limit_ok => &self.bad_cursor,
                    None => &self.pages[0],
                    Some(c) => self
                        .cursors
                        .get(&c)
                        .map_or(&self.bad_cursor, |&i| &self.pages[i]),
                }
            }
            _ => &self.not_found,
        }
    }
}

/// An account with every documented field; ids, names and numbers vary with `i`.
fn account(i: usize) -> Value {
    const FIRST: [&str; 8] = [
        "khaby",
        "charli",
        "bella",
        "zach",
        "addison",
        "mr",
        "selena",
        "cristiano",
    ];
    const LAST: [&str; 8] = [
        "lame", "damelio", "poarch", "king", "rae", "beast", "gomez", "ronaldo",
    ];
    const BIOS: [&str; 4] = [
        "If u wanna laugh u r in the right place",
        "Comedy 🎬 | DM for collabs → \"biz@studio.example\"",
        "Official account. New video every Friday!\nLinks below 👇",
        "",
    ];
    const CATEGORIES: [&str; 4] = ["comedy", "music", "sports", "beauty"];
    let r = splitmix(i as u64);
    let r2 = splitmix(r);
    let instagram = i % 3 == 0;
    let (first, last) = (FIRST[i % 8], LAST[(i / 8) % 8]);
    let username = format!("{first}.{last}{i}");
    let day = 1 + (r % 28);
    let followers = 1_000 + r % 200_000_000;
    let views = followers * (3 + r2 % 40);
    let interval = [6, 12, 24, 48][(r2 % 4) as usize];
    json!({
        "id": uuid(r),
        "type": "account",
        "platform": if instagram { "instagram" } else { "tiktok" },
        "username": username,
        "name": format!("{} {}", capitalize(first), capitalize(last)),
        "description": BIOS[i % BIOS.len()],
        "profile_pic_url": format!("https://cdn.creatoraudit.com/p/{username}.jpg"),
        "profile_pic_url_original": if instagram {
            format!("https://scontent.cdninstagram.com/v/t51/{r:x}_n.jpg?stp=dst-jpg_s320x320&_nc_ht=scontent.cdninstagram.com")
        } else {
            format!("https://p16-sign.tiktokcdn.com/tos-maliva-avt-0068/{r2:x}~c5_720x720.jpeg?x-expires=1796000000")
        },
        "is_verified": r % 5 == 0,
        "is_active": r % 17 != 0,
        "is_unavailable": r % 101 == 0,
        "link_in_bio": (r % 4 != 0).then(|| format!("https://linktr.ee/{first}{last}")),
        "creator_id": (r % 4 != 1).then(|| uuid(r2)),
        "creator_name": (r % 4 != 1).then(|| capitalize(first)),
        "category": (r % 7 != 0).then(|| CATEGORIES[i % 4]),
        "metadata": match r % 3 {
            0 => json!({"team": "growth", "tier": "A"}),
            1 => json!({"team": "brand", "tier": "B", "region": "emea", "owner": "sam@example.com"}),
            _ => json!({}),
        },
        "added_at": format!("2026-06-{day:02}T09:{:02}:00Z", r2 % 60),
        "first_scrape_time": format!("2026-06-{day:02}T09:{:02}:12Z", (r2 + 1) % 60),
        "last_scrape_time": (r % 9 != 0).then(|| format!("2026-11-28T{:02}:30:00Z", r2 % 24)),
        "scrape_interval_hours": interval,
        "follower_count": followers,
        "following_count": r2 % 2_000,
        "profile_post_count": 10 + r2 % 3_000,
        "total_post_count": 10 + r2 % 2_500,
        "view_count": views,
        "like_count": views / 12,
        "comment_count": views / 250,
        "share_count": views / 600,
        "play_count": views + r2 % 1_000,
        "saved_count": instagram.then_some(views / 900),
        "fb_play_count": instagram.then_some(views / 20),
        "ig_play_count": instagram.then_some(views),
        "fb_like_count": instagram.then_some(views / 300),
        "max_recent_posts_per_account": (r % 2 == 0).then_some(100),
        "post_lookback_days": 90,
        "effective_max_recent_posts_per_account": 50,
        "effective_post_lookback_days": 90,
    })
}

/// An opaque cursor, as an API would make one: base64 of a small JSON document.
fn cursor_for(page: usize) -> String {
    let r = splitmix(page as u64 * 7919);
    base64(
        format!(
            r#"{{"v":2,"o":"added_at","d":"desc","k":"2026-06-{:02}T09:30:00Z","id":"{}","p":{page}}}"#,
            1 + r % 28,
            uuid(r)
        )
        .as_bytes(),
    )
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn uuid(seed: u64) -> String {
    let (a, b) = (splitmix(seed), splitmix(seed ^ 0x5555));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Starts the server on a free loopback port.
fn serve(site: Arc<Site>) -> BoxResult<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let site = Arc::clone(&site);
            std::thread::spawn(move || {
                let _ = connection(&site, stream);
            });
        }
    });
    Ok(addr)
}

/// Serves one keep-alive connection until the client closes it.
fn connection(site: &Site, mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut chunk = [0u8; 16 * 1024];
    let mut head_out: Vec<u8> = Vec::with_capacity(1024);
    let (mut whoamis, mut pages, mut others) = (0u64, 0u64, 0u64);
    let result = loop {
        let Some(end) = find(&buf, b"\r\n\r\n") else {
            match stream.read(&mut chunk) {
                Ok(0) => break Ok(()),
                Ok(n) => {
                    buf.extend_from_slice(&chunk[..n]);
                    continue;
                }
                Err(e) => break Err(e),
            }
        };
        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
        // This bench sends no request bodies; skip one if a client does.
        let body_len: usize = head
            .split("\r\n")
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().ok())?
            })
            .unwrap_or(0);
        while buf.len() < end + 4 + body_len {
            match stream.read(&mut chunk) {
                Ok(0) => return Ok(()),
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                Err(e) => return Err(e),
            }
        }
        buf.drain(..end + 4 + body_len);
        if site.capture.load(Ordering::Relaxed) {
            site.captured
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(head.clone());
        }

        let response = site.route(&head);
        match response.kind {
            Kind::Whoami => whoamis += 1,
            Kind::Page => pages += 1,
            Kind::Rejected => {
                others += 1;
                site.stats.rejected.fetch_add(1, Ordering::Relaxed);
            }
        }
        let n = site.stats.requests.fetch_add(1, Ordering::Relaxed);
        head_out.clear();
        head_out.extend_from_slice(&response.head);
        let _ = write!(
            head_out,
            "x-request-id: req_{:016x}{:08x}\r\nx-ratelimit-remaining: {}\r\n\r\n",
            splitmix(n),
            n,
            599 - n % 600
        );
        if let Err(e) = write_two(&mut stream, &head_out, &response.body) {
            break Err(e);
        }
        if head
            .split("\r\n")
            .any(|l| l.eq_ignore_ascii_case("connection: close"))
        {
            break Ok(());
        }
    };
    // Account this connection's CPU time to the one kind of response it served.
    let cpu_ns = std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok());
    if let Some(ns) = cpu_ns {
        let s = &site.stats;
        match (whoamis, pages, others) {
            (w, 0, 0) if w > 0 => {
                s.whoami_n.fetch_add(w, Ordering::SeqCst);
                s.whoami_cpu_ns.fetch_add(ns, Ordering::SeqCst);
            }
            (0, p, 0) if p > 0 => {
                s.page_n.fetch_add(p, Ordering::SeqCst);
                s.page_cpu_ns.fetch_add(ns, Ordering::SeqCst);
            }
            _ => {}
        }
    }
    result
}

/// Writes `a` then `b` with as few system calls as the kernel allows.
fn write_two(stream: &mut TcpStream, a: &[u8], b: &[u8]) -> std::io::Result<()> {
    let mut bufs = [IoSlice::new(a), IoSlice::new(b)];
    let mut slices: &mut [IoSlice<'_>] = &mut bufs;
    while !slices.is_empty() {
        match stream.write_vectored(slices) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => IoSlice::advance_slices(&mut slices, n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
