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
    /// Boxed, as the SDK boxes its `Problem`: keeps `Result<T, Error>` small.
    Api(Box<Problem>),
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
        Err(Error::Api(Box::new(problem)))
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
        let mut query = vec![
            ("platform", "tiktok".to_owned()),
            ("limit", "200".to_owned()),
        ];
        if let Some(c) = &cursor {
            query.push(("cursor", c.clone()));
        }
        let page: Listing<Account> = api.send(api.get("/accounts").query(&query))?;
        for account in page.data {
            println!(
                "@{} {:?} followers",
                account.username, account.follower_count
            );
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
            println!(
                "no such account (request id {:?}): {} {}",
                p.request_id, p.title, p.detail
            )
        }
        Err(e) => return Err(e),
    }
    Ok(())
}
