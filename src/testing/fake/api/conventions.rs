//! The API's conventions, as the fake applies them to every request: problem documents,
//! authentication, the rate limit, `Accept`, ETags, JSON bodies, idempotency keys, injected
//! faults.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use super::{Reply, State, Window};
use crate::ErrorCode;
use crate::testing::fake::data::fnv;
use crate::testing::fake::http::{Request, Response, reason};

impl State {
    /// A problem document for this request.
    pub(super) fn problem(&self, status: u16, code: &str, detail: &str) -> Response {
        problem_response(status, &self.problem_body(status, code, detail))
    }

    /// The problem document for this request, as JSON.
    fn problem_body(&self, status: u16, code: &str, detail: &str) -> Value {
        let kebab = code.to_ascii_lowercase().replace('_', "-");
        json!({
            "type": format!("urn:creatoraudit:error:{kebab}"),
            "title": reason(status),
            "status": status,
            "detail": detail,
            "code": code,
            "instance": self.current.1,
            "request_id": self.current.0,
        })
    }

    pub(super) fn not_found(&self, what: &str) -> Response {
        self.problem(404, "NOT_FOUND", &format!("{what} not found."))
    }

    pub(super) fn no_route(&self, method: &str, path: &str) -> Response {
        self.problem(404, "NOT_FOUND", &format!("no route for {method} {path}"))
    }

    /// `422 VALIDATION_ERROR` with field errors; the detail names them too, bounds included
    /// ("Going over a bound gives 422 VALIDATION_ERROR, with the bound in `detail`").
    pub(super) fn invalid(&self, errors: &[(String, String)]) -> Response {
        let named: Vec<String> = errors.iter().map(|(f, m)| format!("{f}: {m}")).collect();
        let detail = match named.as_slice() {
            [] => "Request failed validation.".to_owned(),
            _ => format!("Request failed validation: {}.", named.join("; ")),
        };
        let mut body = self.problem_body(422, "VALIDATION_ERROR", &detail);
        body["errors"] = errors
            .iter()
            .map(|(field, message)| json!({"field": field, "message": message}))
            .collect();
        problem_response(422, &body)
    }

    pub(super) fn inject_fault(&mut self, method: &str, path: &str) -> Result<(), Response> {
        let path = if path.is_empty() { "/" } else { path };
        let Some(i) = self.faults.iter().position(|f| {
            f.method.eq_ignore_ascii_case(method) && (f.path == path || f.path == "*")
        }) else {
            return Ok(());
        };
        let fault = &mut self.faults[i];
        if fault.after > 0 {
            fault.after -= 1;
            return Ok(());
        }
        fault.times -= 1;
        let (status, retry_after) = (fault.status, fault.retry_after);
        let code = fault
            .code
            .clone()
            .unwrap_or_else(|| ErrorCode::from_status(status));
        if fault.times == 0 {
            drop(self.faults.remove(i)); // served its last time
        }
        let mut r = self.problem(status, code.as_str(), "Injected fault (FakeApi).");
        if let Some(secs) = retry_after {
            r.set_header("retry-after", secs.to_string());
        }
        Err(r)
    }

    pub(super) fn authenticate(&self, req: &Request) -> Result<(), Response> {
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

    /// A client waited `wait` (which took no time): when that wait reaches the end of the
    /// current rate-limit window, the window is over, and the next request starts a new one.
    pub(in crate::testing::fake) fn elapse(&mut self, wait: Duration) {
        let wait = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        if now_millis().saturating_add(wait) >= self.window.end {
            self.window = Window::default();
        }
    }

    /// Counts the request in the current rate-limit window; the headers to send, or a 429.
    ///
    /// The reset is the window's end, which stays the same for the whole window; no wait for
    /// it is longer than 59 s (under a client's default cap of 60 s, margin included), and
    /// `Retry-After` is the rest of the window.
    pub(super) fn rate_limit_tick(&mut self) -> Result<Vec<(&'static str, String)>, Response> {
        let now = now_millis();
        // Also when the clock stepped back: no window is ever more than a minute away.
        if now >= self.window.end || self.window.end - now > 60_000 {
            // A second before this one, a minute long.
            let start = (now / 1000).saturating_sub(1).saturating_mul(1000);
            self.window = Window {
                end: start.saturating_add(60_000),
                used: 0,
            };
        }
        let end = self.window.end;
        let reset = end / 1000;
        let used = self.window.used;
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
            r.set_header("retry-after", (end - now).div_ceil(1000).max(1).to_string());
            return Err(r);
        }
        self.window.used += 1;
        Ok(headers(self.rate_limit - used - 1))
    }

    /// 406 when the `Accept` header rules JSON out.
    pub(super) fn acceptable(&self, req: &Request) -> Result<(), Response> {
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
    pub(super) fn etagged(&self, req: &Request, mut r: Response) -> Reply {
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
    pub(super) fn json_body(&self, req: &Request) -> Result<Map<String, Value>, Response> {
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
    pub(super) fn idempotent(
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

    pub(super) fn tick(&mut self) -> u64 {
        self.clock += 60;
        self.clock
    }

    pub(super) fn location(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

/// The wall clock, in Unix milliseconds.
fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// A problem document as the answer.
fn problem_response(status: u16, body: &Value) -> Response {
    let mut r = Response::new(status).header("content-type", "application/problem+json");
    r.body = body.to_string().into_bytes();
    r
}
