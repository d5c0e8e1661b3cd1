//! Reading a request's input: query parameters ([`Params`]) and body fields ([`Validator`]),
//! each collecting its errors into one `422`.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::{MAX_BATCH, Query, State, TODAY};
use crate::testing::fake::data;
use crate::testing::fake::http::Response;

/// Query parameters being validated; errors accumulate into one 422.
pub(super) struct Params<'a> {
    q: &'a Query,
    errors: Vec<(String, String)>,
}

impl<'a> Params<'a> {
    pub(super) fn new(q: &'a Query) -> Self {
        Params {
            q,
            errors: Vec::new(),
        }
    }

    pub(super) fn get(&self, name: &str) -> Option<&'a str> {
        self.q
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(super) fn error(&mut self, field: &str, message: &str) {
        self.errors.push((field.into(), message.into()));
    }

    pub(super) fn platform(&mut self) -> Option<String> {
        let v = self.get("platform")?;
        if v == "tiktok" || v == "instagram" {
            Some(v.to_owned())
        } else {
            self.error("platform", "must be one of: instagram, tiktok");
            None
        }
    }

    pub(super) fn bool(&mut self, name: &str) -> Option<bool> {
        match self.get(name)? {
            "true" => Some(true),
            "false" => Some(false),
            _ => {
                self.error(name, "must be true or false");
                None
            }
        }
    }

    pub(super) fn limit(&mut self, max: u32, default: u32) -> u32 {
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
    pub(super) fn period(&mut self, name: &str, custom: bool) -> Option<u64> {
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

    pub(super) fn date(&mut self, name: &str, required: bool) -> Option<u64> {
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
    pub(super) fn order(
        &mut self,
        allowed: &[&str],
        default: &str,
        default_desc: bool,
    ) -> (String, bool) {
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

    pub(super) fn done(&mut self, st: &State) -> Result<(), Response> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(st.invalid(&std::mem::take(&mut self.errors)))
        }
    }
}

/// Body fields being validated; errors accumulate into one 422.
#[derive(Default)]
pub(super) struct Validator {
    errors: Vec<(String, String)>,
}

impl Validator {
    pub(super) fn error(&mut self, field: &str, message: &str) {
        self.errors.push((field.into(), message.into()));
    }

    /// The value of `field` when it is present and not null, as `read` takes it; what `read`
    /// refuses is recorded with its message. `required`: a missing value is refused too.
    pub(super) fn field<'b, T>(
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

    pub(super) fn platform(&mut self, body: &Map<String, Value>) -> Option<String> {
        self.field(body, "platform", true, |v| match v.as_str() {
            Some(p @ ("tiktok" | "instagram")) => Ok(p.to_owned()),
            _ => Err("must be one of: instagram, tiktok".into()),
        })
    }

    /// A string of at most `max` characters; `required`: present, and not blank once trimmed.
    pub(super) fn text(
        &mut self,
        body: &Map<String, Value>,
        field: &str,
        required: bool,
        max: usize,
    ) -> Option<String> {
        self.field(body, field, required, |v| {
            let s = v.as_str().ok_or("must be a string")?;
            // A required text must not be blank, and is kept trimmed; the bound is on the
            // text as sent.
            let n = s.chars().count();
            let s = if required { s.trim() } else { s };
            match (required, (required && s.is_empty()) || n > max) {
                (true, true) => Err(format!("must be 1 to {max} characters")),
                (false, true) => Err(format!("must be at most {max} characters")),
                _ => Ok(s.to_owned()),
            }
        })
    }

    /// `scrape_interval_hours`: 1 to 168 when present.
    pub(super) fn interval(&mut self, body: &Map<String, Value>) -> Option<u64> {
        self.field(body, "scrape_interval_hours", false, |v| {
            v.as_u64()
                .filter(|n| (1..=168).contains(n))
                .ok_or_else(|| "must be an integer from 1 to 168".into())
        })
    }

    pub(super) fn flag(&mut self, body: &Map<String, Value>, field: &str) -> Option<bool> {
        self.field(body, field, false, |v| {
            v.as_bool().ok_or_else(|| "must be true or false".into())
        })
    }

    /// A creator name: 1 to 255 characters, not blank.
    pub(super) fn name(&mut self, body: &Map<String, Value>, required: bool) -> Option<String> {
        if !required && body.get("name").is_none_or(Value::is_null) {
            return None;
        }
        self.text(body, "name", true, 255)
    }

    /// `metadata`: an object of at most 20 keys, string values at most 255 characters.
    pub(super) fn metadata(&mut self, body: &Map<String, Value>) -> Value {
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
    pub(super) fn ids(&mut self, body: &Map<String, Value>, field: &str) -> Option<Vec<String>> {
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
        // The bound is on the array as sent, repeats included.
        if ids.is_empty() || a.len() > MAX_BATCH {
            self.error(field, "must hold 1 to 200 ids");
            return None;
        }
        Some(ids)
    }

    /// `period` (default 30d) or `custom` with dates: (days, the meta members).
    pub(super) fn window(&mut self, body: &Map<String, Value>) -> (u64, Value) {
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
    pub(super) fn windows(&mut self, body: &Map<String, Value>) -> Value {
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

    pub(super) fn done(self, st: &State) -> Result<(), Response> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(st.invalid(&self.errors))
        }
    }
}
