//! Scenario (b): 8 threads sharing one client make 400 `whoami` calls in all, against a limit
//! of 100 requests per aligned 2-second window, over a link with a fixed latency.
//!
//! The job starts at the beginning of a window, so that runs compare: the rate it achieves is
//! the calls answered over the wall-clock time from that start to the last answer.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use creatoraudit::Client;

use super::server::{LimitServer, Limits, unix_now};
use crate::{BoxResult, KEY};

pub const THREADS: usize = 8;
pub const CALLS: usize = 400;
pub const LIMIT: u64 = 100;
pub const WINDOW_SECS: u64 = 2;

pub struct SharedResult {
    pub pacing: bool,
    pub wall: f64,
    /// Calls that returned `Ok`.
    pub ok: usize,
    /// Calls that returned an error (after the SDK's retries), and the first such error.
    pub failed: usize,
    pub first_error: Option<String>,
    /// Requests the server received, retries included.
    pub requests: u64,
    /// 429 responses the server sent.
    pub limited: u64,
    /// Answers (not 429s) per window, in order.
    pub per_window: Vec<u64>,
}

impl SharedResult {
    /// Answered calls per second.
    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.wall
    }

    /// [`rate`](Self::rate) as a fraction of the limit's rate.
    pub fn of_limit(&self) -> f64 {
        self.rate() / limit_rate()
    }
}

/// The limit as a rate: requests per second.
pub fn limit_rate() -> f64 {
    LIMIT as f64 / WINDOW_SECS as f64
}

/// The best this job can do from the start of a window: the limit's first windows spent at
/// once, then the last one's calls at the link's speed. Above the limit's rate because the job
/// ends before its last window does.
pub fn ideal_of_limit(latency: Duration) -> f64 {
    let windows = CALLS.div_ceil(LIMIT as usize) as f64;
    let last_burst = LIMIT as f64 * latency.as_secs_f64() / THREADS as f64;
    let ideal = (windows - 1.0) * WINDOW_SECS as f64 + last_burst;
    CALLS as f64 / ideal / limit_rate()
}

pub fn run(latency: Duration, pacing: bool) -> BoxResult<SharedResult> {
    let server = LimitServer::start(Limits {
        latency,
        limit: LIMIT,
        window_secs: WINDOW_SECS,
    })?;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(&server.base_url)
        .pacing(pacing)
        .build()?;

    // Start at the beginning of a window: with a partly spent first window, the figures would
    // depend on when the job happened to start.
    let now = unix_now();
    let start_at = (now / WINDOW_SECS as f64).ceil() * WINDOW_SECS as f64;
    std::thread::sleep(Duration::from_secs_f64(start_at - now + 0.001));
    let first_window = (start_at as u64) / WINDOW_SECS;

    let next = AtomicUsize::new(0);
    let ok = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    let first_error = Mutex::new(None);
    let t = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                while next.fetch_add(1, Ordering::SeqCst) < CALLS {
                    match client.whoami() {
                        Ok(_) => ok.fetch_add(1, Ordering::SeqCst),
                        Err(e) => {
                            first_error
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .get_or_insert_with(|| e.to_string());
                            failed.fetch_add(1, Ordering::SeqCst)
                        }
                    };
                }
            });
        }
    });
    let wall = t.elapsed().as_secs_f64();
    let seen = server.snapshot();
    if seen.rejected > 0 {
        return Err(format!("the server rejected {} requests", seen.rejected).into());
    }
    let ok = ok.into_inner();
    if seen.ok != ok as u64 {
        return Err(format!("the server answered {} calls, the client saw {ok}", seen.ok).into());
    }
    let last_window = seen
        .windows
        .keys()
        .next_back()
        .copied()
        .unwrap_or(first_window);
    let per_window = (first_window..=last_window)
        .map(|w| seen.windows.get(&w).map_or(0, |c| c.0))
        .collect();
    Ok(SharedResult {
        pacing,
        wall,
        ok,
        failed: failed.into_inner(),
        first_error: first_error.into_inner().unwrap_or_else(|e| e.into_inner()),
        requests: seen.requests,
        limited: seen.limited,
        per_window,
    })
}
