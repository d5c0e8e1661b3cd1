//! Creators and account linking, end to end.
//!
//! ```text
//! cargo run --example creators
//! ```
//!
//! Without `CREATORAUDIT_API_KEY` it starts the SDK's offline fake of the API
//! (`creatoraudit::testing::FakeApi`: no key, no network; it keeps what you write) and walks
//! through the creators endpoints: create a creator, link accounts to it (a new link,
//! a re-link, a conflict), read it with and without an ETag, merge one tag into its
//! metadata, list creators page by page, read the leaderboard and a creator's analytics,
//! unlink and delete, and two inputs refused before any request.
//!
//! With `CREATORAUDIT_API_KEY` set (and `CREATORAUDIT_BASE_URL`, if you use one) it runs only
//! the read-only calls against the real API: list, get, leaderboard and analytics. Nothing is
//! written to your organization.

use std::process::ExitCode;

use creatoraudit::testing::FakeApi;
use creatoraudit::{
    Client, Conditional, CreatorOrder, Date, DateRange, Error, ErrorCode, ListAccounts,
    ListCreators, NewCreator, OrderDirection, Period, Platform, TopCreatorsParams, UpdateCreator,
};
use serde_json::{Map, Value};

mod common;
use common::{Fallible, num_or_dash, or_dash, yes_no};

fn main() -> ExitCode {
    common::run(creators)
}

fn creators() -> Fallible {
    let live = common::live();
    if live {
        println!("CREATORAUDIT_API_KEY is set: read-only calls against the real API.\n");
        let client = Client::from_env()?;
        let today = Date::today();
        let first = list_creators(&client)?;
        let Some(id) = first else {
            println!("No active creators: nothing more to read.");
            return Ok(());
        };
        read_creator(&client, &id)?;
        leaderboard(&client)?;
        analytics(&client, &id, today.add_days(-29)?, today)?;
        println!("\nDone. Unset CREATORAUDIT_API_KEY to see the writes against the offline fake.");
    } else {
        println!("CREATORAUDIT_API_KEY is not set: running against the SDK's offline fake.\n");
        let fake = FakeApi::start();
        let client = fake.client();
        let accounts = pick_accounts(&client)?;
        let id = create_and_link(&client, &accounts)?;
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
        clean_up(&client, &id, &accounts.free)?;
        refused_before_sending(&client)?;
        println!(
            "\nDone. Set CREATORAUDIT_API_KEY to run the read-only part against the real API."
        );
    }
    Ok(())
}

/// Two tracked TikTok accounts: one linked to no creator, one linked to some creator.
struct Accounts {
    free: String,
    taken: String,
}

/// Finds the accounts to link in the organization's own listing.
fn pick_accounts(client: &Client) -> Fallible<Accounts> {
    println!("-> Pick two TikTok accounts.   GET /accounts?platform=tiktok");
    let (mut free, mut taken) = (None, None);
    for account in client
        .accounts()
        .list(ListAccounts::new().platform(Platform::TikTok))
    {
        let account = account?;
        match account.creator_id {
            None => free = free.or(Some(account.id)),
            Some(_) => taken = taken.or(Some(account.id)),
        }
        if free.is_some() && taken.is_some() {
            break;
        }
    }
    let (Some(free), Some(taken)) = (free, taken) else {
        return Err(
            "expected the offline fake to have both linked and unlinked TikTok accounts".into(),
        );
    };
    println!("   {free} (no creator), {taken} (linked to another creator)\n");
    Ok(Accounts { free, taken })
}

/// Creates a creator and links accounts to it. Returns its id.
fn create_and_link(client: &Client, accounts: &Accounts) -> Fallible<String> {
    let creators = client.creators();

    println!("-> Create a creator.   POST /creators");
    let created = creators.create_with_meta(
        &NewCreator::new("Khaby Lame").metadata([("team", "growth"), ("region", "EU")]),
    )?;
    println!(
        "   created {} as {} (HTTP {}, Idempotency-Key {})",
        created.value.name,
        created.value.id,
        or_dash(created.meta.status),
        created.meta.idempotency_key.as_deref().unwrap_or("-")
    );
    let id = created.into_inner().id;

    println!("\n-> Link accounts.   PUT /creators/{{id}}/accounts/{{account_id}}");
    for account in [&accounts.free, &accounts.free] {
        let link = creators.link_account(&id, account)?;
        let what = if link.is_new() {
            "linked (201 Created)"
        } else {
            "already linked to this creator (200 OK): nothing changed"
        };
        println!(
            "   {account}: {what}; linked at {}",
            field(&link.record, "linked_at")
        );
    }
    match creators.link_account(&id, &accounts.taken) {
        Err(Error::Api(p)) if p.code == ErrorCode::Conflict => println!(
            "   {}: {} {} ({}): unlink it from its creator first",
            accounts.taken,
            p.status,
            p.code.as_str(),
            p.detail
        ),
        Err(e) => return Err(e.into()),
        Ok(link) => println!(
            "   {}: linked at {}",
            accounts.taken,
            field(&link.record, "linked_at")
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
        "   {}: active {}, {} linked accounts ({}), {} followers, tags {}",
        creator.value.name,
        yes_no(creator.value.is_active),
        num_or_dash(summary.total),
        pairs(&summary.platforms, " "),
        num_or_dash(summary.total_followers),
        pairs(&creator.value.metadata, "="),
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
                "   again with If-None-Match {etag}: changed, now {}",
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
    println!("   tags now {}", pairs(&updated.metadata, "="));
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
    // At most 10 creators, page by page: the last page is cut there.
    for page in client.creators().list(params).max_items(10).pages() {
        let page = page?;
        println!(
            "   page of {} (next cursor: {})",
            page.items.len(),
            or_dash(page.next_cursor.as_deref())
        );
        for creator in &page.items {
            n += 1;
            first.get_or_insert_with(|| creator.id.clone());
            let accounts = creator.accounts_summary.as_ref().and_then(|s| s.total);
            println!(
                "     {n}. {:<20} {} (accounts: {})",
                creator.name,
                creator.id,
                num_or_dash(accounts)
            );
        }
    }
    Ok(first)
}

/// The leaderboard. Its entries' fields are not documented, so all of them are printed.
fn leaderboard(client: &Client) -> Fallible {
    println!("\n-> Top creators over 30 days.   GET /creators/top?period=30d&limit=5");
    let top = client
        .creators()
        .top(TopCreatorsParams::new().period(Period::Last30Days).limit(5))?;
    if top.is_empty() {
        println!("   (no entries)");
    }
    for (rank, entry) in top.iter().enumerate() {
        let rest = match &entry.raw {
            Value::Object(fields) => {
                let mut fields = fields.clone();
                fields.remove("name");
                pairs(&fields, " ")
            }
            other => shown(other),
        };
        println!(
            "   {}. {}: {rest}",
            rank + 1,
            entry.name.as_deref().unwrap_or("(no name)"),
        );
    }
    Ok(())
}

/// One creator's analytics. Their shape is not documented, so every field is printed.
fn analytics(client: &Client, id: &str, start: Date, end: Date) -> Fallible {
    println!(
        "\n-> Analytics from {start} to {end}.   GET /creators/{id}/analytics?start_date={start}&end_date={end}"
    );
    let a = client
        .creators()
        .analytics(id, DateRange::new(start, end)?)?;
    match &a.data {
        Value::Object(fields) => {
            for (name, value) in fields {
                println!("   {name:<12} {}", shown(value));
            }
        }
        other => println!("   {}", shown(other)),
    }
    if let Some(views) = a.number("views") {
        println!("   (views read as a number: {})", common::num(views as i64));
    }
    Ok(())
}

/// Unlinks the account and deletes the creator.
fn clean_up(client: &Client, id: &str, account: &str) -> Fallible {
    println!(
        "\n-> Clean up.   DELETE /creators/{id}/accounts/{{account_id}}, DELETE /creators/{id}"
    );
    client.creators().unlink_account(id, account)?;
    println!("   unlinked {account}");
    client.creators().delete(id)?;
    println!("   deleted {id}");
    Ok(())
}

/// Inputs the SDK refuses without sending anything.
fn refused_before_sending(client: &Client) -> Fallible {
    println!("\n-> Refused before any request:");
    let said = |what: &str, outcome: Result<(), creatoraudit::Error>| match outcome {
        Err(e) => {
            println!("   {what:<26} {e}");
            Ok(())
        }
        Ok(()) => Err(format!("{what}: unexpectedly accepted")),
    };
    said(
        "create with a blank name:",
        client.creators().create(&NewCreator::new("  ")).map(drop),
    )?;
    said(
        "update with nothing set:",
        client
            .creators()
            .update("any-id", &UpdateCreator::new())
            .map(drop),
    )?;
    // A range whose start is after its end cannot even be built.
    let range = DateRange::new(
        Date::new(2026, 6, 15).expect("a valid date"),
        Date::new(2026, 6, 1).expect("a valid date"),
    );
    said("a range with start > end:", range.map(drop))?;
    Ok(())
}

/// `team=growth, region=EU` (with `sep` between a key and its value), or `none`: a JSON
/// object for people, strings without their quotes.
fn pairs(map: &Map<String, Value>, sep: &str) -> String {
    if map.is_empty() {
        return "none".into();
    }
    let all: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{k}{sep}{}", shown(v)))
        .collect();
    all.join(", ")
}

/// A JSON value for people: a string without quotes, an integer with thousands separators,
/// `-` for null.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => common::num(i),
            None => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// A member of a JSON object for people, `-` when it is missing.
fn field(record: &Value, name: &str) -> String {
    record.get(name).map_or_else(|| "-".into(), shown)
}
