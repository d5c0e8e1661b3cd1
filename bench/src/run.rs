//! The run: the server, the wire check, the interleaved rounds of both sides, peak memory,
//! then the report.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::baseline::Baseline;
use crate::floor::raw_tcp_floor;
use crate::memory::child_peak_kib;
use crate::pin::allowed_cpus;
use crate::report::report;
use crate::sdk::{sdk_client, sdk_walk_typed, sdk_walk_value, sdk_whoamis};
use crate::server::{Site, serve};
use crate::stats::{Pairs, median};
use crate::wire_check::same_requests;
use crate::{
    BoxResult, MEMORY_RUNS, PAGE_SIZE, PINNED_ENV, SMALL_WALK, TARGET_MEMORY, TARGET_RATIO,
    TOTAL_ACCOUNTS, WHOAMI_CALLS, WHOAMI_PAIRS,
};

pub fn run(rounds: usize) -> BoxResult<()> {
    println!("creatoraudit bench: the SDK against hand-written ureq, on loopback (no network).");
    println!(
        "Reproduce: cargo run --release --manifest-path bench/Cargo.toml   (--quick: fewer rounds)"
    );
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
pub fn check(walk: BoxResult<(f64, u64)>, expected: u64) -> BoxResult<f64> {
    let (secs, sum) = walk?;
    if sum != expected {
        return Err(format!("walk checksum {sum}, expected {expected}").into());
    }
    Ok(secs)
}
