#!/usr/bin/env bash
# Measures the footprint figures the README quotes, once, by hand (not part of CI: it builds
# three projects from scratch, several minutes on 2 cores):
#
#   .ci/measure-footprint.sh        # prints the figures and a markdown table
#
# For the quickstart example of creatoraudit and for the same program written against
# reqwest's blocking client (reqwest 0.12, features blocking + json + rustls-tls, serde structs),
# it reports: the crates compiled besides the program itself (`cargo tree -e normal`), the
# clean release build time, and the size of the stripped binary. Everything is built under
# $FOOTPRINT_WORK (default /tmp/creatoraudit-footprint), never in the repository; sources are
# fetched before the clock starts. Needs crates.io (for reqwest). Build times depend on the
# machine and on what else runs on it: the load average is printed with each.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${FOOTPRINT_WORK:-/tmp/creatoraudit-footprint}"
target_triple="x86_64-unknown-linux-gnu"
mkdir -p "$work"

# --- the projects ------------------------------------------------------------------------------

# What a user builds: a program whose main is examples/quickstart.rs, depending on creatoraudit
# with its default features (the repository's own `--example` build also compiles the
# dev-dependencies, mockito and its tokio/hyper stack, which users never build).
mkdir -p "$work/sdk/src"
cat > "$work/sdk/Cargo.toml" <<TOML
[package]
name = "fp-sdk"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
creatoraudit = { path = "$repo" }

[workspace]
TOML
cp "$repo/examples/quickstart.rs" "$work/sdk/src/main.rs"
cp "$repo/Cargo.lock" "$work/sdk/Cargo.lock"

mkdir -p "$work/reqwest/src"
cat > "$work/reqwest/Cargo.toml" <<'TOML'
[package]
name = "fp-reqwest"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
reqwest = { version = "0.12", default-features = false, features = ["blocking", "json", "rustls-tls"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"

[workspace]
TOML
cat > "$work/reqwest/src/main.rs" <<'RUST'
//! The creatoraudit quickstart written against reqwest's blocking client instead of the SDK:
//! whoami, list TikTok accounts (following cursors), create an account and a video, the 30-day
//! overview, and a problem+json error branch. For the footprint comparison only.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use reqwest::blocking::{Client, RequestBuilder};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

#[derive(Deserialize)]
struct Data<T> {
    data: T,
}

#[derive(Deserialize)]
struct Listing<T> {
    data: Vec<T>,
    pagination: PageInfo,
}

#[derive(Deserialize)]
struct PageInfo {
    next_cursor: Option<String>,
    has_next: bool,
}

#[derive(Deserialize)]
struct Whoami {
    organization_id: String,
    api_key_name: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct Account {
    id: String,
    username: String,
    platform: Option<String>,
    name: Option<String>,
    description: Option<String>,
    profile_pic_url: Option<String>,
    profile_pic_url_original: Option<String>,
    is_verified: Option<bool>,
    is_active: Option<bool>,
    is_unavailable: Option<bool>,
    link_in_bio: Option<String>,
    creator_id: Option<String>,
    creator_name: Option<String>,
    category: Option<String>,
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
    added_at: Option<String>,
    first_scrape_time: Option<String>,
    last_scrape_time: Option<String>,
    scrape_interval_hours: Option<u32>,
    follower_count: Option<u64>,
    following_count: Option<u64>,
    profile_post_count: Option<u64>,
    total_post_count: Option<u64>,
    view_count: Option<u64>,
    like_count: Option<u64>,
    comment_count: Option<u64>,
    share_count: Option<u64>,
    play_count: Option<u64>,
    saved_count: Option<u64>,
    fb_play_count: Option<u64>,
    ig_play_count: Option<u64>,
    fb_like_count: Option<u64>,
    max_recent_posts_per_account: Option<u64>,
    post_lookback_days: Option<u64>,
    effective_max_recent_posts_per_account: Option<u64>,
    effective_post_lookback_days: Option<u64>,
}

#[derive(Deserialize)]
struct Video {
    id: String,
}

#[derive(Deserialize)]
struct OverviewStats {
    total_views: Option<u64>,
    engagement_rate: Option<f64>,
}

#[derive(Deserialize)]
struct Overview {
    current: OverviewStats,
}

#[derive(Debug, Deserialize)]
struct FieldError {
    field: String,
    message: String,
}

#[derive(Debug, Deserialize)]
struct Problem {
    #[serde(default)]
    status: u16,
    #[serde(default)]
    code: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    detail: String,
    #[serde(default)]
    request_id: Option<String>,
    #[serde(default)]
    errors: Vec<FieldError>,
}

#[allow(dead_code)] // read through `Debug` when `main` returns it
#[derive(Debug)]
enum Error {
    Http(reqwest::Error),
    Api(Problem),
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        Error::Http(e)
    }
}

struct Api {
    http: Client,
    base: String,
    key: String,
}

impl Api {
    fn get(&self, path: &str) -> RequestBuilder {
        self.http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.key)
    }

    fn post(&self, path: &str, body: &Value) -> RequestBuilder {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        self.http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.key)
            .header("Idempotency-Key", format!("quickstart-{nanos:x}"))
            .json(body)
    }

    fn send<T: DeserializeOwned>(&self, request: RequestBuilder) -> Result<T, Error> {
        let response = request.send()?;
        let status = response.status();
        if status.is_success() {
            return Ok(response.json()?);
        }
        let request_id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.text().unwrap_or_default();
        let mut problem = serde_json::from_str::<Problem>(&body).unwrap_or(Problem {
            status: status.as_u16(),
            code: String::new(),
            title: status.canonical_reason().unwrap_or("").to_owned(),
            detail: body.chars().take(200).collect(),
            request_id: None,
            errors: Vec::new(),
        });
        problem.status = status.as_u16();
        problem.request_id = problem.request_id.or(request_id);
        Err(Error::Api(problem))
    }
}

fn main() -> Result<(), Error> {
    let read_only = std::env::args().any(|a| a == "--read-only");
    let key = std::env::var("CREATORAUDIT_API_KEY").expect("CREATORAUDIT_API_KEY");
    let base = std::env::var("CREATORAUDIT_BASE_URL")
        .unwrap_or_else(|_| "https://api.creatoraudit.com/v2".into());
    let http = Client::builder()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        .user_agent("quickstart-reqwest/0.0.0")
        .default_headers(
            [(reqwest::header::ACCEPT, "application/json".parse().unwrap())]
                .into_iter()
                .collect(),
        )
        .build()?;
    let api = Api { http, base, key };

    let me: Data<Whoami> = api.send(api.get("/whoami"))?;
    println!(
        "organization {} (key {:?})",
        me.data.organization_id, me.data.api_key_name
    );

    let mut cursor: Option<String> = None;
    loop {
        let mut query = vec![("platform", "tiktok".to_owned()), ("limit", "200".to_owned())];
        if let Some(c) = &cursor {
            query.push(("cursor", c.clone()));
        }
        let page: Listing<Account> = api.send(api.get("/accounts").query(&query))?;
        for account in page.data {
            println!("@{} {:?} followers", account.username, account.follower_count);
        }
        match page.pagination.next_cursor {
            Some(next) if page.pagination.has_next => cursor = Some(next),
            _ => break,
        }
    }

    if !read_only {
        let account: Data<Account> = api.send(api.post(
            "/accounts",
            &json!({"platform": "tiktok", "username": "khaby.lame", "category": "comedy",
                    "scrape_interval_hours": 24}),
        ))?;
        println!("tracking account {}", account.data.id);
        let video: Data<Video> = api.send(api.post(
            "/videos",
            &json!({"platform": "instagram",
                    "identifier": "https://www.instagram.com/p/C8xYzAbCdEf/", "is_active": true}),
        ))?;
        println!("tracking video {}", video.data.id);
    }

    let overview: Data<Overview> = api.send(api.get("/overview").query(&[("period", "30d")]))?;
    println!(
        "30-day views {:?}, engagement rate {:?} %",
        overview.data.current.total_views, overview.data.current.engagement_rate
    );

    match api.send::<Data<Account>>(api.get("/accounts/00000000-0000-4000-8000-000000000000")) {
        Ok(account) => println!("found @{}", account.data.username),
        Err(Error::Api(p)) if p.code == "VALIDATION_ERROR" => {
            for e in &p.errors {
                eprintln!("invalid {}: {}", e.field, e.message);
            }
        }
        Err(Error::Api(p)) if p.status == StatusCode::NOT_FOUND.as_u16() => {
            println!("no such account (request id {:?}): {} {}", p.request_id, p.title, p.detail)
        }
        Err(e) => return Err(e),
    }
    Ok(())
}
RUST

# --- measuring -----------------------------------------------------------------------------------

now() { date +%s.%N; }

# crates NAME DIR: the distinct crates `cargo tree -e normal` lists, the root package excluded.
crates() {
    (cd "$2" && cargo tree -e normal --prefix none --no-dedupe --target "$target_triple") |
        awk -v root="$1" '$1 != root { print $1 " " $2 }' | sort -u | grep -c .
}

# build LABEL DIR BINARY CARGO-ARGS...: a clean release build; prints seconds and stripped size.
build() {
    local label="$1" dir="$2" binary="$3"
    shift 3
    local target="$work/target-$label"
    rm -rf "$target"
    (cd "$dir" && cargo fetch --quiet)
    local load
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    local start end
    start="$(now)"
    (cd "$dir" && CARGO_TARGET_DIR="$target" cargo build --release --quiet "$@")
    end="$(now)"
    strip -o "$work/$label.stripped" "$target/release/$binary"
    local secs size
    secs="$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')"
    size="$(stat -c %s "$work/$label.stripped")"
    echo "$label|$secs|$size|$load"
}

echo "date: $(date -u +%Y-%m-%d)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "toolchain: $(rustc --version), $(cargo --version)"

sdk_crates="$(crates fp-sdk "$work/sdk")"
reqwest_crates="$(crates fp-reqwest "$work/reqwest")"
echo "crates besides the program: creatoraudit $sdk_crates (creatoraudit and $((sdk_crates - 1)) dependencies), reqwest $reqwest_crates"

IFS='|' read -r _ sdk_secs sdk_size sdk_load < <(build sdk "$work/sdk" fp-sdk)
echo "creatoraudit quickstart (as a user builds it): ${sdk_secs} s, ${sdk_size} bytes stripped (load before: $sdk_load)"
IFS='|' read -r _ rq_secs rq_size rq_load < <(build reqwest "$work/reqwest" fp-reqwest)
echo "reqwest equivalent: ${rq_secs} s, ${rq_size} bytes stripped (load before: $rq_load)"
IFS='|' read -r _ ex_secs ex_size ex_load < <(build example "$repo" examples/quickstart --example quickstart)
echo "cargo build --release --example quickstart in the repository (dev-dependencies too): ${ex_secs} s, ${ex_size} bytes stripped (load before: $ex_load)"

mib() { awk -v b="$1" 'BEGIN { printf "%.2f MiB", b / 1048576 }'; }
cat <<TABLE

| quickstart program | crates compiled besides the program | clean release build | stripped binary |
|---|---|---|---|
| creatoraudit (ureq, rustls) | $sdk_crates | ${sdk_secs} s | $(mib "$sdk_size") |
| reqwest 0.12 blocking + json + rustls-tls | $reqwest_crates | ${rq_secs} s | $(mib "$rq_size") |
TABLE
