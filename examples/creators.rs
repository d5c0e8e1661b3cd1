//! Creators and account linking, end to end.
//!
//! ```text
//! cargo run --example creators
//! ```
//!
//! Without `CREATORAUDIT_API_KEY` it starts a local mock of the API (no key, no network) and
//! walks through the creators endpoints: create a creator, link accounts to it (a new link,
//! a re-link, a conflict), read it with and without an ETag, merge one tag into its
//! metadata, list creators page by page, read the leaderboard and a creator's analytics,
//! unlink and delete, and two inputs refused before any request.
//!
//! With `CREATORAUDIT_API_KEY` set (and `CREATORAUDIT_BASE_URL`, if you use one) it runs only
//! the read-only calls against the real API: list, get, leaderboard and analytics. Nothing is
//! written to your organization.

use std::time::{SystemTime, UNIX_EPOCH};

use creatoraudit::{
    Client, Conditional, CreatorOrder, Date, DateRange, Error, ErrorCode, ListCreators, NewCreator,
    OrderDirection, Period, TopCreatorsParams, UpdateCreator,
};
use mockito::{Matcher, ServerGuard};
use serde_json::{Value, json};

type Fallible<T = ()> = Result<T, Box<dyn std::error::Error>>;

fn main() -> Fallible {
    let live = std::env::var_os(creatoraudit::API_KEY_ENV).is_some_and(|k| !k.is_empty());
    if live {
        println!("CREATORAUDIT_API_KEY is set: read-only calls against the real API.\n");
        let client = Client::from_env()?;
        let today = today_utc()?;
        let first = list_creators(&client)?;
        let Some(id) = first else {
            println!("No creators in this organization yet: nothing more to read.");
            return Ok(());
        };
        read_creator(&client, &id)?;
        leaderboard(&client)?;
        analytics(&client, &id, days_before(today, 29)?, today)?;
        println!("\nDone. Unset CREATORAUDIT_API_KEY to see the writes against a local mock.");
    } else {
        println!("CREATORAUDIT_API_KEY is not set: running against a local mock of the API.\n");
        let server = mock::start();
        let client = Client::builder()
            .api_key("ca_test_creators_example")
            .base_url(format!("{}/v2", server.url()))
            .build()?;
        let id = create_and_link(&client)?;
        read_creator(&client, &id)?;
        merge_metadata(&client, &id)?;
        list_creators(&client)?;
        leaderboard(&client)?;
        analytics(
            &client,
            &id,
            Date::new(2026, 5, 16)?,
            Date::new(2026, 6, 15)?,
        )?;
        clean_up(&client, &id)?;
        refused_before_sending(&client);
        println!(
            "\nDone. Set CREATORAUDIT_API_KEY to run the read-only part against the real API."
        );
    }
    Ok(())
}

/// Creates a creator and links accounts to it. Returns its id.
fn create_and_link(client: &Client) -> Fallible<String> {
    let creators = client.creators();

    println!("-> Create a creator.   POST /creators");
    let created = creators.create_with_meta(
        &NewCreator::new("Khaby Lame").metadata([("team", "growth"), ("region", "EU")]),
    )?;
    println!(
        "   created {} as {} (HTTP {}, Idempotency-Key {})",
        created.value.name,
        created.value.id,
        created.meta.status.unwrap_or_default(),
        created.meta.idempotency_key.as_deref().unwrap_or("-")
    );
    let id = created.into_inner().id;

    println!("\n-> Link accounts.   PUT /creators/{{id}}/accounts/{{account_id}}");
    for account in [mock::TIKTOK_ACCOUNT, mock::TIKTOK_ACCOUNT] {
        let link = creators.link_account(&id, account)?;
        let what = if link.is_new() {
            "linked (201 Created)"
        } else {
            "already linked to this creator (200 OK): nothing changed"
        };
        println!("   {account}: {what}; link record {}", link.record);
    }
    match creators.link_account(&id, mock::OTHER_CREATORS_ACCOUNT) {
        Err(Error::Api(p)) if p.code == ErrorCode::Conflict => println!(
            "   {}: {} {} ({}): unlink it from its creator first",
            mock::OTHER_CREATORS_ACCOUNT,
            p.status,
            p.code.as_str(),
            p.detail
        ),
        Err(e) => return Err(e.into()),
        Ok(link) => println!(
            "   {}: linked ({:?})",
            mock::OTHER_CREATORS_ACCOUNT,
            link.record
        ),
    }
    Ok(id)
}

/// Reads one creator, then reads it again only if it changed.
fn read_creator(client: &Client, id: &str) -> Fallible {
    println!("\n-> Read a creator.   GET /creators/{id}");
    let creator = client.creators().get_with_meta(id)?;
    let summary = creator.value.accounts_summary.clone().unwrap_or_default();
    println!(
        "   {:?}: active {:?}, {} linked accounts ({}), {} followers, tags {}",
        creator.value.name,
        creator.value.is_active,
        summary.total.map_or("?".into(), |n| n.to_string()),
        Value::Object(summary.platforms.clone()),
        summary
            .total_followers
            .map_or("?".into(), |n| n.to_string()),
        Value::Object(creator.value.metadata.clone()),
    );
    let Some(etag) = creator.meta.etag.clone() else {
        println!("   (no ETag: skipping the conditional read)");
        return Ok(());
    };
    match client.creators().get_if_none_match(id, &etag)? {
        Conditional::NotModified { .. } => {
            println!("   again with If-None-Match {etag}: 304, the copy we hold is current")
        }
        Conditional::Modified { value, .. } => {
            println!(
                "   again with If-None-Match {etag}: changed, now {:?}",
                value.name
            )
        }
    }
    Ok(())
}

/// Adds one tag without losing the others: PATCH replaces the whole metadata object.
fn merge_metadata(client: &Client, id: &str) -> Fallible {
    println!(
        "\n-> Add one tag.   GET then PATCH /creators/{id} (metadata is replaced, not merged)"
    );
    let creators = client.creators();
    let mut tags = creators.get(id)?.metadata;
    tags.insert("tier".into(), "A".into());
    let updated = creators.update(id, &UpdateCreator::new().metadata(tags))?;
    println!("   tags now {}", Value::Object(updated.metadata));
    Ok(())
}

/// Lists active creators, page by page. Returns the first one's id.
fn list_creators(client: &Client) -> Fallible<Option<String>> {
    println!(
        "\n-> Active creators by name, 2 per page.   GET /creators?is_active=true&order_by=name&order_direction=asc&limit=2"
    );
    let params = ListCreators::new()
        .is_active(true)
        .order_by(CreatorOrder::Name)
        .order_direction(OrderDirection::Asc)
        .limit(2);
    let mut first = None;
    let mut n = 0;
    for page in client.creators().list(params).max_items(10).pages() {
        let page = page?;
        println!(
            "   page of {} (has_next: {}, next_cursor: {:?})",
            page.items.len(),
            page.has_next,
            page.next_cursor
        );
        for creator in &page.items {
            n += 1;
            first.get_or_insert_with(|| creator.id.clone());
            let accounts = creator.accounts_summary.as_ref().and_then(|s| s.total);
            println!(
                "     {n}. {:<20} {} (accounts: {})",
                creator.name,
                creator.id,
                accounts.map_or("?".into(), |a| a.to_string())
            );
        }
    }
    Ok(first)
}

/// The leaderboard. Its entries' fields are not documented, so they are printed whole.
fn leaderboard(client: &Client) -> Fallible {
    println!("\n-> Top creators over 30 days.   GET /creators/top?period=30d&limit=5");
    let top = client
        .creators()
        .top(TopCreatorsParams::new().period(Period::Last30Days).limit(5))?;
    if top.is_empty() {
        println!("   (no entries)");
    }
    for (rank, entry) in top.iter().enumerate() {
        println!(
            "   {}. {} {}",
            rank + 1,
            entry.name.as_deref().unwrap_or("(no name)"),
            entry.raw
        );
    }
    Ok(())
}

/// One creator's analytics. Their shape is not documented, so they are printed as JSON.
fn analytics(client: &Client, id: &str, start: Date, end: Date) -> Fallible {
    println!(
        "\n-> Analytics from {start} to {end}.   GET /creators/{id}/analytics?start_date={start}&end_date={end}"
    );
    let a = client
        .creators()
        .analytics(id, DateRange::new(start, end)?)?;
    println!(
        "   {}",
        serde_json::to_string_pretty(&a.data)?.replace('\n', "\n   ")
    );
    if let Some(views) = a.number("views") {
        println!("   (\"views\" read as a number: {views})");
    }
    Ok(())
}

/// Unlinks the account and deletes the creator.
fn clean_up(client: &Client, id: &str) -> Fallible {
    println!(
        "\n-> Clean up.   DELETE /creators/{id}/accounts/{{account_id}}, DELETE /creators/{id}"
    );
    client.creators().unlink_account(id, mock::TIKTOK_ACCOUNT)?;
    println!("   unlinked {}", mock::TIKTOK_ACCOUNT);
    client.creators().delete(id)?;
    println!("   deleted {id}");
    Ok(())
}

/// Inputs the SDK refuses without sending anything.
fn refused_before_sending(client: &Client) {
    println!("\n-> Refused before any request:");
    if let Err(e) = client.creators().create(&NewCreator::new("  ")) {
        println!("   create with a blank name: {e}");
    }
    if let Err(e) = client.creators().update("any-id", &UpdateCreator::new()) {
        println!("   update with nothing set:  {e}");
    }
    let range = DateRange::new(
        Date::new(2026, 6, 15).expect("a valid date"),
        Date::new(2026, 6, 1).expect("a valid date"),
    );
    if let Err(e) = client
        .creators()
        .analytics("any-id", range.expect("REASON"))
    {
        println!("   analytics, start > end:   {e}");
    }
}

/// Today's date in UTC, from the system clock.
fn today_utc() -> Fallible<Date> {
    let days = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() / 86_400;
    date_from_days(days as i64)
}

/// The date `n` days before `date`.
fn days_before(date: Date, n: i64) -> Fallible<Date> {
    date_from_days(days_from_date(date) - n)
}

/// Days since 1970-01-01 to a date (H. Hinnant's `days_from_civil`).
fn days_from_date(d: Date) -> i64 {
    let (m, day) = (i64::from(d.month()), i64::from(d.day()));
    let y = i64::from(d.year()) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` days after 1970-01-01 (H. Hinnant's `civil_from_days`).
fn date_from_days(days: i64) -> Fallible<Date> {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Ok(Date::new(
        u16::try_from(year)?,
        u8::try_from(month)?,
        u8::try_from(day)?,
    )?)
}

/// A local mock of the creators endpoints, primed with answers shaped like the API's.
mod mock {
    use super::*;

    pub const CREATOR: &str = "9b2e4c1a-7f3d-4e8a-b6c5-1d2e3f4a5b6c";
    pub const TIKTOK_ACCOUNT: &str = "4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
    pub const OTHER_CREATORS_ACCOUNT: &str = "7d3e9a10-2b4c-4d5e-8f60-718293a4b5c6";
    const ETAG: &str = "\"c-3f9a\"";

    fn creator(metadata: Value, linked: u64) -> Value {
        json!({
            "id": CREATOR, "type": "creator", "name": "Khaby Lame", "is_active": true,
            "metadata": metadata,
            "accounts_summary": {"total": linked, "platforms": {"tiktok": linked},
                                 "total_followers": 162_400_000 * linked}
        })
    }

    pub fn start() -> ServerGuard {
        let mut s = mockito::Server::new();
        let creator_path = format!("/v2/creators/{CREATOR}");
        let link_path = format!("{creator_path}/accounts/{TIKTOK_ACCOUNT}");
        let json_reply = |m: mockito::Mock, status: usize, body: Value| {
            m.with_status(status)
                .with_header("content-type", "application/json")
                .with_header("x-request-id", "req_example")
                .with_body(body.to_string())
                .create()
        };

        json_reply(
            s.mock("POST", "/v2/creators"),
            201,
            json!({"data": creator(json!({"team": "growth", "region": "EU"}), 0)}),
        );
        // The first link creates it; the same link again is an idempotent 200.
        json_reply(
            s.mock("PUT", link_path.as_str()).expect(1),
            201,
            json!({"data": {"creator_id": CREATOR, "account_id": TIKTOK_ACCOUNT,
                            "linked_at": "2026-06-15T10:00:00Z"}}),
        );
        json_reply(
            s.mock("PUT", link_path.as_str()),
            200,
            json!({"data": {"creator_id": CREATOR, "account_id": TIKTOK_ACCOUNT,
                            "linked_at": "2026-06-15T10:00:00Z"}}),
        );
        s.mock(
            "PUT",
            format!("{creator_path}/accounts/{OTHER_CREATORS_ACCOUNT}").as_str(),
        )
        .with_status(409)
        .with_header("content-type", "application/problem+json")
        .with_body(
            json!({"type": "urn:creatoraudit:error:conflict", "title": "Conflict", "status": 409,
                   "detail": "Account is already linked to another creator.", "code": "CONFLICT",
                   "instance": format!("{creator_path}/accounts/{OTHER_CREATORS_ACCOUNT}"),
                   "request_id": "req_conflict"})
            .to_string(),
        )
        .create();

        let current = creator(json!({"team": "growth", "region": "EU"}), 1);
        json_reply(
            s.mock("GET", creator_path.as_str())
                .match_header("if-none-match", Matcher::Missing)
                .with_header("etag", ETAG),
            200,
            json!({"data": current}),
        );
        s.mock("GET", creator_path.as_str())
            .match_header("if-none-match", ETAG)
            .with_status(304)
            .with_header("etag", ETAG)
            .create();
        // PATCH answers with the metadata it was sent: it replaces the stored object.
        s.mock("PATCH", creator_path.as_str())
            .with_header("content-type", "application/json")
            .with_body_from_request(|req| {
                let sent: Value =
                    serde_json::from_slice(req.body().unwrap_or(&Vec::new())).unwrap_or_default();
                let mut updated = creator(json!({}), 1);
                if let Some(tags) = sent.get("metadata") {
                    updated["metadata"] = tags.clone();
                }
                json!({"data": updated}).to_string().into_bytes()
            })
            .create();

        let roster: Vec<Value> = [
            ("0c5d", "Ada Lovelace", 3),
            ("1e7f", "Bo Burnham", 1),
            (CREATOR, "Khaby Lame", 1),
            ("5a9b", "Zoe Sugg", 2),
        ]
        .into_iter()
        .map(|(id, name, linked)| {
            json!({"id": id, "type": "creator", "name": name, "is_active": true, "metadata": {},
                   "accounts_summary": {"total": linked, "platforms": {"instagram": linked},
                                        "total_followers": 1_000_000 * linked}})
        })
        .collect();
        for (cursor, items, next) in [
            (None, &roster[..2], Some("eyJhZnRlciI6IkJvIn0")),
            (Some("eyJhZnRlciI6IkJvIn0"), &roster[2..], None),
        ] {
            let query = match cursor {
                None => "is_active=true&order_by=name&order_direction=asc&limit=2".to_owned(),
                Some(c) => {
                    format!("is_active=true&order_by=name&order_direction=asc&limit=2&cursor={c}")
                }
            };
            json_reply(
                s.mock("GET", "/v2/creators")
                    .match_query(Matcher::Exact(query)),
                200,
                json!({"data": items, "filters": {"is_active": true, "order_by": "name"},
                       "pagination": {"next_cursor": next, "has_next": next.is_some(), "limit": 2}}),
            );
        }

        // The leaderboard's and the analytics' fields are not documented: these are examples.
        json_reply(
            s.mock("GET", "/v2/creators/top")
                .match_query(Matcher::Exact("period=30d&limit=5".into())),
            200,
            json!({"data": [
                {"id": CREATOR, "name": "Khaby Lame", "views": 48_200_000, "engagement_rate": 6.1},
                {"id": "0c5d", "name": "Ada Lovelace", "views": 12_900_000, "engagement_rate": 4.4},
                {"id": "5a9b", "name": "Zoe Sugg", "views": 3_100_000, "engagement_rate": 5.0}
            ]}),
        );
        json_reply(
            s.mock("GET", format!("{creator_path}/analytics").as_str())
                .match_query(Matcher::Any),
            200,
            json!({"data": {"views": 48_200_000, "likes": 2_600_000,
                            "comments": 41_000, "shares": 300_000, "followers": 162_400_000}}),
        );

        s.mock("DELETE", link_path.as_str())
            .with_status(204)
            .create();
        s.mock("DELETE", creator_path.as_str())
            .with_status(204)
            .create();
        s
    }
}
