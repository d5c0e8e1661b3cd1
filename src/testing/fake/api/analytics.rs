//! The read-only analytics: `/meta`, `/overview`, `/search`, the creators' leaderboard and
//! analytics, and the batch metrics and deltas.

use serde_json::{Map, Value, json};

use super::input::{Params, Validator};
use super::{MAX_BATCH, Query, Reply, State, data_response, json_response, num, round2, str_of};
use crate::testing::fake::data::{self, Record, fnv, mix};
use crate::testing::fake::http::{Request, Response};

impl State {
    pub(super) fn meta(&self) -> Response {
        let mut meta = crate::testing::fixtures::api_meta();
        meta["whoami_url"] = json!(format!("{}/whoami", self.base_url));
        data_response(200, meta)
    }

    pub(super) fn overview(&self, q: &Query) -> Reply {
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

    pub(super) fn search(&self, q: &Query) -> Reply {
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
                "meta": {"query": raw, "limit_per_section": limit,
                         "effective_caps": {"accounts": limit, "creators": limit, "videos": limit}}
            }),
        ))
    }

    // ------------------------------------------------------------------------------------
    // Creators

    pub(super) fn creator_views(&self, id: &Value) -> (u64, u64, u64) {
        let linked = self.accounts.iter().filter(|a| &a["creator_id"] == id);
        linked.fold((0, 0, 0), |(v, l, f), a| {
            (
                v + num(a, "view_count") / 365,
                l + num(a, "like_count") / 365,
                f + num(a, "follower_count"),
            )
        })
    }

    pub(super) fn top_creators(&self, q: &Query) -> Reply {
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

    pub(super) fn creator_analytics(&self, id: &str, q: &Query) -> Reply {
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
    pub(super) fn batch_input(
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

    pub(super) fn video_metrics(&self, req: &Request) -> Reply {
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

    pub(super) fn account_metrics(&self, req: &Request) -> Reply {
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

    pub(super) fn video_deltas(&self, req: &Request) -> Reply {
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

    pub(super) fn account_video_metrics(&self, req: &Request) -> Reply {
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

/// A batch body read: the ids, the window's meta members, the deltas windows.
pub(super) type BatchInput = (Vec<String>, Map<String, Value>, Value);

/// Splits ids into the records that exist (in request order) and the ids that do not.
pub(super) fn split_known<'a>(
    ids: &[String],
    records: &'a [Record],
) -> (Vec<&'a Record>, Vec<String>) {
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
pub(super) fn window_metrics(r: &Record, days: u64) -> Value {
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
