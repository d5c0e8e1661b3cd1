//! A local API server with the real API's limits: every answer is held for a fixed latency,
//! and requests are counted against a rate limit per aligned window, with the documented
//! headers and 429s.
//!
//! - **Latency:** half of it before the server decides, half after, like the two legs of a
//!   network round trip; the round trip the client sees is the full latency.
//! - **Windows** are aligned like a real API's: window `k` covers the Unix times
//!   `[k·w, (k+1)·w)` for a window of `w` whole seconds, and `X-RateLimit-Reset` is its end
//!   in Unix seconds. The first `limit` rate-limited requests of a window are answered, the
//!   rest get `429 RATE_LIMITED` with `X-RateLimit-Remaining: 0` and `Retry-After` in whole
//!   seconds, rounded up (at least 1), so a client that sleeps for it lands in the next window.
//! - **Routes:** `GET /v2/whoami` and `POST /v2/videos/metrics` (at most 200 ids, each found,
//!   with made-up numbers) are rate limited; `GET /v2/health` is not. Any other key gets 401.
//! - **Counters:** answers, 429s and other refusals, the most requests in flight at once, and
//!   the answers and 429s of each window, read with [`LimitServer::snapshot`].

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use crate::fixtures::splitmix;
use crate::util::{next_request, write_two};
use crate::{BoxResult, KEY};

/// The most ids `POST /videos/metrics` takes in one request.
const MAX_IDS: usize = 200;

/// The server's limits.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Added to every request's round trip.
    pub latency: Duration,
    /// Rate-limited requests answered per window.
    pub limit: u64,
    /// The window, in whole seconds.
    pub window_secs: u64,
}

/// What the server has sent so far.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// Requests received (answered or refused).
    pub requests: u64,
    /// `2xx` answers.
    pub ok: u64,
    /// `429` answers.
    pub limited: u64,
    /// Other refusals (wrong key, path or body): a bug of the benchmark if not 0.
    pub rejected: u64,
    /// The most requests the server was handling at the same time.
    pub max_in_flight: u64,
    /// Window index (Unix time / window) → (answers, 429s) in that window.
    pub windows: BTreeMap<u64, (u64, u64)>,
}

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    ok: AtomicU64,
    limited: AtomicU64,
    rejected: AtomicU64,
    in_flight: AtomicU64,
    max_in_flight: AtomicU64,
}

/// The budget of the current window.
#[derive(Default)]
struct Budget {
    window: u64,
    used: u64,
    /// Per window: (answers, 429s).
    history: BTreeMap<u64, (u64, u64)>,
}

struct State {
    limits: Limits,
    counters: Counters,
    budget: Mutex<Budget>,
}

/// A running server; it stops with the process.
pub struct LimitServer {
    pub base_url: String,
    state: Arc<State>,
}

impl LimitServer {
    /// Starts the server on a free loopback port.
    pub fn start(limits: Limits) -> BoxResult<LimitServer> {
        assert!(limits.window_secs > 0, "a window of at least a second");
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr: SocketAddr = listener.local_addr()?;
        let state = Arc::new(State {
            limits,
            counters: Counters::default(),
            budget: Mutex::new(Budget::default()),
        });
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = Arc::clone(&shared);
                std::thread::spawn(move || {
                    let _ = connection(&state, stream);
                });
            }
        });
        Ok(LimitServer {
            base_url: format!("http://{addr}/v2"),
            state,
        })
    }

    pub fn snapshot(&self) -> Snapshot {
        let c = &self.state.counters;
        let windows = self
            .state
            .budget
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .history
            .clone();
        Snapshot {
            requests: c.requests.load(Ordering::SeqCst),
            ok: c.ok.load(Ordering::SeqCst),
            limited: c.limited.load(Ordering::SeqCst),
            rejected: c.rejected.load(Ordering::SeqCst),
            max_in_flight: c.max_in_flight.load(Ordering::SeqCst),
            windows,
        }
    }

    /// Forgets the counts (not the current window's budget).
    pub fn reset_counters(&self) {
        let c = &self.state.counters;
        for n in [
            &c.requests,
            &c.ok,
            &c.limited,
            &c.rejected,
            &c.max_in_flight,
        ] {
            n.store(0, Ordering::SeqCst);
        }
        self.state
            .budget
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .history
            .clear();
    }
}

/// Unix time in seconds, with its fraction.
pub fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// What the rate limit decided for one request.
struct Verdict {
    allowed: bool,
    remaining: u64,
    /// The end of the window, Unix seconds.
    reset: u64,
    /// For a refusal: whole seconds until the reset, rounded up, at least 1.
    retry_after: u64,
}

impl State {
    fn decide(&self) -> Verdict {
        let Limits {
            limit, window_secs, ..
        } = self.limits;
        let now = unix_now();
        let window = (now / window_secs as f64) as u64;
        let reset = (window + 1) * window_secs;
        let mut budget = self.budget.lock().unwrap_or_else(|e| e.into_inner());
        if budget.window != window {
            budget.window = window;
            budget.used = 0;
        }
        let allowed = budget.used < limit;
        if allowed {
            budget.used += 1;
        }
        let remaining = limit - budget.used;
        let counts = budget.history.entry(window).or_default();
        if allowed {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
        drop(budget);
        Verdict {
            allowed,
            remaining,
            reset,
            retry_after: ((reset as f64 - now).ceil() as u64).max(1),
        }
    }

    /// The status line and body for one request, and the rate-limit verdict if it counted.
    fn respond(&self, head: &str, body: &[u8]) -> (&'static str, Vec<u8>, Option<Verdict>) {
        let (method, target, authorized) = crate::util::read_head(head, KEY);
        let path = target.split_once('?').map_or(target, |(p, _)| p);
        if !authorized {
            return refusal(401, "Unauthorized", "UNAUTHORIZED", "Invalid API key.");
        }
        if (method, path) == ("GET", "/v2/health") {
            return ("200 OK", br#"{"status":"ok"}"#.to_vec(), None);
        }
        let answer = match (method, path) {
            ("GET", "/v2/whoami") => json!({"data": {
                "type": "whoami",
                "organization_id": "org_2aXk9VbQ7mT4pLr8Zc1Hn5Wd",
                "api_key_name": "sync worker (production)",
            }}),
            ("POST", "/v2/videos/metrics") => match video_metrics(body) {
                Some(answer) => answer,
                None => {
                    return refusal(
                        422,
                        "Unprocessable Entity",
                        "VALIDATION_ERROR",
                        "video_ids: 1 to 200 ids are required.",
                    );
                }
            },
            _ => return refusal(404, "Not Found", "NOT_FOUND", "No such route."),
        };
        let verdict = self.decide();
        if !verdict.allowed {
            let (status, body, _) = refusal(
                429,
                "Too Many Requests",
                "RATE_LIMITED",
                "Rate limit exceeded: retry after the reset.",
            );
            return (status, body, Some(verdict));
        }
        let body = serde_json::to_vec(&answer).expect("JSON");
        ("200 OK", body, Some(verdict))
    }
}

/// The answer to `POST /videos/metrics`: every id found, with numbers derived from the id.
fn video_metrics(body: &[u8]) -> Option<Value> {
    let request: Value = serde_json::from_slice(body).ok()?;
    let ids = request.get("video_ids")?.as_array()?;
    if ids.is_empty() || ids.len() > MAX_IDS {
        return None;
    }
    let mut data = Map::new();
    for id in ids {
        let id = id.as_str()?;
        let views = splitmix(
            id.bytes()
                .fold(0, |h: u64, b| h.wrapping_mul(31).wrapping_add(u64::from(b))),
        ) % 5_000_000;
        let (likes, comments, shares) = (views / 12, views / 250, views / 600);
        data.insert(
            id.to_owned(),
            json!({
                "views": views, "plays": views, "likes": likes, "comments": comments,
                "shares": shares, "engagement": likes + comments + shares,
            }),
        );
    }
    Some(json!({
        "data": data,
        "meta": {
            "period": "30d", "start_date": "2026-10-31", "end_date": "2026-11-29", "days": 30,
            "not_found": [],
        },
    }))
}

fn refusal(
    status: u16,
    title: &str,
    code: &str,
    detail: &str,
) -> (&'static str, Vec<u8>, Option<Verdict>) {
    let line = match status {
        401 => "401 Unauthorized",
        404 => "404 Not Found",
        422 => "422 Unprocessable Entity",
        _ => "429 Too Many Requests",
    };
    let body = json!({
        "type": format!("urn:creatoraudit:error:{}", code.to_lowercase().replace('_', "-")),
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    });
    (line, serde_json::to_vec(&body).expect("JSON"), None)
}

/// Serves one keep-alive connection until the client closes it.
fn connection(state: &State, mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut chunk = [0u8; 16 * 1024];
    let half = state.limits.latency / 2;
    while let Some((head, body)) = next_request(&mut stream, &mut buf, &mut chunk)? {
        let c = &state.counters;
        let n = c.requests.fetch_add(1, Ordering::SeqCst);
        let in_flight = c.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        c.max_in_flight.fetch_max(in_flight, Ordering::SeqCst);
        std::thread::sleep(half);
        let (status, body, verdict) = state.respond(&head, &body);
        match (&verdict, status.as_bytes()[0]) {
            (Some(v), _) if !v.allowed => c.limited.fetch_add(1, Ordering::SeqCst),
            (_, b'2') => c.ok.fetch_add(1, Ordering::SeqCst),
            _ => c.rejected.fetch_add(1, Ordering::SeqCst),
        };
        let content_type = if status.starts_with('2') {
            "application/json"
        } else {
            "application/problem+json"
        };
        let mut out = format!(
            "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
             x-request-id: req_{:016x}{n:08x}\r\n",
            body.len(),
            splitmix(n)
        );
        if let Some(v) = &verdict {
            let _ = write!(
                out,
                "x-ratelimit-limit: {}\r\nx-ratelimit-remaining: {}\r\nx-ratelimit-reset: {}\r\n",
                state.limits.limit, v.remaining, v.reset
            );
            if !v.allowed {
                let _ = write!(out, "retry-after: {}\r\n", v.retry_after);
            }
        }
        out.push_str("\r\n");
        std::thread::sleep(state.limits.latency - half);
        c.in_flight.fetch_sub(1, Ordering::SeqCst);
        write_two(&mut stream, out.as_bytes(), &body)?;
    }
    Ok(())
}
