//! The fake's behaviour: its state and the routing of a request to its endpoint. The
//! conventions every request meets, the records, the listings, the analytics and the reading
//! of input each have a file here.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::Fault;
use super::data::{self, Record};
use super::http::{Request, Response};
use crate::testing::record::RecordedRequest;
use crate::url::{parse_query, percent_decode};

mod analytics;
mod conventions;
mod input;
mod lists;
mod records;

/// The largest page of the list endpoints.
const MAX_LIMIT: u32 = 200;
/// The page size when `limit` is not sent.
const DEFAULT_LIMIT: u32 = 50;
/// The most ids a batch request takes.
const MAX_BATCH: usize = 200;
/// How many requests the log keeps (a long-running demo must not grow without bound): past
/// it, the older half is dropped.
pub(crate) const MAX_LOG: usize = 100_000;
/// "Today" for the analytics windows: 2026-11-30.
const TODAY: u64 = data::LAST_SCRAPE / 86_400;

/// Everything the fake knows.
#[derive(Debug)]
pub(crate) struct State {
    pub key: String,
    pub base_url: String,
    pub accounts: Vec<Record>,
    pub videos: Vec<Record>,
    pub creators: Vec<Record>,
    pub account_videos: Vec<Record>,
    /// Accounts that read as not refreshed: how many more `GET /accounts/{id}` show them so.
    pub pending_scrape: HashMap<String, u32>,
    /// Videos created through the API, not refreshed yet (they are at their next read).
    pending_videos: HashSet<String>,
    /// When each linked account was linked.
    linked_at: HashMap<String, u64>,
    /// `"POST /accounts <key>"` → (hash of the body, the answer).
    idempotency: HashMap<String, (u64, Response)>,
    /// The faults not served yet, in the order added (`times` and `after` count down).
    pub faults: Vec<Fault>,
    pub log: Vec<RecordedRequest>,
    requests: u64,
    /// The fake clock (Unix seconds): one minute more for every write.
    clock: u64,
    created: u64,
    pub rate_limit: u32,
    /// The current rate-limit window.
    window: Window,
    pub account_quota: Option<usize>,
    /// The request being answered: its id and path, for problem documents.
    current: (String, String),
}

/// A rate-limit window. It starts with the first request after the last one ended, a second
/// before that request's second, and lasts a minute; a client's wait past its end ends it at
/// once (see `elapse`).
#[derive(Debug, Default)]
struct Window {
    /// When it ends, in Unix milliseconds (a whole second); 0: over.
    end: u64,
    /// The requests counted in it.
    used: u32,
}

/// What the seed holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seed {
    pub accounts: usize,
    pub videos: usize,
    pub creators: usize,
    pub posts_per_account: usize,
}

type Reply = Result<Response, Response>;

impl State {
    pub fn new(seed: Seed, key: String, base_url: String) -> State {
        let creators_n = seed.creators;
        let accounts: Vec<Record> = (0..seed.accounts)
            .map(|i| data::seed_account(i, creators_n))
            .collect();
        let videos = (0..seed.videos)
            .map(|i| data::seed_video(i, seed.accounts))
            .collect();
        let creators = (0..creators_n).map(data::seed_creator).collect();
        let account_videos = accounts
            .iter()
            .enumerate()
            .flat_map(|(i, a)| {
                (0..seed.posts_per_account)
                    .map(move |k| data::seed_account_video(a, i, k, seed.posts_per_account))
            })
            .collect();
        let linked_at = accounts
            .iter()
            .filter(|a| !a["creator_id"].is_null())
            .map(|a| (str_of(a, "id").to_owned(), data::CLOCK_EPOCH - 86_400 * 30))
            .collect();
        State {
            key,
            base_url,
            accounts,
            videos,
            creators,
            account_videos,
            pending_scrape: HashMap::new(),
            pending_videos: HashSet::new(),
            linked_at,
            idempotency: HashMap::new(),
            faults: Vec::new(),
            log: Vec::new(),
            requests: 0,
            clock: data::CLOCK_EPOCH,
            created: 0,
            rate_limit: 1_000,
            window: Window::default(),
            account_quota: None,
            current: (String::new(), String::new()),
        }
    }

    /// Answers one request (and records it).
    pub fn handle(&mut self, req: &Request) -> Response {
        if self.log.len() >= MAX_LOG {
            self.log.drain(..MAX_LOG / 2);
        }
        self.log.push(RecordedRequest::from_parts(
            &req.method,
            &req.target,
            req.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            &req.body,
        ));
        self.requests += 1;
        let request_id = format!("req_fake_{:06}", self.requests);
        let (path, query) = req.target.split_once('?').unwrap_or((&req.target, ""));
        self.current = (request_id.clone(), path.to_owned());
        let mut response = self.route(req, path, query).unwrap_or_else(|e| e);
        response.set_header("x-request-id", request_id);
        response
    }

    fn route(&mut self, req: &Request, path: &str, query: &str) -> Reply {
        let method = if req.method == "HEAD" {
            "GET"
        } else {
            req.method.as_str()
        };
        let Some(rest) = path
            .strip_prefix("/v2")
            .filter(|r| r.is_empty() || r.starts_with('/'))
        else {
            return Err(self.no_route(method, path));
        };
        let segs: Vec<String> = rest
            .trim_start_matches('/')
            .split('/')
            .map(percent_decode)
            .collect();
        let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
        let q = parse_query(query);
        match (method, segs.as_slice()) {
            ("GET", ["health"]) => {
                self.inject_fault(method, rest)?;
                return Ok(json_response(200, &json!({"status": "ok"})));
            }
            ("GET", ["meta"]) => {
                self.inject_fault(method, rest)?;
                return self.etagged(req, self.meta());
            }
            _ => {}
        }
        self.authenticate(req)?;
        let limits = self.rate_limit_tick()?;
        // Records created by an earlier request read as refreshed from now on, whatever reads
        // them: a listing, a batch metric, the overview, search.
        self.refresh_due();
        // An injected fault is an authenticated answer like any other: it counts against the
        // rate limit and carries its headers.
        let mut reply = self
            .inject_fault(method, rest)
            .and_then(|()| self.dispatch(req, method, &segs, &q));
        {
            let r = match &mut reply {
                Ok(r) | Err(r) => r,
            };
            for (name, value) in &limits {
                r.set_header(name, value.clone());
            }
        }
        let reply = reply?;
        if method == "GET" {
            return self.etagged(req, reply);
        }
        Ok(reply)
    }

    fn dispatch(&mut self, req: &Request, method: &str, segs: &[&str], q: &Query) -> Reply {
        self.acceptable(req)?;
        match (method, segs) {
            ("GET", ["whoami"]) => Ok(data_response(
                200,
                json!({"type": "whoami", "organization_id": data::ORGANIZATION_ID,
                       "api_key_name": "fake key"}),
            )),
            ("GET", ["overview"]) => self.overview(q),
            ("GET", ["search"]) => self.search(q),
            ("GET", ["accounts"]) => self.list_accounts(q),
            ("POST", ["accounts"]) => self.idempotent(req, "POST /accounts", Self::create_account),
            ("POST", ["accounts", "metrics"]) => self.account_metrics(req),
            ("GET", ["accounts", id]) => self.get_account(id),
            ("GET", ["videos"]) => self.list_videos(q),
            ("POST", ["videos"]) => self.idempotent(req, "POST /videos", Self::create_video),
            ("POST", ["videos", "metrics"]) => self.video_metrics(req),
            ("POST", ["videos", "deltas"]) => self.video_deltas(req),
            ("GET", ["account-videos"]) => self.list_account_videos(q),
            ("POST", ["account-videos", "metrics"]) => self.account_video_metrics(req),
            ("GET", ["creators"]) => self.list_creators(q),
            ("POST", ["creators"]) => self.idempotent(req, "POST /creators", Self::create_creator),
            ("GET", ["creators", "top"]) => self.top_creators(q),
            ("GET", ["creators", id]) => self.get_creator(id),
            ("PATCH", ["creators", id]) => self.update_creator(req, id),
            ("DELETE", ["creators", id]) => self.delete_creator(id),
            ("GET", ["creators", id, "analytics"]) => self.creator_analytics(id, q),
            ("PUT", ["creators", id, "accounts", account]) => self.link(id, account),
            ("DELETE", ["creators", id, "accounts", account]) => self.unlink(id, account),
            (_, segs) => match allowed(segs) {
                Some(allow) => Err(self
                    .problem(
                        405,
                        "METHOD_NOT_ALLOWED",
                        &format!("{method} is not allowed here"),
                    )
                    .header("allow", allow)),
                None => Err(self.no_route(method, &self.current.1.clone())),
            },
        }
    }
}

// ----------------------------------------------------------------------------------------
// Helpers

type Query = Vec<(String, String)>;

fn json_response(status: u16, body: &Value) -> Response {
    let mut r = Response::new(status).header("content-type", "application/json");
    r.body = body.to_string().into_bytes();
    r
}

fn data_response(status: u16, data: Value) -> Response {
    json_response(status, &json!({ "data": data }))
}

fn str_of<'a>(r: &'a Record, field: &str) -> &'a str {
    r.get(field).and_then(Value::as_str).unwrap_or("")
}

fn num(r: &Record, field: &str) -> u64 {
    r.get(field).and_then(Value::as_u64).unwrap_or(0)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The methods a known path takes, for a 405.
fn allowed(segs: &[&str]) -> Option<&'static str> {
    Some(match segs {
        ["health" | "meta" | "whoami" | "overview" | "search"] => "GET",
        ["accounts" | "videos" | "creators"] => "GET, POST",
        ["account-videos"] => "GET",
        ["accounts" | "videos" | "account-videos", "metrics"] | ["videos", "deltas"] => "POST",
        ["accounts", _] => "GET",
        ["creators", "top"] => "GET",
        ["creators", _] => "GET, PATCH, DELETE",
        ["creators", _, "analytics"] => "GET",
        ["creators", _, "accounts", _] => "PUT, DELETE",
        _ => return None,
    })
}
