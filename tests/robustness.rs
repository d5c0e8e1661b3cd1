//! Decoder robustness: tens of thousands of generated and mutated response bodies and headers
//! (problem documents, single-resource envelopes, list pages) go through the SDK's public
//! calls, and none may panic, hang or loop. Every call must come back `Ok` or a typed `Err`.
//!
//! The responses are served in order by a raw keep-alive server on 127.0.0.1, so one case
//! costs one local round trip. Generation is deterministic: on a failure the test prints the
//! seed and the case number, and
//!
//! ```text
//! ROBUSTNESS_SEED=0x... ROBUSTNESS_CASE=1234 cargo test --test robustness <test name>
//! ```
//!
//! replays that one case. `ROBUSTNESS_CASES=200000` runs more cases per test.

mod common;

use std::collections::{HashSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use common::{KEY, account_json, video_json};
use creatoraudit::{
    Account, Client, Conditional, Error, ListAccounts, NewVideo, Page, Platform,
    TransportErrorKind, Video, Whoami,
};
use serde_json::{Map, Value, json};

/// The seed of every generated case, unless `ROBUSTNESS_SEED` says otherwise.
const SEED: u64 = 0xC0FF_EE00_CA11_0004;

// ---------------------------------------------------------------------------------------------
// A small deterministic PRNG (SplitMix64): no dependency, same sequence everywhere.

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn byte(&mut self) -> u8 {
        self.next_u64() as u8
    }
}

fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let v = v.trim();
    match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => v.parse().ok(),
    }
}

/// How often each kind of outcome came up in a run, to show the generators reach them all.
#[derive(Default)]
struct Tally(std::collections::BTreeMap<&'static str, usize>);

impl Tally {
    fn add(&mut self, outcome: &'static str) {
        *self.0.entry(outcome).or_default() += 1;
    }

    /// Asserts every outcome named came up at least `min` times (in a full run only: a
    /// replayed single case proves nothing about the mix).
    fn assert_reached(&self, outcomes: &[&str], min: usize) {
        eprintln!("outcomes: {:?}", self.0);
        if env_u64("ROBUSTNESS_CASE").is_some() || env_u64("ROBUSTNESS_CASES").is_some() {
            return;
        }
        for outcome in outcomes {
            let n = self.0.get(outcome).copied().unwrap_or(0);
            assert!(
                n >= min,
                "outcome {outcome:?} came up {n} times: {:?}",
                self.0
            );
        }
    }
}

/// Runs `count` cases of `case`, each with its own seeded generator; on a panic, says how to
/// replay the case before passing the panic on.
fn run_cases(name: &str, count: usize, mut case: impl FnMut(&mut Rng)) {
    let seed = env_u64("ROBUSTNESS_SEED").unwrap_or(SEED);
    let count = env_u64("ROBUSTNESS_CASES").map_or(count, |n| n as usize);
    let only = env_u64("ROBUSTNESS_CASE");
    let started = Instant::now();
    let cases = match only {
        Some(only) => only as usize..only as usize + 1,
        None => 0..count,
    };
    for i in cases {
        let mut rng = Rng::new(seed ^ (i as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| case(&mut rng))) {
            eprintln!(
                "\n{name}: case {i} failed; replay it with \
                 ROBUSTNESS_SEED={seed:#x} ROBUSTNESS_CASE={i} cargo test --test robustness {name}\n"
            );
            resume_unwind(panic);
        }
    }
    eprintln!("{name}: {count} cases in {:?}", started.elapsed());
}

// ---------------------------------------------------------------------------------------------
// A raw keep-alive server that answers each request with the next queued response.

#[derive(Debug, Clone)]
struct Canned {
    status: u16,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

impl Canned {
    fn new(status: u16, body: Vec<u8>) -> Self {
        Canned {
            status,
            headers: Vec::new(),
            body,
        }
    }

    fn json(status: u16, body: &Value) -> Self {
        Canned::new(status, body.to_string().into_bytes())
    }

    fn bytes(&self) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {} Reason\r\n", self.status).into_bytes();
        // Statuses that never have a body (RFC 9110): sending one would desynchronize the
        // connection.
        let bodiless = matches!(self.status, 204 | 304);
        if !bodiless {
            out.extend_from_slice(format!("Content-Length: {}\r\n", self.body.len()).as_bytes());
        }
        for (name, value) in &self.headers {
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(value);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        if !bodiless {
            out.extend_from_slice(&self.body);
        }
        out
    }
}

/// What the server answers when its queue is empty: a 404 that is never retried.
fn fallback() -> Canned {
    Canned::json(404, &json!({"title": "Not Found", "code": "NOT_FOUND"}))
}

#[derive(Default)]
struct Shared {
    queue: VecDeque<Canned>,
    /// The request target (`/v2/...?...`) of every request served.
    targets: Vec<String>,
}

struct KeepAliveServer {
    base_url: String,
    shared: Arc<Mutex<Shared>>,
    stop: Arc<AtomicBool>,
}

impl KeepAliveServer {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let base_url = format!("http://{}/v2", listener.local_addr().unwrap());
        let shared = Arc::new(Mutex::new(Shared::default()));
        let stop = Arc::new(AtomicBool::new(false));
        {
            let (shared, stop) = (Arc::clone(&shared), Arc::clone(&stop));
            thread::spawn(move || {
                // Bounded: ends when the test drops the server, or after ten minutes.
                let started = Instant::now();
                while !stop.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(600) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let shared = Arc::clone(&shared);
                            thread::spawn(move || serve(stream, &shared));
                        }
                        Err(_) => thread::sleep(Duration::from_millis(1)),
                    }
                }
            });
        }
        KeepAliveServer {
            base_url,
            shared,
            stop,
        }
    }

    /// Queues the responses of the next call, dropping whatever the last call left unused.
    fn set(&self, responses: impl IntoIterator<Item = Canned>) {
        let mut shared = self.shared.lock().unwrap();
        shared.queue = responses.into_iter().collect();
        shared.targets.clear();
    }

    /// The targets requested since the last [`set`](Self::set).
    fn targets(&self) -> Vec<String> {
        self.shared.lock().unwrap().targets.clone()
    }

    /// A client with `retries` retries that never sleeps.
    fn client(&self, retries: u32) -> Client {
        Client::builder()
            .api_key(KEY)
            .base_url(&self.base_url)
            .timeout(Duration::from_secs(10))
            .max_retries(retries)
            .retry_sleeper(|_| {})
            .build()
            .expect("client")
    }
}

impl Drop for KeepAliveServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Serves requests on one connection until the client closes it (or stays silent for a
/// minute).
fn serve(stream: TcpStream, shared: &Mutex<Shared>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
    let mut writer = match stream.try_clone() {
        Ok(w) => w,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        match reader.read_line(&mut request_line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let response = {
            let mut shared = shared.lock().unwrap();
            let target = request_line.split(' ').nth(1).unwrap_or("").to_owned();
            shared.targets.push(target);
            shared.queue.pop_front().unwrap_or_else(fallback)
        };
        if writer.write_all(&response.bytes()).is_err() {
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Generators

const KEYS: &[&str] = &[
    "type",
    "title",
    "status",
    "detail",
    "code",
    "instance",
    "request_id",
    "errors",
    "field",
    "message",
    "data",
    "pagination",
    "next_cursor",
    "has_next",
    "limit",
    "total_count",
    "filters",
    "id",
    "username",
    "organization_id",
    "api_key_name",
    "metadata",
    "platform",
    "",
    "__proto__",
    "ключ",
];

fn random_string(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => String::new(),
        1 if rng.chance(10) => "x".repeat(rng.below(100_000)),
        1 => "x".repeat(rng.below(2_000)),
        2 => "é😀\u{202E}\u{0}\u{FEFF}".repeat(rng.below(50)),
        3 => "\\\"\n\r\t/<>&%=?#".repeat(rng.below(20)),
        4 => rng.pick(KEYS).to_string(),
        5 => rng
            .pick(&[
                "VALIDATION_ERROR",
                "RATE_LIMITED",
                "NOT_FOUND",
                "SOMETHING_NEW",
                "validation_error",
            ])
            .to_string(),
        _ => (0..rng.below(24))
            .map(|_| char::from(b' ' + (rng.byte() % 95)))
            .collect(),
    }
}

fn random_number(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0 => json!(0),
        1 => json!(-1),
        2 => json!(u64::MAX),
        3 => json!(i64::MIN),
        4 => json!(1.5),
        5 => json!(1e308),
        6 => json!(u32::MAX as u64 + 1),
        _ => json!(rng.next_u64() % 1000),
    }
}

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    let kinds = if depth == 0 { 5 } else { 7 };
    match rng.below(kinds) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(50)),
        2 => random_number(rng),
        3 | 4 => Value::String(random_string(rng)),
        5 => Value::Array(
            (0..rng.below(5))
                .map(|_| random_value(rng, depth - 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.below(5))
                .map(|_| (random_string(rng), random_value(rng, depth - 1)))
                .collect(),
        ),
    }
}

/// Removes, retypes and adds members of an object, `rounds` times.
fn mutate_members(rng: &mut Rng, value: &mut Value, rounds: usize) {
    let Value::Object(members) = value else {
        return;
    };
    for _ in 0..rounds {
        let keys: Vec<String> = members.keys().cloned().collect();
        match rng.below(4) {
            0 if !keys.is_empty() => {
                members.remove(rng.pick(&keys));
            }
            1 if !keys.is_empty() => {
                let key = rng.pick(&keys).clone();
                members.insert(key, random_value(rng, 2));
            }
            2 => {
                members.insert(rng.pick(KEYS).to_string(), random_value(rng, 2));
            }
            _ => {
                members.insert(random_string(rng), random_value(rng, 3));
            }
        }
    }
}

/// Byte-level damage: truncation, flips, invalid UTF-8, deleted or repeated ranges, stray
/// structural characters, deep nesting.
fn mutate_bytes(rng: &mut Rng, bytes: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(3) {
        let len = bytes.len();
        let at = if len == 0 { 0 } else { rng.below(len + 1) };
        match rng.below(9) {
            0 => bytes.truncate(at),
            1 if len > 0 => {
                let i = rng.below(len);
                bytes[i] ^= 1 << rng.below(8);
            }
            2 => {
                let junk = *rng.pick(&[
                    &b"\xff"[..],
                    b"\xc3",
                    b"\xed\xa0\x80",
                    b"\xf4\x90\x80\x80",
                    b"\x00",
                ]);
                bytes.splice(at..at, junk.iter().copied());
            }
            3 => {
                let end = (at + rng.below(64)).min(len);
                bytes.drain(at..end);
            }
            4 => {
                let end = (at + rng.below(64)).min(len);
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
            5 => {
                let c = *rng.pick(b"{}[]\":,\\ ntf0-.eE");
                bytes.insert(at, c);
            }
            6 => {
                let depth = *rng.pick(&[100, 127, 128, 129, 5_000]);
                let open = *rng.pick(&[&b"["[..], b"{\"a\":"]);
                let mut nested = open.repeat(depth);
                nested.extend_from_slice(bytes);
                *bytes = nested;
            }
            7 => {
                let n = rng.below(16);
                let random: Vec<u8> = (0..n).map(|_| rng.byte()).collect();
                bytes.splice(at..at, random);
            }
            _ => bytes.clear(),
        }
    }
}

/// Serializes `value`, and damages the bytes `percent` % of the time. Returns the bytes and
/// whether they were damaged.
fn serialize(rng: &mut Rng, value: &Value, percent: u64) -> (Vec<u8>, bool) {
    let mut bytes = serde_json::to_vec(value).unwrap();
    if rng.chance(percent) {
        mutate_bytes(rng, &mut bytes);
        return (bytes, true);
    }
    (bytes, false)
}

fn problem_doc(rng: &mut Rng, status: u16) -> Value {
    let mut doc = json!({
        "type": "urn:creatoraudit:error:validation-error",
        "title": "Unprocessable Entity",
        "status": status,
        "detail": "Request failed validation.",
        "code": "VALIDATION_ERROR",
        "instance": "/v2/accounts",
        "request_id": "req_body",
        "errors": [{"field": "platform", "message": "must be one of: instagram, tiktok"}],
    });
    if rng.chance(50) {
        let errors: Vec<Value> = (0..rng.below(6))
            .map(|_| match rng.below(3) {
                0 => random_value(rng, 2),
                _ => {
                    let mut e = json!({"field": random_string(rng), "message": random_string(rng)});
                    let rounds = rng.below(3);
                    mutate_members(rng, &mut e, rounds);
                    e
                }
            })
            .collect();
        doc["errors"] = Value::Array(errors);
    }
    let rounds = rng.below(8);
    mutate_members(rng, &mut doc, rounds);
    if rng.chance(5) {
        doc = random_value(rng, 4);
    }
    doc
}

/// A header value: usually sensible, sometimes nonsense, sometimes not even UTF-8.
fn header_value(rng: &mut Rng, sensible: &[&str]) -> Vec<u8> {
    match rng.below(10) {
        0 => (0..rng.below(40))
            .map(|_| 0x20 + rng.byte() % 0x5F)
            .collect(),
        1 => b"\xe9t\xe9 \xff".to_vec(),
        2 => Vec::new(),
        _ => rng.pick(sensible).as_bytes().to_vec(),
    }
}

/// Retry-After, rate-limit, request-id, ETag and content-type headers, each maybe.
fn random_headers(rng: &mut Rng) -> Vec<(String, Vec<u8>)> {
    let mut headers = Vec::new();
    let maybe = |rng: &mut Rng, headers: &mut Vec<_>, name: &str, sensible: &[&str]| {
        if rng.chance(40) {
            let value = header_value(rng, sensible);
            headers.push((name.to_owned(), value));
        }
    };
    maybe(
        rng,
        &mut headers,
        "Retry-After",
        &[
            "0",
            "1",
            "120",
            "1.5",
            "-1",
            "NaN",
            "inf",
            "1e400",
            "1e19",
            "18446744073709551615",
            "99999999999999999999999",
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Mon, 29 Feb 2021 99:99:99 GMT",
            "Thu, 01 Jan 1970 00:00:00 GMT",
            "tomorrow",
        ],
    );
    let numbers = [
        "0",
        "1",
        "60",
        "-1",
        "1.5",
        "1700000000",
        "4102444800",
        "18446744073709551616",
        "x",
    ];
    if rng.chance(50) {
        // A whole rate-limit snapshot, often used up, so that a 429 without Retry-After
        // computes its wait from the reset.
        // Including resets past the range of `SystemTime`, which once made the SDK panic.
        let resets = [
            "0",
            "1700000000",
            "4102444800",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551615",
        ];
        let limit = *rng.pick(&numbers[..]);
        let remaining = *rng.pick(&["0", "0", "0", "1", "x"]);
        let reset = *rng.pick(&resets);
        for (name, value) in [
            ("X-RateLimit-Limit", limit),
            ("X-RateLimit-Remaining", remaining),
            ("X-RateLimit-Reset", reset),
        ] {
            headers.push((name.to_owned(), value.as_bytes().to_vec()));
        }
    } else {
        maybe(rng, &mut headers, "X-RateLimit-Limit", &numbers);
        maybe(rng, &mut headers, "X-RateLimit-Remaining", &numbers);
        maybe(rng, &mut headers, "X-RateLimit-Reset", &numbers);
    }
    maybe(
        rng,
        &mut headers,
        "X-Request-ID",
        &["req_1", "", "req with spaces"],
    );
    maybe(
        rng,
        &mut headers,
        "ETag",
        &["\"abc\"", "W/\"weak\"", "unquoted"],
    );
    maybe(
        rng,
        &mut headers,
        "Content-Type",
        &["application/problem+json", "text/html", "application/json"],
    );
    headers
}

/// `{"data": inner}`, or sometimes a broken envelope. Returns whether it is a real one.
fn envelope(rng: &mut Rng, inner: Value) -> (Value, bool) {
    match rng.below(20) {
        0 => (inner, false),
        1 => (json!({"data": null}), false),
        2 => (json!({"data": [inner]}), false),
        3 => (json!({"Data": inner}), false),
        4 => (
            json!({"data": inner, "data_extra": random_value(rng, 2)}),
            true,
        ),
        _ => (json!({ "data": inner }), true),
    }
}

fn mutated_resource(rng: &mut Rng, mut value: Value, percent: u64) -> (Value, bool) {
    if rng.chance(percent) {
        let rounds = 1 + rng.below(6);
        mutate_members(rng, &mut value, rounds);
        return (value, true);
    }
    (value, false)
}

/// A cursor: usually an opaque token, sometimes odd characters, an empty or a long one.
fn random_cursor(rng: &mut Rng) -> String {
    match rng.below(12) {
        0 => String::new(),
        1 => "a b&c=d?e#f%g+h/ü😀".to_owned(),
        2 => "c".repeat(1 + rng.below(3000)),
        _ => format!("cur_{:x}", rng.next_u64() % 64),
    }
}

/// A well-formed JSON list page whose members may be missing or of the wrong type.
fn random_page(rng: &mut Rng, cursors: &[String]) -> Value {
    let items: Vec<Value> = (0..rng.below(4)).map(|_| random_value(rng, 2)).collect();
    let mut pagination = Map::new();
    // Each member is usually well typed, so that walks get past their first page; now and
    // then it is missing, null or of the wrong type.
    if !rng.chance(3) {
        let has_next = match rng.below(50) {
            0 => json!("true"),
            1 => json!(1),
            2 => Value::Null,
            n => json!(n % 5 != 0),
        };
        pagination.insert("has_next".into(), has_next);
    }
    if !rng.chance(8) {
        let cursor = match rng.below(40) {
            0 => Value::Null,
            1 => json!(12),
            // A cursor this walk was already given.
            2..=9 if !cursors.is_empty() => json!(rng.pick(cursors)),
            _ => json!(random_cursor(rng)),
        };
        pagination.insert("next_cursor".into(), cursor);
    }
    if rng.chance(70) {
        let limit = match rng.below(40) {
            0 => json!(-1),
            1 => json!(u64::MAX),
            2 => Value::Null,
            3 => json!("50"),
            _ => json!(50),
        };
        pagination.insert("limit".into(), limit);
    }
    if rng.chance(30) {
        let total = match rng.below(20) {
            0 => json!(-3),
            1 => json!("7"),
            2 => Value::Null,
            _ => json!(rng.below(1000)),
        };
        pagination.insert("total_count".into(), total);
    }
    let mut page = json!({"data": items, "pagination": pagination});
    match rng.below(40) {
        0 => page["filters"] = Value::Null,
        1 => page["filters"] = json!([1, 2]),
        2..=5 => page["filters"] = json!({"platform": "tiktok"}),
        6 => page["data"] = json!({"not": "an array"}),
        7 => page["pagination"] = random_value(rng, 2),
        _ => {}
    }
    page
}

// ---------------------------------------------------------------------------------------------
// What the paginator must do with a page: a model of the documented contract.

/// What `pages()` must yield for a page body, given the cursors seen so far.
enum Expect {
    /// A page with these items, then another request with this cursor.
    Next(Vec<Value>, String),
    /// A last page with these items.
    Last(Vec<Value>),
    /// A page with these items, then a pagination error.
    PageThenBroken(Vec<Value>),
    /// A decode error.
    Undecodable,
}

fn expect(page: &Value, seen: &HashSet<String>) -> Expect {
    let Some(members) = page.as_object() else {
        return Expect::Undecodable;
    };
    let Some(Value::Array(items)) = members.get("data") else {
        return Expect::Undecodable;
    };
    match members.get("filters") {
        None | Some(Value::Null | Value::Object(_)) => {}
        Some(_) => return Expect::Undecodable,
    }
    let Some((has_next, cursor)) = members.get("pagination").and_then(page_info) else {
        return Expect::Undecodable;
    };
    let items = items.clone();
    if !has_next {
        return Expect::Last(items);
    }
    match cursor {
        Some(c) if !c.is_empty() && !seen.contains(&c) => Expect::Next(items, c),
        _ => Expect::PageThenBroken(items),
    }
}

/// `has_next` and `next_cursor` of a `pagination` member, or `None` when it does not decode.
///
/// Like every serde-derived struct, it decodes from an object or from an array of its fields
/// in order (`[next_cursor, has_next, limit?, total_count?]`).
fn page_info(value: &Value) -> Option<(bool, Option<String>)> {
    let member = |name: &str, index: usize| match value {
        Value::Object(p) => p.get(name),
        Value::Array(a) => a.get(index),
        _ => None,
    };
    match value {
        Value::Object(_) => {}
        Value::Array(a) if (2..=4).contains(&a.len()) => {}
        _ => return None,
    }
    let Some(Value::Bool(has_next)) = member("has_next", 1) else {
        return None;
    };
    let cursor = match member("next_cursor", 0) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return None,
    };
    match member("limit", 2) {
        None => {}
        Some(v) if v.as_u64().is_some_and(|n| n <= u64::from(u32::MAX)) => {}
        Some(_) => return None,
    }
    match member("total_count", 3) {
        None | Some(Value::Null) => {}
        Some(v) if v.as_u64().is_some() => {}
        Some(_) => return None,
    }
    Some((*has_next, cursor))
}

/// Undoes percent-encoding.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(byte) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).expect("cursor decodes to UTF-8")
}

/// The `cursor` query parameter of a request target, decoded.
fn cursor_of(target: &str) -> Option<String> {
    let query = target.split_once('?')?.1;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("cursor="))
        .map(percent_decode)
}

// ---------------------------------------------------------------------------------------------
// The tests

#[test]
fn problem_documents_never_panic() {
    let server = KeepAliveServer::start();
    let once = server.client(0);
    let retrying = server.client(2);
    let statuses: Vec<u16> = [
        400, 401, 403, 404, 405, 406, 408, 409, 410, 413, 415, 418, 422, 429, 451, 499, 500, 501,
        502, 503, 504, 599,
    ]
    .to_vec();
    let mut tally = Tally::default();
    run_cases("problem_documents_never_panic", 8_000, |rng| {
        let status = *rng.pick(&statuses);
        let doc = problem_doc(rng, status);
        let (body, damaged) = serialize(rng, &doc, 40);
        let mut canned = Canned::new(status, body.clone());
        canned.headers = random_headers(rng);

        if rng.chance(80) {
            server.set([canned]);
            let err = once.whoami().expect_err("an error status is an error");
            let Error::Api(problem) = &err else {
                panic!("status {status} gave {err:?}");
            };
            assert_eq!(problem.status, status);
            assert_eq!(problem.attempts, 1);
            tally.add(
                if problem.type_uri == "about:blank" && problem.extensions.is_empty() {
                    "status-derived problem"
                } else {
                    "problem from the body"
                },
            );
            if problem.retry_after.is_some() {
                tally.add("retry_after read");
            }
            if !damaged {
                // Each member is the body's when it is a string, the status's fallback if not.
                match doc.get("title") {
                    Some(Value::String(title)) => assert_eq!(&problem.title, title),
                    _ => assert!(!problem.title.is_empty()),
                }
                match doc.get("type") {
                    Some(Value::String(t)) => assert_eq!(&problem.type_uri, t),
                    _ => assert_eq!(problem.type_uri, "about:blank"),
                }
                match doc.get("code") {
                    Some(Value::String(code)) => assert_eq!(problem.code.as_str(), code),
                    _ => assert_eq!(problem.code, creatoraudit::ErrorCode::from_status(status)),
                }
            }
            let shown = err.to_string();
            assert!(shown.starts_with(&format!("[{status} ")), "{shown}");
            let _ = (
                err.is_retryable(),
                err.retry_after(),
                err.code(),
                err.request_id(),
            );
            if damaged || !doc.is_object() {
                // Not a problem document: the detail is a bounded one-line snippet.
                if !matches!(serde_json::from_slice::<Value>(&body), Ok(Value::Object(_))) {
                    assert!(problem.detail.chars().count() <= 257, "{}", problem.detail);
                    assert!(!problem.detail.contains('\n'));
                }
            } else if let Some(Value::String(detail)) = doc.get("detail") {
                assert_eq!(&problem.detail, detail);
            }
        } else {
            // Through the retry loop: up to three error responses, each maybe retried.
            let more: Vec<Canned> = (0..2)
                .map(|_| {
                    let status = *rng.pick(&statuses);
                    let mut c = Canned::json(status, &problem_doc(rng, status));
                    c.headers = random_headers(rng);
                    c
                })
                .collect();
            let served: Vec<u16> = std::iter::once(status)
                .chain(more.iter().map(|c| c.status))
                .collect();
            server.set(std::iter::once(canned).chain(more));
            let err = retrying
                .whoami()
                .expect_err("only error statuses were served");
            let attempts = err.attempts().expect("attempts") as usize;
            assert!((1..=3).contains(&attempts), "{attempts}");
            assert_eq!(server.targets().len(), attempts);
            assert_eq!(err.status(), Some(served[attempts - 1]), "{err:?}");
            tally.add(if attempts > 1 {
                "retried"
            } else {
                "not retried"
            });
        }
    });
    tally.assert_reached(
        &[
            "status-derived problem",
            "problem from the body",
            "retry_after read",
            "retried",
            "not retried",
        ],
        50,
    );
}

#[test]
fn resource_envelopes_never_panic() {
    let server = KeepAliveServer::start();
    let client = server.client(0);
    let mut tally = Tally::default();
    run_cases("resource_envelopes_never_panic", 8_000, |rng| {
        let which = rng.below(5);
        let (inner, changed) = match which {
            0 | 1 => mutated_resource(rng, account_json("acc_1", "khaby.lame"), 60),
            2 => mutated_resource(rng, video_json("vid_1"), 60),
            _ => mutated_resource(
                rng,
                json!({"organization_id": "org_1", "api_key_name": "ci"}),
                60,
            ),
        };
        let (doc, real_envelope) = envelope(rng, inner);
        let (body, damaged) = serialize(rng, &doc, 30);
        let status = *rng.pick(&[200, 200, 200, 201, 202, 203, 204, 206]);
        let mut canned = Canned::new(status, body);
        canned.headers = random_headers(rng);
        // Nothing was broken: the call must succeed.
        let pristine = real_envelope && !changed && !damaged && status != 204;
        server.set([canned]);

        fn check<T>(result: &Result<T, Error>, pristine: bool, status: u16) -> &'static str {
            match result {
                Ok(_) => "decoded",
                Err(Error::Decode(d)) => {
                    assert!(!pristine, "a valid body failed to decode: {d:?}");
                    assert_eq!(d.status(), status);
                    assert!(d.snippet().chars().count() <= 257);
                    "decode error"
                }
                Err(other) => panic!("status {status} gave {other:?}"),
            }
        }
        match which {
            0 => {
                let r: Result<Account, Error> = client.accounts().get("acc_1");
                tally.add(check(&r, pristine, status));
                if pristine {
                    assert_eq!(r.unwrap().id, "acc_1");
                }
            }
            1 => {
                // A conditional read: a 304 instead of the body, sometimes.
                if rng.chance(30) {
                    server.set([Canned::new(304, Vec::new())]);
                    let r = client.accounts().get_if_none_match("acc_1", "\"e\"");
                    assert!(matches!(r, Ok(Conditional::NotModified { .. })), "{r:?}");
                    tally.add("not modified");
                } else {
                    let r = client.accounts().get_if_none_match("acc_1", "\"e\"");
                    tally.add(check(&r, pristine, status));
                    if let Ok(c) = r {
                        assert!(!c.is_not_modified());
                    }
                }
            }
            2 => {
                let r: Result<Video, Error> = client
                    .videos()
                    .create(&NewVideo::new(Platform::Instagram, "C8xYzAbCdEf"));
                tally.add(check(&r, pristine, status));
                if pristine {
                    assert_eq!(r.unwrap().id, "vid_1");
                }
            }
            3 => {
                let r: Result<Whoami, Error> = client.whoami();
                tally.add(check(&r, pristine, status));
                if pristine {
                    assert_eq!(r.unwrap().organization_id, "org_1");
                }
            }
            _ => {
                let r: Result<Value, Error> = client.request("GET", "/anything", &[], None);
                tally.add(check(&r, false, status));
                if !damaged && status != 204 {
                    assert_eq!(r.unwrap(), doc);
                }
            }
        }
        if pristine {
            tally.add("valid body");
        }
    });
    tally.assert_reached(
        &["decoded", "decode error", "not modified", "valid body"],
        200,
    );
}

#[test]
fn list_pages_follow_the_contract_and_never_loop() {
    let server = KeepAliveServer::start();
    let client = server.client(0);
    let mut bodies = 0usize;
    let mut tally = Tally::default();
    run_cases(
        "list_pages_follow_the_contract_and_never_loop",
        1_500,
        |rng| {
            // Well-formed JSON with random members: the outcome is predicted exactly.
            let count = 1 + rng.below(6);
            let mut cursors = Vec::new();
            let pages: Vec<Value> = (0..count)
                .map(|_| {
                    let page = random_page(rng, &cursors);
                    if let Some(Value::String(c)) = page.pointer("/pagination/next_cursor") {
                        cursors.push(c.clone());
                    }
                    page
                })
                .collect();
            bodies += pages.len();
            server.set(pages.iter().map(|p| Canned::json(200, p)));

            let mut walk = client.paginate::<Value>("/things", &[]).pages();
            let mut seen = HashSet::new();
            let mut previous_cursor: Option<String> = None;
            let mut served = 0;
            loop {
                let result = walk.next();
                let Some(page_body) = pages.get(served) else {
                    // The server's queue is empty: it answers 404.
                    assert!(
                        matches!(&result, Some(Err(e)) if e.status() == Some(404)),
                        "{result:?}"
                    );
                    tally.add("ran out of pages");
                    break;
                };
                served += 1;
                let targets = server.targets();
                assert_eq!(targets.len(), served, "one request per page");
                assert_eq!(
                    cursor_of(&targets[served - 1]),
                    previous_cursor,
                    "cursor sent verbatim"
                );
                let page: Page<Value> = match (expect(page_body, &seen), result) {
                    (Expect::Undecodable, Some(Err(Error::Decode(_)))) => {
                        tally.add("decode error");
                        break;
                    }
                    (Expect::Undecodable, other) => {
                        panic!("expected a decode error for {page_body}: {other:?}")
                    }
                    (_, Some(Ok(page))) => page,
                    (_, other) => panic!("expected a page for {page_body}, got {other:?}"),
                };
                match expect(page_body, &seen) {
                    Expect::Last(items) => {
                        assert_eq!(page.items, items);
                        assert!(!page.has_next);
                        assert!(walk.next().is_none(), "a last page ends the walk");
                        tally.add("last page");
                        break;
                    }
                    Expect::PageThenBroken(items) => {
                        assert_eq!(page.items, items);
                        let next = walk.next();
                        assert!(matches!(next, Some(Err(Error::Pagination(_)))), "{next:?}");
                        tally.add(match page.next_cursor.as_deref() {
                            None | Some("") => "has_next without a cursor",
                            Some(_) => "repeated cursor",
                        });
                        break;
                    }
                    Expect::Next(items, cursor) => {
                        assert_eq!(page.items, items);
                        assert_eq!(page.next_cursor.as_deref(), Some(cursor.as_str()));
                        seen.insert(cursor.clone());
                        previous_cursor = Some(cursor);
                        tally.add("next page");
                    }
                    Expect::Undecodable => unreachable!(),
                }
            }
            // After the end, or after an error, the walk is over and asks for nothing more.
            let requests = server.targets().len();
            assert!(walk.next().is_none());
            assert!(walk.next().is_none());
            assert_eq!(server.targets().len(), requests);
            assert!(
                requests <= pages.len() + 1,
                "{requests} requests for {count} pages"
            );
        },
    );
    eprintln!("list pages: {bodies} page bodies");
    tally.assert_reached(
        &[
            "next page",
            "last page",
            "has_next without a cursor",
            "repeated cursor",
            "decode error",
            "ran out of pages",
        ],
        30,
    );
}

#[test]
fn damaged_list_pages_never_panic_or_loop() {
    let server = KeepAliveServer::start();
    let client = server.client(0);
    let mut tally = Tally::default();
    run_cases("damaged_list_pages_never_panic_or_loop", 1_500, |rng| {
        let count = 1 + rng.below(5);
        let mut cursors = Vec::new();
        let pages: Vec<Canned> = (0..count)
            .map(|_| {
                let items: Vec<Value> = (0..rng.below(4))
                    .map(|i| {
                        let account = account_json(&format!("acc_{i}"), "u");
                        mutated_resource(rng, account, 20).0
                    })
                    .collect();
                let mut page = random_page(rng, &cursors);
                if page["data"].is_array() {
                    page["data"] = Value::Array(items);
                }
                if rng.chance(3) {
                    // Longer than a URI may be: the next request cannot even be built.
                    page["pagination"] =
                        json!({"has_next": true, "next_cursor": "c".repeat(70_000)});
                }
                if let Some(Value::String(c)) = page.pointer("/pagination/next_cursor") {
                    cursors.push(c.clone());
                }
                let (body, _) = serialize(rng, &page, 40);
                let status = if rng.chance(5) { 503 } else { 200 };
                let mut canned = Canned::new(status, body);
                canned.headers = random_headers(rng);
                canned
            })
            .collect();
        server.set(pages);

        // Item by item, bounded, through the typed listing.
        let mut accounts = client.accounts().list(ListAccounts::new().limit(50));
        let mut errors = 0;
        for item in accounts.by_ref().take(50) {
            match item {
                Ok(_) => tally.add("item"),
                Err(e) => {
                    errors += 1;
                    tally.add(match e {
                        Error::Decode(_) => "decode error",
                        Error::Pagination(_) => "pagination error",
                        Error::Api(_) => "api error",
                        // Only the 70 000-character cursor: no request can carry it.
                        Error::Transport(t) if t.kind() == TransportErrorKind::Other => {
                            "unsendable cursor"
                        }
                        other => panic!("unexpected error from a walk: {other:?}"),
                    });
                }
            }
        }
        assert!(errors <= 1, "{errors} errors from one walk");
        if errors == 1 {
            assert!(accounts.next().is_none(), "an error ends the walk");
        }
        let requests = server.targets().len();
        assert!(
            requests <= count + 1,
            "{requests} requests for {count} pages"
        );
        for target in server.targets() {
            assert!(target.starts_with("/v2/accounts?"), "{target}");
            assert!(target.contains("limit=50"), "{target}");
        }
    });
    tally.assert_reached(
        &[
            "item",
            "decode error",
            "pagination error",
            "api error",
            "unsendable cursor",
        ],
        30,
    );
}

#[test]
fn a_rate_limit_reset_past_the_end_of_time_does_not_panic() {
    let server = KeepAliveServer::start();
    let client = server.client(0);
    let mut canned = Canned::json(429, &json!({"title": "Too Many Requests"}));
    for (name, value) in [
        ("X-RateLimit-Limit", "100"),
        ("X-RateLimit-Remaining", "0"),
        ("X-RateLimit-Reset", "18446744073709551615"),
    ] {
        canned
            .headers
            .push((name.into(), value.as_bytes().to_vec()));
    }
    server.set([canned]);
    let err = client.whoami().expect_err("a 429");
    assert!(err.is_rate_limited());
    let rate_limit = client.rate_limit().expect("the snapshot is kept");
    assert_eq!(rate_limit.reset, u64::MAX);
    let _ = (rate_limit.reset_at(), rate_limit.resets_in());
}
