//! Peak memory: a child process walks, then reports its VmHWM.

use std::hint::black_box;
use std::process::Command;

use creatoraudit::ListAccounts;

use crate::BoxResult;
use crate::baseline::{Baseline, raw};
use crate::sdk::{expect_count, sdk_client};

pub fn child_peak_kib(
    exe: &std::path::Path,
    base_url: &str,
    n: usize,
    who: &str,
) -> BoxResult<u64> {
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

pub fn memory_child(args: &[String]) -> BoxResult<()> {
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
