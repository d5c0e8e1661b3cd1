//! The fake's behaviour: routing, the API's conventions, and the endpoints over the state.

use std::collections::{HashMap, HashSet};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use super::data::{self, Record, fnv, iso, mix};
use super::http::{Request, Response, reason};
use crate::ErrorCode;
use crate::base64url;
use crate::testing::record::RecordedRequest;
use crate::url::{parse_query, percent_decode};

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

/// A fault waiting to be served.
#[derive(Debug, Clone)]
pub(crate) struct FaultState {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub remaining: u32,
    pub skip: u32,
    pub retry_after: Option<u64>,
}

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
    pub faults: Vec<FaultState>,
    pub log: Vec<RecordedRequest>,
    requests: u64,
    /// The fake clock (Unix seconds): one minute more for every write.
    clock: u64,
    created: u64,
    pub rate_limit: u32,
    window: (u64, u32),
    pub account_quota: Option<usize>,
    /// The request being answered: its id and path, for problem documents.
    current: (String, String),
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
            window: (0, 0),
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
        let mut reply = match self.inject_fault(method, rest) {
            Ok(()) => self.dispatch(req, method, &segs, &q),
            Err(fault) => Err(fault),
        };
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

    // ------------------------------------------------------------------------------------
    // Conventions

    /// A problem document for this request.
    fn problem(&self, status: u16, code: &str, detail: &str) -> Response {
        let kebab = code.to_ascii_lowercase().replace('_', "-");
        let body = json!({
            "type": format!("urn:creatoraudit:error:{kebab}"),
            "title": reason(status),
            "status": status,
            "detail": detail,
            "code": code,
            "instance": self.current.1,
            "request_id": self.current.0,
        });
        let mut r = Response::new(status).header("content-type", "application/problem+json");
        r.body = body.to_string().into_bytes();
        r
    }

    fn not_found(&self, what: &str) -> Response {
        self.problem(404, "NOT_FOUND", &format!("{what} not found."))
    }

    fn no_route(&self, method: &str, path: &str) -> Response {
        self.problem(404, "NOT_FOUND", &format!("no route for {method} {path}"))
    }

    /// `422 VALIDATION_ERROR` with field errors; the detail names them too, bounds included
    /// ("Going over a bound gives 422 VALIDATION_ERROR, with the bound in `detail`").
    fn invalid(&self, errors: &[(String, String)]) -> Response {
        let named: Vec<String> = errors.iter().map(|(f, m)| format!("{f}: {m}")).collect();
        let detail = match named.as_slice() {
            [] => "Request failed validation.".to_owned(),
            _ => format!("Request failed validation: {}.", named.join("; ")),
        };
        let mut r = self.problem(422, "VALIDATION_ERROR", &detail);
        let mut body: Value = serde_json::from_slice(&r.body).unwrap_or_default();
        body["errors"] = errors
            .iter()
            .map(|(field, message)| json!({"field": field, "message": message}))
            .collect();
        r.body = body.to_string().into_bytes();
        r
    }

    fn inject_fault(&mut self, method: &str, path: &str) -> Result<(), Response> {
        let path = if path.is_empty() { "/" } else { path };
        let Some(i) = self.faults.iter().position(|f| {
            f.method.eq_ignore_ascii_case(method) && (f.path == path || f.path == "*")
        }) else {
            return Ok(());
        };
        let fault = &mut self.faults[i];
        if fault.skip > 0 {
            fault.skip -= 1;
            return Ok(());
        }
        fault.remaining -= 1;
        let fault = fault.clone();
        if fault.remaining == 0 {
            self.faults.remove(i);
        }
        let code = ErrorCode::from_status(fault.status);
        let mut r = self.problem(fault.status, code.as_str(), "Injected fault (FakeApi).");
        if let Some(secs) = fault.retry_after {
            r.set_header("retry-after", secs.to_string());
        }
        Err(r)
    }

    fn authenticate(&self, req: &Request) -> Result<(), Response> {
        let detail = match req.header("authorization") {
            None => "Missing API key: send Authorization: Bearer <key>.",
            Some(v) => match v.split_once(' ') {
                Some((scheme, key)) if scheme.eq_ignore_ascii_case("bearer") && key == self.key => {
                    return Ok(());
                }
                _ => "Invalid API key.",
            },
        };
        Err(self
            .problem(401, "UNAUTHORIZED", detail)
            .header("www-authenticate", "Bearer"))
    }

    /// Counts the request in the current one-minute window; the headers to send, or a 429.
    fn rate_limit_tick(&mut self) -> Result<Vec<(&'static str, String)>, Response> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let start = now - now % 60;
        if self.window.0 != start {
            self.window = (start, 0);
        }
        let reset = start + 60;
        let used = self.window.1;
        let headers = |remaining: u32| {
            vec![
                ("x-ratelimit-limit", self.rate_limit.to_string()),
                ("x-ratelimit-remaining", remaining.to_string()),
                ("x-ratelimit-reset", reset.to_string()),
            ]
        };
        if used >= self.rate_limit {
            let mut r = self.problem(429, "RATE_LIMITED", "Rate limit exceeded.");
            for (n, v) in headers(0) {
                r.set_header(n, v);
            }
            r.set_header("retry-after", (reset - now).max(1).to_string());
            return Err(r);
        }
        self.window.1 += 1;
        Ok(headers(self.rate_limit - used - 1))
    }

    /// 406 when the `Accept` header rules JSON out.
    fn acceptable(&self, req: &Request) -> Result<(), Response> {
        let Some(accept) = req.header("accept") else {
            return Ok(());
        };
        let ok = accept.split(',').any(|range| {
            let media = range.split(';').next().unwrap_or("").trim();
            matches!(
                media.to_ascii_lowercase().as_str(),
                "application/json" | "application/problem+json" | "application/*" | "*/*"
            )
        });
        if ok {
            Ok(())
        } else {
            Err(self.problem(
                406,
                "NOT_ACCEPTABLE",
                "This API answers application/json only.",
            ))
        }
    }

    /// Adds a strong ETag to a 200, or answers an empty 304 when `If-None-Match` has it.
    fn etagged(&self, req: &Request, mut r: Response) -> Reply {
        if r.status != 200 {
            return Ok(r);
        }
        let tag = format!("\"{:016x}\"", fnv(&String::from_utf8_lossy(&r.body)));
        let matched = req
            .header("if-none-match")
            .is_some_and(|h| h.split(',').map(str::trim).any(|t| t == "*" || t == tag));
        if matched {
            let mut not_modified = Response::new(304).header("etag", tag);
            for (n, v) in &r.headers {
                if n.starts_with("x-ratelimit-") {
                    not_modified.set_header(n, v.clone());
                }
            }
            return Ok(not_modified);
        }
        r.set_header("etag", tag);
        Ok(r)
    }

    /// The body of a write as a JSON object: 415 when it is not JSON by its content type,
    /// 400 when it does not parse, 422 when it is not an object.
    fn json_body(&self, req: &Request) -> Result<Map<String, Value>, Response> {
        let json = req
            .header("content-type")
            .and_then(|c| c.split(';').next())
            .is_some_and(|c| c.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(self.problem(
                415,
                "UNSUPPORTED_MEDIA_TYPE",
                "Send the body as application/json.",
            ));
        }
        match serde_json::from_slice::<Value>(&req.body) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => Err(self.invalid(&[("body".into(), "must be a JSON object".into())])),
            Err(e) => Err(self.problem(
                400,
                "BAD_REQUEST",
                &format!("The body is not valid JSON: {e}."),
            )),
        }
    }

    /// Runs a create once per `Idempotency-Key`: the same key and body replay the first
    /// success; the same key with another body is a 409.
    fn idempotent(
        &mut self,
        req: &Request,
        route: &str,
        create: fn(&mut State, &Request) -> Reply,
    ) -> Reply {
        let Some(key) = req.header("idempotency-key").map(str::to_owned) else {
            return create(self, req);
        };
        let slot = format!("{route} {key}");
        let canonical = serde_json::from_slice::<Value>(&req.body)
            .map(|v| v.to_string())
            .unwrap_or_else(|_| String::from_utf8_lossy(&req.body).into_owned());
        let hash = fnv(&canonical);
        if let Some((seen, answer)) = self.idempotency.get(&slot) {
            return if *seen == hash {
                Ok(answer.clone())
            } else {
                Err(self.problem(
                    409,
                    "CONFLICT",
                    "This Idempotency-Key was used with a different body.",
                ))
            };
        }
        let answer = create(self, req)?;
        self.idempotency.insert(slot, (hash, answer.clone()));
        Ok(answer)
    }

    fn tick(&mut self) -> u64 {
        self.clock += 60;
        self.clock
    }

    fn location(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    // ------------------------------------------------------------------------------------
    // Meta

    fn meta(&self) -> Response {
        let mut meta = crate::testing::fixtures::api_meta();
        meta["whoami_url"] = json!(format!("{}/whoami", self.base_url));
        data_response(200, meta)
    }

    fn overview(&self, q: &Query) -> Reply {
        let mut p = Params::new(q);
        let days = p.period("period", false).unwrap_or(7);
        p.done(self)?;
        let active = self
            .accounts
            .iter()
            .filter(|a| a["is_active"] == true)
            .count() as u64;
        let sum = |records: &[Record], field: &str| -> u64 {
            records.iter().map(|r| num(r, field)).sum()
        };
        let views =
            (sum(&self.videos, "view_count") + sum(&self.account_videos, "view_count")) * days / 90;
        let engaged: u64 = ["like_count", "comment_count", "share_count"]
            .iter()
            .map(|f| sum(&self.videos, f) + sum(&self.account_videos, f))
            .sum::<u64>()
            * days
            / 90;
        let rate = |views: u64, engaged: u64| {
            if views == 0 {
                0.0
            } else {
                round2(engaged as f64 * 100.0 / views as f64)
            }
        };
        let current = json!({
            "total_views": views,
            "engagement_rate": rate(views, engaged),
            "active_accounts": active,
            "account_videos": self.account_videos.len(),
            "tracked_videos": self.videos.len(),
        });
        let (pv, pe) = (views * 85 / 100, engaged * 80 / 100);
        let prev_accounts = active * 9 / 10;
        let prev_av = self.account_videos.len() as u64 * 9 / 10;
        let prev_tv = self.videos.len() as u64 * 8 / 10;
        let previous = json!({
            "total_views": pv,
            "engagement_rate": rate(pv, pe),
            "active_accounts": prev_accounts,
            "account_videos": prev_av,
            "tracked_videos": prev_tv,
        });
        let pct = |now: f64, before: f64| {
            if before == 0.0 {
                0.0
            } else {
                round2((now - before) * 100.0 / before)
            }
        };
        let changes = json!({
            "total_views_pct": pct(views as f64, pv as f64),
            "engagement_rate_pct": pct(rate(views, engaged), rate(pv, pe)),
            "active_accounts_pct": pct(active as f64, prev_accounts as f64),
            "account_videos_pct": pct(self.account_videos.len() as f64, prev_av as f64),
            "tracked_videos_pct": pct(self.videos.len() as f64, prev_tv as f64),
        });
        Ok(data_response(
            200,
            json!({"type": "overview", "current": current, "previous": previous,
                   "changes": changes}),
        ))
    }

    fn search(&self, q: &Query) -> Reply {
        let mut p = Params::new(q);
        let raw = p.get("q").unwrap_or("");
        if raw.chars().count() > 128 {
            p.error("q", "must be at most 128 characters");
        }
        let text = raw.trim().to_lowercase();
        let limit = p.limit(25, 10) as usize;
        p.done(self)?;
        let hit = |s: &Value| {
            !text.is_empty() && s.as_str().is_some_and(|s| s.to_lowercase().contains(&text))
        };
        let accounts: Vec<Value> = self
            .accounts
            .iter()
            .filter(|a| hit(&a["username"])) // the docs: usernames, creator names, captions
            .take(limit)
            .map(|a| {
                json!({"id": a["id"], "platform": a["platform"], "username": a["username"],
                       "display_name": a["name"]})
            })
            .collect();
        let creators: Vec<Value> = self
            .creators
            .iter()
            .filter(|c| hit(&c["name"]))
            .take(limit)
            .map(|c| json!({"id": c["id"], "name": c["name"]}))
            .collect();
        let videos: Vec<Value> = self
            .videos
            .iter()
            .filter(|v| hit(&v["description"]))
            .take(limit)
            .map(|v| {
                json!({"id": v["id"], "platform": v["platform"], "caption": v["description"],
                       "account_id": v["account_id"], "account_username": v["account_username"]})
            })
            .collect();
        Ok(json_response(
            200,
            &json!({
                "data": {"accounts": accounts, "creators": creators, "videos": videos},
                "meta": {"query": p.get("q").unwrap_or(""), "limit_per_section": limit,
                         "effective_caps": {"accounts": limit, "creators": limit, "videos": limit}}
            }),
        ))
    }

    // ------------------------------------------------------------------------------------
    // Lists

    /// Pages `items` (already filtered and sorted) by `limit`/`cursor`.
    fn page(
        &self,
        route: &str,
        q: &Query,
        p: &mut Params<'_>,
        items: Vec<Value>,
        filters: Map<String, Value>,
    ) -> Reply {
        let limit = p.limit(MAX_LIMIT, DEFAULT_LIMIT) as usize;
        let include_total = p.bool("include_total").unwrap_or(false);
        let fingerprint = fingerprint(route, q);
        let offset = match p.get("cursor") {
            None => 0,
            Some(c) => match decode_cursor(c) {
                Some((offset, fp)) if fp == fingerprint => offset,
                Some(_) => {
                    p.error(
                        "cursor",
                        "was issued for other filters or another sort: keep them the same for the whole walk",
                    );
                    0
                }
                None => {
                    p.error("cursor", "is not a cursor this API issued");
                    0
                }
            },
        };
        p.done(self)?;
        let total = items.len();
        let start = offset.min(total);
        let end = (start + limit).min(total);
        let next = (end < total).then(|| encode_cursor(end, fingerprint));
        let mut pagination =
            json!({"next_cursor": next, "has_next": next.is_some(), "limit": limit});
        if include_total {
            pagination["total_count"] = json!(total);
        }
        let body = json!({
            "data": items[start..end],
            "pagination": pagination,
            "filters": filters,
        });
        let first_query: Vec<String> = q
            .iter()
            .filter(|(k, _)| k != "cursor")
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        let first = format!("{}{route}?{}", self.base_url, first_query.join("&"));
        let mut link = format!("<{}>; rel=\"first\"", first.trim_end_matches('?'));
        if let Some(next) = &next {
            let sep = if first_query.is_empty() { "" } else { "&" };
            link.push_str(&format!(
                ", <{first}{sep}cursor={}>; rel=\"next\"",
                encode(next)
            ));
        }
        Ok(json_response(200, &body).header("link", link))
    }

    fn list_accounts(&mut self, q: &Query) -> Reply {
        let mut p = Params::new(q);
        let mut f = Map::new();
        let orders = [
            "added_at",
            "username",
            "last_scrape_time",
            "follower_count",
            "view_count",
            "like_count",
            "play_count",
        ];
        let shared = Filters::read(
            &mut p,
            &mut f,
            &["platform", "q"],
            (&orders, "added_at", true),
        );
        let category = p.get("category").map(str::to_owned);
        let creator = p.get("creator_id").map(str::to_owned);
        echo(&mut f, "category", category.as_ref());
        echo(&mut f, "creator_id", creator.as_ref());
        let mut items: Vec<&Record> = self
            .accounts
            .iter()
            .filter(|a| shared.keep(a, &["username"]))
            .filter(|a| {
                category
                    .as_deref()
                    .is_none_or(|c| str_of(a, "category").eq_ignore_ascii_case(c))
            })
            .filter(|a| creator.as_deref().is_none_or(|c| a["creator_id"] == c))
            .collect();
        shared.sort(&mut items, &mut f);
        let items = items.into_iter().map(|a| self.render_account(a)).collect();
        self.page("/accounts", q, &mut p, items, f)
    }

    fn list_videos(&self, q: &Query) -> Reply {
        let orders = [
            "added_at",
            "create_time",
            "view_count",
            "like_count",
            "play_count",
        ];
        let text_fields = ["description", "account_username"];
        self.list_records(
            &self.videos,
            "/videos",
            q,
            (&orders, "added_at"),
            &text_fields,
        )
    }

    fn list_account_videos(&self, q: &Query) -> Reply {
        let orders = ["create_time", "view_count", "like_count", "play_count"];
        let route = "/account-videos";
        self.list_records(
            &self.account_videos,
            route,
            q,
            (&orders, "create_time"),
            &["description"],
        )
    }

    /// A listing of stored records with the filters videos and account videos share
    /// (`account_id`, `platform`, `q` on `text_fields`, `is_active`), newest first by default.
    fn list_records(
        &self,
        records: &[Record],
        route: &str,
        q: &Query,
        (orders, default): (&[&str], &str),
        text_fields: &[&str],
    ) -> Reply {
        let mut p = Params::new(q);
        let mut f = Map::new();
        let names = ["platform", "q", "account_id"];
        let shared = Filters::read(&mut p, &mut f, &names, (orders, default, true));
        let mut items: Vec<&Record> = records
            .iter()
            .filter(|r| shared.keep(r, text_fields))
            .collect();
        shared.sort(&mut items, &mut f);
        let items = items
            .into_iter()
            .map(|v| Value::Object(v.clone()))
            .collect();
        self.page(route, q, &mut p, items, f)
    }

    fn list_creators(&self, q: &Query) -> Reply {
        let mut p = Params::new(q);
        let mut f = Map::new();
        let shared = Filters::read(&mut p, &mut f, &[], (&["name"], "name", false));
        let mut items: Vec<&Record> = self
            .creators
            .iter()
            .filter(|c| shared.keep(c, &[]))
            .collect();
        shared.sort(&mut items, &mut f);
        let items = items.into_iter().map(|c| self.render_creator(c)).collect();
        self.page("/creators", q, &mut p, items, f)
    }

    // ------------------------------------------------------------------------------------
    // Accounts

    fn render_account(&self, a: &Record) -> Value {
        let mut a = a.clone();
        let name = self
            .creators
            .iter()
            .find(|c| a["creator_id"] == c["id"])
            .map(|c| c["name"].clone())
            .unwrap_or(Value::Null);
        a.insert("creator_name".into(), name);
        Value::Object(a)
    }

    /// Refreshes what is due: the accounts whose refresh is due at their next read, and every
    /// video created before this request.
    fn refresh_due(&mut self) {
        self.scrape_due_accounts();
        let now = self.clock;
        for v in self.videos.iter_mut() {
            if self.pending_videos.remove(str_of(v, "id")) {
                data::mark_video_scraped(v, now);
            }
        }
    }

    /// Refreshes the accounts whose refresh is due at their next read.
    fn scrape_due_accounts(&mut self) {
        let due: Vec<String> = self
            .pending_scrape
            .iter()
            .filter(|(_, n)| **n == 0)
            .map(|(id, _)| id.clone())
            .collect();
        for id in due {
            self.pending_scrape.remove(&id);
            let now = self.clock;
            if let Some(a) = self.accounts.iter_mut().find(|a| a["id"] == id.as_str()) {
                data::mark_account_scraped(a, now);
            }
        }
    }

    fn get_account(&mut self, id: &str) -> Reply {
        // A refresh held back by `scrape_after` comes one read closer (`refresh_due` applies
        // it on the read after the count reaches zero).
        if let Some(n) = self.pending_scrape.get_mut(id) {
            *n = n.saturating_sub(1);
        }
        let a = self
            .accounts
            .iter()
            .find(|a| a["id"] == id)
            .ok_or_else(|| self.not_found("Account"))?;
        Ok(data_response(200, self.render_account(a)))
    }

    fn create_account(&mut self, req: &Request) -> Reply {
        let body = self.json_body(req)?;
        let mut v = Validator::default();
        let platform = v.platform(&body);
        let username = v.text(&body, "username", true, 64);
        if let Some(u) = &username {
            if !u
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
            {
                v.error("username", "may contain only letters, digits, '.' and '_'");
            }
        }
        let category = v.text(&body, "category", false, 64);
        let interval = v.interval(&body).unwrap_or(24);
        let active = v.flag(&body, "is_active").unwrap_or(true);
        let metadata = v.metadata(&body);
        v.done(self)?;
        let (Some(platform), Some(username)) = (platform, username) else {
            return Err(self.invalid(&[("body".into(), "is incomplete".into())]));
        };
        if self.accounts.iter().any(|a| {
            a["platform"] == platform.as_str()
                && str_of(a, "username").eq_ignore_ascii_case(&username)
        }) {
            return Err(self.problem(
                409,
                "CONFLICT",
                &format!("@{username} on {platform} is already tracked."),
            ));
        }
        if self.account_quota.is_some_and(|q| self.accounts.len() >= q) {
            return Err(self.problem(
                403,
                "QUOTA_EXCEEDED",
                "The organization's tracking quota is reached.",
            ));
        }
        self.created += 1;
        let id = data::created_id("a1000000", self.created);
        let now = self.tick();
        let record = data::new_account(
            &id,
            &platform,
            &username,
            category.as_deref(),
            interval,
            active,
            metadata,
            now,
        );
        self.pending_scrape.insert(id.clone(), 0);
        let body = self.render_account(&record);
        self.accounts.push(record);
        Ok(data_response(201, body).header("location", self.location(&format!("/accounts/{id}"))))
    }

    // ------------------------------------------------------------------------------------
    // Videos

    fn create_video(&mut self, req: &Request) -> Reply {
        let body = self.json_body(req)?;
        let mut v = Validator::default();
        let platform = v.platform(&body);
        let identifier = v.text(&body, "identifier", true, 512);
        let shortcode = identifier.as_deref().map(|i| {
            let i = i.split(['?', '#']).next().unwrap_or(i);
            i.rsplit('/')
                .find(|s| !s.is_empty())
                .unwrap_or(i)
                .to_owned()
        });
        if let Some(s) = &shortcode {
            if s.is_empty()
                || !s
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                v.error("identifier", "must be a post URL, a shortcode or an id");
            }
        }
        let active = v.flag(&body, "is_active").unwrap_or(true);
        let interval = v.interval(&body).unwrap_or(24);
        let metadata = v.metadata(&body);
        v.done(self)?;
        let (Some(platform), Some(shortcode)) = (platform, shortcode) else {
            return Err(self.invalid(&[("body".into(), "is incomplete".into())]));
        };
        if self
            .videos
            .iter()
            .any(|x| x["platform"] == platform.as_str() && x["shortcode"] == shortcode.as_str())
        {
            return Err(self.problem(409, "CONFLICT", "This video is already tracked."));
        }
        self.created += 1;
        let id = data::created_id("b2000000", self.created);
        let now = self.tick();
        let record = data::new_video(
            &id, &platform, &shortcode, active, interval, metadata, now, None,
        );
        self.pending_videos.insert(id.clone());
        let body = Value::Object(record.clone());
        self.videos.push(record);
        Ok(data_response(201, body).header("location", self.location(&format!("/videos/{id}"))))
    }

    // ------------------------------------------------------------------------------------
    // Creators

    fn render_creator(&self, c: &Record) -> Value {
        let linked: Vec<&Record> = self
            .accounts
            .iter()
            .filter(|a| a["creator_id"] == c["id"])
            .collect();
        let mut platforms = Map::new();
        for a in &linked {
            let p = str_of(a, "platform").to_owned();
            let n = platforms.get(&p).and_then(Value::as_u64).unwrap_or(0);
            platforms.insert(p, json!(n + 1));
        }
        let followers: u64 = linked.iter().map(|a| num(a, "follower_count")).sum();
        let mut c = c.clone();
        c.insert(
            "accounts_summary".into(),
            json!({"total": linked.len(), "platforms": platforms, "total_followers": followers}),
        );
        Value::Object(c)
    }

    fn creator_index(&self, id: &str) -> Result<usize, Response> {
        self.creators
            .iter()
            .position(|c| c["id"] == id)
            .ok_or_else(|| self.not_found("Creator"))
    }

    /// The index of `account` in the accounts, once both it and creator `id` are known.
    fn link_indexes(&self, id: &str, account: &str) -> Result<usize, Response> {
        self.creator_index(id)?;
        self.accounts
            .iter()
            .position(|a| a["id"] == account)
            .ok_or_else(|| self.not_found("Account"))
    }

    fn get_creator(&self, id: &str) -> Reply {
        let i = self.creator_index(id)?;
        Ok(data_response(200, self.render_creator(&self.creators[i])))
    }

    fn create_creator(&mut self, req: &Request) -> Reply {
        let body = self.json_body(req)?;
        let mut v = Validator::default();
        let name = v.name(&body, true);
        let active = v.flag(&body, "is_active").unwrap_or(true);
        let metadata = v.metadata(&body);
        v.done(self)?;
        let Some(name) = name else {
            return Err(self.invalid(&[("name".into(), "is required".into())]));
        };
        self.created += 1;
        let id = data::created_id("c3000000", self.created);
        self.tick();
        let record = data::new_creator(&id, &name, active, metadata);
        let body = self.render_creator(&record);
        self.creators.push(record);
        Ok(data_response(201, body).header("location", self.location(&format!("/creators/{id}"))))
    }

    fn update_creator(&mut self, req: &Request, id: &str) -> Reply {
        let i = self.creator_index(id)?;
        let body = self.json_body(req)?;
        let mut v = Validator::default();
        let name = v.name(&body, false);
        let active = v.flag(&body, "is_active");
        let metadata = body
            .get("metadata")
            .filter(|m| !m.is_null())
            .map(|_| v.metadata(&body));
        v.done(self)?;
        self.tick();
        let c = &mut self.creators[i];
        if let Some(name) = name {
            c.insert("name".into(), json!(name));
        }
        if let Some(m) = metadata {
            c.insert("metadata".into(), m);
        }
        if let Some(active) = active {
            c.insert("is_active".into(), json!(active));
            // Pausing a creator pauses its accounts (and activating resumes them).
            for a in self.accounts.iter_mut().filter(|a| a["creator_id"] == id) {
                a.insert("is_active".into(), json!(active));
            }
        }
        Ok(data_response(200, self.render_creator(&self.creators[i])))
    }

    fn delete_creator(&mut self, id: &str) -> Reply {
        let i = self.creator_index(id)?;
        self.tick();
        self.creators.remove(i);
        for a in self.accounts.iter_mut().filter(|a| a["creator_id"] == id) {
            a.insert("creator_id".into(), Value::Null);
            self.linked_at.remove(str_of(a, "id"));
        }
        Ok(Response::new(204))
    }

    fn link(&mut self, id: &str, account: &str) -> Reply {
        let a = self.link_indexes(id, account)?;
        let record = |at: u64| {
            json!({"type": "creator_account_link", "creator_id": id, "account_id": account,
                   "linked_at": iso(at)})
        };
        match self.accounts[a]["creator_id"].as_str() {
            Some(c) if c == id => {
                let at = self
                    .linked_at
                    .get(account)
                    .copied()
                    .unwrap_or(data::CLOCK_EPOCH);
                Ok(data_response(200, record(at)))
            }
            Some(_) => Err(self.problem(
                409,
                "CONFLICT",
                "The account is linked to another creator: unlink it there first.",
            )),
            None => {
                let now = self.tick();
                self.accounts[a].insert("creator_id".into(), json!(id));
                self.linked_at.insert(account.to_owned(), now);
                Ok(data_response(201, record(now)).header(
                    "location",
                    self.location(&format!("/creators/{id}/accounts/{account}")),
                ))
            }
        }
    }

    fn unlink(&mut self, id: &str, account: &str) -> Reply {
        let a = self.link_indexes(id, account)?;
        if self.accounts[a]["creator_id"] != id {
            return Err(self.problem(
                404,
                "NOT_FOUND",
                "The account is not linked to this creator.",
            ));
        }
        self.tick();
        self.accounts[a].insert("creator_id".into(), Value::Null);
        self.linked_at.remove(account);
        Ok(Response::new(204))
    }

    fn creator_views(&self, id: &Value) -> (u64, u64, u64) {
        let linked = self.accounts.iter().filter(|a| &a["creator_id"] == id);
        linked.fold((0, 0, 0), |(v, l, f), a| {
            (
                v + num(a, "view_count") / 365,
                l + num(a, "like_count") / 365,
                f + num(a, "follower_count"),
            )
        })
    }

    fn top_creators(&self, q: &Query) -> Reply {
        let mut p = Params::new(q);
        let days = p.period("period", false).unwrap_or(30);
        let limit = p.limit(25, 10) as usize;
        p.done(self)?;
        let mut rows: Vec<(u64, Value)> = self
            .creators
            .iter()
            .filter(|c| c["is_active"] == true)
            .map(|c| {
                let (daily_views, daily_likes, followers) = self.creator_views(&c["id"]);
                let views = daily_views * days;
                let rate = if views == 0 {
                    0.0
                } else {
                    round2(daily_likes as f64 * 110.0 / daily_views as f64)
                };
                (
                    views,
                    json!({"id": c["id"], "name": c["name"], "views": views,
                           "engagement_rate": rate, "total_followers": followers}),
                )
            })
            .collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.0));
        let data: Vec<Value> = rows
            .into_iter()
            .take(limit)
            .enumerate()
            .map(|(i, (_, mut row))| {
                row["rank"] = json!(i + 1);
                row
            })
            .collect();
        Ok(json_response(200, &json!({"data": data})))
    }

    fn creator_analytics(&self, id: &str, q: &Query) -> Reply {
        let i = self.creator_index(id)?;
        let mut p = Params::new(q);
        let start = p.date("start_date", true);
        let end = p.date("end_date", true);
        if let (Some(s), Some(e)) = (start, end) {
            if s > e {
                p.error("start_date", "must not be after end_date");
            }
        }
        p.done(self)?;
        let (Some(start), Some(end)) = (start, end) else {
            return Err(self.invalid(&[("start_date".into(), "is required".into())]));
        };
        let days = end - start + 1;
        let c = &self.creators[i];
        let (daily_views, daily_likes, followers) = self.creator_views(&c["id"]);
        Ok(data_response(
            200,
            json!({"type": "creator_analytics", "creator_id": id,
                   "start_date": data::date(start * 86_400), "end_date": data::date(end * 86_400),
                   "days": days, "views": daily_views * days, "likes": daily_likes * days,
                   "comments": daily_likes * days / 40, "shares": daily_likes * days / 25,
                   "followers": followers}),
        ))
    }

    // ------------------------------------------------------------------------------------
    // Batches

    /// The ids under `field` (1 to 200 strings) and the window of a metrics body.
    fn batch_input(
        &self,
        req: &Request,
        field: &str,
        windowed: bool,
    ) -> Result<BatchInput, Response> {
        let body = self.json_body(req)?;
        let mut v = Validator::default();
        let ids = v.ids(&body, field);
        let window = if windowed {
            v.window(&body)
        } else {
            (0, json!({}))
        };
        let windows = if windowed {
            json!(null)
        } else {
            v.windows(&body)
        };
        v.done(self)?;
        let mut meta = Map::new();
        if windowed {
            if let Value::Object(m) = window.1 {
                meta = m;
            }
            meta.insert("days".into(), json!(window.0));
        }
        Ok((ids.unwrap_or_default(), meta, windows))
    }

    fn video_metrics(&self, req: &Request) -> Reply {
        let (ids, mut meta, _) = self.batch_input(req, "video_ids", true)?;
        let days = meta["days"].as_u64().unwrap_or(30);
        let (found, not_found) = split_known(&ids, &self.videos);
        let data: Map<String, Value> = found
            .into_iter()
            .map(|v| (str_of(v, "id").to_owned(), window_metrics(v, days)))
            .collect();
        meta.insert("not_found".into(), json!(not_found));
        Ok(json_response(200, &json!({"data": data, "meta": meta})))
    }

    fn account_metrics(&self, req: &Request) -> Reply {
        let (ids, mut meta, _) = self.batch_input(req, "account_ids", true)?;
        let days = meta["days"].as_u64().unwrap_or(30);
        let (found, not_found) = split_known(&ids, &self.accounts);
        let data: Map<String, Value> = found
            .into_iter()
            .map(|a| {
                let mut m = window_metrics(a, days);
                m["followers"] = json!(num(a, "follower_count"));
                m["follower_change"] = json!(num(a, "follower_count") * days / 900);
                (str_of(a, "id").to_owned(), m)
            })
            .collect();
        meta.insert("not_found".into(), json!(not_found));
        Ok(json_response(200, &json!({"data": data, "meta": meta})))
    }

    fn video_deltas(&self, req: &Request) -> Reply {
        let (ids, _, windows) = self.batch_input(req, "video_ids", false)?;
        let (found, not_found) = split_known(&ids, &self.videos);
        let windows: Vec<u64> = windows
            .as_array()
            .map(|w| w.iter().filter_map(Value::as_u64).collect())
            .unwrap_or_default();
        let count = found.len();
        let data: Map<String, Value> = found
            .into_iter()
            .map(|v| {
                let views = num(v, "view_count");
                let h = mix(fnv(str_of(v, "id")));
                let d: Map<String, Value> = windows
                    .iter()
                    .map(|w| {
                        let gained = views * w / 120 + h % (w * 50 + 1);
                        (format!("{w}d"), json!(gained))
                    })
                    .collect();
                (str_of(v, "id").to_owned(), Value::Object(d))
            })
            .collect();
        Ok(json_response(
            200,
            &json!({"data": data,
                    "meta": {"windows": windows, "video_count": count, "not_found": not_found}}),
        ))
    }

    fn account_video_metrics(&self, req: &Request) -> Reply {
        let body = self.json_body(req)?;
        let mut v = Validator::default();
        let mut ids: Vec<(&str, u64)> = Vec::new();
        for (field, platform) in [
            ("instagram_post_ids", "instagram"),
            ("tiktok_video_ids", "tiktok"),
        ] {
            match body.get(field) {
                None | Some(Value::Null) => {}
                Some(Value::Array(a)) => {
                    for id in a {
                        match id.as_u64() {
                            Some(n) => ids.push((platform, n)),
                            None => v.error(field, "must be an array of integer ids"),
                        }
                    }
                }
                Some(_) => v.error(field, "must be an array of integer ids"),
            }
        }
        if ids.is_empty() {
            v.error(
                "instagram_post_ids",
                "at least one id is required (here or in tiktok_video_ids)",
            );
        }
        if ids.len() > MAX_BATCH {
            v.error("instagram_post_ids", "at most 200 ids in one request");
        }
        let (days, window) = v.window(&body);
        v.done(self)?;
        let mut data = Map::new();
        let mut not_found = Vec::new();
        for (platform, id) in ids {
            match self
                .account_videos
                .iter()
                .find(|x| x["id"] == id && x["platform"] == platform)
            {
                Some(x) => {
                    data.insert(id.to_string(), window_metrics(x, days));
                }
                None => not_found.push(id.to_string()),
            }
        }
        let mut meta = match window {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        meta.insert("days".into(), json!(days));
        meta.insert("not_found".into(), json!(not_found));
        Ok(json_response(200, &json!({"data": data, "meta": meta})))
    }
}

// ----------------------------------------------------------------------------------------
// Helpers

type Query = Vec<(String, String)>;

/// A batch body read: the ids, the window's meta members, the deltas windows.
type BatchInput = (Vec<String>, Map<String, Value>, Value);

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
        [_, "metrics"] | ["videos", "deltas"] => "POST",
        ["accounts", _] => "GET",
        ["creators", "top"] => "GET",
        ["creators", _] => "GET, PATCH, DELETE",
        ["creators", _, "analytics"] => "GET",
        ["creators", _, "accounts", _] => "PUT, DELETE",
        _ => return None,
    })
}

fn echo<T: serde::Serialize>(f: &mut Map<String, Value>, name: &str, value: Option<T>) {
    if let Some(v) = value {
        f.insert(name.into(), json!(v));
    }
}

/// Sorts by `field`, nulls last in either direction; ties keep insertion order.
fn sort(items: &mut [&Record], field: &str, desc: bool) {
    items.sort_by(|a, b| {
        let (x, y) = (&a[field], &b[field]);
        match (x.is_null(), y.is_null()) {
            (true, true) => std::cmp::Ordering::Equal,
            (true, false) => std::cmp::Ordering::Greater,
            (false, true) => std::cmp::Ordering::Less,
            (false, false) => {
                let o = match (x.as_f64(), y.as_f64()) {
                    (Some(m), Some(n)) => m.total_cmp(&n),
                    _ => {
                        let (m, n) = (x.as_str().unwrap_or(""), y.as_str().unwrap_or(""));
                        m.to_lowercase().cmp(&n.to_lowercase())
                    }
                };
                if desc { o.reverse() } else { o }
            }
        }
    });
}

/// What a cursor is bound to: the route and every parameter but the paging ones.
fn fingerprint(route: &str, q: &Query) -> u64 {
    let mut pairs: Vec<String> = q
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "cursor" | "limit" | "include_total"))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    pairs.sort();
    fnv(&format!("{route}?{}", pairs.join("&")))
}

fn encode_cursor(offset: usize, fingerprint: u64) -> String {
    base64url::encode(format!("{{\"o\":{offset},\"f\":\"{fingerprint:016x}\"}}").as_bytes())
}

fn decode_cursor(cursor: &str) -> Option<(usize, u64)> {
    if cursor.len() > 512 {
        return None;
    }
    let bytes = base64url::decode(cursor)?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    let offset = usize::try_from(v.get("o")?.as_u64()?).ok()?;
    let fp = u64::from_str_radix(v.get("f")?.as_str()?, 16).ok()?;
    Some((offset, fp))
}

/// Percent-encodes a query component.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    crate::url::push_encoded(&mut out, text);
    out
}

/// Splits ids into the records that exist (in request order) and the ids that do not.
fn split_known<'a>(ids: &[String], records: &'a [Record]) -> (Vec<&'a Record>, Vec<String>) {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for id in ids {
        match records.iter().find(|r| r["id"] == id.as_str()) {
            Some(r) => found.push(r),
            None => missing.push(id.clone()),
        }
    }
    (found, missing)
}

/// Windowed metrics of a video-like record over `days`.
fn window_metrics(r: &Record, days: u64) -> Value {
    let scale = |field: &str| num(r, field) * days.min(365) / 120;
    let views = scale("view_count");
    let (likes, comments, shares) = (
        scale("like_count"),
        scale("comment_count"),
        scale("share_count"),
    );
    let plays = if r["platform"] == "tiktok" {
        views
    } else {
        scale("play_count")
    };
    json!({"views": views, "plays": plays, "likes": likes, "comments": comments,
           "shares": shares, "engagement": likes + comments + shares})
}

/// The filters and the sort the listings share, read and validated once, and echoed in the
/// page's `filters`.
struct Filters {
    platform: Option<String>,
    text: Option<String>,
    account: Option<String>,
    active: Option<bool>,
    order: String,
    desc: bool,
}

impl Filters {
    /// Reads `is_active`, the sort (`(allowed, default key, default descending)`), and those of
    /// `platform`, `q` and `account_id` that `names` lists.
    fn read(
        p: &mut Params<'_>,
        f: &mut Map<String, Value>,
        names: &[&str],
        (orders, default, default_desc): (&[&str], &str, bool),
    ) -> Filters {
        let takes = |name: &str| names.contains(&name);
        let platform = if takes("platform") {
            p.platform()
        } else {
            None
        };
        let text = p.get("q").filter(|_| takes("q"));
        let account = p.get("account_id").filter(|_| takes("account_id"));
        let active = p.bool("is_active");
        let (order, desc) = p.order(orders, default, default_desc);
        echo(f, "platform", platform.as_ref());
        echo(f, "q", text);
        echo(f, "account_id", account);
        echo(f, "is_active", active.as_ref());
        Filters {
            platform,
            text: text.map(str::to_lowercase),
            account: account.map(str::to_owned),
            active,
            order,
            desc,
        }
    }

    /// Whether `r` passes the filters; `q` matches any of `text_fields`.
    fn keep(&self, r: &Record, text_fields: &[&str]) -> bool {
        self.platform.as_deref().is_none_or(|x| r["platform"] == x)
            && self.active.is_none_or(|x| r["is_active"] == x)
            && self.account.as_deref().is_none_or(|x| r["account_id"] == x)
            && self.text.as_deref().is_none_or(|t| {
                text_fields
                    .iter()
                    .any(|field| str_of(r, field).to_lowercase().contains(t))
            })
    }

    /// Sorts `items` and echoes the sort used.
    fn sort(&self, items: &mut [&Record], f: &mut Map<String, Value>) {
        sort(items, &self.order, self.desc);
        f.insert("order_by".into(), json!(self.order));
        let direction = if self.desc { "desc" } else { "asc" };
        f.insert("order_direction".into(), json!(direction));
    }
}

/// Query parameters being validated; errors accumulate into one 422.
struct Params<'a> {
    q: &'a Query,
    errors: Vec<(String, String)>,
}

impl<'a> Params<'a> {
    fn new(q: &'a Query) -> Self {
        Params {
            q,
            errors: Vec::new(),
        }
    }

    fn get(&self, name: &str) -> Option<&'a str> {
        self.q
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn error(&mut self, field: &str, message: &str) {
        self.errors.push((field.into(), message.into()));
    }

    fn platform(&mut self) -> Option<String> {
        let v = self.get("platform")?;
        if v == "tiktok" || v == "instagram" {
            Some(v.to_owned())
        } else {
            self.error("platform", "must be one of: instagram, tiktok");
            None
        }
    }

    fn bool(&mut self, name: &str) -> Option<bool> {
        match self.get(name)? {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                self.error(name, "must be true or false");
                None
            }
        }
    }

    fn limit(&mut self, max: u32, default: u32) -> u32 {
        match self.get("limit").map(str::parse::<u32>) {
            None => default,
            Some(Ok(n)) if (1..=max).contains(&n) => n,
            Some(_) => {
                self.error("limit", &format!("must be an integer from 1 to {max}"));
                default
            }
        }
    }

    /// `7d`, `30d`, `90d` (and `custom` when allowed) as days.
    fn period(&mut self, name: &str, custom: bool) -> Option<u64> {
        match self.get(name)? {
            "7d" => Some(7),
            "30d" => Some(30),
            "90d" => Some(90),
            _ => {
                let allowed = if custom {
                    "must be one of: 7d, 30d, 90d, custom"
                } else {
                    "must be one of: 7d, 30d, 90d"
                };
                self.error(name, allowed);
                None
            }
        }
    }

    fn date(&mut self, name: &str, required: bool) -> Option<u64> {
        match self.get(name) {
            None if required => {
                self.error(name, "is required (YYYY-MM-DD)");
                None
            }
            None => None,
            Some(v) => {
                let d = data::parse_date(v);
                if d.is_none() {
                    self.error(name, "must be a date (YYYY-MM-DD)");
                }
                d
            }
        }
    }

    /// `order_by`/`order_direction` (or the legacy `sort`), validated: (field, descending).
    fn order(&mut self, allowed: &[&str], default: &str, default_desc: bool) -> (String, bool) {
        let by = self.get("order_by");
        let legacy = self.get("sort");
        let (field, legacy_desc) = match (by, legacy) {
            (Some(f), _) => (f, None),
            (None, Some(s)) => match s.strip_prefix('-') {
                Some(f) => (f, Some(true)),
                None => (s, Some(false)),
            },
            (None, None) => (default, None),
        };
        let field = if allowed.contains(&field) {
            field
        } else {
            let name = if by.is_some() { "order_by" } else { "sort" };
            self.error(name, &format!("must be one of: {}", allowed.join(", ")));
            default
        };
        let desc = match self.get("order_direction") {
            Some("asc") => false,
            Some("desc") => true,
            Some(_) => {
                self.error("order_direction", "must be one of: asc, desc");
                default_desc
            }
            None => legacy_desc.unwrap_or(if field == default {
                default_desc
            } else {
                field != "name"
            }),
        };
        (field.to_owned(), desc)
    }

    fn done(&mut self, st: &State) -> Result<(), Response> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(st.invalid(&std::mem::take(&mut self.errors)))
        }
    }
}

/// Body fields being validated; errors accumulate into one 422.
#[derive(Default)]
struct Validator {
    errors: Vec<(String, String)>,
}

impl Validator {
    fn error(&mut self, field: &str, message: &str) {
        self.errors.push((field.into(), message.into()));
    }

    /// The value of `field` when it is present and not null, as `read` takes it; what `read`
    /// refuses is recorded with its message. `required`: a missing value is refused too.
    fn field<'b, T>(
        &mut self,
        body: &'b Map<String, Value>,
        field: &str,
        required: bool,
        read: impl FnOnce(&'b Value) -> Result<T, String>,
    ) -> Option<T> {
        let Some(value) = body.get(field).filter(|v| !v.is_null()) else {
            if required {
                self.error(field, "is required");
            }
            return None;
        };
        read(value).map_err(|m| self.error(field, &m)).ok()
    }

    fn platform(&mut self, body: &Map<String, Value>) -> Option<String> {
        self.field(body, "platform", true, |v| match v.as_str() {
            Some(p @ ("tiktok" | "instagram")) => Ok(p.to_owned()),
            _ => Err("must be one of: instagram, tiktok".into()),
        })
    }

    /// A string of at most `max` characters; `required`: present, and not blank once trimmed.
    fn text(
        &mut self,
        body: &Map<String, Value>,
        field: &str,
        required: bool,
        max: usize,
    ) -> Option<String> {
        self.field(body, field, required, |v| {
            let s = v.as_str().ok_or("must be a string")?;
            let s = if required { s.trim() } else { s };
            let n = s.chars().count();
            match (required, n == 0 || n > max) {
                (true, true) => Err(format!("must be 1 to {max} characters")),
                (false, _) if n > max => Err(format!("must be at most {max} characters")),
                _ => Ok(s.to_owned()),
            }
        })
    }

    /// `scrape_interval_hours`: 1 to 168 when present.
    fn interval(&mut self, body: &Map<String, Value>) -> Option<u64> {
        self.field(body, "scrape_interval_hours", false, |v| {
            v.as_u64()
                .filter(|n| (1..=168).contains(n))
                .ok_or_else(|| "must be an integer from 1 to 168".into())
        })
    }

    fn flag(&mut self, body: &Map<String, Value>, field: &str) -> Option<bool> {
        self.field(body, field, false, |v| {
            v.as_bool().ok_or_else(|| "must be true or false".into())
        })
    }

    /// A creator name: 1 to 255 characters, not blank.
    fn name(&mut self, body: &Map<String, Value>, required: bool) -> Option<String> {
        if !required && body.get("name").is_none_or(Value::is_null) {
            return None;
        }
        self.text(body, "name", true, 255)
    }

    /// `metadata`: an object of at most 20 keys, string values at most 255 characters.
    fn metadata(&mut self, body: &Map<String, Value>) -> Value {
        match body.get("metadata") {
            None | Some(Value::Null) => json!({}),
            Some(Value::Object(m)) => {
                if m.len() > 20 {
                    self.error("metadata", "must have at most 20 keys");
                }
                if m.values()
                    .any(|v| v.as_str().is_some_and(|s| s.chars().count() > 255))
                {
                    self.error("metadata", "values must be at most 255 characters");
                }
                Value::Object(m.clone())
            }
            Some(_) => {
                self.error("metadata", "must be an object");
                json!({})
            }
        }
    }

    /// 1 to 200 string ids (duplicates dropped, order kept).
    fn ids(&mut self, body: &Map<String, Value>, field: &str) -> Option<Vec<String>> {
        let Some(Value::Array(a)) = body.get(field) else {
            self.error(field, "is required: an array of ids");
            return None;
        };
        let mut seen = HashSet::new();
        let mut ids = Vec::new();
        for v in a {
            match v.as_str() {
                Some(s) if !s.is_empty() => {
                    if seen.insert(s) {
                        ids.push(s.to_owned());
                    }
                }
                _ => {
                    self.error(field, "must hold non-empty string ids");
                    return None;
                }
            }
        }
        if ids.is_empty() || ids.len() > MAX_BATCH {
            self.error(field, "must hold 1 to 200 ids");
            return None;
        }
        Some(ids)
    }

    /// `period` (default 30d) or `custom` with dates: (days, the meta members).
    fn window(&mut self, body: &Map<String, Value>) -> (u64, Value) {
        let period = match body.get("period") {
            None | Some(Value::Null) => "30d",
            Some(Value::String(p)) => p.as_str(),
            Some(_) => "?",
        };
        let date = |v: &mut Validator, field: &str| match body.get(field).and_then(Value::as_str) {
            Some(s) => {
                let d = data::parse_date(s);
                if d.is_none() {
                    v.error(field, "must be a date (YYYY-MM-DD)");
                }
                d
            }
            None => {
                v.error(field, "is required when period is custom");
                None
            }
        };
        let (start, end) = match period {
            "7d" => (TODAY - 6, TODAY),
            "30d" => (TODAY - 29, TODAY),
            "90d" => (TODAY - 89, TODAY),
            "custom" => match (date(self, "start_date"), date(self, "end_date")) {
                (Some(s), Some(e)) if s <= e => (s, e),
                (Some(_), Some(_)) => {
                    self.error("start_date", "must not be after end_date");
                    (TODAY, TODAY)
                }
                _ => (TODAY, TODAY),
            },
            _ => {
                self.error("period", "must be one of: 7d, 30d, 90d, custom");
                (TODAY, TODAY)
            }
        };
        let days = end - start + 1;
        (
            days,
            json!({"period": period, "start_date": data::date(start * 86_400),
                   "end_date": data::date(end * 86_400)}),
        )
    }

    /// `windows` of `/videos/deltas`: 1 to 10 distinct values of 1 to 365 (default 1, 7, 30).
    fn windows(&mut self, body: &Map<String, Value>) -> Value {
        let list = match body.get("windows") {
            None | Some(Value::Null) => return json!([1, 7, 30]),
            Some(Value::Array(a)) => a,
            Some(_) => {
                self.error("windows", "must be an array of days");
                return json!([]);
            }
        };
        let mut days: Vec<u64> = Vec::new();
        for v in list {
            match v.as_u64().filter(|d| (1..=365).contains(d)) {
                Some(d) if !days.contains(&d) => days.push(d),
                Some(_) => {}
                None => {
                    self.error("windows", "each window must be 1 to 365 days");
                    return json!([]);
                }
            }
        }
        if days.is_empty() || days.len() > 10 {
            self.error("windows", "must hold 1 to 10 windows");
        }
        json!(days)
    }

    fn done(self, st: &State) -> Result<(), Response> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(st.invalid(&self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        for offset in [0, 1, 199, 450, 123_456] {
            let c = encode_cursor(offset, 0xdead_beef_0123_4567);
            assert_eq!(
                decode_cursor(&c),
                Some((offset, 0xdead_beef_0123_4567)),
                "{c}"
            );
        }
        assert_eq!(decode_cursor("not a cursor"), None);
        assert_eq!(decode_cursor(""), None);
        assert_eq!(decode_cursor(&"A".repeat(10_000)), None);
    }

    #[test]
    fn the_fingerprint_ignores_paging_and_parameter_order() {
        let q = |s: &str| parse_query(s);
        assert_eq!(
            fingerprint("/accounts", &q("platform=tiktok&q=x&limit=5")),
            fingerprint(
                "/accounts",
                &q("q=x&cursor=abc&platform=tiktok&include_total=true")
            )
        );
        assert_ne!(
            fingerprint("/accounts", &q("platform=tiktok")),
            fingerprint("/accounts", &q("platform=instagram"))
        );
    }
}
