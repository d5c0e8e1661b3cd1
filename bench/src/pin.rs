//! Pinning: server and clients share one core, so that the scheduler's hand-offs between
//! cores do not dominate a loopback round trip.

use std::process::Command;

use crate::{BoxResult, PINNED_ENV};

pub fn allowed_cpus() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
        .map(|s| s.trim().to_owned())
}

/// Re-runs this program under `taskset -c CPU` when it may use several cores. Returns the
/// child's exit code, or `None` to go on in this process.
pub fn pin_to_one_core(args: &[String]) -> BoxResult<Option<i32>> {
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
