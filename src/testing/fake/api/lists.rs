//! The listings: filters, sorts and cursor pages (`GET /accounts`, `/videos`,
//! `/account-videos`, `/creators`).

use serde_json::{Map, Value, json};

use super::input::Params;
use super::{DEFAULT_LIMIT, MAX_LIMIT, Query, Reply, State, json_response, str_of};
use crate::base64url;
use crate::testing::fake::data::{Record, fnv};

impl State {
    /// Pages `items` (already filtered and sorted) by `limit`/`cursor`.
    ///
    /// A cursor names the last item of its page, as a keyset cursor does: the next page
    /// starts after that item wherever it now stands, so that a record created or deleted
    /// during a walk neither repeats an item nor skips one. When that item is gone, the page
    /// starts at the item that followed it, and when both are gone, at the old offset. (A
    /// record whose sort value changes during the walk moves, and may repeat or skip items.)
    pub(super) fn page(
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
                Some(Cursor {
                    offset,
                    after,
                    next,
                    fingerprint: fp,
                }) if fp == fingerprint => {
                    // One pass: after `after` wherever it stands, else at `next`, else at the
                    // old offset.
                    let mut at_next = None;
                    let found = items.iter().enumerate().find_map(|(i, item)| {
                        if item["id"] == after {
                            return Some(i + 1);
                        }
                        if at_next.is_none() && item["id"] == next {
                            at_next = Some(i);
                        }
                        None
                    });
                    found.or(at_next).unwrap_or(offset)
                }
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
        // `limit` is at least 1: a page before the end has a last item.
        let next = (end < total)
            .then(|| encode_cursor(end, &items[end - 1]["id"], &items[end]["id"], fingerprint));
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

    pub(super) fn list_accounts(&mut self, q: &Query) -> Reply {
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

    pub(super) fn list_videos(&self, q: &Query) -> Reply {
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

    pub(super) fn list_account_videos(&self, q: &Query) -> Reply {
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
    pub(super) fn list_records(
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

    pub(super) fn list_creators(&self, q: &Query) -> Reply {
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
}

pub(super) fn echo<T: serde::Serialize>(f: &mut Map<String, Value>, name: &str, value: Option<T>) {
    if let Some(v) = value {
        f.insert(name.into(), json!(v));
    }
}

/// Sorts by `field`, nulls last in either direction; ties keep insertion order.
pub(super) fn sort(items: &mut [&Record], field: &str, desc: bool) {
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
pub(super) fn fingerprint(route: &str, q: &Query) -> u64 {
    let mut pairs: Vec<String> = q
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "cursor" | "limit" | "include_total"))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    pairs.sort();
    fnv(&format!("{route}?{}", pairs.join("&")))
}

/// What a fake cursor says: the page after the item `after` (the last one handed out, which
/// stood at `offset - 1`; `next` followed it) of the listing `fingerprint` names.
#[derive(Debug, PartialEq)]
pub(super) struct Cursor {
    offset: usize,
    after: Value,
    next: Value,
    fingerprint: u64,
}

pub(super) fn encode_cursor(
    offset: usize,
    after: &Value,
    next: &Value,
    fingerprint: u64,
) -> String {
    let json = json!({"o": offset, "a": after, "n": next, "f": format!("{fingerprint:016x}")});
    base64url::encode(json.to_string().as_bytes())
}

pub(super) fn decode_cursor(cursor: &str) -> Option<Cursor> {
    if cursor.len() > 512 {
        return None;
    }
    let bytes = base64url::decode(cursor)?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    Some(Cursor {
        offset: usize::try_from(v.get("o")?.as_u64()?).ok()?,
        after: v.get("a")?.clone(),
        next: v.get("n")?.clone(),
        fingerprint: u64::from_str_radix(v.get("f")?.as_str()?, 16).ok()?,
    })
}

/// Percent-encodes a query component.
pub(super) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    crate::url::push_encoded(&mut out, text);
    out
}

/// The filters and the sort the listings share, read and validated once, and echoed in the
/// page's `filters`.
pub(super) struct Filters {
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
    pub(super) fn read(
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
    pub(super) fn keep(&self, r: &Record, text_fields: &[&str]) -> bool {
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
    pub(super) fn sort(&self, items: &mut [&Record], f: &mut Map<String, Value>) {
        sort(items, &self.order, self.desc);
        f.insert("order_by".into(), json!(self.order));
        let direction = if self.desc { "desc" } else { "asc" };
        f.insert("order_direction".into(), json!(direction));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn cursors_round_trip_and_reject_junk() {
        for (offset, after, next) in [
            (1, json!("a1"), json!("a2")),
            (450, json!(100_450), json!(100_451)),
            (123_456, json!(""), json!("")),
        ] {
            let c = encode_cursor(offset, &after, &next, 0xdead_beef_0123_4567);
            assert_eq!(
                decode_cursor(&c),
                Some(Cursor {
                    offset,
                    after,
                    next,
                    fingerprint: 0xdead_beef_0123_4567
                }),
                "{c}"
            );
        }
        assert_eq!(decode_cursor("not a cursor"), None);
        assert_eq!(decode_cursor(""), None);
        assert_eq!(decode_cursor(&"A".repeat(10_000)), None);
    }

    #[test]
    pub(super) fn the_fingerprint_ignores_paging_and_parameter_order() {
        let q = |s: &str| crate::url::parse_query(s);
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
