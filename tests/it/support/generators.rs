//! The generators and the oracle of the robustness tests (`robustness.rs`): random and
//! damaged JSON values, problem documents, resource envelopes, list pages and headers, a
//! model of what the paginator must do with a page, and the case runner that says how to
//! replay a failure.
//!
//! The fuzz targets in `fuzz/` go through `creatoraudit::__fuzz` without HTTP; these go
//! through the public calls and a real socket. The overlap is deliberate.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::time::Instant;

use serde_json::{Map, Value, json};

use super::rng::Rng;

/// The seed of every generated case, unless `ROBUSTNESS_SEED` says otherwise.
pub const SEED: u64 = 0xC0FF_EE00_CA11_0004;

pub fn env_u64(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let v = v.trim();
    match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => v.parse().ok(),
    }
}

/// How often each kind of outcome came up in a run, to show the generators reach them all.
#[derive(Default)]
pub struct Tally(std::collections::BTreeMap<&'static str, usize>);

impl Tally {
    pub fn add(&mut self, outcome: &'static str) {
        *self.0.entry(outcome).or_default() += 1;
    }

    /// Asserts every outcome named came up at least `min` times (in a full run only: a
    /// replayed single case proves nothing about the mix).
    pub fn assert_reached(&self, outcomes: &[&str], min: usize) {
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
pub fn run_cases(name: &str, count: usize, mut case: impl FnMut(&mut Rng)) {
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
                 ROBUSTNESS_SEED={seed:#x} ROBUSTNESS_CASE={i} \
                 cargo test --all-features --test it -- robustness::{name}\n"
            );
            resume_unwind(panic);
        }
    }
    eprintln!("{name}: {count} cases in {:?}", started.elapsed());
}

// ---------------------------------------------------------------------------------------------
// Generators

pub const KEYS: &[&str] = &[
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

pub fn random_string(rng: &mut Rng) -> String {
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

pub fn random_number(rng: &mut Rng) -> Value {
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

pub fn random_value(rng: &mut Rng, depth: usize) -> Value {
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
pub fn mutate_members(rng: &mut Rng, value: &mut Value, rounds: usize) {
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
pub fn mutate_bytes(rng: &mut Rng, bytes: &mut Vec<u8>) {
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
pub fn serialize(rng: &mut Rng, value: &Value, percent: u64) -> (Vec<u8>, bool) {
    let mut bytes = serde_json::to_vec(value).unwrap();
    if rng.chance(percent) {
        mutate_bytes(rng, &mut bytes);
        return (bytes, true);
    }
    (bytes, false)
}

pub fn problem_doc(rng: &mut Rng, status: u16) -> Value {
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
pub fn random_header_value(rng: &mut Rng, sensible: &[&str]) -> Vec<u8> {
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
pub fn random_headers(rng: &mut Rng) -> Vec<(String, Vec<u8>)> {
    let mut headers = Vec::new();
    let maybe = |rng: &mut Rng, headers: &mut Vec<_>, name: &str, sensible: &[&str]| {
        if rng.chance(40) {
            let value = random_header_value(rng, sensible);
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
pub fn envelope(rng: &mut Rng, inner: Value) -> (Value, bool) {
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

pub fn mutated_resource(rng: &mut Rng, mut value: Value, percent: u64) -> (Value, bool) {
    if rng.chance(percent) {
        let rounds = 1 + rng.below(6);
        mutate_members(rng, &mut value, rounds);
        return (value, true);
    }
    (value, false)
}

/// A cursor: usually an opaque token, sometimes odd characters, an empty or a long one.
pub fn random_cursor(rng: &mut Rng) -> String {
    match rng.below(12) {
        0 => String::new(),
        1 => "a b&c=d?e#f%g+h/ü😀".to_owned(),
        2 => "c".repeat(1 + rng.below(3000)),
        _ => format!("cur_{:x}", rng.next_u64() % 64),
    }
}

/// A well-formed JSON list page whose members may be missing or of the wrong type.
pub fn random_page(rng: &mut Rng, cursors: &[String]) -> Value {
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
pub enum Expect {
    /// A page with these items, then another request with this cursor.
    Next(Vec<Value>, String),
    /// A last page with these items.
    Last(Vec<Value>),
    /// A page with these items, then a pagination error.
    PageThenBroken(Vec<Value>),
    /// A decode error.
    Undecodable,
}

pub fn expect(page: &Value, seen: &HashSet<String>) -> Expect {
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
pub fn page_info(value: &Value) -> Option<(bool, Option<String>)> {
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
pub fn percent_decode(s: &str) -> String {
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
pub fn cursor_of(target: &str) -> Option<String> {
    let query = target.split_once('?')?.1;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("cursor="))
        .map(percent_decode)
}
