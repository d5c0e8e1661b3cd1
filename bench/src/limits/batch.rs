//! Scenario (a): a batch of 5,000 video ids through `client.videos().metrics(..)`, chunked by
//! the SDK into 200 ids per `POST /videos/metrics`, over a link with a fixed latency.
//!
//! The floor is the round trips the chunks need when `concurrency` of them are in flight at
//! once: `ceil(chunks / concurrency) × latency`.

use std::time::{Duration, Instant};

use creatoraudit::{BATCH_CHUNK_SIZE, Client, VideoMetricsRequest};

use super::server::LimitServer;
use crate::fixtures::uuid;
use crate::stats::median;
use crate::{BoxResult, KEY};

/// Video ids in the batch.
pub const BATCH_IDS: usize = 5_000;
/// Runs per concurrency (the median is reported).
const RUNS: usize = 3;

/// The runs of one concurrency.
pub struct BatchResult {
    pub concurrency: usize,
    pub chunks: usize,
    /// Wall-clock seconds of each run.
    pub walls: Vec<f64>,
    pub floor: Duration,
    /// Requests the server received per run, 429s included.
    pub requests: u64,
    pub limited: u64,
    /// The most requests the server saw in flight at once, over all runs.
    pub max_in_flight: u64,
}

impl BatchResult {
    pub fn wall(&self) -> f64 {
        median(&self.walls)
    }

    pub fn floor_ratio(&self) -> f64 {
        self.wall() / self.floor.as_secs_f64()
    }
}

pub fn run(server: &LimitServer, latency: Duration, concurrency: usize) -> BoxResult<BatchResult> {
    let ids: Vec<String> = (0..BATCH_IDS as u64).map(|i| uuid(i ^ 0xba7c)).collect();
    let request = VideoMetricsRequest::new(ids.iter().cloned());
    let chunks = BATCH_IDS.div_ceil(BATCH_CHUNK_SIZE);
    let client = Client::builder()
        .api_key(KEY)
        .base_url(&server.base_url)
        .batch_concurrency(concurrency)
        .build()?;
    client.whoami()?; // one connection opened before the clock starts

    server.reset_counters();
    let mut walls = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        let batch = client.videos().metrics(&request)?;
        walls.push(t.elapsed().as_secs_f64());
        if batch.data.len() != BATCH_IDS || !batch.meta.not_found.is_empty() {
            return Err(format!(
                "the batch answered {} ids ({} not found), expected {BATCH_IDS}",
                batch.data.len(),
                batch.meta.not_found.len()
            )
            .into());
        }
    }
    let seen = server.snapshot();
    if seen.rejected > 0 {
        return Err(format!("the server rejected {} batch requests", seen.rejected).into());
    }
    let rounds = chunks.div_ceil(concurrency) as u32;
    Ok(BatchResult {
        concurrency,
        chunks,
        walls,
        floor: latency * rounds,
        requests: seen.requests / RUNS as u64,
        limited: seen.limited,
        max_in_flight: seen.max_in_flight,
    })
}
