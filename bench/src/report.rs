//! The report of the run: is the server the bottleneck, and the table of targets.

use crate::floor::Floor;
use crate::server::ServerSnapshot;
use crate::stats::{Pairs, Sample, median};
use crate::{PAGE_SIZE, TARGET_MEMORY, TARGET_RATIO, TOTAL_ACCOUNTS, WHOAMI_CALLS};

pub fn report(
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
