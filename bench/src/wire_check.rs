//! Same requests on the wire: the SDK and the baseline send the same headers.

use std::hint::black_box;
use std::sync::atomic::Ordering;

use creatoraudit::ListAccounts;

use crate::baseline::{Baseline, raw};
use crate::sdk::sdk_client;
use crate::server::Site;
use crate::{BoxResult, PAGE_SIZE};

pub fn same_requests(site: &Site, base_url: &str) -> BoxResult<()> {
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
