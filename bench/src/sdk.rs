//! The SDK side: the workloads as a user writes them with creatoraudit.

use std::hint::black_box;
use std::time::Instant;

use creatoraudit::{Client, ListAccounts};
use serde_json::Value;

use crate::{BoxResult, KEY};

pub fn sdk_client(base_url: &str) -> BoxResult<Client> {
    Ok(Client::builder().api_key(KEY).base_url(base_url).build()?)
}

pub fn sdk_whoamis(client: &Client, n: usize) -> BoxResult<f64> {
    let t = Instant::now();
    for _ in 0..n {
        let me = client.whoami()?;
        black_box(&me);
    }
    Ok(t.elapsed().as_secs_f64())
}

pub fn sdk_walk_typed(client: &Client, total: usize) -> BoxResult<(f64, u64)> {
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

pub fn sdk_walk_value(client: &Client, total: usize) -> BoxResult<(f64, u64)> {
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

pub fn value_checksum(account: &Value) -> u64 {
    account["follower_count"].as_u64().unwrap_or(0)
        + account["username"].as_str().map_or(0, str::len) as u64
}

pub fn expect_count(n: usize, expected: usize) -> BoxResult<()> {
    if n == expected {
        Ok(())
    } else {
        Err(format!("walked {n} accounts, expected {expected}").into())
    }
}
